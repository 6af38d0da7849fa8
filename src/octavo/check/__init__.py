"""`octavo check`: lint the manuscript, build the book, validate what was built, one report.

    report = check(Path("mybook"))            # lint + EPUB (EPUBCheck) + print PDF checks
    report = check(Path("story.md"), build=False)   # the manuscript rules only

Rule families live in one module each (punctuation T…, structure S…, metadata M…, fonts F…,
pdfcheck P…; EPUBCheck's own IDs pass through, DAISY Ace's become A codes); each rule
function is bound to its code in core/codes.py's one table with `@file_rule`.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from octavo import pipeline, themes
from octavo.book.model import Book, Source
from octavo.check import (
    ace,
    epubcheck,
    fonts,
    metadata,
    pagequality,
    pdfcheck,
    prose,
    punctuation,
    structure,
)
from octavo.check.registry import FILE_RULES
from octavo.check.report import CheckReport, as_json, as_text
from octavo.core import codes
from octavo.core.codes import explain
from octavo.core.diagnostics import Diagnostic
from octavo.print.layout import Pace
from octavo.source import manuscript as manuscript_mod
from octavo.source.load import load_book, read_sources

__all__ = ["CheckReport", "as_json", "as_text", "check", "explain", "lint"]
del punctuation, structure  # imported to bind their rules to their codes


def _sources(source: Path, book: Book) -> list[Source]:
    if source.is_dir():
        return read_sources(book.config)
    return [manuscript_mod.read_file(source)]


def lint(
    sources: Sequence[Source],
    book: Book,
    glyphs: frozenset[int],
    code_glyphs: frozenset[int] = frozenset(),
) -> tuple[list[prose.Manuscript], list[Diagnostic]]:
    """Run every file rule on every manuscript file; `glyphs` and `code_glyphs` are what the
    theme's text and code faces can draw."""
    manuscripts = [prose.read(s, book.config, glyphs, code_glyphs) for s in sources]
    found: list[Diagnostic] = []
    for manuscript in manuscripts:
        for code, rule in FILE_RULES.items():
            for finding in rule(manuscript):
                line, col = manuscript.position(finding.offset)
                found.append(codes.get(code).at(manuscript.path, line, col, finding.detail))
    return manuscripts, found


@dataclass
class _Built:
    found: list[Diagnostic]
    pages: int
    notes: tuple[str, ...] = ()
    ace: bool = False


def _built(book: Book, manuscripts: Sequence[prose.Manuscript]) -> _Built:
    """Build the EPUB and the print PDF into a temporary folder, as `octavo build` does, and
    check them: EPUBCheck and DAISY Ace start on the EPUB as soon as it is written (each takes
    seconds to start) while the PDF is finished."""
    command = epubcheck.command()  # before any work: say at once if it cannot run
    fallback = book.config.path or (book.chapters[0].source if book.chapters else None)
    no_ace = ace.missing()
    running: list[subprocess.Popen[bytes]] = []
    pool = ThreadPoolExecutor(max_workers=1)
    ace_run: list[Future[list[Diagnostic]]] = []

    def started(output: pipeline.Output) -> None:
        if output.format == "epub":
            running.append(epubcheck.start(output.path, command))
            if no_ace is None:
                ace_run.append(pool.submit(ace.check, output.path, book))

    with tempfile.TemporaryDirectory(prefix="octavo-check-") as folder, pool:
        try:
            # the page-quality report reads the boxes of the book laid out as one document
            # (a temporary folder would keep no cache worth writing either)
            result = pipeline.build(
                book, Path(folder), ["epub", "pdf"], on_output=started, pace=Pace(whole=True)
            )
        finally:
            messages = [m for process in running for m in epubcheck.finish(process)]
        assert result.layout is not None
        pdf_path = next(o.path for o in result.outputs if o.format == "pdf")
        # The build's P002 names no place; the check's own, below, finds the characters.
        found = [d for d in result.warnings if d.code != "P002"]
        found += pdfcheck.embedding_diagnostics(pdf_path, fallback)
        found += pdfcheck.foreign_font_diagnostics(result.layout, manuscripts, fallback)
        found += pagequality.diagnostics(result.layout.document, book)
        found += [d for future in ace_run for d in future.result()]
    found += epubcheck.diagnostics(messages, book)
    notes = (no_ace,) if no_ace else ()
    return _Built(found, result.layout.pages, notes, ace=bool(ace_run))


def check(source: Path, *, build: bool = True) -> CheckReport:
    """Check a book folder or a single manuscript file; `build=False` lints the manuscript only
    (no EPUB, no PDF, no Java)."""
    source = Path(source)
    meta = metadata.read(source)
    book = load_book(source, config=meta.config, lenient=True)
    theme = themes.load(book.config.theme, book.config.root, book.config.design)
    glyphs = fonts.coverage(theme)
    manuscripts, found = lint(_sources(source, book), book, glyphs, fonts.code_coverage(theme))
    found += meta.diagnostics
    found += fonts.metadata_glyphs(meta, glyphs)
    if not build:
        found += [*book.diagnostics, *(d for c in book.chapters for d in c.diagnostics)]
        return CheckReport.of(found, None, False)
    built = _built(book, manuscripts)
    return CheckReport.of(found + built.found, built.pages, True, built.notes, built.ace)
