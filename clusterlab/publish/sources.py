"""Reading the results tables for publishing (DuckDB over ``outputs/**/tables/*.parquet``).

Unlike :func:`clusterlab.results.collect`, the table's own columns are never overwritten: the
run folder's cluster goes into ``run_cluster`` (tables such as ``cluster_portfolio`` carry their
own ``cluster`` column, the industry cluster code).

Examples
--------
>>> import pandas as pd, tempfile
>>> from clusterlab import results
>>> from clusterlab.publish.sources import load_results
>>> root = tempfile.mkdtemp()
>>> _ = results.save(pd.DataFrame({"cluster": ["maritime"], "lq": [1.4]}), "cluster_notes",
...                  output_dir=f"{root}/run1/northport_maritime")
>>> load_results(root)["cluster_notes"][["run_cluster", "cluster", "lq"]].to_dict("records")
[{'run_cluster': 'northport_maritime', 'cluster': 'maritime', 'lq': 1.4}]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from clusterlab import results

__all__ = ["load_results", "run_notes", "ENV_RESULTS_ROOT"]

#: Environment variable naming the results root for the dashboards.
ENV_RESULTS_ROOT = "CLUSTERLAB_RESULTS_ROOT"


def load_results(
    root: str | os.PathLike = "outputs",
    names: Iterable[str] | None = None,
    *,
    runs: Iterable[tuple[str, str]] | None = None,
    successful_only: bool = True,
) -> dict[str, pd.DataFrame]:
    """Read the latest successful copy per cluster of every results table below ``root``.

    Tables of runs whose manifest records a failed, killed or unfinished execution of the
    cluster are never read (:func:`clusterlab.results.latest_tables`); :func:`run_notes` says
    which clusters are shown with older results.

    Parameters
    ----------
    root : str or path-like, default "outputs"
        Folder holding ``<run_id>/<cluster>/tables/<name>.parquet``.
    names : iterable of str, optional
        Only these tables. Default ``None``: every table.
    runs : iterable of (run_id, cluster), optional
        Only tables of these run folders (e.g.
        :func:`clusterlab.publish.runs.successful_runs`); the latest copy is taken among them.
        Default ``None``: every run folder.
    successful_only : bool, default True
        Only runs whose executions of the cluster succeeded; False reads the latest
        copy whatever its run's status (analyst diagnosis, never for publishing).

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name → union over clusters (columns aligned by name) with ``run_id`` and
        ``run_cluster`` in front. Tables saved outside a run (no cluster folder) are ignored.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> from clusterlab.publish import load_results
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for cluster in ["north", "south"]:
    ...         _ = results.save(pd.DataFrame({"region": ["R1"], "value": [1.0]}), "my_table",
    ...                          output_dir=Path(tmp) / "run1" / cluster)
    ...     tables = load_results(tmp)
    >>> tables["my_table"]
      run_id run_cluster region  value
    0   run1       north     R1    1.0
    1   run1       south     R1    1.0
    """
    root = Path(root)
    if not root.is_dir():
        return {}
    # only successful executions, per the runs' manifests; per cluster the latest such run
    latest = results.latest_tables(root, all_runs=not successful_only)
    if names is not None:
        latest = latest[latest["table"].isin(list(names))]
    if runs is not None:
        keep = {(str(r), str(c)) for r, c in runs}
        latest = latest[
            [
                (str(r), str(c)) in keep
                for r, c in zip(latest["run_id"], latest["cluster"], strict=True)
            ]
        ]
    if latest.empty:
        return {}
    import duckdb

    out: dict[str, pd.DataFrame] = {}
    con = duckdb.connect()
    try:
        for name, group in latest.groupby("table"):
            files = group.sort_values(["cluster", "run_id"])
            df = con.execute(
                "SELECT * FROM read_parquet(?, union_by_name = true, filename = true)",
                [files["path"].tolist()],
            ).df()
            lookup = {
                str(Path(p)): (r, c)
                for p, r, c in zip(files["path"], files["run_id"], files["cluster"], strict=True)
            }
            keys = [lookup.get(str(Path(f)), ("", "")) for f in df.pop("filename")]
            for col in ("run_id", "run_cluster"):
                if col in df.columns:
                    df = df.drop(columns=col)
            df.insert(0, "run_cluster", [k[1] for k in keys])
            df.insert(0, "run_id", [k[0] for k in keys])
            out[str(name)] = df
    finally:
        con.close()
    return out


def run_notes(root: str | os.PathLike = "outputs") -> dict[str, str]:
    """Cluster → a note for its page when its latest run did not succeed (it names the failed
    run and the run, with date, whose results are shown — or says that none succeeded).
    Clusters whose latest run succeeded are not in the dictionary."""
    root = Path(root)
    if not root.is_dir():
        return {}
    status = results.cluster_status(root)
    return {r.cluster: r.note for r in status.itertuples() if r.note}
