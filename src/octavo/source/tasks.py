"""Task lists, as GitHub and mdBook write them: a list item that opens with `[ ]` (to do) or
`[x]` (done) is set with a box in place of its bullet, empty or ticked::

    - [x] Fold every sheet along the grain
    - [ ] Mark the sewing stations

A book has nothing to tick, so no form control (`<input>`) is written: the box is an empty
`<span class="task-box">` the theme's CSS draws (base.css, `--- task lists ---`), in both
editions alike, with no glyph a text face may lack. To assistive technology it is a checkbox
that cannot be changed (`role="checkbox"`, `aria-checked`, `aria-disabled`) named by the item's
text (`aria-labelledby`), so a screen reader says "checked" or "not checked" in the reader's own
language. The item is `<li class="task">`; its text is `<span class="task-text" id="…">`.

The `[x] ` is taken out of the inline token's content as well as its children, so that the
linter (check/prose.py), which reads the same tokens, sees the item's words and not the mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from octavo.source import links

TASK = "task"  # the class of an item that is a task
# GitHub's rule: a space, `x` or `X` in brackets, then white space and the item's text.
_MARK = re.compile(r"\[([ xX])\][ \t]+(?=\S)")


def _mark(inline: Token) -> re.Match[str] | None:
    """The task mark that opens an item's first paragraph, if its first child holds it whole."""
    children = inline.children or []
    if not children or children[0].type != "text":
        return None
    found = _MARK.match(inline.content)
    return found if found and children[0].content.startswith(found.group()) else None


def _is_item_start(tokens: Sequence[Token], i: int) -> bool:
    return (
        i >= 2
        and tokens[i].type == "inline"
        and tokens[i - 1].type == "paragraph_open"
        and tokens[i - 2].type == "list_item_open"
    )


def _tasks(state: StateCore) -> None:
    doc_id = state.env.get("docId", "doc") if isinstance(state.env, dict) else "doc"
    count = 0
    for i, inline in enumerate(state.tokens):
        found = _mark(inline) if _is_item_start(state.tokens, i) else None
        if found is None:
            continue
        count += 1
        ident = links.namespaced(doc_id, f"task-{count}")  # as the file's own ids are
        children = inline.children or []
        children[0].content = children[0].content[found.end() :]
        inline.content = inline.content[found.end() :]
        box = Token("task_box", "span", 0)
        box.meta = {"done": found.group(1) != " ", "label": ident}
        label = Token("task_text_open", "span", 1)
        label.meta = {"label": ident}
        inline.children = [box, label, *children, Token("task_text_close", "span", -1)]
        state.tokens[i - 2].attrJoin("class", TASK)


def _render_box(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    checked = "true" if meta["done"] else "false"
    return (
        f'<span class="task-box" role="checkbox" aria-checked="{checked}" '
        f'aria-disabled="true" aria-labelledby="{meta["label"]}"></span>'
    )


def _render_text_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<span class="task-text" id="{tokens[idx].meta["label"]}">'


def tasks_plugin(md: MarkdownIt) -> None:
    """Find the tasks once the inline content is parsed, before typography reads the text."""
    md.core.ruler.after("inline", "octavo_tasks", _tasks)
    md.add_render_rule("task_box", _render_box)
    md.add_render_rule("task_text_open", _render_text_open)
    md.add_render_rule("task_text_close", lambda *_: "</span>")
