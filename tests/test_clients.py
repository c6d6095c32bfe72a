"""Unmodified real clients that fit the development environment, against the proxy
(`rerank_formats.proxy`) over real HTTP on 127.0.0.1, each in front of a fake upstream per
seed format that answers with recorded payloads (tests/clients.py).

For every client and every upstream: the ranking the client reports (indices, scores,
documents, top_n), what the upstream received, and each upstream error (401, 422, 429, 500)
surfacing as the client's own exception. Every request a client sends must read in its
format and write back to the same JSON with no loss.

Clients whose pins conflict with this environment are in tests/test_clients_<env>.py.
"""

from __future__ import annotations

import json
import os
import time
import types
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from typing import Any

import cohere
import msgspec
import pytest
from clients import (
    DOCS,
    ERROR_IDS,
    QUERY,
    RANKED,
    STATUSES,
    UPSTREAMS,
    Stack,
    assert_library_error,
    assert_library_ranking,
    assert_lossless,
    assert_upstream_got,
    error_reply,
    llama_index_rerank,
    logged_losses,
    loopback_only,
    message,
    recorded_answer,
    reported_tokens,
    require_client,
    stacks,
)
from cohere.core.api_error import ApiError
from cohere.errors import (
    BadRequestError,
    InternalServerError,
    TooManyRequestsError,
    UnauthorizedError,
    UnprocessableEntityError,
)
from cohere.types import RerankResponse as CohereV1Response
from cohere.v2.types import V2RerankResponse
from servers import Recorder, fake_upstream, serve
from xinference_client import RESTfulClient  # type: ignore[import-untyped]
from xinference_client.client.restful.restful_client import (  # type: ignore[import-untyped]
    RESTfulRerankModelHandle,
)

import rerank_formats as rf

NO_RETRIES: Any = {"max_retries": 0}  # the Cohere SDK retries 429 and 5xx by default

# The cohere SDK's exception for each status (cohere/errors/, 7.3.1)
COHERE_ERRORS: dict[int, type[ApiError]] = {
    401: UnauthorizedError,
    422: UnprocessableEntityError,
    429: TooManyRequestsError,
    500: InternalServerError,
}


# -- the library as a client of every format, before every upstream ---------------------------


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("client", rf.FORMATS)
def test_every_format_fronts_every_upstream(
    stacks: dict[str, Stack], client: str, upstream: str
) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))
    assert_library_ranking(stack, client, upstream)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("client", rf.FORMATS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_format_reads_every_upstreams_errors(
    stacks: dict[str, Stack], client: str, upstream: str, status: int
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))
    assert_library_error(stack, client, upstream, status)


# -- Cohere's official SDK, v2 and v1 -----------------------------------------------------------


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_cohere_v2_sdk(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    with cohere.ClientV2(api_key="test-key", base_url=f"{stack.url}/cohere") as client:
        response = client.rerank(
            model="rerank-v3.5", query=QUERY[upstream], documents=DOCS[upstream], top_n=2
        )

    assert isinstance(response, V2RerankResponse)
    assert [(r.index, r.relevance_score) for r in response.results] == RANKED[upstream][:2]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    V2RerankResponse.model_validate_json(exchange.answer)  # the SDK's model, validating
    assert json.loads(exchange.answer)["results"] == [
        {"index": i, "relevance_score": s} for i, s in RANKED[upstream][:2]
    ]
    tokens = reported_tokens(upstream, stack.sent())
    meta = response.meta
    assert (meta and meta.tokens and meta.tokens.input_tokens) == tokens
    assert_lossless(exchange.body, "cohere_v2")
    assert_upstream_got(stack, upstream, "rerank-v3.5", 2, documents=False)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("return_documents", [True, False])
def test_cohere_v1_sdk(stacks: dict[str, Stack], upstream: str, return_documents: bool) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))
    documents = DOCS[upstream]

    with cohere.Client(api_key="test-key", base_url=f"{stack.url}/cohere") as client:
        response = client.rerank(
            model="rerank-english-v3.0",
            query=QUERY[upstream],
            documents=documents,
            top_n=3,
            return_documents=return_documents,
        )

    assert isinstance(response, CohereV1Response)
    got = [
        (r.index, r.relevance_score, r.document.text if r.document else None)
        for r in response.results
    ]
    assert got == [
        (i, s, documents[i] if return_documents else None) for i, s in RANKED[upstream][:3]
    ]
    [exchange] = stack.proxy.seen
    CohereV1Response.model_validate_json(exchange.answer)
    assert_lossless(exchange.body, "cohere_v1")
    assert_upstream_got(stack, upstream, "rerank-english-v3.0", 3, documents=return_documents)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_cohere_sdk_errors(stacks: dict[str, Stack], upstream: str, status: int) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))
    base_url = f"{stack.url}/cohere"
    exception = COHERE_ERRORS[status]

    with (
        cohere.ClientV2(api_key="k", base_url=base_url) as v2,
        pytest.raises(exception) as v2_error,
    ):
        v2.rerank(model="m", query="q", documents=["a", "b"], request_options=NO_RETRIES)
    with cohere.Client(api_key="k", base_url=base_url) as v1, pytest.raises(exception) as v1_error:
        v1.rerank(model="m", query="q", documents=["a", "b"], request_options=NO_RETRIES)

    for error in (v2_error.value, v1_error.value):
        assert type(error) is exception
        assert error.status_code == status
        request_id = ERROR_IDS.get((upstream, status))
        assert error.body == {"message": message(upstream, status, "cohere_v2")} | (
            {"id": request_id} if request_id else {}
        )
    assert [e.status for e in stack.proxy.seen] == [status, status]


