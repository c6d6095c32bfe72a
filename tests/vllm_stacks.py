"""A fake vLLM rerank server, and vLLM's other routes in front of the proxy: what the vLLM
client tests (tests/test_format_vllm.py, tests/test_clients_litellm.py) share."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from rerank_formats.proxy import CLIENT_PATHS

MODEL = "BAAI/bge-reranker-base"
DOCUMENTS = [
    "The capital of Brazil is Brasilia.",
    "The capital of France is Paris.",
    "Horses and cows are both animals",
]
SCORES = {  # the docs' answer (docs/serving/openai_compatible_server.md), and one more
    DOCUMENTS[0]: 0.0005860328674316406,
    DOCUMENTS[1]: 0.99853515625,
    DOCUMENTS[2]: 0.0001,
}


def vllm_server(body: bytes) -> tuple[int, bytes]:
    """What vLLM's rerank route answers (serving.py `_request_output_to_rerank_response`):
    every document echoed, sorted by score, cut to a positive `top_n`, `model_dump()`."""
    sent = json.loads(body)
    documents = sent["documents"]
    for document in documents:
        if not isinstance(document, str) and "content" not in document:
            error = {"message": "invalid document", "type": "BadRequestError", "param": None}
            return 400, json.dumps({"error": {**error, "code": 400}}).encode()
    results = [
        {
            "index": i,
            "document": {"text": d, "multi_modal": None}
            if isinstance(d, str)
            else {"text": None, "multi_modal": d["content"]},
            "relevance_score": SCORES.get(d, 0.5) if isinstance(d, str) else 0.5,
        }
        for i, d in enumerate(documents)
    ]
    results.sort(key=lambda r: r["relevance_score"], reverse=True)
    top_n = sent.get("top_n", 0)
    if 0 < top_n < len(documents):
        results = results[:top_n]
    usage = {"prompt_tokens": 42, "total_tokens": 42}
    answer = {"id": "rerank-7", "model": MODEL, "usage": usage, "results": results}
    return 200, json.dumps(answer).encode()


class Aliases:
    """Serves the proxy's vLLM client path at vLLM's other routes, `/vllm/v2/rerank` and
    `/vllm/rerank` (its `ENDPOINT.aliases`), for the clients that call them, until the proxy
    serves aliases itself (engineer `core`, #13)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in ("/vllm/v2/rerank", "/vllm/rerank"):
            scope = {
                **scope,
                "path": CLIENT_PATHS["vllm"],
                "raw_path": CLIENT_PATHS["vllm"].encode(),
            }
        await self.app(scope, receive, send)
