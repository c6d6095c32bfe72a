"""The shortcuts of the hot paths write exactly what the per-item code writes: canonical
results reused as wire results only when they encode the same, documents passed whole only
when nothing in them changes."""

from __future__ import annotations

from types import ModuleType

import pytest
from msgspec import UNSET
from test_adding_a_format import registered  # noqa: F401 (a fixture)

import rerank_formats as rf

TEXT = rf.TextDocument(text="t")


def response(*documents: object, embedding: object = UNSET) -> rf.RerankResponse:
    return rf.RerankResponse(
        results=tuple(
            rf.RerankResult(
                index=i,
                relevance_score=1.0 - i / 10,
                document=d,  # type: ignore[arg-type]
                embedding=embedding if i == 0 else UNSET,  # type: ignore[arg-type]
            )
            for i, d in enumerate(documents)
        )
    )


@pytest.mark.parametrize(
    ("format", "documents", "expected"),
    [
        # None is no document for Cohere v1 (omitted) and a str is echoed as an object
        (
            "cohere_v1",
            (TEXT, None, "s", UNSET),
            b'{"results":[{"index":0,"relevance_score":1.0,"document":{"text":"t"}},'
            b'{"index":1,"relevance_score":0.9},'
            b'{"index":2,"relevance_score":0.8,"document":{"text":"s"}},'
            b'{"index":3,"relevance_score":0.7}]}',
        ),
        (
            "cohere_v1",
            (TEXT, UNSET),
            b'{"results":[{"index":0,"relevance_score":1.0,"document":{"text":"t"}},'
            b'{"index":1,"relevance_score":0.9}]}',
        ),
        # Xinference always sends the key: null when there is no document
        (
            "xinference",
            (TEXT, UNSET, "s", None),
            b'{"results":[{"index":0,"relevance_score":1.0,"document":{"text":"t"}},'
            b'{"index":1,"relevance_score":0.9,"document":null},'
            b'{"index":2,"relevance_score":0.8,"document":{"text":"s"}},'
            b'{"index":3,"relevance_score":0.7,"document":null}],'
            b'"meta":{"api_version":null,"billed_units":null,"tokens":null,"warnings":null}}',
        ),
        (
            "xinference",
            (UNSET, None),
            b'{"results":[{"index":0,"relevance_score":1.0,"document":null},'
            b'{"index":1,"relevance_score":0.9,"document":null}],'
            b'"meta":{"api_version":null,"billed_units":null,"tokens":null,"warnings":null}}',
        ),
        (
            "cohere_v2",
            (UNSET, UNSET),
            b'{"results":[{"index":0,"relevance_score":1.0},{"index":1,"relevance_score":0.9}]}',
        ),
        (
            "cohere_v2",
            (None, TEXT),
            b'{"results":[{"index":0,"relevance_score":1.0},{"index":1,"relevance_score":0.9}]}',
        ),
        (
            "jina",
            (rf.ObjectDocument(fields={"text": "a", "b": "c"}), TEXT),
            b'{"results":[{"index":0,"relevance_score":1.0,"document":{"text":"a","b":"c"}},'
            b'{"index":1,"relevance_score":0.9,"document":{"text":"t"}}]}',
        ),
        (
            "jina",
            (None, "s", TEXT, rf.ImageDocument(image="u"), UNSET),
            b'{"results":[{"index":0,"relevance_score":1.0,"document":null},'
            b'{"index":1,"relevance_score":0.9,"document":"s"},'
            b'{"index":2,"relevance_score":0.8,"document":{"text":"t"}},'
            b'{"index":3,"relevance_score":0.7,"document":{"image":"u"}},'
            b'{"index":4,"relevance_score":0.6}]}',
        ),
    ],
)
def test_results_are_written_alike_whatever_their_documents(
    format: str, documents: tuple[object, ...], expected: bytes
) -> None:
    assert rf.encode_response(response(*documents), format=format) == expected


@pytest.mark.parametrize("format", ["cohere_v1", "cohere_v2", "xinference"])
def test_an_embedding_is_a_loss_and_not_written(format: str) -> None:
    with pytest.raises(rf.LossyConversionError) as raised:
        rf.encode_response(response(UNSET, UNSET, embedding=[0.5]), format=format)
    assert [(loss.path, loss.reason) for loss in raised.value.losses] == [
        ("$.results[0].embedding", f"{format} does not return embeddings")
    ]
    body = rf.encode_response(
        response(UNSET, UNSET, embedding=[0.5]), format=format, on_loss="ignore"
    )
    assert b"embedding" not in body
    assert b'"index":0,"relevance_score":1.0' in body


