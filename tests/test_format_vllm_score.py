"""The `vllm_score` format's quirks (vLLM's `POST /score`, rerank_formats/formats/vllm_score.py
cites each), exactly, and clients on both sides of the proxy: a Jina client in front of a fake
vLLM /score, and a /score client in front of a Jina upstream."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from clients import DOCS, QUERY, RANKED, Stack, loopback_only, recorded_answer, require_client
from helpers import RECORDED, encode_with_losses
from servers import Recorder, fake_upstream, proxy_app, serve

import rerank_formats as rf
from rerank_formats.formats import vllm_score
from rerank_formats.proxy import CLIENT_PATHS, NATIVE_PATHS

__all__ = ["loopback_only"]  # the autouse fixture: no connection leaves 127.0.0.1

MODEL = "BAAI/bge-reranker-v2-m3"


def loss_list(losses: list[rf.Loss]) -> list[tuple[str, str, str]]:
    return [(loss.path, loss.reason, loss.kind) for loss in losses]


def test_endpoint_is_score_and_its_deprecated_alias() -> None:
    assert (
        rf.registry.Endpoint(method="POST", path="/score", aliases=("/v1/score",))
        == vllm_score.ENDPOINT
    )
    assert (NATIVE_PATHS["vllm_score"], CLIENT_PATHS["vllm_score"]) == ("/score", "/vllm/score")
    assert vllm_score.SCORE_SCALE == "probability"


# -- requests ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("text_1", "text_2"), ("queries", "documents"), ("queries", "items"), ("data_1", "data_2")],
)
def test_every_one_to_many_form_is_a_rerank_request(first: str, second: str) -> None:
    body = f'{{"model":"m","{first}":"q","{second}":["a","b"]}}'.encode()
    request = rf.decode_request(body, format="vllm_score")
    assert (request.model, request.query, request.documents) == ("m", "q", ("a", "b"))
    assert rf.encode_request(request, format="vllm_score") == body  # its own keys back
    assert rf.encode_request(request, format="jina") == (
        b'{"model":"m","query":"q","documents":["a","b"]}'
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [("text_1", "text_2"), ("queries", "documents"), ("queries", "items"), ("data_1", "data_2")],
)
def test_every_one_to_many_form_is_held_to_the_limits_at_its_own_key(
    first: str, second: str
) -> None:
    many = {"model": "m", first: "q", second: ["a", "b", "c"]}
    for body in (json.dumps(many).encode(), many):  # bytes and parsed: the same refusal
        with pytest.raises(rf.DecodeError) as caught:
            rf.decode_request(body, format="vllm_score", limits=rf.Limits(max_documents=2))
        error = caught.value
        assert (error.type, error.path, error.message) == (
            "too_many_documents",
            f"$.{second}",
            "3 documents; the limit is 2",
        )
    assert rf.validate(
        json.dumps(many).encode(),
        format="vllm_score",
        kind="request",
        limits=rf.Limits(max_documents=2),
    ) == (
        rf.Problem(
            path=f"$.{second}",
            type="too_many_documents",
            message="3 documents; the limit is 2",
            severity="error",
        ),
    )
    short = rf.Limits(max_document_length=10)
    for body, path in (
        ({"model": "m", first: "q" * 11, second: ["a"]}, f"$.{first}"),
        ({"model": "m", first: "q", second: ["a", "b" * 11]}, f"$.{second}[1]"),
    ):
        with pytest.raises(rf.DecodeError) as caught:
            rf.decode_request(json.dumps(body).encode(), format="vllm_score", limits=short)
        error = caught.value
        assert (error.type, error.path, error.message) == (
            "too_long",
            path,
            "11 characters; the limit is 10",
        )


def test_one_pair_and_a_list_of_one_query_round_trip() -> None:
    recorded = (
        RECORDED / "vllm_score/test-online-score-text-1-str-text-2-str-request.json"
    ).read_bytes()
    request = rf.decode_request(recorded, format="vllm_score")
    assert request.documents == ("The capital of France is Paris.",)
    assert json.loads(rf.encode_request(request, format="vllm_score")) == json.loads(recorded)
    listed = b'{"text_1":["q"],"text_2":["a"]}'
    assert (
        rf.encode_request(rf.decode_request(listed, format="vllm_score"), format="vllm_score")
        == listed
    )


def test_the_many_to_many_form_is_refused() -> None:
    recorded = (
        RECORDED / "vllm_score/test-online-score-text-1-list-text-2-list-request.json"
    ).read_bytes()
    with pytest.raises(rf.DecodeError) as error:
        rf.decode_request(recorded, format="vllm_score")
    assert (error.value.type, error.value.path, error.value.message) == (
        "unsupported_shape",
        "$.text_1",
        "2 first inputs score pairs one to one; a rerank request has one query",
    )


def test_a_request_without_a_pair_is_refused() -> None:
    with pytest.raises(rf.DecodeError) as error:
        rf.decode_request(b'{"text_1": "q", "documents": ["a"]}', format="vllm_score")
    assert (error.value.type, error.value.path) == ("missing_field", "$")
    assert error.value.message == (
        "expected `text_1` and `text_2` (or `queries` and `documents` or `items`,"
        " or `data_1` and `data_2`)"
    )


def test_top_n_has_no_place_the_context_cuts_the_scores() -> None:
    body, losses = encode_with_losses(
        rf.decode_request(
            b'{"model": "m", "query": "q", "documents": ["a", "b"], "top_n": 1}', format="jina"
        ),
        "vllm_score",
    )
    assert body == b'{"model":"m","text_1":"q","text_2":["a","b"]}'
    assert loss_list(losses) == [
        (
            "$.top_n",
            "vllm_score returns every score (the request's context cuts them to top_n)",
            "reporting",
        )
    ]


def test_use_activation_false_gives_logits() -> None:
    recorded = (
        RECORDED / "vllm_score/test-online-score-use-activation-false-request.json"
    ).read_bytes()
    assert vllm_score.response_scale(rf.decode_request(recorded, format="vllm_score")) == "logit"
    assert vllm_score.response_scale(None) == "probability"


# -- responses ---------------------------------------------------------------------------------

DOCS_ANSWER = (RECORDED / "vllm_score/score-response-batch-docs.json").read_bytes()


def test_scores_in_input_order_read_ranked_and_round_trip() -> None:
    response = rf.decode_response(DOCS_ANSWER, format="vllm_score")
    assert [(r.index, r.relevance_score) for r in response.results] == [
        (1, 1.0),
        (0, 0.001094818115234375),
    ]
    assert response.usage is rf.UNSET  # the docs' `{}` says nothing
    assert json.loads(rf.encode_response(response, format="vllm_score")) == json.loads(DOCS_ANSWER)


def test_a_jina_client_gets_the_scores_sorted_and_cut() -> None:
    answer = rf.convert_response(
        DOCS_ANSWER,
        read="vllm_score",
        write="jina",
        request=b'{"model": "m", "query": "q", "documents": ["a", "b"], "top_n": 1}',
    )
    assert answer == (
        b'{"model":"BAAI/bge-reranker-v2-m3","object":"list","usage":null,'
        b'"results":[{"index":1,"relevance_score":1.0,"document":{"text":"b"}}]}'
    )


def test_written_from_jina_the_scores_are_in_input_order() -> None:
    jina = (
        b'{"model":"m","usage":{"total_tokens":7},"results":['
        b'{"index":2,"relevance_score":0.9,"document":{"text":"c"}},'
        b'{"index":0,"relevance_score":0.5},{"index":1,"relevance_score":0.25}]}'
    )
    assert rf.convert_response(jina, read="jina", write="vllm_score") == (
        b'{"object":"list","model":"m","data":[{"index":0,"object":"score","score":0.5},'
        b'{"index":1,"object":"score","score":0.25},{"index":2,"object":"score","score":0.9}],'
        b'"usage":{"prompt_tokens":7,"total_tokens":7,"completion_tokens":0}}'
    )


def test_a_response_cut_to_top_n_misses_scores_a_reporting_loss() -> None:
    response = rf.decode_response(
        b'{"results": [{"index": 2, "relevance_score": 0.9}]}', format="jina"
    )
    request = rf.decode_request(b'{"text_1": "q", "text_2": ["a", "b", "c"]}', format="vllm_score")
    with pytest.warns(rf.LossWarning) as caught:
        body = rf.encode_response(response, format="vllm_score", request=request, on_loss="warn")
    assert body == b'{"object":"list","data":[{"index":2,"object":"score","score":0.9}]}'
    assert [str(w.message) for w in caught] == [
        "$.data: vllm_score answers one score per document; 2 have none"
        " (the response was cut to top_n) (vllm_score)"
    ]


def test_tied_scores_out_of_input_order_are_a_reporting_loss() -> None:
    tied = rf.RerankResponse(
        results=(
            rf.RerankResult(index=1, relevance_score=0.5),
            rf.RerankResult(index=0, relevance_score=0.5),
        )
    )
    body, losses = encode_with_losses(tied, "vllm_score")
    assert body == (
        b'{"object":"list","data":[{"index":0,"object":"score","score":0.5},'
        b'{"index":1,"object":"score","score":0.5}]}'
    )
    assert loss_list(losses) == [
        (
            "$.data",
            "vllm_score lists scores in input order: the order of tied scores is not kept",
            "reporting",
        )
    ]


def test_usage_info_round_trips_whole() -> None:
    body = (
        b'{"id":"score-1","object":"list","created":1,"model":"m",'
        b'"data":[{"index":0,"object":"score","score":0.5}],"usage":{"prompt_tokens":9,'
        b'"total_tokens":9,"completion_tokens":0,"prompt_tokens_details":null}}'
    )
    response = rf.decode_response(body, format="vllm_score")
    assert response.usage == rf.Usage(total_tokens=9, prompt_tokens=9, completion_tokens=0)
    assert rf.encode_response(response, format="vllm_score") == body
    assert rf.encode_response(response, format="jina") == (
        b'{"model":"m","object":"list","usage":{"total_tokens":9,"prompt_tokens":9,'
        b'"completion_tokens":0},"results":[{"index":0,"relevance_score":0.5}]}'
    )


def test_errors_are_vllms() -> None:
    flat = (RECORDED / "vllm_score/error-flat-not-supported-qwen3-embedding-93.json").read_bytes()
    error = rf.decode_error(flat, format="vllm_score")
    assert (error.status, error.message, error.code) == (
        400,
        "The model does not support Rerank (Score) API",
        "BadRequestError",
    )
    assert rf.encode_error(rf.RerankError(status=503, message="busy"), format="vllm_score") == (
        503,
        b'{"error":{"message":"busy","type":"ServiceUnavailableError","param":null,"code":503}}',
    )


# -- clients on both sides ---------------------------------------------------------------------

SCORES = {"a": 0.1, "b": 0.8, "c": 0.3}


def score_server(body: bytes) -> tuple[int, bytes]:
    """What vLLM's /score answers (serving.py `_request_output_to_score_response`): one score
    per pair, in input order."""
    sent = json.loads(body)
    second = sent["text_2"] if isinstance(sent["text_2"], list) else [sent["text_2"]]
    data = [{"index": i, "object": "score", "score": SCORES[d]} for i, d in enumerate(second)]
    usage = {
        "prompt_tokens": 12,
        "total_tokens": 12,
        "completion_tokens": 0,
        "prompt_tokens_details": None,
    }
    answer = {
        "id": "score-9",
        "object": "list",
        "created": 5,
        "model": MODEL,
        "data": data,
        "usage": usage,
    }
    return 200, json.dumps(answer).encode()


@pytest.fixture(scope="module")
def score_upstream() -> Iterator[Stack]:
    fake = fake_upstream("vllm_score")
    with serve(fake.recorder) as upstream_url:
        proxy = Recorder(proxy_app(upstream_url, "vllm_score"))
        with serve(proxy) as url:
            yield Stack(fake, proxy, url)


# the proxy warns of the request's top_n, which /score has no place for (a reporting loss:
# it cuts the scores itself), in its server's thread
@pytest.mark.filterwarnings("ignore::rerank_formats.LossWarning")
def test_llama_index_jina_rerank_in_front_of_vllm_score(score_upstream: Stack) -> None:
    stack = score_upstream.answer(score_server)
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    schema = require_client("llama_index.core.schema")
    postprocessor = base.JinaRerank(
        model=MODEL, api_key="k", base_url=f"{stack.url}/jina/v1", top_n=2
    )
    nodes = [schema.NodeWithScore(node=schema.TextNode(text=t)) for t in ("a", "b", "c")]
    got = postprocessor.postprocess_nodes(nodes, query_str="q")
    assert [(n.node.get_content(), n.score) for n in got] == [("b", 0.8), ("c", 0.3)]
    assert stack.upstream.seen[0].path == "/score"
    assert stack.sent() == {"model": MODEL, "text_1": "q", "text_2": ["a", "b", "c"]}
    [exchange] = stack.proxy.seen
    assert json.loads(exchange.answer) == {
        "model": MODEL,
        "object": "list",
        "usage": {"total_tokens": 12, "prompt_tokens": 12, "completion_tokens": 0},
        "results": [
            {"index": 1, "relevance_score": 0.8, "document": {"text": "b"}},
            {"index": 2, "relevance_score": 0.3, "document": {"text": "c"}},
        ],
    }


@pytest.fixture(scope="module")
def jina_upstream() -> Iterator[Stack]:
    fake = fake_upstream("jina")
    with serve(fake.recorder) as upstream_url:
        proxy = Recorder(proxy_app(upstream_url, "jina"))
        with serve(proxy) as url:
            yield Stack(fake, proxy, url)


def test_a_score_client_in_front_of_jina(jina_upstream: Stack) -> None:
    stack = jina_upstream.answer(recorded_answer("jina"))
    request = {
        "model": "jina-reranker-v2-base-multilingual",
        "queries": QUERY["jina"],
        "documents": DOCS["jina"],
    }
    answer = httpx.post(f"{stack.url}/vllm/score", json=request)
    assert answer.status_code == 200
    assert stack.sent() == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": QUERY["jina"],
        "documents": DOCS["jina"],
    }
    # the recorded Jina answer ranks three of the ten documents; in input order for /score
    ranked = sorted(RANKED["jina"])
    assert [(d["index"], d["score"]) for d in answer.json()["data"]] == ranked
    assert answer.json()["usage"] == {
        "prompt_tokens": 815,
        "total_tokens": 815,
        "completion_tokens": 0,
    }


def test_a_score_client_gets_a_zip_refused(jina_upstream: Stack) -> None:
    stack = jina_upstream.answer(recorded_answer("jina"))
    answer = httpx.post(
        f"{stack.url}/vllm/score", json={"text_1": ["a", "b"], "text_2": ["c", "d"]}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "BadRequestError"
    assert stack.upstream.seen == []
