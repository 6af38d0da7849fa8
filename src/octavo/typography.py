"""Language-aware punctuation: curly quotes, dashes and ellipses, applied to text only.

markdown-it's typographer does the work on inline text tokens, so code spans, code blocks,
URLs and raw HTML are never touched; this module decides the quotes for each language.
"""

from __future__ import annotations

# primary open, primary close, secondary open, secondary close — by primary language subtag.
QUOTES: dict[str, str] = {
    "en": "“”‘’",
    "de": "„“‚‘",
    "fr": "«»‹›",
    "es": "«»“”",
    "it": "«»“”",
    "pt": "«»“”",
    "nl": "“”‘’",
    "sv": "””’’",
    "fi": "””’’",
    "da": "»«›‹",
    "nb": "«»‘’",
    "no": "«»‘’",
    "pl": "„”«»",
    "cs": "„“‚‘",
    "sk": "„“‚‘",
    "ru": "«»„“",
    "uk": "«»„“",
    "ja": "「」『』",
    "zh": "“”‘’",
}
# Swiss German and Swiss French quote with guillemets.
QUOTES_BY_TAG: dict[str, str] = {"de-ch": "«»‹›", "fr-ch": "«»‹›", "en-gb": "“”‘’"}


def quotes_for(language: str) -> str:
    tag = language.lower()
    if tag in QUOTES_BY_TAG:
        return QUOTES_BY_TAG[tag]
    return QUOTES.get(tag.split("-")[0], QUOTES["en"])
