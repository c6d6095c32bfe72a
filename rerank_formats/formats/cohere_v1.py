"""Cohere Rerank v1, `POST https://api.cohere.com/v1/rerank`.

Reference: https://docs.cohere.com/v1/reference/rerank and cohere-ai/cohere-developer-experience
`cohere-openapi.yaml` (`/v1/rerank`, `ApiMeta`, `RerankDocument`); the fields are those of the
cohere SDK 7.3.1 (`cohere/raw_base_client.py` `rerank`), where every optional field may be
`null`: cohere-python 5.x sent `"rank_fields": null, "max_chunks_per_doc": null` for unset
ones, and Cohere answered 200 (langchain-cohere's VCR cassettes). A null reads as absent, is
written back by this format only, and is no loss elsewhere.

Request

| wire field           | canonical                        | notes                                          |
| -------------------- | -------------------------------- | ---------------------------------------------- |
| `model`              | `model`                          | optional in v1; a `null` is kept for this format |
| `query`              | `query`                          | a string                                       |
| `documents[]`        | `documents`                      | string, `{text}` or any object of strings      |
| `top_n`              | `top_n`                          | `null` (canonical) is written as absent        |
| `return_documents`   | `return_documents`               | default **false**: absent reads as `False`     |
| `rank_fields`        | `extensions["cohere_v1"]`        | a loss for other formats (unless `["text"]`, the default) |
| `max_chunks_per_doc` | `extensions["cohere_v1"]`        | a loss for other formats                       |
| —                    | `truncation`, `max_doc_length`, `return_embeddings` | losses when set                  |

Image documents and queries are losses (written as their URL), as is an object without a
`text` when there are no `rank_fields` (flattened to `key: value` lines). Unknown keys are not written:
Cohere answers 422 to any unknown field (HKUDS/LightRAG #1813).

Response

| wire field                  | canonical                   | notes                                  |
| --------------------------- | --------------------------- | -------------------------------------- |
| `id`                        | `extensions["cohere_v1"]`   | this exchange's id; not carried across |
| `meta`                      | `extensions["cohere_v1"]`   | kept whole; `tokens` (else `billed_units` token counts) map to `usage` |
| `results[].index`, `results[].relevance_score` | same     |                                        |
| `results[].document`        | `results[].document`        | `{text}` or the original object; absent unless asked |

Written from other formats: documents as `{text}` (or the original object), `meta.tokens`
from `usage`; `model` and `object` have no place (the client knows its model). An image
document cannot be echoed (a loss), nor an embedding.

Errors

`{message, id?}` for every status: `message` is the canonical `message` (field-level details
are folded into it), `id` the `request_id`. Statuses: 400, 401, 403, 404, 422, 429, 498
(deny-listed token), 499 (request cancelled), 500, 501, 503, 504; no 402 (written as 403).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Final, Generic, TypeVar

from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    TextDocument,
)
from ..errors import LossKind, excerpt, number
from . import _checks, _cohere
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
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    read_flag,
    results_to_canonical,
    reused,
    text_of,
    write_flag,
)
from ._helpers import unsupported

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

NAME: Final = "cohere_v1"
PROVIDER: Final = "Cohere"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "object_echo",
        "token_usage",
        "usage_split",
    }
)

REQUIRES: Final = frozenset[str]()  # `model` is optional in v1
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank")

SCORE_SCALE: Final[ScoreScale] = (
    "probability"  # "normalized to [0, 1]" (Cohere v1 rerank reference)
)


# What Cohere assumes when a key is absent (SDK 7.3.1 docstrings): a value sent at its default
# says nothing another format could lose. `max_chunks_per_doc` has none we can trust: the spec
# says 10, the best-practices page 1.
DEFAULTS: Final[Mapping[str, object]] = {"rank_fields": ["text"], "return_documents": False}

D = TypeVar("D")
OutDocument = str | TextDocument | dict[str, str]


class Request(Wire, Generic[D], frozen=True, kw_only=True):
    """A Cohere v1 rerank request.

    Attributes:
        model: The model, such as `rerank-v3.5`; optional in v1.
        query: The search query.
        documents: Strings, or objects of string fields (ranked on `text`, or on
            `rank_fields`); every field of an object is echoed back.
        top_n: How many results to return (at least 1); absent means all.
        rank_fields: For object documents: the fields to rank on, in order.
        return_documents: Whether each result carries its document (default false).
        max_chunks_per_doc: How many chunks a long document is split into (documents times
            chunks must stay under 10,000).
    """

    model: str | UnsetType | None = UNSET
    query: str
    documents: tuple[D, ...]
    top_n: int | UnsetType | None = UNSET
    rank_fields: list[str] | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    max_chunks_per_doc: int | UnsetType | None = UNSET


class Result(Wire, Generic[D], frozen=True, kw_only=True):
    """One result of a Cohere v1 rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Normalised to [0, 1].
        document: With `return_documents`: `{"text": ...}`, or the original object.
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: D | UnsetType | None = UNSET


