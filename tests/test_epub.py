"""The EPUB a careful publisher would ship: structure and semantics, navigation, footnotes,
accessibility metadata consistent with the content, a cover for every book, embedded fonts,
and identical bytes on every build."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from octavo import build, load_book
from octavo.pipeline import BuildResult
from support import REPO

BOOKS = REPO / "tests" / "books"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


class Epub:
    """An EPUB opened for reading: its package document and XHTML trees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))

    def tree(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"EPUB/{name}"))

    def names(self) -> list[str]:
        return self.zip.namelist()

    def meta(self, prop: str) -> list[str]:
        return [
            m.text or "" for m in self.opf.iterfind(f".//opf:meta[@property='{prop}']", NAMESPACES)
        ]

    def spine(self) -> list[str]:
        hrefs = {i.get("id"): i.get("href") for i in self.opf.iterfind(".//opf:item", NAMESPACES)}
        return [hrefs[r.get("idref")] for r in self.opf.iterfind(".//opf:itemref", NAMESPACES)]

    def manifest(self) -> dict[str, etree._Element]:
        return {str(i.get("href")): i for i in self.opf.iterfind(".//opf:item", NAMESPACES)}


NAMESPACES = {"opf": NS["opf"], "dc": "http://purl.org/dc/elements/1.1/"}


def _epub(result: BuildResult) -> Epub:
    return Epub(next(o.path for o in result.outputs if o.format == "epub"))


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(BOOKS / "features"), tmp_path_factory.mktemp("f"), ["epub"])


@pytest.fixture(scope="module")
def missing_alt(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(BOOKS / "missing-alt"), tmp_path_factory.mktemp("m"), ["epub"])


# --- Structure and semantics ----------------------------------------------------------------


def test_one_document_per_chapter_and_matter_piece_with_epub_type_and_role(
    features: BuildResult,
) -> None:
    epub = _epub(features)
    assert epub.spine() == [
        "cover.xhtml",
        "titlepage.xhtml",
        "copyright.xhtml",
        "c00-dedication.xhtml",  # before the contents, as in print
        "nav.xhtml",
        "c01-the-light.xhtml",
        "c02-reference.xhtml",
        "c03-appendix.xhtml",
    ]
    expected = {
        "c00-dedication.xhtml": ("frontmatter", "dedication", "doc-dedication"),
        "c01-the-light.xhtml": ("bodymatter", "chapter", "doc-chapter"),
        "c02-reference.xhtml": ("bodymatter", "chapter", "doc-chapter"),
        "c03-appendix.xhtml": ("backmatter", "appendix", "doc-appendix"),
    }
    for name, (matter, kind, role) in expected.items():
        tree = epub.tree(name)
        body = tree.find("x:body", NS)
        section = tree.find("x:body/x:section", NS)
        assert body is not None and section is not None
        assert body.get(EPUB_TYPE) == matter
        assert (section.get(EPUB_TYPE), section.get("role")) == (kind, role), name


def test_every_document_declares_its_language(features: BuildResult) -> None:
    epub = _epub(features)
    for name in epub.names():
        if name.endswith(".xhtml"):
            html = epub.tree(name.removeprefix("EPUB/"))
            assert html.get("lang") == "en-GB", name
            assert html.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB", name


def test_epigraph_is_marked_as_one(features: BuildResult) -> None:
    tree = _epub(features).tree("c01-the-light.xhtml")
    quote = tree.find(".//x:blockquote[@class='epigraph']", NS)
    assert quote is not None
    assert (quote.get(EPUB_TYPE), quote.get("role")) == ("epigraph", "doc-epigraph")


def test_footnotes_are_pop_up_asides_with_links_both_ways(features: BuildResult) -> None:
    tree = _epub(features).tree("c01-the-light.xhtml")
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    refs = tree.findall(".//x:a[@role='doc-noteref']", NS)
    notes = tree.findall(".//x:aside", NS)
    assert len(refs) == 3 and len(notes) == 2  # one note is called twice
    for ref in refs:
        assert ref.get(EPUB_TYPE) == "noteref"
        assert ref.get("href", "")[1:] in ids
    for note in notes:
        assert (note.get(EPUB_TYPE), note.get("role")) == ("footnote", "doc-footnote")
        back = note.find(".//x:a[@role='doc-backlink']", NS)
        assert back is not None and back.get("href", "")[1:] in ids
    # The second note keeps both of its paragraphs.
    assert len(notes[1].findall("x:p", NS)) == 2


def test_poetry_keeps_its_line_breaks_and_the_scene_break_stays(features: BuildResult) -> None:
    tree = _epub(features).tree("c01-the-light.xhtml")
    poem = next(p for p in tree.iterfind(".//x:p", NS) if "no ships" in "".join(p.itertext()))
    assert len(poem.findall("x:br", NS)) == 3
    assert tree.find(".//x:hr", NS) is not None


