"""What refusing a hostile body costs: time and peak memory (`python -m benchmarks.limits`)."""

from __future__ import annotations

import contextlib
import statistics
import time
import tracemalloc
from collections.abc import Callable

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


if __name__ == "__main__":
    main()
