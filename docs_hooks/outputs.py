"""MkDocs hook: the output of a shell example that lists every registered format, run when
the site is built.

A shell example's output block whose body is only the marker `<!-- output -->` (a
```` ```{.text .output title="stdout"} ```` block right after a ```` ```sh ```` block) is
replaced by what the command prints, run as tests/test_docs_shell.py runs it: with `bash`,
in a directory holding the page's files (its blocks titled with a file name), 80 columns
wide. Such output changes with each new format (the `formats` table, `detect`'s matches),
so it is never written by hand; tests/test_docs_shell.py runs the same command and checks
its exit code and its stderr. A command that fails to print anything fails the build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

MARKER = "<!-- output -->"
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.DOTALL | re.MULTILINE)
TITLE = re.compile(r'title="(?P<title>[^"]*)"')
BIN = Path(sys.executable).parent  # where `rerank-formats` is installed beside python


def files_of(markdown: str) -> dict[str, str]:
    """The page's files: its blocks titled with a name that is not an output stream."""
    files = {}
    for block in FENCE.finditer(markdown):
        title = TITLE.search(block["info"])
        if title and not title["title"].startswith(("stdout", "stderr")):
            files[title["title"]] = block["body"]
    return files


def run(command: str, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`command` run with bash in a fresh directory holding `files`, 80 columns wide."""
    with tempfile.TemporaryDirectory() as where:
        for name, content in files.items():
            (Path(where) / name).write_text(content, encoding="utf-8")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "COLUMNS": "80",  # argparse wraps --help to the terminal's width
        }
        return subprocess.run(
            ["bash", "-c", command],
            cwd=where,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )


def _fail(message: str) -> NoReturn:
    from mkdocs.exceptions import PluginError  # the docs build's (the lowest env has no mkdocs)

    raise PluginError(message)


def render(markdown: str) -> str:
    """`markdown` with each marked output block holding its command's output."""
    if MARKER not in markdown:
        return markdown
    files = files_of(markdown)
    parts, end, command = [], 0, None
    for block in FENCE.finditer(markdown):
        if block["info"].strip() == "sh":
            command = block["body"]
        elif block["body"].strip() == MARKER:
            if command is None:
                _fail(f"{MARKER} after no command")
            result = run(command, files)
            if not result.stdout:
                _fail(f"{command.strip()!r} printed nothing: {result.stderr}")
            parts += [markdown[end : block.start("body")], result.stdout]
            end = block.end("body")
    return "".join([*parts, markdown[end:]])


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    return render(markdown)
