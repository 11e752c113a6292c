"""Figures of member vs non-member comparisons: love plot, group trends (the parallel-trends
picture), event-study path, propensity-score overlap, estimates side by side, and the staggered,
synthetic-control and cross-initiative figures. No figure shows firm names. The module does not
change the matplotlib backend, so figures appear inline in notebooks and work under ``Agg`` in
scripts and tests.

Every function follows the house convention ``f(table, *, ax=None, ...) -> Axes``: it draws on
``ax`` when given (else on a new figure), checks its input, sets a title that says what the
figure shows and returns the Axes. Until 0.2 ``love_plot``, ``trends_plot``,
``event_study_plot``, ``overlap_plot`` and ``effects_plot`` returned the Figure: use
``ax.figure`` where it is needed.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> from clusterlab.compare import balance_table
>>> from clusterlab.plots.compare import love_plot
>>> df = pd.DataFrame({"member": [1, 1, 0, 0, 0], "x": [2., 4., 1., 2., 3.]})
>>> ax = love_plot(balance_table(df, group="member", covariates=["x"]))
>>> ax.get_title()
'Covariate balance, members vs non-members'
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.plots._axes import axes_or_new

__all__ = [
    "love_plot",
    "trends_plot",
    "event_study_plot",
    "overlap_plot",
    "effects_plot",
    "dynamic_plot",
    "bacon_plot",
    "synth_gap_plot",
    "synth_placebo_plot",
    "forest_plot",
    "maturity_plot",
]

MEMBER_COLOURS = {1: "#1565c0", 0: "#9e9e9e"}


def love_plot(balance: pd.DataFrame, *, threshold: float | None = None, title: str = "", ax=None):
    """Absolute standardised mean differences per covariate, before (open circles) and after
    (filled) matching/weighting, with the balance threshold as a dashed line.

    Parameters
    ----------
    balance : pandas.DataFrame
        :func:`clusterlab.compare.balance_table` (or a match/weight result's ``.balance``):
        ``covariate, smd`` and optionally ``smd_adj``.
    threshold : float, optional
        The :math:`|SMD|` line (default the table's ``threshold`` or 0.1).
    title : str, default ""
        Title; default "Covariate balance, members vs non-members".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> b = pd.DataFrame({"covariate": ["age", "size"], "smd": [0.3, -0.2],
    ...                   "smd_adj": [0.05, 0.01]})
    >>> ax = love_plot(b, threshold=0.1)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['size', 'age']
    >>> plt.close(ax.figure)
    """
    check_frame(balance, required=["covariate", "smd"], numeric=["smd"], name="balance")
    thr = threshold if threshold is not None else getattr(balance, "threshold", 0.1) or 0.1
    b = pd.DataFrame(balance).iloc[::-1]
    new = ax is None
    ax = axes_or_new(ax, figsize=(6.5, 0.35 * len(b) + 1.4))
    y = np.arange(len(b))
    ax.scatter(
        b["smd"].abs(), y, facecolors="none", edgecolors="#616161", label="unadjusted", zorder=3
    )
    if "smd_adj" in b.columns:
        ax.scatter(b["smd_adj"].abs(), y, color=MEMBER_COLOURS[1], label="adjusted", zorder=4)
    ax.axvline(thr, color="#c62828", linestyle="--", linewidth=1, label=f"|SMD| = {thr:g}")
    ax.set_yticks(y, b["covariate"])
    ax.set_xlabel("absolute standardised mean difference (binary: as chosen)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or "Covariate balance, members vs non-members")
    return _done(ax, new)


def trends_plot(
    trends: pd.DataFrame,
    *,
    period: str,
    group: str,
    treated_from=None,
    ylabel: str = "",
    title: str = "",
    ax=None,
):
    """Mean outcome by period for members and non-members with confidence bands.

    Parameters
    ----------
    trends : pandas.DataFrame
        :func:`clusterlab.compare.group_trends`: the ``period`` and ``group`` columns and
        ``mean, ci_low, ci_high``.
    period, group : str
        Column names (``group`` is 1 for members, 0 for non-members).
    treated_from : optional
        Draws a dotted line at the first joining period.
    ylabel : str, default ""
        y axis label (default "mean").
    title : str, default ""
        Title; default "Members and non-members over time".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"period": [1, 2, 1, 2], "member": [1, 1, 0, 0],
    ...                   "mean": [2.0, 3.0, 2.0, 2.5], "ci_low": [1.5, 2.5, 1.5, 2.0],
    ...                   "ci_high": [2.5, 3.5, 2.5, 3.0]})
    >>> ax = trends_plot(t, period="period", group="member", treated_from=2)
    >>> ax.get_title(), len(ax.lines)                # members, non-members, joining line
    ('Members and non-members over time', 3)
    >>> plt.close(ax.figure)
    """
    check_frame(
        trends,
        required=[period, group, "mean", "ci_low", "ci_high"],
        numeric=["mean", "ci_low", "ci_high"],
        name="trends",
    )
    new = ax is None
    ax = axes_or_new(ax, figsize=(7, 4))
    for g, label in ((1, "members"), (0, "non-members")):
        d = trends[trends[group] == g].sort_values(period)
        if d.empty:
            continue
        ax.plot(d[period], d["mean"], marker="o", color=MEMBER_COLOURS[g], label=label)
        ax.fill_between(d[period], d["ci_low"], d["ci_high"], color=MEMBER_COLOURS[g], alpha=0.15)
    if treated_from is not None:
        ax.axvline(
            treated_from, color="#424242", linestyle=":", linewidth=1, label="first members join"
        )
    ax.set_xlabel(period)
    ax.set_ylabel(ylabel or "mean")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(title or "Members and non-members over time")
    return _done(ax, new)


def event_study_plot(result, *, title: str = "", ax=None):
    """Event-study coefficients with confidence intervals; the reference period is drawn at 0
    as an open marker, leads left of the dashed line.

    Parameters
    ----------
    result : EventStudyResult or pandas.DataFrame
        :func:`clusterlab.compare.event_study`'s result or its ``path``:
        ``rel_period, estimate, ci_low, ci_high, reference``. A result's pre-trend test
        p-value is added to the title.
    title : str, default ""
        Title; default "Event study".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric column of the path.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> path = pd.DataFrame({"rel_period": [-2, -1, 0, 1], "estimate": [0.1, 0.0, 0.5, 0.7],
    ...                      "ci_low": [-0.2, 0.0, 0.2, 0.3], "ci_high": [0.4, 0.0, 0.8, 1.1],
    ...                      "reference": [False, True, False, False]})
    >>> ax = event_study_plot(path)
    >>> ax.get_title()
    'Event study'
    >>> plt.close(ax.figure)
    """
    path = result.path if hasattr(result, "path") else result
    check_frame(
        path,
        required=["rel_period", "estimate", "ci_low", "ci_high", "reference"],
        numeric=["rel_period", "estimate", "ci_low", "ci_high"],
        name="path",
    )
    new = ax is None
    ax = axes_or_new(ax, figsize=(7, 4))
    ref_rows = path["reference"].astype(bool)
    est = path[~ref_rows]
    ax.errorbar(
        est["rel_period"],
        est["estimate"],
        yerr=[est["estimate"] - est["ci_low"], est["ci_high"] - est["estimate"]],
        fmt="o",
        color=MEMBER_COLOURS[1],
        capsize=3,
        label="estimate and CI",
    )
    ref = path[ref_rows]
    ax.scatter(
        ref["rel_period"],
        ref["estimate"],
        facecolors="white",
        edgecolors=MEMBER_COLOURS[1],
        zorder=5,
        label="reference (= 0)",
    )
    ax.axhline(0, color="#424242", linewidth=0.8)
    ax.axvline(-0.5, color="#9e9e9e", linestyle="--", linewidth=1)
    ax.set_xlabel("periods relative to joining")
    ax.set_ylabel("difference to non-members")
    pre = getattr(result, "pretrend", None)
    sub = ""
    if pre is not None and not pre.empty and np.isfinite(pre["p_value"].iloc[0]):
        sub = f" (pre-trend test p = {pre['p_value'].iloc[0]:.3f})"
    ax.set_title((title or "Event study") + sub)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _done(ax, new)


def overlap_plot(result, *, bins: int = 20, title: str = "", ax=None):
    """Histograms of the propensity score of members and non-members: where one group has no
    counterpart, there is no overlap.

    Parameters
    ----------
    result : MatchResult, WeightResult or PropensityModel
        A :func:`clusterlab.compare.match` / ``weight`` result (its ``propensity``) or a
        propensity model (``frame``, ``group``, ``scores``).
    bins : int, default 20
        Histogram bins on [0, 1].
    title : str, default ""
        Title; default "Overlap of members and non-members".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    ParameterError
        ``result`` holds no propensity model.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab import compare
    >>> df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0, 0], "age": [5, 7, 6, 2, 6, 8, 3.]})
    >>> ax = overlap_plot(compare.match(df, group="member", covariates=["age"]))
    >>> ax.get_title()
    'Overlap of members and non-members'
    >>> plt.close(ax.figure)
    """
    ps = getattr(result, "propensity", result)
    if not all(hasattr(ps, a) for a in ("frame", "group", "scores")):
        raise ParameterError(
            "overlap_plot needs a match/weight result or a propensity model, "
            f"got {type(result).__name__}"
        )
    g = ps.frame[ps.group].to_numpy()
    s = ps.scores.to_numpy()
    new = ax is None
    ax = axes_or_new(ax, figsize=(7, 3.8))
    edges = np.linspace(0, 1, bins + 1)
    ax.hist(s[g == 1], bins=edges, alpha=0.6, color=MEMBER_COLOURS[1], label="members")
    ax.hist(s[g == 0], bins=edges, alpha=0.6, color=MEMBER_COLOURS[0], label="non-members")
    ax.set_xlabel("propensity score (estimated probability of membership)")
    ax.set_ylabel("firms")
    ax.legend(fontsize=8)
    ax.set_title(title or "Overlap of members and non-members")
    return _done(ax, new)


def effects_plot(effects: pd.DataFrame, *, outcome: str | None = None, title: str = "", ax=None):
    """Estimates with confidence intervals side by side, one row per method.

    Parameters
    ----------
    effects : pandas.DataFrame
        :func:`clusterlab.compare.effects_table`: ``method, outcome, estimate, ci_low,
        ci_high``.
    outcome : str, optional
        Show this outcome only (default all, labelled "method (outcome)").
    title : str, default ""
        Title; default "Estimates" (or "Estimates for <outcome>").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> e = pd.DataFrame({"method": ["DiD", "matching"], "outcome": "jobs",
    ...                   "estimate": [1.0, 1.4], "ci_low": [0.2, 0.1], "ci_high": [1.8, 2.7]})
    >>> ax = effects_plot(e, outcome="jobs")
    >>> ax.get_title(), [t.get_text() for t in ax.get_yticklabels()]
    ('Estimates for jobs', ['matching', 'DiD'])
    >>> plt.close(ax.figure)
    """
    check_frame(
        effects,
        required=["method", "outcome", "estimate", "ci_low", "ci_high"],
        numeric=["estimate", "ci_low", "ci_high"],
        name="effects",
    )
    e = effects if outcome is None else effects[effects["outcome"] == outcome]
    e = e.iloc[::-1]
    labels = [
        f"{m} ({o})" if outcome is None else m
        for m, o in zip(e["method"], e["outcome"], strict=True)
    ]
    new = ax is None
    ax = axes_or_new(ax, figsize=(7, 0.4 * len(e) + 1.4))
    y = np.arange(len(e))
    lo = (e["estimate"] - e["ci_low"]).fillna(0).clip(lower=0)
    hi = (e["ci_high"] - e["estimate"]).fillna(0).clip(lower=0)
    ax.errorbar(e["estimate"], y, xerr=[lo, hi], fmt="o", color=MEMBER_COLOURS[1], capsize=3)
    ax.axvline(0, color="#424242", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel("member - non-member difference")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or (f"Estimates for {outcome}" if outcome else "Estimates"))
    return _done(ax, new)


def _done(ax, new: bool):
    """Tighten the layout of a figure this module created; return the Axes."""
    if new:
        ax.figure.tight_layout()
    return ax


def dynamic_plot(table: pd.DataFrame, *, ax=None, title: str = ""):
    """Effects by periods since joining (``StaggeredDiDResult.aggregate("dynamic")``) with their
    intervals; pre-joining placebo effects left of the dashed line.

    Parameters
    ----------
    table : pandas.DataFrame
        ``term, event_time, estimate, ci_low, ci_high`` (the ``overall`` row is left out).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "Effect of joining by time since joining (Callaway & Sant'Anna)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"term": ["dynamic"] * 3 + ["overall"], "event_time": [-1, 0, 1, None],
    ...                   "estimate": [0.0, 0.4, 0.6, 0.5], "ci_low": [-0.3, 0.1, 0.2, 0.2],
    ...                   "ci_high": [0.3, 0.7, 1.0, 0.8]})
    >>> ax = dynamic_plot(t, title="jobs after joining")
    >>> ax.get_title()
    'jobs after joining'
    >>> plt.close(ax.figure)
    """
    check_frame(
        table,
        required=["term", "event_time", "estimate", "ci_low", "ci_high"],
        numeric=["estimate", "ci_low", "ci_high"],
        name="table",
    )
    own = ax is None
    ax = axes_or_new(ax, figsize=(7, 4))
    t = table[table["term"] != "overall"]
    pre = t["event_time"] < 0
    for mask, colour, label in [
        (pre, MEMBER_COLOURS[0], "before joining (placebo)"),
        (~pre, MEMBER_COLOURS[1], "after joining"),
    ]:
        d = t[mask]
        ax.errorbar(
            d["event_time"].astype(float),
            d["estimate"],
            yerr=[d["estimate"] - d["ci_low"], d["ci_high"] - d["estimate"]],
            fmt="o",
            color=colour,
            capsize=3,
            label=label,
        )
    ax.axhline(0, color="#424242", linewidth=0.8)
    ax.axvline(-0.5, color="#9e9e9e", linestyle="--", linewidth=1)
    ax.set_xlabel("periods since joining")
    ax.set_ylabel("average effect on members (ATT)")
    ax.set_title(title or "Effect of joining by time since joining (Callaway & Sant'Anna)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    if own:
        ax.figure.tight_layout()
    return ax


def bacon_plot(table: pd.DataFrame, *, ax=None, title: str = ""):
    """Goodman-Bacon decomposition: each 2×2 estimate against its weight, by comparison
    type, with the two-way fixed-effects estimate (their weighted sum) as a line.

    Parameters
    ----------
    table : pandas.DataFrame
        The decomposition (:func:`clusterlab.compare.bacon_decomposition`): ``comparison,
        weight, estimate``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "Which comparisons make up the two-way fixed-effects estimate".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"comparison": ["earlier vs later", "later vs earlier"],
    ...                   "weight": [0.75, 0.25], "estimate": [1.0, -0.2]})
    >>> ax = bacon_plot(t)
    >>> "TWFE estimate = 0.7" in [t.get_text() for t in ax.get_legend().get_texts()]  # .75-.05
    True
    >>> plt.close(ax.figure)
    """
    check_frame(
        table,
        required=["comparison", "weight", "estimate"],
        numeric=["weight", "estimate"],
        name="table",
    )
    own = ax is None
    ax = axes_or_new(ax, figsize=(7, 4))
    markers = dict(zip(sorted(table["comparison"].unique()), "osD^v", strict=False))
    for comp, d in table.groupby("comparison"):
        ax.scatter(d["weight"], d["estimate"], marker=markers[comp], label=comp, alpha=0.8)
    twfe = float((table["weight"] * table["estimate"]).sum())
    ax.axhline(
        twfe, color="#c62828", linestyle="--", linewidth=1, label=f"TWFE estimate = {twfe:.3g}"
    )
    ax.axhline(0, color="#424242", linewidth=0.8)
    ax.set_xlabel("weight in the two-way fixed-effects estimate")
    ax.set_ylabel("2x2 DiD estimate")
    ax.set_title(title or "Which comparisons make up the two-way fixed-effects estimate")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    if own:
        ax.figure.tight_layout()
    return ax


def synth_gap_plot(effects: pd.DataFrame, *, ax=None, title: str = "", show_levels=False):
    """Synthetic control: the gap (treated - synthetic) over time, or both paths with
    ``show_levels=True``; the dashed line marks the treatment period.

    Parameters
    ----------
    effects : pandas.DataFrame or SyntheticControlResult
        ``SyntheticControlResult.effects`` (or the result itself): ``period, post, actual,
        synthetic, gap``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "Treated region against its synthetic control".
    show_levels : bool, default False
        Draw the treated and synthetic paths instead of their gap.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> e = pd.DataFrame({"period": [2018, 2019, 2020, 2021], "post": [False, False, True, True],
    ...                   "actual": [10.0, 11.0, 13.0, 14.0],
    ...                   "synthetic": [10.1, 10.9, 11.5, 12.0]})
    >>> ax = synth_gap_plot(e.assign(gap=e["actual"] - e["synthetic"]))
    >>> ax.get_title(), len(ax.lines)                # gap, zero line, policy start
    ('Treated region against its synthetic control', 3)
    >>> plt.close(ax.figure)
    """
    e = getattr(effects, "effects", effects)
    check_frame(
        e,
        required=["period", "post", "actual", "synthetic", "gap"],
        numeric=["actual", "synthetic", "gap"],
        name="effects",
    )
    own = ax is None
    ax = axes_or_new(ax, figsize=(7, 4))
    first_post = e.loc[e["post"], "period"].min()
    if show_levels:
        ax.plot(e["period"], e["actual"], color=MEMBER_COLOURS[1], label="treated region")
        ax.plot(
            e["period"], e["synthetic"], color="#424242", linestyle="--", label="synthetic control"
        )
        ax.set_ylabel("outcome")
    else:
        ax.plot(
            e["period"], e["gap"], color=MEMBER_COLOURS[1], marker="o", label="treated - synthetic"
        )
        ax.axhline(0, color="#424242", linewidth=0.8)
        ax.set_ylabel("gap (treated - synthetic)")
    ax.axvline(
        first_post - 0.5, color="#9e9e9e", linestyle="--", linewidth=1, label="policy starts"
    )
    ax.set_xlabel("period")
    ax.set_title(title or "Treated region against its synthetic control")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    if own:
        ax.figure.tight_layout()
    return ax


def synth_placebo_plot(placebo, *, ax=None, title: str = "", max_pre_ratio: float | None = 5.0):
    """In-space placebos: the treated region's gap (blue) among every donor's placebo gap
    (grey). Placebos whose pre-period RMSPE exceeds ``max_pre_ratio`` times the treated
    region's are left out of the picture (Abadie et al. 2010, Fig. 5-7); ``None`` shows all.

    Parameters
    ----------
    placebo : SynthPlacebo
        :meth:`clusterlab.compare.SyntheticControlResult.placebo`: its ``table`` (``unit,
        treated, pre_rmspe``, one row per unit, the treated unit flagged), ``gaps`` (``unit,
        period, gap``) and ``p_value``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "Treated region among <n> placebo regions (p = <p_value>)".
    max_pre_ratio : float or None, default 5.0
        Leave out placebos whose pre-period RMSPE exceeds this multiple of the treated
        region's (they fit too badly to compare with); ``None`` shows every placebo.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        ``placebo.table`` or ``placebo.gaps`` lacks a column (or is not a table), or no row
        of ``placebo.table`` is the treated unit.

    References
    ----------
    Abadie, A., Diamond, A. & Hainmueller, J. (2010). Synthetic control methods for
    comparative case studies. *JASA* 105(490), 493-505.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab.compare import SynthPlacebo
    >>> table = pd.DataFrame({"unit": ["T", "A", "B"], "treated": [True, False, False],
    ...                       "pre_rmspe": [1.0, 2.0, 9.0]})
    >>> gaps = pd.DataFrame({"unit": ["T", "T", "A", "A", "B", "B"],
    ...                      "period": [2019, 2020] * 3, "gap": [0.1, 2.0, -0.3, 0.4, 1.0, -2.0]})
    >>> ax = synth_placebo_plot(SynthPlacebo(table, gaps, p_value=1 / 3))
    >>> ax.get_title(), len(ax.lines)                # B fits 9x worse before: left out
    ('Treated region among 1 placebo regions (p = 0.33)', 3)
    >>> plt.close(ax.figure)
    """
    tab = check_frame(
        getattr(placebo, "table", None),
        required=["unit", "treated", "pre_rmspe"],
        numeric=["pre_rmspe"],
        name="placebo.table",
    )
    check_frame(
        getattr(placebo, "gaps", None),
        required=["unit", "period", "gap"],
        numeric=["gap"],
        name="placebo.gaps",
    )
    if not tab["treated"].fillna(False).astype(bool).any():
        raise DataValidationError(
            "placebo.table: no row is the treated unit",
            problem_frame(
                [
                    {
                        "file": "placebo.table",
                        "column": "treated",
                        "expected": "one row with treated = True",
                        "found": "none",
                    }
                ]
            ),
        )
    own = ax is None
    ax = axes_or_new(ax, figsize=(7, 4))
    tr = tab[tab["treated"]].iloc[0]
    keep = tab["unit"]
    if max_pre_ratio is not None:
        keep = tab.loc[tab["pre_rmspe"] <= max_pre_ratio * tr["pre_rmspe"] + 1e-12, "unit"]
    gaps = placebo.gaps[placebo.gaps["unit"].isin(set(keep))]
    for u, d in gaps.groupby("unit", sort=False):
        if u == tr["unit"]:
            continue
        ax.plot(d["period"], d["gap"], color="#bdbdbd", linewidth=0.8)
    d = placebo.gaps[placebo.gaps["unit"] == tr["unit"]]
    ax.plot(d["period"], d["gap"], color=MEMBER_COLOURS[1], linewidth=2, label="treated region")
    ax.axhline(0, color="#424242", linewidth=0.8)
    ax.set_xlabel("period")
    ax.set_ylabel("gap (unit - its synthetic control)")
    shown = len(set(keep)) - 1
    ax.set_title(
        title or (f"Treated region among {shown} placebo regions (p = {placebo.p_value:.2f})")
    )
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    if own:
        ax.figure.tight_layout()
    return ax


def forest_plot(meta, *, ax=None, title: str = ""):
    """Forest plot of a :func:`clusterlab.compare.pool_effects` result: each initiative's
    effect and interval (square size = weight) and the pooled effect as a diamond.

    Parameters
    ----------
    meta : MetaAnalysisResult
        :func:`clusterlab.compare.pool_effects`: its ``studies`` (``label, estimate, ci_low,
        ci_high, weight``), ``coefficients`` (``estimate, ci_low, ci_high``; the diamond is
        drawn for a pooled effect, not for a meta-regression), ``heterogeneity`` (``i2,
        tau2``) and ``method``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise (its height grows with the number of effects).
    title : str, default ""
        Title; default "Member effects by initiative (I² = <i2>%, tau² = <tau2>)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        ``meta.studies`` or ``meta.coefficients`` lacks a column (or is not a table).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab.compare import pool_effects
    >>> effects = pd.DataFrame({"initiative": list("abcde"),
    ...                         "estimate": [0.1, 0.3, 0.2, 0.25, 0.15], "std_error": 0.1})
    >>> ax = forest_plot(pool_effects(effects, method="FE", label="initiative"))
    >>> ax.get_title()
    'Member effects by initiative (I² = 0%, tau² = 0)'
    >>> [t.get_text() for t in ax.get_yticklabels()][-1]
    'pooled (FE)'
    >>> plt.close(ax.figure)
    """
    st = check_frame(
        getattr(meta, "studies", None),
        required=["label", "estimate", "ci_low", "ci_high", "weight"],
        numeric=["estimate", "ci_low", "ci_high", "weight"],
        name="meta.studies",
    )
    check_frame(
        getattr(meta, "coefficients", None),
        required=["estimate", "ci_low", "ci_high"],
        numeric=["estimate", "ci_low", "ci_high"],
        name="meta.coefficients",
    )
    k = len(st)
    own = ax is None
    ax = axes_or_new(ax, figsize=(7, 0.45 * k + 1.8))
    y = np.arange(k, 0, -1)
    ax.errorbar(
        st["estimate"],
        y,
        xerr=[st["estimate"] - st["ci_low"], st["ci_high"] - st["estimate"]],
        fmt="none",
        ecolor="#424242",
        capsize=2,
    )
    ax.scatter(
        st["estimate"], y, marker="s", s=20 + 3 * st["weight"], color=MEMBER_COLOURS[1], zorder=3
    )
    c = meta.coefficients.iloc[0]
    if len(meta.coefficients) == 1:
        ax.fill(
            [c["ci_low"], c["estimate"], c["ci_high"], c["estimate"]],
            [0, 0.25, 0, -0.25],
            color="#c62828",
        )
        ax.axvline(c["estimate"], color="#c62828", linestyle=":", linewidth=1)
        labels = [*st["label"], f"pooled ({meta.method})"]
        ticks = [*y, 0]
    else:
        labels, ticks = list(st["label"]), list(y)
    ax.axvline(0, color="#424242", linewidth=0.8)
    ax.set_yticks(ticks, labels)
    ax.set_xlabel("member effect (estimate and interval)")
    h = meta.heterogeneity
    ax.set_title(
        title
        or (f"Member effects by initiative (I\u00b2 = {h['i2']:.0f}%, tau\u00b2 = {h['tau2']:.3g})")
    )
    ax.grid(axis="x", alpha=0.3)
    if own:
        ax.figure.tight_layout()
    return ax


def maturity_plot(
    effects: pd.DataFrame,
    *,
    moderator: str,
    meta=None,
    label: str = "initiative",
    ax=None,
    title: str = "",
):
    """Member effect of each initiative (with its interval) against a maturity measure
    (``moderator``, e.g. ``cimbt_overall``), with the meta-regression line of a
    :func:`clusterlab.compare.pool_effects` result fitted on that moderator.

    Parameters
    ----------
    effects : pandas.DataFrame
        One row per initiative: ``label``, ``moderator``, ``estimate, ci_low, ci_high``.
    moderator : str
        Column of the maturity measure (x axis).
    meta : MetaAnalysisResult, optional
        ``pool_effects(..., moderators=[moderator])``: its intercept and slope are drawn as
        a dashed line (nothing is drawn for a result with another number of coefficients).
    label : str, default "initiative"
        Column naming each point.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "Do more mature initiatives deliver larger member gains?
        (<moderator>)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column of ``effects``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab.compare import pool_effects
    >>> effects = pd.DataFrame({"initiative": list("abcdef"),
    ...                         "estimate": [0.1, 0.3, 0.2, 0.4, 0.15, 0.35],
    ...                         "std_error": 0.1, "cimbt_overall": [2.0, 3.5, 3.0, 4.0, 2.5, 3.8]})
    >>> effects = effects.assign(ci_low=effects["estimate"] - 0.2,
    ...                          ci_high=effects["estimate"] + 0.2)
    >>> meta = pool_effects(effects, moderators=["cimbt_overall"], method="FE")
    >>> ax = maturity_plot(effects, moderator="cimbt_overall", meta=meta)
    >>> ax.get_title()
    'Do more mature initiatives deliver larger member gains? (cimbt_overall)'
    >>> ax.get_legend().get_texts()[0].get_text()   # equal standard errors: the OLS slope
    'meta-regression: slope 0.15'
    >>> plt.close(ax.figure)
    """
    check_frame(
        effects,
        required=[label, moderator, "estimate", "ci_low", "ci_high"],
        numeric=[moderator, "estimate", "ci_low", "ci_high"],
        name="effects",
    )
    own = ax is None
    ax = axes_or_new(ax, figsize=(7, 4.2))
    e = effects.sort_values(moderator)
    ax.errorbar(
        e[moderator],
        e["estimate"],
        yerr=[e["estimate"] - e["ci_low"], e["ci_high"] - e["estimate"]],
        fmt="o",
        color=MEMBER_COLOURS[1],
        capsize=3,
    )
    for _, r in e.iterrows():
        ax.annotate(
            str(r[label]),
            (r[moderator], r["estimate"]),
            textcoords="offset points",
            xytext=(5, 5),
            fontsize=8,
        )
    if meta is not None and len(meta.coefficients) == 2:
        b0, b1 = meta.coefficients["estimate"].to_numpy()
        xs = np.linspace(e[moderator].min(), e[moderator].max(), 50)
        ax.plot(
            xs,
            b0 + b1 * xs,
            color="#c62828",
            linestyle="--",
            label=f"meta-regression: slope {b1:.3g}",
        )
        ax.legend(fontsize=8)
    ax.axhline(0, color="#424242", linewidth=0.8)
    ax.set_xlabel(moderator.replace("_", " "))
    ax.set_ylabel("member effect")
    ax.set_title(title or f"Do more mature initiatives deliver larger member gains? ({moderator})")
    ax.grid(alpha=0.3)
    if own:
        ax.figure.tight_layout()
    return ax
