"""Staggered DiD, the Sun-Abraham event study, the Goodman-Bacon decomposition and synthetic
control against published results (R ``did`` on ``mpdta``; Stata ``bacondecomp``; R ``synthdid``
on California Proposition 99).

Data: ``mpdta`` - county teen employment 2003-2007, 500 counties, minimum-wage rises in 2004,
2006 and 2007 (Callaway & Sant'Anna 2021; the example data of the R ``did`` package). It ships
with the MIT-licensed ``moderndid`` package (a test dependency) as
``moderndid/core/datasets/mpdta_long.pkl.gz`` (test extra: imported, never skipped).

Published values: R ``did`` (bcallaway11/did, commit 71ba8a5, July 2026):
* ``vignettes/did-basics`` (rendered ``docs/articles/did-basics.md``): ``att_gt(yname="lemp",
  gname="first.treat", idname="countyreal", tname="year", xformla=~1, data=mpdta)`` (doubly
  robust) - the 12 ATT(g,t) and ``aggte(type="dynamic")``;
* ``README.md``: the same with ``est_method="reg"`` and ``aggte(type="group")``.
The published point estimates are printed to 4 decimals: tolerance 5e-5 (half a unit in the last
place). Their standard errors are multiplier-bootstrap SEs (``bstrap=TRUE``, 1000 draws, seed not
fixed, so they differ between renderings), while ours are analytic influence-function SEs: we
require agreement within 15 % (the bootstrap SE's Monte-Carlo error at 1000 draws is about
2-3 %, the renderings of the same call differ by up to 10 %).

Second implementation: ``moderndid`` (MIT), a Python port of R ``did``; with ``boot=False`` it
gives the analytic SEs, so estimates and SEs of every cell and aggregation must agree to 1e-8
(also with the covariate ``lpop`` and the not-yet-treated control group, which the published
pages do not print).
"""

from __future__ import annotations

import warnings

import moderndid  # noqa: E402  (test extra: a missing install must fail, not skip)
import numpy as np
import pandas as pd
import pytest

from clusterlab.compare import bacon_decomposition, event_study, staggered_did, synthetic_control
from clusterlab.errors import ClusterlabWarning

# did-basics vignette, att_gt(..., xformla = ~1, data = mpdta), est_method "dr" (default)
# (group, period, ATT(g,t), bootstrap SE)
PUBLISHED_DR = [
    (2004, 2004, -0.0105, 0.0243),
    (2004, 2005, -0.0704, 0.0331),
    (2004, 2006, -0.1373, 0.0412),
    (2004, 2007, -0.1008, 0.0358),
    (2006, 2004, 0.0065, 0.0230),
    (2006, 2005, -0.0028, 0.0210),
    (2006, 2006, -0.0046, 0.0175),
    (2006, 2007, -0.0412, 0.0196),
    (2007, 2004, 0.0305, 0.0147),
    (2007, 2005, -0.0027, 0.0156),
    (2007, 2006, -0.0311, 0.0179),
    (2007, 2007, -0.0261, 0.0175),
]
# did README, est_method = "reg": same point estimates, other bootstrap SEs
PUBLISHED_REG_SE = [
    0.0246,
    0.0332,
    0.0397,
    0.0357,
    0.0229,
    0.0197,
    0.0179,
    0.0192,
    0.0154,
    0.0164,
    0.0184,
    0.0170,
]
# did-basics vignette, aggte(mw.attgt, type = "dynamic"): (event time, estimate, SE)
PUBLISHED_DYNAMIC = [
    (-3, 0.0305, 0.0157),
    (-2, -0.0006, 0.0136),
    (-1, -0.0245, 0.0144),
    (0, -0.0199, 0.0124),
    (1, -0.0510, 0.0163),
    (2, -0.1373, 0.0402),
    (3, -0.1008, 0.0354),
]
PUBLISHED_DYNAMIC_OVERALL = (-0.0772, 0.0203)
# did README, aggte(out, type = "group") with est_method = "reg": (group, estimate, SE)
PUBLISHED_GROUP = [(2004, -0.0797, 0.0291), (2006, -0.0229, 0.0176), (2007, -0.0261, 0.0175)]
PUBLISHED_GROUP_OVERALL = (-0.0310, 0.0126)

