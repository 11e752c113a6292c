# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""Regression adjustment: the member gap holding covariates fixed (OLS, robust SEs)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from clusterlab._validation import check_choice
from clusterlab.compare._common import (
    ASSUMPTIONS,
    ComparisonResult,
    _as_list,
    check_alpha,
    check_binary,
    expand_covariates,
    n_units,
    prepare_frame,
    summary_frame,
    t_inference,
    unique_index,
)
from clusterlab.compare._ols import fit_ols
from clusterlab.errors import ParameterError

__all__ = ["RegressionResult", "regression_adjustment"]


class RegressionResult(ComparisonResult):
    """Result of :func:`regression_adjustment`.

    A :class:`ComparisonResult` (``summary()`` gives the member row) with two more attributes.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        Every coefficient of the regression in the summary format (``term, estimate,
        std_error, statistic, p_value, ci_low, ci_high, n``).
    fit : OLSFit
        The underlying fit (``fit.model`` is the statsmodels results object).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import regression_adjustment
    >>> firms = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0],
    ...                       "age": [1.0, 2.0, 4.0, 1.0, 3.0, 4.0],
    ...                       "sales": [6.0, 7.5, 9.0, 2.0, 4.5, 5.0]})
    >>> r = regression_adjustment(firms, outcome="sales", group="member", covariates=["age"])
    >>> r.summary()[["term", "estimate", "n"]]
         term  estimate  n
    0  member       4.0  6
    >>> r.coefficients[["term", "estimate"]].round(3)
            term  estimate
    0  Intercept     1.167
    1     member     4.000
    2        age     1.000
    """

    def __init__(self, *, coefficients: pd.DataFrame, fit, **kw):
        super().__init__(**kw)
        self.coefficients = coefficients
        self.fit = fit


def regression_adjustment(
    df: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    covariates: Sequence[str],
    interacted: bool = False,
    estimand: str = "ATE",
    cov: str = "HC1",
    cluster: str | None = None,
    unit: str | None = None,
    alpha: float = 0.05,
) -> RegressionResult:
    r"""OLS of ``outcome`` on the member indicator and covariates, with robust standard errors.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per firm (or firm-period when ``cluster``/``unit`` is the firm).
    outcome, group : str
        Numeric outcome; 0/1 member column.
    covariates : sequence of str
        Numeric or text columns (text: indicators with the first level left out).
    interacted : bool, default False
        Fully interacted model (Lin 2013): covariates centred at the mean of the target
        population and interacted with the member indicator, so that the member coefficient
        is the average effect even when the covariates' slopes differ between groups.
    estimand : {"ATE", "ATT"}
        Centring of the interacted model: all firms (ATE) or members (ATT). Ignored when
        ``interacted`` is False.
    cov : {"HC1", "nonrobust", "cluster"}
        Covariance; ``cluster`` needs ``cluster`` (a column).
    cluster : str, optional
        Cluster column for ``cov="cluster"``.
    unit : str, optional
        Firm id (counts firms).
    alpha : float

    Returns
    -------
    RegressionResult
        ``summary()``: the member row (``term`` = ``group``); ``coefficients``: all.

    Notes
    -----
    .. math:: y_i = \alpha + \tau D_i + x_i'\beta + \varepsilon_i
       \qquad\text{or}\qquad
       y_i = \alpha + \tau D_i + (x_i-\bar x)'\beta + D_i (x_i-\bar x)'\gamma + \varepsilon_i

    HC1: :math:`\frac{N}{N-K}(X'X)^{-1}X'\operatorname{diag}(e^2)X(X'X)^{-1}`, t reference with
    :math:`N-K` degrees of freedom (Stata's ``regress, robust``). Estimates equal statsmodels'
    ``OLS(...).fit(cov_type="HC1")``.

    References
    ----------
    Lin, W. (2013). Agnostic notes on regression adjustments to experimental data. *Ann. Appl.
    Stat.* 7, 295-318.
    Imbens, G. W. & Wooldridge, J. M. (2009). Recent developments in the econometrics of
    program evaluation. *J. Econ. Lit.* 47, 5-86.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from clusterlab.compare import regression_adjustment
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"member": np.repeat([0, 1], 50), "age": rng.normal(10, 2, 100)})
    >>> df["y"] = 3 * df["member"] + 0.5 * df["age"] + rng.normal(0, 0.1, 100)
    >>> r = regression_adjustment(df, outcome="y", group="member", covariates=["age"])
    >>> round(float(r.summary().loc[0, "estimate"]), 1)
    3.0
    """
    alpha = check_alpha(alpha)
    check_choice(estimand, ["ATE", "ATT"], argument="estimand")
    check_choice(cov, ["HC1", "nonrobust", "cluster"], argument="cov")
    covariates = _as_list(covariates, "covariates")
    name = "regression_adjustment"
    extra = [c for c in (cluster, unit) if c]
    df, _ = unique_index(df)
    frame, dropped = prepare_frame(
        df, name=name, numeric=[outcome], binary=[group], columns=[*covariates, *extra]
    )
    frame[group] = check_binary(
        frame[group], column=group, name=name, units=frame[unit] if unit else None
    )
    design, _ = expand_covariates(frame, covariates, drop_first=True)
    X = pd.concat([frame[[group]].astype(float), design], axis=1)
    if interacted and design.shape[1]:
        centre = design.mean() if estimand == "ATE" else design.loc[frame[group] == 1].mean()
        centred = design - centre
        inter = centred.mul(frame[group], axis=0).add_prefix(f"{group}:")
        X = pd.concat([frame[[group]].astype(float), centred, inter], axis=1)
    clusters = None
    if cov == "cluster":
        if cluster is None:
            raise ParameterError("cov='cluster' needs cluster=<column>")
        clusters = frame[[cluster]]
    fit = fit_ols(frame[outcome].astype(float), X, cov=cov, clusters=clusters, protect=(group,))
    se = fit.bse
    stat, p, lo, hi = t_inference(fit.params.to_numpy(), se.to_numpy(), fit.df_inference, alpha)
    coefs = pd.DataFrame(
        {
            "term": fit.params.index,
            "estimate": fit.params.to_numpy(),
            "std_error": se.to_numpy(),
            "statistic": stat,
            "p_value": p,
            "ci_low": lo,
            "ci_high": hi,
            "n": fit.nobs,
        }
    )
    table = summary_frame(coefs[coefs["term"] == group].to_dict("records"))
    result = RegressionResult(
        method="regression_interacted" if interacted else "regression_adjustment",
        outcome=outcome,
        table=table,
        assumptions=[
            ASSUMPTIONS["observables"],
            ASSUMPTIONS["linearity"],
            ASSUMPTIONS["overlap"],
            ASSUMPTIONS["no_spillover"],
        ],
        n_units=n_units(frame, unit),
        dropped=dropped,
        coefficients=coefs,
        fit=fit,
    )
    result.notes.append(f"standard errors: {fit.correction}")
    if fit.dropped_columns:
        result._warn("collinear covariates left out: " + ", ".join(fit.dropped_columns))
    return result
