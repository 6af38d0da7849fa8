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
from typing import Any, Protocol, TypeVar

from octavo.book.model import Book
from octavo.book.pages import PageStart
from octavo.book.paper import gutter_for
from octavo.core.diagnostics import Diagnostic
from octavo.print import cache as cache_mod
from octavo.print import frame, pagemap, pdfx, pool, subsets, survey, units
from octavo.print.finisher import Finisher
from octavo.print.folios import page_labels, page_of
from octavo.print.geometry import Geometry, geometry_for
from octavo.print.html import PrintDocument, body_chapters, print_document
from octavo.print.join import Marks, Placed, join
from octavo.print.pagemap import labelled
from octavo.print.printers import PrintOptions
from octavo.print.render import (
    Breaks,
    mend,
    part_breaks,
    print_look,
    render,
    running_heads,
    settled,
    stylesheets,
)
from octavo.print.survey import Bookmark, Overfull, Survey
from octavo.themes import Theme, fonts
from octavo.weasy import document as weasy

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
    frame_laid_out: bool = False  # its frame (frame.py), in this build


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
    tofu: str = ""  # characters no font had, printed as empty boxes (finish.py's P004)
    units: tuple[PlacedUnit, ...] = ()  # empty when the book was laid out whole
    warnings: tuple[Diagnostic, ...] = ()  # damaged cache entries
    notes: tuple[str, ...] = ()  # how it was laid out, for the build's report
    code_family: str = ""  # the theme's monospace face of code, if it has one
    glyphs: frozenset[int] = frozenset()  # what the theme's faces can draw (finish.py's P002)
    # The WeasyPrint document of a book laid out whole, its boxes for tests to read; a book
    # laid out in units has none in this process (its pages are surveyed where laid out).
    document: Any = None
    mended: Any = None  # what the second pass did (second_pass.Outcome), a book laid out whole

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
    book: Book,
    theme: Theme,
    options: PrintOptions | None = None,
    pace: Pace | None = None,
    repair: bool | None = None,
) -> Layout:
    """Lay the book out into pages.

    The gutter depends on the page count, which depends on the gutter: the book is laid out
    with the gutter for a first guess at the count (the last build's, else an estimate) and
    again if the real count wants another gutter (see `_settled`). The second pass
    (second_pass.py) mends what it can in each document laid out, unless `repair` (default:
    the theme's `[print] repair`) says not to."""
    options = options or PrintOptions()
    pace = pace or Pace()
    look = print_look(theme, book.config.language)
    mending = look.repair if repair is None else repair
    document = print_document(book, theme.family, look, options.links, options.blank_last_page)
    cache = cache_mod.Cache(pace.cache) if pace.cache is not None and not pace.whole else None
    guess = cache.remembered_pages() if cache is not None else None
    if guess is None:
        guess = estimated_pages(book, theme, options)

    def setting(pages: int) -> tuple[Geometry, _Style]:
        geometry = geometry_for(book.config.trim, pages, options, theme.design.margins)
        sheets = [*stylesheets(theme, geometry), running_heads(book, theme, look, geometry)]
        return geometry, _Style(sheets, mending)

    def in_units(pages: int) -> Layout:
        return _in_units(book, theme, document, *setting(pages), pace, cache)

    def whole(pages: int) -> _Laid:
        return _lay(book, theme, document, *setting(pages))

    # a book laid out whole is mended and written only once its gutter is settled: a layout
    # _settled drops would be mended for nothing
    made = _settled(whole, guess).finish() if pace.whole else _settled(in_units, guess)
    if cache is not None:
        cache.remember_pages(made.pages)
        cache.prune()
        made = replace(made, warnings=(*made.warnings, *cache.warnings))
    return made


class _Counted(Protocol):
    @property
    def pages(self) -> int: ...


L = TypeVar("L", bound=_Counted)


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


@dataclass(frozen=True)
class _Style:
    """The style sheets every document of one layout is set in, and whether the second pass
    mends each."""

    sheets: list[str]
    repair: bool


