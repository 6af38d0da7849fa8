"""The second layout pass, page by page: a fault the line pass cannot mend — a word broken at the
foot of a page, a short page — is mended by making one spread a line longer or shorter (both
of its pages alike, as a typesetter does), and laying out again the rest of that chapter only.

The rest of a chapter can be laid out alone: every line break depends only on where its line
starts, and the spread's first page starts at a known place (a block of the chapter's body, a
line of a listing, or a known character of a paragraph). That place and all that follows it in
the chapter, with the line pass's edits, make a small document laid out in the book's own style
sheets (the layout's session), one spread's `margin-bottom` changed by one line. A candidate is kept only if the
chapter keeps its page count — so no later folio, contents entry or blank verso changes — and
its pages have fewer faults, the one aimed at gone (or as many, the one aimed at carried on to
a later spread, which is tried in its turn). Its pages then take the place of the old ones' text
blocks; the old running heads and folios stay, the folios of the changed spread moving with its
foot; and they are read again, so a later fault of the same chapter can be mended too.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any

from octavo.book.pages import is_footnote
from octavo.print import fragments, quality
from octavo.print.fragments import Span
from octavo.print.quality import Fault, Reading, tag

WEIGHTS = {  # how much each fault counts when a candidate's pages are weighed against the old
    "widow": 3,
    "orphan": 3,
    "hyphen-ladder": 2,
    "hyphen-recto": 3,
    "hyphen-verso": 1,
    "short-page": 2,
    "stranded": 3,
    "split-table": 2,
    "picture-hole": 3,
}
AIMED = ("hyphen-recto", "short-page", "hyphen-verso")  # in this order
MILD = frozenset({"hyphen-verso"})  # not worth laying out a whole chapter's rest again for
REF = "data-octavo-ref"  # which element of the book a block of the candidate is
# Blocks a rest may start inside of, opened again around what follows: a listing's lines are
# blocks of their own (source/code.py), so a listing cut between two lines goes on as one.
REOPENED = frozenset({"blockquote", "div", "pre", "code"})


@dataclass
class Rest:
    """The rest of a chapter from a spread on: pages [first, last] of the book, as HTML whose
    elements name their originals (`REF`)."""

    chapter: str
    first: int
    last: int
    html: str
    originals: list[Any]
    cut: bool = False  # the HTML stops a block after page `last`: the pages after are dropped
    settle: int = 0  # a cut rest: the first page after which it may rejoin the book

    @property
    def length(self) -> int:
        return self.last - self.first + 1


def _chapter_end(reading: Reading, page: int) -> int:
    chapter = reading.flows[page].chapter
    last = page
    while last + 1 < len(reading.flows):
        following = reading.flows[last + 1]
        if following.blank or following.chapter != chapter:
            break
        last += 1
    return last


def _referenced(element: Any, originals: list[Any]) -> Any:
    """A copy of element whose elements carry the index of their original in `originals`."""
    copied = copy.deepcopy(element)
    for original, twin in zip(element.iter(), copied.iter(), strict=True):
        twin.set(REF, str(len(originals)))
        originals.append(original)
    copied.tail = None
    return copied


def _whole(element: Any, originals: list[Any], edits: dict[int, tuple[Span, ...]]) -> str:
    """An element as HTML with its references, each edited paragraph in it written with its
    spans (fragments.serialize)."""
    from xml.etree import ElementTree

    twin = _referenced(element, originals)
    written: dict[str, str] = {}
    for original, copied in list(zip(element.iter(), twin.iter(), strict=True)):
        spans = edits.get(id(original))
        if spans:
            marker = f"octavo-edited-{id(original)}"
            written[marker] = fragments.serialize(copied, spans, 0, dict(copied.attrib))
            copied.clear()
            copied.text = marker
    text = ElementTree.tostring(twin, encoding="unicode", method="html")
    for marker, html in written.items():  # the marked paragraph, tags and all, replaced
        at = text.index(marker)
        start = text.rindex("<", 0, at)
        end = text.index(">", at) + 1
        text = text[:start] + html + text[end:]
    return text


def rest_of_chapter(
    reading: Reading,
    page: int,
    edits: dict[int, tuple[Span, ...]],
    lines_before: int,
    until: int | None = None,
) -> Rest | None:
    """The chapter from the top of `page` on — to page `until` and a block beyond, if given —
    or None when the page starts where it cannot be cut (inside a block that is neither a
    paragraph nor a block of paragraphs)."""
    flow = reading.flows[page]
    if flow.chapter is None or not flow.blocks:
        return None
    element = flow.blocks[0].element
    chain = list(reading.ancestors(element))
    section = next((a for a in chain if tag(a) == "section"), None)
    if section is None:
        return None
    originals: list[Any] = []
    if _opener(reading, page) and until is None:  # the whole chapter, section and title
        html = _whole(section, originals, edits)
        return Rest(flow.chapter, page, _chapter_end(reading, page), html, originals)
    body = next((a for a in chain if "chapter-body" in (a.get("class") or "")), None)
    if body is None or _opener(reading, page):
        return None
    stop = _stop(reading, body, until) if until is not None else len(body)
    # the page's first block, then what follows it at each level up to the body
    inner = chain[: chain.index(body)]
    first = (
        _cut_paragraph(reading, element, originals, edits, lines_before)
        if reading.first_page[id(element)] < page
        else _whole(element, originals, edits)
    )
    if first is None:
        return None
    html = first
    for child, parent in zip(inner, [*inner[1:], body], strict=True):
        siblings = list(parent)
        end = stop if parent is body else len(siblings)
        html += "".join(
            _whole(s, originals, edits) for s in siblings[siblings.index(child) + 1 : end]
        )
        if parent is not body:
            if tag(parent) not in REOPENED:
                return None  # a list or a table cut in the middle: not attempted
            html = _reopened(parent, originals, html)
    classes = section.get("class") or "chapter"
    html = (
        f'<section class="{classes}" aria-labelledby="{flow.chapter}">'
        f'<div class="chapter-body"><i style="display:none"></i>{html}</div></section>'
    )
    if until is not None:
        return Rest(flow.chapter, page, until, html, originals, cut=True, settle=until)
    return Rest(flow.chapter, page, _chapter_end(reading, page), html, originals)


def _stop(reading: Reading, body: Any, until: int) -> int:
    """Where in the body a rest cut after page `until` stops (exclusive): after the block the
    next page starts in and one more, so the breaks around that page are decided as in the
    book (a heading kept with what follows, a paragraph's last two lines together)."""
    following = reading.flows[until + 1]
    element = following.blocks[0].element
    top = next(a for a in reading.ancestors(element) if reading.parent(a) is body)
    return list(body).index(top) + 2


def _reopened(block: Any, originals: list[Any], inner: str) -> str:
    """A block that began on an earlier page, open again around what follows: without the
    space, border and padding above it (they stayed on its first page)."""
    attrs = {k: v for k, v in block.attrib.items() if k != "id"}
    attrs[REF] = str(len(originals))
    originals.append(block)
    attrs["style"] = "; ".join(
        s for s in (attrs.get("style", ""), "margin-top: 0; padding-top: 0; border-top: 0") if s
    )
    return f"{fragments.open_tag(block, attrs)}{inner}</{tag(block)}>"


def _cut_paragraph(
    reading: Reading,
    element: Any,
    originals: list[Any],
    edits: dict[int, tuple[Span, ...]],
    lines_before: int,
) -> str | None:
    """A paragraph that began on an earlier page, from its first character on this one:
    flush, and with no anchor inside (its anchors belong to the earlier page)."""
    if tag(element) != "p":
        return None
    if any(el.get("id") or "footnote" in (el.get("class") or "") for el in element.iter()):
        return None
    lines = [
        line.text
        for flow in reading.flows
        for block in flow.blocks
        if block.element is element
        for line in block.lines
    ]
    flat = fragments.flat_text(element)
    starts = fragments.line_starts(flat, lines)
    if starts is None or lines_before >= len(starts):
        return None
    twin = _referenced(element, originals)
    attrs = dict(twin.attrib)
    attrs["style"] = "; ".join(
        s for s in (attrs.get("style", ""), "text-indent: 0", "margin-top: 0") if s
    )
    return fragments.serialize(twin, edits.get(id(element), ()), starts[lines_before], attrs)


# --- laying the rest out with one spread changed --------------------------------------------


def rest_document(session: Any, reading: Reading, rest: Rest, margins: dict[int, float]) -> Any:
    """Lay the rest out, the pages given (book page indices) with these bottom margins (px).
    A document's first page is a recto: a rest that starts on a verso gets an empty page
    first, dropped here."""
    verso = reading.flows[rest.first].side == "left"
    skip = 1 if verso else 0
    extra = f"section {{ break-before: {'left' if verso else 'right'} !important; }}\n"
    # footnotes are numbered through the book: the rest's go on from those before it (added
    # to a unit's own start, units.unit_css)
    notes = _notes_before(reading, rest.originals[0]) if rest.originals else 0
    if notes:
        extra += f"body {{ counter-increment: footnote {notes}; }}\n"
    for page, margin in margins.items():
        extra += (
            f"@page :nth({page - rest.first + 1 + skip}) {{ margin-bottom: {margin:.3f}px; }}\n"
        )
    root_body = next(el for el in reading.root if tag(el) == "body")
    language = str(reading.root.get("lang") or "en")
    source = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"></head>'
        f'<body class="{root_body.get("class") or ""}">{"<div></div>" if verso else ""}'
        f"{rest.html}</body></html>"
    )
    document = session.render(source, extra)
    if skip:
        document.pages = document.pages[1:]
    return document


