"""The canonical model: Jina AI's rerank format as immutable msgspec Structs.

Every format is read into these objects and written from them. Field names and meanings are
Jina's (https://api.jina.ai/openapi.json, `RerankerV3Request`, `RerankerM0Request`,
`RerankingResponse`), so a canonical object *is* a Jina payload plus, in `extensions`, what
another format said that Jina has no field for.

Absent and `null` stay different: an absent field is `msgspec.UNSET`, a `null` one is `None`.

Documents (and legacy Jina queries) are one of:

| wire shape                    | canonical type                      |
| ----------------------------- | ----------------------------------- |
| `"text"`                      | `str`                               |
| `{"text": "..."}`             | `TextDocument`                      |
| `{"image": "url or base64"}`  | `ImageDocument` (jina-reranker-m0)  |
| any other object of strings   | `ObjectDocument` (Cohere v1 fields) |
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, TypeAlias

import msgspec
from msgspec import UNSET, UnsetType

from .errors import excerpt, number

__all__ = [
    "UNSET",
    "Document",
    "Extension",
    "FieldError",
    "ImageDocument",
    "ObjectDocument",
    "RerankError",
    "RerankRequest",
    "RerankResponse",
    "RerankResult",
    "TextDocument",
    "UnsetType",
    "Usage",
]


_SHOWN = 40  # characters of a string, and items of a sequence, that a repr shows
_DEPTH = 3  # levels of nesting a repr shows


def _short(value: object, depth: int = 0) -> str:
    """A repr that shows only the start of long strings, sequences and mappings, the first
    levels of nested ones, and long integers as their size (payloads can hold private data,
    and reprs end up in logs)."""
    if isinstance(value, str):
        return repr(value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…")
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, (tuple, list, dict, msgspec.Struct)) and depth >= _DEPTH:
        return "…"
    if isinstance(value, (tuple, list)):
        shown = ", ".join(_short(item, depth + 1) for item in value[:3])
        more = f", … {len(value) - 3} more" if len(value) > 3 else ""
        if isinstance(value, list):
            return f"[{shown}{more}]"
        return f"({shown}{more}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        items = list(value.items())[:4]
        shown = ", ".join(f"{_short(k, depth + 1)}: {_short(v, depth + 1)}" for k, v in items[:3])
        return "{" + shown + (f", … {len(value) - 3} more" if len(value) > 3 else "") + "}"
    if isinstance(value, msgspec.Struct):
        return _fields(value, depth)
    return excerpt(repr(value), _SHOWN)


def _fields(struct: msgspec.Struct, depth: int) -> str:
    fields = (
        f"{name}={_short(getattr(struct, name), depth + 1)}"
        for name in struct.__struct_fields__
        if getattr(struct, name) is not UNSET and (name != "extensions" or getattr(struct, name))
    )
    return f"{type(struct).__name__}({', '.join(fields)})"


class _Short:
    """Gives a Struct a repr with long strings and sequences cut short."""

    __slots__ = ()

    def __repr__(self) -> str:
        return _fields(self, -1)  # type: ignore[arg-type]


class TextDocument(_Short, msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A text document written as an object, `{"text": ...}`.

    Attributes:
        text: the document's text.
    """

    text: str


