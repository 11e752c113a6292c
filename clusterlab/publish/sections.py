"""The sections of the cluster page, the benchmark page and the landing page, as HTML.

Every table reaches a page through :func:`clusterlab.publish.views.prepare` (public mode:
disclosure control); this module only decides what to show and how: headline cards first
(:mod:`clusterlab.publish.cards`), then one section per question, each opening with how to read
it (:mod:`clusterlab.publish.guide`), figures as inline SVG with alternative text, and tables
with labels, names and units (:mod:`clusterlab.labels`) — only their meaningful columns (the
rest are in the downloads).

Examples
--------
>>> from clusterlab.publish.sections import cluster_sections
>>> [s.key for s in cluster_sections({}, "nowhere")]
['overview', 'map', 'mapping', 'network', 'cimbt', 'bigfive', 'members', 'scorecard']
"""

from __future__ import annotations

import html

import pandas as pd

from clusterlab import labels as lab
from clusterlab.errors import DisclosureError
from clusterlab.labels import Names
from clusterlab.publish.cards import cards_html, headline_cards
from clusterlab.publish.export import to_html
from clusterlab.publish.guide import GUIDE, intro_html
from clusterlab.publish.protect import Protected
from clusterlab.publish.views import (
    NOT_AVAILABLE,
    Section,
    _first,
    _for,
    _labelled,
    _latest,
    clusters_in,
    prepare,
)

__all__ = [
    "cluster_sections",
    "benchmark_sections",
    "landing_rows",
    "landing_html",
    "prepare_cluster",
    "CLUSTER_TABLES",
    "svg_block",
    "sparkline",
]

#: The results tables a cluster page reads (through ``prepare``).
CLUSTER_TABLES = (
    "cluster_portfolio",
    "top_clusters",
    "peer_comparison",
    "network_cohesion",
    "network_centrality",
    "network_group_densities",
    "cimbt_components",
    "cimbt_areas",
    "cimbt_overall",
    "bigfive_factors",
    "bigfive_platform",
    "member_effects",
    "scorecard_status",
)


def svg_block(fig, alt: str | None = None) -> str:
    """A figure (or an Axes of it) as inline SVG with alternative text, in a ``cl-figure`` box."""
    from clusterlab.plots.dashboard import figure_svg

    return f'<figure class="cl-figure">{figure_svg(fig, alt=alt)}</figure>'


def _missing(key: str, note: str = NOT_AVAILABLE) -> Section:
    title = GUIDE[key].title if key in GUIDE else key
    return Section(
        key,
        title,
        intro_html(key) + f'<p class="cl-missing">{html.escape(title)}: {html.escape(note)}.</p>',
        available=False,
    )


def _table(p: Protected, caption: str, names: Names | None, **kw) -> str:
    return to_html(p, analyst=p.analyst, labelled=True, names=names, caption=caption, **kw)


def _subset(p: Protected, index) -> Protected:
    """Rows of an already protected table (row selection does not weaken the rule)."""
    from clusterlab.publish.protect import _SEAL

    return Protected(
        p._table.loc[index].reset_index(drop=True),
        p.report.loc[index].reset_index(drop=True),
        p.rule,
        p.analyst,
        p.name,
        _SEAL,
    )


def sparkline(values, *, width: int = 90, height: int = 20, label: str = "") -> str:
    """A tiny inline SVG line of a series (no axes), with its alternative text."""
    v = [float(x) for x in values if x is not None and pd.notna(x)]
    alt = html.escape(label or "trend", quote=True)
    if len(v) < 2:
        return ""
    lo, hi = min(v), max(v)
    span = (hi - lo) or 1.0
    pts = " ".join(
        f"{2 + i * (width - 4) / (len(v) - 1):.1f},"
        f"{height - 2 - (x - lo) / span * (height - 4):.1f}"
        for i, x in enumerate(v)
    )
    return (
        f'<svg class="cl-spark" role="img" aria-label="{alt}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{alt}</title>'
        f'<polyline fill="none" stroke="#12355b" stroke-width="1.5" points="{pts}"/></svg>'
    )


