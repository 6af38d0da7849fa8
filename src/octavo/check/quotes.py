"""Quotation marks across a manuscript file, read as a proofreader reads them.

Three questions, each answered by a rule that `octavo check --explain` can state:

1. Which marks are quotation marks? The book's language gives the pairs (“…” and ‘…’ in
   English, „…“ and ‚…‘ in German, «…» and “…” in French, ”…” in Swedish). Where the closing
   single quote is also the apostrophe (English), ’ before a word stands for missing letters
   (’tis, ’em, ’90s, dialect ’spose, ’top, ’balmed) unless a mark that can only close a quotation
   — ’ after a full stop, comma, question or exclamation mark or dash — pairs with it.
2. How do quotations nest? Each closing mark closes the innermost quotation of its pair; a
   quotation opened directly inside one of its own pair (“ inside “, ‘ inside ‘) means a closing
   mark is missing before it.
3. When does a quotation run on into the next paragraph? See `carries`: the opening-mark-only
   convention between paragraphs of prose (tightened: the next paragraph must itself continue
   the same speech), freely between the stanzas of a poem and through the paragraphs of one
   block quotation, and through a letter, address or poem quoted inside a speech.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from octavo.check.prose import Manuscript, Paragraph
from octavo.check.speech import Speech, speech_for
from octavo.source.typography import (
    APOSTROPHE,
    PROSE,
    TRANSPARENT,
    Conventions,
    neighbour,
    quote_role,
    starts_elision,
)

Role = Literal["open", "close"]
SPACES = " \u00a0\u202f\u2009"  # the space inside guillemets: plain, no-break, narrow, thin
Container = tuple[str, int]  # ("prose" | "stanza" | "heading" | "block", run number)


# ---- which marks are quotation marks ------------------------------------------------------------


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


def _place(paragraph: Paragraph, i: int, inner: int = 0) -> str:
    """What a mark's neighbours say it does; `inner` (1 after, -1 before) is the side where
    spaces stand inside guillemets (« Oui ») and are passed over."""
    text, kinds = paragraph.text, paragraph.kinds
    sides = []
    for step in (-1, 1):
        j = i
        while step == inner and j + step < len(text) and text[j + step] in SPACES:
            j += step
        sides.append(neighbour(text, kinds, j, step))
    return quote_role(*sides)


def _glyph(conventions: Conventions, glyph: str) -> tuple[int, Role | None]:
    slots = [k for k, g in enumerate(conventions.quotes) if g == glyph]
    if len(slots) == 2 and slots[0] // 2 == slots[1] // 2:
        return slots[0] // 2, None
    return slots[0] // 2, "open" if slots[0] % 2 == 0 else "close"


def is_apostrophe(paragraph: Paragraph, i: int, conventions: Conventions) -> bool:
    """An apostrophe by its place alone: inside a word (don’t, l’homme) or an elision."""
    text, kinds = paragraph.text, paragraph.kinds
    before, after = neighbour(text, kinds, i, -1), neighbour(text, kinds, i, 1)
    if before.isalnum() and after.isalnum():
        return True
    return not before.isalnum() and starts_elision(text, i, conventions)


def _candidates(paragraph: Paragraph, conventions: Conventions) -> list[Mark]:
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
            if glyph in {APOSTROPHE, "‘"} and is_apostrophe(paragraph, i, conventions):
                continue  # an apostrophe, or one turned the wrong way (T009)
            pair, role = _glyph(conventions, glyph)
            inner = (1 if role == "open" else -1) if glyph in conventions.spaced_quotes else 0
            place = _place(paragraph, i, inner)
            marks.append(Mark(i, glyph, pair, role, place, glyph == APOSTROPHE))
    return marks


def _only_closes(paragraph: Paragraph, mark: Mark) -> bool:
    """’ after punctuation (.’ ,’ ?’ —’) closes a quotation: no apostrophe stands there."""
    before = neighbour(paragraph.text, paragraph.kinds, mark.index, -1)
    return mark.place in {"close", "either"} and not (before.isalnum() or before.isspace())


@dataclass
class _Single:
    """An open single quote while apostrophes are told from quotes: ‘, or ’ before a word."""

    mark: Mark
    maybe: list[Mark] = field(default_factory=list)  # ’ after a letter: ‘it’ closes, po’ not


def quotation_marks(paragraph: Paragraph, conventions: Conventions) -> list[Mark]:
    """The paragraph's quotation marks in the book's glyphs; apostrophes left out.

    Where ’ is both a quote and the apostrophe: ’ after punctuation closes a quotation (.’ ,’
    !’); ’ before a word is an apostrophe (’spose, ’top) unless such a ’ closes it while no ‘
    is open; ’ after a letter (goin’, the boys’, ‘it’) closes an open ‘ only if nothing else
    does before the quotation around it closes or the paragraph ends."""
    marks = _candidates(paragraph, conventions)
    if APOSTROPHE not in conventions.quotes:
        return marks
    single = _glyph(conventions, APOSTROPHE)[0]
    keep: set[int] = set()
    opened: list[_Single] = []

    def settle() -> None:  # the open ‘ close at the last ’ that may close them
        for entry in opened:
            if not entry.mark.ambiguous and entry.maybe:
                keep.add(entry.maybe[-1].index)
        opened[:] = [e for e in opened if e.mark.ambiguous or not e.maybe]

    for mark in marks:
        plain = [e for e in opened if not e.mark.ambiguous]
        if mark.pair != single or not mark.ambiguous:
            keep.add(mark.index)
            if mark.pair == single and _opens(mark, []):
                opened.append(_Single(mark))
            elif mark.pair != single and not _opens(mark, []):
                settle()
        elif mark.place == "open":
            opened.append(_Single(mark))
        elif _only_closes(paragraph, mark):
            keep.add(mark.index)
            if plain:
                del opened[opened.index(plain[-1]) :]
            elif opened:
                keep.add(opened.pop().mark.index)
        elif plain and mark.place in {"close", "either"}:
            plain[-1].maybe.append(mark)
    settle()
    return [m for m in marks if m.index in keep]


# ---- the paragraphs' places in the file -------------------------------------------------------


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _in_block_quote(text: str, offset: int) -> bool:
    return text[_line_start(text, offset) : offset].lstrip().startswith(">")


def containers(manuscript: Manuscript) -> list[Container]:
    """Each paragraph's container: a run number shared by the paragraphs of one block
    quotation; prose, stanzas and headings stand alone."""
    text = manuscript.source.text
    heading_lines = {manuscript.position(offset)[0] for _, offset in manuscript.headings}
    found: list[Container] = []
    run = 0
    for k, paragraph in enumerate(manuscript.paragraphs):
        start = paragraph.offsets[0] if paragraph.offsets else 0
        if manuscript.position(start)[0] in heading_lines:
            kind = "heading"
        elif _in_block_quote(text, start):
            kind = "block"
        elif paragraph.stanza:
            kind = "stanza"
        else:
            kind = "prose"
        same = kind == "block" and k > 0 and found[-1][0] == kind
        if same:
            previous = manuscript.paragraphs[k - 1]
            between = text[previous.offsets[-1] + 1 : _line_start(text, start)]
            same = all(line.lstrip().startswith(">") for line in between.split("\n")[1:-1])
        run += 0 if same else 1
        found.append((kind, run))
    return found


# ---- quotations across paragraphs ---------------------------------------------------------------


@dataclass
class Open:
    """A quotation open at the end of a paragraph."""

    paragraph: int
    mark: Mark
    from_prose: bool  # opened in prose, so it may run through a quoted letter or poem
    again: tuple[int, Mark] | None = None  # the last paragraph that opened it again, and how


@dataclass
class Reading:
    """One paragraph read on its own: its marks' roles and its narration (outside quotes)."""

    marks: list[Mark]
    leading: list[Mark]  # opening marks before its first word
    narration: list[tuple[int, int, bool]]  # spans outside quotes; True: just after a closer


