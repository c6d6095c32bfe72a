"""The hand-written baseline of Mixedbread's format: `input` (strings or objects), `top_k`
(-1 for all), `return_input` false by default, results under `data` with a `score`, the raw
input echoed, and the request's `top_k` and `return_input` echoed in the response."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    FILL,
    KEEP,
    MAX_DOCUMENTS,
    Doc,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    Usage,
    Writer,
    _decoder,
    _encode,
    _own,
    _read_flag,
    _too_large,
    _with_texts,
    _write_flag,
)

NAME = "mixedbread"
ALL = -1  # `top_k: -1`, the default: every result
RANK_RESULT = "rank_result"

D = TypeVar("D")
Fast = Text | Doc  # what Mixedbread is sent and echoes nearly always: strings, `{text}`
General = Text | dict[str, Text]  # any object of strings


class Count(Usage):  # token counts are never negative
    total_tokens: Index
    prompt_tokens: Index | UnsetType = UNSET
    completion_tokens: Index | UnsetType = UNSET


class MixedbreadResult(msgspec.Struct, Generic[D], forbid_unknown_fields=True):
    index: Index
    relevance_score: float = msgspec.field(name="score")
    document: D | UnsetType | None = msgspec.field(default=UNSET, name="input")
    object: str | UnsetType = UNSET


class MixedbreadResponse(msgspec.Struct, Generic[D], forbid_unknown_fields=True):
    data: Annotated[list[MixedbreadResult[D]], Meta(max_length=MAX_DOCUMENTS)]
    usage: Count | UnsetType | None = UNSET
    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    top_k: int | UnsetType | None = UNSET
    return_input: bool | UnsetType | None = UNSET


class MixedbreadRequest(msgspec.Struct, Generic[D], forbid_unknown_fields=True):
    query: Text
    input: Annotated[list[D], Meta(max_length=MAX_DOCUMENTS)]
    model: str | UnsetType = UNSET
    rank_fields: list[str] | UnsetType | None = UNSET
    top_k: int | UnsetType | None = UNSET
    return_input: bool | UnsetType | None = UNSET
    rewrite_query: bool | UnsetType | None = UNSET


_fast_response = _decoder(MixedbreadResponse[Fast])
_general_response = _decoder(MixedbreadResponse[General])
_fast_request = _decoder(MixedbreadRequest[Fast])
_general_request = _decoder(MixedbreadRequest[General])


def read_mixedbread_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    try:
        r = _fast_response(data)
    except msgspec.ValidationError:  # an object input: read it as one (`{text}` is a text)
        r = _general_response(data)
        for result in r.data:
            d = result.document
            if type(d) is dict and len(d) == 1 and "text" in d:
                result.document = Doc(d["text"])
    results = r.data
    # results with no `object` are written back without one (to Mixedbread only)
    marked = UNSET if results and all(x.object is UNSET for x in results) else RANK_RESULT
    return results, Envelope(
        NAME,
        model=r.model,
        object=r.object,
        usage=r.usage,
        meta=(r.top_k, r.return_input, marked),
    )


def read_mixedbread_request(data: bytes) -> Request:
    _too_large(data)
    try:
        r = _fast_request(data)
        documents = r.input
    except msgspec.ValidationError:
        r = _general_request(data)
        documents = _with_texts(r.input)
    top_k = r.top_k
    top_n = None if top_k is None or top_k == ALL else top_k  # -1 and null: all
    own: dict[str, Any] = {
        "top_k": UNSET if top_n is not None else top_k,  # -1 or null, written back as spelled
        "rank_fields": r.rank_fields,
        "rewrite_query": r.rewrite_query,
    }
    flag = r.return_input
    _read_flag(flag, own)
    return Request(NAME, r.model, r.query, documents, top_n, flag is True, own=own)


class MixedbreadOutResult(msgspec.Struct):
    index: int
    score: float
    input: Any  # UNSET: left out
    object: Any


class MixedbreadUsage(msgspec.Struct):
    prompt_tokens: Any
    total_tokens: Any
    completion_tokens: Any


class MixedbreadOut(msgspec.Struct):
    usage: Any  # UNSET: left out; `data` is written even when empty
    model: Any
    data: list[MixedbreadOutResult]
    object: Any
    top_k: Any
    return_input: Any


def write_mixedbread_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    top_k, return_input, marked = e.meta if e.source == NAME else (UNSET, UNSET, RANK_RESULT)
    if mode != KEEP:  # the answer to a request: what it asked, echoed unless read
        if top_k is UNSET:
            top_n = request.top_n if request is not None else UNSET
            top_k = top_n if type(top_n) is int else ALL
        if return_input is UNSET:
            return_input = mode == FILL
    if mode == FILL:  # the raw item sent, whatever the upstream echoed
        out = [
            MixedbreadOutResult(r.index, r.relevance_score, documents[r.index], marked)
            for r in results
        ]
    elif mode == KEEP and e.documents:
        out = [MixedbreadOutResult(r.index, r.relevance_score, r.document, marked) for r in results]
    else:
        out = [MixedbreadOutResult(r.index, r.relevance_score, UNSET, marked) for r in results]
    usage = e.usage
    if isinstance(usage, Usage):  # in Mixedbread's order
        usage = MixedbreadUsage(usage.prompt_tokens, usage.total_tokens, usage.completion_tokens)
    return _encode(MixedbreadOut(usage, e.model, out, e.object, top_k, return_input))


class MixedbreadOutRequest(msgspec.Struct):
    model: Any  # UNSET: left out
    query: Any
    input: list[Any]
    rank_fields: Any
    top_k: Any
    return_input: Any
    rewrite_query: Any


def write_mixedbread_request(r: Request) -> bytes:
    top_n = r.top_n
    return _encode(
        MixedbreadOutRequest(
            r.model,
            r.query,
            r.documents,  # strings, `{text}` and objects, all sent as they are
            _own(r, NAME, "rank_fields"),
            _own(r, NAME, "top_k") if top_n is None or top_n is UNSET else top_n,
            _write_flag(r, NAME, bool),
            _own(r, NAME, "rewrite_query"),
        )
    )


READER = Reader(
    read_mixedbread_response,
    read_mixedbread_request,
    MixedbreadResponse[Fast],
    MixedbreadRequest[Fast],
)
WRITER = Writer(write_mixedbread_response, write_mixedbread_request, echoes=True)
