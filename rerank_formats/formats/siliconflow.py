"""SiliconFlow rerank, `POST https://api.siliconflow.cn/v1/rerank`: a Jina dialect.

Reference: SiliconFlow's API reference "Create rerank"
(https://docs.siliconflow.cn/en/api-reference/rerank/create-rerank, also served from
docs.siliconflow.com and api-docs.siliconflow.cn, read 2026) and its error page
(https://docs.siliconflow.com/en/faqs/error-code). SiliconFlow has no SDK of its own (its
chat API is used through the OpenAI SDK, which has no rerank call), so these published
pages are the oracle; nothing here was checked against the live service.

Request

| wire field           | canonical                   | notes                                            |
| -------------------- | --------------------------- | ------------------------------------------------ |
| `model`              | `model`                     | required                                         |
| `query`              | `query`                     | a string                                         |
| `documents[]`        | `documents`                 | strings only: `{text}` is written as its text     |
| `top_n`              | `top_n`                     | at least 1                                       |
| `return_documents`   | `return_documents`          | default **false**: absent reads as `False`       |
| `instruction`        | `extensions["siliconflow"]` | Qwen3-Reranker only; a loss for other formats    |
| `max_chunks_per_doc` | `extensions["siliconflow"]` | bge-reranker-v2-m3 and bce-reranker only; default 1024, no loss at it |
| `overlap_tokens`     | `extensions["siliconflow"]` | the same models; 0 to 80, default 80, no loss at it |
| anything else        | `extensions["siliconflow"]` | written back by this format only                 |
| —                    | `truncation`, `max_doc_length`, `return_embeddings` | losses when set          |

The newest reference page also takes a single string for `documents` and multimodal items
for VL rerankers; neither is read (a `DecodeError`): no client was seen sending them.

Response

| wire field                | canonical                   | notes                                     |
| ------------------------- | --------------------------- | ----------------------------------------- |
| `id`                      | `extensions["siliconflow"]` | this exchange's id; not carried across    |
| `results[].index`, `results[].relevance_score` | same   |                                           |
| `results[].document`      | `results[].document`        | `{text}`; absent unless asked             |
| `tokens.input_tokens`     | `usage.prompt_tokens`       | `usage.total_tokens` is input plus output |
| `tokens.output_tokens`    | `usage.completion_tokens`   |                                           |

There is no `usage` and no `model` in a SiliconFlow response: usage sits in `tokens`
(Cohere's `meta.tokens`, one level up). Written from other formats, `tokens` holds the
canonical usage (`output_tokens` only when known), and documents are `{text}`.

The reference's example response is generated from its schema: `"id": "<string>"`, an
`index` and a `relevance_score` of 123 and the same for the token counts. It reads and
writes back the same (tests/test_format_siliconflow.py); its values mean nothing.

Errors

| wire       | canonical | notes                                                           |
| ---------- | --------- | --------------------------------------------------------------- |
| `code`     | `code`    | an integer business code (`20012`: the model does not exist, 400), written as the string of its digits |
| `message`  | `message` | field-level details are folded into it when written             |
| `data`     | —         | `null` in every documented body; kept for writing back          |

Written from other formats, `code` is the canonical code when it is a number, else the HTTP
status (SiliconFlow documents no other business codes: unverified). Statuses: 400, 401,
403, 429, 500, 503, 504.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, Generic, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    TextDocument,
    Usage,
)
from ..errors import LossKind
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
from ._errors import answered, fold
from ._helpers import echo_text, strings_only, unsupported

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
    "Tokens",
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

NAME: Final = "siliconflow"
PROVIDER: Final = "SiliconFlow"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "token_usage",
        "usage_split",
        "reports_tokens",
    }
)

REQUIRES: Final = frozenset({"model"})  # required in the reference
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank")  # Bearer; no batch limit documented

SCORE_SCALE: Final[ScoreScale] = "unknown"  # the reference promises no range

# The reference's defaults: a value sent at its default says nothing another format could lose.
DEFAULTS: Final[Mapping[str, object]] = {
    "return_documents": False,
    "max_chunks_per_doc": 1024,
    "overlap_tokens": 80,
}

D = TypeVar("D")
OutDocument = TextDocument


class Request(Wire, frozen=True, kw_only=True):
    """A SiliconFlow rerank request.

    Attributes:
        model: The model, such as `BAAI/bge-reranker-v2-m3`.
        query: The search query.
        documents: The documents, as strings (at least one).
        instruction: Qwen3-Reranker only: the instruction to rank by.
        top_n: How many results to return (at least 1).
        return_documents: Whether each result carries its document text (default false).
        max_chunks_per_doc: bge-reranker-v2-m3 and bce-reranker: chunks per long document,
            its score the best chunk's (default 1024).
        overlap_tokens: The same models: tokens shared by adjacent chunks (0 to 80, default 80).
    """

    model: str
    query: str
    documents: tuple[str, ...]
    instruction: str | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    max_chunks_per_doc: int | UnsetType | None = UNSET
    overlap_tokens: int | UnsetType | None = UNSET


class Result(Wire, Generic[D], frozen=True, kw_only=True):
    """One result of a SiliconFlow rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Higher is more relevant.
        document: With `return_documents`: `{"text": ...}` (first in the reference's example;
            written last, as Jina writes it).
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: D | UnsetType | None = UNSET


