"""Hypothesis properties of every format (strategies in strategies.py)."""

from __future__ import annotations

import msgspec
import pytest
from helpers import decode, encode_with_losses, load_json, meaning, recorded
from hypothesis import given, strategies as st
from strategies import json_values, requests, responses

import rerank_formats as rf
from rerank_formats.registry import get_format

KINDS = {"request": requests, "response": responses}
PAIRS = [(f, g) for f in rf.FORMATS for g in rf.FORMATS if f != g]
# A field one format requires and the other cannot express (a model, for a server of one
# model) makes every composition of the two lossy: they compose on nothing.
COMPOSABLE = [
    (f, g)
    for f, g in PAIRS
    if get_format(f).REQUIRES <= get_format(g).SUPPORTS
    and get_format(g).REQUIRES <= get_format(f).SUPPORTS
]


def _supports(fmt: str) -> frozenset[str]:
    return get_format(fmt).SUPPORTS


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", rf.FORMATS)
@given(data=st.data())
def test_round_trip_on_what_the_format_expresses(fmt: str, kind: str, data: st.DataObject) -> None:
    original = data.draw(KINDS[kind](_supports(fmt)))
    body, losses = encode_with_losses(original, fmt)
    assert losses == []
    decoded = decode(kind, body, fmt)
    assert meaning(decoded, fmt) == meaning(original, fmt)
    assert encode_with_losses(decoded, fmt) == (body, [])
    if fmt == "jina":
        assert decoded == original  # the canonical format: exact


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("first", "second"), COMPOSABLE)
@given(data=st.data())
def test_conversions_compose(first: str, second: str, kind: str, data: st.DataObject) -> None:
    common = _supports(first) & _supports(second)
    original = data.draw(KINDS[kind](common))
    via_first = decode(kind, encode_with_losses(original, first)[0], first)
    body, losses = encode_with_losses(via_first, second)
    # Xinference asks `return_len` for a canonical (Jina) request, which always gets usage;
    # read back as an Xinference client's request, a format without token usage cannot answer
    # it: a reporting loss, and the only one (#9).
    asks = kind == "request" and first == "xinference" and "reports_tokens" not in common
    # logits read from the first format, written where the second promises probabilities:
    # the scale loss, and the only one (#13)
    rescaled = (
        isinstance(via_first, rf.RerankResponse)
        and via_first.score_scale == "logit"
        and rf.score_scale(second) == "probability"  # type: ignore[arg-type]
        and bool(via_first.results)
    )
    expected = [("$.return_len", "reporting")] if asks else []
    expected += [("$.results[*].relevance_score", "ranking")] if rescaled else []
    assert [(loss.path, loss.kind) for loss in losses] == expected
    assert meaning(decode(kind, body, second), common) == meaning(original, common)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("first", "second"), PAIRS)
@given(data=st.data())
def test_ignoring_losses_writes_what_reporting_them_writes(
    first: str, second: str, kind: str, data: st.DataObject
) -> None:
    """Under `on_loss="ignore"` no loss is built and the loss-only checks are skipped (a
    quiet sink): the bytes are the same, whatever the first format left in `extensions`."""
    original = data.draw(KINDS[kind](_supports(first)))
    via_first = decode(kind, encode_with_losses(original, first)[0], first)
    encode = rf.encode_request if kind == "request" else rf.encode_response
    assert (
        encode(via_first, format=second, on_loss="ignore")
        == (  # type: ignore[arg-type]
            encode_with_losses(via_first, second)[0]
        )
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", rf.FORMATS)
@given(data=st.data())
def test_a_loss_is_reported_if_and_only_if_information_is_dropped(
    fmt: str, kind: str, data: st.DataObject
) -> None:
    original = data.draw(KINDS[kind]())
    body, losses = encode_with_losses(original, fmt)
    try:
        changed = meaning(decode(kind, body, fmt), fmt) != meaning(original, fmt)
    except rf.DecodeError:
        changed = True  # the output is not even a valid payload (a required field is missing)
    assert bool(losses) == changed, [str(loss) for loss in losses]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", rf.FORMATS)
@given(data=st.data())
def test_writers_write_what_their_own_readers_read(
    fmt: str, kind: str, data: st.DataObject
) -> None:
    """Whatever a writer drops, what it writes is a payload of its format (a loss report
    does not excuse a body the format refuses), unless the canonical object lacks a field
    the format requires."""
    body, _ = encode_with_losses(data.draw(KINDS[kind]()), fmt)
    try:
        decode(kind, body, fmt)
    except rf.DecodeError as error:
        assert error.type == "missing_field", (error.type, error.path, body[:300])


PROMPT_UNKNOWN = ("$.usage.prompt_tokens", "reporting")


@pytest.mark.parametrize(
    ("fmt", "written", "losses"),
    [
        (
            "cohere_v1",
            b'{"results":[],"meta":{"tokens":{"input_tokens":0,"output_tokens":3}}}',
            [PROMPT_UNKNOWN],
        ),
        (
            "cohere_v2",
            b'{"results":[],"meta":{"tokens":{"input_tokens":0,"output_tokens":3}}}',
            [PROMPT_UNKNOWN],
        ),
        (
            "siliconflow",
            b'{"results":[],"tokens":{"input_tokens":0,"output_tokens":3}}',
            [PROMPT_UNKNOWN],
        ),
        (
            "infinity",
            b'{"object":"rerank","results":[],"usage":{"total_tokens":1,"prompt_tokens":0}}',
            [("$.usage.completion_tokens", "reporting"), PROMPT_UNKNOWN],
        ),
    ],
)
def test_more_completion_tokens_than_in_all_write_no_negative_prompt_count(
    fmt: str, written: bytes, losses: list[tuple[str, str]]
) -> None:
    """Found by the property above: with no prompt count, one derived from a total smaller
    than the completion tokens was written below 0 (`input_tokens: -2`), which the format
    refuses; it is written as 0, a reporting loss (Together's own test has its case)."""
    response = rf.RerankResponse(results=(), usage=rf.Usage(total_tokens=1, completion_tokens=3))
    body, reported = encode_with_losses(response, fmt)
    assert body == written
    assert [(loss.path, loss.kind) for loss in reported] == losses
    decode("response", body, fmt)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", rf.FORMATS)
@given(value=json_values())
def test_decoders_raise_nothing_but_their_own_errors(fmt: str, kind: str, value: object) -> None:
    for data in (value, msgspec.json.encode(value)):
        try:
            decode(kind, data, fmt)
        except rf.DecodeError as error:
            assert error.path.startswith("$")
            assert (error.format, error.kind) == (fmt, kind)


MUTABLE = [
    (fmt, kind, load_json(path))
    for fmt, kind, path in recorded("request", "response")
    if isinstance(load_json(path), dict)
]


@given(case=st.sampled_from(MUTABLE), key=st.text(max_size=6), value=json_values(), data=st.data())
def test_mutated_recorded_payloads_decode_or_fail_cleanly(
    case: tuple[str, str, dict[str, object]], key: str, value: object, data: st.DataObject
) -> None:
    fmt, kind, payload = case
    mutated = dict(payload)
    target = data.draw(st.sampled_from([*mutated, key]))
    mutated[target] = value
    for body in (mutated, msgspec.json.encode(mutated)):
        try:
            decoded = decode(kind, body, fmt)
        except rf.DecodeError as error:
            assert error.path.startswith("$")
            continue
        for other in rf.FORMATS:  # whatever decodes can be written anywhere, or refused cleanly
            encode_with_losses(decoded, other)
