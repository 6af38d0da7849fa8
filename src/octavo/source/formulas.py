"""TeX mathematics in the manuscript: `$…$` inline, `$$…$$` displayed (Pandoc's and Quarto's
syntax), and an mdBook project's MathJax delimiters `\\(…\\)` and `\\[…\\]` when its book.toml
says `[output.html] mathjax-support = true`.

Parsing follows Pandoc's rules, so prose about prices is left alone: the opening `$` has a
non-space after it, the closing `$` a non-space before it and no digit after it ("$5 and $10"
stays text); `\\$` is a dollar, and code spans are code.

The chapter's HTML carries each formula as its TeX in a placeholder (`<span class="math-inline">`
or `<div class="math-display">`), which the sanitizer keeps as it keeps any span. Each edition then
sets it its own way: the EPUB as MathML with the TeX in `alttext` (`epub_html`), the print edition
as an SVG picture drawn from the same MathML by ziamath in its STIX Two Math face (`print_html`),
since WeasyPrint draws no MathML. A formula that does not parse is set as code, in both editions,
and reported once where the manuscript wrote it (S010): never a traceback, never a refused book.

Both editions convert with latex2mathml (which ziamath itself uses), so they agree on what parses.
latex2mathml is lenient, so `problem` adds the checks it lacks: balanced braces, known
environments, no unknown `\\command` passed through as text, and output that is well-formed XML.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Sequence
from html import escape, unescape
from pathlib import Path
from typing import Any

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar

from octavo.book.config import Config
from octavo.book.pages import FORMULA_CLASS
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.source.links import position

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
INLINE, DISPLAY, SOURCE = "math-inline", "math-display", "math-tex"
_ERROR = "octavo_formula_error"
_MATH_TYPES = frozenset({"math_inline", "math_inline_double", "math_block", "mathjax"})

# --- What parses ----------------------------------------------------------------------------


def _tex(tex: str) -> str:
    """The TeX latex2mathml is given: `aligned` is spelled as the `align*` it knows (as ziamath
    does), so a Pandoc book's aligned equations come out as a table, not as stray `&`s."""
    return tex.replace(r"\begin{aligned}", r"\begin{align*}").replace(
        r"\end{aligned}", r"\end{align*}"
    )


def _braces(tex: str) -> str | None:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex, re.S):
        if match[0] == "{":
            depth += 1
        elif match[0] == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes no '{'"
    return "a '{' is never closed" if depth else None


_BEGIN = re.compile(r"\\begin\s*\{([^}]*)\}")
_PASSED_THROUGH = re.compile(r">(\\[A-Za-z]+)<")  # an unknown command, kept as text


