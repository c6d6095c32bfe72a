"""The `infinity` format's quirks, each with exact bytes. The oracle is Infinity's own server
(michaelfeil/infinity @ fcb951cb: `RerankInput`, `ReRankResult`, `OpenAIException`, the
Bearer check) and its generated client's models (infinity-client 0.0.78)."""

from __future__ import annotations

import json

import pytest

import rerank_formats as rf
from rerank_formats.formats import infinity
from rerank_formats.formats._base import Endpoint
from rerank_formats.proxy import CLIENT_PATHS

# What infinity-client's `RerankInput(query=..., documents=...).to_dict()` sends: every field
# that has a default, at its default.
CLIENT_DEFAULTS = (
    b'{"query":"q","documents":["a","b"],"return_documents":false,'
    b'"raw_scores":false,"model":"default/not-specified"}'
)


def test_endpoint_scale_and_defaults() -> None:
    assert Endpoint(method="POST", path="/rerank", max_documents=2048) == infinity.ENDPOINT
    assert CLIENT_PATHS["infinity"] == "/infinity/rerank"
    assert infinity.SCORE_SCALE == "probability"
    assert infinity.DEFAULTS == {
        "return_documents": False,
        "raw_scores": False,
        "model": "default/not-specified",
    }


def test_the_clients_defaults_are_no_loss_and_its_placeholder_model_is_no_model() -> None:
    request = rf.decode_request(CLIENT_DEFAULTS, format="infinity")
    assert request.model is rf.UNSET
    assert rf.encode_request(request, format="infinity") == CLIENT_DEFAULTS
    assert rf.encode_request(request, format="cohere_v1") == (
        b'{"query":"q","documents":["a","b"],"return_documents":false}'
    )
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.encode_request(request, format="jina")  # Jina requires a model
    assert [(x.path, x.reason) for x in refused.value.losses] == [
        ("$.model", "jina requires `model`; the request has none")
    ]


def test_raw_scores_say_logits_and_are_a_reporting_loss_elsewhere() -> None:
    body = b'{"query":"q","documents":["a"],"raw_scores":true,"model":"m"}'
    request = rf.decode_request(body, format="infinity")
    assert infinity.response_scale(request) == "logit"
    assert infinity.response_scale(None) == "probability"
    assert infinity.response_scale(rf.decode_request(CLIENT_DEFAULTS, format="infinity")) == (
        "probability"
    )
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.encode_request(request, format="cohere_v1")
    assert [(x.path, x.kind) for x in refused.value.losses] == [("$.raw_scores", "reporting")]
    assert rf.encode_request(request, format="infinity") == body


def test_top_n_zero_is_written_and_validate_says_infinity_refuses_it() -> None:
    body = b'{"query":"q","documents":["a"],"top_n":0}'
    assert rf.convert_request(body, read="infinity", write="infinity") == body
    # Infinity's own test_reranker_invalid_top_n: 422 for 0 and for -1; 8000 is fine
    for top_n, severities in ((0, ["error"]), (-1, ["error"]), (8000, [])):
        sent = json.dumps({"query": "q", "documents": ["a", "b"], "top_n": top_n}).encode()
        problems = rf.validate(sent, format="infinity", kind="request")
        assert [p.severity for p in problems if p.path == "$.top_n"] == severities
    # null means all (`Optional[int]`), and is kept
    assert (
        rf.convert_request(
            b'{"model":"m","query":"q","documents":["a"],"top_n":null}',
            read="jina",
            write="infinity",
        )
        == b'{"query":"q","documents":["a"],"return_documents":true,"model":"m","top_n":null}'
    )


def test_more_than_2048_documents_are_refused_by_validate() -> None:
    body = json.dumps({"query": "q", "documents": ["a"] * 2049}).encode()
    problems = rf.validate(body, format="infinity", kind="request")
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.documents", "too_many_documents", "error")
    ]


def test_a_response_for_an_infinity_client_is_written_as_fastapi_writes_it() -> None:
    body = rf.convert_response(
        b'{"model":"jina-reranker-v2-base-multilingual","usage":{"total_tokens":9},'
        b'"results":[{"index":1,"relevance_score":0.9,"document":{"text":"b"}},'
        b'{"index":0,"relevance_score":0.1}]}',
        read="jina",
        write="infinity",
        request=CLIENT_DEFAULTS.replace(b'"return_documents":false', b'"return_documents":true'),
    )
    assert body == (
        b'{"object":"rerank","results":[{"relevance_score":0.9,"index":1,"document":"b"},'
        b'{"relevance_score":0.1,"index":0,"document":"a"}],'
        b'"model":"jina-reranker-v2-base-multilingual",'
        b'"usage":{"total_tokens":9,"prompt_tokens":9}}'
    )


