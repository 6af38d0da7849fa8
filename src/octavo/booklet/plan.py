"""Imposition for home booklets: which interior page goes where, on which side of which sheet.

Pure maths, no PDF: a page count, the trim and the options in; a `Plan` of placements in points
out. `booklet/sheets.py` draws a plan with pypdf. Words of the trade used here:

- trim: the size of the finished page. The fold of the sheet is the booklet's spine.
- folio: a sheet (or half a sheet) folded once: two leaves, four pages.
- signature: folios nested one inside another, folded and stitched (or stapled) together.
- saddle stitch: staples through the fold of a single signature.
- creep: the folds of inner folios sit further out than the outer ones (they wrap around fewer
  sheets), so their pages drift toward the fore-edge; pushing each inner folio's pages in
  toward the fold by one paper thickness per folio outside it compensates.
- 4-up: four pages a side on a portrait sheet, either two copies of a 2-up booklet (cut the
  sheet across the middle) or one booklet folded twice, heads to the middle fold (the quarto
  fold: the top row prints upside down and the top folds are slit after folding).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from octavo.book.paper import NAMED_SIZES, PT_PER_UNIT, Size, sheet_for
from octavo.core.errors import OctavoError

FourUp = Literal["copies", "folded"]
FOUR_UP: tuple[FourUp, ...] = ("copies", "folded")
# Most home staplers close through about 20 folded sheets of 80 g/m² paper.
STAPLE_LIMIT = 20
TICK = 18.0  # length of a fold or trim mark, points
MARK_OFFSET = 3.0  # gap between a trim mark and the page it marks
MIN_TICK = 4.0  # a mark shorter than this is left out rather than drawn as a dot
_EXACT = 1e-6  # relative tolerance for "fits at 100%"


class BookletError(OctavoError):
    """A booklet option that cannot work (a zero signature, a negative creep…)."""


@dataclass(frozen=True)
class BookletOptions:
    """How the person wants the booklet: every booklet option of `octavo build` in one value."""

    sheet: Size | None = None  # None: A4, or US Letter for US trims; orientation is ours
    signature: int | None = None  # sheets per signature; None: all sheets nest in one
    creep_mm: float = 0.0  # paper thickness, for creep compensation
    marks: bool = False  # fold marks, and trim marks where the sheet has room for them
    four_up: FourUp | None = None  # 4-up on a portrait sheet: two copies, or folded twice
    back_cover: bool = False  # the interior's last page is a back cover: keep it outside

    def __post_init__(self) -> None:
        if self.signature is not None and self.signature < 1:
            raise BookletError("--signature must be a number of sheets, 1 or more")
        if not 0 <= self.creep_mm <= 2:
            raise BookletError("--creep is the paper thickness in mm, from 0 to 2 (0.1 is usual)")
        if self.four_up is not None and self.four_up not in FOUR_UP:
            raise BookletError(f"--four-up must be one of: {', '.join(FOUR_UP)}")

    @property
    def pages_per_sheet(self) -> int:
        return 8 if self.four_up == "folded" else 4


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Placement:
    """One interior page on a sheet side: its trim lands on `box`; `clip` is the part of the
    sheet it may paint (its own cell, so a page pushed in by creep never crosses the fold)."""

    page: int  # 0-based interior page
    box: Rect
    scale: float
    upside_down: bool  # heads to the middle fold (4-up folded, top row)
    clip: Rect


@dataclass(frozen=True)
class Side:
    sheet: int  # 0-based, in printing order
    back: bool
    placements: tuple[Placement, ...]
    marks: tuple[Rect, ...]  # line segments (x0, y0) → (x1, y1)


@dataclass(frozen=True)
class Folio:
    """Four pages of one folio, seen opened flat with its outside up (None: a blank page)."""

    outer_left: int | None  # its last page (the back cover, for the outermost folio)
    outer_right: int | None  # its first page (the front cover, for the outermost)
    inner_left: int | None
    inner_right: int | None
    depth: int  # folios outside it in its signature: what creep is measured by


@dataclass(frozen=True)
class Plan:
    sheet: Size  # as printed: landscape for 2-up, portrait for 4-up
    trim: Size
    scale: float
    sides: tuple[Side, ...]  # front, back, front, back…
    signatures: tuple[int, ...]  # sheets in each signature, in reading order
    blanks: int
    creep_pt: float  # shift per folio of depth
    options: BookletOptions

    @property
    def sheets(self) -> int:
        return len(self.sides) // 2

    @property
    def flip_edge(self) -> str:
        """Duplex setting that puts each back behind its front: a landscape sheet turns over
        on its short edge, a portrait one on its long edge."""
        return "long" if self.options.four_up else "short"

    @property
    def max_creep_mm(self) -> float:
        """How far the innermost folio's pages are pushed in toward the fold."""
        folios = max(self.signatures) * (2 if self.options.four_up == "folded" else 1)
        return self.options.creep_mm * (folios - 1)


