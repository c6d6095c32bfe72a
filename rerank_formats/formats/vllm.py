"""vLLM rerank, `POST http://<host>:8000/v1/rerank` (and `/rerank`, `/v2/rerank`): near-Jina.

Reference: vllm-project/vllm `vllm/entrypoints/pooling/scoring/protocol.py` @
`004706d84ceba73d7efe0458e6f682c8691ff904` (`RerankRequest`, `RerankDocument`,
`RerankResult`, `RerankUsage`, `RerankResponse`; the same classes are in
`vllm/entrypoints/pooling/score/protocol.py` @ `1fff4ef842670c385aa62db2dbcf731882be3e33`),
`vllm/entrypoints/pooling/base/protocol.py` @ `020638a6b026e4d96f34e6e7ed12c3390fbf7416`
(`PoolingBasicRequestMixin`, `ClassifyRequestMixin`), `vllm/entrypoints/pooling/scoring/
typing.py` @ `1711f0da91cefaccba52d3af38e2918798234c82` (`ScoreInput`: a string or
`{content: [parts]}`), the serving code `vllm/entrypoints/pooling/scoring/serving.py` @
`004706d84ceba73d7efe0458e6f682c8691ff904` (`_request_output_to_rerank_response`: every
document echoed, sorted, cut to `top_n` when it is positive, `model_dump()` without
`exclude_none`) and the server's tests `tests/entrypoints/pooling/score/test_online_rerank.py`
@ `11e16f46a8ac1ae3668e6b3bd7fed96e040aaeae` and (`max_tokens_per_doc`, newer releases)
`tests/entrypoints/pooling/scoring/test_max_tokens_per_doc.py` @
`29fda7946ff08249b20fe0fb95e077a512df5d02`. Base models are `extra="allow"`: an unknown
key is logged and ignored.

Request

| wire field               | canonical              | notes                                              |
| ------------------------ | ---------------------- | -------------------------------------------------- |
| `model`                  | `model`                | optional (the served model); `null` kept           |
| `query`                  | `query`                | a string, or `{content: [parts]}`                  |
| `documents[]`            | `documents`            | strings, or `{content: [parts]}`; **a `{text}` object is refused** |
| `top_n`                  | `top_n`                | **0 (the default) or negative means all**: read as `null`, spelling kept |
| `max_tokens_per_doc`     | `max_doc_length`       | newer releases (older ones ignore it)              |
| `return_documents`       | —                      | ignored by vLLM (litellm sends it): kept, no loss  |
| `truncate_prompt_tokens` | `truncation`           | `null` is false (a too-long input is refused), -1 is true (the model's maximum); a positive limit is true, and a loss elsewhere |
| `user`, `request_id`, `priority`, `cache_salt` | `extensions["vllm"]` | housekeeping: kept, no loss elsewhere |
| `use_activation` (`activation`, `softmax`) | `extensions["vllm"]` | `false` returns raw logits (`response_scale`); a reporting loss elsewhere |
| `mm_processor_kwargs`, `padding`, `truncation_side` | `extensions["vllm"]` | a ranking loss elsewhere |
| anything else            | `extensions["vllm"]`   | vLLM logs and ignores it                           |
| —                        | `return_documents`     | vLLM always echoes documents; the request's context removes them for a client that asked none (no loss) |
| —                        | `return_embeddings`    | a loss when set                                    |

Multimodal inputs: a lone `{"type": "text"}` part reads as a `TextDocument`, a lone
`{"type": "image_url", "image_url": {"url"}}` part as an `ImageDocument`; any other content
(several parts, a video, image embeddings) reads as its text, the parts kept for writing back
to vLLM, and is a ranking loss in any other format. Written: a `{text}` document (or an
object's `text`) as its string, an image as an `image_url` part (openai-python
`ChatCompletionContentPartImageParam`); vLLM fetches http(s) and `data:` URLs, and a bare
base64 image (which jina-reranker-m0 takes) is written as the URL as it is (unverified).

Response

| wire field                 | canonical                 | notes                                         |
| -------------------------- | ------------------------- | --------------------------------------------- |
| `id`                       | `extensions["vllm"]`      | `rerank-<request id>`; not carried across, never invented |
| `model`                    | `model`                   |                                               |
| `usage`                    | `usage`                   | `prompt_tokens` (absent before 2025) and `total_tokens`, equal |
| `results[].index`, `relevance_score` | same            | probabilities, logits with `use_activation: false` |
| `results[].document`       | `results[].document`      | **always present**: `{text, multi_modal: null}`, or `{text: null, multi_modal: [parts]}` |

Written from other formats: `document` as vLLM writes it, with both keys (`multi_modal` left
out for a response read without it, as older vLLM wrote), and for the request of a vLLM
client, the content parts it sent; a result without a document (no request to fill it
from) has none. An unknown usage, `id` or `model` is left out.

Errors

| wire                                             | canonical | notes                              |
| ------------------------------------------------ | --------- | ---------------------------------- |
| `{"error": {"message", "type", "param", "code"}}` | `message`, `code` (the `type`) | `ErrorResponse` (`vllm/entrypoints/openai/engine/protocol.py` @ `d7e52523a55cfd60207c99d9f3b7ed527d2115b7`); `code` is the HTTP status |
| `{"object": "error", "message", "type", "param", "code"}` | the same | the flat `ErrorResponse` of older releases (`vllm/entrypoints/openai/protocol.py`, 2024) |
| `{"error": "Unauthorized"}`                      | `message` | the `--api-key` middleware's 401   |

Written: the current envelope, or the one read, as it was. Statuses: 400 (also every
validation failure: vLLM answers them 400, not 422), 401, 404, 429 (a gateway in front), 500,
501, 503.

Unverified: which release moved from the flat error body to the nested one, and from
`usage{total_tokens}` to `prompt_tokens` as well; which first read `max_tokens_per_doc`
(older releases log and ignore it); whether vLLM fetches a bare base64 image (it takes
http(s) and `data:` URLs). Clients tested against the proxy: the cohere SDK 7.3.1 at
`/v2/rerank` (it reads vLLM's answers), litellm 1.110.2's `hosted_vllm` at `/rerank`, and
llama-index's and jina-haystack's Jina clients in front of a vLLM upstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    ImageDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    RerankResult,
    TextDocument,
    Usage,
)
from ..errors import LossKind
from . import _checks, _vllm
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
    own_extension,
)
from ._helpers import echo_text, plain_texts, unsupported
from ._vllm import Body, Content, Error, Input

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
    "Body",
    "Content",
    "Echo",
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

NAME: Final = "vllm"
PROVIDER: Final = "vLLM"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "truncation",
        "max_doc_length",
        "image_documents",
        "response_documents",
        "image_echo",
        "response_model",
        "token_usage",
        "reports_tokens",
    }
)

REQUIRES: Final = frozenset[str]()  # `model` defaults to the served one
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(
    method="POST", path="/v1/rerank", aliases=("/rerank", "/v2/rerank")
)  # vllm/entrypoints/pooling/scoring/api_router.py @ facb56e2eb7d0aadaf272b80475cc9f7e10e0e8b

SCORE_SCALE: Final[ScoreScale] = "probability"  # the pooler's sigmoid, unless use_activation

DEFAULTS: Final[Mapping[str, object]] = {**_vllm.DEFAULTS, "top_n": 0}


def response_scale(request: RerankRequest | None) -> ScoreScale:
    """The scale of the scores answering `request`: logits when it was read from vLLM with
    `use_activation: false` (test_online_rerank.py `test_use_activation`: the default
    scores are the sigmoid of those), else probabilities."""
    return _vllm.response_scale(NAME, request)


class Request(Wire, frozen=True, kw_only=True):
    """A vLLM rerank request (`RerankRequest`).

    Attributes:
        model: The model; absent or null means the served one.
        query: The query: a string or `{"content": [parts]}`.
        documents: The documents: strings or `{"content": [parts]}`.
        top_n: How many results to return; 0 (the default) or less means all.
        max_tokens_per_doc: Truncate each document to this many tokens (newer releases).
        return_documents: Ignored (logged): vLLM always echoes the documents; litellm's
            `hosted_vllm` provider sends it.
        truncate_prompt_tokens: Truncate each query-document prompt to this many tokens
            (-1: the model's maximum); null refuses a too-long input.
        user: The end user, for logs.
        request_id: The id vLLM uses for the request (and in the response's `id`).
        priority: The scheduling priority (0 unless the server schedules by priority).
        mm_processor_kwargs: Arguments for the multimodal processor.
        use_activation: Apply the pooler's activation (null: the model's default, true);
            false returns raw logits.
        activation: The deprecated name of `use_activation`.
        softmax: An older deprecated name of `use_activation`.
        padding: `max_length` or `do_not_pad`.
        truncation_side: `left` or `right`.
        cache_salt: Salts the prefix cache.
    """

    model: str | UnsetType | None = UNSET
    query: Input
    documents: tuple[Input, ...]
    top_n: int | UnsetType = UNSET
    max_tokens_per_doc: Annotated[int, Meta(ge=1)] | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncate_prompt_tokens: Annotated[int, Meta(ge=-1)] | UnsetType | None = UNSET
    user: str | UnsetType | None = UNSET
    request_id: str | UnsetType = UNSET
    priority: int | UnsetType = UNSET
    mm_processor_kwargs: dict[str, object] | UnsetType | None = UNSET
    use_activation: bool | UnsetType | None = UNSET
    activation: bool | UnsetType | None = UNSET
    softmax: bool | UnsetType | None = UNSET
    padding: str | UnsetType | None = UNSET
    truncation_side: str | UnsetType | None = UNSET
    cache_salt: str | UnsetType | None = UNSET


class Echo(Wire, frozen=True, kw_only=True):
    """An echoed document (`RerankDocument`): its text, or its multimodal parts.

    Attributes:
        text: The document's text (null for a multimodal one).
        multi_modal: The document's content parts (null for a text one).
    """

    text: str | UnsetType | None = UNSET
    multi_modal: tuple[dict[str, object], ...] | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of a vLLM rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: A probability, or a logit with `use_activation: false`.
        document: The document echoed back, always.
    """

    index: Annotated[int, Meta(ge=0)]
    document: Echo | UnsetType = UNSET
    relevance_score: float


class RerankUsage(Wire, frozen=True, kw_only=True):
    """vLLM's rerank usage.

    Attributes:
        prompt_tokens: Tokens read (absent in older releases).
        total_tokens: Tokens processed: the same.
    """

    prompt_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
    total_tokens: Annotated[int, Meta(ge=0)]


class Response(Wire, frozen=True, kw_only=True):
    """A vLLM rerank response (`RerankResponse`).

    Attributes:
        id: `rerank-<request id>`.
        model: The served model.
        usage: Token usage.
        results: The documents, by descending score, cut to `top_n`.
    """

    id: str | UnsetType = UNSET
    model: str | UnsetType = UNSET
    usage: RerankUsage | UnsetType | None = UNSET
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
    """Why `target` loses this vllm field (None: nothing of meaning)."""
    if key in ("query", "documents"):
        return _vllm.documents_loss(NAME, value, target)
    if key in _vllm.HOUSEKEEPING:
        return _vllm.housekeeping_loss(key, value, target, supports)
    # top_n's spelling, the model's null, the response's id, and return_documents, which
    # vLLM ignores (its client gets the documents whatever it says)
    return None


_HOUSEKEEPING: Final = _vllm.Housekeeping(Request)


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        model=wire.model,
        return_documents=wire.return_documents,
        **_HOUSEKEEPING(msgspec.structs.astuple(wire)),
    )
    if fields.get("model", UNSET) is not None:
        fields.pop("model", None)  # a model name is canonical; only its null is kept
    if wire.max_tokens_per_doc is None:
        fields["max_tokens_per_doc"] = None  # a client's unset field
    top_n: int | UnsetType | None = wire.top_n
    if isinstance(top_n, int) and top_n <= 0:
        fields["top_n"] = top_n
        top_n = None  # serving.py: `top_n if top_n > 0 else len(...)`
    query, documents = _vllm.inputs_to_canonical(wire.query, wire.documents, fields)
    return RerankRequest(
        model=wire.model if isinstance(wire.model, str) else UNSET,
        query=query,
        documents=documents,
        top_n=top_n,
        truncation=_vllm.truncation_from(wire.truncate_prompt_tokens),
        max_doc_length=UNSET if wire.max_tokens_per_doc is None else wire.max_tokens_per_doc,
        extensions=extension_map(NAME, fields),
    )


