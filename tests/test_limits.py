"""Limits: hostile bodies are refused early, with an error of their own type."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import msgspec
import msgspec.inspect
import pytest

import rerank_formats as rf
from rerank_formats import validation
from rerank_formats.registry import get_codec

SEED_FORMATS = ("jina", "cohere_v1", "cohere_v2", "xinference")

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


def test_an_open_field_is_read_to_the_depth_limit_and_refused_beyond() -> None:
    """An open field (Cohere's `meta`) is read to `max_depth` levels, the body's included,
    and refused at the first level beyond."""
    limits = rf.Limits(max_depth=8)
    for depth in (7, 8, 9):
        inner = b"[" * (depth - 2) + b"]" * (depth - 2)  # in the body's {, then meta's {
        body = b'{"results": [], "meta": {"x": ' + inner + b"}}"
        if depth <= 8:
            assert rf.decode_response(body, format="cohere_v2", limits=limits).results == ()
            continue
        error = refused(
            lambda body=body: rf.decode_response(body, format="cohere_v2", limits=limits)
        )
        assert (error.type, error.path) == ("too_deep", "$.meta.x" + "[0]" * 6)


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
    path = "$" + ".self" * 64  # 321 characters: the path keeps its start and its end
    assert (error.type, error.path) == ("too_deep", path[:99] + "…" + path[-100:])
    assert len(error.path) == rf.MAX_MESSAGE_LENGTH


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


@pytest.mark.parametrize(
    ("format", "around", "path"),
    [
        ("jina", (b'"extra": ', b', "documents": ["a"]}'), "$.extra[0][0][0][0][0][0][0]"),
        (
            "cohere_v1",
            (b'"documents": [{"text": "a", "meta": ', b"}]}"),
            "$.documents[0].meta[0][0][0][0][0]",
        ),
    ],
)
def test_validate_leaves_the_depth_to_the_decoder_and_reports_it_at_its_path(
    format: str, around: tuple[bytes, bytes], path: str
) -> None:
    """`validate` does not walk a body for its depth before decoding it (the typed decoder
    bounds it, and checks the open fields'): one too_deep problem, where decode puts it."""
    before, after = around
    body = b'{"model": "m", "query": "q", ' + before + b"[" * 40 + b"]" * 40 + after
    limits = rf.Limits(max_depth=8)
    with pytest.raises(rf.DecodeError) as caught:
        rf.decode_request(body, format=format, limits=limits)
    assert (caught.value.type, caught.value.path) == ("too_deep", path)
    assert rf.validate(body, format=format, kind="request", limits=limits) == (
        rf.Problem(
            path=path, type="too_deep", message="nested deeper than 8 levels", severity="error"
        ),
    )


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


# -- reproducers of issue 10 (an outside fuzzing campaign), each a regression case ----------------

SURROGATE = '{"model": "m", "query": "\udc80", "documents": ["a"]}'  # as surrogateescape makes


@pytest.mark.parametrize(
    "call",
    [
        lambda: rf.decode_request('"\udc80"', format="jina"),
        lambda: rf.decode_request(SURROGATE, format="jina"),
        lambda: rf.decode_response('{"results": [], "id": "\udc80"}', format="cohere_v2"),
        lambda: rf.convert_request(SURROGATE, read="jina", write="cohere_v2"),
    ],
)
def test_a_str_payload_with_a_lone_surrogate_is_a_decode_error(call) -> None:  # type: ignore[no-untyped-def]
    error = refused(call)
    assert (error.type, error.path) == ("invalid_json", "$")
    assert error.message.startswith("not valid Unicode: a lone surrogate at character ")


def test_validate_and_detect_read_a_lone_surrogate_as_invalid_json() -> None:
    assert rf.validate(SURROGATE, format="jina", kind="request") == (
        rf.Problem(
            path="$",
            type="invalid_json",
            message="not valid Unicode: a lone surrogate at character 25",
            severity="error",
        ),
    )
    assert rf.detect(SURROGATE) == ()


def test_a_parsed_payload_holding_what_json_cannot_is_a_decode_error() -> None:
    """What `json.loads` (FastAPI's parser) lets through is refused when decoding, not when
    encoding later (docs/pydantic.md's endpoint decodes `model_dump()`)."""
    cases = [
        (
            {"model": "m", "query": "\ud800", "documents": ["a"]},
            "$.query",
            "a string with a lone surrogate is not valid Unicode",
        ),
        (
            {"model": "m", "query": "q", "documents": ["a"], "\udc80": 1},
            "$.\\udc80",
            "a key is not valid Unicode",
        ),
        (
            {"model": "m", "query": "q", "documents": ["a"], "top_n": 10**4400},
            "$.top_n",
            "an integer of more than 4,300 digits",
        ),
        (
            {"model": "m", "query": "q", "documents": ["a"], "x": [10**5000]},
            "$.x[0]",
            "an integer of more than 4,300 digits",
        ),
        (
            {"model": "m", "query": "q", "documents": [{1: "x"}]},
            "$.documents[0].1",
            "object keys must be strings",
        ),
    ]
    for body, path, message in cases:
        error = refused(lambda body=body: rf.decode_request(body, format="jina"))
        assert (error.type, error.path, error.message) == ("invalid_value", path, message)
        assert [(p.path, p.message) for p in rf.validate(body, format="jina", kind="request")] == [
            (path, message)
        ]
    nan = json.loads('{"results": [{"index": 0, "relevance_score": NaN}]}')
    error = refused(lambda: rf.convert_response(nan, read="jina", write="cohere_v2"))
    assert (error.type, error.path, error.message) == (
        "invalid_value",
        "$.results[0].relevance_score",
        "nan is not a JSON number",
    )


def test_cohere_v1_chunks_of_thousands_of_digits_are_a_problem_not_a_crash() -> None:
    chunks = b"9" * 4300  # the longest integer the parser reads; times 2 documents is longer
    body = b'{"query": "q", "documents": ["a", "b"], "max_chunks_per_doc": ' + chunks + b"}"
    problems = rf.validate(body, format="cohere_v1", kind="request")
    assert [(p.path, p.type, p.message) for p in problems] == [
        (
            "$.documents",
            "too_many_chunks",
            "documents x max_chunks_per_doc is ~1e4300; Cohere requires less than 10000",
        )
    ]
    # no traceback either; the formats detect lists are exactly those that read it without an
    # error (cohere_v1's limit is its own), and none of the seed formats does
    assert [m.format for m in rf.detect(body)] == [
        f
        for f in rf.FORMATS
        if not any(p.severity == "error" for p in rf.validate(body, format=f, kind="request"))
    ]
    assert "cohere_v1" not in [m.format for m in rf.detect(body)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "FORMATS", SEED_FORMATS)
        patch.setattr(validation, "ERROR_FORMATS", (*SEED_FORMATS, "openai"))
        assert rf.detect(body) == ()
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "rerank_formats",
            "validate",
            "--format",
            "cohere_v1",
            "--kind",
            "request",
        ],
        input=body,
        capture_output=True,
        check=False,
    )
    assert (cli.returncode, b"Traceback" in cli.stderr) == (1, False)
    assert b"documents x max_chunks_per_doc is ~1e4300" in cli.stdout


