"""infinity-client (the client generated from Infinity's OpenAPI document, 0.0.78), unmodified,
against the proxy in front of every seed upstream. It caps httpx below 0.28 and
python-dateutil below 3, so it runs in an environment of its own
(`make test-clients-infinity`); elsewhere this module is skipped.

infinity-client sends every field it has a default for (`return_documents: false`,
`raw_scores: false`, `model: "default/not-specified"`), requires `model` and `usage` in the
answer (`ReRankResult.from_dict`), raises `errors.UnexpectedStatus(status, content)` for an
undocumented status when built with `raise_on_unexpected_status=True`, and returns the parsed
`HTTPValidationError` (no exception) for a 422, the one error status its spec documents.
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

client_module = require_client("infinity_client")
rerank_api = require_client("infinity_client.api.default.rerank")
models = require_client("infinity_client.models")
errors = require_client("infinity_client.errors")

SEEDS = list(RECORDINGS)  # the upstreams with recorded answers (tests/clients.py)
MODEL = "mixedbread-ai/mxbai-rerank-xsmall-v1"


@pytest.fixture(scope="module")
def stacks() -> Iterator[dict[str, Stack]]:
    """The proxies, writing an unknown usage as zero: infinity-client fails on a null one
    (`Usage.from_dict(None)`), and Cohere reports no tokens."""
    with open_stacks(usage="zero") as built:
        yield built


def infinity(stack: Stack) -> Any:
    return client_module.AuthenticatedClient(
        base_url=f"{stack.url}/infinity", token="test-key", raise_on_unexpected_status=True
    )


def rerank(stack: Stack, upstream: str, **fields: Any) -> Any:
    body = models.RerankInput(query=QUERY[upstream], documents=DOCS[upstream], **fields)
    with infinity(stack) as client:
        return rerank_api.sync_detailed(client=client, body=body)


@pytest.mark.parametrize("upstream", SEEDS)
@pytest.mark.parametrize("return_documents", [True, False])
def test_infinity_client(stacks: dict[str, Stack], upstream: str, return_documents: bool) -> None:
    stack = stacks[upstream].answer(recorded_answer(upstream))

    answer = rerank(stack, upstream, model=MODEL, top_n=2, return_documents=return_documents)

    result = answer.parsed
    assert isinstance(result, models.ReRankResult)
    assert [(r.index, r.relevance_score, r.document) for r in result.results] == [
        (i, s, DOCS[upstream][i] if return_documents else None) for i, s in RANKED[upstream][:2]
    ]
    assert result.object_ == models.ReRankResultObject.RERANK
    sent = stack.sent()
    tokens = reported_tokens(upstream, sent) or 0
    assert (result.usage.prompt_tokens, result.usage.total_tokens) == (tokens, tokens)
    [exchange] = stack.proxy.seen
    assert json.loads(exchange.body) == {
        "query": QUERY[upstream],
        "documents": DOCS[upstream],
        "return_documents": return_documents,
        "raw_scores": False,
        "model": MODEL,
        "top_n": 2,
    }
    assert_lossless(exchange.body, "infinity")
    assert sent["model"] == MODEL
    assert sent["query"] == QUERY[upstream]
    assert sent["documents"] == DOCS[upstream]


def test_infinity_client_defaults_name_no_model(stacks: dict[str, Stack]) -> None:
    # `default/not-specified` is no model: Cohere v1 takes none, and infinity-client gets the
    # placeholder back as the answer's model, which it requires
    stack = stacks["cohere_v1"].answer(recorded_answer("cohere_v1"))

    result = rerank(stack, "cohere_v1").parsed

    assert result.model == "default/not-specified"
    assert [(r.index, r.relevance_score) for r in result.results] == RANKED["cohere_v1"]
    assert stack.sent() == {
        "query": QUERY["cohere_v1"],
        "documents": DOCS["cohere_v1"],
        "return_documents": False,
    }


def test_the_placeholder_model_is_a_loss_for_an_upstream_that_requires_one(
    stacks: dict[str, Stack],
) -> None:
    stack = stacks["jina"].answer(recorded_answer("jina"))

    with pytest.raises(errors.UnexpectedStatus) as raised:
        rerank(stack, "jina")

    # the proxy refuses it itself, in Infinity's shape for a 400
    assert raised.value.status_code == 400
    assert json.loads(raised.value.content) == {
        "error": {
            "message": "the upstream (jina) cannot take this request as it is"
            " ($.model: jina requires `model`; the request has none)",
            "type": None,
            "param": None,
            "code": 400,
        }
    }
    assert stack.upstream.seen == []


@pytest.mark.parametrize("upstream", SEEDS)
@pytest.mark.parametrize("status", STATUSES)
def test_infinity_client_errors(stacks: dict[str, Stack], upstream: str, status: int) -> None:
    stack = stacks[upstream].answer(error_reply(upstream, status))

    if status == 422:  # documented: parsed, not raised
        answer = rerank(stack, upstream, model=MODEL)
        assert isinstance(answer.parsed, models.HTTPValidationError)
        if upstream == "jina":  # field details: FastAPI's list
            assert [(d.loc, d.msg) for d in answer.parsed.detail] == [
                (["body", "top_n"], "Input should be greater than 0")
            ]
        else:  # a message only: Infinity's own envelope, kept as an additional property
            assert answer.parsed.detail == []
            error = answer.parsed.additional_properties["error"]
            assert error == {
                "message": message(upstream, 422, "infinity"),
                "type": None,
                "param": None,
                "code": 422,
            }
        return
    with pytest.raises(errors.UnexpectedStatus) as raised:
        rerank(stack, upstream, model=MODEL)

    assert raised.value.status_code == status
    text = message(upstream, status, "infinity")
    # LiteLLM's envelope in Jina's place is the gateways' (`openai`), read as such: written
    # anew in Infinity's envelope, its "None" strings gone
    assert json.loads(raised.value.content) == (
        {"detail": text}  # the Bearer check's HTTPException
        if status == 401
        else {"error": {"message": text, "type": None, "param": None, "code": status}}
    )
