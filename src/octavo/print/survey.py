"""What a laid-out document leaves behind, read off its pages while they exist, as plain data.

A WeasyPrint document lives in the process that laid it out: its boxes hold pointers into
Pango and cannot cross to another process or into a file. So whatever the rest of the build
needs from the pages is read here, once, into records that can: for each page its named page,
the named strings set on it, its anchors and bookmarks (the frame and the join need them);
for the document its overfull lines and the characters each font set (check's P003 and P002)
and where each page's text begins (the EPUB's page map, pagemap.py).

The units of a book (units.py) are surveyed in the process that lays them out, the frame and a
book laid out whole in this one. A new finding about the pages (issue 12's page quality, say)
belongs here: a field of `Survey`, filled by `survey()` while the boxes are at hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from octavo.book.pages import PageStart, local
from octavo.print import pagemap

PT_PER_PX = 0.75  # WeasyPrint lays out in CSS pixels; a PDF measures in points
OVERFULL_TOLERANCE = 0.5  # points; WeasyPrint's own rounding stays well below


@dataclass(frozen=True)
class Anchor:
    name: str
    x: float  # PDF user space of its page (points, origin at the bottom left of the trim)
    y: float


@dataclass(frozen=True)
class Bookmark:
    level: int
    label: str
    x: float
    y: float
    state: str  # open | closed


@dataclass(frozen=True)
class PageRecord:
    """One page of a laid-out document."""

    name: str  # its named page (`chapter`, `bare`, …): it decides the page's furniture
    blank: bool  # a page left blank so that what follows opens on a recto (or verso)
    part: int  # the body part its first box belongs to (units.py numbers them); -1 if none
    opens: bool  # that part begins at the top of this page
    strings: tuple[tuple[str, str], ...] = ()  # named strings set on it, in order
    anchors: tuple[Anchor, ...] = ()
    bookmarks: tuple[Bookmark, ...] = ()


@dataclass(frozen=True)
class Overfull:
    page: int  # 1-based, in the document surveyed (the book's, once placed)
    text: str
    excess: float  # points (1/72 in) past the measure


@dataclass(frozen=True)
class Survey:
    pages: tuple[PageRecord, ...]
    starts: tuple[tuple[int, PageStart], ...]  # (page index, where its text begins; no label)
    overfull: tuple[Overfull, ...]
    links_out: tuple[str, ...] = ()  # link targets the document lacks (another unit holds them)
    fonts: Mapping[str, str] = field(default_factory=dict)  # family → characters set in it
    references: int = 0  # elements that print a page number from elsewhere (units.py)
    tofu: str = ""  # characters no font had, drawn as empty boxes (weasy/notdef.py)
    # (page, px): the second pass made the page's spread longer or shorter and moved its foot
    # (spreads.py); the frame moves that page's folio as much
    feet: tuple[tuple[int, float], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Survey:
        """A survey back from its JSON; a KeyError or TypeError says the record is damaged."""
        return cls(
            pages=tuple(_page(p) for p in data["pages"]),
            starts=tuple((int(i), PageStart(**s)) for i, s in data["starts"]),
            overfull=tuple(Overfull(**o) for o in data["overfull"]),
            links_out=tuple(str(t) for t in data["links_out"]),
            fonts={str(k): str(v) for k, v in data["fonts"].items()},
            references=int(data["references"]),
            tofu=str(data["tofu"]),
            feet=tuple((int(page), float(by)) for page, by in data["feet"]),
        )


def _page(data: Mapping[str, Any]) -> PageRecord:
    return PageRecord(
        name=str(data["name"]),
        blank=bool(data["blank"]),
        part=int(data["part"]),
        opens=bool(data["opens"]),
        strings=tuple((str(n), str(t)) for n, t in data["strings"]),
        anchors=tuple(Anchor(**a) for a in data["anchors"]),
        bookmarks=tuple(Bookmark(**b) for b in data["bookmarks"]),
    )


def survey(document: Any, region_ids: set[str], links_out: Sequence[str] = ()) -> Survey:
    """Everything the build needs from a document's pages (fonts are known only once its PDF
    is written: see `fonts_used`)."""
    return Survey(
        pages=tuple(page_records(document.pages)),
        starts=tuple(pagemap.walk(document.pages, region_ids)),
        overfull=tuple(overfull_lines(document.pages)),
        links_out=tuple(links_out),
    )


# --- pages ------------------------------------------------------------------------------


def _body(page: Any) -> Any:
    html = page._page_box.children[0]
    return next((c for c in html.children if getattr(c, "element_tag", "") == "body"), None)


def page_records(pages: Sequence[Any]) -> Iterator[PageRecord]:
    """Each page's record; `part` numbers the body's element children in document order."""
    if not pages:
        return
    root = pages[0]._page_box.children[0].element
    body = next((c for c in root if local(c.tag) == "body"), ())
    parts = {id(el): i for i, el in enumerate(c for c in body if isinstance(c.tag, str))}
    seen: set[int] = set()
    last = -1
    for page in pages:
        page_type = page._page_box.page_type
        part, opens = -1, False
        box = _body(page)
        first = next(iter(box.children), None) if box is not None else None
        if first is not None and id(first.element) in parts:
            part = parts[id(first.element)]
            opens = part not in seen
        elif first is not None:
            # a page the second pass set again (spreads.splice) holds boxes of another
            # document: it goes on with the part of the page before it, never opens one
            part = last
        last = part if part >= 0 else last
        if box is not None:
            seen.update(parts[id(c.element)] for c in box.children if id(c.element) in parts)
        yield PageRecord(
            name=str(page_type.name or ""),
            blank=bool(page_type.blank),
            part=part,
            opens=opens,
            strings=tuple(_strings(page)),
            anchors=tuple(_anchors(page)),
            bookmarks=tuple(_bookmarks(page)),
        )


def _strings(page: Any) -> Iterator[tuple[str, str]]:
    """The named strings set on the page, in the order WeasyPrint collects them for margin
    boxes (layout/__init__.py: the page's descendants)."""
    for box in page._page_box.descendants():
        sets = getattr(box, "string_set", None)
        if sets and sets != "none":
            for name, text in sets:
                yield str(name), str(text)


def _to_pdf(page: Any, x: float, y: float) -> tuple[float, float]:
    """CSS pixels from the page's top left → PDF points from its bottom left, as WeasyPrint
    places anchors and bookmarks (pdf/__init__.py)."""
    return x * PT_PER_PX, (page.height - y) * PT_PER_PX


def _anchors(page: Any) -> Iterator[Anchor]:
    for name, (x, y, _, _) in page.anchors.items():
        yield Anchor(str(name), *_to_pdf(page, x, y))


def _bookmarks(page: Any) -> Iterator[Bookmark]:
    for level, label, (x, y), state in page.bookmarks:
        yield Bookmark(int(level), str(label), *_to_pdf(page, x, y), str(state))


# --- fonts and lines --------------------------------------------------------------------


def fonts_used(document: Any) -> dict[str, str]:
    """Font family → the characters set in it (known once the PDF has been written)."""
    used: dict[str, set[str]] = {}
    for font in document.fonts.values():
        chars = used.setdefault(str(font.family), set())
        for text in font.to_unicode.values():
            chars.update(text)
    return {name: "".join(sorted(chars)) for name, chars in used.items()}


def overfull_lines(pages: Sequence[Any]) -> Iterator[Overfull]:
    """Lines wider than the block that holds them."""
    from weasyprint.formatting_structure import boxes

    def lines(box: Any, block: Any) -> Iterator[tuple[Any, Any]]:
        if isinstance(box, boxes.MarginBox):
            return  # running heads and folios
        if isinstance(box, boxes.LineBox):
            yield box, block
            return
        if isinstance(box, boxes.ParentBox):
            inner = box if isinstance(box, boxes.BlockContainerBox) else block
            for child in box.children:
                yield from lines(child, inner)

    for number, page in enumerate(pages, start=1):
        for line, block in lines(page._page_box, None):
            texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
            if not texts or block is None:
                continue
            right = max(b.position_x + b.width for b in texts)
            excess = right - (block.content_box_x() + block.width)
            if excess * PT_PER_PX > OVERFULL_TOLERANCE:
                yield Overfull(number, "".join(b.text for b in texts), excess * PT_PER_PX)
