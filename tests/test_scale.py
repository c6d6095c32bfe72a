"""The score scale kept through conversions (#13): a logit never becomes a probability
silently, and a sigmoid only when the caller asks one. The logit format is a throwaway
module (tests/throwaway.py): `raw`, whose scores are logits unless its request asks
`"activation": true` (as vLLM's `use_activation` and TEI's `raw_scores` decide)."""

from __future__ import annotations

import math
import types
import warnings
from typing import Any

import msgspec
import pytest
from hypothesis import given, strategies as st
from throwaway import register

import rerank_formats as rf
from rerank_formats import registry
from rerank_formats.scale import sigmoid

RESPONSE_SCALE = """
def response_scale(request):
    own = request.extensions.get(NAME) if request is not None else None
    if own is not None and own.fields.get("activation") is True:
        return "probability"
    return SCORE_SCALE
"""

RAW = b'{"data": [{"index": 0, "relevance_score": -3.0}, {"index": 1, "relevance_score": 2.0}]}'
JINA_REQUEST = b'{"model": "m", "query": "q", "documents": ["a", "b"]}'
LOSS = (
    "$.results[*].relevance_score",
    'cohere_v2 scores are probabilities in [0, 1], and these are logits (scores="sigmoid" maps'
    " them)",
    "ranking",
)


