"""Decode, encode and convert rerank requests, responses and error bodies between formats.

    bytes --decode(read)--> wire Struct --to_canonical--> canonical
    canonical --from_canonical--> wire Struct --encode(write)--> bytes

A response is read or written *in the context of* the request it answers when that request
(canonical, as decoded from the client) is given: results are sorted by descending score,
cut to the request's `top_n`, their indices checked against its documents, documents filled
from it (or removed) as it asked, the model taken from it when the response has none, and a
missing usage made an explicit `None` (unknown: Jina's schema requires the key; see
`UnknownUsage` for the other choices).

What a written format cannot express is a `Loss`, of kind `"ranking"` or `"reporting"`; the
`on_loss` policy (`OnLoss`) says what to do about them.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Mapping
from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from .canonical import (
    Document,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    RerankResult,
    TextDocument,
    Usage,
)
from .errors import (
    DecodeError,
    EncodeError,
    LossKind,
    LossWarning,
    LossyConversionError,
    RerankFormatError,
    excerpt,
)
from .formats._base import Payload, Sink, document_types, field_types, is_default, unknown_fields
from .formats._errors import status_class
from .limits import DEFAULT_LIMITS, Limits
from .registry import (
    ERROR_FORMATS,
    ErrorFormat,
    ErrorFormatName,
    Format,
    FormatName,
    get_error_format,
    get_format,
)

__all__ = [
    "OnLoss",
    "Payload",
    "UnknownUsage",
    "convert_error",
    "convert_request",
    "convert_response",
    "decode_error",
    "decode_request",
    "decode_response",
    "encode_error",
    "encode_request",
    "encode_response",
]

OnLoss = Literal["raise", "raise_ranking", "warn", "ignore"]
"""What a conversion does when the written format cannot express everything:

