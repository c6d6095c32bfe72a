"""What the error bodies of every format share."""

from __future__ import annotations

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
