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

import re
from dataclasses import dataclass
from typing import cast

import pandas as pd

from clusterlab.publish.contracts import TableContract, get_contract
from clusterlab.publish.export import rule_text
from clusterlab.publish.protect import Protected, unprotected
from clusterlab.publish.publication import Rule, contributor_names, protect_publication

__all__ = [
    "Section",
    "prepare",
    "linked_tables",
    "clusters_in",
    "cluster_sections",
    "benchmark_sections",
    "NOT_AVAILABLE",
    "ANALYST_BANNER",
    "PUBLIC_NOTE",
    "RUN_COLUMNS",
]

NOT_AVAILABLE = "not available for this cluster"
ANALYST_BANNER = (
    "ANALYST MODE — tables are NOT disclosure-protected and may identify firms. "
    "Do not publish or share."
)
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
    return [
        c
        for c in df.columns
        if c not in skip
        and pd.api.types.is_numeric_dtype(df[c])
        and not pd.api.types.is_bool_dtype(df[c])
    ]


def prepare(
    name: str,
    table: pd.DataFrame | None,
    *,
    analyst: bool = False,
    context: dict[str, pd.DataFrame] | None = None,
    rule: Rule | None = None,
) -> tuple[Protected | None, str]:
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
    # errors='raise' (the default): a contract, or DisclosureError
    contract = cast(TableContract, get_contract(name))
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
        others = (
            {t.over for t in c.totals}
            | ({c.follows} if c.follows else set())
            | ({c.count_from[0]} if c.count_from else set())
        )
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
    found: set[str] = set()
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
