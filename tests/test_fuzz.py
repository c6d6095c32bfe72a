"""The bounded fuzz run of `make test` (`make fuzz` runs a long one): hostile input into every
entry point lets out nothing but the library's own errors, each with a JSON path and a
message within its bound. Both generators run: Hypothesis (with schema-driven payloads) and
atheris (coverage-guided, a few seconds)."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from helpers import ROOT
from hypothesis import HealthCheck, given, settings, strategies as st

import rerank_formats as rf
from rerank_formats import testing

sys.path.insert(0, str(ROOT))
from fuzz import MESSAGE_BOUND, attempt, entry_points, inputs
from fuzz.__main__ import atheris_campaign
from fuzz.schemas import schema_strategies

CALLS = entry_points()
MIB = 1024 * 1024


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(body=inputs(), which=st.integers(0, len(CALLS) - 1))
def test_nothing_escapes(body: Any, which: int) -> None:
    name, call = CALLS[which]
    attempt(name, call, body)


def _hostile() -> list[tuple[str, bytes]]:
    documents = b",".join([b'"doc"'] * 10_000)
    return [
        ("NaN", b'{"results": [{"index": 0, "relevance_score": NaN}]}'),
        ("Infinity", b'{"model": "m", "query": "q", "documents": ["a"], "top_n": Infinity}'),
        ("1e309", b'{"results": [{"index": 0, "relevance_score": 1e309}]}'),
        (
            "huge int",
            b'{"results": [{"index": 123456789012345678901234567890, "relevance_score": 1}]}',
        ),
        (
            "negative int",
            b'{"model": "m", "query": "q", "documents": ["a"], "top_n": -9223372036854775809}',
        ),
        ("invalid UTF-8", b'{"model": "m", "query": "\xff\xfe", "documents": ["a"]}'),
        ("lone surrogate", b'{"model": "m", "query": "\\ud800", "documents": ["a"]}'),
        ("duplicated keys", b'{"model": "m", "model": 5, "query": "q", "documents": ["a"]}'),
        (
            "null everywhere",
            b'{"model": null, "query": null, "documents": [null], "results": [null], "detail": null, "message": null, "error": null}',
        ),
        (
            "a long string",
            b'{"model": "m", "query": "' + b"q" * (2 * MIB) + b'", "documents": ["a"]}',
        ),
        ("10,000 documents", b'{"model": "m", "query": "q", "documents": [' + documents + b"]}"),
        ("nesting 100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        (
            "nesting 100,000 deep in meta",
            b'{"results": [], "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ),
        ("empty", b""),
        ("whitespace", b" \n "),
    ]


@pytest.mark.parametrize(("label", "body"), _hostile(), ids=[label for label, _ in _hostile()])
def test_hostile_inputs_into_every_entry_point(label: str, body: bytes) -> None:
    for name, call in CALLS:
        attempt(name, call, body)


# Bugs the fuzzer found, each a regression case: (input, entry point, DecodeError type and path).
REGRESSIONS = [
    # invalid UTF-8 inside a string escaped as UnicodeDecodeError from msgspec
    (b'{"model": "m", "query": "\xff", "documents": ["a"]}', "jina", "invalid_json", "$"),
    # nesting beyond the interpreter's recursion limit escaped as RecursionError
    (b"[" * 5000 + b"]" * 5000, "cohere_v2", "too_deep", "$"),
    (
        b'{"results": [], "meta": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
        "cohere_v1",
        "too_deep",
        "$",
    ),
]


@pytest.mark.parametrize(("body", "fmt", "type_", "path"), REGRESSIONS)
def test_regressions(body: bytes, fmt: str, type_: str, path: str) -> None:
    decode = (
        rf.decode_response if b"results" in body or body.startswith(b"[") else rf.decode_request
    )
    with pytest.raises(rf.DecodeError) as info:
        decode(body, format=fmt)
    assert (info.value.type, info.value.path) == (type_, path)
    assert rf.decode_error(body, format=fmt).status == 500


PAIRS = [(f, g) for f in rf.FORMATS for g in rf.FORMATS]


@pytest.mark.parametrize(("read", "write"), PAIRS, ids=[f"{f}->{g}" for f, g in PAIRS])
@settings(max_examples=50)
@given(data=st.data())
def test_valid_input_converts_or_reports_a_loss(read: str, write: str, data: st.DataObject) -> None:
    """Conversions of valid input raise nothing but LossyConversionError under "raise"."""
    client = data.draw(testing.requests(write))
    request = rf.decode_request(client, format=write)
    for call in (
        lambda: rf.convert_request(data.draw(testing.requests(read)), read=read, write=write),
        lambda: rf.convert_response(
            data.draw(testing.responses(read, request=request)),
            read=read,
            write=write,
            request=request,
        ),
    ):
        try:
            call()
        except rf.LossyConversionError as error:
            assert error.losses


@pytest.mark.skipif(sys.version_info < (3, 11), reason="atheris ships wheels for 3.11 and later")
def test_a_short_coverage_guided_run_finds_nothing() -> None:
    """atheris for a few seconds (`make fuzz` runs it for minutes); the development
    environment has it (the `fuzz` group), the lowest-version one does not."""
    pytest.importorskip("atheris")
    report = atheris_campaign(seconds=3)
    assert (report["escaped"], report["escapes"]) == (0, [])
    assert int(report["inputs"]) > 1000  # type: ignore[call-overload]
    assert 0 < int(report["longest"]) <= MESSAGE_BOUND  # type: ignore[call-overload]


def test_every_schema_and_spec_body_feeds_the_generator() -> None:
    """Every registered format's request, response and error schema, every error format's
    error schema, and a body of every published spec in fixtures/specs/: derived from the
    registry and the folder, so a new format or spec is fuzzed with no edit here."""
    sources = [source for source, _ in schema_strategies()]
    schemas = {
        f"docs/schemas/{fmt}.{kind}.json" for fmt in rf.FORMATS for kind in ("request", "response")
    } | {f"docs/schemas/{fmt}.error.json" for fmt in rf.ERROR_FORMATS}
    assert sorted(s for s in sources if s.startswith("docs/schemas/")) == sorted(schemas)
    specs = {f"fixtures/specs/{path.name}" for path in (ROOT / "fixtures/specs").glob("*.json")}
    assert len(specs) >= 4
    assert {s.split("#")[0] for s in sources if s.startswith("fixtures/specs/")} == specs


@settings(max_examples=100, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_schema_payloads_reach_every_entry_point(data: st.DataObject) -> None:
    _, strategy = data.draw(st.sampled_from(schema_strategies()))
    payload = data.draw(strategy)
    name, call = data.draw(st.sampled_from(CALLS))
    attempt(name, call, payload)
