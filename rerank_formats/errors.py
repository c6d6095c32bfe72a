"""Errors, losses and the warning rerank_formats raises.

Every exception that leaves a public function is a `RerankFormatError`:

    RerankFormatError (ValueError)
     ├── UnknownFormatError       a format name that is not registered; says "did you mean"
     ├── DecodeError              .path ($.results[2].index)  .type (a stable slug)  .format  .kind
     ├── EncodeError              .path  .type: a canonical object that cannot be written
     └── LossyConversionError     .losses: every Loss found, not just the first

    LossWarning (UserWarning)     one per Loss under on_loss="warn"; one per reporting Loss
                                  under on_loss="raise_ranking"

A `Loss` records something the written format cannot express: which format, where in the
canonical object, why, and its `kind`: whether it can change the ranking (`"ranking"`) or only
what the answer reports beside it (`"reporting"`).

Messages never carry more than a short excerpt of a payload: a piece of payload text (a key,
a value) is quoted through `excerpt` (at most 40 characters, control characters escaped, so
one message is one line), a number through `number`, and every message, path and reason is
at most `MAX_MESSAGE_LENGTH` characters (a longer path keeps its start and its end).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import msgspec

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "DecodeError",
    "EncodeError",
    "Loss",
    "LossKind",
    "LossWarning",
    "LossyConversionError",
    "RerankFormatError",
    "UnknownFormatError",
]

MAX_MESSAGE_LENGTH = 200
"""The most characters of any message, path or reason the library writes (so `str()` of an
error, a `Loss` or a `Problem` stays under 500)."""

_EXCERPT = 40
_DIGITS = 20  # an integer longer than this is described, not spelled out


def excerpt(text: str, limit: int = _EXCERPT) -> str:
    r"""Shorten `text` for an error message: at most `limit` characters, with control
    characters, line breaks and lone surrogates escaped (payloads can hold private data, and
    a key with a newline must not forge a log line).

    Examples:
        >>> print(excerpt("a\nERROR forged"))
        a\nERROR forged
        >>> excerpt("x" * 50, 10)
        'xxxxxxxxx…'
    """
    head = _escape(text[: limit + 1])
    return head if len(head) <= limit and len(text) <= limit else head[: limit - 1] + "…"


def _escape(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def number(value: int | float) -> str:
    """A number for an error message: spelled out when short, described when not (Python
    refuses to spell out an integer of more than 4,300 digits, and no message should).

    Examples:
        >>> number(-3), number(10**30)
        ('-3', '~1e30')
    """
    if isinstance(value, int):
        value = int(value)  # a bool or an int subclass: its own __str__ is not ours to call
        if abs(value) >= 10**_DIGITS:
            digits = len(str(value)) - 1 if value.bit_length() < 1000 else _log10(value)
            return f"{'-' if value < 0 else ''}~1e{digits}"
    return excerpt(str(value), _DIGITS + 2)


def _log10(value: int) -> int:
    return int(abs(value).bit_length() * 0.30102999566398120)  # log10(2); off by one at most


def clip(text: str) -> str:
    """`text` cut to `MAX_MESSAGE_LENGTH` characters, on one line."""
    return excerpt(text, MAX_MESSAGE_LENGTH)


def clip_path(path: str) -> str:
    """A JSON path cut to `MAX_MESSAGE_LENGTH` characters, on one line, keeping its start and
    its end (where the problem is)."""
    path = _escape(path)
    if len(path) <= MAX_MESSAGE_LENGTH:
        return path
    half = MAX_MESSAGE_LENGTH // 2
    return path[: half - 1] + "…" + path[-half:]


class RerankFormatError(ValueError):
    """The base of every error rerank_formats raises."""


class UnknownFormatError(RerankFormatError):
    """A format name that is not registered.

    Attributes:
        name: the name that was asked for.
        suggestion: the closest registered name, if one is close enough.
    """

    def __init__(self, name: str, known: Iterable[str], suggestion: str | None) -> None:
        self.name = name
        self.suggestion = suggestion
        hint = f" Did you mean {suggestion!r}?" if suggestion else ""
        super().__init__(
            f"Unknown format {excerpt(name)!r}.{hint} Known formats: {', '.join(known)}."
        )


class DecodeError(RerankFormatError):
    """A payload that is not valid for the format it was read as.

    `str(error)` is one line: the format and kind, what is wrong, and where.

    Attributes:
        message: what is wrong, without the location.
        path: a JSON path into the payload, such as `$.results[2].index` (`$` is the whole
            payload).
        type: a stable, machine-readable slug such as `wrong_type`, `missing_field`,
            `unknown_field`, `invalid_json`, `out_of_range`, `duplicate_index`.
        format: the format the payload was read as, when known.
        kind: `"request"` or `"response"`, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "$",
        type: str,
        format: str | None = None,
        kind: str | None = None,
    ) -> None:
        self.message = message = clip(message)
        self.path = path = clip_path(path)
        self.type = type
        self.format = format
        self.kind = kind
        where = " ".join(part for part in (format, kind) if part)
        prefix = f"invalid {where}: " if where else ""
        super().__init__(f"{prefix}{message} (at {path})")


