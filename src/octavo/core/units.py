"""Lengths in PostScript points (1 pt = 1/72 in), from what an author writes: '3mm', '0.5in'."""

from __future__ import annotations

import re

PT_PER_UNIT = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "px": 0.75}


def parse_length(text: str) -> float:
    """'0.125in', '3mm', '9pt' → points; ValueError if not a length with a unit."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(pt|in|mm|cm|px)\s*", text.lower())
    if not match:
        raise ValueError(text)
    return float(match[1]) * PT_PER_UNIT[match[2]]
