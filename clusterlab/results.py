"""Saving and reading result tables.

A notebook saves every result table with :func:`save`; the batch runner points ``output_dir`` at
``outputs/<run-id>/<cluster>/``, so the table lands in
``outputs/<run-id>/<cluster>/tables/<name>.parquet``. Writes are atomic (temporary file + rename):
a table that exists is complete. :func:`collect` reads one table across all clusters and runs with
DuckDB, which is what the dashboards use.

Examples
--------
>>> import pandas as pd, tempfile
>>> from clusterlab import results
>>> tmp = tempfile.mkdtemp()
>>> path = results.save(pd.DataFrame({"x": [1, 2]}), "demo", output_dir=tmp)
>>> path.name
'demo.parquet'
>>> results.load("demo", output_dir=tmp)["x"].tolist()
[1, 2]
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from clusterlab.errors import ClusterlabError, ParameterError

__all__ = [
    "save",
    "load",
    "resolve_output_dir",
    "list_tables",
    "latest_tables",
    "collect",
    "connect",
    "run_status",
    "cluster_status",
]

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
ENV_OUTPUT_DIR = "CLUSTERLAB_OUTPUT_DIR"


def resolve_output_dir(output_dir: str | os.PathLike | None = None) -> Path:
    """Name the folder results go to.

    Parameters
    ----------
    output_dir : str or path-like, optional
        The folder. Default ``None``: ``$CLUSTERLAB_OUTPUT_DIR`` when set (the runner sets it
        for each execution), else ``./outputs/interactive``.

    Returns
    -------
    pathlib.Path
        The folder (not created).

    Examples
    --------
    >>> from clusterlab.results import resolve_output_dir
    >>> resolve_output_dir("outputs/run1/north").as_posix()
    'outputs/run1/north'
    """
    if output_dir is None or str(output_dir) == "":
        output_dir = os.environ.get(ENV_OUTPUT_DIR) or Path("outputs") / "interactive"
    return Path(output_dir)


def save(
    table: pd.DataFrame,
    name: str,
    *,
    output_dir: str | os.PathLike | None = None,
    description: str = "",
) -> Path:
    """Save a result table atomically as ``<output_dir>/tables/<name>.parquet``.

    Parameters
    ----------
    table : pandas.DataFrame
        The result. A non-default index is kept as columns (``reset_index``).
    name : str
        Table name (letters, digits, ``_ . -``); part of the results contract.
    output_dir : str or path-like, optional
        Run folder; see :func:`resolve_output_dir`. Default ``None``.
    description : str, default ""
        Stored in the Parquet metadata and in ``tables/index.json``.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    DataValidationError
        The table misses a column its results contract
        (:mod:`clusterlab.publish.contracts`) needs, or a count/dominance column is invalid.
        A table without a contract is saved, but is never published.
    ParameterError
        When ``table`` is not a DataFrame or ``name`` is not a valid table name.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = results.save(pd.DataFrame({"region": ["R1"], "value": [1.0]}), "my_table",
    ...                         output_dir=tmp)
    ...     print(path.relative_to(tmp).as_posix())
    tables/my_table.parquet
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(
            f"results.save({name!r}): expected a DataFrame, got {type(table).__name__}"
        )
    if not isinstance(name, str) or not _NAME.match(name):
        raise ParameterError(
            f"results.save: invalid table name {name!r} (use letters, digits, _ . -)"
        )
    _check_contract(table, name)
    folder = resolve_output_dir(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    if not isinstance(out.index, pd.RangeIndex) or out.index.name is not None:
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    # object columns holding mixed types do not round-trip through Parquet: store as strings
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col].dropna()}
            if len(kinds) > 1 or (kinds and not kinds <= {str, bool, int, float}):
                out[col] = out[col].map(lambda v: v if pd.isna(v) else str(v))
    target = folder / f"{name}.parquet"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    os.close(fd)
    _normal_mode(tmp)
    try:
        out.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    _update_index(folder, name, description, len(out))
    return target


