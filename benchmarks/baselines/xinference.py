"""The hand-written baseline of Xinference's format."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._cohere import CohereOut, V1Result
from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Envelope,
    Flag,
    Index,
    Reader,
    Request,
    Text,
    TextDocuments,
    Usage,
    Writer,
    _decoder,
    _doc,
    _encode,
    _flag,
    _own,
    _texts,
    _too_large,
    _write_flag,
)


class XinferenceResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    results: Annotated[list[V1Result], Meta(max_length=MAX_DOCUMENTS)] = []
    meta: dict[str, Any] | UnsetType | None = UNSET


class XinferenceOutResult(msgspec.Struct):
    index: int
    relevance_score: float
    document: Any


class XinferenceTokens(msgspec.Struct):
    input_tokens: Index
    output_tokens: Index | UnsetType = UNSET


class XinferenceRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: TextDocuments
    top_n: int | UnsetType | None = UNSET
    return_documents: Flag | UnsetType = UNSET
    return_len: Flag | UnsetType = UNSET
    max_chunks_per_doc: int | UnsetType | None = UNSET
    kwargs: str | UnsetType | None = UNSET


def xinference_usage(meta: object) -> Usage | UnsetType:
    tokens = meta.get("tokens") if isinstance(meta, dict) else None
    if tokens is None:
        return UNSET
    return Usage(total_tokens=msgspec.convert(tokens, XinferenceTokens).input_tokens)


_xinference_response = _decoder(XinferenceResponse)


_xinference_request = _decoder(XinferenceRequest)


def read_xinference_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _xinference_response(data)
    return r.results, Envelope("xinference", usage=xinference_usage(r.meta), id=r.id, meta=r.meta)


def read_xinference_request(data: bytes) -> Request:
    _too_large(data)
    r = _xinference_request(data)
    own = {
        "return_len": r.return_len,
        "max_chunks_per_doc": r.max_chunks_per_doc,
        "kwargs": r.kwargs,
    }
    flag = r.return_documents
    if flag is UNSET:
        own["defaulted"] = True
    elif flag is not True and flag is not False:
        own["return_documents"] = flag
    return Request("xinference", r.model, r.query, r.documents, r.top_n, _flag(flag), own=own)


def write_xinference_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            XinferenceOutResult(
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
        out = [XinferenceOutResult(r.index, r.relevance_score, None) for r in results]
    else:
        out = [
            XinferenceOutResult(
                r.index, r.relevance_score, None if r.document is UNSET else _doc(r.document)
            )
            for r in results
        ]
    own = e.source == "xinference"
    usage = e.usage
    if own and e.meta is not UNSET and xinference_usage(e.meta) == usage:
        meta = e.meta
    else:
        total = usage.total_tokens if isinstance(usage, Usage) else None
        meta = {
            "api_version": None,
            "billed_units": None,
            "tokens": None if total is None else {"input_tokens": total, "output_tokens": total},
            "warnings": None,
        }
    return _encode(CohereOut(e.id if own else UNSET, out, meta))


class XinferenceOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    return_len: Any = UNSET
    max_chunks_per_doc: Any = UNSET
    kwargs: Any = UNSET


def write_xinference_request(r: Request) -> bytes:
    return _encode(
        XinferenceOutRequest(
            r.model,
            r.query,
            _texts(r.documents),
            r.top_n,
            _write_flag(r, "xinference", _flag),
            # a foreign client's request asks for the token count its format reports
            _own(r, "xinference", "return_len") if r.source == "xinference" else True,
            _own(r, "xinference", "max_chunks_per_doc"),
            _own(r, "xinference", "kwargs"),
        )
    )


READER = Reader(
    read_xinference_response, read_xinference_request, XinferenceResponse, XinferenceRequest
)
WRITER = Writer(write_xinference_response, write_xinference_request, echoes=True)
