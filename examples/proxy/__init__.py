"""A reference rerank proxy: every client format in, one upstream format out (see docs/proxy.md).

>>> from examples.proxy import create_app
>>> app = create_app("https://api.cohere.com", "cohere_v2")
"""

from .app import CLIENT_PATHS, UPSTREAM_PATHS, create_app

__all__ = ["CLIENT_PATHS", "UPSTREAM_PATHS", "create_app"]
