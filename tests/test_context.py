"""Responses read or written with the request they answer (what a proxy knows)."""

from __future__ import annotations

import json

import pytest
from msgspec import UNSET

import rerank_formats as rf

JINA_REQUEST = b"""{"model": "jina-reranker-v2-base-multilingual", "query": "capital",
 "documents": ["Carson City", {"text": "Saipan"}, "Washington"], "top_n": 2}"""

# What Cohere v2 answers: no documents, no model, and (here, like LocalAI) not sorted.
COHERE_V2_RESPONSE = b"""{"id": "x", "results": [
 {"index": 0, "relevance_score": 0.1}, {"index": 2, "relevance_score": 0.9},
 {"index": 1, "relevance_score": 0.5}],
 "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}}}"""


def request(body: bytes = JINA_REQUEST, fmt: str = "jina") -> rf.RerankRequest:
    return rf.decode_request(body, format=fmt)


def test_a_jina_client_gets_sorted_cut_filled_results_with_the_model() -> None:
    body = rf.convert_response(
        COHERE_V2_RESPONSE, read="cohere_v2", write="jina", request=request()
    )
    assert json.loads(body) == {
        "model": "jina-reranker-v2-base-multilingual",
        "usage": None,
        "results": [
            {"index": 2, "relevance_score": 0.9, "document": {"text": "Washington"}},
            {"index": 1, "relevance_score": 0.5, "document": {"text": "Saipan"}},
        ],
    }


def test_documents_are_not_filled_when_the_client_did_not_ask() -> None:
    client = request(
        b'{"model": "m", "query": "q", "documents": ["a", "b"], "return_documents": false}'
    )
    upstream = b'{"results": [{"index": 1, "relevance_score": 0.7, "document": {"text": "b"}}]}'
    body = rf.convert_response(upstream, read="cohere_v1", write="jina", request=client)
    assert json.loads(body) == {
        "model": "m",
        "usage": None,
        "results": [{"index": 1, "relevance_score": 0.7}],
    }


def test_a_cohere_v1_client_gets_documents_only_when_it_asked() -> None:
    asked = request(
        b'{"query": "q", "documents": ["a", "b"], "return_documents": true}', "cohere_v1"
    )
    silent = request(b'{"query": "q", "documents": ["a", "b"]}', "cohere_v1")
    upstream = b'{"model": "m", "results": [{"index": 1, "relevance_score": 0.7}]}'
    with_docs = rf.convert_response(upstream, read="jina", write="cohere_v1", request=asked)
    without = rf.convert_response(upstream, read="jina", write="cohere_v1", request=silent)
    assert json.loads(with_docs) == {
        "results": [{"index": 1, "relevance_score": 0.7, "document": {"text": "b"}}]
    }
    assert json.loads(without) == {"results": [{"index": 1, "relevance_score": 0.7}]}


def test_an_xinference_client_gets_null_documents_when_it_did_not_ask() -> None:
    client = request(b'{"model": "m", "query": "q", "documents": ["a", "b"]}', "xinference")
    upstream = b'{"results": [{"index": 0, "relevance_score": 0.2, "document": "a"}]}'
    body = rf.convert_response(upstream, read="jina", write="xinference", request=client)
    assert json.loads(body)["results"] == [{"index": 0, "relevance_score": 0.2, "document": None}]


def test_object_documents_are_echoed_whole_from_the_request() -> None:
    client = request(
        b'{"query": "q", "documents": [{"title": "T", "text": "a"}], "return_documents": true}',
        "cohere_v1",
    )
    upstream = b'{"results": [{"index": 0, "relevance_score": 0.4}]}'
    body = rf.convert_response(upstream, read="cohere_v2", write="cohere_v1", request=client)
    assert json.loads(body) == {
        "results": [{"index": 0, "relevance_score": 0.4, "document": {"title": "T", "text": "a"}}]
    }


def test_sorting_is_stable_for_equal_scores() -> None:
    upstream = b"""{"results": [{"index": 2, "relevance_score": 0.5},
        {"index": 0, "relevance_score": 0.5}, {"index": 1, "relevance_score": 0.9}]}"""
    client = request(
        b'{"model": "m", "query": "q", "documents": ["a", "b", "c"], "return_documents": false}'
    )
    decoded = rf.decode_response(upstream, format="cohere_v2", request=client)
    assert [r.index for r in decoded.results] == [1, 2, 0]


def test_without_a_request_the_wire_order_is_kept() -> None:
    decoded = rf.decode_response(COHERE_V2_RESPONSE, format="cohere_v2")
    assert [r.index for r in decoded.results] == [0, 2, 1]
    assert decoded.model is UNSET


def test_the_upstream_model_wins_over_the_request() -> None:
    upstream = b'{"model": "served-model", "results": []}'
    decoded = rf.decode_response(upstream, format="jina", request=request())
    assert decoded.model == "served-model"


