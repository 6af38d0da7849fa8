"""Reading verse back from a PDF: its text lines in order, and where each glyph of a line lies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium


@dataclass(frozen=True)
class PdfLine:
    """One line of text as pdfium reads it, with its glyph boxes (left, bottom, right, top)."""

    page: int
    text: str
    boxes: list[tuple[float, float, float, float]]

    def word_gaps(self) -> list[float]:
        """The white space between each word and the next, in points."""
        gaps = []
        for i, ch in enumerate(self.text[1:-1], 1):
            if ch == " " and self.text[i - 1] != " " and self.text[i + 1] != " ":
                gaps.append(self.boxes[i + 1][0] - self.boxes[i - 1][2])
        return gaps


def pdf_lines(path: Path) -> list[PdfLine]:
    """Every line of every page, in reading order."""
    doc = pdfium.PdfDocument(str(path))
    lines: list[PdfLine] = []
    try:
        for number in range(len(doc)):
            textpage = doc[number].get_textpage()
            count = textpage.count_chars()
            chars = [textpage.get_text_range(i, 1) for i in range(count)]
            boxes = [textpage.get_charbox(i) for i in range(count)]
            start = 0
            for i in range(count + 1):
                if i == count or chars[i] in {"\r", "\n"}:
                    text = "".join(chars[start:i])
                    if text.strip():
                        lines.append(PdfLine(number, text, boxes[start:i]))
                    start = i + 1
    finally:
        doc.close()
    return lines


def verse_lines(markdown: str) -> list[str]:
    """The lines of a poem as the book prints them: no Markdown emphasis, no hard-break marks,
    no line-block bars, no blank lines."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^\| ?", "", line).rstrip("\\").strip()
        line = re.sub(r"[*_]", "", line)
        if line and line != ":::" and not line.startswith("::: "):
            lines.append(line)
    return lines


def find_in_order(lines: list[PdfLine], wanted: list[str]) -> list[PdfLine]:
    """The PDF line that is each wanted line, whole, in order (page furniture may stand
    between them); AssertionError names the first one missing."""
    found = []
    k = 0
    for text in wanted:
        while k < len(lines) and lines[k].text.strip() != text:
            k += 1
        assert k < len(lines), (
            f"no PDF line reads {text!r} (after {found[-1].text if found else '-'})"
        )
        found.append(lines[k])
        k += 1
    return found
