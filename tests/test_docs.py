"""Every Python example in the README and the docs runs, in order, one namespace per page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT

FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


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
