"""octavo: one manuscript in; an EPUB 3, a print-ready PDF and a saddle-stitch booklet out.

The public surface is small: `load_book()` reads and parses a book, `build()` writes its targets.
"""

from octavo.core.errors import OctavoError
from octavo.pipeline import FORMATS, build
from octavo.source.load import load_book

__all__ = ["FORMATS", "OctavoError", "build", "load_book"]
__version__ = "0.1.0"
