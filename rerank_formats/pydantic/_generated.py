"""The pydantic models of every format, generated from the wire Structs: do not edit.

`make pydantic` (`python -m rerank_formats._codegen pydantic`) writes this file from the
registry and the Structs the decoders use; tests/test_pydantic.py checks that it is current.
"""

# ruff: noqa: F401, N801, N815, RUF100

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, Field, RootModel, Strict

from ._support import Absent, Closed, Ignoring, Namespace, Open, absent, finite, ruled, whole

__all__ = ["ROOTS", "bedrock", "cohere_v1", "cohere_v2", "dashscope", "infinity", "jina", "llama_cpp", "mixedbread", "nim", "openai", "pinecone", "siliconflow", "tei", "together", "vllm", "vllm_score", "voyage", "xinference"]


class JinaRequest(Open):
    """A Jina rerank request (current and legacy fields)."""

    model: Annotated[str, Strict()] = Field(description='The reranking model, such as `jina-reranker-v2-base-multilingual`; it selects the request schema (only `jina-reranker-m0` takes images, only `jina-reranker-v3` reads `max_doc_length` and `return_embeddings`).')
    query: Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]] = Field(description='The search query: a string (legacy Jina also took a `{text}` or image object).')
    documents: list[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]]] = Field(description='The documents to rank: strings, `{"text": ...}` objects, or (m0) `{"image": url or base64}` objects.')
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return; null or absent means all.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its document (default true).', json_schema_extra=absent)
    truncation: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="Whether to truncate documents longer than the model's limit.", json_schema_extra=absent)
    max_doc_length: Absent[Annotated[int, Strict()]] = Field(default=None, description='jina-reranker-v3: tokens per document, 1 to 8192 (default 2048).', json_schema_extra=absent)
    return_embeddings: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="jina-reranker-v3: return each document's embedding.", json_schema_extra=absent)


class JinaUsage(Closed):
    """Token usage, in Jina's shape."""

    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='tokens processed.')
    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='legacy Jina (and OpenAI-style gateways): tokens read.', json_schema_extra=absent)
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='OpenAI-style gateways (new-api): tokens produced, normally 0.', json_schema_extra=absent)


class JinaResult(Open):
    """One result of a Jina rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Higher is more relevant; no range is promised.')
    document: Absent[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]] | None] = Field(default=None, description='The document, when `return_documents` was true: `{"text": ...}` (legacy), a bare string (late 2025), an image object, or null.', json_schema_extra=absent)
    embedding: Absent[list[Annotated[float, Strict()]] | None] = Field(default=None, description="jina-reranker-v3 with `return_embeddings`: the document's embedding.", json_schema_extra=absent)


class JinaResponse(Open):
    """A Jina rerank response (the legacy envelope and the late-2025 one with `object`)."""

    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The model that ranked the documents.', json_schema_extra=absent)
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"list"`, since late 2025.', json_schema_extra=absent)
    usage: Absent[JinaUsage | None] = Field(default=None, description='Token usage: `total_tokens` (legacy also `prompt_tokens`; OpenAI-style gateways add `completion_tokens`).', json_schema_extra=absent)
    results: list[JinaResult] = Field(description='The ranked documents, by descending relevance score.')


class JinaLegacyDetail(Ignoring):
    """One item of FastAPI's 422 `detail` list (legacy Jina)."""

    loc: list[Annotated[str, Strict()] | Annotated[int, Strict()]] = Field(description='Where, as a list of keys and indices (`["body", "query"]`).')
    msg: Annotated[str, Strict()] = Field(description='What is wrong.')
    type: Absent[Annotated[str, Strict()]] = Field(default=None, description='The pydantic error type.', json_schema_extra=absent)
    input: Absent[Annotated[Any, AfterValidator(finite)]] = Field(default=None, description='The offending value.', json_schema_extra=absent)
    ctx: Absent[Annotated[Any, AfterValidator(finite)]] = Field(default=None, description="pydantic's error context.", json_schema_extra=absent)
    url: Absent[Annotated[str, Strict()]] = Field(default=None, description="pydantic's documentation link for the error type.", json_schema_extra=absent)


class JinaErrorItem(Ignoring):
    """One item of the current 422 `errors` list."""

    field: Annotated[str, Strict()] = Field(description='Where (`body.top_n`).')
    message: Annotated[str, Strict()] = Field(description='What is wrong.')
    type: Absent[Annotated[str, Strict()]] = Field(default=None, description='The error type.', json_schema_extra=absent)
    input: Absent[Annotated[Any, AfterValidator(finite)]] = Field(default=None, description='The offending value.', json_schema_extra=absent)


class JinaError(Open):
    """A Jina error body (`ErrorResponse`, `HTTPValidationError`, or legacy FastAPI)."""

    detail: Annotated[str, Strict()] | list[JinaLegacyDetail] = Field(description='The message; legacy validation errors give a list of `{loc, msg, type}`.')
    code: Absent[Annotated[str, Strict()]] = Field(default=None, description='A machine-readable code such as `AUTH_INVALID_API_KEY`.', json_schema_extra=absent)
    request_id: Absent[Annotated[str, Strict()]] = Field(default=None, description="Jina's id of the failed request, for support.", json_schema_extra=absent)
    errors: Absent[list[JinaErrorItem]] = Field(default=None, description='Field-level validation errors (current 422 bodies).', json_schema_extra=absent)


class CohereV1Request(Open):
    """A Cohere v1 rerank request."""

    model: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The model, such as `rerank-v3.5`; optional in v1.', json_schema_extra=absent)
    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]]] = Field(description='Strings, or objects of string fields (ranked on `text`, or on `rank_fields`); every field of an object is echoed back.')
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return (at least 1); absent means all.', json_schema_extra=absent)
    rank_fields: Absent[list[Annotated[str, Strict()]] | None] = Field(default=None, description='For object documents: the fields to rank on, in order.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its document (default false).', json_schema_extra=absent)
    max_chunks_per_doc: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many chunks a long document is split into (documents times chunks must stay under 10,000).', json_schema_extra=absent)


