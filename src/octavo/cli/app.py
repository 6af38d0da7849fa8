"""The command line: parses options, calls the library, prints. No logic lives here."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from octavo.core.errors import EXIT_CANNOT_RUN, OctavoError
from octavo.pipeline import DEFAULT_FORMATS, FORMATS

if TYPE_CHECKING:  # the commands import what they use: `octavo --help` starts at once
    from octavo.book.paper import Size
    from octavo.booklet.plan import FourUp
    from octavo.print.layout import Pace
    from octavo.print.printers import PrintRequest

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Build books from one manuscript: an EPUB, a print PDF and a booklet.",
)
# soft_wrap: a path or a message is never cut at the terminal's width (nor at 80 columns when
# the output goes to a pipe or a CI log), so it can be copied and searched whole.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _formats(value: str) -> list[str]:
    return [f.strip().lower() for f in value.split(",") if f.strip()]


def _sheet(value: str | None) -> Size | None:
    """Any paper size; the booklet turns it landscape (2-up) or portrait (4-up) itself."""
    from octavo.book.paper import SIZE_HELP, parse_size

    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError:
        raise OctavoError(f"--sheet must be {SIZE_HELP}") from None


def _four_up(value: str | None) -> FourUp | None:
    from octavo.booklet.plan import FOUR_UP

    if value is None:
        return None
    for choice in FOUR_UP:
        if value.strip().lower() == choice:
            return choice
    raise OctavoError(f"--four-up must be one of: {', '.join(FOUR_UP)}")


def _press(
    printer: str | None, bleed: bool, bleed_size: str | None, crop_marks: bool, pdf_x: str | None
) -> PrintRequest:
    """The print options of `build`: --for, --bleed, --bleed-size, --crop-marks, --pdf-x."""
    from octavo.book.paper import parse_length
    from octavo.print.printers import PRINTERS, PrintRequest

    if printer is not None and printer.lower() not in PRINTERS:
        raise OctavoError(f"--for must be one of: {', '.join(PRINTERS)}")
    if pdf_x is not None and pdf_x.lower().removeprefix("x-") not in {"1a", "4"}:
        raise OctavoError("--pdf-x must be 1a or 4 (PDF/X-1a or PDF/X-4)")
    size = None
    if bleed_size is not None:
        try:
            size = parse_length(bleed_size)
        except ValueError:
            raise OctavoError("--bleed-size must be a length with a unit, e.g. 3mm") from None
    return PrintRequest(
        printer=printer.lower() if printer else None,
        bleed=bleed or bleed_size is not None,
        bleed_size=size,
        crop_marks=crop_marks,
        pdf_x=pdf_x.lower().removeprefix("x-") if pdf_x else None,
    )


JOBS_HELP = "Processes laying out the print edition's chapters at once (default: one per core)."
NO_CACHE_HELP = "Lay out every chapter again: keep nothing in the output folder's .octavo-cache."


def _pace(jobs: int, no_cache: bool, out_dir: Path, whole: bool = False) -> Pace:
    """--jobs and --no-cache: how the print edition is laid out (`whole`: as one document, for
    the page-quality report, which reads its boxes)."""
    from octavo.print.cache import FOLDER
    from octavo.print.layout import Pace

    if jobs < 0:
        raise OctavoError("--jobs must be 1 or more (0: one per core)")
    return Pace(jobs=jobs, cache=None if no_cache else out_dir / FOLDER, whole=whole)


@app.command("build")
def build_command(
    source: Annotated[
        Path, typer.Argument(help="A book folder (book.toml + manuscript/) or one .md/.txt file.")
    ] = Path("."),
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the outputs.")
    ] = Path("build"),
    formats: Annotated[
        str, typer.Option("--format", "-f", help=f"Comma-separated: {','.join(FORMATS)}.")
    ] = ",".join(DEFAULT_FORMATS),
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Booklet sheet size (default A4, or Letter for US trims)."),
    ] = None,
    signature: Annotated[
        int | None,
        typer.Option(
            "--signature", help="Booklet: sheets per signature, for sewing or stapling apart."
        ),
    ] = None,
    creep: Annotated[
        float,
        typer.Option("--creep", help="Booklet: paper thickness in mm, to push inner pages in."),
    ] = 0.0,
    marks: Annotated[
        bool, typer.Option("--marks", help="Booklet: fold marks, and trim marks where room.")
    ] = False,
    four_up: Annotated[
        str | None,
        typer.Option(
            "--four-up",
            help="Booklet: 4 pages a side (A6 on A4): 'copies' (two booklets) or 'folded'.",
        ),
    ] = None,
    back_cover: Annotated[
        bool,
        typer.Option(
            "--back-cover", help="Booklet: the last page is a back cover; blanks go before it."
        ),
    ] = False,
    printer: Annotated[
        str | None,
        typer.Option("--for", help="Apply a printer's rules: kdp, ingramspark or home."),
    ] = None,
    bleed: Annotated[
        bool, typer.Option("--bleed", help="Add bleed (0.125 in, or 3 mm for metric trims).")
    ] = False,
    bleed_size: Annotated[
        str | None, typer.Option("--bleed-size", help="Bleed width, e.g. 3mm (implies --bleed).")
    ] = None,
    crop_marks: Annotated[
        bool, typer.Option("--crop-marks", help="Draw crop marks outside the bleed.")
    ] = False,
    pdf_x: Annotated[
        str | None, typer.Option("--pdf-x", help="PDF/X-1a or PDF/X-4 with a CMYK intent: 1a or 4.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing but warnings and errors.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every warning, not one per kind.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the outputs and warnings as JSON, for scripts.")
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help=JOBS_HELP)] = 0,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
    page_report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="List the print PDF's page faults: widows, hyphens, short pages… (as check).",
        ),
    ] = False,
) -> None:
    """Build the EPUB, the print PDF and the booklet."""
    from octavo.booklet.plan import BookletOptions
    from octavo.cli import report
    from octavo.pipeline import build
    from octavo.source.load import load_book

    book = load_book(source)
    progress = Console(quiet=quiet or as_json, soft_wrap=True)
    with progress.status("Building…") as status:
        result = build(
            book,
            out_dir,
            _formats(formats),
            on_step=lambda s: status.update(f"Building {s}…"),
            booklet_options=BookletOptions(
                sheet=_sheet(sheet),
                signature=signature,
                creep_mm=creep,
                marks=marks,
                four_up=_four_up(four_up),
                back_cover=back_cover,
            ),
            press=_press(printer, bleed, bleed_size, crop_marks, pdf_x),
            pace=_pace(jobs, no_cache, out_dir, whole=page_report),
        )
    faults = []
    if page_report and result.layout is not None:
        from octavo.check import pagequality

        faults = pagequality.diagnostics(result.layout.document, book)
        result.warnings.extend(faults)
    if as_json:
        typer.echo(report.as_json(result))
        return
    others = [w for w in result.warnings if w not in faults]
    for line in report.warning_lines(others, verbose):
        err.print(line, markup=False)
    for fault in faults:  # each names its own page: never grouped
        err.print(str(fault), markup=False)
    if quiet:
        return
    for output in result.outputs:
        out.print(f"[green]✓[/] {output.format:8} {output.path}  ({output.seconds:.1f} s)")
        for note in output.notes:
            out.print(f"  {note}", markup=False)


def _note(line: str) -> None:
    err.print(line, markup=False, soft_wrap=True)


@app.command("check")
def check_command(
    source: Annotated[
        Path, typer.Argument(help="A book folder (book.toml + manuscript/) or one .md/.txt file.")
    ] = Path("."),
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (path:line:col: …) or json.")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings count as errors.")] = False,
    no_build: Annotated[
        bool, typer.Option("--no-build", help="Check the manuscript only: no EPUB, PDF or Java.")
    ] = False,
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="CODE", help="Explain a code and exit.")
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the fixes that have one reading, then check.")
    ] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Show those fixes as a unified diff; change nothing.")
    ] = False,
) -> None:
    """Lint the manuscript, build the book and validate it (EPUBCheck, PDF fonts and lines).
    Exit 0 when clean, 1 when errors were found (--diff: when there are fixes), 2 when the check
    could not run."""
    from octavo import check
    from octavo.check import failure, fixes

    if explain is not None:
        out.print(check.explain(explain), markup=False, highlight=False)
        return
    if output_format not in {"text", "json"}:
        raise OctavoError("--format must be text or json")
    changes = ""
    try:
        if fix or show_diff:
            changes = fixes.run(source, apply=not show_diff, note=_note)
        report = None if show_diff else check.check(source, build=not no_build)
    except Exception as exc:  # JSON readers get JSON, whatever stopped the check
        if output_format != "json":
            raise
        typer.echo(failure.as_json_failure(exc, strict))
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    if report is None:
        typer.echo(changes, nl=False)
        raise typer.Exit(1 if changes else 0)
    if output_format == "json":
        typer.echo(check.as_json(report, strict))
    else:
        typer.echo(check.as_text(report))
    raise typer.Exit(report.exit_code(strict))


@app.command("version")
def version_command() -> None:
    """Print octavo's version."""
    from octavo import __version__

    out.print(__version__)


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM, raised where the build is so that atomic writes remove their
    temporary files. A BaseException, and not KeyboardInterrupt, so that neither a library's
    `except Exception` nor click's own Ctrl-C handling ("Aborted!", exit 1) swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def _catch_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise_interrupted)


