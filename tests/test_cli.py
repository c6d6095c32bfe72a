"""The command line, through its real entry point (a subprocess)."""

from __future__ import annotations

import itertools
import json
import os
import pty
import shlex
import signal
import subprocess
import sys
import time

import pytest
from helpers import RECORDED, ROOT

import rerank_formats as rf
from rerank_formats.cli import _parser

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
    assert result.stderr.splitlines()[-1] == (
        b"rerank-formats: invalid jina response: Expected `int`, got `str` (at $.results[0].index)"
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
        b"line 5: $: JSON is malformed at line 1, column 2\n"
    )
    assert result.stderr == (
        b"rerank-formats: 4 payloads: 1 valid, 3 invalid; "
        b"errors: empty_documents 1, invalid_json 1, out_of_range 1, wrong_type 1\n"
    )


def test_validate_jsonl_counts_warnings_apart_from_errors() -> None:
    lines = (
        b'{"model": "m", "query": "q", "documents": ["a"], "return_len": "true"}\n'
        b'{"model": "m", "query": "q"}\n'
    )
    result = run("validate", "--format", "xinference", "--kind", "request", "--jsonl", stdin=lines)
    assert result.returncode == 1
    assert result.stderr == (
        b"rerank-formats: 2 payloads: 1 valid, 1 invalid; "
        b"errors: missing_field 1; warnings: string_boolean 1\n"
    )


def test_jsonl_summaries_say_1_payload() -> None:
    line = b'{"model": "m", "query": "q", "documents": ["a"]}\n'
    validated = run("validate", "--format", "jina", "--kind", "request", "--jsonl", stdin=line)
    assert (validated.returncode, validated.stderr) == (
        0,
        b"rerank-formats: 1 payload: 1 valid, 0 invalid\n",
    )
    converted = run(
        "convert", "--kind", "request", "--read", "jina", "--write", "jina", "--jsonl", stdin=line
    )
    assert converted.stderr == b"rerank-formats: 1 payload: 1 converted\n"
    detected = run("detect", "--kind", "error", "--jsonl", stdin=line)
    assert detected.stderr == b"rerank-formats: 1 payload, by best match (none 1)\n"


JSONL = b'{"model": "m", "query": "q", "documents": ["a"]}\n{"model": "m", "query": "r", "documents": ["b"]}\n'
HINT = b"rerank-formats: hint: the input has one JSON value per line; add --jsonl\n"


def test_one_payload_per_line_without_jsonl_gets_a_hint() -> None:
    validated = run("validate", "--format", "jina", "--kind", "request", stdin=JSONL)
    assert (validated.returncode, validated.stdout, validated.stderr) == (
        1,
        b"$: JSON is malformed at line 2, column 1\n",
        HINT,
    )
    converted = run(
        "convert", "--kind", "request", "--read", "jina", "--write", "jina", stdin=JSONL
    )
    assert (converted.returncode, converted.stderr) == (
        1,
        b"rerank-formats: invalid jina request: JSON is malformed at line 2, column 1"
        b" (at $)\n" + HINT,
    )
    detected = run("detect", stdin=JSONL)
    assert (detected.returncode, detected.stderr) == (1, HINT)


def test_no_hint_for_a_single_malformed_payload() -> None:
    result = run("validate", "--format", "jina", "--kind", "request", stdin=b'{"a": 1,\n oops}\n')
    assert (result.returncode, result.stderr) == (1, b"")


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
        b"xinference request: knows 5 of 5 top-level keys; only it uses `return_len`; "
        b"2 warnings: string_boolean at $.return_documents, $.return_len\n",
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
    headers = [line.split()[1:] for line in lines if line.startswith("feature ")]
    assert lines[0].split() == ["feature", *headers[0]]
    assert [name for header in headers for name in header] == list(rf.FORMATS)
    assert lines[0].split()[1:5] == ["jina", "cohere_v1", "cohere_v2", "xinference"]
    assert lines[3].split()[-len(headers[0]) :][:4] == [
        "yes",
        "yes",
        "-",
        "yes",
    ]  # return_documents
    assert _error_bodies(lines) == f"error bodies: {', '.join(rf.ERROR_FORMATS)}"
    assert max(len(line) for line in lines) <= 80


def _error_bodies(lines: list[str]) -> str:
    """The `error bodies: ...` list that ends `formats`, its wrapped lines joined."""
    start = next(i for i, line in enumerate(lines) if line.startswith("error bodies: "))
    return " ".join(line.strip() for line in lines[start:])


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
        == b"rerank-formats convert: error: --status and --content-type only apply to --kind error"
    )


