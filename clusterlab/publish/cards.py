"""Headline cards: the four questions a policy reader asks, answered in plain language.

Each card reads *prepared* tables only (:func:`clusterlab.publish.views.prepare` — protected
in public mode), so every number on a card has passed disclosure control; a suppressed or
missing figure makes the card say so instead of showing a number. :func:`headline_cards`
returns :class:`Card` objects; :func:`cards_html` lays them out.

* strength — the cluster's location quotient and employment in its region (strong? rank?);
* network — actors, firms, ties and who brokers (by kind of actor, never by name);
* maturity — CIMBT areas with intervals; big-five platform reached or the weakest factor;
* members — the member effect on the main outcome, with its interval and design;
* scorecard — indicators on track / at risk / off track in the latest period.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.publish.cards import member_card
>>> t = pd.DataFrame({"outcome": ["employment"], "method": ["did"], "estimate": [2.5],
...                   "ci_low": [0.5], "ci_high": [4.5], "n_firms": [180]})
>>> print(member_card(t).text)  # doctest: +NORMALIZE_WHITESPACE
Members' employment grew by 2.5 (95 % interval 0.5 to 4.5) more than comparable
non-members'; design: difference-in-differences, 180 firms.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from clusterlab import labels
from clusterlab.labels import Names, format_value

__all__ = [
    "Card",
    "headline_cards",
    "cards_html",
    "strength_card",
    "network_card",
    "maturity_card",
    "member_card",
    "scorecard_card",
    "METHOD_PREFERENCE",
]

#: Member-effect designs, most credible first (the card shows the first one available).
METHOD_PREFERENCE = (
    "staggered_did",
    "callaway_santanna",
    "did",
    "event_study",
    "matching",
    "weighting",
    "regression_adjustment",
    "regression_interacted",
    "difference_in_means_welch",
    "difference_in_means",
    "raw_gap",
    "rank_test",
)


@dataclass(frozen=True)
class Card:
    """One headline: ``key``, the question (``title``), the figure (``value``, ``unit``),
    a plain-language sentence (``text``) and whether there was anything to show."""

    key: str
    title: str
    value: str = ""
    unit: str = ""
    text: str = ""
    available: bool = True


def _missing(key: str, title: str, why: str) -> Card:
    return Card(key, title, text=why, available=False)


def _latest(df: pd.DataFrame, col: str) -> pd.DataFrame:
    if col not in df.columns or df[col].dropna().empty:
        return df
    return df[df[col] == df[col].dropna().max()]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def strength_card(
    peers: pd.DataFrame | None,
    portfolio: pd.DataFrame | None = None,
    *,
    names: Names | None = None,
    initiative: str = "",
) -> Card:
    """LQ and employment of the initiative's cluster in its region (latest year)."""
    title = "How strong is the cluster here?"
    names = names or Names()
    row, year, first = None, None, None
    if peers is not None and "lq" in peers.columns:
        home = names.home.get(initiative)
        if "focus" in peers.columns and peers["focus"].fillna(False).astype(bool).any():
            own = peers[peers["focus"].fillna(False).astype(bool)]
        elif home is not None and "region" in peers.columns:  # focus withheld with the row
            own = peers[peers["region"].astype(str) == str(home)]
        else:
            own = peers.iloc[0:0]
        if not own.empty:
            last = _latest(own, "year")
            row = last.iloc[0]
            year = row.get("year")
            if "year" in own.columns and own["year"].nunique() > 1:
                first = own[own["year"] == own["year"].min()].iloc[0]
    if row is None and portfolio is not None and "lq" in portfolio.columns:
        code = names.focus.get(initiative)
        sub = portfolio[portfolio["cluster"].astype(str) == str(code)] if code else portfolio[[]]
        if not sub.empty:
            row = _latest(sub, "year").iloc[0]
            year = row.get("year")
    if row is None:
        return _missing(
            "strength",
            title,
            "No location quotient of the initiative's cluster in its region is available.",
        )
    lq = row.get("lq")
    if pd.isna(lq):
        return _missing(
            "strength",
            title,
            "The cluster's figures in its region are withheld "
            "by disclosure control (too few establishments).",
        )
    where = names.region(row.get("region", names.home.get(initiative, "")))
    what = names.cluster(row.get("cluster", "")) if "cluster" in row.index else "The cluster"
    level = (
        "strongly specialised (more than twice the national share)"
        if lq >= 2
        else "more concentrated than nationally"
        if lq > 1.05
        else "about as concentrated as nationally"
        if lq >= 0.95
        else "less concentrated than nationally"
    )
    parts = [f"{what} in {where}{f', {year}' if year is not None else ''}: {level}."]
    if "strong" in row.index and pd.notna(row["strong"]) and bool(row["strong"]):
        parts.append("A strong cluster.")
    if "rank_lq" in row.index and pd.notna(row.get("rank_lq")):
        of = f" of {int(row['n_regions'])}" if pd.notna(row.get("n_regions", None)) else ""
        parts.append(f"Ranks {_ordinal(int(row['rank_lq']))}{of} regions by LQ.")
    if "employment" in row.index and pd.notna(row["employment"]):
        parts.append(f"Employment {format_value(row['employment'], 'employment')} jobs.")
    if first is not None and pd.notna(first.get("lq")):
        trend = (
            "up"
            if lq > first["lq"] + 0.005
            else "down"
            if lq < first["lq"] - 0.005
            else "unchanged"
        )
        parts.append(f"LQ {trend} from {first['lq']:.2f} in {first['year']}.")
    elif "growth" in row.index and pd.notna(row["growth"]):
        arrow = "grew" if row["growth"] >= 0 else "fell"
        parts.append(f"Employment {arrow} {format_value(abs(row['growth']), 'growth')} a year.")
    return Card(
        "strength", title, f"{lq:.2f}", "location quotient (1 = national average)", " ".join(parts)
    )


