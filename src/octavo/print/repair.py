"""The second layout pass, paragraph by paragraph: a paragraph with a hyphen ladder or a word
broken across a page turn is set again in a few variants, and the best variant that keeps the
paragraph's line count takes its place.

Keeping the line count is what makes the pass local: every page break stays where it was, so
nothing outside the paragraph moves, and its new lines are put in the place of the old ones in
the laid-out pages. The variants are the edits the issue allows a typesetter: one word's
hyphenation forbidden (`hyphens: manual`, or `white-space: nowrap` for a hard hyphen), a
tracking nudge of at most ±0.5 % (letter-spacing ±0.005 em) from a couple of lines before the
fault to the paragraph's end, or both. All variants of all paragraphs are laid out in one small
document at the book's measure and in its style sheets (the layout's own session), so a
variant's lines are the lines the book sets from the same HTML; the edits are kept as spans
(fragments.Span) so any later layout of the paragraph (spreads.py) sets it the same way.

A paragraph often has no such variant: kept whole, a broken word sends a syllable on and the
paragraph runs a line longer. Then the line is given back on the same page (`_pairs`): another
paragraph that ends there, set a little tighter, loses one (or, for a line lost, one set a
little looser gains one), or the page has room for it, its chapter ending on it; the blocks
between the two move by the line, and every page break stays where it was.

What this pass cannot mend is left to the page pass, or to the report.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from octavo.print import fragments, quality
from octavo.print.fragments import Span
from octavo.print.quality import Block, Line, PageFlow, Reading, tag

LINE_FAULTS = ("hyphen-recto", "hyphen-ladder", "hyphen-verso")
TRACKING = ("-0.005em", "-0.0025em", "0.0025em", "0.005em")  # ±0.5 % of the em at most
REACH = 2  # lines before the fault the tracking starts on
# Lines after the last faulty line a variant runs on before it is cut. Past the faulty lines
# no edit reaches, and once a line of the variant is the book's line (the same text at the same
# place), every line after it is too: WeasyPrint breaks lines first-fit, so a line depends only
# on where it starts. So a variant is a window of the paragraph, however long the paragraph is
# (Darcy's letter is 200 lines), kept only if it falls back into step before its end.
TAIL = 8
# A variant may open a looser line, up to this much wider than the report's threshold (or the
# paragraph's own widest space, if wider): a word space 2.75 × the normal space is a fair price
# for a word no longer broken across a page turn, and none wider is ever made.
LOOSER = 0.25
LADDER_LOOSER = 0.75  # … and for a ladder nothing else mends, at most 3.25 × (`_last_resort`)
TOGETHER = 4  # groups of broken words kept whole at once, at most, per paragraph (round 2)
# A list's marker is a box of its own beside the paragraph's lines (or a line of its own when
# set inside), never in them: the variants show none, and the book keeps its own.
VARIANTS_CSS = "section { break-before: auto !important; }\nli { list-style: none !important; }\n"
CONTAINERS = frozenset({"div", "blockquote", "ul", "ol", "li"})  # a paragraph may sit in
ZERO_WIDTH = "\u200b"  # what a `<wbr>` sets (WeasyPrint's `wbr::before`), not in the text


@dataclass
class Paragraph:
    """A paragraph as laid out: its pieces on consecutive pages, its lines, its flat text and
    where each line starts in it."""

    element: Any
    context: list[Any]  # its chapter's section, its body, any block it is in
    pieces: list[tuple[PageFlow, Block]]
    lines: list[Line]
    flat: str
    starts: list[int]
    indent: float

    @property
    def counts(self) -> list[int]:
        return [len(block.lines) for _, block in self.pieces]

    @property
    def sides(self) -> list[str]:
        return [flow.side for flow, _ in self.pieces]

    def place(self, index: int) -> tuple[Block, int]:
        """The piece (its block) and the index in it of the paragraph's line `index`."""
        for _, block in self.pieces:
            if index < len(block.lines):
                return block, index
            index -= len(block.lines)
        raise IndexError(index)


@dataclass(frozen=True)
class Score:
    """A paragraph's faults, worst kind first (a tuple compares in that order)."""

    recto: int
    ladders: int
    verso: int
    loose: int
    widest: float

    def faults(self) -> tuple[int, int, int]:
        return (self.recto, self.ladders, self.verso)


