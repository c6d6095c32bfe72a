"""What every real-client test shares: a proxy in front of a fake upstream per seed format,
the recorded answers and error bodies those upstreams send, and how a test asks for a client.

A client's tests are in tests/test_clients.py when the client fits the development
environment, and in tests/test_clients_<env>.py when it needs an environment of its own
(Makefile: CLIENT_ENVS). Elsewhere such a test is skipped; where the Makefile runs a client
environment it sets RERANK_FORMATS_REQUIRE_CLIENTS, and a missing client fails instead.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import os
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
import msgspec
import pytest
from case_table import column
from helpers import CASES, RECORDED, load_json
from msgspec import UNSET
from servers import FakeUpstream, Recorder, Reply, fake_upstream, proxy_app, serve

import rerank_formats as rf
from rerank_formats.error_bodies import map_status
from rerank_formats.registry import get_codec, get_error_format, get_format

UPSTREAMS = rf.FORMATS
"""Every format, each played by a fake upstream that answers as its module writes (below)."""

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
#
# A fake upstream of any registered format answers as its module writes: it decodes the
# request it received with its own format, takes its canonical ranking (below) in the
# context of that request, and encodes the answer with its own format. The native document
# shapes, the defaults (whether documents come back unasked) and the usage reported (Jina
# always, Xinference when asked `return_len`, Cohere never) are the module's; a new format
# is an upstream here with no edit.

RECORDINGS = {
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
"""A recorded request and the answer recorded for it, in the recording's format: the query,
documents and ranking an upstream of that format answers with. Any other format answers
with Jina's (the canonical model's) recording, written in its own format."""

CANONICAL = "jina"
"""The format whose recording an upstream without one of its own answers with."""


def recording(upstream: str) -> tuple[str, rf.RerankRequest, rf.RerankResponse]:
    """The format of `upstream`'s recording, and its request and response, decoded."""
    fmt = upstream if upstream in RECORDINGS else CANONICAL
    request, response = (RECORDED / name for name in RECORDINGS[fmt])
    return (
        fmt,
        rf.decode_request(request.read_bytes(), format=fmt),
        rf.decode_response(response.read_bytes(), format=fmt),
    )


def _text(document: rf.Document) -> str:
    if isinstance(document, str):
        return document
    assert isinstance(document, rf.TextDocument), document
    return document.text


class _PerUpstream(Mapping[str, Any]):
    """A value per upstream format, derived from its recording when first asked for."""

    def __init__(self, derive: Callable[[str], Any]) -> None:
        self._derive = functools.cache(derive)

    def __getitem__(self, upstream: str) -> Any:
        return self._derive(upstream)

    def __iter__(self) -> Iterator[str]:
        return iter(UPSTREAMS)

    def __len__(self) -> int:
        return len(UPSTREAMS)


DOCS: Mapping[str, list[str]] = _PerUpstream(
    lambda up: [_text(d) for d in recording(up)[1].documents]
)
"""The documents of each upstream's recorded request, as texts."""
QUERY: Mapping[str, str] = _PerUpstream(lambda up: _text(recording(up)[1].query))
"""The query of each upstream's recorded request."""
RANKED: Mapping[str, list[tuple[int, float]]] = _PerUpstream(
    lambda up: [
        (r.index, r.relevance_score)
        for r in sorted(recording(up)[2].results, key=lambda r: -r.relevance_score)
    ]
)
"""(index, relevance_score) of each upstream's recorded answer, best first (a tie keeps its
order: Jina's two 0.878)."""


def answer_for(upstream: str, body: bytes) -> bytes:
    """What `upstream` answers to a request `body` in its format: its recorded ranking, only
    the indices within the documents received, in the context of the request (documents
    from it, in the format's shape and only when asked; usage as the format reports it).
    `top_n` is not applied: the proxy must cut the results itself."""
    _, _, recorded = recording(upstream)
    request = rf.decode_request(body, format=upstream)
    results = tuple(
        msgspec.structs.replace(r, document=UNSET)
        for r in recorded.results
        if r.index < len(request.documents)
    )
    # what only the recording's format says (ids, Xinference's `meta` as recorded) is left
    # out: the module writes it for this request
    answer = msgspec.structs.replace(recorded, results=results, extensions={})
    uncut = msgspec.structs.replace(request, top_n=UNSET)
    return rf.encode_response(answer, format=upstream, request=uncut, on_loss="ignore")


