"""Printer profiles: what KDP, IngramSpark and a home printer each want of a print PDF.

A profile turns the command line's wishes (bleed, crop marks, PDF/X) into `PrintOptions` the
printer accepts, and checks the laid-out book against the printer's limits (page count, trim
size), returning warnings rather than failing: the author decides. Figures as published by the
printers (see ../shared/TRAPS.md): KDP paperback 24–828 pages, trims 4–8.5 in wide and
6–11.69 in tall, margins ≥ 0.25 in (0.375 in with bleed), no crop marks, bookmarks or
annotations; IngramSpark margins ≥ 0.5 in, no marks, PDF/X-1a preferred, an even page count
whose last page is blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from octavo.book.config import Config
from octavo.book.paper import INCH, Size
from octavo.core import codes, scripts
from octavo.core.diagnostics import Diagnostic

MARK_ZONE = 0.375 * INCH  # room outside the bleed for crop marks

METRIC_BLEED = 3 * 72 / 25.4  # 3 mm
US_BLEED = 0.125 * INCH

_INGRAM_TRIMS = (
    (4, 6), (4.25, 7), (4.37, 7), (5, 7), (5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5),
    (5.83, 8.27), (6, 9), (6.14, 9.21), (6.69, 9.61), (6.93, 9.84), (7, 10), (7.44, 9.69),
    (7.5, 9.25), (8, 10), (8.25, 11), (8.27, 11.69), (8.5, 8.5), (8.5, 11),
)  # fmt: skip


@dataclass(frozen=True)
class Printer:
    name: str
    label: str
    min_pages: int
    max_pages: int
    min_margin: float  # points, without bleed
    min_margin_bleed: float  # points, with bleed
    crop_marks: bool  # may the PDF carry crop marks?
    bookmarks: bool
    links: bool
    blank_last_page: bool
    pdf_x: str | None  # the PDF/X the printer prefers, applied unless told otherwise

    def offers(self, trim: Size) -> bool:
        w, h = trim.width / INCH, trim.height / INCH
        if self.name == "kdp":
            return 4 - 0.01 <= w <= 8.5 + 0.01 and 6 - 0.01 <= h <= 11.69 + 0.01
        if self.name == "ingramspark":
            return any(abs(w - a) <= 0.03 and abs(h - b) <= 0.03 for a, b in _INGRAM_TRIMS)
        return True


PRINTERS: dict[str, Printer] = {
    p.name: p
    for p in (
        Printer("kdp", "Amazon KDP", 24, 828, 0.25 * INCH, 0.375 * INCH, False, False, False,
                False, None),
        Printer("ingramspark", "IngramSpark", 18, 1200, 0.5 * INCH, 0.5 * INCH, False, True,
                True, True, "1a"),
        Printer("home", "a home printer", 1, 100_000, 0.25 * INCH, 0.25 * INCH, True, True,
                True, False, None),
    )
}  # fmt: skip


@dataclass(frozen=True)
class PrintOptions:
    """What the printer wants beyond the page itself (see printers.py for the profiles)."""

    bleed: float = 0.0  # points added at the top, bottom and outside edges
    crop_marks: bool = False  # drawn outside the bleed, in registration colour
    pdf_x: str | None = None  # "1a" or "4": PDF/X with a CMYK output intent
    bookmarks: bool = True  # the PDF outline (KDP wants none)
    links: bool = True  # link annotations, e.g. contents → chapter (KDP wants none)
    blank_last_page: bool = False  # IngramSpark wants the last page blank
    min_margin: float = 0.0  # the printer's least margin (points) on every edge

    def media_reach(self) -> tuple[float, float]:
        """How far the PDF page (MediaBox) reaches beyond the trim: (top, bottom and outside
        edges; inside edge). Crop marks need room on every side, beyond the bleed."""
        if self.crop_marks:
            return (self.bleed + MARK_ZONE, self.bleed + MARK_ZONE)
        return (self.bleed, 0.0)


@dataclass(frozen=True)
class PrintRequest:
    """What the command line asks of the print PDF, before a printer's rules apply."""

    printer: str | None = None  # kdp | ingramspark | home
    bleed: bool = False
    bleed_size: float | None = None  # points; default 0.125 in (US trims) or 3 mm
    crop_marks: bool = False
    pdf_x: str | None = None  # 1a | 4


