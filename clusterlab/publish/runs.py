"""What the published pages say about the runs behind them: dates, parameters, names, success.

:func:`run_info` reads every ``<run_id>/manifest.json`` below a results root (see
``docs/running.md``) into one row per run × cluster: whether all of the cluster's notebooks
succeeded, when the run finished, a short hash of the injected parameters, the package
version, and the parameters the pages need (``cluster_name``, ``regions_file``,
``definitions_file``, ``initiatives_file``, ``regions_geometry_file``). Run folders without a
manifest (tables saved by hand, the example results) count as ``status="unknown"``; a
publication of "successful runs only" keeps them (they are not known to have failed).

:func:`page_names` builds the :class:`~clusterlab.labels.Names` of a publication: initiative
names from the parameter files (``cluster_name``), region and cluster names from the run's
regions/definitions files — or from the demo tables when the run used the demo data.
:func:`boundaries_for` picks the map boundaries the same way.

Examples
--------
>>> import tempfile
>>> from clusterlab.publish.example import write_example_results
>>> root = write_example_results(tempfile.mkdtemp(), clusters=["valley_foodtech"])
>>> info = run_info(root)
>>> info[["run_id", "cluster", "status"]].to_dict("records")
[{'run_id': 'example', 'cluster': 'valley_foodtech', 'status': 'succeeded'}]
>>> info.loc[0, "cluster_name"]
'Valley Food Technology Network'
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from clusterlab.labels import Names

__all__ = [
    "run_info",
    "successful_runs",
    "latest_runs",
    "page_names",
    "boundaries_for",
    "INFO_COLUMNS",
]

INFO_COLUMNS = [
    "run_id",
    "cluster",
    "status",
    "finished",
    "parameter_hash",
    "version",
    "cluster_name",
    "regions_file",
    "definitions_file",
    "initiatives_file",
    "regions_geometry_file",
]
_OK = ("succeeded", "skipped")


def _hash(parameters: dict) -> str:
    clean = {k: v for k, v in sorted(parameters.items()) if k != "output_dir"}
    text = json.dumps(clean, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def run_info(root: str | os.PathLike = "outputs") -> pd.DataFrame:
    """One row per run × cluster below ``root`` (columns :data:`INFO_COLUMNS`).

    ``status`` is ``succeeded`` when every execution of the cluster in that run succeeded
    (or reused a success), ``failed`` when one failed, ``incomplete`` when one is still
    pending (a killed run), ``unknown`` for a run folder without a manifest.
    """
    root = Path(root)
    rows = []
    if root.is_dir():
        for run_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            path = run_dir / "manifest.json"
            if not path.is_file():
                for cluster_dir in sorted(p for p in run_dir.iterdir() if (p / "tables").is_dir()):
                    mtime = max(
                        (f.stat().st_mtime for f in (cluster_dir / "tables").iterdir()),
                        default=None,
                    )
                    rows.append(
                        {
                            "run_id": run_dir.name,
                            "cluster": cluster_dir.name,
                            "status": "unknown",
                            "finished": pd.Timestamp(mtime, unit="s", tz="UTC")
                            if mtime
                            else pd.NaT,
                        }
                    )
                continue
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            version = (manifest.get("versions") or {}).get("clusterlab")
            if isinstance(version, dict):
                version = version.get("version")
            by_cluster: dict[str, list[dict]] = {}
            for entry in manifest.get("executions", []):
                by_cluster.setdefault(str(entry.get("cluster")), []).append(entry)
            for cluster, entries in sorted(by_cluster.items()):
                states = [e.get("status") for e in entries]
                if all(s in _OK for s in states):
                    status = "succeeded"
                elif any(s == "failed" for s in states):
                    status = "failed"
                else:
                    status = "incomplete"
                params: dict = {}  # each notebook gets only the keys it declares: unite them
                for e in entries:
                    params.update(e.get("parameters") or {})
                ends = [e["end"] for e in entries if e.get("end")]
                finished = max(ends) if ends else manifest.get("finished")
                rows.append(
                    {
                        "run_id": manifest.get("run_id", run_dir.name),
                        "cluster": cluster,
                        "status": status,
                        "finished": pd.to_datetime(finished, utc=True, errors="coerce"),
                        "parameter_hash": _hash(params),
                        "version": version,
                        **{k: params.get(k) for k in INFO_COLUMNS[6:]},
                    }
                )
    out = pd.DataFrame(rows, columns=INFO_COLUMNS)
    if out["version"].isna().any():
        from clusterlab import __version__

        out["version"] = out["version"].astype(object).where(out["version"].notna(), __version__)
    return out


def successful_runs(root: str | os.PathLike = "outputs") -> set[tuple[str, str]]:
    """``(run_id, cluster)`` pairs that may be published: succeeded, or without a manifest."""
    info = run_info(root)
    ok = info[info["status"].isin(["succeeded", "unknown"])]
    return set(zip(ok["run_id"].astype(str), ok["cluster"].astype(str), strict=True))


def latest_runs(info: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The run each cluster's pages come from (the newest run among its loaded tables)."""
    used = set()
    for df in tables.values():
        if {"run_id", "run_cluster"} <= set(df.columns):
            used |= set(zip(df["run_id"].astype(str), df["run_cluster"].astype(str), strict=True))
    mask = [(str(r), str(c)) in used for r, c in zip(info["run_id"], info["cluster"], strict=True)]
    sub = info[mask].sort_values("finished", na_position="first")
    return sub.groupby("cluster").tail(1).set_index("cluster")


def _read(kind: str, path):
    from clusterlab import io

    try:
        return io.read(path, kind)
    except Exception:  # noqa: BLE001 - a page falls back to codes, it never fails on names
        return None


def page_names(info: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None) -> Names:
    """Names for the pages: parameter files, the runs' regions/definitions, the results."""
    from clusterlab.datasets import load_demo

    ini = {
        str(c): str(n)
        for c, n in zip(info["cluster"], info["cluster_name"], strict=True)
        if isinstance(n, str) and n.strip()
    }
    names = Names(initiatives=ini)
    user_regions = info["regions_file"].dropna().unique()
    user_defs = info["definitions_file"].dropna().unique()
    user_inis = info["initiatives_file"].dropna().unique()
    regions = _read("regions", user_regions[0]) if len(user_regions) else None
    definitions = _read("definitions", user_defs[0]) if len(user_defs) else None
    initiatives = _read("initiatives", user_inis[0]) if len(user_inis) else None
    names = names.merged(
        Names.from_tables(
            regions=regions, definitions=definitions, initiatives=initiatives, results=tables
        )
    )
    if not len(user_regions) or not len(user_defs) or not len(user_inis):
        demo = Names.from_tables(
            regions=None if len(user_regions) else load_demo("regions"),
            definitions=None if len(user_defs) else load_demo("definitions"),
            initiatives=None if len(user_inis) else load_demo("initiatives"),
        )
        names = names.merged(demo)
    return names


def boundaries_for(info: pd.DataFrame):
    """Boundaries of the runs' ``regions_geometry_file``; the demo districts when the runs
    used the demo regions; ``None`` (no map) when the user's regions have no boundaries file
    or it cannot be read."""
    from clusterlab.maps import read_boundaries

    files = info["regions_geometry_file"].dropna().unique()
    try:
        if len(files):
            return read_boundaries(files[0])
        if info["regions_file"].dropna().empty:
            return read_boundaries()
    except Exception:  # noqa: BLE001 - the map section says why instead
        return None
    return None
