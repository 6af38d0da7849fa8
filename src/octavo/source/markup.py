"""Manuscript text → Chapter: markdown-it-py with footnotes, attributes, anchors, front matter.

Plain text goes through the same parser with every Markdown rule off, so that typography and
HTML escaping are done once, the same way, for both kinds of source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from octavo.book import divisions
from octavo.book.config import Config
from octavo.book.model import Chapter, Heading, Source
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError
from octavo.core.slug import slugify
from octavo.source import audit, formulas, links, sanitize
from octavo.source.admonitions import admonitions_plugin
from octavo.source.code import code_plugin
from octavo.source.equivalents import equivalents_plugin
from octavo.source.figures import figures_plugin
from octavo.source.lines import ENV_KEY, data_line_plugin, plain_text_lines
from octavo.source.superiors import superiors_plugin
from octavo.source.tasks import tasks_plugin
from octavo.source.typography import smarten, typography_plugin
from octavo.source.verse import verse_plugin

# Front matter decides the file's typography, so it is read before the real parse: with every
# other rule off, that first pass costs a fraction of a full CommonMark parse.
_FRONT_MATTER = MarkdownIt("zero").use(front_matter_plugin)


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    typography: bool | None = None
    division: str | None = None  # `type:` dedication, epigraph, preface, … (divisions.py)
    subtitle: str | None = None  # shown under the chapter's title


def chapter_id(source: Source) -> str:
    if source.id:
        return source.id
    slug = slugify(source.path.stem) or "chapter"
    return slug if slug[0].isalpha() else f"c{slug}"


def parser(config: Config, plain: bool, typography: bool, doc_id: str) -> MarkdownIt:
    """The one parser of manuscript files: the build renders with it and `octavo check` lints
    what it reads, so both see the same text. Markdown allows raw HTML (sanitize.py keeps safe
    markup and warns about the rest; plain text shows `<` as typed), and nesting is bounded so
    that markdown-it never drops text unseen (CommonMark's limit of 20 would)."""
    options: dict[str, Any] = {
        "xhtmlOut": True,
        "html": not plain,
        "maxNesting": sanitize.PARSER_MAX_NESTING,
    }
    if plain:
        md = MarkdownIt("zero", options)
    else:
        md = MarkdownIt("commonmark", options)
        md.use(front_matter_plugin).use(footnote_plugin).use(attrs_plugin).use(attrs_block_plugin)
        md.use(links.anchors_plugin)  # heading ids and {#id}, links noted with their place
        md.enable(["table", "strikethrough"])  # GitHub's (and Pandoc's) ~~struck~~
        md.use(audit.accessible_structure)
        footnote_markup(md)
        md.use(code_plugin)
        md.use(figures_plugin)  # a paragraph holding only an image is a figure
        md.use(verse_plugin)
        md.use(deflist_plugin)  # Term, then `: its definition` (Pandoc, PHP Markdown Extra)
        md.use(tasks_plugin)  # `- [ ]` and `- [x]`: a box for a bullet (GitHub, mdBook)
        md.use(superiors_plugin)  # H~2~O and 2^10^ (Pandoc)
        md.use(admonitions_plugin, config)  # > [!NOTE]: a labelled note set apart
        md.use(formulas.formulas_plugin, config)  # $…$, $$…$$ (and mdBook's \\(…\\)): TeX formulas
    if typography:
        # octavo's own rule, not markdown-it's smartquotes: French spacing, apostrophes such as
        # ’tis and ’90s, and no-break spaces need the book's language (typography.py).
        md.use(typography_plugin, config.language)
    md.use(equivalents_plugin, config)  # ⸺ as two em dashes where the face lacks it…
    md.use(data_line_plugin)
    return md


def front_matter(tokens: Sequence[Token], source: Source) -> FrontMatter:
    for token in tokens:
        if token.type != "front_matter":
            continue
        try:
            data = yaml.safe_load(token.content) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            raise SourceError("front matter is not valid YAML", source.path, line) from None
        if not isinstance(data, dict):
            raise SourceError("front matter must be 'key: value' lines", source.path, 2)
        title = data.get("title")
        typo = data.get("typography")
        subtitle = data.get("subtitle")
        if title is not None and not isinstance(title, str):
            raise SourceError("front matter 'title' must be text", source.path, 2)
        if subtitle is not None and not (isinstance(subtitle, str) and subtitle.strip()):
            raise SourceError("front matter 'subtitle' must be text", source.path, 2)
        for key in ("typography", "verse"):  # verse: read by verse.py
            if data.get(key) is not None and not isinstance(data.get(key), bool):
                raise SourceError(f"front matter '{key}' must be true or false", source.path, 2)
        division = data.get("type")
        if division is not None and division not in divisions.DIVISIONS:
            known = ", ".join(sorted(divisions.DIVISIONS))
            raise SourceError(f"front matter 'type' must be one of: {known}", source.path, 2)
        subtitle = " ".join(subtitle.split()) if subtitle else None
        return FrontMatter(title=title, typography=typo, division=division, subtitle=subtitle)
    return FrontMatter()


def plain_text_paragraphs(text: str) -> list[str]:
    """One paragraph per line, or paragraphs separated by blank lines: whichever the file uses."""
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    wrapped = any("\n" in b.strip() for b in blocks) and len(blocks) > 1
    if wrapped:
        return [" ".join(line.strip() for line in b.strip().split("\n")) for b in blocks]
    return [line.strip() for line in text.split("\n") if line.strip()]


def _title_tokens(tokens: list[Token]) -> tuple[list[Token] | None, list[Token]]:
    """Split the first level-1 heading (the chapter title) from the rest."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return tokens[i : i + 3], tokens[:i] + tokens[i + 3 :]
        if token.type not in {"front_matter"}:
            break
    return None, tokens


def _headings(tokens: Sequence[Token]) -> tuple[Heading, ...]:
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h2", "h3"} and token.attrGet("id"):
            found.append(
                Heading(int(token.tag[1]), str(token.attrGet("id")), tokens[i + 1].content)
            )
    return tuple(found)


@dataclass(frozen=True)
class Parsed:
    """One manuscript file through the parser: its tokens and what rendering them needs. A file
    becomes one chapter, or several (source/split.py)."""

    source: Source
    doc_id: str
    front: FrontMatter
    md: MarkdownIt
    env: dict[str, Any]
    tokens: list[Token]
    inspection: sanitize.Inspection
    warnings: tuple[Diagnostic, ...]


def read(source: Source, config: Config, lenient: bool = False) -> Parsed:
    """Parse one manuscript file; `lenient` leaves broken images out instead of stopping
    (octavo check reports them itself). The source comes through manuscript.strip_forbidden,
    which removes the characters XML forbids and says so."""
    text = source.text
    doc_id = chapter_id(source)
    plain = source.kind == "text"
    if plain:
        text = "\n\n".join(plain_text_paragraphs(text))
    front = FrontMatter() if plain else front_matter(_FRONT_MATTER.parse(text), source)
    typography = config.typography if front.typography is None else front.typography
    if front.subtitle and typography:
        front = replace(front, subtitle=smarten(front.subtitle, config.language))
    md = parser(config, plain, typography, doc_id)
    env: dict[str, Any] = {"docId": doc_id}
    if plain:
        env[ENV_KEY] = plain_text_lines(source.text)
    tokens = md.parse(text, env)
    alt_warnings = audit.alt_text_diagnostics(tokens, source.path)  # before srcs are renamed
    alt_warnings += formulas.diagnostics(tokens, source.path)  # formulas that do not parse
    inspection = sanitize.inspect(tokens, source.path, config.root, lenient)
    return Parsed(source, doc_id, front, md, env, tokens, inspection, tuple(alt_warnings))


def chapter(
    parsed: Parsed, tokens: list[Token], fallback_title: str, ident: str = "", first: bool = True
) -> Chapter:
    """A chapter of `tokens`: the whole file's, or one of its sections (`ident` then names the
    chapter). The file's warnings go with its first chapter."""
    md, env = parsed.md, parsed.env
    division = divisions.division_for(parsed.front.division, parsed.source.path)
    title_tokens, body = _title_tokens(tokens)
    if title_tokens:
        inline = title_tokens[1]
        title = "".join(
            t.content for t in (inline.children or []) if t.type in {"text", "code_inline"}
        )
        title_html = md.renderer.render(inline.children or [], md.options, env)
    else:
        title = parsed.front.title or fallback_title
        title_html = md.renderer.render(
            md.parseInline(title, env)[0].children or [], md.options, env
        )
    body_html = md.renderer.render(body, md.options, env)
    made = Chapter(
        id=ident or parsed.doc_id,
        title=title.strip() or fallback_title,
        title_html=title_html,
        body_html=body_html,
        source=parsed.source.path,
        headings=_headings(body),
        division=division.name,
        matter=division.matter,
        diagnostics=parsed.warnings if first else (),
        subtitle=parsed.front.subtitle if first else None,
        links=links.noted(tokens),
        title_anchors=links.title_anchors(title_tokens),
    )
    inspection = parsed.inspection if first else replace(parsed.inspection, warnings=())
    return links.own_raw_ids(inspection.secure(made), parsed.doc_id)


