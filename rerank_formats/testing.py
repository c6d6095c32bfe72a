"""Hypothesis strategies for property-testing code that handles rerank payloads.

For a proxy author: draw the bodies your clients and upstreams may send, valid ones and
near-valid mutations of them, and check that your code answers every one sensibly.

    from hypothesis import given
    from rerank_formats import testing

    @given(body=testing.requests("cohere_v2"))
    def test_my_proxy_accepts_cohere_v2_clients(body: bytes) -> None: ...

Importing this module needs hypothesis (`pip install rerank-formats[testing]`); importing
`rerank_formats` does not.

| strategy                          | draws                                                   |
| --------------------------------- | ------------------------------------------------------- |
| `requests(format)`                | request bodies `format`'s provider accepts               |
| `responses(format, request=...)`  | response bodies its server could send (for a request)  |
| `errors(format)`                  | `(status, body)` error responses                        |
| `mutations(bodies)`               | near-valid variants: keys deleted or duplicated, types swapped, nulls, huge and negative numbers, `NaN`, `1e309`, invalid UTF-8, lone surrogates, long strings, truncation |
| `json_values()`                   | any JSON value                                          |
| `canonical_requests()`, `canonical_responses()` | canonical objects, optionally restricted to a set of features (a format's `SUPPORTS`) |
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET

from ._extras import missing_extra

try:
    from hypothesis import assume, strategies as st
except ImportError as error:
    raise missing_extra(error, module="testing", extra="testing") from error

from .canonical import (
    Document,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    RerankResult,
    TextDocument,
    Usage,
)
from .convert import encode_error, encode_request, encode_response
from .registry import ErrorFormatName, FormatName, get_error_format, get_format
from .validation import validate

__all__ = [
    "canonical_requests",
    "canonical_responses",
    "errors",
    "json_values",
    "mutations",
    "requests",
    "responses",
]

Features = frozenset[str] | None

_text = st.text(max_size=12)
_names = st.sampled_from(["title", "text", "author", "body", "url"])
_scores = st.floats(allow_nan=False, allow_infinity=False, width=64)
_counts = st.integers(0, 10**6)


def _has(features: Features, feature: str) -> bool:
    return features is None or feature in features


def _optional(strategy: st.SearchStrategy[Any], *, null: bool = True) -> st.SearchStrategy[Any]:
    choices = [st.just(UNSET), strategy]
    if null:
        choices.append(st.none())
    return st.one_of(choices)


def object_documents(*, with_text: bool | None = None) -> st.SearchStrategy[ObjectDocument]:
    """Document objects of string fields (with or without a `text`, or either)."""
    fields = st.dictionaries(_names, _text, max_size=3)
    if with_text is True:
        fields = st.builds(lambda extra, text: {**extra, "text": text}, fields, _text)
    elif with_text is False:
        fields = fields.map(lambda f: {k: v for k, v in f.items() if k != "text"})
    # a lone {"text"} or {"image"} object is a TextDocument or an ImageDocument
    fields = fields.filter(lambda f: not (len(f) == 1 and ("text" in f or "image" in f)))
    return fields.map(lambda f: ObjectDocument(fields=f))


def documents(features: Features = None, *, echo: bool = False) -> st.SearchStrategy[Document]:
    """Documents of the shapes `features` allow (in a response when `echo`)."""
    shapes: list[st.SearchStrategy[Document]] = [
        _text,
        _text.map(lambda text: TextDocument(text=text)),
        object_documents(with_text=True),
    ]
    if _has(features, "image_echo" if echo else "image_documents"):
        shapes.append(_text.map(lambda image: ImageDocument(image=image)))
    if _has(features, "object_echo" if echo else "object_documents"):
        shapes.append(object_documents(with_text=False))
    return st.one_of(shapes)


@st.composite
def canonical_requests(
    draw: st.DrawFn, features: Features = None, *, valid: bool = False
) -> RerankRequest:
    """Canonical requests using only `features` (all when None); with `valid`, only what
    every provider accepts (a model, at least one document, `top_n` of at least 1)."""
    query_shapes = [_text, _text.map(lambda text: TextDocument(text=text))]
    if _has(features, "object_query"):  # legacy Jina: {text, ...} and image queries
        query_shapes += [
            object_documents(with_text=True),
            _text.map(lambda image: ImageDocument(image=image)),
        ]
    fields: dict[str, Any] = {
        "query": draw(st.one_of(query_shapes)),
        "documents": tuple(draw(st.lists(documents(features), min_size=int(valid), max_size=4))),
        "model": draw(
            st.just(UNSET)  # a format that takes no model (a server of one)
            if not _has(features, "model")
            else _text
            if features is not None or valid
            else _optional(_text, null=False)
        ),
        "top_n": draw(
            # 0 is "no results" in Jina and "all" in vLLM: only a format-free draw takes it
            _optional(st.integers(1 if valid or features is not None else 0, 10))
            if _has(features, "top_n")
            else st.just(UNSET)
        ),
        "return_documents": draw(_optional(st.booleans())),
        "return_embeddings": draw(
            _optional(st.booleans() if _has(features, "return_embeddings") else st.just(False))
        ),
    }
    if _has(features, "truncation"):
        fields["truncation"] = draw(_optional(st.booleans()))
    if _has(features, "max_doc_length"):
        fields["max_doc_length"] = draw(_optional(st.integers(1, 8192), null=False))
    if (
        valid
        and _has(features, "model")
        and any(isinstance(d, ImageDocument) for d in fields["documents"])
    ):
        fields["model"] = "jina-reranker-m0"  # the only model that takes images
    return RerankRequest(**fields)


def _usages(features: Features) -> st.SearchStrategy[Any]:
    shapes: list[st.SearchStrategy[Any]] = [
        st.builds(Usage, total_tokens=_counts),
        _counts.map(lambda t: Usage(total_tokens=t, prompt_tokens=t)),
        _counts.map(lambda t: Usage(total_tokens=t, prompt_tokens=t, completion_tokens=0)),
    ]
    if _has(features, "usage_split"):
        shapes.append(
            st.builds(
                lambda p, c: Usage(total_tokens=p + c, prompt_tokens=p, completion_tokens=c),
                _counts,
                _counts,
            )
        )
    if features is None:  # any combination, consistent or not
        shapes.append(
            st.builds(
                Usage,
                total_tokens=_counts,
                prompt_tokens=_optional(_counts, null=False),
                completion_tokens=_optional(_counts, null=False),
            )
        )
    if not _has(features, "token_usage"):
        return st.just(UNSET)  # a format whose body has no usage
    return _optional(st.one_of(shapes))


@st.composite
def canonical_responses(
    draw: st.DrawFn, features: Features = None, *, request: RerankRequest | None = None
) -> RerankResponse:
    """Canonical responses using only `features`, sorted by descending score; for `request`,
    results that answer it (indices among its documents, at most `top_n`)."""
    if request is None:
        indices = draw(st.lists(st.integers(0, 20), unique=True, max_size=5))
    else:
        count = len(request.documents)
        top_n = request.top_n if isinstance(request.top_n, int) else count
        indices = draw(st.permutations(range(count)))[: min(top_n, count)]
    embeddings = st.lists(_scores, max_size=3) if _has(features, "embeddings") else st.nothing()
    results = [
        RerankResult(
            index=index,
            relevance_score=draw(_scores),
            document=draw(_optional(documents(features, echo=True))),
            embedding=draw(_optional(embeddings)) if _has(features, "embeddings") else UNSET,
        )
        for index in indices
    ]
    results.sort(key=lambda r: r.relevance_score, reverse=True)  # as every provider sends them
    if features is not None:
        # tied scores in index order: a format that lists scores in input order (vLLM's
        # /score) cannot keep any other; a format-free draw still ties in any order
        results.sort(key=lambda r: (-r.relevance_score, r.index))
    return RerankResponse(
        results=tuple(results),
        model=draw(_optional(_text, null=False)),
        object=draw(_optional(st.just("list"), null=False)),
        usage=draw(_usages(features)),
    )


def _no_errors(body: bytes, format: ErrorFormatName, kind: Any) -> bool:
    return not any(p.severity == "error" for p in validate(body, format=format, kind=kind))


def requests(format: FormatName) -> st.SearchStrategy[bytes]:
    """Request bodies that `format`'s provider accepts (no error from `validate`)."""
    module = get_format(format)

    def encode(request: RerankRequest) -> bytes:
        body = encode_request(request, format=module.NAME)
        assume(_no_errors(body, module.NAME, "request"))
        return body

    return canonical_requests(module.SUPPORTS, valid=True).map(encode)


