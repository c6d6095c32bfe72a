"""Together AI rerank, `POST https://api.together.xyz/v1/rerank`: a Cohere dialect.

Reference: togethercomputer/openapi `openapi.yaml` @ 090263aa0fde006d9cd958bef52719958079bbc4
(`/rerank`, `RerankRequest`, `RerankResponse`, `ErrorData`, `UsageData`; the excerpt is in
fixtures/specs/together-rerank.openapi.json), the SDK `together` 3.1.1 on PyPI
(`together/resources/rerank.py`, `together/types/rerank_create_response.py`: Stainless,
generated from that spec) and togethercomputer/together-python @ eba5e5f0
(`src/together/abstract/api_requestor.py`, which reads errors from `resp["error"]`). The
spec's server is now `https://api.together.ai/v1`; the key is a Bearer token.

Request

| wire field         | canonical                | notes                                            |
| ------------------ | ------------------------ | ------------------------------------------------ |
| `model`            | `model`                  | required                                         |
| `query`            | `query`                  | a string                                         |
| `documents[]`      | `documents`              | all strings, or all objects (`oneOf`)            |
| `top_n`            | `top_n`                  |                                                  |
| `return_documents` | `return_documents`       | default **false** (the SDK leaves it out)        |
| `rank_fields`      | `extensions["together"]` | the object keys to rank on (default all): a loss for other formats |
| —                  | `truncation`, `max_doc_length`, `return_embeddings` | losses when set       |

`RerankRequest` is `additionalProperties: false`: Together refuses any other key, so none
is written (a Jina client's unknown key is a loss, not sent). Documents are written as
strings while they are all texts (`{text}` as its text); with an object among them, every
document is an object (a string as `{"text": ...}`), since the spec takes no mixed list.
An image is a loss (its URL is sent).

Response

| wire field                | canonical                | notes                                       |
| ------------------------- | ------------------------ | ------------------------------------------- |
| `object`                  | `extensions["together"]` | always `"rerank"`; written so               |
| `id`                      | `extensions["together"]` | this exchange's id; not carried across      |
| `model`                   | `model`                  | the model that ranked (its internal name)   |
| `results[].index`, `results[].relevance_score` | same |                                           |
| `results[].document.text` | `results[].document`     | a text; `{}` (and `{"text": null}`) is a null document |
| `usage`                   | `usage`                  | `{prompt_tokens, completion_tokens, total_tokens}` |

For an object document, Together's `document.text` is the object as a JSON string: the
spec's example answers the `{"title": "Llama", "text": ...}` request document with
`{"text": "{\\"title\\":\\"Llama\\",\\"text\\":...}"}` (compact, non-ASCII unescaped). Read in
the context of a request whose document at that index is an object serialised to exactly
that text, it is read back as that object (`response_in_context`); anywhere else it stays
the text Together sent. Written from other formats, an object document is serialised the
same way when it is the request's own (any other object is echoed as its `text`, as
the strings-only formats echo it), a document is always present, `{}` when there is none
(the spec requires `document`; the answer vercel/ai recorded for its tests,
`packages/togetherai/src/reranking/__fixtures__/togetherai-reranking.1.json` @ 878409f2, has
`"document": {}` without `return_documents`, not the spec's nullable `text`), `usage`
has all three counts (`completion_tokens` 0 when unknown: a rerank produces none), and
`model` comes from the request when the response has none.

Errors

`ErrorData`: `{"error": {message, type, param?, code?}}`, `code` a string or null. Written
from other formats, `type` is `invalid_request_error` for a 4xx and `server_error` otherwise.
Statuses: 400, 401, 404, 429, 503, 504 (the spec's), and 500; a 422 is written as 400 and a
403 as 401. The recorded 401 (harshitv804/LawGPT #4) is `ErrorData` with `code` `invalid_api_key`;
the other statuses are the spec's shape only.
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
    RerankResult,
    TextDocument,
    Usage,
)
from ..errors import LossKind
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
    write_flag,
)
from ._envelope import Body, envelope_body, envelope_to_canonical
from ._helpers import echo_text, plain_texts, prompt_count, unsupported

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
    "ResultDocument",
    "check",
    "error_from_canonical",
    "error_from_text",
    "error_to_canonical",
    "field_loss",
    "request_from_canonical",
    "request_to_canonical",
    "response_from_canonical",
    "response_in_context",
    "response_to_canonical",
    "stringified",
]

NAME: Final = "together"
PROVIDER: Final = "Together AI"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "response_model",
        "token_usage",
        "usage_split",
        "reports_tokens",
    }
)

REQUIRES: Final = frozenset({"model"})  # RerankRequest.required
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank")  # Bearer; no batch limit documented

SCORE_SCALE: Final[ScoreScale] = "unknown"  # the spec promises no range

DEFAULTS: Final[Mapping[str, object]] = {"return_documents": False}  # the SDK's default

_ENCODER = msgspec.json.Encoder()
D = TypeVar("D")


class Request(Wire, Generic[D], frozen=True, kw_only=True):
    """A Together rerank request (`RerankRequest`, closed to other keys).

    Attributes:
        model: The model, such as `Salesforce/Llama-Rank-v1`.
        query: The search query.
        documents: All strings, or all objects (ranked on `rank_fields`, default every key).
        top_n: How many results to return.
        return_documents: Whether each result carries its document (default false).
        rank_fields: For object documents: the keys to rank on.
    """

    model: str
    query: str
    documents: tuple[D, ...]
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    rank_fields: list[str] | UnsetType | None = UNSET


class ResultDocument(Wire, frozen=True, kw_only=True):
    """A result's `document`.

    Attributes:
        text: The document's text (an object document as a JSON string); absent (`{}`) or
            null without `return_documents`.
    """

    text: str | UnsetType | None = UNSET


class Result(Wire, frozen=True, kw_only=True):
    """One result of a Together rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: Higher is more relevant.
        document: `{"text": ...}` (required by the spec, `text` nullable).
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: ResultDocument | UnsetType | None = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A Together rerank response (`RerankResponse`).

    Attributes:
        object: Always `"rerank"`.
        id: The request's id.
        model: The model that ranked the documents.
        results: The ranked documents, by descending relevance score.
        usage: `{prompt_tokens, completion_tokens, total_tokens}` (`UsageData`, nullable).
    """

    object: str | UnsetType = UNSET
    id: str | UnsetType | None = UNSET
    model: str | UnsetType = UNSET
    results: tuple[Result, ...]
    usage: Usage | UnsetType | None = UNSET


REQUEST: Final = Codec[Request[FastDocument]](
    format=NAME,
    kind="request",
    fast=Request[FastDocument],
    general=Request[GeneralDocument],
    struct=Request,
    keep_unknown=False,  # additionalProperties: false
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
    """Why `target` loses this together field (and what that changes), or None when nothing
    is lost (nulls and `DEFAULTS` never get here)."""
    if key == "rank_fields":
        return (
            f"together ranks on these object fields; {target} ranks one text per document",
            "ranking",
        )
    return None  # return_documents' spelling, and the response's object and id


def request_to_canonical(wire: Request[WireDocument], left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left, top_n=None if wire.top_n is None else UNSET, rank_fields=wire.rank_fields
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
        documents=canonical_documents(wire.documents, left, images=False),
        top_n=wire.top_n,
        return_documents=return_documents,
        extensions=extension_map(NAME, fields, defaulted),
    )


def _as_object(document: Document, path: str, sink: Sink) -> dict[str, str]:
    if isinstance(document, ObjectDocument):
        return dict(document.fields)
    text, lossy = text_of(document)
    if lossy:
        sink(path, f"together cannot rank {document_for_loss(document)}")
    return {"text": text}


def _as_text(document: Document, path: str, sink: Sink) -> str:
    text, lossy = text_of(document)
    if lossy:
        sink(path, f"together cannot rank {document_for_loss(document)}")
    return text


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request[Any]:
    own = own_extension(request.extensions, NAME)
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"together takes a text query, not {document_for_loss(request.query)}")
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    kinds = document_types(request.documents)
    documents: tuple[Any, ...]
    if kinds <= {str}:
        documents = tuple(request.documents)  # the usual: no call per document
    elif own is not None and kinds <= {str, TextDocument, ObjectDocument}:
        documents = tuple(
            [dict(d.fields) if isinstance(d, ObjectDocument) else d for d in request.documents]
        )  # as a Together client sent them
    else:
        # the spec's `oneOf`: all strings or all objects
        write = _as_object if ObjectDocument in kinds else _as_text
        documents = tuple(
            [write(d, f"$.documents[{i}]", sink) for i, d in enumerate(request.documents)]
        )
    return Request(
        model=request.model,  # type: ignore[arg-type]  # UNSET is omitted; a loss (REQUIRES)
        query=query,
        documents=documents,
        top_n=kept(own, "top_n") if request.top_n is None else request.top_n,
        return_documents=write_flag(
            request.return_documents, "return_documents", default=False, coerce=bool, own=own
        ),
        rank_fields=kept(own, "rank_fields"),
    )


def _read_document(document: ResultDocument | UnsetType | None) -> Any:
    if document is UNSET or document is None:
        return document
    return (
        None
        if document.text is None or document.text is UNSET
        else TextDocument(text=document.text)
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, object=wire.object, id=wire.id)
    return RerankResponse(
        results=tuple(
            [
                RerankResult(
                    index=r.index,
                    relevance_score=r.relevance_score,
                    document=_read_document(r.document),
                )
                for r in wire.results
            ]
        ),
        model=wire.model,
        usage=wire.usage,
        extensions=extension_map(NAME, fields, results=kept_results(left, wire.results)),
    )


def stringified(document: ObjectDocument) -> str:
    """An object document as Together's `document.text` spells it: compact JSON, its keys in
    order, non-ASCII unescaped (the spec's example response)."""
    return _ENCODER.encode(dict(document.fields)).decode()


def response_in_context(response: RerankResponse, request: RerankRequest) -> RerankResponse:
    """`response` with each document that is the JSON string of the request's object
    document at its index read back as that object."""
    documents = request.documents
    if ObjectDocument not in document_types(documents):
        return response
    results = []
    changed = False
    for r in response.results:
        original = documents[r.index] if 0 <= r.index < len(documents) else None
        if (
            isinstance(original, ObjectDocument)
            and isinstance(r.document, TextDocument)
            and r.document.text == stringified(original)
        ):
            r = msgspec.structs.replace(r, document=original)
            changed = True
        results.append(r)
    return msgspec.structs.replace(response, results=tuple(results)) if changed else response


_EMPTY: Final = ResultDocument()  # `{}`: what Together answers without documents


def _write_document(
    document: Document | UnsetType | None,
    position: int,
    sink: Sink,
    sent: Document | None,
) -> Any:
    if document is UNSET or document is None:
        return _EMPTY
    if isinstance(document, ObjectDocument) and document != sent:
        # not the request's own object (which is read back from its JSON text in context):
        # its `text`, as the strings-only formats echo it
        return ResultDocument(text=echo_text(document, f"$.results[{position}].document", sink))
    if isinstance(document, ObjectDocument):
        return ResultDocument(text=stringified(document))
    if isinstance(document, ImageDocument):
        sink(
            f"$.results[{position}].document", "together cannot echo an image document", "reporting"
        )
        return _EMPTY
    return ResultDocument(text=document if type(document) is str else document.text)  # type: ignore[union-attr]


def _usage(usage: Usage | UnsetType | None, sink: Sink) -> Usage | UnsetType | None:
    # UsageData requires all three counts; a rerank produces no output tokens (each count
    # is written as it is, so nothing is lost even when they do not add up)
    if not isinstance(usage, Usage):
        return usage
    made = 0 if usage.completion_tokens is UNSET else usage.completion_tokens
    read = prompt_count(usage, sink)
    return Usage(total_tokens=usage.total_tokens, prompt_tokens=read, completion_tokens=made)


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink)
    texts = plain_texts(response.results)
    if texts is not None:  # the usual results: their texts found with no call per result
        absent = _EMPTY if own is None else UNSET  # read without one: written back without one
        results = [
            Result(
                index=r.index,
                relevance_score=r.relevance_score,
                document=absent
                if t is UNSET
                else (_EMPTY if t is None else ResultDocument(text=t)),
            )
            for r, t in zip(response.results, texts, strict=True)
        ]
    else:
        sent = () if request is None else request.documents
        results = []
        for position, r in enumerate(response.results):
            if own is not None and r.document is UNSET:
                document: Any = UNSET
            else:
                original = sent[r.index] if 0 <= r.index < len(sent) else None
                document = _write_document(r.document, position, sink, original)
            results.append(
                Result(index=r.index, relevance_score=r.relevance_score, document=document)
            )
    model = response.model
    if model is UNSET and request is not None:
        model = request.model
    return Response(
        object="rerank" if own is None else kept(own, "object"),
        id=kept(own, "id"),
        model=model,
        results=tuple(results),
        usage=response.usage if own is not None else _usage(response.usage, sink),
    )


