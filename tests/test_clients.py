"""Official client SDKs against the proxy (`rerank_formats.proxy`), over real HTTP on
127.0.0.1, with fake upstreams that answer with recorded payloads.

Every request a client sends is captured on the proxy's client side and must read in its
format and write back to the same JSON with no loss.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import time
import types
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from typing import Any

import cohere
import pytest
from case_table import column
from cohere.core.api_error import ApiError
from cohere.errors import (
    BadRequestError,
    InternalServerError,
    TooManyRequestsError,
    UnauthorizedError,
)
from cohere.types import RerankResponse as CohereV1Response
from cohere.v2.types import V2RerankResponse
from helpers import RECORDED, load_json
from servers import FakeUpstream, Recorder, Reply, serve
from xinference_client import RESTfulClient  # type: ignore[import-untyped]
from xinference_client.client.restful.restful_client import (  # type: ignore[import-untyped]
    RESTfulRerankModelHandle,
)

import rerank_formats as rf
from rerank_formats.proxy import NATIVE_PATHS, ProxyConfig, create_app

NO_RETRIES: Any = {"max_retries": 0}  # the Cohere SDK retries 429 and 5xx by default

# A recorded request and the answer recorded for it, per upstream format.
PAIRS = {
    "jina": (
        "jina/metaprompt-playground-v2-request.json",
        "jina/metaprompt-playground-v2-response.json",
    ),
    "xinference": ("xinference/ragflow-1527-request.json", "xinference/ragflow-1527-response.json"),
    "cohere_v2": (
        "cohere_v2/openapi-x-fern-example-request.json",
        "cohere_v2/openapi-x-fern-example-response.json",
    ),
}


def recorded_request(upstream: str) -> Any:
    return load_json(RECORDED / PAIRS[upstream][0])


def recorded_answer(upstream: str) -> Reply:
    """The recorded response, adjusted to the request the upstream received: only indices
    within its documents, document texts from it, and documents only when it asked. `top_n`
    is not applied: the proxy must cut the results itself."""
    recorded = load_json(RECORDED / PAIRS[upstream][1])

    def reply(body: bytes) -> tuple[int, bytes]:
        sent = json.loads(body)
        documents = sent["documents"]
        wanted = sent.get("return_documents", upstream == "jina")  # Jina's default is true
        answer = copy.deepcopy(recorded)
        answer["results"] = [r for r in answer["results"] if r["index"] < len(documents)]
        for result in answer["results"]:
            if "document" not in result:
                continue
            text = documents[result["index"]]
            if wanted:
                result["document"] = (
                    {"text": text} if isinstance(result["document"], dict) else text
                )
            elif upstream == "xinference":
                result["document"] = None  # Xinference always sends the key
            else:
                del result["document"]
        return 200, json.dumps(answer).encode()

    return reply


def recorded_error(name: str) -> Reply:
    """A recorded error body, answered with its recorded status."""
    status = load_json(RECORDED / "manifest.json")[name]["status"]
    body = (RECORDED / name).read_bytes()
    return lambda _: (status, body)


def case_error(name: str, fmt: str) -> Reply:
    """An error body of the case table (a format's column, fixtures/cases/formats), for statuses
    never recorded."""
    entry = column(fmt)[f"error/{name}"]
    return lambda _: (entry["status"], json.dumps(entry["body"]).encode())


@dataclass
class Stack:
    """A proxy (recording what its clients send) in front of a fake upstream."""

    upstream: FakeUpstream
    proxy: Recorder
    url: str

    def answer(self, reply: Reply, headers: dict[str, str] | None = None) -> Stack:
        self.upstream.reply = reply
        self.upstream.headers = headers or {}
        self.upstream.seen.clear()
        self.proxy.seen.clear()
        return self


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """One proxy per upstream format, each with its fake upstream; stopped after the module.

    These proxies pass the upstream's error text on (`pass_upstream_errors`), so that the
    recorded error bodies reach the clients; `safe_stack` is a proxy as deployed by default.
    """
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for upstream in PAIRS:
            fake = FakeUpstream(NATIVE_PATHS[upstream])
            upstream_url = servers.enter_context(serve(fake.recorder))
            config = ProxyConfig(
                upstream_url=upstream_url, upstream_format=upstream, pass_upstream_errors=True
            )
            proxy = Recorder(create_app(config))
            built[upstream] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection leaves 127.0.0.1 while a test runs."""
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] != "127.0.0.1":
            raise ConnectionRefusedError(f"test tried to reach {address[0]}")
        connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def assert_lossless(body: bytes, fmt: str) -> None:
    """A captured client request reads in `fmt` and writes back to the same JSON, losing nothing."""
    request = rf.decode_request(body, format=fmt)
    assert json.loads(rf.encode_request(request, format=fmt, on_loss="raise")) == json.loads(body)
    problems = rf.validate(body, format=fmt, kind="request")
    assert [p for p in problems if p.severity == "error"] == []


