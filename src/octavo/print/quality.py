"""The page-quality report: the typographic faults of the print edition as laid out, each named
by its PDF page, its printed folio and the manuscript line of the paragraph concerned.

It reads WeasyPrint's boxes, not the PDF: the main flow of each page (margin boxes and the
footnote area left out), each line mapped to the nearest element that carries `data-line`
(source/lines.py) and so to its chapter's file and line. What a typesetter checks:

- widow: a paragraph's last line alone at the top of a page; orphan: its first line alone at
  the foot of one;
- hyphen ladder: more than LADDER consecutive lines ending in a hyphen;
- a hyphen across a page turn: the last line of a recto ends in one (the reader turns the leaf
  in mid-word), or of a verso (the word goes on across the spread: milder);
- short page: the text ends more than SHORT_LINES whole lines above the foot of the text block,
  on a page that is not its chapter's last nor before a break the book asks for;
- stranded: a heading or a scene break as the last thing on a page;
- loose line: a justified line whose word space is more than LOOSE times the font's own space;
- word part: a line that holds nothing but a piece of a broken word (`mit‐`), its text ending
  short of the middle of the measure;
- overfull line: text past the right edge of its block;
- split table: a table of SHORT_TABLE_ROWS rows or fewer across a page turn; picture hole: more
  than HOLE_LINES empty lines at the foot of a page whose next page opens with a picture;
- running head: a running head or folio set on more than one line.

Lengths are in CSS pixels, WeasyPrint's unit (1 px = 0.75 pt). Nothing here writes a
diagnostic: check/pagequality.py says the faults in the words of the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octavo.book.model import Book
from octavo.print.folios import page_labels

LADDER = 2  # more consecutive hyphenated lines than this make a ladder
SHORT_LINES = 2  # a page is short when more whole lines than this are left empty
HOLE_LINES = 4  # … and a hole, when more than this are left before a picture
LOOSE = 2.5  # a word space wider than this × the font's space is reported (info)
LOOSE_STATS = 2.0  # … and counted as loose in the statistics (bench/quality.py)
OVERFULL_PX = 0.5 / 0.75  # half a point past the measure
SHORT_TABLE_ROWS = 5
HYPHENS = ("\u2010", "-", "\u00ad")  # WeasyPrint breaks with U+2010; '-' is a hard hyphen
FORCED_BREAKS = frozenset({"page", "left", "right", "recto", "verso"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PRESERVED = frozenset({"pre", "pre-wrap", "pre-line", "break-spaces"})  # code: lines as typed

KINDS = (
    "widow",
    "orphan",
    "hyphen-ladder",
    "hyphen-recto",
    "hyphen-verso",
    "short-page",
    "stranded",
    "loose-line",
    "word-part",
    "overfull-line",
    "split-table",
    "picture-hole",
    "running-head",
)


@dataclass(frozen=True)
class Fault:
    """One fault: its kind (KINDS), the 0-based PDF page, the printed folio of that page, the
    chapter (its id) and manuscript place of the paragraph concerned, and what exactly."""

    kind: str
    page: int
    folio: str
    chapter: str | None
    path: Path | None
    line: int | None
    detail: str = ""
    text: str = ""  # the line concerned, when it is one line
    element: Any = field(default=None, compare=False, repr=False)  # the block, for the repair


@dataclass
class Line:
    box: Any
    top: float
    bottom: float
    text: str
    spacing: float  # widest word space ÷ the font's own space (1.0: not stretched)
    overfull: float  # px past the right edge of its block

    @property
    def hyphenated(self) -> bool:
        return self.text.rstrip(" ").endswith(HYPHENS)


@dataclass
class Block:
    """A piece of the main flow on one page: the lines of a paragraph or heading on it (kind
    `lines`), a picture, a scene break or a table."""

    kind: str  # lines | image | break | table
    element: Any
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)
    box: Any = None
    preserved: bool = False  # white space kept as typed (code): no hyphenation, no justification


@dataclass
class PageFlow:
    """What the main flow of one page holds, and where its text block ends."""

    index: int
    side: str  # left (verso) | right (recto)
    blank: bool
    name: str  # the CSS page name: bare, front, chapter…
    blocks: list[Block]
    flow_bottom: float  # the foot of the text block, above the footnotes if any
    chapter: str | None


# --- the normal word space --------------------------------------------------------------------

_SPACES: dict[tuple[Any, ...], float] = {}
_BY_STYLE: dict[int, tuple[Any, float]] = {}  # id(style) → (style, its space): boxes share styles


def space_width(style: Any) -> float:
    """The advance of one space in this style (px), measured with Pango as WeasyPrint sets it."""
    known = _BY_STYLE.get(id(style))
    if known is not None and known[0] is style:
        return known[1]
    if len(_BY_STYLE) > 50_000:
        _BY_STYLE.clear()
    _BY_STYLE[id(style)] = (style, _space_width(style))
    return _BY_STYLE[id(style)][1]


def _space_width(style: Any) -> float:
    from weasyprint.text.line_break import create_layout, line_size

    key = tuple(
        str(style[k])
        for k in (
            "font_family",
            "font_size",
            "font_weight",
            "font_style",
            "font_stretch",
            "font_variant_caps",
            "font_variation_settings",
            "font_feature_settings",
        )
    )
    if key not in _SPACES:

        def width(text: str) -> float:
            layout = create_layout(text, style, None, None, 0)
            return float(line_size(layout.get_first_line()[0], style)[0])

        _SPACES[key] = max(width("n n") - width("nn"), 0.1)
    return _SPACES[key]


# --- walking the page boxes -----------------------------------------------------------------


def text_boxes(box: Any) -> Iterator[Any]:
    """The text boxes of a line, leaving out footnote calls and list markers."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()) or ():
        if isinstance(child, boxes.TextBox):
            tag = str(getattr(child, "element_tag", "") or "")
            if "::footnote-call" not in tag and "::marker" not in tag:
                yield child
        elif isinstance(child, boxes.ParentBox) and not isinstance(child, boxes.InlineBlockBox):
            yield from text_boxes(child)


