"""Real clients, unmodified, against the proxy over HTTP on 127.0.0.1, with TEI and llama.cpp
on either side (the shared tables of tests/clients.py are being generalised; this module
builds its own stacks).

- Jina clients (llama-index's `JinaRerank`, jina-haystack's `JinaRanker`) in front of a fake
  TEI upstream: `top_n` is cut by the proxy (TEI has none), documents are filled from the
  request (TEI echoes bare texts), the usage comes from the `x-compute-tokens` header, the
  model from the request; and in front of a fake llama.cpp upstream (raw negative scores,
  never an echoed document).
- TEI clients (llama-index's `TextEmbeddingInference` 0.6.0, rerankers' `APIRanker` with
  `text-embeddings-inference`) in front of fake Jina and llama.cpp upstreams: every text comes
  back (TEI returns them all, and the llama-index client asserts it), `score` and `index`.
- A Jina client speaking to llama.cpp (llama-index's `JinaRerank` at the proxy's llama.cpp
  path) in front of a fake TEI upstream.
- Errors each way, as each client surfaces them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from clients import Stack, loopback_only, require_client
from servers import Recorder, fake_upstream, proxy_app, serve

__all__ = ["loopback_only"]  # the autouse fixture: no connection leaves 127.0.0.1

# A Jina request sent to TEI loses its `model` and `top_n` (reporting losses, tests/
# test_format_tei.py), which the proxy warns about while the response path restores both
# (the request's model, cut to its top_n): a warning here, not an error.
pytestmark = pytest.mark.filterwarnings("ignore::rerank_formats.LossWarning")

QUERY = "What is Deep Learning?"
DOCS = ["Deep Learning is not...", "Deep learning is...", "A kitten plays with yarn."]
MODEL = "jina-reranker-v2-base-multilingual"

# What the fake TEI upstream scores each text (index: score), answered sorted as TEI does.
TEI_SCORES = {1: 0.9986, 0: 0.0381, 2: 0.0002}
# llama.cpp's rank head gives logits (shared/recorded llama-cpp/one-hub-580: negative).
LLAMA_SCORES = {1: 2.75, 0: -3.84, 2: -10.5}
JINA_SCORES = {1: 0.91, 0: 0.42, 2: 0.05}


def tei_answer(body: bytes) -> tuple[int, bytes]:
    sent = json.loads(body)
    ranks = []
    for index, score in TEI_SCORES.items():
        rank: dict[str, Any] = {"index": index}
        if sent.get("return_text"):
            rank["text"] = sent["texts"][index]
        rank["score"] = score
        ranks.append(rank)
    return 200, json.dumps(ranks).encode()


def llama_answer(body: bytes) -> tuple[int, bytes]:
    sent = json.loads(body)
    results = [{"index": i, "relevance_score": s} for i, s in LLAMA_SCORES.items()]
    top_n = sent.get("top_n", len(results))
    answer = {
        "model": sent.get("model", "bge-reranker-v2-m3-q8_0"),
        "object": "list",
        "usage": {"prompt_tokens": 31, "total_tokens": 31},
        "results": results[:top_n],
    }
    return 200, json.dumps(answer).encode()


def jina_answer(body: bytes) -> tuple[int, bytes]:
    sent = json.loads(body)
    results: list[dict[str, Any]] = [
        {"index": i, "relevance_score": s} for i, s in JINA_SCORES.items()
    ]
    if sent.get("return_documents", True):
        for r in results:
            r["document"] = {"text": sent["documents"][r["index"]]}
    answer = {"model": sent["model"], "usage": {"total_tokens": 12}, "results": results}
    return 200, json.dumps(answer).encode()


ANSWERS = {"tei": tei_answer, "llama_cpp": llama_answer, "jina": jina_answer}


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """A proxy in front of a fake upstream, for each of TEI, llama.cpp and Jina."""
    with ExitStack() as servers:
        built = {}
        for upstream in ANSWERS:
            fake = fake_upstream(upstream)
            upstream_url = servers.enter_context(serve(fake.recorder))
            proxy = Recorder(proxy_app(upstream_url, upstream))
            built[upstream] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


def answering(stack: Stack, upstream: str) -> Stack:
    stack.upstream.headers = {"x-compute-tokens": "27"} if upstream == "tei" else {}
    return stack.answer(ANSWERS[upstream])


# -- Jina clients in front of TEI and llama.cpp --------------------------------------------------


def jina_rerank(stack: Stack, path: str = "/jina/v1") -> Any:
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    return base.JinaRerank(model=MODEL, api_key="k", base_url=stack.url + path, top_n=2)


def rerank_nodes(postprocessor: Any) -> list[tuple[str, float | None]]:
    schema = require_client("llama_index.core.schema")
    nodes = [schema.NodeWithScore(node=schema.TextNode(text=text)) for text in DOCS]
    got = postprocessor.postprocess_nodes(nodes, query_str=QUERY)
    return [(n.node.get_content(), n.score) for n in got]


def jina_haystack(stack: Stack) -> Any:
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # before haystack is imported
    jina = require_client("haystack_integrations.components.rankers.jina")
    haystack = require_client("haystack")
    ranker = jina.JinaRanker(
        model=MODEL,
        api_key=haystack.utils.Secret.from_token("k"),
        base_url=f"{stack.url}/jina/v1/rerank",
        top_k=2,
    )
    return ranker.run(query=QUERY, documents=[haystack.Document(content=d) for d in DOCS])


def test_jina_clients_in_front_of_tei(stacks: dict[str, Stack]) -> None:
    stack = answering(stacks["tei"], "tei")

    assert rerank_nodes(jina_rerank(stack)) == [(DOCS[1], 0.9986), (DOCS[0], 0.0381)]
    result = jina_haystack(stack)

    assert [(d.content, d.score) for d in result["documents"]] == [
        (DOCS[1], 0.9986),
        (DOCS[0], 0.0381),
    ]
    # the model from the request, the usage from TEI's header
    assert result["meta"] == {"model": MODEL, "usage": {"total_tokens": 27}}
    # TEI was sent its own request: `texts`, no model, no top_n; asked for its texts, since
    # Jina clients want documents (their default)
    sent = [e.json() for e in stack.upstream.seen]
    assert sent == [{"query": QUERY, "texts": DOCS, "return_text": True}] * 2
    # the Jina client's answer is cut to top_n, documents filled from the request
    answered = json.loads(stack.proxy.seen[-1].answer)
    assert answered == {
        "model": MODEL,
        "usage": {"total_tokens": 27},
        "results": [
            {"index": 1, "relevance_score": 0.9986, "document": {"text": DOCS[1]}},
            {"index": 0, "relevance_score": 0.0381, "document": {"text": DOCS[0]}},
        ],
    }


def test_jina_clients_in_front_of_llama_cpp(stacks: dict[str, Stack]) -> None:
    stack = answering(stacks["llama_cpp"], "llama_cpp")

    assert rerank_nodes(jina_rerank(stack)) == [(DOCS[1], 2.75), (DOCS[0], -3.84)]
    result = jina_haystack(stack)

    assert [(d.content, d.score) for d in result["documents"]] == [
        (DOCS[1], 2.75),
        (DOCS[0], -3.84),
    ]
    assert result["meta"] == {
        "model": MODEL,
        "usage": {"total_tokens": 31, "prompt_tokens": 31},
    }
    sent = [e.json() for e in stack.upstream.seen]
    assert sent == [{"model": MODEL, "query": QUERY, "documents": DOCS, "top_n": 2}] * 2


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            422,
            b'{"error":"batch size 33 > maximum allowed batch size 32","error_type":"Validation"}',
            "batch size 33 > maximum allowed batch size 32",
        ),
        (429, b'{"error":"Model is overloaded","error_type":"Overloaded"}', "Model is overloaded"),
        (
            424,
            b'{"error":"Backend error: model is not a re-ranker model","error_type":"Backend"}',
            "Backend error: model is not a re-ranker model",
        ),
    ],
)
def test_tei_errors_reach_jina_clients(
    stacks: dict[str, Stack], status: int, body: bytes, message: str
) -> None:
    stack = stacks["tei"].answer(lambda _: (status, body))

    with pytest.raises(RuntimeError) as llama_error:
        rerank_nodes(jina_rerank(stack))
    with pytest.raises(RuntimeError) as haystack_error:
        jina_haystack(stack)

    # both raise RuntimeError(resp["detail"])
    assert str(llama_error.value) == str(haystack_error.value) == message
    # 424 is not Jina's: Jina's table maps an undeclared client error to 400
    assert [e.status for e in stack.proxy.seen] == [400 if status == 424 else status] * 2


# -- TEI clients in front of Jina and llama.cpp ---------------------------------------------------


def tei_postprocessor(stack: Stack) -> Any:
    tei = require_client("llama_index.postprocessor.tei_rerank")
    return tei.TextEmbeddingInference(base_url=f"{stack.url}/tei", top_n=2)


def rerankers_tei(stack: Stack) -> Any:
    rerankers = require_client("rerankers")
    return rerankers.Reranker(
        "BAAI/bge-reranker-base",
        model_type="APIRanker",
        api_provider="text-embeddings-inference",
        api_key="k",
        url=f"{stack.url}/tei/rerank",
        verbose=0,
    )


def test_rerankers_tei_client_in_front_of_jina(stacks: dict[str, Stack]) -> None:
    stack = answering(stacks["jina"], "jina")

    ranked = rerankers_tei(stack).rank(query=QUERY, docs=DOCS)

    assert [(r.document.text, r.score) for r in ranked.results] == [
        (DOCS[1], 0.91),
        (DOCS[0], 0.42),
        (DOCS[2], 0.05),
    ]
    [exchange] = stack.proxy.seen
    # rerankers 0.10.0 sends `model` and `top_n` (which TEI ignores) and `return_text`
    assert exchange.json() == {
        "model": "BAAI/bge-reranker-base",
        "query": QUERY,
        "texts": DOCS,
        "top_n": 3,
        "return_text": True,
    }
    assert json.loads(exchange.answer) == [
        {"index": 1, "text": DOCS[1], "score": 0.91},
        {"index": 0, "text": DOCS[0], "score": 0.42},
        {"index": 2, "text": DOCS[2], "score": 0.05},
    ]
    # the model routes; TEI's ignored top_n is not passed on
    assert stack.sent() == {
        "model": "BAAI/bge-reranker-base",
        "query": QUERY,
        "documents": DOCS,
        "return_documents": True,
    }


def test_llama_index_tei_client_in_front_of_llama_cpp(stacks: dict[str, Stack]) -> None:
    stack = answering(stacks["llama_cpp"], "llama_cpp")

    got = rerank_nodes(tei_postprocessor(stack))

    # the client asserts every text came back, then cuts to its top_n itself
    assert got == [(DOCS[1], 2.75), (DOCS[0], -3.84)]
    [exchange] = stack.proxy.seen
    assert exchange.json() == {"query": QUERY, "texts": DOCS}
    assert json.loads(exchange.answer) == [
        {"index": 1, "score": 2.75},
        {"index": 0, "score": -3.84},
        {"index": 2, "score": -10.5},
    ]
    assert stack.sent() == {"query": QUERY, "documents": DOCS}


def test_a_tei_request_without_a_model_is_refused_for_jina(stacks: dict[str, Stack]) -> None:
    """llama-index's TEI client names no model; Jina requires one: a ranking loss, refused
    with 400 in TEI's error shape (the proxy's default `on_loss="raise_ranking"`). The client
    reads the error body as its list of scores and fails its own assertion."""
    stack = answering(stacks["jina"], "jina")

    with pytest.raises(AssertionError):
        rerank_nodes(tei_postprocessor(stack))

    [exchange] = stack.proxy.seen
    assert exchange.status == 400
    error = json.loads(exchange.answer)
    assert error == {
        "error": "the upstream (jina) cannot take this request as it is"
        " ($.model: jina requires `model`; the request has none)",
        "error_type": "Validation",
    }
    assert stack.upstream.seen == []


def test_jina_errors_reach_tei_clients(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(
        lambda _: (429, b'{"detail": "Rate limit reached", "code": "RATE_REQUEST_LIMIT_EXCEEDED"}')
    )

    # rerankers iterates the body as ranks: the keys of an error object are strings
    with pytest.raises(TypeError, match="string indices must be integers"):
        rerankers_tei(stack).rank(query=QUERY, docs=DOCS)

    [exchange] = stack.proxy.seen
    assert exchange.status == 429
    # Jina's code is no TEI error type: a 429 is TEI's `Overloaded`
    assert json.loads(exchange.answer) == {
        "error": "Rate limit reached",
        "error_type": "Overloaded",
    }


# -- a Jina client at the proxy's llama.cpp path, in front of TEI --------------------------------


def test_a_llama_cpp_client_in_front_of_tei(stacks: dict[str, Stack]) -> None:
    stack = answering(stacks["tei"], "tei")

    got = rerank_nodes(jina_rerank(stack, path="/llama-cpp/v1"))

    assert got == [(DOCS[1], 0.9986), (DOCS[0], 0.0381)]
    [exchange] = stack.proxy.seen
    assert exchange.path == "/llama-cpp/v1/rerank"
    # the client's request says nothing of documents (Jina's default: true), so TEI is
    # asked for its texts, which llama.cpp's shape then leaves out
    assert stack.sent() == {"query": QUERY, "texts": DOCS, "return_text": True}
    assert json.loads(exchange.answer) == {
        "model": MODEL,
        "object": "list",
        "usage": {"total_tokens": 27, "prompt_tokens": 27},
        "results": [
            {"index": 1, "relevance_score": 0.9986},
            {"index": 0, "relevance_score": 0.0381},
        ],
    }
