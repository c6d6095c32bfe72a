"""The hand-written baseline of Jina's format."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Document,
    Documents,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    Usage,
    Writer,
    _decoder,
    _doc,
    _encode,
    _too_large,
)


class JinaResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Document | UnsetType | None = UNSET
    embedding: list[float] | UnsetType | None = UNSET


class JinaResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    results: Annotated[list[JinaResult], Meta(max_length=MAX_DOCUMENTS)] = []


class JinaRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: Documents
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncation: bool | UnsetType | None = UNSET
    max_doc_length: int | UnsetType = UNSET
    return_embeddings: bool | UnsetType | None = UNSET


_jina_response = _decoder(JinaResponse)


_jina_request = _decoder(JinaRequest)


def read_jina_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _jina_response(data)
    return r.results, Envelope(
        "jina", model=r.model, object=r.object, usage=r.usage, embeddings=True
    )


def read_jina_request(data: bytes) -> Request:
    _too_large(data)
    r = _jina_request(data)
    return Request(
        "jina",
        r.model,
        r.query,
        r.documents,
        r.top_n,
        r.return_documents,
        r.truncation,
        r.max_doc_length,
        r.return_embeddings,
    )


class JinaOutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET
    embedding: Any = UNSET


class JinaOut(msgspec.Struct):
    model: Any  # UNSET: left out
    object: Any
    usage: Any
    results: list[JinaOutResult]  # written when empty, as the library does


def write_jina_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            JinaOutResult(
                r.index,
                r.relevance_score,
                d
                if (d := getattr(r, "document", None)) is not None and d is not UNSET
                else _doc(documents[r.index]),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [JinaOutResult(r.index, r.relevance_score) for r in results]
    elif e.embeddings:
        out = [JinaOutResult(r.index, r.relevance_score, r.document, r.embedding) for r in results]
    else:
        out = [JinaOutResult(r.index, r.relevance_score, r.document) for r in results]
    return _encode(JinaOut(e.model, e.object, e.usage, out))


class JinaOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    truncation: Any = UNSET
    max_doc_length: Any = UNSET
    return_embeddings: Any = UNSET


def write_jina_request(r: Request) -> bytes:
    return _encode(
        JinaOutRequest(
            r.model,
            r.query,
            r.documents,
            r.top_n,
            r.return_documents,
            r.truncation,
            r.max_doc_length,
            r.return_embeddings,
        )
    )


READER = Reader(read_jina_response, read_jina_request, JinaResponse, JinaRequest)
WRITER = Writer(write_jina_response, write_jina_request, echoes=True)