def test_links_between_chapters_lead_to_the_right_file_and_heading(
    features: BuildResult,
) -> None:
    epub = _epub(features)
    tree = epub.tree("c02-reference.xhtml")
    hrefs = [a.get("href") for a in tree.iterfind(".//x:div[@class='chapter-body']//x:a", NS)]
    assert hrefs == [
        "c01-the-light.xhtml#c01-the-light",
        "c01-the-light.xhtml#c01-the-light--verses-from-the-log",
        "c03-appendix.xhtml#c03-appendix",
    ]
    target = epub.tree("c01-the-light.xhtml")
    assert target.find(".//*[@id='c01-the-light--verses-from-the-log']") is not None
    assert not [w for w in features.warnings if w.code in {"S005", "E005"}]


def test_tables_code_and_nested_lists_reach_the_epub(features: BuildResult) -> None:
    tree = _epub(features).tree("c02-reference.xhtml")
    assert len(tree.findall(".//x:table//x:th", NS)) == 3
    assert len(tree.findall(".//x:table/x:tbody/x:tr", NS)) == 4
    assert "harbour sends" in "".join(tree.find(".//x:pre/x:code", NS).itertext())  # type: ignore[union-attr]
    assert len(tree.findall(".//x:ol/x:li/x:ul/x:li", NS)) == 5


# --- Navigation -----------------------------------------------------------------------------


def test_contents_nests_sub_headings_under_their_chapter(features: BuildResult) -> None:
    nav = _epub(features).tree("nav.xhtml")
    toc = nav.find(".//x:nav[@role='doc-toc']", NS)
    assert toc is not None and toc.get(EPUB_TYPE) == "toc"
    reference = next(li for li in toc.iterfind("x:ol/x:li", NS) if "Reference" in li[0].text)
    subs = [a.text for a in reference.iterfind("x:ol/x:li/x:a", NS)]
    assert subs == ["A table", "Duties"]
    nested = reference.find("x:ol/x:li/x:ol/x:li/x:a", NS)
    assert nested is not None and nested.text == "Winding the clock"


def test_landmarks_name_cover_title_page_contents_and_start(features: BuildResult) -> None:
    epub = _epub(features)
    nav = epub.tree("nav.xhtml")
    marks = {
        a.get(EPUB_TYPE): a.get("href")
        for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)
    }
    assert marks == {
        "cover": "cover.xhtml",
        "titlepage": "titlepage.xhtml",
        "toc": "nav.xhtml#toc",
        "bodymatter": "c01-the-light.xhtml",  # the dedication is front matter
    }
    for href in marks.values():
        assert f"EPUB/{href.split('#')[0]}" in epub.names()


def test_title_and_copyright_pages_come_from_book_toml(features: BuildResult) -> None:
    epub = _epub(features)
    title = "".join(epub.tree("titlepage.xhtml").itertext())
    assert "The Lighthouse Keeper’s Almanac" in title and "Mara Ellison and Tomas Reyes" in title
    assert epub.tree("titlepage.xhtml").find(".//x:section", NS).get(EPUB_TYPE) == "titlepage"  # type: ignore[union-attr]
    rights = "".join(epub.tree("copyright.xhtml").itertext())
    assert "ISBN 9780306406157" in rights and "Octavo Test Press" in rights


# --- Accessibility metadata -----------------------------------------------------------------


def test_accessibility_metadata_follows_the_content(features: BuildResult) -> None:
    epub = _epub(features)
    assert epub.meta("schema:accessMode") == ["textual", "visual"]
    assert epub.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert epub.meta("schema:accessibilityFeature") == [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
    ]
    assert epub.meta("schema:accessibilityHazard") == ["none"]
    assert epub.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert epub.meta("a11y:certifiedBy") == ["Octavo Test Press"]
    (summary,) = epub.meta("schema:accessibilitySummary")
    assert "meets the requirements of EPUB Accessibility 1.1" in summary
    assert not [w for w in features.warnings if w.code == "S004"]


def test_decorative_image_has_empty_alt_and_described_image_keeps_its_alt(
    features: BuildResult,
) -> None:
    tree = _epub(features).tree("c03-appendix.xhtml")
    images = tree.findall(".//x:img", NS)
    assert [(i.get("alt") != "", "decorative" in (i.get("class") or "")) for i in images] == [
        (True, False),
        (False, True),
    ]