- `"raise"`: raise a `LossyConversionError` listing every `Loss`;
- `"raise_ranking"`: raise a `LossyConversionError` listing the losses that can change the
  ranking (`kind="ranking"`: documents, the query, `top_n`, ...), and only warn about the ones
  that change what the answer reports (`kind="reporting"`: token usage, `return_len`,
  echoed documents, Cohere's `priority`, ...); what the reference proxy uses;
- `"warn"`: one `LossWarning` per loss, and go on;
- `"ignore"`: go on silently.
"""

UnknownUsage = Literal["null", "omit", "zero"]
"""What a response written for a client whose format always reports token usage (Jina's
schema requires `usage`) says when the usage is unknown (a Cohere upstream bills search units,
not tokens):

- `"null"` (the default): `"usage": null`, unknown. jina-haystack 2.0.1 reads it; litellm's
  Jina client (1.110) fails on it (`validate_python` of a dict on None).
- `"omit"`: no `usage` key. litellm reads it; jina-haystack fails with a `KeyError`.
- `"zero"`: `{"total_tokens": 0}`, which both read, but is not a count of anything: choose
  it knowingly, for clients that fail otherwise.

A known usage is always written as it is, and formats whose usage is optional (Cohere,
Xinference) leave an unknown one out whatever this says.
"""

_ENCODER = msgspec.json.Encoder()
_POLICIES = ("raise", "raise_ranking", "warn", "ignore")
_USAGES = ("null", "omit", "zero")
_score = operator.attrgetter("relevance_score")
_index = operator.attrgetter("index")
_NO_DOCUMENT = frozenset({UnsetType, type(None)})


def decode_request(
    data: Payload, *, format: FormatName, limits: Limits | None = None
) -> RerankRequest:
    """Read a rerank request in `format` into the canonical model.

    Args:
        data: the request body: JSON as `bytes` or `str`, or an already-parsed object.
        format: the format to read, such as `"jina"` or `"cohere-v2"`.
        limits: what to accept (`DEFAULT_LIMITS` when None): body size, nesting depth, number
            and length of documents.

    Returns:
        The canonical request; whatever `format` said beyond Jina's fields is in its
            `extensions`.

    Raises:
        UnknownFormatError: `format` is not registered.
        DecodeError: `data` is not a valid request in `format`; the error has the JSON path.

    Examples:
        >>> import rerank_formats as rf
        >>> body = b'{"query": "q", "documents": ["a"]}'
        >>> req = rf.decode_request(body, format="cohere_v1")
        >>> req.return_documents  # Cohere v1's default, made explicit
        False
    """
    module = get_format(format)
    limits = limits or DEFAULT_LIMITS
    wire, leftovers = module.REQUEST.decode(data, limits)
    request = module.request_to_canonical(wire, leftovers)
    _check_documents(request, limits, module.NAME)
    return request


def encode_request(
    request: RerankRequest, *, format: FormatName, on_loss: OnLoss = "raise"
) -> bytes:
    """Write a canonical request as `format` would accept it.

    Only what the provider accepts is written: no `null` where it wants the key absent,
    documents flattened to strings where only strings are accepted, Jina's default
    `return_documents` (true) made explicit where the format's default differs.

    Args:
        request: the canonical request.
        format: the format to write.
        on_loss: what to do when `format` cannot express part of `request`: `"raise"` a
            `LossyConversionError` listing every loss, raise only for losses that can change
            the ranking (`"raise_ranking"`, warning about the rest), `"warn"` (a
            `LossWarning` each), or `"ignore"` (see `OnLoss`).

    Returns:
        The JSON body.

    Raises:
        UnknownFormatError: `format` is not registered.
        LossyConversionError: under `on_loss="raise"`, when something would be lost (under
            `"raise_ranking"`, something that can change the ranking).
        EncodeError: `request` is not a valid canonical request.
    """
    module = get_format(format)
    _check_policy(on_loss)
    if not isinstance(request, RerankRequest):
        raise EncodeError(
            f"expected a RerankRequest, got {type(request).__name__}", type="wrong_type"
        )
    return _write(module, "request", request, on_loss)


def decode_response(
    data: Payload,
    *,
    format: FormatName,
    request: RerankRequest | None = None,
    limits: Limits | None = None,
) -> RerankResponse:
    """Read a rerank response in `format` into the canonical model.

    Args:
        data: the response body: JSON as `bytes` or `str`, or an already-parsed object.
        format: the format to read.
        request: the canonical request this response answers. When given, results are sorted
            by descending score (stable), cut to its `top_n`, every index is checked against
            its documents, documents are filled from it when it wants them (and removed when
            it does not), its `model` fills a missing one, and a missing `usage` becomes
            `None` (unknown, which Jina writes as `"usage": null`).
        limits: what to accept (`DEFAULT_LIMITS` when None).

    Returns:
        The canonical response.

    Raises:
        UnknownFormatError: `format` is not registered.
        DecodeError: `data` is not a valid response in `format`, or an index is out of range
            or repeated for `request`; the error has the JSON path.
    """
    module = get_format(format)
    response = _decode_response(module, data, limits or DEFAULT_LIMITS)
    if request is not None:
        response = _in_context(response, request, fill=True, format=module.NAME)
    return response


def encode_response(
    response: RerankResponse,
    *,
    format: FormatName,
    request: RerankRequest | None = None,
    on_loss: OnLoss = "raise",
    usage: UnknownUsage = "null",
) -> bytes:
    """Write a canonical response as `format`'s server would send it.

    Args:
        response: the canonical response.
        format: the format to write.
        request: the canonical request it answers, applied as in `decode_response`; it also
            tells what the client asked of its own format (Xinference writes `meta.tokens`
            only when the request asked `return_len`).
        on_loss: what to do about losses, as in `encode_request` (see `OnLoss`).
        usage: with `request`, what a format that always reports usage (Jina) writes when
            the usage is unknown: `"null"`, `"omit"` or `"zero"` (see `UnknownUsage`).

    Returns:
        The JSON body.

    Raises:
        UnknownFormatError: `format` is not registered.
        DecodeError: an index is out of range or repeated for `request`.
        LossyConversionError: under `on_loss="raise"`, when something would be lost.
        EncodeError: `response` is not a valid canonical response.
    """
    module = get_format(format)
    _check_policy(on_loss, usage)
    if not isinstance(response, RerankResponse):
        raise EncodeError(
            f"expected a RerankResponse, got {type(response).__name__}", type="wrong_type"
        )
    if request is not None:
        response = _in_context(
            response, request, fill=_echoes(module), format=None, usage=_usage_for(module, usage)
        )
    return _write(module, "response", response, on_loss, request)


def convert_request(
    data: Payload,
    *,
    read: FormatName,
    write: FormatName,
    on_loss: OnLoss = "raise",
    limits: Limits | None = None,
) -> bytes:
    """Translate a request body from format `read` to format `write`.

    Examples:
        >>> import rerank_formats as rf
        >>> rf.convert_request(
        ...     b'{"model": "jina-reranker-v3", "query": "q",'
        ...     b' "documents": [{"text": "a"}], "top_n": 1}',
        ...     read="jina",
        ...     write="cohere_v2",
        ... )
        b'{"model":"jina-reranker-v3","query":"q","documents":["a"],"top_n":1}'
    """
    target = get_format(write)
    _check_policy(on_loss)
    request = decode_request(data, format=read, limits=limits)
    return _write(target, "request", request, on_loss)


def convert_response(
    data: Payload,
    *,
    read: FormatName,
    write: FormatName,
    request: RerankRequest | Payload | None = None,
    request_format: FormatName | None = None,
    on_loss: OnLoss = "raise",
    limits: Limits | None = None,
    usage: UnknownUsage = "null",
) -> bytes:
    """Translate a response body from format `read` to format `write`.

    A gateway's one call: the upstream's response body and the client's request body in,
    the client's response body out.

    Args:
        data: the response body, in `read` (the upstream's format).
        read: the format of `data`.
        write: the format to write (the client's).
        request: the request the response answers: the client's request body as it came
            (`bytes`, `str` or parsed JSON, in `request_format`), or the canonical request
            decoded from it (which saves decoding it again). Results are then sorted, cut to
            its `top_n`, checked and filled as `decode_response` says.
        request_format: the format of a `request` body; by default `write`, since the
            client that sent the request reads the response.
        on_loss: `"raise"`, `"raise_ranking"`, `"warn"` or `"ignore"`, as in
            `encode_request`.
        limits: what to accept in `data` and in a `request` body (`DEFAULT_LIMITS` when
            None).
        usage: how to write a usage the upstream did not report, as in `encode_response`.

    Returns:
        The JSON body for the client.

    Raises:
        UnknownFormatError: a format is not registered.
        DecodeError: `data` is not a valid response in `read`, a `request` body is not a
            valid request in `request_format`, or an index is out of range or repeated for
            the request.
        LossyConversionError: under `on_loss="raise"`, when something would be lost.
        RerankFormatError: `request_format` was given with a canonical request.

    Examples:
        >>> import rerank_formats as rf
        >>> rf.convert_response(
        ...     b'{"results": [{"index": 0, "relevance_score": 0.5}]}',
        ...     read="cohere_v2",
        ...     write="jina",
        ...     request=b'{"model": "m", "query": "q", "documents": ["a"]}',
        ... )
        b'{"model":"m","usage":null,"results":[{"index":0,"relevance_score":0.5,...}]}'
    """
    source = get_format(read)
    target = get_format(write)
    _check_policy(on_loss, usage)
    limits = limits or DEFAULT_LIMITS
    if request is not None and not isinstance(request, RerankRequest):
        request = decode_request(request, format=request_format or target.NAME, limits=limits)
    elif request_format is not None:
        raise RerankFormatError("request_format only applies to a request body")
    response = _decode_response(source, data, limits)
    if request is not None:
        response = _in_context(
            response,
            request,
            fill=_echoes(target),
            format=source.NAME,
            usage=_usage_for(target, usage),
        )
    return _write(target, "response", response, on_loss, request)


def _check_policy(on_loss: object, usage: object = "null") -> None:
    if on_loss not in _POLICIES:
        raise RerankFormatError(
            f"on_loss must be 'raise', 'raise_ranking', 'warn' or 'ignore', not {on_loss!r}"
        )
    if usage not in _USAGES:
        raise RerankFormatError(f"usage must be 'null', 'omit' or 'zero', not {usage!r}")


def _usage_for(module: Format, usage: UnknownUsage) -> UnknownUsage:
    # Only a format whose responses always report usage has a choice to make.
    return usage if "usage_required" in module.SUPPORTS else "null"


def _write(
    module: Format,
    kind: str,
    obj: RerankRequest | RerankResponse,
    on_loss: OnLoss,
    request: RerankRequest | None = None,
) -> bytes:
    sink = Sink(module.NAME)
    body = _encode(module, kind, obj, sink, request)
    _settle(sink, on_loss)
    return body


def _settle(sink: Sink, on_loss: OnLoss) -> None:
    if not sink.losses or on_loss == "ignore":
        return
    if on_loss == "raise":
        raise LossyConversionError(sink.losses)
    if on_loss == "raise_ranking":
        ranking = [loss for loss in sink.losses if loss.kind == "ranking"]
        if ranking:
            raise LossyConversionError(ranking)
    for loss in sink.losses:
        warnings.warn(LossWarning(loss), stacklevel=4)  # the caller of the public function


def _decode_response(module: Format, data: Payload, limits: Limits) -> RerankResponse:
    wire, leftovers = module.RESPONSE.decode(data, limits)
    if len(wire.results) > limits.max_documents:
        raise _limit_error(
            f"{len(wire.results):,} results; the limit is {limits.max_documents:,}",
            "$.results",
            "too_many_documents",
            module.NAME,
            "response",
        )
    return module.response_to_canonical(wire, leftovers)


def _check_documents(request: RerankRequest, limits: Limits, format: str) -> None:
    documents = request.documents
    if len(documents) > limits.max_documents:
        raise _limit_error(
            f"{len(documents):,} documents; the limit is {limits.max_documents:,}",
            "$.documents",
            "too_many_documents",
            format,
            "request",
        )
    longest = limits.max_document_length
    if (
        len(request.query) > longest
        if type(request.query) is str
        else _length(request.query) > longest
    ):
        raise _too_long(request.query, "$.query", longest, format)
    if document_types(documents) == {str} and max(map(len, documents)) <= longest:  # type: ignore[arg-type]
        return  # plain strings within the limit, measured at C speed
    for i, document in enumerate(documents):
        if len(document) > longest if type(document) is str else _length(document) > longest:
            raise _too_long(document, f"$.documents[{i}]", longest, format)


def _too_long(document: Document, path: str, longest: int, format: str) -> DecodeError:
    length = _length(document)
    return _limit_error(
        f"{length:,} characters; the limit is {longest:,}", path, "too_long", format, "request"
    )


def _length(document: Document) -> int:
    if type(document) is str:
        return len(document)
    if isinstance(document, TextDocument):
        return len(document.text)
    if isinstance(document, ImageDocument):
        return len(document.image)
    if isinstance(document, ObjectDocument):
        return sum(len(value) for value in document.fields.values())
    return len(document)  # a str subclass


def _limit_error(message: str, path: str, type: str, format: str, kind: str) -> DecodeError:
    return DecodeError(message, path=path, type=type, format=format, kind=kind)


def _echoes(module: Format) -> bool:
    return "response_documents" in module.SUPPORTS


def _in_context(
    response: RerankResponse,
    request: RerankRequest,
    *,
    fill: bool,
    format: str | None,
    usage: UnknownUsage = "null",
) -> RerankResponse:
    if not isinstance(request, RerankRequest):
        raise EncodeError(
            f"expected a RerankRequest, got {type(request).__name__}", type="wrong_type"
        )
    documents = request.documents
    indices = list(map(_index, response.results))
    if indices and (
        len(set(indices)) < len(indices) or not 0 <= min(indices) <= max(indices) < len(documents)
    ):
        _check_indices(indices, len(documents), format)
    results: list[RerankResult] = sorted(response.results, key=_score, reverse=True)
    top_n = request.top_n
    if type(top_n) is int:
        del results[max(top_n, 0) :]
    if fill and request.wants_documents:
        if not field_types(results, "document").isdisjoint(_NO_DOCUMENT):  # some to fill
            replace = msgspec.structs.replace
            results = [
                r
                if r.document is not UNSET and r.document is not None
                else replace(
                    r,
                    document=TextDocument(text=d) if type(d := documents[r.index]) is str else d,
                )
                for r in results
            ]
    elif fill and field_types(results, "document") != {UnsetType}:  # some to remove
        results = [
            r if r.document is UNSET else msgspec.structs.replace(r, document=UNSET)
            for r in results
        ]
    model = request.model if response.model is UNSET else response.model
    return msgspec.structs.replace(
        response, results=tuple(results), model=model, usage=_known_usage(response, usage)
    )


_ZERO = Usage(total_tokens=0)


def _known_usage(response: RerankResponse, policy: UnknownUsage) -> Usage | UnsetType | None:
    # A response for a client says its usage is unknown rather than leaving it out, unless
    # told otherwise: Jina's schema requires the key, and Jina clients read it (UnknownUsage).
    if isinstance(response.usage, Usage):
        return response.usage
    if policy == "null":
        return None
    return UNSET if policy == "omit" else _ZERO


def _check_indices(indices: list[int], count: int, format: str | None) -> None:
    seen: set[int] = set()
    for position, index in enumerate(indices):
        if not 0 <= index < count or index in seen:
            problem = "appears twice" if index in seen else f"is out of range for {count} documents"
            raise DecodeError(
                f"index {index} {problem}",
                path=f"$.results[{position}].index",
                type="duplicate_index" if index in seen else "out_of_range",
                format=format,
                kind="response",
            )
        seen.add(index)


def _encode(
    module: Format,
    kind: str,
    obj: RerankRequest | RerankResponse,
    sink: Sink,
    request: RerankRequest | None = None,
) -> bytes:
    if obj.extensions:
        _extension_losses(module, kind, obj, sink)
    codec = module.REQUEST if kind == "request" else module.RESPONSE
    try:
        if isinstance(obj, RerankRequest):
            wire = module.request_from_canonical(obj, sink)
        else:
            wire = module.response_from_canonical(obj, sink, request)
        body = _ENCODER.encode(wire)
        own = obj.extensions.get(module.NAME) if obj.extensions else None
        if own is None or kind not in module.KEEPS_UNKNOWN:
            return body
        if own.results:
            body = _with_result_fields(body, own.results, codec.nested_fields)
        return _with_fields(body, unknown_fields(own, codec.fields))
    except (TypeError, ValueError, AttributeError, msgspec.MsgspecError) as exc:
        raise EncodeError(
            f"not a valid canonical {kind}: {excerpt(str(exc), 120)}", type="invalid_value"
        ) from None


def _with_fields(body: bytes, fields: Mapping[str, object]) -> bytes:
    if not fields:
        return body
    extra = _ENCODER.encode(fields)
    return extra if body == b"{}" else body[:-1] + b"," + extra[1:]


def _with_result_fields(
    body: bytes, extras: Mapping[int, Mapping[str, object]], known: frozenset[str]
) -> bytes:
    decoded = msgspec.json.decode(body)
    for result in decoded.get("results", ()):
        extra = extras.get(result.get("index"))
        if extra:
            result.update((k, v) for k, v in extra.items() if k not in known)
    return _ENCODER.encode(decoded)


def _extension_losses(
    module: Format, kind: str, obj: RerankRequest | RerankResponse, sink: Sink
) -> None:
    for name, extension in obj.extensions.items():
        if name == module.NAME:
            if kind not in module.KEEPS_UNKNOWN:
                codec = module.REQUEST if kind == "request" else module.RESPONSE
                for key in unknown_fields(extension, codec.fields):
                    sink(
                        f"$.{key}",
                        f"{name} rejects unknown fields, so `{excerpt(key)}` is not sent",
                        "ranking" if kind == "request" else "reporting",
                    )
            continue
        _foreign_losses(name, extension.fields, module, kind, sink)
        if extension.results and isinstance(obj, RerankResponse):
            positions = {r.index: p for p, r in enumerate(obj.results)}
            for index, extra in extension.results.items():
                for key in extra if index in positions else ():
                    sink(
                        f"$.results[{positions[index]}].{key}",
                        f"{name}'s result field `{excerpt(key)}` has no {module.NAME} equivalent",
                        "reporting",  # the ranking is the indices and scores, always written
                    )


def _foreign_losses(
    name: str, fields: Mapping[str, object], module: Format, kind: str, sink: Sink
) -> None:
    try:
        origin: Format | None = get_format(name)
    except RerankFormatError:
        origin = None
    known = (origin.REQUEST if kind == "request" else origin.RESPONSE).fields if origin else ()
    # Only a request can rank differently: a response's ranking is its indices and scores.
    unclassified: LossKind = "ranking" if kind == "request" else "reporting"
    for key, value in fields.items():
        if origin is not None and key in known:
            # A null reads as absent (the official SDKs send nulls for unset fields), and a
            # value the provider assumes anyway says nothing: neither carries meaning to lose.
            if value is None or is_default(value, origin.DEFAULTS.get(key, _NO_DEFAULT)):
                continue
            lost = origin.field_loss(kind, key, value, module.NAME, module.SUPPORTS)
        else:
            lost = (f"{name} field `{excerpt(key)}` has no {module.NAME} equivalent", unclassified)
        if lost:
            reason, loss_kind = lost
            sink(f"$.{key}", reason, loss_kind if kind == "request" else "reporting")


_NO_DEFAULT = object()


# -- error bodies --------------------------------------------------------------------------------

_SNIPPET = 80


def decode_error(
    data: Payload | None,
    *,
    format: ErrorFormatName,
    status: int | None = None,
    content_type: str | None = None,
    limits: Limits | None = None,
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
    candidates = [module, *(get_error_format(n) for n in ERROR_FORMATS if n != module.NAME)]
    if isinstance(parsed, Mapping):
        for candidate in candidates:
            try:
                wire, leftovers = candidate.ERROR.convert(parsed)
            except DecodeError:
                continue
            return candidate.error_to_canonical(wire, leftovers, status)
    if text and parsed is not _TOO_LARGE:
        for candidate in candidates:
            error = candidate.error_from_text(text, status)
            if error is not None:
                return error
    return RerankError(
        status=500 if status is None else status,
        message=_describe(text, parsed, content_type, module.NAME),
    )


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
        body = _with_fields(body, unknown_fields(own, module.ERROR.fields))
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
) -> tuple[int, bytes]:
    """Translate an error response from format `read` to format `write`; never raises for
    the body (see `decode_error` and `encode_error`).

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
    error = decode_error(data, format=read, status=status, content_type=content_type)
    return encode_error(error, format=target.NAME)


def map_status(status: int, module: ErrorFormat) -> int:
    """The status `module`'s server would answer for `status` (see `encode_error`)."""
    if status in module.STATUSES:
        return status
    return module.STATUS_MAP.get(status) or status_class(status)


def _parse_error_body(data: object, limits: Limits) -> tuple[str, object]:
    if isinstance(data, Mapping):
        return "", data
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
