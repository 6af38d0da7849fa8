"""Hostile input has no effect outside the book: scripts and handlers are removed (and said
so), remote and outside resources are refused with a warning, XML entities are never expanded.
Each case builds the EPUB and reads every file in it back."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from badtools import Octavo, Run
from lxml import etree
from PIL import Image

from support import epubcheck, make_book

SECRET = "TOP-SECRET-OUTSIDE-THE-BOOK"


def png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def epub_files(out: Path) -> dict[str, str]:
    with zipfile.ZipFile(out / "test-book.epub") as epub:
        return {n: epub.read(n).decode("utf-8", "replace") for n in epub.namelist()}


def book_images(files: dict[str, str]) -> list[str]:
    """The images a chapter brought into the EPUB (not the cover octavo draws itself)."""
    return [n for n in files if n.startswith("EPUB/images/") and n != "EPUB/images/cover.png"]


def everything(out: Path) -> str:
    return "\n".join(epub_files(out).values())


def build_epub(octavo: Octavo, book: Path, out: Path) -> Run:
    """Every warning on its own line (--verbose), so each place can be asserted."""
    run = octavo("build", str(book), "--out", str(out), "--format", "epub", "--verbose")
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run


def warnings_at(run: Run, book: Path, code: str) -> list[str]:
    """`file:line code message` of each warning with this code, the book folder cut off."""
    found = []
    for line in run.err_lines:
        place, _, rest = line.partition(": warning ")
        if rest.startswith(code):
            found.append(place.removeprefix(f"{book}/") + " " + rest.removeprefix(code + " "))
    return found


RAW_HTML = """\
# One

Kept: <span class="smallcaps">Small caps</span>, H<sub>2</sub>O and a<br>break.

<script>alert("hi")</script>

<p onmouseover="steal()">Hover text stays.</p>

<iframe src="https://evil.example/frame">frame fallback</iframe>

<a href="javascript:alert(1)">a script link</a> and <a href=" JaVaScRiPt:alert(2)">another</a>.

<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y.swf">

<link rel="stylesheet" href="https://evil.example/a.css"><base href="https://evil.example/">

<form action="https://evil.example/post"><input name="q"></form>

