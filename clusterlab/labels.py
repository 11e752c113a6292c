"""Plain-language labels: one dictionary for every results column, used by every output.

The dashboards, the static site and the CSV/Excel downloads show a results column as its
*label* (``"Employment"``), with its *unit* (``"jobs"``) and a one-line
*explanation*; codes become names (``maritime`` → "Maritime and Port Industries", ``D02`` →
"Eastshire", ``northport_maritime`` → "Northport Maritime Cluster"). Technical columns
(standard errors, test statistics, coverage, run ids) are *detail*: they stay in the
download and out of the page.

* :data:`LABELS` — column → :class:`Label` (label, unit, explanation, detail flag);
* :data:`VALUES` — code values of a column → words (``did`` → "Difference-in-differences");
* :func:`label` / :func:`describe` — the label of a column, the notes table of a table;
* :func:`format_value` — one value as text with its unit (``0.052`` share → "5.2 %");
* :func:`relabel` — a table with names for codes and labels for headers, meaningful columns
  first (``shown=True``: only those);
* :class:`Names` — cluster, initiative and region names (from the parameter files, the
  regions and definitions tables and the results themselves).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.labels import label, relabel, Names
>>> label("lq")
'Location quotient'
>>> t = pd.DataFrame({"region": ["D02"], "lq": [1.534], "std_error": [0.1]})
>>> relabel(t, names=Names(regions={"D02": "Eastshire"}), shown=True).to_dict("records")
[{'Region': 'Eastshire', 'Location quotient': 1.534}]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import SupportsFloat, SupportsIndex

import pandas as pd

__all__ = [
    "Label",
    "LABELS",
    "VALUES",
    "Names",
    "label",
    "unit",
    "explain",
    "humanise",
    "value_label",
    "format_value",
    "describe",
    "relabel",
    "is_detail",
    "looks_like_code",
    "header",
    "named",
    "shown_columns",
    "CODE_COLUMNS",
    "TABLE_LABELS",
    "table_label",
]


@dataclass(frozen=True)
class Label:
    """How a column is shown to people: label, unit, explanation and value format.

    Parameters
    ----------
    label : str
        The column's name for people.
    unit : str, default ""
        The unit (may be empty).
    note : str, default ""
        A short explanation (the notes table of a download, the tooltip on a page).
    detail : bool, default False
        True for technical columns kept only in downloads.
    kind : str, default "number"
        How values are formatted: ``number``, ``count``, ``share`` (0–1 shown as %),
        ``percent`` (already in %), ``score``, ``p`` (p-value), ``text``, ``flag`` (yes/no).

    Examples
    --------
    >>> from clusterlab.labels import LABELS, Label
    >>> Label("Employment", "jobs", kind="count").unit
    'jobs'
    >>> LABELS["employment"].label
    'Employment'
    """

    label: str
    unit: str = ""
    note: str = ""
    detail: bool = False
    kind: str = "number"


_L = Label
#: Column → label. Keep one entry per column name; a table-specific meaning goes in ``note``.
LABELS: dict[str, Label] = {
    # who and where
    "region": _L("Region", kind="text", note="Region (name; the code is in the download)."),
    "region_name": _L("Region name", kind="text", detail=True),
    "region_type": _L("Region type", kind="text", detail=True),
    "parent": _L("Parent region", kind="text", detail=True),
    "cluster": _L(
        "Cluster",
        kind="text",
        note="Industry cluster (a group of related "
        "industries, e.g. the US Cluster Mapping definitions).",
    ),
    "cluster_name": _L("Cluster name", kind="text", detail=True),
    "cluster_type": _L(
        "Cluster type",
        kind="text",
        note="Traded clusters sell beyond the region; local clusters serve the local market.",
    ),
    "subcluster": _L("Subcluster", kind="text"),
    "industry": _L("Industry", kind="text"),
    "initiative": _L(
        "Initiative", kind="text", note="The cluster initiative (organisation) evaluated."
    ),
    "run_id": _L("Run", kind="text", detail=True, note="Identifier of the analysis run."),
    "run_cluster": _L("Cluster run", kind="text", detail=True),
    "year": _L("Year", kind="text"),
    "period": _L("Period", kind="text"),
    "round": _L("Survey round", kind="text", detail=True),
    # cluster mapping
    "employment": _L(
        "Employment", "jobs", "Number of jobs in the cluster and region.", kind="count"
    ),
    "establishments": _L("Establishments", "establishments", "Number of workplaces.", kind="count"),
    "payroll": _L("Payroll", "currency units", "Annual payroll.", kind="count", detail=True),
    "lq": _L(
        "Location quotient",
        "",
        "The cluster's share of the region's "
        "jobs divided by its share of all jobs; above 1 = more concentrated here than "
        "on average, above 2 = strongly specialised.",
    ),
    "growth": _L(
        "Employment growth",
        "% a year",
        "Average annual growth of the cluster's employment in the region.",
        kind="share",
    ),
    "growth_relative": _L(
        "Growth above the cluster's national growth",
        "points a year",
        "Regional growth minus the cluster's growth in all regions.",
        kind="share",
    ),
    "strong": _L(
        "Strong cluster",
        "",
        "Among the regions where the cluster is most "
        "specialised (US Cluster Mapping's strong-cluster flag).",
        kind="flag",
    ),
    "stars": _L(
        "Stars",
        "of 3",
        "European Cluster Observatory stars: size, specialisation, focus.",
        kind="count",
    ),
    "n_stars": _L(
        "Stars",
        "of 3",
        "European Cluster Observatory stars: size, specialisation, focus.",
        kind="count",
    ),
    "share": _L("Share of employment", "%", kind="share"),
    "rank": _L("Rank", kind="count"),
    "focus": _L("Focus region", kind="flag", detail=True),
    # networks
    "relation": _L("Relation", kind="text", note="Kind of tie (e.g. knowledge, trade)."),
    "kind": _L("Kind of actor", kind="text"),
    "kind_from": _L("From", kind="text"),
    "kind_to": _L("To", kind="text"),
    "member": _L("Member", kind="flag"),
    "density": _L(
        "Tie density",
        "% of possible ties",
        "Ties present as a share of all possible ties.",
        kind="share",
    ),
    "reciprocity": _L("Reciprocity", "% of ties", "Share of ties returned.", kind="share"),
    "transitivity": _L("Transitivity", "", "Share of closed triangles.", kind="share"),
    "components": _L("Components", "", "Separate parts of the network.", kind="count"),
    "n_nodes": _L("Actors", "actors", kind="count"),
    "nodes": _L("Actors", "actors", kind="count"),
    "n_ties": _L("Ties", "ties", kind="count"),
    "ties": _L("Ties", "ties", kind="count"),
    "edges": _L("Ties", "ties", kind="count"),
    "degree": _L("Ties per actor", "ties", "Average number of direct partners."),
    "degree_norm": _L("Ties per actor", "% of possible", kind="share"),
    "betweenness": _L(
        "Brokerage (betweenness)",
        "",
        "How often an actor lies on the shortest path between two others (0–1).",
    ),
    "closeness": _L("Closeness", "", "How near an actor is to all others (0–1)."),
    "strength": _L("Tie strength", ""),
    "role": _L("Brokerage role", kind="text"),
    # instruments
    "area": _L("Area", kind="text"),
    "area_name": _L("Area", kind="text"),
    "component": _L("Component", kind="text"),
    "component_name": _L("Component", kind="text"),
    "factor": _L("Factor", kind="text"),
    "factor_name": _L("Factor", kind="text"),
    "item": _L("Question", kind="text", detail=True),
    "name": _L("Name", kind="text"),
    "level": _L("Level", kind="text", detail=True),
    "mean": _L("Average score", "1–5", "Mean rating of the raters.", kind="score"),
    "median": _L("Median score", "", kind="score", detail=True),
    "score": _L("Score", "", kind="score"),
    "stage": _L("Stage", "1–3", "Big-five stage reached (3 = platform).", kind="count"),
    "insight": _L("Insight & strategy", "1–5", kind="score"),
    "execution": _L("Ability to execute", "1–5", kind="score"),
    "platform_reached": _L("Platform reached", "", "All five factors at stage 3.", kind="flag"),
    "weakest_factors": _L("Weakest factors", kind="text"),
    "n_raters": _L("Raters", "raters", "People who rated.", kind="count"),
    "coverage": _L("Coverage", "% answered", kind="share", detail=True),
    # comparisons
    "outcome": _L("Outcome", kind="text"),
    "method": _L("Method", kind="text", note="How members are compared with non-members."),
    "term": _L("Term", kind="text", detail=True),
    "estimand": _L("Estimand", kind="text", detail=True),
    "estimate": _L(
        "Difference members − non-members", "outcome units", "Positive = members did better."
    ),
    "ci_low": _L("95 % interval from", "", "Lower end of the 95 % confidence interval."),
    "ci_high": _L("95 % interval to", "", "Upper end of the 95 % confidence interval."),
    "std_error": _L("Standard error", "", kind="number", detail=True),
    "statistic": _L("Test statistic", "", detail=True),
    "p_value": _L(
        "p-value", "", "Chance of a difference at least this large if there were none.", kind="p"
    ),
    "n": _L("Observations", "", kind="count", detail=True),
    "n_firms": _L(
        "Firms",
        "firms",
        "Firms behind the figure (disclosure control needs at least the threshold).",
        kind="count",
    ),
    "n_units": _L("Firms", "firms", kind="count", detail=True),
    "caveats": _L("Caveats", kind="text", detail=True),
    "design": _L("Design", kind="text"),
    # scorecard
    "indicator": _L("Indicator", kind="text"),
    "indicator_name": _L("Indicator", kind="text"),
    "perspective": _L("Perspective", kind="text"),
    "value": _L("Value", ""),
    "target": _L("Target", ""),
    "status": _L("Status", kind="text", note="On track / at risk / off track against the target."),
    "n_reporting": _L("Reporting firms", "firms", kind="count"),
    "unit": _L("Unit", kind="text", detail=True),
    "source": _L("Source", kind="text", detail=True),
    "direction": _L("Direction", kind="text", detail=True),
    "weight_by": _L("Weighted by", kind="text", detail=True),
    # publishing
    "suppressed": _L(
        "Suppressed", "", "Withheld by disclosure control (shown as x).", kind="flag", detail=True
    ),
}

#: Code values → words, per column.
VALUES: dict[str, dict[str, str]] = {
    "method": {
        "did": "Difference-in-differences",
        "event_study": "Event study",
        "matching": "Matching",
        "weighting": "Weighting (IPW)",
        "regression_adjustment": "Regression adjustment",
        "regression_interacted": "Regression (interacted)",
        "difference_in_means": "Difference in means",
        "difference_in_means_welch": "Difference in means",
        "rank_test": "Rank test",
        "raw_gap": "Raw gap",
        "staggered_did": "Staggered difference-in-differences",
        "callaway_santanna": "Staggered difference-in-differences",
    },
    "status": {
        "on_track": "On track",
        "at_risk": "At risk",
        "off_track": "Off track",
        "no_target": "No target",
        "no_data": "No data",
    },
    "cluster_type": {"traded": "Traded", "local": "Local"},
    "kind": {
        "firm": "Firms",
        "university": "Universities",
        "agency": "Agencies",
        "research": "Research institutes",
        "research_institute": "Research institutes",
        "association": "Associations",
        "service_provider": "Service providers",
        "finance": "Financiers",
        "intermediary": "Intermediaries",
    },
}

#: Names of results tables (downloads, notes); others are humanised.
TABLE_LABELS = {
    "cimbt_components": "CIMBT components",
    "cimbt_areas": "CIMBT areas",
    "cimbt_overall": "CIMBT overall",
    "cimbt_insight_execution": "CIMBT insight vs execution",
    "bigfive_factors": "Big-five factors",
    "bigfive_platform": "Big-five platform",
    "member_effects": "Member effects",
    "peer_comparison": "The cluster in every region",
    "cluster_portfolio": "Cluster portfolio of the region",
    "top_clusters": "Top clusters of the region",
    "network_group_densities": "Tie density between kinds of actors",
}


def table_label(name: str) -> str:
    """Name a results table for people.

    Parameters
    ----------
    name : str
        The table name as saved (``cimbt_areas``).

    Returns
    -------
    str
        Its entry in :data:`TABLE_LABELS`, else the name humanised.

    Examples
    --------
    >>> table_label("cimbt_areas")
    'CIMBT areas'
    """
    if name in TABLE_LABELS:
        return TABLE_LABELS[name]
    text = humanise(name)
    return text.replace("Cimbt", "CIMBT").replace("Bigfive", "Big-five")


#: Columns that carry the same values as another dictionary entry.
_VALUE_ALIASES = {"kind_from": "kind", "kind_to": "kind"}

_SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def humanise(name: object) -> str:
    """Turn a code into readable words, the fallback when a code has no label.

    Parameters
    ----------
    name : object
        A code, usually snake_case text.

    Returns
    -------
    str
        Underscores and dashes as spaces, the first letter capitalised.

    Examples
    --------
    >>> humanise("export_share_change")
    'Export share change'
    """
    text = re.sub(r"[_]+", " ", str(name)).strip()
    return text[:1].upper() + text[1:] if text else text


def label(column: str) -> str:
    """Give the label of a column.

    Parameters
    ----------
    column : str
        A column name of a results table.

    Returns
    -------
    str
        Its label in :data:`LABELS`; a humanised column name if it has no entry.

    Examples
    --------
    >>> label("employment"), label("my_new_measure")
    ('Employment', 'My new measure')
    """
    entry = LABELS.get(column)
    return entry.label if entry else humanise(column)


def unit(column: str) -> str:
    """Give the unit of a column.

    Parameters
    ----------
    column : str
        A column name.

    Returns
    -------
    str
        The unit; ``""`` when it has none or no entry.

    Examples
    --------
    >>> unit("employment")
    'jobs'
    """
    entry = LABELS.get(column)
    return entry.unit if entry else ""


def explain(column: str) -> str:
    """Give the one-line explanation of a column.

    Parameters
    ----------
    column : str
        A column name.

    Returns
    -------
    str
        The explanation; ``""`` when it has none.

    Examples
    --------
    >>> explain("employment")
    'Number of jobs in the cluster and region.'
    """
    entry = LABELS.get(column)
    return entry.note if entry else ""


def is_detail(column: str) -> bool:
    """Tell whether a column is technical detail, shown only in downloads.

    Parameters
    ----------
    column : str
        A column name.

    Returns
    -------
    bool
        True for technical columns (``run_id``, ``region_type`` …).

    Examples
    --------
    >>> is_detail("run_id"), is_detail("employment")
    (True, False)
    """
    entry = LABELS.get(column)
    return bool(entry and entry.detail)


def header(column: str, *, formatted: bool = True) -> str:
    """Write a column's header: ``Label (unit)``.

    Parameters
    ----------
    column : str
        A column name.
    formatted : bool, default True
        Headers of formatted values (shares shown as %). With ``False`` (a download holding
        numbers) a share says how it is written (0.05 = 5 %).

    Returns
    -------
    str
        The header.

    Examples
    --------
    >>> header("employment")
    'Employment (jobs)'
    >>> header("growth", formatted=False)
    'Employment growth (share; 0.05 = 5 %)'
    """
    u = unit(column)
    kind = LABELS[column].kind if column in LABELS else "number"
    if kind == "share" and not formatted:
        return f"{label(column)} (share; 0.05 = 5 %)"
    if not u or kind in ("text", "flag") or u.lower() in label(column).lower():
        return label(column)  # "Firms", not "Firms (firms)"
    return f"{label(column)} ({u})"


def value_label(column: str, value: object, names: Names | None = None) -> str:
    """Write a code value as words.

    Status, method and kind codes get their words; cluster, region and initiative codes their
    names from ``names``.

    Parameters
    ----------
    column : str
        The column the value is in (says what kind of code it is).
    value : object
        The value.
    names : Names, optional
        Names for cluster, region and initiative codes. Default ``None``: no names known.

    Returns
    -------
    str
        The words; the value as text when there are none.

    Examples
    --------
    >>> value_label("status", "on_track")
    'On track'
    >>> value_label("region", "D01", Names(regions={"D01": "Northport"}))
    'Northport'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = str(value)
    names = names if names is not None else Names()
    if column == "region":
        return names.region(text)
    if column == "cluster":
        return names.cluster(text)
    if column in ("initiative", "run_cluster"):
        return names.initiative(text)
    words = VALUES.get(_VALUE_ALIASES.get(column, column), {})
    if text in words:
        return words[text]
    if column == "outcome":
        return humanise(text)
    return text


