"""Limits: hostile bodies are refused early, with an error of their own type."""

from __future__ import annotations

import pytest

import rerank_formats as rf

MIB = 1024 * 1024


def refused(call) -> rf.DecodeError:  # type: ignore[no-untyped-def]
    with pytest.raises(rf.DecodeError) as info:
        call()
    return info.value


def test_a_body_over_max_bytes_is_refused_before_it_is_parsed() -> None:
    body = b'{"model": "m", "query": "q", "documents": ["' + b"x" * (17 * MIB) + b'"]}'
    error = refused(lambda: rf.decode_request(body, format="jina"))
    assert (error.type, error.path) == ("too_large", "$")
    assert (
        str(error)
        == "invalid jina request: the body is 17,825,839 bytes; the limit is 16,777,216 (at $)"
    )
    small = rf.Limits(max_bytes=10)
    error = refused(
        lambda: rf.decode_response(b'{"results": []}', format="cohere_v2", limits=small)
    )
    assert error.message == "the body is 15 bytes; the limit is 10"


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    body = b'{"results": [], "meta": {"x": ' + b"[" * depth + b"]" * depth + b"}}"
    error = refused(lambda: rf.decode_response(body, format="cohere_v1"))
    assert error.type == "too_deep"
    if depth == 100:  # parsed, then refused where it goes deeper than 64
        assert error.path == "$.meta.x" + "[0]" * 62
        assert error.message == "nested deeper than 64 levels"
    else:  # beyond the interpreter's recursion limit: the parser refuses it
        assert (error.path, error.message) == ("$", "nested deeper than the parser allows")


def test_deep_nesting_in_a_parsed_mapping_is_refused() -> None:
    nested: object = []
    for _ in range(70):
        nested = [nested]
    error = refused(
        lambda: rf.decode_request(
            {"model": "m", "query": "q", "documents": ["a"], "x": nested}, format="jina"
        )
    )
    assert (error.type, error.path) == ("too_deep", "$.x" + "[0]" * 63)


def test_a_cycle_in_a_parsed_mapping_is_refused_not_looped_over() -> None:
    body: dict[str, object] = {"model": "m", "query": "q", "documents": ["a"]}
    body["self"] = body
    error = refused(lambda: rf.decode_request(body, format="jina"))
    assert (error.type, error.path) == ("too_deep", "$" + ".self" * 64)


def test_depth_is_counted_through_every_kind_of_container() -> None:
    from types import MappingProxyType

    from rerank_formats.limits import too_deep

    wide = {"results": [{"index": i, "document": {"text": "t"}} for i in range(100)]}
    value = {"a": [1, "x", None], "b": MappingProxyType({"c": ({"d": [[]]},)})}
    assert too_deep(wide, 4) is None
    assert too_deep(wide, 3) == "$.results[99].document"  # the depth-first walk's first
    assert too_deep(value, 6) is None
    assert too_deep(value, 5) == "$.b.c[0].d[0]"
    assert too_deep([], 0) == "$"


def test_too_many_documents_and_results() -> None:
    limits = rf.Limits(max_documents=2)
    error = refused(
        lambda: rf.decode_request(
            b'{"query": "q", "documents": ["a", "b", "c"]}', format="cohere_v1", limits=limits
        )
    )
    assert (error.type, error.path, error.message) == (
        "too_many_documents",
        "$.documents",
        "3 documents; the limit is 2",
    )
    results = (
        b'{"results": ['
        + b",".join(b'{"index": %d, "relevance_score": 0}' % i for i in range(3))
        + b"]}"
    )
    error = refused(
        lambda: rf.convert_response(results, read="jina", write="cohere_v2", limits=limits)
    )
    assert (error.type, error.path, error.message) == (
        "too_many_documents",
        "$.results",
        "3 results; the limit is 2",
    )


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (
            b'{"query": "%s", "documents": ["a"]}' % (b"q" * 11),
            "$.query",
            "11 characters; the limit is 10",
        ),
        (
            b'{"query": "q", "documents": ["a", {"text": "%s"}]}' % (b"t" * 12),
            "$.documents[1]",
            "12 characters; the limit is 10",
        ),
        (
            b'{"query": "q", "documents": [{"title": "123456", "text": "12345"}]}',
            "$.documents[0]",
            "11 characters; the limit is 10",
        ),
    ],
)
def test_too_long_documents_and_queries(body: bytes, path: str, message: str) -> None:
    error = refused(
        lambda: rf.decode_request(
            body, format="cohere_v1", limits=rf.Limits(max_document_length=10)
        )
    )
    assert (error.type, error.path, error.message) == ("too_long", path, message)


def test_the_defaults_take_ten_thousand_documents() -> None:
    body = b'{"model": "m", "query": "q", "documents": [' + b",".join([b'"doc"'] * 10_000) + b"]}"
    assert len(rf.decode_request(body, format="jina").documents) == 10_000
    assert (
        rf.Limits(
            max_bytes=16 * MIB, max_documents=10_000, max_document_length=1_000_000, max_depth=64
        )
        == rf.DEFAULT_LIMITS
    )


def test_invalid_utf8_is_a_decode_error() -> None:
    error = refused(
        lambda: rf.decode_request(
            b'{"model": "m", "query": "\xff", "documents": ["a"]}', format="jina"
        )
    )
    assert (error.type, error.path, error.message) == (
        "invalid_json",
        "$",
        "not valid UTF-8",
    )


def test_validate_reports_a_limit_as_one_problem() -> None:
    problems = rf.validate(
        b'{"results": []}', format="jina", kind="response", limits=rf.Limits(max_bytes=5)
    )
    assert [(p.type, p.path, p.message, p.severity) for p in problems] == [
        ("too_large", "$", "the body is 15 bytes; the limit is 5", "error")
    ]
    deep = b"[" * 100_000 + b"]" * 100_000
    assert [p.type for p in rf.validate(deep, format="cohere_v2", kind="request")] == ["too_deep"]
    assert rf.detect(deep) == ()


def test_decode_error_does_not_parse_an_oversized_body() -> None:
    body = b'{"detail": "' + b"x" * 200 + b'"}'
    error = rf.decode_error(body, format="jina", status=500, limits=rf.Limits(max_bytes=100))
    assert error == rf.RerankError(
        status=500,
        message='unrecognised jina error body (too large to read): {"detail": "' + "x" * 67 + "…",
    )


def test_reprs_show_only_the_start_of_documents_and_queries() -> None:
    request = rf.decode_request(
        b'{"model": "m", "query": "'
        + b"secret " * 20
        + b'", "documents": ["a", {"text": "'
        + b"x" * 100
        + b'"}, "c", "d", "e"]}',
        format="jina",
    )
    assert repr(request) == (
        "RerankRequest(query='secret secret secret secret secret secr…', documents=('a', "
        "TextDocument(text='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'), 'c', … 2 more), model='m')"
    )
    response = rf.decode_response(
        b'{"results": [{"index": 0, "relevance_score": 1, "document": "' + b"y" * 100 + b'"}]}',
        format="jina",
    )
    assert repr(response) == (
        "RerankResponse(results=(RerankResult(index=0, relevance_score=1.0, "
        "document='yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…'),))"
    )
