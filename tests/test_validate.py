"""validate() and detect(): every problem at its path, as the provider sees it."""

from __future__ import annotations

import msgspec
import pytest
from helpers import RECORDED, load_json, recorded
from hypothesis import given, strategies as st
from strategies import json_values

import rerank_formats as rf

E, W = "error", "warning"

CASES = [
    (
        "cohere_v2",
        "request",
        {"model": "rerank-v3.5", "query": "q", "documents": [], "top_k": 3, "top_n": 0},
        [
            (E, "$.top_k", "unknown_field", "unknown field `top_k` (Cohere answers 422)"),
            (E, "$.documents", "empty_documents", "there are no documents to rank"),
            (E, "$.top_n", "out_of_range", "top_n is 0; at least 1 is expected"),
        ],
    ),
    (
        "xinference",
        "request",
        {"model": "m", "query": "q", "documents": [], "top_k": 3, "top_n": 0},
        [
            (W, "$.top_k", "unknown_field", "unknown field `top_k` (Xinference ignores it)"),
            (W, "$.documents", "empty_documents", "there are no documents to rank"),
            (W, "$.top_n", "out_of_range", "top_n is 0; at least 1 is expected"),
        ],
    ),
    (
        "jina",
        "request",
        {"model": "m", "query": 5, "documents": ["a", 7, {"text": 3}], "return_documents": "true"},
        [
            (E, "$.query", "wrong_type", "Expected `str | object`, got `int`"),
            (E, "$.documents[1]", "wrong_type", "Expected `str | object`, got `int`"),
            (E, "$.documents[2].text", "wrong_type", "Expected `str`, got `int`"),
            (E, "$.return_documents", "wrong_type", "Expected `bool | null`, got `str`"),
        ],
    ),
    (
        "xinference",
        "request",
        {
            "model": "m",
            "query": "q",
            "documents": ["a"],
            "return_documents": "true",
            "return_len": "maybe",
        },
        [
            (
                W,
                "$.return_documents",
                "string_boolean",
                "a string where a boolean is expected; pydantic v1 coerces it, other servers refuse it",
            ),
            (
                E,
                "$.return_len",
                "invalid_value",
                "not a boolean, nor one of pydantic v1's boolean strings",
            ),
        ],
    ),
    (
        "xinference",
        "request",
        {"model": "m", "query": "q", "documents": ["a"], "max_chunks_per_doc": 4, "kwargs": "[1]"},
        [
            (
                E,
                "$.max_chunks_per_doc",
                "unsupported_field",
                "the sentence-transformers engine fails on any max_chunks_per_doc",
            ),
            (E, "$.kwargs", "invalid_value", "kwargs must be a JSON-encoded object"),
        ],
    ),
    (
        "jina",
        "request",
        {
            "model": "jina-reranker-v2-base-multilingual",
            "query": {"text": "q"},
            "documents": [{"image": "u"}, {"title": "t"}],
            "max_doc_length": 9000,
        },
        [
            (E, "$.max_doc_length", "out_of_range", "max_doc_length is 9000; expected 1 to 8192"),
            (
                E,
                "$.documents[0]",
                "unsupported_document",
                "only jina-reranker-m0 takes image documents",
            ),
            (
                E,
                "$.documents[1]",
                "invalid_value",
                "a document object needs a `text` (or, for jina-reranker-m0, an `image`)",
            ),
            (
                W,
                "$.max_doc_length",
                "unsupported_field",
                "only jina-reranker-v3 reads `max_doc_length`",
            ),
            (W, "$.query", "legacy_shape", "the current API takes a string query"),
        ],
    ),
    (
        "cohere_v1",
        "request",
        {"query": "q", "documents": [{"title": "t"}] * 1001, "max_chunks_per_doc": 10},
        [
            (
                W,
                "$.documents",
                "too_many_documents",
                "1001 documents; the provider recommends at most 1000",
            ),
            *[
                (
                    E,
                    f"$.documents[{i}]",
                    "invalid_value",
                    "a document object needs a `text` unless `rank_fields` names others",
                )
                for i in range(99)
            ],
            # the first 100 problems are listed (Limits.max_problems); the walk stops at the
            # next error
            (E, "$", "too_many_problems", "more problems not listed, errors among them"),
        ],
    ),
    (
        "cohere_v1",
        "request",
        {
            "query": "q",
            "documents": [{"title": "t", "text": "x"}],
            "rank_fields": ["title", "author"],
        },
        [
            (
                W,
                "$.documents[0]",
                "missing_field",
                "the document has none of author (from rank_fields)",
            )
        ],
    ),
    (
        "cohere_v2",
        "request",
        {"model": "m", "query": "q", "documents": ["a"], "priority": 1000, "max_tokens_per_doc": 0},
        [
            (
                E,
                "$.max_tokens_per_doc",
                "out_of_range",
                "max_tokens_per_doc is 0; expected at least 1",
            ),
            (E, "$.priority", "out_of_range", "priority is 1000; expected 0 to 999"),
        ],
    ),
    (
        "cohere_v1",
        "response",
        {
            "results": [
                {"index": 0, "relevance_score": 0.1, "document": "a"},
                {"index": 0, "relevance_score": 0.9},
            ],
            "meta": {"api_version": {"version": "2"}},
        },
        [
            (E, "$.results[1].index", "duplicate_index", "index 0 appears twice"),
            (
                W,
                "$.results",
                "unsorted_results",
                "results are not sorted by descending relevance_score",
            ),
            (
                E,
                "$.results[0].document",
                "document_shape",
                "Cohere echoes documents as objects, not strings",
            ),
            (
                W,
                "$.meta.api_version.version",
                "invalid_value",
                "version 2 is Cohere's v2 API, not v1",
            ),
        ],
    ),
    (
        "xinference",
        "response",
        {
            "results": [{"index": -1, "relevance_score": "x", "rank": 1}],
            "meta": {"api_version": {"version": "2"}},
        },
        [
            (E, "$.results[0].index", "out_of_range", "Expected `int` >= 0"),
            (E, "$.results[0].relevance_score", "wrong_type", "Expected `float`, got `str`"),
            (
                W,
                "$.results[0].rank",
                "unknown_field",
                "unknown field `rank` (not in Xinference's format)",
            ),
            (
                W,
                "$.meta.api_version",
                "invalid_value",
                "Xinference always sends null here (Cohere sends objects)",
            ),
        ],
    ),
    (
        "cohere_v2",
        "error",
        {"msg": "nope"},
        [
            (E, "$.message", "missing_field", "missing required field `message`"),
            (W, "$.msg", "unknown_field", "unknown field `msg` (not in Cohere's format)"),
        ],
    ),
    (
        "jina",
        "request",
        b'{"model": "m",',
        [(E, "$", "invalid_json", "JSON is malformed at line 1, column 15")],
    ),
    ("openai", "error", [1], [(E, "$", "wrong_type", "Expected `object`, got `array`")]),
]