def test_detect_jsonl_summarises_the_best_matches() -> None:
    lines = b'{"query": "q", "documents": ["a"], "rank_fields": ["text"]}\n[]\n'
    result = run("detect", "--jsonl", stdin=lines)
    best = rf.detect(lines.splitlines()[0])[0]  # the reason depends on the registered formats
    assert (best.format, best.kind) == ("cohere_v1", "request")
    assert best.reason.startswith("knows 3 of 3 top-level keys")
    assert (result.returncode, result.stdout) == (
        1,
        f"line 1: cohere_v1 request: {best.reason}\n".encode()
        + b"line 2: no format: the payload is valid as none of them\n",
    )
    assert (
        result.stderr
        == b"rerank-formats: 2 payloads, by best match (cohere_v1 request 1, none 1)\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("convert", "--kind", "request", "--read", "openai", "--write", "jina"),
        ("convert", "--kind", "response", "--read", "jina", "--write", "openai"),
        ("validate", "--kind", "request", "--format", "openai"),
        ("schema", "--kind", "request", "--format", "openai"),
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_an_error_only_format_for_a_request_is_the_same_usage_error(args: tuple[str, ...]) -> None:
    result = run(*args, stdin=b"{}")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.splitlines()[-1] == (
        f"rerank-formats {args[0]}: error: openai has error bodies only (--kind error)".encode()
    )


def test_an_error_found_after_parsing_prints_the_subcommand_usage() -> None:
    result = run(
        "convert", "--kind", "request", "--read", "jina", "--write", "jina", "--request", "r.json"
    )
    assert result.returncode == 2
    assert result.stderr.startswith(b"usage: rerank-formats convert [-h] --read FORMAT")
    assert result.stderr.splitlines()[-1] == (
        b"rerank-formats convert: error: --request only applies to --kind response"
    )


def test_a_closed_pipe_ends_quietly() -> None:
    import subprocess

    pipeline = f"{sys.executable} -m rerank_formats formats | head -1"
    result = subprocess.run(pipeline, shell=True, capture_output=True, cwd=ROOT)
    assert (result.returncode, result.stderr) == (0, b"")
    first = run("formats").stdout.splitlines()[0]
    assert first.split()[:5] == [b"feature", b"jina", b"cohere_v1", b"cohere_v2", b"xinference"]
    assert result.stdout == first + b"\n"


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"rerank-formats {rf.__version__}\n".encode(),
        b"",
    )


def _help(*args: str) -> str:
    result = run(*args, "--help")
    assert result.returncode == 0
    return " ".join(result.stdout.decode().split())  # argparse wraps to the terminal width


def test_the_help_names_every_format_from_the_registry() -> None:
    error_only = [name for name in rf.ERROR_FORMATS if name not in rf.FORMATS]
    assert error_only == ["openai"]
    names = f"{', '.join(rf.FORMATS)} ({', '.join(error_only)}: --kind error only)"
    convert = _help("convert")
    assert f"--read FORMAT the format of the input: {names}" in convert
    assert f"--write FORMAT the format to write: {names}" in convert
    assert f"--format FORMAT the format to validate against: {names}" in _help("validate")
    assert f"--format FORMAT the format: {names}" in _help("schema")
    assert f"rerank API payloads ({', '.join(rf.FORMATS)}; error bodies also openai)." in _help()


def _examples(help_text: str) -> list[str]:
    """The example commands at the end of a subcommand's help, continuation lines joined."""
    tail = help_text.split("\nexample:\n" if "\nexample:\n" in help_text else "\nexamples:\n")[1]
    return [line.strip() for line in tail.replace("\\\n", " ").splitlines() if line.strip()]


def test_every_subcommand_help_ends_with_examples_that_parse() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert list(commands)[:5] == ["convert", "validate", "detect", "schema", "formats"]
    for name in commands:
        result = run(name, "--help")
        examples = _examples(result.stdout.decode())
        assert examples, name
        for example in examples:
            argv = shlex.split(example)
            assert argv[:2] == ["rerank-formats", name]
            assert parser.parse_args(argv[1:]).command == name


@pytest.mark.parametrize("command", ["convert", "validate", "detect"])
def test_an_empty_stdin_is_one_clear_line(command: str) -> None:
    options = {
        "convert": ("--kind", "request", "--read", "jina", "--write", "jina"),
        "validate": ("--kind", "request", "--format", "jina"),
        "detect": (),
    }[command]
    result = run(command, *options, stdin=b"\n")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        b"",
        b"rerank-formats: stdin is empty: there is no payload to read\n",
    )


