"""The print edition's page map: where each printed page begins, read off WeasyPrint's page
boxes (book/pages.py says how a place is named; epub/pagebreaks.py puts the markers in)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from octavo.book import matter
from octavo.book.model import Book
from octavo.book.pages import PageStart, flat_text, is_formula, local, preview
from octavo.print import placing
from octavo.print.folios import page_labels

_KEPT_PSEUDO = ("::first-line", "::first-letter")  # real text; other pseudo-elements are not


# --- Regions: which part of the book an element of the print HTML belongs to --------------


def _region_key(element: Any, named: set[str]) -> str | None:
    """A chapter's section names it by `aria-labelledby`, a section of book.toml's matter by
    its id (matter.py); the title page, copyright page and contents by their class."""
    for name in ("aria-labelledby", "id"):
        if element.get(name) in named:
            return str(element.get(name))
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
    base: int = 0  # the second half of a paragraph split for a picture begins here in it
    mid_word: bool = False  # …inside a word the layout broke with a hyphen


def _continued(el: Any, region: str, tag: str, counts: dict[str, int]) -> Place | None:
    """The place of a paragraph's second half (print/placing.py): the paragraph the EPUB holds."""
    base = el.get(placing.SPLIT)
    if base is None or not counts.get(tag):
        return None
    return Place(region, tag, counts[tag] - 1, int(base), el.get(placing.SPLIT_WORD) == "1")


def regions(root: Any, named: set[str]) -> dict[int, Place]:
    """id(element) → its place, for every element inside a region of the print HTML."""
    places: dict[int, Place] = {}

    def visit(element: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            key = _region_key(child, named)
            if key is None:
                visit(child)
                continue
            counts: dict[str, int] = {}
            for el in child.iter():
                if not isinstance(el.tag, str) or is_formula(el):
                    continue
                tag = local(el.tag)
                continued = _continued(el, key, tag, counts)
                if continued is not None:
                    places[id(el)] = continued
                    continue
                places[id(el)] = Place(key, tag, counts.get(tag, 0))
                counts[tag] = counts.get(tag, 0) + 1

    visit(root)
    return places


def listing_lines(root: Any) -> dict[int, Any]:
    """id(line element) → its listing: a page that begins inside a listing is named by the
    listing (`pre`) and an offset into its text, as for a paragraph. Each source line is a
    block of its own (source/code.py), but the print HTML holds spans the EPUB has not (a
    chapter's initial) and the EPUB spans the print HTML has not (page-break markers), so the
    n-th span of a chapter is no place both can find."""
    owners: dict[int, Any] = {}
    for pre in root.iter("pre"):
        if "code" in (pre.get("class") or "").split():
            for element in pre.iter():
                owners[id(element)] = pre
    return owners


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
        if not is_formula(box.element):
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


def text_shown(element: Any, lines: Iterable[Any]) -> tuple[int, bool]:
    """How much of a block's flat text (book/pages.flat_text) these of its line boxes show, and
    whether the last of them ends in a word the layout broke with a hyphen."""
    cursor = _Cursor()
    for line in lines:
        for leaf, block in _leaves(line, element):
            if block is element and type(leaf).__name__ == "TextBox":
                cursor.consume(str(leaf.text), element)
    return cursor.shown.get(id(element), 0), cursor.hyphenated.get(id(element), False)


def _next_word(text: str, offset: int) -> int:
    """The start of the word after the one `offset` is inside."""
    while offset < len(text) and not text[offset].isspace():
        offset += 1
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def page_starts(document: Any, book: Book) -> tuple[PageStart, ...]:
    """Where each printed page begins, for the pages whose text the EPUB also holds."""
    found = walk(document.pages, region_ids(book))
    # the print edition's own folios (openers and blank pages print none, so they cannot be
    # read off the margin boxes; finish.py labels the PDF's pages with the same list)
    return labelled(found, page_labels(document, book))


def region_ids(book: Book) -> set[str]:
    """The ids that name a region of the page map: the chapters', and book.toml's matter's."""
    return {c.id for c in book.chapters} | matter.regions(book.config)


def walk(pages: Sequence[Any], region_ids: set[str]) -> Iterator[tuple[int, PageStart]]:
    """(page index, where its text begins) for each page that shows text of the book, its
    label left empty: a unit of the book (units.py) is walked before its folios are known."""
    if not pages:
        return
    root = pages[0]._page_box.children[0].element
    places = regions(root, region_ids)
    listings = listing_lines(root)
    cursor = _Cursor()
    for index, page in enumerate(pages):
        first: PageStart | None = None
        for leaf, line in _leaves(page._page_box.children[0], None):
            block = listings.get(id(line), line)
            found = _start_of(leaf, block, cursor, places, "")
            if first is None and found is not None:
                first = found
        if first is not None:
            yield index, first


def labelled(
    found: Iterable[tuple[int, PageStart]], labels: Sequence[str]
) -> tuple[PageStart, ...]:
    """The page starts with their pages' folios. The EPUB's contents is its own navigation
    document: only the start of the printed contents is marked."""
    starts: list[PageStart] = []
    toc_done = False
    for index, start in found:
        if start.region == "toc":
            if toc_done:
                continue
            toc_done = True
            start = PageStart("", "toc", "", 0, 0, start.preview)
        starts.append(replace(start, label=labels[index]))
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
    if continues or (place.mid_word and offset == 0):
        offset = _next_word(text, offset)  # never split a word: mark the next whole one
    return PageStart(
        label, place.region, place.tag, place.ordinal, place.base + offset, preview(text, offset)
    )
