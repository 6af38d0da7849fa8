"""The sample book in manuscript/, end to end: every paragraph of the seed reaches every target."""

from __future__ import annotations

import zipfile

import pypdfium2 as pdfium
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from octavo.pipeline import BuildResult
from support import SEED, epubcheck, normalize, output, pdf_fonts, pdf_pages_text, squash

A5 = (419.53, 595.28)
A4_LANDSCAPE = (841.89, 595.28)


def seed_paragraphs() -> list[str]:
    return [line.strip() for line in SEED.read_text("utf-8").splitlines() if line.strip()]


def test_manuscript_keeps_the_seed_word_for_word() -> None:
    from support import REPO

    assert (REPO / "manuscript" / "01-story.txt").read_bytes() == SEED.read_bytes()


def test_epub_passes_epubcheck_without_errors_or_warnings(sample_build: BuildResult) -> None:
    report = epubcheck(output(sample_build, "epub"))
    assert report.problems() == []


def test_epub_holds_every_seed_paragraph_in_order(sample_build: BuildResult) -> None:
    with zipfile.ZipFile(output(sample_build, "epub")) as epub:
        chapters = [n for n in epub.namelist() if n.endswith("story.xhtml")]
        assert chapters, epub.namelist()
        tree = lxml_html.fromstring(epub.read(chapters[0]))
    paragraphs = [normalize(p.text_content()) for p in tree.iter("{*}p", "p")]
    assert paragraphs == seed_paragraphs()


def test_pdf_holds_every_seed_paragraph_in_order(sample_build: BuildResult) -> None:
    text = squash(" ".join(pdf_pages_text(output(sample_build, "pdf"))))
    position = 0
    for paragraph in seed_paragraphs():
        found = text.find(squash(paragraph), position)
        assert found >= 0, f"missing or out of order: {paragraph[:60]}"
        position = found + len(squash(paragraph))


def test_pdf_pages_are_a5_with_every_font_embedded(sample_build: BuildResult) -> None:
    path = output(sample_build, "pdf")
    for page in PdfReader(path).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A5, abs=0.01
        )
    fonts = pdf_fonts(path)
    assert fonts and all(fonts.values()), fonts
    assert all("Garamond" in name for name in fonts), fonts


def test_booklet_is_a4_landscape_in_saddle_order(sample_build: BuildResult) -> None:
    interior = pdf_pages_text(output(sample_build, "pdf"))
    booklet = pdfium.PdfDocument(str(output(sample_build, "booklet")))
    sides = len(booklet)
    assert sides == 2 * -(-len(interior) // 4)
    width, height = booklet[0].get_size()
    assert (width, height) == pytest.approx(A4_LANDSCAPE, abs=0.01)
    # Sheet 1 front: page 1 on the right half; sheet 1 back: page 2 on the left half.
    front = (
        booklet[0]
        .get_textpage()
        .get_text_bounded(left=width / 2, bottom=0, right=width, top=height)
    )
    back = booklet[1].get_textpage().get_text_bounded(left=0, bottom=0, right=width / 2, top=height)
    assert normalize(front) == normalize(interior[0])
    assert normalize(back) == normalize(interior[1])
