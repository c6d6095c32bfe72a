"""The fuzz suite: every public decode, validate and convert entry point, fed hostile input.

Only the library's own errors may come out, each with a JSON path; `decode_error` never
raises. `tests/test_fuzz.py` runs a bounded campaign in `make test`; `python -m fuzz` (`make
fuzz`) runs a long one and reports what was tried, rejected and escaped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import strategies as st

import rerank_formats as rf
from rerank_formats import testing

Call = Callable[[Any], object]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "recorded"


def entry_points() -> list[tuple[str, Call]]:
    """(name, call) for every public function that reads a payload."""
    calls: list[tuple[str, Call]] = []
    for read in rf.FORMATS:
        calls += [
            (f"decode_request[{read}]", functools.partial(rf.decode_request, format=read)),
            (f"decode_response[{read}]", functools.partial(rf.decode_response, format=read)),
            (
                f"validate[{read},request]",
                functools.partial(rf.validate, format=read, kind="request"),
            ),
            (
                f"validate[{read},response]",
                functools.partial(rf.validate, format=read, kind="response"),
            ),
        ]
        for write in rf.FORMATS:
            calls += [
                (
                    f"convert_request[{read}->{write}]",
                    functools.partial(rf.convert_request, read=read, write=write, on_loss="ignore"),
                ),
                (
                    f"convert_response[{read}->{write}]",
                    functools.partial(
                        rf.convert_response, read=read, write=write, on_loss="ignore"
                    ),
                ),
            ]
    for read in rf.ERROR_FORMATS:
        calls += [
            (f"decode_error[{read}]", functools.partial(rf.decode_error, format=read)),
            (f"validate[{read},error]", functools.partial(rf.validate, format=read, kind="error")),
            (
                f"convert_error[{read}->jina]",
                functools.partial(rf.convert_error, read=read, write="jina"),
            ),
        ]
    calls.append(("detect", rf.detect))
    return calls


def recorded_bodies() -> list[bytes]:
    manifest = msgspec.json.decode((FIXTURES / "manifest.json").read_bytes())
    return [(FIXTURES / name).read_bytes() for name in manifest]


def inputs() -> st.SearchStrategy[Any]:
    """Hostile inputs: arbitrary bytes and JSON values, and near-valid mutations of recorded
    payloads and of valid ones drawn for every format."""
    valid = st.one_of(
        *(testing.requests(f) for f in rf.FORMATS),
        *(testing.responses(f) for f in rf.FORMATS),
        *(testing.errors(f).map(lambda pair: pair[1]) for f in rf.ERROR_FORMATS),
    )
    recorded = st.sampled_from(recorded_bodies())
    return st.one_of(
        st.binary(max_size=300),
        testing.json_values(),
        testing.json_values().map(msgspec.json.encode),
        recorded,
        testing.mutations(recorded),
        testing.mutations(testing.mutations(recorded)),
        testing.mutations(valid),
    )


class EscapeError(Exception):
    """An exception that is not the library's own came out of an entry point."""


def attempt(name: str, call: Call, body: Any) -> bool:
    """Run one input; True if accepted, False if refused with a proper error.

    Raises:
        EscapeError: anything else came out, or an error lacked its path.
    """
    try:
        call(body)
    except rf.DecodeError as error:
        if not error.path.startswith("$") or name.startswith("decode_error"):
            raise EscapeError(f"{name}: {error!r}") from error
        return False
    except rf.RerankFormatError as error:
        if name.startswith(("decode_error", "convert_error")):
            raise EscapeError(f"{name}: {error!r}") from error
        return False
    except Exception as error:  # what the fuzzer is here to find
        raise EscapeError(f"{name}: {type(error).__name__}: {error}"[:500]) from error
    return True
