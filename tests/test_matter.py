"""The same content in every edition: book.toml's dedication, epigraph, acknowledgements and
about the author in the EPUB as in the print PDF (in the trade's order, with their semantics,
and in the page-list), chapter subtitles in both, and book.toml's text set with the manuscript's
typography. The fixture (tests/books/matter) types its quotes straight."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from octavo import build, load_book
from octavo.book import config as config_mod
from octavo.core.errors import SourceError
from octavo.pipeline import BuildResult
from printsupport import PageView, find_opener, find_page, read_pages
from support import REPO, make_book, squash
from test_epub_pagelist import agreement, epub_pages

MATTER = REPO / "tests" / "books" / "matter"
X = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
TEXT_FILES = (".xhtml", ".opf", ".ncx", ".css")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(MATTER), tmp_path_factory.mktemp("matter"), ["epub", "pdf"])


def _path(result: BuildResult, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format == fmt)


@pytest.fixture(scope="module")
def epub(both: BuildResult) -> dict[str, str]:
    """Every text file of the EPUB's content folder, by name."""
    with zipfile.ZipFile(_path(both, "epub")) as z:
        names = [n for n in z.namelist() if n.startswith("EPUB/") and n.endswith(TEXT_FILES)]
        return {n.removeprefix("EPUB/"): z.read(n).decode() for n in names}


@pytest.fixture(scope="module")
def pages(both: BuildResult) -> list[PageView]:
    return read_pages(_path(both, "pdf"))


def _spine(epub: dict[str, str]) -> list[str]:
    opf = epub["content.opf"]
    hrefs = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf))
    by_id = {v: k for k, v in hrefs.items()}
    return [by_id[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)]


def _section(epub: dict[str, str], name: str) -> etree._Element:
    tree = etree.fromstring(epub[name].encode())
    section = tree.find(f"{X}body/{X}section")
    assert section is not None, name
    return section


def _text(element: etree._Element) -> str:
    """The words of an element, its blocks apart (these pages hold no inline markup)."""
    return " ".join(" ".join(element.itertext()).split())


# --- book.toml's matter in the EPUB ---------------------------------------------------------


def test_matter_sections_stand_in_the_trades_order(epub: dict[str, str]) -> None:
    assert _spine(epub) == [
        "cover.xhtml",
        "titlepage.xhtml",
        "copyright.xhtml",
        "dedication.xhtml",
        "epigraph.xhtml",
        "nav.xhtml",
        "c01-winter.xhtml",
        "c02-spring.xhtml",
        "c03-summer.xhtml",
        "acknowledgements.xhtml",
        "about-author.xhtml",
    ]


@pytest.mark.parametrize(
    ("name", "matter", "epub_type", "role"),
    [
        ("dedication.xhtml", "frontmatter", "dedication", "doc-dedication"),
        ("epigraph.xhtml", "frontmatter", "epigraph", "doc-epigraph"),
        ("acknowledgements.xhtml", "backmatter", "acknowledgments", "doc-acknowledgments"),
        # DPUB-ARIA has no role for a biography: a region named by its heading.
        ("about-author.xhtml", "backmatter", "z3998:biographical-note", None),
    ],
)
def test_each_matter_section_says_what_it_is(
    epub: dict[str, str], name: str, matter: str, epub_type: str, role: str | None
) -> None:
    section = _section(epub, name)
    body = section.getparent()
    assert body is not None and body.get(EPUB_TYPE) == matter
    assert (section.get(EPUB_TYPE), section.get("role")) == (epub_type, role)
    if role is None:
        heading = section.find(f"{X}h1")
        assert heading is not None and section.get("aria-labelledby") == heading.get("id")
        assert (
            'epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/#"' in epub[name]
        )


def test_matter_text_reaches_the_epub_with_its_typography(epub: dict[str, str]) -> None:
    assert _text(_section(epub, "dedication.xhtml")) == "For my mother, who said “go”."
    epigraph = _section(epub, "epigraph.xhtml")
    quote, source = epigraph.find(f"{X}blockquote"), epigraph.find(f"{X}p")
    assert quote is not None and source is not None
    assert (
        _text(quote) == "“The sea is the same everywhere,” she wrote, “and nowhere the same twice.”"
    )
    assert (source.get("class"), _text(source)) == ("epigraph-source", "Mara Ellison, ‘Letters’")
    thanks = _section(epub, "acknowledgements.xhtml")
    assert [_text(p) for p in thanks.iter(f"{X}p")] == [
        "My thanks to the keepers of the northern lights, who answered every letter.",
        "And to the printers – who set it all.",
    ]
    about = _text(_section(epub, "about-author.xhtml"))
    assert about.startswith("About the Author Ann O’Neill kept the light")


def test_the_epigraph_is_styled_as_in_print(epub: dict[str, str]) -> None:
    css = epub["style/book.css"]
    assert re.search(r"section\.epigraph > blockquote \{[^}]*font-style: italic", css)
    assert re.search(r"section\.epigraph > \.epigraph-source \{[^}]*text-align: right", css)
    assert 'section.epigraph > .epigraph-source::before { content: "— "; }' in css