Count = Annotated[int, Meta(ge=0, le=2**53)]


class Tokens(Wire, frozen=True, kw_only=True):
    """A SiliconFlow response's `tokens`: its usage.

    Attributes:
        input_tokens: Tokens read.
        output_tokens: Tokens produced (0 for a rerank).
    """

    input_tokens: Count | UnsetType | None = UNSET
    output_tokens: Count | UnsetType | None = UNSET


class Response(Wire, Generic[D], frozen=True, kw_only=True):
    """A SiliconFlow rerank response.

    Attributes:
        id: This request's id.
        results: The ranked documents, by descending relevance score.
        tokens: `{input_tokens, output_tokens}`: the usage.
    """

    id: str | UnsetType = UNSET
    results: tuple[Result[D], ...]
    tokens: Tokens | UnsetType | None = UNSET


REQUEST: Final = Codec[Request](
    format=NAME, kind="request", fast=Request, general=Request, struct=Request
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
    """Why `target` loses this siliconflow field (and what that changes), or None when nothing
    is lost (nulls and `DEFAULTS` never get here)."""
    if key == "instruction":
        return f"siliconflow's Qwen3 `instruction` has no {target} equivalent", "ranking"
    if key in ("max_chunks_per_doc", "overlap_tokens"):
        return f"siliconflow's chunking (`{key}`) has no {target} equivalent", "ranking"
    return None  # return_documents' spelling, and the response's id and tokens


def _false_when_null(value: object) -> bool:
    return bool(value)


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        instruction=wire.instruction,
        max_chunks_per_doc=wire.max_chunks_per_doc,
        overlap_tokens=wire.overlap_tokens,
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
        model=wire.model,
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
        model=request.model,  # type: ignore[arg-type]  # UNSET is omitted; a loss (REQUIRES)
        query=query,
        documents=documents,
        instruction=kept(own, "instruction"),
        top_n=request.top_n,
        return_documents=write_flag(
            request.return_documents,
            "return_documents",
            default=False,
            coerce=_false_when_null,
            own=own,
        ),
        max_chunks_per_doc=kept(own, "max_chunks_per_doc"),
        overlap_tokens=kept(own, "overlap_tokens"),
    )


def response_to_canonical(wire: Response[WireDocument], left: Leftovers) -> RerankResponse:
    tokens = msgspec.to_builtins(wire.tokens) if isinstance(wire.tokens, Tokens) else wire.tokens
    fields = kept_fields(left, id=wire.id, tokens=tokens)
    # `tokens` is `meta.tokens` one level up: Cohere's reader counts it
    meta = {"tokens": tokens} if isinstance(tokens, dict) else UNSET
    return RerankResponse(
        results=results_to_canonical(wire.results, left, images=False),
        usage=_cohere.usage_from_meta(meta, format=NAME),
        extensions=extension_map(NAME, fields, results=kept_results(left, wire.results)),
    )


