"""Typography rules (T…): quotation marks, apostrophes, dashes, dots and spaces in the prose.

The rules read each paragraph as the book will print it (`Paragraph.book`: the build's
typography applied, unless it is off), so a straight quote the typographer will curl is not a
flaw, while one it cannot place is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from octavo.check.prose import Manuscript, Paragraph
from octavo.check.registry import Finding, file_rule
from octavo.source.typography import (
    APOSTROPHE,
    PROSE,
    Conventions,
    neighbour,
    quote_role,
    starts_elision,
)

Role = Literal["open", "close"]


@dataclass(frozen=True)
class Mark:
    """A quotation mark of the book's language, as the reader will see it."""

    index: int  # in the paragraph
    glyph: str
    pair: int  # 0 for the primary quotes, 1 for the quotes inside them
    glyph_role: Role | None  # None when the language opens and closes with one glyph (sv ” ”)
    place: str  # what its neighbours say: open, close, either, neither
    ambiguous: bool  # ’ is also the apostrophe

    @property
    def contradicted(self) -> bool:
        return (
            self.glyph_role is not None
            and self.place in {"open", "close"}
            and (self.place != self.glyph_role)
        )


def _place(paragraph: Paragraph, i: int) -> str:
    kinds = paragraph.kinds
    return quote_role(
        neighbour(paragraph.text, kinds, i, -1), neighbour(paragraph.text, kinds, i, 1)
    )


def _glyph(conventions: Conventions, glyph: str) -> tuple[int, Role | None]:
    slots = [k for k, g in enumerate(conventions.quotes) if g == glyph]
    if len(slots) == 2 and slots[0] // 2 == slots[1] // 2:
        return slots[0] // 2, None
    return slots[0] // 2, "open" if slots[0] % 2 == 0 else "close"


def _is_apostrophe(paragraph: Paragraph, i: int, conventions: Conventions) -> bool:
    text, kinds = paragraph.text, paragraph.kinds
    before, after = neighbour(text, kinds, i, -1), neighbour(text, kinds, i, 1)
    if before.isalnum() and after.isalnum():
        return True
    return not before.isalnum() and starts_elision(text, i, conventions)


def quotation_marks(paragraph: Paragraph, conventions: Conventions) -> list[Mark]:
    """The paragraph's quotation marks in the book's glyphs; apostrophes left out."""
    marks: list[Mark] = []
    # A quote of the book is typed as itself or as a straight quote: look only there.
    typed = re.compile(f"[{re.escape(conventions.quotes)}\"']")
    for match in typed.finditer(paragraph.text):
        i = match.start()
        if paragraph.kinds[i] != PROSE:
            continue
        for glyph in paragraph.book[i]:
            if glyph not in conventions.quotes:
                continue
            ambiguous = glyph == APOSTROPHE
            if glyph in {APOSTROPHE, "‘"} and _is_apostrophe(paragraph, i, conventions):
                continue  # an apostrophe, or one turned the wrong way (T009)
            pair, role = _glyph(conventions, glyph)
            marks.append(Mark(i, glyph, pair, role, _place(paragraph, i), ambiguous))
    # ’ before a word is a wrongly turned quote only if a closing ’ follows; else it stands for
    # letters the table of elisions does not know (’ow, ’appen).
    last_close = max((m.index for m in marks if m.ambiguous and m.place == "close"), default=-1)
    return [m for m in marks if not (m.ambiguous and m.place == "open" and m.index > last_close)]


def _role(mark: Mark, stack: Sequence[Mark]) -> Role:
    if (mark.contradicted or mark.glyph_role is None) and mark.place in {"open", "close"}:
        return "open" if mark.place == "open" else "close"
    if mark.glyph_role is not None:
        return mark.glyph_role
    return "close" if any(m.pair == mark.pair for m in stack) else "open"


def unbalanced(
    marks: Sequence[Mark], continues: bool, conventions: Conventions
) -> Iterator[tuple[Mark, str]]:
    """Marks that do not pair up. `continues`: the next paragraph opens with a primary quote, so
    a primary quote left open here is the convention for a quotation of several paragraphs."""
    stack: list[Mark] = []
    for mark in marks:
        if _role(mark, stack) == "open":
            stack.append(mark)
            continue
        opener = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].pair == mark.pair), -1)
        if opener >= 0:
            for inner in stack[opener + 1 :]:
                yield inner, f"{inner.glyph} is never closed"
            del stack[opener:]
        elif not mark.ambiguous:
            yield mark, f"{mark.glyph} closes a quotation that was never opened"
    for k, mark in enumerate(stack):
        if k == 0 and mark.pair == 0 and continues:
            continue
        yield mark, f"{mark.glyph} is never closed in this paragraph"


def _opener(conventions: Conventions, pair: int) -> str:
    return conventions.quotes[2 * pair]


def _closer(conventions: Conventions, pair: int) -> str:
    return conventions.quotes[2 * pair + 1]


