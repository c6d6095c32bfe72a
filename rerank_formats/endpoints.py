"""The headers a format's server wants with a request, from its module's `ENDPOINT`.

Pure functions over what each format declares (`Endpoint.auth_header`, `auth_scheme`,
`headers`): which headers a request to the server must carry, and which API key a request
from a client of the format carries. Nothing here sends anything or reads the environment.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import RerankFormatError
from .registry import FormatName, get_format

__all__ = ["api_key_from", "request_headers"]


def request_headers(format: FormatName, *, api_key: str | None = None) -> dict[str, str]:
    """The headers a request to a `format` server needs: those its `ENDPOINT.headers`
    requires, then the API key in its `auth_header`, after its `auth_scheme` (with a space)
    when it has one.

    Args:
        format: the server's format.
        api_key: the key, or None for a server that takes none (no auth header then).

    Returns:
        Header names (as the format spells them) and values, in that order.

    A format whose requests are signed instead (`ENDPOINT.signing`, Bedrock's SigV4)
    takes no key here: the signature depends on each request and its time, so the
    transport signs it (`rerank_formats.sigv4.sign`), after these headers are set.

    Raises:
        UnknownFormatError: `format` is not registered.
        RerankFormatError: `api_key` is empty, or not printable ASCII without spaces around
            (it could not be sent in a header, or would end it early); or `format` signs
            its requests (`ENDPOINT.signing`) and `api_key` is given.

    Examples:
        >>> import rerank_formats as rf
        >>> rf.request_headers("cohere_v2", api_key="k")
        {'Authorization': 'Bearer k'}
        >>> rf.request_headers("jina")
        {}
        >>> rf.request_headers("bedrock")  # signed: `api_key` is refused
        {}
    """
    endpoint = get_format(format).ENDPOINT
    headers = dict(endpoint.headers)
    if api_key is not None and endpoint.signing is not None:
        raise RerankFormatError(
            f"{get_format(format).NAME} requests are signed ({endpoint.signing}), not sent"
            " with an API key: sign each request with rerank_formats.sigv4.sign"
        )
    if api_key is not None:
        if (
            not api_key
            or not (api_key.isascii() and api_key.isprintable())
            or (api_key != api_key.strip())
        ):
            raise RerankFormatError("an API key must be printable ASCII, without spaces around")
        scheme = endpoint.auth_scheme
        headers[endpoint.auth_header] = f"{scheme} {api_key}" if scheme else api_key
    return headers


def api_key_from(format: FormatName, headers: Mapping[str, str]) -> str | None:
    """The API key a request from a `format` client carries: the value of its
    `ENDPOINT.auth_header` (names in any case), without its `auth_scheme` (in any case);
    None when the header is absent, empty, or lacks the scheme.

    For a format whose requests are SigV4-signed (`ENDPOINT.signing`, Bedrock), the key is
    the access key id of the header's `Credential=<id>/<scope>`: the signature is not
    checked (that would take the client's secret), so the id stands for a key, as a bearer
    key would.

    Raises:
        UnknownFormatError: `format` is not registered.

    Examples:
        >>> import rerank_formats as rf
        >>> rf.api_key_from("cohere_v2", {"authorization": "bearer k"})
        'k'
        >>> rf.api_key_from("cohere_v2", {"Authorization": "k"}) is None
        True
        >>> rf.api_key_from("bedrock", {"authorization": "AWS4-HMAC-SHA256"
        ...     " Credential=AKID/20150830/us-east-1/bedrock/aws4_request,"
        ...     " SignedHeaders=host;x-amz-date, Signature=5fa0"})
        'AKID'
    """
    endpoint = get_format(format).ENDPOINT
    wanted = endpoint.auth_header.lower()
    value = next((str(v) for k, v in headers.items() if str(k).lower() == wanted), "").strip()
    scheme = endpoint.auth_scheme
    if scheme:
        word, _, value = value.partition(" ")
        if word.lower() != scheme.lower():
            return None
        value = value.strip()
    if endpoint.signing is not None:
        credential = next(
            (p.strip()[11:] for p in value.split(",") if p.strip().startswith("Credential=")), ""
        )
        value = credential.partition("/")[0].strip()
    return value or None
