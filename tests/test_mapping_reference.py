"""clusterlab.mapping core against published U.S. Cluster Mapping Project (CMP) 2016 numbers.

Sources (``../shared/datasets``, skipped when absent): ``us-cmp-region-cluster-2016`` (published
state and MSA x cluster employment, establishments, LQ and strong flags, CMP data API
2018-10-01), ``us-cmp-cluster-definitions``, ``us-cbp-state-naics-2000-2011`` (Census CBP) and
``reference-checks/cmp_2016_reference_checks.csv``. Rules: ``docs/mapping.md``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlab import mapping
from clusterlab.errors import UnmappedWarning
from clusterlab.mapping._core import group_codes, group_quantile

FLAGS = ["qualifying", "significant", "strong", "strong10"]


@pytest.fixture(scope="module")
def shared(shared_datasets) -> Path:
    path = shared_datasets
    if not (path / "us-cmp-region-cluster-2016").is_dir():
        pytest.skip("../shared/datasets/us-cmp-region-cluster-2016 not available")
    return path


def _cmp_table(raw: pd.DataFrame) -> pd.DataFrame:
    """CMP API columns -> clusterlab's tidy columns."""
    return pd.DataFrame(
        {
            "region": raw["region_code_t"].astype(str),
            "region_name": raw["region_name_t"],
            "region_type": raw["region_type_t"],
            "cluster": raw["cluster_code_t"].astype(int).astype(str),
            "cluster_type": np.where(raw["traded_b"].astype(bool), "traded", "local"),
            "year": raw["year_t"].astype(int),
            "employment": raw["emp_tl"].astype("int64"),
            "establishments": raw["est_tl"].astype("int64"),
        }
    )


@pytest.fixture(scope="module")
def states(shared):
    raw = pd.read_csv(
        shared / "us-cmp-region-cluster-2016" / "cmp_state_cluster_2016.csv",
        dtype={"region_code_t": str},
    )
    return raw, _cmp_table(raw)


@pytest.fixture(scope="module")
def msas(shared):
    raw = pd.read_parquet(shared / "us-cmp-region-cluster-2016" / "cmp_msa_cluster_2016.parquet")
    return raw, _cmp_table(raw)


@pytest.fixture(scope="module")
def us_benchmark(states):
    """U.S. employment per cluster, derived from the published shares: the state file's
    cluster_emp_per_tf = E(state, c) / E(US, c) (CMP uses the national CBP file, code 98)."""
    raw, _ = states
    pos = raw["emp_tl"] > 0
    us = (
        (raw.loc[pos, "emp_tl"] / raw.loc[pos, "cluster_emp_per_tf"])
        .groupby(raw.loc[pos, "cluster_code_t"])
        .median()
        .round()
    )
    return pd.DataFrame({"cluster": us.index.astype(int).astype(str), "employment": us.to_numpy()})


def test_us_benchmark_totals_are_the_documented_ones(us_benchmark, states):
    _, table = states
    types = table.drop_duplicates("cluster").set_index("cluster")["cluster_type"]
    totals = us_benchmark.groupby(us_benchmark["cluster"].map(types))["employment"].sum()
    # cluster-mapping.md section 7, check 10: traded 45,242,109; local 81,486,213
    assert totals["traded"] == 45_242_109
    assert totals["local"] == 81_486_213


def test_state_lq_matches_every_published_row(states, us_benchmark):
    raw, table = states
    out = mapping.location_quotients(table, within="cluster_type", benchmark=us_benchmark)
    assert len(out) == 3350
    published = raw["lq_tf"].to_numpy()
    rel = np.abs(out["lq"].to_numpy() - published) / np.where(published > 0, published, 1)
    assert rel.max() <= 1e-6
    # share_region is CMP's region_emp_per_tf (cluster emp / region's traded or local emp)
    np.testing.assert_allclose(out["share_region"], raw["region_emp_per_tf"], rtol=1e-6, atol=1e-9)


def test_msa_lq_matches_every_published_row(msas, us_benchmark):
    raw, table = msas
    out = mapping.location_quotients(table, within="cluster_type", benchmark=us_benchmark)
    published = raw["lq_tf"].to_numpy()
    rel = np.abs(out["lq"].to_numpy() - published) / np.where(published > 0, published, 1)
    assert rel.max() <= 1e-6


