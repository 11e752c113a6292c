"""Shared fixtures. Real reference data lives in ../shared (absent on users' machines)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_datasets() -> Path:
    """Path to ../shared/datasets, or skip the test when it is not there."""
    path = SHARED / "datasets"
    if not path.is_dir():
        pytest.skip("../shared/datasets not available (only on the developers' machines)")
    return path


@pytest.fixture
def project_root() -> Path:
    return ROOT
