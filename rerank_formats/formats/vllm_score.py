"""vLLM score, `POST http://<host>:8000/score` (and `/v1/score`): pair scores in input order.

Reference: vllm-project/vllm `vllm/entrypoints/pooling/scoring/protocol.py` @
`004706d84ceba73d7efe0458e6f682c8691ff904` (`ScoreTextRequest`, `ScoreQueriesDocumentsRequest`,
`ScoreQueriesItemsRequest`, `ScoreDataRequest`, `ScoreResponse`, `ScoreResponseData`), the
serving code `vllm/entrypoints/pooling/scoring/serving.py` at the same commit
(`_request_output_to_score_response`: one score per pair, `index` the pair's position, no
sorting, no `top_n`), `UsageInfo` in `vllm/entrypoints/openai/engine/protocol.py` @
`d7e52523a55cfd60207c99d9f3b7ed527d2115b7`, and the example of
`docs/serving/openai_compatible_server.md` @ `04454610d149a7c016dcf1aec115ceb03345f463`.

Request

| wire field                          | canonical            | notes                                   |
| ----------------------------------- | -------------------- | --------------------------------------- |
| `model`                             | `model`              | optional; `null` kept                   |
| `text_1` (`queries`, `data_1`)      | `query`              | one input (a string or `{content: [parts]}`), or a list of one |
| `text_2` (`documents`, `items`, `data_2`) | `documents`    | a list of inputs, or one input          |
| housekeeping                        | `extensions["vllm_score"]` | as in `vllm` (`truncate_prompt_tokens` is `truncation`) |
| —                                   | `top_n`, `return_documents` | no place: the request's context sorts, cuts and fills the response (a reporting loss for `top_n`) |

The 1 to N form is the rerank one; the N to N form (a list of several first inputs, zipped
with as many second ones) is not one rerank request: it is refused with a `DecodeError` of
type `unsupported_shape` at the first list. The keys read are written back; other formats'
requests are written as `text_1` and `text_2`.

Response

| wire field       | canonical               | notes                                               |
| ---------------- | ----------------------- | --------------------------------------------------- |
| `id`, `created`  | `extensions["vllm_score"]` | never invented                                   |
| `object`         | `object`                | `"list"`                                            |
| `model`          | `model`                 |                                                     |
| `data[].index`   | `results[].index`       | the pair's (the document's) position                |
| `data[].score`   | `results[].relevance_score` | in input order: read sorted by descending score (ties in input order) |
| `data[].object`  | —                       | `"score"`, always written                           |
| `usage`          | `usage`                 | `UsageInfo`: `prompt_tokens`, `total_tokens`, `completion_tokens`; an empty `{}` (the docs' example) is unknown, kept |

Written from other formats: the results in input order, without documents. Answering a
request, a document without a score (a response cut to `top_n`) is a reporting loss, and so
is the order of tied scores that are not in input order.

Errors: as `vllm`. Statuses as `vllm`.

No official client calls `/score`; the format is checked against vLLM's protocol classes and
server tests, and with a plain HTTP client against the proxy (tests/test_format_vllm_score.py).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import Document, RerankError, RerankRequest, RerankResponse, RerankResult, Usage
from ..errors import DecodeError, LossKind
from . import _checks, _vllm
from ._base import (
    Codec,
    Endpoint,
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    check_unset,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    own_extension,
)
from ._helpers import unsupported
from ._vllm import Body, Content, Error, Input

__all__ = [
    "DEFAULTS",
    "ENDPOINT",
    "ERROR",
    "KEEPS_UNKNOWN",
    "NAME",
    "PROVIDER",
    "REQUEST",
    "REQUIRES",
    "RESPONSE",
    "SCORE_SCALE",
    "STATUSES",
    "STATUS_MAP",
    "SUPPORTS",
    "UNKNOWN_FIELDS",
    "Body",
    "Content",
    "Error",
    "Request",
    "Response",
    "Result",
    "ScoreUsage",
    "check",
    "error_from_canonical",
    "error_from_text",
    "error_to_canonical",
    "field_loss",
    "request_from_canonical",
    "request_to_canonical",
    "response_from_canonical",
    "response_scale",
    "response_to_canonical",
]

NAME: Final = "vllm_score"
PROVIDER: Final = "vLLM"

SUPPORTS: Final = frozenset(
    {
        "model",
        "truncation",
        "image_documents",
        "response_model",
        "token_usage",
        "usage_split",
        "reports_tokens",
    }
)
REQUIRES: Final = frozenset[str]()
ENDPOINT: Final = Endpoint(
    method="POST", path="/score", aliases=("/v1/score",)
)  # vllm/entrypoints/pooling/scoring/api_router.py @ facb56e2eb7d0aadaf272b80475cc9f7e10e0e8b
SCORE_SCALE: Final[ScoreScale] = "probability"
DEFAULTS: Final[Mapping[str, object]] = _vllm.DEFAULTS

PAIRS: Final = (
    ("text_1", "text_2"),
    ("queries", "documents"),
    ("queries", "items"),
    ("data_1", "data_2"),
)
"""The key pairs of the four request shapes, in the order vLLM's union tries them."""


