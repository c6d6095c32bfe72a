"""What the vLLM rerank and score baselines share: the housekeeping fields of vLLM's pooling
requests (read, and written back to the same format only) and `truncate_prompt_tokens` as
Jina's `truncation`."""

from __future__ import annotations

import operator
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import Request


class Housekeeping(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    truncate_prompt_tokens: Annotated[int, Meta(ge=-1)] | UnsetType | None = UNSET
    user: str | UnsetType | None = UNSET
    request_id: str | UnsetType = UNSET
    priority: int | UnsetType = UNSET
    mm_processor_kwargs: dict[str, Any] | UnsetType | None = UNSET
    use_activation: bool | UnsetType | None = UNSET
    activation: bool | UnsetType | None = UNSET
    softmax: bool | UnsetType | None = UNSET
    padding: str | UnsetType | None = UNSET
    truncation_side: str | UnsetType | None = UNSET
    cache_salt: str | UnsetType | None = UNSET


HOUSEKEEPING = Housekeeping.__struct_fields__


_housekeeping = operator.attrgetter(*HOUSEKEEPING)


_NONE = (UNSET,) * (len(HOUSEKEEPING) - 1)


def truncation_from(value: object) -> Any:
    """`truncation` for `truncate_prompt_tokens`: null refuses a too-long input (false), -1 or
    a limit truncates (true)."""
    return UNSET if value is UNSET else value is not None


def own_wire(r: Request, name: str) -> Any:
    """The wire request `r` was read from, when read from format `name`, else None."""
    return r.own["wire"] if r.source == name and r.own else None


def housekeeping(r: Request, wire: Any) -> tuple[Any, ...]:
    """The housekeeping values to write: the wire request's own (from the same format), else
    only `truncate_prompt_tokens` for `truncation`."""
    if wire is not None:
        return _housekeeping(wire)
    truncation = r.truncation
    if truncation is True:
        return (-1, *_NONE)
    if truncation is False:
        return (None, *_NONE)
    return (UNSET, *_NONE)
