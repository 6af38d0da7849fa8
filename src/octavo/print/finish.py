"""Finishing the print PDF, between WeasyPrint's pages and the file a printer receives.

- Page labels: viewers show the printed folio (‘iii’, ‘1’), not the sheet's position.
- Boxes: TrimBox is the cut page; BleedBox reaches the bleed on the top, bottom and outside
  edges (WeasyPrint caps it at 10 pt from the trim; we set it exactly); MediaBox is larger only
  when crop marks need room.
- Crop marks: short lines in registration colour at the trim lines, outside the bleed box
  (WeasyPrint draws its own inside the bleed, where they would be printed on a full-bleed page).
- Printer rules: no link annotations or bookmarks where the printer wants none (KDP).
- PDF/X: the output intent names its printing condition.

The CMYK profile is basICColor's ISOcoated_v2_300_bas.icc (FOGRA39, ISO Coated v2 300 %), zlib
licence, taken from Debian's `scribus-data` package and shipped with octavo (see LICENSE.txt in
the same folder).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from octavo.book.model import Book
from octavo.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from octavo.print.layout import Geometry

MARK_GAP = 4.5  # points between the bleed edge and the start of a crop mark
MARK_LENGTH = 18.0
MARK_WIDTH = 0.25


def icc_folder() -> Path:
    return Path(__file__).resolve().parent / "icc"


def cmyk_profile() -> Path:
    return icc_folder() / "ISOcoated_v2_300_bas.icc"


def body_start(document: Any, book: Book) -> int:
    """Index of the page that carries folio 1: the first chapter's opening page."""
    from octavo.print.html import body_chapters

    if not book.chapters:
        return 0
    first = body_chapters(book)[0].id
    for index, page in enumerate(document.pages):
        if first in page.anchors:
            return int(index)
    return 0


def page_labels(document: Any, book: Book) -> list[str]:
    """The folio of every page, printed or not: lower-case roman up to the first chapter,
    arabic from 1 there on. The PDF's page labels and the EPUB's page-list both say these."""
    from octavo.print.pagemap import to_roman

    start = body_start(document, book)
    count = len(document.pages)
    return [to_roman(i + 1) if i < start else str(i - start + 1) for i in range(count)]


def page_dicts(pdf: Any) -> list[Any]:
    import pydyf

    by_number = {obj.number: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    kids = pdf.pages["Kids"]
    return [by_number[kids[i]] for i in range(0, len(kids), 3)]


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
        for index, page in enumerate(pages):
            self._boxes(page, recto=index % 2 == 0)
            if options.crop_marks:
                self._crop_marks(pdf, page)
            if not options.links:
                page.pop("Annots", None)
        if not options.bookmarks:
            pdf.catalog.pop("Outlines", None)
            pdf.catalog.pop("PageMode", None)
        if options.pdf_x:
            self._output_intent(pdf)

    def _boxes(self, page: Any, recto: bool) -> None:
        import pydyf

        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        bleed = self.geometry.options.bleed
        outside_left = 0.0 if recto else bleed  # a verso's outside edge is its left
        outside_right = bleed if recto else 0.0
        page["BleedBox"] = pydyf.Array(
            [left - outside_left, bottom - bleed, right + outside_right, top + bleed]
        )

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

    def _output_intent(self, pdf: Any) -> None:
        name_output_intent(pdf)


def name_output_intent(pdf: Any) -> None:
    """Say which printing condition the embedded CMYK profile describes (PDF/X asks for it)."""
    import pydyf

    intents = pdf.catalog.get("OutputIntents")
    if not intents:
        return
    intent = intents[0]
    intent["OutputConditionIdentifier"] = pydyf.String("FOGRA39")
    intent["OutputCondition"] = pydyf.String("ISO Coated v2 300% (ECI), offset, coated paper")
    intent["RegistryName"] = pydyf.String("http://www.color.org")
    intent["Info"] = pydyf.String("ISOcoated_v2_300_bas (basICColor)")


def fonts_used(document: Any) -> dict[str, set[str]]:
    """Font family → the characters set in it (known once the PDF has been written)."""
    used: dict[str, set[str]] = {}
    for font in document.fonts.values():
        chars = used.setdefault(str(font.family), set())
        for text in font.to_unicode.values():
            chars.update(text)
    return used


def font_warnings(document: Any, book: Book, family: str | None = None) -> Iterator[Diagnostic]:
    """P002 for text set in a font outside the theme: the theme's font lacks those characters,
    so Pango borrowed them from a font of the machine (DejaVu, most often)."""
    from octavo import themes

    family = family or themes.load(book.config.theme, book.config.root).family
    for name, chars in sorted(fonts_used(document).items()):
        if name == family:
            continue
        shown = sorted(c for c in chars if not unicodedata.category(c).startswith(("Z", "C")))
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in shown[:8])
        more = f" and {len(shown) - 8} more" if len(shown) > 8 else ""
        yield Diagnostic(
            book.config.path,
            None,
            None,
            "warning",
            "P002",
            f"'{family}' lacks {listed or 'some characters'}{more}: the PDF sets them in "
            f"'{name}'; choose a theme whose font covers them, or replace them",
        )
