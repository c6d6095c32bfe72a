"""Reading bodies within bounds, and choosing which upstream headers reach a client.

Nothing here knows the rerank formats: it is the transport hygiene of the proxy.
"""

from __future__ import annotations

import fnmatch
import zlib
from collections.abc import AsyncIterator, Iterable

import httpx

# RFC 9110 section 7.6.1: hop-by-hop headers, never forwarded by a proxy. The framing and
# encoding headers describe the upstream's bytes, not ours; the credential and cookie headers
# belong to the proxy's own session with its upstream.
NEVER_FORWARDED = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "content-encoding",
        "content-type",
        "authorization",
        "proxy-authorization",
        "proxy-authenticate",
        "www-authenticate",
        "authentication-info",
        "proxy-authentication-info",
        "cookie",
        "set-cookie",
        "set-cookie2",
    }
)

_MAX_HEADER_VALUE = 256


class TooLargeError(Exception):
    """A body went over its byte limit while it was read."""


class BadEncodingError(Exception):
    """The upstream's body is in a content coding the proxy does not decode, or corrupt."""


async def read_capped(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """All of `chunks`, or `TooLargeError` as soon as they add up to more than `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLargeError
        parts.append(chunk)
    return b"".join(parts)


async def read_decoded(response: httpx.Response, limit: int) -> bytes:
    """The upstream's body, decompressed, or `TooLargeError` once it decompresses past `limit`.

    The wire bytes are decompressed here rather than by httpx, with `max_length`, so that a
    small compressed body never expands in memory past the limit (a gzip bomb of 1 MB
    expands to 1 GB).
    """
    if response.is_stream_consumed:  # read already: a response an httpx.MockTransport made
        if len(response.content) > limit:
            raise TooLargeError
        return response.content
    coding = response.headers.get("content-encoding", "identity").strip().lower()
    if coding in ("", "identity"):
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLargeError
        return await read_capped(response.aiter_raw(), limit)
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise BadEncodingError(f"content coding {coding[:20]!r}")
    # gzip: a gzip header; deflate: a zlib stream (RFC 9110 section 8.4.1.2)
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in coding else zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_raw():
            data = chunk
            while data:
                out = inflate.decompress(data, limit - size + 1)
                size += len(out)
                if size > limit:
                    raise TooLargeError
                parts.append(out)
                data = inflate.unconsumed_tail
        tail = inflate.flush()
    except zlib.error:
        raise BadEncodingError(f"corrupt {coding} body") from None
    if size + len(tail) > limit:
        raise TooLargeError
    parts.append(tail)
    return b"".join(parts)


def forwarded_headers(headers: httpx.Headers, patterns: Iterable[str]) -> dict[str, str]:
    """The upstream headers a client may see: those matching `patterns` (`fnmatch`,
    lower case), never a hop-by-hop, credential or cookie header, nor one named in the
    upstream's `Connection` header, and only short printable ASCII values."""
    wanted = tuple(p.lower() for p in patterns)
    listed = {n.strip().lower() for n in headers.get("connection", "").split(",")}
    kept: dict[str, str] = {}
    for name, value in headers.multi_items():
        name = name.lower()
        if name in NEVER_FORWARDED or name in listed or name in kept:
            continue
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in wanted):
            continue
        if len(value) <= _MAX_HEADER_VALUE and value.isascii() and value.isprintable():
            kept[name] = value
    return kept
