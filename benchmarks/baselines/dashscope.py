"""The hand-written baseline of Alibaba DashScope's text rerank: `input{query, documents}`
and `parameters{return_documents, top_n, instruct}` (sent even when empty), results under
`output`, one token count (`total_tokens`, or `input_tokens` as the SDK's mock has it), a
`request_id` written back to DashScope only, no model in the response."""

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
    _read_flag,
    _texts,
    _too_large,
    _write_flag,
)


class DashScopeResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Doc | UnsetType | None = UNSET


class Output(msgspec.Struct, forbid_unknown_fields=True):
    results: Annotated[list[DashScopeResult], Meta(max_length=MAX_DOCUMENTS)]


class TokenUsage(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    total_tokens: Index | UnsetType = UNSET
    input_tokens: Index | UnsetType = UNSET  # the SDK's mock server's name for it


class DashScopeResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    output: Output
    usage: TokenUsage | UnsetType = UNSET
    request_id: str | UnsetType = UNSET


class Input(msgspec.Struct, forbid_unknown_fields=True):
    query: Text
    documents: TextDocuments


class Parameters(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    return_documents: bool | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET
    instruct: Text | UnsetType | None = UNSET


class DashScopeRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    input: Input
    parameters: Parameters | UnsetType = UNSET


_dashscope_response = _decoder(DashScopeResponse)


_dashscope_request = _decoder(DashScopeRequest)


def read_dashscope_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _dashscope_response(data)
    usage = r.usage
    total = UNSET
    if usage is not UNSET:
        total = usage.input_tokens if usage.total_tokens is UNSET else usage.total_tokens
    # the usage as spelled (`meta`) and the `request_id` (`id`): written back to DashScope
    return r.output.results, Envelope(
        "dashscope",
        usage=UNSET if total is UNSET else Usage(total),
        id=r.request_id,
        meta=usage,
    )


def read_dashscope_request(data: bytes) -> Request:
    _too_large(data)
    r = _dashscope_request(data)
    p = r.parameters
    if p is UNSET:  # written back without `parameters`
        return Request(
            "dashscope",
            r.model,
            r.input.query,
            r.input.documents,
            return_documents=False,
            own={"absent": True, "defaulted": True},
        )
    own: dict[str, Any] = {"top_n": p.top_n, "instruct": p.instruct}  # nulls written back
    flag = p.return_documents
    _read_flag(flag, own)
    return Request(
        "dashscope", r.model, r.input.query, r.input.documents, p.top_n, flag is True, own=own
    )


class DashScopeOutResult(msgspec.Struct):
    index: int
    relevance_score: float
    document: Any = UNSET  # a `Doc`, None (null) or UNSET (left out)


class DashScopeOutOutput(msgspec.Struct):
    results: list[DashScopeOutResult]  # written when empty, as the library does


class DashScopeOut(msgspec.Struct):
    output: DashScopeOutOutput
    usage: Any  # UNSET: left out
    request_id: Any


def _echo(document: Any) -> Any:
    """A document as DashScope echoes it, `{text}`: an object's `text` stands for it; an
    object without one is not echoed."""
    if type(document) is str:
        return Doc(document)
    if type(document) is dict:
        text = document.get("text", UNSET)
        return UNSET if text is UNSET else Doc(text)
    return document


def write_dashscope_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            DashScopeOutResult(
                r.index,
                r.relevance_score,
                d
                if type(d := getattr(r, "document", None)) is Doc
                else Doc(d)
                if type(d := documents[r.index] if d is None or d is UNSET else d) is str
                else _echo(d),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [DashScopeOutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [
            DashScopeOutResult(
                r.index,
                r.relevance_score,
                d if type(d := r.document) is Doc or d is None or d is UNSET else _echo(d),
            )
            for r in results
        ]
    if e.source == "dashscope":
        usage, request_id = e.meta, e.id  # as read
    else:
        # one count (a split is lost); unknown, left out
        usage = TokenUsage(e.usage.total_tokens) if isinstance(e.usage, Usage) else UNSET
        request_id = UNSET  # that exchange's id, not carried across
    return _encode(DashScopeOut(DashScopeOutOutput(out), usage, request_id))


class OutInput(msgspec.Struct):
    query: Any
    documents: list[Any]


class OutParameters(msgspec.Struct):
    return_documents: Any
    top_n: Any
    instruct: Any


class DashScopeOutRequest(msgspec.Struct):
    model: Any
    input: OutInput
    parameters: Any  # sent always, as the SDK does; left out only when read without it


def write_dashscope_request(r: Request) -> bytes:
    flag = _write_flag(r, "dashscope", bool)
    top_n = _own(r, "dashscope", "top_n") if r.top_n is None else r.top_n
    instruct = _own(r, "dashscope", "instruct")
    # read without `parameters` (and nothing set since): written back without it
    absent = _own(r, "dashscope", "absent") is True and flag is top_n is instruct is UNSET
    return _encode(
        DashScopeOutRequest(
            r.model,
            OutInput(r.query, _texts(r.documents)),
            UNSET if absent else OutParameters(flag, top_n, instruct),
        )
    )


READER = Reader(
    read_dashscope_response, read_dashscope_request, DashScopeResponse, DashScopeRequest
)
WRITER = Writer(write_dashscope_response, write_dashscope_request, echoes=True)
