"""Admonitions (`> [!NOTE]` and its kin, source/admonitions.py): a labelled note set apart in
both editions, the label in the book's language, read back from the EPUB's XHTML and the print
PDF's text; the linter reads their words where the author wrote them and finds nothing in the
markers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from octavo import build, load_book
from octavo.check import check
from octavo.pipeline import BuildResult
from printsupport import prose
from support import REPO, epubcheck, make_book, normalize, output, pdf_pages_text

BOOK = REPO / "tests" / "books" / "admonitions"
NS = {"x": "http://www.w3.org/1999/xhtml"}
KINDS = {  # kind → (label, role)
    "note": ("Note", "note"),
    "tip": ("Tip", "doc-tip"),
    "important": ("Important", "doc-notice"),
    "warning": ("Warning", "doc-notice"),
    "caution": ("Caution", "doc-notice"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(BOOK), tmp_path_factory.mktemp("admonitions"), ["epub", "pdf"])


def chapters(epub: Path) -> list[etree._Element]:
    """The EPUB's pages in file order (the fixtures' chapters are named in reading order)."""
    with zipfile.ZipFile(epub) as z:
        names = sorted(n for n in z.namelist() if n.endswith(".xhtml"))
        return [etree.fromstring(z.read(n)) for n in names]


def admonitions(epub: Path) -> list[etree._Element]:
    return [
        div
        for page in chapters(epub)
        for div in page.iterfind(".//x:div", NS)
        if "admonition" in (div.get("class") or "").split()
    ]


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_each_kind_is_a_labelled_note_in_the_epub(built: BuildResult) -> None:
    epub = output(built, "epub")
    found = admonitions(epub)
    kinds = [(div.get("class") or "").split()[1] for div in found]
    assert kinds == ["note", "tip", "important", "warning", "caution", "tip", "warning", "note"]
    for div, kind in zip(found, kinds, strict=True):
        label, role = KINDS[kind]
        assert div.get("role") == role
        first = div[0]
        assert etree.QName(first).localname == "p" and first.get("class") == "admonition-label"
        assert words(first) == label
        assert "[!" not in words(div)
    # the first note keeps both its paragraphs; the tip holds a warning of its own; the marker
    # alone is a label alone
    assert [words(p) for p in found[0].iterfind("x:p", NS)][1:] == [
        "The kettle holds a litre and a half.",
        "It takes four minutes to boil.",
    ]
    assert found[6].getparent() is found[5]
    assert len(found[7]) == 1
    # an unknown kind, and a marker with words after it, stay quotations as typed
    quotes = [words(q) for page in chapters(epub) for q in page.iterfind(".//x:blockquote", NS)]
    assert quotes == ["[!KETTLE] An unknown kind.", "[!Tip] With a title mdBook has no titles."]
    assert epubcheck(epub).problems() == []


def test_the_print_edition_prints_the_labels_not_the_markers(built: BuildResult) -> None:
    text = normalize("\n".join(pdf_pages_text(output(built, "pdf"))))
    for label, _ in KINDS.values():
        assert re.search(rf"\b{label}\b", text), label
    assert not re.search(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION|tip)\]", text)
    assert "Warning The spout is hot" in text and "Caution Never open the lid" in text
    assert "[!KETTLE] An unknown kind." in text  # a quotation, printed as typed


def test_the_label_is_in_the_books_language_or_its_own_wording(tmp_path: Path) -> None:
    text = "# Eins\n\n> [!NOTE]\n> Der Kessel ist heiß.\n\n> [!WARNING]\n> Vorsicht, Dampf.\n"
    toml = 'title = "Kessel"\nlanguage = "de"\n\n[labels]\nwarning = "Achtung"\n'
    book = make_book(tmp_path / "b", {"01-eins.md": text}, toml)
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    labels = [words(div[0]) for div in admonitions(output(result, "epub"))]
    assert labels == ["Hinweis", "Achtung"]
    printed = normalize("\n".join(pdf_pages_text(output(result, "pdf"))))
    assert "Hinweis Der Kessel ist heiß." in printed and "Achtung Vorsicht, Dampf." in printed
    assert "Note" not in printed and "[!" not in printed


def test_check_finds_nothing_in_the_markers_and_reads_the_notes_where_they_stand(
    tmp_path: Path,
) -> None:
    assert [str(d) for d in check(BOOK, build=False).diagnostics] == []
    # a double space inside a note is reported on its own line, a line below the marker
    text = "# One\n\nBefore you begin,\n\n> [!warning]\n> Mind  the gap.\n"
    book = make_book(tmp_path / "b", {"01-one.md": text}, (BOOK / "book.toml").read_text())
    found = [(d.code, d.line, d.col) for d in check(book, build=False).diagnostics]
    assert found == [("T006", 6, 7)]


def test_the_epub_page_list_agrees_with_print_inside_and_around_notes(tmp_path: Path) -> None:
    """Pages that open inside a note, at its label or just after it: the EPUB's page markers
    name the same words the PDF's pages open with (book/pages.py, epub/pagebreaks.py)."""
    from test_epub_pagelist import agreement

    parts = []
    for n, kind in enumerate([*KINDS, *KINDS]):
        body = prose(2, 40, seed=n).replace("\n\n", "\n>\n> ")
        parts += [prose(2, 50 + 9 * n, seed=n), f"> [!{kind.upper()}]\n> {body}"]
    toml = 'title = "Notes"\nauthor = "Ann Lee"\nlanguage = "en"\ndate = "2026-01-02"\n'
    book = make_book(tmp_path / "b", {"01-notes.md": "# Notes\n\n" + "\n\n".join(parts)}, toml)
    (book / "book.toml").write_text(toml + 'trim = "A6"\nisbn = "9780141439518"\n', "utf-8")
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    found = agreement(result)
    assert found.compared >= 10 and found.differences == [] and found.unlisted == [], found
    assert len(admonitions(output(result, "epub"))) == 10
