"""Limits on what a decoder reads, so that a hostile body costs little time and memory.

A body over `max_bytes` is refused before it is parsed. A payload nested deeper than
`max_depth` is refused: the parts whose shape a format fixes cannot nest deeper than their
schema, so the depth is checked on the parts it leaves open (Cohere's `meta`, unknown keys)
and on the whole payload when it takes the general path (a parsed mapping, unknown keys);
a body nested beyond the interpreter's recursion limit is refused by the parser itself.
`max_documents` and `max_document_length` are checked right after parsing, before any
conversion work. Each refusal is a `DecodeError` of its own type: `too_large`, `too_deep`,
`too_many_documents`, `too_long`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any

import msgspec

from .canonical import Document, ImageDocument, ObjectDocument, RerankRequest, TextDocument
from .errors import DecodeError

__all__ = ["DEFAULT_LIMITS", "Limits"]


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """What a decoder accepts; pass your own to any decode, convert or validate function.

    Attributes:
        max_bytes: the largest body, in bytes (in characters for a `str`).
        max_documents: the most documents a request, or results a response, may hold.
        max_document_length: the longest document or query, in characters (an object
            document counts all its values; an image its URL or base64 text).
        max_depth: the deepest nesting of objects and arrays.

    Examples:
        >>> import rerank_formats as rf
        >>> strict = rf.Limits(max_documents=2)
        >>> body = b'{"query": "q", "documents": ["a", "b", "c"]}'
        >>> try:
        ...     rf.decode_request(body, format="cohere_v1", limits=strict)
        ... except rf.DecodeError as error:
        ...     print(error)
        invalid cohere_v1 request: 3 documents; the limit is 2 (at $.documents)
    """

    max_bytes: int = 16 * 1024 * 1024
    max_documents: int = 10_000
    max_document_length: int = 1_000_000
    max_depth: int = 64


DEFAULT_LIMITS = Limits()
"""The limits used when none are given: 16 MiB, 10,000 documents of at most 1,000,000
characters, nesting 64 deep."""


_Trail = tuple["_Trail", object] | None  # (parent trail, key): a path, spelled out only if needed


# JSON's scalars and containers, told apart by a set lookup: `isinstance(x, Mapping)` is an
# ABC check, slow enough to dominate a walk over a parsed payload.
_encode = msgspec.json.Encoder().encode
_LEAVES = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})
_ANY_CONTAINER = (Mapping, list, tuple)


def too_deep(value: object, limit: int) -> str | None:
    """The JSON path of the first place `value` nests deeper than `limit`, or None."""
    if _within(value, limit):
        return None
    return _first_too_deep(value, limit)


def shallow(value: object, limit: int) -> bool:
    """Whether a small value (a `meta`) surely nests at most `limit` deep, from a count of
    the brackets of its JSON: no nesting is deeper than that count (a bracket in a string
    only makes it larger). False means "not sure": ask `too_deep`."""
    try:
        encoded = _encode(value)
    except (TypeError, ValueError, RecursionError, msgspec.MsgspecError):
        return False
    return encoded.count(b"[") + encoded.count(b"{") <= limit


def _within(value: object, limit: int) -> bool:
    """Whether `value` nests at most `limit` deep: a level at a time, without paths."""
    kind = type(value)
    if kind in _LEAVES:
        return True
    level: list[Any] = [value] if kind in _CONTAINERS or isinstance(value, _ANY_CONTAINER) else []
    depth = 1
    while level:
        if depth > limit:
            return False
        contents = [
            node.values() if type(node) is dict or isinstance(node, Mapping) else node
            for node in level
        ]
        level = [
            child
            for child in chain.from_iterable(contents)
            if type(child) in _CONTAINERS
            or (type(child) not in _LEAVES and isinstance(child, _ANY_CONTAINER))
        ]
        depth += 1
    return True


def _first_too_deep(value: object, limit: int) -> str | None:
    """The path `too_deep` reports, found depth first (only for a payload that is too deep)."""
    stack: list[tuple[object, int, _Trail]] = [(value, 1, None)]
    while stack:
        node, depth, trail = stack.pop()
        items: Iterable[tuple[object, object]]
        if isinstance(node, Mapping):
            items = node.items()
        elif isinstance(node, (list, tuple)):
            items = enumerate(node)
        else:
            continue
        if depth > limit:
            return _path(trail)
        for key, child in items:
            if isinstance(child, (Mapping, list, tuple)):
                stack.append((child, depth + 1, (trail, key)))
    return None


def _path(trail: _Trail) -> str:
    parts: list[str] = []
    while trail is not None:
        trail, key = trail
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "$" + "".join(reversed(parts))


# -- the checks made right after parsing ----------------------------------------------------------


def check_request(
    request: RerankRequest,
    limits: Limits,
    format: str,
    *,
    documents_key: str = "documents",
    query_key: str = "query",
) -> None:
    """Refuse a decoded request with more documents, or a longer document or query, than
    `limits` allow (`too_many_documents`, `too_long`), at the format's wire keys."""
    documents = request.documents
    if len(documents) > limits.max_documents:
        raise _limit_error(
            f"{len(documents):,} documents; the limit is {limits.max_documents:,}",
            f"$.{documents_key}",
            "too_many_documents",
            format,
            "request",
        )
    longest = limits.max_document_length
    if (
        len(request.query) > longest
        if type(request.query) is str
        else _length(request.query) > longest
    ):
        raise _too_long(request.query, f"$.{query_key}", longest, format)
    if set(map(type, documents)) == {str} and max(map(len, documents)) <= longest:  # type: ignore[arg-type]
        return  # plain strings within the limit, measured at C speed
    for i, document in enumerate(documents):
        if len(document) > longest if type(document) is str else _length(document) > longest:
            raise _too_long(document, f"$.{documents_key}[{i}]", longest, format)


def check_results(count: int, limits: Limits, *, path: str, format: str) -> None:
    """Refuse a decoded response with more than `limits.max_documents` results (at `path`,
    where the format's codec keeps them)."""
    if count > limits.max_documents:
        raise _limit_error(
            f"{count:,} results; the limit is {limits.max_documents:,}",
            path,
            "too_many_documents",
            format,
            "response",
        )


def _too_long(document: Document, path: str, longest: int, format: str) -> DecodeError:
    length = _length(document)
    return _limit_error(
        f"{length:,} characters; the limit is {longest:,}", path, "too_long", format, "request"
    )


def _length(document: Document) -> int:
    if type(document) is str:
        return len(document)
    if isinstance(document, TextDocument):
        return len(document.text)
    if isinstance(document, ImageDocument):
        return len(document.image)
    if isinstance(document, ObjectDocument):
        return sum(len(value) for value in document.fields.values())
    return len(document)  # a str subclass


def _limit_error(message: str, path: str, type: str, format: str, kind: str) -> DecodeError:
    return DecodeError(message, path=path, type=type, format=format, kind=kind)
