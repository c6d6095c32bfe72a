"""Hand-written msgspec baselines for every format: what a gateway author would write without
rerank_formats, doing the same job (the same checks, the same bytes out).

Each format has a reader (bytes -> its own decoded Structs, plus a small envelope) and a writer
(results and envelope -> bytes). Any reader composes with any writer: the readers' result
Structs all have `index`, `relevance_score` and (where the format has one) `document`, so a
writer builds its output Structs straight from them, as a hand-written `a -> b` converter
would. The context step (index checks, a stable sort by score, `top_n`, documents filled from
the request or removed) is written once, in plain Python over those Structs.

A format added to rerank_formats needs one `Reader` and one `Writer` here
(`tests/test_benchmarks.py` fails until it has them); the benchmark itself reads the registry.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

MAX_BYTES = 16 * 1024 * 1024  # rerank_formats' DEFAULT_LIMITS, checked the same way
MAX_DOCUMENTS = 10_000
MAX_LENGTH = 1_000_000

Index = Annotated[int, Meta(ge=0)]
Text = Annotated[str, Meta(max_length=MAX_LENGTH)]


class Doc(msgspec.Struct, forbid_unknown_fields=True):
    text: Text


Document = Annotated[str, Meta(max_length=MAX_LENGTH)] | Doc
Documents = Annotated[list[Document], Meta(max_length=MAX_DOCUMENTS)]
TextDocuments = Annotated[list[Text], Meta(max_length=MAX_DOCUMENTS)]


class Usage(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    total_tokens: int
    prompt_tokens: int | UnsetType = UNSET
    completion_tokens: int | UnsetType = UNSET


@dataclass
class Envelope:
    """What a reader found beside the results (what a writer may need)."""

    source: str
    model: Any = UNSET
    object: Any = UNSET
    usage: Any = UNSET  # Usage, None (unknown) or UNSET (absent)
    id: Any = UNSET
    meta: Any = UNSET  # the format's own `meta`, written back by the same format


@dataclass
class Request:
    """A decoded request, in the fields every writer needs."""

    source: str
    model: Any
    query: str
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    truncation: Any = UNSET
    max_doc_length: Any = UNSET
    return_embeddings: Any = UNSET
    own: dict[str, Any] | None = None  # the source's own fields, for writing it back


def _too_large(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ValueError("body too large")


# -- Jina -------------------------------------------------------------------------------------


class JinaResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Document | UnsetType | None = UNSET
    embedding: list[float] | UnsetType | None = UNSET


class JinaResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str | UnsetType = UNSET
    object: str | UnsetType = UNSET
    usage: Usage | UnsetType | None = UNSET
    results: Annotated[list[JinaResult], Meta(max_length=MAX_DOCUMENTS)] = []


class JinaRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: Documents
    top_n: int | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET
    truncation: bool | UnsetType | None = UNSET
    max_doc_length: int | UnsetType = UNSET
    return_embeddings: bool | UnsetType | None = UNSET


# -- Cohere v1 and v2 -------------------------------------------------------------------------


class V1Result(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Document | UnsetType | None = UNSET


class V2Result(msgspec.Struct, forbid_unknown_fields=True):
    index: Index
    relevance_score: float


class V1Response(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    results: Annotated[list[V1Result], Meta(max_length=MAX_DOCUMENTS)] = []
    meta: dict[str, Any] | UnsetType | None = UNSET


class V2Response(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    results: Annotated[list[V2Result], Meta(max_length=MAX_DOCUMENTS)] = []
    meta: dict[str, Any] | UnsetType | None = UNSET


class V1Request(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    query: Text
    documents: Documents
    model: str | UnsetType = UNSET
    top_n: int | UnsetType | None = UNSET
    rank_fields: list[str] | UnsetType = UNSET
    return_documents: bool | UnsetType | None = UNSET
    max_chunks_per_doc: int | UnsetType = UNSET


class V2Request(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: TextDocuments
    top_n: int | UnsetType | None = UNSET
    max_tokens_per_doc: int | UnsetType = UNSET
    priority: int | UnsetType = UNSET


def _count(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is not int or not 0 <= value <= 2**53:
        raise ValueError("a token count must be a whole number")
    return value


def cohere_usage(meta: object) -> Usage | UnsetType:
    """Usage from Cohere's `meta.tokens`, else the token counts of `meta.billed_units`."""
    if not isinstance(meta, dict):
        return UNSET
    read = made = None
    for part in (meta.get("tokens"), meta.get("billed_units")):
        if isinstance(part, dict):
            counts = (_count(part.get("input_tokens")), _count(part.get("output_tokens")))
            if (read, made) == (None, None):
                read, made = counts
    if read is None and made is None:
        return UNSET
    if made is None:
        return Usage(total_tokens=read or 0)
    if read is None:
        return Usage(total_tokens=made, completion_tokens=made)
    return Usage(total_tokens=read + made, prompt_tokens=read, completion_tokens=made)


