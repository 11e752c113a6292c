"""clusterlab.mapping core: hand-computed values, bad input, the demo chain end to end."""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from clusterlab import mapping
from clusterlab.datasets import load_demo
from clusterlab.errors import DataValidationError, DataWarning, ParameterError, UnmappedWarning


@pytest.fixture
def cells():
    return pd.DataFrame(
        {
            "region": ["a", "a", "a", "b", "b", "b"],
            "cluster": ["x", "y", "z", "x", "y", "z"],
            "cluster_type": ["traded", "traded", "local"] * 2,
            "year": 2016,
            "employment": [30, 10, 60, 10, 30, 60],
            "establishments": [3, 1, 6, 1, 3, 6],
        }
    )


# ------------------------------------------------------------------------------- LQ
def test_lq_by_hand_all_categories(cells):
    out = mapping.location_quotients(cells)
    # a, x: (30/100) / (40/200) = 1.5
    assert out.loc[0, "lq"] == pytest.approx(1.5)
    assert out.loc[0, "share_region"] == pytest.approx(0.3)
    assert out.loc[0, "share_benchmark"] == pytest.approx(0.2)
    assert list(out.columns[:6]) == list(cells.columns)


def test_lq_within_cluster_type_uses_traded_totals(cells):
    out = mapping.location_quotients(cells, within="cluster_type")
    # a, x: (30/40) / (40/80) = 1.5; local z: (60/60) / (120/120) = 1
    assert out.loc[0, "share_region"] == pytest.approx(0.75)
    assert out.loc[0, "lq"] == pytest.approx(1.5)
    assert out.loc[2, "lq"] == pytest.approx(1.0)


def test_lq_benchmark_replaces_the_sum_of_regions(cells):
    bench = pd.DataFrame({"cluster": ["x", "y", "z", "w"], "employment": [100, 300, 500, 100]})
    out = mapping.location_quotients(cells, benchmark=bench)
    # a, x: (30/100) / (100/1000): the benchmark total includes w, absent from the table
    assert out.loc[0, "lq"] == pytest.approx(3.0)


def test_lq_benchmark_by_year_and_missing_category(cells):
    bench = pd.DataFrame({"cluster": ["x", "y"], "year": 2016, "employment": [1, 1]})
    with pytest.raises(DataValidationError, match="missing from the benchmark"):
        mapping.location_quotients(cells, benchmark=bench)


def test_lq_does_not_mutate_and_keeps_index(cells):
    before = cells.copy()
    shuffled = cells.sample(frac=1, random_state=1)
    out = mapping.location_quotients(shuffled)
    pd.testing.assert_frame_equal(cells, before)
    assert out.index.equals(shuffled.index)


def test_lq_negative_employment_names_row(cells):
    bad = cells.assign(employment=[30, -1, 60, 10, 30, 60])
    with pytest.raises(DataValidationError) as err:
        mapping.location_quotients(bad)
    assert err.value.problems.loc[0, "row"] == 1  # 0-based position of a DataFrame row
    assert err.value.problems.loc[0, "expected"] == ">= 0"


def test_lq_non_numeric_employment_names_value(cells):
    bad = cells.astype({"employment": object})
    bad.loc[3, "employment"] = "n/a"
    with pytest.raises(DataValidationError) as err:
        mapping.location_quotients(bad)
    assert err.value.problems.loc[0, "row"] == 3
    assert "n/a" in err.value.problems.loc[0, "found"]


def test_lq_duplicated_keys(cells):
    bad = pd.concat([cells, cells.iloc[[1]]], ignore_index=True)
    with pytest.raises(DataValidationError) as err:
        mapping.location_quotients(bad)
    assert err.value.problems.loc[0, "row"] == 6
    assert "duplicate" in err.value.problems.loc[0, "found"]


