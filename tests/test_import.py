"""`octavo import`: a Word manuscript written by the test (python-docx, footnotes part by hand:
tests/docxsupport.py) becomes a book folder that builds, with its words, italics, footnote and
image in the EPUB; a .docx left in manuscript/ is named with a warning (S009)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from docxsupport import IMAGE_DESCRIPTION, NOTE_TEXT, write_manuscript
from octavo import build, load_book
from octavo.convert.word import import_docx
from octavo.core.errors import OctavoError, SourceError
from support import epubcheck, make_book


def test_import_writes_chapters_book_toml_and_images(tmp_path: Path) -> None:
    docx = write_manuscript(tmp_path / "ferry.docx")
    done = import_docx(docx, tmp_path / "book")
    names = sorted(p.relative_to(tmp_path / "book").as_posix() for p in done.written)
    assert names == [
        "book.toml",
        "images/image-01.png",
        "manuscript/01-the-crossing.md",
        "manuscript/02-the-harbour.md",
    ]
    toml = (tmp_path / "book" / "book.toml").read_text()
    assert 'title = "The Ferry"' in toml and 'authors = ["Ann Lee"]' in toml
    assert 'language = "en-GB"' in toml and 'date = "2025-03-14"' in toml
    first = (tmp_path / "book" / "manuscript" / "01-the-crossing.md").read_text()
    assert first.startswith("# The Crossing\n\nThe boat left at six. *Nobody* spoke")
    assert "**engine** ran rough all the way[^1]." in first
    assert "“We’ll be late,” she said — and they were." in first  # Word's curly quotes kept
    assert "> A quiet sea is a lie the sea tells." in first
    assert "\n***\n" in first  # the centred asterisks: a scene break
    assert f"![{IMAGE_DESCRIPTION}](../images/image-01.png)" in first
    assert first.rstrip().endswith(f"[^1]: {NOTE_TEXT}")
    second = (tmp_path / "book" / "manuscript" / "02-the-harbour.md").read_text()
    assert second.startswith("# The Harbour\n\n## Morning\n\nThe harbour master")
    assert done.unmapped == []


def test_an_imported_manuscript_builds_and_keeps_its_words_and_italics(tmp_path: Path) -> None:
    docx = write_manuscript(tmp_path / "ferry.docx")
    cmd = [sys.executable, "-m", "octavo", "import", str(docx), "--into", str(tmp_path / "book")]
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ, timeout=120)
    assert done.returncode == 0, done.stderr
    result = build(load_book(tmp_path / "book"), tmp_path / "out", ["epub", "pdf"])
    epub = next(o.path for o in result.outputs if o.format == "epub")
    with zipfile.ZipFile(epub) as z:
        chapter = z.read("EPUB/c01-the-crossing.xhtml").decode()
        images = [n for n in z.namelist() if n.startswith("EPUB/images/image-01")]
    assert "<em>Nobody</em> spoke" in chapter and "<strong>engine</strong>" in chapter
    assert "“We’ll be late,” she said" in chapter
    assert 'epub:type="footnote"' in chapter and NOTE_TEXT in chapter
    assert f'alt="{IMAGE_DESCRIPTION}"' in chapter and images
    assert "<blockquote>" in chapter and "<hr" in chapter
    assert epubcheck(epub).problems() == []


def test_import_into_a_book_adds_chapters_and_never_overwrites(tmp_path: Path) -> None:
    book = make_book(
        tmp_path / "book", {"01-opening.md": "# Opening\n\nFirst.\n"}, 'title = "Mine"\n'
    )
    docx = write_manuscript(tmp_path / "ferry.docx")
    done = import_docx(docx, book)
    assert done.kept_config and (book / "book.toml").read_text() == 'title = "Mine"\n'
    assert (book / "manuscript" / "02-the-crossing.md").is_file()
    assert [c.title for c in load_book(book).chapters] == ["Opening", "The Crossing", "The Harbour"]
    picture = (book / "images" / "image-01.png").read_bytes()
    (book / "manuscript" / "04-mine.md").write_text("# Mine\n\nKept.\n")
    again = import_docx(docx, book)  # a second import comes after, and replaces nothing
    written = sorted(p.name for p in again.written)
    assert written == ["05-the-crossing.md", "06-the-harbour.md", "image-02.png"]
    assert (book / "manuscript" / "04-mine.md").read_text() == "# Mine\n\nKept.\n"
    assert (book / "images" / "image-01.png").read_bytes() == picture
    assert "../images/image-02.png" in (book / "manuscript" / "05-the-crossing.md").read_text()


def test_a_word_file_in_the_manuscript_is_named_and_pointed_to_import(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", {"01-one.md": "# One\n\nText.\n"})
    write_manuscript(book / "manuscript" / "02-draft.docx")
    (book / "manuscript" / "03-notes.odt").write_bytes(b"PK")
    warnings = [d for d in load_book(book).diagnostics if d.code == "S009"]
    assert [d.path.name for d in warnings if d.path] == ["02-draft.docx", "03-notes.odt"]
    assert "octavo import" in warnings[0].message
    alone = make_book(tmp_path / "alone", {})
    (alone / "manuscript").mkdir()
    write_manuscript(alone / "manuscript" / "draft.docx")
    with pytest.raises(SourceError, match=r"only draft\.docx: run `octavo import"):
        load_book(alone)


def test_a_file_that_is_not_a_docx_is_refused_in_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "notes.docx"
    odd.write_text("not a zip")
    with pytest.raises(OctavoError, match="not a Word document"):
        import_docx(odd, tmp_path / "book")
    with pytest.raises(OctavoError, match=r"not a \.docx file"):
        import_docx(tmp_path / "notes.odt", tmp_path / "book")
