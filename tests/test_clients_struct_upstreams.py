"""DashScope, Pinecone and Bedrock as the upstream behind unmodified Jina clients
(llama-index's `JinaRerank`, and deepset's jina-haystack `JinaRanker` where it is installed):
the proxy (`rerank_formats.proxy`) on 127.0.0.1 in front of a fake upstream of each format,
which answers with that format's recorded payloads.

For each upstream: the exact request it received, the ranking the client reports (documents
and scores), the usage a Jina client reads (DashScope's tokens; null for Pinecone's rerank
units and Bedrock's none), and the upstream's recorded error reaching the client as its own
exception with the upstream's message. Runs in the development environment.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from clients import Stack, assert_lossless, loopback_only, require_client
from helpers import RECORDED, load_json
from servers import Recorder, Reply, fake_upstream, proxy_app, serve, signature_error

__all__ = ["loopback_only"]  # the fixture, applied to every test here

UPSTREAMS = ("dashscope", "pinecone", "bedrock")
MODEL = "jina-reranker-v2-base-multilingual"
QUERY = "Where is Harbin?"
DOCS = [
    "Heilongjiang is close to Russia.",
    "Harbin is the capital of Heilongjiang province, in north-east China.",
]


def _dashscope(body: bytes) -> tuple[int, bytes]:
    """The SDK's recorded mock answer, with the documents the upstream received, when asked."""
    sent = json.loads(body)
    answer = load_json(RECORDED / "dashscope/text-rerank-response-sdk-test.json")
    for result in answer["output"]["results"]:
        result.pop("document")
        if sent["parameters"].get("return_documents"):
            result["document"] = {"text": sent["input"]["documents"][result["index"]]}
    return 200, json.dumps(answer).encode()


def _pinecone(body: bytes) -> tuple[int, bytes]:
    """The docs' recorded answer (4 documents) cut to the documents received, echoing them."""
    sent = json.loads(body)
    answer = load_json(RECORDED / "pinecone/rerank-response-docs-2025-10.json")
    answer["data"] = [r for r in answer["data"] if r["index"] < len(sent["documents"])]
    for result in answer["data"]:
        result["document"] = copy.deepcopy(sent["documents"][result["index"]])
        if not sent.get("return_documents", True):
            del result["document"]
    return 200, json.dumps(answer).encode()


def _bedrock(body: bytes) -> tuple[int, bytes]:
    return 200, (RECORDED / "bedrock/litellm-test-mock-response.json").read_bytes()


ANSWERS: dict[str, Reply] = {"dashscope": _dashscope, "pinecone": _pinecone, "bedrock": _bedrock}

RANKED = {
    "dashscope": [(1, 0.987654), (0, 0.876543)],
    "pinecone": [(0, 0.047963805), (1, 0.0006491712)],
    "bedrock": [(0, 0.6716859340667725), (1, 0.0004994205664843321)],
}
"""(index, relevance_score) of each recorded answer cut to DOCS, best first."""

SENT = {
    "dashscope": {
        "model": MODEL,
        "input": {"query": QUERY, "documents": DOCS},
        "parameters": {"return_documents": True, "top_n": 2},
    },
    "pinecone": {
        "model": MODEL,
        "query": QUERY,
        "documents": [{"text": d} for d in DOCS],
        "top_n": 2,
        "return_documents": True,
    },
    "bedrock": {
        "queries": [{"type": "TEXT", "textQuery": {"text": QUERY}}],
        "sources": [
            {
                "type": "INLINE",
                "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": d}},
            }
            for d in DOCS
        ],
        "rerankingConfiguration": {
            "type": "BEDROCK_RERANKING_MODEL",
            "bedrockRerankingConfiguration": {
                "modelConfiguration": {"modelArn": MODEL},
                "numberOfResults": 2,
            },
        },
    },
}
"""What each upstream receives for a Jina client's request (top 2, documents by default)."""

USAGE = {"dashscope": {"total_tokens": 1279}, "pinecone": None, "bedrock": None}
"""The usage a Jina client reads: DashScope's tokens (the mock's `input_tokens`); Pinecone's
rerank units and Bedrock's nothing are no token count (null, unknown)."""

