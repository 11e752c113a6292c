"""Raw gaps between members and non-members: the two-sample t test and the rank test.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare import difference_in_means
>>> df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0], "sales": [5., 7., 9., 4., 5., 6.]})
>>> difference_in_means(df, outcome="sales", group="member").summary()[["term", "estimate", "n"]]
     term  estimate  n
0  member       2.0  6
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_choice
from clusterlab.compare._common import (
    ASSUMPTIONS,
    ComparisonResult,
    check_alpha,
    check_binary,
    n_units,
    prepare_frame,
    summary_frame,
    unique_index,
)
from clusterlab.errors import DataWarning

__all__ = ["TwoSampleResult", "difference_in_means", "rank_test", "group_table"]


class TwoSampleResult(ComparisonResult):
    """Result of :func:`difference_in_means` / :func:`rank_test`; ``groups`` describes each
    group (n, mean, sd, median, quartiles).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import difference_in_means
    >>> firms = pd.DataFrame({"member": [1, 1, 0, 0, 0], "sales": [5., 7., 2., 4., 3.]})
    >>> r = difference_in_means(firms, outcome="sales", group="member")
    >>> r.groups[["member", "n", "mean"]]
       member  n  mean
    0       1  2   6.0
    1       0  3   3.0
    """

    groups: pd.DataFrame

    def __init__(self, *, groups: pd.DataFrame, **kw):
        super().__init__(**kw)
        self.groups = groups


def group_table(frame: pd.DataFrame, outcome: str, group: str, unit: str | None = None):
    """n, n_firms, mean, sd, median and quartiles of ``outcome`` by ``group`` (1 first)."""
    g = frame.groupby(frame[group].astype(int))[outcome]
    out = pd.DataFrame(
        {
            "n": g.size(),
            "mean": g.mean(),
            "sd": g.std(ddof=1),
            "median": g.median(),
            "q25": g.quantile(0.25),
            "q75": g.quantile(0.75),
        }
    )
    out["n_firms"] = frame.groupby(frame[group].astype(int))[unit].nunique() if unit else out["n"]
    out = out.reindex([1, 0]).rename_axis(group).reset_index()
    return out[[group, "n", "n_firms", "mean", "sd", "median", "q25", "q75"]]


def _prepare(df, outcome, group, unit, name):
    df, _ = unique_index(df)
    frame, dropped = prepare_frame(
        df,
        name=name,
        numeric=[outcome],
        binary=[group],
        columns=[unit] if unit else [],
        stacklevel=5,
    )
    g = check_binary(frame[group], column=group, name=name, units=frame[unit] if unit else None)
    frame[group] = g
    return frame, dropped


def _repeat_note(result, frame, unit):
    if unit is not None and frame[unit].duplicated().any():
        result._warn(
            f"{frame[unit].duplicated().sum()} rows repeat a {unit}: the test treats "
            "rows as independent; use one row per firm (e.g. one period)",
            DataWarning,
            stacklevel=4,
        )


def difference_in_means(
    df: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    equal_var: bool = True,
    unit: str | None = None,
    alpha: float = 0.05,
) -> TwoSampleResult:
    r"""Mean of ``outcome`` among members (``group == 1``) minus non-members, with a t test.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per firm (a cross-section, e.g. one survey wave).
    outcome : str
        Numeric outcome column.
    group : str
        0/1 column, 1 = member.
    equal_var : bool, default True
        Pooled-variance (Student) t test; ``False`` gives Welch's test with Satterthwaite
        degrees of freedom (both from :func:`scipy.stats.ttest_ind`).
    unit : str, optional
        Firm id column; used to count firms and to warn when a firm appears twice.
    alpha : float, default 0.05
        1 - confidence level of the interval.

    Returns
    -------
    TwoSampleResult
        ``summary()`` has one row, ``term`` = ``group``; ``groups`` describes both groups.

    Notes
    -----
    .. math:: \hat\delta = \bar y_1 - \bar y_0, \qquad
       SE = s_p\sqrt{1/n_1 + 1/n_0},\quad s_p^2 = \frac{(n_1-1)s_1^2 + (n_0-1)s_0^2}{n_1+n_0-2}

    with :math:`n_1+n_0-2` degrees of freedom, or (Welch) :math:`SE=\sqrt{s_1^2/n_1+s_0^2/n_0}`
    with Satterthwaite's degrees of freedom. Members select themselves into the initiative, so
    the gap describes who the members are, not what membership does.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34, 28-35.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0], "y": [5., 7., 9., 4., 5., 6.]})
    >>> r = difference_in_means(df, outcome="y", group="member")
    >>> round(float(r.summary().loc[0, "statistic"]), 4)
    1.5492
    """
    alpha = check_alpha(alpha)
    name = "difference_in_means"
    frame, dropped = _prepare(df, outcome, group, unit, name)
    y1 = frame.loc[frame[group] == 1, outcome].to_numpy(float)
    y0 = frame.loc[frame[group] == 0, outcome].to_numpy(float)
    with warnings.catch_warnings():
        if np.ptp(y1) == 0 or np.ptp(y0) == 0:
            # a group whose values are all equal is exact, not "nearly identical": scipy's
            # moment check (1.17) warns about precision loss for it all the same
            warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        test = stats.ttest_ind(y1, y0, equal_var=bool(equal_var))
    ci = test.confidence_interval(confidence_level=1 - alpha)
    est = float(y1.mean() - y0.mean())
    n1, n0 = len(y1), len(y0)
    v1, v0 = y1.var(ddof=1), y0.var(ddof=1)
    if equal_var:
        se = float(np.sqrt(((n1 - 1) * v1 + (n0 - 1) * v0) / (n1 + n0 - 2) * (1 / n1 + 1 / n0)))
    else:
        se = float(np.sqrt(v1 / n1 + v0 / n0))
    table = summary_frame(
        [
            {
                "term": group,
                "estimate": est,
                "std_error": se,
                "statistic": float(test.statistic),
                "p_value": float(test.pvalue),
                "ci_low": float(ci.low),
                "ci_high": float(ci.high),
                "n": len(frame),
                "df": float(test.df),
            }
        ]
    )
    result = TwoSampleResult(
        method="difference_in_means" if equal_var else "difference_in_means_welch",
        outcome=outcome,
        table=table,
        assumptions=[
            ASSUMPTIONS["selection"],
            ASSUMPTIONS["independence"],
            ASSUMPTIONS["distribution"],
        ],
        n_units=n_units(frame, unit),
        dropped=dropped,
        groups=group_table(frame, outcome, group, unit),
    )
    _repeat_note(result, frame, unit)
    return result


def rank_test(
    df: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    alternative: str = "two-sided",
    method: str = "auto",
    unit: str | None = None,
    alpha: float = 0.05,
) -> TwoSampleResult:
    r"""Mann-Whitney (Wilcoxon rank-sum) test of members vs non-members, with the
    Hodges-Lehmann shift as the estimate.

    Parameters
    ----------
    df, outcome, group, unit, alpha
        As in :func:`difference_in_means`.
    alternative : {"two-sided", "greater", "less"}
        Passed to :func:`scipy.stats.mannwhitneyu` (``greater``: members tend to be higher).
    method : {"auto", "exact", "asymptotic"}
        p-value method of :func:`scipy.stats.mannwhitneyu`. ``auto`` follows R's
        ``wilcox.test``: the exact distribution when both groups have fewer than 50 firms and
        there are no ties, else the normal approximation with tie and continuity correction.

    Returns
    -------
    TwoSampleResult
        ``summary()``: ``estimate`` = Hodges-Lehmann shift (median of all member - non-member
        differences), ``statistic`` = :math:`U_1` of the members, ``std_error`` empty (a rank test
        has none), ``ci_low/ci_high`` = distribution-free interval for the shift (normal
        approximation). Extra column ``prob_superiority`` = :math:`U_1/(n_1 n_0)`.

    Notes
    -----
    .. math:: U_1 = \sum_{i \in 1}\sum_{j \in 0} \left[\mathbb 1(y_i>y_j) +
       \tfrac12 \mathbb 1(y_i=y_j)\right], \qquad
       \hat\Delta_{HL} = \operatorname{median}_{i\in 1, j\in 0}(y_i - y_j)

    The interval is :math:`[D_{(k)}, D_{(n_1 n_0 - k + 1)}]` of the ordered differences with
    :math:`k = \lfloor n_1 n_0/2 - z_{1-\alpha/2}\sqrt{n_1 n_0 (n_1+n_0+1)/12}\rfloor`
    (Hollander & Wolfe 1999, §4.3; no tie correction).

    References
    ----------
    Mann, H. B. & Whitney, D. R. (1947). *Ann. Math. Stat.* 18, 50-60.
    Hodges, J. L. & Lehmann, E. L. (1963). *Ann. Math. Stat.* 34, 598-611.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0], "y": [5., 7., 9., 4., 5., 6.]})
    >>> r = rank_test(df, outcome="y", group="member").summary()
    >>> float(r.loc[0, "estimate"]), float(r.loc[0, "statistic"])
    (2.0, 7.5)
    """
    alpha = check_alpha(alpha)
    check_choice(alternative, ["two-sided", "greater", "less"], argument="alternative")
    check_choice(method, ["auto", "exact", "asymptotic"], argument="method")
    name = "rank_test"
    frame, dropped = _prepare(df, outcome, group, unit, name)
    y1 = frame.loc[frame[group] == 1, outcome].to_numpy(float)
    y0 = frame.loc[frame[group] == 0, outcome].to_numpy(float)
    n1, n0 = len(y1), len(y0)
    if method == "auto":  # R's wilcox.test rule (scipy's own "auto" is exact only up to 8)
        pooled = np.concatenate([y1, y0])
        ties = len(np.unique(pooled)) < len(pooled)
        method = "exact" if n1 < 50 and n0 < 50 and not ties else "asymptotic"
    test = stats.mannwhitneyu(y1, y0, alternative=alternative, method=method)
    diffs = np.sort(np.subtract.outer(y1, y0).ravel())
    hl = float(np.median(diffs))
    z = stats.norm.ppf(1 - alpha / 2)
    k = int(np.floor(n1 * n0 / 2 - z * np.sqrt(n1 * n0 * (n1 + n0 + 1) / 12)))
    lo, hi = (float(diffs[k - 1]), float(diffs[n1 * n0 - k])) if k >= 1 else (-np.inf, np.inf)
    table = summary_frame(
        [
            {
                "term": group,
                "estimate": hl,
                "std_error": np.nan,
                "statistic": float(test.statistic),
                "p_value": float(test.pvalue),
                "ci_low": lo,
                "ci_high": hi,
                "n": len(frame),
                "prob_superiority": float(test.statistic) / (n1 * n0),
            }
        ]
    )
    result = TwoSampleResult(
        method="rank_test",
        outcome=outcome,
        table=table,
        assumptions=[ASSUMPTIONS["selection"], ASSUMPTIONS["independence"], ASSUMPTIONS["rank"]],
        n_units=n_units(frame, unit),
        dropped=dropped,
        groups=group_table(frame, outcome, group, unit),
    )
    if k < 1:
        result.notes.append("groups too small for a distribution-free interval at this level")
    _repeat_note(result, frame, unit)
    return result
