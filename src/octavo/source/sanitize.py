"""Raw HTML in a manuscript: safe markup kept, everything else removed, and the author told.

Markdown allows raw HTML, and authors use it for what Markdown cannot say (`<span
class="smallcaps">`, `<br>` in verse, `<sup>`, `<div class="letter">`). A downloaded or pasted
manuscript can also carry `<script>`, `onclick=`, `<iframe>` or `javascript:` links, which an
EPUB reading system might run. So every chapter's HTML goes through nh3 (the Rust `ammonia`
sanitizer, which parses like a browser) with an allowlist of book markup; a separate scan of
the raw HTML tokens finds what will be removed, so the author gets a warning with a line.

The same pass bounds nesting: lists or quotes nested thousands deep make markdown-it silently
drop the rest of the file, lxml truncate at 256 levels and WeasyPrint recurse past Python's
limit. Anything deeper than MAX_DEPTH stops the build with an error naming the line.

What is removed is said under H002 (core/codes.py: the H family of hostile input cleaned).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import nh3
from markdown_it.token import Token

from octavo.book.model import Asset, Chapter
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError
from octavo.core.text import XML_FORBIDDEN
from octavo.source import images
from octavo.source.audit import DECORATIVE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Deep enough for any real book (a list 20 levels deep inside a quote is ~45), shallow enough
# for WeasyPrint, which overflows Python's stack between 100 and 150 levels.
MAX_DEPTH = 64
# markdown-it stops parsing past this many levels and silently drops the rest of the file;
# kept well above MAX_DEPTH, so such a file always ends in our error instead of lost text.
PARSER_MAX_NESTING = 100

ALLOWED_TAGS = _words(
    "a abbr address article aside b bdi bdo blockquote br caption cite code col colgroup dd "
    "del dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i img "
    "ins kbd li mark ol p pre q rp rt ruby s samp section small span strong sub sup table "
    "tbody td tfoot th thead time tr u ul var wbr"
)
# Removed with everything inside them: code, embedded documents and media have no text a
# reader should see. Other unknown tags are unwrapped and their text kept.
DROPPED_WITH_CONTENT = _words(
    "script style template iframe object embed applet svg canvas audio video frame frameset "
    "noembed noframes"
)
_GLOBAL_ATTRIBUTES = {
    "id",
    "class",
    "title",
    "lang",
    "xml:lang",
    "dir",
    "role",
    "style",
    "epub:type",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
    "aria-checked",  # a task list's box (tasks.py)
    "aria-disabled",
    "data-line",  # the manuscript line of a block (lines.py), read by the page-quality report
}
ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
# Properties a `style` attribute may set: none of them can name a URL, so nothing is fetched.
STYLE_PROPERTIES = _words(
    "text-align text-indent text-transform text-decoration font-style font-weight font-variant "
    "font-variant-caps font-variant-numeric font-size font-family color background-color "
    "letter-spacing word-spacing line-height vertical-align white-space hyphens display float "
    "clear width max-width height margin margin-top margin-bottom margin-left margin-right "
    "padding padding-top padding-bottom padding-left padding-right border border-top "
    "border-bottom border-left border-right break-before break-after break-inside "
    "page-break-before page-break-after page-break-inside"
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "data", "background", "xlink:href"}
)
_VOID = _words("area base br col embed hr img input link meta param source track wbr")
_IMPLIED_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
# nh3 writes HTML; these turn its output into XHTML (it escapes `>` inside attribute values,
# so `[^>]*` cannot stop inside one).
_VOID_OUT = re.compile(r"<(br|col|hr|img|wbr)((?:\s[^>]*)?)>")
_ATTRIBUTE = re.compile(r'\s([^\s="]+)="([^"]*)"')  # nh3 always writes name="value"
_TEXT = re.compile(r"(?:^|>)[^<]+")
# A tag of the sanitized XHTML: closing or not, its name, self-closed (`<br />`) or not. The
# attributes part is lazy, so the slash of `<br />` is not taken for an attribute.
_TAG_OUT = re.compile(r"<(/?)([a-z][a-z0-9]*)(?:\s[^>]*?)?(/?)>")


class _RawHtml(HTMLParser):
    """Reads raw HTML tokens in document order: what the sanitizer will remove, which images
    they name, and how deep their elements nest (open elements carry over between tokens)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.removed: list[str] = []
        self.images: list[tuple[str, int | None]] = []
        self.line: int | None = None
        self.base = 0
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inspect(tag, attrs)
        if tag in _VOID or (tag in _IMPLIED_END and self.stack and self.stack[-1] == tag):
            return
        self.stack.append(tag)
        self.deepest = max(self.deepest, self.base + len(self.stack))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inspect(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def _inspect(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.removed.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.removed.append(f"{name}=")
            elif tag == "img" and name == "src":
                continue  # an image's source is judged by images.py, with its own warning
            elif name in _URL_ATTRIBUTES and value and _unsafe_scheme(value):
                self.removed.append(f"{value.split(':')[0].strip().lower()}: URL")
        src = dict(attrs).get("src")
        if tag == "img" and src:
            self.images.append((src, self.line))


def _unsafe_scheme(url: str) -> bool:
    match = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match is not None and match[1].lower() not in LINK_SCHEMES


@dataclass(frozen=True)
class Inspection:
    """What one chapter's tokens hold that the sanitizer must know: its images (as written →
    canonical href) and the warnings found on the way."""

    source: Path
    assets: tuple[Asset, ...]
    images: Mapping[str, str]
    warnings: tuple[Diagnostic, ...]
    first_raw_line: int | None

    def clean(self, html: str) -> str:
        """Sanitized, well-formed XHTML for the chapter (nh3 + a few XHTML spellings)."""
        cleaned = nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            attribute_filter=self._attribute,
            url_schemes=set(LINK_SCHEMES),
            link_rel=None,
            strip_comments=True,
            filter_style_properties=set(STYLE_PROPERTIES),
        )
        xhtml = _xhtml(cleaned)
        depth = html_depth(xhtml)
        if depth > MAX_DEPTH:
            raise _too_deep(depth, self.source, self.first_raw_line)
        return xhtml

    def _attribute(self, element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return self.images.get(value)  # an image that was not resolved has no src
        return value

    def secure(self, chapter: Chapter) -> Chapter:
        return replace(
            chapter,
            title_html=self.clean(chapter.title_html),
            body_html=self.clean(chapter.body_html),
            assets=self.assets,
            diagnostics=chapter.diagnostics + self.warnings,
        )


_EMPTY_ALT = re.compile(r'\salt=""')


def _img_xhtml(match: re.Match[str]) -> str:
    attributes = dict(_ATTRIBUTE.findall(match[2]))
    if "src" in attributes:
        decorative = DECORATIVE in attributes.get("class", "").split()
        # An empty alt says "decorative" to reading systems and checkers; an image the author
        # did not describe nor mark {.decorative} has none, so it is reported, not hidden.
        attrs = match[2] if decorative else _EMPTY_ALT.sub("", match[2])
        return f"<img{attrs} />"
    # an image left out: its alt text stands in its place
    return images.left_out(unescape(attributes.get("alt", "")))


def _void_xhtml(match: re.Match[str]) -> str:
    return _img_xhtml(match) if match[1] == "img" else f"<{match[1]}{match[2]} />"


def _text_quotes(match: re.Match[str]) -> str:
    return match[0].replace('"', "&quot;")


def _xhtml(html: str) -> str:
    html = html.replace("&nbsp;", "\u00a0")  # the one named entity XML does not know
    html = _VOID_OUT.sub(_void_xhtml, html)
    # Text escaped as markdown-it escapes it, so clean input comes out byte for byte as it was
    # (nh3 escapes < and > inside attribute values: every other > ends a tag).
    html = _TEXT.sub(_text_quotes, html)
    # Character references such as &#1; decode to characters XML forbids.
    return XML_FORBIDDEN.sub("", html)


def html_depth(xhtml: str) -> int:
    """How deep elements nest in well-formed XHTML. A void element (`<br />`, `<img />`)
    opens nothing: a poem's thousand line breaks are not a thousand levels."""
    depth = deepest = 0
    for match in _TAG_OUT.finditer(xhtml):
        if match[1]:
            depth -= 1
        elif not match[3] and match[2] not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _too_deep(depth: int, source: Path, line: int | None) -> SourceError:
    return SourceError(
        f"lists, quotes or HTML elements nest {depth} levels deep here; octavo allows "
        f"{MAX_DEPTH}: flatten them",
        source,
        line,
    )


def _walk(tokens: Sequence[Token]) -> Iterator[tuple[Token, int | None, int]]:
    """Every token with its source line and the nesting depth Markdown gives it."""
    line: int | None = None
    for block in tokens:
        line = block.map[0] + 1 if block.map else line
        yield block, line, block.level + max(block.nesting, 0)
        depth = block.level
        for child in block.children or []:
            depth += child.nesting
            yield child, line, depth


def _scan_raw(
    tokens: Sequence[Token], source: Path
) -> tuple[_RawHtml, dict[int | None, list[str]], int | None]:
    """Walk the tokens: raise on nesting beyond MAX_DEPTH; gather raw HTML findings by line."""
    raw = _RawHtml()
    found: dict[int | None, list[str]] = {}
    first_raw: int | None = None
    for token, line, depth in _walk(tokens):
        if token.type in {"html_block", "html_inline"}:
            first_raw = first_raw or line
            raw.base, raw.line = depth, line
            before = len(raw.removed)
            raw.feed(token.content)
            found.setdefault(line, []).extend(raw.removed[before:])
        if max(depth + len(raw.stack), raw.deepest) > MAX_DEPTH:
            raise _too_deep(max(depth + len(raw.stack), raw.deepest), source, line)
    return raw, found, first_raw


def _html_warnings(found: Mapping[int | None, list[str]], source: Path) -> list[Diagnostic]:
    warnings = []
    for line, removed in found.items():
        if removed:
            what = ", ".join(dict.fromkeys(removed))
            warnings.append(
                codes.get("H002").at(
                    source, line, None, f"{what} (octavo keeps text and safe book markup only)"
                )
            )
    return warnings


def _raw_images(
    raw: _RawHtml, source: Path, book_root: Path, lenient: bool
) -> tuple[dict[str, Asset], list[Diagnostic]]:
    """Raw `<img src>` follow the rules of Markdown images: resolved inside the book or
    refused with a warning (the sanitizer then drops the element and keeps its alt text)."""
    assets: dict[str, Asset] = {}
    refused: list[Diagnostic] = []
    for src, line in dict.fromkeys(raw.images):
        try:
            assets[src] = images.resolve(src, source, book_root, line, lenient)
        except images.ImageRefused as reason:
            refused.extend(images.refusal(reason, source, line))
    return assets, refused


def inspect(
    tokens: Sequence[Token], source: Path, book_root: Path, lenient: bool = False
) -> Inspection:
    """Check a chapter's tokens before rendering: nesting, images (Markdown and raw HTML),
    raw HTML the sanitizer will remove. Markdown image tokens are pointed at canonical names."""
    raw, found, first_raw = _scan_raw(tokens, source)
    assets, refused = images.collect(tokens, source, book_root, lenient)
    raw_assets, raw_refused = _raw_images(raw, source, book_root, lenient)
    allowed = {a.href: a.href for a in assets} | {src: a.href for src, a in raw_assets.items()}
    every = {a.href: a for a in (*assets, *raw_assets.values())}
    warnings = [*refused, *raw_refused, *_html_warnings(found, source)]
    return Inspection(
        source=source,
        assets=tuple(every.values()),
        images=allowed,
        warnings=tuple(sorted(warnings, key=lambda d: (d.line or 0, d.code))),
        first_raw_line=first_raw,
    )
