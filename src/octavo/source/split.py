"""One file, many chapters; and parts, a level above chapters.

A collection of poems or stories often comes as one file, each piece under its own `#` heading.
book.toml's `split` says what becomes of such a file: "auto" (the default) cuts a file that is
nothing but `#` sections (its first block is a `#` heading, and it has two or more) into one
chapter per section; "h1" cuts every file at each `#` heading (text before the first becomes a
chapter of its own, titled as a file without a heading is); "none" keeps each file one chapter.

The file is parsed once and cut in its token stream, so a chapter's line numbers are the file's
own (a warning points into the original file), link references and footnotes defined anywhere
in the file resolve, and ids stay unique. A chapter is named by its heading's anchor, the file's
id and the heading's slug (`c03-poems-mending-wall`), which is also where a link written
`03-poems.md#mending-wall` already points. A footnote goes with the chapter that first calls it.

A part (Part One…) gets a title page of its own and holds the chapters after it, up to the next
part or a division that is not a chapter (an epilogue, the back matter). A part is a file with
`type: part` in its front matter, or a `#` section whose heading begins with "Part" and a number
(Part One, Part II, Part the First) or carries the class `part` (`{.part}` on the line above).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from markdown_it.token import Token

from octavo.book.config import Config
from octavo.book.model import Chapter, Source
from octavo.core.slug import slugify
from octavo.source import markup

_NUMBER = (
    r"[ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|the\s+\w+"
)
_PART = re.compile(rf"^part\s+(?:{_NUMBER})\b", re.IGNORECASE)


def chapters(
    source: Source, config: Config, fallback_title: str, lenient: bool = False
) -> tuple[Chapter, ...]:
    """The chapters of one manuscript file: one, or one per `#` section (see the docstring)."""
    parsed = markup.read(source, config, lenient)
    starts = _cuts(parsed.tokens, config.split)
    if len(starts) < 2:
        return (markup.chapter(parsed, parsed.tokens, fallback_title),)
    notes, tokens = _footnotes(parsed.tokens)
    pieces = _with_notes([tokens[a:b] for a, b in pairwise([*starts, len(tokens)])], notes)
    made = []
    for k, piece in enumerate(pieces):
        at = next(i for i, t in enumerate(piece) if t.type != "front_matter")
        heading = piece[at] if piece[at].type == "heading_open" else None
        # the heading's id, `c03-poems--mending-wall` (links.py), as a chapter id: c03-poems-mending-wall
        ident = slugify(str(heading.attrGet("id") or "")) if heading is not None else ""
        chapter = markup.chapter(parsed, piece, fallback_title, ident, first=k == 0)
        if heading is not None and is_part_heading(heading, piece[at + 1]):
            chapter = replace(chapter, division="part", matter="body")
        made.append(chapter)
    return tuple(made)


def _cuts(tokens: Sequence[Token], mode: str) -> list[int]:
    """Where the file's chapters begin (token indexes); fewer than two: it is not split."""
    if mode == "none":
        return []
    headings = [
        i
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h1" and not t.level
    ]
    first_block = next((i for i, t in enumerate(tokens) if t.type != "front_matter"), 0)
    opens_with_heading = bool(headings) and headings[0] == first_block
    if len(headings) < 2 or (mode == "auto" and not opens_with_heading):
        return []
    # the first chapter keeps the front matter; text before the first heading is one of its own
    return [0, *headings[1:]] if opens_with_heading else [0, *headings]


def is_part_heading(heading: Token, inline: Token) -> bool:
    classes = str(heading.attrGet("class") or "").split()
    return "part" in classes or bool(_PART.match(inline.content.strip()))


# --- Footnotes: markdown-it gathers them at the end of the file ------------------------------


def _footnotes(tokens: list[Token]) -> tuple[dict[int, list[Token]], list[Token]]:
    """The file's notes by id, and its tokens without the block that holds them."""
    try:
        start = next(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
    except StopIteration:
        return {}, tokens
    end = next(i for i in range(start, len(tokens)) if tokens[i].type == "footnote_block_close")
    notes: dict[int, list[Token]] = {}
    current: list[Token] = []
    for token in tokens[start + 1 : end]:
        current.append(token)
        if token.type == "footnote_close":
            notes[int(token.meta.get("id", len(notes)))] = current
            current = []
    return notes, tokens[:start] + tokens[end + 1 :]


def _called(piece: Iterable[Token]) -> list[int]:
    return [
        int(child.meta["id"])
        for token in piece
        for child in token.children or []
        if child.type == "footnote_ref"
    ]


def _with_notes(pieces: list[list[Token]], notes: dict[int, list[Token]]) -> list[list[Token]]:
    """Each note at the end of the first chapter that calls it (one never called: the last)."""
    home: dict[int, int] = {}
    for k, piece in enumerate(pieces):
        for note in _called(piece):
            home.setdefault(note, k)
    placed: list[list[Token]] = [[] for _ in pieces]
    for note, tokens in notes.items():
        placed[home.get(note, len(pieces) - 1)].extend(tokens)
    for piece, own in zip(pieces, placed, strict=True):
        if own:
            piece.append(Token("footnote_block_open", "", 1, block=True))
            piece.extend(own)
            piece.append(Token("footnote_block_close", "", -1, block=True))
    return pieces


# --- Parts: the contents' level above chapters ----------------------------------------------


def assemble(chapters: Sequence[Chapter]) -> tuple[Chapter, ...]:
    """The book's chapters, with parts holding theirs. (A link to a split file, `03-poems.md`,
    leads to its first chapter: links.resolve finds a file's chapters in reading order.)"""
    return _nest(chapters)


def _nest(chapters: Sequence[Chapter]) -> tuple[Chapter, ...]:
    """Chapters after a part go inside it (depth 1), up to the next part or the first piece
    that is not a chapter (an epilogue, back matter)."""
    inside = False
    nested = []
    for chapter in chapters:
        if chapter.division == "part":
            inside = True
        elif chapter.division != "chapter":
            inside = False
        inner = inside and chapter.division == "chapter"
        nested.append(replace(chapter, depth=1) if inner else chapter)
    return tuple(nested)
