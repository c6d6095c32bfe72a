"""The hand-written baseline of TEI's format: a bare array of `{index, text?, score}`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ._common import (
    DROP,
    FILL,
    MAX_DOCUMENTS,
    Doc,
    Envelope,
    Index,
    Reader,
    Request,
    Text,
    TextDocuments,
    Writer,
    _decoder,
    _encode,
    _own,
    _text,
    _texts,
    _too_large,
    _write_flag,
)


class TeiResult(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    index: Index
    text: Text | UnsetType = UNSET
    relevance_score: float = msgspec.field(name="score")

    @property
    def document(self) -> Any:
        """The text as the `{text}` document every other format echoes."""
        return UNSET if self.text is UNSET else Doc(self.text)


TeiResponse = Annotated[list[TeiResult], Meta(max_length=MAX_DOCUMENTS)]


class TeiRequest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    query: Text
    texts: TextDocuments
    truncate: bool | UnsetType | None = UNSET
    truncation_direction: Literal["Left", "Right", "left", "right"] | UnsetType = UNSET
    raw_scores: bool | UnsetType = UNSET
    return_text: bool | UnsetType = UNSET
    model: str | UnsetType | None = UNSET
    top_n: int | UnsetType | None = UNSET


_tei_response = _decoder(TeiResponse)


_tei_request = _decoder(TeiRequest)


def read_tei_response(data: bytes) -> tuple[list[Any], Envelope]:
    _too_large(data)
    return _tei_response(data), Envelope("tei")


def read_tei_request(data: bytes) -> Request:
    _too_large(data)
    r = _tei_request(data)
    # TEI ignores `model` and `top_n` (sent by its clients): kept for TEI only
    own = {
        "truncation_direction": r.truncation_direction,
        "raw_scores": r.raw_scores,
        "model": r.model,
        "top_n": r.top_n,
    }
    if r.return_text is UNSET:
        own["defaulted"] = True
    return Request(
        "tei",
        UNSET if r.model is None else r.model,
        r.query,
        r.texts,
        return_documents=r.return_text is True,
        truncation=r.truncate,
        own=own,
    )


class TeiOut(msgspec.Struct):
    index: int
    text: Any  # UNSET: left out
    score: float


def write_tei_response(
    results: list[Any], e: Envelope, mode: str, request: Request | None
) -> bytes:
    documents = () if request is None else request.documents
    if mode == FILL:
        out = [
            TeiOut(
                r.index,
                _text(
                    d
                    if (d := getattr(r, "document", None)) is not None and d is not UNSET
                    else documents[r.index]
                ),
                r.relevance_score,
            )
            for r in results
        ]
    elif mode == DROP or not e.documents:
        out = [TeiOut(r.index, UNSET, r.relevance_score) for r in results]
    elif e.source == "tei":
        out = [TeiOut(r.index, r.text, r.relevance_score) for r in results]
    else:
        out = [
            TeiOut(
                r.index,
                UNSET if (d := r.document) is None or d is UNSET else _text(d),
                r.relevance_score,
            )
            for r in results
        ]
    return _encode(out)


class TeiOutRequest(msgspec.Struct, omit_defaults=True):
    query: Any
    texts: list[Any]
    truncate: Any = UNSET
    truncation_direction: Any = UNSET
    raw_scores: Any = UNSET
    return_text: Any = UNSET
    model: Any = UNSET
    top_n: Any = UNSET


def write_tei_request(r: Request) -> bytes:
    return _encode(
        TeiOutRequest(
            r.query,
            _texts(r.documents),
            r.truncation,
            _own(r, "tei", "truncation_direction"),
            _own(r, "tei", "raw_scores"),
            _write_flag(r, "tei", bool),
            _own(r, "tei", "model"),
            _own(r, "tei", "top_n"),
        )
    )


READER = Reader(read_tei_response, read_tei_request, TeiResponse, TeiRequest)
WRITER = Writer(write_tei_response, write_tei_request, echoes=True)
