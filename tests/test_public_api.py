"""The public surface: what is exported, what importing costs, and that the project stands alone."""

from __future__ import annotations

import doctest
import inspect
import os
import re
import subprocess
import sys
import types
import typing
from pathlib import Path

import msgspec
import pytest
from helpers import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

import rerank_formats as rf
from rerank_formats import (
    batching,
    canonical,
    cli,
    convert,
    endpoints,
    errors,
    limits,
    registry,
    scale,
    schema,
    validation,
)
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
    assert rf.FORMATS[:4] == ("jina", "cohere_v1", "cohere_v2", "xinference")
    assert rf.ERROR_FORMATS[: len(rf.FORMATS)] == rf.FORMATS
    assert "openai" in rf.ERROR_FORMATS[len(rf.FORMATS) :]
    assert (jina, cohere_v1, cohere_v2, xinference, openai) == tuple(
        registry.get_error_format(name) for name in ("jina", *rf.FORMATS[1:4], "openai")
    )


@pytest.mark.parametrize(
    "module", [registry.get_format(name) for name in rf.FORMATS], ids=rf.FORMATS
)
def test_every_format_module_has_the_same_face(module: object) -> None:
    format_ = registry.get_format(module.NAME)  # type: ignore[attr-defined]
    assert format_ is module
    listed = module.__all__  # type: ignore[attr-defined]
    wire = ("Request", "Result") + (("Response",) if module.RESPONSE.shape == "object" else ())  # type: ignore[attr-defined]
    for name in (*registry.FACE, *wire):
        assert name in listed and hasattr(module, name), name
    assert all(hasattr(module, name) for name in listed)
    for name in registry.FACE:
        if name.islower():
            assert callable(getattr(module, name)), name
    assert registry.check_format(module) is module
    doc = module.__doc__ or ""
    assert "| wire field" in doc and "Reference:" in doc


def test_the_error_only_format_has_the_error_face() -> None:
    assert set(registry.ERROR_FACE) <= set(openai.__all__)
    assert registry.check_format(openai, errors_only=True) is openai


def test_every_format_declares_its_endpoint_requirements_and_score_scale() -> None:
    seeds = ("jina", "cohere_v1", "cohere_v2", "xinference")  # a new format adds no line here
    faces = {
        name: (f.ENDPOINT, sorted(f.REQUIRES), f.SCORE_SCALE)
        for name in seeds
        for f in [registry.get_format(name)]
    }
    assert faces == {
        "jina": (registry.Endpoint("POST", "/v1/rerank"), ["model"], "unknown"),
        "cohere_v1": (registry.Endpoint("POST", "/v1/rerank"), [], "probability"),
        "cohere_v2": (registry.Endpoint("POST", "/v2/rerank"), ["model"], "probability"),
        "xinference": (registry.Endpoint("POST", "/v1/rerank"), ["model"], "unknown"),
    }


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
    [
        *(rf, canonical, convert, errors, limits, registry, cli, schema, validation, _base),
        *(openai, scale, endpoints, batching),
    ],
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


def test_the_format_name_literals_are_the_registry() -> None:
    assert typing.get_args(rf.FormatName) == rf.FORMATS
    assert typing.get_args(rf.ErrorFormatName) == rf.ERROR_FORMATS


FORMAT_PARAMETERS = {"format", "read", "write", "request_format"}


def test_public_signatures_take_format_names() -> None:
    import rerank_formats.pydantic as rf_pydantic
    import rerank_formats.testing as rf_testing

    functions = [getattr(rf, name) for name in rf.__all__ if inspect.isfunction(getattr(rf, name))]
    functions += [rf_pydantic.model, rf_testing.requests, rf_testing.responses, rf_testing.errors]
    typed = {}
    for function in functions:
        for name, parameter in inspect.signature(function).parameters.items():
            if name in FORMAT_PARAMETERS:
                typed[f"{function.__name__}({name})"] = parameter.annotation
    assert len(typed) == 22
    assert {
        where: annotation
        for where, annotation in typed.items()
        if annotation not in ("FormatName", "ErrorFormatName", "FormatName | None")
    } == {}


