"""What a probe sends and what it concludes: the fixed series of requests and the report,
as pure functions of the answers (no HTTP here: `_send` does the transport)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import msgspec
from msgspec import UNSET

from ..canonical import RerankRequest, RerankResponse, Usage
from ..convert import decode_response, encode_request
from ..error_bodies import decode_error
from ..errors import DecodeError, excerpt
from ..formats._base import ScoreScale
from ..registry import FORMATS, FormatName, get_error_format, get_format
from ..scale import score_scale
from ..validation import detect, validate

__all__ = [
    "BATCH_CAP",
    "DOCUMENTS",
    "QUERY",
    "SERIES",
    "Answer",
    "Behaviour",
    "Deviation",
    "ProbeReport",
    "Settings",
    "max_requests",
]

QUERY = "which fruit is yellow?"
"""The probe's query: short, and the same in every request."""

DOCUMENTS = ("a lemon", "the sky", "a banana", "the sea")
"""The probe's documents: four short texts, no private data."""

BATCH_CAP = 1024
"""The most documents the batch-limit search sends in one request (each one `d<i>`)."""

_BISECTIONS = math.ceil(math.log2(BATCH_CAP - len(DOCUMENTS)))

SERIES = (
    "basic",
    "top_n",
    "documents_on",
    "documents_off",
    "unknown_field",
    "wrong_type",
    "empty_documents",
)
"""The requests every probe sends in the format it speaks, in this order, before the batch
limit search (`batch:<n>`, at most one request of `BATCH_CAP` documents and then a
bisection)."""

UNKNOWN_KEY = "rerank_formats_probe"
"""The key the `unknown_field` step adds to the basic request (its value: `true`)."""

Usage_ = Literal["body", "headers", "none"]
Shape = Literal["string", "text object", "object", "null", "absent", "mixed"]


