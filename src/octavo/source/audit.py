"""Accessibility while parsing: an image without a text alternative is reported (S004), and
what the build can mend it mends, the same in both editions (DAISY Ace checks the EPUB):

- heading levels never skip: a `####` under a `##` is set as a level-3 heading (the linter's
  S003 still tells the author), so the outline screen readers announce has no gaps;
- a table's header cell without text is an ordinary cell: an empty `<th>` names nothing.

The EPUB's accessibility metadata is derived later from the finished documents (epub/a11y.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from octavo.core import codes
from octavo.core.diagnostics import Diagnostic

DECORATIVE = "decorative"  # the class an author gives an image that needs no description


def _classes(token: Token) -> set[str]:
    return set(str(token.attrGet("class") or "").split())


def _alt(token: Token) -> str:
    return "".join(c.content for c in token.children or []) or token.content


def alt_text_diagnostics(tokens: Sequence[Token], path: Path) -> tuple[Diagnostic, ...]:
    """A warning for every image with no alt text that is not marked `{.decorative}`."""
    found = []
    for block in tokens:
        line = block.map[0] + 1 if block.map else None
        for child in block.children or []:
            if child.type != "image" or _alt(child).strip() or DECORATIVE in _classes(child):
                continue
            found.append(codes.get("S004").at(path, line, None, str(child.attrGet("src"))))
    return tuple(found)


def _heading_order(state: StateCore) -> None:
    previous = 1  # the chapter title, written or taken from the file name
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.meta.setdefault("written_level", int(token.tag[1]))  # the linter's S003 reads it
            level = min(int(token.tag[1]), previous + 1)
            token.tag = f"h{level}"
            if token.type == "heading_close":
                previous = level


def _empty_header_cells(state: StateCore) -> None:
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "th_open" and not tokens[i + 1].content.strip():
            token.tag = tokens[i + 2].tag = "td"


def accessible_structure(md: MarkdownIt) -> None:
    """Mend heading levels and empty header cells before anything reads the headings (the
    anchors plugin, the contents)."""
    md.core.ruler.after("block", "octavo_heading_order", _heading_order)
    md.core.ruler.after("block", "octavo_empty_header_cells", _empty_header_cells)
