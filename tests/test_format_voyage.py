"""Voyage AI's quirks, byte for byte, and its published OpenAPI document as the oracle
(fixtures/specs/voyage-rerank.openapi.json)."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED
from test_specs import Spec, request_pointer, response_pointer

import rerank_formats as rf
from rerank_formats.formats import voyage

VOYAGE = Spec("voyage-rerank.openapi.json")
ERROR_POINTER = "/paths/~1rerank/post/responses/4XX/content/application~1json/schema"

JINA_REQUEST = b'{"model":"rerank-2.5","query":"q","documents":["a","b","c"],"top_n":2}'
JINA_RESPONSE = (
    b'{"model":"rerank-2.5","object":"list","usage":{"total_tokens":7},"results":['
    b'{"index":2,"relevance_score":0.75,"document":{"text":"c"}},'
    b'{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
)


def test_top_k_and_an_explicit_return_documents() -> None:
    # Voyage's default is no documents, Jina's is documents: written explicitly
    assert rf.convert_request(JINA_REQUEST, read="jina", write="voyage") == (
        b'{"model":"rerank-2.5","query":"q","documents":["a","b","c"],"top_k":2,'
        b'"return_documents":true}'
    )


def test_an_absent_return_documents_reads_as_false_and_stays_absent() -> None:
    body = b'{"model":"rerank-2.5","query":"q","documents":["a"]}'
    request = rf.decode_request(body, format="voyage")
    assert request.return_documents is False
    assert rf.encode_request(request, format="voyage") == body
    assert rf.encode_request(request, format="jina") == (
        b'{"model":"rerank-2.5","query":"q","documents":["a"],"return_documents":false}'
    )


def test_what_the_sdk_sends_loses_nothing_anywhere() -> None:
    """voyageai 0.5.0 `Client.rerank` sends `top_k: null` when unset and `truncation: true`
    always (client.py): both are Voyage's defaults, no loss even for Cohere."""
    body = b'{"query":"q","documents":["a"],"model":"rerank-2.5","top_k":null,"truncation":true}'
    request = rf.decode_request(body, format="voyage")
    assert (request.top_n, request.truncation) == (None, True)
    assert rf.convert_request(body, read="voyage", write="voyage") == (
        b'{"model":"rerank-2.5","query":"q","documents":["a"],"top_k":null,"truncation":true}'
    )
    assert rf.convert_request(body, read="voyage", write="cohere_v2", on_loss="raise") == (
        b'{"model":"rerank-2.5","query":"q","documents":["a"]}'
    )


def test_truncation_false_is_kept_for_jina_and_a_loss_for_cohere() -> None:
    body = b'{"model":"m","query":"q","documents":["a"],"truncation":false}'
    assert rf.convert_request(body, read="voyage", write="jina") == (
        b'{"model":"m","query":"q","documents":["a"],"return_documents":false,"truncation":false}'
    )
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(body, read="voyage", write="cohere_v2")
    assert [(x.path, x.reason) for x in info.value.losses] == [
        ("$.truncation", "cohere_v2 has no truncation switch")
    ]


def test_data_with_bare_string_documents_and_object_list() -> None:
    assert rf.convert_response(JINA_RESPONSE, read="jina", write="voyage") == (
        b'{"object":"list","data":[{"index":2,"relevance_score":0.75,"document":"c"},'
        b'{"index":0,"relevance_score":0.5,"document":"a"}],"model":"rerank-2.5",'
        b'"usage":{"total_tokens":7}}'
    )


def test_a_voyage_answer_without_documents_gets_them_from_the_request() -> None:
    answer = (RECORDED / "voyage/rerank-response-openapi-example.json").read_bytes()
    request = b'{"model":"rerank-lite-1","query":"q","documents":["d0","d1"]}'
    assert rf.convert_response(
        answer, read="voyage", write="jina", request=request, request_format="jina"
    ) == (
        b'{"model":"rerank-lite-1","object":"list","usage":{"total_tokens":26},"results":['
        b'{"index":0,"relevance_score":0.4375,"document":{"text":"d0"}},'
        b'{"index":1,"relevance_score":0.421875,"document":{"text":"d1"}}]}'
    )


