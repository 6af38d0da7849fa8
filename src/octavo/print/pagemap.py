"""The print edition's page map: where each printed page begins, found in the laid-out PDF and
carried into the EPUB as page-break markers and a page-list.

The print HTML and the EPUB documents are made from the same chapter HTML, so a place in the
book can be named independently of either: the *region* (a chapter id, `titlepage`,
`copyright` or `toc`), the n-th element of a tag inside that region, and a character offset
into that element's text with runs of whitespace counted as one space. The print side finds
the place by walking WeasyPrint's page boxes in order; the EPUB side finds the same place in
its own XHTML tree and inserts an empty `<span epub:type="pagebreak">` there.

A folio is the page number printed on a page: lower-case roman in the front matter, arabic in
the body. Pages that print none (the title page, blank versos) get the number they would have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from octavo.book.model import Book

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ARABIC = re.compile(r"^[0-9]+$")
_KEPT_PSEUDO = ("::first-line", "::first-letter")  # real text; other pseudo-elements are not
# Elements without text that can begin a page: an image, or a scene break (drawn by CSS).
_EMPTY_STARTS = {"img", "hr"}


@dataclass(frozen=True)
class PageStart:
    """Where printed page `label` begins: the first whole word on it."""

    label: str  # the folio, as printed: "iii", "1", "17"
    region: str  # a chapter id, or "titlepage", "copyright", "toc"
    tag: str  # local tag name of the element holding the word ("p", "h1", "img", …)
    ordinal: int  # that element is the ordinal-th of its tag in the region, in document order
    offset: int  # characters of its text before the word (whitespace runs count as one)
    preview: str  # the text from there on, a few words, to check the EPUB side agrees


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def flat_text(element: Any) -> str:
    """The element's text, whitespace runs folded to one space: the same on both sides."""
    return re.sub(r"\s+", " ", "".join(_text_without_notes(element)))


def _text_without_notes(element: Any) -> Iterator[str]:
    """itertext(), less the footnotes the print HTML sets inline at their calls
    (`<span class="footnote">`, floated to the foot of the page): the EPUB keeps them apart."""
    if element.tag == "span" and "footnote" in (element.get("class") or "").split():
        return
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_without_notes(child)
        if child.tail:
            yield child.tail


# --- Folios -------------------------------------------------------------------------------


def to_roman(n: int) -> str:
    numerals = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]  # fmt: skip
    out = []
    for value, numeral in numerals:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def _box_text(box: Any) -> str:
    if hasattr(box, "text") and isinstance(box.text, str):
        return str(box.text)
    return "".join(_box_text(child) for child in getattr(box, "children", ()) or ())


def printed_folio(page_box: Any) -> str | None:
    """The page number printed in a margin box of this page, if any (footer boxes first)."""
    margins = [b for b in page_box.children[1:] if getattr(b, "at_keyword", None)]
    margins.sort(key=lambda b: not str(b.at_keyword).startswith("@bottom"))
    for box in margins:
        text = _box_text(box).strip()
        if _ARABIC.match(text) or (text and _ROMAN.match(text)):
            return text
    return None


def _value(folio: str) -> tuple[bool, int]:
    return (True, int(folio)) if _ARABIC.match(folio) else (False, from_roman(folio))


def _styled(arabic: bool, n: int) -> str:
    return str(n) if arabic else to_roman(n)


def folios(printed: list[str | None]) -> list[str]:
    """Every page's folio: the printed one, else counted on from the page before it (or back
    from the page after it), else the roman number of its place in the book."""
    labels: list[str] = []
    for i, folio in enumerate(printed):
        if folio:
            labels.append(folio)
            continue
        guess = None
        if labels:
            arabic, n = _value(labels[-1])
            guess = _styled(arabic, n + 1)
        else:
            after = next(((j, f) for j, f in enumerate(printed) if j > i and f), None)
            if after:
                arabic, n = _value(after[1])
                if n - (after[0] - i) >= 1:
                    guess = _styled(arabic, n - (after[0] - i))
        labels.append(guess or to_roman(i + 1))
    return labels


# --- Regions: which part of the book an element of the print HTML belongs to --------------


def _region_key(element: Any, chapter_ids: set[str]) -> str | None:
    if element.get("id") in chapter_ids:
        return str(element.get("id"))
    classes = set((element.get("class") or "").split())
    for cls, key in (("title-page", "titlepage"), ("copyright", "copyright"), ("toc", "toc")):
        if cls in classes:
            return key
    return None


@dataclass(frozen=True)
class Place:
    region: str
    tag: str
    ordinal: int


