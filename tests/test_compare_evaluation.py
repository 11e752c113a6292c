"""Evaluation estimators of issue #16 against published or independently computed numbers.

Data: the ``causaldata`` package (MIT, test extra) and one table typed from its publication:
* ``causaldata::organ_donations`` - Kessler & Roth (2014) organ-donation registration rates, the
  one-treated-state example of Huntington-Klein, *The Effect* (2021), ch. 18;
* ``causaldata::castle`` - Cheng & Hoekstra (2013) castle-doctrine state panel (staggered
  adoption 2006-2010), the staggered-DiD example of Cunningham, *Causal Inference: The
  Mixtape* (2021), ch. 9;
* the 13 BCG vaccine trials of Colditz et al. (1994), metafor's ``dat.bcg`` (HSAUR's ``BCG``),
  typed in the ``bcg`` fixture.
"""

from __future__ import annotations

import itertools
import warnings

import causaldata
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterlab.compare import (
    bacon_decomposition,
    did,
    event_study,
    initiative_effects,
    maturity_table,
    pool_effects,
    region_panel,
    staggered_did,
    synthetic_control,
)
from clusterlab.errors import (
    ClusterlabWarning,
    CoverageWarning,
    DataValidationError,
    DataWarning,
    EstimationWarning,
    FewTreatedWarning,
    ParameterError,
)

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        return fn(*args, **kw)


@pytest.fixture(scope="module")
def organ():
    o = causaldata.organ_donations.load_pandas().data
    o = o.astype({c: "float64" for c in o.columns if o[c].dtype.kind == "f"})
    return o.assign(
        treated=((o.State == "California") & (o.Quarter_Num >= 4)).astype(int),
        first=np.where(o.State == "California", 4.0, np.nan),
    )


@pytest.fixture(scope="module")
def castle():
    # causaldata stores Stata's float32/int8 columns; the R copy is float64, as here
    d = (
        causaldata.castle.load_pandas()
        .data[["sid", "year", "post", "l_homicide", "l_police", "unemployrt"]]
        .astype("float64")
    )
    d = d.astype({"sid": "int64", "year": "int64"})
    first = d[d.post > 0].groupby("sid").year.min()
    return d.assign(effyear=d.sid.map(first).fillna(0))


@pytest.fixture(scope="module")
def bcg():
    # metafor's dat.bcg (Colditz et al. 1994, JAMA 271, Table 1; the same 13 trials as HSAUR's
    # BCG): TB cases and group sizes of the vaccinated and unvaccinated arms, absolute latitude
    trials = [
        (4, 119, 11, 128, 44),
        (6, 300, 29, 274, 55),
        (3, 228, 11, 209, 42),
        (62, 13536, 248, 12619, 52),
        (33, 5036, 47, 5761, 13),
        (180, 1361, 372, 1079, 44),
        (8, 2537, 10, 619, 19),
        (505, 87886, 499, 87892, 13),
        (29, 7470, 45, 7232, 27),
        (17, 1699, 65, 1600, 42),
        (186, 50448, 141, 27197, 18),
        (5, 2493, 3, 2338, 33),
        (27, 16886, 29, 17825, 33),
    ]
    b = pd.DataFrame(trials, columns=["tpos", "tneg", "cpos", "cneg", "Latitude"])
    b.insert(0, "Study", range(1, 14))
    b = b.assign(BCGTB=b.tpos, BCGVacc=b.tpos + b.tneg, NoVaccTB=b.cpos, NoVacc=b.cpos + b.cneg)
    # metafor::escalc(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
    return b.assign(
        yi=np.log((b.BCGTB / b.BCGVacc) / (b.NoVaccTB / b.NoVacc)),
        sei=np.sqrt(1 / b.BCGTB - 1 / b.BCGVacc + 1 / b.NoVaccTB - 1 / b.NoVacc),
    )


# ---------------------------------------------------------------- one treated unit (did)


def test_single_treated_state_matches_the_effect(organ):
    # The Effect, ch. 18: TWFE estimate -0.0225 with the conventional SE 0.0205 (4 decimals)
    with pytest.warns(FewTreatedWarning, match="permutation"):
        r = did(
            organ,
            outcome="Rate",
            treated="treated",
            unit="State",
            period="Quarter_Num",
            cov="nonrobust",
        )
    row = r.summary().iloc[0]
    assert row["estimate"] == pytest.approx(-0.0225, abs=5e-5)
    assert row["std_error"] == pytest.approx(0.0205, abs=5e-5)


def test_permutation_inference_enumerates_every_placement(organ):
    r = _quiet(
        did,
        organ,
        outcome="Rate",
        treated="treated",
        unit="State",
        period="Quarter_Num",
        cov="nonrobust",
        inference="permutation",
    )
    # independent: move California's treatment path to each state and refit with dummies
    placebo = {}
    for state in organ.State.unique():
        df = organ.assign(d=((organ.State == state) & (organ.Quarter_Num >= 4)).astype(int))
        placebo[state] = smf.ols("Rate ~ d + C(State) + C(Quarter_Num)", df).fit().params["d"]
    got = r.permutation.set_index("placebo_unit")["estimate"]
    assert len(got) == organ.State.nunique() == 27
    for state, b in placebo.items():
        assert got[state] == pytest.approx(b, abs=1e-10)
    obs = placebo["California"]
    p_expected = np.mean(np.abs(list(placebo.values())) >= abs(obs) - 1e-12)
    row = r.summary().iloc[0]
    assert row["p_value"] == pytest.approx(p_expected)
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])


