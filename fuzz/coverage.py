"""Coverage-guided fuzzing with atheris (libFuzzer): every entry point of `fuzz.entry_points`
fed bytes that libFuzzer mutates towards new branches of rerank_formats.

Run as a script, so that rerank_formats is imported (and instrumented) before anything else:

    python fuzz/coverage.py STATS.json [libFuzzer flags, e.g. -max_total_time=60 -runs=1000]

The first byte of an input picks the entry point, the second how the rest is passed: bytes,
a `str` decoded with `surrogateescape` (lone surrogates), or the object Python's `json`
parses from it (NaN, infinities, integers of any length). An escape (anything but the
library's own errors, or a message over its bound) is counted and its input saved next to
STATS.json; the campaign goes on. STATS.json is rewritten every second and on each escape:
{"inputs", "accepted", "rejected", "escaped", "longest", "longest_where", "escapes"}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["rerank_formats"]):
    import rerank_formats  # noqa: F401  (instrumented before fuzz/ imports it)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz import EscapeError, attempt, entry_points, longest

CALLS = entry_points()
STATS = Path(sys.argv[1])
stats: dict[str, object] = {"inputs": 0, "accepted": 0, "rejected": 0, "escaped": 0}
escapes: list[str] = []
_last = [0.0]


def _payload(mode: int, body: bytes) -> object:
    if mode == 1:
        return body.decode("utf-8", "surrogateescape")
    if mode == 2:
        try:
            return json.loads(body.decode("utf-8", "surrogateescape"))
        except (ValueError, RecursionError):
            return body
    return body


def _save(force: bool = False) -> None:
    now = time.monotonic()
    if force or now - _last[0] > 1:
        _last[0] = now
        stats["longest"], stats["longest_where"] = longest[0]
        stats["escapes"] = escapes[:20]
        STATS.write_text(json.dumps(stats, indent=1))


def one_input(data: bytes) -> None:
    """One libFuzzer input."""
    if len(data) < 2:
        return
    name, call = CALLS[data[0] % len(CALLS)]
    payload = _payload(data[1] % 3, data[2:])
    stats["inputs"] = int(stats["inputs"]) + 1  # type: ignore[call-overload]
    try:
        key = "accepted" if attempt(name, call, payload) else "rejected"
    except EscapeError as escape:
        key = "escaped"
        escapes.append(str(escape)[:500])
        (STATS.parent / f"escape-{len(escapes)}.bin").write_bytes(data)
        _save(force=True)
    stats[key] = int(stats[key]) + 1  # type: ignore[call-overload]
    _save()


def main() -> None:
    """Run libFuzzer with the flags after STATS.json."""
    seeds = STATS.parent / "corpus"
    seeds.mkdir(parents=True, exist_ok=True)
    from fuzz import recorded_bodies  # the recorded payloads seed the corpus

    for i, body in enumerate(recorded_bodies()):
        (seeds / f"recorded-{i}").write_bytes(bytes([i % len(CALLS), 0]) + body)
    _save(force=True)
    atheris.Setup([sys.argv[0], *sys.argv[2:], str(seeds)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
