"""Decode, encode and convert rerank requests, responses and error bodies between formats.

    bytes --decode(read)--> wire Struct --to_canonical--> canonical
    canonical --from_canonical--> wire Struct --encode(write)--> bytes

A response is read or written *in the context of* the request it answers when that request
(canonical, as decoded from the client) is given: results are sorted by descending score,
cut to the request's `top_n`, their indices checked against its documents, documents filled
from it (or removed) as it asked, the model taken from it when the response has none, and a
missing usage made an explicit `None` (unknown: Jina's schema requires the key; see
`UnknownUsage` for the other choices); that is `rerank_formats.context`.

What a written format cannot express is a `Loss`, of kind `"ranking"` or `"reporting"`; the
`on_loss` policy (`OnLoss`) says what to do about them.

This module is the public verbs and the loss policy; it knows no wire key: each format's
codecs read and write their payloads (`Codec.decode`, `Codec.encode`). Error bodies are
`rerank_formats.error_bodies`, the checks against `Limits` are in `rerank_formats.limits`.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Mapping
from typing import Any, Literal

import msgspec
from msgspec import UNSET

from .canonical import RerankError, RerankRequest, RerankResponse, RerankResult, Usage
from .context import USAGES, UnknownUsage, echoes, in_context, usage_for, with_header_usage
from .error_bodies import (
    convert_error,
    decode_error,
    encode_error,
    map_status as map_status,  # re-exported: its home before the split
)
from .errors import (
    EncodeError,
    LossKind,
    LossWarning,
    LossyConversionError,
    RerankFormatError,
    excerpt,
    number,
)
from .formats._base import (
    Codec,
    Leftovers,
    Payload,
    QuietSink,
    ScoreScale,
    Sink,
    is_default,
    unknown_fields,
)
from .limits import DEFAULT_LIMITS, Limits, check_request
from .registry import Format, FormatName, get_error_format, get_format
from .scale import Scores, check_scores, rescaled, scale_of, with_scale

__all__ = [
    "OnLoss",
    "Payload",
    "Scores",
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

_POLICIES = ("raise", "raise_ranking", "warn", "ignore")


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
    return _request(module, wire, leftovers, limits)


def _request(module: Format, wire: Any, leftovers: Leftovers, limits: Limits) -> RerankRequest:
    request = module.request_to_canonical(wire, leftovers)
    documents_key, query_key = module.REQUEST.keys_in(wire)
    check_request(request, limits, module.NAME, documents_key=documents_key, query_key=query_key)
    return request


def canonical_of(
    format: str, kind: str, wire: Any, leftovers: Leftovers, limits: Limits
) -> RerankRequest | RerankResponse | RerankError:
    """What a decoder makes of `wire` (its codec's output), with every check it applies
    after the codec (for `validate`, which runs the codec itself)."""
    if kind == "request":
        return _request(get_format(format), wire, leftovers, limits)
    if kind == "response":
        return get_format(format).response_to_canonical(wire, leftovers)
    return get_error_format(format).error_to_canonical(wire, leftovers, None)


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
    headers: Mapping[str, str] | None = None,
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
        headers: the response's HTTP headers, for a format that reports usage in them
            rather than in the body (its `usage_from_headers`); ignored by the others.

    Returns:
        The canonical response, with the `score_scale` its scores have for `request`
            (`score_scale(format, request)`; absent when unknown).

    Raises:
        UnknownFormatError: `format` is not registered.
        DecodeError: `data` is not a valid response in `format`, or an index is out of range
            or repeated for `request`; the error has the JSON path.
    """
    module = get_format(format)
    response = _decode_response(module, data, limits or DEFAULT_LIMITS, headers)
    response = with_scale(module, response, request)
    if request is not None:
        response = in_context(
            response, request, fill=True, format=module.NAME, results_at=module.RESPONSE.results_at
        )
    return response


def encode_response(
    response: RerankResponse,
    *,
    format: FormatName,
    request: RerankRequest | None = None,
    on_loss: OnLoss = "raise",
    usage: UnknownUsage = "null",
    scores: Scores = "keep",
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
        scores: what logit scores (`response.score_scale == "logit"`) become where `format`
            promises probabilities: `"keep"` them and report a loss, or map them through a
            `"sigmoid"` (see `Scores`).

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
    if scores != "keep":
        check_scores(scores)
    if not isinstance(response, RerankResponse):
        raise EncodeError(
            f"expected a RerankResponse, got {type(response).__name__}", type="wrong_type"
        )
    if request is not None:
        response = in_context(
            response, request, fill=echoes(module), format=None, usage=usage_for(module, usage)
        )
    return _write(module, "response", response, on_loss, request, scores)


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
    headers: Mapping[str, str] | None = None,
    scores: Scores = "keep",
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
        headers: the upstream response's HTTP headers, as in `decode_response`.
        scores: `"keep"` logit scores where `write` promises probabilities (a loss), or map
            them through a `"sigmoid"`, as in `encode_response`; the scale of `data`'s
            scores is `score_scale(read, request)`.

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
    if scores != "keep":
        check_scores(scores)
    limits = limits or DEFAULT_LIMITS
    if request is not None and not isinstance(request, RerankRequest):
        request = decode_request(request, format=request_format or target.NAME, limits=limits)
    elif request_format is not None:
        raise RerankFormatError("request_format only applies to a request body")
    response = _decode_response(source, data, limits, headers)
    scale = scale_of(source, response, request)  # for the writer; no copy to carry it
    if request is not None:
        response = in_context(
            response,
            request,
            fill=echoes(target),
            format=source.NAME,
            usage=usage_for(target, usage),
            results_at=source.RESPONSE.results_at,
        )
    return _write(target, "response", response, on_loss, request, scores, scale, decoded=True)


def _check_policy(on_loss: object, usage: object = "null") -> None:
    if on_loss not in _POLICIES:
        raise RerankFormatError(
            "on_loss must be 'raise', 'raise_ranking', 'warn' or 'ignore',"
            f" not {excerpt(repr(on_loss))}"
        )
    if usage not in USAGES:
        raise RerankFormatError(
            f"usage must be 'null', 'omit' or 'zero', not {excerpt(repr(usage))}"
        )


def _write(
    module: Format,
    kind: str,
    obj: RerankRequest | RerankResponse,
    on_loss: OnLoss,
    request: RerankRequest | None = None,
    scores: Scores = "keep",
    scale: ScoreScale | None = None,
    *,
    decoded: bool = False,
) -> bytes:
    """`obj` written as `module`'s `kind`; `decoded` says a decoder made it (its scores
    are finite and its indices whole, so the write-time check of its results is skipped)."""
    sink = QuietSink(module.NAME) if on_loss == "ignore" else Sink(module.NAME)
    if isinstance(obj, RerankResponse) and (scale or obj.score_scale) == "logit":
        obj = rescaled(module, obj, request, scores, sink)  # a sigmoid keeps them finite
    body = _encode(module, kind, obj, sink, request, decoded=decoded)
    _settle(sink, on_loss)
    return body


def _settle(sink: Sink, on_loss: OnLoss) -> None:
    if not sink.losses:  # always so under "ignore": its sink keeps nothing
        return
    if on_loss == "raise":
        raise LossyConversionError(sink.losses)
    if on_loss == "raise_ranking":
        ranking = [loss for loss in sink.losses if loss.kind == "ranking"]
        if ranking:
            raise LossyConversionError(ranking)
    # Attributed to the caller of the public function (_settle <- _write <- public <- caller),
    # with no registry: `warnings.warn` would remember every distinct text in the caller's
    # `__warningregistry__`, which grows without bound when each loss names a new key.
    caller = sys._getframe(3)
    for loss in sink.losses:
        warnings.warn_explicit(
            LossWarning(loss),
            LossWarning,
            caller.f_code.co_filename,
            caller.f_lineno,
            module=caller.f_globals.get("__name__"),
            registry=None,
        )


def _decode_response(
    module: Format, data: Payload, limits: Limits, headers: Mapping[str, str] | None = None
) -> RerankResponse:
    wire, leftovers = module.RESPONSE.decode(data, limits)  # counts the results
    response = module.response_to_canonical(wire, leftovers)
    return with_header_usage(module, response, headers) if headers else response


def _encode(
    module: Format,
    kind: str,
    obj: RerankRequest | RerankResponse,
    sink: Sink,
    request: RerankRequest | None = None,
    *,
    decoded: bool = False,
) -> bytes:
    codec = module.REQUEST if kind == "request" else module.RESPONSE
    if obj.extensions and not sink.quiet:
        _extension_losses(module, codec, obj, sink)
    try:
        if isinstance(obj, RerankRequest):
            if not sink.quiet:
                _required_losses(module, obj, sink)
            wire = module.request_from_canonical(obj, sink)
        else:
            _check_writable(obj, results=not decoded)
            wire = module.response_from_canonical(obj, sink, request)
        return codec.encode(wire, obj.extensions.get(module.NAME) if obj.extensions else None)
    except EncodeError:
        raise
    except (TypeError, ValueError, AttributeError, msgspec.MsgspecError) as exc:
        raise EncodeError(
            f"not a valid canonical {kind}: {excerpt(str(exc), 120)}", type="invalid_value"
        ) from None


def _required_losses(module: Format, request: RerankRequest, sink: Sink) -> None:
    # What the format declares it cannot do without (`REQUIRES`): written anyway, a loss.
    for field in sorted(module.REQUIRES):
        value = getattr(request, field)
        if value is UNSET or value is None:
            key = module.REQUEST.key(field)
            sink(f"$.{key}", f"{module.NAME} requires `{key}`; the request has none")


def _check_writable(response: RerankResponse, *, results: bool = True) -> None:
    """Refuse what no decoder would read back: a score that is NaN or infinite (JSON has
    none; msgspec would write `null`) or a negative index, unless `results` is false (a
    decoder made them, and every format's decoder refuses both), and a negative token
    count."""
    if results:
        _check_results_writable(response.results)
    usage = response.usage
    if isinstance(usage, Usage):
        for name in ("total_tokens", "prompt_tokens", "completion_tokens"):
            count = getattr(usage, name)
            if type(count) is int and count < 0:
                raise EncodeError(f"{name} {number(count)} is negative", path=f"$.usage.{name}")


def _check_results_writable(results: tuple[RerankResult, ...]) -> None:
    if results and (
        not math.isfinite(sum([r.relevance_score for r in results]))
        or min([r.index for r in results]) < 0
    ):
        for position, r in enumerate(results):
            if not math.isfinite(r.relevance_score):
                raise EncodeError(
                    f"relevance_score {r.relevance_score} cannot be written as JSON",
                    path=f"$.results[{position}].relevance_score",
                )
            if r.index < 0:
                raise EncodeError(
                    f"index {number(r.index)} is negative", path=f"$.results[{position}].index"
                )


def _extension_losses(
    module: Format, codec: Codec[Any], obj: RerankRequest | RerankResponse, sink: Sink
) -> None:
    kind = codec.kind
    for name, extension in obj.extensions.items():
        if name == module.NAME:
            if not codec.keep_unknown:
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
                        f"{codec.results_at}[{positions[index]}].{key}",
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