# ------------------------------------------------------------------------------- cluster page
def prepare_cluster(
    tables: dict[str, pd.DataFrame], cluster: str, *, analyst: bool = False, names=None
) -> dict[str, tuple[Protected | None, str]]:
    """Every results table of one cluster through :func:`prepare`, once (protection is the
    expensive step; the page, the landing page and the downloads share the result).

    ``names``: only these tables (default: all of the cluster's tables and
    :data:`CLUSTER_TABLES`). Returns ``{name: (Protected or None, reason)}``.
    """
    ctx = {k: _for(tables, k, cluster) for k in tables}
    wanted = list(names) if names is not None else sorted(set(ctx) | set(CLUSTER_TABLES))
    out = {}
    for name in wanted:
        try:
            out[name] = prepare(name, ctx.get(name), analyst=analyst, context=ctx)
        except DisclosureError:  # no results contract: saved, never published
            out[name] = (None, "withheld in public mode: no results contract")
    return out


def cluster_sections(
    tables: dict[str, pd.DataFrame],
    cluster: str,
    *,
    analyst: bool = False,
    names: Names | None = None,
    boundaries=None,
    heading: int = 3,
    help_href: str | None = None,
    prepared: dict[str, tuple[Protected | None, str]] | None = None,
) -> list[Section]:
    """Sections of one cluster's page: overview cards, map, portfolio, network, CIMBT, big
    five, members, scorecard. A missing or withheld table gives a section saying so.

    ``names`` turns codes into names, ``boundaries`` (:func:`clusterlab.maps.read_boundaries`)
    draws the map, ``heading`` is the level of the section headings (cards one below),
    ``help_href`` the page the "how to read this" links point at and ``prepared`` the output
    of :func:`prepare_cluster` when the caller has it already.
    """
    from clusterlab.plots import dashboard as plots

    names = names or Names.from_tables(results=tables)
    if prepared is None:
        prepared = prepare_cluster(tables, cluster, analyst=analyst, names=CLUSTER_TABLES)
    got = {name: prepared.get(name, (None, NOT_AVAILABLE)) for name in CLUSTER_TABLES}
    ready = {k: (p.table if p is not None else None) for k, (p, _) in got.items()}
    intro = {k: intro_html(k, help_href=help_href) for k in GUIDE}
    out = [
        Section(
            "overview",
            GUIDE["overview"].title,
            intro["overview"]
            + cards_html(
                headline_cards(ready, names=names, initiative=cluster), heading=heading + 1
            ),
        )
    ]
    out.append(_map_section(got["peer_comparison"], names, boundaries, cluster, intro["map"]))
    # the region's portfolio
    (port, why), (top, _) = got["cluster_portfolio"], got["top_clusters"]
    if port is None and top is None:
        out.append(_missing("mapping", why))
    else:
        body = intro["mapping"]
        if port is not None:
            t = _latest(port.table, "year")
            home = names.home.get(cluster)
            if (
                "region" in t.columns
                and t["region"].nunique() > 1
                and home is not None
                and (t["region"].astype(str) == str(home)).any()
            ):
                t = t[t["region"].astype(str) == str(home)]
            if {"lq", "growth"} <= set(t.columns) and t["lq"].notna().any():
                region = names.region(t["region"].iloc[0]) if "region" in t.columns else ""
                t = lab.named(t, names=names)
                label = _first(t, ("cluster",))
                year = t["year"].iloc[0] if "year" in t.columns else ""
                title = f"Traded clusters of {region}, {year}".strip(", ")
                ax = plots.portfolio_bubble(
                    t, label=label, title=title, ylabel="employment growth a year"
                )
                from matplotlib.ticker import PercentFormatter

                ax.yaxis.set_major_formatter(PercentFormatter(1.0))  # 0.02 -> 2%
                alt = (
                    f"Bubble chart: {title}. Each bubble is a cluster; x = location "
                    "quotient, y = employment growth, size = employment; outlined = strong."
                )
                body += svg_block(ax, alt)
        if top is not None:
            body += _table(top, "Top clusters of the region", names)
        elif port is not None:
            body += _table(port, "Cluster portfolio", names)
        out.append(Section("mapping", GUIDE["mapping"].title, body))
    out.append(_network_section(got, names, analyst, intro["network"]))
    # CIMBT
    (comp, why), (areas, _) = got["cimbt_components"], got["cimbt_areas"]
    if comp is None:
        out.append(_missing("cimbt", why))
    else:
        t, label = _labelled(_latest(comp.table, "round"), ("component_name", "component", "item"))
        if label in ("component", "item"):
            t = t.assign(**{label: t[label].map(lab.humanise)})
        est = _first(t, ("mean", "score"))
        if label is None or est is None:  # mean and score are optional in the contract
            out.append(_missing("cimbt", "the components table has no component or score"))
        else:
            title = "CIMBT components: average score with 95 % interval"
            ax = plots.interval_profile(
                t, label=label, estimate=est, title=title, xlabel="score (1 = weak, 5 = strong)"
            )
            body = intro["cimbt"] + svg_block(ax, f"{title}, one row per component on a 1–5 scale.")
            if areas is not None:
                body += _table(areas, "Areas", names)
            out.append(Section("cimbt", GUIDE["cimbt"].title, body))
    # big five
    (fac, why), (plat, _) = got["bigfive_factors"], got["bigfive_platform"]
    if fac is None and plat is None:
        out.append(_missing("bigfive", why))
    else:
        body = intro["bigfive"]
        if fac is not None:
            t, label = _labelled(_latest(fac.table, "round"), ("factor_name", "factor"))
            if label == "factor":
                t = t.assign(factor=t["factor"].map(lab.humanise))
            est = _first(t, ("mean", "median", "score", "stage"))
            if est and label and pd.api.types.is_numeric_dtype(t[est]):
                title = "Big-five factors: average stage score with 95 % interval"
                ax = plots.interval_profile(
                    t, label=label, estimate=est, title=title, xlabel="score (stage 1–3)"
                )
                body += svg_block(ax, f"{title}, one row per factor.")
        if plat is not None:
            body += _table(plat, "Platform status", names)
        out.append(Section("bigfive", GUIDE["bigfive"].title, body))
    out.append(_members_section(got["member_effects"], intro["members"]))
    out.append(_scorecard_section(got["scorecard_status"], names, intro["scorecard"]))
    return out