def _normal_mode(path) -> None:
    """mkstemp creates 0600 files; a result file gets the user's normal permissions
    (0666 less the umask), like any file the user writes."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _check_contract(table: pd.DataFrame, name: str) -> None:
    """Check a table against its results contract, when one is registered."""
    from clusterlab.publish.contracts import check_table, get_contract

    contract = get_contract(name, errors="ignore")
    if contract is not None:
        check_table(table, contract)


def _update_index(folder: Path, name: str, description: str, nrows: int) -> None:
    index_path = folder / "index.json"
    try:
        index = json.loads(index_path.read_text()) if index_path.exists() else {}
    except json.JSONDecodeError:
        index = {}
    index[name] = {"rows": int(nrows), "description": description}
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".index.", suffix=".tmp")
    _normal_mode(tmp)
    with os.fdopen(fd, "w") as fh:
        json.dump(index, fh, indent=1, sort_keys=True)
    os.replace(tmp, index_path)


def load(name: str, *, output_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a table written by :func:`save` from one run folder.

    Parameters
    ----------
    name : str
        Table name.
    output_dir : str or path-like, optional
        Run folder; see :func:`resolve_output_dir`. Default ``None``.

    Returns
    -------
    pandas.DataFrame
        The table as saved (columns as saved).

    Raises
    ------
    ClusterlabError
        When no table ``name`` was saved in the folder.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = results.save(pd.DataFrame({"region": ["R1"], "value": [1.0]}), "my_table",
    ...                      output_dir=tmp)
    ...     results.load("my_table", output_dir=tmp)
      region  value
    0     R1    1.0
    """
    path = resolve_output_dir(output_dir) / "tables" / f"{name}.parquet"
    if not path.exists():
        raise ClusterlabError(f"no result table {name!r} in {path.parent}")
    return pd.read_parquet(path)


_OK = ("succeeded", "skipped")  # skipped: reused by --resume, or not applicable (planner)


def _date(text) -> str:
    """``2026-12-05T19:22:01.123+00:00`` → ``2026-12-05 19:22 UTC`` (text kept if unparsable)."""
    try:
        return pd.Timestamp(text).tz_convert("UTC").strftime("%Y-%m-%d %H:%M UTC")
    except (ValueError, TypeError):
        return "" if text is None else str(text)


