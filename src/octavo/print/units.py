"""The print edition cut into *units* that are laid out apart.

A unit is a run of the body's parts (html.PrintDocument) that begins on a recto: a chapter,
with whatever runs on after it without a recto of its own (a poem, a section on a new page); a
preface; a back-matter section. After a forced break to a recto nothing of what came before
reaches it: its pages depend on its own HTML, the style sheets and the page's geometry, never
on its first folio, since folios and running heads are margin boxes and the frame draws those.
So units can be laid out in any process, in any order, and cached by their content.

A unit's document is the whole book's document with every other part reduced to an empty,
undisplayed shell: the body's children stay the same elements in the same order, so every
selector (`section.part + section.chapter`, `:first-child`) matches as in the whole book. Two
things run through the whole book and are carried in: the footnote counter (each unit starts
where the notes before it left off) and the body's top edge, which falls on the book's first
page only.

The frame (frame.py) then gives every page its folio and running heads, and the join (join.py)
draws the units' pages on the frame's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from octavo.book.pages import FOOTNOTE_SPAN
from octavo.print.html import PrintDocument
from octavo.print.render import Breaks

ELSEWHERE = "data-octavo-elsewhere"  # a shell: another unit's part

MARGIN_BOXES = (
    *("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner"),
    *("left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom"),
    *("bottom-left-corner", "bottom-left", "bottom-center", "bottom-right"),
    "bottom-right-corner",
)
# In a unit's document: no margin boxes (the frame draws them); the shells take no room; the
# body's top margin, padding and border fall on the book's first page only (the frame's).
UNIT_CSS = (
    "@page { "
    + " ".join(f"@{name} {{ content: none !important; }}" for name in MARGIN_BOXES)
    + " }\n"
    f"[{ELSEWHERE}] {{ display: none !important; }}\n"
    "html, body { margin-top: 0 !important; padding-top: 0 !important;"
    " border-top-width: 0 !important; }\n"
)
# ... and the bottom edge on its last page only.
NOT_LAST_CSS = (
    "html, body { margin-bottom: 0 !important; padding-bottom: 0 !important;"
    " border-bottom-width: 0 !important; }\n"
)
# Theme rules a unit's document would apply to the wrong pages: its first page is not the
# book's (`@page :first`, `:nth(N)` counted from the book's start); its margin boxes are empty
# (a running element would stay in the unit); the frame's page background would be painted
# over the unit's text. The book is then laid out whole.
_UNSPLITTABLE = (
    (re.compile(r"@page[^{;]*:first\b"), "an @page :first rule"),
    (re.compile(r"@page[^{;]*:nth\((?![^)]*\bof\b)"), "an @page :nth() rule without 'of'"),
    (re.compile(r"\brunning\s*\("), "a running element"),
    (re.compile(r"@page[^{;]*\{[^}]*\bbackground"), "a page background"),
)
_OPENING = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")


@dataclass(frozen=True)
class Unit:
    """Parts `first` to `first + len(parts) - 1` of the book's document."""

    first: int
    parts: tuple[str, ...]
    notes_before: int  # footnotes in the units before it: their counter runs through the book

    @property
    def name(self) -> str:
        """The id its first part names (a chapter's, for messages and tests)."""
        found = re.search(r'(?:aria-labelledby|id)="([^"]*)"', opening(self.parts[0]))
        return found[1] if found else f"part {self.first}"


@dataclass(frozen=True)
class Split:
    document: PrintDocument
    units: tuple[Unit, ...]


def opening(part: str) -> str:
    """A part's opening tag."""
    return part[: part.index(">") + 1]


def tag(part: str) -> str:
    found = _OPENING.match(part)
    return found[1] if found else "div"


def shell(part: str, attribute: str) -> str:
    """The part's element with its attributes and no content, marked with `attribute`."""
    head = opening(part)
    end = -2 if head.endswith("/>") else -1
    return f"{head[:end]} {attribute}></{tag(part)}>"


def skeleton(document: PrintDocument) -> str:
    """The book's document with every part reduced to its element: enough for the cascade to
    say how each part begins (render.part_breaks)."""
    parts = "".join(shell(p, ELSEWHERE) for p in document.parts)
    return f'{document.head}<body class="{document.body_class}">{parts}</body></html>'


def unsplittable(sheets: Iterable[str]) -> str | None:
    """Why a book with these style sheets cannot be laid out in units, or None."""
    text = "\n".join(sheets)
    for pattern, reason in _UNSPLITTABLE:
        if pattern.search(text):
            return f"the style sheets have {reason}"
    return None


_PAGE_REFERENCE = re.compile(r"\btarget-(?:counters?|text)\s*\(")


def page_references(sheets: Iterable[str]) -> tuple[str, ...]:
    """The selectors of the style rules that print a page number or text from elsewhere in
    the book (`target-counter()`, `target-text()`): the contents' page numbers, or a
    cross-reference's "see page 12". Laid out alone, a unit could not know them."""
    import tinycss2

    found: list[str] = []

    def visit(rules: Iterable[Any]) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                if _PAGE_REFERENCE.search(tinycss2.serialize(rule.content)):
                    found.append(tinycss2.serialize(rule.prelude).strip())
            elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"}:
                visit(tinycss2.parse_rule_list(rule.content or [], True, True))

    for sheet in sheets:
        if _PAGE_REFERENCE.search(sheet):
            visit(tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True))
    return tuple(found)


def refers_elsewhere(root: Any, selectors: Sequence[str]) -> int:
    """How many elements of a unit's own parts (not the shells of others) those rules reach."""
    if not selectors:
        return 0
    import cssselect2
    import tinycss2

    compiled = [
        selector
        for text in selectors
        for selector in cssselect2.compile_selector_list(tinycss2.parse_component_value_list(text))
    ]
    matcher = cssselect2.Matcher()
    for selector in compiled:
        matcher.add_selector(selector, None)
    count = 0
    for element in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
        if not element.etree_element.get(ELSEWHERE) and matcher.match(element):
            count += 1
    return count


def split(document: PrintDocument, breaks: Breaks) -> Split | None:
    """The body cut into units at every part that begins on a recto; None when the body's
    first part does not begin on one (the book is then laid out whole)."""
    front = document.front
    parts = document.parts
    if front >= len(parts) or not breaks.recto[front]:
        return None
    starts = [i for i in range(front, len(parts)) if breaks.recto[i]]
    units = []
    notes = 0
    for begin, end in zip(starts, [*starts[1:], len(parts)], strict=True):
        units.append(Unit(begin, parts[begin:end], notes))
        notes += sum(p.count(FOOTNOTE_SPAN) for p in parts[begin:end])
    return Split(document, tuple(units))


def unit_html(cut: Split, index: int) -> str:
    """The document a unit is laid out in: the book's, every other part a shell."""
    unit = cut.units[index]
    doc = cut.document
    before = "".join(shell(p, ELSEWHERE) for p in doc.parts[: unit.first])
    after = "".join(shell(p, ELSEWHERE) for p in doc.parts[unit.first + len(unit.parts) :])
    body = f"{before}{''.join(unit.parts)}{after}"
    return f'{doc.head}<body class="{doc.body_class}">{body}</body></html>'


def unit_css(cut: Split, index: int) -> str:
    """The style sheet laid over the theme's in a unit's document (the last of the sheets)."""
    css = UNIT_CSS if index == len(cut.units) - 1 else UNIT_CSS + NOT_LAST_CSS
    notes = cut.units[index].notes_before
    return css + f"body {{ counter-reset: footnote {notes}; }}\n" if notes else css
