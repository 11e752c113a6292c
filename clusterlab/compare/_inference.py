r"""Inference for two-way fixed-effects estimates with few treated units: randomization
(permutation) inference and the wild cluster bootstrap.

Both work on the Frisch-Waugh-Lovell form of the regression: the fixed effects and the other
regressors are partialled out of the outcome and the treatment column once (alternating
projections, :func:`clusterlab.compare._ols.demean`), so that every draw costs a few vector
products.

Examples
--------
>>> import numpy as np
>>> from clusterlab.compare._inference import webb_weights
>>> np.unique(np.round(webb_weights(1000, np.random.default_rng(0)) ** 2, 4)).tolist()
[0.5, 1.0, 1.5]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab.compare._ols import _codes, demean

__all__ = [
    "Partialled",
    "partial_out",
    "permutation_pvalue",
    "wild_cluster_bootstrap",
    "webb_weights",
    "multiplier_bootstrap",
]


@dataclass(frozen=True)
class Partialled:
    """The residual-maker :math:`M` (fixed effects + other regressors) applied lazily."""

    fe_codes: list
    others: np.ndarray  # already demeaned other regressors (n x k), may have 0 columns

    def __call__(self, v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        one = v.ndim == 1
        m = v[:, None] if one else v
        m = demean(m, self.fe_codes) if self.fe_codes else m - m.mean(axis=0)
        if self.others.shape[1]:
            coef, *_ = np.linalg.lstsq(self.others, m, rcond=None)
            m = m - self.others @ coef
        return m[:, 0] if one else m


def partial_out(fe: pd.DataFrame | None, others: pd.DataFrame) -> Partialled:
    """Build the residual maker for fixed effects ``fe`` (or an intercept) and ``others``."""
    codes = [_codes(fe[c]) for c in fe.columns] if fe is not None and fe.shape[1] else []
    o = others.to_numpy(dtype=float) if others.shape[1] else np.empty((len(others), 0))
    if o.shape[1]:
        o = demean(o, codes) if codes else o - o.mean(axis=0)
    return Partialled(codes, o)


def permutation_pvalue(observed: float, placebo: np.ndarray, *, exact: bool) -> float:
    r"""Two-sided randomization p-value of :math:`|\hat\beta|` among the placebo estimates.

    ``exact=True``: ``placebo`` holds every assignment including the observed one, and
    :math:`p = \#\{|\beta_j| \ge |\hat\beta|\}/J`. Otherwise ``placebo`` are random draws and
    :math:`p = (1 + \#\{|\beta_j| \ge |\hat\beta|\})/(1 + J)` (Phipson & Smyth 2010).
    """
    tol = 1e-12 * max(1.0, abs(observed))
    hits = int(np.sum(np.abs(placebo) >= abs(observed) - tol))
    if exact:
        return hits / len(placebo)
    return (1 + hits) / (1 + len(placebo))


def webb_weights(size, rng) -> np.ndarray:
    """Webb's (2014) six-point weights: ±sqrt(1/2), ±1, ±sqrt(3/2) with equal probability."""
    vals = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
    return rng.choice(vals, size=size)