def responses(
    format: FormatName, *, request: RerankRequest | None = None
) -> st.SearchStrategy[bytes]:
    """Response bodies `format`'s server could send; for `request`, ones that answer it."""
    module = get_format(format)

    def encode(response: RerankResponse) -> bytes:
        return encode_response(response, format=module.NAME, request=request)

    return canonical_responses(module.SUPPORTS, request=request).map(encode)


def errors(format: ErrorFormatName) -> st.SearchStrategy[tuple[int, bytes]]:
    """`(status, body)` error responses as `format`'s server sends them."""
    module = get_error_format(format)
    error = st.builds(
        RerankError,
        status=st.sampled_from(sorted(module.STATUSES & set(range(400, 600)))),
        message=st.text(min_size=1, max_size=40),
        code=_optional(
            st.sampled_from(["AUTH_INVALID_API_KEY", "RATE_REQUEST_LIMIT_EXCEEDED"]), null=False
        ),
        request_id=_optional(st.uuids().map(str), null=False),
    )
    return error.map(lambda e: encode_error(e, format=module.NAME))


def json_values(*, max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any JSON value (as Python objects)."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), _scores, st.text(max_size=8)
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.text(max_size=8), children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


# -- near-valid mutations -------------------------------------------------------------------------

_ODD_VALUES = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        2**64,
        -(2**63) - 1,
        1.5,
        1e308,
        "",
        "x" * 10_000,
        [],
        {},
        [None],
        {"": None},
    ]
)
_TEXT_EDITS: list[tuple[bytes, bytes]] = [
    (b"1", b"NaN"),
    (b"1", b"Infinity"),
    (b"0.", b"1e309"),
    (b'"', b'"\\ud800'),  # a lone surrogate
    (b'"', b'"\xff'),  # invalid UTF-8
]


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every object and array in `value`."""
    found = [path] if isinstance(value, (dict, list)) else []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        found += _containers(child, (*path, key))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


@st.composite
def _structural(draw: st.DrawFn, body: bytes) -> bytes:
    try:
        value = msgspec.json.decode(body)
    except (msgspec.MsgspecError, UnicodeDecodeError, RecursionError):
        return body  # already not JSON: nothing structural to edit
    containers = _containers(value)
    if not containers:
        return msgspec.json.encode(draw(_ODD_VALUES))
    target = _at(value, draw(st.sampled_from(containers)))
    keys = list(target) if isinstance(target, dict) else list(range(len(target)))
    action = draw(st.sampled_from(["delete", "replace", "null", "duplicate", "add"]))
    if action == "add" or not keys:
        if isinstance(target, dict):
            target[draw(st.text(max_size=6))] = draw(_ODD_VALUES)
        else:
            target.append(draw(_ODD_VALUES))
        return msgspec.json.encode(value)
    key = draw(st.sampled_from(keys))
    if action == "delete":
        del target[key]
    elif action in ("replace", "null"):
        target[key] = None if action == "null" else draw(_ODD_VALUES)
    elif isinstance(target, dict):  # a duplicated key: only JSON text can say it
        encoded = msgspec.json.encode(value)
        item = msgspec.json.encode({key: draw(_ODD_VALUES)})[1:-1]
        return encoded[:1] + item + b"," + encoded[1:] if len(encoded) > 2 else encoded
    else:
        target.insert(key, target[key])
    return msgspec.json.encode(value)


@st.composite
def _textual(draw: st.DrawFn, body: bytes) -> bytes:
    edits = [(old, new) for old, new in _TEXT_EDITS if old in body]
    if not edits or draw(st.booleans()):
        return body[: draw(st.integers(0, max(len(body) - 1, 0)))]  # truncated
    old, new = draw(st.sampled_from(edits))
    occurrences = body.count(old)
    n = draw(st.integers(0, occurrences - 1))
    start = -1
    for _ in range(n + 1):
        start = body.index(old, start + 1)
    return body[:start] + new + body[start + len(old) :]


def mutations(bodies: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Near-valid variants of `bodies`: one structural edit (a key deleted, duplicated or
    added, a value replaced by null or by an odd one: huge, negative, empty, a long string,
    the wrong type) or one textual edit (`NaN`, `Infinity`, `1e309`, a lone surrogate,
    invalid UTF-8, truncation)."""

    def edit(body: bytes) -> st.SearchStrategy[bytes]:
        return st.one_of(_structural(body), _textual(body))

    return bodies.flatmap(edit)
