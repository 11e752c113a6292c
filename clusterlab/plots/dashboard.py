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
    "effects_small_multiples",
    "density_heatmap",
    "figure_alt",
]

STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#f9a825", "off_track": "#c62828"}


def _fig(width=6.4, height=3.6):
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def figure_alt(fig) -> str:
    """A default alternative text: the figure's titles and axis labels."""
    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        bits = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        bits = [b for b in bits if b]
        if bits:
            parts.append(" — ".join(bits))
    return "; ".join(dict.fromkeys(parts)) or "figure"


def figure_svg(fig, alt: str | None = None) -> str:
    """Inline ``<svg>`` markup of a figure (text kept as text, no XML prolog); closes it.

    The ``<svg>`` gets ``role="img"``, an ``aria-label`` and a ``<title>`` with ``alt`` (by
    default :func:`figure_alt`), so that screen readers say what the figure shows.
    """
    import html as _html

    alt = _html.escape(alt or figure_alt(fig), quote=True)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "clusterlab"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")  # legends outside the axes too
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    head_end = svg.index(">") + 1
    return (svg[:4] + f' role="img" aria-label="{alt}"' + svg[4:head_end]
            + f"<title>{alt}</title>" + svg[head_end:])


def portfolio_bubble(table: pd.DataFrame, *, x: str = "lq", y: str = "growth",
                     size: str | None = "employment", label: str | None = "cluster_name",
                     strong: str | None = "strong", title: str = "",
                     xlabel: str = "location quotient", ylabel: str = "employment growth"):
    """Cluster portfolio bubble chart: specialisation (LQ) against growth, bubble = size.

    A vertical line marks LQ = 1; strong clusters are outlined in black.
    """
    fig, ax = _fig(6.4, 4.2)
    _draw_portfolio_bubble(ax, table, x=x, y=y, size=size, label=label, strong=strong,
                           title=title, xlabel=xlabel, ylabel=ylabel)
    return fig


def _draw_portfolio_bubble(ax, table, *, x, y, size, label, strong, title, xlabel, ylabel):
    """Draw :func:`portfolio_bubble` on ``ax`` (shared with clusterlab.plots.mapping)."""
    data = table.dropna(subset=[x, y])
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
    # room below for the column names (words, not codes: rotated, up to ~25 characters)
    fig, ax = _fig(max(6.4, 0.6 * grid.shape[1] + 2.5), max(3.4, 0.5 * grid.shape[0] + 2.6))
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


def effects_small_multiples(table: pd.DataFrame, *, outcome: str = "outcome",
                            label: str = "method", estimate: str = "estimate",
                            low: str = "ci_low", high: str = "ci_high", title: str = "",
                            labels: dict | None = None, ncols: int = 2):
    """Member effects as small multiples: one panel (own x axis) per outcome.

    Outcomes measured in different units (jobs, turnover, shares, counts) never share an axis;
    within a panel each row is one method with its 95 % interval; the dashed line is zero.
    ``labels`` maps codes (outcomes, methods) to words.
    """
    data = table.dropna(subset=[estimate]).copy()
    words = labels or {}
    outs = list(dict.fromkeys(data[outcome].astype(str)))
    n = max(1, len(outs))
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    rows_per = max((data[outcome].astype(str) == o).sum() for o in outs) if outs else 1
    fig, axes = plt.subplots(nrows, ncols,
                             figsize=(3.6 * ncols, max(1.9, 0.32 * rows_per + 1.3) * nrows),
                             layout="constrained", squeeze=False)
    for ax, out in zip(axes.flat, outs, strict=False):
        sub = data[data[outcome].astype(str) == out]
        names = [words.get(str(m), str(m)) for m in sub[label]]
        y = np.arange(len(sub))
        if low in sub.columns and high in sub.columns:
            ax.hlines(y, sub[low].astype(float), sub[high].astype(float), color="#4c72b0", lw=1.6)
        ax.plot(sub[estimate].astype(float), y, "o", color="#1f3f6e")
        ax.axvline(0.0, color="grey", lw=0.8, ls="--")
        ax.set_yticks(y, names, fontsize=7)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(words.get(out, out), fontsize=9)
        ax.set_xlabel("members − non-members", fontsize=7)
    for ax in list(axes.flat)[len(outs):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


def density_heatmap(table: pd.DataFrame, *, row: str = "group_from", col: str = "group_to",
                    value: str = "density", title: str = "", labels: dict | None = None):
    """Tie density between kinds of actors (rows send, columns receive); blank = withheld."""
    words = labels or {}
    data = table.assign(**{row: table[row].map(lambda v: words.get(str(v), str(v))),
                           col: table[col].map(lambda v: words.get(str(v), str(v)))})
    grid = data.pivot_table(index=row, columns=col, values=value, aggfunc="mean", dropna=False)
    fig, ax = _fig(max(4.2, 0.9 * grid.shape[1] + 2.6), max(2.6, 0.55 * grid.shape[0] + 1.6))
    sns.heatmap(grid.astype(float) * 100, annot=True, fmt=".0f", cmap="Blues", ax=ax,
                vmin=0, cbar_kws={"label": "% of possible ties"}, linewidths=0.5)
    ax.set_xlabel("to")
    ax.set_ylabel("from")
    ax.set_title(title)
    return fig
