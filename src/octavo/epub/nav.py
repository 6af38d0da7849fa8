"""The EPUB's navigation document: the contents (nested by heading level), the landmarks, and
the print edition's page-list once the pages are placed."""

from __future__ import annotations

from html import escape

from lxml import etree

from octavo.book import contents
from octavo.book.matter import back_matter
from octavo.book.model import Book, Heading
from octavo.epub.xhtml import XHTML_NS, Document, xhtml

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
    """Every piece with its headings, then book.toml's back matter, as the printed contents list
    them; a piece deeper in the contents (a section of its own file, a chapter in a part) in
    the list of the piece above it, after that piece's headings (a nav item holds one list)."""
    chapters = book.chapters
    depth = contents.levels(chapters)
    out: list[str] = []
    for i, chapter in enumerate(chapters):
        href = f"{chapter.id}.xhtml"
        out.append(f'<li><a href="{href}">{escape(chapter.title)}</a>')
        below = _nested(chapter.headings, href)
        after = depth[i + 1] if i + 1 < len(chapters) else 0
        if after > depth[i]:
            out.append(below[: -len("</ol>")] if below else "<ol>")  # its sections follow
        else:
            out.append(f"{below}</li>")
            out.extend("</ol></li>" for _ in range(depth[i] - after))
    out += [
        f'<li><a href="{s.region}.xhtml">{escape(s.title)}</a></li>'
        for s in back_matter(book.config)
    ]
    return "".join(out)


def landmarks(book: Book) -> str:
    first_body = next((c for c in book.chapters if c.matter == "body"), book.chapters[0])
    label = book.config.label
    items = [
        ("cover", "cover.xhtml", label("cover")),
        ("titlepage", "titlepage.xhtml", label("title_page")),
        ("toc", f"{NAV_NAME}#toc", label("contents")),
        ("bodymatter", f"{first_body.id}.xhtml", label("start")),
    ]
    return "".join(
        f'<li><a epub:type="{kind}" href="{href}">{escape(label)}</a></li>'
        for kind, href, label in items
    )


def nav_document(book: Book) -> Document:
    """Contents (nested) and landmarks; the page-list is added once pages are placed."""
    title = book.config.label("contents")
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>{escape(title)}</h1>'
        f"<ol>{toc_entries(book)}</ol></nav>"
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden">'
        f"<h2>{escape(book.config.label('landmarks'))}</h2>"
        f"<ol>{landmarks(book)}</ol></nav>"
    )
    return Document("nav", NAV_NAME, title, xhtml(book.config, title, body, "frontmatter"), "toc")


def add_page_list(nav: Document, pages: list[tuple[str, str]], heading: str = "Pages") -> None:
    """The print edition's pages, [(folio, href)] in reading order, as a hidden page-list."""
    items = "".join(
        f'<li><a href="{escape(href)}">{escape(label)}</a></li>' for label, href in pages
    )
    fragment = (
        f'<nav {XHTML_NS} epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden">'
        f"<h2>{escape(heading)}</h2><ol>{items}</ol></nav>"
    )
    body = nav.tree.find("{*}body")
    assert body is not None
    body.append(etree.fromstring(fragment.encode("utf-8")))