def read_line(line_box: Any, block_box: Any) -> Line:
    texts = list(text_boxes(line_box))
    spacing = 1.0
    for t in texts:
        extra = float(getattr(t, "justification_spacing", 0) or 0)
        if extra > 0 and (" " in t.text or "\xa0" in t.text):
            own = space_width(t.style)
            spacing = max(spacing, (own + float(t.style["word_spacing"] or 0) + extra) / own)
    right_edge = block_box.content_box_x() + block_box.width
    right = max((t.position_x + t.width for t in texts), default=right_edge)
    top = float(line_box.position_y)
    return Line(
        line_box,
        top,
        top + float(line_box.height),
        "".join(t.text for t in texts),
        spacing,
        float(right - right_edge),
    )


def _bottom(box: Any) -> float:
    return float(box.position_y + box.margin_height() - box.margin_bottom)


def _lines_block(box: Any, out: list[Block]) -> None:
    from weasyprint.formatting_structure import boxes

    lines = [read_line(c, box) for c in box.children]
    text = "".join(ln.text for ln in lines).strip()
    if not text:
        images = [
            d for c in box.children for d in c.descendants() if isinstance(d, boxes.ReplacedBox)
        ]
        if images:  # a picture in a paragraph of its own
            out.append(Block("image", images[0].element, box.position_y, _bottom(box)))
        return  # else an empty line: a list marker's own, an anchor
    preserved = str(box.style["white_space"]) in PRESERVED
    out.append(Block("lines", box.element, box.position_y, _bottom(box), lines, box, preserved))