def score(lines: list[Line], counts: list[int], sides: list[str]) -> Score:
    recto = verso = ladders = 0
    start = 0
    for count, side in zip(counts, sides, strict=True):
        piece = lines[start : start + count]
        start += count
        run = 0
        for line in piece:
            run = run + 1 if line.hyphenated else 0
            ladders += run == quality.LADDER + 1
        if start < len(lines) and piece and piece[-1].hyphenated:  # the foot of a page
            recto += side == "right"
            verso += side != "right"
    loose = sum(line.spacing > quality.LOOSE_STATS for line in lines)
    widest = max((line.spacing for line in lines), default=1.0)
    return Score(recto, ladders, verso, loose, widest)


@dataclass
class Candidate:
    paragraph: Paragraph
    spans: tuple[Span, ...]
    cost: int  # how much of an edit it is: the least is preferred among equals
    window: tuple[int, int] = (0, 0)  # the paragraph's lines [first, last) it sets again
    lines: list[tuple[Line, Any]] = field(default_factory=list)  # as laid out, with its block

    @property
    def cut(self) -> bool:
        """Whether the window ends before the paragraph does."""
        return self.window[1] < len(self.paragraph.lines)

    @property
    def delta(self) -> int:
        """Lines the window gained (or lost, below 0) as set again."""
        return len(self.lines) - (self.window[1] - self.window[0])

    def all_lines(self, shift: bool = False) -> list[Line] | None:
        """The paragraph's lines with the window's new ones, or None when the window does not
        fall back into step with the lines the book set (then the rest would move), or has
        another line count — unless `shift`: then one line more or fewer is taken, for a
        partner on the same page to give back (`_pairs`)."""
        first, last = self.window
        new = [line for line, _ in self.lines]
        old = self.paragraph.lines
        delta = self.delta
        if not new or (delta != 0 if not shift else abs(delta) > 1):
            return None
        if self.cut and not any(
            [n.text for n in new[j:]] == [o.text for o in old[first + j - delta : last]]
            for j in range(self.edited - first + max(delta, 0), len(new) - 1)
        ):
            return None
        return [*old[:first], *new, *old[last:]]

    @property
    def edited(self) -> int:
        """The first line of the paragraph after the last edited one."""
        end = max(span.end for span in self.spans)
        return next((k for k, at in enumerate(self.paragraph.starts) if at >= end), self.window[1])


# --- finding the paragraphs -----------------------------------------------------------------


def _context(reading: Reading, element: Any) -> list[Any] | None:
    """The elements a paragraph the pass may set again sits in, from its chapter's section
    down (a body, perhaps a block quotation or a list item), or None: a `<p>` of a chapter's
    body holding no footnote, picture, line break or anchor (their boxes live elsewhere or must
    keep their identity). A link is set again like any text: its address is the element's,
    and the pages changed gather their links again (second_pass._regather)."""
    if tag(element) != "p":
        return None
    for el in element.iter():
        if el is not element and (
            tag(el) in {"img", "br", "svg"} or el.get("id") or "footnote" in (el.get("class") or "")
        ):
            return None
    chain: list[Any] = []
    for el in reading.ancestors(reading.parent(element)):
        chain.insert(0, el)
        if tag(el) == "section":
            break
        if tag(el) not in CONTAINERS:
            return None
    if (
        len(chain) < 2
        or tag(chain[0]) != "section"
        or "chapter-body" not in (chain[1].get("class") or "")
    ):
        return None
    return chain


def paragraphs(reading: Reading) -> dict[int, list[tuple[PageFlow, Block]]]:
    pieces: dict[int, list[tuple[PageFlow, Block]]] = {}
    for flow in reading.flows:
        for block in flow.blocks:
            if block.kind == "lines" and not block.preserved:
                pieces.setdefault(id(block.element), []).append((flow, block))
    return pieces


def paragraph(reading: Reading, pieces: list[tuple[PageFlow, Block]]) -> Paragraph | None:
    element = pieces[0][1].element
    context = _context(reading, element)
    lines = [line for _, block in pieces for line in block.lines]
    if context is None:
        return None
    flat = fragments.flat_text(element)
    starts = fragments.line_starts(flat, [line.text.replace(ZERO_WIDTH, "") for line in lines])
    if starts is None:
        return None
    first = pieces[0][1]
    texts = list(quality.text_boxes(first.box.children[0])) if first.box.children else []
    indent = float(texts[0].position_x - first.box.content_box_x()) if texts else 0.0
    return Paragraph(element, context, pieces, lines, flat, starts, indent)


# --- variants -------------------------------------------------------------------------------


def _fault_lines(para: Paragraph, fault: quality.Fault) -> list[int]:
    """The lines of the paragraph a fault is about: the last on its page, or a ladder's run."""
    offset = 0
    for flow, block in para.pieces:
        if flow.index == fault.page:
            if fault.kind != "hyphen-ladder":
                return [offset + len(block.lines) - 1]
            run: list[int] = []
            for i, line in enumerate(block.lines):
                if line.hyphenated:
                    run.append(offset + i)
                elif len(run) > quality.LADDER:
                    return run
                else:
                    run = []
            return run if len(run) > quality.LADDER else []
        offset += len(block.lines)
    return []