def test_wild_cluster_bootstrap_agrees_with_cr1_when_clusters_are_many(castle):
    kw = {"outcome": "l_homicide", "treated": "post", "unit": "sid", "period": "year"}
    cl = _quiet(did, castle, cov="cluster", **kw).summary().iloc[0]
    w1 = _quiet(did, castle, cov="wild", seed=3, **kw).summary().iloc[0]
    w2 = _quiet(did, castle, cov="wild", seed=3, **kw).summary().iloc[0]
    assert w1["estimate"] == cl["estimate"] and w1["std_error"] == cl["std_error"]
    assert w1["p_value"] == w2["p_value"] and w1["ci_low"] == w2["ci_low"]  # reproducible
    # 50 state clusters, 21 treated: bootstrap and t(G-1) inference should be close
    assert abs(w1["p_value"] - cl["p_value"]) < 0.08
    assert w1["ci_low"] < cl["estimate"] < w1["ci_high"]
    assert w1["ci_high"] - w1["ci_low"] == pytest.approx(cl["ci_high"] - cl["ci_low"], rel=0.3)


def test_permutation_needs_a_panel_and_binary_treatment(organ):
    with pytest.raises(ParameterError, match="permutation"):
        _quiet(
            did,
            organ.assign(treated=organ.treated * 2.5),
            outcome="Rate",
            treated="treated",
            unit="State",
            period="Quarter_Num",
            inference="permutation",
        )
    with pytest.raises(ParameterError, match="inference"):
        did(
            organ,
            outcome="Rate",
            treated="treated",
            unit="State",
            period="Quarter_Num",
            inference="bootstrap",
        )
    with pytest.raises(ParameterError, match="draws"):
        did(
            organ,
            outcome="Rate",
            treated="treated",
            unit="State",
            period="Quarter_Num",
            inference="permutation",
            draws=5,
        )


def test_event_study_with_one_treated_state(organ):
    with pytest.warns(FewTreatedWarning):
        es = event_study(
            organ,
            outcome="Rate",
            unit="State",
            period="Quarter_Num",
            first_treated="first",
            window=None,
            cov="nonrobust",
            inference="permutation",
        )
    assert es.path["rel_period"].tolist() == [-3, -2, -1, 0, 1, 2]
    # event time e: California's change from quarter 3 to 3+e minus the other states' change
    m = organ.pivot(index="State", columns="Quarter_Num", values="Rate")
    ca, rest = m.loc["California"], m.drop("California").mean()
    for e in (-3, -2, 0, 1, 2):
        expected = (ca[4 + e] - ca[3]) - (rest[4 + e] - rest[3])
        got = es.path.set_index("rel_period").loc[e, "estimate"]
        assert got == pytest.approx(expected, abs=1e-10)
    perm = es.permutation
    assert perm["exact"].all() and perm["draw"].nunique() == 27
    for term, grp in perm.groupby("term"):
        obs = es.params[term]
        p = np.mean(np.abs(grp["estimate"]) >= abs(obs) - 1e-12)
        assert es.summary().set_index("term").loc[term, "p_value"] == pytest.approx(p)


# ---------------------------------------------------------------- Goodman-Bacon


def test_bacon_three_unit_example_by_hand():
    # Goodman-Bacon (2021) Theorem 1 for n_k = 1/3, T = 10, D_early = 0.6, D_late = 0.3:
    # s_eU = (2/3)^2 .25 .6 .4, s_lU = (2/3)^2 .25 .3 .7,
    # s_el = ((2/3) .7)^2 .25 (.3/.7)(.4/.7), s_le = ((2/3) .6)^2 .25 (.3/.6)(.3/.6)
    raw = np.array(
        [
            4 / 9 * 0.25 * 0.6 * 0.4,
            4 / 9 * 0.25 * 0.3 * 0.7,
            (2 / 3 * 0.7) ** 2 * 0.25 * (0.3 / 0.7) * (0.4 / 0.7),
            (2 / 3 * 0.6) ** 2 * 0.25 * 0.25,
        ]
    )
    rows = [
        {
            "id": i,
            "t": t,
            "d": int(s is not None and t >= s),
            "y": (2.0 if i == 2 else 4.0) * (s is not None and t >= s) + 0.1 * i * (t % 3),
        }
        for i, s in [(1, None), (2, 5), (3, 8)]
        for t in range(1, 11)
    ]
    df = pd.DataFrame(rows)
    b = bacon_decomposition(df, outcome="y", treated="d", unit="id", period="t")
    assert b["comparison"].tolist() == ["treated vs never treated"] * 2 + [
        "earlier vs later treated",
        "later vs earlier treated",
    ]
    np.testing.assert_allclose(b["weight"], raw / raw.sum(), atol=1e-12)
    twfe = smf.ols("y ~ d + C(id) + C(t)", df).fit().params["d"]
    assert float((b["weight"] * b["estimate"]).sum()) == pytest.approx(twfe, abs=1e-10)


def test_bacon_castle_adds_up_to_twfe(castle):
    b = bacon_decomposition(castle, outcome="l_homicide", treated="post", unit="sid", period="year")
    twfe = smf.ols("l_homicide ~ post + C(sid) + C(year)", castle).fit().params["post"]
    assert b["weight"].sum() == pytest.approx(1.0, abs=1e-12)
    assert float((b["weight"] * b["estimate"]).sum()) == pytest.approx(twfe, abs=1e-10)
    # 5 adoption cohorts and never-treated states: 5 + 2 * C(5, 2) comparisons
    assert len(b) == 5 + 2 * 10
    # each treated-vs-never 2x2 is the difference of before/after mean changes
    row = b[(b.comparison == "treated vs never treated") & (b.treated_group == 2007)].iloc[0]
    g = castle.assign(post_period=castle.year >= 2007)
    mean = g.groupby([g.effyear.isin([2007]), g.effyear.eq(0), "post_period"]).l_homicide.mean()
    expected = (mean[(True, False, True)] - mean[(True, False, False)]) - (
        mean[(False, True, True)] - mean[(False, True, False)]
    )
    assert row["estimate"] == pytest.approx(expected, abs=1e-12)
    assert (row["n_treated"], row["n_control"]) == (13, 29)


