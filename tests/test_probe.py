"""`rerank-formats probe` against real servers on 127.0.0.1: a faithful server per
registered format (built from the library: it answers what the format's own decoder,
validator and writer say), and deviant ones built from recorded payloads of real servers
(fixtures/deviant/README.md says where each came from)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
import pytest
from helpers import ROOT
from servers import serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import rerank_formats as rf
from rerank_formats import registry
from rerank_formats.probe import (
    BATCH_CAP,
    DOCUMENTS,
    SERIES,
    Answer,
    Behaviour,
    Deviation,
    Settings,
    max_requests,
    probe,
)
from rerank_formats.probe._report import request_for

DEVIANT = ROOT / "fixtures" / "deviant"
SCORES = (0.25, 0.75, 0.5, 0.125)  # per input position, cycled: a sorted answer reorders them

Handler = Callable[[bytes], tuple[int, dict[str, str], bytes]]


@contextmanager
def server(handler: Handler, path: str = "/rerank") -> Iterator[tuple[str, list[bytes]]]:
    """A rerank server at `path` answering with `handler`; yields its URL and the bodies it
    received."""
    received: list[bytes] = []

    async def rerank(request: Request) -> Response:
        body = await request.body()
        received.append(body)
        status, headers, answer = handler(body)
        headers = {"content-type": "application/json", **headers}
        return Response(answer, status, headers=headers)

    with serve(Starlette(routes=[Route(path, rerank, methods=["POST"])])) as url:
        yield url + path, received


def _error(fmt: str, status: int, message: str) -> tuple[int, dict[str, str], bytes]:
    module = registry.get_format(fmt)
    status = status if status in module.STATUSES else 400
    written_status, body = rf.encode_error(
        rf.RerankError(status=status, message=message), format=fmt
    )  # type: ignore[arg-type]
    return written_status, {}, body


def faithful(fmt: str) -> Handler:
    """A server that speaks `fmt` as the library knows it: it refuses what `validate` says
    its provider refuses, answers in `fmt`'s own shape (sorted, cut to top_n, documents as
    asked), and takes at most its endpoint's `max_documents`."""
    module = registry.get_format(fmt)

    def handle(body: bytes) -> tuple[int, dict[str, str], bytes]:
        errors = [p for p in rf.validate(body, format=fmt, kind="request") if p.severity == "error"]  # type: ignore[arg-type]
        if errors:
            return _error(fmt, 422, errors[0].message)
        request = rf.decode_request(body, format=fmt)  # type: ignore[arg-type]
        limit = module.ENDPOINT.max_documents
        if limit is not None and len(request.documents) > limit:
            return _error(fmt, 422, f"at most {limit} documents")
        response = rf.RerankResponse(
            results=tuple(
                rf.RerankResult(index=i, relevance_score=SCORES[i % len(SCORES)])
                for i in range(len(request.documents))
            ),
            model="probe-model",
            usage=rf.Usage(total_tokens=7 * len(request.documents)),
        )
        written = rf.encode_response(response, format=fmt, request=request, on_loss="ignore")  # type: ignore[arg-type]
        return 200, {}, written

    return handle


def _recorded(name: str) -> Any:
    return json.loads((DEVIANT / name).read_bytes())


def _documents(body: bytes) -> list[Any]:
    return list(json.loads(body)["documents"])


def localai(body: bytes) -> tuple[int, dict[str, str], bytes]:
    """LocalAI's "Jina-compatible" rerank (LocalAI #7189): results in input order, top_n
    ignored, every document echoed, usage with prompt_tokens."""
    recorded = _recorded("localai/issue-7189-response-unsorted-topn-ignored.json")
    scores = [r["relevance_score"] for r in recorded["results"]]
    documents = _documents(body)
    answer = {
        "model": recorded["model"],
        "usage": recorded["usage"],
        "results": [
            {"index": i, "document": {"text": d}, "relevance_score": scores[i % len(scores)]}
            for i, d in enumerate(documents)
        ],
    }
    return 200, {}, json.dumps(answer).encode()


