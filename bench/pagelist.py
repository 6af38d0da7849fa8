"""Page-list agreement on the corpus: build the EPUB and the print PDF together, then compare,
for every page in the EPUB's page-list, the words after its marker with the words that open
that page of the PDF (the check tests/test_epub_pagelist.py makes on small books).

    .venv/bin/python bench/pagelist.py [BOOK_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
DEFAULT_BOOK = HERE.parent.parent / "shared" / "corpus" / "pride-and-prejudice"


def main() -> None:
    from octavo import build, load_book
    from test_epub_pagelist import agreement

    book = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BOOK
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = build(load_book(book), Path(out), ["epub", "pdf"])
        seconds = time.perf_counter() - start
        found = agreement(result)
    print(f"{book.name}: built EPUB + PDF in {seconds:.1f} s")
    print(
        f"pages compared {found.compared}, opening mid-paragraph {found.mid_paragraph}, "
        f"mid-word {found.mid_word}, differences {len(found.differences)}, "
        f"printed folios missing from the page-list {len(found.unlisted)}"
    )
    for line in found.differences[:20]:
        print("  " + line)


if __name__ == "__main__":
    main()
