# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""Covariate balance between members and non-members, before and after matching or weighting,
with the conventions of R's cobalt and MatchIt.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare import balance_table
>>> df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0, 0],
...                    "age": [10., 12., 14., 20., 22., 24., 26.],
...                    "exporter": [1, 1, 0, 0, 0, 1, 0]})
>>> bt = balance_table(df, group="member", covariates=["age", "exporter"])
>>> bt[["covariate", "type", "mean_treated", "mean_control", "smd"]].round(3)
  covariate        type  mean_treated  mean_control    smd
0       age  continuous        12.000         23.00 -5.500
1  exporter      binary         0.667          0.25  0.417
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterlab._stats import weighted_mean
from clusterlab._validation import check_choice, problem_frame
from clusterlab.compare._common import (
    ASSUMPTIONS,
    SUMMARY_COLUMNS,
    _as_list,
    check_binary,
    expand_covariates,
    prepare_frame,
    summary_frame,
    unique_index,
)
from clusterlab.errors import DataValidationError, EstimationWarning, ParameterError

__all__ = ["BalanceTable", "balance_table", "weighted_mean", "weighted_var", "effective_n"]

ESTIMANDS = ("ATT", "ATE", "ATC")


class BalanceTable(pd.DataFrame):
    """One row per covariate (a pandas DataFrame) with ``summary()`` like every result.

    Columns: ``covariate, type, mean_treated, mean_control, smd, variance_ratio`` and, when
    weights or matches were given, ``mean_treated_adj, mean_control_adj, smd_adj,
    variance_ratio_adj``; ``balanced`` flags :math:`|SMD| <` ``threshold`` (adjusted SMD when
    present), ``n_treated, n_control`` (rows used; with weights: rows with positive weight) and
    ``n_firms`` = the smaller of the two (each group mean discloses its group, so disclosure
    control must look at the smaller one). Attributes: ``estimand``, ``binary``,
    ``threshold``, ``counts`` (n and effective n by group), ``assumptions``, ``notes``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import balance_table
    >>> df = pd.DataFrame({"member": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    ...                    "size": [5., 7, 6, 9, 2, 6, 3, 8, 4, 5]})
    >>> bt = balance_table(df, group="member", covariates=["size"])
    >>> bt[["covariate", "mean_treated", "mean_control"]].round(3)
      covariate  mean_treated  mean_control
    0      size          6.75         4.667
    """

    _metadata = ["estimand", "binary", "threshold", "counts", "assumptions", "notes", "dropped"]

    @property
    def _constructor(self):
        return pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """``term`` = covariate, ``estimate`` = the (adjusted, if any) SMD; no tests (balance is
        a property of the sample, not a hypothesis), ``n`` = rows compared."""
        col = "smd_adj" if "smd_adj" in self.columns else "smd"
        n = int(self.counts["n"].sum()) if self.counts is not None else 0
        return summary_frame(
            {"term": r.covariate, "estimate": getattr(r, col), "n": n} for r in self.itertuples()
        )[SUMMARY_COLUMNS]


def weighted_var(x: np.ndarray, w: np.ndarray, binary: bool = False) -> float:
    r"""cobalt's variance: :math:`\bar x(1-\bar x)` for binary variables, else the unbiased
    weighted variance :math:`\frac{\sum w}{(\sum w)^2 - \sum w^2}\sum w (x-\bar x_w)^2`
    (the ordinary :math:`n-1` sample variance when all weights are equal)."""
    m = weighted_mean(x, w)
    if binary:
        return m * (1 - m)
    sw, sw2 = np.sum(w), np.sum(w**2)
    denom = sw**2 - sw2
    if denom <= 0:
        return np.nan
    return float(sw / denom * np.sum(w * (x - m) ** 2))


def effective_n(w: np.ndarray) -> float:
    r"""Kish's effective sample size :math:`(\sum w)^2 / \sum w^2`.

    Parameters
    ----------
    w : array-like
        Non-negative weights.

    Returns
    -------
    float
        The number of equally weighted units carrying the same information (0 when all
        weights are 0).

    Examples
    --------
    >>> effective_n([1.0, 1.0, 2.0])   # 4**2 / 6
    2.666...
    """
    w = np.asarray(w, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2)) if np.sum(w**2) > 0 else 0.0


