"""The baseline: the same reshaping hand-written with msgspec, as a gateway would without
rerank_formats."""

from __future__ import annotations

import operator

import msgspec
from msgspec import UNSET, UnsetType

from rerank_formats import RerankRequest

label = "msgspec baseline"


class TextDocument(msgspec.Struct):
    text: str


class Usage(msgspec.Struct):
    total_tokens: int


class JinaResult(msgspec.Struct):
    index: int
    relevance_score: float
    document: str | TextDocument | None = None


class JinaResponse(msgspec.Struct):
    results: list[JinaResult]
    model: str | None = None
    object: str | None = None
    usage: Usage | None = None


class CohereResult(msgspec.Struct):
    index: int
    relevance_score: float


class Tokens(msgspec.Struct):
    input_tokens: int


class Meta(msgspec.Struct):
    tokens: Tokens


class CohereResponse(msgspec.Struct, omit_defaults=True):
    results: list[CohereResult]
    meta: Meta | UnsetType = UNSET


_decoder = msgspec.json.Decoder(JinaResponse)
_encoder = msgspec.json.Encoder()
_score = operator.attrgetter("relevance_score")


def convert(data: bytes, request: RerankRequest) -> bytes:
    response = _decoder.decode(data)
    count = len(request.documents)
    seen: set[int] = set()
    for result in response.results:
        index = result.index
        if not 0 <= index < count or index in seen:
            raise ValueError(f"invalid or repeated index {index}")
        seen.add(index)
    results = sorted(response.results, key=_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    usage = response.usage
    return _encoder.encode(
        CohereResponse(
            results=[CohereResult(r.index, r.relevance_score) for r in results],
            meta=UNSET if usage is None else Meta(Tokens(usage.total_tokens)),
        )
    )