def response_scale(request: RerankRequest | None) -> ScoreScale:
    """Logits when the request read from vllm_score turned the activation off."""
    return _vllm.response_scale(NAME, request)


Inputs = Input | tuple[Input, ...]


class Request(Wire, frozen=True, kw_only=True):
    """A vLLM score request (`ScoreRequest`, any of its four shapes).

    Attributes:
        model: The model; absent or null means the served one.
        text_1: The query (or a list of one); `queries` and `data_1` are the same.
        text_2: The documents (or one); `documents`, `items` and `data_2` are the same.
        queries: See `text_1`.
        documents: See `text_2`.
        items: See `text_2`.
        data_1: See `text_1`.
        data_2: See `text_2`.
        truncate_prompt_tokens: As in `vllm`.
        user: As in `vllm`.
        request_id: As in `vllm`.
        priority: As in `vllm`.
        mm_processor_kwargs: As in `vllm`.
        use_activation: As in `vllm`: false returns raw logits.
        activation: Deprecated `use_activation`.
        softmax: Deprecated `use_activation`.
        padding: As in `vllm`.
        truncation_side: As in `vllm`.
        cache_salt: As in `vllm`.
    """

    model: str | UnsetType | None = UNSET
    text_1: Inputs | UnsetType = UNSET
    text_2: Inputs | UnsetType = UNSET
    queries: Inputs | UnsetType = UNSET
    documents: Inputs | UnsetType = UNSET
    items: Inputs | UnsetType = UNSET
    data_1: Inputs | UnsetType = UNSET
    data_2: Inputs | UnsetType = UNSET
    truncate_prompt_tokens: Annotated[int, Meta(ge=-1)] | UnsetType | None = UNSET
    user: str | UnsetType | None = UNSET
    request_id: str | UnsetType = UNSET
    priority: int | UnsetType = UNSET
    mm_processor_kwargs: dict[str, object] | UnsetType | None = UNSET
    use_activation: bool | UnsetType | None = UNSET
    activation: bool | UnsetType | None = UNSET
    softmax: bool | UnsetType | None = UNSET
    padding: str | UnsetType | None = UNSET
    truncation_side: str | UnsetType | None = UNSET
    cache_salt: str | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One score (`ScoreResponseData`).

    Attributes:
        index: The pair's position: the document's.
        object: Always `"score"`.
        score: The pair's score.
    """

    index: Annotated[int, Meta(ge=0)]
    object: str | UnsetType = UNSET
    score: float


class ScoreUsage(Wire, frozen=True, kw_only=True):
    """vLLM's `UsageInfo`.

    Attributes:
        prompt_tokens: Tokens read.
        total_tokens: Tokens processed.
        completion_tokens: Always 0 for scores.
        prompt_tokens_details: Cached tokens, or null.
    """

    prompt_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
    total_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
    completion_tokens: Annotated[int, Meta(ge=0)] | UnsetType | None = UNSET
    prompt_tokens_details: dict[str, object] | UnsetType | None = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A vLLM score response (`ScoreResponse`).

    Attributes:
        id: The request's id.
        object: Always `"list"`.
        created: When, in seconds since the epoch.
        model: The served model.
        data: One score per pair, in input order.
        usage: Token usage.
    """

    id: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    created: int | UnsetType = UNSET
    model: str | UnsetType = UNSET
    data: tuple[Result, ...]
    usage: ScoreUsage | UnsetType | None = UNSET


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keys={"documents": "text_2"},
    synonyms={
        "query": tuple(dict.fromkeys(first for first, _ in PAIRS)),
        "documents": tuple(dict.fromkeys(second for _, second in PAIRS)),
    },
)
RESPONSE: Final = Codec[Response](
    format=NAME,
    kind="response",
    fast=Response,
    general=Response,
    struct=Response,
    nested=("data", Result),
    keys={"relevance_score": "score"},
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this vllm_score field (None: nothing of meaning)."""
    if any(key in pair for pair in PAIRS):
        return _vllm.documents_loss(NAME, value, target)
    if key in _vllm.HOUSEKEEPING:
        return _vllm.housekeeping_loss(key, value, target, supports)
    return None  # the model's null, the response's id, created and usage spelling


def _fail(message: str, path: str, type: str) -> DecodeError:
    return DecodeError(message, path=path, type=type, format=NAME, kind="request")


def pair_of(body: Mapping[str, object]) -> tuple[str, str]:
    """The keys of the request's pair, or a `DecodeError`: none of the four pairs, or several
    first inputs (the N to N zip form). The decoder's rule beyond the wire types, which the
    pydantic models apply too."""
    for first, second in PAIRS:
        if body.get(first, UNSET) is not UNSET and body.get(second, UNSET) is not UNSET:
            value = body[first]
            if isinstance(value, (list, tuple)) and len(value) != 1:
                raise _fail(
                    f"{len(value)} first inputs score pairs one to one; a rerank request has"
                    " one query",
                    f"$.{first}",
                    "unsupported_shape",
                )
            return first, second
    raise _fail(
        "expected `text_1` and `text_2` (or `queries` and `documents` or `items`,"
        " or `data_1` and `data_2`)",
        "$",
        "missing_field",
    )


_FIELDS: Final = Request.__struct_fields__
_PAIR_KEYS: Final = tuple(dict.fromkeys(key for pair in PAIRS for key in pair))
_PAIRS_OF: Final = operator.itemgetter(*map(_FIELDS.index, _PAIR_KEYS))
_HOUSEKEEPING: Final = _vllm.Housekeeping(Request)


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    values = msgspec.structs.astuple(wire)  # one C call, and no housekeeping compared at C speed
    sent = dict(zip(_PAIR_KEYS, _PAIRS_OF(values), strict=True))
    first, second = pair_of(sent)
    query: Any = sent[first]
    documents: Any = sent[second]
    if isinstance(query, tuple):
        query = query[0]
    if not isinstance(documents, tuple):
        documents = (documents,)
    fields = kept_fields(left, model=wire.model, **_HOUSEKEEPING(values))
    if fields.get("model", UNSET) is not None:
        fields.pop("model", None)
    canonical_query, canonical = _vllm.inputs_to_canonical(query, documents, {})
    fields[first] = _vllm.plain(sent[first])
    fields[second] = _vllm.plain(sent[second])
    return RerankRequest(
        model=wire.model if isinstance(wire.model, str) else UNSET,
        query=canonical_query,
        documents=canonical,
        truncation=_vllm.truncation_from(wire.truncate_prompt_tokens),
        extensions=extension_map(NAME, fields),
    )


def _as_list(value: Inputs) -> tuple[Input, ...]:
    return value if isinstance(value, tuple) else (value,)


def _kept_pair(request: RerankRequest, own: Any) -> dict[str, Any] | None:
    """The request's own keys and inputs, when they still say what the canonical ones say."""
    if own is None:
        return None
    for first, second in PAIRS:
        if first in own.fields and second in own.fields:
            one = msgspec.convert(own.fields[first], Inputs)
            many = msgspec.convert(own.fields[second], Inputs)
            query = _vllm.to_canonical(_as_list(one)[0])[0]
            inputs = _as_list(many)
            documents: tuple[Document, ...] = (
                inputs  # type: ignore[assignment]  # strings are canonical as they are
                if set(map(type, inputs)) <= {str}
                else tuple(_vllm.to_canonical(d)[0] for d in inputs)
            )
            if len(_as_list(one)) == 1 and (query, documents) == (
                request.query,
                request.documents,
            ):
                return {first: one, second: many}
            return None
    return None


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    unsupported(request, sink, "max_doc_length", "return_embeddings")
    reason = "vllm_score returns every score (the request's context cuts them to top_n)"
    check_unset(sink, request, "top_n", reason, "reporting")
    pair = _kept_pair(request, own)
    if pair is None:
        query, documents = _vllm.inputs_from_canonical(request, sink, None, "text_1", "text_2")
        pair = {"text_1": query, "text_2": documents}
    spelled = {key: kept(own, key) for key in _vllm.HOUSEKEEPING}
    spelled["truncate_prompt_tokens"] = _vllm.truncation_out(request, own)
    return Request(
        model=request.model if request.model is not UNSET else kept(own, "model"),
        **pair,
        **spelled,
    )


_SCORE: Final = operator.attrgetter("relevance_score")
_INDEX: Final = operator.attrgetter("index")


def _ranked(results: Iterable[RerankResult]) -> list[RerankResult]:
    """By descending score, ties in input order (a reverse sort is stable too)."""
    return sorted(results, key=_SCORE, reverse=True)


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, id=wire.id, created=wire.created)
    usage: Usage | UnsetType | None = UNSET
    if wire.usage is None:
        usage = None
    elif isinstance(wire.usage, ScoreUsage):
        fields["usage"] = _vllm.plain(wire.usage)
        usage = _usage(wire.usage)
    extra = {wire.data[p].index: dict(more) for p, more in left.results.items()}
    absent = {"object"} if UnsetType in {type(r.object) for r in wire.data} else set()
    # vLLM lists them in input order; the canonical results are ranked
    results = _ranked([RerankResult(index=r.index, relevance_score=r.score) for r in wire.data])
    return RerankResponse(
        results=tuple(results),
        model=wire.model,
        object=wire.object,
        usage=usage,
        extensions=extension_map(NAME, fields, results=extra or None, absent=absent),
    )