def recorded_answer(upstream: str) -> Reply:
    """The fake `upstream`'s answer to whatever it receives (see `answer_for`)."""
    return lambda body: (200, answer_for(upstream, body))


def reported_tokens(upstream: str, sent: dict[str, Any]) -> int | None:
    """The tokens `upstream` reports in its answer to a request `sent` (as a client reads
    them: the tokens read), or None when it reports none."""
    answer = answer_for(upstream, json.dumps(sent).encode())
    usage = rf.decode_response(answer, format=upstream).usage
    if not isinstance(usage, rf.Usage):
        return None
    return usage.total_tokens if usage.prompt_tokens is UNSET else usage.prompt_tokens


def recorded_error(name: str) -> Reply:
    """A recorded error body, answered with its recorded status."""
    status = load_json(RECORDED / "manifest.json")[name]["status"]
    body = (RECORDED / name).read_bytes()
    return lambda _: (status, body)


def case_error(name: str, fmt: str, status: int | None = None) -> Reply:
    """An error body of the case table (the format's column, fixtures/cases/formats), for
    errors never recorded; answered with the case's status unless `status` says otherwise."""
    entry = column(fmt)[f"error/{name}"]
    return lambda _: (status or entry["status"], json.dumps(entry["body"]).encode())


def literal_error(status: int, body: dict[str, Any]) -> Reply:
    """An error body written here, where neither the recordings nor the cases have one."""
    return lambda _: (status, json.dumps(body).encode())


CASE_ERRORS = {
    401: "invalid-token",
    422: "validation-details",
    429: "rate-limited",
    500: "not-implemented",
}
"""The case (fixtures/cases/error) each fake upstream answers an error status with, as its
column of the case table writes it, answered with that status whatever the format maps
the case's own status to (a FastAPI server answers 422 before its handler runs)."""

# Cohere's error body is `{"message": ...}` whatever the status (SEED-FORMATS.md); no Cohere
# 500 was recorded.
_COHERE_500 = {"message": "internal server error"}

RECORDED_ERRORS: dict[tuple[str, int], tuple[Reply, str]] = {
    ("jina", 401): (
        recorded_error("jina/openapi-2026-errorresponse-field-examples.json"),
        "Invalid API key. Verify your API key at https://jina.ai/api-dashboard/key-manager or generate a new one.",
    ),
    # LiteLLM's proxy answering in Jina's place: its envelope is read too
    ("jina", 500): (
        recorded_error("openai/error-litellm-proxy-29156.json"),
        "'list' object has no attribute 'get'",
    ),
    ("cohere_v1", 401): (
        recorded_error("cohere_v1/error-401-invalid-api-token-converted.json"),
        "invalid api token",
    ),
    ("cohere_v1", 500): (literal_error(500, _COHERE_500), "internal server error"),
    ("cohere_v2", 422): (
        recorded_error("cohere_v2/error-422-unknown-field-lightrag-1813.json"),
        "unknown field: parameter 'top_k' is not a valid field. For proper usage, please refer to https://docs.cohere.com/reference/rerank",
    ),
    ("cohere_v2", 500): (literal_error(500, _COHERE_500), "internal server error"),
    # the engine's `[address=..., pid=...]` prefix is not passed on
    ("xinference", 500): (recorded_error("xinference/error-inference-4679.json"), "'results'"),
}
"""Real error bodies answered in place of the case's, where one was recorded (or, for
Cohere's 500, written here), with the message a client of another format reads from it."""

SAME_FORMAT_MESSAGES = {
    ("xinference", 500): "[address=10.16.13.11:53707, pid=1964] 'results'",
}
"""The messages a client of a recorded body's own format reads, where they differ: its
error body is passed on as it is."""

ERROR_IDS = {
    ("jina", 401): "03f58cd9da22fabf",
    ("cohere_v2", 422): "44558cc5-318a-42ac-bf42-9b9f3c6afabd",
}
"""The request ids the recorded error bodies carry, which a Cohere client receives as `id`."""


def error_reply(upstream: str, status: int) -> Reply:
    """What the fake `upstream` answers for an error `status` (`STATUSES`): a recorded body
    where there is one, else its column's body of the case `CASE_ERRORS` names."""
    if (upstream, status) in RECORDED_ERRORS:
        return RECORDED_ERRORS[upstream, status][0]
    return case_error(CASE_ERRORS[status], upstream, status=status)


