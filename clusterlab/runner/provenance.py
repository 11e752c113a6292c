"""Provenance of a notebook execution: file hashes, package versions and the fingerprint.

The *fingerprint* of an execution is a SHA-256 over everything that determines its result:
the notebook file, the parameter values injected into it (data files replaced by the hash of
their content, so that moving a folder does not count as a change), the hashes of the input
files (the parameter file, ``defaults.yaml``, the data files it points to) and the versions of
the packages that do the work. Two executions with the same fingerprint give identical result
tables; ``clusterlab run --resume`` uses it to skip work that was already done.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_text("abc")
>>> file_hash(path)
'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
>>> fingerprint({"x": 1}) == fingerprint({"x": 1}), fingerprint({"x": 1}) == fingerprint({"x": 2})
(True, False)
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import platform
import sys
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

__all__ = ["file_hash", "path_hash", "package_versions", "versions_digest", "fingerprint", "utcnow"]

_CHUNK = 1 << 20
# packages whose version is recorded even if clusterlab's metadata cannot be read
_CORE = [
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "networkx",
    "matplotlib",
    "seaborn",
    "pyarrow",
    "duckdb",
    "dask",
    "distributed",
    "pandera",
    "pyyaml",
    "papermill",
    "nbclient",
    "nbformat",
    "nbconvert",
    "ipykernel",
]


def utcnow() -> str:
    """The current UTC time as an ISO 8601 string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@lru_cache(maxsize=512)
def _hash_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def file_hash(path: str | os.PathLike) -> str:
    """``"sha256:<hex>"`` of a file's bytes (cached per path, size and modification time)."""
    path = Path(path)
    stat = path.stat()
    return _hash_cached(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def path_hash(path: str | os.PathLike) -> str | None:
    """Hash of a data input that may be a file, a folder (partitioned Parquet) or a glob.

    A folder or glob is hashed over the sorted relative names and contents of its files.
    Returns ``None`` when nothing exists at ``path``.
    """
    text = str(path)
    p = Path(text)
    if p.is_file():
        return file_hash(p)
    if p.is_dir():
        base, files = p, sorted(f for f in p.rglob("*") if f.is_file())
    elif glob.has_magic(text):
        files = sorted(Path(f) for f in glob.glob(text, recursive=True) if Path(f).is_file())
        base = Path(os.path.commonpath([str(f) for f in files])) if files else p.parent
        if base.is_file():
            base = base.parent
    else:
        return None
    if not files:
        return None
    digest = hashlib.sha256()
    for f in files:
        digest.update(str(f.relative_to(base)).encode() + b"\0" + file_hash(f).encode() + b"\0")
    return "sha256-tree:" + digest.hexdigest()


def _source_hash() -> str:
    """Hash of clusterlab's own source files (its version number does not change while it is
    being developed, its code does). ``$CLUSTERLAB_SOURCE_HASH`` replaces it (tests, or a
    deployment that pins the code by other means)."""
    pinned = os.environ.get("CLUSTERLAB_SOURCE_HASH")
    if pinned:
        return pinned
    root = Path(str(resources.files("clusterlab")))
    digest = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".yaml", ".json", ".csv") and "__pycache__" not in f.parts:
            digest.update(str(f.relative_to(root)).encode() + b"\0")
            digest.update(f.read_bytes())
    return "sha256:" + digest.hexdigest()


def _requirement_names() -> list[str]:
    names = set(_CORE)
    try:
        for req in metadata.requires("clusterlab") or []:
            if "extra ==" in req:
                continue
            name = req.split(";")[0].strip()
            for sep in "<>=!~[ ":
                name = name.split(sep)[0]
            names.add(name.lower())
    except metadata.PackageNotFoundError:
        pass
    return sorted(names)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "implementation": sys.implementation.name}
    try:
        out["clusterlab"] = metadata.version("clusterlab")
    except metadata.PackageNotFoundError:
        out["clusterlab"] = "not installed"
    out["clusterlab-source"] = _source_hash()
    for name in _requirement_names():
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return dict(sorted(out.items()))


def package_versions() -> dict[str, str]:
    """Collect the versions of Python, clusterlab (plus a hash of its source) and its dependencies.

    Not cached: in a long Python session clusterlab's source may change between two runs.

    Returns
    -------
    dict of str to str
        Package name → version; ``clusterlab-source`` holds the hash of the package's source.

    Examples
    --------
    >>> from clusterlab.runner import package_versions
    >>> versions = package_versions()
    >>> "clusterlab" in versions and "pandas" in versions
    True
    """
    return _versions()


def versions_digest(versions: dict[str, str] | None = None) -> str:
    """Short SHA-256 of :func:`package_versions` (or of ``versions``)."""
    return fingerprint(package_versions() if versions is None else versions)[:16]


def fingerprint(obj) -> str:
    """Hash a JSON-serialisable object in canonical form (sorted keys).

    Parameters
    ----------
    obj : object
        A JSON-serialisable object (dicts, lists, text, numbers).

    Returns
    -------
    str
        SHA-256 as 64 hex digits; equal for equal objects whatever their key order.

    Examples
    --------
    >>> from clusterlab.runner import fingerprint
    >>> fingerprint({"b": 1, "a": [1, 2]}) == fingerprint({"a": [1, 2], "b": 1})
    True
    >>> len(fingerprint("x"))
    64
    """
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
