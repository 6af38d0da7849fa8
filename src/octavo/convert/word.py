"""`octavo import manuscript.docx`: a Word manuscript → a book folder of Markdown chapters.

mammoth reads the .docx (it maps Word's styles to plain HTML and is told how to map the styles
manuscripts use: quotes, epigraphs, scene breaks); markdownify turns that HTML into Markdown.
mammoth's own Markdown output is deprecated by its author; markdownify is maintained, escapes
Markdown's special characters, and lets the footnotes, images and scene breaks below be written
the way octavo's manuscripts write them:

- each Heading 1 opens a chapter (`manuscript/01-<title>.md`, its `# title`), Heading 2 and 3
  become `##` and `###`; text before the first Heading 1 becomes a chapter of its own;
- italics and bold are `*…*` and `**…**`; Word's curly quotes, dashes and ellipses are kept;
- a footnote becomes `[^n]` with its text at the end of the chapter that calls it;
- an image is saved into the book's `images/` folder and described with the alt text Word
  keeps in its description;
- a paragraph styled Quote, Intense Quote or Block Text is a block quotation (`>`); a line of
  asterisks (`***`, `* * *`, `⁂`) or a paragraph styled Scene Break is a scene break (`***`);
- book.toml gets the title, author, language and date of the document's properties.

What mammoth could not map (a style it does not know, an image Word keeps as a Windows
metafile) is returned as a list of plain sentences, for the command to print.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from octavo.core.errors import OctavoError
from octavo.core.slug import slugify

STYLE_MAP = """
p[style-name='Title'] => h1.document-title:fresh
p[style-name='Subtitle'] => p.document-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Epigraph'] => blockquote > p:fresh
p[style-name='Scene Break'] => p.scene-break:fresh
p[style-name='Scene break'] => p.scene-break:fresh
"""
SCENE_BREAK = re.compile(r"^\s*(?:[*#~⁂•·]\s*){1,5}$")
IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}
CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


@dataclass(frozen=True)
class Properties:
    """What a document says about itself (File › Properties in Word)."""

    title: str | None = None
    author: str | None = None
    language: str | None = None
    date: str | None = None
    description: str | None = None


@dataclass
class Imported:
    """The book folder made: the files written, and what could not be mapped."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    kept_config: bool = False  # the folder already had a book.toml, which was left alone