def test_image_without_alt_warns_and_the_book_claims_no_conformance(
    missing_alt: BuildResult,
) -> None:
    warnings = [str(w) for w in missing_alt.warnings if w.code == "S004"]
    assert len(warnings) == 1
    assert re.search(
        r"01-pictures\.md:5: warning S004 image without alt text: \.\./images/blot\.png",
        warnings[0],
    )
    epub = _epub(missing_alt)
    assert epub.meta("dcterms:conformsTo") == []
    assert epub.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in epub.meta("schema:accessibilityFeature")
    (summary,) = epub.meta("schema:accessibilitySummary")
    assert "does not claim conformance" in summary and "1 image(s) without alt text" in summary


# --- Cover ----------------------------------------------------------------------------------


def test_book_without_a_cover_gets_a_typographic_one(features: BuildResult) -> None:
    epub = _epub(features)
    item = epub.manifest()["images/cover.png"]
    assert item.get("properties") == "cover-image"
    image = Image.open(io.BytesIO(epub.zip.read("EPUB/images/cover.png")))
    assert image.size == (1600, 2560)
    assert len(image.getcolors(1 << 16) or ()) > 10  # type, not a blank page
    cover = epub.tree("cover.xhtml").find(".//x:img", NS)
    assert cover is not None and (cover.get("role"), cover.get(EPUB_TYPE)) == ("doc-cover", "cover")
    assert cover.get("alt", "").startswith("The Lighthouse Keeper’s Almanac")
    assert epub.spine()[0] == "cover.xhtml"


def test_typographic_cover_is_laid_out_once_then_taken_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octavo import themes
    from octavo.epub import cover as ebook_cover

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    book = load_book(BOOKS / "rtl")
    theme = themes.load("modern")
    made = ebook_cover.generated(book.config, theme)
    assert (made.width, made.height) == (1600, 2560) and made.media_type == "image/png"
    (cached,) = ebook_cover.cache_dir().iterdir()
    assert cached.read_bytes() == made.data
    Image.new("RGB", (10, 16)).save(cached, format="PNG")  # a stand-in only the cache holds
    assert ebook_cover.generated(book.config, theme).width == 10
    cached.unlink()
    assert ebook_cover.generated(book.config, theme).data == made.data  # laid out again, same bytes


def test_configured_cover_is_used_as_is_and_warned_when_too_small(
    missing_alt: BuildResult,
) -> None:
    epub = _epub(missing_alt)
    original = (BOOKS / "missing-alt" / "images" / "cover.jpg").read_bytes()
    assert epub.zip.read("EPUB/images/cover.jpg") == original
    assert epub.manifest()["images/cover.jpg"].get("properties") == "cover-image"
    assert sorted(w.code for w in missing_alt.warnings if w.code.startswith("E00")) == [
        "E001",
        "E002",
    ]


# --- Scripts and fonts ----------------------------------------------------------------------


def test_right_to_left_book_turns_its_pages_right_to_left(tmp_path: Path) -> None:
    epub = _epub(build(load_book(BOOKS / "rtl"), tmp_path, ["epub"]))
    spine = epub.opf.find(".//opf:spine", NAMESPACES)
    assert spine is not None and spine.get("page-progression-direction") == "rtl"
    html = epub.tree("c01-perek-rishon.xhtml")
    assert (html.get("lang"), html.get("dir")) == ("he", "rtl")
    assert epub.tree("c02-perek-sheni.xhtml").find(".//x:a", NS).get("href") == (  # type: ignore[union-attr]
        "c01-perek-rishon.xhtml#c01-perek-rishon"
    )


def test_fonts_are_embedded_only_when_the_theme_asks_and_are_subset(
    tmp_path: Path, features: BuildResult
) -> None:
    assert not [n for n in _epub(features).names() if "/fonts/" in n]
    epub = _epub(build(load_book(BOOKS / "embedded-fonts"), tmp_path, ["epub"]))
    fonts = {h: i for h, i in epub.manifest().items() if h.startswith("fonts/")}
    assert sorted(fonts) == ["fonts/ebgaramond-italic-wght.ttf", "fonts/ebgaramond-wght.ttf"]
    assert {i.get("media-type") for i in fonts.values()} == {"font/ttf"}
    css = epub.zip.read("EPUB/style/book.css").decode()
    assert 'src: url("../fonts/ebgaramond-wght.ttf")' in css
    font = TTFont(io.BytesIO(epub.zip.read("EPUB/fonts/ebgaramond-wght.ttf")))
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "A short text roman")
    assert ord("Q") not in cmap and ord("Ж") not in cmap  # no glyph the book does not use
    assert "fvar" in font  # still the variable font: every weight the CSS asks for