def _map_section(got, names: Names, boundaries, cluster: str, intro: str) -> Section:
    from clusterlab.plots.maps import cluster_map

    peers, why = got
    if peers is None:
        return _missing("map", why)
    t = peers.table
    if "lq" not in t.columns:
        return _missing("map", "the table has no location quotient")
    body = intro
    if boundaries is None:
        body += (
            '<p class="cl-missing">No region boundaries for these regions: set the '
            "parameter <code>regions_geometry_file</code> to draw the map.</p>"
        )
    else:
        import matplotlib.pyplot as plt

        what = names.cluster(t["cluster"].iloc[0]) if "cluster" in t.columns else "the cluster"
        fig, ax = plt.subplots(figsize=(7.2, 4.6), layout="constrained")
        home = names.home.get(cluster)
        ax = cluster_map(t, boundaries, ax=ax, names=dict(names.regions), highlight=home)
        year = t["year"].max() if "year" in t.columns else ""
        n = (
            int(t.loc[t["year"] == year, "lq"].notna().sum())
            if "year" in t.columns
            else int(t["lq"].notna().sum())
        )
        missing = len(boundaries) - n
        alt = (
            f"Map of {len(boundaries)} regions coloured by the location quotient of {what} "
            f"in {year}; {missing} regions hatched (no data or suppressed); the "
            "initiative's region is outlined."
        )
        ax.set_title(f"{what}: location quotient by region, {year}", fontsize=10)
        body += f'<div class="cl-map">{svg_block(ax.figure, alt)}</div>'
    latest = _latest(t, "year")
    if "lq" in latest.columns:
        order = latest.sort_values("lq", ascending=False, na_position="last").head(10).index
        body += _table(
            _subset(peers, order), "The ten regions with the highest LQ", names, max_columns=6
        )
    return Section("map", GUIDE["map"].title, body)


def _network_section(got, names: Names, analyst: bool, intro: str) -> Section:
    from clusterlab.plots import dashboard as plots

    (coh, why), (cen, _), (blocks, why_b) = (
        got["network_cohesion"],
        got["network_centrality"],
        got["network_group_densities"],
    )
    if coh is None and cen is None and blocks is None:
        return _missing("network", why)
    body = intro
    if blocks is not None and {"group_from", "group_to", "density"} <= set(blocks.table.columns):
        t = blocks.table
        if "relation" in t.columns and t["relation"].nunique() > 1:
            t = t[t["relation"] == t["relation"].iloc[0]]
        rel = f" ({t['relation'].iloc[0]} ties)" if "relation" in t.columns else ""
        title = f"Tie density between kinds of actors{rel}"
        ax = plots.density_heatmap(t, title=title, labels=lab.VALUES["kind"])
        body += svg_block(
            ax,
            f"Heatmap: {title}; rows send, columns receive; each cell is the "
            "percentage of possible ties that exist.",
        )
    else:
        body += (
            f'<p class="cl-missing">Tie density between kinds of actors: '
            f"{html.escape(why_b if blocks is None else NOT_AVAILABLE)}.</p>"
        )
    if coh is not None:
        body += _table(coh, "Key figures (one row per relation)", names)
    if cen is not None:
        body += _table(
            cen,
            "Position in the network by kind of actor (averages)"
            if not analyst
            else "Centrality (analyst mode: every actor)",
            names,
        )
    return Section("network", GUIDE["network"].title, body)


