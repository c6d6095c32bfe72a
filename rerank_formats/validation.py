"""Validation of third-party payloads: every problem, at its JSON path, as the provider sees it.

`validate` walks a payload against the format's wire Structs (the same definitions the
decoders use, read through `msgspec.inspect`), so it reports *every* wrong type, missing
field and unknown key rather than the first; then the format's own `check` adds what the
real provider would do: Cohere answers 422 to an unknown key (an error), Xinference ignores
one (a warning), Jina and Cohere require `top_n` of at least 1, and so on.

`detect` runs `validate` for every format and kind and says which ones a payload could be.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Literal

import msgspec
import msgspec.inspect as mi

from .convert import decode_request, decode_response
from .errors import DecodeError, excerpt
from .formats._base import Codec, Payload
from .formats._checks import Report, Severity
from .limits import DEFAULT_LIMITS, Limits, too_deep
from .registry import (
    ERROR_FORMATS,
    FORMATS,
    ErrorFormatName,
    get_codec,
    get_error_format,
    get_format,
)

__all__ = ["Kind", "Match", "Problem", "detect", "validate"]

Kind = Literal["request", "response", "error"]
"""What a payload is: a request, a (successful) response, or an error response."""


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One problem with a payload.

    Attributes:
        path: where, as a JSON path (`$.results[2].index`; `$` is the whole payload).
        type: a stable slug: `invalid_json`, `wrong_type`, `missing_field`, `unknown_field`,
            `out_of_range`, `duplicate_index`, `unsorted_results`, `empty_documents`,
            `too_many_documents`, `too_many_chunks`, `string_boolean`, `document_shape`,
            `unsupported_document`, `unsupported_field`, `legacy_shape`, `invalid_value`.
        message: what is wrong, in one line.
        severity: `"error"` when the provider refuses the payload (or a client would fail on
            it), `"warning"` when it accepts it but not as one might expect.
    """

    path: str
    type: str
    message: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Match(msgspec.Struct, frozen=True, kw_only=True):
    """A format and kind a payload is valid as (see `detect`).

    Attributes:
        format: the format's name.
        kind: `"request"`, `"response"` or `"error"`.
        reason: why, in one line: how many top-level keys the format knows, the keys that
            only it uses, whether another format fits the payload just as well, and the
            warnings (`2 warnings: string_boolean at $.return_documents, $.return_len`).
        ambiguous: another match fits just as well (the same keys known, the same warnings).
        warnings: what `validate` warns about for this format and kind.
    """

    format: str
    kind: str
    reason: str
    ambiguous: bool = False
    warnings: tuple[Problem, ...] = ()


def validate(
    data: Payload, *, format: ErrorFormatName, kind: Kind, limits: Limits | None = None
) -> tuple[Problem, ...]:
    """Every problem the provider of `format` would have with a payload; empty when valid.

    Args:
        data: the payload: JSON as `bytes` or `str`, or an already-parsed object.
        format: the format to validate against (`"openai"` too, for `kind="error"`).
        kind: `"request"`, `"response"` or `"error"`.
        limits: what to read (`DEFAULT_LIMITS` when None); a body beyond them is one problem
            (`too_large`, `too_deep`) and is not read further.

    Raises:
        UnknownFormatError: `format` is not registered.
        RerankFormatError: `kind` is not one of the three.

    Examples:
        >>> import rerank_formats as rf
        >>> for problem in rf.validate(
        ...     b'{"model": "rerank-v3.5", "query": "q", "documents": [], "top_k": 3}',
        ...     format="cohere_v2", kind="request"):
        ...     print(problem.severity, problem)
        error $.top_k: unknown field `top_k` (Cohere answers 422)
        error $.documents: there are no documents to rank
    """
    codec = get_codec(format, kind)
    module = get_error_format(format)
    limits = limits or DEFAULT_LIMITS
    text = isinstance(data, (bytes, bytearray, memoryview, str))
    strict = text and len(data) <= limits.max_bytes and codec.strictly_valid(data)  # type: ignore[arg-type]
    try:
        body = _read(codec, data, limits, strict=strict)
    except DecodeError as error:
        return (Problem(path=error.path, type=error.type, message=error.message, severity="error"),)
    problems: list[Problem] = []

    def report(path: str, type: str, message: str, severity: Severity) -> None:
        problems.append(Problem(path=path, type=type, message=message, severity=severity))

    unknown = module.UNKNOWN_FIELDS.get(kind, "warning")
    if kind != "request":  # the provider sent it: say what it is, not what it does with it
        note = f"not in {module.PROVIDER}'s format"
    else:
        note = f"{module.PROVIDER} {'answers 422' if unknown == 'error' else 'ignores it'}"
    if not strict:  # the wire Structs accepted the payload as it is: nothing for a walk to find
        _Walker(report, unknown, note, codec.keeps_unknown).walk(
            body, _type_info(codec.general), "$"
        )
    if isinstance(body, list if codec.shape == "array" else Mapping):
        module.check(kind, body, report)  # a bare-array format checks its array
    # the decoder on the bytes takes its fast path when it can, as a proxy's would
    refused = _refusal(format, kind, data if text and kind != "error" else body, limits)
    if refused and refused.path not in {p.path for p in problems if p.severity == "error"}:
        report(refused.path, refused.type, refused.message, "error")  # a rule only it applies
    return tuple(problems)


