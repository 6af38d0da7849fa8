"""Helpers for the print tests: a small book with every part of a printed book, and readers of
what a PDF shows where (folios, running heads, boxes), with pypdf and pypdfium2."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from support import make_book

SENTENCE = (
    "the knowledge of a quiet reader grows slowly through patient attention to long sentences "
    "that wander from one idea to another before they settle on a conclusion worth keeping"
)
WORDS = SENTENCE.split(" ")
# Words too short to hyphenate: prose of them has no ladder nor broken word at a page turn.
SHORT_WORDS = [
    "the",
    "old",
    "road",
    "ran",
    "down",
    "to",
    "the",
    "sea",
    "and",
    "we",
    "went",
    "on",
    "it",
    "day",
    "by",
    "day",
    "as",
    "the",
    "tide",
    "came",
]


def prose(paragraphs: int, words: int, seed: int = 0) -> str:
    out = []
    for p in range(paragraphs):
        chosen = [WORDS[(seed * 7 + p * 13 + i * 5) % len(WORDS)] for i in range(words)]
        out.append(" ".join(chosen).capitalize() + ".")
    return "\n\n".join(out)


RICH_TOML = """\
title = "A Printed Book"
author = "Ann Lee"
language = "en-US"
date = "2026-01-02"
isbn = "978-0-306-40615-7"
edition = "First edition"
publisher = "Small Press"
dedication = "For the printers."
epigraph = "A book is a garden carried in the pocket."
epigraph_source = "Proverb"
acknowledgements = "Thanks to everyone who read the proofs."
trim = "A5"
"""


def rich_book(root: Path, toml: str = RICH_TOML, first_paragraphs: int = 11) -> Path:
    """Three chapters: the first runs over two pages, the second fills less than one (so a
    blank verso follows it), the third carries a footnote and a scene break."""
    return make_book(
        root,
        {
            "01-first.md": f"# The First\n\n{prose(first_paragraphs, 75, 1)}\n",
            "02-second.md": f"# The Second\n\n{prose(2, 40, 2)}\n",
            "03-third.md": (
                f"# The Third\n\n{prose(2, 60, 3)}\n\nA claim that needs a source.[^s]\n\n"
                f"***\n\n{prose(2, 50, 4)}\n\n[^s]: The source of the claim, in a footnote.\n"
            ),
        },
        textwrap.dedent(toml),
    )


@dataclass(frozen=True)
class PageView:
    """What one page shows: its label, its size and the text in each region."""

    index: int
    label: str
    boxes: dict[str, tuple[float, float, float, float]]
    text: str
    head: str  # text above the text block (running head)
    foot: str  # text below the text block (folio)


def _box(box: object) -> tuple[float, float, float, float]:
    values = [round(float(v), 2) for v in box]  # type: ignore[attr-defined]
    return (values[0], values[1], values[2], values[3])


def read_pages(path: Path, head: float = 40.0, foot: float = 48.0) -> list[PageView]:
    """Every page, with the text of the top `head` points and the bottom `foot` points of the
    trim (where running heads and folios sit)."""
    reader = PdfReader(path)
    doc = pdfium.PdfDocument(str(path))
    views = []
    try:
        for i, page in enumerate(reader.pages):
            trim = _box(page.trimbox)
            tp = doc[i].get_textpage()
            left, bottom, right, top = trim
            views.append(
                PageView(
                    index=i,
                    label=doc.get_page_label(i),
                    boxes={
                        "media": _box(page.mediabox),
                        "trim": trim,
                        "bleed": _box(page.bleedbox),
                    },
                    text=tp.get_text_range(),
                    head=tp.get_text_bounded(left, top - head, right, top).strip(),
                    foot=tp.get_text_bounded(left, bottom, right, bottom + foot).strip(),
                )
            )
    finally:
        doc.close()
    return views


def find_page(views: list[PageView], text: str) -> PageView:
    squashed = re.sub(r"\s+", "", text)
    return next(v for v in views if squashed in re.sub(r"\s+", "", v.text))


def find_opener(views: list[PageView], title: str) -> PageView:
    """The page a chapter or section opens on: the title is in its first lines (after the
    drop cap, which the PDF draws first)."""
    return next(v for v in views if title in v.text.strip().splitlines()[:2] if v.text.strip())


def from_roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


UNMENDED = """\
name = "unmended"
extends = "classic"

[print]
repair = false
"""


def unmended_theme(book: Path) -> str:
    """A theme of the book's own, the classic theme without the second layout pass
    (print/second_pass.py), for a test that needs the faults the pass would mend; its name."""
    folder = book / "styles" / "unmended"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.toml").write_text(UNMENDED, "utf-8")
    return "unmended"
