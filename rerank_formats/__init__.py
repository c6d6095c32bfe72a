"""Exact, typed converters between rerank API formats, with Jina AI's format as the canonical model.

    >>> import rerank_formats as rf
    >>> rf.FORMATS[:4]  # the seed formats, then every format added since
    ('jina', 'cohere_v1', 'cohere_v2', 'xinference')

Read a body with `decode_request` / `decode_response`, write one with `encode_request` /
`encode_response`, or go straight from bytes to bytes with `convert_request` /
`convert_response`. Every error is a `RerankFormatError`. `UNSET` (msgspec's) marks a field
that was absent, as opposed to `None` for an explicit `null`.
"""

from msgspec import UNSET, UnsetType

from .batching import merge_responses, split_request
from .canonical import (
    Document,
    Extension,
    FieldError,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    RerankResult,
    TextDocument,
    Usage,
)
from .convert import (
    OnLoss,
    Payload,
    Scores,
    UnknownUsage,
    convert_error,
    convert_request,
    convert_response,
    decode_error,
    decode_request,
    decode_response,
    encode_error,
    encode_request,
    encode_response,
)
from .endpoints import api_key_from, request_headers
from .errors import (
    MAX_MESSAGE_LENGTH,
    DecodeError,
    EncodeError,
    Loss,
    LossKind,
    LossWarning,
    LossyConversionError,
    RerankFormatError,
    UnknownFormatError,
)
from .limits import DEFAULT_LIMITS, Limits
from .registry import ERROR_FORMATS, FORMATS, ErrorFormatName, FormatName, ScoreScale
from .scale import score_scale
from .schema import json_schema
from .validation import Kind, Match, Problem, detect, validate

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_LIMITS",
    "ERROR_FORMATS",
    "FORMATS",
    "MAX_MESSAGE_LENGTH",
    "UNSET",
    "DecodeError",
    "Document",
    "EncodeError",
    "ErrorFormatName",
    "Extension",
    "FieldError",
    "FormatName",
    "ImageDocument",
    "Kind",
    "Limits",
    "Loss",
    "LossKind",
    "LossWarning",
    "LossyConversionError",
    "Match",
    "ObjectDocument",
    "OnLoss",
    "Payload",
    "Problem",
    "RerankError",
    "RerankFormatError",
    "RerankRequest",
    "RerankResponse",
    "RerankResult",
    "ScoreScale",
    "Scores",
    "TextDocument",
    "UnknownFormatError",
    "UnknownUsage",
    "UnsetType",
    "Usage",
    "api_key_from",
    "convert_error",
    "convert_request",
    "convert_response",
    "decode_error",
    "decode_request",
    "decode_response",
    "detect",
    "encode_error",
    "encode_request",
    "encode_response",
    "json_schema",
    "merge_responses",
    "request_headers",
    "score_scale",
    "split_request",
    "validate",
]
