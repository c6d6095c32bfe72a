"""NVIDIA NIM (NeMo Retriever) reranking, `POST http://<host>:8000/v1/ranking`: raw logits.

Reference: the NIM docs, https://docs.nvidia.com/nim/nemo-retriever/text-reranking/latest/
using-reranking.html and reference.html (the `/v1/ranking` request and response), and the
NVIDIA-maintained client `langchain-nvidia-ai-endpoints` 1.5.0 (langchain-ai/langchain-nvidia
@ 648e3fb16c73e5e79986ef2e48802db101d583ee): `libs/ai-endpoints/langchain_nvidia_ai_endpoints/
reranking.py` (`NVIDIARerank._prepare_payload` sends `model`, `query: {text}`,
`passages: [{text, image?}]` and `truncate` only when set; `_process_response` reads
`rankings[].index` and `.logit`, cuts them to its own `top_n` and stores the logit as
`relevance_score`) and `_common.py` (`_try_raise`, `_format_error`: an error body's
`title`, else `message`, else `error`, is the headline and `detail` the text).

Request

| wire field     | canonical    | notes                                                    |
| -------------- | ------------ | -------------------------------------------------------- |
| `model`        | `model`      | required                                                 |
| `query.text`   | `query`      | a string                                                 |
| `passages[]`   | `documents`  | `{text}`; `{image}` (a base64 data URL, VLM rerankers); both |
| `truncate`     | `truncation` | `"END"` is true, `"NONE"` false; the default is model-dependent |
| —              | `top_n`      | NIM returns every passage: cut in the request's context (a reporting loss) |
| —              | `return_documents` | NIM never echoes: documents are filled from the request |
| —              | `max_doc_length`, `return_embeddings` | losses when set                 |
| anything else  | —            | not sent: NIM answers 400 to an unknown key (BerriAI/litellm #34165) |

A request read from NIM asks no documents back (`return_documents` false, NIM's own
behaviour). Strings are sent as `{text}`; an object without a `text` or `image` is flattened
to its text (a loss).

Response

| wire field          | canonical                   | notes                               |
| ------------------- | --------------------------- | ----------------------------------- |
| `rankings[].index`  | `results[].index`           |                                     |
| `rankings[].logit`  | `results[].relevance_score` | a raw logit (`SCORE_SCALE`)          |
| `usage`             | `usage`                     | `prompt_tokens`, `total_tokens` (newer releases) |
| —                   | `model`                     | filled from the request              |

Echoed documents have no place (a NIM client has its passages; a client of another format
gets them from its request).

Errors

| wire field    | canonical | notes                                                  |
| ------------- | --------- | ------------------------------------------------------ |
| `message`     | `message` | required                                               |
| `object`      | —         | `"error"`, always written                              |
| `type`        | `code`    |                                                        |
| anything else | `extensions["nim"]` | kept for writing back                        |

The NIM container answers `{"object": "error", "message": "...", ...}` (langchain-nvidia
commit 2ca9609019a0cfa3afbd4e5a0c76ecde74dc2100, "NIM containers return error details in a
'message' field (e.g. {"object":"error","message":"Input length 12007 exceeds maximum
allowed token size 8192",...})", with 400 or 422).

NVIDIA's hosted endpoints answer problem details instead (`title`, `detail`, `status`,
`requestId`, which langchain-nvidia's `_format_error` reads): such a body has no `message`
and is read as the shared `{detail}` shape (Jina's), its `requestId` kept there.

Statuses: 400, 401, 403, 404, 422, 429, 500, 503.

Unverified: the keys of the container's error body beyond `object` and `message` (elided in
the source), the hosted endpoints' per-model URLs
(`https://ai.api.nvidia.com/v1/retrieval/nvidia/<model>/reranking`), a batch limit for text
rerankers (the 2.4 docs give 512 passages for VLM rerankers; langchain sends 32 per call),
and whether every release reports `usage`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

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
    check_unset,
    document_for_loss,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    text_of,
)
from ._errors import fold
from ._helpers import texts_of, unsupported

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
    "Passage",
    "Query",
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

NAME: Final = "nim"
PROVIDER: Final = "NVIDIA NIM"

SUPPORTS: Final = frozenset(
    {"model", "truncation", "image_documents", "token_usage", "usage_split"}
)

REQUIRES: Final = frozenset({"model"})  # the request schema requires `model`
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v1/ranking")

SCORE_SCALE: Final[ScoreScale] = "logit"  # `logit`: the model's raw output, often negative

# `truncate` has no default to declare: the docs say "NONE", langchain-nvidia "model dependent"
DEFAULTS: Final[Mapping[str, object]] = {}

_TRUNCATE: Final = {"END": True, "NONE": False}


class Query(Wire, frozen=True, kw_only=True):
    """A NIM query.

    Attributes:
        text: The query's text.
    """

    text: str


class Passage(Wire, frozen=True, kw_only=True):
    """A NIM passage: a text, an image (VLM rerankers), or both.

    Attributes:
        text: The passage's text (left out for an image-only passage).
        image: A base64 data URL of a PNG or JPEG image.
    """

    text: str | UnsetType = UNSET
    image: str | UnsetType = UNSET


class Request(Wire, frozen=True, kw_only=True):
    """A NIM ranking request.

    Attributes:
        model: The reranker, such as `nvidia/llama-nemotron-rerank-1b-v2`.
        query: The query, `{"text": ...}`.
        passages: The passages to rank.
        truncate: `"END"` truncates over-long inputs, `"NONE"` refuses them.
    """

    model: str
    query: Query
    passages: tuple[Passage, ...]
    truncate: str | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One ranking of a NIM response.

    Attributes:
        index: The passage's position in the request's `passages`.
        logit: The model's raw score: higher is more relevant.
    """

    index: Annotated[int, Meta(ge=0)]
    logit: float


