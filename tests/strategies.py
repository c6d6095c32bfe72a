"""The suite draws from the strategies the library ships for its users (rerank_formats.testing),
so they are tested by being used."""

from rerank_formats.testing import (
    canonical_requests as requests,
    canonical_responses as responses,
    json_values,
    mutations,
)

__all__ = ["json_values", "mutations", "requests", "responses"]
