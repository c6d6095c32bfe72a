"""The registered formats, and lookup by name with a "did you mean".

Adding a format is one module in `rerank_formats/formats/` and its name in `FormatName` (or,
for a format that only has error bodies, in `ErrorFormatName`): the registry imports the
module of each name, in that order; docs/adding-a-format.md walks through it. Every module is checked when it is registered (`check_format`): its face
(`FACE`, `ERROR_FACE`) and the contracts the shared code relies on, each failure one clear
message.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, NoReturn, Protocol, TypeVar, cast, get_args

from .canonical import RerankError, RerankRequest, RerankResponse
from .errors import LossKind, RerankFormatError, UnknownFormatError, excerpt
from .formats._base import Codec, Endpoint, Leftovers, ScoreScale, Sink
from .formats._checks import Report, Severity

__all__ = [
    "ERROR_FACE",
    "ERROR_FORMATS",
    "FACE",
    "FEATURES",
    "FORMATS",
    "OPTIONAL",
    "SCORE_SCALES",
    "Endpoint",
    "ErrorFormat",
    "ErrorFormatName",
    "Format",
    "FormatName",
    "ScoreScale",
    "check_format",
    "get_codec",
    "get_error_format",
    "get_format",
    "support_matrix",
]

M = TypeVar("M")

FormatName = Literal[
    "jina",
    "cohere_v1",
    "cohere_v2",
    "xinference",
    "tei",
    "llama_cpp",
    "vllm",
    "vllm_score",
    "infinity",
    "together",
    "siliconflow",
    "dashscope",
    "pinecone",
    "bedrock",
    "voyage",
    "mixedbread",
    "nim",
]
"""The name of a request-and-response format, for type checkers: `FORMATS`, spelled as
registered (the functions also take `"cohere-v2"` or `"Cohere_V2"` at run time). The one
list of formats: each name is the module `rerank_formats.formats.<name>`."""

ErrorFormatName = Literal[FormatName, "openai"]
"""The name of a format whose error bodies can be read and written: `ERROR_FORMATS`, which
are `FORMATS` and the formats that only have error bodies (their modules too)."""


class ErrorFormat(Protocol):
    """What a format module provides for error bodies (checked by mypy)."""

    @property
    def NAME(self) -> ErrorFormatName: ...  # noqa: N802
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
    def check(self, kind: str, body: Any, report: Report) -> None: ...


class Format(ErrorFormat, Protocol):
    """What every request-and-response format module provides (checked by mypy)."""

    @property
    def NAME(self) -> FormatName: ...  # noqa: N802 - module constants are upper case
    @property
    def SUPPORTS(self) -> frozenset[str]: ...  # noqa: N802
    @property
    def REQUIRES(self) -> frozenset[str]: ...  # noqa: N802
    @property
    def ENDPOINT(self) -> Endpoint: ...  # noqa: N802
    @property
    def SCORE_SCALE(self) -> ScoreScale: ...  # noqa: N802
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


FEATURES: dict[str, str] = {
    "model": "`model` in requests",
    "top_n": "`top_n`",
    "return_documents": "`return_documents`",
    "truncation": "`truncation` (Jina's switch)",
    "max_doc_length": "a token limit per document",
    "return_embeddings": "`return_embeddings` (Jina v3)",
    "image_documents": "image documents (jina-reranker-m0)",
    "object_query": "an object query (legacy Jina)",
    "response_documents": "documents echoed in results",
    "image_echo": "image documents echoed",
    "object_echo": "document objects echoed whole",
    "response_model": "`model` in responses",
    "embeddings": "embeddings in results (Jina v3)",
    "token_usage": "token usage in responses",
    "usage_required": "usage in every response (always read)",
    "usage_split": "usage split: prompt and completion",
    "reports_tokens": "can report token usage (`return_len`)",
}
"""The canonical features a format may express exactly (the names in each `SUPPORTS`), each
with a short description (at most 38 characters: the support matrix fits 80 columns)."""


ERROR_FACE: tuple[str, ...] = (
    "NAME",
    "PROVIDER",
    "ERROR",
    "STATUSES",
    "STATUS_MAP",
    "UNKNOWN_FIELDS",
    "error_to_canonical",
    "error_from_canonical",
    "error_from_text",
    "check",
)
"""The names every format module's `__all__` lists for its error bodies."""

FACE: tuple[str, ...] = (
    *ERROR_FACE,
    "SUPPORTS",
    "REQUIRES",
    "ENDPOINT",
    "SCORE_SCALE",
    "KEEPS_UNKNOWN",
    "DEFAULTS",
    "REQUEST",
    "RESPONSE",
    "field_loss",
    "request_to_canonical",
    "request_from_canonical",
    "response_to_canonical",
    "response_from_canonical",
)
"""The names every request-and-response format module's `__all__` lists: its public face.

Four functions are optional: `usage_from_headers(headers) -> Usage | None`, for usage in
response headers (TEI's `x-compute-tokens`); `error_code_from_headers(headers) -> str | None`,
for an error named in response headers (Bedrock's `x-amzn-ErrorType`);
`response_scale(request) -> ScoreScale`, for a format whose score scale depends on the request
(TEI's `raw_scores`): it reads its own knob from `request.extensions.get(NAME)`, and answers
`SCORE_SCALE` for `None`; and `response_in_context(response, request) -> RerankResponse`, for
documents that read differently in the context of the request (Together's JSON-text objects,
`context.in_context`)."""

OPTIONAL: tuple[str, ...] = (
    "usage_from_headers",
    "error_code_from_headers",
    "response_scale",
    "response_in_context",
)
"""The optional functions of a format module; when defined, each must be callable."""