def _usage(usage: ScoreUsage) -> Usage | UnsetType:
    if usage.total_tokens is UNSET:
        return UNSET  # `{}`: the docs' example says nothing
    completion = usage.completion_tokens
    return Usage(
        total_tokens=usage.total_tokens,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=UNSET if completion is None else completion,
    )


def _usage_out(response: RerankResponse, own: Any) -> ScoreUsage | UnsetType | None:
    raw = kept(own, "usage")
    if raw is not UNSET:
        spelled = msgspec.convert(raw, ScoreUsage)
        if _usage(spelled) == (response.usage if response.usage is not None else UNSET):
            return spelled
    usage = response.usage
    if usage is None and own is not None:
        return None
    if not isinstance(usage, Usage):
        return UNSET
    completion = 0 if usage.completion_tokens is UNSET else usage.completion_tokens
    prompt: int | UnsetType = usage.prompt_tokens
    if prompt is UNSET and usage.total_tokens >= completion:
        prompt = usage.total_tokens - completion  # else a usage that does not add up: as given
    return ScoreUsage(
        prompt_tokens=prompt, total_tokens=usage.total_tokens, completion_tokens=completion
    )


def _missing_losses(ordered: list[RerankResult], sink: Sink, request: RerankRequest) -> None:
    missing = len(request.documents) - len(ordered)
    if missing > 0:
        sink(
            "$.data",
            f"vllm_score answers one score per document; {missing} have none"
            " (the response was cut to top_n)",
            "reporting",
        )