@dataclass(frozen=True)
class Problem:
    """A finding of T001, T002 or T003 at a mark."""

    paragraph: int
    mark: Mark
    code: Literal["T001", "T002", "T003"]
    detail: str


def _innermost(stack: Sequence[Mark], pair: int) -> int:
    """Where the innermost open quotation of a pair stands in the stack; -1: none."""
    return next((k for k in range(len(stack) - 1, -1, -1) if stack[k].pair == pair), -1)


def _opens(mark: Mark, stack: Sequence[Mark]) -> bool:
    """Whether a mark opens a quotation: as its place says when its glyph is turned the wrong
    way or serves both ways (Swedish ”), else as its glyph says."""
    if (mark.contradicted or mark.glyph_role is None) and mark.place in {"open", "close"}:
        return mark.place == "open"
    if mark.glyph_role is not None:
        return mark.glyph_role == "open"
    return not any(m.pair == mark.pair for m in stack)


def _leading(paragraph: Paragraph, marks: Sequence[Mark], continuing: str) -> list[Mark]:
    """The marks before the paragraph's first word that open (or, like French », continue)."""
    first_word = next(
        (i for i, c in enumerate(paragraph.text) if c.isalnum() and paragraph.kinds[i] == PROSE),
        len(paragraph.text),
    )
    before = [m for m in marks if m.index < first_word]
    return [m for m in before if _opens(m, []) or m.glyph in continuing]


