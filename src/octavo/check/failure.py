"""A check that cannot run still answers in the format asked for: with `--format json` a book
that cannot be loaded (a broken book.toml, a manuscript that is not UTF-8, no Java for
EPUBCheck) or an unexpected failure becomes one diagnostic, L001, and exit code 2, so that a tool
reading the JSON never gets a line of plain text instead."""

from __future__ import annotations

import json

from octavo.check.report import CheckReport, as_json
from octavo.core import codes
from octavo.core.errors import EXIT_CANNOT_RUN, OctavoError

CANNOT_RUN = codes.get("L001")


def report(error: Exception) -> CheckReport:
    """The report of a check that could not run: one L001 diagnostic."""
    if isinstance(error, OctavoError):
        where, message = (error.path, error.line, error.col), error.message
    else:
        where = (None, None, None)
        message = f"unexpected failure ({type(error).__name__}: {error})".splitlines()[0]
    return CheckReport((CANNOT_RUN.at(*where, message),), None, False)


def as_json_failure(error: Exception, strict: bool = False) -> str:
    """The JSON of `report(error)`, with exit code 2 (the check could not run)."""
    data = json.loads(as_json(report(error), strict))
    data["exit_code"] = EXIT_CANNOT_RUN
    return json.dumps(data, ensure_ascii=False, indent=2)
