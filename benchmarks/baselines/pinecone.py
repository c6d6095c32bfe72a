"""The hand-written baseline of Pinecone's format: object documents, results under `data`
with a `score`, usage in rerank units (not tokens), `return_documents` true by default."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    KEEP,
    MAX_DOCUMENTS,
    Doc,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    Writer,
    _decoder,
    _encode,
    _own,
    _too_large,
    _write_flag,
)

PineconeDocument = dict[str, Text]  # an object of strings: `{"text": ...}` alone is a text


def _read(document: dict[str, str]) -> Any:
    """A text document as a `Doc`; another object as it is."""
    return Doc(document["text"]) if len(document) == 1 and "text" in document else document


class PineconeResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float = msgspec.field(name="score")
    document: PineconeDocument | UnsetType | None = UNSET


class RerankUnits(msgspec.Struct, forbid_unknown_fields=True):
    rerank_units: Index


class PineconeResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    data: Annotated[list[PineconeResult], Meta(max_length=MAX_DOCUMENTS)]
    model: str | UnsetType = UNSET
    usage: RerankUnits | UnsetType = UNSET


class PineconeRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: Annotated[list[PineconeDocument], Meta(max_length=MAX_DOCUMENTS)]
    top_n: int | UnsetType = UNSET
    return_documents: bool | UnsetType = UNSET
    rank_fields: list[str] | UnsetType = UNSET
    parameters: dict[str, Any] | UnsetType = UNSET


_pinecone_response = _decoder(PineconeResponse)


_pinecone_request = _decoder(PineconeRequest)


def read_pinecone_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _pinecone_response(data)
    for result in r.data:
        if type(document := result.document) is dict:
            result.document = _read(document)
    # rerank units are billing, not tokens: the usage is unknown; the units are kept in
    # `meta`, written back to Pinecone
    return r.data, Envelope("pinecone", model=r.model, meta=r.usage)


def read_pinecone_request(data: bytes) -> Request:
    _too_large(data)
    r = _pinecone_request(data)
    own: dict[str, Any] = {"rank_fields": r.rank_fields, "parameters": r.parameters}
    flag = r.return_documents
    if flag is UNSET:
        own["defaulted"] = True
    return Request(
        "pinecone",
        r.model,
        r.query,
        [_read(d) for d in r.documents],
        r.top_n,
        flag is not False,
        own=own,
    )


class PineconeOutResult(msgspec.Struct, omit_defaults=True):
    index: int
    score: float
    document: Any = UNSET


class PineconeOut(msgspec.Struct):
    model: Any  # UNSET is left out; `data` is written even when empty
    data: list[PineconeOutResult]
    usage: Any


def _echo(document: Any) -> Any:
    """A document as Pinecone echoes it: a text as `{"text": ...}` (as a `Doc` encodes), an
    object whole; none (null) left out."""
    if type(document) is str:
        return {"text": document}
    return UNSET if document is None else document


def write_pinecone_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            PineconeOutResult(
                r.index,
                r.relevance_score,
                _echo(
                    d
                    if (d := getattr(r, "document", None)) is not None and d is not UNSET
                    else documents[r.index]
                ),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [PineconeOutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [PineconeOutResult(r.index, r.relevance_score, _echo(r.document)) for r in results]
    usage = e.meta if e.source == "pinecone" else UNSET
    if usage is UNSET and mode != KEEP:
        # an answer to a client (an echoing writer keeps only without the request): the SDK
        # requires `usage.rerank_units`, unknown here, so written as 0
        usage = RerankUnits(0)
    return _encode(PineconeOut(e.model, out, usage))


class PineconeOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    rank_fields: Any = UNSET
    parameters: Any = UNSET


def _document(document: Any, rank_fields: Any) -> Any:
    if type(document) is str:
        return {"text": document}
    if type(document) is dict:
        if "text" in document or isinstance(rank_fields, list):
            return document
        # ranked on `text` (the default rank_fields), which it has not: flattened
        return {"text": "\n".join(f"{key}: {value}" for key, value in document.items())}
    return document  # a Doc, which encodes as `{"text": ...}`


def write_pinecone_request(r: Request) -> bytes:
    rank_fields = _own(r, "pinecone", "rank_fields")
    documents = r.documents
    return _encode(
        PineconeOutRequest(
            r.model,
            r.query,
            [{"text": d} for d in documents]
            if all(type(d) is str for d in documents)
            else [_document(d, rank_fields) for d in documents],
            UNSET if r.top_n is None else r.top_n,
            _write_flag(r, "pinecone", bool, default=True),
            rank_fields,
            _own(r, "pinecone", "parameters"),
        )
    )


READER = Reader(read_pinecone_response, read_pinecone_request, PineconeResponse, PineconeRequest)
WRITER = Writer(write_pinecone_response, write_pinecone_request, echoes=True)