@dataclass
class _Laid:
    """The book laid out as one document, not yet mended or written."""

    book: Book
    theme: Theme
    geometry: Geometry
    style: _Style
    laid: Any  # WeasyPrint's Document
    note: str = ""

    @property
    def pages(self) -> int:
        return len(self.laid.pages)

    def finish(self) -> Layout:
        book, theme, geometry, laid = self.book, self.theme, self.geometry, self.laid
        mended = mend(book, theme, laid, self.style.sheets, geometry) if self.style.repair else None
        found = survey.survey(laid, pagemap.region_ids(book))
        labels = page_labels(laid, book)
        pdf = weasy.write_pdf(
            laid,
            pdf_identifier=book.config.uid.encode(),
            pdf_variant=pdfx.variant(geometry.options.pdf_x),
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
            tofu=getattr(laid, "octavo_tofu", ""),
            notes=(f"laid out as one document: {self.note}",) if self.note else (),
            code_family=theme.code_family,
            glyphs=theme_glyphs(theme),
            document=laid,
            mended=mended,
        )


def _whole(
    book: Book,
    theme: Theme,
    document: PrintDocument,
    geometry: Geometry,
    style: _Style,
    note: str = "",
) -> Layout:
    """The book as one document: the reference the units are held to, and the way for a book
    they cannot serve."""
    return _lay(book, theme, document, geometry, style, note).finish()


def _lay(
    book: Book,
    theme: Theme,
    document: PrintDocument,
    geometry: Geometry,
    style: _Style,
    note: str = "",
) -> _Laid:
    laid = settled(book, theme, document.html(), style.sheets, geometry)
    return _Laid(book, theme, geometry, style, laid, note)


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
    jobs: int
    repair: bool
    laid: dict[int, pool.Laid] = field(default_factory=dict)
    fresh: set[int] = field(default_factory=set)

    @property
    def job(self) -> pool.Job:
        references = units.page_references(self.sheets)
        return pool.Job(
            self.book, self.theme, tuple(self.sheets), self.geometry, references, self.repair
        )

    @property
    def surveys(self) -> list[Survey]:
        return [self.laid[i].survey for i in range(len(self.cut.units))]


@dataclass(frozen=True)
class _Frame:
    """The frame's pieces (frame.py): the front, whose pages before `first` the book keeps,
    and each unit's frame."""

    front: pool.Laid
    first: int
    folios: frame.Folios
    pieces: tuple[pool.Laid, ...]
    fresh: frozenset[int]  # the pieces laid out in this build (-1: the front)


def _in_units(
    book: Book,
    theme: Theme,
    document: PrintDocument,
    geometry: Geometry,
    style: _Style,
    pace: Pace,
    cache: cache_mod.Cache | None,
) -> Layout:
    sheets = style.sheets
    reason = units.unsplittable(sheets)
    if reason is not None:
        return _whole(book, theme, document, geometry, style, reason)
    files = [*(f.path for f in theme.faces), *_theme_files(theme)]
    shared = [*sheets, repr(geometry), book.config.uid, book.config.language]
    shared.append(f"repair={style.repair}")
    key = cache_mod.Key(shared, files)
    breaks = _breaks(document, sheets[1:], key, cache)
    cut = units.split(document, breaks)
    if cut is None:
        why = "its first chapter opens on no recto"
        return _whole(book, theme, document, geometry, style, why)
    jobs = pace.jobs or pool.cpus()
    run = _Build(book, theme, geometry, sheets, cut, breaks, key, cache, jobs, style.repair)
    _lay_out_units(run)
    if any(found.references for found in run.surveys):
        why = "its chapters print page numbers of other pages (target-counter)"
        return _whole(book, theme, document, geometry, style, why)
    made = _frame(run)
    if isinstance(made, str):
        return _whole(book, theme, document, geometry, style, made)
    return _joined(run, made)


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


