"""Characters a theme's face lacks, set as their standard equivalents (source/equivalents.py):
the 2-em and 3-em dashes of Pride and Prejudice in Literata (modern) and Crimson Pro (poetry),
built and read back from the PDF and the EPUB; EB Garamond (classic) keeps its own."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest

from octavo.check import check
from octavo.pipeline import build
from octavo.source.load import load_book
from support import REPO, epubcheck, make_book, pdf_fonts, pdf_pages_text

BOOK = REPO / "tests" / "books" / "dashes"
TWO_EM, THREE_EM, EM = "\u2e3a", "\u2e3b", "\u2014"


def _built(tmp_path: Path, theme: str) -> tuple[Path, Path]:
    book = load_book(BOOK)
    book = load_book(BOOK, dataclasses.replace(book.config, theme=theme))
    outputs = build(book, tmp_path / theme, ["epub", "pdf"]).outputs
    paths = {o.format: o.path for o in outputs}
    return paths["epub"], paths["pdf"]


def _chapter(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        (name,) = [n for n in z.namelist() if "c01-letters" in n]
        return z.read(name).decode()


@pytest.mark.parametrize(("theme", "face"), [("modern", "Literata"), ("poetry", "CrimsonPro")])
def test_a_face_without_the_dashes_prints_em_dashes_set_solid(
    tmp_path: Path, theme: str, face: str
) -> None:
    epub, pdf = _built(tmp_path, theme)
    fonts = pdf_fonts(pdf)
    # the theme's faces only: no DejaVu (a fallback) and no empty box
    assert all(face in n or "JetBrains" in n for n in (f.replace("-", "") for f in fonts)), fonts
    text = "".join(pdf_pages_text(pdf))
    assert TWO_EM not in text and THREE_EM not in text
    assert f"{EM * 2}shire Militia" in text  # in the opening's first line, and again below
    assert f"Lord {EM * 3}" in text
    assert "efficient" in text  # the ﬃ ligature as its letters (the face's liga joins them)
    xhtml = _chapter(epub)
    assert xhtml.count('class="dashes"') == 6  # four in the text, one in code, one listing
    assert f'title="{TWO_EM}"' in xhtml  # the author's character kept for assistive tools
    assert epubcheck(epub).problems() == []


def test_a_face_with_the_dashes_keeps_them(tmp_path: Path) -> None:
    epub, pdf = _built(tmp_path, "classic")
    text = "".join(pdf_pages_text(pdf))
    assert f"the {TWO_EM}shire" in text and f"Lord {THREE_EM}" in text  # EB Garamond has both
    names = [f.replace("-", "") for f in pdf_fonts(pdf)]
    assert all("EBGaramond" in n or "JetBrains" in n for n in names), names
    xhtml = _chapter(epub)
    assert TWO_EM in xhtml and xhtml.count('class="dashes"') == 2  # the code face lacks them


def test_the_linter_is_quiet_on_a_character_the_book_sets_as_its_equivalent(
    tmp_path: Path,
) -> None:
    def f001(theme: str, title: str = "Omissions") -> list[str]:
        root = tmp_path / theme / title
        shutil.copytree(BOOK / "manuscript", root / "manuscript")
        toml = f'title = "{title}"\nlanguage = "en-GB"\ntheme = "{theme}"\n'
        make_book(root, {}, toml)
        return [d.message for d in check(root, build=False).diagnostics if d.code == "F001"]

    assert f001("modern") == []
    # book.toml's title page is not rendered through the parser: there it still is a fault
    assert len(f001("modern", f"The {TWO_EM}shire")) == 1
    # a character with no equivalent is still reported
    other = tmp_path / "rune"
    make_book(other, {"01.md": "# A\n\nA rune \u16a0.\n"}, 'title = "T"\ntheme = "modern"\n')
    assert [d.code for d in check(other, build=False).diagnostics].count("F001") == 1
