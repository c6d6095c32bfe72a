"""The hand-written baseline of Together AI's format: a Cohere dialect whose results always
carry a `document` (`{"text": ...}`, `{}` when there is none), `object` and `id` in the
response, all-string or all-object documents, `return_documents` false by default."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Doc,
    Documents,
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
    _read_flag,
    _texts,
    _too_large,
    _with_texts,
    _write_flag,
)


class TogetherResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Doc | UnsetType | None = UNSET  # the usual `{"text": ...}`


class ResultDocument(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    text: Text | UnsetType | None = UNSET  # `{}` and `{"text": null}`: no document


class LenientResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: ResultDocument | UnsetType | None = UNSET


class TogetherResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    results: Annotated[list[TogetherResult], Meta(max_length=MAX_DOCUMENTS)]
    object: str | UnsetType = UNSET
    id: str | UnsetType | None = UNSET
    model: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET


class LenientResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    results: Annotated[list[LenientResult], Meta(max_length=MAX_DOCUMENTS)]
    object: str | UnsetType = UNSET
    id: str | UnsetType | None = UNSET
    model: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET


class TogetherRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: Documents  # the usual texts, or `{"text": ...}`
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    rank_fields: list[str] | UnsetType | None = UNSET


class ObjectsRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: Annotated[list[Text | dict[str, Text]], Meta(max_length=MAX_DOCUMENTS)]
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    rank_fields: list[str] | UnsetType | None = UNSET


_together_response = _decoder(TogetherResponse)


_lenient_response = _decoder(LenientResponse)


_together_request = _decoder(TogetherRequest)


_objects_request = _decoder(ObjectsRequest)


def read_together_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    try:
        r = _together_response(data)
    except msgspec.ValidationError:
        # a document without its text (`{}`, or `{"text": null}`): none, as a null one
        r = _lenient_response(data)
        for result in r.results:
            if (d := result.document) is not None and d is not UNSET:
                text = d.text
                result.document = None if text is None or text is UNSET else Doc(text)
    # `object` is Together's own: kept in `meta`, for a Together writer only
    return r.results, Envelope("together", model=r.model, usage=r.usage, id=r.id, meta=r.object)


def in_request_context(results: list[Any], request: Request) -> list[Any]:
    """Together's results read for the request they answer: a document that is the compact
    JSON of the request's object document at its index is that object (as the library's
    context step reads it)."""
    documents = request.documents
    if dict in set(map(type, documents)):
        for r in results:
            if (
                type(d := r.document) is Doc
                and r.index < len(documents)
                and type(sent := documents[r.index]) is dict
                and d.text == _encode(sent).decode()
            ):
                r.document = sent
    return results


def read_together_request(data: bytes) -> Request:
    _too_large(data)
    try:
        r: Any = _together_request(data)
        documents = r.documents
    except msgspec.ValidationError:  # object documents (`rank_fields`)
        r = _objects_request(data)
        documents = _with_texts(r.documents)
    own: dict[str, Any] = {}  # what a Together writer writes back (empty: nothing)
    if r.top_n is None:
        own["top_n"] = None
    if r.rank_fields is not UNSET:
        own["rank_fields"] = r.rank_fields
    flag = r.return_documents
    _read_flag(flag, own)
    return Request(
        "together",
        r.model,
        r.query,
        documents,
        r.top_n,
        bool(flag) if flag else False,
        own=own or None,
    )


class TogetherOutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET


class OutDocument(msgspec.Struct, omit_defaults=True):
    text: Any = UNSET


_NO_DOCUMENT = OutDocument()  # `{}`, what Together answers without documents


_NO_TEXT = OutDocument(None)  # `{"text": null}`: an object with no `text` to echo


class TogetherOut(msgspec.Struct):
    object: Any  # UNSET: left out
    id: Any
    model: Any
    results: list[TogetherOutResult]  # written when empty
    usage: Any


def _document(document: Any, sent: Any) -> Any:
    """A document that is not a `Doc` as Together echoes it: a request's own object as its
    compact JSON, another object as its `text`."""
    if type(document) is str:
        return Doc(document)
    if type(document) is dict:
        if document == sent:
            return Doc(_encode(document).decode())
        return Doc(document["text"]) if "text" in document else _NO_TEXT
    if document is None or document is UNSET:
        return _NO_DOCUMENT
    return document  # a text (`.text`), as a Doc encodes


def _usage(usage: Any) -> Any:
    """All three counts: no completion tokens unless given, the prompt's derived (never
    negative)."""
    if not isinstance(usage, Usage):
        return usage
    total, read, made = usage.total_tokens, usage.prompt_tokens, usage.completion_tokens
    if made is UNSET:
        made = 0
    if read is UNSET:
        read = total - made if made <= total else 0
    return Usage(total, read, made)


def write_together_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    # read from Together with its `object` or `id`: written back as read
    own = e.source == "together" and (e.meta is not UNSET or e.id is not UNSET)
    missing = UNSET if own else _NO_DOCUMENT  # read without a document: written so
    if mode == FILL:
        out = [
            TogetherOutResult(
                r.index,
                r.relevance_score,
                d
                if (
                    t := type(
                        d := x
                        if (x := getattr(r, "document", None)) is not None and x is not UNSET
                        else documents[r.index]
                    )
                )
                is Doc
                else Doc(d)
                if t is str
                else _document(d, documents[r.index]),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [TogetherOutResult(r.index, r.relevance_score, missing) for r in results]
    else:
        out = [
            TogetherOutResult(
                r.index,
                r.relevance_score,
                d
                if (t := type(d := r.document)) is Doc
                else Doc(d)
                if t is str
                else missing
                if d is UNSET
                else _document(d, None),
            )
            for r in results
        ]
    if own:
        return _encode(TogetherOut(e.meta, e.id, e.model, out, e.usage))
    return _encode(TogetherOut("rerank", UNSET, e.model, out, _usage(e.usage)))


class TogetherOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    rank_fields: Any = UNSET


def write_together_request(r: Request) -> bytes:
    documents = r.documents
    kinds = set(map(type, documents))
    if not kinds <= {str} and not (r.source == "together" and r.own):
        # the spec's `oneOf`: all strings, or all objects (a text as `{"text": ...}`)
        documents = (
            [Doc(d) if type(d) is str else d for d in documents]
            if dict in kinds
            else _texts(documents)
        )
    return _encode(
        TogetherOutRequest(
            r.model,
            r.query,
            documents,
            _own(r, "together", "top_n") if r.top_n is None else r.top_n,
            _write_flag(r, "together", bool),
            _own(r, "together", "rank_fields"),
        )
    )


READER = Reader(
    read_together_response,
    read_together_request,
    LenientResponse,
    ObjectsRequest,
    context=in_request_context,
)
WRITER = Writer(write_together_response, write_together_request, echoes=True)
