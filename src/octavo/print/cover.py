"""The wraparound cover of a paperback: back, spine and front on one sheet, with bleed.

Across, left to right: the back cover (trim width), the spine (page count × paper caliper),
the front cover (trim width); bleed on every outside edge. The spine carries the title and
author only from 100 pages on (thinner spines are too narrow to print on reliably); the back
keeps the barcode area clear: 2 × 1.2 in, a quarter inch from the spine fold and the foot, where
KDP and IngramSpark print the ISBN barcode.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from octavo.book.matter import paragraphs
from octavo.book.model import Book
from octavo.book.paper import INCH
from octavo.core.output import write_bytes
from octavo.print import pdfx
from octavo.print.finisher import page_dicts, set_bleed_box
from octavo.print.html import dated
from octavo.print.printers import PrintRequest, print_options
from octavo.print.render import render
from octavo.themes import Theme
from octavo.weasy import document as weasy

COVER_BLEED = 0.125 * INCH
SPINE_TEXT_FROM = 100  # pages
SAFE = 0.375 * INCH  # text stays this far inside the trim and the folds
BARCODE = (2.0 * INCH, 1.2 * INCH)
BARCODE_INSET = 0.25 * INCH


@dataclass(frozen=True)
class CoverGeometry:
    """All in points. x runs from the left trim edge of the back cover."""

    trim_width: float  # of one cover panel (the book's trim)
    trim_height: float
    spine: float
    bleed: float = COVER_BLEED

    @property
    def width(self) -> float:
        """The cover's trim width: back + spine + front."""
        return 2 * self.trim_width + self.spine

    @property
    def media_width(self) -> float:
        return self.width + 2 * self.bleed

    @property
    def media_height(self) -> float:
        return self.trim_height + 2 * self.bleed

    @property
    def front_left(self) -> float:
        return self.trim_width + self.spine

    @property
    def barcode_box(self) -> tuple[float, float, float, float]:
        """(left, top, width, height) of the area kept clear for the barcode, on the back."""
        w, h = BARCODE
        left = self.trim_width - BARCODE_INSET - w
        top = self.trim_height - BARCODE_INSET - h
        return (left, top, w, h)


def spine_width(pages: int, caliper_in: float) -> float:
    """Points of spine for `pages` interior pages on paper `caliper_in` inches per page."""
    return pages * caliper_in * INCH


def cover_geometry(book: Book, pages: int) -> CoverGeometry:
    trim = book.config.trim
    return CoverGeometry(trim.width, trim.height, spine_width(pages, book.config.caliper))


def _box(left: float, top: float, width: float, height: float) -> str:
    return f"left: {left:.2f}pt; top: {top:.2f}pt; width: {width:.2f}pt; height: {height:.2f}pt;"


