"""Figures for the CIMBT and big-five results (matplotlib/seaborn, Agg-safe).

Each function takes a results table from :mod:`clusterlab.instruments` and returns the Axes.

Examples
--------
>>> from clusterlab.datasets import load_demo
>>> from clusterlab.instruments import score
>>> from clusterlab.plots.instruments import component_profile
>>> res = score(load_demo("ratings"), "cimbt", n_boot=50)
>>> ax = component_profile(res.components, initiative="northport_maritime")
>>> bool(ax.get_xlim()[1] >= 5)
True
"""

from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: F401  (the examples below close their figures with it)
import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError
from clusterlab.plots._axes import axes_or_new

__all__ = [
    "component_profile",
    "area_scores",
    "insight_execution_scatter",
    "change_plot",
    "stage_grid",
    "rank_intervals",
]

_ROUND_COLOURS = ["#9aa5b1", "#1f5f8b", "#c0392b", "#27ae60"]


def _id_column(table, candidates, name):
    """The first of ``candidates`` that ``table`` has (the unit a results table is about)."""
    found = [c for c in candidates if c in table.columns]
    if not found:
        raise DataValidationError(
            f"{name}: no unit column",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": " | ".join(candidates),
                        "expected": "one of these columns",
                        "found": "missing; available: " + ", ".join(map(str, table.columns)),
                    }
                ]
            ),
        )
    return found[0]


def component_profile(
    components: pd.DataFrame, *, initiative: str, label: str = "name", scale=(1, 5), ax=None
):
    """Dot plot of component scores with bootstrap intervals, one colour per round.

    Insufficient components (below the coverage threshold) are drawn as open grey markers at
    the left edge with the word "insufficient", never as a score.

    Parameters
    ----------
    components : pandas.DataFrame
        ``Scores.components`` of :func:`clusterlab.instruments.score`: ``initiative, round,
        component, status, score, ci_low, ci_high`` and the ``label`` column.
    initiative : str
        The initiative shown.
    label : str, default "name"
        Column of the component names.
    scale : tuple of float, default (1, 5)
        The rating scale (x axis).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, titled with what it shows.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> c = pd.DataFrame({"initiative": "ci", "round": 1, "component": ["C1", "C2"],
    ...                   "name": ["Vision", "Funding"], "status": ["scored", "insufficient"],
    ...                   "score": [3.5, None], "ci_low": [3.0, None], "ci_high": [4.0, None]})
    >>> ax = component_profile(c, initiative="ci")
    >>> ax.get_title(), [t.get_text() for t in ax.texts]
    ('Component profile — ci', ['insufficient'])
    >>> plt.close(ax.figure)
    """
    check_frame(
        components,
        required=[
            "initiative",
            "round",
            "component",
            "status",
            "score",
            "ci_low",
            "ci_high",
            label,
        ],
        numeric=["score", "ci_low", "ci_high"],
        name="components",
    )
    ax = axes_or_new(ax, figsize=(7, 0.45 * components["component"].nunique() + 1.5))
    tab = components[components["initiative"] == initiative]
    order = list(dict.fromkeys(tab["component"]))
    names = tab.drop_duplicates("component").set_index("component")[label]
    y = {c: i for i, c in enumerate(order)}
    rounds = sorted(tab["round"].unique())
    for k, rnd in enumerate(rounds):
        sub = tab[tab["round"] == rnd]
        off = (k - (len(rounds) - 1) / 2) * 0.25
        colour = _ROUND_COLOURS[(k + 4 - len(rounds)) % len(_ROUND_COLOURS)]
        ok = sub["status"] == "scored"
        ys = sub["component"].map(y) + off
        ax.errorbar(
            sub.loc[ok, "score"],
            ys[ok],
            xerr=[
                (sub.loc[ok, "score"] - sub.loc[ok, "ci_low"]).fillna(0),
                (sub.loc[ok, "ci_high"] - sub.loc[ok, "score"]).fillna(0),
            ],
            fmt="o",
            color=colour,
            capsize=3,
            label=f"round {rnd}",
        )
        for yy in ys[~ok]:
            ax.plot(scale[0], yy, "o", mfc="none", color="grey")
            ax.text(scale[0] + 0.05, yy, "insufficient", va="center", fontsize=7, color="grey")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"{c} {names[c]}"[:48] for c in order], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(scale[0] - 0.1, scale[1] + 0.1)
    ax.set_xlabel("score (mean of raters; bars: bootstrap interval)")
    ax.set_title(f"Component profile — {initiative}")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return ax