class CohereV1Result(Open):
    """One result of a Cohere v1 rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Normalised to [0, 1].')
    document: Absent[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]] | None] = Field(default=None, description='With `return_documents`: `{"text": ...}`, or the original object.', json_schema_extra=absent)


class CohereV1Response(Open):
    """A Cohere v1 rerank response."""

    id: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="This request's id (`Optional` in the SDK, so a null is read and kept).", json_schema_extra=absent)
    results: list[CohereV1Result] = Field(description='The ranked documents, by descending relevance score.')
    meta: Absent[Annotated[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]] | None, ruled('cohere_v1', 'response', 'meta')]] = Field(default=None, description='`ApiMeta`: `api_version`, `billed_units` (`search_units`, token counts), `tokens`, `cached_tokens`, `warnings`; a private deployment may send none.', json_schema_extra=absent)


class CohereV1Error(Open):
    """A Cohere error body."""

    message: Annotated[str, Strict()] = Field(description='The message.')
    id: Absent[Annotated[str, Strict()]] = Field(default=None, description="This request's id.", json_schema_extra=absent)


class CohereV2RelevantSpans(Closed):
    """Context compression: the spans of each document that made its rank (Rerank v5+)."""

    mode: Annotated[str, Strict()] = Field(description='`"enabled"` or `"disabled"`.')
    threshold: Absent[Annotated[float, Strict()] | None] = Field(default=None, description='Only spans scoring above it are returned (default 0.1).', json_schema_extra=absent)
    max_spans: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='At most this many spans per document; absent means all.', json_schema_extra=absent)


class CohereV2Request(Open):
    """A Cohere v2 rerank request."""

    model: Annotated[str, Strict()] = Field(description='The model, such as `rerank-v3.5` or `rerank-v4.0-pro`.')
    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents, as strings (structured data as YAML strings).')
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return (at least 1); absent means all.', json_schema_extra=absent)
    max_tokens_per_doc: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='Documents are truncated to this many tokens (default 4096).', json_schema_extra=absent)
    relevant_spans: Absent[CohereV2RelevantSpans | None] = Field(default=None, description="Whether (and how) to return each document's relevant spans.", json_schema_extra=absent)
    priority: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='Scheduling priority, 0 (the default, first) to 999.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="Not in Cohere's v2 spec; sent by litellm, Weaviate and Elasticsearch, and accepted by Cohere.", json_schema_extra=absent)


class CohereV2Span(Closed):
    """One relevant span of a document."""

    start: Annotated[int, Strict()] = Field(description="The span's first character, in Unicode code points.")
    end: Annotated[int, Strict()] = Field(description="Just past the span's last character.")
    score: Annotated[float, Strict()] = Field(description='How relevant the span is, in [0, 1].')


class CohereV2Result(Open):
    """One result of a Cohere v2 rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Normalised to [0, 1].')
    relevant_spans: Absent[list[CohereV2Span] | None] = Field(default=None, description="With `relevant_spans` enabled: the document's most relevant spans.", json_schema_extra=absent)


class CohereV2Response(Open):
    """A Cohere v2 rerank response."""

    id: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="This request's id (`Optional` in the SDK, so a null is read and kept).", json_schema_extra=absent)
    results: list[CohereV2Result] = Field(description='The ranked documents, by descending relevance score.')
    meta: Absent[Annotated[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]] | None, ruled('cohere_v2', 'response', 'meta')]] = Field(default=None, description='`ApiMeta`: `api_version`, `billed_units` (`search_units`, token counts), `tokens`, `cached_tokens`, `warnings`.', json_schema_extra=absent)


class CohereV2Error(Open):
    """A Cohere error body."""

    message: Annotated[str, Strict()] = Field(description='The message.')
    id: Absent[Annotated[str, Strict()]] = Field(default=None, description="This request's id.", json_schema_extra=absent)


class XinferenceRequest(Open):
    """An Xinference rerank request."""

    model: Annotated[str, Strict()] = Field(description="The running model's UID.")
    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents, as strings.')
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return; null or absent means all (0 means none).', json_schema_extra=absent)
    return_documents: Absent[Annotated[Annotated[bool, Strict()] | Annotated[str, Strict()] | None, ruled('xinference', 'request', 'return_documents')]] = Field(default=None, description='Whether each result carries its document (default false); pydantic v1 also takes the strings `"true"`, `"false"`, `"yes"`, `"no"`, `"1"`, `"0"`, ...', json_schema_extra=absent)
    return_len: Absent[Annotated[Annotated[bool, Strict()] | Annotated[str, Strict()] | None, ruled('xinference', 'request', 'return_len')]] = Field(default=None, description='Whether to report token counts in `meta.tokens`.', json_schema_extra=absent)
    max_chunks_per_doc: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='Accepted, but the sentence-transformers engine fails unless null.', json_schema_extra=absent)
    kwargs: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='A JSON-encoded object of extra arguments for the model (`instruction`, `doc_type`, ...).', json_schema_extra=absent)


class XinferenceResult(Open):
    """One result of an Xinference rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description="The model's score; logits may be negative.")
    document: Absent[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]] | None] = Field(default=None, description='`{"text": ...}` with `return_documents`, else null (a bare string from the llama.cpp engine).', json_schema_extra=absent)


class XinferenceResponse(Open):
    """An Xinference rerank response."""

    id: Absent[Annotated[str, Strict()]] = Field(default=None, description="This request's id.", json_schema_extra=absent)
    results: list[XinferenceResult] = Field(description='The ranked documents, by descending relevance score, cut to `top_n`.')
    meta: Absent[Annotated[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]] | None, ruled('xinference', 'response', 'meta')]] = Field(default=None, description='`api_version`, `billed_units` and `warnings` (always null) and `tokens` (`{input_tokens, output_tokens}` with `return_len`, output repeating input).', json_schema_extra=absent)


class XinferenceError(Open):
    """An Xinference error body (FastAPI's `HTTPException`)."""

    detail: Annotated[str, Strict()] = Field(description="The message; engine errors start with the actor's `[address=..., pid=...]`.")


class TeiRequest(Open):
    """A TEI rerank request."""

    query: Annotated[str, Strict()] = Field(description='The query.')
    texts: list[Annotated[str, Strict()]] = Field(description='The texts to rank (at most `--max-client-batch-size`, 32 by default).')
    truncate: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="Whether to truncate texts longer than the model's limit; null or absent means the server's `--auto-truncate` (true since 1.7).", json_schema_extra=absent)
    truncation_direction: Absent[Literal['Left', 'Right', 'left', 'right']] = Field(default=None, description='Which end is cut: `Right` (the default) or `Left`.', json_schema_extra=absent)
    raw_scores: Absent[Annotated[bool, Strict()]] = Field(default=None, description="Return the model's logits instead of its sigmoid (softmax).", json_schema_extra=absent)
    return_text: Absent[Annotated[bool, Strict()]] = Field(default=None, description='Return each text with its score (default false).', json_schema_extra=absent)
    model: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="Not TEI's: sent by rerankers and litellm, ignored by the server.", json_schema_extra=absent)
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description="Not TEI's: sent by rerankers and litellm, ignored by the server.", json_schema_extra=absent)


class TeiResult(Open):
    """One rank of a TEI rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The text's position in the request's `texts`.")
    text: Absent[Annotated[str, Strict()]] = Field(default=None, description='The text, with `return_text`.', json_schema_extra=absent)
    score: Annotated[float, Strict()] = Field(description='The score: a probability, or a logit with `raw_scores`.')


class TeiResponse(RootModel[list[TeiResult]]):
    """The tei response: a JSON array of results."""


class TeiError(Open):
    """A TEI error body (`ErrorResponse`)."""

    error: Annotated[str, Strict()] = Field(description='The message.')
    error_type: Annotated[str, Strict()] = Field(description='The `ErrorType`: `Empty`, `Validation`, `Tokenizer`, `Overloaded`, `Backend` or `Unhealthy` (the OpenAPI examples write them in lower case).')


class LlamaCppRequest(Open):
    """A llama.cpp rerank request, Jina's dialect."""

    model: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='Echoed in the response (the server ranks with its loaded model).', json_schema_extra=absent)
    query: Annotated[str, Strict()] = Field(description='The query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents, at least one.')
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return; absent or null means all.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Sent by Jina clients; ignored (documents are never echoed).', json_schema_extra=absent)


class LlamaCppUsage(Closed):
    """Token usage, in Jina's shape."""

    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='tokens processed.')
    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='legacy Jina (and OpenAI-style gateways): tokens read.', json_schema_extra=absent)
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='OpenAI-style gateways (new-api): tokens produced, normally 0.', json_schema_extra=absent)