def _tie_losses(response: RerankResponse, ordered: list[RerankResult], sink: Sink) -> None:
    if sink.quiet:
        return
    ranked = _ranked(ordered)  # what reading it back gives: ties in input order
    given = list(response.results)
    if given != ranked and given == _ranked(given):
        sink(
            "$.data",
            "vllm_score lists scores in input order: the order of tied scores is not kept",
            "reporting",
        )


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink)
    ordered = sorted(response.results, key=_INDEX)
    _tie_losses(response, ordered, sink)
    if request is not None:
        _missing_losses(ordered, sink, request)
    absent = own.absent if own is not None else frozenset()
    item = UNSET if "object" in absent else "score"
    return Response(
        id=kept(own, "id"),
        object=response.object if response.object is not UNSET or own is not None else "list",
        created=kept(own, "created"),
        model=response.model,
        data=tuple([Result(index=r.index, object=item, score=r.relevance_score) for r in ordered]),
        usage=_usage_out(response, own),
    )


# -- errors ------------------------------------------------------------------------------------

ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 404, 429, 500, 501, 503})
STATUS_MAP: Final[Mapping[int, int]] = {422: 400}


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return _vllm.error_to_canonical(NAME, wire, left, status)


def error_from_canonical(error: RerankError) -> Error:
    return _vllm.error_from_canonical(NAME, error, STATUSES, STATUS_MAP)


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """vLLM answers every error in JSON."""
    return None


UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what vLLM would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        for _, second in PAIRS:
            if second in body:
                _vllm.check_inputs(body, report, second)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import vllm_score as _this

    _face: Format = _this
