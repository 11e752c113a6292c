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

__all__ = ["save", "load", "resolve_output_dir", "list_tables", "collect", "connect"]

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
ENV_OUTPUT_DIR = "CLUSTERLAB_OUTPUT_DIR"


def resolve_output_dir(output_dir: str | os.PathLike | None = None) -> Path:
    """Where results go: ``output_dir`` if given, else ``$CLUSTERLAB_OUTPUT_DIR``,
    else ``./outputs/interactive``."""
    if output_dir is None or str(output_dir) == "":
        output_dir = os.environ.get(ENV_OUTPUT_DIR) or Path("outputs") / "interactive"
    return Path(output_dir)


def save(table: pd.DataFrame, name: str, *, output_dir: str | os.PathLike | None = None,
         description: str = "") -> Path:
    """Save a result table atomically as ``<output_dir>/tables/<name>.parquet``.

    Parameters
    ----------
    table : pandas.DataFrame
        The result. A non-default index is kept as columns (``reset_index``).
    name : str
        Table name (letters, digits, ``_ . -``); part of the results contract.
    output_dir : path-like, optional
        Run folder; see :func:`resolve_output_dir`.
    description : str
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
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"results.save({name!r}): expected a DataFrame, "
                             f"got {type(table).__name__}")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ParameterError(f"results.save: invalid table name {name!r} "
                             "(use letters, digits, _ . -)")
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
    try:
        out.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    _update_index(folder, name, description, len(out))
    return target


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
    with os.fdopen(fd, "w") as fh:
        json.dump(index, fh, indent=1, sort_keys=True)
    os.replace(tmp, index_path)


def load(name: str, *, output_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a table written by :func:`save` from one run folder."""
    path = resolve_output_dir(output_dir) / "tables" / f"{name}.parquet"
    if not path.exists():
        raise ClusterlabError(f"no result table {name!r} in {path.parent}")
    return pd.read_parquet(path)


def list_tables(root: str | os.PathLike = "outputs") -> pd.DataFrame:
    """Every saved table below ``root``: columns ``run_id, cluster, table, path``.

    The layout is ``<root>/<run_id>/<cluster>/tables/<table>.parquet``; tables saved
    interactively (``outputs/interactive/tables``) get ``cluster = ""``.
    """
    root = Path(root)
    rows = []
    for path in sorted(root.glob("**/tables/*.parquet")):
        rel = path.relative_to(root).parts
        run_id = rel[0] if len(rel) >= 4 else (rel[0] if len(rel) == 3 else "")
        cluster = rel[1] if len(rel) >= 4 else ""
        rows.append({"run_id": run_id, "cluster": cluster, "table": path.stem,
                     "path": str(path), "mtime": path.stat().st_mtime})
    return pd.DataFrame(rows, columns=["run_id", "cluster", "table", "path", "mtime"])


def collect(name: str, root: str | os.PathLike = "outputs", *, latest: bool = True) -> pd.DataFrame:
    """One result table across clusters (and runs), read with DuckDB.

    Parameters
    ----------
    name : str
        Table name, e.g. ``"cimbt_components"``.
    root : path-like
        The outputs folder holding ``<run_id>/<cluster>/tables/``.
    latest : bool
        Keep only the most recently written copy per cluster (default) or every run.

    Returns
    -------
    pandas.DataFrame
        The union of the tables (columns aligned by name) with ``run_id`` and ``run_cluster``
        (the parameter file's cluster the run was for) added in front; a table's own columns,
        ``cluster`` included (a mapping portfolio holds many clusters), are kept as saved.
        Empty when no run saved the table.
    """
    tables = list_tables(root)
    tables = tables[(tables["table"] == name) & (tables["cluster"] != "")]
    if tables.empty:
        return pd.DataFrame(columns=["run_id", "run_cluster"])
    if latest:
        tables = tables.sort_values("mtime").groupby("cluster", as_index=False).tail(1)
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
    """A DuckDB connection; with ``root``, one view per table name over all runs' Parquet files
    (``union_by_name``, with the file name in a ``filename`` column)."""
    import duckdb

    con = duckdb.connect()
    if root is not None:
        tables = list_tables(root)
        for name, group in tables.groupby("table"):
            files = ", ".join("'" + p.replace("'", "''") + "'" for p in group["path"])
            con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{files}], '
                        "union_by_name = true, filename = true)")
    return con
