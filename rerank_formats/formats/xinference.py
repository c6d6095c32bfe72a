"""Xinference rerank, `POST http://<host>:9997/v1/rerank`.

Reference: xorbitsai/inference `xinference/api/schemas/requests.py` (`RerankRequest`, parsed
with pydantic v1) and `xinference/types.py` (the response TypedDicts); docs at
https://inference.readthedocs.io/en/latest/models/model_abilities/rerank.html.

Request

| wire field           | canonical                    | notes                                            |
| -------------------- | ---------------------------- | ------------------------------------------------ |
| `model`              | `model`                      | required: the running model's UID               |
| `query`              | `query`                      | a string                                         |
| `documents[]`        | `documents`                  | strings only: `{text}` is written as its text    |
| `top_n`              | `top_n`                      | `null` kept                                      |
| `return_documents`   | `return_documents`           | default **false**; `null` and pydantic v1's strings (`"true"`, `"no"`, ...) read as booleans, their spelling kept |
| `return_len`         | `extensions["xinference"]`   | asks for `meta.tokens`; a reporting loss only for formats that report no token usage |
| `max_chunks_per_doc` | `extensions["xinference"]`   | a loss for other formats unless `null`          |
| `kwargs`             | `extensions["xinference"]`   | a JSON *string*, kept as is; a loss unless empty |
| anything else        | `extensions["xinference"]`   | Xinference ignores unknown keys                  |
| —                    | `truncation`, `max_doc_length`, `return_embeddings` | losses when set          |

Written from other formats, a request asks `"return_len": true`: the canonical model is Jina's,
whose responses always report token usage (jina-haystack and litellm read it), and Xinference
counts tokens only when asked. A request read from Xinference keeps its own `return_len`
(absent stays absent).

Image documents and queries, and objects without a `text`, are losses (Xinference takes
images only as strings plus `kwargs`, which this library does not synthesise). An object with
a `text` is sent as its text: its other fields were not ranked (Cohere v1 ranks on `text`
unless `rank_fields` says otherwise), and the response path echoes the original object.

Response

| wire field                 | canonical                  | notes                                       |
| -------------------------- | -------------------------- | ------------------------------------------- |
| `id`                       | `extensions["xinference"]` | this exchange's id; not carried across      |
| `meta`                     | `extensions["xinference"]` | kept whole; `meta.tokens.input_tokens` is the usage (`output_tokens` only repeats it) |
| `results[].index`, `results[].relevance_score` | same   | scores may be negative logits               |
| `results[].document`       | `results[].document`       | `{text}`, `null`, or a bare string (llama.cpp engine) |

Written from other formats, as Xinference's engines write them: `document` is always present,
`{"text": ...}` (a bare string from a current Jina upstream too) or `null`; `meta` always has
its four keys, with `tokens` from `usage` (input and output both the total, as Xinference
reports them), but `null` when the request it answers did not ask `return_len`. A response
read from Xinference is written back as it was: a bare-string document (llama.cpp) stays one,
and a response without `meta` (before v0.12.2) gets none.

Errors

| wire                                  | canonical  | notes                                     |
| ------------------------------------- | ---------- | ----------------------------------------- |
| `{"detail": "..."}`                   | `message`  | an engine error's `[address=..., pid=...]` prefix is internal topology: removed from `message`, kept for writing back |
| `text/plain` `Internal Server Error: ...` | `message` | a malformed request (Xinference parses outside FastAPI's 422 path), status 500; the actor prefix is removed too |
| `text/plain` `Access denied for IP: ...`  | `message` | status 403                          |

Statuses: 400, 401, 403, 404 (unknown model since v2.7.0), 429, 500 (also every validation
failure: a 422 is written as 500), 503. Field-level details are folded into the message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, Generic, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    Extension,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    TextDocument,
    Usage,
)
from ..errors import DecodeError, LossKind
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
    convert_at,
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
from ._errors import fold
from ._helpers import echo_text, single_count, strings_only, unsupported

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
    "Flag",
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

NAME: Final = "xinference"
PROVIDER: Final = "Xinference"  # for messages about what it does

SUPPORTS: Final = frozenset(
    {
        "model",
        "top_n",
        "return_documents",
        "response_documents",
        "token_usage",
        "reports_tokens",
    }
)

REQUIRES: Final = frozenset({"model"})  # the running model's UID
"""The canonical request fields this format cannot do without (a loss when absent)."""

ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank")

SCORE_SCALE: Final[ScoreScale] = (
    "unknown"  # model-dependent: FlagLLMReranker and llama.cpp give logits
)


# What Xinference assumes when a key is absent (`RerankRequest` in
# xinference/api/schemas/requests.py): a value sent at its default says nothing to lose.
DEFAULTS: Final[Mapping[str, object]] = {"return_documents": False, "return_len": False}

D = TypeVar("D")
OutDocument = str | TextDocument

# pydantic v1's bool parsing (pydantic/validators.py BOOL_TRUE / BOOL_FALSE).
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
Flag = bool | str | None


class Request(Wire, frozen=True, kw_only=True):
    """An Xinference rerank request.

    Attributes:
        model: The running model's UID.
        query: The search query.
        documents: The documents, as strings.
        top_n: How many results to return; null or absent means all (0 means none).
        return_documents: Whether each result carries its document (default false); pydantic
            v1 also takes the strings `"true"`, `"false"`, `"yes"`, `"no"`, `"1"`, `"0"`, ...
        return_len: Whether to report token counts in `meta.tokens`.
        max_chunks_per_doc: Accepted, but the sentence-transformers engine fails unless null.
        kwargs: A JSON-encoded object of extra arguments for the model (`instruction`,
            `doc_type`, ...).
    """

    model: str
    query: str
    documents: tuple[str, ...]
    top_n: int | UnsetType | None = UNSET
    return_documents: Flag | UnsetType = UNSET
    return_len: Flag | UnsetType = UNSET
    max_chunks_per_doc: int | UnsetType | None = UNSET
    kwargs: str | UnsetType | None = UNSET


class Result(Wire, Generic[D], frozen=True, kw_only=True):
    """One result of an Xinference rerank response.

    Attributes:
        index: The document's position in the request's `documents`.
        relevance_score: The model's score; logits may be negative.
        document: `{"text": ...}` with `return_documents`, else null (a bare string from the
            llama.cpp engine).
    """

    index: Annotated[int, Meta(ge=0)]
    relevance_score: float
    document: D | UnsetType | None = UNSET


class Response(Wire, Generic[D], frozen=True, kw_only=True):
    """An Xinference rerank response.

    Attributes:
        id: This request's id.
        results: The ranked documents, by descending relevance score, cut to `top_n`.
        meta: `api_version`, `billed_units` and `warnings` (always null) and `tokens`
            (`{input_tokens, output_tokens}` with `return_len`, output repeating input).
    """

    id: str | UnsetType = UNSET
    results: tuple[Result[D], ...]
    meta: dict[str, object] | UnsetType | None = UNSET


class _Tokens(msgspec.Struct, frozen=True, kw_only=True):
    input_tokens: Annotated[int, Meta(ge=0)]
    output_tokens: Annotated[int, Meta(ge=0)] | UnsetType = UNSET


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


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in _TRUE
    return bool(value)


def _check_flag(value: object, key: str) -> None:
    if isinstance(value, str) and value.lower() not in _TRUE | _FALSE:
        raise DecodeError(
            "expected a boolean (or one of pydantic v1's boolean strings)",
            path=f"$.{key}",
            type="invalid_value",
            format=NAME,
            kind="request",
        )


def _is_empty_kwargs(value: object) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, str) and msgspec.json.decode(value) == {}
    except msgspec.MsgspecError:
        return False


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this xinference field (and what that changes), or None when nothing
    is lost (nulls and `DEFAULTS` never get here)."""
    if key == "return_len" and _flag(value) and "reports_tokens" not in supports:
        return f"{target} reports no token usage to answer `return_len` with", "reporting"
    if key == "max_chunks_per_doc":
        return f"xinference's chunking limit has no {target} equivalent", "ranking"
    if key == "kwargs" and not _is_empty_kwargs(value):
        return f"xinference's model `kwargs` have no {target} equivalent", "ranking"
    return None  # return_documents' spelling, and the response's id and meta


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    fields = kept_fields(
        left,
        return_len=wire.return_len,
        max_chunks_per_doc=wire.max_chunks_per_doc,
        kwargs=wire.kwargs,
    )
    defaulted: set[str] = set()
    _check_flag(wire.return_documents, "return_documents")
    _check_flag(wire.return_len, "return_len")
    return_documents = read_flag(
        wire.return_documents,
        "return_documents",
        default=False,
        coerce=_flag,
        fields=fields,
        defaulted=defaulted,
    )
    return RerankRequest(
        model=wire.model,
        query=wire.query,
        documents=wire.documents,
        top_n=wire.top_n,
        return_documents=return_documents,
        extensions=extension_map(
            NAME, fields, defaulted, absent={"return_len"} if wire.return_len is UNSET else ()
        ),
    )


