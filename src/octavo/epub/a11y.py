"""The EPUB Accessibility 1.1 metadata, derived from what the finished documents hold — never
claimed blindly (the findings made while parsing are source/audit.py's).

A claim of conformance (`dcterms:conformsTo`) is made only when the audit finds nothing that
would break it: every image has a text alternative or is marked decorative, every link has
text, no image moves or flashes, and every document declares its language (octavo writes
`lang` on each one itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from octavo.book.model import Asset
from octavo.source.audit import DECORATIVE

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


# --- Auditing the finished EPUB documents -------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """What the EPUB's documents hold, as far as accessibility claims depend on it."""

    images: int = 0  # meaningful images (the cover included)
    described: int = 0  # … of which have alt text
    decorative: int = 0
    unnamed_links: int = 0
    faint_text: int = 0  # elements whose own colour contrasts too little with their ground
    moving_images: int = 0
    page_list: bool = False
    page_source: str | None = None

    @property
    def problems(self) -> tuple[str, ...]:
        found = []
        if self.described < self.images:
            found.append(f"{self.images - self.described} image(s) without alt text")
        if self.unnamed_links:
            found.append(f"{self.unnamed_links} link(s) without text")
        if self.faint_text:
            found.append(f"{self.faint_text} passage(s) coloured with too little contrast")
        if self.moving_images:
            found.append(f"{self.moving_images} animated image(s) (flashing not checked)")
        return tuple(found)

    @property
    def conforms(self) -> bool:
        return not self.problems


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def audit(
    trees: Iterable[etree._Element],
    assets: Iterable[Asset],
    page_list: bool,
    page_source: str | None,
) -> Audit:
    images = described = decorative = unnamed = faint = 0
    for tree in trees:
        faint += sum(1 for el in tree.iter() if _too_faint(el))
        for el in tree.iter():
            tag = _local(el.tag)
            if tag == "img":
                if DECORATIVE in (el.get("class") or "").split() and not el.get("alt"):
                    decorative += 1
                    continue
                images += 1
                described += bool((el.get("alt") or "").strip())
            elif tag == "a" and el.get("href") is not None:
                label = "".join(str(t) for t in el.itertext()).strip() or el.get("aria-label")
                unnamed += not label
    return Audit(
        images=images,
        described=described,
        decorative=decorative,
        unnamed_links=unnamed,
        faint_text=faint,
        moving_images=sum(_moves(a) for a in assets),
        page_list=page_list,
        page_source=page_source,
    )


MIN_CONTRAST = 4.5  # WCAG 2.2 AA for body text (1.4.3)
_STYLE_COLOUR = re.compile(r"(?:^|;)\s*(background-color|color)\s*:\s*([^;]+)", re.IGNORECASE)


def _colours(element: Any) -> dict[str, str]:
    return {m[1].lower(): m[2].strip() for m in _STYLE_COLOUR.finditer(element.get("style") or "")}


def _luminance(colour: str) -> float | None:
    """WCAG's relative luminance of a CSS colour; None if it cannot be read."""
    from PIL import ImageColor

    try:
        rgb = ImageColor.getrgb(colour)[:3]
    except ValueError:
        return None
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ground(element: Any) -> float:
    """The luminance of the background an element is read on: the nearest background colour
    an author set (raw HTML `style`), else the white page reading systems show by default."""
    while element is not None:
        found = _luminance(_colours(element).get("background-color", ""))
        if found is not None:
            return found
        element = element.getparent()
    return 1.0


def _too_faint(element: Any) -> bool:
    """Whether an element with its own colour (an author's raw HTML) is hard to read."""
    text = _luminance(_colours(element).get("color", "")) if element.get("style") else None
    if text is None:
        return False
    ground = _ground(element)
    light, dark = max(text, ground), min(text, ground)
    return (light + 0.05) / (dark + 0.05) < MIN_CONTRAST


def _moves(asset: Asset) -> bool:
    """An animated GIF, WebP or PNG, or an SVG with animation: it might flash."""
    if asset.media_type == "image/svg+xml":
        text = asset.path.read_bytes()
        return b"<animate" in text or b"@keyframes" in text or b"<set" in text
    from PIL import Image

    try:
        with Image.open(asset.path) as image:
            return bool(getattr(image, "is_animated", False))
    except OSError:
        return False


def features(result: Audit) -> list[str]:
    found = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if result.images and result.described == result.images:
        found.append("alternativeText")
    if result.page_list:
        found += ["pageBreakMarkers", "pageNavigation"]
    return found


def summary(result: Audit) -> str:
    parts = []
    if result.conforms:
        parts.append(
            "This publication meets the requirements of EPUB Accessibility 1.1 "
            "and WCAG 2.2 Level AA."
        )
    else:
        parts.append(
            "This publication does not claim conformance to EPUB Accessibility 1.1: "
            + "; ".join(result.problems)
            + "."
        )
    parts.append("It has a table of contents, structured headings and a logical reading order.")
    if result.images:
        parts.append(
            "Every image has a text description."
            if result.described == result.images
            else "Some images lack a text description."
        )
    if result.page_list:
        source = result.page_source or ""
        source = f" ({source.replace('urn:isbn:', 'ISBN ')})" if source else ""
        parts.append(
            f"Page numbers of the print edition{source} are marked in the text and can be "
            "navigated to."
        )
    if not result.moving_images:
        parts.append("It contains no flashing content, motion simulation or sound.")
    return " ".join(parts)


def metadata(result: Audit, certifier: str | None) -> list[tuple[str, str]]:
    """(property, value) pairs for `<meta property=…>` in the package document."""
    meta = [("schema:accessMode", "textual")]
    if result.images:
        meta.append(("schema:accessMode", "visual"))
    if result.described == result.images:
        meta.append(("schema:accessModeSufficient", "textual"))
    if result.images:
        meta.append(("schema:accessModeSufficient", "textual,visual"))
    meta += [("schema:accessibilityFeature", f) for f in features(result)]
    hazard = "unknown" if result.moving_images else "none"
    meta.append(("schema:accessibilityHazard", hazard))
    meta.append(("schema:accessibilitySummary", summary(result)))
    if result.conforms:
        meta.append(("dcterms:conformsTo", CONFORMANCE))
        if certifier:
            meta.append(("a11y:certifiedBy", certifier))
    return meta
