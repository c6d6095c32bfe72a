"""Pinecone Inference rerank, `POST https://api.pinecone.io/rerank`.

Reference: pinecone-io/pinecone-api `2025-10/inference_2025-10.oas.yaml` @ 504a990e
(`RerankRequest`, `RerankResult`, `RankedDocument`, `Document`, `ErrorResponse`; the
excerpt is `fixtures/specs/pinecone-rerank-2025-10.openapi.json`), the docs page
https://docs.pinecone.io/reference/api/2025-10/inference/rerank, and the pinecone SDK
10.2.0 (PyPI): `pinecone/client/inference.py` `Inference.rerank` (a string document is
sent as `{"text": ...}`, `rank_fields` and `return_documents` always sent, `top_n` and
`parameters` when given) and `pinecone/models/inference/rerank.py` (`RerankResult` requires
`model`, `data` and `usage.rerank_units`; `RankedDocument.document` is an object or null).
The SDK sends `X-Pinecone-Api-Version: 2026-07` (`pinecone/_internal/constants.py`), whose
rerank schemas are the same (`2026-07/inference_2026-07.oas.yaml` @ 70a7509d); the proxy
asks a Pinecone upstream for `2025-10`, the version this module was written against.

Request

| wire field         | canonical                 | notes                                        |
| ------------------ | ------------------------- | -------------------------------------------- |
| `model`            | `model`                   | required                                     |
| `query`            | `query`                   | a string                                     |
| `documents[]`      | `documents`               | objects only: `{text}` is a text document, any other object of strings an `ObjectDocument` |
| `top_n`            | `top_n`                   | absent means all                             |
| `return_documents` | `return_documents`        | default **true**, like Jina's                |
| `rank_fields`      | `extensions["pinecone"]`  | default `["text"]`; others are a ranking loss elsewhere |
| `parameters`       | `extensions["pinecone"]`  | model-specific (`{"truncate": "END"}`); a ranking loss elsewhere |
| —                  | `truncation`, `max_doc_length`, `return_embeddings` | losses when set  |

Written from other formats: a string document as `{"text": s}` (ranked on the default
`rank_fields`, `["text"]`), `return_documents` explicit. An image is a loss (sent as
`{"text": url}`), as is an object without a `text` when there are no `rank_fields`
(flattened to `key: value` lines, as for Cohere v1). A document value that is not a string is refused: the canonical model
holds objects of strings.

Response

| wire field           | canonical                 | notes                                      |
| -------------------- | ------------------------- | ------------------------------------------ |
| `model`              | `model`                   | required by the SDK; the docs' example has none |
| `data[].index`       | `results[].index`         |                                            |
| `data[].score`       | `results[].relevance_score` | "normalized between 0 and 1"             |
| `data[].document`    | `results[].document`      | the original object: `{text}` or an `ObjectDocument` |
| `usage.rerank_units` | `extensions["pinecone"]`  | billing units, not tokens: the canonical usage is unknown |

Written in the context of a request (an answer to a client), `model` (from the request
when the upstream gave none) and `usage` are always written, since the SDK fails without
them: rerank units nobody reported are written as 0, a reporting loss. A usage in tokens
cannot be expressed (a reporting loss).

Errors

| wire field      | canonical  | notes                                                      |
| --------------- | ---------- | ---------------------------------------------------------- |
| `error.code`    | `code`     | `INVALID_ARGUMENT`, `UNAUTHENTICATED`, ... (written from the status when none is known) |
| `error.message` | `message`  | field-level details are folded into it                     |
| `error.details` | `extensions["pinecone"]` | kept for writing back                        |
| `status`        | `status`   | when no HTTP status is known                               |

Unverified: the batch limit is per model (`ModelInfo.max_batch_size`; 100 in the spec's
example rerank model and for bge-reranker-v2-m3), and `ENDPOINT.max_documents` says 100;
what a document value that is not a string does (2024-10 took strings only, 2025-10 says
`additionalProperties: true`); the statuses beyond 400, 401 and 500 that the rerank path
documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    ImageDocument,
    ObjectDocument,
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
    document_for_loss,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    read_flag,
    text_of,
    to_document,
    to_documents,
    write_flag,
)
from ._errors import fold, status_class
from ._helpers import plain_texts, texts_of, unsupported

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
    "ErrorDetail",
    "Request",
    "RerankUsage",
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

NAME: Final = "pinecone"
PROVIDER: Final = "Pinecone"

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "object_echo",
        "response_model",
    }
)
REQUIRES: Final = frozenset({"model"})
ENDPOINT: Final = Endpoint(
    method="POST",
    path="/rerank",
    auth_header="Api-Key",  # securitySchemes.ApiKeyAuth: the bare key in `Api-Key`
    auth_scheme="",
    headers={"X-Pinecone-Api-Version": "2025-10"},  # "Required date-based version header"
    max_documents=100,  # bge-reranker-v2-m3's max_batch_size (docs; per model, unverified)
)
SCORE_SCALE: Final[ScoreScale] = "probability"  # RankedDocument.score: "between 0 and 1"

DEFAULTS: Final[Mapping[str, object]] = {"return_documents": True, "rank_fields": ["text"]}

WireDocument = dict[str, str]


class Request(Wire, frozen=True, kw_only=True):
    """A Pinecone rerank request.

    Attributes:
        model: The reranking model, such as `bge-reranker-v2-m3`.
        query: The query.
        documents: The documents: objects, ranked on their `rank_fields`.
        top_n: How many results to return; absent means all.
        return_documents: Whether each result carries its document (default true).
        rank_fields: The fields to rank on (default `["text"]`; how many a model takes
            is model-specific).
        parameters: Model-specific parameters, such as `{"truncate": "END"}`.
    """

    model: str
    query: str
    documents: tuple[WireDocument, ...]
    top_n: int | UnsetType = UNSET
    return_documents: bool | UnsetType = UNSET
    rank_fields: list[str] | UnsetType = UNSET
    parameters: dict[str, object] | UnsetType = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One ranked document.

    Attributes:
        index: The document's position in the request's `documents`.
        score: The relevance, between 0 and 1.
        document: The document as sent, when `return_documents` was true.
    """

    index: Annotated[int, Meta(ge=0)]
    score: float
    document: WireDocument | UnsetType | None = UNSET


