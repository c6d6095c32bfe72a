"""`rerank-formats serve`: the proxy run by the command line, in a subprocess, over HTTP."""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from servers import FakeUpstream, serve

from rerank_formats.proxy import ProxyConfig, create_app

KEY = "co-SECRET-key-from-the-environment"
COHERE_ANSWER = {"id": "x", "results": [{"index": 0, "relevance_score": 0.5}]}


@contextmanager
def running(*args: str, env: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    """`rerank-formats serve ARGS --port 0` until the block ends: its URL, and its output
    lines (complete once the block has ended)."""
    command = [sys.executable, "-m", "rerank_formats", "serve", *args, "--port", "0"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in process.stdout or ()])
    reader.start()
    output: list[str] = []
    try:
        deadline = time.monotonic() + 20
        while True:  # uvicorn says which port it took
            output.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))
            if started := re.search(r"running on (http://\S+)", output[-1]):
                break
        yield started.group(1), output
    finally:
        process.terminate()
        process.wait(10)
        reader.join(10)
        if process.stdout is not None:
            process.stdout.close()
        while not lines.empty():
            output.append(lines.get())


def test_serve_runs_the_proxy_with_the_key_from_the_environment() -> None:
    upstream = FakeUpstream("/v2/rerank")
    upstream.reply = lambda body: (200, json.dumps(COHERE_ANSWER).encode())
    env = {**os.environ, "MY_UPSTREAM_KEY": KEY}
    with (
        serve(upstream.recorder) as upstream_url,
        running(
            "--upstream-url", upstream_url, "--upstream-format", "cohere-v2",
            "--upstream-api-key-env", "MY_UPSTREAM_KEY", "--client-format", "jina",
            "--upstream-timeout", "5", "--max-bytes", "1000",
            env=env,
        ) as (url, output),
    ):  # fmt: skip
        root = httpx.post(f"{url}/v1/rerank", json={"model": "m", "query": "q", "documents": ["a"]})
        too_large = httpx.post(
            f"{url}/cohere/v1/rerank", json={"query": "q" * 1000, "documents": []}
        )

    assert (root.status_code, root.json()) == (
        200,
        {
            "model": "m",
            "usage": None,
            "results": [{"index": 0, "relevance_score": 0.5, "document": {"text": "a"}}],
        },
    )
    assert (too_large.status_code, too_large.json()) == (
        413,
        {"message": "the body is over 1,000 bytes"},
    )
    [sent] = upstream.seen
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert any('"POST /v1/rerank HTTP/1.1" 200' in line for line in output)
    assert not any(KEY in line for line in output)


def test_serve_refuses_a_key_variable_that_is_not_set() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_SUCH_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "rerank_formats", "serve", "--upstream-url", "http://x.test",
         "--upstream-format", "jina", "--upstream-api-key-env", "NO_SUCH_KEY"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "rerank-formats serve: error: the environment variable NO_SUCH_KEY is not set"
    )


def test_an_aborted_upload_logs_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    """Under uvicorn, a client that closes its connection mid-body is nobody's error."""
    config = ProxyConfig(upstream_url="http://127.0.0.1:9", upstream_format="jina")
    with serve(create_app(config)) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as client:
            client.sendall(
                b"POST /jina/v1/rerank HTTP/1.1\r\nhost: proxy\r\n"
                b"content-type: application/json\r\ncontent-length: 1000\r\n\r\n"
                b'{"query": '
            )
            time.sleep(0.2)  # the proxy is reading the body
        time.sleep(0.3)  # and sees the disconnect

    assert "Traceback" not in capfd.readouterr().err
