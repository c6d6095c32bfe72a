"""Identity: every recorded payload comes back JSON-equal through its own format."""

from __future__ import annotations

import json

import pytest
from helpers import RECORDED, decode, load_json, recorded

import rerank_formats as rf

# Payloads the live provider would reject today: a decoder may refuse them, and says where.
REJECTED = {
    # HISTORICAL: v2 took {text} objects until spec commit 8c2e71a1 (2024-11-22); today's v2
    # takes strings only (Cohere's "Rerank v3.5" changelog, 2024-12-02).
    "cohere_v2/openapi-2024-10-legacy-object-docs-request.json": (
        "invalid cohere_v2 request: Expected `str`, got `object` (at $.documents[0])"
    ),
    # vLLM's N to N zip form scores pairs one to one: not one rerank request (vllm_score.py)
    "vllm_score/test-online-score-text-1-list-text-2-list-request.json": (
        "invalid vllm_score request: 2 first inputs score pairs one to one; a rerank request"
        " has one query (at $.text_1)"
    ),
}

PAYLOADS = [
    pytest.param(fmt, kind, path, id=f"{fmt}/{path.name}")
    for fmt, kind, path in recorded("request", "response")
]


def _encode(obj: rf.RerankRequest | rf.RerankResponse, fmt: str) -> bytes:
    if isinstance(obj, rf.RerankRequest):
        return rf.encode_request(obj, format=fmt)
    return rf.encode_response(obj, format=fmt)


@pytest.mark.parametrize(("fmt", "kind", "path"), PAYLOADS)
def test_identity(fmt: str, kind: str, path) -> None:
    name = f"{fmt}/{path.name}"
    data = path.read_bytes()
    if name in REJECTED:
        with pytest.raises(rf.DecodeError) as info:
            decode(kind, data, fmt)
        assert str(info.value) == REJECTED[name]
        return
    assert json.loads(_encode(decode(kind, data, fmt), fmt)) == load_json(path)


@pytest.mark.parametrize(("fmt", "kind", "path"), PAYLOADS)
def test_identity_from_parsed_json(fmt: str, kind: str, path) -> None:
    """The general path (a parsed mapping) reads what the fast path reads."""
    if f"{fmt}/{path.name}" in REJECTED:
        return
    data = path.read_bytes()
    assert decode(kind, load_json(path), fmt) == decode(kind, data, fmt)


def test_every_recorded_file_has_provenance() -> None:
    manifest = load_json(RECORDED / "manifest.json")
    on_disk = {f"{p.parent.name}/{p.name}" for p in RECORDED.glob("*/*.json")}
    assert on_disk == set(manifest)
    assert all(entry["source"] and entry["notes"] for entry in manifest.values())
