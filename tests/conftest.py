"""Shared fixtures. Real reference data lives in ../shared (absent on users' machines)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# `make test` / CI: property tests draw the same examples on every run, so a red CI is always
# reproducible on a developer's machine. HYPOTHESIS_PROFILE=explore draws fresh random examples
# (run it when you change a formula; fix what it finds, then add the case as an @example).
settings.register_profile("clusterlab", derandomize=True, deadline=None, print_blob=True)
settings.register_profile(
    "explore", derandomize=False, deadline=None, max_examples=500, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "clusterlab"))

ROOT = Path(__file__).resolve().parents[1]
# ../shared holds the reference data; CLUSTERLAB_SHARED points elsewhere (the shared/ folder)
SHARED = Path(os.environ.get("CLUSTERLAB_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """Path to ../shared/datasets, or skip the test when it is not there."""
    path = SHARED / "datasets"
    if not path.is_dir():
        pytest.skip("../shared/datasets not available (only on the developers' machines)")
    return path


@pytest.fixture
def project_root() -> Path:
    return ROOT
