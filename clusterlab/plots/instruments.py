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

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["component_profile", "area_scores", "insight_execution_scatter", "change_plot",
           "stage_grid", "rank_intervals"]

_ROUND_COLOURS = ["#9aa5b1", "#1f5f8b", "#c0392b", "#27ae60"]


def _ax(ax, size=(7, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def component_profile(components: pd.DataFrame, *, initiative: str, label: str = "name",
                      scale=(1, 5), ax=None):
    """Dot plot of component scores with bootstrap intervals, one colour per round.

    Insufficient components (below the coverage threshold) are drawn as open grey markers at
    the left edge with the word "insufficient", never as a score.
    """
    ax = _ax(ax, (7, 0.45 * components["component"].nunique() + 1.5))
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
        ax.errorbar(sub.loc[ok, "score"], ys[ok],
                    xerr=[(sub.loc[ok, "score"] - sub.loc[ok, "ci_low"]).fillna(0),
                          (sub.loc[ok, "ci_high"] - sub.loc[ok, "score"]).fillna(0)],
                    fmt="o", color=colour, capsize=3, label=f"round {rnd}")
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
    """Area scores per round with intervals (grouped bars)."""
    ax = _ax(ax, (6, 3.5))
    tab = areas[areas["initiative"] == initiative]
    order = list(dict.fromkeys(tab["area"]))
    rounds = sorted(tab["round"].unique())
    width = 0.8 / max(len(rounds), 1)
    for k, rnd in enumerate(rounds):
        sub = tab[tab["round"] == rnd].set_index("area").reindex(order)
        x = np.arange(len(order)) + (k - (len(rounds) - 1) / 2) * width
        err = [(sub["score"] - sub["ci_low"]).fillna(0), (sub["ci_high"] - sub["score"]).fillna(0)]
        ax.bar(x, sub["score"].fillna(0), width, yerr=err, capsize=3, label=f"round {rnd}",
               color=_ROUND_COLOURS[(k + 4 - len(rounds)) % len(_ROUND_COLOURS)])
    names = tab.drop_duplicates("area").set_index("area")["name"]
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels([f"{a}\n" + "\n".join(names[a].split(" & ", 1))[:40] for a in order],
                       fontsize=7)
    ax.set_ylim(scale[0] - 1, scale[1])
    ax.set_ylabel("score")
    ax.set_title(f"Area scores — {initiative}")
    ax.legend(fontsize=8)
    return ax


def insight_execution_scatter(table: pd.DataFrame, *, highlight: str | None = None,
                              scale=(1, 5), ax=None):
    """Insight & Strategy (x) against buy-in + execution (y), all initiatives, one highlighted.

    ``table`` is ``Scores.insight_execution`` (one row per initiative × round; the latest round
    of each initiative is drawn). Points above the diagonal execute better than their insight
    would suggest; below it, strategy is ahead of delivery.
    """
    ax = _ax(ax, (5, 5))
    latest = table.loc[table.groupby("initiative")["round"].idxmax()]
    for _, r in latest.iterrows():
        hl = r["initiative"] == highlight
        ax.errorbar(r["insight"], r["execution"],
                    xerr=[[r["insight"] - r["insight_ci_low"]],
                          [r["insight_ci_high"] - r["insight"]]]
                    if not np.isnan(r["insight_ci_low"]) else None,
                    yerr=[[r["execution"] - r["execution_ci_low"]],
                          [r["execution_ci_high"] - r["execution"]]]
                    if not np.isnan(r["execution_ci_low"]) else None,
                    fmt="o", ms=9 if hl else 6, color="#c0392b" if hl else "#7f8c8d", capsize=2)
        ax.annotate(r["initiative"], (r["insight"], r["execution"]), xytext=(5, 5),
                    textcoords="offset points", fontsize=8, weight="bold" if hl else "normal")
    ax.plot(scale, scale, ls="--", color="grey", lw=0.8)
    ax.set_xlim(*scale)
    ax.set_ylim(*scale)
    ax.set_xlabel(table.attrs.get("x_label", "Insight & Strategy"))
    ax.set_ylabel(table.attrs.get("y_label", "Buy-in & execution"))
    ax.set_title("Insight vs. buy-in and execution (latest round)")
    ax.set_aspect("equal")
    return ax


def change_plot(change: pd.DataFrame, *, initiative: str, label: str | None = None, ax=None):
    """Change between rounds per unit with its interval; zero line marked."""
    idcol = label or [c for c in ("component", "area", "item", "factor", "overall")
                      if c in change.columns][0]
    tab = change[change["initiative"] == initiative].reset_index(drop=True)
    ax = _ax(ax, (6, 0.4 * len(tab) + 1.5))
    ok = ~tab["ci_low"].isna()
    ax.errorbar(tab["change"], tab.index, xerr=[(tab["change"] - tab["ci_low"]).where(ok, 0),
                                                (tab["ci_high"] - tab["change"]).where(ok, 0)],
                fmt="o", color="#1f5f8b", capsize=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(tab.index)
    ax.set_yticklabels([f"{u} ({a}→{b})" for u, a, b in zip(tab[idcol], tab["round_from"],
                                                            tab["round_to"], strict=True)],
                       fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("change in score")
    ax.set_title(f"Change between rounds — {initiative}")
    return ax


def stage_grid(factors: pd.DataFrame, *, initiative: str, top: int = 4, ax=None):
    """Big-five stages per factor (rows) and round (columns) as a labelled grid."""
    tab = factors[factors["initiative"] == initiative]
    wide = tab.pivot_table(index="factor", columns="round", values="stage", aggfunc="first")
    order = list(dict.fromkeys(tab["factor"]))
    wide = wide.reindex(order)
    ax = _ax(ax, (1.4 * wide.shape[1] + 3, 0.5 * len(order) + 1.2))
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
    """Rank of each initiative on one unit with its bootstrap rank interval (1 = best)."""
    idcol = [c for c in ("component", "area", "item", "overall") if c in table.columns][0]
    tab = table[table[idcol] == unit].sort_values("rank").reset_index(drop=True)
    ax = _ax(ax, (5, 0.4 * len(tab) + 1.5))
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