def network_card(cohesion: pd.DataFrame | None, centrality: pd.DataFrame | None = None) -> Card:
    """Actors, firms and ties of the network; the kind of actor that brokers most."""
    title = "How connected is the cluster?"
    if cohesion is None or cohesion.empty:
        return _missing("network", title, "No network results are available.")
    row = cohesion.iloc[0]
    actors = next(
        (row[c] for c in ("n_nodes", "nodes") if c in row.index and pd.notna(row[c])), None
    )
    ties = next(
        (row[c] for c in ("n_ties", "ties", "edges") if c in row.index and pd.notna(row[c])), None
    )
    firms = row.get("n_firms")
    if actors is None and (firms is None or pd.isna(firms)):
        return _missing(
            "network", title, "The network's key figures are withheld by disclosure control."
        )
    rel = (
        f" ({row['relation']} ties)"
        if "relation" in row.index and pd.notna(row["relation"])
        else ""
    )
    parts = []
    if actors is not None:
        parts.append(f"{format_value(actors, 'n_nodes')} actors")
    if firms is not None and pd.notna(firms):
        parts.append(
            f"{format_value(firms, 'n_firms')} of them firms"
            if actors is not None
            else f"{format_value(firms, 'n_firms')} firms"
        )
    text = ", ".join(parts) + rel + "."
    if "density" in row.index and pd.notna(row["density"]):
        text += f" {format_value(row['density'], 'density')} of all possible ties exist."
    if (
        centrality is not None
        and "betweenness" in centrality.columns
        and "kind" in centrality.columns
    ):
        ok = centrality.dropna(subset=["betweenness"])
        if not ok.empty and len(ok) > 1:
            top = ok.loc[ok["betweenness"].astype(float).idxmax(), "kind"]
            text += f" {labels.value_label('kind', top)} broker most (highest average betweenness)."
    value = format_value(ties, "n_ties") if ties is not None else format_value(actors, "n_nodes")
    unit = "ties between actors" if ties is not None else "actors"
    return Card("network", title, value, unit, text)


def _interval(row) -> str:
    if pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        return f" ({row['ci_low']:.1f}–{row['ci_high']:.1f})"
    return ""


def maturity_card(
    areas: pd.DataFrame | None,
    overall: pd.DataFrame | None = None,
    factors: pd.DataFrame | None = None,
    platform: pd.DataFrame | None = None,
) -> Card:
    """CIMBT (overall and areas, 1–5 with 95 % intervals) and the big-five platform."""
    title = "Is the initiative mature?"
    parts, value, unit = [], "", ""
    if overall is not None and not overall.empty and "mean" in overall.columns:
        row = _latest(overall, "round").iloc[0]
        if pd.notna(row["mean"]):
            value, unit = f"{row['mean']:.1f}", "CIMBT overall score (1–5)"
            parts.append(f"CIMBT overall {row['mean']:.1f}{_interval(row)} on 1–5.")
    if areas is not None and not areas.empty and "mean" in areas.columns:
        t = _latest(areas, "round")
        name = next((c for c in ("area_name", "name", "area") if c in t.columns), None)
        shown = [
            f"{labels.humanise(r[name])} {r['mean']:.1f}{_interval(r)}"
            for _, r in t.iterrows()
            if name and pd.notna(r["mean"])
        ]
        if shown:
            parts.append("CIMBT areas (1–5, 95 % interval): " + "; ".join(shown) + ".")
            if not value:
                best = t.dropna(subset=["mean"])
                value = f"{best['mean'].min():.1f}–{best['mean'].max():.1f}"
                unit = "CIMBT area scores (1–5)"
    if platform is not None and not platform.empty and "platform_reached" in platform.columns:
        row = _latest(platform, "round").iloc[0]
        if pd.notna(row["platform_reached"]):
            if bool(row["platform_reached"]):
                parts.append("Big five: the platform stage is reached on all five factors.")
            else:
                weak = row.get("weakest_factors")
                weak = f" Weakest: {labels.humanise(weak)}." if isinstance(weak, str) else ""
                parts.append(f"Big five: platform not yet reached.{weak}")
    elif factors is not None and not factors.empty and "mean" in factors.columns:
        t = _latest(factors, "round").dropna(subset=["mean"])
        if not t.empty:
            name = next((c for c in ("factor_name", "name", "factor") if c in t.columns), None)
            w = t.loc[t["mean"].idxmin()]
            which = labels.humanise(w[name]) if name else "one factor"
            parts.append(f"Big five: weakest factor {which} ({w['mean']:.1f}).")
    if not parts:
        return _missing(
            "maturity",
            title,
            "No CIMBT or big-five results are available (or they are withheld: too few raters).",
        )
    return Card("maturity", title, value or "—", unit, " ".join(parts))