def max_requests(format: FormatName | None) -> int:
    """How many requests a probe sends at most: the series, the batch-limit search, and,
    when the format is not given, one basic request per distinct request body of the
    registered formats."""
    finding = 0 if format is not None else len(set(_bodies(None).values()))
    return finding + len(SERIES) + 1 + _BISECTIONS


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """One request the probe sent and what came back.

    Attributes:
        step: the step (`basic`, `top_n`, ..., `batch:32`, or `find:<format>`).
        sent: the JSON body sent.
        status: the HTTP status, or None when no answer came (then `failure` says why).
        headers: the answer's headers, names in lower case.
        body: the answer's body.
        failure: why no answer came (a timeout, a refused connection), after one retry.
    """

    step: str
    sent: bytes
    status: int | None = None
    headers: Mapping[str, str] = msgspec.field(default_factory=dict)
    body: bytes = b""
    failure: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the server answered with a 2xx status."""
        return self.status is not None and 200 <= self.status < 300


class Behaviour(msgspec.Struct, frozen=True, kw_only=True):
    """How the server answered one of the probe's odd requests.

    Attributes:
        status: the HTTP status (None: no answer).
        accepted: whether it answered 2xx.
        envelope: the error format its body fits best (`detect`), `"text"` for a body that
            is not JSON, or None (accepted, or no answer).
        content_type: the answer's `Content-Type`.
        message: a short excerpt of the error's message.
    """

    status: int | None
    accepted: bool
    envelope: str | None = None
    content_type: str | None = None
    message: str | None = None


class Deviation(msgspec.Struct, frozen=True, kw_only=True):
    """A way the server's answers differ from the format it speaks.

    Attributes:
        step: the step whose answer shows it.
        path: where in that answer, as a JSON path.
        type: a slug (`validate`'s problem types, and `unsorted_results`, `top_n_ignored`,
            `documents_not_echoed`, `documents_echoed`, `score_out_of_range`,
            `text_error`, `batch_limit`).
        message: what differs, in one line.
    """

    step: str
    path: str
    type: str
    message: str

    def __str__(self) -> str:
        return f"{self.step}: {self.path}: {self.message}"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """What a proxy in front of this server should be told.

    Attributes:
        format: the upstream format.
        score_scale: what its scores are, as seen.
        max_documents: split requests above this many documents (None: no limit found up
            to `BATCH_CAP`).
    """

    format: FormatName | None
    score_scale: ScoreScale
    max_documents: int | None


class ProbeReport(msgspec.Struct, frozen=True, kw_only=True):
    """What a probe found out about a rerank endpoint (see `rerank_formats.probe.probe`).

    Attributes:
        url: the endpoint probed.
        format: the format it speaks: the one given, or the best fit of its answers; None
            when it accepted none of the probe's requests.
        basic: the answer to the basic request (when it is refused, nothing else is sent).
        fits: every format its basic answer is valid as, best first (`detect`); the table
            shows the first, and whether there are others.
        requests: how many requests were sent (at most `max_requests(format)`).
        sorted: whether results came sorted by descending score.
        top_n: whether `top_n` was honoured (None: the format has none).
        echo_by_default: whether documents came back when the request did not say.
        echo_when_asked: whether they came back with `return_documents: true`.
        echo_when_refused: whether they came back with `return_documents: false`.
        document_shape: the shape of an echoed document (`"string"`, `"text object"`,
            `"object"`, `"null"`, `"absent"`).
        model: whether answers name the model.
        usage: where the token usage is reported: `"body"`, `"headers"` or `"none"`.
        scores: the lowest and highest score seen.
        unknown_field: the answer to a request with an unknown key.
        wrong_type: the answer to a request whose query is a number.
        empty_documents: the answer to a request with no documents.
        too_many_documents: the answer to the smallest batch refused (None: none was).
        batch_limit: the most documents accepted in one request, when a larger request was
            refused; None when `BATCH_CAP` documents were accepted.
        deviations: every difference from `format`, as problems on the real answers.
        settings: what a proxy should be configured with.
        answers: every request sent and its answer, in order.
    """

    url: str
    format: FormatName | None
    fits: tuple[str, ...]
    requests: int
    basic: Behaviour | None = None
    sorted: bool | None = None
    top_n: bool | None = None
    echo_by_default: bool | None = None
    echo_when_asked: bool | None = None
    echo_when_refused: bool | None = None
    document_shape: Shape | None = None
    model: bool | None = None
    usage: Usage_ | None = None
    scores: tuple[float, float] | None = None
    unknown_field: Behaviour | None = None
    wrong_type: Behaviour | None = None
    empty_documents: Behaviour | None = None
    too_many_documents: Behaviour | None = None
    batch_limit: int | None = None
    deviations: tuple[Deviation, ...] = ()
    settings: Settings | None = None
    answers: tuple[Answer, ...] = ()

    def json(self) -> bytes:
        """The report as indented JSON, the bodies sent and received as text (what the
        command line prints with `--json`)."""
        data = msgspec.to_builtins(self, builtin_types=(bytes,))
        for answer in data["answers"]:
            for key in ("sent", "body"):
                if key in answer:
                    answer[key] = answer[key].decode("utf-8", "replace")
        return msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n"

    def table(self) -> str:
        """The report as a two-column text table (what the command line prints)."""
        rows = [("endpoint", self.url), ("format", self.format or "none found")]
        rows.append(("fits", _fits(self.fits)))
        rows.append(("requests sent", str(self.requests)))
        rows.append(("the basic request", _behaviour(self.basic)))
        for label, value in (
            ("results sorted", self.sorted),
            ("top_n honoured", self.top_n),
            ("documents by default", self.echo_by_default),
            ("documents when asked", self.echo_when_asked),
            ("documents when refused", self.echo_when_refused),
            ("model in answers", self.model),
        ):
            rows.append((label, _yes(value)))
        rows.append(("echoed document shape", self.document_shape or "-"))
        rows.append(("usage reported in", self.usage or "-"))
        if self.scores is not None:
            rows.append(("scores seen", f"{self.scores[0]:.4g} to {self.scores[1]:.4g}"))
        for label, behaviour in (
            ("an unknown field", self.unknown_field),
            ("a wrong type", self.wrong_type),
            ("no documents", self.empty_documents),
            ("too many documents", self.too_many_documents),
        ):
            rows.append((label, _behaviour(behaviour)))
        batch = (
            "none up to " + str(BATCH_CAP) if self.batch_limit is None else str(self.batch_limit)
        )
        rows.append(("batch limit", batch if self.settings else "-"))
        if self.settings is not None:
            s = self.settings
            limit = "" if s.max_documents is None else f", max_documents={s.max_documents}"
            rows.append(("proxy settings", f"format={s.format}, scores={s.score_scale}{limit}"))
        width = max(len(label) for label, _ in rows)
        lines = [f"{label:<{width}}  {value}" for label, value in rows]
        lines.append(f"deviations: {len(self.deviations) or 'none'}")
        lines += [f"  {d}" for d in self.deviations]
        return "\n".join(lines)


def _fits(fits: tuple[str, ...]) -> str:
    """The best fit, and whether others fit too (the JSON report lists them: their number
    grows with the registry, so the table does not say it)."""
    if not fits:
        return "-"
    return fits[0] + (", and others (see --json)" if len(fits) > 1 else "")


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _behaviour(behaviour: Behaviour | None) -> str:
    if behaviour is None:
        return "-"
    if behaviour.status is None:
        return "no answer"
    if behaviour.accepted:
        return f"accepted ({behaviour.status})"
    said = f": {behaviour.message}" if behaviour.message else ""
    return f"refused {behaviour.status}, {behaviour.envelope} error{said}"


# -- the requests ------------------------------------------------------------------------------


def _canonical(
    model: str | None, documents: Sequence[str] = DOCUMENTS, **fields: Any
) -> RerankRequest:
    named: dict[str, Any] = {} if model is None else {"model": model}
    return RerankRequest(query=QUERY, documents=tuple(documents), **named, **fields)


def _bodies(model: str | None) -> dict[FormatName, bytes]:
    """The basic request as each registered format writes it."""
    return {name: request_for("basic", name, model) for name in FORMATS}


_FIELDS: dict[str, dict[str, Any]] = {
    "top_n": {"top_n": 2},
    "documents_on": {"return_documents": True},
    "documents_off": {"return_documents": False},
}


def request_for(step: str, format: FormatName, model: str | None) -> bytes:
    """The body of `step` in `format` (`batch:<n>` for n documents)."""
    if step.startswith("batch:"):
        count = int(step.partition(":")[2])
        documents = [f"d{i}" for i in range(count)]
        return encode_request(_canonical(model, documents), format=format, on_loss="ignore")
    fields = _FIELDS.get(step, {})
    body = encode_request(_canonical(model, **fields), format=format, on_loss="ignore")
    if step == "basic":
        body = _without_echo_flag(body, format, model)
    if step in ("unknown_field", "wrong_type", "empty_documents"):
        body = msgspec.json.encode(_altered(msgspec.json.decode(body), step))
    return body


def _without_echo_flag(body: bytes, format: FormatName, model: str | None) -> bytes:
    """The basic request without the key that says whether documents are echoed, where the
    format's writer makes Jina's default explicit: the server's own default is what the
    `basic` step observes."""
    on, off = (
        msgspec.json.decode(
            encode_request(
                _canonical(model, return_documents=flag), format=format, on_loss="ignore"
            )
        )
        for flag in (True, False)
    )
    basic = msgspec.json.decode(body)
    if not isinstance(basic, dict):
        return body
    flags = [
        k for k in on if isinstance(on, dict) and isinstance(off, dict) and on[k] != off.get(k)
    ]
    if not flags or not all(k in basic for k in flags):
        return body
    return msgspec.json.encode({k: v for k, v in basic.items() if k not in flags})


def _documents(value: list[Any]) -> bool:
    """Whether `value` is the probe's list of documents, in whatever shape the format gives
    each (strings, `{"text": ...}`, an envelope per document)."""
    return len(value) == len(DOCUMENTS) and all(
        d in msgspec.json.encode(item).decode() for d, item in zip(DOCUMENTS, value, strict=True)
    )


def _altered(value: Any, step: str) -> Any:
    """The basic request with the query made a number, the documents an empty list, or an
    unknown key added, wherever the format keeps them (any nesting)."""
    if step == "unknown_field":
        return {**value, UNKNOWN_KEY: True} if isinstance(value, dict) else value
    if isinstance(value, dict):
        return {k: _altered(v, step) for k, v in value.items()}
    if isinstance(value, list):
        if step == "empty_documents" and _documents(value):
            return []
        return [_altered(v, step) for v in value]
    if step == "wrong_type" and value == QUERY:
        return 42
    return value


# -- reading the answers -----------------------------------------------------------------------


def _response(answer: Answer, format: FormatName) -> RerankResponse | None:
    try:
        return decode_response(answer.body, format=format, headers=answer.headers)
    except DecodeError:
        return None


def _echoed(response: RerankResponse | None) -> bool | None:
    if response is None or not response.results:
        return None
    return any(r.document is not UNSET and r.document is not None for r in response.results)


def _shape(answer: Answer, format: FormatName) -> Shape | None:
    try:
        body = msgspec.json.decode(answer.body)
    except msgspec.DecodeError:
        return None
    codec = get_format(format).RESPONSE
    key = codec.key("document")
    shapes = set()
    for result in codec.results_in(body):
        value = result.get(key, UNSET)
        if value is UNSET:
            shapes.add("absent")
        elif value is None:
            shapes.add("null")
        elif isinstance(value, str):
            shapes.add("string")
        elif isinstance(value, dict) and set(value) == {"text"}:
            shapes.add("text object")
        else:
            shapes.add("object")
    if not shapes:
        return None
    return shapes.pop() if len(shapes) == 1 else "mixed"  # type: ignore[return-value]


def _behaviour_of(answer: Answer | None, format: FormatName) -> Behaviour | None:
    """How `answer` answered an odd request; its envelope is `format`'s when its body is a
    valid `format` error (or a text error `format` reads), else the best fit."""
    if answer is None:
        return None
    content_type = answer.headers.get("content-type")
    if answer.status is None or answer.ok:
        return Behaviour(status=answer.status, accepted=answer.ok, content_type=content_type)
    envelope = _envelope(answer, format)
    error = decode_error(
        answer.body,
        format=format,
        status=answer.status,
        content_type=content_type,
    )
    return Behaviour(
        status=answer.status,
        accepted=False,
        envelope=envelope,
        content_type=content_type,
        message=excerpt(error.message, 60) if error.message else None,
    )


def _envelope(answer: Answer, format: FormatName) -> str:
    if not _is_json(answer.body):
        return "text"
    problems = validate(answer.body, format=format, kind="error")
    if not any(p.severity == "error" for p in problems):
        return format
    matches = detect(answer.body, kind="error")
    return matches[0].format if matches else "unknown"


def _text_error_read(answer: Answer, format: FormatName) -> bool:
    """Whether `format` reads `answer`'s text body as one of its own errors (Xinference's
    text/plain 500s)."""
    text = answer.body.decode("utf-8", "replace")
    return get_error_format(format).error_from_text(text, answer.status) is not None


def _is_json(body: bytes) -> bool:
    try:
        msgspec.json.decode(body)
    except msgspec.DecodeError:
        return False
    return True


def report(
    url: str, format: FormatName | None, fits: tuple[str, ...], answers: Sequence[Answer]
) -> ProbeReport:
    """The report on `answers` (in the order sent) from a server that speaks `format`."""
    if format is None:
        return ProbeReport(
            url=url, format=None, fits=fits, requests=len(answers), answers=tuple(answers)
        )
    module = get_format(format)
    by_step = {a.step: a for a in answers if not a.step.startswith("find:")}
    responses = {
        step: _response(a, format) for step, a in by_step.items() if a.ok and ":" not in step
    }
    deviations = _invalid(format, by_step.values())
    basic = responses.get("basic")
    ordered = _sorted(responses.values())  # a deviation where the format's check says so
    top_n = _top_n(module.SUPPORTS, responses.get("top_n"), deviations)
    on, off = _echoed(responses.get("documents_on")), _echoed(responses.get("documents_off"))
    if {"response_documents", "return_documents"} <= module.SUPPORTS:
        if on is False:
            deviations.append(
                _said("documents_on", "documents_not_echoed", "no documents, asked for")
            )
        if off is True:
            deviations.append(
                _said("documents_off", "documents_echoed", "documents, not asked for")
            )
    scores = [r.relevance_score for each in responses.values() if each for r in each.results]
    seen = (min(scores), max(scores)) if scores else None
    scale = _scale(format, seen, deviations)
    limit = _batch_limit(answers) if basic is not None else None
    declared = module.ENDPOINT.max_documents
    if limit is not None and declared is not None and limit < declared:
        message = f"refuses {limit + 1} documents; {format} takes {declared}"
        deviations.append(_said(f"batch:{limit + 1}", "batch_limit", message))
    return ProbeReport(
        url=url,
        format=format,
        fits=fits,
        requests=len(answers),
        sorted=ordered,
        top_n=top_n,
        echo_by_default=_echoed(basic),
        echo_when_asked=on,
        echo_when_refused=off,
        document_shape=_first_shape(answers, format),
        model=None if basic is None else isinstance(basic.model, str),
        usage=_usage(by_step.get("basic"), basic, format),
        scores=seen,
        unknown_field=_behaviour_of(by_step.get("unknown_field"), format),
        wrong_type=_behaviour_of(by_step.get("wrong_type"), format),
        empty_documents=_behaviour_of(by_step.get("empty_documents"), format),
        basic=_behaviour_of(by_step.get("basic"), format),
        too_many_documents=_behaviour_of(_smallest_refused(answers), format),
        batch_limit=limit,
        deviations=tuple(_unique(deviations)),
        settings=None
        if basic is None
        else Settings(format=format, score_scale=scale, max_documents=limit),
        answers=tuple(answers),
    )


def _said(step: str, type: str, message: str) -> Deviation:
    return Deviation(step=step, path="$", type=type, message=message)


def _invalid(format: FormatName, answers: Iterable[Answer]) -> list[Deviation]:
    """`validate`'s problems with every answer, as a response or as an error body."""
    deviations = []
    for answer in answers:
        if answer.status is None:
            continue
        if not answer.ok and not _is_json(answer.body):
            if _text_error_read(answer, format):
                continue
            message = f"a {answer.status} error in text, not {format}'s JSON error"
            deviations.append(_said(answer.step, "text_error", message))
            continue
        kind = "response" if answer.ok else "error"
        for problem in validate(answer.body, format=format, kind=kind):  # type: ignore[arg-type]
            deviations.append(
                Deviation(
                    step=answer.step, path=problem.path, type=problem.type, message=problem.message
                )
            )
    return deviations


