"""Invariants of the mapping core (hypothesis): LQ scale invariance and agreement with a plain
pandas computation, aggregation conserves totals, the CMP quantile equals numpy's linear one.

Generated tables have non-negative integer counts; regions whose counts are all zero are
excluded deliberately (their LQ is undefined and reported by a warning, tested elsewhere).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab import mapping
from clusterlab.mapping._core import group_codes, group_quantile

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def panels(draw):
    n_regions = draw(st.integers(1, 5))
    n_clusters = draw(st.integers(1, 5))
    years = draw(st.sampled_from([[2016], [2015, 2016]]))
    rows = [
        (f"r{r}", f"c{c}", y) for r in range(n_regions) for c in range(n_clusters) for y in years
    ]
    counts = draw(st.lists(st.integers(0, 10_000), min_size=len(rows), max_size=len(rows)))
    frame = pd.DataFrame(rows, columns=["region", "cluster", "year"])
    frame["employment"] = counts
    frame["cluster_type"] = np.where(frame["cluster"].isin(["c0", "c2", "c4"]), "traded", "local")
    # every (region, year, type) and every (cluster, year) group needs some employment
    for keys in (["region", "year", "cluster_type"], ["cluster", "year"]):
        total = frame.groupby(keys)["employment"].transform("sum")
        frame.loc[total == 0, "employment"] = 1
    return frame.sample(frac=1, random_state=draw(st.integers(0, 10)))


def _pandas_lq(frame, within=None):
    keys = ["year"] + ([within] if within else [])
    e = frame["employment"].astype(float)
    rt = frame.groupby(keys + ["region"])["employment"].transform("sum")
    ct = frame.groupby(["year", "cluster"])["employment"].transform("sum")
    tt = frame.groupby(keys)["employment"].transform("sum")
    return (e / rt) / (ct / tt)


@SETTINGS
@given(panels(), st.sampled_from([None, "cluster_type"]))
def test_lq_equals_plain_pandas(frame, within):
    out = mapping.location_quotients(frame, within=within)
    np.testing.assert_allclose(out["lq"], _pandas_lq(frame, within), rtol=1e-12)


@SETTINGS
@given(panels(), st.integers(2, 1000))
def test_lq_unchanged_when_all_counts_are_scaled(frame, k):
    base = mapping.location_quotients(frame, within="cluster_type")["lq"]
    scaled = mapping.location_quotients(
        frame.assign(employment=frame["employment"] * k), within="cluster_type"
    )["lq"]
    np.testing.assert_allclose(base, scaled, rtol=1e-12)


@SETTINGS
@given(panels())
def test_lq_employment_weighted_mean_is_one(frame):
    """sum_c share_region * LQ ... equivalently sum_r E_rc / sum_r E_r * ... : the
    benchmark-share-weighted mean of share_region / share_benchmark over categories is 1."""
    out = mapping.location_quotients(frame)
    weighted = (out["lq"] * out["share_benchmark"]).groupby([out["region"], out["year"]]).sum()
    np.testing.assert_allclose(weighted, 1.0, rtol=1e-12)


@st.composite
def hierarchies(draw):
    n_counties = draw(st.integers(1, 8))
    n_states = draw(st.integers(1, 3))
    counties = [f"c{i}" for i in range(n_counties)]
    parents = [f"s{draw(st.integers(0, n_states - 1))}" for _ in counties]
    regions = pd.DataFrame(
        {
            "region": counties + [f"s{j}" for j in range(n_states)],
            "region_type": ["county"] * n_counties + ["state"] * n_states,
            "parent": parents + [None] * n_states,
        }
    )
    n_rows = draw(st.integers(1, 40))
    emp = pd.DataFrame(
        {
            "region": draw(st.lists(st.sampled_from(counties), min_size=n_rows, max_size=n_rows)),
            "industry": draw(
                st.lists(
                    st.sampled_from(["010100", "010200", "020100", "030100"]),
                    min_size=n_rows,
                    max_size=n_rows,
                )
            ),
            "year": draw(st.lists(st.sampled_from([2015, 2016]), min_size=n_rows, max_size=n_rows)),
            "employment": draw(st.lists(st.integers(0, 10**9), min_size=n_rows, max_size=n_rows)),
        }
    )
    return emp, regions


DEFS = pd.DataFrame(
    {
        "industry": ["010100", "010200", "020100", "030100"],
        "cluster": ["a", "a", "b", "c"],
        "cluster_type": ["traded", "traded", "local", "traded"],
    }
)


@SETTINGS
@given(hierarchies())
def test_aggregation_conserves_totals(data):
    emp, regions = data
    out = mapping.aggregate(emp, to="cluster", regions=regions, definitions=DEFS)
    total = int(emp["employment"].sum())
    for _, level in out.groupby("region_type"):
        assert int(level["employment"].sum()) == total
    by_year = emp.groupby("year")["employment"].sum()
    states = out[out["region_type"] == "state"].groupby("year")["employment"].sum()
    assert states.to_dict() == by_year.to_dict()


@SETTINGS
@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60),
    st.sampled_from([0.25, 0.5, 0.75, 0.9]),
)
def test_cmp_quantile_is_numpy_linear(values, p):
    frame = pd.DataFrame({"g": 0, "v": values})
    codes, n = group_codes(frame, ["g"])
    q = group_quantile(frame["v"].to_numpy(), codes, n, p)[0]
    assert np.isclose(q, np.quantile(values, p), rtol=1e-12, atol=1e-9)