class EncodeError(RerankFormatError):
    """A canonical object that cannot be written, such as a document of an unknown type.

    Attributes:
        message: what is wrong.
        path: where in the canonical object, as a JSON path.
        type: a stable slug.
    """

    def __init__(self, message: str, *, path: str = "$", type: str = "invalid_value") -> None:
        self.message = message = clip(message)
        self.path = path = clip_path(path)
        self.type = type
        super().__init__(f"{message} (at {path})")


LossKind = Literal["ranking", "reporting"]
"""What a `Loss` can change.

- `"ranking"`: which documents are ranked against which query and how (documents, the query,
  `top_n`, `rank_fields`, model `kwargs`, truncation limits), or whether the written request
  is taken at all (a missing required `model`, a field the target refuses): the answer may
  rank differently. Every loss in a request is of this kind unless it is listed below.
- `"reporting"`: what the answer reports beside the indices and scores (token usage,
  `return_len`, echoed documents, embeddings, Cohere's `relevant_spans`) and scheduling hints
  (Cohere's `priority`). Every loss in a response is of this kind: each format carries the
  indices and scores.
"""


class Loss(msgspec.Struct, frozen=True, kw_only=True):
    """Something a conversion could not carry into the written format.

    Attributes:
        format: the format being written, which cannot express it.
        path: where it is, as a JSON path into the canonical object (keys that only one
            format knows, such as Cohere v1's `rank_fields`, keep their wire name).
        reason: why it is lost, in one line.
        kind: `"ranking"` when it can change the ranking, `"reporting"` when it only changes
            what the answer reports beside it (see `LossKind`).
    """

    format: str
    path: str
    reason: str
    kind: LossKind = "ranking"

    def __str__(self) -> str:
        return f"{clip_path(self.path)}: {clip(self.reason)} ({self.format})"


class LossyConversionError(RerankFormatError):
    """A conversion under `on_loss="raise"` that would drop information (or, under
    `on_loss="raise_ranking"`, information that can change the ranking).

    Attributes:
        losses: every `Loss` found, in the order they were found.
    """

    def __init__(self, losses: Iterable[Loss]) -> None:
        self.losses = tuple(losses)
        first = self.losses[0]
        more = f" (and {len(self.losses) - 1} more)" if len(self.losses) > 1 else ""
        super().__init__(
            f"{first.format} cannot express {clip_path(first.path)}: {clip(first.reason)}{more}"
        )


class LossWarning(UserWarning):
    """Issued once per `Loss` when a conversion runs with `on_loss="warn"` (and once per
    reporting loss under `on_loss="raise_ranking"`).

    Attributes:
        loss: the `Loss` this warning is about.
    """

    def __init__(self, loss: Loss) -> None:
        self.loss = loss
        super().__init__(str(loss))