@file_rule("T001")
def unbalanced_quotes(manuscript: Manuscript) -> Iterator[Finding]:
    conventions = manuscript.conventions
    paragraphs = manuscript.paragraphs
    for n, paragraph in enumerate(paragraphs):
        following = paragraphs[n + 1].first_book_char() if n + 1 < len(paragraphs) else ""
        continues = following == conventions.quotes[0]
        marks = quotation_marks(paragraph, conventions)
        for mark, detail in unbalanced(marks, continues, conventions):
            yield Finding(paragraph.offsets[mark.index], detail)


@file_rule("T002")
def closing_for_opening(manuscript: Manuscript) -> Iterator[Finding]:
    conventions = manuscript.conventions
    for paragraph in manuscript.paragraphs:
        for mark in quotation_marks(paragraph, conventions):
            if mark.contradicted and mark.place == "open":
                right = _opener(conventions, mark.pair)
                yield Finding(
                    paragraph.offsets[mark.index], f"write {right} instead of {mark.glyph}"
                )


@file_rule("T003")
def opening_for_closing(manuscript: Manuscript) -> Iterator[Finding]:
    conventions = manuscript.conventions
    for paragraph in manuscript.paragraphs:
        for mark in quotation_marks(paragraph, conventions):
            if mark.contradicted and mark.place == "close":
                right = _closer(conventions, mark.pair)
                yield Finding(
                    paragraph.offsets[mark.index], f"write {right} instead of {mark.glyph}"
                )


_STRAIGHT = re.compile("[\"']")


@file_rule("T004")
def straight_quotes(manuscript: Manuscript) -> Iterator[Finding]:
    q = manuscript.conventions.quotes
    for paragraph in manuscript.paragraphs:
        for match in _STRAIGHT.finditer(paragraph.text):
            i, ch = match.start(), match.group()
            if paragraph.kinds[i] == PROSE and paragraph.book[i] == ch:
                choice = f"{q[0]} or {q[1]}" if ch == '"' else f"{APOSTROPHE}, {q[2]} or {q[3]}"
                yield Finding(paragraph.offsets[i], f"{ch}: write {choice}")


def _prose_matches(pattern: re.Pattern[str], paragraph: Paragraph) -> Iterator[re.Match[str]]:
    for match in pattern.finditer(paragraph.text):
        if all(paragraph.kinds[k] == PROSE for k in range(*match.span())):
            yield match


_SPACED_HYPHEN = re.compile(r"(?:(?<=\S )|(?<=^)|(?<=\n))-(?= \S)")


@file_rule("T005")
def spaced_hyphen(manuscript: Manuscript) -> Iterator[Finding]:
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_SPACED_HYPHEN, paragraph):
            yield Finding(paragraph.offsets[match.start()], "write — or –")


_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


@file_rule("T006")
def double_space(manuscript: Manuscript) -> Iterator[Finding]:
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_DOUBLE_SPACE, paragraph):
            yield Finding(paragraph.offsets[match.start()], f"{len(match.group())} spaces")


_THREE_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


@file_rule("T007")
def three_dots(manuscript: Manuscript) -> Iterator[Finding]:
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_THREE_DOTS, paragraph):
            if paragraph.book[match.start()] == ".":
                yield Finding(paragraph.offsets[match.start()], "write …")


_HYPHENS = re.compile(r"(?<!-)-{2,3}(?!-)")


@file_rule("T008")
def hyphens_for_dash(manuscript: Manuscript) -> Iterator[Finding]:
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_HYPHENS, paragraph):
            if paragraph.book[match.start()] == "-":
                dash = "—" if len(match.group()) == 3 else "–"
                yield Finding(paragraph.offsets[match.start()], f"write {dash}")


_WRONG_APOSTROPHES = re.compile("[‘´`]")


@file_rule("T009")
def wrong_apostrophe(manuscript: Manuscript) -> Iterator[Finding]:
    conventions = manuscript.conventions
    for paragraph in manuscript.paragraphs:
        text, kinds = paragraph.text, paragraph.kinds
        for match in _WRONG_APOSTROPHES.finditer(text):
            i, ch = match.start(), match.group()
            if kinds[i] != PROSE:
                continue
            before, after = neighbour(text, kinds, i, -1), neighbour(text, kinds, i, 1)
            inside = before.isalnum() and after.isalnum()
            elision = ch == "‘" and not before.isalnum() and starts_elision(text, i, conventions)
            if inside or elision:
                yield Finding(paragraph.offsets[i], f"write {APOSTROPHE} instead of {ch}")


@file_rule("T010")
def paragraph_ends_with_comma(manuscript: Manuscript) -> Iterator[Finding]:
    text = manuscript.source.text
    for paragraph in manuscript.paragraphs:
        start = paragraph.offsets[0] if paragraph.offsets else 0
        if text[text.rfind("\n", 0, start) + 1 : start].lstrip().startswith(">"):
            continue  # salutations and sign-offs of quoted letters end with commas
        prose = [i for i, kind in enumerate(paragraph.kinds) if kind == PROSE]
        last = next((i for i in reversed(prose) if not paragraph.text[i].isspace()), None)
        if last is not None and paragraph.text[last] == ",":
            yield Finding(paragraph.offsets[last], "join it to the next paragraph")