def test_without_documents_or_a_model_the_placeholder_and_nulls_are_written() -> None:
    body = rf.convert_response(
        b'{"results":[{"index":0,"relevance_score":0.5}]}',
        read="cohere_v2",
        write="infinity",
        request=CLIENT_DEFAULTS,
        usage="zero",  # infinity-client requires a usage
    )
    assert body == (
        b'{"object":"rerank","results":[{"relevance_score":0.5,"index":0,"document":null}],'
        b'"model":"default/not-specified","usage":{"total_tokens":0,"prompt_tokens":0}}'
    )


def test_a_bare_string_document_reads_as_its_text() -> None:
    response = rf.decode_response(
        b'{"object":"rerank","results":[{"relevance_score":0.5,"index":0,"document":"a"}],'
        b'"model":"m","usage":{"prompt_tokens":3,"total_tokens":3},'
        b'"id":"infinity-1","created":1700000000}',
        format="infinity",
    )
    assert response.results[0].document == rf.TextDocument(text="a")
    assert rf.encode_response(response, format="jina").startswith(
        b'{"model":"m","usage":{"total_tokens":3,"prompt_tokens":3},"results":'
        b'[{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]'
    )
    assert response.usage == rf.Usage(total_tokens=3, prompt_tokens=3)
    assert response.object is rf.UNSET  # "rerank" is kept for Infinity, not Jina's `object`


def test_an_output_token_count_is_a_reporting_loss() -> None:
    response = rf.RerankResponse(
        results=(), usage=rf.Usage(total_tokens=5, prompt_tokens=4, completion_tokens=1)
    )
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.encode_response(response, format="infinity")
    assert [(x.path, x.kind) for x in refused.value.losses] == [
        ("$.usage.completion_tokens", "reporting")
    ]


# -- errors ---------------------------------------------------------------------------------------

VALIDATION = (
    b'{"detail":[{"type":"greater_than","loc":["body","top_n"],'
    b'"msg":"Input should be greater than 0","input":0,"ctx":{"gt":0}}]}'
)
SERVER = (
    b'{"error":{"message":"ModelNotDeployedError: model=`m` does not support `rerank`.",'
    b'"type":null,"param":null,"code":400}}'
)


def test_fastapi_422_reads_as_field_details_and_writes_back() -> None:
    error = rf.decode_error(VALIDATION, format="infinity", status=422)
    assert (error.status, error.message) == (422, "Validation error")
    assert [(d.field, d.message, d.type, d.input) for d in error.details] == [
        ("body.top_n", "Input should be greater than 0", "greater_than", 0)
    ]
    assert rf.encode_error(error, format="infinity") == (422, VALIDATION)


def test_openai_exception_reads_with_its_status_as_code() -> None:
    error = rf.decode_error(SERVER, format="infinity")
    assert (error.status, error.code) == (400, rf.UNSET)  # `code` is the status, not a code
    assert rf.encode_error(error, format="infinity") == (400, SERVER)


def test_errors_written_for_an_infinity_client() -> None:
    jina_401 = b'{"detail":"Invalid API key","code":"AUTH_INVALID_API_KEY"}'
    assert rf.convert_error(jina_401, read="jina", write="infinity", status=401) == (
        401,
        b'{"detail":"Invalid API key"}',  # the Bearer check's HTTPException
    )
    assert rf.convert_error(
        b'{"message":"unknown field"}', read="cohere_v2", write="infinity", status=422
    ) == (  # no field details: Infinity's own envelope keeps the message
        422,
        b'{"error":{"message":"unknown field","type":null,"param":null,"code":422}}',
    )
    details = (
        b'{"detail":"Validation error","errors":[{"field":"body.top_n","message":"too small"}]}'
    )
    assert rf.convert_error(details, read="jina", write="infinity", status=422) == (
        422,
        b'{"detail":[{"type":"value_error","loc":["body","top_n"],"msg":"too small"}]}',
    )
    assert rf.convert_error(
        b'{"message":"slow down"}', read="cohere_v2", write="infinity", status=429
    ) == (429, b'{"error":{"message":"slow down","type":null,"param":null,"code":429}}')
    # FastAPI's bodies are Jina's legacy shape, and are read by Jina's codec
    error = rf.decode_error(
        b'{"detail":[{"type":"value_error","loc":["body"],"msg":"unknown field"}]}',
        format="infinity",
        status=422,
    )
    assert (error.message, [(d.field, d.message) for d in error.details]) == (
        "Validation error",
        [("body", "unknown field")],
    )
    assert list(error.extensions) == ["jina"]


def test_infinitys_own_error_codec_reads_only_its_server_errors() -> None:
    with pytest.raises(rf.DecodeError) as info:
        infinity.ERROR.decode(b'{"detail":"Unauthorized"}')
    assert (info.value.path, info.value.type) == ("$.error", "missing_field")
