"""The command line: parses options, calls the library, prints. No logic lives here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from octavo.build import FORMATS, build, load_book
from octavo.errors import OctavoError
from octavo.paper import SIZE_HELP, Size, parse_length, parse_size
from octavo.printers import PRINTERS, PrintRequest

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


def _press(
    printer: str | None, bleed: bool, bleed_size: str | None, crop_marks: bool, pdf_x: str | None
) -> PrintRequest:
    """The print options of `build`: --for, --bleed, --bleed-size, --crop-marks, --pdf-x."""
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
            press=_press(printer, bleed, bleed_size, crop_marks, pdf_x),
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


def main() -> None:
    """Entry point: typer handles usage errors (exit 2); octavo's own errors become one line."""
    try:
        app()
    except OctavoError as exc:
        err.print(str(exc), markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("octavo: interrupted; earlier outputs are untouched", markup=False)
        sys.exit(130)
