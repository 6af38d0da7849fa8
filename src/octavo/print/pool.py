"""Documents laid out in a pool of processes, one per core: the units of a book (units.py) and
their frames (frame.py). A worker lays a document out, surveys its pages (survey.py), paints
it into a PDF of its own and hands back only plain data and bytes; it holds one document's
pages at a time, and the parent never holds a unit's.

The workers are forked from the build's process, so they start with WeasyPrint imported, the
book read and the theme's style sheets parsed (nothing of that is pickled on the way in).
Where processes cannot be forked (Windows), or with one job, the documents are laid out in
this process, one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from octavo.book.model import Book
from octavo.print import pagemap, pdfx, survey, units
from octavo.print.finisher import Finisher
from octavo.print.geometry import Geometry
from octavo.print.render import mend, settled
from octavo.print.survey import Survey
from octavo.themes import Theme
from octavo.weasy import document as weasy
from octavo.weasy.patches import FontSource

STAND_IN = (0.0, 0.0, 0.0, 0.0)  # where a stand-in anchor is: never used, the join drops it


@dataclass(frozen=True)
class Job:
    """What every document of one build is laid out with."""

    book: Book
    theme: Theme
    sheets: tuple[str, ...]
    geometry: Geometry
    references: tuple[str, ...] = ()  # units.page_references of the sheets
    repair: bool = False  # the second pass mends each unit (second_pass.py)


@dataclass(frozen=True)
class Task:
    """One document to lay out: HTML, and a style sheet laid over the theme's."""

    index: int
    html: str
    css: str
    frame: bool = False  # a piece of the frame: finished for the printer (finisher.py)
    feet: tuple[tuple[int, float], ...] = ()  # a frame's pages whose folios move (px, down)


@dataclass(frozen=True)
class Laid:
    """One document laid out: what its pages hold, its PDF, where its fonts came from."""

    survey: Survey
    pdf: bytes
    fonts: dict[str, FontSource] = field(default_factory=dict)


def cpus() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def lay_out(job: Job, task: Task) -> Laid:
    """Lay out, survey and paint one document."""
    pdf_x = job.geometry.options.pdf_x
    sheets = [*job.sheets, task.css]
    document = settled(job.book, job.theme, task.html, sheets, job.geometry)
    feet: tuple[tuple[int, float], ...] = ()
    if job.repair and not task.frame:
        # a unit opens on a recto: its spreads, its pages' sides, its chapters' ends are
        # the book's, and the second pass mends it as it would mend the book laid out whole
        outcome = mend(job.book, job.theme, document, sheets, job.geometry)
        feet = tuple(sorted(outcome.pages.feet.items()))
    _move_feet(document, task.feet)
    ids = pagemap.region_ids(job.book)
    found = survey.survey(document, ids, _links_out(document))
    if not task.frame and job.references and document.pages:
        root = document.pages[0]._page_box.children[0].element
        found = replace(found, references=units.refers_elsewhere(root, job.references))
    _stand_in(document, found.links_out)
    sources: dict[str, FontSource] = {}
    finisher = Finisher(job.book, job.geometry) if task.frame else None
    pdf = weasy.write_pdf(
        document,
        sources,
        pdf_identifier=job.book.config.uid.encode(),
        pdf_variant=pdfx.variant(pdf_x),
        finisher=finisher,
    )
    written = replace(
        found,
        fonts=survey.fonts_used(document),
        tofu=getattr(document, "octavo_tofu", ""),
        feet=feet,
    )
    return Laid(written, pdf, sources)


def _move_feet(document: Any, feet: Sequence[tuple[int, float]]) -> None:
    """Move the folios of these pages with their feet, as the second pass moves them in a
    book laid out whole (spreads.splice)."""
    for index, by in feet:
        for box in document.pages[index]._page_box.children:
            if str(getattr(box, "at_keyword", "")).startswith("@bottom"):
                box.translate(0, by)


def _links_out(document: Any) -> list[str]:
    """Internal link targets the document does not hold: another unit's anchors."""
    held = {name for page in document.pages for name in page.anchors}
    targets = {t for page in document.pages for kind, t, _, _ in page.links if kind == "internal"}
    return sorted(targets - held)


def _stand_in(document: Any, names: Sequence[str]) -> None:
    """WeasyPrint drops a link whose anchor is not in its document: give each target another
    unit holds a stand-in anchor, so that the link reaches the unit's PDF (the join points it
    at the real one)."""
    for name in names:
        document.pages[0].anchors[name] = STAND_IN


_JOB: Job | None = None  # what forked workers inherit


def _run(task: Task) -> tuple[int, Laid]:
    assert _JOB is not None
    return task.index, lay_out(_JOB, task)


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle; the parent ends the pool with SIGTERM, which must
    end a worker at once (the CLI turns it into an exception in its own process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def lay_out_all(job: Job, tasks: Sequence[Task], jobs: int) -> Iterator[tuple[int, Laid]]:
    """Lay out these documents, yielding each as it is done; the longest first, so that no
    core is left with a long one at the end."""
    global _JOB
    order = sorted(tasks, key=lambda task: -len(task.html))
    forking = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(order) <= 1 or not forking:
        for task in order:
            yield task.index, lay_out(job, task)
        return
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, len(order)), initializer=_quiet_worker) as pool:
            yield from pool.imap_unordered(_run, order, chunksize=1)
    finally:
        _JOB = None
