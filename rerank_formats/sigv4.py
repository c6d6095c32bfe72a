"""AWS Signature Version 4 for one HTTP request: pure functions, the clock an input.

Written from AWS's published specification, "Create a signed AWS API request"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) and "Elements
of an AWS API request signature"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html):

1. the canonical request: the method, the canonical URI, the canonical query string, the
   canonical headers (names in lower case, values trimmed and inner runs of spaces made one,
   sorted by name, each line ending in a newline), the signed header names (`;`-joined) and
   the hex SHA-256 of the payload, joined by newlines;
2. the string to sign: `AWS4-HMAC-SHA256`, the time (`YYYYMMDDTHHMMSSZ`), the credential
   scope (`<date>/<region>/<service>/aws4_request`) and the hex SHA-256 of the canonical
   request, joined by newlines;
3. the signing key: HMAC-SHA256 chained from `"AWS4" + secret` over the date, the region,
   the service and `aws4_request`;
4. the signature: the hex HMAC-SHA256 of the string to sign under that key, sent as
   `Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<names>,
   Signature=<hex>`, with `x-amz-date` (and `x-amz-security-token` for temporary
   credentials) among the signed headers.

The canonical URI encodes each path segment once more, as the specification asks of every
service but S3 (the path is taken as it is sent, already percent-encoded); the path is not
normalised (no `.` or `..` segments are removed: the proxy sends none). Checked in
tests/test_sigv4.py against AWS's own test suite (`get-vanilla`,
`post-x-www-form-urlencoded`, copied into fixtures/specs/sigv4/) and against botocore's
`SigV4Auth` signing the same request at the same time.

Only hashlib and hmac: nothing here reads the environment, the clock or the network.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote, unquote

from .errors import RerankFormatError

__all__ = [
    "ALGORITHM",
    "Credentials",
    "canonical_request",
    "sign",
    "signing_key",
    "string_to_sign",
]

ALGORITHM = "AWS4-HMAC-SHA256"
"""The signing algorithm, the first word of the `Authorization` header it writes."""

_UNRESERVED = "-_.~"  # RFC 3986 unreserved, beside letters and digits: never encoded


@dataclass(frozen=True)
class Credentials:
    """An AWS access key: its id, its secret and, for temporary credentials, the session
    token. The secret and the token are never in the repr.

    Attributes:
        access_key_id: the key's id (`AKIA...`, `ASIA...`), sent in the clear.
        secret_access_key: the secret the signature is made with; never sent.
        session_token: the temporary credentials' token, sent (and signed) as
            `x-amz-security-token`; None for long-term keys.
    """

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("access_key_id", "secret_access_key", "session_token"):
            value = getattr(self, name)
            if value is None and name == "session_token":
                continue
            if not value or not (value.isascii() and value.isprintable()) or value != value.strip():
                raise RerankFormatError(f"{name} must be printable ASCII, without spaces around")


def _canonical_query(query: str) -> str:
    """Each name and value URI-encoded (decoded first, so that an encoded one is not
    encoded twice), sorted by name then value, joined by `&`."""
    pairs = []
    for item in query.split("&") if query else ():
        name, _, value = item.partition("=")
        pairs.append(
            (quote(unquote(name), safe=_UNRESERVED), quote(unquote(value), safe=_UNRESERVED))
        )
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def _canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """The canonical headers block and the signed header names."""
    merged: dict[str, list[str]] = {}
    for name, value in headers.items():
        merged.setdefault(name.lower().strip(), []).append(" ".join(value.split()))
    names = sorted(merged)
    block = "".join(f"{name}:{','.join(merged[name])}\n" for name in names)
    return block, ";".join(names)


def canonical_request(
    method: str, path: str, query: str, headers: Mapping[str, str], payload_hash: str
) -> str:
    """The canonical request (step 1 of the specification).

    Args:
        method: the HTTP method (`"POST"`).
        path: the path as sent, percent-encoded (`"/rerank"`); empty means `/`.
        query: the query string as sent, without `?` (`""` for none).
        headers: every header to sign (at least `host`), names in any case.
        payload_hash: the hex SHA-256 of the body.

    Examples:
        >>> print(canonical_request("GET", "/", "", {"Host": "example.amazonaws.com"},
        ...                         hashlib.sha256(b"").hexdigest()[:8]))
        GET
        /
        <BLANKLINE>
        host:example.amazonaws.com
        <BLANKLINE>
        host
        e3b0c442
    """
    uri = quote(path or "/", safe="/" + _UNRESERVED)
    block, signed = _canonical_headers(headers)
    return "\n".join((method.upper(), uri, _canonical_query(query), block, signed, payload_hash))


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    """The string to sign (step 2): the algorithm, the time, the credential scope and the
    hex SHA-256 of the canonical request, one per line."""
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """The signing key (step 3): HMAC-SHA256 chained from `"AWS4" + secret` over the date
    (`YYYYMMDD`), the region, the service and `aws4_request`."""
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def sign(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    credentials: Credentials,
    region: str,
    service: str,
    now: datetime,
    query: str = "",
    content_sha256: bool = True,
) -> dict[str, str]:
    """The headers that sign a request: `x-amz-date`, `x-amz-content-sha256` (unless
    `content_sha256` is false), `x-amz-security-token` for temporary credentials, and
    `Authorization`. Every one of `headers` is signed, with those it adds.

    Args:
        method: the HTTP method.
        path: the path as sent (percent-encoded).
        headers: the headers to sign as they will be sent: at least `Host`.
        body: the body as sent.
        credentials: the access key.
        region: the region (`"us-east-1"`).
        service: the signing name (`"bedrock"`).
        now: the signing time (an aware datetime, or a naive one in UTC); AWS refuses a
            request signed more than 5 minutes away from its clock.
        query: the query string as sent, without `?`.
        content_sha256: send the payload's hash as `x-amz-content-sha256` too.

    Returns:
        The headers to add to the request, names in lower case but `Authorization`.

    Raises:
        RerankFormatError: `headers` has no `Host`, or `region` or `service` is empty.

    Examples:
        >>> from datetime import datetime, timezone
        >>> key = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        >>> signed = sign("GET", "/", {"Host": "example.amazonaws.com"}, b"",
        ...               credentials=key, region="us-east-1", service="service",
        ...               now=datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc),
        ...               content_sha256=False)
        >>> signed["x-amz-date"]
        '20150830T123600Z'
        >>> signed["Authorization"][-64:]
        '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'
    """
    if not any(name.lower() == "host" for name in headers):
        raise RerankFormatError("a SigV4-signed request must carry a Host header")
    if not region or not service:
        raise RerankFormatError("SigV4 signing needs a region and a service")
    when = now.astimezone(timezone.utc) if now.tzinfo else now
    amz_date, date = when.strftime("%Y%m%dT%H%M%SZ"), when.strftime("%Y%m%d")
    payload_hash = hashlib.sha256(body).hexdigest()
    added = {"x-amz-date": amz_date}
    if content_sha256:
        added["x-amz-content-sha256"] = payload_hash
    if credentials.session_token is not None:
        added["x-amz-security-token"] = credentials.session_token
    signed = {k: v for k, v in headers.items() if k.lower() not in added} | added
    canonical = canonical_request(method, path, query, signed, payload_hash)
    scope = f"{date}/{region}/{service}/aws4_request"
    key = signing_key(credentials.secret_access_key, date, region, service)
    signature = hmac.new(
        key, string_to_sign(amz_date, scope, canonical).encode(), hashlib.sha256
    ).hexdigest()
    names = _canonical_headers(signed)[1]
    added["Authorization"] = (
        f"{ALGORITHM} Credential={credentials.access_key_id}/{scope},"
        f" SignedHeaders={names}, Signature={signature}"
    )
    return added
