"""The print interior laid out: one HTML document of the whole book (html.py) and the theme's
print CSS, set into pages by WeasyPrint. The page map of the EPUB and the PDF's bytes both come
from this one layout (pagemap.py, finish.py)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from octavo.book.model import Book
from octavo.book.paper import gutter_for
from octavo.print import heads, pdfx, pictures, placing, second_pass
from octavo.print.folios import page_of
from octavo.print.geometry import Geometry, geometry_for, page_css
from octavo.print.html import PrintLook, body_class, hyphenation_language, print_html
from octavo.print.printers import PrintOptions
from octavo.source import pictures as copies
from octavo.themes import Theme
from octavo.weasy import document as weasy

SAMPLE_CHARS = 25_000  # of markup laid out to measure a page: ~8 A5 pages, 5 % of a novel


@dataclass(frozen=True)
class Layout:
    """The book set into pages, with the geometry it was set to and the theme's font families
    (finish.py checks that no other font crept in)."""

    document: Any  # a weasyprint Document
    geometry: Geometry
    family: str  # the text face
    code_family: str = ""  # the monospace face of code, if the theme has one
    session: Any = field(default=None, compare=False, repr=False)  # its style, for re-setting
    mended: Any = field(default=None, compare=False, repr=False)  # second_pass.Outcome, if run

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(f for f in (self.family, self.code_family) if f)

    @property
    def pages(self) -> list[Any]:
        return list(self.document.pages)


def print_look(theme: Theme, language: str) -> PrintLook:
    """The theme's `[print]` options (a theme that extends another inherits and overrides),
    then what [design] says about the opening, the running heads and the chapter label."""
    values: dict[str, Any] = {}
    for folder in (*theme.parents, theme.folder):
        path = folder / "theme.toml"
        if path.is_file():
            table = tomllib.loads(path.read_text("utf-8")).get("print", {})
            values.update({k: str(v) for k, v in table.items() if k in {"opening", "recto_head"}})
            if isinstance(table.get("repair"), bool):
                values["repair"] = table["repair"]
    design = theme.design
    if design.opening is not None:
        values["opening"] = "none" if design.opening == "plain" else design.opening
    if design.running_heads == "title-chapter":
        values["recto_head"] = "chapter"
    elif design.running_heads == "author-title":
        values["recto_head"] = "title"
    look = PrintLook(
        language=hyphenation_language(language), chapter_label=design.chapter_label or "none"
    )
    return replace(look, **values)


def stylesheets(theme: Theme, geometry: Geometry) -> list[str]:
    sheets = [
        theme.font_face_css(),
        theme.css("base.css"),
        theme.css("print.css"),
        page_css(geometry),
        pictures.text_block_css(geometry),
    ]
    if geometry.options.pdf_x:
        sheets.append(pdfx.cmyk_css())
    if not geometry.options.bookmarks:
        sheets.append("h1, h2, h3, h4, h5, h6 { bookmark-level: none !important; }")
    return sheets


def session(
    book: Book,
    theme: Theme,
    sheets: list[str],
    pdf_x: str | None,
    text_block: tuple[float, float] | None = None,
    images: dict[str, Any] | None = None,
) -> Any:
    """WeasyPrint set up for HTML of this book, its style sheets parsed once: its images, its
    theme's files and fonts, and the CMYK profile are the only files it may read. Given the
    text block's size (points), a picture with far more pixels than print needs is read from
    a smaller copy (source/pictures.py)."""
    base = book.config.root.resolve()
    aliases = {
        (base / a.href).as_uri(): copies.print_path(a, text_block) if text_block else a.path
        for c in book.chapters
        for a in c.assets
    }
    roots = [base, theme.folder, *theme.parents, *theme.font_folders, pdfx.icc_folder()]
    return weasy.Session(
        sheets,
        base=base,
        css_base=theme.folder,
        roots=roots,
        aliases=aliases,
        variant=pdfx.variant(pdf_x),
        images=images,
    )


def render(
    book: Book,
    theme: Theme,
    source: str,
    sheets: list[str],
    pdf_x: str | None,
    text_block: tuple[float, float] | None = None,
    images: dict[str, Any] | None = None,
) -> Any:
    """Lay out an HTML document of this book in these style sheets."""
    return session(book, theme, sheets, pdf_x, text_block, images).render(source)


def running_heads(book: Book, theme: Theme, look: PrintLook, geometry: Geometry) -> str:
    """The style sheet that sets running heads too long for the measure shorter (heads.py),
    measured on a three-page probe set in the book's own styles when any may be too long."""
    if heads.surely_fits(book, geometry, look.recto_head):
        found = heads.heads_for(book, look.recto_head, lambda _text, _side: True)
        return heads.heads_css(found)
    sheets = [*stylesheets(theme, geometry), heads.PROBE_CSS]
    source = (
        f'<!DOCTYPE html><html lang="{look.language}"><head><meta charset="utf-8"></head>'
        f'<body class="{body_class(look)}">{heads.PROBE}</body></html>'
    )
    probe = render(book, theme, source, sheets, geometry.options.pdf_x)
    fits = heads.pango_fits(heads.margin_styles(probe))
    return heads.heads_css(heads.heads_for(book, look.recto_head, fits))


