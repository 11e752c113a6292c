"""Reading and validating data files (CSV, Parquet, Excel) against the named schemas.

:func:`read` returns a tidy DataFrame or raises :class:`~clusterlab.errors.DataValidationError`
carrying *every* problem as a table with the columns ``file, row, column, expected, found``.

``row`` has one meaning everywhere: for a file it is the line of the file (the header is line 1,
the first data row line 2, blank lines are counted — what an editor or a spreadsheet shows);
for a DataFrame (:func:`validate_frame`, and the checks of every analysis function) it is the
0-based position of the row.

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

import csv
import difflib
import math
import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.schemas import CODE_COLUMNS, SCHEMAS, get_schema

__all__ = ["read", "read_raw", "validate_frame", "validate_file", "load_input", "guess_schema"]

_READERS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "excel",
    ".xls": "excel",
}
_HEADER_OFFSET = 2  # file row of the first data row (header is row 1)


def _problem(path, expected, found, **kw) -> DataValidationError:
    message = kw.pop("message", None) or f"{path}: expected {expected}, found {found}"
    return DataValidationError(
        message, problem_frame([{"file": str(path), "expected": expected, "found": found, **kw}])
    )


def _check_header(path: Path, names) -> None:
    """A column named twice is an error (pandas would silently rename it ``x.1``)."""
    names = [str(n).strip() for n in names]
    seen, dups = set(), []
    for n in names:
        if n in seen and n not in dups:
            dups.append(n)
        seen.add(n)
    if dups:
        raise DataValidationError(
            f"{path}: column {dups[0]!r} appears more than once in the header",
            problem_frame(
                [
                    {
                        "file": str(path),
                        "row": 1,
                        "column": d,
                        "expected": "each column once",
                        "found": "a duplicated column",
                    }
                    for d in dups
                ]
            ),
        )


def _read_rows(
    path: str | os.PathLike, *, sheet: str | int | None = None
) -> tuple[pd.DataFrame, list[int]]:
    """The raw table and, per row, its line in the file (header = line 1; blank lines count,
    so the numbers are what an editor or a spreadsheet shows). Parquet rows are numbered as if
    the file had a header line."""
    path = Path(path)
    if path.is_dir():
        raise _problem(
            path, "a data file", "a folder", message=f"{path}: is a folder, not a data file"
        )
    if not path.exists():
        raise _problem(path, "an existing file", "no such file", message=f"{path}: file not found")
    kind = _READERS.get(path.suffix.lower())
    if kind is None:
        raise _problem(
            path,
            "CSV, Parquet or Excel (.csv .tsv .parquet .xlsx)",
            path.suffix or "no extension",
            message=f"{path}: unsupported file type {path.suffix!r}",
        )
    try:
        if kind in ("csv", "tsv"):
            sep = "\t" if kind == "tsv" else ","
            try:
                frame = pd.read_csv(
                    path,
                    sep=sep,
                    dtype=str,
                    keep_default_na=True,
                    skip_blank_lines=False,
                    encoding="utf-8-sig",
                )
            except UnicodeDecodeError as exc:
                raw = path.read_bytes()
                line = raw[: exc.start].count(b"\n") + 1
                raise DataValidationError(
                    f"{path}: not UTF-8 text (line {line}); save the file as UTF-8",
                    problem_frame(
                        [
                            {
                                "file": str(path),
                                "row": line,
                                "expected": "UTF-8 text",
                                "found": f"byte {raw[exc.start]:#04x}",
                            }
                        ]
                    ),
                ) from None
            with open(path, encoding="utf-8-sig", newline="") as handle:
                first = next(csv.reader(handle, delimiter=sep), [])
            _check_header(path, first)
            lines = [i + 2 for i in range(len(frame))]
            blank = frame.isna().all(axis=1).to_numpy()
            frame = frame.loc[~blank].reset_index(drop=True)
            lines = [n for n, b in zip(lines, blank, strict=True) if not b]
            return frame, lines
        if kind == "parquet":
            import pyarrow.parquet as pq

            _check_header(path, pq.read_schema(path).names)
            frame = pd.read_parquet(path)
            return frame, [i + 2 for i in range(len(frame))]
        first = pd.read_excel(
            path, sheet_name=0 if sheet is None else sheet, header=None, nrows=1, dtype=str
        )
        _check_header(
            path, [v for v in first.iloc[0].tolist() if pd.notna(v)] if len(first) else []
        )
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=str)
        lines = [i + 2 for i in range(len(frame))]
        blank = frame.isna().all(axis=1).to_numpy()
        frame = frame.loc[~blank].reset_index(drop=True)
        return frame, [n for n, b in zip(lines, blank, strict=True) if not b]
    except DataValidationError:
        raise
    except Exception as exc:  # parser errors become a clear data error, not a traceback
        raise DataValidationError(
            f"{path}: could not be read as {kind}",
            problem_frame(
                [
                    {
                        "file": str(path),
                        "expected": f"a readable {kind} file",
                        "found": f"{type(exc).__name__}: {exc}",
                    }
                ]
            ),
        ) from exc


def read_raw(path: str | os.PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a data file as it stands, without validation.

    CSV/Excel cells are read as text so that codes keep their leading zeros and bad values can
    be reported as they stand in the file; blank lines are dropped.

    Parameters
    ----------
    path : str or path-like
        A CSV, TSV, Parquet or Excel file.
    sheet : str or int, optional
        Excel sheet (name or 0-based position). Default ``None``: the first sheet.

    Returns
    -------
    pandas.DataFrame
        The file's columns as they are named in its header; cells of CSV/Excel files as text.

    Raises
    ------
    DataValidationError
        When the file is missing, cannot be read, or names a column twice in its header.

    Examples
    --------
    >>> from clusterlab.datasets import demo_path
    >>> from clusterlab.io import read_raw
    >>> raw = read_raw(demo_path("employment"))
    >>> raw.columns.tolist()[:4]
    ['region', 'industry', 'year', 'employment']
    >>> raw.loc[0, "industry"]
    '010100'
    """
    return _read_rows(path, sheet=sheet)[0]