def test_bacon_rejects_unbalanced_and_switching(castle):
    with pytest.raises(DataValidationError, match="balanced"):
        bacon_decomposition(
            castle.iloc[1:], outcome="l_homicide", treated="post", unit="sid", period="year"
        )
    flip = castle.copy()
    flip.loc[(flip.effyear == 2006) & (flip.year == 2010), "post"] = 0
    with pytest.raises(DataValidationError, match="absorbing"):
        bacon_decomposition(flip, outcome="l_homicide", treated="post", unit="sid", period="year")


@SETTINGS
@given(st.data())
def test_bacon_weights_reproduce_twfe_on_random_panels(data):
    n_units, n_t = data.draw(st.integers(4, 9)), data.draw(st.integers(3, 6))
    starts = data.draw(
        st.lists(st.sampled_from([None, *range(1, n_t + 1)]), min_size=n_units, max_size=n_units)
    )
    assume_ok = any(s is not None and 1 <= s < n_t for s in starts)
    if not assume_ok:
        starts[0] = 1
    ys = data.draw(
        st.lists(
            st.floats(-100, 100, allow_nan=False), min_size=n_units * n_t, max_size=n_units * n_t
        )
    )
    df = pd.DataFrame(
        [
            {"u": i, "t": t, "d": int(s is not None and t >= s), "y": ys[i * n_t + t]}
            for i, s in enumerate(starts)
            for t in range(n_t)
        ]
    )
    if df.groupby("u").d.max().nunique() < 2 and df.d.min() == df.d.max():
        return
    try:
        b = bacon_decomposition(df, outcome="y", treated="d", unit="u", period="t")
    except DataValidationError:
        return
    dummies = pd.get_dummies(df[["u", "t"]].astype(str), drop_first=True).astype(float)
    design = sm.add_constant(pd.concat([df[["d"]].astype(float), dummies], axis=1))
    fit = sm.OLS(df["y"], design).fit()
    assert b["weight"].sum() == pytest.approx(1.0, abs=1e-9)
    assert float((b["weight"] * b["estimate"]).sum()) == pytest.approx(fit.params["d"], abs=1e-6)


# ---------------------------------------------------------------- Callaway & Sant'Anna


def _cell(castle, g, t, base, control):
    wide = castle.pivot(index="sid", columns="year", values="l_homicide")
    eff = castle.groupby("sid").effyear.first()
    dy = wide[t] - wide[base]
    tr = dy[eff == g]
    co = dy[eff == 0] if control == "never" else dy[(eff == 0) | (eff > max(t, base))]
    att = tr.mean() - co.mean()
    se = np.sqrt(tr.var(ddof=0) / len(tr) + co.var(ddof=0) / len(co))
    return att, se


def test_att_gt_equal_two_by_two_means(castle):
    r = _quiet(
        staggered_did,
        castle,
        outcome="l_homicide",
        unit="sid",
        period="year",
        first_treated="effyear",
    )
    att = r.att_gt
    assert len(att) == 5 * 10  # 5 cohorts x periods 2001-2010
    for _, row in att.iterrows():
        g, t = row["group"], row["period"]
        base = g - 1 if t >= g else t - 1  # varying base period
        exp_att, exp_se = _cell(castle, g, t, base, "never")
        assert row["estimate"] == pytest.approx(exp_att, abs=1e-12)
        assert row["base_period"] == base
        if row["n_treated"] > 1:
            assert row["std_error"] == pytest.approx(exp_se, rel=1e-9)


def test_not_yet_treated_controls(castle):
    r = _quiet(
        staggered_did,
        castle,
        outcome="l_homicide",
        unit="sid",
        period="year",
        first_treated="effyear",
        control="not_yet",
    )
    row = r.att_gt.query("group == 2007 and period == 2008").iloc[0]
    exp_att, exp_se = _cell(castle, 2007, 2008, 2006, "not_yet")
    assert row["estimate"] == pytest.approx(exp_att, abs=1e-12)
    assert row["std_error"] == pytest.approx(exp_se, rel=1e-9)
    assert row["n_control"] == 29 + 2 + 1  # never + the 2009 and 2010 cohorts


def test_estimation_methods_agree_without_covariates(castle):
    kw = {"outcome": "l_homicide", "unit": "sid", "period": "year", "first_treated": "effyear"}
    tabs = [_quiet(staggered_did, castle, estimation=m, **kw).att_gt for m in ("dr", "ipw", "reg")]
    for t in tabs[1:]:
        np.testing.assert_allclose(t["estimate"], tabs[0]["estimate"], atol=1e-12)
        np.testing.assert_allclose(t["std_error"], tabs[0]["std_error"], rtol=1e-9)


