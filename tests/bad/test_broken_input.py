"""Broken input: each case gives one line `path[:line[:col]]: error: …`, exit code 2, and the
outputs of the previous build untouched (nothing replaced, nothing added)."""

from __future__ import annotations

import io
import os
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from badtools import Octavo, files_in, previous_outputs
from lxml import etree
from PIL import Image

from octavo.source.sanitize import MAX_DEPTH
from support import make_book, pdf_pages_text, squash

GOOD = {"01.md": "# One\n\nA first chapter.\n"}


def png_bytes(size: tuple[int, int] = (32, 32)) -> bytes:
    """A PNG of noise (which does not compress), the same bytes every time."""
    noise = random.Random(1).randbytes(size[0] * size[1] * 3)
    image = Image.frombytes("RGB", size, noise)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A few bytes that claim a width × height image: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no room on the disk."""
    with path.open("wb") as file:
        file.truncate(size)


def book_with_image(root: Path, name: str, data: bytes) -> Path:
    book = make_book(root, {"01.md": f"# One\n\nSee:\n\n![a picture](../images/{name})\n"})
    (book / "images").mkdir()
    (book / "images" / name).write_bytes(data)
    return book


def book_with_chapter(root: Path, name: str, data: bytes) -> Path:
    book = make_book(root, GOOD)
    (book / "manuscript" / name).write_bytes(data)
    return book


def book_with_toml(root: Path, toml: str) -> Path:
    return make_book(root, GOOD, toml)


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]  # writes the book under the given folder, returns its path
    where: str  # the start of the error line, relative to the book folder
    words: str  # what the message must say


CASES = {
    "invalid UTF-8 names line, column and byte": Case(
        lambda r: book_with_chapter(r, "02.md", b"# Two\n\nna\xefve\n"),
        "manuscript/02.md:3:3: error: ",
        "not valid UTF-8 (byte 0xEF",
    ),
    "a UTF-16 file with a byte-order mark": Case(
        lambda r: book_with_chapter(r, "02.md", "# Two\n\nText.\n".encode("utf-16")),
        "manuscript/02.md:1: error: ",
        "this file is UTF-16; save it as UTF-8",
    ),
    "a UTF-16 file without a byte-order mark": Case(
        lambda r: book_with_chapter(r, "02.txt", "Plain words here.\n".encode("utf-16-le")),
        "manuscript/02.txt:1: error: ",
        "this file is UTF-16",
    ),
    "an empty manuscript folder": Case(
        lambda r: make_book(r, {}) if (r / "manuscript").mkdir(parents=True) is None else r,
        "manuscript: error: ",
        "the manuscript is empty",
    ),
    "an empty chapter": Case(
        lambda r: book_with_chapter(r, "02.md", b"  \n\n\t\n"),
        "manuscript/02.md:1: error: ",
        "this chapter is empty",
    ),
    "a chapter of nothing but control characters": Case(
        lambda r: book_with_chapter(r, "02.txt", b"\x00\x01\x0c\n\x00"),
        "manuscript/02.txt:1: error: ",
        "this chapter is empty",
    ),
    "a missing image": Case(
        lambda r: make_book(r, {"01.md": "# One\n\n![gone](../images/gone.png)\n"}),
        "manuscript/01.md:3: error: ",
        "image '../images/gone.png' not found",
    ),
    "a truncated image": Case(
        lambda r: book_with_image(r, "cut.png", png_bytes((64, 64))[:300]),
        "manuscript/01.md:5: error: ",
        "image '../images/cut.png' is corrupt",
    ),
    "a file of garbage named .png": Case(
        lambda r: book_with_image(r, "junk.png", b"this is not a picture at all" * 10),
        "manuscript/01.md:5: error: ",
        "image '../images/junk.png' is corrupt",
    ),
    "an empty image file": Case(
        lambda r: book_with_image(r, "empty.png", b""),
        "manuscript/01.md:5: error: ",
        "is an empty file",
    ),
    "an image far too large (a decompression bomb)": Case(
        lambda r: book_with_image(r, "bomb.png", png_header_only(100_000, 100_000)),
        "manuscript/01.md:5: error: ",
        "is far too large (far beyond 50 megapixels, octavo accepts at most 50)",
    ),
    "an image of 64 megapixels": Case(
        lambda r: book_with_image(r, "big.png", png_header_only(8000, 8000)),
        "manuscript/01.md:5: error: ",
        "is 8000×8000 pixels (64 megapixels); octavo accepts at most 50: scale it down",
    ),
    "a JPEG saved as .png": Case(
        lambda r: book_with_image(r, "photo.png", jpeg_bytes()),
        "manuscript/01.md:5: error: ",
        "holds JPEG data, not PNG",
    ),
    "an SVG that is not well-formed XML": Case(
        lambda r: book_with_image(r, "cut.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect'),
        "manuscript/01.md:5: error: ",
        "is not a valid SVG file",
    ),
    "an image of an unsupported type": Case(
        lambda r: book_with_image(r, "scan.tiff", b"II*\x00"),
        "manuscript/01.md:5: error: ",
        "is not a supported type",
    ),
    "lists nested 10,000 deep": Case(
        lambda r: make_book(r, {"01.md": "# One\n\nFine.\n\n" + "- " * 10_000 + "deep\n"}),
        "manuscript/01.md:5: error: ",
        f"octavo allows {MAX_DEPTH}: flatten them",
    ),
    "block quotes nested 10,000 deep": Case(
        lambda r: make_book(r, {"01.md": "# One\n\n" + "> " * 10_000 + "deep\n"}),
        "manuscript/01.md:3: error: ",
        f"octavo allows {MAX_DEPTH}",
    ),
    "indented lists nested 200 deep": Case(
        lambda r: make_book(r, {"01.md": "".join("  " * i + "- item\n" for i in range(200))}),
        "manuscript/01.md:",
        f"octavo allows {MAX_DEPTH}",
    ),
    "emphasis nested 5,000 deep": Case(
        lambda r: make_book(r, {"01.md": "# One\n\n" + "*" * 10_000 + "x" + "*" * 10_000}),
        "manuscript/01.md:3: error: ",
        f"octavo allows {MAX_DEPTH}",
    ),
    "raw HTML elements nested 10,000 deep": Case(
        lambda r: make_book(r, {"01.md": "# One\n\n" + "<div>" * 10_000 + "\ndeep\n"}),
        "manuscript/01.md:3: error: ",
        f"octavo allows {MAX_DEPTH}",
    ),
    "an unknown theme": Case(
        lambda r: book_with_toml(r, 'title = "T"\ntheme = "gothic"\n'),
        "book.toml: error: ",
        "unknown theme 'gothic' (known: classic, manual, modern, poetry)",
    ),
    "a bad trim size": Case(
        lambda r: book_with_toml(r, 'title = "T"\ntrim = "B52"\n'),
        "book.toml:2: error: ",
        "'trim' must be",
    ),
    "a title that is a number": Case(
        lambda r: book_with_toml(r, "title = 5\n"),
        "book.toml:1: error: ",
        "'title' must be text in quotes",
    ),
    "typography given as a string": Case(
        lambda r: book_with_toml(r, 'title = "T"\ntypography = "yes"\n'),
        "book.toml:2: error: ",
        "'typography' must be true or false",
    ),
    "authors given as numbers": Case(
        lambda r: book_with_toml(r, 'title = "T"\nauthors = [1, 2]\n'),
        "book.toml:2: error: ",
        "'authors' must be a name in quotes",
    ),
    "a NUL written into book.toml with an escape": Case(
        lambda r: book_with_toml(r, 'title = "T\\u0000"\n'),
        "book.toml: error: ",
        "'title' holds the control character U+0000, which XML forbids",
    ),
    "a missing cover": Case(
        lambda r: book_with_toml(r, 'title = "T"\ncover = "cover.jpg"\n'),
        "book.toml: error: ",
        "cover: image 'cover.jpg' not found",
    ),
    "a corrupt cover": Case(
        lambda r: (
            book_with_toml(r, 'title = "T"\ncover = "cover.jpg"\n'),
            (r / "cover.jpg").write_bytes(jpeg_bytes()[:200]),
        )[0],
        "book.toml: error: ",
        "cover: image 'cover.jpg' is corrupt",
    ),
    "a style sheet that is not UTF-8": Case(
        lambda r: (
            make_book(r, GOOD),
            (r / "styles").mkdir(),
            (r / "styles" / "print.css").write_bytes(b"p {}\n/* caf\xe9 */\n"),
        )[0],
        "styles/print.css:2:7: error: ",
        "not valid UTF-8",
    ),
    "two chapters whose names give the same id": Case(
        lambda r: make_book(r, {"01 Intro.md": "# A\n\nOne.\n", "01-intro.md": "# B\n\nTwo.\n"}),
        "manuscript/01-intro.md: error: ",
        "gives the same chapter id 'c01-intro' as 01 Intro.md; rename one",
    ),
    "a chapter listed with ../ that leaves the book": Case(
        lambda r: (
            book_with_toml(r, 'title = "T"\nchapters = ["01.md", "../../secret.md"]\n'),
            (r.parent / "secret.md").write_text("# Secret\n\nNot for the book.\n", "utf-8"),
        )[0],
        "manuscript/../../secret.md: error: ",
        "this chapter lies outside the book folder",
    ),
    "a chapter that is a symlink out of the book": Case(
        lambda r: (
            make_book(r, GOOD),
            (r.parent / "secret.md").write_text("# Secret\n\nNot for the book.\n", "utf-8"),
            (r / "manuscript" / "02.md").symlink_to(r.parent / "secret.md"),
        )[0],
        "manuscript/02.md: error: ",
        "this chapter lies outside the book folder",
    ),
    "a manuscript file of 65 MB": Case(
        lambda r: (make_book(r, GOOD), sparse(r / "manuscript" / "02.txt", 65 * 2**20))[0],
        "manuscript/02.txt: error: ",
        "is 65 MB; a manuscript file may hold at most 64 MB",
    ),
    "a chapter named like a page octavo makes itself": Case(
        lambda r: make_book(r, {**GOOD, "copyright.md": "# Rights\n\nMine.\n"}),
        "manuscript/copyright.md: error: ",
        "the chapter id 'copyright' is a name octavo uses for its own pages; rename the file",
    ),
}


@pytest.fixture(scope="module", autouse=True)
def weasyprint_imported() -> None:
    """As in a long-lived process that has built a PDF: importing WeasyPrint changes Pillow's
    global settings (it accepts truncated images), and the checks must hold all the same."""
    import weasyprint  # noqa: F401


@pytest.mark.parametrize("name", list(CASES))
def test_broken_input_is_one_line_exit_2_and_outputs_untouched(
    name: str, tmp_path: Path, octavo: Octavo
) -> None:
    case = CASES[name]
    book = case.make(tmp_path / "book")
    out = tmp_path / "out"
    before = previous_outputs(out)
    run = octavo("build", str(book), "--out", str(out))
    assert run.code == 2, run.err
    assert len(run.err_lines) == 1, run.err
    line = run.err_lines[0]
    assert line.startswith(f"{book}/{case.where}"), line
    assert case.words in line, line
    assert "Traceback" not in run.err + run.out
    assert files_in(out) == before


def test_an_output_folder_that_is_a_file(tmp_path: Path, octavo: Octavo) -> None:
    book = make_book(tmp_path / "book", GOOD)
    (tmp_path / "out").write_bytes(b"not a folder")
    run = octavo("build", str(book), "--out", str(tmp_path / "out"))
    assert run.code == 2 and run.err_lines == [
        f"{tmp_path / 'out'}: error: the output folder is a file, not a folder"
    ]
    assert (tmp_path / "out").read_bytes() == b"not a folder"


def test_an_output_folder_below_a_file(tmp_path: Path, octavo: Octavo) -> None:
    book = make_book(tmp_path / "book", GOOD)
    (tmp_path / "file").write_bytes(b"x")
    run = octavo("build", str(book), "--out", str(tmp_path / "file" / "out"))
    assert run.code == 2
    assert run.err_lines == [
        f"{tmp_path / 'file' / 'out'}: error: cannot create the output folder: Not a directory"
    ]


def test_a_missing_output_folder_is_created(tmp_path: Path, octavo: Octavo) -> None:
    book = make_book(tmp_path / "book", GOOD)
    run = octavo("build", str(book), "--out", str(tmp_path / "a" / "b"), "--format", "epub")
    assert run.code == 0, run.err
    assert (tmp_path / "a" / "b" / "test-book.epub").is_file()


def test_a_read_only_output_folder(
    tmp_path: Path, octavo: Octavo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root may write anywhere, so the refusal a read-only folder gives is simulated where it
    happens: creating the temporary file beside the output."""
    import tempfile

    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    book = make_book(tmp_path / "book", GOOD)
    out = tmp_path / "out"
    before = previous_outputs(out)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    run = octavo("build", str(book), "--out", str(out), "--format", "epub")
    assert run.code == 2
    assert run.err_lines == [
        f"{out / 'test-book.epub'}: error: cannot write test-book.epub: Permission denied; "
        "the previous file is untouched"
    ]
    assert files_in(out) == before


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root writes into read-only folders",
)
def test_a_read_only_output_folder_for_real(tmp_path: Path, octavo: Octavo) -> None:
    book = make_book(tmp_path / "book", GOOD)
    out = tmp_path / "out"
    before = previous_outputs(out)
    out.chmod(0o555)
    try:
        run = octavo("build", str(book), "--out", str(out))
    finally:
        out.chmod(0o755)
    assert run.code == 2 and run.err_lines == [f"{out}: error: the output folder is not writable"]
    assert files_in(out) == before


