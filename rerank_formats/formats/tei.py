"""Hugging Face text-embeddings-inference (TEI), `POST http://<host>:8080/rerank`: a bare array.

Reference: huggingface/text-embeddings-inference @
0d124dc9773be6ac5a9a57d8439aba9bbbf33273 (2026-07-24): `router/src/http/types.rs`
(`RerankRequest`, `Rank`, `TruncationDirection`; last changed in 106d25f), the `rerank`
handler, the routes and the status table in `router/src/http/server.rs` (d026d1e),
`ErrorType` and the response headers in `router/src/lib.rs` (30507cb), the defaults of
`router/src/main.rs` (`--max-client-batch-size 32`, `--auto-truncate true`) and the
activation in `core/src/infer.rs` (f84a80a); the published schema is `docs/openapi.json`
(info.version 1.9.3, excerpt in fixtures/specs). llama.cpp's server speaks this dialect
too, on its own `/rerank` (see the llama_cpp format): this format, at llama.cpp's base URL.

Request

| wire field             | canonical           | notes                                      |
| ---------------------- | ------------------- | ------------------------------------------ |
| `query`                | `query`             | a string                                   |
| `texts[]`              | `documents`         | strings only: `{text}` is written as its text |
| `return_text`          | `return_documents`  | default false; `null` is refused (a `bool`) |
| `truncate`             | `truncation`        | `null` or absent: the server's `--auto-truncate` (true) |
| `truncation_direction` | `extensions["tei"]` | `Left`/`Right` (or lower case); `Left` is a ranking loss for other formats |
| `raw_scores`           | `extensions["tei"]` | default false: a sigmoid (softmax for several labels); true: logits, a reporting loss for others |
| `model`                | `model`             | not TEI's: sent by rerankers and litellm, ignored by the server; written back by this format only |
| `top_n`                | `extensions["tei"]` | not TEI's: sent by rerankers and litellm, ignored by the server (every text is scored and returned); no loss |
| anything else          | `extensions["tei"]` | ignored by the server (no `deny_unknown_fields`) |
| —                      | `top_n`, `model`    | reporting losses: TEI returns every text and serves one model; the response in the request's context is cut to `top_n` |
| —                      | `max_doc_length`, `return_embeddings` | losses when set          |

A request holds at most 32 texts unless the server was started with another
`--max-client-batch-size` (`ENDPOINT.max_documents`): more are refused with 422
`Validation`, not the 413 the OpenAPI document lists.

Response

| wire field       | canonical              | notes                                           |
| ---------------- | ---------------------- | ----------------------------------------------- |
| `[]`             | `results`              | a bare JSON array, sorted by descending score   |
| `[].index`       | `results[].index`      |                                                 |
| `[].score`       | `results[].relevance_score` | probabilities unless `raw_scores` (`response_scale`) |
| `[].text`        | `results[].document`   | a string, present only with `return_text`; read as `{"text": ...}` |
| `x-compute-tokens` header | `usage.total_tokens` | read with `headers=`; not in the body, so writing usage is a reporting loss |

TEI writes `index`, then `text`, then `score` (the field order of `Rank`), and so does
this format. Equal scores come out in reverse index order (an ascending stable sort,
then reversed): TEI's own test expects the later of two identical texts first.

Errors

| wire field   | canonical | notes                                                        |
| ------------ | --------- | ------------------------------------------------------------ |
| `error`      | `message` | field-level details are folded into it when written          |
| `error_type` | `code`    | `Empty` 400, `Validation` 422, `Tokenizer` 422, `Overloaded` 429, `Backend` 424, `Unhealthy` 503 |
| text/plain   | `message` | axum's own refusals: `Failed to parse the request body as JSON: ...` (400), `Failed to deserialize the JSON body into the target type: ...` (422) |

The server writes `error_type` as the Rust variant name (`"Empty"`, PascalCase), as the
OpenAPI schema's enum says; the OpenAPI *examples* show lower case (`"empty"`), which is
read, written back as it was, and reported by `validate`. Written from other formats, the
type is the canonical code when it is a TEI type, else `Overloaded` for 429, `Unhealthy`
for 503, `Backend` for 424 and any 5xx, and `Validation` for other client errors. A wrong
API key is answered 401 with an empty body. Statuses: 400, 401, 413 (a body over
`--payload-limit`), 422, 424, 429, 500, 503.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Final, Literal

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
    check_unset,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    read_flag,
    write_flag,
)
from ._errors import fold, status_class
from ._helpers import echo_text, plain_texts, strings_only, unsupported

__all__ = [
    "DEFAULTS",
    "ENDPOINT",
    "ERROR",
    "ERROR_TYPES",
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
    "Request",
    "Result",
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
    "usage_from_headers",
]

NAME: Final = "tei"
PROVIDER: Final = "TEI"  # for messages about what it does

SUPPORTS: Final = frozenset({"return_documents", "truncation", "response_documents"})

REQUIRES: Final = frozenset[str]()  # the server serves the one model it was started with
"""The canonical request fields this format cannot do without (a loss when absent)."""

# server.rs: `/rerank`; for a reranker model, every build without the `google` feature also
# binds `POST /` and `POST /invocations` (the SageMaker route) to the same handler. The API
# key (`--api-key`) is compared with the whole `Authorization` header, `Bearer <key>`.
ENDPOINT: Final = Endpoint(
    method="POST", path="/rerank", aliases=("/", "/invocations"), max_documents=32
)

SCORE_SCALE: Final[ScoreScale] = "probability"  # infer.rs: a sigmoid (softmax) unless raw_scores

# types.rs `RerankRequest`: what the server assumes when a key is absent.
DEFAULTS: Final[Mapping[str, object]] = {
    "return_text": False,
    "raw_scores": False,
    "truncation_direction": "Right",
}

Direction = Literal["Left", "Right", "left", "right"]  # serde aliases of TruncationDirection


class Request(Wire, frozen=True, kw_only=True):
    """A TEI rerank request.

    Attributes:
        query: The query.
        texts: The texts to rank (at most `--max-client-batch-size`, 32 by default).
        truncate: Whether to truncate texts longer than the model's limit; null or
            absent means the server's `--auto-truncate` (true since 1.7).
        truncation_direction: Which end is cut: `Right` (the default) or `Left`.
        raw_scores: Return the model's logits instead of its sigmoid (softmax).
        return_text: Return each text with its score (default false).
        model: Not TEI's: sent by rerankers and litellm, ignored by the server.
        top_n: Not TEI's: sent by rerankers and litellm, ignored by the server.
    """

    query: str
    texts: tuple[str, ...]
    truncate: bool | UnsetType | None = UNSET
    truncation_direction: Direction | UnsetType = UNSET
    raw_scores: bool | UnsetType = UNSET  # a Rust `bool`: null is refused (422)
    return_text: bool | UnsetType = UNSET
    model: str | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One rank of a TEI rerank response.

    Attributes:
        index: The text's position in the request's `texts`.
        text: The text, with `return_text`.
        score: The score: a probability, or a logit with `raw_scores`.
    """

    index: Annotated[int, Meta(ge=0)]
    text: str | UnsetType = UNSET  # before `score`, as `Rank` serialises it
    score: float


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keys={"documents": "texts"},
)
RESPONSE: Final = Codec[tuple[Result, ...]](
    format=NAME,
    kind="response",
    fast=tuple[Result, ...],
    general=tuple[Result, ...],
    struct=Result,
    nested=("", Result),
    keys={"relevance_score": "score", "document": "text"},
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this tei field (and what that changes), or None when nothing is
    lost (nulls and `DEFAULTS` never get here)."""
    if key == "raw_scores" and value is True:
        return f"{target} returns its own scores, not TEI's raw logits (`raw_scores`)", "reporting"
    if key == "truncation_direction" and value in ("Left", "left"):
        return f"{target} cannot cut long texts at their start (`truncation_direction`)", "ranking"
    return None  # `right`; `model` (canonical) and `top_n`, which TEI ignores


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        truncation_direction=wire.truncation_direction,
        raw_scores=wire.raw_scores,
        top_n=wire.top_n,
        model=wire.model,  # also kept: written back to TEI only, which ignores it
    )
    defaulted: set[str] = set()
    return RerankRequest(
        model=UNSET if wire.model is None else wire.model,
        query=wire.query,
        documents=wire.texts,
        return_documents=read_flag(
            wire.return_text,
            "return_text",
            field="return_documents",
            default=False,
            coerce=bool,
            fields=fields,
            defaulted=defaulted,
        ),
        truncation=wire.truncate,
        extensions=extension_map(NAME, fields, defaulted),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    query, texts = strings_only(request, sink)
    unsupported(request, sink, "max_doc_length", "return_embeddings")
    model: str | UnsetType | None = UNSET
    if own is not None and "model" in own.fields:  # a TEI client's own, which TEI ignores
        model = kept(own, "model") if request.model is UNSET else request.model
    else:
        reason = "tei serves the one model it was started with"
        check_unset(sink, request, "model", reason, "reporting")
    if own is None or kept(own, "top_n") != request.top_n:
        reason = "tei returns every text: cut them in the request's context"
        check_unset(sink, request, "top_n", reason, "reporting")
    truncation = request.truncation
    return Request(
        query=query,
        texts=texts,
        truncate=truncation,
        truncation_direction=kept(own, "truncation_direction"),
        raw_scores=kept(own, "raw_scores"),
        return_text=write_flag(
            request.return_documents,
            "return_text",
            field="return_documents",
            default=False,
            coerce=bool,
            own=own,
        ),
        model=model,
        top_n=kept(own, "top_n"),
    )


def response_scale(request: RerankRequest | None) -> ScoreScale:
    """The scale of the scores answering `request`: logits when it asked `raw_scores`."""
    own = None if request is None else own_extension(request.extensions, NAME)
    return "logit" if kept(own, "raw_scores") is True else SCORE_SCALE


def usage_from_headers(headers: Mapping[str, str]) -> Usage | None:
    """The usage TEI reports in its `x-compute-tokens` header (the query and text tokens of
    every pair, lib.rs `ResponseMetadata`), or None without one."""
    tokens = headers.get("x-compute-tokens", "").strip()
    if not tokens.isascii() or not tokens.isdigit() or len(tokens) > 18:
        return None
    return Usage(total_tokens=int(tokens))


def response_to_canonical(wire: tuple[Result, ...], left: Leftovers) -> RerankResponse:
    return RerankResponse(
        results=tuple(
            [
                RerankResult(
                    index=r.index,
                    relevance_score=r.score,
                    document=UNSET if r.text is UNSET else TextDocument(text=r.text),
                )
                for r in wire
            ]
        ),
        extensions=extension_map(NAME, dict(left.fields), results=kept_results(left, wire)),
    )


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> tuple[Result, ...]:
    embedding_losses(response.results, sink)
    if isinstance(response.usage, Usage):
        sink("$.usage", "tei reports usage in its x-compute-tokens header", "reporting")
    texts = plain_texts(response.results)
    if texts is not None:  # the usual results: no call per result
        return tuple(
            [
                Result(index=r.index, text=UNSET if t is None else t, score=r.relevance_score)
                for r, t in zip(response.results, texts, strict=True)
            ]
        )
    results = []
    for position, r in enumerate(response.results):
        text: str | None = None
        if r.document is not UNSET and r.document is not None:
            text = (
                r.document
                if type(r.document) is str
                else echo_text(r.document, f"$[{position}].text", sink)
            )
        results.append(
            Result(index=r.index, text=UNSET if text is None else text, score=r.relevance_score)
        )
    return tuple(results)


# -- errors ------------------------------------------------------------------------------------

STATUSES: Final = frozenset({400, 401, 413, 422, 424, 429, 500, 503})
STATUS_MAP: Final[Mapping[int, int]] = {}

ERROR_TYPES: Final[Mapping[str, int]] = {
    "Empty": 400,
    "Validation": 422,
    "Tokenizer": 422,
    "Overloaded": 429,
    "Backend": 424,
    "Unhealthy": 503,
}
"""TEI's `ErrorType`s and the status each is answered with (server.rs `From<&ErrorType>`)."""

_BY_LOWER: Final = {name.lower(): status for name, status in ERROR_TYPES.items()}


class Error(Wire, frozen=True, kw_only=True):
    """A TEI error body (`ErrorResponse`).

    Attributes:
        error: The message.
        error_type: The `ErrorType`: `Empty`, `Validation`, `Tokenizer`, `Overloaded`,
            `Backend` or `Unhealthy` (the OpenAPI examples write them in lower case).
    """

    error: str
    error_type: str


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    if status is None:
        status = _BY_LOWER.get(wire.error_type.lower(), 500)
    return RerankError(
        status=status,
        message=wire.error,
        code=wire.error_type,
        extensions=extension_map(NAME, dict(left.fields)),
    )


def _error_type(status: int) -> str:
    if status == 429:
        return "Overloaded"
    if status == 503:
        return "Unhealthy"
    return "Backend" if status == 424 or status_class(status) == 500 else "Validation"


def error_from_canonical(error: RerankError) -> Error:
    code = error.code
    known = isinstance(code, str) and code.lower() in _BY_LOWER
    return Error(
        error=fold(error.message, error.details),
        error_type=code if isinstance(code, str) and known else _error_type(error.status),
    )


# axum's `JsonRejection` bodies (text/plain): the handler never sees such a request.
_REJECTIONS: Final = (
    (re.compile(r"^Failed to parse the request body as JSON: .*", re.DOTALL), 400),
    (re.compile(r"^Failed to deserialize the JSON body into the target type: .*", re.DOTALL), 422),
    (re.compile(r"^Expected request with `Content-Type: application/json`$"), 415),
    (re.compile(r"^Failed to buffer the request body: .*", re.DOTALL), 413),
)


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """axum's plain-text refusals of a body that is not JSON, or not a `RerankRequest`."""
    stripped = text.strip()
    for pattern, default in _REJECTIONS:
        if pattern.match(stripped):
            return RerankError(status=default if status is None else status, message=stripped)
    return None


# -- validation (what TEI does with a payload) -------------------------------------------------

# serde ignores unknown keys (no `deny_unknown_fields` on RerankRequest): nothing is refused,
# but a key TEI does not read does nothing (a Jina client's `documents` or `top_n`).
UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what TEI would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")  # 400 Empty
        texts = body.get("texts")
        limit = ENDPOINT.max_documents or 0
        if isinstance(texts, list) and len(texts) > limit:
            report(
                "$.texts",
                "too_many_documents",
                f"{len(texts)} texts; TEI takes {limit} unless started with a larger"
                " --max-client-batch-size (else 422 Validation)",
                "warning",
            )
        for key in ("top_n", "model"):
            if key in body:
                report(f"$.{key}", "ignored_field", f"TEI ignores `{key}`", "warning")
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)
        if isinstance(body, list) and not body:
            report(
                "$",
                "empty_results",
                "TEI never answers an empty list: it refuses an empty `texts` (400 Empty)",
                "error",
            )
    elif kind == "error":
        kind_ = body.get("error_type")
        if isinstance(kind_, str) and kind_ not in ERROR_TYPES:
            known = kind_.lower() in _BY_LOWER
            report(
                "$.error_type",
                "invalid_value",
                "TEI writes its error types in PascalCase (`Empty`); the OpenAPI examples'"
                " lower case is not what the server sends"
                if known
                else "not one of TEI's error types",
                "warning",
            )


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import tei as _this

    _face: Format = _this
