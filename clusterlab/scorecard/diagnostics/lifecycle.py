"""Life-cycle stage of a cluster from its employment and establishment trends.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard.diagnostics import lifecycle_stage
>>> s = pd.DataFrame({"year": range(2015, 2020),
...                   "employment": [100 * 1.05 ** t for t in range(5)],
...                   "establishments": [10 * 1.01 ** t for t in range(5)]})
>>> r = lifecycle_stage(s)
>>> r.loc[0, "stage"], round(float(r.loc[0, "employment_growth"]), 4)
('growing', 0.05)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import DataWarning, ParameterError
from clusterlab.scorecard.values import as_by

__all__ = ["lifecycle_stage", "cluster_series", "LIFECYCLE_STAGES", "annual_growth"]

#: Stages in life-cycle order, plus ``undetermined`` when the series is too short.
LIFECYCLE_STAGES = ("emerging", "growing", "mature", "declining", "undetermined")


def annual_growth(years, values) -> float:
    r"""Average annual growth rate from a log-linear least-squares fit.

    Parameters
    ----------
    years : array-like of int
        The years.
    values : array-like of float
        The series (employment, establishments …) in those years.

    Returns
    -------
    float
        :math:`e^{b} - 1`; NaN with fewer than two positive values in different years.

    Notes
    -----
    Fits :math:`\ln y_t = a + b t` and returns :math:`e^{b} - 1`; for an exactly geometric
    series this equals its growth rate. Non-positive values are left out.

    Examples
    --------
    >>> round(annual_growth([2019, 2020, 2021], [100.0, 110.0, 121.0]), 6)
    0.1
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    ok = np.isfinite(t) & np.isfinite(y) & (y > 0)
    if ok.sum() < 2 or np.unique(t[ok]).size < 2:
        return float("nan")
    return float(math.expm1(stats.linregress(t[ok], np.log(y[ok])).slope))


def cluster_series(
    employment: pd.DataFrame,
    definitions: pd.DataFrame,
    *,
    region: str,
    cluster: str,
    flag: str | None = "emp_flag",
    suppressed: str = "drop_industries",
) -> pd.DataFrame:
    """Yearly employment and establishments of one cluster in one region.

    Parameters
    ----------
    employment : pandas.DataFrame
        ``region, industry, year, employment`` (+ ``establishments`` and a suppression
        ``flag`` column, optional).
    definitions : pandas.DataFrame
        ``industry, cluster``.
    region, cluster : str
    flag : str, optional
        Column marking suppressed cells (their employment is not a real zero).
    suppressed : {"drop_industries", "keep"}
        ``"drop_industries"`` (default): industries with a suppressed cell in any year are
        left out of every year, so the series has a constant composition (listed in the
        column ``excluded_industries``); ``"keep"``: keep them and count the flagged cells
        per year in ``n_flagged`` (:func:`lifecycle_stage` then skips those years).

    Returns
    -------
    pandas.DataFrame
        ``year, employment, establishments, n_industries, n_flagged, excluded_industries``;
        ``excluded_industries`` lists the industries left out for suppressed cells, sorted
        and comma-separated, the same on every row (empty text when none).
        :func:`lifecycle_stage` names them in its evidence. (``attrs["excluded_industries"]``
        still holds them as a list for one release; deprecated, because pandas drops
        ``attrs`` on copies: read the column.)

    Examples
    --------
    >>> emp = pd.DataFrame({"region": "R", "industry": ["a", "a", "b", "b"],
    ...                     "year": [2020, 2021, 2020, 2021], "employment": [10, 12, 0, 5],
    ...                     "establishments": [2, 2, 1, 1], "emp_flag": [None, None, "A", None]})
    >>> defs = pd.DataFrame({"industry": ["a", "b"], "cluster": "c"})
    >>> s = cluster_series(emp, defs, region="R", cluster="c")
    >>> s["employment"].tolist(), s["excluded_industries"].iloc[0]
    ([10, 12], 'b')
    """
    check_frame(
        employment,
        required=["region", "industry", "year", "employment"],
        numeric=["employment"],
        name="employment",
    )
    check_frame(definitions, required=["industry", "cluster"], name="definitions")
    inds = set(definitions.loc[definitions["cluster"] == cluster, "industry"].astype(str))
    if not inds:
        raise ParameterError(f"cluster {cluster!r} has no industries in the definitions")
    sel = employment.loc[
        (employment["region"].astype(str) == str(region))
        & employment["industry"].astype(str).isin(inds)
    ].copy()
    if sel.empty:
        raise ParameterError(f"no employment for cluster {cluster!r} in region {region!r}")
    check_choice(suppressed, ["drop_industries", "keep"], argument="suppressed")
    sel["_flag"] = (
        sel[flag].notna() & (sel[flag].astype(str).str.strip() != "")
        if flag and flag in sel.columns
        else False
    )
    excluded: list[str] = []
    if suppressed == "drop_industries":
        excluded = sorted(sel.loc[sel["_flag"], "industry"].astype(str).unique())
        sel = sel.loc[~sel["industry"].astype(str).isin(excluded)]
        if sel.empty:
            raise ParameterError(
                f"every industry of cluster {cluster!r} in {region!r} has "
                "suppressed cells; use suppressed='keep'"
            )
    if "establishments" not in sel.columns:
        sel["establishments"] = np.nan
    out = (
        sel.groupby("year")
        .agg(
            employment=("employment", "sum"),
            establishments=("establishments", "sum"),
            n_industries=("industry", "nunique"),
            n_flagged=("_flag", "sum"),
        )
        .reset_index()
    )
    out["n_flagged"] = out["n_flagged"].astype(int)
    out["excluded_industries"] = pd.Series(", ".join(excluded), index=out.index, dtype=object)
    # deprecated: attrs kept for one release for code that read them; use the column
    out.attrs["excluded_industries"] = excluded
    return out