def test_cohere_v1_request_the_upstream_cannot_take(stacks: dict[str, Stack]) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    with (
        cohere.Client(api_key="test-key", base_url=f"{stack.url}/cohere") as client,
        pytest.raises(BadRequestError) as error,
    ):
        client.rerank(query="q", documents=["a", "b"])  # v1's `model` is optional

    assert (error.value.status_code, error.value.body) == (
        400,
        {
            "message": "the upstream (jina) cannot take this request as it is"
            " ($.model: jina requires `model`; the request has none)"
        },
    )
    assert stack.upstream.seen == []
    assert_lossless(stack.posted()[0], "cohere_v1")


# -- deepset's cohere-haystack CohereRanker (Cohere v2, through the cohere SDK) ----------------


@contextmanager
def cohere_ranker(stack: Stack, top_k: int = 2) -> Iterator[Any]:
    """`CohereRanker(top_k=...)`, pointed at the proxy with `api_base_url`; its cohere client
    (which the ranker never closes) is closed when the block ends."""
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # before haystack is imported
    # cohere-haystack needs Python 3.11; the dependencies install it only there
    ranker = require_client("haystack_integrations.components.rankers.cohere")
    haystack = require_client("haystack")
    component = ranker.CohereRanker(
        model="rerank-v3.5",
        api_key=haystack.utils.Secret.from_token("test-key"),
        api_base_url=f"{stack.url}/cohere",
        top_k=top_k,
    )
    component.warm_up()
    with component._cohere_client:
        yield component


def haystack_documents(upstream: str) -> list[Any]:
    haystack = require_client("haystack")
    return [haystack.Document(content=text) for text in DOCS[upstream]]


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_cohere_haystack_ranker(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    with cohere_ranker(stack) as ranker:
        result = ranker.run(query=QUERY[upstream], documents=haystack_documents(upstream))

    assert [(d.content, d.score) for d in result["documents"]] == [
        (DOCS[upstream][i], s) for i, s in RANKED[upstream][:2]
    ]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, "cohere_v2")
    # cohere-haystack always sends max_tokens_per_doc: 4096, Cohere's documented default: an
    # upstream without the knob loses nothing (ranker.py, cohere-haystack 11.0.0)
    assert json.loads(exchange.body)["max_tokens_per_doc"] == 4096
    # the same limit where the upstream has one: Jina's `max_doc_length` counts tokens too
    extra = {"cohere_v2": {"max_tokens_per_doc": 4096}, "jina": {"max_doc_length": 4096}}.get(
        upstream, {}
    )
    assert_upstream_got(stack, upstream, "rerank-v3.5", 2, documents=False, **extra)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_cohere_haystack_ranker_errors(
    stacks: dict[str, Stack], upstream: str, status: int
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))
    exception = COHERE_ERRORS[status]

    with cohere_ranker(stack) as ranker, pytest.raises(exception) as error:
        ranker.run(query="q", documents=haystack_documents(upstream)[:2])

    assert (error.value.status_code, error.value.body["message"]) == (
        status,
        message(upstream, status, "cohere_v2"),
    )
    # the ranker's cohere client retries 429 and 5xx twice (cohere/core/http_client.py)
    tries = 3 if status in (429, 500) else 1
    assert [e.status for e in stack.proxy.seen] == [status] * tries


# -- Xinference's official client ---------------------------------------------------------------


