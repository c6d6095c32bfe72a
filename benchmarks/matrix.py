"""rerank_formats against hand-written msgspec baselines on every path, for every registered
format (`rerank_formats.FORMATS`: a format added later is measured without editing this).

    python -m benchmarks.matrix            # the whole matrix (run it nice'd: a minute or two)
    python -m benchmarks.matrix --quick    # a few seconds: small sizes, few rounds
    python -m benchmarks.matrix --json out.json --markdown

Cells:

- `response`: every read -> write pair, with the client's request (in the write format,
  asking for documents where the format can) and without, at 1/10/100/1000/10000 results;
- `request`: every read -> write pair at 1/10/100/1000 documents;
- `unknown`: `decode_response` of a payload with one unknown top-level key, against the same
  payload without it (both rerank_formats: the general path against the fast one);
- `validate`: `validate()` of a valid payload against a typed msgspec decode of it;
- `cli`: `rerank-formats convert --jsonl` (in this process, through `cli.main`) against the
  same `convert_response` calls and writes in a loop.

A format's baseline is its module in `benchmarks/baselines/` (found by the registered
name); a cell whose formats lack one is timed against the generic floor
(`baselines.floor`: an untyped parse of the input and a write of the output, no checks),
marked `†` in the tables and left out of the targets' verdicts.

Every cell's two sides are first checked to give the same bytes (the baseline's); then all
cells are timed in interleaved rounds in this one process, each round timing both sides of a
cell back to back (which one first alternates) with `time.process_time`, the garbage
collector off during a sample. The ratio of a cell is the median of its per-round ratios,
with the interquartile range of those ratios as its spread.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

import rerank_formats as rf
from rerank_formats import cli
from rerank_formats.registry import get_codec

from . import baselines
from .inputs import MODEL, _text, documents

RESPONSE_SIZES = (1, 10, 100, 1000, 10000)
REQUEST_SIZES = (1, 10, 100, 1000)
QUICK_RESPONSE_SIZES = (1, 10)
QUICK_REQUEST_SIZES = (1, 10)
UNKNOWN_SIZES = (10, 1000)
CLI_LINES = 500
CLI_PAIR = ("cohere_v2", "jina")  # the flagship proxy path: a Cohere v2 upstream, a Jina client
TARGETS = {1000: 1.3, 10: 2.0}
UNKNOWN_TARGET = 2.0
VALIDATE_TARGET = 3.0
CLI_TARGET = 0.7  # of the library's throughput


# -- inputs, written by rerank_formats from the canonical model (any registered format) ----------


def canonical_request(n: int, *, seed: int = 0) -> rf.RerankRequest:
    """A request for `n` documents that asks for them back (where the format can say so)."""
    return rf.RerankRequest(
        model=MODEL,
        query=_text(random.Random(f"query-{seed}"), 40),
        documents=tuple(documents(n, seed=seed)),
        return_documents=True,
    )


def canonical_response(n: int, *, seed: int = 0) -> rf.RerankResponse:
    """The answer to `canonical_request(n)`: shuffled, unsorted scores, documents echoed."""
    texts = documents(n, seed=seed)
    rng = random.Random(f"response-{seed}")
    order = list(range(n))
    rng.shuffle(order)
    return rf.RerankResponse(
        results=tuple(
            rf.RerankResult(
                index=i,
                relevance_score=round(rng.random(), 8),
                document=rf.TextDocument(text=texts[i]),
            )
            for i in order
        ),
        model=MODEL,
        object="list",
        usage=rf.Usage(total_tokens=sum(len(t.split()) for t in texts) + 8),
    )


def request_body(format: str, n: int) -> bytes:
    return rf.encode_request(canonical_request(n), format=format, on_loss="ignore")


def response_body(format: str, n: int) -> bytes:
    """The response as `format`'s server sends it (with an `id` where the format has one)."""
    body = rf.encode_response(canonical_response(n), format=format, on_loss="ignore")
    if "id" in get_codec(format, "response").fields:
        body = b'{"id":"bench-' + str(n).encode() + b'",' + body[1:]
    return body


