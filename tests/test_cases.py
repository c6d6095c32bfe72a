"""The case table (sqlglot's validate_all): one canonical object, its expression in every format.

Each file in `fixtures/cases/<kind>/` holds a canonical object (the form `msgspec.json.encode`
gives it), the JSON every format writes for it, and under `losses` what a format cannot
express (path and reason). For every format both directions are checked:

- write: the canonical object encodes to exactly that JSON, reporting exactly those losses,
  and `on_loss="raise"` refuses it when there are any;
- read: that JSON decodes to the same meaning (what the provider acts on) and writes back
  unchanged; or, where a lossy output is not a valid payload of its format (a request
  without the `model` the format requires), `rejected` gives the exact error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    CASES,
    decode,
    encode_with_losses,
    load_json,
    meaning,
    native_request,
    native_response,
)

import rerank_formats as rf

CASE_FILES = sorted([*CASES.glob("request/*.json"), *CASES.glob("response/*.json")])


def _case(path: Path) -> tuple[str, dict[str, Any], rf.RerankRequest | rf.RerankResponse]:
    data = load_json(path)
    kind = path.parent.name
    native = native_request if kind == "request" else native_response
    return kind, data, native(data["canonical"])


def _params(direction: str) -> list[Any]:
    return [
        pytest.param(path, fmt, id=f"{path.parent.name}/{path.stem}/{fmt}/{direction}")
        for path in CASE_FILES
        for fmt in rf.FORMATS
    ]


@pytest.mark.parametrize(("path", "fmt"), _params("write"))
def test_write(path: Path, fmt: str) -> None:
    kind, data, canonical = _case(path)
    expected_losses = [tuple(loss) for loss in data.get("losses", {}).get(fmt, [])]
    body, losses = encode_with_losses(canonical, fmt)
    assert json.loads(body) == data[fmt]
    assert [(loss.format, loss.path, loss.reason) for loss in losses] == [
        (fmt, *loss) for loss in expected_losses
    ]
    encode = rf.encode_request if kind == "request" else rf.encode_response
    if expected_losses:
        with pytest.raises(rf.LossyConversionError) as refused:
            encode(canonical, format=fmt)  # type: ignore[arg-type]
        assert [(loss.path, loss.reason) for loss in refused.value.losses] == expected_losses
    else:
        assert encode(canonical, format=fmt) == body  # type: ignore[arg-type]


@pytest.mark.parametrize(("path", "fmt"), _params("read"))
def test_read(path: Path, fmt: str) -> None:
    kind, data, canonical = _case(path)
    wire = json.dumps(data[fmt]).encode()
    if fmt in data.get("rejected", {}):
        with pytest.raises(rf.DecodeError) as rejected:
            decode(kind, wire, fmt)
        assert str(rejected.value) == data["rejected"][fmt]
        return
    decoded = decode(kind, wire, fmt)
    body, _ = encode_with_losses(decoded, fmt)
    assert json.loads(body) == data[fmt]
    if fmt not in data.get("losses", {}):
        assert meaning(decoded, fmt) == meaning(canonical, fmt)
    foreign = set(canonical.extensions) - {"jina"}
    if fmt == "jina" and not foreign and not data.get("losses", {}).get("jina"):
        assert decoded == canonical  # Jina is the canonical format: nothing to normalise


def test_every_case_takes_a_position_on_every_format() -> None:
    for path in CASE_FILES:
        data = load_json(path)
        assert set(rf.FORMATS) <= set(data), path.name
        assert set(data.get("losses", {})) <= set(rf.FORMATS), path.name
        assert set(data.get("rejected", {})) <= set(data.get("losses", {})), path.name
        assert data["description"], path.name


def test_the_table_is_large_enough() -> None:
    kinds = {kind: len(list((CASES / kind).glob("*.json"))) for kind in ("request", "response")}
    assert kinds["request"] >= 20
    assert kinds["response"] >= 10