def test_covariate_estimators_against_statsmodels(castle):
    kw = {
        "outcome": "l_homicide",
        "unit": "sid",
        "period": "year",
        "first_treated": "effyear",
        "covariates": ["l_police"],
    }
    reg = _quiet(staggered_did, castle, estimation="reg", **kw).att_gt
    ipw = _quiet(staggered_did, castle, estimation="ipw", **kw).att_gt
    dr = _quiet(staggered_did, castle, estimation="dr", **kw).att_gt
    wide = castle.pivot(index="sid", columns="year", values="l_homicide")
    xw = castle.pivot(index="sid", columns="year", values="l_police")
    eff = castle.groupby("sid").effyear.first()
    for g, t in [(2007, 2009), (2008, 2010), (2009, 2005)]:
        base = g - 1 if t >= g else t - 1
        sub = (eff == g) | (eff == 0)
        dy, x, d = (wide[t] - wide[base])[sub], xw[base][sub], (eff[sub] == g).astype(float)
        xmat = sm.add_constant(x.to_numpy())
        # outcome regression (Heckman, Ichimura & Todd 1997): OLS on controls, predict treated
        ols = sm.OLS(dy[d == 0].to_numpy(), xmat[d.to_numpy() == 0]).fit()
        exp_reg = (dy[d == 1] - xmat[d.to_numpy() == 1] @ ols.params).mean()
        # normalised IPW (Abadie 2005 / Hajek): logit propensity, odds weights on controls
        ps = sm.Logit(d.to_numpy(), xmat).fit(disp=0).predict(xmat)
        wc = ps * (1 - d.to_numpy()) / (1 - ps)
        exp_ipw = dy[d == 1].mean() - np.sum(wc * dy.to_numpy()) / wc.sum()
        # doubly robust (Sant'Anna & Zhao 2020): IPW on the outcome-regression residuals
        resid = dy.to_numpy() - xmat @ ols.params
        exp_dr = resid[d.to_numpy() == 1].mean() - np.sum(wc * resid) / wc.sum()
        q = f"group == {g} and period == {t}"
        assert reg.query(q)["estimate"].iloc[0] == pytest.approx(exp_reg, abs=1e-8)
        assert ipw.query(q)["estimate"].iloc[0] == pytest.approx(exp_ipw, abs=1e-6)
        assert dr.query(q)["estimate"].iloc[0] == pytest.approx(exp_dr, abs=1e-6)


def test_aggregations_by_hand(castle):
    r = _quiet(
        staggered_did,
        castle,
        outcome="l_homicide",
        unit="sid",
        period="year",
        first_treated="effyear",
    )
    att = r.att_gt
    size = castle.groupby("sid").effyear.first().value_counts()
    post = att[att.period >= att.group].assign(w=lambda d: d.group.map(size))
    simple = r.aggregate("simple")
    assert simple["estimate"].iloc[0] == pytest.approx(
        np.average(post.estimate, weights=post.w), abs=1e-12
    )
    group = r.aggregate("group").set_index("term")
    by_g = post.groupby("group").estimate.mean()
    for g, v in by_g.items():
        assert group.loc[f"group={g}", "estimate"] == pytest.approx(v, abs=1e-12)
    w_g = size.reindex(by_g.index)
    assert group.loc["overall", "estimate"] == pytest.approx(np.average(by_g, weights=w_g))
    # members behind each row (for disclosure control): cohort sizes
    assert group.loc["group=2007", "n_treated"] == size[2007] == 13
    assert group.loc["overall", "n_treated"] == 21
    dyn = r.aggregate("dynamic").set_index("term")
    e0 = att[att.event_time == 0].assign(w=lambda d: d.group.map(size))
    assert dyn.loc["event_time=0", "estimate"] == pytest.approx(
        np.average(e0.estimate, weights=e0.w)
    )
    pos = dyn[dyn.event_time >= 0]
    assert dyn.loc["overall", "estimate"] == pytest.approx(pos.estimate.mean())
    cal = r.aggregate("calendar").set_index("term")
    c8 = post[post.period == 2008]
    assert cal.loc["period=2008", "estimate"] == pytest.approx(
        np.average(c8.estimate, weights=c8.w)
    )
    # one cohort only: the weight-estimation term vanishes, so its SE is that of the cell mean
    assert (r.summary()["std_error"] > 0).all()


def test_bootstrap_is_reproducible_and_close_to_analytic(castle):
    kw = {"outcome": "l_homicide", "unit": "sid", "period": "year", "first_treated": "effyear"}
    an = _quiet(staggered_did, castle, **kw).aggregate("dynamic")
    b1 = _quiet(staggered_did, castle, bootstrap=999, seed=7, **kw).aggregate("dynamic")
    b2 = _quiet(staggered_did, castle, bootstrap=999, seed=7, **kw).aggregate("dynamic")
    b3 = _quiet(staggered_did, castle, bootstrap=999, seed=8, **kw).aggregate("dynamic")
    pd.testing.assert_frame_equal(b1, b2)
    assert not np.allclose(b1["std_error"], b3["std_error"])
    # bootstrap (IQR-based) and analytic SEs estimate the same thing; single-state cohorts
    # make a few event times noisy, so compare the typical ratio
    ratio = b1["std_error"] / an["std_error"]
    assert abs(np.median(ratio) - 1) < 0.1 and ratio.between(0.6, 1.5).all()
    # a simultaneous band is wider than the pointwise interval
    rows = b1["term"] != "overall"
    assert ((b1.ci_high - b1.ci_low)[rows] > (an.ci_high - an.ci_low)[rows]).all()


