"""Pictures on the printed page: never larger than the text block, and never leaving a hole.

print.css caps every image by the text block (its size comes from here, `text_block_css`), so no
picture reaches a running head or a folio, and keeps a figure in one piece with its caption.
What CSS cannot do is let the text flow on past a picture that does not fit: WeasyPrint 70 has
no page floats (`float: top/bottom`), so a picture taller than what is left of a page goes to
the next one and leaves a gap behind it, and a chapter that opens with a tall picture prints
its title alone. After the book is laid out, `settle` looks for such pictures and, for each:

- scales it down to fit where it stands, if it keeps at least MIN_SCALE of its height; else
- moves it after the text that fills the gap: the paragraph that runs over the foot of the
  page is cut at the line where the page ends (print/placing.py), so the picture heads the
  next page and the text goes on below it.

A chapter's opening page keeps at least OPENER_LINES lines of text when text follows. The book
is then laid out again (one more layout for each round of corrections, ROUNDS at most; a book
whose pictures fit costs nothing). Chapters open on a recto, so each is corrected on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from statistics import median
from typing import Any

from octavo.book.pages import flat_text
from octavo.print import flow as laid
from octavo.print.flow import Block, Flow, Line
from octavo.print.geometry import Geometry
from octavo.print.pagemap import Place, regions, text_shown
from octavo.print.placing import Placement, Placements, Target

MIN_SCALE = 0.7  # a picture is scaled down to no less than this share of its height…
GAP_LINES = 3  # …when it leaves a gap of this many lines at the foot of the page before it
OPENER_LINES = 3  # lines of text a chapter's opening page keeps when text follows
ORPHANS = 2  # print.css: widows and orphans of two lines
ROUNDS = 4  # layouts of corrections at most (each fixes the first picture of each chapter)
SLACK = 1.0  # px: room left so that rounding never pushes a line over


def text_block_css(geometry: Geometry) -> str:
    """The text block's size as custom properties print.css caps pictures by."""
    width, height = geometry.text_block
    return f":root {{ --text-block-width: {width:.2f}pt; --text-block-height: {height:.2f}pt; }}"


# --- Where the text that follows a picture would go ----------------------------------------


def _step(flow: Flow, previous: Line | None, line: Line, lead: float) -> float:
    """The room a line takes below the one before it: its height and the space between."""
    block = flow.blocks[line.block]
    height = line.bottom - line.top
    if previous is None:
        return height + (max(lead, block.margin_top) if line.index == 0 else 0.0)
    if previous.block != line.block:
        above = flow.blocks[previous.block].margin_bottom
        return height + (max(above, block.margin_top) if line.index == 0 else 0.0)
    if previous.page == line.page:
        return height + max(0.0, line.top - previous.bottom)
    return height


def _last_fitting(flow: Flow, start: int, skip: int, gap: float, lead: float) -> Line | None:
    """The last line of the text from block `start` on that fits in `gap`, leaving out the
    picture `skip` and the pictures after it (they go along: pictures keep their order)."""
    used, previous, fitting = 0.0, None, None
    for index in range(start, len(flow.blocks)):
        block = flow.blocks[index]
        if index == skip or (block.is_picture and index > skip):
            continue
        for line in block.lines:
            used += _step(flow, previous, line, lead)
            if used > gap - SLACK:
                return fitting
            fitting = previous = line
    return fitting


def _after_block(flow: Flow, index: int, places: Mapping[int, Place]) -> Target | None:
    block = flow.blocks[index]
    place = places.get(id(block.element))
    if place is None or block.is_heading or block.is_picture:
        return None  # a heading stays with the text that follows it
    return Target(place.tag, place.ordinal)


def _split_target(block: Block, lines: int, places: Mapping[int, Place]) -> Target | None:
    """After the first `lines` lines of a paragraph."""
    place = places.get(id(block.element))
    if place is None:
        return None
    offset, hyphen = text_shown(block.element, [line.box for line in block.lines[:lines]])
    text = flat_text(block.element)
    while not hyphen and offset < len(text) and text[offset].isspace():
        offset += 1
    if offset >= len(text):
        return Target(place.tag, place.ordinal)
    return Target(place.tag, place.ordinal, place.base + offset, hyphen)