def cover_html(book: Book, geometry: CoverGeometry, pages: int) -> str:
    cfg = book.config
    g = geometry
    front = [f'<h1 class="title">{escape(cfg.title)}</h1>']
    if cfg.subtitle:
        front.append(f'<p class="subtitle">{escape(cfg.subtitle)}</p>')
    if cfg.authors:
        front.append(f'<p class="author">{escape(cfg.author_line)}</p>')
    image = ""
    if cfg.cover is not None and cfg.cover.is_file():
        # the front image runs into the bleed at the top, bottom and outside edge
        image = (
            f'<img class="front-image" src="{cfg.cover.resolve().as_uri()}" alt="" style="'
            f'{_box(g.front_left, -g.bleed, g.trim_width + g.bleed, g.trim_height + 2 * g.bleed)}">'
        )
    back_text = paragraphs(cfg.description) if cfg.description else ""
    bx, by, bw, bh = g.barcode_box
    spine = ""
    if pages >= SPINE_TEXT_FROM:
        # laid out across, then turned a quarter clockwise: read top to bottom (US/UK habit)
        size = min(g.spine * 0.5, 14.0)
        box = _box(
            g.trim_width + g.spine / 2 - g.trim_height / 2,
            g.trim_height / 2 - g.spine / 2,
            g.trim_height,
            g.spine,
        )
        spine = (
            f'<div class="spine" style="{box}'
            f' font-size: {size:.2f}pt; line-height: {g.spine:.2f}pt;">'
            f'<span class="spine-title">{escape(cfg.title)}</span>'
            f'<span class="spine-author">{escape(cfg.author_line)}</span></div>'
        )
    return (
        f'<!DOCTYPE html><html lang="{escape(cfg.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(cfg.title)} — cover</title>{dated(cfg.date)}</head><body>{image}"
        f'<div class="panel back" style="{_box(SAFE, SAFE, g.trim_width - 2 * SAFE, by - 2 * SAFE)}">'
        f"{back_text}</div>"
        f'<div class="barcode-area" style="{_box(bx, by, bw, bh)}"></div>'
        f"{spine}"
        f'<div class="panel front{" over-image" if image else ""}" style="'
        f'{_box(g.front_left + SAFE, SAFE, g.trim_width - 2 * SAFE, g.trim_height - 2 * SAFE)}">'
        f"{''.join(front)}</div></body></html>"
    )


def cover_css(geometry: CoverGeometry) -> str:
    g = geometry
    return (
        f"@page {{ size: {g.width:.3f}pt {g.trim_height:.3f}pt; margin: 0; "
        f"bleed: {g.bleed:.3f}pt; }}\n"
        "html, body { margin: 0; padding: 0; }\n"
        ".panel, .barcode-area, .spine, .front-image { position: absolute; }\n"
        ".spine { transform: rotate(90deg); white-space: nowrap; text-align: center;"
        " overflow: hidden; }\n"
    )


def layout(book: Book, theme: Theme, pages: int, pdf_x: str | None = None) -> Any:
    """The cover laid out (a weasyprint Document)."""
    geometry = cover_geometry(book, pages)
    sheets = [theme.font_face_css(), theme.css("print-cover.css"), cover_css(geometry)]
    if pdf_x:
        sheets.append(pdfx.cmyk_css())
    return render(book, theme, cover_html(book, geometry, pages), sheets, pdf_x)


def pdf(book: Book, theme: Theme, pages: int, pdf_x: str | None = None) -> bytes:
    """The cover PDF: TrimBox is the cover's trim, BleedBox and MediaBox reach the bleed."""
    bleed = cover_geometry(book, pages).bleed

    def finish(_document: Any, pdf: Any) -> None:
        import pydyf

        pdfx.name_output_intent(pdf)
        for page in page_dicts(pdf):
            set_bleed_box(page, bleed, bleed, bleed, bleed)
        pdf.catalog["Lang"] = pydyf.String(book.config.language)

    return weasy.write_pdf(
        layout(book, theme, pages, pdf_x),
        pdf_identifier=(book.config.uid + "#cover").encode(),
        pdf_variant=pdfx.variant(pdf_x),
        finisher=finish,
    )


def write(
    book: Book, theme: Theme, request: PrintRequest, out_dir: Path, pages: int
) -> tuple[Path, tuple[str, ...]]:
    """Write `<slug>-cover.pdf` for an interior of `pages` pages; the notes give the sizes to
    enter at the printer."""
    pdf_x = print_options(book.config, request)[0].pdf_x
    geometry = cover_geometry(book, pages)
    path = write_bytes(out_dir / f"{book.slug}-cover.pdf", pdf(book, theme, pages, pdf_x))
    notes: tuple[str, ...] = (
        f"{pages} pages: spine {geometry.spine / INCH:.3f} in; cover "
        f"{geometry.media_width / INCH:.3f} × {geometry.media_height / INCH:.3f} in with bleed.",
    )
    if pages < SPINE_TEXT_FROM:
        notes += (f"no spine text below {SPINE_TEXT_FROM} pages.",)
    return path, notes