@pytest.mark.parametrize(
    "which, counts",
    [
        ("states", {"qualifying": 1454, "significant": 1014, "strong": 512, "strong10": 209}),
        ("msas", {"qualifying": 17064, "significant": 12278, "strong": 5887, "strong10": 2531}),
    ],
)
def test_strong_flags_match_published_exactly(request, which, counts):
    raw, table = request.getfixturevalue(which)
    table = table.assign(lq=raw["lq_tf"].to_numpy())
    out = mapping.strong_clusters(table)
    for flag in FLAGS:
        mine = out[flag]
        pub = raw[f"{flag}_b"]
        assert mine.isna().equals(pub.isna()), flag  # local clusters: NA
        assert (
            mine.dropna().astype(bool).to_numpy() == pub.dropna().astype(bool).to_numpy()
        ).all(), flag
        assert int(mine.sum()) == counts[flag], flag


def test_strong_flags_from_recomputed_lq(states, us_benchmark):
    """The whole chain from employment: LQ (our own) -> flags = published flags."""
    raw, table = states
    lq = mapping.location_quotients(table, within="cluster_type", benchmark=us_benchmark)
    out = mapping.strong_clusters(lq)
    for flag in FLAGS:
        pub = raw[f"{flag}_b"]
        assert (
            out[flag].dropna().astype(bool).to_numpy() == pub.dropna().astype(bool).to_numpy()
        ).all(), flag


@pytest.fixture(scope="module")
def checks(shared):
    return pd.read_csv(shared / "reference-checks" / "cmp_2016_reference_checks.csv")


def test_reference_checks_state_lq(checks, states, us_benchmark):
    _, table = states
    out = mapping.strong_clusters(
        mapping.location_quotients(table, within="cluster_type", benchmark=us_benchmark)
    )
    rows = checks[checks["check"] == "state_lq"]
    assert len(rows) == 7
    for row in rows.itertuples():
        cell = out[
            (out["region_name"] == row.region) & (out["cluster"] == str(int(row.cluster_code)))
        ].iloc[0]
        assert cell["employment"] == row.emp
        assert cell["lq"] == pytest.approx(row.published_lq, rel=1e-6), row.region
        # the formula with the documented inputs
        by_hand = (row.emp / row.region_type_total_emp) / (
            row.us_cluster_emp / row.us_type_total_emp
        )
        assert by_hand == pytest.approx(row.published_lq, rel=1e-6)
        if row.traded:
            assert bool(cell["strong"]) == (str(row.published_strong) == "True")
            assert bool(cell["strong10"]) == (str(row.published_strong10) == "True")
        else:
            assert pd.isna(cell["strong"])


def test_reference_checks_strong_thresholds(checks, states):
    raw, table = states
    rows = checks[checks["check"] == "state_strong_thresholds"]
    assert len(rows) == 3
    table = table.assign(lq=raw["lq_tf"].to_numpy())
    flags = mapping.strong_clusters(table)
    for row in rows.itertuples():
        sub = table[(table["cluster"] == str(int(row.cluster_code))) & (table["employment"] > 0)]
        codes, n = group_codes(sub, ["cluster"])
        q = {
            name: group_quantile(sub[col].to_numpy(), codes, n, p)[0]
            for name, col, p in [
                ("q25_emp", "employment", 0.25),
                ("q25_est", "establishments", 0.25),
                ("q75_lq", "lq", 0.75),
                ("q90_lq", "lq", 0.90),
            ]
        }
        for name, value in q.items():
            assert value == pytest.approx(getattr(row, name), rel=1e-7), (row.cluster_name, name)
            # d3 quantile == numpy linear (type 7)
            col = {"q25_emp": "employment", "q25_est": "establishments"}.get(name, "lq")
            p = {"q25_emp": 0.25, "q25_est": 0.25, "q75_lq": 0.75, "q90_lq": 0.9}[name]
            assert value == pytest.approx(np.quantile(sub[col], p), rel=1e-12)
        strong = flags[
            (flags["cluster"] == str(int(row.cluster_code))) & flags["strong"].fillna(False)
        ]
        assert sorted(strong["region_name"]) == sorted(row.strong_regions.split("; "))


