"""The hand-written baseline of NVIDIA NIM's format: `query: {text}`, `passages`, results
under `rankings` with a `logit` and no document, no model in the response."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    MAX_DOCUMENTS,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    Usage,
    Writer,
    _decoder,
    _encode,
    _own,
    _too_large,
)


class NimResult(msgspec.Struct, forbid_unknown_fields=True):
    index: Index
    relevance_score: float = msgspec.field(name="logit")


class NimResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    rankings: Annotated[list[NimResult], Meta(max_length=MAX_DOCUMENTS)]
    usage: Usage | UnsetType | None = UNSET


class NimText(msgspec.Struct, forbid_unknown_fields=True):
    text: Text


class Passage(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    text: Text | UnsetType = UNSET
    image: Text | UnsetType = UNSET


class NimRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: NimText
    passages: Annotated[list[Passage], Meta(max_length=MAX_DOCUMENTS)]
    truncate: str | UnsetType | None = UNSET


_nim_response = _decoder(NimResponse)


_nim_request = _decoder(NimRequest)


_TRUNCATE = {"END": True, "NONE": False}


def _document(passage: Passage) -> Any:
    """A passage that is not a bare text: an object document of the keys it has (an image
    alone included: the baselines do not model images)."""
    return {k: v for k, v in (("text", passage.text), ("image", passage.image)) if v is not UNSET}


def read_nim_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _nim_response(data)
    return r.rankings, Envelope("nim", usage=r.usage, documents=False)


def read_nim_request(data: bytes) -> Request:
    _too_large(data)
    r = _nim_request(data)
    truncate = r.truncate
    truncation = _TRUNCATE.get(truncate, UNSET) if isinstance(truncate, str) else UNSET
    return Request(
        "nim",
        r.model,
        r.query.text,
        [p.text if p.image is UNSET and p.text is not UNSET else _document(p) for p in r.passages],
        return_documents=False,  # NIM never echoes
        truncation=truncation,
        # null, or a value NIM does not document, is written back as spelled
        own={"truncate": UNSET if truncation is not UNSET else truncate, "defaulted": True},
    )


class NimOutResult(msgspec.Struct):
    index: int
    logit: float


class NimUsage(msgspec.Struct, omit_defaults=True):
    prompt_tokens: Any = UNSET
    total_tokens: Any = UNSET
    completion_tokens: Any = UNSET


class NimOut(msgspec.Struct, omit_defaults=True):
    rankings: list[NimOutResult]
    usage: Any = UNSET


def write_nim_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    usage = e.usage
    if isinstance(usage, Usage):  # in NIM's order
        usage = NimUsage(usage.prompt_tokens, usage.total_tokens, usage.completion_tokens)
    out = [NimOutResult(r.index, r.relevance_score) for r in results]
    return _encode(NimOut(out, usage))


class NimOutPassage(msgspec.Struct, omit_defaults=True):
    text: Any = UNSET
    image: Any = UNSET


class NimOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: NimText
    passages: list[Any]
    truncate: Any = UNSET


def _passage(document: Any) -> NimOutPassage:
    if type(document) is str:
        return NimOutPassage(document)
    if type(document) is dict:  # an object's `text` (and `image`) stand for it
        if "text" in document or set(document) == {"image"}:
            return NimOutPassage(document.get("text", UNSET), document.get("image", UNSET))
        return NimOutPassage("\n".join(f"{key}: {value}" for key, value in document.items()))
    return NimOutPassage(document.text)


def write_nim_request(r: Request) -> bytes:
    truncation = r.truncation
    documents = r.documents
    return _encode(
        NimOutRequest(
            r.model,
            NimText(r.query),
            [NimOutPassage(d) for d in documents]
            if all(type(d) is str for d in documents)
            else [_passage(d) for d in documents],
            _own(r, "nim", "truncate")
            if truncation is None or truncation is UNSET
            else ("END" if truncation else "NONE"),
        )
    )


READER = Reader(read_nim_response, read_nim_request, NimResponse, NimRequest)
WRITER = Writer(write_nim_response, write_nim_request, echoes=False)