def with_unknown_key(body: bytes) -> bytes:
    """`body` with a key its format does not know, last (the strict decoder reads it all
    before it finds the key: the worst place): in the object, or in a bare array's last
    result."""
    if body.endswith(b"}]"):
        return body[:-2] + b',"x_gateway_trace":"abc123"}]'
    return body[:-1] + b',"x_gateway_trace":"abc123"}'


# -- cells -------------------------------------------------------------------------------------

Call = Callable[[], Any]


@dataclass
class Cell:
    group: str  # response, response+request, request, unknown, validate, cli
    row: str  # "jina -> cohere_v2", or a format name
    size: int
    subject: Call
    baseline: Call
    compare: Callable[[Any, Any], bool] = lambda a, b: a == b
    ratios: list[float] = field(default_factory=list)
    seconds: list[tuple[float, float]] = field(default_factory=list)
    numbers: tuple[int, int] = (1, 1)  # calls per sample: subject, baseline
    floor: bool = False  # timed against the generic floor: no hand-written baseline yet

    @property
    def name(self) -> str:
        return f"{self.group} {self.row} @{self.size}"


def _pairs() -> list[tuple[str, str]]:
    return list(itertools.product(rf.FORMATS, repeat=2))


def _hand_written(*formats: str) -> bool:
    return all(f in baselines.READERS and f in baselines.WRITERS for f in formats)


def _floor_cell(group: str, row: str, size: int, subject: Call, data: bytes) -> Cell:
    """A cell of formats without a hand-written baseline: against the generic floor, which
    writes the bytes the library writes (checked like any other cell)."""
    return Cell(group, row, size, subject, baselines.floor(data, subject()), floor=True)


def response_cells(sizes: Sequence[int]) -> list[Cell]:
    # A loss is let through, as a gateway would (a format without usage, say): the bytes
    # written are what is compared; no seed pair loses anything here.
    cells = []
    for size in sizes:
        bodies = {f: response_body(f, size) for f in rf.FORMATS}
        requests = {f: request_body(f, size) for f in rf.FORMATS}
        for read, write in _pairs():
            data = bodies[read]
            row = f"{read} -> {write}"
            if not _hand_written(read, write):
                ours = rf.decode_request(requests[write], format=write)
                cells += [
                    _floor_cell(
                        "response",
                        row,
                        size,
                        lambda d=data, r=read, w=write: rf.convert_response(
                            d, read=r, write=w, on_loss="ignore"
                        ),
                        data,
                    ),
                    _floor_cell(
                        "response+request",
                        row,
                        size,
                        lambda d=data, r=read, w=write, q=ours: rf.convert_response(
                            d, read=r, write=w, request=q, on_loss="ignore"
                        ),
                        data,
                    ),
                ]
                continue
            cells.append(
                Cell(
                    "response",
                    f"{read} -> {write}",
                    size,
                    lambda d=data, r=read, w=write: rf.convert_response(
                        d, read=r, write=w, on_loss="ignore"
                    ),
                    lambda d=data, r=read, w=write: baselines.convert_response(d, r, w, None),
                )
            )
            ours = rf.decode_request(requests[write], format=write)
            theirs = baselines.READERS[write].request(requests[write])
            cells.append(
                Cell(
                    "response+request",
                    f"{read} -> {write}",
                    size,
                    lambda d=data, r=read, w=write, q=ours: rf.convert_response(
                        d, read=r, write=w, request=q, on_loss="ignore"
                    ),
                    lambda d=data, r=read, w=write, q=theirs: baselines.convert_response(
                        d, r, w, q
                    ),
                )
            )
    return cells


