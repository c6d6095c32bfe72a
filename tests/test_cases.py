"""The case table (sqlglot's validate_all): one canonical object, its expression in every format.

Each case in `fixtures/cases/<kind>/` is a canonical object (the form `msgspec.json.encode`
gives it) and its description; each format's column, `fixtures/cases/formats/<format>.json`,
holds the JSON the format writes for every case and what it cannot express (`losses`: path
and reason). `tests/case_table.py` describes the layout and proposes a new format's column.
For every format both directions are checked:

- write: the canonical object encodes to exactly that JSON, reporting exactly those losses,
  and `on_loss="raise"` refuses it when there are any;
- read: that JSON decodes to the same meaning (what the provider acts on) and writes back
  unchanged; or, where a lossy output is not a valid payload of its format (a request
  without the `model` the format requires), `rejected` gives the exact error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from case_table import (
    Case,
    cases,
    column_path,
    dumps,
    position,
    problems,
    propose,
)
from helpers import CASES, ROOT, decode, encode_with_losses, meaning

import rerank_formats as rf

TABLE = cases("request", "response")


def _params(direction: str) -> list[Any]:
    return [
        pytest.param(case, fmt, id=f"{case.key}/{fmt}/{direction}")
        for case in TABLE
        for fmt in rf.FORMATS
    ]


@pytest.mark.parametrize(("case", "fmt"), _params("write"))
def test_write(case: Case, fmt: str) -> None:
    entry = position(fmt, case)
    canonical = case.native()
    assert not isinstance(canonical, rf.RerankError)
    expected_losses = [tuple(loss) for loss in entry.get("losses", [])]
    body, losses = encode_with_losses(canonical, fmt)
    assert json.loads(body) == entry["wire"]
    assert [(loss.format, loss.path, loss.reason) for loss in losses] == [
        (fmt, *loss) for loss in expected_losses
    ]
    encode = rf.encode_request if case.kind == "request" else rf.encode_response
    if expected_losses:
        with pytest.raises(rf.LossyConversionError) as refused:
            encode(canonical, format=fmt)  # type: ignore[arg-type]
        assert [(loss.path, loss.reason) for loss in refused.value.losses] == expected_losses
    else:
        assert encode(canonical, format=fmt) == body  # type: ignore[arg-type]


@pytest.mark.parametrize(("case", "fmt"), _params("read"))
def test_read(case: Case, fmt: str) -> None:
    entry = position(fmt, case)
    canonical = case.native()
    assert not isinstance(canonical, rf.RerankError)
    wire = json.dumps(entry["wire"]).encode()
    if "rejected" in entry:
        with pytest.raises(rf.DecodeError) as rejected:
            decode(case.kind, wire, fmt)
        assert str(rejected.value) == entry["rejected"]
        return
    decoded = decode(case.kind, wire, fmt)
    body, _ = encode_with_losses(decoded, fmt)
    assert json.loads(body) == entry["wire"]
    if "losses" not in entry:
        assert meaning(decoded, fmt) == meaning(canonical, fmt)
    foreign = set(canonical.extensions) - {"jina"}
    if fmt == "jina" and not foreign and not entry.get("losses"):
        assert decoded == canonical  # Jina is the canonical format: nothing to normalise


def test_every_format_takes_a_position_on_every_case() -> None:
    assert problems() == []


def test_the_table_is_large_enough() -> None:
    kinds = {kind: len(list((CASES / kind).glob("*.json"))) for kind in ("request", "response")}
    assert kinds["request"] >= 20
    assert kinds["response"] >= 10


# -- the table's own checks, and the command that proposes a column ----------------------------


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """A copy of the case table to break."""
    shutil.copytree(CASES, tmp_path / "cases")
    return tmp_path / "cases"


def _edit_column(root: Path, fmt: str, edit: Any) -> None:
    entries = json.loads(column_path(fmt, root).read_text(encoding="utf-8"))
    edit(entries)
    column_path(fmt, root).write_text(dumps(entries), encoding="utf-8")


def test_a_missing_position_fails_naming_the_format_and_the_case(table: Path) -> None:
    _edit_column(table, "cohere_v1", lambda entries: entries.pop("request/top-n"))
    _edit_column(table, "openai", lambda entries: entries.pop("error/conflict"))
    at = f"in {table}/formats"
    assert problems(root=table) == [
        f"cohere_v1 takes no position on request/top-n ({at}/cohere_v1.json)",
        f"openai takes no position on error/conflict ({at}/openai.json)",
    ]
    [case] = [case for case in cases("request", root=table) if case.name == "top-n"]
    with pytest.raises(LookupError) as missing:
        position("cohere_v1", case, root=table)
    assert (
        str(missing.value) == f"cohere_v1 takes no position on request/top-n ({at}/cohere_v1.json)"
    )


def test_a_registered_format_without_a_column_fails(table: Path) -> None:
    assert problems(formats=(*rf.FORMATS, "unwritten"), root=table) == [
        f"unwritten takes no position on any case: {table}/formats/unwritten.json does not exist"
    ]


def test_a_new_case_needs_every_format_and_is_proposed(table: Path) -> None:
    (table / "request" / "a-new-case.json").write_text(
        '{"description": "New.", "canonical": {"model": "m", "query": "q", "documents": ["a"]}}'
    )
    at = f"in {table}/formats"
    assert problems(root=table) == [
        f"{fmt} takes no position on request/a-new-case ({at}/{fmt}.json)" for fmt in rf.FORMATS
    ]
    assert propose("cohere_v2", root=table)["request/a-new-case"] == {
        "wire": {"model": "m", "query": "q", "documents": ["a"]}
    }
    assert propose("xinference", root=table)["request/a-new-case"] == {
        "wire": {
            "model": "m",
            "query": "q",
            "documents": ["a"],
            "return_documents": True,
            "return_len": True,
        }
    }


def test_entries_that_are_not_positions_fail(table: Path) -> None:
    def edit(entries: dict[str, Any]) -> None:
        entries["request/gone"] = entries["request/top-n"]
        entries["request/basic-strings"]["losses"] = []
        entries["request/top-n"]["rejected"] = "no"
        entries["response/basic"]["written"] = entries["response/basic"].pop("wire")

    _edit_column(table, "jina", edit)
    (table / "formats" / "sagemaker.json").write_text("{}")
    (table / "request" / "no-model.json").write_text('{"description": "", "canonical": {}}')
    assert problems(root=table) == [
        "request/no-model has no description",
        f"{table}/formats/sagemaker.json is the column of no registered format",
        "jina on request/basic-strings: an empty `losses` (leave it out)",
        "jina on request/top-n: rejected, but it reports no loss",
        "jina on response/basic: keys ['written'], expected ['wire']",
        f"jina has an entry for request/gone, which is not one of its cases (in {table}/formats/jina.json)",
    ]


@pytest.mark.parametrize("fmt", dict.fromkeys((*rf.FORMATS, *rf.ERROR_FORMATS)))
def test_the_proposal_reproduces_each_column_exactly(fmt: str) -> None:
    assert dumps(propose(fmt)) == column_path(fmt).read_text(encoding="utf-8")


def _propose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "tests/case_table.py", "propose", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_propose_command(tmp_path: Path) -> None:
    written = _propose("xinference", "--output", str(tmp_path / "xinference.json"))
    assert (written.returncode, written.stdout) == (0, "")
    assert written.stderr == (
        f"wrote {tmp_path}/xinference.json: 56 cases, 17 with losses, 1 rejected;"
        " review every entry before committing (git diff)\n"
    )
    assert (tmp_path / "xinference.json").read_bytes() == column_path("xinference").read_bytes()
    printed = _propose("openai", "--output", "-")
    assert (printed.returncode, printed.stderr) == (0, "")
    assert printed.stdout == column_path("openai").read_text(encoding="utf-8")
    unknown = _propose("cohere")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == (
        "Unknown format 'cohere'. Did you mean 'cohere_v2'?"
        f" Known formats: {', '.join(rf.ERROR_FORMATS)}.\n"
    )
