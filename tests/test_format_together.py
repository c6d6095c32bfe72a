"""The `together` format's quirks, each with exact bytes, and Together's published spec
(fixtures/specs/together-rerank.openapi.json, togethercomputer/openapi @ 090263aa) as the
oracle of what the library writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import FIXTURES, RECORDED, load_json
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import rerank_formats as rf
from rerank_formats.formats import together
from rerank_formats.formats._base import Endpoint
from rerank_formats.proxy import CLIENT_PATHS

REQUEST = RECORDED / "together" / "rerank-request-openapi-curl.json"
RESPONSE = RECORDED / "together" / "rerank-response-openapi-field-examples.json"


def _spec() -> dict[str, Any]:
    """The spec declares OpenAPI 3.1.0 but marks nulls with 3.0's `nullable: true`, which a
    2020-12 validator ignores: read as the spec means it, null allowed too."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out

    return walk(load_json(FIXTURES / "specs" / "together-rerank.openapi.json"))


SPEC = _spec()
URI = "urn:rerank-formats:spec:together"
REGISTRY = Registry().with_resource(URI, Resource(contents=SPEC, specification=DRAFT202012))


def spec_errors(schema: str, body: Any) -> list[str]:
    validator = Draft202012Validator(
        {"$ref": f"{URI}#/components/schemas/{schema}"}, registry=REGISTRY
    )
    return sorted(f"{e.json_path}: {e.message}" for e in validator.iter_errors(body))


def test_the_spec_examples_validate_against_the_spec() -> None:
    assert spec_errors("RerankRequest", load_json(REQUEST)) == []
    assert spec_errors("RerankResponse", load_json(RESPONSE)) == []


def test_endpoint_and_defaults() -> None:
    assert Endpoint(method="POST", path="/v1/rerank") == together.ENDPOINT
    assert together.DEFAULTS == {"return_documents": False}
    assert together.SCORE_SCALE == "unknown"
    assert CLIENT_PATHS["together"] == "/together-ai/v1/rerank"


# -- the closed request schema: unknown Jina keys are dropped as losses -----------------------


JINA_REQUEST = (
    b'{"model":"Salesforce/Llama-Rank-v1","query":"q","documents":["a","b"],'
    b'"top_n":1,"truncation":true,"instruction":"x"}'
)


def test_unknown_and_unsupported_jina_keys_are_losses_not_sent() -> None:
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.convert_request(JINA_REQUEST, read="jina", write="together")
    assert [(x.path, x.reason, x.kind) for x in refused.value.losses] == [
        ("$.instruction", "jina field `instruction` has no together equivalent", "ranking"),
        ("$.truncation", "together has no truncation switch", "ranking"),
    ]
    body = rf.convert_request(JINA_REQUEST, read="jina", write="together", on_loss="ignore")
    assert body == (
        b'{"model":"Salesforce/Llama-Rank-v1","query":"q","documents":["a","b"],'
        b'"top_n":1,"return_documents":true}'
    )
    assert spec_errors("RerankRequest", json.loads(body)) == []


def test_a_together_request_with_an_unknown_key_is_not_written_back() -> None:
    request = rf.decode_request(
        b'{"model":"m","query":"q","documents":["a"],"foo":1}', format="together"
    )
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.encode_request(request, format="together")
    assert [(x.path, x.reason) for x in refused.value.losses] == [
        ("$.foo", "together rejects unknown fields, so `foo` is not sent")
    ]
    problems = rf.validate(
        b'{"model":"m","query":"q","documents":["a"],"foo":1}', format="together", kind="request"
    )
    assert [(p.path, p.type, p.severity) for p in problems] == [("$.foo", "unknown_field", "error")]


def test_rank_fields_are_kept_and_a_ranking_loss_elsewhere() -> None:
    body = (
        b'{"model":"m","query":"q","documents":[{"title":"T","text":"a"}],"rank_fields":["title"]}'
    )
    request = rf.decode_request(body, format="together")
    assert rf.encode_request(request, format="together") == body
    with pytest.raises(rf.LossyConversionError) as refused:
        rf.encode_request(request, format="jina")
    assert [(x.path, x.kind) for x in refused.value.losses] == [("$.rank_fields", "ranking")]


def test_documents_are_all_strings_or_all_objects() -> None:
    # the spec's `oneOf`: a list that mixes them is written as objects
    body = rf.convert_request(
        b'{"model":"m","query":"q","documents":["a",{"title":"T","text":"b"}]}',
        read="jina",
        write="together",
    )
    assert body == (
        b'{"model":"m","query":"q","documents":[{"text":"a"},{"title":"T","text":"b"}],'
        b'"return_documents":true}'
    )
    assert spec_errors("RerankRequest", json.loads(body)) == []
    # {text} objects alone are written as their texts: the echo is then the text itself
    assert rf.convert_request(
        b'{"model":"m","query":"q","documents":[{"text":"a"}]}', read="jina", write="together"
    ) == (b'{"model":"m","query":"q","documents":["a"],"return_documents":true}')
    problems = rf.validate(
        b'{"model":"m","query":"q","documents":["a",{"text":"b"}]}',
        format="together",
        kind="request",
    )
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.documents", "invalid_value", "error")
    ]


# -- object documents come back as JSON text ----------------------------------------------------


def test_the_spec_example_reads_back_the_requests_objects_in_context() -> None:
    request = load_json(REQUEST) | {"return_documents": True}
    body = rf.convert_response(
        RESPONSE.read_bytes(),
        read="together",
        write="jina",
        request=json.dumps(request).encode(),
        request_format="together",
    )
    documents = [r["document"] for r in json.loads(body)["results"]]
    assert documents == [request["documents"][0], request["documents"][2]]


