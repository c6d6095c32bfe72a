"""What a format's `ENDPOINT` declares, used (#13, #14): the headers and the key a server
wants (`request_headers`, `api_key_from`), the paths the proxy serves a client format at
(`client_routes`), the key in the upstream's own header, the client's key in the client's,
and requests split over an upstream's batch limit, against a fake upstream on 127.0.0.1.

The formats are throwaway modules (tests/throwaway.py): `keyed` takes its key bare in
`Api-Key`, wants `X-Api-Version` with every request, answers at three paths and takes two
documents a call; `raw` answers logits."""

from __future__ import annotations

import asyncio
import http
import json
import logging
import types
from typing import Any

import httpx
import pytest
from hypothesis import given, strategies as st
from servers import Recorder, serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from throwaway import register

import rerank_formats as rf
from rerank_formats import registry
from rerank_formats.proxy import CLIENT_ROUTES, ProxyConfig, _app, create_app

KEYED_ENDPOINT = 'ENDPOINT: Final = Endpoint(method="POST", path="/v1/rerank")'
KEYED = {
    'PROVIDER: Final = "Acme"': 'PROVIDER: Final = "Keyed"',
    KEYED_ENDPOINT: (
        'ENDPOINT: Final = Endpoint(method="POST", path="/v1/rank",'
        ' aliases=("/rank", "/v2/rank"), auth_header="Api-Key", auth_scheme="",'
        ' headers={"X-Api-Version": "2025-10"}, max_documents=2)'
    ),
}


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    return register(monkeypatch, "keyed", replace=KEYED)