def test_top_n_zero_gives_no_results() -> None:
    client = request(b'{"model": "m", "query": "q", "documents": ["a"], "top_n": 0}', "xinference")
    upstream = b'{"results": [{"index": 0, "relevance_score": 0.3}]}'
    decoded = rf.decode_response(upstream, format="jina", request=client)
    assert decoded.results == ()


@pytest.mark.parametrize(
    ("upstream", "message", "path", "type_"),
    [
        (
            b'{"results": [{"index": 0, "relevance_score": 0.1}, {"index": 3, "relevance_score": 0.2}]}',
            "invalid cohere_v2 response: index 3 is out of range for 3 documents (at $.results[1].index)",
            "$.results[1].index",
            "out_of_range",
        ),
        (
            b'{"results": [{"index": 1, "relevance_score": 0.1}, {"index": 1, "relevance_score": 0.2}]}',
            "invalid cohere_v2 response: index 1 appears twice (at $.results[1].index)",
            "$.results[1].index",
            "duplicate_index",
        ),
    ],
)
def test_indices_are_checked_against_the_request(
    upstream: bytes, message: str, path: str, type_: str
) -> None:
    with pytest.raises(rf.DecodeError) as info:
        rf.convert_response(upstream, read="cohere_v2", write="jina", request=request())
    assert (str(info.value), info.value.path, info.value.type) == (message, path, type_)
    assert (info.value.format, info.value.kind) == ("cohere_v2", "response")


def test_encode_response_applies_the_request_too() -> None:
    response = rf.RerankResponse(
        results=(
            rf.RerankResult(index=0, relevance_score=0.1),
            rf.RerankResult(index=2, relevance_score=0.8),
        )
    )
    body = rf.encode_response(response, format="jina", request=request())
    assert json.loads(body) == {
        "model": "jina-reranker-v2-base-multilingual",
        "usage": None,
        "results": [
            {"index": 2, "relevance_score": 0.8, "document": {"text": "Washington"}},
            {"index": 0, "relevance_score": 0.1, "document": {"text": "Carson City"}},
        ],
    }


def test_filling_documents_is_not_a_loss_for_cohere_v2_clients() -> None:
    client = request(
        b'{"model": "rerank-v3.5", "query": "q", "documents": ["a", "b"]}', "cohere_v2"
    )
    upstream = b'{"model": "m", "usage": {"total_tokens": 7}, "results": [{"index": 1, "relevance_score": 0.9, "document": "b"}]}'
    body = rf.convert_response(upstream, read="jina", write="cohere_v2", request=client)
    assert json.loads(body) == {
        "results": [{"index": 1, "relevance_score": 0.9}],
        "meta": {"tokens": {"input_tokens": 7}},
    }


def test_a_gateway_passes_the_client_request_body_as_it_came() -> None:
    from_bytes = rf.convert_response(
        COHERE_V2_RESPONSE, read="cohere_v2", write="jina", request=JINA_REQUEST
    )
    from_canonical = rf.convert_response(
        COHERE_V2_RESPONSE, read="cohere_v2", write="jina", request=request()
    )
    assert from_bytes == from_canonical
    assert json.loads(from_bytes)["results"][0] == {
        "index": 2,
        "relevance_score": 0.9,
        "document": {"text": "Washington"},
    }
    # parsed JSON and str are request bodies too
    parsed = rf.convert_response(
        COHERE_V2_RESPONSE, read="cohere_v2", write="jina", request=json.loads(JINA_REQUEST)
    )
    assert parsed == from_bytes


def test_a_request_body_in_another_format_than_the_response_names_it() -> None:
    cohere_v1_request = b'{"query": "capital", "documents": ["a", "b", "c"], "top_n": 1}'
    body = rf.convert_response(
        COHERE_V2_RESPONSE,
        read="cohere_v2",
        write="jina",
        request=cohere_v1_request,
        request_format="cohere_v1",
    )
    # Cohere v1's default return_documents is false: no documents echoed, no model known
    assert body == b'{"usage":null,"results":[{"index":2,"relevance_score":0.9}]}'


def test_a_bad_request_body_is_a_decode_error_of_the_request() -> None:
    with pytest.raises(rf.DecodeError) as info:
        rf.convert_response(
            COHERE_V2_RESPONSE, read="cohere_v2", write="jina", request=b'{"query": "q"}'
        )
    assert str(info.value) == ("invalid jina request: missing required field `model` (at $.model)")


def test_request_format_without_a_request_body_is_refused() -> None:
    with pytest.raises(rf.RerankFormatError) as info:
        rf.convert_response(
            COHERE_V2_RESPONSE,
            read="cohere_v2",
            write="jina",
            request=request(),
            request_format="jina",
        )
    assert str(info.value) == "request_format only applies to a request body"
