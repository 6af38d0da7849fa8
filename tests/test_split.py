"""One file, many chapters; and parts above chapters, in the contents of both editions and on
a title page of their own in print."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from octavo import build, load_book
from octavo.core.errors import ConfigError, SourceError
from octavo.pipeline import BuildResult
from printsupport import PageView, find_opener, prose, read_pages
from support import epubcheck, make_book
from test_epub_pagelist import agreement

NS = {"x": "http://www.w3.org/1999/xhtml"}

# A file of `#` sections: split by default. Its footnote is defined at the end of the file and
# called in the second section; a link reference is defined at the end and used in the first.
STORIES = f"""\
# The Thaw

{prose(3, 50, 1)} See [the flood][flood].

# The Flood

{prose(2, 50, 2)} The river rose.[^river]

# The Drought

{prose(2, 50, 3)}

[flood]: 01-stories.md#the-flood
[^river]: It rose six feet in a night.
"""


def _chapters(tmp_path: Path, files: dict[str, str], toml: str = 'title = "T"\n') -> list[str]:
    return [c.id for c in load_book(make_book(tmp_path / "b", files, toml)).chapters]


# --- Splitting -------------------------------------------------------------------------------


def test_a_file_of_sections_becomes_one_chapter_per_section(tmp_path: Path) -> None:
    book = load_book(make_book(tmp_path / "b", {"01-stories.md": STORIES}))
    assert [(c.id, c.title) for c in book.chapters] == [
        ("c01-stories-the-thaw", "The Thaw"),
        ("c01-stories-the-flood", "The Flood"),
        ("c01-stories-the-drought", "The Drought"),
    ]
    thaw, flood, drought = book.chapters
    assert 'href="#c01-stories-the-flood"' in thaw.body_html  # the reference link resolved
    assert "six feet" in flood.body_html and "six feet" not in drought.body_html  # its note


def test_a_warning_in_a_split_chapter_names_the_line_of_the_file(tmp_path: Path) -> None:
    text = STORIES.replace("# The Drought", "# The Drought\n\n![](rule.png)")
    root = make_book(tmp_path / "b", {"01-stories.md": text})
    rule = Path(__file__).parent / "books" / "features" / "images" / "rule.png"
    (root / "manuscript" / "rule.png").write_bytes(rule.read_bytes())
    book = load_book(root)
    found = [(c.id, d.code, d.line) for c in book.chapters for d in c.diagnostics]
    line = text.splitlines().index("![](rule.png)") + 1
    assert found == [("c01-stories-the-thaw", "S004", line)]  # the file's warnings: its first


def test_an_error_in_a_split_chapter_names_the_line_of_the_file(tmp_path: Path) -> None:
    text = STORIES.replace("# The Drought", "# The Drought\n\n![A map](gone.png)")
    with pytest.raises(SourceError, match=r"gone\.png") as error:
        load_book(make_book(tmp_path / "b", {"01-stories.md": text}))
    assert error.value.line == text.splitlines().index("![A map](gone.png)") + 1


def test_text_before_the_first_heading_keeps_a_file_whole_unless_split_is_h1(
    tmp_path: Path,
) -> None:
    text = "A word before.\n\n# One\n\nText.\n\n# Two\n\nText.\n"
    assert _chapters(tmp_path / "a", {"01-mixed.md": text}) == ["c01-mixed"]
    split = 'title = "T"\nsplit = "h1"\n'
    assert _chapters(tmp_path / "b", {"01-mixed.md": text}, split) == [
        "c01-mixed",
        "c01-mixed-one",
        "c01-mixed-two",
    ]


def test_a_split_file_with_front_matter_names_its_first_chapter_by_its_heading(
    tmp_path: Path,
) -> None:
    text = "---\ntypography: false\n---\n# Part One\n\n# Hay\n\nText.\n"
    book = load_book(make_book(tmp_path / "b", {"01-farm.md": text}))
    assert [(c.id, c.division) for c in book.chapters] == [
        ("c01-farm-part-one", "part"),
        ("c01-farm-hay", "chapter"),
    ]


def test_split_none_keeps_each_file_one_chapter(tmp_path: Path) -> None:
    toml = 'title = "T"\nsplit = "none"\n'
    assert _chapters(tmp_path, {"01-stories.md": STORIES}, toml) == ["c01-stories"]


def test_split_must_be_a_known_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'split' must be"):
        load_book(make_book(tmp_path / "b", {"01.md": "# A\n"}, 'title = "T"\nsplit = "h2"\n'))


def test_two_sections_of_the_same_title_get_ids_of_their_own(tmp_path: Path) -> None:
    text = "# Song\n\nOne.\n\n# Song\n\nTwo.\n"
    ids = _chapters(tmp_path, {"01-songs.md": text})
    assert len(set(ids)) == 2 and ids[0] == "c01-songs-song"


def test_a_link_to_a_split_file_leads_to_its_first_chapter(tmp_path: Path) -> None:
    files = {
        "01-stories.md": STORIES,
        "02-after.md": "# After\n\nBack to [the start](01-stories.md).\n",
    }
    book = load_book(make_book(tmp_path / "b", files))
    assert 'href="#c01-stories-the-thaw"' in book.chapters[-1].body_html


# --- Parts -----------------------------------------------------------------------------------

PARTS = {
    "01-part-one.md": "---\ntype: part\n---\n# Part One: Spring\n",
    "02-thaw.md": f"# The Thaw\n\n{prose(6, 70, 1)}\n",
    "03-flood.md": f"# The Flood\n\n{prose(2, 50, 2)}\n",
    # a split file whose sections are a part (by its heading) and its chapters
    "04-summer.md": (
        f"# Part Two\n\n# Hay\n\n{prose(2, 50, 3)}\n\n{{.part}}\n# Autumn\n\n"
        f"# Rain\n\n{prose(2, 50, 4)}\n"
    ),
    "05-epilogue.md": f"---\ntype: epilogue\n---\n# Afterwards\n\n{prose(1, 40, 5)}\n",
}
TOML = 'title = "Seasons"\nauthor = "Ann Lee"\nlanguage = "en-GB"\nisbn = "9780141439518"\n'


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("seasons")
    return build(load_book(make_book(root / "book", PARTS, TOML)), root / "out", ["epub", "pdf"])


@pytest.fixture(scope="module")
def pages(seasons: BuildResult) -> list[PageView]:
    return read_pages(next(o.path for o in seasons.outputs if o.format == "pdf"))


def test_parts_hold_the_chapters_after_them(seasons: BuildResult) -> None:
    found = [(c.title, c.division, c.depth) for c in seasons.book.chapters]
    assert found == [
        ("Part One: Spring", "part", 0),
        ("The Thaw", "chapter", 1),
        ("The Flood", "chapter", 1),
        ("Part Two", "part", 0),
        ("Hay", "chapter", 1),
        ("Autumn", "part", 0),
        ("Rain", "chapter", 1),
        ("Afterwards", "epilogue", 0),
    ]


def test_a_part_has_a_recto_of_its_own_without_folio_or_running_head(
    pages: list[PageView],
) -> None:
    for title, body in (("Part One: Spring", "The Thaw"), ("Part Two", "Hay")):
        page = find_opener(pages, title)
        assert page.text.split() == title.split(), page.text  # nothing else on the page
        assert page.head == "" and page.foot == "", (page.head, page.foot)
        assert int(page.label) % 2 == 1  # a recto
        following = find_opener(pages, body)
        assert following.index == page.index + 2 and not pages[page.index + 1].text.strip()


def test_the_printed_contents_nest_chapters_under_their_part(pages: list[PageView]) -> None:
    contents = next(p for p in pages if p.text.strip().startswith("Contents"))
    # the title, the leader and the folio (proportional figures: no space need come before it)
    entries = [re.sub(r"[\s.]*\d+$", "", line) for line in contents.text.splitlines()[1:]]
    titles = ["Part One: Spring", "The Thaw", "The Flood", "Part Two", "Hay", "Autumn", "Rain"]
    assert [e for e in entries if e][: len(titles) + 1] == [*titles, "Afterwards"]


def test_the_epub_nav_nests_chapters_under_their_part(seasons: BuildResult) -> None:
    epub_path = next(o.path for o in seasons.outputs if o.format == "epub")
    with zipfile.ZipFile(epub_path) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        ncx = epub.read("EPUB/toc.ncx").decode()
    toc = nav.find(".//x:nav[@id='toc']/x:ol", NS)
    assert toc is not None

    def outline(ol: etree._Element) -> list[object]:
        items: list[object] = []
        for li in ol.findall("x:li", NS):
            title = "".join(li.find("x:a", NS).itertext())  # type: ignore[union-attr]
            inner = li.find("x:ol", NS)
            items.append((title, outline(inner)) if inner is not None else title)
        return items

    assert outline(toc) == [
        ("Part One: Spring", ["The Thaw", "The Flood"]),
        ("Part Two", ["Hay"]),
        ("Autumn", ["Rain"]),
        "Afterwards",
    ]
    # the EPUB 2 NCX nests the same way: the part's navPoint holds its chapters'
    points = etree.fromstring(ncx.encode()).iterfind(".//{*}navPoint")
    part = next(p for p in points if p.findtext("{*}navLabel/{*}text") == "Part One: Spring")
    assert [p.findtext("{*}navLabel/{*}text") for p in part.iterfind("{*}navPoint")] == [
        "The Thaw",
        "The Flood",
    ]
    assert epubcheck(epub_path).problems() == []


def test_part_pages_are_in_the_page_list(seasons: BuildResult) -> None:
    found = agreement(seasons)
    assert found.compared >= 10 and found.differences == [] and found.unlisted == []