HALF_ULP = 5e-5 + 1e-12
SE_REL = 0.15
KW = {"outcome": "lemp", "unit": "countyreal", "period": "year", "first_treated": "first.treat"}


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        return fn(*args, **kw)


@pytest.fixture(scope="module")
def mpdta():
    from importlib.resources import files

    d = pd.read_pickle(files("moderndid") / "core" / "datasets" / "mpdta_long.pkl.gz")
    d = pd.DataFrame(d)
    assert d.shape == (2500, 6) and d.countyreal.nunique() == 500
    return d


@pytest.fixture(scope="module")
def dr(mpdta):
    return _quiet(staggered_did, mpdta, **KW)


def test_att_gt_matches_did_vignette(dr):
    got = dr.att_gt.set_index(["group", "period"])
    assert len(got) == len(PUBLISHED_DR)
    for g, t, att, se in PUBLISHED_DR:
        row = got.loc[(g, t)]
        assert abs(row.estimate - att) <= HALF_ULP, (g, t, row.estimate, att)
        assert row.std_error == pytest.approx(se, rel=SE_REL), (g, t)
    # cohort sizes of mpdta (Callaway & Sant'Anna 2021, Table 1 subset): 20 / 40 / 131, 309 never
    sizes = dr.att_gt.groupby("group").n_treated.first().to_dict()
    assert sizes == {2004: 20, 2006: 40, 2007: 131}
    assert set(dr.att_gt.n_control) == {309}


def test_outcome_regression_matches_did_readme(mpdta):
    reg = _quiet(staggered_did, mpdta, estimation="reg", **KW)
    got = reg.att_gt.set_index(["group", "period"])
    for (g, t, att, _), se in zip(PUBLISHED_DR, PUBLISHED_REG_SE, strict=True):
        assert abs(got.loc[(g, t)].estimate - att) <= HALF_ULP
        assert got.loc[(g, t)].std_error == pytest.approx(se, rel=SE_REL)
    grp = reg.aggregate("group")
    cohorts = grp[grp.term != "overall"].set_index("group")
    for g, est, se in PUBLISHED_GROUP:
        assert abs(cohorts.loc[g].estimate - est) <= HALF_ULP
        assert cohorts.loc[g].std_error == pytest.approx(se, rel=SE_REL)
    overall = grp[grp.term == "overall"].iloc[0]
    assert abs(overall.estimate - PUBLISHED_GROUP_OVERALL[0]) <= HALF_ULP
    assert overall.std_error == pytest.approx(PUBLISHED_GROUP_OVERALL[1], rel=SE_REL)


def test_dynamic_aggregation_matches_did_vignette(dr):
    dyn = dr.aggregate("dynamic")
    by_e = dyn[dyn.term != "overall"].set_index("event_time")
    assert sorted(by_e.index) == [e for e, _, _ in PUBLISHED_DYNAMIC]
    for e, est, se in PUBLISHED_DYNAMIC:
        assert abs(by_e.loc[e].estimate - est) <= HALF_ULP, (e, by_e.loc[e].estimate, est)
        assert by_e.loc[e].std_error == pytest.approx(se, rel=SE_REL), e
    overall = dyn[dyn.term == "overall"].iloc[0]
    assert abs(overall.estimate - PUBLISHED_DYNAMIC_OVERALL[0]) <= HALF_ULP
    assert overall.std_error == pytest.approx(PUBLISHED_DYNAMIC_OVERALL[1], rel=SE_REL)
    # the overall interval is pointwise normal: estimate +- z(.975) * SE
    z = (overall.ci_high - overall.estimate) / overall.std_error
    assert z == pytest.approx(1.959964, abs=1e-5)