def test_a_split_usage_is_one_count() -> None:
    body = (
        b'{"model":"m","usage":{"total_tokens":9,"prompt_tokens":5,"completion_tokens":4},'
        b'"results":[{"index":0,"relevance_score":0.5}]}'
    )
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_response(body, read="jina", write="voyage")
    assert [(x.path, x.kind) for x in info.value.losses] == [("$.usage", "reporting")]
    assert rf.convert_response(body, read="jina", write="voyage", on_loss="ignore") == (
        b'{"data":[{"index":0,"relevance_score":0.5}],"model":"m","usage":{"total_tokens":9}}'
    )


def test_object_documents_are_sent_as_their_text() -> None:
    body = b'{"model":"m","query":"q","documents":[{"text":"a"},{"title":"t"}]}'
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(body, read="jina", write="voyage")
    assert [(x.path, x.reason) for x in info.value.losses] == [
        ("$.documents[1]", "voyage takes text only, not a document object with fields `title`")
    ]


def test_detail_errors() -> None:
    assert rf.convert_error(
        b'{"detail":"Validation error","errors":[{"field":"body.top_n","message":"too small"}]}',
        read="jina",
        write="voyage",
        status=422,
    ) == (422, b'{"detail":"Validation error (body.top_n: too small)"}')
    assert rf.convert_error(
        b'{"detail":"Provided API key is invalid."}', read="voyage", write="cohere_v2", status=401
    ) == (401, b'{"message":"Provided API key is invalid."}')


def test_the_endpoint() -> None:
    assert (
        rf.registry.Endpoint(method="POST", path="/v1/rerank", max_documents=1000)
        == voyage.ENDPOINT
    )
    assert (voyage.SCORE_SCALE, voyage.DEFAULTS) == (
        "unknown",
        {"return_documents": False, "truncation": True},
    )


def test_more_than_1000_documents_is_an_error() -> None:
    body = {"model": "m", "query": "q", "documents": ["a"] * 1001}
    problems = rf.validate(json.dumps(body).encode(), format="voyage", kind="request")
    assert [(p.path, p.type, p.message, p.severity) for p in problems] == [
        ("$.documents", "too_many_documents", "1001 documents; Voyage takes at most 1000", "error")
    ]


# -- the published spec as the oracle ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        JINA_REQUEST,
        b'{"model":"m","query":"q","documents":[{"text":"a"}],"top_n":null,"truncation":false}',
        (RECORDED / "cohere_v2/openapi-x-fern-example-request.json").read_bytes(),
    ],
)
def test_written_requests_fit_the_published_schema(body: bytes) -> None:
    read = "cohere_v2" if b"rerank-v3.5" in body else "jina"
    written = json.loads(rf.convert_request(body, read=read, write="voyage", on_loss="ignore"))
    assert VOYAGE.errors(request_pointer("/rerank"), written) == []


def test_written_responses_and_errors_fit_the_published_schema() -> None:
    written = json.loads(rf.convert_response(JINA_RESPONSE, read="jina", write="voyage"))
    assert VOYAGE.errors(response_pointer("/rerank"), written) == []
    _, error = rf.convert_error(b'{"message":"no"}', read="cohere_v2", write="voyage", status=400)
    assert VOYAGE.errors(ERROR_POINTER, json.loads(error)) == []


def test_the_published_examples_read_and_fit() -> None:
    for name, pointer in [
        ("voyage/rerank-request-openapi-sample.json", request_pointer("/rerank")),
        ("voyage/rerank-response-openapi-example.json", response_pointer("/rerank")),
    ]:
        assert VOYAGE.errors(pointer, json.loads((RECORDED / name).read_bytes())) == []


def test_an_unknown_key_is_not_sent() -> None:
    """Voyage answers 400 "Argument 'top_n' is not supported by our API" (OmniRoute #7809)."""
    body = b'{"model":"m","query":"q","documents":["a"],"top_n":2}'
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(body, read="voyage", write="voyage")
    assert [(x.path, x.reason, x.kind) for x in info.value.losses] == [
        ("$.top_n", "voyage rejects unknown fields, so `top_n` is not sent", "ranking")
    ]
    assert rf.convert_request(body, read="voyage", write="voyage", on_loss="ignore") == (
        b'{"model":"m","query":"q","documents":["a"]}'
    )
    problems = rf.validate(body, format="voyage", kind="request")
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.top_n", "unknown_field", "error")
    ]


def test_an_empty_document_is_refused() -> None:
    body = b'{"model":"m","query":"q","documents":["doc ok",""]}'
    problems = rf.validate(body, format="voyage", kind="request")
    assert [(p.path, p.message, p.severity) for p in problems] == [
        ("$.documents[1]", "Voyage refuses an empty document", "error")
    ]
