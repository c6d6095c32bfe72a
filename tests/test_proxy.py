"""The proxy's transport hygiene: what it forwards, what it bounds, what it refuses.

The upstream is an `httpx.MockTransport` (so each test controls headers, encodings and
timing exactly) and the client is Starlette's `TestClient`, or the ASGI interface driven by
hand where the test needs a client that stalls or goes away mid-upload. The real clients
over real HTTP are in tests/test_clients.py.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

import rerank_formats as rf
from rerank_formats.proxy import ProxyConfig, create_app

KEY = "co-SECRET-upstream-key-0123456789"
JINA_REQUEST = {"model": "rerank-v3.5", "query": "q", "documents": ["a", "b"]}
COHERE_ANSWER = {
    "id": "c0ffee",
    "results": [{"index": 1, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.1}],
    "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}},
}
JINA_ANSWER = {
    "model": "rerank-v3.5",
    "usage": None,
    "results": [
        {"index": 1, "relevance_score": 0.9, "document": {"text": "b"}},
        {"index": 0, "relevance_score": 0.1, "document": {"text": "a"}},
    ],
}

Handler = Callable[[httpx.Request], Any]


def client(handler: Handler, **options: Any) -> TestClient:
    """A proxy from Jina (and every other client format) to a Cohere v2 upstream."""
    config = ProxyConfig(
        upstream_url="https://upstream.test",
        upstream_format="cohere_v2",
        upstream_api_key=KEY,
        **options,
    )
    return TestClient(create_app(config, transport=httpx.MockTransport(handler)))


class Body(httpx.AsyncByteStream):
    """A body as the network gives it: streamed, its bytes as sent (compressed or not)."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.content), 65536):
            yield self.content[start : start + 65536]