def test_reference_checks_msa_suppression(checks, msas, us_benchmark):
    raw, table = msas
    out = mapping.location_quotients(table, within="cluster_type", benchmark=us_benchmark)
    out["employment_reported"] = raw["emp_reported_tl"].to_numpy()
    rows = checks[checks["check"] == "msa_lq_and_suppression"]
    assert len(rows) == 4
    for row in rows.itertuples():
        cell = out[
            (out["region"] == str(int(row.region_code)))
            & (out["cluster"] == str(int(row.cluster_code)))
        ].iloc[0]
        assert cell["employment"] == row.emp
        assert cell["employment"] - cell["employment_reported"] == row.imputed_from_flags
        assert cell["lq"] == pytest.approx(row.published_lq, rel=1e-6)
        assert cell["share_region"] == pytest.approx(row.region_emp_share, rel=1e-6)


def test_seattle_aerospace_imputation_is_a_sum_of_midpoints():
    # cluster-mapping.md: 75,760 imputed = L + F + A = 75,000 + 750 + 10 (one decomposition)
    cells = pd.DataFrame(
        {
            "region": ["53033", "53053", "53061", "53033"],
            "industry": ["336411", "336413", "336413", "336412"],
            "year": 2016,
            "employment": [0, 0, 0, 17_630],
            "emp_flag": ["L", "F", "A", None],
        }
    )
    out = mapping.impute_suppressed(cells)
    assert out["employment"].sum() == 93_390
    assert out["employment_reported"].sum() == 17_630
    assert out["imputed"].tolist() == [True, True, True, False]


# ------------------------------------------------------------------- CBP (public domain)
@pytest.fixture(scope="module")
def cbp(shared):
    path = shared / "us-cbp-state-naics-2000-2011" / "cbp_state_naics_2010_2011.csv"
    if not path.is_file():
        pytest.skip("CBP state extract not available")
    return pd.read_csv(path, dtype={"fipstate": str, "naics": str, "empflag": str, "emp_nf": str})


def test_cbp_2011_state_totals_aggregate(cbp):
    totals = cbp[(cbp["naics"] == "------") & (cbp["year"] == 2011)]
    emp = totals.rename(
        columns={
            "fipstate": "region",
            "naics": "industry",
            "emp": "employment",
            "est": "establishments",
        }
    )
    out = mapping.aggregate(emp[["region", "industry", "year", "employment"]], to="industry")
    assert out["employment"].sum() == 113_425_965  # cluster-mapping.md check 10


def test_cbp_2011_midpoint_imputation_and_cmp_definitions(cbp, shared):
    six = cbp[(cbp["year"] == 2011) & cbp["naics"].str.fullmatch(r"\d{6}")]
    emp = six.rename(
        columns={
            "fipstate": "region",
            "naics": "industry",
            "emp": "employment",
            "est": "establishments",
            "empflag": "emp_flag",
        }
    )
    emp = emp[["region", "industry", "year", "employment", "establishments", "emp_flag"]]
    out = mapping.impute_suppressed(emp)
    flagged = emp["emp_flag"].notna()
    assert out["imputed"].sum() == flagged.sum()
    assert flagged.mean() == pytest.approx(0.463, abs=0.001)  # PROVENANCE: 46.3 % in 2011
    expected = emp.loc[flagged, "emp_flag"].map(mapping.CMP_MIDPOINTS)
    assert (out.loc[flagged, "employment"] == expected).all()
    raw = pd.read_csv(
        shared / "us-cmp-cluster-definitions" / "cmp_cluster_naics_1997_2002_2007_2012.csv",
        dtype={"naics": str},
    )
    defs = mapping.cmp_definitions(raw, vintage=2007)  # CBP 2011 is NAICS 2007
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mapped = mapping.assign_clusters(out, defs)
    # the repo author's extract keeps codes CMP does not define (e.g. government-owned): they
    # are reported, with their share of employment, not silently dropped
    unmapped = [w for w in caught if issubclass(w.category, UnmappedWarning)]
    assert len(mapped) == len(out) or unmapped
    cells = mapping.aggregate(mapped, to="cluster")
    assert cells["employment"].sum() == mapped["employment"].sum()
    assert set(cells["cluster_type"]) == {"traded", "local"}