def _forbid(para: Paragraph, line: int) -> Span | None:
    """Hyphenation forbidden in the word broken at the end of `line`."""
    if line + 1 >= len(para.starts):
        return None
    at = para.starts[line + 1]
    start, end = fragments.word_at(para.flat, at)
    if end <= start:
        return None
    hard = para.flat[at - 1 : at] == "-"  # a hard hyphen breaks whatever `hyphens` says
    return Span(start, end, "white-space: nowrap" if hard else "hyphens: manual")


def window(para: Paragraph, lines: list[int]) -> tuple[int, int]:
    """The lines a variant sets again: from REACH lines before the first faulty line to TAIL
    after the last, the last of them not a broken word's (the cut falls between words), or
    to the paragraph's end when that is near."""
    first = max(0, min(lines) - REACH)
    last = max(lines) + 1 + TAIL
    while last < len(para.lines) and para.lines[last - 1].hyphenated:
        last += 1
    return first, last if last < len(para.lines) - 1 else len(para.lines)


def candidates(para: Paragraph, lines: list[int], round_: int) -> Iterator[Candidate]:
    """Round 0: the broken words' hyphenation forbidden one at a time, and the full tracking
    nudges; round 1 (for what round 0 left): half nudges, and a word forbidden with a nudge;
    round 2: broken words kept whole together (`_together`)."""
    first, last = window(para, lines)
    start = para.starts[first]
    if start and para.flat[start - 1] == " ":
        start -= 1  # with the space the line starts after: a break at a span's very edge
        # may be missed by WeasyPrint, and the line before it set otherwise
    # in a window cut before the paragraph's end, the nudge stops after the faulty lines
    end = para.starts[max(lines) + 1] if last < len(para.lines) else len(para.flat)
    broken = [(k, s) for k in sorted(set(lines)) if (s := _forbid(para, k)) is not None]
    forbidden = [span for _, span in broken]
    if round_ == 2:
        yield from _together(para, lines, (first, last))
        return
    for span in forbidden:
        if round_ == 0:
            yield Candidate(para, (span,), 1, (first, last))
        else:
            for value in ("-0.005em", "0.005em"):
                track = Span(start, end, f"letter-spacing: {value}")
                yield Candidate(para, (span, track), 3, (first, last))
    for value in TRACKING[::3] if round_ == 0 else TRACKING[1:3]:
        yield Candidate(para, (Span(start, end, f"letter-spacing: {value}"),), 2, (first, last))
    if round_ == 1:  # one faulty line alone nudged, which may pass one syllable on or back
        for k in sorted(set(lines)):
            if k + 1 < len(para.starts):
                for value in TRACKING[::3]:
                    nudge = _line_nudge(para, k, value)
                    yield Candidate(para, (nudge,), 2, (first, last))
        # the broken word kept whole, and the line before nudged to take a word from the
        # broken word's line (or to give it one), so that the whole word fits where it was
        for k, span in broken:
            if k >= 1 and para.starts[k - 1] < span.start:
                for value in TRACKING[::3]:
                    nudge = _line_nudge(para, k - 1, value)
                    yield Candidate(para, (span, nudge), 3, (first, last))


def _together(para: Paragraph, lines: list[int], window: tuple[int, int]) -> Iterator[Candidate]:
    """Round 2: two broken words kept whole at once — two of a ladder's, or a page's last and
    the one on the line before or after it — or all of a ladder's: the lines are set quite
    otherwise, often one line longer or shorter, for a partner to make up (`_pairs`)."""
    faulty = sorted(set(lines))
    near = {k + d for k in faulty for d in (-1, 1) if 0 <= k + d < len(para.lines) - 1}
    extra = sorted(k for k in near - set(faulty) if para.lines[k].hyphenated and k >= window[0])
    spans = {k: s for k in (*faulty, *extra) if (s := _forbid(para, k)) is not None}
    groups: list[tuple[int, ...]] = [
        g for g in itertools.combinations(sorted(spans), 2) if set(g) & set(faulty)
    ]
    if len(faulty) > 2:
        groups.append(tuple(k for k in faulty if k in spans))
    for group in groups[:TOGETHER]:
        yield Candidate(para, tuple(spans[k] for k in group), 4, window)


