# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
"""Least squares with absorbed fixed effects and the usual covariance choices, on statsmodels.

Fixed effects are absorbed by the method of alternating projections (Gaure 2013; as Stata's
``reghdfe`` and R's ``fixest``): every variable is demeaned within the levels of each
fixed effect in turn until nothing changes, and statsmodels' OLS is fitted to the demeaned data.
The point estimates equal the dummy-variable (LSDV) regression; the covariance is statsmodels'
rescaled for the degrees of freedom the fixed effects use:

* ``nonrobust`` and ``HC1``: :math:`K = k + \\text{dof}_{FE}` exactly as the LSDV regression,
* ``cluster``: CR1, :math:`\\frac{G}{G-1}\\frac{N-1}{N-K}` with the fixed effects nested
  within a cluster variable not counted in :math:`K` except for one intercept (Stata's
  ``xtreg, fe`` / ``reghdfe``; fixest's ``fixef.K = "nested"``). Two-way clustering is
  Cameron, Gelbach & Miller (2011) / Thompson (2011): :math:`V_1 + V_2 - V_{12}`.

Inference uses t distributions with :math:`N-K` degrees of freedom (``nonrobust``, ``HC1``) or
:math:`G-1` (``cluster``; the smaller :math:`G` with two-way clustering), as Stata does.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare._ols import fit_ols
>>> df = pd.DataFrame({"y": [1., 2., 4., 3., 6., 8.], "x": [0., 1., 1., 0., 1., 1.],
...                    "g": list("aabbcc")})
>>> fit = fit_ols(df["y"], df[["x"]], fe=df[["g"]], cov="nonrobust")
>>> round(float(fit.params["x"]), 4)  # within firms: a +1, b +1 (x falls, y falls), c no info
1.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["OLSFit", "fit_ols", "demean", "fe_dof", "COV_TYPES"]

COV_TYPES = ("nonrobust", "HC1", "cluster")


@dataclass
class OLSFit:
    """Coefficients, covariance and inference degrees of freedom of one least-squares fit."""

    params: pd.Series
    cov: pd.DataFrame
    df_inference: float
    nobs: int
    k: int
    dof_fe: int
    n_clusters: tuple[int, ...] = ()
    correction: str = ""
    model: object = None
    dropped_columns: list[str] = field(default_factory=list)

    @property
    def bse(self) -> pd.Series:
        return pd.Series(
            np.sqrt(np.clip(np.diag(self.cov.to_numpy()), 0, None)), index=self.params.index
        )


def _codes(col: pd.Series) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(col, sort=False)
    return codes.astype(np.int64), len(uniques)


def demean(
    matrix: np.ndarray,
    fe_codes: list[tuple[np.ndarray, int]],
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
) -> np.ndarray:
    """Demean the columns of ``matrix`` within the levels of each fixed effect (alternating
    projections until the largest change is below ``tol`` times the data's scale)."""
    out = np.array(matrix, dtype=float, copy=True)
    if not fe_codes:
        return out
    n = out.shape[0]
    dummies = []
    for codes, levels in fe_codes:
        d = sparse.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, levels))
        counts = np.asarray(d.sum(axis=0)).ravel()
        dummies.append((d, counts))
    scale = max(float(np.abs(out).max()), 1.0)
    for _ in range(max_iter):
        change = 0.0
        for d, counts in dummies:
            means = (d.T @ out) / counts[:, None]
            step = d @ means
            out -= step
            change = max(change, float(np.abs(step).max()))
        if len(dummies) == 1 or change < tol * scale:
            break
    return out


def fe_dof(fe: pd.DataFrame) -> int:
    """Degrees of freedom used by the fixed effects: the number of levels for one, levels minus
    connected components of the bipartite level graph for two (exact), and levels minus
    (number of effects - 1) for more (exact when the levels are connected)."""
    cols = list(fe.columns)
    if not cols:
        return 0
    coded = [_codes(fe[c]) for c in cols]
    if len(cols) == 1:
        return coded[0][1]
    if len(cols) == 2:
        (a, na), (b, nb) = coded
        g = sparse.coo_matrix((np.ones(len(a)), (a, b + na)), shape=(na + nb, na + nb))
        n_comp, _ = connected_components(g, directed=False)
        return na + nb - n_comp
    return sum(n for _, n in coded) - (len(cols) - 1)


def _nested(fe_col: pd.Series, cluster_cols: pd.DataFrame) -> bool:
    for c in cluster_cols.columns:
        if cluster_cols[c].groupby(fe_col.to_numpy()).nunique().max() == 1:
            return True
    return False


