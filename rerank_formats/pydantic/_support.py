"""What the generated models (`_generated.py`) are built on: bases, validators, namespaces."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, TypeVar

from .._extras import missing_extra

try:
    from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator
    from pydantic_core import PydanticCustomError
except ImportError as error:
    raise missing_extra(error, module="pydantic", extra="pydantic") from error

from .._codegen import DECODER_RULES
from ..errors import DecodeError, excerpt

__all__ = [
    "Absent", "Closed", "Ignoring", "Namespace", "Open", "absent", "finite", "ruled", "whole",
]  # fmt: skip

T = TypeVar("T")

if TYPE_CHECKING:
    from typing import TypeAlias

    Absent: TypeAlias = T | None
    """An optional field: type checkers see `T | None` (absent reads as `None`)."""
else:

    class Absent:
        """At run time `Absent[T]` is `T`: a field that cannot be null still refuses `null`."""

        def __class_getitem__(cls, item: Any) -> Any:
            return item


def finite(value: Any, *, where: str = "") -> Any:
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
                    finite(value, where=f" (in unknown key {excerpt(repr(key))})")
        return data


class Open(_Wire):
    """A model whose unknown keys are kept in `model_extra` (the decoder sets them aside)."""

    model_config = ConfigDict(extra="allow")


class Closed(_Wire):
    """A model that refuses unknown keys, as its Struct does."""

    model_config = ConfigDict(extra="forbid")


class Ignoring(_Wire):
    """A model that ignores unknown keys, as its Struct does."""

    model_config = ConfigDict(extra="ignore")


def absent(schema: dict[str, Any]) -> None:
    """An absent field is absent, not null: no `default` in its JSON Schema."""
    schema.pop("default", None)


def ruled(format: str, kind: str, field: str) -> AfterValidator:
    """The validator applying the decoder's own check of `field` (`DECODER_RULES`)."""
    check = DECODER_RULES[format, kind, field]

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


def whole(format: str, kind: str) -> Any:
    """The `model_validator` applying the decoder's own rule of the whole payload
    (`DECODER_RULES` under the field `""`), before the fields are validated."""
    check = DECODER_RULES[format, kind, ""]

    def validate(cls: Any, data: Any) -> Any:
        if isinstance(data, dict):
            try:
                check(data)
            except DecodeError as error:
                where = "" if error.path == "$" else f" (at {error.path})"
                raise PydanticCustomError(
                    error.type, "{message}", {"message": error.message + where}
                ) from None
        return data

    return model_validator(mode="before")(validate)


class _Names(type):
    """The metaclass of the namespaces: `dir()` lists the models, a missing one is named."""

    def __dir__(cls) -> list[str]:
        return sorted(k for k, v in vars(cls).items() if isinstance(v, type) and k[:1] != "_")

    def __repr__(cls) -> str:
        return f"<rerank_formats.pydantic.{cls.__name__} models>"

    if not TYPE_CHECKING:  # type checkers see only the models the namespace has

        def __getattr__(cls, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            raise AttributeError(f"rerank_formats.pydantic.{cls.__name__} has no model {name!r}")


class Namespace(metaclass=_Names):
    """The models of one format, by their wire Struct's name (`cohere_v2.Request`)."""
