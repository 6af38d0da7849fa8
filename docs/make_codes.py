"""Write the table of diagnostic codes (core/codes.py) into README.md, between
`<!-- codes -->` and `<!-- /codes -->`.

    .venv/bin/python docs/make_codes.py
"""

from __future__ import annotations

import re
from pathlib import Path

from octavo.core.codes import table_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> None:
    text = README.read_text("utf-8")
    section = f"<!-- codes -->\n{table_markdown()}\n<!-- /codes -->"
    updated, count = re.subn(
        r"<!-- codes -->\n(?:.*?\n)?<!-- /codes -->", lambda _: section, text, flags=re.S
    )
    if count != 1:
        raise SystemExit("README.md needs one <!-- codes --> … <!-- /codes --> section")
    README.write_text(updated, "utf-8")


if __name__ == "__main__":
    main()
