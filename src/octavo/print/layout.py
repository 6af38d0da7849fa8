"""The print interior laid out: the book's HTML (html.py) set into pages, once, and everything
the build takes from those pages (the PDF, the EPUB's page map, the checks' findings).

A book is laid out in *units* (units.py): each section that opens on a recto is its own
document, laid out in a pool of processes (pool.py) or taken from the cache of an earlier
build (cache.py); a *frame* document then gives every page its folio, running heads and
furniture, and the two are joined into one PDF (join.py). The result is the same book a
single document would give — the tests hold the two side by side — in a fraction of the time,
and a rebuild after an edit lays out only what the edit touched.

A book whose style sheets or structure a unit cannot stand alone in (units.unsplittable, or a
first chapter that does not open on a recto) is laid out whole, as one document, as is any
book when `Pace(whole=True)` asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from octavo.book.model import Book
from octavo.book.pages import PageStart
from octavo.book.paper import gutter_for
from octavo.core.diagnostics import Diagnostic
from octavo.print import cache as cache_mod
from octavo.print import pdfx, pool, subsets, survey, units
from octavo.print.finisher import Finisher
from octavo.print.folios import page_labels, page_of
from octavo.print.geometry import Geometry, geometry_for
from octavo.print.html import PrintDocument, print_document
from octavo.print.join import Marks, Placed, join
from octavo.print.pagemap import labelled
from octavo.print.printers import PrintOptions
from octavo.print.render import Breaks, part_breaks, print_look, render, stylesheets
from octavo.print.survey import Bookmark, Overfull, Survey
from octavo.themes import Theme
from octavo.weasy import document as weasy
from octavo.weasy.patches import FontSource

SAMPLE_CHARS = 25_000  # of markup laid out to measure a page: ~8 A5 pages, 5 % of a novel


@dataclass(frozen=True)
class Pace:
    """How the print interior is laid out."""

    jobs: int = 0  # processes laying out units at once; 0: one per core, 1: this one alone
    cache: Path | None = None  # the cache folder of laid-out units; None: no cache
    whole: bool = False  # the whole book as one document (no units, no cache)


@dataclass(frozen=True)
class PlacedUnit:
    """A unit of the book in its place: the book's page index of its first page."""

    name: str
    first: int
    survey: Survey
    laid_out: bool  # in this build; False when it came from the cache


@dataclass(frozen=True)
class Layout:
    """The book set into pages, and what was read off them."""

    geometry: Geometry
    family: str  # the theme's text face (finish.py reports text set in any other)
    pdf: bytes  # the print interior, finished (finisher.py)
    labels: tuple[str, ...]  # every page's folio, printed or not
    starts: tuple[PageStart, ...]  # where each page's text begins (the EPUB's page-list)
    overfull: tuple[Overfull, ...]
    fonts: Mapping[str, str]  # font family → the characters set in it
    units: tuple[PlacedUnit, ...] = ()  # empty when the book was laid out whole
    warnings: tuple[Diagnostic, ...] = ()  # damaged cache entries
    notes: tuple[str, ...] = ()  # how it was laid out, for the build's report
    code_family: str = ""  # the theme's monospace face of code, if it has one
    # The WeasyPrint document of a book laid out whole, its boxes for tests to read; a book
    # laid out in units has none in this process (its pages are surveyed where laid out).
    document: Any = None

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(f for f in (self.family, self.code_family) if f)

    @property
    def pages(self) -> int:
        return len(self.labels)

    @property
    def laid_out(self) -> int:
        """How many documents were laid out for it: units (and the frame) not found in the
        cache, or 1 for a book laid out whole."""
        return sum(u.laid_out for u in self.units) if self.units else 1


def layout(
    book: Book, theme: Theme, options: PrintOptions | None = None, pace: Pace | None = None
) -> Layout:
    """Lay the book out into pages.

    The gutter depends on the page count, which depends on the gutter: the book is laid out
    with the gutter for a first guess at the count (the last build's, else an estimate) and
    again if the real count wants another gutter (see `_settled`)."""
    options = options or PrintOptions()
    pace = pace or Pace()
    look = print_look(theme, book.config.language)
    document = print_document(book, theme.family, look, options.links, options.blank_last_page)
    cache = cache_mod.Cache(pace.cache) if pace.cache is not None and not pace.whole else None
    guess = cache.remembered_pages() if cache is not None else None
    if guess is None:
        guess = estimated_pages(book, theme, options)

    def lay_out(pages: int) -> Layout:
        geometry = geometry_for(book.config.trim, pages, options)
        if pace.whole:
            return _whole(book, theme, document, geometry)
        return _in_units(book, theme, document, geometry, pace, cache)

    made = _settled(lay_out, guess)
    if cache is not None:
        cache.remember_pages(made.pages)
        cache.prune()
        made = replace(made, warnings=(*made.warnings, *cache.warnings))
    return made