def properties(docx: Path) -> Properties:
    """The title, author, language and date in docProps/core.xml, where the document has them."""
    try:
        with zipfile.ZipFile(docx) as z:
            root = etree.fromstring(z.read("docProps/core.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return Properties()

    def text(tag: str) -> str | None:
        found = root.find(tag, CORE_NS)
        value = (found.text or "").strip() if found is not None else ""
        return value or None

    created = text("dcterms:created")
    return Properties(
        title=text("dc:title"),
        author=text("dc:creator"),
        language=text("dc:language"),
        date=created[:10] if created and re.match(r"\d{4}-\d\d-\d\d", created) else None,
        description=text("dc:description"),
    )


class _Images:
    """mammoth's image handler: each picture saved into the book's images/ folder."""

    def __init__(self, folder: Path, unmapped: list[str]) -> None:
        self.folder, self.unmapped = folder, unmapped
        self.saved: list[Path] = []
        self.first = _first_free(folder) if folder.is_dir() else 1  # never over a picture

    def __call__(self, image: Any) -> dict[str, str]:
        number = len(self.saved) + self.first
        suffix = IMAGE_SUFFIXES.get(image.content_type)
        if suffix is None:
            self.unmapped.append(
                f"image {number} is {image.content_type}, which books cannot show: left out "
                "(save it as PNG or JPEG and add it with ![description](../images/name.png))"
            )
            self.saved.append(Path())
            return {"src": "", "data-dropped": "1"}
        path = self.folder / f"image-{number:02d}{suffix}"
        self.folder.mkdir(parents=True, exist_ok=True)
        with image.open() as data:
            path.write_bytes(data.read())
        self.saved.append(path)
        if not image.alt_text:
            self.unmapped.append(
                f"image {number} ({path.name}) has no description in Word: describe it in the "
                "chapter's ![…] so that readers who cannot see it know what it shows"
            )
        return {"src": f"../images/{path.name}"}


def _html(docx: Path, images: _Images, unmapped: list[str]) -> str:
    import mammoth

    try:
        with docx.open("rb") as stream:
            result = mammoth.convert_to_html(
                stream,
                style_map=STYLE_MAP,
                convert_image=mammoth.images.img_element(images),
            )
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise OctavoError(f"not a Word document that can be read ({exc})", docx) from None
    for message in result.messages:
        unmapped.append(str(message.message))
    return str(result.value)


@dataclass
class Chapter:
    title: str
    blocks: list[Any] = field(default_factory=list)  # BeautifulSoup elements


def _chapters(soup: Any, fallback_title: str) -> tuple[list[Chapter], dict[str, Any]]:
    """Top-level blocks split at each Heading 1; the footnotes and endnotes apart, by id."""
    notes: dict[str, Any] = {}
    for item in soup.select("li[id^=footnote-], li[id^=endnote-]"):
        notes[item["id"]] = item
        if item.parent is not None and item.parent.name == "ol":
            item.parent.extract()
    chapters: list[Chapter] = []
    for block in [b for b in soup.children if getattr(b, "name", None)]:
        classes = block.get("class") or []
        if block.name == "h1" and "document-title" not in classes:
            chapters.append(Chapter(block.get_text(" ", strip=True) or fallback_title))
            continue
        if block.name == "h1" or "document-subtitle" in classes:
            continue  # the document's own title and subtitle go into book.toml
        if not chapters:
            chapters.append(Chapter(fallback_title))
        chapters[-1].blocks.append(block)
    return [c for c in chapters if c.blocks or c.title], notes


def _scene_breaks(soup: Any) -> None:
    for p in soup.find_all("p"):
        if "scene-break" in (p.get("class") or []) or SCENE_BREAK.match(p.get_text()):
            p.replace_with(soup.new_tag("hr"))


def _converter() -> Any:
    from markdownify import MarkdownConverter

    class Manuscript(MarkdownConverter):
        """Markdown the way octavo's manuscripts are written."""

        def convert_sup(self, el: Any, text: str, parent_tags: Any) -> str:
            link = el.find("a")
            href = link.get("href", "") if link is not None else ""
            if href.startswith(("#footnote-", "#endnote-")):
                return f"[^{href.lstrip('#').split('-', 1)[1]}]"
            return f"<sup>{text}</sup>" if text.strip() else ""  # 1<sup>st</sup>: kept as HTML

        def convert_hr(self, el: Any, text: str, parent_tags: Any) -> str:
            return "\n\n***\n\n"

        def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
            if el.get("data-dropped"):
                return ""
            return f"![{el.get('alt', '').strip()}]({el.get('src', '')})"

    return Manuscript(heading_style="atx", bullets="-", strong_em_symbol="*", escape_misc=False)


def _markdown(blocks: list[Any], convert: Any) -> str:
    html = "".join(str(b) for b in blocks)
    text = convert.convert(html)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _note(item: Any, convert: Any) -> str:
    for back in item.select('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"]'):
        back.decompose()
    text = _markdown(list(item.children), convert)
    return text.replace("\n\n", "\n\n    ")  # a note of several paragraphs is indented


def _chapter_text(chapter: Chapter, notes: dict[str, Any], convert: Any) -> str:
    body = _markdown(chapter.blocks, convert)
    called = re.findall(r"\[\^(\d+)\]", body)
    kinds = {
        n: next(k for k in ("footnote", "endnote") if f"{k}-{n}" in notes)
        for n in called
        if f"footnote-{n}" in notes or f"endnote-{n}" in notes
    }
    defs = [f"[^{n}]: {_note(notes[f'{k}-{n}'], convert)}" for n, k in kinds.items()]
    title = chapter.title.replace("\n", " ")
    return f"# {title}\n\n{body}\n" + ("\n" + "\n\n".join(defs) + "\n" if defs else "")


def _toml(props: Properties, fallback_title: str, unmapped: list[str]) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"title = {quoted(props.title or fallback_title)}"]
    if props.author:
        lines.append(f"authors = [{quoted(props.author)}]")
    language = props.language or "en"
    if not props.language:
        unmapped.append("the document names no language: book.toml says en; change it if need be")
    lines.append(f"language = {quoted(language)}   # decides quotes and hyphenation")
    if props.date:
        lines.append(f"date = {quoted(props.date)}")
    if props.description:
        lines.append(f"description = {quoted(props.description)}")
    lines += ['theme = "classic"', 'trim = "A5"']
    return "\n".join(lines) + "\n"


def _first_free(folder: Path) -> int:
    """The number after the highest a file of the folder starts with (image-03.png: 3)."""
    found = (re.search(r"(\d+)", p.name) for p in folder.glob("*"))
    return max((int(m[1]) for m in found if m), default=0) + 1


def default_folder(docx: Path) -> Path:
    """Where a document is imported when no folder is named: beside it, named by its title."""
    title = properties(docx).title or docx.stem
    return docx.parent / (slugify(title) or "book")


def import_docx(docx: Path, into: Path | None = None) -> Imported:
    """Convert a .docx into the book folder `into` (made if need be). A folder that already
    holds a book keeps its book.toml; the chapters are added after the ones it has. Nothing
    that exists is ever overwritten."""
    if docx.suffix.lower() != ".docx" or not docx.is_file():
        raise OctavoError("not a .docx file (Word's format; save an .odt or .doc as .docx)", docx)
    folder = into if into is not None else default_folder(docx)
    done = Imported(folder)
    props = properties(docx)
    fallback = props.title or docx.stem.replace("-", " ").replace("_", " ").strip() or "Untitled"
    images = _Images(folder / "images", done.unmapped)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_html(docx, images, done.unmapped), "html.parser")
    _scene_breaks(soup)
    chapters, notes = _chapters(soup, fallback)
    if not chapters:
        raise OctavoError("the document holds no text", docx)
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    toml = folder / "book.toml"
    if toml.exists():
        done.kept_config = True
    else:
        toml.write_text(_toml(props, fallback, done.unmapped), "utf-8")
        done.written.append(toml)
    convert = _converter()
    start = _first_free(manuscript)
    for number, chapter in enumerate(chapters, start=start):
        path = manuscript / f"{number:02d}-{slugify(chapter.title) or 'chapter'}.md"
        if path.exists():
            raise OctavoError("already exists; import never overwrites a chapter", path)
        path.write_text(_chapter_text(chapter, notes, convert), "utf-8")
        done.written.append(path)
    done.written += [p for p in images.saved if p.name]
    return done