def _notes_before(reading: Reading, first: Any) -> int:
    """The footnote calls of the document before an element, in document order."""
    count = 0
    for element in reading.root.iter():
        if element is first:
            return count
        if is_footnote(element):
            count += 1
    return count


def weight(faults: list[Fault]) -> int:
    return sum(WEIGHTS.get(f.kind, 0) for f in faults)


def _text(document: Any, pages: range) -> str:
    """The text the pages show, without the spaces and hyphens layout adds or takes."""
    from weasyprint.formatting_structure import boxes

    found: list[str] = []

    def visit(box: Any) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.TextBox):
            found.append(box.text)
        for child in getattr(box, "children", ()) or ():
            visit(child)

    for index in pages:
        visit(document.pages[index]._page_box)
    return re.sub(r"[\u2010\s\u00ad]", "", "".join(found))


def splice(document: Any, rest: Rest, candidate: Any, moves: dict[int, float]) -> None:
    """The candidate's text blocks in the place of the old pages'; the old running heads and
    folios stay, the folios of a changed spread moved with its foot (`moves`: page → px)."""
    from weasyprint.document import Page
    from weasyprint.formatting_structure import boxes

    for i, new in enumerate(candidate.pages[: rest.length]):
        index = rest.first + i
        old_box = document.pages[index]._page_box
        new_box = new._page_box
        margins = [c for c in old_box.children if isinstance(c, boxes.MarginBox)]
        if moves.get(index):
            for box in margins:
                if str(box.at_keyword).startswith("@bottom"):
                    box.translate(0, moves[index])
        for box in new_box.descendants():
            ref = getattr(box, "element", None)
            if ref is not None and ref.get(REF) is not None:
                box.element = rest.originals[int(ref.get(REF))]
        _keep_root(old_box, new_box)
        old_box.children = [c for c in new_box.children if not isinstance(c, boxes.MarginBox)]
        old_box.children += margins
        old_box.height = new_box.height
        old_box.margin_bottom = new_box.margin_bottom
        document.pages[index] = Page(old_box)


