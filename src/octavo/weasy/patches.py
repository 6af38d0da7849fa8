"""Faster font embedding: subset and instance each font with HarfBuzz (from the `uharfbuzz`
wheel) instead of fontTools.

WeasyPrint embeds every font it used as a subset; our fonts are variable, so it then makes a
static instance of each subset. Without Debian's `libharfbuzz-subset0` (which a pip install
cannot bring) it does both with fontTools, which costs ~1.5 s per face: fontTools ≥ 4.60 first
decompiles GSUB, GPOS and GDEF in full only to drop them, and the instancer walks all ~8,600
glyphs of EB Garamond even when a subset keeps 200. HarfBuzz's subsetter does the same job —
keep the glyph ids, drop the layout tables, pin every axis — in milliseconds.

Two patches, in force only while octavo writes one of its own PDFs (`applied()`), so that any
other document laid out in the same process gets WeasyPrint as it is:
- `Font.clean` goes through HarfBuzz for the plain case (outline fonts without colour glyphs);
  anything else, or any HarfBuzz failure, takes WeasyPrint's own path.
- fontTools' subsetter drops the tables it is asked to drop *before* subsetting (the same
  result without reading them), for whatever still takes that path.

Both reach into WeasyPrint's and fontTools' internals, so they are guarded by the WeasyPrint
major version they were written for: on another one, octavo stops with a clear message rather
than subset fonts wrongly.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from octavo.core.errors import OctavoError

WRITTEN_FOR = "70"  # WeasyPrint's major version; pyproject.toml pins the same range

# the tables WeasyPrint's own HarfBuzz path drops: a PDF needs outlines and metrics only
_DROP = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def check_version() -> None:
    """Stop on a WeasyPrint whose internals the patches were not written for."""
    import weasyprint

    major = str(weasyprint.__version__).split(".")[0]
    if major != WRITTEN_FOR:
        raise OctavoError(
            f"octavo needs WeasyPrint {WRITTEN_FOR}.x, but {weasyprint.__version__} is installed: "
            f"pip install 'weasyprint>={WRITTEN_FOR},<{int(WRITTEN_FOR) + 1}'"
        )


@dataclass(frozen=True)
class FontSource:
    """Where an embedded subset came from, enough to make it again with other glyphs: the
    SHA-256 of the original font file, the face in it and how it was subset. Subsets keep
    their glyph ids, so one subset holding the glyphs of several documents can serve them all
    (print/subsets.py does, for the units of a book)."""

    sha256: str
    index: int
    hinting: bool
    missing: bool
    pins: dict[str, float]


@contextlib.contextmanager
def applied(sources: dict[str, FontSource] | None = None) -> Iterator[None]:
    """Font embedding through HarfBuzz for the PDFs written inside this block only; `sources`
    learns, by PDF font name, where each subset HarfBuzz made came from."""
    check_version()
    from fontTools import subset
    from weasyprint.pdf import fonts

    original_clean = fonts.Font.clean
    original_subset = subset.Subsetter.subset

    def clean(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if to_unicode and not (self.png or self.svg or self.colr):
            original = self.file_content
            content = harfbuzz_subset(self, to_unicode, hinting)
            if content:
                if sources is not None:
                    sources[self.name.decode().lstrip("/")] = _source(self, original, hinting)
                self.file_content = content
                return
        original_clean(self, to_unicode, hinting)

    def subset_without_reading_dropped_tables(self: Any, font: Any) -> Any:
        for tag in self.options.drop_tables:
            if tag in font and tag not in {"cmap", "glyf", "loca", "head", "maxp"}:
                del font[tag]
        return original_subset(self, font)

    fonts.Font.clean = clean
    subset.Subsetter.subset = subset_without_reading_dropped_tables
    try:
        yield
    finally:
        fonts.Font.clean = original_clean
        subset.Subsetter.subset = original_subset


def axis_locations(font: Any, axes: dict[str, tuple[float, float, float]]) -> dict[str, float]:
    """Where each axis is pinned: WeasyPrint's own rules (fonts.py), every axis pinned."""
    wanted = dict(font.variations)
    if "wght" in axes:
        wanted.setdefault("wght", font.weight)
    if "opsz" in axes:
        wanted.setdefault("opsz", font.font_size)
    if "slnt" in axes and "slnt" not in wanted:
        low, _, high = axes["slnt"]
        wanted["slnt"] = (low if high == 0 else high) if font.style == 1 else 0
    if "ital" in axes:
        wanted.setdefault("ital", int(font.style == 2))
    pinned = {}
    for tag, (low, default, high) in axes.items():
        pinned[tag] = min(max(float(wanted.get(tag, default)), low), high)
    return pinned


def _axes(face: Any) -> dict[str, tuple[float, float, float]]:
    return {a.tag: (a.min_value, a.default_value, a.max_value) for a in face.axis_infos}


def _source(font: Any, original: bytes, hinting: bool) -> FontSource:
    import uharfbuzz as hb

    pins = axis_locations(font, _axes(hb.Face(original, font.index)))
    digest = hashlib.sha256(original).hexdigest()
    return FontSource(digest, int(font.index), hinting, bool(font.missing), pins)


def harfbuzz_subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> bytes | None:
    """The used glyphs of `font` (ids kept), as a static font; None if HarfBuzz declines."""
    import uharfbuzz as hb

    face = hb.Face(font.file_content, font.index)
    pins = axis_locations(font, _axes(face))
    return subset_glyphs(face, set(to_unicode), hinting, bool(font.missing), pins)


def subset_glyphs(
    face: Any, glyphs: set[int], hinting: bool, missing: bool, pins: dict[str, float]
) -> bytes | None:
    """These glyphs of a HarfBuzz face (ids kept, layout tables dropped), as a static font
    with every axis pinned; None if HarfBuzz declines."""
    import uharfbuzz as hb

    request = hb.SubsetInput()
    request.glyph_set.update(glyphs)
    flags = (
        hb.SubsetFlags.RETAIN_GIDS
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.DESUBROUTINIZE
    )
    if not hinting:
        flags |= hb.SubsetFlags.NO_HINTING
    if missing:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    request.flags = flags
    drop = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in _DROP:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    for tag, value in pins.items():
        if not request.pin_axis_location(face, tag, value):
            return None
    try:
        subset = hb.subset(face, request)
    except Exception:  # uharfbuzz raises a bare error when the subset fails
        return None
    data = bytes(subset.blob.data) if subset is not None else b""
    return data or None
