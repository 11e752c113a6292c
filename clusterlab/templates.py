"""Empty input templates for every data contract, as CSV or Excel, for users bringing their own
data (``clusterlab templates DIR``).

Each template is the contract's header (required columns first, then the optional ones, plus
``initiative`` for the tables read per cluster) and no data rows: a template left unfilled
fails validation ("no data rows") instead of being analysed. Beside the tables,
``COLUMNS.csv`` (or the ``columns`` sheet of each workbook) says for every column whether it is
required, what it holds and an example value from the demo data.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = tempfile.mkdtemp()
>>> paths = write_templates(folder)
>>> sorted(p.name for p in paths)[:3]
['COLUMNS.csv', 'definitions.csv', 'edges.csv']
>>> Path(folder, "employment.csv").read_text().splitlines()[0]
'region,industry,year,employment,establishments,payroll,emp_flag'
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from clusterlab.errors import ParameterError
from clusterlab.schemas import CODE_COLUMNS, SCHEMAS

__all__ = ["template_columns", "write_templates"]

_PER_CLUSTER = {
    "nodes",
    "edges",
    "participation",
    "ratings",
    "firm_panel",
    "indicators",
    "firms",
    "initiatives",
}
_KIND = {"str": "text", "float64": "number", "Int64": "whole number", "boolean": "true/false"}


def template_columns(schema: str) -> pd.DataFrame:
    """Describe the columns of one data contract's template.

    Parameters
    ----------
    schema : str
        A schema name of :data:`clusterlab.schemas.SCHEMAS`.

    Returns
    -------
    pandas.DataFrame
        One row per column: ``table, column, required, holds, example`` (``holds`` says what
        the column holds; ``example`` a value from the demo data).

    Raises
    ------
    ParameterError
        When ``schema`` is unknown.

    Examples
    --------
    >>> template_columns("ratings").query("required")["column"].tolist()
    ['initiative', 'item', 'rater', 'score']
    """
    if schema not in SCHEMAS:
        raise ParameterError(f"unknown schema {schema!r}; known: {', '.join(sorted(SCHEMAS))}")
    from clusterlab.datasets import load_demo

    try:
        demo = load_demo(schema)
    except Exception:  # noqa: BLE001 - examples are a courtesy
        demo = pd.DataFrame()
    rows = []
    columns = dict(SCHEMAS[schema].columns)
    names = [c for c, col in columns.items() if col.required]
    names += [c for c, col in columns.items() if not col.required]
    if schema in _PER_CLUSTER and "initiative" not in names:
        names.insert(0, "initiative")
    for name in names:
        col = columns.get(name)
        holds = (
            "code (text; leading zeros kept)"
            if name in CODE_COLUMNS
            else _KIND.get(str(col.dtype), str(col.dtype))
            if col is not None
            else "text"
        )
        if name == "initiative":
            holds = "cluster id (the parameter file's 'cluster')"
        example = ""
        if name in demo.columns and demo[name].notna().any():
            example = str(demo[name].dropna().iloc[0])
        rows.append(
            {
                "table": schema,
                "column": name,
                "required": bool(col.required) if col is not None else True,
                "holds": holds,
                "example": example,
            }
        )
    return pd.DataFrame(rows, columns=["table", "column", "required", "holds", "example"])


def write_templates(folder: str | os.PathLike, *, format: str = "csv") -> list[Path]:  # noqa: A002
    """Write an empty template per data contract to ``folder``.

    Parameters
    ----------
    folder : str or path-like
        Created when missing; existing templates are not overwritten.
    format : {"csv", "excel"}, default "csv"
        CSV files plus ``COLUMNS.csv``, or one ``.xlsx`` workbook per contract with the table
        on the first sheet and a ``columns`` sheet describing it.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ParameterError
        When a template exists already in ``folder`` or ``format`` is unknown.

    Examples
    --------
    >>> import tempfile
    >>> from clusterlab.templates import write_templates
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_templates(tmp)
    >>> [f.name for f in files][:3]
    ['definitions.csv', 'edges.csv', 'employment.csv']
    >>> files[-1].name
    'COLUMNS.csv'
    """
    if format not in ("csv", "excel"):
        raise ParameterError(f"format={format!r}: expected 'csv' or 'excel'")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{folder} is a file; name a folder for the templates")
    folder.mkdir(parents=True, exist_ok=True)
    written, described = [], []
    for schema in sorted(SCHEMAS):
        columns = template_columns(schema)
        described.append(columns)
        target = folder / f"{schema}.{'csv' if format == 'csv' else 'xlsx'}"
        if target.exists():
            raise ParameterError(f"{target} exists already; choose an empty folder")
        empty = pd.DataFrame(columns=columns["column"].tolist())
        if format == "csv":
            empty.to_csv(target, index=False)
        else:
            with pd.ExcelWriter(target) as writer:
                empty.to_excel(writer, sheet_name=schema[:31], index=False)
                columns.to_excel(writer, sheet_name="columns", index=False)
        written.append(target)
    if format == "csv":
        target = folder / "COLUMNS.csv"
        pd.concat(described, ignore_index=True).to_csv(target, index=False)
        written.append(target)
    return written
