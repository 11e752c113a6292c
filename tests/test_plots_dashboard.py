"""clusterlab.plots.dashboard and the last three figures of clusterlab.plots.compare
(``synth_placebo_plot``, ``forest_plot``, ``maturity_plot``) follow the plot convention of issue
#19: ``f(table, *, ax=None, ...) -> Axes``, draw on a given ``ax``, check their table, set a
title that says what the figure shows, and leak no warning. ``figure_svg`` / ``figure_alt``
take the returned Axes as well as a Figure."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from clusterlab.compare import SynthPlacebo, pool_effects  # noqa: E402
from clusterlab.errors import DataValidationError, ParameterError  # noqa: E402
from clusterlab.plots import compare as comparisons  # noqa: E402
from clusterlab.plots import dashboard as figures  # noqa: E402

PORTFOLIO = pd.DataFrame(
    {
        "cluster_name": ["Automotive", "Biopharma", "IT"],
        "lq": [1.4, 0.8, 1.1],
        "growth": [0.02, -0.01, np.nan],
        "employment": [5000, 1200, 3000],
        "strong": [True, False, True],
    }
)
PROFILE = pd.DataFrame(
    {
        "component": ["vision", "funding", "members"],
        "mean": [3.2, 2.5, np.nan],
        "ci_low": [2.8, 2.0, np.nan],
        "ci_high": [3.6, 3.0, np.nan],
        "round": ["r1", "r1", "r2"],
    }
)
SCORES = pd.DataFrame(
    {
        "initiative": ["a", "a", "b", "b"],
        "component": ["vision", "funding"] * 2,
        "mean": [3.0, 2.0, np.nan, 4.0],
    }
)
POSITIONS = pd.DataFrame(
    {"initiative": ["a", "b", "c"], "insight": [2.0, 4.0, np.nan], "execution": [3.0, 3.5, 2.0]}
)
KINDS = pd.DataFrame({"kind": ["firm", "university", "agency"], "degree": [0.2, 0.5, np.nan]})
STATUS = pd.DataFrame(
    {
        "perspective": ["members", "members", "finance", "finance"],
        "status": ["on_track", "at_risk", "off_track", None],
    }
)
EFFECTS = pd.DataFrame(
    {
        "outcome": ["jobs", "jobs", "turnover", "turnover", "patents"],
        "method": ["ols", "psm", "ols", "psm", "ols"],
        "estimate": [1.0, 2.0, 0.1, np.nan, 3.0],
        "ci_low": [0.0, 1.0, -0.1, np.nan, 1.0],
        "ci_high": [2.0, 3.0, 0.3, np.nan, 5.0],
    }
)
DENSITY = pd.DataFrame(
    {
        "group_from": ["firm", "firm", "uni", "uni"],
        "group_to": ["firm", "uni"] * 2,
        "density": [0.2, 0.1, np.nan, 0.5],
    }
)

PLACEBO = SynthPlacebo(
    pd.DataFrame(
        {"unit": ["T", "A", "B"], "treated": [True, False, False], "pre_rmspe": [1.0, 2.0, 9.0]}
    ),
    pd.DataFrame(
        {
            "unit": ["T", "T", "A", "A", "B", "B"],
            "period": [2019, 2020] * 3,
            "gap": [0.1, 2.0, -0.3, 0.4, 1.0, -2.0],
        }
    ),
    p_value=1 / 3,
)
INITIATIVES = pd.DataFrame(
    {
        "initiative": list("abcdef"),
        "estimate": [0.1, 0.3, 0.2, 0.4, 0.15, 0.35],
        "std_error": 0.1,
        "cimbt_overall": [2.0, 3.5, 3.0, 4.0, 2.5, 3.8],
    }
)
INITIATIVES = INITIATIVES.assign(
    ci_low=INITIATIVES["estimate"] - 0.2, ci_high=INITIATIVES["estimate"] + 0.2
)
META = pool_effects(INITIATIVES, method="FE", label="initiative")
METAREG = pool_effects(INITIATIVES, method="FE", moderators=["cimbt_overall"])

# name -> (function, table, keyword arguments, a column whose absence is an error)
CALLS = {
    "portfolio_bubble": (figures.portfolio_bubble, PORTFOLIO, {}, "lq"),
    "interval_profile": (
        figures.interval_profile,
        PROFILE,
        {"label": "component", "hue": "round", "ref": 3.0},
        "mean",
    ),
    "components_heatmap": (figures.components_heatmap, SCORES, {}, "component"),
    "insight_execution_scatter": (
        figures.insight_execution_scatter,
        POSITIONS,
        {"x": "insight", "y": "execution", "label": "initiative", "highlight": "b"},
        "execution",
    ),
    "group_bars": (figures.group_bars, KINDS, {"x": "kind", "y": "degree"}, "degree"),
    "status_counts": (figures.status_counts, STATUS, {}, "status"),
    "effects_small_multiples": (
        figures.effects_small_multiples,
        EFFECTS,
        {"labels": {"psm": "matching"}},
        "outcome",
    ),
    "density_heatmap": (
        figures.density_heatmap,
        DENSITY,
        {"labels": {"uni": "university"}},
        "density",
    ),
    "maturity_plot": (
        comparisons.maturity_plot,
        INITIATIVES,
        {"moderator": "cimbt_overall", "meta": METAREG},
        "cimbt_overall",
    ),
}
RESULTS = {
    "synth_placebo_plot": (comparisons.synth_placebo_plot, PLACEBO),
    "forest_plot": (comparisons.forest_plot, META),
}


def _draws_on_the_given_axes(func, table, kw):
    fig, given = plt.subplots(1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(table, ax=given[1], **kw)
        assert ax is given[1] and ax.get_title()
        assert not given[0].has_data()  # nothing drawn elsewhere
        new = func(table, title="what it shows", **kw)
    assert isinstance(new, Axes) and new.figure is not fig
    assert new.get_title() == "what it shows"
    plt.close(fig)
    plt.close(new.figure)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_draws_on_the_given_axes_and_returns_it_with_a_title(name):
    func, table, kw, _ = CALLS[name]
    _draws_on_the_given_axes(func, table, kw)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_result_figures_draw_on_the_given_axes(name):
    func, result = RESULTS[name]
    _draws_on_the_given_axes(func, result, {})


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_missing_column_is_our_error(name):
    func, table, kw, column = CALLS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataValidationError) as exc:
            func(table.drop(columns=column), **kw)
    assert exc.value.problems["column"].tolist() == [column]
    plt.close("all")


def test_results_missing_a_column_are_our_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bad = SynthPlacebo(PLACEBO.table.drop(columns="pre_rmspe"), PLACEBO.gaps, 0.5)
        with pytest.raises(DataValidationError) as exc:
            comparisons.synth_placebo_plot(bad)
        assert exc.value.problems["column"].tolist() == ["pre_rmspe"]
        bad = SynthPlacebo(PLACEBO.table, PLACEBO.gaps.drop(columns="gap"), 0.5)
        with pytest.raises(DataValidationError, match="placebo.gaps"):
            comparisons.synth_placebo_plot(bad)
        bad = SynthPlacebo(PLACEBO.table.assign(treated=False), PLACEBO.gaps, 0.5)
        with pytest.raises(DataValidationError, match="treated"):
            comparisons.synth_placebo_plot(bad)
        with pytest.raises(DataValidationError, match="placebo.table"):
            comparisons.synth_placebo_plot(PLACEBO.table)  # the table, not the result
        studies = META.studies.drop(columns="weight")
        with pytest.raises(DataValidationError) as exc:
            comparisons.forest_plot(type(META)(META.coefficients, studies, META.heterogeneity))
        assert exc.value.problems["column"].tolist() == ["weight"]
        with pytest.raises(DataValidationError):
            comparisons.maturity_plot(INITIATIVES.assign(estimate="big"), moderator="cimbt_overall")
    plt.close("all")


def test_what_is_drawn():
    ax = figures.portfolio_bubble(PORTFOLIO)
    assert ax.get_title() == "Cluster portfolio"
    assert [t.get_text() for t in ax.texts] == ["Automotive", "Biopharma"]  # IT: no growth
    ax = figures.interval_profile(PROFILE, label="component")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["vision", "funding"]
    ax = figures.components_heatmap(SCORES)
    assert len(ax.texts) == 3  # the suppressed cell stays blank
    ax = figures.density_heatmap(DENSITY, labels={"uni": "university"})
    assert [t.get_text() for t in ax.texts] == ["20", "10", "50"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["firm", "university"]
    ax = figures.status_counts(STATUS)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "on_track",
        "at_risk",
        "off_track",
    ]
    ax = comparisons.synth_placebo_plot(PLACEBO)
    assert len(ax.lines) == 3  # A, the treated unit, zero; B fits badly
    assert len(comparisons.synth_placebo_plot(PLACEBO, max_pre_ratio=None).lines) == 4
    ax = comparisons.forest_plot(META)
    assert ax.get_yticklabels()[-1].get_text() == "pooled (FE)"
    plt.close("all")


def test_small_multiples_are_inset_panels_of_the_returned_axes():
    ax = figures.effects_small_multiples(
        EFFECTS, labels={"psm": "matching", "jobs": "Jobs"}, ncols=2
    )
    assert not ax.axison  # the outer Axes only holds the title
    assert [p.get_title() for p in ax.child_axes] == ["Jobs", "turnover", "patents"]
    assert [t.get_text() for t in ax.child_axes[0].get_yticklabels()] == ["ols", "matching"]
    # turnover's matching row has no estimate: not drawn
    assert [t.get_text() for t in ax.child_axes[1].get_yticklabels()] == ["ols"]
    # two columns: the third panel starts a second row, below the first
    first, third = (p.get_position() for p in (ax.child_axes[0], ax.child_axes[2]))
    assert third.y1 < first.y0 and third.x0 == pytest.approx(first.x0)
    plt.close(ax.figure)
    with pytest.raises(ParameterError, match="ncols"):
        figures.effects_small_multiples(EFFECTS, ncols=0)
    plt.close("all")


def test_figure_svg_and_alt_take_the_axes_or_the_figure():
    ax = figures.group_bars(KINDS, x="kind", y="degree", title="Mean degree by kind")
    assert (
        figures.figure_alt(ax) == figures.figure_alt(ax.figure) == ("Mean degree by kind — degree")
    )
    svg = figures.figure_svg(ax)
    assert svg.startswith('<svg role="img" aria-label="Mean degree by kind — degree"')
    assert not plt.fignum_exists(ax.figure.number)  # closed
    fig = figures.density_heatmap(DENSITY).figure
    assert "<title>tie densities</title>" in figures.figure_svg(fig, alt="tie densities")
    with pytest.raises(ParameterError, match="Axes or Figure"):
        figures.figure_svg("not a figure")