def _target(
    flow: Flow, line: Line, start: int, places: Mapping[int, Place]
) -> tuple[Target, int] | None:
    """Where a picture goes so that the text ends with `line` above it: after that line's
    block, or between two of its lines if it is a paragraph (keeping two lines each side);
    with the index of the block it follows."""
    block = flow.blocks[line.block]
    shown = line.index + 1
    if shown == len(block.lines):
        found = _after_block(flow, line.block, places)
        if found is not None:
            return found, line.block
    elif block.tag == "p":
        shown = min(shown, len(block.lines) - ORPHANS)
        split = _split_target(block, shown, places) if shown >= ORPHANS else None
        if split is not None:
            return split, line.block
    for index in range(line.block - 1, start, -1):  # after a block before this one
        found = _after_block(flow, index, places)
        if found is not None:
            return found, index
    return None


# --- Pictures that leave a hole ---------------------------------------------------------------


@dataclass(frozen=True)
class _Chapter:
    """A laid-out chapter and what is known of it: the page map's places, the placements made
    so far (by picture), the height of its lines."""

    flow: Flow
    places: Mapping[int, Place]
    done: Mapping[int, Placement]
    lh: float

    @property
    def pictures(self) -> list[int]:
        return [i for i, b in enumerate(self.flow.blocks) if b.is_picture]

    def scaled(self, k: int, over: float) -> list[Placement]:
        """Picture k scaled so that `over` px go, if it keeps MIN_SCALE of its first height."""
        image = self.flow.blocks[self.pictures[k]].image()
        if image is None:
            return []
        height = float(image.height)
        before = self.done.get(k)
        natural = before.natural if before is not None and before.natural else height
        allowed = height - over - SLACK
        if allowed < MIN_SCALE * natural:
            return []
        return [Placement(k, height=allowed, natural=natural)]

    def moved(self, k: int, start: int, gap: float, lead: float) -> list[Placement]:
        """Picture k moved after the text from block `start` on that fills `gap` px, with the
        pictures it passes (in their order)."""
        index = self.pictures[k]
        line = _last_fitting(self.flow, start, index, gap, lead)
        found = _target(self.flow, line, index, self.places) if line is not None else None
        if found is None:
            return []
        target, after = found
        passed = [j for j, i in enumerate(self.pictures) if index <= i < after]
        return [Placement(j, target=target) for j in passed]


def _outer(block: Block, page: int) -> float:
    """The room a picture takes on a page, with the space kept above and below it."""
    box = next(b for p, b in block.boxes if p == page)
    return float(box.border_height()) + 2 * block.margin_bottom


def _lead(flow: Flow, page: int) -> float:
    """The bottom margin of the last block on a page (collapses with the next one's top)."""
    last = [b for b in flow.blocks if b.lines_on(page)]
    return last[-1].margin_bottom if last else 0.0


def _pushed(chapter: _Chapter, k: int, page: int) -> list[Placement]:
    """A picture that heads `page` though the page before has a gap GAP_LINES tall."""
    flow = chapter.flow
    before = flow.pages[flow.pages.index(page) - 1]
    gap = flow.bottoms[before] - flow.filled(before)
    if gap < GAP_LINES * chapter.lh:
        return []
    block = flow.blocks[chapter.pictures[k]]
    start = flow.first_block_on(page)
    assert start is not None
    over = _outer(block, page) - gap
    if before == flow.pages[0] and _text_after(flow, chapter.pictures[k]):
        over += OPENER_LINES * chapter.lh  # an opening page keeps lines of text below it
    return chapter.scaled(k, over) or chapter.moved(k, start, gap, _lead(flow, before))


def _text_after(flow: Flow, index: int) -> bool:
    return any(b.lines and not b.is_picture for b in flow.blocks[index + 1 :])