@pytest.fixture
def raw(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    logit = {'SCORE_SCALE: Final[ScoreScale] = "probability"': 'SCORE_SCALE = "logit"'}
    return register(monkeypatch, "raw", replace=logit)


# -- the library's pure functions --------------------------------------------------------------


def test_request_headers_come_from_the_endpoint(keyed: object) -> None:
    assert rf.request_headers("keyed", api_key="k-1") == {
        "X-Api-Version": "2025-10",
        "Api-Key": "k-1",
    }
    assert rf.request_headers("keyed") == {"X-Api-Version": "2025-10"}
    assert rf.request_headers("cohere_v1", api_key="k-1") == {"Authorization": "Bearer k-1"}
    for bad in ("", " k", "k\r\nX-Injected: 1", "clé"):
        with pytest.raises(rf.RerankFormatError) as caught:
            rf.request_headers("jina", api_key=bad)
        assert str(caught.value) == "an API key must be printable ASCII, without spaces around"


@pytest.mark.parametrize(
    ("format", "headers", "key"),
    [
        ("keyed", {"api-key": "k-1"}, "k-1"),
        ("keyed", {"API-KEY": " k-1 "}, "k-1"),
        ("keyed", {"Authorization": "Bearer k-1"}, None),  # not where a keyed client puts it
        ("keyed", {"Api-Key": ""}, None),
        ("jina", {"Authorization": "Bearer k-1"}, "k-1"),
        ("jina", {"authorization": "bearer  k-1"}, "k-1"),
        ("jina", {"Authorization": "Basic k-1"}, None),
        ("jina", {"Authorization": "k-1"}, None),
        ("jina", {"Authorization": "Bearer "}, None),
        ("jina", {}, None),
    ],
)
def test_the_key_a_client_sends(
    keyed: object, format: str, headers: dict[str, str], key: str | None
) -> None:
    assert rf.api_key_from(format, headers) == key  # type: ignore[arg-type]


def test_every_path_and_alias_is_served_under_the_prefix(keyed: object) -> None:
    assert _app.client_routes(("jina", "keyed")) == {
        "/jina/v1/rerank": "jina",
        "/keyed/v1/rank": "keyed",
        "/keyed/rank": "keyed",
        "/keyed/v2/rank": "keyed",
    }
    assert _app.client_routes(rf.FORMATS) == CLIENT_ROUTES
    assert {path: name for name, path in _app.CLIENT_PATHS.items()}.items() <= (
        CLIENT_ROUTES.items()
    )


def test_a_shared_path_stays_unambiguous(keyed: object, monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint = (
        'ENDPOINT: Final = Endpoint(method="POST", path="/v2/rank", aliases=("/rank", "/v3/rank"))'
    )
    replace = {**KEYED, KEYED_ENDPOINT: endpoint}
    register(monkeypatch, "other", replace=replace)
    # its path beats keyed's alias; the alias both declare is served for neither
    assert _app.client_routes(("keyed", "other")) == {
        "/keyed/v1/rank": "keyed",
        "/keyed/v2/rank": "other",
        "/keyed/v3/rank": "other",
    }
    register(monkeypatch, "clash", replace=KEYED)
    with pytest.raises(rf.RerankFormatError) as caught:
        _app.client_routes(("keyed", "clash"))
    assert str(caught.value) == "keyed and clash are both served at /keyed/v1/rank"


# -- the proxy as a client format's server -----------------------------------------------------


def _cohere(request: httpx.Request) -> httpx.Response:
    documents = json.loads(request.content)["documents"]
    results = [{"index": i, "relevance_score": 0.5 - i / 10} for i in range(len(documents))]
    return httpx.Response(200, json={"results": results})


def test_a_client_format_is_served_at_its_aliases_with_its_own_key(
    keyed: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # create_app reads the registry when it is called: the throwaway format is served too
    monkeypatch.setattr(registry, "FORMATS", (*rf.FORMATS, "keyed"))
    seen: list[httpx.Request] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _cohere(request)

    config = ProxyConfig(
        upstream_url="https://up.test",
        upstream_format="cohere_v2",
        upstream_api_key="up-key",
        client_api_key="proxy-key",
        client_format="keyed",  # type: ignore[arg-type]
    )
    body = {"model": "m", "query": "q", "documents": ["a", "b"], "top_k": 1}
    with TestClient(create_app(config, transport=httpx.MockTransport(upstream))) as client:
        served = {
            path: client.post(path, json=body, headers={"Api-Key": "proxy-key"}).json()
            for path in ("/keyed/v1/rank", "/keyed/rank", "/keyed/v2/rank", "/v1/rank", "/rank")
        }
        bearer = client.post(
            "/keyed/rank", json=body, headers={"Authorization": "Bearer proxy-key"}
        )
        wrong = client.post("/keyed/rank", json=body, headers={"Api-Key": "proxy-kez"})
        jina = client.post(
            "/jina/v1/rerank",
            json={"model": "m", "query": "q", "documents": ["a"]},
            headers={"Authorization": "Bearer proxy-key"},
        )
    assert set(map(json.dumps, served.values())) == {
        json.dumps({"data": [{"index": 0, "relevance_score": 0.5}], "model": "m"})
    }
    refusal = {"detail": "a valid API key is required (Api-Key: <key>)"}
    assert (bearer.status_code, bearer.json()) == (401, refusal)
    assert (wrong.status_code, wrong.json()) == (401, refusal)
    assert jina.status_code == 200
    # the upstream sees its own key, never a client's
    assert {r.headers["authorization"] for r in seen} == {"Bearer up-key"}
    assert not any("proxy-key" in str(r.headers) for r in seen)
    assert "proxy-key" not in repr(config)


# -- the proxy in front of a batch-limited upstream on 127.0.0.1 -------------------------------


class Keyed:
    """A `keyed` server on 127.0.0.1: it refuses more than two documents (413) and a request
    without its key and version header (401), scores each document by its length, and answers
    only once `together` requests are in (so that calls made one after another time out)."""

    def __init__(self, together: int = 1, patience: float = 5) -> None:
        self.together = together
        self.arrived = 0
        self.event: asyncio.Event | None = None
        self.fail: dict[str, Response] = {}

        async def rank(request: Request) -> Response:
            body = json.loads(await request.body())
            documents = body["documents"]
            if request.headers.get("api-key") != "up-key" or (
                request.headers.get("x-api-version") != "2025-10"
            ):
                return JSONResponse({"detail": "no key"}, 401)
            if len(documents) > 2:
                return JSONResponse({"detail": "at most 2 documents"}, 413)
            self.event = self.event or asyncio.Event()
            self.arrived += 1
            if self.arrived >= self.together:
                self.event.set()
            try:
                await asyncio.wait_for(self.event.wait(), patience)
            except TimeoutError:
                return JSONResponse({"detail": "the calls did not come together"}, 500)
            for document, answer in self.fail.items():
                if document in documents:
                    return answer
            ranked = sorted(range(len(documents)), key=lambda i: -len(documents[i]))
            data = [{"index": i, "relevance_score": len(documents[i]) / 10} for i in ranked]
            return JSONResponse({"data": data, "usage": {"total_tokens": len(documents)}})

        self.recorder = Recorder(Starlette(routes=[Route("/v1/rank", rank, methods=["POST"])]))


def _run(upstream: Keyed, request: dict[str, Any], **settings: Any) -> httpx.Response:
    with serve(upstream.recorder) as url:
        config = ProxyConfig(
            upstream_url=url, upstream_format="keyed", upstream_api_key="up-key", **settings
        )
        with TestClient(create_app(config)) as client:
            return client.post("/jina/v1/rerank", json=request)


FIVE = {"model": "m", "query": "q", "documents": ["a", "bbbb", "cc", "ddd", "eeeee"]}


def test_a_request_over_the_batch_limit_is_split_and_merged(keyed: object) -> None:
    upstream = Keyed(together=3)
    answer = _run(upstream, {**FIVE, "top_n": 3})
    assert (answer.status_code, answer.json()) == (
        200,
        {
            "model": "m",
            "usage": {"total_tokens": 5},
            "results": [
                {"index": 4, "relevance_score": 0.5, "document": {"text": "eeeee"}},
                {"index": 1, "relevance_score": 0.4, "document": {"text": "bbbb"}},
                {"index": 3, "relevance_score": 0.3, "document": {"text": "ddd"}},
            ],
        },
    )
    sent = sorted(upstream.recorder.seen, key=lambda e: e.json()["documents"])
    assert [e.json() for e in sent] == [
        {"model": "m", "query": "q", "documents": ["a", "bbbb"], "top_k": 2,
         "return_documents": True},
        {"model": "m", "query": "q", "documents": ["cc", "ddd"], "top_k": 2,
         "return_documents": True},
        {"model": "m", "query": "q", "documents": ["eeeee"], "top_k": 1,
         "return_documents": True},
    ]  # fmt: skip
    assert {(e.path, e.headers["api-key"], e.headers["x-api-version"]) for e in sent} == {
        ("/v1/rank", "up-key", "2025-10")
    }
    assert not any("authorization" in e.headers for e in sent)


def test_a_request_within_the_limit_is_sent_whole(keyed: object) -> None:
    upstream = Keyed()
    answer = _run(upstream, {**FIVE, "documents": ["a", "bb"], "return_documents": False})
    assert answer.json() == {
        "model": "m",
        "usage": {"total_tokens": 2},
        "results": [{"index": 1, "relevance_score": 0.2}, {"index": 0, "relevance_score": 0.1}],
    }
    assert len(upstream.recorder.seen) == 1


def test_the_config_overrides_the_formats_batch_limit(keyed: object) -> None:
    upstream = Keyed()
    answer = _run(upstream, {**FIVE, "documents": ["a", "bb", "c"]}, upstream_max_documents=3)
    # one call of 3 documents, which the fake refuses as TEI would (Jina writes 413 as 400)
    assert (answer.status_code, answer.json()) == (
        400,
        {"detail": f"the upstream answered 413 {http.HTTPStatus(413).phrase}"},  # by version
    )
    upstream = Keyed(together=3)
    answer = _run(upstream, {**FIVE, "documents": ["a", "bb", "c"]}, upstream_max_documents=1)
    assert [r["index"] for r in answer.json()["results"]] == [1, 0, 2]
    assert len(upstream.recorder.seen) == 3


def test_an_error_in_one_part_is_the_answer(keyed: object) -> None:
    upstream = Keyed(together=3)
    upstream.fail["ddd"] = JSONResponse({"detail": "slow down"}, 429, headers={"Retry-After": "3"})
    answer = _run(upstream, FIVE)
    assert (answer.status_code, answer.json()) == (
        429,
        {"detail": "the upstream answered 429 Too Many Requests"},
    )
    assert answer.headers["retry-after"] == "3"
    upstream = Keyed(together=3)
    upstream.fail["eeeee"] = JSONResponse({"data": [{"index": 1, "relevance_score": 0.1}]})
    answer = _run(upstream, FIVE)
    assert (answer.status_code, answer.json()) == (
        500,
        {
            "detail": "the upstream's answer to part 3 of 3 is not a valid keyed response:"
            " out_of_range at $.data[0].index"
        },
    )


def test_the_parts_share_one_deadline(keyed: object) -> None:
    upstream = Keyed(together=4, patience=1.5)  # three calls come, each waiting for a fourth
    answer = _run(upstream, FIVE, upstream_timeout=0.5)
    assert (answer.status_code, answer.json()) == (
        504,
        {"detail": "the upstream did not answer within 0.5 s"},
    )


def test_the_number_of_parts_is_bounded(keyed: object) -> None:
    upstream = Keyed()
    answer = _run(upstream, FIVE, max_upstream_calls=2)
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "detail": "the request has 5 documents; the upstream takes 2 at a time,"
            " in at most 2 calls"
        },
    )
    assert upstream.recorder.seen == []


# -- scores through the proxy ------------------------------------------------------------------


def test_logits_reach_a_cohere_client_only_as_the_config_says(
    raw: object, caplog: pytest.LogCaptureFixture
) -> None:
    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [{"index": 0, "relevance_score": 2.0}]})

    body = {"model": "m", "query": "q", "documents": ["a"]}
    answers = {}
    for scores in ("keep", "sigmoid"):
        config = ProxyConfig(
            upstream_url="https://up.test",
            upstream_format="raw",  # type: ignore[arg-type]
            scores=scores,  # type: ignore[arg-type]
        )
        with (
            caplog.at_level(logging.WARNING, "rerank_formats.proxy"),
            TestClient(create_app(config, transport=httpx.MockTransport(upstream))) as client,
        ):
            answers[scores] = client.post("/cohere/v2/rerank", json=body).json()
            jina = client.post("/jina/v1/rerank", json=body).json()
        assert jina["results"] == [
            {"index": 0, "relevance_score": 2.0, "document": {"text": "a"}}
        ]  # Jina promises no range: left alone
    assert answers == {
        "keep": {"results": [{"index": 0, "relevance_score": 2.0}]},
        "sigmoid": {"results": [{"index": 0, "relevance_score": 0.8807970779778823}]},
    }
    assert [r.getMessage() for r in caplog.records] == [
        "the answer loses in cohere_v2: $.results[*].relevance_score: cohere_v2 scores are"
        ' probabilities in [0, 1], and these are logits (scores="sigmoid" maps them)'
        " (cohere_v2)"
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"scores": "softmax"}, "scores must be one of keep, sigmoid"),
        ({"upstream_max_documents": 0}, "upstream_max_documents must be a positive integer"),
        ({"max_upstream_calls": 0}, "max_upstream_calls must be a positive integer"),
        ({"client_api_key": ""}, "client_api_key must be printable ASCII, without spaces around"),
        (
            {"client_api_key": "k\nX: 1"},
            "client_api_key must be printable ASCII, without spaces around",
        ),
    ],
)
def test_the_new_settings_are_checked(options: dict[str, Any], message: str) -> None:
    with pytest.raises(rf.RerankFormatError) as caught:
        ProxyConfig(upstream_url="https://x.test", upstream_format="jina", **options)
    assert str(caught.value) == message


