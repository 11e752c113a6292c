r"""Sun & Abraham (2021) interaction-weighted event-study estimator (used by
:func:`clusterlab.compare.event_study` with ``method="sun_abraham"``).

The regression is saturated in joining cohort × event time, so no cohort serves as a control
for another; the event-time effects are then averaged over cohorts with their sample shares.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from clusterlab.compare import event_study
>>> rows = []
>>> for f in range(30):
...     join = [2015, 2017, np.nan][f % 3]
...     for t in range(2012, 2020):
...         e = t - join if join == join else -99
...         effect = (1.0 + e) if e >= 0 else 0.0          # effects grow with exposure
...         rows.append({"firm": f, "year": t, "join": join,
...                      "y": f % 5 + 0.2 * t + effect})
>>> es = event_study(pd.DataFrame(rows), outcome="y", unit="firm", period="year",
...                  first_treated="join", window=(-2, 2), method="sun_abraham",
...                  cov="nonrobust")
>>> es.path[["rel_period", "estimate"]].round(6)
   rel_period  estimate
0          -2       0.0
1          -1       0.0
2           0       1.0
3           1       2.0
4           2       3.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.compare._ols import fit_ols

__all__ = ["sun_abraham_fit"]


def _cterm(g: float, e: int) -> str:
    return f"cohort={g:g}:{e:+d}"


def sun_abraham_fit(
    frame: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    rel: pd.Series,
    design: pd.DataFrame,
    fes,
    cov,
    clusters,
    reference: int,
    terms,
):
    r"""Fit the saturated cohort × event-time regression and aggregate it.

    Parameters
    ----------
    frame : DataFrame with ``_g`` (joining period, NaN = never treated).
    rel : event time of every row (NaN for never-treated rows).
    terms : callable ``e -> term name`` of the aggregated coefficients.

    Returns
    -------
    fit, params (Series over aggregated terms), vcov (DataFrame), cohort_effects (DataFrame:
    ``cohort, rel_period, estimate, std_error, n, weight``), notes (list of str)

    Notes
    -----
    .. math:: y_{it} = \alpha_i + \lambda_t + \sum_{c}\sum_{\ell\ne r}\delta_{c\ell}\,
       \mathbb 1(G_i=c)\,\mathbb 1(t-G_i=\ell) + \varepsilon_{it}

    on cohorts and never-treated units, then :math:`\hat\beta_\ell = \sum_c \hat w_{c\ell}
    \hat\delta_{c\ell}` with :math:`\hat w_{c\ell}` the share of cohort :math:`c` among the
    treated observations at event time :math:`\ell`, and :math:`V(\hat\beta) = W V(\hat\delta)
    W'` (weights treated as known, as fixest's ``sunab``/``aggregate``). Without never-treated
    units the last cohort to join is the control group and periods from its joining on are
    dropped (Sun & Abraham 2021, §4).
    """
    notes: list[str] = []
    g = frame["_g"]
    if g.isna().sum() == 0:
        last = float(g.max())
        keep = frame[period].astype(float) < last
        notes.append(
            f"no never-treated units: the last cohort ({last:g}) is the control group; "
            f"periods from {last:g} on dropped"
        )
        frame = frame.loc[keep].copy()
        rel = rel.loc[keep]
        design = design.loc[keep]
        frame.loc[frame["_g"] == last, "_g"] = np.nan
        rel = rel.where(frame["_g"].notna())
        g = frame["_g"]
    treated = g.notna()
    cells = (
        pd.DataFrame({"c": g[treated], "e": rel[treated].astype(int)}).value_counts().sort_index()
    )
    cols = {}
    for (c, e), _n in cells.items():
        if e == reference:
            continue
        cols[_cterm(c, e)] = ((g == c) & (rel == e)).astype(float)
    X = pd.concat([pd.DataFrame(cols, index=frame.index), design], axis=1)
    fit = fit_ols(
        frame[outcome].astype(float),
        X,
        fe=frame[fes] if fes else None,
        cov=cov,
        clusters=frame[clusters] if cov == "cluster" else None,
    )
    if fit.dropped_columns:
        notes.append(
            "cohort x event-time cells not identified (collinear with the fixed "
            "effects): " + ", ".join(fit.dropped_columns)
        )
    rows = []
    for (c, e), n in cells.items():
        term = _cterm(c, e)
        if e == reference or term not in fit.params.index:
            continue
        rows.append(
            {
                "cohort": c,
                "rel_period": int(e),
                "term": term,
                "estimate": float(fit.params[term]),
                "std_error": float(fit.bse[term]),
                "n": int(n),
            }
        )
    cohort_effects = pd.DataFrame(
        rows, columns=["cohort", "rel_period", "term", "estimate", "std_error", "n"]
    )
    cohort_effects["weight"] = cohort_effects["n"] / cohort_effects.groupby("rel_period")[
        "n"
    ].transform("sum")
    events = sorted(cohort_effects["rel_period"].unique())
    W = np.zeros((len(events), len(cohort_effects)))
    for i, e in enumerate(events):
        sel = (cohort_effects["rel_period"] == e).to_numpy()
        W[i, sel] = cohort_effects.loc[sel, "weight"].to_numpy()
    names = [terms(e) for e in events]
    delta = fit.params[cohort_effects["term"]].to_numpy()
    V = fit.cov.loc[cohort_effects["term"], cohort_effects["term"]].to_numpy()
    params = pd.Series(W @ delta, index=names)
    vcov = pd.DataFrame(W @ V @ W.T, index=names, columns=names)
    return fit, params, vcov, cohort_effects.drop(columns="term"), notes, frame, rel