@contextmanager
def xinference_model(stack: Stack) -> Iterator[RESTfulRerankModelHandle]:
    """The handle of model `bge-reranker-v2-m3`, looked up through the proxy as the client does."""
    with closing(RESTfulClient(f"{stack.url}/xinference")) as client:
        model = client.get_model("bge-reranker-v2-m3")
        assert isinstance(model, RESTfulRerankModelHandle)
        with closing(model):
            yield model


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("return_documents", [True, None])
def test_xinference_client(
    stacks: dict[str, Stack], upstream: str, return_documents: bool | None
) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))
    documents, query = DOCS[upstream], QUERY[upstream]

    with xinference_model(stack) as model:
        answer = model.rerank(documents, query, top_n=2, return_documents=return_documents)

    assert answer["results"] == [
        {
            "index": i,
            "relevance_score": s,
            # xinference-client types a document as {text} (types.py, 4.1.0)
            "document": {"text": documents[i]} if return_documents else None,
        }
        for i, s in RANKED[upstream][:2]
    ]
    # tokens only when the client asks `return_len`, as Xinference itself does
    assert answer["meta"]["tokens"] is None
    # The client checks the cluster's auth (a 404 means none) and the model's type first.
    assert [(e.method, e.path, e.status) for e in stack.proxy.seen] == [
        ("GET", "/xinference/v1/cluster/auth", 404),
        ("GET", "/xinference/v1/models/bge-reranker-v2-m3", 200),
        ("POST", "/xinference/v1/rerank", 200),
    ]
    assert_lossless(stack.posted()[0], "xinference")
    # xinference-client sends its optional fields as nulls and its `kwargs` as a JSON string
    # (restful_client.py, 4.1.0): the same format passes them on as they are
    extra: dict[str, Any] = {}
    if upstream == "xinference":
        extra = {"kwargs": "{}", "max_chunks_per_doc": None, "return_len": None}
    documents_back = bool(return_documents)
    assert_upstream_got(stack, upstream, "bge-reranker-v2-m3", 2, documents=documents_back, **extra)


def test_xinference_client_return_len_is_no_reason_to_refuse(stacks: dict[str, Stack]) -> None:
    # Cohere reports no tokens: a reporting loss, which the proxy's "raise_ranking" lets
    # through with a warning; it refused the whole rerank before (#9).
    stack = stacks["cohere_v2"].answer(recorded_answer("cohere_v2"))

    with logged_losses() as warned, xinference_model(stack) as model:
        answer = model.rerank(DOCS["cohere_v2"], QUERY["cohere_v2"], top_n=2, return_len=True)

    assert [(r["index"], r["relevance_score"]) for r in answer["results"]] == [
        (3, 0.999071),
        (4, 0.7867867),
    ]
    assert answer["meta"]["tokens"] is None
    assert warned == [
        "a reporting loss, sent on: $.return_len: cohere_v2 reports no token usage to answer"
        " `return_len` with (cohere_v2)"
    ]
    assert "return_len" not in stack.sent()


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_xinference_client_errors(stacks: dict[str, Stack], upstream: str, status: int) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    with xinference_model(stack) as model, pytest.raises(RuntimeError) as error:
        model.rerank(["a", "b"], "q")

    # restful_client.py (4.1.0): RuntimeError(f"Failed to rerank documents, detail: {detail}")
    detail = message(upstream, status, "xinference")
    assert str(error.value) == f"Failed to rerank documents, detail: {detail}"
    # Xinference answers validation failures with 500 (fixtures/cases/formats/xinference.json)
    assert stack.proxy.seen[-1].status == (500 if status == 422 else status)


# -- llama-index's XinferenceRerank --------------------------------------------------------------


