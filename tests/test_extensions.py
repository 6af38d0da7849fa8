"""Markdown authors bring from Pandoc, Quarto, mdBook and GitHub is set as a typesetter sets it,
in both editions: definition lists, task lists, subscripts and superscripts.

The fixture book `tests/books/extensions` has a glossary of binding terms that runs over several
A6 pages (01-terms.md), and a task list, a plain list, chemical formulae and ordinals beside the
lookalikes that must stay text (02-bench.md)."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from octavo import build, load_book
from octavo.book.config import Config
from octavo.check import as_text, check, prose
from octavo.pipeline import BuildResult
from octavo.source import markup
from octavo.source.manuscript import read_file
from support import REPO, epubcheck, output, pdf_fonts, pdf_pages_text
from test_epub_pagelist import agreement
from versesupport import PdfLine, pdf_lines

EXTENSIONS = REPO / "tests" / "books" / "extensions"
TERMS = EXTENSIONS / "manuscript" / "01-terms.md"
NS = {"x": "http://www.w3.org/1999/xhtml"}
EPUB_NS = "http://www.idpf.org/2007/ops"


@pytest.fixture(scope="module")
def extensions_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("extensions")
    return build(load_book(EXTENSIONS), out, ["epub", "pdf", "booklet"])


@pytest.fixture(scope="module")
def lines(extensions_build: BuildResult) -> list[PdfLine]:
    return pdf_lines(output(extensions_build, "pdf"))


def _document(result: BuildResult, name: str) -> etree._Element:
    with zipfile.ZipFile(output(result, "epub")) as epub:
        return etree.fromstring(epub.read(f"EPUB/{name}"))


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _terms() -> list[str]:
    """The terms of the glossary, as written: each line followed by a `: ` line."""
    written = TERMS.read_text("utf-8").splitlines()
    return [line for line, after in itertools.pairwise(written) if after.startswith(": ")]


def _render(markdown: str) -> str:
    config = Config(title="T", root=Path("."))
    md = markup.parser(config, False, False, "c")
    return re.sub(r' data-line="\d+"', "", md.render(markdown, {"docId": "c"}))


# --- Definition lists -------------------------------------------------------------------------


def test_a_definition_list_is_terms_and_their_definitions(
    extensions_build: BuildResult, lines: list[PdfLine]
) -> None:
    tree = _document(extensions_build, "c01-terms.xhtml")
    (dl,) = tree.iterfind(".//x:dl", NS)
    assert [_text(dt) for dt in dl.iterfind("x:dt", NS)] == _terms()
    definitions = dl.findall("x:dd", NS)
    assert len(definitions) == len(_terms())
    assert (
        _text(definitions[6]) == "The right-hand page of an open book, which takes the odd folio."
    )
    assert len(definitions[3].findall("x:p", NS)) == 2  # a definition of two paragraphs
    # In print each term is a line of its own, in a heavier weight, with no colon before
    # its definition.
    printed = {line.text.strip() for line in lines}
    assert set(_terms()) <= printed
    assert not [line.text for line in lines if line.text.lstrip().startswith(":")]


def test_a_term_is_never_left_at_the_foot_of_a_page(lines: list[PdfLine]) -> None:
    """break-after: avoid on the term: at a page turn it goes overleaf with its definition (the
    glossary has three page turns; without the rule, three pages end on a term)."""
    terms = set(_terms())
    by_page: dict[int, list[str]] = {}
    for line in lines:
        text = line.text.strip()
        if text and not text.isdigit() and text not in {"A Bench Book", "Octavo Tests"}:
            by_page.setdefault(line.page, []).append(text)
    opened_by_a_term = [page for page, texts in by_page.items() if texts[0] in terms]
    assert len(opened_by_a_term) >= 2  # the glossary does turn pages between its entries
    assert [page for page, texts in by_page.items() if texts[-1] in terms] == []


# --- Task lists -------------------------------------------------------------------------------


def test_a_task_list_draws_a_box_for_each_bullet_and_tells_which_are_done(
    extensions_build: BuildResult,
) -> None:
    tree = _document(extensions_build, "c02-bench.xhtml")
    items = [li for li in tree.iterfind(".//x:li", NS) if li.get("class") == "task"]
    assert len(items) == 4
    assert not list(tree.iterfind(".//x:input", NS))  # a book has no form controls
    boxes = [li.find("x:span[@class='task-box']", NS) for li in items]
    assert [box.get("aria-checked") for box in boxes] == ["true", "true", "false", "false"]
    assert {(box.get("role"), box.get("aria-disabled")) for box in boxes} == {("checkbox", "true")}
    for item, box in zip(items, boxes, strict=True):
        (label,) = tree.xpath(f"//*[@id='{box.get('aria-labelledby')}']")
        assert _text(label) == _text(item) and not _text(label).startswith("[")
    assert _text(items[3]) == "Paste down the endpapers"
    assert items[3].find(".//x:em", NS) is not None  # the item's own markup is kept


def test_the_printed_task_list_has_no_brackets_and_no_bullets(
    extensions_build: BuildResult,
) -> None:
    (page,) = [p for p in pdf_pages_text(output(extensions_build, "pdf")) if "Fold every" in p]
    assert "[ ]" not in page and "[x]" not in page
    assert "Mark the sewing stations" in page
    assert page.count("•") == 2  # the plain list's two bullets, none for the four tasks


def test_task_marks_count_only_at_the_start_of_a_list_item() -> None:
    html = _render("- [x] done\n\n1. [ ] numbered\n\n[x] not in a list\n\n- [x]\n- [y] no\n")
    assert html.count('class="task-box"') == 2
    assert 'aria-checked="true"' in html and 'aria-checked="false"' in html
    assert "<p>[x] not in a list</p>" in html
    assert "<li>[x]</li>" in html and "<li>[y] no</li>" in html


# --- Subscripts and superscripts --------------------------------------------------------------


def test_subscripts_and_superscripts_are_set_below_and_above_the_line(
    extensions_build: BuildResult, lines: list[PdfLine]
) -> None:
    tree = _document(extensions_build, "c02-bench.xhtml")
    assert [_text(s) for s in tree.iterfind(".//x:sub", NS)] == ["2", "6", "10", "5", "n"]
    assert [_text(s) for s in tree.iterfind(".//x:sup", NS)] == ["10", "st", "nd"]
    assert [_text(s) for s in tree.iterfind(".//x:s", NS)] == ["struck out"]
    (water,) = [line for line in lines if "Water is H2O" in line.text]
    h = water.text.index("H2O")
    capital, inferior = water.boxes[h], water.boxes[h + 1]  # (left, bottom, right, top)
    assert inferior[1] < capital[1] - 0.5  # below the baseline
    assert inferior[3] - inferior[1] < 0.8 * (capital[3] - capital[1])  # and smaller
    (sheet,) = [line for line in lines if "sheet of 210" in line.text]
    two = sheet.text.index("210")
    assert sheet.boxes[two + 1][1] > sheet.boxes[two][1] + 1  # the 10 of 2^10^ stands above


def test_tildes_and_carets_that_mark_nothing_stay_as_typed(
    extensions_build: BuildResult,
) -> None:
    text = " ".join(" ".join(pdf_pages_text(output(extensions_build, "pdf"))).split())
    assert "~2~" not in text and "^10^" not in text and "^st^" not in text
    for kept in ("about ~5 or ~6 minutes", "a caret ^ alone", "a~b c~d"):
        assert kept in text
    assert "~~" not in text and "struck out," in text  # struck through, its marks gone


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("", ""),
        ("~~struck~~ and ^^two^^, ", "<s>struck</s> and ^^two^^, "),  # GitHub's strikethrough
        ("a ~~ b, ", "a ~~ b, "),
        ("a ~ b ^ c, ", "a ~ b ^ c, "),
        ("~a b~ and ^a b^, ", "~a b~ and ^a b^, "),  # Pandoc: no space inside
        ("P~a\\ cat~, ", "P<sub>a cat</sub>, "),  # unless escaped
        ("`x~2~` and `2^3^`, ", "<code>x~2~</code> and <code>2^3^</code>, "),
    ],
)
def test_pandoc_rules_for_subscripts_and_superscripts(markdown: str, html: str) -> None:
    """Each lookalike beside a real subscript and superscript, which it must not disturb."""
    real = "H~2~O and 2^10^"
    assert _render(markdown + real) == f"<p>{html}H<sub>2</sub>O and 2<sup>10</sup></p>\n"


def test_a_footnote_reference_is_no_superscript() -> None:
    html = _render("A note.[^1] And 2^10^.\n\n[^1]: The note.\n")
    assert 'epub:type="noteref"' in html and "<sup>10</sup>" in html
    assert "<sup>1]" not in html


# --- Both editions, the booklet, the page list and the checks ---------------------------------


def test_the_epub_passes_epubcheck_and_print_needs_no_fallback_face(
    extensions_build: BuildResult,
) -> None:
    epub = output(extensions_build, "epub")
    with zipfile.ZipFile(epub) as z:
        held = z.read("EPUB/c01-terms.xhtml") + z.read("EPUB/c02-bench.xhtml")
    assert all(tag in held for tag in (b"<dt", b"<dd", b'class="task-box"', b"<sub", b"<sup"))
    assert epubcheck(epub).problems() == []
    fonts = pdf_fonts(output(extensions_build, "pdf"))
    assert all(fonts.values())
    assert fonts and all("+EB-Garamond" in name for name in fonts), fonts  # no fallback face
    assert [w for w in extensions_build.warnings if w.code in {"P004", "F001"}] == []


def test_the_booklet_is_imposed(extensions_build: BuildResult) -> None:
    """The booklet imposes the same pages, the glossary and the tasks among them."""
    booklet = " ".join(" ".join(pdf_pages_text(output(extensions_build, "booklet"))).split())
    assert "Recto The right-hand page" in booklet and "Fold every sheet" in booklet
    assert "[x]" not in booklet and "H~2~O" not in booklet


def test_the_page_list_agrees_with_print(extensions_build: BuildResult) -> None:
    """Pages open on a term, inside a definition and in the task chapter: the EPUB's page-list
    names the same words."""
    found = agreement(extensions_build)
    assert found.compared >= 5 and found.differences == [] and found.unlisted == [], found
    tree = _document(extensions_build, "c01-terms.xhtml")
    markers = tree.xpath("//*[@epub:type='pagebreak']", namespaces={"epub": EPUB_NS})
    in_the_list = [m for m in markers if m.xpath("ancestor::x:dl", namespaces=NS)]
    assert len(in_the_list) >= 2  # pages turn inside the definition list


def test_octavo_check_reads_the_words_and_finds_nothing_to_report() -> None:
    book = load_book(EXTENSIONS)
    bench = prose.read(read_file(EXTENSIONS / "manuscript" / "02-bench.md"), book.config)
    items = [p.text for p in bench.paragraphs if p.runs_on]
    assert "Mark the sewing stations" in items  # the task's words, without its mark
    report = check(EXTENSIONS, build=False)
    assert as_text(report).strip().splitlines()[-1].startswith("0 errors, 0 warnings"), as_text(
        report
    )