class ImageDocument(_Short, msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An image document, `{"image": ...}`, as jina-reranker-m0 takes them.

    Attributes:
        image: an image URL or a base64-encoded image.
    """

    image: str


class ObjectDocument(_Short, msgspec.Struct, frozen=True, kw_only=True):
    """A document object with other string fields than a lone `text` or `image`.

    Cohere v1 takes such objects (its `rank_fields` chooses which keys are ranked, `text` by
    default) and echoes them back whole; legacy Jina preserved extra fields the same way.

    Attributes:
        fields: the object's keys and values, in wire order.
    """

    fields: Mapping[str, str]


Document: TypeAlias = str | TextDocument | ImageDocument | ObjectDocument
"""A document as a request lists it or a response echoes it."""


class Extension(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What one wire format said that the canonical model does not hold.

    Decoding format F stores its leftovers in `extensions[F]`; only F's encoder writes them
    back, so decoding then encoding in the same format gives the same JSON. Any other
    encoder reports the ones that carry meaning as a `Loss`.

    Attributes:
        fields: top-level wire keys kept verbatim: the format's own keys (Cohere v1
            `rank_fields`, Xinference `kwargs`, ...), keys the library does not know, and the
            original spelling of a value the canonical model normalised (Xinference's
            `"return_documents": "true"`).
        defaulted: canonical fields that F filled in from its own default because the key
            was absent (Cohere v1 and Xinference default `return_documents` to false, Jina to
            true).
        results: per result, keyed by the result's `index`, keys the library does not know
            (and F's own result keys that have no canonical place, such as Cohere v2's
            `relevant_spans`).
        at_default: canonical fields that F's payload sent at the value F's provider assumes
            when the key is absent (Cohere v2's `max_tokens_per_doc: 4096`): a format without
            the field loses nothing by not writing it.
        absent: keys that F's server always sends but this payload left out (an Xinference
            response from before v0.12.2 has no `meta`); F's writer leaves them out again.
    """

    fields: Mapping[str, object] = {}
    defaulted: frozenset[str] = frozenset()
    results: Mapping[int, Mapping[str, object]] = {}
    at_default: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()


class RerankRequest(_Short, msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A rerank request, in Jina's shape.

    Attributes:
        query: the search query; legacy Jina also took `{"text"}` and image objects.
        documents: the documents to rank, in order; results refer to them by position.
        model: the model name (Jina, Cohere v2 and Xinference require it; Cohere v1 does not).
        top_n: how many results to return; `None` or absent means all.
        return_documents: whether results carry their document. Absent means Jina's default,
            true; decoding a format whose default is false (Cohere v1, Xinference) sets it
            to `False` and records the default in `extensions`.
        truncation: Jina: truncate documents longer than the model's limit.
        max_doc_length: Jina v3's tokens per document (Cohere v2's `max_tokens_per_doc`).
        return_embeddings: Jina v3: return each document's embedding.
        extensions: per format name, what that format said beyond these fields.
    """

    query: Document
    documents: tuple[Document, ...]
    model: str | UnsetType = UNSET
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncation: bool | UnsetType | None = UNSET
    max_doc_length: int | UnsetType = UNSET
    return_embeddings: bool | UnsetType | None = UNSET
    extensions: Mapping[str, Extension] = {}

    @property
    def wants_documents(self) -> bool:
        """Whether results should carry documents (Jina's default, true, when unset)."""
        return self.return_documents is not False


Count = Annotated[int, msgspec.Meta(ge=0)]
"""A token count: never negative (a decoder refuses one, an encoder will not write one, so
that what is written can be read back)."""


class Usage(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, forbid_unknown_fields=True
):
    """Token usage, in Jina's shape.

    Attributes:
        total_tokens: tokens processed.
        prompt_tokens: legacy Jina (and OpenAI-style gateways): tokens read.
        completion_tokens: OpenAI-style gateways (new-api): tokens produced, normally 0.
    """

    total_tokens: Count
    prompt_tokens: Count | UnsetType = UNSET
    completion_tokens: Count | UnsetType = UNSET


class RerankResult(_Short, msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One ranked document.

    Attributes:
        index: the document's position in the request's `documents`.
        relevance_score: higher is more relevant; the range depends on the model.
        document: the document echoed back: absent, `None`, or as the wire gave it.
        embedding: Jina v3 with `return_embeddings`: the document's embedding.
    """

    index: int
    relevance_score: float
    document: Document | UnsetType | None = UNSET
    embedding: list[float] | UnsetType | None = UNSET


class RerankResponse(_Short, msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A rerank response, in Jina's shape.

    Attributes:
        results: the ranked documents, in wire order (sorted by descending score once a
            request gives the context).
        model: the model that ranked them.
        object: Jina's envelope marker since late 2025, always `"list"`.
        usage: token usage; absent when the source did not report tokens (never invented).
        extensions: per format name, what that format said beyond these fields (Cohere's and
            Xinference's `id` and `meta`, for example).
        score_scale: what the scores are, `"probability"` (in [0, 1]) or `"logit"` (any
            real number); absent when unknown. Not a wire field: decoding sets it from the
            format and the request (`rerank_formats.scale`), and writing logits where a
            format promises probabilities is a loss unless the caller asks a sigmoid.
    """

    results: tuple[RerankResult, ...]
    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    extensions: Mapping[str, Extension] = {}
    score_scale: Literal["probability", "logit"] | UnsetType = UNSET


class FieldError(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One field-level problem of a validation error (Jina's 422 `errors[]`, FastAPI's
    `detail[]`).

    Attributes:
        field: where, as the provider named it (`"body.top_n"`, `"documents.0"`).
        message: what is wrong.
        type: the provider's machine-readable type, when it gave one.
        input: the offending value, when the provider echoed it.
    """

    field: str
    message: str
    type: str | UnsetType = UNSET
    input: object = UNSET


class RerankError(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An error response, whatever format it came in.

    Attributes:
        status: the HTTP status.
        message: the human-readable message (Jina's `detail`, Cohere's `message`), without
            internal details such as Xinference's `[address=..., pid=...]` prefix.
        code: the provider's machine-readable code or type, when it gave one (Jina's `code`,
            an OpenAI-style envelope's `code`).
        request_id: the provider's id for the failed request (Jina's `request_id`, Cohere's
            `id`).
        details: field-level problems, when the provider listed them.
        extensions: per format name, what that format's body said beyond these fields.
    """

    status: int
    message: str
    code: str | UnsetType = UNSET
    request_id: str | UnsetType = UNSET
    details: tuple[FieldError, ...] = ()
    extensions: Mapping[str, Extension] = {}
