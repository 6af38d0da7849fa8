"""Benchmark: build the 120k-word corpus once per format and print wall time, peak memory and
page counts. Each format runs in its own process so peak memory is that format's alone.

    make bench            # or: .venv/bin/python bench/run.py [BOOK_DIR]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BOOK = HERE.parent.parent / "shared" / "corpus" / "pride-and-prejudice"
FORMATS = ("epub", "pdf", "booklet")


def run_one(book: Path, fmt: str, out: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one `octavo build --format fmt`."""
    cmd = [sys.executable, "-m", "octavo", "build", str(book), "--out", str(out), "--format", fmt]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        assert proc.stderr is not None
        sys.exit(f"octavo build --format {fmt} failed: {proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main() -> None:
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BOOK
    print(f"book: {book}")
    print(f"{'format':8} {'seconds':>8} {'peak MB':>8}  output")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for fmt in FORMATS:
            seconds, peak = run_one(book, fmt, out)
            produced = sorted(out.glob("*-booklet.pdf" if fmt == "booklet" else f"*.{fmt}"))
            produced = [
                p for p in produced if fmt == "booklet" or not p.name.endswith("-booklet.pdf")
            ]
            detail = ", ".join(p.name for p in produced)
            if fmt != "epub" and produced:
                unit = "sheet sides" if fmt == "booklet" else "pages"
                detail += f" ({page_count(produced[0])} {unit})"
            print(f"{fmt:8} {seconds:8.2f} {peak:8.0f}  {detail}")


if __name__ == "__main__":
    main()