def guess_schema(path: str | os.PathLike) -> str | None:
    """Name the schema a data file's name suggests, if any.

    Parameters
    ----------
    path : str or path-like
        A file name; only its stem is read (``employment.csv`` → ``"employment"``,
        ``cbp_employment_2020.csv`` → ``"employment"`` by prefix or suffix).

    Returns
    -------
    str or None
        A key of :data:`clusterlab.schemas.SCHEMAS`, or ``None`` when the name suggests none.

    Examples
    --------
    >>> from clusterlab.io import guess_schema
    >>> guess_schema("data/regions.csv")
    'regions'
    >>> guess_schema("2020_employment.xlsx")
    'employment'
    >>> guess_schema("notes.txt") is None
    True
    """
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
        return {
            "float64": "a number",
            "Int64": "a whole number",
            "boolean": "true/false",
            "str": "text",
        }.get(dtype, dtype)
    if check == "not_nullable":
        return "a value (not empty)"
    return check


def _codes_as_text(
    frame: pd.DataFrame,
    columns,
    *,
    file: str,
    rows,
    problems: list,
    code_widths: Mapping[str, int] | None,
) -> list[str]:
    """Make every code column text (in place on ``frame``, a copy): numbers are converted
    as they stand, or zero-padded to a *declared* width; surrounding spaces are stripped.
    Returns the notes to emit as :class:`~clusterlab.errors.DataWarning`."""
    notes = []
    widths = dict(code_widths or {})
    for name in columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(col.cat.categories.dtype)
        if (
            pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col)
        ) and col.isna().all():  # an empty column read as numbers: nothing to convert
            frame[name] = pd.Series([None] * len(col), index=frame.index, dtype=object)
            continue
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            num = pd.to_numeric(col, errors="coerce").astype(float)
            frac = num.notna() & ((num % 1 != 0) | ~num.map(math.isfinite))
            for pos in frame.index[frac.to_numpy()][:50]:
                problems.append(
                    {
                        "file": file,
                        "row": rows[pos],
                        "column": name,
                        "expected": "a code (text or a whole number)",
                        "found": str(col.iloc[pos]),
                    }
                )
            text = num.where(~frac).astype("Int64").astype("string")
            width = widths.get(name)
            if width:
                text = text.str.zfill(int(width))
                notes.append(
                    f"{file}: column {name!r} holds numbers; converted to text "
                    f"zero-padded to the declared width {int(width)}"
                )
            else:
                notes.append(
                    f"{file}: column {name!r} holds numbers; converted to text as they "
                    "stand (leading zeros cannot be recovered: store codes as text, or "
                    f"declare their width with code_widths: {{{name}: N}})"
                )
            frame[name] = text.astype(object).where(text.notna(), None)
            continue
        text = col.astype("string")
        stripped = text.str.strip()
        changed = (stripped != text).fillna(False)
        if changed.any():
            first = int(frame.index[changed.to_numpy()][0])
            notes.append(
                f"{file}: {int(changed.sum())} value(s) of column {name!r} had "
                f"surrounding spaces, stripped (first on row {rows[first]}: "
                f"{text.iloc[first]!r})"
            )
        stripped = stripped.where(stripped != "", pd.NA)
        frame[name] = stripped.astype(object).where(stripped.notna(), None)
    return notes


