"""The demo indicators table: built by clusterlab.datasets._build_indicators, matching the
default catalogues, with some non-reporting firms."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.datasets import load_demo
from clusterlab.datasets._build_indicators import build_indicators
from clusterlab.errors import ClusterlabWarning
from clusterlab.io import load_input
from clusterlab.scorecard import (
    LowCoverageWarning,
    aggregate_company_indicators,
    builtin_catalogues,
    evaluate,
    load_actions,
    load_catalogue,
    member_population,
)


@pytest.fixture(scope="module")
def indicators():
    return load_input("indicators")


def test_builder_is_deterministic_and_matches_file():
    world = {name: load_demo(name) for name in ("initiatives", "firms", "firm_panel")}
    a = build_indicators(world, np.random.default_rng(7))
    b = build_indicators(world, np.random.default_rng(7))
    pd.testing.assert_frame_equal(a, b)
    assert a.columns.tolist() == [
        "indicator",
        "entity",
        "period",
        "value",
        "employment",
        "initiative",
    ]
    assert not a.duplicated(["indicator", "entity", "period"]).any()


def test_ids_cover_the_default_catalogues(indicators):
    ids = set()
    for name in builtin_catalogues():
        ids |= set(load_catalogue(name).ids)
    assert set(indicators["indicator"]) == ids
    assert set(indicators["initiative"]) == {
        "northport_maritime",
        "valley_foodtech",
        "eastshire_medtech",
    }
    assert indicators.groupby("initiative")["period"].nunique().min() >= 5
    # company rows carry the firm's employment (the weight); others carry none
    firms = set(load_demo("firms")["firm"])
    company = indicators["entity"].isin(firms)
    assert indicators.loc[company, "employment"].notna().all()
    assert indicators.loc[~company, "employment"].isna().all()


def test_some_members_do_not_report(indicators):
    firms = load_demo("firms")
    periods = sorted(indicators["period"].unique())
    pop = member_population(firms, periods, by="initiative")
    cat = load_catalogue("four_perspectives")
    v = indicators[indicators["indicator"].isin(cat.ids)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # demo data: no duplicates, no outsiders
        agg = aggregate_company_indicators(v, cat, by="initiative", population=pop)
    comp = agg[agg["source"] == "company"].dropna(subset=["value"])
    assert comp["coverage"].between(0, 1).all()
    assert comp["coverage"].max() < 1.0 and comp["coverage"].min() > 0.3
    never = set(pop["entity"]) - set(indicators["entity"])
    assert never  # members who never report
    with pytest.warns(LowCoverageWarning, match="less than 50%"):  # coverage down to 0.3
        sc = evaluate(agg, cat, by="initiative")
    assert {"on_track", "at_risk", "off_track"} <= set(sc.status["status"])


def test_demo_actions_link_to_demo_indicators(indicators):
    reg = load_actions()
    assert set(reg.links["indicator"]) <= set(indicators["indicator"])
    assert set(reg.actions["initiative"]) == set(indicators["initiative"])


def test_figures_draw_from_the_demo(indicators):
    import matplotlib.pyplot as plt

    from clusterlab.plots import scorecard as figures
    from clusterlab.scorecard import company_benchmark
    from clusterlab.scorecard.diagnostics import diamond_profile

    firms = load_demo("firms")
    cat = load_catalogue("ten_factors")
    v = indicators[
        (indicators["initiative"] == "eastshire_medtech") & indicators["indicator"].isin(cat.ids)
    ]
    pop = member_population(firms, sorted(v["period"].unique()), initiative="eastshire_medtech")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        sc = evaluate(aggregate_company_indicators(v, cat, population=pop), cat)
    n_ind = sc.status["indicator"].nunique()
    assert len(figures.status_grid(sc.status).get_yticks()) == n_ind
    assert len(figures.sparklines(sc.status, ncols=4).child_axes) == n_ind
    assert len(figures.coverage_chart(sc.status).lines) >= 2
    assert len(figures.perspective_scores(sc.perspectives).lines) == 10
    bench = company_benchmark(v, pop["entity"].iloc[0], catalogue=cat)
    latest = bench.loc[bench["period"] == bench["period"].max()]
    assert len(figures.benchmark_position(bench).child_axes) == len(latest)
    d = diamond_profile(sc.status, cat)
    labels = [t.get_text() for t in figures.diamond_chart(d).get_xticklabels()]
    assert any("n/a" in t for t in labels)  # demand conditions: no indicator
    plt.close("all")
