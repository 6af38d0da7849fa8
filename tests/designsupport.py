"""Reading the print PDF back character by character (pypdfium2): font name, size and place,
for the tests of [design]."""

from __future__ import annotations

import ctypes
import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# WeasyPrint draws in CSS pixels under a 0.75 scale: pdfium reports sizes in those pixels.
PT_PER_REPORTED = 0.75


@dataclass(frozen=True)
class Char:
    text: str
    font: str  # the PDF's font name without its subset tag: "Crimson-Pro"
    size: float  # points
    box: tuple[float, float, float, float]  # left, bottom, right, top in points


def page_chars(pdf: Path, index: int) -> list[Char]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = doc[index].get_textpage()
        chars = []
        for i in range(text.count_chars()):
            ch = text.get_text_range(i, 1)
            if not ch.strip():
                continue
            name = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            pdfium_c.FPDFText_GetFontInfo(text.raw, i, name, 256, ctypes.byref(flags))
            size = pdfium_c.FPDFText_GetFontSize(text.raw, i) * PT_PER_REPORTED
            font = name.value.decode("latin-1").split("+", 1)[-1]
            chars.append(Char(ch, font, round(size, 2), tuple(text.get_charbox(i))))  # type: ignore[arg-type]
        return chars
    finally:
        doc.close()


def body_size(chars: list[Char]) -> float:
    return statistics.median(c.size for c in chars)


def lines(chars: list[Char], size: float) -> list[list[Char]]:
    """Body-text characters (of this size) grouped into lines, top to bottom: characters whose
    boxes' middles lie within half the size of each other share a line (a descender's box
    reaches lower, an ascender's higher: their middles stay close to the line's)."""

    def middle(c: Char) -> float:
        return (c.box[1] + c.box[3]) / 2

    body = sorted((c for c in chars if abs(c.size - size) < 0.3), key=lambda c: -middle(c))
    found: list[list[Char]] = []
    for char in body:
        if found and abs(middle(found[-1][0]) - middle(char)) < size / 2:
            found[-1].append(char)
        else:
            found.append([char])
    return [sorted(line, key=lambda c: c.box[0]) for line in found]


def baselines(chars: list[Char], size: float) -> list[float]:
    """Each line's baseline: the median bottom of its letters that sit on the line."""
    flat = "acemnorsuvwxz"
    return [
        statistics.median([c.box[1] for c in line if c.text in flat] or [line[0].box[1]])
        for line in lines(chars, size)
    ]


def steps(chars: list[Char], size: float) -> list[float]:
    """The distances between consecutive baselines of the body text."""
    found = baselines(chars, size)
    return [a - b for a, b in itertools.pairwise(found)]
