"""Content of the dashboards and the static site, built from the results tables only.

:func:`prepare` is the single gate: it turns one results table into a
:class:`~clusterlab.publish.protect.Protected` table — protected jointly with the tables
published beside it (``context``) by its results contract in public mode
(:func:`~clusterlab.publish.publication.protect_publication`), or marked *unprotected* in
analyst mode. Its signature and return value are stable API for the page builders.
:func:`cluster_sections` and :func:`benchmark_sections` turn prepared tables into HTML
sections (figures as inline SVG, tables as HTML) that the Voila dashboards display and
:func:`~clusterlab.publish.site.export_site` writes to disk. A missing table gives a
"not available" section, never an error.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.publish.views import prepare
>>> t = pd.DataFrame({"run_id": "r1", "run_cluster": "c", "outcome": ["emp", "emp"],
...                   "method": ["did", "matching"], "term": "member",
...                   "estimate": [0.1, 0.2], "n_firms": [180, 2]})
>>> p, note = prepare("member_effects", t, analyst=False)
>>> p.table["estimate"].tolist(), note      # 2 firms: hidden
([0.1, nan], '')
>>> prepare("my_unregistered_table", t)
Traceback (most recent call last):
...
clusterlab.errors.DisclosureError: no results contract is registered for table ...
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from clusterlab.publish.contracts import get_contract
from clusterlab.publish.export import rule_text, to_html
from clusterlab.publish.protect import Protected, unprotected
from clusterlab.publish.publication import Rule, contributor_names, protect_publication

__all__ = ["Section", "prepare", "linked_tables", "clusters_in", "cluster_sections",
           "benchmark_sections", "NOT_AVAILABLE", "ANALYST_BANNER", "PUBLIC_NOTE", "RUN_COLUMNS"]

NOT_AVAILABLE = "not available for this cluster"
ANALYST_BANNER = ("ANALYST MODE — tables are NOT disclosure-protected and may identify firms. "
                  "Do not publish or share.")
PUBLIC_NOTE = rule_text()
RUN_COLUMNS = ("run_id", "run_cluster")

@dataclass(frozen=True)
class Section:
    """One titled block of a page: ``html`` holds figures and tables, ready to insert."""

    key: str
    title: str
    html: str
    available: bool = True


def _first(df: pd.DataFrame, candidates) -> str | None:
    return next((c for c in candidates if c in df.columns), None)


def _numeric_measures(df: pd.DataFrame, skip=()) -> list[str]:
    return [c for c in df.columns if c not in skip and pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])]


def prepare(name: str, table: pd.DataFrame | None, *, analyst: bool = False,
            context: dict[str, pd.DataFrame] | None = None,
            rule: Rule | None = None) -> tuple[Protected | None, str]:
    """Make one results table publishable (public) or mark it unprotected (analyst).

    In public mode the table is protected *together with* every table of ``context`` (the
    tables published beside it: one cluster's page, or the benchmark), by
    :func:`~clusterlab.publish.publication.protect_publication`, following its results
    contract (:mod:`clusterlab.publish.contracts`); nothing is inferred from column names.

    Returns
    -------
    (Protected or None, str)
        The table, or None with the reason it cannot be shown (internal table, no rows,
        columns its contract needs are missing).

    Raises
    ------
    DisclosureError
        In public mode, for a table without a registered results contract.
    """
    if table is None or table.empty:
        return None, NOT_AVAILABLE
    df = table.drop(columns=[c for c in RUN_COLUMNS if c in table.columns]).reset_index(drop=True)
    if analyst:
        return unprotected(df, name=name), ""
    contract = get_contract(name)
    if not contract.public:
        return None, "withheld in public mode: internal table"
    tables = {k: v for k, v in (context or {}).items() if v is not None}
    tables[name] = table
    # names of every contributor in the context are scrubbed, linked or not
    pub = _publication(linked_tables(name, tables), rule, frozenset(contributor_names(tables)))
    if name in pub.tables:
        return pub.tables[name], ""
    return None, "withheld in public mode: " + pub.withheld.get(name, "not publishable")


_CACHE: list = []


def linked_tables(name: str, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables of ``tables`` linked to ``name`` through their contracts (totals over one
    another, ``follows``, ``count_from``), directly or not: protecting these jointly is the
    same as protecting the whole publication, as far as ``name`` is concerned."""
    edges: dict[str, set[str]] = {k: set() for k in tables}
    for k in tables:
        c = get_contract(k, errors="ignore")
        if c is None:
            continue
        others = {t.over for t in c.totals} | ({c.follows} if c.follows else set()) | \
            ({c.count_from[0]} if c.count_from else set())
        for o in others & set(tables):
            edges[k].add(o)
            edges[o].add(k)
    seen, todo = {name}, [name]
    while todo:
        for o in edges.get(todo.pop(), ()):
            if o not in seen:
                seen.add(o)
                todo.append(o)
    return {k: tables[k] for k in tables if k in seen}


def _publication(tables: dict[str, pd.DataFrame], rule: Rule | None, names=frozenset()):
    """protect_publication with a small cache (a page prepares many tables of one set)."""
    key = (tuple(sorted((k, id(v), len(v)) for k, v in tables.items())), rule, names)
    for entry in _CACHE:
        if entry[0] == key:
            return entry[2]
    pub = protect_publication(tables, rule=rule, withheld_names=names)
    _CACHE[:] = [(key, tables, pub)] + _CACHE[:7]  # holding the frames keeps their ids valid
    return pub


def clusters_in(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Clusters (run folders) that saved at least one table, sorted."""
    found = set()
    for df in tables.values():
        if "run_cluster" in df.columns:
            found.update(str(v) for v in df["run_cluster"].dropna().unique())
    return sorted(found)


def pretty(cluster: str) -> str:
    """``northport_maritime`` → ``Northport Maritime``."""
    return re.sub(r"[_-]+", " ", str(cluster)).strip().title()


def _for(tables, name, cluster):
    df = tables.get(name)
    if df is None or cluster is None:
        return df
    return df[df["run_cluster"].astype(str) == str(cluster)]


def _latest(df: pd.DataFrame, col: str) -> pd.DataFrame:
    if col not in df.columns or df[col].dropna().empty:
        return df
    return df[df[col] == df[col].dropna().max()]


def _labelled(t: pd.DataFrame, ids) -> tuple[pd.DataFrame, str | None]:
    """A short label column: ``<id> <name>`` (name cut at 38 characters) when both exist."""
    col = _first(t, ids)
    if col is None:
        return t, None
    if "name" in t.columns and col != "name":
        name = t["name"].astype(str).where(t["name"].notna(), "")
        short = name.map(lambda v: v if len(v) <= 38 else v[:37] + "…")
        ids = t[col].astype(str)
        # codes such as "1.2" keep their number in front; word ids ("critical_mass") give way
        coded = ids.str.contains(r"\d", regex=True)
        label = (ids + " " + short).where(coded, short.where(short != "", ids)).str.strip()
        return t.assign(label=label), "label"
    return t, col


def _svg(fig) -> str:
    from clusterlab.plots.dashboard import figure_svg

    return f'<div class="cl-figure">{figure_svg(fig)}</div>'


def _missing(key, title, note=NOT_AVAILABLE) -> Section:
    return Section(key, title, f'<p class="cl-missing">{html.escape(title)}: '
                               f"{html.escape(note)}.</p>", available=False)


def _table_block(p: Protected, caption: str = "") -> str:
    cap = f'<p class="cl-caption">{html.escape(caption)}</p>' if caption else ""
    return cap + to_html(p, analyst=p.analyst)


def cluster_sections(tables: dict[str, pd.DataFrame], cluster: str, *,
                     analyst: bool = False) -> list[Section]:
    """Sections of one cluster's page: mapping, network, CIMBT, big five, members, scorecard."""
    from clusterlab.plots import dashboard as plots

    ctx = {k: _for(tables, k, cluster) for k in tables}
    get = {}
    for name in ("cluster_portfolio", "top_clusters", "network_cohesion", "network_centrality",
                 "cimbt_components", "cimbt_areas", "bigfive_factors", "bigfive_platform",
                 "member_effects", "scorecard_status"):
        get[name] = prepare(name, ctx.get(name), analyst=analyst, context=ctx)
    out = []
    # 1. mapping
    (port, why), (top, _) = get["cluster_portfolio"], get["top_clusters"]
    if port is None and top is None:
        out.append(_missing("mapping", "Cluster mapping", why))
    else:
        body = ""
        if port is not None:
            t = _latest(port.table, "year")
            if {"lq", "growth"} <= set(t.columns) and t["lq"].notna().any():
                label = _first(t, ("cluster_name", "cluster"))
                if "region" in t.columns and t["region"].nunique() > 1 and label:
                    t = t.assign(point=t[label].astype(str) + " (" + t["region"].astype(str) + ")")
                    label = "point"
                title = f"Cluster portfolio — {pretty(cluster)}"
                body += _svg(plots.portfolio_bubble(t, label=label, title=title))
        if top is not None:
            body += _table_block(top, "Top clusters")
        elif port is not None:
            body += _table_block(port, "Cluster portfolio")
        out.append(Section("mapping", "Cluster mapping", body))
    # 2. network
    (coh, why), (cen, _) = get["network_cohesion"], get["network_centrality"]
    if coh is None and cen is None:
        out.append(_missing("network", "Network", why))
    else:
        body = ""
        if cen is not None:
            t = cen.table
            measure = _first(t, ("degree", "degree_norm", "betweenness", "closeness", "strength"))
            group = _first(t, ("kind", "member", "node_name", "node"))
            if measure and group and not analyst:
                body += _svg(plots.group_bars(t, x=group, y=measure,
                                              title=f"Mean {measure} by {group}"))
        if coh is not None:
            body += _table_block(coh, "Key figures (one row per relation)")
        if cen is not None:
            body += _table_block(cen, "Centrality" + ("" if analyst else " by kind of actor"))
        out.append(Section("network", "Network", body))
    # 3. CIMBT
    (comp, why), (areas, _) = get["cimbt_components"], get["cimbt_areas"]
    if comp is None:
        out.append(_missing("cimbt", "CIMBT profile", why))
    else:
        t, label = _labelled(_latest(comp.table, "round"), ("component_name", "component", "item"))
        body = _svg(plots.interval_profile(t, label=label, estimate=_first(t, ("mean", "score")),
                                           title="CIMBT components (mean, 95% interval)",
                                           xlabel="score (1–5)"))
        if areas is not None:
            body += _table_block(areas, "Areas")
        out.append(Section("cimbt", "CIMBT profile", body))
    # 4. big five
    (fac, why), (plat, _) = get["bigfive_factors"], get["bigfive_platform"]
    if fac is None and plat is None:
        out.append(_missing("bigfive", "Big five", why))
    else:
        body = ""
        if fac is not None:
            t, label = _labelled(_latest(fac.table, "round"), ("factor_name", "factor"))
            est = _first(t, ("median", "mean", "score", "stage"))  # stages rest on medians
            if est and label and pd.api.types.is_numeric_dtype(t[est]):
                body += _svg(plots.interval_profile(
                    t, label=label, estimate=est,
                    title=f"Big-five factors ({est}, 95% interval)"))
        if plat is not None:
            body += _table_block(plat, "Platform status")
        out.append(Section("bigfive", "Big five", body))
    # 5. member effects
    eff, why = get["member_effects"]
    if eff is None:
        out.append(_missing("members", "Members vs non-members", why))
    else:
        t = eff.table
        if "method" in t.columns and "outcome" in t.columns:
            t = t.assign(effect=t["outcome"].astype(str))
        label = "effect" if "effect" in t.columns else _first(t, ("term", "outcome"))
        body = _svg(plots.interval_profile(t, label=label, estimate="estimate",
                                           hue="method" if "method" in t.columns else None,
                                           ref=0.0, title="Member vs non-member estimates",
                                           xlabel="estimate (95% interval)"))
        body += _table_block(eff, "Estimates side by side")
        out.append(Section("members", "Members vs non-members", body))
    # 6. scorecard
    sc, why = get["scorecard_status"]
    if sc is None:
        out.append(_missing("scorecard", "Scorecard", why))
    else:
        t = _latest(sc.table, "period")
        body = ""
        if "status" in t.columns and "perspective" in t.columns:
            body += _svg(plots.status_counts(t, title="Indicator status (latest period)"))
        keep = t.index
        body += _table_block(sc, "Scorecard status") if len(keep) == len(sc) else \
            _table_block(_subset(sc, keep), "Scorecard status (latest period)")
        out.append(Section("scorecard", "Scorecard", body))
    return out


def _subset(p: Protected, index) -> Protected:
    """Rows of an already protected table (row selection does not weaken the rule)."""
    from clusterlab.publish.protect import _SEAL

    return Protected(p._table.loc[index].reset_index(drop=True),
                     p.report.loc[index].reset_index(drop=True), p.rule, p.analyst, p.name, _SEAL)


def benchmark_sections(tables: dict[str, pd.DataFrame], *, analyst: bool = False,
                       highlight: str | None = None) -> list[Section]:
    """All initiatives side by side: CIMBT heatmap, insight vs execution, platform, effects."""
    from clusterlab.plots import dashboard as plots

    def who(df):
        return df.assign(who=df["initiative"].astype(str) if "initiative" in df.columns
                         else df["run_cluster"].map(pretty))

    out = []
    comp, why = prepare("cimbt_components", tables.get("cimbt_components"), analyst=analyst)
    if comp is None:
        out.append(_missing("heatmap", "CIMBT components", why.replace(" for this cluster", "")))
    else:
        t = who(_latest(comp.table.assign(run_cluster=_run(tables, "cimbt_components")), "round"))
        if "level" in t.columns:
            t = t[t["level"].astype(str) == "component"]
        col = _first(t, ("component_name", "component"))
        out.append(Section("heatmap", "CIMBT components", _svg(plots.components_heatmap(
            t, row="who", col=col, value=_first(t, ("mean", "score")),
            title="CIMBT component means by initiative"))))
    scatter = None
    ie, _ = prepare("cimbt_insight_execution", tables.get("cimbt_insight_execution"),
                    analyst=analyst, context=tables)
    if ie is not None and {"insight", "execution"} <= set(ie.table.columns):
        t = who(_latest(ie.table.assign(run_cluster=_run(tables, "cimbt_insight_execution")),
                        "round"))
        scatter = _svg(plots.insight_execution_scatter(
            t, x="insight", y="execution", label="who", highlight=highlight,
            title="Insight & strategy vs ability to execute"))
    areas, why = prepare("cimbt_areas", tables.get("cimbt_areas"), analyst=analyst)
    if areas is not None and scatter is None:
        t = who(_latest(areas.table.assign(run_cluster=_run(tables, "cimbt_areas")), "round"))
        area = _first(t, ("name", "area_name", "area"))
        est = _first(t, ("mean", "score"))
        if area and est:
            wide = t.pivot_table(index="who", columns=area, values=est, aggfunc="mean")
            x = next((c for c in wide.columns if re.search("insight", str(c), re.I)), None)
            y = next((c for c in wide.columns if re.search("execut", str(c), re.I)), None)
            if x is not None and y is not None:
                scatter = _svg(plots.insight_execution_scatter(
                    wide.reset_index(), x=x, y=y, label="who", highlight=highlight,
                    title="Insight & strategy vs ability to execute"))
    out.append(Section("scatter", "Insight vs execution", scatter) if scatter else
               _missing("scatter", "Insight vs execution", "not available"))
    plat, why = prepare("bigfive_platform", tables.get("bigfive_platform"), analyst=analyst,
                        context=tables)
    out.append(Section("platform", "Big-five platform status", _table_block(plat))
               if plat is not None else _missing("platform", "Big-five platform status",
                                                 why.replace(" for this cluster", "")))
    eff, why = prepare("member_effects", tables.get("member_effects"), analyst=analyst)
    if eff is None:
        out.append(_missing("effects", "Member effects", why.replace(" for this cluster", "")))
    else:
        t = who(eff.table.assign(run_cluster=_run(tables, "member_effects")))
        label = _first(t, ("outcome", "term"))
        out.append(Section("effects", "Member effects", _svg(plots.interval_profile(
            t, label=label, estimate="estimate", hue="who", ref=0.0,
            title="Member vs non-member estimates by initiative",
            xlabel="estimate (95% interval)"))))
    return out


def _run(tables, name):
    df = tables[name]
    return df["run_cluster"].reset_index(drop=True).to_numpy()
