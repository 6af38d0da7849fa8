"""Page-list agreement on the corpus: build each book's EPUB and print PDF together, then
compare, for every page in the EPUB's page-list, the words after its marker with the words that
open that page of the PDF (the check tests/test_epub_pagelist.py makes on small books). A
printed page with text that the page-list lacks counts as a disagreement too.

    .venv/bin/python bench/pagelist.py [BOOK_DIR ...]    # default: every book in ../shared/corpus
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
CORPUS = HERE.parent.parent / "shared" / "corpus"
SHOWN = 10  # differences printed per book


def measure(book: Path) -> str:
    from octavo import build, load_book
    from octavo.core.errors import OctavoError
    from test_epub_pagelist import agreement

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        try:
            result = build(load_book(book), Path(out), ["epub", "pdf"])
        except OctavoError as exc:
            return f"{book.name}: does not build: {exc}"
        seconds = time.perf_counter() - start
        found = agreement(result)
    lines = [
        f"{book.name}: {found.agreeing} of {found.pages} pages agree ({found.percent:.1f} %); "
        f"{len(found.differences)} differ, {len(found.unlisted)} printed pages missing from the "
        f"page-list; {found.mid_paragraph} open mid-paragraph, {found.mid_word} mid-word "
        f"(built in {seconds:.0f} s)"
    ]
    lines += [f"  {line}" for line in found.differences[:SHOWN]]
    if found.unlisted:
        lines.append(f"  not in the page-list: {', '.join(found.unlisted[:SHOWN])}")
    return "\n".join(lines)


def main() -> None:
    books = [Path(a) for a in sys.argv[1:]] or sorted(p for p in CORPUS.iterdir() if p.is_dir())
    for book in books:
        print(measure(book), flush=True)


if __name__ == "__main__":
    main()
