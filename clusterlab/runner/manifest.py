"""The run manifest ``outputs/<run-id>/manifest.json``.

One JSON document per run, rewritten atomically (temporary file + ``os.replace``) every time an
execution finishes, so that it is always complete and readable even if the run is killed. Only
the process that drives the batch writes it. The format (``"format": "clusterlab-manifest/1"``)
is described in ``docs/running.md``.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> m = Manifest.create(root / "run1", run_id="run1", executions=[
...     {"id": "north/01_demo", "cluster": "north", "notebook": "01_demo",
...      "fingerprint": "abc", "status": "pending"}], meta={})
>>> m.update("north/01_demo", status="succeeded")
>>> load_manifest(root / "run1" / "manifest.json")["executions"][0]["status"]
'succeeded'
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from pathlib import Path

import pyarrow.parquet as pq

from clusterlab.runner.provenance import file_hash, utcnow

__all__ = [
    "Manifest",
    "load_manifest",
    "previous_successes",
    "list_run_tables",
    "cluster_tables",
    "FORMAT",
    "MANIFEST_NAME",
]

FORMAT = "clusterlab-manifest/1"
MANIFEST_NAME = "manifest.json"


def _atomic_write_json(path: Path, data: dict) -> None:
    # unique temporary name in the same folder (mkstemp would make the manifest private 0600)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=False, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load_manifest(path: str | os.PathLike) -> dict:
    """Read a run's manifest.

    Parameters
    ----------
    path : str or path-like
        A run folder or its ``manifest.json``.

    Returns
    -------
    dict
        The manifest (``run_id``, ``status``, ``executions`` … as :func:`run` writes them).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from clusterlab.runner import load_manifest
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "manifest.json").write_text(json.dumps(
    ...         {"run_id": "run1", "status": "succeeded", "executions": []}))
    ...     print(load_manifest(tmp)["status"])
    succeeded
    """
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    return json.loads(path.read_text(encoding="utf-8"))


def list_run_tables(cluster_dir: str | os.PathLike, root: str | os.PathLike) -> list[dict]:
    """The result tables of one cluster folder: name, path (relative to ``root``), rows, sha256."""
    folder = Path(cluster_dir) / "tables"
    out = []
    for f in sorted(folder.glob("*.parquet")):
        try:
            rows = pq.read_metadata(f).num_rows
        except Exception:  # noqa: BLE001 - a damaged file is listed, not fatal
            rows = None
        out.append(
            {"name": f.stem, "path": str(f.relative_to(root)), "rows": rows, "sha256": file_hash(f)}
        )
    return out


def cluster_tables(manifest: dict, cluster: str, root: str | os.PathLike) -> list[dict]:
    """The result tables of one cluster in a run, reused ones included.

    The cluster's own folder of this run comes first; for executions reused by ``--resume``
    (``reused_from``), the tables in the folders they point to are added, a name that the
    run's own folder has taking precedence (and a later run's folder over an earlier one's).
    """
    root = Path(root)
    folders = [Path(manifest["run_id"]) / cluster]
    reused = sorted(
        {
            e["output_dir"]
            for e in manifest["executions"]
            if e.get("cluster") == cluster and e.get("reused_from") and e.get("output_dir")
        },
        reverse=True,
    )
    folders += [Path(f) for f in reused if Path(f) != folders[0]]
    seen, out = set(), []
    for folder in folders:
        for table in list_run_tables(root / folder, root):
            if table["name"] not in seen:
                seen.add(table["name"])
                out.append(table)
    return sorted(out, key=lambda t: t["name"])


class Manifest:
    """A run's manifest, kept on disk after every change."""

    def __init__(self, path: Path, data: dict):
        self.path = Path(path)
        self.data = data
        self._index = {e["id"]: e for e in data["executions"]}

    @classmethod
    def create(
        cls, run_dir: str | os.PathLike, *, run_id: str, executions: list[dict], meta: dict
    ) -> Manifest:
        run_dir = Path(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "run_id": run_id,
            "status": "running",
            "created": utcnow(),
            "finished": None,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            **meta,
            "summary": {},
            "executions": executions,
            "tables": {},
        }
        manifest = cls(run_dir / MANIFEST_NAME, data)
        manifest.refresh_summary()
        manifest.write()
        return manifest

    def write(self) -> None:
        _atomic_write_json(self.path, self.data)

    def entry(self, exec_id: str) -> dict:
        return self._index[exec_id]

    def refresh_summary(self) -> None:
        counts: dict[str, int] = {}
        for e in self.data["executions"]:
            counts[e["status"]] = counts.get(e["status"], 0) + 1
        self.data["summary"] = counts

    def update(self, exec_id: str, **fields) -> None:
        self._index[exec_id].update(fields)
        self.refresh_summary()
        self.write()

    def set_tables(self, cluster: str, tables: list[dict]) -> None:
        self.data["tables"][cluster] = tables
        self.write()

    def finish(self, status: str) -> None:
        self.data["status"] = status
        self.data["finished"] = utcnow()
        self.refresh_summary()
        self.write()


def previous_successes(root: str | os.PathLike, *, exclude: str | None = None) -> dict[str, dict]:
    """Find the succeeded executions of earlier runs below ``root``, by fingerprint.

    An execution counts only if its manifest says ``succeeded`` (or ``skipped`` pointing at
    one that did) and its output notebook still exists. Executions still ``pending`` in the
    manifest of an interrupted run are not complete, whatever tables they left behind. The
    latest run wins.

    Parameters
    ----------
    root : str or path-like
        The output root holding ``<run_id>/manifest.json``.
    exclude : str, optional
        A run id to leave out (the run being resumed into). Default ``None``.

    Returns
    -------
    dict of str to dict
        Fingerprint → the execution's manifest entry, with ``origin_run``: the run whose
        notebook it is.

    Examples
    --------
    >>> import tempfile
    >>> from clusterlab.runner import previous_successes
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print(previous_successes(tmp))
    {}
    """
    root = Path(root)
    found: dict[str, dict] = {}
    for path in sorted(root.glob(f"*/{MANIFEST_NAME}")):
        if exclude is not None and path.parent.name == exclude:
            continue
        try:
            manifest = load_manifest(path)
        except (OSError, ValueError):
            continue
        if manifest.get("format") != FORMAT:
            continue
        for entry in manifest.get("executions", []):
            if entry.get("status") not in ("succeeded", "skipped") or not entry.get("fingerprint"):
                continue
            if entry.get("skip_reason"):  # skipped for absent inputs: nothing to reuse
                continue
            notebook = entry.get("output_notebook")
            if not notebook or not (root / notebook).is_file():
                continue
            origin = entry.get("reused_from") or manifest.get("run_id")
            found[entry["fingerprint"]] = {**entry, "origin_run": origin}
    return found