def test_never_treated_codes_and_bad_input(castle):
    kw = {"outcome": "l_homicide", "unit": "sid", "period": "year", "first_treated": "effyear"}
    base = _quiet(staggered_did, castle, **kw).att_gt
    for code in (np.nan, np.inf):
        alt = castle.assign(effyear=castle.effyear.replace(0, code))
        pd.testing.assert_frame_equal(_quiet(staggered_did, alt, **kw).att_gt, base)
    with pytest.raises(ParameterError, match="bootstrap"):
        staggered_did(castle, bootstrap=10, **kw)
    with pytest.raises(ParameterError, match="estimation"):
        staggered_did(castle, estimation="ols", **kw)
    with pytest.raises(DataValidationError, match="period number"):
        staggered_did(castle.assign(effyear=castle.effyear.astype(str).replace("0.0", "no")), **kw)
    with pytest.raises(DataValidationError, match="never-treated"):
        staggered_did(castle[castle.effyear > 0], **kw)
    varying = castle.copy()
    varying.loc[varying.index[0], "effyear"] = 2008
    with pytest.raises(DataValidationError, match="differs within"):
        staggered_did(varying, **kw)
    # dropping the unbalanced state leaves two single-state cohorts
    with (
        pytest.warns(DataWarning, match="not observed in all"),
        pytest.warns(EstimationWarning, match=r"2 cohort\(s\) have a single sid"),
    ):
        staggered_did(castle.iloc[1:], **kw)


def test_single_firm_cohort_and_text_ids():
    # one establishment joins in 2019; ids are codes with leading zeros
    rows = [
        {
            "firm": f"{i:03d}",
            "year": t,
            "join": 2019 if i == 7 else 0,
            "y": i + 0.1 * t + (1.5 if i == 7 and t >= 2019 else 0),
        }
        for i in range(1, 9)
        for t in range(2016, 2022)
    ]
    with pytest.warns(Warning, match="single firm"):
        r = staggered_did(
            pd.DataFrame(rows), outcome="y", unit="firm", period="year", first_treated="join"
        )
    assert r.aggregate("simple")["estimate"].iloc[0] == pytest.approx(1.5)
    assert r.units["unit"].tolist()[:2] == ["001", "002"]


# ---------------------------------------------------------------- Sun & Abraham


def test_sun_abraham_cohort_effects_are_two_by_two_means(castle):
    es = _quiet(
        event_study,
        castle.assign(effyear=castle.effyear.replace(0, np.nan)),
        outcome="l_homicide",
        unit="sid",
        period="year",
        first_treated="effyear",
        window=None,
        method="sun_abraham",
    )
    wide = castle.pivot(index="sid", columns="year", values="l_homicide")
    eff = castle.groupby("sid").effyear.first()
    never = wide[eff == 0]
    for _, row in es.cohort_effects.iterrows():
        g, e = int(row["cohort"]), int(row["rel_period"])
        tr = wide[eff == g]
        exp = (tr[g + e].mean() - tr[g - 1].mean()) - (never[g + e].mean() - never[g - 1].mean())
        assert row["estimate"] == pytest.approx(exp, abs=1e-9)
    # aggregation: cohort-share weights; lags equal Callaway-Sant'Anna's dynamic effects
    cs = (
        _quiet(
            staggered_did,
            castle,
            outcome="l_homicide",
            unit="sid",
            period="year",
            first_treated="effyear",
        )
        .aggregate("dynamic")
        .set_index("event_time")
    )
    path = es.path.set_index("rel_period")
    for e in range(0, 5):
        assert path.loc[e, "estimate"] == pytest.approx(cs.loc[e, "estimate"], abs=1e-9)
    assert es.method == "sun_abraham"
    assert es.path.loc[es.path.reference, "estimate"].eq(0).all()


def test_sun_abraham_window_selects_and_errors(castle):
    data = castle.assign(effyear=castle.effyear.replace(0, np.nan))
    es = _quiet(
        event_study,
        data,
        outcome="l_homicide",
        unit="sid",
        period="year",
        first_treated="effyear",
        window=(-2, 2),
        method="sun_abraham",
    )
    assert es.path.rel_period.tolist() == [-2, -1, 0, 1, 2]
    with pytest.raises(ParameterError, match="method"):
        event_study(
            data,
            outcome="l_homicide",
            unit="sid",
            period="year",
            first_treated="effyear",
            method="callaway",
        )


# ---------------------------------------------------------------- meta-analysis (metafor)


def test_pool_effects_matches_metafor_bcg(bcg):
    # metafor (Viechtbauer 2010; metafor tests "metan vs rma.uni with dat.bcg"), log RR:
    # REML: -0.7145 (SE 0.1798), CI [-1.0669, -0.3622], tau2 0.3132, I2 92.22%, Q 152.2330
    r = pool_effects(bcg, estimate="yi", std_error="sei").summary().iloc[0]
    assert r["estimate"] == pytest.approx(-0.7145, abs=5e-5)
    assert r["std_error"] == pytest.approx(0.1798, abs=5e-5)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((-1.0669, -0.3622), abs=5e-5)
    assert r["tau2"] == pytest.approx(0.3132, abs=5e-5)
    assert r["i2"] == pytest.approx(92.22, abs=5e-3)
    assert r["q"] == pytest.approx(152.2330, abs=5e-5) and r["q_df"] == 12
    # DL: -0.7141, CI [-1.0644, -0.3638]; EE/FE: -0.4303, CI [-0.5097, -0.3509], z -10.6247
    dl = pool_effects(bcg, estimate="yi", std_error="sei", method="DL").summary().iloc[0]
    assert (dl["estimate"], dl["ci_low"], dl["ci_high"]) == pytest.approx(
        (-0.7141, -1.0644, -0.3638), abs=5e-5
    )
    fe = pool_effects(bcg, estimate="yi", std_error="sei", method="FE").summary().iloc[0]
    assert (fe["estimate"], fe["ci_low"], fe["ci_high"], fe["statistic"]) == pytest.approx(
        (-0.4303, -0.5097, -0.3509, -10.6247), abs=5e-5
    )


