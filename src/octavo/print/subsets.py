"""One font program per face in a book joined from units (join.py).

Each unit's PDF embeds its own subset of each face it uses: joined as they are, a novel of 61
chapters would carry 61 copies of its body face. But octavo subsets with the glyph ids kept
(weasy/patches.py, RETAIN_GIDS) and WeasyPrint maps glyphs to CIDs one to one
(CIDToGIDMap /Identity), so every content stream names glyphs by their id in the original font:
one subset of the original holding the glyphs of every unit serves them all, exactly as the
one subset of a book laid out whole does. The fonts' dictionaries (widths, /ToUnicode) stay
each unit's own; only the program is shared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from octavo.weasy.patches import FontSource, subset_glyphs


def originals(paths: Iterable[Path]) -> dict[str, bytes]:
    """SHA-256 → bytes of each font file the theme names (the originals of the subsets)."""
    found = {}
    for path in paths:
        data = path.read_bytes()
        found[hashlib.sha256(data).hexdigest()] = data
    return found


def _glyphs(widths: Any) -> set[int]:
    """The glyph ids a /W array gives widths for: `c [w1 w2 …]` or `c_first c_last w`."""
    import pikepdf

    out: set[int] = set()
    items = list(widths)
    i = 0
    while i + 1 < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            out.update(range(first, first + len(items[i + 1])))
            i += 2
        else:
            out.update(range(first, int(items[i + 1]) + 1))
            i += 3
    return out


def share(pdf: Any, sources: Mapping[str, FontSource], files: Mapping[str, bytes]) -> int:
    """Give every CID font of one face in `pdf` (a pikepdf Pdf) one subset holding all their
    glyphs, made again from the original; return how many faces were shared. A face whose
    original is not among `files` (a font of the machine that Pango fell back on) keeps its
    subsets."""
    import pikepdf
    import uharfbuzz as hb
    from pikepdf import Name

    groups: dict[str, list[Any]] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get(Name.Subtype) == Name.CIDFontType2:
            name = str(obj.get(Name.BaseFont, "")).lstrip("/")
            descriptor = obj.get(Name.FontDescriptor)
            if name in sources and descriptor is not None and Name.FontFile2 in descriptor:
                groups.setdefault(name, []).append(obj)
    shared = 0
    for name, fonts in groups.items():
        source = sources[name]
        original = files.get(source.sha256)
        if original is None or len(fonts) < 2:
            continue
        glyphs = {0}
        for font in fonts:
            glyphs |= _glyphs(font.get(Name.W, pikepdf.Array()))
        face = hb.Face(original, source.index)
        data = subset_glyphs(face, glyphs, source.hinting, source.missing, source.pins)
        if data is None:
            continue
        stream = pdf.make_stream(data)
        stream.Length1 = len(data)
        for font in fonts:
            font.FontDescriptor.FontFile2 = stream
        shared += 1
    return shared
