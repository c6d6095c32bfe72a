"""Throwaway format modules for the tests of shared mechanisms: the near-Jina dialect of
docs/adding-a-format.md (`acme`) under another name, with some of its declarations
replaced, registered for the length of a test as the registry registers a module."""

from __future__ import annotations

import re
import sys
import types

import pytest
from helpers import ROOT

from rerank_formats import registry

PAGE = ROOT / "docs" / "adding-a-format.md"
_ACME = re.compile(r'^```python title="rerank_formats/formats/acme\.py"\n(.*?)^```', re.S | re.M)


def acme_source() -> str:
    found = _ACME.search(PAGE.read_text(encoding="utf-8"))
    assert found is not None
    return found.group(1)


def register(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    *,
    replace: dict[str, str] | None = None,
    extra: str = "",
    face: tuple[str, ...] = (),
) -> types.ModuleType:
    """Register the acme module as `name`, each `replace` key (a line of its source, which
    must be there) replaced by its value, `extra` appended and `face` added to `__all__`."""
    source = acme_source().replace('NAME: Final = "acme"', f'NAME: Final = "{name}"')
    for old, new in (replace or {}).items():
        assert old in source, old
        source = source.replace(old, new)
    source += "\n" + extra + f"\n__all__ = [*__all__, *{list(face)!r}]\n"
    module = types.ModuleType(f"rerank_formats.formats.{name}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    loaded = registry._load(name)
    monkeypatch.setitem(registry._MODULES, name, loaded)
    monkeypatch.setitem(registry._ERROR_MODULES, name, loaded)
    return module
