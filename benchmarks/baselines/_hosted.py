"""What the Pinecone, Bedrock, Voyage and NIM baselines share: how they tell a text
document from an object one. A reader keeps a document as its format gives it: a `str`, a
`Doc`, or a `dict` (an object document, as the wire has it; `{"text": ...}` alone is a
text)."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET


def text_of(document: Any) -> str | None:
    """The text of a text document (a `str`, a `Doc`, or an object of only a `text`), or
    None for another object."""
    if type(document) is str:
        return document
    if type(document) is dict:
        return document["text"] if len(document) == 1 and "text" in document else None
    return document.text


def echo_text(document: Any) -> Any:
    """The text a strings-only format echoes for `document`: an object's `text` stands for
    it; an object without one is not echoed (UNSET)."""
    if type(document) is dict:
        return document.get("text", UNSET)
    return document if type(document) is str else document.text