<style>@import url(https://evil.example/b.css);</style>

<svg onload="alert(3)"><image href="https://evil.example/c.png"/></svg>

<a href="https://example.org/">A real link stays</a>.
"""


def test_scripts_and_handlers_are_removed_and_said_so(tmp_path: Path, octavo: Octavo) -> None:
    book = make_book(tmp_path / "book", {"01.md": RAW_HTML})
    run = build_epub(octavo, book, tmp_path / "out")
    assert warnings_at(run, book, "H002") == [
        f"manuscript/01.md:{line} raw HTML removed: {what} (octavo keeps text and safe book "
        "markup only)"
        for line, what in [
            (5, "<script>"),
            (7, "onmouseover="),
            (9, "<iframe>"),
            (11, "javascript: URL"),
            (13, "<object>, <embed>"),
            (15, "<link>, <base>"),
            (17, "<form>, <input>"),
            (19, "<style>"),
            (21, "<svg>, onload=, <image>"),
        ]
    ]
    text = everything(tmp_path / "out")
    for gone in ("<script", "alert", "onmouseover", "steal", "javascript", "evil.example"):
        assert gone not in text.lower()
    chapter = epub_files(tmp_path / "out")["EPUB/c01.xhtml"]
    for kept in (
        '<span class="smallcaps">Small caps</span>',
        "<sub>2</sub>",
        "a<br/>break",
        "Hover text stays.",
        "a script link",
        '<a href="https://example.org/">A real link stays</a>',
    ):
        assert kept in chapter
    assert epubcheck(tmp_path / "out" / "test-book.epub").problems() == []


def test_markdown_attributes_cannot_add_handlers_or_fetch(tmp_path: Path, octavo: Octavo) -> None:
    text = (
        "# One\n\n"
        '[a link](https://example.org/){onclick="alert(1)" '
        'style="background: url(https://evil.example/a.png); color: red"}\n\n'
        '`code`{onmouseover="alert(2)" .kept}\n'
    )
    book = make_book(tmp_path / "book", {"01.md": text})
    build_epub(octavo, book, tmp_path / "out")
    chapter = epub_files(tmp_path / "out")["EPUB/c01.xhtml"]
    assert '<a href="https://example.org/" style="color:red">a link</a>' in chapter
    assert '<code class="kept">code</code>' in chapter
    for gone in ("onclick", "onmouseover", "alert", "evil.example"):
        assert gone not in chapter


def test_remote_and_file_images_are_refused_with_a_warning(tmp_path: Path, octavo: Octavo) -> None:
    text = (
        "# One\n\n"
        "![Map of the bay](https://evil.example/map.png)\n\n"
        "![Tracker](http://evil.example/pixel.gif)\n\n"
        '<img src="file:///etc/hostname" alt="Host file">\n\n'
        "![Protocol-relative](//evil.example/p.png)\n\n"
        '<img src="https://evil.example/raw.png" alt="Raw remote">\n'
    )
    book = make_book(tmp_path / "book", {"01.md": text})
    run = build_epub(octavo, book, tmp_path / "out")
    assert warnings_at(run, book, "H003") == [
        "manuscript/01.md:3 image left out: 'https://evil.example/map.png' is remote; octavo never "
        "fetches from the network",
        "manuscript/01.md:5 image left out: 'http://evil.example/pixel.gif' is remote; octavo never "
        "fetches from the network",
        "manuscript/01.md:7 image left out: 'file:///etc/hostname' is a 'file:' URL, not a file in the "
        "book",
        "manuscript/01.md:9 image left out: '//evil.example/p.png' is remote; octavo never fetches from "
        "the network",
        "manuscript/01.md:11 image left out: 'https://evil.example/raw.png' is remote; octavo never "
        "fetches from the network",
    ]
    files = epub_files(tmp_path / "out")
    chapter = files["EPUB/c01.xhtml"]
    for alt in ("Map of the bay", "Tracker", "Host file", "Protocol-relative", "Raw remote"):
        assert f'<span class="image-left-out">{alt}</span>' in chapter
    assert "evil.example" not in everything(tmp_path / "out")
    assert not book_images(files)


def test_paths_and_symlinks_leaving_the_book_are_refused(tmp_path: Path, octavo: Octavo) -> None:
    outside = png(tmp_path / "outside.png")
    text = (
        "# One\n\n"
        "![Climbing out](../../outside.png)\n\n"
        "![Through a link](../images/link.png)\n\n"
        '<img src="../../outside.png" alt="Raw climbing out">\n\n'
        "![Inside](../images/inside.png)\n"
    )
    book = make_book(tmp_path / "book", {"01.md": text})
    png(book / "images" / "inside.png")
    os.symlink(outside, book / "images" / "link.png")
    run = build_epub(octavo, book, tmp_path / "out")
    assert warnings_at(run, book, "H003") == [
        "manuscript/01.md:3 image left out: '../../outside.png' lies outside the book folder",
        "manuscript/01.md:5 image left out: '../images/link.png' lies outside the book folder",
        "manuscript/01.md:7 image left out: '../../outside.png' lies outside the book folder",
    ]
    images = book_images(epub_files(tmp_path / "out"))
    assert len(images) == 1 and images[0].startswith("EPUB/images/inside-")


XXE = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file://{secret}">]>
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text y="15">&secret;</text></svg>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE svg [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&f;</text></svg>
"""
SVG_NS = 'xmlns="http://www.w3.org/2000/svg" width="10" height="10"'
SVGS = {
    "xxe.svg": ("it declares XML entities (octavo never expands them)", XXE),
    "bomb.svg": ("it declares XML entities (octavo never expands them)", BOMB),
    "script.svg": ("it contains <script>", f"<svg {SVG_NS}><script>alert(1)</script></svg>"),
    "handler.svg": ("it has an event handler (onload=)", f'<svg {SVG_NS} onload="x()"/>'),
    "remote.svg": (
        "it refers to 'https://evil.example/i.png' outside itself",
        f'<svg {SVG_NS}><image href="https://evil.example/i.png"/></svg>',
    ),
    "style.svg": (
        "its style sheet refers to files outside itself",
        f"<svg {SVG_NS}><style>@import url(https://evil.example/s.css);</style></svg>",
    ),
}


def test_svg_with_entities_scripts_or_outside_references_is_refused(
    tmp_path: Path, octavo: Octavo
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, "utf-8")
    book = make_book(tmp_path / "book", {"01.md": "# One\n\n"})
    chapter = "# One\n\n"
    for name, (_, svg) in SVGS.items():
        (book / "images").mkdir(exist_ok=True)
        (book / "images" / name).write_text(svg.replace("{secret}", str(secret)), "utf-8")
        chapter += f"![{name}](../images/{name})\n\n"
    good = f'<svg {SVG_NS}><defs><rect id="r" width="5" height="5"/></defs><use href="#r"/></svg>'
    (book / "images" / "good.svg").write_text(good, "utf-8")
    chapter += "![good](../images/good.svg)\n"
    (book / "manuscript" / "01.md").write_text(chapter, "utf-8")
    run = build_epub(octavo, book, tmp_path / "out")
    assert warnings_at(run, book, "H003") == [
        f"manuscript/01.md:{3 + 2 * i} image left out: '../images/{name}': {why}"
        for i, (name, (why, _)) in enumerate(SVGS.items())
    ]
    files = epub_files(tmp_path / "out")
    assert SECRET not in everything(tmp_path / "out")
    assert book_images(files) == [next(n for n in files if n.startswith("EPUB/images/good-"))]


HOSTILE_CSS = """\
@import url(https://evil.example/a.css);
@import "../../secret.css";
@import "local.css";
@font-face { font-family: Evil; src: url(https://evil.example/f.woff2) format("woff2"); }
p { color: red; background: url(file:///etc/passwd); }
h1 { background: \\75 rl(http://evil.example/escaped.png); font-style: italic; }
@media print { blockquote { background-image: url(../../outside.png); margin: 1em; } }
"""


def test_style_sheets_cannot_reach_outside_the_book(tmp_path: Path, octavo: Octavo) -> None:
    (tmp_path / "secret.css").write_text(f"/* {SECRET} */", "utf-8")
    book = make_book(tmp_path / "book", {"01.md": "# One\n\nText.\n"})
    (book / "styles").mkdir()
    (book / "styles" / "epub.css").write_text(HOSTILE_CSS, "utf-8")
    (book / "styles" / "local.css").write_text("em { color: blue }", "utf-8")
    os.symlink(tmp_path / "secret.css", book / "styles" / "base.css")
    run = build_epub(octavo, book, tmp_path / "out")
    assert warnings_at(run, book, "H004") == [
        "styles/base.css outside reference refused: the style sheet lies outside the book folder",
        "styles/epub.css outside reference refused: 'https://evil.example/a.css' is remote; octavo never "
        "fetches from the network; removed from the style sheet",
        "styles/epub.css outside reference refused: '../../secret.css' lies outside the book folder; removed from the style sheet",
        "styles/epub.css outside reference refused: 'https://evil.example/f.woff2' is remote; octavo never "
        "fetches from the network; removed from the style sheet",
        "styles/epub.css outside reference refused: 'file:///etc/passwd' is a 'file:' URL, not a file in the "
        "book; removed from the style sheet",
        "styles/epub.css outside reference refused: 'http://evil.example/escaped.png' is remote; octavo never "
        "fetches from the network; removed from the style sheet",
        "styles/epub.css outside reference refused: '../../outside.png' lies outside the book folder; removed from the style sheet",
    ]
    css = epub_files(tmp_path / "out")["EPUB/style/book.css"]
    for kept in ('@import "local.css"', "color: red;", "font-style: italic;", "margin: 1em;"):
        assert kept in css
    for gone in ("evil.example", "secret", "passwd", "outside", SECRET):
        assert gone not in css


def test_a_theme_folder_linked_from_outside_the_book_is_refused(
    tmp_path: Path, octavo: Octavo
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "theme.toml").write_text(
        'extends = "classic"\nfont_package = "fontpkg_eb_garamond"\nfont_family = "EB Garamond"\n',
        "utf-8",
    )
    (elsewhere / "base.css").write_text(f"/* {SECRET} */ p {{ color: red }}", "utf-8")
    book = make_book(
        tmp_path / "book", {"01.md": "# One\n\nText.\n"}, 'title = "Test Book"\ntheme = "linked"\n'
    )
    (book / "styles").mkdir()
    os.symlink(elsewhere, book / "styles" / "linked")
    run = build_epub(octavo, book, tmp_path / "out")
    assert warnings_at(run, book, "H004") == [
        "styles/linked/base.css outside reference refused: the style sheet lies outside the book folder"
    ]
    assert SECRET not in everything(tmp_path / "out")


def test_a_cover_outside_the_book_or_remote_is_refused(tmp_path: Path, octavo: Octavo) -> None:
    png(tmp_path / "outside.png")
    for cover, why in [
        ("../outside.png", "'../outside.png' lies outside the book folder"),
        (
            "https://evil.example/c.png",
            "'https:/evil.example/c.png' is remote; octavo never fetches from the network",
        ),
    ]:
        toml = f'title = "Test Book"\ncover = "{cover}"\n'
        book = make_book(tmp_path / "book", {"01.md": "# One\n\nText.\n"}, toml)
        run = build_epub(octavo, book, tmp_path / "out")
        assert run.err_lines == [
            f"{book}/book.toml: warning H004 outside reference refused: cover {why}; the book is "
            "built without a cover"
        ]


def test_every_chapter_of_a_hostile_book_is_well_formed_xhtml(
    tmp_path: Path, octavo: Octavo
) -> None:
    nasty = RAW_HTML + "\n<p>&#1;&#xFFFE;&nbsp;<b>unclosed <i>tags</p>\n\n<![CDATA[x]]> <? pi ?>\n"
    book = make_book(tmp_path / "book", {"01.md": nasty})
    build_epub(octavo, book, tmp_path / "out")
    for name, text in epub_files(tmp_path / "out").items():
        if name.endswith(".xhtml"):
            etree.fromstring(text.encode("utf-8"))  # raises on anything not well-formed


def test_a_refused_image_cannot_pass_for_one_with_a_source(tmp_path: Path, octavo: Octavo) -> None:
    text = '# One\n\n<img title=\'x src=\' src="https://evil.example/x.png" alt="Alt text">\n'
    book = make_book(tmp_path / "book", {"01.md": text})
    build_epub(octavo, book, tmp_path / "out")
    chapter = epub_files(tmp_path / "out")["EPUB/c01.xhtml"]
    assert '<span class="image-left-out">Alt text</span>' in chapter
    assert "<img" not in chapter
