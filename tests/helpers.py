"""Shared test helpers: fixture loading, the canonical objects' JSON form, and 'meaning'."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
from msgspec import UNSET

import rerank_formats as rf
from rerank_formats.registry import get_format

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RECORDED = FIXTURES / "recorded"
CASES = FIXTURES / "cases"


def load_json(path: Path) -> Any:
    return json.loads(path.read_bytes())


def recorded(*kinds: str) -> Iterator[tuple[str, str, Path]]:
    """(format, kind, path) for every recorded payload of the given kinds."""
    manifest = load_json(RECORDED / "manifest.json")
    for name, entry in manifest.items():
        if entry["kind"] in kinds:
            yield name.split("/")[0], entry["kind"], RECORDED / name


# -- the canonical objects' JSON form (what msgspec.json.encode writes for them) ---------------


def native_document(value: Any) -> rf.Document:
    if isinstance(value, str):
        return value
    if set(value) == {"text"}:
        return rf.TextDocument(text=value["text"])
    if set(value) == {"image"}:
        return rf.ImageDocument(image=value["image"])
    assert set(value) == {"fields"}, value
    return rf.ObjectDocument(fields=value["fields"])


def native_extensions(value: dict[str, Any]) -> dict[str, rf.Extension]:
    return {
        name: rf.Extension(
            fields=ext.get("fields", {}),
            defaulted=frozenset(ext.get("defaulted", ())),
            results={int(k): v for k, v in ext.get("results", {}).items()},
            at_default=frozenset(ext.get("at_default", ())),
            absent=frozenset(ext.get("absent", ())),
        )
        for name, ext in value.items()
    }


def native_request(value: dict[str, Any]) -> rf.RerankRequest:
    fields = dict(value)
    fields["query"] = native_document(fields["query"])
    fields["documents"] = tuple(native_document(d) for d in fields["documents"])
    fields["extensions"] = native_extensions(fields.get("extensions", {}))
    return rf.RerankRequest(**fields)


def native_response(value: dict[str, Any]) -> rf.RerankResponse:
    fields = dict(value)
    results = []
    for result in fields["results"]:
        result = dict(result)
        if result.get("document") is not None:
            result["document"] = native_document(result["document"])
        results.append(rf.RerankResult(**result))
    fields["results"] = tuple(results)
    if fields.get("usage") is not None and "usage" in fields:
        fields["usage"] = rf.Usage(**fields["usage"])
    fields["extensions"] = native_extensions(fields.get("extensions", {}))
    return rf.RerankResponse(**fields)


def to_native(obj: rf.RerankRequest | rf.RerankResponse) -> Any:
    return msgspec.to_builtins(obj)


# -- meaning: what a provider would act on, with bookkeeping and spelling normalised ----------


def _document_meaning(document: Any) -> Any:
    if document is UNSET or document is None:
        return None
    if isinstance(document, str):
        return document
    if isinstance(document, rf.TextDocument):
        return document.text
    if isinstance(document, rf.ImageDocument):
        return ("image", document.image)
    if "text" in document.fields:
        return document.fields["text"]
    return ("object", tuple(document.fields.items()))


def _usage_meaning(usage: Any) -> Any:
    if not isinstance(usage, rf.Usage):
        return None
    made = 0 if usage.completion_tokens is UNSET else usage.completion_tokens
    read = usage.total_tokens - made if usage.prompt_tokens is UNSET else usage.prompt_tokens
    return (usage.total_tokens, read, made)


def meaning(
    obj: rf.RerankRequest | rf.RerankResponse, format: str | frozenset[str] = "jina"
) -> Any:
    """What a format (or a set of features) can be asked to preserve of `obj`, as a plain
    value: spelling, bookkeeping and what the response path restores are left out."""
    supports = get_format(format).SUPPORTS if isinstance(format, str) else format
    if isinstance(obj, rf.RerankRequest):
        return {
            "model": obj.model,
            "query": _document_meaning(obj.query),
            "documents": [_document_meaning(d) for d in obj.documents],
            "top_n": None if obj.top_n is UNSET else obj.top_n,
            "return_documents": obj.wants_documents if "return_documents" in supports else None,
            "truncation": None if obj.truncation is UNSET else obj.truncation,
            # a value the source format's provider assumes anyway says nothing to a format
            # without the field (#9)
            "max_doc_length": obj.max_doc_length
            if "max_doc_length" in supports
            or not any("max_doc_length" in e.at_default for e in obj.extensions.values())
            else UNSET,
            "return_embeddings": bool(obj.return_embeddings),
        }
    documents = "response_documents" in supports
    return {
        "model": obj.model if "response_model" in supports else None,
        "usage": _usage_meaning(obj.usage),
        "results": [
            (
                r.index,
                r.relevance_score,
                _document_meaning(r.document) if documents else None,
                None if r.embedding is UNSET else r.embedding,
            )
            for r in obj.results
        ],
    }


def encode_with_losses(
    obj: rf.RerankRequest | rf.RerankResponse, format: str
) -> tuple[bytes, list[rf.Loss]]:
    """Encode under on_loss="warn" and return the body with every loss reported."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if isinstance(obj, rf.RerankRequest):
            body = rf.encode_request(obj, format=format, on_loss="warn")
        else:
            body = rf.encode_response(obj, format=format, on_loss="warn")
    losses = [w.message.loss for w in caught if isinstance(w.message, rf.LossWarning)]
    return body, losses


def decode(kind: str, data: Any, format: str) -> rf.RerankRequest | rf.RerankResponse:
    if kind == "request":
        return rf.decode_request(data, format=format)
    return rf.decode_response(data, format=format)
