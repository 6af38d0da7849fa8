"""Print interior: one HTML document of the whole book + the theme's print CSS → WeasyPrint.

Page geometry (trim, mirrored margins, a gutter that grows with the page count, bleed) is made
here; the look of the page (type, folios, running heads) is the theme's print.css. The PDF is
finished in `finish.py` (page labels, trim and bleed boxes, crop marks, printer rules).
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from octavo.book.model import Book
from octavo.book.paper import INCH, Size, gutter_for
from octavo.core.diagnostics import Diagnostic
from octavo.core.output import atomic_path
from octavo.print.html import PrintLook, hyphenation_language, print_html
from octavo.print.printers import (
    PrintOptions,
    PrintRequest,
    check_hyphenation,
    check_images,
    check_pages,
    print_options,
)
from octavo.themes import Theme

PDF_X_VARIANTS = {"1a": "pdf/x-1a", "4": "pdf/x-4"}
SAMPLE_CHARS = 25_000  # of markup laid out to measure a page: ~8 A5 pages, 5 % of a novel
FURNITURE_ROOM = 0.375 * INCH  # a running head or folio with its gap to the text block
DESIGN_INSIDE = 0.25 * INCH  # inside margin beyond the gutter the binding takes


@dataclass(frozen=True)
class Margins:
    """Mirrored margins: `inner` is the gutter side (left on rectos, right on versos)."""

    top: float
    bottom: float
    inner: float
    outer: float


@dataclass(frozen=True)
class Geometry:
    trim: Size
    margins: Margins
    gutter: float  # the part of `inner` the binding takes, by page count (paper.gutter_for)
    options: PrintOptions = field(default_factory=PrintOptions)


def margins_for(trim: Size, pages: int = 0, min_margin: float = 0.0) -> Margins:
    """Proportions of a well-set page; the inside margin is the gutter for this many pages
    (KDP's table) plus a quarter inch, so the text clears the binding of a thick book."""
    least = max(min_margin, 0.25 * INCH)
    return Margins(
        # the running head and the folio sit in these, a line and a gap from the text block:
        # they too must keep the printer's least margin from the edge
        top=max(trim.height * 0.075, least + FURNITURE_ROOM),
        bottom=max(trim.height * 0.09, least + FURNITURE_ROOM),
        inner=max(gutter_for(pages) + DESIGN_INSIDE, least),
        outer=max(trim.width * 0.09, least, 0.375 * INCH),
    )


def geometry_for(trim: Size, pages: int, options: PrintOptions | None = None) -> Geometry:
    options = options or PrintOptions()
    return Geometry(trim, margins_for(trim, pages, options.min_margin), gutter_for(pages), options)


def page_css(geometry: Geometry) -> str:
    """@page size, mirrored margins and bleed. Bleed goes on the top, bottom and outside edges
    only: the inside edge is bound, and KDP and IngramSpark want no bleed there."""
    m, o = geometry.margins, geometry.options
    out, spine = o.media_reach()
    vertical = out
    rules = [
        f"@page {{ size: {geometry.trim.css()}; margin: {m.top:.2f}pt {m.outer:.2f}pt "
        f"{m.bottom:.2f}pt {m.inner:.2f}pt; }}",
        f"@page :left {{ margin-left: {m.outer:.2f}pt; margin-right: {m.inner:.2f}pt; "
        f"bleed: {vertical:.3f}pt {spine:.3f}pt {vertical:.3f}pt {out:.3f}pt; }}",
        f"@page :right {{ margin-left: {m.inner:.2f}pt; margin-right: {m.outer:.2f}pt; "
        f"bleed: {vertical:.3f}pt {out:.3f}pt {vertical:.3f}pt {spine:.3f}pt; }}",
    ]
    return "\n".join(rules) + "\n"


def cmyk_css(profile_url: str) -> str:
    """PDF/X: a CMYK output intent, and every colour CMYK, text in pure black ink (K only)."""
    return (
        f"@color-profile device-cmyk {{ src: url({profile_url}); components: c, m, y, k; }}\n"
        "html, html *, html ::before, html ::after, ::footnote-call, ::footnote-marker"
        " { color: device-cmyk(0 0 0 1) !important; }\n"
        "@page { color: device-cmyk(0 0 0 1);"
        " @footnote { color: device-cmyk(0 0 0 1); border-top-color: device-cmyk(0 0 0 1); } }\n"
        "th, td { border-color: device-cmyk(0 0 0 0.6); }\n"
    )


def print_look(theme: Theme, language: str) -> PrintLook:
    """The theme's `[print]` options; a theme that extends another inherits and overrides."""
    values: dict[str, str] = {}
    for folder in (*theme.parents, theme.folder):
        path = folder / "theme.toml"
        if path.is_file():
            table = tomllib.loads(path.read_text("utf-8")).get("print", {})
            values.update({k: str(v) for k, v in table.items() if k in {"opening", "recto_head"}})
    look = PrintLook(language=hyphenation_language(language))
    return replace(look, **values)


def stylesheets(book: Book, theme: Theme, geometry: Geometry | None = None) -> list[str]:
    geometry = geometry or geometry_for(book.config.trim, 0)
    sheets = [
        theme.font_face_css(),
        theme.css("base.css"),
        theme.css("print.css"),
        page_css(geometry),
    ]
    if geometry.options.pdf_x:
        from octavo.print.finish import cmyk_profile

        sheets.append(cmyk_css(cmyk_profile().as_uri()))
    if not geometry.options.bookmarks:
        sheets.append("h1, h2, h3, h4, h5, h6 { bookmark-level: none !important; }")
    return sheets


def weasy_document(
    book: Book, theme: Theme, source: str, sheets: list[str], variant: str | None = None
) -> Any:
    """Lay out an HTML document with the book's fetcher, the theme's fonts and these sheets."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from octavo.print.finish import icc_folder
    from octavo.weasy import patches as fontspeed
    from octavo.weasy.fetcher import BookFetcher

    fontspeed.apply()
    # WeasyPrint logs every refused or missing resource; the build reports them itself.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    base = book.config.root.resolve()
    aliases = {
        (base / a.href).as_uri(): a.path for chapter in book.chapters for a in chapter.assets
    }
    roots = [base, theme.folder, *theme.parents, *theme.font_folders, icc_folder()]
    fetcher = BookFetcher(roots, aliases)
    html = HTML(string=source, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    fonts = FontConfiguration()
    profiles: dict[str, Any] = {}  # filled by @color-profile, shared with the rendering
    css = [
        CSS(
            string=s,
            url_fetcher=fetcher,
            base_url=str(theme.folder) + "/",
            font_config=fonts,
            color_profiles=profiles,
        )
        for s in sheets
    ]
    return html.render(
        stylesheets=css, font_config=fonts, color_profiles=profiles, pdf_variant=variant
    )


def _render(book: Book, theme: Theme, geometry: Geometry) -> Any:
    look = print_look(theme, book.config.language)
    options = geometry.options
    source = print_html(book, theme.family, look, options.links, options.blank_last_page)
    variant = PDF_X_VARIANTS.get(options.pdf_x or "")
    document = weasy_document(book, theme, source, stylesheets(book, theme, geometry), variant)
    document.octavo_geometry = geometry  # to_pdf() finishes the PDF to the same geometry
    document.octavo_family = theme.family  # and checks that no other font crept in
    return document


def _estimated_pages(book: Book, theme: Theme, options: PrintOptions) -> int:
    """A first guess at the page count, to choose the gutter before the real layout. A short
    book is taken to be short; a long one lays out its first chapters alone, measures how much
    text a page holds, and adds up its chapters, each opening on a recto. A wrong guess only
    costs a second layout (see layout())."""
    sizes = [len(c.body_html) for c in book.chapters]
    if sum(sizes) < 150_000 or len(book.chapters) < 4:
        return 0
    count = 1
    while count < len(sizes) and sum(sizes[:count]) < SAMPLE_CHARS:
        count += 1
    part = replace(book, chapters=book.chapters[:count])
    document = _render(part, theme, geometry_for(book.config.trim, 300, options))
    starts = [body_start_of(document, c.id) for c in part.chapters] + [len(document.pages)]
    filled = 0.0
    for begin, end in pairwise(starts):
        blanks = sum(1 for page in document.pages[begin:end] if _is_blank(page))
        filled += end - begin - blanks - 0.5  # a chapter's last page is half full, on average
    per_page = sum(sizes[:count]) / max(filled, 1.0)
    total = starts[0]  # the front matter
    for size in sizes:
        pages = max(1, round(size / per_page + 0.5))
        total += pages + pages % 2  # the next chapter opens on a recto
    return total


def body_start_of(document: Any, anchor: str) -> int:
    return next((i for i, p in enumerate(document.pages) if anchor in p.anchors), 0)


def _is_blank(page: Any) -> bool:
    return bool(getattr(page._page_box.page_type, "blank", False))


def layout(book: Book, theme: Theme, options: PrintOptions | None = None) -> Any:
    """Lay the book out into pages (a weasyprint Document): the page map of the EPUB and the
    PDF bytes both come from this one layout.

    The gutter depends on the page count, which depends on the gutter: lay out with the gutter
    for an estimated count and, if the real count needs a wider one, once more with that. A
    wider gutter only adds pages, so this settles at once (a gutter wider than the table asks
    for is always allowed)."""
    options = options or PrintOptions()
    pages = _estimated_pages(book, theme, options)
    document = _render(book, theme, geometry_for(book.config.trim, pages, options))
    used = gutter_for(pages)
    while gutter_for(len(document.pages)) > used:
        pages = len(document.pages)
        used = gutter_for(pages)
        document = _render(book, theme, geometry_for(book.config.trim, pages, options))
    return document


@dataclass(frozen=True)
class PrintResult:
    data: bytes
    pages: int
    geometry: Geometry
    warnings: tuple[Diagnostic, ...] = ()


def to_pdf(document: Any, book: Book, options: PrintOptions | None = None) -> bytes:
    return finish_pdf(document, book, options).data


def finish_pdf(document: Any, book: Book, options: PrintOptions | None = None) -> PrintResult:
    from octavo.print.finish import Finisher, font_warnings

    geometry: Geometry = getattr(document, "octavo_geometry", None) or geometry_for(
        book.config.trim, len(document.pages), options or PrintOptions()
    )
    finisher = Finisher(book, geometry)
    variant = PDF_X_VARIANTS.get(geometry.options.pdf_x or "")
    data: bytes = document.write_pdf(
        pdf_identifier=book.config.uid.encode(),
        pdf_variant=variant,
        finisher=finisher,
    )
    warnings = tuple(font_warnings(document, book, getattr(document, "octavo_family", None)))
    return PrintResult(data, len(document.pages), geometry, warnings)


def print_pdf(book: Book, theme: Theme, options: PrintOptions | None = None) -> PrintResult:
    """Lay the book out and finish the PDF (fonts embedded and subset)."""
    return finish_pdf(layout(book, theme, options), book, options)


def print_book(book: Book, theme: Theme, request: PrintRequest | None = None) -> PrintResult:
    """The print PDF a build writes: the request within its printer's rules, and warnings for
    whatever the book still breaks (page count, trim, characters the font lacks)."""
    request = request or PrintRequest()
    return finish_book(layout(book, theme, print_options(book.config, request)[0]), book, request)


def finish_book(document: Any, book: Book, request: PrintRequest | None = None) -> PrintResult:
    """Finish a layout made with `print_options(request)`, adding the printer's warnings."""
    request = request or PrintRequest()
    options, warnings = print_options(book.config, request)
    printed = finish_pdf(document, book, options)
    warnings += check_pages(book.config, request.printer, printed.pages)
    images = [(a.href, a.path) for c in book.chapters for a in c.assets]
    warnings += check_images(book.config, images, options.pdf_x)
    warnings += check_hyphenation(book.config, hyphenation_language(book.config.language))
    return replace(printed, warnings=(*warnings, *printed.warnings))


def trim_size_interior(book: Book, theme: Theme, printed: PrintResult) -> bytes:
    """The interior cut to the trim, for imposing: a booklet imposed from pages with bleed or
    marks would be shifted by them (see TRAPS), so such a PDF is rendered again without."""
    o = printed.geometry.options
    if not (o.bleed or o.crop_marks):
        return printed.data
    return render(book, theme, replace(o, bleed=0.0, crop_marks=False))


def render(book: Book, theme: Theme, options: PrintOptions | None = None) -> bytes:
    """Lay the book out and return the PDF bytes."""
    return print_pdf(book, theme, options).data


def write(book: Book, theme: Theme, path: Path) -> Path:
    data = render(book, theme)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
