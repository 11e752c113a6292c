"""clusterlab.plots.scorecard follows the plot convention of issue #19:
``f(table, *, ax=None, ...) -> Axes``, draws on a given ``ax``, checks its table, sets a title
that says what the figure shows, and leaks no warning."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from clusterlab.errors import DataValidationError, ParameterError  # noqa: E402
from clusterlab.plots import scorecard as figures  # noqa: E402
from clusterlab.scorecard import evaluate  # noqa: E402

AGG = pd.DataFrame(
    {
        "indicator": ["member_retention"] * 3 + ["members"] * 3 + ["rd_intensity"] * 3,
        "period": ["2019", "2020", "2021"] * 3,
        "value": [80.0, 85.0, 93.0, 20, 22, 24, 1.0, 1.5, 2.0],
        "n_reporting": [pd.NA] * 6 + [2, 3, 3],
        "n_expected": [pd.NA] * 6 + [4] * 3,
        "coverage": [1.0] * 6 + [0.5, 0.75, 0.75],
        "source": ["governance"] * 6 + ["company"] * 3,
    }
)
BENCH = pd.DataFrame(
    {
        "indicator": ["a", "b"],
        "period": "2021",
        "value": [3.0, 1.0],
        "peer_q1": [2.0, np.nan],
        "peer_median": [2.5, np.nan],
        "peer_q3": [4.0, np.nan],
        "position": ["middle", "withheld"],
    }
)
DIAMOND = pd.DataFrame(
    {"corner_name": ["Factors", "Demand", "Related", "Strategy"], "score": [0.6, np.nan, 0.4, 0.8]}
)


def _calls():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = evaluate(AGG, "four_perspectives")
    return {
        "status_grid": (figures.status_grid, sc.status),
        "sparklines": (figures.sparklines, sc.status),
        "coverage_chart": (figures.coverage_chart, sc.status),
        "perspective_scores": (figures.perspective_scores, sc.perspectives),
        "benchmark_position": (figures.benchmark_position, BENCH),
        "diamond_chart": (figures.diamond_chart, DIAMOND),
    }


@pytest.mark.parametrize("name", sorted(_calls()))
def test_draws_on_the_given_axes_and_returns_it_with_a_title(name):
    func, table = _calls()[name]
    fig = plt.figure()
    given = fig.add_subplot(1, 2, 2, projection="polar" if name == "diamond_chart" else None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(table, ax=given)
        assert ax is given and ax.get_title()
        new = func(table, title="what it shows")
    assert isinstance(new, Axes) and new.figure is not fig
    assert new.get_title() == "what it shows"
    plt.close(fig)
    plt.close(new.figure)


def test_small_multiples_have_one_panel_per_row_inside_the_axes():
    status = _calls()["sparklines"][1]
    ax = figures.sparklines(status, ncols=2)
    assert [p.get_title() for p in ax.child_axes] == list(dict.fromkeys(status["indicator_name"]))
    assert not ax.axison  # the outer Axes only holds the title
    b = figures.benchmark_position(BENCH)
    assert [p.get_yticklabels()[0].get_text() for p in b.child_axes] == ["a", "b"]
    # the withheld peer statistics are not drawn: no bar in the second panel
    assert len(b.child_axes[0].patches) == 1 and len(b.child_axes[1].patches) == 0
    plt.close("all")


def test_bad_tables_and_arguments_are_our_errors():
    with pytest.raises(DataValidationError) as exc:
        figures.coverage_chart(AGG.drop(columns="coverage"))
    assert exc.value.problems["column"].tolist() == ["coverage"]
    with pytest.raises(DataValidationError):
        figures.perspective_scores(AGG)
    with pytest.raises(DataValidationError):
        figures.benchmark_position(BENCH.drop(columns="position"))
    with pytest.raises(DataValidationError):
        figures.diamond_chart(DIAMOND.rename(columns={"score": "x"}))
    with pytest.raises(ParameterError, match="polar"):
        figures.diamond_chart(DIAMOND, ax=plt.figure().add_subplot())
    with pytest.raises(ParameterError, match="ncols"):
        figures.sparklines(_calls()["sparklines"][1], ncols=0)
    plt.close("all")