def _line_nudge(para: Paragraph, k: int, value: str) -> Span:
    """Tracking on line k alone, from and to whole words (a span's edge inside a word changes
    its hyphenation)."""
    a = fragments.word_at(para.flat, para.starts[k])[0]
    b = fragments.word_at(para.flat, para.starts[k + 1])[1]
    return Span(max(0, a - 1), b, f"letter-spacing: {value}")


# --- laying the variants out ------------------------------------------------------------------


def _variant(reading: Reading, candidate: Candidate, n: int) -> str:
    """A candidate in its paragraph's context: the same section, body and blocks (their ids
    left out), and the paragraph first in its parent only if it is so in the book (a
    chapter's opening paragraph takes the theme's first-line rules)."""
    para = candidate.paragraph
    first, last = candidate.window
    attrs = {k: v for k, v in para.element.attrib.items() if k != "id"}
    # a window from a line inside the paragraph: no indent, no opening's first-line rules; one
    # cut before the paragraph ends justifies its last line, as the book does mid-paragraph
    style = [f"text-indent: {para.indent if first == 0 else 0:.3f}px"]
    if candidate.cut:
        style.append("text-align-last: justify")
    attrs["style"] = "; ".join(s for s in (attrs.get("style", ""), *style) if s)
    attrs["data-variant"] = str(n)
    parent = reading.parent(para.element)
    opening = first == 0 and len(parent) and parent[0] is para.element
    spacer = "" if opening else '<i style="display:none"></i>'
    start = para.starts[first] if first else 0
    end = para.starts[last] if candidate.cut else None
    inner = spacer + fragments.serialize(para.element, candidate.spans, start, attrs, end)
    for el in reversed(para.context):
        kept = {k: v for k, v in el.attrib.items() if k in {"class", "lang", "dir", "style"}}
        inner = f"{fragments.open_tag(el, kept)}{inner}</{tag(el)}>"
    return inner


def variants_html(reading: Reading, found: list[Candidate], language: str) -> str:
    root_body = next(el for el in reading.root if tag(el) == "body")
    parts = [_variant(reading, candidate, n) for n, candidate in enumerate(found)]
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"></head>'
        f'<body class="{root_body.get("class") or ""}">{"".join(parts)}</body></html>'
    )


def lay_out(session: Any, reading: Reading, found: list[Candidate], width: float) -> None:
    """Set every candidate at the book's measure; each gets its lines (with their block)."""
    language = str(reading.root.get("lang") or "en")
    extra = VARIANTS_CSS + f"@page {{ size: {width:.3f}pt 20000pt; }}\n"
    document = session.render(variants_html(reading, found, language), extra)
    for page in document.pages:
        blocks: list[Block] = []
        for child in page._page_box.children:
            quality.walk(child, blocks)
        for block in blocks:
            n = block.element.get("data-variant") if block.kind == "lines" else None
            if n is not None:
                found[int(n)].lines += [(line, block.box) for line in block.lines]


# --- choosing and putting in place ------------------------------------------------------------


def best(para: Paragraph, found: list[Candidate], looser: float = LOOSER) -> Candidate | None:
    """The candidate with the fewest faults that keeps the line count, if it has fewer than
    the paragraph had and opens no line more than `looser` looser than the report allows."""
    before = score(para.lines, para.counts, para.sides)
    chosen: tuple[tuple[float, ...], Candidate] | None = None
    for candidate in found:
        lines = candidate.all_lines()
        if lines is None:
            continue
        after = score(lines, para.counts, para.sides)
        if after.faults() >= before.faults():
            continue
        if after.widest > max(before.widest, quality.LOOSE) + looser:
            continue
        key = (*after.faults(), after.loose, candidate.cost, round(after.widest, 2))
        if chosen is None or key < chosen[0]:
            chosen = (key, candidate)
    return chosen[1] if chosen else None


def _retarget(box: Any, old: Any, new: Any) -> None:
    for b in [box, *box.descendants()]:
        if getattr(b, "element", None) is old:
            b.element = new


def splice(candidate: Candidate) -> None:
    """The candidate's lines in the place of the paragraph's, line for line (same heights:
    the page breaks do not move)."""
    para = candidate.paragraph
    variant_element = candidate.lines[0][1].element
    for index, (line, variant_block) in enumerate(candidate.lines, candidate.window[0]):
        block, i = para.place(index)
        old = block.box.children[i]
        dx = block.box.content_box_x() - variant_block.content_box_x()
        line.box.translate(dx, old.position_y - line.box.position_y)
        _retarget(line.box, variant_element, para.element)
        block.box.children[i] = line.box


