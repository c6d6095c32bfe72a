"""What vLLM's rerank (`vllm`) and score (`vllm_score`) formats share: multimodal
`{content: [parts]}` inputs, the `PoolingBasicRequestMixin` housekeeping fields, the score
scale knob, and the error envelopes (nested, flat, and the auth middleware's string)."""

from __future__ import annotations

import http
import operator
from collections.abc import Mapping, Sequence
from typing import Any, Final

import msgspec
from msgspec import UNSET, UnsetType

from ..canonical import (
    Document,
    ImageDocument,
    RerankError,
    RerankRequest,
    TextDocument,
)
from ..errors import DecodeError, LossKind
from . import _checks
from ._base import (
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    document_for_loss,
    extension_map,
    kept,
    own_extension,
    text_of,
)
from ._errors import fold, status_class


class Content(Wire, frozen=True, kw_only=True):
    """A multimodal input, `ScoreMultiModalParam`: OpenAI chat content parts.

    Attributes:
        content: the parts: `{"type": "text", "text": ...}`,
            `{"type": "image_url", "image_url": {"url": ...}}`, `video_url`, `image_embeds`.
    """

    content: tuple[dict[str, object], ...]


Input = str | Content
"""A query or document as vLLM reads it (`ScoreInput`): a string or `{content: [parts]}`."""

# The housekeeping fields of `PoolingBasicRequestMixin` and `ClassifyRequestMixin`
# (vllm/entrypoints/pooling/base/protocol.py): kept, written back by vLLM only.
HOUSEKEEPING: Final = (
    "truncate_prompt_tokens",
    "user",
    "request_id",
    "priority",
    "mm_processor_kwargs",
    "use_activation",
    "activation",
    "softmax",
    "padding",
    "truncation_side",
    "cache_salt",
)
ACTIVATION: Final = ("use_activation", "activation", "softmax")  # the older names, deprecated
_NONE_SENT: Final = (UNSET,) * len(HOUSEKEEPING)


class Housekeeping:
    """Reads the housekeeping fields of a request Struct from its `msgspec.structs.astuple`
    (one C call; none sent, the usual, compared at C speed): `{}`, or every field by name
    (`kept_fields` drops the unsent)."""

    def __init__(self, struct: type[msgspec.Struct]) -> None:
        self._of = operator.itemgetter(*map(struct.__struct_fields__.index, HOUSEKEEPING))

    def __call__(self, values: tuple[Any, ...]) -> dict[str, object]:
        sent = self._of(values)
        return {} if sent == _NONE_SENT else dict(zip(HOUSEKEEPING, sent, strict=True))


# A value vLLM assumes when the key is absent says nothing to lose elsewhere.
DEFAULTS: Final[Mapping[str, object]] = {
    "priority": 0,
    "use_activation": True,
    "activation": True,
    "softmax": True,
}


def plain(value: object) -> object:
    """A wire value as the JSON it is (lists, not tuples; objects, not Structs), to keep in
    an extension: a string or a tuple of strings (the usual inputs) with no JSON round trip
    (`msgspec.to_builtins` would keep tuples)."""
    if type(value) is str:
        return value
    if type(value) is tuple and set(map(type, value)) <= {str}:
        return list(value)
    return msgspec.json.decode(msgspec.json.encode(value))


def image_part(url: str) -> dict[str, object]:
    """An image as an OpenAI chat content part (openai-python
    `ChatCompletionContentPartImageParam`: `{"type": "image_url", "image_url": {"url"}}`)."""
    return {"type": "image_url", "image_url": {"url": url}}


