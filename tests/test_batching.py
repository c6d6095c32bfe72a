"""Batch limits (#13): one canonical request split into parts a server takes, and the parts'
responses merged back into the answer the whole request would have had."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given, strategies as st
from msgspec import UNSET

import rerank_formats as rf

R = rf.RerankResult
U = rf.Usage


def _answer(request: rf.RerankRequest, *, prompt: bool) -> rf.RerankResponse:
    """What a server answers: every document scored by its own text (`"d3"` scores 3.0,
    so equal documents tie), sorted by descending score (ties in document order), cut to
    `top_n`, documents echoed as asked, one token per document."""
    results = sorted(
        (
            R(
                index=i,
                relevance_score=float(d[1:]),  # type: ignore[index]
                document=rf.TextDocument(text=d) if request.wants_documents else UNSET,  # type: ignore[arg-type]
            )
            for i, d in enumerate(request.documents)
        ),
        key=lambda r: r.relevance_score,
        reverse=True,
    )
    if type(request.top_n) is int:
        results = results[: max(request.top_n, 0)]
    count = len(request.documents)
    return rf.RerankResponse(
        results=tuple(results),
        model="m",
        usage=U(total_tokens=count, prompt_tokens=count if prompt else UNSET),
        score_scale="logit",
    )


@given(
    weights=st.lists(st.integers(-3, 3), max_size=40),
    max_documents=st.integers(1, 12),
    top_n=st.one_of(st.just(UNSET), st.none(), st.integers(-1, 45)),
    return_documents=st.sampled_from([UNSET, True, False]),
    prompt=st.booleans(),
)
def test_the_merge_of_the_split_is_the_direct_answer(
    weights: list[int], max_documents: int, top_n: Any, return_documents: Any, prompt: bool
) -> None:
    request = rf.RerankRequest(
        query="q",
        documents=tuple(f"d{w}" for w in weights),
        top_n=top_n,
        return_documents=return_documents,
    )
    parts = rf.split_request(request, max_documents)
    assert all(1 <= len(p.documents) <= max_documents for p in parts) or not weights
    sizes = [len(p.documents) for p in parts]
    assert max(sizes) - min(sizes) <= 1  # as even as they can be
    assert tuple(d for p in parts for d in p.documents) == request.documents
    merged = rf.merge_responses(request, [_answer(p, prompt=prompt) for p in parts])
    assert merged == _answer(request, prompt=prompt)


def test_a_request_the_server_takes_whole_is_not_split() -> None:
    request = rf.RerankRequest(query="q", documents=("a", "b"))
    assert rf.split_request(request, 2)[0] is request
    empty = rf.RerankRequest(query="q", documents=())
    assert rf.split_request(empty, 1) == (empty,)
    assert rf.merge_responses(empty, [rf.RerankResponse(results=())]) == rf.RerankResponse(
        results=()
    )


def test_the_parts_keep_everything_but_their_documents_and_top_n() -> None:
    request = rf.decode_request(
        b'{"model": "m", "query": "q", "documents": ["a", "b", "c", "d", "e"], "top_n": 2,'
        b' "return_documents": false, "truncation": true, "x": 1}',
        format="jina",
    )
    parts = rf.split_request(request, 2)
    assert [(p.documents, p.top_n) for p in parts] == [
        (("a", "b"), 2),
        (("c", "d"), 2),
        (("e",), 1),
    ]
    for part in parts:
        assert msgspec.structs.replace(part, documents=request.documents, top_n=2) == request
    unlimited = msgspec.structs.replace(request, top_n=None)
    assert [p.top_n for p in rf.split_request(unlimited, 2)] == [None, None, None]


@pytest.mark.parametrize("bad", [0, -1, 2.0, "2", True])
def test_a_batch_limit_must_be_a_positive_integer(bad: object) -> None:
    request = rf.RerankRequest(query="q", documents=("a",))
    with pytest.raises(rf.RerankFormatError) as caught:
        rf.split_request(request, bad)  # type: ignore[arg-type]
    assert str(caught.value) == f"max_documents must be a positive integer, not {bad!r}"


REQUEST = rf.RerankRequest(query="q", documents=("a", "b", "c", "d"))


def _part(*results: tuple[int, float], **fields: Any) -> rf.RerankResponse:
    return rf.RerankResponse(
        results=tuple(R(index=i, relevance_score=s) for i, s in results), **fields
    )


def test_indices_are_rebased_and_ties_keep_the_parts_order() -> None:
    merged = rf.merge_responses(REQUEST, [_part((1, 0.5), (0, 0.1)), _part((0, 0.5), (1, 0.9))])
    assert [(r.index, r.relevance_score) for r in merged.results] == [
        (3, 0.9),
        (1, 0.5),
        (2, 0.5),
        (0, 0.1),
    ]


def test_top_n_is_applied_once() -> None:
    request = msgspec.structs.replace(REQUEST, top_n=1)
    merged = rf.merge_responses(request, [_part((0, 0.2)), _part((1, 0.7))])
    assert [(r.index, r.relevance_score) for r in merged.results] == [(3, 0.7)]
    zero = msgspec.structs.replace(REQUEST, top_n=0)
    assert rf.merge_responses(zero, [_part((0, 0.2)), _part()]).results == ()


@pytest.mark.parametrize(
    ("usages", "merged"),
    [
        ((U(total_tokens=3), U(total_tokens=4)), U(total_tokens=7)),
        (
            (U(total_tokens=3, prompt_tokens=3), U(total_tokens=4, prompt_tokens=1)),
            U(total_tokens=7, prompt_tokens=4),
        ),
        (  # a count one part does not report is not summed
            (U(total_tokens=3, completion_tokens=0), U(total_tokens=4)),
            U(total_tokens=7),
        ),
        ((U(total_tokens=3), UNSET), UNSET),  # a sum would under-count: unknown
        ((U(total_tokens=3), None), None),
        ((UNSET, None), None),
        ((UNSET, UNSET), UNSET),
    ],
)
def test_usage_is_summed_when_every_part_reports_it(usages: Any, merged: Any) -> None:
    parts = [_part(usage=usage) for usage in usages]
    assert rf.merge_responses(REQUEST, parts).usage == merged


def test_model_object_scale_and_extensions() -> None:
    first = rf.decode_response(
        b'{"id": "one", "results": [{"index": 0, "relevance_score": 0.5, "x": 1}]}',
        format="cohere_v2",
    )
    second = rf.decode_response(
        b'{"id": "two", "results": [{"index": 1, "relevance_score": 0.9, "x": 2}]}',
        format="cohere_v2",
    )
    merged = rf.merge_responses(REQUEST, [first, msgspec.structs.replace(second, model="m")])
    assert (merged.model, merged.object, merged.score_scale) == ("m", UNSET, "probability")
    assert merged.extensions == {
        "cohere_v2": rf.Extension(fields={"id": "one"}, results={0: {"x": 1}, 3: {"x": 2}})
    }
    assert rf.convert_response(
        rf.encode_response(merged, format="cohere_v2"), read="cohere_v2", write="cohere_v2"
    ) == (
        b'{"id":"one","results":[{"index":3,"relevance_score":0.9,"x":2},'
        b'{"index":0,"relevance_score":0.5,"x":1}]}'
    )
    mixed = [_part(score_scale="logit"), _part(score_scale="probability")]
    assert rf.merge_responses(REQUEST, mixed).score_scale is UNSET


def test_a_parts_bad_index_is_a_decode_error_naming_the_part() -> None:
    with pytest.raises(rf.DecodeError) as caught:
        rf.merge_responses(REQUEST, [_part((1, 0.5)), _part((0, 0.2), (2, 0.1))])
    error = caught.value
    assert (error.path, error.type, error.message, error.kind) == (
        "$[1].results[1].index",
        "out_of_range",
        "index 2 is out of range for 2 documents",
        "response",
    )
    with pytest.raises(rf.DecodeError) as caught:
        rf.merge_responses(REQUEST, [_part((1, 0.5), (1, 0.2)), _part()])
    assert (caught.value.path, caught.value.type) == ("$[0].results[1].index", "duplicate_index")


@pytest.mark.parametrize("count", [0, 5])
def test_a_number_of_parts_no_split_makes_is_refused(count: int) -> None:
    with pytest.raises(rf.RerankFormatError) as caught:
        rf.merge_responses(REQUEST, [_part()] * count)
    assert str(caught.value) == f"{count} parts cannot answer a request of 4 documents"
