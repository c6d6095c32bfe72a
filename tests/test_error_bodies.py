"""Error bodies: decode, encode and convert provider error responses."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from case_table import Case, cases, position
from helpers import RECORDED, load_json, native_error
from hypothesis import given, strategies as st
from strategies import json_values

import rerank_formats as rf
from rerank_formats.convert import map_status
from rerank_formats.registry import get_error_format

ERROR_CASES = cases("error")
MANIFEST = load_json(RECORDED / "manifest.json")
RECORDED_ERRORS = [(name, entry) for name, entry in MANIFEST.items() if entry["kind"] == "error"]


def _cases(direction: str) -> list[Any]:
    return [
        pytest.param(case, fmt, id=f"{case.name}/{fmt}/{direction}")
        for case in ERROR_CASES
        for fmt in rf.ERROR_FORMATS
    ]


@pytest.mark.parametrize(("case", "fmt"), _cases("write"))
def test_write(case: Case, fmt: str) -> None:
    entry = position(fmt, case)
    status, body = rf.encode_error(native_error(case.canonical), format=fmt)
    assert (status, json.loads(body)) == (entry["status"], entry["body"])


@pytest.mark.parametrize(("case", "fmt"), _cases("read"))
def test_read(case: Case, fmt: str) -> None:
    entry = position(fmt, case)
    wire = json.dumps(entry["body"]).encode()
    decoded = rf.decode_error(wire, format=fmt, status=entry["status"])
    status, body = rf.encode_error(decoded, format=fmt)
    assert (status, json.loads(body)) == (entry["status"], entry["body"])
    assert decoded.status == entry["status"]


def test_the_error_table_is_large_enough() -> None:
    assert len(ERROR_CASES) >= 10  # every error format's position on each: test_cases.py


@pytest.mark.parametrize(("name", "entry"), RECORDED_ERRORS, ids=[n for n, _ in RECORDED_ERRORS])
def test_recorded_error_bodies_round_trip_and_convert(name: str, entry: dict[str, Any]) -> None:
    fmt = name.split("/")[0]
    data = (RECORDED / name).read_bytes()
    error = rf.decode_error(data, format=fmt, status=entry["status"])
    assert not error.message.startswith("unrecognised")
    status, body = rf.encode_error(error, format=fmt)
    assert json.loads(body) == json.loads(data)
    assert status == (entry["status"] or 500)
    for other in rf.ERROR_FORMATS:
        status, body = rf.convert_error(data, read=fmt, write=other, status=entry["status"])
        assert rf.decode_error(body, format=other, status=status).message == error.message


# Each recorded body, decoded: the canonical error, exactly. The expected value is stored
# with the fixture (its manifest entry's `decoded`), so a new recorded error brings its own;
# a body recorded without a status decodes to 500, as any body without one.
@pytest.mark.parametrize(("name", "entry"), RECORDED_ERRORS, ids=[n for n, _ in RECORDED_ERRORS])
def test_recorded_error_bodies_decode_exactly(name: str, entry: dict[str, Any]) -> None:
    fmt = name.split("/")[0]
    expected = msgspec.convert(entry["decoded"], rf.RerankError)
    data = (RECORDED / name).read_bytes()
    assert rf.decode_error(data, format=fmt, status=entry["status"]) == expected


def test_every_recorded_error_states_its_decode() -> None:
    assert RECORDED_ERRORS
    assert [n for n, entry in RECORDED_ERRORS if "decoded" not in entry] == []
    assert {n for n, e in MANIFEST.items() if "decoded" in e} == {n for n, _ in RECORDED_ERRORS}


def test_the_xinference_actor_address_is_not_sent_to_other_formats() -> None:
    data = (RECORDED / "xinference/error-inference-4679.json").read_bytes()
    for fmt in ("jina", "cohere_v1", "cohere_v2", "openai"):
        assert b"address=" not in rf.convert_error(data, read="xinference", write=fmt)[1]


PLAIN_TEXT = [
    (
        "xinference",
        b"Internal Server Error: 1 validation error for RerankRequest\ndocuments -> 0\n  str type expected",
        "text/plain; charset=utf-8",
        None,
        rf.RerankError(
            status=500,
            message="1 validation error for RerankRequest\ndocuments -> 0\n  str type expected",
        ),
    ),
    (
        "xinference",
        b"Access denied for IP: 10.0.0.7",
        "text/plain",
        None,
        rf.RerankError(status=403, message="Access denied for IP: 10.0.0.7"),
    ),
    (
        "cohere_v1",
        b"<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>",
        "text/html",
        403,
        rf.RerankError(
            status=403,
            message="unrecognised cohere_v1 error body (an HTML page): <html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></bo…",
        ),
    ),
    (
        "jina",
        b"",
        None,
        502,
        rf.RerankError(status=502, message="unrecognised jina error body: empty"),
    ),
    (
        "jina",
        None,
        None,
        None,
        rf.RerankError(status=500, message="unrecognised jina error body: empty"),
    ),
    (
        "cohere_v2",
        b'{"message": "truncated',
        "application/json",
        500,
        rf.RerankError(
            status=500,
            message='unrecognised cohere_v2 error body (not JSON): {"message": "truncated',
        ),
    ),
    (
        "jina",
        b'{"detail": {"error": "DeepInfra nests it"}}',
        "application/json",
        400,
        rf.RerankError(
            status=400,
            message='unrecognised jina error body (JSON in no known error shape): {"detail": {"error": "DeepInfra nests it"}}',
        ),
    ),
    (
        "jina",
        b'{"message": "a Cohere body reached a Jina client"}',
        "application/json",
        400,
        rf.RerankError(status=400, message="a Cohere body reached a Jina client"),
    ),
    (
        "jina",
        b'{"detail": [{"loc": ["body", "query"], "msg": "field required", "type": "value_error.missing"}]}',
        "application/json",
        None,
        rf.RerankError(
            status=422,
            message="Validation error",
            details=(
                rf.FieldError(
                    field="body.query", message="field required", type="value_error.missing"
                ),
            ),
            extensions={
                "jina": rf.Extension(
                    fields={
                        "detail": [
                            {
                                "loc": ["body", "query"],
                                "msg": "field required",
                                "type": "value_error.missing",
                            }
                        ]
                    }
                )
            },
        ),
    ),
]


@pytest.mark.parametrize(("fmt", "body", "content_type", "status", "expected"), PLAIN_TEXT)
def test_other_bodies_decode_to_one_line_errors(
    fmt: str,
    body: bytes | None,
    content_type: str | None,
    status: int | None,
    expected: rf.RerankError,
) -> None:
    assert rf.decode_error(body, format=fmt, status=status, content_type=content_type) == expected


def test_a_xinference_text_500_in_the_cohere_and_jina_shapes() -> None:
    body = b"Internal Server Error: [address=0.0.0.0:3958, pid=7] Model not found"
    assert rf.convert_error(
        body, read="xinference", write="cohere_v2", content_type="text/plain"
    ) == (
        500,
        b'{"message":"Model not found"}',
    )
    assert rf.convert_error(body, read="xinference", write="jina", status=500) == (
        500,
        b'{"detail":"Model not found"}',
    )


# The status table (docs/errors.md, computed there with `map_status`): every row, by format.
STATUSES = (400, 401, 402, 403, 404, 409, 422, 429, 498, 499, 500, 501, 502, 503, 504, 418)
STATUS_COLUMNS = {
    "jina": (400, 401, 403, 403, 404, 409, 422, 429, 400, 400, 500, 500, 500, 503, 504, 400),
    "cohere_v1": (400, 401, 403, 403, 404, 400, 422, 429, 498, 499, 500, 501, 500, 503, 504, 400),
    "cohere_v2": (400, 401, 403, 403, 404, 400, 422, 429, 498, 499, 500, 501, 500, 503, 504, 400),
    "xinference": (400, 401, 403, 403, 404, 400, 500, 429, 400, 400, 500, 500, 500, 503, 500, 400),
    "openai": STATUSES,  # a gateway passes every status through
}


@pytest.mark.parametrize(("fmt", "expected"), STATUS_COLUMNS.items())
def test_status_table(fmt: str, expected: tuple[int, ...]) -> None:
    assert tuple(map_status(status, get_error_format(fmt)) for status in STATUSES) == expected


def test_declared_statuses_are_kept_by_their_own_format() -> None:
    for fmt in rf.ERROR_FORMATS:
        module = get_error_format(fmt)
        assert all(map_status(s, module) == s for s in module.STATUSES), fmt


statuses = st.one_of(st.none(), st.integers(), st.sampled_from([200, 402, 418, 498, 599, 600, -1]))
content_types = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["text/html", "application/json", "text/plain"]),
)
bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=100),
    json_values().map(msgspec.json.encode),
    json_values(),
    st.builds(lambda m: {"error": m}, json_values()),
    st.builds(lambda m: {"detail": m}, json_values()),
    st.builds(lambda m: {"message": m}, json_values()),
)


@pytest.mark.parametrize("fmt", rf.ERROR_FORMATS)
@given(body=bodies, status=statuses, content_type=content_types)
def test_no_body_or_status_makes_decode_error_raise(
    fmt: str, body: object, status: object, content_type: str | None
) -> None:
    error = rf.decode_error(body, format=fmt, status=status, content_type=content_type)  # type: ignore[arg-type]
    assert 100 <= error.status <= 599
    assert "\n" not in error.message or not error.message.startswith("unrecognised")
    assert len(error.message) <= 200 or not error.message.startswith("unrecognised")
    for other in rf.ERROR_FORMATS:
        mapped, written = rf.encode_error(error, format=other)
        assert mapped in get_error_format(other).STATUSES
        assert isinstance(json.loads(written), dict)
