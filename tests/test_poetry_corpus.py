"""A real poetry collection, unchanged: Frost's North of Boston (../shared/corpus), sixteen poems
in one Markdown file of hard-broken stanzas. It builds in every format without a warning, its
EPUB passes EPUBCheck, its contents list every poem, and its poems keep their lines."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from octavo import build, load_book
from octavo.pipeline import BuildResult
from support import SHARED, epubcheck, output, pdf_pages_text
from test_epub_pagelist import agreement
from versesupport import PdfLine, find_in_order, pdf_lines, verse_lines

NORTH = SHARED / "corpus" / "north-of-boston"
POEMS = NORTH / "manuscript" / "03-north-of-boston.md"
EM = 11.0

pytestmark = pytest.mark.skipif(not NORTH.is_dir(), reason="the corpus lives in ../shared")


def _poems() -> dict[str, str]:
    """Title → text of each poem of the collection, as the manuscript has it."""
    parts = re.split(r"^# (.+)$", POEMS.read_text("utf-8"), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture(scope="module")
def north(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("north-of-boston")
    return build(load_book(NORTH), out, ["epub", "pdf", "booklet"])


@pytest.fixture(scope="module")
def lines(north: BuildResult) -> list[PdfLine]:
    return pdf_lines(output(north, "pdf"))


def test_it_builds_in_every_format_without_a_warning(north: BuildResult) -> None:
    assert [o.format for o in north.outputs] == ["epub", "pdf", "booklet"]
    assert north.warnings == []


def test_its_epub_passes_epubcheck(north: BuildResult) -> None:
    assert epubcheck(output(north, "epub")).problems() == []


def test_every_poem_is_a_chapter_in_the_printed_contents_and_the_nav(north: BuildResult) -> None:
    titles = list(_poems())
    assert len(titles) == 16
    contents = next(t for t in pdf_pages_text(output(north, "pdf")) if "Contents" in t)
    entries = [line for line in contents.splitlines() if "..." in line]  # dot leaders
    # the title, the leader and the folio (proportional figures: no space need come before it)
    listed = [re.sub(r"[\s.]*\d+$", "", line) for line in entries]
    assert listed == titles
    with zipfile.ZipFile(output(north, "epub")) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    toc = nav.find(".//{*}nav[@id='toc']")
    assert toc is not None
    navigation = ["".join(a.itertext()) for a in toc.iterfind(".//{*}a")]
    assert navigation[-16:] == titles
    assert len(navigation) == 18  # the dedication and the prefatory poem come first


@pytest.mark.parametrize("title", ["Mending Wall", "Home Burial", "Good Hours"])
def test_each_line_of_a_poem_is_one_line_of_the_pdf_and_none_is_justified(
    lines: list[PdfLine], title: str
) -> None:
    found = find_in_order(lines, [title, *verse_lines(_poems()[title])])
    for line in found[1:]:
        assert max(line.word_gaps(), default=0) < 0.4 * EM, (line.text, line.word_gaps())


def test_the_page_list_agrees_with_the_print_edition(north: BuildResult) -> None:
    found = agreement(north)
    assert found.compared >= 80 and not found.unlisted
    assert (found.compared - len(found.differences)) / found.compared >= 0.99, found.differences