L = TypeVar("L", bound=Layout)


def _settled(lay_out: Callable[[int], L], guess: int) -> L:
    """The layout at the narrowest gutter its own page count allows. A wider gutter only adds
    pages, so widening settles at once; a guess that was too high is tried one band narrower,
    so that the result does not depend on the guess (a build with a cache and one without
    give the same book)."""
    made = lay_out(guess)
    used = gutter_for(guess)
    tried = {used}
    while True:
        wanted = gutter_for(made.pages)
        if wanted > used:
            made, used = lay_out(made.pages), wanted
        elif wanted < used and wanted not in tried:
            tried.add(wanted)
            narrower = lay_out(made.pages)
            if gutter_for(narrower.pages) > wanted:
                return made
            made, used = narrower, wanted
        else:
            return made
        tried.add(used)


# --- a book laid out whole ------------------------------------------------------------------


def _whole(
    book: Book, theme: Theme, document: PrintDocument, geometry: Geometry, note: str = ""
) -> Layout:
    """The book as one document: the reference the units are held to, and the way for a book
    they cannot serve."""
    pdf_x = geometry.options.pdf_x
    laid = render(book, theme, document.html(), stylesheets(theme, geometry), pdf_x)
    found = survey.survey(laid, {c.id for c in book.chapters})
    labels = page_labels(laid, book)
    pdf = weasy.write_pdf(
        laid,
        pdf_identifier=book.config.uid.encode(),
        pdf_variant=pdfx.variant(pdf_x),
        finisher=Finisher(book, geometry),
    )
    return Layout(
        geometry,
        theme.family,
        pdf,
        tuple(labels),
        labelled(found.starts, labels),
        found.overfull,
        survey.fonts_used(laid),
        notes=(f"laid out as one document: {note}",) if note else (),
        code_family=theme.code_family,
        document=laid,
    )


# --- a book laid out in units -----------------------------------------------------------------


@dataclass
class _Build:
    """One layout in units, as it goes."""

    book: Book
    theme: Theme
    geometry: Geometry
    sheets: list[str]
    cut: units.Split
    breaks: Breaks
    key: cache_mod.Key
    cache: cache_mod.Cache | None
    laid: dict[int, pool.Laid] = field(default_factory=dict)
    fresh: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Frame:
    survey: Survey
    labels: tuple[str, ...]
    firsts: tuple[int, ...]  # the page index each unit begins on
    pdf: bytes
    fonts: dict[str, FontSource]
    laid_out: bool


def _in_units(
    book: Book,
    theme: Theme,
    document: PrintDocument,
    geometry: Geometry,
    pace: Pace,
    cache: cache_mod.Cache | None,
) -> Layout:
    sheets = stylesheets(theme, geometry)
    reason = units.unsplittable(sheets)
    if reason is not None:
        return _whole(book, theme, document, geometry, reason)
    files = [*(f.path for f in theme.faces), *_theme_files(theme)]
    key = cache_mod.Key([*sheets, repr(geometry), book.config.uid], files)
    breaks = _breaks(document, sheets[1:], key, cache)
    cut = units.split(document, breaks)
    if cut is None:
        return _whole(book, theme, document, geometry, "its first chapter opens on no recto")
    run = _Build(book, theme, geometry, sheets, cut, breaks, key, cache)
    _lay_out_units(run, pace.jobs or pool.cpus())
    if any(laid.survey.references for laid in run.laid.values()):
        why = "its chapters print page numbers of other pages (target-counter)"
        return _whole(book, theme, document, geometry, why)
    frame = _frame(run)
    trouble = _misplaced(run, frame)
    if trouble:
        return _whole(book, theme, document, geometry, trouble)
    return _joined(run, frame, pace)


def _theme_files(theme: Theme) -> list[Path]:
    """Every file of the theme's folders: a picture its CSS draws changes the pages too."""
    folders = (*theme.parents, theme.folder)
    return [p for f in folders for p in sorted(f.rglob("*")) if p.is_file()]


def _breaks(
    document: PrintDocument, sheets: list[str], key: cache_mod.Key, cache: cache_mod.Cache | None
) -> Breaks:
    """How each part begins (render.part_breaks), kept in the cache: an edit of the text does
    not change it."""
    skeleton = units.skeleton(document)
    name = key.of("breaks", skeleton)
    record = cache.record(name) if cache is not None else None
    if record is not None:
        try:
            return Breaks(tuple(record[0]["page"]), tuple(record[0]["recto"]))
        except (KeyError, TypeError):
            pass
    found = part_breaks(skeleton, sheets)
    if cache is not None:
        cache.put_record(name, {"page": found.page, "recto": found.recto})
    return found


