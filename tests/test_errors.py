"""Bad input gets one clear, typed error with a JSON path; nothing else escapes."""

from __future__ import annotations

import warnings

import pytest

import rerank_formats as rf

CASES = [
    # (format, kind, body, type, path, message)
    ("jina", "request", b"{", "invalid_json", "$", "JSON is malformed at line 1, column 2"),
    ("jina", "request", b"", "invalid_json", "$", "the body is empty"),
    ("cohere_v2", "request", b" \n\t", "invalid_json", "$", "the body is empty"),
    # a person wants the line and column (in characters), not a byte offset
    (
        "jina",
        "request",
        '{"query": "é",\n  oops}'.encode(),
        "invalid_json",
        "$",
        "JSON is malformed at line 2, column 3",
    ),
    (  # one JSON value per line: the first trailing character, where line 2 starts
        "jina",
        "request",
        b'{"query": "q"}\n{"query": "r"}\n',
        "invalid_json",
        "$",
        "JSON is malformed at line 2, column 1",
    ),
    ("jina", "request", b"[1, 2]", "wrong_type", "$", "expected a JSON object, got array"),
    ("jina", "request", b'"q"', "wrong_type", "$", "expected a JSON object, got string"),
    (
        "jina",
        "request",
        b'{"query": "q", "documents": ["a"]}',
        "missing_field",
        "$.model",
        "missing required field `model`",
    ),
    (
        "jina",
        "request",
        b'{"model": "m", "query": "q", "documents": ["a", 5]}',
        "wrong_type",
        "$.documents[1]",
        "Expected `str | object`, got `int`",
    ),
    (
        "jina",
        "request",
        b'{"model": "m", "query": "q", "documents": ["a"], "top_n": "3"}',
        "wrong_type",
        "$.top_n",
        "Expected `int | null`, got `str`",
    ),
    (
        "cohere_v2",
        "request",
        b'{"model": "m", "query": "q", "documents": [{"text": "a"}]}',
        "wrong_type",
        "$.documents[0]",
        "Expected `str`, got `object`",
    ),
    (
        "xinference",
        "request",
        b'{"model": "m", "query": "q", "documents": ["a"], "return_documents": "maybe"}',
        "invalid_value",
        "$.return_documents",
        "expected a boolean (or one of pydantic v1's boolean strings)",
    ),
    (
        "jina",
        "response",
        b'{"results": [{"index": 0, "relevance_score": 0.5}, {"index": -1, "relevance_score": 0.1}]}',
        "out_of_range",
        "$.results[1].index",
        "Expected `int` >= 0",
    ),
    (
        "cohere_v1",
        "response",
        b'{"results": [{"index": 1.5, "relevance_score": 0.5}]}',
        "wrong_type",
        "$.results[0].index",
        "Expected `int`, got `float`",
    ),
    (
        "cohere_v2",
        "response",
        b'{"results": [{"index": 0, "relevance_score": "high"}]}',
        "wrong_type",
        "$.results[0].relevance_score",
        "Expected `float`, got `str`",
    ),
    (
        "xinference",
        "response",
        b'{"results": [{"index": 0}]}',
        "missing_field",
        "$.results[0].relevance_score",
        "missing required field `relevance_score`",
    ),
    (
        "jina",
        "response",
        b'{"results": [{"index": 0, "relevance_score": NaN}]}',
        "invalid_json",
        "$",
        "JSON is malformed",
    ),
    (
        "cohere_v2",
        "response",
        b'{"results": null}',
        "wrong_type",
        "$.results",
        "Expected `array`, got `null`",
    ),
    (
        "cohere_v2",
        "response",
        b'{"results": [], "meta": {"tokens": {"input_tokens": "many"}}}',
        "wrong_type",
        "$.meta.tokens.input_tokens",
        "Expected `float | null`, got `str`",
    ),
    (
        "xinference",
        "response",
        b'{"results": [], "meta": {"tokens": {"input_tokens": -3}}}',
        "out_of_range",
        "$.meta.tokens.input_tokens",
        "Expected `int` >= 0",
    ),
    (
        "jina",
        "response",
        b'{"results": [], "usage": {"total_tokens": 3, "cost": 1}}',
        "unknown_field",
        "$.usage.cost",
        "unknown field `cost`",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "kind", "body", "type_", "path", "message"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[3]}-{c[4]}" for c in CASES],
)
def test_decode_errors_are_exact(
    fmt: str, kind: str, body: bytes, type_: str, path: str, message: str
) -> None:
    decode = rf.decode_request if kind == "request" else rf.decode_response
    with pytest.raises(rf.DecodeError) as info:
        decode(body, format=fmt)
    error = info.value
    assert (error.type, error.path, error.message) == (type_, path, message)
    assert (error.format, error.kind) == (fmt, kind)
    assert str(error) == f"invalid {fmt} {kind}: {message} (at {path})"
    assert "\n" not in str(error)


