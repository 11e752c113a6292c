r"""Descriptive tables for member comparisons: who answered, group trends, a firm-level
before/after frame, and all estimates side by side.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare import group_trends
>>> panel = pd.DataFrame({"firm": list("aabbcc"), "year": [1, 2] * 3,
...                       "member": [1, 1, 0, 0, 0, 0], "y": [1., 3., 2., 2., 4., 6.]})
>>> group_trends(panel, outcome="y", group="member", period="year")[["year", "member", "mean"]]
   year  member  mean
0     1       0   3.0
1     1       1   1.0
2     2       0   4.0
3     2       1   3.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_frame, problem_frame
from clusterlab.compare._common import SUMMARY_COLUMNS, _as_list, check_alpha, check_binary
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["describe_sample", "group_trends", "pre_post_frame", "effects_table"]


def describe_sample(
    panel: pd.DataFrame, *, group: str, period: str, unit: str, outcomes: Sequence[str] = ()
) -> pd.DataFrame:
    """Who answered: per period and group, the firms expected (every firm of the group seen in
    any period), the firms with a row, the response rate and answers per outcome.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel, one row per unit and period.
    group : str
        Column of the 0/1 (or two-valued) comparison group, e.g. membership.
    period : str
        Column of the period.
    unit : str
        Column of the unit compared (the firm).
    outcomes : sequence of str, default ()
        Outcome columns whose answers are counted.

    Returns
    -------
    pandas.DataFrame
        ``period, group, n_expected, n_firms, response_rate`` and ``n_<outcome>`` /
        ``rate_<outcome>`` per outcome.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"firm": list("aabc"), "year": [1, 2, 1, 2], "member": [1, 1, 0, 0],
    ...                   "y": [1., None, 2., 3.]})
    >>> describe_sample(p, group="member", period="year", unit="firm", outcomes=["y"])
       year  member  n_expected  n_firms  response_rate  n_y  rate_y
    0     1       0           2        1            0.5    1     0.5
    1     1       1           1        1            1.0    1     1.0
    2     2       0           2        1            0.5    1     0.5
    3     2       1           1        1            1.0    0     0.0
    """
    outcomes = _as_list(outcomes, "outcomes")
    check_frame(
        panel,
        required=[group, period, unit, *outcomes],
        no_missing=[group, period, unit],
        name="describe_sample",
    )
    check_binary(panel[group], column=group, name="describe_sample", min_per_group=1)
    expected = panel.groupby(group)[unit].nunique()
    grid = pd.MultiIndex.from_product(
        [sorted(panel[period].unique()), [0, 1]], names=[period, group]
    )
    g = panel.groupby([period, group])
    out = pd.DataFrame({"n_firms": g[unit].nunique()}).reindex(grid, fill_value=0)
    for o in outcomes:
        out[f"n_{o}"] = (
            panel[panel[o].notna()]
            .groupby([period, group])[unit]
            .nunique()
            .reindex(grid, fill_value=0)
        )
    out = out.reset_index()
    out["n_expected"] = out[group].map(expected).fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["response_rate"] = out["n_firms"] / out["n_expected"]
        for o in outcomes:
            out[f"rate_{o}"] = out[f"n_{o}"] / out["n_expected"]
    cols = [period, group, "n_expected", "n_firms", "response_rate"]
    for o in outcomes:
        cols += [f"n_{o}", f"rate_{o}"]
    return out[cols]


def group_trends(
    panel: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    period: str,
    unit: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""Mean ``outcome`` by period and group with a t confidence interval
    (:math:`\bar y \pm t_{n-1,1-\alpha/2}\, s/\sqrt n`) — the parallel-trends picture.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel, one row per unit and period.
    outcome : str
        Numeric outcome column.
    group : str
        Column of the comparison group.
    period : str
        Column of the period.
    unit : str, optional
        Column of the unit (firm); gives ``n_firms`` (default: ``n_firms = n``).
    alpha : float, default 0.05
        Interval level: ``0.05`` gives a 95 % interval.

    Returns
    -------
    pandas.DataFrame
        ``<period>, <group>, n, mean, sd, n_firms, se, ci_low, ci_high, top1_share`` (columns
        named after ``period`` and ``group``); ``top1_share`` is the share of the group's total
        held by its largest unit (the contributor-level quantity the (1, k) dominance rule of
        :mod:`clusterlab.publish` needs; NaN when the outcome has negative values or a zero
        total).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"firm": list("aabbccdd"), "year": [1, 2] * 4,
    ...                   "member": [1, 1, 1, 1, 0, 0, 0, 0],
    ...                   "y": [1., 3., 2., 5., 1., 2., 3., 3.]})
    >>> t = group_trends(p, outcome="y", group="member", period="year", unit="firm")
    >>> t[["year", "member", "n", "mean", "ci_low"]]   # 2 - t(1, 0.975) * 1 = -10.706
       year  member  n  mean     ci_low
    0     1       0  2   2.0 -10.706205
    1     1       1  2   1.5  -4.853102
    2     2       0  2   2.5  -3.853102
    3     2       1  2   4.0  -8.706205
    """
    alpha = check_alpha(alpha)
    check_frame(
        panel,
        required=[outcome, group, period] + ([unit] if unit else []),
        numeric=[outcome],
        name="group_trends",
    )
    data = panel[panel[outcome].notna() & panel[group].notna()]
    g = data.groupby([period, group])[outcome]
    out = pd.DataFrame({"n": g.count(), "mean": g.mean(), "sd": g.std(ddof=1)})
    out["n_firms"] = data.groupby([period, group])[unit].nunique() if unit else out["n"]
    out["se"] = out["sd"] / np.sqrt(out["n"])
    q = stats.t.ppf(1 - alpha / 2, np.maximum(out["n"] - 1, 1))
    out["ci_low"] = out["mean"] - q * out["se"]
    out["ci_high"] = out["mean"] + q * out["se"]
    per_unit = (
        data.groupby([period, group, unit])[outcome].sum()
        if unit
        else data.set_index([period, group])[outcome]
    )
    by = per_unit.groupby(level=[0, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        top = by.max() / by.sum().replace(0, np.nan)
    out["top1_share"] = top.where(by.min() >= 0)
    out = out.reset_index()
    return out[
        [period, group, "n", "n_firms", "mean", "sd", "se", "ci_low", "ci_high", "top1_share"]
    ]


def pre_post_frame(
    panel: pd.DataFrame,
    *,
    unit: str,
    period: str,
    group: str,
    outcomes: Sequence[str],
    covariates: Sequence[str] = (),
    baseline=None,
    followup=None,
) -> pd.DataFrame:
    """One row per firm: covariates and outcomes at the ``baseline`` period, outcomes at the
    ``followup`` period and their change — the input of the cross-sectional comparisons.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel, one row per unit and period.
    unit : str
        Column of the unit compared (the firm).
    period : str
        Column of the period.
    group : str
        Column of the comparison group (taken from the baseline row).
    outcomes : sequence of str
        Outcome columns.
    covariates : sequence of str, default ()
        Covariate columns, taken at the baseline period.
    baseline, followup : period value, optional
        Default: the first and the last period in the panel. Baseline covariates should be
        measured before anyone joined, so that they cannot be affected by membership.

    Returns
    -------
    pandas.DataFrame
        ``unit, group``, covariates (at baseline), ``<outcome>`` (follow-up),
        ``<outcome>_baseline`` and ``<outcome>_change`` (follow-up - baseline). Firms missing
        from either period are kept with missing values (the estimators report them).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"firm": list("aabb"), "year": [1, 2, 1, 2], "member": [1, 1, 0, 0],
    ...                   "y": [1., 4., 2., 3.], "age": [5, 6, 7, 8]})
    >>> pre_post_frame(p, unit="firm", period="year", group="member", outcomes=["y"],
    ...                covariates=["age"])
      firm  member  age    y  y_baseline  y_change
    0    a       1    5  4.0         1.0       3.0
    1    b       0    7  3.0         2.0       1.0
    """
    outcomes = _as_list(outcomes, "outcomes")
    covariates = _as_list(covariates, "covariates")
    check_frame(
        panel,
        required=[unit, period, group, *outcomes, *covariates],
        numeric=outcomes,
        no_missing=[unit, period],
        unique=[unit, period],
        name="pre_post_frame",
    )
    periods = sorted(panel[period].unique())
    baseline = periods[0] if baseline is None else baseline
    followup = periods[-1] if followup is None else followup
    for label, value in (("baseline", baseline), ("followup", followup)):
        if value not in set(periods):
            raise ParameterError(
                f"{label}={value!r} is not a period of the panel ({periods[0]}..{periods[-1]})"
            )
    if not baseline < followup:
        raise ParameterError(f"baseline={baseline!r} must come before followup={followup!r}")
    firms = panel.groupby(unit, sort=True)[group].max().rename(group).reset_index()
    base = panel.loc[panel[period] == baseline, [unit, *covariates, *outcomes]]
    base = base.rename(columns={o: f"{o}_baseline" for o in outcomes})
    post = panel.loc[panel[period] == followup, [unit, *outcomes]]
    out = firms.merge(base, on=unit, how="left").merge(post, on=unit, how="left")
    for o in outcomes:
        out[f"{o}_change"] = out[o] - out[f"{o}_baseline"]
    cols = [unit, group, *covariates]
    for o in outcomes:
        cols += [o, f"{o}_baseline", f"{o}_change"]
    return out[cols]


def effects_table(results: Iterable) -> pd.DataFrame:
    """All estimates side by side, one row per estimate.

    Event studies contribute their post-joining average (:meth:`EventStudyResult.post_average`).

    Parameters
    ----------
    results : iterable of comparison results
        Results of :func:`difference_in_means`, :func:`did`, :func:`event_study`, … (anything
        with ``method`` and ``summary()``).

    Returns
    -------
    pandas.DataFrame
        ``outcome, method, term, estimate, std_error, statistic, p_value, ci_low, ci_high, n,
        n_firms, caveats``; ``n_firms`` is the number of distinct firms behind each estimate
        (for disclosure control).

    Raises
    ------
    ParameterError
        An item is not a comparison result.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import difference_in_means
    >>> firms = pd.DataFrame({"member": [1, 1, 0, 0, 0], "sales": [5., 7., 2., 4., 3.]})
    >>> r = difference_in_means(firms, outcome="sales", group="member")
    >>> effects_table([r])[["outcome", "method", "estimate", "n"]]
      outcome               method  estimate  n
    0   sales  difference_in_means       3.0  5
    """
    rows = []
    for res in results:
        if not hasattr(res, "summary") or not hasattr(res, "method"):
            raise ParameterError(
                f"effects_table: expected comparison results, got {type(res).__name__}"
            )
        tab = res.post_average() if hasattr(res, "post_average") else res.summary()
        tab = tab[SUMMARY_COLUMNS].copy()
        tab.insert(0, "method", res.method)
        tab.insert(0, "outcome", res.outcome)
        tab["n_firms"] = res.n_units if res.n_units is not None else tab["n"]
        caveats = [n for n in getattr(res, "notes", []) if not n.startswith("standard errors")]
        tab["caveats"] = "; ".join(caveats)
        rows.append(tab)
    if not rows:
        raise DataValidationError(
            "effects_table: no results given",
            problem_frame([{"expected": "at least one result", "found": "none"}]),
        )
    out = pd.concat(rows, ignore_index=True)
    out["n_firms"] = out["n_firms"].astype("int64")
    return out
