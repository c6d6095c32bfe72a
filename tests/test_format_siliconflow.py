"""The `siliconflow` format's quirks, each with exact bytes. SiliconFlow has no SDK and no
published OpenAPI file: its API reference pages (recorded in fixtures/recorded/siliconflow)
are the oracle."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED, load_json

import rerank_formats as rf
from rerank_formats.formats import siliconflow
from rerank_formats.formats._base import Endpoint
from rerank_formats.proxy import CLIENT_PATHS

DOCS_REQUEST = RECORDED / "siliconflow" / "rerank-request-docs.json"
PLACEHOLDER = RECORDED / "siliconflow" / "rerank-response-docs-placeholder.json"
MODEL_NOT_FOUND = RECORDED / "siliconflow" / "error-400-model-not-exist-docs.json"


def test_endpoint_and_defaults() -> None:
    assert Endpoint(method="POST", path="/v1/rerank") == siliconflow.ENDPOINT
    assert CLIENT_PATHS["siliconflow"] == "/siliconflow/v1/rerank"
    assert siliconflow.DEFAULTS == {
        "return_documents": False,
        "max_chunks_per_doc": 1024,
        "overlap_tokens": 80,
    }


def test_the_docs_request_at_its_defaults_converts_to_jina_with_no_loss() -> None:
    # max_chunks_per_doc 1024 and overlap_tokens 80 are the documented defaults
    assert rf.convert_request(DOCS_REQUEST.read_bytes(), read="siliconflow", write="jina") == (
        b'{"model":"BAAI/bge-reranker-v2-m3","query":"Apple",'
        b'"documents":["apple","banana","fruit","vegetable"],"top_n":4,"return_documents":false}'
    )


def test_chunking_and_instruction_away_from_their_defaults_are_ranking_losses() -> None:
    body = (
        b'{"model":"Qwen/Qwen3-Reranker-8B","query":"q","documents":["a"],'
        b'"instruction":"rank by date","max_chunks_per_doc":8,"overlap_tokens":0}'
    )
    request = rf.decode_request(body, format="siliconflow")
    assert rf.encode_request(request, format="siliconflow") == body
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.encode_request(request, format="jina")
    assert [(x.path, x.kind) for x in refused.value.losses] == [
        ("$.instruction", "ranking"),
        ("$.max_chunks_per_doc", "ranking"),
        ("$.overlap_tokens", "ranking"),
    ]
    problems = rf.validate(body, format="siliconflow", kind="request")
    assert [(p.path, p.severity) for p in problems] == [
        ("$.max_chunks_per_doc", "warning"),
        ("$.overlap_tokens", "warning"),
    ]


def test_return_documents_absent_means_false() -> None:
    request = rf.decode_request(
        b'{"model":"m","query":"q","documents":["a"]}', format="siliconflow"
    )
    assert request.return_documents is False
    assert rf.encode_request(request, format="jina") == (
        b'{"model":"m","query":"q","documents":["a"],"return_documents":false}'
    )


def test_the_placeholder_response_round_trips_though_its_values_mean_nothing() -> None:
    # "<string>" and 123 are the docs generator's; the shape reads and writes back
    response = rf.decode_response(PLACEHOLDER.read_bytes(), format="siliconflow")
    assert response.results[0] == rf.RerankResult(
        index=123, relevance_score=123.0, document=rf.TextDocument(text="<string>")
    )
    assert response.usage == rf.Usage(total_tokens=246, prompt_tokens=123, completion_tokens=123)
    written = rf.encode_response(response, format="siliconflow")
    assert json.loads(written) == load_json(PLACEHOLDER)


def test_tokens_are_the_usage_and_there_is_no_model() -> None:
    body = (
        b'{"id":"x","results":[{"index":0,"relevance_score":0.9,"document":{"text":"a"}}],'
        b'"tokens":{"input_tokens":12,"output_tokens":0}}'
    )
    assert rf.convert_response(
        body,
        read="siliconflow",
        write="jina",
        request=b'{"model":"m","query":"q","documents":["a"]}',
    ) == (
        b'{"model":"m","usage":{"total_tokens":12,"prompt_tokens":12,"completion_tokens":0},'
        b'"results":[{"index":0,"relevance_score":0.9,"document":{"text":"a"}}]}'
    )
    assert rf.convert_response(
        b'{"model":"m","usage":{"total_tokens":12},"results":[{"index":0,"relevance_score":0.9}]}',
        read="jina",
        write="siliconflow",
        request=b'{"model":"m","query":"q","documents":["a"],"return_documents":true}',
        request_format="siliconflow",
    ) == (
        b'{"results":[{"index":0,"relevance_score":0.9,"document":{"text":"a"}}],'
        b'"tokens":{"input_tokens":12}}'
    )


def test_an_integer_business_code_reads_as_its_digits() -> None:
    error = rf.decode_error(MODEL_NOT_FOUND.read_bytes(), format="siliconflow")
    assert (error.status, error.code, error.message) == (
        400,  # 20012 is the documented "model does not exist", answered 400
        "20012",
        "Model does not exist. Please check it carefully.",
    )
    assert rf.encode_error(error, format="siliconflow") == (
        400,
        b'{"code":20012,"message":"Model does not exist. Please check it carefully.","data":null}',
    )


def test_an_error_from_another_format_gets_its_status_as_code() -> None:
    assert rf.convert_error(
        b'{"detail":"Invalid API key","code":"AUTH_INVALID_API_KEY"}',
        read="jina",
        write="siliconflow",
        status=401,
    ) == (401, b'{"code":401,"message":"Invalid API key","data":null}')
    assert rf.convert_error(
        b'{"message":"bad"}', read="cohere_v2", write="siliconflow", status=422
    ) == (400, b'{"code":400,"message":"bad","data":null}')