def main() -> None:
    """Entry point: typer handles usage errors (exit 2); octavo's own errors become one line.
    No traceback reaches the author (OCTAVO_DEBUG=1 shows it for an unexpected error)."""
    _catch_signals()
    try:
        app()
    except OctavoError as exc:
        err.print(str(exc), markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        err.print("octavo: interrupted; earlier outputs are untouched", markup=False)
        sys.exit(exc.exit_code)
    except RecursionError:
        err.print("octavo: error: the book nests too deeply to lay out", markup=False)
        sys.exit(EXIT_CANNOT_RUN)
    except Exception as exc:
        if os.environ.get("OCTAVO_DEBUG"):
            raise
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        err.print(
            f"octavo: error: unexpected failure ({reason}); OCTAVO_DEBUG=1 shows the details",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_CANNOT_RUN)


@app.command("init")
def init_command(
    folder: Annotated[Path, typer.Argument(help="Folder for the new book.")] = Path("."),
    title: Annotated[str, typer.Option(help="The book's title.")] = "Untitled",
    author: Annotated[str, typer.Option(help="The author's name.")] = "Anonymous",
    language: Annotated[str, typer.Option(help="BCP 47 language tag, e.g. en-GB.")] = "en",
) -> None:
    """Start a new book: book.toml and a first chapter."""
    from octavo.cli.init import create

    for path in create(folder, title, author, language):
        out.print(f"[green]✓[/] {path}")
    where = "" if folder == Path(".") else f" {folder}"
    out.print(
        "Next: write your chapters in manuscript/ (one file each, read in name order), then\n"
        f"  octavo build{where}      EPUB, print PDF and booklet into build/\n"
        f"  octavo check{where}      what to mend before it goes to print",
        markup=False,
    )


@app.command("watch")
def watch_command(
    source: Annotated[Path, typer.Argument(help="A book folder or one .md/.txt file.")] = Path("."),
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the outputs.")
    ] = Path("build"),
    formats: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Formats to rebuild (default: what the last build made)."
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help=JOBS_HELP)] = 0,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
) -> None:
    """Rebuild on every save (Ctrl-C to stop); each rebuild is logged with its time, the file
    that set it off and every output it refreshed. Only the chapters an edit touched are laid
    out again, and only the files saved are read again."""
    from octavo.cli import report
    from octavo.live.watch import Rebuild, log_lines, watch

    base = source if source.is_dir() else source.parent

    def show(event: Rebuild) -> None:
        lines = log_lines(event, base)
        out.print(lines[0], markup=False)
        if not isinstance(event.result, OctavoError):
            for line in report.warning_lines(event.result.warnings, verbose=False):
                err.print(f"  {line}", markup=False)
        for line in lines[1:]:
            (err if isinstance(event.result, OctavoError) else out).print(line, markup=False)

    pace = _pace(jobs, no_cache, out_dir)
    watch(source, out_dir, _formats(formats) if formats else None, show, pace=pace)


