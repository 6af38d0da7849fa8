"""The EPUB Accessibility 1.1 metadata, derived from what the finished documents hold — never
claimed blindly (the findings made while parsing are source/audit.py's).

A claim of conformance (`dcterms:conformsTo`) is made only when the audit finds nothing that
would break it: every image has a text alternative or is marked decorative, every link has
text, no image moves or flashes, and every document declares its language (octavo writes
`lang` on each one itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
    images = described = decorative = unnamed = 0
    for tree in trees:
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
        moving_images=sum(_moves(a) for a in assets),
        page_list=page_list,
        page_source=page_source,
    )


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
        source = f" ({result.page_source})" if result.page_source else ""
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
