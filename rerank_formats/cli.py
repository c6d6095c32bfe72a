"""The command line: `rerank-formats` (or `python -m rerank_formats`).

    rerank-formats convert --read cohere_v2 --write jina --kind response \\
        --request request.json --request-format jina response.json
    rerank-formats validate --format cohere_v2 --kind request request.json
    rerank-formats detect payload.json
    rerank-formats schema --format xinference --kind response
    rerank-formats formats

Every command reads a file or stdin (`-`); with `--jsonl`, one payload per line, in constant
memory, with a summary on stderr. Exit codes: 0 success, 1 invalid input or a refused loss,
2 usage errors, 130 interrupted (Ctrl-C). Errors print one line, with the JSON path where
there is one.

Each subcommand is one `_add_<name>` function that adds its parser (with an example in its
help) and sets its handler; `_COMMANDS` lists them in the order `--help` shows them.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, TextIO, get_args

import msgspec

from . import __version__
from .canonical import RerankRequest
from .convert import (
    OnLoss,
    UnknownUsage,
    convert_error,
    convert_request,
    convert_response,
    decode_request,
)
from .errors import DecodeError, LossWarning, LossyConversionError, RerankFormatError, excerpt
from .registry import ERROR_FORMATS, FORMATS, get_error_format, get_format, support_matrix
from .scale import SCORES
from .schema import json_schema
from .validation import Problem, detect, validate

__all__ = ["main"]

KINDS = ("request", "response", "error")
PROG = "rerank-formats"
ERROR_ONLY = tuple(name for name in ERROR_FORMATS if name not in FORMATS)
"""The formats that only have error bodies (`openai`)."""

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class _UsageError(Exception):
    """An option that does not apply, found after parsing: exit 2 with the command's usage."""


class _InputError(Exception):
    """Input that cannot be read as a payload at all (an empty stdin or file): exit 1."""


def _format_name(value: str) -> str:
    try:
        return get_error_format(value).NAME
    except RerankFormatError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _names() -> str:
    """The format names for option help: `jina, ..., xinference (openai: --kind error only)`."""
    error_only = f" ({', '.join(ERROR_ONLY)}: --kind error only)" if ERROR_ONLY else ""
    return ", ".join(FORMATS) + error_only


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    examples: Sequence[str],
    handler: Handler,
) -> argparse.ArgumentParser:
    """A subcommand whose help ends with its examples."""
    lines = "\n".join(f"  {PROG} {name} {example}".rstrip() for example in examples)
    command = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example{'s' if len(examples) > 1 else ''}:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(handler=handler, command_parser=command)
    return command


def _format_option(command: argparse.ArgumentParser, flag: str, what: str) -> None:
    command.add_argument(
        flag, required=True, type=_format_name, metavar="FORMAT", help=f"{what}: {_names()}"
    )


def _kind_option(command: argparse.ArgumentParser, what: str, required: bool = True) -> None:
    command.add_argument("--kind", required=required, choices=KINDS, help=what)


def _input(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "input", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin (default)"
    )
    command.add_argument(
        "--jsonl", action="store_true", help="one payload per line; a summary goes to stderr"
    )


