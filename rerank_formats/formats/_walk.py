"""A parsed payload walked against the wire Structs' type information: the library's own
classification of what is wrong, and where.

The decoders and `validate` both use it. msgspec says *that* a value does not fit a type;
this walk says what is wrong and at which JSON path in the library's own words, so that no
message, path or error type depends on msgspec's wording (a key spelled like msgspec's
`` - at `$...` `` suffix is just a key here).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

import msgspec.inspect as mi

from ..errors import excerpt, number
from ._checks import Report, Severity

__all__ = ["FoundError", "Walker", "first_error", "type_info"]

_NAMES: dict[type, str] = {
    mi.StrType: "str",
    mi.IntType: "int",
    mi.FloatType: "float",
    mi.BoolType: "bool",
    mi.NoneType: "null",
    mi.ListType: "array",
    mi.VarTupleType: "array",
    mi.DictType: "object",
    mi.StructType: "object",
}

_JSON: dict[type, str] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    type(None): "null",
    list: "array",
    tuple: "array",
    dict: "object",
}


@functools.lru_cache(maxsize=256)
def type_info(t: Any) -> mi.Type:
    """`msgspec.inspect.type_info`, built once per type (it is not cheap)."""
    return mi.type_info(t)


def json_name(value: object) -> str:
    """The name a walk gives a Python value's JSON type."""
    name = _JSON.get(type(value))
    if name is not None:
        return name
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if isinstance(value, kind):
            return name
    if isinstance(value, (list, tuple)):
        return "array"
    return "object" if isinstance(value, Mapping) else excerpt(type(value).__name__)


_FIELDS: dict[int, tuple[mi.StructType, dict[str, mi.Field]]] = {}


def _fields(t: mi.StructType) -> dict[str, mi.Field]:
    """A Struct's fields by wire name, built once per (cached) type info."""
    known = _FIELDS.get(id(t))
    if known is None or known[0] is not t:
        known = _FIELDS[id(t)] = (t, {f.encode_name: f for f in t.fields})
    return known[1]


def _accepts(t: mi.Type, name: str) -> bool:
    simple = _NAMES.get(type(t))
    if simple is not None:
        return simple == name or (name == "int" and simple == "float")
    if isinstance(t, mi.AnyType) or (isinstance(t, mi.CustomType) and t.cls is object):
        return True
    if isinstance(t, mi.LiteralType):
        return any(json_name(v) == name for v in t.values)
    return _NAMES.get(type(t)) == name or (name == "int" and isinstance(t, mi.FloatType))


def _bounds(t: mi.IntType | mi.FloatType, value: float) -> str | None:
    """What `value` breaks of `t`'s bounds, in the words of a message, or None."""
    kind = "int" if isinstance(t, mi.IntType) else "float"
    if isinstance(value, float) and not math.isfinite(value):
        return f"Expected a finite `{kind}`, got {value}"
    for bound, op, broken in (
        (t.ge, ">=", t.ge is not None and value < t.ge),
        (t.gt, ">", t.gt is not None and value <= t.gt),
        (t.le, "<=", t.le is not None and value > t.le),
        (t.lt, "<", t.lt is not None and value >= t.lt),
    ):
        if broken and bound is not None:
            shown = number(float(bound) if kind == "float" else bound)
            return f"Expected `{kind}` {op} {shown}"
    return None


