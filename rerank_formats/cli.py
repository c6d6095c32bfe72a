"""The command line: `rerank-formats` (or `python -m rerank_formats`).

    rerank-formats convert --read cohere_v2 --write jina --kind response \\
        --request request.json --request-format jina response.json
    rerank-formats validate --format cohere_v2 --kind request request.json
    rerank-formats detect payload.json
    rerank-formats schema --format xinference --kind response
    rerank-formats formats

Every command reads a file or stdin (`-`); with `--jsonl`, one payload per line, in constant
memory, with a summary on stderr. Exit codes: 0 success, 1 invalid input or a refused loss,
2 usage errors. Errors print one line, with the JSON path where there is one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, TextIO, get_args

import msgspec

from .canonical import RerankRequest
from .convert import (
    OnLoss,
    UnknownUsage,
    convert_error,
    convert_request,
    convert_response,
    decode_request,
)
from .errors import DecodeError, LossyConversionError, RerankFormatError
from .registry import ERROR_FORMATS, FORMATS, get_error_format, support_matrix
from .schema import json_schema
from .validation import detect, validate

__all__ = ["main"]

KINDS = ("request", "response", "error")


class _UsageError(Exception):
    pass


def _format_name(value: str) -> str:
    try:
        return get_error_format(value).NAME
    except RerankFormatError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _input(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "input", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin (default)"
    )
    command.add_argument(
        "--jsonl", action="store_true", help="one payload per line; a summary goes to stderr"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rerank-formats",
        description=f"Convert, validate and describe rerank API payloads ({', '.join(FORMATS)}).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    convert = commands.add_parser(
        "convert", help="convert a request, response or error body between formats"
    )
    convert.add_argument(
        "--read", required=True, type=_format_name, metavar="FORMAT", help="the format of the input"
    )
    convert.add_argument(
        "--write", required=True, type=_format_name, metavar="FORMAT", help="the format to write"
    )
    convert.add_argument("--kind", required=True, choices=KINDS, help="what the input is")
    convert.add_argument(
        "--request",
        metavar="FILE",
        help="for a response: the request it answers (sorts, applies top_n, checks indices, fills documents)",
    )
    convert.add_argument(
        "--request-format",
        type=_format_name,
        metavar="FORMAT",
        help="the format of --request (default: the --write format, the client's)",
    )
    convert.add_argument(
        "--on-loss",
        choices=get_args(OnLoss),
        default="raise",
        help="when the output format cannot express something: fail (default), fail only when "
        "it can change the ranking and warn otherwise (raise_ranking), warn on stderr, or ignore",
    )
    convert.add_argument(
        "--usage",
        choices=get_args(UnknownUsage),
        default="null",
        help="for a response with --request, written for Jina: an unknown token usage as null "
        "(default), no usage key (omit), or zero tokens (zero)",
    )
    convert.add_argument(
        "--status", type=int, metavar="CODE", help="for an error body: the HTTP status it came with"
    )
    convert.add_argument(
        "--content-type", metavar="TYPE", help="for an error body: the Content-Type it came with"
    )
    convert.add_argument(
        "--pretty", action="store_true", help="indent the JSON output (not with --jsonl)"
    )
    _input(convert)
    convert.set_defaults(handler=_convert)

    check = commands.add_parser(
        "validate", help="report every problem of a payload, as its provider sees it"
    )
    check.add_argument(
        "--format", required=True, type=_format_name, help="the format to validate against"
    )
    check.add_argument("--kind", required=True, choices=KINDS, help="what the input is")
    _input(check)
    check.set_defaults(handler=_validate)

    find = commands.add_parser("detect", help="say which formats and kinds a payload could be")
    find.add_argument("--kind", choices=KINDS, help="only consider this kind")
    _input(find)
    find.set_defaults(handler=_detect)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a format's request, response or error"
    )
    schema.add_argument("--format", required=True, type=_format_name, help="the format")
    schema.add_argument("--kind", required=True, choices=KINDS, help="request, response or error")
    schema.set_defaults(handler=_schema)

    matrix = commands.add_parser("formats", help="print which format expresses which feature")
    matrix.set_defaults(handler=_formats)
    return parser


def _open(path: str) -> BinaryIO:
    return sys.stdin.buffer if path == "-" else open(path, "rb")


def _payloads(args: argparse.Namespace) -> Iterator[tuple[str, bytes]]:
    """(where, payload) for the input: the whole file, or each non-blank line of it."""
    file = _open(args.input)
    try:
        if not args.jsonl:
            yield "", file.read()
            return
        for number, line in enumerate(file, 1):
            if line.strip():
                yield f"line {number}: ", line
    finally:
        if file is not sys.stdin.buffer:
            file.close()


def _formats_of(args: argparse.Namespace, *names: str) -> None:
    if args.kind != "error":
        for name in names:
            if name not in FORMATS:
                raise _UsageError(f"{name} has error bodies only (--kind error)")


def _convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _formats_of(args, args.read, args.write)
    if args.request and args.kind != "response":
        raise _UsageError("--request only applies to --kind response")
    if args.kind != "error" and (args.status is not None or args.content_type):
        raise _UsageError("--status and --content-type only apply to --kind error")
    request = _request(args) if args.request else None
    failures: Counter[str] = Counter()
    converted = 0
    for where, payload in _payloads(args):
        try:
            body = _convert_one(args, payload, request, err)
        except RerankFormatError as exc:
            failures[_slug(exc)] += 1
            print(f"rerank-formats: {where}{exc}", file=err)
            continue
        converted += 1
        if args.pretty and not args.jsonl:
            body = msgspec.json.format(body, indent=2)
        out.write(body.decode() + "\n")
    if args.jsonl:
        _summary(
            err, f"{converted + sum(failures.values())} payloads: {converted} converted", failures
        )
    return 1 if failures else 0


def _convert_one(
    args: argparse.Namespace, payload: bytes, request: RerankRequest | None, err: TextIO
) -> bytes:
    on_loss: OnLoss = args.on_loss
    if args.kind == "request":
        return _warned(
            lambda: convert_request(payload, read=args.read, write=args.write, on_loss=on_loss), err
        )
    if args.kind == "response":
        return _warned(
            lambda: convert_response(
                payload,
                read=args.read,
                write=args.write,
                request=request,
                on_loss=on_loss,
                usage=args.usage,
            ),
            err,
        )
    status, body = convert_error(
        payload,
        read=args.read,
        write=args.write,
        status=args.status,
        content_type=args.content_type,
    )
    print(f"rerank-formats: status {status}", file=err)
    return body


def _warned(convert: Callable[[], bytes], err: TextIO) -> bytes:
    import warnings

    from .errors import LossWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossWarning)
        body = convert()
    for warning in caught:
        print(f"rerank-formats: warning: {warning.message}", file=err)
    return body


def _request(args: argparse.Namespace) -> RerankRequest:
    if args.request == "-" and args.input == "-":
        raise _UsageError("--request and the input cannot both be stdin")
    with _open(args.request) as file:
        return decode_request(file.read(), format=args.request_format or args.write)


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _formats_of(args, args.format)
    counts: Counter[str] = Counter()
    payloads = invalid = 0
    for where, payload in _payloads(args):
        payloads += 1
        problems = validate(payload, format=args.format, kind=args.kind)
        invalid += any(p.severity == "error" for p in problems)
        for problem in problems:
            counts[problem.type] += 1
            tag = "" if problem.severity == "error" else " [warning]"
            out.write(f"{where}{problem}{tag}\n")
    if args.jsonl:
        _summary(err, f"{payloads} payloads: {payloads - invalid} valid, {invalid} invalid", counts)
    return 1 if invalid else 0


def _detect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    best: Counter[str] = Counter()
    payloads = 0
    for where, payload in _payloads(args):
        payloads += 1
        matches = detect(payload, kind=args.kind)
        if not matches:
            best["none"] += 1
            out.write(f"{where}no format: the payload is valid as none of them\n")
            continue
        best[f"{matches[0].format} {matches[0].kind}"] += 1
        for match in matches if not args.jsonl else matches[:1]:
            out.write(f"{where}{match.format} {match.kind}: {match.reason}\n")
    if args.jsonl:
        _summary(err, f"{payloads} payloads, by best match", best)
    return 1 if best["none"] else 0


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    schema = json_schema(format=args.format, kind=args.kind)
    out.write(msgspec.json.format(msgspec.json.encode(schema), indent=2).decode() + "\n")
    return 0


def _formats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rows = support_matrix()
    width = max(len(description) for description, _ in rows)
    columns = [len(name) for name in FORMATS]
    out.write(" ".join([f"{'feature':<{width}}", *FORMATS]) + "\n")
    for description, cells in rows:
        marks = [
            f"{'yes' if cells[name] else '-':<{size}}"
            for name, size in zip(FORMATS, columns, strict=True)
        ]
        out.write(" ".join([f"{description:<{width}}", *marks]).rstrip() + "\n")
    out.write(f"\nerror bodies: {', '.join(ERROR_FORMATS)}\n")
    return 0


def _slug(error: RerankFormatError) -> str:
    if isinstance(error, DecodeError):
        return error.type
    return "loss" if isinstance(error, LossyConversionError) else type(error).__name__


def _summary(err: TextIO, headline: str, counts: Counter[str]) -> None:
    detail = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
    print(f"rerank-formats: {headline}" + (f" ({detail})" if detail else ""), file=err)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
        return handler(args, sys.stdout, sys.stderr)
    except _UsageError as exc:
        parser.error(str(exc))
    except RerankFormatError as exc:
        print(f"rerank-formats: {exc}", file=sys.stderr)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"rerank-formats: {exc.filename}: {exc.strerror}", file=sys.stderr)
    return 1
