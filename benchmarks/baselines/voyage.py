"""The hand-written baseline of Voyage AI's format: `top_k`, results under `data`, string
documents, `return_documents` false by default, one token count."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
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
    _read_flag,
    _texts,
    _too_large,
    _write_flag,
)
from ._hosted import echo_text


class VoyageResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Text | UnsetType | None = UNSET


class VoyageResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    data: Annotated[list[VoyageResult], Meta(max_length=MAX_DOCUMENTS)]
    object: str | UnsetType = UNSET
    model: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET


class VoyageRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: TextDocuments
    top_k: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncation: bool | UnsetType | None = UNSET


_voyage_response = _decoder(VoyageResponse)


_voyage_request = _decoder(VoyageRequest)


def read_voyage_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _voyage_response(data)
    return r.data, Envelope("voyage", model=r.model, object=r.object, usage=r.usage)


def read_voyage_request(data: bytes) -> Request:
    _too_large(data)
    r = _voyage_request(data)
    own: dict[str, Any] = {"top_k": r.top_k}  # a null `top_k` (the SDK's) is written back
    flag = r.return_documents
    _read_flag(flag, own)
    return Request(
        "voyage",
        r.model,
        r.query,
        r.documents,
        r.top_k,
        bool(flag) if flag else False,
        r.truncation,
        own=own,
    )


class VoyageOutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET


class VoyageOut(msgspec.Struct):
    object: Any  # UNSET is left out; `data` is written even when empty
    data: list[VoyageOutResult]
    model: Any
    usage: Any


def write_voyage_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            VoyageOutResult(
                r.index,
                r.relevance_score,
                echo_text(
                    d
                    if (d := getattr(r, "document", None)) is not None and d is not UNSET
                    else documents[r.index]
                ),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [VoyageOutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [
            VoyageOutResult(
                r.index,
                r.relevance_score,
                d if (d := r.document) is None or d is UNSET or type(d) is str else echo_text(d),
            )
            for r in results
        ]
    usage = e.usage
    if isinstance(usage, Usage) and not (
        usage.prompt_tokens is UNSET and usage.completion_tokens is UNSET
    ):
        usage = Usage(usage.total_tokens)  # one count: a split is lost
    return _encode(VoyageOut(e.object, out, e.model, usage))


class VoyageOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_k: Any = UNSET
    return_documents: Any = UNSET
    truncation: Any = UNSET


def write_voyage_request(r: Request) -> bytes:
    return _encode(
        VoyageOutRequest(
            r.model,
            r.query,
            _texts(r.documents),
            _own(r, "voyage", "top_k") if r.top_n is None else r.top_n,
            _write_flag(r, "voyage", bool),
            r.truncation,
        )
    )


READER = Reader(read_voyage_response, read_voyage_request, VoyageResponse, VoyageRequest)
WRITER = Writer(write_voyage_response, write_voyage_request, echoes=True)