class LlamaCppResult(Open):
    """One result of a llama.cpp rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description="The rank head's raw score (a logit).")


class LlamaCppResponse(Open):
    """A llama.cpp rerank response."""

    model: Absent[Annotated[str, Strict()]] = Field(default=None, description="The request's `model`, else the loaded model's name.", json_schema_extra=absent)
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"list"`.', json_schema_extra=absent)
    usage: Absent[LlamaCppUsage | None] = Field(default=None, description='`prompt_tokens` and `total_tokens`, equal.', json_schema_extra=absent)
    results: list[LlamaCppResult] = Field(description='By descending score, cut to `top_n`.')


class LlamaCppBody(Closed):
    """The `error` object."""

    code: Absent[Annotated[int, Strict()]] = Field(default=None, description='The HTTP status.', json_schema_extra=absent)
    message: Annotated[str, Strict()] = Field(description='The message.')
    type: Absent[Annotated[str, Strict()]] = Field(default=None, description='The error type (`invalid_request_error`, ...).', json_schema_extra=absent)


class LlamaCppError(Open):
    """A llama.cpp error body."""

    error: LlamaCppBody = Field(description='The error object.')


class VllmContent(Closed):
    """A multimodal input, `ScoreMultiModalParam`: OpenAI chat content parts."""

    content: list[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]]] = Field(description='the parts: `{"type": "text", "text": ...}`, `{"type": "image_url", "image_url": {"url": ...}}`, `video_url`, `image_embeds`.')


class VllmRequest(Open):
    """A vLLM rerank request (`RerankRequest`)."""

    model: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The model; absent or null means the served one.', json_schema_extra=absent)
    query: Annotated[str, Strict()] | VllmContent = Field(description='The query: a string or `{"content": [parts]}`.')
    documents: list[Annotated[str, Strict()] | VllmContent] = Field(description='The documents: strings or `{"content": [parts]}`.')
    top_n: Absent[Annotated[int, Strict()]] = Field(default=None, description='How many results to return; 0 (the default) or less means all.', json_schema_extra=absent)
    max_tokens_per_doc: Absent[Annotated[int, Strict(), Field(ge=1)] | None] = Field(default=None, description='Truncate each document to this many tokens (newer releases).', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="Ignored (logged): vLLM always echoes the documents; litellm's `hosted_vllm` provider sends it.", json_schema_extra=absent)
    truncate_prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=-1)] | None] = Field(default=None, description="Truncate each query-document prompt to this many tokens (-1: the model's maximum); null refuses a too-long input.", json_schema_extra=absent)
    user: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The end user, for logs.', json_schema_extra=absent)
    request_id: Absent[Annotated[str, Strict()]] = Field(default=None, description="The id vLLM uses for the request (and in the response's `id`).", json_schema_extra=absent)
    priority: Absent[Annotated[int, Strict()]] = Field(default=None, description='The scheduling priority (0 unless the server schedules by priority).', json_schema_extra=absent)
    mm_processor_kwargs: Absent[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]] | None] = Field(default=None, description='Arguments for the multimodal processor.', json_schema_extra=absent)
    use_activation: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="Apply the pooler's activation (null: the model's default, true); false returns raw logits.", json_schema_extra=absent)
    activation: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='The deprecated name of `use_activation`.', json_schema_extra=absent)
    softmax: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='An older deprecated name of `use_activation`.', json_schema_extra=absent)
    padding: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='`max_length` or `do_not_pad`.', json_schema_extra=absent)
    truncation_side: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='`left` or `right`.', json_schema_extra=absent)
    cache_salt: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='Salts the prefix cache.', json_schema_extra=absent)


class VllmRerankUsage(Closed):
    """vLLM's rerank usage."""

    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='Tokens read (absent in older releases).', json_schema_extra=absent)
    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='Tokens processed: the same.')


class VllmEcho(Closed):
    """An echoed document (`RerankDocument`): its text, or its multimodal parts."""

    text: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="The document's text (null for a multimodal one).", json_schema_extra=absent)
    multi_modal: Absent[list[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]]] | None] = Field(default=None, description="The document's content parts (null for a text one).", json_schema_extra=absent)


class VllmResult(Open):
    """One result of a vLLM rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    document: Absent[VllmEcho] = Field(default=None, description='The document echoed back, always.', json_schema_extra=absent)
    relevance_score: Annotated[float, Strict()] = Field(description='A probability, or a logit with `use_activation: false`.')


class VllmResponse(Open):
    """A vLLM rerank response (`RerankResponse`)."""

    id: Absent[Annotated[str, Strict()]] = Field(default=None, description='`rerank-<request id>`.', json_schema_extra=absent)
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The served model.', json_schema_extra=absent)
    usage: Absent[VllmRerankUsage | None] = Field(default=None, description='Token usage.', json_schema_extra=absent)
    results: list[VllmResult] = Field(description='The documents, by descending score, cut to `top_n`.')


class VllmBody(Ignoring):
    """The `error` object of vLLM's `ErrorResponse` (`ErrorInfo`)."""

    message: Annotated[str, Strict()] = Field(description='the message.')
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="the exception's class name (`BadRequestError`, `NotFoundError`, ...).", json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='the parameter at fault, if any.', json_schema_extra=absent)
    code: Absent[Annotated[int, Strict()] | Annotated[str, Strict()] | None] = Field(default=None, description='the HTTP status (an integer).', json_schema_extra=absent)


class VllmError(Open):
    """A vLLM error body: the current `{"error": {...}}`, the flat `{"object": "error", "message", "type", "param", "code"}` of older releases, or the API-key middleware's `{"error": "Unauthorized"}`."""

    error: Absent[VllmBody | Annotated[str, Strict()]] = Field(default=None, description='the error object (current), or a string (the 401 of `--api-key`).', json_schema_extra=absent)
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='`"error"` (flat, older releases).', json_schema_extra=absent)
    message: Absent[Annotated[str, Strict()]] = Field(default=None, description='the message (flat).', json_schema_extra=absent)
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="the exception's class name (flat).", json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='the parameter at fault (flat).', json_schema_extra=absent)
    code: Absent[Annotated[int, Strict()] | Annotated[str, Strict()] | None] = Field(default=None, description='the HTTP status (flat).', json_schema_extra=absent)
    whole_payload = whole('vllm', 'error')


class VllmScoreContent(Closed):
    """A multimodal input, `ScoreMultiModalParam`: OpenAI chat content parts."""

    content: list[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]]] = Field(description='the parts: `{"type": "text", "text": ...}`, `{"type": "image_url", "image_url": {"url": ...}}`, `video_url`, `image_embeds`.')


class VllmScoreRequest(Open):
    """A vLLM score request (`ScoreRequest`, any of its four shapes)."""

    model: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The model; absent or null means the served one.', json_schema_extra=absent)
    text_1: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='The query (or a list of one); `queries` and `data_1` are the same.', json_schema_extra=absent)
    text_2: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='The documents (or one); `documents`, `items` and `data_2` are the same.', json_schema_extra=absent)
    queries: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='See `text_1`.', json_schema_extra=absent)
    documents: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='See `text_2`.', json_schema_extra=absent)
    items: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='See `text_2`.', json_schema_extra=absent)
    data_1: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='See `text_1`.', json_schema_extra=absent)
    data_2: Absent[Annotated[str, Strict()] | VllmScoreContent | list[Annotated[str, Strict()] | VllmScoreContent]] = Field(default=None, description='See `text_2`.', json_schema_extra=absent)
    truncate_prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=-1)] | None] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    user: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    request_id: Absent[Annotated[str, Strict()]] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    priority: Absent[Annotated[int, Strict()]] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    mm_processor_kwargs: Absent[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]] | None] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    use_activation: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='As in `vllm`: false returns raw logits.', json_schema_extra=absent)
    activation: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Deprecated `use_activation`.', json_schema_extra=absent)
    softmax: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Deprecated `use_activation`.', json_schema_extra=absent)
    padding: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    truncation_side: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    cache_salt: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='As in `vllm`.', json_schema_extra=absent)
    whole_payload = whole('vllm_score', 'request')


