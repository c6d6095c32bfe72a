"""rerank_formats.pydantic: models derived from the wire Structs that accept and refuse
exactly what the decoders do (a differential test), and the differences that are documented."""

from __future__ import annotations

import copy
import doctest
import functools
import json
import os
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import msgspec
import pydantic
import pytest
from helpers import recorded
from hypothesis import given, strategies as st
from jsonschema import Draft202012Validator
from strategies import json_values, mutations

import rerank_formats as rf
import rerank_formats.pydantic as rfp
from rerank_formats._codegen import (
    _HEADER,
    DECODER_RULES,
    PYDANTIC,
    _Writer,
    main as codegen_main,
    pydantic_source,
)
from rerank_formats.pydantic import cohere_v1, cohere_v2, jina, model, openai, xinference
from rerank_formats.registry import get_codec

PAIRS = [
    (f, k)
    for k in ("request", "response", "error")
    for f in rf.ERROR_FORMATS
    if k == "error" or f != "openai"
]
IDS = [f"{f}.{k}" for f, k in PAIRS]
RECORDED = {
    pair: [p.read_bytes() for f, k, p in recorded(pair[1]) if f == pair[0]] for pair in PAIRS
}
REFUSED = "cohere_v2/openapi-2024-10-legacy-object-docs-request.json"  # v2 takes strings now
ZIPPED = "vllm_score/test-online-score-text-1-list-text-2-list-request.json"  # N to N pairs
RULED = {  # the fields a decoder checks beyond their wire type (in the `*_to_canonical`s)
    ("xinference", "request"): frozenset({"return_documents", "return_len"}),
    ("cohere_v1", "response"): frozenset({"meta"}),
    ("cohere_v2", "response"): frozenset({"meta"}),
    ("xinference", "response"): frozenset({"meta"}),
    ("vllm_score", "request"): frozenset({""}),  # "": the whole payload
    ("vllm", "error"): frozenset({""}),
    ("vllm_score", "error"): frozenset({""}),
}


def decoded(fmt: str, kind: str, data: Any) -> Any:
    """What the library reads from `data` (bytes, or the dict a model dumps); for errors, the
    shape `decode_error` tries first, which raises where `decode_error` would move on."""
    if kind == "request":
        return rf.decode_request(data, format=fmt)
    if kind == "response":
        return rf.decode_response(data, format=fmt)
    get_codec(fmt, "error").decode(data)
    return rf.decode_error(data, format=fmt)


def decoder_accepts(fmt: str, kind: str, data: Any) -> bool:
    try:
        decoded(fmt, kind, data)
    except rf.DecodeError:
        return False
    return True


def accepts(validate: Callable[[Any], object], data: Any) -> bool:
    try:
        validate(data)
    except pydantic.ValidationError:
        return False
    return True


def problems(validate: Callable[[Any], object], data: Any) -> list[tuple[Any, ...]]:
    """(loc, type, message) of every error `validate` raises."""
    try:
        validate(data)
    except pydantic.ValidationError as error:
        return [(e["loc"], e["type"], e["msg"]) for e in error.errors()]
    return []


def cohere_v2_body(**fields: Any) -> dict[str, Any]:
    return {"model": "rerank-v3.5", "query": "q", "documents": ["a", "b"], **fields}


# -- the public surface ------------------------------------------------------------------------


def test_namespaces_mirror_the_format_modules() -> None:
    expected = {
        jina: ["Error", "ErrorItem", "LegacyDetail", "Request", "Response", "Result", "Usage"],
        cohere_v1: ["Error", "Request", "Response", "Result"],
        cohere_v2: ["Error", "RelevantSpans", "Request", "Response", "Result", "Span"],
        xinference: ["Error", "Request", "Response", "Result"],
        openai: ["Body", "Error"],
    }
    prefixes = {jina: "Jina", cohere_v1: "CohereV1", cohere_v2: "CohereV2"}
    prefixes |= {xinference: "Xinference", openai: "OpenAI"}
    for namespace, names in expected.items():
        assert dir(namespace) == names
        for name in names:
            assert getattr(namespace, name).__name__ == prefixes[namespace] + name
            assert issubclass(getattr(namespace, name), pydantic.BaseModel)
    with pytest.raises(
        AttributeError, match=re.escape("rerank_formats.pydantic.openai has no model 'Request'")
    ):
        openai.Request  # noqa: B018
    assert rfp.__all__ == sorted([*rf.ERROR_FORMATS, "model"])


