"""The command line: `rerank-formats` (or `python -m rerank_formats`).

    rerank-formats convert --read cohere_v2 --write jina --kind response \\
        --request request.json --request-format jina response.json

Exit codes: 0 success, 1 invalid input or a refused loss, 2 usage errors. Errors print one
line, with the JSON path where there is one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import BinaryIO

import msgspec

from .convert import OnLoss, convert_request, convert_response, decode_request
from .errors import RerankFormatError
from .registry import FORMATS, get_format

__all__ = ["main"]


def _format_name(value: str) -> str:
    try:
        return get_format(value).NAME
    except RerankFormatError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rerank-formats",
        description="Convert rerank API payloads between formats: " + ", ".join(FORMATS) + ".",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    convert = commands.add_parser(
        "convert",
        help="convert a request or response body from one format to another",
        description="Convert a request or response body from one format to another.",
    )
    convert.add_argument("--read", required=True, type=_format_name, help="the format of the input")
    convert.add_argument("--write", required=True, type=_format_name, help="the format to write")
    convert.add_argument(
        "--kind", required=True, choices=("request", "response"), help="what the input is"
    )
    convert.add_argument(
        "--request",
        metavar="FILE",
        help="for a response: the request it answers (sorts, applies top_n, fills documents)",
    )
    convert.add_argument(
        "--request-format",
        type=_format_name,
        metavar="FORMAT",
        help="the format of --request (default: the --write format, the client's)",
    )
    convert.add_argument(
        "--on-loss",
        choices=("raise", "warn", "ignore"),
        default="raise",
        help="when the output format cannot express something: fail (default), warn, or ignore",
    )
    convert.add_argument("--pretty", action="store_true", help="indent the JSON output")
    convert.add_argument(
        "input", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin"
    )
    convert.set_defaults(handler=_convert)
    return parser


def _read(path: str, stdin: BinaryIO) -> bytes:
    if path == "-":
        return stdin.read()
    with open(path, "rb") as file:
        return file.read()


def _convert(args: argparse.Namespace) -> bytes:
    data = _read(args.input, sys.stdin.buffer)
    on_loss: OnLoss = args.on_loss
    if args.kind == "request":
        if args.request:
            raise _UsageError("--request only applies to --kind response")
        return convert_request(data, read=args.read, write=args.write, on_loss=on_loss)
    request = None
    if args.request:
        request_format = args.request_format or args.write
        request = decode_request(_read(args.request, sys.stdin.buffer), format=request_format)
    return convert_response(
        data, read=args.read, write=args.write, request=request, on_loss=on_loss
    )


class _UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        body = args.handler(args)
    except _UsageError as exc:
        parser.error(str(exc))
    except RerankFormatError as exc:
        print(f"rerank-formats: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"rerank-formats: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.pretty:
        body = msgspec.json.format(body, indent=2)
    sys.stdout.buffer.write(body + b"\n")
    return 0