def padded_order(page_count: int, multiple: int = 4, back_cover: bool = False) -> list[int | None]:
    """Reading order padded with blanks (None) to a multiple of `multiple` pages. The blanks
    follow the text; with `back_cover` they go before the last page, which stays on the
    outside back. Never in the middle of the text."""
    if page_count < 1:
        raise BookletError("the interior has no pages to impose")
    total = -(-page_count // multiple) * multiple
    blanks: list[int | None] = [None] * (total - page_count)
    pages: list[int | None] = list(range(page_count))
    if back_cover and page_count >= 2:
        return [*pages[:-1], *blanks, pages[-1]]
    return [*pages, *blanks]


def nest(order: list[int | None]) -> list[Folio]:
    """The folios of one signature, outermost first: folio k holds pages 2k, 2k+1 from the
    front and the two matching pages from the back."""
    n = len(order)
    return [
        Folio(order[n - 1 - 2 * k], order[2 * k], order[2 * k + 1], order[n - 2 - 2 * k], k)
        for k in range(n // 4)
    ]


def split_signatures(order: list[int | None], pages_per_signature: int) -> list[list[int | None]]:
    """Consecutive runs of the reading order; the last signature may have fewer sheets."""
    return [order[i : i + pages_per_signature] for i in range(0, len(order), pages_per_signature)]


def _same_size(a: Size, w: float, h: float) -> bool:
    return abs(a.width - w) < 0.5 and abs(a.height - h) < 0.5


def named_like(width: float, height: float) -> Size:
    """The named size with these dimensions (either orientation), else an unnamed one: an
    interior read back from a PDF has dimensions but no name."""
    for size in NAMED_SIZES.values():
        if _same_size(size, width, height) or _same_size(size, height, width):
            return Size(size.name, width, height)
    return Size(f"{width:.2f}x{height:.2f}pt", width, height)


def paper_name(sheet: Size) -> str:
    """'A4', 'US Letter', '5.5 × 8.5 in', or the dimensions, for the person at the printer."""
    labels = {"letter": "US Letter", "legal": "US Legal"}
    name = sheet.name
    if name not in NAMED_SIZES and not name.endswith("in"):
        name = named_like(sheet.width, sheet.height).name
    if name in labels:
        return labels[name]
    if name.endswith("in"):
        return name.removesuffix("in").replace("x", " × ") + " in"
    if name in NAMED_SIZES:
        return name.upper()
    short, long = sorted((sheet.width, sheet.height))
    mm = PT_PER_UNIT["mm"]
    return f"{short / mm:.0f} × {long / mm:.0f} mm ({short / 72:.2f} × {long / 72:.2f} in)"


def _oriented(sheet: Size, landscape: bool) -> Size:
    long, short = max(sheet.width, sheet.height), min(sheet.width, sheet.height)
    return Size(sheet.name, long, short) if landscape else Size(sheet.name, short, long)


def fit_scale(cell_w: float, cell_h: float, trim: Size) -> float:
    """Scale a page only down, never up; 1.0 exactly when it fits (A5 on half an A4)."""
    scale = min(cell_w / trim.width, cell_h / trim.height)
    return 1.0 if scale >= 1 - _EXACT else scale


@dataclass(frozen=True)
class _Grid:
    """Where the cells of a sheet side are. Pages touch at the vertical fold, the spread is
    centred on the sheet; rows are centred in their halves (copies) or head to head at the
    middle fold (folded)."""

    sheet: Size
    page_w: float  # scaled
    page_h: float
    scale: float
    rows_y: tuple[float, ...]  # bottom of each row's pages, bottom row first
    bands: tuple[tuple[float, float], ...]  # the sheet's height split per row

    def place(self, page: int, right: bool, row: int, upside_down: bool, push: float) -> Placement:
        mid = self.sheet.width / 2
        x = mid - push if right else mid - self.page_w + push
        y = self.rows_y[row]
        band = self.bands[row]
        clip = (
            Rect(mid, band[0], self.sheet.width, band[1])
            if right
            else Rect(0, band[0], mid, band[1])
        )
        return Placement(
            page, Rect(x, y, x + self.page_w, y + self.page_h), self.scale, upside_down, clip
        )

    def blocks(self) -> list[Rect]:
        """The pages' outline on the sheet, one rectangle per piece the person keeps."""
        mid = self.sheet.width / 2
        tops = [y + self.page_h for y in self.rows_y]
        if len(self.rows_y) == 2 and abs(tops[0] - self.rows_y[1]) < 1e-6:
            return [Rect(mid - self.page_w, self.rows_y[0], mid + self.page_w, tops[1])]
        return [
            Rect(mid - self.page_w, y, mid + self.page_w, t)
            for y, t in zip(self.rows_y, tops, strict=True)
        ]


def _grid(sheet: Size, trim: Size, four_up: FourUp | None) -> _Grid:
    if four_up is None:
        sheet = _oriented(sheet, landscape=True)
        scale = fit_scale(sheet.width / 2, sheet.height, trim)
        h = trim.height * scale
        return _Grid(
            sheet, trim.width * scale, h, scale, ((sheet.height - h) / 2,), ((0, sheet.height),)
        )
    sheet = _oriented(sheet, landscape=False)
    half = sheet.height / 2
    scale = fit_scale(sheet.width / 2, half, trim)
    h = trim.height * scale
    rows = (half - h, half) if four_up == "folded" else ((half - h) / 2, half + (half - h) / 2)
    return _Grid(sheet, trim.width * scale, h, scale, rows, ((0, half), (half, sheet.height)))


def _two_up_sides(
    folio: Folio, grid: _Grid, push: float, rows: int
) -> tuple[list[Placement], list[Placement]]:
    """Front and back of one folio, on every row (two rows: the 'copies' 4-up)."""
    front: list[Placement] = []
    back: list[Placement] = []
    for row in range(rows):
        for page, right, out in (
            (folio.outer_left, False, front),
            (folio.outer_right, True, front),
            (folio.inner_left, False, back),
            (folio.inner_right, True, back),
        ):
            if page is not None:
                out.append(grid.place(page, right, row, False, push))
    return front, back


def _quarto_sides(
    outer: Folio, inner: Folio, grid: _Grid, creep: float
) -> tuple[list[Placement], list[Placement]]:
    """One sheet folded twice: the outer folio on the bottom row; the inner folio on the top
    row, upside down, which swaps its left and right (the top half folds behind the bottom
    half first, then the sheet folds in half, spine on the left)."""
    front, back = _two_up_sides(outer, grid, outer.depth * creep, rows=1)
    push = inner.depth * creep
    for page, right, out in (
        (inner.inner_right, False, front),
        (inner.inner_left, True, front),
        (inner.outer_right, False, back),
        (inner.outer_left, True, back),
    ):
        if page is not None:
            out.append(grid.place(page, right, 1, True, push))
    return front, back


def _marks(grid: _Grid, four_up: FourUp | None) -> tuple[Rect, ...]:
    """Fold ticks at both ends of every fold (for copies the middle one shows where to cut)
    and trim marks on every cut edge of each block of pages. A mark sits in the white room
    around the pages; where the pages reach the sheet's edge it is drawn from that edge over
    the page's margin instead, like the fold ticks."""
    w, h = grid.sheet.width, grid.sheet.height
    lines = [Rect(w / 2, 0, w / 2, TICK), Rect(w / 2, h - TICK, w / 2, h)]
    if four_up is not None:
        lines += [Rect(0, h / 2, TICK, h / 2), Rect(w - TICK, h / 2, w, h / 2)]
    blocks = grid.blocks()
    for block in blocks:
        lines += _trim_marks(block, [b for b in blocks if b != block], grid.sheet)
    return tuple(lines)


def _trim_marks(block: Rect, others: list[Rect], sheet: Size) -> list[Rect]:
    w, h = sheet.width, sheet.height
    lines: list[Rect] = []
    room = block.x0 - MARK_OFFSET  # blocks are centred: the same room left and right
    # A trim edge on the sheet's edge needs no mark: there is nothing to cut there.
    for y in (y for y in (block.y0, block.y1) if MIN_TICK <= y <= h - MIN_TICK):
        if room >= MIN_TICK:
            tick = min(TICK, room)
            lines += [Rect(room - tick, y, room, y), Rect(w - room, y, w - room + tick, y)]
        else:
            lines += [Rect(0, y, TICK, y), Rect(w - TICK, y, w, y)]
    if block.x0 < MIN_TICK:
        return lines
    below = [b for b in others if b.y1 <= block.y0]
    above = [b for b in others if b.y0 >= block.y1]
    for x in (block.x0, block.x1):
        if below:
            gap = (block.y0 - max(b.y1 for b in below)) / 2 - MARK_OFFSET
            if gap >= MIN_TICK:
                top = block.y0 - MARK_OFFSET
                lines.append(Rect(x, top - min(TICK, gap), x, top))
        elif block.y0 - MARK_OFFSET >= MIN_TICK:
            top = block.y0 - MARK_OFFSET
            lines.append(Rect(x, top - min(TICK, top), x, top))
        else:
            lines.append(Rect(x, 0, x, TICK))
        if above:
            gap = (min(b.y0 for b in above) - block.y1) / 2 - MARK_OFFSET
            if gap >= MIN_TICK:
                bottom = block.y1 + MARK_OFFSET
                lines.append(Rect(x, bottom, x, bottom + min(TICK, gap)))
        elif h - block.y1 - MARK_OFFSET >= MIN_TICK:
            bottom = block.y1 + MARK_OFFSET
            lines.append(Rect(x, bottom, x, bottom + min(TICK, h - bottom)))
        else:
            lines.append(Rect(x, h - TICK, x, h))
    return lines


def default_sheet(trim: Size) -> Size:
    """A4, or US Letter for US trims (an unnamed trim read from a PDF is matched by size)."""
    return sheet_for(
        trim if trim.name in NAMED_SIZES or trim.is_us else named_like(trim.width, trim.height)
    )


def plan(page_count: int, trim: Size, options: BookletOptions) -> Plan:
    """Every sheet side of the booklet, in printing order (front, back, front, back…)."""
    per_sheet = options.pages_per_sheet
    order = padded_order(page_count, per_sheet, options.back_cover)
    sheets_per_signature = options.signature or len(order) // per_sheet
    signatures = split_signatures(order, sheets_per_signature * per_sheet)
    grid = _grid(options.sheet or default_sheet(trim), trim, options.four_up)
    creep = options.creep_mm * PT_PER_UNIT["mm"]
    marks = _marks(grid, options.four_up) if options.marks else ()
    sides: list[Side] = []
    for signature in signatures:
        folios = nest(signature)
        if options.four_up == "folded":
            pairs = [
                _quarto_sides(folios[i], folios[i + 1], grid, creep)
                for i in range(0, len(folios), 2)
            ]
        else:
            rows = 2 if options.four_up == "copies" else 1
            pairs = [_two_up_sides(f, grid, f.depth * creep, rows) for f in folios]
        for front, back in pairs:
            number = len(sides) // 2
            sides += [Side(number, False, tuple(front), marks), Side(number, True, tuple(back), ())]
    return Plan(
        sheet=grid.sheet,
        trim=trim,
        scale=grid.scale,
        sides=tuple(sides),
        signatures=tuple(len(s) // per_sheet for s in signatures),
        blanks=order.count(None),
        creep_pt=creep,
        options=replace(options, sheet=grid.sheet),
    )
