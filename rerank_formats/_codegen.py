"""The checked-in files derived from the code: `docs/schemas/` and the pydantic models.

    python -m rerank_formats._codegen schemas    # docs/schemas/<format>.<kind>.json
    python -m rerank_formats._codegen pydantic   # rerank_formats/pydantic/_generated.py
    python -m rerank_formats._codegen --check    # exit 1 when either is stale

`make schemas` and `make pydantic` call it; the tests compare the checked-in files with what
it produces now, so a wire Struct changed without regenerating fails. Both loop over the
registry: a new format needs no edit here. Importing this module never imports pydantic.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi

from .formats import _cohere, _vllm, vllm_score as _vllm_score, xinference as _xinference
from .registry import ERROR_FORMATS, FORMATS, ErrorFormatName, get_codec
from .schema import _documentation, _name, json_schema
from .validation import Kind

__all__ = ["DECODER_RULES", "PYDANTIC", "main", "pydantic_source", "schema_files"]

KINDS: tuple[Kind, ...] = ("request", "response", "error")
ROOT = Path(__file__).resolve().parent.parent
PYDANTIC = Path(__file__).resolve().parent / "pydantic" / "_generated.py"
"""Where the generated pydantic models are checked in."""

DECODER_RULES: Mapping[tuple[str, str, str], Callable[[Any], object]] = {
    ("xinference", "request", "return_documents"): functools.partial(
        _xinference._check_flag, key="return_documents"
    ),
    ("xinference", "request", "return_len"): functools.partial(
        _xinference._check_flag, key="return_len"
    ),
    ("cohere_v1", "response", "meta"): functools.partial(
        _cohere.usage_from_meta, format="cohere_v1"
    ),
    ("cohere_v2", "response", "meta"): functools.partial(
        _cohere.usage_from_meta, format="cohere_v2"
    ),
    ("xinference", "response", "meta"): _xinference._usage,
    # field "": a rule of the whole payload (a pydantic `model_validator`)
    ("vllm_score", "request", ""): _vllm_score.pair_of,
    ("vllm", "error", ""): _vllm.error_shape,
    ("vllm_score", "error", ""): _vllm.error_shape,
}
"""The checks the decoders make beyond the wire types (in each format's `*_to_canonical`), by
(format, kind, top-level field, or "" for the whole payload). Each calls the decoder's own function: the rule lives there;
the pydantic models apply it as an `AfterValidator`."""

_PREFIXES = {"openai": "OpenAI"}  # otherwise the format's name in CamelCase


def pairs() -> Iterator[tuple[ErrorFormatName, Kind]]:
    """Every (format, kind) with a codec, in registry order within each kind."""
    for kind in KINDS:
        for name in ERROR_FORMATS if kind == "error" else FORMATS:
            yield name, kind


def schema_files() -> dict[Path, str]:
    """The JSON Schema of every format and kind, by its path under docs/schemas/."""
    return {
        ROOT / "docs" / "schemas" / f"{name}.{kind}.json": msgspec.json.format(
            msgspec.json.encode(json_schema(format=name, kind=kind)), indent=2
        ).decode()
        + "\n"
        for name, kind in pairs()
    }


def _prefix(format: str) -> str:
    return _PREFIXES.get(format) or "".join(p[:1].upper() + p[1:] for p in format.split("_"))


def _kwargs(**values: object) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in values.items() if value is not None)


class _Writer:
    """The source of one format's models: one class per wire Struct, dependencies first."""

    def __init__(self, format: str) -> None:
        self.format = format
        self.prefix = _prefix(format)
        self.classes: list[str] = []
        self.names: dict[str, str] = {}  # wire Struct name -> class name
        self._written: dict[Any, str] = {}

    def root(self, kind: str) -> str:
        codec = get_codec(self.format, kind)
        return self.root_of(codec.general, kind, codec.nested_fields)

    def root_of(self, wire: Any, kind: str, nested: frozenset[str]) -> str:
        """The class of a payload whose wire type is `wire`: a JSON object (a Struct), or a
        bare JSON array of result Structs (a `RootModel`, named after the kind)."""
        info = mi.type_info(wire)
        if isinstance(info, mi.StructType):
            return self._struct(info, kind, nested, root=True)
        item = getattr(info, "item_type", None)
        if isinstance(info, (mi.ListType, mi.VarTupleType)) and isinstance(item, mi.StructType):
            items = self._struct(item, kind, nested)
            class_name = self.prefix + kind.capitalize()
            summary = f"The {self.format} {kind}: a JSON array of results."
            self.names[kind.capitalize()] = class_name
            self.classes.append(
                f"class {class_name}(RootModel[list[{items}]]):\n    {_docstring(summary)}\n"
            )
            return class_name
        raise TypeError(f"{self.format} {kind}: no pydantic model for the wire type {wire!r}")

    def _struct(
        self, info: mi.StructType, kind: str, nested: frozenset[str], *, root: bool = False
    ) -> str:
        written = self._written.get(info.cls)
        if written is not None:
            return written
        name = _name(info.cls)
        if name in self.names:
            raise TypeError(f"{self.format} has two wire Structs named {name}")
        summary, attributes = _documentation(info.cls)
        lines: list[str] = []
        for field in info.fields:
            if field.encode_name != field.name or field.name.startswith("model_"):
                raise TypeError(f"{name}.{field.name} cannot be a pydantic field of that name")
            annotation = self._type(field.type, kind, nested)
            if root and (self.format, kind, field.name) in DECODER_RULES:
                annotation = (
                    f"Annotated[{annotation}, ruled({self.format!r}, {kind!r}, {field.name!r})]"
                )
            description = attributes.get(field.name)
            if field.required:
                value = f"Field({_kwargs(description=description)})"
            else:
                annotation = f"Absent[{annotation}]"
                value = f"Field(default=None, {_kwargs(description=description)}, json_schema_extra=absent)"
                value = value.replace(", , ", ", ")
            lines.append(f"    {field.name}: {annotation} = {value}")
        if root and (self.format, kind, "") in DECODER_RULES:
            lines.append(f"    whole_payload = whole({self.format!r}, {kind!r})")
        keys = frozenset(f.encode_name for f in info.fields)
        if root or (nested and keys == nested):  # the decoder sets unknown keys aside
            base = "Open"
        else:
            base = "Closed" if info.forbid_unknown_fields else "Ignoring"
        class_name = self.prefix + name
        self.names[name] = self._written[info.cls] = class_name
        body = "\n".join([f"    {_docstring(summary)}\n" if summary else "    pass", *lines])
        self.classes.append(f"class {class_name}({base}):\n{body}\n")
        return class_name

    def _type(self, t: mi.Type, kind: str, nested: frozenset[str]) -> str:
        if isinstance(t, mi.StrType):
            bounds = _kwargs(min_length=t.min_length, max_length=t.max_length, pattern=t.pattern)
            return f"Annotated[str, Strict(){', Field(' + bounds + ')' if bounds else ''}]"
        if isinstance(t, (mi.IntType, mi.FloatType)):
            number = "int" if isinstance(t, mi.IntType) else "float"
            bounds = _kwargs(gt=t.gt, ge=t.ge, lt=t.lt, le=t.le, multiple_of=t.multiple_of)
            return f"Annotated[{number}, Strict(){', Field(' + bounds + ')' if bounds else ''}]"
        if isinstance(t, mi.BoolType):
            return "Annotated[bool, Strict()]"
        if isinstance(t, mi.NoneType):
            return "None"
        if isinstance(t, mi.LiteralType):  # strict: pydantic matches literals by equality
            return f"Literal[{', '.join(map(repr, t.values))}]"
        if isinstance(t, (mi.ListType, mi.VarTupleType)):
            item = self._type(t.item_type, kind, nested)
            bounds = _kwargs(min_length=t.min_length, max_length=t.max_length)
            return f"Annotated[list[{item}], Field({bounds})]" if bounds else f"list[{item}]"
        if isinstance(t, mi.DictType):
            key = self._type(t.key_type, kind, nested)
            value = self._type(t.value_type, kind, nested)
            bounds = _kwargs(min_length=t.min_length, max_length=t.max_length)
            pair = f"dict[{key}, {value}]"
            return f"Annotated[{pair}, Field({bounds})]" if bounds else pair
        if isinstance(t, mi.StructType):
            return self._struct(t, kind, nested)
        if isinstance(t, mi.UnionType):
            return " | ".join(self._type(member, kind, nested) for member in t.types)
        if isinstance(t, mi.LiteralType):  # an enumeration (Bedrock's `type: "TEXT"`)
            return f"Literal[{', '.join(repr(value) for value in t.values)}]"
        if isinstance(t, mi.AnyType) or (isinstance(t, mi.CustomType) and t.cls is object):
            return "Annotated[Any, AfterValidator(finite)]"
        raise TypeError(f"{self.format}: no pydantic type for {t!r}")


def _docstring(text: str) -> str:
    plain = '"""' not in text and "\\" not in text and not text.endswith('"')
    return f'"""{text}"""' if plain else repr(text)


_HEADER = '''"""The pydantic models of every format, generated from the wire Structs: do not edit.

`make pydantic` (`python -m rerank_formats._codegen pydantic`) writes this file from the
registry and the Structs the decoders use; tests/test_pydantic.py checks that it is current.
"""

# ruff: noqa: F401, N801, N815, RUF100

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, Field, RootModel, Strict

from ._support import Absent, Closed, Ignoring, Namespace, Open, absent, finite, ruled, whole
'''


def pydantic_source() -> str:
    """The source of `rerank_formats/pydantic/_generated.py`, from the registry and Structs."""
    classes: list[str] = []
    namespaces: list[str] = []
    roots: list[str] = []
    for format in ERROR_FORMATS:
        writer = _Writer(format)
        for kind in KINDS if format in FORMATS else ("error",):
            roots.append(f'    ("{format}", "{kind}"): {writer.root(kind)},')
        classes += writer.classes
        members = "\n".join(
            f"    {name}: TypeAlias = {writer.names[name]}" for name in sorted(writer.names)
        )

        namespaces.append(
            f"class {format}(Namespace):\n"
            f'    """The models of the `{format}` format, by their wire Struct\'s name."""\n\n'
            f"{members}\n"
        )
    names = sorted(ERROR_FORMATS)
    return "\n\n\n".join(
        [
            _HEADER.rstrip("\n") + "\n\n__all__ = " + repr(["ROOTS", *names]).replace("'", '"'),
            *(c.rstrip("\n") for c in classes),
            *(n.rstrip("\n") for n in namespaces),
            "ROOTS: dict[tuple[str, str], type[BaseModel]] = {\n"
            + "\n".join(roots).rstrip()
            + "\n}\n"
            '"""The model of each (format, kind): what `model(format, kind)` returns."""\n',
        ]
    )


def _files(what: Sequence[str]) -> dict[Path, str]:
    files: dict[Path, str] = {}
    if "schemas" in what:
        files |= schema_files()
    if "pydantic" in what:
        files[PYDANTIC] = pydantic_source()
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or, with `--check`, compare) the generated files; 1 when `--check` finds one stale."""
    parser = argparse.ArgumentParser(prog="python -m rerank_formats._codegen")
    parser.add_argument("what", nargs="*", help="schemas, pydantic (default: both)")
    parser.add_argument("--check", action="store_true", help="only say which files are stale")
    args = parser.parse_args(argv)
    unknown = set(args.what) - {"schemas", "pydantic"}
    if unknown:
        parser.error(f"unknown target: {', '.join(sorted(unknown))}")
    files = _files(args.what or ["schemas", "pydantic"])
    stale = [p for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
