"""Every shell example in the docs that shows its output runs, and prints what is shown.

A page shows a shell example as a ```` ```sh ```` block followed by its output: blocks
titled `stdout` or `stderr`, optionally with the exit code (`title="stderr, exit code 1"`;
0 when not said). Output that is not shown must be empty. Blocks with another title
(`title="request.json"`) are files, written into the directory the page's examples run in.
A heading ends an example. An output that lists every registered format is the marker
`<!-- output -->`, replaced by the command's output when the site is built
(docs_hooks/outputs.py): here its command must print something, and nothing else is shown.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import ROOT

import rerank_formats as rf
from docs_hooks.outputs import MARKER

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.DOTALL | re.MULTILINE)
TITLE = re.compile(r'title="(?P<title>[^"]*)"')
OUTPUT = re.compile(r"^(?P<stream>stdout|stderr)(?:, exit code (?P<code>\d+))?$")
HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BIN = Path(sys.executable).parent  # where `rerank-formats` is installed beside python


@dataclass
class Example:
    page: Path
    line: int
    command: str
    shown: dict[str, str] = field(default_factory=dict)
    code: int = 0


def parse(page: Path) -> tuple[dict[str, str], list[Example]]:
    """The files and the shell examples of a page, in order."""
    text = page.read_text(encoding="utf-8")
    files: dict[str, str] = {}
    examples: list[Example] = []
    current: Example | None = None
    end = 0
    for block in FENCE.finditer(text):
        if HEADING.search(text, end, block.start()):
            current = None
        end = block.end()
        info, body = block["info"], block["body"]
        title = TITLE.search(info)
        output = OUTPUT.match(title["title"]) if title else None
        if info.strip() == "sh":
            line = text.count("\n", 0, block.start()) + 1
            current = Example(page, line, body)
            examples.append(current)
        elif output:
            assert current is not None, f"{page.name}: output {title} after no command"
            assert output["stream"] not in current.shown, f"{page.name}:{current.line}"
            current.shown[output["stream"]] = body
            current.code = max(current.code, int(output["code"] or 0))
        elif title:
            files[title["title"]] = body
    return files, examples


def _shown(page: Path) -> list[Example]:
    return [example for example in parse(page)[1] if example.shown]


EXAMPLES = [example for page in PAGES for example in _shown(page)]


def test_every_command_line_example_shows_its_output() -> None:
    files, examples = parse(ROOT / "docs" / "cli.md")
    assert set(files) == {"request.json", "response.json", "batch.jsonl"}
    assert [e.line for e in examples if not e.shown] == []
    assert len(examples) == 18


def test_generated_outputs_are_what_the_commands_print() -> None:
    from docs_hooks.outputs import render

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    built = render(page)
    assert MARKER not in built
    listed = built.split("\nerror bodies: ", 1)[1].split("\n```", 1)[0]
    assert " ".join(line.strip() for line in listed.splitlines()) == ", ".join(rf.ERROR_FORMATS)
    assert "xinference request: knows 4 of 4 top-level keys; only it uses `return_len`" in built


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{e.page.relative_to(ROOT)}:{e.line}" for e in EXAMPLES]
)
def test_shell_example(example: Example, tmp_path: Path) -> None:
    for name, content in parse(example.page)[0].items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "80",  # argparse wraps --help to the terminal's width
    }
    result = subprocess.run(
        ["bash", "-c", example.command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if example.shown.get("stdout", "").strip() == MARKER:  # generated when the site is built
        assert (result.stdout != "", result.stderr, result.returncode) == (
            True,
            example.shown.get("stderr", ""),
            example.code,
        )
        return
    assert (result.stdout, result.stderr, result.returncode) == (
        example.shown.get("stdout", ""),
        example.shown.get("stderr", ""),
        example.code,
    )
