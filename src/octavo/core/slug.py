"""File names and ids that every reading system and EPUBCheck accept."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """'Chapter 1: The Storm' → 'chapter-1-the-storm' (ASCII, no spaces)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
