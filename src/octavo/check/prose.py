"""The manuscript as the linter reads it.

Each paragraph is kept as the author typed it, with the file offset of every character, the
kind of every character (prose, opaque text such as code or a URL, or Markdown markup) and what
the build's typography makes of it. Rules therefore report exact lines and columns in the
manuscript file itself — plain text or Markdown, with or without YAML front matter — and see the
quotes the book will have.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from octavo.book.config import Config
from octavo.book.model import Source
from octavo.source import code, markup  # the linter parses exactly as the build does
from octavo.source.typography import (
    CODE,
    MARKUP,
    NOTE,
    OPAQUE,
    PROSE,
    Conventions,
    conventions_for,
    plan,
    protected_spans,
    text_kinds,
)

ConstructKind = Literal["link", "image", "footnote"]


@dataclass(frozen=True)
class Construct:
    """A piece of inline Markdown in a paragraph: a link, an image or a footnote reference."""

    kind: ConstructKind
    start: int  # index into the paragraph's text
    target: str  # the href, the image's src, or the footnote's label
    text: str = ""  # the link text or the image's alt text


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or heading, table cell, footnote): its characters without block markup."""

    text: str
    kinds: bytes  # PROSE, OPAQUE, CODE, MARKUP or NOTE for each character
    offsets: tuple[int, ...]  # where each character stands in the file
    book: tuple[str, ...]  # what each character becomes in the book
    constructs: tuple[Construct, ...] = ()
    stanza: bool = False  # a stanza of verse (source/verse.py), not a paragraph of prose
    runs_on: bool = False  # a list item, or followed by a listing, list, table, quotation…

    def first_book_char(self) -> str:
        return next((c for c in "".join(self.book) if not c.isspace()), "")


@dataclass(frozen=True)
class Manuscript:
    """One manuscript file, read for the rules."""

    source: Source
    config: Config
    conventions: Conventions
    typography: bool
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[tuple[int, int], ...] = ()  # (level, file offset of the heading)
    footnote_definitions: tuple[tuple[str, int], ...] = ()  # (label, file offset)
    glyphs: frozenset[int] = frozenset()  # what the theme's text font can draw
    code_glyphs: frozenset[int] = frozenset()  # what its code font can draw (none: no code font)
    code_lines: tuple[tuple[int, str], ...] = ()  # (file offset, text) of each printed code line
    line_starts: tuple[int, ...] = (0,)

    @property
    def path(self) -> Path:
        return self.source.path

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a file offset."""
        line = bisect_right(self.line_starts, offset)
        col = offset - self.line_starts[line - 1] + 1
        if self.source.lines:  # text with mdBook's includes expanded: the file's own line
            return self.source.manuscript_line(line) or line, col
        return line, col


def line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in re.finditer("\n", text)))


Kinds = Callable[[str], bytearray]


def _paragraph(
    text: str,
    spans: Sequence[tuple[int, int]],
    kinds_of: Kinds,
    conventions: Conventions,
    typography: bool,
    references: Mapping[str, Any] | None = None,
) -> Paragraph:
    """A paragraph made of file spans (one per source line), joined by newlines."""
    content = "\n".join(text[s:e] for s, e in spans)
    offsets: list[int] = []
    joiners: list[int] = []
    for n, (start, end) in enumerate(spans):
        if n:
            joiners.append(len(offsets))
            offsets.append(spans[n - 1][1])
        offsets.extend(range(start, end))
    kinds = kinds_of(content)
    for j in joiners:
        kinds[j] = OPAQUE  # a line break: white space the rules read but never report
    book = plan(content, kinds, conventions) if typography else list(content)
    constructs = _constructs(content, kinds, references) if references is not None else ()
    return Paragraph(content, bytes(kinds), tuple(offsets), tuple(book), tuple(constructs))


# ---- plain text ------------------------------------------------------------------------------


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    line = text[start:end]
    return start + len(line) - len(line.lstrip()), start + len(line.rstrip())


def plain_spans(text: str) -> list[list[tuple[int, int]]]:
    """The paragraphs of a plain-text file as `markup.plain_text_paragraphs` finds them: one per
    line, or one per block between blank lines; each a list of (start, end) line spans."""
    cuts = [(m.start(), m.end()) for m in re.finditer(r"\n\s*\n", text)]
    bounds = [0, *(c for cut in cuts for c in cut), len(text)]
    blocks = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    blocks = [(s, e) for s, e in blocks if text[s:e].strip()]
    wrapped = any("\n" in text[s:e].strip() for s, e in blocks) and len(blocks) > 1
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.group().strip()]
    if not wrapped:
        return [[_stripped(text, s, e)] for s, e in lines]
    starts = [start for start, _ in blocks]
    grouped: list[list[tuple[int, int]]] = [[] for _ in blocks]
    for line in lines:
        span = _stripped(text, *line)  # a cut may end inside a line's indentation
        grouped[bisect_right(starts, span[0]) - 1].append(span)
    return grouped


# ---- Markdown --------------------------------------------------------------------------------

_DEST = r"(?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?"""
_INLINE: tuple[tuple[str, str], ...] = (
    ("opaque", r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>|<[^\s@<>]+@[^\s@<>]+>"),
    ("opaque", r"</?[A-Za-z][^<>]*>"),
    ("escape", r"\\[!-/:-@\[-`{-~\n]"),
    ("footnote", r"\[\^[^\]\s]+\]"),
    ("markup", rf"\]\(\s*{_DEST}{_TITLE}\s*\)|\]\[[^\]]*\]"),
    ("markup", r"\{[#.:][^{}\n]*\}|\{[^{}\n]*=[^{}\n]*\}"),
    ("opaque", r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"),
    ("markup", r"!\[|\[|\]|[*_~]+"),
)
_INLINE_RE = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_INLINE)))


