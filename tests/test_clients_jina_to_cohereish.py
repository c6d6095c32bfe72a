"""A real Jina client (llama-index's `JinaRerank`, unmodified) against the proxy in front of a
fake Infinity, Together or SiliconFlow server on 127.0.0.1, each answering in its own shape
what the recorded request of that format asks: the ranking the client reports, what the
upstream received, the answer the client got, and each upstream error (401, 422, 429, 500)
as the client's own exception.

The fake servers answer as their sources say the real ones do: Infinity with `object`,
`id`, `created`, bare-string (or null) documents and `usage{prompt_tokens, total_tokens}`
(michaelfeil/infinity `ReRankResult`); Together with `document{text}` (`{}` without documents) and
three token counts (its OpenAPI `RerankResponse`, vercel/ai's recorded answer); SiliconFlow with `tokens` and no model (its API
reference). Their error bodies are the servers' own: Infinity's `OpenAIException` and FastAPI
bodies (infinity_server.py), Together's `ErrorData`, SiliconFlow's `{code, message, data}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from clients import Stack, assert_lossless, llama_index_rerank, loopback_only, require_client
from helpers import RECORDED, load_json
from servers import Recorder, fake_upstream, proxy_app, serve

__all__ = ["loopback_only"]  # an autouse fixture

JINA_MODEL = "jina-reranker-v2-base-multilingual"
FORMATS = ("infinity", "together", "siliconflow")


def _texts(documents: list[Any]) -> list[str]:
    return [d if isinstance(d, str) else d["text"] for d in documents]


# Each format's recorded request (its query and documents, as texts), and a ranking for them:
# Together's is its spec's example answer; Infinity's and SiliconFlow's examples are a mock of
# one result and a placeholder, so theirs are made up here.
RECORDED_REQUESTS = {
    "infinity": "infinity/rerank-request-docstring.json",
    "together": "together/rerank-request-openapi-curl.json",
    "siliconflow": "siliconflow/rerank-request-docs.json",
}
QUERY = {f: load_json(RECORDED / p)["query"] for f, p in RECORDED_REQUESTS.items()}
DOCS = {f: _texts(load_json(RECORDED / p)["documents"]) for f, p in RECORDED_REQUESTS.items()}
_TOGETHER = load_json(RECORDED / "together" / "rerank-response-openapi-field-examples.json")
RANKED = {
    "infinity": [(0, 0.9826), (1, 0.0017)],
    "together": [(r["index"], r["relevance_score"]) for r in _TOGETHER["results"]],
    "siliconflow": [(0, 0.9897), (2, 0.6041), (1, 0.0721), (3, 0.0102)],
}
TOP_N = {"infinity": 1, "together": 2, "siliconflow": 2}
TOKENS = {"infinity": 14, "together": 1837, "siliconflow": 20}


def answer(fmt: str) -> Callable[[bytes], tuple[int, bytes]]:
    """The server's answer to the request it received, in its own shape, documents only when
    asked (and every result, whatever `top_n` said: the proxy cuts them)."""

    def reply(body: bytes) -> tuple[int, bytes]:
        sent = json.loads(body)
        documents, wanted = sent["documents"], sent.get("return_documents", False)
        tokens = TOKENS[fmt]
        if fmt == "infinity":
            results = [
                {"relevance_score": s, "index": i, "document": documents[i] if wanted else None}
                for i, s in RANKED[fmt]
            ]
            return 200, json.dumps(
                {
                    "object": "rerank",
                    "results": results,
                    "model": sent.get("model", "default/not-specified"),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                    "id": "infinity-4f0bbd25-4d2e-4b0c-a8f5-2f6f1f1b0e8c",
                    "created": 1764680000,
                }
            ).encode()
        if fmt == "together":
            # `{}` without documents, as vercel/ai's recorded Together answer has it
            results = [
                {
                    "index": i,
                    "relevance_score": s,
                    "document": {"text": documents[i]} if wanted else {},
                }
                for i, s in RANKED[fmt]
            ]
            return 200, json.dumps(
                {
                    "object": "rerank",
                    "id": _TOGETHER["id"],
                    "model": _TOGETHER["model"],
                    "results": results,
                    "usage": _TOGETHER["usage"],
                }
            ).encode()
        results = [
            {"document": {"text": documents[i]}, "index": i, "relevance_score": s}
            if wanted
            else {"index": i, "relevance_score": s}
            for i, s in RANKED[fmt]
        ]
        return 200, json.dumps(
            {
                "id": "0193a1b2c3d4",
                "results": results,
                "tokens": {"input_tokens": tokens, "output_tokens": 0},
            }
        ).encode()

    return reply


# What each server answers for each error, and the message a Jina client then reads.
ERRORS: dict[str, dict[int, tuple[dict[str, Any], str]]] = {
    "infinity": {
        401: ({"detail": "Unauthorized"}, "Unauthorized"),
        422: (
            {
                "detail": [
                    {
                        "type": "greater_than",
                        "loc": ["body", "top_n"],
                        "msg": "Input should be greater than 0",
                        "input": 0,
                        "ctx": {"gt": 0},
                    }
                ]
            },
            # FastAPI's 422 reads as legacy Jina's; the proxy writes it anew for the client
            # (its field errors in `errors`), and llama-index's RuntimeError(resp["detail"])
            # holds the message
            "Validation error",
        ),
        429: (
            {
                "error": {
                    "message": "model m is currently overloaded",
                    "type": None,
                    "param": None,
                    "code": 429,
                }
            },
            "model m is currently overloaded",
        ),
        500: (
            {
                "error": {
                    "message": "InternalServerError: CUDA out of memory",
                    "type": None,
                    "param": None,
                    "code": 500,
                }
            },
            "InternalServerError: CUDA out of memory",
        ),
    },
    "together": {
        401: (
            {
                "error": {
                    "message": "Invalid API key provided.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            },
            "Invalid API key provided.",
        ),
        422: (
            {
                "error": {
                    "message": "Input validation error",
                    "type": "invalid_request_error",
                    "param": "top_n",
                    "code": None,
                }
            },
            "Input validation error",
        ),
        429: (
            {
                "error": {
                    "message": "You have been rate limited.",
                    "type": "rate_limit",
                    "param": None,
                    "code": None,
                }
            },
            "You have been rate limited.",
        ),
        500: (
            {
                "error": {
                    "message": "Internal server error",
                    "type": "server_error",
                    "param": None,
                    "code": None,
                }
            },
            "Internal server error",
        ),
    },
    "siliconflow": {
        401: ({"code": 20001, "message": "Invalid token", "data": None}, "Invalid token"),
        422: (
            {"code": 20015, "message": "Invalid parameter: top_n", "data": None},
            "Invalid parameter: top_n",
        ),
        429: (
            {"code": 50603, "message": "Request was rejected due to rate limiting.", "data": None},
            "Request was rejected due to rate limiting.",
        ),
        500: ({"code": 50500, "message": "Unknown error", "data": None}, "Unknown error"),
    },
}
"""Infinity's are its server's own texts (infinity_server.py, errors.py, pydantic's 422);
Together's and SiliconFlow's messages and business codes other than 20012 are illustrative
(their shapes are the spec's and the error page's)."""


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """A proxy for Jina clients in front of each format's fake server."""
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for fmt in FORMATS:
            fake = fake_upstream(fmt)
            upstream_url = servers.enter_context(serve(fake.recorder))
            proxy = Recorder(proxy_app(upstream_url, fmt))
            built[fmt] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


def jina_rerank(stack: Stack, top_n: int) -> Any:
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    return base.JinaRerank(
        model=JINA_MODEL, api_key="test-key", base_url=f"{stack.url}/jina/v1", top_n=top_n
    )


def nodes(fmt: str) -> list[Any]:
    schema = require_client("llama_index.core.schema")
    return [schema.NodeWithScore(node=schema.TextNode(text=text)) for text in DOCS[fmt]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_llama_index_jina_rerank_in_front_of(stacks: dict[str, Stack], fmt: str) -> None:
    stack = stacks[fmt].answer(answer(fmt))
    top_n = TOP_N[fmt]

    postprocessor = jina_rerank(stack, top_n)
    got = postprocessor.postprocess_nodes(nodes(fmt), query_str=QUERY[fmt])

    assert [(n.node.get_content(), n.score) for n in got] == [
        (DOCS[fmt][i], s) for i, s in RANKED[fmt][:top_n]
    ]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, "jina")
    # Jina's default is to return documents: said explicitly to servers whose default is not
    wanted = {"model": JINA_MODEL, "query": QUERY[fmt], "documents": DOCS[fmt], "top_n": top_n}
    assert stack.sent() == wanted | {"return_documents": True}
    # the Jina client's answer: the server's model (SiliconFlow names none: the request's),
    # its usage in Jina's shape, documents as {text}
    model = {"infinity": JINA_MODEL, "together": _TOGETHER["model"], "siliconflow": JINA_MODEL}
    usage = {
        "infinity": {"total_tokens": 14, "prompt_tokens": 14},
        "together": {"total_tokens": 1837, "prompt_tokens": 1837, "completion_tokens": 0},
        "siliconflow": {"total_tokens": 20, "prompt_tokens": 20, "completion_tokens": 0},
    }
    assert json.loads(exchange.answer) == {
        "model": model[fmt],
        "usage": usage[fmt],
        "results": [
            {"index": i, "relevance_score": s, "document": {"text": DOCS[fmt][i]}}
            for i, s in RANKED[fmt][:top_n]
        ],
    }


def test_an_unknown_jina_key_is_not_sent_to_together(stacks: dict[str, Stack]) -> None:
    # Together refuses unknown keys (additionalProperties: false): the proxy does not send a
    # Jina-only `truncation`, and says why (a ranking loss refuses the request by default)
    httpx = require_client("httpx")
    stack = stacks["together"].answer(answer("together"))
    body = {"model": "m", "query": "q", "documents": ["a"], "truncation": True}

    refused = httpx.post(f"{stack.url}/jina/v1/rerank", json=body)

    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "$.truncation", "message": "together has no truncation switch"}
    ]
    assert stack.upstream.seen == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("status", [401, 422, 429, 500])
def test_jina_rerank_errors_from(stacks: dict[str, Stack], fmt: str, status: int) -> None:
    body, text = ERRORS[fmt][status]
    stack = stacks[fmt].answer(lambda _: (status, json.dumps(body).encode()))

    with pytest.raises(RuntimeError) as raised:  # RuntimeError(resp["detail"]), base.py 0.6.0
        jina_rerank(stack, 1).postprocess_nodes(nodes(fmt), query_str=QUERY[fmt])

    assert str(raised.value) == text
    assert [e.status for e in stack.proxy.seen] == [status]
