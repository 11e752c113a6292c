"""Shared pieces of :mod:`clusterlab.compare`: the result class, input preparation, warnings,
plain-language assumptions and t/normal inference.

Every estimator in the sub-package returns a :class:`ComparisonResult` (or a subclass) whose
``summary()`` is a tidy table with the columns :data:`SUMMARY_COLUMNS`.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare._common import summary_frame
>>> summary_frame([{"term": "member", "estimate": 1.0, "n": 10}]).columns.tolist()
['term', 'estimate', 'std_error', 'statistic', 'p_value', 'ci_low', 'ci_high', 'n']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import as_list, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, EstimationWarning, ParameterError

if TYPE_CHECKING:
    from clusterlab.compare._ols import OLSFit

__all__ = [
    "SUMMARY_COLUMNS",
    "ASSUMPTIONS",
    "ComparisonResult",
    "FewClustersWarning",
    "OverlapWarning",
    "PreTrendWarning",
    "MissingRowsWarning",
    "summary_frame",
    "prepare_frame",
    "check_binary",
    "expand_covariates",
    "t_inference",
    "unique_index",
]

#: Columns of every ``summary()`` table.
SUMMARY_COLUMNS = [
    "term",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "ci_low",
    "ci_high",
    "n",
]


class FewClustersWarning(EstimationWarning):
    """Cluster-robust standard errors rest on few clusters and are unreliable.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from clusterlab.compare import did
    >>> panel = pd.DataFrame({"firm": ["a", "a", "b", "b", "c", "c", "d", "d"],
    ...                       "year": [1, 2] * 4, "treated": [0, 1, 0, 1, 0, 0, 0, 0],
    ...                       "sales": [10., 14., 12., 15., 9., 10., 11., 12.]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     r = did(panel, outcome="sales", treated="treated", unit="firm", period="year")
    >>> any(issubclass(w.category, FewClustersWarning) for w in caught)   # 4 firms
    True
    """


class OverlapWarning(EstimationWarning):
    """Members and non-members overlap poorly in their covariates / propensity scores.

    Examples
    --------
    >>> from clusterlab.errors import EstimationWarning
    >>> issubclass(OverlapWarning, EstimationWarning)
    True
    """


class PreTrendWarning(EstimationWarning):
    """Members' outcomes already diverged from non-members' before they joined.

    Examples
    --------
    >>> from clusterlab.errors import EstimationWarning
    >>> issubclass(PreTrendWarning, EstimationWarning)
    True
    """


class MissingRowsWarning(DataWarning):
    """Rows with missing values in the variables of an analysis were left out.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from clusterlab.compare import difference_in_means
    >>> firms = pd.DataFrame({"member": [1, 1, 1, 0, 0], "y": [1., None, 2., 2., 3.]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     r = difference_in_means(firms, outcome="y", group="member")
    >>> str(caught[0].message)
    'difference_in_means: 1 of 5 rows (20%) dropped for missing values (y: 1)'
    """


#: Plain-language assumptions attached to the results (key -> sentence).
ASSUMPTIONS = {
    "selection": (
        "Firms choose to join: members may differ from non-members in ways that also drive the "
        "outcome (ambition, management quality, growth plans). A raw gap is a description, not an "
        "effect of membership."
    ),
    "independence": (
        "Observations are independent draws (one row per firm); repeated rows of the same firm "
        "would make the standard error too small."
    ),
    "distribution": (
        "The t test is exact for normal outcomes and approximately right for large groups; for "
        "skewed outcomes (employment, turnover) read the rank test beside it."
    ),
    "rank": (
        "The rank test compares whole distributions (is a random member's value likely to exceed a "
        "random non-member's?); the Hodges-Lehmann shift is a median difference, not a mean."
    ),
    "observables": (
        "No unobserved confounding: once the listed covariates are held fixed, membership is as "
        "good as random. Anything unmeasured that drives both joining and the outcome biases the "
        "estimate."
    ),
    "linearity": (
        "The outcome depends on the covariates linearly (the interacted variant lets the slopes "
        "differ between groups)."
    ),
    "overlap": (
        "Overlap: for every member there are comparable non-members (propensity scores strictly "
        "between 0 and 1). Where overlap is poor the estimate leans on extrapolation or a few "
        "heavily weighted firms."
    ),
    "parallel_trends": (
        "Parallel trends: without the initiative, members' outcomes would have moved in parallel "
        "with non-members' (levels may differ; trends may not)."
    ),
    "no_anticipation": (
        "No anticipation: firms did not change their outcomes before joining in expectation of "
        "membership."
    ),
    "no_spillover": (
        "No spillovers (SUTVA): non-members are not affected by the initiative. In a cluster they "
        "often are (knowledge flows, shared suppliers), which biases the gap towards zero."
    ),
    "composition": (
        "Repeated cross-sections: the kind of firm that answers in each group does not change "
        "between waves."
    ),
    "homogeneity": (
        "With staggered joining, the two-way fixed-effects estimate is a weighted average of "
        "group-and-period effects that can be misleading when effects grow over time "
        "(Goodman-Bacon 2021); the event study shows the path."
    ),
    "matching": (
        "Matching on the propensity score balances the observed covariates only; check the "
        "balance table after matching. Unmatched members are dropped, which changes whom the "
        "estimate is about."
    ),
    "weighting": (
        "The propensity model is correctly specified; extreme weights mean a few firms carry the "
        "estimate (see the effective sample size)."
    ),
}


@dataclass
class ComparisonResult:
    """A comparison estimate with its assumptions and caveats.

    Attributes
    ----------
    method : str
        Short name of the method (``"difference_in_means"``, ``"did"`` …).
    outcome : str or None
        The outcome column.
    table : pandas.DataFrame
        The summary rows (columns :data:`SUMMARY_COLUMNS`).
    assumptions : list of str
        Plain-language identifying assumptions.
    notes : list of str
        Warnings raised while estimating (also emitted as Python warnings), plus other caveats.
    n_units : int or None
        Number of distinct firms (units) behind the estimate, where known.
    dropped : pandas.DataFrame
        Rows left out for missing values: one row per variable (``column, n_missing``) plus the
        total (``column = "<any>"``).
    fit : OLSFit or None
        The underlying regression where there is one (``fit.model`` is the statsmodels results
        object), else None.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import difference_in_means
    >>> firms = pd.DataFrame({"member": [1, 1, 0, 0, 0], "sales": [5., 7., 2., 4., 3.]})
    >>> r = difference_in_means(firms, outcome="sales", group="member")
    >>> r.method, r.outcome, r.n_units
    ('difference_in_means', 'sales', 5)
    >>> r.summary()[["term", "estimate", "n"]]   # 6 - 3
         term  estimate  n
    0  member       3.0  5
    """

    method: str
    outcome: str | None
    table: pd.DataFrame
    assumptions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_units: int | None = None
    dropped: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["column", "n_missing"])
    )
    fit: OLSFit | None = field(default=None, repr=False)

    def summary(self) -> pd.DataFrame:
        """The tidy estimate table (``term, estimate, std_error, statistic, p_value, ci_low,
        ci_high, n``)."""
        return self.table[SUMMARY_COLUMNS].copy()

    def describe(self) -> str:
        """The assumptions and caveats as plain text, one bullet each."""
        lines = [f"{self.method}: {self.outcome or ''}".rstrip(": "), "Assumptions:"]
        lines += [f"  - {a}" for a in self.assumptions]
        if self.notes:
            lines.append("Caveats:")
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)

    def _warn(self, message: str, category=EstimationWarning, stacklevel: int = 3) -> None:
        self.notes.append(message)
        warnings.warn(message, category, stacklevel=stacklevel)


def summary_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """A summary table from dicts; absent columns become NaN (``n`` an integer)."""
    df = pd.DataFrame(list(rows))
    for col in SUMMARY_COLUMNS:
        if col not in df.columns:
            df[col] = np.nan
    df["term"] = df["term"].astype(str)
    df["n"] = df["n"].astype("int64")
    return df[SUMMARY_COLUMNS + [c for c in df.columns if c not in SUMMARY_COLUMNS]]


def t_inference(estimate, std_error, df=None, alpha: float = 0.05):
    """Test statistic, two-sided p-value and confidence interval from a t (``df``) or, when
    ``df`` is None or infinite, a normal reference distribution.

    Examples
    --------
    >>> stat, p, lo, hi = t_inference(2.0, 1.0)
    >>> round(stat, 1), round(p, 4), round(lo, 3), round(hi, 3)
    (2.0, 0.0455, 0.04, 3.96)
    """
    estimate = np.asarray(estimate, dtype=float)
    std_error = np.asarray(std_error, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = estimate / std_error
    dist = stats.norm if df is None or not np.isfinite(df) else stats.t(df)
    p = 2 * dist.sf(np.abs(stat))
    q = dist.ppf(1 - alpha / 2)
    lo, hi = estimate - q * std_error, estimate + q * std_error
    if stat.ndim == 0:
        return float(stat), float(p), float(lo), float(hi)
    return stat, p, lo, hi


def check_alpha(alpha: float) -> float:
    if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise ParameterError(f"alpha={alpha!r} must be a number between 0 and 1")
    return float(alpha)


def check_draws(draws) -> int:
    """A number of bootstrap / permutation draws (an integer >= 99)."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 99:
        raise ParameterError(f"draws={draws!r} must be an integer >= 99 (e.g. 999)")
    return int(draws)


def _as_list(value, argument: str) -> list[str]:
    """Column name(s) as a list (:func:`clusterlab._validation.as_list`)."""
    return as_list(value, argument=argument)


def prepare_frame(
    data,
    *,
    name: str,
    numeric: Sequence[str] = (),
    columns: Sequence[str] = (),
    binary: Sequence[str] = (),
    stacklevel: int = 4,
):
    """Validate ``data`` and drop rows missing any analysis variable, reporting per variable.

    Parameters
    ----------
    data : pandas.DataFrame
        The caller's table (not modified).
    name : str
        Function name used in error messages.
    numeric : sequence of str
        Columns that must be numeric (outcomes, treatment regressors).
    columns : sequence of str
        Further columns that must be present (covariates, ids); may be of any type.
    binary : sequence of str
        Numeric columns that must hold only 0/1 (checked after dropping missing rows).

    Returns
    -------
    frame : pandas.DataFrame
        A copy holding only complete rows (original index kept).
    dropped : pandas.DataFrame
        ``column, n_missing`` per variable with missing values, plus ``<any>`` = rows dropped.
    """
    needed = list(dict.fromkeys([*numeric, *columns, *binary]))
    check_frame(data, required=needed, numeric=[*numeric, *binary], name=name)
    if len(data) == 0:
        raise DataValidationError(
            f"{name}: the input table has no rows",
            problem_frame([{"file": name, "expected": "at least 2 rows", "found": "0 rows"}]),
        )
    sub = data[needed]
    infinite = []
    for col in needed:
        s = sub[col]
        if pd.api.types.is_float_dtype(s):
            rows = np.flatnonzero(np.isinf(s.to_numpy(dtype="float64", na_value=np.nan)))
            infinite += [
                {
                    "file": name,
                    "row": int(r) + 1,
                    "column": col,
                    "expected": "a finite number",
                    "found": str(s.iloc[r]),
                }
                for r in rows[:50]
            ]
    if infinite:
        raise DataValidationError(
            f"{name}: {len(infinite)} infinite value(s) (e.g. a ratio divided by 0); fix or "
            "set them missing",
            problem_frame(infinite),
        )
    miss = sub.isna()
    counts = miss.sum()
    any_missing = miss.any(axis=1)
    n_drop = int(any_missing.sum())
    dropped = pd.DataFrame({"column": counts.index, "n_missing": counts.to_numpy()})
    dropped = dropped[dropped["n_missing"] > 0].reset_index(drop=True)
    dropped = pd.concat(
        [dropped, pd.DataFrame({"column": ["<any>"], "n_missing": [n_drop]})], ignore_index=True
    )
    frame = data.loc[~any_missing.to_numpy()].copy()
    if n_drop:
        detail = ", ".join(f"{c}: {int(k)}" for c, k in counts.items() if k > 0)
        share = n_drop / len(data)
        msg = (
            f"{name}: {n_drop} of {len(data)} rows ({share:.0%}) dropped for missing values "
            f"({detail})"
        )
        if share > 0.5:
            msg += "; MORE THAN HALF of the sample is gone - the result describes the rest only"
        warnings.warn(msg, MissingRowsWarning, stacklevel=stacklevel)
    if frame.empty:
        raise DataValidationError(
            f"{name}: no complete rows left after dropping missing values",
            problem_frame(
                [
                    {"file": name, "column": c, "expected": "values", "found": f"{int(k)} missing"}
                    for c, k in counts.items()
                    if k > 0
                ]
            ),
        )
    for col in binary:
        check_binary(frame[col], column=col, name=name)
    return frame, dropped


def check_binary(
    values: pd.Series,
    *,
    column: str,
    name: str,
    min_per_group: int = 2,
    units: pd.Series | None = None,
) -> pd.Series:
    """A 0/1 (or boolean) column with both values present, each in at least ``min_per_group``
    rows (or distinct ``units`` when given). Returns the column as int 0/1."""
    vals = values.astype("float64") if pd.api.types.is_bool_dtype(values) else values
    bad = ~vals.isin([0, 1])
    if bad.any():
        found = ", ".join(map(str, pd.unique(values[bad])[:5]))
        raise DataValidationError(
            f"{name}: {column!r} must be 0/1 (1 = member/treated)",
            problem_frame([{"file": name, "column": column, "expected": "0 or 1", "found": found}]),
        )
    vals = vals.astype("int64")
    counts = (
        units.groupby(vals.to_numpy()).nunique() if units is not None else vals.value_counts()
    ).reindex([0, 1], fill_value=0)
    if (counts == 0).any():
        only = int(counts.idxmax())
        raise DataValidationError(
            f"{name}: {column!r} has no variation (every row is {only}); a comparison needs both "
            "groups",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": column,
                        "expected": "both 0 and 1",
                        "found": f"only {only}",
                    }
                ]
            ),
        )
    small = counts[counts < min_per_group]
    if not small.empty:
        what = "firms" if units is not None else "rows"
        raise DataValidationError(
            f"{name}: group(s) {', '.join(f'{column}={g}' for g in small.index)} have fewer than "
            f"{min_per_group} {what}",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": column,
                        "expected": f">= {min_per_group} {what} with {column}={g}",
                        "found": str(int(k)),
                    }
                    for g, k in small.items()
                ]
            ),
        )
    return vals


