"""What the Pinecone, Bedrock, Voyage and NIM baselines share: what text a document has.
A document is a `str` or a `Doc` (a text), or a `dict` (an object document, as the wire
has it)."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET


def text_of(document: Any) -> str | None:
    """The text of a text document, or None for an object."""
    if type(document) is str:
        return document
    return None if type(document) is dict else document.text


def echo_text(document: Any) -> Any:
    """The text a strings-only format echoes for `document`: an object's `text` stands for
    it; an object without one is not echoed (UNSET)."""
    if type(document) is dict:
        return document.get("text", UNSET)
    return document if type(document) is str else document.text
