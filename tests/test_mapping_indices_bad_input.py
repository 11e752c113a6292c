"""Bad input to shift_share, specialisation, concentration, relatedness and relatedness_density:
our DataValidationError / ParameterError naming rows and columns, or a DataWarning — never a
pandas traceback or a silent NaN."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.mapping import (
    concentration,
    relatedness,
    relatedness_density,
    shift_share,
    specialisation,
)

INDEX_FUNCS = [specialisation, concentration, relatedness, relatedness_density]


def _emp():
    return pd.DataFrame(
        {
            "year": [2020] * 9,
            "region": list("aaabbbccc"),
            "cluster": list("xyzxyzxyz"),
            "employment": [10, 20, 5, 30, 5, 10, 7, 7, 7],
        }
    )


def _panel():
    e = _emp()
    return pd.concat([e, e.assign(year=2021, employment=e["employment"] + 1)], ignore_index=True)


def _call(func, df, **kw):
    if func is shift_share:
        return func(df, start=2020, end=2021, **kw)
    return func(df, **kw)


ALL_FUNCS = [*INDEX_FUNCS, shift_share]


def _data_for(func):
    return _panel() if func is shift_share else _emp()


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_negative_value_names_row(func):
    df = _data_for(func)
    df.loc[2, "employment"] = -3
    with pytest.raises(DataValidationError) as exc:
        _call(func, df)
    p = exc.value.problems
    assert p.loc[0, "row"] == 2 and p.loc[0, "column"] == "employment"
    assert p.loc[0, "expected"] == ">= 0" and p.loc[0, "found"] == "-3"


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_non_numeric_value(func):
    df = _data_for(func)
    df["employment"] = df["employment"].astype(str)
    df.loc[1, "employment"] = "n/a"
    with pytest.raises(DataValidationError) as exc:
        _call(func, df)
    assert exc.value.problems.loc[0, "expected"] == "numeric"


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_missing_value_names_row(func):
    df = _data_for(func).astype({"employment": float})
    df.loc[4, "employment"] = np.nan
    with pytest.raises(DataValidationError) as exc:
        _call(func, df)
    p = exc.value.problems
    assert (p["row"] == 4).any() and (p["found"] == "missing").any()


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_infinite_value(func):
    df = _data_for(func).astype({"employment": float})
    df.loc[0, "employment"] = np.inf
    with pytest.raises(DataValidationError) as exc:
        _call(func, df)
    assert exc.value.problems.loc[0, "row"] == 0


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_duplicated_keys_name_rows(func):
    df = _data_for(func)
    df = pd.concat([df, df.iloc[[1]]], ignore_index=True)
    with pytest.raises(DataValidationError) as exc:
        _call(func, df)
    p = exc.value.problems
    assert p.loc[0, "row"] == len(df) - 1 and p.loc[0, "expected"] == "unique key"
    assert "region=a" in p.loc[0, "found"]


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_missing_column_lists_available(func):
    df = _data_for(func).rename(columns={"cluster": "industry"})
    with pytest.raises(DataValidationError) as exc:
        _call(func, df)
    p = exc.value.problems
    assert p.loc[0, "column"] == "cluster" and "industry" in p.loc[0, "found"]
    # and the same table works once the category column is named
    _call(func, df, category="industry")


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_not_a_dataframe(func):
    with pytest.raises(DataValidationError, match="DataFrame"):
        _call(func, [[1, 2], [3, 4]])


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_boolean_value_column(func):
    df = _data_for(func)
    df["employment"] = df["employment"] > 8
    with pytest.raises(DataValidationError, match="boolean"):
        _call(func, df)


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_caller_frame_not_mutated(func):
    df = _data_for(func)
    before = df.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # clean data: no warning either
        _call(func, df)
    pd.testing.assert_frame_equal(df, before)


def test_missing_key_value():
    df = _emp()
    df.loc[3, "region"] = None
    with pytest.raises(DataValidationError) as exc:
        specialisation(df)
    assert exc.value.problems.loc[0, "row"] == 3
    assert exc.value.problems.loc[0, "column"] == "region"


def test_missing_by_column_is_named():
    with pytest.raises(DataValidationError) as exc:
        specialisation(_emp().drop(columns="year"))
    assert exc.value.problems.loc[0, "column"] == "year"
    assert len(specialisation(_emp().drop(columns="year"), by=())) == 3


# ----------------------------------------------------------------------------- empty units


def test_all_zero_region_warns_and_is_nan_only_there():
    df = _emp()
    df.loc[df["region"] == "c", "employment"] = 0
    with pytest.warns(DataWarning, match=r"c \(year=2020\)"):
        s = specialisation(df).set_index("region")
    assert s.loc["c"].drop(["year", "total", "n_categories", "diversity"]).isna().all()
    assert s.loc["c", "total"] == 0 and s.loc["c", "diversity"] == 0
    assert not s.loc[["a", "b"]].isna().any().any()
    # an empty region changes no other region's indices
    ref = specialisation(df[df["region"] != "c"]).set_index("region")
    pd.testing.assert_frame_equal(s.loc[["a", "b"]], ref, check_dtype=False)
    # employment-weighted concentration ignores it (zero weight), without a warning; the
    # equal-weight Gini counts it as a region with none of the category (as EconGeo's Gini)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = concentration(df)
    weighted = ["total", "ubiquity", "locational_gini", "hoover_index", "hoover_gini"]
    pd.testing.assert_frame_equal(c[weighted], concentration(df[df["region"] != "c"])[weighted])
    assert (c["gini"] > concentration(df[df["region"] != "c"])["gini"]).all()


def test_all_zero_category_warns():
    df = _emp()
    df.loc[df["cluster"] == "y", "employment"] = 0
    with pytest.warns(DataWarning, match=r"y \(year=2020\)"):
        c = concentration(df).set_index("cluster")
    assert c.loc["y", ["gini", "locational_gini", "hoover_index", "hoover_gini"]].isna().all()
    assert c.loc["y", "ubiquity"] == 0
    assert not c.loc["x"].isna().any()
    with pytest.warns(DataWarning, match="present in no region"):
        rel = relatedness(df)
    assert (rel["relatedness"] == 0).all() and not rel.isna().any().any()
    with (
        pytest.warns(DataWarning, match="related to no other"),
        pytest.warns(DataWarning, match="present in no region"),
    ):
        rd = relatedness_density(df)
    assert rd["relatedness_density"].isna().all()


def test_single_category_normalised_herfindahl_is_nan():
    df = _emp()[lambda d: d["cluster"] == "x"]
    s = specialisation(df)
    assert s["herfindahl_normalised"].isna().all() and (s["herfindahl"] == 1).all()


def test_wide_matrix_duplicated_labels():
    w = pd.DataFrame([[1, 2], [3, 4]], index=["a", "a"], columns=["x", "y"])
    with pytest.raises(DataValidationError, match="duplicated region"):
        specialisation(w)
    w = pd.DataFrame([[1, 2], [3, 4]], index=["a", "b"], columns=["x", "x"])
    with pytest.raises(DataValidationError, match="duplicated category"):
        concentration(w)
    w = pd.DataFrame([[1, -2], [3, 4]], index=["a", "b"], columns=["x", "y"])
    with pytest.raises(DataValidationError) as exc:
        specialisation(w)
    assert exc.value.problems.loc[0, "row"] == 1  # long row of (a, y), 0-based


# ----------------------------------------------------------------------------- parameters


def test_benchmark_missing_category():
    bench = pd.DataFrame({"cluster": ["x"], "employment": [100]})
    with pytest.raises(DataValidationError, match="no benchmark total") as exc:
        specialisation(_emp(), benchmark=bench)
    assert "missing y" in exc.value.problems.loc[0, "found"]


def test_benchmark_changes_reference_shares():
    bench = pd.DataFrame({"cluster": ["x", "y", "z"], "employment": [50, 50, 50]})
    s = specialisation(_emp(), benchmark=bench).set_index("region")
    assert s.loc["c", "krugman"] == pytest.approx(0)
    assert s.loc["c", "hachman"] == pytest.approx(1)


def test_population_problems():
    pop = pd.Series({"a": 1.0, "b": 2.0})
    with pytest.raises(DataValidationError, match="no value for 1 region"):
        concentration(_emp(), population=pop)
    pop = pd.Series({"a": 1.0, "b": -2.0, "c": 1.0})
    with pytest.raises(DataValidationError) as exc:
        concentration(_emp(), population=pop)
    assert exc.value.problems.loc[0, "expected"] == ">= 0"
    eq = concentration(_emp(), population="equal")
    assert eq["hoover_index"].between(0, 100).all()


def test_relatedness_parameters():
    with pytest.raises(ParameterError, match="method"):
        relatedness(_emp(), method="pearson")
    with pytest.raises(ParameterError, match="presence"):
        relatedness(_emp(), presence="lq")
    a = relatedness(_emp(), method="prob")
    b = relatedness(_emp(), method="PROBABILITY".lower())
    pd.testing.assert_frame_equal(a, b)


def test_relatedness_table_problems():
    bad = pd.DataFrame({"source": ["x"], "target": ["y"]})
    with pytest.raises(DataValidationError) as exc:
        relatedness_density(_emp(), bad)
    assert exc.value.problems.loc[0, "column"] == "relatedness"
    neg = pd.DataFrame({"source": ["x"], "target": ["y"], "relatedness": [-1.0]})
    with pytest.raises(ParameterError, match=">= 0"):
        relatedness_density(_emp(), neg)
    dup = pd.DataFrame({"source": ["x", "x"], "target": ["y", "y"], "relatedness": [1.0, 2.0]})
    with pytest.raises(DataValidationError, match="problem"):
        relatedness_density(_emp(), dup)


def test_relatedness_table_with_extra_categories():
    """A national relatedness table covers categories the regions lack: they count as absent
    (EconGeo sums relatedness over all columns of the relatedness matrix)."""
    rel = pd.DataFrame(
        {
            "source": ["x", "y", "w", "x", "w", "y"],
            "target": ["y", "x", "x", "w", "y", "w"],
            "relatedness": [1.0, 1.0, 3.0, 3.0, 1.0, 1.0],
        }
    )
    with pytest.warns(DataWarning, match=r"z \(year=2020\)"):
        rd = relatedness_density(_emp(), rel, presence="positive")
    rd = rd.set_index(["region", "cluster"])
    assert rd.loc[("a", "x"), "relatedness_density"] == pytest.approx(100 * 1 / 4)
    assert rd.loc[("a", "w"), "relatedness_density"] == pytest.approx(100)
    assert rd.loc[("a", "w"), "present"] == 0
    assert np.isnan(rd.loc[("a", "z"), "relatedness_density"])  # z: in no relatedness pair


def test_shift_share_parameters():
    with pytest.raises(ParameterError, match="2019"):
        shift_share(_panel(), start=2019, end=2021)
    with pytest.raises(ParameterError, match="before"):
        shift_share(_panel(), start=2021, end=2020)
    with pytest.raises(ParameterError, match="method"):
        shift_share(_panel(), start=2020, end=2021, method="annual")
    with pytest.raises(ParameterError, match="time column"):
        shift_share(_panel(), start=2020, end=2021, by=("year",))


def test_shift_share_zero_national_total():
    df = _panel()
    df.loc[df["year"] == 2020, "employment"] = 0
    with pytest.raises(DataValidationError, match="national growth is undefined"):
        shift_share(df, start=2020, end=2021)


def test_shift_share_benchmark_problems():
    nat = pd.DataFrame({"year": [2020, 2021], "cluster": ["x", "x"], "employment": [100, 110]})
    with pytest.raises(DataValidationError, match="no total for") as exc:
        shift_share(_panel(), start=2020, end=2021, benchmark=nat)
    assert "cluster=y" in exc.value.problems.loc[0, "found"]
    nat = pd.DataFrame({"year": [2020, 2020], "cluster": ["x", "y"], "employment": [100, 110]})
    with pytest.raises(DataValidationError, match="no rows for year 2021"):
        shift_share(_panel(), start=2020, end=2021, benchmark=nat)
    nat = pd.DataFrame(
        {
            "year": [2020] * 3 + [2021] * 3,
            "cluster": list("xyzxyz"),
            "employment": [100, 0, 100, 110, 10, 100],
        }
    )
    with pytest.raises(DataValidationError, match="where the benchmark has none"):
        shift_share(_panel(), start=2020, end=2021, benchmark=nat)
