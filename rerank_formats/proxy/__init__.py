"""The rerank proxy: an ASGI app that serves every client format and forwards to one upstream.

Install the extra (`pip install 'rerank-formats[proxy]'`: Starlette, httpx and uvicorn);
importing `rerank_formats` alone never imports this package. Serve it with
`rerank-formats serve`, or build the app and serve it with any ASGI server:

    >>> from rerank_formats.proxy import ProxyConfig, create_app
    >>> config = ProxyConfig(upstream_url="http://127.0.0.1:9997", upstream_format="xinference")
    >>> app = create_app(config)
    >>> CLIENT_PATHS["cohere_v2"], NATIVE_PATHS["cohere_v2"]
    ('/cohere/v2/rerank', '/v2/rerank')

See docs/proxy.md for what it guarantees and bounds.
"""

try:
    import anyio  # noqa: F401
    import httpx  # noqa: F401
    import starlette  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "rerank_formats.proxy needs the `proxy` extra: pip install 'rerank-formats[proxy]'"
        f" ({error.name} is not installed)"
    ) from error

from ._app import CLIENT_PATHS, CLIENT_ROUTES, NATIVE_PATHS, PREFIXES, client_routes, create_app
from ._config import FORWARDED_BY_DEFAULT, ProxyConfig

__all__ = [
    "CLIENT_PATHS",
    "CLIENT_ROUTES",
    "FORWARDED_BY_DEFAULT",
    "NATIVE_PATHS",
    "PREFIXES",
    "ProxyConfig",
    "client_routes",
    "create_app",
]
