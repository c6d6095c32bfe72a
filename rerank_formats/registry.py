"""The registered formats, and lookup by name with a "did you mean".

Adding a format is one module in `rerank_formats/formats/` and one entry in `_MODULES`.
"""

from __future__ import annotations

import difflib
from typing import Any, Protocol

from .canonical import RerankRequest, RerankResponse
from .errors import UnknownFormatError
from .formats import cohere_v1, cohere_v2, jina, xinference
from .formats._base import Codec, Leftovers, Sink

__all__ = ["FORMATS", "Format", "get_format"]


class Format(Protocol):
    """What every module in `rerank_formats.formats` provides (checked by mypy)."""

    @property
    def NAME(self) -> str: ...  # noqa: N802 - module constants are upper case
    @property
    def SUPPORTS(self) -> frozenset[str]: ...  # noqa: N802
    @property
    def KEEPS_UNKNOWN(self) -> frozenset[str]: ...  # noqa: N802
    @property
    def REQUEST(self) -> Codec[Any]: ...  # noqa: N802
    @property
    def RESPONSE(self) -> Codec[Any]: ...  # noqa: N802

    def field_loss(
        self, kind: str, key: str, value: object, target: str, supports: frozenset[str]
    ) -> str | None: ...
    def request_to_canonical(self, wire: Any, left: Leftovers) -> RerankRequest: ...
    def request_from_canonical(self, request: RerankRequest, sink: Sink) -> Any: ...
    def response_to_canonical(self, wire: Any, left: Leftovers) -> RerankResponse: ...
    def response_from_canonical(self, response: RerankResponse, sink: Sink) -> Any: ...


_MODULES: dict[str, Format] = {m.NAME: m for m in (jina, cohere_v1, cohere_v2, xinference)}

FORMATS: tuple[str, ...] = tuple(_MODULES)
"""The registered format names: `("jina", "cohere_v1", "cohere_v2", "xinference")`."""


def get_format(name: str) -> Format:
    """The format module registered as `name`.

    Names are case-insensitive and `-` may stand for `_` (`"cohere-v2"`).

    Raises:
        UnknownFormatError: no such format; the error suggests the closest name.
    """
    key = name.strip().lower().replace("-", "_") if isinstance(name, str) else ""
    module = _MODULES.get(key)
    if module is None:
        close = difflib.get_close_matches(key, FORMATS, n=1, cutoff=0.5)
        raise UnknownFormatError(str(name), FORMATS, close[0] if close else None)
    return module