def _top_n(request: RerankRequest, own: Any, sink: Sink) -> int | UnsetType:
    top_n = request.top_n
    if top_n is None or top_n is UNSET:
        spelled = kept(own, "top_n")
        return spelled if isinstance(spelled, int) and top_n is None else UNSET
    if top_n <= 0:
        sink("$.top_n", f"vllm reads top_n {top_n} as every result")
    return top_n


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    unsupported(request, sink, "return_embeddings")
    query, documents = _vllm.inputs_from_canonical(request, sink, own, "query", "documents")
    spelled = {key: kept(own, key) for key in _vllm.HOUSEKEEPING}
    spelled["truncate_prompt_tokens"] = _vllm.truncation_out(request, own)
    return Request(
        model=request.model if request.model is not UNSET else kept(own, "model"),
        query=query,
        documents=documents,
        top_n=_top_n(request, own, sink),
        max_tokens_per_doc=request.max_doc_length
        if request.max_doc_length is not UNSET
        else kept(own, "max_tokens_per_doc"),
        return_documents=kept(own, "return_documents"),
        **spelled,
    )


def _echo_to_canonical(echo: Echo | UnsetType) -> tuple[Document | UnsetType | None, bool]:
    if echo is UNSET:
        return UNSET, True
    if isinstance(echo.multi_modal, tuple):
        return _vllm.from_content(echo.multi_modal)
    if isinstance(echo.text, str):
        return TextDocument(text=echo.text), True
    return None, True


