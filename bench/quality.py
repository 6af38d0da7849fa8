"""The page-quality report and what the second layout pass costs and mends (issue 12).

    .venv/bin/python bench/quality.py [BOOK_FOLDER ...] [--themes classic,modern] [--repeat N]

For each book (default: the shared Pride and Prejudice) in each theme, the print interior is
laid out without the second pass and with it, alternately, `--repeat` times (default 2), in this
process: CPU time of each (the machine is shared; CPU time stretches much less than wall time
with other people's load), the pass's own steps, and the faults of each kind before and after.
Loose lines are counted twice: over the report's 2.5 × the normal space, and over 2 ×.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from octavo import themes
from octavo.book.model import Book
from octavo.print import quality
from octavo.print.layout import Layout, Pace, layout
from octavo.print.printers import PrintRequest, print_options
from octavo.source.load import load_book

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT_BOOKS = (SHARED / "pride-and-prejudice",)


def lay_out(book: Book, theme: str, repair: bool) -> tuple[Layout, float]:
    styled = replace(book, config=replace(book.config, theme=theme))
    found = themes.load(theme, book.config.root)
    options = print_options(styled.config, PrintRequest())[0]
    start = time.process_time()
    # as one document, as `octavo check` lays it out: the report reads its page boxes
    made = layout(styled, found, options, Pace(whole=True), repair=repair)
    return made, time.process_time() - start


def counts(made: Layout, book: Book) -> tuple[dict[str, int], int]:
    reading = quality.Reading(made.document, book)
    return quality.counts(quality.faults(reading)), quality.loose_lines(reading)


def measure(folder: Path, theme: str, repeat: int) -> None:
    book = load_book(folder)
    plain: list[float] = []
    mended: list[float] = []
    for _ in range(repeat):
        # each layout starts with no other in memory: a whole book's boxes left alive make the
        # garbage collector's rounds dearer, and would bill the run after them (by about 2 s
        # of P&P's 12, always the run with the pass, which came second)
        gc.collect()
        without, seconds = lay_out(book, theme, repair=False)
        plain.append(seconds)
        before, loose_before = counts(without, book)
        del without
        gc.collect()
        with_pass, seconds = lay_out(book, theme, repair=True)
        mended.append(seconds)
        after, loose_after = counts(with_pass, book)
        outcome, pages = with_pass.mended, with_pass.pages
        left = [f for f in quality.report(with_pass.document, book) if f.kind != "loose-line"]
        del with_pass
    a, b = statistics.median(plain), statistics.median(mended)
    print(f"\n{folder.name} ({theme}): {pages} pages")
    print(f"  layout CPU: {a:.2f} s without the second pass, {b:.2f} s with (+{b / a - 1:.0%})")
    if outcome is not None:
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in outcome.steps.items())
        # the with-pass layout is the plain one and then the pass: the pass's own CPU time over
        # the plain layout's is the same ratio, without the noise of two whole layouts
        share = outcome.seconds / a
        print(f"  the pass: {outcome.seconds:.2f} s CPU, {share:.0%} of the layout ({steps})")
        lines, pages = outcome.lines, outcome.pages
        print(
            f"  line pass: {lines.mended} of {lines.faults} paragraphs' faults mended, "
            f"{lines.lines} lines of variants laid out"
        )
        print(
            f"  page pass: {pages.kept} of {pages.tried} spreads kept, "
            f"{pages.pages} pages laid out again"
        )
    print(f"  {'kind':15} {'before':>6} {'after':>6}")
    for kind in quality.KINDS:
        print(f"  {kind:15} {before[kind]:6} {after[kind]:6}")
    print(f"  {'loose (> 2 ×)':15} {loose_before:6} {loose_after:6}")
    for fault in left:
        where = f"{fault.path.name if fault.path else '?'}:{fault.line}"
        print(f"  left: {fault.kind} on page {fault.folio} (PDF {fault.page + 1}) {where}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("books", nargs="*", type=Path, default=list(DEFAULT_BOOKS))
    parser.add_argument("--themes", default="classic,modern")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    for folder in args.books:
        for theme in args.themes.split(","):
            measure(folder, theme.strip(), args.repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