def gpustack(body: bytes) -> tuple[int, dict[str, str], bytes]:
    """GPUStack's rerank (gpustack #5176): sorted, but `multi_modal: null` in every echoed
    document and an `id`."""
    recorded = _recorded("gpustack/issue-5176-response.json")
    scores = sorted((r["relevance_score"] for r in recorded["results"]), reverse=True)
    documents = _documents(body)
    results = [
        {"index": i, "document": {"text": d, "multi_modal": None}, "relevance_score": s}
        for (i, d), s in zip(enumerate(documents), scores * len(documents), strict=False)
    ]
    answer = {"id": recorded["id"], "model": recorded["model"], "usage": recorded["usage"]}
    return 200, {}, json.dumps({**answer, "results": results}).encode()


def llama_cpp(body: bytes) -> tuple[int, dict[str, str], bytes]:
    """llama.cpp's server in its Jina mode (one-hub #580): raw negative scores, sorted, cut
    to top_n, no documents echoed."""
    recorded = _recorded("llama-cpp/one-hub-580-raw-response.json")
    scores = sorted((r["relevance_score"] for r in recorded["results"]), reverse=True)
    sent = json.loads(body)
    documents = sent["documents"]
    results = sorted(
        ({"index": i, "relevance_score": scores[i % len(scores)]} for i in range(len(documents))),
        key=lambda r: -r["relevance_score"],
    )[: sent.get("top_n") or None]
    answer = {k: recorded[k] for k in ("model", "object", "usage")}
    return 200, {}, json.dumps({**answer, "results": results}).encode()


def xinference_text_errors(body: bytes) -> tuple[int, dict[str, str], bytes]:
    """Xinference answering a request its pydantic model refuses with a text/plain 500
    (the README's recorded body), and every other request faithfully."""
    if rf.validate(body, format="xinference", kind="request"):
        text = (DEVIANT / "xinference" / "text-plain-500-validation.txt").read_bytes()
        return 500, {"content-type": "text/plain; charset=utf-8"}, text
    return faithful("xinference")(body)


def test_the_series_is_fixed_and_bounded() -> None:
    assert SERIES == (
        "basic",
        "top_n",
        "documents_on",
        "documents_off",
        "unknown_field",
        "wrong_type",
        "empty_documents",
    )
    # the series, one request of BATCH_CAP documents, then a bisection from 4 to 1024
    assert (BATCH_CAP, max_requests("jina")) == (1024, 7 + 1 + 10)


def test_a_faithful_jina_server() -> None:
    with server(faithful("jina")) as (url, received):
        report = probe(url, format="jina", model="m")
    assert report.table() == "\n".join(
        [
            f"endpoint                {url}",
            "format                  jina",
            "fits                    jina, and others (see --json)",
            "requests sent           8",
            "the basic request       accepted (200)",
            "results sorted          yes",
            "top_n honoured          yes",
            "documents by default    yes",
            "documents when asked    yes",
            "documents when refused  no",
            "model in answers        yes",
            "echoed document shape   text object",
            "usage reported in       body",
            "scores seen             0.125 to 0.75",
            "an unknown field        accepted (200)",
            "a wrong type            refused 422, jina error: Expected `str | object`, got `int`",
            "no documents            refused 422, jina error: there are no documents to rank",
            "too many documents      -",
            "batch limit             none up to 1024",
            "proxy settings          format=jina, scores=unknown",
            "deviations: none",
        ]
    )
    sent = {"model": "m", "query": "which fruit is yellow?", "documents": list(DOCUMENTS)}
    assert [json.loads(b) for b in received[:2]] == [sent, {**sent, "top_n": 2}]
    assert len(json.loads(received[-1])["documents"]) == BATCH_CAP
    assert report.requests == len(received) == 8


