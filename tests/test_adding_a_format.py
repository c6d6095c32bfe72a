"""docs/adding-a-format.md, exercised: its two modules (a near-Jina dialect and a bare-array
format) registered for a test with no edit to any other file, then decoded, encoded,
converted, validated and schemed; and the contracts the registry checks."""

from __future__ import annotations

import doctest
import itertools
import json
import re
import sys
import types
from collections.abc import Iterator

import httpx
import msgspec
import pytest
from helpers import ROOT, recorded

import rerank_formats as rf
from rerank_formats import registry
from rerank_formats.formats import jina
from rerank_formats.formats._base import Endpoint
from rerank_formats.proxy import CLIENT_PATHS, NATIVE_PATHS, PREFIXES

PAGE = ROOT / "docs" / "adding-a-format.md"
MODULE = re.compile(
    r'^```python title="rerank_formats/formats/(?P<name>\w+)\.py"\n(?P<body>.*?)^```',
    re.DOTALL | re.MULTILINE,
)
SESSION = re.compile(r"^```text\n(?P<body>>>> .*?)^```", re.DOTALL | re.MULTILINE)


def _sources() -> dict[str, str]:
    return {m["name"]: m["body"] for m in MODULE.finditer(PAGE.read_text(encoding="utf-8"))}


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, types.ModuleType]]:
    """The page's modules, imported and registered as the registry does (`_load`); the
    registry and `sys.modules` are restored afterwards."""
    modules = {}
    for name, source in _sources().items():
        module = types.ModuleType(f"rerank_formats.formats.{name}")
        monkeypatch.setitem(sys.modules, module.__name__, module)
        exec(compile(source, f"adding-a-format.md:{name}.py", "exec"), module.__dict__)
        loaded = registry._load(name)
        monkeypatch.setitem(registry._MODULES, name, loaded)
        monkeypatch.setitem(registry._ERROR_MODULES, name, loaded)
        modules[name] = loaded
    yield modules


def test_the_page_has_both_modules() -> None:
    assert sorted(_sources()) == ["acme", "bare"]


def test_the_modules_register_and_are_found_by_name(
    registered: dict[str, types.ModuleType],
) -> None:
    assert registry.get_format("Acme") is registered["acme"]
    assert registry.get_codec("bare", "response").shape == "array"
    assert registry.get_codec("bare", "response").results_at == "$"
    assert registry.get_codec("acme", "response").results_at == "$.data"