def _unit_key(run: _Build, index: int) -> str:
    html = units.unit_html(run.cut, index)
    images = [a.path for c in run.book.chapters for a in c.assets if a.href in html]
    return run.key.of("unit", html, units.unit_css(run.cut, index), files=images)


def _lay_out_units(run: _Build, jobs: int) -> None:
    keys = [_unit_key(run, i) for i in range(len(run.cut.units))]
    for i, key in enumerate(keys):
        found = run.cache.unit(key) if run.cache is not None else None
        if found is not None:
            run.laid[i] = found
    todo = [i for i in range(len(keys)) if i not in run.laid]
    references = units.page_references(run.sheets)
    pdf_x = run.geometry.options.pdf_x
    job = pool.Job(run.book, run.theme, tuple(run.sheets), run.cut, pdf_x, references)
    for i, laid in pool.lay_out_all(job, todo, jobs):
        run.laid[i] = laid
        run.fresh.add(i)
        if run.cache is not None:
            run.cache.put_unit(keys[i], laid)


def _frame(run: _Build) -> _Frame:
    """The frame laid out and finished (or taken from the cache: its HTML holds every unit's
    page count and running heads, so an edit that changes neither keeps it)."""
    book = run.book
    wanted = units.wanted_anchors(run.cut.document, (c.id for c in book.chapters))
    pages = [run.laid[i].survey.pages for i in range(len(run.cut.units))]
    html = units.frame_html(run.cut, pages, run.breaks.page, wanted)
    name = run.key.of("frame", html, book.config.language)
    record = run.cache.record(name) if run.cache is not None else None
    if record is not None:
        try:
            meta, pdf = record
            fonts = {k: FontSource(**v) for k, v in meta["fonts"].items()}
            return _Frame(
                Survey.from_json(meta["survey"]),
                tuple(meta["labels"]),
                tuple(meta["firsts"]),
                pdf,
                fonts,
                laid_out=False,
            )
        except (KeyError, TypeError, ValueError):
            pass
    made = _lay_out_frame(run, html)
    if run.cache is not None:
        meta = {
            "survey": made.survey.to_json(),
            "labels": made.labels,
            "firsts": made.firsts,
            "fonts": {k: vars(v) for k, v in made.fonts.items()},
        }
        run.cache.put_record(name, meta, made.pdf)
    return made


def _lay_out_frame(run: _Build, html: str) -> _Frame:
    book, geometry = run.book, run.geometry
    sheets = [*run.sheets, units.FRAME_CSS]
    document = render(book, run.theme, html, sheets, geometry.options.pdf_x)
    found = survey.survey(document, {c.id for c in book.chapters})
    labels = tuple(page_labels(document, book))
    firsts = tuple(page_of(document, f"{units.MARK}{i}") for i in range(len(run.cut.units)))
    sources: dict[str, FontSource] = {}
    pdf = weasy.write_pdf(
        document,
        sources,
        pdf_identifier=book.config.uid.encode(),
        pdf_variant=pdfx.variant(geometry.options.pdf_x),
        finisher=Finisher(book, geometry),
    )
    found = replace(found, fonts=survey.fonts_used(document))
    return _Frame(found, labels, firsts, pdf, sources, laid_out=True)


def _misplaced(run: _Build, frame: _Frame) -> str:
    """Why the units did not land where their own layouts say they begin, or "": each on a
    recto, right after the one before (and a blank verso), on pages of the same names."""
    count = len(frame.firsts)
    ends = [*frame.firsts[1:], len(frame.survey.pages)]
    for i, (first, end) in enumerate(zip(frame.firsts, ends, strict=True)):
        pages = run.laid[i].survey.pages
        blank_verso = len(pages) % 2 == 1 and i + 1 < count  # before the next unit's recto
        name = run.cut.units[i].name
        if first % 2 or end - first - len(pages) not in ({0, 1} if blank_verso else {0}):
            return f"the frame did not page unit '{name}' as it was laid out"
        for j, page in enumerate(pages):
            framed = frame.survey.pages[first + j]
            if (framed.name, framed.blank) != (page.name, page.blank):
                return f"page {j + 1} of unit '{name}' fell on a different named page"
    return ""


