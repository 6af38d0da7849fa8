"""Verse: poems keep their lines in both editions, and hard line breaks are never nesting."""

from __future__ import annotations

from pathlib import Path

from octavo import build, load_book
from support import make_book


def test_a_thousand_hard_line_breaks_are_not_nesting(tmp_path: Path) -> None:
    """Each `<br />` is a void element: a long poem is not 1,000 levels deep (issue 11)."""
    backslashes = "".join(f"Line {n} of the poem,\\\n" for n in range(500)) + "the end.\n"
    raw = "".join(f"Line {n} with a tag,<br>\n" for n in range(500)) + "the end.\n"
    book = make_book(tmp_path / "book", {"01.md": f"# One\n\n{backslashes}\n\n{raw}"})
    result = build(load_book(book), tmp_path / "out", ["epub"])
    assert [o.format for o in result.outputs] == ["epub"]
