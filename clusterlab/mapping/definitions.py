"""Cluster definitions: industry -> cluster, cluster type (traded/local), subcluster.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import assign_clusters
>>> defs = pd.DataFrame({"industry": ["010100", "020100"], "cluster": ["maritime", "food"],
...                      "cluster_type": ["traded", "local"]})
>>> emp = pd.DataFrame({"region": ["a", "a"], "industry": ["010100", "020100"],
...                     "employment": [5, 7]})
>>> assign_clusters(emp, defs)
  region industry  employment   cluster cluster_type
0      a   010100           5  maritime       traded
1      a   020100           7      food        local
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, UnmappedWarning
from clusterlab.mapping._core import preview, row_numbers

__all__ = ["assign_clusters", "unmapped_industries", "cmp_definitions", "DEFINITION_COLUMNS"]

#: Columns taken from the definitions table when present (``cluster``, ``cluster_type`` required).
DEFINITION_COLUMNS = (
    "cluster",
    "cluster_type",
    "subcluster",
    "cluster_name",
    "subcluster_name",
    "industry_name",
)


def assign_clusters(
    emp: pd.DataFrame,
    definitions: pd.DataFrame,
    *,
    industry: str = "industry",
    value: str | None = "employment",
    unmapped: str = "drop",
) -> pd.DataFrame:
    """Join every industry to its cluster, cluster type and (when defined) subcluster.

    Parameters
    ----------
    emp : pandas.DataFrame
        Rows with an industry code column (e.g. region x industry x year employment). Never
        modified.
    definitions : pandas.DataFrame
        One row per industry: ``industry`` (or the column named by ``industry``), ``cluster``,
        ``cluster_type`` (``traded``/``local``, any case) and optionally ``subcluster``,
        ``cluster_name``, ``subcluster_name``, ``industry_name``. A CMP definitions file can be
        converted with :func:`cmp_definitions`.
    industry : str
        Industry column of ``emp``.
    value : str or None
        Employment column used to report the unmapped *share of employment* (rows are counted
        when it is ``None`` or absent).
    unmapped : {"drop", "keep", "raise"}
        What to do with rows whose industry has no definition: drop them (default; CMP counts
        only defined industries), keep them with missing cluster columns, or raise
        :class:`~clusterlab.errors.DataValidationError`. In the first two cases an
        :class:`~clusterlab.errors.UnmappedWarning` gives the share of employment and names the
        industries. :func:`unmapped_industries` returns them as a table (industry, rows,
        employment). (Before 0.2 ``out.attrs["unmapped"]`` held that table; it is gone
        because pandas cannot concatenate or merge two tables that carry a table in
        ``attrs``.)

    Returns
    -------
    pandas.DataFrame
        ``emp``'s columns plus ``cluster``, ``cluster_type`` and the optional definition columns.

    Notes
    -----
    Industry codes are matched as text: NAICS-style codes keep their leading zeros. When
    either side stores the codes as numbers, they are converted to text and zero-padded to the
    (single) width of the definition codes, with a :class:`~clusterlab.errors.DataWarning`;
    the output's industry column then holds the text codes.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.mapping import assign_clusters
    >>> defs = pd.DataFrame({"industry": ["010100", "020100"], "cluster": ["maritime", "food"],
    ...                      "cluster_type": ["traded", "local"]})
    >>> emp = pd.DataFrame({"region": ["a", "a"], "industry": ["010100", "020100"],
    ...                     "employment": [5, 7]})
    >>> assign_clusters(emp, defs)
      region industry  employment   cluster cluster_type
    0      a   010100           5  maritime       traded
    1      a   020100           7      food        local
    """
    check_choice(unmapped, ["drop", "keep", "raise"], argument="unmapped")
    defs, codes, width_note = _lookup(emp, definitions, industry)
    if width_note:
        warnings.warn(width_note, DataWarning, stacklevel=2)

    cols = [
        c
        for c in DEFINITION_COLUMNS
        if c in defs.columns and (c not in emp.columns or c in ("cluster", "cluster_type"))
    ]
    replaced = [c for c in cols if c in emp.columns]
    if replaced:
        warnings.warn(
            f"emp already has {', '.join(replaced)}: replaced from the definitions",
            DataWarning,
            stacklevel=2,
        )
    lookup = defs.set_index("_key")[cols]
    pos = lookup.index.get_indexer(codes)
    found = pos >= 0
    out = emp.copy()
    if width_note:
        out[industry] = pd.array(codes, dtype="string")
    for c in cols:
        vals = lookup[c].astype("string").to_numpy(dtype=object)[np.where(found, pos, 0)]
        out[c] = pd.array(np.where(found, vals, None), dtype="string")

    if not found.all():
        out = _report_unmapped(emp, out, found, codes, industry, value, unmapped)
    return out


def unmapped_industries(
    emp: pd.DataFrame,
    definitions: pd.DataFrame,
    *,
    industry: str = "industry",
    value: str | None = "employment",
) -> pd.DataFrame:
    """The industries of ``emp`` that have no cluster in ``definitions``, largest first.

    The table :func:`assign_clusters` warns about (its :class:`~clusterlab.errors.
    UnmappedWarning` names only the first few). Codes are matched exactly as
    :func:`assign_clusters` matches them.

    Parameters
    ----------
    emp : pandas.DataFrame
        Rows with an industry code column. Never modified.
    definitions : pandas.DataFrame
        The definitions table (see :func:`assign_clusters`).
    industry : str, default "industry"
        Industry column of ``emp``.
    value : str or None, default "employment"
        Employment column summed per industry (``None`` or absent: each row counts 1).

    Returns
    -------
    pandas.DataFrame
        ``industry, rows, employment``: one row per unmapped industry code (as text), the
        number of rows of ``emp`` with it and their employment, sorted by employment,
        descending. Empty when every industry has a cluster.

    Raises
    ------
    DataValidationError
        Missing columns or a malformed definitions table.

    Examples
    --------
    >>> import pandas as pd
    >>> defs = pd.DataFrame({"industry": ["010100"], "cluster": ["maritime"],
    ...                      "cluster_type": ["traded"]})
    >>> emp = pd.DataFrame({"industry": ["010100", "999999", "999999", "999998"],
    ...                     "employment": [5, 7, 1, 9]})
    >>> unmapped_industries(emp, defs)
      industry  rows  employment
    0   999998     1         9.0
    1   999999     2         8.0
    """
    defs, codes, width_note = _lookup(emp, definitions, industry)
    if width_note:
        warnings.warn(width_note, DataWarning, stacklevel=2)
    found = pd.Index(defs["_key"]).get_indexer(codes) >= 0
    return _unmapped_table(emp, found, codes, value)


def _lookup(emp: pd.DataFrame, definitions: pd.DataFrame, industry: str):
    """Checked definitions (with comparable ``_key`` codes), the comparable codes of ``emp``
    and the note on zero-padding (or None)."""
    check_frame(emp, required=[industry], name="emp")
    def_key = industry if industry in getattr(definitions, "columns", []) else "industry"
    check_frame(
        definitions,
        required=[def_key, "cluster", "cluster_type"],
        no_missing=[def_key, "cluster", "cluster_type"],
        name="definitions",
    )
    defs = _clean_definitions(definitions, def_key)
    codes, def_keys, width_note = _match_codes(emp[industry], definitions[def_key], defs["_key"])
    defs["_key"] = def_keys
    return defs, codes, width_note


def _weights(emp: pd.DataFrame, value) -> np.ndarray:
    return (
        pd.to_numeric(emp[value], errors="coerce").fillna(0).to_numpy(dtype=float)
        if value and value in emp.columns
        else np.ones(len(emp))
    )


def _unmapped_table(emp, found, codes, value) -> pd.DataFrame:
    missing = ~np.asarray(found, dtype=bool)
    weights = _weights(emp, value)
    frame = pd.DataFrame(
        {"industry": pd.array(codes[missing], dtype=object), "employment": weights[missing]}
    )
    return (
        frame.groupby("industry", sort=True)
        .agg(rows=("employment", "size"), employment=("employment", "sum"))
        .sort_values("employment", ascending=False, kind="stable")
        .reset_index()
    )


def _clean_definitions(definitions: pd.DataFrame, key: str) -> pd.DataFrame:
    defs = definitions.copy()
    defs["_key"] = _as_text(defs[key])
    ctype = defs["cluster_type"].astype("string").str.strip().str.lower()
    bad = ~ctype.isin(["traded", "local"]).fillna(False).to_numpy()
    if bad.any():
        raise DataValidationError(
            "definitions: cluster_type must be 'traded' or 'local'",
            problem_frame(
                {
                    "file": "definitions",
                    "row": r,
                    "column": "cluster_type",
                    "expected": "traded or local",
                    "found": str(f),
                }
                for r, f in zip(
                    row_numbers(defs, bad)[:50],
                    defs.loc[bad, "cluster_type"].head(50),
                    strict=False,
                )
            ),
        )
    defs["cluster_type"] = ctype.to_numpy(dtype=object)
    dup = defs["_key"].duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataValidationError(
            f"definitions: {int(defs.loc[dup, '_key'].nunique())} industries are defined more "
            "than once (keep one NAICS vintage per definitions table)",
            problem_frame(
                {
                    "file": "definitions",
                    "row": r,
                    "column": key,
                    "expected": "one row per industry",
                    "found": f"{k} -> cluster {c}",
                }
                for r, k, c in zip(
                    row_numbers(defs, dup)[:50],
                    defs.loc[dup, "_key"].head(50),
                    defs.loc[dup, "cluster"].head(50),
                    strict=False,
                )
            ),
        )
    for c in ("cluster", "subcluster"):
        if c in defs.columns:
            defs[c] = _as_text(defs[c])
    return defs


def _as_text(series: pd.Series) -> pd.Series:
    """Codes as stripped text; whole floats (1.0) lose the '.0'."""
    if pd.api.types.is_float_dtype(series):
        series = series.astype("Int64")
    return series.astype("string").str.strip()


def pad_width(
    emp_numeric: bool, def_numeric: bool, def_text: pd.Series, emp_lengths=None
) -> int | None:
    """The one rule every engine (pandas, DuckDB, Dask) uses to compare industry codes when
    one side stores them as numbers: zero-pad the digit-only codes to the width of the text
    side's digit codes when that width is single, otherwise compare as they stand.

    ``emp_lengths`` (the lengths of ``emp``'s digit-only codes) is needed only when the
    definitions store their codes as numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> pad_width(True, False, pd.Series(["010100", "020100"]))
    6
    >>> pad_width(True, False, pd.Series([str(i) for i in range(120)])) is None
    True
    """
    if not (emp_numeric or def_numeric):
        return None
    if def_numeric:
        lengths = set(emp_lengths or ())
    else:
        digits = def_text.str.fullmatch(r"\d+").fillna(False)
        lengths = set(def_text[digits].str.len().unique())
    return int(next(iter(lengths))) if len(lengths) == 1 else None


def pad_note(width: int) -> str:
    return (
        f"industry codes stored as numbers were converted to text and zero-padded to "
        f"{width} digits, the width of the text codes (store codes as text to keep leading "
        "zeros)"
    )


def _match_codes(emp_codes: pd.Series, def_codes: pd.Series, def_text: pd.Series):
    """Text codes of ``emp`` and of the definitions, made comparable by :func:`pad_width`.
    Returns ``(emp codes, definition codes, note)``."""
    text = _as_text(emp_codes)
    emp_numeric = pd.api.types.is_numeric_dtype(emp_codes)
    def_numeric = pd.api.types.is_numeric_dtype(def_codes)
    digits_emp = text.str.fullmatch(r"\d+").fillna(False)
    width = pad_width(
        emp_numeric,
        def_numeric,
        def_text,
        text[digits_emp].str.len().unique() if def_numeric else None,
    )
    if width is None:
        return text.to_numpy(dtype=object), def_text, None
    padded = text.where(~digits_emp, text.str.zfill(width))
    digits_def = def_text.str.fullmatch(r"\d+").fillna(False)
    def_padded = def_text.where(~digits_def, def_text.str.zfill(width))
    return padded.to_numpy(dtype=object), def_padded, pad_note(width)


def _report_unmapped(emp, out, found, codes, industry, value, unmapped):
    missing = ~found
    weights = _weights(emp, value)
    total = weights.sum()
    table = _unmapped_table(emp, found, codes, value)
    share = weights[missing].sum() / total if total > 0 else missing.mean()
    what = "employment" if value and value in emp.columns else "rows"
    message = (
        f"{share:.1%} of {what} ({int(missing.sum())} rows, {len(table)} industries) "
        f"has no cluster in the definitions: {preview(table['industry'])}"
    )
    if unmapped == "raise":
        raise DataValidationError(
            message,
            problem_frame(
                {
                    "file": "emp",
                    "row": r,
                    "column": industry,
                    "expected": "an industry in the definitions",
                    "found": str(c),
                }
                for r, c in zip(row_numbers(emp, missing)[:50], codes[missing][:50], strict=False)
            ),
        )
    warnings.warn(
        message + ("; dropped" if unmapped == "drop" else "; kept with no cluster"),
        UnmappedWarning,
        stacklevel=3,
    )
    if unmapped == "drop":
        out = out.loc[found]
    return out


def cmp_definitions(data: pd.DataFrame, *, vintage: int = 2012) -> pd.DataFrame:
    """Convert the U.S. Cluster Mapping definitions file to clusterlab's definitions contract.

    Parameters
    ----------
    data : pandas.DataFrame
        The CMP NAICS -> cluster table (columns ``naics_vintage, naics, naics_title,
        cluster_code, cluster_name, traded``), e.g. ``cmp_cluster_naics_1997_2002_2007_2012.csv``.
    vintage : int
        NAICS vintage to keep (CMP: 1997 for data years <= 2002, 2002 for 2003-2007, 2007 for
        2008-2012, 2012 for 2013-2016).

    Returns
    -------
    pandas.DataFrame
        ``industry`` (6-digit text), ``industry_name``, ``cluster`` (CMP code as text: 1-51
        traded, 101-116 local), ``cluster_name``, ``cluster_type``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"naics_vintage": [2012], "naics": [336411],
    ...                     "naics_title": ["Aircraft Manufacturing"], "cluster_code": [1],
    ...                     "cluster_name": ["Aerospace Vehicles and Defense"], "traded": [True]})
    >>> cmp_definitions(raw)[["industry", "cluster", "cluster_type"]]
      industry cluster cluster_type
    0   336411       1       traded
    """
    check_frame(
        data, required=["naics_vintage", "naics", "cluster_code", "traded"], name="definitions"
    )
    rows = data.loc[pd.to_numeric(data["naics_vintage"], errors="coerce") == vintage]
    if rows.empty:
        raise DataValidationError(
            f"definitions: no rows for NAICS vintage {vintage}; available: "
            f"{preview(sorted(data['naics_vintage'].dropna().unique()))}"
        )
    traded = rows["traded"].astype("string").str.lower().isin(["true", "1"]).to_numpy()
    out = pd.DataFrame(
        {
            "industry": _as_text(rows["naics"]).str.zfill(6).to_numpy(),
            "industry_name": rows.get("naics_title", pd.Series(pd.NA, index=rows.index)).to_numpy(),
            "cluster": _as_text(rows["cluster_code"]).to_numpy(),
            "cluster_name": rows.get("cluster_name", pd.Series(pd.NA, index=rows.index)).to_numpy(),
            "cluster_type": np.where(traded, "traded", "local"),
        }
    )
    return out.reset_index(drop=True)
