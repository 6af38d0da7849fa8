from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

from octavo import build, load_book
from octavo.pipeline import BuildResult
from support import REPO

# Fuzzing (tests/test_fuzz.py): a fast profile for `make test`, a long one on request with
# OCTAVO_FUZZ=long (or pytest --hypothesis-profile=long). Builds are slow, so no deadline.
settings.register_profile(
    "fast", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("OCTAVO_FUZZ", "fast"))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The sample book in manuscript/, built once for the whole session."""
    out = tmp_path_factory.mktemp("sample")
    return build(load_book(REPO), out)
