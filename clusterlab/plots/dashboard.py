"""Figures for the dashboards and the static site (matplotlib/seaborn, Agg-safe).

Each function draws one figure type from a (protected) results table and returns the
``Figure``; :func:`figure_svg` turns it into an inline SVG string with text kept as text.
Suppressed cells arrive as missing values and are simply not drawn.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.plots.dashboard import interval_profile, figure_svg
>>> t = pd.DataFrame({"component": ["vision", "funding"], "mean": [3.2, 2.5],
...                   "ci_low": [2.8, 2.0], "ci_high": [3.6, 3.0]})
>>> fig = interval_profile(t, label="component")
>>> figure_svg(fig).startswith("<svg")
True
"""

from __future__ import annotations

import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

__all__ = [
    "figure_svg",
    "portfolio_bubble",
    "interval_profile",
    "components_heatmap",
    "insight_execution_scatter",
    "group_bars",
    "status_counts",
]

STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#f9a825", "off_track": "#c62828"}


def _fig(width=6.4, height=3.6):
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def figure_svg(fig) -> str:
    """Inline ``<svg>`` markup of a figure (text kept as text, no XML prolog); closes it."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "clusterlab"}):
        fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def portfolio_bubble(table: pd.DataFrame, *, x: str = "lq", y: str = "growth",
                     size: str | None = "employment", label: str | None = "cluster_name",
                     strong: str | None = "strong", title: str = "",
                     xlabel: str = "location quotient", ylabel: str = "employment growth"):
    """Cluster portfolio bubble chart: specialisation (LQ) against growth, bubble = size.

    A vertical line marks LQ = 1; strong clusters are outlined in black.
    """
    data = table.dropna(subset=[x, y])
    fig, ax = _fig(6.4, 4.2)
    if size and size in data.columns and data[size].notna().any():
        s = data[size].astype(float)
        area = 40 + 600 * (s / s.max()).fillna(0)
    else:
        area = 80
    edge = (np.where(data[strong].fillna(False).astype(bool), "black", "none")
            if strong and strong in data.columns else "none")
    ax.scatter(data[x], data[y], s=area, alpha=0.6, color="#1f77b4", edgecolors=edge,
               linewidths=1.5)
    if label and label in data.columns:
        for _, r in data.iterrows():
            ax.annotate(str(r[label]), (r[x], r[y]), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.axhline(0.0, color="grey", lw=0.8, ls=":")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or "Cluster portfolio")
    return fig


def interval_profile(table: pd.DataFrame, *, label: str, estimate: str = "mean",
                     low: str = "ci_low", high: str = "ci_high", hue: str | None = None,
                     title: str = "", xlabel: str = "", ref: float | None = None):
    """Dot plot with intervals (profiles of components/factors, forest plots of estimates)."""
    data = table.dropna(subset=[estimate]).copy()
    data[label] = data[label].astype(str)
    cats = list(dict.fromkeys(data[label]))
    groups = list(dict.fromkeys(data[hue].astype(str))) if hue and hue in data.columns else [None]
    fig, ax = _fig(7.2, max(2.2, 0.35 * len(cats) * max(1, len(groups) ** 0.5) + 1.0))
    palette = sns.color_palette("deep", len(groups))
    offsets = np.linspace(-0.25, 0.25, len(groups)) if len(groups) > 1 else [0.0]
    for g, off, colour in zip(groups, offsets, palette, strict=True):
        sub = data if g is None else data[data[hue].astype(str) == g]
        ypos = np.array([cats.index(c) for c in sub[label]]) + off
        est = sub[estimate].astype(float).to_numpy()
        if low in sub.columns and high in sub.columns:
            # intervals drawn on their own: an interval need not contain the point (e.g. a
            # median's interval around a mean)
            ax.hlines(ypos, sub[low].astype(float), sub[high].astype(float), color=colour, lw=1.5)
        ax.plot(est, ypos, "o", color=colour, label=None if g is None else g)
    if ref is not None:
        ax.axvline(ref, color="grey", lw=0.8, ls="--")
    ax.set_yticks(range(len(cats)), cats)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or estimate)
    if title:  # over the whole figure: long category labels leave the axes narrow
        fig.suptitle(title, fontsize=11)
    if groups != [None]:
        ax.legend(fontsize=7, loc="best")
    return fig


def components_heatmap(table: pd.DataFrame, *, row: str = "initiative",
                       col: str = "component", value: str = "mean", title: str = ""):
    """Heatmap of scores (initiatives × components); suppressed cells stay blank."""
    grid = table.pivot_table(index=row, columns=col, values=value, aggfunc="mean",
                             dropna=False, observed=True)
    fig, ax = _fig(max(6.4, 0.6 * grid.shape[1] + 2.5), max(2.4, 0.5 * grid.shape[0] + 1.8))
    sns.heatmap(grid.astype(float), annot=True, fmt=".1f", cmap="viridis", ax=ax,
                cbar_kws={"label": value})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title)
    return fig


def insight_execution_scatter(table: pd.DataFrame, *, x: str, y: str, label: str,
                              highlight: str | None = None, title: str = ""):
    """Insight & strategy (x) against ability to execute (y), one point per initiative."""
    data = table.dropna(subset=[x, y])
    fig, ax = _fig(5.2, 4.2)
    colours = ["#c62828" if highlight is not None and str(v) == str(highlight) else "#1f77b4"
               for v in data[label]]
    ax.scatter(data[x], data[y], c=colours, s=70)
    for _, r in data.iterrows():
        ax.annotate(str(r[label]), (r[x], r[y]), fontsize=7, xytext=(4, 4),
                    textcoords="offset points")
    lims = [1, 5]
    ax.plot(lims, lims, color="grey", lw=0.8, ls="--")
    ax.set_xlim(*lims)
    ax.set_ylim(*lims)
    ax.set_xlabel("insight & strategy")
    ax.set_ylabel("ability to execute")
    ax.set_title(title)
    return fig


def group_bars(table: pd.DataFrame, *, x: str, y: str, title: str = "", ylabel: str = ""):
    """Bar chart of one value per group (e.g. mean centrality by node kind)."""
    data = table.dropna(subset=[y])
    fig, ax = _fig(5.6, 3.2)
    sns.barplot(data=data, x=x, y=y, ax=ax, color="#4c72b0")
    ax.set_ylabel(ylabel or y)
    ax.set_xlabel("")
    ax.set_title(title)
    ax.tick_params(axis="x", rotation=20)
    return fig


def status_counts(table: pd.DataFrame, *, by: str = "perspective", status: str = "status",
                  title: str = ""):
    """Stacked bars: number of indicators per status within each perspective."""
    data = table.dropna(subset=[status])
    counts = data.groupby([by, status], observed=True).size().unstack(fill_value=0)
    order = [s for s in STATUS_COLOURS if s in counts.columns] + \
        [s for s in counts.columns if s not in STATUS_COLOURS]
    counts = counts[order]
    fig, ax = _fig(5.6, 3.0)
    counts.plot(kind="barh", stacked=True, ax=ax,
                color=[STATUS_COLOURS.get(s, "#9e9e9e") for s in counts.columns])
    ax.set_xlabel("indicators")
    ax.set_ylabel("")
    ax.set_title(title)
    ax.legend(fontsize=7)
    return fig