def lifecycle_stage(
    series: pd.DataFrame,
    *,
    year: str = "year",
    employment: str = "employment",
    establishments: str = "establishments",
    flagged: str | None = "n_flagged",
    excluded_industries: str | None = "excluded_industries",
    by: str | Sequence[str] | None = None,
    window: int = 5,
    growth: float = 0.01,
    entry: float = 0.02,
) -> pd.DataFrame:
    r"""Classify a cluster's life-cycle stage from its trends, with the rule and the evidence.

    Parameters
    ----------
    series : pandas.DataFrame
        Yearly ``employment`` and ``establishments`` (e.g. from :func:`cluster_series`).
    year, employment, establishments : str
        Column names.
    flagged : str, optional
        Column counting suppressed cells in a year; such years are left out of the fit
        (with a :class:`~clusterlab.errors.DataWarning`).
    excluded_industries : str, optional
        Column listing (comma-separated) the industries left out of the series, as
        :func:`cluster_series` returns it; the evidence names them. Default
        ``"excluded_industries"``, ignored when the column is absent.
    by : str or list of str, optional
        Grouping columns (one classification per group).
    window : int
        Number of most recent years used (default 5).
    growth : float
        Annual employment growth that separates growing / mature / declining
        (default 0.01 = 1 % a year).
    entry : float
        Annual growth of establishments that signals entry of new firms (default 0.02).

    Returns
    -------
    pandas.DataFrame
        ``[by…], stage, rule, employment_growth, establishment_growth, firm_size_growth,
        first_year, last_year, n_years, years_excluded, evidence``.

    Notes
    -----
    Growth rates are log-linear least-squares rates over the window (:func:`annual_growth`):
    :math:`g_E` for employment, :math:`g_N` for establishments. Rules, checked in this
    order (thresholds :math:`\gamma` = ``growth``, :math:`\epsilon` = ``entry``):

    * declining: :math:`g_E < -\gamma`;
    * emerging: :math:`g_N \ge \epsilon` and :math:`g_N > g_E` (firms enter faster than jobs
      grow, so the average firm gets smaller);
    * growing: :math:`g_E > \gamma`;
    * mature: otherwise (:math:`|g_E| \le \gamma`).

    The stages follow the cluster life-cycle literature [1]_; the thresholds are clusterlab
    defaults to be calibrated, not published cut-offs. A year with missing or zero employment
    cannot enter the log-linear fit: it is left out with a :class:`DataWarning` and named in
    the evidence; ``n_years`` counts the usable years. Fewer than three usable years give
    ``undetermined``.

    References
    ----------
    .. [1] Menzel, M.-P. & Fornahl, D. (2010). Cluster life cycles — dimensions and
       rationales of cluster evolution. *Industrial and Corporate Change* 19(1), 205-238.

    Examples
    --------
    >>> s = pd.DataFrame({"year": range(2015, 2020),
    ...                   "employment": [100 * 1.05 ** t for t in range(5)],
    ...                   "establishments": [10 * 1.01 ** t for t in range(5)]})
    >>> lifecycle_stage(s).loc[0, "stage"]
    'growing'
    """
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 3:
        raise ParameterError(f"window must be an integer >= 3, got {window!r}")
    for name, v in (("growth", growth), ("entry", entry)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not v >= 0:
            raise ParameterError(f"{name} must be a number >= 0, got {v!r}")
    by = as_by(by)
    check_frame(
        series,
        required=[year, employment, establishments] + by,
        numeric=[year, employment, establishments],
        nonnegative=[employment, establishments],
        no_missing=[year] + by,
        unique=by + [year],
        name="series",
    )
    rows = []
    groups = series.groupby(by, sort=True) if by else [((), series)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        dropped = _listed(g, excluded_industries)
        g = g.sort_values(year).tail(window)
        excluded = []
        if flagged and flagged in g.columns:
            bad = pd.to_numeric(g[flagged], errors="coerce").fillna(0) > 0
            excluded = g.loc[bad, year].astype(int).tolist()
            if excluded:
                warnings.warn(
                    f"lifecycle_stage: year(s) {excluded} have suppressed cells and "
                    "were left out of the trend",
                    DataWarning,
                    stacklevel=2,
                )
            g = g.loc[~bad]
        t = g[year].to_numpy(float)
        ge = annual_growth(t, g[employment])
        gn = annual_growth(t, g[establishments])
        size = g[employment].to_numpy(float) / g[establishments].replace(0, np.nan).to_numpy(float)
        gs = annual_growth(t, size)
        emp = g[employment].to_numpy(float)
        usable = np.isfinite(emp) & (emp > 0)  # the log-linear fit needs y > 0
        n = int(usable.sum())
        unusable = g.loc[~usable, year].astype(int).tolist()
        if unusable:
            warnings.warn(
                f"lifecycle_stage{' ' + str(key) if by else ''}: employment missing or "
                f"zero in year(s) {unusable}; left out of the growth fit",
                DataWarning,
                stacklevel=2,
            )
        if n < 3 or math.isnan(ge):
            stage, rule = "undetermined", "fewer than 3 usable years"
        elif ge < -growth:
            stage, rule = "declining", f"employment growth {ge:+.1%} < -{growth:.1%} a year"
        elif not math.isnan(gn) and gn >= entry and gn > ge:
            stage, rule = (
                "emerging",
                (
                    f"establishment growth {gn:+.1%} >= {entry:.1%} and above "
                    f"employment growth {ge:+.1%}"
                ),
            )
        elif ge > growth:
            stage, rule = "growing", f"employment growth {ge:+.1%} > {growth:.1%} a year"
        else:
            stage, rule = "mature", f"employment growth {ge:+.1%} within ±{growth:.1%} a year"
        first, last = (int(t.min()), int(t.max())) if len(t) else (None, None)
        evidence = (
            f"{first}-{last}: employment {g[employment].iloc[0]:,.0f} -> "
            f"{g[employment].iloc[-1]:,.0f}, establishments "
            f"{g[establishments].iloc[0]:,.0f} -> {g[establishments].iloc[-1]:,.0f}"
            if len(g)
            else "no data"
        )
        if unusable:
            evidence += (
                f"; employment missing or zero in {', '.join(map(str, unusable))} "
                "(left out of the fit)"
            )
        if dropped:
            evidence += (
                f"; {len(dropped)} industr{'y' if len(dropped) == 1 else 'ies'} with "
                f"suppressed cells left out ({', '.join(map(str, dropped))})"
            )
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "stage": stage,
                "rule": rule,
                "employment_growth": ge,
                "establishment_growth": gn,
                "firm_size_growth": gs,
                "first_year": first,
                "last_year": last,
                "n_years": n,
                "years_excluded": ", ".join(map(str, excluded)),
                "evidence": evidence,
            }
        )
    return pd.DataFrame(rows)


def _listed(group: pd.DataFrame, column: str | None) -> list[str]:
    """The distinct names in a column of comma-separated lists (e.g. excluded industries)."""
    if not column or column not in group.columns:
        return []
    names = {
        name.strip()
        for cell in group[column].dropna().astype(str)
        for name in cell.split(",")
        if name.strip()
    }
    return sorted(names)