@app.command("preview")
def preview_command(
    source: Annotated[Path, typer.Argument(help="A book folder or one .md/.txt file.")] = Path("."),
    port: Annotated[
        int, typer.Option("--port", "-p", help="Port to serve on (default: a free one).")
    ] = 0,
    host: Annotated[
        str, typer.Option("--host", help="Loopback address to serve on: 127.0.0.1, ::1.")
    ] = "127.0.0.1",
) -> None:
    """Show the book as you write: the e-book and the printed pages in a local web page,
    rebuilt and reloaded on every save (Ctrl-C to stop)."""
    import threading

    from octavo.live.server import start
    from octavo.live.watch import Rebuild, log_lines

    base = source if source.is_dir() else source.parent

    def show(event: Rebuild) -> None:
        lines = log_lines(event, base)
        out.print(lines[0], markup=False)
        if isinstance(event.result, OctavoError):  # the outputs are the preview's own copies
            err.print(lines[1], markup=False)

    running = start(source, host, port, show)
    try:
        out.print(f"octavo preview: {running.url}  (open it in a browser; Ctrl-C to stop)")
        threading.Event().wait()  # the server and the watcher work on their own threads
    finally:
        running.close()


@app.command("fonts")
def fonts_command() -> None:
    """List the font families a book can be set in: every installed fontpkg-* package."""
    from octavo.themes import families

    found = families.installed()
    width = max((len(name) for name in found), default=10) + 2
    for family in found.values():
        out.print(
            f"{family.name:{width}}{family.category:12}{family.styles:19}{family.package}",
            markup=False,
        )
    out.print(
        f'{len(found)} families. In book.toml: [design] font = "{next(iter(found), "EB Garamond")}" '
        "(code_font for code); more with `pip install fontpkg-<name>` (about 200 on PyPI).",
        markup=False,
    )


