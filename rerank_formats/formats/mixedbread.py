"""Mixedbread rerank, `POST https://api.mixedbread.com/v1/reranking`: `input`, `top_k`, `score`.

Reference: the API reference https://www.mixedbread.com/api-reference/endpoints/reranking/
rerank-documents (defaults) and the official `mixedbread` SDK 0.54.0 (Stainless-generated,
mixedbread-ai/mixedbread-python, as published on PyPI; a survey read them at e126f997):
`src/mixedbread/_client.py` `rerank(model, query, input, rank_fields, top_k, return_input,
rewrite_query)` posts to `/v1/reranking` and sends only the arguments given;
`types/client_rerank_params.py` (the request), `types/rerank_response.py` (the response:
`usage`, `model`, `data[{index, score, input, object}]`, `object`, and the request's `top_k`
and `return_input` echoed), `types/shared/usage.py` (`prompt_tokens`, `total_tokens`,
`completion_tokens`).

Request

| wire field      | canonical              | notes                                              |
| --------------- | ---------------------- | -------------------------------------------------- |
| `model`         | `model`                | optional (default `mixedbread-ai/mxbai-rerank-large-v2`) |
| `query`         | `query`                | a string                                           |
| `input[]`       | `documents`            | strings or objects (of strings here), 1 to 1,000   |
| `top_k`         | `top_n`                | default **-1**, all: `-1` and `null` read as all, their spelling kept |
| `return_input`  | `return_documents`     | default **false**: absent reads as `False`         |
| `rank_fields`   | `extensions["mixedbread"]` | the object fields to rank on; a loss for other formats |
| `rewrite_query` | `extensions["mixedbread"]` | a loss for other formats when true (default false) |
| —               | `truncation`, `max_doc_length`, `return_embeddings` | losses when set         |

Documents are sent as they are: a string, a `{text}` object, any object (Mixedbread takes
objects and echoes them whole). An image document or query is a loss (its URL is sent).

Response

| wire field       | canonical            | notes                                              |
| ---------------- | -------------------- | -------------------------------------------------- |
| `object`         | `object`             | `"list"`                                           |
| `data[].index`   | `results[].index`    |                                                    |
| `data[].score`   | `results[].relevance_score` | no range promised                           |
| `data[].input`   | `results[].document` | the raw item (string or object), with `return_input`; written from the request it answers |
| `data[].object`  | —                    | always `"rank_result"`: written on every result    |
| `model`          | `model`              |                                                    |
| `usage`          | `usage`              | `prompt_tokens`, `total_tokens`, `completion_tokens` |
| `top_k`, `return_input` | `extensions["mixedbread"]` | the request's, echoed: written from the request it answers (`-1` for all) |

Errors

The current SDK does not model error bodies: `_base_client.py`
`_make_status_error_from_response` puts the whole JSON body into the exception's message
(`Error code: 401 - {...}`) and `_client.py` `_make_status_error` picks the exception by
status (`AuthenticationError`, `UnprocessableEntityError`, `RateLimitError`,
`InternalServerError` for 5xx, ...). The body read and written is FastAPI's
`{"detail": "..."}`, as Elastic's tests of its Mixedbread integration mock a 401
(elastic/elasticsearch `x-pack/plugin/inference/src/test/java/org/elasticsearch/xpack/
inference/services/mixedbread/MixedbreadServiceTests.java` @
8baf047780d292c28624d02ff44c0f9dae2c7973); field-level details are folded into it. The
legacy SDK modelled `{type, url, message, details}` (mixedbread-ai/python-sdk, Fern, 2024,
`mixedbread_ai/types/mxbai_api_error.py` @ 04f7b7623f9e055ce59c2b7c322c8a28d395af3c): such
a body is read through the shared `{message}` shape (Cohere's), `type` kept.

Statuses (the API reference's status codes page): 400, 401, 402, 403, 404, 409, 422, 429,
500, 503, 504.

Unverified: the current API's error body (no SDK of today models it, and the one recorded is
another project's mock); how the server echoes `top_k` when the request left it out
(written `-1`, the documented default); document objects with values that are not strings (the canonical model
holds objects of strings, so such a request is refused as a `DecodeError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, Generic, TypeVar, cast

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
from ..errors import LossKind, number
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
    write_flag,
)
from ._helpers import DetailError, detail_from_canonical, detail_to_canonical, unsupported

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

NAME: Final = "mixedbread"
PROVIDER: Final = "Mixedbread"

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "object_echo",
        "response_model",
        "token_usage",
        "usage_required",
        "usage_split",
    }
)

REQUIRES: Final = frozenset[str]()  # `model` has a default
"""The canonical request fields this format cannot do without (a loss when absent)."""

MAX_DOCUMENTS: Final = 1000  # the API reference: `input`, 1 to 1000 items

ENDPOINT: Final = Endpoint(method="POST", path="/v1/reranking", max_documents=MAX_DOCUMENTS)

SCORE_SCALE: Final[ScoreScale] = "unknown"  # the reference promises no range

ALL: Final = -1  # `top_k: -1`, the default: every result

# The API reference's defaults: what a key sent at its default says nothing to lose.
DEFAULTS: Final[Mapping[str, object]] = {
    "top_k": ALL,
    "return_input": False,
    "rewrite_query": False,
}

D = TypeVar("D")
OutDocument = str | TextDocument | dict[str, str]


class Request(Wire, Generic[D], frozen=True, kw_only=True):
    """A Mixedbread rerank request.

    Attributes:
        model: The reranker (default `mixedbread-ai/mxbai-rerank-large-v2`).
        query: The search query.
        input: The documents to rank, 1 to 1,000: strings or objects.
        rank_fields: For object inputs: the fields to rank on.
        top_k: How many results to return; -1 (the default) means all.
        return_input: Whether each result carries its input (default false).
        rewrite_query: Whether the query is rewritten before ranking (default false).
    """

    model: str | UnsetType = UNSET
    query: str
    input: tuple[D, ...]
    rank_fields: list[str] | UnsetType | None = UNSET
    top_k: int | UnsetType | None = UNSET
    return_input: bool | UnsetType | None = UNSET
    rewrite_query: bool | UnsetType | None = UNSET


class Result(Wire, Generic[D], frozen=True, kw_only=True):
    """One result of a Mixedbread rerank response.

    Attributes:
        index: The input's position in the request's `input`.
        score: Higher is more relevant.
        input: The input as it was sent (string or object), with `return_input`.
        object: Always `"rank_result"`.
    """

    index: Annotated[int, Meta(ge=0)]
    score: float
    input: D | UnsetType | None = UNSET
    object: str | UnsetType = UNSET


class TokenUsage(Wire, frozen=True, kw_only=True):
    """A Mixedbread response's `usage` (`types/shared/usage.py`), in its wire order.

    Attributes:
        prompt_tokens: The tokens read.
        total_tokens: The tokens used.
        completion_tokens: The tokens produced (0 for a reranker).
    """

    prompt_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
    total_tokens: Annotated[int, Meta(ge=0)]
    completion_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET


class Response(Wire, Generic[D], frozen=True, kw_only=True):
    """A Mixedbread rerank response.

    Attributes:
        usage: The tokens used.
        model: The reranker that ranked them.
        data: The ranked inputs, by descending score.
        object: Always `"list"`.
        top_k: The request's `top_k`, echoed.
        return_input: The request's `return_input`, echoed.
    """

    usage: TokenUsage | UnsetType | None = UNSET
    model: str | UnsetType = UNSET
    data: tuple[Result[D], ...]
    object: str | UnsetType = UNSET
    top_k: int | UnsetType | None = UNSET
    return_input: bool | UnsetType | None = UNSET


REQUEST: Final = Codec[Request[FastDocument]](
    format=NAME,
    kind="request",
    fast=Request[FastDocument],
    general=Request[GeneralDocument],
    struct=Request,
    keys={"documents": "input", "top_n": "top_k"},
)
RESPONSE: Final = Codec[Response[FastDocument]](
    format=NAME,
    kind="response",
    fast=Response[FastDocument],
    general=Response[GeneralDocument],
    struct=Response,
    nested=("data", Result),
    keys={"relevance_score": "score", "document": "input", "top_n": "top_k"},
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)

_RESULT_OBJECT: Final = "rank_result"
_NO_RESULT_OBJECT: Final = "data[].object"  # recorded in `absent` when results had none


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this Mixedbread field, or None when nothing is lost (nulls and
    `DEFAULTS` never get here; a response's `top_k` and `return_input` echo the request)."""
    if kind != "request":
        return None
    if key == "rank_fields":
        return f"mixedbread ranks on these object fields; {target} has no rank_fields", "ranking"
    if key == "rewrite_query":
        return f"mixedbread rewrites the query before ranking; {target} does not", "ranking"
    return None  # top_k's and return_input's spelling


