"""A long fuzz campaign of both generators (`make fuzz`):

    python -m fuzz --seconds S [--count N] [--engine hypothesis|atheris|both]

Hypothesis draws arbitrary, schema-driven, mutated and hostile inputs (`fuzz.inputs`);
atheris (`fuzz/coverage.py`) mutates bytes towards new branches. Each runs for S seconds
(or, for Hypothesis, N inputs) and reports inputs tried, accepted, rejected and escaped, and
the longest message seen against `MESSAGE_BOUND`. The exit status is 1 if anything escaped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from . import MESSAGE_BOUND, EscapeError, attempt, entry_points, inputs, longest


class _StopError(Exception):
    pass


def hypothesis_campaign(seconds: float, count: int) -> dict[str, object]:
    """Run the Hypothesis generator; its counts, escapes and longest message."""
    calls = entry_points()
    tried = rejected = 0
    escaped: list[str] = []
    start = time.perf_counter()

    @settings(
        max_examples=count or 10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(body=inputs(), which=st.integers(0, len(calls) - 1))
    def campaign(body: object, which: int) -> None:
        nonlocal tried, rejected
        if seconds and not count and time.perf_counter() - start > seconds:
            raise _StopError
        name, call = calls[which]
        tried += 1
        try:
            rejected += not attempt(name, call, body)
        except EscapeError as escape:
            escaped.append(str(escape))

    with contextlib.suppress(_StopError):
        campaign()
    return {
        "inputs": tried,
        "accepted": tried - rejected - len(escaped),
        "rejected": rejected,
        "escaped": len(escaped),
        "longest": longest[0][0],
        "longest_where": longest[0][1],
        "escapes": escaped[:20],
        "seconds": time.perf_counter() - start,
    }


def atheris_campaign(seconds: float, runs: int = 0) -> dict[str, object]:
    """Run `fuzz/coverage.py` in a child process; what it reported."""
    with tempfile.TemporaryDirectory(prefix="rerank-fuzz-") as tmp:
        stats = Path(tmp) / "stats.json"
        flags = [
            f"-max_total_time={max(int(seconds), 1)}",
            "-rss_limit_mb=4096",
            "-print_final_stats=0",
        ]
        if runs:
            flags.append(f"-runs={runs}")
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("coverage.py")), str(stats), *flags],
            capture_output=True,
            check=False,
        )
        report: dict[str, object] = json.loads(stats.read_text()) if stats.exists() else {}
        report["seconds"] = time.perf_counter() - start
        if done.returncode != 0:  # libFuzzer stopped on its own (a crash, out of memory)
            report["escaped"] = int(report.get("escaped", 0)) + 1  # type: ignore[call-overload]
            tail = done.stderr.decode("utf-8", "replace")[-1500:]
            report["escapes"] = [
                *report.get("escapes", []),
                f"libFuzzer exit {done.returncode}: {tail}",
            ]  # type: ignore[misc]
        return report


def _print(engine: str, report: dict[str, object]) -> None:
    print(
        f"{engine}: {report.get('inputs', 0):,} inputs in {report['seconds']:.0f} s: "
        f"{report.get('accepted', 0):,} accepted, {report.get('rejected', 0):,} rejected, "
        f"{report.get('escaped', 0)} escaped; longest message {report.get('longest', 0)} "
        f"characters (bound {MESSAGE_BOUND})"
    )
    for line in report.get("escapes", []):  # type: ignore[attr-defined]
        print(f"  escaped: {line}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--count", type=int, default=0, help="Hypothesis: stop after N inputs")
    parser.add_argument("--seconds", type=float, default=60.0, help="per engine (default 60)")
    parser.add_argument("--engine", choices=["hypothesis", "atheris", "both"], default="both")
    args = parser.parse_args()
    escaped = 0
    if args.engine in ("hypothesis", "both"):
        report = hypothesis_campaign(args.seconds, args.count)
        _print("hypothesis", report)
        escaped += int(report["escaped"])  # type: ignore[call-overload]
    if args.engine in ("atheris", "both"):
        report = atheris_campaign(args.seconds)
        _print("atheris", report)
        escaped += int(report.get("escaped", 0))  # type: ignore[call-overload]
    return 1 if escaped else 0


if __name__ == "__main__":
    sys.exit(main())
