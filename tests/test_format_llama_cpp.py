"""The llama_cpp format's quirks (rerank_formats/formats/llama_cpp.py), each with exact bytes,
with llama.cpp's own server tests (tools/server/tests/unit/test_rerank.py @ 2f690343) as the
oracle: their requests decode and mean what the tests expect of them."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED

import rerank_formats as rf
from rerank_formats.formats import llama_cpp
from rerank_formats.formats._base import Endpoint

TEST_RERANK = RECORDED / "llama_cpp/server-test-rerank-request.json"
RAW = RECORDED / "llama_cpp/one-hub-580-raw-response.json"


def test_the_server_tests_requests_decode() -> None:
    request = rf.decode_request(TEST_RERANK.read_bytes(), format="llama_cpp")
    assert (request.query, len(request.documents), request.model, request.top_n) == (
        "Machine learning is",
        4,
        rf.UNSET,  # optional: the server ranks with its loaded model
        rf.UNSET,
    )
    top_n = rf.decode_request(
        (RECORDED / "llama_cpp/server-test-rerank-top-n-request.json").read_bytes(),
        format="llama_cpp",
    )
    assert top_n.top_n == 2  # test_rerank_top_n: two results


def test_a_jina_request_is_sent_as_it_is_without_return_documents() -> None:
    jina = b'{"model":"m","query":"q","documents":["a","b"],"top_n":1,"return_documents":true}'
    # the server never echoes documents; the response path fills them from the request
    assert rf.convert_request(jina, read="jina", write="llama_cpp", on_loss="raise") == (
        b'{"model":"m","query":"q","documents":["a","b"],"top_n":1}'
    )


def test_a_jina_clients_return_documents_is_kept_and_costs_nothing() -> None:
    sent = b'{"model":"m","query":"q","documents":["a"],"return_documents":true}'
    assert rf.convert_request(sent, read="llama_cpp", write="llama_cpp") == sent
    assert rf.convert_request(sent, read="llama_cpp", write="cohere_v2", on_loss="raise") == (
        b'{"model":"m","query":"q","documents":["a"]}'
    )


def test_a_null_model_is_written_back() -> None:
    sent = b'{"model":null,"query":"q","documents":["a"]}'
    assert rf.decode_request(sent, format="llama_cpp").model is rf.UNSET
    assert rf.convert_request(sent, read="llama_cpp", write="llama_cpp") == sent


@pytest.mark.parametrize(
    "field", [b'"truncation":true', b'"max_doc_length":512', b'"return_embeddings":true']
)
def test_what_llama_cpp_has_no_place_for_is_a_loss(field: bytes) -> None:
    jina = b'{"model":"m","query":"q","documents":["a"],' + field + b"}"
    request = rf.decode_request(jina, format="jina")
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(request, format="llama_cpp", on_loss="raise")
    [loss] = info.value.losses
    assert loss.path == "$." + field.split(b'"')[1].decode()


def test_raw_negative_scores_are_logits_and_round_trip() -> None:
    assert llama_cpp.SCORE_SCALE == "logit"
    data = RAW.read_bytes()
    assert json.loads(rf.convert_response(data, read="llama_cpp", write="llama_cpp")) == (
        json.loads(data)
    )
    assert rf.convert_response(data, read="llama_cpp", write="jina") == (
        b'{"model":"bge-reranker-v2-m3-q8_0","object":"list",'
        b'"usage":{"total_tokens":102,"prompt_tokens":102},"results":['
        b'{"index":0,"relevance_score":-3.8370754718780518},'
        b'{"index":1,"relevance_score":-1.5869650840759277}]}'
    )


def test_documents_are_never_echoed_but_filled_for_a_jina_client() -> None:
    request = b'{"model":"m","query":"q","documents":["a","b"],"top_n":1}'
    answer = (
        b'{"model":"m","object":"list","usage":{"prompt_tokens":9,"total_tokens":9},'
        b'"results":[{"index":1,"relevance_score":-0.5},{"index":0,"relevance_score":-2.0}]}'
    )
    assert rf.convert_response(answer, read="llama_cpp", write="jina", request=request) == (
        b'{"model":"m","object":"list","usage":{"total_tokens":9,"prompt_tokens":9},'
        b'"results":[{"index":1,"relevance_score":-0.5,"document":{"text":"b"}}]}'
    )
    # a Jina answer with documents, for a llama.cpp client: dropped, as the server does
    jina = b'{"model":"m","usage":{"total_tokens":4},"results":[{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
    assert rf.convert_response(jina, read="jina", write="llama_cpp", on_loss="raise") == (
        b'{"model":"m","object":"list","usage":{"total_tokens":4,"prompt_tokens":4},'
        b'"results":[{"index":0,"relevance_score":0.5}]}'
    )


def test_a_response_without_object_is_written_back_without() -> None:
    data = b'{"model":"m","results":[{"index":0,"relevance_score":1.5}]}'
    assert rf.convert_response(data, read="llama_cpp", write="llama_cpp") == data


def test_endpoint() -> None:
    # server.rs binds one handler at the four paths; --api-key as Authorization: Bearer
    assert (
        Endpoint(
            method="POST", path="/v1/rerank", aliases=("/v1/reranking", "/rerank", "/reranking")
        )
        == llama_cpp.ENDPOINT
    )
    assert llama_cpp.ENDPOINT.max_documents is None


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b'{"query":"q","documents":[]}', [("$.documents", "empty_documents", "error")]),
        (b'{"query":"q","documents":["a"],"top_n":-1}', [("$.top_n", "out_of_range", "error")]),
        (b'{"query":"q","documents":["a"],"top_n":0}', [("$.top_n", "out_of_range", "warning")]),
        (
            b'{"query":"q","documents":["a"],"texts":["a"]}',
            [("$.texts", "other_dialect", "warning"), ("$.texts", "unknown_field", "warning")],
        ),
    ],
)
def test_what_the_server_refuses_or_does_surprisingly(
    body: bytes, found: list[tuple[str, str, str]]
) -> None:
    problems = rf.validate(body, format="llama_cpp", kind="request")
    assert sorted((p.path, p.type, p.severity) for p in problems) == sorted(found)


# -- errors -------------------------------------------------------------------------------------


def test_errors_are_openai_style_with_the_status_as_code() -> None:
    data = (RECORDED / "llama_cpp/error-400-empty-documents-assembled.json").read_bytes()
    error = rf.decode_error(data, format="llama_cpp")  # the status from `code`
    assert (error.status, error.message, error.code) == (
        400,
        '"documents" must be a non-empty string array',
        "invalid_request_error",
    )
    assert rf.convert_error(data, read="llama_cpp", write="llama_cpp", status=400) == (
        400,
        b'{"error":{"code":400,"message":"\\"documents\\" must be a non-empty string array",'
        b'"type":"invalid_request_error"}}',
    )


@pytest.mark.parametrize(
    ("status", "written", "error_type"),
    [
        (401, 401, "authentication_error"),
        (404, 404, "not_found_error"),
        (422, 400, "invalid_request_error"),
        (429, 503, "unavailable_error"),  # no rate limit of its own: 503 is "try later"
        (500, 500, "server_error"),
        (503, 503, "unavailable_error"),
    ],
)
def test_foreign_errors_get_the_servers_type_and_code(
    status: int, written: int, error_type: str
) -> None:
    assert rf.convert_error(b'{"detail": "x"}', read="jina", write="llama_cpp", status=status) == (
        written,
        b'{"error":{"code":%d,"message":"x","type":"%s"}}' % (written, error_type.encode()),
    )


def test_the_type_gives_the_status_without_a_code() -> None:
    body = b'{"error":{"message":"loading model","type":"unavailable_error"}}'
    assert rf.decode_error(body, format="llama_cpp").status == 503
