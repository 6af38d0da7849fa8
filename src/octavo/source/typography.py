"""Language-aware punctuation: quotes, apostrophes, dashes, ellipses and no-break spaces.

The book's language decides, through one table (`CONVENTIONS`), never a chain of ifs. One
algorithm, `plan()`, says what each character of a paragraph becomes. It is told what kind each
character is: prose (to be set), opaque (code, a URL, an escaped character: kept as written but
seen by its neighbours as a word), markup (emphasis stars, link brackets: not text at all) or a
note call (a footnote reference: kept as written, and looked past as markup is, since the call
sits after the punctuation it follows: `"It was a drink."[^1]` closes its quotation). The
build runs it on markdown-it's inline text tokens (`typography_plugin`), so code, URLs and raw
HTML are never touched; `octavo check` runs it on the manuscript's own characters, so the linter
sees the quotes the book will have, at the places the author typed them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, MutableSequence, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from octavo.book.config import Config

# What a character of a paragraph is. Any other value (the linter marks code as CODE) counts as
# OPAQUE here.
PROSE, OPAQUE, MARKUP, CODE, NOTE = 0, 1, 2, 3, 4
# Kinds quotes and spaces look past to find a mark's neighbours: neither is a word, and a note
# call hangs on the text before it.
TRANSPARENT = frozenset({MARKUP, NOTE})

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"  # French espace fine insécable; fonts without it get a synthetic space
APOSTROPHE = "\u2019"

QuoteRole = Literal["open", "close", "either", "neither"]


@dataclass(frozen=True)
class Conventions:
    """How one language punctuates."""

    quotes: str  # primary open, primary close, secondary open, secondary close
    quote_space: str = ""  # set inside guillemets (French: a narrow no-break space)
    space_before: str = ""  # marks that take that space before them (French: ; : ! ?)
    abbreviations: tuple[str, ...] = ()  # titles the next word must not be parted from
    one_letter_words: str = ""  # words that must not end a line (Czech, Polish, Russian)
    elisions: tuple[str, ...] = ()  # words whose opening letters an apostrophe stands for

    @property
    def spaced_quotes(self) -> str:
        return "«»‹›" if self.quote_space else ""


_EN_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Prof.", "Rev.", "Capt.", "Col.", "Lt.")
_EN_ELISIONS = (
    "tis", "twas", "twere", "twill", "twould", "em", "cause", "cos", "til", "n", "round",
    "bout", "cept", "neath", "tween", "twixt", "gainst", "ere", "ow",
    # dialect: words that are no words without their first letters, so never a quote's first
    "cuz", "coz", "kase", "spose", "sposed", "fraid", "scuse", "nough", "mongst", "pon",
    "tain", "twarn", "twasn", "twon",
)  # fmt: skip
# German: ’s (es, das), ’n, ’ne (ein, eine), ’rein, ’raus (herein, heraus)…
_DE_ELISIONS = (
    "s", "n", "ne", "nen", "nem", "ner", "nes", "rein", "raus", "rauf", "runter", "rüber",
    "ran", "rum", "nauf", "naus", "nüber",
)  # fmt: skip

# By primary language subtag; `CONVENTIONS_BY_TAG` holds regional variants.
CONVENTIONS: dict[str, Conventions] = {
    "en": Conventions("“”‘’", abbreviations=_EN_ABBREVIATIONS, elisions=_EN_ELISIONS),
    "de": Conventions(
        "„“‚‘",
        abbreviations=("Dr.", "Prof.", "Hr.", "Fr.", "Nr.", "S.", "Bd.", "Kap.", "z.", "d.", "u."),
        elisions=_DE_ELISIONS,
    ),
    "fr": Conventions(
        "«»“”",
        quote_space=NARROW_NBSP,
        space_before=";:!?",
        abbreviations=("M.", "MM.", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Me", "Mgr", "p."),
    ),
    "es": Conventions("«»“”", abbreviations=("Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "D.", "Dña.")),
    "it": Conventions("«»“”", abbreviations=("Sig.", "Sig.ra", "Dott.", "Prof.", "Avv.", "Ing.")),
    "pt": Conventions("«»“”", abbreviations=("Sr.", "Sra.", "Dr.", "Dra.", "D.")),
    "nl": Conventions(
        "“”‘’",
        abbreviations=("dhr.", "mevr.", "dr.", "prof.", "mr.", "ir."),
        elisions=("s", "t", "k", "n", "ns", "m", "r"),  # ’s avonds, ’t, ’k (ik), ’n (een)
    ),
    "sv": Conventions("””’’"),
    "fi": Conventions("””’’"),
    "da": Conventions("»«›‹"),
    "nb": Conventions("«»‘’"),
    "no": Conventions("«»‘’"),
    "pl": Conventions(
        "„”«»", abbreviations=("dr", "prof.", "mgr", "inż.", "ul.", "nr", "św."), one_letter_words="aiouwzAIOUWZ"
    ),
    "cs": Conventions(
        "„“‚‘",
        abbreviations=("Dr.", "Ing.", "Mgr.", "MUDr.", "prof.", "doc.", "ul.", "č.", "s."),
        one_letter_words="aiksouvzAIKSOUVZ",
    ),
    "sk": Conventions(
        "„“‚‘", abbreviations=("Dr.", "Ing.", "Mgr.", "prof.", "ul.", "č.", "s."), one_letter_words="aiksouvzAIKSOUVZ"
    ),
    "ru": Conventions("«»„“", abbreviations=("г.", "ул.", "д.", "им."), one_letter_words="авиксуояАВИКСУОЯ"),
    "uk": Conventions("«»„“", abbreviations=("м.", "вул.", "д."), one_letter_words="авзіуйоАВЗІУЙО"),
    "ja": Conventions("「」『』"),
    "zh": Conventions("“”‘’"),
}  # fmt: skip
CONVENTIONS_BY_TAG: dict[str, Conventions] = {
    "de-ch": Conventions("«»‹›", abbreviations=CONVENTIONS["de"].abbreviations),
    "fr-ch": Conventions(
        "«»‹›",
        quote_space=NARROW_NBSP,
        space_before=";:!?",
        abbreviations=CONVENTIONS["fr"].abbreviations,
    ),
}

# A number and its unit stay on one line whatever the language.
UNITS = (
    "km/h", "km", "cm", "mm", "µm", "nm", "m²", "m³", "m", "kg", "mg", "g", "ml", "mL", "cl",
    "dl", "ha", "°C", "°F", "%", "‰", "kHz", "MHz", "GHz", "Hz", "kWh", "kW", "MW", "kB", "MB",
    "GB", "TB", "mph", "ft", "yd", "mi", "lb", "oz", "min", "h", "€", "£",
)  # fmt: skip


def conventions_for(language: str) -> Conventions:
    """The conventions of a BCP 47 tag: the full tag first, then its primary subtag, then English."""
    tag = language.lower()
    if tag in CONVENTIONS_BY_TAG:
        return CONVENTIONS_BY_TAG[tag]
    return CONVENTIONS.get(tag.split("-")[0], CONVENTIONS["en"])


# ---- the algorithm ---------------------------------------------------------------------------


def _is_space(ch: str) -> bool:
    return ch.isspace()


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def neighbour(text: str, kinds: Sequence[int], i: int, step: int) -> str:
    """The character beside text[i] as quotes see it: markup and note calls are skipped, opaque
    text is a word, the edge of the paragraph is a space."""
    j = i + step
    while 0 <= j < len(text) and kinds[j] in TRANSPARENT:
        j += step
    if not 0 <= j < len(text):
        return " "
    ch = text[j]
    return "x" if kinds[j] != PROSE and not ch.isspace() else ch


def quote_role(before: str, after: str) -> QuoteRole:
    """Whether a quotation mark between these characters opens, closes, or could do either
    (the flanking rules of CommonMark's emphasis, which markdown-it's smartquotes also uses)."""
    can_open = not _is_space(after) and not (
        _is_punct(after) and not (_is_space(before) or _is_punct(before))
    )
    can_close = not _is_space(before) and not (
        _is_punct(before) and not (_is_space(after) or _is_punct(after))
    )
    if can_open and can_close:
        return "either"
    return "open" if can_open else "close" if can_close else "neither"


_DECADE = re.compile(r"\d\d(?:s\b|\b)")
_WORD = re.compile(r"\w+")


def starts_elision(text: str, i: int, conventions: Conventions) -> bool:
    """Whether an apostrophe at text[i], at the start of a word, stands for missing letters:
    ’tis, rock ’n’ roll, the ’90s."""
    if _DECADE.match(text, i + 1):
        return True
    word = _WORD.match(text, i + 1)
    return word is not None and word.group().lower() in conventions.elisions


_OPENERS = "([{“‘«„‚‹¿¡-–—/"


def _possessive_after_symbol(text: str, i: int, before: str) -> bool:
    """An 's after a name that ends in a symbol (C++'s, F#'s): no quotation opens there."""
    if before.isalnum() or before.isspace() or before in _OPENERS:
        return False
    return text[i + 1 : i + 2] == "s" and not text[i + 2 : i + 3].isalnum()


