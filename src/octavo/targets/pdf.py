"""Print interior: one HTML document of the whole book + the theme's print CSS → WeasyPrint."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from octavo.matter import copyright_page, half_title, title_page
from octavo.model import Book
from octavo.output import atomic_path
from octavo.paper import Size
from octavo.themes import Theme


@dataclass(frozen=True)
class Margins:
    """Mirrored margins: `inner` is the gutter side (left on rectos, right on versos)."""

    top: float
    bottom: float
    inner: float
    outer: float


def margins_for(trim: Size) -> Margins:
    """Proportions of a well-set book page; the gutter is wider so text clears the binding."""
    return Margins(
        top=trim.height * 0.075,
        bottom=trim.height * 0.09,
        inner=trim.width * 0.12,
        outer=trim.width * 0.09,
    )


def page_css(trim: Size) -> str:
    m = margins_for(trim)
    return (
        f"@page {{ size: {trim.css()}; margin: {m.top:.2f}pt {m.outer:.2f}pt "
        f"{m.bottom:.2f}pt {m.inner:.2f}pt; }}\n"
        f"@page :left {{ margin-left: {m.outer:.2f}pt; margin-right: {m.inner:.2f}pt; }}\n"
        f"@page :right {{ margin-left: {m.inner:.2f}pt; margin-right: {m.outer:.2f}pt; }}\n"
    )


def _toc(book: Book) -> str:
    items = "".join(f'<li><a href="#{c.id}">{escape(c.title)}</a></li>' for c in book.chapters)
    return f'<nav class="toc" role="doc-toc"><h2>Contents</h2><ol>{items}</ol></nav>'


def _chapter(chapter_id: str, title_html: str, body_html: str, first: bool) -> str:
    classes = "chapter first" if first else "chapter"
    return (
        f'<section class="{classes}" id="{chapter_id}" role="doc-chapter">'
        f'<h1 class="chapter-title">{title_html}</h1>'
        f'<div class="chapter-body">{body_html}</div></section>'
    )


def print_html(book: Book, theme: Theme) -> str:
    """The whole book as one HTML document, front matter first."""
    cfg = book.config
    parts = [
        half_title(cfg),
        f'<section class="title-page">{title_page(cfg)}</section>',
        f'<section class="copyright">{copyright_page(cfg, theme.family)}</section>',
    ]
    if len(book.chapters) > 1:
        parts.append(_toc(book))
    parts += [
        _chapter(c.id, c.title_html, c.body_html, first=i == 0) for i, c in enumerate(book.chapters)
    ]
    meta = "".join(f'<meta name="author" content="{escape(a)}">' for a in cfg.authors)
    if cfg.description:
        meta += f'<meta name="description" content="{escape(cfg.description)}">'
    return (
        f'<!DOCTYPE html><html lang="{escape(cfg.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(cfg.title)}</title>{meta}</head><body>{''.join(parts)}</body></html>"
    )


def stylesheets(book: Book, theme: Theme) -> list[str]:
    return [
        theme.font_face_css(),
        theme.css("base.css"),
        theme.css("print.css"),
        page_css(book.config.trim),
    ]


def layout(book: Book, theme: Theme) -> Any:
    """Lay the book out into pages (a weasyprint Document): the page map of the EPUB and the
    PDF bytes both come from this one layout."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from octavo.fetcher import BookFetcher

    # WeasyPrint logs every refused or missing resource; the build reports them itself.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    base = book.config.root.resolve()
    aliases = {
        (base / a.href).as_uri(): a.path for chapter in book.chapters for a in chapter.assets
    }
    fetcher = BookFetcher([base, theme.folder, *theme.parents, *theme.font_folders], aliases)
    html = HTML(string=print_html(book, theme), base_url=base.as_uri() + "/", url_fetcher=fetcher)
    fonts = FontConfiguration()
    css = [
        CSS(string=s, url_fetcher=fetcher, base_url=str(theme.folder) + "/", font_config=fonts)
        for s in stylesheets(book, theme)
    ]
    return html.render(stylesheets=css, font_config=fonts)


def to_pdf(document: Any, book: Book) -> bytes:
    pdf: bytes = document.write_pdf(pdf_identifier=book.config.uid.encode())
    return pdf


def render(book: Book, theme: Theme) -> bytes:
    """Lay the book out and return the PDF bytes (fonts embedded and subset)."""
    return to_pdf(layout(book, theme), book)


def write(book: Book, theme: Theme, path: Path) -> Path:
    data = render(book, theme)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