def _lay_out(
    run: _Build, tasks: Sequence[pool.Task], kind: str
) -> tuple[dict[int, pool.Laid], set[int]]:
    """These documents, from the cache or laid out in the pool (and kept)."""
    images = [(a.href, a.path) for c in run.book.chapters for a in c.assets]
    keys = {
        t.index: run.key.of(kind, t.html, t.css, files=[p for h, p in images if h in t.html])
        for t in tasks
    }
    done: dict[int, pool.Laid] = {}
    for task in tasks:
        found = run.cache.laid(keys[task.index]) if run.cache is not None else None
        if found is not None:
            done[task.index] = found
    todo = [t for t in tasks if t.index not in done]
    for index, laid in pool.lay_out_all(run.job, todo, run.jobs):
        done[index] = laid
        if run.cache is not None:
            run.cache.put_laid(keys[index], laid, kind)
    return done, {t.index for t in todo}


def _lay_out_units(run: _Build) -> None:
    tasks = [
        pool.Task(i, units.unit_html(run.cut, i), units.unit_css(run.cut, i))
        for i in range(len(run.cut.units))
    ]
    run.laid, run.fresh = _lay_out(run, tasks, "unit")


def _body_anchor(run: _Build) -> tuple[int, int] | None:
    """(unit, page) of the page that carries folio 1: the first body chapter's first."""
    target = body_chapters(run.book)[0].id if run.book.chapters else None
    for u, found in enumerate(run.surveys):
        for j, page in enumerate(found.pages):
            if any(a.name == target for a in page.anchors):
                return u, j
    return None


def _frame(run: _Build) -> _Frame | str:
    """The frame's pieces laid out (or taken from the cache), or why they cannot be."""
    surveyed = [found.pages for found in run.surveys]
    body = _body_anchor(run)
    if body is None:
        return "folio 1 falls on no chapter's page"
    counts = [len(pages) for pages in surveyed]
    stubs = frame.stubs(surveyed, frame.wanted_anchors(run.cut.document))
    body_offset = frame.offsets(counts)[body[0]] + body[1]
    front_task = pool.Task(
        -1, frame.front_html(run.cut, stubs), frame.front_css(stubs, body_offset), frame=True
    )
    fronts, fresh = _lay_out(run, [front_task], "frame")
    front = fronts[-1]
    first = next(
        (
            i
            for i, p in enumerate(front.survey.pages)
            if any(a.name == frame.MARK for a in p.anchors)
        ),
        None,
    )
    if first is None or first % 2 or len(front.survey.pages) <= first:
        return "the frame did not open the first chapter on a recto"
    folios = frame.folios(first, counts, body)
    entries = frame.entry_strings(front.survey.pages[:first], surveyed)
    feet = [
        tuple((frame.LEAD_PAGES + page, by) for page, by in found.feet) for found in run.surveys
    ]
    tasks = [
        pool.Task(
            i,
            frame.unit_frame_html(run.cut, i, surveyed[i], run.breaks.page, entries[i]),
            frame.unit_frame_css(folios.counter(folios.firsts[i]), feet[i]),
            frame=True,
            feet=feet[i],
        )
        for i in range(len(counts))
    ]
    pieces, laid = _lay_out(run, tasks, "frame")
    found = tuple(pieces[i] for i in range(len(counts)))
    made = _Frame(front, first, folios, found, frozenset(fresh | laid))
    return _misplaced(run, made)


def _misplaced(run: _Build, made: _Frame) -> _Frame | str:
    """The frame, or why its pages are not those the units were laid out on: each unit on a
    recto behind a blank verso, on pages of the same names."""
    first = made.front.survey.pages[made.first]
    unit_first = run.surveys[0].pages[0]
    if (first.name, first.blank) != (unit_first.name, unit_first.blank):
        return "the first chapter fell on a different named page in the frame"
    for i, (piece, found) in enumerate(zip(made.pieces, run.surveys, strict=True)):
        pages = piece.survey.pages
        name = run.cut.units[i].name
        if len(pages) != frame.LEAD_PAGES + len(found.pages) or not pages[1].blank:
            return f"the frame did not page unit '{name}' as it was laid out"
        for j, page in enumerate(found.pages):
            framed = pages[frame.LEAD_PAGES + j]
            if (framed.name, framed.blank) != (page.name, page.blank):
                return f"page {j + 1} of unit '{name}' fell on a different named page"
    return made


