"""Benchmark: impose a 300-page interior (one big number a page) and the corpus novel's print
interior into booklets, and print seconds, sheet sizes and scale factors.

    .venv/bin/python bench/booklet.py            # 300 pages, then the corpus (≈30 s to render)
    .venv/bin/python bench/booklet.py --quick    # 300 pages only
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from octavo.book.paper import parse_size
from octavo.booklet.plan import BookletOptions, FourUp, paper_name, plan

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "pride-and-prejudice"
RUNS = 5


def labelled_interior(pages: int) -> bytes:
    from weasyprint import HTML

    css = (
        "@page { size: 148mm 210mm; margin: 12mm }"
        "p { font-size: 60pt; text-align: center; margin: 0; break-after: page }"
    )
    body = "".join(f"<p>{i}</p>" for i in range(1, pages + 1))
    data: bytes = HTML(string=f"<style>{css}</style>{body}").write_pdf()
    return data


def corpus_interior() -> bytes:
    from octavo import load_book, themes
    from octavo.print.finish import finish
    from octavo.print.layout import layout

    book = load_book(CORPUS)
    return finish(layout(book, themes.load(book.config.theme, book.config.root)), book).data


def time_impose(name: str, data: bytes) -> None:
    """Warm timings in this process, and one cold run in a new process (imports included)."""
    from octavo.booklet.sheets import impose

    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        booklet = impose(data)
        seconds.append(time.perf_counter() - start)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        code = (
            "import sys, time; t = time.perf_counter(); from octavo.booklet.sheets import impose; "
            f"impose(open({tmp.name!r}, 'rb').read()); print(time.perf_counter() - t)"
        )
        cold = float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
    pages = booklet.plan.sheets * 4
    print(
        f"{name:28} {pages:4} pages  best {min(seconds):.3f} s  median "
        f"{statistics.median(seconds):.3f} s  cold process {cold:.3f} s  "
        f"→ {booklet.plan.sheets} sheets, {len(booklet.data) / 1e6:.2f} MB"
    )


def geometry() -> None:
    print(f"\n{'trim':12} {'sheet':10} {'layout':8} {'sheet size (pt)':>20} {'scale':>8}")
    cases: list[tuple[str, str | None, FourUp | None]] = [
        ("a5", None, None),
        ("5.5x8.5in", None, None),
        ("6x9in", None, None),
        ("5x8in", None, None),
        ("b5", None, None),
        ("a6", None, None),
        ("a6", None, "copies"),
        ("a6", None, "folded"),
        ("6x9in", "a4", None),
        ("a5", "11x17in", None),
    ]
    for trim_name, sheet, four_up in cases:
        trim = parse_size(trim_name)
        options = BookletOptions(sheet=parse_size(sheet) if sheet else None, four_up=four_up)
        layout = plan(8, trim, options)
        size = f"{layout.sheet.width:.2f} × {layout.sheet.height:.2f}"
        print(
            f"{trim_name:12} {paper_name(layout.sheet):10} {four_up or '2-up':8} {size:>20} "
            f"{layout.scale:8.4f}"
        )


def main() -> None:
    print("rendering a 300-page interior…", file=sys.stderr)
    time_impose("300 labelled A5 pages", labelled_interior(300))
    if "--quick" not in sys.argv and CORPUS.exists():
        print("rendering the corpus interior (≈30 s)…", file=sys.stderr)
        time_impose("corpus: Pride and Prejudice", corpus_interior())
    geometry()


if __name__ == "__main__":
    main()
