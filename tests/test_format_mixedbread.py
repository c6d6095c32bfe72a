"""Mixedbread's quirks, byte for byte: `input`, `top_k` (-1 for all), `return_input`,
`data[].score`, the raw item echoed as `input`, `object: "rank_result"` per result, the
request's `top_k` and `return_input` echoed, `rank_fields` and `rewrite_query`."""

from __future__ import annotations

import pytest
from helpers import RECORDED

import rerank_formats as rf
from rerank_formats.formats import mixedbread

ANSWER = (
    b'{"usage":{"prompt_tokens":5,"total_tokens":5},"model":"m","data":['
    b'{"index":1,"score":0.9,"input":{"title":"t","body":"b"},"object":"rank_result"},'
    b'{"index":0,"score":0.1,"input":"a","object":"rank_result"}],'
    b'"object":"list","top_k":2,"return_input":true}'
)


def test_input_top_k_and_return_input() -> None:
    body = b'{"model":"m","query":"q","documents":["a",{"text":"b"}],"top_n":1}'
    assert rf.convert_request(body, read="jina", write="mixedbread") == (
        b'{"model":"m","query":"q","input":["a",{"text":"b"}],"top_k":1,"return_input":true}'
    )


@pytest.mark.parametrize("top_k", [b"-1", b"null"])
def test_minus_one_and_null_mean_all_and_are_written_back(top_k: bytes) -> None:
    body = b'{"query":"q","input":["a"],"top_k":' + top_k + b"}"
    request = rf.decode_request(body, format="mixedbread")
    assert request.top_n is None
    assert rf.encode_request(request, format="mixedbread") == body
    # the documented default (-1) and a null say nothing another format could lose
    assert rf.encode_request(request, format="cohere_v1", on_loss="raise") == (
        b'{"query":"q","documents":["a"],"return_documents":false}'
    )


def test_rank_fields_and_rewrite_query_are_losses_elsewhere() -> None:
    body = (
        b'{"model":"m","query":"q","input":[{"text":"t"}],"rank_fields":["text"],'
        b'"return_input":false,"rewrite_query":true}'
    )
    assert rf.convert_request(body, read="mixedbread", write="mixedbread") == body
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(body, read="mixedbread", write="jina")
    assert [(x.path, x.reason, x.kind) for x in info.value.losses] == [
        ("$.rank_fields", "mixedbread ranks on these object fields; jina has no rank_fields",
         "ranking"),
        ("$.rewrite_query", "mixedbread rewrites the query before ranking; jina does not",
         "ranking"),
    ]  # fmt: skip


def test_rewrite_query_false_is_the_default_and_no_loss() -> None:
    body = b'{"model":"m","query":"q","input":["a"],"rewrite_query":false}'
    assert rf.convert_request(body, read="mixedbread", write="jina", on_loss="raise") == (
        b'{"model":"m","query":"q","documents":["a"],"return_documents":false}'
    )


def test_the_echoed_input_is_the_raw_item() -> None:
    response = rf.decode_response(ANSWER, format="mixedbread")
    assert [r.document for r in response.results] == [
        rf.ObjectDocument(fields={"title": "t", "body": "b"}),
        "a",
    ]
    assert rf.encode_response(response, format="mixedbread") == ANSWER


def test_written_for_its_client_the_input_and_parameters_come_from_the_request() -> None:
    """A Jina upstream echoes strings as `{text}`; Mixedbread echoes the item it was sent."""
    jina = (
        b'{"model":"jina-reranker-v2-base-multilingual","usage":{"total_tokens":3},'
        b'"results":[{"index":1,"relevance_score":0.9,"document":{"text":"b"}},'
        b'{"index":0,"relevance_score":0.1,"document":{"text":"a"}}]}'
    )
    request = b'{"model":"m","query":"q","input":["a","b"],"top_k":1,"return_input":true}'
    assert rf.convert_response(
        jina, read="jina", write="mixedbread", request=request, request_format="mixedbread"
    ) == (
        b'{"usage":{"total_tokens":3},"model":"jina-reranker-v2-base-multilingual","data":['
        b'{"index":1,"score":0.9,"input":"b","object":"rank_result"}],'
        b'"top_k":1,"return_input":true}'
    )
    default = b'{"model":"m","query":"q","input":["a","b"]}'
    assert rf.convert_response(
        jina, read="jina", write="mixedbread", request=default, request_format="mixedbread"
    ) == (
        b'{"usage":{"total_tokens":3},"model":"jina-reranker-v2-base-multilingual","data":['
        b'{"index":1,"score":0.9,"object":"rank_result"},'
        b'{"index":0,"score":0.1,"object":"rank_result"}],"top_k":-1,"return_input":false}'
    )


def test_score_is_the_relevance_score_and_the_echoes_say_nothing_to_lose() -> None:
    assert rf.convert_response(ANSWER, read="mixedbread", write="jina", on_loss="raise") == (
        b'{"model":"m","object":"list","usage":{"total_tokens":5,"prompt_tokens":5},'
        b'"results":[{"index":1,"relevance_score":0.9,"document":{"title":"t","body":"b"}},'
        b'{"index":0,"relevance_score":0.1,"document":"a"}]}'
    )


def test_results_without_object_stay_without() -> None:
    body = b'{"model":"m","data":[{"index":0,"score":0.5}]}'
    assert rf.convert_response(body, read="mixedbread", write="mixedbread") == body


def test_the_recorded_mock_reads_and_round_trips() -> None:
    body = (RECORDED / "mixedbread/rerank-response-elastic-test-mock.json").read_bytes()
    response = rf.decode_response(body, format="mixedbread")
    assert [(r.index, r.relevance_score) for r in response.results] == [
        (0, 0.98291015625),
        (2, 0.61962890625),
        (3, 0.3642578125),
    ]
    assert response.usage == rf.Usage(total_tokens=162, prompt_tokens=162, completion_tokens=0)


def test_errors_are_detail_bodies_and_the_legacy_shape_reads() -> None:
    assert rf.convert_error(
        b'{"detail":"Unauthorized"}', read="mixedbread", write="cohere_v2", status=401
    ) == (401, b'{"message":"Unauthorized"}')
    legacy = b'{"type":"bad_request_error","message":"Invalid model"}'
    assert rf.convert_error(legacy, read="mixedbread", write="mixedbread", status=400) == (
        400,
        b'{"detail":"Invalid model"}',
    )
    # a 402 (balance) is Mixedbread's own status, kept
    assert rf.convert_error(b'{"detail":"x"}', read="jina", write="mixedbread", status=402) == (
        402,
        b'{"detail":"x"}',
    )


def test_the_endpoint() -> None:
    assert (
        rf.registry.Endpoint(method="POST", path="/v1/reranking", max_documents=1000)
        == mixedbread.ENDPOINT
    )
    assert mixedbread.DEFAULTS == {"top_k": -1, "return_input": False, "rewrite_query": False}
    assert mixedbread.SCORE_SCALE == "unknown"


def test_validation() -> None:
    problems = rf.validate(
        b'{"query":"q","input":[],"top_k":0}', format="mixedbread", kind="request"
    )
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.input", "empty_documents", "error"),
        ("$.top_k", "out_of_range", "error"),
    ]
    assert (
        rf.validate(b'{"query":"q","input":["a"],"top_k":-1}', format="mixedbread", kind="request")
        == ()
    )