@pytest.mark.parametrize("fmt", rf.FORMATS)
def test_a_faithful_server_of_every_format(fmt: str) -> None:
    module = registry.get_format(fmt)
    with server(faithful(fmt), module.ENDPOINT.path) as (url, received):
        claimed = probe(url, format=fmt, model="m")  # type: ignore[arg-type]
        found = probe(url, model="m")
    assert claimed.format == fmt
    assert fmt in claimed.fits
    assert claimed.deviations == ()
    assert claimed.sorted is True
    assert claimed.top_n is (True if "top_n" in module.SUPPORTS else None)
    echoes = "response_documents" in module.SUPPORTS
    assert claimed.echo_when_asked is echoes
    # a format that echoes without return_documents (vLLM, Bedrock) echoes them even where
    # the probe's request would refuse them
    assert claimed.echo_when_refused is (echoes and "return_documents" not in module.SUPPORTS)
    assert claimed.usage == ("body" if "token_usage" in module.SUPPORTS else "none")
    # the limit found is the server's own: one more document is refused (Cohere v1's
    # documents x max_chunks_per_doc < 10,000 makes it 999)
    limit = claimed.batch_limit
    handle = faithful(fmt)
    if limit is None:
        assert handle(request_for(f"batch:{BATCH_CAP}", fmt, "m"))[0] == 200
    else:
        assert handle(request_for(f"batch:{limit}", fmt, "m"))[0] == 200
        assert handle(request_for(f"batch:{limit + 1}", fmt, "m"))[0] != 200
    assert claimed.settings == Settings(
        format=fmt, score_scale=module.SCORE_SCALE, max_documents=limit
    )
    assert claimed.wrong_type is not None and claimed.wrong_type.envelope == fmt
    assert claimed.requests <= max_requests(fmt)
    # without --format: the format its answers fit best, or one they fit as well
    assert found.format is not None and fmt in found.fits
    assert found.requests <= max_requests(None)
    assert len(received) == claimed.requests + found.requests


def test_localai_unsorted_and_top_n_ignored() -> None:
    with server(localai) as (url, _):
        report = probe(url, format="jina", model="m")
    assert (report.sorted, report.top_n, report.echo_when_refused) == (False, False, True)
    assert report.deviations == (
        Deviation(
            step="basic",
            path="$.results",
            type="unsorted_results",
            message="results are not sorted by descending relevance_score",
        ),
        Deviation(step="top_n", path="$", type="top_n_ignored", message="4 results for top_n 2"),
        Deviation(
            step="documents_off",
            path="$",
            type="documents_echoed",
            message="documents, not asked for",
        ),
    )


def test_gpustack_extra_key_in_documents() -> None:
    with server(gpustack) as (url, _):
        report = probe(url, format="jina", model="m")
    assert report.deviations[:2] == (
        Deviation(step="basic", path="$.id", type="unknown_field",
                  message="unknown field `id` (not in Jina's format)"),
        Deviation(step="basic", path="$.results[0].document.multi_modal", type="wrong_type",
                  message="Expected `str`, got `null`"),
    )  # fmt: skip


def test_llama_cpp_negative_scores() -> None:
    with server(llama_cpp) as (url, _):
        report = probe(url, format="jina", model="m")
    assert report.scores == (-3.8370754718780518, -1.5869650840759277)
    assert report.settings == Settings(format="jina", score_scale="logit", max_documents=None)
    # Jina promises no score range (SCORE_SCALE "unknown"): logits are no deviation, but the
    # proxy is told they are logits; Jina echoes documents, llama.cpp never does
    assert report.deviations == (
        Deviation(
            step="documents_on",
            path="$",
            type="documents_not_echoed",
            message="no documents, asked for",
        ),
    )