def member_card(effects: pd.DataFrame | None, *, outcome: str | None = None) -> Card:
    """The member effect on the main outcome by the most credible design available."""
    title = "Do members do better?"
    if effects is None or effects.empty or "estimate" not in effects.columns:
        return _missing("members", title, "No member vs non-member comparison is available.")
    t = effects.dropna(subset=["estimate"])
    if "outcome" in t.columns:
        outcomes = list(dict.fromkeys(t["outcome"].astype(str)))
        main = outcome or (
            "employment" if "employment" in outcomes else (outcomes[0] if outcomes else None)
        )
        t = t[t["outcome"].astype(str) == main] if main else t
    else:
        main = "the outcome"
    if t.empty:
        return _missing(
            "members",
            title,
            "The member comparison is withheld by disclosure control (too few firms).",
        )
    if "method" in t.columns:
        order = {m: i for i, m in enumerate(METHOD_PREFERENCE)}
        t = t.assign(_o=t["method"].map(lambda m: order.get(str(m), len(order))))
        t = t.sort_values("_o", kind="stable")
    row = t.iloc[0]
    est = float(row["estimate"])
    what = labels.humanise(main).lower()
    lo, hi = row.get("ci_low"), row.get("ci_high")
    has_ci = pd.notna(lo) and pd.notna(hi)
    more = "more" if est >= 0 else "less"
    ci = f" (95 % interval {lo:,.3g} to {hi:,.3g})" if has_ci else ""
    text = f"Members' {what} grew by {abs(est):,.3g}{ci} {more} than comparable non-members'"
    if has_ci and lo <= 0 <= hi:
        text += "; the interval includes zero, so there is no clear difference"
    design = (
        labels.value_label("method", row["method"]).lower()
        if "method" in row.index
        else "comparison"
    )
    n = row.get("n_firms", row.get("n"))
    firms = f", {format_value(n, 'n_firms')} firms" if n is not None and pd.notna(n) else ""
    text += f"; design: {design}{firms}."
    return Card("members", title, f"{est:+,.3g}", f"{what}, members − non-members", text)


def scorecard_card(status: pd.DataFrame | None) -> Card:
    """Indicators on track / at risk / off track in the latest period."""
    title = "Is it on track?"
    if status is None or status.empty or "status" not in status.columns:
        return _missing("scorecard", title, "No scorecard results are available.")
    t = _latest(status, "period")
    counts = t["status"].value_counts()
    on, risk, off = (int(counts.get(s, 0)) for s in ("on_track", "at_risk", "off_track"))
    withheld = int(t["status"].isna().sum())
    when = f" ({t['period'].iloc[0]})" if "period" in t.columns else ""
    text = f"{on} on track, {risk} at risk, {off} off track{when}."
    if withheld:
        text += f" {withheld} withheld by disclosure control."
    return Card("scorecard", title, f"{on} of {on + risk + off}", "indicators on track", text)


def headline_cards(
    prepared: dict[str, pd.DataFrame | None], *, names: Names | None = None, initiative: str = ""
) -> list[Card]:
    """The five cards from a dict of prepared tables (missing tables → cards saying so)."""
    g = prepared.get
    return [
        strength_card(
            g("peer_comparison"), g("cluster_portfolio"), names=names, initiative=initiative
        ),
        network_card(g("network_cohesion"), g("network_centrality")),
        maturity_card(
            g("cimbt_areas"), g("cimbt_overall"), g("bigfive_factors"), g("bigfive_platform")
        ),
        member_card(g("member_effects")),
        scorecard_card(g("scorecard_status")),
    ]


def cards_html(cards: list[Card], *, heading: int = 3) -> str:
    """The cards as HTML (``<h{heading}>`` titles, figure, unit, sentence)."""
    h = max(1, min(6, int(heading)))
    out = []
    for c in cards:
        cls = "cl-card" + ("" if c.available else " cl-card-missing")
        fig = (
            (
                f'<p class="cl-big">{html.escape(c.value)}</p>'
                f'<p class="cl-unit">{html.escape(c.unit)}</p>'
            )
            if c.available
            else ""
        )
        out.append(
            f'<div class="{cls}" data-card="{c.key}"><h{h}>{html.escape(c.title)}</h{h}>'
            f'{fig}<p class="cl-card-text">{html.escape(c.text)}</p></div>'
        )
    return '<div class="cl-cards">' + "".join(out) + "</div>"
