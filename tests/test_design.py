"""[design] in book.toml, one test per key, each reading the print PDF back (font names and
sizes, line pitch, the drop cap, running heads, margins), and the EPUB's CSS and chapters."""

from __future__ import annotations

import re
import statistics
import zipfile
from pathlib import Path

import pytest

from designsupport import Char, body_size, lines, page_chars, steps
from octavo import build, load_book
from octavo.book import labels
from octavo.book.paper import parse_size
from octavo.core.errors import ConfigError
from octavo.print.geometry import margins_for
from printsupport import find_opener, prose, read_pages
from support import epubcheck, make_book

MM = 72 / 25.4


def _chapters() -> dict[str, str]:
    long = prose(14, 90, seed=3)
    return {
        "01-harbour.md": f"# The Harbour\n\n{long}\n\n***\n\n{prose(6, 80, seed=4)}\n",
        "02-lighthouse.md": f"# The Lighthouse\n\n{prose(12, 90, seed=5)}\n",
    }


DESIGNED = """\
title = "Designed"
author = "Ann Lee"
language = "en-GB"

[design]
font = "Crimson Pro"
size = "12pt"
leading = 1.6
paragraphs = "spaced"
opening = "drop-cap"
chapter_label = "words"
running_heads = "title-chapter"
scene_break = "§"
margins = { outside = "30mm" }
"""

PLAIN = 'title = "Designed"\nauthor = "Ann Lee"\nlanguage = "en-GB"\n'

# the manual theme's own defaults (spaced, numbered, title/chapter heads) overridden by the book
OVERRIDDEN = """\
title = "Handbuch"
author = "Ann Lee"
language = "de"
theme = "manual"

[design]
paragraphs = "indented"
chapter_label = "words"
running_heads = "none"
opening = "small-caps"
"""


def _built(root: Path, toml: str) -> tuple[Path, Path]:
    book = make_book(root, _chapters(), toml)
    result = build(load_book(book), root / "out", ["epub", "pdf"])
    paths = {o.format: o.path for o in result.outputs}
    return paths["pdf"], paths["epub"]


@pytest.fixture(scope="module")
def designed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _built(tmp_path_factory.mktemp("designed"), DESIGNED)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _built(tmp_path_factory.mktemp("plain"), PLAIN)


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _built(tmp_path_factory.mktemp("overridden"), OVERRIDDEN)


def _opener(pdf: Path, title: str) -> int:
    return find_opener(read_pages(pdf), title).index


def _text_page(pdf: Path, title: str) -> list[Char]:
    """The page after a chapter's opener: body text only, with its running head."""
    return page_chars(pdf, _opener(pdf, title) + 1)


def _fonts(chars: list[Char]) -> set[str]:
    return {c.font for c in chars}


def test_font_sets_the_text_in_the_named_family(
    designed: tuple[Path, Path], plain: tuple[Path, Path]
) -> None:
    assert _fonts(_text_page(designed[0], "The Harbour")) == {"Crimson-Pro"}
    assert _fonts(_text_page(plain[0], "The Harbour")) == {"EB-Garamond"}
    # the colophon names the face the book is set in
    assert "Set in Crimson Pro" in "".join(v.text for v in read_pages(designed[0]))


def test_size_sets_the_print_type_size(
    designed: tuple[Path, Path], plain: tuple[Path, Path]
) -> None:
    assert body_size(_text_page(designed[0], "The Harbour")) == pytest.approx(12, abs=0.05)
    assert body_size(_text_page(plain[0], "The Harbour")) == pytest.approx(11, abs=0.05)


def test_leading_sets_the_distance_between_lines(
    designed: tuple[Path, Path], plain: tuple[Path, Path]
) -> None:
    pitch = statistics.median(steps(_text_page(designed[0], "The Harbour"), 12))
    assert pitch == pytest.approx(12 * 1.6, abs=0.3)
    assert statistics.median(steps(_text_page(plain[0], "The Harbour"), 11)) == pytest.approx(
        11 * 1.35, abs=0.3
    )


def _indented_lines(chars: list[Char], size: float) -> int:
    found = lines(chars, size)
    left = min(line[0].box[0] for line in found)
    return sum(1 for line in found if line[0].box[0] > left + 0.6 * size)


