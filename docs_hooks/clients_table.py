"""MkDocs hook: the table of real clients in docs/clients.md, from one list.

`CLIENTS` below is the one place that says which real clients the tests run against the
proxy, how each is pointed at it, what it sends and how it fails; the version column is read
from the lock file of the client's environment, so it is the version the tests ran. The page
holds the marker `<!-- clients-table -->`, replaced at build time; tests/test_client_envs.py
checks this list against the lock files, the Makefile's CLIENT_ENVS and the test modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- clients-table -->"
PAGE = "clients.md"


@dataclass(frozen=True)
class Client:
    """One real client, as the tests run it against the proxy."""

    name: str  # the client, as its users know it
    package: str  # the PyPI distribution that ships it
    env: str  # "dev", or NAME for the Makefile's CLIENT_ENVS (.venv-clients-NAME)
    pointed: str  # how it is pointed at a proxy on host:8000
    sends: str  # the format it sends, and what it adds
    fails: str  # what an upstream error becomes in the client


CLIENTS = (
    Client(
        "cohere SDK `Client` (v1)",
        "cohere",
        "dev",
        '`base_url="http://host:8000/cohere"`',
        "`cohere_v1`",
        "`cohere.errors.*` per status (`UnauthorizedError`, ...); retries 429 and 5xx",
    ),
    Client(
        "cohere SDK `ClientV2`",
        "cohere",
        "dev",
        '`base_url="http://host:8000/cohere"`',
        "`cohere_v2`",
        "`cohere.errors.*` per status; retries 429 and 5xx",
    ),
    Client(
        "xinference-client `RESTfulClient`",
        "xinference-client",
        "dev",
        '`RESTfulClient("http://host:8000/xinference")`',
        "`xinference`, unset fields as nulls; first `GET /v1/cluster/auth` and"
        " `GET /v1/models/{uid}`",
        '`RuntimeError("Failed to rerank documents, detail: ...")`',
    ),
    Client(
        "jina-haystack `JinaRanker`",
        "jina-haystack",
        "dev",
        '`base_url="http://host:8000/jina/v1/rerank"`',
        "`jina`",
        "`RuntimeError(detail)`; reads `usage`, which must be present",
    ),
    Client(
        "cohere-haystack `CohereRanker`",
        "cohere-haystack",
        "dev",
        '`api_base_url="http://host:8000/cohere"`',
        "`cohere_v2` with `max_tokens_per_doc: 4096` always",
        "`cohere.errors.*` per status; retries 429 and 5xx",
    ),
    Client(
        "llama-index `JinaRerank`",
        "llama-index-postprocessor-jinaai-rerank",
        "dev",
        '`base_url="http://host:8000/jina/v1"`',
        "`jina`",
        "`RuntimeError(detail)`",
    ),
    Client(
        "llama-index `XinferenceRerank`",
        "llama-index-postprocessor-xinference-rerank",
        "dev",
        '`base_url="http://host:8000/xinference"`',
        "`xinference` without `top_n` (it cuts the list itself)",
        '`Exception("Xinference call failed with status code N.Details: <body>")`',
    ),
    Client(
        'rerankers `Reranker(..., api_provider="cohere")`',
        "rerankers",
        "dev",
        '`url="http://host:8000/cohere/v1/rerank"`',
        "`cohere_v1`, `top_n` = every document, `return_documents: true`",
        "`KeyError('results')`: it reads `results` from any answer",
    ),
    Client(
        'rerankers `Reranker(..., api_provider="jina")`',
        "rerankers",
        "dev",
        '`url="http://host:8000/jina/v1/rerank"`',
        "`jina`, `top_n` = every document, `return_documents: true`",
        "`KeyError('results')`",
    ),
    Client(
        "voyageai SDK `Client.rerank`",
        "voyageai",
        "dev",
        '`base_url="http://host:8000/voyage-ai/v1"`',
        "`voyage` with `top_k` (null when unset) and `truncation: true` always",
        "`voyageai.error.*` per status with the `detail` (`AuthenticationError`, ...);"
        " a 500 is `ServerError` with a fixed message",
    ),
    Client(
        "mixedbread SDK `Mixedbread.rerank`",
        "mixedbread",
        "dev",
        '`base_url="http://host:8000/mixedbread"`',
        "`mixedbread`, only the arguments given",
        "`mixedbread.*Error` per status, `Error code: N - <body>`; retries 429 and 5xx",
    ),
    Client(
        "langchain-nvidia `NVIDIARerank`",
        "langchain-nvidia-ai-endpoints",
        "dev",
        '`base_url="http://host:8000/nvidia-nim/v1"`',
        "`nim` without `top_n` (it cuts the rankings itself)",
        '`Exception("[N] <message>\\n<body>")`',
    ),
    Client(
        "langchain-cohere `CohereRerank`",
        "langchain-cohere",
        "cohere5",
        '`base_url="http://host:8000/cohere"`',
        "`cohere_v2` with `max_tokens_per_doc: null` always (cohere 5.x)",
        "`cohere.errors.*` (5.x) per status; retries 429 and 5xx",
    ),
    Client(
        "llama-index `CohereRerank`",
        "llama-index-postprocessor-cohere-rerank",
        "cohere5",
        '`base_url="http://host:8000/cohere"`',
        "`cohere_v2`",
        "`cohere.errors.*` (5.x); retries 5xx again itself (`max_retries`)",
    ),
    Client(
        "litellm `rerank()`, `cohere/` on v1",
        "litellm",
        "litellm",
        '`api_base="http://host:8000/cohere/v1/rerank"`',
        "`cohere_v1` with `return_documents: true`",
        "litellm's exceptions (`AuthenticationError`, `RateLimitError`, ...; a 422 is a"
        " `BadRequestError`)",
    ),
    Client(
        "litellm `rerank()`, `cohere/` on v2",
        "litellm",
        "litellm",
        '`api_base="http://host:8000/cohere"` (it appends `/v2/rerank`)',
        "`cohere_v2` with `return_documents: true` (Cohere v2 answers carry no documents)",
        "litellm's exceptions",
    ),
    Client(
        "litellm `rerank()`, `jina_ai/`",
        "litellm",
        "litellm",
        '`api_base="http://host:8000"`: it replaces the path with `/v1/rerank`, so the proxy'
        " must serve Jina at its root",
        "`jina` with `return_documents: true`",
        "litellm's exceptions; reads `usage`, which must be an object or absent: serve it"
        ' with `usage="omit"` and `client_format="jina"`',
    ),
    Client(
        "infinity-client `rerank.sync_detailed`",
        "infinity-client",
        "infinity",
        '`AuthenticatedClient(base_url="http://host:8000/infinity", token=...)`',
        "`infinity` with every default spelled (`raw_scores: false`,"
        ' `model: "default/not-specified"`); requires `model` and `usage`: serve it with'
        ' `usage="zero"` in front of Cohere',
        "`errors.UnexpectedStatus(status, content)` with `raise_on_unexpected_status=True`;"
        " a 422 is returned parsed (`HTTPValidationError`), not raised",
    ),
    Client(
        "together SDK `Together().rerank.create`",
        "together",
        "together",
        '`base_url="http://host:8000/together-ai"`',
        "`together`; object documents are echoed as JSON text",
        "`together.AuthenticationError`, ... per status (a 422 answered as 400,"
        " `BadRequestError`); retries 429 and 5xx",
    ),
    Client(
        "dashscope SDK `TextReRank.call`",
        "dashscope",
        "dev",
        '`dashscope.base_http_api_url = "http://host:8000/alibaba-cloud-dashscope/api/v1"`',
        "`dashscope`, `parameters` always (`{}` when empty)",
        "no exception: a response whose `status_code`, `code` and `message` are the error's",
    ),
    Client(
        "pinecone SDK `Pinecone().inference.rerank`",
        "pinecone",
        "pinecone",
        '`Pinecone(host="http://host:8000/pinecone")`',
        "`pinecone` with `rank_fields` and `return_documents` always, strings as `{text}`,"
        " `X-Pinecone-Api-Version: 2026-07`",
        "`pinecone.errors.*` per status (`UnauthorizedError`, ...; a 400 is a bare"
        " `ApiError`); retries 429 and 5xx; requires `model` and `usage.rerank_units`",
    ),
    Client(
        "boto3 `bedrock-agent-runtime` `rerank`",
        "boto3",
        "bedrock",
        '`boto3.client("bedrock-agent-runtime", endpoint_url="http://host:8000/aws-bedrock")`'
        " (SigV4-signed; the proxy does not check it)",
        "`bedrock`",
        "`botocore.exceptions.ClientError`, `Code` the status (the error type is a header"
        " the proxy does not write); retries 429 and 5xx",
    ),
)
"""Every real client the tests run against the proxy, for every seed upstream (the voyageai,
mixedbread and NVIDIARerank clients against a Jina upstream: tests/test_clients_voyage_mixedbread_nim.py)."""

NOT_POINTABLE = (
    (
        "langchain-community `JinaRerank`",
        "langchain-community",
        "0.4.2",
        "the URL is the module constant `JINA_API_URL`"
        " (`langchain_community/document_compressors/jina_rerank.py`): no setting points it"
        " elsewhere, and the project does not patch clients",
    ),
)
"""Clients that cannot be pointed at a local URL without patching them: not tested."""


def lock_file(env: str) -> Path:
    """The lock file of a client environment."""
    return ROOT / ("requirements-dev.lock" if env == "dev" else f"requirements-clients-{env}.lock")


def locked_version(package: str, env: str) -> str:
    """The version of `package` that `env`'s lock file pins (the first pin, if several)."""
    pins = re.findall(rf"^{re.escape(package)}==(\S+)", lock_file(env).read_text(), re.MULTILINE)
    if not pins:
        raise LookupError(f"{package} is not pinned in {lock_file(env).name}")
    return str(pins[0])


def render_table() -> str:
    """The clients table, then the clients that cannot be pointed at a proxy."""
    lines = [
        "| client | version | environment | point it at the proxy | sends | an upstream error"
        " becomes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in CLIENTS:
        env = "dev" if c.env == "dev" else f"`clients-{c.env}`"
        version = f"{c.package} {locked_version(c.package, c.env)}"
        lines.append(f"| {c.name} | {version} | {env} | {c.pointed} | {c.sends} | {c.fails} |")
    lines += ["", "Not tested, because they cannot be pointed at a proxy without patching:", ""]
    lines += [
        f"- {name} ({package} {version}): {why}." for name, package, version, why in NOT_POINTABLE
    ]
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    from mkdocs.exceptions import PluginError  # only the docs build has mkdocs

    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"{PAGE} has lost its {MARKER} marker (docs_hooks/clients_table.py)")
    return markdown.replace(MARKER, render_table())
