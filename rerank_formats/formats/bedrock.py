"""AWS Bedrock Agent Runtime `Rerank`, `POST https://bedrock-agent-runtime.<region>.amazonaws.com/rerank`.

Reference: the service model in botocore 1.44.8 (PyPI),
`botocore/data/bedrock-agent-runtime/2023-07-26/service-2.json` (operation `Rerank`, shapes
`RerankRequest`, `RerankResponse`, `RerankResult`, `RerankDocument`,
`BedrockRerankingConfiguration` and the nine error shapes; protocol `rest-json`, SigV4 with
signing name `bedrock`), which boto3 builds its client from; botocore's `parsers.py`
(`RestJSONParser._inject_error_code`: the error type is the `x-amzn-ErrorType` header, else
the body's `code`); MORE-FORMATS.md §5e (langchain-aws `BedrockRerank` and LiteLLM read
`index` as the input position, as the service model documents it).

The request is signed with SigV4 (`Authorization: AWS4-HMAC-SHA256 ...`), which a pure
converter cannot do: the format's `ENDPOINT` declares `signing="sigv4:bedrock"`, and
signing an upstream request is the transport's job (`rerank_formats.sigv4`; the proxy
signs with the `upstream_aws_*` settings of `ProxyConfig`, from `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and `AWS_REGION` in `rerank-formats serve`).
`request_headers("bedrock", api_key=...)` refuses a key. The reference proxy does not check
a client's signature: a client key (`client_api_key`) is compared with the access key id
in the client's `Credential=` (see `api_key_from`).

Request

| wire field | canonical | notes |
| --- | --- | --- |
| `queries[0].textQuery.text` | `query` | exactly one query, `type: "TEXT"` |
| `sources[].inlineDocumentSource` | `documents` | `TEXT`: `textDocument.text` (a string); `JSON`: `jsonDocument` (an `ObjectDocument`) |
| `rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn` | `model` | an ARN (`arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0`), or the model id |
| `...bedrockRerankingConfiguration.numberOfResults` | `top_n` | 1 to 1000, and no more than the sources: Bedrock refuses more (langgenius/dify #12774), where Jina returns them all; written as it is, and `validate` says so; absent means all |
| `...modelConfiguration.additionalModelRequestFields` | `extensions["bedrock"]` | kept with its `rerankingConfiguration`; a ranking loss elsewhere |
| `nextToken` | `extensions["bedrock"]` | the next page of a long answer; a ranking loss elsewhere |
| — | `return_documents` | none: results are filled or stripped in the request's context |
| — | `truncation`, `max_doc_length`, `return_embeddings` | losses when set |

Response

| wire field | canonical | notes |
| --- | --- | --- |
| `results[].index` | `results[].index` | the position in `sources` |
| `results[].relevanceScore` | `results[].relevance_score` | |
| `results[].document` | `results[].document` | a `RerankDocument`, like a source |
| `nextToken` | `extensions["bedrock"]` | kept for writing back; a reporting loss elsewhere (more results follow) |

There is no usage and no model: a Jina client reads `usage` as unknown (`null`), and a usage
written to Bedrock is a reporting loss.

Errors

| wire field | canonical | notes |
| --- | --- | --- |
| header `x-amzn-ErrorType` | `code` | `ValidationException`, `ThrottlingException`, ... (read with `decode_error(..., headers=...)`) |
| `message` | `message` | field-level details are folded into it |
| `reason`, `resourceName` | `extensions["bedrock"]` | `InternalServerException`, `DependencyFailedException` |

Statuses (the error shapes' `httpStatusCode`): 400 (ValidationException,
ServiceQuotaExceededException), 403, 404, 409, 424, 429, 500, 502. The error type is a header
that an error body cannot carry: a Bedrock error written for a boto3 client has none, and
boto3 then names it by its status (`ClientError` with `Code` `"429"`).

Unverified: how many results Bedrock returns without `numberOfResults` (all, as read here),
whether it echoes `document` unasked (results are filled or stripped in the request's
context either way), a `jsonDocument` whose values are not strings (refused here: the
canonical model holds objects of strings), and the real error bodies (the recorded one is
rebuilt from boto3's message).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, cast

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ..canonical import (
    Document,
    Extension,
    ImageDocument,
    ObjectDocument,
    RerankError,
    RerankRequest,
    RerankResponse,
    RerankResult,
    TextDocument,
    Usage,
)
from ..errors import DecodeError, LossKind
from . import _checks
from ._base import (
    Codec,
    Endpoint,
    Leftovers,
    ScoreScale,
    Sink,
    Wire,
    document_for_loss,
    embedding_losses,
    extension_map,
    keeps_unknown,
    kept,
    kept_fields,
    kept_results,
    own_extension,
    text_of,
)
from ._errors import fold
from ._helpers import plain_texts, texts_of, unsupported

__all__ = [
    "DEFAULTS",
    "ENDPOINT",
    "ERROR",
    "KEEPS_UNKNOWN",
    "NAME",
    "PROVIDER",
    "REQUEST",
    "REQUIRES",
    "RESPONSE",
    "SCORE_SCALE",
    "STATUSES",
    "STATUS_MAP",
    "SUPPORTS",
    "UNKNOWN_FIELDS",
    "BedrockRerankingConfiguration",
    "Error",
    "ModelConfiguration",
    "Query",
    "Request",
    "RerankDocument",
    "RerankingConfiguration",
    "Response",
    "Result",
    "Source",
    "TextDocumentBody",
    "check",
    "error_code_from_headers",
    "error_from_canonical",
    "error_from_text",
    "error_to_canonical",
    "field_loss",
    "request_from_canonical",
    "request_to_canonical",
    "response_from_canonical",
    "response_to_canonical",
]

NAME: Final = "bedrock"
PROVIDER: Final = "AWS Bedrock"

SUPPORTS: Final = frozenset({"model", "top_n", "response_documents", "object_echo"})
REQUIRES: Final = frozenset({"model"})  # modelArn is required
ENDPOINT: Final = Endpoint(
    method="POST",
    path="/rerank",
    auth_header="Authorization",
    auth_scheme="AWS4-HMAC-SHA256",  # where the SigV4 signature goes: no key is sent
    signing="sigv4:bedrock",  # service-2.json metadata: signatureVersion v4, signingName bedrock
    max_documents=1000,  # RerankSourcesList: max 1000
)
SCORE_SCALE: Final[ScoreScale] = "unknown"  # RerankResult.relevanceScore: a float, no range
DEFAULTS: Final[Mapping[str, object]] = {}


class TextDocumentBody(Wire, frozen=True, kw_only=True):
    """`RerankTextDocument`: a text.

    Attributes:
        text: The text (1 to 32,000 characters).
    """

    text: str | UnsetType = UNSET


class Query(Wire, frozen=True, kw_only=True):
    """`RerankQuery`.

    Attributes:
        type: Always `"TEXT"`.
        textQuery: The query's text.
    """

    type: Literal["TEXT"]
    textQuery: TextDocumentBody  # noqa: N815 - the wire's names


class RerankDocument(Wire, frozen=True, kw_only=True):
    """`RerankDocument`: a source's content, and a result's echoed document.

    Attributes:
        type: `"TEXT"` or `"JSON"`.
        textDocument: For `TEXT`: the text.
        jsonDocument: For `JSON`: an object.
    """

    type: Literal["TEXT", "JSON"]
    textDocument: TextDocumentBody | UnsetType = UNSET  # noqa: N815
    jsonDocument: dict[str, str] | UnsetType = UNSET  # noqa: N815


class Source(Wire, frozen=True, kw_only=True):
    """`RerankSource`.

    Attributes:
        type: Always `"INLINE"`.
        inlineDocumentSource: The document.
    """

    type: Literal["INLINE"]
    inlineDocumentSource: RerankDocument  # noqa: N815


class ModelConfiguration(Wire, frozen=True, kw_only=True):
    """`BedrockRerankingModelConfiguration`.

    Attributes:
        modelArn: The reranker model's ARN.
        additionalModelRequestFields: Request fields for the model.
    """

    modelArn: str  # noqa: N815
    additionalModelRequestFields: dict[str, object] | UnsetType = UNSET  # noqa: N815


class BedrockRerankingConfiguration(Wire, frozen=True, kw_only=True):
    """`BedrockRerankingConfiguration`.

    Attributes:
        modelConfiguration: The model.
        numberOfResults: How many results to return (1 to 1000).
    """

    modelConfiguration: ModelConfiguration  # noqa: N815
    numberOfResults: int | UnsetType = UNSET  # noqa: N815


class RerankingConfiguration(Wire, frozen=True, kw_only=True):
    """`RerankingConfiguration`.

    Attributes:
        type: Always `"BEDROCK_RERANKING_MODEL"`.
        bedrockRerankingConfiguration: The model and the number of results.
    """

    type: Literal["BEDROCK_RERANKING_MODEL"]
    bedrockRerankingConfiguration: BedrockRerankingConfiguration  # noqa: N815


class Request(Wire, frozen=True, kw_only=True):
    """A Bedrock `Rerank` request.

    Attributes:
        queries: Exactly one query.
        sources: The documents to rank (1 to 1000).
        rerankingConfiguration: The model and the number of results.
        nextToken: The token of the next page of results, from an earlier response.
    """

    queries: Annotated[tuple[Query, ...], Meta(min_length=1, max_length=1)]
    sources: tuple[Source, ...]
    rerankingConfiguration: RerankingConfiguration  # noqa: N815
    nextToken: str | UnsetType = UNSET  # noqa: N815


class Result(Wire, frozen=True, kw_only=True):
    """`RerankResult`.

    Attributes:
        index: The document's position in `sources`.
        relevanceScore: The relevance score.
        document: The document.
    """

    index: Annotated[int, Meta(ge=0)]
    relevanceScore: float  # noqa: N815
    document: RerankDocument | UnsetType = UNSET


class Response(Wire, frozen=True, kw_only=True):
    """A Bedrock `Rerank` response.

    Attributes:
        results: The ranked documents, by descending relevance score.
        nextToken: The token of the next page, when more results remain.
    """

    results: tuple[Result, ...]
    nextToken: str | UnsetType = UNSET  # noqa: N815


REQUEST: Final = Codec[Request](
    format=NAME,
    kind="request",
    fast=Request,
    general=Request,
    struct=Request,
    keys={"documents": "sources", "query": "queries"},
)
RESPONSE: Final = Codec[Response](
    format=NAME,
    kind="response",
    fast=Response,
    general=Response,
    struct=Response,
    nested=("results", Result),
    keys={"relevance_score": "relevanceScore"},
)
KEEPS_UNKNOWN: Final = keeps_unknown(REQUEST, RESPONSE)


def field_loss(
    kind: str, key: str, value: object, target: str, supports: frozenset[str]
) -> tuple[str, LossKind] | None:
    """Why `target` loses this Bedrock field, or None when nothing of meaning is lost."""
    if kind == "request" and key == "nextToken":
        return f"bedrock's nextToken asks for the next page; {target} has no pages", "ranking"
    if kind == "request" and key == "rerankingConfiguration":  # its model request fields
        return f"bedrock's additionalModelRequestFields have no {target} equivalent", "ranking"
    if key == "nextToken":  # a response's: more results follow, on another page
        return f"bedrock's nextToken says more results follow; {target} has no pages", "reporting"
    return None


_DOCUMENT_AT: Final = {
    "request": "$.sources[{}].inlineDocumentSource",
    "response": "$.results[{}].document",
}


def _document(document: RerankDocument, kind: str, i: int) -> Document:
    """The canonical document of a request's source or a response's result `i` (its path
    is written only for an error)."""
    if document.type == "TEXT" and document.textDocument is not UNSET:
        text = document.textDocument.text
        if text is not UNSET:
            return text
    elif document.type == "JSON" and document.jsonDocument is not UNSET:
        return ObjectDocument(fields=document.jsonDocument)
    field = "textDocument.text" if document.type == "TEXT" else "jsonDocument"
    raise DecodeError(
        f"a {document.type} document needs `{field}`",
        path=f"{_DOCUMENT_AT[kind].format(i)}.{field.split('.')[0]}",
        type="missing_field",
        format=NAME,
        kind=kind,
    )


def request_to_canonical(wire: Request, left: Leftovers) -> RerankRequest:
    bedrock = wire.rerankingConfiguration.bedrockRerankingConfiguration
    model = bedrock.modelConfiguration
    fields = kept_fields(left, nextToken=wire.nextToken)
    if model.additionalModelRequestFields is not UNSET:  # kept under its top-level key
        fields["rerankingConfiguration"] = msgspec.to_builtins(wire.rerankingConfiguration)
    text = wire.queries[0].textQuery.text
    if text is UNSET:
        raise DecodeError(
            "the query needs a `text`",
            path="$.queries[0].textQuery",
            type="missing_field",
            format=NAME,
            kind="request",
        )
    return RerankRequest(
        model=model.modelArn,
        query=text,
        documents=tuple(
            [_document(s.inlineDocumentSource, "request", i) for i, s in enumerate(wire.sources)]
        ),
        top_n=bedrock.numberOfResults,
        extensions=extension_map(NAME, fields),
    )


def _document_out(document: Document, path: str, sink: Sink, kind: LossKind) -> RerankDocument:
    if type(document) is str:
        return RerankDocument(type="TEXT", textDocument=TextDocumentBody(text=document))
    if isinstance(document, TextDocument):
        return RerankDocument(type="TEXT", textDocument=TextDocumentBody(text=document.text))
    if isinstance(document, ObjectDocument):
        return RerankDocument(type="JSON", jsonDocument=dict(document.fields))
    if isinstance(document, ImageDocument):
        sink(
            path, f"bedrock takes text and JSON documents, not {document_for_loss(document)}", kind
        )
        return RerankDocument(type="TEXT", textDocument=TextDocumentBody(text=document.image))
    raise TypeError(type(document).__name__)


def _additional(own: Extension | None) -> Any:
    """The model request fields kept with the `rerankingConfiguration` they came in."""
    kept_configuration = kept(own, "rerankingConfiguration")
    if kept_configuration is UNSET:
        return UNSET
    configuration = msgspec.convert(kept_configuration, RerankingConfiguration)
    model = configuration.bedrockRerankingConfiguration.modelConfiguration
    return model.additionalModelRequestFields


def request_from_canonical(request: RerankRequest, sink: Sink) -> Request:
    own = own_extension(request.extensions, NAME)
    query, lossy = text_of(request.query)
    if lossy:
        sink("$.queries[0]", f"bedrock takes a text query, not {document_for_loss(request.query)}")
    unsupported(request, sink, "truncation", "max_doc_length", "return_embeddings")
    return Request(
        queries=(Query(type="TEXT", textQuery=TextDocumentBody(text=query)),),
        sources=tuple(
            [  # the usual documents, texts: no call per document
                Source(
                    type="INLINE",
                    inlineDocumentSource=RerankDocument(
                        type="TEXT", textDocument=TextDocumentBody(text=text)
                    ),
                )
                for text in texts
            ]
            if (texts := texts_of(request.documents)) is not None
            else [
                Source(
                    type="INLINE",
                    inlineDocumentSource=_document_out(d, f"$.sources[{i}]", sink, "ranking"),
                )
                for i, d in enumerate(request.documents)
            ]
        ),
        rerankingConfiguration=RerankingConfiguration(
            type="BEDROCK_RERANKING_MODEL",
            bedrockRerankingConfiguration=BedrockRerankingConfiguration(
                modelConfiguration=ModelConfiguration(
                    modelArn=cast(str, request.model),  # UNSET is left out: a loss (REQUIRES)
                    additionalModelRequestFields=_additional(own),
                ),
                # as it is, even beyond the sources, which Bedrock refuses (`check` says so):
                # cutting it would change what the request says
                numberOfResults=UNSET if request.top_n is None else request.top_n,
            ),
        ),
        nextToken=kept(own, "nextToken"),
    )


def response_to_canonical(wire: Response, left: Leftovers) -> RerankResponse:
    return RerankResponse(
        results=tuple(
            [
                RerankResult(
                    index=r.index,
                    relevance_score=r.relevanceScore,
                    document=UNSET if r.document is UNSET else _document(r.document, "response", i),
                )
                for i, r in enumerate(wire.results)
            ]
        ),
        extensions=extension_map(
            NAME,
            kept_fields(left, nextToken=wire.nextToken),
            results=kept_results(left, wire.results),
        ),
    )


def response_from_canonical(
    response: RerankResponse, sink: Sink, request: RerankRequest | None
) -> Response:
    own = own_extension(response.extensions, NAME)
    embedding_losses(response.results, sink, RESPONSE.results_at)
    if isinstance(response.usage, Usage):
        sink("$.usage", "bedrock reports no usage", "reporting")
    texts = plain_texts(response.results)
    if texts is not None:  # the usual results: no call per result
        return Response(
            results=tuple(
                [
                    Result(
                        index=r.index,
                        relevanceScore=r.relevance_score,
                        document=UNSET
                        if t is None or t is UNSET
                        else RerankDocument(type="TEXT", textDocument=TextDocumentBody(text=t)),
                    )
                    for r, t in zip(response.results, texts, strict=True)
                ]
            ),
            nextToken=kept(own, "nextToken"),
        )
    results = []
    for i, r in enumerate(response.results):
        document: RerankDocument | UnsetType = UNSET
        if r.document is not UNSET and r.document is not None:
            path = f"$.results[{i}].document"
            if isinstance(r.document, ImageDocument):
                sink(path, "bedrock cannot echo an image document", "reporting")
            else:
                document = _document_out(r.document, path, sink, "reporting")
        results.append(Result(index=r.index, relevanceScore=r.relevance_score, document=document))
    return Response(results=tuple(results), nextToken=kept(own, "nextToken"))


# -- errors: `{message}`, the type in the `x-amzn-ErrorType` header -----------------------------


class Error(Wire, frozen=True, kw_only=True):
    """A Bedrock error body.

    Attributes:
        message: The message.
        reason: `InternalServerException`: why (`BEDROCK_MODEL_INVOCATION_SERVICE_UNAVAILABLE`).
        resourceName: `DependencyFailedException`, `BadGatewayException`: the dependency.
    """

    message: str
    reason: str | UnsetType = UNSET
    resourceName: str | UnsetType = UNSET  # noqa: N815


ERROR: Final = Codec[Error](format=NAME, kind="error", fast=Error, general=Error, struct=Error)
STATUSES: Final = frozenset({400, 403, 404, 409, 424, 429, 500, 502})
STATUS_MAP: Final[Mapping[int, int]] = {401: 403, 402: 403}  # AccessDeniedException
UNKNOWN_FIELDS: Final[Mapping[str, _checks.Severity]] = {
    "request": "warning",  # what Bedrock does with an unknown member is unverified
    "response": "warning",
    "error": "warning",
}


def error_code_from_headers(headers: Mapping[str, str]) -> str | None:
    """The error type of a Bedrock error, from its `x-amzn-ErrorType` header (names in lower
    case): `ValidationException:http://internal.amazon.com/...` is `ValidationException`,
    as botocore's `RestJSONParser` reads it."""
    value = headers.get("x-amzn-errortype", "")
    code = value.split(":", 1)[0].rsplit("#", 1)[-1].strip()
    return code or None


