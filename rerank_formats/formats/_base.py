"""What every format module shares: decoding with leftovers, documents, flags and errors."""

from __future__ import annotations

import functools
import json
import operator
import types
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Generic, Literal, NamedTuple, NoReturn, TypeVar, cast

import msgspec
import msgspec.inspect as mi
from msgspec import UNSET, UnsetType

from ..canonical import (
    Document,
    Extension,
    ImageDocument,
    ObjectDocument,
    RerankRequest,
    RerankResult,
    TextDocument,
)
from ..errors import DecodeError, Loss, LossKind, clip, clip_path, excerpt
from ..limits import DEFAULT_LIMITS, Limits, scan, shallow, too_deep
from ._walk import first_error

W = TypeVar("W")

Payload = bytes | bytearray | memoryview | str | Mapping[str, object]
"""What a decoder reads: JSON as bytes or str, or an already-parsed JSON object."""

WireDocument = str | TextDocument | dict[str, str]
"""A document as a wire Struct holds it: the fast path decodes `str | TextDocument`, the
general path `str | dict[str, str]`."""

FastDocument = str | TextDocument
GeneralDocument = str | dict[str, str]


class Wire(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, forbid_unknown_fields=True
):
    """The base of every wire Struct: immutable, keyword-only, absent fields left out when
    writing, and unknown keys refused by the fast path (the general path sets them aside).
    Subclasses repeat `frozen` and `kw_only` for mypy, which does not inherit them."""


ScoreScale = Literal["probability", "logit", "unknown"]
"""What a format's relevance scores are: probabilities in [0, 1] (Cohere promises them),
raw logits (any real number), or unknown (no range promised, or model-dependent)."""


_NO_HEADERS: Mapping[str, str] = types.MappingProxyType({})


class Endpoint(NamedTuple):
    """Where and how a format's server answers rerank requests, below its base URL.

    Attributes:
        method: the HTTP method (`"POST"`).
        path: the path (`"/v1/rerank"`).
        aliases: other paths the same server answers the same request at (vLLM's
            `/rerank` and `/v2/rerank` beside `/v1/rerank`).
        auth_header: the request header that carries the API key (`"Authorization"`;
            Pinecone's is `"Api-Key"`).
        auth_scheme: what precedes the key in that header (`"Bearer"`; `""` for the bare
            key).
        headers: headers every request to the server must carry besides the key
            (Pinecone's `X-Pinecone-Api-Version`).
        max_documents: how many documents the server takes in one request by default
            (TEI's `--max-client-batch-size` is 32), or None when it sets no such limit.
        signing: None when the key is sent as it is (in `auth_header`, after
            `auth_scheme`); `"sigv4:<service>"` when every request is signed with AWS
            Signature Version 4 for that signing name instead (Bedrock's
            `"sigv4:bedrock"`; `auth_header` and `auth_scheme` are then `Authorization`
            and `AWS4-HMAC-SHA256`, where the signature goes). The transport signs
            (`rerank_formats.sigv4`, the proxy's `upstream_aws_*` settings).
    """

    method: str
    path: str
    aliases: tuple[str, ...] = ()
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    headers: Mapping[str, str] = _NO_HEADERS
    max_documents: int | None = None
    signing: str | None = None

    @property
    def sigv4_service(self) -> str | None:
        """The SigV4 signing name when `signing` asks for SigV4 (`"bedrock"`), else None."""
        kind, _, service = (self.signing or "").partition(":")
        return service if kind == "sigv4" else None


class Leftovers(NamedTuple):
    """Keys a payload had that its wire Struct does not model."""

    fields: dict[str, object]
    results: dict[int, dict[str, object]]  # by position in `results`


NO_LEFTOVERS = Leftovers({}, {})
_RAW_FIELDS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RAW_ITEMS = msgspec.json.Decoder(list[dict[str, msgspec.Raw]])

_ENCODER = msgspec.json.Encoder()


def _itself(wire: Any) -> Any:
    return wire


def with_fields(body: bytes, fields: Mapping[str, object]) -> bytes:
    """A JSON object's bytes with more keys after its own (no re-decoding)."""
    if not fields:
        return body
    extra = _ENCODER.encode(fields)
    return extra if body == b"{}" else body[:-1] + b"," + extra[1:]