def _straight(
    text: str, kinds: Sequence[int], i: int, conventions: Conventions, stack: list[str]
) -> str | None:
    """What a straight quote becomes; None when its place cannot tell (it stays straight)."""
    mark = text[i]
    before, after = neighbour(text, kinds, i, -1), neighbour(text, kinds, i, 1)
    if mark == "'":
        if before.isalnum() and after.isalnum():
            return APOSTROPHE  # don't, l'homme
        if not before.isalnum() and starts_elision(text, i, conventions):
            return APOSTROPHE
        if before.isalnum() and not after.isalnum() and "'" not in stack:
            return APOSTROPHE  # the boys' toys, goin'
        if _possessive_after_symbol(text, i, before):
            return APOSTROPHE  # C++'s, F#'s
    role = quote_role(before, after)
    if role == "neither":
        return None
    closing = role == "close" or (role == "either" and mark in stack)
    offset = 0 if mark == '"' else 2
    if closing:
        if mark in stack:
            del stack[len(stack) - 1 - stack[::-1].index(mark) :]
        return conventions.quotes[offset + 1]
    stack.append(mark)
    return conventions.quotes[offset]


def _space_inside(
    text: str, kinds: Sequence[int], out: MutableSequence[str], i: int, space: str, opening: bool
) -> None:
    """Guillemets hold their words at a (narrow) no-break space: « Oui »."""
    step = 1 if opening else -1
    j = i + step
    while 0 <= j < len(text) and kinds[j] in TRANSPARENT:
        j += step
    if not 0 <= j < len(text):
        return
    if text[j] in " \u00a0" and kinds[j] == PROSE:
        out[j] = space
    elif not text[j].isspace():
        out[i] = out[i] + space if opening else space + out[i]


