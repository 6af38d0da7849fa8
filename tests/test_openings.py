"""Chapter openings with a small-caps first line, read back from the PDF: the first line of each
opening paragraph holds words in small caps, and only that line. The first line of every page
the paragraph runs onto is set like the rest of the text: WeasyPrint set it in small caps too,
where a verse line, wider in small caps, turned over and left a word alone on a line."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pypdfium2 as pdfium
import pytest

from octavo import build, load_book
from octavo.pipeline import BuildResult
from octavo.print.geometry import margins_for
from support import REPO

OPENINGS = REPO / "tests" / "books" / "openings"
TITLES = ("The Stair", "The Letters", "The Boat")
# Letters that stand on the baseline and reach the x-height: a small cap is taller.
X_HEIGHT_LETTERS = set("acemnorsuvwxz")


@dataclass(frozen=True)
class Line:
    text: str
    x_height: float  # median height of its x-height letters (0 if it has none)


def _lines(page: pdfium.PdfPage, top: float, bottom: float) -> list[Line]:
    """The lines of the text block, in reading order. A character whose box overlaps the line
    being read belongs to it, so a raised footnote call or an opening quote stays on its line."""
    text = page.get_textpage()
    limit = page.get_height() - top
    lines: list[tuple[list[float], list[str], list[float]]] = []  # (band, characters, heights)
    for i in range(text.count_chars()):
        ch = text.get_text_range(i, 1)
        if ch in "\r\n":
            continue
        if ch == " " or not ch.strip():
            if lines:
                lines[-1][1].append(" ")
            continue
        _, low, _, high = text.get_charbox(i)
        if low < bottom or high > limit:
            continue  # a running head or a folio
        if not lines or high < lines[-1][0][0] or low > lines[-1][0][1]:
            lines.append(([low, high], [], []))
        band, chars, heights = lines[-1]
        band[0], band[1] = min(band[0], low), max(band[1], high)
        chars.append(ch)
        if ch in X_HEIGHT_LETTERS:
            heights.append(high - low)
    return [
        Line(" ".join("".join(chars).split()), statistics.median(heights) if heights else 0.0)
        for _, chars, heights in lines
    ]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(OPENINGS), tmp_path_factory.mktemp("openings"), ["pdf"])


@pytest.fixture(scope="module")
def pages(result: BuildResult) -> list[tuple[str, list[Line]]]:
    """(folio, lines of the text block) of every page."""
    path = next(o.path for o in result.outputs if o.format == "pdf")
    margins = margins_for(result.book.config.trim)
    doc = pdfium.PdfDocument(str(path))
    try:
        return [
            (doc.get_page_label(i), _lines(doc[i], margins.top, margins.bottom))
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def _body_x_height(pages: list[tuple[str, list[Line]]]) -> float:
    return statistics.median(ln.x_height for _, lines in pages for ln in lines if ln.x_height)


def _small_caps(line: Line, body: float) -> bool:
    return line.x_height > body * 1.05


def test_each_opening_line_holds_words_in_small_caps(pages: list[tuple[str, list[Line]]]) -> None:
    body = _body_x_height(pages)
    for title in TITLES:
        lines = next(lines for _, lines in pages if lines and lines[0].text == title)
        first = lines[1]
        assert len(first.text.split()) > 1, (title, first.text)
        assert _small_caps(first, body), (title, first)
        assert not _small_caps(lines[2], body), (title, lines[2])


def test_no_other_line_is_set_in_small_caps(pages: list[tuple[str, list[Line]]]) -> None:
    body = _body_x_height(pages)
    openers = {i for i, (_, lines) in enumerate(pages) if lines and lines[0].text in TITLES}
    assert len(openers) == len(TITLES)
    runs_on = [i + 1 for i in openers if i + 1 < len(pages) and pages[i + 1][1]]
    assert len(runs_on) >= 2, "the fixture's poem and long paragraph should run on"
    for i, (label, lines) in enumerate(pages):
        if not label.isdigit():
            continue  # front matter: its headings are set in small caps on purpose
        extra = lines[2:] if i in openers else lines
        wrong = [ln.text for ln in extra if _small_caps(ln, body)]
        assert wrong == [], (label, wrong)


def test_no_verse_line_turns_over_leaving_a_word_alone(
    pages: list[tuple[str, list[Line]]],
) -> None:
    """Every line of the poem fits the measure; none may leave a word on a line of its own."""
    start = next(i for i, (_, lines) in enumerate(pages) if lines and lines[0].text == TITLES[0])
    end = next(i for i, (_, lines) in enumerate(pages) if lines and lines[0].text == TITLES[1])
    poem = [ln.text for _, lines in pages[start:end] for ln in lines][1:]
    assert len(poem) >= 39
    assert [text for text in poem if len(text.split()) < 2] == []


def test_the_fixture_poem_fits_the_measure_only_in_lower_case() -> None:
    """The poem's lines are long enough that small caps would not fit them: without that, the
    tests above could not fail."""
    text = (OPENINGS / "manuscript" / "01-the-stair.md").read_text("utf-8")
    lengths = [len(line.rstrip("\\")) for line in text.split("\n")[3:] if line]
    assert min(lengths) >= 36 and len(lengths) >= 38