def test_messages_do_not_echo_document_text() -> None:
    secret = "patient record 4711 " * 20
    body = b'{"model": "m", "query": "q", "documents": ["%s", 7]}' % secret.encode()
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(body, format="jina")
    assert "4711" not in str(info.value)


def test_decode_error_is_a_value_error_and_a_rerank_format_error() -> None:
    with pytest.raises(ValueError):
        rf.decode_request(b"nope", format="jina")
    assert issubclass(rf.DecodeError, rf.RerankFormatError)
    assert issubclass(rf.RerankFormatError, ValueError)


KNOWN = f"Known formats: {', '.join(rf.FORMATS)}."  # from the registry


@pytest.mark.parametrize(
    ("name", "message", "suggestion"),
    [
        (
            "cohere",
            "Unknown format 'cohere'. Did you mean 'cohere_v2'? " + KNOWN,
            "cohere_v2",
        ),
        (
            "xinferense",
            "Unknown format 'xinferense'. Did you mean 'xinference'? " + KNOWN,
            "xinference",
        ),
        (
            "sagemaker",
            "Unknown format 'sagemaker'. " + KNOWN,
            None,
        ),
    ],
)
def test_unknown_formats_suggest_the_closest_name(
    name: str, message: str, suggestion: str | None
) -> None:
    with pytest.raises(rf.UnknownFormatError) as info:
        rf.decode_request(b"{}", format=name)
    assert (str(info.value), info.value.suggestion) == (message, suggestion)


@pytest.mark.parametrize("name", ["cohere-v2", "Cohere_V2", " cohere_v2 "])
def test_format_names_accept_dashes_and_any_case(name: str) -> None:
    assert rf.convert_request(
        b'{"model": "m", "query": "q", "documents": ["a"]}', read=name, write=name
    ) == (b'{"model":"m","query":"q","documents":["a"]}')


IMAGE_REQUEST = rf.RerankRequest(
    model="jina-reranker-m0",
    query="q",
    documents=(rf.ImageDocument(image="https://example.com/a.png"), "b"),
    truncation=True,
)


def test_raise_lists_every_loss() -> None:
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(IMAGE_REQUEST, format="cohere_v2")
    assert [str(loss) for loss in info.value.losses] == [
        "$.documents[0]: cohere_v2 takes text only, not an image document (cohere_v2)",
        "$.truncation: cohere_v2 has no truncation switch (cohere_v2)",
    ]
    assert str(info.value) == (
        "cohere_v2 cannot express $.documents[0]: cohere_v2 takes text only, not an image document"
        " (and 1 more)"
    )


def test_warn_issues_one_loss_warning_per_loss() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        body = rf.encode_request(IMAGE_REQUEST, format="cohere_v2", on_loss="warn")
    assert (
        body
        == b'{"model":"jina-reranker-m0","query":"q","documents":["https://example.com/a.png","b"]}'
    )
    assert [type(w.message) for w in caught] == [rf.LossWarning, rf.LossWarning]
    assert [w.message.loss.path for w in caught] == ["$.documents[0]", "$.truncation"]  # type: ignore[union-attr]
    assert all(w.filename == __file__ for w in caught)


def test_ignore_is_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        body = rf.encode_request(IMAGE_REQUEST, format="cohere_v2", on_loss="ignore")
    assert (
        body
        == b'{"model":"jina-reranker-m0","query":"q","documents":["https://example.com/a.png","b"]}'
    )


def test_an_unknown_loss_policy_is_refused() -> None:
    with pytest.raises(rf.RerankFormatError) as info:
        rf.encode_request(IMAGE_REQUEST, format="jina", on_loss="drop")  # type: ignore[arg-type]
    assert (
        str(info.value)
        == "on_loss must be 'raise', 'raise_ranking', 'warn' or 'ignore', not 'drop'"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: rf.encode_request("{}", format="jina"),
            "expected a RerankRequest, got str (at $)",
        ),  # type: ignore[arg-type]
        (
            lambda: rf.encode_response(None, format="jina"),
            "expected a RerankResponse, got NoneType (at $)",
        ),  # type: ignore[arg-type]
        (
            lambda: rf.encode_request(
                rf.RerankRequest(model="m", query="q", documents=(3,)), format="cohere_v2"
            ),  # type: ignore[arg-type]
            "not a valid canonical request: int (at $)",
        ),
        (
            lambda: rf.encode_request(
                rf.RerankRequest(
                    model="m",
                    query="q",
                    documents=("a",),
                    extensions={"jina": rf.Extension(fields={"x": object()})},
                ),
                format="jina",
            ),
            "not a valid canonical request: Encoding objects of type object is unsupported (at $)",
        ),
    ],
)
def test_invalid_canonical_objects_raise_encode_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(rf.EncodeError) as info:
        call()
    assert str(info.value) == message


def test_a_non_json_input_type_is_a_decode_error() -> None:
    with pytest.raises(rf.DecodeError) as info:
        rf.decode_request(42, format="jina")  # type: ignore[arg-type]
    assert str(info.value) == "invalid jina request: expected a JSON object, got number (at $)"