def from_content(parts: Sequence[Mapping[str, object]]) -> tuple[Document, bool]:
    """The canonical document for multimodal parts, and whether it is exact: a lone text part
    is a `TextDocument`, a lone `image_url` part (with only a `url`) an `ImageDocument`;
    anything else is the text of its text parts, which loses the rest."""
    if len(parts) == 1:
        part = parts[0]
        text, image = part.get("text"), part.get("image_url")
        if set(part) == {"type", "text"} and part["type"] == "text" and isinstance(text, str):
            return TextDocument(text=text), True
        if (
            set(part) == {"type", "image_url"}
            and part["type"] == "image_url"
            and isinstance(image, Mapping)
            and set(image) == {"url"}
            and isinstance(image["url"], str)
        ):
            return ImageDocument(image=image["url"]), True
    texts = [p["text"] for p in parts if p.get("type") == "text" and isinstance(p.get("text"), str)]
    return TextDocument(text="\n".join(texts)), False  # type: ignore[arg-type]


def to_canonical(value: Input) -> tuple[Document, bool]:
    """A canonical document from a vLLM input, and whether it is exact."""
    if isinstance(value, Content):
        return from_content(value.content)
    return value, True


def inputs_to_canonical(
    query: Input, documents: tuple[Input, ...], fields: dict[str, object], query_key: str = "query"
) -> tuple[Document, tuple[Document, ...]]:
    """The canonical query and documents; when any is multimodal, the wire inputs are kept
    in `fields` (under their wire keys) so that vLLM writes them back exactly."""
    if type(query) is str and set(map(type, documents)) <= {str}:
        return query, documents  # type: ignore[return-value]
    canonical_query, _ = to_canonical(query)
    canonical = tuple(to_canonical(d)[0] for d in documents)
    if isinstance(query, Content):
        fields[query_key] = plain(query)
    if any(isinstance(d, Content) for d in documents):
        fields["documents"] = plain(documents)
    return canonical_query, canonical