def _return_len(own: Extension | None) -> Any:
    # An Xinference client's own choice; anyone else gets the usage Jina always reports.
    if own is not None and ("return_len" in own.fields or "return_len" in own.absent):
        return kept(own, "return_len")
    return True


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    query, documents = strings_only(request, sink)
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    return Request(
        model=request.model,  # type: ignore[arg-type]  # UNSET is omitted; a loss (REQUIRES)
        query=query,
        documents=documents,
        top_n=request.top_n,
        return_documents=write_flag(
            request.return_documents, "return_documents", default=False, coerce=_flag, own=own
        ),
        return_len=_return_len(own),
        max_chunks_per_doc=kept(own, "max_chunks_per_doc"),
        kwargs=kept(own, "kwargs"),
    )


def _usage(meta: object) -> Usage | UnsetType:
    tokens = meta.get("tokens") if isinstance(meta, dict) else None
    if tokens is None:
        return UNSET
    counted = convert_at(tokens, _Tokens, path="$.meta.tokens", format=NAME, kind="response")
    return Usage(total_tokens=counted.input_tokens)


def response_to_canonical(wire: Response[WireDocument], left: Leftovers) -> RerankResponse:
    fields = kept_fields(left, id=wire.id, meta=wire.meta)
    extra = kept_results(left, wire.results)
    return RerankResponse(
        results=results_to_canonical(wire.results, left, images=False),
        usage=_usage(wire.meta),
        extensions=extension_map(
            NAME, fields, results=extra, absent={"meta"} if wire.meta is UNSET else ()
        ),
    )


