"""Fuzzing: random Unicode and random Markdown-ish documents never give a traceback, every
XHTML file of the EPUB parses with lxml, and the words of every paragraph reach the EPUB and
the PDF. `make test` runs the fast profile (few PDFs: each is a WeasyPrint render);
OCTAVO_FUZZ=long runs hundreds of examples."""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from octavo import build, load_book
from octavo.core.errors import OctavoError
from support import make_book, pdf_pages_text, squash

XHTML = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
EXAMPLES = settings.default.max_examples
# Hyphenation off in the fuzzed PDFs, so every word can be found whole in the extracted text.
NO_HYPHENS = "* { hyphens: manual !important; }\n"


def fragment_parses(html: str) -> None:
    etree.fromstring(f"<div {XHTML}>{html}</div>".encode())


def load_or_refuse(files: dict[str, str], root: Path):  # type: ignore[no-untyped-def]
    """The book, or None when octavo refuses it with an OctavoError (a one-line message).
    Any other exception fails the test: it would be a traceback."""
    book = make_book(root, {})
    (book / "manuscript").mkdir()
    for name, text in files.items():
        (book / "manuscript" / name).write_text(text, "utf-8")
    try:
        return load_book(book)
    except OctavoError:
        return None


@given(markdown=st.text(max_size=3000), plain=st.text(max_size=1000))
@settings(max_examples=EXAMPLES * 4)
def test_random_unicode_never_gives_a_traceback_and_always_gives_xhtml(
    markdown: str, plain: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = load_or_refuse({"01.md": markdown, "02.txt": plain}, Path(tmp) / "book")
    for chapter in book.chapters if book else ():
        fragment_parses(chapter.title_html)
        fragment_parses(chapter.body_html)


def _pieces(text: str) -> list[str]:
    return text.split()


# Text that looks like Markdown and HTML, hostile bits included.
MARKUP = st.sampled_from(
    [
        *_pieces("# ## > - 1. * ** _ ` ``` [ ] ( ) ! < & &amp; &#0; &#x1; &nbsp; </ <p> <div>"),
        *_pieces("<script> <img <svg <a href= onclick= javascript: {#x} {.y} [^1] [^1]: --- | :--"),
        *["\\", "\n", "\n\n", " ", "    ", "\t", "\x00", "\x0c", "\ufffe", "\u2028", "\u00a0"],
    ]
)
MARKDOWNISH = st.lists(st.one_of(MARKUP, st.text(max_size=8)), max_size=200).map("".join)


@given(text=MARKDOWNISH)
@settings(max_examples=EXAMPLES)
def test_markdownish_junk_gives_an_epub_of_well_formed_xhtml(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = load_or_refuse({"01.md": "# T\n\n" + text}, Path(tmp) / "book")
        if book is None:
            return
        (result,) = build(book, Path(tmp) / "out", ["epub"]).outputs
        with zipfile.ZipFile(result.path) as epub:
            for name in epub.namelist():
                if name.endswith(".xhtml"):
                    etree.fromstring(epub.read(name))


LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàéïõüßçñ"
WORD = st.text(alphabet=LETTERS, min_size=1, max_size=9)


@st.composite
def inline(draw: st.DrawFn) -> tuple[str, str]:
    """(Markdown, its visible text) for one word with some inline markup."""
    word = draw(WORD)
    shape = draw(
        st.sampled_from(
            [
                "{}",
                "*{}*",
                "**{}**",
                "`{}`",
                "[{}](https://example.org/)",
                '<span class="x">{}</span>',
                "<sup>{}</sup>",
                '<b onclick="x()">{}</b>',
                "{}<script>alert(1)</script>",
            ]
        )
    )
    return shape.format(word), word


@dataclass(frozen=True)
class Block:
    markdown: str
    words: tuple[str, ...]


@st.composite
def block(draw: st.DrawFn) -> Block:
    parts = draw(st.lists(inline(), min_size=1, max_size=12))
    body = " ".join(markdown for markdown, _ in parts)
    prefix = draw(st.sampled_from(["", "## ", "- ", "> ", "1. ", "> - ", "  - "]))
    return Block(prefix + body, tuple(word for _, word in parts))


@st.composite
def document(draw: st.DrawFn) -> list[Block]:
    return draw(st.lists(block(), min_size=1, max_size=12))


def words_book(root: Path, blocks: list[Block]) -> Path:
    text = "# Chapter\n\n" + "\n\n".join(b.markdown for b in blocks) + "\n"
    book = make_book(root / "book", {"01.md": text})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text(NO_HYPHENS, "utf-8")
    return book


@given(blocks=document())
@settings(max_examples=EXAMPLES)
def test_every_paragraph_of_a_markdownish_document_reaches_the_epub(blocks: list[Block]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = words_book(Path(tmp), blocks)
        (result,) = build(load_book(book), Path(tmp) / "out", ["epub"]).outputs
        with zipfile.ZipFile(result.path) as epub:
            root = etree.fromstring(epub.read("EPUB/c01.xhtml"))
    text = squash("".join(root.itertext())).casefold()
    for b in blocks:
        assert squash(" ".join(b.words)).casefold() in text, b.markdown


@given(blocks=document())
@settings(max_examples=max(2, EXAMPLES // 15))
def test_every_word_of_a_markdownish_document_reaches_the_pdf(blocks: list[Block]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = words_book(Path(tmp), blocks)
        (result,) = build(load_book(book), Path(tmp) / "out", ["pdf"]).outputs
        text = squash(" ".join(pdf_pages_text(result.path))).casefold()
    for b in blocks:
        for word in b.words:
            assert word.casefold() in text, (word, b.markdown)