def _keep_root(old_box: Any, new_box: Any) -> None:
    """The new page's html and body boxes stand for the book's own elements, as its blocks do:
    a survey reads a document's parts from its first page's root (a unit's opening recto is
    the first page when the pass sets it again)."""
    from weasyprint.formatting_structure import boxes

    def html_and_body(page_box: Any) -> list[Any]:
        html = next((c for c in page_box.children if not isinstance(c, boxes.MarginBox)), None)
        if html is None:
            return []
        body = next((c for c in html.children if getattr(c, "element_tag", "") == "body"), None)
        return [html] + ([body] if body is not None else [])

    for old, new in zip(html_and_body(old_box), html_and_body(new_box), strict=False):
        new.element = old.element


# --- the pass -------------------------------------------------------------------------------


@dataclass
class Outcome:
    tried: int = 0
    kept: int = 0
    pages: int = 0  # pages laid out again
    kept_faults: list[str] = field(default_factory=list)
    # book page → how far its foot moved (px, down for a longer page): whoever draws the
    # folios apart from the text (a frame) moves them as much
    feet: dict[int, float] = field(default_factory=dict)


def _spread(reading: Reading, page: int) -> tuple[int, ...] | None:
    """The pages of the spread a page is on that belong to its chapter's running text: both,
    or a chapter's opening recto alone (it faces a blank page or the last of another chapter,
    and prints no folio: its foot can move without a spread's feet falling out of line)."""
    flow = reading.flows[page]
    verso = page - 1 if flow.side == "right" else page
    pair = (verso, verso + 1)
    if (
        verso >= 0
        and verso + 1 < len(reading.flows)
        and all(
            reading.flows[p].chapter == flow.chapter and reading.body_page(reading.flows[p])
            for p in pair
        )
    ):
        return pair
    # a unit of the book (units.py) begins with its opening recto, which has no verso there
    if flow.side == "right" and _opener(reading, page):
        return (page,)
    return None


