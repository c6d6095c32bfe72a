"""Jina AI rerank, `POST https://api.jina.ai/v1/rerank`: the canonical format.

Reference: https://api.jina.ai/openapi.json (2026.04, `TextRerankerRequest`,
`RerankerM0Request`, `RerankerV3Request`, `RerankingResponse`) and the legacy 0.1.x spec
(`RankAPIInput`, `RankingOutput`). The canonical model is this format, so every canonical
field maps to itself; what differs is which shapes are read and written.

Request

| wire field          | canonical           | notes                                                   |
| ------------------- | ------------------- | ------------------------------------------------------- |
| `model`             | `model`             | required                                                |
| `query`             | `query`             | a string; legacy `{text}` / image objects are kept      |
| `documents[]`       | `documents`         | string, `{text}`, `{image}` (m0), legacy objects        |
| `top_n`             | `top_n`             | `null` kept                                             |
| `return_documents`  | `return_documents`  | absent means true                                       |
| `truncation`        | `truncation`        |                                                         |
| `max_doc_length`    | `max_doc_length`    | v3 only                                                 |
| `return_embeddings` | `return_embeddings` | v3 only                                                 |
| anything else       | `extensions["jina"]`| written back by this format only                        |

Written: a document object needs a `text` (or to be a lone `{image}`); one without is
flattened to `key: value` lines, a loss. A missing `model` is a loss (Jina requires it), as
is a `max_doc_length` outside 1-8192 (Cohere v2's `max_tokens_per_doc` has no maximum); it is
written clamped.

Response

| wire field             | canonical            | notes                                             |
| ---------------------- | -------------------- | ------------------------------------------------- |
| `model`                | `model`              | filled from the request when absent               |
| `object`               | `object`             | `"list"` since late 2025                          |
| `usage`                | `usage`              | `total_tokens`; legacy `prompt_tokens`; new-api's `completion_tokens` |
| `results[].index`      | `results[].index`    |                                                   |
| `results[].relevance_score` | `results[].relevance_score` |                                         |
| `results[].document`   | `results[].document` | `{text}` (legacy), bare string (late 2025), `{image}`, `null` |
| `results[].embedding`  | `results[].embedding`| v3 with `return_embeddings`                       |

Documents filled from a request are written as `{"text": ...}`, the shape the Jina-format
docs of gateways show; a bare string read from the wire is written back as one.

Errors

| wire field            | canonical            | notes                                           |
| --------------------- | -------------------- | ----------------------------------------------- |
| `detail` (a string)   | `message`            |                                                 |
| `detail` (a list)     | `details`            | legacy FastAPI 422 `[{loc, msg, type}]`, kept for writing back |
| `code`                | `code`               | e.g. `AUTH_INVALID_API_KEY`; gives the status when none is known |
| `request_id`          | `request_id`         |                                                 |
| `errors[]`            | `details`            | the current 422 `{field, message, type, input}` |

Statuses: 400, 401, 403, 404, 409, 422, 429, 500, 503, 504. Jina has no 402: an exhausted
balance is 403 (`AUTHZ_INSUFFICIENT_BALANCE`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Final, Generic, TypeVar, cast

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    FieldError,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    TextDocument,
    Usage,
)
from ..errors import LossKind
from . import _checks
from ._base import (
    Codec,
    Endpoint,
    FastDocument,
    GeneralDocument,
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    WireDocument,
    canonical_documents,
    document_for_loss,
    document_types,
    extension_map,
    field_types,
    keeps_unknown,
    kept,
    kept_results,
    own_extension,
    results_to_canonical,
    text_of,
    to_document,
)

__all__ = [
    "DEFAULTS",
    "ENDPOINT",
    "ERROR",
    "KEEPS_UNKNOWN",
    "MAX_DOC_LENGTH",
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
    "ErrorItem",
    "LegacyDetail",
    "Request",
    "Response",
    "Result",
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

NAME: Final = "jina"
PROVIDER: Final = "Jina"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "truncation",
        "max_doc_length",
        "return_embeddings",
        "image_documents",
        "object_query",
        "response_documents",
        "response_model",
        "image_echo",
        "object_echo",
        "embeddings",
        "token_usage",
        "usage_required",
        "usage_split",
        "reports_tokens",
    }
)

REQUIRES: Final = frozenset({"model"})  # Jina answers 422 without one
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank")

SCORE_SCALE: Final[ScoreScale] = (
    "unknown"  # "higher is more relevant"; no range promised (api.jina.ai openapi)
)


# Jina's fields are the canonical ones, none lives in an extension, and a Jina payload decodes
# to the canonical object exactly, with nothing recorded: no defaults to declare.
DEFAULTS: Final[Mapping[str, object]] = {}

D = TypeVar("D")
OutDocument = str | TextDocument | ImageDocument | dict[str, str]


class Request(Wire, Generic[D], frozen=True, kw_only=True):
    """A Jina rerank request (current and legacy fields).

    Attributes:
        model: The reranking model, such as `jina-reranker-v2-base-multilingual`; it selects
            the request schema (only `jina-reranker-m0` takes images, only
            `jina-reranker-v3` reads `max_doc_length` and `return_embeddings`).
        query: The search query: a string (legacy Jina also took a `{text}` or image object).
        documents: The documents to rank: strings, `{"text": ...}` objects, or (m0)
            `{"image": url or base64}` objects.
        top_n: How many results to return; null or absent means all.
        return_documents: Whether each result carries its document (default true).
        truncation: Whether to truncate documents longer than the model's limit.
        max_doc_length: jina-reranker-v3: tokens per document, 1 to 8192 (default 2048).
        return_embeddings: jina-reranker-v3: return each document's embedding.
    """

    model: str
    query: D
    documents: tuple[D, ...]
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncation: bool | UnsetType | None = UNSET
    max_doc_length: int | UnsetType = UNSET
    return_embeddings: bool | UnsetType | None = UNSET


class Result(Wire, Generic[D], frozen=True, kw_only=True):
    """One result of a Jina rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Higher is more relevant; no range is promised.
        document: The document, when `return_documents` was true: `{"text": ...}` (legacy),
            a bare string (late 2025), an image object, or null.
        embedding: jina-reranker-v3 with `return_embeddings`: the document's embedding.
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: D | UnsetType | None = UNSET
    embedding: list[float] | UnsetType | None = UNSET


