"""EPUB 3: octavo's own XHTML documents, packaged by ebooklib, re-zipped reproducibly.

ebooklib writes the package document (metadata, manifest, spine) and the EPUB 2 NCX; every
XHTML document, the navigation document included, is octavo's own (epub_xhtml.py) and stored
verbatim. When the print edition was laid out in the same build, its page map (print/pagemap.py)
becomes page-break markers and a page-list. The accessibility metadata is derived from the
finished documents (a11y.py). The ZIP is rewritten with fixed timestamps and `mimetype` first
and stored, as the OCF specification asks, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octavo.book import contents, labels
from octavo.book.config import Config
from octavo.book.matter import back_matter, front_matter, is_display_piece
from octavo.book.model import Book, Chapter
from octavo.book.pages import PageStart
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.output import atomic_path
from octavo.core.scripts import cased, direction
from octavo.epub import a11y, pagebreaks
from octavo.epub.cover import Cover, cover_for
from octavo.epub.cover import diagnostics as cover_diagnostics
from octavo.epub.nav import add_page_list, nav_document
from octavo.epub.xhtml import (
    CSS_HREF,
    Document,
    chapter_document,
    copyright_document,
    cover_document,
    matter_document,
    title_document,
)
from octavo.source import formulas, pictures
from octavo.themes import FontFace, Theme

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def build_date(config: Config) -> dt.datetime:
    """dcterms:modified: SOURCE_DATE_EPOCH if set, else the book's date, never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    if config.date:
        year, month, day = ([*map(int, config.date.split("-")), 1, 1])[:3]
        return dt.datetime(year, month, day)
    return dt.datetime(2000, 1, 1)


@dataclass
class Rendered:
    """The EPUB's bytes and what the build should tell the author about it."""

    data: bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (folio, href) of the page-list


# --- Links between documents --------------------------------------------------------------


def _resolve_links(documents: Sequence[Document], book: Book) -> list[Diagnostic]:
    """`#id` links point into whichever document holds that id (chapters link to each other
    by id: source/links.py)."""
    home: dict[str, str] = {}
    for doc in documents:
        for el in doc.tree.iter():
            if isinstance(el.tag, str) and el.get("id"):
                home.setdefault(str(el.get("id")), doc.name)
    sources = {c.id: c.source for c in book.chapters}
    found = []
    for doc in documents:
        for a in doc.tree.iter("{*}a"):
            href = a.get("href") or ""
            if not href.startswith("#"):
                continue
            target = home.get(href[1:])
            if target is None:
                detail = f"'{href}' (the link is removed, its text kept)"
                found.append(codes.get("E005").at(sources.get(doc.uid), None, None, detail))
                a.attrib.pop("href")
            elif target != doc.name:
                a.set("href", f"{target}{href}")
    return found


# --- Page-break markers -------------------------------------------------------------------


def _place_markers(
    documents: Sequence[Document], starts: Sequence[PageStart]
) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    by_region = {d.region: d for d in documents if d.region}
    pages: list[tuple[str, str]] = []
    lost: list[str] = []
    for start in starts:
        doc = by_region.get(start.region)
        root = doc.region_root() if doc else None
        if doc is None or root is None or not pagebreaks.place_marker(root, start):
            lost.append(start.label)
            continue
        pages.append((start.label, f"{doc.name}#page-{start.label}"))
    found = []
    if lost:
        detail = f"{len(lost)}: {', '.join(lost[:10])}"
        found.append(codes.get("E004").at(None, None, None, detail))
    return pages, found


# --- Fonts and style ----------------------------------------------------------------------


def _stylesheet(theme: Theme, font_urls: dict[Path, str], language: str) -> bytes:
    parts = [theme.css("base.css"), theme.css("epub.css", cased=cased(language))]
    if font_urls:
        parts.insert(0, theme.font_face_css(font_urls))
    return "\n".join(parts).encode("utf-8")


def _text_of(documents: Sequence[Document], css: str) -> str:
    chars: set[str] = set()
    for doc in documents:
        chars.update("".join(str(t) for t in doc.tree.itertext()))
    chars.update("".join(re.findall(r'content:\s*"([^"]*)"', css)))
    return "".join(sorted(chars))


def _code_of(documents: Sequence[Document]) -> str:
    """The characters set in the code face: those of code, kbd and samp elements."""
    chars: set[str] = set()
    for doc in documents:
        for element in doc.tree.iter("{*}code", "{*}kbd", "{*}samp"):
            chars.update("".join(str(t) for t in element.itertext()))
    return "".join(sorted(chars))


def _fonts(theme: Theme, documents: Sequence[Document]) -> list[tuple[FontFace, Any]]:
    """The theme's faces, each cut down to the characters it sets: the text face to the whole
    book's, the code face to the code's (and left out when the book has no code)."""
    if not theme.embed_fonts:
        return []
    from octavo.themes.fonts import subset

    text = _text_of(documents, theme.css("base.css") + theme.css("epub.css"))
    code = _code_of(documents)
    fonts = [(face, subset(face.path, text)) for face in theme.faces]
    if code.strip():
        fonts += [(face, subset(face.path, code)) for face in theme.code_faces]
    return fonts