def parse(source: Source, config: Config, fallback_title: str, lenient: bool = False) -> Chapter:
    """Parse one manuscript file into one chapter (see read())."""
    parsed = read(source, config, lenient)
    return chapter(parsed, parsed.tokens, fallback_title)


# --- Footnotes (EPUB-friendly markup both targets share) --------------------------------------


def _note_ids(tokens: Sequence[Token], idx: int, env: Any) -> tuple[str, str]:
    """The note's id and the id of its first reference, unique in the whole book."""
    doc_id = env.get("docId", "doc") if isinstance(env, dict) else "doc"
    n = tokens[idx].meta["id"] + 1
    return f"fn-{doc_id}-{n}", f"fnref-{doc_id}-{n}"


def _render_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    note, ref = _note_ids(tokens, idx, env)
    sub = tokens[idx].meta.get("subId", 0)
    ref_id = f"{ref}-{sub}" if sub > 0 else ref
    n = tokens[idx].meta["id"] + 1
    return (
        f'<sup class="footnote-ref"><a epub:type="noteref" role="doc-noteref" '
        f'href="#{note}" id="{ref_id}">{n}</a></sup>'
    )


def _render_note_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    note, _ = _note_ids(tokens, idx, env)
    return f'<aside epub:type="footnote" role="doc-footnote" class="footnote" id="{note}">\n'


