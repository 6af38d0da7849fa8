"""A chapter's text as WeasyPrint set it: its top-level blocks, their lines, and the pages they
fall on. print/pictures.py reads this to find a picture that left a gap at the foot of a page.

Lengths are WeasyPrint's CSS pixels (0.75 pt), measured down from the top of the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from octavo.book.pages import local

PICTURE_CLASS = "picture"  # source/figures.py: an image set apart


@dataclass
class Line:
    """A line of text, or a picture's image, as set on one page."""

    page: int
    top: float
    bottom: float
    block: int  # index of its block in Flow.blocks
    index: int  # its place among the block's lines
    box: Any  # WeasyPrint's line box (or image box)


@dataclass
class Block:
    """A child of the chapter's body (`div.chapter-body`), perhaps broken across pages."""

    element: Any
    boxes: list[tuple[int, Any]] = field(default_factory=list)  # (page, box) per fragment
    lines: list[Line] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return local(self.element.tag)

    @property
    def is_picture(self) -> bool:
        return PICTURE_CLASS in (self.element.get("class") or "").split()

    @property
    def is_heading(self) -> bool:
        return self.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}

    @property
    def margin_top(self) -> float:
        return float(self.boxes[0][1].margin_top) if self.boxes else 0.0

    @property
    def margin_bottom(self) -> float:
        return float(self.boxes[-1][1].margin_bottom) if self.boxes else 0.0

    def lines_on(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]

    def image(self) -> Any | None:
        """The image box of a picture (its first fragment's)."""
        for _, box in self.boxes:
            for leaf in _descendants(box):
                if "ReplacedBox" in type(leaf).__name__:
                    return leaf
        return None


@dataclass
class Flow:
    """One chapter as laid out: its pages in order, its blocks in order, and where each page's
    text may go down to (the foot of the page, or the top of its footnotes)."""

    chapter: str
    pages: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    bottoms: dict[int, float] = field(default_factory=dict)
    heads: dict[int, float] = field(default_factory=dict)  # page → bottom of the title's box

    def filled(self, page: int, before: int | None = None) -> float:
        """How far down the page the chapter's text reaches (only blocks before `before`)."""
        reach = self.heads.get(page, 0.0)
        for i, block in enumerate(self.blocks):
            if before is not None and i >= before:
                break
            for line in block.lines_on(page):
                reach = max(reach, line.bottom)
        return reach

    def first_block_on(self, page: int) -> int | None:
        for i, block in enumerate(self.blocks):
            if any(p == page for p, _ in block.boxes):
                return i
        return None


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _descendants(child)


def _lines(box: Any) -> Iterator[Any]:
    """Line boxes and images of a block, in order (not the lines inside a line's floats)."""
    kind = type(box).__name__
    if kind == "LineBox" or "ReplacedBox" in kind:
        yield box
        return
    for child in getattr(box, "children", ()) or ():
        yield from _lines(child)


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split()) if element is not None else set()


def _page_bottom(page_box: Any) -> float:
    bottom = float(page_box.content_box_y() + page_box.height)
    for child in page_box.children[1:]:
        if type(child).__name__ == "FootnoteAreaBox" and child.children:
            bottom = min(bottom, float(child.position_y))
    return bottom


def _sections(box: Any, chapters: set[str]) -> Iterator[tuple[str, Any]]:
    element: Any = getattr(box, "element", None)
    key = element.get("aria-labelledby") if element is not None else None
    if key in chapters and local(element.tag) == "section":
        yield str(key), box
        return
    for child in getattr(box, "children", ()) or ():
        yield from _sections(child, chapters)


def _read_section(flow: Flow, index: int, section: Any, seen: dict[int, int]) -> None:
    for child in section.children or ():
        element: Any = getattr(child, "element", None)
        if "chapter-title" in _classes(element) and local(element.tag) == "h1":
            flow.heads[index] = float(child.position_y + child.margin_height())
        if "chapter-body" not in _classes(element) or element is section.element:
            continue
        for part in child.children or ():
            if part.element is None or part.element is element:
                continue  # an anonymous box: text straight in the body's div
            key = id(part.element)
            if key not in seen:
                seen[key] = len(flow.blocks)
                flow.blocks.append(Block(part.element))
            block = flow.blocks[seen[key]]
            block.boxes.append((index, part))
            for box in _lines(part):
                top = float(box.position_y)
                line = Line(index, top, top + float(box.height), seen[key], len(block.lines), box)
                block.lines.append(line)


def read(document: Any, chapters: set[str]) -> dict[str, Flow]:
    """The flow of each chapter named in `chapters` (their ids), from a laid-out document."""
    flows: dict[str, Flow] = {}
    seen: dict[str, dict[int, int]] = {}
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        for key, section in _sections(page_box.children[0], chapters):
            flow = flows.setdefault(key, Flow(key))
            flow.pages.append(index)
            flow.bottoms[index] = _page_bottom(page_box)
            _read_section(flow, index, section, seen.setdefault(key, {}))
    return flows
