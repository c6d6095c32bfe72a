"""The hand-written baseline of Cohere's v1 format."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._cohere import CohereOut, V1Result, cohere_meta, cohere_usage
from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Documents,
    Envelope,
    Reader,
    Request,
    Text,
    Writer,
    _decoder,
    _doc,
    _encode,
    _own,
    _read_flag,
    _too_large,
    _write_flag,
)


class V1Response(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    results: Annotated[list[V1Result], Meta(max_length=MAX_DOCUMENTS)] = []
    meta: dict[str, Any] | UnsetType | None = UNSET


class V1Request(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    query: Text
    documents: Documents
    model: str | UnsetType = UNSET
    top_n: int | UnsetType | None = UNSET
    rank_fields: list[str] | UnsetType = UNSET
    return_documents: bool | UnsetType | None = UNSET
    max_chunks_per_doc: int | UnsetType = UNSET


_v1_response = _decoder(V1Response)


_v1_request = _decoder(V1Request)


def read_v1_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _v1_response(data)
    return r.results, Envelope("cohere_v1", usage=cohere_usage(r.meta), id=r.id, meta=r.meta)


def read_v1_request(data: bytes) -> Request:
    _too_large(data)
    r = _v1_request(data)
    own = {"rank_fields": r.rank_fields, "max_chunks_per_doc": r.max_chunks_per_doc}
    flag = r.return_documents
    _read_flag(flag, own)
    return Request(
        "cohere_v1", r.model, r.query, r.documents, r.top_n, bool(flag) if flag else False, own=own
    )


class V1OutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET


def write_v1_response(results: list[Any], e: Envelope, mode: str, request: Request | None) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            V1OutResult(
                r.index,
                r.relevance_score,
                _doc(
                    d
                    if (d := getattr(r, "document", None)) is not None and d is not UNSET
                    else documents[r.index]
                ),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [V1OutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [
            V1OutResult(
                r.index, r.relevance_score, UNSET if r.document is None else _doc(r.document)
            )
            for r in results
        ]
    own = e.source == "cohere_v1"
    return _encode(CohereOut(e.id if own else UNSET, out, cohere_meta(e, "cohere_v1")))


class V1OutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    rank_fields: Any = UNSET
    return_documents: Any = UNSET
    max_chunks_per_doc: Any = UNSET


def write_v1_request(r: Request) -> bytes:
    return _encode(
        V1OutRequest(
            r.model,
            r.query,
            r.documents,
            UNSET if r.top_n is None else r.top_n,
            _own(r, "cohere_v1", "rank_fields"),
            _write_flag(r, "cohere_v1", bool),
            _own(r, "cohere_v1", "max_chunks_per_doc"),
        )
    )


READER = Reader(read_v1_response, read_v1_request, V1Response, V1Request)
WRITER = Writer(write_v1_response, write_v1_request, echoes=True)
