"""The ratio against size of `python -m benchmarks.matrix --json`, as a small SVG (no plotting
library needed) and as Markdown summary rows.

    python -m benchmarks.plot after.json [--before before.json] --svg docs/benchmark-matrix.svg
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GROUPS = {
    "response+request": ("responses with the request", "#1f77b4"),
    "response": ("responses without it", "#2ca02c"),
    "request": ("requests", "#d62728"),
}
WIDTH, HEIGHT = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 56, 200, 28, 44


def series(rows: list[dict[str, Any]], group: str) -> list[tuple[int, float, float]]:
    """(size, median over pairs, worst pair) of a group, against hand-written baselines (the
    cells against the generic floor are left out)."""
    rows = [r for r in rows if not r.get("floor")]
    out = []
    for size in sorted({r["size"] for r in rows if r["group"] == group}):
        ratios = [r["ratio"] for r in rows if r["group"] == group and r["size"] == size]
        out.append((size, statistics.median(ratios), max(ratios)))
    return out


def svg(after: list[dict[str, Any]], before: list[dict[str, Any]] | None) -> str:
    curves = {g: series(after, g) for g in GROUPS}
    olds = {g: series(before, g) for g in GROUPS} if before else {}
    sizes = sorted({s for c in curves.values() for s, _, _ in c})
    top = max([w for c in (*curves.values(), *olds.values()) for _, _, w in c] + [2.5])
    top = math.ceil(top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high = math.log10(sizes[0]), math.log10(sizes[-1])

    def x(size: int) -> float:
        return LEFT + (math.log10(size) - low) / (high - low or 1) * plot_w

    def y(ratio: float) -> float:
        return TOP + plot_h - ratio / top * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="16" font-size="12">rerank_formats ÷ msgspec baseline (CPU time), '
        "median and worst read → write pair</text>",
    ]
    for tick in range(top + 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#ddd"/><text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{tick}x</text>"
        )
    for size in sizes:
        parts.append(
            f'<text x="{x(size):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{size:,}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
        "results or documents per payload</text>"
    )
    for size, limit in ((10, 2.0), (1000, 1.3)):  # the targets
        parts.append(
            f'<path d="M{x(size) - 7:.1f},{y(limit):.1f} h14" stroke="black" stroke-width="3"/>'
        )
    for group, (_label, colour) in GROUPS.items():
        for points, dash, width in (
            ([(s, m) for s, m, _ in curves[group]], "", 2),
            ([(s, w) for s, _, w in curves[group]], ' stroke-dasharray="5,3"', 1.5),
            ([(s, w) for s, _, w in olds.get(group, [])], ' stroke-dasharray="1,3"', 1),
        ):
            if points:
                path = " ".join(
                    f"{'M' if i == 0 else 'L'}{x(s):.1f},{y(r):.1f}"
                    for i, (s, r) in enumerate(points)
                )
                parts.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>'
                )
    legend_x, legend_y = LEFT + plot_w + 14, TOP + 8
    for i, (_group, (label, colour)) in enumerate(GROUPS.items()):
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y + i * 18 - 8}" width="10" height="10" '
            f'fill="{colour}"/><text x="{legend_x + 16}" y="{legend_y + i * 18 + 1}">{label}</text>'
        )
    notes = ["solid: median pair", "dashed: worst pair", "black bars: targets"]
    if before:
        notes.insert(2, "dotted: worst pair before")
    for i, note in enumerate(notes):
        parts.append(f'<text x="{legend_x}" y="{legend_y + 70 + i * 16}">{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def summary(after: list[dict[str, Any]], before: list[dict[str, Any]] | None) -> str:
    """Markdown rows: per group and size, the median and worst pair, before and after."""
    lines = [
        "| cells | size | before: median pair | before: worst | after: median pair | after: worst |",
        "|---|--:|--:|--:|--:|--:|",
    ]

    def cell(value: float | None) -> str:
        return "" if value is None else f"{value:.2f}x"

    for group in GROUPS:
        old = {s: (m, w) for s, m, w in series(before, group)} if before else {}
        for size, median, worst in series(after, group):
            was = old.get(size, (None, None))
            row = [group, f"{size:,}", cell(was[0]), cell(was[1]), cell(median), cell(worst)]
            lines.append("| " + " | ".join(row) + " |")
    for group in ("unknown", "validate", "cli"):
        olds = {(r["row"], r["size"]): r["ratio"] for r in before or [] if r["group"] == group}
        for r in after:
            if r["group"] == group:
                was = olds.get((r["row"], r["size"]))
                row = [
                    f"{group}: {r['row']}",
                    f"{r['size']:,}",
                    cell(was),
                    "",
                    cell(r["ratio"]),
                    "",
                ]
                lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plot", description=__doc__)
    parser.add_argument("after", type=Path)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--svg", type=Path)
    args = parser.parse_args(argv)
    after = json.loads(args.after.read_text())
    before = json.loads(args.before.read_text()) if args.before else None
    if args.svg:
        args.svg.write_text(svg(after, before))
    print(summary(after, before))


if __name__ == "__main__":
    main()
