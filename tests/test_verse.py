"""Verse: poems keep their lines in both editions, and hard line breaks are never nesting.

The fixture book `tests/books/verse` marks verse in each documented way: `verse: true` in a
file's front matter (01-evening.md), a `::: verse` block and a `| ` line block inside prose
(02-walk.md), and a file of unmarked poems in hard-broken lines (03-poems.md, split into one
chapter per poem)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from octavo import build, load_book
from octavo.core.errors import SourceError
from octavo.pipeline import BuildResult
from support import REPO, make_book
from versesupport import PdfLine, find_in_order, pdf_lines, verse_lines

VERSE = REPO / "tests" / "books" / "verse"
MANUSCRIPT = VERSE / "manuscript"
NS = {"x": "http://www.w3.org/1999/xhtml"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
EM = 11.0  # the classic theme's type size in print, in points


def _output(result: BuildResult, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format == fmt)


@pytest.fixture(scope="module")
def verse_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(VERSE), tmp_path_factory.mktemp("verse"), ["epub", "pdf"])


@pytest.fixture(scope="module")
def lines(verse_build: BuildResult) -> list[PdfLine]:
    return pdf_lines(_output(verse_build, "pdf"))


def _document(result: BuildResult, name: str) -> etree._Element:
    with zipfile.ZipFile(_output(result, "epub")) as epub:
        return etree.fromstring(epub.read(f"EPUB/{name}"))


def _verse_blocks(tree: etree._Element) -> list[etree._Element]:
    return [
        div for div in tree.iterfind(".//x:div", NS) if "verse" in (div.get("class") or "").split()
    ]


def _lines_of(block: etree._Element) -> list[tuple[str, str]]:
    """(class, text) of every verse line of a verse block."""
    return [
        (str(line.get("class")), "".join(line.itertext()))
        for line in block.iterfind(".//x:div", NS)
        if "line" in (line.get("class") or "").split()
    ]


# --- Marking verse: the three markers and the unmarked poem ---------------------------------


def test_front_matter_makes_every_line_of_the_file_a_verse_line(verse_build: BuildResult) -> None:
    tree = _document(verse_build, "c01-evening.xhtml")
    (poem,) = _verse_blocks(tree)
    assert poem.get(EPUB_TYPE) == "z3998:poem"
    stanzas = poem.findall("x:div[@class='stanza']", NS)
    assert [len(_lines_of(s)) for s in stanzas] == [4, 4]
    classes = [cls for cls, _ in _lines_of(poem)]
    # two spaces indent one em; a first line indented four spaces (Markdown's code block) too
    assert classes[2:6] == ["line indent-1", "line indent-1", "line indent-2", "line indent-2"]
    assert [text for _, text in _lines_of(poem)] == verse_lines(
        (MANUSCRIPT / "01-evening.md").read_text("utf-8").split("# Evening")[1]
    )


def test_a_fenced_block_and_a_line_block_set_verse_inside_prose(verse_build: BuildResult) -> None:
    tree = _document(verse_build, "c02-walk.xhtml")
    fenced, block = _verse_blocks(tree)
    assert fenced.get(EPUB_TYPE) == block.get(EPUB_TYPE) == "z3998:verse"
    assert [cls for cls, _ in _lines_of(fenced)] == ["line", "line indent-1"] * 2
    assert len(block.findall("x:div[@class='stanza']", NS)) == 2  # a lone | breaks the stanza
    last = " ".join(_lines_of(block)[-1][1].split())
    assert last.endswith("runs on past the measure of the page into a second line of print.")
    # prose stays prose: an address in hard-broken lines keeps its <br/>s in its paragraph
    address = tree.findall(".//x:p", NS)[-1]
    assert len(address.findall("x:br", NS)) == 2


def test_hard_broken_stanzas_are_found_as_poems_without_a_marker(
    verse_build: BuildResult,
) -> None:
    tree = _document(verse_build, "c03-poems-the-tyger.xhtml")
    (poem,) = _verse_blocks(tree)
    assert poem.get(EPUB_TYPE) == "z3998:poem"
    assert len(poem.findall("x:div[@class='stanza']", NS)) == 2
    assert not tree.findall(".//x:br", NS)


def test_the_z3998_vocabulary_is_declared_where_it_is_used(verse_build: BuildResult) -> None:
    prefix = "{http://www.idpf.org/2007/ops}prefix"
    assert "z3998:" in str(_document(verse_build, "c02-walk.xhtml").get(prefix))
    assert _document(verse_build, "titlepage.xhtml").get(prefix) is None


def test_prose_with_an_address_is_not_taken_for_a_poem(tmp_path: Path) -> None:
    """A prose chapter whose paragraphs are one line each stays prose, though a letter in it
    ends in four hard-broken lines: the poem test weighs text, not paragraphs."""
    long = "She read the letter twice, and then again, as if it might say more. " * 4
    text = (
        f"# Letters\n\n{long}\n\n{long}\n\nYours,\\\nAnn Lee\\\nThe Old Rectory\\\nLong Compton\n"
    )
    book = load_book(make_book(tmp_path / "b", {"01.md": text}))
    assert 'class="verse' not in book.chapters[0].body_html


def test_verse_false_keeps_hard_broken_lines_as_paragraphs(tmp_path: Path) -> None:
    poem = "".join(f"Line {n} of a poem,\\\n" for n in range(8)) + "the end.\n"
    files = {"01.md": f"---\nverse: false\n---\n# Lines\n\n{poem}", "02.md": f"# Lines\n\n{poem}"}
    book = load_book(make_book(tmp_path / "b", files))
    assert ['class="verse' in c.body_html for c in book.chapters] == [False, True]


def test_a_listing_inside_a_poem_found_unmarked_stays_code(tmp_path: Path) -> None:
    poem = "".join(f"Line {n} of a poem,\\\n" for n in range(8)) + "the end.\n"
    text = f"# Lines\n\n{poem}\n    print('a listing')\n"
    chapter = load_book(make_book(tmp_path / "b", {"01.md": text})).chapters[0]
    assert 'class="verse poem"' in chapter.body_html and "<pre" in chapter.body_html


def test_verse_must_be_true_or_false(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "---\nverse: yes please\n---\n# A\n\nText.\n"})
    with pytest.raises(SourceError, match="'verse' must be true or false"):
        load_book(book)


def test_a_thousand_hard_line_breaks_are_not_nesting(tmp_path: Path) -> None:
    """Each `<br />` is a void element: a long poem is not 1,000 levels deep (issue 11)."""
    backslashes = "".join(f"Line {n} of the poem,\\\n" for n in range(500)) + "the end.\n"
    raw = "".join(f"Line {n} with a tag,<br>\n" for n in range(500)) + "the end.\n"
    prose = "A paragraph of prose long enough to outweigh both of the poems above it. " * 300
    book = load_book(
        make_book(tmp_path / "book", {"01.md": f"# One\n\n{backslashes}\n\n{raw}\n\n{prose}"})
    )
    assert book.chapters[0].body_html.count("<br />") == 1000  # prose: the breaks stay
    result = build(book, tmp_path / "out", ["epub"])
    assert [o.format for o in result.outputs] == ["epub"]


# --- Verse in print: lines stay lines, never justified -------------------------------------


@pytest.mark.parametrize("name", ["01-evening.md", "03-poems.md"])
def test_each_verse_line_is_one_line_of_the_pdf_in_order(lines: list[PdfLine], name: str) -> None:
    wanted = [
        line
        for line in verse_lines((MANUSCRIPT / name).read_text("utf-8"))
        if not line.startswith(("#", "---", "verse:")) and "runs on far longer" not in line
    ]
    find_in_order(lines, wanted)


def test_verse_inside_prose_keeps_its_lines_too(lines: list[PdfLine]) -> None:
    text = (MANUSCRIPT / "02-walk.md").read_text("utf-8")
    song = text.split("::: verse")[1].split(":::")[0]
    hope = "\n".join(line for line in text.splitlines() if line.startswith("|"))
    wanted = verse_lines(song) + verse_lines(hope)[:-1]  # the last line turns over
    find_in_order(lines, wanted)


def test_no_verse_line_is_justified(lines: list[PdfLine]) -> None:
    """Between the words of a verse line there is a plain word space (justified text would
    spread a short line's words to the right margin)."""
    wanted = verse_lines((MANUSCRIPT / "03-poems.md").read_text("utf-8"))
    found = find_in_order(lines, [w for w in wanted if not w.startswith("#")])
    for line in found:
        assert max(line.word_gaps()) < 0.4 * EM, (line.text, line.word_gaps())


def test_a_long_line_turns_over_with_a_hanging_indent_and_ragged(lines: list[PdfLine]) -> None:
    first = next(x for x in lines if x.text.startswith("That kept so many warm, and this"))
    rest = lines[lines.index(first) + 1]
    assert rest.text.strip().endswith("into a second line of print.")
    indent = rest.boxes[0][0] - first.boxes[0][0]
    assert 2.5 * EM < indent < 3.5 * EM, indent  # the turnover hangs 3 em in
    # the prose around it is justified to the block's right edge; the verse line stops short
    prose_right = max(x.boxes[-1][2] for x in lines if x.text.startswith("We walked out"))
    assert first.boxes[-1][2] < prose_right - 1, (first.boxes[-1][2], prose_right)
    assert max(first.word_gaps()) < 0.4 * EM
