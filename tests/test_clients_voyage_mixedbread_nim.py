"""The official clients of Voyage AI, Mixedbread and NVIDIA NIM, unmodified, against the proxy
on 127.0.0.1: each as the client of a Jina upstream, and each format as the upstream behind a
Jina client (llama-index's `JinaRerank`).

- `voyageai` SDK: `voyageai.Client(base_url=...)` (client.py; the base URL ends in `/v1`, the
  SDK appends `/rerank`); it sends `top_k` (null when unset) and `truncation: true` always,
  never `return_documents`, and takes each document from its own request by index
  (object/reranking.py).
- `mixedbread` SDK: `Mixedbread(base_url=...)` posts to `{base_url}/v1/reranking` and sends
  only the arguments given.
- `langchain-nvidia-ai-endpoints`: `NVIDIARerank(base_url=.../v1)` posts to
  `{base_url}/ranking` and cuts the rankings to its own `top_n`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from clients import (
    DOCS,
    QUERY,
    RANKED,
    STATUSES,
    Stack,
    assert_lossless,
    error_reply,
    loopback_only,
    message,
    recorded_answer,
    require_client,
)
from helpers import RECORDED, load_json
from servers import Recorder, Reply, fake_upstream, proxy_app, serve

voyageai = require_client("voyageai")
voyage_error = require_client("voyageai.error")
mixedbread = require_client("mixedbread")
nvidia = require_client("langchain_nvidia_ai_endpoints")
langchain_documents = require_client("langchain_core.documents")
llama_jina = require_client("llama_index.postprocessor.jinaai_rerank")
llama_schema = require_client("llama_index.core.schema")

UPSTREAMS = ("jina", "voyage", "mixedbread", "nim")

JINA_DOCS, JINA_QUERY = DOCS["jina"], QUERY["jina"]
TOP_2 = [(i, JINA_DOCS[i], s) for i, s in RANKED["jina"][:2]]
"""The best two of the Jina upstream's recorded answer: (index, document, score)."""
JINA_MESSAGES = {status: message("jina", status, "voyage") for status in (401, 422, 429, 500)}


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """A proxy in front of a fake upstream for each format here (and Jina)."""
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for upstream in UPSTREAMS:
            fake = fake_upstream(upstream)
            upstream_url = servers.enter_context(serve(fake.recorder))
            proxy = Recorder(proxy_app(upstream_url, upstream))
            built[upstream] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


def answered(stack: Stack) -> Any:
    """The one body the proxy answered its client with, as JSON."""
    [exchange] = [e for e in stack.proxy.seen if e.method == "POST"]
    return json.loads(exchange.answer)


def jina_upstream_got(stack: Stack, model: str, **fields: Any) -> None:
    assert stack.sent() == {
        "model": model,
        "query": JINA_QUERY,
        "documents": JINA_DOCS,
        **fields,
    }


# -- the voyageai SDK ---------------------------------------------------------------------------


def voyage_client(stack: Stack) -> Any:
    return voyageai.Client(api_key="test-key", base_url=f"{stack.url}/voyage-ai/v1", max_retries=0)


