"""`octavo check`: lint the manuscript, build the book, validate what was built, one report.

    report = check(Path("mybook"))            # lint + EPUB (EPUBCheck) + print PDF checks
    report = check(Path("story.md"), build=False)   # the manuscript rules only

Rule families live in one module each (punctuation T…, structure S…, metadata M…, fonts F…,
pdfcheck P…; EPUBCheck's own IDs pass through) and register their codes in `registry`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from octavo import manuscript as manuscript_mod
from octavo import themes
from octavo.build import load_book
from octavo.check import (
    epubcheck,
    failure,
    fonts,
    metadata,
    pdfcheck,
    prose,
    punctuation,
    structure,
)
from octavo.check.registry import RULES, explain, file_rules
from octavo.check.report import CheckReport, as_json, as_text
from octavo.diagnostics import Diagnostic
from octavo.model import Book, Chapter, Source
from octavo.slug import slugify

__all__ = ["RULES", "CheckReport", "as_json", "as_text", "check", "explain", "lint"]
del failure, punctuation, structure  # imported to register their codes

_ID = re.compile(r'\bid="([^"]+)"')


def _ids(chapter: Chapter) -> frozenset[str]:
    """Anchors a link may name in a chapter: element ids, also without the chapter's prefix
    that heading ids carry (#a-section for ch-a-section)."""
    ids = {chapter.id, *_ID.findall(chapter.body_html), slugify(chapter.title)}
    prefix = f"{chapter.id}-"
    ids |= {i[len(prefix) :] for i in ids if i.startswith(prefix)}
    return frozenset(ids)


def _sources(source: Path, book: Book) -> list[Source]:
    if source.is_dir():
        return manuscript_mod.read_folder(book.config)
    return [manuscript_mod.read_file(source)]


def lint(
    sources: Sequence[Source], book: Book, glyphs: frozenset[int]
) -> tuple[list[prose.Manuscript], list[Diagnostic]]:
    """Run every file rule on every manuscript file."""
    anchors: Mapping[Path, frozenset[str]] = {c.source.resolve(): _ids(c) for c in book.chapters}
    manuscripts = [prose.read(s, book.config, glyphs, anchors) for s in sources]
    found: list[Diagnostic] = []
    for manuscript in manuscripts:
        for rule in file_rules():
            assert rule.run is not None
            for finding in rule.run(manuscript):
                line, col = manuscript.position(finding.offset)
                found.append(rule.diagnostic(manuscript.path, line, col, finding.detail))
    return manuscripts, found


def _built(
    book: Book, theme: themes.Theme, manuscripts: Sequence[prose.Manuscript]
) -> tuple[list[Diagnostic], int]:
    """Build the EPUB and the print PDF into a temporary folder and check them (EPUBCheck runs
    in Java while WeasyPrint lays out the pages); the findings and the number of pages."""
    from octavo.targets import epub, pdf

    command = epubcheck.command()  # before any work: say at once if it cannot run
    fallback = book.config.path or (book.chapters[0].source if book.chapters else None)
    found: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="octavo-check-") as folder:
        epub_path = Path(folder) / f"{book.slug}.epub"
        found += epub.write(book, theme, epub_path).diagnostics
        process = epubcheck.start(epub_path, command)
        try:
            document = pdf.layout(book, theme)
            pdf_path = Path(folder) / f"{book.slug}.pdf"
            pdf_path.write_bytes(pdf.to_pdf(document, book))
            found += pdfcheck.font_diagnostics(pdf_path, theme, manuscripts, fallback)
            found += pdfcheck.overfull_diagnostics(document, manuscripts, fallback)
        finally:
            messages = epubcheck.finish(process)
    found += epubcheck.diagnostics(messages, book)
    return found, len(document.pages)


def check(source: Path, *, build: bool = True) -> CheckReport:
    """Check a book folder or a single manuscript file; `build=False` lints the manuscript only
    (no EPUB, no PDF, no Java)."""
    source = Path(source)
    meta = metadata.read(source)
    book = load_book(source, config=meta.config, lenient=True)
    theme = themes.load(book.config.theme, book.config.root)
    glyphs = fonts.coverage(theme)
    manuscripts, found = lint(_sources(source, book), book, glyphs)
    found += meta.diagnostics
    found += fonts.metadata_glyphs(meta, glyphs)
    found += [d for chapter in book.chapters for d in chapter.diagnostics]
    pages: int | None = None
    if build:
        built, pages = _built(book, theme, manuscripts)
        found += built
    return CheckReport.of(found, pages, build)