def wild_cluster_bootstrap(
    y: np.ndarray,
    x: np.ndarray,
    M: Partialled,
    clusters: np.ndarray,
    *,
    draws: int,
    alpha: float,
    seed=None,
    df_factor: float = 1.0,
):
    r"""Restricted wild cluster bootstrap (WCR) t test and interval for one coefficient.

    Under :math:`H_0: \beta=\beta_0` the restricted residuals :math:`\tilde u = M(y-\beta_0x)`
    are flipped by one weight per cluster, :math:`y^* = (y - \tilde u) + \tilde u\,v_g`, the
    regression is re-estimated and its CR1 t statistic compared with the observed one
    (Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017). Rademacher weights, or Webb's
    six-point weights with fewer than 12 clusters. The interval collects the :math:`\beta_0`
    not rejected at ``alpha`` (test inversion by bisection, the same draws throughout).

    Returns ``(p_value, ci_low, ci_high, weights_name)`` for :math:`H_0: \beta = 0`.
    """
    rng = np.random.default_rng(seed)
    gcodes, G = _codes(pd.Series(clusters))
    weights_name = "webb" if G < 12 else "rademacher"
    v = (
        webb_weights((G, draws), rng)
        if weights_name == "webb"
        else rng.choice([-1.0, 1.0], size=(G, draws))
    )
    V = v[gcodes]  # n x B
    xt = M(x)
    yt = M(y)
    xx = float(xt @ xt)
    beta = float(xt @ yt) / xx

    def cr1_se(resid):  # resid: n x B (or n)
        r2 = resid if resid.ndim == 2 else resid[:, None]
        score = np.zeros((G, r2.shape[1]))
        np.add.at(score, gcodes, xt[:, None] * r2)
        return np.sqrt(df_factor * (score**2).sum(axis=0)) / xx

    se_obs = float(cr1_se(yt - xt * beta)[0])

    def pvalue(b0):
        u = yt - xt * b0  # = M(y - b0 x): restricted residuals
        t_obs = (beta - b0) / se_obs
        ystar_t = xt[:, None] * b0 + M(u[:, None] * V)  # M y*, since M(y - u) = b0 * xt
        b_star = (xt @ ystar_t) / xx
        e_star = ystar_t - xt[:, None] * b_star[None, :]
        t_star = (b_star - b0) / cr1_se(e_star)
        return float(np.mean(np.abs(t_star) >= abs(t_obs) - 1e-12))

    p0 = pvalue(0.0)

    def bound(direction):
        inside, step = beta, max(se_obs, 1e-8 * max(1.0, abs(beta)))
        outside = beta + direction * step
        for _ in range(60):
            if pvalue(outside) < alpha:
                break
            inside, outside = outside, beta + direction * step * 2
            step *= 2
        else:
            return direction * np.inf
        for _ in range(40):
            mid = (inside + outside) / 2
            if pvalue(mid) >= alpha:
                inside = mid
            else:
                outside = mid
            if abs(outside - inside) < 1e-6 * max(se_obs, 1e-12):
                break
        return (inside + outside) / 2

    return p0, bound(-1), bound(1), weights_name


def multiplier_bootstrap(
    influence: np.ndarray, *, draws: int, alpha: float, seed=None
) -> tuple[np.ndarray, float]:
    r"""Standard errors and the uniform critical value from the multiplier bootstrap.

    ``influence`` is the :math:`n\times k` matrix of influence functions (scaled so that
    :math:`SE_j^2 = \frac1{n^2}\sum_i \psi_{ij}^2`). Each draw multiplies the rows by i.i.d.
    Rademacher weights :math:`v_i`: :math:`\hat\theta^*_j-\hat\theta_j = \frac1n\sum_i v_i
    \psi_{ij}`. The SE is the interquartile range of the draws over that of the standard
    normal (robust, as R ``did``); the critical value is the :math:`1-\alpha` quantile of
    :math:`\max_j |\hat\theta^*_j-\hat\theta_j| / SE_j` (a simultaneous band).
    """
    rng = np.random.default_rng(seed)
    n = influence.shape[0]
    out = np.empty((draws, influence.shape[1]))
    step = max(1, 2_000_000 // max(n, 1))
    for start in range(0, draws, step):
        stop = min(draws, start + step)
        v = rng.choice([-1.0, 1.0], size=(stop - start, n))
        out[start:stop] = v @ influence / n
    iqr = np.quantile(out, 0.75, axis=0) - np.quantile(out, 0.25, axis=0)
    se = iqr / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    ok = se > np.sqrt(np.finfo(float).eps) * 10
    se = np.where(ok, se, np.nan)
    if not ok.any():
        return se, float(stats.norm.ppf(1 - alpha / 2))
    tmax = np.max(np.abs(out[:, ok]) / se[ok], axis=1)
    crit = float(np.quantile(tmax, 1 - alpha))
    return se, crit
