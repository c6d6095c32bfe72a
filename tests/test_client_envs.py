"""The client environments hang together: the Makefile's CLIENT_ENVS, their dependency groups,
lock files and test modules, and the clients table of the docs (docs_hooks/clients_table.py)."""

from __future__ import annotations

import re
import sys

import pytest
from clients import require_client
from helpers import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docs_hooks.clients_table import CLIENTS, MARKER, lock_file, locked_version, render_table

tomllib = pytest.importorskip("tomllib")  # Python 3.11

MAKEFILE = (ROOT / "Makefile").read_text()
GROUPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]


def client_envs() -> list[str]:
    [names] = re.findall(r"^CLIENT_ENVS := (.+)$", MAKEFILE, re.MULTILINE)
    return names.split()


def requirement_names(group: str) -> set[str]:
    """The distributions a dependency group names itself (not through its includes)."""
    return {
        re.split(r"[\[<>=;! ]", entry, maxsplit=1)[0]
        for entry in GROUPS[group]
        if isinstance(entry, str)
    }


def test_every_client_env_has_a_group_a_lock_and_tests() -> None:
    # one environment per `clients-NAME` group, none listed by hand here
    groups = [g.removeprefix("clients-") for g in GROUPS if g.startswith("clients-")]
    assert sorted(client_envs()) == sorted(groups)
    assert {"cohere5", "litellm"} <= set(client_envs())
    for env in client_envs():
        assert f"clients-{env}" in GROUPS
        assert lock_file(env).is_file()
        assert (ROOT / "tests" / f"test_clients_{env}.py").is_file()
    # `make lock` refreshes them all, `make test` runs them all
    assert "for env in $(CLIENT_ENVS)" in MAKEFILE
    assert "--group clients-$$env -o requirements-clients-$$env.lock" in MAKEFILE
    assert re.search(r"^test: .*\btest-clients\b", MAKEFILE, re.MULTILINE)
    assert "test-clients: $(CLIENT_ENVS:%=test-clients-%)" in MAKEFILE
    # a static pattern rule: make skips implicit rules for .PHONY targets
    assert "$(CLIENT_ENVS:%=test-clients-%): test-clients-%: .venv-clients-%/" in MAKEFILE
    assert "RERANK_FORMATS_REQUIRE_CLIENTS=1 .venv-clients-$*/bin/pytest" in MAKEFILE


def test_every_client_in_the_table_is_installed_by_its_environment() -> None:
    dev = requirement_names("test") | requirement_names("clients")
    for client in CLIENTS:
        if client.env == "dev":
            assert client.package in dev, client.name
        else:
            assert client.env in client_envs(), client.name
            assert client.package in requirement_names(f"clients-{client.env}"), client.name
        assert re.fullmatch(r"\d+(\.\d+)+", locked_version(client.package, client.env))


def test_litellm_is_pinned_and_never_the_compromised_release() -> None:
    assert "litellm==1.110.2" in GROUPS["clients-litellm"]
    for lock in ROOT.glob("requirements-*.lock"):
        assert "litellm==1.107.0" not in lock.read_text(), lock.name


def test_the_table_names_every_client_with_its_locked_version() -> None:
    table = render_table()
    for client in CLIENTS:
        assert (
            f"| {client.name} | {client.package} {locked_version(client.package, client.env)} |"
            in table
        )
    assert MARKER in (ROOT / "docs" / "clients.md").read_text()


def test_a_missing_client_skips_unless_its_environment_requires_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RERANK_FORMATS_REQUIRE_CLIENTS", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_client("rerank_formats_no_such_client")
    monkeypatch.setenv("RERANK_FORMATS_REQUIRE_CLIENTS", "1")
    with pytest.raises(ModuleNotFoundError):
        require_client("rerank_formats_no_such_client")


def test_the_proxy_tests_group_holds_what_the_proxy_extra_requires() -> None:
    """`proxy-tests` repeats the `proxy` extra's requirements (a dependency group cannot name
    the project's own extras): each one, with the same bounds, so that a client environment
    runs the proxy the extra installs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = project["optional-dependencies"]["proxy"]
    assert sorted(set(extra) - set(GROUPS["proxy-tests"])) == []
