"""The case table (sqlglot's validate_all), stored so that a format's expectations live with it.

A case is one canonical object, in `fixtures/cases/<kind>/<case>.json` (kind: `request`,
`response` or `error`) with only its `description` and `canonical` (the form
`msgspec.json.encode` gives the object). What each format writes for every case is that
format's column, ONE file: `fixtures/cases/formats/<format>.json`, keyed by `<kind>/<case>`.
A request or response entry holds `wire` (the JSON the format writes), `losses` (what it
cannot express: `[path, reason]` pairs, in the order they are reported) when there are any,
and `rejected` (the exact error) when what it writes is not a valid payload of its own format
(a request without the `model` the format requires). An error entry holds the `status` and
the `body` the format answers with.

A new format is one new file: propose its column from what the library produces, then
review every entry (the tests take the file as the truth, so a wrong entry must be fixed in
the code, not accepted):

    python tests/case_table.py propose FORMAT            # writes fixtures/cases/formats/FORMAT.json
    python tests/case_table.py propose FORMAT --output -  # prints it instead

A new case is one canonical file, then `propose` for every format and a review of the diff.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import (
    CASES,
    decode,
    encode_with_losses,
    load_json,
    native_error,
    native_request,
    native_response,
)

import rerank_formats as rf
from rerank_formats.registry import get_error_format

KINDS = ("request", "response", "error")
ENTRY_KEYS = {
    "request": ({"wire"}, {"wire", "losses", "rejected"}),
    "response": ({"wire"}, {"wire", "losses", "rejected"}),
    "error": ({"status", "body"}, {"status", "body"}),
}
"""For each kind, the keys an entry must have and the keys it may have."""


@dataclass(frozen=True)
class Case:
    """One row of the table: a canonical object and what it is for."""

    kind: str
    name: str
    description: str
    canonical: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.name}"

    def native(self) -> rf.RerankRequest | rf.RerankResponse | rf.RerankError:
        if self.kind == "request":
            return native_request(self.canonical)
        if self.kind == "response":
            return native_response(self.canonical)
        return native_error(self.canonical)


def cases(*kinds: str, root: Path = CASES) -> list[Case]:
    """Every case of the given kinds (all kinds if none), sorted by kind then name."""
    found = []
    for kind in kinds or KINDS:
        for path in sorted((root / kind).glob("*.json")):
            data = load_json(path)
            found.append(Case(kind, path.stem, data["description"], data["canonical"]))
    return found


def kinds_of(
    fmt: str, formats: Iterable[str] = rf.FORMATS, error_formats: Iterable[str] = rf.ERROR_FORMATS
) -> tuple[str, ...]:
    """The kinds of case a format takes a position on: the registry says what it reads."""
    kinds = ("request", "response") if fmt in formats else ()
    return kinds + (("error",) if fmt in error_formats else ())


def column_path(fmt: str, root: Path = CASES) -> Path:
    return root / "formats" / f"{fmt}.json"


def column(fmt: str, root: Path = CASES) -> dict[str, Any]:
    """A format's column: its entry for every case, keyed by `<kind>/<case>`."""
    data: dict[str, Any] = load_json(column_path(fmt, root))
    return data


def position(fmt: str, case: Case, root: Path = CASES) -> dict[str, Any]:
    """A format's entry for one case; a missing one is an error naming both."""
    path = column_path(fmt, root)
    if not path.exists():
        raise LookupError(f"{fmt} takes no position on any case: {_shown(path)} does not exist")
    entries = column(fmt, root)
    if case.key not in entries:
        raise LookupError(f"{fmt} takes no position on {case.key} (in {_shown(path)})")
    entry: dict[str, Any] = entries[case.key]
    return entry


def problems(
    formats: Iterable[str] = rf.FORMATS,
    error_formats: Iterable[str] = rf.ERROR_FORMATS,
    root: Path = CASES,
) -> list[str]:
    """Everything that keeps the table from being complete, one message each: a registered
    format without a position on a case, an entry for no case, a column of no format."""
    formats, error_formats = tuple(formats), tuple(error_formats)
    registered = dict.fromkeys((*formats, *error_formats))
    found: list[str] = []
    for case in cases(root=root):
        if not case.description:
            found.append(f"{case.key} has no description")
    for path in sorted((root / "formats").glob("*.json")):
        if path.stem not in registered:
            found.append(f"{_shown(path)} is the column of no registered format")
    for fmt in registered:
        kinds = kinds_of(fmt, formats, error_formats)
        found.extend(_column_problems(fmt, cases(*kinds, root=root), root))
    return found


