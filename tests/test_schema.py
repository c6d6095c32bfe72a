"""json_schema(): the schema of every format and kind, checked against real payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT, load_json, recorded
from jsonschema import Draft202012Validator

import rerank_formats as rf
from rerank_formats._codegen import main as codegen_main, schema_files

SCHEMAS = ROOT / "docs" / "schemas"
PAIRS = [
    (f, k)
    for k in ("request", "response", "error")
    for f in rf.ERROR_FORMATS
    if k == "error" or f != "openai"
]
REJECTED = {  # v2 took {text} objects until late 2024 (HISTORICAL); today's v2 takes strings
    "cohere_v2/openapi-2024-10-legacy-object-docs-request.json": [
        f"$.documents[{i}]" for i in range(5)
    ]
}


@pytest.mark.parametrize(("fmt", "kind"), PAIRS, ids=[f"{f}.{k}" for f, k in PAIRS])
def test_checked_in_schemas_are_what_the_code_produces(fmt: str, kind: str) -> None:
    assert load_json(SCHEMAS / f"{fmt}.{kind}.json") == rf.json_schema(format=fmt, kind=kind)


def test_make_schemas_writes_one_file_per_registered_format_and_kind() -> None:
    """`make schemas` (`python -m rerank_formats._codegen schemas`) loops over the registry."""
    assert sorted(path.name for path in schema_files()) == sorted(f"{f}.{k}.json" for f, k in PAIRS)
    assert codegen_main(["schemas", "--check"]) == 0


def test_there_is_one_checked_in_schema_per_format_and_kind() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(
        f"{f}.{k}.json" for f, k in PAIRS
    )


@pytest.mark.parametrize(("fmt", "kind"), PAIRS, ids=[f"{f}.{k}" for f, k in PAIRS])
def test_schemas_are_valid_2020_12_with_a_description_for_every_field(fmt: str, kind: str) -> None:
    schema = rf.json_schema(format=fmt, kind=kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name, definition in schema["$defs"].items():
        assert definition["description"], name
        for field, property_schema in definition["properties"].items():
            assert property_schema.get("description"), f"{name}.{field}"


@pytest.mark.parametrize(
    ("fmt", "kind", "path"),
    list(recorded("request", "response", "error")),
    ids=lambda v: getattr(v, "name", v),
)
def test_every_recorded_payload_validates_against_its_schema(
    fmt: str, kind: str, path: Path
) -> None:
    validator = Draft202012Validator(rf.json_schema(format=fmt, kind=kind))
    errors = sorted(e.json_path for e in validator.iter_errors(json.loads(path.read_bytes())))
    assert errors == REJECTED.get(f"{fmt}/{path.name}", [])


def test_cohere_requests_refuse_unknown_keys_and_others_allow_them() -> None:
    body = {"model": "m", "query": "q", "documents": ["a"], "top_k": 3}
    closed = Draft202012Validator(rf.json_schema(format="cohere_v2", kind="request"))
    opened = Draft202012Validator(rf.json_schema(format="xinference", kind="request"))
    assert [e.message for e in closed.iter_errors(body)] == [
        "Additional properties are not allowed ('top_k' was unexpected)"
    ]
    assert list(opened.iter_errors(body)) == []


def test_the_description_reads_well_for_every_format() -> None:
    assert rf.json_schema(format="openai", kind="error")["description"] == (
        "A rerank error body in the openai format, as rerank_formats reads it."
    )
    assert rf.json_schema(format="cohere_v2", kind="request")["description"] == (
        "A rerank request body in the cohere_v2 format, as rerank_formats reads it."
    )