def _space_before(text: str, kinds: Sequence[int], out: MutableSequence[str], i: int) -> None:
    """French sets ; : ! ? apart from the word before with a narrow no-break space."""
    j = i - 1
    while j >= 0 and kinds[j] in TRANSPARENT:
        j -= 1
    if j < 0:
        return
    before, after = text[j], text[i + 1 : i + 2]
    if before == " " and kinds[j] == PROSE:
        out[j] = NARROW_NBSP
    elif before.isspace() or before in ";:!?" or kinds[j] != PROSE:
        return
    elif text[i] == ":" and (after == "/" or (before.isdigit() and after.isdigit())):
        return  # http://, 10:30
    else:
        out[i] = NARROW_NBSP + out[i]


_TRIGGERS = re.compile(r"[\"'«»‹›;:!?]")


def _quotes_and_spacing(
    text: str, kinds: Sequence[int], conventions: Conventions, out: MutableSequence[str]
) -> None:
    stack: list[str] = []
    spaced = conventions.spaced_quotes
    for match in _TRIGGERS.finditer(text):
        i = match.start()
        if kinds[i] != PROSE:
            continue
        if text[i] in "\"'":
            out[i] = _straight(text, kinds, i, conventions, stack) or text[i]
        glyph = out[i]
        if glyph in spaced:
            opening = glyph in "«‹" if conventions.quotes[0] == "«" else glyph in "»›"
            _space_inside(text, kinds, out, i, conventions.quote_space, opening)
        elif text[i] in conventions.space_before:
            _space_before(text, kinds, out, i)


_RUNS = re.compile(r"(?<!-)-{2,3}(?!-)|(?<!\.)\.{3}(?!\.)")
_RUN_GLYPHS = {"--": "–", "---": "—", "...": "…"}


def _dashes_and_ellipses(text: str, kinds: Sequence[int], out: MutableSequence[str]) -> None:
    if "--" not in text and "..." not in text:
        return
    for match in _RUNS.finditer(text):
        start, end = match.span()
        if all(kinds[k] == PROSE for k in range(start, end)):
            out[start] = _RUN_GLYPHS[match.group()]
            for k in range(start + 1, end):
                out[k] = ""


