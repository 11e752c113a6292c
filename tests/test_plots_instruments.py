"""clusterlab.plots.instruments follows the plot convention of issue #19: draws on a given
``ax``, returns the Axes with a title, checks its table with our own errors."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from clusterlab.errors import DataValidationError  # noqa: E402
from clusterlab.plots import instruments as figures  # noqa: E402

COMPONENTS = pd.DataFrame(
    {
        "initiative": "ci",
        "round": 1,
        "component": ["C1", "C2"],
        "name": ["Vision", "Funding"],
        "status": ["scored", "insufficient"],
        "score": [3.5, None],
        "ci_low": [3.0, None],
        "ci_high": [4.0, None],
    }
)
AREAS = pd.DataFrame(
    {
        "initiative": "ci",
        "round": [1, 2],
        "area": "A",
        "name": "Insight & Strategy",
        "score": [3.0, 3.5],
        "ci_low": [2.5, 3.1],
        "ci_high": [3.4, 3.9],
    }
)
IE = pd.DataFrame(
    {
        "initiative": ["a", "b"],
        "round": 1,
        "insight": [3.0, 4.0],
        "execution": [3.5, 2.5],
        "insight_ci_low": [2.5, 3.6],
        "insight_ci_high": [3.5, 4.4],
        "execution_ci_low": [3.0, 2.0],
        "execution_ci_high": [4.0, 3.0],
    }
)
CHANGE = pd.DataFrame(
    {
        "initiative": "ci",
        "area": ["A", "B"],
        "round_from": 1,
        "round_to": 2,
        "change": [0.5, -0.2],
        "ci_low": [0.1, -0.6],
        "ci_high": [0.9, 0.2],
    }
)
FACTORS = pd.DataFrame(
    {
        "initiative": "ci",
        "factor": ["trust", "trust"],
        "round": [1, 2],
        "stage": [2, 3],
        "stage_label": ["emerging", "developing"],
    }
)
RANKS = pd.DataFrame(
    {"initiative": ["a", "b"], "area": "A", "rank": [2, 1], "rank_low": [1, 1], "rank_high": [2, 2]}
)

CALLS = {
    "component_profile": (figures.component_profile, COMPONENTS, {"initiative": "ci"}),
    "area_scores": (figures.area_scores, AREAS, {"initiative": "ci"}),
    "insight_execution_scatter": (figures.insight_execution_scatter, IE, {}),
    "change_plot": (figures.change_plot, CHANGE, {"initiative": "ci"}),
    "stage_grid": (figures.stage_grid, FACTORS, {"initiative": "ci"}),
    "rank_intervals": (figures.rank_intervals, RANKS, {"unit": "A"}),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_draws_on_the_given_axes_checks_its_table(name):
    func, table, kw = CALLS[name]
    fig, given = plt.subplots()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(table, ax=given, **kw)
    assert ax is given and ax.get_title()
    plt.close(fig)
    with pytest.raises(DataValidationError):
        func(table.drop(columns=["initiative"]), **kw)


def test_a_table_without_a_unit_column_is_named():
    with pytest.raises(DataValidationError) as exc:
        figures.rank_intervals(RANKS.drop(columns="area"), unit="A")
    assert exc.value.problems.loc[0, "column"] == "component | area | item | overall"


def test_insight_execution_scatter_labels_its_axes_from_the_scores():
    # the labels come from Scores.axis_labels (the instrument's chart_axes), not from attrs,
    # so a copy or a filtered table of insight_execution keeps them
    from clusterlab.datasets import load_demo
    from clusterlab.instruments import score

    res = score(load_demo("ratings"), "cimbt", n_boot=0)
    table = res.insight_execution[res.insight_execution["round"] >= 1].copy()
    table.attrs.clear()
    ax = figures.insight_execution_scatter(table, axis_labels=res.axis_labels)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Insight & Strategy", "Buy-in & execution")
    plt.close(ax.figure)
    ax = figures.insight_execution_scatter(IE, axis_labels={"x": "Vision", "y": "Delivery"})
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Vision", "Delivery")
    plt.close(ax.figure)
