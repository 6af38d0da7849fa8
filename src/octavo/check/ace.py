"""DAISY Ace, the EPUB accessibility checker of the DAISY Consortium, run on the EPUB the check
builds. Ace is a Node.js program (npm `@daisy/ace-cli`) that drives a Chromium; octavo runs it
when both are installed and otherwise says so and goes on.

Ace is found through OCTAVO_ACE (the path of its command), else `ace` or `ace-cli` on PATH;
Chromium through PUPPETEER_EXECUTABLE_PATH, else `chromium` on PATH (puppeteer's own browser
download is not needed). Each failed Ace check becomes a finding under an A code of the one
table (core/codes.py), at the manuscript file the offending document was made from, and at its
line where the element's text can be found there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any

from octavo.book.model import Book
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic

TIMEOUT = 900  # seconds; a 122k-word novel takes about 30 s
# Ace's rule → octavo's code; any other rule is A000 with Ace's own name in the message.
RULE_CODES = {
    "epub-lang": "A001",
    "epub-pagesource": "A002",
    "link-in-text-block": "A003",
    "empty-table-header": "A004",
    "heading-order": "A005",
    "color-contrast": "A006",
    "image-alt": "A007",
    "link-name": "A008",
}


class AceError(RuntimeError):
    """Ace was found but produced no report."""


@dataclass(frozen=True, order=True)
class Violation:
    """One failed Ace check: an EPUB rule (epub-lang…) or an axe rule (heading-order…)."""

    rule: str
    impact: str  # minor | moderate | serious | critical
    file: str  # path inside the EPUB container: EPUB/content.opf, EPUB/c01-x.xhtml
    location: str  # CSS selector of the offending element; "" for package-level rules
    html: str  # the offending markup, as Ace quotes it
    message: str


def command() -> list[str] | None:
    configured = os.environ.get("OCTAVO_ACE")
    if configured and Path(configured).is_file():
        return [configured]
    found = shutil.which("ace") or shutil.which("ace-cli")
    return [found] if found else None


def chromium() -> str | None:
    configured = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if configured and Path(configured).is_file():
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why Ace cannot run here, in one line, or None if it can."""
    needs = []
    if command() is None:
        needs.append("DAISY Ace (npm install -g @daisy/ace-cli)")
    if chromium() is None:
        needs.append("Chromium")
    return f"{' and '.join(needs)} not found: accessibility not checked by Ace" if needs else None


def _opf_folder(epub: Path) -> PurePosixPath:
    """Ace names content documents relative to the package document's folder."""
    with zipfile.ZipFile(epub) as z:
        container = z.read("META-INF/container.xml").decode("utf-8")
    match = re.search(r'full-path="([^"]+)"', container)
    return PurePosixPath(match.group(1) if match else "content.opf").parent


def _file(url: str, opf_folder: PurePosixPath) -> str:
    path = url.lstrip("/")
    if path.startswith(f"{opf_folder}/") or str(opf_folder) == ".":
        return path
    return str(opf_folder / path)


def violations(report: Mapping[str, Any], opf_folder: PurePosixPath) -> list[Violation]:
    """The failed assertions of an Ace report.json, one Violation per offending element."""
    found = []
    for subject in report.get("assertions", []):
        file = _file(subject["earl:testSubject"]["url"], opf_folder)
        for check in subject.get("assertions", []):
            result, test = check["earl:result"], check["earl:test"]
            if result.get("earl:outcome") != "fail":
                continue
            pointer = result.get("earl:pointer", {})
            found.append(
                Violation(
                    rule=test["dct:title"],
                    impact=test.get("earl:impact", ""),
                    file=file,
                    location=(pointer.get("css") or [""])[0],
                    html=result.get("html", "").split(" <!--##--> ")[0],
                    message=result.get("dct:description", ""),
                )
            )
    return sorted(found)


def run(epub: Path, out: Path) -> list[Violation]:
    """Ace on one EPUB, its reports written into `out`; AceError if it produced none."""
    ace, browser = command(), chromium()
    if ace is None or browser is None:
        raise AceError(missing())
    env = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": browser,
        "PUPPETEER_SKIP_DOWNLOAD": "1",
        "FORCE_COLOR": "0",
    }
    process = subprocess.run(
        [*ace, "--force", "--outdir", str(out), str(epub)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    report = out / "report.json"
    if process.returncode != 0 or not report.is_file():
        output = (process.stdout + process.stderr).strip()[-2000:]
        raise AceError(f"Ace failed on {epub} (exit {process.returncode}):\n{output}")
    return violations(json.loads(report.read_text("utf-8")), _opf_folder(epub))


def _text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _place(violation: Violation, book: Book) -> tuple[Path | None, int | None, int | None]:
    """The manuscript file a document was made from, and the line of the element's text."""
    name = PurePosixPath(violation.file).name
    chapter = next((c for c in book.chapters if f"{c.id}.xhtml" == name), None)
    if chapter is None:
        return book.config.path, None, None
    words = _text_of(violation.html)[:40]
    try:
        text = chapter.source.read_text("utf-8")
    except OSError:
        return chapter.source, None, None
    at = text.find(words) if len(words) > 3 else -1
    if at < 0:
        return chapter.source, None, None
    line = text.count("\n", 0, at) + 1
    return chapter.source, line, at - (text.rfind("\n", 0, at) + 1) + 1


def diagnostics(found: Sequence[Violation], book: Book) -> Iterator[Diagnostic]:
    for violation in found:
        code = RULE_CODES.get(violation.rule, "A000")
        where = f" at {violation.location}" if violation.location else ""
        detail = f"{violation.rule} ({violation.impact}) in {violation.file}{where}"
        if violation.message:
            detail += f": {violation.message}"
        yield codes.get(code).at(*_place(violation, book), detail)


def check(epub: Path, book: Book) -> list[Diagnostic]:
    """Ace's findings on an EPUB of this book."""
    with tempfile.TemporaryDirectory(prefix="octavo-ace-") as out:
        return list(diagnostics(run(epub, Path(out)), book))
