"""Cohere Rerank v2, `POST https://api.cohere.com/v2/rerank`.

Reference: https://docs.cohere.com/reference/rerank and cohere-ai/cohere-developer-experience
`cohere-openapi.yaml` (`/v2/rerank`, `ApiMeta`); the 2024-12-02 "Rerank v3.5" changelog
removed object documents, `rank_fields`, `return_documents` and `max_chunks_per_doc` from v2.
The fields are those of the cohere SDK 7.3.1 (`cohere/v2/raw_client.py` `rerank`,
`cohere/types/rerank_relevant_spans.py`, `cohere/v2/types/v2rerank_response_results_item.py`),
where every optional field may be sent as `null` (cohere-python 5.x sent
`"max_tokens_per_doc": null` for an unset one, and langchain-cohere 0.6 always does): a null
reads as absent, is written back by this format only, and is no loss elsewhere.

Request

| wire field           | canonical                   | notes                                           |
| -------------------- | --------------------------- | ----------------------------------------------- |
| `model`              | `model`                     | required                                        |
| `query`              | `query`                     | a string                                        |
| `documents[]`        | `documents`                 | strings only: `{text}` is written as its text   |
| `top_n`              | `top_n`                     | `null` (canonical) is written as absent         |
| `max_tokens_per_doc` | `max_doc_length`            | both are tokens per document; 4096, Cohere's default, is no loss for formats without it |
| `priority`           | `extensions["cohere_v2"]`   | a reporting loss for other formats (unless 0, the default) |
| `relevant_spans`     | `extensions["cohere_v2"]`   | `{mode, threshold?, max_spans?}`: a reporting loss for other formats when `mode` is `"enabled"` |
| `return_documents`   | `return_documents`          | not in Cohere's v2 spec, but sent by litellm, Weaviate and Elasticsearch; absent reads as `False` (v2 returns no documents); written back by this format only |
| —                    | `truncation`, `return_embeddings` | losses when set                           |

`return_documents` is read because clients send it to v2 and Cohere accepts it, although it
answers 422 to unknown keys: litellm's `CohereRerankV2Config.map_cohere_rerank_params`
(`litellm/llms/cohere/rerank_v2/transformation.py`) sends `return_documents=True` by default,
and so do Weaviate's and Elasticsearch's Cohere integrations. It is not written from other
formats: Cohere's v2 spec (since cohere-developer-experience 8c2e71a1, 2024-11-22) and the SDK
7.3.1 have no such request field and no `document` in v2 results, so asking for documents
would be answered without them; the response path fills them from the request for a client
that wants them, so nothing is lost by not asking.

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
| `results[].relevant_spans` | `extensions["cohere_v2"]` | per result index: `[{start, end, score}]`; a reporting loss for other formats |
| —                   | `results[].document`      | v2 has no documents; dropped, not a loss (echoes of the request) |

`meta` may carry `cached_tokens` (SDK 7.3.1 `ApiMeta`): kept whole with `meta` for this format,
and, like `billed_units`, not carried to others (it is Cohere's accounting, not token usage).

Errors

`{message, id?}` for every status: `message` is the canonical `message` (field-level details
are folded into it), `id` the `request_id`. Statuses: 400, 401, 403, 404, 422, 429, 498
(deny-listed token), 499 (request cancelled), 500, 501, 503, 504; no 402 (written as 403).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import RerankError, RerankRequest, RerankResponse, RerankResult
from ..errors import LossKind
from . import _checks, _cohere
from ._base import (
    Codec,
    Endpoint,
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    defaults_sent,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    read_flag,
    reused,
)
from ._helpers import strings_only, unsupported

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
    "RelevantSpans",
    "Request",
    "Response",
    "Result",
    "Span",
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

REQUIRES: Final = frozenset({"model"})  # required in v2
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v2/rerank")

SCORE_SCALE: Final[ScoreScale] = (
    "probability"  # "normalized to [0, 1]" (Cohere v2 rerank reference)
)


# What Cohere assumes when a key is absent (SDK 7.3.1 `V2Client.rerank` docstrings): a value
# sent at its default says nothing another format could lose.
DEFAULTS: Final[Mapping[str, object]] = {"max_tokens_per_doc": 4096, "priority": 0}


class RelevantSpans(Wire, frozen=True, kw_only=True):
    """Context compression: the spans of each document that made its rank (Rerank v5+).

    Attributes:
        mode: `"enabled"` or `"disabled"`.
        threshold: Only spans scoring above it are returned (default 0.1).
        max_spans: At most this many spans per document; absent means all.
    """

    mode: str
    threshold: float | UnsetType | None = UNSET
    max_spans: int | UnsetType | None = UNSET


class Span(Wire, frozen=True, kw_only=True):
    """One relevant span of a document.

    Attributes:
        start: The span's first character, in Unicode code points.
        end: Just past the span's last character.
        score: How relevant the span is, in [0, 1].
    """

    start: int
    end: int
    score: float


class Request(Wire, frozen=True, kw_only=True):
    """A Cohere v2 rerank request.

    Attributes:
        model: The model, such as `rerank-v3.5` or `rerank-v4.0-pro`.
        query: The search query.
        documents: The documents, as strings (structured data as YAML strings).
        top_n: How many results to return (at least 1); absent means all.
        max_tokens_per_doc: Documents are truncated to this many tokens (default 4096).
        relevant_spans: Whether (and how) to return each document's relevant spans.
        priority: Scheduling priority, 0 (the default, first) to 999.
        return_documents: Not in Cohere's v2 spec; sent by litellm, Weaviate and
            Elasticsearch, and accepted by Cohere.
    """

    model: str
    query: str
    documents: tuple[str, ...]
    top_n: int | UnsetType | None = UNSET
    max_tokens_per_doc: int | UnsetType | None = UNSET
    relevant_spans: RelevantSpans | UnsetType | None = UNSET
    priority: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of a Cohere v2 rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Normalised to [0, 1].
        relevant_spans: With `relevant_spans` enabled: the document's most relevant spans.
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    relevant_spans: list[Span] | UnsetType | None = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A Cohere v2 rerank response.

    Attributes:
        id: This request's id (`Optional` in the SDK, so a null is read and kept).
        results: The ranked documents, by descending relevance score.
        meta: `ApiMeta`: `api_version`, `billed_units` (`search_units`, token counts),
            `tokens`, `cached_tokens`, `warnings`.
    """

    id: str | UnsetType | None = UNSET
    results: tuple[Result, ...]
    meta: dict[str, object] | UnsetType | None = UNSET


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keep_unknown=False,  # Cohere answers 422 to an unknown key
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
    """Why `target` loses this cohere_v2 field (and what that changes), or None when nothing
    is lost (nulls and `DEFAULTS` never get here)."""
    if key == "priority":
        return f"cohere_v2's scheduling priority has no {target} equivalent", "reporting"
    if key == "relevant_spans" and isinstance(value, dict) and value.get("mode") == "enabled":
        return f"cohere_v2's relevant spans have no {target} equivalent", "reporting"
    return None  # return_documents (canonical), and the response's id and meta


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        # nulls kept as spelled: Cohere reads them as absent, and only this format writes them
        top_n=None if wire.top_n is None else UNSET,
        max_tokens_per_doc=None if wire.max_tokens_per_doc is None else UNSET,
        relevant_spans=UNSET
        if wire.relevant_spans is UNSET
        else msgspec.to_builtins(wire.relevant_spans),
        priority=wire.priority,
        return_documents=wire.return_documents,
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
        model=wire.model,
        query=wire.query,
        documents=wire.documents,
        top_n=wire.top_n,
        return_documents=return_documents,
        max_doc_length=UNSET if wire.max_tokens_per_doc is None else wire.max_tokens_per_doc,
        extensions=extension_map(
            NAME,
            fields,
            defaulted,
            at_default=defaults_sent(
                DEFAULTS, max_tokens_per_doc=("max_doc_length", wire.max_tokens_per_doc)
            ),
        ),
    )


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    query, documents = strings_only(request, sink)
    unsupported(request, sink, "truncation", "return_embeddings")
    own = own_extension(request.extensions, NAME)
    return Request(
        model=request.model,  # type: ignore[arg-type]  # UNSET is omitted; a loss (REQUIRES)
        query=query,
        documents=documents,
        top_n=kept(own, "top_n") if request.top_n is None else request.top_n,
        max_tokens_per_doc=kept(own, "max_tokens_per_doc")
        if request.max_doc_length is UNSET
        else request.max_doc_length,
        relevant_spans=kept(own, "relevant_spans"),
        priority=kept(own, "priority"),
        # Only a v2 client's own spelling comes back (see the module docstring).
        return_documents=kept(own, "return_documents"),
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, id=wire.id, meta=wire.meta)
    extra = kept_results(left, wire.results) or {}
    for r in wire.results:
        if r.relevant_spans is not UNSET:  # no canonical place: kept per result, like unknown keys
            spans = msgspec.to_builtins(r.relevant_spans)
            extra[r.index] = {**extra.get(r.index, {}), "relevant_spans": spans}
    return RerankResponse(
        results=tuple(
            [RerankResult(index=r.index, relevance_score=r.relevance_score) for r in wire.results]
        ),
        usage=_cohere.usage_from_meta(wire.meta, format=NAME),
        extensions=extension_map(NAME, fields, results=extra),
    )


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    own = own_extension(response.extensions, NAME)
    extra: Mapping[int, Mapping[str, Any]] = own.results if own is not None else {}
    results = None if extra else reused(response.results, {UnsetType})  # None: an embedding
    if results is None:
        embedding_losses(response.results, sink)
    spans = {i: more["relevant_spans"] for i, more in extra.items() if "relevant_spans" in more}
    return Response(
        id=kept(own, "id"),
        results=results
        or tuple(
            [
                Result(
                    index=r.index,
                    relevance_score=r.relevance_score,
                    relevant_spans=spans.get(r.index, UNSET),
                )
                for r in response.results
            ]
            if spans
            else [
                Result(index=r.index, relevance_score=r.relevance_score) for r in response.results
            ]
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


_SPAN_MODES: Final = ("enabled", "disabled")  # cohere/types/rerank_relevant_spans_mode.py


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Cohere v2 would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error", recommended=1000)
        _checks.check_top_n(body, report, REQUEST, below_one="error")
        _checks.check_range(body, "max_tokens_per_doc", 1, None, report)
        _checks.check_range(body, "priority", 0, 999, report)
        spans = body.get("relevant_spans")
        mode = spans.get("mode") if isinstance(spans, Mapping) else None
        if isinstance(mode, str) and mode not in _SPAN_MODES:
            report(
                "$.relevant_spans.mode",
                "invalid_value",
                'the mode is "enabled" or "disabled"',
                "error",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)
        _cohere.check_meta(body, report, "2")


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import cohere_v2 as _this

    _face: Format = _this
