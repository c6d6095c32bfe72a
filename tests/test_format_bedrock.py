"""Bedrock's quirks (issue #14), each with the exact bytes: `queries[{type, textQuery}]`,
`sources[{type, inlineDocumentSource{type, textDocument | jsonDocument}}]`, the model ARN
and `numberOfResults` deep in `rerankingConfiguration`, `relevanceScore`, `nextToken`, no
usage, and errors `{message}` typed by the `x-amzn-ErrorType` header.

Sources: botocore 1.44.8 (PyPI) `botocore/data/bedrock-agent-runtime/2023-07-26/service-2.json`
(the Rerank shapes) and `botocore/parsers.py` (`RestJSONParser._inject_error_code`). The
service model itself is the oracle in tests/test_clients_bedrock.py, where botocore is
installed."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED

import rerank_formats as rf
from rerank_formats.formats import bedrock

BOTO3_REQUEST = RECORDED / "bedrock/boto3-1.44.8-rerank-request.json"
ERROR = RECORDED / "bedrock/error-400-validation-dify-12774-reconstructed.json"
ARN = "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"


def test_the_endpoint_is_sigv4_signed_with_its_batch_limit() -> None:
    expected = rf.registry.Endpoint(
        method="POST",
        path="/rerank",
        auth_scheme="AWS4-HMAC-SHA256",
        max_documents=1000,
        signing="sigv4:bedrock",
    )
    assert expected == bedrock.ENDPOINT
    assert bedrock.ENDPOINT.auth_header == "Authorization"


def test_a_jina_request_is_written_as_queries_sources_and_a_configuration() -> None:
    body = json.dumps(
        {
            "model": ARN,
            "query": "q",
            "documents": ["a", {"text": "b"}, {"title": "t", "text": "c"}],
            "top_n": 2,
        }
    ).encode()
    assert rf.convert_request(body, read="jina", write="bedrock") == (
        b'{"queries":[{"type":"TEXT","textQuery":{"text":"q"}}],"sources":['
        b'{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"a"}}},'
        b'{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"b"}}},'
        b'{"type":"INLINE","inlineDocumentSource":{"type":"JSON","jsonDocument":'
        b'{"title":"t","text":"c"}}}],'
        b'"rerankingConfiguration":{"type":"BEDROCK_RERANKING_MODEL",'
        b'"bedrockRerankingConfiguration":{"modelConfiguration":{"modelArn":"'
        + ARN.encode()
        + b'"},'
        b'"numberOfResults":2}}}'
    )


def test_boto3s_request_reads_as_jina_with_the_arn_as_the_model() -> None:
    assert rf.convert_request(BOTO3_REQUEST.read_bytes(), read="bedrock", write="jina") == (
        b'{"model":"' + ARN.encode() + b'","query":"What is the capital of France?",'
        b'"documents":["Paris is the capital of France.",'
        b'{"title":"Berlin","text":"Berlin is the capital of Germany."}],"top_n":2}'
    )


def test_next_token_and_model_fields_round_trip_and_are_ranking_losses_elsewhere() -> None:
    request = json.loads(BOTO3_REQUEST.read_bytes())
    request["nextToken"] = "page-2"
    configuration = request["rerankingConfiguration"]["bedrockRerankingConfiguration"]
    configuration["modelConfiguration"]["additionalModelRequestFields"] = {"max_tokens": 512}
    canonical = rf.decode_request(request, format="bedrock")
    assert json.loads(rf.encode_request(canonical, format="bedrock")) == request
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(canonical, format="jina", on_loss="raise_ranking")
    assert [str(loss) for loss in info.value.losses] == [
        "$.nextToken: bedrock's nextToken asks for the next page; jina has no pages (jina)",
        "$.rerankingConfiguration: bedrock's additionalModelRequestFields have no jina"
        " equivalent (jina)",
    ]


def test_a_response_for_a_jina_client_has_documents_model_and_an_unknown_usage() -> None:
    request = b'{"model":"m","query":"q","documents":["a","b"]}'
    answer = (RECORDED / "bedrock/litellm-test-mock-response.json").read_bytes()
    assert rf.convert_response(answer, read="bedrock", write="jina", request=request) == (
        b'{"model":"m","usage":null,"results":['
        b'{"index":0,"relevance_score":0.6716859340667725,"document":{"text":"a"}},'
        b'{"index":1,"relevance_score":0.0004994205664843321,"document":{"text":"b"}}]}'
    )


def test_echoed_documents_and_the_next_token_are_read_and_written_back() -> None:
    body = (
        b'{"results":[{"index":1,"relevanceScore":0.8,"document":{"type":"JSON",'
        b'"jsonDocument":{"id":"x","text":"b"}}},{"index":0,"relevanceScore":0.1,'
        b'"document":{"type":"TEXT","textDocument":{"text":"a"}}}],"nextToken":"t"}'
    )
    response = rf.decode_response(body, format="bedrock")
    assert [r.document for r in response.results] == [
        rf.ObjectDocument(fields={"id": "x", "text": "b"}),
        "a",
    ]
    assert rf.encode_response(response, format="bedrock") == body
    with pytest.warns(rf.LossWarning) as warned:
        written = rf.convert_response(body, read="bedrock", write="jina", on_loss="warn")
    assert [str(w.message) for w in warned] == [
        "$.nextToken: bedrock's nextToken says more results follow; jina has no pages (jina)"
    ]
    assert written == (
        b'{"results":[{"index":1,"relevance_score":0.8,"document":{"id":"x","text":"b"}},'
        b'{"index":0,"relevance_score":0.1,"document":"a"}]}'
    )


def test_a_usage_is_a_reporting_loss() -> None:
    body = b'{"model":"m","usage":{"total_tokens":5},"results":[{"index":0,"relevance_score":0.5}]}'
    with pytest.warns(rf.LossWarning) as warned:
        written = rf.convert_response(body, read="jina", write="bedrock", on_loss="warn")
    assert written == b'{"results":[{"index":0,"relevanceScore":0.5}]}'
    assert [str(w.message) for w in warned] == ["$.usage: bedrock reports no usage (bedrock)"]


def test_the_error_type_comes_from_the_header() -> None:
    data = ERROR.read_bytes()
    headers = {"X-Amzn-ErrorType": "ValidationException:http://internal.amazon.com/coral/"}
    error = rf.decode_error(data, format="bedrock", status=400, headers=headers)
    assert (error.status, error.code, error.message) == (
        400,
        "ValidationException",
        "Cannot provide numberOfResults value that exceeds the number of sources.",
    )
    assert rf.convert_error(data, read="bedrock", write="jina", status=400, headers=headers) == (
        400,
        b'{"detail":"Cannot provide numberOfResults value that exceeds the number of sources.",'
        b'"code":"ValidationException"}',
    )
    # without the header, no code; another format's headers are not read
    assert rf.decode_error(data, format="bedrock", status=400).code is rf.UNSET
    assert rf.decode_error(data, format="cohere_v2", status=400, headers=headers).code is rf.UNSET


def test_a_code_in_the_body_wins_over_the_header() -> None:
    body = b'{"detail":"Rate limit reached","code":"RATE_REQUEST_LIMIT_EXCEEDED"}'
    error = rf.decode_error(
        body, format="jina", status=429, headers={"x-amzn-errortype": "ThrottlingException"}
    )
    assert error.code == "RATE_REQUEST_LIMIT_EXCEEDED"


def test_errors_are_written_as_a_message_at_bedrocks_statuses() -> None:
    body = b'{"detail":"Invalid API key.","code":"AUTH_INVALID_API_KEY"}'
    # Bedrock has no 401: a refused signature is an AccessDeniedException, 403
    assert rf.convert_error(body, read="jina", write="bedrock", status=401) == (
        403,
        b'{"message":"Invalid API key."}',
    )
    internal = b'{"message":"m","reason":"BEDROCK_MODEL_INVOCATION_SERVICE_UNAVAILABLE"}'
    assert rf.convert_error(internal, read="bedrock", write="bedrock", status=500) == (
        500,
        internal,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["queries"].append(r["queries"][0]),
            "invalid bedrock request: expected exactly 1 items, got 2 (at $.queries)",
        ),
        (
            lambda r: r["sources"][0]["inlineDocumentSource"].update(type="IMAGE"),
            "invalid bedrock request: Expected one of 'JSON' | 'TEXT'"
            " (at $.sources[0].inlineDocumentSource.type)",
        ),
        (
            lambda r: r["sources"][0]["inlineDocumentSource"].pop("textDocument"),
            "invalid bedrock request: a TEXT document needs `textDocument.text`"
            " (at $.sources[0].inlineDocumentSource.textDocument)",
        ),
        (
            lambda r: r["rerankingConfiguration"].update(type="OTHER"),
            "invalid bedrock request: Expected one of 'BEDROCK_RERANKING_MODEL'"
            " (at $.rerankingConfiguration.type)",
        ),
    ],
)
def test_a_bad_request_is_one_decode_error_with_its_path(change, message: str) -> None:
    request = json.loads(BOTO3_REQUEST.read_bytes())
    change(request)
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(json.dumps(request).encode(), format="bedrock")
    assert str(info.value) == message


def test_validate_checks_the_number_of_results() -> None:
    request = json.loads(BOTO3_REQUEST.read_bytes())
    request["rerankingConfiguration"]["bedrockRerankingConfiguration"]["numberOfResults"] = 0
    assert [
        (p.path, p.message, p.severity)
        for p in rf.validate(request, format="bedrock", kind="request")
    ] == [
        (
            "$.rerankingConfiguration.bedrockRerankingConfiguration.numberOfResults",
            "numberOfResults is 0; expected 1 to 2",  # the two sources
            "error",
        )
    ]


def test_top_n_beyond_the_documents_is_written_as_it_is_and_flagged() -> None:
    # Bedrock answers a ValidationException (langgenius/dify #12774) where Jina returns all
    body = b'{"model":"m","query":"q","documents":["a","b"],"top_n":5}'
    written = rf.convert_request(body, read="jina", write="bedrock", on_loss="raise")
    assert json.loads(written)["rerankingConfiguration"]["bedrockRerankingConfiguration"] == {
        "modelConfiguration": {"modelArn": "m"},
        "numberOfResults": 5,
    }
    assert [p.message for p in rf.validate(written, format="bedrock", kind="request")] == [
        "numberOfResults is 5; expected 1 to 2 (no more than the sources)"
    ]
