"""The proxy: an ASGI app that serves every client format and forwards to one upstream.

Each client format is served at its native path under its own prefix, so an SDK's base URL
is `http://host:port/<prefix>`; the upstream is called at its own native path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import rerank_formats as rf

CLIENT_PATHS = {
    "jina": "/jina/v1/rerank",
    "cohere_v1": "/cohere/v1/rerank",
    "cohere_v2": "/cohere/v2/rerank",
    "xinference": "/xinference/v1/rerank",
}
"""Where each client format is served: its native path under a prefix of its own."""

UPSTREAM_PATHS = {
    "jina": "/v1/rerank",
    "cohere_v1": "/v1/rerank",
    "cohere_v2": "/v2/rerank",
    "xinference": "/v1/rerank",
}
"""Where each upstream format is called, below the upstream's base URL."""

JSON = "application/json"


def create_app(
    upstream_url: str,
    upstream_format: str,
    *,
    upstream_api_key: str | None = None,
    timeout: float = 60.0,
    transport: httpx.AsyncBaseTransport | None = None,
    usage: rf.UnknownUsage = "null",
) -> Starlette:
    """The proxy app, forwarding to `upstream_url` (a base URL) in `upstream_format`.

    `upstream_api_key` is sent as a bearer token; the clients' own credentials are not
    forwarded. `transport` replaces the network (an `httpx.MockTransport` in tests).
    `usage` is what a Jina client reads when the upstream reports no token usage (see
    `rf.UnknownUsage`): `"omit"` for litellm's `jina_ai` provider, which fails on a null.
    """
    upstream = upstream_format.strip().lower().replace("-", "_")
    if upstream not in UPSTREAM_PATHS:
        raise ValueError(f"upstream_format must be one of {', '.join(UPSTREAM_PATHS)}")
    url = upstream_url.rstrip("/") + UPSTREAM_PATHS[upstream]
    headers = {"content-type": JSON}
    if upstream_api_key:
        headers["authorization"] = f"Bearer {upstream_api_key}"

    def endpoint(client: str) -> Route:
        async def rerank(request: Request) -> Response:
            try:
                canonical = rf.decode_request(await request.body(), format=client)
                body = rf.encode_request(canonical, format=upstream, on_loss="raise_ranking")
            except rf.DecodeError as error:
                return refuse(client, rf.RerankError(status=400, message=str(error)))
            except rf.LossyConversionError as error:
                details = tuple(rf.FieldError(field=x.path, message=x.reason) for x in error.losses)
                message = f"the upstream ({upstream}) cannot take this request as it is"
                return refuse(client, rf.RerankError(status=400, message=message, details=details))
            http: httpx.AsyncClient = request.state.http
            try:
                answer = await http.post(url, content=body, headers=headers)
            except httpx.HTTPError as error:
                message = f"the upstream did not answer: {type(error).__name__}"
                return refuse(client, rf.RerankError(status=502, message=message))
            if not answer.is_success:
                status, error_body = rf.convert_error(
                    answer.content,
                    read=upstream,
                    write=client,
                    status=answer.status_code,
                    content_type=answer.headers.get("content-type"),
                )
                return Response(error_body, status, media_type=JSON)
            try:
                converted = rf.convert_response(
                    answer.content,
                    read=upstream,
                    write=client,
                    request=canonical,
                    on_loss="warn",
                    usage=usage,
                )
            except rf.RerankFormatError as error:
                message = f"the upstream's answer is not valid: {error}"
                return refuse(client, rf.RerankError(status=502, message=message))
            return Response(converted, media_type=JSON)

        return Route(CLIENT_PATHS[client], rerank, methods=["POST"])

    async def describe_model(request: Request) -> Response:
        # xinference_client's RESTfulClient.get_model() fetches this description first and
        # dispatches on `model_type` (xinference_client/client/restful/restful_client.py).
        uid = request.path_params["model_uid"]
        return JSONResponse({"model_type": "rerank", "model_name": uid})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as http:
            yield {"http": http}  # the lifespan state: `request.state.http` in handlers

    routes = [endpoint(client) for client in CLIENT_PATHS]
    routes.append(Route("/xinference/v1/models/{model_uid:path}", describe_model, methods=["GET"]))
    return Starlette(routes=routes, lifespan=lifespan)


def refuse(client: str, error: rf.RerankError) -> Response:
    """`error` as the client's format answers it."""
    status, body = rf.encode_error(error, format=client)
    return Response(body, status, media_type=JSON)
