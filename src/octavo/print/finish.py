"""The finished print PDF and what a printer would find wrong with it: page count, trim, RGB
images, hyphenation, and text set in a font outside the theme (P002). The PDF itself was
finished as it was written (finisher.py: labels, boxes, crop marks, PDF/X, printer rules).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from octavo.book.model import Book
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.print.geometry import Geometry
from octavo.print.html import hyphenation_language
from octavo.print.layout import Layout
from octavo.print.printers import (
    PrintRequest,
    check_hyphenation,
    check_images,
    check_pages,
    print_options,
)


@dataclass(frozen=True)
class PrintResult:
    data: bytes
    pages: int
    geometry: Geometry
    warnings: tuple[Diagnostic, ...] = ()


# What a font outside the theme set when the theme's own fonts have all of it: text of a
# picture (an SVG's <text> naming a font octavo does not set), not of the book.
PICTURE_TEXT = (
    "sets text the theme's fonts also have: a picture (SVG) names a font the theme does not "
    "use, so its words print in '{name}'; name the theme's font in the SVG or turn its text "
    "into paths"
)


def foreign_fonts(layout: Layout) -> dict[str, str]:
    """Fonts outside the theme that set text, with the visible characters each set that the
    theme's fonts (its text face and its code face) lack, so Pango borrowed them from a font of
    the machine (DejaVu, most often). Characters the theme's fonts have are left out: an SVG
    picture sets its words in the font it names, whatever the theme has; "" when the font set
    only such characters."""
    found = {}
    for name, chars in sorted(layout.fonts.items()):
        if name not in layout.families:
            shown = (
                c
                for c in chars
                if not unicodedata.category(c).startswith(("Z", "C"))
                and ord(c) not in layout.glyphs
            )
            found[name] = "".join(sorted(shown))
    return found


def font_warnings(layout: Layout, book: Book) -> Iterator[Diagnostic]:
    """P002 for each font outside the theme, said in the build's words (check locates the
    characters in the manuscript itself)."""
    for name, chars in foreign_fonts(layout).items():
        if not chars:
            detail = f"'{name}' {PICTURE_TEXT.format(name=name)}"
            yield codes.get("P002").at(book.config.path, None, None, detail)
            continue
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8])
        more = f" and {len(chars) - 8} more" if len(chars) > 8 else ""
        fonts = " nor ".join(f"'{family}'" for family in layout.families)
        lack = f"neither {fonts} has" if len(layout.families) > 1 else f"{fonts} lacks"
        detail = (
            f"{lack} {listed}{more}: the PDF sets them in "
            f"'{name}'; choose a theme whose font covers them, or replace them"
        )
        yield codes.get("P002").at(book.config.path, None, None, detail)


def tofu_warnings(layout: Layout, book: Book) -> Iterator[Diagnostic]:
    """P004 when characters printed as empty boxes: no font, the theme's or the machine's, has
    them (weasy/notdef.py heard it while the PDF was written)."""
    chars = layout.tofu
    if chars:
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8])
        more = f" and {len(chars) - 8} more" if len(chars) > 8 else ""
        detail = f"{listed}{more}: install a font that has them (octavo check --explain P004)"
        yield codes.get("P004").at(book.config.path, None, None, detail)


def finish(layout: Layout, book: Book, request: PrintRequest | None = None) -> PrintResult:
    """The PDF of a layout made with `print_options(request)` (layout.py finished it with the
    Finisher), and the printer's warnings."""
    request = request or PrintRequest()
    options, warnings = print_options(book.config, request)
    pages = layout.pages
    warnings += check_pages(book.config, request.printer, pages)
    images = [(a.href, a.path) for c in book.chapters for a in c.assets]
    warnings += check_images(book.config, images, options.pdf_x)
    warnings += check_hyphenation(book.config, hyphenation_language(book.config.language))
    warnings += font_warnings(layout, book)
    warnings += tofu_warnings(layout, book)
    return PrintResult(layout.pdf, pages, layout.geometry, tuple(warnings))
