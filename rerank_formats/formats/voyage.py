"""Voyage AI rerank, `POST https://api.voyageai.com/v1/rerank`: `top_k`, `data`, strings.

Reference: the Voyage OpenAPI spec (voyage-ai/typescript-sdk `.mock/openapi/openapi.yml` @
07343737664927e388f1cba6ed4ceb3b2f6c3162, `/rerank`) and docs.voyageai.com/reference/
reranker-api; the client is the `voyageai` SDK 0.5.0 as published on PyPI
(voyage-ai/voyageai-python; a survey read the same files at 452bbac0): `client.py`
`rerank(query, documents, model, top_k=None, truncation=True)` sends `top_k` and `truncation` always (a `null`
`top_k` when unset) and never `return_documents`; `object/reranking.py` reads `data[]`
(`index`, `relevance_score`) and `usage.total_tokens`, and takes each document from its own
request by `index`; `api_resources/api_requestor.py` reads an error's `detail`. MongoDB
Atlas serves the same body at `https://ai.mongodb.com/v1/rerank` (the SDK's base URL for
`al-` keys, `util.py`).

Request

| wire field         | canonical          | notes                                          |
| ------------------ | ------------------ | ---------------------------------------------- |
| `model`            | `model`            | required (`rerank-2.5`, `rerank-2.5-lite`, ...) |
| `query`            | `query`            | a string                                       |
| `documents[]`      | `documents`        | strings only, at most 1,000                    |
| `top_k`            | `top_n`            | `null` (what the SDK sends when unset) or absent: all; another format's `null` is written absent |
| `return_documents` | `return_documents` | default **false**: absent reads as `False`     |
| `truncation`       | `truncation`       | default true (what the SDK sends): no loss for other formats |
| anything else      | —                  | not sent: Voyage answers 400 to an unknown key |
| —                  | `max_doc_length`, `return_embeddings` | losses when set              |

Image documents and queries are losses (their URL is sent), as is an object without a
`text` (flattened to `key: value` lines); an object with one is sent as its text.

Response

| wire field               | canonical            | notes                                   |
| ------------------------ | -------------------- | --------------------------------------- |
| `object`                 | `object`             | `"list"`                                |
| `data[].index`           | `results[].index`    |                                         |
| `data[].relevance_score` | `results[].relevance_score` | no range promised               |
| `data[].document`        | `results[].document` | a bare string, only with `return_documents` |
| `model`                  | `model`              |                                         |
| `usage.total_tokens`     | `usage`              | one count: a split usage is a reporting loss |

Every Voyage response reports `usage` and the SDK reads `usage.total_tokens`, so an unknown
usage (a Cohere upstream's) follows the `usage=` choice of a Jina client: `"zero"` is the
one the SDK reads; with `"null"` or `"omit"` it fails with an `AttributeError`.
An image or an object without a `text` cannot be echoed (a reporting loss).

Errors

`{"detail": "..."}` for every status (field-level details folded into the message). The SDK
raises its own exception per status: 400 `InvalidRequestError`, 401 `AuthenticationError`,
422 `MalformedRequestError`, 429 `RateLimitError`, any other 4xx `APIError` (all with the
`detail`); 500 `ServerError` and 502 to 504 `ServiceUnavailableError`, with a fixed message
(the body is kept in the exception's `http_body`). Statuses: 400, 401, 403, 422, 429, 500,
502, 503, 504.

Voyage refuses an unknown key (`400 {"detail": "... Argument 'top_n' is not supported by our
API"}`) and an empty document (`"Input cannot contain empty strings or empty lists"`), both
seen live (diegosouzapw/OmniRoute #7809, 2026-07-19): an unknown key is not sent (a loss),
and `check` reports both.

Unverified: the exact document limit per model (1,000 documents, with per-model token caps,
in the reference).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

from msgspec import UNSET, Meta, UnsetType

from ..canonical import Document, RerankError, RerankRequest, RerankResponse, Usage
from ..errors import LossKind, number
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
    read_flag,
    results_to_canonical,
    write_flag,
)
from ._helpers import (
    DetailError,
    detail_from_canonical,
    detail_to_canonical,
    echo_text,
    plain_texts,
    single_count,
    strings_only,
    unsupported,
)

__all__ = [
    "DEFAULTS",
    "ENDPOINT",
    "ERROR",
    "KEEPS_UNKNOWN",
    "MAX_DOCUMENTS",
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

NAME: Final = "voyage"
PROVIDER: Final = "Voyage AI"

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "truncation",
        "response_documents",
        "response_model",
        "token_usage",
        "usage_required",
    }
)

REQUIRES: Final = frozenset({"model"})  # the reference marks `model` required
"""The canonical request fields this format cannot do without (a loss when absent)."""

MAX_DOCUMENTS: Final = 1000  # the reference: "The number of documents cannot exceed 1000"

ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank", max_documents=MAX_DOCUMENTS)

SCORE_SCALE: Final[ScoreScale] = "unknown"  # the reference promises no range

# The reference's defaults: `return_documents` false, `truncation` true (the SDK always sends
# `truncation`, true unless told otherwise), `top_k` null (all).
DEFAULTS: Final[Mapping[str, object]] = {"return_documents": False, "truncation": True}


class Request(Wire, frozen=True, kw_only=True):
    """A Voyage AI rerank request.

    Attributes:
        model: The reranker, such as `rerank-2.5`.
        query: The search query.
        documents: The documents to rank: strings, at most 1,000.
        top_k: How many results to return; null or absent means all.
        return_documents: Whether each result carries its document (default false).
        truncation: Whether over-long inputs are truncated (default true) or refused.
    """

    model: str
    query: str
    documents: tuple[str, ...]
    top_k: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncation: bool | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of a Voyage AI rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Higher is more relevant.
        document: The document, a bare string, when `return_documents` was true.
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: str | UnsetType | None = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A Voyage AI rerank response.

    Attributes:
        object: Always `"list"`.
        data: The ranked documents, by descending relevance score.
        model: The reranker that ranked them.
        usage: The tokens used (the SDK reads `usage.total_tokens`).
    """

    object: str | UnsetType = UNSET
    data: tuple[Result, ...]
    model: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keys={"top_n": "top_k"},
    # Voyage answers 400 "Argument 'top_n' is not supported by our API" to an unknown key
    # (diegosouzapw/OmniRoute #7809, a live call of 2026-07-19)
    keep_unknown=False,
)
RESPONSE: Final = Codec[Response](
    format=NAME,
    kind="response",
    fast=Response,
    general=Response,
    struct=Response,
    nested=("data", Result),
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Every Voyage field is canonical: none of them lives in an extension."""
    return None


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    # a null `top_k` (what the SDK sends when unset) is kept as spelled: the published schema
    # says integer, so other formats' nulls are written as absent
    fields = kept_fields(left, top_k=None if wire.top_k is None else UNSET)
    defaulted = set[str]()
    return_documents = read_flag(
        wire.return_documents,
        "return_documents",
        default=False,
        coerce=bool,
        fields=fields,
        defaulted=defaulted,
    )
    return RerankRequest(
        model=wire.model,
        query=wire.query,
        documents=wire.documents,
        top_n=wire.top_k,
        return_documents=return_documents,
        truncation=wire.truncation,
        extensions=extension_map(
            NAME,
            fields,
            defaulted,
            # the SDK sends `truncation: true` on every call: Voyage's default, no request
            at_default=("truncation",) if wire.truncation is True else (),
        ),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    query, documents = strings_only(request, sink)
    unsupported(request, sink, "max_doc_length", "return_embeddings")
    own = own_extension(request.extensions, NAME)
    return Request(
        model=cast(str, request.model),  # UNSET is left out: a loss (REQUIRES)
        query=query,
        documents=documents,
        top_k=kept(own, "top_k") if request.top_n is None else request.top_n,
        return_documents=write_flag(
            request.return_documents,
            "return_documents",
            default=False,
            coerce=bool,
            own=own,
        ),
        truncation=request.truncation,
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    return RerankResponse(
        results=results_to_canonical(wire.data, left, images=False),
        model=wire.model,
        object=wire.object,
        usage=wire.usage,
        extensions=extension_map(NAME, dict(left.fields), results=kept_results(left, wire.data)),
    )


def _echo(
    document: Document | UnsetType | None, position: int, sink: Sink
) -> str | UnsetType | None:
    if document is UNSET or document is None or type(document) is str:
        return document
    text = echo_text(document, f"$.data[{position}].document", sink)
    return UNSET if text is None else text


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    embedding_losses(response.results, sink)
    texts = plain_texts(response.results)
    data = tuple(
        [  # the usual results: their texts found with no call per result
            Result(index=r.index, relevance_score=r.relevance_score, document=t)
            for r, t in zip(response.results, texts, strict=True)
        ]
        if texts is not None
        else [
            Result(
                index=r.index,
                relevance_score=r.relevance_score,
                document=_echo(r.document, position, sink),
            )
            for position, r in enumerate(response.results)
        ]
    )
    usage = response.usage
    count = single_count(usage, sink)
    return Response(
        object=response.object,
        data=data,
        model=response.model,
        usage=usage if count is None else Usage(total_tokens=count),
    )


# -- errors: `{"detail": "..."}` (api_requestor.py reads `resp["detail"]`) ------------------------


class Error(DetailError, frozen=True, kw_only=True):
    """A Voyage AI error body, `{"detail": "..."}` (the shared FastAPI-style body).

    Attributes:
        detail: The message.
    """


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 403, 422, 429, 500, 502, 503, 504})
STATUS_MAP: Final[Mapping[int, int]] = {}


def error_from_canonical(error: RerankError) -> Error:
    return Error(detail=detail_from_canonical(error).detail)


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return detail_to_canonical(NAME, wire, left, status)


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Voyage answers every error in JSON."""
    return None


# -- validation (what Voyage's API does with a payload) ----------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "error",  # OmniRoute #7809
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, Any], report: _checks.Report) -> None:
    """Report what Voyage would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")
        _checks.check_top_n(body, report, REQUEST, below_one="error")
        documents = _checks.documents(body, REQUEST)
        for i, document in enumerate(documents):
            if document == "":  # "Input cannot contain empty strings" (OmniRoute #7809)
                report(
                    f"$.documents[{i}]",
                    "invalid_value",
                    "Voyage refuses an empty document",
                    "error",
                )
        count = len(documents)
        if count > MAX_DOCUMENTS:
            report(
                "$.documents",
                "too_many_documents",
                f"{number(count)} documents; Voyage takes at most {number(MAX_DOCUMENTS)}",
                "error",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import voyage as _this

    _face: Format = _this