class TokenUsage(Wire, frozen=True, kw_only=True):
    """A NIM response's `usage` (newer releases), in its wire order.

    Attributes:
        prompt_tokens: The tokens read.
        total_tokens: The tokens used.
        completion_tokens: Not documented for NIM; read and written where present (an
            OpenAI-style `usage` of a gateway in front of it).
    """

    prompt_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
    total_tokens: Annotated[int, Meta(ge=0)]
    completion_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A NIM ranking response.

    Attributes:
        rankings: Every passage, by descending logit.
        usage: The tokens used (newer releases): `prompt_tokens`, `total_tokens`.
    """

    rankings: tuple[Result, ...]
    usage: TokenUsage | UnsetType | None = UNSET


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keys={"documents": "passages"},
    # 400 "top_k: unknown field, expected one of model, query, passages, truncate"
    # (BerriAI/litellm #34165): an unknown key is not sent
    keep_unknown=False,
)
RESPONSE: Final = Codec[Response](
    format=NAME,
    kind="response",
    fast=Response,
    general=Response,
    struct=Response,
    nested=("rankings", Result),
    keys={"relevance_score": "logit"},
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Every NIM field is canonical: none of them lives in an extension."""
    return None


def _document(passage: Passage) -> Document:
    if passage.image is UNSET and passage.text is not UNSET:
        return passage.text
    if passage.text is UNSET and passage.image is not UNSET:
        return ImageDocument(image=passage.image)
    present = {"text": passage.text, "image": passage.image}
    return ObjectDocument(fields={k: v for k, v in present.items() if v is not UNSET})


def _documents(passages: tuple[Passage, ...]) -> tuple[Document, ...]:
    """The canonical documents; text passages (the usual) with no call per passage."""
    texts: tuple[Any, ...] = tuple([p.text for p in passages])
    if set(map(type, texts)) <= {str} and {type(p.image) for p in passages} <= {UnsetType}:
        return texts
    return tuple([_document(p) for p in passages])


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    truncate = wire.truncate
    # null, and a value NIM does not document, are kept as spelled (`check` reports the latter)
    fields = kept_fields(left, truncate=UNSET if truncate in _TRUNCATE else truncate)
    return RerankRequest(
        model=wire.model,
        query=wire.query.text,
        documents=_documents(wire.passages),
        return_documents=False,  # NIM never echoes: recorded as its default
        truncation=_TRUNCATE[truncate]
        if isinstance(truncate, str) and truncate in _TRUNCATE
        else UNSET,
        extensions=extension_map(NAME, fields, {"return_documents"}),
    )


