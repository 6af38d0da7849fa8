"""The second layout pass: after the book is laid out, the page-quality report finds its faults
and the passes that can mend them without moving any page they do not own run in turn: the
line pass (repair.py) sets faulty paragraphs again line for line, then the page pass
(spreads.py) makes a spread a line longer or shorter and lays out the rest of its chapter
again. The pages are changed in place; what was done is returned, for the bench and the tests.

Both passes are bounded: the line pass by lines of variants, the page pass by pages laid out
again, each a share of the book's (bench/quality.py measures what they cost).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from octavo.book.model import Book
from octavo.print import quality, repair, spreads
from octavo.print.geometry import Geometry

# Variant lines the line pass may lay out, as a share of the book's lines: a line of a variant
# costs about what a line of the book does, so this bounds the pass's time (bench/quality.py).
LINE_BUDGET = 0.16
PAGE_BUDGET = 0.12  # pages the page pass may lay out again, as a share of the book's
# … and at least this much, however short the book (a short book lays out in seconds)
LEAST_LINES, LEAST_PAGES = 400, 16
# Short pages may take this much more of the book's pages: a short page is a fault the report
# allows nowhere but at a chapter's end, a broken word at a page's foot one a reader forgives
# more readily (the Rustonomicon's short pages took 0.19 of its pages in the modern theme; Pride
# and Prejudice, with none, keeps the pass's cost of hyphens alone)
SHORT_BUDGET = 0.12


@dataclass
class Outcome:
    before: list[quality.Fault] = field(default_factory=list)
    lines: repair.Outcome = field(default_factory=repair.Outcome)
    pages: spreads.Outcome = field(default_factory=spreads.Outcome)
    seconds: float = 0.0  # CPU time of the whole pass, report included
    steps: dict[str, float] = field(default_factory=dict)  # CPU time of each step


def run(document: Any, book: Book, session: Any, geometry: Geometry) -> Outcome:
    start = clock = time.process_time()
    outcome = Outcome()

    def step(name: str) -> None:
        nonlocal clock
        now = time.process_time()
        outcome.steps[name] = now - clock
        clock = now

    reading = quality.Reading(document, book)
    outcome.before = found = quality.faults(reading)
    step("report")
    lines = sum(len(b.lines) for flow in reading.flows for b in flow.blocks)
    budget = max(int(LINE_BUDGET * lines), LEAST_LINES)
    outcome.lines = repair.mend(session, reading, found, geometry.trim.width, budget)
    _regather(document, outcome.lines.pages)
    step("lines")
    if any(f.kind in spreads.AIMED for f in found):
        reading.refresh(outcome.lines.pages)  # the pages whose lines the line pass changed
        left = quality.faults(reading)
        step("report again")
        budget = max(int(PAGE_BUDGET * len(document.pages)), LEAST_PAGES)
        short = int(SHORT_BUDGET * len(document.pages))
        outcome.pages = spreads.mend(reading, session, left, outcome.lines.edits, budget, short)
        step("pages")
        if outcome.pages.kept:
            _lines_again(document, reading, session, geometry, outcome)
            step("lines again")
    outcome.seconds = time.process_time() - start
    return outcome


def _lines_again(
    document: Any, reading: quality.Reading, session: Any, geometry: Geometry, outcome: Outcome
) -> None:
    """The line pass once more, on what the page pass left: a chapter laid out again from a
    spread on may break a word at the foot of a later page (it was weighed against the fault
    it mended), and the line pass mends that in its paragraph, with what is left of its
    budget."""
    reading.refresh(range(len(document.pages)))
    left = [f for f in quality.faults(reading) if f.kind in repair.LINE_FAULTS]
    lines = sum(len(b.lines) for flow in reading.flows for b in flow.blocks)
    budget = max(int(LINE_BUDGET * lines), LEAST_LINES) - outcome.lines.lines
    if not left or budget <= 0:
        return
    again = repair.mend(session, reading, left, geometry.trim.width, budget)
    _regather(document, again.pages)
    done = outcome.lines
    done.mended += again.mended
    done.lines += again.lines
    done.pages |= again.pages
    for key, spans in again.edits.items():
        done.edits[key] = (*done.edits.get(key, ()), *spans)


def _regather(document: Any, pages: set[int]) -> None:
    """A WeasyPrint page gathers its links, anchors and bookmarks from its boxes when it is
    made: the pages whose lines the line pass replaced are made again from their (changed)
    boxes, or a link out of a mended paragraph would keep the place of its old words."""
    from weasyprint.document import Page

    for index in pages:
        document.pages[index] = Page(document.pages[index]._page_box)
