"""Code: listings (fenced and indented blocks) and inline code, set for both editions.

A listing becomes

    <figure class="listing">                       only when it has a caption
      <figcaption>Listing 4-1: …</figcaption>
      <pre class="code"><code class="language-rust">
        <span class="line">…one source line, its tokens in spans…</span>
      </code></pre>
    </figure>

- **Highlighting** comes from Pygments, by the fence's language. mdBook's and rustdoc's info
  strings (`rust,ignore`, `compile_fail`, `should_panic`, `no_run`, `edition2018`, `E0597`…)
  are Rust. Tokens get a few short classes (`kw` keyword, `ty` type, `fn` function, `ma` macro,
  `at` attribute, `st` string, `nu` number, `co` comment) that the themes style: by weight, slant
  and grey in print, inheriting the reader's colours in the EPUB.
- **One element per source line**, so the theme can turn a line too long for the measure over
  with a hanging indent and a continuation mark, and keep a short listing whole on its page.
  An indented line carries its own hanging indent (`style="padding-left…; text-indent…"`): its
  turned-over rows start 4ch inside its indentation.
  Indentation and runs of spaces are wrapped in `<span class="ws">` (kept as typed); a single
  space between tokens stays an ordinary break opportunity (WeasyPrint counts preserved spaces at
  the end of a turned line as overflow, which would turn lines at the indentation instead).
  A line holding a run without a space too long for a turned row of the narrowest page is
  `<span class="line long">`: it may break anywhere (WeasyPrint's `overflow-wrap: anywhere`
  does not break a run that spans several tokens), so nothing runs into the margin.
- **Rust's hidden lines** (`# use std::mem;`, mdBook's and rustdoc's convention for setup code
  the reader need not see) are left out; `##` shows a single `#`.
- **Captions**: `rust title="Listing 4-1: …"` (or `caption=`) in the info string, or a
  paragraph that begins `Listing 4-1:` right before the block.
- **Inline code** gets `<wbr/>` after `::`, `_`, `.` and `/` in long spans: a line may break
  there, and a reader who copies the code gets exactly what the author typed.

The text of every listing is the text the author typed (less hidden lines): the spans add no
characters, so copying from the EPUB gives working code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# rustdoc's and mdBook's code block attributes: a block that names any of them is Rust.
RUST_ATTRIBUTES = frozenset(
    {
        "rust",
        "ignore",
        "compile_fail",
        "should_panic",
        "no_run",
        "test_harness",
        "allow_fail",
        "editable",
        "noplayground",
        "mdbook-runnable",
        "standalone_crate",
    }
)
_RUST_ATTRIBUTE = re.compile(r"^(?:edition\d{4}|E\d{4}|ignore-[\w-]+)$")
_PLAIN = frozenset({"text", "txt", "plain", "plaintext", "none", "output"})
_INFO_ATTRIBUTE = re.compile(r"""(\w[\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_LANGUAGE_NAME = re.compile(r"[^A-Za-z0-9_+#-]")
CAPTION_PARAGRAPH = re.compile(r"^Listing\s+[\w.-]+\s*:")
SHORT_LISTING = 4  # lines: a listing this short is kept whole on its page
MAX_HANGING = 16  # characters: a line indented deeper turns over at this indent
# A turned row of the narrowest trim (A6: 47 characters of 8 pt code) less its 2ch gutter and
# 4ch hang: a line holding a longer run without a space, less its indentation, may break anywhere.
LONG_RUN = 41
_WORD_BREAKS = re.compile(r"(::|[_./])(?=\w)")


def parse_info(info: str) -> tuple[str | None, dict[str, str]]:
    """The language a fence names (None: plain text) and its `key="value"` attributes."""
    attributes = {
        m[1]: next(v for v in m.groups()[1:] if v is not None)
        for m in _INFO_ATTRIBUTE.finditer(info)
    }
    words = [w for w in re.split(r"[\s,{}]+", _INFO_ATTRIBUTE.sub(" ", info)) if w]
    words = [w.lstrip(".") for w in words]
    if any(w in RUST_ATTRIBUTES or _RUST_ATTRIBUTE.match(w) for w in words):
        return "rust", attributes
    if not words or words[0].lower() in _PLAIN:
        return None, attributes
    return words[0].lower(), attributes


def shown_rust_line(line: str) -> str | None:
    """A line of a Rust listing as mdBook and rustdoc show it, or None if it is hidden: lines
    `# …` (and a lone `#`) are hidden, `##` shows as `#`; `#[attr]` and `#![attr]` are code."""
    match = re.match(r"^(\s*)#(.?)", line)
    if match is None or match[2] in {"[", "!"}:
        return line
    if match[2] == "#":
        return line.replace("##", "#", 1)
    return None


def visible_rust(code: str) -> str:
    """A Rust listing less its hidden lines (shown_rust_line)."""
    shown = (shown_rust_line(line) for line in code.splitlines(keepends=True))
    return "".join(line for line in shown if line is not None)


# --- Highlighting ---------------------------------------------------------------------------


def _classes() -> tuple[tuple[Any, str], ...]:
    from pygments import token as t

    # The most specific first: a token takes the class of the first type it descends from.
    return (
        (t.Comment.Preproc, "at"),
        (t.Comment.PreprocFile, "at"),
        (t.String.Doc, "co"),
        (t.Comment, "co"),
        (t.Keyword.Type, "ty"),
        (t.Keyword, "kw"),
        (t.Name.Builtin.Pseudo, "kw"),
        (t.Name.Builtin, "ty"),
        (t.Name.Class, "ty"),
        (t.Name.Function.Magic, "ma"),
        (t.Name.Function, "fn"),
        (t.Name.Decorator, "at"),
        (t.String, "st"),
        (t.Number, "nu"),
        (t.Generic.Prompt, "kw"),
        (t.Generic.Output, "co"),
    )


@lru_cache(maxsize=256)
def _class_of(token_type: Any) -> str:
    for kind, name in _classes():
        if token_type in kind:
            return name
    return ""


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=True, tabsize=0)
    except ClassNotFound:
        return None


def _tokens(code: str, language: str | None) -> Iterator[tuple[str, str]]:
    """(class, text) pieces of the code; class "" for text left plain."""
    lexer = _lexer(language) if language else None
    if lexer is None:
        yield "", code
        return
    for token_type, text in lexer.get_tokens(code):
        yield _class_of(token_type), text


def _words_html(text: str) -> str:
    """Text inside a line: runs of two or more spaces (alignment) and tabs kept as typed in
    `ws` spans, single spaces left as break opportunities (module docstring)."""
    out = []
    for piece in re.split(r"([ \t]{2,}|\t)", text):
        if not piece:
            continue
        if piece != " " and piece.isspace():
            out.append(f'<span class="ws">{piece}</span>')
            continue
        out.append(escapeHtml(piece))
    return "".join(out)


def _line_html(pieces: Sequence[tuple[str, str]]) -> str:
    """One source line: its indentation and any trailing spaces in `ws` spans (an ordinary
    space there would be dropped at the start of a row, or overflow at its end), the rest
    through `_words_html`, each token in the span of its class."""
    text = "".join(t for _, t in pieces)
    lead = len(text) - len(text.lstrip(" \t"))
    trail = len(text.rstrip(" \t")) if text.strip() else lead
    out, offset = [], 0
    for name, piece in pieces:
        inner = (c - offset for c in (lead, trail) if 0 < c - offset < len(piece))
        cuts = sorted({0, len(piece), *inner})
        html = []
        for start, end in pairwise(cuts):
            part, at = piece[start:end], offset + start
            if at < lead or at >= trail:
                html.append(f'<span class="ws">{escapeHtml(part)}</span>')
            else:
                html.append(_words_html(part))
        offset += len(piece)
        joined = "".join(html)
        out.append(f'<span class="{name}">{joined}</span>' if name and piece.strip() else joined)
    return "".join(out)


def highlighted_lines(code: str, language: str | None) -> list[str]:
    """The listing as HTML, one string per source line (spans closed at each line's end)."""
    lines: list[list[tuple[str, str]]] = [[]]
    for name, text in _tokens(code, language):
        for n, part in enumerate(text.split("\n")):
            if n:
                lines.append([])
            if part and lines[-1] and lines[-1][-1][0] == name:
                lines[-1][-1] = (name, lines[-1][-1][1] + part)  # one span for a run of a kind
            elif part:
                lines[-1].append((name, part))
    if lines and not lines[-1]:
        lines.pop()  # the newline that ends the last line
    return [_line_html(pieces) for pieces in lines]


def _line_attributes(line: str) -> str:
    """A line's turned-over rows hang 4ch inside its own indentation, so a listing keeps its
    shape (the theme's default, for lines not indented, hangs them 4ch inside the margin);
    a line with a run too long for a turned row may break anywhere (`long`)."""
    expanded = line.expandtabs(4)
    indent = min(len(expanded) - len(expanded.lstrip(" ")), MAX_HANGING)
    longest = max((len(word) for word in line.split()), default=0)
    classes = "line long" if longest > LONG_RUN - indent else "line"
    if not line.strip() or indent == 0:
        return f'class="{classes}"'
    return f'class="{classes}" style="padding-left: {indent + 6}ch; text-indent: -{indent + 4}ch"'


def listing_html(code: str, language: str | None, classes: str = "", attributes: str = "") -> str:
    """`<pre class="code">`: one `<span class="line">` per source line; `classes` and
    `attributes` are the author's own (`{#id .class}`)."""
    if language == "rust":
        code = visible_rust(code)
    sources = code.split("\n")
    lines = highlighted_lines(code, language)
    body = "\n".join(
        f"<span {_line_attributes(source)}>{line}</span>"
        for source, line in zip(sources, lines, strict=False)
    )
    own = "code short" if len(lines) <= SHORT_LISTING else "code"
    name = _LANGUAGE_NAME.sub("", language or "")
    code_class = f' class="language-{name}"' if name else ""
    pre_class = f"{own} {classes}".strip()
    return f'<pre class="{pre_class}"{attributes}><code{code_class}>{body}\n</code></pre>\n'


# --- markdown-it rules ----------------------------------------------------------------------


def inline_code_html(content: str, attributes: str = "") -> str:
    """Inline code, with break opportunities (`<wbr/>`, no character) after `::`, `_`, `.` and
    `/` when it is long enough to need them; `attributes` as markdown-it renders them
    (`{.class}` after the span)."""
    if len(content) < 16:
        return f"<code{attributes}>{escapeHtml(content)}</code>"
    pieces = _WORD_BREAKS.split(content)
    out = []
    for n, piece in enumerate(pieces):
        out.append(escapeHtml(piece))
        if n % 2:  # a separator: a line may break after it
            out.append("<wbr />")
    return f"<code{attributes}>{''.join(out)}</code>"


def _pre_attributes(token: Token) -> tuple[str, str]:
    """The attributes an author gave a block (`{#id .class}`), for its `<pre>`: classes join
    the listing's own."""
    classes = str(token.attrGet("class") or "").split()
    others = "".join(
        f' {name}="{escapeHtml(str(value))}"'
        for name, value in (token.attrs or {}).items()
        if name != "class"
    )
    return " ".join(classes), others


def _captions(state: StateCore) -> None:
    """A paragraph `Listing 4-1: …` right before a code block becomes its caption; the
    paragraph's inline text stays in the token stream (typography and the linter see it)."""
    tokens = state.tokens
    for i in range(len(tokens) - 3):
        opening, inline, closing, block = tokens[i : i + 4]
        if (
            opening.type == "paragraph_open"
            and closing.type == "paragraph_close"
            and block.type in {"fence", "code_block"}
            and opening.level == block.level
            and CAPTION_PARAGRAPH.match(inline.content)
        ):
            opening.type, closing.type = "listing_caption_open", "listing_caption_close"
            block.meta["captioned"] = True


def code_plugin(md: MarkdownIt) -> None:
    """Listings and inline code as the module docstring says."""

    def fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        language, attributes = parse_info(token.info)
        html = listing_html(token.content, language, *_pre_attributes(token))
        if token.meta.get("captioned"):
            return html + "</figure>\n"
        caption = attributes.get("title") or attributes.get("caption")
        if not caption:
            return html
        text = md.renderInline(caption, env)
        return f'<figure class="listing">\n<figcaption>{text}</figcaption>\n{html}</figure>\n'

    def code_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        html = listing_html(tokens[idx].content, None, *_pre_attributes(tokens[idx]))
        return html + "</figure>\n" if tokens[idx].meta.get("captioned") else html

    def code_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return inline_code_html(tokens[idx].content, self.renderAttrs(tokens[idx]))

    md.core.ruler.push("octavo_listing_captions", _captions)
    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", code_block)
    md.add_render_rule("code_inline", code_inline)
    md.add_render_rule("listing_caption_open", lambda *_: '<figure class="listing">\n<figcaption>')
    md.add_render_rule("listing_caption_close", lambda *_: "</figcaption>\n")