def area_scores(areas: pd.DataFrame, *, initiative: str, scale=(1, 5), ax=None):
    """Area scores per round with intervals (grouped bars).

    Parameters
    ----------
    areas : pandas.DataFrame
        ``Scores.areas`` of :func:`clusterlab.instruments.score`: ``initiative, round, area,
        name, score, ci_low, ci_high``.
    initiative : str
        The initiative shown.
    scale : tuple of float, default (1, 5)
        The rating scale (y axis).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, titled with what it shows.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> a = pd.DataFrame({"initiative": "ci", "round": [1, 2], "area": "A",
    ...                   "name": "Insight & Strategy", "score": [3.0, 3.5],
    ...                   "ci_low": [2.5, 3.1], "ci_high": [3.4, 3.9]})
    >>> ax = area_scores(a, initiative="ci")
    >>> ax.get_title(), len(ax.patches)
    ('Area scores — ci', 2)
    >>> plt.close(ax.figure)
    """
    check_frame(
        areas,
        required=["initiative", "round", "area", "name", "score", "ci_low", "ci_high"],
        numeric=["score", "ci_low", "ci_high"],
        name="areas",
    )
    ax = axes_or_new(ax, figsize=(6, 3.5))
    tab = areas[areas["initiative"] == initiative]
    order = list(dict.fromkeys(tab["area"]))
    rounds = sorted(tab["round"].unique())
    width = 0.8 / max(len(rounds), 1)
    for k, rnd in enumerate(rounds):
        sub = tab[tab["round"] == rnd].set_index("area").reindex(order)
        x = np.arange(len(order)) + (k - (len(rounds) - 1) / 2) * width
        err = [(sub["score"] - sub["ci_low"]).fillna(0), (sub["ci_high"] - sub["score"]).fillna(0)]
        ax.bar(
            x,
            sub["score"].fillna(0),
            width,
            yerr=err,
            capsize=3,
            label=f"round {rnd}",
            color=_ROUND_COLOURS[(k + 4 - len(rounds)) % len(_ROUND_COLOURS)],
        )
    names = tab.drop_duplicates("area").set_index("area")["name"]
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels(
        [f"{a}\n" + "\n".join(names[a].split(" & ", 1))[:40] for a in order], fontsize=7
    )
    ax.set_ylim(scale[0] - 1, scale[1])
    ax.set_ylabel("score")
    ax.set_title(f"Area scores — {initiative}")
    ax.legend(fontsize=8)
    return ax


