"""Every Python example in the README and the docs runs, in order, one namespace per page."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from helpers import ROOT

import rerank_formats as rf
from rerank_formats.registry import get_format

FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]


def examples(page: Path) -> list[str]:
    return FENCE.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "page", [p for p in PAGES if examples(p)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_examples_run(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, source in enumerate(examples(page), 1):
        code = compile(source, f"{page.name}:example {number}", "exec")
        exec(code, namespace)


def test_the_readme_has_examples() -> None:
    assert len(examples(ROOT / "README.md")) >= 3


def test_the_readme_lists_every_format_with_its_module_endpoint() -> None:
    """README.md is static text (PyPI shows it, no hook renders it), so this test keeps its
    table of formats equal to the registry: one row per format, in order, each with the
    endpoint its module's docstring names; and it names every error-only format."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Formats\n") :]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| `")]
    assert [name.strip() for name, _ in rows] == [f"`{name}`" for name in rf.FORMATS]
    for name, endpoint in rows:
        doc = inspect.getdoc(get_format(name.strip(" `"))) or ""
        declared = re.search(r"`(POST) https?://([^`]+)`", doc.partition("\n")[0])
        assert declared is not None, name
        assert endpoint.strip() == f"`{declared[1]} {declared[2]}`"
    after = section.partition("\n\n## ")[0]
    for name in set(rf.ERROR_FORMATS) - set(rf.FORMATS):
        assert f"(`{name}`)" in after


WIDTH = 80
"""The longest code line the docs show: the content column of the site (mkdocs-material,
736 px at 13.6 px Roboto Mono) fits about 86 characters without scrolling sideways."""

BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.DOTALL | re.MULTILINE)


def _too_wide(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) > WIDTH]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_fit_the_column(page: Path) -> None:
    """A program's output (`.output`, shown as printed) wraps instead (docs/stylesheets)."""
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    assert {
        line
        for info, body in blocks
        if ".output" not in info.split("{")[-1].split()
        for line in _too_wide(body)
    } == set()


def _example_lines(doc: str) -> list[str]:
    """The lines of a docstring's `Examples:` section, as the API reference shows them."""
    lines = inspect.cleandoc(doc).splitlines()
    shown: list[str] = []
    inside = False
    for line in lines:
        if line.rstrip() in ("Examples:", "Example:"):
            inside = True
        elif inside and line and not line.startswith(" "):
            inside = False
        elif inside:
            shown.append(line[4:])
    return shown


def test_docstring_examples_fit_the_column() -> None:
    import rerank_formats as rf
    import rerank_formats.pydantic as rf_pydantic
    import rerank_formats.testing as rf_testing

    documented = [getattr(rf, name) for name in rf.__all__]
    documented += [rf_pydantic.model, rf_testing.requests, rf_testing.responses]
    assert {
        f"{getattr(obj, '__name__', obj)}: {line}"
        for obj in documented
        if callable(obj) and obj.__doc__
        for line in _too_wide("\n".join(_example_lines(obj.__doc__)))
    } == set()
