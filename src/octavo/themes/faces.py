"""A font face: one file of a family, with the style and weights it draws."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    style: str  # normal | italic
    weight: str  # "400" or a variable range "400 800"