def test_the_keys_stay_out_of_the_repr() -> None:
    config = ProxyConfig(
        upstream_url="https://x.test",
        upstream_format="jina",
        upstream_api_key="up-secret",
        client_api_key="client-secret",
    )
    assert "secret" not in repr(config)


def test_serve_sets_the_new_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from rerank_formats import cli

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(app))
    monkeypatch.setenv("PROXY_KEY", "client-secret")
    argv = ["serve", "--upstream-url", "http://127.0.0.1:1", "--upstream-format", "jina"]
    assert cli.main(argv) == 0
    assert cli.main(
        [*argv, "--scores", "sigmoid", "--client-api-key-env", "PROXY_KEY",
         "--upstream-max-documents", "8", "--max-upstream-calls", "4"]
    ) == 0  # fmt: skip
    default, given = (app.state.config for app in started)
    assert (default.scores, default.client_api_key, default.upstream_max_documents) == (
        "keep",
        None,
        None,
    )
    assert default.max_upstream_calls == 16
    assert (given.scores, given.client_api_key) == ("sigmoid", "client-secret")
    assert (given.upstream_max_documents, given.max_upstream_calls) == (8, 4)
    monkeypatch.delenv("PROXY_KEY")
    with pytest.raises(SystemExit) as exited:
        cli.main([*argv, "--client-api-key-env", "PROXY_KEY"])
    assert exited.value.code == 2


