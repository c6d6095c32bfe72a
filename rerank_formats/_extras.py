"""The optional extras: a clear error when one is needed and not installed."""

from __future__ import annotations

__all__ = ["missing_extra"]


def missing_extra(error: ImportError, *, module: str, extra: str) -> ImportError:
    """The error to raise when importing `module` failed with `error`.

    If what is missing is a distribution the extra installs, a `ModuleNotFoundError` that
    says which extra to install; otherwise `error` itself (a real bug is not hidden).
    """
    missing = (getattr(error, "name", None) or "").partition(".")[0]
    if not isinstance(error, ModuleNotFoundError) or missing not in _PROVIDES[extra]:
        return error
    return ModuleNotFoundError(
        f"rerank_formats.{module} needs {missing}, which the {extra!r} extra installs: "
        f"pip install 'rerank-formats[{extra}]'",
        name=missing,
    )


_PROVIDES = {"pydantic": ("pydantic", "pydantic_core"), "testing": ("hypothesis",)}
"""The top-level modules each extra (pyproject.toml's optional-dependencies) provides."""
