"""Books in other scripts, read back from the print PDF: Arabic and Hebrew are set right to left
in a face of their script (not a screen face borrowed from the machine), their first word whole
(no initial cut from an Arabic word, no small caps letter-spaced apart); characters no font has
are reported, never printed as empty boxes in silence; scripts that break lines without hyphens
are not told that hyphenation patterns are missing."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from octavo import build, load_book
from octavo.pipeline import BuildResult
from support import epubcheck, make_book, pdf_fonts, pdf_pages_text

BOOKS = {
    "ar": ("ألف ليلة وليلة", "الليلة الأولى", "حكي والله أعلم أنه كان فيما مضى من قديم الزمان."),
    "he": ("ספר", "פרק א", "בראשית ברא אלהים את השמים ואת הארץ."),
    "ja": ("吾輩は猫である", "一", "吾輩は猫である。名前はまだ無い。"),
}
FACES = {"ar": "Amiri", "he": "Frank-Ruhl-Libre"}


@pytest.fixture(scope="module", params=sorted(BOOKS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    language = request.param
    title, heading, text = BOOKS[language]
    root = tmp_path_factory.mktemp(language)
    toml = f'title = "{title}"\nauthor = "A"\nlanguage = "{language}"\n'
    make_book(root / "book", {"01.md": f"# {heading}\n\n{text}\n"}, toml)
    return build(load_book(root / "book"), root / "out", ["epub", "pdf"])


def _pdf(result: BuildResult) -> Path:
    return next(o.path for o in result.outputs if o.format == "pdf")


def _codes(result: BuildResult) -> set[str]:
    return {w.code for w in result.warnings}


def test_a_right_to_left_book_is_set_in_its_scripts_face(built: BuildResult) -> None:
    language = built.book.config.language
    if language not in FACES:
        pytest.skip("no face of this script ships with octavo")
    fonts = pdf_fonts(_pdf(built))
    assert any(FACES[language] in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts
    assert "P002" not in _codes(built)


def test_its_lines_stand_against_the_right_margin_and_its_first_word_is_whole(
    built: BuildResult,
) -> None:
    language = built.book.config.language
    if language not in FACES:
        pytest.skip("a left-to-right book")
    doc = pdfium.PdfDocument(str(_pdf(built)))
    try:
        page = next(doc[i] for i in range(len(doc)) if doc.get_page_label(i) == "1")
        text = page.get_textpage()
        body = BOOKS[language][2]
        assert body.split()[0] in text.get_text_range(), text.get_text_range()
        # the chapter's text is its last line (the title stands above it), flush right
        chars = text.get_text_range()
        last_line = range(chars.rindex("\n") + 1, text.count_chars())
        line = [text.get_charbox(i) for i in last_line]
        title = [text.get_charbox(i) for i in range(chars.index("\r"))]
        centre = (min(b[0] for b in title) + max(b[2] for b in title)) / 2
        assert abs(centre - page.get_width() / 2) < page.get_width() * 0.1  # the title centred
        assert max(b[2] for b in line) - centre > centre - min(b[0] for b in line)
        assert min(b[0] for b in line) > page.get_width() * 0.3
    finally:
        doc.close()


def test_characters_no_font_has_are_reported(built: BuildResult) -> None:
    codes = _codes(built)
    if built.book.config.language == "ja":
        assert "P004" in codes  # the machine has no Japanese font: empty boxes, said so
    else:
        assert "P004" not in codes
    assert "P015" not in codes  # these scripts break lines without hyphens


def test_the_epub_passes_epubcheck(built: BuildResult) -> None:
    epub = next(o.path for o in built.outputs if o.format == "epub")
    assert epubcheck(epub).problems() == []


def test_the_copyright_page_speaks_the_books_language(built: BuildResult) -> None:
    language = built.book.config.language
    if language not in FACES:
        pytest.skip("a left-to-right book")
    text = " ".join(pdf_pages_text(_pdf(built)))
    assert "Set in" not in text and "Made with" not in text
    # words, not phrases: pdfium gives some right-to-left lines in visual order
    assert all(w in text for w in {"ar": ["صُفّ", "بخط"], "he": ["סודר", "באות"]}[language])


@pytest.mark.parametrize(("language", "small_caps"), [("ar", False), ("he", False), ("en", True)])
def test_the_epub_opens_in_small_caps_only_where_the_script_has_capitals(
    tmp_path: Path, language: str, small_caps: bool
) -> None:
    """[design] opening = "small-caps" letter-spaces the first line: Arabic's joined letters
    would come apart, and Hebrew has no small capitals to show."""
    import zipfile

    toml = f'title = "T"\nauthor = "A"\nlanguage = "{language}"\n[design]\nopening = "small-caps"\n'
    make_book(
        tmp_path / "book", {"01.md": f"# {BOOKS.get(language, BOOKS['ar'])[1]}\n\nText.\n"}, toml
    )
    result = build(load_book(tmp_path / "book"), tmp_path / "out", ["epub"])
    epub = next(o.path for o in result.outputs if o.format == "epub")
    with zipfile.ZipFile(epub) as z:
        css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    assert ("font-variant-caps: small-caps" in css) is small_caps
