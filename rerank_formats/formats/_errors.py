"""What the error bodies of every format share."""

from __future__ import annotations

from collections.abc import Mapping

from ..canonical import FieldError
from ..errors import excerpt


def fold(message: str, details: tuple[FieldError, ...]) -> str:
    """A message that also lists field-level details, for formats that only have a message."""
    if not details:
        return message
    listed = "; ".join(f"{d.field}: {d.message}" for d in details)
    return f"{message} ({excerpt(listed, 300)})"


def status_class(status: int) -> int:
    """400 for a client error, 500 for anything else: the fallback of every status table."""
    return 400 if 400 <= status < 500 else 500


def answered(status: int, statuses: frozenset[int], status_map: Mapping[int, int]) -> int:
    """The status a format's server answers for `status`: its own, else its `STATUS_MAP`'s,
    else 400 or 500 (`error_bodies.map_status`, for a body that spells its status)."""
    if status in statuses:
        return status
    return status_map.get(status) or status_class(status)
