"""Figures of member vs non-member comparisons: love plot, group trends (the parallel-trends
picture), event-study path, propensity-score overlap and estimates side by side. Each function
returns its matplotlib Figure and shows no firm names. The module does not change the matplotlib
backend, so figures appear inline in notebooks and work under ``Agg`` in scripts and tests.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare import balance_table
>>> from clusterlab.plots.compare import love_plot
>>> df = pd.DataFrame({"member": [1, 1, 0, 0, 0], "x": [2., 4., 1., 2., 3.]})
>>> fig = love_plot(balance_table(df, group="member", covariates=["x"]))
>>> len(fig.axes)
1
"""

from __future__ import annotations

import matplotlib.pyplot as plt  # the caller's backend is kept (inline in notebooks)
import numpy as np
import pandas as pd

__all__ = ["love_plot", "trends_plot", "event_study_plot", "overlap_plot", "effects_plot"]

MEMBER_COLOURS = {1: "#1565c0", 0: "#9e9e9e"}


def love_plot(balance: pd.DataFrame, *, threshold: float | None = None, title: str = ""):
    """Absolute standardised mean differences per covariate, before (open circles) and after
    (filled) matching/weighting, with the balance threshold as a dashed line."""
    thr = threshold if threshold is not None else getattr(balance, "threshold", 0.1) or 0.1
    b = pd.DataFrame(balance).iloc[::-1]
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(b) + 1.4))
    y = np.arange(len(b))
    ax.scatter(b["smd"].abs(), y, facecolors="none", edgecolors="#616161",
               label="unadjusted", zorder=3)
    if "smd_adj" in b.columns:
        ax.scatter(b["smd_adj"].abs(), y, color=MEMBER_COLOURS[1], label="adjusted", zorder=4)
    ax.axvline(thr, color="#c62828", linestyle="--", linewidth=1, label=f"|SMD| = {thr:g}")
    ax.set_yticks(y, b["covariate"])
    ax.set_xlabel("absolute standardised mean difference (binary: as chosen)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or "Covariate balance, members vs non-members")
    fig.tight_layout()
    return fig


def trends_plot(trends: pd.DataFrame, *, period: str, group: str, treated_from=None,
                ylabel: str = "", title: str = ""):
    """Mean outcome by period for members and non-members with confidence bands
    (:func:`clusterlab.compare.group_trends`); ``treated_from`` draws a line at the first
    joining period."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for g, label in ((1, "members"), (0, "non-members")):
        d = trends[trends[group] == g].sort_values(period)
        if d.empty:
            continue
        ax.plot(d[period], d["mean"], marker="o", color=MEMBER_COLOURS[g], label=label)
        ax.fill_between(d[period], d["ci_low"], d["ci_high"], color=MEMBER_COLOURS[g],
                        alpha=0.15)
    if treated_from is not None:
        ax.axvline(treated_from, color="#424242", linestyle=":", linewidth=1,
                   label="first members join")
    ax.set_xlabel(period)
    ax.set_ylabel(ylabel or "mean")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(title or "Members and non-members over time")
    fig.tight_layout()
    return fig


def event_study_plot(result, *, title: str = ""):
    """Event-study coefficients with confidence intervals; the reference period is drawn at 0
    as an open marker, leads left of the dashed line."""
    path = result.path if hasattr(result, "path") else result
    fig, ax = plt.subplots(figsize=(7, 4))
    est = path[~path["reference"]]
    ax.errorbar(est["rel_period"], est["estimate"],
                yerr=[est["estimate"] - est["ci_low"], est["ci_high"] - est["estimate"]],
                fmt="o", color=MEMBER_COLOURS[1], capsize=3, label="estimate and CI")
    ref = path[path["reference"]]
    ax.scatter(ref["rel_period"], ref["estimate"], facecolors="white",
               edgecolors=MEMBER_COLOURS[1], zorder=5, label="reference (= 0)")
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
    fig.tight_layout()
    return fig


def overlap_plot(result, *, bins: int = 20, title: str = ""):
    """Histograms of the propensity score of members and non-members (a match/weight result
    or a PropensityModel): where one group has no counterpart, there is no overlap."""
    ps = getattr(result, "propensity", result)
    g = ps.frame[ps.group].to_numpy()
    s = ps.scores.to_numpy()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    edges = np.linspace(0, 1, bins + 1)
    ax.hist(s[g == 1], bins=edges, alpha=0.6, color=MEMBER_COLOURS[1], label="members")
    ax.hist(s[g == 0], bins=edges, alpha=0.6, color=MEMBER_COLOURS[0], label="non-members")
    ax.set_xlabel("propensity score (estimated probability of membership)")
    ax.set_ylabel("firms")
    ax.legend(fontsize=8)
    ax.set_title(title or "Overlap of members and non-members")
    fig.tight_layout()
    return fig


def effects_plot(effects: pd.DataFrame, *, outcome: str | None = None, title: str = ""):
    """Estimates with confidence intervals side by side, one row per method
    (:func:`clusterlab.compare.effects_table`)."""
    e = effects if outcome is None else effects[effects["outcome"] == outcome]
    e = e.iloc[::-1]
    labels = [f"{m} ({o})" if outcome is None else m
              for m, o in zip(e["method"], e["outcome"], strict=True)]
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(e) + 1.4))
    y = np.arange(len(e))
    lo = (e["estimate"] - e["ci_low"]).fillna(0).clip(lower=0)
    hi = (e["ci_high"] - e["estimate"]).fillna(0).clip(lower=0)
    ax.errorbar(e["estimate"], y, xerr=[lo, hi], fmt="o", color=MEMBER_COLOURS[1], capsize=3)
    ax.axvline(0, color="#424242", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel("member - non-member difference")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or (f"Estimates for {outcome}" if outcome else "Estimates"))
    fig.tight_layout()
    return fig