def _echo(document: Document | UnsetType | None, position: int, sink: Sink) -> Any:
    if document is UNSET or document is None:
        return document
    if type(document) is str:
        return TextDocument(text=document)
    if isinstance(document, (ImageDocument, ObjectDocument)):
        text = echo_text(document, f"$.results[{position}].document", sink)
        return UNSET if text is None else TextDocument(text=text)
    return document


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response[OutDocument]:
    own = own_extension(response.extensions, NAME)
    tokens: Any = kept(own, "tokens")
    read = {"tokens": tokens} if isinstance(tokens, dict) else UNSET
    if own is None or _cohere.usage_from_meta(read, format=NAME) != response.usage:
        usage = response.usage
        tokens = _cohere.tokens_for(usage, sink) if isinstance(usage, Usage) else UNSET
    embedding_losses(response.results, sink)
    if field_types(response.results, "document") <= {UnsetType, type(None), TextDocument}:
        results: Any = response.results  # they encode as SiliconFlow's results
        if field_types(response.results, "embedding") != {UnsetType}:
            results = tuple(
                [
                    Result(index=r.index, relevance_score=r.relevance_score, document=r.document)
                    for r in response.results
                ]
            )
    else:
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
    if isinstance(tokens, dict):
        tokens = msgspec.convert(tokens, Tokens)
    return Response(id=kept(own, "id"), results=results, tokens=tokens)


# -- errors: `{code, message, data}` ------------------------------------------------------------

STATUSES: Final = frozenset({400, 401, 403, 429, 500, 503, 504})
STATUS_MAP: Final = {402: 403, 422: 400}  # a refused parameter is a 400 (error-code page)

_CODE_STATUS: Final = {20012: 400}  # the one business code the error page shows


class Error(Wire, frozen=True, kw_only=True):
    """A SiliconFlow error body.

    Attributes:
        code: The business code, such as `20012` (the model does not exist).
        message: The message.
        data: `null` in every documented body.
    """

    code: int
    message: str
    data: object = UNSET


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    fields = kept_fields(left, data=wire.data)
    return RerankError(
        status=_CODE_STATUS.get(wire.code, 500) if status is None else status,
        message=wire.message,
        code=str(wire.code),
        extensions=extension_map(NAME, fields),
    )


def error_from_canonical(error: RerankError) -> Error:
    own = own_extension(error.extensions, NAME)
    code = error.code
    return Error(
        code=int(code)
        if isinstance(code, str) and code.isascii() and code.isdigit()
        else answered(error.status, STATUSES, STATUS_MAP),
        message=fold(error.message, error.details),
        data=kept(own, "data") if own is not None else None,
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """SiliconFlow answers errors in JSON."""
    return None


# -- validation (what SiliconFlow's reference says it refuses) ---------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}

_CHUNKING_MODELS: Final = frozenset(
    {
        "BAAI/bge-reranker-v2-m3",
        "Pro/BAAI/bge-reranker-v2-m3",
        "netease-youdao/bce-reranker-base_v1",
    }
)


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what SiliconFlow would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")  # minimum length 1
        _checks.check_top_n(body, report, REQUEST, below_one="error")  # "Must be >= 1"
        _checks.check_range(body, "max_chunks_per_doc", 1, None, report)
        _checks.check_range(body, "overlap_tokens", 0, 80, report)
        model = body.get("model")
        for key in ("max_chunks_per_doc", "overlap_tokens"):
            if body.get(key) is not None and model not in _CHUNKING_MODELS:
                report(
                    f"$.{key}",
                    "unsupported_field",
                    "only bge-reranker-v2-m3 and bce-reranker-base_v1 read it",
                    "warning",
                )
        if body.get("instruction") is not None and not str(model).startswith("Qwen/Qwen3-Reranker"):
            report("$.instruction", "unsupported_field", "only Qwen3-Reranker reads it", "warning")
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)
        _checks.check_string_documents(
            body, report, RESPONSE, "SiliconFlow echoes documents as {text}", "warning"
        )


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import siliconflow as _this

    _face: Format = _this
