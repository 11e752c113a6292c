"""Readers that turn published statistics files into clusterlab's employment contract.

:func:`read_cbp` reads U.S. Census County Business Patterns files (national, state or county
layout; CSV, text or Parquet) and returns tidy ``region, industry, year, employment`` rows with
the suppression flags that :func:`~clusterlab.mapping.impute_suppressed` understands.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"fipstate": ["01", "01", "01"], "naics": ["------", "336411", "336412"],
...                     "emp": [1000, 0, 250], "empflag": ["", "B", ""], "emp_nf": ["G", "D", "H"],
...                     "est": [90, 3, 7], "ap": [5000, 0, 900], "year": [2011] * 3})
>>> read_cbp(raw)[["region", "industry", "year", "employment", "emp_flag"]]
  region industry  year  employment emp_flag
0     01   336411  2011           0        B
1     01   336412  2011         250     <NA>
"""

from __future__ import annotations

import os
import re

import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["read_cbp"]

_RENAME = {
    "emp": "employment",
    "empflag": "emp_flag",
    "emp_nf": "emp_noise",
    "est": "establishments",
    "ap": "payroll",
}


def read_cbp(
    source, *, year: int | None = None, digits: int = 6, lfo: str | None = "-"
) -> pd.DataFrame:
    """County Business Patterns rows at one NAICS level as a tidy employment table.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A CBP file as the Census Bureau publishes it (``cbpYYst.txt``, ``cbpYYco.txt``,
        ``cbpYYus.txt``; comma-separated with a header) or as Parquet, or a DataFrame of it.
        Column names are matched case-insensitively.
    year : int, optional
        Data year; required when the file has no ``year`` column (Census files do not: the
        year is in the file name, e.g. ``cbp11st.txt``, and is read from there when possible).
    digits : int
        NAICS level kept (2-6). CBP marks aggregates with ``-`` and ``/`` (``336///`` is a
        3-digit total); with ``digits=6`` only detailed industries are kept, so that sums over
        industries do not count a cell twice.
    lfo : str or None
        Legal form of organisation kept when the file has an ``lfo`` column (``"-"`` = all
        forms, the CBP total); ``None`` keeps every row.

    Returns
    -------
    pandas.DataFrame
        ``region`` (FIPS state, state + county, or ``"US"``), ``region_type`` (``state``,
        ``county``, ``nation``), ``industry`` (NAICS code without the aggregate marks, as text),
        ``year``, ``employment`` (0 in suppressed cells, as published), ``emp_flag`` (EMPFLAG
        letter or missing), ``emp_noise`` (noise flag, when present), ``establishments`` and
        ``payroll`` (annual, $1,000). Pass it to :func:`~clusterlab.mapping.impute_suppressed`.

    Raises
    ------
    DataValidationError
        Missing CBP columns, or no year.

    References
    ----------
    U.S. Census Bureau, County Business Patterns, record layouts (2007-2016): columns FIPSTATE,
    FIPSCTY, NAICS, EMPFLAG, EMP_NF, EMP, EST, AP.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"fipstate": ["01", "01", "01"],
    ...                     "naics": ["------", "336411", "336412"], "emp": [1000, 0, 250],
    ...                     "empflag": ["", "B", ""], "emp_nf": ["G", "D", "H"],
    ...                     "est": [90, 3, 7], "ap": [5000, 0, 900], "year": [2011] * 3})
    >>> read_cbp(raw)[["region", "industry", "year", "employment", "emp_flag"]]
      region industry  year  employment emp_flag
    0     01   336411  2011           0        B
    1     01   336412  2011         250     <NA>
    """
    name, header_rows = "data", 0  # file row of data row i (0-based) = i + 1 + header_rows
    if isinstance(source, pd.DataFrame):
        raw = source
    else:
        name = os.fspath(source)
        if not os.path.exists(name):
            raise ParameterError(f"{name}: file not found")
        if name.endswith((".parquet", ".pq")):
            raw = pd.read_parquet(name)
        else:
            raw = pd.read_csv(name, dtype=str, keep_default_na=False)
            header_rows = 1
        if year is None:
            m = re.search(r"cbp(\d{2})(?:st|co|us)", os.path.basename(name).lower())
            if m:
                year = 2000 + int(m.group(1))
    raw = raw.rename(columns=str.lower)
    check_frame(raw, required=["naics", "emp", "est"], name=name)
    if digits not in (2, 3, 4, 5, 6):
        raise ParameterError(f"digits={digits!r}: expected 2, 3, 4, 5 or 6")
    if "year" not in raw.columns and year is None:
        raise DataValidationError(
            f"{name}: no 'year' column and no year in the file name; pass year=",
            problems=problem_frame(
                [
                    {
                        "file": name,
                        "column": "year",
                        "expected": "a year column or year=",
                        "found": "none",
                    }
                ]
            ),
        )
    data = raw
    if lfo is not None and "lfo" in data.columns:
        data = data[data["lfo"].astype(str) == lfo]
    code = data["naics"].astype(str).str.strip()
    # "336411" (6 digits) or "3364//" (4 digits + marks); the sector rows like "31----"
    level = code.str.len() - code.str.count(r"[-/]")
    keep = (level == digits) & code.str.match(r"^\d{2}")
    data = data[keep]
    out = pd.DataFrame(index=data.index)
    if "fipscty" in data.columns:
        out["region"] = data["fipstate"].astype(str).str.zfill(2) + data["fipscty"].astype(
            str
        ).str.zfill(3)
        out["region_type"] = "county"
    elif "fipstate" in data.columns:
        out["region"] = data["fipstate"].astype(str).str.zfill(2)
        out["region_type"] = "state"
    else:
        out["region"] = "US"
        out["region_type"] = "nation"
    out["industry"] = code[keep].str.replace(r"[-/]", "", regex=True)
    out["year"] = (
        pd.to_numeric(data["year"], errors="coerce").astype("Int64")
        if "year" in data.columns
        else year
    )
    for col, new in _RENAME.items():
        if col not in data.columns:
            continue
        if col in ("empflag", "emp_nf"):
            flag = data[col].astype("string").str.strip()
            out[new] = flag.mask(flag.isin(["", "-", "0"]) | flag.isna(), pd.NA)
        else:
            out[new] = pd.to_numeric(data[col], errors="coerce")
    bad = out["employment"].isna()
    if bad.any():
        rows = [
            {
                "file": name,
                "row": int(i) + 1 + header_rows,
                "column": "emp",
                "expected": "a whole number",
                "found": str(raw.loc[i, "emp"]),
            }
            for i in out.index[bad][:20]
        ]
        raise DataValidationError(
            f"{name}: {int(bad.sum())} non-numeric emp values", problems=problem_frame(rows)
        )
    return out.reset_index(drop=True)