def posted(stack: Stack) -> list[bytes]:
    return [e.body for e in stack.proxy.seen if e.method == "POST"]


# -- Cohere's official SDK, v2 and v1, against Jina and Xinference upstreams ------------------

DOCS = {up: recorded_request(up)["documents"] for up in PAIRS}
QUERY = {up: recorded_request(up)["query"] for up in PAIRS}

# The recorded scores, best first (Jina's two 0.878 are a tie: their order is kept).
RANKED = {
    "jina": [(0, 0.8783142566680908), (6, 0.8783142566680908), (4, 0.8633915781974792)],
    "xinference": [(0, 0.999574601650238), (1, 0.07814773917198181), (3, 0.000017700713215162978)],
}
TOKENS = {"jina": 815, "xinference": 38}


@pytest.mark.parametrize("upstream", ["jina", "xinference"])
def test_cohere_v2_sdk(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    with cohere.ClientV2(api_key="test-key", base_url=f"{stack.url}/cohere") as client:
        response = client.rerank(
            model="rerank-v3.5", query=QUERY[upstream], documents=DOCS[upstream], top_n=2
        )

    assert isinstance(response, V2RerankResponse)
    assert [(r.index, r.relevance_score) for r in response.results] == RANKED[upstream][:2]
    assert response.meta is not None and response.meta.tokens is not None
    assert response.meta.tokens.input_tokens == TOKENS[upstream]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    V2RerankResponse.model_validate_json(exchange.answer)  # the SDK's model, validating
    assert json.loads(exchange.answer) == {
        "results": [{"index": i, "relevance_score": s} for i, s in RANKED[upstream][:2]],
        "meta": {"tokens": {"input_tokens": TOKENS[upstream]}},
    }
    assert_lossless(exchange.body, "cohere_v2")
    [sent] = stack.upstream.seen
    assert sent.json() == {
        "model": "rerank-v3.5",
        "query": QUERY[upstream],
        "documents": DOCS[upstream],
        "top_n": 2,
        "return_documents": False,
        # Xinference counts tokens only when asked; a foreign client's request asks (#9)
        **({"return_len": True} if upstream == "xinference" else {}),
    }


@pytest.mark.parametrize("upstream", ["jina", "xinference"])
@pytest.mark.parametrize("return_documents", [True, False])
def test_cohere_v1_sdk(stacks: dict[str, Stack], upstream: str, return_documents: bool) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))
    documents = DOCS[upstream]

    with cohere.Client(api_key="test-key", base_url=f"{stack.url}/cohere") as client:
        response = client.rerank(
            model="rerank-english-v3.0",
            query=QUERY[upstream],
            documents=documents,
            top_n=3,
            return_documents=return_documents,
        )

    assert isinstance(response, CohereV1Response)
    got = [
        (r.index, r.relevance_score, r.document.text if r.document else None)
        for r in response.results
    ]
    assert got == [(i, s, documents[i] if return_documents else None) for i, s in RANKED[upstream]]
    [exchange] = stack.proxy.seen
    CohereV1Response.model_validate_json(exchange.answer)
    assert_lossless(exchange.body, "cohere_v1")
    [sent] = stack.upstream.seen
    assert sent.json()["return_documents"] is return_documents


