"""The hand-written baseline of llama.cpp's format (its Jina dialect, no documents echoed)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    MAX_DOCUMENTS,
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
)


class LlamaResult(msgspec.Struct, forbid_unknown_fields=True):
    index: Index
    relevance_score: float


class LlamaResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    results: Annotated[list[LlamaResult], Meta(max_length=MAX_DOCUMENTS)]


class LlamaRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    query: Text
    documents: TextDocuments
    model: str | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET  # sent by Jina clients, ignored


_llama_response = _decoder(LlamaResponse)


_llama_request = _decoder(LlamaRequest)


def read_llama_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _llama_response(data)
    return r.results, Envelope(
        "llama_cpp", model=r.model, object=r.object, usage=r.usage, documents=False
    )


def read_llama_request(data: bytes) -> Request:
    _too_large(data)
    r = _llama_request(data)
    return Request(
        "llama_cpp",
        UNSET if r.model is None else r.model,
        r.query,
        r.documents,
        r.top_n,
        own={"model": r.model, "return_documents": r.return_documents},
    )


class LlamaOutResult(msgspec.Struct):
    index: int
    relevance_score: float


class LlamaOut(msgspec.Struct):
    model: Any  # UNSET: left out
    object: Any
    usage: Any
    results: list[LlamaOutResult]


def write_llama_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    out = [LlamaOutResult(r.index, r.relevance_score) for r in results]
    # what the library keeps of a llama.cpp response read without `object`: that it had none
    absent = e.source == "llama_cpp" and e.object is UNSET
    usage = e.usage
    if (
        not absent
        and isinstance(usage, Usage)
        and usage.prompt_tokens is UNSET
        and usage.completion_tokens in (UNSET, 0)
    ):
        # the server writes both counts, equal (a rerank generates nothing)
        usage = Usage(usage.total_tokens, usage.total_tokens, usage.completion_tokens)
    obj = e.object
    if obj is UNSET and not absent:
        obj = "list"
    return _encode(LlamaOut(e.model, obj, usage, out))


class LlamaOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET


def write_llama_request(r: Request) -> bytes:
    model = r.model
    if model is UNSET:
        model = _own(r, "llama_cpp", "model")  # a llama.cpp client's own null
    return _encode(
        LlamaOutRequest(
            model,
            r.query,
            _texts(r.documents),
            r.top_n,
            _own(r, "llama_cpp", "return_documents"),
        )
    )


READER = Reader(read_llama_response, read_llama_request, LlamaResponse, LlamaRequest)
WRITER = Writer(write_llama_response, write_llama_request, echoes=False)