class FoundError(Exception):
    """Raised by a report that wants only the first error."""

    def __init__(self, path: str, type: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.type = type
        self.message = message


def _stop_at_error(path: str, type: str, message: str, severity: Severity) -> None:
    if severity == "error":
        raise FoundError(path, type, message)


def first_error(value: object, t: Any, keeps: tuple[type, ...] = ()) -> FoundError | None:
    """The first error a walk finds in `value` as type `t` (path relative to `$`), or None."""
    try:
        Walker(_stop_at_error, "warning", "", keeps, explain=False).walk(value, type_info(t), "$")
    except FoundError as found:
        return found
    return None


class Walker:
    """Walks a parsed payload against msgspec type info, reporting every mismatch.

    Args:
        report: called with (path, type, message, severity) for each problem; it may raise
            to stop the walk.
        unknown: the severity of an unknown key in a Struct whose unknown keys are kept.
        note: what the provider does with such a key, for the message.
        keeps: the Structs whose unknown keys the decoder keeps.
        explain: whether a message about an unknown key says what becomes of it.
    """

    def __init__(
        self,
        report: Report,
        unknown: Severity,
        note: str,
        keeps: tuple[type, ...],
        *,
        explain: bool = True,
    ) -> None:
        self.explain = explain
        self.report = report
        self.unknown = unknown
        self.note = note
        self.keeps = keeps

    def walk(self, value: object, t: mi.Type, path: str) -> None:
        if isinstance(t, mi.UnionType):
            name = json_name(value)
            member = next((m for m in t.types if _accepts(m, name)), None)
            if member is None:
                self._wrong(t.types, value, path)
            else:
                self.walk(value, member, path)
            return
        walk = _DISPATCH.get(type(t))
        if not _accepts(t, json_name(value)):
            self._wrong((t,), value, path)
        elif walk is not None:
            walk(self, value, t, path)

    def _struct(self, value: Mapping[str, object], t: mi.StructType, path: str) -> None:
        fields = _fields(t)
        for name, field in fields.items():
            if field.required and name not in value:
                self.report(
                    f"{path}.{name}", "missing_field", f"missing required field `{name}`", "error"
                )
        for key, item in value.items():
            known = fields.get(key)
            if known is not None:
                self.walk(item, known.type, f"{path}.{key}")
            else:
                self._unknown(t, f"{path}.{excerpt(str(key))}", excerpt(str(key)))

    def _array(self, value: list[object], t: mi.ListType | mi.VarTupleType, path: str) -> None:
        low, high = t.min_length, t.max_length
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            bound = f"at least {low}" if high is None else f"at most {high}"
            if low is not None and high is not None:
                bound = f"{low} to {high}" if low != high else f"exactly {low}"
            self.report(path, "out_of_range", f"expected {bound} items, got {len(value)}", "error")
        item_type = t.item_type
        if type(item_type) is mi.StrType and all(type(item) is str for item in value):
            return  # the common case (documents), at C speed
        for i, item in enumerate(value):
            self.walk(item, item_type, f"{path}[{i}]")

    def _dict(self, value: Mapping[object, object], t: mi.DictType, path: str) -> None:
        if type(t.value_type) is mi.StrType and all(type(v) is str for v in value.values()):
            return
        for key, item in value.items():
            self.walk(item, t.value_type, f"{path}.{excerpt(str(key))}")

    def _number(self, value: float, t: mi.IntType | mi.FloatType, path: str) -> None:
        if (
            t.le is None
            and t.gt is None
            and t.lt is None
            and (t.ge is None or value >= t.ge)
            and (type(value) is int or math.isfinite(value))
        ):
            return  # the common case, without building a message
        broken = _bounds(t, value)
        if broken is not None:
            self.report(path, "out_of_range", broken, "error")

    def _literal(self, value: object, t: mi.LiteralType, path: str) -> None:
        if value not in t.values:
            allowed = " | ".join(excerpt(repr(v)) for v in t.values)
            self.report(path, "invalid_value", f"Expected one of {allowed}", "error")

    def _unknown(self, t: mi.StructType, path: str, key: str) -> None:
        if getattr(t.cls, "__origin__", t.cls) in self.keeps:
            note, severity = self.note, self.unknown  # kept by the decoder; the provider decides
        elif t.forbid_unknown_fields:
            note, severity = "rerank_formats cannot keep it here", "error"
        else:
            note, severity = "not kept", "warning"
        why = f" ({note})" if self.explain else ""
        self.report(path, "unknown_field", f"unknown field `{key}`{why}", severity)

    def _wrong(self, members: tuple[mi.Type, ...], value: object, path: str) -> None:
        expected = " | ".join(dict.fromkeys(_NAMES.get(type(m), "any") for m in members))
        self.report(path, "wrong_type", f"Expected `{expected}`, got `{json_name(value)}`", "error")


_DISPATCH: dict[type, Callable[[Walker, Any, Any, str], None]] = {
    mi.StructType: Walker._struct,
    mi.ListType: Walker._array,
    mi.VarTupleType: Walker._array,
    mi.DictType: Walker._dict,
    mi.IntType: Walker._number,
    mi.FloatType: Walker._number,
    mi.LiteralType: Walker._literal,
}