class VllmScoreResult(Open):
    """One score (`ScoreResponseData`)."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The pair's position: the document's.")
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"score"`.', json_schema_extra=absent)
    score: Annotated[float, Strict()] = Field(description="The pair's score.")


class VllmScoreScoreUsage(Closed):
    """vLLM's `UsageInfo`."""

    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='Tokens read.', json_schema_extra=absent)
    total_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='Tokens processed.', json_schema_extra=absent)
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)] | None] = Field(default=None, description='Always 0 for scores.', json_schema_extra=absent)
    prompt_tokens_details: Absent[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]] | None] = Field(default=None, description='Cached tokens, or null.', json_schema_extra=absent)


class VllmScoreResponse(Open):
    """A vLLM score response (`ScoreResponse`)."""

    id: Absent[Annotated[str, Strict()]] = Field(default=None, description="The request's id.", json_schema_extra=absent)
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"list"`.', json_schema_extra=absent)
    created: Absent[Annotated[int, Strict()]] = Field(default=None, description='When, in seconds since the epoch.', json_schema_extra=absent)
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The served model.', json_schema_extra=absent)
    data: list[VllmScoreResult] = Field(description='One score per pair, in input order.')
    usage: Absent[VllmScoreScoreUsage | None] = Field(default=None, description='Token usage.', json_schema_extra=absent)


class VllmScoreBody(Ignoring):
    """The `error` object of vLLM's `ErrorResponse` (`ErrorInfo`)."""

    message: Annotated[str, Strict()] = Field(description='the message.')
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="the exception's class name (`BadRequestError`, `NotFoundError`, ...).", json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='the parameter at fault, if any.', json_schema_extra=absent)
    code: Absent[Annotated[int, Strict()] | Annotated[str, Strict()] | None] = Field(default=None, description='the HTTP status (an integer).', json_schema_extra=absent)


class VllmScoreError(Open):
    """A vLLM error body: the current `{"error": {...}}`, the flat `{"object": "error", "message", "type", "param", "code"}` of older releases, or the API-key middleware's `{"error": "Unauthorized"}`."""

    error: Absent[VllmScoreBody | Annotated[str, Strict()]] = Field(default=None, description='the error object (current), or a string (the 401 of `--api-key`).', json_schema_extra=absent)
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='`"error"` (flat, older releases).', json_schema_extra=absent)
    message: Absent[Annotated[str, Strict()]] = Field(default=None, description='the message (flat).', json_schema_extra=absent)
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="the exception's class name (flat).", json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='the parameter at fault (flat).', json_schema_extra=absent)
    code: Absent[Annotated[int, Strict()] | Annotated[str, Strict()] | None] = Field(default=None, description='the HTTP status (flat).', json_schema_extra=absent)
    whole_payload = whole('vllm_score', 'error')


class InfinityRequest(Open):
    """An Infinity rerank request (`RerankInput`)."""

    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents, as strings (1 to 2048).')
    return_documents: Absent[Annotated[bool, Strict()]] = Field(default=None, description='Whether each result carries its document (default false).', json_schema_extra=absent)
    raw_scores: Absent[Annotated[bool, Strict()]] = Field(default=None, description="Whether scores are the model's logits rather than their sigmoid.", json_schema_extra=absent)
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The served model to use (default `"default/not-specified"`: the only one).', json_schema_extra=absent)
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return: greater than 0, or null for all.', json_schema_extra=absent)


class InfinityResult(Open):
    """One result of an Infinity rerank response (`_ReRankObject`)."""

    relevance_score: Annotated[float, Strict()] = Field(description='A probability, or a logit with `raw_scores`.')
    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    document: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The document with `return_documents`, else null.', json_schema_extra=absent)


class InfinityUsage(Closed):
    """Token usage, in Jina's shape."""

    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='tokens processed.')
    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='legacy Jina (and OpenAI-style gateways): tokens read.', json_schema_extra=absent)
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='OpenAI-style gateways (new-api): tokens produced, normally 0.', json_schema_extra=absent)


class InfinityResponse(Open):
    """An Infinity rerank response (`ReRankResult`)."""

    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"rerank"`.', json_schema_extra=absent)
    results: list[InfinityResult] = Field(description='The ranked documents, by descending relevance score, cut to `top_n`.')
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description="The served model's name.", json_schema_extra=absent)
    usage: Absent[InfinityUsage | None] = Field(default=None, description='`{prompt_tokens, total_tokens}`, both the tokens read.', json_schema_extra=absent)
    id: Absent[Annotated[str, Strict()]] = Field(default=None, description='`infinity-<uuid4>`.', json_schema_extra=absent)
    created: Absent[Annotated[int, Strict()]] = Field(default=None, description='The Unix time of the answer.', json_schema_extra=absent)


class InfinityBody(Ignoring):
    """The `error` object."""

    message: Annotated[str, Strict()] = Field(description='The message.')
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The error type (`invalid_request_error`, `new_api_error`, ...).', json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The parameter at fault, if any.', json_schema_extra=absent)
    code: Absent[Annotated[str, Strict()] | Annotated[int, Strict()] | None] = Field(default=None, description='A machine-readable code, or (LiteLLM) the HTTP status as a string.', json_schema_extra=absent)


class InfinityError(Open):
    """An Infinity server error (`OpenAIException.json()`)."""

    error: InfinityBody = Field(description='`message`, `type` and `param` (null) and `code` (the HTTP status).')


class TogetherRequest(Open):
    """A Together rerank request (`RerankRequest`, closed to other keys)."""

    model: Annotated[str, Strict()] = Field(description='The model, such as `Salesforce/Llama-Rank-v1`.')
    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]]] = Field(description='All strings, or all objects (ranked on `rank_fields`, default every key).')
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its document (default false).', json_schema_extra=absent)
    rank_fields: Absent[list[Annotated[str, Strict()]] | None] = Field(default=None, description='For object documents: the keys to rank on.', json_schema_extra=absent)


class TogetherResultDocument(Closed):
    """A result's `document`."""

    text: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="The document's text (an object document as a JSON string); absent (`{}`) or null without `return_documents`.", json_schema_extra=absent)


class TogetherResult(Open):
    """One result of a Together rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Higher is more relevant.')
    document: Absent[TogetherResultDocument | None] = Field(default=None, description='`{"text": ...}` (required by the spec, `text` nullable).', json_schema_extra=absent)


class TogetherUsage(Closed):
    """Token usage, in Jina's shape."""

    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='tokens processed.')
    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='legacy Jina (and OpenAI-style gateways): tokens read.', json_schema_extra=absent)
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='OpenAI-style gateways (new-api): tokens produced, normally 0.', json_schema_extra=absent)


