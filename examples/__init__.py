"""Runnable examples of rerank_formats in use; `examples.proxy` is the reference proxy."""