# --- The package --------------------------------------------------------------------------


def _metadata(pkg: Any, book: Book, audit: a11y.Audit, source: str | None) -> None:
    cfg = book.config
    pkg.set_identifier(cfg.uid)
    pkg.set_title(cfg.title)
    pkg.set_language(cfg.language)
    if direction(cfg.language) == "rtl":
        pkg.set_direction("rtl")
    if cfg.subtitle:
        pkg.add_metadata("DC", "title", cfg.subtitle, {"id": "subtitle"})
        pkg.add_metadata(
            None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"}
        )
    for i, author in enumerate(cfg.authors, 1):
        pkg.add_author(author, role="aut", uid=f"creator{i}")
    for name, value in (
        ("date", cfg.date),
        ("publisher", cfg.publisher),
        ("rights", cfg.rights),
        ("description", cfg.description),
        ("source", source),
    ):
        if value:
            pkg.add_metadata("DC", name, value)
    if source:
        # EPUB Accessibility 1.1: where the page-break markers come from (Ace reads this one)
        pkg.add_metadata(None, "meta", source, {"property": "pageBreakSource"})
    certifier = cfg.publisher or (cfg.author_line if cfg.authors else None)
    for prop, value in a11y.metadata(audit, certifier):
        attrs = {"property": prop}
        if prop == "schema:accessibilitySummary":
            attrs[XML_LANG] = "en"  # written in English whatever the book's language
        pkg.add_metadata(None, "meta", value, attrs)


def page_source(config: Config) -> str:
    """The print edition the page numbers come from: its own ISBN when the book has one for
    print (a book with a single ISBN is taken to share it); else, as EPUB Accessibility 1.1
    allows, a description of the print edition octavo made from the same manuscript."""
    isbn = config.print_isbn or config.isbn
    if isbn:
        return f"urn:isbn:{isbn}"
    return f"{config.title}, the print edition made by octavo ({config.trim.name} pages)"


def _package(
    book: Book,
    documents: Sequence[Document],
    cover: Cover,
    css: bytes,
    fonts: Sequence[Any],
    audit: a11y.Audit,
) -> Any:
    from ebooklib import epub

    pkg = epub.EpubBook()
    _metadata(pkg, book, audit, page_source(book.config) if audit.page_list else None)
    pkg.add_item(epub.EpubItem(uid="css", file_name=CSS_HREF, media_type="text/css", content=css))
    image = epub.EpubItem(
        uid="cover-image", file_name=cover.href, media_type=cover.media_type, content=cover.data
    )
    image.properties = ["cover-image"]
    pkg.add_item(image)
    # EPUB 2 reading systems (and some store previews) find the cover by this meta.
    pkg.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    assets = {a.href: a for c in book.chapters for a in c.assets}
    for href, asset in sorted(assets.items()):
        uid = "img-" + re.sub(r"[^A-Za-z0-9]+", "-", href)
        pkg.add_item(
            epub.EpubItem(
                uid=uid,
                file_name=href,
                media_type=asset.media_type,
                content=pictures.epub_bytes(asset),  # huge rasters downsampled, once
            )
        )
    for font in fonts:
        uid = "font-" + re.sub(r"[^A-Za-z0-9]+", "-", font.href)
        pkg.add_item(
            epub.EpubItem(
                uid=uid, file_name=font.href, media_type=font.media_type, content=font.data
            )
        )
    items = {}
    for doc in documents:
        item = epub.EpubItem(
            uid=doc.uid,
            file_name=doc.name,
            media_type="application/xhtml+xml",
            content=doc.bytes(),
        )
        if doc.uid == "nav":
            item.properties = ["nav"]
        elif formulas.has_mathml(item.content):
            item.properties = ["mathml"]  # ebooklib does not see it (OPF-014)
        pkg.add_item(item)
        items[doc.uid] = item
    pkg.add_item(epub.EpubNcx())
    pkg.toc = _ncx_entries(book.chapters, epub)
    pkg.toc += [epub.Link(f"{s.region}.xhtml", s.title, s.region) for s in back_matter(book.config)]
    pkg.spine = [items[d.uid] for d in documents]
    return pkg


def _ncx_entries(chapters: Sequence[Chapter], epub: Any) -> list[Any]:
    """The EPUB 2 table of contents, nested as the navigation document is (nav.toc_entries)."""
    top: list[Any] = []
    open_lists: list[list[Any]] = [top]  # the list of entries open at each level
    for chapter, level in zip(chapters, contents.levels(chapters), strict=True):
        href = f"{chapter.id}.xhtml"
        below = [epub.Link(f"{href}#{h.id}", h.title, h.id) for h in chapter.headings]
        del open_lists[level + 1 :]
        open_lists[level].append((chapter, href, below))
        open_lists.append(below)
    return [_ncx_entry(entry, epub) for entry in top]