@functools.cache
def _type_info(t: Any) -> mi.Type:
    """msgspec's type info for a wire type, built once (it costs more than a validation)."""
    return mi.type_info(t)


def _refusal(format: str, kind: str, body: Any, limits: Limits) -> DecodeError | None:
    """What the decoder refuses in `body`, if anything: validation never accepts less."""
    try:
        if kind == "request":
            decode_request(body, format=get_format(format).NAME, limits=limits)
        elif kind == "response":
            decode_response(body, format=get_format(format).NAME, limits=limits)
        else:
            module = get_error_format(format)
            module.error_to_canonical(*module.ERROR.convert(body, limits), None)
    except DecodeError as error:
        return error
    return None


def detect(
    data: Payload, *, kind: Kind | None = None, limits: Limits | None = None
) -> tuple[Match, ...]:
    """Which formats (and kinds) a payload could be, best first.

    A payload matches every format and kind it is valid as (no error from `validate`).
    Matches are ranked by how many of the payload's top-level keys the format knows, then by
    how few it does not, then by how few warnings it has. Matches that rank alike are all
    marked `ambiguous`: `{"model": "m", "query": "q", "documents": ["a"]}` is a valid request
    in all four formats, and nothing in it tells them apart.

    Args:
        data: the payload.
        kind: only consider this kind; all three when None.
        limits: what to read (`DEFAULT_LIMITS` when None); beyond them, nothing matches.

    Examples:
        >>> import rerank_formats as rf
        >>> [(m.format, m.kind) for m in rf.detect(
        ...     b'{"query": "q", "documents": ["a"], "rank_fields": ["text"]}')]
        [('cohere_v1', 'request')]
    """
    limits = limits or DEFAULT_LIMITS
    try:
        body = _read(get_codec("jina", "request"), data, limits)
    except DecodeError:
        return ()
    keys = set(body) if isinstance(body, Mapping) else set()
    candidates = []
    for each_kind in (kind,) if kind else ("request", "response", "error"):
        for name in ERROR_FORMATS if each_kind == "error" else FORMATS:
            problems = validate(body, format=name, kind=each_kind, limits=limits)  # type: ignore[arg-type]
            if not any(p.severity == "error" for p in problems):
                fields = get_codec(name, each_kind).fields
                rank = (-len(keys & fields), len(keys - fields), len(problems))
                candidates.append((rank, name, each_kind, fields, problems))
    candidates.sort(key=lambda c: c[0])
    matches = []
    for rank, name, each_kind, fields, problems in candidates:
        peers = [
            f"{c[1]} {c[2]}" for c in candidates if c[0] == rank and c[1:3] != (name, each_kind)
        ]
        names = ERROR_FORMATS if each_kind == "error" else FORMATS
        others = [get_codec(n, each_kind).fields for n in names if n != name]
        own = sorted((keys & fields).difference(*others))
        reason = f"knows {len(keys & fields)} of {len(keys)} top-level keys"
        if own:
            reason += "; only it uses " + ", ".join(f"`{excerpt(k)}`" for k in own)
        if peers:
            reason += "; equally valid as " + ", ".join(peers)
        if problems:
            reason += f"; {len(problems)} warning{'' if len(problems) == 1 else 's'}: "
            reason += _named(problems)
        matches.append(
            Match(
                format=name, kind=each_kind, reason=reason, ambiguous=bool(peers), warnings=problems
            )
        )
    return tuple(matches)


