"""Alibaba's DashScope SDK (`dashscope.TextReRank.call`, unmodified) against the proxy
(`rerank_formats.proxy`) on 127.0.0.1: `dashscope.base_http_api_url` points at the proxy's
DashScope prefix, in front of a fake Jina upstream answering with Jina's recorded payloads,
and in front of a fake DashScope upstream (DashScope to DashScope: its `request_id` and
usage come through).

The SDK raises nothing for an HTTP error: it returns a `ReRankResponse` whose `status_code`,
`code` and `message` are the error body's (dashscope 2.0.2 `common/utils.py`
`_handle_http_failed_response`), so that is what the error tests assert. Runs in the
development environment.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
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
from helpers import RECORDED
from servers import Recorder, fake_upstream, proxy_app, serve

import rerank_formats as rf

__all__ = ["loopback_only"]  # the fixture, applied to every test here

dashscope = require_client("dashscope")

PREFIX = "/alibaba-cloud-dashscope"  # the proxy's prefix for DashScope clients (PROVIDER)
MODEL = "gte-rerank-v2"


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    with ExitStack() as servers:
        built: dict[str, Stack] = {}
        for upstream in ("jina", "dashscope"):
            fake = fake_upstream(upstream)
            upstream_url = servers.enter_context(serve(fake.recorder))
            proxy = Recorder(proxy_app(upstream_url, upstream))
            built[upstream] = Stack(fake, proxy, servers.enter_context(serve(proxy)))
        yield built


def call(stack: Stack, **options: Any) -> Any:
    """`TextReRank.call` through the proxy, on the Jina recording's query and documents."""
    dashscope.base_http_api_url = f"{stack.url}{PREFIX}/api/v1"
    return dashscope.TextReRank.call(
        model=MODEL, query=QUERY["jina"], documents=DOCS["jina"], api_key="sk-test", **options
    )


@pytest.mark.parametrize("documents", [True, False])
def test_text_rerank_through_a_jina_upstream(stacks: dict[str, Stack], documents: bool) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    response = call(stack, top_n=2, return_documents=documents)

    assert response.status_code == 200
    assert [(r.index, r.relevance_score) for r in response.output.results] == RANKED["jina"][:2]
    # `r.document` is the class default, None, whatever was sent: the SDK's ReRankResult is
    # a dict whose attributes fall back to its keys only when the class has none
    # (dashscope_response.py); its users read r["document"]
    assert [r.get("document") for r in response.output.results] == (
        [{"text": DOCS["jina"][i]} for i, _ in RANKED["jina"][:2]] if documents else [None, None]
    )
    assert response.usage.total_tokens == 815  # Jina's count, as DashScope's total_tokens
    assert response.request_id == ""  # Jina has none to pass on
    # the upstream got a Jina request, documents asked for as the client asked
    assert stack.sent() == {
        "model": MODEL,
        "query": QUERY["jina"],
        "documents": DOCS["jina"],
        "top_n": 2,
        "return_documents": documents,
    }
    [exchange] = stack.proxy.seen
    assert exchange.path == PREFIX + "/api/v1/services/rerank/text-rerank/text-rerank"
    assert exchange.status == 200
    assert_lossless(exchange.body, "dashscope")


def test_without_options_the_sdk_gets_every_result_and_no_documents(
    stacks: dict[str, Stack],
) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    response = call(stack)

    # DashScope's default is no documents: asked explicitly of Jina, whose default is true
    assert stack.sent()["return_documents"] is False
    assert "top_n" not in stack.sent()
    assert [(r.index, r.relevance_score) for r in response.output.results] == RANKED["jina"]
    assert [r.get("document") for r in response.output.results] == [None] * len(RANKED["jina"])


def test_dashscope_to_dashscope_keeps_the_request_id_and_the_usage(
    stacks: dict[str, Stack],
) -> None:
    mock = RECORDED / "dashscope/text-rerank-response-sdk-test.json"
    stack = stacks["dashscope"].answer(lambda _: (200, mock.read_bytes()))
    dashscope.base_http_api_url = f"{stack.url}{PREFIX}/api/v1"
    recorded = json.loads(mock.read_bytes())

    response = dashscope.TextReRank.call(
        model="qwen3-rerank",
        query="哈尔滨在哪里",
        documents=[r["document"]["text"] for r in recorded["output"]["results"][::-1]],
        return_documents=True,
        instruct="Given a question, retrieve passages that answer it.",
        api_key="sk-test",
    )

    assert response.request_id == recorded["request_id"]
    assert response.output.results == [
        dashscope.api_entities.dashscope_response.ReRankResult(**r)
        for r in recorded["output"]["results"]
    ]
    # the mock's `input_tokens` is passed on as it was spelled (the SDK's type reads
    # `total_tokens`, so it sees None there, as it does from the mock itself)
    assert response.usage.input_tokens == 1279
    assert stack.sent() == json.loads(stack.posted()[0])  # instruct and all, unchanged


@pytest.mark.parametrize("status", STATUSES)
def test_upstream_errors_reach_the_sdk_as_its_error_response(
    stacks: dict[str, Stack], status: int
) -> None:
    stack = stacks["jina"].answer(error_reply("jina", status))

    response = call(stack, top_n=2)

    error = rf.decode_error(error_reply("jina", status)(b"")[1], format="jina", status=status)
    expected_status = rf.encode_error(error, format="dashscope")[0]  # 422 is DashScope's 400
    assert (response.status_code, response.message) == (
        expected_status,
        message("jina", status, "dashscope"),
    )
    assert response.code == (None if error.code is rf.UNSET else error.code)
    assert response.request_id == ("" if error.request_id is rf.UNSET else error.request_id)
    assert response.output is None
