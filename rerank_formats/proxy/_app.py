"""The proxy app: every client format in, one upstream format out."""

from __future__ import annotations

import hmac
import http
import itertools
import logging
import re
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import aclosing, asynccontextmanager
from datetime import datetime, timezone

import anyio
import httpx
import msgspec
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .. import __version__, registry
from ..batching import merge_responses, split_request
from ..canonical import FieldError, RerankError, RerankRequest, RerankResponse
from ..convert import (
    convert_response,
    decode_error,
    decode_request,
    decode_response,
    encode_error,
    encode_request,
    encode_response,
)
from ..endpoints import api_key_from, request_headers
from ..errors import DecodeError, LossWarning, LossyConversionError, RerankFormatError, excerpt
from ..registry import FormatName, get_format
from ..sigv4 import sign
from ._bounded import BadEncodingError, TooLargeError, forwarded_headers, read_capped, read_decoded
from ._config import ProxyConfig


def _native_paths() -> dict[FormatName, str]:
    return {name: get_format(name).ENDPOINT.path for name in registry.FORMATS}


def _prefix(provider: str) -> str:
    return "/" + re.sub(r"[^a-z0-9]+", "-", provider.lower()).strip("-")


def _prefixes() -> dict[FormatName, str]:
    return {name: _prefix(get_format(name).PROVIDER) for name in registry.FORMATS}


NATIVE_PATHS: dict[FormatName, str] = _native_paths()
"""Each format's rerank path below its server's base URL (its module's `ENDPOINT`): where the
upstream is called, and where the `client_format` is served at the root."""

PREFIXES: dict[FormatName, str] = _prefixes()
"""The prefix under which each client format is served (`/cohere/v2/rerank`), so that an
SDK's base URL is `http://host:port/<prefix>`: its provider's name, in lower case."""

CLIENT_PATHS: dict[FormatName, str] = {
    name: PREFIXES[name] + NATIVE_PATHS[name] for name in NATIVE_PATHS
}
"""Where each client format is served, always (`create_app` reads the registry again when
it is called, so a format registered since import is served too)."""


def client_routes(names: Iterable[str]) -> dict[str, FormatName]:
    """Every path a client format is served at, and its format: each format's `path` and
    `aliases` (its module's `ENDPOINT`) under its prefix (`PREFIXES`).

    A path stays unambiguous: a format's own `path` is always its own (two formats of the
    same prefix declaring the same one is an error), and an alias that another format of
    the same prefix declares as its path or alias too is served for neither, since nothing
    says which of the two a client there speaks.

    Raises:
        RerankFormatError: two formats declare the same path under the same prefix.
    """
    routes: dict[str, FormatName] = {}
    aliases: dict[str, list[FormatName]] = {}
    for name in names:
        module = get_format(name)
        prefix = _prefix(module.PROVIDER)
        path = prefix + module.ENDPOINT.path
        if path in routes:
            raise RerankFormatError(f"{routes[path]} and {module.NAME} are both served at {path}")
        routes[path] = module.NAME
        for alias in module.ENDPOINT.aliases:
            if alias != module.ENDPOINT.path:
                aliases.setdefault(prefix + alias, []).append(module.NAME)
    for path, claimed in aliases.items():
        if path not in routes and len(claimed) == 1:
            routes[path] = claimed[0]
    return routes


CLIENT_ROUTES: dict[str, FormatName] = client_routes(registry.FORMATS)
"""Every path a client format is served at (`CLIENT_PATHS` and each format's `aliases`
under its prefix), and its format (see `client_routes`)."""

# xinference_client's RESTfulClient.get_model() fetches the model's description first and
# dispatches on `model_type` (xinference_client/client/restful/restful_client.py, 4.1.0).
_MODEL_PATHS: dict[FormatName, str] = {"xinference": "/v1/models/{model_uid:path}"}

JSON = "application/json"
_log = logging.getLogger("rerank_formats.proxy")