def _ncx_entry(entry: Any, epub: Any) -> Any:
    if not isinstance(entry, tuple):
        return entry  # a heading's link
    chapter, href, below = entry
    if not below:
        return epub.Link(href, chapter.title, chapter.id)
    return (epub.Section(chapter.title, href), [_ncx_entry(e, epub) for e in below])


# Already compressed: deflating them again costs time and saves nothing.
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".woff", ".woff2", ".mp3", ".mp4")


def _archive(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """The EPUB's ZIP, written once: `mimetype` first and stored, as the OCF specification asks;
    fixed timestamps, so two builds give the same bytes; deflate at level 6 (level 9 saves a few
    bytes and costs seconds on large SVGs); images and fonts already compressed are stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype", ZIP_EPOCH),
            b"application/epub+zip",
            compress_type=zipfile.ZIP_STORED,
        )
        for name, data in entries:
            if name == "mimetype":
                continue
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            stored = name.lower().endswith(_STORED_SUFFIXES)
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compress_type=method, compresslevel=6)
    return out.getvalue()


class _Entries:
    """Stands in for the ZipFile ebooklib writes to: it only collects the entries."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def writestr(self, name: str, data: str | bytes, *_: Any, **__: Any) -> None:
        self.entries.append((name, data.encode("utf-8") if isinstance(data, str) else data))

    def close(self) -> None:
        pass


def _package_entries(pkg: Any, options: dict[str, Any], language: str) -> list[tuple[str, bytes]]:
    """What ebooklib would zip: the container, the package document (with the book's language
    on <package>, which ebooklib leaves out and Ace requires) and every item."""
    from ebooklib import epub
    from lxml import etree

    class Writer(epub.EpubWriter):  # type: ignore[misc]
        def _write_opf_file(self, root: etree._Element) -> None:
            root.set(XML_LANG, language)
            super()._write_opf_file(root)

    writer = Writer("", pkg, options)
    writer.process()
    entries = _Entries()
    writer.out = entries
    writer._write_container()
    writer._write_opf()
    writer._write_items()
    return entries.entries


def render(book: Book, theme: Theme, pages: Sequence[PageStart] = ()) -> Rendered:
    """The EPUB's bytes; `pages` is the print edition's page map, if it was laid out."""
    cfg = book.config
    cover = cover_for(cfg, theme)
    documents = [
        cover_document(cfg, cover.href, cover.alt),
        title_document(cfg),
        copyright_document(cfg, theme.family),
    ]
    nav = nav_document(book)
    numbered = labels.chapter_labels(book, theme.design.chapter_label or "none")
    chapters = {c.id: chapter_document(cfg, c, numbered.get(c.id, "")) for c in book.chapters}
    pieces = [chapters.pop(c.id) for c in book.chapters if is_display_piece(c)]
    # The trade's order, as in print: dedication and epigraph before the contents, book.toml's
    # acknowledgements and about the author after the last chapter.
    documents = [
        *documents,
        *(matter_document(cfg, s) for s in front_matter(cfg)),
        *pieces,
        nav,
        *chapters.values(),
        *(matter_document(cfg, s) for s in back_matter(cfg)),
    ]
    texts = [*pieces, *chapters.values()]
    diagnostics = [*cover_diagnostics(cover, cfg, theme), *_resolve_links(texts, book)]
    placed, lost = _place_markers(documents, pages)
    if placed:
        add_page_list(nav, placed, cfg.label("pages"))
    assets = {a.href: a for c in book.chapters for a in c.assets}.values()
    audit = a11y.audit(
        (d.tree for d in documents),
        assets,
        bool(placed),
        page_source(cfg) if placed else None,
    )
    if audit.faint_text:
        detail = f"{audit.faint_text} passage(s); the EPUB claims no accessibility conformance"
        diagnostics.append(codes.get("E006").at(cfg.path, None, None, detail))
    fonts = _fonts(theme, documents)
    css = _stylesheet(theme, {face.path: f"../{font.href}" for face, font in fonts}, cfg.language)
    pkg = _package(book, documents, cover, css, [font for _, font in fonts], audit)
    options = {
        "epub3_pages": False,
        "epub3_landmark": False,
        "epub2_guide": False,
        "mtime": build_date(cfg),
        "raise_exceptions": True,
        "package_direction": direction(cfg.language) == "rtl",
    }
    data = _archive(_package_entries(pkg, options, cfg.language))
    return Rendered(data, [*diagnostics, *lost], placed)


def write(book: Book, theme: Theme, path: Path, pages: Sequence[PageStart] = ()) -> Rendered:
    rendered = render(book, theme, pages)
    with atomic_path(path) as tmp:
        tmp.write_bytes(rendered.data)
    return rendered