def _render(
    book: Book,
    theme: Theme,
    geometry: Geometry,
    placements: placing.Placements | None = None,
    images: dict[str, Any] | None = None,
) -> Layout:
    look = print_look(theme, book.config.language)
    options = geometry.options
    source = print_html(book, theme.family, look, options.links, options.blank_last_page)
    if placements:
        source = placing.apply(source, placements)  # pictures moved or scaled (pictures.py)
    sheets = [*stylesheets(theme, geometry), running_heads(book, theme, look, geometry)]
    styled = session(book, theme, sheets, options.pdf_x, geometry.text_block, images)
    return Layout(styled.render(source), geometry, theme.family, theme.code_family, styled)


def _settled(book: Book, theme: Theme, geometry: Geometry) -> Layout:
    """The book laid out with its pictures where they leave no hole (pictures.py)."""
    images: dict[str, Any] = {}  # decoded once for all the layouts of this one
    made = _render(book, theme, geometry, images=images)
    if not any(c.assets for c in book.chapters):
        return made

    sessions = {id(made.document): made.session}

    def again(placements: placing.Placements) -> object:
        laid = _render(book, theme, geometry, placements, images)
        sessions[id(laid.document)] = laid.session  # the second pass re-sets in its style
        return laid.document

    ids = {c.id for c in book.chapters}
    document, _ = pictures.settle(made.document, ids, again)
    return replace(made, document=document, session=sessions[id(document)])


def _is_blank(page: Any) -> bool:
    return bool(getattr(page._page_box.page_type, "blank", False))


def estimated_pages(book: Book, theme: Theme, options: PrintOptions) -> int:
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
    document = _render(
        part, theme, geometry_for(book.config.trim, 300, options, theme.design.margins)
    ).document
    starts = [page_of(document, c.id) for c in part.chapters] + [len(document.pages)]
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


def layout(
    book: Book, theme: Theme, options: PrintOptions | None = None, repair: bool | None = None
) -> Layout:
    """Lay the book out into pages.

    The gutter depends on the page count, which depends on the gutter: lay out with the gutter
    for an estimated count and, if the real count needs a wider one, once more with that. A
    wider gutter only adds pages, so this settles at once (a gutter wider than the table asks
    for is always allowed). The second pass (second_pass.py) then mends what it can, unless
    `repair` (default: the theme's `[print] repair`) says not to."""
    options = options or PrintOptions()
    pages = estimated_pages(book, theme, options)
    made = _settled(
        book, theme, geometry_for(book.config.trim, pages, options, theme.design.margins)
    )
    used = gutter_for(pages)
    while gutter_for(len(made.pages)) > used:
        pages = len(made.pages)
        used = gutter_for(pages)
        made = _settled(
            book, theme, geometry_for(book.config.trim, pages, options, theme.design.margins)
        )
    if print_look(theme, book.config.language).repair if repair is None else repair:
        outcome = second_pass.run(made.document, book, made.session, made.geometry)
        made = replace(made, mended=outcome)
    return made
