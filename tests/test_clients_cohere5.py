"""Clients that pin the cohere SDK below 6 (below 7 for llama-index), against the reference
proxy in front of every seed upstream: langchain-cohere's `CohereRerank` and llama-index's
`CohereRerank`. They run in their own environment (`make test-clients-cohere5`); elsewhere
this module is skipped.

Both send Cohere v2 through cohere-python 5.x, which sends `max_tokens_per_doc` as an
explicit null when langchain-cohere passes its unset default (langchain_cohere/rerank.py,
0.6.0: `max_tokens_per_doc: Optional[int] = None`, passed on unconditionally).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from clients import (
    DOCS,
    ERROR_IDS,
    QUERY,
    RANKED,
    STATUSES,
    UPSTREAMS,
    Stack,
    assert_lossless,
    assert_upstream_got,
    error_reply,
    llama_index_rerank,
    loopback_only,
    message,
    recorded_answer,
    require_client,
    stacks,
)

langchain_cohere = require_client("langchain_cohere")
llama_cohere = require_client("llama_index.postprocessor.cohere_rerank")
cohere = require_client("cohere")
langchain_documents = require_client("langchain_core.documents")

# cohere 5.x's exception for each status (cohere/errors/, 5.21.1)
COHERE_ERRORS: dict[int, type[Exception]] = {
    401: cohere.errors.UnauthorizedError,
    422: cohere.errors.UnprocessableEntityError,
    429: cohere.errors.TooManyRequestsError,
    500: cohere.errors.InternalServerError,
}


@contextmanager
def langchain_rerank(stack: Stack, top_n: int = 2) -> Iterator[Any]:
    """`CohereRerank(top_n=...)` pointed at the proxy with `base_url`; its cohere client
    (which it never closes) is closed when the block ends."""
    reranker = langchain_cohere.CohereRerank(
        model="rerank-v3.5", cohere_api_key="test-key", base_url=f"{stack.url}/cohere", top_n=top_n
    )
    with reranker.client:
        yield reranker


@contextmanager
def llama_rerank(stack: Stack, top_n: int = 2) -> Iterator[Any]:
    """llama-index's `CohereRerank(top_n=...)` pointed at the proxy with `base_url`, likewise."""
    # max_retries=1: no tenacity retries (4 to 10 s apart) on top of the SDK's own
    postprocessor = llama_cohere.CohereRerank(
        model="rerank-v3.5",
        api_key="test-key",
        base_url=f"{stack.url}/cohere",
        top_n=top_n,
        max_retries=1,
    )
    with postprocessor._client:
        yield postprocessor


def test_cohere_is_5() -> None:
    assert cohere.__version__.startswith("5."), cohere.__version__


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_langchain_cohere_rerank(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))
    documents = [langchain_documents.Document(page_content=text) for text in DOCS[upstream]]

    with langchain_rerank(stack) as reranker:
        compressed = reranker.compress_documents(documents, QUERY[upstream])

    assert [(d.page_content, d.metadata) for d in compressed] == [
        (DOCS[upstream][i], {"relevance_score": s}) for i, s in RANKED[upstream][:2]
    ]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert json.loads(exchange.body)["max_tokens_per_doc"] is None
    assert_lossless(exchange.body, "cohere_v2")
    # a null the provider reads as absent: kept by its own format, nothing elsewhere
    extra = {"max_tokens_per_doc": None} if upstream == "cohere_v2" else {}
    assert_upstream_got(stack, upstream, "rerank-v3.5", 2, documents=False, **extra)


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_llama_index_cohere_rerank(stacks: dict[str, Stack], upstream: str) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    with llama_rerank(stack) as postprocessor:
        got = llama_index_rerank(postprocessor, upstream)

    assert got == [(DOCS[upstream][i], s) for i, s in RANKED[upstream][:2]]
    [exchange] = stack.proxy.seen
    assert exchange.status == 200
    assert_lossless(exchange.body, "cohere_v2")
    assert_upstream_got(stack, upstream, "rerank-v3.5", 2, documents=False)


def assert_cohere_error(error: Exception, upstream: str, status: int) -> None:
    assert type(error) is COHERE_ERRORS[status]
    request_id = ERROR_IDS.get((upstream, status))
    body = {"message": message(upstream, status, "cohere_v2")}
    assert (error.status_code, error.body) == (  # type: ignore[attr-defined]
        status,
        body | ({"id": request_id} if request_id else {}),
    )


# cohere-python 5.x retries 429 and 5xx twice (cohere/core/http_client.py, 5.21.1)
TRIES = {401: 1, 422: 1, 429: 3, 500: 3}


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_langchain_cohere_rerank_errors(
    stacks: dict[str, Stack], upstream: str, status: int
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    with langchain_rerank(stack) as reranker, pytest.raises(COHERE_ERRORS[status]) as error:
        reranker.rerank(["a", "b"], "q")

    assert_cohere_error(error.value, upstream, status)
    assert [e.status for e in stack.proxy.seen] == [status] * TRIES[status]


@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("status", STATUSES)
def test_llama_index_cohere_rerank_errors(
    stacks: dict[str, Stack], upstream: str, status: int
) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    with llama_rerank(stack) as postprocessor, pytest.raises(COHERE_ERRORS[status]) as error:
        llama_index_rerank(postprocessor, upstream)

    assert_cohere_error(error.value, upstream, status)
    assert [e.status for e in stack.proxy.seen] == [status] * TRIES[status]
