"""The probe's transport: one httpx client, a timeout per request, one retry when no answer
came, and answers read within a size bound."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import httpx

from ..endpoints import request_headers
from ..errors import RerankFormatError, excerpt
from ..limits import DEFAULT_LIMITS
from ..registry import FormatName, get_format
from ..validation import detect
from ._report import SERIES, Answer, ProbeReport, _bodies, batch_steps, report, request_for

__all__ = ["probe"]


def probe(
    url: str,
    *,
    format: FormatName | None = None,
    headers: Mapping[str, str] | None = None,
    model: str | None = None,
    api_key: str | None = None,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> ProbeReport:
    """Probe the rerank endpoint at `url` and report what dialect it really speaks.

    Args:
        url: the endpoint's full URL (`http://127.0.0.1:8080/rerank`).
        format: the format it claims to speak; when None, the probe first sends the basic
            request as each registered format writes it (each distinct body once) and
            speaks the format that the first accepted answer fits best (of the formats
            that would send the same basic request, the one its answers deviate least
            from).
        headers: headers to send with every request, besides the ones the format needs
            (`request_headers`: its `ENDPOINT.headers` and the key).
        model: the model to name in the requests (some servers require one).
        api_key: the API key, sent where each format's `ENDPOINT` says (`Authorization:
            Bearer ...`, Pinecone's `Api-Key`); not sent to a format that signs its
            requests instead (`ENDPOINT.signing`: Bedrock's SigV4, which the probe sends
            unsigned).
        timeout: seconds for each request, connecting included.
        transport: an httpx transport, for tests.

    Returns:
        The report; `report.requests` requests were sent, at most `max_requests(format)`.

    Raises:
        UnknownFormatError: `format` is not registered.
        RerankFormatError: `url` is not an http(s) URL, or `api_key` cannot be sent in a
            header.
    """
    if format is not None:
        format = get_format(format).NAME
    if api_key is not None:
        request_headers("jina", api_key=api_key)  # a key that cannot be sent in a header
    if not url.startswith(("http://", "https://")):
        raise RerankFormatError(f"the URL must start with http:// or https://: {excerpt(url)!r}")
    with httpx.Client(
        timeout=timeout, transport=transport, follow_redirects=False, trust_env=False
    ) as client:
        sender = _Sender(client, url, headers or {}, model, api_key)
        answers: list[Answer] = []
        claimed = format is not None
        if format is None:
            format = _find(sender, answers)
            if format is None:
                return report(url, None, (), answers)
        basic = sender.send("basic", format)
        answers.append(basic)
        if basic.ok:  # nothing else can be learnt from a server that refuses the basic request
            answers += [sender.send(step, format) for step in SERIES[1:]]
            answers += batch_steps(lambda step: sender.send(step, format))
    fits = tuple(m.format for m in detect(basic.body, kind="response")) if basic.ok else ()
    if not claimed and basic.ok:
        return _best(url, format, fits, answers, sender.model)
    return report(url, format, fits, answers)


def _best(
    url: str, found: FormatName, fits: tuple[str, ...], answers: list[Answer], model: str | None
) -> ProbeReport:
    """The report in the format the answers deviate least from, among those that fit and
    would have sent the same basic request (no request is sent again; a step a format has
    no field for is not held against it): a server that answers Jina's requests with
    llama.cpp's negative scores and no documents speaks llama.cpp's dialect, not Jina's."""
    sent = request_for("basic", found, model)
    same = [
        name
        for name in cast("tuple[FormatName, ...]", fits)
        if name != found and request_for("basic", name, model) == sent
    ]
    reports = [report(url, name, fits, answers) for name in (found, *same)]
    return min(reports, key=lambda r: len(r.deviations))


def _find(sender: _Sender, answers: list[Answer]) -> FormatName | None:
    """Send the basic request in each registered format until one is accepted; the format
    its answer fits best (among equally good fits, the one whose request was sent)."""
    sent: dict[bytes, FormatName] = {}
    for name, body in _bodies(sender.model).items():
        if body in sent:
            continue
        sent[body] = name
        answer = sender.send("basic", name, step=f"find:{name}")
        answers.append(answer)
        if not answer.ok:
            continue
        matches = detect(answer.body, kind="response")
        if not matches:
            continue
        best = [m.format for m in matches if not matches[0].ambiguous or m.ambiguous]
        same = [f for f in best if _bodies(sender.model)[f] == body]  # type: ignore[index]
        return (same or best)[0]  # type: ignore[return-value]
    return None


class _Sender:
    def __init__(
        self,
        client: httpx.Client,
        url: str,
        headers: Mapping[str, str],
        model: str | None,
        api_key: str | None,
    ) -> None:
        self.client, self.url, self.headers, self.model = client, url, headers, model
        self.api_key = api_key

    def send(self, what: str, format: FormatName, step: str | None = None) -> Answer:
        """Send request `what` in `format` (retried once when no answer came)."""
        body = request_for(what, format, self.model)
        endpoint = get_format(format).ENDPOINT
        # a format that signs its requests (Bedrock's SigV4) takes no key: the probe sends
        # it unsigned, and reports the refusal it gets
        key = None if endpoint.signing is not None else self.api_key
        needed = request_headers(format, api_key=key)
        headers = {"content-type": "application/json", **needed, **self.headers}
        failure = None
        for _ in range(2):
            try:
                return self._post(step or what, body, headers, endpoint.method)
            except httpx.TransportError as error:
                failure = excerpt(f"{type(error).__name__}: {error}", 80)
        return Answer(step=step or what, sent=body, failure=failure)

    def _post(self, step: str, body: bytes, headers: dict[str, str], method: str) -> Answer:
        limit = DEFAULT_LIMITS.max_bytes
        with self.client.stream(method, self.url, content=body, headers=headers) as response:
            parts, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    return Answer(
                        step=step,
                        sent=body,
                        status=response.status_code,
                        failure=f"the answer is over {limit:,} bytes",
                    )
                parts.append(chunk)
        return Answer(
            step=step,
            sent=body,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=b"".join(parts),
        )