def expand_covariates(
    frame: pd.DataFrame, covariates: Sequence[str], *, drop_first: bool
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Numeric design columns for ``covariates``: numeric/boolean columns pass through, text or
    categorical columns become 0/1 indicators named ``<column>_<level>`` (cobalt's naming).

    Returns the design (float) and a mapping design column -> ``"binary"`` or
    ``"continuous"`` (0/1 columns count as binary, as in cobalt).

    Examples
    --------
    >>> df = pd.DataFrame({"age": [30, 40, 50], "race": ["b", "w", "b"]})
    >>> X, kinds = expand_covariates(df, ["age", "race"], drop_first=False)
    >>> list(X.columns), kinds["race_w"]
    (['age', 'race_b', 'race_w'], 'binary')
    """
    parts, kinds = [], {}
    for col in covariates:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            x = s.astype("float64")
            parts.append(x.rename(col))
            kinds[col] = "binary" if x.isin([0.0, 1.0]).all() and x.nunique() <= 2 else "continuous"
        else:
            levels = (
                list(s.cat.categories)
                if isinstance(s.dtype, pd.CategoricalDtype)
                else sorted(pd.unique(s.astype(str)))
            )
            if drop_first:
                levels = levels[1:]
            for lev in levels:
                name = f"{col}_{lev}"
                parts.append((s.astype(str) == str(lev)).astype("float64").rename(name))
                kinds[name] = "binary"
    if not parts:
        return pd.DataFrame(index=frame.index), {}
    return pd.concat(parts, axis=1), kinds


def unique_index(df):
    """``(frame, original_index)``: ``df`` itself when its index labels are unique, else a
    shallow copy indexed 0..n-1 (rows are then identified by position) and ``df``'s index, so
    that results aligned with the input rows can be given back their labels.

    Examples
    --------
    >>> frame, orig = unique_index(pd.DataFrame({"x": [1, 2]}, index=[7, 7]))
    >>> frame.index.tolist(), orig.tolist()
    ([0, 1], [7, 7])
    """
    if not isinstance(df, pd.DataFrame) or df.index.is_unique:
        return df, None
    return df.reset_index(drop=True), df.index


def n_units(frame: pd.DataFrame, unit: str | None) -> int:
    """Distinct units (firms) in ``frame``; the row count when ``unit`` is None."""
    return int(frame[unit].nunique()) if unit is not None else len(frame)
