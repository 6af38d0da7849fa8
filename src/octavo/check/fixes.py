"""Fixes with one reading, as code linters offer them: `octavo check --diff` shows them as a
unified diff of the manuscript, `octavo check --fix` writes them, each file atomically.

A finding is fixable when its code has a fixer here and the fixer sees a single reading at its
place: a closing quote turned the wrong way after a dash or at a paragraph's start (T002), a
straight quote the build's typography reads one way (T004), a spaced hyphen used as a dash
(T005, in the file's own dash style), a double space (T006), three dots (T007), hyphens for a
dash (T008), a wrong apostrophe (T009). Only prose is touched: the rules never report inside
code, URLs or raw HTML, and a fix whose characters are not all prose is dropped. A file is left
alone, and named, when it changed on disk since it was read or when its fixed text would read
differently to the linter (a new finding, other code, links or markup).
"""

from __future__ import annotations

import difflib
import os
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from octavo.check import metadata, prose
from octavo.check.registry import FILE_RULES
from octavo.core.output import atomic_path
from octavo.core.text import decode
from octavo.source import manuscript as manuscript_mod
from octavo.source.load import load_book, read_sources
from octavo.source.typography import APOSTROPHE, MARKUP, PROSE, plan

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the manuscript's text (newlines as \n)
    end: int
    new: str
    code: str


@dataclass(frozen=True)
class FileFix:
    path: Path
    raw: bytes  # the file as read
    before: str  # its text, newlines as \n
    after: str
    edits: tuple[Edit, ...]
    unsafe: str = ""  # why it is left alone

    @property
    def changed(self) -> bool:
        return not self.unsafe and self.before != self.after


# ---- one fixer a code ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A finding's place: its paragraph and the index of its character there."""

    manuscript: prose.Manuscript
    paragraph: prose.Paragraph
    index: int

    @property
    def char(self) -> str:
        return self.paragraph.text[self.index]

    def before(self) -> str:
        """The character before it in the paragraph, markup passed over ("" at the start)."""
        text, kinds = self.paragraph.text, self.paragraph.kinds
        k = self.index - 1
        while k >= 0 and (kinds[k] == MARKUP or text[k].isspace()):
            k -= 1
        return text[k] if k >= 0 else ""

    def edit(self, length: int, new: str, code: str) -> Edit:
        start = self.paragraph.offsets[self.index]
        return Edit(start, start + length, new, code)


Fixer = Callable[[Place], "Edit | None"]


def _turned_quote(place: Place) -> Edit | None:
    """T002: after a dash or at the paragraph's start only the opening mark can stand."""
    quotes_ = place.manuscript.conventions.quotes
    if place.char not in quotes_ or place.before() not in {"", "—", "–", "-"}:
        return None
    pair = quotes_.index(place.char) // 2
    return place.edit(1, quotes_[2 * pair], "T002")


def _straight_quote(place: Place) -> Edit | None:
    """T004: what the build's typography makes of it, when it makes it a curly mark."""
    paragraph, conventions = place.paragraph, place.manuscript.conventions
    reading = plan(paragraph.text, paragraph.kinds, conventions)[place.index]
    glyph = next((c for c in reading if c in conventions.quotes or c == APOSTROPHE), "")
    return place.edit(1, glyph, "T004") if glyph else None


def _dash_style(manuscript: prose.Manuscript) -> str:
    """The file's own dash between words: a spaced en dash or a closed em dash."""
    text = manuscript.source.text
    spaced, closed = text.count(" – "), text.count("—")
    if spaced == closed == 0:
        return "—" if manuscript.config.language.lower().startswith("en") else " – "
    return " – " if spaced > closed else "—"


def _spaced_hyphen(place: Place) -> Edit | None:
    """T005: " - " between words becomes the file's dash; "- " opening a line, a dash."""
    text, i = place.paragraph.text, place.index
    if i == 0 or text[i - 1] == "\n":
        return place.edit(1, "—", "T005")
    style = _dash_style(place.manuscript)
    start = place.paragraph.offsets[i - 1]
    return Edit(start, start + 3, style, "T005") if text[i - 1 : i + 2] == " - " else None


