"""Admonitions: a block quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
`[!WARNING]` or `[!CAUTION]` (GitHub's alerts, mdBook's admonitions).

    > [!WARNING]
    > The kettle is hot.

becomes a note set apart from the text, opened by its label in the book's language
(book/labels.py; book.toml's `[labels]` may reword it):

    <div class="admonition warning" role="doc-notice">
    <p class="admonition-label">Warning</p>
    <p>The kettle is hot.</p>
    </div>

It is no quotation, so it is no `<blockquote>`. It is a `<div>`, not an `<aside>`: some reading
systems hide asides or show them as pop-ups (they are how footnotes are marked), and the print
edition's page mending opens a chapter's rest inside a `div` (print/spreads.py). Its role says
what it is to assistive technology: a tip is DPUB-ARIA's `doc-tip`, the three that must not be
skipped are `doc-notice`, and a plain note is ARIA's `note`. The label is text in both
editions, so nothing depends on colour or on a style sheet.

As GitHub and mdBook (pulldown-cmark) read them: the kind is written in any case (`[!note]`);
spaces may follow it, nothing else (`> [!NOTE] Title` stays a quotation: mdBook has no
titles); an unknown kind (`[!FOO]`) leaves an ordinary quotation; a marker alone makes an
admonition of its label alone; a quotation inside one may be an admonition of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from octavo.book.config import Config

ADMONITION = "admonition"  # the class of every admonition; its kind is its second class
LABEL = "admonition-label"
# kind → role: a tip helps, the three warnings must not be skipped, a note is a note
ROLES = {
    "note": "note",
    "tip": "doc-tip",
    "important": "doc-notice",
    "warning": "doc-notice",
    "caution": "doc-notice",
}
_KINDS = "|".join(ROLES)
_MARKER = re.compile(rf"\[!({_KINDS})\][ \t]*", re.IGNORECASE)


def _kind(tokens: Sequence[Token], i: int) -> str | None:
    """The kind of the admonition a `blockquote_open` at `i` opens, or None: its first
    paragraph's first line is the marker and nothing else."""
    if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
        return None
    first_line = tokens[i + 2].content.split("\n", 1)[0]
    found = _MARKER.fullmatch(first_line)
    return found[1].lower() if found else None


def _close_of(tokens: Sequence[Token], i: int) -> int:
    """The `blockquote_close` that closes the quote opened at `i`."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(tokens[j].type, 0)
        if depth == 0:
            return j
    raise AssertionError("markdown-it closes every block quote")


def _drop_marker(tokens: list[Token], i: int) -> None:
    """Take the marker's line out of the first paragraph, or the paragraph out if that was all.
    The paragraph then begins a line later in the file: the linter finds its words there."""
    paragraph, inline = tokens[i + 1], tokens[i + 2]
    rest = inline.content.partition("\n")[2]
    if not rest.strip():
        del tokens[i + 1 : i + 4]  # paragraph_open, inline, paragraph_close
        return
    inline.content = rest
    for token in (paragraph, inline):
        if token.map:
            token.map = [token.map[0] + 1, token.map[1]]


def _open(quote: Token, kind: str, label: str) -> list[Token]:
    quote.type, quote.tag = "admonition_open", "div"
    quote.attrSet("class", f"{ADMONITION} {kind}")
    quote.attrSet("role", ROLES[kind])
    title = Token("admonition_label", "p", 0, content=label, level=quote.level + 1, block=True)
    return [quote, title]


def _admonitions(state: StateCore, config: Config) -> None:
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        kind = _kind(tokens, i) if tokens[i].type == "blockquote_open" else None
        if kind is not None:
            close = tokens[_close_of(tokens, i)]
            close.type, close.tag = "admonition_close", "div"
            _drop_marker(tokens, i)
            tokens[i : i + 1] = _open(tokens[i], kind, config.label(kind))
        i += 1


def _render_label(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<p class="{LABEL}">{escapeHtml(tokens[idx].content)}</p>\n'


def admonitions_plugin(md: MarkdownIt, config: Config) -> None:
    """Register the rule: after the blocks are read, before their inline text is (so the marker
    is never read as a link), with the label in `config`'s language."""
    md.core.ruler.after("block", "octavo_admonitions", lambda state: _admonitions(state, config))
    md.add_render_rule("admonition_label", _render_label)