def test_model_finds_the_same_classes_by_name() -> None:
    assert model("cohere-v2", "request") is cohere_v2.Request
    assert model("JINA", "response") is jina.Response
    assert model("openai", "error") is openai.Error
    assert cohere_v1.Error is not cohere_v2.Error  # one Struct, two formats, two names
    with pytest.raises(rf.UnknownFormatError):
        model("openai", "request")
    with pytest.raises(rf.RerankFormatError, match="kind must be"):
        model("jina", "answer")  # type: ignore[arg-type]


def test_the_checked_in_models_are_what_the_generator_writes_now() -> None:
    """A wire Struct (or a docstring of one) changed without `make pydantic` fails here."""
    assert PYDANTIC.read_text(encoding="utf-8") == pydantic_source()
    assert codegen_main(["pydantic", "--check"]) == 0


def test_type_checkers_see_every_field(tmp_path: Path) -> None:
    """The models are source, not built at run time: FastAPI users get field completion."""
    mypy_api = pytest.importorskip("mypy.api")
    program = tmp_path / "user.py"
    program.write_text(
        "from rerank_formats.pydantic import cohere_v2, jina\n"
        "def handle(body: cohere_v2.Request, answer: jina.Response) -> None:\n"
        "    reveal_type(body.top_n)\n"
        "    reveal_type(body.documents)\n"
        "    reveal_type(answer.results[0].relevance_score)\n"
        "    body.top_k\n",
        encoding="utf-8",
    )
    stdout, _, status = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", os.devnull, str(program)]
    )
    assert (status, [line.split(": ", 1)[1] for line in stdout.splitlines()[:-1]]) == (
        1,
        [
            'note: Revealed type is "int | None"',
            'note: Revealed type is "list[str]"',
            'note: Revealed type is "float"',
            'error: "CohereV2Request" has no attribute "top_k"; maybe "top_n"?  [attr-defined]',
        ],
    )


class BareResult(msgspec.Struct, forbid_unknown_fields=True):
    """One result of a bare-array response.

    Attributes:
        index: The document's position.
        relevance_score: The score.
    """

    index: Annotated[int, msgspec.Meta(ge=0)]
    relevance_score: float


