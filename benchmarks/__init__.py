"""Speed benchmarks: a Jina rerank response converted to Cohere v2, in the request's context.

Run them with `python -m benchmarks` (or `make bench`); `--quick` gives a short run.
"""
