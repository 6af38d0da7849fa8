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

What this pass cannot mend (a variant that keeps the line count and drops the fault does not
exist) is left to the page pass, or to the report.
"""

from __future__ import annotations

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
VARIANTS_CSS = "section { break-before: auto !important; }\n"


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

    def all_lines(self) -> list[Line] | None:
        """The paragraph's lines with the window's new ones, or None when the window does not
        fall back into step with the lines the book set (then the rest would move)."""
        first, last = self.window
        new = [line for line, _ in self.lines]
        old = self.paragraph.lines
        if len(new) != last - first:
            return None
        if self.cut and not any(
            [n.text for n in new[j:]] == [o.text for o in old[first + j : last]]
            for j in range(self.edited - first, len(new) - 1)
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
    down (a body, perhaps a block quotation), or None: a `<p>` of a chapter's body holding no
    footnote, picture, line break, link inside the book or anchor (their boxes live elsewhere
    or must keep their identity)."""
    if tag(element) != "p":
        return None
    for el in element.iter():
        if el is not element and (
            tag(el) in {"img", "br", "svg"}
            # a link out of the book keeps its address in any layout; one inside it may not
            or (tag(el) == "a" and not str(el.get("href") or "").startswith(("http:", "https:")))
            or el.get("id")
            or "footnote" in (el.get("class") or "")
        ):
            return None
    chain: list[Any] = []
    for el in reading.ancestors(reading.parent(element)):
        chain.insert(0, el)
        if tag(el) == "section":
            break
        if tag(el) not in {"div", "blockquote"}:
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
    starts = fragments.line_starts(flat, [line.text for line in lines])
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
    nudges; round 1 (for what round 0 left): half nudges, and a word forbidden with a nudge."""
    first, last = window(para, lines)
    start = para.starts[first]
    if start and para.flat[start - 1] == " ":
        start -= 1  # with the space the line starts after: a break at a span's very edge
        # may be missed by WeasyPrint, and the line before it set otherwise
    # in a window cut before the paragraph's end, the nudge stops after the faulty lines
    end = para.starts[max(lines) + 1] if last < len(para.lines) else len(para.flat)
    forbidden = [s for s in (_forbid(para, k) for k in sorted(set(lines))) if s is not None]
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
                # from and to whole words: a span's edge inside a word changes its hyphenation
                a = fragments.word_at(para.flat, para.starts[k])[0]
                b = fragments.word_at(para.flat, para.starts[k + 1])[1]
                for value in TRACKING[::3]:
                    nudge = Span(max(0, a - 1), b, f"letter-spacing: {value}")
                    yield Candidate(para, (nudge,), 2, (first, last))


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


def best(para: Paragraph, found: list[Candidate]) -> Candidate | None:
    """The candidate with the fewest faults that keeps the line count, if it has fewer than
    the paragraph had and opens no much looser line."""
    before = score(para.lines, para.counts, para.sides)
    chosen: tuple[tuple[float, ...], Candidate] | None = None
    for candidate in found:
        lines = candidate.all_lines()
        if lines is None:
            continue
        after = score(lines, para.counts, para.sides)
        if after.faults() >= before.faults():
            continue
        if after.widest > max(before.widest, quality.LOOSE) + LOOSER:
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
    todo = [(p, lines) for p, lines in _wanted(reading, faults, kinds) if _free(outcome, p, lines)]
    for round_ in (0, 1):
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
            chosen = best(para, [c for c in found if c.paragraph is para])
            if chosen is not None:
                splice(chosen)
                outcome.mended += 1
                key = id(para.element)
                outcome.edits[key] = (*outcome.edits.get(key, ()), *chosen.spans)
                outcome.windows.setdefault(key, []).append(chosen.window)
                outcome.pages.update(flow.index for flow, _ in para.pieces)
            else:
                left.append((para, lines))
        todo = left
