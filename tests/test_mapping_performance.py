"""mapping.performance and mapping.ranks against the published CMP 2016 tables, worked examples,
invariants (hypothesis) and bad input.

Reference: ``../shared/datasets/us-cmp-region-cluster-2016`` (published state and MSA × cluster
``ap_tl`` payroll, ``emp_reported_tl``, ``private_wage_tf`` and ``*_rank_i`` / ``*_per_rank_i``
from the CMP data API, 2018-10-01; skipped when absent). Rules: CMP ``ranker.js`` and
``docs/mapping_regional.md``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.mapping import performance, ranks

SETTINGS = settings(max_examples=40, deadline=None)
CMP_MEASURES = [
    ("employment", "emp_tl"),
    ("wage", "private_wage_tf"),
    ("lq", "lq_tf"),
    ("establishments", "est_tl"),
]


def _cmp(shared_datasets, kind: str) -> pd.DataFrame:
    base = shared_datasets / "us-cmp-region-cluster-2016"
    if not base.is_dir():
        pytest.skip("../shared/datasets/us-cmp-region-cluster-2016 not available")
    if kind == "state":
        return pd.read_csv(base / "cmp_state_cluster_2016.csv", dtype={"region_code_t": str})
    return pd.read_parquet(base / "cmp_msa_cluster_2016.parquet")


def _ours(published: pd.DataFrame) -> pd.DataFrame:
    t = published.rename(
        columns={
            "region_code_t": "region",
            "cluster_code_t": "cluster",
            "year_t": "year",
            "region_type_t": "region_type",
            "emp_tl": "employment",
            "emp_reported_tl": "employment_reported",
            "est_tl": "establishments",
            "ap_tl": "payroll",
            "lq_tf": "lq",
        }
    )
    t = t[
        [
            "region",
            "cluster",
            "year",
            "region_type",
            "employment",
            "employment_reported",
            "establishments",
            "payroll",
            "lq",
        ]
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # 12 MSA cells: payroll, no employment
        return performance(t)


@pytest.fixture(scope="module", params=["state", "msa"])
def cmp_pair(request, shared_datasets):
    published = _cmp(shared_datasets, request.param)
    return request.param, published, _ours(published)


# --------------------------------------------------------------------------- CMP reproduction


def test_wage_reproduces_cmp_private_wage(cmp_pair):
    """private_wage_tf = ap_tl * 1000 / emp_reported_tl (CMP); published with 8 significant
    digits, so rtol 1e-6. CMP writes 0 where reported employment is 0; we give NaN."""
    kind, published, ours = cmp_pair
    has = published["emp_reported_tl"] > 0
    assert has.sum() == {"state": 3090, "msa": 27471}[kind]
    np.testing.assert_allclose(
        ours.loc[has, "wage"], published.loc[has, "private_wage_tf"], rtol=1e-6
    )
    assert ours.loc[~has, "wage"].isna().all()
    assert (published.loc[~has & (published["ap_tl"] == 0), "private_wage_tf"] == 0).all()


def test_ranks_reproduce_cmp(cmp_pair):
    """*_rank_i: the same cells are ranked; untied cells get the published rank exactly; a tied
    cell's published rank (CMP's unstable JavaScript sort) lies within its tie group."""
    kind, published, ours = cmp_pair
    lo = ranks(ours, measures=[m for m, _ in CMP_MEASURES])
    hi = ranks(ours, measures=[m for m, _ in CMP_MEASURES], ties="max")
    for ours_m, cmp_m in CMP_MEASURES:
        pub = published[f"{cmp_m}_rank_i"]
        has = pub.notna().to_numpy()
        rank_lo = lo[f"{ours_m}_rank"]
        rank_hi = hi[f"{ours_m}_rank"]
        np.testing.assert_array_equal(rank_lo.isna().to_numpy(), ~has, err_msg=ours_m)
        untied = has & (rank_lo == rank_hi).fillna(False).to_numpy()
        assert untied.sum() > 0.1 * has.sum()  # MSA establishments: 87 % of cells are tied
        np.testing.assert_array_equal(
            rank_lo[untied].to_numpy(dtype=float), pub[untied].to_numpy(dtype=float), err_msg=ours_m
        )
        assert (
            (pub[has] >= rank_lo[has].astype(float)) & (pub[has] <= rank_hi[has].astype(float))
        ).all(), ours_m


def test_percentile_ranks_reproduce_cmp_msa(shared_datasets):
    """*_per_rank_i of the 917 MSAs: round(100/n*(rank-0.5)), n = all MSAs for employment,
    establishments and wage, MSAs with employment for the LQ -- exact for every untied cell."""
    published = _cmp(shared_datasets, "msa")
    ours = _ours(published)
    lo = ranks(ours, measures=[m for m, _ in CMP_MEASURES])
    hi = ranks(ours, measures=[m for m, _ in CMP_MEASURES], ties="max")
    for ours_m, cmp_m in CMP_MEASURES:
        pub = published[f"{cmp_m}_per_rank_i"]
        untied = pub.notna() & (lo[f"{ours_m}_rank"] == hi[f"{ours_m}_rank"]).fillna(False)
        np.testing.assert_array_equal(
            lo.loc[untied, f"{ours_m}_percentile"].to_numpy(float),
            pub[untied].to_numpy(float),
            err_msg=ours_m,
        )


def test_cmp_state_percentile_field_holds_the_rank(shared_datasets):
    """The documented CMP quirk we do not copy: for states *_per_rank_i is the rank itself."""
    published = _cmp(shared_datasets, "state")
    has = published["lq_tf_rank_i"].notna()
    assert (published.loc[has, "lq_tf_per_rank_i"] == published.loc[has, "lq_tf_rank_i"]).all()
    ours = ranks(_ours(published), measures=["lq"])
    assert ours["lq_percentile"].max() <= 100
    assert (ours.loc[has, "lq_percentile"] != published.loc[has, "lq_tf_per_rank_i"]).any()


# ------------------------------------------------------------------------ worked examples


def test_performance_worked_example():
    """Computed by hand. Region a: payroll 4,000 (thousands) over 100 employees = 40,000;
    b: 15,000/300 = 50,000. Cluster wage over both = 19,000*1000/400 = 47,500, so relative
    wages 40,000/47,500 = 0.8421053 and 50,000/47,500 = 1.0526316. Two years later a has 121
    employees (CAGR (121/100)^(1/2) - 1 = 0.1), payroll 5,324 (wage 44,000: CAGR
    (44/40)^(1/2) - 1 = 0.0488088) and 16 establishments from 9 ((16/9)^(1/2) - 1 = 1/3); b
    lost 30 jobs."""
    t = pd.DataFrame(
        {
            "region": ["a", "a", "b", "b"],
            "cluster": "x",
            "year": [2014, 2016, 2014, 2016],
            "employment": [100, 121, 300, 270],
            "payroll": [4000.0, 5324.0, 15000.0, 13500.0],
            "establishments": [9, 16, 20, 20],
        }
    )
    out = performance(t).set_index(["region", "year"])
    assert out.loc[("a", 2014), "wage"] == pytest.approx(40000.0)
    assert out.loc[("a", 2014), "relative_wage"] == pytest.approx(40000 / 47500)
    assert out.loc[("b", 2014), "relative_wage"] == pytest.approx(50000 / 47500)
    assert out.loc[("a", 2016), "employment_growth"] == pytest.approx(0.1)
    assert out.loc[("a", 2016), "wage_growth"] == pytest.approx(np.sqrt(1.1) - 1)
    assert out.loc[("a", 2016), "establishment_growth"] == pytest.approx(1 / 3)
    assert out.loc[("a", 2016), "job_creation"] == 21
    assert out.loc[("b", 2016), "job_creation"] == -30
    assert out.loc[("b", 2016), "employment_growth"] == pytest.approx(np.sqrt(0.9) - 1)
    assert np.isnan(out.loc[("a", 2014), "employment_growth"])


def test_performance_benchmark_and_region_types():
    """With a national benchmark the reference wage is the benchmark's (60,000 here); region
    types are compared separately (a district's wage is not averaged with a province's)."""
    t = pd.DataFrame(
        {
            "region": ["a", "b", "P"],
            "region_type": ["district", "district", "province"],
            "cluster": "x",
            "year": 2016,
            "employment": [100, 300, 400],
            "payroll": [4000.0, 15000.0, 19000.0],
            "establishments": [1, 2, 3],
        }
    )
    own = performance(t).set_index("region")["relative_wage"]
    assert own["P"] == pytest.approx(1.0)
    assert own["a"] == pytest.approx(40000 / 47500)
    bench = pd.DataFrame(
        {"cluster": ["x"], "year": [2016], "payroll": [60000.0], "employment": [1000]}
    )
    nat = performance(t, benchmark=bench).set_index("region")["relative_wage"]
    assert nat["a"] == pytest.approx(40000 / 60000)


def test_reported_employment_is_used_for_wages():
    """Suppressed cells carry neither payroll nor reported employment: the wage divides by the
    reported count (CMP), not by the imputed total."""
    t = pd.DataFrame(
        {
            "region": ["a"],
            "cluster": "x",
            "year": 2016,
            "employment": [150],
            "employment_reported": [100],
            "payroll": [4000.0],
            "establishments": [3],
        }
    )
    assert performance(t)["wage"].iloc[0] == pytest.approx(40000.0)
    assert performance(t, reported="employment")["wage"].iloc[0] == pytest.approx(4e6 / 150)


def test_ranks_one_region_and_all_zero():
    """One establishment region: rank 1, percentile round(100*(0.5)) = 50; a cluster that no
    region has is not ranked at all."""
    t = pd.DataFrame(
        {
            "region": ["a", "a", "b", "b"],
            "cluster": ["x", "y", "x", "y"],
            "year": 2016,
            "employment": [5, 0, 0, 0],
            "lq": [3.0, 0.0, 0.0, 0.0],
        }
    )
    out = ranks(t, measures=["employment", "lq"]).set_index(["region", "cluster"])
    assert out.loc[("a", "x"), "employment_rank"] == 1
    assert out.loc[("a", "x"), "lq_percentile"] == 50  # n = 1 region with employment
    assert out.loc[("a", "x"), "employment_percentile"] == 25  # n = 2 regions: round(25)
    assert out.loc[("a", "y")].isna()[["employment_rank", "lq_rank"]].all()


def test_ranks_region_codes_keep_leading_zeros():
    t = pd.DataFrame(
        {"region": ["007", "07", "7"], "cluster": "x", "year": 2016, "employment": [3, 2, 1]}
    )
    out = ranks(t, measures=["employment"])
    assert out["region"].tolist() == ["007", "07", "7"]
    assert out["employment_rank"].tolist() == [1, 2, 3]


# ------------------------------------------------------------------------------ invariants


@st.composite
def panels(draw):
    n = draw(st.integers(1, 6))
    rows = []
    for r in range(n):
        for c in ("x", "y"):
            for year in (2015, 2016):
                emp = draw(st.integers(1, 5000))
                wage = draw(st.floats(10.0, 200.0))
                rows.append(
                    {
                        "region": f"R{r:02d}",
                        "cluster": c,
                        "year": year,
                        "employment": emp,
                        "payroll": emp * wage,
                        "establishments": draw(st.integers(1, 100)),
                    }
                )
    return pd.DataFrame(rows)


@SETTINGS
@given(panels(), st.floats(0.5, 1000.0))
def test_relative_wage_averages_to_one_and_ignores_currency(panel, factor):
    """The employment-weighted mean of relative wages of a cluster over the regions is 1
    (sum of payroll / sum of employment = the reference wage); multiplying every payroll by a
    constant scales wages and leaves relative wages unchanged."""
    out = performance(panel)
    weighted = (out["relative_wage"] * out["employment"]).groupby(
        [out["cluster"], out["year"]]
    ).sum() / out.groupby(["cluster", "year"])["employment"].sum()
    np.testing.assert_allclose(weighted, 1.0, rtol=1e-9)
    scaled = performance(panel.assign(payroll=panel["payroll"] * factor))
    np.testing.assert_allclose(scaled["wage"], out["wage"] * factor, rtol=1e-9)
    np.testing.assert_allclose(scaled["relative_wage"], out["relative_wage"], rtol=1e-9)


@SETTINGS
@given(panels(), st.randoms(use_true_random=False))
def test_ranks_do_not_depend_on_row_order(panel, rnd):
    out = ranks(performance(panel), measures=["employment", "wage"])
    order = list(range(len(panel)))
    rnd.shuffle(order)
    shuffled = ranks(performance(panel.iloc[order]), measures=["employment", "wage"])
    pd.testing.assert_frame_equal(shuffled.loc[out.index], out)
    pct = out["employment_percentile"].dropna()
    assert ((pct >= 0) & (pct <= 100)).all()
    assert out.groupby(["cluster", "year"])["employment_rank"].min().eq(1).all()


# ------------------------------------------------------------------------------- bad input


def _table():
    return pd.DataFrame(
        {
            "region": ["a", "b"],
            "cluster": "x",
            "year": 2016,
            "employment": [10, 20],
            "payroll": [400.0, 900.0],
            "establishments": [1, 2],
        }
    )


def test_bad_input_raises_our_errors():
    with pytest.raises(DataValidationError) as err:
        performance(_table().drop(columns="payroll"))
    assert "payroll" in err.value.problems["column"].tolist()
    with pytest.raises(DataValidationError):
        performance(_table().assign(payroll=[-1.0, 5.0]))
    with pytest.raises(DataValidationError):
        performance(_table().assign(employment=["ten", 20]))
    with pytest.raises(DataValidationError):
        performance(pd.concat([_table(), _table()]))
    with pytest.raises(ParameterError):
        performance(_table(), start=1999)
    with pytest.raises(ParameterError):
        performance(_table(), payroll_scale=0)
    with pytest.raises(ParameterError):
        performance(_table(), region_type="type")
    with pytest.raises(DataValidationError):
        performance(
            _table(),
            benchmark=pd.DataFrame(
                {"cluster": ["y"], "year": [2016], "payroll": [1.0], "employment": [1]}
            ),
        )
    with pytest.raises(ParameterError):
        ranks(_table(), ties="random")
    with pytest.raises(ParameterError):
        ranks(_table()[["region", "cluster", "year"]])
    with pytest.raises(DataValidationError):
        ranks(_table(), measures=["wage"])
    with pytest.raises(DataValidationError):
        ranks(_table().assign(lq=[np.inf, 1.0]), measures=["lq"])
    with pytest.raises(DataValidationError):
        ranks("not a table")


def test_payroll_without_employment_warns_and_gives_no_wage():
    t = _table().assign(employment=[0, 20])
    with pytest.warns(DataWarning, match="payroll but no reported employment"):
        out = performance(t)
    assert np.isnan(out["wage"].iloc[0])


def test_caller_frame_untouched():
    t = _table()
    before = t.copy()
    ranks(performance(t))
    pd.testing.assert_frame_equal(t, before)