def test_an_empty_upstream_key_is_none(keyed: object) -> None:
    seen: list[httpx.Request] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": []})

    config = ProxyConfig(
        upstream_url="https://up.test/base/",
        upstream_format="keyed",  # type: ignore[arg-type]
        upstream_api_key="",  # as an empty environment variable gives it
    )
    with TestClient(create_app(config, transport=httpx.MockTransport(upstream))) as client:
        client.post("/jina/v1/rerank", json={"model": "m", "query": "q", "documents": ["a"]})
    [sent] = seen
    assert str(sent.url) == "https://up.test/base/v1/rank"  # its path, not an alias
    assert sent.headers["x-api-version"] == "2025-10"
    assert "api-key" not in sent.headers and "authorization" not in sent.headers


def test_a_part_without_an_answer_is_the_answer(keyed: object) -> None:
    def upstream(request: httpx.Request) -> httpx.Response:
        if "ddd" in json.loads(request.content)["documents"]:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"data": []})

    config = ProxyConfig(upstream_url="https://up.test", upstream_format="keyed")  # type: ignore[arg-type]
    with TestClient(create_app(config, transport=httpx.MockTransport(upstream))) as client:
        answer = client.post("/jina/v1/rerank", json=FIVE)
    assert (answer.status_code, answer.json()) == (
        500,
        {"detail": "the upstream did not answer: ConnectError"},
    )