def xinference_rerank(stack: Stack, top_n: int = 2) -> Any:
    base = require_client("llama_index.postprocessor.xinference_rerank")
    return base.XinferenceRerank(
        model="bge-reranker-v2-m3", base_url=f"{stack.url}/xinference", top_n=top_n
    )


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_llama_index_xinference_rerank(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    got = llama_index_rerank(xinference_rerank(stack), upstream)

    assert got == [(DOCS[upstream][i], s) for i, s in RANKED[upstream][:2]]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, "xinference")
    # it sends no top_n and cuts the list itself (base.py, 0.5.0)
    assert "top_n" not in json.loads(exchange.body)
    assert_upstream_got(stack, upstream, "bge-reranker-v2-m3", None, documents=False)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_llama_index_xinference_rerank_errors(
    stacks: dict[str, Stack], upstream: str, status: int
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    with pytest.raises(Exception) as error:
        llama_index_rerank(xinference_rerank(stack), upstream)

    # a bare Exception with the status and the body (base.py, 0.5.0)
    answered = 500 if status == 422 else status  # Xinference's validation failures are 500s
    body = json.dumps({"detail": message(upstream, status, "xinference")}, separators=(",", ":"))
    assert type(error.value) is Exception
    assert str(error.value) == (
        f"Xinference call failed with status code {answered}.Details: {body}"
    )


# -- Jina clients: llama-index's JinaRerank and deepset's jina-haystack JinaRanker --------------


def jina_rerank(stack: Stack, top_n: int = 2) -> Any:
    base = require_client("llama_index.postprocessor.jinaai_rerank")
    return base.JinaRerank(
        model="jina-reranker-v2-base-multilingual",
        api_key="test-key",
        base_url=f"{stack.url}/jina/v1",
        top_n=top_n,
    )


def jina_haystack_rank(stack: Stack, upstream: str) -> Any:
    """What `JinaRanker(top_k=2)`, pointed at the proxy, makes of the recorded documents."""
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")  # before haystack is imported
    # jina-haystack needs Python 3.11; the dependencies install it only there
    jina = require_client("haystack_integrations.components.rankers.jina")
    haystack = require_client("haystack")
    ranker = jina.JinaRanker(
        model="jina-reranker-v2-base-multilingual",
        api_key=haystack.utils.Secret.from_token("test-key"),
        base_url=f"{stack.url}/jina/v1/rerank",
        top_k=2,
    )
    return ranker.run(query=QUERY[upstream], documents=haystack_documents(upstream))


def assert_jina_exchange(stack: Stack, upstream: str) -> None:
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, "jina")
    # Jina returns documents unless told not to; these clients do not say
    assert_upstream_got(stack, upstream, "jina-reranker-v2-base-multilingual", 2, documents=True)


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_llama_index_jina_rerank(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    got = llama_index_rerank(jina_rerank(stack), upstream)

    assert got == [(DOCS[upstream][i], s) for i, s in RANKED[upstream][:2]]
    assert_jina_exchange(stack, upstream)


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_jina_haystack_ranker(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    result = jina_haystack_rank(stack, upstream)

    assert [(d.content, d.score) for d in result["documents"]] == [
        (DOCS[upstream][i], s) for i, s in RANKED[upstream][:2]
    ]
    # Cohere bills search units, not tokens: the usage is unknown (null), not an invented zero
    tokens = reported_tokens(upstream, stack.sent())
    # the upstream's count, as its format splits it (vLLM's prompt_tokens, ...)
    [exchange] = stack.upstream.seen
    read = rf.decode_response(exchange.answer, format=upstream).usage  # type: ignore[arg-type]
    usage = msgspec.to_builtins(read) if isinstance(read, rf.Usage) else None
    usage = usage or ({"total_tokens": tokens} if tokens else None)
    assert result["meta"] == {"model": "jina-reranker-v2-base-multilingual", "usage": usage}
    assert_jina_exchange(stack, upstream)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_jina_clients_errors(stacks: dict[str, Stack], upstream: str, status: int) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    with pytest.raises(RuntimeError) as llama_error:
        llama_index_rerank(jina_rerank(stack), upstream)
    with pytest.raises(RuntimeError) as haystack_error:
        jina_haystack_rank(stack, upstream)

    # both raise RuntimeError(resp["detail"]) (llama-index base.py 0.6.0, jina-haystack 2.0.1)
    assert str(llama_error.value) == message(upstream, status, "jina")
    assert str(haystack_error.value) == message(upstream, status, "jina")
    assert [e.status for e in stack.proxy.seen] == [status, status]


# -- the `rerankers` library's API rankers (Cohere v1 and Jina) --------------------------------

RERANKERS_PATHS = {"cohere": "/cohere/v1/rerank", "jina": "/jina/v1/rerank"}
RERANKERS_FORMATS = {"cohere": "cohere_v1", "jina": "jina"}


def rerankers_ranker(stack: Stack, provider: str) -> Any:
    rerankers = require_client("rerankers")
    return rerankers.Reranker(
        "rerank-english-v3.0",
        model_type="APIRanker",
        api_provider=provider,
        api_key="test-key",
        url=stack.url + RERANKERS_PATHS[provider],
        verbose=0,
    )


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("provider", ["cohere", "jina"])
def test_rerankers_api_ranker(stacks: dict[str, Stack], upstream: str, provider: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    ranked = rerankers_ranker(stack, provider).rank(QUERY[upstream], DOCS[upstream])

    assert [(r.document.doc_id, r.document.text, r.score, r.rank) for r in ranked.results] == [
        (i, DOCS[upstream][i], s, rank) for rank, (i, s) in enumerate(RANKED[upstream], 1)
    ]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, RERANKERS_FORMATS[provider])
    # it always asks every document back (top_n = len(docs)) and cuts with top_k itself
    top_n = len(DOCS[upstream])
    assert json.loads(exchange.body)["top_n"] == top_n
    assert_upstream_got(stack, upstream, "rerank-english-v3.0", top_n, documents=True)


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("provider", ["cohere", "jina"])
def test_rerankers_api_ranker_errors(
    stacks: dict[str, Stack], upstream: str, status: int, provider: str
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    with pytest.raises(KeyError) as error:
        rerankers_ranker(stack, provider).rank("q", ["a", "b"])

    # no error handling: it reads `results` from any body (api_rankers.py, 0.10.0)
    assert error.value.args == ("results",)
    [exchange] = stack.proxy.seen
    assert exchange.status == status


# -- A proxy as deployed by default, serving Cohere v2 at the root ----------------------------

UPSTREAM_KEY = "jina_SECRET0123456789upstreamkey"


@pytest.fixture(scope="module")
def root_stack() -> Iterator[Stack]:
    """A proxy with the default settings in front of a Jina upstream, serving Cohere v2 at
    the root (`client_format`), so an SDK's base URL is the proxy's own."""
    from rerank_formats.proxy import ProxyConfig, create_app

    with ExitStack() as servers:
        fake = fake_upstream("jina")
        config = ProxyConfig(
            upstream_url=servers.enter_context(serve(fake.recorder)),
            upstream_format="jina",
            upstream_api_key=UPSTREAM_KEY,
            client_format="cohere_v2",
        )
        proxy = Recorder(create_app(config))
        yield Stack(fake, proxy, servers.enter_context(serve(proxy)))


def test_cohere_v2_sdk_at_the_root(root_stack: Stack) -> None:
    stack = root_stack.answer(recorded_answer("jina"))
    stack.upstream.headers = {}

    with cohere.ClientV2(api_key="test-key", base_url=stack.url) as client:
        response = client.rerank(model="m", query=QUERY["jina"], documents=DOCS["jina"], top_n=2)

    assert [(r.index, r.relevance_score) for r in response.results] == RANKED["jina"][:2]
    assert [(e.method, e.path, e.status) for e in stack.proxy.seen] == [("POST", "/v2/rerank", 200)]


def test_cohere_sdk_waits_as_the_upstream_says(
    root_stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK retries a 429 after the upstream's Retry-After (cohere/core/http_client.py,
    `_retry_timeout`, 7.3.1); without it, after 0.5 s with jitter."""
    answers = iter([lambda _: (429, b'{"detail": "Rate limit reached"}'), recorded_answer("jina")])
    stack = root_stack.answer(lambda body: next(answers)(body))
    stack.upstream.headers = {"retry-after": "7"}
    slept: list[float] = []
    clock = types.SimpleNamespace(sleep=slept.append, time=time.time)
    monkeypatch.setattr(cohere.core.http_client, "time", clock)

    with cohere.ClientV2(api_key="test-key", base_url=stack.url) as client:
        response = client.rerank(
            model="m",
            query=QUERY["jina"],
            documents=DOCS["jina"],
            request_options={"max_retries": 1},
        )

    assert slept == [7.0]
    assert [r.index for r in response.results] == [i for i, _ in RANKED["jina"]]
    assert [e.status for e in stack.proxy.seen] == [429, 200]


def test_upstream_error_text_never_reaches_the_sdk_by_default(root_stack: Stack) -> None:
    echo = json.dumps({"detail": f"Invalid API key {UPSTREAM_KEY}", "code": 401}).encode()
    stack = root_stack.answer(lambda _: (401, echo))
    stack.upstream.headers = {}

    with (
        cohere.ClientV2(api_key="k", base_url=stack.url) as client,
        pytest.raises(UnauthorizedError) as error,
    ):
        client.rerank(model="m", query="q", documents=["a"], request_options=NO_RETRIES)

    assert error.value.body == {"message": "the upstream answered 401 Unauthorized"}
    assert UPSTREAM_KEY.encode() not in stack.proxy.seen[0].answer
