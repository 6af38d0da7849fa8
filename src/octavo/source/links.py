"""Heading ids authors expect, and links that lead where they say in both editions.

Ids. A heading's id is its GitHub (and mdBook) slug — lower case, spaces to `-`, punctuation
dropped, letters of every script kept, a repeat numbered `-1`, `-2` — or the `{#id}` written
after it (`# Letters from Straßburg {#letters}`: the attributes are taken off the text). Each
chapter's names live in a namespace of their own: in the book, the name `letters` of chapter
`c03` is the id `c03--letters`, so ids stay unique in the print edition (one HTML document) and
the page map's regions stay whole. Chapter ids are slugs, which never hold `--`, so no id made
this way can equal a chapter id or one of another chapter. Raw HTML ids (`<a id="x">`) are put
in the namespace too.

Links. While a chapter is parsed, a link to a place in the same file (`#a-heading`) is pointed
at its namespaced id, and every link into the book is noted with its line and column. Once every
chapter is read, `resolve` points links to other files at their chapter: `02-storm.md#wreck`,
`02-storm.html#wreck` (mdBook's convention, when a chapter file of that name exists: also
`../dir/file.html`, `dir/` and `index.html` for a folder's README.md). A link that leads nowhere
— to a file that is no chapter, an anchor no chapter has, a page outside the book — becomes
plain text and a warning (S005) at the place the manuscript wrote it, so the EPUB stays valid.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urljoin

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.link import link as link_rule
from markdown_it.token import Token

from octavo.book.config import Config
from octavo.book.model import Chapter, Link
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.source.manuscript import MANUSCRIPT_DIR

SEPARATOR = "--"  # between a chapter's id and a name of its own
_SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
CHAPTER_SUFFIXES = (".md", ".markdown", ".txt", ".text")
_WEB_SUFFIXES = (".html", ".htm", ".xhtml")
FOLDER_PAGES = ("README.md", "index.md")  # what mdBook serves as a folder's index.html


# --- Names --------------------------------------------------------------------------------


def _kept(ch: str) -> bool:
    return ch in "-_" or unicodedata.category(ch)[0] in "LNM"


def slug(text: str) -> str:
    """A heading's text as GitHub and mdBook make it an id: 'Drop Check & `Drop`' →
    'drop-check--drop'; letters of any script are kept ('Straßburg' → 'straßburg')."""
    return "".join(ch if _kept(ch) else "-" if ch.isspace() else "" for ch in text.strip().lower())


def key(name: str) -> str:
    """An id or a link's fragment as a name of the chapter's namespace: compared without case
    (mdBook lowers only ASCII letters, GitHub all), and made of characters every id may hold
    (an EPUB's NCX wants XML names)."""
    return "".join(ch if _kept(ch) or ch == "." else "-" for ch in name.strip().lower())


def namespaced(chapter_id: str, name: str) -> str:
    return f"{chapter_id}{SEPARATOR}{name}"


def namespace(chapter: Chapter) -> str:
    """The namespace of a chapter's names: the id of the file it was parsed from (its own id,
    unless the file was cut into several chapters: split.py), read off its title's ids."""
    if chapter.title_anchors:
        return chapter.title_anchors[0].partition(SEPARATOR)[0]
    return chapter.id


def _unique(name: str, taken: dict[str, int]) -> str:
    """GitHub's numbering of repeated names: intro, intro-1, intro-2."""
    candidate = name
    while candidate in taken:
        taken[name] += 1
        candidate = f"{name}-{taken[name]}"
    taken[candidate] = 0
    taken.setdefault(name, 0)
    return candidate


# --- Attributes after a heading: `## Title {#id .class}` -----------------------------------

_ATTR_ITEM = r"""(?:\#[^\s{}]+|\.[^\s{}]+|[A-Za-z_:][-\w:.]*=(?:"[^"]*"|'[^']*'|[^\s{}"']+)|-)"""
_TRAILING_ATTRS = re.compile(rf"(?<!\\)\{{(\s*{_ATTR_ITEM}(?:\s+{_ATTR_ITEM})*\s*)\}}\s*$")
_ATTR = re.compile(_ATTR_ITEM)


def _attributes(body: str) -> dict[str, str]:
    found: dict[str, str] = {}
    classes: list[str] = []
    for item in _ATTR.findall(body):
        if item.startswith("#"):
            found["id"] = item[1:]
        elif item.startswith("."):
            classes.append(item[1:])
        elif item == "-":
            classes.append("unnumbered")  # pandoc's short form
        else:
            name, _, value = item.partition("=")
            if not name.lower().startswith("on"):  # never an event handler
                found[name] = value.strip("\"'")
    if classes:
        found["class"] = " ".join(classes)
    return found


def _heading_attributes(state: StateCore) -> None:
    """Take `{#id .class}` off the end of a heading, before its text is parsed, and give them
    to the heading: the title, the contents, the bookmarks and the running head then show the
    text alone."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.type != "heading_open" or tokens[i + 1].type != "inline":
            continue
        inline = tokens[i + 1]
        match = _TRAILING_ATTRS.search(inline.content)
        if match is None or not inline.content[: match.start()].strip():
            continue
        for name, value in _attributes(match[1]).items():
            if name == "class" and token.attrGet("class"):
                value = f"{token.attrGet('class')} {value}"
            token.attrSet(name, value)
        inline.content = inline.content[: match.start()].rstrip()


# --- Where a link stands in the manuscript ---------------------------------------------------


def _link_with_position(state: StateInline, silent: bool) -> bool:
    """markdown-it's own link rule, noting on the link where in the block's text it begins."""
    start, count = state.pos, len(state.tokens)
    if not link_rule(state, silent):
        return False
    for token in state.tokens[count:]:
        if token.type == "link_open":
            token.meta["pos"] = start
            break
    return True


def note_link_positions(md: MarkdownIt) -> None:
    """Have every link token carry `meta["pos"]`: where in its block's text it begins."""
    md.inline.ruler.at("link", _link_with_position)


def _locate(line: str, piece: str) -> int | None:
    """Where one line of a block's text (markup before it taken away) stands in its source line."""
    trimmed = piece.rstrip()
    if line.rstrip().endswith(trimmed):
        return len(line.rstrip()) - len(trimmed)
    found = line.find(piece.strip()) if piece.strip() else -1
    return found - (len(piece) - len(piece.lstrip())) if found >= 0 else None


def position(block: Token, pos: int, source_lines: Sequence[str]) -> tuple[int | None, int | None]:
    """1-based line and column in the source of offset `pos` of an inline block's text."""
    if block.map is None:
        return None, None
    before = block.content[:pos]
    index = before.count("\n")
    number = block.map[0] + index
    if number >= len(source_lines):
        return number + 1, None
    piece = block.content.split("\n")[index]
    start = _locate(source_lines[number], piece)
    if start is None:
        return number + 1, None
    return number + 1, start + len(before) - (before.rfind("\n") + 1) + 1


# --- Ids and same-file links while a chapter is parsed ----------------------------------------


def _plain(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in {"text", "code_inline"})


def _name_ids(tokens: Sequence[Token], chapter_id: str) -> None:
    """Give every heading its id and put every id of the Markdown in the chapter's namespace.
    A heading also keeps the ids a link may give it (`title_anchors`): its own and, when an
    {#id} replaced it, its slug."""
    taken: dict[str, int] = {}
    for i, token in enumerate(tokens):
        for owner in (token, *(token.children or [])):
            explicit = owner.attrGet("id")
            if owner.type == "heading_open":
                name = key(str(explicit)) if explicit else slug(_plain(tokens[i + 1]))
            elif explicit:
                name = key(str(explicit))
            else:
                continue
            name = _unique(name or "section", taken)
            owner.attrSet("id", namespaced(chapter_id, name))
            if owner.type == "heading_open":
                names = (name, slug(_plain(tokens[i + 1])))
                owner.meta["anchors"] = tuple(
                    dict.fromkeys(namespaced(chapter_id, n) for n in names)
                )


def title_anchors(title: Sequence[Token] | None) -> tuple[str, ...]:
    """The ids links may give a chapter's title (the title itself carries the chapter's id)."""
    return tuple(title[0].meta.get("anchors", ())) if title else ()


def _book_links(state: StateCore, chapter_id: str) -> None:
    """Point links within the file at namespaced ids; note on every link into the book where
    the manuscript wrote it (`noted` gathers them for each chapter cut from the file)."""
    source_lines = state.src.split("\n")
    for block in state.tokens:
        for token in block.children or []:
            href = token.attrGet("href") if token.type == "link_open" else None
            if href is None or _SCHEME.match(str(href)):
                continue
            written = unquote(str(href))
            if written.startswith("#"):
                name = key(written[1:])
                token.attrSet("href", f"#{namespaced(chapter_id, name) if name else chapter_id}")
            line, col = position(block, token.meta.get("pos", 0), source_lines)
            token.meta["octavo_link"] = Link(written, str(token.attrGet("href")), line, col)


def _anchors(state: StateCore) -> None:
    chapter_id = str(state.env.get("docId", "doc"))
    _name_ids(state.tokens, chapter_id)
    _book_links(state, chapter_id)


def anchors_plugin(md: MarkdownIt) -> None:
    """Heading ids and attributes, ids in the chapter's namespace, links noted with their
    place: what a parsed chapter hands to `resolve` (`noted`, `title_anchors`)."""
    md.core.ruler.after("block", "octavo_heading_attributes", _heading_attributes)
    note_link_positions(md)
    md.core.ruler.after("inline", "octavo_anchors", _anchors)


def noted(tokens: Sequence[Token]) -> tuple[Link, ...]:
    """The links into the book that these tokens hold, with their places."""
    return tuple(
        child.meta["octavo_link"]
        for block in tokens
        for child in block.children or []
        if "octavo_link" in child.meta
    )


# --- Raw HTML ids -------------------------------------------------------------------------

_ID_ATTRIBUTE = re.compile(r'(\sid=")([^"]*)(")')
_GENERATED = ("fn-", "fnref-")  # footnotes: unique already (markup.py)


def own_raw_ids(chapter: Chapter, chapter_id: str) -> Chapter:
    """Put the ids of the chapter's raw HTML (`<a id="x">`) in its namespace, as its
    Markdown's are; the chapter's HTML is sanitized, so every id is written `id="…"`."""
    mine = namespaced(chapter_id, "")

    def own(match: re.Match[str]) -> str:
        value = html.unescape(match[2])
        if value.startswith((mine, *_GENERATED)):
            return match[0]
        return f"{match[1]}{html.escape(namespaced(chapter_id, key(value)))}{match[3]}"

    if ' id="' not in chapter.body_html:
        return chapter
    return replace(chapter, body_html=_ID_ATTRIBUTE.sub(own, chapter.body_html))


# --- The book: links between chapters --------------------------------------------------------

_ANCHOR_ELEMENT = re.compile(r"<a(\s[^>]*)?>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\shref="([^"]*)"')


def _where(path: Path) -> str:
    return os.path.normpath(path.absolute())


class _Book:
    """Every id of the book, each chapter by the file it was read from, and where its pages
    stand on the web, if they do."""

    def __init__(self, chapters: Sequence[Chapter], config: Config) -> None:
        self.web = config.web_edition
        self.pages = config.mdbook_src or config.root / MANUSCRIPT_DIR
        self.ids: set[str] = set()
        self.titles: dict[str, str] = {}  # an id a link may give a title → its chapter's id
        self.by_path: dict[str, Chapter] = {}
        for chapter in chapters:
            self.ids.add(chapter.id)
            self.titles.update(dict.fromkeys(chapter.title_anchors, chapter.id))
            for text in (chapter.title_html, chapter.body_html):
                self.ids.update(html.unescape(m[2]) for m in _ID_ATTRIBUTE.finditer(text))
            self.by_path.setdefault(_where(chapter.source), chapter)

    def chapter_at(self, path: Path) -> Chapter | None:
        """The chapter a file path names: itself, the Markdown behind an .html page, or a
        folder's README.md / index.md."""
        where = _where(path)
        candidates = [where]
        stem, suffix = os.path.splitext(where)
        if suffix.lower() in _WEB_SUFFIXES:
            candidates += [stem + s for s in CHAPTER_SUFFIXES]
            if os.path.basename(stem) == "index":
                candidates += [os.path.join(os.path.dirname(stem), p) for p in FOLDER_PAGES]
        elif not suffix:
            candidates += [os.path.join(where, p) for p in FOLDER_PAGES]
        return next((self.by_path[c] for c in candidates if c in self.by_path), None)

    def online(self, chapter: Chapter, href: str) -> tuple[str | None, str]:
        """A link to no chapter: on the book's web edition, if it has one (mdBook publishes
        every file of its source folder beside the pages, and ../ leads to its neighbours)."""
        if self.web is None:
            leaves = not _where(chapter.source.parent / href).startswith(_where(self.pages))
            if leaves:
                return None, "leaves the book (web_edition in book.toml would link it to the web)"
            return None, "not a chapter of this book"
        page = Path(os.path.relpath(chapter.source, self.pages)).with_suffix(".html")
        return urljoin(urljoin(self.web, page.as_posix()), href), ""

    def place(self, chapter: Chapter, fragment: str) -> str | None:
        """The id a fragment names in a chapter (the file it was read from), or None."""
        if not fragment:
            return chapter.id
        space = namespace(chapter)
        for candidate in (fragment, namespaced(space, key(fragment))):
            if candidate in self.titles:
                return self.titles[candidate]
            if candidate in self.ids and candidate.startswith(namespaced(space, "")):
                return candidate
        return None

    def target(self, href: str, chapter: Chapter) -> tuple[str | None, str]:
        """The href a link of `chapter` gets in the book, or None and why it leads nowhere;
        a web or mail link keeps its href."""
        if _SCHEME.match(href):
            return href, ""
        path, _, fragment = href.partition("#")
        path, fragment = unquote(path.partition("?")[0]), unquote(fragment)
        if not path:
            if fragment in self.ids:
                return href, ""
            if fragment in self.titles:
                return f"#{self.titles[fragment]}", ""
            found = self.place(chapter, fragment)
            return (f"#{found}", "") if found else (None, "no heading or anchor of that name here")
        target = self.chapter_at(chapter.source.parent / path)
        if target is None and path.lower().endswith(CHAPTER_SUFFIXES):
            return None, "not a chapter of this book"  # a manuscript file, never a web page
        if target is None:
            return self.online(chapter, href)
        found = self.place(target, fragment)
        if found is None:
            return None, f"no heading or anchor of that name in {target.source.name}"
        return f"#{found}", ""


def _resolve_chapter(chapter: Chapter, book: _Book) -> Chapter:
    notes: dict[str, list[Link]] = {}
    for link in chapter.links:
        notes.setdefault(unquote(link.href), []).append(link)
    warnings: list[Diagnostic] = []

    def settle(match: re.Match[str]) -> str:
        attributes = match[1] or ""
        href_match = _HREF.search(attributes)
        if href_match is None:
            return match[0]
        href = html.unescape(href_match[1])
        target, why = book.target(href, chapter)
        if target is not None:
            if target == href:
                return match[0]
            new = f' href="{html.escape(target)}"'
            return f"<a{attributes.replace(href_match[0], new, 1)}>{match[2]}</a>"
        noted = notes.get(unquote(href), [])
        link = noted.pop(0) if noted else Link(href, href, None, None)
        warnings.append(
            codes.get("S005").at(
                chapter.source, link.line, link.col, f"{link.written}: {why}; set as plain text"
            )
        )
        rest = attributes.replace(href_match[0], "", 1)
        return f"<span{rest}>{match[2]}</span>" if rest.strip() else match[2]

    title_html = _ANCHOR_ELEMENT.sub(settle, chapter.title_html)
    body_html = _ANCHOR_ELEMENT.sub(settle, chapter.body_html)
    if not warnings and title_html == chapter.title_html and body_html == chapter.body_html:
        return replace(chapter, links=())
    return replace(
        chapter,
        title_html=title_html,
        body_html=body_html,
        links=(),
        diagnostics=(*chapter.diagnostics, *warnings),
    )


def resolve(chapters: Sequence[Chapter], config: Config) -> tuple[Chapter, ...]:
    """Every link of the book pointed at the id it names (or at the book's web edition), or
    made plain text with a warning."""
    book = _Book(chapters, config)
    return tuple(_resolve_chapter(c, book) for c in chapters)
