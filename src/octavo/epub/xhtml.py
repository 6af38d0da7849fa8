"""The EPUB's XHTML documents: cover, title page, copyright page, one per chapter or front- or
back-matter piece, and the navigation document (table of contents, landmarks, page-list).

Every document declares its language (and direction) on `<html>`, carries `epub:type` with the
matching DPUB-ARIA role, and links the one stylesheet. octavo writes these documents itself
instead of letting ebooklib rewrite them, which would drop `<body>` attributes and `<head>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from lxml import etree

from octavo.book import divisions
from octavo.book.config import Config
from octavo.book.matter import MatterSection, chapter_section, copyright_page, title_page
from octavo.book.model import Chapter
from octavo.core.scripts import direction
from octavo.source import formulas

CSS_HREF = "style/book.css"
EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'


@dataclass
class Document:
    """One XHTML file of the EPUB, as a tree so page markers can be put into it."""

    uid: str
    name: str  # file name in the content folder
    title: str
    tree: etree._Element
    region: str | None = None  # its name in the print page map (pagemap.py)

    def region_root(self) -> etree._Element | None:
        """The element page-map ordinals count from: the document's first section or nav."""
        found = self.tree.find(".//{*}body/{*}section")
        if found is None:
            found = self.tree.find(".//{*}body/{*}nav")
        return found

    def bytes(self) -> bytes:
        return etree.tostring(
            self.tree, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>"
        )


# Verse carries the DAISY structural vocabulary (`z3998:poem`, source/verse.py), whose prefix
# EPUBCheck wants declared (OPF-028) on the document that uses it.
Z3998_PREFIX = ' epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/#"'


def xhtml(config: Config, title: str, body: str, body_type: str) -> etree._Element:
    lang = escape(config.language)
    prefix = Z3998_PREFIX if 'epub:type="z3998:' in body else ""
    text = (
        f'<html {XHTML_NS}{prefix} lang="{lang}" xml:lang="{lang}" '
        f'dir="{direction(config.language)}">'
        f'<head><meta charset="utf-8"/><title>{escape(title)}</title>'
        f'<link rel="stylesheet" type="text/css" href="{CSS_HREF}"/></head>'
        f'<body epub:type="{body_type}">{body}</body></html>'
    )
    return etree.fromstring(text.encode("utf-8"), etree.XMLParser(huge_tree=True))


def cover_document(config: Config, href: str, alt: str) -> Document:
    # The semantic sits on the image, where its ARIA role (doc-cover) is allowed too.
    body = (
        f'<section class="cover"><img src="{escape(href)}" alt="{escape(alt)}" '
        f'epub:type="cover" role="doc-cover"/></section>'
    )
    return Document(
        "cover", "cover.xhtml", config.title, xhtml(config, config.title, body, "frontmatter")
    )


def title_document(config: Config) -> Document:
    body = f'<section epub:type="titlepage" class="title-page">{title_page(config)}</section>'
    return Document(
        "titlepage",
        "titlepage.xhtml",
        config.title,
        xhtml(config, config.title, body, "frontmatter"),
        "titlepage",
    )


def copyright_document(config: Config, font_family: str) -> Document:
    body = (
        f'<section epub:type="copyright-page" class="copyright">'
        f"{copyright_page(config, font_family)}</section>"
    )
    title = f"© {config.title}"
    return Document(
        "copyright",
        "copyright.xhtml",
        title,
        xhtml(config, title, body, "frontmatter"),
        "copyright",
    )


def matter_document(config: Config, section: MatterSection) -> Document:
    """A page of book.toml's front or back matter: the print edition's own section
    (book/matter.py), in a document of its own named after its region."""
    tree = xhtml(config, section.title, section.html, f"{section.matter}matter")
    return Document(section.region, f"{section.region}.xhtml", section.title, tree, section.region)


def chapter_document(config: Config, chapter: Chapter, label: str = "") -> Document:
    matter = divisions.get(chapter.division).matter
    division = divisions.get(chapter.division).name
    classes = "chapter" if division == "chapter" else f"chapter {division}"
    body = chapter_section(chapter, classes, formulas.epub_html(chapter.body_html), label)
    tree = xhtml(config, chapter.title, body, f"{matter}matter")
    _semantic_classes(tree)
    for el in tree.iter():
        el.attrib.pop("data-line", "")  # manuscript lines serve the print report only
    return Document(chapter.id, f"{chapter.id}.xhtml", chapter.title, tree, chapter.id)


# Classes an author may give a block ({.epigraph}) that name a structural semantic.
SEMANTIC_CLASSES = {"epigraph": ("epigraph", "doc-epigraph")}


def _semantic_classes(tree: etree._Element) -> None:
    for el in tree.iter():
        for cls in (el.get("class") or "").split():
            if cls in SEMANTIC_CLASSES and el.get("role") is None:
                epub_type, role = SEMANTIC_CLASSES[cls]
                el.set(f"{{{EPUB_NS}}}type", epub_type)
                el.set("role", role)