def _passage(document: Document, path: str, sink: Sink) -> Passage:
    if type(document) is str:
        return Passage(text=document)
    if isinstance(document, TextDocument):
        return Passage(text=document.text)
    if isinstance(document, ImageDocument):
        # image-only: no `text` (the 2.4 docs)
        return Passage(image=document.image)
    fields = cast(ObjectDocument, document).fields
    if "text" in fields or set(fields) == {"image"}:  # an object's `text` stands for it
        return Passage(text=fields.get("text", UNSET), image=fields.get("image", UNSET))
    text, _ = text_of(document)
    sink(path, f"nim takes a text and an image, not {document_for_loss(document)}")
    return Passage(text=text)


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"nim takes a text query, not {document_for_loss(request.query)}")
    unsupported(request, sink, "max_doc_length", "return_embeddings")
    # NIM returns every passage, best first: the request's context cuts them
    check_unset(
        sink, request, "top_n", "nim returns every passage (cut in the request's context)",
        "reporting",
    )  # fmt: skip
    own = own_extension(request.extensions, NAME)
    truncation = request.truncation
    return Request(
        model=cast(str, request.model),  # UNSET is left out: a loss (REQUIRES)
        query=Query(text=query),
        passages=tuple(
            [Passage(text=text) for text in texts]  # the usual documents: no call per document
            if (texts := texts_of(request.documents)) is not None
            else [_passage(d, f"$.passages[{i}]", sink) for i, d in enumerate(request.documents)]
        ),
        truncate=kept(own, "truncate")
        if truncation is None or truncation is UNSET
        else ("END" if truncation else "NONE"),
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    return RerankResponse(
        results=tuple(
            [RerankResult(index=r.index, relevance_score=r.logit) for r in wire.rankings]
        ),
        usage=wire.usage
        if not isinstance(wire.usage, TokenUsage)
        else Usage(
            total_tokens=wire.usage.total_tokens,
            prompt_tokens=wire.usage.prompt_tokens,
            completion_tokens=wire.usage.completion_tokens,
        ),
        extensions=extension_map(
            NAME, dict(left.fields), results=kept_results(left, wire.rankings)
        ),
    )


def _usage(usage: Usage | UnsetType | None) -> TokenUsage | UnsetType | None:
    if not isinstance(usage, Usage):
        return usage
    return TokenUsage(
        prompt_tokens=usage.prompt_tokens,
        total_tokens=usage.total_tokens,
        completion_tokens=usage.completion_tokens,
    )


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    embedding_losses(response.results, sink)
    # no echoed documents: a NIM client has its passages (the response path restores them)
    rankings = tuple([Result(index=r.index, logit=r.relevance_score) for r in response.results])
    return Response(rankings=rankings, usage=_usage(response.usage))


# -- errors --------------------------------------------------------------------------------------


class Error(Wire, frozen=True, kw_only=True):
    """A NIM container's error body, `{"object": "error", "message": ...}`.

    Attributes:
        object: `"error"`.
        message: What went wrong.
        type: What kind of error, when given.
    """

    object: str | UnsetType = UNSET
    message: str
    type: str | UnsetType = UNSET


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 401, 403, 404, 422, 429, 500, 503})
STATUS_MAP: Final[Mapping[int, int]] = {}


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return RerankError(
        status=500 if status is None else status,
        message=wire.message,
        code=wire.type,
        extensions=extension_map(
            NAME, dict(left.fields), absent=("object",) if wire.object is UNSET else ()
        ),
    )


def error_from_canonical(error: RerankError) -> Error:
    own = own_extension(error.extensions, NAME)
    absent = own.absent if own is not None else frozenset()
    return Error(
        object=UNSET if "object" in absent else "error",
        message=fold(error.message, error.details),
        type=error.code,
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """A NIM error is JSON (the proxy in front of it may answer plain text, not read here)."""
    return None


# -- validation ---------------------------------------------------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    # the hosted API answers 400 "top_k: unknown field, expected one of model, query,
    # passages, truncate" (BerriAI/litellm #34165)
    "request": "error",
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, Any], report: _checks.Report) -> None:
    """Report what NIM would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")
        truncate = body.get("truncate")
        if truncate is not None and truncate not in _TRUNCATE:
            report("$.truncate", "invalid_value", 'truncate is "END" or "NONE"', "error")
        for i, passage in enumerate(_checks.documents(body, REQUEST)):
            if not isinstance(passage, Mapping) or "image" not in passage:
                continue
            if passage.get("text") == "":
                report(
                    f"$.passages[{i}].text",
                    "invalid_value",
                    "an image-only passage leaves `text` out (an empty text is refused)",
                    "warning",
                )
            image = passage["image"]
            if isinstance(image, str) and not image.startswith("data:"):
                report(
                    f"$.passages[{i}].image",
                    "invalid_value",
                    "NIM takes images as base64 data URLs (data:image/...), not links",
                    "warning",  # refused per the 2.4 docs; not proven for every NIM release
                )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import nim as _this

    _face: Format = _this
