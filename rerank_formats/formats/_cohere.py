"""What Cohere v1 and v2 share: the response envelope (`id`, `meta`), token usage and errors.

Reference: https://docs.cohere.com/reference/rerank and the `ApiMeta` schema of
cohere-ai/cohere-developer-experience `cohere-openapi.yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import RerankError, Usage
from ..errors import DecodeError
from ._base import Codec, Leftovers, Sink, Wire, convert_at, extension_map
from ._checks import Report, Severity
from ._errors import fold
from ._helpers import prompt_count

# A token count: Cohere's spec says "number"; a whole one, and within what JSON numbers
# carry exactly (an `inf` from a parsed mapping, or 3.7 tokens, is refused).
Count = Annotated[float, Meta(ge=0, le=2**53)]


class Tokens(msgspec.Struct, frozen=True, kw_only=True):
    """`meta.tokens` and the token counts of `meta.billed_units` (numbers in Cohere's spec)."""

    input_tokens: Count | UnsetType | None = UNSET
    output_tokens: Count | UnsetType | None = UNSET


_MAX_WHOLE = 2**53


def _counts(part: object, path: str, format: str, kind: str) -> tuple[int | None, int | None]:
    if not isinstance(part, dict):
        return None, None
    read, made = part.get("input_tokens"), part.get("output_tokens")
    if (read is None or (type(read) is int and 0 <= read <= _MAX_WHOLE)) and (
        made is None or (type(made) is int and 0 <= made <= _MAX_WHOLE)
    ):  # the usual case: absent, null or whole counts `Count` accepts, not converted
        return read, made
    tokens = convert_at(part, Tokens, path=path, format=format, kind=kind)
    counts: list[int | None] = []
    for name in ("input_tokens", "output_tokens"):
        value = getattr(tokens, name)
        if value is UNSET or value is None:
            counts.append(None)
        elif not float(value).is_integer():
            raise DecodeError(
                "expected a whole number of tokens",
                path=f"{path}.{name}",
                type="invalid_value",
                format=format,
                kind=kind,
            )
        else:
            counts.append(int(value))
    return counts[0], counts[1]


def usage_from_meta(meta: object, *, format: str, kind: str = "response") -> Usage | UnsetType:
    """Token usage from a Cohere `meta`: `meta.tokens`, else `meta.billed_units`'s token
    counts (both are checked). `search_units` is a billing unit, not a token count, and is
    not usage."""
    if not isinstance(meta, dict):
        return UNSET
    tokens = _counts(meta.get("tokens"), "$.meta.tokens", format, kind)
    billed = _counts(meta.get("billed_units"), "$.meta.billed_units", format, kind)
    read, made = tokens if tokens != (None, None) else billed
    if read is None and made is None:
        return UNSET
    if made is None:
        return Usage(total_tokens=read or 0)
    if read is None:
        return Usage(total_tokens=made, completion_tokens=made)
    return Usage(total_tokens=read + made, prompt_tokens=read, completion_tokens=made)


def meta_for(usage: Usage | UnsetType | None, own_meta: object, sink: Sink) -> Any:
    """The `meta` to write: the one this format read (or its absence), while it still says
    the same usage; otherwise that one (or a new one) with `tokens` from the canonical usage."""
    if own_meta is UNSET:  # written from another format: only what the usage says
        return {"tokens": tokens_for(usage, sink)} if isinstance(usage, Usage) else UNSET
    if usage_from_meta(own_meta, format=sink.format) == usage:
        return own_meta
    meta = dict(own_meta) if isinstance(own_meta, dict) else {}
    meta.pop("tokens", None)
    if isinstance(usage, Usage):
        meta["tokens"] = tokens_for(usage, sink)
    return meta or UNSET


def tokens_for(usage: Usage, sink: Sink) -> dict[str, int]:
    """`meta.tokens` for a canonical usage: input tokens, and output tokens when known."""
    made = usage.completion_tokens
    read = usage.prompt_tokens
    if read is UNSET:
        read = prompt_count(usage, sink)  # a count below 0 is a loss of its own
    elif read + (0 if made is UNSET else made) != usage.total_tokens:
        sink(
            "$.usage.total_tokens",
            f"{sink.format} reports input and output tokens; they do not add up to the total",
            "reporting",
        )
    return (
        {"input_tokens": read} if made is UNSET else {"input_tokens": read, "output_tokens": made}
    )


# -- errors: `{message, id?}` for every status (the `*ErrorBody` schemas) ------------------------

# Declared for /v1/rerank and /v2/rerank; Cohere has no 402.
STATUSES = frozenset({400, 401, 403, 404, 422, 429, 498, 499, 500, 501, 503, 504})
STATUS_MAP = {402: 403}


class Error(Wire, frozen=True, kw_only=True):
    """A Cohere error body.

    Attributes:
        message: The message.
        id: This request's id.
    """

    message: str
    id: str | UnsetType = UNSET


def error_codec(format: str) -> Codec[Error]:
    return Codec[Error](format=format, kind="error", fast=Error, general=Error, struct=Error)


def error_to_canonical(
    format: str, wire: Error, left: Leftovers, status: int | None
) -> RerankError:
    return RerankError(
        status=500 if status is None else status,
        message=wire.message,
        request_id=wire.id,
        extensions=extension_map(format, dict(left.fields)),
    )


def error_from_canonical(error: RerankError) -> Error:
    return Error(message=fold(error.message, error.details), id=error.request_id)


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Cohere answers errors in JSON (an HTML page from its edge is not a Cohere error)."""
    return None


# Cohere answers 422 to an unknown request key (HKUDS/LightRAG #1813); clients (the SDKs,
# with extra="allow") tolerate unknown response keys.
UNKNOWN_FIELDS: Mapping[str, Severity] = {
    "request": "error",
    "response": "warning",
    "error": "warning",
}


def check_meta(body: Mapping[str, object], report: Report, version: str) -> None:
    """Cohere's `meta`: objects, not the nulls Xinference sends, and this API version."""
    meta = body.get("meta")
    if not isinstance(meta, Mapping):
        return
    for key, value in meta.items():
        if value is None:
            report(
                f"$.meta.{key}",
                "invalid_value",
                "Cohere never sends null here (Xinference does)",
                "warning",
            )
    api_version = meta.get("api_version")
    sent = api_version.get("version") if isinstance(api_version, Mapping) else None
    if sent in ("1", "2") and sent != version:
        report(
            "$.meta.api_version.version",
            "invalid_value",
            f"version {sent} is Cohere's v{sent} API, not v{version}",
            "warning",
        )
