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

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from octavo.check import ace
from octavo.check.ace import Violation
from support import REPO

ACE_VERSION = "1.4.6"  # the version .ci/run installs
LOCAL_BIN = REPO / ".tools" / "node_modules" / ".bin"
CHROMIUM = Path("/usr/bin/chromium")
IMPACTS = ("minor", "moderate", "serious", "critical")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


def _use_local_ace() -> None:
    """octavo (check/ace.py) finds Ace through OCTAVO_ACE: point it at the pinned one."""
    local = LOCAL_BIN / "ace-cli"
    if local.is_file():
        os.environ.setdefault("OCTAVO_ACE", str(local))
    if CHROMIUM.is_file():
        os.environ.setdefault("PUPPETEER_EXECUTABLE_PATH", str(CHROMIUM))


_use_local_ace()


def missing() -> str | None:
    """Why Ace cannot run here, or None if it can."""
    if ace.missing() is None:
        return None
    return f"DAISY Ace (npm @daisy/ace-cli@{ACE_VERSION} in .tools/) or Chromium not installed: run .ci/run, which installs them"


def require_ace() -> None:
    """Skip a test that needs Ace where it is missing; fail it in CI, which must run it."""
    reason = missing()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI must run DAISY Ace, but {reason}", pytrace=False)
    pytest.skip(reason)


def run_ace(epub: Path, out: Path) -> list[Violation]:
    """Run Ace on one EPUB, writing its reports into `out`; raises AceError if it fails."""
    return ace.run(epub, out)


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