def _opener(reading: Reading, page: int) -> bool:
    """Whether the page is the first of its chapter (its section starts on it)."""
    flow = reading.flows[page]
    return any(tag(b.element) == "h1" for b in flow.blocks) and (
        page == 0 or reading.flows[page - 1].chapter != flow.chapter
    )


def _changes(reading: Reading, fault: Fault, spread: tuple[int, ...]) -> list[int]:
    """The changes of the spread's length (in lines) worth laying out for a fault, the likelier
    first. A word broken at a page's foot: a shorter or a longer spread, whichever leaves a
    line without a hyphen there. A short page: a shorter spread takes its gap's lines (two from
    a recto, whose verso gives it one more), a longer one makes room for what would not fit."""
    if fault.kind != "short-page":
        return [c for c in (-1, 1) if _promising(reading, fault.page, spread, c)]
    crossing = spread.index(fault.page) + 1
    gap = reading.gap_lines(reading.flows[fault.page])
    need = _kept_together(reading, fault.page + 1)
    found = []
    if gap - crossing <= quality.SHORT_LINES:
        found.append(-1)
    if need is None or gap + crossing >= need:
        found.append(1)
    return found


def _kept_together(reading: Reading, page: int) -> float | None:
    """Lines the first blocks of a page need together: those a break may not separate (a
    heading and what follows, a scene break and what is around it), and two lines of the
    paragraph that ends the group (its orphans)."""
    if page >= len(reading.flows):
        return None
    blocks = reading.flows[page].blocks
    need = 0.0
    for block, following in zip(blocks, [*blocks[1:], None], strict=True):
        after = reading.breaks.get(id(block.element), {}).get("break_after")
        before = "auto"
        if following is not None:
            before = reading.breaks.get(id(following.element), {}).get("break_before", "auto")
        if following is not None and "avoid" in (after, before):
            need += (block.bottom - block.top) / reading.line_height
            continue
        return need + (min(2, len(block.lines)) if block.lines and need else 1)
    return None


def _page_lines(reading: Reading, page: int) -> list[quality.Line]:
    flow = reading.flows[page]
    return [line for block in reading.text_blocks(flow) for line in block.lines]


