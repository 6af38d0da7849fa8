"""WeasyPrint, set up once for every document octavo lays out: the print interior, the
paperback cover and the EPUB's typographic cover.

Every document gets the same URL fetcher (files inside the allowed folders only, never the
network: fetcher.py), its own font configuration (the theme's @font-face rules), and is written
with the font patches in force (patches.py); an element's first line is styled as such on
its first page only (first_line.py). WeasyPrint's log is quieted: it names every refused
or missing resource, which octavo reports itself, in its own words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from octavo.weasy import first_line, notdef, patches
from octavo.weasy.fetcher import BookFetcher


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
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    patches.check_version()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = BookFetcher(roots, aliases)
    fonts = FontConfiguration()
    profiles: dict[str, Any] = {}  # filled by @color-profile, shared with the rendering
    css = [
        CSS(
            string=s,
            url_fetcher=fetcher,
            base_url=css_base.resolve().as_uri() + "/",
            font_config=fonts,
            color_profiles=profiles,
        )
        for s in sheets
    ]
    html = HTML(string=source, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
    with first_line.on_first_fragment_only():
        return html.render(
            stylesheets=css,
            font_config=fonts,
            color_profiles=profiles,
            pdf_variant=variant,
            cache=images,
        )


def write_pdf(document: Any, **options: Any) -> bytes:
    """The document's PDF, its fonts embedded through HarfBuzz (patches.py). The characters no
    font had are left on the document as `octavo_tofu` (notdef.py)."""
    with patches.applied(), notdef.listening() as missing:
        data: bytes = document.write_pdf(**options)
    document.octavo_tofu = "".join(sorted(missing))
    return data
