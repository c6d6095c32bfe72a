"""Validation of third-party payloads: every problem, at its JSON path, as the provider sees it.

`validate` walks a payload against the format's wire Structs (the same definitions the
decoders use, read through `msgspec.inspect`), so it reports *every* wrong type, missing
field and unknown key rather than the first; then the format's own `check` adds what the
real provider would do: Cohere answers 422 to an unknown key (an error), Xinference ignores
one (a warning), Jina and Cohere require `top_n` of at least 1, and so on.

`detect` runs `validate` for every format and kind and says which ones a payload could be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from .convert import canonical_of
from .errors import DecodeError, clip, clip_path, excerpt
from .formats._base import Codec, Leftovers, Payload, parse_json, to_utf8
from .formats._checks import Report, Severity
from .formats._walk import FoundError, Walker, type_info
from .limits import DEFAULT_LIMITS, Limits, scan, shallow_text, within
from .registry import (
    ERROR_FORMATS,
    FORMATS,
    ErrorFormat,
    ErrorFormatName,
    get_codec,
    get_error_format,
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
            `unsupported_document`, `unsupported_field`, `legacy_shape`, `invalid_value`,
            `too_many_problems`.
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

    At most `limits.max_problems` problems are listed; beyond them, one last problem of type
    `too_many_problems` says how many more were found (an error if any of them is one).

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
    limits = limits or DEFAULT_LIMITS
    try:
        raw, body = _read(data, limits, codec, depth=False)  # the decoder checks it
    except DecodeError as error:
        return (_problem(error.path, error.type, error.message, "error"),)
    collect = _Collect(limits.max_problems)
    return _validate(format, kind, raw, body, limits, collect, deep_checked=raw is None)


class _Collect:
    """A report that keeps the first `cap` problems; beyond them it counts warnings and
    stops the walk at the first error (the verdict cannot change, and a hostile payload can
    hold a problem per byte)."""

    def __init__(self, cap: int) -> None:
        self.cap = max(cap, 0)
        self.problems: list[Problem] = []
        self.more = 0
        self.stopped = False

    def __call__(self, path: str, type: str, message: str, severity: Severity) -> None:
        if len(self.problems) < self.cap:
            self.problems.append(_problem(path, type, message, severity))
        elif severity == "error":
            self.stopped = True
            raise _EnoughError
        else:
            self.more += 1

    def result(self) -> tuple[Problem, ...]:
        if self.stopped:
            last = _problem(
                "$", "too_many_problems", "more problems not listed, errors among them", "error"
            )
        elif self.more:
            last = _problem(
                "$", "too_many_problems", f"{self.more:,} more warnings not listed", "warning"
            )
        else:
            return tuple(self.problems)
        return (*self.problems, last)


class _EnoughError(Exception):
    """Stops a walk that has listed all the problems it may."""


class _FirstError:
    """A report for `detect`: keeps the problems, stops the walk at the first error."""

    def __init__(self, cap: int) -> None:
        self.collect = _Collect(cap)

    def __call__(self, path: str, type: str, message: str, severity: Severity) -> None:
        if severity == "error":
            raise FoundError(path, type, message)
        self.collect(path, type, message, severity)


def _problem(path: str, type: str, message: str, severity: Severity) -> Problem:
    return Problem(path=clip_path(path), type=type, message=clip(message), severity=severity)


def _validate(
    format: str,
    kind: str,
    raw: bytes | bytearray | memoryview | None,
    body: object,
    limits: Limits,
    report: _Collect | _FirstError,
    *,
    deep_checked: bool = True,
) -> tuple[Problem, ...]:
    """The problems of `body` (parsed from `raw`, when the caller gave JSON text; its depth
    checked already unless `deep_checked` is false, and then by the decoder)."""
    codec = get_codec(format, kind)
    module = get_error_format(format)
    collect = report if isinstance(report, _Collect) else report.collect
    unknown = module.UNKNOWN_FIELDS.get(kind, "warning")
    try:
        refused, leftovers = _decoded(codec, format, kind, raw, body, limits, deep_checked)
        if refused is not None and not isinstance(report, _Collect):
            raise FoundError(refused.path, refused.type, refused.message)  # detect: not a match
        if refused is not None and refused.type == "too_deep":
            report(refused.path, refused.type, refused.message, "error")  # not to be walked
            return collect.result()
        if leftovers is None:  # refused, or an error body: walk it to list every problem
            walker = Walker(report, unknown, _note(module, kind, unknown), codec.keeps_unknown)
            walker.walk(body, type_info(codec.general), "$")
        elif (leftovers.fields or leftovers.results) and isinstance(body, (Mapping, list)):
            # decoded: its only problems are unknown keys
            _unknown_keys(body, leftovers, codec, unknown, _note(module, kind, unknown), report)
        if isinstance(body, list if codec.shape == "array" else Mapping):
            module.check(kind, body, report)  # a bare-array format checks its array
        if refused and refused.path not in {
            p.path for p in collect.problems if p.severity == "error"
        }:
            report(refused.path, refused.type, refused.message, "error")  # a rule only it has
    except _EnoughError:
        pass
    return collect.result()


def _note(module: ErrorFormat, kind: str, unknown: Severity) -> str:
    """What an unknown key's problem adds: what the provider does with one in a request,
    or that a response or error body it sent is not in its format."""
    if kind != "request":  # the provider sent it: say what it is, not what it does with it
        return f"not in {module.PROVIDER}'s format"
    return f"{module.PROVIDER} {'answers 422' if unknown == 'error' else 'ignores it'}"


def _decoded(
    codec: Codec[Any],
    format: str,
    kind: str,
    raw: bytes | bytearray | memoryview | None,
    body: object,
    limits: Limits,
    deep_checked: bool = True,
) -> tuple[DecodeError | None, Leftovers | None]:
    """What the decoder refuses in the payload, if anything (validation never accepts
    less), and the unknown keys it set aside when it accepted a request or response."""
    try:
        wire, leftovers = codec.decode_read(raw, body, limits, deep_checked=deep_checked)
        canonical_of(format, kind, wire, leftovers, limits)
    except DecodeError as error:
        return error, None
    return None, None if kind == "error" else leftovers


def _unknown_keys(
    body: Mapping[str, object] | list[object],
    leftovers: Leftovers,
    codec: Codec[Any],
    severity: Severity,
    note: str,
    report: Report,
) -> None:
    """The unknown keys a decoder set aside, in the order a walk would report them: the
    payload's own, and its results' where the codec keeps them (`results_at`)."""

    def results() -> None:
        for position, extra in sorted(leftovers.results.items()):
            for name in extra:
                shown = excerpt(str(name))
                report(
                    f"{codec.results_at}[{position}].{shown}",
                    "unknown_field",
                    f"unknown field `{shown}` ({note})",
                    severity,
                )

    if not isinstance(body, Mapping):  # a bare array of results
        results()
        return
    top = codec.results_path[0] if codec.results_path else None
    for key in body:
        if key in leftovers.fields:
            shown = excerpt(str(key))
            report(f"$.{shown}", "unknown_field", f"unknown field `{shown}` ({note})", severity)
        elif key == top and leftovers.results:
            results()


def detect(
    data: Payload, *, kind: Kind | None = None, limits: Limits | None = None
) -> tuple[Match, ...]:
    """Which formats (and kinds) a payload could be, best first.

    A payload matches every format and kind it is valid as (no error from `validate`).
    Matches are ranked by how many of the payload's top-level keys the format knows, then by
    how few it does not, then by how few warnings it has. Matches that rank alike are all
    marked `ambiguous`: `{"model": "m", "query": "q", "documents": ["a"]}` is a valid request
    in every format that reads those keys, and nothing in it tells them apart.

    Args:
        data: the payload.
        kind: only consider this kind; all three when None.
        limits: what to read (`DEFAULT_LIMITS` when None); beyond them, nothing matches.

    Examples:
        >>> import rerank_formats as rf
        >>> [(m.format, m.kind) for m in rf.detect(
        ...     b'{"query": "q", "documents": ["a"], "rank_fields": ["text"]}')
        ...  if not m.warnings]  # servers that ignore unknown keys read it too, warned
        [('cohere_v1', 'request')]
    """
    limits = limits or DEFAULT_LIMITS
    try:
        raw, body = _read(data, limits, get_codec("jina", "request"), get_codec("jina", "response"))
    except DecodeError:
        return ()
    keys = set(body) if isinstance(body, Mapping) else set()
    candidates = []
    for each_kind in (kind,) if kind else ("request", "response", "error"):
        for name in ERROR_FORMATS if each_kind == "error" else FORMATS:
            try:
                problems = _validate(
                    name, each_kind, raw, body, limits, _FirstError(limits.max_problems)
                )
            except FoundError:
                continue  # not valid as this format and kind: the walk stopped at once
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


def _read(
    data: Payload, limits: Limits, *codecs: Codec[Any], depth: bool = True
) -> tuple[bytes | bytearray | memoryview | None, object]:
    """The payload as UTF-8 JSON text (None when it came parsed) and parsed, within
    `limits` (its documents or results counted by `codecs`; its depth too, unless `depth`
    is false and it came as text, for a decoder to check), before any work per item; or
    the `DecodeError` the decoder would raise."""
    raw = None
    if isinstance(data, (bytes, bytearray, memoryview, str)):
        if len(data) > limits.max_bytes:
            raise DecodeError(
                f"the body is {len(data):,} bytes; the limit is {limits.max_bytes:,}",
                type="too_large",
            )
        raw = to_utf8(data)
        data = parse_json(raw)  # type: ignore[assignment]
    for counting in codecs:
        counting.count(data, limits)
    if raw is not None and not depth:
        return raw, data
    deepest = limits.max_depth
    if raw is not None and (shallow_text(raw, deepest) or within(data, deepest)):
        return raw, data  # parsed by the library: only the depth to check, and it is within
    found = scan(data, deepest, leaves=raw is None)
    if found is not None:
        path, type, message = found
        raise DecodeError(message, path=path, type=type)
    return raw, data
