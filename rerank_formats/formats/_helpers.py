"""What format modules repeat, written once: a near-Jina dialect is a short module of these.

- `strings_only`: the query and documents of a format that takes text only, each other
  shape a loss;
- `unsupported`: the canonical request fields a format has no place for, each a loss;
- `echo_text`: an echoed document as the text a strings-only format writes back;
- `single_count`: the one token count of a format that cannot split usage;
- `prompt_count`: the prompt tokens of a usage, derived from its total when not given;
- `DetailError` and its functions: the FastAPI-style `{"detail": "..."}` error body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from msgspec import UNSET, UnsetType

from ..canonical import Document, RerankError, RerankRequest, RerankResult, TextDocument, Usage
from ._base import (
    Codec,
    Leftovers,
    Sink,
    Wire,
    check_unset,
    document_for_loss,
    extension_map,
    text_of as text_of,
)
from ._errors import fold

__all__ = [
    "DetailError",
    "detail_codec",
    "detail_from_canonical",
    "detail_to_canonical",
    "echo_text",
    "plain_texts",
    "prompt_count",
    "single_count",
    "strings_only",
    "texts_of",
    "unsupported",
]


def strings_only(request: RerankRequest, sink: Sink) -> tuple[str, tuple[str, ...]]:
    """The query and documents as the text a strings-only format (`sink.format`) sends: an
    object's `text` stands for it; an image, or an object without a `text`, is a loss."""
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.query", f"{sink.format} takes a text query, not {document_for_loss(request.query)}")
    texts = texts_of(request.documents)
    if texts is not None:  # plain strings pass as they are; `{text}` objects as their texts
        return query, tuple(texts)
    documents = []
    for i, document in enumerate(request.documents):
        text, lossy = text_of(document)
        if lossy:
            sink(
                f"$.documents[{i}]",
                f"{sink.format} takes text only, not {document_for_loss(document)}",
            )
        documents.append(text)
    return query, tuple(documents)


_UNSUPPORTED: Final = {
    "truncation": "has no truncation switch",
    "max_doc_length": "has no per-document token limit",
}


def unsupported(request: RerankRequest, sink: Sink, *fields: str) -> None:
    """A loss for each of `fields` the request sets and the format (`sink.format`) has no
    place for: `truncation`, `max_doc_length` (ranking losses, unless only the default of the
    format the request was read from) and `return_embeddings` (a reporting loss)."""
    if sink.quiet:
        return  # nothing to build: the caller ignores losses
    for field in fields:
        if field == "return_embeddings":
            if request.return_embeddings:
                sink(
                    "$.return_embeddings", f"{sink.format} does not return embeddings", "reporting"
                )
        else:
            check_unset(sink, request, field, f"{sink.format} {_UNSUPPORTED[field]}")


_ABSENT_OR_STRING: Final = frozenset({str, UnsetType, type(None)})
_PLAIN: Final = _ABSENT_OR_STRING | {TextDocument}


def plain_texts(results: Sequence[RerankResult]) -> Sequence[str | UnsetType | None] | None:
    """The documents of `results` as the texts a strings-only format echoes, with no call per
    result, when each is a string, a `TextDocument`, or none (`UNSET`, `None`, kept as they
    are); else None, and the writer echoes each (`echo_text`), reporting what it cannot."""
    return texts_of([r.document for r in results])


def texts_of(documents: Sequence[object]) -> Sequence[Any] | None:
    """`documents` as their texts, with no call per document, when each is a string, a
    `TextDocument` or none (`UNSET`, `None`, kept as they are); else None, and the caller
    handles each (a request's documents are never none)."""
    kinds = set(map(type, documents))
    if kinds <= _ABSENT_OR_STRING:
        return documents
    if kinds <= _PLAIN:
        return [d.text if type(d) is TextDocument else d for d in documents]
    return None


def echo_text(document: Document, path: str, sink: Sink) -> str | None:
    """The text a strings-only format (`sink.format`) echoes for `document`, or None (a
    reporting loss) for an image or an object without a `text`."""
    text, lossy = text_of(document)
    if lossy:
        sink(path, f"{sink.format} cannot echo {document_for_loss(document)}", "reporting")
        return None
    return text


def single_count(usage: Usage | UnsetType | None, sink: Sink) -> int | None:
    """The one token count a format reports for `usage` (its total), or None when unknown;
    a usage split into prompt and completion tokens is a reporting loss."""
    if not isinstance(usage, Usage):
        return None
    prompt, completion = usage.prompt_tokens, usage.completion_tokens
    if prompt not in (UNSET, usage.total_tokens) or completion not in (UNSET, 0):
        sink(
            "$.usage",
            f"{sink.format} reports one token count; the split into prompt and completion is lost",
            "reporting",
        )
    return usage.total_tokens


def prompt_count(usage: Usage, sink: Sink) -> int:
    """The prompt tokens of `usage` for a format that must write them: given, or its total
    less its completion tokens; 0 when those are more than the total (no count is right,
    a reporting loss), never a negative count."""
    read = usage.prompt_tokens
    if read is not UNSET:
        return read
    made = 0 if usage.completion_tokens is UNSET else usage.completion_tokens
    if made <= usage.total_tokens:
        return usage.total_tokens - made
    sink(
        "$.usage.prompt_tokens",
        f"the prompt tokens are unknown ({made:,} completion tokens of"
        f" {usage.total_tokens:,} in all); written as 0",
        "reporting",
    )
    return 0


class DetailError(Wire, frozen=True, kw_only=True):
    """A FastAPI-style error body.

    Attributes:
        detail: The message.
    """

    detail: str


def detail_codec(format: str) -> Codec[DetailError]:
    """The codec of format `format`'s `{"detail": "..."}` error bodies."""
    return Codec[DetailError](
        format=format, kind="error", fast=DetailError, general=DetailError, struct=DetailError
    )


def detail_to_canonical(
    format: str, wire: DetailError, left: Leftovers, status: int | None
) -> RerankError:
    """A canonical error from a `{"detail"}` body (status 500 when none is known); unknown
    keys are kept in `format`'s extension."""
    return RerankError(
        status=500 if status is None else status,
        message=wire.detail,
        extensions=extension_map(format, dict(left.fields)),
    )


def detail_from_canonical(error: RerankError) -> DetailError:
    """A `{"detail"}` body for a canonical error, field-level details folded in."""
    return DetailError(detail=fold(error.message, error.details))