# -- errors: `ErrorData`, `{"error": {message, type, param, code}}` ----------------------------

STATUSES: Final = frozenset({400, 401, 404, 429, 500, 503, 504})
STATUS_MAP: Final = {403: 401, 422: 400}


class Error(Wire, frozen=True, kw_only=True):
    """A Together error body (`ErrorData`).

    Attributes:
        error: `message` and `type` (required), `param` and `code` (strings or null).
    """

    error: Body


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    return envelope_to_canonical(NAME, wire.error, dict(left.fields), status)


def error_from_canonical(error: RerankError) -> Error:
    kind = "invalid_request_error" if 400 <= error.status < 500 else "server_error"
    code = None if error.code is UNSET else error.code
    return Error(error=envelope_body(NAME, error, code=code, type=kind))


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Together answers errors in JSON."""
    return None


# -- validation (what Together's spec refuses) --------------------------------------------------

UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "error",  # additionalProperties: false
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Together would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")
        _checks.check_top_n(body, report, REQUEST, below_one="warning")
        items = _checks.documents(body, REQUEST)
        if len({isinstance(d, Mapping) for d in items}) > 1:
            report(
                "$.documents",
                "invalid_value",
                "documents are all strings or all objects (the spec's oneOf)",
                "error",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import together as _this

    _face: Format = _this
