"""The public surface: what is exported, what importing costs, and that the project stands alone."""

from __future__ import annotations

import doctest
import subprocess
import sys
import types

import pytest
from helpers import ROOT

import rerank_formats as rf
from rerank_formats import canonical, cli, convert, errors, limits, registry, schema, validation
from rerank_formats.formats import _base, cohere_v1, cohere_v2, jina, openai, xinference


def test_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name, value in vars(rf).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    isort_style = sorted(rf.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    assert rf.__all__ == isort_style
    assert set(rf.__all__) == public


def test_formats_are_registered_in_order() -> None:
    assert rf.FORMATS == ("jina", "cohere_v1", "cohere_v2", "xinference")
    assert rf.ERROR_FORMATS == ("jina", "cohere_v1", "cohere_v2", "xinference", "openai")


@pytest.mark.parametrize("module", [jina, cohere_v1, cohere_v2, xinference])
def test_every_format_module_has_the_same_face(module: object) -> None:
    format_ = registry.get_format(module.NAME)  # type: ignore[attr-defined]
    assert format_ is module
    for name in (
        "Request",
        "Response",
        "Result",
        "REQUEST",
        "RESPONSE",
        "SUPPORTS",
        "KEEPS_UNKNOWN",
        "DEFAULTS",
    ):
        assert hasattr(module, name), name
    for name in (
        "request_to_canonical",
        "request_from_canonical",
        "response_to_canonical",
        "response_from_canonical",
        "field_loss",
    ):
        assert callable(getattr(module, name)), name
    doc = module.__doc__ or ""
    assert "| wire field" in doc and "Reference:" in doc


def test_public_names_have_docstrings() -> None:
    for name in rf.__all__:
        obj = getattr(rf, name)
        if callable(obj) and not isinstance(obj, type(rf.OnLoss)):
            assert obj.__doc__, name


def test_importing_does_not_import_pydantic() -> None:
    code = "import sys, rerank_formats; print('pydantic' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "module",
    [rf, canonical, convert, errors, limits, registry, cli, schema, validation, _base, openai],
)
def test_docstring_examples(module: object) -> None:
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0


def test_the_project_never_reads_the_shared_research_folder() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = [
        name
        for name in tracked
        if name.endswith((".py", ".toml", ".cfg", ".yml", ".yaml", "Makefile", ".sh"))
        or name.startswith(".ci/")
        if "../shared" in (ROOT / name).read_text(encoding="utf-8")
        and name != "tests/test_public_api.py"
    ]
    assert offenders == []


def test_every_supported_feature_is_described() -> None:
    from rerank_formats.registry import _MODULES, FEATURES

    assert set().union(*(m.SUPPORTS for m in _MODULES.values())) == set(FEATURES)