def _joined(run: _Build, made: _Frame) -> Layout:
    count = len(run.cut.units)
    firsts = made.folios.firsts
    surveys = run.surveys
    front = made.front.survey
    starts = [(i, s) for i, s in front.starts if i < made.first]
    starts += [(firsts[u] + i, s) for u in range(count) for i, s in surveys[u].starts]
    overfull = [o for o in front.overfull if o.page <= made.first]
    overfull += [
        replace(o, page=o.page + firsts[u]) for u in range(count) for o in surveys[u].overfull
    ]
    fonts = _fonts(front, *(p.survey for p in made.pieces), *surveys)
    sources = {**made.front.fonts}
    for laid in (*made.pieces, *(run.laid[i] for i in range(count))):
        sources.update(laid.fonts)
    placed = []
    for i in range(count):
        kept = [1] if made.folios.blank_before(i) else []
        kept += range(frame.LEAD_PAGES, frame.LEAD_PAGES + len(surveys[i].pages))
        placed.append(Placed(run.laid[i].pdf, made.pieces[i].pdf, tuple(kept)))
    pdf = join(
        made.front.pdf,
        made.first,
        placed,
        _marks(made, surveys),
        run.geometry.options.links,
        run.geometry.options.bookmarks,
        (sources, subsets.originals(f.path for f in run.theme.faces)),
    )
    labels = made.folios.labels()
    return Layout(
        run.geometry,
        run.theme.family,
        pdf,
        labels,
        labelled(sorted(starts, key=lambda s: s[0]), labels),
        tuple(overfull),
        fonts,
        _tofu(front, *(p.survey for p in made.pieces), *surveys),
        tuple(
            PlacedUnit(
                run.cut.units[i].name, firsts[i], surveys[i], i in run.fresh, i in made.fresh
            )
            for i in range(count)
        ),
        notes=(_note(run, made),),
        code_family=run.theme.code_family,
        glyphs=theme_glyphs(run.theme),
    )


def theme_glyphs(theme: Theme) -> frozenset[int]:
    """The characters any of the theme's faces, text or code, can draw."""
    return fonts.coverage(theme.all_faces)


def _note(run: _Build, made: _Frame) -> str:
    count, fresh = len(run.cut.units), len(run.fresh)
    processes = min(run.jobs, fresh) or 1
    note = f"{fresh} of {count} units laid out in {processes} process"
    note += "es" if processes > 1 else ""
    if fresh < count:
        note += f", {count - fresh} from the cache"
    if made.fresh:
        return f"{note}; {len(made.fresh)} of {count + 1} pieces of the frame"
    return f"{note}; the frame from the cache"


def _tofu(*surveys: Survey) -> str:
    return "".join(sorted({c for found in surveys for c in found.tofu}))


def _fonts(*surveys: Survey) -> dict[str, str]:
    merged: dict[str, set[str]] = {}
    for found in surveys:
        for family, chars in found.fonts.items():
            merged.setdefault(family, set()).update(chars)
    return {family: "".join(sorted(chars)) for family, chars in merged.items()}


def _marks(made: _Frame, surveys: Sequence[Survey]) -> Marks:
    """Named destinations and bookmarks of the whole book, in page order: the front's own
    pages and each unit's pages where the frame put them. The first anchor of a name wins, as
    in WeasyPrint."""
    pages: list[tuple[int, Any]] = list(enumerate(made.front.survey.pages[: made.first]))
    for first, found in zip(made.folios.firsts, surveys, strict=True):
        pages += [(first + j, p) for j, p in enumerate(found.pages)]
    dests: dict[str, tuple[int, float, float]] = {}
    bookmarks: list[tuple[int, Bookmark]] = []
    for index, page in sorted(pages, key=lambda item: item[0]):
        for anchor in page.anchors:
            dests.setdefault(anchor.name, (index, anchor.x, anchor.y))
        bookmarks += [(index, mark) for mark in page.bookmarks]
    return Marks(dests, bookmarks, made.folios.body)


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
    geometry = geometry_for(book.config.trim, 300, options, theme.design.margins)
    look = print_look(theme, book.config.language)
    html = print_document(part, theme.family, look, options.links, options.blank_last_page)
    sheets = stylesheets(theme, geometry)
    sample = render(part, theme, html.html(), sheets, options.pdf_x, geometry.text_block)
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
