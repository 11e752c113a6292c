"""No GPL or AGPL package in clusterlab's dependencies (the project is BSD-3-Clause).

For the core requirements and every extra of pyproject.toml, the requirements are followed
recursively through the *installed* distributions' metadata (``importlib.metadata``; markers
evaluated, nested extras such as ``dask[dataframe]`` followed) and each distribution's licence is
read from ``License-Expression`` (PEP 639), the ``License ::`` classifiers and the ``License``
field. GPL/AGPL anywhere fails; LGPL fails in the core requirements and is accepted in an
optional extra only when it is listed in ``LGPL_IN_EXTRAS`` with a reason (documented in
docs/networks.md, "Licences"). Distributions that are not installed are skipped (the test reads
what this environment would ship, nothing is downloaded).
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]

#: LGPL distributions accepted in optional extras, with the reason (none today).
LGPL_IN_EXTRAS: dict[str, str] = {}

#: GPL distributions still requested, each with the issue that removes it. Nothing may be added
#: here: the list can only shrink (the test fails when an entry is no longer needed).
GPL_PENDING_REMOVAL: dict[tuple[str, str], str] = {}

#: Distributions whose licence classifiers name the GPL only for a file that the distribution
#: does not install: {name: (that file, reason)}. The test checks that the file is really absent
#: from the installed distribution (``importlib.metadata`` RECORD), so the entry cannot hide a
#: GPL module that is shipped.
GPL_ONLY_FOR_FILES_NOT_SHIPPED: dict[str, tuple[str, str]] = {
    # Sphinx's and numpydoc's dependency (the docs extra, issue #19)
    "docutils": (
        "rst.el",
        "COPYING.rst: public domain, BSD-2-Clause and BSD-3-Clause; "
        "GPL-3.0-or-later applies only to tools/editors/emacs/rst.el (an Emacs mode "
        "in the source tree), which the wheel does not install",
    ),
}

_LGPL = re.compile(r"\bLGPL|Lesser General Public|Library General Public", re.IGNORECASE)
_GPL = re.compile(r"(?<![LlA-Za-z])A?GPL|GNU (Affero )?General Public License", re.IGNORECASE)


def classify(texts: list[str]) -> str:
    """'gpl', 'lgpl' or 'permissive' from licence strings (SPDX ids, classifiers, names).

    An SPDX choice such as ``MIT OR GPL-2.0`` offers a permissive option and is permissive;
    separate statements (two classifiers) must all be acceptable.
    """

    def one(text: str) -> str:
        if _GPL.search(_LGPL.sub("", text)):
            return "gpl"
        return "lgpl" if _LGPL.search(text) else "permissive"

    verdicts = []
    for text in texts:
        options = [one(alt) for alt in re.split(r"\s+OR\s+", text)]
        verdicts.append(
            "permissive" if "permissive" in options else ("lgpl" if "lgpl" in options else "gpl")
        )
    if "gpl" in verdicts:
        return "gpl"
    return "lgpl" if "lgpl" in verdicts else "permissive"


def licence_texts(dist: metadata.Distribution) -> list[str]:
    meta = dist.metadata
    texts = []
    if meta.get("License-Expression"):
        return [meta["License-Expression"]]
    texts += [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    lic = meta.get("License") or ""
    if lic and not texts:
        # a full licence text: its first lines name it ("MIT License", "GNU GPL v3", ...)
        texts.append(" ".join(lic.strip().splitlines()[:3])[:200])
    return texts


def _dist(name: str):
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None


def closure(requirements: list[str]) -> dict[str, tuple[str, str]]:
    """Installed distributions required (recursively) by ``requirements``:
    ``{name: (required_by, licence verdict)}``. A requirement's extras (``dask[dataframe]``)
    add the requirements whose marker names that extra."""
    env = default_environment()
    seen: dict[str, tuple[str, str]] = {}
    done: set[tuple[str, str]] = set()
    todo = [(Requirement(r), "clusterlab") for r in requirements]
    while todo:
        req, parent = todo.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        key = canonicalize_name(req.name)
        dist = _dist(req.name)
        if dist is None:
            continue
        seen.setdefault(key, (parent, classify(licence_texts(dist))))
        for extra in {""} | set(req.extras):
            if (key, extra) in done:
                continue
            done.add((key, extra))
            for sub in dist.requires or []:
                r = Requirement(sub)
                if r.marker is None:
                    wanted = extra == ""
                else:
                    wanted = r.marker.evaluate({**env, "extra": extra}) and (
                        extra == "" or not r.marker.evaluate({**env, "extra": ""})
                    )
                if wanted:
                    todo.append((Requirement(str(r).split(";")[0]), dist.metadata["Name"]))
    return seen


def _gpl_file_not_shipped(name: str) -> bool:
    """True when ``name``'s GPL classifier covers only a file that is not installed."""
    if name not in GPL_ONLY_FOR_FILES_NOT_SHIPPED:
        return False
    gpl_file = GPL_ONLY_FOR_FILES_NOT_SHIPPED[name][0]
    files = _dist(name).files
    return files is not None and not any(f.name == gpl_file for f in files)


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_classify_recognises_the_licence_families():
    assert classify(["GPL-2.0-or-later"]) == "gpl"  # python-igraph
    assert classify(["GNU General Public License v3 (GPLv3)"]) == "gpl"  # leidenalg
    assert classify(["AGPL-3.0-only"]) == "gpl"
    assert classify(["GNU Affero General Public License v3"]) == "gpl"
    assert classify(["LGPL-3.0-or-later"]) == "lgpl"
    assert classify(["GNU Lesser General Public License v2 or later (LGPLv2+)"]) == "lgpl"
    assert classify(["MIT License"]) == "permissive"
    assert classify(["BSD-3-Clause", "Apache-2.0"]) == "permissive"
    assert classify(["MIT OR GPL-2.0-or-later"]) == "permissive"  # a permissive choice
    assert classify(["MIT", "GPL-3.0-only"]) == "gpl"  # two statements, one GPL
    assert classify([]) == "permissive"