def message(upstream: str, status: int, client: str) -> str:
    """The message a client in format `client` reads from `upstream`'s error `status`: the
    case's canonical message, its field errors folded in, unless the client's format is the
    upstream's (its body is passed on as it is, and read as that format reads it)."""
    if (upstream, status) in RECORDED_ERRORS:
        if client == upstream and (upstream, status) in SAME_FORMAT_MESSAGES:
            return SAME_FORMAT_MESSAGES[upstream, status]
        return RECORDED_ERRORS[upstream, status][1]
    name = CASE_ERRORS[status]
    if client == upstream:
        body = json.dumps(column(upstream)[f"error/{name}"]["body"]).encode()
        return rf.decode_error(body, format=upstream, status=status).message
    body = json.dumps(column(upstream)[f"error/{name}"]["body"]).encode()
    read = rf.decode_error(body, format=upstream, status=status)
    if read.details:  # listed apart by the upstream: kept apart where the client's format can
        own = msgspec.structs.replace(read, extensions={})
        answered, written = rf.encode_error(own, format=client)  # type: ignore[arg-type]
        return rf.decode_error(written, format=client, status=answered).message
    canonical = load_json(CASES / "error" / f"{name}.json")["canonical"]
    details = canonical.get("details", ())
    if not details:
        return str(canonical["message"])
    listed = "; ".join(f"{d['field']}: {d['message']}" for d in details)
    return f"{canonical['message']} ({listed})"


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
def open_stacks(
    root: str | None = None, usage: str = "null", upstreams: tuple[str, ...] = UPSTREAMS
) -> Iterator[dict[str, Stack]]:
    """One proxy per upstream format (every format unless `upstreams` says), each with its
    fake upstream, until the block ends; with `root`, each proxy also serves that client
    format at the root, and `usage` says what it writes for an unknown usage (see
    `proxy_app`)."""
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for upstream in upstreams:
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
    """The upstream received the recorded query and documents, `model` and `top_n` where its
    format has them, and `extra` at the keys its format has; a request its provider accepts
    (no error from `validate`); and asked for the documents back exactly when `documents`
    (stated, or its format's default) where its format returns documents at all (Cohere v2
    never does)."""
    [exchange] = stack.upstream.seen
    sent = exchange.json()
    request = rf.decode_request(exchange.body, format=upstream)
    supports = get_format(upstream).SUPPORTS
    assert (_plain(request.query), [_plain(d) for d in request.documents]) == (
        QUERY[upstream],
        DOCS[upstream],
    )
    if "model" in supports:
        assert request.model == model
    if "top_n" in supports:
        assert (None if request.top_n is UNSET else request.top_n) == top_n
    fields = get_codec(upstream, "request").fields
    assert {k: sent.get(k, "(absent)") for k in extra if k in fields} == {
        k: v for k, v in extra.items() if k in fields
    }
    problems = rf.validate(exchange.body, format=upstream, kind="request")  # type: ignore[arg-type]
    assert [str(p) for p in problems if p.severity == "error"] == []
    if {"response_documents", "return_documents"} <= supports:  # vLLM, Bedrock echo always
        assert request.wants_documents is documents


def _plain(document: Any) -> Any:
    """A query or document as its text (a `{text}` object's, a TextDocument's)."""
    return document.text if isinstance(document, rf.TextDocument) else _text(document)


# -- the library as a client of every format --------------------------------------------------


def client_path(client: str) -> str:
    """Where the proxy serves client format `client` (as `create_app` derives it)."""
    from rerank_formats.proxy import _app

    return _app._prefixes()[client] + get_format(client).ENDPOINT.path  # type: ignore[index]


def library_rerank(stack: Stack, client: str, upstream: str, top_n: int = 2) -> httpx.Response:
    """The recorded query and documents, `top_n` and documents asked back, written in format
    `client` by the library and posted to the proxy where it serves that format."""
    request = rf.RerankRequest(
        model="m",
        query=QUERY[upstream],
        documents=tuple(DOCS[upstream]),
        top_n=top_n,
        return_documents=True,
    )
    body = rf.encode_request(request, format=client, on_loss="ignore")
    # what the upstream's format cannot say may only lose in reporting (the proxy's default,
    # "raise_ranking", sends those on and logs them): Xinference's `return_len` elsewhere
    with logged_losses() as losses:
        answer = httpx.post(
            stack.url + client_path(client),
            content=body,
            headers={"content-type": "application/json"},
        )
    assert {loss.split(" loss")[0] for loss in losses} <= {"a reporting"}, losses
    return answer