def _warning(config: Config, code: str, detail: str) -> Diagnostic:
    return codes.get(code).at(config.path, None, None, detail)


def default_bleed(trim: Size) -> float:
    """0.125 in for US trims, 3 mm for metric ones."""
    return US_BLEED if trim.is_us else METRIC_BLEED


def print_options(
    config: Config, request: PrintRequest | None = None
) -> tuple[PrintOptions, list[Diagnostic]]:
    """The options a build uses: the author's wishes within the printer's rules."""
    request = request or PrintRequest()
    printer, bleed, bleed_size = request.printer, request.bleed, request.bleed_size
    crop_marks, pdf_x = request.crop_marks, request.pdf_x
    warnings: list[Diagnostic] = []
    amount = (bleed_size if bleed_size is not None else default_bleed(config.trim)) if bleed else 0
    if printer is None:
        # PDF/X allows no annotation on the page: the contents then carry no links
        options = PrintOptions(bleed=amount, crop_marks=crop_marks, pdf_x=pdf_x, links=not pdf_x)
        return options, warnings
    profile = PRINTERS[printer]
    if crop_marks and not profile.crop_marks:
        warnings.append(_warning(config, "P012", f"crop marks ({profile.label} wants none)"))
        crop_marks = False
    if bleed and printer in {"kdp", "ingramspark"} and amount != US_BLEED:
        amount = US_BLEED  # both take exactly 0.125 in on the top, bottom and outside edges
    least = profile.min_margin_bleed if bleed else profile.min_margin
    options = PrintOptions(
        bleed=amount,
        crop_marks=crop_marks,
        pdf_x=pdf_x or profile.pdf_x,
        bookmarks=profile.bookmarks,
        links=profile.links and not (pdf_x or profile.pdf_x),
        blank_last_page=profile.blank_last_page,
        min_margin=least,
    )
    if not profile.offers(config.trim):
        warnings.append(
            _warning(
                config,
                "P011",
                f"{profile.label} does not offer the trim size {config.trim.name} "
                f"({config.trim.width / INCH:.2f} × {config.trim.height / INCH:.2f} in)",
            )
        )
    return options, warnings


def check_pages(config: Config, printer: str | None, pages: int) -> list[Diagnostic]:
    """Warnings for a page count the printer cannot bind."""
    if printer is None:
        return []
    profile = PRINTERS[printer]
    if pages < profile.min_pages:
        return [
            _warning(
                config,
                "P010",
                f"{pages} pages: {profile.label} binds at least {profile.min_pages}",
            )
        ]
    if pages > profile.max_pages:
        return [
            _warning(
                config,
                "P010",
                f"{pages} pages: {profile.label} binds at most {profile.max_pages}; "
                "choose a larger trim or split the book",
            )
        ]
    return []


def check_images(
    config: Config, paths: Sequence[tuple[str, Path]], pdf_x: str | None
) -> list[Diagnostic]:
    """PDF/X wants CMYK or grey images; WeasyPrint embeds RGB ones as they are."""
    if not pdf_x:
        return []
    from PIL import Image

    warnings = []
    for _href, path in paths:
        shown = (
            path.relative_to(config.root.resolve())
            if path.is_relative_to(config.root.resolve())
            else path
        )
        try:
            with Image.open(path) as image:
                mode = image.mode
        except OSError:
            continue
        if mode not in {"CMYK", "L", "1", "LA"}:
            warnings.append(
                _warning(
                    config,
                    "P014",
                    f"image {shown} is {mode}, not CMYK or grey: PDF/X printers may reject it "
                    "or print its colours off; convert it to CMYK",
                )
            )
    return warnings


def check_hyphenation(config: Config, language: str) -> list[Diagnostic]:
    """Justified text without hyphenation patterns sets loose lines: say so."""
    import pyphen

    if not scripts.hyphenated(language):
        return []  # patterns are not missing: its lines break without hyphens
    if pyphen.language_fallback(language.replace("-", "_")):
        return []
    return [
        _warning(
            config,
            "P015",
            f"'{language}': the print edition is justified without hyphenation, so some lines "
            "will be loose",
        )
    ]