def test_contents_list_the_back_matter_as_print_does(
    epub: dict[str, str], pages: list[PageView]
) -> None:
    toc = re.search(r'<nav epub:type="toc".*?</nav>', epub["nav.xhtml"], re.S)
    assert toc is not None
    titles = re.findall(r'<a href="([^"#]+)">([^<]+)</a>', toc[0])
    assert titles[-2:] == [
        ("acknowledgements.xhtml", "Acknowledgements"),
        ("about-author.xhtml", "About the Author"),
    ]
    printed = find_page(pages, "Contents").text
    assert "Acknowledgements" in printed and "About the Author" in printed
    assert "In which" not in toc[0] and "In which" not in printed  # titles only, no subtitles


# --- The page-list covers them --------------------------------------------------------------


def test_page_list_covers_the_matter_pages_and_agrees_with_print(
    both: BuildResult, pages: list[PageView]
) -> None:
    markers = epub_pages(_path(both, "epub"))
    for text, document in (
        ("For my mother", "dedication.xhtml"),
        ("The sea is the same", "epigraph.xhtml"),
        ("My thanks to the keepers", "acknowledgements.xhtml"),
        ("kept the light at Skerry Point", "about-author.xhtml"),
    ):
        label = find_page(pages, text).label
        assert label in markers and markers[label].document == document, (text, label)
    found = agreement(both)
    assert found.differences == [] and found.unlisted == []
    assert not [w for w in both.warnings if w.code == "E004"]


# --- Chapter subtitles ----------------------------------------------------------------------


def test_a_subtitle_stands_under_its_chapter_title_in_print(pages: list[PageView]) -> None:
    for title, subtitle in (
        ("Winter", "In which the lamp is lit – and kept"),
        ("Spring", "Letters from the mainland"),
    ):
        lines = [line.strip() for line in find_opener(pages, title).text.splitlines()]
        assert lines[:2] == [title, subtitle], lines[:3]
    assert find_opener(pages, "Summer").text.splitlines()[1].startswith("Summer was")


def test_a_subtitle_stands_under_its_chapter_title_in_the_epub(epub: dict[str, str]) -> None:
    section = _section(epub, "c01-winter.xhtml")
    group = section.find(f"{X}hgroup")
    assert group is not None
    title, subtitle = list(group)
    assert (title.tag, _text(title)) == (f"{X}h1", "Winter")
    assert (subtitle.get(EPUB_TYPE), subtitle.get("role")) == ("subtitle", "doc-subtitle")
    assert _text(subtitle) == "In which the lamp is lit – and kept"
    assert _section(epub, "c03-summer.xhtml").find(f"{X}hgroup") is None
    assert "Letters from the mainland" not in epub["nav.xhtml"] + epub["toc.ncx"]


def test_a_subtitle_that_is_not_text_is_refused_at_its_place(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "---\nsubtitle: [1, 2]\n---\n# A\n\nText.\n"})
    with pytest.raises(SourceError) as caught:
        load_book(book)
    assert "front matter 'subtitle' must be text" in str(caught.value)
    assert caught.value.line == 2


# --- book.toml's text set like the manuscript ---------------------------------------------------


def test_book_toml_text_gets_the_manuscripts_typography_in_print(pages: list[PageView]) -> None:
    front = squash(" ".join(p.text for p in pages[:10]))
    for typed in (
        "TheKeeper’sYear",
        "Notesfromthe“Northern”Light",
        "AnnO’Neill",
        "Copyright–2026AnnO’Neill.",
        "Formymother,whosaid“go”.",
        "“Theseaisthesameeverywhere,”shewrote,",
        "MaraEllison,‘Letters’",
    ):
        assert typed in front, typed
    assert '"' not in front and "'" not in front and "--" not in front


def test_book_toml_text_gets_the_manuscripts_typography_in_the_epub(
    epub: dict[str, str],
) -> None:
    opf = epub["content.opf"]
    assert "<dc:title>The Keeper’s Year</dc:title>" in opf
    assert ">Notes from the “Northern” Light</dc:title>" in opf
    assert "<dc:creator" in opf and ">Ann O’Neill</dc:creator>" in opf
    assert "<dc:description>A keeper’s year – in “notes” and letters…</dc:description>" in opf
    title_page = _text(_section(epub, "titlepage.xhtml"))
    assert title_page.startswith("The Keeper’s Year Notes from the “Northern” Light Ann O’Neill")


def test_typography_keeps_the_derived_identifier_as_typed(both: BuildResult) -> None:
    typed = config_mod.load(MATTER)
    assert typed.title == "The Keeper's Year"  # as written in book.toml
    assert both.book.config.title == "The Keeper’s Year"
    assert both.book.config.uid == typed.uid


def test_typography_off_leaves_book_toml_as_typed(tmp_path: Path) -> None:
    toml = 'title = "It\'s -- here"\ndedication = "For \\"A\\"."\ntypography = false\n'
    book = load_book(make_book(tmp_path / "b", {"01.md": "# A\n\nText.\n"}, toml))
    assert (book.config.title, book.config.dedication) == ("It's -- here", 'For "A".')


def test_a_chapter_cannot_take_the_name_of_a_matter_page(tmp_path: Path) -> None:
    files = {"dedication.md": "# For\n\nSomeone.\n", "01.md": "# A\n\nText.\n"}
    book = make_book(tmp_path / "b", files, 'title = "T"\ndedication = "For R."\n')
    with pytest.raises(SourceError, match="'dedication' is a name octavo uses"):
        load_book(book)
    (book / "book.toml").write_text('title = "T"\n', "utf-8")
    assert load_book(book).chapters[1].id == "dedication"  # without book.toml's, it is free
