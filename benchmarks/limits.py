"""What refusing a hostile body costs: time and peak memory; and what `validate` and
`detect` cost against a decode of the same body (`python -m benchmarks.limits`)."""

from __future__ import annotations

import contextlib
import statistics
import time
import tracemalloc
from collections.abc import Callable

import msgspec

import rerank_formats as rf

MIB = 1024 * 1024


def _cases() -> list[tuple[str, Callable[[], object]]]:
    big = b'{"model": "m", "query": "q", "documents": ["' + b"x" * (50 * MIB) + b'"]}'
    many = (
        b'{"model": "m", "query": "q", "documents": ['
        + b",".join([b'"' + b"y" * 400 + b'"'] * 120_000)
        + b"]}"
    )
    deep = b"[" * 100_000 + b"]" * 100_000
    meta = b'{"results": [], "meta": {"x": ' + b"[" * 500 + b"]" * 500 + b"}}"
    ten_thousand = (
        b'{"model": "m", "query": "q", "documents": ['
        + b",".join([b'"' + b"z" * 300 + b'"'] * 10_000)
        + b"]}"
    )
    roomy = rf.Limits(max_bytes=64 * MIB)
    return [
        ("50 MiB body (over max_bytes)", lambda: rf.decode_request(big, format="jina")),
        (
            "48 MiB body of 120,000 documents, max_bytes raised to 64 MiB (over max_documents)",
            lambda: rf.decode_request(many, format="jina", limits=roomy),
        ),
        ("arrays nested 100,000 deep (200 KB)", lambda: rf.decode_request(deep, format="jina")),
        ("a Cohere meta nested 500 deep", lambda: rf.decode_response(meta, format="cohere_v2")),
        (
            "a valid request of 10,000 documents (3 MB), for comparison",
            lambda: rf.decode_request(ten_thousand, format="jina"),
        ),
        ("validate() of the 50 MiB body", lambda: rf.validate(big, format="jina", kind="request")),
    ]


def _ratio_cases() -> list[tuple[str, str, bytes]]:
    """(label, kind, body): bodies within the default limits, valid and hostile."""
    texts = b",".join([b'"' + b"z" * 300 + b'"'] * 10_000)
    objects = b",".join([b'{"title": "t%d", "text": "some text"}' % i for i in range(10_000)])
    results = b",".join(
        [b'{"index": %d, "relevance_score": 0.5, "rank": %d}' % (i, i) for i in range(10_000)]
    )
    numbers = b",".join([b"{" + b",".join(b'"k%d": %d' % (k, k) for k in range(100)) + b"}"])
    empties = b",".join([b"{}"] * ((16 * MIB - 100) // 3))
    wide = b"[" + b",".join([b"[1, 2, 3, 4, 5, 6, 7, 8]"] * 80_000) + b"]"
    return [
        (
            "10,000 text documents (3 MB), fast path",
            "request",
            b'{"model": "m", "query": "q", "documents": [' + texts + b"]}",
        ),
        (
            "10,000 object documents (450 KB), general path",
            "request",
            b'{"query": "q", "documents": [' + objects + b"]}",
        ),
        (
            "10,000 results with an unknown key each (530 KB)",
            "response",
            b'{"results": [' + results + b"]}",
        ),
        (
            "10,000 documents of 100 numbers each (a problem per value, 12 MB)",
            "request",
            b'{"model": "m", "query": "q", "documents": [' + b",".join([numbers] * 10_000) + b"]}",
        ),
        (
            "5.5 million {} documents in 16 MiB (over max_documents)",
            "request",
            b'{"model": "m", "query": "q", "documents": [' + empties + b"]}",
        ),
        (
            "an unknown key holding 80,000 arrays (1.9 MB)",
            "request",
            b'{"model": "m", "query": "q", "documents": ["a"], "x": ' + wide + b"}",
        ),
    ]


def _seconds(call: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(rf.DecodeError):
            call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timings(kind: str, body: bytes) -> tuple[float, float, float, float]:
    decode = rf.decode_request if kind == "request" else rf.decode_response
    fmt = "cohere_v1" if b"title" in body else "jina"
    return (
        _seconds(lambda: msgspec.json.decode(body)),
        _seconds(lambda: decode(body, format=fmt)),
        _seconds(lambda: rf.validate(body, format=fmt, kind=kind)),  # type: ignore[arg-type]
        _seconds(lambda: rf.detect(body)),
    )


def ratios() -> list[tuple[str, float, float, float, float]]:
    """(label, parse, decode, validate, detect) median seconds for each body."""
    rows = []
    for label, kind, body in _ratio_cases():
        rows.append((label, *_timings(kind, body)))
    return rows


def measure(call: Callable[[], object], runs: int = 5) -> tuple[float, int, str]:
    """Median seconds, peak bytes allocated (tracemalloc), and what the call ended with."""
    times = []
    outcome = ""
    for _ in range(runs):
        start = time.perf_counter()
        try:
            result = call()
            problems = result if isinstance(result, tuple) else ()
            outcome = ", ".join(f"problem {p.type}" for p in problems) or "accepted"
        except rf.DecodeError as error:
            outcome = f"DecodeError {error.type}"
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    with contextlib.suppress(rf.DecodeError):
        call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak, outcome


def main() -> None:
    print("| body | outcome | median time | peak memory allocated |")
    print("| --- | --- | ---: | ---: |")
    for label, call in _cases():
        seconds, peak, outcome = measure(call)
        print(f"| {label} | {outcome} | {seconds * 1e3:.3f} ms | {peak / 1024:,.1f} KiB |")
    print()
    print("| body | parse | decode | validate | detect | validate / decode | detect / decode |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, parse, decode, validate, detect in ratios():
        print(
            f"| {label} | {parse * 1e3:.1f} ms | {decode * 1e3:.1f} ms | {validate * 1e3:.1f} ms"
            f" | {detect * 1e3:.1f} ms | {validate / decode:.1f} | {detect / decode:.1f} |"
        )


if __name__ == "__main__":
    main()
