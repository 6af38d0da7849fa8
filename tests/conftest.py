from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from octavo import build, load_book
from octavo.build import BuildResult
from support import REPO


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The sample book in manuscript/, built once for the whole session."""
    out = tmp_path_factory.mktemp("sample")
    return build(load_book(REPO), out)