def _top_n(top_k: int | UnsetType | None) -> int | UnsetType | None:
    return None if top_k == ALL or top_k is None else top_k


def request_to_canonical(wire: Request[WireDocument], left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        rank_fields=wire.rank_fields,
        rewrite_query=wire.rewrite_query,
        # -1 and null both mean all (canonical None): kept as spelled for this format
        top_k=wire.top_k if wire.top_k == ALL or wire.top_k is None else UNSET,
    )
    defaulted: set[str] = set()
    return_documents = read_flag(
        wire.return_input,
        "return_input",
        field="return_documents",
        default=False,
        coerce=bool,
        fields=fields,
        defaulted=defaulted,
    )
    return RerankRequest(
        model=wire.model,
        query=wire.query,
        documents=canonical_documents(wire.input, left, images=False),
        top_n=_top_n(wire.top_k),
        return_documents=return_documents,
        extensions=extension_map(NAME, fields, defaulted),
    )


def _document_out(document: Document, path: str, sink: Sink) -> OutDocument:
    if isinstance(document, ObjectDocument):
        return dict(document.fields)  # Mixedbread takes objects, echoed whole
    if isinstance(document, ImageDocument):
        sink(path, f"mixedbread takes text or objects, not {document_for_loss(document)}")
        return document.image
    return document


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request[OutDocument]:
    own = own_extension(request.extensions, NAME)
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"mixedbread takes a text query, not {document_for_loss(request.query)}")
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    top_n = request.top_n
    return Request(
        model=request.model,
        query=query,
        input=cast("tuple[OutDocument, ...]", request.documents)
        if document_types(request.documents) <= {str, TextDocument}
        else tuple(
            [_document_out(d, f"$.input[{i}]", sink) for i, d in enumerate(request.documents)]
        ),
        rank_fields=kept(own, "rank_fields"),
        top_k=kept(own, "top_k") if top_n is None or top_n is UNSET else top_n,
        return_input=write_flag(
            request.return_documents,
            "return_input",
            field="return_documents",
            default=False,
            coerce=bool,
            own=own,
        ),
        rewrite_query=kept(own, "rewrite_query"),
    )


