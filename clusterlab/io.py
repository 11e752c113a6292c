"""Reading and validating data files (CSV, Parquet, Excel) against the named schemas.

:func:`read` returns a tidy DataFrame or raises :class:`~clusterlab.errors.DataValidationError`
carrying *every* problem as a table with the columns ``file, row, column, expected, found``.
``row`` is the row as a spreadsheet shows it: the header is row 1, the first data row is row 2.

Examples
--------
>>> import pandas as pd, tempfile, os
>>> from clusterlab import io
>>> path = os.path.join(tempfile.mkdtemp(), "employment.csv")
>>> pd.DataFrame({"region": ["R1", "R1"], "industry": ["0101", "0101"], "year": [2020, 2020],
...               "employment": [10, -5]}).to_csv(path, index=False)
>>> problems = io.validate_file(path)
>>> print(problems[["row", "column", "expected"]].to_string(index=False))
 row               column     expected
   2 region,industry,year a unique key
   3           employment         >= 0
   3 region,industry,year a unique key
>>> sorted(problems["column"].unique())
['employment', 'region,industry,year']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.schemas import SCHEMAS, get_schema

__all__ = ["read", "read_raw", "validate_frame", "validate_file", "load_input", "guess_schema"]

_READERS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet",
            ".xlsx": "excel", ".xls": "excel"}
_HEADER_OFFSET = 2  # file row of the first data row (header is row 1)


def read_raw(path: str | os.PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a file without validation. CSV/Excel cells are read as text so that codes keep
    their leading zeros and bad values can be reported as they stand in the file."""
    path = Path(path)
    if not path.exists():
        raise DataValidationError(f"{path}: file not found",
                                  problem_frame([{"file": str(path), "expected": "an existing file",
                                                  "found": "no such file"}]))
    kind = _READERS.get(path.suffix.lower())
    if kind is None:
        raise DataValidationError(
            f"{path}: unsupported file type {path.suffix!r}",
            problem_frame([{"file": str(path), "expected": "CSV, Parquet or Excel (.csv .tsv "
                            ".parquet .xlsx)", "found": path.suffix or "no extension"}]))
    try:
        if kind == "csv":
            return pd.read_csv(path, dtype=str, keep_default_na=True)
        if kind == "tsv":
            return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=True)
        if kind == "parquet":
            return pd.read_parquet(path)
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=str)
    except Exception as exc:  # parser errors become a clear data error, not a traceback
        raise DataValidationError(
            f"{path}: could not be read as {kind}",
            problem_frame([{"file": str(path), "expected": f"a readable {kind} file",
                            "found": f"{type(exc).__name__}: {exc}"}])) from exc


def guess_schema(path: str | os.PathLike) -> str | None:
    """The schema named by the file's stem (``employment.csv`` → ``"employment"``), if any."""
    stem = Path(path).stem.lower()
    if stem in SCHEMAS:
        return stem
    for name in SCHEMAS:
        if stem.startswith(name) or stem.endswith(name):
            return name
    return None


def _expected(check: str, schema: pa.DataFrameSchema, column: str) -> str:
    if check == "column_in_dataframe":
        return "column present"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        dtype = str(schema.columns[column].dtype) if column in schema.columns else check
        return {"float64": "a number", "Int64": "a whole number", "boolean": "true/false",
                "str": "text"}.get(dtype, dtype)
    if check == "not_nullable":
        return "a value (not empty)"
    return check