def answering(*responses: httpx.Response) -> tuple[Handler, list[httpx.Request]]:
    """A handler that answers `responses` in turn, and the requests it received."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return responses[len(seen) - 1]

    return handler, seen


# -- headers -----------------------------------------------------------------------------------


def test_retry_after_and_rate_limit_headers_reach_the_client_and_nothing_else() -> None:
    handler, _ = answering(
        httpx.Response(
            429,
            json={"message": "Rate limit reached"},
            headers=[
                ("Retry-After", "7"),
                ("X-RateLimit-Remaining-Requests", "0"),
                ("X-RateLimit-Reset", "1767225600"),
                ("Set-Cookie", "session=upstream-session"),
                ("WWW-Authenticate", 'Bearer realm="cohere"'),
                ("Connection", "x-ratelimit-private"),
                ("X-RateLimit-Private", "hop-by-hop, named by Connection"),
                ("X-Internal-Host", "db-7.internal:5432"),
                ("X-RateLimit-Odd", "line\tbreak"),
            ],
        ),
        httpx.Response(200, json=COHERE_ANSWER, headers={"x-ratelimit-remaining-tokens": "999"}),
    )
    with client(handler) as proxy:
        limited = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)
        answered = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert limited.status_code == 429
    assert sorted(limited.headers.items()) == [
        ("content-length", str(len(limited.content))),
        ("content-type", "application/json"),
        ("retry-after", "7"),
        ("x-ratelimit-remaining-requests", "0"),
        ("x-ratelimit-reset", "1767225600"),
    ]
    assert (answered.status_code, answered.json()) == (200, JINA_ANSWER)
    assert answered.headers["x-ratelimit-remaining-tokens"] == "999"


def test_a_loading_model_says_when_to_retry() -> None:
    """Xinference answers 503 with `Retry-After: 30` while a model loads (restful_api.py)."""
    handler, _ = answering(
        httpx.Response(503, json={"detail": "Model is loading"}, headers={"Retry-After": "30"})
    )
    with client(handler) as proxy:
        answer = proxy.post("/xinference/v1/rerank", json=JINA_REQUEST)

    assert (answer.status_code, answer.headers["retry-after"]) == (503, "30")
    assert answer.json() == {"detail": "the upstream answered 503 Service Unavailable"}


def test_forwarded_headers_are_configurable_but_never_credentials() -> None:
    handler, _ = answering(
        httpx.Response(
            200,
            json=COHERE_ANSWER,
            headers={"x-request-id": "r-1", "set-cookie": "a=b", "retry-after": "1"},
        )
    )
    with client(handler, forward_headers=("x-request-id", "*")) as proxy:
        answer = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert (answer.headers["x-request-id"], answer.headers["retry-after"]) == ("r-1", "1")
    assert "set-cookie" not in answer.headers


def test_one_clients_upstream_cookies_never_reach_another_clients_request() -> None:
    handler, seen = answering(
        httpx.Response(200, json=COHERE_ANSWER, headers={"set-cookie": "session=alice; Path=/"}),
        httpx.Response(200, json=COHERE_ANSWER),
    )
    with client(handler) as proxy:
        proxy.post("/jina/v1/rerank", json=JINA_REQUEST)
        proxy.post("/jina/v1/rerank", json=JINA_REQUEST, headers={"cookie": "mine=bob"})

    assert [request.headers.get("cookie") for request in seen] == [None, None]
    assert [request.headers["authorization"] for request in seen] == [f"Bearer {KEY}"] * 2


# -- upstream error bodies ---------------------------------------------------------------------

LEAKY = [
    (401, {"message": f"invalid api token: {KEY}"}, "the upstream answered 401 Unauthorized"),
    (
        500,
        {"message": "Traceback: psycopg.OperationalError postgresql://app:pw@10.0.0.5/rerank"},
        "the upstream answered 500 Internal Server Error",
    ),
    (499, {"message": "request cancelled by 10.0.0.5"}, "the upstream answered 499 Client Error"),
]


@pytest.mark.parametrize(("status", "body", "message"), LEAKY, ids=[str(s) for s, _, _ in LEAKY])
def test_upstream_error_text_does_not_reach_the_client_by_default(
    status: int, body: dict[str, str], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    handler, _ = answering(httpx.Response(status, json=body))
    with caplog.at_level(logging.WARNING, "rerank_formats.proxy"), client(handler) as proxy:
        jina = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert (jina.status_code, jina.json()) == (
        status if status != 499 else 400,
        {"detail": message},
    )
    assert KEY not in caplog.text  # the operator's log has the text, without the key
    assert "\n" not in caplog.records[-1].getMessage()
    assert caplog.records[-1].getMessage().startswith(f"the upstream answered {status}: ")


def test_upstream_error_text_is_passed_on_when_asked_without_the_key() -> None:
    handler, _ = answering(
        httpx.Response(401, json={"message": f"invalid api token: {KEY}"}),
        httpx.Response(422, json={"message": "unknown field: parameter 'top_k'"}),
    )
    with client(handler, pass_upstream_errors=True) as proxy:
        unauthorized = proxy.post("/cohere/v2/rerank", json=JINA_REQUEST)
        invalid = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert (unauthorized.status_code, unauthorized.json()) == (
        401,
        {"message": "invalid api token: [redacted]"},
    )
    assert (invalid.status_code, invalid.json()) == (
        422,
        {"detail": "unknown field: parameter 'top_k'"},
    )


def test_an_invalid_upstream_answer_is_described_without_its_text() -> None:
    handler, _ = answering(
        httpx.Response(200, json={"results": [{"index": 7, "relevance_score": 0.9}]})
    )
    with client(handler) as proxy:
        answer = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert (answer.status_code, answer.json()) == (
        500,  # Jina does not declare 502
        {
            "detail": "the upstream's answer is not a valid cohere_v2 response:"
            " out_of_range at $.results[0].index"
        },
    )


# -- sizes -------------------------------------------------------------------------------------


def test_a_declared_oversized_body_is_refused_before_it_is_read() -> None:
    handler, seen = answering()
    with client(handler, limits=rf.Limits(max_bytes=100)) as proxy:
        answer = proxy.post(
            "/cohere/v2/rerank", content=b" " * 101, headers={"content-type": "application/json"}
        )

    assert (answer.status_code, answer.json()) == (413, {"message": "the body is over 100 bytes"})
    assert seen == []


def asgi_post(
    app: Any, chunks: AsyncIterator[dict[str, Any]], path: str = "/jina/v1/rerank"
) -> tuple[int, bytes]:
    """POST to `app` through the ASGI interface, the body's messages coming from `chunks`."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return await chunks.__anext__()

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"proxy")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    return start["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_streamed_oversized_body_is_refused_as_soon_as_it_is_over() -> None:
    pulled = []

    async def endless() -> AsyncIterator[dict[str, Any]]:
        while len(pulled) < 1000:  # 600 KB in all, unless the proxy stops reading
            pulled.append(1)
            yield {"type": "http.request", "body": b" " * 600, "more_body": True}
        yield {"type": "http.request", "body": b"", "more_body": False}

    app = create_app(
        ProxyConfig(upstream_url="http://127.0.0.1:9", upstream_format="jina",
                    limits=rf.Limits(max_bytes=1000))
    )  # fmt: skip
    status, body = asgi_post(app, endless())

    assert (status, json.loads(body)) == (413, {"detail": "the body is over 1,000 bytes"})
    assert len(pulled) == 2


def gzip_bomb(size: int) -> bytes:
    compress = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join(compress.compress(block) for _ in range(size >> 20)) + compress.flush()


def test_a_compressed_upstream_answer_is_bounded_by_its_decompressed_size() -> None:
    bomb = gzip_bomb(200 << 20)  # 200 MiB of zeros, in about 200 KB
    assert len(bomb) < 250_000
    handler, seen = answering(
        httpx.Response(200, stream=Body(bomb), headers={"content-encoding": "gzip"})
    )
    tracemalloc.start()
    try:
        with client(handler, max_response_bytes=1 << 20) as proxy:
            answer = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert seen[0].headers["accept-encoding"] == "gzip, deflate"
    assert (answer.status_code, answer.json()) == (
        500,
        {"detail": "the upstream's answer is over 1,048,576 bytes"},
    )
    assert peak < 8 << 20  # about 3 MiB: the bomb is never expanded past the limit


@pytest.mark.parametrize(
    ("coding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("identity", bytes)],
)
def test_a_compressed_upstream_answer_is_read(
    coding: str, compress: Callable[[bytes], bytes]
) -> None:
    body = compress(json.dumps(COHERE_ANSWER).encode())
    handler, _ = answering(
        httpx.Response(200, stream=Body(body), headers={"content-encoding": coding})
    )
    with client(handler) as proxy:
        answer = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert (answer.status_code, answer.json()) == (200, JINA_ANSWER)


@pytest.mark.parametrize(
    ("headers", "content", "detail"),
    [
        (
            {"content-encoding": "br"},
            b"...",
            "the upstream's answer cannot be read: content coding 'br'",
        ),
        (
            {"content-encoding": "gzip"},
            b"not gzip",
            "the upstream's answer cannot be read: corrupt gzip body",
        ),
        ({"content-length": "2000"}, b"{}" * 1000, "the upstream's answer is over 1,000 bytes"),
    ],
    ids=["br", "corrupt", "declared"],
)
def test_an_upstream_answer_that_cannot_be_read(
    headers: dict[str, str], content: bytes, detail: str
) -> None:
    handler, _ = answering(httpx.Response(200, stream=Body(content), headers=headers))
    with client(handler, max_response_bytes=1000) as proxy:
        answer = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)

    assert (answer.status_code, answer.json()) == (500, {"detail": detail})


# -- time --------------------------------------------------------------------------------------


class Drip(httpx.AsyncByteStream):
    """A body that arrives one byte every `pause` seconds, `count` bytes in all."""

    def __init__(self, pause: float, count: int) -> None:
        self.pause, self.count = pause, count

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            await asyncio.sleep(self.pause)
            yield b" "


def test_an_upstream_that_drips_is_cut_off_at_the_deadline() -> None:
    handler, _ = answering(httpx.Response(200, stream=Drip(0.2, 25)))
    with client(handler, upstream_timeout=0.5) as proxy:
        started = time.monotonic()
        answer = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)
        elapsed = time.monotonic() - started

    assert (answer.status_code, answer.json()) == (
        504,
        {"detail": "the upstream did not answer within 0.5 s"},
    )
    assert elapsed < 3  # 5 s if the proxy waited for every byte


