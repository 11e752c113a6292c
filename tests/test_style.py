"""House style: ruff (pycodestyle, pyflakes, isort, pyupgrade, pep8-naming, bugbear, ...) and
ruff's formatter over the package, the tests, the benchmarks and the notebooks, with the rules in
pyproject.toml (the same checks as the pre-commit hooks, .pre-commit-config.yaml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "clusterlab",
            "tests",
            "benchmarks",
            "notebooks",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_ruff_format_leaves_every_file_unchanged():
    # the formatter the pre-commit hook runs (.pre-commit-config.yaml, ruff-format)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "--no-cache",
            "clusterlab",
            "tests",
            "benchmarks",
            "notebooks",
            "docs/conf.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