_NO_PARTS: Final = frozenset({UnsetType, type(None)})


def _text_results(results: tuple[Result, ...], absent: set[str]) -> list[RerankResult] | None:
    """The canonical results when every echo is a text (the usual), read with no call per
    result; None for anything else."""
    echoes: list[Any] = [r.document for r in results]  # each an Echo, checked next
    if not results or set(map(type, echoes)) != {Echo}:
        return None
    parts = {type(e.multi_modal) for e in echoes}
    if not parts <= _NO_PARTS or {type(e.text) for e in echoes} != {str}:
        return None
    if UnsetType in parts:
        absent.add("multi_modal")  # vLLM before RerankDocument.multi_modal
    return [
        RerankResult(
            index=r.index, relevance_score=r.relevance_score, document=TextDocument(text=e.text)
        )
        for r, e in zip(results, echoes, strict=True)
    ]


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, id=wire.id)
    extra: dict[int, dict[str, object]] = {}
    for position, more in left.results.items():
        extra[wire.results[position].index] = dict(more)
    absent: set[str] = set()
    results = _text_results(wire.results, absent)
    if results is None:
        results = []
        for r in wire.results:
            document, exact = _echo_to_canonical(r.document)
            if not exact:
                extra.setdefault(r.index, {})["document"] = _vllm.plain(r.document)
            if isinstance(r.document, Echo) and r.document.multi_modal is UNSET:
                absent.add("multi_modal")  # vLLM before RerankDocument.multi_modal
            results.append(
                RerankResult(index=r.index, relevance_score=r.relevance_score, document=document)
            )
    usage = wire.usage
    if isinstance(usage, RerankUsage) and usage.prompt_tokens is UNSET:
        absent.add("prompt_tokens")
    return RerankResponse(
        results=tuple(results),
        model=wire.model,
        usage=Usage(total_tokens=usage.total_tokens, prompt_tokens=usage.prompt_tokens)
        if isinstance(usage, RerankUsage)
        else usage,
        extensions=extension_map(NAME, fields, results=extra or None, absent=absent),
    )