def test_a_client_that_stalls_mid_body_gets_408() -> None:
    async def stalls() -> AsyncIterator[dict[str, Any]]:
        yield {"type": "http.request", "body": b'{"query": ', "more_body": True}
        await asyncio.sleep(30)
        yield {"type": "http.request", "body": b"", "more_body": False}

    app = create_app(
        ProxyConfig(
            upstream_url="http://127.0.0.1:9", upstream_format="jina", client_body_timeout=0.2
        )
    )
    started = time.monotonic()
    status, body = asgi_post(app, stalls(), path="/xinference/v1/rerank")

    assert (status, json.loads(body)) == (408, {"detail": "the body did not arrive within 0.2 s"})
    assert time.monotonic() - started < 5


def test_a_client_that_disconnects_mid_upload_is_no_error() -> None:
    async def aborts() -> AsyncIterator[dict[str, Any]]:
        yield {"type": "http.request", "body": b'{"query": ', "more_body": True}
        yield {"type": "http.disconnect"}

    app = create_app(ProxyConfig(upstream_url="http://127.0.0.1:9", upstream_format="jina"))
    status, _ = asgi_post(app, aborts())  # the old example raised ClientDisconnect here

    assert status == 400  # sent to nobody: the server drops it


# -- content types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("Application/JSON", 200),
        ("application/vnd.api+json", 200),
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        (None, 415),
    ],
)
def test_only_json_is_accepted(content_type: str | None, status: int) -> None:
    handler, seen = answering(httpx.Response(200, json=COHERE_ANSWER))
    headers = {"content-type": content_type} if content_type else {}
    with client(handler) as proxy:
        answer = proxy.post(
            "/cohere/v1/rerank", content=json.dumps(JINA_REQUEST).encode(), headers=headers
        )

    assert answer.status_code == status
    if status == 415:
        assert answer.json() == {
            "message": "the body must be JSON (Content-Type: application/json)"
        }
        assert seen == []


