"""Manuscript lines on the built HTML: `data-line="N"` on every block that markdown-it maps to
the source (paragraphs, headings, list items, quotes, tables and their rows, scene breaks, code,
and the blocks plugins make of them: a figure, a listing).

The print edition keeps the attribute, so the page-quality report (print/quality.py) can climb
from a laid-out line to the nearest element that carries one and name the manuscript line of a
widow or a short page. The EPUB leaves it out (epub/xhtml.py).

A plain-text file reaches the parser as its paragraphs joined by blank lines
(markup.plain_text_paragraphs), so its token lines count paragraphs, not lines of the file:
`plain_text_lines` maps them back, and the parse passes that map in the environment.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt

ENV_KEY = "octavoLines"  # the parse environment's map: parser line (0-based) → file line


def _mark(state: Any) -> None:
    lines = state.env.get(ENV_KEY) if isinstance(state.env, dict) else None
    for token in state.tokens:
        # every block that opens or stands alone, whoever made it (a figure, a listing): not
        # the closing tokens, nor the inline content, nor what renders no tag of its own
        if not token.map or not token.block or token.nesting < 0 or token.hidden:
            continue
        if token.type in {"inline", "front_matter", "html_block"}:
            continue
        first = token.map[0]
        line = lines[first] if lines and first < len(lines) else first + 1
        token.attrSet("data-line", str(line))


def data_line_plugin(md: MarkdownIt) -> None:
    """Write each mapped block's first manuscript line (1-based) as `data-line`."""
    md.core.ruler.push("octavo_data_line", _mark)


_BLOCK = re.compile(r"(?:[^\n]*\S[^\n]*\n?)+")


def plain_text_lines(text: str) -> list[int]:
    """For a plain-text file: the file line (1-based) of each line the parser sees. The parser
    sees one paragraph a line with a blank line after each, in the order
    `plain_text_paragraphs` gives them (blank-line separated blocks when the file wraps its
    paragraphs, else one paragraph per non-blank line)."""
    blocks = [(m.start(), m.group()) for m in _BLOCK.finditer(text)]
    wrapped = any("\n" in b.strip() for _, b in blocks) and len(blocks) > 1
    if wrapped:
        starts = [text.count("\n", 0, start) + 1 for start, _ in blocks]
    else:
        starts = [i + 1 for i, line in enumerate(text.split("\n")) if line.strip()]
    return [line for start in starts for line in (start, start)]
