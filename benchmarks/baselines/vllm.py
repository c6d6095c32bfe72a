"""The hand-written baseline of vLLM's rerank format (near-Jina: documents always echoed as
`{text, multi_modal}`, `top_n` 0 for all, housekeeping fields written back to vLLM only)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Doc,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    TextDocuments,
    Usage,
    Writer,
    _decoder,
    _encode,
    _text,
    _texts,
    _too_large,
)
from ._vllm import Housekeeping, housekeeping, own_wire, truncation_from


class VllmEcho(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    text: Text | UnsetType | None = UNSET
    multi_modal: UnsetType | None = UNSET  # text documents only: no content parts


class VllmResult(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    index: Index
    echo: VllmEcho | UnsetType = msgspec.field(default=UNSET, name="document")
    relevance_score: float

    @property
    def document(self) -> Any:
        """The echo as the `{text}` document every other format echoes (None: no text)."""
        echo = self.echo
        if echo is UNSET:
            return UNSET
        return None if echo.text is None or echo.text is UNSET else Doc(echo.text)


class VllmUsage(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    total_tokens: Index
    prompt_tokens: Index | UnsetType = UNSET


class VllmResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    id: str | UnsetType = UNSET
    model: str | UnsetType = UNSET
    usage: VllmUsage | UnsetType | None = UNSET
    results: Annotated[list[VllmResult], Meta(max_length=MAX_DOCUMENTS)]


class VllmRequest(Housekeeping, kw_only=True):
    query: Text
    documents: TextDocuments
    model: str | UnsetType | None = UNSET
    top_n: int | UnsetType = UNSET  # 0 (the default) or less: every result
    max_tokens_per_doc: Annotated[int, Meta(ge=1)] | UnsetType | None = UNSET
    return_documents: bool | UnsetType | None = UNSET  # ignored: vLLM always echoes


_vllm_response = _decoder(VllmResponse)


_vllm_request = _decoder(VllmRequest)


def read_vllm_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _vllm_response(data)
    usage = r.usage
    if type(usage) is VllmUsage:
        usage = Usage(usage.total_tokens, usage.prompt_tokens)
    return r.results, Envelope("vllm", model=r.model, usage=usage, id=r.id)


def read_vllm_request(data: bytes) -> Request:
    _too_large(data)
    r = _vllm_request(data)
    top_n = r.top_n
    return Request(
        "vllm",
        r.model if type(r.model) is str else UNSET,
        r.query,
        r.documents,
        None if type(top_n) is int and top_n <= 0 else top_n,
        truncation=truncation_from(r.truncate_prompt_tokens),
        max_doc_length=UNSET if r.max_tokens_per_doc is None else r.max_tokens_per_doc,
        own={"wire": r},
    )


class VllmOutEcho(msgspec.Struct):
    text: Any
    multi_modal: Any  # UNSET: left out (as vLLM wrote it before `multi_modal`)


class VllmOutResult(msgspec.Struct):
    index: int
    document: Any
    relevance_score: float


class VllmOutUsage(msgspec.Struct):
    prompt_tokens: Any
    total_tokens: int


class VllmOut(msgspec.Struct):
    id: Any
    model: Any
    usage: Any
    results: list[VllmOutResult]


def _usage(e: Envelope) -> Any:
    usage = e.usage
    if not isinstance(usage, Usage):
        return UNSET  # unknown: left out
    prompt = usage.prompt_tokens
    made = usage.completion_tokens or 0
    # a reranker reads every token; a vLLM usage read without `prompt_tokens` stays so
    if prompt is UNSET and e.source != "vllm" and usage.total_tokens >= made:
        prompt = usage.total_tokens - made
    return VllmOutUsage(prompt, usage.total_tokens)


def write_vllm_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    own = e.source == "vllm"
    multi = None
    if own and any(r.echo is not UNSET and r.echo.multi_modal is UNSET for r in results):
        multi = UNSET  # read from a vLLM that wrote no `multi_modal`
    if mode == FILL:
        out = [
            VllmOutResult(
                r.index,
                VllmOutEcho(
                    _text(
                        d
                        if (d := getattr(r, "document", None)) is not None and d is not UNSET
                        else documents[r.index]
                    ),
                    multi,
                ),
                r.relevance_score,
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [VllmOutResult(r.index, UNSET, r.relevance_score) for r in results]
    else:
        out = [
            VllmOutResult(
                r.index,
                UNSET
                if (d := r.document) is UNSET
                else VllmOutEcho(None if d is None else _text(d), multi),
                r.relevance_score,
            )
            for r in results
        ]
    return _encode(VllmOut(e.id if own else UNSET, e.model, _usage(e), out))


class VllmOutRequest(msgspec.Struct):
    model: Any
    query: Any
    documents: list[Any]
    top_n: Any
    max_tokens_per_doc: Any
    return_documents: Any
    truncate_prompt_tokens: Any
    user: Any
    request_id: Any
    priority: Any
    mm_processor_kwargs: Any
    use_activation: Any
    activation: Any
    softmax: Any
    padding: Any
    truncation_side: Any
    cache_salt: Any


def write_vllm_request(r: Request) -> bytes:
    wire = own_wire(r, "vllm")
    if wire is not None:  # the client's own spelling: a null model, top_n 0, ...
        model, top_n, most = wire.model, wire.top_n, wire.max_tokens_per_doc
        flag = wire.return_documents
    else:
        model, top_n, most, flag = r.model, r.top_n, r.max_doc_length, UNSET
        if top_n is None:
            top_n = UNSET
    return _encode(
        VllmOutRequest(
            model, r.query, _texts(r.documents), top_n, most, flag, *housekeeping(r, wire)
        )
    )


READER = Reader(read_vllm_response, read_vllm_request, VllmResponse, VllmRequest)
WRITER = Writer(write_vllm_response, write_vllm_request, echoes=True)