ERRORS: list[tuple[str, Callable[[], Reply], int, type[Exception], dict[str, str]]] = [
    (
        "jina",
        lambda: recorded_error("jina/openapi-2026-errorresponse-field-examples.json"),
        401,
        UnauthorizedError,
        {
            "message": "Invalid API key. Verify your API key at https://jina.ai/api-dashboard/key-manager or generate a new one.",
            "id": "03f58cd9da22fabf",
        },
    ),
    (
        "jina",
        lambda: case_error("rate-limited", "jina"),
        429,
        TooManyRequestsError,
        {"message": "Rate limit reached"},
    ),
    (
        "jina",  # LiteLLM's proxy answering in Jina's place: its envelope is read too
        lambda: recorded_error("openai/error-litellm-proxy-29156.json"),
        500,
        InternalServerError,
        {"message": "'list' object has no attribute 'get'"},
    ),
    (
        "xinference",
        lambda: case_error("rate-limited", "xinference"),
        429,
        TooManyRequestsError,
        {"message": "Rate limit reached"},
    ),
    (
        "xinference",  # the engine's `[address=..., pid=...]` prefix is not passed on
        lambda: recorded_error("xinference/error-inference-4679.json"),
        500,
        InternalServerError,
        {"message": "'results'"},
    ),
]


@pytest.mark.parametrize(
    ("upstream", "reply", "status", "exception", "body"),
    ERRORS,
    ids=[f"{e[0]}-{e[2]}" for e in ERRORS],
)
def test_cohere_sdk_errors(
    stacks: dict[str, Stack],
    upstream: str,
    reply: Callable[[], Reply],
    status: int,
    exception: type[ApiError],
    body: dict[str, str],
) -> None:
    stack = stacks[upstream].answer(reply())
    base_url = f"{stack.url}/cohere"

    with (
        cohere.ClientV2(api_key="k", base_url=base_url) as v2,
        pytest.raises(exception) as v2_error,
    ):
        v2.rerank(model="m", query="q", documents=["a", "b"], request_options=NO_RETRIES)
    with cohere.Client(api_key="k", base_url=base_url) as v1, pytest.raises(exception) as v1_error:
        v1.rerank(model="m", query="q", documents=["a", "b"], request_options=NO_RETRIES)

    for error in (v2_error.value, v1_error.value):
        assert type(error) is exception
        assert (error.status_code, error.body) == (status, body)
    assert [e.status for e in stack.proxy.seen] == [status, status]


