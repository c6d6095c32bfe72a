"""Pinecone's SDK (`pinecone.Pinecone(...).inference.rerank`, unmodified; 10.2.0, pinned in
pyproject.toml) against the proxy (`rerank_formats.proxy`) on 127.0.0.1: `host=` points at
the proxy's Pinecone prefix, in front of a fake Jina upstream answering with Jina's recorded
payloads. pinecone 10.x caps msgspec below 0.23, so it runs in its own environment
(`make test-clients-pinecone`); elsewhere this module is skipped.

The SDK sends `Api-Key` and `X-Pinecone-Api-Version: 2026-07` (its
`pinecone/_internal/constants.py`), wraps string documents as `{"text": ...}` and always
sends `rank_fields` and `return_documents`; it requires `model` and `usage.rerank_units` in
the answer (`pinecone/models/inference/rerank.py`) and raises an `ApiError` subclass per
status (`pinecone/_internal/http_client.py` `_raise_for_status`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from case_table import cases
from clients import (
    DOCS,
    QUERY,
    RANKED,
    STATUSES,
    Stack,
    assert_lossless,
    error_reply,
    loopback_only,
    message,
    recorded_answer,
    require_client,
)
from servers import Recorder, fake_upstream, proxy_app, serve

import rerank_formats as rf

__all__ = ["loopback_only"]  # the fixture, applied to every test here

pinecone = require_client("pinecone")
errors = require_client("pinecone.errors")

MODEL = "bge-reranker-v2-m3"

# The SDK's exception for each upstream status, as the proxy answers it in Pinecone's format
# (Pinecone declares no 422: a validation error is its 400, a bare ApiError)
PINECONE_ERRORS: dict[int, tuple[type[Exception], int, str]] = {
    401: (errors.UnauthorizedError, 401, "UNAUTHENTICATED"),
    422: (errors.ApiError, 400, "INVALID_ARGUMENT"),
    429: (errors.RateLimitError, 429, "RESOURCE_EXHAUSTED"),
    500: (errors.ServiceError, 500, "UNKNOWN"),
}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with ExitStack() as servers:
        fake = fake_upstream("jina")
        upstream_url = servers.enter_context(serve(fake.recorder))
        proxy = Recorder(proxy_app(upstream_url, "jina"))
        yield Stack(fake, proxy, servers.enter_context(serve(proxy)))


def client(stack: Stack) -> Any:
    return pinecone.Pinecone(
        api_key="pc-test-key",
        host=f"{stack.url}/pinecone",
        retry_config=pinecone.RetryConfig(max_retries=0),  # it retries 429 and 5xx
    )


@pytest.mark.parametrize("documents", [True, False])
def test_rerank_through_a_jina_upstream(stack: Stack, documents: bool) -> None:
    stack.answer(recorded_answer("jina"))

    with client(stack) as pc:
        result = pc.inference.rerank(
            model=MODEL,
            query=QUERY["jina"],
            documents=DOCS["jina"],
            top_n=3,
            return_documents=documents,
        )

    assert [(d.index, d.score) for d in result.data] == RANKED["jina"]
    assert [d.document for d in result.data] == (
        [{"text": DOCS["jina"][i]} for i, _ in RANKED["jina"]] if documents else [None] * 3
    )
    # the model from the request (Jina's answer names its own); the units are unknown: 0
    assert result.model == "jina-reranker-v2-base-multilingual"
    assert result.usage.rerank_units == 0
    assert stack.sent() == {
        "model": MODEL,
        "query": QUERY["jina"],
        "documents": [{"text": d} for d in DOCS["jina"]],  # the SDK's wrapping, kept
        "top_n": 3,
        "return_documents": documents,
    }
    [exchange] = stack.proxy.seen
    assert exchange.path == "/pinecone/rerank"
    assert exchange.status == 200
    assert exchange.headers["api-key"] == "pc-test-key"
    assert exchange.headers["x-pinecone-api-version"] == "2026-07"
    assert_lossless(exchange.body, "pinecone")


def without_documents(body: bytes) -> tuple[int, bytes]:
    """Jina's recorded answer without the documents (the playground's m0 answer has none)."""
    status, answer = recorded_answer("jina")(body)
    parsed = json.loads(answer)
    for result in parsed["results"]:
        del result["document"]
    return status, json.dumps(parsed).encode()


def test_object_documents_are_ranked_on_text_and_echoed_whole(stack: Stack) -> None:
    # documents the upstream does not echo are filled from the request, as they were sent
    stack.answer(without_documents)
    objects = [{"id": f"doc-{i}", "text": text} for i, text in enumerate(DOCS["jina"])]

    with client(stack) as pc:
        result = pc.inference.rerank(model=MODEL, query=QUERY["jina"], documents=objects, top_n=2)

    assert [(d.index, d.document) for d in result.data] == [
        (i, objects[i]) for i, _ in RANKED["jina"][:2]
    ]
    assert stack.sent()["documents"] == objects  # Jina ranks an object on its `text`


@pytest.mark.parametrize("status", STATUSES)
def test_upstream_errors_raise_the_sdks_exceptions(stack: Stack, status: int) -> None:
    stack.answer(error_reply("jina", status))
    exception, answered, code = PINECONE_ERRORS[status]

    with client(stack) as pc, pytest.raises(exception) as info:
        pc.inference.rerank(model=MODEL, query=QUERY["jina"], documents=DOCS["jina"])

    assert type(info.value) is exception
    assert info.value.status_code == answered
    assert info.value.body["error"]["message"] == message("jina", status, "pinecone")
    # Jina's codes are not Pinecone's: the code is the status's
    assert info.value.error_code == code
    assert [e.status for e in stack.proxy.seen] == [answered]


# -- the SDK's own response type as the oracle --------------------------------------------------

rerank_types = require_client("pinecone.models.inference.rerank")
msgspec = require_client("msgspec")

CONTEXT = rf.RerankRequest(model="bge-reranker-v2-m3", query="q", documents=tuple("abcdefghij"))
"""A client's request with documents enough for every case's indices."""


@pytest.mark.parametrize("case", cases("response"), ids=lambda case: case.key)
def test_every_answer_decodes_as_the_sdks_rerank_result(case: Any) -> None:
    """What the proxy writes for a Pinecone client, whatever the upstream said, is a
    `RerankResult` the SDK decodes (model and usage required), with the ranking unchanged."""
    body = rf.encode_response(case.native(), format="pinecone", request=CONTEXT, on_loss="ignore")
    result = msgspec.json.decode(body, type=rerank_types.RerankResult)
    ranked = sorted(case.native().results, key=lambda r: r.relevance_score, reverse=True)
    assert [(d.index, d.score) for d in result.data] == [
        (r.index, r.relevance_score) for r in ranked
    ]
    assert result.model == (case.native().model or CONTEXT.model)