def _echo(
    document: Document | UnsetType | None, position: int, sink: Sink, own: bool
) -> OutDocument | None:
    if document is UNSET:
        return None  # every Xinference engine sends the key, null when there is no document
    if document is None or (own and type(document) is str):
        return document  # a bare string read from Xinference (llama.cpp) stays one
    if type(document) is str:
        # xinference/types.py `Document` and xinference-client's type are `{text}`
        return TextDocument(text=document)
    if isinstance(document, (ImageDocument, ObjectDocument)):
        text = echo_text(document, f"$.results[{position}].document", sink)
        return None if text is None else TextDocument(text=text)
    return document


def _tokens(usage: Usage | UnsetType | None, sink: Sink) -> dict[str, int] | None:
    count = single_count(usage, sink)
    return None if count is None else {"input_tokens": count, "output_tokens": count}


def _asked_len(request: RerankRequest | None) -> bool:
    # Without the request, a known usage is written; with it, only what it asked (Xinference
    # writes `"tokens": null` unless `return_len`, ModelActor.rerank).
    return request is None or _flag(kept(own_extension(request.extensions, NAME), "return_len"))


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None = None
) -> Response[OutDocument]:
    own = own_extension(response.extensions, NAME)
    meta = kept(own, "meta")
    usage = response.usage if isinstance(response.usage, Usage) else UNSET
    if own is not None and "meta" in own.absent and usage is UNSET:
        meta = UNSET  # read without one: written back without one
    elif own is None or _usage(meta) != usage:
        meta = {
            "api_version": None,
            "billed_units": None,
            "tokens": _tokens(usage, sink) if _asked_len(request) else None,
            "warnings": None,
        }
    documents = field_types(response.results, "document")
    plain = field_types(response.results, "embedding") <= {UnsetType}
    if not plain:
        embedding_losses(response.results, sink)
    results: tuple[Any, ...] | None = None
    # bare strings are Xinference's own (llama.cpp) only on its own round trip; else {text}
    echoed = {type(None), str, TextDocument} if own is not None else {type(None), TextDocument}
    if plain and documents <= echoed:
        results = response.results  # they encode as Xinference's results
    elif documents <= {UnsetType, type(None)}:
        results = tuple(  # no documents: the key is sent all the same, null
            [
                Result(index=r.index, relevance_score=r.relevance_score, document=None)
                for r in response.results
            ]
        )
    if results is None:
        results = tuple(
            [
                Result(
                    index=r.index,
                    relevance_score=r.relevance_score,
                    document=_echo(r.document, position, sink, own is not None),
                )
                for position, r in enumerate(response.results)
            ]
        )
    return Response(id=kept(own, "id"), results=results, meta=meta)