def _label_notes(state: Any) -> None:
    """Open each note with its number, linking back to where it is called: pop-up readers show
    the number, and a reader of the notes at the chapter's end can jump back."""
    tokens = state.tokens
    labelled = False
    for i, token in enumerate(tokens):
        if token.type == "footnote_open":
            labelled = i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open"
            if labelled:
                _, ref = _note_ids(tokens, i, state.env)
                label = Token("html_inline", "", 0)
                label.content = (
                    f'<a class="footnote-label" role="doc-backlink" href="#{ref}">'
                    f"{token.meta['id'] + 1}</a> "
                )
                tokens[i + 2].children = [label, *(tokens[i + 2].children or [])]
        elif token.type == "footnote_anchor":
            token.meta["labelled"] = labelled


def _render_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # A note that opens with a paragraph links back from its number; any other keeps one link.
    if tokens[idx].meta.get("labelled") or tokens[idx].meta.get("subId", 0) > 0:
        return ""
    _, ref = _note_ids(tokens, idx, env)
    n = tokens[idx].meta["id"] + 1
    return f' <a class="footnote-backlink" role="doc-backlink" href="#{ref}">[{n}]</a>'


def footnote_markup(md: MarkdownIt) -> None:
    """Footnotes as EPUB 3 pop-up notes: `<aside epub:type="footnote" role="doc-footnote">`
    after the chapter, called by `<a epub:type="noteref" role="doc-noteref">`. The print edition
    reads the same markup (its CSS places the notes)."""
    md.core.ruler.after("footnote_tail", "octavo_note_labels", _label_notes)
    md.add_render_rule("footnote_ref", _render_ref)
    md.add_render_rule("footnote_block_open", lambda *_: '<div class="footnotes">\n')
    md.add_render_rule("footnote_block_close", lambda *_: "</div>\n")
    md.add_render_rule("footnote_open", _render_note_open)
    md.add_render_rule("footnote_close", lambda *_: "</aside>\n")
    md.add_render_rule("footnote_anchor", _render_anchor)
