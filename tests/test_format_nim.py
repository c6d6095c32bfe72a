"""NVIDIA NIM's quirks, byte for byte: `query{text}`, `passages[{text}]`, `rankings[{index,
logit}]` (raw logits), no top_n and no echo (the request's context cuts and fills), `truncate`
END/NONE, usage in newer releases, and the container's `{object, message}` error."""

from __future__ import annotations

import pytest
from helpers import RECORDED

import rerank_formats as rf
from rerank_formats.formats import nim

RANKINGS = (RECORDED / "nim/ranking-response-docs.json").read_bytes()
WITH_USAGE = (RECORDED / "nim/ranking-response-with-usage-docs.json").read_bytes()


def test_query_and_passages_are_wrapped() -> None:
    body = b'{"model":"m","query":"q","documents":["a",{"text":"b"}]}'
    assert rf.convert_request(body, read="jina", write="nim") == (
        b'{"model":"m","query":{"text":"q"},"passages":[{"text":"a"},{"text":"b"}]}'
    )
    assert (
        rf.convert_request(
            b'{"model":"m","query":{"text":"q"},"passages":[{"text":"a"}]}',
            read="nim",
            write="jina",
        )
        == b'{"model":"m","query":"q","documents":["a"],"return_documents":false}'
    )


@pytest.mark.parametrize(("truncate", "truncation"), [(b'"END"', b"true"), (b'"NONE"', b"false")])
def test_truncate_is_truncation(truncate: bytes, truncation: bytes) -> None:
    body = b'{"model":"m","query":{"text":"q"},"passages":[{"text":"a"}],"truncate":' + truncate
    body += b"}"
    assert rf.convert_request(body, read="nim", write="jina") == (
        b'{"model":"m","query":"q","documents":["a"],"return_documents":false,"truncation":'
        + truncation
        + b"}"
    )
    assert rf.convert_request(body, read="nim", write="nim") == body


def test_an_undocumented_truncate_is_kept_and_refused_by_validation() -> None:
    body = b'{"model":"m","query":{"text":"q"},"passages":[{"text":"a"}],"truncate":"START"}'
    assert rf.decode_request(body, format="nim").truncation is rf.UNSET
    assert rf.convert_request(body, read="nim", write="nim") == body
    problems = rf.validate(body, format="nim", kind="request")
    assert [(p.path, p.message, p.severity) for p in problems] == [
        ("$.truncate", 'truncate is "END" or "NONE"', "error")
    ]


def test_top_n_is_a_reporting_loss_the_context_makes_good() -> None:
    request = b'{"model":"m","query":"q","documents":["a","b","c","d"],"top_n":2}'
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(request, read="jina", write="nim")
    assert [(x.path, x.reason, x.kind) for x in info.value.losses] == [
        ("$.top_n", "nim returns every passage (cut in the request's context)", "reporting")
    ]
    # the Jina client's answer: the best two, logits as they are, documents from the request
    assert rf.convert_response(
        RANKINGS, read="nim", write="jina", request=request, request_format="jina"
    ) == (
        b'{"model":"m","usage":null,"results":['
        b'{"index":0,"relevance_score":-1.2421875,"document":{"text":"a"}},'
        b'{"index":3,"relevance_score":-3.029296875,"document":{"text":"d"}}]}'
    )


def test_usage_of_newer_releases() -> None:
    assert rf.convert_response(WITH_USAGE, read="nim", write="nim").endswith(
        b'"usage":{"prompt_tokens":123,"total_tokens":123}}'
    )
    assert rf.decode_response(WITH_USAGE, format="nim").usage == rf.Usage(
        total_tokens=123, prompt_tokens=123
    )
    assert rf.decode_response(RANKINGS, format="nim").usage is rf.UNSET


def test_echoed_documents_have_no_place() -> None:
    body = (
        b'{"model":"m","usage":{"total_tokens":9,"prompt_tokens":5,"completion_tokens":4},'
        b'"results":[{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
    )
    assert rf.convert_response(body, read="jina", write="nim", on_loss="raise") == (
        b'{"rankings":[{"index":0,"logit":0.5}],'
        b'"usage":{"prompt_tokens":5,"total_tokens":9,"completion_tokens":4}}'
    )


def test_image_passages() -> None:
    body = (
        b'{"model":"nvidia/llama-nemotron-rerank-vl-1b-v2","query":{"text":"q"},"passages":['
        b'{"image":"data:image/png;base64,AAAA"},{"text":"t","image":"data:image/png;base64,B"}]}'
    )
    request = rf.decode_request(body, format="nim")
    assert request.documents == (
        rf.ImageDocument(image="data:image/png;base64,AAAA"),
        rf.ObjectDocument(fields={"text": "t", "image": "data:image/png;base64,B"}),
    )
    assert rf.encode_request(request, format="nim") == body
    # a link is not what NIM takes (the 2.4 docs: base64 data URLs only)
    link = b'{"model":"m","query":{"text":"q"},"passages":[{"image":"https://x/a.png"}]}'
    problems = rf.validate(link, format="nim", kind="request")
    assert [(p.path, p.severity) for p in problems] == [("$.passages[0].image", "warning")]


def test_a_jina_image_document_is_an_image_passage() -> None:
    body = b'{"model":"jina-reranker-m0","query":"q","documents":[{"image":"data:image/png;base64,A"}]}'
    assert rf.convert_request(body, read="jina", write="nim") == (
        b'{"model":"jina-reranker-m0","query":{"text":"q"},'
        b'"passages":[{"image":"data:image/png;base64,A"}]}'
    )


def test_the_container_error() -> None:
    body = (RECORDED / "nim/error-422-langchain-nvidia-299.json").read_bytes()
    assert rf.convert_error(body, read="nim", write="jina", status=422) == (
        422,
        b'{"detail":"Input length 12007 exceeds maximum allowed token size 8192"}',
    )
    assert rf.convert_error(b'{"detail":"no"}', read="jina", write="nim", status=401) == (
        401,
        b'{"object":"error","message":"no"}',
    )


def test_hosted_problem_details_are_read_as_detail_bodies() -> None:
    body = b'{"title":"Unauthorized","status":401,"detail":"Bearer token invalid","requestId":"r1"}'
    error = rf.decode_error(body, format="nim", status=401)
    assert (error.status, error.message) == (401, "Bearer token invalid")


def test_the_endpoint_and_scale() -> None:
    assert rf.registry.Endpoint(method="POST", path="/v1/ranking") == nim.ENDPOINT
    assert (nim.SCORE_SCALE, nim.DEFAULTS) == ("logit", {})


def test_an_unknown_key_is_not_sent() -> None:
    """NIM answers 400 "top_k: unknown field, expected one of model, query, passages,
    truncate" (BerriAI/litellm #34165)."""
    body = b'{"model":"m","query":{"text":"q"},"passages":[{"text":"a"}],"top_k":1}'
    with pytest.raises(rf.LossyConversionError) as info:
        rf.convert_request(body, read="nim", write="nim")
    assert [(x.path, x.reason) for x in info.value.losses] == [
        ("$.top_k", "nim rejects unknown fields, so `top_k` is not sent")
    ]
    problems = rf.validate(body, format="nim", kind="request")
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.top_k", "unknown_field", "error")
    ]