def _sorted(responses: Iterable[RerankResponse | None]) -> bool | None:
    checked = [
        all(a.relevance_score >= b.relevance_score for a, b in itertools.pairwise(r.results))
        for r in responses
        if r is not None
    ]
    return all(checked) if checked else None


def _top_n(
    supports: frozenset[str], answer: RerankResponse | None, deviations: list[Deviation]
) -> bool | None:
    if "top_n" not in supports or answer is None:
        return None
    if len(answer.results) <= 2:
        return True
    message = f"{len(answer.results)} results for top_n 2"
    deviations.append(_said("top_n", "top_n_ignored", message))
    return False


def _scale(
    format: FormatName, seen: tuple[float, float] | None, deviations: list[Deviation]
) -> ScoreScale:
    """The scale the scores seen are on: the format's, unless one is outside [0, 1]."""
    declared = score_scale(format)
    if seen is None or 0.0 <= seen[0] <= seen[1] <= 1.0:
        return declared
    if declared == "probability":
        message = f"scores from {seen[0]:.4g} to {seen[1]:.4g}, not in [0, 1]"
        deviations.append(_said("basic", "score_out_of_range", message))
    return "logit"


def _usage(answer: Answer | None, read: RerankResponse | None, format: FormatName) -> Usage_ | None:
    """Where the basic answer reports token usage (`read` is it read with its headers)."""
    if answer is None or read is None:
        return None
    plain = _response(msgspec.structs.replace(answer, headers={}), format)
    if plain is not None and isinstance(plain.usage, Usage):
        return "body"
    return "headers" if isinstance(read.usage, Usage) else "none"