def read(paragraph: Paragraph, conventions: Conventions, continuing: str = "") -> Reading:
    marks = quotation_marks(paragraph, conventions)
    stack: list[Mark] = []
    narration: list[tuple[int, int, bool]] = []
    start, after_quote = 0, False
    for mark in marks:
        if not stack and mark.index > start:
            narration.append((start, mark.index, after_quote))
        if _opens(mark, stack):
            stack.append(mark)
            continue
        opener = _innermost(stack, mark.pair)
        if opener >= 0:
            del stack[opener:]
        start, after_quote = mark.index + 1, True
    if not stack and start < len(paragraph.text):
        narration.append((start, len(paragraph.text), after_quote))
    return Reading(marks, _leading(paragraph, marks, continuing), narration)


def _plain(paragraph: Paragraph, start: int, end: int) -> str:
    """The words of a span without Markdown markup or footnote calls."""
    return "".join(
        c
        for c, k in zip(paragraph.text[start:end], paragraph.kinds[start:end], strict=True)
        if k not in TRANSPARENT
    )


def _tag(paragraph: Paragraph, reading: Reading, speech: Speech) -> tuple[str, str] | None:
    for start, end, after_quote in reading.narration:
        words = _plain(paragraph, start, end)
        found = speech.tag(words, after_quote) if after_quote else None
        if found is None and end < len(paragraph.text):  # narration before a quotation
            found = speech.tag(words, False)
        if found:
            return found
    return None


_LONG_SPEECH = 60  # words
# sentences: in verse dialogue, where each speaker mostly takes a stanza, a speech this short
# and closed in the next stanza answers a long one left open (bench/lint_eval.py on North of
# Boston: recall of deleted closing quotes 94.2 → 96.5 % over ten seeds, no alarm more)
_VERSE_REPLY = 2
_MENTION = 6  # words: the longest phrase quoted inside a speech with the speech's own marks
_SENTENCE_END = re.compile(r"[.!?…]+[”’»“‘\"')\]]*(?=\s|$)")