def test_the_page_sessions_run(registered: dict[str, types.ModuleType]) -> None:
    sessions = [m["body"] for m in SESSION.finditer(PAGE.read_text(encoding="utf-8"))]
    assert len(sessions) == 2
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for number, text in enumerate(sessions):
        test = parser.get_doctest(text, {"rf": rf}, f"session {number}", str(PAGE), 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


# -- the near-Jina dialect ---------------------------------------------------------------------


def test_acme_request_reads_top_k_and_its_default(registered: object) -> None:
    request = rf.decode_request(
        b'{"model": "m", "query": "q", "documents": ["a", "b"], "top_k": 1}', format="acme"
    )
    assert request.top_n == 1
    assert request.return_documents is False
    assert request.extensions["acme"].defaulted == frozenset({"return_documents"})
    # its own absent default comes back absent
    assert rf.encode_request(request, format="acme") == (
        b'{"model":"m","query":"q","documents":["a","b"],"top_k":1}'
    )
    assert rf.encode_request(request, format="jina") == (
        b'{"model":"m","query":"q","documents":["a","b"],"top_n":1,"return_documents":false}'
    )


def test_acme_request_losses_come_from_the_shared_helpers(registered: object) -> None:
    request = rf.RerankRequest(query="q", documents=(rf.ImageDocument(image="u"),), truncation=True)
    with pytest.raises(rf.LossyConversionError) as caught:
        rf.encode_request(request, format="acme")
    assert [(loss.path, loss.reason, loss.kind) for loss in caught.value.losses] == [
        ("$.model", "acme requires `model`; the request has none", "ranking"),
        ("$.documents[0]", "acme takes text only, not an image document", "ranking"),
        ("$.truncation", "acme has no truncation switch", "ranking"),
    ]


def test_acme_response_keeps_unknown_keys_in_data(registered: object) -> None:
    body = b'{"data": [{"index": 1, "relevance_score": 0.25, "x": [1]}], "y": {"z": 2}}'
    assert rf.convert_response(body, read="acme", write="acme") == (
        b'{"data":[{"index":1,"relevance_score":0.25,"x":[1]}],"y":{"z":2}}'
    )
    with pytest.raises(rf.LossyConversionError) as caught:
        rf.convert_response(body, read="acme", write="jina")
    assert [(loss.path, loss.kind) for loss in caught.value.losses] == [
        ("$.y", "reporting"),
        ("$.results[0].x", "reporting"),
    ]


def test_acme_response_in_the_context_of_a_jina_request(registered: object) -> None:
    body = b'{"object": "list", "data": [{"index": 0, "relevance_score": 0.1},'
    body += b' {"index": 1, "relevance_score": 0.9}], "usage": {"total_tokens": 5}}'
    jina_request = b'{"model": "m", "query": "q", "documents": ["a", "b"], "top_n": 1}'
    assert rf.convert_response(body, read="acme", write="jina", request=jina_request) == (
        b'{"model":"m","object":"list","usage":{"total_tokens":5},'
        b'"results":[{"index":1,"relevance_score":0.9,"document":{"text":"b"}}]}'
    )
    with pytest.raises(rf.DecodeError) as caught:
        rf.convert_response(
            b'{"data": [{"index": 2, "relevance_score": 0.1}]}',
            read="acme",
            write="jina",
            request=jina_request,
        )
    assert (caught.value.path, caught.value.type) == ("$.data[0].index", "out_of_range")


def test_acme_too_many_results_are_refused_at_its_path(registered: object) -> None:
    body = b'{"data": [{"index": 0, "relevance_score": 0.1}, {"index": 1, "relevance_score": 0}]}'
    with pytest.raises(rf.DecodeError) as caught:
        rf.decode_response(body, format="acme", limits=rf.Limits(max_documents=1))
    assert (caught.value.path, caught.value.message) == ("$.data", "2 results; the limit is 1")


def test_acme_validation_reads_its_keys(registered: object) -> None:
    problems = rf.validate(
        b'{"model": "m", "query": "q", "documents": [], "top_k": 0}', format="acme", kind="request"
    )
    assert [(p.path, p.type, p.message, p.severity) for p in problems] == [
        ("$.documents", "empty_documents", "there are no documents to rank", "error"),
        ("$.top_k", "out_of_range", "top_k is 0; at least 1 is expected", "error"),
    ]
    problems = rf.validate(
        b'{"data": [{"index": 0, "relevance_score": 0.1}, {"index": 0, "relevance_score": 0.9}]}',
        format="acme",
        kind="response",
    )
    assert [(p.path, p.type, p.severity) for p in problems] == [
        ("$.data[1].index", "duplicate_index", "error"),
        ("$.data", "unsorted_results", "warning"),
    ]


def test_acme_errors_are_detail_bodies(registered: object) -> None:
    assert rf.convert_error(
        b'{"message": "bad key"}', read="cohere_v2", write="acme", status=401
    ) == (401, b'{"detail":"bad key"}')
    assert rf.convert_error(b'{"detail": "gone"}', read="acme", write="jina", status=402) == (
        403,
        b'{"detail":"gone"}',
    )


def test_acme_json_schema(registered: object) -> None:
    schema = rf.json_schema(format="acme", kind="response")
    assert schema["title"] == "acme response"
    assert schema["$defs"]["Response"]["required"] == ["data"]
    assert schema["$defs"]["Result"]["properties"]["relevance_score"] == {"type": "number"}


# -- the bare-array format ---------------------------------------------------------------------


def test_bare_response_is_an_array_with_usage_in_a_header(registered: object) -> None:
    body = b'[{"index": 1, "score": -2.5}, {"index": 0, "score": 3.0, "text": "a"}]'
    response = rf.decode_response(body, format="bare", headers={"X-Compute-Tokens": "12"})
    assert response.usage == rf.Usage(total_tokens=12)
    assert [(r.index, r.relevance_score, r.document) for r in response.results] == [
        (1, -2.5, msgspec.UNSET),
        (0, 3.0, "a"),
    ]
    assert rf.decode_response(body, format="bare").usage is msgspec.UNSET
    assert rf.decode_response(body, format="bare", headers={"x-compute-tokens": "n/a"}).usage is (
        msgspec.UNSET
    )


def test_bare_round_trip_keeps_unknown_result_keys(registered: object) -> None:
    body = b'[{"index": 0, "score": 0.5, "text": "a", "extra": null}, {"index": 1, "score": 0.1}]'
    assert rf.convert_response(body, read="bare", write="bare") == (
        b'[{"index":0,"score":0.5,"text":"a","extra":null},{"index":1,"score":0.1}]'
    )


def test_bare_request_return_text_is_return_documents(registered: object) -> None:
    request = rf.decode_request(b'{"query": "q", "texts": ["a"]}', format="bare")
    assert request.return_documents is False
    assert request.extensions["bare"].defaulted == frozenset({"return_documents"})
    assert rf.encode_request(request, format="bare") == b'{"query":"q","texts":["a"]}'
    assert (
        rf.convert_request(
            b'{"model": "m", "query": "q", "documents": ["a"], "truncation": true}',
            read="jina",
            write="bare",
            on_loss="ignore",
        )
        == b'{"query":"q","texts":["a"],"return_text":true,"truncate":true}'
    )


def test_bare_response_written_for_a_client(registered: object) -> None:
    jina_response = b'{"model": "m", "usage": {"total_tokens": 3}, "results": ['
    jina_response += b'{"index": 0, "relevance_score": 0.5, "document": {"image": "u"}}]}'
    with pytest.raises(rf.LossyConversionError) as caught:
        rf.convert_response(jina_response, read="jina", write="bare")
    assert [(loss.path, loss.reason) for loss in caught.value.losses] == [
        ("$.usage", "bare reports usage in a header"),
        ("$[0].text", "bare cannot echo an image document"),
    ]


def test_the_proxy_passes_the_upstream_headers_for_usage(
    registered: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    from rerank_formats.proxy import ProxyConfig, create_app

    seen: list[httpx.Request] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json=[{"index": 1, "score": 0.7}], headers={"x-compute-tokens": "9"}
        )

    config = ProxyConfig(
        upstream_url="https://upstream.test", upstream_format="bare", on_loss="ignore"
    )
    app = create_app(config, transport=httpx.MockTransport(upstream))
    with TestClient(app) as proxy:
        answer = proxy.post(
            "/jina/v1/rerank",
            json={"model": "m", "query": "q", "documents": ["a", "b"], "top_n": 1},
        )
    assert (seen[0].method, seen[0].url.path) == ("POST", "/rerank")
    assert seen[0].content == b'{"query":"q","texts":["a","b"],"return_text":true}'
    assert answer.json() == {
        "model": "m",
        "usage": {"total_tokens": 9},
        "results": [{"index": 1, "relevance_score": 0.7, "document": {"text": "b"}}],
    }


def test_bare_limits_are_refused_at_its_keys(registered: object) -> None:
    with pytest.raises(rf.DecodeError) as caught:
        rf.decode_request(
            b'{"query": "q", "texts": ["a", "bb"]}',
            format="bare",
            limits=rf.Limits(max_document_length=1),
        )
    assert (caught.value.path, caught.value.type) == ("$.texts[1]", "too_long")
    with pytest.raises(rf.DecodeError) as caught:
        rf.decode_request(
            b'{"query": "q", "texts": ["a", "b"]}', format="bare", limits=rf.Limits(max_documents=1)
        )
    assert (caught.value.path, caught.value.type) == ("$.texts", "too_many_documents")


def test_bare_validation_checks_the_array(registered: object) -> None:
    problems = rf.validate(
        b'[{"index": 0, "score": 0.1}, {"index": 0, "score": 0.9}]', format="bare", kind="response"
    )
    assert [(p.path, p.type, p.message) for p in problems] == [
        ("$[1].index", "duplicate_index", "index 0 appears twice"),
        ("$", "unsorted_results", "results are not sorted by descending score"),
    ]
    problems = rf.validate(b'{"results": []}', format="bare", kind="response")
    assert [(p.path, p.type, p.message) for p in problems] == [
        ("$", "wrong_type", "Expected `array`, got `object`"),
    ]
    assert rf.validate(b'{"query": "q", "texts": []}', format="bare", kind="request") == (
        rf.Problem(
            path="$.texts",
            type="empty_documents",
            message="there are no documents to rank",
            severity="error",
        ),
    )


def test_bare_json_schema_is_an_array(registered: object) -> None:
    schema = rf.json_schema(format="bare", kind="response")
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/$defs/Result"}


def test_bare_errors(registered: object) -> None:
    assert rf.convert_error(
        b'{"error": "too long", "error_type": "Validation"}', read="bare", write="jina", status=413
    ) == (400, b'{"detail":"too long","code":"Validation"}')


# -- the contracts checked at registration -----------------------------------------------------


def _broken(**changes: object) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{**vars(jina), **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"STATUSES": frozenset({400, 404})},
            "STATUSES must hold 400 and 500 (what an undeclared status maps to)",
        ),
        ({"SUPPORTS": frozenset({"model", "telepathy"})}, "SUPPORTS names unknown features"),
        ({"REQUIRES": frozenset({"query"})}, "REQUIRES may name only"),
        ({"SCORE_SCALE": "percent"}, "SCORE_SCALE must be one of"),
        ({"ENDPOINT": "/v1/rerank"}, 'ENDPOINT must be an Endpoint(method="POST", path="/...")'),
        (
            {"ENDPOINT": Endpoint("POST", "/v1/rerank", aliases=("rerank",))},
            'ENDPOINT must be an Endpoint(method="POST", path="/...")',
        ),
        (
            {"ENDPOINT": Endpoint("POST", "/rerank", max_documents=0)},
            "ENDPOINT.max_documents must be None or at least 1",
        ),
        ({"__all__": [n for n in jina.__all__ if n != "check"]}, "`check` must be defined"),
        ({"RESPONSE": jina.REQUEST}, "its response codec must be a Codec(format=NAME"),
    ],
)
def test_a_broken_module_is_refused_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(rf.RerankFormatError) as caught:
        registry.check_format(_broken(**changes))
    assert str(caught.value).startswith(f"format module 'jina': {message}")