def cohere_meta(envelope: Envelope, target: str) -> Any:
    """`meta` to write: the one read, in the same format; else `tokens` from the usage."""
    if envelope.source == target and envelope.meta is not UNSET:
        return envelope.meta
    usage = envelope.usage
    if not isinstance(usage, Usage):
        return UNSET
    made = usage.completion_tokens
    read = usage.prompt_tokens
    if read is UNSET:
        read = usage.total_tokens - (0 if made is UNSET else made)
    tokens = (
        {"input_tokens": read} if made is UNSET else {"input_tokens": read, "output_tokens": made}
    )
    return {"tokens": tokens}


# -- Xinference -------------------------------------------------------------------------------


class XinferenceResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    results: Annotated[list[V1Result], Meta(max_length=MAX_DOCUMENTS)] = []
    meta: dict[str, Any] | UnsetType | None = UNSET


class XinferenceOutResult(msgspec.Struct):
    index: int
    relevance_score: float
    document: Any


class XinferenceTokens(msgspec.Struct):
    input_tokens: Index
    output_tokens: Index | UnsetType = UNSET


Flag = bool | str | None
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})


class XinferenceRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    model: str
    query: Text
    documents: TextDocuments
    top_n: int | UnsetType | None = UNSET
    return_documents: Flag | UnsetType = UNSET
    return_len: Flag | UnsetType = UNSET
    max_chunks_per_doc: int | UnsetType | None = UNSET
    kwargs: str | UnsetType | None = UNSET


def xinference_usage(meta: object) -> Usage | UnsetType:
    tokens = meta.get("tokens") if isinstance(meta, dict) else None
    if tokens is None:
        return UNSET
    return Usage(total_tokens=msgspec.convert(tokens, XinferenceTokens).input_tokens)


# -- readers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    response: Callable[[bytes], tuple[list[Any], Envelope]]
    request: Callable[[bytes], Request]
    response_type: Any  # what a typed decode of a response is (for `validate`)
    request_type: Any


def _decoder(t: Any) -> Callable[[bytes], Any]:
    return msgspec.json.Decoder(t).decode


_jina_response = _decoder(JinaResponse)
_jina_request = _decoder(JinaRequest)
_v1_response = _decoder(V1Response)
_v1_request = _decoder(V1Request)
_v2_response = _decoder(V2Response)
_v2_request = _decoder(V2Request)
_xinference_response = _decoder(XinferenceResponse)
_xinference_request = _decoder(XinferenceRequest)


def read_jina_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _jina_response(data)
    return r.results, Envelope("jina", model=r.model, object=r.object, usage=r.usage)


def read_jina_request(data: bytes) -> Request:
    _too_large(data)
    r = _jina_request(data)
    return Request(
        "jina",
        r.model,
        r.query,
        r.documents,
        r.top_n,
        r.return_documents,
        r.truncation,
        r.max_doc_length,
        r.return_embeddings,
    )


def read_v1_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _v1_response(data)
    return r.results, Envelope("cohere_v1", usage=cohere_usage(r.meta), id=r.id, meta=r.meta)


def read_v1_request(data: bytes) -> Request:
    _too_large(data)
    r = _v1_request(data)
    own = {"rank_fields": r.rank_fields, "max_chunks_per_doc": r.max_chunks_per_doc}
    flag = r.return_documents
    if flag is UNSET:
        own["defaulted"] = True
    elif flag is None:
        own["return_documents"] = None
    return Request(
        "cohere_v1", r.model, r.query, r.documents, r.top_n, bool(flag) if flag else False, own=own
    )


def read_v2_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _v2_response(data)
    return r.results, Envelope("cohere_v2", usage=cohere_usage(r.meta), id=r.id, meta=r.meta)


def read_v2_request(data: bytes) -> Request:
    _too_large(data)
    r = _v2_request(data)
    return Request(
        "cohere_v2",
        r.model,
        r.query,
        r.documents,
        r.top_n,
        False,
        max_doc_length=r.max_tokens_per_doc,
        own={"priority": r.priority},
    )


def read_xinference_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _xinference_response(data)
    return r.results, Envelope("xinference", usage=xinference_usage(r.meta), id=r.id, meta=r.meta)


def _flag(value: object) -> bool:
    return value.lower() in _TRUE if isinstance(value, str) else bool(value)


