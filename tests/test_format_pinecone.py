"""Pinecone's quirks (issue #14), each with the exact bytes: object documents only (strings
wrapped as `{"text": s}`), `rank_fields`, `return_documents` true by default, `data[].score`,
`usage.rerank_units` (billing units, not tokens), `parameters`, the `Api-Key` and
`X-Pinecone-Api-Version` headers, and `{error{code, message}, status}` errors; Pinecone's
published spec (fixtures/specs/pinecone-rerank-2025-10.openapi.json) as the oracle.

Sources: pinecone-io/pinecone-api `2025-10/inference_2025-10.oas.yaml` @ 504a990e; the
pinecone SDK 10.2.0 (PyPI) `pinecone/client/inference.py`, `pinecone/models/inference/rerank.py`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from case_table import cases
from helpers import RECORDED, decode, encode_with_losses, recorded
from test_recorded import REJECTED
from test_specs import Spec, request_pointer, response_pointer

import rerank_formats as rf
from rerank_formats.formats import pinecone

SPEC = Spec("pinecone-rerank-2025-10.openapi.json")
DOCS_REQUEST = RECORDED / "pinecone/rerank-request-docs-2025-10.json"
DOCS_RESPONSE = RECORDED / "pinecone/rerank-response-docs-2025-10.json"


def test_the_endpoint_sends_the_bare_key_in_api_key_and_the_version_header() -> None:
    expected = rf.registry.Endpoint(
        method="POST",
        path="/rerank",
        auth_header="Api-Key",
        auth_scheme="",
        headers={"X-Pinecone-Api-Version": "2025-10"},
        max_documents=100,
    )
    assert expected == pinecone.ENDPOINT
    parameters = SPEC.document["paths"]["/rerank"]["post"]["parameters"]
    assert parameters[0]["name"] == "X-Pinecone-Api-Version"
    assert parameters[0]["schema"]["default"] == pinecone.ENDPOINT.headers[parameters[0]["name"]]


def test_string_documents_are_wrapped_and_return_documents_made_explicit() -> None:
    body = b'{"model":"bge-reranker-v2-m3","query":"q","documents":["a",{"text":"b"}],"top_n":1}'
    assert rf.convert_request(body, read="jina", write="pinecone") == (
        b'{"model":"bge-reranker-v2-m3","query":"q","documents":[{"text":"a"},{"text":"b"}],'
        b'"top_n":1,"return_documents":true}'
    )


def test_the_docs_request_keeps_its_fields_and_loses_them_elsewhere() -> None:
    data = DOCS_REQUEST.read_bytes()
    request = rf.decode_request(data, format="pinecone")
    assert request.documents[0] == rf.ObjectDocument(
        fields={
            "id": "vec1",
            "text": "Apple is a popular fruit known for its sweetness and crisp texture.",
        }
    )
    assert (request.top_n, request.return_documents) == (4, True)
    assert json.loads(rf.encode_request(request, format="pinecone")) == json.loads(data)
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(request, format="jina", on_loss="raise")
    assert [(str(x), x.kind) for x in info.value.losses] == [
        ("$.parameters: pinecone's model parameters have no jina equivalent (jina)", "ranking")
    ]


def test_rank_fields_at_their_default_are_no_loss_and_others_are() -> None:
    # the SDK always sends `rank_fields: ["text"]`, Pinecone's default
    sdk = b'{"model":"m","query":"q","documents":[{"text":"a"}],"rank_fields":["text"],"return_documents":true}'
    assert rf.convert_request(sdk, read="pinecone", write="jina", on_loss="raise") == (
        b'{"model":"m","query":"q","documents":[{"text":"a"}],"return_documents":true}'
    )
    other = sdk.replace(b'["text"]', b'["summary"]').replace(b'"text":"a"', b'"summary":"a"')
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(other, read="pinecone", write="jina", on_loss="raise_ranking")
    assert [str(x) for x in info.value.losses] == [
        "$.rank_fields: pinecone ranks on these document fields; jina ranks one text (jina)",
        "$.documents[0]: jina needs a `text` in document objects; got a document object with"
        " fields `summary` (jina)",
    ]


def test_return_documents_defaults_to_true_like_jinas() -> None:
    body = b'{"model":"m","query":"q","documents":[{"text":"a"}]}'
    request = rf.decode_request(body, format="pinecone")
    assert request.return_documents is True
    assert rf.encode_request(request, format="pinecone") == body  # left out again
    assert rf.convert_request(body, read="pinecone", write="cohere_v1") == (
        b'{"model":"m","query":"q","documents":[{"text":"a"}],"return_documents":true}'
    )


def test_the_docs_response_unwraps_scores_and_keeps_the_rerank_units() -> None:
    data = DOCS_RESPONSE.read_bytes()
    response = rf.decode_response(data, format="pinecone")
    assert [(r.index, r.relevance_score) for r in response.results] == [
        (2, 0.47654688),
        (0, 0.047963805),
        (3, 0.007587992),
        (1, 0.0006491712),
    ]
    assert response.usage is rf.UNSET  # rerank units are not tokens
    assert response.extensions["pinecone"].fields == {"usage": {"rerank_units": 1}}
    assert json.loads(rf.encode_response(response, format="pinecone")) == json.loads(data)


def test_a_jina_client_reads_text_documents_and_an_unknown_usage() -> None:
    request = b'{"model":"bge-reranker-v2-m3","query":"q","documents":["a","b"]}'
    answer = (
        b'{"model":"bge-reranker-v2-m3","data":[{"index":1,"score":0.9,"document":{"text":"b"}},'
        b'{"index":0,"score":0.2,"document":{"text":"a","id":"x"}}],"usage":{"rerank_units":1}}'
    )
    assert rf.convert_response(answer, read="pinecone", write="jina", request=request) == (
        b'{"model":"bge-reranker-v2-m3","usage":null,"results":['
        b'{"index":1,"relevance_score":0.9,"document":{"text":"b"}},'
        b'{"index":0,"relevance_score":0.2,"document":{"text":"a","id":"x"}}]}'
    )


def test_an_answer_for_a_pinecone_client_always_has_model_and_usage() -> None:
    # pinecone 10.2.0's RerankResult requires both: the model from the request, the units 0
    request = b'{"model":"bge-reranker-v2-m3","query":"q","documents":[{"text":"a"}]}'
    answer = b'{"results":[{"index":0,"relevance_score":0.5}],"usage":{"total_tokens":3}}'
    with pytest.warns(rf.LossWarning) as warned:
        written = rf.convert_response(
            answer, read="jina", write="pinecone", request=request, on_loss="warn"
        )
    assert written == (
        b'{"model":"bge-reranker-v2-m3","data":[{"index":0,"score":0.5,"document":{"text":"a"}}],'
        b'"usage":{"rerank_units":0}}'
    )
    assert [str(w.message) for w in warned] == [
        "$.usage: pinecone reports rerank units, not tokens (pinecone)",
        "$.usage.rerank_units: the rerank units are unknown; written as 0 (pinecone)",
    ]


def test_errors_carry_pinecones_codes_and_status() -> None:
    data = (RECORDED / "pinecone/error-401-openapi-example.json").read_bytes()
    error = rf.decode_error(data, format="pinecone")
    assert (error.status, error.code, error.message) == (401, "UNAUTHENTICATED", "Invalid API key.")
    assert rf.convert_error(data, read="pinecone", write="jina") == (
        401,
        b'{"detail":"Invalid API key.","code":"UNAUTHENTICATED"}',
    )
    # another provider's code is not one of Pinecone's: the status names it
    jina = b'{"detail":"Rate limit reached","code":"RATE_REQUEST_LIMIT_EXCEEDED"}'
    assert rf.convert_error(jina, read="jina", write="pinecone", status=429) == (
        429,
        b'{"error":{"code":"RESOURCE_EXHAUSTED","message":"Rate limit reached"},"status":429}',
    )


def test_a_string_document_is_refused_on_the_wire() -> None:
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(b'{"model":"m","query":"q","documents":["a"]}', format="pinecone")
    assert str(info.value) == (
        "invalid pinecone request: Expected `object`, got `str` (at $.documents[0])"
    )
    problems = rf.validate(
        b'{"model":"m","query":"q","documents":["a",{"title":"t"}]}',
        format="pinecone",
        kind="request",
    )
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.documents[0]", "wrong_type", "error"),  # "Expected `object`, got `str`"
        ("$.documents[1]", "missing_field", "error"),
    ]


# -- the published spec as the oracle -----------------------------------------------------------


def _written(kind: str) -> list[tuple[str, Any]]:
    """What the library writes in Pinecone's format: every case, and every recorded payload
    of every format converted."""
    found = []
    for case in cases(kind):
        body, _ = encode_with_losses(case.native(), "pinecone")
        found.append((case.key, json.loads(body)))
    for fmt, _, path in recorded(kind):
        if f"{fmt}/{path.name}" in REJECTED:
            continue
        obj = decode(kind, path.read_bytes(), fmt)
        body, _ = encode_with_losses(obj, "pinecone")
        found.append((f"{fmt}/{path.name}", json.loads(body)))
    return found


@pytest.mark.parametrize(("name", "body"), _written("request"))
def test_written_requests_follow_the_published_schema(name: str, body: Any) -> None:
    errors = SPEC.errors(request_pointer("/rerank"), body)
    assert errors == ([("$", "'model' is a required property")] if "model" not in body else [])


@pytest.mark.parametrize(("name", "body"), _written("response"))
def test_written_responses_follow_the_published_schema(name: str, body: Any) -> None:
    # Written without the context of a request, a response may have no model and no usage
    # to give; the proxy writes both (test_an_answer_for_a_pinecone_client_always_has_...).
    errors = SPEC.errors(response_pointer("/rerank"), body)
    expected = sorted(
        ([("$", "'model' is a required property")] if "model" not in body else [])
        + ([("$", "'usage' is a required property")] if "usage" not in body else [])
    )
    assert errors == expected


def test_the_published_examples_follow_the_schema_and_decode() -> None:
    for status in ("400", "401", "500"):
        response = SPEC.document["paths"]["/rerank"]["post"]["responses"][status]
        [example] = response["content"]["application/json"]["examples"].values()
        assert SPEC.errors("/components/schemas/ErrorResponse", example["value"]) == []
        error = rf.decode_error(example["value"], format="pinecone")
        assert (error.status, error.code) == (int(status), example["value"]["error"]["code"])


def test_an_object_without_text_is_flattened_unless_rank_fields_name_its_fields() -> None:
    # Pinecone ranks on `rank_fields`, `["text"]` by default: an object without a `text`
    # would be refused, so it is flattened (a loss), as for Cohere v1
    bedrock = (
        b'{"queries":[{"type":"TEXT","textQuery":{"text":"q"}}],'
        b'"sources":[{"type":"INLINE","inlineDocumentSource":'
        b'{"type":"JSON","jsonDocument":{"title":"T","year":"1999"}}}],'
        b'"rerankingConfiguration":{"type":"BEDROCK_RERANKING_MODEL",'
        b'"bedrockRerankingConfiguration":{"modelConfiguration":{"modelArn":"m"}}}}'
    )
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(bedrock, read="bedrock", write="pinecone", on_loss="raise")
    assert [str(x) for x in info.value.losses] == [
        "$.documents[0]: pinecone needs a `text` (or rank_fields) in a document object with"
        " fields `title`, `year` (pinecone)"
    ]
    assert rf.convert_request(bedrock, read="bedrock", write="pinecone", on_loss="ignore") == (
        b'{"model":"m","query":"q","documents":[{"text":"title: T\\nyear: 1999"}],'
        b'"return_documents":true}'
    )
    # its own rank_fields name the fields: written whole
    own = b'{"model":"m","query":"q","documents":[{"title":"T"}],"rank_fields":["title"]}'
    request = rf.decode_request(own, format="pinecone")
    assert rf.encode_request(request, format="pinecone", on_loss="raise") == own
