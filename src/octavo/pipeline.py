"""The pipeline: a loaded Book (source/load.py) → its targets, each step done once.

    layout (print/layout.py) → page map (print/pagemap.py) → EPUB (epub/package.py)
                             → finish (print/finish.py) → PDF, booklet (booklet/), cover

The print edition is laid out first when any print target is wanted: its page map becomes the
EPUB's page-break markers and page-list, its page count the cover's spine, and its one finished
PDF both the print interior and the booklet's pages. The CLI and the tests call `build()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from octavo import themes
from octavo.book.model import Book
from octavo.book.paper import sheet_for
from octavo.booklet.plan import BookletOptions
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import OctavoError
from octavo.core.output import prepare_dir, write_bytes
from octavo.print.printers import PrintRequest, print_options

if TYPE_CHECKING:  # WeasyPrint takes seconds to import: only a print build pays for it
    from octavo.print.layout import Layout

FORMATS = ("epub", "pdf", "booklet", "cover")
DEFAULT_FORMATS = ("epub", "pdf", "booklet")  # the paperback cover only when asked for
PRINT_FORMATS = frozenset({"pdf", "booklet", "cover"})


@dataclass(frozen=True)
class Output:
    format: str
    path: Path
    seconds: float
    notes: tuple[str, ...] = ()


@dataclass
class BuildResult:
    book: Book
    outputs: list[Output] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    layout: Layout | None = None  # the print edition's pages, when it was laid out


Step = Callable[[str], None]


def _wanted(formats: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise OctavoError(f"unknown format '{unknown[0]}' (formats: {', '.join(FORMATS)})")
    return wanted


def build(
    book: Book,
    out_dir: Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    on_step: Step | None = None,
    booklet_options: BookletOptions | None = None,
    press: PrintRequest | None = None,
    on_output: Callable[[Output], None] | None = None,
) -> BuildResult:
    """Render the requested targets into out_dir; each file is replaced atomically.
    `on_output` hears of each file as soon as it is written (check starts EPUBCheck on the
    EPUB while the PDF is still being finished)."""
    wanted = _wanted(formats)
    prepare_dir(out_dir)
    theme = themes.load(book.config.theme, book.config.root, book.config.design)
    chapter_warnings = [d for c in book.chapters for d in c.diagnostics]
    result = BuildResult(book, warnings=[*book.diagnostics, *chapter_warnings])
    step = on_step or (lambda _msg: None)
    press = press or PrintRequest()

    def done(output: Output) -> None:
        result.outputs.append(output)
        if on_output is not None:
            on_output(output)

    layout_seconds = 0.0
    if PRINT_FORMATS & set(wanted):
        from octavo.print.layout import layout

        step("print layout")
        start = time.perf_counter()
        result.layout = layout(book, theme, print_options(book.config, press)[0])
        layout_seconds = time.perf_counter() - start
    if "epub" in wanted:
        step("EPUB")
        done(_epub(book, theme, out_dir / f"{book.slug}.epub", result))
    if result.layout is not None and {"pdf", "booklet"} & set(wanted):
        _print(book, out_dir, wanted, result, press, booklet_options, layout_seconds, step, done)
    if "cover" in wanted and result.layout is not None:
        from octavo.print import cover

        step("cover")
        start = time.perf_counter()
        path, notes = cover.write(book, theme, press, out_dir, len(result.layout.pages))
        done(Output("cover", path, time.perf_counter() - start, notes))
    return result


def _epub(book: Book, theme: themes.Theme, path: Path, result: BuildResult) -> Output:
    """The EPUB, with the print edition's page numbers when it was laid out in this build."""
    from octavo.epub import package
    from octavo.print import pagemap

    start = time.perf_counter()
    layout = result.layout
    pages = pagemap.page_starts(layout.document, book) if layout is not None else ()
    rendered = package.write(book, theme, path, pages)
    result.warnings.extend(rendered.diagnostics)
    notes = (f"print page numbers: {len(rendered.pages)} pages in the page-list",)
    return Output("epub", path, time.perf_counter() - start, notes if rendered.pages else ())


def _print(
    book: Book,
    out_dir: Path,
    wanted: list[str],
    result: BuildResult,
    press: PrintRequest,
    booklet_options: BookletOptions | None,
    layout_seconds: float,
    step: Step,
    done: Callable[[Output], None],
) -> None:
    """The print PDF and the booklet, both from the one finished PDF (the booklet is imposed
    by each page's TrimBox, so bleed and crop marks never reach its sheets)."""
    from octavo.print.finish import finish

    assert result.layout is not None
    step("print PDF")
    start = time.perf_counter() - layout_seconds  # the PDF's time includes its layout
    printed = finish(result.layout, book, press)
    result.warnings.extend(printed.warnings)
    if "pdf" in wanted:
        path = write_bytes(out_dir / f"{book.slug}.pdf", printed.data)
        done(Output("pdf", path, time.perf_counter() - start))
    if "booklet" in wanted:
        step("booklet")
        done(_booklet(printed.data, booklet_options or BookletOptions(), book, out_dir))


def _booklet(pdf: bytes, options: BookletOptions, book: Book, out_dir: Path) -> Output:
    """Impose the print interior; the notes tell the person how to print and fold it."""
    from octavo.booklet import sheets

    start = time.perf_counter()
    path = out_dir / f"{book.slug}-booklet.pdf"
    # The sheet follows the configured trim (a US trim goes on Letter), not the PDF's size.
    sheet = options.sheet or sheet_for(book.config.trim)
    made = sheets.write(pdf, replace(options, sheet=sheet), path)
    return Output("booklet", path, time.perf_counter() - start, sheets.guidance(made.plan))
