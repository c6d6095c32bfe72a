"""AWS Signature Version 4 (`rerank_formats.sigv4`), a format that declares it
(`Endpoint.signing`, Bedrock), and the proxy signing its requests to such an upstream.

The oracles: AWS's own SigV4 test suite (`get-vanilla`, `post-x-www-form-urlencoded`, in
fixtures/specs/sigv4/, see its README) for the signer; a fake Bedrock upstream on 127.0.0.1
that recomputes the signature it receives with the same secret (`servers.signature_error`,
written from the specification without the signer) for the proxy. botocore's `SigV4Auth`
is the third, in tests/test_clients_bedrock.py (its own environment).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from helpers import RECORDED
from servers import (
    AWS_TEST_CREDENTIALS,
    FakeUpstream,
    proxy_app,
    serve,
    signature_error,
)

import rerank_formats as rf
from rerank_formats import sigv4
from rerank_formats.formats import bedrock
from rerank_formats.proxy import ProxyConfig, create_app
from rerank_formats.registry import check_format, get_format

SUITE = Path(__file__).parent.parent / "fixtures" / "specs" / "sigv4"


def _vector(name: str) -> dict[str, object]:
    """A test of AWS's suite: its context, request (method, path, headers, body) and the
    expected canonical request, string to sign, signature and signed request."""
    folder = SUITE / name
    head, _, body = (folder / "request.txt").read_text().partition("\n\n")
    start, *lines = head.splitlines()
    method, path, _ = start.split(" ")
    return {
        "context": json.loads((folder / "context.json").read_text()),
        "method": method,
        "path": path,
        "headers": dict(line.split(":", 1) for line in lines),
        "body": body.encode(),
        **{
            part: (folder / f"header-{part}.txt").read_text()
            for part in ("canonical-request", "string-to-sign", "signature", "signed-request")
        },
    }


@pytest.mark.parametrize("name", ["get-vanilla", "post-x-www-form-urlencoded"])
def test_the_signer_matches_aws_sigv4_test_suite(name: str) -> None:
    vector = _vector(name)
    context = vector["context"]
    assert isinstance(context, dict)
    credentials = sigv4.Credentials(
        context["credentials"]["access_key_id"], context["credentials"]["secret_access_key"]
    )
    now = datetime.fromisoformat(context["timestamp"].replace("Z", "+00:00"))
    headers = vector["headers"]
    body = vector["body"]
    assert isinstance(headers, dict) and isinstance(body, bytes)

    added = sigv4.sign(
        str(vector["method"]),
        str(vector["path"]),
        headers,
        body,
        credentials=credentials,
        region=context["region"],
        service=context["service"],
        now=now,
        content_sha256=context["sign_body"],
    )

    signed = {**headers, **{k: v for k, v in added.items() if k != "Authorization"}}
    payload = sigv4.hashlib.sha256(body).hexdigest()
    canonical = sigv4.canonical_request(str(vector["method"]), "/", "", signed, payload)
    assert canonical == vector["canonical-request"]
    scope = f"20150830/{context['region']}/{context['service']}/aws4_request"
    assert sigv4.string_to_sign("20150830T123600Z", scope, canonical) == vector["string-to-sign"]
    assert added["Authorization"].endswith(f"Signature={vector['signature']}")
    signed_request = str(vector["signed-request"])
    expected = {
        name.lower(): value
        for name, _, value in (
            line.partition(":") for line in signed_request.split("\n\n")[0].splitlines()[1:]
        )
    }
    assert {k.lower(): v for k, v in added.items()} == {
        k: v for k, v in expected.items() if k not in {h.lower() for h in headers}
    }


def test_the_signing_key_is_the_chain_of_hmacs_the_specification_gives() -> None:
    # AWS General Reference, "Examples of how to derive a signing key for Signature Version
    # 4" (docs.aws.amazon.com/general/latest/gr/signature-v4-examples.html): kSigning
    key = sigv4.signing_key(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"
    )
    assert key.hex() == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"


def test_temporary_credentials_sign_their_session_token() -> None:
    credentials = sigv4.Credentials("ASIAEXAMPLE", "secret", "the-token")
    added = sigv4.sign(
        "POST", "/rerank", {"Host": "h.test", "Content-Type": "application/json"}, b"{}",
        credentials=credentials, region="us-west-2", service="bedrock",
        now=datetime(2026, 12, 2, 15, 4, 5, tzinfo=timezone(timedelta(hours=2))),
    )  # fmt: skip

    assert added["x-amz-date"] == "20261202T130405Z"  # the time in UTC
    assert added["x-amz-security-token"] == "the-token"
    assert added["x-amz-content-sha256"] == (
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    )
    assert added["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261202/us-west-2/bedrock/aws4_request,"
        " SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"
        " Signature="
    )


def test_credentials_hide_their_secret_and_refuse_what_a_header_cannot_carry() -> None:
    credentials = sigv4.Credentials("AKID", "the-secret", "the-token")
    assert repr(credentials) == "Credentials(access_key_id='AKID')"
    with pytest.raises(rf.RerankFormatError) as info:
        sigv4.Credentials("AKID", " padded")
    assert str(info.value) == "secret_access_key must be printable ASCII, without spaces around"
    with pytest.raises(rf.RerankFormatError) as info:
        sigv4.sign("GET", "/", {}, b"", credentials=credentials, region="r", service="s",
                   now=datetime(2026, 1, 1))  # fmt: skip
    assert str(info.value) == "a SigV4-signed request must carry a Host header"


# -- the declaration: Endpoint.signing ------------------------------------------------------


def test_bedrock_declares_sigv4_and_no_other_format_does() -> None:
    signing = {name: get_format(name).ENDPOINT.signing for name in rf.FORMATS}
    assert {name: value for name, value in signing.items() if value} == {"bedrock": "sigv4:bedrock"}
    assert bedrock.ENDPOINT.sigv4_service == "bedrock"
    assert get_format("jina").ENDPOINT.sigv4_service is None


def _bedrock_with(endpoint: rf.formats._base.Endpoint) -> types.ModuleType:
    module = types.ModuleType("bedrock")
    module.__dict__.update({k: v for k, v in vars(bedrock).items() if not k.startswith("__")})
    module.__all__ = bedrock.__all__  # type: ignore[attr-defined]
    module.ENDPOINT = endpoint  # type: ignore[attr-defined]
    return module


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"signing": "sigv4"},
            'ENDPOINT.signing must be None or "sigv4:<service>", with auth_header'
            ' "Authorization" and auth_scheme "AWS4-HMAC-SHA256"',
        ),
        (
            {"auth_scheme": "Bearer"},
            'ENDPOINT.signing must be None or "sigv4:<service>", with auth_header'
            ' "Authorization" and auth_scheme "AWS4-HMAC-SHA256"',
        ),
        (
            {"signing": None},
            'an ENDPOINT whose auth_scheme is "AWS4-HMAC-SHA256" must declare'
            ' signing="sigv4:<service>"',
        ),
    ],
)
def test_registration_checks_the_signing_declaration(
    changes: dict[str, object], message: str
) -> None:
    module = _bedrock_with(bedrock.ENDPOINT._replace(**changes))
    with pytest.raises(rf.RerankFormatError) as info:
        check_format(module)
    assert str(info.value) == f"format module 'bedrock': {message}"


def test_request_headers_refuse_a_key_for_a_signing_format() -> None:
    assert rf.request_headers("bedrock") == {}
    with pytest.raises(rf.RerankFormatError) as info:
        rf.request_headers("bedrock", api_key="AKIDEXAMPLE")
    assert str(info.value) == (
        "bedrock requests are signed (sigv4:bedrock), not sent with an API key:"
        " sign each request with rerank_formats.sigv4.sign"
    )


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request,"
            " SignedHeaders=host;x-amz-date, Signature=5fa00fa3",
            "AKIDEXAMPLE",
        ),
        ("aws4-hmac-sha256 SignedHeaders=host, Credential= K /x", "K"),
        ("AWS4-HMAC-SHA256 Signature=5fa00fa3", None),
        ("Bearer AKIDEXAMPLE", None),
        ("AWS4-HMAC-SHA256 AKIDEXAMPLE", None),
    ],
)
def test_a_bedrock_clients_key_is_its_access_key_id(value: str, key: str | None) -> None:
    assert rf.api_key_from("bedrock", {"Authorization": value}) == key


# -- the proxy's settings -------------------------------------------------------------------

AWS = {"upstream_aws_credentials": AWS_TEST_CREDENTIALS, "upstream_aws_region": "us-east-1"}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"upstream_format": "bedrock"},
            "a bedrock upstream signs its requests (sigv4:bedrock): upstream_aws_credentials"
            " (an access key id and its secret) is required",
        ),
        (
            {"upstream_format": "bedrock", "upstream_aws_credentials": AWS_TEST_CREDENTIALS},
            "a bedrock upstream signs its requests (sigv4:bedrock): upstream_aws_region"
            ' (such as "us-west-2") is required',
        ),
        (
            {"upstream_format": "bedrock", **AWS, "upstream_aws_region": "US West"},
            "a bedrock upstream signs its requests (sigv4:bedrock): upstream_aws_region"
            ' (such as "us-west-2") is required',
        ),
        (
            {"upstream_format": "bedrock", **AWS, "upstream_api_key": "k"},
            "a bedrock upstream signs its requests (sigv4:bedrock): give"
            " upstream_aws_credentials and upstream_aws_region, not upstream_api_key",
        ),
        (
            {"upstream_format": "jina", **AWS},
            "upstream_aws_credentials and upstream_aws_region are for an upstream that signs"
            " its requests, not jina",
        ),
    ],
)
def test_proxy_config_wants_aws_credentials_for_a_signing_upstream_only(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(rf.RerankFormatError) as info:
        ProxyConfig(upstream_url="https://bedrock.test", **settings)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_proxy_config_keeps_the_secret_out_of_its_repr() -> None:
    config = ProxyConfig(upstream_url="https://b.test", upstream_format="bedrock", **AWS)  # type: ignore[arg-type]
    assert "wJalr" not in repr(config) and "AKIDEXAMPLE" not in repr(config)
    assert "upstream_aws_region='us-east-1'" in repr(config)


# -- the proxy signing for a Bedrock upstream, a Jina client in front -----------------------

RECORDED_ANSWER = RECORDED / "bedrock/litellm-docstring-response.json"


class SignedBedrock(FakeUpstream):
    """A Bedrock upstream that answers the recorded response to a request signed with the
    test key, and 403 (Bedrock's `InvalidSignatureException`, as AWS names it) to any other."""

    def __init__(self) -> None:
        super().__init__("/rerank")
        self.reply = self._reply

    def _reply(self, body: bytes) -> tuple[int, bytes]:
        problem = signature_error(self.seen[-1], "bedrock")
        if problem is not None:
            self.headers = {"x-amzn-ErrorType": "InvalidSignatureException"}
            return 403, json.dumps({"message": problem}).encode()
        self.headers = {}
        return 200, RECORDED_ANSWER.read_bytes()


@pytest.fixture(scope="module")
def signed() -> Iterator[tuple[SignedBedrock, str, str]]:
    """The verifying upstream, its URL, and the proxy's in front of it."""
    with ExitStack() as servers:
        upstream = SignedBedrock()
        upstream_url = servers.enter_context(serve(upstream.recorder))
        proxy_url = servers.enter_context(serve(proxy_app(upstream_url, "bedrock")))
        yield upstream, upstream_url, proxy_url


def test_a_jina_client_reaches_a_bedrock_upstream_the_proxy_signs_for(
    signed: tuple[SignedBedrock, str, str],
) -> None:
    upstream, _, url = signed
    request = {"model": "amazon.rerank-v1:0", "query": "q", "documents": ["a", "b"]}

    answer = httpx.post(
        f"{url}/jina/v1/rerank", json=request, headers={"Authorization": "Bearer x"}
    )

    assert (answer.status_code, answer.json()) == (
        200,
        {
            "model": "amazon.rerank-v1:0",
            "usage": None,
            "results": [
                {"index": 0, "relevance_score": 0.6847912669181824, "document": {"text": "a"}},
                {"index": 1, "relevance_score": 0.5980774760246277, "document": {"text": "b"}},
            ],
        },
    )
    received = upstream.seen[-1]
    assert signature_error(received, "bedrock") is None
    assert received.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert received.headers["authorization"].endswith("/us-east-1/bedrock/aws4_request,"
        " SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature="
        + received.headers["authorization"][-64:])  # fmt: skip
    sent = datetime.strptime(received.headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    assert abs(sent.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)) < timedelta(
        minutes=1
    )  # signed at the time it was sent, as AWS requires (within 5 minutes)
    assert "wJalr" not in json.dumps(received.headers)
    assert "Bearer x" not in json.dumps(received.headers)  # the client's key stays here


def test_a_wrong_secret_is_refused_by_the_verifying_upstream(
    signed: tuple[SignedBedrock, str, str],
) -> None:
    _, upstream_url, _ = signed
    wrong = sigv4.Credentials("AKIDEXAMPLE", "not-the-secret")
    config = ProxyConfig(
        upstream_url=upstream_url,
        upstream_format="bedrock",
        upstream_aws_credentials=wrong,
        upstream_aws_region="us-east-1",
        pass_upstream_errors=True,
    )
    with serve(create_app(config)) as url:
        answer = httpx.post(
            f"{url}/jina/v1/rerank", json={"model": "m", "query": "q", "documents": ["a"]}
        )

    assert (answer.status_code, answer.json()) == (
        403,
        {"detail": "the signature does not match", "code": "InvalidSignatureException"},
    )


# -- rerank-formats serve: the credentials from the environment -----------------------------


def test_serve_wants_the_aws_variables_for_a_bedrock_upstream() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
    result = subprocess.run(
        [sys.executable, "-m", "rerank_formats", "serve", "--upstream-url", "http://x.test",
         "--upstream-format", "bedrock"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "rerank-formats serve: error: a bedrock upstream signs its requests with AWS"
        " credentials: set AWS_SECRET_ACCESS_KEY, AWS_REGION"
    )


def test_the_probe_sends_no_key_to_a_format_that_signs() -> None:
    """`probe` tries every format when none is given; Bedrock's attempt goes without the
    key (an unsigned request, which AWS refuses), the others with it."""
    from rerank_formats.probe import probe

    seen: list[tuple[str, str | None]] = []

    def nothing(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("authorization")))
        return httpx.Response(404, json={"message": "no"})

    probe("http://127.0.0.1:9/rerank", api_key="the-key", transport=httpx.MockTransport(nothing))

    # Pinecone's key goes in Api-Key, Bedrock's attempt has none (not a fake
    # "AWS4-HMAC-SHA256 the-key"), every other format's is a bearer key
    assert {key for _, key in seen} == {None, "Bearer the-key"}


def test_serve_signs_with_the_aws_variables(signed: tuple[SignedBedrock, str, str]) -> None:
    from test_serve import running

    upstream, upstream_url, _ = signed
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "AWS_ACCESS_KEY_ID": AWS_TEST_CREDENTIALS.access_key_id,
        "AWS_SECRET_ACCESS_KEY": AWS_TEST_CREDENTIALS.secret_access_key,
        "AWS_REGION": "us-east-1",
        "UPSTREAM_API_KEY": "left-over-key",  # not for a signing upstream: not sent
    }
    with running(
        "--upstream-url", upstream_url, "--upstream-format", "bedrock", env=env
    ) as (url, output):  # fmt: skip
        body = {"model": "m", "query": "q", "documents": ["a", "b"]}
        answer = httpx.post(f"{url}/jina/v1/rerank", json=body)

    assert answer.status_code == 200
    assert [r["index"] for r in answer.json()["results"]] == [0, 1]
    received = upstream.seen[-1]
    assert signature_error(received, "bedrock") is None
    assert "left-over-key" not in json.dumps(received.headers)
    assert not any(AWS_TEST_CREDENTIALS.secret_access_key in line for line in output)
