"""The fuzz suite: every public decode, validate and convert entry point, fed hostile input.

Only the library's own errors may come out, each with a JSON path, and no message (of an
error, a problem, a match or a loss) is longer than `MESSAGE_BOUND` or spans two lines;
`decode_error` never raises. Two generators feed it: Hypothesis (`inputs`: arbitrary and
schema-driven payloads, near-valid mutations, hostile parsed objects) and atheris
(`fuzz/coverage.py`, coverage-guided). `tests/test_fuzz.py` runs both briefly in
`make test`; `make fuzz` runs a long campaign of each.
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

from .schemas import schema_payloads

Call = Callable[[Any], object]

MESSAGE_BOUND = 2 * rf.MAX_MESSAGE_LENGTH + 100
"""The longest `str()` of an error, problem, match or loss: a message and a path of at most
`MAX_MESSAGE_LENGTH` each, and the words around them (docs/limits.md)."""

longest: list[tuple[int, str]] = [(0, "")]
"""The longest message seen so far and where (for the campaign's report)."""

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
                    functools.partial(rf.convert_request, read=read, write=write, on_loss="raise"),
                ),
                (
                    f"convert_response[{read}->{write}]",
                    functools.partial(rf.convert_response, read=read, write=write, on_loss="raise"),
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
    """Hostile inputs: arbitrary bytes and JSON values, payloads drawn from the schemas,
    near-valid mutations of recorded payloads, of schema payloads and of valid ones drawn
    for every format, and parsed objects or text holding what JSON cannot."""
    valid = st.one_of(
        *(testing.requests(f) for f in rf.FORMATS),
        *(testing.responses(f) for f in rf.FORMATS),
        *(testing.errors(f).map(lambda pair: pair[1]) for f in rf.ERROR_FORMATS),
    )
    recorded = st.sampled_from(recorded_bodies())
    schema = schema_payloads()
    schema_bytes = schema.map(msgspec.json.encode)
    return st.one_of(
        st.binary(max_size=300),
        testing.json_values(),
        testing.json_values().map(msgspec.json.encode),
        recorded,
        testing.mutations(recorded),
        testing.mutations(testing.mutations(recorded)),
        testing.mutations(valid),
        schema,
        schema_bytes,
        testing.mutations(schema_bytes),
        hostile_objects(schema),
        st.binary(max_size=300).map(lambda b: b.decode("utf-8", "surrogateescape")),
        testing.mutations(recorded).map(lambda b: b.decode("utf-8", "surrogateescape")),
    )


_ODD_LEAVES = st.one_of(
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 2**64]),
    # built when drawn: Hypothesis prints its strategies, and Python will not print these
    st.builds(
        lambda digits, sign: sign * 10**digits,
        st.sampled_from([4300, 5000]),
        st.sampled_from([1, -1]),
    ),
    st.text(st.sampled_from("\n\r\x00\u2028 ab`$-"), min_size=1, max_size=600),
)


@st.composite
def _hostile(draw: st.DrawFn, payloads: st.SearchStrategy[Any]) -> Any:
    payload = draw(payloads)
    if not isinstance(payload, dict):
        return payload
    payload = dict(payload)
    key = draw(st.sampled_from([*payload, draw(_ODD_LEAVES.filter(lambda v: isinstance(v, str)))]))
    value = draw(_ODD_LEAVES)
    target = payload.get(key)
    if isinstance(target, list) and target:
        target = list(target)
        target[draw(st.integers(0, len(target) - 1))] = value
        payload[key] = target
    else:
        payload[key] = value
    return payload


def hostile_objects(payloads: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Parsed payloads with a key or value JSON text cannot hold (a lone surrogate, NaN, an
    infinity, an integer of thousands of digits) or a long key full of newlines."""
    return _hostile(payloads)


class EscapeError(Exception):
    """An exception that is not the library's own came out of an entry point, or a message
    broke its bound."""


def check_text(name: str, text: str) -> None:
    """Raise `EscapeError` if `text` (a message) is too long or not one line."""
    if len(text) > longest[0][0]:
        longest[0] = (len(text), f"{name}: {text[:120]}")
    if len(text) > MESSAGE_BOUND or "\n" in text or "\r" in text:
        raise EscapeError(f"{name}: a message of {len(text)} characters: {text[:300]!r}")


def attempt(name: str, call: Call, body: Any) -> bool:
    """Run one input; True if accepted, False if refused with a proper error.

    Raises:
        EscapeError: anything else came out, an error lacked its path, or a message broke
            its bound.
    """
    try:
        result = call(body)
    except rf.DecodeError as error:
        check_text(name, str(error))
        if not error.path.startswith("$") or name.startswith("decode_error"):
            raise EscapeError(f"{name}: {error!r}"[:500]) from error
        return False
    except rf.LossyConversionError as error:
        check_text(name, str(error))
        for loss in error.losses:
            check_text(name, str(loss))
        return False
    except rf.RerankFormatError as error:
        check_text(name, str(error))
        if name.startswith(("decode_error", "convert_error")):
            raise EscapeError(f"{name}: {error!r}"[:500]) from error
        return False
    except Exception as error:  # what the fuzzer is here to find
        raise EscapeError(f"{name}: {type(error).__name__}: {error}"[:500]) from error
    for item in result if isinstance(result, tuple) else ():
        if isinstance(item, (rf.Problem, rf.Match)):
            check_text(name, str(item) if isinstance(item, rf.Problem) else item.reason)
    return True