SCORE_SCALES: tuple[ScoreScale, ...] = ("probability", "logit", "unknown")
_REQUIRABLE = frozenset(RerankRequest.__struct_fields__) - {"query", "documents", "extensions"}


def check_format(module: Any, *, errors_only: bool = False) -> Any:
    """Check a format module before it is registered, and return it.

    Checks its face (every name of `FACE`, or `ERROR_FACE` when `errors_only`, in its
    `__all__` and defined) and the contracts the shared code relies on: `STATUSES` holds 400
    and 500 (the fallbacks of `map_status`), `SUPPORTS` names only `FEATURES`, `REQUIRES`
    only optional canonical request fields, `SCORE_SCALE` is one of `SCORE_SCALES`, the
    `OPTIONAL` functions it defines are callable, `ENDPOINT` is an `Endpoint` with absolute
    paths (and a batch limit of at least 1, if any, and a `signing` of `"sigv4:<service>"`
    exactly when its scheme is SigV4's `AWS4-HMAC-SHA256`), and each codec is this format's and of
    its kind.

    Raises:
        RerankFormatError: the first broken contract, naming the module and what to fix.
    """
    name = getattr(module, "NAME", getattr(module, "__name__", repr(module)))

    def fail(problem: str) -> NoReturn:
        raise RerankFormatError(f"format module {name!r}: {problem}")

    face = ERROR_FACE if errors_only else FACE
    listed = set(getattr(module, "__all__", ()))
    for attribute in face:
        if attribute not in listed or not hasattr(module, attribute):
            fail(f"`{attribute}` must be defined and listed in `__all__`")
    if not {400, 500} <= set(module.STATUSES):
        fail("STATUSES must hold 400 and 500 (what an undeclared status maps to)")
    codecs = [("error", module.ERROR)]
    if not errors_only:
        codecs += [("request", module.REQUEST), ("response", module.RESPONSE)]
        unknown = set(module.SUPPORTS) - set(FEATURES)
        if unknown:
            fail(f"SUPPORTS names unknown features {sorted(unknown)}; known: see FEATURES")
        if not set(module.REQUIRES) <= _REQUIRABLE:
            fail(f"REQUIRES may name only {sorted(_REQUIRABLE)}")
        if module.SCORE_SCALE not in SCORE_SCALES:
            fail(f"SCORE_SCALE must be one of {SCORE_SCALES}, not {module.SCORE_SCALE!r}")
        _check_optional(module, fail)
        _check_endpoint(module.ENDPOINT, fail)
    for kind, codec in codecs:
        if not isinstance(codec, Codec) or codec.kind != kind or codec.format != name:
            fail(f"its {kind} codec must be a Codec(format=NAME, kind={kind!r}, ...)")
    return module


def _check_optional(module: object, fail: Callable[[str], NoReturn]) -> None:
    for optional in OPTIONAL:
        if not callable(getattr(module, optional, callable)):
            fail(f"`{optional}` must be a function when it is defined")


def _check_endpoint(endpoint: object, fail: Callable[[str], NoReturn]) -> None:
    if not isinstance(endpoint, Endpoint) or not all(
        path.startswith("/") for path in (endpoint.path, *endpoint.aliases)
    ):
        fail('ENDPOINT must be an Endpoint(method="POST", path="/...")')
    if endpoint.max_documents is not None and endpoint.max_documents < 1:
        fail("ENDPOINT.max_documents must be None or at least 1")
    if endpoint.signing is not None and not (
        re.fullmatch(r"sigv4:[a-z0-9][a-z0-9-]*", endpoint.signing)
        and (endpoint.auth_header, endpoint.auth_scheme) == ("Authorization", "AWS4-HMAC-SHA256")
    ):
        fail(
            'ENDPOINT.signing must be None or "sigv4:<service>", with auth_header'
            ' "Authorization" and auth_scheme "AWS4-HMAC-SHA256"'
        )
    if endpoint.signing is None and endpoint.auth_scheme == "AWS4-HMAC-SHA256":
        fail(
            'an ENDPOINT whose auth_scheme is "AWS4-HMAC-SHA256" must declare signing="sigv4:<service>"'
        )


def _load(name: str, *, errors_only: bool = False) -> Any:
    module = importlib.import_module(f"{__package__}.formats.{name}")
    if getattr(module, "NAME", None) != name:
        raise RerankFormatError(f"format module {name!r}: NAME must be {name!r}")
    return check_format(module, errors_only=errors_only)


_MODULES: dict[str, Format] = {name: _load(name) for name in get_args(FormatName)}

# The Literals are written out for type checkers; a test keeps them equal to these tuples.
FORMATS: tuple[FormatName, ...] = cast("tuple[FormatName, ...]", tuple(_MODULES))
"""The registered format names, in the order of `FormatName` (the seed formats first:
`"jina"`, `"cohere_v1"`, `"cohere_v2"`, `"xinference"`)."""


_ERROR_ONLY: dict[str, ErrorFormat] = {
    name: _load(name, errors_only=True)
    for name in get_args(ErrorFormatName)
    if name not in _MODULES
}
_ERROR_MODULES: dict[str, ErrorFormat] = {**_MODULES, **_ERROR_ONLY}

ERROR_FORMATS: tuple[ErrorFormatName, ...] = cast(
    "tuple[ErrorFormatName, ...]", tuple(_ERROR_MODULES)
)
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


def support_matrix() -> list[tuple[str, dict[str, bool]]]:
    """Which format expresses which canonical feature: `(description, {format: bool})` rows,
    in the order of `FEATURES`, from each format module's `SUPPORTS`."""
    return [
        (description, {name: feature in _MODULES[name].SUPPORTS for name in FORMATS})
        for feature, description in FEATURES.items()
    ]