class TogetherResponse(Open):
    """A Together rerank response (`RerankResponse`)."""

    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"rerank"`.', json_schema_extra=absent)
    id: Absent[Annotated[str, Strict()] | None] = Field(default=None, description="The request's id.", json_schema_extra=absent)
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The model that ranked the documents.', json_schema_extra=absent)
    results: list[TogetherResult] = Field(description='The ranked documents, by descending relevance score.')
    usage: Absent[TogetherUsage | None] = Field(default=None, description='`{prompt_tokens, completion_tokens, total_tokens}` (`UsageData`, nullable).', json_schema_extra=absent)


class TogetherBody(Ignoring):
    """The `error` object."""

    message: Annotated[str, Strict()] = Field(description='The message.')
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The error type (`invalid_request_error`, `new_api_error`, ...).', json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The parameter at fault, if any.', json_schema_extra=absent)
    code: Absent[Annotated[str, Strict()] | Annotated[int, Strict()] | None] = Field(default=None, description='A machine-readable code, or (LiteLLM) the HTTP status as a string.', json_schema_extra=absent)


class TogetherError(Open):
    """A Together error body (`ErrorData`)."""

    error: TogetherBody = Field(description='`message` and `type` (required), `param` and `code` (strings or null).')


class SiliconflowRequest(Open):
    """A SiliconFlow rerank request."""

    model: Annotated[str, Strict()] = Field(description='The model, such as `BAAI/bge-reranker-v2-m3`.')
    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents, as strings (at least one).')
    instruction: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='Qwen3-Reranker only: the instruction to rank by.', json_schema_extra=absent)
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return (at least 1).', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its document text (default false).', json_schema_extra=absent)
    max_chunks_per_doc: Absent[Annotated[int, Strict()] | None] = Field(default=None, description="bge-reranker-v2-m3 and bce-reranker: chunks per long document, its score the best chunk's (default 1024).", json_schema_extra=absent)
    overlap_tokens: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='The same models: tokens shared by adjacent chunks (0 to 80, default 80).', json_schema_extra=absent)


class SiliconflowResult(Open):
    """One result of a SiliconFlow rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Higher is more relevant.')
    document: Absent[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]] | None] = Field(default=None, description='With `return_documents`: `{"text": ...}` (first in the reference\'s example; written last, as Jina writes it).', json_schema_extra=absent)


class SiliconflowTokens(Closed):
    """A SiliconFlow response's `tokens`: its usage."""

    input_tokens: Absent[Annotated[int, Strict(), Field(ge=0, le=9007199254740992)] | None] = Field(default=None, description='Tokens read.', json_schema_extra=absent)
    output_tokens: Absent[Annotated[int, Strict(), Field(ge=0, le=9007199254740992)] | None] = Field(default=None, description='Tokens produced (0 for a rerank).', json_schema_extra=absent)


class SiliconflowResponse(Open):
    """A SiliconFlow rerank response."""

    id: Absent[Annotated[str, Strict()]] = Field(default=None, description="This request's id.", json_schema_extra=absent)
    results: list[SiliconflowResult] = Field(description='The ranked documents, by descending relevance score.')
    tokens: Absent[SiliconflowTokens | None] = Field(default=None, description='`{input_tokens, output_tokens}`: the usage.', json_schema_extra=absent)


class SiliconflowError(Open):
    """A SiliconFlow error body."""

    code: Annotated[int, Strict()] = Field(description='The business code, such as `20012` (the model does not exist).')
    message: Annotated[str, Strict()] = Field(description='The message.')
    data: Absent[Annotated[Any, AfterValidator(finite)]] = Field(default=None, description='`null` in every documented body.', json_schema_extra=absent)


class DashscopeInput(Closed):
    """The request's `input`."""

    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents to rank (at most 500).')


class DashscopeParameters(Closed):
    """The request's `parameters`."""

    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its document (default false).', json_schema_extra=absent)
    top_n: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return; absent means all.', json_schema_extra=absent)
    instruct: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='qwen3-rerank: a task instruction that steers the ranking.', json_schema_extra=absent)


class DashscopeRequest(Open):
    """A DashScope text rerank request."""

    model: Annotated[str, Strict()] = Field(description='The model: `gte-rerank-v2`, `gte-rerank`, `qwen3-rerank`, ...')
    input: DashscopeInput = Field(description='The query and the documents.')
    parameters: Absent[DashscopeParameters] = Field(default=None, description='The options; the SDK always sends the object, `{}` when empty.', json_schema_extra=absent)


class DashscopeResultDocument(Closed):
    """An echoed document."""

    text: Annotated[str, Strict()] = Field(description="The document's text.")


class DashscopeResult(Open):
    """One result."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in `input.documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Higher is more relevant.')
    document: Absent[DashscopeResultDocument | None] = Field(default=None, description='The document, when `return_documents` was true.', json_schema_extra=absent)


class DashscopeOutput(Closed):
    """The response's `output`."""

    results: list[DashscopeResult] = Field(description='The ranked documents, by descending relevance score.')


class DashscopeTokenUsage(Closed):
    """The response's `usage`."""

    total_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description="The tokens counted (the SDK's `ReRankUsage`).", json_schema_extra=absent)
    input_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description="The same count, as the SDK's mock server names it.", json_schema_extra=absent)


class DashscopeResponse(Open):
    """A DashScope text rerank response."""

    output: DashscopeOutput = Field(description='The results.')
    usage: Absent[DashscopeTokenUsage] = Field(default=None, description='Token usage.', json_schema_extra=absent)
    request_id: Absent[Annotated[str, Strict()]] = Field(default=None, description="DashScope's id of this request.", json_schema_extra=absent)


class DashscopeError(Open):
    """A DashScope error body."""

    code: Absent[Annotated[str, Strict()]] = Field(default=None, description='A string code such as `InvalidParameter`.', json_schema_extra=absent)
    message: Annotated[str, Strict()] = Field(description='The message.')
    request_id: Absent[Annotated[str, Strict()]] = Field(default=None, description="DashScope's id of the failed request.", json_schema_extra=absent)


class PineconeRequest(Open):
    """A Pinecone rerank request."""

    model: Annotated[str, Strict()] = Field(description='The reranking model, such as `bge-reranker-v2-m3`.')
    query: Annotated[str, Strict()] = Field(description='The query.')
    documents: list[dict[Annotated[str, Strict()], Annotated[str, Strict()]]] = Field(description='The documents: objects, ranked on their `rank_fields`.')
    top_n: Absent[Annotated[int, Strict()]] = Field(default=None, description='How many results to return; absent means all.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()]] = Field(default=None, description='Whether each result carries its document (default true).', json_schema_extra=absent)
    rank_fields: Absent[list[Annotated[str, Strict()]]] = Field(default=None, description='The fields to rank on (default `["text"]`; how many a model takes is model-specific).', json_schema_extra=absent)
    parameters: Absent[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]]] = Field(default=None, description='Model-specific parameters, such as `{"truncate": "END"}`.', json_schema_extra=absent)


class PineconeResult(Open):
    """One ranked document."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    score: Annotated[float, Strict()] = Field(description='The relevance, between 0 and 1.')
    document: Absent[dict[Annotated[str, Strict()], Annotated[str, Strict()]] | None] = Field(default=None, description='The document as sent, when `return_documents` was true.', json_schema_extra=absent)


class PineconeRerankUsage(Closed):
    """The response's usage."""

    rerank_units: Annotated[int, Strict(), Field(ge=0)] = Field(description='The rerank units billed for the request (not tokens).')


class PineconeResponse(Open):
    """A Pinecone rerank response (`RerankResult`)."""

    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The model that ranked the documents.', json_schema_extra=absent)
    data: list[PineconeResult] = Field(description='The ranked documents, by descending score.')
    usage: Absent[PineconeRerankUsage] = Field(default=None, description='The rerank units consumed.', json_schema_extra=absent)


