"""The OpenAI-style error envelope that gateways send: `{"error": {message, type, param, code}}`.

Reference: OpenAI's error object (https://platform.openai.com/docs/guides/error-codes), as
new-api (`controller/relay.go`, QuantumNous/new-api issue #437) and the LiteLLM proxy
(`ProxyException`, BerriAI/litellm issue #29156) answer errors. Gateways are clients and
servers of rerank formats, so this is an error format of its own; it has no request or
response shape, and is not in `FORMATS` (see `ERROR_FORMATS`).

Errors

| wire field            | type                      | canonical | notes                                                          |
| --------------------- | ------------------------- | --------- | -------------------------------------------------------------- |
| `error.message`       | string, required          | `message` | field-level details are folded into it when written            |
| `error.code`          | string, integer or `null` | `code`    | new-api: a slug (`convert_request_failed`); LiteLLM: the HTTP status as a string, which gives the status when none is known |
| `error.type`          | string or `null`          | `code`    | when there is no `code`; LiteLLM sends the string `"None"`, which means nothing |
| `error.param`         | string or `null`          | —         | kept for writing back                                          |
| other keys of `error` |                           | —         | not kept: an error body is read as best it can be              |

Written from other formats: `type` is `invalid_request_error` for a 4xx and `server_error`
otherwise, `param` is `null`, `code` the canonical code or `null`. Any status is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from msgspec import UNSET, UnsetType

from ..canonical import RerankError
from . import _checks
from ._base import Codec, Leftovers, Wire, extension_map, kept, own_extension
from ._errors import fold

__all__ = [
    "ERROR",
    "NAME",
    "PROVIDER",
    "STATUSES",
    "STATUS_MAP",
    "UNKNOWN_FIELDS",
    "Body",
    "Error",
    "check",
    "error_from_canonical",
    "error_from_text",
    "error_to_canonical",
]

NAME: Final = "openai"
PROVIDER: Final = "the gateway"  # for messages about what it does

STATUSES: Final = frozenset(range(100, 600))
STATUS_MAP: Final[dict[int, int]] = {}

_NOTHING = (None, "", "None")  # LiteLLM writes Python's None as the string "None"


class Body(Wire, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """The `error` object.

    Attributes:
        message: The message.
        type: The error type (`invalid_request_error`, `new_api_error`, ...).
        param: The parameter at fault, if any.
        code: A machine-readable code, or (LiteLLM) the HTTP status as a string.
    """

    message: str
    type: str | UnsetType | None = UNSET
    param: str | UnsetType | None = UNSET
    code: str | int | UnsetType | None = UNSET


class Error(Wire, frozen=True, kw_only=True):
    """An OpenAI-style error envelope.

    Attributes:
        error: The error object.
    """

    error: Body


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)


def _as_status(value: object) -> int | None:
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 100 <= number <= 599 else None


def _code(body: Body) -> str | UnsetType:
    for value in (body.code, body.type):
        if value is not UNSET and value not in _NOTHING and _as_status(value) is None:
            return str(value)
    return UNSET  # nothing, or only an HTTP status (LiteLLM's `code`), which is not a code


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    body = wire.error
    spelled = {"type": body.type, "param": body.param, "code": body.code}
    fields = {**left.fields, "error": {k: v for k, v in spelled.items() if v is not UNSET}}
    return RerankError(
        status=(_as_status(body.code) or 500) if status is None else status,
        message=body.message,
        code=_code(body),
        extensions=extension_map(NAME, fields),
    )


def error_from_canonical(error: RerankError) -> Error:
    raw = kept(own_extension(error.extensions, NAME), "error")
    if isinstance(raw, dict) and not error.details:
        spelled = {k: raw.get(k, UNSET) for k in ("type", "param", "code")}
        body = Body(message=error.message, **spelled)
        if _code(body) == error.code:  # unchanged since it was read
            return Error(error=body)
    return Error(
        error=Body(
            message=fold(error.message, error.details),
            type="invalid_request_error" if 400 <= error.status < 500 else "server_error",
            param=None,
            code=None if error.code is UNSET else error.code,
        )
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Gateways answer errors in JSON."""
    return None


UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {"error": "warning"}


def check(kind: str, body: Mapping[str, object], report: _checks.Report) -> None:
    """Gateways' envelopes have nothing to check beyond their shape."""


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import ErrorFormat
    from . import openai as _this

    _face: ErrorFormat = _this
