"""MkDocs hook: the support matrix of docs/formats/index.md, generated from the code.

The page holds the marker `<!-- support-matrix -->`; at build time it is replaced by a
Markdown table rendered from `rerank_formats.registry.support_matrix()` (one row per
canonical feature, one column per format, from each format module's `SUPPORTS`), followed
by the list of `ERROR_FORMATS`. The table cannot drift from the code because it is never
written by hand. A page without the marker fails the build.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError

from rerank_formats import ERROR_FORMATS, FORMATS
from rerank_formats.registry import get_format, support_matrix

MARKER = "<!-- support-matrix -->"
PAGE = "formats/index.md"
MARKS = {True: "\u2713", False: "\u2013"}  # a check mark, an en dash
"""What a cell shows: a check mark where the format expresses the feature, a dash where not."""


def render_matrix() -> str:
    """The support matrix as a Markdown table, then the formats whose error bodies are read."""
    header = ["feature", *(f"`{name}`" for name in FORMATS)]
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---", *(":---:" for _ in FORMATS)]) + " |",
    ]
    for description, cells in support_matrix():
        marks = [MARKS[cells[name]] for name in FORMATS]
        lines.append("| " + " | ".join([description, *marks]) + " |")
    # what the scores are by default (a format may change it per request: `response_scale`)
    scales = [get_format(name).SCORE_SCALE for name in FORMATS]
    lines.append("| " + " | ".join(["[score scale](#score-scales)", *scales]) + " |")
    errors = ", ".join(f"`{name}`" for name in ERROR_FORMATS)
    return "\n".join(lines) + f"\n\nError bodies are read and written for: {errors}.\n"


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"{PAGE} has lost its {MARKER} marker (docs_hooks/support_matrix.py)")
    return markdown.replace(MARKER, render_matrix())
