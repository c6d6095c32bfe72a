"""What the Cohere v1 and v2 baselines share (and Xinference, whose responses are shaped like
Cohere v1's): result and envelope Structs, and usage read from and written to `meta`."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from ._common import Document, Envelope, Index, Usage


class V1Result(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float
    document: Document | UnsetType | None = UNSET


class CohereOut(msgspec.Struct):
    id: Any  # UNSET: left out
    results: list[Any]  # written when empty, as the library does
    meta: Any


def _count(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is not int or not 0 <= value <= 2**53:
        raise ValueError("a token count must be a whole number")
    return value


def cohere_usage(meta: object) -> Usage | UnsetType:
    """Usage from Cohere's `meta.tokens`, else the token counts of `meta.billed_units`."""
    if not isinstance(meta, dict):
        return UNSET
    read = made = None
    for part in (meta.get("tokens"), meta.get("billed_units")):
        if isinstance(part, dict):
            counts = (_count(part.get("input_tokens")), _count(part.get("output_tokens")))
            if (read, made) == (None, None):
                read, made = counts
    if read is None and made is None:
        return UNSET
    if made is None:
        return Usage(total_tokens=read or 0)
    if read is None:
        return Usage(total_tokens=made, completion_tokens=made)
    return Usage(total_tokens=read + made, prompt_tokens=read, completion_tokens=made)


def cohere_meta(envelope: Envelope, target: str) -> Any:
    """`meta` to write: the one read, in the same format; else `tokens` from the usage."""
    if envelope.source == target and envelope.meta is not UNSET:
        return envelope.meta
    tokens = cohere_tokens(envelope.usage)
    return UNSET if tokens is UNSET else {"tokens": tokens}


def cohere_tokens(usage: object) -> Any:
    """Cohere's `tokens` for a usage (SiliconFlow's too): input tokens, derived and never
    negative when not given, and output tokens when known; UNSET for no usage."""
    if not isinstance(usage, Usage):
        return UNSET
    made = usage.completion_tokens
    read = usage.prompt_tokens
    if read is UNSET:
        read = max(usage.total_tokens - (0 if made is UNSET else made), 0)
    return (
        {"input_tokens": read} if made is UNSET else {"input_tokens": read, "output_tokens": made}
    )
