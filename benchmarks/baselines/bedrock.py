"""The hand-written baseline of AWS Bedrock's `Rerank`: one nested query, `sources` of
inline TEXT or JSON documents, the model (an ARN) and `numberOfResults` deep in
`rerankingConfiguration`; `relevanceScore`; no usage, no model in the response; `nextToken`
written back to Bedrock."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    Writer,
    _decoder,
    _encode,
    _own,
    _too_large,
)
from ._hosted import text_of


class TextBody(msgspec.Struct, forbid_unknown_fields=True):
    text: Text


class BedrockQuery(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["TEXT"]
    textQuery: TextBody  # noqa: N815 - the wire's names


class BedrockDocument(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    type: Literal["TEXT", "JSON"]
    textDocument: TextBody | UnsetType = UNSET  # noqa: N815
    jsonDocument: dict[str, Text] | UnsetType = UNSET  # noqa: N815


class Source(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["INLINE"]
    inlineDocumentSource: BedrockDocument  # noqa: N815


class ModelConfiguration(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    modelArn: str  # noqa: N815
    additionalModelRequestFields: dict[str, Any] | UnsetType = UNSET  # noqa: N815


class BedrockRerankingConfiguration(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    modelConfiguration: ModelConfiguration  # noqa: N815
    numberOfResults: int | UnsetType = UNSET  # noqa: N815


class RerankingConfiguration(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["BEDROCK_RERANKING_MODEL"]
    bedrockRerankingConfiguration: BedrockRerankingConfiguration  # noqa: N815


class BedrockRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    queries: Annotated[list[BedrockQuery], Meta(min_length=1, max_length=1)]
    sources: Annotated[list[Source], Meta(max_length=MAX_DOCUMENTS)]
    rerankingConfiguration: RerankingConfiguration  # noqa: N815
    nextToken: str | UnsetType = UNSET  # noqa: N815


class BedrockResult(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    index: Index
    relevance_score: float = msgspec.field(name="relevanceScore")
    # decoded as a `BedrockDocument`, then replaced in place by the document it holds (a
    # `str` or an object), which writers read like any other reader's
    document: BedrockDocument | UnsetType = UNSET


class BedrockResponse(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    results: Annotated[list[BedrockResult], Meta(max_length=MAX_DOCUMENTS)]
    nextToken: str | UnsetType = UNSET  # noqa: N815


_bedrock_response = _decoder(BedrockResponse)


_bedrock_request = _decoder(BedrockRequest)


def _document(document: BedrockDocument) -> Any:
    """A TEXT document as its `str`, a JSON one as its object."""
    if document.type == "TEXT":
        if document.textDocument is not UNSET:
            return document.textDocument.text
    elif document.jsonDocument is not UNSET:
        return document.jsonDocument
    raise ValueError(f"a {document.type} document without its body")


def read_bedrock_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    r = _bedrock_response(data)
    results = r.results
    for result in results:
        if (document := result.document) is not UNSET:
            result.document = _document(document)
    return results, Envelope("bedrock", meta=r.nextToken)


def read_bedrock_request(data: bytes) -> Request:
    _too_large(data)
    r = _bedrock_request(data)
    configuration = r.rerankingConfiguration.bedrockRerankingConfiguration
    model = configuration.modelConfiguration
    return Request(
        "bedrock",
        model.modelArn,
        r.queries[0].textQuery.text,
        [_document(s.inlineDocumentSource) for s in r.sources],
        configuration.numberOfResults,
        own={
            "nextToken": r.nextToken,
            "additionalModelRequestFields": model.additionalModelRequestFields,
        },
    )


class OutText(msgspec.Struct):
    text: Any


class OutDocument(msgspec.Struct, omit_defaults=True):
    type: str
    textDocument: Any = UNSET  # noqa: N815
    jsonDocument: Any = UNSET  # noqa: N815


def _out(document: Any) -> Any:
    """A document as Bedrock writes it: a text as TEXT, another object as JSON; none (null)
    left out."""
    if document is None or document is UNSET:
        return UNSET
    text = text_of(document)
    return OutDocument("JSON", jsonDocument=document) if text is None else _text(text)


def _text(text: str) -> OutDocument:
    return OutDocument("TEXT", OutText(text))


class OutResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevanceScore: float  # noqa: N815
    document: Any = UNSET


class BedrockOut(msgspec.Struct, omit_defaults=True):
    results: list[OutResult]
    nextToken: Any = UNSET  # noqa: N815


def write_bedrock_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            OutResult(
                r.index,
                r.relevance_score,
                _out(
                    d
                    if (d := getattr(r, "document", None)) is not None and d is not UNSET
                    else documents[r.index]
                ),
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [OutResult(r.index, r.relevance_score) for r in results]
    else:
        out = [OutResult(r.index, r.relevance_score, _out(r.document)) for r in results]
    return _encode(BedrockOut(out, e.meta if e.source == "bedrock" else UNSET))


class OutQuery(msgspec.Struct):
    type: str
    textQuery: OutText  # noqa: N815


class OutSource(msgspec.Struct):
    type: str
    inlineDocumentSource: OutDocument  # noqa: N815


class OutModel(msgspec.Struct, omit_defaults=True):
    modelArn: Any  # noqa: N815
    additionalModelRequestFields: Any = UNSET  # noqa: N815


class OutBedrockConfiguration(msgspec.Struct, omit_defaults=True):
    modelConfiguration: OutModel  # noqa: N815
    numberOfResults: Any = UNSET  # noqa: N815


class OutConfiguration(msgspec.Struct):
    type: str
    bedrockRerankingConfiguration: OutBedrockConfiguration  # noqa: N815


class BedrockOutRequest(msgspec.Struct, omit_defaults=True):
    queries: list[OutQuery]
    sources: list[OutSource]
    rerankingConfiguration: OutConfiguration  # noqa: N815
    nextToken: Any = UNSET  # noqa: N815


def write_bedrock_request(r: Request) -> bytes:
    documents = r.documents
    return _encode(
        BedrockOutRequest(
            [OutQuery("TEXT", OutText(r.query))],
            [OutSource("INLINE", _text(d)) for d in documents]
            if all(type(d) is str for d in documents)
            else [OutSource("INLINE", _out(d)) for d in documents],
            OutConfiguration(
                "BEDROCK_RERANKING_MODEL",
                OutBedrockConfiguration(
                    OutModel(r.model, _own(r, "bedrock", "additionalModelRequestFields")),
                    # as it is, even beyond the sources (Bedrock refuses that): as the library
                    UNSET if r.top_n is None else r.top_n,
                ),
            ),
            _own(r, "bedrock", "nextToken"),
        )
    )


READER = Reader(read_bedrock_response, read_bedrock_request, BedrockResponse, BedrockRequest)
WRITER = Writer(write_bedrock_response, write_bedrock_request, echoes=True)