def _sent_content(request: RerankRequest | None) -> dict[int, tuple[dict[str, object], ...]]:
    """The content parts of the multimodal documents a vLLM client sent, by index: what
    vLLM echoes (`RerankDocument(multi_modal=document.get("content", []))`)."""
    raw = kept(own_extension(request.extensions, NAME), "documents") if request else UNSET
    if not isinstance(raw, list):
        return {}
    sent = msgspec.convert(raw, tuple[Input, ...])
    return {i: d.content for i, d in enumerate(sent) if isinstance(d, Content)}


def _echo_out(
    result: RerankResult,
    position: int,
    sink: Sink,
    own: Any,
    absent: frozenset[str],
    sent: Mapping[int, tuple[dict[str, object], ...]],
) -> Echo | UnsetType:
    document = result.document
    if document is UNSET:
        return UNSET  # nothing to echo (no request to fill it from)
    multi: Any = UNSET if "multi_modal" in absent else None
    parts = sent.get(result.index)
    if parts is not None and _vllm.from_content(parts)[0] == document:
        return Echo(text=None, multi_modal=parts)  # the parts the client sent, as vLLM does
    if own is not None:
        raw = own.results.get(result.index, {}).get("document")
        if raw is not None:
            echo = msgspec.convert(raw, Echo)
            if _echo_to_canonical(echo)[0] == document:
                return echo
    if document is None:
        return Echo(text=None, multi_modal=multi)
    if isinstance(document, ImageDocument):
        return Echo(text=None, multi_modal=(_vllm.image_part(document.image),))
    text = echo_text(document, f"$.results[{position}].document", sink)
    if text is None:
        return Echo(text=None, multi_modal=multi)
    return Echo(text=text, multi_modal=multi)