def insight_execution_scatter(
    table: pd.DataFrame,
    *,
    highlight: str | None = None,
    scale=(1, 5),
    axis_labels: dict[str, str] | None = None,
    ax=None,
):
    """Insight & Strategy (x) against buy-in + execution (y), all initiatives, one highlighted.

    ``table`` is ``Scores.insight_execution`` (one row per initiative × round; the latest round
    of each initiative is drawn). Points above the diagonal execute better than their insight
    would suggest; below it, strategy is ahead of delivery.

    Parameters
    ----------
    table : pandas.DataFrame
        ``initiative, round, insight, execution`` and their ``_ci_low``/``_ci_high`` columns.
    highlight : str, optional
        Initiative drawn larger and in red.
    scale : tuple of float, default (1, 5)
        The rating scale (both axes).
    axis_labels : dict, optional
        ``{"x": label, "y": label}``, e.g. ``Scores.axis_labels`` (the instrument's chart
        axes); default CIMBT's "Insight & Strategy" and "Buy-in & execution".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, titled with what it shows.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> t = pd.DataFrame({"initiative": ["a", "b"], "round": 1, "insight": [3.0, 4.0],
    ...                   "execution": [3.5, 2.5], "insight_ci_low": [2.5, 3.6],
    ...                   "insight_ci_high": [3.5, 4.4], "execution_ci_low": [3.0, 2.0],
    ...                   "execution_ci_high": [4.0, 3.0]})
    >>> ax = insight_execution_scatter(t, highlight="b")
    >>> [a.get_text() for a in ax.texts]
    ['a', 'b']
    >>> plt.close(ax.figure)
    """
    cols = [
        "insight",
        "execution",
        "insight_ci_low",
        "insight_ci_high",
        "execution_ci_low",
        "execution_ci_high",
    ]
    check_frame(table, required=["initiative", "round", *cols], numeric=cols, name="table")
    ax = axes_or_new(ax, figsize=(5, 5))
    latest = table.loc[table.groupby("initiative")["round"].idxmax()]
    for _, r in latest.iterrows():
        hl = r["initiative"] == highlight
        ax.errorbar(
            r["insight"],
            r["execution"],
            xerr=[[r["insight"] - r["insight_ci_low"]], [r["insight_ci_high"] - r["insight"]]]
            if not np.isnan(r["insight_ci_low"])
            else None,
            yerr=[
                [r["execution"] - r["execution_ci_low"]],
                [r["execution_ci_high"] - r["execution"]],
            ]
            if not np.isnan(r["execution_ci_low"])
            else None,
            fmt="o",
            ms=9 if hl else 6,
            color="#c0392b" if hl else "#7f8c8d",
            capsize=2,
        )
        ax.annotate(
            r["initiative"],
            (r["insight"], r["execution"]),
            xytext=(5, 5),
            textcoords="offset points",
            fontsize=8,
            weight="bold" if hl else "normal",
        )
    ax.plot(scale, scale, ls="--", color="grey", lw=0.8)
    ax.set_xlim(*scale)
    ax.set_ylim(*scale)
    labels = {"x": "Insight & Strategy", "y": "Buy-in & execution", **(axis_labels or {})}
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.set_title("Insight vs. buy-in and execution (latest round)")
    ax.set_aspect("equal")
    return ax


def change_plot(change: pd.DataFrame, *, initiative: str, label: str | None = None, ax=None):
    """Change between rounds per unit with its interval; zero line marked.

    Parameters
    ----------
    change : pandas.DataFrame
        :func:`clusterlab.instruments.change`'s table: ``initiative, round_from, round_to,
        change, ci_low, ci_high`` and the unit column.
    initiative : str
        The initiative shown.
    label : str, optional
        The unit column (default the first of ``component, area, item, factor, overall``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, titled with what it shows.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> c = pd.DataFrame({"initiative": "ci", "area": ["A", "B"], "round_from": 1,
    ...                   "round_to": 2, "change": [0.5, -0.2], "ci_low": [0.1, -0.6],
    ...                   "ci_high": [0.9, 0.2]})
    >>> ax = change_plot(c, initiative="ci")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A (1→2)', 'B (1→2)']
    >>> plt.close(ax.figure)
    """
    idcol = label or _id_column(
        change, ("component", "area", "item", "factor", "overall"), "change"
    )
    check_frame(
        change,
        required=["initiative", "round_from", "round_to", "change", "ci_low", "ci_high", idcol],
        numeric=["change", "ci_low", "ci_high"],
        name="change",
    )
    tab = change[change["initiative"] == initiative].reset_index(drop=True)
    ax = axes_or_new(ax, figsize=(6, 0.4 * len(tab) + 1.5))
    ok = ~tab["ci_low"].isna()
    ax.errorbar(
        tab["change"],
        tab.index,
        xerr=[
            (tab["change"] - tab["ci_low"]).where(ok, 0),
            (tab["ci_high"] - tab["change"]).where(ok, 0),
        ],
        fmt="o",
        color="#1f5f8b",
        capsize=3,
    )
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(tab.index)
    ax.set_yticklabels(
        [
            f"{u} ({a}→{b})"
            for u, a, b in zip(tab[idcol], tab["round_from"], tab["round_to"], strict=True)
        ],
        fontsize=8,
    )
    ax.invert_yaxis()
    ax.set_xlabel("change in score")
    ax.set_title(f"Change between rounds — {initiative}")
    return ax