def validate_frame(data: pd.DataFrame, schema: str | pa.DataFrameSchema, *,
                   file: str = "data", references: Mapping[str, Iterable] | None = None,
                   row_offset: int = _HEADER_OFFSET) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a DataFrame; return ``(coerced_frame, problems)`` without raising.

    Parameters
    ----------
    data : pandas.DataFrame
        Raw table (text cells are fine: numbers are coerced).
    schema : str or pandera.DataFrameSchema
        A name from :data:`clusterlab.schemas.SCHEMAS` or a schema.
    file : str
        Name used in the problems table.
    references : mapping, optional
        ``{column: allowed values}``, e.g. ``{"region": regions["region"]}``: codes not in the
        reference table are problems.
    row_offset : int
        Added to the 0-based position to give ``row`` (2 for files with a header row).
    """
    if isinstance(schema, str):
        schema = get_schema(schema)
    frame = data.reset_index(drop=True).copy()
    problems: list[dict] = []
    # coerce numbers ourselves so that one bad cell does not hide the other checks
    for name, col in schema.columns.items():
        if name not in frame.columns:
            continue
        dtype = str(col.dtype)
        if dtype in ("float64", "Int64"):
            raw = frame[name]
            num = pd.to_numeric(raw, errors="coerce")
            bad = raw.notna() & num.isna() & (raw.astype(str).str.strip() != "")
            for pos in frame.index[bad]:
                problems.append({"file": file, "row": pos + row_offset, "column": name,
                                 "expected": "a number" if dtype == "float64" else
                                 "a whole number", "found": str(raw[pos])})
            if dtype == "Int64":
                frac = num.notna() & (num % 1 != 0)
                for pos in frame.index[frac]:
                    problems.append({"file": file, "row": pos + row_offset, "column": name,
                                     "expected": "a whole number", "found": str(raw[pos])})
                num = num.where(~frac)
            frame[name] = num
        elif dtype == "boolean" and frame[name].dtype == object or dtype == "boolean" and \
                pd.api.types.is_string_dtype(frame[name]):
            mapped = frame[name].map(lambda v: _to_bool(v))
            bad = frame[name].notna() & mapped.isna()
            for pos in frame.index[bad]:
                problems.append({"file": file, "row": pos + row_offset, "column": name,
                                 "expected": "true/false", "found": str(frame.at[pos, name])})
            frame[name] = mapped.astype("boolean")
    try:
        out = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = frame
        cases = exc.failure_cases
        dup = cases["check"].astype(str) == "multiple_fields_uniqueness"
        key = ",".join(schema.unique or [])
        for idx in sorted({int(i) for i in cases.loc[dup, "index"].dropna()}):
            vals = ", ".join(f"{c}={frame.at[idx, c]}" for c in schema.unique or [])
            problems.append({"file": file, "row": idx + row_offset, "column": key,
                             "expected": "a unique key", "found": f"duplicated key ({vals})"})
        for case in cases[~dup].itertuples():
            check = str(case.check)
            fc = str(case.failure_case)
            if check.startswith(("coerce_dtype", "dtype(")) and case.column in frame.columns \
                    and any(p["column"] == case.column for p in problems):
                continue  # already reported cell by cell above
            if fc.startswith("TypeError("):
                continue
            if check == "column_in_dataframe":
                problems.append({"file": file, "column": fc, "expected": "column present",
                                 "found": "missing; columns are "
                                          + ", ".join(map(str, frame.columns))})
                continue
            column = case.column if isinstance(case.column, str) else str(case.column)
            if case.schema_context == "DataFrameSchema" and ": " in check:
                # a table-level check names its column as "column: what is expected"
                target, check = check.split(": ", 1)
                if column != target:
                    continue
            row = None if pd.isna(case.index) else int(case.index) + row_offset
            if (row, column) in {(p.get("row"), p["column"]) for p in problems}:
                continue  # the cell is reported already (e.g. not a number → also empty)
            problems.append({"file": file, "row": row, "column": column,
                             "expected": _expected(check, schema, column), "found": fc})
    for column, allowed in (references or {}).items():
        if column not in out.columns:
            continue
        allowed = set(pd.Series(list(allowed)).dropna().astype(str))
        values = out[column]
        unknown = values.notna() & ~values.astype(str).isin(allowed)
        for pos in out.index[unknown][:200]:
            problems.append({"file": file, "row": pos + row_offset, "column": column,
                             "expected": "a code from the reference table",
                             "found": str(values[pos])})
    probs = problem_frame(problems)
    if not probs.empty:
        probs = probs.sort_values(["row", "column"], na_position="first", kind="stable")
    return _infer_extra(out, schema), probs.reset_index(drop=True)


def _to_bool(value):
    if pd.isna(value):
        return pd.NA
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "y", "t"}:
        return True
    if text in {"false", "0", "no", "n", "f"}:
        return False
    return pd.NA


def _infer_extra(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Give columns outside the schema a sensible type (numbers, booleans) when every
    non-missing cell agrees."""
    for name in frame.columns:
        if name in schema.columns or not (frame[name].dtype == object
                                          or pd.api.types.is_string_dtype(frame[name])):
            continue
        col = frame[name]
        num = pd.to_numeric(col, errors="coerce")
        if col.notna().any() and (num.notna() == col.notna()).all():
            frame[name] = num
            continue
        lowered = col.dropna().astype(str).str.lower()
        if len(lowered) and lowered.isin(["true", "false"]).all():
            frame[name] = col.map(_to_bool).astype("boolean")
    return frame