def regions(root: Any, chapter_ids: set[str]) -> dict[int, Place]:
    """id(element) → its place, for every element inside a region of the print HTML."""
    places: dict[int, Place] = {}

    def visit(element: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            key = _region_key(child, chapter_ids)
            if key is None:
                visit(child)
                continue
            counts: dict[str, int] = {}
            for el in child.iter():
                if not isinstance(el.tag, str):
                    continue
                tag = local(el.tag)
                places[id(el)] = Place(key, tag, counts.get(tag, 0))
                counts[tag] = counts.get(tag, 0) + 1

    visit(root)
    return places


# --- Walking the laid-out pages -----------------------------------------------------------


def _leaves(box: Any, block: Any) -> Iterator[tuple[Any, Any]]:
    """(text or image box, element of the block its line belongs to), in reading order."""
    tag = str(getattr(box, "element_tag", "") or "")
    if "::" in tag and not tag.endswith(_KEPT_PSEUDO):
        # Generated content (list markers, ::before/::after, footnote calls) is no text of the
        # book, but the ornament of a scene break is where its page begins.
        if tag.split("::")[0] == "hr":
            yield box, None
        return
    kind = type(box).__name__
    if kind == "TextBox":
        yield box, block
        return
    if "ReplacedBox" in kind:
        yield box, None  # an image: it has no text, its element is the place
        return
    if kind == "LineBox" and not tag.endswith("::first-line"):
        block = box.element
    for child in getattr(box, "children", ()) or ():
        yield from _leaves(child, block)


@dataclass
class _Cursor:
    """How much of each block's text earlier pages have shown, matched character by character
    against the source so that hyphens added at line ends are not counted."""

    shown: dict[int, int] = field(default_factory=dict)
    hyphenated: dict[int, bool] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)

    def text(self, element: Any) -> str:
        key = id(element)
        if key not in self.texts:
            self.texts[key] = flat_text(element)
        return self.texts[key]

    def consume(self, text: str, block: Any) -> tuple[int, bool] | None:
        """Advance over a text box; return (offset of its first character, whether it
        continues a word hyphenated on the line before), or None if it shows nothing."""
        source = self.text(block)
        key = id(block)
        pos = self.shown.get(key, 0)
        start: int | None = None
        continues = self.hyphenated.get(key, False)
        skipped_last = False
        for ch in text:
            if ch.isspace():
                continue
            while pos < len(source) and source[pos].isspace():
                pos += 1
            if pos < len(source) and source[pos].lower() == ch.lower():
                if start is None:
                    start = pos
                pos += 1
                skipped_last = False
            else:
                skipped_last = True  # a character layout added: the hyphen of a broken word
        self.shown[key] = pos
        if start is None:
            return None
        self.hyphenated[key] = skipped_last
        return start, continues


def _next_word(text: str, offset: int) -> int:
    """The start of the word after the one `offset` is inside."""
    while offset < len(text) and not text[offset].isspace():
        offset += 1
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def _preview(text: str, offset: int) -> str:
    return " ".join(text[offset:].split()[:4])


def page_starts(document: Any, book: Book) -> tuple[PageStart, ...]:
    """Where each printed page begins, for the pages whose text the EPUB also holds."""
    pages = document.pages
    if not pages:
        return ()
    root = pages[0]._page_box.children[0].element
    places = regions(root, {c.id for c in book.chapters})
    # the print edition's own folios (openers and blank pages print none, so they cannot be
    # read off the margin boxes; finish.py labels the PDF's pages with the same list)
    from octavo.print.finish import page_labels

    labels = page_labels(document, book)
    cursor = _Cursor()
    starts: list[PageStart] = []
    toc_done = False
    for page, label in zip(pages, labels, strict=True):
        first: PageStart | None = None
        for leaf, block in _leaves(page._page_box.children[0], None):
            found = _start_of(leaf, block, cursor, places, label)
            if first is None and found is not None:
                first = found
        if first is None:
            continue
        if first.region == "toc":
            # The EPUB's contents is its own navigation document: only its start is marked.
            if toc_done:
                continue
            toc_done = True
            first = PageStart(label, "toc", "", 0, 0, first.preview)
        starts.append(first)
    return tuple(starts)


def _start_of(
    leaf: Any, block: Any, cursor: _Cursor, places: dict[int, Place], label: str
) -> PageStart | None:
    if block is None:
        place = places.get(id(leaf.element))
        if place is None:
            return None
        return PageStart(label, place.region, place.tag, place.ordinal, 0, "")
    found = cursor.consume(str(leaf.text), block)
    place = places.get(id(block))
    if found is None or place is None:
        return None
    offset, continues = found
    text = cursor.text(block)
    if continues:
        offset = _next_word(text, offset)  # never split a word: mark the next whole one
    return PageStart(label, place.region, place.tag, place.ordinal, offset, _preview(text, offset))


# --- The EPUB side: putting markers into XHTML trees --------------------------------------


def marker(label: str) -> etree._Element:
    span = etree.Element(f"{{{XHTML}}}span")
    span.set(f"{{{EPUB_NS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{label}")
    span.set("aria-label", label)
    return span


def _text_slots(element: etree._Element) -> Iterator[tuple[etree._Element, bool, str]]:
    """(node, is_tail, text) for every text node inside element, in document order."""
    if element.text:
        yield element, False, element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_slots(child)
        if child.tail:
            yield child, True, child.tail


def _insert_at(element: etree._Element, offset: int, span: etree._Element) -> None:
    """Insert span before the character at flat-text offset `offset` (or at the end)."""
    flat = 0
    previous_space = False
    for node, is_tail, text in list(_text_slots(element)):
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
    if start.tag in _EMPTY_STARTS:
        element.addprevious(marker(start.label))
        return True
    if _preview(flat_text(element), start.offset) != start.preview:
        return False
    _insert_at(element, start.offset, marker(start.label))
    return True


def by_region(starts: Iterable[PageStart]) -> dict[str, list[PageStart]]:
    grouped: dict[str, list[PageStart]] = {}
    for start in starts:
        grouped.setdefault(start.region, []).append(start)
    return grouped
