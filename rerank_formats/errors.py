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
what the answer reports beside it (`"reporting"`). Messages never carry more than a short
excerpt of a payload.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import msgspec

__all__ = [
    "DecodeError",
    "EncodeError",
    "Loss",
    "LossKind",
    "LossWarning",
    "LossyConversionError",
    "RerankFormatError",
    "UnknownFormatError",
]

_EXCERPT = 40


def excerpt(text: str, limit: int = _EXCERPT) -> str:
    """Shorten `text` for an error message (payloads can hold private data)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        self.message = message
        self.path = path
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
        self.message = message
        self.path = path
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
        return f"{self.path}: {self.reason} ({self.format})"


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
        super().__init__(f"{first.format} cannot express {first.path}: {first.reason}{more}")


class LossWarning(UserWarning):
    """Issued once per `Loss` when a conversion runs with `on_loss="warn"` (and once per
    reporting loss under `on_loss="raise_ranking"`).

    Attributes:
        loss: the `Loss` this warning is about.
    """

    def __init__(self, loss: Loss) -> None:
        self.loss = loss
        super().__init__(str(loss))
