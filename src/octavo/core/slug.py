"""File names and ids that every reading system and EPUBCheck accept, and that stay readable in
any script: letters are transliterated to ASCII (anyascii, ISC licence: Latin diacritics,
Cyrillic, Greek, Hebrew, Arabic, CJK…) rather than dropped."""

from __future__ import annotations

import re

from anyascii import anyascii

# Apostrophes join a word: "Don’t" is "dont", not "don-t".
_APOSTROPHES = re.compile("['’ʼ`´]")


def slugify(text: str) -> str:
    """'Chapter 1: The Storm' → 'chapter-1-the-storm'; 'Die Salzstraße' → 'die-salzstrasse';
    'Преступление' → 'prestuplenie' (ASCII letters, digits and hyphens)."""
    ascii_text = anyascii(_APOSTROPHES.sub("", text))
    return re.sub(r"[^a-z0-9]+", "-", _APOSTROPHES.sub("", ascii_text).lower()).strip("-")