def test_a_bare_array_payload_is_a_root_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A format whose response is a bare JSON array of results (TEI) gets a `RootModel`;
    unknown result keys are kept, as the decoder sets them aside."""
    writer = _Writer("acme")
    name = writer.root_of(
        tuple[BareResult, ...], "response", frozenset({"index", "relevance_score"})
    )
    assert (name, writer.names) == (
        "AcmeResponse",
        {"BareResult": "AcmeBareResult", "Response": "AcmeResponse"},
    )
    module = types.ModuleType("rerank_formats.pydantic._acme")  # as if generated for acme
    module.__package__ = "rerank_formats.pydantic"
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(_HEADER + "\n\n".join(writer.classes), module.__dict__)
    namespace = module.__dict__
    response = namespace["AcmeResponse"]
    body = response.model_validate_json(b'[{"index": 0, "relevance_score": 0.5, "title": "t"}]')
    assert body.model_dump(exclude_unset=True) == [
        {"index": 0, "relevance_score": 0.5, "title": "t"}
    ]
    assert problems(response.model_validate_json, b'[{"index": -1, "relevance_score": 1}]') == [
        ((0, "index"), "greater_than_equal", "Input should be greater than or equal to 0")
    ]
    assert response.__doc__ == "The acme response: a JSON array of results."


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(rfp, optionflags=doctest.ELLIPSIS)
    assert (failures, tried > 0) == (0, True)


# -- derived from the same definitions as json_schema ------------------------------------------


@pytest.mark.parametrize(("fmt", "kind"), PAIRS, ids=IDS)
def test_fields_and_descriptions_are_those_of_json_schema(fmt: str, kind: str) -> None:
    """Every model has its Struct's fields, required ones and descriptions: the same as the
    definitions of `rf.json_schema`, which reads the same Structs."""
    expected = rf.json_schema(format=fmt, kind=kind)["$defs"]
    root = model(fmt, kind)
    schema = root.model_json_schema()
    prefix = root.__name__.removesuffix(kind.capitalize())
    definitions = dict(schema.get("$defs", {}))
    if schema.get("type") != "array":  # a bare array of results (TEI) is a RootModel, no Struct
        definitions[root.__name__] = schema
    assert sorted(definitions) == sorted(prefix + name for name in expected)
    for name, definition in expected.items():
        derived = definitions[prefix + name]
        assert derived["description"] == definition["description"]
        assert list(derived["properties"]) == list(definition["properties"])
        assert derived.get("required", []) == definition.get("required", [])
        for key, value in definition["properties"].items():
            assert derived["properties"][key]["description"] == value["description"]
            assert "default" not in derived["properties"][key]  # absent is not null


def test_a_field_has_its_documented_description() -> None:
    properties = cohere_v2.Request.model_json_schema()["properties"]
    assert properties["priority"] == {
        "anyOf": [{"type": "integer"}, {"type": "null"}],  # the cohere SDK 7.3.1 sends null
        "description": "Scheduling priority, 0 (the default, first) to 999.",
        "title": "Priority",
    }
    assert properties["top_n"]["anyOf"] == [{"type": "integer"}, {"type": "null"}]
    result = jina.Response.model_json_schema()["$defs"]["JinaResult"]
    assert result["properties"]["index"]["minimum"] == 0
    assert result["additionalProperties"] is True
    assert jina.Response.model_json_schema()["$defs"]["JinaUsage"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("fmt", "kind", "path"),
    list(recorded("request", "response", "error")),
    ids=lambda v: getattr(v, "name", v),
)
def test_every_recorded_payload_validates(fmt: str, kind: str, path: Path) -> None:
    body = path.read_bytes()
    model_ = model(fmt, kind)
    schema_errors = Draft202012Validator(model_.model_json_schema()).iter_errors(json.loads(body))
    if f"{fmt}/{path.name}" == REFUSED:
        assert not decoder_accepts(fmt, kind, body)
        assert problems(model_.model_validate_json, body) == [
            (("documents", i), "string_type", "Input should be a valid string") for i in range(5)
        ]
        assert sorted(e.json_path for e in schema_errors) == [f"$.documents[{i}]" for i in range(5)]
        return
    if f"{fmt}/{path.name}" == ZIPPED:  # the model applies the decoder's rule (vllm_score.pair_of)
        assert not decoder_accepts(fmt, kind, body)
        message = "2 first inputs score pairs one to one; a rerank request has one query"
        assert problems(model_.model_validate_json, body) == [
            ((), "unsupported_shape", f"{message} (at $.text_1)")
        ]
        return
    parsed = model_.model_validate_json(body)
    assert decoded(fmt, kind, parsed.model_dump(exclude_unset=True)) == decoded(fmt, kind, body)
    assert [e.json_path for e in schema_errors] == []


def test_the_decoders_rules_are_the_documented_ones() -> None:
    assert {(f, k, field) for (f, k), fields in RULED.items() for field in fields} == set(
        DECODER_RULES
    )


# -- semantics, exactly ------------------------------------------------------------------------


def test_unknown_keys_are_kept_at_the_top_and_in_results() -> None:
    body = cohere_v2.Request.model_validate_json(json.dumps(cohere_v2_body(top_k=3)))
    assert body.model_extra == {"top_k": 3}
    response = cohere_v1.Response.model_validate_json(
        b'{"results": [{"index": 0, "relevance_score": 0.5, "title": "t"}], "usage": {}}'
    )
    assert response.model_extra == {"usage": {}}
    assert response.model_dump(exclude_unset=True) == {
        "results": [{"index": 0, "relevance_score": 0.5, "title": "t"}],
        "usage": {},
    }
    # other nested objects are as closed as their Struct, as the decoder's are
    assert problems(
        jina.Response.model_validate, {"results": [], "usage": {"total_tokens": 1, "x": 1}}
    ) == [(("usage", "x"), "extra_forbidden", "Extra inputs are not permitted")]
    # an error envelope's object is read as best it can be: other keys are not kept
    assert problems(openai.Error.model_validate, {"error": {"message": "m", "x": 1}}) == []


def test_absent_and_null_stay_apart() -> None:
    absent = cohere_v2.Request.model_validate(cohere_v2_body())
    null = cohere_v2.Request.model_validate(cohere_v2_body(top_n=None))
    assert (absent.top_n, null.top_n) == (None, None)  # type: ignore[attr-defined]
    assert absent.model_dump(exclude_unset=True) == cohere_v2_body()
    assert null.model_dump(exclude_unset=True) == cohere_v2_body(top_n=None)
    assert problems(cohere_v2.Request.model_validate, cohere_v2_body(query=None)) == [
        (("query",), "string_type", "Input should be a valid string")
    ]
    assert problems(cohere_v2.Request.model_validate, {"query": "q"}) == [
        (("model",), "missing", "Field required"),
        (("documents",), "missing", "Field required"),
    ]


@pytest.mark.parametrize("value", ["1", True, 1.0, 2.5, [1]], ids=repr)
def test_types_are_strict(value: object) -> None:
    data = cohere_v2_body(top_n=value)
    assert not decoder_accepts("cohere_v2", "request", msgspec.json.encode(data))
    assert problems(cohere_v2.Request.model_validate, data) == [
        (("top_n",), "int_type", "Input should be a valid integer")
    ]


def test_an_int_is_a_float_and_a_bool_is_not() -> None:
    ok = {"results": [{"index": 0, "relevance_score": 1}]}
    assert cohere_v2.Response.model_validate(ok).results[0].relevance_score == 1  # type: ignore[attr-defined]
    bad = {"results": [{"index": 0, "relevance_score": True}]}
    assert problems(cohere_v2.Response.model_validate, bad) == [
        (("results", 0, "relevance_score"), "float_type", "Input should be a valid number")
    ]
    negative = {"results": [{"index": -1, "relevance_score": 0.5}]}
    assert problems(cohere_v2.Response.model_validate, negative) == [
        (
            ("results", 0, "index"),
            "greater_than_equal",
            "Input should be greater than or equal to 0",
        )
    ]


@pytest.mark.parametrize("text", [b"NaN", b"Infinity", b"-Infinity", b"1e309"])
def test_numbers_are_finite_everywhere(text: bytes) -> None:
    """JSON has no NaN or Infinity and msgspec refuses 1e309; pydantic's parser and json.loads
    read them as floats, which the models refuse wherever they are."""
    for template, where in [
        (b'{"results": [{"index": 0, "relevance_score": %s}]}', ("results", 0, "relevance_score")),
        (b'{"results": [], "meta": {"x": [%s]}}', ("meta", "x")),
        (b'{"results": [{"index": 0, "relevance_score": 1, "x": %s}]}', ("results", 0)),
        (b'{"results": [], "x": {"y": %s}}', ()),
    ]:
        body = template % text
        assert not decoder_accepts("cohere_v2", "response", body)
        for validate, data in [
            (cohere_v2.Response.model_validate_json, body),
            (cohere_v2.Response.model_validate, json.loads(body)),
        ]:
            [(loc, kind, message)] = problems(validate, data)
            assert (loc, kind) == (where, "finite_number")
            assert message.startswith("Input should be a finite number")


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (True, True),
        (None, True),
        ("true", True),
        ("No", True),
        ("ON", True),
        ("0", True),
        ("maybe", False),
        ("", False),
        (1, False),
    ],
)
def test_xinference_takes_pydantic_v1_boolean_strings(value: object, accepted: bool) -> None:
    """The rule of `xinference._check_flag`, which the model calls."""
    for key in ("return_documents", "return_len"):
        data = {"model": "bge", "query": "q", "documents": ["a"], key: value}
        assert decoder_accepts("xinference", "request", msgspec.json.encode(data)) is accepted
        expected = []
        if not accepted and isinstance(value, str):
            message = "expected a boolean (or one of pydantic v1's boolean strings)"
            expected = [((key,), "invalid_value", message)]
        elif not accepted:  # 1 is neither a bool, nor a str, nor null
            expected = [
                ((key, "bool"), "bool_type", "Input should be a valid boolean"),
                ((key, "str"), "string_type", "Input should be a valid string"),
            ]
        assert problems(xinference.Request.model_validate, data) == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (
            {"tokens": {"input_tokens": 3, "output_tokens": 1.5}},
            ["expected a whole number of tokens (at $.meta.tokens.output_tokens)"],
        ),
        ({"tokens": "not an object", "billed_units": {"search_units": 1}}, []),
        (  # both parts are checked, whichever gives the usage
            {"tokens": {"input_tokens": 3}, "billed_units": {"input_tokens": -1}},
            ["Expected `float` >= 0.0 (at $.meta.billed_units.input_tokens)"],
        ),
        (
            {"tokens": {}, "billed_units": {"input_tokens": -1}},
            ["Expected `float` >= 0.0 (at $.meta.billed_units.input_tokens)"],
        ),
        (
            {"tokens": {"output_tokens": "3"}},
            ["Expected `float | null`, got `str` (at $.meta.tokens.output_tokens)"],
        ),
    ],
)
def test_cohere_token_counts_are_non_negative_numbers(
    meta: dict[str, Any], expected: list[str]
) -> None:
    """The rule of `_cohere.usage_from_meta`, which the models call."""
    for fmt, namespace in (("cohere_v1", cohere_v1), ("cohere_v2", cohere_v2)):
        data = {"results": [], "meta": meta}
        assert decoder_accepts(fmt, "response", msgspec.json.encode(data)) is not expected
        found = problems(namespace.Response.model_validate, data)
        assert [message for _, _, message in found] == expected
        assert all(loc == ("meta",) for loc, _, _ in found)


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (None, None),
        ({"input_tokens": 0}, None),
        ({"input_tokens": 7, "output_tokens": 7, "extra": "x"}, None),
        ({"input_tokens": 1.0}, ("wrong_type", "Expected `int`, got `float`")),
        ({"input_tokens": -1}, ("out_of_range", "Expected `int` >= 0")),
        ({"output_tokens": 3}, ("missing_field", "missing required field `input_tokens`")),
        ("7", ("wrong_type", "Expected `object`, got `str`")),
    ],
)
def test_xinference_input_tokens_is_a_non_negative_int(
    tokens: object, expected: tuple[str, str] | None
) -> None:
    """The rule of `xinference._usage`, which the model calls."""
    data = {"results": [], "meta": {"tokens": tokens}}
    assert decoder_accepts("xinference", "response", msgspec.json.encode(data)) is (
        expected is None
    )
    found = problems(xinference.Response.model_validate, data)
    if expected is None:
        assert found == []
    else:
        [(loc, kind, message)] = found
        assert (loc, kind) == (("meta",), expected[0])
        assert message.startswith(expected[1] + " (at $.meta.tokens")


# -- the documented differences ----------------------------------------------------------------


def test_limits_are_the_decoders_not_the_models() -> None:
    deep: Any = "leaf"
    for _ in range(rf.DEFAULT_LIMITS.max_depth):
        deep = [deep]
    cases = {
        "too_deep": cohere_v2_body(x=deep),
        "too_many_documents": cohere_v2_body(documents=["a"] * 10_001),
        "too_long": cohere_v2_body(documents=["a" * 1_000_001]),
        "too_large": cohere_v2_body(x="a" * rf.DEFAULT_LIMITS.max_bytes),
    }
    for slug, data in cases.items():
        body = msgspec.json.encode(data)
        with pytest.raises(rf.DecodeError) as error:
            rf.decode_request(body, format="cohere_v2")
        assert error.value.type == slug
        assert accepts(cohere_v2.Request.model_validate_json, body)


def test_a_duplicated_key_hides_a_non_finite_number_from_the_model() -> None:
    body = b'{"model": "m", "query": "q", "documents": ["a"], "top_n": NaN, "top_n": 1}'
    with pytest.raises(rf.DecodeError, match="malformed"):
        rf.decode_request(body, format="cohere_v2")
    assert cohere_v2.Request.model_validate_json(body).top_n == 1  # type: ignore[attr-defined]
    assert cohere_v2.Request.model_validate(json.loads(body)).top_n == 1  # type: ignore[attr-defined]


def test_json_loads_lets_lone_surrogates_through() -> None:
    body = b'{"model": "m", "query": "\\ud800", "documents": ["a"]}'
    with pytest.raises(rf.DecodeError, match="malformed"):
        rf.decode_request(body, format="cohere_v2")
    assert not accepts(cohere_v2.Request.model_validate_json, body)
    assert cohere_v2.Request.model_validate(json.loads(body)).query == "\ud800"  # type: ignore[attr-defined]


# -- the differential test ---------------------------------------------------------------------

_TRICKY = [  # values near the edges of what some field takes
    None,
    True,
    False,
    0,
    -1,
    1.5,
    -0.5,
    2**64,
    "",
    "1",
    "true",
    "No",
    "maybe",
    [],
    {},
    ["a"],
    {"text": "a"},
    {"image": "a"},
    {"a": 1},
    {"input_tokens": -1},
    {"input_tokens": 2, "output_tokens": 2.5},
    {"input_tokens": "3"},
    {"output_tokens": 3},
    {"tokens": {"input_tokens": 3}},
    {"tokens": {"input_tokens": 1.5}},
    {"tokens": {"input_tokens": -1}},
    {"tokens": {"output_tokens": "3"}},
    {"tokens": "7"},
    {"billed_units": {"input_tokens": "1"}},
    {"tokens": {}, "billed_units": {"input_tokens": -1}},
    {"tokens": "x", "billed_units": {"output_tokens": 2}},
    {"index": 0, "relevance_score": 0.5},
    {"message": "m"},
]


def _keys(fmt: str) -> list[str]:
    """Keys worth adding to an object of `fmt`: every field of its models, and `meta`'s."""
    names = {"x", "tokens", "billed_units", "input_tokens", "output_tokens"}
    for name in dir(getattr(rfp, fmt)):
        names.update(getattr(getattr(rfp, fmt), name).model_fields)
    return sorted(names)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every object and array in `value`."""
    found = [path] if isinstance(value, (dict, list)) else []
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in items:
        found += _containers(child, (*path, key))
    return found


def _child(value: Any, step: Any) -> Any:
    if isinstance(value, dict) and isinstance(step, str):
        return value.get(step)
    if isinstance(value, list) and isinstance(step, int) and step < len(value):
        return value[step]
    return None


def _slots(body: Any, keys: list[str]) -> list[tuple[tuple[Any, ...], Any]]:
    """(container, key) for every value in `body` and every key one could add to an object;
    `None` for an item to append to an array."""
    slots = []
    for path in _containers(body):
        target = body
        for key in path:
            target = target[key]
        if isinstance(target, dict):
            slots += [(path, key) for key in [*target, *sorted(set(keys) - set(target))]]
        else:
            slots += [(path, key) for key in [*range(len(target)), None]]
    return slots


def _edited(
    bodies: list[bytes], keys: list[str], edits: int, under: frozenset[str] | None = None
) -> st.SearchStrategy[bytes]:
    """Bodies with `edits` values anywhere (or, tricky ones, `under` these top-level keys)
    replaced by other JSON values, or keys added."""
    parsed = [msgspec.json.decode(body) for body in bodies]
    slots = [
        [s for s in _slots(body, keys) if under is None or (s[0][:1] or (s[1],))[0] in under]
        for body in parsed
    ]

    def edit(number: int, steps: list[tuple[int, Any]]) -> bytes:
        value = copy.deepcopy(parsed[number])
        for slot, drawn in steps if slots[number] else ():
            path, key = slots[number][slot % len(slots[number])]
            replacement = copy.deepcopy(drawn)  # a later edit may edit inside it
            target = value
            for step in path:  # an earlier edit may have changed what is there
                target = _child(target, step)
            if isinstance(target, list) and key is None:
                target.append(replacement)
            elif (isinstance(target, dict) and isinstance(key, str)) or (
                isinstance(target, list) and isinstance(key, int) and key < len(target)
            ):
                target[key] = replacement
        return msgspec.json.encode(value)

    replacements = st.sampled_from(_TRICKY)
    if under is None:
        replacements |= json_values(max_leaves=3)
    step = st.tuples(st.integers(0, 2**16), replacements)
    return st.builds(
        edit, st.integers(0, len(bodies) - 1), st.lists(step, min_size=edits, max_size=edits)
    )


@functools.cache
def _bodies(fmt: str, kind: str) -> st.SearchStrategy[bytes]:
    bodies = RECORDED[fmt, kind]
    keys = _keys(fmt)
    ruled = RULED.get((fmt, kind))
    return st.one_of(
        json_values(max_leaves=5).map(msgspec.json.encode),
        st.dictionaries(st.sampled_from(keys), st.sampled_from(_TRICKY)).map(msgspec.json.encode),
        st.sampled_from(bodies),
        _edited(bodies, keys, 1),
        _edited(bodies, keys, 2),
        _edited(bodies, keys, 1, under=ruled) if ruled else st.nothing(),
        _edited(bodies, keys, 2, under=ruled) if ruled else st.nothing(),
        mutations(st.sampled_from(bodies)),
    )


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _surrogates(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, dict):
        return any(_surrogates(k) or _surrogates(v) for k, v in value.items())
    return isinstance(value, list) and any(_surrogates(v) for v in value)


@pytest.mark.parametrize(("fmt", "kind"), PAIRS, ids=IDS)
@given(data=st.data())
def test_models_accept_what_the_decoders_accept(fmt: str, kind: str, data: st.DataObject) -> None:
    body = data.draw(_bodies(fmt, kind), label="body")
    model_ = model(fmt, kind)
    if not _utf8(body):
        # msgspec skips a key its Struct ignores (inside an error envelope's object) without
        # reading it, so invalid UTF-8 there passes the decoder; pydantic's parser refuses
        # invalid UTF-8 anywhere (a documented difference)
        assert accepts(model_.model_validate_json, body) is False
        return
    expected = decoder_accepts(fmt, kind, body)
    if kind == "error":
        rf.decode_error(body, format=fmt)  # never raises for the body
    # pydantic's own parser
    assert accepts(model_.model_validate_json, body) is expected
    if expected:  # and the dump of what it read is the body, to the decoder
        dump = model_.model_validate_json(body).model_dump(exclude_unset=True)
        assert decoded(fmt, kind, dump) == decoded(fmt, kind, body)
    # FastAPI's: json.loads, then the model
    try:
        parsed = json.loads(body)
    except ValueError:
        return  # FastAPI answers 422 before any model sees the body
    if _surrogates(parsed):  # documented: json.loads lets them through, msgspec does not
        assert not expected
        return
    assert accepts(model_.model_validate, parsed) is expected
