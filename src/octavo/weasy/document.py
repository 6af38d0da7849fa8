"""WeasyPrint, set up once for every document octavo lays out: the print interior, the
paperback cover and the EPUB's typographic cover.

Every document gets the same URL fetcher (files inside the allowed folders only, never the
network: fetcher.py), its own font configuration (the theme's @font-face rules), and is written
with the font patches in force (patches.py); an element's first line is styled as such on
its first page only (first_line.py), and a run of text that fits on its line but for its
trailing space is kept whole, not broken in its first word (trailing_space.py). WeasyPrint's
log is quieted: it names every refused or missing resource, which octavo reports itself, in
its own words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.weasy import first_line, notdef, patches, trailing_space
from octavo.weasy.fetcher import BookFetcher


class Session:
    """A document's style sheets parsed once, its fonts loaded once, for as many layouts of
    HTML in that style as wanted: the print interior, then the second pass's small probes
    (print/repair.py), which must be set exactly as the book is. Sessions of one process with
    the same folders share their parsed sheets and fonts (see `_PARSED`)."""

    def __init__(
        self,
        sheets: Sequence[str],
        *,
        base: Path,
        css_base: Path,
        roots: Iterable[Path],
        aliases: Mapping[str, Path] | None = None,
        variant: str | None = None,
        images: dict[str, Any] | None = None,
    ) -> None:
        from weasyprint.text.fonts import FontConfiguration

        patches.check_version()
        quiet()
        roots = tuple(roots)
        self.base = base.resolve().as_uri() + "/"
        self.css_base = css_base.resolve().as_uri() + "/"
        self.variant = variant
        self.images = images  # decoded images, shared by documents given the same dict
        self.fetcher = BookFetcher(roots, aliases)
        key = (self.css_base, tuple(map(str, roots)), tuple(sorted((aliases or {}).items())))
        parsed = _PARSED.pop(key, None)
        if parsed is None:
            parsed = _Parsed(FontConfiguration(), {}, {})
        _PARSED[key] = parsed  # the most recent last
        while len(_PARSED) > _KEEP:
            del _PARSED[next(iter(_PARSED))]
        self._parsed = parsed
        self.fonts = parsed.fonts
        self.profiles = parsed.profiles  # filled by @color-profile, shared with the layout
        self.css = [self._sheet(s) for s in sheets]

    def _sheet(self, text: str) -> Any:
        from weasyprint import CSS

        found = self._parsed.css
        sheet = found.pop(text, None)
        if sheet is None:
            sheet = CSS(
                string=text,
                url_fetcher=self.fetcher,
                base_url=self.css_base,
                font_config=self.fonts,
                color_profiles=self.profiles,
            )
        found[text] = sheet  # the most recent last
        while len(found) > _KEEP_SHEETS:
            del found[next(iter(found))]
        return sheet

    def render(self, source: str, extra_css: str = "") -> Any:
        """Lay out an HTML document in the session's style (and a sheet of its own after)."""
        from weasyprint import HTML

        css = [*self.css, self._sheet(extra_css)] if extra_css else self.css
        html = HTML(string=source, base_url=self.base, url_fetcher=self.fetcher)
        with first_line.on_first_fragment_only(), trailing_space.left_out():
            return html.render(
                stylesheets=css,
                font_config=self.fonts,
                color_profiles=self.profiles,
                pdf_variant=self.variant,
                cache=self.images,
            )


def render(
    source: str,
    sheets: Sequence[str],
    *,
    base: Path,
    css_base: Path,
    roots: Iterable[Path],
    aliases: Mapping[str, Path] | None = None,
    variant: str | None = None,
    images: dict[str, Any] | None = None,
) -> Any:
    """Lay out an HTML document (a weasyprint Document): `base` resolves its relative URLs,
    `css_base` those of the style sheets; only files under `roots` (or named in `aliases`,
    URL → file) can be read. Documents given the same `images` dict decode each image once."""
    session = Session(
        sheets,
        base=base,
        css_base=css_base,
        roots=roots,
        aliases=aliases,
        variant=variant,
        images=images,
    )
    return session.render(source)


@dataclass(frozen=True)
class _Parsed:
    """Style sheets parsed, by their text, with the font configuration their @font-face rules
    filled (and the colour profiles their @color-profile rules named)."""

    fonts: Any
    profiles: dict[str, Any]
    css: dict[str, Any]


# Parsing the theme's sheets and loading its fonts costs ~40 ms a document, more than laying
# out a short one: a process that lays out many (the units of a book and the pieces of its
# frame, `octavo watch`) parses each sheet once. The last sheet of a unit or a frame piece
# differs from document to document (a page counter, a footnote counter) and is parsed alone.
# WeasyPrint lets documents share a FontConfiguration and reads, never changes, a parsed sheet.
_PARSED: dict[tuple[object, ...], _Parsed] = {}
_KEEP = 4  # sets of roots and aliases (books)
_KEEP_SHEETS = 512  # sheets of each


def quiet() -> None:
    """WeasyPrint's log names every refused or missing resource: octavo reports those itself."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def write_pdf(
    document: Any, sources: dict[str, patches.FontSource] | None = None, **options: Any
) -> bytes:
    """The document's PDF, its fonts embedded through HarfBuzz (patches.py); `sources`, when
    given, learns where each embedded font came from (print/subsets.py shares them). The
    characters no font had are left on the document as `octavo_tofu` (notdef.py)."""
    with patches.applied(sources), notdef.listening() as missing:
        data: bytes = document.write_pdf(**options)
    document.octavo_tofu = "".join(sorted(missing))
    return data
