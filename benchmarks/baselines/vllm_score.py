"""The hand-written baseline of vLLM's score format: one score per pair, in input order
(read sorted by descending score), and a request in any of its four key pairs."""

from __future__ import annotations

import operator
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
    _score,
    _texts,
    _too_large,
)
from ._vllm import HOUSEKEEPING, Housekeeping, housekeeping, own_wire, truncation_from


class ScoreResult(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    index: Index
    object: str | UnsetType = UNSET
    relevance_score: float = msgspec.field(name="score")


class ScoreUsage(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    prompt_tokens: Index | UnsetType = UNSET
    total_tokens: Index | UnsetType = UNSET
    completion_tokens: Index | UnsetType | None = UNSET
    prompt_tokens_details: dict[str, Any] | UnsetType | None = UNSET


class ScoreResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    id: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    created: int | UnsetType = UNSET
    model: str | UnsetType = UNSET
    data: Annotated[list[ScoreResult], Meta(max_length=MAX_DOCUMENTS)]
    usage: ScoreUsage | UnsetType | None = UNSET


Inputs = Text | TextDocuments  # one input, or a list of them


class ScoreRequest(Housekeeping, kw_only=True):
    model: str | UnsetType | None = UNSET
    text_1: Inputs | UnsetType = UNSET
    text_2: Inputs | UnsetType = UNSET
    queries: Inputs | UnsetType = UNSET
    documents: Inputs | UnsetType = UNSET
    items: Inputs | UnsetType = UNSET
    data_1: Inputs | UnsetType = UNSET
    data_2: Inputs | UnsetType = UNSET


PAIRS = (("text_1", "text_2"), ("queries", "documents"), ("queries", "items"), ("data_1", "data_2"))


_score_response = _decoder(ScoreResponse)


_score_request = _decoder(ScoreRequest)


def _usage(usage: Any) -> Any:
    if type(usage) is not ScoreUsage:
        return usage  # None (unknown) or UNSET
    if usage.total_tokens is UNSET:
        return UNSET  # `{}`, the docs' example: says nothing
    made = usage.completion_tokens
    return Usage(usage.total_tokens, usage.prompt_tokens, UNSET if made is None else made)


def read_score_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _score_response(data)
    # vLLM lists the scores in input order; ranked here, ties in input order
    results = sorted(r.data, key=_score, reverse=True)
    return results, Envelope(
        "vllm_score",
        model=r.model,
        object=r.object,
        usage=_usage(r.usage),
        id=r.id,
        meta=r,  # for the same format's writer: `created`, the usage as spelled
        documents=False,
    )


def read_score_request(data: bytes) -> Request:
    _too_large(data)
    r = _score_request(data)
    for first, second in PAIRS:
        query, documents = getattr(r, first), getattr(r, second)
        if query is not UNSET and documents is not UNSET:
            break
    else:
        raise ValueError("expected text_1 and text_2 (or queries and documents or items, ...)")
    if type(query) is list:
        if len(query) != 1:
            raise ValueError("several first inputs score pairs one to one: not a rerank")
        query = query[0]
    return Request(
        "vllm_score",
        r.model if type(r.model) is str else UNSET,
        query,
        [documents] if type(documents) is str else documents,
        truncation=truncation_from(r.truncate_prompt_tokens),
        own={"wire": r, "pair": (first, second)},
    )


class ScoreOutResult(msgspec.Struct):
    index: int
    object: Any
    score: float


class ScoreOutUsage(msgspec.Struct):
    prompt_tokens: Any
    total_tokens: int
    completion_tokens: int


class ScoreOut(msgspec.Struct):
    id: Any
    object: Any
    created: Any
    model: Any
    data: list[ScoreOutResult]
    usage: Any


_index = operator.attrgetter("index")


def _usage_out(usage: Any, own: bool) -> Any:
    if usage is None and own:
        return None
    if not isinstance(usage, Usage):
        return UNSET
    made = 0 if usage.completion_tokens is UNSET else usage.completion_tokens
    prompt = usage.prompt_tokens
    if prompt is UNSET and usage.total_tokens >= made:
        prompt = usage.total_tokens - made  # else a usage that does not add up: as given
    return ScoreOutUsage(prompt, usage.total_tokens, made)


def write_score_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    ordered = sorted(results, key=_index)
    if e.source == "vllm_score":
        wire = e.meta
        absent = any(r.object is UNSET for r in results)  # read without each `object`
        own = (
            absent
            or wire.id is not UNSET
            or wire.created is not UNSET
            or type(wire.usage) is ScoreUsage
        )
        item = UNSET if absent else "score"
        out = [ScoreOutResult(r.index, item, r.relevance_score) for r in ordered]
        usage = wire.usage if type(wire.usage) is ScoreUsage else _usage_out(e.usage, own)
        obj = e.object if e.object is not UNSET or own else "list"
        return _encode(ScoreOut(wire.id, obj, wire.created, e.model, out, usage))
    out = [ScoreOutResult(r.index, "score", r.relevance_score) for r in ordered]
    obj = "list" if e.object is UNSET else e.object
    return _encode(ScoreOut(UNSET, obj, UNSET, e.model, out, _usage_out(e.usage, False)))


class ScoreOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any = UNSET
    text_1: Any = UNSET
    text_2: Any = UNSET
    queries: Any = UNSET
    documents: Any = UNSET
    items: Any = UNSET
    data_1: Any = UNSET
    data_2: Any = UNSET
    truncate_prompt_tokens: Any = UNSET
    user: Any = UNSET
    request_id: Any = UNSET
    priority: Any = UNSET
    mm_processor_kwargs: Any = UNSET
    use_activation: Any = UNSET
    activation: Any = UNSET
    softmax: Any = UNSET
    padding: Any = UNSET
    truncation_side: Any = UNSET
    cache_salt: Any = UNSET


def write_score_request(r: Request) -> bytes:
    wire = own_wire(r, "vllm_score")
    if wire is None:
        pair = {"text_1": r.query, "text_2": _texts(r.documents)}
        model = r.model
    else:  # the keys and inputs the client sent
        first, second = r.own["pair"]
        pair = {first: getattr(wire, first), second: getattr(wire, second)}
        model = wire.model
    spelled = dict(zip(HOUSEKEEPING, housekeeping(r, wire), strict=True))
    return _encode(ScoreOutRequest(model=model, **pair, **spelled))


READER = Reader(read_score_response, read_score_request, ScoreResponse, ScoreRequest)
WRITER = Writer(write_score_response, write_score_request, echoes=False)
