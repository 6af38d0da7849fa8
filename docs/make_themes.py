"""Render a spread of each built-in theme, for the README.

    .venv/bin/python docs/make_themes.py      # writes docs/theme-<name>.png

Each theme sets a book of its kind: the sample story (classic, modern), a chapter of a
technical manual (manual), a poem of Robert Frost's North of Boston (poetry). The picture is the
chapter's opening recto and the page after it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POEM = (
    REPO.parent / "shared" / "corpus" / "north-of-boston" / "manuscript" / "03-north-of-boston.md"
)
SCALE = 1.5

MANUAL = """\
# Installing octavo

octavo runs wherever Python 3.11 does. It needs no system packages: its fonts, its PDF
engine and its EPUB writer all come from PyPI.

## With pipx

`pipx` installs a command in a virtual environment of its own, so that nothing else on the
machine changes:

```sh
pipx install octavo
octavo init mybook --title "Field Notes"
cd mybook && octavo preview
```

## What is installed

| Part | Package | Licence |
|---|---|---|
| EPUB writer | ebooklib | AGPL-3.0 |
| PDF engine | WeasyPrint | BSD |
| Fonts | fontpkg-* | OFL-1.1 |

## Checking the install

1. Run `octavo version`: it prints the version.
2. Run `octavo fonts`: it lists the font families the book can be set in.
3. Build the sample with `octavo build`.

If a step fails, the message names the file, the line and the column at fault, and says
what would help. A build that fails leaves the outputs of the last good build as they were.

## Where to go next

Each file in `manuscript/` is a chapter, read in the order of the file names: write the
first one, then run `octavo preview` to see it set as an e-book and as printed pages.
"""


def story() -> dict[str, str]:
    paragraphs = (REPO / "manuscript" / "01-story.txt").read_text("utf-8").split("\n")
    text = [p for p in paragraphs if p.strip()]
    half = len(text) // 2
    return {
        "01-leaving.md": "# Leaving\n\n" + "\n\n".join(text[:half]) + "\n",
        "02-the-door.md": "# The Door\n\n" + "\n\n".join(text[half:]) + "\n",
    }


def poems() -> dict[str, str]:
    poems = {p.split("\n", 1)[0]: "# " + p for p in POEM.read_text("utf-8").split("# ")[1:]}
    # short poems: a stanza of more than 64 lines is refused before issue 11's verse support
    return {
        "01-mending-wall.md": poems["Mending Wall"],
        "02-apples.md": poems["After Apple-Picking"],
    }


BOOKS = {
    "classic": ("I Don’t Have a Mother", "Anonymous", story(), ""),
    "modern": ("I Don’t Have a Mother", "Anonymous", story(), ""),
    "manual": ("The octavo Manual", "The octavo authors", {"01-install.md": MANUAL}, ""),
    "poetry": ("North of Boston", "Robert Frost", poems(), ""),
}


def spread(pdf: Path, first: int, target: Path) -> None:
    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=SCALE).to_pil().convert("RGB") for i in (first, first + 1)]
    gap = 6
    sheet = Image.new("RGB", (images[0].width * 2 + gap, images[0].height), (160, 160, 160))
    sheet.paste(images[0], (0, 0))
    sheet.paste(images[1], (images[0].width + gap, 0))
    sheet.save(target, optimize=True)


def main() -> None:
    sys.path.insert(0, str(REPO / "src"))
    from octavo import build, load_book

    with tempfile.TemporaryDirectory() as tmp:
        for theme, (title, author, files, extra) in BOOKS.items():
            root = Path(tmp) / theme
            (root / "manuscript").mkdir(parents=True)
            (root / "book.toml").write_text(
                f'title = "{title}"\nauthor = "{author}"\nlanguage = "en-US"\n'
                f'theme = "{theme}"\n{extra}',
                "utf-8",
            )
            for name, text in files.items():
                (root / "manuscript" / name).write_text(text, "utf-8")
            result = build(load_book(root), root / "out", ["pdf"])
            pdf = result.outputs[0].path
            doc = pdfium.PdfDocument(str(pdf))
            opener = next(i for i in range(len(doc)) if doc.get_page_label(i) == "1")
            spread(pdf, opener, HERE / f"theme-{theme}.png")
            print(theme, pdf.name, len(doc), "pages")


if __name__ == "__main__":
    main()
