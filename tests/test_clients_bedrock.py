"""boto3's `bedrock-agent-runtime` client (`rerank`, unmodified) against the proxy
(`rerank_formats.proxy`) on 127.0.0.1: `endpoint_url` points at the proxy's Bedrock prefix,
with dummy credentials (the request is SigV4-signed; the proxy does not check signatures), in
front of a fake Jina upstream answering with Jina's recorded payloads. botocore caps
python-dateutil below 3, so this runs in its own environment (`make test-clients-bedrock`);
elsewhere it is skipped.

botocore's service model (`botocore/data/bedrock-agent-runtime/2023-07-26/service-2.json`,
1.44.8) is also the oracle of what the library writes: every request it writes in Bedrock's
format passes botocore's own parameter validation, and every response parses with botocore's
rest-json parser to the same values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timezone
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
from helpers import RECORDED, decode, encode_with_losses, recorded
from servers import Recorder, fake_upstream, proxy_app, serve

import rerank_formats as rf
from rerank_formats import sigv4

__all__ = ["loopback_only"]  # the fixture, applied to every test here

boto3 = require_client("boto3")
botocore = require_client("botocore")
require_client("botocore.validate")
require_client("botocore.parsers")

ARN = "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with ExitStack() as servers:
        fake = fake_upstream("jina")
        upstream_url = servers.enter_context(serve(fake.recorder))
        proxy = Recorder(proxy_app(upstream_url, "jina"))
        yield Stack(fake, proxy, servers.enter_context(serve(proxy)))


def client(stack: Stack) -> Any:
    return boto3.client(
        "bedrock-agent-runtime",
        region_name="us-west-2",
        endpoint_url=f"{stack.url}/aws-bedrock",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="not-a-secret",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),  # no retry of 429, 5xx
    )


def rerank(stack: Stack, top_n: int | None = None) -> Any:
    configuration: dict[str, Any] = {"modelConfiguration": {"modelArn": ARN}}
    if top_n is not None:
        configuration["numberOfResults"] = top_n
    return client(stack).rerank(
        queries=[{"type": "TEXT", "textQuery": {"text": QUERY["jina"]}}],
        sources=[
            {
                "type": "INLINE",
                "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": d}},
            }
            for d in DOCS["jina"]
        ],
        rerankingConfiguration={
            "type": "BEDROCK_RERANKING_MODEL",
            "bedrockRerankingConfiguration": configuration,
        },
    )


@pytest.mark.parametrize("top_n", [2, None])
def test_rerank_through_a_jina_upstream(stack: Stack, top_n: int | None) -> None:
    stack.answer(recorded_answer("jina"))

    response = rerank(stack, top_n)

    ranked = RANKED["jina"][:top_n]
    assert [(r["index"], r["relevanceScore"]) for r in response["results"]] == ranked
    # Bedrock has no return_documents; Jina returns them by default, and they come through
    assert [r["document"] for r in response["results"]] == [
        {"type": "TEXT", "textDocument": {"text": DOCS["jina"][i]}} for i, _ in ranked
    ]
    assert "nextToken" not in response
    sent = {"model": ARN, "query": QUERY["jina"], "documents": DOCS["jina"]}
    assert stack.sent() == (sent if top_n is None else sent | {"top_n": top_n})
    [exchange] = stack.proxy.seen
    assert exchange.path == "/aws-bedrock/rerank"
    assert exchange.status == 200
    assert exchange.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert_lossless(exchange.body, "bedrock")


# Bedrock has no 401 (a refused signature is an AccessDeniedException, 403) and no 422 (a
# ValidationException is 400). The error type travels in the x-amzn-ErrorType header, which
# an error body cannot carry: botocore then names the error by its status.
BEDROCK_STATUS = {401: 403, 422: 400, 429: 429, 500: 500}


@pytest.mark.parametrize("status", STATUSES)
def test_upstream_errors_raise_client_error_with_the_message(stack: Stack, status: int) -> None:
    stack.answer(error_reply("jina", status))

    with pytest.raises(botocore.exceptions.ClientError) as info:
        rerank(stack, 2)

    answered = BEDROCK_STATUS[status]
    assert info.value.response["Error"] == {
        "Code": str(answered),
        "Message": message("jina", status, "bedrock"),
    }
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == answered
    assert [e.status for e in stack.proxy.seen] == [answered]


# -- botocore's service model as the oracle ----------------------------------------------------

MODEL = botocore.session.get_session().get_service_model("bedrock-agent-runtime")
OPERATION = MODEL.operation_model("Rerank")


_MODELLESS: set[str] = set()
"""The written requests whose canonical request names no model (Bedrock requires the ARN)."""


def _written(kind: str) -> list[tuple[str, Any]]:
    found = []
    for case in cases(kind):
        native = case.native()
        if isinstance(native, rf.RerankRequest) and native.model is rf.UNSET:
            _MODELLESS.add(case.key)
        body, _ = encode_with_losses(native, "bedrock")
        found.append((case.key, body))
    for fmt, _, path in recorded(kind):
        try:
            obj = decode(kind, path.read_bytes(), fmt)
        except rf.DecodeError:
            continue  # a payload its own format refuses (tests/test_recorded.py names it)
        if isinstance(obj, rf.RerankRequest) and obj.model is rf.UNSET:
            _MODELLESS.add(f"{fmt}/{path.name}")
        body, _ = encode_with_losses(obj, "bedrock")
        found.append((f"{fmt}/{path.name}", body))
    return found


@pytest.mark.parametrize(("name", "body"), _written("request"))
def test_written_requests_pass_botocores_validation(name: str, body: bytes) -> None:
    report = botocore.validate.ParamValidator().validate(json.loads(body), OPERATION.input_shape)
    problems = report.generate_report()
    configuration = json.loads(body)["rerankingConfiguration"]["bedrockRerankingConfiguration"]
    if "modelArn" not in configuration["modelConfiguration"]:
        # a request without a model (request/no-model, Cohere v1's private deployment, TEI's
        # and llama.cpp's): written anyway, a loss, since Bedrock requires the ARN
        assert name in _MODELLESS
        assert problems == (
            "Missing required parameter in rerankingConfiguration.bedrockRerankingConfiguration"
            '.modelConfiguration: "modelArn"'
        )
    else:
        assert problems == ""


@pytest.mark.parametrize(("name", "body"), _written("response"))
def test_written_responses_parse_with_botocore(name: str, body: bytes) -> None:
    parser = botocore.parsers.create_parser("rest-json")
    parsed = parser.parse({"status_code": 200, "headers": {}, "body": body}, OPERATION.output_shape)
    parsed.pop("ResponseMetadata")
    assert parsed == json.loads(body)


# -- botocore as the oracle of the proxy's own SigV4 signer (rerank_formats.sigv4) ---------

SIGNED_AT = datetime(2026, 12, 2, 15, 4, 5)  # naive UTC, as botocore's clock answers


@pytest.mark.parametrize("token", [None, "the-session-token"])
@pytest.mark.parametrize(
    "host", ["bedrock-agent-runtime.us-west-2.amazonaws.com", "127.0.0.1:8080"]
)
def test_the_signer_signs_as_botocore_does(
    monkeypatch: pytest.MonkeyPatch, token: str | None, host: str
) -> None:
    auth = require_client("botocore.auth")
    awsrequest = require_client("botocore.awsrequest")
    credentials = require_client("botocore.credentials")
    body = (RECORDED / "bedrock/boto3-1.44.8-rerank-request.json").read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    headers = {"Content-Type": "application/json", "X-Amz-Content-SHA256": digest}
    request = awsrequest.AWSRequest("POST", f"https://{host}/rerank", data=body, headers=headers)
    monkeypatch.setattr(auth, "get_current_datetime", lambda: SIGNED_AT)
    key = credentials.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    auth.SigV4Auth(key, "bedrock", "us-west-2").add_auth(request)

    ours = sigv4.sign(
        "POST",
        "/rerank",
        {"Host": host, "Content-Type": "application/json"},
        body,
        credentials=sigv4.Credentials(key.access_key, key.secret_key, token),
        region="us-west-2",
        service="bedrock",
        now=SIGNED_AT.replace(tzinfo=timezone.utc),
    )

    theirs = {k.lower(): v for k, v in request.headers.items() if k.lower() != "content-type"}
    assert {k.lower(): v for k, v in ours.items()} == theirs
    assert theirs["x-amz-date"] == "20261202T150405Z"
    assert theirs["x-amz-content-sha256"] == digest


def test_a_boto3_client_key_is_its_access_key_id() -> None:
    """With `client_api_key`, a boto3 client is let in by its access key id (its signature
    is not checked: the proxy does not hold its secret), and refused 403 with another."""
    from rerank_formats.proxy import ProxyConfig, create_app

    with ExitStack() as servers:
        fake = fake_upstream("jina")
        fake.reply = recorded_answer("jina")
        upstream_url = servers.enter_context(serve(fake.recorder))
        config = ProxyConfig(
            upstream_url=upstream_url, upstream_format="jina", client_api_key="AKIDCLIENTKEY"
        )
        url = servers.enter_context(serve(create_app(config)))

        def rerank_as(key_id: str) -> Any:
            return boto3.client(
                "bedrock-agent-runtime",
                region_name="us-west-2",
                endpoint_url=f"{url}/aws-bedrock",
                aws_access_key_id=key_id,
                aws_secret_access_key="whatever-the-client-holds",
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            ).rerank(
                queries=[{"type": "TEXT", "textQuery": {"text": QUERY["jina"]}}],
                sources=[
                    {
                        "type": "INLINE",
                        "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": d}},
                    }
                    for d in DOCS["jina"]
                ],
                rerankingConfiguration={
                    "type": "BEDROCK_RERANKING_MODEL",
                    "bedrockRerankingConfiguration": {"modelConfiguration": {"modelArn": ARN}},
                },
            )

        response = rerank_as("AKIDCLIENTKEY")
        with pytest.raises(botocore.exceptions.ClientError) as info:
            rerank_as("AKIDSOMEONEELSE")

    assert [(r["index"], r["relevanceScore"]) for r in response["results"]] == RANKED["jina"]
    assert info.value.response["Error"]["Code"] == "403"
    assert info.value.response["Error"]["Message"] == (
        "a valid API key is required (Authorization: AWS4-HMAC-SHA256 Credential=<key>/...)"
    )