class RerankUsage(Wire, frozen=True, kw_only=True):
    """The response's usage.

    Attributes:
        rerank_units: The rerank units billed for the request (not tokens).
    """

    rerank_units: Annotated[int, Meta(ge=0)]


class Response(Wire, frozen=True, kw_only=True):
    """A Pinecone rerank response (`RerankResult`).

    Attributes:
        model: The model that ranked the documents.
        data: The ranked documents, by descending score.
        usage: The rerank units consumed.
    """

    model: str | UnsetType = UNSET
    data: tuple[Result, ...]
    usage: RerankUsage | UnsetType = UNSET


REQUEST: Final = Codec[Request](
    format=NAME, kind="request", fast=Request, general=Request, struct=Request
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
    """Why `target` loses this Pinecone field, or None when nothing of meaning is lost."""
    if key == "rank_fields":
        return f"pinecone ranks on these document fields; {target} ranks one text", "ranking"
    if key == "parameters":
        return f"pinecone's model parameters have no {target} equivalent", "ranking"
    return None  # the usage in rerank units: billing, not a count of tokens


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(left, rank_fields=wire.rank_fields, parameters=wire.parameters)
    defaulted: set[str] = set()
    return RerankRequest(
        model=wire.model,
        query=wire.query,
        documents=to_documents(wire.documents, images=False),
        top_n=wire.top_n,
        return_documents=read_flag(
            wire.return_documents,
            "return_documents",
            default=True,
            coerce=bool,
            fields=fields,
            defaulted=defaulted,
        ),
        extensions=extension_map(NAME, fields, defaulted),
    )


def _document_out(
    document: Document, path: str, sink: Sink, rank_fields: object = UNSET
) -> WireDocument:
    if type(document) is str:
        return {"text": document}
    if isinstance(document, TextDocument):
        return {"text": document.text}
    if isinstance(document, ObjectDocument):
        if "text" in document.fields or isinstance(rank_fields, list):
            return dict(document.fields)
        # ranked on `text` (the default rank_fields), which it has not: flattened, as Cohere v1
        sink(path, f"pinecone needs a `text` (or rank_fields) in {document_for_loss(document)}")
        return {"text": text_of(document)[0]}
    if isinstance(document, ImageDocument):
        sink(path, f"pinecone takes text documents, not {document_for_loss(document)}")
        return {"text": document.image}
    raise TypeError(type(document).__name__)


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"pinecone takes a text query, not {document_for_loss(request.query)}")
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    rank_fields = kept(own, "rank_fields")
    return Request(
        model=cast(str, request.model),  # UNSET is left out: a loss (REQUIRES)
        query=query,
        documents=tuple(
            [{"text": text} for text in texts]  # the usual documents: no call per document
            if (texts := texts_of(request.documents)) is not None
            else [
                _document_out(d, f"$.documents[{i}]", sink, rank_fields)
                for i, d in enumerate(request.documents)
            ]
        ),
        top_n=UNSET if request.top_n is None else request.top_n,
        return_documents=write_flag(
            request.return_documents, "return_documents", default=True, coerce=bool, own=own
        ),
        rank_fields=rank_fields,
        parameters=kept(own, "parameters"),
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    usage = UNSET if wire.usage is UNSET else msgspec.to_builtins(wire.usage)
    fields = kept_fields(left, usage=usage)
    return RerankResponse(
        results=tuple(
            [
                RerankResult(
                    index=r.index,
                    relevance_score=r.score,
                    document=TextDocument(text=d["text"])  # the usual document, with no call
                    if type(d := r.document) is dict and len(d) == 1 and "text" in d
                    else to_document(d, images=False)
                    if isinstance(d, dict)
                    else d,
                )
                for r in wire.data
            ]
        ),
        model=wire.model,
        extensions=extension_map(NAME, fields, results=kept_results(left, wire.data)),
    )


def _echo(document: Document | UnsetType | None, path: str, sink: Sink) -> Any:
    if document is UNSET or document is None:
        return UNSET  # a null says no document; `RankedDocument.document` is an object
    if isinstance(document, ImageDocument):
        sink(path, "pinecone cannot echo an image document", "reporting")
        return UNSET
    if isinstance(document, ObjectDocument):
        return dict(document.fields)  # echoed whole, whatever it was ranked on
    return _document_out(document, path, sink)


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink, RESPONSE.results_at)
    kept_usage = kept(own, "usage")
    usage = UNSET if kept_usage is UNSET else msgspec.convert(kept_usage, RerankUsage)
    if isinstance(response.usage, Usage):
        sink("$.usage", "pinecone reports rerank units, not tokens", "reporting")
    if usage is UNSET and request is not None:
        # An answer to a client: pinecone 10.2.0's RerankResult requires
        # `usage.rerank_units`, unknown here, so it is written as 0.
        sink("$.usage.rerank_units", "the rerank units are unknown; written as 0", "reporting")
        usage = RerankUsage(rerank_units=0)
    texts = plain_texts(response.results)
    return Response(
        model=response.model,
        data=tuple(
            [  # the usual results: their texts found with no call per result
                Result(
                    index=r.index,
                    score=r.relevance_score,
                    document=UNSET if t is None or t is UNSET else {"text": t},
                )
                for r, t in zip(response.results, texts, strict=True)
            ]
            if texts is not None
            else [
                Result(
                    index=r.index,
                    score=r.relevance_score,
                    document=_echo(r.document, f"$.data[{i}].document", sink),
                )
                for i, r in enumerate(response.results)
            ]
        ),
        usage=usage,
    )


