"""DuckDB engine of :func:`clusterlab.mapping.aggregate`: one out-of-core ``GROUP BY`` scan.

Examples
--------
>>> import pandas as pd
>>> base, sums, cats = duckdb_cells(
...     pd.DataFrame({"region": ["a", "a"], "cluster": ["x", "x"], "year": [1, 1],
...                   "employment": [2, 3]}),
...     to=["cluster"], by=["year"], definitions=None, value="employment", region="region",
...     industry="industry")
>>> base
  region cluster  year  employment
0      a       x     1           5
"""

from __future__ import annotations

import warnings

import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, DataWarning, UnmappedWarning
from clusterlab.mapping.definitions import pad_note, pad_width

__all__ = ["duckdb_cells"]

_DEF_COLS = (
    "cluster",
    "cluster_type",
    "subcluster",
    "cluster_name",
    "subcluster_name",
    "industry_name",
)
_NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "BOOLEAN",
    "REAL",
)


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _connect(emp):
    import duckdb

    con = duckdb.connect()
    if isinstance(emp, pd.DataFrame):
        con.register("emp_src", emp)
    elif isinstance(emp, duckdb.DuckDBPyRelation):
        reader = (
            emp.to_arrow_reader() if hasattr(emp, "to_arrow_reader") else emp.fetch_record_batch()
        )
        con.register("emp_src", reader)  # streamed, never materialised
    else:
        from clusterlab.mapping.aggregation import _source_files

        files = _source_files(emp)
        csv = all(f.lower().endswith((".csv", ".csv.gz", ".txt")) for f in files)
        reader = "read_csv_auto" if csv else "read_parquet"
        listing = "[" + ", ".join(_lit(f) for f in files) + "]"
        con.execute(f"CREATE VIEW emp_src AS SELECT * FROM {reader}({listing})")
    return con


