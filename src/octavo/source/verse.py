"""Verse: a poem is set line for line, in stanzas, in both editions.

Three ways to mark verse, and one way octavo finds it unmarked:

- a fenced block, for a passage inside prose (`z3998:verse`)::

      ::: verse
      Whose woods these are I think I know.
        His house is in the village though;
      :::

- pandoc's line blocks, one `| ` per line (a line starting with a space continues the one
  before; a lone `|` is a stanza break), also `z3998:verse`;
- `verse: true` in a file's front matter: every top-level paragraph of the file is a stanza
  and every line of it a verse line, a stanza's first line may be indented four spaces or more
  (Markdown's indented code) (`verse: false` turns the detection below off);
- unmarked: a `#` section whose paragraphs are mostly hard-broken lines (`\\` or two spaces at
  the end of a line, or `<br>`) is a poem (`z3998:poem`). At least four hard-broken lines are
  needed, and they must hold three quarters of the section's text, so an address or a signature
  in a prose chapter stays prose, and a three-line dedication stays a dedication.

Every stanza becomes `<div class="stanza">` and every line `<div class="line">`, inside
`<div class="verse" epub:type="z3998:verse">` (a poem: `class="verse poem"`,
`z3998:poem`): one element per line, so a long line turns over
with a hanging indent (the theme's CSS), and leading spaces become indents (`indent-N`, one em
for two spaces). `div`s, not `p` and `span`: the page map counts elements by tag in each
chapter (book/pages.py), and spans differ between the editions (page markers, drop caps).

Two core rules do it: `octavo_verse` (after the block parse) decides which paragraphs are
stanzas and wraps runs of them; `octavo_verse_lines` (after the inline parse) marks at which
breaks a new line begins. The render rules then write the lines; the tokens keep their types
and maps, so `octavo check` lints a poem like any paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

POEM = "z3998:poem"  # a whole poem: a verse section of a file
VERSE = "z3998:verse"  # verse quoted in prose: a fenced block or a line block
MAX_INDENT = 12  # ems; deeper indents are set at this one
MIN_LINES = 4  # hard-broken lines a section needs to be taken for a poem
MIN_SHARE = 0.75  # of the section's paragraph text

# `::: verse`, or pandoc's spellings `::: {.verse}` and `::::: verse :::::`
_FENCE_OPEN = re.compile(r"^(:{3,})\s*(?:verse|\{\s*\.verse\s*\})\s*:*\s*$")
_LINE_BLOCK = re.compile(r"^\|(?: (.*))?$")
_BR = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)
_BR_TAG = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_WIDTHS = {"\t": 4, "\u2003": 2, "\u2002": 1, "\u00a0": 1, " ": 1}


@dataclass
class Stanza:
    """What a stanza's paragraph token carries (in `meta["verse"]`): for each line of its
    content, its indent in ems, and whether the break after it starts a new verse line."""

    indents: list[int]
    splits: list[bool]


@dataclass
class _Lines:
    """Source lines gathered by a block rule, grouped into stanzas."""

    stanzas: list[list[tuple[int, str, int, bool]]] = field(default_factory=list)
    # each line: (source line number, text, indent in ems, begins a new verse line)

    def add(self, number: int, text: str, indent: int, new: bool = True) -> None:
        if not self.stanzas:
            self.stanzas.append([])
        self.stanzas[-1].append((number, text, indent, new))

    def stanza_break(self) -> None:
        if self.stanzas and self.stanzas[-1]:
            self.stanzas.append([])


def indent_of(line: str) -> tuple[int, str]:
    """A line's leading white space in ems (two spaces to the em), and the line without it."""
    width = 0
    for i, ch in enumerate(line):
        if ch not in _WIDTHS:
            return min(width // 2, MAX_INDENT), line[i:]
        width += _WIDTHS[ch]
    return 0, ""


def hard_break(line: str) -> bool:
    """Does this line of a paragraph end in a hard line break?"""
    stripped = line.rstrip(" ")
    backslashes = len(stripped) - len(stripped.rstrip("\\"))
    return backslashes % 2 == 1 or len(line) - len(stripped) >= 2 or bool(_BR.search(line))


# --- Block rules: `::: verse` and `| ` line blocks ------------------------------------------


def _line(state: StateBlock, number: int) -> str:
    return state.src[state.bMarks[number] + state.tShift[number] : state.eMarks[number]]


def _raw_line(state: StateBlock, number: int) -> str:
    """The line with its indent kept, less the container's (a quote's `> `, a list's)."""
    return state.getLines(number, number + 1, state.blkIndent, False)


def _fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    opening = _FENCE_OPEN.match(_line(state, start))
    if opening is None:
        return False
    if silent:
        return True
    closing = re.compile(rf"^:{{{len(opening[1])},}}\s*$")
    lines = _Lines()
    number = start + 1
    while number < end:
        if state.sCount[number] - state.blkIndent < 4 and closing.match(_line(state, number)):
            break
        if state.isEmpty(number):
            lines.stanza_break()
        else:
            indent, text = indent_of(_raw_line(state, number))
            lines.add(number, text, indent)
        number += 1
    after = number + 1 if number < end else end  # past the closing fence, if there is one
    _push(state, lines, VERSE, [start, after])
    state.line = after
    return True


def _line_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4 or not _LINE_BLOCK.match(_line(state, start)):
        return False
    if silent:
        return True
    lines = _Lines()
    number = start
    while number < end and not state.isEmpty(number):
        match = _LINE_BLOCK.match(_line(state, number))
        raw = _raw_line(state, number)
        if match is not None:
            indent, text = indent_of(match[1] or "")
            if text:
                lines.add(number, text, indent)
            else:
                lines.stanza_break()
        elif lines.stanzas and lines.stanzas[-1] and raw[:1].isspace():
            lines.add(number, raw.strip(), 0, new=False)  # continues the line before
        else:
            break
        number += 1
    _push(state, lines, VERSE, [start, number])
    state.line = number
    return True


def _push(state: StateBlock, lines: _Lines, kind: str, span: list[int]) -> None:
    opening = state.push("verse_open", "div", 1)
    opening.attrs = {"class": "verse", "epub:type": kind}
    opening.map = span
    for stanza in (s for s in lines.stanzas if s):
        numbers = [n for n, _, _, _ in stanza]
        paragraph = state.push("paragraph_open", "div", 1)
        paragraph.map = [numbers[0], numbers[-1] + 1]
        # splits[k]: does the break after line k begin a new line (a continuation does not)
        news = [new for _, _, _, new in stanza]
        paragraph.meta["verse"] = Stanza([i for _, _, i, _ in stanza], [*news[1:], True])
        inline = state.push("inline", "", 0)
        inline.content = "\n".join(text for _, text, _, _ in stanza)
        inline.map = paragraph.map
        inline.children = []
        state.push("paragraph_close", "div", -1).meta["verse"] = paragraph.meta["verse"]
    state.push("verse_close", "div", -1)


# --- Verse files and verse sections ---------------------------------------------------------


def _declared(tokens: Sequence[Token]) -> bool | None:
    """`verse:` in the file's front matter (markup.front_matter checks its type)."""
    if not tokens or tokens[0].type != "front_matter":
        return None
    try:
        data = yaml.safe_load(tokens[0].content)
    except yaml.YAMLError:
        return None
    value = data.get("verse") if isinstance(data, dict) else None
    return value if isinstance(value, bool) else None


def _sections(tokens: Sequence[Token]) -> list[range]:
    """Index ranges of the file's `#` sections (what comes before the first is one too)."""
    starts = [0] + [
        i
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h1" and not t.level
    ]
    ends = [*starts[1:], len(tokens)]
    return [range(a, b) for a, b in zip(starts, ends, strict=True) if a < b]


def _paragraph_lines(tokens: Sequence[Token], i: int) -> list[str]:
    return tokens[i + 1].content.split("\n")


def _is_poem(tokens: Sequence[Token], section: range) -> bool:
    """Hard-broken lines make most of the section's text (see the module's docstring)."""
    broken_lines = broken_chars = total_chars = 0
    for i in section:
        if tokens[i].type != "paragraph_open" or tokens[i].level:
            continue
        lines = _paragraph_lines(tokens, i)
        chars = sum(len(line.strip()) for line in lines)
        total_chars += chars
        if len(lines) > 1 and all(hard_break(line) for line in lines[:-1]):
            broken_lines += len(lines)
            broken_chars += chars
    return broken_lines >= MIN_LINES and broken_chars >= MIN_SHARE * total_chars


def _first_indent(token: Token, source_lines: list[str]) -> int:
    """The first line's indent: the paragraph's own text has lost it (top level only: inside a
    quote the source line also holds the quote's marker)."""
    if token.level or not token.map or token.map[0] >= len(source_lines):
        return 0
    return indent_of(source_lines[token.map[0]])[0]


def _stanza(tokens: list[Token], i: int, source_lines: list[str], every_line: bool) -> bool:
    """Make the paragraph (or indented code block) at i a stanza, if it can be one: in a
    declared verse file every line is a verse line; in a poem found unmarked, the hard-broken
    ones are (a paragraph wrapped as prose stays prose)."""
    token = tokens[i]
    if token.type == "code_block" and every_line:
        # in a verse file, a stanza whose first line is indented four spaces or more (a poem
        # found unmarked keeps its code: a listing is likelier there than such a stanza)
        _code_to_stanza(tokens, i, source_lines)
        token = tokens[i]
    if token.type != "paragraph_open" or token.level:
        return False
    lines = _paragraph_lines(tokens, i)
    splits = [every_line or hard_break(line) for line in lines[:-1]] + [True]
    if not every_line and len(lines) > 1 and not any(splits[:-1]):
        return False
    indents = [_first_indent(token, source_lines)] + [indent_of(x)[0] for x in lines[1:]]
    token.meta["verse"] = tokens[i + 2].meta["verse"] = Stanza(indents, splits)
    return True


def _code_to_stanza(tokens: list[Token], i: int, source_lines: list[str]) -> None:
    """An indented code block in verse is a stanza whose first line is indented four spaces or
    more; a paragraph right after it (no blank line between) is the rest of that stanza. Its
    lines are taken from the source, where they keep their indents (the code block's text has
    lost four spaces of each)."""
    code = tokens[i]
    end, content, span = i + 1, code.content.rstrip("\n"), code.map
    if not code.level and code.map:
        start, stop = code.map
        after = tokens[end] if end < len(tokens) else None
        follows = after.map if after is not None and after.type == "paragraph_open" else None
        if follows and follows[0] == stop:
            stop, end = follows[1], end + 3
        lines = source_lines[start:stop]
        content, span = "\n".join([lines[0].lstrip(), *lines[1:]]).rstrip(), [start, stop]
    opening = Token("paragraph_open", "p", 1, map=span, level=code.level, block=True)
    inline = Token("inline", "", 0, map=span, level=code.level + 1, block=True)
    inline.content = content
    inline.children = []
    closing = Token("paragraph_close", "p", -1, level=code.level, block=True)
    tokens[i:end] = [opening, inline, closing]


def _wrap(tokens: list[Token], section: range, every_line: bool, src: list[str]) -> list[Token]:
    """The section's tokens with each run of stanzas inside one verse `div`."""
    out: list[Token] = []
    run: list[Token] = []
    section_tokens = tokens[section.start : section.stop]
    i = 0
    while i < len(section_tokens):
        if _stanza(section_tokens, i, src, every_line):
            for token in section_tokens[i : i + 3]:
                token.level += 1
            run.extend(section_tokens[i : i + 3])
            i += 3
            continue
        out.extend(_verse(run))
        run = []
        out.append(section_tokens[i])
        i += 1
    out.extend(_verse(run))
    return out


def _verse(run: list[Token]) -> list[Token]:
    if not run:
        return []
    opening = Token("verse_open", "div", 1, block=True)
    opening.attrs = {"class": "verse poem", "epub:type": POEM}
    opening.map = [run[0].map[0], run[-3].map[1]] if run[0].map and run[-3].map else None
    return [opening, *run, Token("verse_close", "div", -1, block=True)]


def _find_verse(state: StateCore) -> None:
    declared = _declared(state.tokens)
    if declared is False:
        return
    source_lines = state.src.split("\n")
    tokens: list[Token] = []
    for section in _sections(state.tokens):
        if declared or _is_poem(state.tokens, section):
            tokens.extend(_wrap(state.tokens, section, bool(declared), source_lines))
        else:
            tokens.extend(state.tokens[section.start : section.stop])
    state.tokens = tokens


# --- Lines: where a stanza's breaks begin new lines ------------------------------------------


def _mark_lines(state: StateCore) -> None:
    for i, token in enumerate(state.tokens):
        stanza = token.meta.get("verse") if token.type == "paragraph_open" else None
        if isinstance(stanza, Stanza):
            _mark_breaks(state.tokens[i + 1].children or [], stanza)


def _mark_breaks(children: list[Token], stanza: Stanza) -> None:
    """Each break that begins a line carries the line's indent and the inline elements open
    across it (closed before the line's end, opened again after)."""
    opened: list[Token] = []
    newline = 0
    for k, child in enumerate(children):
        if child.nesting == 1:
            opened.append(child)
        elif child.nesting == -1 and opened:
            opened.pop()
        if child.type in {"softbreak", "hardbreak"}:
            newline += 1
            if newline < len(stanza.indents) and stanza.splits[newline - 1]:
                child.meta["verse_line"] = (stanza.indents[newline], list(opened))
        elif child.type == "html_inline" and _BR_TAG.match(child.content.strip()):
            ahead = next((c for c in children[k + 1 :] if c.content or c.type != "text"), None)
            if ahead is None or ahead.type in {"softbreak", "hardbreak"}:
                child.meta["verse_line"] = None  # the line's end is the break after it
            else:
                child.meta["verse_line"] = (0, list(opened))


# --- Rendering ------------------------------------------------------------------------------


def opens_with_poem(body_html: str) -> bool:
    """Does a chapter's body begin with a poem (a verse section, not verse quoted in prose)?"""
    return body_html.lstrip().startswith('<div class="verse poem"')


def line_open(indent: int) -> str:
    return f'<div class="line indent-{indent}">' if indent else '<div class="line">'


def _render_paragraph_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    stanza = tokens[idx].meta.get("verse")
    if isinstance(stanza, Stanza):
        return f'<div class="stanza">{line_open(stanza.indents[0])}'
    return str(self.renderToken(tokens, idx, options, env))


def _render_paragraph_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    if isinstance(tokens[idx].meta.get("verse"), Stanza):
        return "</div></div>\n"
    return str(self.renderToken(tokens, idx, options, env))


def _break_rule(default: str) -> Any:
    def render(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if "verse_line" not in token.meta:
            if token.type == "html_inline":
                return token.content
            return default if token.type == "softbreak" else "<br />\n"
        line = token.meta["verse_line"]
        if line is None:
            return ""
        indent, opened = line
        closes = "".join(f"</{t.tag}>" for t in reversed(opened))
        reopens = "".join(self.renderToken([t], 0, options, env) for t in opened)
        return f"{closes}</div>\n{line_open(indent)}{reopens}"

    return render


def verse_plugin(md: MarkdownIt) -> None:
    """Register the verse rules (see the module's docstring)."""
    md.block.ruler.before(
        "fence",
        "octavo_verse_fence",
        _fence,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.block.ruler.after("table", "octavo_line_block", _line_block)
    # after block attributes (`{.class}` lines) have been given to the blocks they precede
    core_rules = md.core.ruler.get_all_rules()
    md.core.ruler.after("attr" if "attr" in core_rules else "block", "octavo_verse", _find_verse)
    md.core.ruler.after("inline", "octavo_verse_lines", _mark_lines)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("paragraph_close", _render_paragraph_close)
    md.add_render_rule("softbreak", _break_rule("\n"))
    md.add_render_rule("hardbreak", _break_rule("<br />\n"))
    md.add_render_rule("html_inline", _break_rule(""))
