"""Pictures set apart from the text: a paragraph that holds only an image becomes a figure.

    ![A white tower on black rock](tower.png "The tower at dusk, *from the sea*")

becomes

    <figure class="picture captioned"><img src="…" alt="A white tower on black rock" />
    <figcaption>The tower at dusk, <em>from the sea</em></figcaption></figure>

The image's title (the quoted text after its path) is the caption, read as inline Markdown and
set with the book's typography; it is no longer a `title` attribute, so a screen reader does not
say it twice. An image with no title is a figure without a caption. A decorative image
(`{.decorative}`) alone in its paragraph becomes `<div class="picture">`: it says nothing, so it
is no figure, but it is still set apart and centred. Attributes written on the paragraph
(`{#map .wide}` on the line before) go to the figure. An image inside running text stays inline.

Both editions share this markup: the EPUB keeps it as it is; the print edition keeps the figure
in one piece on a page (print.css) and moves it to where the page has room (print/pictures.py).
Raw HTML `<figure class="picture">` with a `<figcaption>` is kept by the sanitizer and set the
same way (other figures, such as code listings, are not pictures).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

PICTURE = "picture"  # the class of every image set apart, figure or decorative
CAPTIONED = "captioned"  # a figure with a caption: the picture leaves the caption room
DECORATIVE = "decorative"  # audit.DECORATIVE: an image that needs no description


def _lone_image(inline: Token) -> Token | None:
    """The image an inline token holds and nothing else but spaces, or None."""
    found: Token | None = None
    for child in inline.children or []:
        if child.type == "image" and found is None:
            found = child
        elif child.type == "softbreak" or (child.type == "text" and not child.content.strip()):
            continue
        else:
            return None
    return found


def _classes(token: Token) -> list[str]:
    return str(token.attrGet("class") or "").split()


def _open(tag: str, paragraph: Token, classes: list[str]) -> Token:
    token = Token(f"{tag}_open", tag, 1, map=paragraph.map, level=paragraph.level, block=True)
    for name, value in paragraph.attrs.items():
        token.attrSet(name, value)
    token.attrSet("class", " ".join([*classes, *_classes(paragraph)]))
    return token


def _close(tag: str, level: int) -> Token:
    return Token(f"{tag}_close", tag, -1, level=level, block=True)


def _caption(state: StateCore, text: str, level: int) -> list[Token]:
    """`<figcaption>` with the title read as inline Markdown (the typography rule, which runs
    later, sets its quotes and dashes like the text's). It has no source map: the linter reads
    the caption where it stands, in the image's own line."""
    children: list[Token] = []
    state.md.inline.parse(text, state.md, state.env, children)
    inline = Token("inline", "", 0, content=text, level=level + 1, block=True, children=children)
    return [
        Token("figcaption_open", "figcaption", 1, level=level, block=True),
        inline,
        Token("figcaption_close", "figcaption", -1, level=level, block=True),
    ]


def _figure(state: StateCore, paragraph: Token, inline: Token, image: Token) -> list[Token]:
    level = paragraph.level
    if DECORATIVE in _classes(image):
        return [_open("div", paragraph, [PICTURE]), inline, _close("div", level)]
    title = str(image.attrGet("title") or "").strip()
    if "title" in image.attrs:
        del image.attrs["title"]  # the caption says it; a tooltip would repeat it
    classes = [PICTURE, CAPTIONED] if title else [PICTURE]
    caption = _caption(state, title, level + 1) if title else []
    return [_open("figure", paragraph, classes), inline, *caption, _close("figure", level)]


def _figures(state: StateCore) -> None:
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.type == "paragraph_open"
            and not token.hidden  # a tight list's item: its image stays in the item's line
            and i + 2 < len(tokens)
            and tokens[i + 2].type == "paragraph_close"
        ):
            image = _lone_image(tokens[i + 1])
            if image is not None:
                out.extend(_figure(state, token, tokens[i + 1], image))
                i += 3
                continue
        out.append(token)
        i += 1
    state.tokens = out


def figures_plugin(md: MarkdownIt) -> None:
    """Register the rule: after inline parsing (the image is known), before typography."""
    md.core.ruler.after("inline", "octavo_figures", _figures)
