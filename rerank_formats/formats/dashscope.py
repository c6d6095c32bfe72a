"""Alibaba DashScope text rerank, `POST https://dashscope.aliyuncs.com/api/v1/services/rerank/text-rerank/text-rerank`.

Other regions have other hosts (`dashscope-intl.aliyuncs.com`; not checked).

Reference: dashscope/dashscope-sdk-python 2.0.2 (PyPI; repository @ c0d7a0b7): the request
is built by `dashscope/rerank/text_rerank.py` (`_build_rerank_request`: `input{query,
documents}`, `parameters{return_documents, top_n, instruct}` and any other keyword) and
`api_entities/api_request_data.py` (`{"model", "parameters", "input"}`, `parameters` always
sent, `{}` when empty); the response is read by `api_entities/dashscope_response.py`
(`ReRankResponse`, `ReRankOutput`, `ReRankResult`, `ReRankUsage.total_tokens`) and
`common/utils.py` (`_handle_http_stream_response`: `output`, `usage`, `request_id`;
`_handle_error_message`: `code`, `message` (or `msg`), `request_id`). The SDK's own mock
server (`tests/unit/test_rerank.py` @ b3f331b6) answers `usage.input_tokens`, the public
docs and the SDK type say `usage.total_tokens`: both are read. Limits (Model Studio docs,
text-rerank-api): 500 documents per request, 4,000 tokens per document.

The SDK sends the documents as strings; `qwen3-rerank` also reads `instruct`, a task
instruction that steers the ranking. The OpenAI-style `compatible-api/v1/reranks` endpoint
(flat `model, query, documents, top_n, instruct`) is not this format, and its response
shape is unverified.

Request

| wire field                     | canonical                  | notes                              |
| ------------------------------ | -------------------------- | ---------------------------------- |
| `model`                        | `model`                    | required (the SDK's `ModelRequired`) |
| `input.query`                  | `query`                    | a string                           |
| `input.documents[]`            | `documents`                | strings                            |
| `parameters.top_n`             | `top_n`                    | absent means all                   |
| `parameters.return_documents`  | `return_documents`         | default **false**: absent reads as `False` |
| `parameters.instruct`          | `extensions["dashscope"]`  | qwen3 only; a ranking loss elsewhere |
| `parameters` (absent, nulls)   | `extensions["dashscope"]`  | as spelled, for writing back       |
| —                              | `truncation`, `max_doc_length`, `return_embeddings` | losses when set |

Written from other formats: `parameters` always (as the SDK sends it), `return_documents`
explicit (Jina's default is true), an object's `text` for it (an image, or an object
without `text`, is a loss). An unknown key inside `parameters` is refused: the library
cannot carry it (the SDK puts any other keyword argument of `TextReRank.call` there; none is
documented).

Response

| wire field                      | canonical                  | notes                             |
| ------------------------------- | -------------------------- | --------------------------------- |
| `output.results[].index`        | `results[].index`          |                                   |
| `output.results[].relevance_score` | `results[].relevance_score` | no range is promised          |
| `output.results[].document`     | `results[].document`       | `{text}`, when asked              |
| `usage.total_tokens`            | `usage.total_tokens`       | else `usage.input_tokens` (the SDK's mock) |
| `request_id`                    | `extensions["dashscope"]`  | this exchange's id; not carried across |

No `model` in the response (a client knows its model).

Errors

| wire field   | canonical    | notes                                                    |
| ------------ | ------------ | -------------------------------------------------------- |
| `code`       | `code`       | a string: `InvalidParameter`, `InvalidApiKey`, ...        |
| `message`    | `message`    | field-level details are folded into it; the SDK also reads a `msg`, which no recorded body has and which is not read here |
| `request_id` | `request_id` |                                                          |

Statuses: 400, 401, 403, 404, 429, 500 (unverified beyond 400, from ApeRAG #1071, and the
SDK's handling of any non-200 status).

Unverified: the statuses above but 400; the hosts of other regions; the score range; the
response shape of the OpenAI-style `compatible-api/v1/reranks` endpoint, which this format
does not serve; Alibaba's own example response (only the SDK's mock and types were read).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    RerankError,
    RerankRequest,
    RerankResponse,
    RerankResult,
    TextDocument,
    Usage,
)
from ..errors import LossKind
from . import _checks
from ._base import (
    Codec,
    Endpoint,
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    write_flag,
)
from ._errors import fold
from ._helpers import echo_text, plain_texts, single_count, strings_only, unsupported

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
    "Error",
    "Input",
    "Output",
    "Parameters",
    "Request",
    "Response",
    "Result",
    "ResultDocument",
    "TokenUsage",
    "check",
    "error_from_canonical",
    "error_from_text",
    "error_to_canonical",
    "field_loss",
    "request_from_canonical",
    "request_to_canonical",
    "response_from_canonical",
    "response_to_canonical",
]

NAME: Final = "dashscope"
PROVIDER: Final = "Alibaba Cloud DashScope"

SUPPORTS: Final = frozenset(
    {"model", "top_n", "return_documents", "response_documents", "token_usage"}
)
REQUIRES: Final = frozenset({"model"})  # the SDK raises ModelRequired without one
ENDPOINT: Final = Endpoint(
    method="POST",
    path="/api/v1/services/rerank/text-rerank/text-rerank",
    max_documents=500,  # Model Studio text-rerank-api: "up to 500 documents"
)
SCORE_SCALE: Final[ScoreScale] = "unknown"  # no range documented

# `return_documents`: "system default is false" (text_rerank.py docstring).
DEFAULTS: Final[Mapping[str, object]] = {"return_documents": False}


class Input(Wire, frozen=True, kw_only=True):
    """The request's `input`.

    Attributes:
        query: The search query.
        documents: The documents to rank (at most 500).
    """

    query: str
    documents: tuple[str, ...]


class Parameters(Wire, frozen=True, kw_only=True):
    """The request's `parameters`.

    Attributes:
        return_documents: Whether each result carries its document (default false).
        top_n: How many results to return; absent means all.
        instruct: qwen3-rerank: a task instruction that steers the ranking.
    """

    return_documents: bool | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET
    instruct: str | UnsetType | None = UNSET


class Request(Wire, frozen=True, kw_only=True):
    """A DashScope text rerank request.

    Attributes:
        model: The model: `gte-rerank-v2`, `gte-rerank`, `qwen3-rerank`, ...
        input: The query and the documents.
        parameters: The options; the SDK always sends the object, `{}` when empty.
    """

    model: str
    input: Input
    parameters: Parameters | UnsetType = UNSET


class ResultDocument(Wire, frozen=True, kw_only=True):
    """An echoed document.

    Attributes:
        text: The document's text.
    """

    text: str


class Result(Wire, frozen=True, kw_only=True):
    """One result.

    Attributes:
        index: The document's position in `input.documents`.
        relevance_score: Higher is more relevant.
        document: The document, when `return_documents` was true.
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: ResultDocument | UnsetType | None = UNSET


