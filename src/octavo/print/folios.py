"""Folios: the page numbers printed on the pages. Lower-case roman in the front matter, arabic
from 1 on the first chapter's opening page. Pages that print none (openers, blank versos) still
have the number they would carry: the PDF's page labels and the EPUB's page-list say them all.
"""

from __future__ import annotations

from typing import Any

from octavo.book.model import Book
from octavo.print.html import body_chapters


def to_roman(n: int) -> str:
    numerals = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]  # fmt: skip
    out = []
    for value, numeral in numerals:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def body_start(document: Any, book: Book) -> int:
    """Index of the page that carries folio 1: the first body chapter's opening page."""
    if not book.chapters:
        return 0
    return page_of(document, body_chapters(book)[0].id)


def page_of(document: Any, anchor: str) -> int:
    """Index of the page an anchor (an element id) is on; 0 when no page has it."""
    return next((i for i, page in enumerate(document.pages) if anchor in page.anchors), 0)


def page_labels(document: Any, book: Book) -> list[str]:
    """The folio of every page, printed or not: lower-case roman up to the first chapter,
    arabic from 1 there on. The PDF's page labels and the EPUB's page-list both say these."""
    start = body_start(document, book)
    count = len(document.pages)
    return [to_roman(i + 1) if i < start else str(i - start + 1) for i in range(count)]
