"""One HTML document of the book set into pages by WeasyPrint: the theme's print look and style
sheets, the files the document may read, and which of the body's parts begin a page.

Every print document goes through `render()`: the whole book, each unit of it and the frame
(units.py), the sample that estimates the page count (layout.py), the paperback cover."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from octavo.book.model import Book
from octavo.print import pdfx
from octavo.print.geometry import Geometry, page_css
from octavo.print.html import PrintLook, hyphenation_language
from octavo.themes import Theme
from octavo.weasy import document as weasy


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


def stylesheets(theme: Theme, geometry: Geometry) -> list[str]:
    sheets = [
        theme.font_face_css(),
        theme.css("base.css"),
        theme.css("print.css"),
        page_css(geometry),
    ]
    if geometry.options.pdf_x:
        sheets.append(pdfx.cmyk_css())
    if not geometry.options.bookmarks:
        sheets.append("h1, h2, h3, h4, h5, h6 { bookmark-level: none !important; }")
    return sheets


def render(book: Book, theme: Theme, source: str, sheets: list[str], pdf_x: str | None) -> Any:
    """Lay out an HTML document of this book: its images, its theme's files and fonts, and the
    CMYK profile are the only files it may read."""
    base = book.config.root.resolve()
    aliases = {(base / a.href).as_uri(): a.path for c in book.chapters for a in c.assets}
    roots = [base, theme.folder, *theme.parents, *theme.font_folders, pdfx.icc_folder()]
    return weasy.render(
        source,
        sheets,
        base=base,
        css_base=theme.folder,
        roots=roots,
        aliases=aliases,
        variant=pdfx.variant(pdf_x),
    )


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