def request_cells(sizes: Sequence[int]) -> list[Cell]:
    # Requests written for Xinference ask `return_len`, which a format that reports no
    # tokens drops: a reporting loss, let through as a gateway would (the baseline drops it).
    cells = []
    for size in sizes:
        for read, write in _pairs():
            data = request_body(read, size)
            if not _hand_written(read, write):
                cells.append(
                    _floor_cell(
                        "request",
                        f"{read} -> {write}",
                        size,
                        lambda d=data, r=read, w=write: rf.convert_request(
                            d, read=r, write=w, on_loss="ignore"
                        ),
                        data,
                    )
                )
                continue
            cells.append(
                Cell(
                    "request",
                    f"{read} -> {write}",
                    size,
                    lambda d=data, r=read, w=write: rf.convert_request(
                        d, read=r, write=w, on_loss="ignore"
                    ),
                    lambda d=data, r=read, w=write: baselines.convert_request(d, r, w),
                )
            )
    return cells


def unknown_cells(sizes: Sequence[int]) -> list[Cell]:
    """`decode_response` with one unknown top-level key (subject) and without (baseline)."""

    def same(with_key: rf.RerankResponse, without: rf.RerankResponse) -> bool:
        return with_key.results == without.results and with_key.usage == without.usage

    cells = []
    for size in sizes:
        for name in rf.FORMATS:
            plain = response_body(name, size)
            extra = with_unknown_key(plain)
            try:
                rf.decode_response(extra, format=name)
            except rf.RerankFormatError:
                continue  # the format refuses an unknown key there: no general path to time
            cells.append(
                Cell(
                    "unknown",
                    name,
                    size,
                    lambda d=extra, f=name: rf.decode_response(d, format=f),
                    lambda d=plain, f=name: rf.decode_response(d, format=f),
                    same,
                )
            )
    return cells


def validate_cells(size: int) -> list[Cell]:
    """`validate` of a valid payload (no errors; the results are shuffled, which it warns
    about) against a typed decode of it: with the hand-written baseline's types, else with
    the library's own wire types (its codec's strict decoder)."""
    cells = []
    for name in rf.FORMATS:
        reader = baselines.READERS.get(name)
        for kind, body, typed in (
            (
                "request",
                request_body(name, size),
                reader.request_type if reader else get_codec(name, "request")._fast_type,
            ),
            (
                "response",
                response_body(name, size),
                reader.response_type if reader else get_codec(name, "response")._fast_type,
            ),
        ):
            decode = msgspec.json.Decoder(typed).decode
            cells.append(
                Cell(
                    "validate",
                    f"{name} {kind}",
                    size,
                    lambda d=body, f=name, k=kind: rf.validate(d, format=f, kind=k),
                    lambda d=body, decode=decode: decode(d),
                    lambda problems, decoded: (
                        decoded is not None and not any(p.severity == "error" for p in problems)
                    ),
                )
            )
    return cells


def cli_cell(lines: int, directory: str) -> Cell:
    """`rerank-formats convert --jsonl` against the same library calls in a loop."""
    read, write = CLI_PAIR
    size = 10
    body = response_body(read, size)
    request_path = Path(directory, "request.json")
    request_path.write_bytes(request_body(write, size))
    input_path = Path(directory, "responses.jsonl")
    input_path.write_bytes(b"".join(body + b"\n" for _ in range(lines)))
    argv = [
        "convert",
        "--kind",
        "response",
        "--read",
        read,
        "--write",
        write,
        "--request",
        str(request_path),
        "--jsonl",
        str(input_path),
    ]

    def command_line() -> str:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
        if code != 0:
            raise RuntimeError(err.getvalue())
        return out.getvalue()

    def library() -> str:
        out = io.StringIO()
        request = rf.decode_request(request_path.read_bytes(), format=write)
        with open(input_path, "rb") as file:
            for line in file:
                if line.strip():
                    converted = rf.convert_response(line, read=read, write=write, request=request)
                    out.write(converted.decode() + "\n")
        return out.getvalue()

    return Cell("cli", f"convert --jsonl {read} -> {write}", lines, command_line, library)


def build(quick: bool, directory: str) -> list[Cell]:
    return [
        *response_cells(QUICK_RESPONSE_SIZES if quick else RESPONSE_SIZES),
        *request_cells(QUICK_REQUEST_SIZES if quick else REQUEST_SIZES),
        *unknown_cells((10,) if quick else UNKNOWN_SIZES),
        *validate_cells(10),
        cli_cell(20 if quick else CLI_LINES, directory),
    ]


