"""The hand-written baseline of Cohere's v2 format."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._cohere import CohereOut, cohere_meta, cohere_usage
from ._common import (
    MAX_DOCUMENTS,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    TextDocuments,
    Writer,
    _decoder,
    _encode,
    _own,
    _texts,
    _too_large,
)


class V2Result(msgspec.Struct, forbid_unknown_fields=True):
    index: Index
    relevance_score: float


class V2Response(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    results: Annotated[list[V2Result], Meta(max_length=MAX_DOCUMENTS)] = []
    meta: dict[str, Any] | UnsetType | None = UNSET


class V2Request(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: TextDocuments
    top_n: int | UnsetType | None = UNSET
    max_tokens_per_doc: int | UnsetType = UNSET
    priority: int | UnsetType = UNSET


_v2_response = _decoder(V2Response)


_v2_request = _decoder(V2Request)


def read_v2_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _v2_response(data)
    return r.results, Envelope(
        "cohere_v2", usage=cohere_usage(r.meta), id=r.id, meta=r.meta, documents=False
    )


def read_v2_request(data: bytes) -> Request:
    _too_large(data)
    r = _v2_request(data)
    return Request(
        "cohere_v2",
        r.model,
        r.query,
        r.documents,
        r.top_n,
        False,
        max_doc_length=r.max_tokens_per_doc,
        own={"priority": r.priority},
    )


class V2OutResult(msgspec.Struct):
    index: int
    relevance_score: float


def write_v2_response(results: list[Any], e: Envelope, mode: str, request: Request | None) -> bytes:
    out = [V2OutResult(r.index, r.relevance_score) for r in results]
    own = e.source == "cohere_v2"
    return _encode(CohereOut(e.id if own else UNSET, out, cohere_meta(e, "cohere_v2")))


class V2OutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    max_tokens_per_doc: Any = UNSET
    priority: Any = UNSET


def write_v2_request(r: Request) -> bytes:
    return _encode(
        V2OutRequest(
            r.model,
            r.query,
            _texts(r.documents),
            UNSET if r.top_n is None else r.top_n,
            r.max_doc_length,
            _own(r, "cohere_v2", "priority"),
        )
    )


READER = Reader(read_v2_response, read_v2_request, V2Response, V2Request)
WRITER = Writer(write_v2_response, write_v2_request, echoes=False)
