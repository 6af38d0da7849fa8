"""The print interior, read back from the PDF: what a typesetter and a printer would check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from octavo import build, load_book
from octavo.book.paper import gutter_for, parse_size
from octavo.pipeline import BuildResult
from octavo.print.geometry import geometry_for
from printsupport import PageView, find_opener, find_page, read_pages, rich_book
from support import font_dicts, make_book, output, pdf_fonts, squash

ROMAN = re.compile(r"^[ivxlc]+$")


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("rich")
    return build(load_book(rich_book(root / "book")), root / "out", ["pdf"])


@pytest.fixture(scope="module")
def pages(rich: BuildResult) -> list[PageView]:
    return read_pages(output(rich, "pdf"))


def openers(pages: list[PageView]) -> list[PageView]:
    return [find_opener(pages, title) for title in ("The First", "The Second", "The Third")]


def test_chapters_open_on_recto_pages(pages: list[PageView]) -> None:
    for page in openers(pages):
        assert page.index % 2 == 0, f"{page.label} is a verso"
        assert int(page.label) % 2 == 1


def test_openers_carry_no_folio_or_running_head(pages: list[PageView]) -> None:
    for page in openers(pages):
        assert page.head == "" and page.foot == "", (page.label, page.head, page.foot)


def test_an_inserted_blank_verso_carries_nothing(pages: list[PageView]) -> None:
    blanks = [p for p in pages if not p.text.strip()]
    assert any(p.label.isdigit() for p in blanks), "the fixture should have a blank in the body"
    third = find_opener(pages, "The Third")
    assert not pages[third.index - 1].text.strip()


def test_body_pages_carry_folio_and_running_heads(pages: list[PageView]) -> None:
    first = find_opener(pages, "The First")
    verso, recto = pages[first.index + 1], pages[first.index + 2]
    assert verso.foot == verso.label == "2"
    assert recto.foot == recto.label == "3"
    assert verso.head.lower() == "ann lee"  # the author on versos
    assert recto.head.lower() == "a printed book"  # the title on rectos


def test_front_matter_is_roman_then_the_body_starts_at_1(pages: list[PageView]) -> None:
    first = find_opener(pages, "The First")
    assert first.label == "1"
    assert [p.label for p in pages[: first.index]] == [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    ][: first.index]  # fmt: skip
    assert all(ROMAN.match(p.label) for p in pages[: first.index])
    assert [p.label for p in pages[first.index :]] == [
        str(n) for n in range(1, len(pages) - first.index + 1)
    ]
    contents = find_page(pages, "Contents")
    assert contents.foot == contents.label  # the contents page shows its roman folio


def test_contents_page_numbers_are_the_real_pages(pages: list[PageView]) -> None:
    contents = find_page(pages, "Contents")
    listed = dict(re.findall(r"(The \w+|Acknowledgments)[ .]*?(\d+)", contents.text))
    # an American book spells its heading the American way (book/labels.py)
    assert set(listed) == {"The First", "The Second", "The Third", "Acknowledgments"}
    for title, number in listed.items():
        assert find_opener(pages, title).label == number, title


def test_front_matter_holds_title_copyright_dedication_epigraph(pages: list[PageView]) -> None:
    text = squash(" ".join(p.text for p in pages[:10]))
    for words in (
        "APrintedBook",
        "ISBN9780306406157",
        "Firstedition",
        "SmallPress",
        "SetinEBGaramond",
        "Fortheprinters.",
        "Abookisagardencarriedinthepocket.",
    ):
        assert words in text, words
    assert find_opener(pages, "Acknowledgments").label.isdigit()  # back matter


def test_a_footnote_sits_at_the_foot_of_the_page_that_calls_it(rich: BuildResult) -> None:
    import pypdfium2 as pdfium

    path = output(rich, "pdf")
    views = read_pages(path)
    page = find_page(views, "The source of the claim")
    assert "needs a source" in page.text.replace("\n", " ")
    doc = pdfium.PdfDocument(str(path))
    text = doc[page.index].get_textpage()
    _, bottom, _, _ = page.boxes["trim"]
    low = text.get_text_bounded(0, bottom, 1000, bottom + 150)
    assert "source of the claim" in low.replace("\n", " ")


def test_all_fonts_are_embedded_and_the_themes(rich: BuildResult) -> None:
    fonts = pdf_fonts(output(rich, "pdf"))
    assert fonts and all(fonts.values()), fonts
    assert all("EB-Garamond" in name for name in fonts), fonts


def test_metadata_names_title_author_and_language(rich: BuildResult) -> None:
    reader = PdfReader(output(rich, "pdf"))
    assert reader.metadata is not None
    assert reader.metadata.title == "A Printed Book"
    assert reader.metadata.author == "Ann Lee"
    assert reader.trailer["/Root"]["/Lang"] == "en-US"


def test_page_and_trim_boxes_equal_the_trim_without_bleed(pages: list[PageView]) -> None:
    a5 = (0.0, 0.0, 419.53, 595.28)
    for page in pages:
        assert page.boxes["media"] == page.boxes["trim"] == page.boxes["bleed"] == a5


@pytest.mark.parametrize(
    ("trim", "size"),
    [("6x9in", (432.0, 648.0)), ("5.5x8.5in", (396.0, 612.0)), ("120mm x 190mm", (340.16, 538.58))],
)
def test_page_size_follows_the_trim(tmp_path: Path, trim: str, size: tuple[float, float]) -> None:
    book = make_book(
        tmp_path / "b", {"01.md": "# One\n\nA line.\n"}, f'title = "T"\ntrim = "{trim}"\n'
    )
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    for page in PdfReader(output(result, "pdf")).pages:
        assert (round(float(page.trimbox.width), 2), round(float(page.trimbox.height), 2)) == size
        assert page.mediabox == page.trimbox
    assert not any("Contents" in p.text for p in read_pages(output(result, "pdf")))  # one chapter


@pytest.mark.parametrize(
    ("pages", "inches"),
    [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (500, 0.625), (700, 0.75), (701, 0.875)],
)
def test_the_gutter_grows_with_the_page_count(pages: int, inches: float) -> None:
    assert gutter_for(pages) == inches * 72
    geometry = geometry_for(parse_size("6x9in"), pages)
    assert geometry.margins.inner == pytest.approx((inches + 0.25) * 72)
    assert geometry.margins.outer < geometry.margins.inner


@pytest.mark.parametrize(("language", "hyphen", "other"), [("en-US", "knowl", "know"), ("en-GB", "know", "knowl")])  # fmt: skip
def test_hyphenation_follows_the_books_language(
    tmp_path: Path, language: str, hyphen: str, other: str
) -> None:
    # "knowledge" after 0–4 short words: some line ends fall inside it whatever the measure
    text = " ".join(f"{'a ' * (i % 5)}knowledge" for i in range(120))
    toml = f'title = "T"\nlanguage = "{language}"\ntrim = "2.4in x 5in"\n'
    book = make_book(tmp_path / "b", {"01.md": f"# One\n\n{text}\n"}, toml)
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    words = " ".join(p.text for p in read_pages(output(result, "pdf")))
    breaks = set(re.findall(r"(\w+)\u2010\s*\n?\s*(ledge|edge)", words))
    assert (hyphen, "edge" if hyphen == "knowl" else "ledge") in breaks, breaks
    assert (other, "ledge" if other == "know" else "edge") not in breaks, breaks


def test_a_character_the_font_lacks_is_reported(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nA snowman ☃ in the text.\n"})
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    found = [w for w in result.warnings if w.code == "P002"]
    assert found and "U+2603" in found[0].message, result.warnings


def test_the_modern_theme_sets_the_chapter_title_on_rectos_in_literata(tmp_path: Path) -> None:
    toml = 'title = "Modern"\nauthor = "Bo Kim"\ntheme = "modern"\n'
    book = rich_book(tmp_path / "b", toml, first_paragraphs=18)
    path = output(build(load_book(book), tmp_path / "out", ["pdf"]), "pdf")
    views = read_pages(path)
    # small caps come back from the PDF in either case
    heads = {v.head.lower() for v in views if v.index % 2 == 0 and v.head}
    assert heads and heads <= {"the first", "the second", "the third", "acknowledgements"}, heads
    assert {v.head for v in views if v.index % 2 == 1 and v.head} == {"Bo Kim"}
    assert all("Literata" in name for name in pdf_fonts(path))


def test_a_books_own_print_css_extends_the_theme(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nSome text.\n"})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text('h1.chapter-title::before { content: "Part: "; }')
    path = output(build(load_book(book), tmp_path / "out", ["pdf"]), "pdf")
    assert any("Part: One" in p.text for p in read_pages(path))
    assert all("EB-Garamond" in name for name in pdf_fonts(path))  # still the theme's type


def test_a_bare_en_is_hyphenated_the_american_way() -> None:
    from octavo.print.html import hyphenation_language

    assert hyphenation_language("en") == "en-US"
    assert hyphenation_language("en-GB") == "en-GB"
    assert hyphenation_language("fr") == "fr"


def test_a_book_that_outgrows_its_gutter_is_laid_out_again_with_a_wider_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octavo import themes
    from octavo.book import paper
    from octavo.print.layout import layout

    # a table whose first band ends at 4 pages: the 10-page book needs the second band
    monkeypatch.setattr(paper, "GUTTER_TABLE", ((4, 0.375), (1000, 0.5)))
    book = load_book(rich_book(tmp_path / "b"))
    made = layout(book, themes.load("classic"))
    assert made.pages > 4
    assert made.geometry.gutter == 0.5 * 72
    assert made.geometry.margins.inner == 0.75 * 72


def test_the_page_estimate_of_a_long_book_is_close(tmp_path: Path) -> None:
    from octavo import themes
    from octavo.print.layout import estimated_pages, layout
    from octavo.print.printers import PrintOptions
    from printsupport import prose

    files = {f"{i:02}.md": f"# Part {i}\n\n{prose(44, 70, i)}\n" for i in range(1, 9)}
    book = load_book(make_book(tmp_path / "b", files))
    assert sum(len(c.body_html) for c in book.chapters) >= 150_000
    theme = themes.load("classic")
    estimate = estimated_pages(book, theme, PrintOptions())
    actual = layout(book, theme).pages
    assert abs(estimate - actual) <= 0.1 * actual, (estimate, actual)


def test_embedded_fonts_are_static_subsets(rich: BuildResult) -> None:
    import io

    from fontTools.ttLib import TTFont

    reader = PdfReader(output(rich, "pdf"))
    fonts = {}
    for page in reader.pages:
        for font in font_dicts(page):
            descendant = font["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(data))
    assert fonts
    for name, font in fonts.items():
        assert "fvar" not in font and "gvar" not in font, name  # pinned to one instance
        assert "GSUB" not in font and "GPOS" not in font, name  # shaping is done already
        drawn = sum(1 for g in font.getGlyphOrder() if font["glyf"][g].numberOfContours)
        assert drawn < 400, (name, drawn)  # only the glyphs the book uses


def test_axes_are_pinned_where_weasyprint_pins_them() -> None:
    from types import SimpleNamespace

    from octavo.weasy.patches import axis_locations

    font = SimpleNamespace(variations={}, weight=500, font_size=9.5, style=0)
    axes = {"wght": (200.0, 400.0, 900.0), "opsz": (7.0, 12.0, 72.0)}
    assert axis_locations(font, axes) == {"wght": 500.0, "opsz": 9.5}
    font = SimpleNamespace(variations={"wght": 1000.0}, weight=400, font_size=4, style=0)
    assert axis_locations(font, axes) == {"wght": 900.0, "opsz": 7.0}  # clamped to the axes


def test_manuscript_front_and_back_matter_take_their_places(tmp_path: Path) -> None:
    from printsupport import prose

    files = {
        "00-dedication.md": "# Dedication\n\nFor my mother.\n",
        "01-preface.md": f"# Preface\n\n{prose(3, 60, 5)}\n",
        "02-one.md": f"# One\n\n{prose(3, 60, 6)}\n",
        "03-two.md": f"# Two\n\n{prose(3, 60, 7)}\n",
        "99-acknowledgments.md": "# Acknowledgments\n\nThanks.\n",
    }
    book = load_book(make_book(tmp_path / "b", files))
    assert [c.matter for c in book.chapters] == ["front", "front", "body", "body", "back"]
    pages = read_pages(output(build(book, tmp_path / "out", ["pdf"]), "pdf"))
    dedication = find_page(pages, "For my mother.")
    assert ROMAN.match(dedication.label) and "Dedication" not in dedication.text
    assert ROMAN.match(find_opener(pages, "Preface").label)
    assert find_opener(pages, "One").label == "1"
    contents = find_page(pages, "Contents")
    listed = dict(re.findall(r"(Preface|One|Two|Acknowledgments)[ .]*?([ivx]+|\d+)", contents.text))
    assert list(listed) == ["Preface", "One", "Two", "Acknowledgments"]
    for title, label in listed.items():
        assert find_opener(pages, title).label == label, title


def test_a_language_without_hyphenation_patterns_is_reported(tmp_path: Path) -> None:
    from octavo.print.printers import check_hyphenation

    book = make_book(
        tmp_path / "b", {"01.md": "# One\n\nText.\n"}, 'title = "T"\nlanguage = "tlh"\n'
    )
    config = load_book(book).config
    assert [w.code for w in check_hyphenation(config, "tlh")] == ["P015"]
    assert check_hyphenation(config, "en-GB") == []


def test_font_patches_hold_only_while_octavo_writes_its_pdf(rich: BuildResult) -> None:
    """Another document laid out in the same process gets WeasyPrint as it is."""
    from fontTools import subset
    from weasyprint.pdf import fonts

    from octavo.weasy import patches

    before = (fonts.Font.clean, subset.Subsetter.subset)
    with patches.applied():
        assert fonts.Font.clean is not before[0]
        assert subset.Subsetter.subset is not before[1]
    assert (fonts.Font.clean, subset.Subsetter.subset) == before


def test_another_weasyprint_version_is_refused_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint

    from octavo.core.errors import OctavoError
    from octavo.weasy import patches

    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    with pytest.raises(OctavoError, match=r"octavo needs WeasyPrint 70\.x, but 99\.0"):
        patches.check_version()


def test_a_pictures_own_font_is_reported_as_the_pictures(tmp_path: Path) -> None:
    """An SVG's words in a font the theme does not use are the picture's, not characters the
    theme lacks (The Rust Programming Language's diagrams: the report said EB Garamond lacked
    ".", "0", "1"…). A character the theme does lack is still named."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
        '<text x="10" y="40" font-family="DejaVu Serif" font-size="20">len 5 ptr</text></svg>'
    )
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nA diagram:\n\n![The heap](heap.svg)\n"})
    (book / "manuscript" / "heap.svg").write_text(svg, "utf-8")
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    (found,) = [w.message for w in result.warnings if w.code == "P002"]
    assert "a picture (SVG)" in found and "'DejaVu Serif'" in found, found
    assert "lacks" not in found, found
    svg = svg.replace("len 5 ptr", "len 5 ptr \u2603")  # a snowman, which EB Garamond lacks
    (book / "manuscript" / "heap.svg").write_text(svg, "utf-8")
    result = build(load_book(book), tmp_path / "out2", ["pdf"])
    found = " | ".join(w.message for w in result.warnings if w.code == "P002")
    assert "has ☃ (U+2603):" in found and "(U+0035)" not in found, found