class PineconeErrorDetail(Closed):
    """The `error` object of an error body."""

    code: Annotated[str, Strict()] = Field(description='A gRPC-style code: `INVALID_ARGUMENT`, `UNAUTHENTICATED`, `NOT_FOUND`, ...')
    message: Annotated[str, Strict()] = Field(description='The message.')
    details: Absent[Annotated[Any, AfterValidator(finite)]] = Field(default=None, description='More about the error (not always present).', json_schema_extra=absent)


class PineconeError(Open):
    """A Pinecone error body (`ErrorResponse`)."""

    error: PineconeErrorDetail = Field(description='The code and message.')
    status: Absent[Annotated[int, Strict()]] = Field(default=None, description='The HTTP status.', json_schema_extra=absent)


class BedrockTextDocumentBody(Closed):
    """`RerankTextDocument`: a text."""

    text: Absent[Annotated[str, Strict()]] = Field(default=None, description='The text (1 to 32,000 characters).', json_schema_extra=absent)


class BedrockQuery(Closed):
    """`RerankQuery`."""

    type: Literal['TEXT'] = Field(description='Always `"TEXT"`.')
    textQuery: BedrockTextDocumentBody = Field(description="The query's text.")


class BedrockRerankDocument(Closed):
    """`RerankDocument`: a source's content, and a result's echoed document."""

    type: Literal['JSON', 'TEXT'] = Field(description='`"TEXT"` or `"JSON"`.')
    textDocument: Absent[BedrockTextDocumentBody] = Field(default=None, description='For `TEXT`: the text.', json_schema_extra=absent)
    jsonDocument: Absent[dict[Annotated[str, Strict()], Annotated[str, Strict()]]] = Field(default=None, description='For `JSON`: an object.', json_schema_extra=absent)


class BedrockSource(Closed):
    """`RerankSource`."""

    type: Literal['INLINE'] = Field(description='Always `"INLINE"`.')
    inlineDocumentSource: BedrockRerankDocument = Field(description='The document.')


class BedrockModelConfiguration(Closed):
    """`BedrockRerankingModelConfiguration`."""

    modelArn: Annotated[str, Strict()] = Field(description="The reranker model's ARN.")
    additionalModelRequestFields: Absent[dict[Annotated[str, Strict()], Annotated[Any, AfterValidator(finite)]]] = Field(default=None, description='Request fields for the model.', json_schema_extra=absent)


class BedrockBedrockRerankingConfiguration(Closed):
    """`BedrockRerankingConfiguration`."""

    modelConfiguration: BedrockModelConfiguration = Field(description='The model.')
    numberOfResults: Absent[Annotated[int, Strict()]] = Field(default=None, description='How many results to return (1 to 1000).', json_schema_extra=absent)


class BedrockRerankingConfiguration(Closed):
    """`RerankingConfiguration`."""

    type: Literal['BEDROCK_RERANKING_MODEL'] = Field(description='Always `"BEDROCK_RERANKING_MODEL"`.')
    bedrockRerankingConfiguration: BedrockBedrockRerankingConfiguration = Field(description='The model and the number of results.')


class BedrockRequest(Open):
    """A Bedrock `Rerank` request."""

    queries: Annotated[list[BedrockQuery], Field(min_length=1, max_length=1)] = Field(description='Exactly one query.')
    sources: list[BedrockSource] = Field(description='The documents to rank (1 to 1000).')
    rerankingConfiguration: BedrockRerankingConfiguration = Field(description='The model and the number of results.')
    nextToken: Absent[Annotated[str, Strict()]] = Field(default=None, description='The token of the next page of results, from an earlier response.', json_schema_extra=absent)


class BedrockResult(Open):
    """`RerankResult`."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in `sources`.")
    relevanceScore: Annotated[float, Strict()] = Field(description='The relevance score.')
    document: Absent[BedrockRerankDocument] = Field(default=None, description='The document.', json_schema_extra=absent)


class BedrockResponse(Open):
    """A Bedrock `Rerank` response."""

    results: list[BedrockResult] = Field(description='The ranked documents, by descending relevance score.')
    nextToken: Absent[Annotated[str, Strict()]] = Field(default=None, description='The token of the next page, when more results remain.', json_schema_extra=absent)


class BedrockError(Open):
    """A Bedrock error body."""

    message: Annotated[str, Strict()] = Field(description='The message.')
    reason: Absent[Annotated[str, Strict()]] = Field(default=None, description='`InternalServerException`: why (`BEDROCK_MODEL_INVOCATION_SERVICE_UNAVAILABLE`).', json_schema_extra=absent)
    resourceName: Absent[Annotated[str, Strict()]] = Field(default=None, description='`DependencyFailedException`, `BadGatewayException`: the dependency.', json_schema_extra=absent)


class VoyageRequest(Open):
    """A Voyage AI rerank request."""

    model: Annotated[str, Strict()] = Field(description='The reranker, such as `rerank-2.5`.')
    query: Annotated[str, Strict()] = Field(description='The search query.')
    documents: list[Annotated[str, Strict()]] = Field(description='The documents to rank: strings, at most 1,000.')
    top_k: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return; null or absent means all.', json_schema_extra=absent)
    return_documents: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its document (default false).', json_schema_extra=absent)
    truncation: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether over-long inputs are truncated (default true) or refused.', json_schema_extra=absent)


class VoyageResult(Open):
    """One result of a Voyage AI rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The document's position in the request's `documents`.")
    relevance_score: Annotated[float, Strict()] = Field(description='Higher is more relevant.')
    document: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The document, a bare string, when `return_documents` was true.', json_schema_extra=absent)


class VoyageUsage(Closed):
    """Token usage, in Jina's shape."""

    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='tokens processed.')
    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='legacy Jina (and OpenAI-style gateways): tokens read.', json_schema_extra=absent)
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='OpenAI-style gateways (new-api): tokens produced, normally 0.', json_schema_extra=absent)


class VoyageResponse(Open):
    """A Voyage AI rerank response."""

    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"list"`.', json_schema_extra=absent)
    data: list[VoyageResult] = Field(description='The ranked documents, by descending relevance score.')
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The reranker that ranked them.', json_schema_extra=absent)
    usage: Absent[VoyageUsage | None] = Field(default=None, description='The tokens used (the SDK reads `usage.total_tokens`).', json_schema_extra=absent)


class VoyageError(Open):
    """A Voyage AI error body, `{"detail": "..."}` (the shared FastAPI-style body)."""

    detail: Annotated[str, Strict()] = Field(description='The message.')


class MixedbreadRequest(Open):
    """A Mixedbread rerank request."""

    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The reranker (default `mixedbread-ai/mxbai-rerank-large-v2`).', json_schema_extra=absent)
    query: Annotated[str, Strict()] = Field(description='The search query.')
    input: list[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]]] = Field(description='The documents to rank, 1 to 1,000: strings or objects.')
    rank_fields: Absent[list[Annotated[str, Strict()]] | None] = Field(default=None, description='For object inputs: the fields to rank on.', json_schema_extra=absent)
    top_k: Absent[Annotated[int, Strict()] | None] = Field(default=None, description='How many results to return; -1 (the default) means all.', json_schema_extra=absent)
    return_input: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether each result carries its input (default false).', json_schema_extra=absent)
    rewrite_query: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description='Whether the query is rewritten before ranking (default false).', json_schema_extra=absent)


class MixedbreadTokenUsage(Closed):
    """A Mixedbread response's `usage` (`types/shared/usage.py`), in its wire order."""

    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='The tokens read.', json_schema_extra=absent)
    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='The tokens used.')
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='The tokens produced (0 for a reranker).', json_schema_extra=absent)


class MixedbreadResult(Open):
    """One result of a Mixedbread rerank response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The input's position in the request's `input`.")
    score: Annotated[float, Strict()] = Field(description='Higher is more relevant.')
    input: Absent[Annotated[str, Strict()] | dict[Annotated[str, Strict()], Annotated[str, Strict()]] | None] = Field(default=None, description='The input as it was sent (string or object), with `return_input`.', json_schema_extra=absent)
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"rank_result"`.', json_schema_extra=absent)