def error_to_canonical(wire: Error, left: Leftovers, status: int | None) -> RerankError:
    fields = kept_fields(left, reason=wire.reason, resourceName=wire.resourceName)
    return RerankError(
        status=500 if status is None else status,
        message=wire.message,
        extensions=extension_map(NAME, fields),
    )


def error_from_canonical(error: RerankError) -> Error:
    own = own_extension(error.extensions, NAME)
    return Error(
        message=fold(error.message, error.details),
        reason=kept(own, "reason"),
        resourceName=kept(own, "resourceName"),
    )


def error_from_text(text: str, status: int | None) -> RerankError | None:
    """Bedrock answers errors in JSON."""
    return None


def check(kind: str, body: Any, report: _checks.Report) -> None:
    """Report what Bedrock would refuse (errors) or do surprisingly (warnings)."""
    if kind == "request":
        _checks.check_documents(body, report, REQUEST, empty="error")
        key = "rerankingConfiguration.bedrockRerankingConfiguration.numberOfResults"
        wanted = _checks.at_key(body, key)
        sources = len(_checks.documents(body, REQUEST))
        if _checks.is_int(wanted) and not 1 <= wanted <= min(1000, sources or 1000):
            report(
                f"$.{key}",
                "out_of_range",
                f"numberOfResults is {wanted}; expected 1 to {min(1000, sources or 1000)}"
                + (" (no more than the sources)" if wanted > sources > 0 else ""),
                "error",
            )
    elif kind == "response":
        _checks.check_results(body, report, RESPONSE)


if TYPE_CHECKING:  # mypy checks this module against the face the registry expects
    from ..registry import Format
    from . import bedrock as _this

    _face: Format = _this
