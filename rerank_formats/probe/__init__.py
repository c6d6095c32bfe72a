"""`probe`: what rerank dialect does an endpoint really speak?

It sends a short, fixed series of requests (`SERIES`, then a bounded search for the batch
limit; at most `max_requests(format)` in all, said before the first), with the probe's own
tiny documents only, and reports what the answers show: which registered formats they fit,
whether results come sorted and `top_n` is honoured, what `return_documents` does, where
usage is reported, the scores' range, how the server answers an unknown field, a wrong type
and an empty document list, its batch limit, every deviation from the format it speaks
(`validate` on the real answers) and the settings a proxy should use.

Install the extra (`pip install 'rerank-formats[probe]'`: httpx); importing
`rerank_formats` alone never imports this package.

    >>> from rerank_formats.probe import max_requests
    >>> max_requests("jina")
    18
"""

try:
    import httpx  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "rerank_formats.probe needs the `probe` extra: pip install 'rerank-formats[probe]'"
        f" ({error.name} is not installed)"
    ) from error

from ._report import (
    BATCH_CAP,
    DOCUMENTS,
    QUERY,
    SERIES,
    UNKNOWN_KEY,
    Answer,
    Behaviour,
    Deviation,
    ProbeReport,
    Settings,
    max_requests,
)
from ._send import probe

__all__ = [
    "BATCH_CAP",
    "DOCUMENTS",
    "QUERY",
    "SERIES",
    "UNKNOWN_KEY",
    "Answer",
    "Behaviour",
    "Deviation",
    "ProbeReport",
    "Settings",
    "max_requests",
    "probe",
]