def test_cohere_v1_request_the_upstream_cannot_take(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    with (
        cohere.Client(api_key="test-key", base_url=f"{stack.url}/cohere") as client,
        pytest.raises(BadRequestError) as error,
    ):
        client.rerank(query="q", documents=["a", "b"])  # v1's `model` is optional

    assert (error.value.status_code, error.value.body) == (
        400,
        {
            "message": "the upstream (jina) cannot take this request as it is"
            " ($.model: jina requires `model`; the request has none)"
        },
    )
    assert stack.upstream.seen == []
    assert_lossless(posted(stack)[0], "cohere_v1")


# -- A proxy as deployed by default, serving Cohere v2 at the root ----------------------------

UPSTREAM_KEY = "jina_SECRET0123456789upstreamkey"


@pytest.fixture(scope="module")
def root_stack() -> Iterator[Stack]:
    """A proxy with the default settings in front of a Jina upstream, serving Cohere v2 at
    the root (`client_format`), so an SDK's base URL is the proxy's own."""
    with ExitStack() as servers:
        fake = FakeUpstream(NATIVE_PATHS["jina"])
        config = ProxyConfig(
            upstream_url=servers.enter_context(serve(fake.recorder)),
            upstream_format="jina",
            upstream_api_key=UPSTREAM_KEY,
            client_format="cohere_v2",
        )
        proxy = Recorder(create_app(config))
        yield Stack(fake, proxy, servers.enter_context(serve(proxy)))


def test_cohere_v2_sdk_at_the_root(root_stack: Stack) -> None:
    stack = root_stack.answer(recorded_answer("jina"))

    with cohere.ClientV2(api_key="test-key", base_url=stack.url) as client:
        response = client.rerank(model="m", query=QUERY["jina"], documents=DOCS["jina"], top_n=2)

    assert [(r.index, r.relevance_score) for r in response.results] == RANKED["jina"][:2]
    assert [(e.method, e.path, e.status) for e in stack.proxy.seen] == [("POST", "/v2/rerank", 200)]


def test_cohere_sdk_waits_as_the_upstream_says(
    root_stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK retries a 429 after the upstream's Retry-After (cohere/core/http_client.py,
    `_retry_timeout`, 7.3.1); without it, after 0.5 s with jitter."""
    answers = iter([lambda _: (429, b'{"detail": "Rate limit reached"}'), recorded_answer("jina")])
    stack = root_stack.answer(lambda body: next(answers)(body), headers={"retry-after": "7"})
    slept: list[float] = []
    clock = types.SimpleNamespace(sleep=slept.append, time=time.time)
    monkeypatch.setattr(cohere.core.http_client, "time", clock)

    with cohere.ClientV2(api_key="test-key", base_url=stack.url) as client:
        response = client.rerank(
            model="m",
            query=QUERY["jina"],
            documents=DOCS["jina"],
            request_options={"max_retries": 1},
        )

    assert slept == [7.0]
    assert [r.index for r in response.results] == [i for i, _ in RANKED["jina"]]
    assert [e.status for e in stack.proxy.seen] == [429, 200]


def test_upstream_error_text_never_reaches_the_sdk_by_default(root_stack: Stack) -> None:
    echo = json.dumps({"detail": f"Invalid API key {UPSTREAM_KEY}", "code": 401}).encode()
    stack = root_stack.answer(lambda _: (401, echo))

    with (
        cohere.ClientV2(api_key="k", base_url=stack.url) as client,
        pytest.raises(UnauthorizedError) as error,
    ):
        client.rerank(model="m", query="q", documents=["a"], request_options=NO_RETRIES)

    assert error.value.body == {"message": "the upstream answered 401 Unauthorized"}
    assert UPSTREAM_KEY.encode() not in stack.proxy.seen[0].answer


# -- Xinference's official client against a Cohere v2 upstream --------------------------------


@contextmanager
def xinference_model(stack: Stack) -> Iterator[RESTfulRerankModelHandle]:
    """The handle of model `rerank-v4.0-pro`, looked up through the proxy as the client does."""
    with closing(RESTfulClient(f"{stack.url}/xinference")) as client:
        model = client.get_model("rerank-v4.0-pro")
        assert isinstance(model, RESTfulRerankModelHandle)
        with closing(model):
            yield model


@pytest.mark.parametrize("return_documents", [True, None])
def test_xinference_client(stacks: dict[str, Stack], return_documents: bool | None) -> None:
    stack = stacks["cohere_v2"].answer(recorded_answer("cohere_v2"))
    documents, query = DOCS["cohere_v2"], QUERY["cohere_v2"]

    with xinference_model(stack) as model:
        answer = model.rerank(documents, query, top_n=2, return_documents=return_documents)

    scores = [(3, 0.999071), (4, 0.7867867)]
    assert answer == {
        "results": [
            {
                "index": i,
                "relevance_score": s,
                "document": {"text": documents[i]} if return_documents else None,
            }
            for i, s in scores
        ],
        "meta": {"api_version": None, "billed_units": None, "tokens": None, "warnings": None},
    }
    # The client checks the cluster's auth (a 404 means none) and the model's type first.
    assert [(e.method, e.path, e.status) for e in stack.proxy.seen] == [
        ("GET", "/xinference/v1/cluster/auth", 404),
        ("GET", "/xinference/v1/models/rerank-v4.0-pro", 200),
        ("POST", "/xinference/v1/rerank", 200),
    ]
    assert_lossless(posted(stack)[0], "xinference")
    [sent] = stack.upstream.seen
    assert sent.json() == {
        "model": "rerank-v4.0-pro",
        "query": query,
        "documents": documents,
        "top_n": 2,
    }


def test_xinference_client_return_len_is_no_reason_to_refuse(stacks: dict[str, Stack]) -> None:
    # Cohere reports no tokens: a reporting loss, which the proxy's "raise_ranking" lets
    # through with a warning; it refused the whole rerank before (#9).
    stack = stacks["cohere_v2"].answer(recorded_answer("cohere_v2"))

    with pytest.warns(rf.LossWarning) as warned, xinference_model(stack) as model:
        answer = model.rerank(DOCS["cohere_v2"], QUERY["cohere_v2"], top_n=2, return_len=True)

    assert [(r["index"], r["relevance_score"]) for r in answer["results"]] == [
        (3, 0.999071),
        (4, 0.7867867),
    ]
    assert answer["meta"]["tokens"] is None
    assert [str(w.message) for w in warned] == [
        "$.return_len: cohere_v2 reports no token usage to answer `return_len` with (cohere_v2)"
    ]
    [sent] = stack.upstream.seen
    assert "return_len" not in sent.json()


@pytest.mark.parametrize(
    ("reply", "status", "detail"),
    [
        (
            lambda: recorded_error("cohere_v2/error-422-unknown-field-lightrag-1813.json"),
            500,  # Xinference answers validation failures with 500
            "unknown field: parameter 'top_k' is not a valid field. For proper usage, please refer to https://docs.cohere.com/reference/rerank",
        ),
        (lambda: case_error("rate-limited", "cohere_v2"), 429, "Rate limit reached"),
    ],
    ids=["422", "429"],
)
def test_xinference_client_errors(
    stacks: dict[str, Stack], reply: Callable[[], Reply], status: int, detail: str
) -> None:
    stack = stacks["cohere_v2"].answer(reply())

    with xinference_model(stack) as model, pytest.raises(RuntimeError) as error:
        model.rerank(["a", "b"], "q")

    assert str(error.value) == f"Failed to rerank documents, detail: {detail}"
    assert stack.proxy.seen[-1].status == status


# -- A Jina client: deepset's jina-haystack JinaRanker, against a Cohere v2 upstream ------------


def jina_rank(stack: Stack) -> Any:
    """What `JinaRanker(top_k=2)`, pointed at the proxy, makes of the recorded documents."""
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # before haystack is imported
    # jina-haystack needs Python 3.11, and the test dependencies install it only there.
    jina = pytest.importorskip("haystack_integrations.components.rankers.jina")
    haystack = pytest.importorskip("haystack")
    ranker = jina.JinaRanker(
        model="jina-reranker-v2-base-multilingual",
        api_key=haystack.utils.Secret.from_token("test-key"),
        base_url=f"{stack.url}/jina/v1/rerank",
        top_k=2,
    )
    documents = [haystack.Document(content=text) for text in DOCS["cohere_v2"]]
    return ranker.run(query=QUERY["cohere_v2"], documents=documents)


def test_jina_haystack_ranker(stacks: dict[str, Stack]) -> None:
    result = jina_rank(stacks["cohere_v2"].answer(recorded_answer("cohere_v2")))

    assert [(d.content, d.score) for d in result["documents"]] == [
        (DOCS["cohere_v2"][3], 0.999071),
        (DOCS["cohere_v2"][4], 0.7867867),
    ]
    # Cohere bills search units, not tokens: the usage is unknown (null), not an invented zero
    assert result["meta"] == {"model": "jina-reranker-v2-base-multilingual", "usage": None}


def test_jina_haystack_ranker_request_and_error(stacks: dict[str, Stack]) -> None:
    name = "cohere_v2/error-422-unknown-field-lightrag-1813.json"
    stack = stacks["cohere_v2"].answer(recorded_error(name))

    with pytest.raises(RuntimeError) as error:
        jina_rank(stack)

    assert str(error.value) == (
        "unknown field: parameter 'top_k' is not a valid field. For proper usage, please refer"
        " to https://docs.cohere.com/reference/rerank"
    )
    [exchange] = stack.proxy.seen
    assert (exchange.status, json.loads(exchange.answer)) == (
        422,
        {"detail": str(error.value), "request_id": "44558cc5-318a-42ac-bf42-9b9f3c6afabd"},
    )
    assert_lossless(exchange.body, "jina")
    [sent] = stack.upstream.seen
    assert sent.json() == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": QUERY["cohere_v2"],
        "documents": DOCS["cohere_v2"],
        "top_n": 2,
    }