def duckdb_cells(emp, *, to, by, definitions, value, region, industry):
    """Region x category x by sums computed by DuckDB; returns ``(cells, sums, categories)``."""
    from clusterlab.mapping.aggregation import category_columns, sum_columns

    con = _connect(emp)
    try:
        schema = dict(
            con.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM emp_src)"
            ).fetchall()
        )
        available = set(schema)
        join = ""
        if definitions is not None and any(c not in schema for c in to):
            if industry not in schema:
                raise DataValidationError(
                    f"emp: missing column {industry!r}; available: {', '.join(schema)}"
                )
            defs = _definitions_frame(definitions, industry)
            key = f"e.{_q(industry)}"  # VARCHAR (dictionary-encoded or not): no cast
            base_type = schema[industry].split("(")[0]
            emp_numeric = base_type in _NUMERIC and base_type != "BOOLEAN"
            if base_type in ("FLOAT", "DOUBLE", "DECIMAL", "REAL"):  # 101.0 -> '101'
                key = f"CAST(CAST({key} AS BIGINT) AS VARCHAR)"
            elif base_type != "VARCHAR":
                key = f"TRIM(CAST({key} AS VARCHAR))"
            else:
                key = f"TRIM({key})"
            def_key = industry if industry in definitions.columns else "industry"
            def_numeric = pd.api.types.is_numeric_dtype(definitions[def_key])
            lengths = None
            if def_numeric:  # the same rule as the pandas path needs emp's code widths
                lengths = [
                    r[0]
                    for r in con.execute(
                        f"SELECT DISTINCT length({key}) FROM emp_src e WHERE "
                        f"regexp_full_match({key}, '[0-9]+')"
                    ).fetchall()
                ]
            width = pad_width(emp_numeric, def_numeric, defs["_key"].astype("string"), lengths)
            if width is not None:
                warnings.warn(pad_note(width), DataWarning, stacklevel=4)
                key = (
                    f"CASE WHEN regexp_full_match({key}, '[0-9]+') THEN "
                    f"lpad({key}, {width}, '0') ELSE {key} END"
                )
                digits = defs["_key"].str.fullmatch(r"\d+").fillna(False)
                defs["_key"] = defs["_key"].where(~digits, defs["_key"].str.zfill(width))
            con.register("defs_src", defs)
            join = f" LEFT JOIN defs_src d ON {key} = d._key"
            available |= {c for c in _DEF_COLS if c in defs.columns}
        sums = sum_columns(value, available)
        extra = ["region_type"] if "region_type" in schema else []
        missing = [c for c in [region, *extra, *to, *by, *sums] if c not in available]
        if missing:
            raise DataValidationError(
                f"emp: missing columns {', '.join(missing)}; available: {', '.join(schema)}",
                problem_frame(
                    {"file": "emp", "column": c, "expected": "column present", "found": "missing"}
                    for c in missing
                ),
            )
        bad = [c for c in sums if schema.get(c, "DOUBLE").split("(")[0] not in _NUMERIC]
        if bad:
            raise DataValidationError(
                f"emp: non-numeric count columns {', '.join(bad)}",
                problem_frame(
                    {"file": "emp", "column": c, "expected": "numeric", "found": schema[c]}
                    for c in bad
                ),
            )
        cats = category_columns(to, available)

        def col(c):
            return f"d.{_q(c)}" if join and c in _DEF_COLS and c not in schema else f"e.{_q(c)}"

        keys = [region, *extra, *cats, *by]
        select = [f"{col(c)} AS {_q(c)}" for c in keys]
        select += [f"CAST(SUM(e.{_q(c)}) AS {_sum_type(schema[c])}) AS {_q(c)}" for c in sums]
        select += [f"MIN(e.{_q(c)}) AS {_q('_min_' + c)}" for c in sums]
        select.append(f"COUNT(*) - COUNT(e.{_q(value)}) AS _nulls")
        sql = (
            f"SELECT {', '.join(select)} FROM emp_src e{join} "
            f"GROUP BY {', '.join(col(c) for c in keys)}"
        )
        result = con.sql(sql)
        arrow = (
            result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.arrow()
        )  # older duckdb
        cells = _to_pandas(arrow, [region, *extra, *cats])
    finally:
        con.close()

    problems = [
        {"file": "emp", "column": c, "expected": ">= 0", "found": f"min {cells['_min_' + c].min()}"}
        for c in sums
        if (cells["_min_" + c] < 0).any()
    ]
    if problems:
        raise DataValidationError("emp: negative counts", problem_frame(problems))
    if cells["_nulls"].sum() > 0:
        raise DataValidationError(
            f"emp: {int(cells['_nulls'].sum())} rows have no {value}",
            problem_frame(
                [{"file": "emp", "column": value, "expected": "a value", "found": "missing"}]
            ),
        )
    key_missing = cells[[region, *by]].isna().any(axis=1)
    if key_missing.any():
        raise DataValidationError(f"emp: rows with missing {region} or {'/'.join(by)}")
    cells = cells.drop(columns=[c for c in cells.columns if c.startswith("_")])
    unmapped = cells[cats].isna().any(axis=1).to_numpy()
    if unmapped.any():
        total = cells[value].sum()
        share = cells.loc[unmapped, value].sum() / total if total else 1.0
        warnings.warn(
            f"{share:.1%} of {value} has no {'/'.join(cats)} "
            f"(industries missing from the definitions); left out",
            UnmappedWarning,
            stacklevel=4,
        )
        cells = cells.loc[~unmapped]
    return cells.reset_index(drop=True), sums, cats


def _to_pandas(table, keys):
    """Arrow result -> pandas; text key columns become categoricals (dictionary-encoded in
    Arrow: no per-row Python strings, and later factorisations are free)."""
    import pyarrow as pa

    for name in keys:
        i = table.schema.get_field_index(name)
        if i >= 0 and (
            pa.types.is_string(table.schema.field(i).type)
            or pa.types.is_large_string(table.schema.field(i).type)
        ):
            table = table.set_column(i, name, table.column(i).dictionary_encode())
    frame = table.to_pandas()
    for name in keys:  # categories in lexical order, so that sorting matches the pandas path
        if name in frame.columns and isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].cat.reorder_categories(sorted(frame[name].cat.categories))
    return frame


def _sum_type(column_type: str) -> str:
    """Integer sums stay integers (DuckDB's SUM of BIGINT is a HUGEINT, a float in pandas)."""
    base = column_type.split("(")[0]
    return "BIGINT" if base in _NUMERIC[:9] or base == "BOOLEAN" else "DOUBLE"


def _definitions_frame(definitions, industry):
    from clusterlab.mapping.definitions import _clean_definitions

    key = industry if industry in definitions.columns else "industry"
    defs = _clean_definitions(definitions, key)
    cols = [c for c in _DEF_COLS if c in defs.columns]
    out = defs[["_key", *cols]].copy()
    for c in out.columns:
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    if not len(out):
        raise DataValidationError("definitions: empty table")
    return out