def _joined(run: _Build, frame: _Frame, pace: Pace) -> Layout:
    count = len(run.cut.units)
    firsts = frame.firsts
    body = firsts[0]  # the frame's own pages before it: the front matter
    surveys = [run.laid[i].survey for i in range(count)]
    starts = [(i, s) for i, s in frame.survey.starts if i < body]
    starts += [(firsts[u] + i, s) for u in range(count) for i, s in surveys[u].starts]
    overfull = [o for o in frame.survey.overfull if o.page <= body]
    overfull += [
        replace(o, page=o.page + firsts[u]) for u in range(count) for o in surveys[u].overfull
    ]
    fonts = _fonts(frame.survey, *surveys)
    sources = {**frame.fonts}
    for i in range(count):
        sources.update(run.laid[i].fonts)
    pdf = join(
        frame.pdf,
        [Placed(firsts[i], run.laid[i].pdf) for i in range(count)],
        _marks(frame, surveys),
        run.geometry.options.links,
        run.geometry.options.bookmarks,
        (sources, subsets.originals(f.path for f in run.theme.faces)),
    )
    placed_units = tuple(
        PlacedUnit(run.cut.units[i].name, firsts[i], surveys[i], i in run.fresh)
        for i in range(count)
    )
    fresh = len(run.fresh)
    processes = min(pace.jobs or pool.cpus(), fresh) or 1
    note = f"{fresh} of {count} units laid out in {processes} process" + (
        "es" if processes > 1 else ""
    )
    if fresh < count:
        note += f", {count - fresh} from the cache"
    if not frame.laid_out:
        note += "; the frame from the cache"
    return Layout(
        run.geometry,
        run.theme.family,
        pdf,
        frame.labels,
        labelled(sorted(starts, key=lambda s: s[0]), frame.labels),
        tuple(overfull),
        fonts,
        placed_units,
        notes=(note,),
        code_family=run.theme.code_family,
    )


def _fonts(*surveys: Survey) -> dict[str, str]:
    merged: dict[str, set[str]] = {}
    for found in surveys:
        for family, chars in found.fonts.items():
            merged.setdefault(family, set()).update(chars)
    return {family: "".join(sorted(chars)) for family, chars in merged.items()}


def _marks(frame: _Frame, surveys: Sequence[Survey]) -> Marks:
    """Named destinations and bookmarks of the whole book, in page order: the frame's own
    pages (front matter) and each unit's pages where the frame put them. The first anchor of a
    name wins, as in WeasyPrint."""
    body = frame.firsts[0]
    pages: list[tuple[int, Any]] = [(i, p) for i, p in enumerate(frame.survey.pages[:body])]
    for first, found in zip(frame.firsts, surveys, strict=True):
        pages += [(first + j, p) for j, p in enumerate(found.pages)]
    dests: dict[str, tuple[int, float, float]] = {}
    bookmarks: list[tuple[int, Bookmark]] = []
    for index, page in sorted(pages, key=lambda item: item[0]):
        for anchor in page.anchors:
            dests.setdefault(anchor.name, (index, anchor.x, anchor.y))
        bookmarks += [(index, mark) for mark in page.bookmarks]
    return Marks(dests, bookmarks)


# --- the page count, guessed ----------------------------------------------------------------


def _is_blank(page: Any) -> bool:
    return bool(getattr(page._page_box.page_type, "blank", False))


def estimated_pages(book: Book, theme: Theme, options: PrintOptions) -> int:
    """A first guess at the page count, to choose the gutter before the real layout. A short
    book is taken to be short; a long one lays out its first chapters alone, measures how much
    text a page holds, and adds up its chapters, each opening on a recto. A wrong guess only
    costs a second layout (see layout())."""
    sizes = [len(c.body_html) for c in book.chapters]
    if sum(sizes) < 150_000 or len(book.chapters) < 4:
        return 0
    count = 1
    while count < len(sizes) and sum(sizes[:count]) < SAMPLE_CHARS:
        count += 1
    part = replace(book, chapters=book.chapters[:count])
    geometry = geometry_for(book.config.trim, 300, options)
    look = print_look(theme, book.config.language)
    html = print_document(part, theme.family, look, options.links, options.blank_last_page)
    sample = render(part, theme, html.html(), stylesheets(theme, geometry), options.pdf_x)
    starts = [page_of(sample, c.id) for c in part.chapters] + [len(sample.pages)]
    filled = 0.0
    for begin, end in pairwise(starts):
        blanks = sum(1 for page in sample.pages[begin:end] if _is_blank(page))
        filled += end - begin - blanks - 0.5  # a chapter's last page is half full, on average
    per_page = sum(sizes[:count]) / max(filled, 1.0)
    total = starts[0]  # the front matter
    for size in sizes:
        pages = max(1, round(size / per_page + 0.5))
        total += pages + pages % 2  # the next chapter opens on a recto
    return total