@dataclass
class Outcome:
    """What the pass did: faults it looked at, paragraphs it set again, lines it laid out,
    and the edits made (id(paragraph element) → its spans)."""

    faults: int = 0
    mended: int = 0
    lines: int = 0
    edits: dict[int, tuple[Span, ...]] = field(default_factory=dict)
    # id(paragraph element) → the windows set again: a long paragraph may be mended in several
    # places, in windows that do not overlap (each falls back into step before it ends)
    windows: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    pages: set[int] = field(default_factory=set)  # pages whose lines changed


PRIORITY = {"hyphen-recto": 0, "hyphen-ladder": 1, "hyphen-verso": 2}


def _wanted(
    reading: Reading, faults: list[quality.Fault], kinds: tuple[str, ...]
) -> list[tuple[Paragraph, list[int]]]:
    """The faulty paragraphs the pass can set again, worst fault first, with their lines."""
    pieces = paragraphs(reading)
    wanted: dict[int, tuple[Paragraph, list[int], int]] = {}
    for fault in sorted(faults, key=lambda f: PRIORITY.get(f.kind, 9)):
        key = id(fault.element)
        if fault.kind not in kinds or key not in pieces:
            continue
        if key not in wanted:
            para = paragraph(reading, pieces[key])
            if para is None:
                continue
            wanted[key] = (para, [], PRIORITY[fault.kind])
        wanted[key][1].extend(_fault_lines(wanted[key][0], fault))
    return [(para, lines) for para, lines, _ in wanted.values() if lines]


def mend(
    session: Any,
    reading: Reading,
    faults: list[quality.Fault],
    width: float,
    budget: int,
    kinds: tuple[str, ...] = LINE_FAULTS,
) -> Outcome:
    """Set the faulty paragraphs again, in two rounds, laying out at most `budget` lines of
    variants; their new lines replace the old in the pages."""
    outcome = Outcome(faults=sum(f.kind in kinds for f in faults))
    # a hyphen at the foot of a recto and a ladder must go; one at the foot of a verso may
    # stay when the budget is spent: their paragraphs go through the rounds last
    musts = tuple(k for k in kinds if k != "hyphen-verso")
    for group in (musts, tuple(k for k in kinds if k not in musts)):
        if group:
            _rounds(session, reading, faults, width, budget, group, outcome)
    return outcome


def _free(outcome: Outcome, para: Paragraph, lines: list[int]) -> bool:
    """Whether the paragraph's window for these lines overlaps none it was mended in."""
    first, last = window(para, lines)
    taken = outcome.windows.get(id(para.element), [])
    return all(last <= a or b <= first for a, b in taken)


def _rounds(
    session: Any,
    reading: Reading,
    faults: list[quality.Fault],
    width: float,
    budget: int,
    kinds: tuple[str, ...],
    outcome: Outcome,
) -> None:
    reading.refresh(outcome.pages)  # the lines an earlier group set again
    todo = [(p, lines) for p, lines in _wanted(reading, faults, kinds) if _free(outcome, p, lines)]
    tried: dict[int, list[Candidate]] = {}
    for round_ in (0, 1, 2):
        found: list[Candidate] = []
        planned = outcome.lines
        for para, lines in todo:
            these = list(candidates(para, lines, round_))
            planned += sum(c.window[1] - c.window[0] for c in these)
            if planned > budget:
                break
            found += these
        if not found:
            break
        lay_out(session, reading, found, width)
        outcome.lines += sum(len(c.lines) for c in found)
        left = []
        for para, lines in todo:
            these = [c for c in found if c.paragraph is para]
            tried.setdefault(id(para.element), []).extend(these)
            chosen = best(para, these)
            if chosen is not None:
                splice(chosen)
                outcome.mended += 1
                _record(outcome, chosen)
            else:
                left.append((para, lines))
        todo = left
    if todo:
        reading.refresh(outcome.pages)
        mended = _pairs(session, reading, todo, tried, width, budget, outcome)
        for para, _ in todo:
            if id(para.element) not in mended:
                _last_resort(para, tried.get(id(para.element), []), outcome)


def _last_resort(para: Paragraph, tried: list[Candidate], outcome: Outcome) -> None:
    """A ladder nothing else mends (a narrow measure, long words) is mended with a looser line
    than the pass otherwise opens, if one is no looser than LADDER_LOOSER: a ladder is the
    worse fault of the two to a reader's eye, and the issue allows none."""
    before = score(para.lines, para.counts, para.sides)
    if not before.ladders:
        return
    chosen = best(para, tried, LADDER_LOOSER)
    if chosen is None:
        return
    after = score(chosen.all_lines() or [], para.counts, para.sides)
    if after.ladders < before.ladders and after.faults() <= before.faults():
        splice(chosen)
        outcome.mended += 1
        _record(outcome, chosen)


