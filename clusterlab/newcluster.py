"""A parameter file for a new cluster: ``clusterlab new-cluster NAME [--from-data DIR]``.

:func:`write_template` writes ``parameters/NAME.yaml`` listing every declared key with its help
text; its header says which tables must carry the new id in their ``initiative`` column. With
``from_data`` it starts from the user's own files (:func:`scan_data_folder`). Both are also
importable from :mod:`clusterlab.params`.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_template("harbour_city", folder)
>>> "must appear in the 'initiative' column" in path.read_text()
True
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pandas as pd
import yaml

from clusterlab._validation import problem_frame
from clusterlab.errors import ClusterlabError, ClusterlabWarning, ParameterError
from clusterlab.params import DEFAULTS_NAME, _describe, load_spec

__all__ = ["write_template", "scan_data_folder"]

_CARRY_ID = [  # (table, analyses that need rows of the cluster in it)
    ("initiatives", "mapping (region and cluster of the initiative), scorecard"),
    ("nodes, edges, participation", "networks"),
    ("ratings", "cimbt, bigfive"),
    ("firm_panel", "compare"),
    ("indicators, firms, firm_panel", "scorecard"),
]


def scan_data_folder(folder: str | os.PathLike, cluster: str) -> pd.DataFrame:
    """Describe the data files of a folder for a new cluster.

    Each file's name points to a data contract (:func:`clusterlab.io.guess_schema`); for the
    tables read per cluster, the rows whose ``initiative`` is ``cluster`` are counted.

    Parameters
    ----------
    folder : str or path-like
        The folder of the user's data files.
    cluster : str
        The new cluster's id.

    Returns
    -------
    pandas.DataFrame
        ``file, table, rows, cluster_rows, note`` (``cluster_rows`` is empty for tables that
        are not per cluster; ``note`` says what is missing, and the first line of each of
        :func:`clusterlab.io.read`'s warnings about the file, e.g. codes read as numbers).

    Raises
    ------
    ParameterError
        When ``folder`` does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.newcluster import scan_data_folder
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     load_demo("ratings").to_csv(Path(tmp) / "ratings.csv", index=False)
    ...     found = scan_data_folder(tmp, "harbour_city")
    >>> found[["file", "table", "cluster_rows"]].values.tolist()
    [['ratings.csv', 'ratings', 0]]
    """
    from clusterlab import io
    from clusterlab.analyses import CLUSTER_COLUMN

    folder = Path(folder)
    if not folder.is_dir():
        raise ParameterError(
            f"--from-data {folder}: no such folder",
            problem_frame(
                [{"file": str(folder), "expected": "a folder of data files", "found": "missing"}]
            ),
        )
    rows = []
    for item in sorted(folder.iterdir()):
        if item.suffix.lower() not in (".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xls"):
            continue
        table = io.guess_schema(item)
        note, n, own = "", None, None
        if table is None:
            note = "file name names no contract (rename it, e.g. employment.csv)"
        else:
            try:
                # io.read's DataWarnings (e.g. industry codes read as numbers) are about the
                # user's own file: they go in its note, next to the file they concern; any
                # other warning is passed on unchanged
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    frame = io.read(item, table)
                for w in caught:
                    if issubclass(w.category, ClusterlabWarning):
                        first = str(w.message).splitlines()[0]
                        note = f"{note}; {first}" if note else first
                    else:
                        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
                n = len(frame)
                if CLUSTER_COLUMN in frame.columns:
                    own = int((frame[CLUSTER_COLUMN].astype("string") == cluster).sum())
                    if own == 0:
                        found = f"no rows with initiative = {cluster!r}; it has " + ", ".join(
                            sorted(frame[CLUSTER_COLUMN].dropna().astype(str).unique())[:6]
                        )
                        note = f"{found}; {note}" if note else found
            except ClusterlabError as exc:
                note = "invalid: " + str(exc).splitlines()[0]
        rows.append(
            {"file": item.name, "table": table, "rows": n, "cluster_rows": own, "note": note}
        )
    return pd.DataFrame(rows, columns=["file", "table", "rows", "cluster_rows", "note"])


def write_template(
    name: str,
    directory: str | os.PathLike = "parameters",
    *,
    from_data: str | os.PathLike | None = None,
) -> Path:
    """Write a commented parameter file ``<directory>/<name>.yaml`` for a new cluster.

    Every declared key is listed with its help text and type; the ones a new cluster must
    change are left active, the rest are commented out at their defaults. The header says
    which tables must carry the new id in their ``initiative`` column.

    Parameters
    ----------
    name : str
        The cluster id (letters, digits, ``_``, ``-``, ``.``).
    directory : str or path-like, default "parameters"
        Where to write.
    from_data : str or path-like, optional
        A folder of the user's data files: the template sets ``data_dir`` and every
        ``<table>_file`` whose file it finds (by name, :func:`clusterlab.io.guess_schema`), and
        ``analyses`` to the analyses whose tables are all there. Default ``None``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ParameterError
        If the name is not a valid identifier or the file exists already.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from clusterlab.newcluster import write_template
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_template("harbour_city", Path(tmp) / "parameters")
    ...     print(path.name)
    ...     print(path.read_text().splitlines()[0])
    harbour_city.yaml
    # Parameters for cluster 'harbour_city' (clusterlab). Values not set here come from
    """
    from clusterlab.analyses import ANALYSES

    if not name or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ParameterError(
            f"cluster name {name!r}: use letters, digits, '_', '-' or '.' "
            "(it names the output folder)"
        )
    directory = Path(directory)
    target = directory / f"{name}.yaml"
    if target.exists():
        raise ParameterError(f"{target} exists already; choose another name or edit it")
    found = scan_data_folder(from_data, name) if from_data is not None else None
    directory.mkdir(parents=True, exist_ok=True)
    spec = load_spec()
    lines = [
        f"# Parameters for cluster '{name}' (clusterlab). Values not set here come from",
        f"# {DEFAULTS_NAME} in this folder and then from each notebook's defaults.",
        "#",
        f"# The id '{name}' must appear in the 'initiative' column of the tables each",
        "# analysis reads for this cluster (an analysis whose tables lack it is skipped,",
        "# with the reason, in the run's manifest and index):",
    ]
    lines += [f"#   {t:<30} -> {a}" for t, a in _CARRY_ID]
    lines += [
        "# Region x industry employment, definitions and regions are shared by all clusters.",
        "# Data files not set (null) are the synthetic demo tables.",
        "# Check with: clusterlab validate " + str(target),
        "",
    ]
    active: dict[str, str] = {}
    if found is not None and from_data is not None:  # found: the files of from_data
        data_dir = Path(from_data).resolve()
        try:  # relative to the project root (the working directory) when inside it
            active["data_dir"] = str(data_dir.relative_to(Path.cwd().resolve()))
        except ValueError:
            active["data_dir"] = str(data_dir)
        tables = {}
        for row in found.itertuples():
            if row.table and row.table not in tables:
                tables[row.table] = row.file
                active[f"{row.table}_file"] = row.file
        ready = [a.name for a in ANALYSES.values() if all(n.table in tables for n in a.needs)]
        active["analyses"] = "[" + ", ".join(ready) + "]"
        lines += [f"# Started from the files of {data_dir}:"]
        lines += [
            f"#   {r.file:<28} {r.table or '?':<13} {r.note}".rstrip() for r in found.itertuples()
        ]
        lines += [""]
    by_topic: dict[str, list[str]] = {}
    for key, entry in spec.items():
        by_topic.setdefault(entry["topic"], []).append(key)
    for topic, keys in by_topic.items():
        lines.append(f"# --- {topic} " + "-" * max(0, 70 - len(topic)))
        for key in keys:
            entry = spec[key]
            lines.append(f"# {entry.get('help', '').strip()} [{_describe(entry)}]")
            if key == "cluster":
                lines.append(f"cluster: {name}")
            elif key == "cluster_name":
                lines.append(f"cluster_name: {name.replace('_', ' ').title()}")
            elif key in active:
                value = active[key]
                lines.append(f"{key}: {value if key == 'analyses' else _quote(value)}")
            else:
                default = (
                    yaml.safe_dump({key: entry.get("default")}, default_flow_style=True)
                    .strip()
                    .strip("{}")
                )
                lines.append(f"# {default}")
        lines.append("")
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def _quote(value: str) -> str:
    return yaml.safe_dump(value, default_style='"').strip().removesuffix("...").strip()