def _add_convert(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    convert = _command(
        commands,
        "convert",
        "convert a request, response or error body between formats",
        [
            "--kind request --read jina --write cohere_v2 request.json",
            "--kind response --read cohere_v2 --write jina \\\n"
            "      --request request.json --request-format jina response.json",
        ],
        _convert,
    )
    _format_option(convert, "--read", "the format of the input")
    _format_option(convert, "--write", "the format to write")
    _kind_option(convert, "what the input is")
    convert.add_argument(
        "--request",
        metavar="FILE",
        help="for a response: the request it answers (sorts, applies top_n, checks indices,"
        " fills documents, model and usage); without it, a warning says what is missing",
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
        "--scores",
        choices=SCORES,
        default="keep",
        help="for a response: logit scores written where the output format promises"
        " probabilities (Cohere) are kept and fail as a loss (default), or mapped by a sigmoid",
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


def _add_validate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = _command(
        commands,
        "validate",
        "report every problem of a payload, as its provider sees it",
        [
            "--format cohere_v2 --kind request request.json",
            "--format xinference --kind request --jsonl requests.log",
        ],
        _validate,
    )
    _format_option(check, "--format", "the format to validate against")
    _kind_option(check, "what the input is")
    _input(check)


def _add_detect(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    find = _command(
        commands,
        "detect",
        "say which formats and kinds a payload could be",
        ["payload.json", "--kind response --jsonl responses.log"],
        _detect,
    )
    _kind_option(find, "only consider this kind", required=False)
    _input(find)


def _add_schema(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schema = _command(
        commands,
        "schema",
        "print the JSON Schema of a format's request, response or error",
        ["--format cohere_v2 --kind response"],
        _schema,
    )
    _format_option(schema, "--format", "the format")
    _kind_option(schema, "request, response or error")


def _add_formats(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _command(commands, "formats", "print which format expresses which feature", [""], _formats)


def _parser() -> argparse.ArgumentParser:
    error_only = f"; error bodies also {', '.join(ERROR_ONLY)}" if ERROR_ONLY else ""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            f"Convert, validate and describe rerank API payloads ({', '.join(FORMATS)}"
            f"{error_only})."
        ),
        epilog=f"Run '{PROG} COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(commands)
    return parser


def _open(path: str, err: TextIO) -> BinaryIO:
    if path != "-":
        return open(path, "rb")
    if sys.stdin.isatty():  # a person at a terminal: say what we wait for
        print(
            f"{PROG}: reading a payload from stdin (end it with Ctrl-D), or give a FILE",
            file=err,
            flush=True,
        )
    return sys.stdin.buffer


def _payloads(args: argparse.Namespace, err: TextIO) -> Iterator[tuple[str, bytes]]:
    """(where, payload) for the input: the whole file, or each non-blank line of it."""
    file = _open(args.input, err)
    try:
        if not args.jsonl:
            payload = file.read()
            if not payload.strip():
                name = "stdin" if args.input == "-" else args.input
                raise _InputError(f"{name} is empty: there is no payload to read")
            yield "", payload
            return
        for number, line in enumerate(file, 1):
            if line.strip():
                yield f"line {number}: ", line
    finally:
        if file is not sys.stdin.buffer:
            file.close()


def _jsonl_hint(args: argparse.Namespace, payload: bytes, err: TextIO) -> None:
    """After a failure: if the input looks like one JSON payload per line, say `--jsonl`."""
    lines = [line for line in payload.splitlines() if line.strip()]
    if args.jsonl or len(lines) < 2:
        return
    try:
        msgspec.json.decode(payload)
    except msgspec.DecodeError:
        try:
            msgspec.json.decode(lines[0])
        except msgspec.DecodeError:
            return
        print(f"{PROG}: hint: the input has one JSON value per line; add --jsonl", file=err)


def _formats_of(args: argparse.Namespace, *names: str) -> None:
    if args.kind != "error":
        for name in names:
            if name not in FORMATS:
                raise _UsageError(f"{name} has error bodies only (--kind error)")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _formats_of(args, args.read, args.write)
    if args.request and args.kind != "response":
        raise _UsageError("--request only applies to --kind response")
    if args.kind != "error" and (args.status is not None or args.content_type):
        raise _UsageError("--status and --content-type only apply to --kind error")
    if args.kind != "response" and args.scores != "keep":
        raise _UsageError("--scores only applies to --kind response")
    request = _request(args, err) if args.request else None
    if args.kind == "response" and request is None:
        print(
            f"{PROG}: warning: without --request, results are not sorted, cut to top_n,"
            " checked or filled in from it",
            file=err,
        )
    failures: Counter[str] = Counter()
    converted = 0
    for where, payload in _payloads(args, err):
        try:
            body = _convert_one(args, payload, request, where, err)
        except RerankFormatError as exc:
            failures[_slug(exc)] += 1
            print(f"{PROG}: {where}{exc}", file=err)
            _jsonl_hint(args, payload, err)
            continue
        converted += 1
        if args.pretty and not args.jsonl:
            body = msgspec.json.format(body, indent=2)
        out.write(body.decode() + "\n")
    if args.jsonl:
        total = converted + sum(failures.values())
        _summary(err, f"{_plural(total, 'payload')}: {converted} converted", failures)
    return 1 if failures else 0


def _convert_one(
    args: argparse.Namespace,
    payload: bytes,
    request: RerankRequest | None,
    where: str,
    err: TextIO,
) -> bytes:
    on_loss: OnLoss = args.on_loss
    if args.kind == "request":
        return _warned(
            lambda: convert_request(payload, read=args.read, write=args.write, on_loss=on_loss),
            err,
            on_loss,
        )
    if args.kind == "response":
        body = _warned(
            lambda: convert_response(
                payload,
                read=args.read,
                write=args.write,
                request=request,
                on_loss=on_loss,
                usage=args.usage,
                scores=args.scores,
            ),
            err,
            on_loss,
        )
        if request is None:  # say what the client's own schema would refuse
            for problem in validate(body, format=args.write, kind="response"):
                if problem.severity == "error":
                    print(
                        f"{PROG}: {where}warning: not a valid {args.write} response: {problem}",
                        file=err,
                    )
        return body
    status, body = convert_error(
        payload,
        read=args.read,
        write=args.write,
        status=args.status,
        content_type=args.content_type,
    )
    print(f"{PROG}: status {status}", file=err)
    return body


def _warned(convert: Callable[[], bytes], err: TextIO, on_loss: OnLoss) -> bytes:
    if on_loss not in ("warn", "raise_ranking"):  # nothing to catch: catching costs as much
        return convert()  # as a conversion
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossWarning)
        body = convert()
    for warning in caught:
        print(f"{PROG}: warning: {warning.message}", file=err)
    return body


def _request(args: argparse.Namespace, err: TextIO) -> RerankRequest:
    if args.request == "-" and args.input == "-":
        raise _UsageError("--request and the input cannot both be stdin")
    with _open(args.request, err) as file:
        return decode_request(file.read(), format=args.request_format or args.write)


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _formats_of(args, args.format)
    errors: Counter[str] = Counter()
    warned: Counter[str] = Counter()
    payloads = invalid = 0
    for where, payload in _payloads(args, err):
        payloads += 1
        problems = validate(payload, format=args.format, kind=args.kind)
        invalid += any(p.severity == "error" for p in problems)
        for problem in problems:
            (errors if problem.severity == "error" else warned)[problem.type] += 1
            tag = "" if problem.severity == "error" else " [warning]"
            out.write(f"{where}{problem}{tag}\n")
        if _is_malformed(problems):
            _jsonl_hint(args, payload, err)
    if args.jsonl:
        headline = f"{_plural(payloads, 'payload')}: {payloads - invalid} valid, {invalid} invalid"
        _summary(err, headline, errors, warned)
    return 1 if invalid else 0


def _is_malformed(problems: Sequence[Problem]) -> bool:
    return any(p.type == "invalid_json" for p in problems)


def _detect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    best: Counter[str] = Counter()
    payloads = 0
    for where, payload in _payloads(args, err):
        payloads += 1
        matches = detect(payload, kind=args.kind)
        if not matches:
            best["none"] += 1
            out.write(f"{where}no format: the payload is valid as none of them\n")
            _jsonl_hint(args, payload, err)
            continue
        best[f"{matches[0].format} {matches[0].kind}"] += 1
        for match in matches if not args.jsonl else matches[:1]:
            out.write(f"{where}{match.format} {match.kind}: {match.reason}\n")
    if args.jsonl:
        _summary(err, f"{_plural(payloads, 'payload')}, by best match", best)
    return 1 if best["none"] else 0


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _formats_of(args, args.format)
    schema = json_schema(format=args.format, kind=args.kind)
    out.write(msgspec.json.format(msgspec.json.encode(schema), indent=2).decode() + "\n")
    return 0


_WIDTH = 80
"""The terminal width `formats` fits: as many format columns per table as fit, then the next."""


def _formats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rows = support_matrix()
    width = max(len(description) for description, _ in rows)
    groups: list[list[str]] = [[]]
    used = width
    for name in FORMATS:
        if groups[-1] and used + 1 + len(name) > _WIDTH:
            groups.append([])
            used = width
        groups[-1].append(name)
        used += 1 + len(name)
    for number, group in enumerate(groups):
        if number:
            out.write("\n")
        out.write(" ".join([f"{'feature':<{width}}", *group]) + "\n")
        for description, cells in rows:
            marks = [f"{'yes' if cells[name] else '-':<{len(name)}}" for name in group]
            out.write(" ".join([f"{description:<{width}}", *marks]).rstrip() + "\n")
    label = "error bodies: "
    listed = textwrap.wrap(
        ", ".join(ERROR_FORMATS),
        width=_WIDTH,
        initial_indent=label,
        subsequent_indent=" " * len(label),
        break_long_words=False,
        break_on_hyphens=False,
    )
    out.write("\n" + "\n".join(listed) + "\n")
    return 0


_CONFIG_FIELDS = (  # the serve options that are ProxyConfig fields; unset ones keep its defaults
    "client_format",
    "on_loss",
    "usage",
    "scores",
    "upstream_max_documents",
    "max_upstream_calls",
    "max_response_bytes",
    "client_body_timeout",
    "upstream_timeout",
    "connect_timeout",
    "max_connections",
)
_LIMIT_FIELDS = ("max_bytes", "max_documents")  # Limits fields


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = _command(
        commands,
        "serve",
        "run the rerank proxy (needs the proxy extra)",
        [
            "--upstream-url http://127.0.0.1:9997 --upstream-format xinference \\\n"
            "      --client-format jina"
        ],
        _serve,
    )
    serve.description = (
        "Serve every client format (under /jina, /cohere, /xinference) and forward to one"
        " upstream. Unset options keep ProxyConfig's defaults (docs/proxy.md)."
    )
    option = serve.add_argument
    option("--upstream-url", required=True, metavar="URL", help="the upstream's base URL")
    option(
        "--upstream-format", required=True, type=_format_name, metavar="FORMAT", help="its format"
    )
    option(
        "--upstream-api-key-env",
        metavar="NAME",
        help="the environment variable holding the upstream's API key"
        " (default: UPSTREAM_API_KEY, if set); the key itself is never an argument",
    )
    option(
        "--client-format",
        type=_format_name,
        metavar="FORMAT",
        help="also serve this client format at the root (/v1/rerank, ...)",
    )
    option(
        "--on-loss",
        choices=get_args(OnLoss),
        help="a request the upstream cannot take as it is: refuse it with 400 (raise), refuse"
        " it only when the ranking would change (raise_ranking, the default), warn or ignore",
    )
    option(
        "--usage",
        choices=get_args(UnknownUsage),
        help="what a Jina client reads when the upstream reports no token usage"
        " (default: null; omit for litellm's Jina client)",
    )
    option(
        "--scores",
        choices=SCORES,
        help="an upstream's logit scores for a client whose format promises probabilities"
        " (Cohere): keep them (the default; the loss is logged) or map them by a sigmoid",
    )
    option(
        "--client-api-key-env",
        metavar="NAME",
        help="the environment variable holding the key clients must present, each in its"
        " format's own auth header (default: none asked)",
    )
    option(
        "--upstream-max-documents",
        type=int,
        metavar="N",
        help="split a request into upstream calls of at most N documents"
        " (default: the upstream format's own limit, 32 for TEI)",
    )
    option("--max-upstream-calls", type=int, metavar="N", help="per client request (default 16)")
    option("--max-bytes", type=int, metavar="BYTES", help="the largest client body (413)")
    option("--max-documents", type=int, metavar="N", help="the most documents in a request")
    option(
        "--max-response-bytes",
        type=int,
        metavar="BYTES",
        help="the largest upstream answer, decompressed",
    )
    option(
        "--client-body-timeout", type=float, metavar="SECONDS", help="to send a whole body (408)"
    )
    option(
        "--upstream-timeout",
        type=float,
        metavar="SECONDS",
        help="for the whole upstream call (504)",
    )
    option("--connect-timeout", type=float, metavar="SECONDS", help="to connect to the upstream")
    option("--max-connections", type=int, metavar="N", help="open to the upstream at most")
    option(
        "--pass-upstream-errors",
        action="store_true",
        help="pass the upstream's error text on (by default, a fixed message per status)",
    )
    option("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    option("--port", type=int, default=8000, help="the port (default: 8000; 0 picks a free one)")
    option("--limit-concurrency", type=int, metavar="N", help="answer 503 beyond N open requests")
    option("--log-level", default="info", help="uvicorn's log level (default: info)")


def _add_probe(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    probe = _command(
        commands,
        "probe",
        "find out which dialect a rerank endpoint really speaks (needs the probe extra)",
        [
            "http://127.0.0.1:8080/rerank",
            "https://api.example.com/v1/rerank --format jina --model m \\\n"
            "      --api-key-env JINA_API_KEY",
        ],
        _probe,
    )
    probe.description = (
        "Send a short, fixed series of requests with tiny documents of the probe's own (at"
        " most 18 with --format, a few more without; said before the first) and report what"
        " the answers show: the formats they fit, sorting, top_n, echoed documents, usage,"
        " scores, errors, the batch limit, every deviation, and the proxy settings to use."
        " Exit codes: 0 no deviation, 1 deviations or no format found."
    )
    option = probe.add_argument
    option("url", metavar="URL", help="the endpoint's full URL")
    option(
        "--format", type=_format_name, metavar="FORMAT", help=f"the format it claims: {_names()}"
    )
    option(
        "--header",
        action="append",
        default=[],
        metavar='"NAME: VALUE"',
        help="a header to send with every request (repeat for more)",
    )
    option("--model", help="the model to name in the requests")
    option(
        "--api-key-env",
        metavar="NAME",
        help="the environment variable holding the API key, sent where the format says"
        " (the key itself is never an argument)",
    )
    option(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="per request (default: 10)"
    )
    option("--json", action="store_true", help="print the report as JSON, with every answer")
    probe.set_defaults(kind=None)


_COMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_convert,
    _add_validate,
    _add_detect,
    _add_schema,
    _add_formats,
    _add_serve,
    _add_probe,
)


def _serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import os

    try:
        import uvicorn

        from .proxy import ProxyConfig, create_app
    except ImportError as exc:
        print(f"rerank-formats: {exc}", file=err)
        return 1
    from .limits import DEFAULT_LIMITS

    variable = args.upstream_api_key_env
    if variable and variable not in os.environ:
        raise _UsageError(f"the environment variable {variable} is not set")
    client_variable = args.client_api_key_env
    if client_variable and client_variable not in os.environ:
        raise _UsageError(f"the environment variable {client_variable} is not set")
    given = {
        name: getattr(args, name) for name in _CONFIG_FIELDS if getattr(args, name) is not None
    }
    limits = {
        name: getattr(args, name) for name in _LIMIT_FIELDS if getattr(args, name) is not None
    }
    signs = get_format(args.upstream_format).ENDPOINT.signing is not None
    # a signing upstream takes AWS credentials; an UPSTREAM_API_KEY left set is not for it
    key = os.environ[variable] if variable else None
    if not variable and not signs:
        key = os.environ.get("UPSTREAM_API_KEY")
    config = ProxyConfig(
        upstream_url=args.upstream_url,
        upstream_format=args.upstream_format,
        upstream_api_key=key,
        **(_aws_settings(args.upstream_format, os.environ) if signs else {}),
        client_api_key=os.environ[client_variable] if client_variable else None,
        pass_upstream_errors=args.pass_upstream_errors,
        limits=msgspec.structs.replace(DEFAULT_LIMITS, **limits),
        **given,
    )
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        limit_concurrency=args.limit_concurrency,
    )
    return 0


def _aws_settings(upstream: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """The AWS credentials and region a signing upstream takes (`ENDPOINT.signing`), from
    the variables the AWS SDKs read: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    `AWS_SESSION_TOKEN` (optional) and `AWS_REGION` (else `AWS_DEFAULT_REGION`)."""
    from .sigv4 import Credentials

    missing = [
        name for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") if not environ.get(name)
    ]
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if not region:
        missing.append("AWS_REGION")
    if missing:
        raise _UsageError(
            f"a {get_format(upstream).NAME} upstream signs its requests with AWS credentials:"
            f" set {', '.join(missing)}"
        )
    credentials = Credentials(
        environ["AWS_ACCESS_KEY_ID"],
        environ["AWS_SECRET_ACCESS_KEY"],
        environ.get("AWS_SESSION_TOKEN") or None,
    )
    return {"upstream_aws_credentials": credentials, "upstream_aws_region": region}


def _probe(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from .probe import max_requests, probe
    except ImportError as exc:
        print(f"{PROG}: {exc}", file=err)
        return 1
    if args.format is not None:
        _formats_of(args, args.format)
    headers = {}
    for header in args.header:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            raise _UsageError(f"--header takes NAME: VALUE, not {excerpt(header)!r}")
        headers[name.strip()] = value.strip()
    api_key = None
    if args.api_key_env is not None:
        import os

        if args.api_key_env not in os.environ:
            raise _UsageError(f"the environment variable {args.api_key_env} is not set")
        api_key = os.environ[args.api_key_env]
    print(
        f"{PROG}: probing {excerpt(args.url, 80)} with at most"
        f" {max_requests(args.format)} requests",
        file=err,
    )
    report = probe(
        args.url,
        format=args.format,
        headers=headers,
        model=args.model,
        api_key=api_key,
        timeout=args.timeout,
    )
    if args.json:
        out.write(report.json().decode())
    else:
        out.write(report.table() + "\n")
    return 0 if report.format is not None and not report.deviations else 1


def _slug(error: RerankFormatError) -> str:
    if isinstance(error, DecodeError):
        return error.type
    return "loss" if isinstance(error, LossyConversionError) else type(error).__name__


def _summary(
    err: TextIO, headline: str, counts: Counter[str], warned: Counter[str] | None = None
) -> None:
    """`headline (a 1, b 2)`, or with warnings: `headline; errors: a 1; warnings: c 1`."""

    def detail(counter: Counter[str]) -> str:
        return ", ".join(f"{kind} {count}" for kind, count in sorted(counter.items()))

    if warned is None:
        print(f"{PROG}: {headline}" + (f" ({detail(counts)})" if counts else ""), file=err)
        return
    parts = [headline]
    parts += [f"errors: {detail(counts)}"] if counts else []
    parts += [f"warnings: {detail(warned)}"] if warned else []
    print(f"{PROG}: " + "; ".join(parts), file=err)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (130 when interrupted with Ctrl-C)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        handler: Handler = args.handler
        return handler(args, sys.stdout, sys.stderr)
    except _UsageError as exc:
        command: argparse.ArgumentParser = args.command_parser
        command.error(str(exc))
    except (RerankFormatError, _InputError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"{PROG}: {exc.filename}: {exc.strerror}", file=sys.stderr)
    return 1
