"""The command line, through its real entry point (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import RECORDED, ROOT

V2 = RECORDED / "cohere_v2"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rerank_formats", *args], input=stdin, capture_output=True, cwd=ROOT
    )


def test_convert_a_response_with_its_request() -> None:
    result = run(
        "convert", "--kind", "response", "--read", "cohere_v2", "--write", "jina",
        "--request", str(V2 / "openapi-x-fern-example-request.json"), "--request-format", "cohere_v2",
        str(V2 / "openapi-x-fern-example-response.json"),
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, b"")
    assert json.loads(result.stdout) == {
        "model": "rerank-v4.0-pro",
        "results": [
            {"index": 3, "relevance_score": 0.999071},
            {"index": 4, "relevance_score": 0.7867867},
            {"index": 0, "relevance_score": 0.32713068},
        ],
    }


def test_convert_a_request_from_stdin() -> None:
    body = b'{"model": "m", "query": "q", "documents": [{"text": "a"}], "top_n": null}'
    result = run(
        "convert", "--kind", "request", "--read", "jina", "--write", "cohere-v2", stdin=body
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        b'{"model":"m","query":"q","documents":["a"]}\n',
        b"",
    )


def test_a_decode_error_is_one_line_with_its_path() -> None:
    body = b'{"results": [{"index": "0", "relevance_score": 1}]}'
    result = run(
        "convert", "--kind", "response", "--read", "jina", "--write", "cohere_v2", "-", stdin=body
    )
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr == (
        b"rerank-formats: invalid jina response: Expected `int`, got `str` (at $.results[0].index)\n"
    )


def test_a_refused_loss_exits_1_and_warn_lets_it_through() -> None:
    body = b'{"model": "m", "query": "q", "documents": ["a"], "truncation": true}'
    args = ("convert", "--kind", "request", "--read", "jina", "--write", "cohere_v2")
    refused = run(*args, stdin=body)
    assert (refused.returncode, refused.stderr) == (
        1,
        b"rerank-formats: cohere_v2 cannot express $.truncation: cohere_v2 has no truncation switch\n",
    )
    warned = run(*args, "--on-loss", "ignore", stdin=body)
    assert (warned.returncode, warned.stdout) == (
        0,
        b'{"model":"m","query":"q","documents":["a"]}\n',
    )


def test_usage_errors_exit_2() -> None:
    result = run("convert", "--kind", "request", "--read", "cohere", "--write", "jina")
    assert result.returncode == 2
    assert b"Unknown format 'cohere'. Did you mean 'cohere_v2'?" in result.stderr


def test_a_missing_file_is_one_line() -> None:
    result = run("convert", "--kind", "request", "--read", "jina", "--write", "jina", "nope.json")
    assert (result.returncode, result.stderr) == (
        1,
        b"rerank-formats: nope.json: No such file or directory\n",
    )