def test_meta_regression_matches_metafor_bcg(bcg):
    # rma(yi, vi, mods = ~ ablat, data = dat) (Viechtbauer 2010, section 3.3): intercept
    # 0.2515 (SE 0.2491), ablat -0.0291 (SE 0.0072), tau2 0.0763, I2 68.39%, QE(11) 30.7331
    r = pool_effects(bcg, estimate="yi", std_error="sei", moderators=["Latitude"])
    s = r.summary().set_index("term")
    assert s.loc["intercept", "estimate"] == pytest.approx(0.2515, abs=5e-5)
    assert s.loc["intercept", "std_error"] == pytest.approx(0.2491, abs=5e-5)
    assert s.loc["Latitude", "estimate"] == pytest.approx(-0.0291, abs=5e-5)
    assert s.loc["Latitude", "std_error"] == pytest.approx(0.0072, abs=5e-5)
    h = r.heterogeneity
    assert h["tau2"] == pytest.approx(0.0763, abs=5e-5)
    assert h["i2"] == pytest.approx(68.39, abs=5e-3)
    assert h["q"] == pytest.approx(30.7331, abs=5e-5) and h["q_df"] == 11
    assert r.studies["weight"].sum() == pytest.approx(100)


def test_pool_effects_bad_input_and_few_initiatives():
    eff = pd.DataFrame(
        {"estimate": [0.1, 0.4, 0.2], "std_error": [0.1, 0.0, 0.1], "score": [1.0, 1.0, 1.0]}
    )
    with pytest.raises(DataValidationError, match="positive") as err:
        pool_effects(eff)
    assert err.value.problems.loc[0, "row"] == 2
    ok = eff.assign(std_error=0.1)
    with pytest.warns(CoverageWarning, match="only 3"):
        pool_effects(ok)
    with pytest.raises(DataValidationError, match="cannot estimate"):
        _quiet(pool_effects, ok, moderators=["score"])
    with pytest.raises(DataValidationError, match="cannot estimate"):
        _quiet(pool_effects, ok.iloc[:1])
    with pytest.raises(ParameterError, match="method"):
        pool_effects(ok, method="ML")


@SETTINGS
@given(
    st.lists(st.tuples(st.floats(-5, 5), st.floats(0.05, 3)), min_size=2, max_size=12),
    st.sampled_from(["REML", "DL", "FE"]),
)
def test_pooled_effect_lies_between_the_effects(pairs, method):
    eff = pd.DataFrame(pairs, columns=["estimate", "std_error"])
    r = _quiet(pool_effects, eff, method=method).summary().iloc[0]
    assert eff.estimate.min() - 1e-9 <= r["estimate"] <= eff.estimate.max() + 1e-9
    assert r["tau2"] >= 0 and 0 <= r["i2"] <= 100


def test_permutation_p_value_definition():
    from clusterlab.compare._inference import permutation_pvalue

    placebo = np.array([0.5, -2.0, 1.0, 3.0])
    assert permutation_pvalue(1.0, placebo, exact=True) == 0.75
    assert permutation_pvalue(1.0, placebo, exact=False) == (1 + 3) / 5


def test_exhaustive_small_permutation_matches_itertools():
    # 4 units, 1 treated: exact enumeration is every unit in turn
    rows = [
        {"u": u, "t": t, "d": int(u == 0 and t == 1), "y": float(u * 1.3 + t + (u == 0) * t)}
        for u in range(4)
        for t in range(2)
    ]
    df = pd.DataFrame(rows)
    r = _quiet(
        did,
        df,
        outcome="y",
        treated="d",
        unit="u",
        period="t",
        cov="nonrobust",
        inference="permutation",
    )
    est = []
    for j in itertools.chain(range(4)):
        alt = df.assign(d=((df.u == j) & (df.t == 1)).astype(int))
        est.append(smf.ols("y ~ d + C(u) + C(t)", alt).fit().params["d"])
    np.testing.assert_allclose(r.permutation["estimate"], est, atol=1e-10)


# ---------------------------------------------------------------- synthetic control


def _synth_panel(seed=0, effect=2.0, n_donors=8, t0=2012, t1=2020, start=2017):
    rng = np.random.default_rng(seed)
    years = np.arange(t0, t1 + 1)
    factors = np.column_stack([np.ones(len(years)), np.sin(years / 2.0), (years - t0) / 4])
    loads = rng.uniform(0, 3, size=(n_donors, 3))
    donors = loads @ factors.T + rng.normal(0, 0.05, size=(n_donors, len(years)))
    w_true = np.zeros(n_donors)
    w_true[[1, 4, 6]] = [0.2, 0.5, 0.3]
    treated = w_true @ donors + effect * (years >= start)
    rows = [
        {
            "region": f"D{j:02d}",
            "year": y,
            "emp": donors[j, i],
            "size": loads[j, 0] + 0.01 * i,
            "share": loads[j, 2],
        }
        for j in range(n_donors)
        for i, y in enumerate(years)
    ]
    rows += [
        {
            "region": "T",
            "year": y,
            "emp": treated[i],
            "size": w_true @ loads[:, 0] + 0.01 * i,
            "share": w_true @ loads[:, 2],
        }
        for i, y in enumerate(years)
    ]
    return pd.DataFrame(rows), w_true