def markdown_kinds(content: str) -> bytearray:
    """Mark the inline Markdown of one block's content: code spans are CODE; footnote references
    are NOTE, as the build's typography sees them; autolinks, HTML tags, escapes, URLs and
    entities are opaque; brackets, link targets, attributes and emphasis marks are markup;
    everything else is prose."""
    kinds = bytearray(len(content))  # all PROSE (0)
    code = code_spans(content)
    pieces, last = [], 0
    for start, end in code:  # nothing else is looked for inside code
        pieces += [content[last:start], "\0" * (end - start)]
        last = end
    masked = "".join([*pieces, content[last:]])
    for match in _INLINE_RE.finditer(masked):
        name = next(k for i, (k, _) in enumerate(_INLINE) if match.group(f"k{i}") is not None)
        start, end = match.span()
        if name == "escape":
            kinds[start] = MARKUP
            kinds[start + 1] = OPAQUE
        else:
            kind = {"markup": MARKUP, "code": CODE, "footnote": NOTE}.get(name, OPAQUE)
            kinds[start:end] = bytes([kind]) * (end - start)
    for start, end in protected_spans(masked):
        for k in range(start, end):
            if kinds[k] == PROSE:
                kinds[k] = OPAQUE
    for start, end in code:
        kinds[start:end] = bytes([CODE]) * (end - start)
    return kinds


_TICKS = re.compile("`+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """CommonMark code spans: a run of backticks up to the next run of the same length (found
    in one pass: a regex would be quadratic on a line of backticks)."""
    runs = [(m.start(), m.end() - m.start()) for m in _TICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for k, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(k)
    spans = []
    k = 0
    while k < len(runs):
        start, length = runs[k]
        same = by_length[length]
        after = bisect_right(same, k)
        if after < len(same):
            close = same[after]
            spans.append((start, runs[close][0] + length))
            k = close + 1
        else:
            k += 1
    return spans


_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    rf"(?:\(\s*(?P<dest>{_DEST}){_TITLE}\s*\)|\[(?P<ref>[^\]]*)\])?"
)
_FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]\s]+)\]")


def _constructs(
    content: str, kinds: Sequence[int], references: Mapping[str, Any], base: int = 0
) -> Iterator[Construct]:
    if base == 0:
        for match in _FOOTNOTE_REF.finditer(content):
            if kinds[match.start()] == NOTE:  # not inside a code span
                yield Construct("footnote", match.start(), match.group("label"))
    for match in _LINK.finditer(content):
        start = base + match.start()
        text = match.group("text")
        if kinds[start] != MARKUP or text.startswith("^"):
            continue
        target = _link_target(match, references)
        if target is None:
            continue
        kind: ConstructKind = "image" if match.group("bang") else "link"
        yield Construct(kind, start, target, text)
        inner = base + match.start("text")
        yield from _constructs(text, kinds, references, inner) if "[" in text else ()


def _link_target(match: re.Match[str], references: Mapping[str, Any]) -> str | None:
    dest = match.group("dest")
    if dest is not None:
        return dest[1:-1] if dest.startswith("<") else dest
    label = match.group("ref") or match.group("text")
    reference = references.get(normalizeReference(label))
    return str(reference["href"]) if reference else None


def _locate(line: str, content: str, cursor: int) -> tuple[int, int] | None:
    """Where one line of an inline token's content stands in its source line."""
    trimmed = content.rstrip()
    if cursor == 0 and trimmed and line.rstrip().endswith(trimmed):
        return len(line.rstrip()) - len(trimmed), len(trimmed)
    for piece in (content, content.strip()):
        found = line.find(piece, cursor) if piece else -1
        if found >= 0:
            return found, len(piece)
    return None


def _inline_spans(
    text: str, starts: Sequence[int], token: Token, cursors: dict[int, int]
) -> list[tuple[int, int]]:
    assert token.map is not None
    spans = []
    for k, content in enumerate(token.content.split("\n")):
        number = token.map[0] + k
        if number >= min(token.map[1], len(starts)):
            break
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
        line = text[starts[number] : end]
        found = _locate(line, content, cursors.get(number, 0))
        if found is None:
            continue
        col, length = found
        cursors[number] = col + length
        spans.append((starts[number] + col, starts[number] + col + length))
    return spans


_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^(?P<label>[^\]\s]+)\]:", re.MULTILINE)


