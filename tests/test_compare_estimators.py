# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
"""clusterlab.compare against independently computed values: scipy's tests, statsmodels
regressions on hand-built designs, and hand calculations written out below."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from clusterlab.compare import (
    SUMMARY_COLUMNS,
    OverlapWarning,
    balance_table,
    did,
    difference_in_means,
    effective_n,
    effects_table,
    event_study,
    ipw_weights,
    match,
    rank_test,
    regression_adjustment,
    weight,
)
from clusterlab.errors import DataValidationError


@pytest.fixture(scope="module")
def cross_section():
    rng = np.random.default_rng(42)
    n = 160
    df = pd.DataFrame(
        {
            "age": rng.normal(20, 8, n).round(1),
            "sector": rng.choice(["food", "metal", "it"], n),
            "exporter": rng.integers(0, 2, n),
        }
    )
    lin = -1 + 0.05 * df["age"] + 0.5 * df["exporter"]
    df["member"] = (rng.random(n) < 1 / (1 + np.exp(-lin))).astype(int)
    df["sales"] = np.exp(3 + 0.02 * df["age"] + 0.3 * df["member"] + rng.normal(0, 0.8, n))
    return df


def _panel(n_firms=40, periods=range(2014, 2020), seed=0, effect=2.0, staggered=True):
    rng = np.random.default_rng(seed)
    rows = []
    for f in range(n_firms):
        join = (2016 + (f % 3 if staggered else 0)) if f < n_firms // 2 else np.nan
        a = rng.normal(0, 3)
        for t in periods:
            d = int(not np.isnan(join) and t >= join)
            rows.append(
                {
                    "firm": f"F{f:03d}",
                    "year": t,
                    "join": join,
                    "treated": d,
                    "member": int(not np.isnan(join)),
                    "size": rng.normal(10, 2),
                    "region": f"R{f % 8}",
                    "y": a + 0.3 * (t - 2014) + effect * d + rng.normal(0, 1),
                }
            )
    return pd.DataFrame(rows)


# --- two-sample tests ---------------------------------------------------------------


@pytest.mark.parametrize("equal_var", [True, False])
def test_difference_in_means_equals_scipy(cross_section, equal_var):
    df = cross_section
    r = difference_in_means(df, outcome="sales", group="member", equal_var=equal_var)
    s = r.summary().iloc[0]
    y1, y0 = df.loc[df.member == 1, "sales"], df.loc[df.member == 0, "sales"]
    ref = stats.ttest_ind(y1, y0, equal_var=equal_var)
    assert s["estimate"] == pytest.approx(y1.mean() - y0.mean())
    assert s["statistic"] == pytest.approx(ref.statistic)
    assert s["p_value"] == pytest.approx(ref.pvalue)
    if equal_var:  # pooled SD written out
        sp2 = ((len(y1) - 1) * y1.var() + (len(y0) - 1) * y0.var()) / (len(y1) + len(y0) - 2)
        se = np.sqrt(sp2 * (1 / len(y1) + 1 / len(y0)))
        q = stats.t.ppf(0.975, len(y1) + len(y0) - 2)
    else:
        se = np.sqrt(y1.var() / len(y1) + y0.var() / len(y0))
        q = stats.t.ppf(0.975, ref.df)
    assert s["std_error"] == pytest.approx(se)
    assert s["ci_low"] == pytest.approx(y1.mean() - y0.mean() - q * se)
    assert s["ci_high"] == pytest.approx(y1.mean() - y0.mean() + q * se)
    assert list(r.summary().columns) == SUMMARY_COLUMNS
    g = r.groups.set_index("member")
    assert g.loc[1, "n"] == len(y1) and g.loc[0, "mean"] == pytest.approx(y0.mean())


def test_hand_computed_t_test():
    # members 5, 7, 9 (mean 7, var 4); non-members 4, 5, 6 (mean 5, var 1):
    # s_p^2 = (2*4 + 2*1)/4 = 2.5; SE = sqrt(2.5 * 2/3) = 1.29099; t = 2/1.29099 = 1.54919
    df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0], "y": [5.0, 7.0, 9.0, 4.0, 5.0, 6.0]})
    s = difference_in_means(df, outcome="y", group="member").summary().iloc[0]
    assert s["estimate"] == 2.0
    assert s["std_error"] == pytest.approx(1.290994, abs=1e-6)
    assert s["statistic"] == pytest.approx(1.549193, abs=1e-6)


def test_rank_test_equals_scipy_and_hodges_lehmann(cross_section):
    df = cross_section
    r = rank_test(df, outcome="sales", group="member").summary().iloc[0]
    y1, y0 = df.loc[df.member == 1, "sales"], df.loc[df.member == 0, "sales"]
    ref = stats.mannwhitneyu(y1, y0)
    assert r["statistic"] == pytest.approx(ref.statistic)
    assert r["p_value"] == pytest.approx(ref.pvalue)
    diffs = [a - b for a in y1 for b in y0]
    assert r["estimate"] == pytest.approx(np.median(diffs))
    assert r["ci_low"] < r["estimate"] < r["ci_high"]
    assert np.isnan(r["std_error"])


def test_rank_test_p_value_equals_r_wilcox_test():
    # R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69): permeability constants,
    # wilcox.test(x, y, alternative = "g") -> W = 35, p-value = 0.1272 (exact); two-sided
    # 0.2544.
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    df = pd.DataFrame({"member": [1] * 10 + [0] * 5, "k": x + y})
    r = rank_test(df, outcome="k", group="member", alternative="greater").summary().iloc[0]
    assert r["statistic"] == 35 and r["p_value"] == pytest.approx(0.1272, abs=5e-5)
    r2 = rank_test(df, outcome="k", group="member").summary().iloc[0]
    assert r2["p_value"] == pytest.approx(0.2544, abs=5e-5)
    # R uses the exact distribution below 50 per group without ties (scipy's "auto" only up
    # to 8): 12 vs 15 firms -> exact
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=12), rng.normal(size=15) + 0.5
    df = pd.DataFrame({"member": [1] * 12 + [0] * 15, "y": np.r_[a, b]})
    r3 = rank_test(df, outcome="y", group="member").summary().iloc[0]
    assert r3["p_value"] == pytest.approx(stats.mannwhitneyu(a, b, method="exact").pvalue)


def test_rank_test_hand_example():
    # members 5, 7, 9 vs 4, 5, 6: pairs won 1+0.5+0+1+1+1+1+1+1 = 7.5 = U1;
    # differences 1,0,-1,3,2,1,5,4,3 -> median 2 (Hodges-Lehmann)
    df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0], "y": [5.0, 7.0, 9.0, 4.0, 5.0, 6.0]})
    r = rank_test(df, outcome="y", group="member").table.iloc[0]
    assert r["statistic"] == 7.5 and r["estimate"] == 2.0
    assert r["prob_superiority"] == pytest.approx(7.5 / 9)


# --- balance ------------------------------------------------------------------------


def test_smd_hand_calculation_ate_att_and_binary():
    df = pd.DataFrame(
        {"member": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0], "b": [1, 0, 0, 0, 1]}
    )
    # x: means 3 and 2, variances (n-1) 2 and 1
    # ATT: SMD = 1/sqrt(2) = 0.70711; ATE: pooled sqrt((2+1)/2) -> 1/1.224745 = 0.81650
    # VR = 2/1 = 2
    att = balance_table(df, group="member", covariates=["x", "b"]).set_index("covariate")
    ate = balance_table(df, group="member", covariates=["x", "b"], estimand="ATE").set_index(
        "covariate"
    )
    assert att.loc["x", "smd"] == pytest.approx(0.707107, abs=1e-6)
    assert ate.loc["x", "smd"] == pytest.approx(0.816497, abs=1e-6)
    assert att.loc["x", "variance_ratio"] == pytest.approx(2.0)
    # b: proportions 0.5 and 1/3; raw diff 1/6; std (ATT) by sqrt(.5*.5) = 0.5 -> 1/3;
    # std (ATE) by sqrt((.25 + 2/9)/2) = 0.485913 -> 0.342997
    assert att.loc["b", "smd"] == pytest.approx(1 / 6)
    assert np.isnan(att.loc["b", "variance_ratio"])
    std_att = balance_table(df, group="member", covariates=["b"], binary="std")
    assert std_att.loc[0, "smd"] == pytest.approx(1 / 3)
    std_ate = balance_table(df, group="member", covariates=["b"], binary="std", estimand="ATE")
    assert std_ate.loc[0, "smd"] == pytest.approx((1 / 6) / np.sqrt((0.25 + 2 / 9) / 2))


def test_weighted_balance_hand_calculation():
    df = pd.DataFrame({"member": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0]})
    w = np.array([1, 1, 0, 1, 3.0])
    bt = balance_table(df, group="member", covariates=["x"], weights=w).iloc[0]
    # weighted control mean (0*1 + 1*2 + 3*3)/4 = 2.75; SMD uses the unweighted treated SD
    assert bt["mean_control_adj"] == pytest.approx(2.75)
    assert bt["smd_adj"] == pytest.approx((3 - 2.75) / np.sqrt(2))
    # cobalt weighted variance: sum(w)/(sum(w)^2 - sum(w^2)) * sum(w (x - m)^2)
    # = 4/(16 - 10) * (1*0.5625 + 3*0.0625) = 0.5 -> VR = 2/0.5 = 4
    assert bt["variance_ratio_adj"] == pytest.approx(4.0)
    assert effective_n(w[2:]) == pytest.approx(16 / 10)


def test_text_covariates_become_levels(cross_section):
    bt = balance_table(cross_section, group="member", covariates=["sector"])
    assert set(bt["covariate"]) == {"sector_food", "sector_it", "sector_metal"}
    assert (bt["type"] == "binary").all()


# --- regression adjustment ----------------------------------------------------------


def test_regression_adjustment_equals_statsmodels_hc1(cross_section):
    df = cross_section
    r = regression_adjustment(
        df, outcome="sales", group="member", covariates=["age", "exporter", "sector"]
    )
    X = pd.get_dummies(
        df[["member", "age", "exporter", "sector"]],
        columns=["sector"],
        drop_first=True,
        dtype=float,
    )
    ref = sm.OLS(df["sales"], sm.add_constant(X)).fit(cov_type="HC1")
    s = r.summary().iloc[0]
    assert s["estimate"] == pytest.approx(ref.params["member"])
    assert s["std_error"] == pytest.approx(ref.bse["member"])
    assert s["n"] == len(df)


def test_interacted_regression_equals_separate_regressions(cross_section):
    # Lin (2013): the member coefficient of the fully interacted model = average over the
    # target population of the difference between the two groups' own regressions.
    df = cross_section
    covs = ["age", "exporter"]
    fits = {g: sm.OLS(d["sales"], sm.add_constant(d[covs])).fit() for g, d in df.groupby("member")}
    Xall = sm.add_constant(df[covs])
    ate = np.mean(fits[1].predict(Xall) - fits[0].predict(Xall))
    Xt = Xall[df["member"] == 1]
    att = np.mean(fits[1].predict(Xt) - fits[0].predict(Xt))
    r_ate = regression_adjustment(
        df, outcome="sales", group="member", covariates=covs, interacted=True
    )
    r_att = regression_adjustment(
        df, outcome="sales", group="member", covariates=covs, interacted=True, estimand="ATT"
    )
    assert r_ate.summary().loc[0, "estimate"] == pytest.approx(ate)
    assert r_att.summary().loc[0, "estimate"] == pytest.approx(att)


# --- difference-in-differences -------------------------------------------------------


def _lsdv(panel, cov, cluster=None):
    X = pd.concat(
        [
            panel[["treated", "size"]],
            pd.get_dummies(panel["firm"], drop_first=True, dtype=float),
            pd.get_dummies(panel["year"], drop_first=True, dtype=float),
        ],
        axis=1,
    )
    X = sm.add_constant(X)
    model = sm.OLS(panel["y"], X)
    if cov == "cluster":
        return model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(cluster)[0]}), X
    return model.fit(cov_type=cov), X


@pytest.mark.parametrize("cov", ["nonrobust", "HC1"])
def test_twfe_equals_dummy_variable_regression(cov):
    panel = _panel()
    r = did(
        panel,
        outcome="y",
        treated="treated",
        unit="firm",
        period="year",
        covariates=["size"],
        cov=cov,
    )
    ref, _ = _lsdv(panel, cov)
    co = r.coefficients.set_index("term")
    for term in ("treated", "size"):
        assert co.loc[term, "estimate"] == pytest.approx(ref.params[term], rel=1e-9)
        assert co.loc[term, "std_error"] == pytest.approx(ref.bse[term], rel=1e-9)
    assert (
        r.summary().loc[0, "p_value"] == pytest.approx(ref.pvalues["treated"], rel=1e-6)
        if cov == "nonrobust"
        else True
    )


def test_twfe_cluster_small_sample_correction():
    # statsmodels' LSDV cluster SE uses (N-1)/(N-K_lsdv) with K_lsdv counting every dummy;
    # with firm effects nested in firm clusters K = regressors + year effects + 1 intercept
    # (xtreg/reghdfe): SE = SE_lsdv * sqrt((N - K_lsdv)/(N - K)).
    panel = _panel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = did(
            panel,
            outcome="y",
            treated="treated",
            unit="firm",
            period="year",
            covariates=["size"],
            min_clusters=2,
        )
    ref, X = _lsdv(panel, "cluster", panel["firm"])
    N, K_lsdv = len(panel), X.shape[1]
    K = 2 + panel["year"].nunique()  # treated, size, 5 year effects + 1 intercept
    expected = ref.bse["treated"] * np.sqrt((N - K_lsdv) / (N - K))
    s = r.summary().iloc[0]
    assert s["std_error"] == pytest.approx(expected, rel=1e-9)
    G = panel["firm"].nunique()
    q = stats.t.ppf(0.975, G - 1)
    assert s["ci_high"] - s["estimate"] == pytest.approx(q * expected, rel=1e-9)


def test_2x2_did_is_difference_of_four_means():
    # Card & Krueger (1994) Table 3 layout: FTE employment per store before/after, NJ vs PA.
    # Published means NJ 20.44 -> 21.03, PA 23.33 -> 21.17: DiD = 0.59 - (-2.16) = 2.75.
    rng = np.random.default_rng(7)
    cells = {("NJ", 0): 20.44, ("NJ", 1): 21.03, ("PA", 0): 23.33, ("PA", 1): 21.17}
    rows = []
    for (state, post), mean in cells.items():
        n = 321 if state == "NJ" else 78
        noise = rng.normal(0, 9, n)
        for v in mean + noise - noise.mean():  # cell mean exactly the published one
            rows.append(
                {
                    "state": state,
                    "post": post,
                    "fte": v,
                    "nj_post": int(state == "NJ" and post == 1),
                }
            )
    df = pd.DataFrame(rows)
    r = did(df, outcome="fte", treated="nj_post", unit="state", period="post", cov="HC1")
    assert r.summary().loc[0, "estimate"] == pytest.approx((21.03 - 20.44) - (21.17 - 23.33))
    assert r.summary().loc[0, "estimate"] == pytest.approx(2.75)
    # pooled OLS with the group and period dummies gives the same number
    pooled = df.assign(nj=(df.state == "NJ").astype(int))
    r2 = did(
        pooled,
        outcome="fte",
        treated="nj_post",
        unit="state",
        period="post",
        covariates=["nj", "post"],
        fixed_effects=(),
        cov="HC1",
    )
    assert r2.summary().loc[0, "estimate"] == pytest.approx(2.75)
    assert r.summary().loc[0, "std_error"] == pytest.approx(r2.summary().loc[0, "std_error"])
    assert not r.design["panel"] and r.n_units == len(df)


def test_did_other_fixed_effects_and_continuous_treatment():
    panel = _panel(staggered=False)
    panel["support"] = panel["treated"] * np.linspace(1, 2, len(panel))
    r = did(
        panel,
        outcome="y",
        treated="support",
        unit="firm",
        period="year",
        fixed_effects=("region", "period"),
        cov="HC1",
    )
    X = pd.concat(
        [
            panel[["support"]],
            pd.get_dummies(panel["region"], drop_first=True, dtype=float),
            pd.get_dummies(panel["year"], drop_first=True, dtype=float),
        ],
        axis=1,
    )
    ref = sm.OLS(panel["y"], sm.add_constant(X)).fit(cov_type="HC1")
    s = r.summary().iloc[0]
    assert s["estimate"] == pytest.approx(ref.params["support"], rel=1e-9)
    assert s["std_error"] == pytest.approx(ref.bse["support"], rel=1e-9)
    assert r.pretrend.empty  # continuous treatment: no pre-trend diagnostic


def test_did_recovers_effect_and_flags_pretrends():
    panel = _panel(n_firms=80, effect=2.0, seed=1)
    r = did(panel, outcome="y", treated="treated", unit="firm", period="year")
    s = r.summary().iloc[0]
    assert s["ci_low"] < 2.0 < s["ci_high"]
    assert r.pretrend.loc[0, "p_value"] > 0.01
    # members already growing faster before joining -> PreTrendWarning
    from clusterlab.compare import PreTrendWarning

    bad = panel.assign(y=panel["y"] + 0.8 * panel["member"] * (panel["year"] - 2014))
    with pytest.warns(PreTrendWarning):
        r2 = did(bad, outcome="y", treated="treated", unit="firm", period="year")
    assert any("pre-trends" in n for n in r2.notes)


def test_event_study_equals_dummy_regression():
    panel = _panel(n_firms=60, seed=3)
    es = event_study(
        panel,
        outcome="y",
        unit="firm",
        period="year",
        first_treated="join",
        window=(-2, 2),
        cov="nonrobust",
    )
    rel = (panel["year"] - panel["join"]).clip(-2, 2)
    D = pd.DataFrame({e: ((rel == e) & panel["join"].notna()).astype(float) for e in (-2, 0, 1, 2)})
    X = pd.concat(
        [
            D,
            pd.get_dummies(panel["firm"], drop_first=True, dtype=float),
            pd.get_dummies(panel["year"], drop_first=True, dtype=float),
        ],
        axis=1,
    )
    X.columns = X.columns.astype(str)
    ref = sm.OLS(panel["y"], sm.add_constant(X)).fit()
    path = es.path.set_index("rel_period")
    for e in (-2, 0, 1, 2):
        assert path.loc[e, "estimate"] == pytest.approx(ref.params[str(e)], rel=1e-8)
        assert path.loc[e, "std_error"] == pytest.approx(ref.bse[str(e)], rel=1e-8)
    assert path.loc[-1, "estimate"] == 0 and path.loc[-1, "reference"]
    # the pre-trend F test equals statsmodels' Wald test of the single lead
    R = (ref.params.index == "-2").astype(float)
    wald = ref.t_test(R)  # one restriction: F = t^2
    assert es.pretrend.loc[0, "p_value"] == pytest.approx(float(wald.pvalue), rel=1e-6)
    # post average = mean of the three lags, SE from their covariance
    post = es.post_average().iloc[0]
    assert post["estimate"] == pytest.approx(ref.params[["0", "1", "2"]].mean())
    a = np.full(3, 1 / 3)
    V = ref.cov_params().loc[["0", "1", "2"], ["0", "1", "2"]].to_numpy()
    assert post["std_error"] == pytest.approx(np.sqrt(a @ V @ a))


# --- matching and weighting ----------------------------------------------------------


def test_matching_hand_example():
    # propensity scores by hand are awkward; with one covariate the logit score is monotone in
    # x, so nearest neighbours on the score pair up as follows (order "largest" first):
    df = pd.DataFrame(
        {
            "member": [1, 1, 0, 0, 0, 0, 1, 0],
            "x": [5.0, 3.0, 4.9, 3.1, 0.0, 1.0, 0.2, 2.0],
            "y": [10.0, 8.0, 7.0, 6.0, 1.0, 2.0, 3.0, 5.0],
        }
    )
    # the member with x = 5.0 lies beyond the largest non-member (4.9): said, and still matched
    with pytest.warns(OverlapWarning, match="1 of 3 members"):
        m = match(df, group="member", covariates=["x"])
    pairs = {
        df.loc[t, "x"]: df.loc[c, "x"]
        for t, c in zip(m.pairs.treated, m.pairs.control, strict=True)
    }
    assert pairs == {5.0: 4.9, 3.0: 3.1, 0.2: 0.0}
    att = m.att("y").summary().iloc[0]
    assert att["estimate"] == pytest.approx(((10 - 7) + (8 - 6) + (3 - 1)) / 3)
    assert att["n"] == 6
    assert set(m.weights[m.weights == 0].index) == {5, 7}


def test_matching_with_replacement_and_ratio_weights():
    df = pd.DataFrame(
        {"member": [1, 1, 0, 0, 0], "x": [5.0, 4.8, 4.9, 0.0, 1.0], "y": [10.0, 8.0, 7.0, 1.0, 2.0]}
    )
    with pytest.warns(OverlapWarning, match="1 of 2 members"):  # x = 5.0 > 4.9
        m = match(df, group="member", covariates=["x"], replace=True, ratio=2)
    # both members take the control with x = 4.9 first and x = 1.0 second; each link 1/2;
    # control weights 1 and 1, rescaled to sum to 2 controls used
    w = m.weights
    assert w.loc[2] == pytest.approx(1.0) and w.loc[4] == pytest.approx(1.0) and w.loc[3] == 0
    assert m.matched["pair"].isna().all()


def test_matching_caliper_drops_and_warns():
    df = pd.DataFrame(
        {"member": [1, 1, 0, 0, 0, 0, 1, 0], "x": [5.0, 3.0, 4.9, 3.1, 0.0, 1.0, 0.2, 2.0]}
    )
    outside = "1 of 3 members have propensity scores outside"  # x = 5.0 > 4.9
    with pytest.warns(OverlapWarning, match=outside):
        d = match(df, group="member", covariates=["x"]).pairs["distance"].sort_values()
    cut = float(d.iloc[:2].mean())  # between the closest and the second-closest pair
    with (
        pytest.warns(OverlapWarning, match="no control within the caliper"),
        pytest.warns(OverlapWarning, match=outside),
    ):
        m = match(df, group="member", covariates=["x"], caliper=cut, std_caliper=False)
    assert len(m.pairs) == 1 and len(m.unmatched) == 2
    assert (m.pairs["distance"] <= cut).all()
    with (
        pytest.raises(DataValidationError, match="no member found a control"),
        pytest.warns(OverlapWarning, match=outside),
    ):
        match(df, group="member", covariates=["x"], caliper=1e-9, std_caliper=False)


def test_ipw_hand_hajek(cross_section):
    df = cross_section
    w = weight(df, group="member", covariates=["age", "exporter"], estimand="ATE")
    ps = w.propensity.scores.to_numpy()
    g = df["member"].to_numpy()
    X = sm.add_constant(df[["age", "exporter"]].astype(float))
    ref_ps = sm.Logit(g, X).fit(disp=0).predict(X)
    assert np.allclose(ps, ref_ps)
    wt = np.where(g == 1, 1 / ps, 1 / (1 - ps))
    assert np.allclose(w.weights.to_numpy(), wt)
    y = df["sales"].to_numpy()
    hajek = np.sum(wt * g * y) / np.sum(wt * g) - np.sum(wt * (1 - g) * y) / np.sum(wt * (1 - g))
    eff = w.effect("sales").summary().iloc[0]
    assert eff["estimate"] == pytest.approx(hajek)
    ref = sm.WLS(y, sm.add_constant(g.astype(float)), weights=wt).fit(cov_type="HC1")
    assert eff["std_error"] == pytest.approx(ref.bse[1])
    assert ipw_weights(np.array([0.25]), np.array([0]), "ATT")[0] == pytest.approx(1 / 3)


def test_effects_table_side_by_side(cross_section):
    df = cross_section
    panel = _panel()
    res = [
        difference_in_means(df, outcome="sales", group="member"),
        regression_adjustment(df, outcome="sales", group="member", covariates=["age"]),
        did(panel, outcome="y", treated="treated", unit="firm", period="year", min_clusters=2),
        event_study(
            panel, outcome="y", unit="firm", period="year", first_treated="join", min_clusters=2
        ),
    ]
    tab = effects_table(res)
    assert list(tab.columns[:2]) == ["outcome", "method"]
    assert set(SUMMARY_COLUMNS) <= set(tab.columns) and "n_firms" in tab.columns
    assert tab["method"].tolist() == [
        "difference_in_means",
        "regression_adjustment",
        "did",
        "event_study",
    ]
    assert tab.loc[2, "n_firms"] == panel["firm"].nunique()