def json_type(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def translate(
    obj: object,
    target: Any,
    *,
    format: str,
    kind: str,
    prefix: str = "$",
    keeps: tuple[type, ...] = (),
) -> DecodeError:
    """The `DecodeError` for `obj`, which msgspec refused to convert to `target`: what is
    wrong and where, found by the library's own walk (`_walk`), never read from msgspec's
    message."""
    found = first_error(obj, target, keeps)
    if found is None:  # a rule the walk does not model: say so without guessing where
        return DecodeError(
            f"not a valid {kind}", path=prefix, type="invalid_value", format=format, kind=kind
        )
    path = prefix + found.path[1:]
    return DecodeError(found.message, path=path, type=found.type, format=format, kind=kind)


def to_utf8(data: bytes | bytearray | memoryview | str) -> bytes | bytearray | memoryview:
    """JSON text as UTF-8 bytes; a `str` with a lone surrogate (from `surrogateescape`
    decoding, say) is not valid Unicode and is refused as a `DecodeError`."""
    if not isinstance(data, str):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeError(
            f"not valid Unicode: a lone surrogate at character {exc.start:,}", type="invalid_json"
        ) from None


def parse_json(data: bytes | bytearray | memoryview) -> object:
    """JSON bytes to Python objects, or a `DecodeError` in the library's own words."""
    try:
        return msgspec.json.decode(data)
    except msgspec.ValidationError:  # the only rule an untyped parse applies: number ranges
        raise DecodeError(
            "a number is out of range (beyond a float, or an integer of over 4,300 digits)",
            type="out_of_range",
        ) from None
    except msgspec.DecodeError:
        raise _malformed(data) from None
    except RecursionError:
        raise DecodeError("nested deeper than the parser allows", type="too_deep") from None
    except UnicodeDecodeError:  # msgspec before 0.23
        raise DecodeError("not valid UTF-8", type="invalid_json") from None


def _malformed(data: bytes | bytearray | memoryview) -> DecodeError:
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return DecodeError("not valid UTF-8", type="invalid_json")
    where = ""
    try:
        json.loads(text)  # only for the position: the standard library's parser reports one
    except json.JSONDecodeError as exc:
        where = f" at line {exc.lineno:,}, column {exc.colno:,}"
    except (ValueError, RecursionError):
        pass
    return DecodeError(f"JSON is malformed{where}", type="invalid_json")


class Codec(Generic[W]):
    """Reads and writes one kind of payload of one format: it owns the wire in both directions.

    The fast path decodes bytes straight into a Struct that forbids unknown keys and reads
    documents as `str | TextDocument`. Anything else (unknown keys, other document objects,
    an already-parsed value, or an error) takes the general path: parse, set unknown keys
    aside as `Leftovers`, then convert into the general type, whose errors carry paths.
    Writing (`encode`) puts the unknown keys a payload of this format had back in place.

    The codec declares the payload's shape, so nothing else needs to know a wire key:

    - `nested=("results", Result)`: a JSON object whose list of results is under `results`;
      a dotted key (`"output.results"`) is a list inside nested objects (an envelope), and
      `""` a bare JSON array of results (`fast` and `general` are then `tuple[Result, ...]`
      and `struct` is `Result`);
    - `keep_unknown`: whether unknown keys are kept (read into `Leftovers`, written back)
      or refused by the provider (so writing them is a loss);
    - `keys`: the wire names of canonical fields the shared checks read, where they differ
      (`{"relevance_score": "score"}`);
    - `synonyms`: for a request whose documents or query may come under any of several
      top-level keys (vLLM's score: `text_2`, `documents`, `items`, `data_2`), those keys,
      so that every one is counted against the limits and a check names the key sent.
    """

    def __init__(
        self,
        *,
        format: str,
        kind: str,
        fast: Any,
        general: Any,
        struct: type[msgspec.Struct],
        nested: tuple[str, type[msgspec.Struct]] | None = None,
        keep_unknown: bool = True,
        keys: Mapping[str, str] | None = None,
        synonyms: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.format = format
        self.kind = kind
        self._counted = {"request": "documents", "response": "results"}.get(kind, "")
        """The list `Limits.max_documents` bounds, counted before any work per item."""
        self._fast_type = fast
        self._general = general
        nested_key, nested_struct = nested if nested else ("", None)
        self.nested_key = nested_key
        """Where the results are, as given (`"results"`, `"output.results"`, `""`)."""
        self.shape: Literal["object", "array"] = (
            "array" if nested is not None and not nested_key else "object"
        )
        """A JSON object, or a bare JSON array of results."""
        self.results_path: tuple[str, ...] = tuple(nested_key.split(".")) if nested_key else ()
        """The keys from the payload to its list of results (empty: the payload is the list)."""
        self.fields: frozenset[str] = frozenset(
            () if self.shape == "array" else struct.__struct_encode_fields__
        )
        """The payload's top-level keys (none for a bare array)."""
        self.keep_unknown = keep_unknown
        self.keeps_unknown: tuple[type, ...] = (
            *((struct,) if self.shape == "object" else ()),
            *((nested_struct,) if nested_struct else ()),
        )
        """The Structs whose unknown keys are kept (the payload, its results); any other
        nested Struct that forbids unknown keys refuses the payload."""
        self.nested_fields: frozenset[str] = frozenset(
            nested_struct.__struct_encode_fields__ if nested_struct else ()
        )
        self._nested = nested is not None
        self._keys = dict(keys or {})
        self.documents_key = self.key("documents")
        """The wire key of a request's documents (for the limits' paths)."""
        self.query_key = self.key("query")
        """The wire key of a request's query."""
        self._synonyms = {name: tuple(found) for name, found in (synonyms or {}).items()}
        self._count_synonyms = self._synonyms.get("documents", ()) if kind == "request" else ()
        self.results_at: str = "$" + "".join(f".{key}" for key in self.results_path)
        """The JSON path of the list of results: `$.results`, `$.data`, `$` (a bare array)."""
        self._results: Callable[[Any], Sequence[Any]] = (
            operator.attrgetter(".".join(self.results_path)) if self.results_path else _itself
        )
        # what `Limits.max_documents` bounds: a request's documents, a response's results
        self._count_path = (
            self.results_path if kind == "response" else tuple(self.key("documents").split("."))
        )
        self._count_at = "$" + "".join(f".{key}" for key in self._count_path)
        self._count_of: Callable[[Any], Sequence[Any]] = (
            operator.attrgetter(".".join(self._count_path)) if self._count_path else _itself
        )

    def key(self, name: str) -> str:
        """The wire key of canonical field `name` in this payload (`top_n`, `documents`,
        `relevance_score`, ...): the same name unless the codec declares another."""
        return self._keys.get(name, name)

    def keys_in(self, wire: Any) -> tuple[str, str]:
        """The wire keys of a decoded request's documents and query: `documents_key` and
        `query_key`, or the first of their `synonyms` that `wire` has."""
        if not self._synonyms:
            return self.documents_key, self.query_key
        return self._sent(wire, "documents", self.documents_key), self._sent(
            wire, "query", self.query_key
        )

    def _sent(self, wire: Any, name: str, default: str) -> str:
        for key in self._synonyms.get(name, ()):
            if getattr(wire, key, UNSET) is not UNSET:
                return key
        return default

    def results_of(self, wire: Any) -> Sequence[Any]:
        """The wire results of a decoded payload (empty for a payload without results)."""
        return self._results(wire) if self._nested else ()

    def results_in(self, body: object) -> list[Mapping[str, object]]:
        """The result objects of a parsed payload (for checks), skipping what is not one."""
        for key in self.results_path:
            body = body.get(key) if isinstance(body, Mapping) else None
        if not self._nested or not isinstance(body, list):
            return []
        return [r for r in body if type(r) is dict or isinstance(r, Mapping)]

    def encode(self, wire: Any, own: Extension | None = None) -> bytes:
        """The JSON body of a wire payload, with the unknown keys this format's own extension
        kept (`own`) written back in place when the codec keeps them: top-level keys after
        the known ones, result keys in the result of the same `index`."""
        if own is None or not self.keep_unknown:
            return _ENCODER.encode(wire)
        if own.results and self._nested:
            wire = self._with_results(wire, self.results_path, own.results)
        return with_fields(_ENCODER.encode(wire), unknown_fields(own, self.fields))

    def _with_results(
        self, wire: Any, path: tuple[str, ...], extras: Mapping[int, Mapping[str, object]]
    ) -> Any:
        if path:
            inner = self._with_results(getattr(wire, path[0]), path[1:], extras)
            return msgspec.structs.replace(wire, **{path[0]: inner})
        return tuple([self._with_extra(r, extras.get(getattr(r, "index", -1))) for r in wire])

    def _with_extra(self, result: Any, extra: Mapping[str, object] | None) -> Any:
        fields = {k: v for k, v in extra.items() if k not in self.nested_fields} if extra else {}
        if not fields:
            return result
        return msgspec.Raw(with_fields(_ENCODER.encode(result), fields))

    @property
    def general(self) -> Any:
        """The wire type the general path converts into (what validation and schemas use)."""
        return self._general

    @functools.cached_property
    def _fast(self) -> msgspec.json.Decoder[W]:
        return msgspec.json.Decoder(self._fast_type)  # built on first use: cheaper imports

    @functools.cached_property
    def _open_fields(self) -> tuple[str, ...]:
        """The fields whose shape the format leaves open (`meta`): any JSON may nest there."""
        info = mi.type_info(self._fast_type)
        if not isinstance(info, mi.StructType):
            return ()  # a bare array: its results have fixed shapes
        return tuple(f.name for f in info.fields if _open(f.type))

    def decode(self, data: Payload, limits: Limits = DEFAULT_LIMITS) -> tuple[W, Leftovers]:
        if type(data) is bytes or isinstance(data, (bytearray, memoryview, str)):
            if len(data) > limits.max_bytes:
                raise self.error(
                    f"the body is {len(data):,} bytes; the limit is {limits.max_bytes:,}",
                    type="too_large",
                )
            if isinstance(data, str):
                data = self._utf8(data)
            try:
                wire = self._fast.decode(data)
            except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
                pass  # the general path says what is wrong, with a path
            else:
                if self._counted:
                    self._check_counted(wire, limits)
                self._check_open_fields(wire, limits)
                return wire, NO_LEFTOVERS
            found = self._with_unknown_keys(data, limits)
            if found is not None:
                return found
            return self.convert(self.parse(data), limits, parsed=True)
        return self.convert(data, limits)

    @functools.cached_property
    def _tolerant(self) -> msgspec.json.Decoder[W]:
        """The fast path's type, quiet about unknown keys at the top level only."""
        tolerant = types.new_class("Tolerant", (self._fast_type,), {"forbid_unknown_fields": False})
        return msgspec.json.Decoder(tolerant)

    def _with_unknown_keys(
        self, data: bytes | bytearray | memoryview | str, limits: Limits
    ) -> tuple[W, Leftovers] | None:
        """A payload whose only surprise is unknown top-level keys (a provider's new field),
        decoded into the same Structs at C speed with those keys set aside, as the general
        path would; None for anything else, and for anything too deep, which the general path
        reads and reports."""
        if self.shape == "array":
            return self._with_unknown_result_keys(data, limits)
        try:
            wire = self._tolerant.decode(data)
            raw = _RAW_FIELDS.decode(data)
            fields = {k: msgspec.json.decode(v) for k, v in raw.items() if k not in self.fields}
        except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
            return None
        depth = limits.max_depth
        if not shallow(fields, depth) and too_deep(fields, depth) is not None:
            return None
        for name in self._open_fields:
            value = getattr(wire, name)
            if not shallow(value, depth - 1) and too_deep(value, depth - 1) is not None:
                return None
        if self._counted:
            self._check_counted(wire, limits)
        return wire, Leftovers(fields, {})

    @functools.cached_property
    def _tolerant_results(self) -> msgspec.json.Decoder[Any] | None:
        """A bare array's fast type, quiet about unknown keys in its results; None unless
        its results are a plain Struct."""
        args: tuple[Any, ...] = getattr(self._fast_type, "__args__", ())
        result = args[0] if len(args) == 2 and args[1] is Ellipsis else None
        if not (isinstance(result, type) and issubclass(result, msgspec.Struct)):
            return None
        tolerant = types.new_class("Tolerant", (result,), {"forbid_unknown_fields": False})
        return msgspec.json.Decoder(tuple[tolerant, ...])  # type: ignore[valid-type]

    def _with_unknown_result_keys(
        self, data: bytes | bytearray | memoryview | str, limits: Limits
    ) -> tuple[W, Leftovers] | None:
        """A bare array whose only surprise is unknown keys in its results, decoded at C
        speed with those keys set aside per position, as the general path would; None for
        anything else, and for anything too deep."""
        decoder = self._tolerant_results
        if decoder is None:
            return None
        try:
            wire = decoder.decode(data)
            items = _RAW_ITEMS.decode(data)
        except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
            return None
        self._check_count(len(items), limits)  # before any work per item
        known = self.nested_fields
        nested: dict[int, dict[str, object]] = {}
        try:
            for position, item in enumerate(items):
                if not known.issuperset(item):
                    nested[position] = {
                        k: msgspec.json.decode(v) for k, v in item.items() if k not in known
                    }
        except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
            return None
        # the array and its results are two levels: what nests below them is `nested`'s
        depth = limits.max_depth
        if not shallow(nested, depth) and too_deep(nested, depth) is not None:
            return None
        return cast(W, wire), Leftovers({}, nested)

    def decode_read(
        self,
        raw: bytes | bytearray | memoryview | None,
        obj: object,
        limits: Limits,
        *,
        deep_checked: bool = True,
    ) -> tuple[W, Leftovers]:
        """`decode` for a payload already parsed into `obj` (from `raw` when it came as
        JSON text) and checked against `limits` (size, count, and depth unless
        `deep_checked` is false), as `validate` reads it: the fast decoder on `raw` (whose
        types bound the depth, and which checks the open fields'), else the general path on
        `obj`, which checks the depth first when it was not."""
        if raw is not None:
            try:
                wire = self._fast.decode(raw)
            except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
                pass
            else:
                self._check_open_fields(wire, limits)
                return wire, NO_LEFTOVERS
            if not deep_checked:
                return self.convert(obj, limits, parsed=True)
        return self._convert(obj)

    def parse(self, data: bytes | bytearray | memoryview | str) -> object:
        """JSON text to Python objects, or a `DecodeError`."""
        if not (data.strip() if isinstance(data, str) else bytes(data).strip()):
            raise self.error("the body is empty", type="invalid_json")
        try:
            return parse_json(self._utf8(data))
        except DecodeError as error:
            raise self.error(error.message, path=error.path, type=error.type) from None

    def _utf8(self, data: bytes | bytearray | memoryview | str) -> bytes | bytearray | memoryview:
        try:
            return to_utf8(data)
        except DecodeError as error:
            raise self.error(error.message, type=error.type) from None

    def count(self, obj: object, limits: Limits) -> None:
        """Refuse a parsed payload with more documents (or results) than `limits` allow."""
        if not self._counted:
            return
        if self._count_synonyms:
            for key in self._count_synonyms:
                value = obj.get(key) if isinstance(obj, Mapping) else None
                if isinstance(value, (list, tuple)):
                    self._check_count(len(value), limits, f"$.{key}")
            return
        for key in self._count_path:
            obj = obj.get(key) if isinstance(obj, Mapping) else None
        if isinstance(obj, (list, tuple)):
            self._check_count(len(obj), limits)

    def _check_counted(self, wire: Any, limits: Limits) -> None:
        if self._count_synonyms:
            for key in self._count_synonyms:
                value = getattr(wire, key, UNSET)
                if isinstance(value, (tuple, list)):  # vLLM's score takes one bare, too
                    self._check_count(len(value), limits, f"$.{key}")
            return
        counted = self._count_of(wire)
        if isinstance(counted, (tuple, list)):  # vLLM's score takes one document bare, too
            self._check_count(len(counted), limits)

    def _check_count(self, count: int, limits: Limits, at: str | None = None) -> None:
        if count > limits.max_documents:
            raise self.error(
                f"{count:,} {self._counted}; the limit is {limits.max_documents:,}",
                path=at or self._count_at,
                type="too_many_documents",
            )

    def _check_open_fields(self, wire: W, limits: Limits) -> None:
        for name in self._open_fields:
            value = getattr(wire, name)
            if value is UNSET or value is None or shallow(value, limits.max_depth - 1):
                continue  # not sent (the usual), or surely within the limit
            where = too_deep(value, limits.max_depth - 1)
            if where is not None:
                self._too_deep(f"$.{name}{where[1:]}", limits)

    def _too_deep(self, path: str, limits: Limits) -> NoReturn:
        raise self.error(
            f"nested deeper than {limits.max_depth} levels", path=path, type="too_deep"
        )

    def convert(
        self, obj: object, limits: Limits = DEFAULT_LIMITS, *, parsed: bool = False
    ) -> tuple[W, Leftovers]:
        """A parsed payload into the general wire Struct, with its leftovers. `parsed`: the
        library parsed it itself (so it cannot hold what JSON text cannot)."""
        self.count(obj, limits)  # before any work per item
        found = scan(obj, limits.max_depth, leaves=not parsed)
        if found is not None:
            path, type, message = found
            if type == "too_deep":
                self._too_deep(path, limits)
            raise self.error(message, path=path, type=type)
        return self._convert(obj)

    def _convert(self, obj: object) -> tuple[W, Leftovers]:
        nested: dict[int, dict[str, object]] = {}
        if self.shape == "array":
            if not isinstance(obj, list):
                raise self.error(f"expected a JSON array, got {json_type(obj)}", type="wrong_type")
            return self._typed(self._split_list(obj, nested)), Leftovers({}, nested)
        if not isinstance(obj, Mapping):
            raise self.error(f"expected a JSON object, got {json_type(obj)}", type="wrong_type")
        known: dict[str, object] = {}
        unknown: dict[str, object] = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise self.error("object keys must be strings", type="wrong_type")
            (known if key in self.fields else unknown)[key] = value
        if self.results_path:
            known = self._split_at(known, self.results_path, nested)
        return self._typed(known), Leftovers(unknown, nested)

    def _typed(self, obj: object) -> W:
        try:
            return cast(W, msgspec.convert(obj, self._general))
        except msgspec.MsgspecError:
            raise translate(
                obj, self._general, format=self.format, kind=self.kind, keeps=self.keeps_unknown
            ) from None

    def _split_at(
        self, obj: dict[str, object], path: tuple[str, ...], nested: dict[int, dict[str, object]]
    ) -> dict[str, object]:
        """`obj` with the result objects at `path` cut to their known keys (a copy)."""
        value = obj.get(path[0])
        if len(path) > 1 and isinstance(value, Mapping):
            return {**obj, path[0]: self._split_at(dict(value), path[1:], nested)}
        if len(path) == 1 and isinstance(value, list):
            return {**obj, path[0]: self._split_list(value, nested)}
        return obj

    def _split_list(
        self, items: list[object], nested: dict[int, dict[str, object]]
    ) -> list[object]:
        return [self._split(item, position, nested) for position, item in enumerate(items)]

    def _split(self, item: object, position: int, nested: dict[int, dict[str, object]]) -> object:
        if not isinstance(item, Mapping) or all(key in self.nested_fields for key in item):
            return item
        nested[position] = {k: v for k, v in item.items() if k not in self.nested_fields}
        return {k: v for k, v in item.items() if k in self.nested_fields}

    def error(self, message: str, *, path: str = "$", type: str) -> DecodeError:
        return DecodeError(message, path=path, type=type, format=self.format, kind=self.kind)


def _open(t: mi.Type) -> bool:
    if isinstance(t, mi.CustomType):
        return t.cls is object
    if isinstance(t, mi.UnionType):
        return any(_open(member) for member in t.types)
    if isinstance(t, (mi.DictType, mi.ListType, mi.VarTupleType)):
        return _open(t.value_type if isinstance(t, mi.DictType) else t.item_type)
    return False


def convert_at(obj: object, target: Any, *, path: str, format: str, kind: str) -> Any:
    """`msgspec.convert` a piece of a payload, reporting errors at `path` inside it."""
    try:
        return msgspec.convert(obj, target)
    except msgspec.MsgspecError:
        raise translate(obj, target, format=format, kind=kind, prefix=path) from None


def to_document(value: WireDocument, *, images: bool) -> Document:
    """A canonical document from a wire one (`images`: whether `{"image"}` means an image)."""
    if not isinstance(value, dict):
        return value  # str or TextDocument, straight from the fast path
    if len(value) == 1:
        if "text" in value:
            return TextDocument(text=value["text"])
        if images and "image" in value:
            return ImageDocument(image=value["image"])
    return ObjectDocument(fields=value)


def to_documents(values: Iterable[WireDocument], *, images: bool) -> tuple[Document, ...]:
    """Canonical documents from wire ones, the usual `{"text": ...}` objects with no call each."""
    return tuple(
        [
            TextDocument(text=v["text"])
            if type(v) is dict and len(v) == 1 and "text" in v
            else to_document(v, images=images)
            for v in values
        ]
    )


def document_types(documents: Sequence[object]) -> set[type]:
    """The types of `documents`, found at C speed: when they are all plain (`str`, or
    `TextDocument` where the format takes it), a conversion skips its per-document work."""
    return set(map(type, documents))


def canonical_documents(
    documents: tuple[WireDocument, ...], left: Leftovers, *, images: bool
) -> tuple[Document, ...]:
    """Canonical documents from wire ones; the fast path's are canonical already."""
    if left is NO_LEFTOVERS or dict not in document_types(documents):
        # the fast path (or unknown top-level keys only): documents are already canonical
        return documents  # type: ignore[return-value]
    return to_documents(documents, images=images)


def text_of(document: Document) -> tuple[str, bool]:
    """The text a strings-only format gets for `document`, and whether that loses something.

    An object's `text` stands for it (Cohere ranks objects on `text`); an object without one
    becomes its fields as `key: value` lines, the way Cohere recommends structured data for
    v2, which loses the structure; an image has no text (its URL is sent).
    """
    if type(document) is str:
        return document, False
    if isinstance(document, TextDocument):
        return document.text, False
    if isinstance(document, ImageDocument):
        return document.image, True
    if isinstance(document, ObjectDocument):
        fields = document.fields
        if "text" in fields:
            return fields["text"], False
        return "\n".join(f"{key}: {value}" for key, value in fields.items()), True
    raise TypeError(type(document).__name__)


def document_for_loss(document: Document) -> str:
    """A short name of a document's shape, for loss reasons."""
    if isinstance(document, ImageDocument):
        return "an image document"
    if isinstance(document, ObjectDocument) and not document.fields:
        return "an empty document object"
    if isinstance(document, ObjectDocument):
        return "a document object with fields " + ", ".join(
            f"`{excerpt(key, 20)}`" for key in list(document.fields)[:4]
        )
    return "a text document"


def read_flag(
    value: object,
    key: str,
    *,
    default: bool,
    coerce: Callable[[object], bool],
    fields: dict[str, object],
    defaulted: set[str],
    field: str | None = None,
) -> bool:
    """A boolean from the wire in a format whose default is `default`, remembering spelling.

    `key` is the wire key and `field` the canonical field it fills (the same name unless
    given: TEI's `return_text` fills `return_documents`). An absent key becomes `default`
    (the canonical `field` is recorded in `defaulted`); a value that is not a JSON boolean is
    coerced and its spelling kept in `fields` under the wire `key`, so the same format writes
    it back (`write_flag` with the same `key` and `field`).
    """
    if value is UNSET:
        defaulted.add(field or key)
        return default
    if value is True or value is False:
        return value
    fields[key] = value
    return coerce(value)


def write_flag(
    value: bool | UnsetType | None,
    key: str,
    *,
    default: bool,
    coerce: Callable[[object], bool],
    own: Extension | None,
    field: str | None = None,
) -> Any:
    """The wire value (at wire `key`) of a canonical boolean `field` (`key` unless given)
    whose Jina default is true, in a format whose default is `default`: written explicitly,
    unless this format's own extension says how it was spelled (or that it was absent) and
    the meaning has not changed since."""
    effective = value is not False
    if own is not None:
        if key in own.fields and coerce(own.fields[key]) == effective:
            return own.fields[key]
        if (field or key) in own.defaulted and effective == default:
            return UNSET
    return effective


def kept(own: Extension | None, key: str) -> Any:
    """A wire value this format kept in its extension when it decoded the object, or UNSET."""
    return own.fields.get(key, UNSET) if own is not None else UNSET


def own_extension(extensions: Mapping[str, Extension], name: str) -> Extension | None:
    """The extension a format wrote when it decoded this object, if any."""
    return extensions.get(name) if extensions else None


def extension_map(
    name: str,
    fields: dict[str, object],
    defaulted: set[str] | frozenset[str] = frozenset(),
    results: dict[int, dict[str, object]] | None = None,
    *,
    at_default: Collection[str] = (),
    absent: Collection[str] = (),
) -> dict[str, Extension]:
    """The `extensions` value for what format `name` decoded; empty when there is nothing."""
    if not fields and not defaulted and not results and not at_default and not absent:
        return {}
    return {
        name: Extension(
            fields=fields,
            defaulted=frozenset(defaulted),
            results=results or {},
            at_default=frozenset(at_default),
            absent=frozenset(absent),
        )
    }


def defaults_sent(defaults: Mapping[str, object], **sent: tuple[str, object]) -> set[str]:
    """The canonical fields whose wire value equals the provider's documented default.

    `defaults` maps wire keys to their defaults; `sent` maps wire keys to (canonical field,
    value sent). Types must match too: `true` is not a default of 1."""
    return {
        field
        for key, (field, value) in sent.items()
        if key in defaults and is_default(value, defaults[key])
    }


def is_default(value: object, default: object) -> bool:
    """Whether a wire value is a provider's documented default (of the same JSON type)."""
    return type(value) is type(default) and value == default


def kept_fields(left: Leftovers, **present: object) -> dict[str, object]:
    """An extension's `fields`: the unknown keys, then this format's own keys that were sent."""
    sent = {key: value for key, value in present.items() if value is not UNSET}
    return {**left.fields, **sent} if left.fields else sent


def kept_results(left: Leftovers, results: Sequence[Any]) -> dict[int, dict[str, object]] | None:
    """Unknown result keys, by the result's `index` rather than its position."""
    if not left.results:
        return None
    return {results[position].index: extra for position, extra in left.results.items()}


def results_to_canonical(
    results: Sequence[Any], left: Leftovers, *, images: bool, embeddings: bool = False
) -> tuple[RerankResult, ...]:
    """Canonical results from wire ones (which have `index`, `relevance_score`, `document`,
    and `embedding` when `embeddings`). This is the hot loop of a response conversion."""
    if left is NO_LEFTOVERS or (not left.results and dict not in field_types(results, "document")):
        # the fast path (or unknown top-level keys only): documents are already canonical
        if embeddings:
            return tuple(
                [
                    RerankResult(
                        index=r.index,
                        relevance_score=r.relevance_score,
                        document=r.document,
                        embedding=r.embedding,
                    )
                    for r in results
                ]
            )
        return tuple(
            [
                RerankResult(index=r.index, relevance_score=r.relevance_score, document=r.document)
                for r in results
            ]
        )
    return tuple(
        [
            RerankResult(
                index=r.index,
                relevance_score=r.relevance_score,
                document=to_document(r.document, images=images)
                if isinstance(r.document, dict)
                else r.document,
                embedding=r.embedding if embeddings else UNSET,
            )
            for r in results
        ]
    )


class Sink:
    """Collects the losses of one conversion, all attributed to the format being written.

    A loss is of kind `"ranking"` unless the caller says it only changes reporting: a loss
    nobody classified is the kind that refuses a conversion under `on_loss="raise_ranking"`.
    """

    __slots__ = ("format", "losses")

    def __init__(self, format: str) -> None:
        self.format = format
        self.losses: list[Loss] = []

    quiet = False
    """True for a sink that keeps nothing: the caller will ignore every loss, so the checks
    that only look for losses need not run."""

    def __call__(self, path: str, reason: str, kind: LossKind = "ranking") -> None:
        self.losses.append(
            Loss(format=self.format, path=clip_path(path), reason=clip(reason), kind=kind)
        )


class QuietSink(Sink):
    """A `Sink` for `on_loss="ignore"`: the policy is decided before any loss is built, so a
    writer's report costs a call and nothing else, and the loss-only checks are skipped."""

    __slots__ = ()
    quiet = True

    def __call__(self, path: str, reason: str, kind: LossKind = "ranking") -> None:
        pass


def at_default(extensions: Mapping[str, Extension], field: str) -> bool:
    """Whether the format a canonical object was read from sent `field` at the value its
    provider assumes anyway (Cohere v2's `max_tokens_per_doc: 4096`): no meaning to lose."""
    return any(field in extension.at_default for extension in extensions.values())


def check_unset(
    sink: Sink, request: RerankRequest, field: str, reason: str, kind: LossKind = "ranking"
) -> None:
    """Report a loss when a canonical field the target cannot express carries a value, unless
    that value is only the default of the format it was read from."""
    if sink.quiet:
        return
    value = getattr(request, field)
    if value is not UNSET and value is not None and not at_default(request.extensions, field):
        sink(f"$.{field}", reason, kind)


def unknown_fields(extension: Extension | None, known: frozenset[str]) -> dict[str, object]:
    """An extension's keys that the wire Struct does not model: the ones to write verbatim."""
    if extension is None or not extension.fields:
        return {}
    return {k: v for k, v in extension.fields.items() if k not in known}


def field_types(
    results: Sequence[RerankResult], name: Literal["document", "embedding"]
) -> set[type]:
    """The types of one field of every result (`"document"`, `"embedding"`), in one set
    comprehension: on CPython 3.11 its specialised attribute reads take half the time of
    `map(operator.attrgetter(name), ...)`."""
    if name == "document":
        return {type(r.document) for r in results}
    return {type(r.embedding) for r in results}


def reused(
    results: tuple[RerankResult, ...], documents: set[type], *, embeddings: bool = False
) -> tuple[Any, ...] | None:
    """`results` themselves, when they encode exactly as a format's wire results would, so
    that its writer need not build its own per result; else None.

    The canonical results are Jina-shaped (`index`, `relevance_score`, then `document` and
    `embedding` when set), so they do when every document's type is among `documents`
    (`UnsetType` for none) and, unless the format writes `embeddings`, none has one.
    """
    if results and type(results[0].document) not in documents:
        return None  # the usual reason, seen in the first result without a pass over them all
    if not field_types(results, "document") <= documents:
        return None
    if not embeddings and not field_types(results, "embedding") <= {UnsetType}:
        return None
    return results


def embedding_losses(results: Sequence[RerankResult], sink: Sink, at: str = "$.results") -> None:
    """Report every result's embedding, for a format that returns none (`at`: the path of
    its results, `Codec.results_at`)."""
    if sink.quiet:
        return
    if field_types(results, "embedding") <= {UnsetType, type(None)}:
        return  # none to report, found without a Python loop
    for position, result in enumerate(results):
        if result.embedding is not UNSET and result.embedding is not None:
            sink(
                f"{at}[{position}].embedding",
                f"{sink.format} does not return embeddings",
                "reporting",
            )


def keeps_unknown(*codecs: Codec[Any]) -> frozenset[str]:
    """The kinds whose unknown keys a format keeps and writes back (its `KEEPS_UNKNOWN`), as
    its codecs declare them."""
    return frozenset(codec.kind for codec in codecs if codec.keep_unknown)
