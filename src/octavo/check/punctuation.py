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
from octavo.typography import APOSTROPHE, PROSE, neighbour, starts_elision


@file_rule(
    "T001",
    "warning",
    "unbalanced quotation marks",
    """A quotation mark opens and never closes, closes what never opened, or a quotation opens
    inside one of its own kind (“ inside “: a closing mark is missing before it, for a
    quotation inside a quotation takes ‘). The marks are the book's language's (“…” and ‘…’;
    German „…“ and ‚…‘; French «…» with “…” inside; Swedish ”…”). Apostrophes are not quotes:
    ’ inside a word, before a known elision (’tis, ’em, ’90s) or before any other word (dialect
    ’spose, ’top) is an apostrophe, unless a ’ after punctuation (.’ ,’ !’) closes it as a
    quotation. A quotation may run on: through the paragraphs or stanzas of one block quotation
    (a quoted letter closes at its signature); into a letter, address or poem set as a block
    quotation within a speech (unless a speech tag stands inside the open quotation), and on
    into the paragraph after it; and from one paragraph (or
    stanza of verse) into the next when that one opens with the same mark (“, or “‘ when a quotation inside is
    open too) and continues the same speech: the open quotation holds no speech tag (“Come
    here, he said.), it is a long speech (60 words or more) or ends leading on (with a dash or a
    colon), and the next paragraph is not another speaker's (a tag such as said Jane; he
    continued is the same speaker) nor a reply of one sentence. In French an exchange runs on
    into paragraphs that open with a dialogue dash or », and tags stand inside (« Oui, dit-il,
    je viens. »).""",
)
def unbalanced_quotes(manuscript: Manuscript) -> Iterator[Finding]:
    for offset, detail in quotes.findings(manuscript, "T001"):
        yield Finding(offset, detail)


@file_rule(
    "T002",
    "warning",
    "closing quotation mark where an opening one belongs",
    """A closing quotation mark stands before a word, where a quotation opens: word processors
    turn a quote typed after a dash or a bracket the wrong way (son—”I don’t…). Fixable (octavo
    check --fix) after a dash or at the start of a paragraph, where only the opening mark can
    stand.""",
)
def closing_for_opening(manuscript: Manuscript) -> Iterator[Finding]:
    for offset, detail in quotes.findings(manuscript, "T002"):
        yield Finding(offset, detail)


@file_rule(
    "T003",
    "warning",
    "opening quotation mark where a closing one belongs",
    """An opening quotation mark stands after a word, where a quotation closes (Hello“ he said).""",
)
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


@file_rule(
    "T004",
    "warning",
    "straight quotation mark left in the text",
    """A typewriter quote (" or ') will be printed as it is: typography is off for this file,
    or the mark stands where it can neither open nor close (between two spaces). Type the
    curly mark of the book's language. In a file typed with curly quotes, a straight one is a
    leftover even where the build would curl it: the manuscript should say what the book
    prints. Fixable (octavo check --fix) where the build's typography reads it one way.""",
)
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


@file_rule(
    "T005",
    "warning",
    "spaced hyphen used as a dash",
    """A hyphen joins words; between spaces it stands for a dash. Write an em dash (—), or a
    spaced en dash ( – ) if that is the book's style. Fixable (octavo check --fix): the fix
    writes the dash the file already uses between words (a closed em dash or a spaced en dash;
    in a file with neither, an em dash in English and a spaced en dash in other languages),
    and an em dash for a hyphen that opens a line of dialogue.""",
)
def spaced_hyphen(manuscript: Manuscript) -> Iterator[Finding]:
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_SPACED_HYPHEN, paragraph):
            yield Finding(paragraph.offsets[match.start()], "write — or –")


_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


@file_rule(
    "T006",
    "warning",
    "double space",
    """Two or more spaces between words: a leftover of typewriter habits or of an edit. The book
    shows one space, but the source often hides a missing or deleted word here. Fixable (octavo
    check --fix: one space; look at the diff first with --diff).""",
)
def double_space(manuscript: Manuscript) -> Iterator[Finding]:
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_DOUBLE_SPACE, paragraph):
            yield Finding(paragraph.offsets[match.start()], f"{len(match.group())} spaces")


_THREE_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


@file_rule(
    "T007",
    "warning",
    "three dots instead of an ellipsis",
    """Three full stops print as three full stops when typography is off for the file: write
    the ellipsis character (…), or turn typography on and let the build set it. In a file typed
    with curly quotes, dashes and ellipses, three dots are a leftover even where the build
    would set them. Fixable (octavo check --fix).""",
)
def three_dots(manuscript: Manuscript) -> Iterator[Finding]:
    leftover = typed_by_hand(manuscript)
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_THREE_DOTS, paragraph):
            if paragraph.book[match.start()] == "." or leftover:
                yield Finding(paragraph.offsets[match.start()], "write …")


_HYPHENS = re.compile(r"(?<!-)-{2,3}(?!-)")


@file_rule(
    "T008",
    "warning",
    "hyphens instead of a dash",
    """Two or three hyphens print as hyphens when typography is off for the file: write an en
    dash (–) or an em dash (—), or turn typography on and let the build set them. In a file
    typed with curly quotes, dashes and ellipses, they are a leftover even where the build
    would set them. Fixable (octavo check --fix).""",
)
def hyphens_for_dash(manuscript: Manuscript) -> Iterator[Finding]:
    leftover = typed_by_hand(manuscript)
    for paragraph in manuscript.paragraphs:
        for match in _prose_matches(_HYPHENS, paragraph):
            if paragraph.book[match.start()] == "-" or leftover:
                dash = "—" if len(match.group()) == 3 else "–"
                yield Finding(paragraph.offsets[match.start()], f"write {dash}")


_WRONG_APOSTROPHES = re.compile("[‘´`]")


@file_rule(
    "T009",
    "warning",
    "apostrophe turned the wrong way",
    """An apostrophe is always ’. Word processors type ‘ before elisions (‘tis, the ‘90s), and
    some keyboards give an accent (´) or a backtick inside words (don´t). Fixable (octavo check
    --fix).""",
)
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


@file_rule(
    "T010",
    "warning",
    "paragraph ends with a comma",
    """A paragraph that ends with a comma is a sentence broken in two, usually by a stray line
    break (in plain text, every line is a paragraph): join the line to the next one. Dialogue
    introduced by 'he said,' belongs in the same paragraph as the words said. Letters quoted in
    block quotations ('Dear Sir,', 'Yours ever,') are left alone.""",
)
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
