"""Finishing the print PDF, between WeasyPrint's pages and the file a printer receives.

- Page labels: viewers show the printed folio (‘iii’, ‘1’), not the sheet's position.
- Boxes: TrimBox is the cut page; BleedBox reaches the bleed on the top, bottom and outside
  edges (WeasyPrint caps it at 10 pt from the trim; we set it exactly); MediaBox is larger only
  when crop marks need room.
- Crop marks: short lines in registration colour at the trim lines, outside the bleed box
  (WeasyPrint draws its own inside the bleed, where they would be printed on a full-bleed page).
- Printer rules: no link annotations or bookmarks where the printer wants none (KDP), and
  warnings for what the book still breaks (page count, trim, RGB images, hyphenation).
- PDF/X: the output intent names its printing condition (pdfx.py).
- Fonts: text set in a font outside the theme is reported (P002).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from octavo.book.model import Book
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.print import pdfx
from octavo.print.folios import body_start
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
from octavo.weasy import document as weasy

MARK_GAP = 4.5  # points between the bleed edge and the start of a crop mark
MARK_LENGTH = 18.0
MARK_WIDTH = 0.25


@dataclass(frozen=True)
class PrintResult:
    data: bytes
    pages: int
    geometry: Geometry
    warnings: tuple[Diagnostic, ...] = ()


def page_dicts(pdf: Any) -> list[Any]:
    import pydyf

    by_number = {obj.number: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    kids = pdf.pages["Kids"]
    return [by_number[kids[i]] for i in range(0, len(kids), 3)]


def set_bleed_box(page: Any, left: float, bottom: float, right: float, top: float) -> None:
    """The BleedBox: the TrimBox grown by the bleed on each edge (0 where there is none)."""
    import pydyf

    x0, y0, x1, y1 = (float(v) for v in page["TrimBox"])
    page["BleedBox"] = pydyf.Array([x0 - left, y0 - bottom, x1 + right, y1 + top])


class Finisher:
    """WeasyPrint calls this with the finished pydyf PDF just before writing the trailer."""

    def __init__(self, book: Book, geometry: Geometry) -> None:
        self.book = book
        self.geometry = geometry

    def __call__(self, document: Any, pdf: Any) -> None:
        import pydyf

        pages = page_dicts(pdf)
        start = body_start(document, self.book)
        labels = pydyf.Array()
        if start > 0:
            labels.extend([0, pydyf.Dictionary({"S": "/r"})])
        labels.extend([start, pydyf.Dictionary({"S": "/D", "St": 1})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": labels})
        pdf.catalog["Lang"] = pydyf.String(self.book.config.language)
        pdf.info["Creator"] = pydyf.String("octavo")
        options = self.geometry.options
        bleed = options.bleed
        for index, page in enumerate(pages):
            recto = index % 2 == 0  # a verso's outside edge is its left
            set_bleed_box(page, 0.0 if recto else bleed, bleed, bleed if recto else 0.0, bleed)
            if options.crop_marks:
                self._crop_marks(pdf, page)
            if not options.links:
                page.pop("Annots", None)
        if not options.bookmarks:
            pdf.catalog.pop("Outlines", None)
            pdf.catalog.pop("PageMode", None)
        if options.pdf_x:
            pdfx.name_output_intent(pdf)

    def _crop_marks(self, pdf: Any, page: Any) -> None:
        import pydyf

        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        start = self.geometry.options.bleed + MARK_GAP
        end = start + MARK_LENGTH
        stream = pydyf.Stream()
        stream.push_state()
        stream.set_line_width(MARK_WIDTH)
        stream.stream.append(b"1 1 1 1 K")  # registration colour: every ink
        for x in (left, right):
            for y, sign in ((bottom, -1), (top, 1)):
                stream.move_to(x, y + sign * start)  # vertical mark, above or below
                stream.line_to(x, y + sign * end)
        for y in (bottom, top):
            for x, sign in ((left, -1), (right, 1)):
                stream.move_to(x + sign * start, y)  # horizontal mark, left or right
                stream.line_to(x + sign * end, y)
        stream.stroke()
        stream.pop_state()
        pdf.add_object(stream)
        contents = page["Contents"]
        page["Contents"] = pydyf.Array([contents, stream.reference])


def fonts_used(document: Any) -> dict[str, set[str]]:
    """Font family → the characters set in it (known once the PDF has been written)."""
    used: dict[str, set[str]] = {}
    for font in document.fonts.values():
        chars = used.setdefault(str(font.family), set())
        for text in font.to_unicode.values():
            chars.update(text)
    return used


def foreign_fonts(layout: Layout) -> dict[str, str]:
    """Fonts outside the theme that set text, with the visible characters each set: the
    theme's fonts (its text face and its code face) lack them, so Pango borrowed them from a
    font of the machine (DejaVu, most often). Known once the PDF has been written."""
    found = {}
    for name, chars in sorted(fonts_used(layout.document).items()):
        if name not in layout.families:
            shown = (c for c in chars if not unicodedata.category(c).startswith(("Z", "C")))
            found[name] = "".join(sorted(shown))
    return found


def font_warnings(layout: Layout, book: Book) -> Iterator[Diagnostic]:
    """P002 for each font outside the theme, said in the build's words (check locates the
    characters in the manuscript itself)."""
    for name, chars in foreign_fonts(layout).items():
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8])
        more = f" and {len(chars) - 8} more" if len(chars) > 8 else ""
        fonts = " nor ".join(f"'{family}'" for family in layout.families)
        lack = f"neither {fonts} has" if len(layout.families) > 1 else f"{fonts} lacks"
        detail = (
            f"{lack} {listed or 'some characters'}{more}: the PDF sets them in "
            f"'{name}'; choose a theme whose font covers them, or replace them"
        )
        yield codes.get("P002").at(book.config.path, None, None, detail)


def tofu_warnings(layout: Layout, book: Book) -> Iterator[Diagnostic]:
    """P004 when characters printed as empty boxes: no font, the theme's or the machine's, has
    them (weasy/notdef.py heard it while the PDF was written)."""
    chars = getattr(layout.document, "octavo_tofu", "")
    if chars:
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8])
        more = f" and {len(chars) - 8} more" if len(chars) > 8 else ""
        detail = f"{listed}{more}: install a font that has them (octavo check --explain P004)"
        yield codes.get("P004").at(book.config.path, None, None, detail)


def finish(layout: Layout, book: Book, request: PrintRequest | None = None) -> PrintResult:
    """The PDF of a layout made with `print_options(request)`, and the printer's warnings."""
    request = request or PrintRequest()
    options, warnings = print_options(book.config, request)
    data = weasy.write_pdf(
        layout.document,
        pdf_identifier=book.config.uid.encode(),
        pdf_variant=pdfx.variant(layout.geometry.options.pdf_x),
        finisher=Finisher(book, layout.geometry),
    )
    pages = len(layout.pages)
    warnings += check_pages(book.config, request.printer, pages)
    images = [(a.href, a.path) for c in book.chapters for a in c.assets]
    warnings += check_images(book.config, images, options.pdf_x)
    warnings += check_hyphenation(book.config, hyphenation_language(book.config.language))
    warnings += font_warnings(layout, book)
    warnings += tofu_warnings(layout, book)
    return PrintResult(data, pages, layout.geometry, tuple(warnings))
