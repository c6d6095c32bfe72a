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
        "usage": None,
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


def test_validate_prints_every_problem_and_exits_1_on_an_error() -> None:
    body = b'{"model": "rerank-v3.5", "query": "q", "documents": [], "top_k": 3}'
    result = run("validate", "--format", "cohere-v2", "--kind", "request", stdin=body)
    assert (result.returncode, result.stderr) == (1, b"")
    assert result.stdout == (
        b"$.top_k: unknown field `top_k` (Cohere answers 422)\n"
        b"$.documents: there are no documents to rank\n"
    )


def test_validate_exits_0_when_there_are_only_warnings() -> None:
    result = run(
        "validate",
        "--format",
        "xinference",
        "--kind",
        "request",
        str(RECORDED / "xinference/ragflow-1527-request.json"),
    )
    assert result.returncode == 0
    assert result.stdout == (
        b"$.return_documents: a string where a boolean is expected; pydantic v1 coerces it, other servers refuse it [warning]\n"
        b"$.return_len: a string where a boolean is expected; pydantic v1 coerces it, other servers refuse it [warning]\n"
    )


def test_validate_jsonl_streams_and_summarises() -> None:
    lines = b"\n".join(
        [
            b'{"model": "m", "query": "q", "documents": ["a"]}',
            b'{"model": "m", "query": "q", "documents": [], "top_n": 0}',
            b"",
            b'{"model": "m", "query": 1, "documents": ["a"]}',
            b"{oops",
        ]
    )
    result = run("validate", "--format", "jina", "--kind", "request", "--jsonl", stdin=lines)
    assert result.returncode == 1
    assert result.stdout == (
        b"line 2: $.documents: there are no documents to rank\n"
        b"line 2: $.top_n: top_n is 0; at least 1 is expected\n"
        b"line 4: $.query: Expected `str | object`, got `int`\n"
        b"line 5: $: JSON is malformed: object keys must be strings (byte 1)\n"
    )
    assert result.stderr == (
        b"rerank-formats: 4 payloads: 1 valid, 3 invalid "
        b"(empty_documents 1, invalid_json 1, out_of_range 1, wrong_type 1)\n"
    )


def test_convert_jsonl_converts_each_line_and_reports_failures() -> None:
    lines = b'{"model": "m", "query": "q", "documents": ["a"]}\n{"query": "q"}\n'
    result = run(
        "convert",
        "--kind",
        "request",
        "--read",
        "jina",
        "--write",
        "xinference",
        "--jsonl",
        stdin=lines,
    )
    assert result.returncode == 1
    assert result.stdout == (
        b'{"model":"m","query":"q","documents":["a"],"return_documents":true,"return_len":true}\n'
    )
    assert result.stderr == (
        b"rerank-formats: line 2: invalid jina request: missing required field `model` (at $.model)\n"
        b"rerank-formats: 2 payloads: 1 converted (missing_field 1)\n"
    )


def test_convert_an_error_body() -> None:
    body = b"Internal Server Error: [address=0.0.0.0:1, pid=2] boom"  # the actor address is removed
    result = run(
        "convert",
        "--kind",
        "error",
        "--read",
        "xinference",
        "--write",
        "cohere_v2",
        "--content-type",
        "text/plain",
        stdin=body,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        b'{"message":"boom"}\n',
        b"rerank-formats: status 500\n",
    )


def test_convert_warns_on_stderr_under_on_loss_warn() -> None:
    body = b'{"model": "m", "query": "q", "documents": ["a"], "truncation": true}'
    result = run(
        "convert",
        "--kind",
        "request",
        "--read",
        "jina",
        "--write",
        "cohere_v2",
        "--on-loss",
        "warn",
        stdin=body,
    )
    assert (result.returncode, result.stdout) == (
        0,
        b'{"model":"m","query":"q","documents":["a"]}\n',
    )
    assert (
        result.stderr
        == b"rerank-formats: warning: $.truncation: cohere_v2 has no truncation switch (cohere_v2)\n"
    )


