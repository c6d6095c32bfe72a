"""The hand-written baseline of Infinity's format: Cohere-like, string documents (echoed bare,
or `null`), `return_documents` false by default, `object`, `id` and `created` written back to
Infinity only, and a placeholder model that means none."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Doc,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    TextDocuments,
    Usage,
    Writer,
    _decoder,
    _encode,
    _own,
    _texts,
    _too_large,
    _write_flag,
)

PLACEHOLDER = "default/not-specified"  # `RerankInput.model`'s default: no model named


class InfinityResult(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    relevance_score: float
    index: Index
    text: Text | UnsetType | None = msgspec.field(default=UNSET, name="document")

    @property
    def document(self) -> Any:
        """The text as the `{text}` document every other format echoes."""
        text = self.text
        return Doc(text) if type(text) is str else text


class InfinityResponse(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    object: str | UnsetType = UNSET
    results: Annotated[list[InfinityResult], Meta(max_length=MAX_DOCUMENTS)]
    model: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    id: str | UnsetType = UNSET
    created: int | UnsetType = UNSET


class InfinityRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    query: Text
    documents: TextDocuments
    return_documents: bool | UnsetType = UNSET
    raw_scores: bool | UnsetType = UNSET
    model: str | UnsetType = UNSET
    top_n: int | UnsetType | None = UNSET


_infinity_response = _decoder(InfinityResponse)


_infinity_request = _decoder(InfinityRequest)


def read_infinity_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _infinity_response(data)
    # `object`, `id` and `created` are Infinity's own: kept in `meta` for its writer only
    return r.results, Envelope("infinity", model=r.model, usage=r.usage, meta=r)


def read_infinity_request(data: bytes) -> Request:
    _too_large(data)
    r = _infinity_request(data)
    own: dict[str, Any] = {"raw_scores": r.raw_scores}
    model = r.model
    if model == PLACEHOLDER:  # "not specified": absent, spelled so for Infinity only
        own["model"] = model
        model = UNSET
    if r.return_documents is UNSET:
        own["defaulted"] = True
    return Request(
        "infinity", model, r.query, r.documents, r.top_n, r.return_documents is True, own=own
    )


class InfinityOutResult(msgspec.Struct):
    relevance_score: float
    index: int
    document: Any  # UNSET: left out


class InfinityOut(msgspec.Struct):
    object: Any  # UNSET: left out
    results: list[InfinityOutResult]  # written when empty, as the library does
    model: Any
    usage: Any
    id: Any
    created: Any


def _echo(document: Any) -> Any:
    """The text Infinity echoes for another format's document: an object's `text`, else
    null (an object without one)."""
    if type(document) is dict:
        return document.get("text")
    return document if type(document) is str else document.text


def _usage(usage: Any) -> Any:
    """`{total_tokens, prompt_tokens}`: an output count is dropped, the prompt tokens derived
    (never negative)."""
    if not isinstance(usage, Usage):
        return usage  # None (unknown, written as null) or UNSET
    made = usage.completion_tokens
    read = usage.prompt_tokens
    if read is not UNSET:
        return usage if made is UNSET else Usage(usage.total_tokens, read)
    made = 0 if made is UNSET else made
    return Usage(usage.total_tokens, usage.total_tokens - made if made <= usage.total_tokens else 0)


def write_infinity_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    wire = e.meta if e.source == "infinity" else None
    if wire is not None and not (
        wire.object is UNSET and wire.id is UNSET and wire.created is UNSET
    ):
        # read from an Infinity server: its own fields, and no document stays absent
        obj, ident, created, absent = wire.object, wire.id, wire.created, UNSET
    else:
        obj, ident, created, absent = "rerank", UNSET, UNSET, None  # FastAPI writes a null
    if wire is not None:
        if mode == FILL:
            out = [
                InfinityOutResult(
                    r.relevance_score,
                    r.index,
                    t if (t := r.text) is not None and t is not UNSET else documents[r.index],
                )
                for r in results
            ]
        elif mode == DROP:
            out = [InfinityOutResult(r.relevance_score, r.index, absent) for r in results]
        else:
            out = [
                InfinityOutResult(
                    r.relevance_score, r.index, absent if (t := r.text) is UNSET else t
                )
                for r in results
            ]
    elif mode == FILL:
        out = [
            InfinityOutResult(
                r.relevance_score,
                r.index,
                documents[r.index]  # the request's, read by this format: strings
                if (d := getattr(r, "document", None)) is None or d is UNSET
                else d
                if type(d) is str
                else _echo(d),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [InfinityOutResult(r.relevance_score, r.index, None) for r in results]
    else:
        out = [
            InfinityOutResult(
                r.relevance_score,
                r.index,
                None
                if (d := r.document) is UNSET
                else d
                if d is None or type(d) is str
                else _echo(d),
            )
            for r in results
        ]
    model = e.model
    if model is UNSET and request is not None:  # the client's placeholder, if it sent one
        model = _own(request, "infinity", "model")
    return _encode(InfinityOut(obj, out, model, _usage(e.usage), ident, created))


class InfinityOutRequest(msgspec.Struct, omit_defaults=True):
    query: Any
    documents: list[Any]
    return_documents: Any = UNSET
    raw_scores: Any = UNSET
    model: Any = UNSET
    top_n: Any = UNSET  # None is written: null asks for all


def write_infinity_request(r: Request) -> bytes:
    return _encode(
        InfinityOutRequest(
            r.query,
            _texts(r.documents),
            _write_flag(r, "infinity", bool),
            _own(r, "infinity", "raw_scores"),
            _own(r, "infinity", "model") if r.model is UNSET else r.model,
            r.top_n,  # 0 too: Infinity answers 422, as Jina and Cohere do
        )
    )


READER = Reader(read_infinity_response, read_infinity_request, InfinityResponse, InfinityRequest)
WRITER = Writer(write_infinity_response, write_infinity_request, echoes=True)