def _footnote_definitions(
    text: str, starts: Sequence[int], code_lines: set[int]
) -> tuple[tuple[str, int], ...]:
    found = []
    for match in _FOOTNOTE_DEF.finditer(text):
        line = bisect_right(starts, match.start()) - 1
        if line not in code_lines:
            found.append((match.group("label"), match.start() + match.group().index("[")))
    return tuple(found)


def _headings(
    text: str, starts: Sequence[int], tokens: Sequence[Token]
) -> Iterator[tuple[int, int]]:
    for token in tokens:
        if token.type == "heading_open" and token.map:
            first = starts[token.map[0]]
            end = text.find("\n", first)
            line = text[first : end if end >= 0 else len(text)]
            level = token.meta.get("written_level", int(token.tag[1]))  # as the author wrote it
            yield level, first + len(line) - len(line.lstrip())


def _listing_lines(text: str, starts: Sequence[int], token: Token) -> Iterator[tuple[int, str]]:
    """The lines of a listing that the book prints, each at its place in the file: the fence's
    own lines and Rust's hidden lines are left out (source/code.py)."""
    assert token.map is not None
    first = token.map[0] + (1 if token.type == "fence" else 0)
    rust = token.type == "fence" and code.parse_info(token.info)[0] == "rust"
    for k, content in enumerate(token.content.splitlines()):
        number = first + k
        if number >= len(starts) or (rust and code.shown_rust_line(content) is None):
            continue
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
        found = text.find(content, starts[number], end) if content else -1
        if found >= 0:
            yield found, content


# Blocks a sentence may go on into after a comma: "For instance in this code," then the code.
_DISPLAYS = frozenset(
    [
        "fence",
        "code_block",
        "bullet_list_open",
        "ordered_list_open",
        "table_open",
        "blockquote_open",
        "admonition_open",  # source/admonitions.py
        "html_block",
        "math_block",
    ]
)


def _display_after(tokens: Sequence[Token], inline: int) -> bool:
    """Whether the block after the paragraph of an inline token is a display (its close comes
    between them)."""
    following = tokens[inline + 2] if inline + 2 < len(tokens) else None
    return following is not None and following.type in _DISPLAYS


def read_markdown(source: Source, config: Config, conventions: Conventions) -> Manuscript:
    text = source.text
    starts = line_starts(text)
    env: dict[str, Any] = {}
    tokens = markup.parser(config, False, False, markup.chapter_id(source)).parse(text, env)
    own = markup.front_matter(tokens, source).typography
    typography = config.typography if own is None else own
    references: Mapping[str, Any] = env.get("references", {})
    cursors: dict[int, int] = {}
    paragraphs = []
    code_lines: set[int] = set()
    listings: list[tuple[int, str]] = []
    stanza = False
    items = 0  # list items open around the token
    for i, token in enumerate(tokens):
        items += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        if token.type == "paragraph_open":
            stanza = token.meta.get("verse") is not None
        if token.type in {"fence", "code_block", "front_matter"} and token.map:
            code_lines.update(range(*token.map))
        if token.type in {"fence", "code_block"} and token.map:
            listings += _listing_lines(text, starts, token)
        if token.type == "inline" and token.map:
            spans = _inline_spans(text, starts, token, cursors)
            if spans:
                paragraph = _paragraph(
                    text, spans, markdown_kinds, conventions, typography, references
                )
                runs_on = items > 0 or _display_after(tokens, i)
                if stanza or runs_on:
                    paragraph = replace(paragraph, stanza=stanza, runs_on=runs_on)
                paragraphs.append(paragraph)
    paragraphs.sort(key=lambda p: p.offsets[0])  # footnotes come last in markdown-it's stream
    return Manuscript(
        source=source,
        config=config,
        conventions=conventions,
        typography=typography,
        paragraphs=tuple(paragraphs),
        headings=tuple(_headings(text, starts, tokens)),
        footnote_definitions=_footnote_definitions(text, starts, code_lines),
        code_lines=tuple(listings),
        line_starts=starts,
    )


def read_plain(source: Source, config: Config, conventions: Conventions) -> Manuscript:
    text = source.text
    paragraphs = tuple(
        _paragraph(text, spans, text_kinds, conventions, config.typography)
        for spans in plain_spans(text)
    )
    return Manuscript(
        source=source,
        config=config,
        conventions=conventions,
        typography=config.typography,
        paragraphs=paragraphs,
        line_starts=line_starts(text),
    )


def read(
    source: Source,
    config: Config,
    glyphs: frozenset[int] = frozenset(),
    code_glyphs: frozenset[int] = frozenset(),
) -> Manuscript:
    """One manuscript file as the rules read it."""
    conventions = conventions_for(config.language)
    reader = read_plain if source.kind == "text" else read_markdown
    manuscript = reader(source, config, conventions)
    return replace(manuscript, glyphs=glyphs, code_glyphs=code_glyphs)