def test_convert_error_never_raises_for_a_parsed_body_with_a_lone_surrogate() -> None:
    assert rf.convert_error(
        {"detail": "bad \udc80 token", "code": "E\ud800"},
        read="jina",
        write="cohere_v2",
        status=401,
    ) == (401, b'{"message":"bad ? token"}')
    assert rf.convert_error({"message": 10**5000}, read="cohere_v2", write="jina")[0] == 500


def test_a_key_spelled_like_msgspecs_path_suffix_is_just_a_key() -> None:
    """The decoder's path and type come from its own walk, not from msgspec's message."""
    body = b'{"results": [], "usage": {"total_tokens": 1, "x - at `$.evil`": 1}}'
    error = refused(lambda: rf.decode_response(body, format="jina"))
    assert (error.type, error.path, error.message) == (
        "unknown_field",
        "$.usage.x - at `$.evil`",
        "unknown field `x - at `$.evil``",
    )
    error = refused(
        lambda: rf.decode_request({"query": "q", "documents": [{"x": 1}]}, format="cohere_v1")
    )
    assert (error.type, error.path, error.message) == (
        "wrong_type",
        "$.documents[0].x",
        "Expected `str`, got `int`",
    )


LONG_KEY = "k" * 500


def test_no_message_quotes_a_key_in_full() -> None:
    deep = {"model": "m", "query": "q", "documents": ["a"], LONG_KEY: [[[[[]]]]]}
    error = refused(lambda: rf.decode_request(deep, format="jina", limits=rf.Limits(max_depth=3)))
    assert error.path == "$." + "k" * 39 + "…[0][0]"
    request = rf.decode_request(
        {"model": "m", "query": "q", "documents": ["a"], LONG_KEY: 1}, format="jina"
    )
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(request, format="cohere_v2")
    [loss] = info.value.losses
    assert (len(loss.path), loss.path[:10], loss.path[-10:]) == (
        rf.MAX_MESSAGE_LENGTH,
        "$.kkkkkkkk",
        "kkkkkkkkkk",
    )
    assert loss.reason == f"jina field `{'k' * 39}…` has no cohere_v2 equivalent"
    assert len(str(info.value)) < 2 * rf.MAX_MESSAGE_LENGTH + 100
    rank_fields = {"query": "q", "documents": [{"text": "t"}], "rank_fields": ["f" * 500]}
    [problem] = rf.validate(rank_fields, format="cohere_v1", kind="request")
    assert problem.message == f"the document has none of {'f' * 39}… (from rank_fields)"


