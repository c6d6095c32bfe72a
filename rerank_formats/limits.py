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

import math
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any

import msgspec

from .canonical import Document, ImageDocument, ObjectDocument, RerankRequest, TextDocument
from .errors import DecodeError, excerpt

__all__ = ["DEFAULT_LIMITS", "Limits"]


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """What a decoder accepts; pass your own to any decode, convert or validate function.

    Attributes:
        max_bytes: the largest body, in bytes (in characters for a `str`).
        max_documents: the most documents a request, or results a response, may hold.
        max_document_length: the longest document or query, in characters (an object
            document counts all its values; an image its URL or base64 text).
        max_depth: the deepest nesting of objects and arrays.
        max_problems: the most problems `validate` lists (one more says how many it left
            out).

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
    max_problems: int = 100


DEFAULT_LIMITS = Limits()
"""The limits used when none are given: 16 MiB, 10,000 documents of at most 1,000,000
characters, nesting 64 deep, 100 problems listed by `validate`."""


_Trail = tuple["_Trail", object] | None  # (parent trail, key): a path, spelled out only if needed

# JSON's scalars and containers, told apart by a set lookup: `isinstance(x, Mapping)` is an
# ABC check, slow enough to dominate a walk over a parsed payload.
_encode = msgspec.json.Encoder().encode
_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})
_ANY_CONTAINER = (Mapping, list, tuple)
_INT_LIMIT = 10**4300  # the parser reads integers of at most 4,300 digits (Python's own limit)


def too_deep(value: object, limit: int) -> str | None:
    """The JSON path of the first place `value` nests deeper than `limit`, or None."""
    if _within(value, limit):
        return None
    found = scan(value, limit, leaves=False)
    return found[0] if found else None


def shallow(value: object, limit: int) -> bool:
    """Whether a small value (a `meta`) surely nests at most `limit` deep, from a count of
    the brackets of its JSON: no nesting is deeper than that count (a bracket in a string
    only makes it larger). False means "not sure": ask `too_deep`."""
    try:
        encoded = _encode(value)
    except (TypeError, ValueError, RecursionError, msgspec.MsgspecError):
        return False
    return encoded.count(b"[") + encoded.count(b"{") <= limit


def shallow_text(raw: bytes | bytearray | memoryview, limit: int) -> bool:
    """Whether JSON text surely nests at most `limit` deep, from a count of its brackets at
    C speed (a bracket in a string only makes the count larger). False means "not sure"."""
    text = raw if type(raw) is not memoryview else bytes(raw)
    return text.count(b"[") + text.count(b"{") <= limit


def within(value: object, limit: int) -> bool:
    """Whether a parsed payload nests at most `limit` deep (what `scan` finds when it does
    not, with its path): a level at a time, without paths."""
    return _within(value, limit)


def _within(value: object, limit: int) -> bool:
    """Whether `value` nests at most `limit` deep: a level at a time, without paths."""
    kind = type(value)
    if kind in _SCALARS:
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
            or (type(child) not in _SCALARS and isinstance(child, _ANY_CONTAINER))
        ]
        depth += 1
    return True


def scan(value: object, limit: int, *, leaves: bool = True) -> tuple[str, str, str] | None:
    """The first place `value` nests deeper than `limit` or, when `leaves`, holds what JSON
    text cannot (a string with a lone surrogate, NaN or an infinity, an integer longer than
    the parser reads): its (path, error type, message), or None.

    A caller's already-parsed mapping gets the leaf checks; a body the library parsed itself
    cannot hold such values, so it gets only the depth check.
    """
    stack: list[tuple[object, int, _Trail]] = [(value, 1, None)]
    while stack:
        node, depth, trail = stack.pop()
        items: Iterable[tuple[object, object]]
        children: Iterable[object]
        if type(node) is list or (type(node) is not dict and isinstance(node, (list, tuple))):
            items, children = enumerate(node), node
        elif isinstance(node, Mapping):
            items, children = node.items(), node.values()
        else:
            continue
        if depth > limit:
            return _path(trail), "too_deep", f"nested deeper than {limit} levels"
        if not leaves and _CONTAINERS.isdisjoint(map(type, children)):
            continue  # a body the library parsed, with nothing nested here: at C speed
        if leaves and children is not node:
            bad_key = _key_problem(node)  # type: ignore[arg-type]
            if bad_key:
                return _path((trail, bad_key[0])), "invalid_value", bad_key[1]
        for key, child in items:
            kind = type(child)
            if kind in _CONTAINERS or (
                kind not in _SCALARS and isinstance(child, (Mapping, list, tuple))
            ):
                stack.append((child, depth + 1, (trail, key)))
            elif leaves:
                problem = leaf_problem(child)
                if problem:
                    return _path((trail, key)), "invalid_value", problem
    return None


def _key_problem(node: Mapping[object, object]) -> tuple[object, str] | None:
    for key in node:
        if type(key) is not str:
            return excerpt(repr(key)), "object keys must be strings"
        if not key.isascii() and leaf_problem(key):
            return key, "a key is not valid Unicode"
    return None


def leaf_problem(value: object) -> str | None:
    """Why JSON text cannot hold `value` (a str, float or int), or None."""
    if isinstance(value, str):
        if value.isascii():
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a string with a lone surrogate is not valid Unicode"
    elif isinstance(value, float):
        if not math.isfinite(value):
            return f"{value} is not a JSON number"
    elif isinstance(value, int) and not -_INT_LIMIT < value < _INT_LIMIT:
        return "an integer of more than 4,300 digits"
    return None


def _path(trail: _Trail) -> str:
    parts: list[str] = []
    while trail is not None:
        trail, key = trail
        parts.append(f"[{key}]" if isinstance(key, int) else f".{excerpt(str(key))}")
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
    """Refuse a decoded request with a longer document or query than `limits` allow
    (`too_long`), at the format's wire keys (its codec counted the documents)."""
    documents = request.documents  # counted by the codec, before any work per item
    longest = limits.max_document_length
    if (
        len(request.query) > longest
        if type(request.query) is str
        else _length(request.query) > longest
    ):
        raise _too_long(request.query, f"$.{query_key}", longest, format)
    try:  # strings within the limit, measured at C speed (a Struct document has no len)
        if max(map(len, documents), default=0) <= longest:  # type: ignore[arg-type]
            return
    except TypeError:
        if (  # `{text}` objects, at C speed too
            set(map(type, documents)) == {TextDocument}
            and max([len(d.text) for d in documents]) <= longest  # type: ignore[union-attr]
        ):
            return
    for i, document in enumerate(documents):
        if len(document) > longest if type(document) is str else _length(document) > longest:
            raise _too_long(document, f"$.{documents_key}[{i}]", longest, format)


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
