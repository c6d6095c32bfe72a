"""Pydantic models of every format's request, response and error bodies, for FastAPI.

Install the extra (`pip install rerank-formats[pydantic]`); importing `rerank_formats` alone
never imports pydantic.

    >>> from rerank_formats.pydantic import cohere_v2, model
    >>> cohere_v2.Request.__name__
    'CohereV2Request'
    >>> model("cohere-v2", "request") is cohere_v2.Request
    True
    >>> body = cohere_v2.Request.model_validate_json(
    ...     b'{"model": "rerank-v3.5", "query": "q", "documents": ["a"], "top_k": 1}')
    >>> body.model_extra
    {'top_k': 1}

There is one namespace per format, named and shaped like its module in
`rerank_formats.formats`: `jina`, `cohere_v1`, `cohere_v2` and `xinference` have `Request`,
`Response`, `Result` and `Error`; `openai` (the error envelope of OpenAI-style gateways) has
`Error`. Nested models have their wire Struct's name too (`jina.Usage`, `openai.Body`).
`model(format, kind)` gives the same classes by name. Models are built on first use and
named for OpenAPI after the format and the Struct: `CohereV2Request`, `JinaResult`.

The models are derived from the wire Structs the decoders use (the type
`get_codec(format, kind).general` converts into), read through `msgspec.inspect`; field
descriptions come from the Structs' `Attributes:` docstrings, as in `json_schema`. They accept
exactly the bodies that `decode_request` and `decode_response` accept, and the error bodies
that `decode_error` reads in the format's own shape:

- unknown top-level and result keys are allowed and kept in `model_extra` (the other nested
  objects are as closed as their Struct);
- types are strict: no `"1"` for an int, no `1` for a bool, an int is a float; numbers must
  be finite (JSON has no `NaN` or `Infinity`, and msgspec refuses `1e309`);
- absent and null stay apart: a field that cannot be null refuses it; an absent field reads
  as `None` but is not in `model_fields_set`, so `model_dump(exclude_unset=True)` gives the
  body back, and the decoders read that dict exactly as they read the body;
- constraints such as `index >= 0` hold, and so do the checks a decoder makes beyond the wire
  types, each by calling the decoder's own function: Xinference's `return_documents` and
  `return_len` take only pydantic v1's boolean strings; Cohere's `meta.tokens` and
  `meta.billed_units` token counts are non-negative whole numbers; Xinference's `meta.tokens`
  has a non-negative integer `input_tokens`.

Two things are the decoder's and not the models': `Limits` (body size, nesting depth, how many
documents and how long) are per-call policy, applied when the decoder reads the dump; and the
JSON parser is the caller's: `json.loads`, which FastAPI uses, accepts lone surrogate escapes
(`"\\ud800"`) that msgspec and `model_validate_json` refuse as invalid JSON, and msgspec
does not read a key its Struct ignores (inside an error envelope's object), so invalid UTF-8
there passes the decoder but not `model_validate_json`.

Type checkers see each model as `BaseModel` (they are built at run time): annotate a FastAPI
parameter with `cohere_v2.Request` and hand `body.model_dump(exclude_unset=True)` to the
decoder, which returns the typed canonical object.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union

import msgspec.inspect as mi

from ._extras import missing_extra

try:
    from pydantic import (
        AfterValidator,
        BaseModel,
        ConfigDict,
        Field,
        Strict,
        create_model,
        model_validator,
    )
    from pydantic_core import PydanticCustomError
except ImportError as error:
    raise missing_extra(error, module="pydantic", extra="pydantic") from error

from .errors import DecodeError, excerpt
from .formats import _cohere, xinference as _xinference
from .registry import ERROR_FORMATS, FORMATS, ErrorFormatName, get_codec
from .schema import _documentation, _name
from .validation import Kind

__all__ = ["cohere_v1", "cohere_v2", "jina", "model", "openai", "xinference"]

_KINDS: tuple[Kind, ...] = ("request", "response", "error")

# The checks the decoders make beyond the wire types (in each format's `*_to_canonical`),
# by (format, kind, field). Each calls the decoder's own function: the rule lives there.
_RULES: Mapping[tuple[str, str, str], Callable[[Any], object]] = {
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
}

_PREFIXES = {"openai": "OpenAI"}  # otherwise the format's name in CamelCase


def _finite(value: Any, *, where: str = "") -> Any:
    """`value`, when no number in it is infinite or NaN (the parsers of `json.loads` and
    pydantic read `NaN`, `Infinity` and `1e309`; msgspec refuses them)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise PydanticCustomError(
                "finite_number", "Input should be a finite number{where}", {"where": where}
            )
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


