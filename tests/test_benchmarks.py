"""The benchmark implementations do the same reshaping: same JSON out, same inputs refused.

No timing here; `python -m benchmarks` does that.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import rerank_formats as rf

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

inputs = importlib.import_module("benchmarks.inputs")
runner = importlib.import_module("benchmarks.__main__")
subject = importlib.import_module("benchmarks.bench_rerank_formats")

NEEDS = {
    "bench_rerank_formats": None,
    "bench_msgspec_baseline": None,
    "bench_pydantic": "pydantic",
    "bench_orjson": "orjson",
}


@pytest.fixture(scope="module")
def implementations() -> list[ModuleType]:
    found = []
    for name, dependency in NEEDS.items():
        if dependency is not None:
            pytest.importorskip(dependency)
        found.append(importlib.import_module(f"benchmarks.{name}"))
    return found


def outputs(implementations: list[ModuleType], response: bytes, request: bytes) -> list[Any]:
    canonical = rf.decode_request(request, format="jina")
    return [json.loads(m.convert(response, canonical)) for m in implementations]


def test_every_module_has_a_label_and_convert(implementations: list[ModuleType]) -> None:
    labels = [m.label for m in implementations]
    assert len(set(labels)) == len(labels) == len(NEEDS)
    assert all(callable(m.convert) for m in implementations)


def test_exact_output_for_three_results(implementations: list[ModuleType]) -> None:
    request = b'{"model": "m", "query": "q", "documents": ["a", "b", "c"]}'
    response = (
        b'{"model": "m", "object": "list", "usage": {"total_tokens": 7}, "results": ['
        b'{"index": 2, "relevance_score": 0.25, "document": {"text": "c"}},'
        b'{"index": 0, "relevance_score": 0.75, "document": {"text": "a"}},'
        b'{"index": 1, "relevance_score": 0.5, "document": {"text": "b"}}]}'
    )
    expected = (
        b'{"results":[{"index":0,"relevance_score":0.75},{"index":1,"relevance_score":0.5},'
        b'{"index":2,"relevance_score":0.25}],"meta":{"tokens":{"input_tokens":7}}}'
    )
    canonical = rf.decode_request(request, format="jina")
    assert subject.convert(response, canonical) == expected
    assert outputs(implementations, response, request) == [json.loads(expected)] * len(NEEDS)


def test_same_output_with_top_n(implementations: list[ModuleType]) -> None:
    request = inputs.jina_request(20, top_n=5, seed=1)
    first, *others = outputs(implementations, inputs.jina_response(20, seed=1), request)
    assert others == [first] * len(others)
    scores = [r["relevance_score"] for r in first["results"]]
    assert len(scores) == 5
    assert scores == sorted(scores, reverse=True)
    assert set(first) == {"results", "meta"}


def test_same_output_without_top_n_or_usage(implementations: list[ModuleType]) -> None:
    request = inputs.jina_request(20, seed=2)
    first, *others = outputs(
        implementations, inputs.jina_response(20, seed=2, usage=False), request
    )
    assert others == [first] * len(others)
    assert set(first) == {"results"}
    assert sorted(r["index"] for r in first["results"]) == list(range(20))


def test_ties_keep_response_order(implementations: list[ModuleType]) -> None:
    request = b'{"model": "m", "query": "q", "documents": ["a", "b", "c", "d"], "top_n": 3}'
    response = (
        b'{"results": [{"index": 3, "relevance_score": 0.5}, {"index": 1, "relevance_score": 0.9},'
        b'{"index": 0, "relevance_score": 0.5}, {"index": 2, "relevance_score": 0.5}]}'
    )
    expected = {
        "results": [
            {"index": 1, "relevance_score": 0.9},
            {"index": 3, "relevance_score": 0.5},
            {"index": 0, "relevance_score": 0.5},
        ]
    }
    assert outputs(implementations, response, request) == [expected] * len(NEEDS)


@pytest.mark.parametrize(
    ("last", "slug"), [(2, "duplicate_index"), (10, "out_of_range")], ids=["repeated", "too_big"]
)
def test_bad_index_is_refused(implementations: list[ModuleType], last: int, slug: str) -> None:
    request = rf.decode_request(inputs.jina_request(10), format="jina")
    response = inputs.jina_response(10, indices=[*range(9), last])
    with pytest.raises(rf.DecodeError) as raised:
        subject.convert(response, request)
    assert raised.value.type == slug
    assert raised.value.path == "$.results[9].index"
    for module in implementations:
        with pytest.raises(ValueError):
            module.convert(response, request)


def test_runner_check_accepts_every_size() -> None:
    implementations = runner.load_implementations()
    for size in (1, 10):
        runner.check(implementations, runner.make_case(size))
