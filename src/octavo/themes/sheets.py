"""A book's own style sheets, kept inside the book folder.

A book's own CSS (`styles/*.css`, or a theme folder of its own) goes into the EPUB as written
and into WeasyPrint, so an `@import` or `url()` there could make a reading system fetch from
the network or ship a file from elsewhere on the disk. The rule is the one images follow:
anything remote (`http:`, `file:`, an absolute path) or leaving the book folder (`../`, a
symlink) is refused with a warning (H004) and removed; the rest of the sheet is kept.
Built-in themes are trusted and read as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError
from octavo.core.text import decode

CSS_PARTS = ("base.css", "epub.css", "print.css")


def builtin_styles_dir() -> Path:
    package = Path(__file__).resolve().parents[1]  # src/octavo, or octavo/ in a wheel
    packaged = package / "styles"
    return packaged if packaged.is_dir() else package.parents[1] / "styles"


def _builtin(path: Path) -> bool:
    return path.absolute().is_relative_to(builtin_styles_dir().absolute())


def refused_url(url: str, base: Path, root: Path) -> str | None:
    """Why a URL in a style sheet at `base` may not be used, or None if it names a file
    inside the book (or is a data: URL, which fetches nothing)."""
    parsed = urlparse(url.strip())
    if parsed.scheme == "data":
        return None
    if parsed.scheme in {"http", "https", "ftp"} or parsed.netloc or url.strip().startswith("//"):
        return f"'{url}' is remote; octavo never fetches from the network"
    if parsed.scheme:
        return f"'{url}' is a '{parsed.scheme}:' URL, not a file in the book"
    if parsed.path.startswith("/"):
        return f"'{url}' is an absolute path, outside the book"
    if not (base / unquote(parsed.path)).resolve().is_relative_to(root.resolve()):
        return f"'{url}' lies outside the book folder"
    return None


def _urls(tokens: Sequence[Any]) -> Iterator[str]:
    """Every URL in CSS component values: url(), src(), image-set() strings, nested too.
    tinycss2 has already undone escapes such as `\\75 rl(`."""
    for token in tokens:
        if token.type == "url":
            yield token.value
        elif token.type == "function":
            if token.lower_name in {"url", "src", "image-set", "-webkit-image-set"}:
                yield from (t.value for t in token.arguments if t.type == "string")
            yield from _urls(token.arguments)
        elif token.type in {"() block", "[] block", "{} block"}:
            yield from _urls(token.content)


class _Cleaner:
    def __init__(self, path: Path, root: Path) -> None:
        self.path, self.root = path, root
        self.refused: list[str] = []

    def _refused(self, tokens: Sequence[Any]) -> bool:
        reasons = [r for u in _urls(tokens) if (r := refused_url(u, self.path.parent, self.root))]
        self.refused += reasons
        return bool(reasons)

    def nodes(self, nodes: Sequence[Any]) -> str:
        import tinycss2

        out: list[str] = []
        for node in nodes:
            if node.type == "error":
                continue
            if node.type == "declaration":
                if not self._refused(node.value):
                    out.append(node.serialize() + ";")
            elif node.type == "at-rule" and node.lower_at_keyword == "import":
                # @import "x.css" names its URL with a plain string
                strings = [t.value for t in node.prelude if t.type == "string"]
                if not self._refused(node.prelude) and not any(
                    self._refused_string(s) for s in strings
                ):
                    out.append(node.serialize())
            elif node.type in {"at-rule", "qualified-rule"} and node.content is not None:
                head = f"@{node.at_keyword}" if node.type == "at-rule" else ""
                body = self.nodes(tinycss2.parse_blocks_contents(node.content))
                out.append(f"{head}{tinycss2.serialize(node.prelude)}{{{body}}}")
            else:
                out.append(node.serialize())
        return "".join(out)

    def _refused_string(self, url: str) -> bool:
        reason = refused_url(url, self.path.parent, self.root)
        if reason:
            self.refused.append(reason)
        return reason is not None


def _warning(path: Path, message: str) -> Diagnostic:
    return codes.get("H004").at(path, None, None, message)


def style_sheet(path: Path, root: Path | None) -> tuple[str, tuple[Diagnostic, ...]]:
    """The text of one style sheet of the theme, with whatever reaches outside the book
    removed, and a warning for each thing removed. Built-in sheets are returned as they are."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read this style sheet: {exc.strerror}", path) from None
    text = decode(raw, path)
    if root is None or _builtin(path):
        return text, ()
    if not path.resolve().is_relative_to(root.resolve()):
        return "", (_warning(path, "the style sheet lies outside the book folder"),)
    import tinycss2

    cleaner = _Cleaner(path, root)
    cleaned = cleaner.nodes(tinycss2.parse_stylesheet(text))
    if not cleaner.refused:
        return text, ()  # nothing to remove: keep the author's sheet byte for byte
    warnings = tuple(_warning(path, f"{r}; removed from the style sheet") for r in cleaner.refused)
    return cleaned, warnings
