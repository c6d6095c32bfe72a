"""Error bodies: read any provider's error response, write it as another's.

An error body is read in its format's shape first, then in every other known shape (a
gateway may pass another provider's error through); anything else becomes an error that
keeps the status and says in one line what was received. Writing maps the status to one the
target's server answers (`map_status`).
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
from msgspec import UNSET

from .canonical import RerankError
from .errors import DecodeError, EncodeError, excerpt
from .formats._base import Payload, unknown_fields, with_fields
from .formats._errors import status_class
from .limits import DEFAULT_LIMITS, Limits, leaf_problem, scan, too_deep
from .registry import ERROR_FORMATS, FORMATS, ErrorFormat, ErrorFormatName, get_error_format

__all__ = ["convert_error", "decode_error", "encode_error", "map_status"]

_ENCODER = msgspec.json.Encoder()

_SNIPPET = 80


_FALLBACKS = sorted(ERROR_FORMATS, key=lambda name: name in FORMATS)
"""The order other error shapes are tried in: the error-only envelopes first (a gateway's
`{"error": {...}}` is `openai`'s, although Infinity, Together and vLLM wrap their errors
alike), then every format's, as registered."""


def decode_error(
    data: Payload | None,
    *,
    format: ErrorFormatName,
    status: int | None = None,
    content_type: str | None = None,
    limits: Limits | None = None,
    headers: Mapping[str, str] | None = None,
) -> RerankError:
    """Read an error response in `format` into a canonical `RerankError`. Never raises for
    the body.

    The body is read in `format`'s shape first, then in every other known error shape (a
    gateway may pass another provider's error through). Anything else (an HTML page, an
    empty body, invalid JSON, JSON in no known shape) becomes an error that keeps the status
    and says in one line what was received, with a short excerpt.

    Args:
        data: the response body: bytes, str, an already-parsed object, or None.
        format: the format of the server that answered (`"jina"`, ..., or `"openai"` for a
            gateway's `{"error": {...}}` envelope).
        status: the HTTP status, when known; otherwise taken from the body when it says
            (Jina's `code`, a gateway's numeric `code`), else 500.
        content_type: the response's `Content-Type`, when known.
        limits: what to parse (`DEFAULT_LIMITS` when None): a larger body is not parsed.
        headers: the response's HTTP headers, for a format that names the error in them
            rather than in the body (its optional `error_code_from_headers`: Bedrock's
            `x-amzn-ErrorType`); ignored by the others.

    Raises:
        UnknownFormatError: `format` is not registered.

    Examples:
        >>> import rerank_formats as rf
        >>> error = rf.decode_error(
        ...     b"Internal Server Error: 1 validation error for RerankRequest",
        ...     format="xinference",
        ...     content_type="text/plain",
        ... )
        >>> (error.status, error.message)
        (500, '1 validation error for RerankRequest')
    """
    module = get_error_format(format)
    status = status if type(status) is int and 100 <= status <= 599 else None
    text, parsed = _parse_error_body(data, limits or DEFAULT_LIMITS)
    candidates = [module, *(get_error_format(n) for n in _FALLBACKS if n != module.NAME)]
    if isinstance(parsed, Mapping):
        for candidate in candidates:
            try:
                wire, leftovers = candidate.ERROR.convert(parsed)
            except DecodeError:
                continue
            read = candidate.error_to_canonical(wire, leftovers, status)
            return _with_header_code(module, read, headers) if headers else read
    if text and parsed is not _TOO_LARGE:
        for candidate in candidates:
            error = candidate.error_from_text(text, status)
            if error is not None:
                return error
    return RerankError(
        status=500 if status is None else status,
        message=_describe(text, parsed, content_type, module.NAME),
    )


def _with_header_code(
    module: ErrorFormat, error: RerankError, headers: Mapping[str, str]
) -> RerankError:
    """`error` with the code its format names in the response `headers` (names in any
    case), when the body gave none and the format reads one (`error_code_from_headers`)."""
    read = getattr(module, "error_code_from_headers", None)
    if read is None or error.code is not UNSET:
        return error
    code = read({str(k).lower(): str(v) for k, v in headers.items()})
    return error if code is None else msgspec.structs.replace(error, code=code)


