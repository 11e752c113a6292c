"""What each analysis needs: one declaration read by ``clusterlab validate``, the runner and the
notebooks.

An *analysis* is one notebook (``mapping`` is ``01_cluster_mapping`` …). Each declares the input
tables it reads (the data contracts of :mod:`clusterlab.schemas`, through the ``<table>_file``
parameter keys), which of them must hold rows of *this* cluster (``initiative`` column equal to
the parameter file's ``cluster``), the codes its parameters name (a region, a cluster, a relation
…) and the minimum number of firms, raters, actors or periods it can work with.

:func:`assess` checks one cluster's parameters against those needs and returns, per analysis,

- ``ready`` — everything is there;
- ``skip`` — inputs for this cluster are absent (no rows for the cluster id, too few firms …):
  the runner skips the notebook and records the reason in the manifest and the run index;
- ``invalid`` — a parameter names something the data do not have (a region ``D99``, a relation
  ``foo``) or a data file breaks its contract: ``validate`` lists it with close matches and the
  runner stops before anything runs.

Examples
--------
>>> from clusterlab.analyses import assess
>>> report = assess({"cluster": "harbour_city"}, analyses=["cimbt"])
>>> report.table[["analysis", "status"]].to_string(index=False)
'analysis status\\n   cimbt   skip'
>>> print(report.table.loc[0, "reason"])  # doctest: +NORMALIZE_WHITESPACE
ratings: no rows for cluster 'harbour_city' (column 'initiative'; it has
eastshire_medtech, northport_maritime, valley_foodtech)
"""

from __future__ import annotations

import difflib
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab.errors import (
    ClusterlabError,
    DataValidationError,
    ParameterError,
    UnmappedWarning,
)

__all__ = [
    "Analysis",
    "Need",
    "ANALYSES",
    "Readiness",
    "assess",
    "analysis_for_notebook",
    "require",
    "cluster_rows",
]

#: Column holding the cluster (initiative) id in every per-cluster table.
CLUSTER_COLUMN = "initiative"


@dataclass(frozen=True)
class Need:
    """One input table of an analysis.

    Parameters
    ----------
    table : str
        The contract (schema) name and the stem of the parameter key (``<table>_file``).
    per_cluster : bool, default True
        The analysis needs rows whose ``initiative`` is the cluster id (a table without that
        column is taken as the cluster's own table).
    columns : tuple of str, default ()
        Optional columns of the contract the analysis needs too.

    Attributes
    ----------
    key : str
        The parameter key naming the table's file, ``<table>_file``.

    Examples
    --------
    >>> from clusterlab.analyses import Need
    >>> Need("ratings").key
    'ratings_file'
    """

    table: str
    per_cluster: bool = True
    columns: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.table}_file"


@dataclass(frozen=True)
class Analysis:
    """An analysis (one notebook): its inputs and its per-cluster checks.

    Parameters
    ----------
    name : str
        The analysis name used in parameter files (``analyses: [cimbt, ...]``).
    notebook : str
        The notebook's stem (``03_cimbt``).
    title : str
        The title for people.
    needs : tuple of Need
        The input tables.
    minimum : tuple of (str, int), default ()
        Smallest counts the analysis needs (``("raters", 1)``), checked by ``check``.
    check : callable, optional
        ``check(context)``, called with the internal context of :func:`assess` (the
        cluster's tables); it marks a cluster whose data cannot support the analysis as
        ``skip`` or ``invalid``. Default ``None``: no check beyond the needs.

    Examples
    --------
    >>> from clusterlab.analyses import ANALYSES
    >>> ANALYSES["cimbt"].summary()[["analysis", "notebook", "table", "parameter"]]
      analysis  notebook    table     parameter
    0    cimbt  03_cimbt  ratings  ratings_file
    """

    name: str
    notebook: str
    title: str
    needs: tuple[Need, ...]
    minimum: tuple[tuple[str, int], ...] = ()
    check: Callable | None = field(default=None, repr=False, compare=False)

    def summary(self) -> pd.DataFrame:
        """The needs as a table: one row per input table."""
        return pd.DataFrame(
            [
                {
                    "analysis": self.name,
                    "notebook": self.notebook,
                    "table": n.table,
                    "parameter": n.key,
                    "rows_of_this_cluster": n.per_cluster,
                    "columns": ", ".join(n.columns),
                }
                for n in self.needs
            ]
        )