@contextmanager
def logged_losses() -> Iterator[list[str]]:
    """The losses the proxy logs while the block runs (it sends them on, logged)."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if " loss, sent on: " in record.getMessage():
                seen.append(record.getMessage())

    handler = Collect()
    proxy_log = logging.getLogger("rerank_formats.proxy")
    proxy_log.addHandler(handler)
    try:
        yield seen
    finally:
        proxy_log.removeHandler(handler)


def _refused(stack: Stack, answer: httpx.Response, client: str, upstream: str) -> bool:
    """Whether the upstream requires a field the client's format cannot send; then the
    proxy answered 400 naming it, and the upstream saw nothing."""
    missing = sorted(get_format(upstream).REQUIRES - get_format(client).SUPPORTS)
    if not missing:
        return False
    error = rf.decode_error(answer.content, format=client, status=answer.status_code)
    said = f"the upstream ({upstream}) cannot take this request as it is"
    why = tuple(f"$.{f}: {upstream} requires `{f}`; the request has none" for f in missing)
    details = tuple(f"{d.field}: {d.message}" for d in error.details)
    # in field details, or folded into the message by a format without them
    assert answer.status_code == 400
    assert (error.message, details) in ((said, why), (f"{said} ({'; '.join(why)})", ()))
    assert stack.upstream.seen == []
    return True


def assert_library_ranking(stack: Stack, client: str, upstream: str, top_n: int = 2) -> None:
    """A library client of format `client` gets `upstream`'s ranking, cut to `top_n`, with
    the documents where its format echoes them and its request asked; or, where the upstream
    requires a field the client's format cannot send, the proxy's 400 naming it."""
    answer = library_rerank(stack, client, upstream, top_n)
    [posted] = stack.posted()
    if _refused(stack, answer, client, upstream):
        return
    assert answer.status_code == 200, answer.content
    response = rf.decode_response(answer.content, format=client)
    echoed = "response_documents" in get_format(client).SUPPORTS and (
        rf.decode_request(posted, format=client).wants_documents
    )
    got = [
        (r.index, r.relevance_score, None if r.document in (UNSET, None) else _text(r.document))
        for r in response.results
    ]
    # a client format without top_n (TEI's) asks for every result, and gets them all
    cut = top_n if "top_n" in get_format(client).SUPPORTS else None
    assert got == [
        (i, s, DOCS[upstream][i] if echoed else None) for i, s in RANKED[upstream][:cut]
    ], (got, client, upstream)


def assert_library_error(stack: Stack, client: str, upstream: str, status: int) -> None:
    """A library client of format `client` reads `upstream`'s error `status` with the
    message `message` says (a recorded body's canonical message, also where a real client of
    its own format reads it raw: `SAME_FORMAT_MESSAGES`), at the status its format's server
    answers (`map_status`)."""
    answer = library_rerank(stack, client, upstream)
    if _refused(stack, answer, client, upstream):
        return
    error = rf.decode_error(answer.content, format=client, status=answer.status_code)
    [exchange] = stack.upstream.seen
    expected = map_status(exchange.status, get_error_format(client))
    recorded = RECORDED_ERRORS.get((upstream, status))
    said = recorded[1] if recorded else message(upstream, status, client)
    assert (answer.status_code, error.message) == (expected, said)


# -- llama-index postprocessors ----------------------------------------------------------------


def llama_index_nodes(upstream: str) -> list[Any]:
    schema = require_client("llama_index.core.schema")
    return [schema.NodeWithScore(node=schema.TextNode(text=text)) for text in DOCS[upstream]]


def llama_index_rerank(postprocessor: Any, upstream: str) -> list[tuple[str, float | None]]:
    nodes = postprocessor.postprocess_nodes(llama_index_nodes(upstream), query_str=QUERY[upstream])
    return [(n.node.get_content(), n.score) for n in nodes]