def test_an_empty_file_is_one_clear_line(tmp_path: os.PathLike[str]) -> None:
    empty = os.path.join(tmp_path, "empty.json")
    open(empty, "wb").close()
    result = run("detect", empty)
    assert (result.returncode, result.stderr) == (
        1,
        f"rerank-formats: {empty} is empty: there is no payload to read\n".encode(),
    )


def _on_a_terminal(*args: str) -> tuple[subprocess.Popen[bytes], int]:
    """The command with stdin on a pseudo-terminal, once it has said that it waits on it."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "rerank_formats", *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    os.close(terminal)
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line == (
        b"rerank-formats: reading a payload from stdin (end it with Ctrl-D), or give a FILE\n"
    )
    return process, controller


def test_stdin_on_a_terminal_says_what_it_waits_for_and_ctrl_d_ends_it() -> None:
    process, controller = _on_a_terminal("detect")
    try:
        os.write(controller, b"\x04")  # Ctrl-D: the end of the input
        stdout, stderr = process.communicate(timeout=30)
    finally:
        os.close(controller)
    assert (process.returncode, stdout, stderr) == (
        1,
        b"",
        b"rerank-formats: stdin is empty: there is no payload to read\n",
    )


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    process, controller = _on_a_terminal("validate", "--format", "jina", "--kind", "request")
    try:
        time.sleep(0.2)  # into the read
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        os.close(controller)
    assert (process.returncode, stdout, stderr) == (130, b"", b"")


def test_a_response_without_its_request_is_written_with_warnings() -> None:
    body = (
        b'{"results": [{"index": 0, "relevance_score": 0.1}, {"index": 1, "relevance_score": 0.9}]}'
    )
    result = run(
        "convert", "--kind", "response", "--read", "cohere_v2", "--write", "jina", stdin=body
    )
    assert (result.returncode, result.stdout) == (
        0,
        b'{"results":[{"index":0,"relevance_score":0.1},{"index":1,"relevance_score":0.9}]}\n',
    )
    assert result.stderr == (
        b"rerank-formats: warning: without --request, results are not sorted, cut to top_n,"
        b" checked or filled in from it\n"
        b"rerank-formats: warning: not a valid jina response: $.model: Jina's schema requires `model`\n"
        b"rerank-formats: warning: not a valid jina response: $.usage: Jina's schema requires `usage`\n"
    )


def test_formats_fits_an_80_column_terminal() -> None:
    from rerank_formats.registry import FEATURES

    assert max(len(description) for description in FEATURES.values()) <= 38
    lines = run("formats").stdout.decode().splitlines()
    assert max(len(line) for line in lines) <= 80
    # as many format columns per table as fit, each table headed by `feature`
    headers = [line.split()[1:] for line in lines if line.startswith("feature ")]
    assert [name for header in headers for name in header] == list(rf.FORMATS)
    assert all(37 + sum(1 + len(name) for name in header) <= 80 for header in headers)
    assert all(
        37 + sum(1 + len(n) for n in header) + 1 + len(following[0]) > 80
        for header, following in itertools.pairwise(headers)
    )


def test_formats_starts_a_new_table_when_the_next_format_does_not_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from rerank_formats import cli
    from rerank_formats.registry import support_matrix

    names = ("jina", "cohere_v1", "cohere_v2", "xinference", "a_long_name", "b")
    matrix = [(d, {**cells, "a_long_name": True, "b": False}) for d, cells in support_matrix()]
    monkeypatch.setattr(cli, "FORMATS", names)
    monkeypatch.setattr(cli, "support_matrix", lambda: matrix)
    out = io.StringIO()
    assert cli._formats(None, out, io.StringIO()) == 0  # type: ignore[arg-type]
    lines = out.getvalue().splitlines()
    # 37 + 35 columns for the seed formats; a_long_name (12) would make 84
    assert [line.split()[1:] for line in lines if line.startswith("feature ")] == [
        ["jina", "cohere_v1", "cohere_v2", "xinference"],
        ["a_long_name", "b"],
    ]
    second = lines[len(matrix) + 2 :]
    assert second[:2] == [
        f"{'feature':<37} a_long_name b",
        f"{'`model` in requests':<37} yes         -",
    ]
    assert max(len(line) for line in lines) <= 80


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
