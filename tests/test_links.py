"""Links and anchors (issue 11, item 5): heading ids are the slugs authors expect, `{#id .class}`
is honoured and taken off the text, every link form resolves in both editions, and a link that
leads nowhere becomes plain text with a warning at its line and column."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from octavo import build, load_book
from octavo.pipeline import BuildResult
from octavo.source.links import key, slug
from support import REPO, make_book, pdf_pages_text

LINKS = REPO / "tests" / "books" / "links"
NS = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(LINKS), tmp_path_factory.mktemp("links"), ["epub", "pdf"])


def _path(result: BuildResult, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format == fmt)


class EpubFile:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def tree(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"EPUB/{name}"))


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Über den Rhein", "über-den-rhein"),
        ("A Heading, With Punctuation!", "a-heading-with-punctuation"),
        ("Method-call expressions", "method-call-expressions"),
        ("`--passes`: add more rustdoc passes", "--passes-add-more-rustdoc-passes"),
        ("中文標題 CJK title", "中文標題-cjk-title"),
        ("Drop Check & `Drop`", "drop-check--drop"),
    ],
)
def test_headings_get_the_slugs_github_and_mdbook_give(heading: str, expected: str) -> None:
    assert slug(heading.replace("`", "")) == expected
    assert key(expected.upper()) == expected  # a link may write an id in another case


def test_heading_ids_live_in_the_chapters_namespace_and_repeats_are_numbered() -> None:
    book = load_book(LINKS)
    letters, crossings = book.chapters
    assert [h.id for h in letters.headings] == [
        "c01-letters--über-den-rhein",
        "c01-letters--crossing",
        "c01-letters--crossing-1",
        "c01-letters--a-heading-with-punctuation",
    ]
    assert 'id="c01-letters--the-bridge"' in letters.body_html  # a raw HTML anchor
    # (less the manuscript's line each block carries: source/lines.py)
    body = re.sub(r' data-line="\d+"', "", crossings.body_html)
    assert '<h2 id="c02-crossings--rapids-and-weirs" class="river">' in body


def test_attributes_after_a_title_are_honoured_and_never_printed(built: BuildResult) -> None:
    letters = built.book.chapters[0]
    assert (letters.title, letters.title_html) == ("Letters from Straßburg",) * 2
    epub = EpubFile(_path(built, "epub"))
    opening = epub.tree("c01-letters.xhtml").find(".//x:h1", NS)
    assert opening is not None and "".join(opening.itertext()) == "Letters from Straßburg"
    assert "{#" not in epub.read("EPUB/nav.xhtml").decode()
    pdf = _path(built, "pdf")
    assert all("{#" not in page for page in pdf_pages_text(pdf))  # title, contents, heads
    outline = [item.title for item in PdfReader(pdf).outline]  # the bookmarks
    assert outline == ["Letters from Straßburg", "Crossings"]


def test_every_link_leads_to_an_element_of_the_epub(built: BuildResult) -> None:
    epub = EpubFile(_path(built, "epub"))
    names = [n for n in epub.zip.namelist() if n.endswith(".xhtml")]
    trees = {Path(n).name: epub.tree(Path(n).name) for n in names}
    ids = {
        (name, el.get("id")) for name, tree in trees.items() for el in tree.iter() if el.get("id")
    }
    links = [
        (name, a.get("href"))
        for name, tree in trees.items()
        for a in tree.iterfind(".//x:div[@class='chapter-body']//x:a", NS)
        if a.get("href") and not a.get("href").startswith("#fn")
    ]
    assert len(links) == 12  # every link the manuscript writes but the one to nowhere
    for name, href in links:
        target, _, fragment = href.partition("#")
        assert (target or name, fragment) in ids, href
    letters = [h for n, h in links if n == "c01-letters.xhtml"]
    assert letters == [
        "#c01-letters--über-den-rhein",
        "#c01-letters--crossing-1",
        "#c01-letters--the-bridge",
        "#c01-letters",
        "c02-crossings.xhtml#c02-crossings",
        "c02-crossings.xhtml#c02-crossings--the-harbour",
        "c02-crossings.xhtml#c02-crossings--the-harbour",  # written 02-crossings.html#…
        "c02-crossings.xhtml#c02-crossings--notes-on-the-river",  # a reference link
        "c02-crossings.xhtml#c02-crossings--rapids-and-weirs",
    ]


def test_every_link_leads_to_a_named_place_of_the_print_pdf(built: BuildResult) -> None:
    reader = PdfReader(_path(built, "pdf"))
    places = set(reader.named_destinations)
    targets = {
        str(annotation.get_object()["/Dest"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    }
    body_links = {
        "c01-letters--über-den-rhein",
        "c01-letters--crossing-1",
        "c01-letters--the-bridge",
        "c01-letters--a-heading-with-punctuation",
        "c02-crossings--the-harbour",
        "c02-crossings--notes-on-the-river",
        "c02-crossings--rapids-and-weirs",
    }
    assert body_links <= targets
    assert targets <= places


def test_a_link_that_leads_nowhere_becomes_text_with_a_warning_at_its_place(
    built: BuildResult,
) -> None:
    warnings = [(w.code, w.path.name if w.path else "", w.line, w.col) for w in built.warnings]
    assert warnings == [("S005", "02-crossings.md", 14, 14)]
    assert "03-upper-reaches.md#source" in built.warnings[0].message
    tree = EpubFile(_path(built, "epub")).tree("c02-crossings.xhtml")
    last = tree.findall(".//x:div[@class='chapter-body']/x:p", NS)[-1]
    assert etree.tostring(last, encoding="unicode", with_tail=False).count("<a") == 0
    assert "".join(last.itertext()) == "A map of the upper reaches was never drawn."


def test_links_in_a_quote_a_table_and_raw_html_are_placed_and_settled(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "book",
        {
            "01-a.md": "# A\n\n> In a [quote](#nowhere).\n\n| x | y |\n|---|---|\n"
            "| 1 | [cell](02-b.md#gone) |\n\n<p>Raw <a href='02-b.html#b-1'>link</a>.</p>\n",
            "02-b.md": "# B\n\n## B\n",
        },
    )
    book = load_book(root)
    found = [(d.code, d.line, d.col) for c in book.chapters for d in c.diagnostics]
    assert found == [("S005", 3, 8), ("S005", 7, 7)]
    assert '<a href="#c02-b--b-1">link</a>' in book.chapters[0].body_html


def test_a_chapter_without_a_title_keeps_its_links_noted(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book", {"01-a.md": "Text and [a link](#gone).\n"})
    found = [(d.code, d.line, d.col) for d in load_book(root).chapters[0].diagnostics]
    assert found == [("S005", 1, 10)]


def test_links_reach_the_chapters_of_a_file_cut_at_its_headings(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "book",
        {
            "01-a.md": "# A\n\nSee [the wall](02-poems.md#mending-wall), [the poems](02-poems.md)"
            " and [a line](02-poems.md#the-line).\n",
            "02-poems.md": "# Mending Wall\n\nSomething there is.\n\n# After Apple-Picking\n\n"
            "## The Line\n\nBack to [the wall](#mending-wall).\n",
        },
    )
    book = load_book(root)
    assert [c.id for c in book.chapters] == [
        "c01-a",
        "c02-poems-mending-wall",
        "c02-poems-after-apple-picking",
    ]
    hrefs = {c.id: re.findall(r'href="([^"]*)"', c.body_html) for c in book.chapters}
    assert hrefs["c01-a"] == [
        "#c02-poems-mending-wall",
        "#c02-poems-mending-wall",  # the file: its first chapter
        "#c02-poems--the-line",  # the file's namespace, in its second chapter
    ]
    assert hrefs["c02-poems-after-apple-picking"] == ["#c02-poems-mending-wall"]
    assert not [d for c in book.chapters for d in c.diagnostics]
