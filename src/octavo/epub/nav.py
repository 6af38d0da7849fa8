"""The EPUB's navigation document: the contents (nested by heading level), the landmarks, and
the print edition's page-list once the pages are placed."""

from __future__ import annotations

from html import escape

from lxml import etree

from octavo.book.contents import has_children, nested
from octavo.book.model import Book, Heading
from octavo.epub.xhtml import XHTML_NS, Document, contents_title, xhtml

NAV_NAME = "nav.xhtml"


def _nested(headings: tuple[Heading, ...], href: str) -> str:
    """Sub-headings as nested lists: an h3 goes under the h2 before it."""
    out: list[str] = []
    open_levels: list[int] = []
    previous = 1  # the chapter title
    for heading in headings:
        level = previous = min(heading.level, previous + 1)  # a skipped level nests one down
        while open_levels and open_levels[-1] > level:
            out.append("</li></ol>")
            open_levels.pop()
        if open_levels and open_levels[-1] == level:
            out.append("</li>")
        else:
            out.append("<ol>")
            open_levels.append(level)
        out.append(f'<li><a href="{href}#{heading.id}">{escape(heading.title)}</a>')
    out.extend("</li></ol>" for _ in open_levels)
    return "".join(out)


def toc_entries(book: Book) -> str:
    """One entry per chapter, its sub-headings nested under it, and chapters nested under the
    part that holds them (a part's own sub-headings are left out: a list item holds one list)."""
    depths = [c.depth for c in book.chapters]
    items = []
    for i, c in enumerate(book.chapters):
        href = f"{c.id}.xhtml"
        subs = "" if has_children(depths, i) else _nested(c.headings, href)
        cls = "part" if c.division == "part" else ""
        items.append((c.depth, f'<a href="{href}">{escape(c.title)}</a>{subs}', cls))
    return nested(items)


def landmarks(book: Book) -> str:
    first_body = next((c for c in book.chapters if c.matter == "body"), book.chapters[0])
    items = [
        ("cover", "cover.xhtml", "Cover"),
        ("titlepage", "titlepage.xhtml", "Title Page"),
        ("toc", f"{NAV_NAME}#toc", contents_title(book.config.language)),
        ("bodymatter", f"{first_body.id}.xhtml", "Start of Content"),
    ]
    return "".join(
        f'<li><a epub:type="{kind}" href="{href}">{escape(label)}</a></li>'
        for kind, href, label in items
    )


def nav_document(book: Book) -> Document:
    """Contents (nested) and landmarks; the page-list is added once pages are placed."""
    title = contents_title(book.config.language)
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>{escape(title)}</h1>'
        f"<ol>{toc_entries(book)}</ol></nav>"
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2>'
        f"<ol>{landmarks(book)}</ol></nav>"
    )
    return Document("nav", NAV_NAME, title, xhtml(book.config, title, body, "frontmatter"), "toc")


def add_page_list(nav: Document, pages: list[tuple[str, str]]) -> None:
    """The print edition's pages, [(folio, href)] in reading order, as a hidden page-list."""
    items = "".join(
        f'<li><a href="{escape(href)}">{escape(label)}</a></li>' for label, href in pages
    )
    fragment = (
        f'<nav {XHTML_NS} epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden">'
        f"<h2>Pages</h2><ol>{items}</ol></nav>"
    )
    body = nav.tree.find("{*}body")
    assert body is not None
    body.append(etree.fromstring(fragment.encode("utf-8")))