def read_xinference_request(data: bytes) -> Request:
    _too_large(data)
    r = _xinference_request(data)
    own = {
        "return_len": r.return_len,
        "max_chunks_per_doc": r.max_chunks_per_doc,
        "kwargs": r.kwargs,
    }
    flag = r.return_documents
    if flag is UNSET:
        own["defaulted"] = True
    elif flag is not True and flag is not False:
        own["return_documents"] = flag
    return Request("xinference", r.model, r.query, r.documents, r.top_n, _flag(flag), own=own)


READERS: dict[str, Reader] = {
    "jina": Reader(read_jina_response, read_jina_request, JinaResponse, JinaRequest),
    "cohere_v1": Reader(read_v1_response, read_v1_request, V1Response, V1Request),
    "cohere_v2": Reader(read_v2_response, read_v2_request, V2Response, V2Request),
    "xinference": Reader(
        read_xinference_response, read_xinference_request, XinferenceResponse, XinferenceRequest
    ),
}


# -- the context step -------------------------------------------------------------------------

_score = operator.attrgetter("relevance_score")
KEEP, FILL, DROP = "keep", "fill", "drop"


def in_context(results: list[Any], request: Request, *, echoes: bool) -> tuple[list[Any], str]:
    """Check indices, sort by descending score (stable), cut to `top_n`; and say what the
    writer does with documents: fill the missing ones from the request, drop them, or keep."""
    count = len(request.documents)
    seen: set[int] = set()
    for result in results:
        index = result.index
        if index >= count or index in seen:
            raise ValueError(f"invalid or repeated index {index}")
        seen.add(index)
    results = sorted(results, key=_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    if not echoes:
        return results, KEEP
    return results, FILL if request.return_documents is not False else DROP


# -- writers ----------------------------------------------------------------------------------

_encode = msgspec.json.Encoder().encode


class JinaOutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET
    embedding: Any = UNSET


class JinaOut(msgspec.Struct, omit_defaults=True):
    model: Any = UNSET
    object: Any = UNSET
    usage: Any = UNSET
    results: list[JinaOutResult] = []


class CohereOut(msgspec.Struct, omit_defaults=True):
    id: Any = UNSET
    results: list[Any] = []
    meta: Any = UNSET


class V1OutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: Any = UNSET


class V2OutResult(msgspec.Struct):
    index: int
    relevance_score: float


@dataclass(frozen=True)
class Writer:
    response: Callable[[list[Any], Envelope, str, Sequence[Any]], bytes]
    request: Callable[[Request], bytes]
    echoes: bool  # whether its responses carry documents


def _doc(document: Any) -> Any:
    return Doc(document) if type(document) is str else document


def write_jina_response(
    results: list[Any], e: Envelope, mode: str, documents: Sequence[Any]
) -> bytes:
    if mode == FILL:
        out = [
            JinaOutResult(
                r.index,
                r.relevance_score,
                d
                if (d := getattr(r, "document", None)) is not None and d is not UNSET
                else _doc(documents[r.index]),
            )
            for r in results
        ]
    elif mode == DROP or e.source not in ("jina", "cohere_v1", "xinference"):
        out = [JinaOutResult(r.index, r.relevance_score) for r in results]
    elif e.source == "jina":
        out = [JinaOutResult(r.index, r.relevance_score, r.document, r.embedding) for r in results]
    else:
        out = [JinaOutResult(r.index, r.relevance_score, r.document) for r in results]
    return _encode(JinaOut(e.model, e.object, e.usage, out))


def write_v1_response(
    results: list[Any], e: Envelope, mode: str, documents: Sequence[Any]
) -> bytes:
    if mode == FILL:
        out = [
            V1OutResult(
                r.index,
                r.relevance_score,
                _doc(
                    d
                    if (d := getattr(r, "document", None)) is not None and d is not UNSET
                    else documents[r.index]
                ),
            )
            for r in results
        ]
    elif mode == DROP or e.source == "cohere_v2":
        out = [V1OutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [
            V1OutResult(
                r.index, r.relevance_score, UNSET if r.document is None else _doc(r.document)
            )
            for r in results
        ]
    own = e.source == "cohere_v1"
    return _encode(CohereOut(e.id if own else UNSET, out, cohere_meta(e, "cohere_v1")))


def write_v2_response(
    results: list[Any], e: Envelope, mode: str, documents: Sequence[Any]
) -> bytes:
    out = [V2OutResult(r.index, r.relevance_score) for r in results]
    own = e.source == "cohere_v2"
    return _encode(CohereOut(e.id if own else UNSET, out, cohere_meta(e, "cohere_v2")))


def write_xinference_response(
    results: list[Any], e: Envelope, mode: str, documents: Sequence[Any]
) -> bytes:
    if mode == FILL:
        out = [
            XinferenceOutResult(
                r.index,
                r.relevance_score,
                d
                if (d := getattr(r, "document", None)) is not None and d is not UNSET
                else _doc(documents[r.index]),
            )
            for r in results
        ]
    elif mode == DROP or e.source == "cohere_v2":
        out = [XinferenceOutResult(r.index, r.relevance_score, None) for r in results]
    else:
        out = [
            XinferenceOutResult(
                r.index, r.relevance_score, None if r.document is UNSET else r.document
            )
            for r in results
        ]
    own = e.source == "xinference"
    usage = e.usage
    if own and e.meta is not UNSET and xinference_usage(e.meta) == usage:
        meta = e.meta
    else:
        total = usage.total_tokens if isinstance(usage, Usage) else None
        meta = {
            "api_version": None,
            "billed_units": None,
            "tokens": None if total is None else {"input_tokens": total, "output_tokens": total},
            "warnings": None,
        }
    return _encode(CohereOut(e.id if own else UNSET, out, meta))


def _text(document: Any) -> str:
    return document if type(document) is str else document.text


def _own(request: Request, name: str, key: str) -> Any:
    return request.own.get(key, UNSET) if request.source == name and request.own else UNSET


def _write_flag(request: Request, name: str, coerce: Callable[[object], bool]) -> Any:
    """`return_documents` for a format whose default is false: as spelled when read from
    the same format, else explicit."""
    effective = request.return_documents is not False
    if request.source == name and request.own:
        spelled = request.own.get("return_documents", UNSET)
        if spelled is not UNSET and coerce(spelled) == effective:
            return spelled
        if request.own.get("defaulted") and not effective:
            return UNSET
    return effective


class JinaOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    truncation: Any = UNSET
    max_doc_length: Any = UNSET
    return_embeddings: Any = UNSET


class V1OutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    rank_fields: Any = UNSET
    return_documents: Any = UNSET
    max_chunks_per_doc: Any = UNSET


class V2OutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    max_tokens_per_doc: Any = UNSET
    priority: Any = UNSET


class XinferenceOutRequest(msgspec.Struct, omit_defaults=True):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any = UNSET
    return_documents: Any = UNSET
    return_len: Any = UNSET
    max_chunks_per_doc: Any = UNSET
    kwargs: Any = UNSET


def write_jina_request(r: Request) -> bytes:
    return _encode(
        JinaOutRequest(
            r.model,
            r.query,
            r.documents,
            r.top_n,
            r.return_documents,
            r.truncation,
            r.max_doc_length,
            r.return_embeddings,
        )
    )


def write_v1_request(r: Request) -> bytes:
    return _encode(
        V1OutRequest(
            r.model,
            r.query,
            r.documents,
            UNSET if r.top_n is None else r.top_n,
            _own(r, "cohere_v1", "rank_fields"),
            _write_flag(r, "cohere_v1", bool),
            _own(r, "cohere_v1", "max_chunks_per_doc"),
        )
    )


def _texts(documents: list[Any]) -> list[str]:
    if all(type(d) is str for d in documents):
        return documents
    return [_text(d) for d in documents]


def write_v2_request(r: Request) -> bytes:
    return _encode(
        V2OutRequest(
            r.model,
            r.query,
            _texts(r.documents),
            UNSET if r.top_n is None else r.top_n,
            r.max_doc_length,
            _own(r, "cohere_v2", "priority"),
        )
    )


def write_xinference_request(r: Request) -> bytes:
    return _encode(
        XinferenceOutRequest(
            r.model,
            r.query,
            _texts(r.documents),
            r.top_n,
            _write_flag(r, "xinference", _flag),
            # a foreign client's request asks for the token count its format reports
            _own(r, "xinference", "return_len") if r.source == "xinference" else True,
            _own(r, "xinference", "max_chunks_per_doc"),
            _own(r, "xinference", "kwargs"),
        )
    )


WRITERS: dict[str, Writer] = {
    "jina": Writer(write_jina_response, write_jina_request, echoes=True),
    "cohere_v1": Writer(write_v1_response, write_v1_request, echoes=True),
    "cohere_v2": Writer(write_v2_response, write_v2_request, echoes=False),
    "xinference": Writer(write_xinference_response, write_xinference_request, echoes=True),
}


# -- composed -------------------------------------------------------------------------------


def convert_response(data: bytes, read: str, write: str, request: Request | None) -> bytes:
    """`read`'s response as `write`'s, in `request`'s context when given."""
    results, envelope = READERS[read].response(data)
    writer = WRITERS[write]
    if request is None:
        return writer.response(results, envelope, KEEP, ())
    results, mode = in_context(results, request, echoes=writer.echoes)
    if envelope.model is UNSET:
        envelope.model = request.model
    if envelope.usage is UNSET:
        envelope.usage = None
    return writer.response(results, envelope, mode, request.documents)


def convert_request(data: bytes, read: str, write: str) -> bytes:
    return WRITERS[write].request(READERS[read].request(data))
