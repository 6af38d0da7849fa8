"""Characters a theme's face lacks, set as their standard equivalents.

Literata and Crimson Pro have no 2-em dash (⸺) nor 3-em dash (⸻), and the code faces have
neither; a missing glyph prints as an empty box (no font on the machine has these two) or in a
foreign fallback face. A typesetter sets a 2-em dash as two em dashes set solid, so where the
face lacks the character and has the em dash, the book gets the em dashes, joined: the hair a
face leaves on either side of its em dash (Literata 0.03 em) is taken out with letter-spacing
on all but the last. The substitute keeps the original character in a `title`, so the meaning
is one query away for assistive technology; the text itself reads as dashes.

The other entries are Unicode's own compatibility equivalents (NFKC) of characters a built-in
face lacks: the ff, ffi, ffl ligatures (Literata, Crimson Pro, the code faces: the face's own
`liga` feature forms them again from the letters) and the one- and two-dot leaders.

Only the rendered HTML changes: the token stream keeps the manuscript's characters, so the
linter (check/fonts.py, F001) and the page-quality report see what the author wrote, and F001
asks `substitute()` whether a character will print as its equivalent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from octavo import themes
from octavo.book.config import Config
from octavo.core.errors import ConfigError
from octavo.themes import Theme, fonts
from octavo.themes.design import Design
from octavo.themes.faces import FontFace

EM_DASH = "\u2014"

# The one table: character → its standard equivalent.
EQUIVALENTS: dict[str, str] = {
    "\u2e3a": EM_DASH * 2,  # ⸺ two-em dash: two em dashes set solid
    "\u2e3b": EM_DASH * 3,  # ⸻ three-em dash
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\u2024": ".",  # one dot leader
    "\u2025": "..",  # two dot leader
}
_CANDIDATES = re.compile(f"[{''.join(EQUIVALENTS)}]")
_TAG = re.compile(r"(<[^>]*>)")  # markdown-it escapes `<` in text, so a `<` opens a tag
_BLOCK = "display: inline-block; text-indent: 0"
_CODE_TAG = re.compile(r"<(/?)code[\s>]")


def substitute(char: str, glyphs: frozenset[int]) -> str | None:
    """What `char` prints as in a face that draws `glyphs`: None when the face has it (or has
    no glyph set: a theme without a code face leaves code to the CSS), or when its equivalent
    is no better off."""
    equivalent = EQUIVALENTS.get(char)
    if equivalent is None or not glyphs or ord(char) in glyphs:
        return None
    return equivalent if all(ord(c) in glyphs for c in equivalent) else None


def _upright(faces: Sequence[FontFace]) -> list[FontFace]:
    """The upright faces, or all when none is (italic faces cover the same set in the fonts
    octavo ships; the upright ones set nearly all of a book)."""
    return [f for f in faces if f.style == "normal"] or list(faces)


def text_glyphs(theme: Theme) -> frozenset[int]:
    """Characters the theme's text face can draw."""
    return fonts.coverage(_upright(theme.faces))


def code_glyphs(theme: Theme) -> frozenset[int]:
    """Characters the theme's code face can draw (none: the theme has no code face)."""
    return fonts.coverage(_upright(theme.code_faces))


@dataclass(frozen=True)
class Face:
    """What substituting needs of one face: its glyphs and the white between two em dashes."""

    glyphs: frozenset[int]
    dash_gap: float = 0.0  # ems

    def replace(self, text: str) -> str:
        """`text` (HTML-escaped text, no tags) with the characters the face lacks replaced."""
        if not self.glyphs or not _CANDIDATES.search(text):
            return text
        return _CANDIDATES.sub(self._one, text)

    def _one(self, match: re.Match[str]) -> str:
        char = match[0]
        equivalent = substitute(char, self.glyphs)
        if equivalent is None:
            return char
        if not equivalent.startswith(EM_DASH):
            return equivalent
        joined = f'<span style="letter-spacing: {-self.dash_gap:.3f}em">{equivalent[:-1]}</span>'
        if self.dash_gap <= 0:  # the dashes touch (or overlap) already
            joined = equivalent[:-1]
        # An inline block, because WeasyPrint gives every inline box of a `::first-line` that
        # line's letter-spacing (the opening's tracked small caps), the span's own included,
        # and opened a gap between the dashes there; it does not reach into an inline block.
        # The paragraph's indent must not reach in either.
        return f'<span class="dashes" title="{char}" style="{_BLOCK}">{joined}{EM_DASH}</span>'

    def replace_html(self, html: str) -> str:
        """The text inside `html`'s `<code>` elements replaced; a listing's caption (set in
        the text face, and replaced as text already) and attributes are left alone."""
        if not self.glyphs or not _CANDIDATES.search(html):
            return html
        out, depth = [], 0
        for piece in _TAG.split(html):
            if piece.startswith("<"):
                name = _CODE_TAG.match(piece)
                if name:
                    depth += -1 if name[1] else 1
                out.append(piece)
            else:
                out.append(self.replace(piece) if depth > 0 else piece)
        return "".join(out)


def _face(faces: Sequence[FontFace]) -> Face:
    upright = _upright(faces)
    if not upright:
        return Face(frozenset())
    return Face(fonts.coverage(upright), fonts.gap_between(upright[0].path, EM_DASH))


@lru_cache(maxsize=8)
def _faces(theme: str, root: Path | None, design: Design | None) -> tuple[Face, Face]:
    try:
        loaded = themes.load(theme, root, design)
    except ConfigError:  # the build stops on it before parsing; `octavo check` reports it
        return Face(frozenset()), Face(frozenset())
    return _face(loaded.faces), _face(loaded.code_faces)


_CODE_RULES = ("code_inline", "fence", "code_block")


def _wrapped(rule: Callable[..., str], change: Callable[[str], str]) -> Callable[..., str]:
    def render(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return change(rule(tokens, idx, options, env))

    return render


def equivalents_plugin(md: MarkdownIt, config: Config) -> None:
    """Text set in the theme's text face, and code in its code face, with the characters each
    lacks rendered as their equivalents. Used after the plugins that render code."""
    text, code = _faces(config.theme, config.root, config.design)
    rules: dict[str, Callable[..., str]] = md.renderer.rules  # type: ignore[attr-defined]
    if text.glyphs:
        rules["text"] = _wrapped(rules["text"], text.replace)
    if code.glyphs:
        for name in _CODE_RULES:
            rules[name] = _wrapped(rules[name], code.replace_html)