# -- errors: `{error: {code, message, details?}, status}` ---------------------------------------


class ErrorDetail(Wire, frozen=True, kw_only=True):
    """The `error` object of an error body.

    Attributes:
        code: A gRPC-style code: `INVALID_ARGUMENT`, `UNAUTHENTICATED`, `NOT_FOUND`, ...
        message: The message.
        details: More about the error (not always present).
    """

    code: str
    message: str
    details: object = UNSET


class Error(Wire, frozen=True, kw_only=True):
    """A Pinecone error body (`ErrorResponse`).

    Attributes:
        error: The code and message.
        status: The HTTP status.
    """

    error: ErrorDetail
    status: int | UnsetType = UNSET


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 403, 404, 429, 500, 503})
STATUS_MAP: Final[Mapping[int, int]] = {402: 403}
UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}

# The codes of `ErrorResponse.error.code` (2025-10) that answer each status.
_STATUS_CODE: Final = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "UNKNOWN",
    503: "UNAVAILABLE",
}


# `ErrorResponse.error.code`'s values (2025-10): another provider's code is not written.
_CODES: Final = frozenset(
    {
        "OK", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "QUOTA_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "UNAUTHENTICATED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "FORBIDDEN",
    }
)  # fmt: skip


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    fields = kept_fields(left, details=wire.error.details)
    if status is None:
        status = wire.status if wire.status is not UNSET else 500
    return RerankError(
        status=status,
        message=wire.error.message,
        code=wire.error.code,
        extensions=extension_map(NAME, fields),
    )


def error_from_canonical(error: RerankError) -> Error:
    status = error.status  # the body's status is the one answered (as `map_status` maps it)
    if status not in STATUSES:
        status = STATUS_MAP.get(status) or status_class(status)
    own = own_extension(error.extensions, NAME)
    return Error(
        error=ErrorDetail(
            code=error.code if error.code in _CODES else _STATUS_CODE[status],
            message=fold(error.message, error.details),
            details=kept(own, "details"),
        ),
        status=status,
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Pinecone answers errors in JSON."""
    return None


def check(kind: str, body: Any, report: _checks.Report) -> None:
    """Report what Pinecone would refuse (errors) or do surprisingly (warnings)."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")
        _checks.check_top_n(body, report, REQUEST, below_one="error")  # the SDK: top_n >= 1
        rank_fields = body.get("rank_fields", ["text"])
        for i, document in enumerate(_checks.documents(body, REQUEST)):
            # a string is the decoder's `wrong_type` already
            if (
                isinstance(document, Mapping)
                and isinstance(rank_fields, list)
                and not any(f in document for f in rank_fields)
            ):
                report(
                    f"$.documents[{i}]",
                    "missing_field",
                    "the document has none of the rank_fields",
                    "error",
                )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)
        for key in ("model", "usage"):  # pinecone 10.2.0's RerankResult requires both
            if key not in body:
                # a warning: Pinecone's own docs example has no `model`
                report(
                    f"$.{key}",
                    "missing_field",
                    f"Pinecone's schema and the pinecone SDK require `{key}`",
                    "warning",
                )


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import pinecone as _this

    _face: Format = _this
