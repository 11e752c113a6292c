"""Portfolio views of the cluster map: growth, top clusters, peers, focus of an initiative."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterlab import mapping
from clusterlab.errors import ClusterlabFutureWarning, DataValidationError, ParameterError


def _table():
    rows = []
    emp = {
        ("A", "x"): (100, 150),
        ("A", "y"): (0, 40),
        ("B", "x"): (300, 300),
        ("B", "y"): (50, 25),
        ("P", "x"): (400, 450),
        ("P", "y"): (50, 65),
    }
    for (r, c), (e0, e1) in emp.items():
        for year, e in ((2010, e0), (2015, (e0 + e1) / 2), (2020, e1)):
            rows.append(
                {
                    "region": r,
                    "region_type": "province" if r == "P" else "district",
                    "cluster": c,
                    "cluster_type": "traded",
                    "year": year,
                    "employment": float(e),
                    "lq": 1.0 + e / 1000,
                }
            )
    return pd.DataFrame(rows)


def test_growth_is_the_compound_annual_rate():
    p = mapping.cluster_portfolio(_table()).set_index(["region", "cluster"])
    # (150 / 100) ** (1 / 10) - 1, by hand: 1.5 ** 0.1 = 1.041379...
    assert p.loc[("A", "x"), "growth"] == pytest.approx(0.0413797, abs=1e-7)
    assert p.loc[("A", "x"), "employment_start"] == 100
    assert p.loc[("A", "x"), "start_year"] == 2010 and p.loc[("A", "x"), "year"] == 2020
    assert p.loc[("B", "y"), "growth"] == pytest.approx(0.5**0.1 - 1)
    # a cluster with no employment in the start year is new: no growth rate, not infinity
    assert np.isnan(p.loc[("A", "y"), "growth"])
    assert p.loc[("A", "y"), "employment_change"] == 40


def test_benchmark_growth_is_within_the_region_type():
    p = mapping.cluster_portfolio(_table()).set_index(["region", "cluster"])
    # districts A + B hold 400 -> 450 of cluster x; the province P is its own benchmark
    assert p.loc[("A", "x"), "growth_benchmark"] == pytest.approx((450 / 400) ** 0.1 - 1)
    assert p.loc[("P", "x"), "growth_benchmark"] == pytest.approx(p.loc[("P", "x"), "growth"])
    assert p.loc[("P", "x"), "growth_relative"] == pytest.approx(0.0, abs=1e-15)
    assert p.loc[("A", "x"), "lq_change"] == pytest.approx(0.05)


def test_start_and_end_years():
    p = mapping.cluster_portfolio(_table(), start=2015, end=2020).set_index(["region", "cluster"])
    assert p.loc[("A", "x"), "growth"] == pytest.approx((150 / 125) ** 0.2 - 1)
    with pytest.raises(ParameterError, match="2011"):
        mapping.cluster_portfolio(_table(), start=2011)
    with pytest.raises(ParameterError, match="before"):
        mapping.cluster_portfolio(_table(), start=2020, end=2010)


def test_bad_input_names_the_rows():
    t = _table()
    with pytest.raises(DataValidationError):
        mapping.cluster_portfolio(pd.concat([t, t.iloc[[0]]], ignore_index=True))
    bad = t.assign(employment=t["employment"].where(t.index != 3, -5.0))
    with pytest.raises(DataValidationError) as err:
        mapping.cluster_portfolio(bad)
    assert 3 in set(err.value.problems["row"])  # 0-based position
    with pytest.raises(DataValidationError, match="lq"):
        mapping.cluster_portfolio(t.drop(columns="lq"))


@given(st.floats(0.1, 1e4), st.floats(0.1, 1e4), st.integers(1, 30))
def test_a_region_holding_the_whole_cluster_grows_like_the_cluster(e0, e1, span):
    t = pd.DataFrame(
        {
            "region": "A",
            "cluster": "x",
            "year": [2000, 2000 + span],
            "employment": [e0, e1],
            "lq": 1.0,
        }
    )
    p = mapping.cluster_portfolio(t).iloc[0]
    assert p["growth_relative"] == pytest.approx(0.0, abs=1e-12)
    assert (1 + p["growth"]) ** span * e0 == pytest.approx(e1, rel=1e-9)


def test_top_clusters():
    p = pd.DataFrame(
        {
            "region": ["A"] * 4 + ["B"],
            "cluster": ["w", "x", "y", "z", "x"],
            "employment": [5, 20, 10, 50, 7],
            "cluster_type": ["traded", "traded", "traded", "local", "traded"],
        }
    )
    top = mapping.top_clusters(p, focus="A", n=2)
    assert top["cluster"].tolist() == ["x", "y"] and top["rank"].tolist() == [1, 2]
    assert mapping.top_clusters(p, focus="A", n=1, traded_only=False)["cluster"].tolist() == ["z"]
    both = mapping.top_clusters(p, n=1)
    assert both[["region", "cluster"]].values.tolist() == [["A", "x"], ["B", "x"]]
    with pytest.raises(ParameterError, match="region 'C'"):
        mapping.top_clusters(p, focus="C")
    with pytest.raises(ParameterError, match="positive"):
        mapping.top_clusters(p, n=0)


def test_peer_comparison():
    peers = mapping.peer_comparison(_table(), focus="A", cluster="x")
    # only districts are peers of a district; ranks per year, 1 = highest
    assert set(peers["region"]) == {"A", "B"}
    last = peers[peers["year"] == 2020].set_index("region")
    assert last.loc["B", "rank_employment"] == 1 and last.loc["A", "rank_employment"] == 2
    assert last.loc["A", "focus"] and not last.loc["B", "focus"]
    assert (peers["n_regions"] == 2).all()
    chosen = mapping.peer_comparison(_table(), focus="A", cluster="x", peers=["P"])
    assert set(chosen["region"]) == {"A", "P"}
    with pytest.raises(ParameterError, match="Q"):
        mapping.peer_comparison(_table(), focus="A", cluster="x", peers=["Q"])
    with pytest.raises(ParameterError, match="cluster 'nope'"):
        mapping.peer_comparison(_table(), focus="A", cluster="nope")


def test_resolve_focus():
    ini = pd.DataFrame(
        {"initiative": ["n", "m"], "cluster": ["maritime", None], "region": ["D01", "D02"]}
    )
    assert mapping.resolve_focus(ini, "n") == ("D01", "maritime")
    assert mapping.resolve_focus(ini, "zzz", focus="R", cluster="c") == ("R", "c")
    with pytest.raises(ParameterError, match="mapping_region"):
        mapping.resolve_focus(ini, "zzz")
    with pytest.raises(DataValidationError) as err:
        mapping.resolve_focus(ini, "m")
    assert err.value.problems.loc[0, "row"] == 2


def test_demo_portfolio_end_to_end():
    from clusterlab.datasets import load_demo

    emp = mapping.assign_clusters(
        mapping.impute_suppressed(load_demo("employment")), load_demo("definitions")
    )
    cells = mapping.aggregate(emp, to="cluster", regions=load_demo("regions"))
    lq = mapping.location_quotients(cells, within="cluster_type", by=("year", "region_type"))
    flags = mapping.strong_clusters(lq)
    districts = flags[flags["region_type"] == "district"]
    p = mapping.cluster_portfolio(districts)
    assert len(p) == districts.groupby(["region", "cluster"]).ngroups
    # the growth of each cluster over all districts equals the employment-weighted change
    for _, g in p.groupby("cluster"):
        total0, total1 = g["employment_start"].sum(), g["employment"].sum()
        span = g["year"].iloc[0] - g["start_year"].iloc[0]
        assert g["growth_benchmark"].iloc[0] == pytest.approx((total1 / total0) ** (1 / span) - 1)
    top = mapping.top_clusters(p, focus="D01", n=3)
    assert len(top) == 3 and (top["cluster_type"] == "traded").all()


def test_region_level_checks_what_the_parameter_file_names():
    t = _table()
    assert set(mapping.region_level(t, focus="A")["region"]) == {"A", "B"}
    assert set(mapping.region_level(t, focus="A", region_type="district")["region"]) == {"A", "B"}
    with pytest.raises(ParameterError, match=r"mapping_region: region 'AA'.*did you mean 'A'"):
        mapping.region_level(t, focus="AA")
    with pytest.raises(ParameterError, match="mapping_cluster: cluster 'q'"):
        mapping.region_level(t, focus="A", cluster="q")
    with pytest.raises(ParameterError, match="mapping_region_type"):
        mapping.region_level(t, focus="A", region_type="nation")
    with pytest.raises(ParameterError, match="not of type 'province'"):
        mapping.region_level(t, focus="A", region_type="province")


# ---------------------------------------- region= is a column, focus= a code (issue #19)
def _portfolio():
    return pd.DataFrame(
        {
            "reg": ["A"] * 3 + ["B"],
            "cluster": ["x", "y", "z", "x"],
            "employment": [5, 20, 10, 7],
            "jobs": [50, 2, 10, 70],
            "cluster_type": ["traded"] * 4,
        }
    )


def test_top_clusters_new_names_do_not_warn():
    p = _portfolio()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        top = mapping.top_clusters(p, focus="A", region="reg", rank_by="jobs", n=2)
        every = mapping.top_clusters(p.rename(columns={"reg": "region"}), rank_by="jobs", n=1)
    assert top["cluster"].tolist() == ["x", "z"]
    assert every[["region", "cluster"]].values.tolist() == [["A", "x"], ["B", "x"]]


def test_top_clusters_old_names_still_work_with_a_warning():
    p = _portfolio()
    new = mapping.top_clusters(p, focus="A", region="reg", rank_by="jobs", n=2)
    # region_col= (column) and by= (ranking column)
    with pytest.warns(ClusterlabFutureWarning, match="use rank_by="):
        old = mapping.top_clusters(p, focus="A", region="reg", by="jobs", n=2)
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(ClusterlabFutureWarning, match="use region="):
        old = mapping.top_clusters(p, focus="A", region_col="reg", rank_by="jobs", n=2)
    pd.testing.assert_frame_equal(old, new)
    # the old call in full: region= the code, region_col= the column, by= the ranking
    with (
        pytest.warns(ClusterlabFutureWarning, match="focus='A'"),
        pytest.warns(ClusterlabFutureWarning, match="use rank_by="),
    ):
        old = mapping.top_clusters(p, region="A", region_col="reg", by="jobs", n=2)
    pd.testing.assert_frame_equal(old, new)
    # region="A" with the default column: "A" is not a column but a code of column "region"
    q = p.rename(columns={"reg": "region"})
    with pytest.warns(ClusterlabFutureWarning, match="a region code is now focus='A'"):
        old = mapping.top_clusters(q, region="A", rank_by="jobs", n=2)
    pd.testing.assert_frame_equal(old, new.rename(columns={"reg": "region"}))


def test_region_that_is_neither_a_column_nor_a_code_is_an_error():
    q = _portfolio().rename(columns={"reg": "region"})
    with pytest.raises(ParameterError, match="neither a column of the table nor a region code"):
        mapping.top_clusters(q, region="Z")
    with pytest.raises(ParameterError, match="both by= .* and rank_by="):
        mapping.top_clusters(q, by="employment", rank_by="employment")
    with pytest.raises(ParameterError, match="region_col=, region= and focus="):
        mapping.top_clusters(q, region="A", region_col="region", focus="A")


def test_a_region_code_that_is_also_a_column_name_is_read_as_the_column():
    """Ambiguous: region code "jobs" and a column "jobs". region= names a column, so the column
    wins (the new meaning), and a ClusterlabFutureWarning says to pass focus= for the code."""
    q = pd.DataFrame(
        {
            "region": ["jobs", "jobs", "B"],
            "area": ["n", "n", "s"],
            "cluster": ["x", "y", "x"],
            "employment": [5, 20, 7],
            "jobs": ["n", "n", "s"],
        }
    )
    with pytest.warns(ClusterlabFutureWarning, match="focus='jobs'"):
        by_column = mapping.top_clusters(q, region="jobs", n=1)
    # ranked within each value of column "jobs" (n, s), not restricted to region code "jobs"
    assert by_column["cluster"].tolist() == ["y", "x"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_code = mapping.top_clusters(q, focus="jobs", n=5)
    assert set(by_code["region"]) == {"jobs"} and len(by_code) == 2


def test_peer_comparison_and_region_level_old_region_code():
    t = _table()
    new = mapping.peer_comparison(t, focus="A", cluster="x")
    with pytest.warns(ClusterlabFutureWarning, match="focus='A'"):
        old = mapping.peer_comparison(t, region="A", cluster="x")
    pd.testing.assert_frame_equal(old, new)
    renamed = t.rename(columns={"region": "area"})
    with pytest.warns(ClusterlabFutureWarning, match="focus='A'"):
        old = mapping.peer_comparison(renamed, region="A", region_col="area", cluster="x")
    pd.testing.assert_frame_equal(old, new.rename(columns={"region": "area"}))
    with pytest.raises(ParameterError, match="focus= .* is required"):
        mapping.peer_comparison(t, cluster="x")
    with pytest.warns(ClusterlabFutureWarning):
        assert set(mapping.region_level(t, region="A")["region"]) == {"A", "B"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        level = mapping.region_level(renamed, focus="A", region="area")
    assert set(level["area"]) == {"A", "B"}
    with pytest.raises(ParameterError, match="focus= .* is required"):
        mapping.region_level(t)


def test_resolve_focus_old_region_code():
    ini = pd.DataFrame({"initiative": ["n"], "cluster": ["maritime"], "area": ["D01"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mapping.resolve_focus(ini, "n", region="area") == ("D01", "maritime")
    # an override code need not be in the initiatives table
    with pytest.warns(ClusterlabFutureWarning, match="focus='D07'"):
        assert mapping.resolve_focus(ini, "n", region="D07", cluster="c") == ("D07", "c")


def test_the_warnings_point_at_the_callers_line():
    q = _portfolio()
    calls = [
        lambda: mapping.top_clusters(q, region_col="reg"),
        lambda: mapping.top_clusters(q, region_col="reg", by="jobs"),
        lambda: mapping.top_clusters(q, region="A", region_col="reg"),
        lambda: mapping.top_clusters(q.rename(columns={"reg": "region"}), region="A"),
        lambda: mapping.region_level(_table(), region="A"),
    ]
    for call in calls:
        with pytest.warns(ClusterlabFutureWarning) as record:
            call()
        assert {w.filename for w in record} == {__file__}
