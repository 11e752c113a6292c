"""clusterlab.compare end to end on the synthetic demo panel, and its figures."""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd
import pytest

from clusterlab import compare
from clusterlab.datasets import load_demo
from clusterlab.errors import ClusterlabWarning
from clusterlab.plots import compare as figures

matplotlib.use("Agg")

OUTCOMES = ["employment", "export_share"]


@pytest.fixture(scope="module")
def panel():
    p = load_demo("firm_panel")
    return p[p["initiative"] == "valley_foodtech"]


@pytest.fixture(scope="module")
def firms(panel):
    return compare.pre_post_frame(
        panel,
        unit="firm",
        period="period",
        group="member",
        outcomes=OUTCOMES,
        covariates=["firm_age", "size_class"],
    )


def test_pre_post_frame_one_row_per_firm(panel, firms):
    assert len(firms) == panel["firm"].nunique()
    first = panel[panel["period"] == panel["period"].min()].set_index("firm")
    last = panel[panel["period"] == panel["period"].max()].set_index("firm")
    f = firms.set_index("firm")
    assert (f["employment_change"] == last["employment"] - first["employment"]).all()
    assert (f["firm_age"] == first["firm_age"]).all()


def test_demo_pipeline_and_effects_table(panel, firms):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        res = [
            compare.difference_in_means(firms, outcome="employment", group="member", unit="firm"),
            compare.regression_adjustment(
                firms,
                outcome="employment",
                group="member",
                covariates=["firm_age", "employment_baseline"],
            ),
            compare.did(
                panel, outcome="employment", treated="treated", unit="firm", period="period"
            ),
            compare.event_study(
                panel, outcome="employment", unit="firm", period="period", first_treated="join_year"
            ),
        ]
        m = compare.match(firms, group="member", covariates=["firm_age", "employment_baseline"])
        w = compare.weight(firms, group="member", covariates=["firm_age", "employment_baseline"])
        res += [m.att("employment_change"), w.effect("employment_change")]
    tab = compare.effects_table(res)
    assert len(tab) == 6 and tab["n_firms"].le(len(firms)).all()
    assert tab[compare.SUMMARY_COLUMNS].notna().all().all()
    for r in res:
        assert r.assumptions and isinstance(r.describe(), str)
    # panel comparison counts firms, not rows
    assert tab.loc[tab.method == "did", "n_firms"].item() == panel["firm"].nunique()


def test_describe_sample_and_trends(panel):
    s = compare.describe_sample(
        panel, group="member", period="period", unit="firm", outcomes=OUTCOMES
    )
    assert (s["response_rate"] == 1).all()  # the demo panel is balanced
    t = compare.group_trends(
        panel, outcome="employment", group="member", period="period", unit="firm"
    )
    manual = panel.groupby(["period", "member"])["employment"].mean()
    assert t.set_index(["period", "member"])["mean"].equals(manual.rename("mean"))
    assert (t["ci_low"] <= t["mean"]).all() and (t["mean"] <= t["ci_high"]).all()


def test_figures(panel, firms):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        m = compare.match(firms, group="member", covariates=["firm_age", "employment_baseline"])
        es = compare.event_study(
            panel, outcome="employment", unit="firm", period="period", first_treated="join_year"
        )
        eff = compare.effects_table([m.att("employment_change"), es])
    trends = compare.group_trends(panel, outcome="employment", group="member", period="period")
    axes = [
        figures.love_plot(m.balance),
        figures.overlap_plot(m),
        figures.event_study_plot(es),
        figures.trends_plot(trends, period="period", group="member", treated_from=2016),
        figures.effects_plot(eff),
    ]
    for fig in (ax.figure for ax in axes):
        assert fig.axes
        texts = " ".join(t.get_text() for ax in fig.axes for t in ax.get_yticklabels())
        assert "F0" not in texts  # no firm ids on figures
        matplotlib.pyplot.close(fig)
    bal = pd.DataFrame(m.balance).set_index("covariate")
    assert list(bal.index) == ["propensity_score", "firm_age", "employment_baseline"]
    members = firms[firms["member"] == 1]
    assert bal.loc["firm_age", "mean_treated"] == pytest.approx(members["firm_age"].mean())
    others = firms[firms["member"] == 0]
    x_t, x_c = members["employment_baseline"], others["employment_baseline"]
    smd = (x_t.mean() - x_c.mean()) / x_t.std()  # ATT: the members' SD (as cobalt)
    assert bal.loc["employment_baseline", "smd"] == pytest.approx(smd)  # before matching