def test_a_module_whose_name_is_not_its_own_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("rerank_formats.formats.renamed")
    module.NAME = "other"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    with pytest.raises(rf.RerankFormatError) as caught:
        registry._load("renamed")
    assert str(caught.value) == "format module 'renamed': NAME must be 'renamed'"


def test_every_format_and_kind_has_a_recorded_payload() -> None:
    """The differential tests (pydantic, validation) compare against recorded payloads: a
    format registered without one for each kind would test nothing (step 3 of the page)."""
    have = {(fmt, kind) for fmt, kind, _ in recorded("request", "response", "error")}
    wanted = {(f, k) for f in rf.FORMATS for k in ("request", "response", "error")}
    wanted |= {(f, "error") for f in rf.ERROR_FORMATS}
    assert sorted(wanted - have) == []


def test_the_proxy_paths_come_from_each_endpoint() -> None:
    assert {name: registry.get_format(name).ENDPOINT.path for name in rf.FORMATS} == NATIVE_PATHS
    assert {name: PREFIXES[name] + NATIVE_PATHS[name] for name in rf.FORMATS} == CLIENT_PATHS
    assert (CLIENT_PATHS["cohere_v1"], CLIENT_PATHS["cohere_v2"]) == (
        "/cohere/v1/rerank",
        "/cohere/v2/rerank",
    )
    assert CLIENT_PATHS["xinference"] == "/xinference/v1/rerank"