def read(path: str | os.PathLike, schema: str | None = None, *,
         references: Mapping[str, Iterable] | None = None,
         sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file and validate it against a named schema.

    Parameters
    ----------
    path : path-like
        The file.
    schema : str, optional
        Schema name (``employment``, ``definitions``, ``regions``, ``edges``, ``nodes``,
        ``participation``, ``ratings``, ``firm_panel``, ``indicators``, ``initiatives``,
        ``firms``); guessed from the file name when omitted.
    references : mapping, optional
        ``{column: allowed codes}`` checked against reference tables.
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    pandas.DataFrame
        The validated, typed table.

    Raises
    ------
    DataValidationError
        With ``.problems`` listing every problem (file, row, column, expected, found).
    """
    schema = schema or guess_schema(path)
    if schema is None:
        raise ParameterError(f"{path}: cannot tell which schema applies; pass schema= one of "
                             + ", ".join(sorted(SCHEMAS)))
    raw = read_raw(path, sheet=sheet)
    frame, problems = validate_frame(raw, schema, file=str(path), references=references)
    if not problems.empty:
        raise DataValidationError(
            f"{path}: {len(problems)} problem(s) against the {schema!r} schema", problems)
    frame.attrs["source"] = str(path)
    return frame


def validate_file(path: str | os.PathLike, schema: str | None = None, *,
                  references: Mapping[str, Iterable] | None = None) -> pd.DataFrame:
    """Every problem of a data file as a table (empty when the file is valid)."""
    try:
        read(path, schema, references=references)
    except DataValidationError as exc:
        return exc.problems
    except ParameterError as exc:
        return problem_frame([{"file": str(path), "expected": "a known schema",
                               "found": str(exc)}])
    return problem_frame([])


def load_input(kind: str, path: str | os.PathLike | None = None, *,
               references: Mapping[str, Iterable] | None = None) -> pd.DataFrame:
    """The table a notebook analyses: read and validate ``path``, or the demo table.

    Parameters
    ----------
    kind : str
        Table kind = schema name (``"employment"``, ``"ratings"`` …).
    path : path-like or None
        A user file; ``None`` or ``""`` loads the synthetic demo table of that kind.

    Examples
    --------
    >>> from clusterlab.io import load_input
    >>> load_input("ratings").attrs["source"]
    'SYNTHETIC DEMO DATA — fictional regions, clusters and firms'
    """
    if path is None or str(path) == "":
        from clusterlab.datasets import load_demo

        table = load_demo(kind)
        if kind in SCHEMAS:
            frame, problems = validate_frame(table, kind, file=f"demo:{kind}",
                                             references=references)
            if not problems.empty:
                raise DataValidationError(f"demo table {kind!r} is invalid", problems)
            frame.attrs["source"] = table.attrs.get("source", "")
            return frame
        return table
    return read(path, kind if kind in SCHEMAS else None, references=references)