def format_value(value: object, column: str = "", *, with_unit: bool = False) -> str:
    """Write one value as text for a page.

    Thousands separators for counts, % for shares (one decimal), 2 decimals for scores,
    ``<0.001`` for tiny p-values, yes/no for flags, other numbers to three significant digits;
    years and codes as they are; missing → "".

    Parameters
    ----------
    value : object
        The value.
    column : str, default ""
        Its column (decides the format through :data:`LABELS`).
    with_unit : bool, default False
        Append the column's unit.

    Returns
    -------
    str
        The formatted value.

    Examples
    --------
    >>> format_value(12345.0, "employment", with_unit=True)
    '12,345 jobs'
    >>> format_value(0.0523, "growth")
    '5.2 %'
    >>> format_value(3.456, "mean")
    '3.46'
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    kind = LABELS[column].kind if column in LABELS else "number"
    if kind == "text":  # years, periods, codes: never "2,021"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, bool) or kind == "flag":
        if isinstance(value, str):
            return value
        return "yes" if bool(value) else "no"
    if not isinstance(value, int | float) or isinstance(value, bool):
        if not isinstance(value, str | bytes | bytearray | SupportsFloat | SupportsIndex):
            return str(value)  # float() would reject it
        try:
            value = float(value)  # numpy scalars
        except (TypeError, ValueError):
            return str(value)
    v = float(value)
    if kind == "share":
        text = f"{100 * v:,.1f} %"
        return text
    if kind == "percent":
        text = f"{v:,.1f} %"
        return text
    if kind == "p":
        return "<0.001" if v < 0.001 else f"{v:.3f}"
    if kind == "count" or (v.is_integer() and abs(v) >= 1) or abs(v) >= 1000:
        text = f"{v:,.0f}"
    elif kind == "score":
        text = f"{v:.2f}"
    else:
        text = f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    u = unit(column)
    return f"{text} {u}" if with_unit and u and kind not in ("text",) else text


def describe(columns: Iterable[str]) -> pd.DataFrame:
    """Build the notes table of a download: what each column holds.

    Parameters
    ----------
    columns : iterable of str
        The columns of the table.

    Returns
    -------
    pandas.DataFrame
        One row per column: ``column, label, unit, explanation``.

    Examples
    --------
    >>> describe(["employment", "lq"])[["column", "label", "unit"]]
           column              label  unit
    0  employment         Employment  jobs
    1          lq  Location quotient
    """
    cols = list(columns)
    return pd.DataFrame(
        {
            "column": cols,
            "label": [label(c) for c in cols],
            "unit": [unit(c) for c in cols],
            "explanation": [explain(c) for c in cols],
        }
    )


@dataclass(frozen=True)
class Names:
    """Names for codes, used to show tables to people.

    Parameters
    ----------
    initiatives : mapping, optional
        Run folder / initiative id → full name (e.g. the parameter file's ``cluster_name``).
    regions : mapping, optional
        Region code → name.
    clusters : mapping, optional
        Industry-cluster code → name.
    home : mapping, optional
        Initiative id → its region code.
    focus : mapping, optional
        Initiative id → its industry-cluster code.



    Examples
    --------
    >>> names = Names(regions={"D01": "Northport"})
    >>> names.region("D01"), names.initiative("northport_maritime")
    ('Northport', 'Northport Maritime')
    """

    initiatives: Mapping[str, str] = field(default_factory=dict)
    regions: Mapping[str, str] = field(default_factory=dict)
    clusters: Mapping[str, str] = field(default_factory=dict)
    home: Mapping[str, str] = field(default_factory=dict)
    focus: Mapping[str, str] = field(default_factory=dict)

    def initiative(self, code: str) -> str:
        """Full name of an initiative; an unknown id is humanised (never shown raw)."""
        code = str(code)
        return self.initiatives.get(code) or re.sub(r"[_-]+", " ", code).strip().title()

    def region(self, code) -> str:
        """Name of a region code; the code itself when unknown."""
        return self.regions.get(str(code), str(code))

    def cluster(self, code) -> str:
        """Name of an industry-cluster code; humanised when unknown."""
        code = str(code)
        return self.clusters.get(code) or humanise(code)

    def merged(self, other: Names) -> Names:
        """These names, completed by ``other`` (ours win)."""
        return Names(
            {**other.initiatives, **self.initiatives},
            {**other.regions, **self.regions},
            {**other.clusters, **self.clusters},
            {**other.home, **self.home},
            {**other.focus, **self.focus},
        )

    @classmethod
    def from_tables(
        cls,
        *,
        regions: pd.DataFrame | None = None,
        definitions: pd.DataFrame | None = None,
        initiatives: pd.DataFrame | None = None,
        results: Mapping[str, pd.DataFrame] | None = None,
    ) -> Names:
        """Names from a regions table (``region, region_name``), a definitions table
        (``cluster, cluster_name``), an initiatives table (``initiative, initiative_name,
        region``) and any results table carrying name columns beside codes."""
        reg, clu, ini, home, focus = {}, {}, {}, {}, {}
        for df in (results or {}).values():
            reg.update(_pairs(df, "region", "region_name"))
            clu.update(_pairs(df, "cluster", "cluster_name"))
        if regions is not None:
            reg.update(_pairs(regions, "region", "region_name"))
        if definitions is not None:
            clu.update(_pairs(definitions, "cluster", "cluster_name"))
        if initiatives is not None:
            ini.update(_pairs(initiatives, "initiative", "initiative_name"))
            home.update(_pairs(initiatives, "initiative", "region"))
            focus.update(_pairs(initiatives, "initiative", "cluster"))
        return cls(ini, reg, clu, home, focus)


def _pairs(df: pd.DataFrame, key: str, name: str) -> dict[str, str]:
    if df is None or key not in df.columns or name not in df.columns:
        return {}
    sub = df[[key, name]].dropna().astype(str)
    sub = sub[sub[name].str.strip() != ""]
    return dict(zip(sub[key], sub[name], strict=True))


#: Columns listed first when a table is shown (the rest follow in their order).
_FIRST = (
    "region",
    "cluster",
    "initiative",
    "relation",
    "kind",
    "area",
    "component",
    "factor",
    "indicator",
    "perspective",
    "outcome",
    "method",
    "year",
    "period",
)
#: Columns replaced by their name column when both are present.
_NAME_OF = {
    "component": "component_name",
    "factor": "factor_name",
    "area": "area_name",
    "indicator": "indicator_name",
}


def relabel(
    table: pd.DataFrame,
    *,
    names: Names | None = None,
    shown: bool = False,
    max_columns: int = 8,
    formatted: bool = False,
) -> pd.DataFrame:
    """Copy a table for people: codes as names, headers as labels (with units).

    Parameters
    ----------
    table : pandas.DataFrame
        A results table (never modified).
    names : Names, optional
        Cluster/region/initiative names for code columns. Default ``None``.
    shown : bool, default False
        Keep only the meaningful columns (no technical detail, at most ``max_columns``, a
        code column dropped when its name column is present) — the on-page table; the
        download keeps them all.
    max_columns : int, default 8
        Most columns kept when ``shown``.
    formatted : bool, default False
        Values as text with thousands separators and % (for display; numbers otherwise).

    Returns
    -------
    pandas.DataFrame
        Same rows; columns renamed to labels (a unit in brackets where there is one).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["D01"], "employment": [12345.0], "lq": [1.234]})
    >>> relabel(t, names=Names(regions={"D01": "Northport"}), formatted=True)
          Region Employment (jobs) Location quotient
    0  Northport            12,345              1.23
    """
    df = table.copy()
    df = named(df, names=names, drop_name_columns=shown)
    if shown:
        df = df[shown_columns(df.columns, max_columns=max_columns)]
    if formatted:
        for col in df.columns:
            if pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
                df[col] = [format_value(v, col) for v in df[col]]
    headers = {c: header(c, formatted=formatted) for c in df.columns}
    # two columns with the same label (e.g. n_nodes and nodes) keep their names apart
    seen: dict[str, int] = {}
    for c, h in list(headers.items()):
        seen[h] = seen.get(h, 0) + 1
        if seen[h] > 1:
            headers[c] = f"{h} [{c}]"
    return df.rename(columns=headers)


def looks_like_code(text: str) -> bool:
    """Tell whether a text looks like a code a reader should not see.

    Parameters
    ----------
    text : str
        A header or value.

    Returns
    -------
    bool
        True for snake_case identifiers such as ``n_firms``.

    Examples
    --------
    >>> looks_like_code("n_firms"), looks_like_code("Employment")
    (True, False)
    """
    return bool(_SNAKE.match(str(text)))


#: Columns whose values are codes with words or names.
CODE_COLUMNS = (
    "region",
    "cluster",
    "initiative",
    "run_cluster",
    "outcome",
    *VALUES,
    *_VALUE_ALIASES,
)


def named(
    table: pd.DataFrame, *, names: Names | None = None, drop_name_columns: bool = False
) -> pd.DataFrame:
    """Copy a table with codes replaced by words and names.

    Status, method and kind codes become words; a code column with a name column next to it
    (``component`` and ``component_name`` …) takes the names.

    Parameters
    ----------
    table : pandas.DataFrame
        A results table (never modified).
    names : Names, optional
        Cluster/region/initiative names. Default ``None``.
    drop_name_columns : bool, default False
        Drop the ``*_name`` columns whose names were used.

    Returns
    -------
    pandas.DataFrame
        Same rows and column names; code values as words.

    Examples
    --------
    >>> t = pd.DataFrame({"method": ["did"], "status": ["on_track"]})
    >>> named(t).iloc[0].tolist()
    ['Difference-in-differences', 'On track']
    """
    df = table.copy()
    for code, name_col in _NAME_OF.items():
        if code in df.columns and name_col in df.columns:
            ok = df[name_col].notna() & (df[name_col].astype(str) != "")
            df[code] = df[name_col].where(ok, df[code])
            if drop_name_columns:
                df = df.drop(columns=name_col)
    for col in df.columns:
        if col in CODE_COLUMNS and not pd.api.types.is_bool_dtype(df[col]):
            df[col] = [value_label(col, v, names) for v in df[col]]
        elif (
            pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col])
        ) and col not in ("run_id",):
            # snake_case codes in text columns read as words ("insight_strategy")
            df[col] = [
                humanise(v)
                if isinstance(v, str) and "_" in v and " " not in v.replace(", ", "")
                else v
                for v in df[col]
            ]
    return df


def shown_columns(columns: Iterable[str], *, max_columns: int = 8) -> list[str]:
    """Pick the meaningful columns of a table, in reading order.

    Keys first, no technical detail, at most ``max_columns``; the download keeps all.

    Parameters
    ----------
    columns : iterable of str
        The columns of the table.
    max_columns : int, default 8
        Most columns kept.

    Returns
    -------
    list of str
        The columns to show.

    Examples
    --------
    >>> shown_columns(["run_id", "region", "employment", "lq"])
    ['region', 'employment', 'lq']
    """
    keep = [c for c in columns if not is_detail(c) and c != "suppressed"]
    first = [c for c in _FIRST if c in keep]
    return (first + [c for c in keep if c not in first])[:max_columns]