# -- the shared tests and the docs outputs take them with no edit ----------------------------


@pytest.fixture
def listed(
    registered: dict[str, types.ModuleType], monkeypatch: pytest.MonkeyPatch
) -> dict[str, types.ModuleType]:
    """The page's modules, also listed where `FORMATS` is read when called (as the registry
    lists a name of `FormatName`), with their column of the case table as proposed."""
    import case_table
    import clients

    from rerank_formats import cli, validation

    names = (*registry.FORMATS, *registered)
    for module in (registry, cli, validation):
        monkeypatch.setattr(module, "FORMATS", names)
    monkeypatch.setattr(cli, "ERROR_FORMATS", (*registry.ERROR_FORMATS, *registered))
    seed = case_table.column
    monkeypatch.setattr(
        clients, "column", lambda fmt: case_table.propose(fmt) if fmt in registered else seed(fmt)
    )
    return registered


def test_the_client_tests_front_and_are_fronted_by_a_new_format(listed: object) -> None:
    """tests/clients.py's fake upstream answers as the module writes, and the proxy serves
    the new formats it did not know at import: acme before every client format and every
    format (bare, which sends no `model`, gets the proxy's 400) before acme."""
    from clients import (
        RANKED,
        STATUSES,
        assert_library_error,
        assert_library_ranking,
        error_reply,
        open_stacks,
        recorded_answer,
    )

    with open_stacks(upstreams=("acme", "jina")) as stacks:
        for client in (*rf.FORMATS, "acme", "bare"):
            assert_library_ranking(stacks["acme"].answer(recorded_answer("acme")), client, "acme")
            assert_library_ranking(stacks["jina"].answer(recorded_answer("jina")), client, "jina")
            for status in STATUSES:
                stack = stacks["acme"].answer(error_reply("acme", status))
                assert_library_error(stack, client, "acme", status)
        # what acme answered, as its module writes it: `data`, text documents, the usage
        stack = stacks["acme"].answer(recorded_answer("acme"))
        assert_library_ranking(stack, "jina", "acme")
    [exchange] = stack.upstream.seen
    answer = json.loads(exchange.answer)
    assert [(r["index"], r["relevance_score"]) for r in answer["data"]] == RANKED["jina"]
    assert answer["data"][0]["document"] == json.loads(exchange.body)["documents"][0]
    assert answer["usage"] == {"total_tokens": 815}


