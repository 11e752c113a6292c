"""The first four figures of clusterlab.plots.mapping follow the plot convention of issue #19
(they returned the Figure and took no ``ax``): ``f(table, *, ax=None, ...) -> Axes``."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from clusterlab.errors import (  # noqa: E402
    ClusterlabFutureWarning,
    DataValidationError,
    ParameterError,
)
from clusterlab.plots import mapping as figures  # noqa: E402

PORTFOLIO = pd.DataFrame(
    {
        "region": ["A", "A", "A", "B"],
        "cluster": ["x", "y", "z", "x"],
        "cluster_name": ["X", "Y", "Z", "X"],
        "lq": [1.4, 0.6, 2.0, 1.0],
        "growth_relative": [0.02, -0.01, 0.0, 0.01],
        "employment": [300, 100, 50, 80],
        "strong": [True, False, True, False],
        "cluster_type": ["traded", "traded", "local", "traded"],
    }
)
TREND = pd.DataFrame(
    {
        "region": "A",
        "cluster": ["x", "x", "y", "y"],
        "year": [2020, 2021, 2020, 2021],
        "lq": [1.1, 1.3, 0.7, 0.6],
    }
)
PEERS = pd.DataFrame(
    {"region": ["A", "B", "C"], "year": 2021, "lq": [1.5, 0.9, 1.1], "focus": [True, False, False]}
)
INDICES = pd.DataFrame(
    {
        "region": ["A", "B", "C"],
        "year": 2021,
        "hhi": [0.1, 0.3, 0.2],
        "krugman": [0.5, 0.2, 0.4],
        "n_industries": [3, 4, 5],
    }
)

CALLS = {
    "portfolio_bubble": (figures.portfolio_bubble, PORTFOLIO, {"focus": "A"}),
    "lq_trend": (figures.lq_trend, TREND, {"focus": "A"}),
    "peer_lq": (figures.peer_lq, PEERS, {}),
    "specialisation_profile": (figures.specialisation_profile, INDICES, {"focus": "B"}),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_draws_on_the_given_axes_and_returns_it_with_a_title(name):
    func, table, kw = CALLS[name]
    fig, given = plt.subplots(1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(table, ax=given[0], **kw)
        assert ax is given[0] and ax.get_title()
        new = func(table, title="what it shows", **kw)
    assert isinstance(new, Axes) and new.figure is not fig
    assert new.get_title() == "what it shows"
    plt.close(fig)
    plt.close(new.figure)


def test_what_is_drawn():
    ax = figures.portfolio_bubble(PORTFOLIO, focus="A")
    # the local cluster z is left out; x and y are labelled by name
    assert sorted(t.get_text() for t in ax.texts) == ["X", "Y"]
    assert ax.get_title() == "Cluster portfolio A"
    ax = figures.specialisation_profile(INDICES, focus="B")
    # counts (n_…) and year are not indices
    assert [t.get_text() for t in ax.get_yticklabels()] == ["hhi", "krugman"]
    ax = figures.peer_lq(PEERS)
    assert [round(p.get_width(), 2) for p in ax.patches] == [1.5, 1.1, 0.9]
    plt.close("all")


def test_bad_tables_are_our_errors():
    with pytest.raises(DataValidationError) as exc:
        figures.lq_trend(TREND.drop(columns="lq"), focus="A")
    assert exc.value.problems["column"].tolist() == ["lq"]
    with pytest.raises(DataValidationError):
        figures.peer_lq(PEERS.drop(columns="focus"))
    with pytest.raises(DataValidationError):
        figures.portfolio_bubble(PORTFOLIO.assign(lq="high"))
    with pytest.raises(DataValidationError):
        figures.specialisation_profile(INDICES, focus="A", measures=["gini"])
    plt.close("all")


def test_diversification_options_without_pci_leaks_no_colour_map_warning():
    opts = pd.DataFrame(
        {
            "cluster": ["x", "y"],
            "present": [0, 0],
            "density": [0.2, 0.5],
            "opportunity_gain": [0.3, -0.1],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib: "No data for colormapping provided"
        ax = figures.diversification_options(opts, label="cluster")
    assert len(ax.collections[0].get_offsets()) == 2
    plt.close(ax.figure)


def test_focus_is_the_region_code_and_region_the_column():
    # house style (issue #19): region= names the column, focus= the code to show
    renamed = INDICES.rename(columns={"region": "district"})
    ax = figures.specialisation_profile(renamed, focus="B", region="district")
    assert ax.get_title() == "Specialisation profile — B"
    highlighted = ax.collections[-1].get_offsets()
    assert len(highlighted) == 2  # the focus region's two measures
    ax = figures.lq_trend(TREND, focus="A")
    assert ax.get_title() == "LQ over time — A"
    # every row when no focus is given (portfolio only)
    assert figures.portfolio_bubble(PORTFOLIO).get_title() == "Cluster portfolio"
    # an unknown code is our error naming the known ones, not an empty figure
    with pytest.raises(ParameterError, match=r"'Z' is not in the data.*A"):
        figures.lq_trend(TREND, focus="Z")
    with pytest.raises(ParameterError, match="focus="):
        figures.specialisation_profile(INDICES)
    plt.close("all")


def test_old_region_code_spelling_still_works_with_a_warning():
    with pytest.warns(ClusterlabFutureWarning, match=r"focus='A'") as rec:
        ax = figures.lq_trend(TREND, region="A")
    assert rec[0].filename == __file__  # points at the caller's line
    assert ax.get_title() == "LQ over time — A"
    with pytest.warns(ClusterlabFutureWarning, match=r"focus='A'"):
        assert figures.portfolio_bubble(PORTFOLIO, region="A").get_title() == (
            "Cluster portfolio A"
        )
    renamed = INDICES.rename(columns={"region": "district"})
    with pytest.warns(ClusterlabFutureWarning, match=r"focus='B', region='district'"):
        ax = figures.specialisation_profile(renamed, region="B", region_col="district")
    assert ax.get_title() == "Specialisation profile — B"
    plt.close("all")