class MixedbreadResponse(Open):
    """A Mixedbread rerank response."""

    usage: Absent[MixedbreadTokenUsage | None] = Field(default=None, description='The tokens used.', json_schema_extra=absent)
    model: Absent[Annotated[str, Strict()]] = Field(default=None, description='The reranker that ranked them.', json_schema_extra=absent)
    data: list[MixedbreadResult] = Field(description='The ranked inputs, by descending score.')
    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='Always `"list"`.', json_schema_extra=absent)
    top_k: Absent[Annotated[int, Strict()] | None] = Field(default=None, description="The request's `top_k`, echoed.", json_schema_extra=absent)
    return_input: Absent[Annotated[bool, Strict()] | None] = Field(default=None, description="The request's `return_input`, echoed.", json_schema_extra=absent)


class MixedbreadError(Open):
    """A Mixedbread error body, `{"detail": "..."}` (FastAPI's, as Elastic's tests mock it)."""

    detail: Annotated[str, Strict()] = Field(description='The message.')


class NimQuery(Closed):
    """A NIM query."""

    text: Annotated[str, Strict()] = Field(description="The query's text.")


class NimPassage(Closed):
    """A NIM passage: a text, an image (VLM rerankers), or both."""

    text: Absent[Annotated[str, Strict()]] = Field(default=None, description="The passage's text (left out for an image-only passage).", json_schema_extra=absent)
    image: Absent[Annotated[str, Strict()]] = Field(default=None, description='A base64 data URL of a PNG or JPEG image.', json_schema_extra=absent)


class NimRequest(Open):
    """A NIM ranking request."""

    model: Annotated[str, Strict()] = Field(description='The reranker, such as `nvidia/llama-nemotron-rerank-1b-v2`.')
    query: NimQuery = Field(description='The query, `{"text": ...}`.')
    passages: list[NimPassage] = Field(description='The passages to rank.')
    truncate: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='`"END"` truncates over-long inputs, `"NONE"` refuses them.', json_schema_extra=absent)


class NimResult(Open):
    """One ranking of a NIM response."""

    index: Annotated[int, Strict(), Field(ge=0)] = Field(description="The passage's position in the request's `passages`.")
    logit: Annotated[float, Strict()] = Field(description="The model's raw score: higher is more relevant.")


class NimTokenUsage(Closed):
    """A NIM response's `usage` (newer releases), in its wire order."""

    prompt_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='The tokens read.', json_schema_extra=absent)
    total_tokens: Annotated[int, Strict(), Field(ge=0)] = Field(description='The tokens used.')
    completion_tokens: Absent[Annotated[int, Strict(), Field(ge=0)]] = Field(default=None, description='Not documented for NIM; read and written where present (an OpenAI-style `usage` of a gateway in front of it).', json_schema_extra=absent)


class NimResponse(Open):
    """A NIM ranking response."""

    rankings: list[NimResult] = Field(description='Every passage, by descending logit.')
    usage: Absent[NimTokenUsage | None] = Field(default=None, description='The tokens used (newer releases): `prompt_tokens`, `total_tokens`.', json_schema_extra=absent)


class NimError(Open):
    """A NIM container's error body, `{"object": "error", "message": ...}`."""

    object: Absent[Annotated[str, Strict()]] = Field(default=None, description='`"error"`.', json_schema_extra=absent)
    message: Annotated[str, Strict()] = Field(description='What went wrong.')
    type: Absent[Annotated[str, Strict()]] = Field(default=None, description='What kind of error, when given.', json_schema_extra=absent)


class OpenAIBody(Ignoring):
    """The `error` object."""

    message: Annotated[str, Strict()] = Field(description='The message.')
    type: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The error type (`invalid_request_error`, `new_api_error`, ...).', json_schema_extra=absent)
    param: Absent[Annotated[str, Strict()] | None] = Field(default=None, description='The parameter at fault, if any.', json_schema_extra=absent)
    code: Absent[Annotated[str, Strict()] | Annotated[int, Strict()] | None] = Field(default=None, description='A machine-readable code, or (LiteLLM) the HTTP status as a string.', json_schema_extra=absent)


class OpenAIError(Open):
    """An OpenAI-style error envelope."""

    error: OpenAIBody = Field(description='The error object.')


class jina(Namespace):
    """The models of the `jina` format, by their wire Struct's name."""

    Error: TypeAlias = JinaError
    ErrorItem: TypeAlias = JinaErrorItem
    LegacyDetail: TypeAlias = JinaLegacyDetail
    Request: TypeAlias = JinaRequest
    Response: TypeAlias = JinaResponse
    Result: TypeAlias = JinaResult
    Usage: TypeAlias = JinaUsage


class cohere_v1(Namespace):
    """The models of the `cohere_v1` format, by their wire Struct's name."""

    Error: TypeAlias = CohereV1Error
    Request: TypeAlias = CohereV1Request
    Response: TypeAlias = CohereV1Response
    Result: TypeAlias = CohereV1Result


class cohere_v2(Namespace):
    """The models of the `cohere_v2` format, by their wire Struct's name."""

    Error: TypeAlias = CohereV2Error
    RelevantSpans: TypeAlias = CohereV2RelevantSpans
    Request: TypeAlias = CohereV2Request
    Response: TypeAlias = CohereV2Response
    Result: TypeAlias = CohereV2Result
    Span: TypeAlias = CohereV2Span


class xinference(Namespace):
    """The models of the `xinference` format, by their wire Struct's name."""

    Error: TypeAlias = XinferenceError
    Request: TypeAlias = XinferenceRequest
    Response: TypeAlias = XinferenceResponse
    Result: TypeAlias = XinferenceResult


class tei(Namespace):
    """The models of the `tei` format, by their wire Struct's name."""

    Error: TypeAlias = TeiError
    Request: TypeAlias = TeiRequest
    Response: TypeAlias = TeiResponse
    Result: TypeAlias = TeiResult


class llama_cpp(Namespace):
    """The models of the `llama_cpp` format, by their wire Struct's name."""

    Body: TypeAlias = LlamaCppBody
    Error: TypeAlias = LlamaCppError
    Request: TypeAlias = LlamaCppRequest
    Response: TypeAlias = LlamaCppResponse
    Result: TypeAlias = LlamaCppResult
    Usage: TypeAlias = LlamaCppUsage


class vllm(Namespace):
    """The models of the `vllm` format, by their wire Struct's name."""

    Body: TypeAlias = VllmBody
    Content: TypeAlias = VllmContent
    Echo: TypeAlias = VllmEcho
    Error: TypeAlias = VllmError
    Request: TypeAlias = VllmRequest
    RerankUsage: TypeAlias = VllmRerankUsage
    Response: TypeAlias = VllmResponse
    Result: TypeAlias = VllmResult