def test_detect() -> None:
    result = run("detect", str(RECORDED / "xinference/ragflow-1527-request.json"))
    assert (result.returncode, result.stdout) == (
        0,
        b"xinference request: valid xinference request: knows 5 of 5 top-level keys, 2 warnings; only it uses `return_len`\n",
    )
    nothing = run("detect", stdin=b"[1, 2]")
    assert (nothing.returncode, nothing.stdout) == (
        1,
        b"no format: the payload is valid as none of them\n",
    )


def test_schema_prints_what_json_schema_returns() -> None:
    import rerank_formats as rf

    result = run("schema", "--format", "xinference", "--kind", "response")
    assert result.returncode == 0
    assert json.loads(result.stdout) == rf.json_schema(format="xinference", kind="response")


def test_formats_prints_the_support_matrix() -> None:
    result = run("formats")
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["feature", "jina", "cohere_v1", "cohere_v2", "xinference"]
    assert lines[3].split()[-4:] == ["yes", "yes", "-", "yes"]  # return_documents
    assert lines[-1] == "error bodies: jina, cohere_v1, cohere_v2, xinference, openai"


def test_every_option_has_help() -> None:
    from rerank_formats.cli import _parser

    parser = _parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, command in commands.items():
        for action in command._actions:
            assert action.help, (name, action.dest)


def test_usage_errors_exit_2_with_one_line() -> None:
    result = run(
        "convert",
        "--kind",
        "request",
        "--read",
        "jina",
        "--write",
        "jina",
        "--status",
        "500",
        stdin=b"{}",
    )
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[-1]
        == b"rerank-formats: error: --status and --content-type only apply to --kind error"
    )


def test_detect_jsonl_summarises_the_best_matches() -> None:
    lines = b'{"query": "q", "documents": ["a"], "rank_fields": ["text"]}\n[]\n'
    result = run("detect", "--jsonl", stdin=lines)
    assert (result.returncode, result.stdout) == (
        1,
        b"line 1: cohere_v1 request: valid cohere_v1 request: knows 3 of 3 top-level keys, 0 warnings; only it uses `rank_fields`\n"
        b"line 2: no format: the payload is valid as none of them\n",
    )
    assert (
        result.stderr
        == b"rerank-formats: 2 payloads, by best match (cohere_v1 request 1, none 1)\n"
    )


def test_an_error_only_format_for_a_request_is_a_usage_error() -> None:
    result = run("convert", "--kind", "request", "--read", "openai", "--write", "jina", stdin=b"{}")
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[-1]
        == b"rerank-formats: error: openai has error bodies only (--kind error)"
    )


def test_a_closed_pipe_ends_quietly() -> None:
    import subprocess

    pipeline = f"{sys.executable} -m rerank_formats formats | head -1"
    result = subprocess.run(pipeline, shell=True, capture_output=True, cwd=ROOT)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.split() == [b"feature", b"jina", b"cohere_v1", b"cohere_v2", b"xinference"]


def test_convert_raises_only_for_ranking_losses_under_raise_ranking() -> None:
    args = ("convert", "--kind", "request", "--read", "xinference", "--write", "cohere_v2")
    args += ("--on-loss", "raise_ranking")
    reporting = b'{"model": "m", "query": "q", "documents": ["a"], "return_len": true}'
    result = run(*args, stdin=reporting)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        b'{"model":"m","query":"q","documents":["a"]}\n',
        b"rerank-formats: warning: $.return_len: cohere_v2 reports no token usage to answer"
        b" `return_len` with (cohere_v2)\n",
    )
    ranking = b'{"model": "m", "query": "q", "documents": ["a"], "max_chunks_per_doc": 3}'
    result = run(*args, stdin=ranking)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        b"",
        b"rerank-formats: cohere_v2 cannot express $.max_chunks_per_doc: xinference's chunking"
        b" limit has no cohere_v2 equivalent\n",
    )


def test_convert_writes_an_unknown_usage_as_asked() -> None:
    request = V2 / "openapi-x-fern-example-request.json"
    response = V2 / "openapi-x-fern-example-response.json"
    args = ("convert", "--kind", "response", "--read", "cohere_v2", "--write", "jina")
    args += ("--request", str(request), "--request-format", "cohere_v2", str(response))
    assert "usage" not in json.loads(run(*args, "--usage", "omit").stdout)
    zero = json.loads(run(*args, "--usage", "zero").stdout)
    assert zero["usage"] == {"total_tokens": 0}