def check(cells: Sequence[Cell]) -> None:
    """Stop unless every cell's two sides agree (the same bytes, for conversions)."""
    wrong = [cell.name for cell in cells if not cell.compare(cell.subject(), cell.baseline())]
    if wrong:
        raise SystemExit(f"rerank_formats and the baseline disagree: {', '.join(wrong)}")


# -- timing ------------------------------------------------------------------------------------


def sample(call: Call, number: int) -> float:
    """CPU seconds per call over `number` calls, the garbage collector off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.process_time()
        for _ in itertools.repeat(None, number):
            call()
        return (time.process_time() - start) / number
    finally:
        if enabled:
            gc.enable()


def calibrate(call: Call, seconds: float) -> int:
    number = 1
    while True:
        took = sample(call, number) * number
        if took >= seconds / 4:
            return max(1, round(number * seconds / max(took, 1e-9)))
        number *= 2


def run(cells: Sequence[Cell], *, rounds: int, seconds: float) -> None:
    for cell in cells:  # each side gets samples of about `seconds` (the trials warm it up)
        cell.numbers = (calibrate(cell.subject, seconds), calibrate(cell.baseline, seconds))
    for round_ in range(rounds):
        gc.collect()
        order = list(cells)
        random.Random(round_).shuffle(order)
        for cell in order:
            if round_ % 2:
                ours = sample(cell.subject, cell.numbers[0])
                theirs = sample(cell.baseline, cell.numbers[1])
            else:
                theirs = sample(cell.baseline, cell.numbers[1])
                ours = sample(cell.subject, cell.numbers[0])
            cell.seconds.append((ours, theirs))
            cell.ratios.append(ours / theirs if theirs > 0 else float("nan"))


def summary(cell: Cell) -> tuple[float, float, float]:
    """The median ratio and its interquartile range (low, high)."""
    ratios = sorted(cell.ratios)
    median = statistics.median(ratios)
    if len(ratios) < 4:
        return median, ratios[0], ratios[-1]
    low, _, high = statistics.quantiles(ratios, n=4)
    return median, low, high


# -- reports -----------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        value = seconds / scale
        if value >= 1 or unit == "ns":
            break
    return f"{value:.{0 if value >= 100 else 1 if value >= 10 else 2}f} {unit}"


def results_json(cells: Sequence[Cell]) -> list[dict[str, Any]]:
    out = []
    for cell in cells:
        median, low, high = summary(cell)
        out.append(
            {
                "group": cell.group,
                "row": cell.row,
                "size": cell.size,
                "ratio": median,
                "q1": low,
                "q3": high,
                "subject_s": statistics.median(s for s, _ in cell.seconds),
                "baseline_s": statistics.median(b for _, b in cell.seconds),
                "floor": cell.floor,
            }
        )
    return out


def table(rows: list[dict[str, Any]], group: str) -> str:
    """One Markdown table: a row per pair (or format), a column per size."""
    picked = [r for r in rows if r["group"] == group]
    sizes = sorted({r["size"] for r in picked})
    names = list(dict.fromkeys(r["row"] for r in picked))
    by = {(r["row"], r["size"]): r for r in picked}
    floors = {r["row"] for r in picked if r.get("floor")}
    lines = [
        "| " + " | ".join(["", *(f"{s:,}" for s in sizes)]) + " |",
        "|---|" + "--:|" * len(sizes),
    ]
    for name in names:
        cells = []
        for size in sizes:
            r = by.get((name, size))
            cells.append("" if r is None else f"{r['ratio']:.2f} [{r['q1']:.2f}, {r['q3']:.2f}]")
        shown = f"{name} †" if name in floors else name
        lines.append("| " + " | ".join([shown, *cells]) + " |")
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """Each target, met in how many cells; the cells timed against the generic floor (no
    hand-written baseline yet) are counted apart, not in the targets."""
    floors = [r for r in rows if r.get("floor")]
    rows = [r for r in rows if not r.get("floor")]
    lines = []
    for group in ("response", "response+request", "request"):
        for size, limit in TARGETS.items():
            picked = [r for r in rows if r["group"] == group and r["size"] == size]
            if picked:
                over = [r for r in picked if r["ratio"] > limit]
                worst = max(picked, key=lambda r: r["ratio"])
                lines.append(
                    f"{group} at {size:,}: {len(picked) - len(over)}/{len(picked)} cells "
                    f"<= {limit}x (worst {worst['row']} {worst['ratio']:.2f}x)"
                )
    for group, limit, what in (
        ("unknown", UNKNOWN_TARGET, "one unknown key <= {}x without"),
        ("validate", VALIDATE_TARGET, "validate <= {}x a typed decode"),
    ):
        picked = [r for r in rows if r["group"] == group]
        if picked:
            over = [r for r in picked if r["ratio"] > limit]
            worst = max(picked, key=lambda r: r["ratio"])
            lines.append(
                f"{what.format(limit)}: {len(picked) - len(over)}/{len(picked)} cells "
                f"(worst {worst['row']} @{worst['size']} {worst['ratio']:.2f}x)"
            )
    for r in rows:
        if r["group"] == "cli":
            share = 1 / r["ratio"]
            verdict = "met" if share >= CLI_TARGET else "NOT met"
            lines.append(
                f"{r['row']}: {share:.0%} of the library's throughput "
                f"(target >= {CLI_TARGET:.0%}): {verdict}"
            )
    if floors:
        worst = max(floors, key=lambda r: r["ratio"])
        lines.append(
            f"† {len(floors)} cells against the generic floor, not a verdict (no hand-written "
            f"baseline yet for {', '.join(baselines.missing())}; worst {worst['group']} "
            f"{worst['row']} @{worst['size']} {worst['ratio']:.2f}x)"
        )
    return lines


def report(rows: list[dict[str, Any]]) -> str:
    parts = []
    titles = {
        "response": "Responses without the request (rf ÷ baseline; read -> write, by results)",
        "response+request": "Responses with the request (rf ÷ baseline; read -> write, by results)",
        "request": "Requests (rf ÷ baseline; read -> write, by documents)",
        "unknown": "One unknown key (decode_response with it ÷ without it, by results)",
        "validate": "validate() ÷ a typed msgspec decode (10 documents or results)",
        "cli": "convert --jsonl ÷ the same library calls in a loop (by lines)",
    }
    for group, title in titles.items():
        if any(r["group"] == group for r in rows):
            parts.append(f"{title}; median ratio [interquartile range]\n\n{table(rows, group)}")
    parts.append("\n".join(verdicts(rows)))
    return "\n\n".join(parts)


def environment() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"Python {sys.version.split()[0]}, msgspec {msgspec.__version__}, "
        f"rerank_formats {rf.__version__}, {os.cpu_count()} cores, load average {load}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matrix", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 15; quick 2)")
    parser.add_argument(
        "--sample-ms", type=float, help="CPU time of one sample (default 8; quick 1)"
    )
    parser.add_argument("--only", help="only cells whose name matches this regular expression")
    parser.add_argument("--check-only", action="store_true", help="check outputs, time nothing")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        cells = build(args.quick, directory)
        if args.only:
            cells = [c for c in cells if re.search(args.only, c.name)]
        check(cells)
        print(f"{len(cells)} cells, outputs checked equal. {environment()}")
        if args.check_only:
            return []
        rounds = args.rounds or (2 if args.quick else 15)
        seconds = (args.sample_ms or (1.0 if args.quick else 8.0)) / 1e3
        run(cells, rounds=rounds, seconds=seconds)
        rows = results_json(cells)
    print(f"{rounds} interleaved rounds, samples of ~{seconds * 1e3:.0f} ms CPU time\n")
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return rows


if __name__ == "__main__":
    main()