def walk(box: Any, out: list[Block]) -> None:
    """The blocks of the main flow under box, in order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return
    if str(getattr(box, "element_tag", "") or "") == "hr":
        out.append(Block("break", box.element, box.position_y, _bottom(box)))
        return
    if isinstance(box, boxes.TableBox):
        out.append(Block("table", box.element, box.position_y, _bottom(box)))
        return
    if isinstance(box, boxes.ReplacedBox):
        out.append(Block("image", box.element, box.position_y, _bottom(box)))
        return
    children = getattr(box, "children", ()) or ()
    if children and all(isinstance(c, boxes.LineBox) for c in children):
        _lines_block(box, out)
        return
    for child in children:
        walk(child, out)


def flow_bottom(page_box: Any) -> float:
    from weasyprint.formatting_structure import boxes

    bottom = float(page_box.content_box_y() + page_box.height)
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            bottom = min(bottom, float(child.position_y))
    return bottom


def tag(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


# --- the book as laid out ---------------------------------------------------------------------


class Reading:
    """A laid-out document read for the report: each page's flow, each element's parent (the
    html5lib tree WeasyPrint keeps has no parent links), and the pages each element is on."""

    def __init__(self, document: Any, book: Book) -> None:
        self.document = document
        self.book = book
        self.sources = {c.id: c.source for c in book.chapters}
        self.root = document.pages[0]._page_box.children[0].element  # <html>
        self.parents: dict[int, Any] = {}
        self._index_tree()
        self.flows = [self._flow(i, page._page_box) for i, page in enumerate(document.pages)]
        self.line_height = self._body_line_height()
        self.folios = page_labels(document, book)
        self.first_page: dict[int, int] = {}
        self.last_page: dict[int, int] = {}
        self._index_pages()
        self.breaks = _break_styles(document)

    def _index_pages(self) -> None:
        """The first and last page each element is on."""
        self.first_page.clear()
        self.last_page.clear()
        for flow in self.flows:
            for block in flow.blocks:
                for el in self.ancestors(block.element):
                    self.first_page.setdefault(id(el), flow.index)
                    self.last_page[id(el)] = flow.index

    def _index_tree(self) -> None:
        roots = {}
        for page in self.document.pages:
            for child in page._page_box.children:
                if getattr(child, "element", None) is not None:
                    roots[id(child.element)] = child.element
        for root in roots.values():
            for el in root.iter():
                for child in el:
                    self.parents[id(child)] = el

    def refresh(self, pages: Iterable[int]) -> None:
        """Read these pages again: their lines were set anew, or their text laid out again
        (the page pass: a block may have moved to the next page)."""
        for index in pages:
            self.flows[index] = self._flow(index, self.document.pages[index]._page_box)
        self._index_pages()

    def parent(self, element: Any) -> Any:
        return self.parents.get(id(element))

    def ancestors(self, element: Any) -> Iterator[Any]:
        while element is not None:
            yield element
            element = self.parent(element)

    def chapter_of(self, element: Any) -> str | None:
        """The id of the chapter (or back-matter section) an element belongs to."""
        for el in self.ancestors(element):
            if tag(el) == "section":
                ident = el.get("aria-labelledby") or el.get("id")
                return str(ident) if ident else None
        return None

    def _flow(self, index: int, page_box: Any) -> PageFlow:
        blocks: list[Block] = []
        for child in page_box.children:
            walk(child, blocks)
        chapter = next((c for b in blocks if (c := self.chapter_of(b.element))), None)
        page_type = page_box.page_type
        return PageFlow(
            index,
            str(page_type.side),
            bool(page_type.blank),
            str(page_type.name or ""),
            blocks,
            flow_bottom(page_box),
            chapter,
        )

    def _body_line_height(self) -> float:
        """The book's line: the most common height of the lines of its paragraphs."""
        heights = Counter(
            round(ln.bottom - ln.top, 2)
            for f in self.flows
            for b in f.blocks
            if tag(b.element) == "p"
            for ln in b.lines
        )
        return heights.most_common(1)[0][0] if heights else 0.0

    def source_line(self, element: Any) -> int | None:
        """The manuscript line of the nearest element that carries one (a fence carries it
        on its `<code>`, inside the block)."""
        for el in self.ancestors(element):
            value = el.get("data-line")
            if value and value.isdigit():
                return int(value)
        for el in element.iter():
            value = el.get("data-line")
            if value and value.isdigit():
                return int(value)
        return None

    def fault(
        self, kind: str, flow: PageFlow, element: Any, detail: str = "", text: str = ""
    ) -> Fault:
        chapter = flow.chapter
        if element is not None:
            chapter = self.chapter_of(element) or chapter
        path = self.sources.get(chapter or "")
        if path is None:
            path = self.book.config.path  # back matter from book.toml
        line = self.source_line(element) if element is not None else None
        folio = self.folios[flow.index]
        return Fault(kind, flow.index, folio, chapter, path, line, detail, text, element)

    def body_page(self, flow: PageFlow) -> bool:
        """A page of running text: not blank, not the title pages or the contents."""
        return not flow.blank and flow.chapter is not None and flow.name not in {"bare", "front"}

    def ends_section(self, flow: PageFlow) -> bool:
        """Whether the page ends where its chapter ends, or where the book asks for a break."""
        following = self.flows[flow.index + 1] if flow.index + 1 < len(self.flows) else None
        if following is None or following.blank or following.chapter != flow.chapter:
            return True
        if flow.blocks and self._forced(flow.blocks[-1].element, flow.index, "break_after"):
            return True
        return bool(
            following.blocks
            and self._forced(following.blocks[0].element, following.index, "break_before")
        )

    def _forced(self, element: Any, page: int, side: str) -> bool:
        """A forced break on the element or on an ancestor that ends (or starts) with it."""
        pages = self.last_page if side == "break_after" else self.first_page
        for el in self.ancestors(element):
            if pages.get(id(el)) != page:
                return False
            if self.breaks.get(id(el), {}).get(side) in FORCED_BREAKS:
                return True
        return False

    def text_blocks(self, flow: PageFlow) -> list[Block]:
        return [b for b in flow.blocks if b.kind == "lines" and b.lines]

    def gap_lines(self, flow: PageFlow) -> int:
        """Whole lines of the book's line height left empty at the foot of the page."""
        if not flow.blocks or not self.line_height:
            return 0
        bottom = max(b.bottom for b in flow.blocks)
        return int((flow.flow_bottom - bottom) / self.line_height + 0.01)