def _opener(chapter: _Chapter) -> list[Placement]:
    """A picture on the chapter's opening page that leaves it fewer than OPENER_LINES lines."""
    flow = chapter.flow
    page = flow.pages[0]
    text = [b for b in flow.blocks if not b.is_picture]
    here = sum(len(b.lines_on(page)) for b in text)
    later = [line for b in text for line in b.lines if line.page != page]
    on_page = [k for k, i in enumerate(chapter.pictures) if flow.blocks[i].lines_on(page)]
    if here >= OPENER_LINES or not later or not on_page:
        return []
    k = on_page[0]
    index = chapter.pictures[k]
    wanted = later[: max(OPENER_LINES - here, ORPHANS)]
    lead = _lead(flow, page)
    need = sum(_step(flow, a, b, lead) for a, b in zip([None, *wanted], wanted, strict=False))
    free = flow.bottoms[page] - flow.filled(page)
    gap = flow.bottoms[page] - flow.filled(page, before=index)
    return chapter.scaled(k, need - free) or chapter.moved(k, index + 1, gap, 0.0)


def _overflow(chapter: _Chapter, k: int, page: int) -> list[Placement]:
    """A picture that runs past the foot of its page, or whose caption is carried over to the
    next (a caption longer than print.css keeps room for): its image gives up the room."""
    block = chapter.flow.blocks[chapter.pictures[k]]
    box = next(b for p, b in block.boxes if p == page)
    over = float(box.position_y + box.border_height()) - chapter.flow.bottoms[page]
    carried = [float(b.border_height()) for p, b in block.boxes if p != page]
    if carried:  # the caption's lines and the space below the figure must come back
        over = max(over, 0.0) + sum(carried) + block.margin_bottom
    image = block.image()
    if over <= SLACK or image is None:
        return []
    return [Placement(k, cap=float(image.height) - over - SLACK)]


def _heads(flow: Flow, index: int, page: int) -> bool:
    """Whether picture `index` heads the page: nothing but headings above it there."""
    first = flow.first_block_on(page)
    return first is not None and all(b.is_heading for b in flow.blocks[first:index])


def _line_height(flow: Flow) -> float:
    heights = [ln.bottom - ln.top for b in flow.blocks if not b.is_picture for ln in b.lines]
    return median(heights) if heights else 20.0


def correction(
    flow: Flow, places: Mapping[int, Place], done: Mapping[int, Placement]
) -> list[Placement]:
    """The first picture of the chapter, page by page, that needs moving or scaling (with the
    pictures it takes along)."""
    chapter = _Chapter(flow, places, done, _line_height(flow))
    for number, page in enumerate(flow.pages):
        for k, index in enumerate(chapter.pictures):
            if flow.blocks[index].boxes[0][0] != page:
                continue
            fix = _overflow(chapter, k, page)
            if not fix and number and _heads(flow, index, page):
                fix = _pushed(chapter, k, page)
            if fix:
                return fix
        if number == 0 and (fix := _opener(chapter)):
            return fix
    return []


def _least(*heights: float | None) -> float | None:
    found = [h for h in heights if h is not None]
    return min(found) if found else None


def _merge(old: Placement | None, new: Placement) -> Placement:
    if old is None:
        return new
    cap = _least(old.cap, new.cap)
    if new.target is not None:  # moved where it has room: at its full height again
        return replace(new, natural=old.natural, cap=cap)
    height = _least(old.height, new.height)
    return replace(old, height=height, natural=old.natural or new.natural, cap=cap)


def settle(
    document: Any, chapters: set[str], render: Callable[[Placements], Any]
) -> tuple[Any, Placements]:
    """Lay the book out again until no picture leaves a hole (ROUNDS at most); the document
    and the placements it was made with."""
    placements: dict[str, dict[int, Placement]] = {}
    for _ in range(ROUNDS):
        root = document.pages[0]._page_box.children[0].element if document.pages else None
        places = regions(root, chapters) if root is not None else {}
        changed = False
        for key, chapter in laid.read(document, chapters).items():
            done = placements.setdefault(key, {})
            for fix in correction(chapter, places, done):
                merged = _merge(done.get(fix.picture), fix)
                if merged != done.get(fix.picture):
                    done[fix.picture] = merged
                    changed = True
        if not changed:
            break
        document = render(_frozen(placements))
    return document, _frozen(placements)


def _frozen(placements: Mapping[str, Mapping[int, Placement]]) -> Placements:
    return {key: tuple(found.values()) for key, found in placements.items() if found}