class Reader:
    """Reads a manuscript's quotations paragraph by paragraph, carrying open ones across."""

    def __init__(self, manuscript: Manuscript) -> None:
        self.manuscript = manuscript
        self.conventions = manuscript.conventions
        self.paragraphs = manuscript.paragraphs
        self.speech = speech_for(manuscript.config.language)
        continuing = self.speech.continues_with
        self.readings = [read(p, self.conventions, continuing) for p in self.paragraphs]
        self.containers = containers(manuscript)
        self.problems: list[Problem] = []
        self.abbreviations = {a.rstrip(".") for a in self.conventions.abbreviations}

    # -- what a paragraph left open becomes -----------------------------------------------------

    def _speech_inside(self, k: int, opened: Open) -> str | None:
        """A speech tag among the words of a quotation opened in paragraph k and left open,
        outside the quotations inside it."""
        paragraph = self.paragraphs[k]
        start = opened.mark.index + 1
        stack: list[Mark] = []
        spans: list[tuple[int, int]] = []
        for mark in self.readings[k].marks:
            if mark.index < start:
                continue
            if not stack:
                spans.append((start, mark.index))
            if _opens(mark, stack):
                stack.append(mark)
            else:
                del stack[max(_innermost(stack, mark.pair), 0) :]
            start = mark.index + 1
        if not stack:
            spans.append((start, len(paragraph.text)))
        return self.speech.tag_inside(" ".join(_plain(paragraph, s, e) for s, e in spans))

    def _sentences(self, paragraph: Paragraph, start: int, end: int) -> int:
        words = _plain(paragraph, start, end).rstrip()
        ends = 0
        for match in _SENTENCE_END.finditer(words):
            before = words[: match.start()].split()[-1:] or [""]
            if match.group()[0] == "." and before[0].rstrip(".") in self.abbreviations:
                continue  # Mr. Darcy
            ends += 1
        return ends + (1 if words and not _SENTENCE_END.search(words[-3:]) else 0)

    def _first_speech(self, k: int) -> tuple[int, int]:
        """Where the quotation that opens paragraph k starts and ends (its closing mark, or
        the paragraph's end)."""
        reading = self.readings[k]
        first = reading.leading[0] if reading.leading else None
        start = first.index + 1 if first else 0
        stack: list[Mark] = []
        for mark in reading.marks:
            if mark.index < start:
                continue
            if _opens(mark, stack):
                stack.append(mark)
            elif _innermost(stack, mark.pair) < 0:
                return start, mark.index
            else:
                del stack[_innermost(stack, mark.pair) :]
        return start, len(self.paragraphs[k].text)

    def _not_a_long_speech(self, k: int, opened: Open) -> str:
        """Why a quotation opened in paragraph k is not one speech running on into paragraph
        k+1: a speaker's words go on in a new paragraph only at length. Nothing to say when it
        ends leading on to what follows (a dash, a colon: “I will read it to you—). In verse
        dialogue a short speech broken off with a dash is a speaker interrupted by the next,
        whose closing mark is still due; a long one is a speaker breaking off to go on."""
        paragraph = self.paragraphs[k]
        start, end = opened.mark.index + 1, len(paragraph.text)
        speech = _plain(paragraph, start, end)
        words = len(speech.split())
        leads_on = ("—", "–", ":", "…", "-")
        verse = self.containers[k][0] == "stanza"
        if (not verse or words >= _LONG_SPEECH) and speech.rstrip().endswith(leads_on):
            return ""
        if words < _LONG_SPEECH:
            return (
                f"a speech runs on into a new paragraph only when long, and this one has "
                f"{words} words, not {_LONG_SPEECH}"
            )
        start, end = self._first_speech(k + 1)
        sentences = self._sentences(self.paragraphs[k + 1], start, end)
        if sentences <= 1:
            return "the next paragraph is a reply of one sentence"
        closed = end < len(self.paragraphs[k + 1].text)
        if verse and closed and sentences <= _VERSE_REPLY:
            return f"the next stanza is a reply of {sentences} sentences"
        return ""

    def _reopeners(self, k: int, carried: Sequence[Open]) -> list[Mark]:
        """The opening marks before paragraph k's first word that open again the quotations
        carried into it (“‘ for a “ and a ‘), outer first."""
        found = []
        for opened, mark in zip(carried, self.readings[k].leading, strict=False):
            same = mark.pair == opened.mark.pair
            if not same or (mark.contradicted and mark.glyph not in self.speech.continues_with):
                break
            found.append(mark)
        return found

    def _same_speaker(self, k: int, tag: tuple[str, str]) -> bool:
        mine = _tag(self.paragraphs[k], self.readings[k], self.speech)
        who = self.speech.speaker(tag)
        return mine is not None and who != "" and self.speech.speaker(mine) == who

    def carries(self, k: int, stack: list[Open]) -> tuple[list[Open], str]:
        """Which open quotations of paragraph k run on into paragraph k+1, and, when one does
        not, why. A quotation runs on
        - between the paragraphs of one block quotation (a quoted letter closes at its end);
        - from prose into a block quotation that follows (a letter, an address or a poem
          quoted in a speech), and from there into the next paragraph;
        - from one paragraph (or stanza) to the next when that one opens with the same marks
          (“, or “‘) and goes on with the same speech (see `_another_speech`)."""
        following = k + 1
        if following >= len(self.paragraphs):
            return [], "the file ends"
        here, there = self.containers[k], self.containers[following]
        if "heading" in {here[0], there[0]}:
            return [], "a heading follows"
        if here == there:
            return stack, ""  # within a block quotation
        if here[0] == there[0] == "stanza":
            return self._stanza_to_stanza(k, stack)
        if here[0] == "prose" and there[0] == "block":  # from a speech into a quoted letter
            inside = self._speech_inside(k, stack[0]) if stack[0].paragraph == k else None
            return ([], f"a speech tag stands inside it ({inside})") if inside else (stack, "")
        if here[0] == "block":
            carried = [o for o in stack if o.from_prose]
            why = "it is opened in a block quotation and not closed there"
            return carried, why if len(carried) < len(stack) else ""
        return self._prose_to_prose(k, stack)

    def _dropped_line(self, k: int, stack: list[Open]) -> bool:
        """Whether stanza k goes on with the speech left open before it, unopened, and closes it
        on its first line: a line of verse broken over a stanza break (a dropped line), as
        in “I didn’t see it. / (break) / Are you sure—”. A stanza that opens with a quotation
        mark takes the rules of paragraphs."""
        if self._reopeners(k, stack) or self.paragraphs[k].first_book_char() in "“‘«»„‚\"'":
            return False
        first_line = len(self.paragraphs[k].text.split("\n")[0])
        pair = stack[-1].mark.pair
        return any(
            m.index < first_line and m.pair == pair and m.place == "close"
            for m in self.readings[k].marks
        )

    def _stanza_to_stanza(self, k: int, stack: list[Open]) -> tuple[list[Open], str]:
        """A speech left open at a stanza's end runs on over a dropped line, and otherwise as
        from paragraph to paragraph; but a stanza that breaks off with a dash is an interrupted
        speaker, as verse dialogue goes, not one who goes on in the next stanza."""
        if self._dropped_line(k + 1, stack):
            return stack, ""
        return self._prose_to_prose(k, stack)

    def _prose_to_prose(self, k: int, stack: list[Open]) -> tuple[list[Open], str]:
        following = k + 1
        matched = len(self._reopeners(following, stack))
        first = self.paragraphs[following].first_book_char()
        dash = first != "" and first in self.speech.continues_with and stack[0].mark.pair == 0
        if matched == 0 and not dash:
            return [], f"the next paragraph does not open with {stack[0].mark.glyph}"
        if not self.speech.tags_inside:
            why = self._another_speech(k, stack[0])
            if why:
                return [], why
        carried = stack[: max(matched, 1)]
        why = "" if len(carried) == len(stack) else "the next paragraph does not open it again"
        return carried, why

    def _another_speech(self, k: int, opened: Open) -> str:
        """Why paragraph k+1 is not the speech of paragraph k going on, if it is not."""
        if opened.paragraph == k:  # a long speech carried from before may tell a story
            inside = self._speech_inside(k, opened)
            if inside:
                return f"a speech tag stands inside it ({inside})"
        tag = _tag(self.paragraphs[k + 1], self.readings[k + 1], self.speech)
        if tag is not None:
            if self.speech.goes_on(tag[1]) or self._same_speaker(k, tag):
                return ""
            return f"the next paragraph is another speaker's ({tag[0]})"
        return self._not_a_long_speech(k, opened) if opened.paragraph == k else ""

    # -- reading the whole file ------------------------------------------------------------------

    def _report_unclosed(self, opens: Sequence[Open], why: str) -> None:
        for opened in opens:
            detail = f"{opened.mark.glyph} is never closed"
            k, mark = opened.paragraph, opened.mark
            if opened.again is not None:  # report where it was last opened again
                k, mark = opened.again
                line = self.manuscript.position(self.paragraphs[opened.paragraph].offsets[0])[0]
                detail += f" (the quotation begins on line {line})"
            self.problems.append(Problem(k, mark, "T001", f"{detail}: {why}" if why else detail))

    def _paragraph(self, k: int, carried: list[Open]) -> list[Open]:
        reading = self.readings[k]
        prose = self.containers[k][0] != "block"
        reopened = self._reopeners(k, carried) if carried else []
        for opened, mark in zip(carried, reopened, strict=False):
            opened.again = (k, mark)
        stack = list(carried)
        for mark in reading.marks:
            if mark in reopened:
                continue
            self._turned(k, mark)
            if _opens(mark, [o.mark for o in stack]):
                self._open(k, mark, stack, prose)
            else:
                self._close(k, mark, stack)
        return stack

    def _turned(self, k: int, mark: Mark) -> None:
        if not mark.contradicted:
            return
        code: Literal["T002", "T003"] = "T002" if mark.place == "open" else "T003"
        right = self.conventions.quotes[2 * mark.pair + (0 if mark.place == "open" else 1)]
        self.problems.append(Problem(k, mark, code, f"write {right} instead of {mark.glyph}"))

    def _mention(self, k: int, mark: Mark) -> bool:
        """Whether a quotation opened inside one of its own pair is a phrase quoted in the
        speech (“It was the words “descended into Hades” / That seemed too pagan…”), which some
        authors and printers mark with the same quotes: it follows a word that is not a verb of
        speech (not a comma or colon leading into speech, not “he said “go””); it begins in
        lower case; and it closes on the same line within a few words and with no sentence's
        end inside. A deleted closing quote leaves a speech behind it instead (“Hello, she
        said, “come.”). A language whose verbs of speech octavo does not know keeps the strict
        rule."""
        paragraph = self.paragraphs[k]
        text, kinds = paragraph.text, paragraph.kinds
        before = neighbour(text, kinds, mark.index, -1)
        after = neighbour(text, kinds, mark.index, 1)
        if not (before.isspace() and after.islower()):
            return False
        word_before = (text[: mark.index].rstrip().rsplit(None, 1)[-1:] or [""])[0]
        if not word_before[-1:].isalpha() or not self.speech.names_words(word_before):
            return False
        later = [m for m in self.readings[k].marks if m.index > mark.index]
        closer = later[0] if later else None
        if closer is None or closer.pair != mark.pair or _opens(closer, [mark]):
            return False
        inside = _plain(paragraph, mark.index + 1, closer.index)
        return (
            "\n" not in inside
            and len(inside.split()) <= _MENTION
            and not any(c in inside for c in ".!?…;:")
        )

    def _open(self, k: int, mark: Mark, stack: list[Open], prose: bool) -> None:
        nested = bool(stack) and stack[-1].mark.pair == mark.pair and mark.glyph_role == "open"
        if nested and not self._mention(k, mark):
            inner = stack.pop()
            where = "before" if inner.paragraph == k else "in a later paragraph before"
            self.problems.append(
                Problem(
                    inner.paragraph,
                    inner.mark,
                    "T001",
                    f"{inner.mark.glyph} is never closed: another {mark.glyph} opens {where} "
                    f"it closes (a quotation inside a quotation takes "
                    f"{self.conventions.quotes[2 * (1 - mark.pair)]})",
                )
            )
        stack.append(Open(k, mark, prose))

    def _close(self, k: int, mark: Mark, stack: list[Open]) -> None:
        opener = _innermost([o.mark for o in stack], mark.pair)
        if opener >= 0:
            inner = stack[opener + 1 :]
            self._report_unclosed(inner, f"{mark.glyph} closes the quotation around it first")
            del stack[opener:]
        elif not mark.ambiguous:
            self.problems.append(
                Problem(k, mark, "T001", f"{mark.glyph} closes a quotation that was never opened")
            )

    def run(self) -> list[Problem]:
        carried: list[Open] = []
        for k in range(len(self.paragraphs)):
            stack = self._paragraph(k, carried)
            carried, why = self.carries(k, stack) if stack else ([], "")
            left = [o for o in stack if o not in carried]
            self._report_unclosed(left, why)
        return self.problems


_last: tuple[Manuscript, list[Problem]] | None = None  # T001, T002 and T003 read the same file


def problems(manuscript: Manuscript) -> list[Problem]:
    global _last
    if _last is None or _last[0] is not manuscript:
        _last = (manuscript, Reader(manuscript).run())
    return _last[1]


def findings(manuscript: Manuscript, code: str) -> Iterator[tuple[int, str]]:
    """(file offset, detail) of each problem of one code, in file order."""
    found = [p for p in problems(manuscript) if p.code == code]
    for problem in sorted(found, key=lambda p: (p.paragraph, p.mark.index)):
        paragraph = manuscript.paragraphs[problem.paragraph]
        yield paragraph.offsets[problem.mark.index], problem.detail