@pytest.fixture
def raw(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    return register(
        monkeypatch,
        "raw",
        replace={'SCORE_SCALE: Final[ScoreScale] = "probability"': 'SCORE_SCALE = "logit"'},
        extra=RESPONSE_SCALE,
        face=("response_scale",),
    )


def _losses(error: rf.LossyConversionError) -> list[tuple[str, str, str]]:
    return [(loss.path, loss.reason, loss.kind) for loss in error.losses]


def test_the_scale_of_each_seed_format() -> None:
    assert {name: rf.score_scale(name) for name in ("jina", "cohere_v1", "cohere_v2")} == {
        "jina": "unknown",
        "cohere_v1": "probability",
        "cohere_v2": "probability",
    }


def test_a_format_whose_scale_depends_on_the_request(raw: object) -> None:
    plain = rf.decode_request(JINA_REQUEST, format="jina")
    activated = rf.decode_request(
        b'{"model": "m", "query": "q", "documents": ["a"], "activation": true}', format="raw"
    )
    assert (rf.score_scale("raw"), rf.score_scale("raw", plain)) == ("logit", "logit")
    assert rf.score_scale("raw", activated) == "probability"


def test_decoding_sets_the_scale_and_leaves_jina_as_it_was(raw: object) -> None:
    assert rf.decode_response(RAW, format="raw").score_scale == "logit"
    body = b'{"results": [{"index": 0, "relevance_score": 0.5}]}'
    assert rf.decode_response(body, format="cohere_v2").score_scale == "probability"
    # Jina's scale is unknown: the field stays absent, the object what it always was
    assert rf.decode_response(body, format="jina") == rf.RerankResponse(
        results=(rf.RerankResult(index=0, relevance_score=0.5),)
    )
    assert repr(rf.decode_response(body, format="cohere_v2")) == (
        "RerankResponse(results=(RerankResult(index=0, relevance_score=0.5),),"
        " score_scale='probability')"
    )


def test_logits_written_where_probabilities_are_promised_are_a_ranking_loss(raw: object) -> None:
    with pytest.raises(rf.LossyConversionError) as caught:
        rf.convert_response(RAW, read="raw", write="cohere_v2", request=JINA_REQUEST)
    assert _losses(caught.value) == [LOSS]
    # under raise_ranking too: the scores are the ranking's half that is misstated
    with pytest.raises(rf.LossyConversionError):
        rf.convert_response(RAW, read="raw", write="cohere_v2", on_loss="raise_ranking")
    assert rf.convert_response(RAW, read="raw", write="cohere_v2", on_loss="ignore") == (
        b'{"results":[{"index":0,"relevance_score":-3.0},{"index":1,"relevance_score":2.0}]}'
    )


def test_the_sigmoid_is_the_callers_explicit_choice(raw: object) -> None:
    body = rf.convert_response(
        RAW, read="raw", write="cohere_v2", request=JINA_REQUEST, scores="sigmoid"
    )
    assert body == (
        b'{"results":[{"index":1,"relevance_score":0.8807970779778823},'
        b'{"index":0,"relevance_score":0.04742587317756679}]}'
    )
    decoded = rf.decode_response(RAW, format="raw")
    assert rf.encode_response(decoded, format="cohere_v1", scores="sigmoid") == (
        b'{"results":[{"index":0,"relevance_score":0.04742587317756679},'
        b'{"index":1,"relevance_score":0.8807970779778823}]}'
    )


def test_no_loss_and_no_sigmoid_where_nothing_is_promised(raw: object) -> None:
    # Jina promises no range: logits pass as they are, whatever `scores` says
    for scores in rf.Scores.__args__:  # type: ignore[attr-defined]
        assert rf.convert_response(RAW, read="raw", write="jina", scores=scores) == (
            b'{"results":[{"index":0,"relevance_score":-3.0},{"index":1,"relevance_score":2.0}]}'
        )
    # same format: logits where logits are expected
    assert rf.convert_response(RAW, read="raw", write="raw", scores="sigmoid") == (
        b'{"data":[{"index":0,"relevance_score":-3.0},{"index":1,"relevance_score":2.0}]}'
    )
    # probabilities where logits are expected break no promise
    cohere = b'{"results": [{"index": 0, "relevance_score": 0.25}]}'
    assert rf.convert_response(cohere, read="cohere_v2", write="raw") == (
        b'{"data":[{"index":0,"relevance_score":0.25}]}'
    )


def test_the_request_says_when_the_scores_are_probabilities(raw: object) -> None:
    activated = b'{"model": "m", "query": "q", "documents": ["a", "b"], "activation": true}'
    body = b'{"data": [{"index": 1, "relevance_score": 0.75}]}'
    # the upstream was asked for probabilities: nothing to report, nothing to map
    request = rf.decode_request(activated, format="raw")
    assert rf.convert_response(body, read="raw", write="cohere_v2", request=request) == (
        b'{"results":[{"index":1,"relevance_score":0.75}]}'
    )
    assert rf.decode_response(body, format="raw", request=request).score_scale == "probability"


def test_an_unknown_scale_is_written_as_it_is() -> None:
    body = b'{"results": [{"index": 0, "relevance_score": -7.5}]}'
    assert rf.convert_response(body, read="jina", write="cohere_v2", scores="sigmoid") == (
        b'{"results":[{"index":0,"relevance_score":-7.5}]}'
    )


def test_a_canonical_response_says_its_own_scale() -> None:
    response = rf.RerankResponse(
        results=(rf.RerankResult(index=0, relevance_score=0.0),), score_scale="logit"
    )
    with pytest.raises(rf.LossyConversionError) as caught:
        rf.encode_response(response, format="cohere_v2")
    assert _losses(caught.value) == [LOSS]
    assert rf.encode_response(response, format="cohere_v2", scores="sigmoid") == (
        b'{"results":[{"index":0,"relevance_score":0.5}]}'
    )
    empty = msgspec.structs.replace(response, results=())
    assert rf.encode_response(empty, format="cohere_v2") == b'{"results":[]}'


def test_a_bad_scores_value_is_refused() -> None:
    body = b'{"results": []}'
    for call in (
        lambda: rf.convert_response(body, read="jina", write="jina", scores="softmax"),  # type: ignore[arg-type]
        lambda: rf.encode_response(
            rf.RerankResponse(results=()),
            format="jina",
            scores="none",  # type: ignore[arg-type]
        ),
    ):
        with pytest.raises(rf.RerankFormatError) as caught:
            call()
        assert str(caught.value).startswith("scores must be 'keep' or 'sigmoid', not '")


def test_the_sigmoid_does_not_overflow() -> None:
    assert [sigmoid(x) for x in (1000.0, -1000.0, 0.0, -1.5)] == [
        1.0,
        0.0,
        0.5,
        0.18242552380635632,
    ]


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20))
def test_the_sigmoid_keeps_the_order_in_probabilities(logits: list[float]) -> None:
    mapped = [sigmoid(x) for x in logits]
    assert all(0.0 <= p <= 1.0 for p in mapped)
    for x, y, p, q in zip(logits, logits[1:], mapped, mapped[1:], strict=False):
        assert (p <= q) if x <= y else (p >= q)
    for x, p in zip(logits, mapped, strict=True):
        if abs(x) < 30:  # where both forms are exact enough to compare
            assert math.isclose(p, 1 / (1 + math.exp(-x)), rel_tol=1e-12)


