"""Superiors and inferiors as Pandoc writes them: `2^10^` and `1^st^` are superscript
(`<sup>`), `H~2~O` is subscript (`<sub>`).

mdit-py-plugins has both rules (ports of markdown-it-sup and markdown-it-sub), and they follow
Pandoc: the text between the marks may not hold a space or a line break unless escaped
(`P~a\\ cat~`), nor be empty, so a lone `~` or `^`, "about ~5 or ~6 minutes" and "a~b c~d"
stay text. Strikethrough (`~~struck~~`, markup.py enables markdown-it's rule, which runs before
them) takes the doubled tildes first; a run of two or more carets, and of tildes strikethrough
leaves (a lone `~~`), is taken as text before either rule sees it, or `^^x^^` would come out as
a caret, a superscript and a caret. Footnote references (`[^1]`) are read at their `[`, before
the caret rule.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

_MARKS = "~^"


def _doubled_marks(state: StateInline, silent: bool) -> bool:
    """A run of two or more `~` (or `^`) is text: no superior or inferior begins inside it."""
    start = state.pos
    mark = state.src[start]
    if mark not in _MARKS or state.src[start + 1 : start + 2] != mark:
        return False
    end = start
    while end < state.posMax and state.src[end] == mark:
        end += 1
    if not silent:
        state.pending += state.src[start:end]
    state.pos = end
    return True


def superiors_plugin(md: MarkdownIt) -> None:
    md.use(sub_plugin).use(superscript_plugin)
    # both rules sit after emphasis; the doubled marks go before them
    md.inline.ruler.after("emphasis", "octavo_doubled_marks", _doubled_marks)