class Response(Wire, Generic[D], frozen=True, kw_only=True):
    """A Jina rerank response (the legacy envelope and the late-2025 one with `object`).

    Attributes:
        model: The model that ranked the documents.
        object: Always `"list"`, since late 2025.
        usage: Token usage: `total_tokens` (legacy also `prompt_tokens`; OpenAI-style
            gateways add `completion_tokens`).
        results: The ranked documents, by descending relevance score.
    """

    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    results: tuple[Result[D], ...]


REQUEST: Final = Codec[Request[FastDocument]](
    format=NAME,
    kind="request",
    fast=Request[FastDocument],
    general=Request[GeneralDocument],
    struct=Request,
)
RESPONSE: Final = Codec[Response[FastDocument]](
    format=NAME,
    kind="response",
    fast=Response[FastDocument],
    general=Response[GeneralDocument],
    struct=Response,
    nested=("results", Result),
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Every Jina field is canonical, so none of them lives in an extension."""
    return None


def request_to_canonical(wire: Request[WireDocument], left: Leftovers) -> RerankRequest:
    return RerankRequest(
        model=wire.model,
        query=to_document(wire.query, images=True),
        documents=canonical_documents(wire.documents, left, images=True),
        top_n=wire.top_n,
        return_documents=wire.return_documents,
        truncation=wire.truncation,
        max_doc_length=wire.max_doc_length,
        return_embeddings=wire.return_embeddings,
        extensions=extension_map(NAME, left.fields),
    )


def _document_out(document: Document, path: str, sink: Sink) -> OutDocument:
    if isinstance(document, ObjectDocument):
        if "text" in document.fields:
            return dict(document.fields)
        sink(path, f"jina needs a `text` in document objects; got {document_for_loss(document)}")
        return text_of(document)[0]
    return document


MAX_DOC_LENGTH: Final = 8192  # RerankerV3Request: "Range: 1-8192"


def _max_doc_length(value: int | UnsetType, sink: Sink) -> int | UnsetType:
    if value is UNSET or 1 <= value <= MAX_DOC_LENGTH:
        return value
    sink("$.max_doc_length", f"jina takes 1 to {MAX_DOC_LENGTH} tokens per document, not {value}")
    return min(max(value, 1), MAX_DOC_LENGTH)


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request[OutDocument]:
    return Request(
        model=cast(str, request.model),  # UNSET is omitted; a loss (REQUIRES)
        query=_document_out(request.query, "$.query", sink),
        documents=cast("tuple[OutDocument, ...]", request.documents)
        if ObjectDocument not in document_types(request.documents)  # the others pass as they are
        else tuple(
            [_document_out(d, f"$.documents[{i}]", sink) for i, d in enumerate(request.documents)]
        ),
        top_n=request.top_n,
        return_documents=request.return_documents,
        truncation=request.truncation,
        max_doc_length=_max_doc_length(request.max_doc_length, sink),
        return_embeddings=request.return_embeddings,
    )


def response_to_canonical(wire: Response[WireDocument], left: Leftovers) -> RerankResponse:
    return RerankResponse(
        results=results_to_canonical(wire.results, left, images=True, embeddings=True),
        model=wire.model,
        object=wire.object,
        usage=wire.usage,
        extensions=extension_map(NAME, left.fields, results=kept_results(left, wire.results)),
    )


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response[OutDocument]:
    return Response(
        results=cast("tuple[Result[OutDocument], ...]", response.results)  # Jina's, but for objects
        if ObjectDocument not in field_types(response.results, "document")
        else tuple(
            [
                Result(
                    index=r.index,
                    relevance_score=r.relevance_score,
                    document=dict(r.document.fields)
                    if isinstance(r.document, ObjectDocument)
                    else r.document,
                    embedding=r.embedding,
                )
                for r in response.results
            ]
        ),
        model=response.model,
        object=response.object,
        usage=response.usage,
    )


# -- errors ------------------------------------------------------------------------------------

STATUSES: Final = frozenset({400, 401, 403, 404, 409, 422, 429, 500, 503, 504})
STATUS_MAP: Final = {402: 403}

# https://api.jina.ai/openapi.json, components.responses and the info table of error codes.
_CODE_STATUS: Final = {
    "INPUT_MODEL_NOT_FOUND": 400,
    "AUTH_MISSING_API_KEY": 401,
    "AUTH_INVALID_API_KEY": 401,
    "AUTH_INVALID_FORMAT": 401,
    "AUTHZ_INSUFFICIENT_BALANCE": 403,
    "AUTHZ_RESOURCE_LIMIT_EXCEEDED": 403,
    "RESOURCE_NOT_FOUND": 404,
    "RATE_REQUEST_LIMIT_EXCEEDED": 429,
    "RATE_TOKEN_LIMIT_EXCEEDED": 429,
    "RATE_CONCURRENCY_LIMIT_EXCEEDED": 429,
    "RATE_IP_LIMIT_EXCEEDED": 429,
    "INTERNAL_ERROR": 500,
    "SERVICE_UNAVAILABLE": 503,
    "SERVICE_TIMEOUT": 504,
}


class LegacyDetail(Wire, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """One item of FastAPI's 422 `detail` list (legacy Jina).

    Attributes:
        loc: Where, as a list of keys and indices (`["body", "query"]`).
        msg: What is wrong.
        type: The pydantic error type.
        input: The offending value.
        ctx: pydantic's error context.
        url: pydantic's documentation link for the error type.
    """

    loc: list[str | int]
    msg: str
    type: str | UnsetType = UNSET
    input: object = UNSET
    ctx: object = UNSET
    url: str | UnsetType = UNSET


class ErrorItem(Wire, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """One item of the current 422 `errors` list.

    Attributes:
        field: Where (`body.top_n`).
        message: What is wrong.
        type: The error type.
        input: The offending value.
    """

    field: str
    message: str
    type: str | UnsetType = UNSET
    input: object = UNSET


class Error(Wire, frozen=True, kw_only=True):
    """A Jina error body (`ErrorResponse`, `HTTPValidationError`, or legacy FastAPI).

    Attributes:
        detail: The message; legacy validation errors give a list of `{loc, msg, type}`.
        code: A machine-readable code such as `AUTH_INVALID_API_KEY`.
        request_id: Jina's id of the failed request, for support.
        errors: Field-level validation errors (current 422 bodies).
    """

    detail: str | list[LegacyDetail]
    code: str | UnsetType = UNSET
    request_id: str | UnsetType = UNSET
    errors: list[ErrorItem] | UnsetType = UNSET


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def _legacy(detail: list[LegacyDetail]) -> tuple[str, tuple[FieldError, ...]]:
    details = tuple(
        FieldError(
            field=".".join(str(part) for part in d.loc), message=d.msg, type=d.type, input=d.input
        )
        for d in detail
    )
    return "Validation error", details


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    fields = dict(left.fields)
    if isinstance(wire.detail, list):
        message, details = _legacy(wire.detail)
        fields["detail"] = msgspec.to_builtins(wire.detail)
    else:
        message = wire.detail
        details = tuple(
            FieldError(field=e.field, message=e.message, type=e.type, input=e.input)
            for e in (wire.errors or ())
        )
    if status is None:
        status = (
            _CODE_STATUS.get(wire.code, 422 if details else 500)
            if wire.code
            else (422 if details else 500)
        )
    return RerankError(
        status=status,
        message=message,
        code=wire.code,
        request_id=wire.request_id,
        details=details,
        extensions=extension_map(NAME, fields),
    )


def error_from_canonical(error: RerankError) -> Error:
    raw = kept(own_extension(error.extensions, NAME), "detail")
    if raw is not UNSET:
        legacy = msgspec.convert(raw, list[LegacyDetail])
        if _legacy(legacy) == (error.message, error.details):  # unchanged since it was read
            return Error(detail=legacy, code=error.code, request_id=error.request_id)
    return Error(
        detail=error.message,
        code=error.code,
        request_id=error.request_id,
        errors=[
            ErrorItem(field=d.field, message=d.message, type=d.type, input=d.input)
            for d in error.details
        ]
        or UNSET,
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Jina answers every error in JSON."""
    return None


# -- validation (what Jina's API does with a payload) -------------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}

_V3_ONLY: Final = ("max_doc_length", "return_embeddings")


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Jina would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _check_request(body, report)
    elif kind == "response":
        _check_response(body, report)


def _check_request(body: Mapping[str, object], report: _checks.Report) -> None:
    _checks.check_documents(body, report, REQUEST, empty="error")  # minItems: 1
    _checks.check_top_n(body, report, REQUEST, below_one="error")  # minimum: 1
    _checks.check_range(body, "max_doc_length", 1, MAX_DOC_LENGTH, report)
    model = body.get("model")
    for i, document in enumerate(_checks.documents(body, REQUEST)):
        if type(document) is str or not isinstance(document, Mapping):
            continue  # a string is the usual document: no ABC check for it
        if set(document) == {"image"}:
            if model != "jina-reranker-m0":
                report(
                    f"$.documents[{i}]",
                    "unsupported_document",
                    "only jina-reranker-m0 takes image documents",
                    "error",
                )
        elif "text" not in document:
            report(
                f"$.documents[{i}]",
                "invalid_value",
                "a document object needs a `text` (or, for jina-reranker-m0, an `image`)",
                "error",
            )
    for key in _V3_ONLY:
        if key in body and model != "jina-reranker-v3":
            report(
                f"$.{key}", "unsupported_field", f"only jina-reranker-v3 reads `{key}`", "warning"
            )
    if isinstance(body.get("query"), Mapping):
        report("$.query", "legacy_shape", "the current API takes a string query", "warning")


def _check_response(body: Mapping[str, object], report: _checks.Report) -> None:
    _checks.check_results(body, report, RESPONSE)
    for key in ("model", "usage"):  # jina-haystack's JinaRanker reads both
        if key not in body:
            report(f"$.{key}", "missing_field", f"Jina's schema requires `{key}`", "error")
    if "usage" in body and body["usage"] is None:
        report("$.usage", "invalid_value", "Jina sends usage; null says it is unknown", "warning")
    if "object" not in body:
        _checks.check_string_documents(
            body,
            report,
            RESPONSE,
            'a bare-string document comes with the late-2025 envelope, which has `object: "list"`',
            "warning",
        )


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import jina as _this

    _face: Format = _this