def test_no_gpl_installed_distribution_in_the_core_or_any_extra():
    project = _project()
    groups = {"core": project["dependencies"], **project["optional-dependencies"]}
    problems = []
    pending_seen: set = set()
    checked = 0
    for group, reqs in groups.items():
        for name, (parent, verdict) in sorted(closure(reqs).items()):
            checked += 1
            if verdict == "gpl" and _gpl_file_not_shipped(name):
                continue
            if verdict == "gpl" and (group, name) in GPL_PENDING_REMOVAL:
                pending_seen.add((group, name))
            elif verdict == "gpl":
                problems.append(f"[{group}] {name} (required by {parent}) is GPL/AGPL")
            elif verdict == "lgpl" and (group == "core" or name not in LGPL_IN_EXTRAS):
                problems.append(
                    f"[{group}] {name} (required by {parent}) is LGPL "
                    "(allowed only in an optional extra, listed in LGPL_IN_EXTRAS)"
                )
    assert checked > 50, "the dependency closure was not followed"
    assert not problems, "\n".join(problems)
    installed = {key for key in GPL_PENDING_REMOVAL if _dist(key[1]) is not None}
    assert pending_seen == installed, "GPL_PENDING_REMOVAL lists a package no longer requested"


@pytest.mark.parametrize("name", ["python-igraph", "igraph", "leidenalg"])
def test_gpl_network_packages_are_not_requested(name):
    project = _project()
    every = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    assert canonicalize_name(name) not in {canonicalize_name(Requirement(r).name) for r in every}
    env = (ROOT / "environment.yml").read_text()
    assert not re.search(rf"^\s*-\s*{re.escape(name)}\b", env, re.MULTILINE)