def stage_grid(factors: pd.DataFrame, *, initiative: str, top: int = 4, ax=None):
    """Big-five stages per factor (rows) and round (columns) as a labelled grid.

    Parameters
    ----------
    factors : pandas.DataFrame
        The big-five factor table: ``initiative, factor, round, stage, stage_label``.
    initiative : str
        The initiative shown.
    top : int, default 4
        The highest stage (the colour scale and the "platform" note).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, titled with what it shows.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> f = pd.DataFrame({"initiative": "ci", "factor": ["trust", "trust"], "round": [1, 2],
    ...                   "stage": [2, 3], "stage_label": ["emerging", "developing"]})
    >>> ax = stage_grid(f, initiative="ci")
    >>> [t.get_text() for t in ax.texts]
    ['2 emerging', '3 developing']
    >>> plt.close(ax.figure)
    """
    check_frame(
        factors,
        required=["initiative", "factor", "round", "stage", "stage_label"],
        numeric=["stage"],
        name="factors",
    )
    tab = factors[factors["initiative"] == initiative]
    wide = tab.pivot_table(index="factor", columns="round", values="stage", aggfunc="first")
    order = list(dict.fromkeys(tab["factor"]))
    wide = wide.reindex(order)
    ax = axes_or_new(ax, figsize=(1.4 * wide.shape[1] + 3, 0.5 * len(order) + 1.2))
    data = wide.to_numpy(dtype=float)
    ax.imshow(np.ma.masked_invalid(data), cmap="YlGn", vmin=0.5, vmax=top + 0.5, aspect="auto")
    labels = tab.drop_duplicates("stage").set_index("stage")["stage_label"].to_dict()
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            text = "unknown" if np.isnan(v) else f"{int(v)} {labels.get(int(v), '')}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_xticks(range(wide.shape[1]))
    ax.set_xticklabels([f"round {c}" for c in wide.columns])
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(order, fontsize=8)
    ax.set_title(f"Big-five stages — {initiative} (platform = all at {top})")
    return ax


def rank_intervals(table: pd.DataFrame, *, unit: str, highlight: str | None = None, ax=None):
    """Rank of each initiative on one unit with its bootstrap rank interval (1 = best).

    Parameters
    ----------
    table : pandas.DataFrame
        A ranking table: ``initiative, rank, rank_low, rank_high`` and the unit column
        (``component``, ``area``, ``item`` or ``overall``).
    unit : str
        The unit (component, area …) whose ranks are shown.
    highlight : str, optional
        Initiative drawn in red.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, titled with what it shows.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> r = pd.DataFrame({"initiative": ["a", "b"], "area": "A", "rank": [2, 1],
    ...                   "rank_low": [1, 1], "rank_high": [2, 2]})
    >>> ax = rank_intervals(r, unit="A", highlight="a")
    >>> ax.get_title(), [t.get_text() for t in ax.get_yticklabels()]
    ('Rank on A', ['b', 'a'])
    >>> plt.close(ax.figure)
    """
    idcol = _id_column(table, ("component", "area", "item", "overall"), "table")
    check_frame(
        table,
        required=["initiative", "rank", "rank_low", "rank_high", idcol],
        numeric=["rank", "rank_low", "rank_high"],
        name="table",
    )
    tab = table[table[idcol] == unit].sort_values("rank").reset_index(drop=True)
    ax = axes_or_new(ax, figsize=(5, 0.4 * len(tab) + 1.5))
    colours = ["#c0392b" if i == highlight else "#1f5f8b" for i in tab["initiative"]]
    for k, r in tab.iterrows():
        ax.plot([r["rank_low"], r["rank_high"]], [k, k], color=colours[k], lw=2)
        ax.plot(r["rank"], k, "o", color=colours[k])
    ax.set_yticks(range(len(tab)))
    ax.set_yticklabels(tab["initiative"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("rank (1 = best) with bootstrap interval")
    ax.set_title(f"Rank on {unit}")
    return ax
