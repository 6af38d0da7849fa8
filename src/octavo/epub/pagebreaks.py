"""The print edition's page numbers in the EPUB: an empty `<span epub:type="pagebreak">` where
each printed page begins (book/pages.py names the place, print/pagemap.py finds it)."""

from __future__ import annotations

from lxml import etree

from octavo.book.pages import EMPTY_STARTS, PageStart, flat_text, local, preview, text_slots

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


def marker(label: str) -> etree._Element:
    span = etree.Element(f"{{{XHTML}}}span")
    span.set(f"{{{EPUB_NS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{label}")
    span.set("aria-label", label)
    return span


def _insert_at(element: etree._Element, offset: int, span: etree._Element) -> None:
    """Insert span before the character at flat-text offset `offset` (or at the end)."""
    flat = 0
    previous_space = False
    for node, is_tail, text in list(text_slots(element)):
        for i, ch in enumerate(text):
            space = ch.isspace()
            if space and previous_space:
                continue
            if flat == offset:
                _split_insert(node, is_tail, i, span)
                return
            flat += 1
            previous_space = space
    element.append(span)


def _split_insert(node: etree._Element, is_tail: bool, i: int, span: etree._Element) -> None:
    if is_tail:
        text = node.tail or ""
        node.tail = text[:i]
        span.tail = text[i:]
        node.addnext(span)
    else:
        text = node.text or ""
        node.text = text[:i]
        span.tail = text[i:]
        node.insert(0, span)


def place_marker(region_root: etree._Element, start: PageStart) -> bool:
    """Put page `start.label`'s marker into the region; False if the place is not there or its
    text differs from the print edition's."""
    if start.region == "toc" or not start.tag:
        region_root.addprevious(marker(start.label))
        return True
    matches = [
        el for el in region_root.iter() if isinstance(el.tag, str) and local(el.tag) == start.tag
    ]
    if start.ordinal >= len(matches):
        return False
    element = matches[start.ordinal]
    if start.tag in EMPTY_STARTS:
        element.addprevious(marker(start.label))
        return True
    if preview(flat_text(element), start.offset) != start.preview:
        return False
    _insert_at(element, start.offset, marker(start.label))
    return True
