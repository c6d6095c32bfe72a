"""Cohere Rerank v2, `POST https://api.cohere.com/v2/rerank`.

Reference: https://docs.cohere.com/reference/rerank and cohere-ai/cohere-developer-experience
`cohere-openapi.yaml` (`/v2/rerank`, `ApiMeta`); the 2024-12-02 "Rerank v3.5" changelog
removed object documents, `rank_fields`, `return_documents` and `max_chunks_per_doc` from v2.

Request

| wire field           | canonical                   | notes                                           |
| -------------------- | --------------------------- | ----------------------------------------------- |
| `model`              | `model`                     | required                                        |
| `query`              | `query`                     | a string                                        |
| `documents[]`        | `documents`                 | strings only: `{text}` is written as its text   |
| `top_n`              | `top_n`                     | `null` (canonical) is written as absent         |
| `max_tokens_per_doc` | `max_doc_length`            | both are tokens per document                    |
| `priority`           | `extensions["cohere_v2"]`   | a loss for other formats (unless 0)             |
| —                    | `return_documents`          | v2 never returns documents: reads as `False`; not written, and not a loss (the response path fills documents from the request) |
| —                    | `truncation`, `return_embeddings` | losses when set                           |

Image documents and queries, and objects without a `text`, are losses (written as their
URL, or as `key: value` lines, as Cohere recommends for structured data). An object with a
`text` is sent as its text: its other fields were not ranked (Cohere v1 ranks on `text`
unless `rank_fields` says otherwise), and the response path echoes the original object. Unknown keys are
never written: Cohere answers 422 to any unknown field (HKUDS/LightRAG #1813).

Response

| wire field          | canonical                 | notes                                             |
| ------------------- | ------------------------- | ------------------------------------------------- |
| `id`                | `extensions["cohere_v2"]` | this exchange's id; not carried across            |
| `meta`              | `extensions["cohere_v2"]` | kept whole; `tokens` (else `billed_units` token counts) map to `usage` |
| `results[].index`, `results[].relevance_score` | same |                                               |
| —                   | `results[].document`      | v2 has no documents; dropped, not a loss (echoes of the request) |

Errors

`{message, id?}` for every status: `message` is the canonical `message` (field-level details
are folded into it), `id` the `request_id`. Statuses: 400, 401, 403, 404, 422, 429, 498
(deny-listed token), 499 (request cancelled), 500, 501, 503, 504; no 402 (written as 403).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Final, cast

from msgspec import UNSET, Meta, UnsetType

from ..canonical import RerankError, RerankRequest, RerankResponse, RerankResult
from . import _checks, _cohere
from ._base import (
    Codec,
    Leftovers,
    Sink,
    Wire,
    check_unset,
    document_for_loss,
    document_types,
    embedding_losses,
    extension_map,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    reused,
    text_of,
)

NAME: Final = "cohere_v2"
PROVIDER: Final = "Cohere"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "max_doc_length",
        "token_usage",
        "usage_split",
    }
)

KEEPS_UNKNOWN: Final = frozenset({"response"})


class Request(Wire, frozen=True, kw_only=True):
    """A Cohere v2 rerank request.

    Attributes:
        model: The model, such as `rerank-v3.5` or `rerank-v4.0-pro`.
        query: The search query.
        documents: The documents, as strings (structured data as YAML strings).
        top_n: How many results to return (at least 1); absent means all.
        max_tokens_per_doc: Documents are truncated to this many tokens (default 4096).
        priority: Scheduling priority, 0 (the default, first) to 999.
    """

    model: str
    query: str
    documents: tuple[str, ...]
    top_n: int | UnsetType | None = UNSET
    max_tokens_per_doc: int | UnsetType = UNSET
    priority: int | UnsetType = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of a Cohere v2 rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Normalised to [0, 1].
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float


class Response(Wire, frozen=True, kw_only=True):
    """A Cohere v2 rerank response.

    Attributes:
        id: This request's id.
        results: The ranked documents, by descending relevance score.
        meta: `ApiMeta`: `api_version`, `billed_units` (`search_units`, token counts),
            `tokens`, `cached_tokens`, `warnings`.
    """

    id: str | UnsetType = UNSET
    results: tuple[Result, ...]
    meta: dict[str, object] | UnsetType | None = UNSET


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


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> str | None:
    """Why `target` loses this cohere_v2 field, or None when nothing is lost."""
    if key == "priority" and value != 0:
        return f"cohere_v2's scheduling priority has no {target} equivalent"
    return None  # the response's id and meta


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    return RerankRequest(
        model=wire.model,
        query=wire.query,
        documents=wire.documents,
        top_n=wire.top_n,
        return_documents=False,
        max_doc_length=wire.max_tokens_per_doc,
        extensions=extension_map(
            NAME, kept_fields(left, priority=wire.priority), {"return_documents"}
        ),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    if request.model is UNSET:
        sink("$.model", "cohere_v2 requires `model`; the request has none")
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"cohere_v2 takes a text query, not {document_for_loss(request.query)}")
    documents: Sequence[str] = cast(tuple[str, ...], request.documents)
    if not document_types(request.documents) <= {str}:  # plain strings pass as they are
        texts: list[str] = []
        for i, document in enumerate(request.documents):
            text, lossy = text_of(document)
            if lossy:
                sink(
                    f"$.documents[{i}]",
                    f"cohere_v2 takes text only, not {document_for_loss(document)}",
                )
            texts.append(text)
        documents = texts
    check_unset(sink, request.truncation, "$.truncation", "cohere_v2 has no truncation switch")
    if request.return_embeddings:
        sink("$.return_embeddings", "cohere_v2 does not return embeddings")
    return Request(
        model=request.model,  # type: ignore[arg-type]  # UNSET is omitted when encoding; reported above
        query=query,
        documents=tuple(documents),
        top_n=UNSET if request.top_n is None else request.top_n,
        max_tokens_per_doc=request.max_doc_length,
        priority=kept(own_extension(request.extensions, NAME), "priority"),
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, id=wire.id, meta=wire.meta)
    extra = kept_results(left, wire.results)
    return RerankResponse(
        results=tuple(
            [RerankResult(index=r.index, relevance_score=r.relevance_score) for r in wire.results]
        ),
        usage=_cohere.usage_from_meta(wire.meta, format=NAME),
        extensions=extension_map(NAME, fields, results=extra),
    )


def response_from_canonical(response: RerankResponse, sink: Sink) -> Response:
    own = own_extension(response.extensions, NAME)
    results = reused(response.results, {UnsetType})  # None when a result has an embedding
    if results is None:
        embedding_losses(response.results, sink)
    return Response(
        id=kept(own, "id"),
        results=results
        or tuple(
            [Result(index=r.index, relevance_score=r.relevance_score) for r in response.results]
        ),
        meta=_cohere.meta_for(response.usage, kept(own, "meta"), sink),
    )


# -- errors: `{message, id?}`, the same as cohere_v1's (`_cohere`) -------------------------------

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


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Cohere v2 would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, empty="error", recommended=1000)
        _checks.check_top_n(body, report, below_one="error")
        _checks.check_range(body, "max_tokens_per_doc", 1, None, report)
        _checks.check_range(body, "priority", 0, 999, report)
    elif kind == "response":
        _checks.check_results(body, report)
        _cohere.check_meta(body, report, "2")
