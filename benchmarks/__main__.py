"""Time a Jina rerank response converted to Cohere v2 in its request's context: rerank_formats
against the same reshaping hand-written with msgspec, pydantic and orjson.

All implementations run in this process on the same inputs. Their outputs are first checked
to be JSON-equal; then they are timed round-robin (the starting implementation rotates every
round), each sample a loop of calls lasting about `--sample-ms`, with the garbage collector off
during samples as `timeit` does. The report gives each implementation's median time per call
and its ratio to the msgspec baseline, then the cost of `import rerank_formats`, measured in
fresh interpreters.

    python -m benchmarks            # the full run, about 15 seconds
    python -m benchmarks --quick    # a few seconds, for a smoke test
"""

from __future__ import annotations

import argparse
import gc
import importlib
import itertools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import rerank_formats
from rerank_formats import RerankRequest

from .inputs import jina_request, jina_response

Convert = Callable[[bytes, RerankRequest], bytes]

MODULES = ("bench_msgspec_baseline", "bench_rerank_formats", "bench_pydantic", "bench_orjson")
BASELINE = "bench_msgspec_baseline"
SUBJECT = "bench_rerank_formats"
SIZES = (10, 100, 1000)
TARGET_RATIO = {1000: 1.3, 10: 2.0}
TARGET_IMPORT_MS = 50.0


@dataclass(frozen=True)
class Implementation:
    name: str
    label: str
    convert: Convert


@dataclass(frozen=True)
class Case:
    size: int
    request: RerankRequest
    response: bytes


@dataclass(frozen=True)
class ImportCost:
    added_ms: float
    best_added_ms: float
    msgspec_ms: float
    bare_ms: float
    importtime_ms: float
    imports_pydantic: bool


def load_implementations() -> list[Implementation]:
    found = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if name in (BASELINE, SUBJECT):
                raise
            print(f"skipping {name}: {exc} (install the `bench` dependency group)")
            continue
        found.append(Implementation(name, module.label, module.convert))
    return found


def make_case(size: int) -> Case:
    request = rerank_formats.decode_request(jina_request(size), format="jina")
    return Case(size, request, jina_response(size))


def check(implementations: Sequence[Implementation], case: Case) -> None:
    """Stop the run unless every implementation gives the baseline's JSON."""
    outputs = {i.name: json.loads(i.convert(case.response, case.request)) for i in implementations}
    expected = outputs[BASELINE]
    for implementation in implementations:
        if outputs[implementation.name] != expected:
            raise SystemExit(
                f"{implementation.label} disagrees with the baseline at {case.size} results"
            )


def sample(convert: Convert, case: Case, number: int, *, collect: bool) -> float:
    """Seconds per call over a loop of `number` calls."""
    data, request = case.response, case.request
    enabled = gc.isenabled()
    if not collect:
        gc.disable()
    try:
        start = time.perf_counter()
        for _ in itertools.repeat(None, number):
            convert(data, request)
        return (time.perf_counter() - start) / number
    finally:
        if enabled:
            gc.enable()


def calibrate(convert: Convert, case: Case, seconds: float, *, collect: bool) -> int:
    """How many calls make a sample of about `seconds`; the trial loops warm up the code."""
    number = 1
    while True:
        took = sample(convert, case, number, collect=collect) * number
        if took >= seconds / 5:
            return max(1, round(number * seconds / took))
        number *= 2


def time_case(
    implementations: Sequence[Implementation],
    case: Case,
    *,
    rounds: int,
    seconds: float,
    collect: bool,
) -> dict[str, list[float]]:
    """Per implementation, the seconds per call of each round."""
    numbers = {
        i.name: calibrate(i.convert, case, seconds, collect=collect) for i in implementations
    }
    times: dict[str, list[float]] = {i.name: [] for i in implementations}
    count = len(implementations)
    for round_ in range(rounds):
        gc.collect()
        for k in range(count):
            implementation = implementations[(round_ + k) % count]
            number = numbers[implementation.name]
            times[implementation.name].append(
                sample(implementation.convert, case, number, collect=collect)
            )
    return times


def _half_iqr(values: list[float]) -> float:
    """Half the interquartile range, relative to the median."""
    if len(values) < 4:
        return 0.0
    low, _, high = statistics.quantiles(values, n=4)
    return (high - low) / 2 / statistics.median(values)


def _run(args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, env=env
    )


