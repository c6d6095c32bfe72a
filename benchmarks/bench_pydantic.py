"""The same reshaping with pydantic v2 models (`model_validate_json`, `model_dump_json`)."""

from __future__ import annotations

import operator

from pydantic import BaseModel

from rerank_formats import RerankRequest

label = "pydantic"


class TextDocument(BaseModel):
    text: str


class Usage(BaseModel):
    total_tokens: int


class JinaResult(BaseModel):
    index: int
    relevance_score: float
    document: str | TextDocument | None = None


class JinaResponse(BaseModel):
    results: list[JinaResult]
    model: str | None = None
    object: str | None = None
    usage: Usage | None = None


class CohereResult(BaseModel):
    index: int
    relevance_score: float


class Tokens(BaseModel):
    input_tokens: int


class Meta(BaseModel):
    tokens: Tokens


class CohereResponse(BaseModel):
    results: list[CohereResult]
    meta: Meta | None = None


_score = operator.attrgetter("relevance_score")


def convert(data: bytes, request: RerankRequest) -> bytes:
    response = JinaResponse.model_validate_json(data)
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
    out = CohereResponse(
        results=[CohereResult(index=r.index, relevance_score=r.relevance_score) for r in results],
        meta=None if usage is None else Meta(tokens=Tokens(input_tokens=usage.total_tokens)),
    )
    return out.model_dump_json(exclude_none=True).encode()
