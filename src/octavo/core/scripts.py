"""What a language's writing system does to a book, by the language's primary subtag: the
direction of its lines and pages, whether its letters have capitals, whether its lines break
with hyphens. One table for the EPUB and the print edition."""

from __future__ import annotations

# Scripts written right to left: their books also turn their pages right to left.
RTL = frozenset(
    ["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "ug", "ur", "yi"]
)

# Scripts without capitals: no small-caps first line (it would letter-space Arabic apart, whose
# letters join) and no drop cap.
CASELESS = frozenset(
    [
        "ar",
        "fa",
        "ur",
        "ps",
        "sd",
        "ug",
        "ckb",
        "ku",
        "ks",
        "he",
        "iw",
        "yi",
        "arc",
        "dv",
        "zh",
        "ja",
        "ko",
        "th",
        "lo",
        "km",
        "my",
        "hi",
        "mr",
        "ne",
        "sa",
        "bn",
        "pa",
        "gu",
        "or",
        "ta",
        "te",
        "kn",
        "ml",
        "si",
        "bo",
        "am",
        "ti",
    ]
)

# Lines that break without hyphens: between characters (Chinese, Japanese), at spaces only
# (Korean, Arabic, Persian, Urdu, Hebrew, Yiddish) or at syllables found by a dictionary (Thai,
# Lao, Khmer, Burmese). Hyphenation patterns are not missing there.
UNHYPHENATED = frozenset(
    [
        "zh",
        "ja",
        "ko",
        "ar",
        "fa",
        "ur",
        "ps",
        "ckb",
        "ku",
        "he",
        "iw",
        "yi",
        "th",
        "lo",
        "km",
        "my",
    ]
)


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def direction(language: str) -> str:
    return "rtl" if _primary(language) in RTL else "ltr"


def cased(language: str) -> bool:
    return _primary(language) not in CASELESS


def hyphenated(language: str) -> bool:
    return _primary(language) not in UNHYPHENATED