def _promising(reading: Reading, page: int, spread: tuple[int, ...], change: int) -> bool:
    """Whether the page's new last line, were the lines to stay as they are and only the
    breaks between pages move, would end without a hyphen. A spread a line shorter pushes a
    line on from each of its pages, one a line longer pulls one up to each."""
    pushed = spread.index(page) + 1  # lines that cross the page's foot
    lines = _page_lines(reading, page)
    if change < 0:
        index = len(lines) - 1 - pushed
        return index < 0 or not lines[index].hyphenated
    following = _page_lines(reading, page + 1) if page + 1 < len(reading.flows) else []
    index = pushed - 1
    return index >= len(following) or not following[index].hyphenated


def _lines_before(reading: Reading, page: int) -> int:
    """How many lines of the page's first paragraph earlier pages show."""
    element = reading.flows[page].blocks[0].element
    return sum(
        len(block.lines)
        for flow in reading.flows[:page]
        for block in flow.blocks
        if block.element is element
    )


def mend(
    reading: Reading,
    session: Any,
    faults: list[Fault],
    edits: dict[int, tuple[Span, ...]],
    budget: int,
    short: int = 0,
) -> Outcome:
    """One spread a line longer or shorter for each fault that it mends, within `budget`
    pages laid out again (and `short` more for short pages); no spread changed twice. `reading` is the book's pages as they are:
    the pages a kept change laid out again are read again, and the faults left on them (or
    new there) are tried in their turn, so two faults of one chapter can both be mended."""
    outcome = Outcome()
    faults = list(faults)
    tried: set[tuple[str, int]] = set()
    while True:
        fault = next((f for f in _aimed(faults) if (f.kind, f.page) not in tried), None)
        if fault is None:
            return outcome
        tried.add((fault.kind, fault.page))
        spread = _spread(reading, fault.page)
        if spread is None or any(p in outcome.feet for p in spread):
            continue  # a spread changes by one line at most
        allowed = budget + (short if fault.kind == "short-page" else 0)
        kept = _mend_one(reading, session, faults, edits, allowed, outcome, fault, spread)
        if kept is not None:
            reading.refresh(range(kept.first, kept.last + 1))
            fresh = quality.faults(reading, range(kept.first, kept.last + 1))
            faults = [f for f in faults if not kept.first <= f.page <= kept.last] + fresh


def _aimed(faults: list[Fault]) -> list[Fault]:
    return sorted((f for f in faults if f.kind in AIMED), key=lambda f: AIMED.index(f.kind))


def _mend_one(
    reading: Reading,
    session: Any,
    faults: list[Fault],
    edits: dict[int, tuple[Span, ...]],
    budget: int,
    outcome: Outcome,
    fault: Fault,
    spread: tuple[int, ...],
) -> Rest | None:
    """The first change of the spread, and plan for it, that mends the fault and is kept (its
    pages spliced into the book), within the budget; the rest it laid out again, or None. The
    cheaper plan of each change comes first, then the dearer ones (the whole rest of the
    chapter), which a word broken across a spread, the mildest fault, is not worth."""
    document = reading.document
    each = [
        [(change, plan) for plan in _plans(reading, edits, spread, change, outcome.feet)]
        for change in _changes(reading, fault, spread)
    ]
    tries = [plans[0] for plans in each if plans]
    if fault.kind not in MILD:
        tries += [t for plans in each for t in plans[1:]]
    for change, (rest, moves) in tries:
        if outcome.pages + rest.length + rest.cut > budget:
            continue  # too dear: a cheaper plan, or fault, may still fit
        margins = {
            p: float(document.pages[p]._page_box.margin_bottom) - by for p, by in moves.items()
        }
        # a page an earlier change moved the foot of keeps it when laid out again
        for p in range(rest.first, rest.last + 1):
            if p in outcome.feet and p not in margins:
                margins[p] = float(document.pages[p]._page_box.margin_bottom)
        candidate = rest_document(session, reading, rest, margins)
        outcome.tried += 1
        outcome.pages += len(candidate.pages)
        last = _rejoin(candidate, document, rest)
        if last is None:
            continue  # the line was not taken back: the pages after would move
        rest = replace(rest, last=last)
        old = [f for f in faults if rest.first <= f.page <= rest.last]
        if not _keeps(candidate, rest, reading, fault, old, {*outcome.feet, *moves}):
            continue
        splice(document, rest, candidate, moves)
        outcome.feet.update(moves)
        outcome.kept += 1
        outcome.kept_faults.append(f"{fault.kind} p{fault.page} {change:+d}")
        return rest
    return None


