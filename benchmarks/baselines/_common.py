"""What every format's hand-written baseline shares: the limits, the decoded `Request` and
`Envelope` a reader returns, the `Reader` and `Writer` a format module exposes, and the
context step (index checks, a stable sort by score, `top_n`, documents filled or removed),
written once in plain Python over the readers' result Structs.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

MAX_BYTES = 16 * 1024 * 1024


MAX_DOCUMENTS = 10_000
MAX_LENGTH = 1_000_000

Index = Annotated[int, Meta(ge=0)]


Text = Annotated[str, Meta(max_length=MAX_LENGTH)]


class Doc(msgspec.Struct, forbid_unknown_fields=True):
    text: Text


Document = Annotated[str, Meta(max_length=MAX_LENGTH)] | Doc


Documents = Annotated[list[Document], Meta(max_length=MAX_DOCUMENTS)]


TextDocuments = Annotated[list[Text], Meta(max_length=MAX_DOCUMENTS)]


class Usage(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    total_tokens: int
    prompt_tokens: int | UnsetType = UNSET
    completion_tokens: int | UnsetType = UNSET


@dataclass
class Envelope:
    """What a reader found beside the results (what a writer may need): `documents` says
    whether its results have a `document` attribute (`str`, `Doc`, None or UNSET), and
    `embeddings` whether they have an `embedding` one, so a writer reads them without
    knowing which format they came from."""

    source: str
    model: Any = UNSET
    object: Any = UNSET
    usage: Any = UNSET  # Usage, None (unknown) or UNSET (absent)
    id: Any = UNSET
    meta: Any = UNSET
    documents: bool = True
    embeddings: bool = False


@dataclass
class Request:
    """A decoded request, in the fields every writer needs."""

    source: str
    model: Any
    query: str
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    truncation: Any = UNSET
    max_doc_length: Any = UNSET
    return_embeddings: Any = UNSET
    own: dict[str, Any] | None = None


def _too_large(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ValueError("body too large")


@dataclass(frozen=True)
class Reader:
    response: Callable[[bytes], tuple[list[Any], Envelope]]
    request: Callable[[bytes], Request]
    response_type: Any  # what a typed decode of a response is (for `validate`)
    request_type: Any
    # what the format's results mean for the request they answer, before the context step
    # (Together's echoed object documents), when it needs one
    context: Callable[[list[Any], Request], list[Any]] | None = None


def _decoder(t: Any) -> Callable[[bytes], Any]:
    return msgspec.json.Decoder(t).decode


_score = operator.attrgetter("relevance_score")


KEEP, FILL, DROP = "keep", "fill", "drop"


def in_context(results: list[Any], request: Request, *, echoes: bool) -> tuple[list[Any], str]:
    """Check indices, sort by descending score (stable), cut to `top_n`; and say what the
    writer does with documents: fill the missing ones from the request, drop them, or keep."""
    count = len(request.documents)
    seen: set[int] = set()
    for result in results:
        index = result.index
        if index >= count or index in seen:
            raise ValueError(f"invalid or repeated index {index}")
        seen.add(index)
    results = sorted(results, key=_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    if not echoes:
        return results, KEEP
    return results, FILL if request.return_documents is not False else DROP


_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class Writer:
    # results, envelope, what to do with documents (KEEP, FILL, DROP) and the request the
    # response answers (read by this format), if any
    response: Callable[[list[Any], Envelope, str, Request | None], bytes]
    request: Callable[[Request], bytes]
    echoes: bool


def _doc(document: Any) -> Any:
    return Doc(document) if type(document) is str else document


def _with_texts(documents: list[Any]) -> list[Any]:
    """Object documents as read from the wire, a lone `{"text": ...}` as the `Doc` it is."""
    return [
        Doc(d["text"]) if type(d) is dict and len(d) == 1 and "text" in d else d for d in documents
    ]


def _text(document: Any) -> str:
    if type(document) is str:
        return document
    if type(document) is dict:  # an object document: its `text`, else its `key: value` lines
        if "text" in document:
            return document["text"]
        return "\n".join(f"{key}: {value}" for key, value in document.items())
    return document.text


def _texts(documents: list[Any]) -> list[str]:
    if all(type(d) is str for d in documents):
        return documents
    return [_text(d) for d in documents]


def _own(request: Request, name: str, key: str) -> Any:
    return request.own.get(key, UNSET) if request.source == name and request.own else UNSET


def _read_flag(flag: Any, own: dict[str, Any]) -> None:
    """Record in `own` how `return_documents` was spelled, for `_write_flag`: absent (so it
    meant the format's default) or null."""
    if flag is UNSET:
        own["defaulted"] = True
    elif flag is None:
        own["return_documents"] = None


def _write_flag(
    request: Request, name: str, coerce: Callable[[object], bool], *, default: bool = False
) -> Any:
    """`return_documents` for a format whose default is `default`: as spelled when read
    from the same format (left out when it was absent and still means the default), else
    explicit."""
    effective = request.return_documents is not False
    if request.source == name and request.own:
        spelled = request.own.get("return_documents", UNSET)
        if spelled is not UNSET and coerce(spelled) == effective:
            return spelled
        if request.own.get("defaulted") and effective == default:
            return UNSET
    return effective


Flag = bool | str | None


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})


def _flag(value: object) -> bool:
    return value.lower() in _TRUE if isinstance(value, str) else bool(value)
