"""Units laid out in a pool of processes, one per core: each lays out a unit (units.py),
surveys its pages (survey.py) and paints it into a PDF of its own, and hands back only plain
data and bytes. A worker holds one unit's pages at a time; the parent never holds any.

The workers are forked from the build's process, so they start with WeasyPrint imported and
the book already read (nothing is pickled on the way in). Where processes cannot be forked
(Windows), or with one job, the units are laid out in this process, one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from octavo.book.model import Book
from octavo.print import pdfx, survey, units
from octavo.print.render import render
from octavo.print.survey import Survey
from octavo.themes import Theme
from octavo.weasy import document as weasy
from octavo.weasy.patches import FontSource

STAND_IN = (0.0, 0.0, 0.0, 0.0)  # where a stand-in anchor is: never used, the join drops it


@dataclass(frozen=True)
class Job:
    """What every unit of one build is laid out with."""

    book: Book
    theme: Theme
    sheets: tuple[str, ...]
    cut: units.Split
    pdf_x: str | None
    references: tuple[str, ...] = ()  # units.page_references of the sheets


@dataclass(frozen=True)
class Laid:
    """One unit laid out: what its pages hold, its PDF, where its fonts came from."""

    survey: Survey
    pdf: bytes
    fonts: dict[str, FontSource] = field(default_factory=dict)


def cpus() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def lay_out(job: Job, index: int) -> Laid:
    """Lay out, survey and paint one unit."""
    sheets = [*job.sheets, units.unit_css(job.cut, index)]
    document = render(job.book, job.theme, units.unit_html(job.cut, index), sheets, job.pdf_x)
    ids = {c.id for c in job.book.chapters}
    found = survey.survey(document, ids, _links_out(document))
    root = document.pages[0]._page_box.children[0].element if document.pages else None
    if root is not None and job.references:
        found = replace(found, references=units.refers_elsewhere(root, job.references))
    _stand_in(document, found.links_out)
    sources: dict[str, FontSource] = {}
    pdf = weasy.write_pdf(document, sources, pdf_variant=pdfx.variant(job.pdf_x))
    return Laid(replace(found, fonts=survey.fonts_used(document)), pdf, sources)


def _links_out(document: object) -> list[str]:
    """Internal link targets the unit does not hold: another unit's anchors."""
    pages = getattr(document, "pages", [])
    held = {name for page in pages for name in page.anchors}
    return sorted(
        {target for page in pages for kind, target, _, _ in page.links if kind == "internal"} - held
    )


def _stand_in(document: object, names: Sequence[str]) -> None:
    """WeasyPrint drops a link whose anchor is not in its document: give each target another
    unit holds a stand-in anchor, so that the link reaches the unit's PDF (the join points it
    at the real one)."""
    pages = getattr(document, "pages", [])
    for name in names:
        pages[0].anchors[name] = STAND_IN


_JOB: Job | None = None  # what forked workers inherit


def _run(index: int) -> tuple[int, Laid]:
    assert _JOB is not None
    return index, lay_out(_JOB, index)


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle; the parent ends the pool with SIGTERM, which must
    end a worker at once (the CLI turns it into an exception in its own process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def lay_out_all(job: Job, todo: Sequence[int], jobs: int) -> Iterator[tuple[int, Laid]]:
    """Lay out these units, yielding each as it is done; the longest first, so that no core
    is left with a long one at the end."""
    global _JOB
    order = sorted(todo, key=lambda i: -sum(map(len, job.cut.units[i].parts)))
    forking = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(order) <= 1 or not forking:
        for index in order:
            yield index, lay_out(job, index)
        return
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, len(order)), initializer=_quiet_worker) as pool:
            yield from pool.imap_unordered(_run, order, chunksize=1)
    finally:
        _JOB = None
