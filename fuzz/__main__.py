"""A long fuzz campaign: `python -m fuzz --count N` or `--seconds S` (`make fuzz`)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time

from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from . import EscapeError, attempt, entry_points, inputs


class _StopError(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--count", type=int, default=0, help="stop after this many inputs")
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="stop after this long (default 60)"
    )
    args = parser.parse_args()
    calls = entry_points()
    tried = rejected = 0
    escaped: list[str] = []
    start = time.perf_counter()

    @settings(
        max_examples=args.count or 10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(body=inputs(), which=st.integers(0, len(calls) - 1))
    def campaign(body: object, which: int) -> None:
        nonlocal tried, rejected
        if args.seconds and not args.count and time.perf_counter() - start > args.seconds:
            raise _StopError
        name, call = calls[which]
        tried += 1
        try:
            rejected += not attempt(name, call, body)
        except EscapeError as escape:
            escaped.append(str(escape))

    with contextlib.suppress(_StopError):
        campaign()
    elapsed = time.perf_counter() - start
    print(
        f"{tried:,} inputs in {elapsed:.0f} s over {len(calls)} entry points: {tried - rejected - len(escaped):,} accepted, {rejected:,} rejected, {len(escaped)} escaped"
    )
    for line in escaped[:20]:
        print(f"escaped: {line}")
    return 1 if escaped else 0


if __name__ == "__main__":
    sys.exit(main())
