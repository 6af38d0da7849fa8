"""The command line: parses options, calls the library, prints. No logic lives here."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from octavo.build import FORMATS, build, load_book
from octavo.errors import EXIT_CANNOT_RUN, OctavoError
from octavo.paper import SIZE_HELP, Size, parse_size

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Build books from one manuscript: an EPUB, a print PDF and a booklet.",
)
out = Console()
err = Console(stderr=True, highlight=False)


def _formats(value: str) -> list[str]:
    return [f.strip().lower() for f in value.split(",") if f.strip()]


def _sheet(value: str | None) -> Size | None:
    if value is None:
        return None
    try:
        size = parse_size(value)
    except ValueError:
        raise OctavoError(f"--sheet must be {SIZE_HELP}") from None
    # A sheet is used landscape: two pages side by side.
    return Size(size.name, max(size.width, size.height), min(size.width, size.height))


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
    ] = ",".join(FORMATS),
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Booklet sheet size (default A4, or Letter for US trims)."),
    ] = None,
) -> None:
    """Build the EPUB, the print PDF and the booklet."""
    book = load_book(source)
    with out.status("Building…") as status:
        result = build(
            book,
            out_dir,
            _formats(formats),
            on_step=lambda s: status.update(f"Building {s}…"),
            sheet=_sheet(sheet),
        )
    for warning in result.warnings:
        err.print(str(warning), markup=False, soft_wrap=True)
    for output in result.outputs:
        out.print(f"[green]✓[/] {output.format:8} {output.path}  ({output.seconds:.1f} s)")
        for note in output.notes:
            out.print(f"  {note}")


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
