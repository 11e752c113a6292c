"""Content of the dashboards and the static site, built from the results tables only.

:func:`prepare` is the single gate: it turns one results table into a
:class:`~clusterlab.publish.protect.Protected` table — through :func:`protect` in public mode
(firm- and node-level tables are aggregated first), or marked *unprotected* in analyst mode.
:func:`cluster_sections` and :func:`benchmark_sections` turn prepared tables into HTML
sections (figures as inline SVG, tables as HTML) that the Voila dashboards display and
:func:`~clusterlab.publish.site.export_site` writes to disk. A missing table gives a
"not available" section, never an error.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.publish.views import prepare
>>> t = pd.DataFrame({"run_id": "r1", "run_cluster": "c", "outcome": ["emp"],
...                   "method": ["did"], "estimate": [0.1], "n": [2]})
>>> p, note = prepare("member_effects", t, analyst=False)
>>> p.table["estimate"].isna().tolist(), note
([True], '')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from clusterlab.publish.export import rule_text
from clusterlab.publish.protect import (
    IDENTIFIER_COLUMNS,
    Protected,
    aggregate_units,
    protect,
    unprotected,
)

__all__ = ["Section", "prepare", "clusters_in", "cluster_sections", "benchmark_sections",
           "NOT_AVAILABLE", "ANALYST_BANNER", "PUBLIC_NOTE", "RUN_COLUMNS"]

NOT_AVAILABLE = "not available for this cluster"
ANALYST_BANNER = ("ANALYST MODE — tables are NOT disclosure-protected and may identify firms. "
                  "Do not publish or share.")
PUBLIC_NOTE = rule_text()
RUN_COLUMNS = ("run_id", "run_cluster")

_MAPPING = ("cluster_portfolio", "top_clusters", "lq_trend", "specialisation", "peer_comparison")
_RATER_TABLES = ("cimbt_questions", "cimbt_components", "cimbt_areas", "cimbt_overall",
                 "cimbt_insight_execution", "bigfive_factors", "bigfive_platform")
#: Tables without their own rater count borrow the smallest count of the table they derive from.
_BORROW = {"bigfive_platform": "bigfive_factors", "cimbt_insight_execution": "cimbt_areas"}
_NODE_TABLES = ("network_centrality", "network_brokerage", "network_roles")
#: Key columns per table (kept in suppressed rows); every other column is a value.
KEYS = {
    "cimbt": ("initiative", "instrument", "round", "level", "area", "area_name", "component",
              "component_name", "item", "question", "level_id", "name"),
    "bigfive_factors": ("initiative", "round", "factor", "factor_name", "name"),
    "bigfive_platform": ("initiative", "round"),
    "cimbt_insight_execution": ("initiative", "round"),
    "member_effects": ("outcome", "method", "term", "estimand", "model", "spec"),
    "scorecard_status": ("indicator", "indicator_name", "perspective", "period", "unit",
                         "source", "direction"),
    "scorecard_perspectives": ("perspective", "period"),
    "network_cohesion": ("relation", "tie_type", "network", "wave", "initiative"),
    "other": ("initiative", "outcome", "indicator", "relation", "round", "period", "year",
              "method", "term", "covariate", "variable"),
}


#: Outside network tables, ``source``/``target`` are not node ids (e.g. a scorecard's target).
_IDS = tuple(c for c in IDENTIFIER_COLUMNS if c not in ("source", "target"))


def _keys(name: str, df: pd.DataFrame) -> list[str]:
    group = name if name in KEYS else ("cimbt" if name.startswith("cimbt_") else name)
    return [c for c in KEYS.get(group, KEYS["other"]) if c in df.columns]


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
            context: dict[str, pd.DataFrame] | None = None) -> tuple[Protected | None, str]:
    """Make one results table publishable (public) or mark it unprotected (analyst).

    Returns
    -------
    (Protected or None, str)
        The table, or None with the reason it cannot be shown.
    """
    if table is None or table.empty:
        return None, NOT_AVAILABLE
    df = table.drop(columns=[c for c in RUN_COLUMNS if c in table.columns]).reset_index(drop=True)
    if analyst:
        return unprotected(df, name=name), ""
    if name in _NODE_TABLES:
        return _prepare_nodes(name, df)
    if name in _MAPPING:
        count = _first(df, ("n_firms", "establishments"))
        if count is None:
            return None, "withheld in public mode: the table has no count of contributing firms"
        dims = [c for c in ("region", "cluster", "industry", "subcluster", "year")
                if c in df.columns]
        margins = not df.duplicated(dims).any()
        additive = [c for c in (count, "employment", "payroll") if c in df.columns
                    and pd.api.types.is_numeric_dtype(df[c])]
        extra = None
        if name != "cluster_portfolio" and context and context.get("cluster_portfolio") \
                is not None and not context["cluster_portfolio"].empty:
            # a selection from the portfolio (top clusters, trends) is published with the
            # portfolio's suppression pattern, so that it cannot undo a complementary cell
            margins = False
            port, _ = prepare("cluster_portfolio", context["cluster_portfolio"])
            if port is not None and set(dims) <= set(port.report.columns):
                hidden = port.report.loc[port.report["reason"] != "", dims].astype(str)
                keys = set(map(tuple, hidden.to_numpy()))
                extra = [tuple(r) in keys for r in df[dims].astype(str).to_numpy()]
        return protect(df, count_col=count, dims=dims, margins=margins, additive=additive,
                       also_suppress=extra, identifiers=_IDS, name=name), ""
    if name in _RATER_TABLES:
        count = _first(df, ("n_raters", "n_firms", "n"))
        if count is None and name in _BORROW and context:
            df, count = _borrow_raters(df, context.get(_BORROW[name]))
        if count is None:
            return None, "withheld in public mode: the table has no count of raters"
        return protect(df, count_col=count, dims=_keys(name, df), margins=False,
                       identifiers=_IDS, name=name), ""
    if name == "scorecard_status" or name == "scorecard_perspectives":
        count = _first(df, ("n_reporting", "n_firms"))
        if count is None:
            return None, "withheld in public mode: the table has no count of reporting firms"
        return protect(df, count_col=count, dims=_keys(name, df), margins=False,
                       missing_count="publish", identifiers=_IDS, name=name), ""
    count = _first(df, ("n_firms", "n", "n_nodes", "nodes", "n_raters"))
    if count is None:
        return None, "withheld in public mode: the table has no count of contributing firms"
    return protect(df, count_col=count, dims=_keys(name, df), margins=False, name=name), ""


def _borrow_raters(df, factors):
    """A derived table lacks a rater count: use the smallest count of its source table."""
    if factors is None or "n_raters" not in factors.columns:
        return df, None
    keys = [c for c in ("run_cluster", "initiative", "round") if c in df.columns
            and c in factors.columns]
    if not keys:
        return df, None
    n = factors.groupby(keys, dropna=False)["n_raters"].min().rename("n_raters").reset_index()
    return df.merge(n, on=keys, how="left"), "n_raters"


def _prepare_nodes(name, df):
    """Node-level tables are aggregated by node kind (or role) before protection."""
    if name == "network_roles":
        by = [_first(df, ("role", "brokerage_role", "position"))]
        if by[0] is None:
            return None, "withheld in public mode: node-level table"
        values = []
    else:
        by = [c for c in ("kind", "member") if c in df.columns][:1]
        values = _numeric_measures(df, skip=set(by) | {"n_firms", "wave", "year", "period"})
        if not values:
            return None, "withheld in public mode: node-level table"
    agg = aggregate_units(df, by=by, values=values, count_col="n_firms", how="mean")
    return protect(agg, count_col="n_firms", dims=by, margins=False, name=name), ""


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


def cluster_sections(tables: dict[str, pd.DataFrame], cluster: str, **kwargs) -> list[Section]:
    """Sections of one cluster's page: see :func:`clusterlab.publish.sections.cluster_sections`."""
    from clusterlab.publish.sections import cluster_sections as sections

    return sections(tables, cluster, **kwargs)


def benchmark_sections(tables: dict[str, pd.DataFrame], **kwargs) -> list[Section]:
    """All initiatives side by side: see :func:`clusterlab.publish.sections.benchmark_sections`."""
    from clusterlab.publish.sections import benchmark_sections as sections

    return sections(tables, **kwargs)