def test_multiplier_bootstrap_bands_match_did_vignette(mpdta):
    """``bootstrap=1000`` against the published bootstrap output (did-basics vignette, DR;
    README for ``group``): the simultaneous critical value is half the band width over the SE
    of a printed row - ATT(g,t) (0.0543 + 0.0105) / 0.0243 = 2.667, dynamic
    (0.0694 - 0.0305) / 0.0157 = 2.478, group (-0.0161 + 0.0797) / 0.0291 = 2.186. A sup-t
    quantile from 1000 draws has a Monte-Carlo error of about 0.1: tolerance 0.25. The overall
    rows are pointwise, estimate +- 1.959964 x bootstrap SE (as R prints [-0.1171, -0.0374]
    for -0.0772 (0.0203)); bootstrap SEs within 15 % of the published ones.
    """
    res = _quiet(staggered_did, mpdta, bootstrap=1000, seed=20260705, **KW)
    cells = res.att_gt
    crit = ((cells.ci_high - cells.estimate) / cells.std_error).to_numpy()
    assert np.allclose(crit, crit[0]) and abs(crit[0] - 2.667) <= 0.25
    for (_, _, _, se), got in zip(PUBLISHED_DR, cells.std_error, strict=True):
        assert got == pytest.approx(se, rel=SE_REL)
    for kind, published_crit in (("dynamic", 2.478), ("group", 2.186)):
        tab = res.aggregate(kind)
        rows = tab[tab.term != "overall"]
        c = ((rows.ci_high - rows.estimate) / rows.std_error).to_numpy()
        assert np.allclose(c, c[0]) and abs(c[0] - published_crit) <= 0.25, kind
        assert c[0] >= 1.959964 - 1e-9  # never below the pointwise value (R aggte)
        overall = tab[tab.term == "overall"].iloc[0]
        assert (overall.ci_high - overall.estimate) / overall.std_error == pytest.approx(
            1.959964, abs=1e-5
        )
    dyn = res.aggregate("dynamic").set_index("term").loc["overall"]
    assert dyn.std_error == pytest.approx(PUBLISHED_DYNAMIC_OVERALL[1], rel=SE_REL)
    simple = res.aggregate("simple").iloc[0]
    assert (simple.ci_high - simple.estimate) / simple.std_error == pytest.approx(
        1.959964, abs=1e-5
    )


@pytest.mark.parametrize(
    ("covariates", "estimation", "control"),
    [
        ((), "dr", "never"),
        (("lpop",), "dr", "never"),
        (("lpop",), "ipw", "never"),
        (("lpop",), "reg", "never"),
        ((), "dr", "not_yet"),
        (("lpop",), "dr", "not_yet"),
    ],
)
def test_agrees_with_moderndid_analytic(mpdta, covariates, estimation, control):
    """Second implementation: moderndid (a port of R ``did``), analytic SEs, tolerance 1e-8."""
    ref = _quiet(
        moderndid.att_gt,
        mpdta,
        yname="lemp",
        tname="year",
        idname="countyreal",
        gname="first.treat",
        xformla="~" + "+".join(covariates) if covariates else None,
        est_method=estimation,
        boot=False,
        cband=False,
        control_group={"never": "nevertreated", "not_yet": "notyettreated"}[control],
    )
    ours = _quiet(
        staggered_did, mpdta, covariates=covariates, estimation=estimation, control=control, **KW
    )
    cells = ours.att_gt.sort_values(["group", "period"])
    np.testing.assert_allclose(cells.group, np.asarray(ref.groups))
    np.testing.assert_allclose(cells.period, np.asarray(ref.times))
    np.testing.assert_allclose(cells.estimate, np.asarray(ref.att_gt), atol=1e-8)
    np.testing.assert_allclose(cells.std_error, np.asarray(ref.se_gt), atol=1e-8)
    for kind in ("simple", "dynamic", "group", "calendar"):
        agg = _quiet(moderndid.aggte, ref, type=kind, boot=False, cband=False)
        tab = ours.aggregate(kind)
        overall = tab[tab.term == "overall"].iloc[0]
        assert overall.estimate == pytest.approx(agg.overall_att, abs=1e-8), kind
        assert overall.std_error == pytest.approx(agg.overall_se, abs=1e-8), kind
        if kind != "simple":
            rows = tab[tab.term != "overall"]
            np.testing.assert_allclose(rows.estimate, np.asarray(agg.att_by_event), atol=1e-8)
            np.testing.assert_allclose(rows.std_error, np.asarray(agg.se_by_event), atol=1e-8)


