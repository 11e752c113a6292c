# ruff: noqa: N803, N806  (matrix notation as in Sant'Anna & Zhao 2020)
r"""Two-period DiD estimators with covariates and their influence functions (Sant'Anna & Zhao
2020), used by :func:`clusterlab.compare.staggered_did` for each group-time cell.

Examples
--------
>>> import numpy as np
>>> from clusterlab.compare._drdid import att_2x2
>>> dy = np.array([3.0, 5.0, 1.0, 2.0]); d = np.array([1.0, 1.0, 0.0, 0.0])
>>> att, psi = att_2x2(dy, d, np.ones((4, 1)), "dr")
>>> float(att)  # (3 + 5)/2 - (1 + 2)/2
2.5
"""

from __future__ import annotations

import warnings

import numpy as np
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from clusterlab._validation import user_stacklevel
from clusterlab.errors import EstimationWarning

__all__ = ["att_2x2"]

#: statsmodels' warnings of a logit that separates the groups (or fails to converge for it)
_FIT_TROUBLE = (PerfectSeparationWarning, ConvergenceWarning)
#: warnings already shown (as a module's ``__warningregistry__``: once per place by default)
_SHOWN: dict = {}


def _logit(d: np.ndarray, X: np.ndarray):
    model = sm.GLM(d, X, family=sm.families.Binomial())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = model.fit()
    # statsmodels' separation and convergence warnings mean that the covariates (nearly)
    # separate the treated from the comparison units: say so in our words, once per fit
    troubled = [w for w in caught if issubclass(w.category, _FIT_TROUBLE)]
    if troubled:
        warnings.warn(
            "propensity score of a 2x2 comparison (estimation 'ipw' or 'dr'): "
            f"{troubled[0].message}; the covariates (nearly) separate treated and comparison "
            "units, so this comparison's ATT rests on extrapolation",
            EstimationWarning,
            stacklevel=user_stacklevel(),
        )
    for w in caught:  # any other warning reaches the user unchanged
        if not issubclass(w.category, _FIT_TROUBLE):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, registry=_SHOWN)
    ps = np.asarray(res.fittedvalues)
    return ps, np.asarray(res.cov_params())


def att_2x2(dy: np.ndarray, d: np.ndarray, X: np.ndarray, estimation: str):
    """ATT and its influence function (length = len(dy)) for one 2×2 comparison.

    Formulas of Sant'Anna & Zhao (2020) as implemented in R ``DRDID`` (``reg_did_panel``,
    ``std_ipw_did_panel``, ``drdid_panel``); ``X`` includes the intercept.
    """
    n = len(dy)
    w_treat = d.astype(float)
    mean_wt = w_treat.mean()
    need_ps = estimation in ("ipw", "dr") and X.shape[1] > 1
    need_or = estimation in ("reg", "dr")
    if need_or:
        c = d == 0
        beta, *_ = np.linalg.lstsq(X[c], dy[c], rcond=None)
        out_delta = X @ beta
        w_ols = (1 - d)[:, None]
        xpx_inv = np.linalg.pinv((w_ols * X).T @ X / n)
        lin_ols = (w_ols * (dy - out_delta)[:, None] * X) @ xpx_inv
    else:
        out_delta = np.zeros(n)
    if need_ps:
        ps, vcov = _logit(d.astype(float), X)
        ps = np.minimum(ps, 1 - 1e-6)
        lin_ps = ((d - ps)[:, None] * X) @ (vcov * n)
    else:
        ps = np.full(n, mean_wt)
    if estimation == "reg":
        att_t = w_treat * dy
        att_c = w_treat * out_delta
        eta_t, eta_c = att_t.mean() / mean_wt, att_c.mean() / mean_wt
        inf_treat = (att_t - w_treat * eta_t) / mean_wt
        inf_c1 = att_c - w_treat * eta_c
        inf_c2 = lin_ols @ (w_treat[:, None] * X).mean(axis=0)
        inf_control = (inf_c1 + inf_c2) / mean_wt
        return eta_t - eta_c, inf_treat - inf_control
    w_cont = ps * (1 - d) / (1 - ps)
    mean_wc = w_cont.mean()
    resid = dy - out_delta
    att_t = w_treat * resid
    att_c = w_cont * resid
    eta_t, eta_c = att_t.mean() / mean_wt, att_c.mean() / mean_wc
    inf_t1 = att_t - w_treat * eta_t
    inf_c1 = att_c - w_cont * eta_c
    if estimation == "ipw":
        inf_treat = inf_t1 / mean_wt
        inf_c2 = (
            lin_ps @ (w_cont[:, None] * (dy - eta_c)[:, None] * X).mean(axis=0) if need_ps else 0.0
        )
        inf_control = (inf_c1 + inf_c2) / mean_wc
        return eta_t - eta_c, inf_treat - inf_control
    # doubly robust
    inf_treat = (inf_t1 - lin_ols @ (w_treat[:, None] * X).mean(axis=0)) / mean_wt
    inf_c2 = (
        lin_ps @ (w_cont[:, None] * (resid - eta_c)[:, None] * X).mean(axis=0) if need_ps else 0.0
    )
    inf_c3 = lin_ols @ (w_cont[:, None] * X).mean(axis=0)
    inf_control = (inf_c1 + inf_c2 - inf_c3) / mean_wc
    return eta_t - eta_c, inf_treat - inf_control
