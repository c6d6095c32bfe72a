"""llama.cpp server (`llama-server --reranking`), `POST http://<host>:8080/v1/rerank`: raw scores.

Reference: ggml-org/llama.cpp `tools/server/server.cpp` @
aa6192d38defc9a5d9fb2987413f71b18f214270 (the `post_rerank` handler, which reads `query`,
`documents` or else `texts`, and `top_n`; the routes `/rerank`, `/reranking`,
`/v1/rerank`, `/v1/reranking`, one handler; `ex_wrapper`, which answers any exception,
a malformed JSON body too, with a 500 `server_error`), `tools/server/server-common.cpp` @
006639c3ff51a3dbde5f52ebf4c5a55ad5306caf (`format_response_rerank`,
`format_error_response`; the handler later moved to `server-context.cpp`), and the
server's own tests, `tools/server/tests/unit/test_rerank.py` @
2f6903434e8d98d425ed0f960c3cd6e9ebd3651e.

The server speaks two dialects on each of those paths, chosen by the request: with a
`texts` key it is TEI's (a bare `[{index, score, text?}]`, `return_text` read), which is the
`tei` format at llama.cpp's base URL (its `/rerank`); with `documents` it is Jina's, this
format. The only difference of its TEI dialect is that it also honours `top_n`, which the
`tei` format never sends (the response is cut in the request's context instead).

Request

| wire field         | canonical                 | notes                                         |
| ------------------ | ------------------------- | --------------------------------------------- |
| `model`            | `model`                   | optional: echoed in the response, else the server's model name |
| `query`            | `query`                   | a string (else 400)                           |
| `documents[]`      | `documents`               | strings only, at least one (else 400)         |
| `top_n`            | `top_n`                   | absent or null: all; 0 gives no results       |
| `return_documents` | `extensions["llama_cpp"]` | sent by Jina clients, ignored: the server never echoes documents; no loss |
| anything else      | `extensions["llama_cpp"]` | ignored by the server                         |
| —                  | `return_documents`        | not written: the response path fills documents from the request |
| —                  | `truncation`, `max_doc_length`, `return_embeddings` | losses when set     |

Response

| wire field                  | canonical        | notes                                      |
| --------------------------- | ---------------- | ------------------------------------------ |
| `model`                     | `model`          | the request's, else the loaded model's name |
| `object`                    | `object`         | always `"list"`                            |
| `usage`                     | `usage`          | `{prompt_tokens, total_tokens}`, the two equal |
| `results[].index`           | same             |                                            |
| `results[].relevance_score` | same             | the rank head's raw output: a logit, often negative |
| —                           | `results[].document` | never sent; dropped, not a loss (echoes of the request) |

Written from other formats, `object` is `"list"` and a usage without `prompt_tokens` gets
them equal to `total_tokens`, as the server writes it.

Errors

| wire field      | canonical | notes                                                 |
| --------------- | --------- | ----------------------------------------------------- |
| `error.message` | `message` | field-level details are folded into it when written   |
| `error.type`    | `code`    | `invalid_request_error` 400, `authentication_error` 401, `permission_error` 403, `not_found_error` 404, `server_error` 500, `not_supported_error` 501 (a server started without `--reranking`), `unavailable_error` 503 (loading) |
| `error.code`    | —         | the HTTP status; gives the status when none is known  |

The body is `{"error": {"code", "message", "type"}}`, OpenAI's envelope with the HTTP
status as `code`; a body that is not JSON is a 500 `server_error` whose message is the
parser's. Statuses: 400, 401, 403, 404, 500, 501, 503; a 429 is written as 503 (the server has no
rate limit; 503 is its "try again later"), other client errors as 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Final

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import RerankError, RerankRequest, RerankResponse, RerankResult, Usage
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
)
from ._errors import fold, status_class
from ._helpers import strings_only, unsupported

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
    "Body",
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
    "response_to_canonical",
]

NAME: Final = "llama_cpp"
PROVIDER: Final = "llama.cpp"  # for messages about what it does

SUPPORTS: Final = frozenset({"model", "top_n", "response_model", "token_usage", "usage_required"})

REQUIRES: Final = frozenset[str]()  # `model` is optional: the server serves the loaded one
"""The canonical request fields this format cannot do without (a loss when absent)."""

# server.rs binds the same handler at /rerank, /reranking, /v1/rerank and /v1/reranking;
# `--api-key` is checked in `Authorization: Bearer <key>`.
ENDPOINT: Final = Endpoint(
    method="POST", path="/v1/rerank", aliases=("/v1/reranking", "/rerank", "/reranking")
)

SCORE_SCALE: Final[ScoreScale] = "logit"  # the rank head's output, no activation applied

# What llama.cpp assumes when a key is absent: `top_n` is every document (json_value's
# default), and a Jina client's `return_documents` changes nothing either way.
DEFAULTS: Final[Mapping[str, object]] = {}


class Request(Wire, frozen=True, kw_only=True):
    """A llama.cpp rerank request, Jina's dialect.

    Attributes:
        model: Echoed in the response (the server ranks with its loaded model).
        query: The query.
        documents: The documents, at least one.
        top_n: How many results to return; absent or null means all.
        return_documents: Sent by Jina clients; ignored (documents are never echoed).
    """

    model: str | UnsetType | None = UNSET
    query: str
    documents: tuple[str, ...]
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of a llama.cpp rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: The rank head's raw score (a logit).
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float


class Response(Wire, frozen=True, kw_only=True):
    """A llama.cpp rerank response.

    Attributes:
        model: The request's `model`, else the loaded model's name.
        object: Always `"list"`.
        usage: `prompt_tokens` and `total_tokens`, equal.
        results: By descending score, cut to `top_n`.
    """

    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    results: tuple[Result, ...]


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


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Nothing llama.cpp reads beyond the canonical fields: `return_documents` is ignored by
    the server, so another format loses nothing of it."""
    return None


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(left, return_documents=wire.return_documents)
    if wire.model is None:
        fields["model"] = None  # written back as it was, to this format only
    return RerankRequest(
        model=UNSET if wire.model is None else wire.model,
        query=wire.query,
        documents=wire.documents,
        top_n=wire.top_n,
        extensions=extension_map(NAME, fields),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    query, documents = strings_only(request, sink)
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    model: str | UnsetType | None = request.model
    if model is UNSET and own is not None and "model" in own.fields:
        model = None  # a llama.cpp client's own null
    return Request(
        model=model,
        query=query,
        documents=documents,
        top_n=request.top_n,
        return_documents=kept(own, "return_documents"),
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    return RerankResponse(
        results=tuple(
            [RerankResult(index=r.index, relevance_score=r.relevance_score) for r in wire.results]
        ),
        model=wire.model,
        object=wire.object,
        usage=wire.usage,
        extensions=extension_map(
            NAME,
            dict(left.fields),
            results=kept_results(left, wire.results),
            absent={"object"} if wire.object is UNSET else (),
        ),
    )


def _usage(usage: Usage | UnsetType | None, own: bool) -> Usage | UnsetType | None:
    if (
        isinstance(usage, Usage)
        and usage.prompt_tokens is UNSET
        and usage.completion_tokens in (UNSET, 0)
        and not own
    ):
        # format_response_rerank writes both counts, equal (a rerank generates nothing); a
        # usage that counts completion tokens keeps its own split
        return msgspec.structs.replace(usage, prompt_tokens=usage.total_tokens)
    return usage


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink)
    obj = response.object
    if obj is UNSET and not (own is not None and "object" in own.absent):
        obj = "list"
    return Response(
        model=response.model,
        object=obj,
        usage=_usage(response.usage, own is not None),
        results=tuple(
            [Result(index=r.index, relevance_score=r.relevance_score) for r in response.results]
        ),
    )


# -- errors ------------------------------------------------------------------------------------

STATUSES: Final = frozenset({400, 401, 403, 404, 500, 501, 503})
STATUS_MAP: Final[Mapping[int, int]] = {429: 503}

ERROR_TYPES: Final[Mapping[str, int]] = {
    "invalid_request_error": 400,
    "exceed_context_size_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "server_error": 500,
    "not_supported_error": 501,
    "unavailable_error": 503,
}
"""llama.cpp's error types and their statuses (server-common.cpp `format_error_response`)."""

_TYPE_OF: Final = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    501: "not_supported_error",
    503: "unavailable_error",
}