def _column_problems(fmt: str, expected: list[Case], root: Path) -> list[str]:
    path = column_path(fmt, root)
    if not path.exists():
        return [f"{fmt} takes no position on any case: {_shown(path)} does not exist"]
    entries = column(fmt, root)
    found = []
    for case in expected:
        if case.key not in entries:
            found.append(f"{fmt} takes no position on {case.key} (in {_shown(path)})")
            continue
        required, allowed = ENTRY_KEYS[case.kind]
        keys = set(entries[case.key])
        if not required <= keys <= allowed:
            found.append(f"{fmt} on {case.key}: keys {sorted(keys)}, expected {sorted(required)}")
        if entries[case.key].get("losses") == []:
            found.append(f"{fmt} on {case.key}: an empty `losses` (leave it out)")
        if "rejected" in keys and not entries[case.key].get("losses"):
            found.append(f"{fmt} on {case.key}: rejected, but it reports no loss")
    cases_by_key = {case.key for case in expected}
    found.extend(
        f"{fmt} has an entry for {key}, which is not one of its cases (in {_shown(path)})"
        for key in entries
        if key not in cases_by_key
    )
    return found


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(CASES.parent.parent))
    except ValueError:
        return str(path)


# -- the proposal: a column from what the library produces today ------------------------------


def propose_entry(fmt: str, case: Case) -> dict[str, Any]:
    """What the library writes for `case` in `fmt` now, as a column entry."""
    canonical = case.native()
    if isinstance(canonical, rf.RerankError):
        status, body = rf.encode_error(canonical, format=fmt)  # type: ignore[arg-type]
        return {"status": status, "body": json.loads(body)}
    written, losses = encode_with_losses(canonical, fmt)
    entry: dict[str, Any] = {"wire": json.loads(written)}
    if losses:
        entry["losses"] = [[loss.path, loss.reason] for loss in losses]
    try:
        decode(case.kind, json.dumps(entry["wire"]).encode(), fmt)
    except rf.DecodeError as error:
        entry["rejected"] = str(error)
    return entry


def propose(fmt: str, root: Path = CASES) -> dict[str, Any]:
    """A format's whole column, from what the library produces now."""
    return {case.key: propose_entry(fmt, case) for case in cases(*kinds_of(fmt), root=root)}


def dumps(entries: dict[str, Any]) -> str:
    """A column as stored: one case after another, each JSON value on one line."""
    blocks = []
    for key, entry in entries.items():
        lines = []
        for name, value in entry.items():
            if name == "losses":
                losses = ",\n".join(f"      {_line(loss)}" for loss in value)
                lines.append(f'    "losses": [\n{losses}\n    ]')
            else:
                lines.append(f"    {_line(name)}: {_line(value)}")
        blocks.append(f"  {_line(key)}: {{\n" + ",\n".join(lines) + "\n  }")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/case_table.py",
        description="Propose a format's column of the case table, for a human to review.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    propose_command = commands.add_parser(
        "propose", help="write FORMAT's column from what the library produces now"
    )
    propose_command.add_argument("format", metavar="FORMAT")
    propose_command.add_argument(
        "--output",
        help="where to write it (default fixtures/cases/formats/FORMAT.json; - for stdout)",
    )
    args = parser.parse_args(argv)
    if args.format not in (*rf.FORMATS, *rf.ERROR_FORMATS):
        try:
            get_error_format(args.format)  # the registry's message, with "did you mean"
        except rf.UnknownFormatError as error:
            print(error, file=sys.stderr)
            return 2
    entries = propose(args.format)
    text = dumps(entries)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.output) if args.output else column_path(args.format)
    path.write_text(text, encoding="utf-8")
    lossy = sum("losses" in entry for entry in entries.values())
    rejected = sum("rejected" in entry for entry in entries.values())
    print(
        f"wrote {_shown(path.resolve())}: {len(entries)} cases, {lossy} with losses, {rejected} rejected;"
        " review every entry before committing (git diff)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