def fit_ols(
    y: pd.Series,
    X: pd.DataFrame,
    *,
    fe: pd.DataFrame | None = None,
    cov: str = "nonrobust",
    clusters: pd.DataFrame | None = None,
    weights: np.ndarray | None = None,
    protect: tuple[str, ...] = (),
) -> OLSFit:
    """Least squares of ``y`` on ``X`` (+ intercept, or absorbed fixed effects ``fe``).

    ``protect`` names columns whose collinearity with the fixed effects is an error (the
    treatment); other collinear columns are dropped and listed in ``dropped_columns``.
    """
    if cov not in COV_TYPES:
        raise ParameterError(
            f"cov={cov!r} is not recognised; expected one of "
            + ", ".join(repr(c) for c in COV_TYPES)
        )
    fe = fe if fe is not None and fe.shape[1] else None
    if fe is not None and weights is not None:
        raise ParameterError("weights with absorbed fixed effects are not supported")
    n = len(y)
    names = list(X.columns)
    if fe is None:
        Xm = X.to_numpy(dtype=float)
        Xm = np.column_stack([np.ones(n), Xm])
        names = ["Intercept", *names]
        ym = y.to_numpy(dtype=float)
        dof_fe = 0
    else:
        coded = [_codes(fe[c]) for c in fe.columns]
        both = demean(np.column_stack([y.to_numpy(dtype=float), X.to_numpy(dtype=float)]), coded)
        ym, Xm = both[:, 0], both[:, 1:]
        dof_fe = fe_dof(fe)
    # drop columns that are (numerically) collinear with the fixed effects / each other
    keep: list[int] = []
    dropped: list[str] = []
    for j, name in enumerate(names):
        col = Xm[:, j]
        cand = keep + [j]
        orig = X[name].to_numpy(dtype=float) if name in X.columns else np.ones(n)
        scale = max(float(np.abs(orig).max()), 1e-300)
        if np.abs(col).max() <= 1e-9 * scale or np.linalg.matrix_rank(Xm[:, cand]) < len(cand):
            if name in protect:
                raise DataValidationError(
                    f"{name!r} has no variation left once the fixed effects "
                    f"({', '.join(fe.columns) if fe is not None else 'intercept'}) and the other "
                    "regressors are accounted for; its effect cannot be estimated",
                    problem_frame(
                        [
                            {
                                "column": name,
                                "expected": "variation within units and periods",
                                "found": "absorbed by the fixed effects",
                            }
                        ]
                    ),
                )
            dropped.append(name)
        else:
            keep.append(j)
    Xm = Xm[:, keep]
    names = [names[j] for j in keep]
    k = Xm.shape[1]
    K_full = k + dof_fe
    if n - K_full <= 0:
        raise DataValidationError(
            f"too few observations ({n}) for {K_full} parameters (incl. fixed effects)",
            problem_frame([{"expected": f"more than {K_full} rows", "found": str(n)}]),
        )
    model = sm.WLS(ym, Xm, weights=weights) if weights is not None else sm.OLS(ym, Xm)
    n_clusters: tuple[int, ...] = ()
    if cov == "cluster":
        if clusters is None or clusters.shape[1] == 0:
            raise ParameterError("cov='cluster' needs cluster variables")
        groups = np.column_stack([_codes(clusters[c])[0] for c in clusters.columns])
        n_clusters = tuple(int(clusters[c].nunique()) for c in clusters.columns)
        if min(n_clusters) < 2:
            raise DataValidationError(
                "cluster-robust standard errors need at least 2 clusters",
                problem_frame(
                    [
                        {
                            "column": ",".join(clusters.columns),
                            "expected": ">= 2 clusters",
                            "found": str(min(n_clusters)),
                        }
                    ]
                ),
            )
        res = model.fit(
            cov_type="cluster", cov_kwds={"groups": groups if groups.shape[1] > 1 else groups[:, 0]}
        )
        nested = [c for c in fe.columns if _nested(fe[c], clusters)] if fe is not None else []
        K = K_full - sum(fe[c].nunique() - 1 for c in nested) if fe is not None else K_full
        K = max(K, k + (1 if fe is not None else 0))
        df_inf = float(min(n_clusters) - 1)
        correction = (
            f"CR1: G/(G-1)*(N-1)/(N-K), G={'/'.join(map(str, n_clusters))}, N={n}, "
            f"K={K}"
            + (
                f" (fixed effects nested in clusters not counted: {', '.join(nested)})"
                if nested
                else ""
            )
        )
    elif cov == "HC1":
        res = model.fit(cov_type="HC1")
        K = K_full
        df_inf = float(n - K_full)
        correction = f"HC1: N/(N-K), N={n}, K={K}"
    else:
        res = model.fit()
        K = K_full
        df_inf = float(n - K_full)
        correction = f"classical: sigma^2 = RSS/(N-K), N={n}, K={K}"
    factor = (n - k) / (n - K)
    covm = np.asarray(res.cov_params()) * factor
    params = pd.Series(np.asarray(res.params), index=names)
    return OLSFit(
        params=params,
        cov=pd.DataFrame(covm, index=names, columns=names),
        df_inference=df_inf,
        nobs=n,
        k=k,
        dof_fe=dof_fe,
        n_clusters=n_clusters,
        correction=correction,
        model=res,
        dropped_columns=dropped,
    )