def test_a_misspelled_format_name_does_not_type_check(tmp_path: Path) -> None:
    mypy_api = pytest.importorskip("mypy.api")
    program = tmp_path / "user.py"
    program.write_text(
        "import rerank_formats as rf\n"
        'rf.decode_request(b"{}", format="cohere")\n'
        'rf.convert_response(b"{}", read="cohere_v2", write="jina", request=b"{}")\n'
        'rf.encode_error(rf.RerankError(status=500, message="m"), format="openai")\n',
        encoding="utf-8",
    )
    stdout, _, status = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", os.devnull, str(program)]
    )
    assert status == 1
    assert [line.split(": ", 1)[1] for line in stdout.splitlines()[:-1]] == [
        'error: Argument "format" to "decode_request" has incompatible type '
        f'"Literal[\'cohere\']"; expected "Literal[{", ".join(map(repr, rf.FORMATS))}]"'
        "  [arg-type]"
    ]


def test_unset_is_exported() -> None:
    assert rf.UNSET is msgspec.UNSET
    assert rf.UnsetType is msgspec.UnsetType
    request = rf.decode_request(b'{"query": "q", "documents": ["a"]}', format="cohere_v1")
    assert request.top_n is rf.UNSET


@pytest.mark.parametrize(
    ("module", "missing", "extra"),
    [("pydantic", "pydantic", "pydantic"), ("pydantic", "pydantic_core", "pydantic"),
     ("testing", "hypothesis", "testing")],
)  # fmt: skip
def test_importing_a_module_without_its_extra_says_which_extra(
    module: str, missing: str, extra: str
) -> None:
    code = (
        f"import sys; sys.modules[{missing!r}] = None  # as if it were not installed\n"
        f"import rerank_formats.{module}"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"ModuleNotFoundError: rerank_formats.{module} needs {missing}, which the {extra!r}"
        f" extra installs: pip install 'rerank-formats[{extra}]'"
    )


def test_the_extras_table_matches_pyproject() -> None:
    from rerank_formats._extras import _PROVIDES

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    for extra, provides in _PROVIDES.items():
        names = {re.split(r"[<>=!~;\[ ]", r)[0].replace("-", "_") for r in extras[extra]}
        assert names <= set(provides), extra


def _pyproject() -> dict[str, typing.Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_project_metadata_says_where_and_what() -> None:
    project = _pyproject()
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    repository = re.search(r"^repo_url: (\S+)$", mkdocs, re.MULTILINE)
    site = re.search(r"^site_url: (\S+)$", mkdocs, re.MULTILINE)
    assert repository and site
    assert project["urls"] == {
        "Homepage": repository[1],
        "Documentation": site[1],
        "Repository": repository[1],
        "Issues": f"{repository[1]}/issues",
        "Changelog": f"{repository[1]}/blob/main/CHANGELOG.md",
    }
    assert {
        "Operating System :: OS Independent",
        "Framework :: Pydantic :: 2",
        "Framework :: Hypothesis",
        "Topic :: Software Development :: Libraries :: Python Modules",
    } <= set(project["classifiers"])
    assert project["readme"] == "README.md"


MARKDOWN_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)|^\[[^\]]+\]: (?P<reference>\S+)", re.M)


def test_the_readme_reads_well_on_a_package_index() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [m["target"] or m["reference"] for m in MARKDOWN_LINK.finditer(readme)]
    assert targets
    assert [t for t in targets if not t.startswith("https://")] == []  # PyPI has no repository
    headings = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    assert headings[:2] == ["Install", "Quickstart: a gateway"]
    assert readme.index("pip install rerank-formats") < readme.index("make test")
    assert readme.index("make test") > readme.index("## Contributing")


CHANGELOG_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?P<rest>.*)$", re.MULTILINE)


def test_the_changelog_has_a_policy_dated_versions_and_links() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Versioning" in changelog and "[Semantic Versioning]" in changelog
    headings = CHANGELOG_HEADING.findall(changelog)
    assert headings[0] == ("Unreleased", "")
    for version, rest in headings[1:]:
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
        assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest), version
    links = dict(re.findall(r"^\[([^\]]+)\]: (\S+)$", changelog, re.MULTILINE))
    repository = _pyproject()["urls"]["Repository"]
    assert set(links) == {version for version, _ in headings}
    assert all(link.startswith(f"{repository}/") for link in links.values())
    released = [version for version, _ in headings[1:]]
    if released:
        assert links["Unreleased"] == f"{repository}/compare/v{released[0]}...HEAD"
    else:
        assert links["Unreleased"] == f"{repository}/commits/main"
    assert (ROOT / "CONTRIBUTING.md").exists()