@pytest.mark.parametrize(
    ("fmt", "kind", "body", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_every_problem_is_reported(
    fmt: str, kind: str, body: object, expected: list[tuple[str, ...]]
) -> None:
    problems = rf.validate(body, format=fmt, kind=kind)  # type: ignore[arg-type]
    assert [(p.severity, p.path, p.type, p.message) for p in problems] == expected
    assert (
        rf.validate(
            msgspec.json.encode(body) if not isinstance(body, bytes) else body,
            format=fmt,
            kind=kind,
        )
        == problems
    )  # type: ignore[arg-type]


REJECTED = "cohere_v2/openapi-2024-10-legacy-object-docs-request.json"


@pytest.mark.parametrize(
    ("fmt", "kind", "path"),
    list(recorded("request", "response", "error")),
    ids=lambda v: getattr(v, "name", v),
)
def test_recorded_payloads_have_no_errors_in_their_own_format(fmt: str, kind: str, path) -> None:  # type: ignore[no-untyped-def]
    errors = [
        p.path
        for p in rf.validate(path.read_bytes(), format=fmt, kind=kind)
        if p.severity == "error"
    ]  # type: ignore[arg-type]
    assert errors == INVALID.get(f"{fmt}/{path.name}", [])


# Recorded payloads their provider's contract refuses, and why.
INVALID = {
    # HISTORICAL: v2 takes strings only since 2024-12
    REJECTED: [f"$.documents[{i}]" for i in range(5)],
    # vLLM's N to N zip form: a valid /score body, not a rerank request (the decoder says so)
    "vllm_score/test-online-score-text-1-list-text-2-list-request.json": ["$.text_1"],
    # Jina's schema requires `model` and `usage` (and jina-haystack reads both): new-api's
    # Jina-format responses drop `model` (PEERS: unknown fields are dropped when it
    # normalises), the legacy spec's own example omits it, and two illustrative snippets omit
    # both.
    "jina/new-api-docs-jinaai-response.json": ["$.model"],
    "jina/new-api-rerank-md-response.json": ["$.model"],
    "jina/new-api-test-usage-18.json": ["$.model"],
    "jina/new-api-test-usage-zero.json": ["$.model"],
    "jina/openapi-legacy-rankingoutput-response-example.json": ["$.model"],
    "jina/elasticsearch-136751-legacy-object-document-response.json": ["$.model"],
    "jina/chroma-go-282-document-as-string.json": ["$.model", "$.usage"],
}


@pytest.mark.parametrize("kind", ["request", "response"])
@pytest.mark.parametrize("fmt", rf.FORMATS)
@given(value=json_values())
def test_validate_agrees_with_the_decoder(fmt: str, kind: str, value: object) -> None:
    """What the decoder refuses, validate reports as an error; what validate finds no error
    in, the decoder reads."""
    errors = [p for p in rf.validate(value, format=fmt, kind=kind) if p.severity == "error"]  # type: ignore[arg-type]
    decode = rf.decode_request if kind == "request" else rf.decode_response
    try:
        decode(value, format=fmt)  # type: ignore[arg-type]
    except rf.DecodeError as error:
        assert errors, str(error)
        assert error.path in {p.path for p in errors}
    else:
        assert all(p.type not in ("wrong_type", "missing_field", "invalid_json") for p in errors)


@given(
    body=st.fixed_dictionaries(
        {
            "model": st.text(max_size=5),
            "query": st.text(max_size=5),
            "documents": st.lists(st.text(max_size=5), min_size=1, max_size=3),
        }
    )
)
def test_a_valid_cohere_v2_request_has_no_problem(body: dict[str, object]) -> None:
    assert rf.validate(body, format="cohere_v2", kind="request") == ()


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(rf.RerankFormatError) as info:
        rf.validate(b"{}", format="jina", kind="reply")  # type: ignore[arg-type]
    assert str(info.value) == "kind must be 'request', 'response' or 'error', not 'reply'"


SEED_FORMATS = ("jina", "cohere_v1", "cohere_v2", "xinference")


@pytest.fixture
def seed_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    """`detect` among the four seed formats only (and the `openai` error envelope): its
    evidence names the formats that fit as well, which a new format sharing keys changes;
    these tests state it exactly for the seed formats."""
    from rerank_formats import validation

    monkeypatch.setattr(validation, "FORMATS", SEED_FORMATS)
    monkeypatch.setattr(validation, "ERROR_FORMATS", (*SEED_FORMATS, "openai"))


def test_the_seed_formats_are_registered_first() -> None:
    assert rf.FORMATS[:4] == SEED_FORMATS


def _detected(name: str, kind: rf.Kind | None = None) -> list[tuple[str, str, str, bool]]:
    return [
        (m.format, m.kind, m.reason, m.ambiguous)
        for m in rf.detect((RECORDED / name).read_bytes(), kind=kind)
    ]


@pytest.mark.usefixtures("seed_formats")
def test_detect_names_the_format_and_its_evidence() -> None:
    assert _detected("xinference/ragflow-1527-request.json") == [
        (
            "xinference",
            "request",
            "knows 5 of 5 top-level keys; only it uses `return_len`; "
            "2 warnings: string_boolean at $.return_documents, $.return_len",
            False,
        ),
    ]
    assert _detected("jina/weaviate-9709-new-format-response.json", "response") == [
        (
            "jina",
            "response",
            "knows 4 of 4 top-level keys; only it uses `model`, `object`, `usage`",
            False,
        ),
        (
            "cohere_v2",
            "response",
            "knows 1 of 4 top-level keys; "
            "4 warnings: unknown_field at $.model, $.object, $.usage, $.results[0].document",
            False,
        ),
        (
            "xinference",
            "response",
            "knows 1 of 4 top-level keys; 5 warnings: unknown_field at $.model, $.object, $.usage; "
            "document_shape at $.results[0].document; missing_field at $.meta",
            False,
        ),
    ]


@pytest.mark.usefixtures("seed_formats")
def test_detect_tells_xinference_and_cohere_responses_apart() -> None:
    assert [
        m.format
        for m in rf.detect((RECORDED / "xinference/ragflow-1527-response.json").read_bytes())
    ] == ["xinference", "cohere_v1", "cohere_v2"]
    assert [
        m.format
        for m in rf.detect(
            (RECORDED / "cohere_v2/openapi-x-fern-example-response.json").read_bytes()
        )
    ][:2] == ["cohere_v2", "cohere_v1"]


@pytest.mark.usefixtures("seed_formats")
def test_detect_says_when_a_payload_is_ambiguous() -> None:
    assert _detected("cohere_v1/openapi-x-fern-example-request.json") == [
        (
            "jina",
            "request",
            "knows 4 of 4 top-level keys; equally valid as cohere_v1 request",
            True,
        ),
        (
            "cohere_v1",
            "request",
            "knows 4 of 4 top-level keys; equally valid as jina request",
            True,
        ),
    ]


@pytest.mark.usefixtures("seed_formats")
def test_detect_finds_nothing_in_what_is_no_payload() -> None:
    assert rf.detect(b"not json") == ()
    assert rf.detect(b"[]") == ()
    assert [
        (m.format, m.kind)
        for m in rf.detect(load_json(RECORDED / "openai/error-litellm-proxy-29156.json"))
    ] == [("openai", "error")]