def test_paragraphs_spaced_or_indented(
    designed: tuple[Path, Path], overridden: tuple[Path, Path]
) -> None:
    spaced = _text_page(designed[0], "The Harbour")
    gaps = steps(spaced, 12)
    pitch = statistics.median(gaps)
    assert any(g > pitch + 0.6 * 12 for g in gaps), "spaced: a gap between paragraphs"
    assert _indented_lines(spaced, 12) == 0, "spaced: no indents"
    indented = _text_page(overridden[0], "The Harbour")  # the manual theme is spaced by default
    size = body_size(indented)
    assert _indented_lines(indented, size) >= 2, "indented: paragraphs open with an indent"
    gaps = steps(indented, size)
    assert max(gaps) < statistics.median(gaps) + 0.3 * size, "indented: no gaps"


def _drop_caps(pdf: Path, title: str) -> list[Char]:
    """The letters on a chapter's opener set far larger than the text, alone at their size (a
    label or title in large type is a run of letters)."""
    chars = page_chars(pdf, _opener(pdf, title))
    size = body_size(chars)
    big = [c for c in chars if c.size > 2.5 * size]
    return [c for c in big if sum(1 for d in big if d.size == c.size) == 1]


def test_opening_drop_cap_or_not(
    designed: tuple[Path, Path], plain: tuple[Path, Path], overridden: tuple[Path, Path]
) -> None:
    caps = _drop_caps(designed[0], "The Harbour")
    assert len(caps) == 1 and caps[0].text.isalpha()
    assert _drop_caps(designed[0], "The Lighthouse"), "every chapter opens with one"
    assert _drop_caps(plain[0], "The Harbour") == []  # classic opens with small caps
    assert _drop_caps(overridden[0], "The Harbour") == []


def test_chapter_label_above_the_title(
    designed: tuple[Path, Path], plain: tuple[Path, Path], overridden: tuple[Path, Path]
) -> None:
    pages = read_pages(designed[0])
    first = find_opener(pages, "The Harbour")
    assert first.text.strip().splitlines()[:2] == ["Chapter One", "The Harbour"]
    assert find_opener(pages, "The Lighthouse").text.strip().startswith("Chapter Two")
    assert "Chapter One" not in find_opener(read_pages(plain[0]), "The Harbour").text
    assert "Kapitel eins" in find_opener(read_pages(overridden[0]), "The Harbour").text


def test_running_heads(
    designed: tuple[Path, Path], plain: tuple[Path, Path], overridden: tuple[Path, Path]
) -> None:
    def heads(pdf: Path) -> set[tuple[str, str]]:
        return {(v.label, v.head) for v in read_pages(pdf) if v.label.isdigit() and v.head}

    designed_heads = heads(designed[0])
    versos = {h for label, h in designed_heads if int(label) % 2 == 0}
    rectos = {h for label, h in designed_heads if int(label) % 2 == 1}
    assert versos == {"Designed"} and rectos <= {"The Harbour", "The Lighthouse"} and rectos
    plain_heads = heads(plain[0])
    assert {h for label, h in plain_heads if int(label) % 2 == 0} == {"Ann Lee"}
    assert {h for label, h in plain_heads if int(label) % 2 == 1} == {"Designed"}
    assert heads(overridden[0]) == set()


def test_scene_break_ornament(designed: tuple[Path, Path], plain: tuple[Path, Path]) -> None:
    assert any(v.text.strip().count("§") == 1 for v in read_pages(designed[0]))
    assert not any("§" in v.text for v in read_pages(plain[0]))


def test_margins_outside(designed: tuple[Path, Path], plain: tuple[Path, Path]) -> None:
    def outside(pdf: Path) -> float:
        """The outside margin of the fullest recto: trim edge to the justified lines' end."""
        pages = read_pages(pdf)
        rectos = [v for v in pages if v.label.isdigit() and int(v.label) % 2 == 1]
        page = max(rectos, key=lambda v: len(v.text))
        chars = page_chars(pdf, page.index)
        ends = [line[-1].box[2] for line in lines(chars, body_size(chars))]
        return page.boxes["trim"][2] - statistics.median(ends)

    # the text block stands in from the page margins by the same amount in both (the body's
    # own margin): the difference is what [design] changed
    default = margins_for(parse_size("A5")).outer
    assert default < 30 * MM - 20
    assert outside(designed[0]) - outside(plain[0]) == pytest.approx(30 * MM - default, abs=1.0)