# --- a line gained here, given back on the same page ------------------------------------------
#
# A short paragraph often has no variant with its own line count that mends it: forbidding the
# word broken in a ladder sends a syllable on and the paragraph runs a line longer. That line
# can be given back by another paragraph of the same page that ends on it, set a little tighter
# (or, for a line lost, a little looser): the page keeps its lines, so no page break moves, and
# the blocks between the two shift by one line.

PARTNERS = 3  # paragraphs of the page tried as partners, those likeliest to give a line first
PARTNER_LINES = 10  # the last lines of a partner set again
# … and how full a partner's last line may be (share of the measure) to be worth trying: a
# nudge of 0.5 % over ten lines frees (or takes) a few letters, with what the breaks allow
LOSE_BELOW, GAIN_ABOVE = 0.4, 0.7


@dataclass
class Shifted:
    """A candidate whose paragraph changes its line count on one page (`page`, a PDF index):
    its pieces' new counts, and its new lines piece by piece."""

    candidate: Candidate
    page: int
    counts: list[int]
    lines: list[Line]
    key: tuple[float, ...]

    @property
    def paragraph(self) -> Paragraph:
        return self.candidate.paragraph

    def piece_lines(self, piece: int) -> list[Line]:
        start = sum(self.counts[:piece])
        return self.lines[start : start + self.counts[piece]]


def _line_height(lines: list[Line]) -> float | None:
    """The lines' one height, or None when they are not all alike."""
    heights = {round(line.bottom - line.top, 2) for line in lines}
    return heights.pop() if len(heights) == 1 else None


def _shifted(candidate: Candidate, page: int, limit: float | None = None) -> Shifted | None:
    """The candidate with its line more or fewer taken on `page`, if that leaves no piece of
    one line alone (a widow or an orphan) and, when `limit` is given, mends a fault of its
    paragraph without a line looser than that; else None."""
    para = candidate.paragraph
    lines = candidate.all_lines(shift=True)
    pages = [flow.index for flow, _ in para.pieces]
    if lines is None or candidate.delta == 0 or page not in pages:
        return None
    counts = para.counts
    counts[pages.index(page)] += candidate.delta
    if min(counts) < (2 if len(counts) > 1 else 1):
        return None
    start = sum(counts[: pages.index(page)])
    height = _line_height([*para.lines, *lines[start : start + counts[pages.index(page)]]])
    if height is None:
        return None
    after = score(lines, counts, para.sides)
    key = (*after.faults(), after.loose, candidate.cost, round(after.widest, 2))
    if limit is not None:
        before = score(para.lines, para.counts, para.sides)
        if after.faults() >= before.faults() or after.widest > limit:
            return None
    return Shifted(candidate, page, counts, lines, key)


def _fill(line: Line, block: Block) -> float:
    """How much of the measure a line's text fills."""
    texts = list(quality.text_boxes(line.box))
    if not texts or not block.box.width:
        return 1.0
    left = min(t.position_x for t in texts)
    right = max(t.position_x + t.width for t in texts)
    return float((right - left) / block.box.width)


def _partners(
    reading: Reading, page: int, gain: int, outcome: Outcome, busy: set[int]
) -> Iterator[Candidate]:
    """Variants of the paragraphs that end on the page, each setting its last lines a little
    tighter (to lose the line another gained: `gain` -1) or looser (to gain one)."""
    flow = reading.flows[page]
    pieces = paragraphs(reading)
    found: list[tuple[float, Paragraph, int]] = []
    for block in reading.text_blocks(flow):
        key = id(block.element)
        if block.preserved or key in busy:
            continue
        if key not in pieces or pieces[key][-1][0] is not flow:
            continue  # a paragraph that ends on the page only
        para = paragraph(reading, pieces[key])
        if para is None:
            continue
        first = max(len(para.lines) - len(block.lines), len(para.lines) - PARTNER_LINES)
        window = (first, len(para.lines))
        taken = outcome.windows.get(key, [])
        if any(not (window[1] <= a or b <= window[0]) for a, b in taken):
            continue
        fill = _fill(block.lines[-1], block)
        if (gain < 0 and fill < LOSE_BELOW) or (gain > 0 and fill > GAIN_ABOVE):
            found.append((fill if gain < 0 else -fill, para, first))
    found.sort(key=lambda f: f[0])
    for _, para, first in found[:PARTNERS]:
        start = para.starts[first]
        if start and para.flat[start - 1] == " ":
            start -= 1
        window = (first, len(para.lines))
        for value in ("-0.005em", "-0.0025em") if gain < 0 else ("0.005em", "0.0025em"):
            track = Span(start, len(para.flat), f"letter-spacing: {value}")
            yield Candidate(para, (track,), 2, window)
        if gain > 0 and len(para.lines) >= 2 and para.lines[-2].hyphenated:
            forbid = _forbid(para, len(para.lines) - 2)
            if forbid is not None:
                yield Candidate(para, (forbid,), 1, window)