def validate_frame(
    data: pd.DataFrame,
    schema: str | pa.DataFrameSchema,
    *,
    file: str = "data",
    references: Mapping[str, Iterable] | None = None,
    row_offset: int = 0,
    rows=None,
    code_widths: Mapping[str, int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a DataFrame; return ``(coerced_frame, problems)`` without raising.

    Code columns (:data:`clusterlab.schemas.CODE_COLUMNS`: region, industry, cluster, firm,
    node, initiative, rater, …) come out as text: surrounding spaces are stripped and numbers
    are converted as they stand (or zero-padded to a width declared in ``code_widths``), each
    with a :class:`~clusterlab.errors.DataWarning`. Numbers must be finite.

    Parameters
    ----------
    data : pandas.DataFrame
        Raw table (text cells are fine: numbers are coerced). Never modified.
    schema : str or pandera.DataFrameSchema
        A name from :data:`clusterlab.schemas.SCHEMAS` or a schema.
    file : str, default "data"
        Name used in the problems table.
    references : mapping, optional
        ``{column: allowed values}``, e.g. ``{"region": regions["region"]}``: codes not in the
        reference table are problems. Default ``None``.
    row_offset : int, default 0
        Added to the 0-based position to give ``row``. The default 0 reports a DataFrame's
        0-based position; :func:`read` passes the file's line numbers instead (``rows``).
    rows : sequence of int, optional
        The ``row`` of each position (a file's line numbers, header = line 1). Default ``None``.
    code_widths : mapping, optional
        ``{column: width}`` for code columns stored as numbers. Default ``None``.

    Returns
    -------
    frame : pandas.DataFrame
        A new table with the schema's columns typed (code columns as text) plus any extra
        columns of ``data``.
    problems : pandas.DataFrame
        One row per problem, columns ``file, row, column, expected, found``; empty when valid.

    Examples
    --------
    >>> import pandas as pd
    >>> frame, problems = validate_frame(pd.DataFrame({"region": ["R1", "R1"],
    ...     "industry": ["0101", "0101"], "year": [2020, 2021], "employment": [3, -1]}),
    ...     "employment")
    >>> problems[["row", "column", "expected"]].values.tolist()
    [[1, 'employment', '>= 0']]
    """
    if isinstance(schema, str):
        schema = get_schema(schema)
    frame = data.reset_index(drop=True).copy()
    if rows is None:
        rows = [i + row_offset for i in range(len(frame))]
    rows = list(rows)
    problems: list[dict] = []
    frame.columns = [str(c).strip() if isinstance(c, str) else c for c in frame.columns]
    missing = [c for c, col in schema.columns.items() if col.required and c not in frame.columns]
    for c in missing:
        close = difflib.get_close_matches(c, [str(x) for x in frame.columns], n=1, cutoff=0.6)
        hint = f" (is {close[0]!r} meant?)" if close else ""
        problems.append(
            {
                "file": file,
                "column": c,
                "expected": "column present",
                "found": "missing; columns are " + ", ".join(map(str, frame.columns)) + hint,
            }
        )
    if missing:  # nothing else can be checked reliably (keys, types) without the columns
        return frame, problem_frame(problems)
    if frame.empty:
        problems.append(
            {
                "file": file,
                "expected": "at least one data row",
                "found": "no data rows (header only)",
            }
        )
        return frame, problem_frame(problems)
    codes = [c for c in CODE_COLUMNS if c in frame.columns]
    notes = _codes_as_text(
        frame, codes, file=file, rows=rows, problems=problems, code_widths=code_widths
    )
    for note in notes:
        warnings.warn(note, DataWarning, stacklevel=3)
    # coerce numbers ourselves so that one bad cell does not hide the other checks
    for name_, col in schema.columns.items():
        if name_ not in frame.columns:
            continue
        dtype = str(col.dtype)
        if dtype in ("float64", "Int64"):
            raw = frame[name_]
            if isinstance(raw.dtype, pd.CategoricalDtype):
                raw = raw.astype(object)
            num = pd.to_numeric(raw, errors="coerce")
            bad = raw.notna() & num.isna() & (raw.astype(str).str.strip() != "")
            for pos in frame.index[bad]:
                problems.append(
                    {
                        "file": file,
                        "row": rows[pos],
                        "column": name_,
                        "expected": "a number" if dtype == "float64" else "a whole number",
                        "found": str(raw[pos]),
                    }
                )
            infinite = num.notna() & ~num.astype(float).map(math.isfinite)
            for pos in frame.index[infinite]:
                problems.append(
                    {
                        "file": file,
                        "row": rows[pos],
                        "column": name_,
                        "expected": "a finite number",
                        "found": str(raw[pos]),
                    }
                )
            num = num.where(~infinite)
            if dtype == "Int64":
                frac = num.notna() & (num % 1 != 0)
                for pos in frame.index[frac]:
                    problems.append(
                        {
                            "file": file,
                            "row": rows[pos],
                            "column": name_,
                            "expected": "a whole number",
                            "found": str(raw[pos]),
                        }
                    )
                num = num.where(~frac)
            frame[name_] = num
        elif dtype == "boolean" and (
            frame[name_].dtype == object or pd.api.types.is_string_dtype(frame[name_])
        ):
            mapped = frame[name_].map(lambda v: _to_bool(v))
            bad = frame[name_].notna() & mapped.isna()
            for pos in frame.index[bad]:
                problems.append(
                    {
                        "file": file,
                        "row": rows[pos],
                        "column": name_,
                        "expected": "true/false",
                        "found": str(frame.at[pos, name_]),
                    }
                )
            frame[name_] = mapped.astype("boolean")
    reported = {(p.get("row"), p["column"]) for p in problems}
    try:
        out = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = frame
        cases = exc.failure_cases
        dup = cases["check"].astype(str) == "multiple_fields_uniqueness"
        key = ",".join(schema.unique or [])
        for idx in sorted({int(i) for i in cases.loc[dup, "index"].dropna()}):
            vals = ", ".join(f"{c}={frame.at[idx, c]}" for c in schema.unique or [])
            problems.append(
                {
                    "file": file,
                    "row": rows[idx],
                    "column": key,
                    "expected": "a unique key",
                    "found": f"duplicated key ({vals})",
                }
            )
        for case in cases[~dup].itertuples():
            check = str(case.check)
            fc = str(case.failure_case)
            if (
                check.startswith(("coerce_dtype", "dtype("))
                and case.column in frame.columns
                and any(p["column"] == case.column for p in problems)
            ):
                continue  # already reported cell by cell above
            if fc.startswith("TypeError("):
                continue
            if check == "column_in_dataframe":
                continue  # reported above with a hint
            column = case.column if isinstance(case.column, str) else str(case.column)
            if case.schema_context == "DataFrameSchema" and ": " in check:
                # a table-level check names its column as "column: what is expected"
                target, check = check.split(": ", 1)
                if column != target:
                    continue
            row = None if pd.isna(case.index) else rows[int(case.index)]
            if (row, column) in reported or (row, column) in {
                (p.get("row"), p["column"]) for p in problems
            }:
                continue  # the cell is reported already (e.g. not a number → also empty)
            problems.append(
                {
                    "file": file,
                    "row": row,
                    "column": column,
                    "expected": _expected(check, schema, column),
                    "found": fc,
                }
            )
    for column, allowed in (references or {}).items():
        if column not in out.columns:
            continue
        allowed = set(pd.Series(list(allowed)).dropna().astype(str).str.strip())
        values = out[column]
        unknown = values.notna() & ~values.astype(str).isin(allowed)
        for pos in out.index[unknown][:200]:
            close = difflib.get_close_matches(str(values[pos]), sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                {
                    "file": file,
                    "row": rows[pos],
                    "column": column,
                    "expected": "a code from the reference table",
                    "found": str(values[pos]) + hint,
                }
            )
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
        if (
            name in schema.columns
            or name in CODE_COLUMNS
            or not (frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]))
        ):
            continue
        col = frame[name]
        if col.dropna().astype(str).str.match(r"^\s*[+-]?0\d").any():
            continue  # leading zeros: a code, kept as text
        num = pd.to_numeric(col, errors="coerce")
        if col.notna().any() and (num.notna() == col.notna()).all():
            frame[name] = num
            continue
        lowered = col.dropna().astype(str).str.lower()
        if len(lowered) and lowered.isin(["true", "false"]).all():
            frame[name] = col.map(_to_bool).astype("boolean")
    return frame


def read(
    path: str | os.PathLike,
    schema: str | None = None,
    *,
    references: Mapping[str, Iterable] | None = None,
    sheet: str | int | None = None,
    code_widths: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file and validate it against a named schema.

    Parameters
    ----------
    path : str or path-like
        The file.
    schema : str, optional
        Schema name (``employment``, ``definitions``, ``regions``, ``edges``, ``nodes``,
        ``participation``, ``ratings``, ``firm_panel``, ``indicators``, ``initiatives``,
        ``firms``); guessed from the file name when omitted (default ``None``).
    references : mapping, optional
        ``{column: allowed codes}`` checked against reference tables. Default ``None``.
    sheet : str or int, optional
        Excel sheet. Default ``None``: the first.
    code_widths : mapping, optional
        ``{column: width}``: code columns stored as numbers are zero-padded to this width
        (otherwise converted as they stand, with a warning). Default ``None``.

    Returns
    -------
    pandas.DataFrame
        The validated, typed table with the schema's columns (see :mod:`clusterlab.schemas`);
        code columns are text.

    Raises
    ------
    DataValidationError
        With ``.problems`` listing every problem (file, row, column, expected, found); ``row``
        is the line of the file (header = line 1, blank lines counted).
    ParameterError
        When ``schema`` is unknown or cannot be guessed from the file name.

    Examples
    --------
    >>> from clusterlab.datasets import demo_path
    >>> from clusterlab.io import read
    >>> emp = read(demo_path("employment"))
    >>> emp[["region", "industry", "year", "employment"]].head(2)
      region industry  year  employment
    0    D01   010100  2012      3002.0
    1    D01   010100  2013      3083.0
    """
    schema = schema or guess_schema(path)
    if schema is None:
        raise ParameterError(
            f"{path}: cannot tell which schema applies; pass schema= one of "
            + ", ".join(sorted(SCHEMAS)),
            problem_frame(
                [
                    {
                        "file": str(path),
                        "expected": "a known schema (--schema NAME)",
                        "found": "a file name naming no schema",
                    }
                ]
            ),
        )
    raw, rows = _read_rows(path, sheet=sheet)
    frame, problems = validate_frame(
        raw, schema, file=str(path), references=references, rows=rows, code_widths=code_widths
    )
    if not problems.empty:
        raise DataValidationError(
            f"{path}: {len(problems)} problem(s) against the {schema!r} schema", problems
        )
    frame.attrs["source"] = str(path)
    # code columns that were stored as numbers (converted as they stand, or to a declared width)
    frame.attrs["numeric_codes"] = [
        c
        for c in CODE_COLUMNS
        if c in frame.columns
        and (
            pd.api.types.is_numeric_dtype(raw[c])
            or pd.api.types.is_bool_dtype(raw[c])
            or (
                isinstance(raw[c].dtype, pd.CategoricalDtype)
                and pd.api.types.is_numeric_dtype(raw[c].cat.categories)
            )
        )
    ]
    return frame


def validate_file(
    path: str | os.PathLike,
    schema: str | None = None,
    *,
    references: Mapping[str, Iterable] | None = None,
    code_widths: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """List every problem of a data file as a table, without raising.

    Parameters
    ----------
    path : str or path-like
        A CSV, Parquet or Excel file.
    schema : str, optional
        Schema name (see :func:`read`); guessed from the file name when omitted.
    references : mapping, optional
        ``{column: allowed codes}`` checked against reference tables. Default ``None``.
    code_widths : mapping, optional
        ``{column: width}`` for code columns stored as numbers. Default ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per problem, columns ``file, row, column, expected, found`` (``row`` = line of
        the file, header = line 1); empty when the file is valid.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> from clusterlab.io import validate_file
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "employment.csv")
    ...     pd.DataFrame({"region": ["R1", "R2"], "industry": ["0101", "0101"],
    ...                   "year": [2020, 2020], "employment": [10, -5]}).to_csv(path, index=False)
    ...     problems = validate_file(path)
    >>> problems[["row", "column", "found"]].values.tolist()
    [[3, 'employment', '-5.0']]
    """
    try:
        read(path, schema, references=references, code_widths=code_widths)
    except (DataValidationError, ParameterError) as exc:
        return exc.problems
    return problem_frame([])


def load_input(
    kind: str,
    path: str | os.PathLike | None = None,
    *,
    references: Mapping[str, Iterable] | None = None,
    code_widths: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Load the table a notebook analyses: read and validate ``path``, or the demo table.

    Parameters
    ----------
    kind : str
        Table kind = schema name (``"employment"``, ``"ratings"`` …).
    path : str or path-like, optional
        A user file; ``None`` (default) or ``""`` loads the synthetic demo table of that kind.
    references : mapping, optional
        ``{column: allowed codes}`` checked against reference tables. Default ``None``.
    code_widths : mapping, optional
        Passed to :func:`read`. Default ``None``.

    Returns
    -------
    pandas.DataFrame
        The validated table with the columns of schema ``kind`` (see :func:`read`); the demo
        table carries ``attrs["source"]``, which names it as synthetic.

    Raises
    ------
    DataValidationError
        When the file does not meet its schema.

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
            frame, problems = validate_frame(
                table, kind, file=f"demo:{kind}", references=references
            )
            if not problems.empty:
                raise DataValidationError(f"demo table {kind!r} is invalid", problems)
            frame.attrs["source"] = table.attrs.get("source", "")
            return frame
        return table
    return read(
        path, kind if kind in SCHEMAS else None, references=references, code_widths=code_widths
    )
