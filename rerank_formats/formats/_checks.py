"""Checks that several formats make of a parsed payload, each at the severity its provider
gives it. A format module's `check` calls these with its own severities and its codec: the
codec declares where the payload keeps its documents, `top_n` and results, and under which
keys (`Codec.key`, `Codec.results_in`), so no check assumes a wire key."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeGuard, cast

if TYPE_CHECKING:
    from ._base import Codec

from ..errors import number

Severity = Literal["error", "warning"]
Report = Callable[[str, str, str, Severity], None]
"""report(path, type, message, severity)"""


def at_key(body: object, key: str) -> object:
    """The value at a wire key of a parsed payload; a dotted key (`input.documents`) is a
    value inside nested objects (an envelope). None when it is not there."""
    if "." not in key:  # the usual key: no split, and a dict needs no ABC check
        if type(body) is dict or isinstance(body, Mapping):
            return body.get(key)
        return None
    for part in key.split("."):
        body = body.get(part) if isinstance(body, Mapping) else None
    return body


def documents(body: Mapping[str, object], codec: Codec[Any]) -> list[object]:
    """The documents of a parsed request (empty when they are not a list)."""
    value = at_key(body, codec.key("documents"))
    return value if isinstance(value, list) else []


def results(body: object, codec: Codec[Any]) -> list[Mapping[str, object]]:
    """The result objects of a parsed response, where its codec keeps them."""
    found: list[Mapping[str, object]] = codec.results_in(body)
    return found


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_documents(
    body: Mapping[str, object],
    report: Report,
    codec: Codec[Any],
    *,
    empty: Severity,
    recommended: int | None = None,
) -> None:
    """An empty list of documents, or more than the provider recommends."""
    key = codec.key("documents")
    value = at_key(body, key)
    if isinstance(value, list):
        count = len(value)
        if count == 0:
            report(f"$.{key}", "empty_documents", "there are no documents to rank", empty)
        elif recommended is not None and count > recommended:
            report(
                f"$.{key}",
                "too_many_documents",
                f"{count} documents; the provider recommends at most {recommended}",
                "warning",
            )


def check_top_n(
    body: Mapping[str, object], report: Report, codec: Codec[Any], *, below_one: Severity
) -> None:
    """`top_n` below 1 (0 asks for nothing; Jina and Cohere require at least 1)."""
    key = codec.key("top_n")
    top_n = at_key(body, key)
    if is_int(top_n) and top_n < 1:
        report(
            f"$.{key}",
            "out_of_range",
            f"{key} is {number(top_n)}; at least 1 is expected",
            below_one,
        )


def check_range(
    body: Mapping[str, object], key: str, low: int, high: int | None, report: Report
) -> None:
    """An integer field outside the provider's range (an error)."""
    value = body.get(key)
    if is_int(value) and (value < low or (high is not None and value > high)):
        bound = f"{low} to {high}" if high is not None else f"at least {low}"
        report(f"$.{key}", "out_of_range", f"{key} is {number(value)}; expected {bound}", "error")


def check_results(body: object, report: Report, codec: Codec[Any]) -> None:
    """Repeated indices (an error) and scores not in descending order (a warning): every
    provider promises results sorted by relevance, one per document."""
    at, index_key, score_key = codec.results_at, codec.key("index"), codec.key("relevance_score")
    items = results(body, codec)
    indices = [r.get(index_key) for r in items]
    scores = [r.get(score_key) for r in items]
    if (
        set(map(type, indices)) <= {int}
        and set(map(type, scores)) <= {int, float}
        and len(set(indices)) == len(indices)
    ):  # the usual payload, checked at C speed: whole indices, none repeated, and scores
        numbers = cast("list[float]", scores)
        if any(map(operator.gt, numbers[1:], numbers)):
            report(
                at,
                "unsorted_results",
                f"results are not sorted by descending {score_key}",
                "warning",
            )
        return
    seen: set[object] = set()
    previous: float | None = None
    unsorted = False
    for position, result in enumerate(items):
        index = result.get(index_key)
        if is_int(index):
            if index in seen:
                report(
                    f"{at}[{position}].{index_key}",
                    "duplicate_index",
                    f"index {number(index)} appears twice",
                    "error",
                )
            seen.add(index)
        score = result.get(score_key)
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            unsorted = unsorted or (previous is not None and score > previous)
            previous = score
    if unsorted:
        report(
            at,
            "unsorted_results",
            f"results are not sorted by descending {score_key}",
            "warning",
        )


def check_string_documents(
    body: object, report: Report, codec: Codec[Any], message: str, severity: Severity
) -> None:
    """Results whose document is a bare string, where the format echoes objects."""
    key = codec.key("document")
    for i, result in enumerate(results(body, codec)):
        if isinstance(result.get(key), str):
            report(f"{codec.results_at}[{i}].{key}", "document_shape", message, severity)