def test_lq_duplicated_region_industry_year(cells):
    detailed = cells.rename(columns={"cluster": "industry"})
    bad = pd.concat([detailed, detailed.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValidationError, match="problem"):
        mapping.location_quotients(bad, category="industry")


def test_lq_all_zero_region_warns_naming_it(cells):
    zero = pd.concat(
        [
            cells,
            pd.DataFrame(
                {
                    "region": ["c"] * 3,
                    "cluster": ["x", "y", "z"],
                    "cluster_type": ["traded", "traded", "local"],
                    "year": 2016,
                    "employment": 0,
                    "establishments": 0,
                }
            ),
        ],
        ignore_index=True,
    )
    with pytest.warns(DataWarning, match="region=c"):
        out = mapping.location_quotients(zero)
    assert out.loc[out["region"] == "c", "lq"].isna().all()
    assert out.loc[out["region"] != "c", "lq"].notna().all()
    with pytest.raises(DataValidationError, match="region=c"):
        mapping.location_quotients(zero, on_zero="raise")


def test_lq_missing_column_and_bad_parameter(cells):
    with pytest.raises(DataValidationError, match="employment"):
        mapping.location_quotients(cells.drop(columns="employment"))
    with pytest.raises(ParameterError):
        mapping.location_quotients(cells, on_zero="ignore")


def test_lq_category_in_two_cluster_types_is_an_error(cells):
    bad = cells.assign(cluster_type=["traded", "traded", "local", "local", "traded", "local"])
    with pytest.raises(DataValidationError, match="more than one cluster_type"):
        mapping.location_quotients(bad, within="cluster_type")


# ----------------------------------------------------------------------------- strong
def test_strong_local_clusters_are_na(cells):
    out = mapping.strong_clusters(mapping.location_quotients(cells, within="cluster_type"))
    assert out.loc[out["cluster_type"] == "local", "strong"].isna().all()
    assert out.loc[out["cluster_type"] == "traded", "strong"].notna().all()
    assert str(out["strong"].dtype) == "boolean"


def test_strong_requires_establishments_unless_dropped(cells):
    lq = mapping.location_quotients(cells).drop(columns="establishments")
    with pytest.raises(DataValidationError, match="establishments"):
        mapping.strong_clusters(lq)
    out = mapping.strong_clusters(lq, establishments=None)
    assert set(out.columns) >= {"qualifying", "significant", "strong", "strong10"}


def test_strong_rule_and_region_type_errors(cells):
    lq = mapping.location_quotients(cells)
    with pytest.raises(ParameterError):
        mapping.strong_clusters(lq, rule="eco")
    with pytest.raises(ParameterError, match="region_type"):
        mapping.strong_clusters(lq, region_type="level")


def test_strong_thresholds_by_region_type():
    """Quantiles are taken within each region type: the same numbers in two types give the
    same flags."""
    one = pd.DataFrame(
        {
            "region": list("abcdefgh"),
            "cluster": "x",
            "year": 1,
            "employment": [5, 50, 500, 80, 90, 700, 10, 300],
            "establishments": [1, 5, 20, 8, 9, 30, 2, 12],
            "lq": [0.2, 0.9, 2.0, 1.1, 1.3, 3.0, 0.5, 1.0],
        }
    )
    two = pd.concat(
        [
            one.assign(region_type="state"),
            one.assign(region_type="msa", region=one["region"] + "m"),
        ],
        ignore_index=True,
    )
    out = mapping.strong_clusters(two)
    states = out[out["region_type"] == "state"]
    msas = out[out["region_type"] == "msa"]
    assert (states["strong"].to_numpy() == msas["strong"].to_numpy()).all()
    # by hand: Q75(lq) over 8 values = 1.475 (type 7), Q25(emp) = 40, Q25(est) = 4.25
    assert states.loc[states["strong"].fillna(False), "region"].tolist() == ["c", "f"]


def test_strong_zero_employment_rows_are_false_and_excluded():
    t = pd.DataFrame(
        {
            "region": list("abcde"),
            "cluster": "x",
            "year": 1,
            "employment": [0, 100, 200, 300, 400],
            "establishments": [0, 10, 20, 30, 40],
            "lq": [np.nan, 1.0, 2.0, 3.0, 4.0],
        }
    )
    out = mapping.strong_clusters(t)
    assert out.loc[0, "strong"] is False or not out.loc[0, "strong"]
    # over the 4 positive regions Q75(lq) = 3.25: only e is strong
    assert out["strong"].tolist() == [False, False, False, False, True]
    with pytest.raises(DataValidationError, match="have no lq"):
        mapping.strong_clusters(t.assign(lq=[np.nan, np.nan, 2.0, 3.0, 4.0]))


# -------------------------------------------------------------------------- suppressed
def test_midpoints_table_is_cmp():
    assert mapping.CMP_MIDPOINTS == {
        "A": 10,
        "B": 60,
        "C": 175,
        "E": 375,
        "F": 750,
        "G": 1750,
        "H": 3750,
        "I": 7500,
        "J": 17500,
        "K": 37500,
        "L": 75000,
        "M": 100000,
    }


def test_impute_lower_bound_overrides_and_unknown_flag():
    emp = pd.DataFrame(
        {
            "region": ["a", "b", "c"],
            "industry": "111",
            "year": 2010,
            "employment": [0, 0, 5],
            "emp_flag": ["C", "G", ""],
        }
    )
    low = mapping.impute_suppressed(emp, method="lower")
    assert low["employment"].tolist() == [100, 1000, 5]
    over = pd.DataFrame({"region": ["b", "c"], "employment": [1234, 99]})
    with pytest.warns(DataWarning, match="not suppressed"):
        out = mapping.impute_suppressed(emp, overrides=over)
    assert out["employment"].tolist() == [175, 1234, 5]
    assert out["imputed_by"].tolist()[:2] == ["midpoint", "override"]
    bad = emp.assign(emp_flag=["C", "X", None])
    with pytest.raises(DataValidationError) as err:
        mapping.impute_suppressed(bad)
    assert err.value.problems.loc[0, "row"] == 1


def test_impute_noise_flags_after_2016():
    emp = pd.DataFrame(
        {
            "region": ["a", "b", "c", "d"],
            "industry": "111",
            "year": 2019,
            "employment": [100, 300, 0, 0],
            "establishments": [10, 20, 5, 1],
            "emp_flag": ["G", "H", "D", "S"],
        }
    )
    out = mapping.impute_suppressed(emp)
    # G/H published (kept); D/S: establishments x (400 / 30) employees per establishment
    assert out["employment"].tolist() == [100, 300, round(5 * 400 / 30), round(400 / 30)]
    assert out["imputed"].tolist() == [False, False, True, True]
    assert (out["imputed_by"].iloc[2:] == "establishment_size").all()
    # the same letters before 2017 are size classes G/H
    old = mapping.impute_suppressed(emp.assign(year=2015, employment=0).iloc[:2])
    assert old["employment"].tolist() == [1750, 3750]
    with pytest.raises(DataValidationError, match="establishments"):
        mapping.impute_suppressed(emp.drop(columns="establishments"))


def test_impute_negative_or_text_employment():
    emp = pd.DataFrame(
        {
            "region": ["a", "b"],
            "industry": "1",
            "year": 2010,
            "employment": [-3, 0],
            "emp_flag": [None, "A"],
        }
    )
    with pytest.raises(DataValidationError) as err:
        mapping.impute_suppressed(emp)
    assert err.value.problems.loc[0, "row"] == 0


# ------------------------------------------------------------------------- definitions
def test_assign_clusters_numeric_codes_keep_leading_zeros():
    defs = load_demo("definitions")
    emp = pd.DataFrame({"region": "a", "industry": [10100, 20100], "employment": [1, 2]})
    with pytest.warns(DataWarning, match="zero-padded"):
        out = mapping.assign_clusters(emp, defs)
    assert out["industry"].tolist() == ["010100", "020100"]
    assert out["cluster"].notna().all()


def test_assign_clusters_unmapped_share_and_names():
    defs = load_demo("definitions")
    emp = pd.DataFrame(
        {"region": "a", "industry": ["010100", "999999", "999998"], "employment": [75, 20, 5]}
    )
    with pytest.warns(UnmappedWarning, match=r"25\.0% of employment.*999999, 999998"):
        out = mapping.assign_clusters(emp, defs)
    assert len(out) == 1
    assert "unmapped" not in out.attrs  # a table in attrs breaks pandas.concat and merge
    table = mapping.unmapped_industries(emp, defs)
    assert table.to_dict("list") == {
        "industry": ["999999", "999998"],
        "rows": [1, 1],
        "employment": [20.0, 5.0],
    }
    # two mapped tables (e.g. two years) concatenate and merge
    both = pd.concat([out, out.assign(region="b")], ignore_index=True)
    assert both["region"].tolist() == ["a", "b"]
    assert len(out.merge(out, on=["region", "industry"])) == 1
    assert mapping.unmapped_industries(emp.iloc[[0]], defs).empty
    numeric = pd.DataFrame({"industry": [10100, 999999], "employment": [1, 2]})
    with pytest.warns(DataWarning, match="zero-padded"):  # matched as assign_clusters does
        assert mapping.unmapped_industries(numeric, defs)["industry"].tolist() == ["999999"]
    with pytest.warns(UnmappedWarning):
        kept = mapping.assign_clusters(emp, defs, unmapped="keep")
    assert kept["cluster"].isna().sum() == 2
    with pytest.raises(DataValidationError, match="no cluster"):
        mapping.assign_clusters(emp, defs, unmapped="raise")


def test_assign_clusters_bad_definitions():
    emp = pd.DataFrame({"region": "a", "industry": ["1"], "employment": [1]})
    dup = pd.DataFrame(
        {"industry": ["1", "1"], "cluster": ["x", "y"], "cluster_type": ["traded", "traded"]}
    )
    with pytest.raises(DataValidationError, match="more than once"):
        mapping.assign_clusters(emp, dup)
    typ = pd.DataFrame({"industry": ["1"], "cluster": ["x"], "cluster_type": ["export"]})
    with pytest.raises(DataValidationError, match="traded"):
        mapping.assign_clusters(emp, typ)


# --------------------------------------------------------------------------- aggregate
REGIONS = pd.DataFrame(
    {
        "region": ["c1", "c2", "c3", "m1", "s1", "s2"],
        "region_type": ["county", "county", "county", "msa", "state", "state"],
        "parent": ["s1", "s1", "s2", "s1", None, None],
    }
)


def test_aggregate_multiple_parents_counted_once():
    regions = pd.concat(
        [
            REGIONS,
            pd.DataFrame({"region": ["c1", "c2"], "region_type": "county", "parent": ["m1", "m1"]}),
        ]
    )
    emp = pd.DataFrame(
        {"region": ["c1", "c2", "c3"], "cluster": "x", "year": 1, "employment": [1, 2, 4]}
    )
    out = mapping.aggregate(emp, to="cluster", regions=regions).set_index("region")
    # c1 reaches s1 directly and via m1: counted once
    assert out.loc["s1", "employment"] == 3
    assert out.loc["m1", "employment"] == 3
    assert out.loc["s2", "employment"] == 4
    assert out["region_type"].tolist()[:3] == ["county"] * 3


def test_aggregate_region_missing_from_hierarchy():
    emp = pd.DataFrame({"region": ["c1", "zz"], "cluster": "x", "year": 1, "employment": [1, 2]})
    with pytest.raises(DataValidationError, match="missing from the regions") as err:
        mapping.aggregate(emp, to="cluster", regions=REGIONS)
    assert err.value.problems["found"].tolist() == ["zz"]


def test_aggregate_mixed_levels_and_cycles():
    emp = pd.DataFrame({"region": ["c1", "s1"], "cluster": "x", "year": 1, "employment": [1, 2]})
    with pytest.raises(DataValidationError, match="counted twice"):
        mapping.aggregate(emp, to="cluster", regions=REGIONS)
    cyc = pd.DataFrame({"region": ["a", "b"], "region_type": "x", "parent": ["b", "a"]})
    with pytest.raises(DataValidationError, match="cycle"):
        mapping.aggregate(emp.assign(region="a"), to="cluster", regions=cyc)


def test_aggregate_negative_and_text(cells):
    with pytest.raises(DataValidationError):
        mapping.aggregate(cells.assign(employment=-cells["employment"]), to="cluster")
    with pytest.raises(DataValidationError):
        mapping.aggregate(cells.astype({"employment": str}), to="cluster")


def test_aggregate_engines_agree(tmp_path):
    emp = mapping.impute_suppressed(load_demo("employment"))
    defs, regions = load_demo("definitions"), load_demo("regions")
    ref = mapping.aggregate(emp, to="cluster", regions=regions, definitions=defs)
    path = tmp_path / "emp.parquet"
    emp.to_parquet(path)
    for source in (
        str(path),
        str(tmp_path / "*.parquet"),
        tmp_path,
        [path],
        duckdb.sql(f"SELECT * FROM read_parquet('{path}')"),
    ):
        out = mapping.aggregate(source, to="cluster", regions=regions, definitions=defs)
        assert (
            out[["region", "cluster", "year"]]
            .astype(str)
            .equals(ref[["region", "cluster", "year"]].astype(str))
        )
        assert (out["employment"].to_numpy() == ref["employment"].to_numpy()).all()
        assert (out["payroll"].to_numpy() == ref["payroll"].to_numpy()).all()
    duck = mapping.aggregate(emp, to="cluster", definitions=defs, engine="duckdb")
    assert duck["employment"].sum() == emp["employment"].sum()


def test_aggregate_parquet_negative_and_unmapped(tmp_path):
    emp = pd.DataFrame(
        {"region": ["a", "a"], "industry": ["010100", "999999"], "year": 1, "employment": [5, 3]}
    )
    emp.to_parquet(tmp_path / "e.parquet")
    with pytest.warns(UnmappedWarning, match="37.5%"):
        out = mapping.aggregate(
            tmp_path / "e.parquet", to="cluster", definitions=load_demo("definitions")
        )
    assert out["employment"].tolist() == [5]
    emp.assign(employment=[5, -3]).to_parquet(tmp_path / "e.parquet")
    with pytest.raises(DataValidationError, match="negative"):
        mapping.aggregate(
            tmp_path / "e.parquet", to="cluster", definitions=load_demo("definitions")
        )
    with pytest.raises(DataValidationError, match="no such file"):
        mapping.aggregate(tmp_path / "nothing.parquet", to="cluster")


def test_aggregate_bench_adapter_gives_the_same_totals_as_pandas(tmp_path, monkeypatch):
    """benchmarks/aggregate_bench.py calls mapping.aggregate through an adapter: on a small
    panel of its own generator, every engine's region x cluster x year totals equal an
    independent pandas merge (so the benchmark times the right computation)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "aggregate_bench.py"
    monkeypatch.syspath_prepend(str(path.parent))  # the script imports its _worker helper
    spec = importlib.util.spec_from_file_location("aggregate_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    panel, defs = bench.write_panel(tmp_path, rows=5_000, seed=1)
    raw = pd.read_parquet(panel).astype({"region": str, "industry": str})
    want = (
        raw.merge(pd.read_parquet(defs), on="industry")
        .groupby(["region", "cluster", "year"])["employment"]
        .sum()
    )
    for engine in ("duckdb", "dask"):
        out = bench._clusterlab(str(panel / "*.parquet"), str(defs), engine)
        got = (
            out.astype({"region": str, "cluster": str})
            .groupby(["region", "cluster", "year"])["employment"]
            .sum()
        )
        pd.testing.assert_series_equal(
            got.sort_index(), want.sort_index(), check_dtype=False, check_names=False
        )


# ---------------------------------------------------------------------------- stars
def test_star_ratings_thresholds():
    t = pd.DataFrame(
        {
            "region": [f"r{i}" for i in range(10)],
            "cluster": "x",
            "employment": [1000, 100, 90, 80, 70, 60, 50, 40, 30, 20],
            "total": [2000] + [10_000] * 9,
        }
    )
    out = mapping.star_ratings(t, by=(), region_total="total")
    assert out["size_star"].tolist() == [True] + [False] * 9  # top 10 % of 10 regions
    assert out.loc[0, "focus"] == pytest.approx(0.5)
    assert out["focus_star"].tolist() == [True] + [False] * 9
    assert out["stars"].iloc[0] == 2 + int(out["specialisation_star"].iloc[0])
    with pytest.raises(ParameterError):
        mapping.star_ratings(t, by=(), size_top=0)


# ------------------------------------------------------------------ demo end to end
def test_demo_chain_end_to_end():
    emp = load_demo("employment")
    defs, regions = load_demo("definitions"), load_demo("regions")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the demo maps cleanly: no warning expected
        filled = mapping.impute_suppressed(emp)
        mapped = mapping.assign_clusters(filled, defs)
        cells = mapping.aggregate(mapped, to="cluster", regions=regions)
        lq = mapping.location_quotients(cells, within="cluster_type", by=("region_type", "year"))
        flags = mapping.strong_clusters(lq)
        stars = mapping.star_ratings(cells[cells["region_type"] == "district"])
    assert filled["imputed"].sum() == emp["emp_flag"].notna().sum()
    assert (filled.loc[filled["imputed"], "employment"] > 0).all()
    for _, level in cells.groupby("region_type"):
        assert level["employment"].sum() == filled["employment"].sum()
    assert set(flags["region_type"]) == {"district", "province"}
    traded = flags[flags["cluster_type"] == "traded"]
    assert traded["strong"].notna().all() and traded["strong"].any()
    assert flags.loc[flags["cluster_type"] == "local", "strong"].isna().all()
    # the initiatives sit in specialised districts: maritime in Northport (D01)
    d01 = flags[(flags["region"] == "D01") & (flags["cluster"] == "maritime")]
    assert (d01["lq"] > 1).all()
    assert stars["stars"].between(0, 3).all()


def test_aggregate_dask_equals_pandas(tmp_path):
    """Issue #8: a dask.dataframe (partitions across workers) gives the pandas result exactly."""
    import dask.dataframe as dd  # a required dependency (dask[dataframe])

    emp = mapping.impute_suppressed(load_demo("employment"))
    defs, regions = load_demo("definitions"), load_demo("regions")
    ref = mapping.aggregate(emp, to="cluster", regions=regions, definitions=defs)
    emp.to_parquet(tmp_path / "emp.parquet")
    for source in (
        dd.from_pandas(emp, npartitions=4),
        dd.read_parquet(str(tmp_path / "emp.parquet")),
    ):
        out = mapping.aggregate(source, to="cluster", regions=regions, definitions=defs)
        assert (
            out[["region", "cluster", "year"]]
            .astype(str)
            .equals(ref[["region", "cluster", "year"]].astype(str))
        )
        for col in ("employment", "establishments", "payroll"):
            assert (out[col].to_numpy() == ref[col].to_numpy()).all(), col
