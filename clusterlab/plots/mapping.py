"""Figures of the cluster map: portfolio bubbles, LQ trends, peer regions, specialisation.

Each function takes a table from :mod:`clusterlab.mapping` and returns its matplotlib Figure.
The module does not change the matplotlib backend (figures appear inline in notebooks).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.plots.mapping import lq_trend
>>> t = pd.DataFrame({"region": "A", "cluster": ["x", "x", "y", "y"],
...                   "year": [2020, 2021, 2020, 2021], "lq": [1.1, 1.3, 0.7, 0.6]})
>>> fig = lq_trend(t, region="A")
>>> len(fig.axes[0].lines) >= 2
True
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from clusterlab.plots.dashboard import portfolio_bubble as _bubble
from clusterlab.plots.maps import choropleth, cluster_map  # noqa: F401 - maps in plots.maps

__all__ = ["portfolio_bubble", "lq_trend", "peer_lq", "specialisation_profile"]


def portfolio_bubble(portfolio: pd.DataFrame, *, region: str | None = None,
                     y: str = "growth_relative", label: str = "cluster_name",
                     traded_only: bool = True, title: str = ""):
    """A region's cluster portfolio: LQ (x) against growth (y), bubble area = employment.

    Strong clusters (CMP flag ``strong``) are outlined; the dashed line is LQ = 1. By default
    y is growth relative to the cluster's growth in all regions (CMP's portfolio chart).
    """
    data = portfolio if region is None else portfolio[portfolio["region"] == region]
    if traded_only and "cluster_type" in data.columns:
        data = data[data["cluster_type"] == "traded"]
    if label not in data.columns:
        label = "cluster"
    ylabel = {"growth_relative": "employment growth p.a. minus the cluster's overall growth",
              "growth": "employment growth p.a."}.get(y, y)
    return _bubble(data, y=y, label=label, title=title or f"Cluster portfolio {region or ''}",
                   ylabel=ylabel)


def lq_trend(table: pd.DataFrame, *, region: str, clusters=None, label: str = "cluster",
             year: str = "year", lq: str = "lq", title: str = ""):
    """LQ of a region's clusters over the years (one line per cluster; LQ = 1 dashed)."""
    data = table[table["region"] == region]
    if clusters is not None:
        data = data[data["cluster"].isin(list(clusters))]
    if label not in data.columns:
        label = "cluster"
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    for name, sub in data.sort_values(year).groupby(label, sort=True, observed=True):
        ax.plot(sub[year], sub[lq], marker="o", ms=3, label=str(name))
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel(year)
    ax.set_ylabel("location quotient")
    ax.set_title(title or f"LQ over time — {region}")
    if data[label].nunique() <= 15:
        ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1, 0.5))
    return fig


def peer_lq(peers: pd.DataFrame, *, year=None, title: str = ""):
    """Bar chart of one cluster's LQ across peer regions in one year (focus region coloured).

    ``peers`` is the output of :func:`clusterlab.mapping.peer_comparison`.
    """
    year = peers["year"].max() if year is None else year
    data = peers[peers["year"] == year].sort_values("lq", ascending=False)
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.22 * len(data) + 1)), layout="constrained")
    colours = np.where(data["focus"], "#c62828", "#90a4ae")
    ax.barh(data["region"].astype(str), data["lq"], color=colours)
    ax.invert_yaxis()
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("location quotient")
    ax.set_title(title or f"Peer regions, {year}")
    return fig


def specialisation_profile(indices: pd.DataFrame, *, region: str, measures=None,
                           region_col: str = "region", title: str = ""):
    """Where a region stands on each specialisation index among all regions (percentile).

    ``indices`` is one row per region (e.g. :func:`clusterlab.mapping.specialisation` for one
    year) with numeric index columns; each measure is shown as the region's percentile rank
    among the regions, so that indices on different scales fit on one axis.
    """
    if measures is None:  # every index; counts and totals are not indices
        num = indices.select_dtypes("number").drop(columns=["year", "total"], errors="ignore")
        measures = [c for c in num.columns if not c.startswith("n_")]
    measures = list(measures)
    pct = indices[measures].rank(pct=True).mul(100)
    row = pct[indices[region_col] == region]
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(measures) + 1.2), layout="constrained")
    sns.stripplot(data=pct.melt(var_name="measure", value_name="percentile"), x="percentile",
                  y="measure", color="#b0bec5", size=3, ax=ax, jitter=0.15)
    if not row.empty:
        ax.scatter(row.iloc[0].to_numpy(), np.arange(len(measures)), color="#c62828", zorder=3,
                   label=region)
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_xlim(0, 100)
    ax.set_xlabel("percentile among regions")
    ax.set_ylabel("")
    ax.set_title(title or f"Specialisation profile — {region}")
    return fig
