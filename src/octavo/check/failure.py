"""A check that cannot run still answers in the format asked for: with `--format json` a book
that cannot be loaded (a broken book.toml, a manuscript that is not UTF-8, no Java for
EPUBCheck) or an unexpected failure becomes one diagnostic, L001, and exit code 2, so that a tool
reading the JSON never gets a line of plain text instead."""

from __future__ import annotations

import json

from octavo.check.registry import register
from octavo.check.report import CheckReport, as_json
from octavo.errors import EXIT_CANNOT_RUN, OctavoError

CANNOT_RUN = register(
    "L001",
    "error",
    "the check could not run",
    """The book could not be loaded or checked, so nothing else was checked: book.toml cannot be
    read or has a wrong value, a manuscript file cannot be found or is not UTF-8 text, its
    Markdown nests too deeply, or a tool the check needs (Java for EPUBCheck) is missing. The
    message names the file and place when it is known. The exit code is 2. An unexpected failure
    of octavo itself is reported the same way, with the error's type; run octavo again with
    OCTAVO_DEBUG=1 and without --format json to see where it happened.""",
    "book",
)


def report(error: Exception) -> CheckReport:
    """The report of a check that could not run: one L001 diagnostic."""
    if isinstance(error, OctavoError):
        where, message = (error.path, error.line, error.col), error.message
    else:
        where = (None, None, None)
        message = f"unexpected failure ({type(error).__name__}: {error})".splitlines()[0]
    return CheckReport((CANNOT_RUN.diagnostic(*where, message),), None, False)


def as_json_failure(error: Exception, strict: bool = False) -> str:
    """The JSON of `report(error)`, with exit code 2 (the check could not run)."""
    data = json.loads(as_json(report(error), strict))
    data["exit_code"] = EXIT_CANNOT_RUN
    return json.dumps(data, ensure_ascii=False, indent=2)