def _page_state(reading: Reading, page: int, changed: dict[int, list[Line]]) -> tuple[int, int]:
    """A page's hyphen ladders and whether its last line ends in a hyphen (when the page
    does not end its chapter), with some paragraphs' lines on it replaced."""
    flow = reading.flows[page]
    flags: list[bool] = []
    for block in reading.text_blocks(flow):
        if not block.preserved:
            lines = changed.get(id(block.element), block.lines)
            flags += [line.hyphenated for line in lines]
    ladders = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        ladders += run == quality.LADDER + 1
    foot = int(bool(flags) and flags[-1] and not reading.ends_section(flow))
    return ladders, foot


def _pages_of(shifted: Shifted) -> dict[int, list[Line]]:
    """The new lines of each page the shifted candidate's window reaches."""
    para = shifted.paragraph
    out = {}
    for i, (flow, block) in enumerate(para.pieces):
        new = shifted.piece_lines(i)
        if [n.text for n in new] != [o.text for o in block.lines] or flow.index == shifted.page:
            out[flow.index] = new
    return out


def _pair_mends(reading: Reading, pair: list[Shifted]) -> bool:
    """Whether the pair (or one with room on its page) leaves fewer hyphen faults on the
    pages it touches, none more."""
    by_page: dict[int, dict[int, list[Line]]] = {}
    for shifted in pair:
        for page, new in _pages_of(shifted).items():
            by_page.setdefault(page, {})[id(shifted.paragraph.element)] = new
    before = [_page_state(reading, page, {}) for page in by_page]
    after = [_page_state(reading, page, changed) for page, changed in by_page.items()]
    worse = any(
        a > b for pa, pb in zip(after, before, strict=True) for a, b in zip(pa, pb, strict=True)
    )
    return not worse and after != before


def _pairs(
    session: Any,
    reading: Reading,
    todo: list[tuple[Paragraph, list[int]]],
    tried: dict[int, list[Candidate]],
    width: float,
    budget: int,
    outcome: Outcome,
) -> set[int]:
    """For each paragraph the rounds left faulty: its variants that mend it with a line more
    or fewer on one of its pages, and partners there to give that line back. The paragraphs
    mended (their ids) are returned."""
    plans: list[tuple[list[Shifted], list[Candidate]]] = []
    busy = {id(para.element) for para, _ in todo}
    planned = outcome.lines
    for para, _ in todo:
        before = score(para.lines, para.counts, para.sides)
        limit = max(before.widest, quality.LOOSE)
        pages = [flow.index for flow, _ in para.pieces]
        options = [
            s
            for c in tried.get(id(para.element), [])
            for page in pages
            if (s := _shifted(c, page, limit)) is not None
        ]
        options = sorted(options, key=lambda s: s.key)[:4]
        partners: list[Candidate] = []
        room = [s for s in options if _room(reading, s)]
        options = room or options  # a page with room needs no partner
        for page, delta in dict.fromkeys((s.page, s.candidate.delta) for s in options):
            if room:
                break
            partners += _partners(reading, page, -delta, outcome, busy)
        planned += sum(c.window[1] - c.window[0] for c in partners)
        if planned > budget:
            break
        plans.append((options, partners))
    found = [c for _, partners in plans for c in partners]
    if found:
        lay_out(session, reading, found, width)
        outcome.lines += sum(len(c.lines) for c in found)
    changed: set[int] = set()
    mended: set[int] = set()
    for options, partners in plans:
        for one in options:
            if one.page in changed:
                continue
            pair: list[Shifted] | None = [one] if _room(reading, one) else None
            if pair is None or not _pair_mends(reading, pair):
                other = _partner(reading, one, partners)
                pair = None if other is None else [one, other]
            if pair is not None:
                shift_splice(reading, pair)
                for shifted in pair:
                    _record(outcome, shifted.candidate)
                outcome.mended += 1
                mended.add(id(one.paragraph.element))
                changed.add(one.page)
                outcome.pages.add(one.page)
                break
    return mended


def _room(reading: Reading, shifted: Shifted) -> bool:
    """Whether the page has room for the line gained, or may lose one: its chapter ends on
    it (or a break the book asks for), with a whole empty line at least at its foot."""
    flow = reading.flows[shifted.page]
    delta = shifted.candidate.delta
    return reading.ends_section(flow) and (delta < 0 or reading.gap_lines(flow) >= delta)


