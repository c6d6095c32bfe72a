"""DashScope's quirks (issue #14), each with the exact bytes: the `input` / `parameters` /
`output` nesting, `request_id`, `instruct`, usage as `total_tokens` or (the SDK's mock)
`input_tokens`, and `{code, message, request_id}` errors with string codes.

Sources: dashscope 2.0.2 (PyPI) `dashscope/rerank/text_rerank.py`,
`api_entities/dashscope_response.py`, `common/utils.py`; the SDK's `tests/unit/test_rerank.py`
@ b3f331b6 (the recorded mock response)."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED

import rerank_formats as rf
from rerank_formats.formats import dashscope

SDK_REQUEST = RECORDED / "dashscope/sdk-2.0.2-qwen3-rerank-instruct-request.json"
SDK_MINIMAL = RECORDED / "dashscope/sdk-2.0.2-gte-rerank-v2-request.json"
MOCK_RESPONSE = RECORDED / "dashscope/text-rerank-response-sdk-test.json"
ERROR = RECORDED / "dashscope/error-invalid-parameter-aperag-1071.json"

JINA_REQUEST = (
    b'{"model": "gte-rerank-v2", "query": "q", "documents": ["a", {"text": "b"}], "top_n": 1}'
)


def test_the_endpoint_is_the_native_text_rerank_path_with_its_batch_limit() -> None:
    expected = rf.registry.Endpoint(
        method="POST",
        path="/api/v1/services/rerank/text-rerank/text-rerank",
        max_documents=500,
    )
    assert expected == dashscope.ENDPOINT
    assert (dashscope.ENDPOINT.auth_header, dashscope.ENDPOINT.auth_scheme) == (
        "Authorization",
        "Bearer",
    )


def test_a_jina_request_is_nested_in_input_and_parameters() -> None:
    assert rf.convert_request(JINA_REQUEST, read="jina", write="dashscope") == (
        b'{"model":"gte-rerank-v2","input":{"query":"q","documents":["a","b"]},'
        b'"parameters":{"return_documents":true,"top_n":1}}'
    )


def test_the_sdks_request_reads_as_jina_with_its_default_made_explicit() -> None:
    # `parameters: {}`: the SDK always sends the object; DashScope's default is no documents
    assert rf.convert_request(SDK_MINIMAL.read_bytes(), read="dashscope", write="jina") == (
        b'{"model":"gte-rerank-v2","query":"What is a text reranking model?",'
        b'"documents":["Text reranking models are widely used in search engines and'
        b' recommendation systems."],"return_documents":false}'
    )
    # and back: `parameters` as the SDK spelled it
    request = rf.decode_request(SDK_MINIMAL.read_bytes(), format="dashscope")
    assert json.loads(rf.encode_request(request, format="dashscope")) == json.loads(
        SDK_MINIMAL.read_bytes()
    )


def test_a_request_without_parameters_is_written_back_without_them() -> None:
    body = b'{"model":"m","input":{"query":"q","documents":["a"]}}'
    request = rf.decode_request(body, format="dashscope")
    assert request.return_documents is False
    assert rf.encode_request(request, format="dashscope") == body


def test_instruct_is_kept_and_is_a_ranking_loss_elsewhere() -> None:
    data = SDK_REQUEST.read_bytes()
    request = rf.decode_request(data, format="dashscope")
    assert json.loads(rf.encode_request(request, format="dashscope")) == json.loads(data)
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(request, format="jina", on_loss="raise_ranking")
    assert [str(loss) for loss in info.value.losses] == [
        "$.parameters: dashscope's instruct steers the ranking; jina has no instruction (jina)"
    ]
    assert info.value.losses[0].kind == "ranking"


def test_nulls_in_parameters_read_as_absent_and_are_written_back() -> None:
    body = (
        b'{"model":"m","input":{"query":"q","documents":["a"]},'
        b'"parameters":{"return_documents":null,"top_n":null}}'
    )
    request = rf.decode_request(body, format="dashscope")
    assert (request.return_documents, request.top_n) == (False, None)
    assert rf.encode_request(request, format="dashscope") == body
    # a null is no loss elsewhere
    assert rf.encode_request(request, format="jina", on_loss="raise") == (
        b'{"model":"m","query":"q","documents":["a"],"top_n":null,"return_documents":false}'
    )


def test_the_sdks_mock_response_reads_input_tokens_as_the_usage() -> None:
    response = rf.decode_response(MOCK_RESPONSE.read_bytes(), format="dashscope")
    assert response.usage == rf.Usage(total_tokens=1279)
    assert [(r.index, r.relevance_score) for r in response.results] == [
        (1, 0.987654),
        (0, 0.876543),
    ]
    [first, _] = json.loads(MOCK_RESPONSE.read_bytes())["output"]["results"]
    assert response.results[0].document == rf.TextDocument(text=first["document"]["text"])
    # the request_id and the usage's spelling are this format's: written back as they were
    assert json.loads(rf.encode_response(response, format="dashscope")) == json.loads(
        MOCK_RESPONSE.read_bytes()
    )


def test_a_response_for_a_jina_client_leaves_the_envelope_and_the_request_id() -> None:
    request = rf.decode_request(SDK_MINIMAL.read_bytes(), format="dashscope")
    body = (
        b'{"output":{"results":[{"index":0,"relevance_score":0.5}]},'
        b'"usage":{"total_tokens":12},"request_id":"r-1"}'
    )
    written = rf.convert_response(
        body, read="dashscope", write="jina", request=rf.encode_request(request, format="jina")
    )
    assert written == (
        b'{"model":"gte-rerank-v2","usage":{"total_tokens":12},'
        b'"results":[{"index":0,"relevance_score":0.5}]}'
    )


def test_a_jina_response_is_written_in_output_with_total_tokens() -> None:
    body = (
        b'{"model":"m","usage":{"total_tokens":7},'
        b'"results":[{"index":1,"relevance_score":0.9,"document":{"text":"b"}},'
        b'{"index":0,"relevance_score":0.1,"document":"a"}]}'
    )
    assert rf.convert_response(body, read="jina", write="dashscope") == (
        b'{"output":{"results":[{"index":1,"relevance_score":0.9,"document":{"text":"b"}},'
        b'{"index":0,"relevance_score":0.1,"document":{"text":"a"}}]},'
        b'"usage":{"total_tokens":7}}'
    )


def test_a_dashscope_request_gets_documents_only_when_it_asked() -> None:
    # DashScope's default is false: an upstream that echoes anyway is cut back
    request = b'{"model":"m","input":{"query":"q","documents":["a"]},"parameters":{}}'
    answer = b'{"model":"m","results":[{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
    assert rf.convert_response(answer, read="jina", write="dashscope", request=request) == (
        b'{"output":{"results":[{"index":0,"relevance_score":0.5}]}}'
    )


def test_the_recorded_error_keeps_its_string_code_and_request_id() -> None:
    error = rf.decode_error(ERROR.read_bytes(), format="dashscope", status=400)
    assert (error.status, error.code, error.request_id) == (
        400,
        "InvalidParameter",
        "2e5de67c-bbfe-9680-b8e2-9697ecd74c40",
    )
    assert error.message.startswith("<400> InternalError.Algo.InvalidParameter: Value error")
    assert rf.convert_error(ERROR.read_bytes(), read="dashscope", write="jina", status=400) == (
        400,
        b'{"detail":"<400> InternalError.Algo.InvalidParameter: Value error, document index:0'
        b' is invalid, it should not be larger than 300000: input.documents",'
        b'"code":"InvalidParameter","request_id":"2e5de67c-bbfe-9680-b8e2-9697ecd74c40"}',
    )


def test_a_jina_error_is_written_with_its_code_and_details_folded() -> None:
    body = (
        b'{"detail":"Validation error","code":"INPUT_VALIDATION","request_id":"j-1",'
        b'"errors":[{"field":"body.top_n","message":"Input should be greater than 0"}]}'
    )
    assert rf.convert_error(body, read="jina", write="dashscope", status=422) == (
        400,  # DashScope answers validation failures with 400
        b'{"code":"INPUT_VALIDATION","message":"Validation error (body.top_n: Input should be'
        b' greater than 0)","request_id":"j-1"}',
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"model":"m","input":{"query":"q","documents":["a",1]}}',
            "invalid dashscope request: Expected `str`, got `int` (at $.input.documents[1])",
        ),
        (
            b'{"model":"m","input":{"query":"q","documents":["a"]},"parameters":{"seed":1}}',
            "invalid dashscope request: unknown field `seed` (at $.parameters.seed)",
        ),
        (
            b'{"model":"m","query":"q","documents":["a"]}',
            "invalid dashscope request: missing required field `input` (at $.input)",
        ),
    ],
)
def test_a_bad_request_is_one_decode_error_with_its_path(body: bytes, message: str) -> None:
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(body, format="dashscope")
    assert str(info.value) == message


@pytest.mark.parametrize("parsed", [False, True])
def test_the_document_limit_counts_the_nested_documents(parsed: bool) -> None:
    body = b'{"model":"m","input":{"query":"q","documents":["a","b","c"]},"x":1}'
    data = json.loads(body) if parsed else body
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(data, format="dashscope", limits=rf.Limits(max_documents=2))
    assert str(info.value) == (
        "invalid dashscope request: 3 documents; the limit is 2 (at $.input.documents)"
    )


def test_validate_finds_the_nested_documents_and_top_n() -> None:
    body = b'{"model":"m","input":{"query":"q","documents":[]},"parameters":{"top_n":0}}'
    assert [
        (p.path, p.type, p.severity) for p in rf.validate(body, format="dashscope", kind="request")
    ] == [
        ("$.input.documents", "empty_documents", "error"),
        ("$.parameters.top_n", "out_of_range", "error"),
    ]