def test_synthetic_control_recovers_planted_weights_and_effect():
    df, w_true = _synth_panel()
    sc = _quiet(
        synthetic_control,
        df,
        outcome="emp",
        unit="region",
        period="year",
        treated_unit="T",
        treatment_period=2017,
    )
    np.testing.assert_allclose(sc.weights["weight"], w_true, atol=0.02)
    assert sc.weights["weight"].sum() == pytest.approx(1.0, abs=1e-12)
    post = sc.effects[sc.effects.post]
    assert post["gap"].mean() == pytest.approx(2.0, abs=0.05)
    np.testing.assert_allclose(sc.effects["actual"] - sc.effects["synthetic"], sc.effects["gap"])
    with_predictors = _quiet(
        synthetic_control,
        df,
        outcome="emp",
        unit="region",
        period="year",
        treated_unit="T",
        treatment_period=2017,
        predictors=["emp", "size", "share"],
    )
    assert with_predictors.predictors["v_weight"].sum() == pytest.approx(1.0)
    assert with_predictors.summary()["estimate"].iloc[0] == pytest.approx(2.0, abs=0.15)


def test_simplex_weights_satisfy_kkt_conditions():
    from clusterlab.compare.synth import simplex_weights

    rng = np.random.default_rng(5)
    for k, j in [(4, 12), (12, 6), (25, 3)]:
        x0 = rng.normal(size=(k, j))
        x1 = rng.normal(size=k)
        v = rng.uniform(0.1, 2, size=k)
        w = simplex_weights(x1, x0, v)
        assert w.min() >= 0 and w.sum() == pytest.approx(1.0)
        # KKT of min (x1 - X0 w)' V (x1 - X0 w) on the simplex: equal gradient on the
        # support, larger gradient off it
        grad = 2 * x0.T @ (v * (x0 @ w - x1))
        sup = w > 1e-9
        assert np.ptp(grad[sup]) < 1e-8
        if (~sup).any():
            assert grad[~sup].min() >= grad[sup].mean() - 1e-8


def test_placebo_ranks_the_ratio():
    df, _ = _synth_panel(effect=3.0)
    sc = _quiet(
        synthetic_control,
        df,
        outcome="emp",
        unit="region",
        period="year",
        treated_unit="T",
        treatment_period=2017,
    )
    pl = _quiet(sc.placebo)
    tab = pl.table
    assert len(tab) == 9 and tab["treated"].sum() == 1
    np.testing.assert_allclose(tab["ratio"], tab["post_rmspe"] / tab["pre_rmspe"])
    rank = int((tab["ratio"] >= tab.loc[tab.treated, "ratio"].iloc[0]).sum())
    assert pl.p_value == pytest.approx(rank / 9)
    assert pl.p_value == pytest.approx(1 / 9)  # a large planted effect ranks first
    assert set(pl.gaps["unit"]) == set(tab["unit"])
    assert pl.summary()["p_value"].iloc[0] == pl.p_value


def test_synthetic_control_bad_input():
    df, _ = _synth_panel()
    kw = {"outcome": "emp", "unit": "region", "period": "year"}
    with pytest.raises(DataValidationError, match="not in"):
        synthetic_control(df, treated_unit="X", treatment_period=2017, **kw)
    with pytest.raises(DataValidationError, match="pre-period"):
        synthetic_control(df, treated_unit="T", treatment_period=2012, **kw)
    with pytest.raises(DataValidationError, match="repeated"):
        synthetic_control(
            pd.concat([df, df.iloc[:1]]), treated_unit="T", treatment_period=2017, **kw
        )
    gap = df[~((df.region == "T") & (df.year == 2014))]
    with pytest.raises(DataValidationError, match="treated unit is not observed"):
        synthetic_control(gap, treated_unit="T", treatment_period=2017, **kw)
    with pytest.raises(DataValidationError, match="donors"):
        synthetic_control(df, treated_unit="T", treatment_period=2017, donors=["Q"], **kw)
    # an outlier the donors cannot reproduce: a warning, not a silently credible gap
    far = df.assign(emp=np.where(df.region == "T", df.emp * 10, df.emp))
    with pytest.warns(Warning, match="poor pre-period fit"):
        synthetic_control(far, treated_unit="T", treatment_period=2017, **kw)


def test_evaluation_plots_return_titled_axes(castle, bcg):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from clusterlab.plots.compare import (
        bacon_plot,
        dynamic_plot,
        forest_plot,
        synth_gap_plot,
        synth_placebo_plot,
    )

    res = _quiet(
        staggered_did,
        castle,
        outcome="l_homicide",
        unit="sid",
        period="year",
        first_treated="effyear",
    )
    df, _ = _synth_panel()
    sc = _quiet(
        synthetic_control,
        df,
        outcome="emp",
        unit="region",
        period="year",
        treated_unit="T",
        treatment_period=2017,
    )
    axes = [
        dynamic_plot(res.aggregate("dynamic")),
        bacon_plot(
            bacon_decomposition(
                castle, outcome="l_homicide", treated="post", unit="sid", period="year"
            )
        ),
        synth_gap_plot(sc),
        synth_gap_plot(sc.effects, show_levels=True),
        synth_placebo_plot(_quiet(sc.placebo)),
        forest_plot(pool_effects(bcg, estimate="yi", std_error="sei", label="Study")),
    ]
    for ax in axes:
        assert isinstance(ax, matplotlib.axes.Axes) and ax.get_title()
    assert "TWFE" in axes[1].get_legend_handles_labels()[1][-1]
    _, given_ax = plt.subplots()
    assert forest_plot(pool_effects(bcg, estimate="yi", std_error="sei"), ax=given_ax) is given_ax
    plt.close("all")