def _partner(reading: Reading, one: Shifted, partners: list[Candidate]) -> Shifted | None:
    """The partner variant that gives back the line on the page and leaves no fault."""
    best_: tuple[tuple[float, ...], Shifted] | None = None
    for candidate in partners:
        if candidate.delta != -one.candidate.delta:
            continue
        other = _shifted(candidate, one.page)
        if other is None:
            continue
        para = candidate.paragraph
        before = score(para.lines, para.counts, para.sides)
        if other.key[:3] > before.faults() or other.key[-1] > max(before.widest, quality.LOOSE):
            continue
        if _line_height([*one.lines, *other.lines]) is None:
            continue
        if _pair_mends(reading, [one, other]) and (best_ is None or other.key < best_[0]):
            best_ = (other.key, other)
    return best_[1] if best_ else None


def _record(outcome: Outcome, candidate: Candidate) -> None:
    key = id(candidate.paragraph.element)
    outcome.edits[key] = (*outcome.edits.get(key, ()), *candidate.spans)
    outcome.windows.setdefault(key, []).append(candidate.window)
    outcome.pages.update(flow.index for flow, _ in candidate.paragraph.pieces)


def shift_splice(reading: Reading, pair: list[Shifted]) -> None:
    """The candidates' lines in the place of their paragraphs', the blocks between the two on
    the page moved by the line one gained and the other lost (or, for one alone, every block
    after it, into the room at the page's foot)."""
    pair = sorted(pair, key=lambda s: _order(reading, s))
    height = _line_height(pair[0].lines) or 0.0
    dy = pair[0].candidate.delta * height
    boxes = []
    for shifted in pair:
        _put(shifted)
        flow_piece = [b for f, b in shifted.paragraph.pieces if f.index == shifted.page]
        boxes.append(flow_piece[0].box)
    page_box = reading.document.pages[pair[0].page]._page_box
    _move_between(page_box, boxes[0], boxes[1] if len(boxes) > 1 else None, dy)


def _order(reading: Reading, shifted: Shifted) -> float:
    block = next(b for f, b in shifted.paragraph.pieces if f.index == shifted.page)
    return float(block.box.position_y)


def _put(shifted: Shifted) -> None:
    """The shifted candidate's lines in its pieces: line for line on the pages whose count
    stays, and restacked from the top of the piece on the page whose count changes."""
    candidate = shifted.candidate
    para = candidate.paragraph
    variant_element = candidate.lines[0][1].element if candidate.lines else None
    variant = {id(line): box for line, box in candidate.lines}
    height = _line_height(shifted.lines) or 0.0
    for i, (_, block) in enumerate(para.pieces):
        new = shifted.piece_lines(i)
        same = len(new) == len(block.box.children)
        if same and [n.text for n in new] == [o.text for o in block.lines]:
            continue
        top = block.box.children[0].position_y
        children = []
        for k, line in enumerate(new):
            box = variant.get(id(line))
            y = block.box.children[k].position_y if same else top + k * height
            if box is None:  # a line of the book's own
                line.box.translate(0, y - line.box.position_y)
            else:
                dx = block.box.content_box_x() - box.content_box_x()
                line.box.translate(dx, y - line.box.position_y)
                _retarget(line.box, variant_element, para.element)
            children.append(line.box)
        block.box.height += (len(new) - len(block.box.children)) * height
        block.box.children = children


def _move_between(box: Any, first: Any, second: Any | None, dy: float) -> None:
    """Move by dy every box after `first` up to and with `second` (to the end of the main
    flow, without one) in the page's order, and make the boxes holding only one of them
    longer or shorter by that."""
    from weasyprint.formatting_structure import boxes

    state = {"between": False}
    holders_first = _holders(box, first)
    holders_second = _holders(box, second) if second is not None else set()

    def visit(b: Any) -> None:
        if b is first:
            state["between"] = True
            return
        if second is not None and b is second:
            b.translate(0, dy)
            state["between"] = False
            return
        one, two = id(b) in holders_first, id(b) in holders_second
        if isinstance(b, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            return
        if not one and not two:
            if state["between"]:
                b.translate(0, dy)
            return
        if one and not two:
            b.height += dy
        elif two and not one:
            b.position_y += dy
            b.height -= dy
        for child in getattr(b, "children", ()) or ():
            visit(child)

    visit(box)


def _holders(box: Any, target: Any) -> set[int]:
    """The ids of the boxes that hold `target`, from `box` (itself one of them) down."""
    path: list[Any] = []

    def find(b: Any) -> bool:
        if b is target:
            return True
        for child in getattr(b, "children", ()) or ():
            if find(child):
                path.append(b)
                return True
        return False

    find(box)
    return {id(b) for b in path}
