"""`octavo preview`: the book as it is being written, in a local web page.

The left pane shows the EPUB's chapters as a reading system would (its own XHTML, CSS, fonts
and images, served from the built EPUB), the right pane the print PDF's pages as images. After
each save the book is rebuilt (the watch machinery, watch.py): the EPUB first, which takes a
moment, then the print edition; the page asks for the build state twice a second and reloads
the pane whose edition changed. A build error replaces the book on the page, at its
`path:line:col`, until a save mends it.

The server is the standard library's ThreadingHTTPServer: a handful of routes, no templates,
no framework. It listens on a loopback address only, and answers only requests that name it by
that address (a web page elsewhere cannot reach it through DNS tricks).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.core.errors import OctavoError
from octavo.live.epubview import EpubView
from octavo.live.pdfview import PdfView
from octavo.live.watch import Rebuild
from octavo.pipeline import BuildResult, build
from octavo.source.load import load_book

# The documents a reading system shows before the text; the pane opens at the first chapter.
FRONT_DOCUMENTS = ("cover", "titlepage", "copyright", "nav")


@dataclass(frozen=True)
class Problem:
    """A build error as the page shows it: the `path:line:col: error: …` line and, when the
    error has a line, that line of the file with a caret under the column."""

    text: str
    excerpt: str = ""
    col: int | None = None

    @classmethod
    def of(cls, exc: OctavoError) -> Problem:
        excerpt = ""
        if exc.path is not None and exc.line is not None:
            try:
                lines = exc.path.read_text("utf-8", "replace").splitlines()
                excerpt = lines[exc.line - 1] if 0 < exc.line <= len(lines) else ""
            except OSError:
                pass
        return cls(str(exc), excerpt[:400], exc.col)


class Preview:
    """The preview's state: the last good EPUB and PDF in memory, or the error of the last
    build. A rebuild runs on the watcher's thread; the server's threads only read."""

    def __init__(self, source: Path, log: Callable[[Rebuild], None] | None = None) -> None:
        self.source = source
        self.log = log
        self.out_dir = Path(tempfile.mkdtemp(prefix="octavo-preview-"))
        self._lock = threading.Lock()
        self.version = 0  # every change of state: the page polls for it
        self.epub_version = 0
        self.pdf_version = 0
        self.building = False
        self.epub: EpubView | None = None
        self.pdf: PdfView | None = None
        self.problem: Problem | None = None

    def _set(self, **changes: Any) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1

    def rebuild(self, trigger: tuple[Path, ...] = ()) -> None:
        """Build the EPUB, show it, then lay out and show the print edition."""
        at = dt.datetime.now().astimezone()
        start = time.perf_counter()
        self._set(building=True)
        outcome: BuildResult | OctavoError
        try:
            book = load_book(self.source)
            outcome = build(book, self.out_dir, ["epub"])
            epub = EpubView(outcome.outputs[0].path.read_bytes())
            self._set(epub=epub, epub_version=self.epub_version + 1, problem=None)
            printed = build(book, self.out_dir, ["pdf"])
            outcome.outputs.extend(printed.outputs)
            outcome.warnings.extend(printed.warnings)
            old, pdf = self.pdf, PdfView(printed.outputs[0].path.read_bytes())
            self._set(pdf=pdf, pdf_version=self.pdf_version + 1)
            if old is not None:
                old.close()
        except OctavoError as exc:
            outcome = exc
            self._set(problem=Problem.of(exc))
        finally:
            self._set(building=False)
        if self.log is not None:
            self.log(Rebuild(at, trigger, outcome, time.perf_counter() - start))

    def state(self) -> dict[str, Any]:
        """What the page polls: versions to compare, the chapters, the pages, the error."""
        with self._lock:
            epub, pdf, problem = self.epub, self.pdf, self.problem
            state: dict[str, Any] = {"version": self.version, "building": self.building}
            state["epub"] = epub and {
                "version": self.epub_version,
                "spine": [{"href": i.href, "title": i.title} for i in epub.spine],
                "start": _first_chapter(epub),
            }
            state["pdf"] = pdf and {
                "version": self.pdf_version,
                "pages": [[round(w, 1), round(h, 1)] for w, h in pdf.sizes],
                "starts": pdf.starts,
            }
            state["problem"] = problem and {
                "text": problem.text,
                "excerpt": problem.excerpt,
                "col": problem.col,
            }
        return state

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
        shutil.rmtree(self.out_dir, ignore_errors=True)


def _first_chapter(epub: EpubView) -> int:
    for index, item in enumerate(epub.spine):
        stem = item.href.rsplit("/", 1)[-1].removesuffix(".xhtml")
        if stem not in FRONT_DOCUMENTS:
            return index
    return 0


def state_json(preview: Preview) -> bytes:
    return json.dumps(preview.state(), ensure_ascii=False).encode("utf-8")
