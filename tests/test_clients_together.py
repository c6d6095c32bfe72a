"""Together AI's official SDK (`together` 3.x, Stainless-generated from togethercomputer/openapi),
unmodified, against the proxy in front of every seed upstream:
`Together(base_url=...).rerank.create(...)`. It caps filelock below 4, so it runs in an
environment of its own (`make test-clients-together`); elsewhere this module is skipped.

The SDK posts to `{base_url}/v1/rerank`, so its base URL is the proxy's `/together-ai`; it
raises one `APIStatusError` subclass per status, with the parsed error body as `.body`, and
retries 429 and 5xx twice unless `max_retries=0`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from clients import (
    DOCS,
    QUERY,
    RANKED,
    RECORDINGS,
    STATUSES,
    Stack,
    assert_lossless,
    error_reply,
    loopback_only,
    message,
    open_stacks,
    recorded_answer,
    reported_tokens,
    require_client,
)
from helpers import RECORDED, load_json

together = require_client("together")
RerankCreateResponse = require_client("together.types.rerank_create_response").RerankCreateResponse

SEEDS = list(RECORDINGS)  # the upstreams with recorded answers (tests/clients.py)
MODEL = "Salesforce/Llama-Rank-v1"

# The SDK's exception per status (together/_client.py `_make_status_error`); the proxy
# answers a 422 as 400, Together's status for a bad request (its spec has no 422).
TOGETHER_ERRORS: dict[int, tuple[int, type[Exception]]] = {
    401: (401, together.AuthenticationError),
    422: (400, together.BadRequestError),
    429: (429, together.RateLimitError),
    500: (500, together.InternalServerError),
}


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    with open_stacks() as built:
        yield built


def client(stack: Stack) -> Any:
    return together.Together(api_key="test-key", base_url=f"{stack.url}/together-ai", max_retries=0)


@pytest.mark.parametrize("upstream", SEEDS)
@pytest.mark.parametrize("return_documents", [True, False])
def test_together_sdk(stacks: dict[str, Stack], upstream: str, return_documents: bool) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    with client(stack) as sdk:
        response = sdk.rerank.create(
            model=MODEL,
            query=QUERY[upstream],
            documents=DOCS[upstream],
            top_n=2,
            return_documents=return_documents,
        )

    assert response.object == "rerank"
    # the upstream's model, else the request's (Cohere and Xinference name none)
    assert response.model == load_json(RECORDED / RECORDINGS[upstream][1]).get("model", MODEL)
    assert [(r.index, r.relevance_score, r.document.text) for r in response.results] == [
        (i, s, DOCS[upstream][i] if return_documents else None) for i, s in RANKED[upstream][:2]
    ]
    tokens = reported_tokens(upstream, stack.sent())
    usage = response.usage
    assert (usage and (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens)) == (
        (tokens, 0, tokens) if tokens else None
    )
    [exchange] = stack.proxy.seen
    # the SDK's own model, validating (the SDK itself constructs without validation)
    RerankCreateResponse.model_validate_json(exchange.answer)
    assert json.loads(exchange.body) == {
        "documents": DOCS[upstream],
        "model": MODEL,
        "query": QUERY[upstream],
        "return_documents": return_documents,
        "top_n": 2,
    }
    assert exchange.headers["authorization"] == "Bearer test-key"
    assert_lossless(exchange.body, "together")
    sent = stack.sent()
    assert (sent["model"], sent["query"], sent["documents"]) == (
        MODEL,
        QUERY[upstream],
        DOCS[upstream],
    )


def test_together_sdk_object_documents_come_back_as_json_text(stacks: dict[str, Stack]) -> None:
    # the spec's example: objects are ranked whole, and echoed as their JSON text
    def whole_objects(body: bytes) -> tuple[int, bytes]:
        # Cohere v1 echoes an object document whole (its API reference)
        sent = json.loads(body)["documents"]
        results = [
            {"index": i, "relevance_score": s, "document": sent[i]} for i, s in RANKED["cohere_v1"]
        ]
        return 200, json.dumps({"id": "x", "results": results}).encode()

    stack = stacks["cohere_v1"].answer(whole_objects)
    documents: list[dict[str, object]] = [
        {"title": f"T{i}", "text": text} for i, text in enumerate(DOCS["cohere_v1"])
    ]

    with client(stack) as sdk:
        response = sdk.rerank.create(
            model=MODEL, query=QUERY["cohere_v1"], documents=documents, return_documents=True
        )

    assert [(r.index, json.loads(r.document.text)) for r in response.results] == [
        (i, documents[i]) for i, _ in RANKED["cohere_v1"]
    ]
    assert response.results[0].document.text == json.dumps(
        documents[RANKED["cohere_v1"][0][0]], separators=(",", ":"), ensure_ascii=False
    )
    assert stack.sent()["documents"] == documents  # Cohere v1 takes the objects whole


@pytest.mark.parametrize("upstream", SEEDS)
@pytest.mark.parametrize("status", STATUSES)
def test_together_sdk_errors(stacks: dict[str, Stack], upstream: str, status: int) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))
    answered, exception = TOGETHER_ERRORS[status]

    with client(stack) as sdk, pytest.raises(exception) as raised:
        sdk.rerank.create(model=MODEL, query="q", documents=["a", "b"])

    assert raised.value.status_code == answered  # type: ignore[attr-defined]
    body = raised.value.body  # type: ignore[attr-defined]
    assert body["error"]["message"] == message(upstream, status, "together")
    assert [e.status for e in stack.proxy.seen] == [answered]
