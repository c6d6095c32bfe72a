"""MkDocs hook: every list of formats on the site, and each format's field tables, from the code.

- The nav's "Formats" section gets one page per registered format (`formats/<name>.md`,
  titled by the page's heading without the name), in registry order, right after
  `formats/index.md`.
- `formats/index.md`: `<!-- formats-table -->` becomes the table of formats, one row per
  entry of `ERROR_FORMATS`, from each module's docstring summary and its kinds;
  `<!-- defaults-table -->` the table of each format's `DEFAULTS`.
- `formats/<name>.md`: `<!-- mapping: Request -->` (or `Response`, `Errors`) becomes the
  mapping table of that section of the module's docstring, which is the only copy. Every
  section the docstring has must be placed on the page.
- `errors.md`: `<!-- status-table -->` becomes the status table, computed with `map_status`
  for every error format.
- `<!-- error-format-names -->` anywhere becomes the names of `ERROR_FORMATS`, in backticks.

- A registered format without `docs/formats/<name>.md` gets a page generated from its
  module docstring (`generated_page`); a page written by hand adds examples and quirks.

A page that has lost a marker fails the build, so nothing here can drift from the code.
"""

from __future__ import annotations

import inspect
import json
import re
from http import HTTPStatus
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from rerank_formats import ERROR_FORMATS, FORMATS
from rerank_formats.convert import map_status
from rerank_formats.registry import get_error_format, get_format

DOCS = Path(__file__).resolve().parent.parent / "docs"
SECTIONS = ("Request", "Response", "Errors")
MAPPING = re.compile(r"<!-- mapping: (\w+) -->")
STATUS_MEANINGS = {
    400: "bad request",
    401: "unauthorised",
    402: "payment required (gateways)",
    403: "forbidden (Jina: no balance)",
    404: "not found (Xinference: model)",
    409: "conflict (Jina)",
    422: "validation failed",
    429: "rate limited",
    498: "deny-listed token (Cohere)",
    499: "request cancelled (Cohere)",
    500: "internal error",
    501: "not implemented (Cohere)",
    502: "bad gateway",
    503: "unavailable (Xinference: loading)",
    504: "gateway timeout",
}
"""What a status means in the status table; a status a format declares that is not here
gets its HTTP reason phrase."""


def module_of(name: str) -> ModuleType:
    module = get_error_format(name)
    assert isinstance(module, ModuleType)
    return module


def summary(module: ModuleType) -> str:
    """The first sentence of a format module's docstring, without its final period."""
    first = inspect.cleandoc(module.__doc__ or "").partition("\n\n")[0]
    return " ".join(first.split()).removesuffix(".")


def mapping_tables(module: ModuleType) -> dict[str, str]:
    """The mapping table of each section (`Request`, `Response`, `Errors`) of the docstring."""
    lines = inspect.cleandoc(module.__doc__ or "").splitlines()
    tables: dict[str, str] = {}
    for number, line in enumerate(lines):
        if line.strip() in SECTIONS and number + 2 < len(lines) and not lines[number + 1]:
            rows = []
            for row in lines[number + 2 :]:
                if not row.startswith("|"):
                    break
                rows.append(row)
            if rows:
                tables[line.strip()] = "\n".join(rows)
    return tables


def page_title(name: str) -> str:
    """The title of a format's page: its heading, without the `(name)` that follows; for a
    format without a page of its own, the start of its module docstring."""
    source = DOCS / "formats" / f"{name}.md"
    if not source.exists():
        return re.split(r"[,:]", summary(module_of(name)))[0]
    heading = source.read_text(encoding="utf-8").partition("\n")[0]
    return heading.removeprefix("# ").removesuffix(f" (`{name}`)")


def generated_page(name: str) -> str:
    """The page of a format that has no `docs/formats/<name>.md`: its module docstring, with
    the sections as headings and their tables placed by markers (filled in like any page's)."""
    lines = inspect.cleandoc(get_error_format(name).__doc__ or "").splitlines()
    out = [f"# {page_title(name)} (`{name}`)", ""]
    in_table = False
    placed: set[str] = set()  # the first table of a section is its mapping table
    for number, line in enumerate(lines):
        is_section = line.strip() in SECTIONS and number + 1 < len(lines) and not lines[number + 1]
        if is_section:
            out.append(f"## {line.strip()}")
            in_table = False
        elif line.startswith("|") and (in_table or _section_of(lines, number) not in placed):
            if not in_table:
                placed.add(_section_of(lines, number))
                out.append(f"<!-- mapping: {_section_of(lines, number)} -->")
            in_table = True
        else:
            out.append(line)
            in_table = False
    return "\n".join(out) + "\n"