def test_sun_abraham_on_mpdta(mpdta):
    """Sun & Abraham (2021) with never-treated controls, reference -1, no binning.

    In a balanced panel the saturated regression's cohort x event-time coefficients are the 2x2
    DiDs against the never treated relative to g-1, weighted by cohort shares - Callaway &
    Sant'Anna's dynamic aggregation with a *universal* base period (Sun & Abraham 2021 show the
    saturated regression's CATT is that 2x2 DiD against the control cohort). So the lags 0-3 must
    equal the published ``aggte(type="dynamic")`` values (did-basics vignette, 4 decimals) and every
    event time moderndid's ``base_period="universal"`` dynamic aggregation (1e-8). Clustered
    (CR1, by county) regression SEs against moderndid's influence-function SEs: within 1 %
    (they differ by small-sample corrections only; observed 0.2-0.4 %).
    """
    data = mpdta.assign(g=mpdta["first.treat"].replace(0, np.nan))
    es = _quiet(
        event_study,
        data,
        outcome="lemp",
        unit="countyreal",
        period="year",
        first_treated="g",
        window=None,
        method="sun_abraham",
    )
    path = es.path.set_index("rel_period")
    assert list(path.index) == [-4, -3, -2, -1, 0, 1, 2, 3]
    assert path.loc[-1].estimate == 0
    for e, est, _ in PUBLISHED_DYNAMIC:
        if e >= 0:
            assert abs(path.loc[e].estimate - est) <= HALF_ULP, e
    ref = _quiet(
        moderndid.att_gt,
        mpdta,
        yname="lemp",
        tname="year",
        idname="countyreal",
        gname="first.treat",
        boot=False,
        cband=False,
        base_period="universal",
    )
    agg = _quiet(moderndid.aggte, ref, type="dynamic", boot=False, cband=False)
    np.testing.assert_allclose(path.index, np.asarray(agg.event_times))
    np.testing.assert_allclose(path.estimate, np.asarray(agg.att_by_event), atol=1e-8)
    se_ref = np.asarray(agg.se_by_event)
    keep = np.isfinite(se_ref)
    np.testing.assert_allclose(path.std_error.to_numpy()[keep], se_ref[keep], rtol=0.01)
    # the mean of the lags 0..3 is the dynamic "overall" of the vignette
    post = es.post_average().iloc[0]
    assert abs(post.estimate - PUBLISHED_DYNAMIC_OVERALL[0]) <= HALF_ULP


def test_bacon_decomposition_matches_published_stata_output():
    """Stata ``bacondecomp Y D, ddetail`` on the three-unit example of Naqvi, *The Stata guide to
    difference-in-differences*, "Bacon decomposition" (asjadnaqvi.github.io/DiD, section 06_02,
    2024): 10 periods, unit 1 never treated, unit 2 treated from t=5 with effect 2, unit 3 from
    t=8 with effect 4, outcome = effect x treated. Published (3 decimals, tolerance 5e-4):
    DD 2.909; Earlier T vs. Later C weight 0.182, estimate 2.000; Later T vs. Earlier C 0.136,
    4.000; T vs. Never treated 0.682, 2.933.
    """
    rows = [
        {
            "id": i,
            "t": t,
            "D": int(s is not None and t >= s),
            "Y": float(effect * (s is not None and t >= s)),
        }
        for i, s, effect in [(1, None, 0), (2, 5, 2), (3, 8, 4)]
        for t in range(1, 11)
    ]
    b = bacon_decomposition(pd.DataFrame(rows), outcome="Y", treated="D", unit="id", period="t")
    by = b.assign(part=b.weight * b.estimate).groupby("comparison")[["weight", "part"]].sum()
    published = {
        "earlier vs later treated": (0.182, 2.000),
        "later vs earlier treated": (0.136, 4.000),
        "treated vs never treated": (0.682, 2.933),
    }
    assert set(by.index) == set(published)
    for comparison, (weight, estimate) in published.items():
        assert abs(by.loc[comparison, "weight"] - weight) <= 5e-4, comparison
        assert abs(by.loc[comparison, "part"] / by.loc[comparison, "weight"] - estimate) <= 5e-4
    assert abs(float(by.part.sum()) - 2.909) <= 5e-4


