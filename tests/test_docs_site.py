"""The documentation site: `mkdocs build --strict` passes, with the support matrix generated
from the code, and the API reference lists every public name."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

import rerank_formats as rf
from rerank_formats.registry import support_matrix

API_ENTRY = re.compile(r"^::: rerank_formats\.(\w+)$", re.MULTILINE)
TAG = re.compile(r"<[^>]+>")


def _cells(row: str) -> list[str]:
    return [
        " ".join(html.unescape(TAG.sub("", cell)).split())
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
    ]


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    for module in ("mkdocs", "material", "mkdocstrings_handlers.python"):
        pytest.importorskip(module)
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr

    # The support matrix is rendered by docs_hooks/support_matrix.py from the code.
    page = (site / "formats" / "index.html").read_text(encoding="utf-8")
    assert "support-matrix -->" not in page
    table = page[page.index('id="support-matrix"') :]
    table = table[table.index("<table>") : table.index("</table>")]
    rows = [_cells(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)]
    assert rows[0] == ["feature", *rf.FORMATS]
    assert rows[1:] == [
        [description.replace("`", ""), *("\u2713" if cells[n] else "\u2013" for n in rf.FORMATS)]
        for description, cells in support_matrix()
    ]

    assert not (site / "ruff.toml").exists()  # docs/ruff.toml configures ruff, not the site

    # The repository is linked from the header of every page.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a href="https://github\.com/rerank-formats/rerank-formats" title="Go to repository"',
        home,
    )
    _check_search(site)
    _check_stylesheet(site, page)
    _check_returns_tables((site / "api" / "index.html").read_text(encoding="utf-8"))


def _check_search(site: Path) -> None:
    """A search for `convert_response` finds the proxy page, where it is written
    `rf.convert_response(`: the separator splits both the same way (lunr splits with it)."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])

    def tokens(text: str) -> set[str]:
        return {token.lower() for token in separator.split(text) if token}

    assert tokens("rf.convert_response(") == {"rf", "convert", "response"}
    proxy = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("proxy/"))
    assert "rf.convert_response(" in html.unescape(TAG.sub("", proxy))
    assert tokens("convert_response") <= tokens(html.unescape(TAG.sub(" ", proxy)))


def _check_stylesheet(site: Path, page: str) -> None:
    """Identifiers in tables do not break mid-word, headers do not wrap, and program
    output wraps rather than scrolls."""
    assert '<link rel="stylesheet" href="../stylesheets/extra.css">' in page
    css = (site / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}/]+?)\s*\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    assert {k.strip(): " ".join(v.split()) for k, v in rules.items()} == {
        ".md-typeset table:not([class]) code": "word-break: normal; overflow-wrap: normal;",
        ".md-typeset table:not([class]) th": "white-space: nowrap;",
        ".md-typeset .output pre > code": "white-space: pre-wrap; overflow-wrap: anywhere;",
    }


def _check_returns_tables(api: str) -> None:
    """Every Returns table of the API reference has one row: a wrapped docstring line is
    not read as a second item (decode_request's was)."""
    rows = {}
    for chunk in re.split(r'(?=<h3 id="rerank_formats\.)', api)[1:]:
        name = re.match(r'<h3 id="rerank_formats\.(\w+)"', chunk)
        returns = re.search(
            r'<span class="doc-section-title">Returns:</span></p>\s*<table>.*?<tbody>(.*?)</tbody>',
            chunk,
            re.DOTALL,
        )
        if name and returns:
            rows[name[1]] = returns[1].count("<tr")
    assert len(rows) == 6
    assert rows == dict.fromkeys(rows, 1)


def test_the_api_reference_lists_every_public_name() -> None:
    documented = API_ENTRY.findall((ROOT / "docs" / "api.md").read_text(encoding="utf-8"))
    assert sorted(documented) == sorted(rf.__all__)
