"""One registry of diagnostic codes (core/codes.py): every code either command can emit is in
it, each is explained, each problem is reported under one code, and the README lists them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from octavo.check import check
from octavo.core.codes import CODES, explain, table_markdown
from support import REPO, make_book

SRC = REPO / "src" / "octavo"
# A code named in the source: codes.get("T001"), @file_rule("S004"), _warning(config, "P010", …)
NAMED = re.compile(r"""["']([A-Z]\d{3})["']""")


def test_every_code_the_source_emits_is_in_the_table_and_every_entry_is_used() -> None:
    named = {m for path in SRC.rglob("*.py") for m in NAMED.findall(path.read_text("utf-8"))}
    named -= set(re.findall(r'"([A-Z]\d{3})"', (SRC / "core" / "codes.py").read_text("utf-8")))
    named_elsewhere = {
        m
        for path in SRC.rglob("*.py")
        if path.name != "codes.py"
        for m in NAMED.findall(path.read_text("utf-8"))
    }
    assert not named, f"codes emitted but not declared: {sorted(named)}"
    assert set(CODES) == named_elsewhere, "declared codes nothing emits, or the reverse"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_explained(code: str) -> None:
    text = explain(code.lower())
    entry = CODES[code]
    assert text.startswith(f"{code} ({entry.severity}): {entry.summary}\n\n")
    assert len(entry.explanation) > 60


def test_explain_from_the_command_line_walks_the_whole_table() -> None:
    script = (
        "import sys\nfrom octavo.cli import app\nfrom octavo.core.codes import CODES\n"
        "for code in CODES:\n"
        "    sys.argv = ['octavo', 'check', '--explain', code]\n"
        "    try:\n        app.app()\n    except SystemExit as exc:\n"
        "        assert not exc.code, (code, exc.code)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for entry in CODES.values():
        assert f"{entry.code} ({entry.severity}): {entry.summary}" in run.stdout


def test_epubcheck_ids_are_explained_and_unknown_codes_refused() -> None:
    assert "EPUBCheck" in explain("RSC-005")
    run = subprocess.run(
        [sys.executable, "-m", "octavo", "check", "--explain", "s-002"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "unknown diagnostic code 's-002'" in run.stderr


def test_the_readme_lists_the_table() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    found = re.search(r"<!-- codes -->\n(.*?)\n<!-- /codes -->", readme, re.S)
    assert found, "README.md has no <!-- codes --> section"
    assert found[1] == table_markdown(), "run: python docs/make_codes.py"


def test_an_image_without_alt_text_is_reported_once(tmp_path: Path) -> None:
    """The build finds it while parsing (line), the linter in the manuscript (line and column):
    one problem, one finding."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    book = make_book(
        tmp_path / "b",
        {"01.md": "# A\n\nSee ![](pic.svg).\n", "pic.svg": svg},
        'title = "T"\nlanguage = "en"\n',
    )
    found = [(d.code, d.line, d.col) for d in check(book, build=False).diagnostics]
    assert found == [("S004", 3, 5)]
