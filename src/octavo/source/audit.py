"""Accessibility findings made while parsing: an image without a text alternative (S004).
The EPUB's accessibility metadata is derived later from the finished documents (epub/a11y.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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
