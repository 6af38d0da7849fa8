"""octavo: one manuscript in; an EPUB 3, a print-ready PDF and a saddle-stitch booklet out.

The public surface is small: `load_book()` reads and parses a book, `build()` writes its targets.
They are imported when first asked for, so that `octavo --help` starts at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from octavo.core.errors import OctavoError

if TYPE_CHECKING:
    from octavo.pipeline import FORMATS, build
    from octavo.source.load import load_book

__all__ = ["FORMATS", "OctavoError", "build", "load_book"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in {"FORMATS", "build"}:
        from octavo import pipeline

        return getattr(pipeline, name)
    if name == "load_book":
        from octavo.source.load import load_book

        return load_book
    raise AttributeError(f"module 'octavo' has no attribute {name!r}")
