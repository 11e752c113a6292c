"""House style: ruff (pycodestyle, pyflakes, isort, pyupgrade, pep8-naming, bugbear, ...) over
the package, the tests, the benchmarks and the notebooks, with the rules in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "clusterlab", "tests", "benchmarks", "notebooks"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