def chapter_xhtml(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as z:
        return z.read(f"EPUB/{name}.xhtml")


def test_control_characters_are_removed_with_a_warning(tmp_path: Path, octavo: Octavo) -> None:
    book = make_book(tmp_path / "book", GOOD)
    text = "# Two\n\nBell\x07 and NUL\x00 and feed\x0c and \ufffe gone.\n"
    (book / "manuscript" / "02.md").write_text(text, "utf-8")
    run = octavo("build", str(book), "--out", str(tmp_path / "out"), "--format", "epub")
    assert run.code == 0, run.err
    assert run.err_lines == [
        f"{book}/manuscript/02.md:3:5: warning H001 control characters removed: 4 that XML "
        "forbids (U+0007, U+0000, U+000C, U+FFFE)"
    ]
    root = etree.fromstring(chapter_xhtml(tmp_path / "out" / "test-book.epub", "c02"))
    assert "Bell and NUL and feed and  gone." in "".join(root.itertext())


def one_megabyte_paragraph() -> str:
    words = ["the", "sea", "was", "calm", "that", "night", "and", "nobody", "said", "a", "word"]
    rng = random.Random(7)
    return " ".join(rng.choice(words) for _ in range(250_000))[:1_000_000].strip()


def test_a_one_megabyte_paragraph_builds(tmp_path: Path, octavo: Octavo) -> None:
    paragraph = one_megabyte_paragraph()
    book = make_book(tmp_path / "book", {"01.md": "# One\n\n" + paragraph + "\n"})
    run = octavo("build", str(book), "--out", str(tmp_path / "out"), "--format", "epub")
    assert run.code == 0, run.err
    root = etree.fromstring(chapter_xhtml(tmp_path / "out" / "test-book.epub", "c01"))
    paragraphs = ["".join(p.itertext()) for p in root.iter("{*}p")]
    assert paragraphs == [paragraph]


@pytest.mark.skipif(os.environ.get("OCTAVO_FUZZ") != "long", reason="~45 s: OCTAVO_FUZZ=long")
def test_a_one_megabyte_paragraph_builds_a_pdf(tmp_path: Path, octavo: Octavo) -> None:
    paragraph = one_megabyte_paragraph()
    book = make_book(tmp_path / "book", {"01.md": "# One\n\n" + paragraph + "\n"})
    run = octavo("build", str(book), "--out", str(tmp_path / "out"), "--format", "pdf")
    assert run.code == 0, run.err
    text = squash(" ".join(pdf_pages_text(tmp_path / "out" / "test-book.pdf")))
    # Running heads ("Test Book", "One") and folios interrupt the paragraph at page breaks.
    assert squash(paragraph) in re.sub(r"TestBook|One|\d+", "", text)


def test_nesting_at_the_limit_still_builds_a_pdf(tmp_path: Path, octavo: Octavo) -> None:
    """The limit is set where WeasyPrint is still safe: quotes as deep as allowed lay out."""
    deep = "> " * (MAX_DEPTH - 1) + "deepest words\n"
    book = make_book(tmp_path / "book", {"01.md": "# One\n\n" + deep})
    run = octavo("build", str(book), "--out", str(tmp_path / "out"), "--format", "epub,pdf")
    assert run.code == 0, run.err
    assert "deepestwords" in squash(" ".join(pdf_pages_text(tmp_path / "out" / "test-book.pdf")))
    one_more = "> " * MAX_DEPTH + "too deep\n"
    (book / "manuscript" / "01.md").write_text("# One\n\n" + one_more, "utf-8")
    run = octavo("build", str(book), "--out", str(tmp_path / "out"), "--format", "epub")
    assert run.code == 2 and f"nest {MAX_DEPTH + 1} levels deep" in run.err


def test_an_unexpected_failure_is_one_line_not_a_traceback(
    tmp_path: Path, octavo: Octavo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octavo.cli import app as cli

    def crash(_source: Path) -> None:
        raise ValueError("something nobody foresaw\nsecond line")

    monkeypatch.setattr(cli, "load_book", crash)
    run = octavo("build", str(tmp_path))
    assert run.code == 2
    assert run.err_lines == [
        "octavo: error: unexpected failure (ValueError: something nobody foresaw); "
        "OCTAVO_DEBUG=1 shows the details"
    ]
    monkeypatch.setenv("OCTAVO_DEBUG", "1")
    with pytest.raises(ValueError):
        octavo("build", str(tmp_path))