class Output(Wire, frozen=True, kw_only=True):
    """The response's `output`.

    Attributes:
        results: The ranked documents, by descending relevance score.
    """

    results: tuple[Result, ...]


Count = Annotated[int, Meta(ge=0)]


class TokenUsage(Wire, frozen=True, kw_only=True):
    """The response's `usage`.

    Attributes:
        total_tokens: The tokens counted (the SDK's `ReRankUsage`).
        input_tokens: The same count, as the SDK's mock server names it.
    """

    total_tokens: Count | UnsetType = UNSET
    input_tokens: Count | UnsetType = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A DashScope text rerank response.

    Attributes:
        output: The results.
        usage: Token usage.
        request_id: DashScope's id of this request.
    """

    output: Output
    usage: TokenUsage | UnsetType = UNSET
    request_id: str | UnsetType = UNSET


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keys={"documents": "input.documents", "query": "input.query", "top_n": "parameters.top_n"},
)
RESPONSE: Final = Codec[Response](
    format=NAME,
    kind="response",
    fast=Response,
    general=Response,
    struct=Response,
    nested=("output.results", Result),
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this DashScope field, or None when nothing of meaning is lost."""
    if key == "parameters" and isinstance(value, dict) and value.get("instruct") is not None:
        return f"dashscope's instruct steers the ranking; {target} has no instruction", "ranking"
    return None  # the nulls of `parameters`, the request_id and the usage's key


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    options = Parameters() if wire.parameters is UNSET else wire.parameters
    fields = dict(left.fields)
    if options.instruct is not UNSET or None in (options.top_n, options.return_documents):
        # `parameters` as spelled: `instruct`, which only this format has, and nulls
        fields["parameters"] = msgspec.to_builtins(options)
    defaulted = {"return_documents"} if options.return_documents is UNSET else set()
    return RerankRequest(
        model=wire.model,
        query=wire.input.query,
        documents=wire.input.documents,
        top_n=options.top_n,
        return_documents=options.return_documents is True,  # absent or null: false
        extensions=extension_map(
            NAME, fields, defaulted, absent=("parameters",) if wire.parameters is UNSET else ()
        ),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    query, documents = strings_only(request, sink)
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    own = own_extension(request.extensions, NAME)
    spelled = kept(own, "parameters")
    spelled = spelled if isinstance(spelled, dict) else {}
    return_documents = write_flag(
        request.return_documents, "return_documents", default=False, coerce=bool, own=own
    )
    if return_documents is False and spelled.get("return_documents", False) is None:
        return_documents = None  # a null, read as false, written back as it was
    parameters = Parameters(
        return_documents=return_documents,
        top_n=spelled.get("top_n", UNSET) if request.top_n is None else request.top_n,
        instruct=spelled.get("instruct", UNSET),
    )
    # the SDK always sends `parameters`; a payload without it is written back without it
    absent = own is not None and "parameters" in own.absent and parameters == Parameters()
    return Request(
        model=cast(str, request.model),  # UNSET is left out: a loss (REQUIRES)
        input=Input(query=query, documents=documents),
        parameters=UNSET if absent else parameters,
    )


def _usage(usage: TokenUsage | UnsetType) -> Usage | UnsetType:
    if usage is UNSET:
        return UNSET
    total = usage.total_tokens if usage.total_tokens is not UNSET else usage.input_tokens
    return UNSET if total is UNSET else Usage(total_tokens=total)


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    results = wire.output.results
    usage = wire.usage
    spelled = usage is not UNSET and (
        usage.input_tokens is not UNSET or usage.total_tokens is UNSET
    )
    fields = kept_fields(
        left,
        request_id=wire.request_id,
        usage=msgspec.to_builtins(usage) if spelled else UNSET,  # as spelled (input_tokens)
    )
    return RerankResponse(
        results=tuple(
            [
                RerankResult(
                    index=r.index,
                    relevance_score=r.relevance_score,
                    document=TextDocument(text=r.document.text)
                    if isinstance(r.document, ResultDocument)
                    else r.document,
                )
                for r in results
            ]
        ),
        usage=_usage(usage),
        extensions=extension_map(NAME, fields, results=kept_results(left, results)),
    )


def _echo(result: RerankResult, position: int, sink: Sink) -> ResultDocument | UnsetType | None:
    document = result.document
    if document is UNSET or document is None:
        return document
    text = echo_text(document, f"$.output.results[{position}].document", sink)
    return UNSET if text is None else ResultDocument(text=text)


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink, RESPONSE.results_at)
    texts = plain_texts(response.results)
    results = tuple(
        [  # the usual results: their texts found with no call per result
            Result(
                index=r.index,
                relevance_score=r.relevance_score,
                document=t if t is UNSET or t is None else ResultDocument(text=t),
            )
            for r, t in zip(response.results, texts, strict=True)
        ]
        if texts is not None
        else [
            Result(
                index=r.index,
                relevance_score=r.relevance_score,
                document=_echo(r, position, sink),
            )
            for position, r in enumerate(response.results)
        ]
    )
    kept_usage = kept(own, "usage")
    spelled = UNSET if kept_usage is UNSET else msgspec.convert(kept_usage, TokenUsage)
    total = single_count(response.usage, sink)
    if spelled is not UNSET and _usage(spelled) == (
        UNSET if total is None else Usage(total_tokens=total)
    ):
        usage: TokenUsage | UnsetType = spelled
    else:
        usage = UNSET if total is None else TokenUsage(total_tokens=total)
    return Response(
        output=Output(results=results),
        usage=usage,
        request_id=kept(own, "request_id"),
    )


# -- errors: `{code, message, request_id}` ------------------------------------------------------


class Error(Wire, frozen=True, kw_only=True):
    """A DashScope error body.

    Attributes:
        code: A string code such as `InvalidParameter`.
        message: The message.
        request_id: DashScope's id of the failed request.
    """

    code: str | UnsetType = UNSET
    message: str
    request_id: str | UnsetType = UNSET


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 403, 404, 429, 500})
STATUS_MAP: Final[Mapping[int, int]] = {402: 403}
UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return RerankError(
        status=500 if status is None else status,
        message=wire.message,
        code=wire.code,
        request_id=wire.request_id,
        extensions=extension_map(NAME, dict(left.fields)),
    )


def error_from_canonical(error: RerankError) -> Error:
    return Error(
        code=error.code,
        message=fold(error.message, error.details),
        request_id=error.request_id,
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """DashScope answers errors in JSON."""
    return None


def check(kind: str, body: Any, report: _checks.Report) -> None:
    """Report what DashScope would refuse (errors) or do surprisingly (warnings)."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error", recommended=500)
        _checks.check_top_n(body, report, REQUEST, below_one="error")
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import dashscope as _this

    _face: Format = _this
