"""DAISY Ace, the EPUB accessibility checker, run on built EPUBs; its findings come back as data.

Ace is the npm package @daisy/ace-cli. `.ci/run` installs it into `.tools/` (git-ignored) and
Debian's `chromium`, which Ace drives through puppeteer: puppeteer's own browser download cannot
work here, so PUPPETEER_EXECUTABLE_PATH points it at Debian's. Ace launches Chromium itself,
headless, with --no-sandbox (needed as root) and puppeteer's defaults, which already turn off
background networking, first-run and sync; puppeteer reads no launch arguments from the
environment, and none more are needed.

Where Ace or Chromium is missing, `require_ace` skips the test and says what is missing, except
under CI (CI=true), where the test fails: there .ci/run must have installed them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from support import REPO

ACE_VERSION = "1.4.6"  # the version .ci/run installs
LOCAL_BIN = REPO / ".tools" / "node_modules" / ".bin"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 600  # seconds for one book; a 122k-word novel takes about 30 s
IMPACTS = ("minor", "moderate", "serious", "critical")


@dataclass(frozen=True, order=True)
class Violation:
    """One failed Ace check: an EPUB rule (epub-lang…) or an axe rule (heading-order…)."""

    rule: str
    impact: str  # minor | moderate | serious | critical
    file: str  # path inside the EPUB container: EPUB/content.opf, EPUB/c01-x.xhtml
    location: str  # CSS selector of the offending element; "" for package-level rules
    cfi: str  # the same element as an EPUB CFI path within its document; "" if none
    html: str  # the offending markup, as Ace quotes it
    message: str

    def __str__(self) -> str:
        where = f"{self.file} {self.location}".strip()
        return f"{self.rule} ({self.impact}) {where}: {self.message}"


class AceError(RuntimeError):
    """Ace was found but did not produce a report."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


def ace_command() -> list[str] | None:
    """The project-local Ace first (the pinned one), else one on PATH."""
    local = LOCAL_BIN / "ace-cli"
    if local.is_file():
        return [str(local)]
    found = shutil.which("ace-cli") or shutil.which("ace")
    return [found] if found else None


def chromium() -> str | None:
    configured = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if configured and Path(configured).is_file():
        return configured
    if CHROMIUM.is_file():
        return str(CHROMIUM)
    return shutil.which("chromium")


def missing() -> str | None:
    """Why Ace cannot run here, or None if it can."""
    needs = []
    if ace_command() is None:
        needs.append(f"DAISY Ace (npm @daisy/ace-cli@{ACE_VERSION} in .tools/)")
    if chromium() is None:
        needs.append("Chromium (Debian's chromium)")
    if not needs:
        return None
    return f"{' and '.join(needs)} not installed: run .ci/run, which installs them"


def require_ace() -> None:
    """Skip a test that needs Ace where it is missing; fail it in CI, which must run it."""
    reason = missing()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI must run DAISY Ace, but {reason}", pytrace=False)
    pytest.skip(reason)


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


def violations(report: dict[str, Any], opf_folder: PurePosixPath) -> list[Violation]:
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
                    cfi=(pointer.get("cfi") or [""])[0],
                    html=result.get("html", "").split(" <!--##--> ")[0],
                    message=result.get("dct:description", ""),
                )
            )
    return sorted(found)


def run_ace(epub: Path, out: Path) -> list[Violation]:
    """Run Ace on one EPUB, writing its reports into `out`; raises AceError if it fails."""
    command, browser = ace_command(), chromium()
    if command is None or browser is None:
        raise AceError(missing())
    env = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": browser,
        "PUPPETEER_SKIP_DOWNLOAD": "1",
        "FORCE_COLOR": "0",
    }
    process = subprocess.run(
        [*command, "--force", "--outdir", str(out), str(epub)],
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


def run_ace_many(epubs: Sequence[Path], out: Path, jobs: int = 2) -> dict[Path, list[Violation]]:
    """Ace on several EPUBs, `jobs` at a time (each run starts its own Chromium); reports go
    to out/<epub stem>-<n>/."""
    folders = [out / f"{epub.stem}-{i}" for i, epub in enumerate(epubs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(run_ace, epubs, folders))
    return dict(zip(epubs, results, strict=True))


def counts(found: Iterable[Violation]) -> Counter[tuple[str, str]]:
    """(rule, impact) → how many elements fail it."""
    return Counter((v.rule, v.impact) for v in found)