def _named(problems: tuple[Problem, ...]) -> str:
    """`string_boolean at $.a, $.b; unknown_field at $.c`: the problems by type."""
    paths: dict[str, list[str]] = {}
    for problem in problems:
        paths.setdefault(problem.type, []).append(problem.path)
    return "; ".join(f"{type} at {', '.join(where)}" for type, where in paths.items())


def _read(codec: Codec[Any], data: Payload, limits: Limits, *, strict: bool = False) -> object:
    """The parsed payload within `limits`, or the `DecodeError` the decoder would raise.

    `strict`: the payload is `codec.strictly_valid`, so only its open fields can be deep."""
    if isinstance(data, (bytes, bytearray, memoryview, str)):
        if len(data) > limits.max_bytes:
            raise DecodeError(
                f"the body is {len(data):,} bytes; the limit is {limits.max_bytes:,}",
                type="too_large",
            )
        data = codec.parse(data)  # type: ignore[assignment]
    if strict and isinstance(data, Mapping):
        where = codec.too_deep_in_open_fields(data, limits)
    else:
        where = too_deep(data, limits.max_depth)
    if where is not None:
        raise DecodeError(
            f"nested deeper than {limits.max_depth} levels", path=where, type="too_deep"
        )
    return data


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


def _json_name(value: object) -> str:
    if value is None:
        return "null"
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if isinstance(value, kind):
            return name
    if isinstance(value, (list, tuple)):
        return "array"
    return "object" if isinstance(value, Mapping) else type(value).__name__


def _below(value: int, minimum: int | None) -> bool:
    return minimum is not None and value < minimum


def _accepts(t: mi.Type, name: str) -> bool:
    if isinstance(t, mi.AnyType) or (isinstance(t, mi.CustomType) and t.cls is object):
        return True
    return _NAMES.get(type(t)) == name or (name == "int" and isinstance(t, mi.FloatType))


class _Walker:
    """Walks a parsed payload against msgspec type info, reporting every mismatch."""

    def __init__(
        self, report: Report, unknown: Severity, note: str, keeps: tuple[type, ...]
    ) -> None:
        self.report = report
        self.unknown = unknown
        self.note = note
        self.keeps = keeps

    def walk(self, value: object, t: mi.Type, path: str) -> None:
        if isinstance(t, mi.UnionType):
            member = next((m for m in t.types if _accepts(m, _json_name(value))), None)
            if member is None:
                self._wrong(t.types, value, path)
            else:
                self.walk(value, member, path)
        elif not _accepts(t, _json_name(value)):
            self._wrong((t,), value, path)
        elif isinstance(t, mi.StructType) and isinstance(value, Mapping):
            self._struct(value, t, path)
        elif isinstance(t, (mi.ListType, mi.VarTupleType)) and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                self.walk(item, t.item_type, f"{path}[{i}]")
        elif isinstance(t, mi.DictType) and isinstance(value, Mapping):
            for key, item in value.items():
                self.walk(item, t.value_type, f"{path}.{excerpt(str(key))}")
        elif isinstance(t, mi.IntType) and isinstance(value, int) and _below(value, t.ge):
            self.report(path, "out_of_range", f"Expected `int` >= {t.ge}", "error")

    def _struct(self, value: Mapping[str, object], t: mi.StructType, path: str) -> None:
        fields = {f.encode_name: f for f in t.fields}
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

    def _unknown(self, t: mi.StructType, path: str, key: str) -> None:
        if getattr(t.cls, "__origin__", t.cls) in self.keeps:
            note, severity = self.note, self.unknown  # kept by the decoder; the provider decides
        elif t.forbid_unknown_fields:
            note, severity = "rerank_formats cannot keep it here", "error"
        else:
            note, severity = "not kept", "warning"
        self.report(path, "unknown_field", f"unknown field `{key}` ({note})", severity)

    def _wrong(self, members: tuple[mi.Type, ...], value: object, path: str) -> None:
        expected = " | ".join(dict.fromkeys(_NAMES.get(type(m), "any") for m in members))
        self.report(
            path, "wrong_type", f"Expected `{expected}`, got `{_json_name(value)}`", "error"
        )