def _resolve_weights(weights, data: pd.DataFrame, name: str):
    """Weights as a Series aligned with ``data`` (a column name, array, Series or a result
    object with ``.weights``)."""
    if weights is None:
        return None
    if hasattr(weights, "weights") and not isinstance(weights, (pd.Series, np.ndarray, str)):
        weights = weights.weights
    if isinstance(weights, str):
        if weights not in data.columns:
            raise DataValidationError(
                f"{name}: weights column {weights!r} not found",
                problem_frame(
                    [
                        {
                            "file": name,
                            "column": weights,
                            "expected": "column present",
                            "found": "missing",
                        }
                    ]
                ),
            )
        w = data[weights]
    elif isinstance(weights, pd.Series):
        if not weights.index.equals(data.index):
            if not data.index.isin(weights.index).all():
                raise ParameterError(f"{name}: weights must be aligned with the rows of df")
            weights = weights.reindex(data.index)
        w = weights
    else:
        arr = np.asarray(weights, dtype=float)
        if arr.shape != (len(data),):
            raise ParameterError(f"{name}: weights has length {arr.size}, df has {len(data)} rows")
        w = pd.Series(arr, index=data.index)
    if not pd.api.types.is_numeric_dtype(w):
        raise DataValidationError(
            f"{name}: weights must be numeric",
            problem_frame(
                [{"file": name, "column": "weights", "expected": "numeric", "found": str(w.dtype)}]
            ),
        )
    w = w.astype("float64")
    if (w < 0).any():
        raise DataValidationError(
            f"{name}: weights must be >= 0",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": "weights",
                        "expected": ">= 0",
                        "found": str(float(w.min())),
                    }
                ]
            ),
        )
    return w


def _sd_denominator(v1: float, v0: float, estimand: str) -> float:
    if estimand == "ATT":
        return np.sqrt(v1)
    if estimand == "ATC":
        return np.sqrt(v0)
    return np.sqrt((v1 + v0) / 2)


