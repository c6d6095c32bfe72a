"""The documentation site: `mkdocs build --strict` passes, with the support matrix generated
from the code, and the API reference lists every public name."""

from __future__ import annotations

import html
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
        [description.replace("`", ""), *("yes" if cells[n] else "no" for n in rf.FORMATS)]
        for description, cells in support_matrix()
    ]


def test_the_api_reference_lists_every_public_name() -> None:
    documented = API_ENTRY.findall((ROOT / "docs" / "api.md").read_text(encoding="utf-8"))
    assert sorted(documented) == sorted(rf.__all__)
