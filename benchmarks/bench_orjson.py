"""The same reshaping with `orjson.loads`/`orjson.dumps` and plain dicts."""

from __future__ import annotations

import operator
from typing import Any

import orjson

from rerank_formats import RerankRequest

label = "orjson"


_score = operator.itemgetter("relevance_score")


def convert(data: bytes, request: RerankRequest) -> bytes:
    response = orjson.loads(data)
    count = len(request.documents)
    seen: set[int] = set()
    for result in response["results"]:
        index = result["index"]
        if not 0 <= index < count or index in seen:
            raise ValueError(f"invalid or repeated index {index}")
        seen.add(index)
    results = sorted(response["results"], key=_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    body: dict[str, Any] = {
        "results": [{"index": r["index"], "relevance_score": r["relevance_score"]} for r in results]
    }
    usage = response.get("usage")
    if usage is not None:
        body["meta"] = {"tokens": {"input_tokens": usage["total_tokens"]}}
    return orjson.dumps(body)