def test_llama_cpp_is_found_as_llama_cpp() -> None:
    """Without --format, the answers Jina's request gets fit Jina and llama.cpp alike; they
    deviate from Jina only: llama.cpp's dialect it is, its scores logits."""
    with server(llama_cpp, "/v1/rerank") as (url, _):
        report = probe(url, model="m")
    assert (report.format, report.fits[:2], report.deviations) == (
        "llama_cpp",
        ("jina", "llama_cpp"),
        (),
    )
    assert report.settings == Settings(format="llama_cpp", score_scale="logit", max_documents=None)


def tei_refusing_batches(body: bytes) -> tuple[int, dict[str, str], bytes]:
    """TEI with its default `--max-client-batch-size` 32: a larger batch is its 422
    Validation error (the body assembled from TEI's router source, fixtures/recorded/tei)."""
    if len(json.loads(body).get("texts", [])) > 32:
        refusal = (ROOT / "fixtures/recorded/tei/error-422-batch-size-assembled.json").read_bytes()
        return 422, {}, refusal
    status, headers, answer = faithful("tei")(body)
    return status, {**headers, "x-compute-tokens": "28"}, answer


def test_tei_refuses_more_than_32_texts() -> None:
    with server(tei_refusing_batches) as (url, _):
        report = probe(url, format="tei")
    assert (report.batch_limit, report.usage, report.deviations) == (32, "headers", ())
    assert report.too_many_documents == Behaviour(
        status=422,
        accepted=False,
        envelope="tei",
        content_type="application/json",
        message="batch size 33 > maximum allowed batch size 32",
    )
    assert report.settings == Settings(format="tei", score_scale="probability", max_documents=32)


def test_xinference_text_plain_500() -> None:
    with server(xinference_text_errors, "/v1/rerank") as (url, _):
        report = probe(url, format="xinference", model="m")
    assert report.wrong_type == Behaviour(
        status=500,
        accepted=False,
        envelope="text",
        content_type="text/plain; charset=utf-8",
        message="1 validation error for RerankRequest\\ndocuments -> 0\\n  str…",
    )
    assert report.deviations == ()  # Xinference does answer so, and the library reads it


def test_a_batch_limit_is_found_by_bisection() -> None:
    def limited(body: bytes) -> tuple[int, dict[str, str], bytes]:
        if len(_documents(body)) > 32:
            return 422, {}, b'{"detail": "too many documents"}'
        return faithful("jina")(body)

    with server(limited) as (url, received):
        report = probe(url, format="jina", model="m")
    assert report.batch_limit == 32
    assert report.too_many_documents == Behaviour(
        status=422,
        accepted=False,
        envelope="jina",
        content_type="application/json",
        message="too many documents",
    )
    sizes = [len(json.loads(b)["documents"]) for b in received[len(SERIES) :]]
    assert sizes == [1024, 514, 259, 131, 67, 35, 19, 27, 31, 33, 32]
    assert report.settings is not None and report.settings.max_documents == 32


def test_no_answer_is_retried_once_and_reported() -> None:
    calls: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused")

    report = probe(
        "http://127.0.0.1:9/rerank", format="jina", transport=httpx.MockTransport(refuse)
    )
    # the basic request, tried twice; nothing more is sent to a server that does not answer
    assert (len(calls), report.requests) == (2, 1)
    assert report.answers == (
        Answer(step="basic", sent=report.answers[0].sent, failure="ConnectError: refused"),
    )
    assert (report.basic, report.sorted, report.settings) == (
        Behaviour(status=None, accepted=False),
        None,
        None,
    )
    assert report.table().splitlines()[4] == "the basic request       no answer"


def test_a_server_that_accepts_nothing() -> None:
    with server(lambda body: (404, {}, b'{"detail": "Not Found"}')) as (url, received):
        report = probe(url)
    assert (report.format, report.fits, report.settings) == (None, (), None)
    assert report.requests == len(received) == len(set(received))
    assert report.table().splitlines()[1] == "format                  none found"


