"""The proxy app: every client format in, one upstream format out."""

from __future__ import annotations

import http
import itertools
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing, asynccontextmanager

import anyio
import httpx
import msgspec
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .. import __version__
from ..canonical import FieldError, RerankError, RerankRequest
from ..convert import convert_error, convert_response, decode_request, encode_error, encode_request
from ..errors import DecodeError, LossyConversionError, RerankFormatError, excerpt
from ..registry import FORMATS, FormatName, get_format
from ._bounded import BadEncodingError, TooLargeError, forwarded_headers, read_capped, read_decoded
from ._config import ProxyConfig

NATIVE_PATHS: dict[FormatName, str] = {name: get_format(name).ENDPOINT.path for name in FORMATS}
"""Each format's rerank path below its server's base URL (its module's `ENDPOINT`): where the
upstream is called, and where the `client_format` is served at the root."""

PREFIXES: dict[FormatName, str] = {
    name: "/" + re.sub(r"[^a-z0-9]+", "-", get_format(name).PROVIDER.lower()).strip("-")
    for name in FORMATS
}
"""The prefix under which each client format is served (`/cohere/v2/rerank`), so that an
SDK's base URL is `http://host:port/<prefix>`: its provider's name, in lower case."""

CLIENT_PATHS: dict[FormatName, str] = {
    name: PREFIXES[name] + NATIVE_PATHS[name] for name in NATIVE_PATHS
}
"""Where each client format is served, always."""

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

    Every client format is served under its prefix (`CLIENT_PATHS`); `config.client_format`
    is also served at the root. The app's lifespan opens and closes the connection pools to
    the upstream (every ASGI server runs it; mounted in another app without it, the pools
    open on the first request). `app.state.config` is `config`.

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
    routes: list[BaseRoute] = [
        Route(path, proxy.endpoint(name), methods=[get_format(name).ENDPOINT.method])
        for name, path in CLIENT_PATHS.items()
    ]
    routes += [
        Route(PREFIXES[n] + p, _describe_model, methods=["GET"]) for n, p in _MODEL_PATHS.items()
    ]
    root = config.client_format
    if root is not None:
        method = get_format(root).ENDPOINT.method
        routes.append(Route(NATIVE_PATHS[root], proxy.endpoint(root), methods=[method]))
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
        self.url = httpx.URL(config.upstream_url.rstrip("/") + NATIVE_PATHS[config.upstream_format])
        self.method = get_format(config.upstream_format).ENDPOINT.method
        self.headers = httpx.Headers(
            {
                "content-type": JSON,
                "accept": JSON,
                "accept-encoding": "gzip, deflate",
                "user-agent": f"rerank-formats/{__version__}",
            }
        )
        if config.upstream_api_key:
            self.headers["authorization"] = f"Bearer {config.upstream_api_key}"
        timeout = httpx.Timeout(config.upstream_timeout, connect=config.connect_timeout)
        self.extensions = {"timeout": timeout.as_dict()}
        self.secret = (config.upstream_api_key or "").encode()
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
        if not _is_json(request.headers.get("content-type")):
            raise _RefusalError(415, f"the body must be JSON (Content-Type: {JSON})", exact=True)
        canonical, body = self._translate(await self._read_body(request), client)
        answer, data = await self._exchange(body)
        headers = forwarded_headers(answer.headers, config.forward_headers)
        if not answer.is_success:
            status, error_body = self._error(answer, data, client)
            return Response(error_body, status, headers=headers, media_type=JSON)
        try:
            converted = self._convert(data, client, canonical, answer.headers)
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

    def _translate(self, body: bytes, client: FormatName) -> tuple[RerankRequest, bytes]:
        upstream = self.config.upstream_format
        try:
            canonical = decode_request(body, format=client, limits=self.config.limits)
            return canonical, encode_request(
                canonical, format=upstream, on_loss=self.config.on_loss
            )
        except DecodeError as error:
            raise _RefusalError(400, str(error)) from None
        except LossyConversionError as error:
            details = tuple(FieldError(field=x.path, message=x.reason) for x in error.losses)
            message = f"the upstream ({upstream}) cannot take this request as it is"
            raise _RefusalError(400, message, details=details) from None

    async def _exchange(self, body: bytes) -> tuple[httpx.Response, bytes]:
        """The upstream's answer and its body, read within the deadline and the limits."""
        config = self.config
        pools = self.pools or self._open()
        pool = pools[next(self.turn) % len(pools)]
        try:
            with anyio.fail_after(config.upstream_timeout):
                request = httpx.Request(
                    self.method,
                    self.url,
                    content=body,
                    headers=self.headers,
                    extensions=self.extensions,
                )
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
            return convert_error(
                data,
                read=read,
                write=client,
                status=status,
                content_type=content_type,
                headers=answer.headers,
            )
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
        )
