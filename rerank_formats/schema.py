"""JSON Schema for every format and kind, from the wire Structs the decoders use.

The schema describes what a format's payload may hold, as this library reads it: the same
definitions as the decoders (`msgspec.json.schema_components` over the wire Structs), with
every description taken from the Structs' own documentation (the summary line and the
`Attributes:` section of their docstrings). Unknown keys are allowed, except where the
provider refuses them (Cohere requests).
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import msgspec
import msgspec.inspect as mi

from .registry import ErrorFormatName, get_codec, get_error_format

__all__ = ["SCHEMA_DIALECT", "json_schema"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect `json_schema` writes."""

_ENTRY = re.compile(r"^(?P<name>\w+): (?P<text>.*)$")


def json_schema(*, format: ErrorFormatName, kind: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a format's request, response or error body.

    Args:
        format: the format (`"openai"` too, for `kind="error"`).
        kind: `"request"`, `"response"` or `"error"`.

    Raises:
        UnknownFormatError: `format` is not registered.
        RerankFormatError: `kind` is not one of the three.

    Examples:
        >>> import rerank_formats as rf
        >>> schema = rf.json_schema(format="cohere_v2", kind="request")
        >>> schema["$defs"]["Request"]["required"]
        ['model', 'query', 'documents']
        >>> schema["$defs"]["Request"]["properties"]["priority"]["description"]
        'Scheduling priority, 0 (the default, first) to 999.'
    """
    codec = get_codec(format, kind)
    module = get_error_format(format)
    (root,), components = msgspec.json.schema_components(
        [codec.general], schema_hook=_any, ref_template="#/$defs/{name}"
    )
    classes = {_title(cls): cls for cls in _structs(codec.general)}
    closed = module.UNKNOWN_FIELDS.get(kind) == "error"
    names = {key: _name(classes[value["title"]]) for key, value in components.items()}
    definitions = {
        names[key]: _describe(value, classes[value["title"]], closed)
        for key, value in components.items()
    }
    schema = {
        "$schema": SCHEMA_DIALECT,
        "title": f"{module.NAME} {kind}",
        "description": f"A rerank {kind} body in the {module.NAME} format, as rerank_formats"
        " reads it.",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }
    renamed: dict[str, Any] = _renamed(schema, names)
    return renamed


def _any(t: type) -> dict[str, Any]:
    if t is object:  # a field that takes any JSON value (`meta`, an echoed `input`)
        return {"description": "Any JSON value."}
    raise NotImplementedError(t)


def _structs(t: Any) -> list[Any]:
    found: list[Any] = []

    def collect(info: mi.Type) -> None:
        if isinstance(info, mi.StructType):
            if info.cls not in found:
                found.append(info.cls)
                for field in info.fields:
                    collect(field.type)
        elif isinstance(info, (mi.ListType, mi.VarTupleType)):
            collect(info.item_type)
        elif isinstance(info, mi.DictType):
            collect(info.value_type)
        elif isinstance(info, mi.UnionType):
            for member in info.types:
                collect(member)

    collect(mi.type_info(t))
    return found


def _name(cls: Any) -> str:
    return str(getattr(cls, "__origin__", cls).__name__)


def _title(cls: Any) -> str:
    """The title msgspec gives a Struct's schema (`Request[str | dict[str, str]]`)."""
    if hasattr(cls, "__origin__"):
        arguments = ", ".join(a.__name__ if isinstance(a, type) else repr(a) for a in cls.__args__)
        return f"{cls.__origin__.__name__}[{arguments}]"
    return str(cls.__name__)


def _documentation(cls: Any) -> tuple[str, dict[str, str]]:
    doc = inspect.cleandoc(getattr(cls, "__origin__", cls).__doc__ or "")
    summary, _, rest = doc.partition("\n\n")
    attributes: dict[str, str] = {}
    name = ""
    for line in rest.partition("Attributes:")[2].splitlines():
        entry = _ENTRY.match(line.strip())
        if entry and line.startswith("    ") and not line.startswith("        "):
            name = entry["name"]
            attributes[name] = entry["text"]
        elif name and line.strip():
            attributes[name] += " " + line.strip()
    return " ".join(summary.split()), attributes


def _describe(schema: dict[str, Any], cls: Any, closed: bool) -> dict[str, Any]:
    summary, attributes = _documentation(cls)
    schema = {**schema, "title": _name(cls), "description": summary}
    schema["properties"] = {
        key: {**value, "description": attributes[key]} if key in attributes else value
        for key, value in schema.get("properties", {}).items()
    }
    if not closed:
        schema.pop("additionalProperties", None)
    return schema


def _renamed(schema: Any, names: dict[str, str]) -> Any:
    """`schema` with msgspec's component names (`Request_str___dict_str__str__`) replaced by
    the class names (`Request`) in every `$ref`, and `null` last in every `anyOf` (msgspec
    0.22 moved it there; earlier releases put it first): the output is the same whichever
    msgspec is installed."""
    if isinstance(schema, dict):
        renamed = {
            key: f"#/$defs/{names[value.rpartition('/')[2]]}"
            if key == "$ref"
            else _renamed(value, names)
            for key, value in schema.items()
        }
        members = renamed.get("anyOf")
        if isinstance(members, list):
            members.sort(key=lambda member: member == {"type": "null"})
        return renamed
    if isinstance(schema, list):
        return [_renamed(item, names) for item in schema]
    return schema
