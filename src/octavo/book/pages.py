"""Places in the book that both editions can name: where each printed page begins.

The print HTML and the EPUB documents are made from the same chapter HTML (matter.chapter_section),
so a place can be named independently of either: the *region* (a chapter id, `titlepage`,
`copyright` or `toc`), the n-th element of a tag inside that region, and a character offset
into that element's text with runs of whitespace counted as one space. The print side finds
the place by walking the laid-out pages (print/pagemap.py); the EPUB side finds the same place
in its own XHTML tree and puts a page-break marker there (epub/pagebreaks.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Elements without text that can begin a page: an image, or a scene break (drawn by CSS).
EMPTY_STARTS = {"img", "hr"}


@dataclass(frozen=True)
class PageStart:
    """Where printed page `label` begins: the first whole word on it."""

    label: str  # the folio, as printed: "iii", "1", "17"
    region: str  # a chapter id, or "titlepage", "copyright", "toc"
    tag: str  # local tag name of the element holding the word ("p", "h1", "img", …)
    ordinal: int  # that element is the ordinal-th of its tag in the region, in document order
    offset: int  # characters of its text before the word (whitespace runs count as one)
    preview: str  # the text from there on, a few words, to check the EPUB side agrees


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def flat_text(element: Any) -> str:
    """The element's text, whitespace runs folded to one space: the same on both sides."""
    return re.sub(r"\s+", " ", "".join(_text_without_notes(element)))


def _text_without_notes(element: Any) -> Iterator[str]:
    """itertext(), less the footnotes the print HTML sets inline at their calls
    (`<span class="footnote">`, floated to the foot of the page): the EPUB keeps them apart."""
    if element.tag == "span" and "footnote" in (element.get("class") or "").split():
        return
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_without_notes(child)
        if child.tail:
            yield child.tail


def preview(text: str, offset: int) -> str:
    return " ".join(text[offset:].split()[:4])
