"""Types settled at the boundary (issue 13): code columns are text after reading, leading zeros
kept, never padded to a guessed width; the pandas, DuckDB and Dask engines of
``mapping.aggregate`` agree for every storage type of the codes."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from clusterlab import io, mapping
from clusterlab.errors import DataValidationError, DataWarning

ROOT_DATASETS = Path(__file__).resolve().parents[1] / "datasets"
# definitions whose codes have several widths ("0" … "149"): no single width to pad to
DEFS_MIXED = pd.DataFrame(
    {
        "industry": [str(i) for i in range(150)],
        "cluster": ["energy" if i < 100 else "other" for i in range(150)],
        "cluster_type": "traded",
    }
)


def _independent(emp_text: pd.DataFrame, defs: pd.DataFrame) -> pd.DataFrame:
    """Employment per region x cluster by exact text matching, computed with a plain merge
    (independent of clusterlab's engines)."""
    merged = emp_text.merge(defs[["industry", "cluster"]], on="industry", how="inner")
    return (
        merged.groupby(["region", "cluster"])["employment"]
        .sum()
        .reset_index()
        .sort_values(["region", "cluster"], ignore_index=True)
    )


def _cells(out: pd.DataFrame) -> pd.DataFrame:
    out = out.astype({"region": str, "cluster": str})
    return (
        out[["region", "cluster", "employment"]]
        .astype({"employment": "int64"})
        .sort_values(["region", "cluster"], ignore_index=True)
    )


def test_integer_codes_in_parquet_lose_nothing(tmp_path):
    # the case: integer codes 0-149 against definitions "0".."149"; the DuckDB path
    # used to left-pad to width 3 so that codes 0-99 never matched (energy LQ 1.0, not 1.503)
    emp = pd.DataFrame(
        {
            "region": np.repeat(["A", "B"], 150),
            "industry": np.tile(np.arange(150), 2),
            "year": 2020,
            "employment": np.arange(300) + 1,
        }
    )
    path = tmp_path / "employment.parquet"
    emp.to_parquet(path)
    expected = _independent(emp.astype({"industry": str}), DEFS_MIXED)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        duck = mapping.aggregate(str(path), to="cluster", definitions=DEFS_MIXED)
    pandas_ = mapping.aggregate(emp, to="cluster", definitions=DEFS_MIXED, engine="pandas")
    pd.testing.assert_frame_equal(_cells(duck), expected)
    pd.testing.assert_frame_equal(_cells(pandas_), expected)
    assert _cells(duck)["employment"].sum() == emp["employment"].sum()  # nothing dropped


def test_io_converts_numeric_codes_as_they_stand_with_a_warning(tmp_path):
    path = tmp_path / "employment.parquet"
    pd.DataFrame(
        {"region": [1, 2], "industry": [10100, 20100], "year": [2020, 2020], "employment": [5, 6]}
    ).to_parquet(path)
    with (
        pytest.warns(DataWarning, match="'industry' holds numbers; converted to text as they"),
        pytest.warns(DataWarning, match="'region' holds numbers"),
    ):
        out = io.read(path)
    assert out["industry"].tolist() == ["10100", "20100"]  # no guessed padding
    assert out["region"].tolist() == ["1", "2"]
    with (
        pytest.warns(DataWarning, match="declared width 6"),
        pytest.warns(DataWarning, match="'region' holds numbers"),
    ):
        out = io.read(path, code_widths={"industry": 6})
    assert out["industry"].tolist() == ["010100", "020100"]


def test_fractional_code_is_an_error(tmp_path):
    path = tmp_path / "employment.parquet"
    pd.DataFrame(
        {
            "region": ["A", "A"],
            "industry": [101.0, 101.5],
            "year": [2020, 2021],
            "employment": [5, 6],
        }
    ).to_parquet(path)
    with pytest.raises(DataValidationError) as err, pytest.warns(DataWarning):
        io.read(path)
    p = err.value.problems
    assert p[["row", "column", "found"]].values.tolist() == [[3, "industry", "101.5"]]


def test_spaces_around_codes_are_stripped_with_a_warning(tmp_path):
    path = tmp_path / "employment.csv"
    path.write_text("region,industry,year,employment\n R1 ,0101 ,2020,5\nR1,0102,2020,6\n")
    with (
        pytest.warns(DataWarning, match=r"1 value\(s\) of column 'region'.*row 2"),
        pytest.warns(DataWarning, match=r"1 value\(s\) of column 'industry'.*row 2"),
    ):
        out = io.read(path)
    assert out["region"].tolist() == ["R1", "R1"]
    assert out["industry"].tolist() == ["0101", "0102"]


def _store(emp: pd.DataFrame, how: str, fmt: str, folder) -> pd.DataFrame:
    """Write ``emp`` with its industry codes stored ``how`` in format ``fmt``; read it back
    through clusterlab.io."""
    frame = emp.copy()
    if how == "int":
        frame["industry"] = frame["industry"].astype(int)
    elif how == "categorical":
        frame["industry"] = frame["industry"].astype("category")
    path = folder / f"employment.{ {'csv': 'csv', 'parquet': 'parquet', 'excel': 'xlsx'}[fmt] }"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "excel":
        frame.to_excel(path, index=False)
    elif how == "dictionary":
        table = pa.Table.from_pandas(frame, preserve_index=False)
        i = table.schema.get_field_index("industry")
        table = table.set_column(i, "industry", table.column(i).dictionary_encode())
        pq.write_table(table, path)
    else:
        frame.to_parquet(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return io.read(path)


@hsettings(max_examples=8, deadline=None)
@given(
    codes=st.lists(st.integers(0, 149), min_size=1, max_size=20),
    how=st.sampled_from(["str", "int", "categorical", "dictionary"]),
    fmt=st.sampled_from(["csv", "parquet", "excel"]),
)
def test_engines_agree_for_every_storage_of_the_codes(tmp_path_factory, codes, how, fmt):
    import dask.dataframe as dd

    if how == "dictionary" and fmt != "parquet":
        fmt = "parquet"
    emp = pd.DataFrame(
        {
            "region": [f"R{i % 3}" for i in range(len(codes))],
            "industry": [str(c) for c in codes],
            "year": 2020,
            "employment": [10 + i for i in range(len(codes))],
        }
    )
    emp = emp.drop_duplicates(["region", "industry", "year"], ignore_index=True)
    table = _store(emp, how, fmt, tmp_path_factory.mktemp("emp"))
    assert table["industry"].tolist() == emp["industry"].tolist()  # text, as written
    expected = _independent(emp, DEFS_MIXED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = {
            "pandas": mapping.aggregate(
                table, to="cluster", definitions=DEFS_MIXED, engine="pandas"
            ),
            "duckdb": mapping.aggregate(
                table, to="cluster", definitions=DEFS_MIXED, engine="duckdb"
            ),
            "dask": mapping.aggregate(
                dd.from_pandas(table, npartitions=2), to="cluster", definitions=DEFS_MIXED
            ),
            "duckdb-raw-ints": mapping.aggregate(
                emp.astype({"industry": int}), to="cluster", definitions=DEFS_MIXED, engine="duckdb"
            ),
            "dask-raw-ints": mapping.aggregate(
                dd.from_pandas(emp.astype({"industry": int}), npartitions=2),
                to="cluster",
                definitions=DEFS_MIXED,
            ),
        }
    for name, out in results.items():
        pd.testing.assert_frame_equal(_cells(out), expected, obj=name)


def test_propensity_warnings_name_the_callers_line():
    # issue 13: warnings of compare.match / compare.weight pointed at compare/propensity.py
    from clusterlab import compare
    from clusterlab.datasets import load_demo

    panel = load_demo("firm_panel")
    firms = panel[(panel["initiative"] == "northport_maritime") & (panel["period"] == 2015)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compare.weight(
            firms.assign(age2=firms["firm_age"] * 0),  # a constant covariate
            group="member",
            covariates=["firm_age", "age2"],
        )
    messages = [str(w.message) for w in caught]
    assert any("constant covariates" in m for m in messages), messages
    assert any(m.startswith("overlap:") for m in messages), messages  # was reported from 'sys'
    assert all(w.filename == __file__ for w in caught), [w.filename for w in caught]


def test_numeric_industry_codes_that_lose_employment_stop_validate(tmp_path):
    # issue 13: an integer-coded employment file silently lost 59.6 % of employment; now
    # validate names the problem, and a declared width makes the file usable
    from clusterlab.params import check_parameter_file

    emp = pd.read_csv(ROOT_DATASETS / "employment.csv", dtype=str)
    emp.astype({"industry": int}).to_parquet(tmp_path / "employment.parquet")
    (tmp_path / "p.yaml").write_text(
        "cluster: northport_maritime\nanalyses: [mapping]\nemployment_file: employment.parquet\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check = check_parameter_file(tmp_path / "p.yaml")
    assert check.analyses.set_index("analysis").loc["mapping", "status"] == "invalid"
    assert "code_widths" in check.problems["expected"].iloc[0]
    # share of employment in industries whose 6-digit code starts with 0, computed directly
    lost = (
        emp.loc[emp["industry"].str.startswith("0"), "employment"].astype(float).sum()
        / emp["employment"].astype(float).sum()
    )
    assert f"{lost:.1%}" in check.problems["found"].iloc[0]
    (tmp_path / "p.yaml").write_text(
        "cluster: northport_maritime\nanalyses: [mapping]\n"
        "employment_file: employment.parquet\n"
        "code_widths: {industry: 6}\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check = check_parameter_file(tmp_path / "p.yaml")
    assert check.problems.empty and check.analyses["status"].tolist() == ["ready"]