def test_the_report_as_json() -> None:
    with server(faithful("cohere_v2"), "/v2/rerank") as (url, _):
        report = probe(url, format="cohere_v2", model="m")
    data = msgspec.to_builtins(report)
    assert data["unknown_field"] == {
        "status": 422,
        "accepted": False,
        "envelope": "cohere_v2",
        "content_type": "application/json",
        "message": "unknown field `rerank_formats_probe` (Cohere answers 422)",
    }


def test_a_url_that_is_not_http() -> None:
    with pytest.raises(rf.RerankFormatError) as caught:
        probe("ftp://example.com/rerank")
    assert (
        str(caught.value)
        == "the URL must start with http:// or https://: 'ftp://example.com/rerank'"
    )


# -- the command line --------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rerank_formats", "probe", *args], capture_output=True, cwd=ROOT
    )


def test_the_command_prints_the_table_and_exits_1_on_deviations() -> None:
    with server(localai) as (url, received):
        result = _cli(
            url, "--format", "jina", "--model", "m", "--header", "Authorization: Bearer k"
        )
        with_json = _cli(url, "--format", "jina", "--model", "m", "--json")
    assert result.returncode == 1
    assert result.stderr.decode() == (f"rerank-formats: probing {url} with at most 18 requests\n")
    lines = result.stdout.decode().splitlines()
    assert lines[5:7] == ["results sorted          no", "top_n honoured          no"]
    assert lines[-4:] == [
        "deviations: 3",
        "  basic: $.results: results are not sorted by descending relevance_score",
        "  top_n: $: 4 results for top_n 2",
        "  documents_off: $: documents, not asked for",
    ]
    report = json.loads(with_json.stdout)
    assert (with_json.returncode, report["format"], report["sorted"]) == (1, "jina", False)
    assert len(report["answers"]) == report["requests"] == len(received) // 2
    assert report["answers"][1]["sent"] == (
        '{"model":"m","query":"which fruit is yellow?","documents":'
        '["a lemon","the sky","a banana","the sea"],"top_n":2}'
    )


def test_the_command_exits_0_for_a_faithful_server() -> None:
    with server(faithful("cohere_v2"), "/v2/rerank") as (url, _):
        result = _cli(url, "--format", "cohere-v2", "--model", "m")
    assert result.returncode == 0
    assert result.stdout.decode().splitlines()[-1] == "deviations: none"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--header", "no colon"], "--header takes NAME: VALUE, not 'no colon'"),
        (["--format", "openai"], "openai has error bodies only (--kind error)"),
    ],
)
def test_the_command_usage_errors(args: list[str], message: str) -> None:
    result = _cli("http://127.0.0.1:9/rerank", *args)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == f"rerank-formats probe: error: {message}"
    assert result.stdout == b""


def test_the_docs_show_a_real_report() -> None:
    page = (ROOT / "docs" / "probe.md").read_text(encoding="utf-8")
    shown = page.split("```text\n", 1)[1].split("```", 1)[0]
    with server(localai, "/v1/rerank") as (url, _):
        report = probe(url, format="jina", model="jina-reranker-v1-base-en")
    assert shown == report.table().replace(url, "http://127.0.0.1:8080/v1/rerank") + "\n"


def test_the_key_goes_where_the_format_says() -> None:
    seen: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(404, json={"message": "no"})

    probe(
        "http://127.0.0.1:9/v2/rerank",
        format="cohere_v2",
        api_key="k",
        headers={"X-Trace": "1"},
        transport=httpx.MockTransport(answer),
    )
    assert [(h["authorization"], h["x-trace"], h["content-type"]) for h in seen] == [
        ("Bearer k", "1", "application/json")
    ]


def test_a_key_that_cannot_be_sent_is_refused_before_any_request() -> None:
    with pytest.raises(rf.RerankFormatError) as caught:
        probe("http://127.0.0.1:9/rerank", api_key=" k\n", transport=httpx.MockTransport(_never))
    assert str(caught.value) == "an API key must be printable ASCII, without spaces around"


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError("nothing is sent")