def _members_section(got, intro: str) -> Section:
    from clusterlab.plots import dashboard as plots

    eff, why = got
    if eff is None:
        return _missing("members", why)
    t = eff.table
    if "outcome" not in t.columns or "estimate" not in t.columns:
        return _missing("members", "the table has no outcome and estimate columns")
    words = {**lab.VALUES["method"], **{o: lab.humanise(o) for o in t["outcome"].astype(str)}}
    label = "method" if "method" in t.columns else _first(t, ("term",))
    if label is None:  # an analyst-mode table is not checked against the contract
        return _missing("members", "the table has no method or term column")
    title = "Member vs non-member differences, one panel per outcome"
    ax = plots.effects_small_multiples(t, label=label, title=title, labels=words)
    outs = ", ".join(dict.fromkeys(lab.humanise(o) for o in t["outcome"].astype(str)))
    body = intro + svg_block(
        ax,
        f"{title} ({outs}); dots are estimates with 95 % intervals "
        "by method; dashed line = no difference.",
    )
    body += _table(eff, "Estimates side by side", None)
    return Section("members", GUIDE["members"].title, body)


def _scorecard_section(got, names: Names, intro: str) -> Section:
    sc, why = got
    if sc is None:
        return _missing("scorecard", why)
    t = sc.table
    if "status" not in t.columns:
        return Section(
            "scorecard", GUIDE["scorecard"].title, intro + _table(sc, "Scorecard", names)
        )
    key = _first(t, ("indicator_name", "indicator"))
    latest = _latest(t, "period")
    rows = []
    colours = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
    for _, r in latest.iterrows():
        name = lab.humanise(r[key]) if key else ""
        hist = (
            t[t[key] == r[key]].sort_values("period")
            if key and "period" in t.columns
            else t.iloc[0:0]
        )
        spark = (
            sparkline(hist["value"], label=f"{name}: value over {len(hist)} periods")
            if "value" in hist.columns
            else ""
        )
        status = r["status"]
        word = colours.get(str(status), "withheld" if pd.isna(status) else str(status))
        cls = f"cl-status-{status}" if pd.notna(status) else "cl-x"
        value = lab.format_value(r.get("value"), "value") if "value" in r.index else ""
        target = lab.format_value(r.get("target"), "target") if "target" in r.index else ""
        rows.append(
            f'<tr><th scope="row">{html.escape(name)}</th>'
            f"<td>{html.escape(lab.humanise(r.get('perspective', '')))}</td>"
            f'<td class="{cls}">{html.escape(word)}</td><td data-num="1">'
            f'{html.escape(value)}</td><td data-num="1">{html.escape(target)}</td>'
            f"<td>{spark}</td></tr>"
        )
    period = latest["period"].iloc[0] if "period" in latest.columns else ""
    grid = (
        '<div class="cl-table-wrap"><table class="cl-table cl-grid">'
        f"<caption>Indicator status, {html.escape(str(period))}</caption><thead><tr>"
        '<th scope="col">Indicator</th><th scope="col">Perspective</th>'
        '<th scope="col">Status</th><th scope="col">Latest value</th>'
        '<th scope="col">Target</th><th scope="col">Trend</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )
    return Section("scorecard", GUIDE["scorecard"].title, intro + grid)


# ------------------------------------------------------------------------------ benchmark page
def benchmark_sections(
    tables: dict[str, pd.DataFrame],
    *,
    analyst: bool = False,
    highlight: str | None = None,
    names: Names | None = None,
    help_href: str | None = None,
) -> list[Section]:
    """All initiatives side by side: CIMBT heatmap, insight vs execution, platform, effects."""
    import re

    from clusterlab.plots import dashboard as plots

    names = names or Names.from_tables(results=tables)

    def who(df):
        src = df["initiative"] if "initiative" in df.columns else df["run_cluster"]
        return df.assign(who=src.astype(str).map(names.initiative))

    def run(name):
        return tables[name]["run_cluster"].reset_index(drop=True).to_numpy()

    out = []

    def no_heatmap(reason: str) -> Section:
        return Section(
            "heatmap",
            "CIMBT components",
            f'<p class="cl-missing">CIMBT components: {html.escape(reason)}.</p>',
            available=False,
        )

    comp, why = prepare(
        "cimbt_components", tables.get("cimbt_components"), analyst=analyst, context=tables
    )
    if comp is None:
        out.append(no_heatmap(why.replace(" for this cluster", "")))
    else:
        t = who(_latest(comp.table.assign(run_cluster=run("cimbt_components")), "round"))
        if "level" in t.columns:
            t = t[t["level"].astype(str) == "component"]
        col = _first(t, ("component_name", "component"))
        value = _first(t, ("mean", "score"))
        if col is None or value is None:  # mean and score are optional in the contract
            out.append(no_heatmap("the table has no component or score"))
        else:
            t = t.assign(**{col: t[col].map(lab.humanise)})
            title = "CIMBT component means by initiative (1–5)"
            out.append(
                Section(
                    "heatmap",
                    "CIMBT components",
                    intro_html("cimbt", help_href=help_href)
                    + svg_block(
                        plots.components_heatmap(t, row="who", col=col, value=value, title=title),
                        f"Heatmap: {title}; rows are initiatives, columns components; "
                        "blank cells are withheld.",
                    ),
                )
            )
    scatter = None
    ie, _ = prepare(
        "cimbt_insight_execution",
        tables.get("cimbt_insight_execution"),
        analyst=analyst,
        context=tables,
    )
    alt = (
        "Scatter plot: each initiative's insight & strategy score (x) against its ability "
        "to execute (y), both 1–5; the dashed diagonal marks equal scores."
    )
    title = "Insight & strategy vs ability to execute"
    if ie is not None and {"insight", "execution"} <= set(ie.table.columns):
        t = who(_latest(ie.table.assign(run_cluster=run("cimbt_insight_execution")), "round"))
        scatter = svg_block(
            plots.insight_execution_scatter(
                t, x="insight", y="execution", label="who", highlight=highlight, title=title
            ),
            alt,
        )
    areas, why = prepare("cimbt_areas", tables.get("cimbt_areas"), analyst=analyst, context=tables)
    if areas is not None and scatter is None:
        t = who(_latest(areas.table.assign(run_cluster=run("cimbt_areas")), "round"))
        area = _first(t, ("name", "area_name", "area"))
        est = _first(t, ("mean", "score"))
        if area and est:
            wide = t.pivot_table(index="who", columns=area, values=est, aggfunc="mean")
            x = next((c for c in wide.columns if re.search("insight", str(c), re.I)), None)
            y = next((c for c in wide.columns if re.search("execut", str(c), re.I)), None)
            if x is not None and y is not None:
                scatter = svg_block(
                    plots.insight_execution_scatter(
                        wide.reset_index(), x=x, y=y, label="who", highlight=highlight, title=title
                    ),
                    alt,
                )
    out.append(
        Section("scatter", "Insight vs execution", scatter)
        if scatter
        else Section(
            "scatter",
            "Insight vs execution",
            '<p class="cl-missing">Insight vs execution: not available.</p>',
            available=False,
        )
    )
    plat, why = prepare(
        "bigfive_platform", tables.get("bigfive_platform"), analyst=analyst, context=tables
    )
    if plat is not None:
        body = intro_html("bigfive", help_href=help_href) + _table(plat, "Platform status", names)
        out.append(Section("platform", "Big-five platform status", body))
    else:
        out.append(
            Section(
                "platform",
                "Big-five platform status",
                f'<p class="cl-missing">Big-five platform status: '
                f"{html.escape(why.replace(' for this cluster', ''))}.</p>",
                available=False,
            )
        )
    eff, why = prepare(
        "member_effects", tables.get("member_effects"), analyst=analyst, context=tables
    )
    if eff is None:
        out.append(
            Section(
                "effects",
                "Member effects",
                f'<p class="cl-missing">Member effects: '
                f"{html.escape(why.replace(' for this cluster', ''))}.</p>",
                available=False,
            )
        )
    else:
        t = who(eff.table.assign(run_cluster=run("member_effects")))
        t = t.assign(outcome=t["outcome"].astype(str) if "outcome" in t.columns else "effect")
        words = {o: lab.humanise(o) for o in t["outcome"]}
        if "method" in t.columns:  # one estimate per initiative: its most credible design
            from clusterlab.publish.cards import METHOD_PREFERENCE

            order = {m: i for i, m in enumerate(METHOD_PREFERENCE)}
            t = (
                t.dropna(subset=["estimate"])
                .assign(_o=t["method"].map(lambda m: order.get(str(m), len(order))))
                .sort_values("_o", kind="stable")
                .drop_duplicates(["who", "outcome"])
            )
            designs = ", ".join(
                dict.fromkeys(lab.value_label("method", m).lower() for m in t["method"])
            )
        else:
            designs = "as estimated"
        title = "Member vs non-member differences by initiative, one panel per outcome"
        ax = plots.effects_small_multiples(t, label="who", title=title, labels=words)
        out.append(
            Section(
                "effects",
                "Member effects",
                intro_html("members", help_href=help_href)
                + svg_block(
                    ax,
                    f"{title}; one row per initiative with its most credible "
                    f"design ({designs}); dots are estimates with 95 % "
                    "intervals; dashed line = no difference.",
                ),
            )
        )
    return out


# ------------------------------------------------------------------------------ landing page
def landing_rows(
    tables: dict[str, pd.DataFrame],
    info: pd.DataFrame | None = None,
    *,
    names: Names | None = None,
    analyst: bool = False,
    prepared: dict[str, dict] | None = None,
) -> list[dict]:
    """One entry per cluster: name, region, last successful run date, three headline figures.

    ``prepared``: ``{cluster: prepare_cluster(...)}`` when the caller has it already.
    """
    names = names or Names.from_tables(results=tables)
    latest = None
    if info is not None and not info.empty:
        from clusterlab.publish.runs import latest_runs

        latest = latest_runs(info, tables)
    rows = []
    for cluster in clusters_in(tables):
        got = (prepared or {}).get(cluster) or prepare_cluster(
            tables,
            cluster,
            analyst=analyst,
            names=(
                "peer_comparison",
                "cluster_portfolio",
                "cimbt_areas",
                "cimbt_overall",
                "bigfive_factors",
                "bigfive_platform",
                "member_effects",
                "scorecard_status",
                "network_cohesion",
                "network_centrality",
            ),
        )
        ready = {k: (p.table if p is not None else None) for k, (p, _) in got.items()}
        cards = {c.key: c for c in headline_cards(ready, names=names, initiative=cluster)}
        when = ""
        if latest is not None and cluster in latest.index:
            ts = latest.loc[cluster, "finished"]
            when = ts.strftime("%Y-%m-%d") if pd.notna(ts) else ""
        rows.append(
            {
                "cluster": cluster,
                "name": names.initiative(cluster),
                "region": names.region(names.home[cluster]) if cluster in names.home else "",
                "run_date": when,
                "cards": [cards[k] for k in ("strength", "maturity", "scorecard")],
            }
        )
    return rows


def landing_html(rows: list[dict], *, link, benchmark_href: str, heading: int = 2) -> str:
    """The landing page body: one card per cluster linking to its dashboard (``link(cluster)``
    gives the address) and a link to the benchmark."""
    h = max(1, min(5, int(heading)))
    if not rows:
        return '<p class="cl-missing">No results yet: run the analysis notebooks first.</p>'
    items = []
    for r in rows:
        figs = "".join(
            f'<li><span class="cl-fig-q">{html.escape(c.title)}</span> '
            f"<strong>{html.escape(c.value if c.available else '—')}</strong> "
            f'<span class="cl-unit">{html.escape(c.unit if c.available else c.text)}</span></li>'
            for c in r["cards"]
        )
        meta = " · ".join(
            x
            for x in (
                f"Region: {r['region']}" if r["region"] else "",
                f"Last successful run: {r['run_date']}" if r["run_date"] else "",
            )
            if x
        )
        slug = html.escape(r["cluster"])
        items.append(
            f'<div class="cl-card cl-landing-card" data-cluster="{slug}">'
            f'<h{h + 1}><a href="{html.escape(link(r["cluster"]))}">'
            f"{html.escape(r['name'])}</a></h{h + 1}>"
            f'<p class="cl-note">{html.escape(meta)}</p><ul class="cl-figs">{figs}</ul>'
            f'<p><a href="{html.escape(link(r["cluster"]))}">Open the dashboard of '
            f"{html.escape(r['name'])}</a></p></div>"
        )
    return (
        f'<p>{len(rows)} cluster initiative(s). <a href="{html.escape(benchmark_href)}">'
        "Compare all initiatives side by side (benchmark)</a>.</p>"
        f'<div class="cl-cards">{"".join(items)}</div>'
    )