class _RefusalError(Exception):
    """An answer the proxy gives itself, written in the client's format.

    `exact` keeps an HTTP-level status (408, 413, 415) whatever the client's format
    declares; any other status is mapped as `encode_error` maps it.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        exact: bool = False,
        details: tuple[FieldError, ...] = (),
    ) -> None:
        super().__init__(message)
        self.error = RerankError(status=status, message=message, details=details)
        self.exact = exact


def create_app(
    config: ProxyConfig, *, transport: httpx.AsyncBaseTransport | None = None
) -> Starlette:
    """The proxy as an ASGI app (Starlette), forwarding to `config.upstream_url`.

    Every client format is served under its prefix, at its path and aliases
    (`CLIENT_ROUTES`); `config.client_format` is also served at the root, at both. The
    app's lifespan opens and closes the connection pools to the upstream (every ASGI server
    runs it; mounted in another app without it, the pools open on the first request).
    `app.state.config` is `config`.

    Args:
        config: the upstream and the bounds.
        transport: replaces the network to the upstream (an `httpx.MockTransport` in
            tests and examples).

    Returns:
        The app, to serve with any ASGI server (`rerank-formats serve` runs uvicorn).

    Examples:
        >>> from rerank_formats.proxy import ProxyConfig, create_app
        >>> app = create_app(ProxyConfig(upstream_url="https://api.cohere.com",
        ...                              upstream_format="cohere-v2", client_format="jina"))
        >>> app.state.config.upstream_format
        'cohere_v2'
        >>> [route.path for route in app.routes][-2:]
        ['/xinference/v1/models/{model_uid:path}', '/v1/rerank']
    """
    proxy = _Proxy(config, transport)
    prefixes = _prefixes()
    routes: list[BaseRoute] = [
        Route(path, proxy.endpoint(name), methods=[get_format(name).ENDPOINT.method])
        for path, name in client_routes(registry.FORMATS).items()
    ]
    routes += [
        Route(prefixes[n] + p, _describe_model, methods=["GET"]) for n, p in _MODEL_PATHS.items()
    ]
    root = config.client_format
    if root is not None:
        endpoint = get_format(root).ENDPOINT
        for path in dict.fromkeys((endpoint.path, *endpoint.aliases)):
            routes.append(Route(path, proxy.endpoint(root), methods=[endpoint.method]))
        if root in _MODEL_PATHS:
            routes.append(Route(_MODEL_PATHS[root], _describe_model, methods=["GET"]))
    app = Starlette(routes=routes, lifespan=proxy.lifespan)
    app.state.config = config
    return app


async def _describe_model(request: Request) -> Response:
    uid = request.path_params["model_uid"]
    return JSONResponse({"model_type": "rerank", "model_name": uid})


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == JSON or (media.startswith("application/") and media.endswith("+json"))


def _safe_message(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Client Error" if 400 <= status < 500 else "Error"
    return f"the upstream answered {status} {phrase}"


_POOL_SIZE = 8
"""Connections per httpcore pool. httpcore's pool checks every connection it holds each time
a request starts or ends (`_assign_requests_to_connections`, httpcore 1.0.9), which made it a
third of the proxy's CPU time at 32 concurrent requests on one pool of 32; the proxy spreads
its requests over small pools in turn instead (see docs/proxy.md, Performance)."""


class _Proxy:
    def __init__(self, config: ProxyConfig, transport: httpx.AsyncBaseTransport | None) -> None:
        self.config = config
        self.transport = transport
        endpoint = get_format(config.upstream_format).ENDPOINT
        self.url = httpx.URL(config.upstream_url.rstrip("/") + endpoint.path)
        self.method = endpoint.method
        self.headers = httpx.Headers(
            {
                "content-type": JSON,
                "accept": JSON,
                "accept-encoding": "gzip, deflate",
                "user-agent": f"rerank-formats/{__version__}",
            }
        )
        # the key in the upstream's own header and scheme, and the headers it requires
        self.headers.update(
            request_headers(config.upstream_format, api_key=config.upstream_api_key or None)
        )
        self.batch = config.upstream_max_documents or endpoint.max_documents
        self.client_key = (config.client_api_key or "").encode()
        timeout = httpx.Timeout(config.upstream_timeout, connect=config.connect_timeout)
        self.extensions = {"timeout": timeout.as_dict()}
        self.secret = (config.upstream_api_key or "").encode()
        self.sigv4_service = endpoint.sigv4_service
        if config.upstream_aws_credentials is not None:
            self.secret = config.upstream_aws_credentials.secret_access_key.encode()
        self.response_limits = msgspec.structs.replace(
            config.limits, max_bytes=config.max_response_bytes
        )
        self.pools: list[httpx.AsyncBaseTransport] = []
        self.turn = itertools.count()

    def _open(self) -> list[httpx.AsyncBaseTransport]:
        """The upstream connection pools: plain transports, without httpx's client layer (no
        cookie jar, no redirects, no authentication flow: nothing kept between requests)."""
        if self.transport is not None:
            self.pools = [self.transport]
            return self.pools
        left, self.pools = self.config.max_connections, []
        tls = httpx.create_ssl_context()  # one for all pools: each costs ~35 ms to load
        while left > 0:
            size = min(left, _POOL_SIZE)
            pool = httpx.Limits(max_connections=size, max_keepalive_connections=size)
            self.pools.append(httpx.AsyncHTTPTransport(verify=tls, limits=pool))
            left -= size
        return self.pools

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        pools = self._open()
        try:
            yield
        finally:
            self.pools = []
            for pool in pools:
                await pool.aclose()

    def endpoint(self, client: FormatName) -> Callable[[Request], Awaitable[Response]]:
        async def rerank(request: Request) -> Response:
            try:
                return await self._rerank(request, client)
            except _RefusalError as refusal:
                status, body = encode_error(refusal.error, format=client)
                return Response(
                    body, refusal.error.status if refusal.exact else status, media_type=JSON
                )
            except ClientDisconnect:  # the client went away mid-upload: nobody to answer
                return Response(status_code=400)

        return rerank

    async def _rerank(self, request: Request, client: FormatName) -> Response:
        config = self.config
        upstream = config.upstream_format
        if self.client_key:
            self._authenticate(request, client)
        if not _is_json(request.headers.get("content-type")):
            raise _RefusalError(415, f"the body must be JSON (Content-Type: {JSON})", exact=True)
        canonical, bodies = self._translate(await self._read_body(request), client)
        answers = await self._exchange(bodies)
        answer, data = answers[0]  # the only one, or the part that failed first
        headers = forwarded_headers(answer.headers, config.forward_headers)
        if not answer.is_success:
            status, error_body = self._error(answer, data, client)
            return Response(error_body, status, headers=headers, media_type=JSON)
        try:
            if len(answers) == 1:
                converted = self._convert(data, client, canonical, answer.headers)
            else:
                converted = self._merge(answers, client, canonical)
        except RerankFormatError as error:
            _log.warning("the upstream's answer is not valid: %s", error)
            if isinstance(error, DecodeError):
                raise _RefusalError(
                    502,
                    f"the upstream's answer is not a valid {upstream} response: {error.type} at {error.path}",
                ) from None
            raise _RefusalError(
                502, f"the upstream's answer is not valid: {type(error).__name__}"
            ) from None
        return Response(converted, headers=headers, media_type=JSON)

    async def _read_body(self, request: Request) -> bytes:
        limit = self.config.limits.max_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _RefusalError(413, f"the body is over {limit:,} bytes", exact=True)
        timeout = self.config.client_body_timeout
        try:
            with anyio.fail_after(timeout):
                async with aclosing(request.stream()) as chunks:
                    return await read_capped(chunks, limit)
        except TooLargeError:
            raise _RefusalError(413, f"the body is over {limit:,} bytes", exact=True) from None
        except TimeoutError:
            raise _RefusalError(
                408, f"the body did not arrive within {timeout:g} s", exact=True
            ) from None

    def _authenticate(self, request: Request, client: FormatName) -> None:
        """Refuse a request without the client key, in the header the client's format
        declares (compared in constant time)."""
        key = api_key_from(client, request.headers)
        if key is None or not hmac.compare_digest(key.encode(), self.client_key):
            endpoint = get_format(client).ENDPOINT
            where = f"{endpoint.auth_header}: {endpoint.auth_scheme} <key>".replace(":  ", ": ")
            if endpoint.signing is not None:  # the key is the signature's access key id
                where = f"{endpoint.auth_header}: {endpoint.auth_scheme} Credential=<key>/..."
            raise _RefusalError(401, f"a valid API key is required ({where})")

    def _translate(self, body: bytes, client: FormatName) -> tuple[RerankRequest, list[bytes]]:
        """The client's request, and the upstream bodies it becomes: one, or one per part
        when it has more documents than the upstream takes at a time."""
        upstream = self.config.upstream_format
        try:
            canonical = decode_request(body, format=client, limits=self.config.limits)
            parts = self._split(canonical)
            # a loss let through ("raise_ranking"'s reporting losses, or "warn") is logged, not
            # a Python warning: a server's warnings reach no one, or fail a strict process
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", LossWarning)
                written = [
                    encode_request(part, format=upstream, on_loss=self.config.on_loss)
                    for part in parts
                ]
            for warned in caught:
                if isinstance(warned.message, LossWarning):
                    loss = warned.message.loss
                    _log.warning("a %s loss, sent on: %s", loss.kind, loss)
                else:  # pragma: no cover - the converters warn of nothing else
                    warnings.warn(warned.message, stacklevel=1)
            return canonical, written
        except DecodeError as error:
            raise _RefusalError(400, str(error)) from None
        except LossyConversionError as error:
            details = tuple(FieldError(field=x.path, message=x.reason) for x in error.losses)
            message = f"the upstream ({upstream}) cannot take this request as it is"
            raise _RefusalError(400, message, details=details) from None

    def _split(self, request: RerankRequest) -> tuple[RerankRequest, ...]:
        limit = self.batch
        if limit is None or len(request.documents) <= limit:
            return (request,)
        parts = split_request(request, limit)
        if len(parts) > self.config.max_upstream_calls:
            raise _RefusalError(
                400,
                f"the request has {len(request.documents):,} documents; the upstream takes"
                f" {limit:,} at a time, in at most {self.config.max_upstream_calls:,} calls",
            )
        return parts

    async def _call(self, body: bytes) -> tuple[httpx.Response, bytes]:
        """One upstream call: its answer and its body, read within the limits."""
        config = self.config
        pools = self.pools or self._open()
        pool = pools[next(self.turn) % len(pools)]
        request = httpx.Request(
            self.method, self.url, content=body, headers=self.headers, extensions=self.extensions
        )
        if self.sigv4_service is not None:
            self._sign(request, body, self.sigv4_service)
        answer = await pool.handle_async_request(request)
        try:
            if answer.is_success:
                return answer, await read_decoded(answer, config.max_response_bytes)
            try:
                return answer, await read_decoded(answer, config.max_error_bytes)
            except (TooLargeError, BadEncodingError):
                return answer, b""
        finally:
            await answer.aclose()

    def _sign(self, request: httpx.Request, body: bytes, service: str) -> None:
        """Sign `request` with SigV4 as it is sent, now: its `Host` and `Content-Type`,
        with the `x-amz-*` headers the signature adds (the others are not signed, which
        the specification allows: only `Host` and the `x-amz-*` ones must be)."""
        config = self.config
        assert config.upstream_aws_credentials is not None  # ProxyConfig checks it
        assert config.upstream_aws_region is not None
        signed = {name: request.headers[name] for name in ("host", "content-type")}
        request.headers.update(
            sign(
                request.method,
                request.url.raw_path.decode("ascii").partition("?")[0],
                signed,
                body,
                credentials=config.upstream_aws_credentials,
                region=config.upstream_aws_region,
                service=service,
                now=datetime.now(timezone.utc),
                query=request.url.query.decode("ascii"),
            )
        )

    async def _gather(self, bodies: list[bytes]) -> list[tuple[httpx.Response, bytes]]:
        """Every part's answer, the calls made at once; on the first failure (an error
        answer, or no answer), the others are cancelled and that answer alone returned
        (or that error raised)."""
        slots: dict[int, tuple[httpx.Response, bytes]] = {}
        failed: list[tuple[httpx.Response, bytes] | Exception] = []

        async def call(part: int, body: bytes, scope: anyio.CancelScope) -> None:
            try:
                slots[part] = answer = await self._call(body)
            except (httpx.HTTPError, TooLargeError, BadEncodingError) as error:
                failed.append(error)
                scope.cancel()
                return
            if not answer[0].is_success:
                failed.append(answer)
                scope.cancel()

        async with anyio.create_task_group() as group:
            for part, body in enumerate(bodies):
                group.start_soon(call, part, body, group.cancel_scope)
        if failed:
            first = failed[0]
            if isinstance(first, Exception):
                raise first
            return [first]
        return [slots[part] for part in range(len(bodies))]

    async def _exchange(self, bodies: list[bytes]) -> list[tuple[httpx.Response, bytes]]:
        """The upstream's answers to `bodies` (all within one deadline), or the first
        failure: `[answer]` when the upstream answers an error."""
        config = self.config
        try:
            with anyio.fail_after(config.upstream_timeout):
                if len(bodies) == 1:
                    return [await self._call(bodies[0])]
                return await self._gather(bodies)
        except TimeoutError:
            _log.warning("the upstream did not answer within %g s", config.upstream_timeout)
            raise _RefusalError(
                504, f"the upstream did not answer within {config.upstream_timeout:g} s"
            ) from None
        except httpx.HTTPError as error:
            _log.warning("the upstream did not answer: %s", type(error).__name__)
            raise _RefusalError(
                502, f"the upstream did not answer: {type(error).__name__}"
            ) from None
        except TooLargeError:
            raise _RefusalError(
                502, f"the upstream's answer is over {config.max_response_bytes:,} bytes"
            ) from None
        except BadEncodingError as error:
            raise _RefusalError(502, f"the upstream's answer cannot be read: {error}") from None

    def _error(self, answer: httpx.Response, data: bytes, client: FormatName) -> tuple[int, bytes]:
        """The client's error body for an upstream error (`pass_upstream_errors` or not)."""
        if self.secret:
            data = data.replace(self.secret, b"[redacted]")
        status = answer.status_code
        text = "".join(
            c if c.isprintable() else " " for c in data[:1200].decode("utf-8", "replace")
        )
        _log.warning("the upstream answered %d: %s", status, excerpt(text, 300))
        if self.config.pass_upstream_errors:
            content_type = answer.headers.get("content-type")
            read = self.config.upstream_format
            error = decode_error(
                data, format=read, status=status, content_type=content_type, headers=answer.headers
            )
            # what the upstream said in its own shape is its own; a body it sent in another
            # format's shape (Infinity's FastAPI 422s are Jina's legacy body) is not passed on
            # as that format's, but written anew for the client
            own = {k: v for k, v in error.extensions.items() if k == read}
            return encode_error(msgspec.structs.replace(error, extensions=own), format=client)
        return encode_error(
            RerankError(status=status, message=_safe_message(status)), format=client
        )

    def _convert(
        self, data: bytes, client: FormatName, request: RerankRequest, headers: httpx.Headers
    ) -> bytes:
        """The upstream's answer in the client's format; a loss is logged, not refused (the
        upstream has done the work, and the client gets what its format can say). The
        upstream's headers go along, for a format that reports usage in them."""
        upstream, limits = self.config.upstream_format, self.response_limits
        usage = self.config.usage
        try:
            return convert_response(
                data,
                read=upstream,
                write=client,
                request=request,
                limits=limits,
                usage=usage,
                headers=headers,
                scores=self.config.scores,
            )
        except LossyConversionError as error:
            _log.warning("the answer loses in %s: %s", client, "; ".join(map(str, error.losses)))
        return convert_response(
            data,
            read=upstream,
            write=client,
            request=request,
            limits=limits,
            on_loss="ignore",
            usage=usage,
            headers=headers,
            scores=self.config.scores,
        )

    def _merge(
        self,
        answers: list[tuple[httpx.Response, bytes]],
        client: FormatName,
        request: RerankRequest,
    ) -> bytes:
        """The parts' answers as one, in the client's format (losses as in `_convert`)."""
        config, upstream = self.config, self.config.upstream_format
        parts = split_request(request, self.batch or len(request.documents))
        decoded: list[RerankResponse] = []
        for number, ((answer, data), part) in enumerate(zip(answers, parts, strict=True)):
            try:
                decoded.append(
                    decode_response(
                        data,
                        format=upstream,
                        request=part,
                        limits=self.response_limits,
                        headers=answer.headers,
                    )
                )
            except DecodeError as error:
                where = f"part {number + 1} of {len(parts)}"
                _log.warning("the upstream's answer to %s is not valid: %s", where, error)
                raise _RefusalError(
                    502,
                    f"the upstream's answer to {where} is not a valid {upstream} response:"
                    f" {error.type} at {error.path}",
                ) from None
        merged = merge_responses(request, decoded)
        usage, scores = config.usage, config.scores
        try:
            return encode_response(
                merged, format=client, request=request, usage=usage, scores=scores
            )
        except LossyConversionError as error:
            _log.warning("the answer loses in %s: %s", client, "; ".join(map(str, error.losses)))
        return encode_response(
            merged, format=client, request=request, usage=usage, scores=scores, on_loss="ignore"
        )
