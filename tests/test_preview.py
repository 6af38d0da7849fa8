"""`octavo preview` over HTTP: both panes served, an edit picked up, a broken manuscript's
error shown at its place, and nothing reachable but through the loopback address."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from octavo.core.errors import OctavoError
from octavo.live import server
from previewsupport import built, chapter_text, fetch, lantern_book, previewing, state, wait_for

FIRST_BUILD = 180  # seconds: the first build imports WeasyPrint on a busy machine


def test_preview_serves_the_ebook_and_the_printed_pages(tmp_path: Path) -> None:
    with previewing(lantern_book(tmp_path / "book")) as running:
        assert running.url.startswith("http://127.0.0.1:")
        status, kind, page = fetch(running.url)
        assert status == 200 and kind.startswith("text/html") and b"octavo preview" in page
        assert wait_for(lambda: built(running), FIRST_BUILD) is not None
        now = state(running)
        # the left pane: the EPUB's own chapter, its style sheet, as the reading system gets them
        assert "A lantern swung above the quay" in chapter_text(running)
        status, kind, css = fetch(running.url + "epub/EPUB/style/book.css")
        assert status == 200 and kind == "text/css" and b"font-family" in css
        # the right pane: the chapter's opening page drawn as a PNG, with ink on it
        opening = now["pdf"]["starts"]["The Lantern"]
        status, kind, png = fetch(f"{running.url}pdf/{opening + 1}.png?w=400")
        assert status == 200 and kind == "image/png"
        image = Image.open(io.BytesIO(png)).convert("L")
        assert image.width == 400 and image.getextrema()[0] < 100  # dark ink on white paper
        assert fetch(running.url + "book.pdf")[2].startswith(b"%PDF")
        assert fetch(running.url + "epub/../../etc/passwd")[0] == 404
        assert fetch(f"{running.url}pdf/{len(now['pdf']['pages']) + 1}.png")[0] == 404


def test_an_edit_reaches_the_page_within_three_seconds(tmp_path: Path) -> None:
    book = lantern_book(tmp_path / "book")
    with previewing(book) as running:
        assert wait_for(lambda: built(running), FIRST_BUILD) is not None
        before = state(running)
        chapter = book / "manuscript" / "01-lantern.md"
        chapter.write_text("# The Lantern\n\nA heron stood on the slipway.\n", "utf-8")
        seconds = wait_for(lambda: "A heron stood" in chapter_text(running), 3.0)
        assert seconds is not None, "the edited chapter was not served within 3 s"
        # the print pane follows: a new PDF whose chapter page holds the new words
        assert wait_for(lambda: built(running), FIRST_BUILD) is not None
        assert wait_for(lambda: state(running)["pdf"]["version"] > before["pdf"]["version"], 60)
        assert _pdf_has(running, "heron")


def _pdf_has(running: server.Running, word: str) -> bool:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(fetch(running.url + "book.pdf")[2])
    return any(word in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_a_broken_manuscript_shows_its_error_instead_of_the_book(tmp_path: Path) -> None:
    book = lantern_book(tmp_path / "book")
    chapter = book / "manuscript" / "01-lantern.md"
    with previewing(book) as running:
        assert wait_for(lambda: built(running), FIRST_BUILD) is not None
        chapter.write_text("# The Lantern\n\nThe quay.\n\nSee ![the harbour](harbour.png).\n")
        assert wait_for(lambda: state(running)["problem"] is not None, 60) is not None
        problem = state(running)["problem"]
        assert problem["text"] == f"{chapter}:5: error: image 'harbour.png' not found"
        assert problem["excerpt"] == "See ![the harbour](harbour.png)."
        # mended: the error goes and the book comes back
        chapter.write_text("# The Lantern\n\nThe quay, mended.\n")
        assert wait_for(lambda: state(running)["problem"] is None, 60) is not None
        assert wait_for(lambda: "The quay, mended." in chapter_text(running), 60) is not None


def test_only_the_loopback_address_is_served(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.org"):
        with pytest.raises(OctavoError, match="this machine only"):
            server.loopback(host)
    assert server.loopback("localhost") == "127.0.0.1"
    book = lantern_book(tmp_path / "book")
    # from the command line: one line, exit 2, nothing built
    cmd = [sys.executable, "-m", "octavo", "preview", str(book), "--host", "0.0.0.0"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "this machine only" in done.stderr
    # a request that names the server by another name (DNS rebinding) is refused
    with previewing(book) as running:
        assert fetch(running.url + "state", host="attacker.example:80")[0] == 403
        assert fetch(running.url + "state")[0] == 200
