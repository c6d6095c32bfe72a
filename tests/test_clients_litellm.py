"""litellm's `rerank()` (pinned in pyproject.toml; never 1.107.0) against the reference proxy
in front of every seed upstream, through its three providers that speak a seed format:
`cohere` on Cohere v1 (an `api_base` ending in `/v1/rerank`), `cohere` on Cohere v2 (any
other `api_base`: it appends `/v2/rerank`) and `jina_ai` (it replaces the `api_base`'s path
with `/v1/rerank`, so the proxy serves Jina at its root). It runs in its own environment
(`make test-clients-litellm`); elsewhere this module is skipped.

Sources: litellm/utils.py `should_use_cohere_v1_client`, litellm/llms/cohere/rerank*/ and
litellm/llms/jina_ai/rerank/transformation.py (`get_complete_url`), litellm 1.110.2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from clients import (
    DOCS,
    QUERY,
    RANKED,
    STATUSES,
    UPSTREAMS,
    Stack,
    assert_lossless,
    assert_upstream_got,
    error_reply,
    loopback_only,
    message,
    open_stacks,
    recorded_answer,
    reported_tokens,
    require_client,
)
from servers import Recorder, fake_upstream, proxy_app, serve
from vllm_stacks import Aliases

import rerank_formats as rf

# litellm fetches its model cost map from the network when imported, unless told not to
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
litellm = require_client("litellm")

# pydantic warns about a TypedDict of litellm's own each time litellm builds its models
pytestmark = pytest.mark.filterwarnings("ignore:Items? .* `ReadOnly` qualifier:UserWarning")

# provider: (the format it sends, the proxy path its api_base names, litellm's model prefix)
PROVIDERS = {
    "cohere_v1": ("cohere_v1", "/cohere/v1/rerank", "cohere"),
    "cohere_v2": ("cohere_v2", "/cohere", "cohere"),
    "jina_ai": ("jina", "", "jina_ai"),
}

# litellm's exception for each upstream status (litellm/litellm_core_utils/
# exception_mapping_utils.py: a 422 from Cohere or Jina becomes a BadRequestError)
LITELLM_ERRORS: dict[int, type[Exception]] = {
    401: litellm.AuthenticationError,
    422: litellm.BadRequestError,
    429: litellm.RateLimitError,
    500: litellm.InternalServerError,
}


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """The proxies, each also serving Jina at its root for the `jina_ai` provider, and
    leaving an unknown usage out of Jina answers: litellm validates `usage` as an object
    (`_JSON_OBJECT.validate_python(response.get("usage", {}))`,
    jina_ai/rerank/transformation.py), so a null fails and a missing key passes."""
    with open_stacks(root="jina", usage="omit") as built:
        yield built


def test_litellm_version() -> None:
    from importlib.metadata import version

    assert version("litellm") == "1.110.2"


def rerank(stack: Stack, provider: str, upstream: str, **params: Any) -> Any:
    _, path, prefix = PROVIDERS[provider]
    return litellm.rerank(
        model=f"{prefix}/rerank-v3.5",
        query=QUERY[upstream],
        documents=DOCS[upstream],
        api_base=stack.url + path,
        api_key="test-key",
        **params,
    )


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_litellm_rerank(stacks: dict[str, Stack], upstream: str, provider: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))
    client_format = PROVIDERS[provider][0]

    response = rerank(stack, provider, upstream, top_n=2)

    # Cohere v2 answers carry no documents, even to a client that asks (the cohere SDK's
    # V2RerankResponseResultsItem has none, 7.3.1): litellm then reports none
    documents = [None if client_format == "cohere_v2" else {"text": d} for d in DOCS[upstream]]
    assert [(r["index"], r["relevance_score"], r.get("document")) for r in response.results] == [
        (i, s, documents[i]) for i, s in RANKED[upstream][:2]
    ]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, client_format)
    # litellm asks for documents by default (rerank_api/main.py: return_documents=True)
    assert json.loads(exchange.body)["return_documents"] is True
    assert_upstream_got(stack, upstream, "rerank-v3.5", 2, documents=True)
    if client_format == "jina":  # litellm reads Jina's usage (jina_ai/rerank/transformation.py)
        tokens = reported_tokens(upstream, stack.sent())
        answer = json.loads(exchange.answer)
        # the upstream's count, as its format splits it (llama.cpp's prompt_tokens, ...)
        [upstream_exchange] = stack.upstream.seen
        read = rf.decode_response(upstream_exchange.answer, format=upstream).usage  # type: ignore[arg-type]
        usage = msgspec.to_builtins(read) if isinstance(read, rf.Usage) else None
        expected = usage or ({"total_tokens": tokens} if tokens else "omitted")
        assert answer.get("usage", "omitted") == expected


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_litellm_rerank_errors(
    stacks: dict[str, Stack], upstream: str, status: int, provider: str
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))
    client_format = PROVIDERS[provider][0]

    exception = LITELLM_ERRORS[status]

    with pytest.raises(exception) as error:
        rerank(stack, provider, upstream)

    assert type(error.value) is exception
    assert error.value.status_code == status
    [exchange] = stack.proxy.seen
    assert exchange.status == status
    key = "detail" if client_format == "jina" else "message"
    assert json.loads(exchange.answer)[key] == message(upstream, status, client_format)
    # litellm's message: its exception, the provider, and the body the proxy answered
    provider = "Jina_ai" if client_format == "jina" else "Cohere"
    assert error.value.message == (
        f"litellm.{exception.__name__}: {provider}Exception - {exchange.answer.decode()}"
    )


# -- litellm's `hosted_vllm` provider, a vLLM client (#13) -------------------------------------
# It posts to `<api_base>/rerank` (litellm/llms/hosted_vllm/rerank/transformation.py
# `get_complete_url`, 1.110.2): vLLM's bare route, one of the `vllm` format's aliases.


@pytest.fixture(scope="module")
def vllm_client_stack() -> Iterator[Stack]:
    """The proxy, vLLM clients welcome at all three routes, in front of a fake Jina."""
    fake = fake_upstream("jina")
    with serve(fake.recorder) as upstream_url:
        proxy = Recorder(Aliases(proxy_app(upstream_url, "jina")))
        with serve(proxy) as url:
            yield Stack(fake, proxy, url)


def test_litellm_hosted_vllm_in_front_of_jina(vllm_client_stack: Stack) -> None:
    stack = vllm_client_stack.answer(recorded_answer("jina"))

    response = litellm.rerank(
        model="hosted_vllm/jina-reranker-v2-base-multilingual",
        query=QUERY["jina"],
        documents=DOCS["jina"],
        top_n=2,
        api_base=f"{stack.url}/vllm",
        api_key="test-key",
    )

    assert [(r["index"], r["relevance_score"], r["document"]) for r in response.results] == [
        (i, s, {"text": DOCS["jina"][i]}) for i, s in RANKED["jina"][:2]
    ]
    # litellm reads vLLM's usage as its meta (`_transform_response`)
    assert response.meta["tokens"] == {"input_tokens": 815}
    [exchange] = stack.proxy.seen
    assert (exchange.path, exchange.status) == ("/vllm/rerank", 200)
    sent = json.loads(exchange.body)
    # litellm sends return_documents, which vLLM ignores: kept, and no loss for Jina
    assert sent == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": QUERY["jina"],
        "top_n": 2,
        "documents": DOCS["jina"],
        "return_documents": True,
    }
    assert_lossless(exchange.body, "vllm")
    request = rf.decode_request(exchange.body, format="vllm")
    assert rf.encode_request(request, format="jina", on_loss="raise") == (
        b'{"model":"jina-reranker-v2-base-multilingual","query":'
        + json.dumps(QUERY["jina"]).encode()
        + b',"documents":'
        + json.dumps(DOCS["jina"], separators=(",", ":"), ensure_ascii=False).encode()
        + b',"top_n":2}'
    )
    assert stack.sent() == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": QUERY["jina"],
        "documents": DOCS["jina"],
        "top_n": 2,
    }


def test_litellm_hosted_vllm_errors(vllm_client_stack: Stack) -> None:
    body = b'{"detail": "Rate limit reached", "code": "RATE_REQUEST_LIMIT_EXCEEDED"}'
    stack = vllm_client_stack.answer(lambda _: (429, body))

    with pytest.raises(litellm.RateLimitError) as error:
        litellm.rerank(
            model="hosted_vllm/m",
            query="q",
            documents=["a"],
            api_base=f"{stack.url}/vllm",
            api_key="k",
            num_retries=0,
        )

    assert error.value.status_code == 429
    [exchange] = stack.proxy.seen
    assert json.loads(exchange.answer) == {
        "error": {
            "message": "Rate limit reached",
            "type": "RATE_REQUEST_LIMIT_EXCEEDED",
            "param": None,
            "code": 429,
        }
    }