def test_a_null_embedding_is_no_loss_and_not_written() -> None:
    body = rf.encode_response(response(UNSET, embedding=None), format="cohere_v2")
    assert body == b'{"results":[{"index":0,"relevance_score":1.0}]}'


@pytest.mark.parametrize(
    ("format", "expected"),
    [
        ("jina", b'"documents":["a",{"text":"b"},{"text":"c","d":"e"}]'),
        ("cohere_v1", b'"documents":["a",{"text":"b"},{"text":"c","d":"e"}]'),
        ("cohere_v2", b'"documents":["a","b","c"]'),
        ("xinference", b'"documents":["a","b","c"]'),
    ],
)
def test_documents_of_every_shape_are_written_one_by_one(format: str, expected: bytes) -> None:
    request = rf.RerankRequest(
        model="m",
        query="q",
        documents=(
            "a",
            rf.TextDocument(text="b"),
            rf.ObjectDocument(fields={"text": "c", "d": "e"}),
        ),
    )
    assert expected in rf.encode_request(request, format=format, on_loss="ignore")


def test_a_long_document_among_strings_is_named() -> None:
    limits = rf.Limits(max_document_length=3)
    with pytest.raises(rf.DecodeError) as raised:
        rf.decode_request(
            b'{"model": "m", "query": "q", "documents": ["abc", "abcd", "a"]}',
            format="cohere_v2",
            limits=limits,
        )
    assert (raised.value.type, raised.value.path) == ("too_long", "$.documents[1]")


VALIDATED = [
    ("cohere_v2", "response", b'{"results": [], "meta": {"x": ' + b"[" * 70 + b"]" * 70 + b"}}"),
    (
        "cohere_v1",
        "response",
        b'{"results": [{"index": 0, "relevance_score": 1}], "meta": {"tokens": {"input_tokens": 1.5}}}',
    ),
    (
        "jina",
        "request",
        b'{"model": "m", "query": "q", "documents": ["a", {"text": "b"}], "top_n": 0}',
    ),
    (
        "jina",
        "response",
        b'{"model": "m", "usage": {"total_tokens": 1}, "results": [{"index": 0, "relevance_score": 1}]}',
    ),
    (
        "xinference",
        "request",
        b'{"model": "m", "query": "q", "documents": ["a"], "return_documents": "yes"}',
    ),
    ("cohere_v2", "request", b'{"model": "m", "query": "q", "documents": ["a"], "top_k": 1}'),
]


@pytest.mark.parametrize(("format", "kind", "body"), VALIDATED)
def test_validate_finds_the_same_in_bytes_the_decoder_accepts_as_in_the_parsed_payload(
    format: str, kind: str, body: bytes
) -> None:
    """Bytes the strict decoder accepts skip the walk against the wire types; a parsed
    mapping is always walked. Both must give the same problems."""
    import msgspec

    parsed = msgspec.json.decode(body)
    assert rf.validate(body, format=format, kind=kind) == rf.validate(  # type: ignore[arg-type]
        parsed,
        format=format,
        kind=kind,  # type: ignore[arg-type]
    )


def test_validate_reports_a_deep_meta_of_a_valid_payload_once() -> None:
    problems = rf.validate(VALIDATED[0][2], format="cohere_v2", kind="response")
    assert [(p.path, p.type, p.message) for p in problems] == [
        ("$.meta.x" + "[0]" * 62, "too_deep", "nested deeper than 64 levels")
    ]


UNKNOWN_KEY = [
    (
        "jina",
        b'{"model": "m", "results": [{"index": 0, "relevance_score": 0.5, "document": {"text": "a"}}],'
        b' "usage": {"total_tokens": 3}, "trace": {"id": [1, 2]}}',
    ),
    (
        "cohere_v2",
        b'{"id": "x", "new": null, "results": [{"index": 0, "relevance_score": 0.5}],'
        b' "meta": {"tokens": {"input_tokens": 2}}}',
    ),
    (
        "xinference",
        b'{"results": [{"index": 0, "relevance_score": 0.5, "document": "a"}], "a": 1, "b": "2"}',
    ),
    ("cohere_v1", b'{"results": [{"index": 0, "relevance_score": 0.5, "extra": 1}], "x": 1}'),
]


