"""What every real-client test shares: a proxy in front of a fake upstream per seed format,
the recorded answers and error bodies those upstreams send, and how a test asks for a client.

A client's tests are in tests/test_clients.py when the client fits the development
environment, and in tests/test_clients_<env>.py when it needs an environment of its own
(Makefile: CLIENT_ENVS). Elsewhere such a test is skipped; where the Makefile runs a client
environment it sets RERANK_FORMATS_REQUIRE_CLIENTS, and a missing client fails instead.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from helpers import CASES, RECORDED, load_json
from servers import FakeUpstream, Recorder, Reply, fake_upstream, proxy_app, serve

import rerank_formats as rf

UPSTREAMS = rf.FORMATS
"""Every format, each played by a fake upstream (a new format needs its recorded answer and
error bodies below)."""

STATUSES = (401, 422, 429, 500)
"""The upstream errors every client is tested with."""


def require_client(module: str) -> ModuleType:
    """Import a client's module: skip the test module where it is not installed, unless
    RERANK_FORMATS_REQUIRE_CLIENTS is set (the Makefile's client environments), where its
    absence is a failure."""
    if os.environ.get("RERANK_FORMATS_REQUIRE_CLIENTS"):
        return importlib.import_module(module)
    return pytest.importorskip(module)


# -- what the fake upstreams answer ------------------------------------------------------------

# A recorded request and the answer recorded for it, per upstream format.
PAIRS = {
    "jina": (
        "jina/metaprompt-playground-v2-request.json",
        "jina/metaprompt-playground-v2-response.json",
    ),
    "cohere_v1": (
        "cohere_v1/openapi-x-fern-example-request.json",
        "cohere_v1/openapi-x-fern-example-response.json",
    ),
    "cohere_v2": (
        "cohere_v2/openapi-x-fern-example-request.json",
        "cohere_v2/openapi-x-fern-example-response.json",
    ),
    "xinference": ("xinference/ragflow-1527-request.json", "xinference/ragflow-1527-response.json"),
}


def _text(document: Any) -> str:
    return document if isinstance(document, str) else str(document["text"])


DOCS = {up: [_text(d) for d in load_json(RECORDED / PAIRS[up][0])["documents"]] for up in PAIRS}
"""The documents of each upstream's recorded request, as texts."""
QUERY = {up: load_json(RECORDED / PAIRS[up][0])["query"] for up in PAIRS}
"""The query of each upstream's recorded request."""

RANKED = {
    # Jina's two 0.878 are a tie: their order is kept
    "jina": [(0, 0.8783142566680908), (6, 0.8783142566680908), (4, 0.8633915781974792)],
    "cohere_v1": [(3, 0.999071), (4, 0.7867867), (0, 0.32713068)],
    "cohere_v2": [(3, 0.999071), (4, 0.7867867), (0, 0.32713068)],
    "xinference": [
        (0, 0.999574601650238),
        (1, 0.07814773917198181),
        (3, 0.000017700713215162978),
        (2, 0.0000163753629749408),
        (4, 0.00001631895975151565),
    ],
}
"""(index, relevance_score) of each upstream's recorded answer, best first."""

# Native document shapes: Jina and Cohere v1 answer {"text": ...} when asked for documents;
# Xinference always sends the key ({"text": ...} or null); Cohere v2 never returns documents.
DOCUMENTS_BY_DEFAULT = {"jina": True, "cohere_v1": False, "cohere_v2": False, "xinference": False}


def recorded_answer(upstream: str) -> Reply:
    """The recorded response, adjusted to the request the upstream received: only indices
    within its documents, document texts from it, in the upstream's native shape and only
    when it asked. `top_n` is not applied: the proxy must cut the results itself."""
    recorded = load_json(RECORDED / PAIRS[upstream][1])

    def reply(body: bytes) -> tuple[int, bytes]:
        sent = json.loads(body)
        documents = sent["documents"]
        wanted = sent.get("return_documents", DOCUMENTS_BY_DEFAULT[upstream])
        answer = copy.deepcopy(recorded)
        answer["results"] = [r for r in answer["results"] if r["index"] < len(documents)]
        for result in answer["results"]:
            result.pop("document", None)
            if wanted and upstream != "cohere_v2":
                result["document"] = {"text": _text(documents[result["index"]])}
            elif upstream == "xinference":
                result["document"] = None
        if upstream == "xinference" and not sent.get("return_len"):
            answer["meta"]["tokens"] = None  # Xinference counts tokens only when asked
        return 200, json.dumps(answer).encode()

    return reply


def reported_tokens(upstream: str, sent: dict[str, Any]) -> int | None:
    """The tokens `upstream`'s recorded answer reports for a request `sent`: Jina always
    counts them, Xinference when asked `return_len`, Cohere never (it bills search units)."""
    if upstream == "jina":
        return 815
    if upstream == "xinference" and sent.get("return_len"):
        return 38
    return None


def recorded_error(name: str) -> Reply:
    """A recorded error body, answered with its recorded status."""
    status = load_json(RECORDED / "manifest.json")[name]["status"]
    body = (RECORDED / name).read_bytes()
    return lambda _: (status, body)


def case_error(name: str, fmt: str, status: int | None = None) -> Reply:
    """An error body of the case table (fixtures/cases/error), for errors never recorded;
    answered with the case's status unless `status` says otherwise."""
    case = load_json(CASES / "error" / f"{name}.json")[fmt]
    return lambda _: (status or case["status"], json.dumps(case["body"]).encode())


def literal_error(status: int, body: dict[str, Any]) -> Reply:
    """An error body written here, where neither the recordings nor the cases have one."""
    return lambda _: (status, json.dumps(body).encode())


# Cohere's error body is `{"message": ...}` whatever the status (SEED-FORMATS.md); no Cohere
# 500 was recorded.
_COHERE_500 = {"message": "internal server error"}

ERRORS: dict[str, dict[int, Reply]] = {
    "jina": {
        401: recorded_error("jina/openapi-2026-errorresponse-field-examples.json"),
        422: case_error("validation-details", "jina"),
        429: case_error("rate-limited", "jina"),
        # LiteLLM's proxy answering in Jina's place: its envelope is read too
        500: recorded_error("openai/error-litellm-proxy-29156.json"),
    },
    "cohere_v1": {
        401: recorded_error("cohere_v1/error-401-invalid-api-token-converted.json"),
        422: case_error("validation-details", "cohere_v1"),
        429: case_error("rate-limited", "cohere_v1"),
        500: literal_error(500, _COHERE_500),
    },
    "cohere_v2": {
        401: case_error("invalid-token", "cohere_v2"),
        422: recorded_error("cohere_v2/error-422-unknown-field-lightrag-1813.json"),
        429: case_error("rate-limited", "cohere_v2"),
        500: literal_error(500, _COHERE_500),
    },
    "xinference": {
        401: case_error("invalid-token", "xinference"),
        # Xinference's own validation failures are 500s; a 422 is FastAPI's, before the
        # handler runs
        422: case_error("validation-details", "xinference", status=422),
        429: case_error("rate-limited", "xinference"),
        # the engine's `[address=..., pid=...]` prefix is not passed on
        500: recorded_error("xinference/error-inference-4679.json"),
    },
}
"""What each fake upstream answers for each error status: recorded where a recording exists."""

MESSAGES: dict[str, dict[int, str]] = {
    "jina": {
        401: "Invalid API key. Verify your API key at https://jina.ai/api-dashboard/key-manager or generate a new one.",
        422: "Validation error (body.top_n: Input should be greater than 0)",
        429: "Rate limit reached",
        500: "'list' object has no attribute 'get'",
    },
    "cohere_v1": {
        401: "invalid api token",
        422: "Validation error (body.top_n: Input should be greater than 0)",
        429: "Rate limit reached",
        500: "internal server error",
    },
    "cohere_v2": {
        401: "invalid api token",
        422: "unknown field: parameter 'top_k' is not a valid field. For proper usage, please refer to https://docs.cohere.com/reference/rerank",
        429: "Rate limit reached",
        500: "internal server error",
    },
    "xinference": {
        401: "invalid api token",
        422: "Validation error (body.top_n: Input should be greater than 0)",
        429: "Rate limit reached",
        500: "'results'",
    },
}
"""The message each error above carries, as a client of another format reads it (Jina's field
errors folded into the message, Xinference's engine prefix left out)."""

SAME_FORMAT_MESSAGES = {
    ("jina", 422): "Validation error",  # the field errors stay in Jina's `errors`
    ("xinference", 500): "[address=10.16.13.11:53707, pid=1964] 'results'",
}
"""The messages a client of the upstream's own format reads, where they differ: its error
body is passed on as it is."""

ERROR_IDS = {
    ("jina", 401): "03f58cd9da22fabf",
    ("cohere_v2", 422): "44558cc5-318a-42ac-bf42-9b9f3c6afabd",
}
"""The request ids the recorded error bodies carry, which a Cohere client receives as `id`."""


def message(upstream: str, status: int, client: str) -> str:
    """The message a client in format `client` reads from `upstream`'s error `status`."""
    if client == upstream and (upstream, status) in SAME_FORMAT_MESSAGES:
        return SAME_FORMAT_MESSAGES[upstream, status]
    return MESSAGES[upstream][status]


# -- the proxy in front of a fake upstream, per seed format ------------------------------------


@dataclass
class Stack:
    """A proxy (recording what its clients send) in front of a fake upstream."""

    upstream: FakeUpstream
    proxy: Recorder
    url: str

    def answer(self, reply: Reply) -> Stack:
        self.upstream.reply = reply
        self.upstream.seen.clear()
        self.proxy.seen.clear()
        return self

    def sent(self) -> Any:
        """The one request the upstream received, as JSON."""
        [exchange] = self.upstream.seen
        return exchange.json()

    def posted(self) -> list[bytes]:
        """The bodies clients POSTed to the proxy."""
        return [e.body for e in self.proxy.seen if e.method == "POST"]


@contextmanager
def open_stacks(root: str | None = None, usage: str = "null") -> Iterator[dict[str, Stack]]:
    """One proxy per upstream format, each with its fake upstream, until the block ends;
    with `root`, each proxy also serves that client format at the root, and `usage` says
    what it writes for an unknown usage (see `proxy_app`)."""
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for upstream in UPSTREAMS:
            fake = fake_upstream(upstream)
            upstream_url = servers.enter_context(serve(fake.recorder))
            proxy = Recorder(proxy_app(upstream_url, upstream, root=root, usage=usage))
            built[upstream] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """`open_stacks()` for the whole test module."""
    with open_stacks() as built:
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


def assert_upstream_got(
    stack: Stack, upstream: str, model: str, top_n: int | None, documents: bool, **extra: Any
) -> None:
    """The upstream received the recorded query and documents, `model`, `top_n` and `extra`,
    and asked for the documents back exactly when `documents` (stated, or its default;
    Cohere v2 never returns documents). Xinference counts tokens only when asked: it may be
    asked (`return_len: true`) for a client whose format reports them."""
    sent = stack.sent()
    if upstream == "xinference" and sent.get("return_len") is True:
        del sent["return_len"]
    wanted = sent.pop("return_documents", None)
    if wanted is None:  # absent, or null (xinference-client's unset fields)
        wanted = DOCUMENTS_BY_DEFAULT[upstream]
    body = {"model": model, "query": QUERY[upstream], "documents": DOCS[upstream]}
    if top_n is not None:
        body["top_n"] = top_n
    assert sent == body | extra
    if upstream != "cohere_v2":
        assert wanted is documents


# -- llama-index postprocessors ----------------------------------------------------------------


def llama_index_nodes(upstream: str) -> list[Any]:
    schema = require_client("llama_index.core.schema")
    return [schema.NodeWithScore(node=schema.TextNode(text=text)) for text in DOCS[upstream]]


def llama_index_rerank(postprocessor: Any, upstream: str) -> list[tuple[str, float | None]]:
    nodes = postprocessor.postprocess_nodes(llama_index_nodes(upstream), query_str=QUERY[upstream])
    return [(n.node.get_content(), n.score) for n in nodes]