# --- Reproducible ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["features", "embedded-fonts"])
def test_two_builds_give_identical_bytes(tmp_path: Path, name: str) -> None:
    first = _epub(build(load_book(BOOKS / name), tmp_path / "1", ["epub"])).path.read_bytes()
    second = _epub(build(load_book(BOOKS / name), tmp_path / "2", ["epub"])).path.read_bytes()
    assert first == second


def test_zip_starts_with_stored_mimetype_and_has_fixed_timestamps(features: BuildResult) -> None:
    epub = _epub(features)
    first = epub.zip.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert epub.zip.read("mimetype") == b"application/epub+zip"
    assert {i.date_time for i in epub.zip.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert epub.meta("dcterms:modified") == ["2025-06-28T00:00:00Z"]


def test_source_date_epoch_sets_the_modification_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    epub = _epub(build(load_book(BOOKS / "missing-alt"), tmp_path, ["epub"]))
    assert epub.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_link_to_nowhere_is_warned_and_not_left_broken(tmp_path: Path) -> None:
    from support import make_book

    root = make_book(
        tmp_path / "book",
        {"01-a.md": "# A\n\nSee [the missing part](02-b.md) and [this](#nowhere).\n"},
    )
    result = build(load_book(root), tmp_path / "out", ["epub"])
    assert [(w.code, w.line, w.col) for w in result.warnings] == [("S005", 3, 5), ("S005", 3, 37)]
    paragraph = _epub(result).tree("c01-a.xhtml").find(".//x:div/x:p", NS)
    assert paragraph is not None and paragraph.findall(".//x:a", NS) == []
    assert "".join(paragraph.itertext()) == "See the missing part and this."


def test_typographic_cover_warns_when_no_font_can_draw_the_title(tmp_path: Path) -> None:
    from support import make_book

    # U+0378 is unassigned: no font anywhere has it, so the cover would show an empty box.
    root = make_book(tmp_path / "b", {"01-a.md": "# A\n\nText.\n"}, 'title = "Tofu \u0378"\n')
    result = build(load_book(root), tmp_path / "out", ["epub"])
    (warning,) = [w for w in result.warnings if w.code == "E003"]
    assert "\u0378" in warning.message


def test_latin_typographic_cover_needs_no_warning(features: BuildResult) -> None:
    assert not [w for w in features.warnings if w.code.startswith("E00")]


# --- What the build mends for accessibility (issue 15; Ace confirms in test_ace.py) ----------


def _chapter(tmp_path: Path, text: str) -> tuple[BuildResult, etree._Element]:
    from support import make_book

    book = make_book(tmp_path / "b", {"01-one.md": text}, 'title = "T"\nlanguage = "en"\n')
    result = build(load_book(book), tmp_path / "out", ["epub"])
    return result, _epub(result).tree("c01-one.xhtml")


def test_skipped_heading_levels_are_renumbered(tmp_path: Path) -> None:
    _, tree = _chapter(tmp_path, "# One\n\n#### Deep\n\nText.\n\n## Two\n\n#### Deeper\n")
    levels = [
        el.tag.rsplit("}", 1)[-1] for el in tree.iter() if re.fullmatch(r"\{.*\}h\d", str(el.tag))
    ]
    assert levels == ["h1", "h2", "h2", "h3"]


def test_an_empty_table_header_cell_is_an_ordinary_cell(tmp_path: Path) -> None:
    _, tree = _chapter(tmp_path, "# One\n\n| | Price |\n|---|---|\n| Tea | 2 |\n")
    head = tree.find(".//x:thead/x:tr", NS)
    assert head is not None
    assert [c.tag.rsplit("}", 1)[-1] for c in head] == ["td", "th"]


def test_an_undescribed_image_has_no_alt_and_a_decorative_one_an_empty_alt(
    missing_alt: BuildResult,
) -> None:
    img = _epub(missing_alt).tree("c01-pictures.xhtml").find(".//x:img", NS)
    assert img is not None and img.get("alt") is None


def test_text_coloured_too_faintly_is_warned_and_conformance_withheld(tmp_path: Path) -> None:
    text = (
        '# One\n\n<span style="color: #999">Pale</span> and <span style="color:#333">dark</span>.\n'
    )
    result, _ = _chapter(tmp_path, text)
    assert [w.code for w in result.warnings] == ["E006"]
    epub = _epub(result)
    assert epub.meta("dcterms:conformsTo") == []
    (summary,) = epub.meta("schema:accessibilitySummary")
    assert "1 passage(s) coloured with too little contrast" in summary


def test_the_package_declares_its_language_and_its_page_source(sample_build: BuildResult) -> None:
    epub = _epub(sample_build)
    assert epub.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    (source,) = epub.meta("pageBreakSource")
    assert source.startswith("I Don’t Have a Mother, the print edition made by octavo")
