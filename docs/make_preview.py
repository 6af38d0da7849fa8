"""Screenshot `octavo preview` of the sample book, for the README.

    .venv/bin/python docs/make_preview.py      # writes docs/preview.png

Serves the preview, waits for the EPUB and the print PDF, and has Debian's headless chromium
take the picture once the page's scripts have run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def main() -> None:
    sys.path.insert(0, str(REPO / "src"))
    from octavo.live import server

    running = server.start(REPO)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            state = running.preview.state()
            if state["epub"] and state["pdf"] and not state["building"]:
                break
            time.sleep(0.2)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    "/usr/bin/chromium",
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--disable-sync",
                    f"--user-data-dir={profile}",
                    "--virtual-time-budget=15000",
                    "--window-size=1400,860",
                    "--hide-scrollbars",
                    f"--screenshot={HERE / 'preview.png'}",
                    running.url,
                ],
                check=True,
                capture_output=True,
            )
    finally:
        running.close()


if __name__ == "__main__":
    main()
