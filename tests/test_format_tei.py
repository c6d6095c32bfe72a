"""The tei format's quirks (rerank_formats/formats/tei.py), each with exact bytes, and TEI's
published OpenAPI document (fixtures/specs/tei-rerank.openapi.json) as the oracle: what the
library writes validates against it, and the requests it documents decode. Where the
document and the server (huggingface/text-embeddings-inference @ 0d124dc9) disagree, the
server wins, and the test says so."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED, load_json, recorded
from test_specs import Spec, request_pointer, response_pointer

import rerank_formats as rf
from rerank_formats.formats import tei
from rerank_formats.formats._base import Endpoint
from rerank_formats.registry import get_format

TEI = Spec("tei-rerank.openapi.json")
POST = TEI.document["paths"]["/rerank"]["post"]
JINA_REQUEST = b'{"model": "m", "query": "q", "documents": ["a", "b", "c"], "top_n": 2}'
ANSWER = b'[{"index": 2, "score": 0.9}, {"index": 0, "score": 0.5}, {"index": 1, "score": 0.1}]'


def losses(
    data: bytes, *, read: str, write: str, kind: str = "request"
) -> list[tuple[str, str, str]]:
    decode = rf.decode_request if kind == "request" else rf.decode_response
    encode = rf.encode_request if kind == "request" else rf.encode_response
    with pytest.raises(rf.LossyConversionError) as info:
        encode(decode(data, format=read), format=write, on_loss="raise")  # type: ignore[operator]
    return [(loss.path, loss.reason, loss.kind) for loss in info.value.losses]


# -- the request --------------------------------------------------------------------------------


def test_documents_are_texts_and_top_n_and_model_are_not_sent() -> None:
    body = rf.convert_request(JINA_REQUEST, read="jina", write="tei", on_loss="ignore")
    # Jina's default is to return documents: TEI is asked for its texts
    assert body == b'{"query":"q","texts":["a","b","c"],"return_text":true}'
    assert losses(JINA_REQUEST, read="jina", write="tei") == [
        ("$.model", "tei serves the one model it was started with", "reporting"),
        ("$.top_n", "tei returns every text: cut them in the request's context", "reporting"),
    ]


def test_return_text_is_return_documents_and_absent_means_false() -> None:
    request = rf.decode_request(b'{"query": "q", "texts": ["a"]}', format="tei")
    assert request.return_documents is False
    assert (
        rf.convert_request(
            b'{"query": "q", "texts": ["a"]}', read="tei", write="cohere_v1", on_loss="raise"
        )
        == b'{"query":"q","documents":["a"],"return_documents":false}'
    )
    # a value at TEI's documented default (DEFAULTS) is no loss for anyone
    assert (
        rf.convert_request(
            b'{"query": "q", "texts": ["a"], "raw_scores": false, "truncation_direction": "Right"}',
            read="tei",
            write="xinference",
            on_loss="ignore",
        )
        == b'{"query":"q","documents":["a"],"return_documents":false,"return_len":true}'
    )


def test_truncate_is_truncation_and_null_is_the_servers_auto_truncate() -> None:
    assert (
        rf.convert_request(
            b'{"model": "m", "query": "q", "documents": ["a"], "truncation": false}',
            read="jina",
            write="tei",
            on_loss="ignore",
        )
        == b'{"query":"q","texts":["a"],"truncate":false,"return_text":true}'
    )
    null = b'{"query":"q","texts":["a"],"truncate":null}'
    assert rf.decode_request(null, format="tei").truncation is None
    assert rf.encode_request(rf.decode_request(null, format="tei"), format="tei") == null


def test_raw_scores_is_kept_and_gives_logits() -> None:
    raw = b'{"query":"q","texts":["a"],"raw_scores":true}'
    request = rf.decode_request(raw, format="tei")
    assert rf.encode_request(request, format="tei") == raw
    assert tei.response_scale(request) == "logit"
    assert tei.response_scale(rf.decode_request(b'{"query":"q","texts":["a"]}', format="tei")) == (
        "probability"
    )
    assert tei.response_scale(None) == "probability" == tei.SCORE_SCALE
    assert losses(raw, read="tei", write="cohere_v1") == [
        (
            "$.raw_scores",
            "cohere_v1 returns its own scores, not TEI's raw logits (`raw_scores`)",
            "reporting",
        ),
    ]


@pytest.mark.parametrize("value", ["Left", "left"])
def test_truncating_at_the_start_is_a_ranking_loss(value: str) -> None:
    data = json.dumps({"query": "q", "texts": ["a"], "truncation_direction": value}).encode()
    assert losses(data, read="tei", write="cohere_v1") == [
        (
            "$.truncation_direction",
            "cohere_v1 cannot cut long texts at their start (`truncation_direction`)",
            "ranking",
        ),
    ]
    assert json.loads(rf.convert_request(data, read="tei", write="tei")) == json.loads(data)


def test_truncating_at_the_end_in_lower_case_is_no_loss() -> None:
    # serde's alias of the default (types.rs `TruncationDirection`)
    data = b'{"query": "q", "texts": ["a"], "truncation_direction": "right"}'
    assert rf.convert_request(data, read="tei", write="cohere_v1", on_loss="raise") == (
        b'{"query":"q","documents":["a"],"return_documents":false}'
    )


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        # Rust `bool`s: serde refuses a null (axum answers 422)
        (
            b'{"query": "q", "texts": ["a"], "raw_scores": null}',
            "$.raw_scores",
            "Expected `bool`, got `null`",
        ),
        (
            b'{"query": "q", "texts": ["a"], "return_text": null}',
            "$.return_text",
            "Expected `bool`, got `null`",
        ),
        (
            b'{"query": "q", "texts": ["a"], "truncation_direction": "up"}',
            "$.truncation_direction",
            "Expected one of 'Left' | 'Right' | 'left' | 'right'",
        ),
        (b'{"query": "q", "documents": ["a"]}', "$.texts", "missing required field `texts`"),
    ],
)
def test_what_serde_refuses_the_decoder_refuses(body: bytes, path: str, message: str) -> None:
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(body, format="tei")
    assert (info.value.path, info.value.message) == (path, message)


def test_the_fields_tei_clients_send_and_tei_ignores_cost_nothing() -> None:
    """rerankers 0.10.0 (`api_rankers.py`) sends `model` and `top_n: len(docs)`; litellm's
    HuggingFaceRerankConfig passes `top_n`. TEI ignores both (serde, no
    `deny_unknown_fields`): `model` is read as the canonical model, so a gateway can route it;
    `top_n` is not applied, as TEI does not apply it."""
    sent = b'{"model":"BAAI/bge-reranker-base","query":"q","texts":["a","b"],"top_n":2,"return_text":true}'
    request = rf.decode_request(sent, format="tei")
    assert (request.model, request.top_n) == ("BAAI/bge-reranker-base", rf.UNSET)
    assert json.loads(rf.encode_request(request, format="tei", on_loss="raise")) == json.loads(sent)
    assert rf.convert_request(sent, read="tei", write="jina", on_loss="raise") == (
        b'{"model":"BAAI/bge-reranker-base","query":"q","documents":["a","b"],"return_documents":true}'
    )
    assert [
        (p.path, p.type, p.severity) for p in rf.validate(sent, format="tei", kind="request")
    ] == [
        ("$.top_n", "ignored_field", "warning"),
        ("$.model", "ignored_field", "warning"),
    ]


def test_unknown_keys_are_kept_and_only_warned_about() -> None:
    """TEI ignores keys it does not know, so they are written back to TEI (`keep_unknown`)
    and `validate` warns rather than errs (UNKNOWN_FIELDS)."""
    sent = b'{"query":"q","texts":["a"],"priority":1}'
    assert rf.convert_request(sent, read="tei", write="tei") == sent
    assert tei.UNKNOWN_FIELDS["request"] == "warning"
    assert [(p.path, p.severity) for p in rf.validate(sent, format="tei", kind="request")] == [
        ("$.priority", "warning")
    ]


def test_the_batch_limit_and_empty_texts() -> None:
    many = json.dumps({"query": "q", "texts": ["a"] * 33}).encode()
    assert [
        (p.path, p.type, p.message, p.severity)
        for p in rf.validate(many, format="tei", kind="request")
    ] == [
        (
            "$.texts",
            "too_many_documents",
            "33 texts; TEI takes 32 unless started with a larger --max-client-batch-size (else 422 Validation)",
            "warning",
        )
    ]
    empty = b'{"query": "q", "texts": []}'
    assert [
        (p.path, p.type, p.severity) for p in rf.validate(empty, format="tei", kind="request")
    ] == [("$.texts", "empty_documents", "error")]


def test_endpoint() -> None:
    # server.rs: /rerank; / and /invocations for a reranker in every build without the
    # `google` feature; `--api-key` checked as `Authorization: Bearer <key>`;
    # main.rs: --max-client-batch-size 32
    assert (
        Endpoint(method="POST", path="/rerank", aliases=("/", "/invocations"), max_documents=32)
        == tei.ENDPOINT
    )
    assert (tei.ENDPOINT.auth_header, tei.ENDPOINT.auth_scheme, dict(tei.ENDPOINT.headers)) == (
        "Authorization",
        "Bearer",
        {},
    )


# -- the response -------------------------------------------------------------------------------


def test_a_bare_array_answers_a_jina_client_in_the_requests_context() -> None:
    body = rf.convert_response(
        ANSWER, read="tei", write="jina", request=JINA_REQUEST, headers={"X-Compute-Tokens": "27"}
    )
    # sorted already, cut to top_n, documents from the request, the model from it, usage
    # from the header
    assert body == (
        b'{"model":"m","usage":{"total_tokens":27},"results":['
        b'{"index":2,"relevance_score":0.9,"document":{"text":"c"}},'
        b'{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
    )


def test_score_is_relevance_score_and_text_comes_before_it() -> None:
    jina = b'{"model":"m","usage":{"total_tokens":3},"results":[{"index":1,"relevance_score":0.75,"document":{"text":"b"}}]}'
    # Rank serialises index, text, score (types.rs)
    assert rf.convert_response(jina, read="jina", write="tei", on_loss="ignore") == (
        b'[{"index":1,"text":"b","score":0.75}]'
    )
    assert losses(jina, read="jina", write="tei", kind="response") == [
        ("$.usage", "tei reports usage in its x-compute-tokens header", "reporting")
    ]


def test_flat_text_becomes_a_document_object() -> None:
    response = rf.decode_response(b'[{"index":0,"text":"a","score":0.5}]', format="tei")
    assert (
        rf.convert_response(b'[{"index":0,"text":"a","score":0.5}]', read="tei", write="cohere_v1")
        == b'{"results":[{"index":0,"relevance_score":0.5,"document":{"text":"a"}}]}'
    )
    assert response.results[0].document == rf.TextDocument(text="a")


@pytest.mark.parametrize(
    ("headers", "usage"),
    [
        ({"x-compute-tokens": "27"}, rf.Usage(total_tokens=27)),
        ({"X-Compute-Tokens": "27"}, rf.Usage(total_tokens=27)),
        ({"x-compute-tokens": "-1"}, None),
        ({"x-compute-tokens": "²"}, None),  # str.isdigit says yes; int() says no
        ({"x-compute-characters": "27"}, None),
    ],
)
def test_usage_is_the_compute_tokens_header(
    headers: dict[str, str], usage: rf.Usage | None
) -> None:
    response = rf.decode_response(ANSWER, format="tei", headers=headers)
    assert response.usage == (rf.UNSET if usage is None else usage)


def test_an_empty_array_is_no_tei_response() -> None:
    assert [
        (p.path, p.type, p.severity) for p in rf.validate(b"[]", format="tei", kind="response")
    ] == [("$", "empty_results", "error")]
    assert rf.detect(b"[]") == ()


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_type", "status"),
    [
        ("Empty", 400),
        ("Validation", 422),
        ("Tokenizer", 422),
        ("Overloaded", 429),
        ("Backend", 424),
        ("Unhealthy", 503),
    ],
)
def test_error_types_give_their_status(error_type: str, status: int) -> None:
    body = json.dumps({"error": "x", "error_type": error_type}).encode()
    error = rf.decode_error(body, format="tei")
    assert (error.status, error.code) == (status, error_type)


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, "Validation"),
        (401, "Validation"),
        (422, "Validation"),
        (424, "Backend"),
        (429, "Overloaded"),
        (500, "Backend"),
        (503, "Unhealthy"),
        (504, "Backend"),
    ],
)
def test_foreign_errors_get_a_tei_error_type(status: int, error_type: str) -> None:
    written = rf.convert_error(b'{"detail": "nope"}', read="jina", write="tei", status=status)
    expected_status = status if status in tei.STATUSES else (400 if status < 500 else 500)
    assert written == (
        expected_status,
        b'{"error":"nope","error_type":"' + error_type.encode() + b'"}',
    )
    assert TEI.errors("/components/schemas/ErrorResponse", json.loads(written[1])) == []


def test_the_openapi_examples_lower_case_types_are_not_what_the_server_sends() -> None:
    """The server wins: `ErrorType` serialises as its variant name, `Empty` (lib.rs), as the
    document's own enum says; its examples write `empty`. Read as sent, written back as sent,
    and reported by `validate`."""
    example = POST["responses"]["400"]["content"]["application/json"]["example"]
    assert example == {"error": "Batch is empty", "error_type": "empty"}
    assert TEI.errors("/components/schemas/ErrorResponse", example) == [
        (
            "$.error_type",
            "'empty' is not one of ['Unhealthy', 'Backend', 'Overloaded', 'Validation', 'Tokenizer', 'Empty']",
        )
    ]
    data = (RECORDED / "tei/error-400-empty-openapi-example.json").read_bytes()
    assert rf.convert_error(data, read="tei", write="tei", status=400) == (
        400,
        b'{"error":"Batch is empty","error_type":"empty"}',
    )
    assert [(p.path, p.message) for p in rf.validate(data, format="tei", kind="error")] == [
        (
            "$.error_type",
            "TEI writes its error types in PascalCase (`Empty`); the OpenAPI examples' lower case is not what the server sends",
        )
    ]


def test_a_batch_over_the_limit_is_422_not_the_documented_413() -> None:
    """The OpenAPI document lists 413 "Batch size error"; the handler answers it with
    ErrorType::Validation, 422 (server.rs `rerank`)."""
    assert POST["responses"]["413"]["content"]["application/json"]["example"] == {
        "error": "Batch size error",
        "error_type": "validation",
    }
    data = (RECORDED / "tei/error-422-batch-size-assembled.json").read_bytes()
    assert rf.decode_error(data, format="tei") == rf.RerankError(
        status=422, message="batch size 33 > maximum allowed batch size 32", code="Validation"
    )


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Failed to parse the request body as JSON: EOF while parsing an object at line 1 column 1",
            400,
        ),
        (
            "Failed to deserialize the JSON body into the target type: missing field `texts` at line 1 column 16",
            422,
        ),
    ],
)
def test_axums_plain_text_refusals(text: str, status: int) -> None:
    error = rf.decode_error(text.encode(), format="tei", content_type="text/plain; charset=utf-8")
    assert (error.status, error.message) == (status, text)


# -- the published schema as the oracle ---------------------------------------------------------


def test_every_recorded_request_and_the_documents_example_decode() -> None:
    schema = TEI.schema(request_pointer("/rerank"))
    example = {
        key: value["example"] for key, value in schema["properties"].items() if "example" in value
    }
    # the document writes its boolean examples as strings ("false"), and its
    # truncation_direction default as "right"
    assert example == {
        "query": "What is Deep Learning?",
        "raw_scores": "false",
        "return_text": "false",
        "texts": ["Deep Learning is ..."],
        "truncate": "false",
    }
    fixed = {**example, "raw_scores": False, "return_text": False, "truncate": False}
    assert rf.decode_request(fixed, format="tei").documents == ("Deep Learning is ...",)
    for fmt, _, path in recorded("request"):
        if fmt == "tei":
            assert TEI.errors(request_pointer("/rerank"), load_json(path)) == []
            rf.decode_request(path.read_bytes(), format="tei")


@pytest.mark.parametrize("source", ["jina", "cohere_v1", "cohere_v2", "xinference", "llama_cpp"])
def test_written_responses_and_requests_validate(source: str) -> None:
    for fmt, kind, path in recorded("request", "response"):
        if fmt != source or path.name == "openapi-2024-10-legacy-object-docs-request.json":
            continue  # (the one the cohere_v2 decoder rejects: tests/test_recorded.py)
        convert = rf.convert_request if kind == "request" else rf.convert_response
        body = json.loads(convert(path.read_bytes(), read=fmt, write="tei", on_loss="ignore"))
        pointer = request_pointer("/rerank") if kind == "request" else response_pointer("/rerank")
        assert TEI.errors(pointer, body) == [], path.name


def test_written_errors_validate() -> None:
    for fmt, _, path in recorded("error"):
        status, body = rf.convert_error(path.read_bytes(), read=fmt, write="tei")
        if fmt == "tei" and "openapi" in path.name:
            continue  # written back as the example has it (above)
        assert TEI.errors("/components/schemas/ErrorResponse", json.loads(body)) == [], path.name
        assert status in tei.STATUSES


def test_llama_cpps_tei_dialect_is_this_format() -> None:
    """llama.cpp answers a request with `texts` TEI's way (server-common.cpp
    `format_response_rerank`), at its /rerank: the tei format at llama.cpp's base URL."""
    data = (RECORDED / "tei/llama-cpp-server-test-tei-format-request.json").read_bytes()
    request = rf.decode_request(data, format="tei")
    assert (request.query, len(request.documents)) == ("Machine learning is", 4)
    assert get_format("llama_cpp").ENDPOINT.aliases[1] == tei.ENDPOINT.path == "/rerank"


def test_a_null_truncate_is_the_servers_default_though_draft_4_refuses_it() -> None:
    """`truncate` is `Option<bool>` (types.rs) and `nullable: true` in the document; Draft 4,
    the validator of OpenAPI 3.0 here, ignores `nullable`, so the oracle alone refuses the
    null that the server and the document take. The library reads and writes it."""
    body = {"query": "q", "texts": ["a"], "truncate": None}
    assert TEI.schema(request_pointer("/rerank"))["properties"]["truncate"]["nullable"] is True
    assert TEI.errors(request_pointer("/rerank"), body) == [
        ("$.truncate", "None is not of type 'boolean'")
    ]
    assert json.loads(rf.convert_request(body, read="tei", write="tei")) == body
