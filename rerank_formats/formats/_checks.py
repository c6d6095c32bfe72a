"""Checks that several formats make of a parsed payload, each at the severity its provider
gives it. A format module's `check` calls these with its own severities."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Literal, TypeGuard, cast

Severity = Literal["error", "warning"]
Report = Callable[[str, str, str, Severity], None]
"""report(path, type, message, severity)"""


def documents(body: Mapping[str, object]) -> list[object]:
    value = body.get("documents")
    return value if isinstance(value, list) else []


def results(body: Mapping[str, object]) -> list[Mapping[str, object]]:
    value = body.get("results")
    if not isinstance(value, list):
        return []
    return [r for r in value if type(r) is dict or isinstance(r, Mapping)]


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_documents(
    body: Mapping[str, object], report: Report, *, empty: Severity, recommended: int | None = None
) -> None:
    """An empty `documents` list, or more than the provider recommends."""
    if isinstance(body.get("documents"), list):
        count = len(documents(body))
        if count == 0:
            report("$.documents", "empty_documents", "there are no documents to rank", empty)
        elif recommended is not None and count > recommended:
            report(
                "$.documents",
                "too_many_documents",
                f"{count} documents; the provider recommends at most {recommended}",
                "warning",
            )


def check_top_n(body: Mapping[str, object], report: Report, *, below_one: Severity) -> None:
    """`top_n` below 1 (0 asks for nothing; Jina and Cohere require at least 1)."""
    top_n = body.get("top_n")
    if is_int(top_n) and top_n < 1:
        report("$.top_n", "out_of_range", f"top_n is {top_n}; at least 1 is expected", below_one)


def check_range(
    body: Mapping[str, object], key: str, low: int, high: int | None, report: Report
) -> None:
    """An integer field outside the provider's range (an error)."""
    value = body.get(key)
    if is_int(value) and (value < low or (high is not None and value > high)):
        bound = f"{low} to {high}" if high is not None else f"at least {low}"
        report(f"$.{key}", "out_of_range", f"{key} is {value}; expected {bound}", "error")


def check_results(body: Mapping[str, object], report: Report) -> None:
    """Repeated indices (an error) and scores not in descending order (a warning): every
    provider promises results sorted by relevance, one per document."""
    items = results(body)
    indices = [r.get("index") for r in items]
    scores = [r.get("relevance_score") for r in items]
    if (
        set(map(type, indices)) <= {int}
        and set(map(type, scores)) <= {int, float}
        and len(set(indices)) == len(indices)
    ):  # the usual payload, checked at C speed: whole indices, none repeated, and scores
        numbers = cast("list[float]", scores)
        if any(map(operator.gt, numbers[1:], numbers)):
            report(
                "$.results",
                "unsorted_results",
                "results are not sorted by descending relevance_score",
                "warning",
            )
        return
    seen: set[object] = set()
    previous: float | None = None
    unsorted = False
    for position, result in enumerate(items):
        index = result.get("index")
        if is_int(index):
            if index in seen:
                report(
                    f"$.results[{position}].index",
                    "duplicate_index",
                    f"index {index} appears twice",
                    "error",
                )
            seen.add(index)
        score = result.get("relevance_score")
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            unsorted = unsorted or (previous is not None and score > previous)
            previous = score
    if unsorted:
        report(
            "$.results",
            "unsorted_results",
            "results are not sorted by descending relevance_score",
            "warning",
        )


def check_string_documents(
    body: Mapping[str, object], report: Report, message: str, severity: Severity
) -> None:
    """Results whose document is a bare string, where the format echoes objects."""
    for i, result in enumerate(results(body)):
        if isinstance(result.get("document"), str):
            report(f"$.results[{i}].document", "document_shape", message, severity)
