"""Chapter labels: the line above a chapter's title, "Chapter One" or "1", in the book's language.

`[design] chapter_label` chooses: `words` ("Chapter One", "Kapitel eins", "Chapitre un"),
`number` ("1") or `none`. Only chapters are numbered (not a prologue, an epilogue, a part or
the front and back matter), from 1 in reading order. A language without a table here gets the
number alone, and a number past ninety-nine is written in figures.
"""

from __future__ import annotations

import re

from octavo.book.model import Book

CHAPTER = {
    "en": "Chapter",
    "de": "Kapitel",
    "fr": "Chapitre",
    "es": "Capítulo",
    "it": "Capitolo",
    "nl": "Hoofdstuk",
}

_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_DE = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
]
_DE_TENS = [
    "_",
    "_",
    "zwanzig",
    "dreißig",
    "vierzig",
    "fünfzig",
    "sechzig",
    "siebzig",
    "achtzig",
    "neunzig",
]
_FR = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_FR_TENS = ["_", "_", "vingt", "trente", "quarante", "cinquante", "soixante"]
_ES = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]
_ES_TENS = [
    "_",
    "_",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
]
_IT = [
    "zero",
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "undici",
    "dodici",
    "tredici",
    "quattordici",
    "quindici",
    "sedici",
    "diciassette",
    "diciotto",
    "diciannove",
]
_IT_TENS = [
    "_",
    "_",
    "venti",
    "trenta",
    "quaranta",
    "cinquanta",
    "sessanta",
    "settanta",
    "ottanta",
    "novanta",
]
_NL = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
]
_NL_TENS = [
    "_",
    "_",
    "twintig",
    "dertig",
    "veertig",
    "vijftig",
    "zestig",
    "zeventig",
    "tachtig",
    "negentig",
]


def _en(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _EN[n]
    return _EN_TENS[tens] + (f"-{_EN[unit]}" if unit else "")


def _de(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _DE[n]
    if not unit:
        return _DE_TENS[tens]
    return ("ein" if unit == 1 else _DE[unit]) + "und" + _DE_TENS[tens]


def _fr(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _FR[n]
    if n < 70:
        joint = " et " if unit == 1 else "-"
        return _FR_TENS[tens] + (joint + _FR[unit] if unit else "")
    if n < 80:  # soixante-dix, soixante et onze, soixante-douze…
        return "soixante" + (" et " if n == 71 else "-") + _FR[n - 60]
    rest = n - 80
    return "quatre-vingts" if rest == 0 else "quatre-vingt-" + _FR[rest]


def _es(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 30:
        return _ES[n]
    return _ES_TENS[tens] + (f" y {_ES[unit]}" if unit else "")


def _it(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _IT[n]
    word = _IT_TENS[tens]
    if unit in (1, 8):  # ventuno, ventotto: the tens lose their last vowel
        word = word[:-1]
    return word + ("tré" if unit == 3 else _IT[unit] if unit else "")


def _nl(n: int) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _NL[n]
    if not unit:
        return _NL_TENS[tens]
    joint = "ën" if _NL[unit].endswith("e") else "en"  # tweeëntwintig, drieëntwintig
    return _NL[unit] + joint + _NL_TENS[tens]


SPELLERS = {"en": _en, "de": _de, "fr": _fr, "es": _es, "it": _it, "nl": _nl}


def spelled(number: int, language: str) -> str | None:
    """The number in words in the language (1-99), or None when it has no table here."""
    speller = SPELLERS.get(language.split("-")[0].lower())
    if speller is None or not 0 < number < 100:
        return None
    return speller(number)


def label(number: int, style: str, language: str) -> str:
    """The label of chapter `number`: "Chapter One" (style `words`), "1" (`number`), or ""."""
    if style == "number":
        return str(number)
    if style != "words":
        return ""
    base = language.split("-")[0].lower()
    word = spelled(number, language)
    if word is None or base not in CHAPTER:
        return str(number)
    if base == "en":  # English capitalises a heading's words: Chapter Twenty-One
        word = "-".join(part.capitalize() for part in word.split("-"))
    return f"{CHAPTER[base]} {word}"


def _said(title: str, text: str, number: int) -> bool:
    """Whether the title already says the label ("Chapter One", "1", "I."), so it is not
    set twice."""
    plain = re.sub(r"[\W_]+", " ", title).strip().lower()
    return plain in {text.lower(), str(number)} or plain.startswith(text.lower() + " ")


def chapter_labels(book: Book, style: str) -> dict[str, str]:
    """Chapter id → its label, for the chapters that get one."""
    if style not in {"words", "number"}:
        return {}
    found: dict[str, str] = {}
    numbered = [c for c in book.chapters if c.matter == "body" and c.division == "chapter"]
    for number, chapter in enumerate(numbered, start=1):
        text = label(number, style, book.config.language)
        if text and not _said(chapter.title, text, number):
            found[chapter.id] = text
    return found