class vllm_score(Namespace):
    """The models of the `vllm_score` format, by their wire Struct's name."""

    Body: TypeAlias = VllmScoreBody
    Content: TypeAlias = VllmScoreContent
    Error: TypeAlias = VllmScoreError
    Request: TypeAlias = VllmScoreRequest
    Response: TypeAlias = VllmScoreResponse
    Result: TypeAlias = VllmScoreResult
    ScoreUsage: TypeAlias = VllmScoreScoreUsage


class infinity(Namespace):
    """The models of the `infinity` format, by their wire Struct's name."""

    Body: TypeAlias = InfinityBody
    Error: TypeAlias = InfinityError
    Request: TypeAlias = InfinityRequest
    Response: TypeAlias = InfinityResponse
    Result: TypeAlias = InfinityResult
    Usage: TypeAlias = InfinityUsage


class together(Namespace):
    """The models of the `together` format, by their wire Struct's name."""

    Body: TypeAlias = TogetherBody
    Error: TypeAlias = TogetherError
    Request: TypeAlias = TogetherRequest
    Response: TypeAlias = TogetherResponse
    Result: TypeAlias = TogetherResult
    ResultDocument: TypeAlias = TogetherResultDocument
    Usage: TypeAlias = TogetherUsage


class siliconflow(Namespace):
    """The models of the `siliconflow` format, by their wire Struct's name."""

    Error: TypeAlias = SiliconflowError
    Request: TypeAlias = SiliconflowRequest
    Response: TypeAlias = SiliconflowResponse
    Result: TypeAlias = SiliconflowResult
    Tokens: TypeAlias = SiliconflowTokens


class dashscope(Namespace):
    """The models of the `dashscope` format, by their wire Struct's name."""

    Error: TypeAlias = DashscopeError
    Input: TypeAlias = DashscopeInput
    Output: TypeAlias = DashscopeOutput
    Parameters: TypeAlias = DashscopeParameters
    Request: TypeAlias = DashscopeRequest
    Response: TypeAlias = DashscopeResponse
    Result: TypeAlias = DashscopeResult
    ResultDocument: TypeAlias = DashscopeResultDocument
    TokenUsage: TypeAlias = DashscopeTokenUsage


class pinecone(Namespace):
    """The models of the `pinecone` format, by their wire Struct's name."""

    Error: TypeAlias = PineconeError
    ErrorDetail: TypeAlias = PineconeErrorDetail
    Request: TypeAlias = PineconeRequest
    RerankUsage: TypeAlias = PineconeRerankUsage
    Response: TypeAlias = PineconeResponse
    Result: TypeAlias = PineconeResult


class bedrock(Namespace):
    """The models of the `bedrock` format, by their wire Struct's name."""

    BedrockRerankingConfiguration: TypeAlias = BedrockBedrockRerankingConfiguration
    Error: TypeAlias = BedrockError
    ModelConfiguration: TypeAlias = BedrockModelConfiguration
    Query: TypeAlias = BedrockQuery
    Request: TypeAlias = BedrockRequest
    RerankDocument: TypeAlias = BedrockRerankDocument
    RerankingConfiguration: TypeAlias = BedrockRerankingConfiguration
    Response: TypeAlias = BedrockResponse
    Result: TypeAlias = BedrockResult
    Source: TypeAlias = BedrockSource
    TextDocumentBody: TypeAlias = BedrockTextDocumentBody


class voyage(Namespace):
    """The models of the `voyage` format, by their wire Struct's name."""

    Error: TypeAlias = VoyageError
    Request: TypeAlias = VoyageRequest
    Response: TypeAlias = VoyageResponse
    Result: TypeAlias = VoyageResult
    Usage: TypeAlias = VoyageUsage


class mixedbread(Namespace):
    """The models of the `mixedbread` format, by their wire Struct's name."""

    Error: TypeAlias = MixedbreadError
    Request: TypeAlias = MixedbreadRequest
    Response: TypeAlias = MixedbreadResponse
    Result: TypeAlias = MixedbreadResult
    TokenUsage: TypeAlias = MixedbreadTokenUsage


class nim(Namespace):
    """The models of the `nim` format, by their wire Struct's name."""

    Error: TypeAlias = NimError
    Passage: TypeAlias = NimPassage
    Query: TypeAlias = NimQuery
    Request: TypeAlias = NimRequest
    Response: TypeAlias = NimResponse
    Result: TypeAlias = NimResult
    TokenUsage: TypeAlias = NimTokenUsage


class openai(Namespace):
    """The models of the `openai` format, by their wire Struct's name."""

    Body: TypeAlias = OpenAIBody
    Error: TypeAlias = OpenAIError


ROOTS: dict[tuple[str, str], type[BaseModel]] = {
    ("jina", "request"): JinaRequest,
    ("jina", "response"): JinaResponse,
    ("jina", "error"): JinaError,
    ("cohere_v1", "request"): CohereV1Request,
    ("cohere_v1", "response"): CohereV1Response,
    ("cohere_v1", "error"): CohereV1Error,
    ("cohere_v2", "request"): CohereV2Request,
    ("cohere_v2", "response"): CohereV2Response,
    ("cohere_v2", "error"): CohereV2Error,
    ("xinference", "request"): XinferenceRequest,
    ("xinference", "response"): XinferenceResponse,
    ("xinference", "error"): XinferenceError,
    ("tei", "request"): TeiRequest,
    ("tei", "response"): TeiResponse,
    ("tei", "error"): TeiError,
    ("llama_cpp", "request"): LlamaCppRequest,
    ("llama_cpp", "response"): LlamaCppResponse,
    ("llama_cpp", "error"): LlamaCppError,
    ("vllm", "request"): VllmRequest,
    ("vllm", "response"): VllmResponse,
    ("vllm", "error"): VllmError,
    ("vllm_score", "request"): VllmScoreRequest,
    ("vllm_score", "response"): VllmScoreResponse,
    ("vllm_score", "error"): VllmScoreError,
    ("infinity", "request"): InfinityRequest,
    ("infinity", "response"): InfinityResponse,
    ("infinity", "error"): InfinityError,
    ("together", "request"): TogetherRequest,
    ("together", "response"): TogetherResponse,
    ("together", "error"): TogetherError,
    ("siliconflow", "request"): SiliconflowRequest,
    ("siliconflow", "response"): SiliconflowResponse,
    ("siliconflow", "error"): SiliconflowError,
    ("dashscope", "request"): DashscopeRequest,
    ("dashscope", "response"): DashscopeResponse,
    ("dashscope", "error"): DashscopeError,
    ("pinecone", "request"): PineconeRequest,
    ("pinecone", "response"): PineconeResponse,
    ("pinecone", "error"): PineconeError,
    ("bedrock", "request"): BedrockRequest,
    ("bedrock", "response"): BedrockResponse,
    ("bedrock", "error"): BedrockError,
    ("voyage", "request"): VoyageRequest,
    ("voyage", "response"): VoyageResponse,
    ("voyage", "error"): VoyageError,
    ("mixedbread", "request"): MixedbreadRequest,
    ("mixedbread", "response"): MixedbreadResponse,
    ("mixedbread", "error"): MixedbreadError,
    ("nim", "request"): NimRequest,
    ("nim", "response"): NimResponse,
    ("nim", "error"): NimError,
    ("openai", "error"): OpenAIError,
}
"""The model of each (format, kind): what `model(format, kind)` returns."""
