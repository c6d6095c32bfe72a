"""Real HTTP servers on 127.0.0.1 for tests: uvicorn in a thread, a recording ASGI wrapper,
a fake upstream whose answer each test sets, and the proxy in front of it.

Every test that starts the proxy does so through `proxy_app` (one place to adapt when the
proxy's API changes)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rerank_formats.registry import get_format
from rerank_formats.sigv4 import Credentials


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 until the block ends; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@dataclass
class Exchange:
    """One request a server received (method, path, body, headers) and its answer (status, body)."""

    method: str
    path: str
    body: bytes
    status: int = 0
    answer: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Recorder:
    """An ASGI wrapper that records every HTTP request reaching `app`."""

    app: ASGIApp
    seen: list[Exchange] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        exchange = Exchange(scope["method"], scope["path"], b"".join(chunks), headers=headers)
        self.seen.append(exchange)

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:  # the body is read: what follows is the client's disconnect
                return await receive()
            replayed = True
            return {"type": "http.request", "body": exchange.body, "more_body": False}

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
            elif message["type"] == "http.response.body":
                exchange.answer += message.get("body", b"")
            await send(message)

        await self.app(scope, replay, record)


Reply = Callable[[bytes], tuple[int, bytes]]
"""What a fake upstream answers to a request body: a status and a body."""


class FakeUpstream:
    """A rerank server at `path` whose answer each test sets with `reply` (and `headers`)."""

    def __init__(self, path: str) -> None:
        self.reply: Reply = lambda body: (500, b'{"detail": "no reply set"}')
        self.headers: dict[str, str] = {}

        async def rerank(request: Request) -> Response:
            status, body = self.reply(await request.body())
            return Response(body, status, headers=self.headers, media_type="application/json")

        self.recorder = Recorder(Starlette(routes=[Route(path, rerank, methods=["POST"])]))

    @property
    def seen(self) -> list[Exchange]:
        return self.recorder.seen


def proxy_app(
    upstream_url: str, upstream_format: str, *, root: str | None = None, usage: str = "null"
) -> ASGIApp:
    """The proxy (`rerank_formats.proxy`) forwarding to `upstream_url` in `upstream_format`,
    passing the upstream's error text on (so that recorded error bodies reach the clients),
    writing an unknown usage for Jina clients as `usage` says (`rf.UnknownUsage`), and
    serving the client format `root`, if given, at its native path at the root (for clients
    that replace the base URL's path, litellm's `jina_ai` provider)."""
    from rerank_formats.proxy import ProxyConfig, create_app

    signs = get_format(upstream_format).ENDPOINT.signing is not None  # type: ignore[arg-type]
    config = ProxyConfig(
        upstream_url=upstream_url,
        upstream_format=upstream_format,  # type: ignore[arg-type]
        client_format=root,  # type: ignore[arg-type]
        pass_upstream_errors=True,
        usage=usage,  # type: ignore[arg-type]
        upstream_aws_credentials=AWS_TEST_CREDENTIALS if signs else None,
        upstream_aws_region=AWS_TEST_REGION if signs else None,
    )
    return create_app(config)


AWS_TEST_CREDENTIALS = Credentials(
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)  # AWS's documented example key (the SigV4 test suite's)
AWS_TEST_REGION = "us-east-1"
"""What the proxy signs a SigV4 upstream's requests with (`ENDPOINT.signing`: Bedrock) in the
tests: `signature_error` checks them."""


def signature_error(
    exchange: Exchange, service: str, credentials: Credentials = AWS_TEST_CREDENTIALS
) -> str | None:
    """Why the SigV4 signature of a request a fake upstream received is not valid for
    `credentials` in `AWS_TEST_REGION` (None when it is): recomputed here from the
    specification's steps with hashlib and hmac, not with `rerank_formats.sigv4`
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)."""
    match = re.fullmatch(
        r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,"
        r" SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
        exchange.headers.get("authorization", ""),
    )
    if match is None:
        return "no SigV4 Authorization header"
    key_id, date, region, signed_service, names, signature = match.groups()
    if (key_id, region, signed_service) != (credentials.access_key_id, AWS_TEST_REGION, service):
        return f"the scope is {key_id}/{region}/{signed_service}"
    amz_date = exchange.headers.get("x-amz-date", "")
    if not amz_date.startswith(date) or "host" not in names.split(";"):
        return "x-amz-date or host is not signed as it should be"
    payload = hashlib.sha256(exchange.body).hexdigest()
    if exchange.headers.get("x-amz-content-sha256", payload) != payload:
        return "x-amz-content-sha256 is not the body's hash"
    block = "".join(f"{n}:{exchange.headers[n].strip()}\n" for n in names.split(";"))
    canonical = "\n".join(("POST", exchange.path, "", block, names, payload))
    scope = f"{date}/{region}/{service}/aws4_request"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{digest}"
    key = ("AWS4" + credentials.secret_access_key).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, signature) else "the signature does not match"


def fake_upstream(upstream_format: str) -> FakeUpstream:
    """A fake upstream at `upstream_format`'s native path (`/v2/rerank` for Cohere v2: its
    module's `ENDPOINT`)."""
    from rerank_formats.registry import get_format

    return FakeUpstream(get_format(upstream_format).ENDPOINT.path)