def _double_space(place: Place) -> Edit | None:
    text, i = place.paragraph.text, place.index
    end = i
    while end < len(text) and text[end] == " ":
        end += 1
    return place.edit(end - i, " ", "T006")


def _three_dots(place: Place) -> Edit | None:
    return (
        place.edit(3, "…", "T007") if place.paragraph.text.startswith("...", place.index) else None
    )


def _hyphens(place: Place) -> Edit | None:
    text, i = place.paragraph.text, place.index
    run = 3 if text.startswith("---", i) else 2
    return place.edit(run, "—" if run == 3 else "–", "T008")


def _apostrophe(place: Place) -> Edit | None:
    return place.edit(1, APOSTROPHE, "T009") if place.char in "‘´`" else None


FIXERS: dict[str, Fixer] = {
    "T002": _turned_quote,
    "T004": _straight_quote,
    "T005": _spaced_hyphen,
    "T006": _double_space,
    "T007": _three_dots,
    "T008": _hyphens,
    "T009": _apostrophe,
}


# ---- finding the fixes --------------------------------------------------------------------------


def _place(manuscript: prose.Manuscript, starts: Sequence[int], offset: int) -> Place | None:
    k = bisect_right(starts, offset) - 1
    if k < 0:
        return None
    paragraph = manuscript.paragraphs[k]
    index = bisect_right(paragraph.offsets, offset) - 1
    if index < 0 or paragraph.offsets[index] != offset:
        return None
    return Place(manuscript, paragraph, index)


def _prose_only(place: Place, edit: Edit) -> bool:
    """Every character the edit replaces is prose (never code, a URL, HTML or markup)."""
    offsets, kinds = place.paragraph.offsets, place.paragraph.kinds
    first = bisect_right(offsets, edit.start) - 1
    span = range(first, first + edit.end - edit.start)
    return (
        first >= 0
        and span.stop <= len(offsets)
        and all(offsets[k] == edit.start + k - first and kinds[k] == PROSE for k in span)
    )


def edits(manuscript: prose.Manuscript) -> list[Edit]:
    """Every fix of the file, in order, none overlapping another."""
    starts = [p.offsets[0] if p.offsets else -1 for p in manuscript.paragraphs]
    found: list[Edit] = []
    for code, fixer in FIXERS.items():
        for finding in FILE_RULES[code](manuscript):
            place = _place(manuscript, starts, finding.offset)
            edit = fixer(place) if place else None
            if place and edit and _prose_only(place, edit):
                found.append(edit)
    chosen: list[Edit] = []
    for edit in sorted(found, key=lambda e: (e.start, e.end)):
        if not chosen or edit.start >= chosen[-1].end:
            chosen.append(edit)
    return chosen


def _apply(text: str, chosen: Sequence[Edit]) -> str:
    for edit in reversed(chosen):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def _lint(manuscript: prose.Manuscript) -> Counter[tuple[str, int]]:
    """Every file rule's findings, by code and line (fixes never add or remove a line)."""
    found: Counter[tuple[str, int]] = Counter()
    for code, rule in FILE_RULES.items():
        found.update((code, manuscript.position(f.offset)[0]) for f in rule(manuscript))
    return found


def _skeleton(manuscript: prose.Manuscript) -> list[str]:
    """Everything that is not prose, in order: code, URLs, HTML, markup."""
    return [
        "".join(c for c, kind in zip(p.text, p.kinds, strict=True) if kind != PROSE)
        for p in manuscript.paragraphs
    ]


def _unsafe(old: prose.Manuscript, new: prose.Manuscript) -> str:
    if _skeleton(old) != _skeleton(new):
        return "the fixes would change code, links or markup"
    added = _lint(new) - _lint(old)
    if added:
        (code, line), _ = next(iter(added.items()))
        return f"the fixes would bring a new {code} on line {line}"
    return ""


