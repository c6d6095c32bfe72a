"""The proxy's settings: one frozen object, checked when it is made."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import get_args

from ..convert import OnLoss, Scores, UnknownUsage
from ..errors import RerankFormatError
from ..limits import DEFAULT_LIMITS, Limits
from ..registry import FormatName, get_format
from ..sigv4 import Credentials

FORWARDED_BY_DEFAULT = (
    "retry-after",
    "retry-after-ms",
    "x-ratelimit-*",
    "ratelimit",
    "ratelimit-*",
)
"""The upstream headers passed to clients unless `forward_headers` says otherwise: when to
retry (the cohere SDK waits by `Retry-After` and `Retry-After-Ms`, then by
`X-RateLimit-Reset`; cohere/core/http_client.py, 7.3.1) and the rate-limit counters (Jina
sends `X-RateLimit-Remaining-Requests` and `-Tokens`; `RateLimit-*` is the IETF draft's)."""


@dataclass(frozen=True, kw_only=True)
class ProxyConfig:
    """What the proxy forwards to and what it accepts; pass it to `create_app`.

    Attributes:
        upstream_url: the upstream's base URL (`https://api.cohere.com`); the proxy calls
            the upstream format's native path below it (`/v2/rerank` for Cohere v2).
        upstream_format: the format the upstream speaks (`"cohere_v2"`, ...).
        upstream_api_key: sent to the upstream in the header its format declares
            (`ENDPOINT.auth_header` and `auth_scheme`: `Authorization: Bearer ...` by
            default), with the headers it requires (`ENDPOINT.headers`); never logged, never
            in the repr, and removed from any upstream error text the proxy passes on or
            logs. Clients' own credentials are never forwarded. None for an upstream whose
            format signs its requests (`ENDPOINT.signing`: Bedrock), which takes
            `upstream_aws_credentials` instead.
        upstream_aws_credentials: the AWS access key every request to an upstream whose
            format signs (`ENDPOINT.signing == "sigv4:bedrock"`) is signed with, by AWS
            Signature Version 4 (`rerank_formats.sigv4`) at the time it is sent;
            required for such an upstream, refused for any other. `rerank-formats serve`
            reads it from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
            `AWS_SESSION_TOKEN`. The secret and token are never sent, logged or in the repr.
        upstream_aws_region: the region in the signature's scope (`"us-west-2"`; from
            `AWS_REGION`): required with `upstream_aws_credentials`.
        client_api_key: when set, the key every client must present, in the header its own
            format declares (`Authorization: Bearer ...` for Jina and Cohere); a request
            without it is answered 401 in the client's format. Never logged, never in the
            repr, never forwarded.
        client_format: a client format also served at the root, at its native paths
            (`/v1/rerank`, ...), for clients that replace the base URL's path (litellm's
            `jina_ai` provider). Every format is always served under its own prefix.
        on_loss: what to do when the upstream format cannot express the client's request as
            it is: refuse it with a 400 when the loss can change the ranking and log the
            others as warnings (`"raise_ranking"`, the default), refuse it whatever the loss
            (`"raise"`), `"warn"` or `"ignore"`.
        usage: what a client whose format always reports token usage (Jina) reads when
            the upstream reports none: `"null"` (the default), `"omit"` (litellm's Jina
            client, which fails on a null) or `"zero"` (see `UnknownUsage`).
        scores: what an upstream's logit scores become for a client whose format promises
            probabilities (Cohere): `"keep"` (the default: passed as they are, and the loss
            logged) or `"sigmoid"` (mapped into [0, 1]; see `Scores`).
        upstream_max_documents: the most documents one upstream call may carry; a larger
            request is split into parts sent at once, whose answers are merged into one
            (`split_request`, `merge_responses`). None (the default) means the upstream
            format's own limit (`ENDPOINT.max_documents`: 32 for TEI), if any.
        max_upstream_calls: the most upstream calls one client request may be split into;
            a request that needs more is refused with 400.
        pass_upstream_errors: pass the upstream's error message (and field details) to the
            client, converted to the client's format. By default a client gets only the
            status and a fixed message per status, since an upstream's error text can hold
            the proxy's own key, internal addresses or stack traces.
        limits: what a client's request may hold (`limits.max_bytes` is counted as the body
            arrives, and refused with 413 once exceeded) and what the upstream's answer may
            hold beyond its size.
        max_response_bytes: the largest upstream answer, counted after decompression as it
            arrives.
        max_error_bytes: the largest upstream error body read; a larger one is not read.
        client_body_timeout: seconds a client has to send its whole body (else 408).
        upstream_timeout: seconds the whole upstream exchange may take, from connecting to
            the last byte of the answer (else 504), however slowly the bytes trickle in.
        connect_timeout: seconds to connect to the upstream, within `upstream_timeout`.
        max_connections: the most connections open to the upstream at once, all kept alive.
        forward_headers: `fnmatch` patterns (lower case) of the upstream headers a client
            sees. Hop-by-hop, credential and cookie headers are never forwarded.
    """

    upstream_url: str
    upstream_format: FormatName
    upstream_api_key: str | None = field(default=None, repr=False)
    client_format: FormatName | None = None
    on_loss: OnLoss = "raise_ranking"
    usage: UnknownUsage = "null"
    scores: Scores = "keep"
    pass_upstream_errors: bool = False
    limits: Limits = DEFAULT_LIMITS
    max_response_bytes: int = 32 * 1024 * 1024
    max_error_bytes: int = 64 * 1024
    client_body_timeout: float = 30.0
    upstream_timeout: float = 60.0
    connect_timeout: float = 10.0
    max_connections: int = 100
    forward_headers: tuple[str, ...] = FORWARDED_BY_DEFAULT
    client_api_key: str | None = field(default=None, repr=False)
    upstream_max_documents: int | None = None
    max_upstream_calls: int = 16
    upstream_aws_credentials: Credentials | None = field(default=None, repr=False)
    upstream_aws_region: str | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise the names once, here
        set_(self, "upstream_format", get_format(self.upstream_format).NAME)
        if self.client_format is not None:
            set_(self, "client_format", get_format(self.client_format).NAME)
        if not self.upstream_url.startswith(("http://", "https://")):
            raise RerankFormatError("upstream_url must start with http:// or https://")
        for name in ("upstream_api_key", "client_api_key"):
            key = getattr(self, name)  # an empty upstream key is none (an empty variable)
            if key is not None and not (
                (key or name == "upstream_api_key")
                and key.isascii()
                and key.isprintable()
                and key == key.strip()
            ):
                raise RerankFormatError(f"{name} must be printable ASCII, without spaces around")
        if self.on_loss not in get_args(OnLoss):
            raise RerankFormatError(f"on_loss must be one of {', '.join(get_args(OnLoss))}")
        if self.usage not in get_args(UnknownUsage):
            raise RerankFormatError(f"usage must be one of {', '.join(get_args(UnknownUsage))}")
        if self.scores not in get_args(Scores):
            raise RerankFormatError(f"scores must be one of {', '.join(get_args(Scores))}")
        self._check_counts()
        self._check_signing()
        for name in ("client_body_timeout", "upstream_timeout", "connect_timeout"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 < value < math.inf:
                raise RerankFormatError(f"{name} must be a positive number of seconds")

    def _check_signing(self) -> None:
        signing = get_format(self.upstream_format).ENDPOINT.signing
        if signing is None:
            if self.upstream_aws_credentials is not None or self.upstream_aws_region is not None:
                raise RerankFormatError(
                    f"upstream_aws_credentials and upstream_aws_region are for an upstream"
                    f" that signs its requests, not {self.upstream_format}"
                )
            return
        if self.upstream_api_key:
            raise RerankFormatError(
                f"a {self.upstream_format} upstream signs its requests ({signing}): give"
                " upstream_aws_credentials and upstream_aws_region, not upstream_api_key"
            )
        if not isinstance(self.upstream_aws_credentials, Credentials):
            raise RerankFormatError(
                f"a {self.upstream_format} upstream signs its requests ({signing}):"
                " upstream_aws_credentials (an access key id and its secret) is required"
            )
        region = self.upstream_aws_region
        if not region or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", region):
            raise RerankFormatError(
                f"a {self.upstream_format} upstream signs its requests ({signing}):"
                ' upstream_aws_region (such as "us-west-2") is required'
            )

    def _check_counts(self) -> None:
        positive = ("max_response_bytes", "max_error_bytes", "max_connections")
        for name in (*positive, "max_upstream_calls", "upstream_max_documents"):
            value = getattr(self, name)
            if value is None and name == "upstream_max_documents":
                continue
            if type(value) is not int or value < 1:
                raise RerankFormatError(f"{name} must be a positive integer")
