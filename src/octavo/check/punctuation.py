"""Typography rules (T…): quotation marks, apostrophes, dashes, dots and spaces in the prose.

The rules read each paragraph as the book will print it (`Paragraph.book`: the build's
typography applied, unless it is off), so a straight quote the typographer will curl is not a
flaw, while one it cannot place is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from octavo.check import quotes
from octavo.check.prose import Manuscript, Paragraph
from octavo.check.registry import Finding, file_rule
from octavo.source.typography import APOSTROPHE, PROSE, neighbour, starts_elision


@file_rule("T001")
def unbalanced_quotes(manuscript: Manuscript) -> Iterator[Finding]:
    for offset, detail in quotes.findings(manuscript, "T001"):
        yield Finding(offset, detail)


@file_rule("T002")
def closing_for_opening(manuscript: Manuscript) -> Iterator[Finding]:
    for offset, detail in quotes.findings(manuscript, "T002"):
        yield Finding(offset, detail)


@file_rule("T003")
def opening_for_closing(manuscript: Manuscript) -> Iterator[Finding]:
    for offset, detail in quotes.findings(manuscript, "T003"):
        yield Finding(offset, detail)


_STRAIGHT = re.compile("[\"']")

# What an author types by hand, and its typewriter stand-ins.
_TYPED = re.compile("[“”‘’„‚«»‹›…—–]")
_ASCII = re.compile(r"[\"']|(?<!\.)\.\.\.(?!\.)|(?<!-)-{2,3}(?!-)")
_styles: tuple[Manuscript, bool] | None = None


def _count_styles(manuscript: Manuscript) -> bool:
    typed = stand_ins = 0
    for paragraph in manuscript.paragraphs:
        kinds = paragraph.kinds
        prose = "".join(
            c if k == PROSE else " " for c, k in zip(paragraph.text, kinds, strict=True)
        )
        typed += len(_TYPED.findall(prose))
        stand_ins += len(_ASCII.findall(prose))
    return typed > stand_ins


def typed_by_hand(manuscript: Manuscript) -> bool:
    """Whether the file types its quotes, ellipses and dashes by hand (“…” more often than
    "..."), so that a typewriter stand-in is a leftover even where the build would set it."""
    global _styles
    if _styles is None or _styles[0] is not manuscript:
        _styles = (manuscript, _count_styles(manuscript))
    return _styles[1]


@file_rule("T004")
def straight_quotes(manuscript: Manuscript) -> Iterator[Finding]:
    q = manuscript.conventions.quotes
    leftover = typed_by_hand(manuscript)
    for paragraph in manuscript.paragraphs:
        for match in _STRAIGHT.finditer(paragraph.text):
            i, ch = match.start(), match.group()
            if paragraph.kinds[i] != PROSE:
                continue
            if paragraph.book[i] == ch:
                choice = f"{q[0]} or {q[1]}" if ch == '"' else f"{APOSTROPHE}, {q[2]} or {q[3]}"
                yield Finding(paragraph.offsets[i], f"{ch}: write {choice}")
            elif leftover:
                yield Finding(paragraph.offsets[i], f"{ch}: write {paragraph.book[i].strip()}")


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
    leftover = typed_by_hand(manuscript)
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_THREE_DOTS, paragraph):
            if paragraph.book[match.start()] == "." or leftover:
                yield Finding(paragraph.offsets[match.start()], "write …")


_HYPHENS = re.compile(r"(?<!-)-{2,3}(?!-)")


@file_rule("T008")
def hyphens_for_dash(manuscript: Manuscript) -> Iterator[Finding]:
    leftover = typed_by_hand(manuscript)
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_HYPHENS, paragraph):
            if paragraph.book[match.start()] == "-" or leftover:
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
        if paragraph.stanza or paragraph.runs_on:
            continue  # a stanza, a list's item, a sentence going on into a listing or a list
        start = paragraph.offsets[0] if paragraph.offsets else 0
        if text[text.rfind("\n", 0, start) + 1 : start].lstrip().startswith(">"):
            continue  # salutations and sign-offs of quoted letters end with commas
        prose = [i for i, kind in enumerate(paragraph.kinds) if kind == PROSE]
        last = next((i for i in reversed(prose) if not paragraph.text[i].isspace()), None)
        if last is not None and paragraph.text[last] == ",":
            yield Finding(paragraph.offsets[last], "join it to the next paragraph")