class Response(Wire, Generic[D], frozen=True, kw_only=True):
    """A Cohere v1 rerank response.

    Attributes:
        id: This request's id (`Optional` in the SDK, so a null is read and kept).
        results: The ranked documents, by descending relevance score.
        meta: `ApiMeta`: `api_version`, `billed_units` (`search_units`, token counts),
            `tokens`, `cached_tokens`, `warnings`; a private deployment may send none.
    """

    id: str | UnsetType | None = UNSET
    results: tuple[Result[D], ...]
    meta: dict[str, object] | UnsetType | None = UNSET


REQUEST: Final = Codec[Request[FastDocument]](
    format=NAME,
    kind="request",
    fast=Request[FastDocument],
    general=Request[GeneralDocument],
    struct=Request,
    keep_unknown=False,  # Cohere answers 422 to an unknown key
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


def _false_when_null(value: object) -> bool:
    return bool(value)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this cohere_v1 field (and what that changes), or None when nothing
    is lost (nulls and `DEFAULTS` never get here)."""
    if key == "rank_fields":
        return (
            f"cohere_v1 ranks on these object fields; {target} ranks one text per document",
            "ranking",
        )
    if key == "max_chunks_per_doc":
        return f"cohere_v1's chunking limit has no {target} equivalent", "ranking"
    return None  # model and return_documents' spelling, and the response's id and meta


def request_to_canonical(wire: Request[WireDocument], left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        # nulls kept as spelled: Cohere reads them as absent, and only this format writes them
        model=None if wire.model is None else UNSET,
        top_n=None if wire.top_n is None else UNSET,
        rank_fields=wire.rank_fields,
        max_chunks_per_doc=wire.max_chunks_per_doc,
    )
    defaulted: set[str] = set()
    return_documents = read_flag(
        wire.return_documents,
        "return_documents",
        default=False,
        coerce=_false_when_null,
        fields=fields,
        defaulted=defaulted,
    )
    return RerankRequest(
        model=UNSET if wire.model is None else wire.model,
        query=wire.query,
        documents=canonical_documents(wire.documents, left, images=False),
        top_n=wire.top_n,
        return_documents=return_documents,
        extensions=extension_map(NAME, fields, defaulted),
    )


def _document_out(document: Document, path: str, sink: Sink, rank_fields: object) -> OutDocument:
    if isinstance(document, ObjectDocument):
        if "text" in document.fields or isinstance(rank_fields, list):
            return dict(document.fields)
        # Cohere ranks an object on its `text` unless `rank_fields` names others.
        sink(path, f"cohere_v1 needs a `text` (or rank_fields) in {document_for_loss(document)}")
        return text_of(document)[0]
    if isinstance(document, ImageDocument):
        sink(path, "cohere_v1 cannot rank images")
        return document.image
    return document


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request[OutDocument]:
    own = own_extension(request.extensions, NAME)
    rank_fields = kept(own, "rank_fields")
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"cohere_v1 takes a text query, not {document_for_loss(request.query)}")
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    return Request(
        model=kept(own, "model") if request.model is UNSET else request.model,
        query=query,
        documents=request.documents  # type: ignore[arg-type]  # str and TextDocument pass as they are
        if document_types(request.documents) <= {str, TextDocument}
        else tuple(
            [
                _document_out(d, f"$.documents[{i}]", sink, rank_fields)
                for i, d in enumerate(request.documents)
            ]
        ),
        top_n=kept(own, "top_n") if request.top_n is None else request.top_n,
        rank_fields=rank_fields,
        return_documents=write_flag(
            request.return_documents,
            "return_documents",
            default=False,
            coerce=_false_when_null,
            own=own,
        ),
        max_chunks_per_doc=kept(own, "max_chunks_per_doc"),
    )


def response_to_canonical(wire: Response[WireDocument], left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, id=wire.id, meta=wire.meta)
    extra = kept_results(left, wire.results)
    return RerankResponse(
        results=results_to_canonical(wire.results, left, images=False),
        usage=_cohere.usage_from_meta(wire.meta, format=NAME),
        extensions=extension_map(NAME, fields, results=extra),
    )


def _echo(document: Document | UnsetType | None, index: int, sink: Sink) -> OutDocument | UnsetType:
    if document is UNSET or document is None:
        return UNSET
    if type(document) is str:
        return TextDocument(text=document)
    if isinstance(document, ObjectDocument):
        return dict(document.fields)
    if isinstance(document, ImageDocument):
        sink(f"$.results[{index}].document", "cohere_v1 cannot echo an image document", "reporting")
        return UNSET
    return document


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response[OutDocument]:
    own = own_extension(response.extensions, NAME)
    results = reused(response.results, {UnsetType, TextDocument})  # None for an embedding
    if results is None:
        embedding_losses(response.results, sink)
        results = tuple(
            [
                Result(
                    index=r.index,
                    relevance_score=r.relevance_score,
                    document=_echo(r.document, position, sink),
                )
                for position, r in enumerate(response.results)
            ]
        )
    return Response(
        id=kept(own, "id"),
        results=results,
        meta=_cohere.meta_for(response.usage, kept(own, "meta"), sink),
    )


# -- errors: `{message, id?}`, the same as cohere_v2's (`_cohere`) -------------------------------

Error = _cohere.Error
ERROR: Final = _cohere.error_codec(NAME)
STATUSES: Final = _cohere.STATUSES
STATUS_MAP: Final = _cohere.STATUS_MAP
error_from_canonical = _cohere.error_from_canonical
error_from_text = _cohere.error_from_text


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return _cohere.error_to_canonical(NAME, wire, left, status)


# -- validation (what Cohere does with a payload) ---------------------------------------------

UNKNOWN_FIELDS: Final = _cohere.UNKNOWN_FIELDS

_MAX_CHUNKS: Final = 10_000  # documents x max_chunks_per_doc must stay below it


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Cohere v1 would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error", recommended=1000)
        _checks.check_top_n(body, report, REQUEST, below_one="error")
        _checks.check_range(body, "max_chunks_per_doc", 1, None, report)
        _check_objects(body, report)
        chunks = body.get("max_chunks_per_doc")
        # default 10: cohere-openapi.yaml /v1/rerank (its best-practices page says 1 for
        # current models; the spec's larger default is the safer assumption)
        count = len(_checks.documents(body, REQUEST)) * (chunks if _checks.is_int(chunks) else 10)
        if count >= _MAX_CHUNKS:
            report(
                "$.documents",
                "too_many_chunks",
                f"documents x max_chunks_per_doc is {number(count)}; Cohere requires less than {_MAX_CHUNKS}",
                "error",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)
        _checks.check_string_documents(
            body, report, RESPONSE, "Cohere echoes documents as objects, not strings", "error"
        )
        _cohere.check_meta(body, report, "1")


def _check_objects(body: Mapping[str, object], report: _checks.Report) -> None:
    rank_fields = body.get("rank_fields")
    for i, document in enumerate(_checks.documents(body, REQUEST)):
        if not isinstance(document, Mapping):
            continue
        if not isinstance(rank_fields, list):
            if "text" not in document:
                report(
                    f"$.documents[{i}]",
                    "invalid_value",
                    "a document object needs a `text` unless `rank_fields` names others",
                    "error",
                )
            continue
        missing = [field for field in rank_fields if field not in document]
        if missing:
            report(
                f"$.documents[{i}]",
                "missing_field",
                f"the document has none of {', '.join(excerpt(str(f)) for f in missing)} (from rank_fields)",
                "warning",
            )


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import cohere_v1 as _this

    _face: Format = _this
