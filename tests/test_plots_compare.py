"""The first five figures of clusterlab.plots.compare follow the plot convention of issue #19
(they returned the Figure and took no ``ax``): ``f(table, *, ax=None, ...) -> Axes``."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from clusterlab import compare  # noqa: E402
from clusterlab.errors import DataValidationError, ParameterError  # noqa: E402
from clusterlab.plots import compare as figures  # noqa: E402

FIRMS = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0, 0], "age": [5, 9, 7, 2, 6, 8, 3.0]})
BALANCE = pd.DataFrame({"covariate": ["age", "size"], "smd": [0.3, -0.2], "smd_adj": [0.05, 0.01]})
TRENDS = pd.DataFrame(
    {
        "period": [1, 2, 1, 2],
        "member": [1, 1, 0, 0],
        "mean": [2.0, 3.0, 2.0, 2.5],
        "ci_low": [1.5, 2.5, 1.5, 2.0],
        "ci_high": [2.5, 3.5, 2.5, 3.0],
    }
)
PATH = pd.DataFrame(
    {
        "rel_period": [-2, -1, 0, 1],
        "estimate": [0.1, 0.0, 0.5, 0.7],
        "ci_low": [-0.2, 0.0, 0.2, 0.3],
        "ci_high": [0.4, 0.0, 0.8, 1.1],
        "reference": [False, True, False, False],
    }
)
EFFECTS = pd.DataFrame(
    {
        "method": ["DiD", "matching"],
        "outcome": "jobs",
        "estimate": [1.0, 1.4],
        "ci_low": [0.2, 0.1],
        "ci_high": [1.8, 2.7],
    }
)


def _calls():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matched = compare.match(FIRMS, group="member", covariates=["age"])
    return {
        "love_plot": (figures.love_plot, BALANCE, {}),
        "trends_plot": (figures.trends_plot, TRENDS, {"period": "period", "group": "member"}),
        "event_study_plot": (figures.event_study_plot, PATH, {}),
        "overlap_plot": (figures.overlap_plot, matched, {}),
        "effects_plot": (figures.effects_plot, EFFECTS, {}),
    }


@pytest.mark.parametrize("name", sorted(_calls()))
def test_draws_on_the_given_axes_and_returns_it_with_a_title(name):
    func, table, kw = _calls()[name]
    fig, given = plt.subplots(1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(table, ax=given[1], **kw)
        assert ax is given[1] and ax.get_title()
        new = func(table, title="what it shows", **kw)
    assert isinstance(new, Axes) and new.figure is not fig
    assert new.get_title() == "what it shows"
    plt.close(fig)
    plt.close(new.figure)


def test_bad_input_is_our_error():
    with pytest.raises(DataValidationError) as exc:
        figures.love_plot(BALANCE.drop(columns="smd"))
    assert exc.value.problems["column"].tolist() == ["smd"]
    with pytest.raises(DataValidationError):
        figures.trends_plot(TRENDS.drop(columns="ci_low"), period="period", group="member")
    with pytest.raises(DataValidationError):
        figures.event_study_plot(PATH.drop(columns="reference"))
    with pytest.raises(DataValidationError):
        figures.effects_plot(EFFECTS.assign(estimate="big"))
    with pytest.raises(ParameterError, match="propensity"):
        figures.overlap_plot(FIRMS)
    plt.close("all")