def response_to_canonical(wire: Response[WireDocument], left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, top_k=wire.top_k, return_input=wire.return_input)
    data = wire.data
    results = tuple(
        [
            RerankResult(
                index=r.index,
                relevance_score=r.score,
                document=to_document(r.input, images=False)
                if isinstance(r.input, dict)
                else r.input,
            )
            for r in data
        ]
    )
    absent = (_NO_RESULT_OBJECT,) if data and all(r.object is UNSET for r in data) else ()
    return RerankResponse(
        results=results,
        model=wire.model,
        object=wire.object,
        usage=_usage_in(wire.usage),
        extensions=extension_map(NAME, fields, results=kept_results(left, data), absent=absent),
    )


def _usage_in(usage: TokenUsage | UnsetType | None) -> Usage | UnsetType | None:
    if not isinstance(usage, TokenUsage):
        return usage
    return Usage(
        total_tokens=usage.total_tokens,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
    )


def _usage_out(usage: Usage | UnsetType | None) -> TokenUsage | UnsetType | None:
    if not isinstance(usage, Usage):
        return usage
    return TokenUsage(
        prompt_tokens=usage.prompt_tokens,
        total_tokens=usage.total_tokens,
        completion_tokens=usage.completion_tokens,
    )


_AS_IT_IS: Final = frozenset({str, TextDocument, UnsetType, type(None)})  # echoed unchanged