def fix_file(manuscript: prose.Manuscript) -> FileFix:
    raw = manuscript.path.read_bytes()
    chosen = edits(manuscript)
    before = manuscript.source.text
    after = _apply(before, chosen)
    fixed = FileFix(manuscript.path, raw, before, after, tuple(chosen))
    if not chosen:
        return fixed
    if manuscript.source.lines:  # mdBook's includes expanded: not the file as written
        return replace(fixed, unsafe="its text includes other files ({{#include}})")
    if decode(raw, manuscript.path) != before:
        return replace(fixed, unsafe="the file changed on disk while it was checked")
    source = replace(manuscript.source, text=after)
    again = prose.read(source, manuscript.config)
    return replace(fixed, unsafe=_unsafe(manuscript, again))


def manuscripts(source: Path) -> list[prose.Manuscript]:
    """The book's manuscript files (or the one file) as the rules read them."""
    source = Path(source)
    meta = metadata.read(source)
    book = load_book(source, config=meta.config, lenient=True)
    # a book folder's files, an mdBook's as SUMMARY.md lists them, or the one file
    sources = read_sources(book.config) if source.is_dir() else [manuscript_mod.read_file(source)]
    return [prose.read(s, book.config) for s in sources]


def plan_fixes(source: Path) -> list[FileFix]:
    """What `--fix` would do to each manuscript file that has a fix."""
    return [f for f in map(fix_file, manuscripts(source)) if f.edits]


# ---- showing and writing ------------------------------------------------------------------------


def diff(fixes: Sequence[FileFix]) -> str:
    """The fixes as one unified diff of the manuscript files (files left alone are not in it)."""
    parts: list[str] = []
    for fix in fixes:
        if fix.changed:
            name = str(fix.path)
            parts += difflib.unified_diff(
                fix.before.splitlines(keepends=True),
                fix.after.splitlines(keepends=True),
                fromfile=name,
                tofile=name,
            )
    return "".join(parts)


def _raw_offsets(text: str) -> list[int]:
    """For each character of the text as read (\\r\\n and \\r made \\n), its index in the file's
    own text, and one past the end."""
    index, i = [], 0
    while i < len(text):
        index.append(i)
        i += 2 if text.startswith("\r\n", i) else 1
    return [*index, len(text)]


def _fixed_bytes(fix: FileFix) -> bytes:
    """The file's own bytes with the edits made: its BOM and line endings kept."""
    bom = fix.raw.startswith(BOM)
    text = fix.raw[len(BOM) if bom else 0 :].decode("utf-8")
    where = _raw_offsets(text)
    for edit in reversed(fix.edits):
        text = text[: where[edit.start]] + edit.new + text[where[edit.end] :]
    return (BOM if bom else b"") + text.encode("utf-8")


def write(fix: FileFix) -> FileFix:
    """Write one safely fixable file atomically, its permissions kept; a file that changed on
    disk since it was read is left alone (its `unsafe` says so)."""
    target = fix.path.resolve()  # a manuscript linked into the book: write the file itself
    if target.read_bytes() != fix.raw:
        return replace(fix, unsafe="the file changed on disk while it was checked")
    mode = target.stat().st_mode & 0o7777
    with atomic_path(target) as tmp:
        tmp.write_bytes(_fixed_bytes(fix))
    os.chmod(target, mode)
    return fix


def run(source: Path, apply: bool, note: Callable[[str], None]) -> str:
    """`octavo check --diff` (apply False) and `--fix`: the diff of the fixes, which `--fix`
    also writes. Files left alone and the count of fixes are told to `note`."""
    planned = plan_fixes(source)
    done = [write(f) if apply and f.changed else f for f in planned]
    for fix in done:
        if fix.unsafe:
            note(f"{fix.path}: not fixed: {fix.unsafe}")
    changed = [f for f in done if f.changed]
    count = sum(len(f.edits) for f in changed)
    files = f"{len(changed)} file" + ("" if len(changed) == 1 else "s")
    if apply:
        note(f"octavo: fixed {count} finding{'' if count == 1 else 's'} in {files}")
    elif count:
        note(f"octavo: {count} fix{'' if count == 1 else 'es'} in {files} (--fix applies them)")
    return diff(done)