# -- errors ------------------------------------------------------------------------------------

STATUSES: Final = frozenset({400, 401, 403, 404, 429, 500, 503})
STATUS_MAP: Final = {402: 403, 422: 500}  # validation failures answer 500 (restful_api.py)

# ModelActor errors carry the actor's address (xinference issue #4679).
_ACTOR = re.compile(r"^\[address=[^\]]*\]\s*")
# The app's 500 handler answers in plain text; the IP filter answers 403 in plain text.
_TEXT = (
    (re.compile(r"^Internal Server Error: ?(?P<message>.*)$", re.DOTALL), 500),
    (re.compile(r"^(?P<message>Access denied for IP: .*)$", re.DOTALL), 403),
)


class Error(Wire, frozen=True, kw_only=True):
    """An Xinference error body (FastAPI's `HTTPException`).

    Attributes:
        detail: The message; engine errors start with the actor's `[address=..., pid=...]`.
    """

    detail: str


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    message = _ACTOR.sub("", wire.detail)
    fields = dict(left.fields)
    if message != wire.detail:
        fields["detail"] = wire.detail
    return RerankError(
        status=500 if status is None else status,
        message=message,
        extensions=extension_map(NAME, fields),
    )


def error_from_canonical(error: RerankError) -> Error:
    raw = kept(own_extension(error.extensions, NAME), "detail")
    if isinstance(raw, str) and _ACTOR.sub("", raw) == error.message and not error.details:
        return Error(detail=raw)
    return Error(detail=fold(error.message, error.details))


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Xinference's plain-text answers: a malformed request (500) or a refused IP (403)."""
    for pattern, default in _TEXT:
        match = pattern.match(text.strip())
        if match:
            message = _ACTOR.sub("", match["message"])
            return RerankError(status=default if status is None else status, message=message)
    return None


# -- validation (what Xinference does with a payload) -----------------------------------------

# Unknown keys are ignored by pydantic v1 (no `extra = "forbid"` on RerankRequest).
UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",
    "response": "warning",
    "error": "warning",
}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Report what Xinference would refuse (errors) or do surprisingly (warnings) with `body`."""
    if kind == "request":
        _check_request(body, report)
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)
        _checks.check_string_documents(
            body,
            report,
            RESPONSE,
            "only the llama.cpp engine echoes a bare string; others send {text} or null",
            "warning",
        )
        meta = body.get("meta")
        if "meta" not in body:
            report("$.meta", "missing_field", "Xinference sends `meta` since v0.12.2", "warning")
        elif isinstance(meta, Mapping):
            for key in ("api_version", "billed_units", "warnings"):
                if meta.get(key) is not None:
                    report(
                        f"$.meta.{key}",
                        "invalid_value",
                        "Xinference always sends null here (Cohere sends objects)",
                        "warning",
                    )


def _check_request(body: Mapping[str, object], report: _checks.Report) -> None:
    _checks.check_documents(body, report, REQUEST, empty="warning")  # no check: the engine decides
    _checks.check_top_n(body, report, REQUEST, below_one="warning")  # a slice: 0 gives no results
    for key in ("return_documents", "return_len"):
        value = body.get(key)
        if isinstance(value, str):
            valid = value.lower() in _TRUE | _FALSE
            report(
                f"$.{key}",
                "string_boolean" if valid else "invalid_value",
                "a string where a boolean is expected; pydantic v1 coerces it, other servers refuse it"
                if valid
                else "not a boolean, nor one of pydantic v1's boolean strings",
                "warning" if valid else "error",
            )
    if body.get("max_chunks_per_doc") is not None:
        report(
            "$.max_chunks_per_doc",
            "unsupported_field",
            "the sentence-transformers engine fails on any max_chunks_per_doc",
            "error",
        )
    kwargs = body.get("kwargs")
    if isinstance(kwargs, str) and not _is_object_json(kwargs):
        report("$.kwargs", "invalid_value", "kwargs must be a JSON-encoded object", "error")


def _is_object_json(text: str) -> bool:
    try:
        return isinstance(msgspec.json.decode(text), dict)
    except msgspec.MsgspecError:
        return False


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import xinference as _this

    _face: Format = _this
