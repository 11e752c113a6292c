"""The HTML documentation builds without a warning (issue #19; ``make docs`` builds the same).

The guides (docs/*.md, through myst-parser) and the API reference (docs/api/, autosummary pages
generated from the public modules' ``__all__``) are built with ``sphinx-build -W --keep-going``
into a temporary directory: a broken docstring (a numpydoc section it cannot parse, bad RST), a
guide's dead link to another guide or heading, or a public name that cannot be imported fails
the test with Sphinx's warnings as the message. The docs are copied first so that the API pages
are generated afresh (``docs/api/generated`` in the checkout is neither read nor written).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import clusterlab
import clusterlab.plots

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _documented_modules() -> set[str]:
    text = (DOCS / "api" / "index.rst").read_text()
    return {line.strip() for line in text.splitlines() if line.strip().startswith("clusterlab.")}


def test_every_public_module_has_an_api_page():
    public = set()
    for info in pkgutil.iter_modules(clusterlab.__path__):
        if info.name.startswith("_") or info.name == "plots":
            continue
        module = importlib.import_module(f"clusterlab.{info.name}")
        if getattr(module, "__all__", None) is not None:
            public.add(module.__name__)
    public |= {
        f"clusterlab.plots.{info.name}"
        for info in pkgutil.iter_modules(clusterlab.plots.__path__)
        if not info.name.startswith("_")
    }
    missing = public - _documented_modules()
    assert not missing, f"add to docs/api/index.rst: {sorted(missing)}"


def test_every_guide_is_in_the_table_of_contents():
    index = (DOCS / "index.rst").read_text().split()
    missing = [p.stem for p in sorted(DOCS.glob("*.md")) if p.stem not in index]
    assert not missing, f"add to docs/index.rst: {missing}"


@pytest.mark.slow
def test_sphinx_builds_the_documentation_without_warnings(tmp_path):
    # the repository, with a private copy of docs/ (the autosummary stubs are written there)
    src = tmp_path / "src"
    src.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in {"docs", ".git", ".venv"}:
            continue
        (src / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    shutil.copytree(DOCS, src / "docs", ignore=shutil.ignore_patterns("_build", "generated"))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(src)}
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            "-q",
            "-d",
            str(tmp_path / "doctrees"),
            str(src / "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=src,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 0, f"sphinx-build -W failed:\n{done.stderr[-6000:]}"
    html = tmp_path / "html"
    assert (html / "index.html").is_file()
    assert (html / "api" / "generated" / "clusterlab.mapping.location_quotients.html").is_file()
    assert (html / "mapping.html").is_file()
    print(f"documentation built in {seconds:.0f} s")