def _manifests(root: Path) -> list[tuple[Path, dict]]:
    from clusterlab.runner.manifest import FORMAT, MANIFEST_NAME

    out = []
    for path in sorted(root.glob(f"*/{MANIFEST_NAME}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # an unreadable manifest vouches for nothing: its run's tables are not read
            data = {
                "format": FORMAT,
                "run_id": path.parent.name,
                "status": "unreadable",
                "executions": [],
                "tables": {},
            }
        if isinstance(data, dict) and data.get("format") == FORMAT:
            out.append((path.parent, data))
    return out


def _process_alive(data: dict) -> bool:
    import socket

    if data.get("host") != socket.gethostname() or not data.get("pid"):
        return True  # another machine: cannot tell, take the manifest's word
    try:
        import psutil

        return psutil.pid_exists(int(data["pid"]))
    except (ImportError, ValueError):  # pragma: no cover
        return True


def run_status(root: str | os.PathLike = "outputs") -> pd.DataFrame:
    """How each cluster fared in each run below ``root``, from the runs' manifests.

    Parameters
    ----------
    root : path-like
        The outputs folder holding ``<run_id>/manifest.json``.

    Returns
    -------
    pandas.DataFrame
        One row per run and cluster, oldest run first: ``run_id, cluster, status, date,
        finished, failed``. ``status`` is ``succeeded`` (every execution of the cluster
        succeeded or was skipped), ``failed`` (at least one failed; ``failed`` names the
        notebooks), ``running`` (executions still pending in a live run) or ``incomplete``
        (pending in a run that was interrupted or killed). ``date`` is the run's start.

    Examples
    --------
    >>> run_status("no-such-folder").columns.tolist()
    ['run_id', 'cluster', 'status', 'date', 'finished', 'failed']
    """
    rows = []
    for run_dir, data in _manifests(Path(root)):
        by_cluster: dict[str, list[dict]] = {}
        for e in data.get("executions", []):
            by_cluster.setdefault(str(e.get("cluster", "")), []).append(e)
        alive = data.get("status") == "running" and _process_alive(data)
        for cluster, entries in by_cluster.items():
            states = [e.get("status") for e in entries]
            failed = sorted(
                str(e.get("notebook"))
                for e in entries
                if e.get("status") not in _OK + ("pending", "running")
            )
            if failed:
                status = "failed"
            elif all(s in _OK for s in states):
                status = "succeeded"
            else:
                status = "running" if alive else "incomplete"
            rows.append(
                {
                    "run_id": str(data.get("run_id", run_dir.name)),
                    "cluster": cluster,
                    "status": status,
                    "date": data.get("created"),
                    "finished": data.get("finished"),
                    "failed": ", ".join(failed),
                }
            )
    table = pd.DataFrame(
        rows, columns=["run_id", "cluster", "status", "date", "finished", "failed"]
    )
    return table.sort_values(["date", "run_id"], kind="stable", na_position="first").reset_index(
        drop=True
    )


def cluster_status(root: str | os.PathLike = "outputs") -> pd.DataFrame:
    """Per cluster: its latest run, and the run whose results are shown, with a note.

    A cluster whose latest run failed (or did not finish) is shown with the results of its
    last successful run; the ``note`` says so, with the dates and run ids, or that no
    successful results exist. Dashboards and the static site print the note on the
    cluster's page.

    Parameters
    ----------
    root : str or path-like, default "outputs"
        The outputs folder holding ``<run_id>/manifest.json``.

    Returns
    -------
    pandas.DataFrame
        ``cluster, latest_run, latest_status, latest_date, shown_run, shown_date, note``
        (``shown_*`` empty when no run of the cluster succeeded; ``note`` empty when the
        latest run succeeded).

    Examples
    --------
    >>> cluster_status("no-such-folder").columns.tolist()[:3]
    ['cluster', 'latest_run', 'latest_status']
    """
    runs = run_status(root)
    rows = []
    for cluster, group in runs.groupby("cluster", sort=True):
        latest = group.iloc[-1]
        ok = group[group["status"] == "succeeded"]
        shown = ok.iloc[-1] if len(ok) else None
        note = ""
        if latest["status"] != "succeeded":
            what = {
                "failed": f"failed ({latest['failed']})",
                "running": "is still running",
                "incomplete": "did not finish (interrupted or killed)",
            }[latest["status"]]
            note = (
                f"The latest run of this cluster, {latest['run_id']} of "
                f"{_date(latest['date'])}, {what}; "
            )
            note += (
                f"showing the results of run {shown['run_id']} of {_date(shown['date'])}."
                if shown is not None
                else "no successful results of this cluster exist."
            )
        rows.append(
            {
                "cluster": cluster,
                "latest_run": latest["run_id"],
                "latest_status": latest["status"],
                "latest_date": latest["date"],
                "shown_run": None if shown is None else shown["run_id"],
                "shown_date": None if shown is None else shown["date"],
                "note": note,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "cluster",
            "latest_run",
            "latest_status",
            "latest_date",
            "shown_run",
            "shown_date",
            "note",
        ],
    )


def list_tables(root: str | os.PathLike = "outputs", *, all_runs: bool = False) -> pd.DataFrame:
    """List the saved tables below ``root`` that may be read.

    The layout is ``<root>/<run_id>/<cluster>/tables/<table>.parquet``. For a folder written by
    ``clusterlab run`` (it has a ``manifest.json``), only the tables of clusters whose
    executions all succeeded in that run are listed (``status="succeeded"``) — including the
    tables a ``--resume`` run reused from earlier runs, listed under the resumed run's id —
    so that a failed, killed or still running execution never feeds a dashboard. Folders
    without a manifest (tables saved interactively, ``outputs/interactive/tables`` with
    ``cluster = ""``, or written by hand in the runner's layout) are listed with
    ``status="no manifest"``.

    Parameters
    ----------
    root : str or path-like, default "outputs"
        The outputs folder.
    all_runs : bool, default False
        Also list the tables of unsuccessful runs (with their ``status``), for diagnosis.

    Returns
    -------
    pandas.DataFrame
        One row per table file: ``run_id, cluster, table, path, mtime, run_date, status``
        (``mtime`` in seconds since the epoch; ``run_date`` the run's start from its manifest).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = Path(tmp.name) / "outputs"
    >>> for cluster, value in [("north", 1.0), ("south", 2.0)]:
    ...     _ = results.save(pd.DataFrame({"region": ["R1"], "value": [value]}), "my_table",
    ...                      output_dir=root / "run1" / cluster)
    >>> results.list_tables(root)[["run_id", "cluster", "table", "status"]]
      run_id cluster     table       status
    0   run1   north  my_table  no manifest
    1   run1   south  my_table  no manifest
    >>> tmp.cleanup()
    """
    root = Path(root)
    columns = ["run_id", "cluster", "table", "path", "mtime", "run_date", "status"]
    rows = []
    managed = set()
    status = (
        run_status(root) if root.is_dir() else pd.DataFrame(columns=["run_id", "cluster", "status"])
    )
    state = {(r.run_id, r.cluster): r.status for r in status.itertuples()}
    for run_dir, data in _manifests(root):
        managed.add(run_dir.name)
        run_id = str(data.get("run_id", run_dir.name))
        clusters = {str(e.get("cluster", "")) for e in data.get("executions", [])}
        for cluster in sorted(clusters):
            st = state.get((run_id, cluster), "incomplete")
            if st != "succeeded" and not all_runs:
                continue
            listed = (data.get("tables") or {}).get(cluster)
            if listed is None or st != "succeeded":
                listed = [
                    {"name": f.stem, "path": str(f.relative_to(root))}
                    for f in sorted((run_dir / cluster / "tables").glob("*.parquet"))
                ]
            for t in listed:
                path = root / t["path"]
                if path.is_file():
                    rows.append(
                        {
                            "run_id": run_id,
                            "cluster": cluster,
                            "table": t["name"],
                            "path": str(path),
                            "mtime": path.stat().st_mtime,
                            "run_date": data.get("created"),
                            "status": st,
                        }
                    )
    for path in sorted(root.glob("**/tables/*.parquet")):
        rel = path.relative_to(root).parts
        if rel[0] in managed:
            continue
        run_id = rel[0] if len(rel) >= 3 else ""
        cluster = rel[1] if len(rel) >= 4 else ""
        rows.append(
            {
                "run_id": run_id,
                "cluster": cluster,
                "table": path.stem,
                "path": str(path),
                "mtime": path.stat().st_mtime,
                "run_date": None,
                "status": "no manifest",
            }
        )
    return pd.DataFrame(rows, columns=columns)


def latest_tables(root: str | os.PathLike = "outputs", *, all_runs: bool = False) -> pd.DataFrame:
    """Pick the copy of each table to show per cluster.

    The copy comes from the latest successful run that has it (``list_tables`` rows, one per
    ``cluster`` and ``table``); with ``all_runs``, from the latest run that has it, whatever its
    status (diagnosis only). Runs are ordered by their start (``run_date`` from the manifest);
    tables without a manifest by file modification time, after the managed runs of the same
    date. Tables saved interactively (``cluster = ""``) are left out.

    Parameters
    ----------
    root : str or path-like, default "outputs"
        The outputs folder.
    all_runs : bool, default False
        Consider unsuccessful runs too.

    Returns
    -------
    pandas.DataFrame
        The :func:`list_tables` columns (``run_id, cluster, table, path, mtime, run_date,
        status``), one row per cluster and table, sorted by table and cluster.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = Path(tmp.name) / "outputs"
    >>> for cluster, value in [("north", 1.0), ("south", 2.0)]:
    ...     _ = results.save(pd.DataFrame({"region": ["R1"], "value": [value]}), "my_table",
    ...                      output_dir=root / "run1" / cluster)
    >>> results.latest_tables(root)[["run_id", "cluster", "table"]]
      run_id cluster     table
    0   run1   north  my_table
    1   run1   south  my_table
    >>> tmp.cleanup()
    """
    tables = list_tables(root, all_runs=all_runs)
    tables = tables[tables["cluster"] != ""]
    if tables.empty:
        return tables
    started = pd.to_datetime(tables["run_date"], utc=True, errors="coerce", format="ISO8601")
    seconds = (started - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    tables = tables.assign(
        _order=seconds.fillna(tables["mtime"].astype(float)), _mtime=tables["mtime"]
    )
    tables = tables.sort_values(["_order", "run_id", "_mtime"], kind="stable")
    latest = tables.groupby(["cluster", "table"], sort=False).tail(1)
    return (
        latest.drop(columns=["_order", "_mtime"])
        .sort_values(["table", "cluster"])
        .reset_index(drop=True)
    )


def collect(name: str, root: str | os.PathLike = "outputs", *, latest: bool = True) -> pd.DataFrame:
    """Read one result table across clusters (and runs) with DuckDB.

    Only tables of successful executions are read (see :func:`list_tables`): a cluster whose
    latest run failed contributes the table of its last successful run (see
    :func:`cluster_status` for the note to show with it).

    Parameters
    ----------
    name : str
        Table name, e.g. ``"cimbt_components"``.
    root : str or path-like, default "outputs"
        The outputs folder holding ``<run_id>/<cluster>/tables/``.
    latest : bool, default True
        Keep only the copy of the latest successful run per cluster (default) or every run.

    Returns
    -------
    pandas.DataFrame
        The union of the tables (columns aligned by name) with ``run_id`` and ``run_cluster``
        (the parameter file's cluster the run was for) added in front; a table's own columns,
        ``cluster`` included (a mapping portfolio holds many clusters), are kept as saved.
        Empty when no run saved the table.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = Path(tmp.name) / "outputs"
    >>> for cluster, value in [("north", 1.0), ("south", 2.0)]:
    ...     _ = results.save(pd.DataFrame({"region": ["R1"], "value": [value]}), "my_table",
    ...                      output_dir=root / "run1" / cluster)
    >>> results.collect("my_table", root)
      run_id run_cluster region  value
    0   run1       north     R1    1.0
    1   run1       south     R1    2.0
    >>> tmp.cleanup()
    """
    tables = latest_tables(root) if latest else list_tables(root)
    tables = tables[(tables["table"] == name) & (tables["cluster"] != "")]
    if tables.empty:
        return pd.DataFrame(columns=["run_id", "run_cluster"])
    con = connect()
    frames = []
    for row in tables.sort_values(["cluster", "run_id"]).itertuples():
        df = con.execute("SELECT * FROM read_parquet(?)", [row.path]).df()
        df = df.drop(columns=[c for c in ("run_id", "run_cluster") if c in df.columns])
        df.insert(0, "run_cluster", row.cluster)
        df.insert(0, "run_id", row.run_id)
        frames.append(df)
    con.close()
    return pd.concat(frames, ignore_index=True)


def connect(root: str | os.PathLike | None = None):
    """Open a DuckDB connection, with one view per saved table name below ``root``.

    Each view reads the Parquet files of every successful run (see :func:`list_tables`;
    ``union_by_name``, with the file name in a ``filename`` column).

    Parameters
    ----------
    root : str or path-like, optional
        The outputs folder. Default ``None``: a connection without views.

    Returns
    -------
    duckdb.DuckDBPyConnection
        An in-memory connection.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = Path(tmp.name) / "outputs"
    >>> for cluster, value in [("north", 1.0), ("south", 2.0)]:
    ...     _ = results.save(pd.DataFrame({"region": ["R1"], "value": [value]}), "my_table",
    ...                      output_dir=root / "run1" / cluster)
    >>> con = results.connect(root)
    >>> con.sql("SELECT count(*) AS n FROM my_table").fetchall()
    [(2,)]
    >>> con.close()
    >>> tmp.cleanup()
    """
    import duckdb

    con = duckdb.connect()
    if root is not None:
        tables = list_tables(root)
        for name, group in tables.groupby("table"):
            files = ", ".join(
                "'" + p.replace("'", "''") + "'" for p in group["path"].drop_duplicates()
            )
            con.execute(
                f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{files}], '
                "union_by_name = true, filename = true)"
            )
    return con