def inexact(value: object) -> list[int]:
    """The positions of the kept wire inputs (`fields["documents"]`) that no canonical
    document expresses exactly (several parts, a video, embeddings...)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        parts = item.get("content") if isinstance(item, Mapping) else None
        if isinstance(parts, list) and not from_content(parts)[1]:
            out.append(i)
    return out


def input_out(document: Document, path: str, sink: Sink) -> Input:
    """A canonical document as vLLM takes it: text as a string (a `{text}` object's text is
    the same content: vLLM refuses the object), an image as an `image_url` part."""
    if isinstance(document, ImageDocument):
        return Content(content=(image_part(document.image),))
    text, lossy = text_of(document)
    if lossy:
        sink(path, f"{sink.format} takes text or content parts, not {document_for_loss(document)}")
    return text


def inputs_from_canonical(
    request: RerankRequest, sink: Sink, own: Any, query_key: str, documents_key: str
) -> tuple[Any, Any]:
    """The query and documents to write, the kept wire inputs where they still say the
    same as the canonical ones."""
    query: Any = UNSET
    raw = kept(own, query_key)
    if raw is not UNSET:
        decoded = msgspec.convert(raw, Input)
        if to_canonical(decoded)[0] == request.query:
            query = decoded
    if query is UNSET:
        query = input_out(request.query, f"$.{query_key}", sink)
    raw = kept(own, "documents")
    if raw is not UNSET:
        decoded_documents = msgspec.convert(raw, tuple[Input, ...])
        if tuple(to_canonical(d)[0] for d in decoded_documents) == request.documents:
            return query, decoded_documents
    if set(map(type, request.documents)) <= {str}:
        return query, request.documents
    return query, tuple(
        input_out(d, f"$.{documents_key}[{i}]", sink) for i, d in enumerate(request.documents)
    )


def truncation_from(value: object) -> bool | UnsetType:
    """Jina's `truncation` for vLLM's `truncate_prompt_tokens`: null (vLLM's default) refuses
    a too-long input, as `truncation: false` does; -1 truncates at the model's maximum, as
    `truncation: true` does; a positive limit truncates too (at that many tokens)."""
    if value is UNSET:
        return UNSET
    return value is not None


def truncation_out(request: RerankRequest, own: Any) -> object:
    spelled = kept(own, "truncate_prompt_tokens")
    if spelled is not UNSET and truncation_from(spelled) == request.truncation:
        return spelled
    if request.truncation is True:
        return -1
    if request.truncation is False:
        return None
    return UNSET


def housekeeping_loss(
    key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses a vLLM housekeeping field (None: it carries no meaning elsewhere)."""
    if key == "truncate_prompt_tokens":
        if isinstance(value, int) and value > 0:
            return f"vllm's limit of {value} prompt tokens has no {target} equivalent", "ranking"
        return None  # null and -1 are `truncation`
    if key in ("mm_processor_kwargs", "padding", "truncation_side"):
        return f"vllm's `{key}` has no {target} equivalent", "ranking"
    if key in ACTIVATION and value is False:
        return f"{target} has no switch for raw logits: its scores are on its own scale", (
            "reporting"
        )
    return None  # user, request_id, priority, cache_salt: this server's bookkeeping


def documents_loss(name: str, value: object, target: str) -> tuple[str, LossKind] | None:
    """A kept multimodal input that no canonical document expresses exactly."""
    positions = inexact(value)
    if not positions:
        return None
    where = ", ".join(map(str, positions[:5]))
    return (
        f"{name}'s multimodal inputs ({where}) have no {target} equivalent; their text is sent",
        "ranking",
    )


def response_scale(name: str, request: RerankRequest | None) -> ScoreScale:
    """Logits when the request read from format `name` turned the activation off
    (`use_activation: false`, or the deprecated `activation`/`softmax`), else probabilities
    (the pooler's sigmoid, which vLLM applies by default)."""
    own = own_extension(request.extensions, name) if request is not None else None
    if own is not None and any(own.fields.get(key) is False for key in ACTIVATION):
        return "logit"
    return "probability"


# -- errors ------------------------------------------------------------------------------------

# vLLM's `type` for a status it answers (create_error_response: the exception's class name).
_TYPES: Final = {
    400: "BadRequestError",
    401: "Unauthorized",
    404: "NotFoundError",
    500: "InternalServerError",
    501: "NotImplementedError",
    503: "ServiceUnavailableError",
}


class Body(Wire, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """The `error` object of vLLM's `ErrorResponse` (`ErrorInfo`).

    Attributes:
        message: the message.
        type: the exception's class name (`BadRequestError`, `NotFoundError`, ...).
        param: the parameter at fault, if any.
        code: the HTTP status (an integer).
    """

    message: str
    type: str | UnsetType | None = UNSET
    param: str | UnsetType | None = UNSET
    code: int | str | UnsetType | None = UNSET


class Error(Wire, frozen=True, kw_only=True):
    """A vLLM error body: the current `{"error": {...}}`, the flat
    `{"object": "error", "message", "type", "param", "code"}` of older releases, or the API-key
    middleware's `{"error": "Unauthorized"}`.

    Attributes:
        error: the error object (current), or a string (the 401 of `--api-key`).
        object: `"error"` (flat, older releases).
        message: the message (flat).
        type: the exception's class name (flat).
        param: the parameter at fault (flat).
        code: the HTTP status (flat).
    """

    error: Body | str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    message: str | UnsetType = UNSET
    type: str | UnsetType | None = UNSET
    param: str | UnsetType | None = UNSET
    code: int | str | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        # one of the three shapes, or not a vLLM error at all (decode_error tries the next)
        if _shape_problem(self.error, self.object, self.message):
            raise ValueError(_SHAPE)


_SHAPE: Final = (
    "expected an `error` string, an `error` object with a string `type` and an integer"
    ' `code`, or a flat body with `"object": "error"` and a `message`'
)


def _shape_problem(error: object, object: object, message: object) -> bool:
    if error is UNSET:
        return object != "error" or message is UNSET
    if isinstance(error, str):
        return False
    # ErrorInfo: `type: str`, `code: int` (the status); a gateway's envelope (LiteLLM's code
    # "500", new-api's slug) is the `openai` format's, read there
    fields = msgspec.structs.asdict(error) if isinstance(error, Body) else error
    if not isinstance(fields, Mapping):
        return False  # the wire type refuses it
    code = fields.get("code")
    return not isinstance(fields.get("type"), str) or type(code) is not int


def error_shape(body: Mapping[str, object]) -> None:
    """Refuse (a `DecodeError`) a body in none of vLLM's error shapes: the decoder's rule
    beyond the wire types, which the pydantic models apply too."""
    if _shape_problem(body.get("error", UNSET), body.get("object"), body.get("message", UNSET)):
        raise DecodeError(_SHAPE, path="$", type="missing_field", kind="error")


def _status(code: object) -> int | None:
    if isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 599:
        return code
    return None


def error_to_canonical(name: str, wire: Error, left: Leftovers, status: int | None) -> RerankError:
    """A canonical error from any of vLLM's envelopes; their spelling is kept."""
    fields = dict(left.fields)
    if isinstance(wire.error, Body):
        body = wire.error
        message, kind, code = body.message, body.type, body.code
        spelled = {"type": body.type, "param": body.param, "code": body.code}
        fields["error"] = {k: v for k, v in spelled.items() if v is not UNSET}
    elif isinstance(wire.error, str):
        message, kind, code = wire.error, UNSET, UNSET
        fields["error"] = wire.error
    else:  # the flat body (__post_init__)
        message, kind, code = str(wire.message), wire.type, wire.code
        spelled = {"object": wire.object, "type": wire.type, "param": wire.param, "code": code}
        fields.update((k, v) for k, v in spelled.items() if v is not UNSET)  # its own keys
    if status is None:
        status = _status(code) or (401 if message == "Unauthorized" else 500)
    return RerankError(
        status=status,
        message=message,
        code=kind if isinstance(kind, str) and kind else UNSET,
        extensions=extension_map(name, fields),
    )


def error_from_canonical(
    name: str, error: RerankError, statuses: frozenset[int], status_map: Mapping[int, int]
) -> Error:
    """The current `{"error": {...}}` envelope, or the one it was read from, unchanged."""
    own = own_extension(error.extensions, name)
    nested = kept(own, "error")
    flat = (
        {k: own.fields[k] for k in ("object", "type", "param", "code") if k in own.fields}
        if own is not None and "object" in own.fields
        else UNSET
    )
    if not error.details:
        if isinstance(nested, str) and nested == error.message:
            return Error(error=nested)
        if isinstance(nested, dict) and nested.get("type", UNSET) in (error.code, None, UNSET):
            return Error(error=msgspec.convert({"message": error.message, **nested}, Body))
        if isinstance(flat, dict) and flat.get("type", UNSET) in (error.code, None, UNSET):
            return msgspec.convert({**flat, "message": error.message}, Error)
    status = error.status if error.status in statuses else status_map.get(error.status, 0)
    status = status or status_class(error.status)
    kind = error.code if error.code is not UNSET else _type(status)
    return Error(
        error=Body(message=fold(error.message, error.details), type=kind, param=None, code=status)
    )


def _type(status: int) -> str:
    if status in _TYPES:
        return _TYPES[status]
    try:  # GracefulHTTPError's type: the status phrase
        return http.HTTPStatus(status).phrase.replace(" ", "").replace("-", "")
    except ValueError:
        return "BadRequestError" if status < 500 else "InternalServerError"


def check_inputs(body: Mapping[str, object], report: _checks.Report, key: str) -> None:
    """A document object without `content` (a Jina or Cohere `{text}`), which vLLM refuses:
    it takes a string or `{content: [parts]}` (`ScoreMultiModalParam`)."""
    value = body.get(key)
    for i, document in enumerate(value if isinstance(value, list) else []):
        if isinstance(document, Mapping) and "content" not in document:
            report(
                f"$.{key}[{i}]",
                "unsupported_document",
                "vLLM takes a string or {content: [parts]}, not a document object",
                "error",
            )