def test_the_epub_carries_the_design_in_its_css(designed: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(designed[1]) as z:
        css = z.read("EPUB/style/book.css").decode()
        chapter = z.read("EPUB/c01-harbour.xhtml").decode()
    design = css[css.index("/* --- [design] --- */") :]
    assert 'body { font-family: "Crimson Pro", serif; }' in design
    assert "body { line-height: 1.6; }" in design
    assert ".chapter-body p + p { margin-top: 0.75em; }" in design
    assert "::first-letter { float: left;" in design
    assert 'content: "§"' in design
    assert "font-size: 12pt" not in css  # the reader chooses the size of an e-book's type
    # the label opens printed page 1, so the page-break marker goes inside it
    assert re.search(
        r'<p class="chapter-label">(<span epub:type="pagebreak"[^>]*/>)?Chapter One</p>', chapter
    )
    assert epubcheck(designed[1]).problems() == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('fnt = "Crimson Pro"', "[design]: unknown setting 'fnt': did you mean 'font'?"),
        ('font = "Crimson Pr"', "did you mean 'Crimson Pro'?"),
        ('font = "Zapfino Deluxe"', "pip install fontpkg-zapfino-deluxe"),
        (
            'opening = "dropcap"',
            '[design] \'opening\' must be one of "plain", "small-caps" or "drop-cap"',
        ),
        ("size = 40", "between 6pt and 24pt"),
        ("leading = 4", "between 1.0 and 2.5"),
        ('margins = { left = "2cm" }', "'left' is not one of them"),
        ('margins = "wide"', 'a length such as "18mm"'),
        ('running_heads = "author"', '"author-title", "title-chapter" or "none"'),
    ],
)
def test_a_bad_design_setting_names_its_line_and_what_is_allowed(
    tmp_path: Path, setting: str, message: str
) -> None:
    book = make_book(
        tmp_path,
        {"01.md": "# One\n\nText.\n"},
        f'title = "T"\n\n[design]\nparagraphs = "spaced"\n{setting}\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_book(book)
    assert message in caught.value.message
    assert caught.value.line == 5


def test_a_theme_that_extends_another_inherits_its_fonts_and_overrides_print(
    tmp_path: Path,
) -> None:
    book = make_book(tmp_path, _chapters(), 'title = "Mine"\ntheme = "mine"\n')
    theme = book / "styles" / "mine"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "classic"\n\n[print]\nopening = "drop-cap"\n')
    (theme / "print.css").write_text("h1.chapter-title { font-style: italic; }\n")
    pdf = build(load_book(book), tmp_path / "out", ["pdf"]).outputs[0].path
    assert _fonts(_text_page(pdf, "The Harbour")) == {"EB-Garamond"}
    assert len(_drop_caps(pdf, "The Harbour")) == 1
    title = [c for c in page_chars(pdf, _opener(pdf, "The Harbour")) if c.text == "H"]
    assert title and title[0].font.startswith("EB-Garamond")


@pytest.mark.parametrize(
    ("number", "language", "words"),
    [
        (1, "en-GB", "Chapter One"),
        (21, "en", "Chapter Twenty-One"),
        (1, "de", "Kapitel eins"),
        (21, "de-AT", "Kapitel einundzwanzig"),
        (71, "fr", "Chapitre soixante et onze"),
        (80, "fr", "Chapitre quatre-vingts"),
        (91, "fr", "Chapitre quatre-vingt-onze"),
        (23, "es", "Capítulo veintitrés"),
        (31, "es", "Capítulo treinta y uno"),
        (21, "it", "Capitolo ventuno"),
        (23, "it", "Capitolo ventitré"),
        (22, "nl", "Hoofdstuk tweeëntwintig"),
        (21, "nl", "Hoofdstuk eenentwintig"),
        (3, "ja", "3"),
        (120, "en", "120"),
    ],
)
def test_chapter_labels_in_six_languages(number: int, language: str, words: str) -> None:
    assert labels.label(number, "words", language) == words
    assert labels.label(number, "number", language) == str(number)


def test_code_font_sets_code_in_the_named_family(tmp_path: Path) -> None:
    listing = (
        "# Code\n\nCall `parse()` first.\n\n```python\ndef parse(text):\n    return text\n```\n"
    )

    def fonts(toml: str, name: str) -> set[str]:
        book = make_book(tmp_path / name, {"01-code.md": listing}, toml)
        pdf = build(load_book(book), tmp_path / name / "out", ["pdf"]).outputs[0].path
        return _fonts(page_chars(pdf, _opener(pdf, "Code")))

    chosen = fonts('title = "C"\n\n[design]\ncode_font = "Source Code Pro"\n', "chosen")
    assert any(f.startswith("Source-Code-Pro") for f in chosen), chosen
    assert not any(f.startswith("JetBrains") for f in chosen)
    theirs = fonts('title = "C"\n', "theme")  # classic's own code face
    assert any(f.startswith("JetBrains") for f in theirs), theirs