class Body(Wire, frozen=True, kw_only=True):
    """The `error` object.

    Attributes:
        code: The HTTP status.
        message: The message.
        type: The error type (`invalid_request_error`, ...).
    """

    code: int | UnsetType = UNSET
    message: str
    type: str | UnsetType = UNSET


class Error(Wire, frozen=True, kw_only=True):
    """A llama.cpp error body.

    Attributes:
        error: The error object.
    """

    error: Body


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def _status(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return value
    return None


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    body = wire.error
    kind = body.type or UNSET
    if status is None:
        status = _status(body.code) or ERROR_TYPES.get(kind or "", 500)
    spelled = {"code": body.code, "type": body.type}
    fields = {**left.fields, "error": {k: v for k, v in spelled.items() if v is not UNSET}}
    return RerankError(
        status=status, message=body.message, code=kind, extensions=extension_map(NAME, fields)
    )


def _answered(status: int) -> int:
    if status in STATUSES:
        return status
    return STATUS_MAP.get(status) or status_class(status)


def error_from_canonical(error: RerankError) -> Error:
    raw = kept(own_extension(error.extensions, NAME), "error")
    if isinstance(raw, dict) and not error.details and raw.get("type", UNSET) == error.code:
        return Error(  # unchanged since it was read
            error=Body(code=raw.get("code", UNSET), message=error.message, type=error.code)
        )
    status = _answered(error.status)
    code = error.code
    return Error(
        error=Body(
            code=status,
            message=fold(error.message, error.details),
            type=code
            if isinstance(code, str) and code in ERROR_TYPES
            else _TYPE_OF.get(status, "server_error"),
        )
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """llama.cpp answers every error in JSON."""
    return None


# -- validation (what llama.cpp does with a payload) -------------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what llama.cpp would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")  # 400
        top_n = body.get("top_n")
        if _checks.is_int(top_n) and top_n < 1:
            report(
                "$.top_n",
                "out_of_range",
                "a negative top_n fails the server (500)"
                if top_n < 0
                else "top_n 0 gives no results",
                "error" if top_n < 0 else "warning",
            )
        if "texts" in body:
            report(
                "$.texts",
                "other_dialect",
                "with `texts`, llama.cpp answers in TEI's shape (a bare array): read it as tei",
                "warning",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import llama_cpp as _this

    _face: Format = _this