def _echo(document: Document | UnsetType | None, position: int, sink: Sink) -> Any:
    if document is UNSET or document is None or type(document) is str:
        return document
    if isinstance(document, ObjectDocument):
        return dict(document.fields)
    if isinstance(document, ImageDocument):
        sink(f"$.data[{position}].input", "mixedbread cannot echo an image document", "reporting")
        return UNSET
    return document


def _echoed(
    own: Any, request: RerankRequest | None
) -> tuple[int | UnsetType | None, bool | UnsetType | None]:
    """The `top_k` and `return_input` a response echoes: as read, else from the request."""
    top_k, return_input = kept(own, "top_k"), kept(own, "return_input")
    if request is not None:
        if top_k is UNSET:
            top_k = request.top_n if isinstance(request.top_n, int) else ALL
        if return_input is UNSET:
            return_input = request.wants_documents
    return top_k, return_input


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response[Any]:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink)
    marked = UNSET if own is not None and _NO_RESULT_OBJECT in own.absent else _RESULT_OBJECT
    # Mixedbread echoes the raw item it was sent: the request's, where it is known (a Jina
    # upstream echoes a string as `{text}`)
    sent = request.documents if request is not None else ()
    count = len(sent)
    echoed = [
        r.document
        if r.document is UNSET or r.document is None or not 0 <= r.index < count
        else sent[r.index]
        for r in response.results
    ]
    plain = document_types(echoed) <= _AS_IT_IS  # the usual: no call per result
    data = tuple(
        [
            Result(
                index=r.index,
                score=r.relevance_score,
                input=document if plain else _echo(document, position, sink),
                object=marked,
            )
            for position, (r, document) in enumerate(zip(response.results, echoed, strict=True))
        ]
    )
    top_k, return_input = _echoed(own, request)
    return Response(
        usage=_usage_out(response.usage),
        model=response.model,
        data=data,
        object=response.object,
        top_k=top_k,
        return_input=return_input,
    )


# -- errors: FastAPI's `{"detail": "..."}`; the legacy `{type, url, message}` read as Cohere's --


class Error(DetailError, frozen=True, kw_only=True):
    """A Mixedbread error body, `{"detail": "..."}` (FastAPI's, as Elastic's tests mock it).

    Attributes:
        detail: The message.
    """


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 402, 403, 404, 409, 422, 429, 500, 503, 504})
STATUS_MAP: Final[Mapping[int, int]] = {}


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return detail_to_canonical(NAME, wire, left, status)


def error_from_canonical(error: RerankError) -> Error:
    return Error(detail=detail_from_canonical(error).detail)


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Mixedbread answers errors in JSON."""
    return None


# -- validation ---------------------------------------------------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, Any], report: _checks.Report) -> None:
    """Report what Mixedbread would refuse (errors) or do surprisingly (warnings)."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")
        count = len(_checks.documents(body, REQUEST))
        if count > MAX_DOCUMENTS:
            report(
                "$.input",
                "too_many_documents",
                f"{number(count)} inputs; Mixedbread takes at most {number(MAX_DOCUMENTS)}",
                "error",
            )
        top_k = body.get("top_k")
        if _checks.is_int(top_k) and top_k != ALL and top_k < 1:
            report(
                "$.top_k",
                "out_of_range",
                f"top_k is {number(top_k)}; at least 1 is expected, or -1 for all",
                "error",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import mixedbread as _this

    _face: Format = _this