def encode_error(error: RerankError, *, format: ErrorFormatName) -> tuple[int, bytes]:
    """Write a canonical error as `format`'s server would send it.

    The status is kept when `format` declares it; otherwise it is mapped (an exhausted
    balance, 402, is 403 for Jina and Cohere; a 422 is 500 for Xinference, which answers
    validation failures so), and any other undeclared status becomes 400 for a client error
    or 500. Field-level details are folded into the message for formats without them.

    Returns:
        The HTTP status and the JSON body.

    Raises:
        UnknownFormatError: `format` is not registered.
        EncodeError: `error` is not a `RerankError`.
    """
    module = get_error_format(format)
    if not isinstance(error, RerankError):
        raise EncodeError(f"expected a RerankError, got {type(error).__name__}", type="wrong_type")
    try:
        body = _ENCODER.encode(module.error_from_canonical(error))
        own = error.extensions.get(module.NAME) if error.extensions else None
        body = with_fields(body, unknown_fields(own, module.ERROR.fields))
    except (TypeError, ValueError, AttributeError, msgspec.MsgspecError) as exc:
        raise EncodeError(
            f"not a valid canonical error: {excerpt(str(exc), 120)}", type="invalid_value"
        ) from None
    return map_status(error.status, module), body


def convert_error(
    data: Payload | None,
    *,
    read: ErrorFormatName,
    write: ErrorFormatName,
    status: int | None = None,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes]:
    """Translate an error response from format `read` to format `write`; never raises for
    the body (see `decode_error`, whose `headers` this passes on, and `encode_error`).

    Examples:
        >>> import rerank_formats as rf
        >>> rf.convert_error(
        ...     b'{"message": "invalid api token"}',
        ...     read="cohere_v2",
        ...     write="jina",
        ...     status=401,
        ... )
        (401, b'{"detail":"invalid api token"}')
    """
    target = get_error_format(write)
    error = decode_error(
        data, format=read, status=status, content_type=content_type, headers=headers
    )
    return encode_error(error, format=target.NAME)


def map_status(status: int, module: ErrorFormat) -> int:
    """The status `module`'s server would answer for `status` (see `encode_error`)."""
    if status in module.STATUSES:
        return status
    return module.STATUS_MAP.get(status) or status_class(status)


def _parse_error_body(data: object, limits: Limits) -> tuple[str, object]:
    if isinstance(data, Mapping):
        return "", _writable(data, limits)
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    else:
        return "", None
    if len(raw) > limits.max_bytes:
        return raw[: _SNIPPET + 1].decode("utf-8", "replace"), _TOO_LARGE
    text = raw.decode("utf-8", "replace")
    try:
        return text, msgspec.json.decode(raw)
    except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
        return text, _NOT_JSON


_NOT_JSON = object()
_TOO_LARGE = object()


def _writable(data: Mapping[str, object], limits: Limits) -> object:
    """A caller's parsed error body with what JSON cannot hold replaced (a lone surrogate by
    `?`, NaN, an infinity or an over-long integer by null), so that it can be written back:
    an error body is never refused for its content. Too deep a body is left as it is (no
    error shape takes it)."""
    if too_deep(data, limits.max_depth) is not None or scan(data, limits.max_depth) is None:
        return data
    return _replaced(data)


def _replaced(value: object) -> object:
    if isinstance(value, Mapping):
        return {_replaced(k): _replaced(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_replaced(v) for v in value]
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and leaf_problem(value):
        return None
    return value


def _describe(text: str, parsed: object, content_type: str | None, format: str) -> str:
    snippet = excerpt(" ".join(text.split()), _SNIPPET)
    media = (content_type or "").split(";")[0].strip().lower()
    if not text.strip():
        return f"unrecognised {format} error body: empty"
    if parsed is _TOO_LARGE:
        what = "too large to read"
    elif "html" in media or text.lstrip().startswith("<"):
        what = "an HTML page"
    elif parsed is _NOT_JSON:
        what = "not JSON"
    else:
        what = "JSON in no known error shape"
    return f"unrecognised {format} error body ({what}): {snippet}"
