"""PDF/X: what a printing press asks of a PDF. Every colour in CMYK, text in pure black ink,
and an output intent naming the printing condition the embedded profile describes.

The CMYK profile is basICColor's ISOcoated_v2_300_bas.icc (FOGRA39, ISO Coated v2 300 %), zlib
licence, taken from Debian's `scribus-data` package and shipped with octavo (see LICENSE.txt in
the icc folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

VARIANTS = {"1a": "pdf/x-1a", "4": "pdf/x-4"}  # --pdf-x → WeasyPrint's pdf_variant


def icc_folder() -> Path:
    return Path(__file__).resolve().parent / "icc"


def cmyk_profile() -> Path:
    return icc_folder() / "ISOcoated_v2_300_bas.icc"


def variant(pdf_x: str | None) -> str | None:
    return VARIANTS.get(pdf_x or "")


def cmyk_css() -> str:
    """PDF/X: a CMYK output intent, and every colour CMYK, text in pure black ink (K only)."""
    return (
        f"@color-profile device-cmyk {{ src: url({cmyk_profile().as_uri()}); "
        "components: c, m, y, k; }\n"
        "html, html *, html ::before, html ::after, ::footnote-call, ::footnote-marker"
        " { color: device-cmyk(0 0 0 1) !important; }\n"
        "@page { color: device-cmyk(0 0 0 1);"
        " @footnote { color: device-cmyk(0 0 0 1); border-top-color: device-cmyk(0 0 0 1); } }\n"
        "th, td { border-color: device-cmyk(0 0 0 0.6); }\n"
    )


def name_output_intent(pdf: Any) -> None:
    """Say which printing condition the embedded CMYK profile describes (PDF/X asks for it)."""
    import pydyf

    intents = pdf.catalog.get("OutputIntents")
    if not intents:
        return
    intent = intents[0]
    intent["OutputConditionIdentifier"] = pydyf.String("FOGRA39")
    intent["OutputCondition"] = pydyf.String("ISO Coated v2 300% (ECI), offset, coated paper")
    intent["RegistryName"] = pydyf.String("http://www.color.org")
    intent["Info"] = pydyf.String("ISOcoated_v2_300_bas (basICColor)")
