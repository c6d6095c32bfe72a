"""The hand-written baseline of SiliconFlow's format: a Jina dialect with string documents,
`return_documents` false by default, no model in the response and usage in `tokens`
(Cohere's `meta.tokens`, one level up)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._cohere import cohere_tokens
from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Doc,
    Document,
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

Count = Annotated[int, Meta(ge=0, le=2**53)]


class SiliconFlowResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Document | UnsetType | None = UNSET


class SiliconFlowTokens(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    input_tokens: Count | UnsetType | None = UNSET
    output_tokens: Count | UnsetType | None = UNSET


class SiliconFlowResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    results: Annotated[list[SiliconFlowResult], Meta(max_length=MAX_DOCUMENTS)]
    id: str | UnsetType = UNSET
    tokens: SiliconFlowTokens | UnsetType | None = UNSET


class SiliconFlowRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: TextDocuments
    instruction: str | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    max_chunks_per_doc: int | UnsetType | None = UNSET
    overlap_tokens: int | UnsetType | None = UNSET


_siliconflow_response = _decoder(SiliconFlowResponse)


_siliconflow_request = _decoder(SiliconFlowRequest)


def tokens_usage(tokens: Any) -> Usage | UnsetType:
    """Usage from `tokens`: input plus output tokens (Cohere's reading of `meta.tokens`)."""
    if tokens is None or tokens is UNSET:
        return UNSET
    read = None if (r := tokens.input_tokens) is UNSET else r
    made = None if (m := tokens.output_tokens) is UNSET else m
    if made is None:
        return UNSET if read is None else Usage(read)
    if read is None:
        return Usage(made, completion_tokens=made)
    return Usage(read + made, read, made)


def read_siliconflow_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _siliconflow_response(data)
    tokens = r.tokens
    return r.results, Envelope(
        "siliconflow", usage=tokens_usage(tokens), id=r.id, meta=tokens
    )  # `tokens` kept in `meta`, written back to SiliconFlow while it says the same usage


def read_siliconflow_request(data: bytes) -> Request:
    _too_large(data)
    r = _siliconflow_request(data)
    own: dict[str, Any] = {
        "instruction": r.instruction,
        "max_chunks_per_doc": r.max_chunks_per_doc,
        "overlap_tokens": r.overlap_tokens,
    }
    flag = r.return_documents
    _read_flag(flag, own)
    return Request("siliconflow", r.model, r.query, r.documents, r.top_n, flag is True, own=own)


class SiliconFlowOutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET


class SiliconFlowOut(msgspec.Struct):
    id: Any  # UNSET: left out
    results: list[SiliconFlowOutResult]  # written when empty
    tokens: Any


def _echo(document: Any) -> Any:
    """A document as SiliconFlow echoes it: `{text}`; an object without a text is not echoed."""
    if type(document) is str:
        return Doc(document)
    if type(document) is dict:
        text = document.get("text", UNSET)
        return UNSET if text is UNSET else Doc(text)
    return document


def write_siliconflow_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            SiliconFlowOutResult(
                r.index,
                r.relevance_score,
                d
                if type(d := getattr(r, "document", None)) is Doc
                else _echo(documents[r.index] if d is None or d is UNSET else d),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [SiliconFlowOutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [
            SiliconFlowOutResult(
                r.index,
                r.relevance_score,
                d if (d := r.document) is None or d is UNSET or type(d) is Doc else _echo(d),
            )
            for r in results
        ]
    if e.source == "siliconflow":
        tokens = e.meta if tokens_usage(e.meta) == e.usage else cohere_tokens(e.usage)
        return _encode(SiliconFlowOut(e.id, out, tokens))
    return _encode(SiliconFlowOut(UNSET, out, cohere_tokens(e.usage)))


class SiliconFlowOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    instruction: Any = UNSET
    top_n: Any = UNSET
    return_documents: Any = UNSET
    max_chunks_per_doc: Any = UNSET
    overlap_tokens: Any = UNSET


def write_siliconflow_request(r: Request) -> bytes:
    return _encode(
        SiliconFlowOutRequest(
            r.model,
            r.query,
            _texts(r.documents),
            _own(r, "siliconflow", "instruction"),
            r.top_n,
            _write_flag(r, "siliconflow", bool),
            _own(r, "siliconflow", "max_chunks_per_doc"),
            _own(r, "siliconflow", "overlap_tokens"),
        )
    )


READER = Reader(
    read_siliconflow_response,
    read_siliconflow_request,
    SiliconFlowResponse,
    SiliconFlowRequest,
)
WRITER = Writer(write_siliconflow_response, write_siliconflow_request, echoes=True)
