# ruff: noqa: N803, N806  (X for a region × category matrix, as in the module)
"""Invariants of shift-share, specialisation/concentration indices and relatedness (hypothesis).

Generated matrices have no empty region and no empty category (those are warned about and
tested in test_mapping_indices_bad_input.py); zeros inside, all-equal rows and single large
cells are generated on purpose.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from clusterlab.errors import DataWarning
from clusterlab.mapping import (
    concentration,
    relatedness,
    relatedness_density,
    shift_share,
    specialisation,
)

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def matrices(draw, min_regions=2, max_regions=6, min_cats=2, max_cats=5):
    n = draw(st.integers(min_regions, max_regions))
    k = draw(st.integers(min_cats, max_cats))
    X = draw(arrays(np.int64, (n, k), elements=st.integers(0, 1000)))
    for r in range(n):  # no empty region, no empty category
        X[r, r % k] += 1
    for c in range(k):
        X[c % n, c] += 1
    return X


def _wide(X) -> pd.DataFrame:
    return pd.DataFrame(
        X, index=[f"r{i}" for i in range(X.shape[0])], columns=[f"c{j}" for j in range(X.shape[1])]
    )


def _long(X, year=2020) -> pd.DataFrame:
    w = _wide(X)
    out = w.stack().rename("employment").reset_index()
    out.columns = ["region", "cluster", "employment"]
    out.insert(0, "year", year)
    return out


SPEC = [
    "herfindahl",
    "herfindahl_normalised",
    "krugman",
    "spec_coeff",
    "average_lq",
    "hachman",
    "entropy",
    "diversity",
]
CONC = ["ubiquity", "gini", "locational_gini", "hoover_index", "hoover_gini"]


@SETTINGS
@given(X=matrices(), factor=st.sampled_from([2, 3, 0.5, 1000, 1e-3]))
@example(X=np.ones((3, 3), dtype=np.int64), factor=7)
def test_indices_invariant_to_scaling(X, factor):
    a = specialisation(_wide(X))
    b = specialisation(_wide(X * factor))
    np.testing.assert_allclose(
        a[SPEC].to_numpy(float), b[SPEC].to_numpy(float), rtol=1e-9, atol=1e-12
    )
    a = concentration(_wide(X))
    b = concentration(_wide(X * factor))
    np.testing.assert_allclose(
        a[CONC].to_numpy(float), b[CONC].to_numpy(float), rtol=1e-9, atol=1e-9
    )


@SETTINGS
@given(X=matrices())
@example(X=np.ones((4, 3), dtype=np.int64))
@example(X=np.array([[1000, 0], [0, 1]]))
def test_specialisation_bounds(X):
    s = specialisation(_wide(X))
    k = X.shape[1]
    eps = 1e-12
    assert (s["herfindahl"] >= 1 / k - eps).all() and (s["herfindahl"] <= 1 + eps).all()
    assert s["herfindahl_normalised"].between(-eps, 1 + eps).all()
    assert s["krugman"].between(-eps, 2 + eps).all()
    assert np.allclose(s["spec_coeff"], s["krugman"] / 2)
    assert (s["hachman"] > 0).all() and (s["hachman"] <= 1 + 1e-9).all()
    assert np.allclose(s["hachman"] * s["average_lq"], 1)
    assert s["entropy"].between(-eps, np.log2(k) + 1e-9).all()
    # some category always has LQ >= 1 (shares and benchmark shares both sum to 1)
    assert (s["diversity"] >= 1).all() and (s["diversity"] <= s["n_categories"]).all()
    assert not s.isna().any().any()


@SETTINGS
@given(X=matrices())
@example(X=np.ones((4, 3), dtype=np.int64))
def test_concentration_bounds(X):
    c = concentration(_wide(X))
    n = X.shape[0]
    assert c["gini"].between(-1e-12, (n - 1) / n + 1e-12).all()
    assert c["locational_gini"].between(-1e-12, 0.5).all()
    assert c["hoover_index"].between(-1e-9, 100 + 1e-9).all()
    assert c["hoover_gini"].between(-1e-12, 1).all()
    assert np.allclose(c["hoover_gini"], 2 * c["locational_gini"])
    assert (c["ubiquity"] >= 1).all() and (c["ubiquity"] <= c["n_regions"]).all()
    assert not c.isna().any().any()


def test_equal_structure_gives_zero_concentration_and_specialisation():
    X = np.outer([1, 2, 3, 4], [5, 1, 2])  # every region has the national structure
    s = specialisation(_wide(X))
    assert np.allclose(s["krugman"], 0) and np.allclose(s["hachman"], 1)
    assert (s["diversity"] == 3).all()
    c = concentration(_wide(X))
    assert np.allclose(c[["locational_gini", "hoover_index", "hoover_gini"]], 0)


@SETTINGS
@given(X=matrices(), seed=st.integers(0, 2**16))
def test_long_wide_and_row_order_agree(X, seed):
    long = _long(X).sample(frac=1, random_state=seed)
    a = specialisation(long).drop(columns="year")
    b = specialisation(_wide(X))
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    a = concentration(long).drop(columns="year")
    b = concentration(_wide(X))
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


@SETTINGS
@given(
    X=matrices(min_regions=3),
    method=st.sampled_from(["probability", "association", "cosine", "jaccard"]),
)
def test_relatedness_properties(X, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        rel = relatedness(_wide(X), method=method)
        rd = relatedness_density(_wide(X), method=method)
    k = X.shape[1]
    assert len(rel) == k * (k - 1)
    m = rel.pivot(index="source", columns="target", values="relatedness").to_numpy()
    np.testing.assert_allclose(m, m.T, equal_nan=True)  # symmetric
    assert (rel["relatedness"] >= 0).all()
    assert rel["co_occurrence"].between(0, X.shape[0]).all()
    assert not rel["relatedness"].isna().any()
    if method in ("cosine", "jaccard"):
        assert (rel["relatedness"] <= 1 + 1e-12).all()
    dens = rd["relatedness_density"].dropna()
    assert dens.between(-1e-9, 100 + 1e-9).all()


# ----------------------------------------------------------------------------- shift-share


@st.composite
def panels(draw):
    n = draw(st.integers(1, 4))
    k = draw(st.integers(1, 4))
    t = draw(st.integers(2, 4))
    vals = draw(arrays(np.int64, (t, n, k), elements=st.integers(0, 500)))
    vals[:, 0, 0] += 1  # a positive national total in every period (else: an error)
    rows = [
        {"year": 2000 + y, "region": f"r{r}", "cluster": f"c{c}", "employment": int(vals[y, r, c])}
        for y in range(t)
        for r in range(n)
        for c in range(k)
    ]
    df = pd.DataFrame(rows)
    # sparse files: some cells absent in some years (they count as 0)
    drop = draw(st.lists(st.integers(0, len(df) - 1), max_size=3, unique=True))
    keep = [
        i
        for i in range(len(df))
        if i not in drop or (df.at[i, "region"], df.at[i, "cluster"]) == ("r0", "c0")
    ]
    return df.loc[keep].reset_index(drop=True), 2000 + t - 1


@SETTINGS
@given(panel=panels(), method=st.sampled_from(["static", "dynamic"]))
def test_shift_share_components_sum_to_change(panel, method):
    df, end = panel
    ss = shift_share(df, start=2000, end=end, method=method)
    comp = ss["national_share"] + ss["industry_mix"] + ss["competitive"]
    np.testing.assert_allclose(comp, ss["change"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ss["change"], ss["employment_end"] - ss["employment_start"])
    # the nation is the sum of the regions: mix and competitive effects cancel per category
    # for the static method (Σ_r e0 (g_ri - g_i) = E_i1 - E_i0 - E_i0 g_i = 0) — except for a
    # category that is new nationally (E_i0 = 0), whose whole change is competitive
    if method == "static":
        existing = ss.groupby("cluster")["employment_start"].transform("sum") > 0
        per = ss[existing].groupby("cluster")["competitive"].sum()
        np.testing.assert_allclose(per, 0, atol=1e-6)
    assert not ss[["change", "national_share", "industry_mix", "competitive"]].isna().any().any()


def test_dynamic_equals_static_for_two_periods():
    df = pd.DataFrame(
        {
            "year": [1, 1, 1, 2, 2, 2],
            "region": ["a", "b", "b"] * 2,
            "cluster": ["x", "x", "y"] * 2,
            "employment": [10, 5, 7, 12, 4, 9],
        }
    )
    a = shift_share(df, start=1, end=2)
    b = shift_share(df, start=1, end=2, method="dynamic")
    pd.testing.assert_frame_equal(a, b)


def test_dynamic_chains_annual_components():
    """Two steps by hand: the dynamic components are the sums of the annual static ones."""
    df = pd.DataFrame(
        {
            "year": [1] * 3 + [2] * 3 + [3] * 3,
            "region": ["a", "b", "b"] * 3,
            "cluster": ["x", "x", "y"] * 3,
            "employment": [10, 5, 7, 12, 4, 9, 15, 6, 8],
        }
    )
    s12 = shift_share(df, start=1, end=2)
    s23 = shift_share(df, start=2, end=3)
    dyn = shift_share(df, start=1, end=3, method="dynamic")
    for col in ("national_share", "industry_mix", "competitive"):
        np.testing.assert_allclose(dyn[col], s12[col].to_numpy() + s23[col].to_numpy(), atol=1e-12)
    assert len(dyn) == 3 and dyn["change"].tolist() == [5.0, 1.0, 1.0]
    static = shift_share(df, start=1, end=3)
    assert not np.allclose(static["industry_mix"], dyn["industry_mix"])


def test_shift_share_zero_start_is_all_competitive():
    df = pd.DataFrame(
        {
            "year": [1, 1, 2, 2, 2],
            "region": ["a", "b", "a", "b", "b"],
            "cluster": ["x", "x", "x", "x", "y"],
            "employment": [10, 10, 11, 12, 5],
        }
    )
    ss = shift_share(df, start=1, end=2).set_index(["region", "cluster"])
    new = ss.loc[("b", "y")]
    assert new["employment_start"] == 0 and new["change"] == 5
    assert new["national_share"] == 0 and new["industry_mix"] == 0 and new["competitive"] == 5
    assert np.isnan(new["regional_growth"]) and np.isnan(new["industry_growth"])


@pytest.mark.parametrize("by", [(), ("year",)])
def test_single_region_or_category(by):
    long = _long(np.array([[3, 4]]))
    s = specialisation(long, by=by)
    assert s["krugman"].iloc[0] == pytest.approx(0)
    c = concentration(long, by=by)
    assert np.allclose(c["gini"], 0)
