"""Pydantic models of every format's request, response and error bodies, for FastAPI.

Install the extra (`pip install rerank-formats[pydantic]`); importing `rerank_formats` alone
never imports pydantic.

    >>> from rerank_formats.pydantic import cohere_v2, model
    >>> cohere_v2.Request.__name__
    'CohereV2Request'
    >>> model("cohere-v2", "request") is cohere_v2.Request
    True
    >>> body = cohere_v2.Request.model_validate_json(
    ...     b'{"model": "rerank-v3.5", "query": "q", "documents": ["a"], "top_k": 1}')
    >>> body.model_extra
    {'top_k': 1}

There is one namespace per format of `ERROR_FORMATS`, named and shaped like its module in
`rerank_formats.formats`: each of `FORMATS` has `Request`, `Response`, `Result` and `Error`;
`openai` (the error envelope of OpenAI-style gateways) has `Error`. Nested models have their wire Struct's name too (`jina.Usage`, `openai.Body`).
`model(format, kind)` gives the same classes by name. Models are named for OpenAPI after the
format and the Struct: `CohereV2Request`, `JinaResult`.

The models are generated source (`rerank_formats/pydantic/_generated.py`, written by
`make pydantic` and checked by a test) derived from the wire Structs the decoders use (the
type `get_codec(format, kind).general` converts into), read through `msgspec.inspect`; field
descriptions come from the Structs' `Attributes:` docstrings, as in `json_schema`. They accept
exactly the bodies that `decode_request` and `decode_response` accept, and the error bodies
that `decode_error` reads in the format's own shape:

- unknown top-level and result keys are allowed and kept in `model_extra` (the other nested
  objects are as closed as their Struct);
- types are strict: no `"1"` for an int, no `1` for a bool, an int is a float; numbers must
  be finite (JSON has no `NaN` or `Infinity`, and msgspec refuses `1e309`);
- absent and null stay apart: a field that cannot be null refuses it; an absent field reads
  as `None` but is not in `model_fields_set`, so `model_dump(exclude_unset=True)` gives the
  body back, and the decoders read that dict exactly as they read the body;
- constraints such as `index >= 0` hold, and so do the checks a decoder makes beyond the wire
  types, each by calling the decoder's own function: Xinference's `return_documents` and
  `return_len` take only pydantic v1's boolean strings; Cohere's `meta.tokens` and
  `meta.billed_units` token counts are non-negative whole numbers; Xinference's `meta.tokens`
  has a non-negative integer `input_tokens`.

Two things are the decoder's and not the models': `Limits` (body size, nesting depth, how many
documents and how long) are per-call policy, applied when the decoder reads the dump; and the
JSON parser is the caller's: `json.loads`, which FastAPI uses, accepts lone surrogate escapes
(`"\\ud800"`) that msgspec and `model_validate_json` refuse as invalid JSON, and msgspec
does not read a key its Struct ignores (inside an error envelope's object), so invalid UTF-8
there passes the decoder but not `model_validate_json`.

Type checkers see every model and its fields (`body.query` is a `str`, `body.top_n` an
`int | None`: an absent optional field reads as `None`): annotate a FastAPI parameter with `cohere_v2.Request` and hand
`body.model_dump(exclude_unset=True)` to the decoder, which returns the typed canonical
object.
"""

from __future__ import annotations

from .._extras import missing_extra

try:
    from pydantic import BaseModel
except ImportError as error:
    raise missing_extra(error, module="pydantic", extra="pydantic") from error

from ..registry import ErrorFormatName, get_codec
from ..validation import Kind
from . import _generated
from ._generated import *  # noqa: F403 - one namespace per format in the registry

__all__ = sorted([*_generated.__all__[1:], "model"])  # the namespaces (not `ROOTS`) and model


def model(format: ErrorFormatName, kind: Kind) -> type[BaseModel]:
    """The pydantic model of a format's request, response or error body.

    Args:
        format: the format (`"openai"` too, for `kind="error"`); `-` may stand for `_`.
        kind: `"request"`, `"response"` or `"error"`.

    Raises:
        UnknownFormatError: `format` is not registered (or has no such kind).
        RerankFormatError: `kind` is not one of the three.

    Example:
        >>> from rerank_formats.pydantic import model
        >>> model("jina", "response").model_fields["results"].description
        'The ranked documents, by descending relevance score.'
    """
    return _generated.ROOTS[get_codec(format, kind).format, kind]
