"""The pydantic models of every format, generated from the wire Structs: do not edit.

`make pydantic` (`python -m rerank_formats._codegen pydantic`) writes this file from the
registry and the Structs the decoders use; tests/test_pydantic.py checks that it is current.
"""

# ruff: noqa: F401, N801, N815

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, Field, RootModel, Strict

from ._support import Absent, Closed, Ignoring, Namespace, Open, absent, finite, ruled

__all__ = ["ROOTS", "bedrock", "cohere_v1", "cohere_v2", "dashscope", "jina", "openai", "pinecone", "xinference"]


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
    ("dashscope", "request"): DashscopeRequest,
    ("dashscope", "response"): DashscopeResponse,
    ("dashscope", "error"): DashscopeError,
    ("pinecone", "request"): PineconeRequest,
    ("pinecone", "response"): PineconeResponse,
    ("pinecone", "error"): PineconeError,
    ("bedrock", "request"): BedrockRequest,
    ("bedrock", "response"): BedrockResponse,
    ("bedrock", "error"): BedrockError,
    ("openai", "error"): OpenAIError,
}
"""The model of each (format, kind): what `model(format, kind)` returns."""