@pytest.fixture(scope="module")
def prop99():
    """California Proposition 99: cigarette packs per capita, 39 states, 1970-2000 (Abadie,
    Diamond & Hainmueller 2010; the synthdid R package's ``california_prop99``), as shipped in
    the BSD-3 ``synthdid-py`` package (``synthdid/data/california_prop99.csv``, long format,
    ``;``-separated: State, Year, PacksPerCapita, treated)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("synthdid")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "california_prop99.csv"
    long = pd.read_csv(path, sep=";")
    assert long.shape == (31 * 39, 4)
    return long.rename(columns={"State": "state", "PacksPerCapita": "packs"})[
        ["Year", "state", "packs"]
    ]


def test_synthetic_control_prop99_matches_synthdid(prop99):
    """Outcome-only synthetic control (``predictors=None``: simplex weights matching every
    pre-1989 outcome) against the synthdid R package on the same data (README / vignette and
    Arkhangelsky et al. 2021, *AER* 111(12), Table 1: DID -27.3, SC -19.6; the package prints
    ``did_estimate`` -27.35 and ``sc_estimate`` -19.62 to 2 decimals).

    * The DiD of the same panel must be -27.35 to 5e-3 (this checks the data are the same).
    * The average post-1988 gap must be -19.62 within 0.15: synthdid's ``sc_estimate`` is not
      the exact constrained least-squares solution - it runs 100 Frank-Wolfe steps, zeroes
      weights <= max/4 (``sparsify``), re-optimises from there and adds a ridge of
      1e-6 x noise - while ours is the exact minimiser (its KKT conditions are tested in
      test_compare_evaluation.py), so its pre-period fit must be at least as good as that of
      the sparsified weights, re-fitted exactly on the four donors synthdid keeps.
    """
    wide = prop99.pivot(index="Year", columns="state", values="packs")
    pre, post = wide.index < 1989, wide.index >= 1989
    controls = wide.drop(columns="California")
    did_est = (wide.California[post].mean() - wide.California[pre].mean()) - (
        controls[post].to_numpy().mean() - controls[pre].to_numpy().mean()
    )
    assert did_est == pytest.approx(-27.35, abs=5e-3)

    kw = {
        "outcome": "packs",
        "unit": "state",
        "period": "Year",
        "treated_unit": "California",
        "treatment_period": 1989,
    }
    sc = _quiet(synthetic_control, prop99, **kw)
    gap = sc.effects[sc.effects.period >= 1989].gap.mean()
    assert gap == pytest.approx(-19.62, abs=0.15)
    weights = sc.weights.set_index("unit").weight
    assert weights.sum() == pytest.approx(1.0, abs=1e-9) and (weights >= -1e-12).all()
    # the donors with weight above max/4 - the ones synthdid's sparsify step keeps
    kept = set(weights[weights > weights.max() / 4].index)
    assert kept == {"Utah", "Montana", "Nevada", "Connecticut"}
    sparse = _quiet(synthetic_control, prop99[prop99.state.isin(kept | {"California"})], **kw)
    assert sc.rmspe["pre"] <= sparse.rmspe["pre"] + 1e-9
    # the gap is actual minus synthetic, the synthetic the weighted donor outcomes
    synth_1995 = float((controls.loc[1995, weights.index] * weights).sum())
    row = sc.effects.set_index("period").loc[1995]
    assert row.synthetic == pytest.approx(synth_1995, rel=1e-10)
    assert row.gap == pytest.approx(wide.loc[1995, "California"] - synth_1995, rel=1e-10)
