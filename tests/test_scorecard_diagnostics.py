"""Cluster diagnostics: life-cycle stage, Markusen signals, diamond profile (hand values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.scorecard import evaluate
from clusterlab.scorecard.diagnostics import (
    annual_growth,
    cluster_series,
    diamond_profile,
    lifecycle_stage,
    markusen_signals,
)


def series(emp_rate, est_rate, years=5, emp0=1000.0, est0=50.0):
    t = np.arange(years)
    return pd.DataFrame(
        {
            "year": 2015 + t,
            "employment": emp0 * (1 + emp_rate) ** t,
            "establishments": est0 * (1 + est_rate) ** t,
        }
    )


def test_annual_growth_of_geometric_series():
    # 100, 110, 121: exactly 10 % a year; the log-linear fit recovers it
    assert annual_growth([1, 2, 3], [100, 110, 121]) == pytest.approx(0.10)
    assert math.isnan(annual_growth([1], [5]))


@pytest.mark.parametrize(
    "emp, est, stage",
    [
        (-0.03, -0.01, "declining"),  # -3 % < -1 %
        (0.02, 0.06, "emerging"),  # firms +6 % >= 2 % and faster than jobs +2 %
        (0.05, 0.01, "growing"),  # +5 % > 1 %, entry slower than job growth
        (0.005, 0.0, "mature"),  # |+0.5 %| <= 1 %
        (-0.005, 0.03, "emerging"),  # many entrants, flat jobs: average firm shrinking
    ],
)
def test_lifecycle_rules(emp, est, stage):
    r = lifecycle_stage(series(emp, est)).iloc[0]
    assert r["stage"] == stage
    assert r["employment_growth"] == pytest.approx(emp)
    assert r["establishment_growth"] == pytest.approx(est, abs=1e-12)
    assert r["rule"] and r["evidence"].startswith("2015-2019")


def test_lifecycle_thresholds_window_groups_and_flags():
    s = series(0.015, 0.0)
    assert lifecycle_stage(s).loc[0, "stage"] == "growing"
    assert lifecycle_stage(s, growth=0.02).loc[0, "stage"] == "mature"
    two = pd.concat([s.assign(cluster="a"), series(-0.05, -0.05).assign(cluster="b")])
    out = lifecycle_stage(two, by="cluster").set_index("cluster")["stage"]
    assert out.to_dict() == {"a": "growing", "b": "declining"}
    # only the last `window` years count: a collapse long ago does not matter
    long = pd.concat([series(-0.5, 0.0, years=3).assign(year=[2005, 2006, 2007]), s])
    assert lifecycle_stage(long, window=5).loc[0, "first_year"] == 2015
    flagged = s.assign(n_flagged=[0, 0, 1, 1, 1])
    with pytest.warns(DataWarning, match="suppressed"):
        r = lifecycle_stage(flagged).iloc[0]
    assert r["stage"] == "undetermined" and r["years_excluded"] == "2017, 2018, 2019"
    with pytest.raises(ParameterError):
        lifecycle_stage(s, window=2)
    with pytest.raises(ParameterError):
        lifecycle_stage(s, growth=-1)
    with pytest.raises(DataValidationError):
        lifecycle_stage(pd.concat([s, s]))  # duplicate years
    with pytest.raises(DataValidationError):
        lifecycle_stage(s.drop(columns="establishments"))


def test_cluster_series_drops_suppressed_industries():
    emp = pd.DataFrame(
        {
            "region": "R",
            "industry": ["a", "a", "b", "b", "c", "c"],
            "year": [2020, 2021] * 3,
            "employment": [10, 12, 0, 5, 7, 7],
            "establishments": [2, 2, 1, 1, 3, 3],
            "emp_flag": [None, None, "A", None, None, None],
        }
    )
    defs = pd.DataFrame({"industry": ["a", "b", "c"], "cluster": ["k", "k", "other"]})
    s = cluster_series(emp, defs, region="R", cluster="k")
    assert s["employment"].tolist() == [10, 12]
    # issue #19: a column (was only attrs["excluded_industries"], lost on copies)
    assert s["excluded_industries"].tolist() == ["b", "b"]
    assert s.attrs["excluded_industries"] == ["b"]  # deprecated copy, kept for one release
    kept = cluster_series(emp, defs, region="R", cluster="k", suppressed="keep")
    assert kept["employment"].tolist() == [10, 17] and kept["n_flagged"].tolist() == [1, 0]
    r = lifecycle_stage(s, window=3).iloc[0]  # two years only: no verdict
    assert r["stage"] == "undetermined" and "suppressed cells left out (b)" in r["evidence"]
    assert kept["excluded_industries"].tolist() == ["", ""]
    # the evidence reads the column, so it survives a copy without attrs ...
    bare = s.copy()
    bare.attrs = {}
    r = lifecycle_stage(bare, window=3).iloc[0]
    assert "suppressed cells left out (b)" in r["evidence"]
    # ... and per group when several series are stacked (one attrs could not say which)
    two = pd.concat([s.assign(c="k"), kept.assign(c="kept")], ignore_index=True)
    with pytest.warns(DataWarning, match="suppressed cells"):  # kept has a flagged 2020
        ev = lifecycle_stage(two, by="c", window=3).set_index("c")["evidence"]
    assert "(b)" in ev["k"] and "left out (" not in ev["kept"]
    with pytest.raises(ParameterError):
        cluster_series(emp, defs, region="R", cluster="nope")
    with pytest.raises(ParameterError):
        cluster_series(emp, defs, region="X", cluster="k")


def test_markusen_measures_by_hand():
    # employment 2000, 900 and 30 firms of 20: total 3500
    firms = pd.DataFrame({"employment": [2000.0, 900.0] + [20.0] * 30})
    p = markusen_signals(firms)
    m = p.measures.iloc[0]
    assert m["sme_share"] == pytest.approx(30 / 32)
    assert m["top_share"] == pytest.approx((2000 + 900 + 20 + 20) / 3500)  # CR4
    assert m["hhi"] == pytest.approx((2000 / 3500) ** 2 + (900 / 3500) ** 2 + 30 * (20 / 3500) ** 2)
    assert p.leaning == "hub_and_spoke"
    assert p.signals.set_index("type").loc["satellite_platform", "met"] is pd.NA
    assert p.summary()["n_firms"].iloc[0] == 32


def test_markusen_italianate_and_satellite():
    small = pd.DataFrame({"employment": [30.0] * 20, "ext": [False] * 20})
    assert markusen_signals(small, external="ext").leaning == "italianate"
    branch = pd.DataFrame(
        {"employment": [800.0, 700.0, 50.0, 40.0, 30.0], "ext": [True, True, False, False, False]}
    )
    p = markusen_signals(branch, external="ext")
    # external share (800 + 700) / 1620 = 0.926 >= 0.5; hubs are external -> satellite only
    assert p.measures.loc[0, "external_share"] == pytest.approx(1500 / 1620)
    assert p.leaning == "satellite_platform"
    # 10 x 100 + 10 x 300 = 4000: SME share 50 % < 90 %, top-4 share 1200/4000 = 30 % < 50 %
    mixed = pd.DataFrame({"employment": [100.0] * 10 + [300.0] * 10})
    assert markusen_signals(mixed).leaning == "no clear leaning"
    with pytest.raises(ParameterError):
        markusen_signals(small, top_n=0)
    with pytest.raises(ParameterError):
        markusen_signals(small, hub_min_top_share=1.5)
    with pytest.raises(DataValidationError):
        markusen_signals(small.assign(employment=-1.0))
    with pytest.raises(DataValidationError):
        markusen_signals(small, external="owner")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.5, 1e5), min_size=1, max_size=40), st.integers(1, 10))
def test_property_markusen_shares_in_unit_interval(sizes, k):
    m = markusen_signals(pd.DataFrame({"employment": sizes}), top_n=k).measures.iloc[0]
    for col in ("sme_share", "top_share", "hhi"):
        assert -1e-12 <= m[col] <= 1 + 1e-12
    assert m["hhi"] <= m["top_share"] + 1e-12  # sum of s^2 <= largest share <= CR_k


def test_diamond_profile_by_hand():
    agg = pd.DataFrame(
        {
            "indicator": [
                "rd_intensity",
                "graduate_share",
                "vacancy_fill_time",
                "local_supplier_share",
                "trust_score",
                "rd_intensity",
            ],
            "period": ["2021"] * 5 + ["2020"],
            "value": [3.0, 23.0, 12.0, 31.0, 3.4, 1.0],
        }
    )
    d = diamond_profile(evaluate(agg, "ten_factors").status, "ten_factors").set_index("corner")
    # factor conditions 2021: rd 3.0 >= 2.5 on track (1); graduates 23 >= 22.5 at risk (0.5);
    # vacancy 12 weeks > 8.8 off track (0) -> (1 + 0.5 + 0) / 3 = 0.5
    assert d.loc["factor_conditions", "score"] == pytest.approx(0.5)
    assert d.loc["factor_conditions", "n_assessed"] == 3
    assert d.loc["related_supporting", "score"] == 1.0  # 31 >= 30
    assert d.loc["strategy_rivalry", "score"] == 0.5  # 3.4 >= 3.15
    assert not d.loc["demand_conditions", "assessable"]
    assert "no indicator" in d.loc["demand_conditions", "evidence"]
    assert "rd_intensity: on_track (3 vs target 2.5)" in d.loc["factor_conditions", "evidence"]
    old = diamond_profile(evaluate(agg, "ten_factors").status, "ten_factors", period=2020)
    assert old.set_index("corner").loc["factor_conditions", "score"] == 0.0  # 1.0 < 2.25


def test_lifecycle_years_without_employment_are_named_not_silently_dropped():
    # 2015 has no employment: the fit uses 2016-2019 only (10 % a year there) and says so
    s = series(0.10, 0.0).assign(employment=[np.nan, 1100.0, 1210.0, 1331.0, 1464.1])
    with pytest.warns(DataWarning, match=r"\[2015\]"):
        r = lifecycle_stage(s).iloc[0]
    assert r["employment_growth"] == pytest.approx(0.10) and r["n_years"] == 4
    assert "employment missing or zero in 2015" in r["evidence"]
    # zeros cannot enter the log fit: two usable years -> no verdict (not a 2-point growth rate)
    z = series(0.10, 0.0).assign(employment=[0.0, 0.0, 0.0, 1331.0, 1464.1])
    with pytest.warns(DataWarning):
        r = lifecycle_stage(z).iloc[0]
    assert (r["stage"], r["n_years"]) == ("undetermined", 2)


def test_markusen_ownership_missing_or_unreadable_is_an_error():
    firms = pd.DataFrame({"employment": [800.0, 700.0, 50.0], "ext": ["yes", None, "no"]})
    with pytest.raises(DataValidationError) as exc:
        markusen_signals(firms, external="ext")
    assert exc.value.problems[["row", "found"]].values.tolist() == [[2, "missing"]]
    with pytest.raises(DataValidationError):
        markusen_signals(firms.assign(ext=["yes", "maybe", "no"]), external="ext")
    # y/n and 1/0 are read as booleans: external share 800 / 1550
    p = markusen_signals(firms.assign(ext=["y", "n", 0]), external="ext")
    assert p.measures.loc[0, "external_share"] == pytest.approx(800 / 1550)


def test_diamond_evidence_never_blank_and_unknown_period():
    agg = pd.DataFrame({"indicator": ["rd_intensity"], "period": ["2021"], "value": [3.0]})
    status = evaluate(agg, "four_perspectives").status
    d = diamond_profile(status, "four_perspectives").set_index("corner")
    assert (d["evidence"].str.len() > 0).all()
    assert not d.loc["strategy_rivalry", "assessable"]
    with pytest.raises(ParameterError, match="2021"):
        diamond_profile(status, "four_perspectives", period=1999)
