"""Every repository file a document links to or names in backticks exists (issue 19).

Checked: README.md and docs/*.md; relative markdown links ``[text](path)`` and backticked paths
that start with a top-level folder of the repository (``clusterlab/``, ``notebooks/``, ...).
Output paths and ``../shared`` paths are not repository files and are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FOLDERS = ("clusterlab", "notebooks", "docs", "parameters", "benchmarks", "datasets", "tests")

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_TICK = re.compile(r"`([^`\s]+)`")
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _targets(text: str) -> list[tuple[str, str]]:
    """(kind, target) of every link and backticked repository path in a markdown text."""
    found = []
    for m in _LINK.finditer(text):
        target = m.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            continue  # URL, mailto:, anchor or absolute path
        found.append(("link", target.split("#")[0]))
    prose = _FENCE.sub("", text)
    for m in _TICK.finditer(prose):
        target = m.group(1).rstrip(".,:;")
        if target.split("/")[0] in FOLDERS and "/" in target:
            found.append(("path", target))
    return [(k, t) for k, t in found if t]


# files a walkthrough tells the reader to create (named as such in the text), not shipped ones
WRITTEN_BY_THE_READER = {
    "parameters/harbour_city.yaml",  # getting-started-evaluator.md: written by `new-cluster`
}


def _exists(base: Path, target: str) -> bool:
    if (base / target).exists():
        return True
    # a pattern: `notebooks/NN_*.ipynb`, `notebooks/NN_<topic>.ipynb`, `parameters/NAME.yaml`
    pattern = re.sub(r"\{[^}]*\}|<[^>]*>|(?<![A-Za-z])[A-Z]{2,}(?![a-z])", "*", target)
    return any(c in pattern for c in "*?[") and any(base.glob(pattern))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_name_only_existing_repository_files(doc):
    text = doc.read_text(encoding="utf-8")
    missing = []
    for kind, target in _targets(text):
        if kind == "link":
            ok = _exists(doc.parent, target)
        else:
            ok = target in WRITTEN_BY_THE_READER or _exists(ROOT, target)
        if not ok:
            missing.append(f"{kind}: {target}")
    assert not missing, f"{doc.relative_to(ROOT)} names files that do not exist: {missing}"


def test_the_checker_sees_a_missing_file(tmp_path):
    text = (
        "see [guide](docs/nowhere.md), `clusterlab/nowhere.py` and "
        "[site](https://example.org) and `outputs/x.csv`"
    )
    targets = _targets(text)
    assert ("link", "docs/nowhere.md") in targets and ("path", "clusterlab/nowhere.py") in targets
    assert all("example.org" not in t and not t.startswith("outputs") for _, t in targets)
    assert not _exists(ROOT, "clusterlab/nowhere.py") and _exists(ROOT, "clusterlab/io.py")