# ---------------------------------------------------------------- helpers of notebooks 05 / 07


def _cohort_panel(effects=(1.0, 2.0), with_never=True):
    """Two initiatives; cohorts join in 2 and 4; effect grows by 1 per year since joining."""
    rows = []
    for k, initiative in enumerate(["a", "b"]):
        for f in range(12):
            join = [2, 4, 0][f % 3] if with_never else [2, 4, 6][f % 3]
            for t in range(1, 7):
                e = t - join if join else -1
                eff = effects[k] * (1 + e) if e >= 0 and join <= 6 else 0.0
                rows.append(
                    {
                        "initiative": initiative,
                        "firm": f"{initiative}{f:03d}",
                        "year": t,
                        "join": join,
                        "treated": int(e >= 0 and join > 0),
                        "y": f % 4 + 0.3 * t + eff,
                    }
                )
    return pd.DataFrame(rows)


def test_initiative_effects_and_errors():
    df = _cohort_panel()
    # 4 of 12 firms per initiative never join: the estimator says so (and is still defined)
    with pytest.warns(EstimationWarning, match="only 4 never-treated"):
        eff = initiative_effects(df, outcome="y", unit="firm", period="year", first_treated="join")
    assert eff["initiative"].tolist() == ["a", "b"]
    # simple aggregate of a (1 + e) effect: cohort 2 has e = 0..4, cohort 4 has e = 0..2
    post_e = [*range(5), *range(3)]
    expected = np.mean([1 + e for e in post_e])
    np.testing.assert_allclose(eff["estimate"], [expected, 2 * expected], atol=1e-9)
    assert eff["n_members"].tolist() == [8, 8] and eff["n_cohorts"].tolist() == [2, 2]
    broken = pd.concat([df, df[df.initiative == "a"].assign(initiative="c", join=2)])
    with (
        pytest.warns(Warning, match="initiative='c' skipped"),
        pytest.warns(EstimationWarning, match="only 4 never-treated"),
    ):
        out = initiative_effects(
            broken, outcome="y", unit="firm", period="year", first_treated="join"
        )
    assert out["initiative"].tolist() == ["a", "b"]
    with (
        pytest.raises(DataValidationError),
        pytest.warns(EstimationWarning, match="only 4 never-treated"),
    ):
        initiative_effects(
            broken, outcome="y", unit="firm", period="year", first_treated="join", errors="raise"
        )
    with pytest.raises(ParameterError, match="errors"):
        initiative_effects(
            df, outcome="y", unit="firm", period="year", first_treated="join", errors="skip"
        )


def test_sun_abraham_without_never_treated_uses_last_cohort():
    df = _cohort_panel(with_never=False)
    df = df[df.initiative == "a"]
    es = _quiet(
        event_study,
        df,
        outcome="y",
        unit="firm",
        period="year",
        first_treated="join",
        window=None,
        method="sun_abraham",
        cov="nonrobust",
    )
    assert any("last cohort" in n for n in es.notes)
    path = es.path.set_index("rel_period")["estimate"]
    # periods from 6 on dropped; cohorts 2 and 4 against cohort 6: effect 1 + e exactly
    for e in (0, 1, 2):
        assert path[e] == pytest.approx(1 + e, abs=1e-9)
    assert path[-2] == pytest.approx(0, abs=1e-9)


def test_maturity_table_and_region_panel_keep_codes():
    cimbt = pd.DataFrame(
        {"initiative": ["a", "a", "b"], "round": [1, 2, 1], "score": [2.5, 3.5, 4.0]}
    )
    platform = pd.DataFrame(
        {
            "initiative": ["b", "a"],
            "round": [1, 1],
            "platform_reached": [True, False],
            "gap": [0, 4],
        }
    )
    m = maturity_table(cimbt, platform)
    assert m.to_dict("list") == {
        "initiative": ["a", "b"],
        "cimbt_overall": [3.5, 4.0],
        "cimbt_round": [2, 1],
        "platform_reached": [0, 1],
        "platform_gap": [4, 0],
        "bigfive_round": [1, 1],
    }
    with pytest.raises(DataValidationError):
        maturity_table()
    emp = pd.DataFrame(
        {
            "region": ["r1", "r1", "r2", "r2"],
            "industry": ["007", "7", "007", "7"],
            "year": [2020] * 4,
            "employment": [10, 30, 0, 5],
            "establishments": [2, 3, 0, 1],
        }
    )
    rp = region_panel(emp, industries=pd.Series(["007"]))
    assert rp["employment"].tolist() == [10, 0]  # "007" is not "7"
    assert rp["cluster_share"].tolist() == [0.25, 0.0]
    assert rp["establishment_size"].iloc[0] == 5 and np.isnan(rp["establishment_size"].iloc[1])
    with pytest.raises(DataValidationError, match="none of the cluster"):
        region_panel(emp, industries=["999"])


def test_wild_bootstrap_with_few_clusters_uses_webb_weights(organ):
    few = organ[organ.State.isin(organ.State.unique()[:8])]
    few = few.assign(
        treated=((few.State.isin(few.State.unique()[:3])) & (few.Quarter_Num >= 4)).astype(int)
    )
    r = _quiet(
        did,
        few,
        outcome="Rate",
        treated="treated",
        unit="State",
        period="Quarter_Num",
        cov="wild",
        seed=1,
        draws=499,
    )
    assert any("webb weights, 8 clusters" in n for n in r.notes)
    row = r.summary().iloc[0]
    assert 0 <= row["p_value"] <= 1 and row["ci_low"] < row["estimate"] < row["ci_high"]
