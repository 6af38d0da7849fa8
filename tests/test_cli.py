"""The command line: builds from a folder or a single file; bad input gives one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import SEED, make_book

OCTAVO = [sys.executable, "-m", "octavo"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [*OCTAVO, *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], where: str, words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(where), lines[0]
    assert ": error: " in lines[0] and words in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def test_a_single_text_file_builds_without_book_toml(tmp_path: Path) -> None:
    proc = run("build", str(SEED), "--out", str(tmp_path), "--format", "epub")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "story.epub").stat().st_size > 0


def test_missing_source_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = run("build", str(tmp_path / "nowhere"))
    assert_one_line_error(proc, str(tmp_path / "nowhere"), "no such file")


def test_invalid_utf8_names_file_line_and_column(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nfine\n"})
    (book / "manuscript" / "02.md").write_bytes(b"# Two\n\nna\xefve\n")
    proc = run("build", str(book), "--out", str(tmp_path / "out"))
    assert_one_line_error(proc, f"{book / 'manuscript' / '02.md'}:3:3", "not valid UTF-8")


def test_bad_toml_value_names_the_key(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"}, 'title = "T"\ntrim = "B52"\n')
    proc = run("build", str(book), "--out", str(tmp_path / "out"))
    assert_one_line_error(proc, f"{book / 'book.toml'}:2", "'trim' must be")


def test_failed_build_leaves_earlier_outputs_untouched(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"})
    out = tmp_path / "out"
    assert run("build", str(book), "--out", str(out), "--format", "epub").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (book / "manuscript" / "01.md").write_bytes(b"\xff\xfe bad")
    assert run("build", str(book), "--out", str(out), "--format", "epub").returncode == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_python_dash_m_and_version_work() -> None:
    proc = run("version")
    assert proc.returncode == 0 and proc.stdout.strip()


def test_print_options_reach_the_pdf(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"}, 'title = "T"\ntrim = "6x9in"\n')
    out = tmp_path / "out"
    proc = run(
        "build", str(book), "--out", str(out), "--format", "pdf,cover", "--for", "kdp", "--bleed"
    )
    assert proc.returncode == 0, proc.stderr
    assert "P010" in proc.stderr  # too few pages for KDP, said as a warning
    from pypdf import PdfReader

    page = PdfReader(out / "t.pdf").pages[0]
    assert float(page.mediabox.width) == 6.125 * 72
    assert (out / "t-cover.pdf").stat().st_size > 0


def test_a_bad_pdf_x_variant_is_one_line_and_exit_2(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"})
    proc = run("build", str(book), "--out", str(tmp_path / "out"), "--pdf-x", "3")
    assert_one_line_error(proc, "octavo", "--pdf-x must be 1a or 4")


def test_a_book_is_built_from_inside_its_folder_with_relative_paths(tmp_path: Path) -> None:
    """`octavo build` with no argument: the book is `.`, the outputs go to `build/`."""
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("p { letter-spacing: 0.01em }\n", "utf-8")
    proc = run("build", "--format", "epub,pdf,booklet", cwd=book)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (book / "build").iterdir())
    assert names == [".octavo-cache", "test-book-booklet.pdf", "test-book.epub", "test-book.pdf"]


def test_repeated_warnings_are_grouped_and_paths_never_wrap(tmp_path: Path) -> None:
    """Piped (no terminal), a long path stays on one line; 30 identical removals are one line
    that says how many and where the first was; --verbose lists them all."""
    folder = tmp_path / ("a-folder-with-a-rather-long-name-" * 3)
    listings = "".join(f"<listing>code {i}</listing>\n\n" for i in range(30))
    book = make_book(folder, {"01.md": "# One\n\n" + listings})
    proc = run("build", str(book), "--out", str(book / "build"), "--format", "epub")
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("30 × warning H002 raw HTML removed: <listing>")
    assert line.endswith(f"first at {book}/manuscript/01.md:3")
    epub_line = next(x for x in proc.stdout.splitlines() if "epub" in x)
    assert str(book / "build" / "test-book.epub") in epub_line
    verbose = run("build", str(book), "--out", str(book / "build"), "-f", "epub", "--verbose")
    assert len(verbose.stderr.strip().splitlines()) == 30


def test_quiet_and_json_output(tmp_path: Path) -> None:
    import json

    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"})
    quiet = run("build", str(book), "--out", str(tmp_path / "o"), "-f", "epub", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    made = run("build", str(book), "--out", str(tmp_path / "o"), "-f", "epub", "--json")
    data = json.loads(made.stdout)
    assert [o["format"] for o in data["outputs"]] == ["epub"] and data["warnings"] == []


def test_init_says_what_to_do_next(tmp_path: Path) -> None:
    proc = run("init", str(tmp_path / "new"), "--title", "New")
    assert proc.returncode == 0, proc.stderr
    assert f"octavo build {tmp_path / 'new'}" in proc.stdout


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Die Salzstraße", "die-salzstrasse"),
        ("Ærø: Œuvres complètes", "aero-oeuvres-completes"),
        ("Преступление и наказание", "prestuplenie-i-nakazanie"),
        ("ספר הזוהר", "sfr-hzvhr"),
        ("吾輩は猫である", "wubeihamaodearu"),
    ],
)
def test_output_names_stay_readable_in_any_script(tmp_path: Path, title: str, name: str) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"}, f'title = "{title}"\n')
    proc = run("build", str(book), "--out", str(tmp_path / "o"), "--format", "epub")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / f"{name}.epub").is_file()


def test_help_lists_each_command_with_its_first_sentence_on_one_line() -> None:
    proc = run("--help")
    assert proc.returncode == 0, proc.stderr
    rows = {
        line.strip("│ ").split(" ", 1)[0]: line.strip("│ ").split(" ", 1)[1].strip()
        for line in proc.stdout.splitlines()
        if line.startswith("│ ") and not line.startswith("│ -")
    }
    assert set(rows) >= {"build", "check", "watch", "preview", "import"}, proc.stdout
    # before: the docstring's source lines, broken where the code wraps (and cut mid-phrase)
    assert rows["check"] == (
        "Lint the manuscript, build the book and validate it (EPUBCheck, PDF fonts and lines)."
    )
    assert all(text.endswith(".") for text in rows.values()), rows
