"""What real clients send to the seed formats and expect back (#9).

Each body is what a named client sends (read from its installed source, version given); the
judge is that client, not our reading of a spec.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from typing import Any

import cohere
import msgspec.inspect as mi
import pytest
from cohere import RerankRelevantSpans
from cohere.v2.types.v2rerank_response import V2RerankResponse
from helpers import encode_with_losses
from servers import FakeUpstream, serve

import rerank_formats as rf
from rerank_formats.formats import vllm_score
from rerank_formats.registry import get_codec

DOCS = ["Carson City is in Nevada.", "Washington, D.C. is the capital."]

# langchain-cohere 0.6.0 CohereRerank (rerank.py): `max_tokens_per_doc` is always passed on,
# None when unset, and cohere 5.x sends it as null.
LANGCHAIN_COHERE_V2 = {
    "model": "rerank-v3.5",
    "query": "capital",
    "documents": DOCS,
    "top_n": 1,
    "max_tokens_per_doc": None,
}
# cohere-python 5.x `Client.rerank`: every unset optional field as null (langchain-cohere's
# VCR cassettes, libs/cohere/tests/integration_tests/cassettes/, record Cohere answering 200).
COHERE_5_V1 = {
    "model": "rerank-english-v3.0",
    "query": "capital",
    "documents": DOCS,
    "top_n": None,
    "rank_fields": None,
    "return_documents": False,
    "max_chunks_per_doc": None,
}
# cohere-haystack 11.0.0 CohereRanker (ranker.py): `max_tokens_per_doc` 4096, always.
COHERE_HAYSTACK_V2 = {
    "model": "rerank-v3.5",
    "query": "capital",
    "documents": DOCS,
    "top_n": 2,
    "max_tokens_per_doc": 4096,
}
# The cohere SDK 7.3.1 `ClientV2.rerank(..., relevant_spans=RerankRelevantSpans(...),
# priority=...)` (cohere/v2/raw_client.py).
COHERE_7_V2 = {
    "model": "rerank-v5.0-pro",
    "query": "capital",
    "documents": DOCS,
    "relevant_spans": {"mode": "enabled", "threshold": 0.2, "max_spans": 2},
    "priority": 3,
}
# litellm 1.110 `rerank(custom_llm_provider="cohere")` on the v2 path
# (llms/cohere/rerank_v2/transformation.py): `return_documents` defaults to true.
LITELLM_V2 = {
    "model": "rerank-v3.5",
    "query": "capital",
    "documents": DOCS,
    "return_documents": True,
}


def _bytes(body: object) -> bytes:
    return json.dumps(body).encode()


# -- 1. explicit nulls ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "body"),
    [("cohere_v2", LANGCHAIN_COHERE_V2), ("cohere_v1", COHERE_5_V1)],
    ids=["langchain-cohere-v2", "cohere-5-v1"],
)
def test_sdk_nulls_round_trip_exactly_validate_and_are_detected(fmt: str, body: object) -> None:
    assert json.loads(rf.convert_request(_bytes(body), read=fmt, write=fmt)) == body
    assert rf.validate(_bytes(body), format=fmt, kind="request") == ()
    # detect calls it ambiguous exactly when another registered format reads it with no
    # problem at all: vLLM's /v2/rerank is Cohere-compatible, so the langchain-cohere v2 body
    # fits vllm as well, while the v1 body's `rank_fields`/`max_chunks_per_doc` are Cohere v1's
    clean = [f for f in rf.FORMATS if rf.validate(_bytes(body), format=f, kind="request") == ()]
    assert clean[0] == fmt
    matches = rf.detect(_bytes(body))
    best = matches[0]
    assert (best.format, best.kind, best.ambiguous) == (fmt, "request", len(clean) > 1)
    assert [(m.format, m.ambiguous) for m in matches if not m.warnings] == [
        (f, len(clean) > 1) for f in clean
    ]


def test_a_null_is_no_loss_elsewhere() -> None:
    request = rf.decode_request(_bytes(LANGCHAIN_COHERE_V2), format="cohere_v2")
    assert request.max_doc_length is rf.canonical.UNSET
    assert rf.encode_request(request, format="cohere_v1") == (
        b'{"model":"rerank-v3.5","query":"capital","documents":["Carson City is in Nevada.",'
        b'"Washington, D.C. is the capital."],"top_n":1,"return_documents":false}'
    )
    v1 = rf.decode_request(_bytes(COHERE_5_V1), format="cohere_v1")
    for fmt in ("jina", "cohere_v2", "xinference"):
        assert encode_with_losses(v1, fmt)[1] == []
    assert rf.convert_request(_bytes(COHERE_5_V1), read="cohere_v1", write="jina") == (
        b'{"model":"rerank-english-v3.0","query":"capital","documents":["Carson City is in Nevada.",'
        b'"Washington, D.C. is the capital."],"top_n":null,"return_documents":false}'
    )


def test_a_null_model_in_cohere_v1_is_kept_for_cohere_v1_only() -> None:
    body = {"model": None, "query": "q", "documents": ["a"]}
    assert json.loads(rf.convert_request(_bytes(body), read="cohere_v1", write="cohere_v1")) == body
    request = rf.decode_request(_bytes(body), format="cohere_v1")
    with pytest.raises(rf.LossyConversionError) as lossy:
        rf.encode_request(request, format="cohere_v2")
    assert [str(loss) for loss in lossy.value.losses] == [
        "$.model: cohere_v2 requires `model`; the request has none (cohere_v2)"
    ]


# -- 2. current Cohere v2 fields ---------------------------------------------------------------


def test_relevant_spans_and_priority_round_trip_and_are_reporting_losses_elsewhere() -> None:
    body = _bytes(COHERE_7_V2)
    assert json.loads(rf.convert_request(body, read="cohere_v2", write="cohere_v2")) == COHERE_7_V2
    assert rf.validate(body, format="cohere_v2", kind="request") == ()
    best = rf.detect(body)[0]
    assert (best.format, best.kind, best.ambiguous) == ("cohere_v2", "request", False)
    request = rf.decode_request(body, format="cohere_v2")
    _, losses = encode_with_losses(request, "jina")
    assert [(loss.path, loss.reason, loss.kind) for loss in losses] == [
        ("$.relevant_spans", "cohere_v2's relevant spans have no jina equivalent", "reporting"),
        ("$.priority", "cohere_v2's scheduling priority has no jina equivalent", "reporting"),
    ]
    disabled = {**COHERE_7_V2, "relevant_spans": {"mode": "disabled"}, "priority": 0}
    request = rf.decode_request(_bytes(disabled), format="cohere_v2")
    assert encode_with_losses(request, "jina")[1] == []


SPANS_ANSWER = {
    "id": "c0ffee",
    "results": [
        {
            "index": 1,
            "relevance_score": 0.9,
            "relevant_spans": [{"start": 0, "end": 16, "score": 0.8}],
        },
        {"index": 0, "relevance_score": 0.1},
    ],
    "meta": {
        "api_version": {"version": "2"},
        "billed_units": {"search_units": 1},
        "cached_tokens": 12,
    },
}


def test_relevant_spans_in_results_and_cached_tokens_round_trip() -> None:
    body = _bytes(SPANS_ANSWER)
    converted = rf.convert_response(body, read="cohere_v2", write="cohere_v2")
    assert json.loads(converted) == SPANS_ANSWER
    V2RerankResponse.model_validate_json(converted)  # the SDK's own model
    assert rf.validate(body, format="cohere_v2", kind="response") == ()
    best = rf.detect(body)[0]
    assert (best.format, best.kind, best.ambiguous) == ("cohere_v2", "response", False)
    response = rf.decode_response(body, format="cohere_v2")
    _, losses = encode_with_losses(response, "jina")
    assert [(loss.path, loss.reason, loss.kind) for loss in losses] == [
        (
            "$.results[0].relevant_spans",
            "cohere_v2's result field `relevant_spans` has no jina equivalent",
            "reporting",
        )
    ]


def test_relevant_spans_and_an_unknown_result_key_are_both_kept() -> None:
    spans = [{"start": 2, "end": 3, "score": 0.5}]
    body = {"results": [{"index": 0, "relevance_score": 0.5, "relevant_spans": spans, "x": 1}]}
    assert json.loads(rf.convert_response(_bytes(body), read="cohere_v2", write="cohere_v2")) == (
        body
    )


# -- 3. return_documents sent to Cohere v2 ------------------------------------------------------


def test_return_documents_sent_to_cohere_v2_is_the_canonical_one() -> None:
    body = _bytes(LITELLM_V2)
    request = rf.decode_request(body, format="cohere_v2")
    assert request.return_documents is True
    assert json.loads(rf.convert_request(body, read="cohere_v2", write="cohere_v2")) == LITELLM_V2
    assert rf.validate(body, format="cohere_v2", kind="request") == ()
    assert rf.convert_request(body, read="cohere_v2", write="jina") == (
        b'{"model":"rerank-v3.5","query":"capital","documents":["Carson City is in Nevada.",'
        b'"Washington, D.C. is the capital."],"return_documents":true}'
    )
    jina = rf.decode_request(rf.encode_request(request, format="jina"), format="jina")
    assert b"return_documents" not in rf.encode_request(jina, format="cohere_v2")


# -- 4. a value at the provider's default is no loss ----------------------------------------------


@pytest.mark.parametrize("fmt", ["cohere_v1", "xinference"])
def test_cohere_haystack_default_max_tokens_per_doc_is_no_loss(fmt: str) -> None:
    body = _bytes(COHERE_HAYSTACK_V2)
    rf.convert_request(body, read="cohere_v2", write=fmt)  # on_loss="raise": no loss
    assert json.loads(rf.convert_request(body, read="cohere_v2", write="cohere_v2")) == (
        COHERE_HAYSTACK_V2
    )
    other = _bytes({**COHERE_HAYSTACK_V2, "max_tokens_per_doc": 512})
    with pytest.raises(rf.LossyConversionError) as lossy:
        rf.convert_request(other, read="cohere_v2", write=fmt)
    assert [(loss.path, loss.kind) for loss in lossy.value.losses] == [
        ("$.max_doc_length", "ranking")
    ]


# -- 5. losses have a kind ---------------------------------------------------------------------

XINFERENCE_RETURN_LEN = b'{"model": "bge", "query": "q", "documents": ["a"], "return_len": true}'


def test_raise_ranking_lets_reporting_losses_through_with_a_warning() -> None:
    with pytest.raises(rf.LossyConversionError):
        rf.convert_request(XINFERENCE_RETURN_LEN, read="xinference", write="cohere_v2")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        body = rf.convert_request(
            XINFERENCE_RETURN_LEN, read="xinference", write="cohere_v2", on_loss="raise_ranking"
        )
    assert body == b'{"model":"bge","query":"q","documents":["a"]}'
    assert [str(w.message) for w in caught] == [
        "$.return_len: cohere_v2 reports no token usage to answer `return_len` with (cohere_v2)"
    ]
    assert [w.message.loss.kind for w in caught] == ["reporting"]  # type: ignore[union-attr]


def test_raise_ranking_refuses_ranking_losses_and_lists_only_them() -> None:
    request = rf.RerankRequest(
        model="jina-reranker-m0",
        query="q",
        documents=(rf.ImageDocument(image="https://example.com/a.png"), "b"),
        return_embeddings=True,
    )
    with pytest.raises(rf.LossyConversionError) as lossy:
        rf.encode_request(request, format="cohere_v2", on_loss="raise_ranking")
    assert [(loss.path, loss.kind) for loss in lossy.value.losses] == [
        ("$.documents[0]", "ranking")
    ]
    assert str(lossy.value) == (
        "cohere_v2 cannot express $.documents[0]: cohere_v2 takes text only, not an image document"
    )


def test_every_response_loss_is_a_reporting_loss() -> None:
    response = rf.RerankResponse(
        results=(
            rf.RerankResult(
                index=0,
                relevance_score=0.5,
                document=rf.ImageDocument(image="https://example.com/a.png"),
                embedding=[0.1],
            ),
        ),
        usage=rf.Usage(total_tokens=3, prompt_tokens=2, completion_tokens=2),
    )
    _, losses = encode_with_losses(response, "cohere_v1")
    assert [(loss.path, loss.kind) for loss in losses] == [
        ("$.results[0].embedding", "reporting"),
        ("$.results[0].document", "reporting"),
        ("$.usage.total_tokens", "reporting"),
    ]
    with pytest.warns(rf.LossWarning) as warned:
        rf.encode_response(response, format="cohere_v1", on_loss="raise_ranking")  # no error
    assert len(warned) == 3


# -- 6. Xinference's native shapes -------------------------------------------------------------

XINFERENCE_CLIENT = (
    b'{"model": "bge", "query": "q", "documents": ["a", "b"], "return_documents": true}'
)
JINA_ANSWER = (
    b'{"model": "jina-reranker-v2-base-multilingual", "object": "list", "usage": {"total_tokens": 9},'
    b' "results": [{"index": 1, "relevance_score": 0.9, "document": "b"},'
    b' {"index": 0, "relevance_score": 0.2, "document": "a"}]}'
)


def test_xinference_writes_text_objects_and_tokens_only_when_asked() -> None:
    request = rf.decode_request(XINFERENCE_CLIENT, format="xinference")
    answer = rf.convert_response(JINA_ANSWER, read="jina", write="xinference", request=request)
    assert json.loads(answer) == {
        "results": [
            {"index": 1, "relevance_score": 0.9, "document": {"text": "b"}},
            {"index": 0, "relevance_score": 0.2, "document": {"text": "a"}},
        ],
        "meta": {"api_version": None, "billed_units": None, "tokens": None, "warnings": None},
    }
    asked = rf.decode_request(
        XINFERENCE_CLIENT[:-1] + b', "return_len": true}', format="xinference"
    )
    answer = rf.convert_response(JINA_ANSWER, read="jina", write="xinference", request=asked)
    assert json.loads(answer)["meta"]["tokens"] == {"input_tokens": 9, "output_tokens": 9}


@pytest.mark.parametrize(
    ("body", "return_documents"),
    [
        ({"results": [{"index": 0, "relevance_score": 0.5, "document": None}]}, b"false"),
        ({"id": "x", "results": [{"index": 0, "relevance_score": 0.5, "document": "a"}], "meta": {
            "api_version": None, "billed_units": None, "tokens": None, "warnings": None}}, b"true"),
    ],
    ids=["before-v0.12.2-no-meta", "llama-cpp-bare-string"],
)  # fmt: skip
def test_xinference_own_round_trip_is_exact(
    body: dict[str, object], return_documents: bytes
) -> None:
    request = rf.decode_request(
        b'{"model": "m", "query": "q", "documents": ["a"], "return_documents": %s}'
        % return_documents,
        format="xinference",
    )
    for context in (None, request):
        assert (
            json.loads(rf.convert_response(_bytes(body), read="xinference", write="xinference",
                                           request=context))
            == body
        )  # fmt: skip


# -- 7. unknown usage, and asking Xinference for it ------------------------------------------------

COHERE_ANSWER = b'{"id": "c", "results": [{"index": 0, "relevance_score": 0.5}], "meta": {"billed_units": {"search_units": 1}}}'


def test_a_jina_client_gets_usage_from_an_xinference_upstream() -> None:
    jina = b'{"model": "bge", "query": "q", "documents": ["a"]}'
    assert rf.convert_request(jina, read="jina", write="xinference") == (
        b'{"model":"bge","query":"q","documents":["a"],"return_documents":true,"return_len":true}'
    )


@pytest.mark.parametrize(
    ("usage", "expected"),
    [("null", {"usage": None}), ("omit", {}), ("zero", {"usage": {"total_tokens": 0}})],
)
def test_unknown_usage_policy(usage: rf.UnknownUsage, expected: dict[str, object]) -> None:
    request = rf.decode_request(b'{"model": "m", "query": "q", "documents": ["a"]}', format="jina")
    answer = rf.convert_response(
        COHERE_ANSWER, read="cohere_v2", write="jina", request=request, usage=usage
    )
    assert json.loads(answer) == {
        "model": "m",
        **expected,
        "results": [{"index": 0, "relevance_score": 0.5, "document": {"text": "a"}}],
    }
    cohere = rf.convert_response(
        COHERE_ANSWER, read="cohere_v2", write="cohere_v1", request=request, usage=usage
    )
    assert b"tokens" not in cohere  # only a format that always reports usage is concerned


def test_an_unknown_usage_policy_is_refused() -> None:
    with pytest.raises(rf.RerankFormatError) as refused:
        rf.convert_response(COHERE_ANSWER, read="cohere_v2", write="jina", usage="0")  # type: ignore[arg-type]
    assert str(refused.value) == "usage must be 'null', 'omit' or 'zero', not '0'"


def test_a_relevant_spans_mode_cohere_does_not_know_is_an_error() -> None:
    body = _bytes({**COHERE_7_V2, "relevant_spans": {"mode": "on"}})
    assert [
        (p.path, p.severity, p.message)
        for p in rf.validate(body, format="cohere_v2", kind="request")
    ] == [("$.relevant_spans.mode", "error", 'the mode is "enabled" or "disabled"')]


@pytest.mark.parametrize("fmt", ["cohere_v1", "cohere_v2"])
def test_a_null_response_id_is_read_and_kept(fmt: str) -> None:
    # `id: Optional[str]` in the SDK's RerankResponse and V2RerankResponse (7.3.1)
    body = b'{"id":null,"results":[{"index":0,"relevance_score":0.5}]}'
    assert rf.convert_response(body, read=fmt, write=fmt) == body


# The audit of item 1: every optional request field of every format takes a null, as the
# official clients' types say (cohere SDK 7.3.1: all `Optional`; Xinference's pydantic
# `RerankRequest`: all `Optional`; Jina's OpenAPI: `anyOf [..., null]`), except the fields
# whose provider documents no null.
NOT_NULLABLE = {
    "jina": {"max_doc_length"},  # RerankerV3Request: "type": "integer"
    # TEI's RerankRequest (types.rs): Rust `bool`s and an enum, which serde refuses as null
    "tei": {"raw_scores", "return_text", "truncation_direction"},
    # vLLM's RerankRequest: `top_n: int`, `request_id: str`, `priority: int`
    "vllm": {"top_n", "request_id", "priority"},
    # and ScoreRequest's inputs (`ScoreInputs`, no None)
    "vllm_score": {"request_id", "priority"} | {k for pair in vllm_score.PAIRS for k in pair},
    # RerankInput: `bool = False`, `str = "default/not-specified"` (only top_n is Optional);
    # pydantic answers 422 to their nulls
    "infinity": {"model", "raw_scores", "return_documents"},
    # Pinecone's OpenAPI (fixtures/specs/pinecone-rerank-2025-10.openapi.json) marks no field
    # nullable, and the pinecone SDK leaves an unset one out
    "pinecone": {"top_n", "return_documents", "rank_fields", "parameters"},
    # the dashscope SDK always sends `parameters` as an object (api_request_data.py)
    "dashscope": {"parameters"},
    # botocore's RerankRequest: `nextToken` is a string, and boto3 refuses None before sending
    "bedrock": {"nextToken"},
    # the mixedbread SDK's `model: str` (NOT_GIVEN when unset, never null)
    "mixedbread": {"model"},
}


@pytest.mark.parametrize("fmt", rf.FORMATS)
def test_every_optional_request_field_takes_a_null_unless_documented(fmt: str) -> None:
    codec = get_codec(fmt, "request")
    info = mi.type_info(codec.general)
    assert isinstance(info, mi.StructType)
    optional = sorted(f.encode_name for f in info.fields if not f.required)
    # the format's own writer gives a valid body of its shape (its documents key, envelopes),
    # and each optional top-level field is then set to null at its wire key
    # (a format that cannot express the model, such as tei, leaves it out)
    canonical = rf.RerankRequest(model="m", query="q", documents=["a"])
    written = json.loads(rf.encode_request(canonical, format=fmt, on_loss="ignore"))
    nullable = []
    for name in optional:
        body = _bytes({**written, name: None})
        try:
            converted = rf.convert_request(body, read=fmt, write=fmt)
        except rf.DecodeError as error:
            assert (error.path, error.type) == (f"$.{name}", "wrong_type")
            continue
        assert json.loads(converted) == json.loads(body)
        nullable.append(name)
    assert sorted(set(optional) - set(nullable)) == sorted(NOT_NULLABLE.get(fmt, ()))


# -- the cohere SDK 7.3.1 itself, against a server on 127.0.0.1 that answers with the library ---


def _library_server(path: str, fmt: str, answer: bytes) -> FakeUpstream:
    """A server that reads each request as `fmt` and answers `answer` as the library writes
    it for that request (a `DecodeError` becomes Cohere's 400)."""
    server = FakeUpstream(path)

    def reply(body: bytes) -> tuple[int, bytes]:
        try:
            request = rf.decode_request(body, format=fmt)
        except rf.DecodeError as error:
            return 400, rf.encode_error(rf.RerankError(status=400, message=str(error)), format=fmt)[
                1
            ]
        response = rf.decode_response(answer, format=fmt)
        return 200, rf.encode_response(response, format=fmt, request=request)

    server.reply = reply
    return server


def test_the_cohere_sdk_v2_sends_nulls_and_spans_and_reads_them_back() -> None:
    server = _library_server("/v2/rerank", "cohere_v2", _bytes(SPANS_ANSWER))
    with serve(server.recorder) as url, cohere.ClientV2(api_key="k", base_url=url) as client:
        response = client.rerank(
            model="rerank-v5.0-pro",
            query="q",
            documents=DOCS,
            max_tokens_per_doc=None,
            priority=None,
            relevant_spans=RerankRelevantSpans(mode="enabled", threshold=0.2),
        )
    [exchange] = server.seen
    assert exchange.body == (
        b'{"model":"rerank-v5.0-pro","query":"q","documents":["Carson City is in Nevada.",'
        b'"Washington, D.C. is the capital."],"max_tokens_per_doc":null,'
        b'"relevant_spans":{"mode":"enabled","threshold":0.2},"priority":null}'
    )
    assert exchange.status == 200
    assert rf.convert_request(exchange.body, read="cohere_v2", write="cohere_v2") == exchange.body
    [first, second] = response.results
    assert (first.index, first.relevance_score, second.index) == (1, 0.9, 0)
    assert first.relevant_spans is not None
    assert [(s.start, s.end, s.score) for s in first.relevant_spans] == [(0, 16, 0.8)]
    assert second.relevant_spans is None
    assert response.meta is not None and response.meta.cached_tokens == 12


def test_the_cohere_sdk_v1_sends_nulls_that_round_trip() -> None:
    answer = b'{"results": [{"index": 0, "relevance_score": 0.5}]}'
    server = _library_server("/v1/rerank", "cohere_v1", answer)
    with serve(server.recorder) as url, cohere.Client(api_key="k", base_url=url) as client:
        response = client.rerank(
            model="rerank-english-v3.0",
            query="q",
            documents=["a"],
            top_n=None,
            rank_fields=None,
            return_documents=None,
            max_chunks_per_doc=None,
        )
    [exchange] = server.seen
    assert exchange.body == (
        b'{"model":"rerank-english-v3.0","query":"q","documents":["a"],"top_n":null,'
        b'"rank_fields":null,"return_documents":null,"max_chunks_per_doc":null}'
    )
    assert exchange.status == 200
    assert rf.convert_request(exchange.body, read="cohere_v1", write="cohere_v1") == exchange.body
    assert [(r.index, r.relevance_score) for r in response.results] == [(0, 0.5)]


# -- jina-haystack 2.0.1's JinaRanker, against a Jina gateway on 127.0.0.1 built on the library --


def _jina_gateway(answer: Callable[[rf.RerankRequest], bytes]) -> FakeUpstream:
    """A Jina server that reads the client's request and answers what `answer` converts."""
    server = FakeUpstream("/v1/rerank")
    server.reply = lambda body: (200, answer(rf.decode_request(body, format="jina")))
    return server


def _jina_rank(server: FakeUpstream) -> Any:
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # before haystack is imported
    jina = pytest.importorskip("haystack_integrations.components.rankers.jina")
    haystack = pytest.importorskip("haystack")
    with serve(server.recorder) as url:
        ranker = jina.JinaRanker(
            model="jina-reranker-v2-base-multilingual",
            api_key=haystack.utils.Secret.from_token("test-key"),
            base_url=f"{url}/v1/rerank",
            top_k=1,
        )
        return ranker.run(query="q", documents=[haystack.Document(content=d) for d in DOCS])


@pytest.mark.parametrize(
    ("usage", "meta_usage"), [("null", None), ("zero", {"total_tokens": 0})], ids=["null", "zero"]
)
def test_jina_haystack_reads_an_unknown_usage_as_null_or_zero(
    usage: rf.UnknownUsage, meta_usage: object
) -> None:
    cohere_answer = (
        b'{"results": [{"index": 1, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.1}],'
        b' "meta": {"billed_units": {"search_units": 1}}}'
    )
    server = _jina_gateway(
        lambda request: rf.convert_response(
            cohere_answer, read="cohere_v2", write="jina", request=request, usage=usage
        )
    )
    result = _jina_rank(server)
    assert [(d.content, d.score) for d in result["documents"]] == [(DOCS[1], 0.9)]
    assert result["meta"] == {"model": "jina-reranker-v2-base-multilingual", "usage": meta_usage}


def test_jina_haystack_fails_without_a_usage_key() -> None:
    # Why "omit" is not the default: jina-haystack reads resp["usage"] (ranker.py).
    cohere_answer = b'{"results": [{"index": 0, "relevance_score": 0.5}]}'
    server = _jina_gateway(
        lambda request: rf.convert_response(
            cohere_answer, read="cohere_v2", write="jina", request=request, usage="omit"
        )
    )
    with pytest.raises(KeyError) as missing:
        _jina_rank(server)
    assert missing.value.args == ("usage",)


def test_jina_haystack_gets_real_token_counts_through_xinference() -> None:
    asked: list[object] = []

    def through_xinference(request: rf.RerankRequest) -> bytes:
        upstream_request = json.loads(rf.encode_request(request, format="xinference"))
        asked.append(upstream_request.get("return_len"))
        tokens = (
            {"input_tokens": 38, "output_tokens": 38} if upstream_request["return_len"] else None
        )
        xinference_answer = _bytes(
            {
                "id": "x",
                "results": [{"index": 1, "relevance_score": 0.9, "document": None}],
                "meta": {
                    "api_version": None,
                    "billed_units": None,
                    "tokens": tokens,
                    "warnings": None,
                },
            }
        )
        return rf.convert_response(
            xinference_answer, read="xinference", write="jina", request=request
        )

    result = _jina_rank(_jina_gateway(through_xinference))
    assert asked == [True]
    assert result["meta"] == {
        "model": "jina-reranker-v2-base-multilingual",
        "usage": {"total_tokens": 38},
    }