def _alternatives(words: Sequence[str]) -> str:
    """Regex alternatives, longest first; a word written without its full stop may take one."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        parts.append(re.escape(word) if word.endswith(".") else re.escape(word) + r"\.?")
    return "|".join(parts)


@lru_cache(maxsize=64)
def _no_break_patterns(conventions: Conventions) -> tuple[re.Pattern[str], ...]:
    """Patterns whose group 1 is a space that must not break the line."""
    units = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    patterns = [re.compile(rf"\d( )(?:{units})(?!\w)")]
    if conventions.abbreviations:
        names = _alternatives(conventions.abbreviations)
        patterns.append(re.compile(rf"(?<![\w.])(?:{names})( )(?=\S)"))
    if conventions.one_letter_words:
        letters = re.escape(conventions.one_letter_words)
        patterns.append(re.compile(rf"(?<![\w.’'-])[{letters}]( )(?=\S)"))
    return tuple(patterns)


def _no_break_spaces(
    text: str, kinds: Sequence[int], conventions: Conventions, out: MutableSequence[str]
) -> None:
    for pattern in _no_break_patterns(conventions):
        for match in pattern.finditer(text):
            j = match.start(1)
            if kinds[j] == PROSE and out[j] == " ":
                out[j] = NBSP


def plan(text: str, kinds: Sequence[int], conventions: Conventions) -> list[str]:
    """What each character of `text` becomes in the book (an empty string: it is dropped).
    Only PROSE characters change."""
    out = list(text)
    _quotes_and_spacing(text, kinds, conventions, out)
    _dashes_and_ellipses(text, kinds, out)
    _no_break_spaces(text, kinds, conventions, out)
    return out


# Parts of a text token that are not prose even with raw HTML off: URLs, e-mail addresses, HTML
# tags and comments are kept exactly as typed. Each pattern can only start where its match can
# (a scheme, the start of a word, a `<`), so hostile text cannot make the search quadratic.
_URL = re.compile(
    r"(?:https?|ftp|mailto):[^\s<>\"]*[^\s<>\".,;:!?')\]]|www\.[^\s<>\"]*[^\s<>\".,;:!?')\]]"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_MAY_PROTECT = re.compile(r"[:@<]|www\.")


def _comments(text: str) -> Iterator[tuple[int, int]]:
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            return
        yield start, end + 3
        start = text.find("<!--", end + 3)


def protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where URLs, e-mail addresses and HTML tags and comments stand in a text."""
    if not _MAY_PROTECT.search(text):
        return  # the common case
    for pattern in (_URL, _EMAIL, _TAG):
        for match in pattern.finditer(text):
            yield match.span()
    yield from _comments(text)


def text_kinds(text: str) -> bytearray:
    """PROSE everywhere but in URLs, e-mail addresses and HTML tags."""
    kinds = bytearray(len(text))  # all PROSE (0)
    for start, end in protected_spans(text):
        kinds[start:end] = bytes([OPAQUE]) * (end - start)
    return kinds


def smarten(text: str, language: str) -> str:
    """Typography on one plain string (for titles and tests)."""
    return "".join(plan(text, text_kinds(text), conventions_for(language)))


# The settings of book.toml that are read as text: printed, shown by reading systems, or both.
CONFIG_TEXT = (
    "title", "subtitle", "rights", "description", "edition", "publisher", "dedication",
    "epigraph", "epigraph_source", "acknowledgements", "about_author",
)  # fmt: skip


def typeset_config(config: Config) -> Config:
    """book.toml's text with the manuscript's typography (unless `typography = false`), for
    every edition and the EPUB's metadata alike: a title is “quoted” on the cover as in the
    reading system's library. The identifier derived from the metadata (when the book gives
    neither ISBN nor identifier) is kept as typed, so that curling a title's quotes does not
    make the book a new one for reading systems."""
    if not config.typography:
        return config
    language = config.language
    changes: dict[str, Any] = {
        key: smarten(value, language) for key in CONFIG_TEXT if (value := getattr(config, key))
    }
    changes["authors"] = tuple(smarten(name, language) for name in config.authors)
    if not config.isbn and not config.identifier:
        changes["identifier"] = config.uid
    return replace(config, **changes)


# ---- the markdown-it rule --------------------------------------------------------------------

# Tokens that stand in the text as something word-like the typographer must not change.
_OPAQUE_TOKENS = frozenset({"code_inline", "image", "text_special", "html_inline", "math_inline"})
_BREAKS = frozenset({"softbreak", "hardbreak"})


def _smarten_inline(children: list[Token], conventions: Conventions) -> None:
    parts: list[str] = []
    kinds = bytearray()
    owners: list[tuple[Token, int, int]] = []
    autolink = 0
    for token in children:
        kind = token.type
        if kind == "text" and not autolink:
            start = len(kinds)
            parts.append(token.content)
            kinds += text_kinds(token.content)
            owners.append((token, start, len(kinds)))
        elif kind in _BREAKS:
            parts.append("\n")
            kinds.append(OPAQUE)
        elif (kind == "link_open" or kind == "link_close") and token.info == "auto":
            autolink += 1 if kind == "link_open" else -1
        elif kind == "footnote_ref":
            parts.append("x")
            kinds.append(NOTE)
        elif kind in _OPAQUE_TOKENS or kind == "text":
            parts.append("x")
            kinds.append(OPAQUE)
    if not owners:
        return
    out = plan("".join(parts), kinds, conventions)
    for token, start, end in owners:
        token.content = "".join(out[start:end])


def typography_plugin(md: MarkdownIt, language: str) -> None:
    """Register octavo's typography as a core rule: it runs on each block's inline text tokens,
    before escaped characters are joined back into the text (so `\\"` stays straight)."""
    conventions = conventions_for(language)

    def typography(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline" and token.children:
                _smarten_inline(token.children, conventions)

    md.core.ruler.before("text_join", "octavo_typography", typography)
