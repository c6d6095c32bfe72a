"""Deterministic benchmark inputs: a Jina rerank request and the Jina response answering it."""

from __future__ import annotations

import json
import random
import string
from typing import Any

MODEL = "jina-reranker-v2-base-multilingual"
DOCUMENT_CHARS = 300

_VOCABULARY = random.Random("vocabulary")
_WORDS = [
    "".join(_VOCABULARY.choices(string.ascii_lowercase, k=_VOCABULARY.randint(2, 10)))
    for _ in range(500)
]


def _text(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    length = -1
    while length < chars:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def documents(n: int, *, seed: int = 0) -> list[str]:
    """`n` documents of about `DOCUMENT_CHARS` characters of seeded random words."""
    rng = random.Random(seed)
    return [_text(rng, DOCUMENT_CHARS) for _ in range(n)]


def jina_request(n: int, *, top_n: int | None = None, seed: int = 0) -> bytes:
    """A Jina rerank request with `n` documents (and `top_n` only when given)."""
    body: dict[str, Any] = {
        "model": MODEL,
        "query": _text(random.Random(f"query-{seed}"), 40),
        "documents": documents(n, seed=seed),
    }
    if top_n is not None:
        body["top_n"] = top_n
    return json.dumps(body).encode()


def jina_response(
    n: int,
    *,
    seed: int = 0,
    usage: bool = True,
    indices: list[int] | None = None,
) -> bytes:
    """The Jina response to `jina_request(n, seed=seed)`: every document once, in a shuffled
    order with random scores (so not sorted), each echoed as `{"text": ...}`.

    `indices` replaces the shuffled indices, to build invalid responses.
    """
    texts = documents(n, seed=seed)
    rng = random.Random(f"response-{seed}")
    order = list(range(n)) if indices is None else list(indices)
    if indices is None:
        rng.shuffle(order)
    results = [
        {
            "index": index,
            "relevance_score": round(rng.random(), 8),
            "document": {"text": texts[index % n]},
        }
        for index in order
    ]
    body: dict[str, Any] = {"model": MODEL, "object": "list", "results": results}
    if usage:
        body["usage"] = {"total_tokens": sum(len(t.split()) for t in texts) + 8}
    return json.dumps(body).encode()
