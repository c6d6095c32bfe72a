"""The benchmark implementations do the same reshaping: same JSON out, same inputs refused.

No timing here; `python -m benchmarks` does that.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from test_adding_a_format import registered  # noqa: F401 (a fixture)

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


# -- the whole matrix (benchmarks/matrix.py, benchmarks/baselines/) ----------------------------

matrix = importlib.import_module("benchmarks.matrix")
baselines = importlib.import_module("benchmarks.baselines")
SEEDS = ("jina", "cohere_v1", "cohere_v2", "xinference")


def test_each_baseline_is_its_format_module_found_by_name() -> None:
    found = {p.stem for p in (ROOT / "benchmarks" / "baselines").glob("*.py")}
    assert set(baselines.READERS) == set(baselines.WRITERS) == found & set(rf.FORMATS)
    assert set(SEEDS) <= set(baselines.READERS)
    assert baselines.missing() == [f for f in rf.FORMATS if f not in found]
    for name in baselines.READERS:
        module = importlib.import_module(f"benchmarks.baselines.{name}")
        assert baselines.READERS[name] is module.READER
        assert baselines.WRITERS[name] is module.WRITER


def test_a_format_without_a_baseline_is_measured_against_the_floor(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    registered: dict[str, ModuleType],  # noqa: F811 (the fixture imported above)
) -> None:
    """The two formats of docs/adding-a-format.md, registered with no benchmark file: every
    pair with them is a cell, against the generic floor, with the library's bytes."""
    monkeypatch.setattr(rf, "FORMATS", (*rf.FORMATS, *registered))
    assert baselines.missing()[-2:] == list(registered)
    cells = matrix.build(True, str(tmp_path))
    matrix.check(cells)
    for name in registered:
        for other in SEEDS:
            for group in ("response", "response+request", "request"):
                for row in (f"{name} -> {other}", f"{other} -> {name}"):
                    picked = [c for c in cells if (c.group, c.row) == (group, row)]
                    assert len(picked) == len(matrix.QUICK_RESPONSE_SIZES), (group, row)
                    assert all(c.floor and c.subject() == c.baseline() for c in picked)
        assert {c.row for c in cells if c.group == "unknown"} >= {name}
        assert {c.row for c in cells if c.group == "validate"} >= {
            f"{name} request",
            f"{name} response",
        }
    assert not any(c.floor for c in cells if c.row == "jina -> cohere_v2")
    rows = [
        {"group": c.group, "row": c.row, "size": c.size, "ratio": 1.5, "q1": 1, "q3": 2}
        | {"floor": c.floor}
        for c in cells
    ]
    lines = matrix.verdicts(rows)
    pairs = len(baselines.READERS) ** 2  # the hand-written ones: the verdicts count no others
    assert f"response at 10: {pairs}/{pairs} cells <= 2.0x (worst jina -> jina 1.50x)" in lines
    assert lines[-1].startswith(f"† {sum(c.floor for c in cells)} cells against the generic")
    assert "| acme -> jina † |" in matrix.table(rows, "response")


def test_the_quick_matrix_has_every_pair_and_equal_outputs(tmp_path: Path) -> None:
    cells = matrix.build(True, str(tmp_path))
    pairs = {(c.group, c.row) for c in cells}
    for read in rf.FORMATS:
        for write in rf.FORMATS:
            for group in ("response", "response+request", "request"):
                assert (group, f"{read} -> {write}") in pairs
    unknown = {c.row for c in cells if c.group == "unknown"}
    for name in set(rf.FORMATS) - unknown:  # only a format that refuses the key is left out
        with pytest.raises(rf.DecodeError):
            rf.decode_response(matrix.with_unknown_key(matrix.response_body(name, 10)), format=name)
    assert set(SEEDS) <= unknown
    assert len([c for c in cells if c.group == "validate"]) == 2 * len(rf.FORMATS)
    matrix.check(cells)  # raises SystemExit on any difference
    for cell in cells:
        if cell.group in ("response", "response+request", "request"):
            assert cell.subject() == cell.baseline(), cell.name  # the same bytes


def test_the_baseline_does_the_same_context_work() -> None:
    request = baselines.READERS["jina"].request(matrix.request_body("jina", 3))
    body = matrix.response_body("cohere_v2", 3)
    written = json.loads(baselines.convert_response(body, "cohere_v2", "jina", request))
    scores = [r["relevance_score"] for r in written["results"]]
    assert scores == sorted(scores, reverse=True)
    assert written["model"] == inputs.MODEL
    assert [r["document"]["text"] for r in written["results"]] == [
        inputs.documents(3)[r["index"]] for r in written["results"]
    ]
    repeated = b'{"results":[{"index":0,"relevance_score":1.0},{"index":0,"relevance_score":0.5}]}'
    too_big = b'{"results":[{"index":3,"relevance_score":1.0}]}'
    for bad in (repeated, too_big):
        with pytest.raises(ValueError):
            baselines.convert_response(bad, "cohere_v2", "jina", request)


def _edge_requests() -> list[rf.RerankRequest]:
    documents = ("alpha", "beta", "gamma")
    return [
        rf.RerankRequest(model="m", query="q", documents=documents),
        rf.RerankRequest(
            model="m",
            query="q",
            documents=documents,
            top_n=2,
            return_documents=False,
            truncation=True,
            max_doc_length=100,
        ),
        rf.RerankRequest(model="m", query="q", documents=documents, top_n=0, return_documents=None),
        rf.RerankRequest(model="m", query="q", documents=documents, top_n=None, truncation=False),
    ]


