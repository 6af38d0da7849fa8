"""EPUB 3 through ebooklib, then re-zipped for byte-identical rebuilds.

ebooklib writes the package (OPF, NCX, manifest, spine); octavo writes the navigation document
itself (nested TOC, landmarks) because ebooklib's nav cannot express them correctly, and re-zips
with fixed timestamps and `mimetype` first and stored, as the OCF specification asks.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from html import escape
from pathlib import Path

from octavo.config import Config
from octavo.matter import copyright_page, title_page
from octavo.model import Book, Chapter
from octavo.output import atomic_path
from octavo.themes import Theme

NAV_NAME = "nav.xhtml"
CSS_NAME = "style/book.css"
XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def build_date(config: Config) -> dt.datetime:
    """dcterms:modified: SOURCE_DATE_EPOCH if set, else the book's date, never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    if config.date:
        year, month, day = ([*map(int, config.date.split("-")), 1, 1])[:3]
        return dt.datetime(year, month, day)
    return dt.datetime(2000, 1, 1)


def _document(lang: str, title: str, body: str) -> str:
    return (
        f"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n"
        f'<html {XHTML_NS} lang="{escape(lang)}" xml:lang="{escape(lang)}">'
        f"<head><title>{escape(title)}</title>"
        f'<link rel="stylesheet" type="text/css" href="{CSS_NAME}"/>'
        f"</head><body>{body}</body></html>"
    )


def chapter_body(chapter: Chapter) -> str:
    return (
        f'<section epub:type="bodymatter chapter" role="doc-chapter" '
        f'aria-labelledby="{chapter.id}">'
        f'<h1 class="chapter-title" id="{chapter.id}">{chapter.title_html}</h1>'
        f'<div class="chapter-body">{chapter.body_html}</div></section>'
    )


def nav_document(book: Book) -> str:
    def entry(c: Chapter) -> str:
        subs = "".join(
            f'<li><a href="{c.id}.xhtml#{h.id}">{escape(h.title)}</a></li>' for h in c.headings
        )
        nested = f"<ol>{subs}</ol>" if subs else ""
        return f'<li><a href="{c.id}.xhtml">{escape(c.title)}</a>{nested}</li>'

    toc = "".join(entry(c) for c in book.chapters)
    first = book.chapters[0].id
    landmarks = (
        '<li><a epub:type="titlepage" href="titlepage.xhtml">Title Page</a></li>'
        f'<li><a epub:type="toc" href="{NAV_NAME}#toc">Contents</a></li>'
        f'<li><a epub:type="bodymatter" href="{first}.xhtml">Start of Content</a></li>'
    )
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>Contents</h1><ol>{toc}</ol></nav>'
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2>'
        f"<ol>{landmarks}</ol></nav>"
    )
    return _document(book.config.language, "Contents", body)


def _package(book: Book, theme: Theme) -> object:
    from ebooklib import epub

    cfg = book.config
    pkg = epub.EpubBook()
    pkg.set_identifier(cfg.uid)
    pkg.set_title(cfg.title)
    pkg.set_language(cfg.language)
    for author in cfg.authors:
        pkg.add_author(author)
    for name, value in (
        ("date", cfg.date),
        ("publisher", cfg.publisher),
        ("rights", cfg.rights),
        ("description", cfg.description),
    ):
        if value:
            pkg.add_metadata("DC", name, value)
    css = epub.EpubItem(
        uid="css",
        file_name=CSS_NAME,
        media_type="text/css",
        content=(theme.css("base.css") + "\n" + theme.css("epub.css")).encode("utf-8"),
    )
    pkg.add_item(css)

    def page(uid: str, name: str, title: str, body: str) -> object:
        item = epub.EpubHtml(uid=uid, file_name=name, title=title, lang=cfg.language)
        item.content = _document(cfg.language, title, body).encode("utf-8")
        item.add_item(css)
        pkg.add_item(item)
        return item

    titlepage = page(
        "titlepage",
        "titlepage.xhtml",
        cfg.title,
        f'<section epub:type="titlepage" class="title-page">{title_page(cfg)}</section>',
    )
    colophon = page(
        "copyright",
        "copyright.xhtml",
        "Copyright",
        f'<section epub:type="frontmatter copyright-page" class="copyright">'
        f"{copyright_page(cfg, theme.family)}</section>",
    )
    chapters = [page(c.id, f"{c.id}.xhtml", c.title, chapter_body(c)) for c in book.chapters]
    assets = {a.href: a for c in book.chapters for a in c.assets}
    for href, asset in sorted(assets.items()):
        pkg.add_item(
            epub.EpubItem(
                uid=href.replace("/", "-").replace(".", "-"),
                file_name=href,
                media_type=asset.media_type,
                content=asset.path.read_bytes(),
            )
        )
    nav = epub.EpubNav(title="Contents")
    pkg.add_item(nav)
    pkg.add_item(epub.EpubNcx())
    pkg.toc = chapters
    pkg.spine = [titlepage, colophon, nav, *chapters]
    return pkg


def _rezip(raw: bytes, replacements: dict[str, bytes]) -> bytes:
    """Same entries, fixed timestamps, `mimetype` first and stored: identical bytes each build."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    names = src.namelist()
    with zipfile.ZipFile(out, "w") as dst:
        dst.writestr(
            zipfile.ZipInfo("mimetype", ZIP_EPOCH),
            b"application/epub+zip",
            compress_type=zipfile.ZIP_STORED,
        )
        for name in names:
            if name == "mimetype":
                continue
            data = replacements.get(name, src.read(name))
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def render(book: Book, theme: Theme) -> bytes:
    from ebooklib import epub

    pkg = _package(book, theme)
    buffer = io.BytesIO()
    options = {
        "epub3_pages": False,
        "epub3_landmark": False,
        "mtime": build_date(book.config),
        "raise_exceptions": True,
    }
    epub.write_epub(buffer, pkg, options)
    nav = nav_document(book).encode("utf-8")
    return _rezip(buffer.getvalue(), {f"EPUB/{NAV_NAME}": nav})


def write(book: Book, theme: Theme, path: Path) -> Path:
    data = render(book, theme)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