@dataclass(frozen=True)
class Readiness:
    """The result of :func:`assess`: which analyses can run for a cluster, and why not.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per analysis: ``analysis, notebook, status (ready|skip|invalid), reason``.
    problems : pandas.DataFrame
        What makes an analysis ``invalid`` or ``skip``, as the problems table
        (``file, row, column, expected, found``) plus ``analysis`` and ``status``.
    resolved : pandas.DataFrame
        The input files read: ``table, parameter, path`` (``demo`` for the demo data).

    Examples
    --------
    >>> from clusterlab.analyses import assess
    >>> report = assess({"cluster": "harbour_city"}, analyses=["cimbt"])
    >>> report.status("cimbt")
    'skip'
    >>> report.problems[["file", "analysis", "status"]]
          file analysis status
    0  ratings    cimbt   skip
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    resolved: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def status(self, analysis: str) -> str:
        row = self.table[self.table["analysis"] == analysis]
        return str(row["status"].iloc[0]) if len(row) else "ready"

    def reason(self, analysis: str) -> str:
        row = self.table[self.table["analysis"] == analysis]
        return str(row["reason"].iloc[0]) if len(row) else ""


_TABLES: dict = {}  # tables read during this process, by (name, path, mtime, size, widths)


class _Context:
    """Tables of one parameter set, read once and shared by the checks."""

    def __init__(self, parameters: dict, tables: dict | None):
        self.parameters = parameters
        self.cluster = str(parameters.get("cluster", ""))
        self.given = dict(tables or {})
        self.cache: dict[str, pd.DataFrame | Exception] = {}
        self.sources: dict[str, str] = {}

    def table(self, name: str) -> pd.DataFrame:
        if name in self.given:
            self.sources.setdefault(name, str(self.parameters.get(f"{name}_file") or name))
            return self.given[name]
        if name not in self.cache:
            from clusterlab import io

            path = self.parameters.get(f"{name}_file") or None
            self.sources[name] = str(path) if path else f"the demo {name} table"
            widths = self.parameters.get("code_widths") or {}
            try:
                stat = os.stat(path) if path else None
                key = (
                    name,
                    str(path),
                    stat and (stat.st_mtime_ns, stat.st_size),
                    tuple(sorted(widths.items())),
                )
            except OSError:
                key = None
            if key is not None and key in _TABLES:
                self.cache[name] = _TABLES[key]
            else:
                try:
                    self.cache[name] = io.load_input(name, path, code_widths=widths)
                except ClusterlabError as exc:
                    self.cache[name] = exc
                if key is not None:
                    if len(_TABLES) > 32:
                        _TABLES.clear()
                    _TABLES[key] = self.cache[name]
        found = self.cache[name]
        if isinstance(found, Exception):
            raise found
        return found


class _SkipError(Exception):
    pass


class _InvalidError(Exception):
    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems


def _close(value, known: Iterable) -> str:
    known = sorted({str(k) for k in known if pd.notna(k)})
    close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
    shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
    return f"{hint}known: {shown}" if known else "the table is empty"


def _invalid(file, key, value, known, what):
    message = f"{key}: {what} {value!r} is not in {file} ({_close(value, known)})"
    raise _InvalidError(
        message,
        problem_frame(
            [
                {
                    "file": str(file),
                    "column": key,
                    "expected": f"a {what} of {file}",
                    "found": f"{value!r}; {_close(value, known)}",
                }
            ]
        ),
    )


def cluster_rows(table: pd.DataFrame, cluster: str, *, name: str = "table") -> pd.DataFrame:
    """Select the rows of a table that belong to a cluster (``initiative`` column).

    Parameters
    ----------
    table : pandas.DataFrame
        An input table.
    cluster : str
        The cluster id.
    name : str, default "table"
        The table's name; accepted for the callers' symmetry, not used in the selection.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``initiative`` is ``cluster`` (same columns); the whole table when it
        has no ``initiative`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"initiative": ["a", "b", "a"], "x": [1, 2, 3]})
    >>> cluster_rows(t, "a")["x"].tolist()
    [1, 3]
    """
    if CLUSTER_COLUMN not in table.columns:
        return table
    return table[table[CLUSTER_COLUMN].astype("string") == str(cluster)]


def _own(ctx: _Context, name: str) -> pd.DataFrame:
    table = ctx.table(name)
    rows = cluster_rows(table, ctx.cluster, name=name)
    if rows.empty:
        if CLUSTER_COLUMN in table.columns:
            have = sorted(table[CLUSTER_COLUMN].dropna().astype(str).unique())
            shown = ", ".join(have[:8]) + (" …" if len(have) > 8 else "")
            raise _SkipError(
                f"{name}: no rows for cluster {ctx.cluster!r} (column "
                f"'{CLUSTER_COLUMN}'; it has {shown or 'no ids'})"
            )
        raise _SkipError(f"{name}: the table has no rows")
    return rows


def _at_least(what: str, n: int, minimum: int, table: str):
    if n < minimum:
        raise _SkipError(
            f"{table}: {n} {what} for this cluster; the analysis needs at least {minimum}"
        )


# ----------------------------------------------------------------------------- the checks
def _check_mapping(ctx: _Context) -> None:
    p = ctx.parameters
    region, focus = p.get("mapping_region"), p.get("mapping_cluster")
    if region is None or focus is None:
        initiatives = ctx.table("initiatives")
        row = initiatives[initiatives["initiative"].astype("string") == ctx.cluster]
        if row.empty:
            raise _SkipError(
                f"initiatives: no row for cluster {ctx.cluster!r} (column "
                "'initiative') — add the row (initiative, cluster, region) or set "
                "mapping_region and mapping_cluster"
            )
        for col, given in (("region", region), ("cluster", focus)):
            if given is None and (col not in row.columns or pd.isna(row[col].iloc[0])):
                raise _SkipError(
                    f"initiatives: no {col} for cluster {ctx.cluster!r}; set mapping_{col}"
                )
        region = region if region is not None else str(row["region"].iloc[0])
        focus = focus if focus is not None else str(row["cluster"].iloc[0])
    regions = ctx.table("regions")
    if region not in set(regions["region"].astype(str)):
        _invalid(
            ctx.sources.get("regions", "regions"),
            "mapping_region",
            region,
            regions["region"],
            "region",
        )
    definitions = ctx.table("definitions")
    if focus not in set(definitions["cluster"].astype(str)):
        _invalid(
            ctx.sources.get("definitions", "definitions"),
            "mapping_cluster",
            focus,
            definitions["cluster"],
            "cluster",
        )
    for peer in p.get("mapping_peers") or []:
        if str(peer) not in set(regions["region"].astype(str)):
            _invalid(
                ctx.sources.get("regions", "regions"),
                "mapping_peers",
                peer,
                regions["region"],
                "region",
            )
    rtype = p.get("mapping_region_type")
    if rtype is not None and rtype not in set(regions["region_type"].astype(str)):
        _invalid(
            ctx.sources.get("regions", "regions"),
            "mapping_region_type",
            rtype,
            regions["region_type"],
            "region type",
        )
    if p.get("employment_file"):  # the demo employment table is known to be complete
        employment = ctx.table("employment")
        if employment.empty:
            raise _SkipError("employment: the table has no rows")
        _check_coverage(ctx, employment, definitions)
        if region not in set(employment["region"].astype(str)):
            parents = (
                set(
                    regions.loc[
                        regions.get("parent", pd.Series(dtype=str)).astype(str) == region, "region"
                    ].astype(str)
                )
                if "parent" in regions.columns
                else set()
            )
            if not parents & set(employment["region"].astype(str)):
                raise _SkipError(
                    f"employment: no rows for region {region!r} (nor for regions "
                    "whose parent it is)"
                )


def _check_coverage(ctx: _Context, employment: pd.DataFrame, definitions: pd.DataFrame) -> None:
    """Employment whose industry has no definition is left out of the mapping: none mapped is
    an error (wrong definitions, or codes that lost their leading zeros), some is a warning."""
    known = set(definitions["industry"].astype(str))
    mapped = employment["industry"].astype(str).isin(known).to_numpy()
    total = float(employment["employment"].sum())
    lost = float(employment.loc[~mapped, "employment"].sum())
    if total <= 0 or lost <= 0:
        return
    source = ctx.sources.get("definitions", "definitions")
    examples = ", ".join(sorted(employment.loc[~mapped, "industry"].astype(str).unique())[:5])
    widths = ctx.parameters.get("code_widths") or {}
    if "industry" in employment.attrs.get("numeric_codes", ()) and "industry" not in widths:
        raise _InvalidError(
            f"employment: industry codes are stored as numbers and {lost / total:.1%} of "
            f"employment has no definition in {source} (e.g. {examples}): declare their width "
            "(code_widths: {industry: N}) or store them as text",
            problem_frame(
                [
                    {
                        "file": ctx.sources.get("employment", "employment"),
                        "column": "industry",
                        "expected": "codes as text, or code_widths",
                        "found": f"numbers; {lost / total:.1%} of employment unmapped "
                        f"(e.g. {examples})",
                    }
                ]
            ),
        )
    if lost >= total:
        raise _InvalidError(
            f"employment: no industry code is in {source} (e.g. {examples}); wrong definitions "
            "file, or codes that lost their leading zeros (code_widths)",
            problem_frame(
                [
                    {
                        "file": ctx.sources.get("employment", "employment"),
                        "column": "industry",
                        "expected": f"industry codes of {source}",
                        "found": f"none of them (e.g. {examples})",
                    }
                ]
            ),
        )
    warnings.warn(
        f"employment: {lost / total:.1%} of employment has an industry without a "
        f"definition in {source} (e.g. {examples}); the mapping leaves it out",
        UnmappedWarning,
        stacklevel=2,
    )


def _check_networks(ctx: _Context) -> None:
    p = ctx.parameters
    nodes = _own(ctx, "nodes")
    edges = _own(ctx, "edges")
    _own(ctx, "participation")
    _at_least("actors", len(nodes), 3, "nodes")
    relation = p.get("network_relation", "knowledge")
    if "tie_type" in edges.columns:
        have = set(edges["tie_type"].dropna().astype(str))
        if relation not in have:
            _invalid(
                ctx.sources.get("edges", "edges"),
                "network_relation",
                relation,
                have,
                "relation (tie_type) of this cluster",
            )
    wave = p.get("network_wave")
    if (
        wave is not None
        and "wave" in edges.columns
        and wave not in set(edges["wave"].dropna().astype(int))
    ):
        _invalid(
            ctx.sources.get("edges", "edges"),
            "network_wave",
            wave,
            edges["wave"].dropna().astype(int).unique(),
            "wave of this cluster",
        )
    attribute = p.get("network_group_attribute", "kind")
    if attribute not in nodes.columns:
        _invalid(
            ctx.sources.get("nodes", "nodes"),
            "network_group_attribute",
            attribute,
            nodes.columns,
            "column",
        )


def _instrument_check(instrument_key: str, default: str):
    def check(ctx: _Context) -> None:
        ratings = _own(ctx, "ratings")
        name = ctx.parameters.get(instrument_key, default)
        if "instrument" in ratings.columns and name in ("cimbt", "bigfive"):
            ratings = ratings[ratings["instrument"].astype(str) == name]
            if ratings.empty:
                raise _SkipError(
                    f"ratings: no {name} ratings for cluster {ctx.cluster!r} (column 'instrument')"
                )
        _at_least("raters", ratings["rater"].nunique(), 1, "ratings")

    return check


def _check_compare(ctx: _Context) -> None:
    p = ctx.parameters
    panel = _own(ctx, "firm_panel")
    members = panel.loc[panel["member"] == 1, "firm"].nunique()
    others = panel.loc[panel["member"] == 0, "firm"].nunique()
    _at_least("member firms", members, 2, "firm_panel")
    _at_least("non-member firms", others, 2, "firm_panel")
    _at_least("periods", panel["period"].nunique(), 2, "firm_panel")
    source = ctx.sources.get("firm_panel", "firm_panel")
    outcomes = p.get("compare_outcomes") or ["employment", "turnover", "export_share", "innovation"]
    for key, names in (
        ("compare_outcomes", outcomes),
        ("compare_covariates", p.get("compare_covariates") or []),
    ):
        for name in names:
            if name not in panel.columns:
                _invalid(source, key, name, panel.columns, "column")
    main = p.get("compare_main_outcome")
    if main is not None and main not in outcomes:
        _invalid("compare_outcomes", "compare_main_outcome", main, outcomes, "outcome")


def _check_cross_initiative(ctx: _Context) -> None:
    p = ctx.parameters
    _own(ctx, "firm_panel")  # the cluster's own initiative is among those compared
    panel = ctx.table("firm_panel")
    ctx.table("ratings")
    source = ctx.sources.get("firm_panel", "firm_panel")
    n = panel[CLUSTER_COLUMN].nunique() if CLUSTER_COLUMN in panel.columns else 0
    if n < 2:
        raise _SkipError(
            f"firm_panel: {n} initiative(s) (column 'initiative'); comparing "
            "initiatives needs at least 2"
        )
    outcome = p.get("cross_outcome", "employment")
    if outcome not in panel.columns:
        _invalid(source, "cross_outcome", outcome, panel.columns, "column")
    if "join_year" not in panel.columns:
        raise _SkipError(
            "firm_panel: no 'join_year' column (the year each member joined), "
            "which the per-initiative effects need"
        )


def _check_scorecard(ctx: _Context) -> None:
    _own(ctx, "indicators")
    _own(ctx, "firms")
    _own(ctx, "firm_panel")
    initiatives = ctx.table("initiatives")
    if not (initiatives["initiative"].astype("string") == ctx.cluster).any():
        raise _SkipError(f"initiatives: no row for cluster {ctx.cluster!r} (column 'initiative')")


_MAPPING_TABLES = (
    Need("employment", per_cluster=False),
    Need("definitions", per_cluster=False),
    Need("regions", per_cluster=False),
    Need("initiatives"),
)

#: Every analysis, in notebook order.
ANALYSES: dict[str, Analysis] = {
    a.name: a
    for a in [
        Analysis(
            "mapping",
            "01_cluster_mapping",
            "Cluster mapping",
            _MAPPING_TABLES,
            check=_check_mapping,
        ),
        Analysis(
            "networks",
            "02_network_analysis",
            "Network analysis",
            (Need("nodes"), Need("edges", columns=("tie_type",)), Need("participation")),
            minimum=(("actors", 3),),
            check=_check_networks,
        ),
        Analysis(
            "cimbt",
            "03_cimbt",
            "CIMBT initiative scoring",
            (Need("ratings"),),
            minimum=(("raters", 1),),
            check=_instrument_check("cimbt_instrument", "cimbt"),
        ),
        Analysis(
            "bigfive",
            "04_big_five",
            "Big-five stages",
            (Need("ratings"),),
            minimum=(("raters", 1),),
            check=_instrument_check("bigfive_instrument", "bigfive"),
        ),
        Analysis(
            "compare",
            "05_member_comparison",
            "Member vs non-member comparison",
            (Need("firm_panel"),),
            minimum=(("member firms", 2), ("non-member firms", 2), ("periods", 2)),
            check=_check_compare,
        ),
        Analysis(
            "scorecard",
            "06_scorecard",
            "Scorecard",
            (
                Need("indicators"),
                Need("firms"),
                Need("firm_panel"),
                Need("initiatives"),
                Need("employment", per_cluster=False),
                Need("definitions", per_cluster=False),
            ),
            check=_check_scorecard,
        ),
        Analysis(
            "cross_initiative",
            "07_cross_initiative",
            "Across initiatives",
            (Need("firm_panel", per_cluster=False), Need("ratings", per_cluster=False)),
            minimum=(("initiatives", 2),),
            check=_check_cross_initiative,
        ),
    ]
}


def analysis_for_notebook(notebook: str | os.PathLike) -> Analysis | None:
    """Find the analysis a notebook runs, matched by its stem (``01_cluster_mapping``).

    Parameters
    ----------
    notebook : str or path-like
        The notebook's path or name.

    Returns
    -------
    Analysis or None
        The analysis; ``None`` for a notebook that declares no needs (a user's own notebook
        runs unchecked).

    Examples
    --------
    >>> from clusterlab.analyses import analysis_for_notebook
    >>> analysis_for_notebook("notebooks/03_cimbt.ipynb").name
    'cimbt'
    >>> analysis_for_notebook("my_notebook.ipynb") is None
    True
    """
    stem = os.path.basename(str(notebook)).removesuffix(".ipynb")
    for analysis in ANALYSES.values():
        if analysis.notebook == stem:
            return analysis
    return None


def assess(
    parameters: dict,
    *,
    analyses: Iterable[str] | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
) -> Readiness:
    """Check whether each analysis has its inputs for the cluster ``parameters["cluster"]``.

    Parameters
    ----------
    parameters : dict
        Loaded parameters (:func:`clusterlab.params.load_parameters`); ``<table>_file`` keys
        not set mean the demo tables.
    analyses : iterable of str, optional
        Analyses to check. Default ``None``: ``parameters["analyses"]`` or every analysis.
    tables : dict, optional
        Tables already read (``{"nodes": frame}``), used instead of the files. Default ``None``.

    Returns
    -------
    Readiness
        ``.table`` (``analysis, notebook, status, reason``), ``.problems`` (``file, row,
        column, expected, found, analysis, status``) and ``.resolved`` (``table, parameter,
        path``).

    Raises
    ------
    ParameterError
        When ``analyses`` names an unknown analysis.

    Examples
    --------
    >>> from clusterlab.analyses import assess
    >>> assess({"cluster": "northport_maritime"}, analyses=["cimbt", "bigfive"]).table
      analysis     notebook status reason
    0    cimbt     03_cimbt  ready
    1  bigfive  04_big_five  ready
    """
    names = list(analyses if analyses is not None else parameters.get("analyses") or list(ANALYSES))
    unknown = [n for n in names if n not in ANALYSES]
    if unknown:
        raise ParameterError(f"unknown analysis {unknown[0]!r}; known: {', '.join(ANALYSES)}")
    ctx = _Context(parameters, tables)
    rows, problems = [], []
    for name in names:
        analysis = ANALYSES[name]
        status, reason = "ready", ""
        try:
            for need in analysis.needs:  # unreadable / invalid files first, named as such
                ctx.table(need.table)
            if analysis.check is not None:
                analysis.check(ctx)
        except _SkipError as exc:
            status, reason = "skip", str(exc)
            problems.append(
                problem_frame(
                    [
                        {
                            "file": reason.split(":")[0],
                            "column": "initiative",
                            "expected": f"inputs for {name}",
                            "found": reason,
                        }
                    ]
                ).assign(analysis=name, status=status)
            )
        except _InvalidError as exc:
            status, reason = "invalid", str(exc)
            problems.append(exc.problems.assign(analysis=name, status=status))
        except DataValidationError as exc:
            status = "invalid"
            reason = str(exc.args[0] if exc.args else exc).splitlines()[0]
            problems.append(exc.problems.assign(analysis=name, status=status))
        except ClusterlabError as exc:
            status, reason = "invalid", str(exc).splitlines()[0]
            found = getattr(exc, "problems", None)
            if found is None or found.empty:
                found = problem_frame([{"expected": f"valid inputs for {name}", "found": reason}])
            problems.append(found.assign(analysis=name, status=status))
        rows.append(
            {"analysis": name, "notebook": analysis.notebook, "status": status, "reason": reason}
        )
    table = pd.DataFrame(rows, columns=["analysis", "notebook", "status", "reason"])
    probs = (
        pd.concat(problems, ignore_index=True)
        if problems
        else problem_frame([]).assign(
            analysis=pd.Series(dtype=object), status=pd.Series(dtype=object)
        )
    )
    resolved = pd.DataFrame(
        [{"table": t, "parameter": f"{t}_file", "path": src} for t, src in ctx.sources.items()],
        columns=["table", "parameter", "path"],
    )
    return Readiness(table=table, problems=probs, resolved=resolved)


def require(analysis: str, parameters: dict, **tables: pd.DataFrame) -> None:
    """Stop a notebook early, with the reason, when its inputs for this cluster are absent.

    For notebooks run interactively (the runner checks the same needs before it starts them).

    Parameters
    ----------
    analysis : str
        The analysis name (a key of :data:`ANALYSES`).
    parameters : dict
        The notebook's parameters; ``parameters["cluster"]`` is the cluster.
    **tables : pandas.DataFrame
        Tables already read (``nodes=frame``), used instead of the files.

    Raises
    ------
    ParameterError
        When the analysis would be skipped or is invalid for ``parameters["cluster"]``; its
        ``.problems`` says what is missing.

    Examples
    --------
    >>> from clusterlab.errors import ParameterError
    >>> require("cimbt", {"cluster": "northport_maritime"})
    >>> try:
    ...     require("cimbt", {"cluster": "harbour_city"})
    ... except ParameterError as err:
    ...     print(err.problems.loc[0, "status"])
    skip
    """
    report = assess(parameters, analyses=[analysis], tables=tables or None)
    if report.status(analysis) != "ready":
        raise ParameterError(
            f"{analysis} for cluster {parameters.get('cluster')!r}: {report.reason(analysis)}",
            report.problems,
        )