def _edge_responses() -> list[rf.RerankResponse]:
    scores = ((2, 0.25), (0, 0.75), (1, 0.75))  # unsorted, with a tie
    bare = tuple(rf.RerankResult(index=i, relevance_score=s) for i, s in scores)
    echoed = tuple(
        rf.RerankResult(
            index=i, relevance_score=s, document=rf.TextDocument(text=str(i)) if i else None
        )
        for i, s in scores
    )
    return [
        rf.RerankResponse(results=()),
        rf.RerankResponse(results=bare, usage=None),
        rf.RerankResponse(
            results=echoed,
            model="m",
            object="list",
            usage=rf.Usage(total_tokens=7, prompt_tokens=5),
        ),
        rf.RerankResponse(
            results=echoed, usage=rf.Usage(total_tokens=7, prompt_tokens=7, completion_tokens=0)
        ),
        rf.RerankResponse(  # more output tokens than in all: no negative prompt count written
            results=bare, usage=rf.Usage(total_tokens=3, completion_tokens=5)
        ),
    ]


def test_the_baselines_write_the_library_bytes_beyond_the_matrix() -> None:
    """Every pair of hand-written baselines, on what the matrix does not time (no results,
    no documents or null ones, unknown or split usage, `top_n` 0 or null): the library's
    bytes, with the request and without."""
    names = list(baselines.READERS)

    def written(payloads: list[Any], encode: Any) -> dict[str, list[bytes]]:
        return {
            f: list(dict.fromkeys(encode(p, format=f, on_loss="ignore") for p in payloads))
            for f in names
        }

    requests = written(_edge_requests(), rf.encode_request)
    responses = written(_edge_responses(), rf.encode_response)
    for read, write in itertools.product(names, repeat=2):
        for body in requests[read]:
            expected = rf.convert_request(body, read=read, write=write, on_loss="ignore")
            assert baselines.convert_request(body, read, write) == expected, (read, write, body)
        for body in responses[read]:
            expected = rf.convert_response(body, read=read, write=write, on_loss="ignore")
            assert baselines.convert_response(body, read, write, None) == expected, (read, write)
            for request in requests[write]:
                ours = rf.decode_request(request, format=write)
                theirs = baselines.READERS[write].request(request)
                expected = rf.convert_response(
                    body, read=read, write=write, request=ours, on_loss="ignore"
                )
                got = baselines.convert_response(body, read, write, theirs)
                assert got == expected, (read, write, body, request)


def test_quick_mode_runs_and_reports_every_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.json"
    rows = matrix.main(
        [
            "--quick",
            "--rounds",
            "1",
            "--sample-ms",
            "0.05",
            "--only",
            "@1$|validate|cli",
            "--json",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert json.loads(out.read_text()) == rows
    assert {r["group"] for r in rows} == {
        "response",
        "response+request",
        "request",
        "validate",
        "cli",
    }
    assert all(r["ratio"] > 0 and r["q1"] <= r["ratio"] <= r["q3"] for r in rows)
    assert "| jina -> cohere_v2 |" in printed
    assert "validate <= 3.0x a typed decode:" in printed
    assert "of the library's throughput (target >= 70%)" in printed
    plot = importlib.import_module("benchmarks.plot")
    svg = plot.svg(rows, rows)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "| response+request | 1 |" in plot.summary(rows, None)


def _same_as_the_library(body: bytes, read: str, request: rf.RerankRequest) -> None:
    for write in baselines.READERS:
        sent = rf.encode_request(request, format=write, on_loss="ignore")
        expected = rf.convert_response(
            body,
            read=read,
            write=write,
            request=rf.decode_request(sent, format=write),
            on_loss="ignore",
        )
        theirs = baselines.READERS[write].request(sent)
        assert baselines.convert_response(body, read, write, theirs) == expected, write


def test_a_reader_sees_the_request_its_results_answer() -> None:
    """Together echoes an object document as its JSON text: read for a request with object
    documents, it is that object again (Bedrock writes it as a JSON document)."""
    fields = ({"title": "a", "body": "x"}, {"title": "b", "body": "y"})
    texts = [json.dumps(f, separators=(",", ":")) for f in fields]
    results = [
        {"index": i, "relevance_score": s, "document": {"text": texts[i]}}
        for i, s in ((1, 0.25), (0, 0.75))
    ]
    body = json.dumps({"object": "rerank", "results": results}).encode()
    documents = tuple(rf.ObjectDocument(fields=f) for f in fields)
    request = rf.RerankRequest(model="m", query="q", documents=documents, return_documents=True)
    _same_as_the_library(body, "together", request)
    written = baselines.convert_response(
        body,
        "together",
        "bedrock",
        baselines.READERS["bedrock"].request(
            rf.encode_request(request, format="bedrock", on_loss="ignore")
        ),
    )
    assert json.loads(written)["results"][0]["document"] == {
        "type": "JSON",
        "jsonDocument": {"title": "a", "body": "x"},
    }


def test_a_writer_sees_the_request_it_answers() -> None:
    """Infinity's placeholder model (a request that named none) is written back in a response
    without a model, as infinity-client requires one."""
    sent = b'{"query":"q","documents":["a","b"],"model":"default/not-specified"}'
    answer = rf.RerankResponse(
        results=(rf.RerankResult(index=1, relevance_score=0.5),), usage=rf.Usage(total_tokens=2)
    )
    for read in baselines.READERS:
        body = rf.encode_response(answer, format=read, on_loss="ignore")
        expected = rf.convert_response(
            body,
            read=read,
            write="infinity",
            request=rf.decode_request(sent, format="infinity"),
            on_loss="ignore",
        )
        theirs = baselines.READERS["infinity"].request(sent)
        written = baselines.convert_response(body, read, "infinity", theirs)
        assert written == expected, read
        assert json.loads(written)["model"] == "default/not-specified", read