def _usage_out(usage: Usage | UnsetType | None, absent: frozenset[str], sink: Sink) -> Any:
    if not isinstance(usage, Usage):
        return UNSET  # unknown: left out
    completion = usage.completion_tokens
    if completion not in (UNSET, 0):
        sink("$.usage", "vllm reports prompt tokens only; completion tokens are lost", "reporting")
    prompt = usage.prompt_tokens
    made = completion or 0
    if prompt is UNSET and "prompt_tokens" not in absent and usage.total_tokens >= made:
        prompt = usage.total_tokens - made  # a reranker reads every token
    return RerankUsage(prompt_tokens=prompt, total_tokens=usage.total_tokens)


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    own = own_extension(response.extensions, NAME)
    absent = own.absent if own is not None else frozenset()
    embedding_losses(response.results, sink)
    sent = _sent_content(request)
    texts = plain_texts(response.results) if own is None and not sent else None
    results = tuple(
        [  # the usual results: their texts found with no call per result
            Result(
                index=r.index,
                relevance_score=r.relevance_score,
                document=UNSET if t is UNSET else Echo(text=t, multi_modal=None),
            )
            for r, t in zip(response.results, texts, strict=True)
        ]
        if texts is not None
        else [
            Result(
                index=r.index,
                relevance_score=r.relevance_score,
                document=_echo_out(r, position, sink, own, absent, sent),
            )
            for position, r in enumerate(response.results)
        ]
    )
    return Response(
        id=kept(own, "id"),
        model=response.model,
        usage=_usage_out(response.usage, absent, sink),
        results=results,
    )


# -- errors ------------------------------------------------------------------------------------

ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 404, 429, 500, 501, 503})
STATUS_MAP: Final[Mapping[int, int]] = {422: 400}  # vLLM answers validation failures 400


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return _vllm.error_to_canonical(NAME, wire, left, status)


def error_from_canonical(error: RerankError) -> Error:
    return _vllm.error_from_canonical(NAME, error, STATUSES, STATUS_MAP)


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """vLLM answers every error in JSON."""
    return None


# -- validation (what vLLM does with a payload) ------------------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",  # extra="allow": logged and ignored
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what vLLM would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="warning")
        _vllm.check_inputs(body, report, "documents")
        if "return_documents" in body:
            report(
                "$.return_documents",
                "unsupported_field",
                "vLLM ignores return_documents: it always echoes the documents",
                "warning",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import vllm as _this

    _face: Format = _this
