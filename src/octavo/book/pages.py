"""Places in the book that both editions can name: where each printed page begins.

The print HTML and the EPUB documents are made from the same chapter HTML (matter.chapter_section),
so a place can be named independently of either: the *region* (a chapter id, `titlepage`,
`copyright`, `toc`, or a section of book.toml's matter: `dedication`, `epigraph`,
`acknowledgements`, `about-author`), the n-th element of a tag inside that region, and a character offset
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
    region: str  # a chapter id, "titlepage", "copyright", "toc", or a matter section's region
    tag: str  # local tag name of the element holding the word ("p", "h1", "img", …)
    ordinal: int  # that element is the ordinal-th of its tag in the region, in document order
    offset: int  # characters of its text before the word (whitespace runs count as one)
    preview: str  # the text from there on, a few words, to check the EPUB side agrees


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def flat_text(element: Any) -> str:
    """The element's text, whitespace runs folded to one space: the same on both sides."""
    return re.sub(r"\s+", " ", "".join(text for _, _, text in text_slots(element)))


# A footnote as the print HTML sets it inline at its call (print/html.py), floated to the foot
# of the page; units and rests count these to number their notes on through the book.
FOOTNOTE_SPAN = '<span class="footnote">'


def is_footnote(element: Any) -> bool:
    """A footnote as the print HTML sets it at its call (FOOTNOTE_SPAN)."""
    return local(element.tag) == "span" and "footnote" in (element.get("class") or "").split()


# The print edition's picture of a formula (source/formulas.py), where the EPUB sets MathML: it
# is no place either edition can name, so the page map neither counts nor starts a page at it.
FORMULA_CLASS = "formula"


def is_formula(element: Any) -> bool:
    return local(element.tag) == "img" and FORMULA_CLASS in (element.get("class") or "").split()


def _is_note(element: Any) -> bool:
    """A footnote set at its call in print, or the call's number in the EPUB (`<sup
    class="footnote-ref">`, which print draws as generated content): text of one edition
    only, which neither side counts."""
    classes = (element.get("class") or "").split()
    if local(element.tag) == "math":  # the EPUB's MathML: print draws the formula as a picture
        return True
    return is_footnote(element) or (local(element.tag) == "sup" and "footnote-ref" in classes)


def text_slots(element: Any) -> Iterator[tuple[Any, bool, str]]:
    """(node, is_tail, text) for every text node inside element that both editions show, in
    document order: the text of `node`, or its tail if `is_tail`."""
    if _is_note(element):
        return
    if element.text:
        yield element, False, element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from text_slots(child)
        if child.tail:
            yield child, True, child.tail


def preview(text: str, offset: int) -> str:
    return " ".join(text[offset:].split()[:4])