def test_voyage_sdk_with_a_jina_upstream(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    result = voyage_client(stack).rerank(JINA_QUERY, JINA_DOCS, model="rerank-2.5", top_k=2)

    assert [(r.index, r.document, r.relevance_score) for r in result.results] == TOP_2
    assert result.total_tokens == 815
    [posted] = stack.posted()
    assert json.loads(posted) == {
        "query": JINA_QUERY,
        "documents": JINA_DOCS,
        "model": "rerank-2.5",
        "top_k": 2,
        "truncation": True,
    }
    assert_lossless(posted, "voyage")
    # Voyage's default is no documents back: the Jina upstream is told so
    jina_upstream_got(stack, "rerank-2.5", top_n=2, return_documents=False, truncation=True)
    assert answered(stack) == {
        "data": [{"index": i, "relevance_score": s} for i, _, s in TOP_2],
        "model": "jina-reranker-v2-base-multilingual",
        "usage": {"total_tokens": 815},
    }


def test_voyage_sdk_sends_a_null_top_k_for_all(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    result = voyage_client(stack).rerank(JINA_QUERY, JINA_DOCS, model="rerank-2.5")

    assert [(r.index, r.relevance_score) for r in result.results] == RANKED["jina"]
    assert json.loads(stack.posted()[0])["top_k"] is None
    jina_upstream_got(stack, "rerank-2.5", top_n=None, return_documents=False, truncation=True)


@pytest.mark.parametrize("usage", ["null", "omit", "zero"])
def test_voyage_sdk_needs_a_usage_when_the_upstream_reports_none(usage: str) -> None:
    """A Cohere upstream bills search units, not tokens: the usage is unknown. The SDK reads
    `response.usage.total_tokens` (object/reranking.py), so only `usage="zero"` suits it."""
    with ExitStack() as servers:
        fake = fake_upstream("cohere_v2")
        upstream_url = servers.enter_context(serve(fake.recorder))
        proxy = Recorder(proxy_app(upstream_url, "cohere_v2", usage=usage))
        stack = Stack(fake, proxy, servers.enter_context(serve(proxy))).answer(
            recorded_answer("cohere_v2")
        )
        client = voyage_client(stack)
        docs, query = DOCS["cohere_v2"], QUERY["cohere_v2"]
        if usage == "zero":
            result = client.rerank(query, docs, model="rerank-v3.5", top_k=2)
            assert [(r.index, r.relevance_score) for r in result.results] == RANKED["cohere_v2"][:2]
            assert result.total_tokens == 0
        else:
            with pytest.raises(AttributeError) as info:
                client.rerank(query, docs, model="rerank-v3.5", top_k=2)
            assert (
                str(info.value)
                == {
                    "null": "'NoneType' object has no attribute 'total_tokens'",
                    "omit": "usage",  # VoyageResponse.__getattr__
                }[usage]
            )
        answer = answered(stack)
        assert ("usage" in answer, answer.get("usage")) == {
            "null": (True, None),
            "omit": (False, None),
            "zero": (True, {"total_tokens": 0}),
        }[usage]


# voyageai/api_resources/api_requestor.py: an exception per status, the body's `detail` as its
# message; a 500 has a fixed message and keeps the body
VOYAGE_ERRORS = {
    401: voyage_error.AuthenticationError,
    422: voyage_error.MalformedRequestError,
    429: voyage_error.RateLimitError,
    500: voyage_error.ServerError,
}


@pytest.mark.parametrize("status", STATUSES)
def test_voyage_sdk_raises_its_own_error(stacks: dict[str, Stack], status: int) -> None:
    stack = stacks["jina"].answer(error_reply("jina", status))

    with pytest.raises(VOYAGE_ERRORS[status]) as info:
        voyage_client(stack).rerank(JINA_QUERY, JINA_DOCS, model="rerank-2.5", top_k=2)

    assert type(info.value) is VOYAGE_ERRORS[status]
    assert info.value.http_status == status
    assert json.loads(info.value.http_body) == {"detail": JINA_MESSAGES[status]}
    if status == 500:
        assert str(info.value) == "The server failed to process the request."
    else:
        assert str(info.value) == JINA_MESSAGES[status]


# -- the mixedbread SDK -------------------------------------------------------------------------


def mixedbread_client(stack: Stack) -> Any:
    return mixedbread.Mixedbread(
        api_key="test-key", base_url=f"{stack.url}/mixedbread", max_retries=0
    )


def test_mixedbread_sdk_with_a_jina_upstream(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    with mixedbread_client(stack) as client:
        response = client.rerank(
            model="mixedbread-ai/mxbai-rerank-large-v2",
            query=JINA_QUERY,
            input=JINA_DOCS,
            top_k=2,
            return_input=True,
        )

    # the echoed input is the raw item sent (a string), not the Jina upstream's {text}
    assert [(d.index, d.input, d.score, d.object) for d in response.data] == [
        (i, text, s, "rank_result") for i, text, s in TOP_2
    ]
    assert (response.top_k, response.return_input) == (2, True)
    assert response.model == "jina-reranker-v2-base-multilingual"
    assert response.usage.total_tokens == 815
    [posted] = stack.posted()
    assert json.loads(posted) == {
        "model": "mixedbread-ai/mxbai-rerank-large-v2",
        "query": JINA_QUERY,
        "input": JINA_DOCS,
        "top_k": 2,
        "return_input": True,
    }
    assert_lossless(posted, "mixedbread")
    jina_upstream_got(stack, "mixedbread-ai/mxbai-rerank-large-v2", top_n=2, return_documents=True)


def test_mixedbread_sdk_default_is_every_result_without_input(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    with mixedbread_client(stack) as client:
        response = client.rerank(model="m", query=JINA_QUERY, input=JINA_DOCS)

    assert [(d.index, d.score, d.input) for d in response.data] == [
        (i, s, None) for i, s in RANKED["jina"]
    ]
    # the request said neither: the answer echoes the documented defaults
    assert (response.top_k, response.return_input) == (-1, False)
    assert json.loads(stack.posted()[0]) == {"model": "m", "query": JINA_QUERY, "input": JINA_DOCS}
    jina_upstream_got(stack, "m", return_documents=False)


def test_mixedbread_sdk_without_a_model_is_refused_for_jina(stacks: dict[str, Stack]) -> None:
    """Mixedbread has a default model; Jina requires one: a ranking loss, refused as a 400."""
    stack = stacks["jina"].answer(recorded_answer("jina"))

    with mixedbread_client(stack) as client, pytest.raises(mixedbread.BadRequestError) as info:
        client.rerank(query=JINA_QUERY, input=JINA_DOCS)

    assert info.value.body == {
        "detail": "the upstream (jina) cannot take this request as it is"
        " ($.model: jina requires `model`; the request has none)"
    }
    assert stack.upstream.seen == []


MIXEDBREAD_ERRORS = {
    401: mixedbread.AuthenticationError,
    422: mixedbread.UnprocessableEntityError,
    429: mixedbread.RateLimitError,
    500: mixedbread.InternalServerError,
}


@pytest.mark.parametrize("status", STATUSES)
def test_mixedbread_sdk_raises_its_own_error(stacks: dict[str, Stack], status: int) -> None:
    stack = stacks["jina"].answer(error_reply("jina", status))

    with mixedbread_client(stack) as client, pytest.raises(MIXEDBREAD_ERRORS[status]) as info:
        client.rerank(model="m", query=JINA_QUERY, input=JINA_DOCS, top_k=2)

    # mixedbread/_base_client.py: the whole JSON body goes into the message
    body = {"detail": JINA_MESSAGES[status]}
    assert (info.value.status_code, info.value.body) == (status, body)
    assert str(info.value) == f"Error code: {status} - {body}"


# -- langchain-nvidia-ai-endpoints' NVIDIARerank -------------------------------------------------

NIM_MODEL = "nvidia/llama-nemotron-rerank-1b-v2"


def nim_rerank(stack: Stack, top_n: int = 2) -> list[tuple[str, float]]:
    ranker = nvidia.NVIDIARerank(
        base_url=f"{stack.url}/nvidia-nim/v1",
        model=NIM_MODEL,
        api_key="test-key",
        top_n=top_n,
        usage_telemetry_enabled=False,
    )
    documents = [langchain_documents.Document(page_content=text) for text in JINA_DOCS]
    ranked = ranker.compress_documents(documents=documents, query=JINA_QUERY)
    return [(d.page_content, d.metadata["relevance_score"]) for d in ranked]


def test_nvidia_rerank_with_a_jina_upstream(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    assert nim_rerank(stack) == [(text, s) for _, text, s in TOP_2]
    [posted] = stack.posted()
    assert json.loads(posted) == {
        "model": NIM_MODEL,
        "query": {"text": JINA_QUERY},
        "passages": [{"text": text} for text in JINA_DOCS],
    }
    assert_lossless(posted, "nim")
    # NIM has no top_n (the client cuts) and never echoes documents
    jina_upstream_got(stack, NIM_MODEL, return_documents=False)
    assert answered(stack) == {
        "rankings": [{"index": i, "logit": s} for i, s in RANKED["jina"]],
        "usage": {"total_tokens": 815},
    }


@pytest.mark.parametrize("status", STATUSES)
def test_nvidia_rerank_raises_its_own_error(stacks: dict[str, Stack], status: int) -> None:
    stack = stacks["jina"].answer(error_reply("jina", status))

    with pytest.raises(Exception) as info:
        nim_rerank(stack)

    # _common.py `_try_raise`: a plain Exception, `[status] message`, then the body (its
    # `detail`, else the whole body with the status added); a 401 adds advice
    message = JINA_MESSAGES[status]
    code = {401: "AUTH_INVALID_API_KEY", 429: "RATE_REQUEST_LIMIT_EXCEEDED"}.get(status)
    body = {"object": "error", "message": message, **({"type": code} if code else {})}
    assert answered(stack) == body  # Jina's `code` is NIM's `type`
    body["status"] = status
    advice = "\nPlease check or regenerate your API key." if status == 401 else ""
    assert type(info.value) is Exception
    assert str(info.value) == f"[{status}] {message}\n{body}{advice}"


# -- each format as the upstream of a Jina client (llama-index's JinaRerank) -----------------------


def recorded(name: str) -> Any:
    return load_json(RECORDED / name)


VOYAGE_REQUEST = recorded("voyage/rerank-request-openapi-sample.json")
NIM_REQUEST = recorded("nim/ranking-request-docs.json")
MIXEDBREAD_DOCS = ["candidate1", "candidate2", "candidate3", "candidate4"]

QUESTIONS = {
    "voyage": (VOYAGE_REQUEST["query"], VOYAGE_REQUEST["documents"]),
    "mixedbread": ("Who wrote it?", MIXEDBREAD_DOCS),
    "nim": (NIM_REQUEST["query"]["text"], [p["text"] for p in NIM_REQUEST["passages"]]),
}
"""The query and documents a Jina client sends each upstream: its recorded request's."""

BEST_TWO = {
    "voyage": [(0, 0.4375), (1, 0.421875)],
    "mixedbread": [(0, 0.98291015625), (2, 0.61962890625)],
    "nim": [(0, -1.2421875), (3, -3.029296875)],  # raw logits, passed on as they are
}
"""(index, score) of the best two in each upstream's recorded answer."""


def voyage_reply(body: bytes) -> tuple[int, bytes]:
    sent, answer = json.loads(body), recorded("voyage/rerank-response-openapi-example.json")
    if sent.get("return_documents"):
        for result in answer["data"]:
            result["document"] = sent["documents"][result["index"]]
    return 200, json.dumps(answer).encode()


def mixedbread_reply(body: bytes) -> tuple[int, bytes]:
    sent, answer = json.loads(body), recorded("mixedbread/rerank-response-elastic-test-mock.json")
    answer["top_k"], answer["return_input"] = sent.get("top_k", -1), sent.get("return_input")
    if sent.get("return_input"):
        for result in answer["data"]:
            result["input"] = sent["input"][result["index"]]
    return 200, json.dumps(answer).encode()


def nim_reply(body: bytes) -> tuple[int, bytes]:
    return 200, (RECORDED / "nim/ranking-response-with-usage-docs.json").read_bytes()


REPLIES: dict[str, Reply] = {
    "voyage": voyage_reply,
    "mixedbread": mixedbread_reply,
    "nim": nim_reply,
}

SENT = {
    "voyage": lambda q, d: {"model": JINA_MODEL, "query": q, "documents": d, "top_k": 2,
                            "return_documents": True},
    "mixedbread": lambda q, d: {"model": JINA_MODEL, "query": q, "input": d, "top_k": 2,
                                "return_input": True},
    "nim": lambda q, d: {"model": JINA_MODEL, "query": {"text": q},
                         "passages": [{"text": t} for t in d]},
}  # fmt: skip
"""What each upstream receives for the Jina client's request (top_n 2, documents wanted:
Jina's default). NIM has no top_n: the proxy cuts its rankings."""

JINA_MODEL = "jina-reranker-v2-base-multilingual"


def llama_jina_rerank(stack: Stack, upstream: str) -> list[tuple[str, float | None]]:
    postprocessor = llama_jina.JinaRerank(
        model=JINA_MODEL, api_key="test-key", base_url=f"{stack.url}/jina/v1", top_n=2
    )
    query, documents = QUESTIONS[upstream]
    nodes = [llama_schema.NodeWithScore(node=llama_schema.TextNode(text=t)) for t in documents]
    ranked = postprocessor.postprocess_nodes(nodes, query_str=query)
    return [(n.node.get_content(), n.score) for n in ranked]


# NIM has no top_n: the proxy's default policy (`raise_ranking`) warns of that reporting loss in
# its server thread, and the answer's context cuts the rankings (asserted below)
NIM_TOP_N = pytest.mark.filterwarnings(r"ignore:\$\.top_n:rerank_formats.LossWarning")


@NIM_TOP_N
@pytest.mark.parametrize("upstream", ["voyage", "mixedbread", "nim"])
def test_a_jina_client_with_this_upstream(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(REPLIES[upstream])

    got = llama_jina_rerank(stack, upstream)

    query, documents = QUESTIONS[upstream]
    assert got == [(documents[i], s) for i, s in BEST_TWO[upstream]]
    assert stack.sent() == SENT[upstream](query, documents)
    # Jina's answer: the best two with their documents, as the upstream echoed them (a bare
    # string, as Jina since late 2025) or, from NIM, which echoes none, filled in as {text}
    answer = answered(stack)
    assert answer["results"] == [
        {
            "index": i,
            "relevance_score": s,
            "document": {"text": documents[i]} if upstream == "nim" else documents[i],
        }
        for i, s in BEST_TWO[upstream]
    ]


UPSTREAM_ERRORS: dict[str, Callable[[str], dict[str, Any]]] = {
    "voyage": lambda message: {"detail": message},
    "mixedbread": lambda message: {"detail": message},
    "nim": lambda message: {"object": "error", "message": message},
}


@NIM_TOP_N
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("upstream", ["voyage", "mixedbread", "nim"])
def test_a_jina_client_gets_this_upstreams_error(
    stacks: dict[str, Stack], upstream: str, status: int
) -> None:
    body = json.dumps(UPSTREAM_ERRORS[upstream](f"{upstream} says {status}")).encode()
    stack = stacks[upstream].answer(lambda _: (status, body))

    with pytest.raises(RuntimeError) as info:
        llama_jina_rerank(stack, upstream)

    # llama-index's JinaRerank raises the Jina body's `detail`
    assert str(info.value) == f"{upstream} says {status}"
    [exchange] = stack.proxy.seen
    assert (exchange.status, json.loads(exchange.answer)) == (
        status,
        {"detail": f"{upstream} says {status}"},
    )