COMPENSATE = 5  # a rest of more pages than this is cut after the spread that takes it back


def _plans(
    reading: Reading,
    edits: dict[int, tuple[Span, ...]],
    spread: tuple[int, ...],
    change: int,
    moved: dict[int, float],
) -> list[tuple[Rest, dict[int, float]]]:
    """What to lay out again for a spread changed by `change` lines, and each page's foot's
    move (px), the cheaper first: when the rest of the chapter is long, the spread and the one
    after it changed the other way, which takes the line back so the pages after them stay;
    then the rest of the chapter, whose last page takes up the line (a spread after may not
    take it back: a heading or a listing that will not break where the line falls). `moved`:
    the pages whose feet earlier changes moved."""
    first = spread[0]
    lines_before = _lines_before(reading, first)
    rest = rest_of_chapter(reading, first, edits, lines_before)
    if rest is None:
        return []
    by = change * reading.line_height
    moves = dict.fromkeys(spread, by)
    plans = [(rest, moves)]
    after = (spread[-1] + 1, spread[-1] + 2)
    if (
        rest.length > COMPENSATE
        and len(spread) == 2
        and _spread(reading, after[0]) == after
        and after[1] < rest.last
        and not any(p in moved for p in after)  # changed once already
    ):
        until = min(after[1] + 2, rest.last - 1)  # room to rejoin a page or two later
        cut = rest_of_chapter(reading, first, edits, lines_before, until=until)
        if cut is not None:
            plans.insert(0, (replace(cut, settle=after[1]), {**moves, **dict.fromkeys(after, -by)}))
    return plans


def _rejoin(candidate: Any, document: Any, rest: Rest) -> int | None:
    """The book page after which the candidate shows just what the book does — so the pages
    after it are the book's own — or None. A whole rest must show the same words, every one
    (a safety net); a cut one may rejoin the book after any page from its `settle` on."""
    if len(candidate.pages) < rest.length:
        return None  # it lost a page: the pages after would move
    if not rest.cut:
        same = _text(candidate, range(rest.length)) == _text(
            document, range(rest.first, rest.last + 1)
        )
        return rest.last if same else None
    mine = theirs = ""
    for i in range(min(len(candidate.pages), rest.length)):
        mine += _text(candidate, range(i, i + 1))
        theirs += _text(document, range(rest.first + i, rest.first + i + 1))
        if rest.first + i >= rest.settle and mine == theirs:
            return rest.first + i
    return None


def _keeps(
    candidate: Any,
    rest: Rest,
    reading: Reading,
    fault: Fault,
    old: list[Fault],
    fixed: set[int],
) -> bool:
    """Whether a candidate keeps the chapter's pages and sides (a cut rest: has its pages, and
    more) and has fewer faults, the one aimed at gone; or as many, the one aimed at moved on
    to a later page whose spread may still change (none of `fixed`, the pages whose feet moved
    or move now): the pass tries it there in its turn, as a typesetter carries a short page on
    to where a heading or a listing lets it be taken up."""
    if len(candidate.pages) < rest.length or (len(candidate.pages) > rest.length and not rest.cut):
        return False
    first_side = candidate.pages[0]._page_box.page_type.side
    if first_side != reading.flows[rest.first].side:
        return False
    found = quality.faults(Reading(candidate, reading.book), range(rest.length))
    target = fault.page - rest.first
    if any(f.kind == fault.kind and f.page == target for f in found):
        return False
    if weight(found) < weight(old):
        return True
    same = [f.page + rest.first for f in found if f.kind == fault.kind]
    return (
        weight(found) == weight(old)
        and len(same) == sum(f.kind == fault.kind for f in old)
        and all(p > max(fixed) and not {p - 1, p, p + 1} & fixed for p in same)
    )
