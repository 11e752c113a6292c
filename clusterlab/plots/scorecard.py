"""Scorecard figures: status grid, sparklines with targets, reporting coverage, perspective
scores, a company's benchmark position and the diamond profile.

Every function follows the house convention ``f(table, *, ax=None, ...) -> Axes``: it draws on
``ax`` when given (else on a new figure), checks its table, sets a title that says what the
figure shows and returns the Axes. The small multiples (:func:`sparklines`,
:func:`benchmark_position`) draw their panels as inset Axes of the returned one
(``ax.child_axes``). Until 0.2 these functions returned the Figure: use ``ax.figure``.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> from clusterlab.scorecard import evaluate
>>> from clusterlab.plots.scorecard import status_grid
>>> agg = pd.DataFrame({"indicator": "member_retention", "period": ["2020", "2021"],
...                     "value": [85.0, 93.0]})
>>> ax = status_grid(evaluate(agg, "four_perspectives").status)
>>> ax.get_title()
'Indicator status by period'
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from clusterlab._validation import check_frame
from clusterlab.errors import ParameterError
from clusterlab.plots._axes import axes_or_new
from clusterlab.scorecard.periods import sort_periods

__all__ = [
    "STATUS_COLOURS",
    "status_grid",
    "sparklines",
    "coverage_chart",
    "perspective_scores",
    "benchmark_position",
    "diamond_chart",
]

#: Colours of the statuses (same traffic lights as the dashboards).
STATUS_COLOURS = {
    "on_track": "#2e7d32",
    "at_risk": "#f9a825",
    "off_track": "#c62828",
    "no_target": "#b0bec5",
    "no_data": "#eceff1",
}


def _panels(ax, n: int, ncols: int) -> list:
    """``n`` inset Axes in a grid of ``ncols`` columns filling ``ax`` (whose frame is hidden)."""
    ax.set_axis_off()
    nrows = max(1, math.ceil(n / ncols))
    w, h = 1 / ncols, 1 / nrows
    return [
        ax.inset_axes(
            [(i % ncols) * w + 0.08 * w, 1 - (i // ncols + 1) * h + 0.22 * h, 0.84 * w, 0.6 * h]
        )
        for i in range(n)
    ]


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    ax = abs(x)
    return f"{x:,.0f}" if ax >= 100 else f"{x:.1f}" if ax >= 10 else f"{x:.2f}"


def status_grid(status: pd.DataFrame, *, label: str = "indicator_name", title: str = "", ax=None):
    """Indicators (rows, grouped by perspective) × periods, coloured by status, with values.

    Parameters
    ----------
    status : pandas.DataFrame
        ``Scorecard.status`` (one group): ``indicator, perspective, period, value, status``.
    label : str, default "indicator_name"
        Column used for the row labels (falls back to ``indicator``).
    title : str, default ""
        Title; default "Indicator status by period".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        Missing columns, or several rows for one indicator and period (one group per figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab.scorecard import evaluate
    >>> agg = pd.DataFrame({"indicator": "member_retention", "period": ["2020", "2021"],
    ...                     "value": [85.0, 93.0]})
    >>> ax = status_grid(evaluate(agg, "four_perspectives").status, title="Retention")
    >>> ax.get_title(), len(ax.get_xticks())
    ('Retention', 2)
    >>> plt.close(ax.figure)
    """
    check_frame(
        status,
        required=["indicator", "perspective", "period", "value", "status"],
        unique=["indicator", "period"],
        name="status",
    )
    label = label if label in status.columns else "indicator"
    periods = sort_periods(status["period"].unique())
    rows = list(dict.fromkeys(zip(status["perspective"], status["indicator"], strict=True)))
    names = dict(zip(status["indicator"], status[label], strict=False))
    cell = status.set_index(["indicator", "period"])
    ax = axes_or_new(
        ax, figsize=(1.1 * len(periods) + 4.5, 0.32 * len(rows) + 1.2), layout="constrained"
    )
    for i, (_, ind) in enumerate(rows):
        for j, p in enumerate(periods):
            if (ind, p) in cell.index:
                r = cell.loc[(ind, p)]
                colour = STATUS_COLOURS.get(r["status"], "#ffffff")
                text = _fmt(r["value"])
            else:
                colour, text = "#ffffff", ""
            ax.add_patch(plt.Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white"))
            dark = colour in (STATUS_COLOURS["on_track"], STATUS_COLOURS["off_track"])
            ax.text(
                j + 0.5,
                i + 0.5,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )
    ax.set_xlim(0, len(periods))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(periods)) + 0.5, periods, fontsize=8)
    ax.set_yticks(np.arange(len(rows)) + 0.5, [f"{names[i]} [{p}]" for p, i in rows], fontsize=7)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(
        handles=[Patch(color=c, label=s.replace("_", " ")) for s, c in STATUS_COLOURS.items()],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=7,
        frameon=False,
    )
    ax.set_title(title or "Indicator status by period", fontsize=10)
    return ax


def sparklines(
    status: pd.DataFrame, *, ncols: int = 4, label: str = "indicator_name", title: str = "", ax=None
):
    """Small multiples: each indicator's values over the periods, its target (dashed) and the
    latest status as the colour of the last point.

    Parameters
    ----------
    status : pandas.DataFrame
        ``Scorecard.status`` (one group): ``indicator, period, value, target, status``.
    ncols : int, default 4
        Panels per row.
    label : str, default "indicator_name"
        Column used for the panel titles (falls back to ``indicator``).
    title : str, default ""
        Title; default "Indicator values over the periods (dashed: target)".
    ax : matplotlib.axes.Axes, optional
        Where to draw (the panels fill it); a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the title; one panel per indicator in ``ax.child_axes`` (until 0.2:
        the Figure).

    Raises
    ------
    DataValidationError
        Missing columns, or several rows for one indicator and period.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab.scorecard import evaluate
    >>> agg = pd.DataFrame({"indicator": ["member_retention"] * 2 + ["members"] * 2,
    ...                     "period": ["2020", "2021"] * 2, "value": [85.0, 93.0, 20, 24]})
    >>> ax = sparklines(evaluate(agg, "four_perspectives").status, ncols=2)
    >>> len(ax.child_axes), ax.get_title()
    (2, 'Indicator values over the periods (dashed: target)')
    >>> plt.close(ax.figure)
    """
    check_frame(
        status,
        required=["indicator", "period", "value", "target", "status"],
        unique=["indicator", "period"],
        name="status",
    )
    label = label if label in status.columns else "indicator"
    inds = list(dict.fromkeys(status["indicator"]))
    if isinstance(ncols, bool) or not isinstance(ncols, int | np.integer) or ncols < 1:
        raise ParameterError(f"ncols must be a positive integer, got {ncols!r}")
    nrows = max(1, math.ceil(len(inds) / ncols))
    outer = axes_or_new(ax, figsize=(3.0 * ncols, 1.7 * nrows + 0.4), layout="constrained")
    outer.set_title(title or "Indicator values over the periods (dashed: target)", fontsize=10)
    for ax, ind in zip(_panels(outer, len(inds), ncols), inds, strict=True):
        g = status.loc[status["indicator"] == ind]
        order = sort_periods(g["period"])
        g = g.set_index("period").loc[order].reset_index()
        x = np.arange(len(g))
        ax.plot(x, g["value"], color="#455a64", lw=1.2, marker=".", ms=3)
        if g["target"].notna().any():
            ax.plot(x, g["target"], color="#607d8b", lw=0.9, ls="--")
        ok = g["value"].notna()
        if ok.any():
            last = g.loc[ok].iloc[-1]
            ax.scatter(
                [x[ok.to_numpy()][-1]],
                [last["value"]],
                s=28,
                zorder=3,
                color=STATUS_COLOURS.get(last["status"], "#9e9e9e"),
            )
        ax.set_title(str(g[label].iloc[0])[:46], fontsize=7)
        ax.set_xticks(x, [str(p)[-2:] for p in g["period"]], fontsize=6)
        ax.tick_params(axis="y", labelsize=6)
        ax.spines[["top", "right"]].set_visible(False)
    return outer


def coverage_chart(
    status: pd.DataFrame, *, min_coverage: float | None = 0.5, title: str = "", ax=None
):
    """Reporting coverage of the company indicators by period (share of expected companies
    that reported), one line per indicator, their mean, and the coverage threshold.

    Parameters
    ----------
    status : pandas.DataFrame
        ``Scorecard.status``: ``indicator, period, source, coverage``.
    min_coverage : float or None, default 0.5
        Threshold drawn as a dotted line (None: none).
    title : str, default ""
        Title; default "Reporting coverage of the company indicators".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> s = pd.DataFrame({"indicator": "rd_intensity", "period": ["2020", "2021"],
    ...                   "source": "company", "coverage": [0.5, 0.75]})
    >>> ax = coverage_chart(s)
    >>> ax.get_title(), len(ax.lines)                 # indicator, mean, threshold
    ('Reporting coverage of the company indicators', 3)
    >>> plt.close(ax.figure)
    """
    check_frame(status, required=["indicator", "period", "source", "coverage"], name="status")
    comp = status.loc[status["source"] == "company"]
    ax = axes_or_new(ax, figsize=(7, 3.4), layout="constrained")
    periods = sort_periods(comp["period"].unique()) if len(comp) else []
    pos = {p: i for i, p in enumerate(periods)}
    for ind, g in comp.groupby("indicator", sort=False):
        g = g.assign(_x=g["period"].map(pos)).sort_values("_x")
        ax.plot(g["_x"], g["coverage"], lw=1, alpha=0.7, label=ind)
    if len(comp):
        mean = comp.groupby("period")["coverage"].mean().reindex(periods)
        ax.plot(range(len(periods)), mean.to_numpy(), color="black", lw=2.2, label="mean")
    if min_coverage is not None:
        ax.axhline(min_coverage, color="#c62828", ls=":", lw=1)
    ax.set_xticks(range(len(periods)), periods)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of expected companies reporting")
    if len(comp):
        ax.legend(fontsize=6, ncols=2, loc="lower left", bbox_to_anchor=(1.0, 0.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or "Reporting coverage of the company indicators", fontsize=10)
    return ax


def perspective_scores(perspectives: pd.DataFrame, *, title: str = "", ax=None):
    """Perspective scores (mean status points) over the periods, one line per perspective.

    Parameters
    ----------
    perspectives : pandas.DataFrame
        ``Scorecard.perspectives``: ``perspective, perspective_name, period, score``.
    title : str, default ""
        Title; default "Perspective scores by period".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> p = pd.DataFrame({"perspective": "p", "perspective_name": "Processes",
    ...                   "period": ["2020", "2021"], "score": [0.5, 1.0]})
    >>> ax = perspective_scores(p)
    >>> ax.get_title(), len(ax.lines)
    ('Perspective scores by period', 1)
    >>> plt.close(ax.figure)
    """
    check_frame(
        perspectives,
        required=["perspective", "perspective_name", "period", "score"],
        name="perspectives",
    )
    ax = axes_or_new(ax, figsize=(7, 3.2), layout="constrained")
    periods = sort_periods(perspectives["period"].unique())
    pos = {p: i for i, p in enumerate(periods)}
    for _, g in perspectives.groupby("perspective", sort=False):
        g = g.assign(_x=g["period"].map(pos)).sort_values("_x")
        ax.plot(g["_x"], g["score"], marker="o", ms=4, label=g["perspective_name"].iloc[0])
    ax.set_xticks(range(len(periods)), periods)
    ax.set_ylim(-0.05, 1.05)
    ax.set_yticks([0, 0.5, 1], ["all off track", "0.5", "all on track"])
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or "Perspective scores by period", fontsize=10)
    return ax


def benchmark_position(
    bench: pd.DataFrame, *, period=None, label: str = "indicator_name", title: str = "", ax=None
):
    """A company's value against its peers' interquartile range (bar) and median (tick), for
    one period (default the latest). Withheld peer statistics are not drawn.

    Parameters
    ----------
    bench : pandas.DataFrame
        :func:`clusterlab.scorecard.company_benchmark`'s table: ``indicator, period, value,
        peer_q1, peer_median, peer_q3, position``.
    period : str, optional
        The period shown (default the latest).
    label : str, default "indicator_name"
        Column used for the indicator labels (falls back to ``indicator``).
    title : str, default ""
        Title; default "Company vs peers (bar: peer quartiles, tick: median), <period>".
    ax : matplotlib.axes.Axes, optional
        Where to draw (one panel per indicator fills it); a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the title; one panel per indicator in ``ax.child_axes`` (until 0.2:
        the Figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> b = pd.DataFrame({"indicator": ["a", "b"], "period": "2021", "value": [3.0, 1.0],
    ...                   "peer_q1": [2.0, float("nan")], "peer_median": [2.5, float("nan")],
    ...                   "peer_q3": [4.0, float("nan")], "position": ["middle", "withheld"]})
    >>> ax = benchmark_position(b)
    >>> len(ax.child_axes), ax.get_title()
    (2, 'Company vs peers (bar: peer quartiles, tick: median), 2021')
    >>> plt.close(ax.figure)
    """
    check_frame(
        bench,
        required=["indicator", "period", "value", "peer_q1", "peer_median", "peer_q3", "position"],
        name="benchmark",
    )
    label = label if label in bench.columns else "indicator"
    period = period if period is not None else sort_periods(bench["period"].unique())[-1]
    b = bench.loc[bench["period"] == str(period)].reset_index(drop=True)
    outer = axes_or_new(ax, figsize=(7, 0.55 * len(b) + 0.8), layout="constrained")
    outer.set_title(
        title or f"Company vs peers (bar: peer quartiles, tick: median), {period}", fontsize=9
    )
    for ax, r in zip(_panels(outer, len(b), 1), b.itertuples(), strict=True):
        lo = np.nanmin([r.peer_q1, r.value]) if not np.isnan(r.peer_q1) else r.value
        hi = np.nanmax([r.peer_q3, r.value]) if not np.isnan(r.peer_q3) else r.value
        pad = 0.15 * (hi - lo) if hi > lo else 1.0
        if not np.isnan(r.peer_q1):
            ax.barh(0, r.peer_q3 - r.peer_q1, left=r.peer_q1, height=0.5, color="#cfd8dc")
            ax.plot([r.peer_median] * 2, [-0.3, 0.3], color="#455a64", lw=2)
        if not np.isnan(r.value):
            ax.scatter([r.value], [0], color="#1565c0", zorder=3, s=30)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_yticks([0], [str(getattr(r, label))[:40]], fontsize=7)
        ax.tick_params(axis="x", labelsize=6)
        ax.text(1.01, 0.5, r.position, transform=ax.transAxes, fontsize=7, va="center")
        ax.spines[["top", "right", "left"]].set_visible(False)
    return outer


def diamond_chart(profile: pd.DataFrame, *, title: str = "Diamond profile", ax=None):
    """Radar of the corner scores of :func:`~clusterlab.scorecard.diagnostics.diamond_profile`;
    corners that cannot be assessed are marked ``n/a``.

    Parameters
    ----------
    profile : pandas.DataFrame
        ``corner_name, score`` (scores in 0–1, missing when a corner cannot be assessed).
    title : str, default "Diamond profile"
        Title.
    ax : matplotlib.projections.polar.PolarAxes, optional
        A polar Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.projections.polar.PolarAxes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    ParameterError
        ``ax`` is not a polar Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> d = pd.DataFrame({"corner_name": ["Factors", "Demand", "Related", "Strategy"],
    ...                   "score": [0.6, float("nan"), 0.4, 0.8]})
    >>> ax = diamond_chart(d)
    >>> ax.get_title(), [t.get_text().split() for t in ax.get_xticklabels()][1]
    ('Diamond profile', ['Demand', 'n/a'])
    >>> plt.close(ax.figure)
    """
    check_frame(profile, required=["corner_name", "score"], name="profile")
    p = profile.reset_index(drop=True)
    n = len(p)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    scores = p["score"].to_numpy(float)
    if ax is not None and getattr(ax, "name", "") != "polar":
        raise ParameterError(
            "diamond_chart draws a radar: ax must be a polar Axes (plt.subplot(projection='polar'))"
        )
    ax = axes_or_new(ax, figsize=(4.6, 4.2), layout="constrained", projection="polar")
    closed = np.r_[np.nan_to_num(scores, nan=0.0), np.nan_to_num(scores[:1], nan=0.0)]
    ax.plot(np.r_[angles, angles[:1]], closed, color="#1565c0")
    ax.fill(np.r_[angles, angles[:1]], closed, color="#1565c0", alpha=0.2)
    labels = [
        f"{name}\n{'n/a' if np.isnan(s) else f'{s:.2f}'}"
        for name, s in zip(p["corner_name"], scores, strict=True)
    ]
    ax.set_xticks(angles, labels, fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_yticks([0.5, 1.0], ["0.5", "1"], fontsize=6)
    ax.set_title(title, fontsize=9)
    return ax