@pytest.mark.parametrize(("format", "body"), UNKNOWN_KEY)
def test_unknown_keys_are_kept_alike_from_bytes_and_from_a_parsed_payload(
    format: str, body: bytes
) -> None:
    import msgspec

    from_bytes = rf.decode_response(body, format=format)
    assert from_bytes == rf.decode_response(msgspec.json.decode(body), format=format)
    assert rf.encode_response(from_bytes, format=format) == rf.convert_response(
        msgspec.json.decode(body), read=format, write=format
    )


def test_a_deep_unknown_key_is_refused_at_its_path() -> None:
    body = b'{"results": [], "x": {"y": ' + b"[" * 70 + b"]" * 70 + b"}}"
    with pytest.raises(rf.DecodeError) as raised:
        rf.decode_response(body, format="cohere_v2")
    assert (raised.value.type, raised.value.path) == ("too_deep", "$.x.y" + "[0]" * 62)


def test_a_meta_is_shallow_by_its_brackets_or_walked() -> None:
    from rerank_formats.limits import shallow

    assert shallow({"a": [[1]]}, 3)
    assert not shallow({"a": [[1]]}, 2)  # three brackets, deeper than 2: walked
    assert not shallow({"a": "[[[["}, 3)  # brackets in a string: not sure, walked
    assert not shallow(UNSET, 3)  # not JSON: walked
    assert shallow(None, 0)


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        (b'[{"index": 1, "relevance_score": 1}, {"index": 0, "relevance_score": 0.5}]', []),
        (
            b'[{"index": 1, "relevance_score": 0.5}, {"index": 0, "relevance_score": 1}]',
            [("$.results", "unsorted_results")],
        ),
        (
            b'[{"index": 1, "relevance_score": 1}, {"index": 1, "relevance_score": 0.5}]',
            [("$.results[1].index", "duplicate_index")],
        ),
        (  # a score that is not a number is passed over: 0.5 then 0.7 is unsorted
            b'[{"index": 0, "relevance_score": 0.5}, {"index": 1, "relevance_score": "x"},'
            b' {"index": 2, "relevance_score": 0.7}]',
            [("$.results[1].relevance_score", "wrong_type"), ("$.results", "unsorted_results")],
        ),
    ],
)
def test_results_are_checked_alike_on_the_fast_and_the_slow_path(
    results: bytes, expected: list[tuple[str, str]]
) -> None:
    body = b'{"results": ' + results + b"}"
    problems = rf.validate(body, format="cohere_v2", kind="response")
    assert [(p.path, p.type) for p in problems] == expected


BARE_UNKNOWN = (
    b'[{"index": 1, "score": 0.9, "x_trace": "a"}, {"index": 0, "score": 0.1},'
    b' {"index": 2, "score": 0.05, "text": "c", "tag": {"k": [1, 2]}, "y": null}]'
)


def test_unknown_result_keys_of_a_bare_array_are_kept_at_c_speed(
    registered: dict[str, ModuleType],  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bare array's results with unknown keys (TEI's shape) decode without the general
    path, into what the general path reads: the same canonical response, written back the
    same."""
    import msgspec

    codec = registered["bare"].RESPONSE
    general = rf.decode_response(msgspec.json.decode(BARE_UNKNOWN), format="bare")
    assert general.extensions["bare"].results == {
        1: {"x_trace": "a"},
        2: {"tag": {"k": [1, 2]}, "y": None},
    }

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the general path was taken")

    monkeypatch.setattr(codec, "convert", refuse)
    fast = rf.decode_response(BARE_UNKNOWN, format="bare")
    assert fast == general
    assert rf.encode_response(fast, format="bare") == (
        b'[{"index":1,"score":0.9,"x_trace":"a"},{"index":0,"score":0.1},'
        b'{"index":2,"score":0.05,"text":"c","tag":{"k":[1,2]},"y":null}]'
    )


def test_a_deep_unknown_result_key_of_a_bare_array_is_refused_at_its_path(
    registered: dict[str, ModuleType],  # noqa: F811 (the fixture imported above)
) -> None:
    body = b'[{"index": 0, "score": 0.5, "x": ' + b"[" * 63 + b"]" * 63 + b"}]"
    with pytest.raises(rf.DecodeError) as raised:
        rf.decode_response(body, format="bare")
    assert (raised.value.type, raised.value.path) == ("too_deep", "$[0].x" + "[0]" * 62)
    within = b'[{"index": 0, "score": 0.5, "x": ' + b"[" * 62 + b"]" * 62 + b"}]"
    assert rf.decode_response(within, format="bare").extensions["bare"].results[0]["x"]
