"""Infinity (michaelfeil/infinity) rerank, `POST http://<host>:7997/rerank`: Cohere-like.

Reference: michaelfeil/infinity @ fcb951cb679d0de185bf254600d9b7d2cd3a263a:
`libs/infinity_emb/infinity_emb/fastapi_schemas/pymodels.py` (@ d614094c: `RerankInput`,
`_ReRankObject`, `ReRankResult`, `_Usage`), `libs/infinity_emb/infinity_emb/infinity_server.py`
(@ 18bfb975: the `/rerank` route, `response_model=ReRankResult`, the Bearer check, the
errors), `libs/infinity_emb/infinity_emb/fastapi_schemas/errors.py` (`OpenAIException`), and
the generated client `libs/client_infinity/infinity_client` (`RerankInput`, `ReRankResult`:
infinity-client 0.0.78 on PyPI); its server tests are the oracle of `top_n`
(`libs/infinity_emb/tests/end_to_end/test_torch_reranker.py` @ 0a80dff8:
`test_reranker_invalid_top_n` answers 422 to 0 and -1, `test_reranker_top_n` takes 8000 for
two documents and returns both). The route is `{url_prefix}/rerank`, with no prefix by default
(`--url-prefix /v1` serves `/v1/rerank`); the key is a Bearer token when the server has one.

Request

| wire field         | canonical                | notes                                             |
| ------------------ | ------------------------ | ------------------------------------------------- |
| `model`            | `model`                  | default `"default/not-specified"`: read as absent, kept for this format |
| `query`            | `query`                  | a string (whitespace stripped by the server)      |
| `documents[]`      | `documents`              | strings only, 1 to 2048 (`ITEMS_LIMIT`)           |
| `top_n`            | `top_n`                  | greater than 0 or `null` (all); 0 is a 422        |
| `return_documents` | `return_documents`       | default **false**: absent reads as `False`        |
| `raw_scores`       | `extensions["infinity"]` | default false (a sigmoid of the logits); true gives logits: a reporting loss elsewhere |
| anything else      | `extensions["infinity"]` | pydantic ignores unknown keys                     |
| —                  | `truncation`, `max_doc_length`, `return_embeddings` | losses when set        |

infinity-client sends every field it has a default for: `return_documents: false`,
`raw_scores: false`, `model: "default/not-specified"` (`RerankInput.to_dict`); none of them is
a loss (`DEFAULTS`). A `top_n` below 1 is written as it is, and refused by Infinity with a
422 (`Field(gt=0)`), as Jina and Cohere refuse it; `validate` reports it as an error.

Response

| wire field                  | canonical                  | notes                                  |
| --------------------------- | -------------------------- | -------------------------------------- |
| `object`                    | `extensions["infinity"]`   | always `"rerank"`; written so          |
| `results[].relevance_score`, `results[].index` | same    | a probability unless `raw_scores`      |
| `results[].document`        | `results[].document`       | a bare string (read as `{text}`), or `null` without `return_documents` |
| `model`                     | `model`                    | the served model's name                |
| `usage`                     | `usage`                    | `{prompt_tokens, total_tokens}`, equal |
| `id`, `created`             | `extensions["infinity"]`   | `infinity-<uuid4>` and a Unix time; not carried across |

FastAPI writes the whole response model, so Infinity sends `object`, `id`, `created` and
`"document": null` always. Written from other formats: `object: "rerank"`, `document` a
bare string or `null`, `model` from the request when the response has none (Infinity's
placeholder when the request named none: infinity-client requires `model`), `usage`
with `prompt_tokens` (an output count is a reporting loss); no `id` or `created` (a
converter makes up no ids and reads no clock; infinity-client takes both as optional).

Errors

| wire                                         | canonical  | notes                         |
| -------------------------------------------- | ---------- | ----------------------------- |
| `{"error": {message, type, param, code}}`    | `message`, `code` | `OpenAIException`: 400 (unknown model), 429 (overloaded), 500; `code` is the HTTP status, `type` and `param` are `null` |
| `{"detail": [{loc, msg, type, ...}]}`        | `details`  | FastAPI's 422 (`top_n: 0`, no documents, ...): read as Jina's legacy body, the same FastAPI shape |
| `{"detail": "Unauthorized"}`                 | `message`  | 401 from the Bearer check; read as Jina's too |

Written from other formats: a 401 as `{"detail"}`, a 422 with field details as FastAPI's
list (infinity-client parses it as `HTTPValidationError`), anything else (a 422 without
details too: its message would not survive FastAPI's list) as `{"error": {...}}` with the
status as `code`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    FieldError,
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
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    embedding_losses,
    extension_map,
    field_types,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    read_flag,
    results_to_canonical,
    write_flag,
)
from ._envelope import Body, envelope_body, envelope_to_canonical
from ._errors import answered, fold
from ._helpers import echo_text, prompt_count, strings_only, unsupported

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
    "Detail",
    "DetailError",
    "Error",
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
    "response_scale",
    "response_to_canonical",
]

NAME: Final = "infinity"
PROVIDER: Final = "Infinity"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "response_model",
        "token_usage",
        "usage_required",
        "reports_tokens",
    }
)

REQUIRES: Final = frozenset[str]()  # `model` defaults to the one served
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(
    method="POST", path="/rerank", max_documents=2048
)  # `--url-prefix` moves it; ITEMS_LIMIT max_length 2048

SCORE_SCALE: Final[ScoreScale] = "probability"  # a sigmoid of the logits unless raw_scores

PLACEHOLDER: Final = "default/not-specified"  # RerankInput.model's default

# RerankInput's defaults: what infinity-client sends for the fields a caller left alone.
DEFAULTS: Final[Mapping[str, object]] = {
    "return_documents": False,
    "raw_scores": False,
    "model": PLACEHOLDER,
}


class Request(Wire, frozen=True, kw_only=True):
    """An Infinity rerank request (`RerankInput`).

    Attributes:
        query: The search query.
        documents: The documents, as strings (1 to 2048).
        return_documents: Whether each result carries its document (default false).
        raw_scores: Whether scores are the model's logits rather than their sigmoid.
        model: The served model to use (default `"default/not-specified"`: the only one).
        top_n: How many results to return: greater than 0, or null for all.
    """

    query: str
    documents: tuple[str, ...]
    return_documents: bool | UnsetType = UNSET
    raw_scores: bool | UnsetType = UNSET
    model: str | UnsetType = UNSET
    top_n: int | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of an Infinity rerank response (`_ReRankObject`).

    Attributes:
        relevance_score: A probability, or a logit with `raw_scores`.
        index: The document's position in the request's `documents`.
        document: The document with `return_documents`, else null.
    """

    relevance_score: float
    index: Annotated[int, Meta(ge=0)]
    document: str | UnsetType | None = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """An Infinity rerank response (`ReRankResult`).

    Attributes:
        object: Always `"rerank"`.
        results: The ranked documents, by descending relevance score, cut to `top_n`.
        model: The served model's name.
        usage: `{prompt_tokens, total_tokens}`, both the tokens read.
        id: `infinity-<uuid4>`.
        created: The Unix time of the answer.
    """

    object: str | UnsetType = UNSET
    results: tuple[Result, ...]
    model: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    id: str | UnsetType = UNSET
    created: int | UnsetType = UNSET


