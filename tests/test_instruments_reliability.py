"""Reliability: published worked examples for Krippendorff's alpha and the Shrout–Fleiss ICCs."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.datasets import load_demo
from clusterlab.errors import (
    ClusterlabFutureWarning,
    DataValidationError,
    DataWarning,
    EstimationWarning,
    ParameterError,
)
from clusterlab.instruments import icc, krippendorff_alpha, rater_bias, reliability
from clusterlab.instruments.reliability import read_alpha, read_icc

NAN = np.nan


def long(matrix, *, raters_in_rows=True):
    """Reliability data (raters × units, NaN = missing) -> long table item/rater/score."""
    m = np.asarray(matrix, dtype=float)
    if not raters_in_rows:
        m = m.T
    return pd.DataFrame(
        [
            {"item": u, "rater": f"c{r}", "score": m[r, u]}
            for r in range(m.shape[0])
            for u in range(m.shape[1])
        ]
    )


# Krippendorff K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
# Communication Departmental Papers 43, section C (4 observers, 12 units, values 1-5, missing):
# published alpha = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval), 0.797 (ratio).
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_worked_example(level, published):
    assert round(krippendorff_alpha(long(K2011), level=level), 3) == published


# Three coders × 15 units with missing values: the computational example of the Wikipedia
# article "Krippendorff's alpha" (after Krippendorff 2004, Content Analysis 2nd ed.), nominal
# alpha = 0.691; the interval value 0.811 (0.810845) is the one printed in the documentation of
# the `krippendorff` PyPI package for the same data (source [S34] of docs/instruments.md).
K15 = [
    [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
    [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
    [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
]


def test_three_coder_example():
    assert krippendorff_alpha(long(K15), level="nominal") == pytest.approx(0.691358, abs=1e-6)
    assert krippendorff_alpha(long(K15), level="interval") == pytest.approx(0.810845, abs=1e-6)


def test_alpha_hand_calculation_two_raters():
    """Units (1,2), (2,2), (3,3), (4,3), interval: n = 8, sum of o*d2 = 2*(1 + 1) = 4,
    D_o = 4/8 = 0.5; mean 2.5, sum of squared deviations 6, D_e = 2*8*6 / (8*7) = 1.7143;
    alpha = 1 - 0.5/1.7143 = 0.70833."""
    d = long([[1, 2, 3, 4], [2, 2, 3, 3]])
    assert krippendorff_alpha(d, level="interval") == pytest.approx(1 - 0.5 / (96 / 56))


def test_alpha_multi_column_units_and_degenerate_cases():
    d = long(K2011)
    d["initiative"], d["round"] = "x", 1
    assert krippendorff_alpha(d, unit=["initiative", "round", "item"]) == pytest.approx(
        krippendorff_alpha(long(K2011))
    )
    with pytest.warns(EstimationWarning, match="two or more"):
        assert np.isnan(krippendorff_alpha(long([[1, NAN], [NAN, 2]])))
    with pytest.warns(EstimationWarning, match="identical"):
        assert np.isnan(krippendorff_alpha(long([[3, 3], [3, 3]])))
    with pytest.raises(ParameterError):
        krippendorff_alpha(d, level="cardinal")


def test_alpha_bad_input():
    d = long(K2011)
    d["score"] = d["score"].astype(object)
    d.loc[3, "score"] = "three"
    with pytest.raises(DataValidationError) as err:
        krippendorff_alpha(d)
    assert err.value.problems.loc[0, "row"] == 4
    d = long(K2011)
    dup = pd.concat([d, d.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValidationError, match="twice"):
        krippendorff_alpha(dup)


def test_alpha_ids_ratio_scale_and_row_numbers():
    d = long(K2011)
    d.loc[2, "rater"] = None  # a score without a rater is not silently pooled
    with pytest.raises(DataValidationError) as err:
        krippendorff_alpha(d)
    assert (err.value.problems.loc[0, "row"], err.value.problems.loc[0, "column"]) == (3, "rater")
    with pytest.raises(DataValidationError, match="ratio") as err:
        krippendorff_alpha(long(K2011).assign(score=lambda f: f["score"] - 3), level="ratio")
    assert err.value.problems.loc[0, "row"] == 1  # first rater, first unit: 1 - 3 < 0
    # rows are positions (1-based), whatever the caller's index
    d = long(K2011)
    dup = pd.concat([d, d.iloc[[1]]]).set_axis([0] * (len(d) + 1))
    with pytest.raises(DataValidationError) as err:
        icc(dup)
    assert list(err.value.problems["row"]) == [2, len(d) + 1]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.integers(1, 5), min_size=6, max_size=6), min_size=2, max_size=4),
    st.integers(1, 20),
    st.integers(0, 3),
)
def test_alpha_invariances(matrix, shift, drop):
    d = long(matrix)
    if d["score"].nunique() < 2:
        return
    d = d.drop(index=d.index[:drop])  # some missing ratings
    base_i = krippendorff_alpha(d, level="interval")
    # alpha is undefined (NaN) when the pairable values left after `drop` do not vary; the
    # invariances then say the transformed data are undefined too (nan_ok compares NaN == NaN)
    shifted = d.assign(score=d["score"] + shift)
    assert krippendorff_alpha(shifted, level="interval") == pytest.approx(base_i, nan_ok=True)
    # ordinal alpha depends only on the order of the values
    assert krippendorff_alpha(d.assign(score=d["score"] ** 2), level="ordinal") == pytest.approx(
        krippendorff_alpha(d, level="ordinal"), nan_ok=True
    )
    # nominal alpha does not care about the labels at all
    assert krippendorff_alpha(d.assign(score=6 - d["score"]), level="nominal") == pytest.approx(
        krippendorff_alpha(d, level="nominal"), nan_ok=True
    )
    assert not base_i > 1 + 1e-12


# Shrout P.E., Fleiss J.L. (1979) Psychological Bulletin 86(2): 420-428, Table 2 (6 targets,
# 4 judges) and Table 4 (the six ICCs to two decimals). Intervals and F tests: Stata's manual
# entry [R] icc, example with the same data (webuse judges): one-way individual .1657418
# [-.1329323, .7225601], average .4427971 [-.8844422, .9124154], F(5,18) = 1.79, p = 0.165;
# two-way random individual .2897638 with lower bound .0187865. Remaining bounds to two decimals
# from psych::ICC's printed output for this data (McGraw & Wong 1996 formulas).
SF = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def test_shrout_fleiss_table_4():
    res = icc(long(SF, raters_in_rows=False))
    assert res["icc"].round(2).to_dict() == {
        "ICC1": 0.17,
        "ICC2": 0.29,
        "ICC3": 0.71,
        "ICC1k": 0.44,
        "ICC2k": 0.62,
        "ICC3k": 0.91,
    }
    assert res[["n_units", "n_raters", "n_dropped"]].drop_duplicates().values.tolist() == [
        [6, 4, 0]
    ]


def test_icc_new_and_old_argument_names():
    d = long(SF, raters_in_rows=False).rename(columns={"item": "judged"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = icc(d, unit="judged", alpha=0.1)
    # ci=0.90 is alpha=0.10; target= is unit=
    with pytest.warns(ClusterlabFutureWarning, match="use alpha="):
        old_ci = icc(d, unit="judged", ci=0.90)
    with pytest.warns(ClusterlabFutureWarning, match="use unit="):
        old_target = icc(d, target="judged", alpha=0.1)
    pd.testing.assert_frame_equal(old_ci, new)
    pd.testing.assert_frame_equal(old_target, new)
    # a 90 % interval lies inside the 95 % one
    wide = icc(d, unit="judged")
    assert (new["ci_low"] >= wide["ci_low"] - 1e-12).all()
    assert (new["ci_high"] <= wide["ci_high"] + 1e-12).all()
    with pytest.raises(ParameterError, match="both"):
        icc(d, target="judged", unit="judged")
    with pytest.raises(ParameterError, match="alpha=1.5"):
        icc(d, unit="judged", alpha=1.5)


def test_shrout_fleiss_intervals_and_f_tests():
    res = icc(long(SF, raters_in_rows=False))
    assert res.loc["ICC1", "icc"] == pytest.approx(0.1657418, abs=1e-6)
    assert res.loc["ICC1", "ci_low"] == pytest.approx(-0.1329323, abs=1e-6)
    assert res.loc["ICC1", "ci_high"] == pytest.approx(0.7225601, abs=1e-6)
    assert res.loc["ICC1k", "icc"] == pytest.approx(0.4427971, abs=1e-6)
    assert res.loc["ICC1k", "ci_low"] == pytest.approx(-0.8844422, abs=1e-6)
    assert res.loc["ICC1k", "ci_high"] == pytest.approx(0.9124154, abs=1e-6)
    assert res.loc["ICC2", "icc"] == pytest.approx(0.2897638, abs=1e-6)
    assert res.loc["ICC2", "ci_low"] == pytest.approx(0.0187865, abs=1e-6)
    assert round(res.loc["ICC1", "F"], 2) == 1.79 and round(res.loc["ICC1", "p_value"], 3) == 0.165
    assert (res.loc["ICC1", "df1"], res.loc["ICC1", "df2"]) == (5, 18)
    assert (res.loc["ICC3", "df1"], res.loc["ICC3", "df2"]) == (5, 15)
    # two-way F = BMS/EMS = 11.24/1.02 (Shrout & Fleiss Table 3) = 11.03
    assert round(res.loc["ICC2", "F"], 2) == 11.03
    expected = {
        "ICC2": (0.02, 0.76),
        "ICC3": (0.34, 0.95),
        "ICC2k": (0.07, 0.93),
        "ICC3k": (0.68, 0.99),
    }
    for name, (lo, hi) in expected.items():
        assert (round(res.loc[name, "ci_low"], 2), round(res.loc[name, "ci_high"], 2)) == (lo, hi)


def test_icc_listwise_deletion_and_errors():
    d = long(SF, raters_in_rows=False)
    d.loc[0, "score"] = np.nan
    with pytest.warns(DataWarning, match="1 of 6 units dropped"):
        res = icc(d)
    assert (res["n_dropped"] == 1).all() and (res["n_units"] == 5).all()
    assert res.attrs["n_targets"] == 5  # the old access still works for one release
    with pytest.raises(DataValidationError, match="at least 2"):
        icc(long([[1, 2, 3]]))


def test_readings():
    assert read_alpha(0.85) == "reliable" and read_alpha(0.5).startswith("unreliable")
    assert read_alpha(float("nan")) == "not enough paired ratings"
    assert [read_icc(v) for v in (0.3, 0.6, 0.8, 0.95)] == ["poor", "moderate", "good", "excellent"]


def test_reliability_report_on_demo_data():
    demo = load_demo("ratings")
    rel = reliability(demo, "cimbt")
    assert set(rel["scope"]) == {"instrument", "area", "component"}
    assert len(rel) == (1 + 3 + 9) * (1 + 6)
    pooled = rel.query("scope == 'instrument' and initiative == 'all'").iloc[0]
    c = demo[(demo["instrument"] == "cimbt") & demo["score"].notna()]
    direct = krippendorff_alpha(c, unit=["initiative", "round", "item"])
    assert pooled["alpha"] == pytest.approx(direct)
    assert pooled["reading"].startswith(f"alpha {direct:.2f}")
    # ICC(2,k) per initiative and round equals icc() on the complete questions
    g = rel.query("scope == 'instrument' and initiative == 'valley_foodtech' and round == 1")
    sub = c[(c["initiative"] == "valley_foodtech") & (c["round"] == 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        direct_icc = icc(sub)
    assert g["icc2k"].item() == pytest.approx(direct_icc.loc["ICC2k", "icc"])
    assert g["icc_targets"].item() == direct_icc.loc["ICC2k", "n_units"]
    bf = reliability(demo, "bigfive", by_group=False)
    assert list(bf["scope"]) == ["instrument"] and "few units" not in bf.loc[0, "reading"]


def test_rater_bias_by_hand():
    """Item 1: manager 5, others 3 and 4 -> d = 5 - 3.5 = 1.5; item 2: manager 4, others 4, 4
    -> d = 0; manager mean 0.75."""
    r = pd.DataFrame(
        {
            "initiative": "x",
            "item": ["Q1.1.a"] * 3 + ["Q1.1.b"] * 3,
            "rater": ["m", "a", "b"] * 2,
            "rater_role": ["manager", "member_firm", "member_firm"] * 2,
            "score": [5, 3, 4, 4, 4, 4],
        }
    )
    out = rater_bias(r, "cimbt").set_index("rater_role")
    assert out.loc["manager", "mean_difference"] == pytest.approx(0.75)
    assert out.loc["manager", "n_ratings"] == 2 and "above" in out.loc["manager", "reading"]
    # member firms: item 1: 3 - 4.5 = -1.5 and 4 - 4 = 0; item 2: 0, 0 -> -0.375
    assert out.loc["member_firm", "mean_difference"] == pytest.approx(-0.375)