# -- routes ------------------------------------------------------------------------------------


def test_the_client_format_is_served_at_the_root_too() -> None:
    handler, seen = answering(
        httpx.Response(200, json=COHERE_ANSWER), httpx.Response(200, json=COHERE_ANSWER)
    )
    with client(handler, client_format="jina") as proxy:
        root = proxy.post("/v1/rerank", json=JINA_REQUEST)
        prefixed = proxy.post("/jina/v1/rerank", json=JINA_REQUEST)
        not_served = proxy.post("/v2/rerank", json=JINA_REQUEST)

    assert (root.status_code, root.json()) == (200, JINA_ANSWER)
    assert (prefixed.status_code, prefixed.json()) == (200, JINA_ANSWER)
    assert not_served.status_code == 404
    assert [str(request.url) for request in seen] == ["https://upstream.test/v2/rerank"] * 2


def test_an_xinference_client_at_the_root_finds_its_model() -> None:
    handler, _ = answering()
    with client(handler, client_format="xinference") as proxy:
        model = proxy.get("/v1/models/bge-reranker")

    assert (model.status_code, model.json()) == (
        200,
        {"model_type": "rerank", "model_name": "bge-reranker"},
    )


# -- settings ----------------------------------------------------------------------------------


def test_settings_are_checked_and_the_key_is_not_in_the_repr() -> None:
    config = ProxyConfig(upstream_url="https://x.test", upstream_format="Cohere-V2",
                         upstream_api_key=KEY, client_format="jina")  # fmt: skip
    assert (config.upstream_format, config.client_format) == ("cohere_v2", "jina")
    assert KEY not in repr(config)
    with pytest.raises(rf.UnknownFormatError):
        ProxyConfig(upstream_url="https://x.test", upstream_format="cohere")
    bad: list[tuple[dict[str, Any], str]] = [
        ({"upstream_url": "x.test"}, "upstream_url must start with http:// or https://"),
        ({"on_loss": "drop"}, "on_loss must be one of raise, raise_ranking, warn, ignore"),
        ({"upstream_timeout": 0}, "upstream_timeout must be a positive number of seconds"),
        ({"max_response_bytes": -1}, "max_response_bytes must be a positive integer"),
        (
            {"upstream_api_key": "k\r\nX-Injected: 1"},
            "upstream_api_key must be printable ASCII, without spaces around",
        ),
    ]
    for options, message in bad:
        settings = {"upstream_url": "https://x.test", "upstream_format": "jina", **options}
        with pytest.raises(rf.RerankFormatError) as error:
            ProxyConfig(**settings)
        assert str(error.value) == message


def test_every_format_has_its_paths() -> None:
    """A format added to the registry needs its native path and prefix here too."""
    from rerank_formats.proxy import CLIENT_PATHS, NATIVE_PATHS, PREFIXES

    assert tuple(NATIVE_PATHS) == tuple(PREFIXES) == tuple(CLIENT_PATHS) == rf.FORMATS


def test_importing_the_proxy_without_the_extra_names_the_extra() -> None:
    code = "import sys; sys.modules['starlette'] = None; import rerank_formats.proxy"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ImportError: rerank_formats.proxy needs the `proxy` extra:"
        " pip install 'rerank-formats[proxy]' (starlette is not installed)"
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tests here never open a socket: the upstream is a MockTransport."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test in test_proxy.py tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield


# -- the documentation says what the code does -------------------------------------------------


def test_docstring_examples() -> None:
    import doctest

    from rerank_formats import proxy
    from rerank_formats.proxy import _app

    for module in (proxy, _app):
        failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert (failures, tried > 0) == (0, True), module.__name__


def test_the_settings_table_has_every_field_and_its_default() -> None:
    """docs/proxy.md lists every ProxyConfig field with its default (numbers as written)."""
    import dataclasses
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "proxy.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`"): line.split("|")[3].strip()
        for line in page.splitlines()
        if line.startswith("| `")
    }
    for field in dataclasses.fields(ProxyConfig):
        assert field.name in rows, field.name
        if isinstance(field.default, (int, float)) and not isinstance(field.default, bool):
            assert rows[field.name].startswith(f"{field.default}"), field.name
    assert rows["on_loss"] == f'`"{ProxyConfig.on_loss}"`'