@app.command("import")
def import_command(
    document: Annotated[Path, typer.Argument(help="A Word manuscript (.docx).")],
    into: Annotated[
        Path | None,
        typer.Option(
            "--into", help="The book folder (default: beside the document, named by its title)."
        ),
    ] = None,
) -> None:
    """Turn a Word manuscript into a book folder: a Markdown chapter at each Heading 1, its
    images in images/, a book.toml from the document's properties."""
    from octavo.convert.word import import_docx

    done = import_docx(document, into)
    for path in done.written:
        out.print(f"[green]✓[/] {path}")
    if done.kept_config:
        out.print(f"  {done.folder / 'book.toml'} was already there and is left as it was")
    for line in done.unmapped:
        err.print(f"{document}: not mapped: {line}", markup=False)
    out.print(f"Next: octavo preview {done.folder}   (or octavo build {done.folder})", markup=False)


def _first_sentence(text: str) -> str:
    """A docstring's first sentence on one line: typer lists a command with its whole help,
    line breaks and all, so `octavo --help` showed each docstring's source lines cut mid-phrase."""
    words = " ".join(text.split())
    end = words.find(". ")
    return words if end < 0 else words[: end + 1]


for _info in app.registered_commands:
    if _info.short_help is None and _info.callback is not None and _info.callback.__doc__:
        _info.short_help = _first_sentence(_info.callback.__doc__)