def _scoring(request: httpx.Request) -> httpx.Response:
    """A Cohere v2 server with no batch limit: each document scored by its length (ties in
    document order), cut to `top_n`, one billed search unit."""
    body = json.loads(request.content)
    documents = body["documents"]
    ranked = sorted(range(len(documents)), key=lambda i: -len(documents[i]))
    results = [{"index": i, "relevance_score": len(documents[i]) / 10} for i in ranked]
    return httpx.Response(200, json={"results": results[: body.get("top_n", len(results))]})


@given(
    documents=st.lists(st.text(alphabet="ab", max_size=4), min_size=1, max_size=12),
    top_n=st.one_of(st.none(), st.integers(1, 14)),
    return_documents=st.booleans(),
    limit=st.integers(1, 5),
)
def test_through_the_proxy_a_split_answers_as_the_whole(
    documents: list[str], top_n: int | None, return_documents: bool, limit: int
) -> None:
    request: dict[str, Any] = {"model": "m", "query": "q", "documents": documents}
    request["return_documents"] = return_documents
    if top_n is not None:
        request["top_n"] = top_n
    answers = []
    for batch in (None, limit):
        config = ProxyConfig(
            upstream_url="https://up.test",
            upstream_format="cohere_v2",
            upstream_max_documents=batch,
        )
        with TestClient(create_app(config, transport=httpx.MockTransport(_scoring))) as client:
            answers.append(client.post("/jina/v1/rerank", json=request).content)
    whole, split = answers
    assert split == whole