def _break_styles(document: Any) -> dict[int, dict[str, str]]:
    """The computed break-before and break-after of every block element, by id(element)."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, dict[str, str]] = {}

    def visit(box: Any) -> None:
        element = getattr(box, "element", None)
        if element is not None and isinstance(box, boxes.BlockLevelBox):
            found.setdefault(
                id(element),
                {
                    "break_before": str(box.style["break_before"]),
                    "break_after": str(box.style["break_after"]),
                },
            )
        for child in getattr(box, "children", ()) or ():
            if not isinstance(child, (boxes.LineBox, boxes.MarginBox)):
                visit(child)

    for page in document.pages:
        visit(page._page_box)
    return found


# --- the checks, one function each ------------------------------------------------------------


def widows_and_orphans(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    blocks = reading.text_blocks(flow)
    if not blocks:
        return
    first, last = blocks[0], blocks[-1]
    key = id(first.element)
    if len(first.lines) == 1 and reading.first_page[key] < flow.index == reading.last_page[key]:
        yield reading.fault("widow", flow, first.element, first.lines[0].text.strip()[:60])
    key = id(last.element)
    if len(last.lines) == 1 and reading.first_page[key] == flow.index < reading.last_page[key]:
        yield reading.fault("orphan", flow, last.element, last.lines[0].text.strip()[:60])


def hyphens(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    lines = [(b, ln) for b in reading.text_blocks(flow) if not b.preserved for ln in b.lines]
    run: list[tuple[Block, Line]] = []
    for block, line in lines:
        if line.hyphenated:
            run.append((block, line))
            continue
        if len(run) > LADDER:
            yield reading.fault("hyphen-ladder", flow, run[0][0].element, f"{len(run)} lines")
        run = []
    if len(run) > LADDER:
        yield reading.fault("hyphen-ladder", flow, run[0][0].element, f"{len(run)} lines")
    if lines and lines[-1][1].hyphenated and not reading.ends_section(flow):
        block, line = lines[-1]
        kind = "hyphen-recto" if flow.side == "right" else "hyphen-verso"
        yield reading.fault(kind, flow, block.element, "…" + line.text.strip()[-30:])


def foot(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    """What the foot of the page shows: a stranded heading or break, a short page, a hole."""
    if not flow.blocks:
        return
    last = flow.blocks[-1]
    if reading.ends_section(flow):
        return
    if last.kind == "break" or (last.kind == "lines" and tag(last.element) in HEADINGS):
        what = "scene break" if last.kind == "break" else "heading"
        yield reading.fault("stranded", flow, last.element, what)
    gap = reading.gap_lines(flow)
    if gap <= SHORT_LINES:
        return
    following = reading.flows[flow.index + 1]
    if gap > HOLE_LINES and following.blocks and following.blocks[0].kind == "image":
        # the hole is on this page; the picture that left it names the place
        yield reading.fault("picture-hole", flow, following.blocks[0].element, f"{gap} lines")
    else:
        yield reading.fault("short-page", flow, last.element, f"{gap} lines empty")


def overfull(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    for block in reading.text_blocks(flow):
        for line in block.lines:
            if line.overfull > OVERFULL_PX:
                shown = f"{line.overfull * 0.75:.1f} pt too long: {line.text.strip()[:50]}"
                yield reading.fault("overfull-line", flow, block.element, shown, line.text)


def loose(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    for block in reading.text_blocks(flow):
        for line in block.lines:
            if line.spacing > LOOSE and not block.preserved and line.overfull <= OVERFULL_PX:
                shown = f"word spaces {line.spacing:.1f}× the normal space"
                yield reading.fault("loose-line", flow, block.element, shown, line.text)


def word_part(line: Line, block: Block) -> bool:
    """A line that holds nothing but a piece of a broken word, and ends short of the middle of
    the measure: no word space in it, a hyphen at its end. (A long word broken to fill a narrow
    measure leaves its lines full; a piece alone on a line of the text block is a fault.)"""
    text = line.text.strip()
    return (
        line.hyphenated
        and not any(c.isspace() for c in text)
        and line.overfull < -float(block.box.width) / 2
    )


def word_parts(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    for block in reading.text_blocks(flow):
        for line in block.lines:
            if not block.preserved and word_part(line, block):
                shown = f"“{line.text.strip().replace(chr(0xAD), '')}” alone on its line"
                yield reading.fault("word-part", flow, block.element, shown, line.text)


def tables(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    for block in flow.blocks:
        if block.kind != "table":
            continue
        el = block.element
        rows = [r for r in el.iter() if tag(r) == "tr" and tag(reading.parent(r)) != "thead"]
        key = id(el)
        first, last = reading.first_page[key], reading.last_page[key]
        if len(rows) <= SHORT_TABLE_ROWS and first == flow.index < last:
            yield reading.fault("split-table", flow, el, f"{len(rows)} rows")


def running_heads(reading: Reading, flow: PageFlow) -> Iterator[Fault]:
    """A running head or folio set on more than one line."""
    from weasyprint.formatting_structure import boxes

    page_box = reading.document.pages[flow.index]._page_box
    for box in page_box.children:
        if not isinstance(box, boxes.MarginBox):
            continue
        set_lines = [c for c in box.children if isinstance(c, boxes.LineBox)]
        if len(set_lines) > 1:
            text = " / ".join("".join(t.text for t in text_boxes(ln)) for ln in set_lines)
            yield Fault("running-head", flow.index, reading.folios[flow.index], None,
                        reading.book.config.path, None, text[:80])  # fmt: skip


EVERY_PAGE = (running_heads, overfull)
RUNNING_TEXT = (widows_and_orphans, hyphens, foot, loose, word_parts, tables)  # on body pages only


def faults(reading: Reading, pages: range | None = None) -> list[Fault]:
    """Every fault of the pages (all of them by default), page by page."""
    found: list[Fault] = []
    for flow in reading.flows if pages is None else (reading.flows[i] for i in pages):
        checks = EVERY_PAGE + RUNNING_TEXT if reading.body_page(flow) else EVERY_PAGE
        for check in checks:
            found += check(reading, flow)
    return found


def report(document: Any, book: Book) -> list[Fault]:
    """The faults of a laid-out book (print.layout.Layout.document)."""
    return faults(Reading(document, book))


def counts(found: list[Fault]) -> dict[str, int]:
    """How many faults of each kind, every kind listed."""
    by_kind = Counter(f.kind for f in found)
    return {kind: by_kind.get(kind, 0) for kind in KINDS}


def loose_lines(reading: Reading, threshold: float = LOOSE_STATS) -> int:
    """Justified lines of running text whose word space is wider than threshold × normal."""
    return sum(
        1
        for flow in reading.flows
        if reading.body_page(flow)
        for block in reading.text_blocks(flow)
        if not block.preserved
        for line in block.lines
        if line.spacing > threshold
    )