def test_out_of_context_the_json_text_stays_a_text() -> None:
    response = rf.decode_response(RESPONSE.read_bytes(), format="together")
    assert response.results[0].document == rf.TextDocument(
        text=load_json(RESPONSE)["results"][0]["document"]["text"]
    )


def test_an_object_is_written_as_the_spec_example_spells_it() -> None:
    # the same bytes as the spec's example `document.text`, non-ASCII (vicuña) unescaped
    request = load_json(REQUEST)
    expected = [r["document"]["text"] for r in load_json(RESPONSE)["results"]]
    written = [
        together.stringified(rf.ObjectDocument(fields=request["documents"][i])) for i in (0, 2)
    ]
    assert written == expected
    body = rf.convert_response(
        b'{"model":"m","usage":{"total_tokens":7},"results":'
        b'[{"index":2,"relevance_score":0.5},{"index":0,"relevance_score":0.25}]}',
        read="jina",
        write="together",
        request=json.dumps(request | {"return_documents": True}).encode(),
        request_format="together",
    )
    assert json.loads(body) == {
        "object": "rerank",
        "model": "m",
        "results": [
            {"index": 2, "relevance_score": 0.5, "document": {"text": expected[1]}},
            {"index": 0, "relevance_score": 0.25, "document": {"text": expected[0]}},
        ],
        "usage": {"total_tokens": 7, "prompt_tokens": 7, "completion_tokens": 0},
    }
    assert spec_errors("RerankResponse", json.loads(body)) == []


def test_an_object_not_the_requests_is_echoed_as_its_text() -> None:
    response = rf.RerankResponse(
        results=(
            rf.RerankResult(
                index=0,
                relevance_score=0.5,
                document=rf.ObjectDocument(fields={"title": "T", "text": "a"}),
            ),
        )
    )
    assert rf.encode_response(response, format="together") == (
        b'{"object":"rerank","results":[{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
    )


def test_a_document_is_always_written_empty_when_there_is_none() -> None:
    body = rf.convert_response(
        b'{"results":[{"index":0,"relevance_score":0.5}]}',
        read="cohere_v2",
        write="together",
        request=b'{"model":"m","query":"q","documents":["a"]}',
    )
    assert body == (
        b'{"object":"rerank","model":"m","results":'
        b'[{"index":0,"relevance_score":0.5,"document":{}}],"usage":null}'
    )  # as Together answers (vercel/ai's recorded fixture); UsageData is nullable
    assert spec_errors("RerankResponse", json.loads(body)) == []
    # read back, `{}` is no document, and is written back so; so is the spec's
    # `{"text": null}`, written as `{}`
    response = rf.decode_response(body, format="together")
    assert response.results[0].document is None
    assert rf.encode_response(response, format="together") == body
    spec_null = rf.decode_response(
        b'{"results":[{"index":0,"relevance_score":0.5,"document":{"text":null}}]}',
        format="together",
    )
    assert spec_null.results[0].document is None


# -- usage and errors ----------------------------------------------------------------------------


def test_usage_has_all_three_counts() -> None:
    response = rf.decode_response(RESPONSE.read_bytes(), format="together")
    assert response.usage == rf.Usage(total_tokens=1837, prompt_tokens=1837, completion_tokens=0)
    # written from a total alone: a rerank produces no output tokens
    assert rf.encode_response(
        rf.RerankResponse(results=(), usage=rf.Usage(total_tokens=9)), format="together"
    ) == (
        b'{"object":"rerank","results":[],'
        b'"usage":{"total_tokens":9,"prompt_tokens":9,"completion_tokens":0}}'
    )


def test_a_usage_that_does_not_add_up_gets_no_negative_prompt_count() -> None:
    """Found by hypothesis: more completion tokens than in all, and no prompt count, wrote
    `prompt_tokens: -1`, which Together's own format refuses."""
    response = rf.RerankResponse(results=(), usage=rf.Usage(total_tokens=0, completion_tokens=1))
    with pytest.warns(rf.LossWarning) as caught:
        body = rf.encode_response(response, format="together", on_loss="warn")
    assert body == (
        b'{"object":"rerank","results":[],'
        b'"usage":{"total_tokens":0,"prompt_tokens":0,"completion_tokens":1}}'
    )
    assert [(w.message.loss.path, w.message.loss.kind) for w in caught] == [  # type: ignore[union-attr]
        ("$.usage.prompt_tokens", "reporting")
    ]
    assert rf.decode_response(body, format="together").usage == rf.Usage(
        total_tokens=0, prompt_tokens=0, completion_tokens=1
    )


def test_error_data_reads_and_writes_back() -> None:
    body = b'{"error":{"message":"Invalid API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}'
    error = rf.decode_error(body, format="together", status=401)
    assert (error.status, error.message, error.code) == (401, "Invalid API key", "invalid_api_key")
    assert rf.encode_error(error, format="together") == (401, body)


def test_errors_from_other_formats_and_their_statuses() -> None:
    assert rf.convert_error(
        b'{"detail":"Validation error","errors":[{"field":"body.top_n","message":"too small"}]}',
        read="jina",
        write="together",
        status=422,
    ) == (
        400,  # Together answers a bad request with 400; the spec has no 422
        b'{"error":{"message":"Validation error (body.top_n: too small)",'
        b'"type":"invalid_request_error","param":null,"code":null}}',
    )
    status, body = rf.convert_error(
        b'{"message":"internal"}', read="cohere_v1", write="together", status=500
    )
    assert (status, json.loads(body)) == (
        500,
        {"error": {"message": "internal", "type": "server_error", "param": None, "code": None}},
    )
    assert spec_errors("ErrorData", json.loads(body)) == []
