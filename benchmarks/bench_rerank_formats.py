"""rerank_formats: `convert_response` from Jina to Cohere v2, given the canonical request."""

from __future__ import annotations

import rerank_formats
from rerank_formats import RerankRequest

label = "rerank_formats"


def convert(data: bytes, request: RerankRequest) -> bytes:
    return rerank_formats.convert_response(data, read="jina", write="cohere_v2", request=request)
