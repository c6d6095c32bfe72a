"""One request over a server that takes at most N documents a call: split, then merge.

`split_request` cuts a canonical request into parts of at most `max_documents` documents
(TEI refuses more than 32 by default); each part goes upstream on its own, and
`merge_responses` makes the parts' responses one answer to the whole request: indices
re-based onto the request's documents, results merged by descending score, `top_n` applied
once, usage summed. Both are pure: the caller (the proxy, `rerank_formats.proxy`) sends
the parts.

The parts are as even as they can be (33 documents in parts of at most 32 are 17 and 16,
which the upstream answers in the time of the larger one), so that the number of parts and
the number of documents say where each part starts: `merge_responses` needs nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from msgspec import UNSET, UnsetType

from .canonical import Extension, RerankRequest, RerankResponse, RerankResult, Usage
from .context import _check_indices
from .errors import RerankFormatError, number

__all__ = ["merge_responses", "split_request"]


def _sizes(count: int, parts: int) -> list[int]:
    size, larger = divmod(count, parts)
    return [size + 1 if part < larger else size for part in range(parts)]


def split_request(request: RerankRequest, max_documents: int) -> tuple[RerankRequest, ...]:
    """`request` as parts of at most `max_documents` documents each, in order, as even as
    they can be; `(request,)` itself when it has no more.

    Each part is `request` with a slice of its documents, and its `top_n` lowered to the
    part's size when larger (every part's own best `top_n` hold the whole request's best
    `top_n`); the query, model, flags and extensions (a format's own knobs) are the same.

    Raises:
        RerankFormatError: `max_documents` is not a positive integer.

    Examples:
        >>> import rerank_formats as rf
        >>> request = rf.RerankRequest(query="q", documents=("a", "b", "c"), top_n=2)
        >>> [(p.documents, p.top_n) for p in rf.split_request(request, 2)]
        [(('a', 'b'), 2), (('c',), 1)]
    """
    if type(max_documents) is not int or max_documents < 1:
        raise RerankFormatError(
            f"max_documents must be a positive integer, not {max_documents!r:.40}"
        )
    documents = request.documents
    if len(documents) <= max_documents:
        return (request,)
    parts, start = [], 0
    top_n = request.top_n
    for size in _sizes(len(documents), -(-len(documents) // max_documents)):
        part_top_n = min(top_n, size) if type(top_n) is int else top_n
        parts.append(
            msgspec.structs.replace(
                request, documents=documents[start : start + size], top_n=part_top_n
            )
        )
        start += size
    return tuple(parts)


def merge_responses(request: RerankRequest, parts: Sequence[RerankResponse]) -> RerankResponse:
    """The answer to `request` from the responses to its parts (`split_request`), in order.

    - **Results**: each part's indices re-based onto `request.documents`, every result
      merged by descending score (stable: equal scores keep the parts' order, then each
      part's), and cut to `request.top_n` once. Documents and embeddings stay as each part
      gave them (`decode_response` with `request` fills or removes documents).
    - **Usage**: the sum when every part reports one (`prompt_tokens` and
      `completion_tokens` summed when every part has them); otherwise unknown, since a sum
      would under-count: `None` when a part says null, else absent.
    - **Model, object**: the first part's that has one. **Score scale**: the parts', when
      they agree; else unknown (absent).
    - **Extensions**: the first part's top-level leftovers (each upstream call has its own
      id, say: one is kept), and every part's result leftovers under re-based indices.

    Raises:
        RerankFormatError: the number of parts is not one `split_request` can make for
            `request`'s documents.
        DecodeError: a part's index is out of range for that part or repeated in it; the
            path names the part (`$[1].results[0].index`: part 1's first result).

    Examples:
        >>> import rerank_formats as rf
        >>> request = rf.RerankRequest(query="q", documents=("a", "b", "c"), top_n=2)
        >>> def part(index, score):
        ...     result = rf.RerankResult(index=index, relevance_score=score)
        ...     return rf.RerankResponse(results=(result,))
        >>> merged = rf.merge_responses(request, [part(1, 0.2), part(0, 0.9)])
        >>> [(r.index, r.relevance_score) for r in merged.results]
        [(2, 0.9), (1, 0.2)]
    """
    count = len(request.documents)
    if not 1 <= len(parts) <= max(count, 1):
        raise RerankFormatError(
            f"{number(len(parts))} parts cannot answer a request of {number(count)} documents"
        )
    sizes = _sizes(count, len(parts))
    offsets = [sum(sizes[:part]) for part in range(len(parts))]
    results: list[RerankResult] = []
    extra: dict[str, dict[int, dict[str, object]]] = {}
    replace = msgspec.structs.replace
    for part, (response, offset, size) in enumerate(zip(parts, offsets, sizes, strict=True)):
        indices = [r.index for r in response.results]
        if indices and (
            len(set(indices)) < len(indices) or not 0 <= min(indices) <= max(indices) < size
        ):
            _check_indices(indices, size, None, f"$[{part}].results")
        results.extend(
            replace(r, index=r.index + offset) if offset else r for r in response.results
        )
        for name, extension in response.extensions.items():
            for index, fields in extension.results.items():
                extra.setdefault(name, {})[index + offset] = dict(fields)
    results.sort(key=lambda r: r.relevance_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    first = parts[0]
    scales = {p.score_scale for p in parts}
    return RerankResponse(
        results=tuple(results),
        model=next((p.model for p in parts if p.model is not UNSET), UNSET),
        object=next((p.object for p in parts if p.object is not UNSET), UNSET),
        usage=_usage([p.usage for p in parts]),
        extensions=_extensions(first, extra),
        score_scale=scales.pop() if len(scales) == 1 else UNSET,
    )


def _usage(usages: list[Usage | UnsetType | None]) -> Usage | UnsetType | None:
    if not all(isinstance(u, Usage) for u in usages):
        return None if any(u is None for u in usages) else UNSET
    known: list[Usage] = usages  # type: ignore[assignment]

    def total(name: str) -> int | UnsetType:
        counts = [getattr(u, name) for u in known]
        return UNSET if UNSET in counts else sum(counts)

    return Usage(
        total_tokens=sum(u.total_tokens for u in known),
        prompt_tokens=total("prompt_tokens"),
        completion_tokens=total("completion_tokens"),
    )


def _extensions(
    first: RerankResponse, extra: dict[str, dict[int, dict[str, object]]]
) -> dict[str, Extension]:
    names = [*first.extensions, *(name for name in extra if name not in first.extensions)]
    merged = {}
    for name in names:
        own = first.extensions.get(name, Extension())
        merged[name] = msgspec.structs.replace(own, results=extra.get(name, {}))
    return merged