@functools.lru_cache(maxsize=4096)
def converted(tex: str, display: bool) -> tuple[str | None, str | None]:
    """(MathML, None) for TeX that parses, or (None, why not)."""
    from latex2mathml.commands import MATRICES
    from latex2mathml.converter import convert

    if not tex.strip():
        return None, "the formula is empty"
    why = _braces(tex)
    unknown = [n for n in _BEGIN.findall(_tex(tex)) if "\\" + n not in MATRICES]
    if why is None and unknown:
        why = f"unknown environment '{unknown[0]}'"
    if why is not None:
        return None, why
    try:
        mathml = convert(_tex(tex), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml says what is wrong by its exception's name alone
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()
        return None, f"{words.removesuffix(' error')}{': ' + str(exc) if str(exc) else ''}"
    passed = _PASSED_THROUGH.search(mathml)
    if passed:
        return None, f"unknown command {passed[1]}"
    try:
        etree.fromstring(mathml)
    except etree.XMLSyntaxError:
        return None, "the formula cannot be written as MathML"
    return mathml, None


def problem(tex: str, display: bool = False) -> str | None:
    """Why this TeX does not parse, or None."""
    return converted(tex, display)[1]


# --- Markdown ------------------------------------------------------------------------------


def delimiters(config: Config) -> tuple[bool, bool]:
    """Which delimiters the book's formulas use: (`$…$` and `$$…$$`, `\\(…\\)` and `\\[…\\]`).
    Every book writes dollars but an mdBook project, where a dollar is a dollar unless the
    mdbook-katex preprocessor is on; an mdBook project whose HTML output loads MathJax writes
    the backslashed delimiters (book/config.py reads both from book.toml)."""
    return config.math_delimiters


_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _mathjax(state: StateInline, silent: bool) -> bool:
    r"""`\\(…\\)` inline and `\\[…\\]` displayed, as mdBook hands them to MathJax: Markdown
    runs first, so the TeX is what its backslash escapes leave (`\\\\` → `\\`, `\_` → `_`)."""
    src, pos = state.src, state.pos
    opener = src[pos : pos + 3]
    if opener not in {"\\\\(", "\\\\["}:
        return False
    closer = "\\\\)" if opener == "\\\\(" else "\\\\]"
    end = src.find(closer, pos + 3)
    if end < 0 or not src[pos + 3 : end].strip():
        return False
    if not silent:
        token = state.push("mathjax", "math", 0)
        token.content = _BACKSLASH_ESCAPE.sub(r"\1", src[pos + 3 : end])
        token.markup = opener
        token.meta["pos"] = pos
        token.meta["display"] = opener.endswith("[")
    state.pos = end + 3
    return True


def _with_position(rule: Callable[[StateInline, bool], bool]) -> Any:
    """dollarmath's inline rule, its tokens noting where in the block's text they begin. A
    formula never runs into a code span: "$10, and `$x$`" is a price and code, not a formula
    from the price to the backtick (TeX has no use for a backtick in mathematics)."""

    def noted(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if "`" in state.src[start : state.pos]:
            state.pos = start
            if len(state.tokens) > count:
                state.tokens.pop()
                state.tokens_meta.pop()
            return False
        if not silent and len(state.tokens) > count:
            state.tokens[-1].meta["pos"] = start
        return True

    return noted


def _is_display(token: Token) -> bool:
    return token.type in {"math_block", "math_inline_double"} or bool(token.meta.get("display"))


def _check(state: Any) -> None:
    """Parse every formula now, so that one that does not is reported at its place."""
    lines = state.src.split("\n")
    for block in state.tokens:
        for token in (block, *(block.children or [])):
            if token.type not in _MATH_TYPES:
                continue
            why = problem(token.content.strip(), _is_display(token))
            if why is None:
                continue
            if token is block:
                line = (block.map[0] + 1) if block.map else None
                col = _block_column(lines, line)
            else:
                line, col = position(block, token.meta.get("pos", 0), lines)
            token.meta[_ERROR] = (line, col, why)


def _block_column(lines: Sequence[str], line: int | None) -> int | None:
    if line is None or line > len(lines):
        return None
    found = lines[line - 1].find("$$")
    return found + 1 if found >= 0 else None


def _render(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    tex = token.content.strip()
    display = _is_display(token)
    if _ERROR in token.meta:
        shown = f"{token.markup}{tex}{_closer(token.markup)}"
        code = f'<code class="{SOURCE}">{escape(shown, quote=False)}</code>'
        return f"<p>{code}</p>\n" if token.type == "math_block" else code
    if token.type == "math_block":
        line = token.attrGet("data-line")
        mark = f' data-line="{line}"' if line else ""
        return f'<div class="{DISPLAY}"{mark}>{escape(tex, quote=False)}</div>\n'
    kind = DISPLAY if display else INLINE
    return f'<span class="{kind}">{escape(tex, quote=False)}</span>'


def _closer(markup: str) -> str:
    return {"\\\\(": "\\\\)", "\\\\[": "\\\\]"}.get(markup, markup)


def formulas_plugin(md: MarkdownIt, config: Config) -> None:
    """`$…$` and `$$…$$`, or an mdBook's `\\(…\\)` and `\\[…\\]` (see `delimiters`), as
    formulas, each checked as it is parsed."""
    dollars, mathjax = delimiters(config)
    if dollars:
        dollarmath_plugin(
            md,
            allow_labels=False,
            allow_space=False,  # Pandoc: "$ 5" opens nothing, "5 $" closes nothing
            allow_digits=False,  # Pandoc: "$20,000 and $30,000" is no formula
            allow_blank_lines=False,  # TeX allows no blank line inside a formula
            double_inline=True,  # `$$…$$` inside a paragraph is displayed, as in Pandoc
        )
        rule = _with_position(math_inline_dollar(False, False, True))
        md.inline.ruler.at("math_inline", rule)
    if mathjax:
        md.inline.ruler.before("escape", "mathjax", _mathjax)
    md.core.ruler.after("inline", "octavo_formulas", _check)
    for name in _MATH_TYPES:
        md.add_render_rule(name, _render)


def diagnostics(tokens: Sequence[Token], path: Path) -> tuple[Diagnostic, ...]:
    """One S010 warning for each formula that does not parse."""
    found = []
    for block in tokens:
        for token in (block, *(block.children or [])):
            if _ERROR in token.meta:
                line, col, why = token.meta[_ERROR]
                tex = " ".join(token.content.split())
                found.append(codes.get("S010").at(path, line, col, f"{why} in {tex}; set as code"))
    return tuple(found)


# --- The editions ---------------------------------------------------------------------------

# The placeholders as the sanitized chapter spells them: the TeX is escaped text, so no `<`.
_PLACEHOLDER = re.compile(
    rf'<(span|div) class="({INLINE}|{DISPLAY})"((?:\s+data-line="\d+")?)>([^<]*)</\1>'
)


def _replace(html: str, setter: Callable[[str, bool], str | None]) -> str:
    if "math-" not in html:
        return html

    def swap(match: re.Match[str]) -> str:
        tag, kind, mark, text = match.groups()
        tex = unescape(text)
        made = setter(tex, kind == DISPLAY)
        if made is None:  # cannot happen for a formula the parse checked; code, as a fallback
            return f'<code class="{SOURCE}">{escape(tex, quote=False)}</code>'
        return f'<{tag} class="{kind}"{mark}>{made}</{tag}>'

    return _PLACEHOLDER.sub(swap, html)


def _mathml(tex: str, display: bool) -> str | None:
    mathml = converted(tex, display)[0]
    if mathml is None:
        return None
    root = etree.fromstring(mathml)
    root.set("alttext", tex)  # what a reader without MathML hears, and a reader can copy
    return etree.tostring(root, encoding="unicode")


def epub_html(html: str) -> str:
    """A chapter's formulas as MathML, each with its TeX as `alttext`."""
    return _replace(html, _mathml)


def has_mathml(xhtml: bytes) -> bool:
    """Whether an XHTML document holds MathML: its manifest item must say `mathml`."""
    return f'xmlns="{MATHML_NS}"'.encode() in xhtml


# The size ziamath draws at, in its pixels: the picture is then sized in ems, so that a
# formula is set at the size of the text around it, whatever that is.
_DRAWN_AT = 20.0


@functools.lru_cache(maxsize=4096)
def _picture(tex: str, display: bool) -> str | None:
    """An `<img>` of the formula as SVG, sized in ems and sitting on the text's baseline; its
    `alt` and the SVG's `<title>` carry the TeX (a tagged PDF takes its alternative text
    from them)."""
    from ziamath.config import config as drawing
    from ziamath.zmath import Math

    mathml = converted(tex, display)[0]
    if mathml is None:
        return None
    drawing.svg2 = False  # plain paths: WeasyPrint need not resolve <symbol>/<use>
    try:
        drawn = Math(mathml, size=_DRAWN_AT, title=tex, margin=0)
        svg = drawn.svg()
        width = drawn.getsize()[0]
        depth = -drawn.getyofst()  # how far the formula reaches below its baseline
    except Exception:  # ziamath cannot draw this MathML: the caller sets the TeX as code
        return None
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    # no height: the picture keeps its proportions when a displayed formula wider than the
    # measure is scaled down to it (print.css)
    style = f"width:{width / _DRAWN_AT:.3f}em;vertical-align:{-depth / _DRAWN_AT:.3f}em"
    return (
        f'<img class="{FORMULA_CLASS}" src="data:image/svg+xml;base64,{data}" '
        f'alt="{escape(tex)}" style="{style}" />'
    )


def print_html(html: str) -> str:
    """A chapter's formulas as SVG pictures for the print edition (WeasyPrint draws no MathML)."""
    return _replace(html, _picture)