def balance_table(
    df: pd.DataFrame,
    *,
    group: str,
    covariates: Sequence[str],
    weights=None,
    estimand: str = "ATT",
    binary: str = "raw",
    threshold: float = 0.1,
    s_d_denom: str | None = None,
) -> BalanceTable:
    r"""Means by group, standardised mean differences and variance ratios of covariates.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per firm.
    group : str
        0/1 column (1 = member / treated).
    covariates : sequence of str
        Numeric, boolean or text columns; text/categorical columns are split into one 0/1 row
        per level (``<column>_<level>``, as cobalt).
    weights : str, array-like, Series or a match/weight result, optional
        Matching or weighting weights (aligned with ``df``'s rows; 0 = not used). Adds the
        adjusted columns ``*_adj``.
    estimand : {"ATT", "ATE", "ATC"}
        Chooses the standardising SD (cobalt's ``s.d.denom``): the members' SD for ATT,
        :math:`\sqrt{(s_1^2+s_0^2)/2}` (pooled) for ATE, the non-members' for ATC.
    binary : {"raw", "std"}
        Binary covariates as the raw difference in proportions (cobalt's default) or
        standardised like continuous ones with :math:`\sqrt{p(1-p)}` (MatchIt's ``summary``).
    threshold : float, default 0.1
        :math:`|SMD|` below which a covariate counts as balanced (Austin 2009).
    s_d_denom : {"treated", "control", "pooled"}, optional
        Overrides the SD implied by ``estimand``.

    Returns
    -------
    BalanceTable
        A DataFrame subclass, one row per covariate (see :class:`BalanceTable`).

    Notes
    -----
    For a covariate :math:`x` with (weighted) group means :math:`\bar x_1, \bar x_0`

    .. math:: SMD = \frac{\bar x_1 - \bar x_0}{s^*}, \qquad VR = \frac{s_1^2}{s_0^2}

    where :math:`s^*` is computed **in the unadjusted sample** (so that matching cannot improve
    balance by inflating the SD; cobalt and MatchIt do the same) and variances are cobalt's
    (:func:`weighted_var`; :math:`p(1-p)` for binary covariates). Variance ratios are reported
    for continuous covariates only. ``binary="raw"`` reports :math:`\bar x_1-\bar x_0` in
    the ``smd`` column for binary covariates.

    References
    ----------
    Greifer, N. cobalt: Covariate Balance Tables and Plots (R package), ``bal.tab``.
    Ho, D., Imai, K., King, G. & Stuart, E. (2011). MatchIt. *J. Stat. Softw.* 42(8).
    Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
    covariates. *Statistics in Medicine* 28, 3083-3107.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"member": [1, 1, 0, 0, 0], "x": [2., 4., 1., 2., 3.]})
    >>> balance_table(df, group="member", covariates=["x"], estimand="ATE")["smd"].round(4).tolist()
    [0.8165]
    """
    name = "balance_table"
    check_choice(estimand, ESTIMANDS, argument="estimand")
    check_choice(binary, ["raw", "std"], argument="binary")
    if s_d_denom is not None:
        check_choice(s_d_denom, ["treated", "control", "pooled"], argument="s_d_denom")
    covariates = _as_list(covariates, "covariates")
    if not covariates:
        raise ParameterError("balance_table: give at least one covariate")
    df, orig_index = unique_index(df)
    if (
        orig_index is not None
        and isinstance(weights, pd.Series)
        and weights.index.equals(orig_index)
    ):
        weights = weights.to_numpy()  # labels repeat: align by position
    elif (
        orig_index is not None
        and hasattr(weights, "weights")
        and isinstance(weights.weights, pd.Series)
        and weights.weights.index.equals(orig_index)
    ):
        weights = weights.weights.to_numpy()
    w_all = _resolve_weights(weights, df, name) if weights is not None else None
    frame, dropped = prepare_frame(df, name=name, binary=[group], columns=covariates)
    g = check_binary(frame[group], column=group, name=name, min_per_group=1).to_numpy()
    X, kinds = expand_covariates(frame, covariates, drop_first=False)
    denom_rule = s_d_denom or {"ATT": "treated", "ATC": "control", "ATE": "pooled"}[estimand]
    denom_estimand = {"treated": "ATT", "control": "ATC", "pooled": "ATE"}[denom_rule]
    ones = np.ones(len(frame))
    w = None
    if w_all is not None:
        w = w_all.loc[frame.index].to_numpy()
        if np.isnan(w).any():
            raise DataValidationError(
                f"{name}: weights are missing for {int(np.isnan(w).sum())} complete rows",
                problem_frame(
                    [
                        {
                            "file": name,
                            "column": "weights",
                            "expected": "a weight for every row",
                            "found": "missing",
                        }
                    ]
                ),
            )
        for k in (0, 1):
            if w[g == k].sum() <= 0:
                raise DataValidationError(
                    f"{name}: every {group}={k} row has weight 0",
                    problem_frame(
                        [
                            {
                                "file": name,
                                "column": "weights",
                                "expected": f"positive weights for {group}={k}",
                                "found": "all 0",
                            }
                        ]
                    ),
                )
    rows, notes = [], []
    for col in X.columns:
        x = X[col].to_numpy()
        is_bin = kinds[col] == "binary"
        x1, x0 = x[g == 1], x[g == 0]
        m1, m0 = weighted_mean(x1, ones[g == 1]), weighted_mean(x0, ones[g == 0])
        v1 = weighted_var(x1, ones[g == 1], is_bin)
        v0 = weighted_var(x0, ones[g == 0], is_bin)
        sd = _sd_denominator(v1, v0, denom_estimand)
        standardise = not is_bin or binary == "std"
        if standardise and not sd > 0:
            notes.append(f"{col}: the standardising SD is 0; SMD not defined")

        def _smd(a, b, sd=sd, standardise=standardise):
            if not standardise:
                return a - b
            return (a - b) / sd if sd > 0 else np.nan

        row = {
            "covariate": col,
            "type": kinds[col],
            "mean_treated": m1,
            "mean_control": m0,
            "smd": _smd(m1, m0),
            "variance_ratio": (v1 / v0 if not is_bin and v0 > 0 else np.nan),
        }
        if w is not None:
            w1, w0 = w[g == 1], w[g == 0]
            a1, a0 = weighted_mean(x1, w1), weighted_mean(x0, w0)
            av1, av0 = weighted_var(x1, w1, is_bin), weighted_var(x0, w0, is_bin)
            row.update(
                {
                    "mean_treated_adj": a1,
                    "mean_control_adj": a0,
                    "smd_adj": _smd(a1, a0),
                    "variance_ratio_adj": (av1 / av0 if not is_bin and av0 > 0 else np.nan),
                }
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    final = out["smd_adj"] if w is not None else out["smd"]
    out["balanced"] = final.abs() < threshold
    n1, n0 = int((g == 1).sum()), int((g == 0).sum())
    if w is not None:
        n1, n0 = int((w[g == 1] > 0).sum()), int((w[g == 0] > 0).sum())
    out["n_treated"], out["n_control"] = n1, n0
    out["n_firms"] = min(n1, n0)
    counts = pd.DataFrame({"group": [1, 0], "n": [int((g == 1).sum()), int((g == 0).sum())]})
    if w is not None:
        counts["n_used"] = [int((w[g == 1] > 0).sum()), int((w[g == 0] > 0).sum())]
        counts["ess"] = [effective_n(w[g == 1]), effective_n(w[g == 0])]
    bt = BalanceTable(out)
    bt.estimand, bt.binary, bt.threshold, bt.counts = estimand, binary, threshold, counts
    bt.assumptions = [ASSUMPTIONS["observables"]]
    bt.notes = notes
    bt.dropped = dropped
    for note in notes:
        warnings.warn(note, EstimationWarning, stacklevel=2)
    return bt