def _section_of(lines: list[str], number: int) -> str:
    for line in reversed(lines[:number]):
        if line.strip() in SECTIONS:
            return line.strip()
    raise PluginError(f"a table outside any of the sections {SECTIONS}")


def formats_table() -> str:
    lines = ["| name | what and where | kinds | page |", "| --- | --- | --- | --- |"]
    for name in ERROR_FORMATS:
        kinds = "request, response, error" if name in FORMATS else "error only"
        page = f"[{page_title(name)}]({name}.md)"
        lines.append(f"| `{name}` | {summary(module_of(name))} | {kinds} | {page} |")
    return "\n".join(lines)


def defaults_table() -> str:
    """Each format's `DEFAULTS` (the provider's documented defaults), as JSON."""
    lines = ["| format | defaults that are no loss |", "| --- | --- |"]
    for name in FORMATS:
        defaults = get_format(name).DEFAULTS
        cells = [f"`{key}: {json.dumps(value)}`" for key, value in defaults.items()]
        lines.append(f"| `{name}` | {', '.join(cells) or 'none'} |")
    return "\n".join(lines)


def status_table() -> str:
    modules = [get_error_format(name) for name in ERROR_FORMATS]
    statuses = set(STATUS_MEANINGS)
    for module in modules:
        if len(module.STATUSES) < 100:  # a gateway that keeps every status adds no row
            statuses |= module.STATUSES
        statuses |= set(module.STATUS_MAP)
    lines = [
        "| status | meaning | " + " | ".join(ERROR_FORMATS) + " |",
        "| --- | --- | " + " | ".join("---" for _ in ERROR_FORMATS) + " |",
    ]
    for status in sorted(statuses):
        meaning = STATUS_MEANINGS.get(status) or HTTPStatus(status).phrase.lower()
        cells = [str(map_status(status, module)) for module in modules]
        lines.append(f"| {status} | {meaning} | " + " | ".join(cells) + " |")
    other = [
        "kept" if map_status(418, m) == 418 and map_status(599, m) == 599 else "400 / 500"
        for m in modules
    ]
    lines.append("| other 4xx / 5xx | | " + " | ".join(other) + " |")
    return "\n".join(lines)


def on_files(files: Any, config: Any) -> Any:
    for name in ERROR_FORMATS:
        if files.get_file_from_path(f"formats/{name}.md") is None:
            files.append(File.generated(config, f"formats/{name}.md", content=generated_page(name)))
    return files


def on_config(config: Any) -> Any:
    for entry in config["nav"]:
        if isinstance(entry, dict) and "Formats" in entry:
            section = entry["Formats"]
            listed = {str(item) for item in section}
            pages = [
                {page_title(n): f"formats/{n}.md"}
                for n in ERROR_FORMATS
                if f"formats/{n}.md" not in listed
            ]
            at = section.index("formats/index.md") + 1 if "formats/index.md" in section else 0
            section[at:at] = pages  # then any other page of the section (adding a format)
            return config
    raise PluginError("mkdocs.yml's nav has no Formats section (docs_hooks/formats.py)")


def _replace(markdown: str, marker: str, text: str, page: str) -> str:
    if marker not in markdown:
        raise PluginError(f"{page} has lost its {marker} marker (docs_hooks/formats.py)")
    return markdown.replace(marker, text)


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    uri = page.file.src_uri
    markdown = markdown.replace("<!-- error-format-names -->", _names())
    if uri == "formats/index.md":
        markdown = _replace(markdown, "<!-- defaults-table -->", defaults_table(), uri)
        return _replace(markdown, "<!-- formats-table -->", formats_table(), uri)
    if uri == "errors.md":
        return _replace(markdown, "<!-- status-table -->", status_table(), uri)
    name = uri.removeprefix("formats/").removesuffix(".md")
    if uri.startswith("formats/") and name in ERROR_FORMATS:
        tables = mapping_tables(module_of(name))
        for section in tables:
            if f"<!-- mapping: {section} -->" not in markdown:
                raise PluginError(f"{uri} does not place the {section} table of its module")

        def table(match: re.Match[str]) -> str:
            found = tables.get(match[1])
            if found is None:
                raise PluginError(f"{uri}: the module docstring has no {match[1]} table")
            return found

        return MAPPING.sub(table, markdown)
    return markdown


def _names() -> str:
    return ", ".join(f"`{name}`" for name in ERROR_FORMATS)