def test_the_docs_outputs_list_a_new_format(listed: object) -> None:
    """What docs/cli.md shows of `formats` and `detect` (generated, docs_hooks/outputs.py)
    holds the new formats, in tables that fit 80 columns."""
    import io

    from rerank_formats import cli

    out = io.StringIO()
    assert cli._formats(None, out, io.StringIO()) == 0  # type: ignore[arg-type]
    lines = out.getvalue().splitlines()
    headers = [line.split()[1:] for line in lines if line.startswith("feature ")]
    assert [name for header in headers for name in header] == [*registry.FORMATS]
    # as many format columns per table as fit beside the 37-column descriptions, then the next
    assert all(37 + sum(1 + len(name) for name in header) <= 80 for header in headers)
    assert all(
        37 + sum(1 + len(name) for name in header) + 1 + len(following[0]) > 80
        for header, following in itertools.pairwise(headers)
    )
    assert [name for header in headers[-2:] for name in header][-2:] == ["acme", "bare"]
    assert max(len(line) for line in lines) <= 80
    start = next(i for i, line in enumerate(lines) if line.startswith("error bodies: "))
    assert " ".join(line.strip() for line in lines[start:]).endswith(", openai, acme, bare")
    found = [
        (m.format, m.kind, m.ambiguous)
        for m in rf.detect(
            b'{"model": "m", "query": "q", "documents": ["a"], "return_len": "true"}'
        )
    ]
    # xinference alone knows `return_len`; every other match is equally valid as the rest
    assert found[:2] == [("xinference", "request", False), ("jina", "request", True)]
    assert ("acme", "request", True) in found
    assert all(ambiguous for _, _, ambiguous in found[1:])
    assert {kind for _, kind, _ in found} == {"request"}


def test_the_modules_keep_a_null_an_sdk_sends_for_unset(registered: object) -> None:
    """The same-format round trip is exact (tests/test_client_payloads.py's null audit)."""
    acme = b'{"model":"m","query":"q","documents":["a"],"top_k":null,"return_documents":null}'
    assert rf.convert_request(acme, read="acme", write="acme") == acme
    bare = b'{"query":"q","texts":["a"],"return_text":null,"truncate":null}'
    assert rf.convert_request(bare, read="bare", write="bare") == bare