REQUEST: Final = Codec[Request](
    format=NAME, kind="request", fast=Request, general=Request, struct=Request
)
RESPONSE: Final = Codec[Response](
    format=NAME,
    kind="response",
    fast=Response,
    general=Response,
    struct=Response,
    nested=("results", Result),
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def response_scale(request: RerankRequest | None) -> ScoreScale:
    """The scale of the scores that answer `request`: logits when it asked `raw_scores`."""
    own = None if request is None else own_extension(request.extensions, NAME)
    return "logit" if kept(own, "raw_scores") is True else SCORE_SCALE


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this infinity field (and what that changes), or None when nothing
    is lost (nulls and `DEFAULTS` never get here)."""
    if key == "raw_scores":
        return f"{target} has no `raw_scores`: the scores stay on its own scale", "reporting"
    return None  # the placeholder model, and the response's object, id and created


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    placeholder = wire.model == PLACEHOLDER  # "not specified": absent, spelled for this format
    fields = kept_fields(
        left, model=wire.model if placeholder else UNSET, raw_scores=wire.raw_scores
    )
    defaulted: set[str] = set()
    return_documents = read_flag(
        wire.return_documents,
        "return_documents",
        default=False,
        coerce=bool,
        fields=fields,
        defaulted=defaulted,
    )
    return RerankRequest(
        model=UNSET if placeholder else wire.model,
        query=wire.query,
        documents=wire.documents,
        top_n=wire.top_n,
        return_documents=return_documents,
        extensions=extension_map(NAME, fields, defaulted),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    query, documents = strings_only(request, sink)
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    return Request(
        query=query,
        documents=documents,
        return_documents=write_flag(
            request.return_documents, "return_documents", default=False, coerce=bool, own=own
        ),
        raw_scores=kept(own, "raw_scores"),
        model=kept(own, "model") if request.model is UNSET else request.model,
        top_n=request.top_n,  # 0 is written: Infinity answers 422, as Jina and Cohere do
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, object=wire.object, id=wire.id, created=wire.created)
    results = results_to_canonical(wire.results, left, images=False)
    if str in field_types(results, "document"):  # Infinity's text, as the other formats echo it
        results = tuple(
            [
                msgspec.structs.replace(r, document=TextDocument(text=r.document))
                if type(r.document) is str
                else r
                for r in results
            ]
        )
    return RerankResponse(
        results=results,
        model=wire.model,
        usage=wire.usage,
        extensions=extension_map(NAME, fields, results=kept_results(left, wire.results)),
    )


def _usage(usage: Usage | UnsetType | None, sink: Sink) -> Usage | UnsetType | None:
    if not isinstance(usage, Usage):
        return usage
    made = usage.completion_tokens
    if made not in (UNSET, 0):
        sink("$.usage.completion_tokens", "infinity reports no output tokens", "reporting")
    if usage.prompt_tokens is not UNSET and made is UNSET:
        return usage
    return Usage(total_tokens=usage.total_tokens, prompt_tokens=prompt_count(usage, sink))


def _document(document: Document | UnsetType | None, position: int, sink: Sink) -> Any:
    if document is UNSET or document is None or type(document) is str:
        return document
    if isinstance(document, TextDocument):
        return document.text
    # None (a reporting loss) for an image, or an object without a text
    return echo_text(document, f"$.results[{position}].document", sink)


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink)
    model = response.model
    if model is UNSET and request is not None:
        model = kept(own_extension(request.extensions, NAME), "model")
    results = tuple(
        [
            Result(
                relevance_score=r.relevance_score,
                index=r.index,
                # FastAPI writes `_ReRankObject.document` as null when it has none
                document=None
                if r.document is UNSET and own is None
                else _document(r.document, position, sink),
            )
            for position, r in enumerate(response.results)
        ]
    )
    return Response(
        object="rerank" if own is None else kept(own, "object"),
        results=results,
        model=model,
        usage=_usage(response.usage, sink),
        id=kept(own, "id"),
        created=kept(own, "created"),
    )


# -- errors: `OpenAIException`'s `{"error"}`, FastAPI's `{"detail"}` -----------------------------

STATUSES: Final = frozenset({400, 401, 422, 429, 500})
STATUS_MAP: Final[Mapping[int, int]] = {}


class Detail(Wire, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """One item of FastAPI's 422 `detail` list (pydantic 2).

    Attributes:
        loc: Where, as a list of keys and indices (`["body", "top_n"]`).
        msg: What is wrong.
        type: The pydantic error type.
        input: The offending value.
        ctx: pydantic's error context.
        url: pydantic's documentation link for the error type.
    """

    type: str | UnsetType = UNSET
    loc: list[str | int]
    msg: str
    input: object = UNSET
    ctx: object = UNSET
    url: str | UnsetType = UNSET


class Error(Wire, frozen=True, kw_only=True):
    """An Infinity server error (`OpenAIException.json()`).

    Attributes:
        error: `message`, `type` and `param` (null) and `code` (the HTTP status).
    """

    error: Body


class DetailError(Wire, frozen=True, kw_only=True):
    """FastAPI's error body, which Infinity answers for a 422 and from its Bearer check (401).
    Written by this format; read as Jina's legacy body, the same FastAPI shape.

    Attributes:
        detail: The 401's message, or the 422's field errors.
    """

    detail: str | list[Detail]


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return envelope_to_canonical(NAME, wire.error, dict(left.fields), status)


def _read(detail: list[Detail]) -> tuple[FieldError, ...]:
    return tuple(
        FieldError(
            field=".".join(str(part) for part in d.loc), message=d.msg, type=d.type, input=d.input
        )
        for d in detail
    )


def _details(error: RerankError) -> list[Detail]:
    return [
        Detail(
            type="value_error" if d.type is UNSET else d.type,
            loc=[int(part) if part.isdigit() else part for part in d.field.split(".")],
            msg=d.message,
            input=d.input,
        )
        for d in error.details
    ]


def error_from_canonical(error: RerankError) -> Error | DetailError:
    status = answered(error.status, STATUSES, STATUS_MAP)  # `code` is the status answered
    if own_extension(error.extensions, NAME) is not None:  # an Infinity server error
        return Error(error=envelope_body(NAME, error, code=status))
    # FastAPI's 422 as it was read (by Jina's codec, the same shape), while it says the same
    raw = kept(own_extension(error.extensions, "jina"), "detail")
    if status == 422 and isinstance(raw, list):
        legacy = msgspec.convert(raw, list[Detail])
        if (error.message, error.details) == ("Validation error", _read(legacy)):
            return DetailError(detail=legacy)
    if status == 422 and error.details:
        return DetailError(detail=_details(error))
    if status == 401:
        return DetailError(detail=fold(error.message, error.details))
    return Error(error=envelope_body(NAME, error, code=status))


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Infinity answers every error in JSON."""
    return None


# -- validation (what Infinity's `RerankInput` refuses) ----------------------------------------

# pydantic's default `extra="ignore"`: unknown keys are dropped
UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}

_MAX_CHARACTERS: Final = 8192 * 15  # INPUT_STRING's max_length


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Infinity would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")  # min_length 1
        _checks.check_top_n(body, report, REQUEST, below_one="error")  # gt=0
        documents = _checks.documents(body, REQUEST)
        if len(documents) > ENDPOINT.max_documents:  # type: ignore[operator]
            report(
                "$.documents",
                "too_many_documents",
                f"Infinity takes at most {ENDPOINT.max_documents} documents",
                "error",
            )
        for i, text in enumerate([body.get("query"), *documents]):
            if isinstance(text, str) and len(text) > _MAX_CHARACTERS:
                path = "$.query" if i == 0 else f"$.documents[{i - 1}]"
                report(path, "too_long", f"over {_MAX_CHARACTERS:,} characters", "error")
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import infinity as _this

    _face: Format = _this