def test_a_non_callable_response_scale_is_refused(raw: types.ModuleType) -> None:
    broken = types.SimpleNamespace(**{**vars(raw), "response_scale": "logit"})
    with pytest.raises(rf.RerankFormatError) as caught:
        registry.check_format(broken)
    assert str(caught.value) == (
        "format module 'raw': `response_scale` must be a function when it is defined"
    )


def test_the_command_line_asks_the_sigmoid_with_scores(
    raw: object, tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rerank_formats import cli

    monkeypatch.setattr(cli, "FORMATS", (*rf.FORMATS, "raw"))  # as registered at import
    body = tmp_path / "raw.json"
    body.write_bytes(RAW)
    convert = ["convert", "--kind", "response", "--read", "raw", "--write", "cohere_v2"]
    assert cli.main([*convert, "--scores", "sigmoid", str(body)]) == 0
    out, err = capsys.readouterr()
    assert out == (
        '{"results":[{"index":0,"relevance_score":0.04742587317756679},'
        '{"index":1,"relevance_score":0.8807970779778823}]}\n'
    )
    assert cli.main([*convert, str(body)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == (
        "rerank-formats: cohere_v2 cannot express"
        " $.results[*].relevance_score: cohere_v2 scores are probabilities in [0, 1], and"
        ' these are logits (scores="sigmoid" maps them)'
    )
    request = ["convert", "--kind", "request", "--read", "jina", "--write", "jina"]
    with pytest.raises(SystemExit) as exited:
        cli.main([*request, "--scores", "sigmoid", str(body)])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "rerank-formats convert: error: --scores only applies to --kind response"
    )


SCALE_PATH = "$.results[*].relevance_score"


@pytest.mark.parametrize("fmt", rf.FORMATS)
@given(data=st.data())
def test_logits_are_a_loss_exactly_where_probabilities_are_promised(
    fmt: str, data: st.DataObject
) -> None:
    """Every registered format: a logit response written to it reports the scale loss if
    and only if it promises probabilities and there are scores; with the sigmoid it never
    does, and the results keep their order with scores in [0, 1]."""
    from strategies import responses

    drawn = data.draw(responses(registry.get_format(fmt).SUPPORTS))
    logits = msgspec.structs.replace(drawn, score_scale="logit")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = rf.encode_response(logits, format=fmt, on_loss="warn")  # type: ignore[arg-type]
        mapped = rf.encode_response(logits, format=fmt, on_loss="warn", scores="sigmoid")  # type: ignore[arg-type]
    paths = [w.message.loss.path for w in caught if isinstance(w.message, rf.LossWarning)]
    promised = rf.score_scale(fmt) == "probability"  # type: ignore[arg-type]
    assert paths.count(SCALE_PATH) == (1 if promised and logits.results else 0)
    before = rf.decode_response(kept, format=fmt)  # type: ignore[arg-type]
    after = rf.decode_response(mapped, format=fmt)  # type: ignore[arg-type]
    scores = {r.index: r.relevance_score for r in after.results}
    assert sorted(scores) == sorted(r.index for r in before.results)
    # the order is kept: the mapped scores never rise along it (logits far apart can map to
    # the same float, a tie that a format ranking on read, like vLLM's /score, breaks by index)
    along = [scores[r.index] for r in before.results]
    assert along == sorted(along, reverse=True)
    if promised:
        assert all(0.0 <= r.relevance_score <= 1.0 for r in after.results)
        assert scores == {r.index: sigmoid(r.relevance_score) for r in before.results}
    else:
        assert mapped == kept
