"""The `vllm` format's quirks (vllm-project/vllm, rerank_formats/formats/vllm.py cites each),
exactly, and real clients on both sides of the proxy: Jina clients in front of a fake vLLM
server, and vLLM-speaking clients (the cohere SDK at `/v2/rerank`, a Jina-style client at
`/v1/rerank`) in front of a Jina upstream."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import cohere
import httpx
import pytest
from clients import (
    DOCS,
    QUERY,
    RANKED,
    Stack,
    llama_index_rerank,
    loopback_only,
    recorded_answer,
    require_client,
)
from helpers import RECORDED, encode_with_losses
from servers import Recorder, Reply, fake_upstream, proxy_app, serve
from vllm_stacks import DOCUMENTS, MODEL, Aliases, vllm_server

import rerank_formats as rf
from rerank_formats.formats import vllm
from rerank_formats.proxy import CLIENT_PATHS, NATIVE_PATHS

__all__ = ["loopback_only"]  # the autouse fixture: no connection leaves 127.0.0.1


def loss_list(losses: list[rf.Loss]) -> list[tuple[str, str, str]]:
    return [(loss.path, loss.reason, loss.kind) for loss in losses]


# -- the route and the face --------------------------------------------------------------------


def test_endpoint_is_vllms_three_rerank_routes() -> None:
    # vllm/entrypoints/pooling/scoring/api_router.py: /rerank, /v1/rerank, /v2/rerank
    assert (
        rf.registry.Endpoint(method="POST", path="/v1/rerank", aliases=("/rerank", "/v2/rerank"))
        == vllm.ENDPOINT
    )
    assert (vllm.ENDPOINT.auth_header, vllm.ENDPOINT.auth_scheme) == ("Authorization", "Bearer")
    assert vllm.ENDPOINT.max_documents is None
    assert (NATIVE_PATHS["vllm"], CLIENT_PATHS["vllm"]) == ("/v1/rerank", "/vllm/v1/rerank")
    assert {"request", "response"} == vllm.KEEPS_UNKNOWN  # extra="allow": logged, ignored


# -- requests ----------------------------------------------------------------------------------


def test_a_text_object_document_is_refused() -> None:
    # ScoreMultiModalParam needs `content`: vLLM answers 400 to Jina's and Cohere's {text}
    with pytest.raises(rf.DecodeError) as error:
        rf.decode_request(b'{"query": "q", "documents": ["a", {"text": "b"}]}', format="vllm")
    assert str(error.value) == (
        "invalid vllm request: missing required field `content` (at $.documents[1].content)"
    )
    assert (error.value.type, error.value.path) == ("missing_field", "$.documents[1].content")
    problems = rf.validate(
        b'{"query": "q", "documents": [{"text": "b"}]}', format="vllm", kind="request"
    )
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.documents[0].content", "missing_field", "error"),
        ("$.documents[0].text", "unknown_field", "error"),
        ("$.documents[0]", "unsupported_document", "error"),
    ]


def test_jina_text_objects_are_written_as_their_strings_with_no_loss() -> None:
    body = b'{"model": "m", "query": {"text": "q"}, "documents": [{"text": "a"}, "b"]}'
    assert rf.convert_request(body, read="jina", write="vllm") == (
        b'{"model":"m","query":"q","documents":["a","b"]}'
    )


def test_jina_images_are_written_as_image_url_parts() -> None:
    body = (
        b'{"model": "jina-reranker-m0", "query": "q", "documents": [{"image": "https://x/a.png"}]}'
    )
    written = rf.convert_request(body, read="jina", write="vllm")
    assert written == (
        b'{"model":"jina-reranker-m0","query":"q","documents":[{"content":'
        b'[{"type":"image_url","image_url":{"url":"https://x/a.png"}}]}]}'
    )
    assert rf.convert_request(written, read="vllm", write="jina") == body.replace(b" ", b"")


MULTIMODAL = (
    b'{"model":"m","query":"q","documents":[{"content":[{"type":"text","text":"a cat"},'
    b'{"type":"image_url","image_url":{"url":"https://x/cat.png"}}]},'
    b'{"content":[{"type":"text","text":"a dog"}]}]}'
)


def test_multimodal_documents_round_trip_and_are_a_loss_elsewhere() -> None:
    request = rf.decode_request(MULTIMODAL, format="vllm")
    assert request.documents == (rf.TextDocument(text="a cat"), rf.TextDocument(text="a dog"))
    assert rf.encode_request(request, format="vllm") == MULTIMODAL
    body, losses = encode_with_losses(request, "jina")
    assert body == b'{"model":"m","query":"q","documents":[{"text":"a cat"},{"text":"a dog"}]}'
    assert loss_list(losses) == [
        (
            "$.documents",
            "vllm's multimodal inputs (0) have no jina equivalent; their text is sent",
            "ranking",
        )
    ]


def test_top_n_zero_means_every_result() -> None:
    # serving.py: `top_n if top_n > 0 else len(final_res_batch)`; RerankRequest's default is 0
    request = rf.decode_request(b'{"query": "q", "documents": ["a"], "top_n": 0}', format="vllm")
    assert request.top_n is None
    assert rf.encode_request(request, format="vllm") == b'{"query":"q","documents":["a"],"top_n":0}'
    assert rf.encode_request(request, format="jina", on_loss="ignore") == (
        b'{"query":"q","documents":["a"],"top_n":null}'
    )
    response = rf.decode_response(
        b'{"results": [{"index": 0, "relevance_score": 0.5}, {"index": 1, "relevance_score": 0.7}]}',
        format="vllm",
        request=rf.decode_request(
            b'{"query": "q", "documents": ["a", "b"], "top_n": 0}', format="vllm"
        ),
    )
    assert [r.index for r in response.results] == [1, 0]  # all of them, not none
    # a canonical 0 (no results, for Jina's context) cannot be said to vLLM
    zero = rf.RerankRequest(query="q", documents=("a",), top_n=0)
    body, losses = encode_with_losses(zero, "vllm")
    assert body == b'{"query":"q","documents":["a"],"top_n":0}'
    assert loss_list(losses) == [("$.top_n", "vllm reads top_n 0 as every result", "ranking")]


def test_truncate_prompt_tokens_is_jinas_truncation() -> None:
    assert (
        rf.convert_request(
            b'{"model": "m", "query": "q", "documents": ["a"], "truncation": true}',
            read="jina",
            write="vllm",
        )
        == b'{"model":"m","query":"q","documents":["a"],"truncate_prompt_tokens":-1}'
    )
    assert (
        rf.convert_request(
            b'{"model": "m", "query": "q", "documents": ["a"], "truncation": false}',
            read="jina",
            write="vllm",
        )
        == b'{"model":"m","query":"q","documents":["a"],"truncate_prompt_tokens":null}'
    )
    limited = b'{"model": "m", "query": "q", "documents": ["a"], "truncate_prompt_tokens": 64}'
    request = rf.decode_request(limited, format="vllm")
    assert request.truncation is True
    assert rf.encode_request(request, format="vllm") == limited.replace(b" ", b"")
    body, losses = encode_with_losses(request, "jina")
    assert body == b'{"model":"m","query":"q","documents":["a"],"truncation":true}'
    assert loss_list(losses) == [
        (
            "$.truncate_prompt_tokens",
            "vllm's limit of 64 prompt tokens has no jina equivalent",
            "ranking",
        )
    ]


HOUSEKEEPING = (
    b'{"model":null,"query":"q","documents":["a"],"user":"u","request_id":"r1",'
    b'"priority":5,"use_activation":true,"cache_salt":"s"}'
)


def test_housekeeping_round_trips_and_carries_no_meaning_elsewhere() -> None:
    request = rf.decode_request(HOUSEKEEPING, format="vllm")
    assert request.model is rf.UNSET
    assert rf.encode_request(request, format="vllm") == HOUSEKEEPING
    # Jina requires a model: the only loss
    assert loss_list(encode_with_losses(request, "jina")[1]) == [
        ("$.model", "jina requires `model`; the request has none", "ranking")
    ]


def test_processor_arguments_are_a_ranking_loss_elsewhere() -> None:
    body = (
        b'{"model":"m","query":"q","documents":["a"],"mm_processor_kwargs":{"fps":2},'
        b'"padding":"max_length"}'
    )
    request = rf.decode_request(body, format="vllm")
    assert rf.encode_request(request, format="vllm") == body
    assert loss_list(encode_with_losses(request, "cohere_v2")[1]) == [
        (
            "$.mm_processor_kwargs",
            "vllm's `mm_processor_kwargs` has no cohere_v2 equivalent",
            "ranking",
        ),
        ("$.padding", "vllm's `padding` has no cohere_v2 equivalent", "ranking"),
    ]


def test_use_activation_false_gives_logits() -> None:
    recorded = (RECORDED / "vllm/test-online-rerank-use-activation-false-request.json").read_bytes()
    request = rf.decode_request(recorded, format="vllm")
    assert vllm.response_scale(request) == "logit"
    assert vllm.response_scale(None) == vllm.SCORE_SCALE == "probability"
    assert vllm.response_scale(rf.decode_request(HOUSEKEEPING, format="vllm")) == "probability"
    for old in (b'"activation":false', b'"softmax":false'):  # the deprecated names
        old_request = rf.decode_request(
            b'{"query":"q","documents":["a"],' + old + b"}", format="vllm"
        )
        assert vllm.response_scale(old_request) == "logit"
    assert loss_list(encode_with_losses(request, "jina")[1]) == [
        (
            "$.use_activation",
            "jina has no switch for raw logits: its scores are on its own scale",
            "reporting",
        )
    ]


def test_return_documents_has_no_place_and_the_context_removes_the_echo() -> None:
    body, losses = encode_with_losses(
        rf.decode_request(
            b'{"model": "m", "query": "q", "documents": ["a", "b"], "return_documents": false}',
            format="jina",
        ),
        "vllm",
    )
    assert (body, losses) == (b'{"model":"m","query":"q","documents":["a","b"]}', [])
    problems = rf.validate(
        b'{"query":"q","documents":["a"],"return_documents":false}', format="vllm", kind="request"
    )
    assert [(p.path, p.type, p.message, p.severity) for p in problems] == [
        (
            "$.return_documents",
            "unsupported_field",
            "vLLM ignores return_documents: it always echoes the documents",
            "warning",
        )
    ]


def test_a_return_documents_sent_to_vllm_is_kept_and_means_nothing_elsewhere() -> None:
    # litellm's hosted_vllm provider sends `return_documents: true` (rerank/transformation.py
    # 1.110.2); vLLM ignores it, and its client gets the documents anyway
    body = b'{"model":"m","query":"q","documents":["a"],"return_documents":false}'
    request = rf.decode_request(body, format="vllm")
    assert request.return_documents is rf.UNSET
    assert rf.encode_request(request, format="vllm") == body
    assert encode_with_losses(request, "jina") == (
        b'{"model":"m","query":"q","documents":["a"]}',
        [],
    )


def test_max_tokens_per_doc_is_the_per_document_limit() -> None:
    recorded = (RECORDED / "vllm/test-max-tokens-per-doc-jina-request.json").read_bytes()
    request = rf.decode_request(recorded, format="vllm")
    assert request.max_doc_length == 10
    assert json.loads(rf.encode_request(request, format="cohere_v2"))["max_tokens_per_doc"] == 10
    assert json.loads(rf.encode_request(request, format="jina"))["max_doc_length"] == 10


# -- responses ---------------------------------------------------------------------------------

CURRENT = (
    b'{"id":"rerank-abc","model":"BAAI/bge-reranker-base",'
    b'"usage":{"prompt_tokens":56,"total_tokens":56},"results":['
    b'{"index":1,"document":{"text":"b","multi_modal":null},"relevance_score":0.9},'
    b'{"index":0,"document":{"text":"a","multi_modal":null},"relevance_score":0.1}]}'
)


def test_the_current_response_round_trips_with_its_id() -> None:
    response = rf.decode_response(CURRENT, format="vllm")
    assert response.usage == rf.Usage(total_tokens=56, prompt_tokens=56)
    assert response.results[0].document == rf.TextDocument(text="b")
    assert rf.encode_response(response, format="vllm") == CURRENT


def test_the_older_response_round_trips_without_prompt_tokens_or_multi_modal() -> None:
    recorded = (RECORDED / "vllm/rerank-response-docs.json").read_bytes()
    response = rf.decode_response(recorded, format="vllm")
    assert json.loads(rf.encode_response(response, format="vllm")) == json.loads(recorded)


def test_a_jina_client_that_asked_no_documents_gets_none() -> None:
    answer = rf.convert_response(
        CURRENT,
        read="vllm",
        write="jina",
        request=b'{"model": "m", "query": "q", "documents": ["a", "b"], "return_documents": false}',
    )
    assert answer == (
        b'{"model":"BAAI/bge-reranker-base","usage":{"total_tokens":56,"prompt_tokens":56},'
        b'"results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.1}]}'
    )


def test_written_from_jina_the_document_and_usage_are_vllms() -> None:
    jina = (
        b'{"model":"jina-reranker-v2-base-multilingual","usage":{"total_tokens":7},'
        b'"results":[{"index":0,"relevance_score":0.5,"document":{"text":"a"}},'
        b'{"index":1,"relevance_score":0.25,"document":{"image":"https://x/b.png"}}]}'
    )
    assert rf.convert_response(jina, read="jina", write="vllm") == (
        b'{"model":"jina-reranker-v2-base-multilingual",'
        b'"usage":{"prompt_tokens":7,"total_tokens":7},"results":['
        b'{"index":0,"document":{"text":"a","multi_modal":null},"relevance_score":0.5},'
        b'{"index":1,"document":{"text":null,"multi_modal":[{"type":"image_url",'
        b'"image_url":{"url":"https://x/b.png"}}]},"relevance_score":0.25}]}'
    )


def test_a_multimodal_echo_round_trips_and_is_a_reporting_loss_elsewhere() -> None:
    echo = (
        b'{"results":[{"index":0,"document":{"text":null,"multi_modal":['
        b'{"type":"text","text":"a cat"},{"type":"video_url","video_url":{"url":"https://x/v"}}]},'
        b'"relevance_score":0.5}]}'
    )
    response = rf.decode_response(echo, format="vllm")
    assert response.results[0].document == rf.TextDocument(text="a cat")
    assert rf.encode_response(response, format="vllm") == echo
    body, losses = encode_with_losses(response, "jina")
    assert body == b'{"results":[{"index":0,"relevance_score":0.5,"document":{"text":"a cat"}}]}'
    assert loss_list(losses) == [
        (
            "$.results[0].document",
            "vllm's result field `document` has no jina equivalent",
            "reporting",
        )
    ]


# -- errors ------------------------------------------------------------------------------------

NESTED = b'{"error":{"message":"m","type":"BadRequestError","param":null,"code":400}}'


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (NESTED, 400, "BadRequestError"),
        (
            (RECORDED / "vllm/error-flat-not-supported-qwen3-embedding-93.json").read_bytes(),
            400,
            "BadRequestError",
        ),
        (b'{"error":"Unauthorized"}', 401, rf.UNSET),  # the --api-key middleware
    ],
    ids=["nested", "flat", "unauthorized"],
)
def test_each_error_envelope_is_read_and_round_trips(body: bytes, status: int, code: Any) -> None:
    error = rf.decode_error(body, format="vllm")
    assert (error.status, error.code) == (status, code)
    mapped, written = rf.encode_error(error, format="vllm")
    assert (mapped, json.loads(written)) == (status, json.loads(body))


def test_other_errors_are_written_in_the_current_envelope() -> None:
    jina = b'{"detail": "Rate limit reached", "code": "RATE_REQUEST_LIMIT_EXCEEDED"}'
    assert rf.convert_error(jina, read="jina", write="vllm", status=429) == (
        429,
        b'{"error":{"message":"Rate limit reached","type":"RATE_REQUEST_LIMIT_EXCEEDED",'
        b'"param":null,"code":429}}',
    )
    flat = (RECORDED / "vllm/error-flat-missing-model-milvus-42551.json").read_bytes()
    status, written = rf.convert_error(flat, read="vllm", write="jina")
    assert status == 400
    assert json.loads(written)["code"] == "BadRequestError"
    # a validation failure is vLLM's 400, not 422
    assert rf.encode_error(rf.RerankError(status=422, message="bad"), format="vllm") == (
        400,
        b'{"error":{"message":"bad","type":"BadRequestError","param":null,"code":400}}',
    )


def test_a_gateways_envelope_is_left_to_the_openai_format() -> None:
    # vLLM's ErrorInfo has `type: str` and `code: int` (the status); LiteLLM's proxy writes
    # the status as a string, which the `openai` format reads (and "None" means nothing)
    litellm = (RECORDED / "openai/error-litellm-proxy-29156.json").read_bytes()
    assert list(rf.decode_error(litellm, format="jina").extensions) == ["openai"]
    assert list(rf.decode_error(NESTED, format="vllm").extensions) == ["vllm"]
    # read by another format, vLLM's envelope is the gateways' shape it copies
    assert list(rf.decode_error(NESTED, format="jina").extensions) == ["openai"]


def test_a_body_in_no_vllm_shape_is_not_read_as_one() -> None:
    assert rf.decode_error(b"{}", format="vllm").message == (
        "unrecognised vllm error body (JSON in no known error shape): {}"
    )
    assert rf.decode_error(b'{"detail": "d"}', format="vllm").extensions == {}


# -- Jina clients in front of a fake vLLM server ------------------------------------------------


@pytest.fixture(scope="module")
def vllm_upstream() -> Iterator[Stack]:
    """The proxy in front of a fake vLLM server at /v1/rerank."""
    fake = fake_upstream("vllm")
    fake.reply = vllm_server
    with serve(fake.recorder) as upstream_url:
        proxy = Recorder(proxy_app(upstream_url, "vllm"))
        with serve(proxy) as url:
            yield Stack(fake, proxy, url)


def test_llama_index_jina_rerank_in_front_of_vllm(vllm_upstream: Stack) -> None:
    stack = vllm_upstream.answer(vllm_server)
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    schema = require_client("llama_index.core.schema")
    postprocessor = base.JinaRerank(
        model=MODEL, api_key="test-key", base_url=f"{stack.url}/jina/v1", top_n=2
    )
    nodes = [schema.NodeWithScore(node=schema.TextNode(text=text)) for text in DOCUMENTS]
    got = postprocessor.postprocess_nodes(nodes, query_str="What is the capital of France?")
    assert [(n.node.get_content(), n.score) for n in got] == [
        (DOCUMENTS[1], 0.99853515625),
        (DOCUMENTS[0], 0.0005860328674316406),
    ]
    # Jina's return_documents has no place in vLLM's request: not sent (no loss)
    assert stack.sent() == {
        "model": MODEL,
        "query": "What is the capital of France?",
        "documents": DOCUMENTS,
        "top_n": 2,
    }
    [exchange] = stack.proxy.seen
    assert json.loads(exchange.answer) == {
        "model": MODEL,
        "usage": {"total_tokens": 42, "prompt_tokens": 42},
        "results": [
            {"index": 1, "relevance_score": 0.99853515625, "document": {"text": DOCUMENTS[1]}},
            {
                "index": 0,
                "relevance_score": 0.0005860328674316406,
                "document": {"text": DOCUMENTS[0]},
            },
        ],
    }


def test_jina_haystack_ranker_in_front_of_vllm(vllm_upstream: Stack) -> None:
    stack = vllm_upstream.answer(vllm_server)
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    jina = require_client("haystack_integrations.components.rankers.jina")
    haystack = require_client("haystack")
    ranker = jina.JinaRanker(
        model=MODEL,
        api_key=haystack.utils.Secret.from_token("test-key"),
        base_url=f"{stack.url}/jina/v1/rerank",
        top_k=1,
    )
    result = ranker.run(
        query="What is the capital of France?",
        documents=[haystack.Document(content=text) for text in DOCUMENTS],
    )
    assert [(d.content, d.score) for d in result["documents"]] == [(DOCUMENTS[1], 0.99853515625)]
    assert result["meta"] == {"model": MODEL, "usage": {"total_tokens": 42, "prompt_tokens": 42}}


def test_a_jina_client_asking_no_documents_in_front_of_vllm(vllm_upstream: Stack) -> None:
    stack = vllm_upstream.answer(vllm_server)
    request = {"model": MODEL, "query": "q", "documents": DOCUMENTS, "return_documents": False}
    answer = httpx.post(f"{stack.url}/jina/v1/rerank", json=request)
    assert answer.status_code == 200
    # vLLM echoed every document; the client asked none
    assert [
        r["document"]["text"] for r in json.loads(stack.upstream.seen[0].answer)["results"]
    ] == [
        DOCUMENTS[1],
        DOCUMENTS[0],
        DOCUMENTS[2],
    ]
    assert answer.json()["results"] == [
        {"index": 1, "relevance_score": 0.99853515625},
        {"index": 0, "relevance_score": 0.0005860328674316406},
        {"index": 2, "relevance_score": 0.0001},
    ]


def test_a_jina_text_object_in_front_of_vllm_is_sent_as_a_string(vllm_upstream: Stack) -> None:
    stack = vllm_upstream.answer(vllm_server)
    request = {"model": MODEL, "query": "q", "documents": [{"text": DOCUMENTS[0]}]}
    answer = httpx.post(f"{stack.url}/jina/v1/rerank", json=request)
    assert answer.status_code == 200
    assert stack.sent()["documents"] == [DOCUMENTS[0]]
    # the echo is written back in the client's own shape, its {text} object
    assert answer.json()["results"] == [
        {"index": 0, "relevance_score": 0.0005860328674316406, "document": {"text": DOCUMENTS[0]}}
    ]


def test_a_vllm_error_reaches_a_jina_client(vllm_upstream: Stack) -> None:
    flat = (RECORDED / "vllm/error-flat-not-supported-qwen3-embedding-93.json").read_bytes()
    stack = vllm_upstream.answer(lambda _: (400, flat))
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    postprocessor = base.JinaRerank(model=MODEL, api_key="k", base_url=f"{stack.url}/jina/v1")
    with pytest.raises(RuntimeError) as error:
        llama_index_rerank(postprocessor, "jina")
    # llama-index raises RuntimeError(resp["detail"]) (base.py 0.6.0)
    assert str(error.value) == "The model does not support Rerank (Score) API"


# -- vLLM-speaking clients in front of a Jina upstream -----------------------------------------


@pytest.fixture(scope="module")
def jina_upstream() -> Iterator[Stack]:
    """The proxy (vLLM clients welcome at all three routes) in front of a fake Jina."""
    fake = fake_upstream("jina")
    with serve(fake.recorder) as upstream_url:
        proxy = Recorder(Aliases(proxy_app(upstream_url, "jina")))
        with serve(proxy) as url:
            yield Stack(fake, proxy, url)


def jina_answer() -> Reply:
    return recorded_answer("jina")


def test_cohere_v2_sdk_at_vllms_v2_route_in_front_of_jina(jina_upstream: Stack) -> None:
    stack = jina_upstream.answer(jina_answer())
    with cohere.ClientV2(api_key="test-key", base_url=f"{stack.url}/vllm") as client:
        response = client.rerank(
            model="jina-reranker-v2-base-multilingual",
            query=QUERY["jina"],
            documents=DOCS["jina"],
            top_n=2,
        )
    # the cohere SDK 7.3.1 parses vLLM's answer: indices and scores, the rest as extras
    assert [(r.index, r.relevance_score) for r in response.results] == RANKED["jina"][:2]
    assert response.id is None  # the Jina upstream gave none; vLLM's is never invented
    [exchange] = stack.proxy.seen
    assert exchange.path == "/vllm/v2/rerank"  # vLLM's Cohere-compatible route
    answer = json.loads(exchange.answer)
    assert answer["usage"] == {"prompt_tokens": 815, "total_tokens": 815}
    assert [r["document"] for r in answer["results"]] == [
        {"text": DOCS["jina"][i], "multi_modal": None} for i, _ in RANKED["jina"][:2]
    ]
    # what the SDK sent reads as a vLLM request and writes back the same, losing nothing
    sent = rf.decode_request(exchange.body, format="vllm")
    assert json.loads(rf.encode_request(sent, format="vllm")) == json.loads(exchange.body)
    assert stack.sent() == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": QUERY["jina"],
        "documents": DOCS["jina"],
        "top_n": 2,
    }


def test_a_vllm_client_with_images_and_logits_in_front_of_jina(jina_upstream: Stack) -> None:
    stack = jina_upstream.answer(
        lambda _: (
            200,
            b'{"model":"jina-reranker-m0","usage":{"total_tokens":9},"results":[{"index":0,"relevance_score":0.75}]}',
        )
    )
    image = {"content": [{"type": "image_url", "image_url": {"url": "https://x/a.png"}}]}
    request = {"model": "jina-reranker-m0", "query": "q", "documents": [image], "top_n": 0}
    answer = httpx.post(f"{stack.url}/vllm/rerank", json=request)
    assert answer.status_code == 200
    assert stack.sent() == {
        "model": "jina-reranker-m0",
        "query": "q",
        "documents": [{"image": "https://x/a.png"}],
        "top_n": None,  # vLLM's 0 is every result: Jina's null
    }
    # vLLM echoes the document's parts, as its server does
    assert answer.json() == {
        "model": "jina-reranker-m0",
        "usage": {"prompt_tokens": 9, "total_tokens": 9},
        "results": [
            {
                "index": 0,
                "document": {"text": None, "multi_modal": image["content"]},
                "relevance_score": 0.75,
            }
        ],
    }


def test_a_vllm_client_gets_its_content_parts_echoed(jina_upstream: Stack) -> None:
    answer = (
        b'{"model":"m","usage":{"total_tokens":3},'
        b'"results":[{"index":0,"relevance_score":0.5,"document":{"text":"a cat"}}]}'
    )
    stack = jina_upstream.answer(lambda _: (200, answer))
    parts = [{"type": "text", "text": "a cat"}]
    request = {"model": "m", "query": "q", "documents": [{"content": parts}]}
    got = httpx.post(f"{stack.url}/vllm/v1/rerank", json=request)
    # Jina ranked the text; the client gets back the parts it sent, as vLLM echoes them
    assert stack.sent()["documents"] == [{"text": "a cat"}]
    assert got.json()["results"] == [
        {"index": 0, "document": {"text": None, "multi_modal": parts}, "relevance_score": 0.5}
    ]


def test_a_vllm_video_document_is_refused_in_front_of_jina(jina_upstream: Stack) -> None:
    stack = jina_upstream.answer(lambda _: (500, b"{}"))
    parts = [
        {"type": "text", "text": "a cat"},
        {"type": "video_url", "video_url": {"url": "https://x/v.mp4"}},
    ]
    request = {"model": "m", "query": "q", "documents": [{"content": parts}]}
    got = httpx.post(f"{stack.url}/vllm/v1/rerank", json=request)
    # a ranking loss: the proxy refuses it (on_loss="raise_ranking") rather than rank the text
    assert got.status_code == 400
    assert got.json()["error"]["message"] == (
        "the upstream (jina) cannot take this request as it is ($.documents: vllm's"
        " multimodal inputs (0) have no jina equivalent; their text is sent)"
    )
    assert stack.upstream.seen == []


def test_a_jina_error_reaches_a_vllm_client(jina_upstream: Stack) -> None:
    body = b'{"detail": "Invalid API key", "code": "AUTH_INVALID_API_KEY"}'
    stack = jina_upstream.answer(lambda _: (401, body))
    with (
        cohere.ClientV2(api_key="k", base_url=f"{stack.url}/vllm") as client,
        pytest.raises(cohere.errors.UnauthorizedError) as error,
    ):
        client.rerank(model="m", query="q", documents=["a"])
    assert error.value.status_code == 401
    assert error.value.body == {
        "error": {
            "message": "Invalid API key",
            "type": "AUTH_INVALID_API_KEY",
            "param": None,
            "code": 401,
        }
    }