def _wall(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    _run(["-c", code], env)
    return time.perf_counter() - start


def _importtime(module: str, env: dict[str, str]) -> float:
    """`-X importtime`'s cumulative microseconds for `module`."""
    stderr = _run(["-X", "importtime", "-c", f"import {module}"], env).stderr
    for line in stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return float(parts[1])
    raise RuntimeError(f"-X importtime did not report {module}")


def measure_import(runs: int) -> ImportCost:
    """Fresh interpreters, with bytecode cached in a temporary directory as an installed
    package has it (even where PYTHONDONTWRITEBYTECODE is set)."""
    codes = ("pass", "import msgspec, msgspec.json", "import rerank_formats")
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for code in codes:
            _wall(code, env)
        walls: dict[str, list[float]] = {code: [] for code in codes}
        cumulative = []
        for _ in range(runs):
            for code in codes:
                walls[code].append(_wall(code, env))
            cumulative.append(_importtime("rerank_formats", env))
        probe = "import sys, rerank_formats; print('pydantic' in sys.modules)"
        pydantic = _run(["-c", probe], env).stdout.strip() == "True"
    bare, msgspec, loaded = (statistics.median(walls[code]) * 1e3 for code in codes)
    return ImportCost(
        added_ms=loaded - bare,
        best_added_ms=(min(walls[codes[2]]) - min(walls[codes[0]])) * 1e3,
        msgspec_ms=msgspec - bare,
        bare_ms=bare,
        importtime_ms=statistics.median(cumulative) / 1e3,
        imports_pydantic=pydantic,
    )


def _duration(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        value = seconds / scale
        if value >= 1 or unit == "ns":
            break
    decimals = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{decimals}f} {unit}"


def _size(data: bytes) -> str:
    kib = len(data) / 1024
    return f"{kib:.0f} KiB" if kib >= 100 else f"{kib:.3g} KiB"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read(), re.MULTILINE)
    except OSError:
        match = None
    return match[1].strip() if match else platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def environment() -> str:
    versions = ", ".join(
        f"{package} {_version(package)}" for package in ("msgspec", "pydantic", "orjson")
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"Python {platform.python_version()}, {versions}, rerank_formats "
        f"{rerank_formats.__version__}\n{platform.machine()}, {_cpu()}, {os.cpu_count()} cores, "
        f"load average {load} at start"
    )


def _table(rows: list[list[str]], *, markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(
            1, "|" + "|".join("---" if i == 0 else "--:" for i in range(len(rows[0]))) + "|"
        )
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in rows
    )


def report_times(
    implementations: Sequence[Implementation],
    cases: Sequence[Case],
    medians: dict[int, dict[str, float]],
    spreads: dict[int, dict[str, float]],
    *,
    markdown: bool,
) -> str:
    rows = [["implementation"]]
    for case in cases:
        rows[0] += [f"{case.size} results ({_size(case.response)})", "ratio"]
    for implementation in implementations:
        row = [implementation.label]
        for case in cases:
            median = medians[case.size][implementation.name]
            spread = spreads[case.size][implementation.name]
            ratio = median / medians[case.size][BASELINE]
            row += [f"{_duration(median)} ±{spread:.0%}", f"{ratio:.2f}x"]
        rows.append(row)
    return _table(rows, markdown=markdown)


def report_targets(medians: dict[int, dict[str, float]], cost: ImportCost | None) -> str:
    lines = []
    for size, limit in TARGET_RATIO.items():
        if size in medians:
            ratio = medians[size][SUBJECT] / medians[size][BASELINE]
            verdict = "met" if ratio <= limit else "NOT met"
            lines.append(
                f"rerank_formats at {size} results: {ratio:.3f}x the baseline "
                f"(target <= {limit}x): {verdict}"
            )
    if cost is not None:
        verdict = "met" if cost.added_ms < TARGET_IMPORT_MS else "NOT met"
        lines.append(
            f"import rerank_formats adds {cost.added_ms:.1f} ms (best of runs "
            f"{cost.best_added_ms:.1f} ms) to a {cost.bare_ms:.1f} ms interpreter start, "
            f"of which msgspec {cost.msgspec_ms:.1f} ms "
            f"(-X importtime: {cost.importtime_ms:.1f} ms cumulative) "
            f"(target < {TARGET_IMPORT_MS:.0f} ms): {verdict}"
        )
        verdict = "NOT met" if cost.imports_pydantic else "met"
        answer = "yes" if cost.imports_pydantic else "no"
        lines.append(f"import rerank_formats imports pydantic: {answer} (target: no): {verdict}")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="a short run (a few seconds)")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="results per response")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per size")
    parser.add_argument("--sample-ms", type=float, help="length of one timed loop")
    parser.add_argument("--gc", action="store_true", help="leave the garbage collector on")
    parser.add_argument("--no-import", action="store_true", help="skip the import measurement")
    parser.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    rounds = args.rounds or (5 if args.quick else 25)
    seconds = (args.sample_ms or (10.0 if args.quick else 40.0)) / 1e3
    implementations = load_implementations()
    cases = [make_case(size) for size in args.sizes]
    for case in cases:
        check(implementations, case)
    print("Jina response -> Cohere v2 response, in the request's context (top_n unset)")
    print(environment())
    print(
        f"Outputs checked JSON-equal. {rounds} interleaved rounds, each a ~{seconds * 1e3:.0f} ms "
        f"loop per implementation and size, gc {'on' if args.gc else 'off'} while timing.\n"
        "Median time per call ± half the interquartile range of the rounds; "
        "ratio of medians to the msgspec baseline.\n"
    )
    medians: dict[int, dict[str, float]] = {}
    spreads: dict[int, dict[str, float]] = {}
    for case in cases:
        times = time_case(implementations, case, rounds=rounds, seconds=seconds, collect=args.gc)
        medians[case.size] = {name: statistics.median(t) for name, t in times.items()}
        spreads[case.size] = {name: _half_iqr(t) for name, t in times.items()}
    print(report_times(implementations, cases, medians, spreads, markdown=args.markdown))
    cost = None if args.no_import else measure_import(3 if args.quick else 15)
    print()
    print(report_targets(medians, cost))


if __name__ == "__main__":
    main()
