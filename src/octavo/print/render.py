"""One HTML document of the book set into pages by WeasyPrint: the theme's print look and style
sheets, the files the document may read, and which of the body's parts begin a page.

Every print document goes through `render()`: the whole book, each unit of it and the frame
(units.py), the sample that estimates the page count (layout.py), the paperback cover."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from octavo.book.model import Book
from octavo.print import heads, pdfx, pictures, placing
from octavo.print.geometry import Geometry, page_css
from octavo.print.html import PrintLook, body_class, hyphenation_language
from octavo.source import pictures as copies
from octavo.themes import Theme
from octavo.weasy import document as weasy


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
) -> weasy.Session:
    """WeasyPrint set up for HTML of this book: its images, its theme's files and fonts, and the
    CMYK profile are the only files it may read. Given the text block's size (points), a
    picture with far more pixels than print needs is read from a smaller copy
    (source/pictures.py). Documents given the same `images` dict decode each image once."""
    base = book.config.root.resolve()
    roots = [base, theme.folder, *theme.parents, *theme.font_folders, pdfx.icc_folder()]
    return weasy.Session(
        sheets,
        base=base,
        css_base=theme.folder,
        roots=roots,
        aliases=aliases(book, text_block),
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


def mend(book: Book, theme: Theme, document: Any, sheets: list[str], geometry: Geometry) -> Any:
    """The second layout pass (second_pass.py) over a laid-out document, in its own style: its
    faulty paragraphs set again, its spreads evened; the pages are changed in place. Returns
    what was done."""
    from octavo.print import second_pass

    styled = session(book, theme, sheets, geometry.options.pdf_x, geometry.text_block, {})
    return second_pass.run(document, book, styled, geometry)


def settled(
    book: Book,
    theme: Theme,
    source: str,
    sheets: list[str],
    geometry: Geometry,
    images: dict[str, Any] | None = None,
) -> Any:
    """A document of this book laid out with its pictures where they leave no hole: laid out
    again with pictures moved or scaled until none does (print/pictures.py). Chapters open on
    a recto, so each is corrected on its own: a unit of the book is settled as the whole book
    would settle it."""
    images = {} if images is None else images  # decoded once for all the rounds
    pdf_x, block = geometry.options.pdf_x, geometry.text_block
    document = render(book, theme, source, sheets, pdf_x, block, images)
    if not any(a.href in source for c in book.chapters for a in c.assets):
        return document

    def again(found: placing.Placements) -> Any:
        moved = placing.apply(source, found)
        return render(book, theme, moved, sheets, pdf_x, block, images)

    document, _ = pictures.settle(document, {c.id for c in book.chapters}, again)
    return document


def aliases(book: Book, text_block: tuple[float, float] | None) -> dict[str, Path]:
    """URL → the file of each picture the print edition embeds (the original or its print
    copy), found once for all the documents of a book: finding a copy reads the picture."""
    base = book.config.root.resolve()
    assets = tuple(a for c in book.chapters for a in c.assets)
    key = (str(base), text_block, tuple((a.href, str(a.path), _stamp(a.path)) for a in assets))
    found = _ALIASES.get(key)
    if found is None:
        found = {
            (base / a.href).as_uri(): copies.print_path(a, text_block) if text_block else a.path
            for a in assets
        }
        _ALIASES.clear()  # one book's at a time
        _ALIASES[key] = found
    return found


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


_ALIASES: dict[tuple[object, ...], dict[str, Path]] = {}


# --- where the body's parts begin ---------------------------------------------------------

_FORCED = {"page", "left", "right", "recto", "verso"}


@dataclass(frozen=True)
class Breaks:
    """How each of the body's parts begins, by the cascade: `page[i]` when part i begins a new
    page whatever came before (a forced break, or another named page), `recto[i]` when that
    page is a recto."""

    page: tuple[bool, ...]
    recto: tuple[bool, ...]


def part_breaks(skeleton: str, sheets: Sequence[str]) -> Breaks:
    """The breaks before each child of `<body>` in `skeleton` (the book's parts reduced to
    their opening tags: units.skeleton), computed by WeasyPrint's own cascade with the print
    sheets (the @font-face sheet may be left out: fonts decide no break). Only sibling selectors and the parts' own attributes can decide a part's break, and
    the skeleton keeps both. A right-to-left book opens its chapters on left-hand pages: no
    part is taken to begin on a recto there."""
    from weasyprint import CSS, HTML
    from weasyprint.css import get_all_computed_styles

    weasy.quiet()
    html = HTML(string=skeleton)
    styles = get_all_computed_styles(html, user_stylesheets=[CSS(string=s) for s in sheets])
    root = html.etree_element
    body = next(c for c in root if str(c.tag).rsplit("}", 1)[-1] == "body")
    ltr = styles(root)["direction"] == "ltr"
    page: list[bool] = []
    recto: list[bool] = []
    used, after = None, "auto"
    for child in body:
        style = styles(child)
        before = style["break_before"]
        name = "" if style["page"] == "auto" else str(style["page"])
        # boxes of two different named pages never share a page
        page.append(before in _FORCED or after in _FORCED or used not in (None, name))
        recto.append(ltr and (before in {"right", "recto"} or after in {"right", "recto"}))
        used, after = name, style["break_after"]
    return Breaks(tuple(page), tuple(recto))