def test_a_key_with_a_newline_cannot_forge_a_log_line() -> None:
    body = b'{"model": "m", "query": "q", "documents": ["a"], "a\\nERROR forged": 1}'
    request = rf.decode_request(body, format="jina")
    with pytest.raises(rf.LossyConversionError) as info:
        rf.encode_request(request, format="cohere_v2")
    assert str(info.value) == (
        "cohere_v2 cannot express $.a\\nERROR forged: "
        "jina field `a\\nERROR forged` has no cohere_v2 equivalent"
    )
    [problem] = rf.validate(body, format="cohere_v2", kind="request")
    assert (
        str(problem) == "$.a\\nERROR forged: unknown field `a\\nERROR forged` (Cohere answers 422)"
    )


def test_the_repr_of_extensions_is_cut_short() -> None:
    body = {
        "model": "m",
        "query": "q",
        "documents": ["a"],
        LONG_KEY: "v" * 500,
        "n": [[[[1]]]],
        "b": 10**50,
    }
    assert repr(rf.decode_request(body, format="jina")) == (
        "RerankRequest(query='q', documents=('a',), model='m', extensions={'jina': Extension("
        f"fields={{'{'k' * 39}…': '{'v' * 39}…', 'n': …, 'b': ~1e50}}, defaulted=frozenset(), "
        "results={}, at_default=frozenset(), absent=frozenset())})"
    )


def test_what_no_decoder_reads_back_is_not_written() -> None:
    nan = rf.RerankResponse(results=(rf.RerankResult(index=0, relevance_score=float("nan")),))
    negative = rf.RerankResponse(results=(), usage=rf.Usage(total_tokens=-1))
    for fmt in rf.FORMATS:
        with pytest.raises(rf.EncodeError) as info:
            rf.encode_response(nan, format=fmt)
        assert (info.value.path, info.value.message) == (
            "$.results[0].relevance_score",
            "relevance_score nan cannot be written as JSON",
        )
        with pytest.raises(rf.EncodeError) as info:
            rf.encode_response(negative, format=fmt)
        assert (info.value.path, info.value.message) == (
            "$.usage.total_tokens",
            "total_tokens -1 is negative",
        )
    body = b'{"model": "m", "results": [], "usage": {"total_tokens": -1}}'
    error = refused(lambda: rf.convert_response(body, read="jina", write="xinference"))
    assert (error.type, error.path, error.message) == (
        "out_of_range",
        "$.usage.total_tokens",
        "Expected `int` >= 0",
    )


