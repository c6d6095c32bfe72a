"""The documentation site: `mkdocs build --strict` passes, with the support matrix generated
from the code, and the API reference lists every public name."""

from __future__ import annotations

import html
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

import rerank_formats as rf
from rerank_formats.convert import map_status
from rerank_formats.registry import get_error_format, support_matrix

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
    assert rows[1:-1] == [
        [description.replace("`", ""), *("\u2713" if cells[n] else "\u2013" for n in rf.FORMATS)]
        for description, cells in support_matrix()
    ]
    assert rows[-1] == ["score scale", *(rf.score_scale(name) for name in rf.FORMATS)]

    assert not (site / "ruff.toml").exists()  # docs/ruff.toml configures ruff, not the site

    # The repository is linked from the header of every page.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a href="https://github\.com/rerank-formats/rerank-formats" title="Go to repository"',
        home,
    )
    _check_search(site)
    _check_formats(site, page)
    _check_status_table((site / "errors" / "index.html").read_text(encoding="utf-8"))
    _check_stylesheet(site, page)
    _check_returns_tables((site / "api" / "index.html").read_text(encoding="utf-8"))


def _rows(table_html: str) -> list[list[str]]:
    return [_cells(row) for row in re.findall(r"<tr>(.*?)</tr>", table_html, re.DOTALL)]


def _check_formats(site: Path, index: str) -> None:
    """docs_hooks/formats.py: the table of formats, the nav and each page's field tables
    come from the registry and the format modules' docstrings."""
    table = index[index.index("<table>") : index.index("</table>")]
    rows = _rows(table)
    assert rows[0] == ["name", "what and where", "kinds", "page"]
    assert [row[0] for row in rows[1:]] == list(rf.ERROR_FORMATS)
    assert [row[2] for row in rows[1:]] == [
        "request, response, error" if name in rf.FORMATS else "error only"
        for name in rf.ERROR_FORMATS
    ]
    assert rows[1][1:] == [
        "Jina AI rerank, POST https://api.jina.ai/v1/rerank: the canonical format",
        "request, response, error",
        "Jina AI",
    ]
    assert re.findall(r'<a href="(\w+)/">', table) == list(rf.ERROR_FORMATS)
    start = index.index('id="nulls-and-defaults-nothing-to-lose"')
    defaults = _rows(index[index.index("<table>", start) : index.index("</table>", start)])
    assert defaults[0] == ["format", "defaults that are no loss"]
    assert [row[0] for row in defaults[1:]] == list(rf.FORMATS)
    assert defaults[1:3] == [
        ["jina", "none"],
        ["cohere_v1", 'rank_fields: ["text"], return_documents: false'],
    ]
    nav = re.findall(
        r'href="(\w+)/" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', index
    )
    assert [name for name, _ in nav] == list(rf.ERROR_FORMATS)  # titled by their headings
    assert nav[0] == ("jina", "Jina AI")
    for name in rf.ERROR_FORMATS:
        page = (site / "formats" / name / "index.html").read_text(encoding="utf-8")
        assert "<!-- mapping" not in page
        doc = inspect.getdoc(get_error_format(name)) or ""
        wire = [  # the first column of every table in the module docstring
            " ".join(line.split("|")[1].replace("`", "").split())
            for line in doc.splitlines()
            if line.startswith("| ") and not line.startswith("| ---")
        ]
        shown = [
            cells[0]
            for t in re.findall(r"<table>(.*?)</table>", page, re.DOTALL)
            for cells in _rows(t)
        ]
        assert wire and all(cell in shown for cell in wire), name


def _check_status_table(errors: str) -> None:
    """The status table of errors.md is computed with `map_status` for every error format."""
    start = errors.index('id="status-codes"')
    table = errors[errors.index("<table>", start) : errors.index("</table>", start)]
    rows = _rows(table)
    assert rows[0] == ["status", "meaning", *rf.ERROR_FORMATS]
    by_format = [dict(zip(rf.ERROR_FORMATS, row[2:], strict=True)) for row in rows[1:]]
    # the seed formats' cells, pinned; any other format's are checked against map_status
    seeds = ("jina", "cohere_v1", "cohere_v2", "xinference", "openai")
    assert rows[3][:2] == ["402", "payment required (gateways)"]
    assert [by_format[2][f] for f in seeds] == ["403", "403", "403", "403", "402"]
    for row in rows[1:-1]:
        status = int(row[0])
        assert row[2:] == [str(map_status(status, get_error_format(f))) for f in rf.ERROR_FORMATS]
    assert rows[-1][:2] == ["other 4xx / 5xx", ""]
    assert [by_format[-1][f] for f in seeds] == ["400 / 500"] * 4 + ["kept"]
    kept = [map_status(418, get_error_format(f)) == 418 for f in rf.ERROR_FORMATS]
    assert rows[-1][2:] == ["kept" if k else "400 / 500" for k in kept]
    # a row for each status with a meaning of its own (docs_hooks/formats.py), and for every
    # status some format lists or maps (a gateway keeping all of them adds none)
    meanings = {400, 401, 402, 403, 404, 409, 422, 429, 498, 499, 500, 501, 502, 503, 504}
    listed = {
        status
        for module in map(get_error_format, rf.ERROR_FORMATS)
        for status in (*(module.STATUSES if len(module.STATUSES) < 100 else ()), *module.STATUS_MAP)
    }
    statuses = [int(row[0]) for row in rows[1:-1]]
    assert statuses == sorted(meanings | listed)


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
    assert len(rows) == 7  # the Returns sections of the API reference
    assert rows == dict.fromkeys(rows, 1)


def test_the_api_reference_lists_every_public_name() -> None:
    documented = API_ENTRY.findall((ROOT / "docs" / "api.md").read_text(encoding="utf-8"))
    assert sorted(documented) == sorted(rf.__all__)


def test_a_format_without_a_page_gets_one_from_its_module(tmp_path: Path) -> None:
    """docs_hooks/formats.py: a registered format with no docs/formats/<name>.md (as a new
    format may be) still gets a page, generated from its module docstring, and a nav entry."""
    for module in ("mkdocs", "material", "mkdocstrings_handlers.python"):
        pytest.importorskip(module)
    for name in ("mkdocs.yml", "CHANGELOG.md", "SECURITY.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    for lock in ROOT.glob("requirements-*.lock"):  # the clients table reads the versions
        shutil.copy(lock, tmp_path / lock.name)
    for name in ("docs", "docs_hooks"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "docs" / "formats" / "openai.md").unlink()
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    # validation.md links the hand-written page's #validation, which the generated one lacks
    (tmp_path / "mkdocs.yml").write_text(config.replace("strict: true", "strict: false"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "WARNING" in line] == [
        "WARNING -  Doc file 'validation.md' contains a link 'formats/openai.md#validation',"
        " but the doc 'formats/openai.md' does not contain an anchor '#validation'."
    ]
    page = (tmp_path / "site" / "formats" / "openai" / "index.html").read_text(encoding="utf-8")
    title = "The OpenAI-style error envelope that gateways send"  # its docstring begins so
    assert re.search(rf"<h1[^>]*>{title} \(<code>openai</code>\)", page)
    table = page[page.index("<table>") : page.index("</table>")]
    assert [row[:2] for row in _rows(table)] == [
        ["wire field", "type"],
        ["error.message", "string, required"],
        ["error.code", "string, integer or null"],
        ["error.type", "string or null"],
        ["error.param", "string or null"],
        ["other keys of error", ""],
    ]
    index = (tmp_path / "site" / "formats" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="openai/">{title}</a>' in index
