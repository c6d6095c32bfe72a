"""The OpenAI-style `{"error": {message, type, param, code}}` body inside a format's own errors
(Infinity's `OpenAIException`, Together's `ErrorData`): read and written as `openai` does,
kept in the format's own extension."""

from __future__ import annotations

from msgspec import UNSET

from ..canonical import RerankError
from ._base import extension_map, kept, own_extension
from ._errors import fold
from .openai import Body, _as_status, _code

__all__ = ["Body", "envelope_body", "envelope_to_canonical"]


def envelope_to_canonical(
    format: str, body: Body, fields: dict[str, object], status: int | None
) -> RerankError:
    """A canonical error from an `error` object; its `type`, `param` and `code` are kept as
    spelled in `format`'s extension (with the payload's other `fields`)."""
    spelled = {"type": body.type, "param": body.param, "code": body.code}
    fields = {**fields, "error": {k: v for k, v in spelled.items() if v is not UNSET}}
    return RerankError(
        status=(_as_status(body.code) or 500) if status is None else status,
        message=body.message,
        code=_code(body),
        extensions=extension_map(format, fields),
    )


def envelope_body(
    format: str, error: RerankError, *, code: object, type: str | None = None
) -> Body:
    """The `error` object for a canonical error: as `format` read it while the message and
    code are unchanged, else with `code` (what the format puts there: Infinity the status),
    `type` and a null `param`."""
    raw = kept(own_extension(error.extensions, format), "error")
    if isinstance(raw, dict) and not error.details:
        spelled = {k: raw.get(k, UNSET) for k in ("type", "param", "code")}
        body = Body(message=error.message, **spelled)
        if _code(body) == error.code:  # unchanged since it was read
            return body
    return Body(
        message=fold(error.message, error.details),
        type=type,
        param=None,
        code=code,  # type: ignore[arg-type]
    )
