"""The registered formats, and lookup by name with a "did you mean".

Adding a format is one module in `rerank_formats/formats/` and one entry in `_MODULES` (or,
for a format that only has error bodies, in `_ERROR_ONLY`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from .canonical import RerankError, RerankRequest, RerankResponse
from .errors import LossKind, RerankFormatError, UnknownFormatError, excerpt
from .formats import cohere_v1, cohere_v2, jina, openai, xinference
from .formats._base import Codec, Leftovers, Sink
from .formats._checks import Report, Severity

__all__ = [
    "ERROR_FORMATS",
    "FEATURES",
    "FORMATS",
    "ErrorFormat",
    "Format",
    "get_codec",
    "get_error_format",
    "get_format",
    "support_matrix",
]

M = TypeVar("M")


class ErrorFormat(Protocol):
    """What a format module provides for error bodies (checked by mypy)."""

    @property
    def NAME(self) -> str: ...  # noqa: N802
    @property
    def PROVIDER(self) -> str: ...  # noqa: N802
    @property
    def UNKNOWN_FIELDS(self) -> Mapping[str, Severity]: ...  # noqa: N802
    @property
    def ERROR(self) -> Codec[Any]: ...  # noqa: N802
    @property
    def STATUSES(self) -> frozenset[int]: ...  # noqa: N802
    @property
    def STATUS_MAP(self) -> Mapping[int, int]: ...  # noqa: N802

    def error_to_canonical(self, wire: Any, left: Leftovers, status: int | None) -> RerankError: ...
    def error_from_canonical(self, error: RerankError) -> Any: ...
    def error_from_text(self, text: str, status: int | None) -> RerankError | None: ...
    def check(self, kind: str, body: Mapping[str, object], report: Report) -> None: ...


class Format(ErrorFormat, Protocol):
    """What every request-and-response format module provides (checked by mypy)."""

    @property
    def NAME(self) -> str: ...  # noqa: N802 - module constants are upper case
    @property
    def SUPPORTS(self) -> frozenset[str]: ...  # noqa: N802
    @property
    def KEEPS_UNKNOWN(self) -> frozenset[str]: ...  # noqa: N802
    @property
    def DEFAULTS(self) -> Mapping[str, object]: ...  # noqa: N802
    @property
    def REQUEST(self) -> Codec[Any]: ...  # noqa: N802
    @property
    def RESPONSE(self) -> Codec[Any]: ...  # noqa: N802

    def field_loss(
        self, kind: str, key: str, value: object, target: str, supports: frozenset[str]
    ) -> tuple[str, LossKind] | None: ...
    def request_to_canonical(self, wire: Any, left: Leftovers) -> RerankRequest: ...
    def request_from_canonical(self, request: RerankRequest, sink: Sink) -> Any: ...
    def response_to_canonical(self, wire: Any, left: Leftovers) -> RerankResponse: ...
    def response_from_canonical(
        self, response: RerankResponse, sink: Sink, request: RerankRequest | None
    ) -> Any: ...


_MODULES: dict[str, Format] = {m.NAME: m for m in (jina, cohere_v1, cohere_v2, xinference)}

FORMATS: tuple[str, ...] = tuple(_MODULES)
"""The registered format names: `("jina", "cohere_v1", "cohere_v2", "xinference")`."""


_ERROR_ONLY: dict[str, ErrorFormat] = {openai.NAME: openai}
_ERROR_MODULES: dict[str, ErrorFormat] = {**_MODULES, **_ERROR_ONLY}

ERROR_FORMATS: tuple[str, ...] = tuple(_ERROR_MODULES)
"""The formats whose error bodies can be read and written: `FORMATS` and `"openai"` (the
`{"error": {...}}` envelope of OpenAI-style gateways)."""


def _lookup(name: str, table: Mapping[str, M]) -> M:
    module = table.get(name) if isinstance(name, str) else None
    if module is not None:
        return module
    key = name.strip().lower().replace("-", "_") if isinstance(name, str) else ""
    module = table.get(key)
    if module is None:
        import difflib  # only for the suggestion; importing it costs a millisecond

        close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.5)
        raise UnknownFormatError(str(name), table, close[0] if close else None)
    return module


def get_format(name: str) -> Format:
    """The format module registered as `name`.

    Names are case-insensitive and `-` may stand for `_` (`"cohere-v2"`).

    Raises:
        UnknownFormatError: no such format; the error suggests the closest name.
    """
    return _lookup(name, _MODULES)


def get_error_format(name: str) -> ErrorFormat:
    """The module that reads and writes the error bodies of format `name` (see `get_format`).

    Raises:
        UnknownFormatError: no such error format; the error suggests the closest name.
    """
    return _lookup(name, _ERROR_MODULES)


def get_codec(name: str, kind: str) -> Codec[Any]:
    """The codec that reads `kind` (`"request"`, `"response"` or `"error"`) of format `name`.

    Raises:
        UnknownFormatError: no such format (or no such error format, for `"error"`).
        RerankFormatError: `kind` is not one of the three.
    """
    if kind == "error":
        return get_error_format(name).ERROR
    if kind == "request":
        return get_format(name).REQUEST
    if kind == "response":
        return get_format(name).RESPONSE
    raise RerankFormatError(
        f"kind must be 'request', 'response' or 'error', not {excerpt(str(kind))!r}"
    )


FEATURES: dict[str, str] = {
    "model": "`model` in requests",
    "top_n": "`top_n`",
    "return_documents": "`return_documents` (whether results echo documents)",
    "truncation": "`truncation` (Jina's switch)",
    "max_doc_length": "a token limit per document (`max_doc_length`, `max_tokens_per_doc`)",
    "return_embeddings": "`return_embeddings` (Jina v3)",
    "image_documents": "image documents (jina-reranker-m0)",
    "object_query": "a query given as an object (legacy Jina)",
    "response_documents": "documents echoed in results",
    "image_echo": "image documents echoed in results",
    "object_echo": "document objects echoed whole in results",
    "response_model": "`model` in responses",
    "embeddings": "embeddings in results (Jina v3)",
    "token_usage": "token usage in responses",
    "usage_required": "token usage in every response (clients read it)",
    "usage_split": "usage split into prompt and completion tokens",
    "reports_tokens": "the provider can report token usage (what Xinference's `return_len` asks)",
}
"""The canonical features a format may express exactly (the names in each `SUPPORTS`)."""


def support_matrix() -> list[tuple[str, dict[str, bool]]]:
    """Which format expresses which canonical feature: `(description, {format: bool})` rows,
    in the order of `FEATURES`, from each format module's `SUPPORTS`."""
    return [
        (description, {name: feature in _MODULES[name].SUPPORTS for name in FORMATS})
        for feature, description in FEATURES.items()
    ]
