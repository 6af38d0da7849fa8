"""Render a few pages of the sample book and of the corpus to PNG, for the README.

    .venv/bin/python docs/make_pages.py      # writes docs/print-*.png

Each picture is a spread (verso and recto side by side, as a reader sees them) or an opener,
rendered by pypdfium2 from the print PDF octavo builds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus" / "pride-and-prejudice"
POETRY = REPO.parent / "shared" / "corpus" / "north-of-boston"
CODE_BOOK = REPO / "tests" / "books" / "code"
SCALE = 1.6  # 115 dpi: enough to judge the type
CODE_SCALE = 2.4  # 173 dpi: 8 pt code, its greys and its continuation marks


def spread(pdf: Path, indexes: list[int], target: Path) -> None:
    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=SCALE).to_pil().convert("RGB") for i in indexes]
    gap = 6
    width = sum(i.width for i in images) + gap * (len(images) - 1)
    sheet = Image.new("RGB", (width, max(i.height for i in images)), (160, 160, 160))
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + gap
    sheet.save(target, optimize=True)


def page_text(doc: pdfium.PdfDocument, index: int) -> str:
    return str(doc[index].get_textpage().get_text_range()).replace(" ", "")


def opener_index(pdf: Path, label: str) -> int:
    doc = pdfium.PdfDocument(str(pdf))
    return next(i for i in range(len(doc)) if doc.get_page_label(i) == label)


def pictures(out: Path) -> None:
    """The illustrated fixture: a full-page plate moved to head a verso, its caption below it,
    the text going on on the recto, and a captioned chart."""
    from octavo import build, load_book

    book = load_book(REPO / "tests" / "books" / "pictures")
    pdf = next(o.path for o in build(book, out / "p", ["pdf"]).outputs if o.format == "pdf")
    plate = opener_index(pdf, "10")
    spread(pdf, [plate, plate + 1], HERE / "print-pictures.png")


def main() -> None:
    sys.path.insert(0, str(REPO / "src"))
    from octavo import build, load_book

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        sample = next(
            o.path for o in build(load_book(REPO), out / "s", ["pdf"]).outputs if o.format == "pdf"
        )
        one = opener_index(sample, "1")
        spread(sample, [one - 1, one], HERE / "print-sample-opening.png")
        spread(sample, [one + 1, one + 2], HERE / "print-sample-spread.png")
        corpus = next(
            o.path
            for o in build(load_book(CORPUS), out / "c", ["pdf"]).outputs
            if o.format == "pdf"
        )
        doc = pdfium.PdfDocument(str(corpus))
        contents = next(i for i in range(len(doc)) if "Contents" in page_text(doc, i))
        spread(corpus, [contents, contents + 1], HERE / "print-corpus-contents.png")
        two, three = opener_index(corpus, "2"), opener_index(corpus, "3")
        spread(corpus, [two, three], HERE / "print-corpus-spread.png")
        poetry(out / "p")
        pictures(out)
        code_page(out / "code")


def poetry(out: Path) -> None:
    """A spread of North of Boston: a poem's last page, and the next poem opening in stanzas."""
    from octavo import build, load_book

    pdf = next(o.path for o in build(load_book(POETRY), out, ["pdf"]).outputs if o.format == "pdf")
    doc = pdfium.PdfDocument(str(pdf))  # Good Hours, after the last page of The Wood-Pile
    opener = next(i for i in range(len(doc)) if page_text(doc, i).startswith("GoodHours"))
    spread(pdf, [opener - 1, opener], HERE / "print-verse.png")


def code_page(out: Path) -> None:
    """A page of listings (tests/books/code): highlighting in greys, a caption, two lines of
    200 characters turned over with their marks."""
    from octavo import build, load_book

    pdf = next(o.path for o in build(load_book(CODE_BOOK), out, ["pdf"]).outputs)
    doc = pdfium.PdfDocument(str(pdf))
    index = opener_index(pdf, "3")
    doc[index].render(scale=CODE_SCALE).to_pil().convert("RGB").save(
        HERE / "print-code.png", optimize=True
    )


if __name__ == "__main__":
    main()
