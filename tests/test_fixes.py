"""`octavo check --diff` and `--fix`: fixes with one reading, shown as a unified diff or written
atomically; prose only, byte for byte elsewhere; a file it cannot fix safely is named. And
`--format json` answers in JSON even when the check cannot run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from octavo.check import check, explain, fixes
from support import REPO, make_book

TOML = 'title = "T"\nlanguage = "en"\n'
OFF = TOML + "typography = false\n"


def octavo_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "octavo", "check", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )


def fixed(book: Path) -> list[str]:
    notes: list[str] = []
    fixes.run(book, apply=True, note=notes.append)
    return notes


@pytest.fixture
def seed_book(tmp_path: Path) -> Path:
    book = tmp_path / "story"
    (book / "manuscript").mkdir(parents=True)
    shutil.copy(REPO / "book.toml", book / "book.toml")
    shutil.copy(REPO / "manuscript" / "01-story.txt", book / "manuscript" / "01-story.txt")
    return book


def test_fix_mends_the_seed_quote_and_leaves_the_rest_byte_for_byte(seed_book: Path) -> None:
    path = seed_book / "manuscript" / "01-story.txt"
    before = path.read_bytes()
    assert fixed(seed_book)[-1] == "octavo: fixed 1 finding in 1 file"
    after = path.read_bytes()
    wrong, right = "son—”I don’t".encode(), "son—“I don’t".encode()
    assert before.count(wrong) == 1 and after == before.replace(wrong, right)
    found = [(d.line, d.col, d.code) for d in check(seed_book, build=False).diagnostics]
    assert found == [(8, 268, "T010")]  # a sentence split in two: the author's to join


def test_diff_shows_the_fix_and_changes_nothing(seed_book: Path) -> None:
    path = seed_book / "manuscript" / "01-story.txt"
    before = path.read_bytes()
    proc = octavo_check(str(seed_book), "--no-build", "--diff")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == f"--- {path}" and lines[1] == f"+++ {path}"
    assert [line[:1] for line in lines[2:] if line[:1] in "+-"] == ["-", "+"]
    assert "son—”I" in lines[3] and "son—“I" in lines[4]
    assert "1 fix in 1 file" in proc.stderr
    assert path.read_bytes() == before
    fixed(seed_book)
    again = octavo_check(str(seed_book), "--no-build", "--diff")
    assert again.returncode == 0 and again.stdout == ""


def test_fix_then_reports_what_is_left(seed_book: Path) -> None:
    proc = octavo_check(str(seed_book), "--no-build", "--fix", "--format", "json")
    data = json.loads(proc.stdout)
    assert [d["code"] for d in data["diagnostics"]] == ["T010"]
    assert "fixed 1 finding" in proc.stderr


# (book.toml, file, text, text after --fix)
FIXES: list[tuple[str, str, str, str]] = [
    # T002: after a dash and at a paragraph's start only; a turned mark elsewhere stays
    (TOML, "a.txt", "My son—”I don’t,” he said.\n", "My son—“I don’t,” he said.\n"),
    (TOML, "a.md", "# A\n\n*”Go,”* she said.\n", "# A\n\n*“Go,”* she said.\n"),
    (TOML, "a.txt", "He said ”go,” and left.\n", "He said ”go,” and left.\n"),
    # T004 in a file typed with curly quotes: the build's reading
    (
        TOML,
        "a.txt",
        '“Yes,” she said. “It’s late.” He said "no" and didn\'t go.\n',
        "“Yes,” she said. “It’s late.” He said “no” and didn’t go.\n",
    ),
    # T005: the file's own dash; a line of dialogue opens with an em dash
    (TOML, "a.txt", "Wait - no—never.\n", "Wait—no—never.\n"),
    (TOML, "a.txt", "Wait - no – never.\n", "Wait – no – never.\n"),
    (TOML, "a.txt", "- Who is it?\n", "— Who is it?\n"),
    ('title = "T"\nlanguage = "de"\n', "a.txt", "Warte - nein.\n", "Warte – nein.\n"),
    # T006, T007, T008, T009
    (TOML, "a.txt", "Two  spaces   here.\n", "Two spaces here.\n"),
    (TOML, "a.txt", "“Wait... no,” she said—and left.\n", "“Wait… no,” she said—and left.\n"),
    (OFF, "a.txt", "Wait... no -- yes --- maybe.\n", "Wait… no – yes — maybe.\n"),
    (TOML, "a.txt", "‘Tis the ‘90s, don´t.\n", "’Tis the ’90s, don’t.\n"),
]


@pytest.mark.parametrize(("toml", "name", "text", "expected"), FIXES)
def test_each_fix(tmp_path: Path, toml: str, name: str, text: str, expected: str) -> None:
    book = make_book(tmp_path / "b", {name: text}, toml)
    fixed(book)
    assert (book / "manuscript" / name).read_text("utf-8") == expected


def test_code_urls_and_html_are_never_touched(tmp_path: Path) -> None:
    text = (
        "# A\n\n"
        'Prose  here... and `code  "x"  ...` and <span title="a  b">x</span>.\n\n'
        "See https://example.org/a...b and <!-- a  note... -->.\n\n"
        '```\nfenced  "code"...\n```\n'
    )
    book = make_book(tmp_path / "b", {"a.md": "“Curly” text—typed by hand.\n\n" + text}, TOML)
    fixed(book)
    after = (book / "manuscript" / "a.md").read_text("utf-8")
    assert after == "“Curly” text—typed by hand.\n\n" + text.replace(
        "Prose  here...", "Prose here…"
    )


def test_line_endings_byte_order_mark_and_permissions_are_kept(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {}, TOML)
    path = book / "manuscript" / "a.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbfOne  two.\r\nMy son\xe2\x80\x94\xe2\x80\x9dI\r\n")
    path.chmod(0o600)
    fixed(book)
    assert path.read_bytes() == b"\xef\xbb\xbfOne two.\r\nMy son\xe2\x80\x94\xe2\x80\x9cI\r\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_file_that_cannot_be_fixed_safely_is_named_and_left_alone(tmp_path: Path) -> None:
    # typography off: curling the one straight quote would leave an unclosed “ (a new T001)
    book = make_book(tmp_path / "b", {"a.txt": 'He said "hello.\n', "b.txt": "A  b.\n"}, OFF)
    notes = fixed(book)
    assert (
        notes[0]
        == f"{book / 'manuscript' / 'a.txt'}: not fixed: the fixes would bring a new T001 on line 1"
    )
    assert notes[-1] == "octavo: fixed 1 finding in 1 file"
    assert (book / "manuscript" / "a.txt").read_text("utf-8") == 'He said "hello.\n'
    assert (book / "manuscript" / "b.txt").read_text("utf-8") == "A b.\n"


def test_each_fixable_code_says_so() -> None:
    for code in fixes.FIXERS:
        assert "--fix" in explain(code), code
    assert "--fix" not in explain("T001") and "--fix" not in explain("T010")


# ---- --format json always answers in JSON ---------------------------------------------------


def test_json_when_book_toml_cannot_be_read(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# A\n"}, 'title = "T\n')
    proc = octavo_check(str(book), "--no-build", "--format", "json")
    data = json.loads(proc.stdout)
    assert proc.returncode == data["exit_code"] == 2
    (diagnostic,) = data["diagnostics"]
    assert (diagnostic["path"], diagnostic["line"], diagnostic["code"]) == (
        str(book / "book.toml"),
        1,
        "L001",
    )
    assert diagnostic["message"].startswith("the check could not run: not valid TOML")
    text = octavo_check(str(book), "--no-build")
    assert text.returncode == 2 and text.stdout == "" and "not valid TOML" in text.stderr


def test_json_when_there_is_no_book(tmp_path: Path) -> None:
    proc = octavo_check(str(tmp_path / "nowhere"), "--no-build", "--format", "json", "--fix")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2 and [d["code"] for d in data["diagnostics"]] == ["L001"]


def test_json_when_a_manuscript_is_not_utf8(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {}, TOML)
    (book / "manuscript").mkdir()
    (book / "manuscript" / "01.txt").write_bytes(b"caf\xe9\n")
    data = json.loads(octavo_check(str(book), "--no-build", "--format", "json").stdout)
    (diagnostic,) = data["diagnostics"]
    assert diagnostic["code"] == "L001" and diagnostic["line"] == 1
    assert "not valid UTF-8" in diagnostic["message"]
