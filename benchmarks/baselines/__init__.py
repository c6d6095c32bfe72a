"""Hand-written msgspec baselines, one module per format: what a gateway author would write
without rerank_formats, doing the same job (the same checks, the same bytes out).

A format's baseline is the module `benchmarks/baselines/<format>.py`, found by the format's
registered name (`rerank_formats.FORMATS`), with two names:

- `READER`, a `Reader`: bytes -> its own decoded Structs plus a small `Envelope` (responses),
  or a `Request` (requests), and the types a typed decode of each uses (for `validate`);
- `WRITER`, a `Writer`: results, envelope and the request they answer -> bytes, a `Request`
  -> bytes, and whether its responses carry documents.

Any reader composes with any writer: the readers' result Structs all have `index`,
`relevance_score` and (where the format has one) `document`, so a writer builds its output
Structs straight from them, as a hand-written `a -> b` converter would. The context step is
written once, in `_common.in_context`.

Adding a format edits no file here: the matrix (`benchmarks/matrix.py`) reads the registry,
and a format without its baseline module yet is measured against the generic floor (`floor`),
labelled as such in every report and left out of the targets' verdicts.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import msgspec
from msgspec import UNSET

import rerank_formats as rf

from ._common import KEEP, Reader, Request, Writer, in_context

__all__ = [
    "READERS",
    "WRITERS",
    "Reader",
    "Request",
    "Writer",
    "convert_request",
    "convert_response",
    "floor",
    "missing",
]


def _discover() -> tuple[dict[str, Reader], dict[str, Writer]]:
    readers: dict[str, Reader] = {}
    writers: dict[str, Writer] = {}
    for name in rf.FORMATS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise  # the module exists and fails to import: say so
            continue
        readers[name] = module.READER
        writers[name] = module.WRITER
    return readers, writers


READERS, WRITERS = _discover()
"""Each registered format's hand-written reader and writer (a format without its module is
absent from both)."""


def missing() -> list[str]:
    """The registered formats with no hand-written baseline yet."""
    return [name for name in rf.FORMATS if name not in READERS or name not in WRITERS]


def convert_response(data: bytes, read: str, write: str, request: Request | None) -> bytes:
    """`read`'s response as `write`'s, in `request`'s context when given."""
    reader = READERS[read]
    results, envelope = reader.response(data)
    writer = WRITERS[write]
    if request is None:
        return writer.response(results, envelope, KEEP, None)
    if reader.context is not None:
        results = reader.context(results, request)
    results, mode = in_context(results, request, echoes=writer.echoes)
    if envelope.model is UNSET:
        envelope.model = request.model
    if envelope.usage is UNSET:
        envelope.usage = None
    return writer.response(results, envelope, mode, request)


def convert_request(data: bytes, read: str, write: str) -> bytes:
    return WRITERS[write].request(READERS[read].request(data))


_parse = msgspec.json.decode
_write = msgspec.json.Encoder().encode


def floor(data: bytes, output: bytes) -> Callable[[], bytes]:
    """The generic floor for a cell whose formats lack a hand-written baseline: parse `data`
    (untyped, at C speed) and write `output` (parsed beforehand) back. No checks and no
    reshaping, so it is faster than any real converter: a ratio against it is an upper
    bound of the ratio against a hand-written baseline, not a verdict on the targets."""
    written = _parse(output)

    def call() -> bytes:
        _parse(data)
        return _write(written)

    return call