def _first_shape(answers: Sequence[Answer], format: FormatName) -> Shape | None:
    for step in ("documents_on", "basic"):
        answer = next((a for a in answers if a.step == step and a.ok), None)
        shape = _shape(answer, format) if answer is not None else None
        if shape not in (None, "absent"):
            return shape
    return "absent" if any(a.ok for a in answers) else None


def _unique(deviations: list[Deviation]) -> list[Deviation]:
    """The first deviation of each type at each path."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for deviation in deviations:
        if (deviation.path, deviation.type) not in seen:
            seen.add((deviation.path, deviation.type))
            kept.append(deviation)
    return kept


def _smallest_refused(answers: Sequence[Answer]) -> Answer | None:
    refused = [a for a in answers if a.step.startswith("batch:") and _refused(a)]
    return min(refused, key=lambda a: int(a.step[6:]), default=None)


def _batch_limit(answers: Sequence[Answer]) -> int | None:
    """The most documents accepted below the smallest refused batch (None: none refused)."""
    sizes = [(int(a.step[6:]), a) for a in answers if a.step.startswith("batch:")]
    refused = [n for n, a in sizes if _refused(a)]
    if not refused:
        return None
    accepted = [n for n, a in sizes if a.ok and n < min(refused)]
    return max([len(DOCUMENTS), *accepted])


def batch_steps(send: Callable[[str], Answer]) -> list[Answer]:
    """The batch-limit search: `BATCH_CAP` documents and, when they are refused (a 4xx but
    429), a bisection between the basic request's count (accepted) and the smallest refused
    one. Any other answer (a 5xx, a 429, none) ends the search."""
    answers = [send(f"batch:{BATCH_CAP}")]
    if not _refused(answers[0]):
        return answers
    low, high = len(DOCUMENTS), BATCH_CAP
    while high - low > 1:
        middle = (low + high) // 2
        answers.append(send(f"batch:{middle}"))
        if answers[-1].ok:
            low = middle
        elif _refused(answers[-1]):
            high = middle
        else:
            break
    return answers


def _refused(answer: Answer) -> bool:
    return answer.status is not None and 400 <= answer.status < 500 and answer.status != 429