def _swapped(node: object, old: object, new: object) -> object:
    """`node` with every leaf equal to `old` (and of its type) replaced by `new`."""
    if isinstance(node, dict):
        return {k: _swapped(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [_swapped(v, old, new) for v in node]
    return new if node == old and type(node) is type(old) else node


@pytest.mark.parametrize("fmt", rf.FORMATS)
def test_no_decoder_reads_what_is_not_written(fmt: str) -> None:
    """`convert_response` skips the write-time check of the results it decoded (a tenth of
    a conversion at 1,000 results): it relies on every decoder refusing a score that is not
    finite and a negative index, whether the body comes as text or parsed."""
    response = rf.RerankResponse(results=(rf.RerankResult(index=7, relevance_score=0.5),))
    body = msgspec.json.decode(rf.encode_response(response, format=fmt, on_loss="ignore"))
    codec = get_codec(fmt, "response")
    at = f"{codec.results_at}[0]"
    score = f"{at}.{codec.key('relevance_score')}"
    for bad, expected in (
        (_swapped(body, 0.5, float("nan")), ("invalid_value", score, "nan is not a JSON number")),
        (_swapped(body, 0.5, float("inf")), ("invalid_value", score, "inf is not a JSON number")),
        (_swapped(body, 0.5, -float("inf")), ("invalid_value", score, "-inf is not a JSON number")),
    ):
        error = refused(lambda bad=bad: rf.convert_response(bad, read=fmt, write="jina"))
        assert (error.type, error.path, error.message) == expected
    error = refused(lambda: rf.convert_response(_swapped(body, 7, -1), read=fmt, write="jina"))
    assert (error.type, error.path) == ("out_of_range", f"{at}.index")
    text = msgspec.json.encode(body).replace(b"0.5", b"1e999")
    error = refused(lambda: rf.convert_response(text, read=fmt, write="jina"))
    assert (error.type, error.path) == ("out_of_range", "$")
    written = rf.convert_response(msgspec.json.encode(body), read=fmt, write="jina")
    [result] = rf.decode_response(written, format="jina").results
    assert (result.index, result.relevance_score) == (7, 0.5)


def test_documents_are_counted_before_any_work_per_document() -> None:
    """10,001 documents that are all wrong: the count is refused, not the first document."""
    bad = [1] * 10_001
    for body in (
        {"model": "m", "query": "q", "documents": bad},
        msgspec.json.encode({"model": "m", "query": "q", "documents": bad}),
    ):
        error = refused(lambda body=body: rf.decode_request(body, format="jina"))
        assert (error.type, error.path) == ("too_many_documents", "$.documents")
        assert [p.type for p in rf.validate(body, format="jina", kind="request")] == [
            "too_many_documents"
        ]
        assert rf.detect(body) == ()
    results = {"results": [{"index": "x"}] * 10_001}
    error = refused(lambda: rf.decode_response(results, format="cohere_v2"))
    assert (error.type, error.message) == (
        "too_many_documents",
        "10,001 results; the limit is 10,000",
    )


def test_validate_lists_at_most_max_problems() -> None:
    body = {"model": "m", "query": "q", "documents": [1, 2, 3, 4, 5]}
    problems = rf.validate(body, format="jina", kind="request", limits=rf.Limits(max_problems=2))
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.documents[0]", "wrong_type", "error"),
        ("$.documents[1]", "wrong_type", "error"),
        ("$", "too_many_problems", "error"),
    ]
    assert problems[-1].message == "more problems not listed, errors among them"
    warnings_only = {"model": "m", "query": "q", "documents": ["a"], "x": 1, "y": 2, "z": 3}
    problems = rf.validate(
        warnings_only, format="xinference", kind="request", limits=rf.Limits(max_problems=1)
    )
    assert [(p.type, p.message, p.severity) for p in problems][-1] == (
        "too_many_problems",
        "2 more warnings not listed",
        "warning",
    )


def test_validate_and_detect_do_not_walk_what_the_decoder_accepts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """validate builds msgspec type info once, and a payload the decoder accepts costs a
    decode, not a walk per candidate (detect used to walk it 13 times)."""
    from rerank_formats.formats import _walk

    walks: list[object] = []
    real = _walk.Walker.walk

    def walk(self: _walk.Walker, *args: object) -> None:
        if self.explain:  # validate's walk, not the decoder's search for its first error
            walks.append(args)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_walk.Walker, "walk", walk)
    body = (
        b'{"results": ['
        + b",".join(b'{"index": %d, "relevance_score": 0.5, "rank": 1}' % i for i in range(50))
        + b"]}"
    )
    assert rf.detect(body)  # every registered format considered, none walked
    # which formats fit is stated exactly for the seed formats (as in test_validate.py): a new
    # format sharing `results` changes the full list
    monkeypatch.setattr(validation, "FORMATS", SEED_FORMATS)
    monkeypatch.setattr(validation, "ERROR_FORMATS", (*SEED_FORMATS, "openai"))
    assert [m.format for m in rf.detect(body)] == ["cohere_v1", "cohere_v2", "xinference"]
    assert [p.path for p in rf.validate(body, format="xinference", kind="response")][:2] == [
        "$.results[0].rank",
        "$.results[1].rank",
    ]
    assert walks == []
    built: list[object] = []
    monkeypatch.setattr(
        msgspec.inspect, "type_info", lambda t: built.append(t) or real_type_info(t)
    )
    for _ in range(3):
        rf.validate(b'{"results": 5}', format="cohere_v2", kind="response")
    assert built == []  # cached since the first call of the session


real_type_info = msgspec.inspect.type_info


def test_warnings_do_not_grow_the_callers_registry() -> None:
    registry = globals().setdefault("__warningregistry__", {})
    registry.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for i in range(200):
            request = rf.RerankRequest(
                query="q",
                documents=("a",),
                model="m",
                extensions={"jina": rf.Extension(fields={f"k{i}": 1})},
            )
            rf.encode_request(request, format="cohere_v2", on_loss="warn")
    assert len(caught) == 200
    assert caught[0].filename == __file__
    assert len(registry) <= 1  # warnings' own version stamp; no entry per text


def test_the_pydantic_models_quote_an_unknown_key_short() -> None:
    import pydantic

    from rerank_formats.pydantic import cohere_v2

    with pytest.raises(pydantic.ValidationError) as info:
        cohere_v2.Request.model_validate(  # type: ignore[attr-defined]
            {"model": "m", "query": "q", "documents": ["a"], LONG_KEY: float("nan")}
        )
    assert info.value.errors()[0]["msg"] == (
        f"Input should be a finite number (in unknown key '{'k' * 38}…)"
    )
