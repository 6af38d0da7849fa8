"""A line that holds only the first part of a broken word (weasy/trailing_space.py; P031 in the
page-quality report). The word-parts book sets one paragraph on 30 measures a quarter point
apart: a run of text ending in a space before inline code, about as wide as the measures. Where
the run fits but for its trailing space, WeasyPrint 70 alone sets "Hyphen‐" on a line of its
own, the rest of the run on the next; octavo sets the run whole and the code on the next line.
Both layouts are read back from the PDF."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from octavo import build, load_book
from octavo.book.model import Book
from octavo.check import pagequality
from octavo.core.diagnostics import Diagnostic
from octavo.print.layout import Pace
from octavo.weasy import trailing_space
from support import REPO, normalize, pdf_pages_text

WORD_PARTS = REPO / "tests" / "books" / "word-parts"
RUN = "Hyphenation should never leave a syllable alone on its line before"
PARAGRAPH = f"{RUN} inline_code() that does not fit."
MEASURES = 30  # paragraphs in the book, one per measure
WHOLE = Pace(whole=True)  # laid out in this process, as one document: the report reads its boxes


@dataclass(frozen=True)
class Laid:
    book: Book
    pdf: Path
    faults: list[Diagnostic]


def lay_out(root: Path) -> Laid:
    book = load_book(WORD_PARTS)
    result = build(book, root, ["pdf"], pace=WHOLE)
    assert result.layout is not None
    pdf = next(o.path for o in result.outputs if o.format == "pdf")
    return Laid(book, pdf, pagequality.diagnostics(result.layout.document, book))


@pytest.fixture(scope="module")
def octavo_laid(tmp_path_factory: pytest.TempPathFactory) -> Laid:
    return lay_out(tmp_path_factory.mktemp("octavo"))


@pytest.fixture(scope="module")
def weasyprint_laid(tmp_path_factory: pytest.TempPathFactory) -> Laid:
    """The same book with WeasyPrint's own line breaking: the patch swapped for a no-op."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trailing_space, "left_out", contextlib.nullcontext)
        return lay_out(tmp_path_factory.mktemp("weasyprint"))


def lines_of(pdf: Path) -> list[str]:
    return [ln.strip() for page in pdf_pages_text(pdf) for ln in page.split("\n") if ln.strip()]


def word_parts(pdf: Path) -> list[str]:
    """Lines that are one piece of a word: no space, WeasyPrint's hyphen at the end."""
    return [ln for ln in lines_of(pdf) if ln.endswith("\u2010") and " " not in ln]


def test_weasyprint_alone_leaves_a_syllable_on_a_line_of_its_own(weasyprint_laid: Laid) -> None:
    parts = word_parts(weasyprint_laid.pdf)
    assert parts and set(parts) == {"Hyphen‐"}, parts
    assert len(parts) < MEASURES  # only on the measures the run fits but for its space


def test_octavo_sets_the_run_whole_and_the_code_after_it(octavo_laid: Laid) -> None:
    assert word_parts(octavo_laid.pdf) == []
    text = normalize("\n".join(pdf_pages_text(octavo_laid.pdf)))
    assert text.count(PARAGRAPH) == MEASURES  # every paragraph, word for word
    # on some measures the run fills a line whole, the code opening the next
    assert RUN in lines_of(octavo_laid.pdf)


def test_the_report_names_each_line_of_a_word_part(weasyprint_laid: Laid) -> None:
    code = pagequality.CODE_OF_KIND["word-part"]
    named = [d for d in weasyprint_laid.faults if d.code == code]
    assert len(named) == len(word_parts(weasyprint_laid.pdf))
    for hit in named:
        assert "“Hyphen‐” alone on its line" in hit.message
        assert hit.path is not None and hit.path.name == "01-measures.md"
        assert hit.line is not None and hit.line % 3 == 1  # a paragraph's line, after {.mN}


def test_the_report_names_none_in_octavo_s_layout(octavo_laid: Laid) -> None:
    code = pagequality.CODE_OF_KIND["word-part"]
    assert [d for d in octavo_laid.faults if d.code == code] == []
