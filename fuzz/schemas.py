"""Schema-driven generation: payloads drawn from the checked-in JSON Schemas (docs/schemas,
what the library reads) and the providers' published OpenAPI documents (fixtures/specs,
what the providers say they take and send).

hypothesis-jsonschema was the first choice; 0.23.1 (its latest release) calls
`hypothesis.internal.conjecture.utils.many.more()`, which Hypothesis 6.1xx replaced by
iteration, so every object schema fails with `AttributeError` under the locked Hypothesis.
This module reads the subset of JSON Schema those documents use (types, properties,
required, additionalProperties, items, anyOf/oneOf/allOf, $ref, enum, const, numeric and
length bounds, OpenAPI's nullable) and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
SPECS = ROOT / "fixtures" / "specs"

_JSON = "application/json"
_DEPTH = 6  # how deep a generated payload may nest through $ref and nested schemas


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.lstrip("#/").split("/") if pointer.strip("#/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def from_schema(schema: Any, document: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """A strategy for values of `schema` (whose `$ref`s point into `document`)."""
    if schema is True or schema == {}:
        return _any(depth)
    if schema is False or not isinstance(schema, Mapping) or depth > _DEPTH:
        return st.none()
    if "$ref" in schema:
        return st.deferred(
            lambda: from_schema(_pointer(document, schema["$ref"]), document, depth + 1)
        )
    combined = _combined(schema, document, depth)
    if combined is not None:
        return combined
    types = schema.get("type")
    if types is None:
        types = ["object"] if "properties" in schema else ["array"] if "items" in schema else None
    if types is None:
        return _any(depth)
    if isinstance(types, str):
        types = [types]
    strategies = [_typed(t, schema, document, depth) for t in types]
    if schema.get("nullable"):
        strategies.append(st.none())
    return st.one_of(*strategies)


def _combined(schema: Mapping[str, Any], document: Any, depth: int) -> Any:
    """The strategy for const, enum, anyOf, oneOf and allOf, or None."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            rest = {k: v for k, v in schema.items() if k != key}
            return st.one_of(
                *(from_schema({**rest, **option}, document, depth + 1) for option in schema[key])
            )
    if "allOf" in schema:
        return from_schema(_merged(schema, document), document, depth + 1)
    return None


def _merged(schema: Mapping[str, Any], document: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        part = _pointer(document, part["$ref"]) if "$ref" in part else part
        properties = {**merged.get("properties", {}), **part.get("properties", {})}
        required = [*merged.get("required", []), *part.get("required", [])]
        merged = {**merged, **part, "properties": properties, "required": required}
    return merged


def _typed(kind: str, schema: Mapping[str, Any], document: Any, depth: int) -> Any:
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        return st.floats(
            schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False
        )
    if kind == "string":
        return st.text(
            min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 30), 30)
        )
    if kind == "array":
        items = from_schema(schema.get("items", True), document, depth + 1)
        low = schema.get("minItems", 0)
        return st.lists(items, min_size=low, max_size=max(low, min(schema.get("maxItems", 5), 5)))
    return _object(schema, document, depth)


def _object(schema: Mapping[str, Any], document: Any, depth: int) -> Any:
    properties = schema.get("properties", {})
    required = [key for key in schema.get("required", []) if key in properties]
    optional = {key: value for key, value in properties.items() if key not in required}
    extra = schema.get("additionalProperties", True)
    fixed = st.fixed_dictionaries(
        {key: from_schema(properties[key], document, depth + 1) for key in required},
        optional={key: from_schema(value, document, depth + 1) for key, value in optional.items()},
    )
    if extra is False:
        return fixed
    more = st.dictionaries(
        st.text(max_size=12).filter(lambda key: key not in properties),
        from_schema(extra, document, depth + 1),
        max_size=2,
    )
    return st.tuples(fixed, more).map(lambda pair: {**pair[1], **pair[0]})


def _any(depth: int) -> Any:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    if depth > _DEPTH:
        return scalars
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=6,
    )


def _openapi_bodies(document: Mapping[str, Any]) -> list[Any]:
    """The request body and success response schemas of every path in an OpenAPI document."""
    found = []
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, Mapping):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get(_JSON, {})
            if "schema" in body:
                found.append(body["schema"])
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get(_JSON, {})
                if str(status).startswith(("2", "4", "5")) and "schema" in content:
                    found.append(content["schema"])
    return found


def schema_strategies() -> list[tuple[str, st.SearchStrategy[Any]]]:
    """(source, strategy) for every checked-in schema and every body of every spec."""
    strategies = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text())
        strategies.append((f"docs/schemas/{path.name}", from_schema(schema, schema)))
    for path in sorted(SPECS.glob("*.json")):
        document = json.loads(path.read_text())
        for i, schema in enumerate(_openapi_bodies(document)):
            strategies.append((f"fixtures/specs/{path.name}#{i}", from_schema(schema, document)))
    return strategies


def schema_payloads() -> st.SearchStrategy[Any]:
    """A payload drawn from one of the schemas, as parsed JSON."""
    return st.one_of(*(strategy for _, strategy in schema_strategies()))
