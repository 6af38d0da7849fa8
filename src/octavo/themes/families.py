"""The font families installed as Python packages: every distribution named `fontpkg-*`
(about 200 OFL families on PyPI: `pip install fontpkg-crimson-pro`) holds its font files in
`<module>.ROOT / "files"` and describes them in `metadata.json` (family, category, each file's
style and weight, the variable axes). `octavo fonts` lists them; `[design] font` and
`code_font` in book.toml name one."""

from __future__ import annotations

import difflib
import importlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from octavo.themes.faces import FontFace

PREFIX = "fontpkg-"
CATEGORIES = {
    "SERIF": "serif",
    "SANS_SERIF": "sans-serif",
    "MONOSPACE": "monospace",
    "DISPLAY": "display",
    "HANDWRITING": "handwriting",
}


@dataclass(frozen=True)
class Family:
    """An installed font family: its name as CSS names it, the package it came from, its kind
    (serif, sans-serif, monospace…) and its faces (a variable face covers a weight range)."""

    name: str
    package: str
    category: str
    faces: tuple[FontFace, ...]

    @property
    def styles(self) -> str:
        return " and ".join(sorted({f.style for f in self.faces}, key=("normal", "italic").index))


def _weight(spec: dict[str, Any], axes: list[dict[str, Any]]) -> str:
    if spec.get("variable"):
        wght = next((a for a in axes if a.get("tag") == "wght"), None)
        if wght is not None:
            return f"{int(wght['min'])} {int(wght['max'])}"
    return str(spec.get("weight") or 400)


def _family(package: str) -> Family | None:
    """The family a fontpkg distribution installs, or None if it is not one (the `fontpkg`
    helper itself) or cannot be read."""
    try:
        module = importlib.import_module(package.replace("-", "_"))
        root = Path(module.ROOT)
        meta = json.loads((root / "metadata.json").read_text("utf-8"))
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    name = str(meta.get("family") or getattr(module, "FAMILY", ""))
    styles = {"normal", "italic"}
    faces = tuple(
        FontFace(name, root / f["path"], f.get("style", "normal"), _weight(f, meta.get("axes", [])))
        for f in meta.get("files", [])
        if f.get("style", "normal") in styles and (root / f["path"]).is_file()
    )
    category = next(iter(meta.get("category") or ["SERIF"]), "SERIF")
    return Family(name, package, CATEGORIES.get(category, "serif"), faces) if faces else None


@lru_cache(maxsize=1)
def installed() -> dict[str, Family]:
    """Every installed fontpkg family, by its name."""
    found: dict[str, Family] = {}
    for dist in metadata.distributions():
        package = str(dist.metadata["Name"] or "").lower()
        if package.startswith(PREFIX) and (family := _family(package)):
            found.setdefault(family.name, family)
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def find(name: str) -> Family | None:
    """The installed family named so, spaces, case and hyphens aside: 'crimson-pro' finds
    'Crimson Pro', and so does the package's name 'fontpkg-crimson-pro'."""
    wanted = _key(name.removeprefix(PREFIX))
    return next((f for f in installed().values() if _key(f.name) == wanted), None)


def suggestion(name: str) -> str:
    """What to say about a family that is not installed: the closest installed name, or how
    to install one."""
    known = list(installed())
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    package = PREFIX + "-".join(name.lower().split())
    if close:
        return f"did you mean '{close[0]}'? (`octavo fonts` lists the installed families)"
    return f"install it with `pip install {package}`, or see `octavo fonts` for the installed ones"
