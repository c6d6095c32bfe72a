"""`python -m examples.proxy --upstream URL --upstream-format F --port N` runs the proxy."""

from __future__ import annotations

import argparse
import os

import uvicorn

import rerank_formats as rf

from .app import create_app


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve the proxy with uvicorn until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.proxy", description="Serve the reference rerank proxy."
    )
    parser.add_argument("--upstream", required=True, help="the upstream's base URL")
    parser.add_argument("--upstream-format", required=True, choices=rf.FORMATS)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    app = create_app(
        args.upstream, args.upstream_format, upstream_api_key=os.environ.get("UPSTREAM_API_KEY")
    )
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