# The recorded error of each upstream, its status and headers, and the message a Jina client
# reads (Bedrock names its error type in the x-amzn-ErrorType header).
ERRORS = {
    "dashscope": (
        "dashscope/error-invalid-parameter-aperag-1071.json",
        400,
        {},
        "<400> InternalError.Algo.InvalidParameter: Value error, document index:0 is invalid,"
        " it should not be larger than 300000: input.documents",
    ),
    "pinecone": (
        "pinecone/error-401-openapi-example.json",
        401,
        {},
        "Invalid API key.",
    ),
    "bedrock": (
        "bedrock/error-400-validation-dify-12774-reconstructed.json",
        400,
        {
            "x-amzn-ErrorType": "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"
        },
        "Cannot provide numberOfResults value that exceeds the number of sources.",
    ),
}


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for upstream in UPSTREAMS:
            fake = fake_upstream(upstream)
            upstream_url = servers.enter_context(serve(fake.recorder))
            proxy = Recorder(proxy_app(upstream_url, upstream))
            built[upstream] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


def llama_index_jina(stack: Stack) -> list[tuple[str, float | None]]:
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    schema = require_client("llama_index.core.schema")
    postprocessor = base.JinaRerank(
        model=MODEL, api_key="test-key", base_url=f"{stack.url}/jina/v1", top_n=2
    )
    nodes = [schema.NodeWithScore(node=schema.TextNode(text=text)) for text in DOCS]
    ranked = postprocessor.postprocess_nodes(nodes, query_str=QUERY)
    return [(n.node.get_content(), n.score) for n in ranked]


def jina_haystack(stack: Stack) -> Any:
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # before haystack is imported
    jina = require_client("haystack_integrations.components.rankers.jina")
    haystack = require_client("haystack")
    ranker = jina.JinaRanker(
        model=MODEL,
        api_key=haystack.utils.Secret.from_token("test-key"),
        base_url=f"{stack.url}/jina/v1/rerank",
        top_k=2,
    )
    return ranker.run(query=QUERY, documents=[haystack.Document(content=d) for d in DOCS])


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_llama_index_jina_rerank(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(ANSWERS[upstream])

    got = llama_index_jina(stack)

    assert got == [(DOCS[i], score) for i, score in RANKED[upstream]]
    assert stack.sent() == SENT[upstream]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, "jina")
    received = stack.upstream.seen[-1]
    if upstream == "bedrock":  # signed by the proxy (SigV4), not sent a key
        assert signature_error(received, "bedrock") is None
    else:
        assert "x-amz-date" not in received.headers


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_jina_haystack_ranker_reads_the_usage(stacks: dict[str, Stack], upstream: str) -> None:
    if not os.environ.get("RERANK_FORMATS_REQUIRE_CLIENTS"):
        pytest.importorskip("haystack_integrations.components.rankers.jina")  # Python 3.11+
    stack = stacks[upstream].answer(ANSWERS[upstream])

    result = jina_haystack(stack)

    assert [(d.content, d.score) for d in result["documents"]] == [
        (DOCS[i], score) for i, score in RANKED[upstream]
    ]
    assert result["meta"] == {"model": MODEL, "usage": USAGE[upstream]}
    assert stack.sent() == SENT[upstream]


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_an_upstream_error_reaches_a_jina_client_with_its_message(
    stacks: dict[str, Stack], upstream: str
) -> None:
    name, status, headers, message = ERRORS[upstream]
    stack = stacks[upstream].answer(lambda _: (status, (RECORDED / name).read_bytes()))
    stack.upstream.headers = headers
    try:
        with pytest.raises(RuntimeError) as info:
            llama_index_jina(stack)
    finally:
        stack.upstream.headers = {}

    # llama-index 0.6.0 raises RuntimeError(resp["detail"])
    assert str(info.value) == message
    [exchange] = stack.proxy.seen
    assert exchange.status == status
    body = json.loads(exchange.answer)
    if upstream == "bedrock":  # the type from the header becomes Jina's `code`
        assert body == {"detail": message, "code": "ValidationException"}
    elif upstream == "pinecone":
        assert body == {"detail": message, "code": "UNAUTHENTICATED"}
    else:
        assert body == {
            "detail": message,
            "code": "InvalidParameter",
            "request_id": "2e5de67c-bbfe-9680-b8e2-9697ecd74c40",
        }