class _Wire(BaseModel):
    """The base of every derived model: floats are finite, in unknown keys too."""

    model_config = ConfigDict(allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _finite_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, value in data.items():
                if key not in cls.model_fields:
                    _finite(value, where=f" (in unknown key {excerpt(repr(key))})")
        return data


class _Open(_Wire):
    model_config = ConfigDict(extra="allow")


class _Closed(_Wire):
    model_config = ConfigDict(extra="forbid")


class _Ignoring(_Wire):
    model_config = ConfigDict(extra="ignore")


def _absent(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # an absent field is absent, not null


def _rule(check: Callable[[Any], object], field: str) -> AfterValidator:
    def validate(value: Any) -> Any:
        try:
            check(value)
        except DecodeError as error:
            where = "" if error.path == f"$.{field}" else f" (at {error.path})"
            raise PydanticCustomError(
                error.type, "{message}", {"message": error.message + where}
            ) from None
        return value

    return AfterValidator(validate)


class _Builder:
    """Builds the models of one format: one per wire Struct, named after both."""

    def __init__(self, format: str) -> None:
        self.format = format
        self.prefix = _PREFIXES.get(format) or "".join(
            part[:1].upper() + part[1:] for part in format.split("_")
        )
        self.models: dict[str, type[BaseModel]] = {}
        self._built: dict[Any, type[BaseModel]] = {}
        self._roots: dict[str, type[BaseModel]] = {}
        self._lock = threading.RLock()  # a model is built once, even when first used by two threads

    def root(self, kind: Kind) -> type[BaseModel]:
        built = self._roots.get(kind)
        if built is not None:
            return built
        codec = get_codec(self.format, kind)
        info = mi.type_info(codec.general)
        assert isinstance(info, mi.StructType)
        with self._lock:
            built = self._roots[kind] = self._struct(info, kind, codec.nested_fields, root=True)
        return built

    def all(self) -> dict[str, type[BaseModel]]:
        """Every model of the format, by its wire Struct's name."""
        for kind in _KINDS if self.format in FORMATS else ("error",):
            self.root(kind)
        return self.models

    def _struct(
        self, info: mi.StructType, kind: str, nested: frozenset[str], *, root: bool = False
    ) -> type[BaseModel]:
        built = self._built.get(info.cls)
        if built is not None:
            return built
        name = _name(info.cls)
        if name in self.models:
            raise TypeError(f"{self.format} has two wire Structs named {name}")
        summary, attributes = _documentation(info.cls)
        fields: dict[str, Any] = {}
        for field in info.fields:
            if field.encode_name != field.name or hasattr(BaseModel, field.name):
                raise TypeError(f"{name}.{field.name} cannot be a pydantic field of that name")
            annotation = self._type(field.type, kind, nested)
            rule = _RULES.get((self.format, kind, field.name)) if root else None
            if rule is not None:
                annotation = Annotated[annotation, _rule(rule, field.name)]
            description = attributes.get(field.name)
            if field.required:
                fields[field.name] = (annotation, Field(description=description))
            else:
                absent = Field(default=None, description=description, json_schema_extra=_absent)
                fields[field.name] = (annotation, absent)
        keys = frozenset(f.encode_name for f in info.fields)
        base: type[_Wire]
        if root or (nested and keys == nested):  # the decoder sets unknown keys aside
            base = _Open
        else:
            base = _Closed if info.forbid_unknown_fields else _Ignoring
        built = self.models[name] = self._built[info.cls] = _create(
            self.prefix + name, summary, base, fields
        )
        return built

    def _type(self, t: mi.Type, kind: str, nested: frozenset[str]) -> Any:
        if isinstance(t, mi.StrType):
            return Annotated[
                str,
                Strict(),
                Field(min_length=t.min_length, max_length=t.max_length, pattern=t.pattern),
            ]
        if isinstance(t, (mi.IntType, mi.FloatType)):
            number = int if isinstance(t, mi.IntType) else float
            bounds = Field(gt=t.gt, ge=t.ge, lt=t.lt, le=t.le, multiple_of=t.multiple_of)
            return Annotated[number, Strict(), bounds]
        if isinstance(t, mi.BoolType):
            return Annotated[bool, Strict()]
        if isinstance(t, mi.NoneType):
            return None
        if isinstance(t, (mi.ListType, mi.VarTupleType)):
            item = self._type(t.item_type, kind, nested)
            return Annotated[list[item], Field(min_length=t.min_length, max_length=t.max_length)]  # type: ignore[valid-type]
        if isinstance(t, mi.DictType):
            key = self._type(t.key_type, kind, nested)
            value = self._type(t.value_type, kind, nested)
            return Annotated[
                dict[key, value],  # type: ignore[valid-type]
                Field(min_length=t.min_length, max_length=t.max_length),
            ]
        if isinstance(t, mi.StructType):
            return self._struct(t, kind, nested)
        if isinstance(t, mi.UnionType):
            return Union[tuple(self._type(member, kind, nested) for member in t.types)]  # noqa: UP007
        if isinstance(t, mi.AnyType) or (isinstance(t, mi.CustomType) and t.cls is object):
            return Annotated[Any, AfterValidator(_finite)]
        raise TypeError(f"{self.format}: no pydantic type for {t!r}")


def _create(name: str, summary: str, base: type[_Wire], fields: dict[str, Any]) -> type[BaseModel]:
    created: type[BaseModel] = create_model(
        name, __base__=base, __module__=__name__, __doc__=summary, **fields
    )
    return created


_BUILDERS: dict[str, _Builder] = {
    name: _Builder(name) for name in ERROR_FORMATS
}  # cheap: models come on first use


def model(format: ErrorFormatName, kind: Kind) -> type[BaseModel]:
    """The pydantic model of a format's request, response or error body.

    Args:
        format: the format (`"openai"` too, for `kind="error"`); `-` may stand for `_`.
        kind: `"request"`, `"response"` or `"error"`.

    Raises:
        UnknownFormatError: `format` is not registered (or has no such kind).
        RerankFormatError: `kind` is not one of the three.

    Example:
        >>> from rerank_formats.pydantic import model
        >>> model("jina", "response").model_fields["results"].description
        'The ranked documents, by descending relevance score.'
    """
    return _BUILDERS[get_codec(format, kind).format].root(kind)


class _Namespace:
    """The models of one format, by their wire Struct's name (see the module docstring)."""

    __slots__ = ("_format",)

    def __init__(self, format: str) -> None:
        self._format = format

    def __getattr__(self, name: str) -> type[BaseModel]:
        found = _BUILDERS[self._format].all().get(name)
        if found is None:
            raise AttributeError(f"rerank_formats.pydantic.{self._format} has no model {name!r}")
        return found

    def __dir__(self) -> list[str]:
        return sorted(_BUILDERS[self._format].all())

    def __repr__(self) -> str:
        return f"<rerank_formats.pydantic.{self._format} models>"


if TYPE_CHECKING:

    class _Models:
        Request: TypeAlias = BaseModel
        Response: TypeAlias = BaseModel
        Result: TypeAlias = BaseModel
        Error: TypeAlias = BaseModel

    class _ErrorModels:
        Error: TypeAlias = BaseModel
        Body: TypeAlias = BaseModel

    jina = _Models
    cohere_v1 = _Models
    cohere_v2 = _Models
    xinference = _Models
    openai = _ErrorModels
else:
    jina = _Namespace("jina")
    cohere_v1 = _Namespace("cohere_v1")
    cohere_v2 = _Namespace("cohere_v2")
    xinference = _Namespace("xinference")
    openai = _Namespace("openai")
