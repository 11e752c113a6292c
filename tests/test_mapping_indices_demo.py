"""Shift-share, indices and relatedness on the demo world (``load_demo("employment")`` and
``"definitions"``): complete tables, no NaN, the designed-in signals show up."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.datasets import load_demo
from clusterlab.mapping import (
    concentration,
    relatedness,
    relatedness_density,
    shift_share,
    specialisation,
)

#: CMP midpoints of the CBP size classes (docs/cluster-mapping.md §2), to fill suppressed cells
MIDPOINTS = {
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


@pytest.fixture(scope="module")
def clusters() -> pd.DataFrame:
    emp = load_demo("employment")
    defs = load_demo("definitions")
    fill = emp["emp_flag"].map(MIDPOINTS).fillna(0)
    emp = emp.assign(employment=emp["employment"] + fill)
    merged = emp.merge(
        defs[["industry", "cluster", "cluster_type"]], on="industry", validate="many_to_one"
    )
    return merged.groupby(["region", "cluster", "year"], as_index=False)["employment"].sum()


@pytest.fixture(scope="module")
def industries() -> pd.DataFrame:
    return load_demo("employment")


def test_demo_shift_share_initiative_regions_outgrow(clusters):
    """The demo's initiative regions grow 2 pp a year faster after their start: positive
    competitive component over 2016-2021, static and dynamic."""
    for method in ("static", "dynamic"):
        ss = shift_share(clusters, start=2016, end=2021, method=method)
        assert len(ss) == clusters[["region", "cluster"]].drop_duplicates().shape[0]
        parts = ["national_share", "industry_mix", "competitive"]
        assert not ss[["change", *parts]].isna().any().any()
        np.testing.assert_allclose(ss[parts].sum(axis=1), ss["change"], atol=1e-6)
        ss = ss.set_index(["region", "cluster"])
        for cell in [("D01", "maritime"), ("D02", "medtech"), ("D03", "foodtech")]:
            assert ss.loc[cell, "competitive"] > 0, (method, cell)


def test_demo_shift_share_regional_totals(clusters):
    ss = shift_share(clusters, start=2012, end=2021)
    per_region = ss.groupby("region")[
        ["change", "national_share", "industry_mix", "competitive"]
    ].sum()
    start = clusters[clusters["year"] == 2012].groupby("region")["employment"].sum()
    end = clusters[clusters["year"] == 2021].groupby("region")["employment"].sum()
    np.testing.assert_allclose(per_region["change"], (end - start).loc[per_region.index])
    # national share = start employment × national growth, per region
    g = end.sum() / start.sum() - 1
    np.testing.assert_allclose(per_region["national_share"], start.loc[per_region.index] * g)
    # industry mix and competitive effects net to zero over the whole nation
    assert per_region["industry_mix"].sum() == pytest.approx(0, abs=1e-6)
    assert per_region["competitive"].sum() == pytest.approx(0, abs=1e-6)


def test_demo_specialisation(clusters, industries):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = specialisation(clusters)
        si = specialisation(industries, category="industry")
    assert len(s) == clusters[["region", "year"]].drop_duplicates().shape[0]
    assert not s.isna().any().any()
    assert len(si) == len(s) and not si.isna().any().any()
    # finer categories: more spread, higher entropy, lower Herfindahl
    assert (si["entropy"].to_numpy() > s["entropy"].to_numpy()).all()
    assert (si["herfindahl"].to_numpy() < s["herfindahl"].to_numpy()).all()
    s = s.set_index(["year", "region"])
    assert (s["diversity"] >= 1).all()


def test_demo_initiative_clusters_are_specialised(clusters):
    """Initiative regions were built with 4× the base employment in their cluster: their
    cluster counts towards the region's diversity (LQ ≥ 1) and the relatedness density
    table marks it present."""
    rd = relatedness_density(clusters, method="cosine")
    rd = rd[rd["year"] == 2021].set_index(["region", "cluster"])
    for cell in [("D01", "maritime"), ("D02", "medtech"), ("D03", "foodtech")]:
        assert rd.loc[cell, "present"] == 1
    assert not rd["relatedness_density"].isna().any()
    assert rd["relatedness_density"].between(0, 100).all()


def test_demo_concentration(clusters):
    c = concentration(clusters)
    assert len(c) == clusters[["cluster", "year"]].drop_duplicates().shape[0]
    assert not c.isna().any().any()
    assert c["gini"].between(0, 1).all() and c["locational_gini"].between(0, 0.5).all()
    assert np.allclose(c["hoover_gini"], 2 * c["locational_gini"])
    n_regions = clusters["region"].nunique()
    assert (c["n_regions"] <= n_regions).all()


def test_demo_relatedness_network(clusters):
    rel = relatedness(clusters, method="association")
    k = clusters["cluster"].nunique()
    assert len(rel) == clusters["year"].nunique() * k * (k - 1)
    r21 = rel[rel["year"] == 2021]
    m = r21.pivot(index="source", columns="target", values="relatedness")
    assert np.allclose(m.to_numpy(), m.T.to_numpy(), equal_nan=True)
    assert (r21["relatedness"] > 0).any()
