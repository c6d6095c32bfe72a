"""A response read or written in the context of the request it answers.

When the request (canonical, as decoded from the client) is given, results are sorted by
descending score, cut to the request's `top_n`, their indices checked against its documents,
documents filled from it (or removed) as it asked, the model taken from it when the response
has none, and a missing usage made explicit as the client's format wants it
(`UnknownUsage`). A format whose documents read differently in the request's context defines
`response_in_context(response, request)`, called first (Together's JSON-string objects). Usage a format reports in its response headers rather than its body (TEI's
`x-compute-tokens`) is read here too, from the `headers=` of `decode_response` and
`convert_response`.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from .canonical import RerankRequest, RerankResponse, RerankResult, TextDocument, Usage
from .errors import DecodeError, EncodeError, number
from .formats._base import field_types
from .registry import Format, get_format

__all__ = ["UnknownUsage", "in_context", "usage_for", "with_header_usage"]

UnknownUsage = Literal["null", "omit", "zero"]
"""What a response written for a client whose format always reports token usage (Jina's
schema requires `usage`) says when the usage is unknown (a Cohere upstream bills search units,
not tokens):

- `"null"` (the default): `"usage": null`, unknown. jina-haystack 2.0.1 reads it; litellm's
  Jina client (1.110) fails on it (`validate_python` of a dict on None).
- `"omit"`: no `usage` key. litellm reads it; jina-haystack fails with a `KeyError`.
- `"zero"`: `{"total_tokens": 0}`, which both read, but is not a count of anything: choose
  it knowingly, for clients that fail otherwise.

A known usage is always written as it is, and formats whose usage is optional (Cohere,
Xinference) leave an unknown one out whatever this says.
"""

USAGES: tuple[UnknownUsage, ...] = ("null", "omit", "zero")

_score = operator.attrgetter("relevance_score")
_NO_DOCUMENT = frozenset({UnsetType, type(None)})
_ZERO = Usage(total_tokens=0)


def usage_for(module: Format, usage: UnknownUsage) -> UnknownUsage:
    """The unknown-usage choice that applies to `module`: only a format whose responses
    always report usage has a choice to make."""
    return usage if "usage_required" in module.SUPPORTS else "null"


def echoes(module: Format) -> bool:
    """Whether `module`'s responses carry documents (filled from the request when absent)."""
    return "response_documents" in module.SUPPORTS


def with_header_usage(
    module: Format, response: RerankResponse, headers: Mapping[str, str] | None
) -> RerankResponse:
    """`response` with the usage its format reports in response `headers` (names in any
    case), when the body reports none and the format reads one (`usage_from_headers`)."""
    if not headers or response.usage is not UNSET:
        return response
    read = getattr(module, "usage_from_headers", None)
    if read is None:
        return response
    usage = read({str(k).lower(): str(v) for k, v in headers.items()})
    return response if usage is None else msgspec.structs.replace(response, usage=usage)


def in_context(
    response: RerankResponse,
    request: RerankRequest,
    *,
    fill: bool,
    format: str | None,
    usage: UnknownUsage = "null",
    results_at: str = "$.results",
) -> RerankResponse:
    """`response` as the answer to `request` (see the module docstring); `fill` says whether
    documents are filled or removed as the request asked; an index error names `format`
    and is at `results_at`, the results' path in that format."""
    if not isinstance(request, RerankRequest):
        raise EncodeError(
            f"expected a RerankRequest, got {type(request).__name__}", type="wrong_type"
        )
    read = vars(get_format(format)).get("response_in_context") if format else None
    if read is not None:  # a format whose documents read differently for this request (Together)
        response = read(response, request)
    documents = request.documents
    indices = [r.index for r in response.results]
    if indices and (
        len(set(indices)) < len(indices) or not 0 <= min(indices) <= max(indices) < len(documents)
    ):
        _check_indices(indices, len(documents), format, results_at)
    results: list[RerankResult] = sorted(response.results, key=_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    if fill and request.wants_documents:
        if not field_types(results, "document").isdisjoint(_NO_DOCUMENT):  # some to fill
            replace = msgspec.structs.replace
            results = [
                r
                if r.document is not UNSET and r.document is not None
                else replace(
                    r,
                    document=TextDocument(text=d) if type(d := documents[r.index]) is str else d,
                )
                for r in results
            ]
    elif fill and field_types(results, "document") != {UnsetType}:  # some to remove
        results = [
            r if r.document is UNSET else msgspec.structs.replace(r, document=UNSET)
            for r in results
        ]
    model = request.model if response.model is UNSET else response.model
    return msgspec.structs.replace(
        response, results=tuple(results), model=model, usage=_known_usage(response, usage)
    )


def _known_usage(response: RerankResponse, policy: UnknownUsage) -> Usage | UnsetType | None:
    # A response for a client says its usage is unknown rather than leaving it out, unless
    # told otherwise: Jina's schema requires the key, and Jina clients read it (UnknownUsage).
    if isinstance(response.usage, Usage):
        return response.usage
    if policy == "null":
        return None
    return UNSET if policy == "omit" else _ZERO


def _check_indices(indices: list[int], count: int, format: str | None, results_at: str) -> None:
    seen: set[int] = set()
    for position, index in enumerate(indices):
        if not 0 <= index < count or index in seen:
            problem = "appears twice" if index in seen else f"is out of range for {count} documents"
            raise DecodeError(
                f"index {number(index)} {problem}",
                path=f"{results_at}[{position}].index",
                type="duplicate_index" if index in seen else "out_of_range",
                format=format,
                kind="response",
            )
        seen.add(index)
