"""What a response's scores are (probabilities, logits or unknown), kept through conversions.

A format declares the scale of its scores in `SCORE_SCALE`; one whose scale depends on the
request (TEI's and Infinity's `raw_scores`, vLLM's `use_activation`) also defines
`response_scale(request)`, which reads its own knob from the request's extensions. A
response decoded from format F in the context of request R has the scale
`score_scale(F, R)`, kept in `RerankResponse.score_scale` (absent when unknown, so a Jina
response, whose scale is unknown, decodes as it always did).

Only `"probability"` promises something (scores in [0, 1], Cohere's "relevance"), so writing
logits to a format that promises probabilities is a `Loss` unless the caller asks
`scores="sigmoid"` (`Scores`); probabilities written where logits are expected, and scores of
an unknown scale written anywhere, break no promise and lose nothing.
"""

from __future__ import annotations

import math
from typing import Literal

import msgspec
from msgspec import UNSET

from .canonical import RerankRequest, RerankResponse
from .errors import RerankFormatError, excerpt
from .formats._base import ScoreScale, Sink
from .registry import Format, FormatName, get_format

__all__ = ["SCORES", "Scores", "score_scale"]

Scores = Literal["keep", "sigmoid"]
"""What a conversion does with logit scores written to a format that promises probabilities
in [0, 1] (Cohere's `relevance_score`):

- `"keep"` (the default): write them as they are, and report a `Loss` of kind `"ranking"`;
- `"sigmoid"`: map them through the logistic function, 1 / (1 + e^-x), into probabilities
  (order kept), and report nothing: the caller chose it.

Scores of any other scale are written as they are whatever this says: a sigmoid of scores
that may already be probabilities (scale `"unknown"`) would be a guess.
"""

SCORES: tuple[Scores, ...] = ("keep", "sigmoid")


def score_scale(format: FormatName, request: RerankRequest | None = None) -> ScoreScale:
    """The scale of the scores of a `format` response that answers `request`: the format's
    `response_scale(request)` where it defines one (its scale depends on the request, such
    as TEI's `raw_scores`), else its `SCORE_SCALE`.

    Raises:
        UnknownFormatError: `format` is not registered.

    Examples:
        >>> import rerank_formats as rf
        >>> rf.score_scale("cohere_v2"), rf.score_scale("jina")
        ('probability', 'unknown')
    """
    return _scale(get_format(format), request)


def _scale(module: Format, request: RerankRequest | None) -> ScoreScale:
    # from the module's namespace: a failed getattr costs half a microsecond (an exception)
    read = vars(module).get("response_scale")
    return module.SCORE_SCALE if read is None else read(request)


def scale_of(module: Format, response: RerankResponse, request: RerankRequest | None) -> ScoreScale:
    """The scale of `response`'s scores, decoded from `module` for `request`: the one its
    decoder set, if any, else `module`'s for `request`."""
    scale = response.score_scale
    return _scale(module, request) if scale is UNSET else scale


def with_scale(
    module: Format, response: RerankResponse, request: RerankRequest | None
) -> RerankResponse:
    """`response`, decoded from `module`, with the scale its scores have for `request` (left
    absent when unknown, and kept when the module's decoder set one itself)."""
    if response.score_scale is not UNSET:
        return response
    scale = _scale(module, request)
    if scale == "unknown":
        return response
    return msgspec.structs.replace(response, score_scale=scale)


def check_scores(scores: object) -> None:
    """Refuse a `scores` that is not one of `SCORES`."""
    if scores not in SCORES:
        raise RerankFormatError(f"scores must be 'keep' or 'sigmoid', not {excerpt(repr(scores))}")


def rescaled(
    module: Format,
    response: RerankResponse,
    request: RerankRequest | None,
    scores: Scores,
    sink: Sink,
) -> RerankResponse:
    """`response` as it is written to `module` (which answers `request`): its logit scores
    mapped to probabilities when `scores="sigmoid"` and `module` promises probabilities,
    or else reported as a loss there.

    The loss is of kind `"ranking"`: a response's ranking is its indices and its scores, and
    a client that reads a "relevance in [0, 1]" keeps or drops documents by its value (a
    threshold, as Cohere's documentation suggests choosing), so logits read as probabilities
    change which documents it goes on with, as a wrong `top_n` would; only their order is
    kept. Called only for a response whose scale is `"logit"`."""
    if _scale(module, request) != "probability":
        return response
    if scores == "sigmoid":
        return msgspec.structs.replace(
            response,
            results=tuple(
                [
                    msgspec.structs.replace(r, relevance_score=sigmoid(r.relevance_score))
                    for r in response.results
                ]
            ),
            score_scale="probability",
        )
    if response.results:
        sink(
            "$.results[*].relevance_score",
            f"{module.NAME} scores are probabilities in [0, 1], and these are logits"
            ' (scores="sigmoid" maps them)',
        )
    return response


def sigmoid(x: float) -> float:
    """The logistic function, 1 / (1 + e^-x), without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
