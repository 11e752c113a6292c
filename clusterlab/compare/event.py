# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""Event study: leads and lags of joining, relative to the period before joining.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from clusterlab.compare import event_study
>>> rng = np.random.default_rng(0)
>>> rows = []
>>> for f in range(40):
...     join = 2015 if f < 20 else np.nan
...     for t in range(2011, 2020):
...         effect = 2.0 if f < 20 and t >= 2015 else 0.0
...         rows.append({"firm": f, "year": t, "join": join,
...                      "y": f % 7 + 0.1 * t + effect + rng.normal(0, 0.01)})
>>> es = event_study(pd.DataFrame(rows), outcome="y", unit="firm", period="year",
...                  first_treated="join", window=(-2, 2))
>>> es.path[["rel_period", "estimate"]].round(1)
   rel_period  estimate
0          -2       0.0
1          -1       0.0
2           0       2.0
3           1       2.0
4           2       2.0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.compare._common import (
    ASSUMPTIONS,
    ComparisonResult,
    PreTrendWarning,
    _as_list,
    check_alpha,
    expand_covariates,
    prepare_frame,
    summary_frame,
    t_inference,
    unique_index,
)
from clusterlab.compare._ols import COV_TYPES
from clusterlab.compare.did import cluster_columns, fe_columns, fixed_effect_ols, is_panel
from clusterlab.errors import (
    DataValidationError,
    DataWarning,
    EstimationWarning,
    ParameterError,
)

__all__ = ["EventStudyResult", "event_study"]


class EventStudyResult(ComparisonResult):
    """Result of :func:`event_study`.

    Attributes
    ----------
    path : pandas.DataFrame
        One row per event time in the window: ``rel_period, term, estimate, std_error,
        statistic, p_value, ci_low, ci_high, n`` (rows at that event time), ``n_units``
        (treated units observed there), ``reference`` (True for the normalised period, whose
        estimate is 0 by construction).
    pretrend : pandas.DataFrame
        Joint Wald test that all lead coefficients are 0: ``statistic`` (F), ``df1``, ``df2``,
        ``p_value``.
    coefficients : pandas.DataFrame
        Every estimated coefficient (event-time dummies and covariates).
    fit : OLSFit
    """

    def __init__(self, *, path, pretrend, coefficients, fit, first_treated, **kw):
        super().__init__(**kw)
        self.path = path
        self.pretrend = pretrend
        self.coefficients = coefficients
        self.fit = fit
        self.first_treated = first_treated

    def post_average(self, alpha: float = 0.05) -> pd.DataFrame:
        r"""Average of the lag coefficients (event times :math:`\ge 0`) as one summary row:
        :math:`\bar\tau = \frac1m\sum_{e\ge0}\hat\tau_e`, :math:`SE = \sqrt{a'Va}/m`."""
        post = self.path[(self.path["rel_period"] >= 0) & ~self.path["reference"]]
        terms = post["term"].tolist()
        V = self.fit.cov.loc[terms, terms].to_numpy()
        a = np.full(len(terms), 1 / len(terms))
        est = float(a @ self.fit.params[terms].to_numpy())
        se = float(np.sqrt(a @ V @ a))
        stat, p, lo, hi = t_inference(est, se, self.fit.df_inference, alpha)
        return summary_frame([{"term": f"{self.first_treated}:post_average", "estimate": est,
                               "std_error": se, "statistic": stat, "p_value": p,
                               "ci_low": lo, "ci_high": hi, "n": self.fit.nobs}])


def _term(first_treated: str, e: int) -> str:
    return f"{first_treated}:{e:+d}"


def event_study(panel: pd.DataFrame, *, outcome: str, unit: str, period: str,
                first_treated: str, window: tuple[int, int] = (-3, 3), reference: int = -1,
                covariates: Sequence[str] = (), fixed_effects: Sequence[str] = ("unit", "period"),
                cov: str = "cluster", cluster=None, bin_endpoints: bool = True,
                alpha: float = 0.05, min_clusters: int = 30) -> EventStudyResult:
    r"""Two-way fixed-effects event study with never-treated firms as controls.

    Parameters
    ----------
    panel : pandas.DataFrame
        Firm panel (or repeated cross-sections, ``unit`` = group).
    outcome, unit, period : str
        Outcome, firm id and (integer) period columns.
    first_treated : str
        Period in which the unit joined (e.g. ``join_year``); missing = never treated.
    window : (int, int), default (-3, 3)
        First lead and last lag estimated.
    reference : int, default -1
        Event time normalised to 0 (the period before joining).
    covariates, fixed_effects, cov, cluster, alpha, min_clusters
        As in :func:`did`.
    bin_endpoints : bool, default True
        Event times beyond the window are pooled into the end bins (so they do not fall into
        the reference group); ``False`` drops treated units' rows outside the window.

    Returns
    -------
    EventStudyResult
        ``summary()`` (one row per estimated event time, ``term`` = ``"<first_treated>:+e"``),
        ``path``, ``pretrend`` and ``post_average()``.

    Notes
    -----
    .. math:: y_{it} = \alpha_i + \lambda_t + \sum_{e \ne r} \tau_e\,
       \mathbb 1(t - G_i = e) + x_{it}'\beta + \varepsilon_{it}

    with :math:`G_i` the joining period and :math:`r` the reference. The leads
    (:math:`e < 0`) should be near 0 if members and non-members trended alike before joining
    (the pre-trend test is their joint F test). With staggered joining and effects that vary
    over time, TWFE lags can be contaminated by other cohorts (Sun & Abraham 2021); having
    never-treated firms limits this.

    References
    ----------
    Freyaldenhoven, S., Hansen, C., Pérez, J. P. & Shapiro, J. M. (2021). Visualization,
    identification, and estimation in the linear panel event-study design. NBER WP 29170.
    Sun, L. & Abraham, S. (2021). Estimating dynamic treatment effects in event studies with
    heterogeneous treatment effects. *J. Econometrics* 225, 175-199.
    """
    alpha = check_alpha(alpha)
    check_choice(cov, COV_TYPES, argument="cov")
    try:
        lo_w, hi_w = (int(window[0]), int(window[1]))
    except (TypeError, ValueError, IndexError) as exc:
        raise ParameterError(f"window={window!r} must be a pair of integers (first lead, "
                             "last lag)") from exc
    if not lo_w < hi_w:
        raise ParameterError(f"window={window!r}: the first lead must be below the last lag")
    if not lo_w <= reference <= hi_w:
        raise ParameterError(f"reference={reference!r} must lie inside window={window!r}")
    name = "event_study"
    covariates = _as_list(covariates, "covariates")
    fes = fe_columns(fixed_effects, unit=unit, period=period)
    clusters = cluster_columns(cluster, unit=unit) if cov == "cluster" else []
    check_frame(panel, required=[first_treated], name=name)
    panel, _ = unique_index(panel)
    frame, dropped = prepare_frame(panel, name=name, numeric=[outcome, period],
                                   columns=[unit, period, *covariates, *fes, *clusters])
    g = pd.to_numeric(panel.loc[frame.index, first_treated], errors="coerce")
    bad = panel.loc[frame.index, first_treated].notna() & g.isna()
    if bad.any():
        raise DataValidationError(f"{name}: {first_treated!r} must be a period number or "
                                  "missing (never treated)",
                                  problem_frame([{"file": name, "column": first_treated,
                                                  "expected": "number or missing",
                                                  "found": str(panel.loc[bad.idxmax(),
                                                                         first_treated])}]))
    g = g.astype("float64").where(np.isfinite(g))  # inf (fixest's sunab code) = never treated
    frame["_g"] = g
    first_seen = float(frame[period].min())
    zero_coded = (g == 0) & (first_seen > 0)
    zero_msg = None
    if zero_coded.any():
        zero_msg = (f"{name}: {frame.loc[zero_coded, unit].nunique()} {unit}s have "
                    f"{first_treated} = 0, before the first period observed ({first_seen:g}); "
                    "they are read as joined in period 0 (treated throughout). If 0 means "
                    "never treated (the convention of R's did package), set it missing")
        warnings.warn(zero_msg, DataWarning, stacklevel=2)
    panel_data = is_panel(frame, unit, period)
    varies = frame.groupby(unit)["_g"].nunique(dropna=False) > 1
    if varies.any():
        bad_units = varies[varies].index[:5]
        raise DataValidationError(
            f"{name}: {first_treated!r} differs within {unit} for {int(varies.sum())} units",
            problem_frame([{"file": name, "column": first_treated,
                            "expected": f"one value per {unit}", "found": f"{unit}={u}"}
                           for u in bad_units]))
    treated_rows = frame["_g"].notna()
    n_treated_units = frame.loc[treated_rows, unit].nunique()
    n_never = frame.loc[~treated_rows, unit].nunique()
    if n_treated_units < 1 or (panel_data and n_treated_units < 2):
        raise DataValidationError(
            f"{name}: {n_treated_units} treated {unit}(s); an event study needs at least 2",
            problem_frame([{"file": name, "column": first_treated,
                            "expected": ">= 2 treated units", "found": str(n_treated_units)}]))
    rel = (frame[period].astype(float) - frame["_g"])
    if not (rel[treated_rows] < 0).any():
        raise DataValidationError(
            f"{name}: no treated {unit} is observed before it joined (no pre-period)",
            problem_frame([{"file": name, "column": f"{period},{first_treated}",
                            "expected": "treated units observed before joining",
                            "found": "none"}]))
    notes: list[str] = [zero_msg] if zero_msg else []
    if n_never < 2:
        msg = (f"{name}: {n_never} never-treated {unit}s - the comparison rests on the timing "
               "of joining alone (later joiners as controls)")
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    if bin_endpoints:
        rel = rel.clip(lower=lo_w, upper=hi_w)
    else:
        outside = treated_rows & ((rel < lo_w) | (rel > hi_w))
        if outside.any():
            notes.append(f"{int(outside.sum())} treated rows outside the window dropped")
        frame, rel, treated_rows = frame.loc[~outside], rel.loc[~outside], treated_rows[~outside]
    events = [e for e in range(lo_w, hi_w + 1) if e != reference]
    dummies = pd.DataFrame({_term(first_treated, e): ((rel == e) & treated_rows).astype(float)
                            for e in events}, index=frame.index)
    present = [c for c in dummies.columns if dummies[c].sum() > 0]
    missing_e = [c for c in dummies.columns if c not in present]
    if missing_e:
        notes.append("no observations at event times " + ", ".join(missing_e))
    dummies = dummies[present]
    design, _ = expand_covariates(frame, covariates, drop_first=True)
    X = pd.concat([dummies, design], axis=1)
    fit, coefs = fixed_effect_ols(frame, outcome=outcome, regressors=X, fes=fes, cov=cov,
                                  clusters=clusters, protect=(), alpha=alpha, name=name,
                                  notes=notes, min_clusters=min_clusters)
    notes.append(f"standard errors: {fit.correction}")
    est_terms = [t for t in present if t in fit.params.index]
    rows = []
    for e in range(lo_w, hi_w + 1):
        term = _term(first_treated, e)
        at = treated_rows & (rel == e)
        base = {"rel_period": e, "term": term, "n": int(at.sum()),
                "n_units": int(frame.loc[at, unit].nunique()), "reference": e == reference}
        if e == reference:
            base.update(estimate=0.0, std_error=0.0, statistic=np.nan, p_value=np.nan,
                        ci_low=0.0, ci_high=0.0)
        elif term in est_terms:
            r = coefs.loc[coefs["term"] == term].iloc[0]
            base.update({k: r[k] for k in ("estimate", "std_error", "statistic", "p_value",
                                           "ci_low", "ci_high")})
        else:
            base.update(estimate=np.nan, std_error=np.nan, statistic=np.nan, p_value=np.nan,
                        ci_low=np.nan, ci_high=np.nan)
        rows.append(base)
    path = pd.DataFrame(rows)[["rel_period", "term", "estimate", "std_error", "statistic",
                               "p_value", "ci_low", "ci_high", "n", "n_units", "reference"]]
    leads = [t for t in est_terms if int(t.rsplit(":", 1)[1]) < 0]
    if leads:
        b = fit.params[leads].to_numpy()
        V = fit.cov.loc[leads, leads].to_numpy()
        q = len(leads)
        F = float(b @ np.linalg.pinv(V) @ b / q)
        df2 = fit.df_inference
        p = float(stats.f.sf(F, q, df2))
        pretrend = pd.DataFrame([{"test": "leads jointly zero", "statistic": F, "df1": q,
                                  "df2": df2, "p_value": p, "leads": ", ".join(leads)}])
        if p < 0.05:
            msg = (f"pre-trends: the leads are jointly different from zero (F = {F:.2f}, "
                   f"p = {p:.3f}); members' {outcome} already diverged before joining")
            notes.append(msg)
            warnings.warn(msg, PreTrendWarning, stacklevel=2)
    else:
        pretrend = pd.DataFrame([{"test": "leads jointly zero", "statistic": np.nan,
                                  "df1": 0, "df2": np.nan, "p_value": np.nan, "leads": ""}])
        notes.append("no leads estimated: the pre-trend test needs event times before the "
                     "reference period")
    table = summary_frame(coefs[coefs["term"].isin(est_terms)].to_dict("records"))
    assumptions = [ASSUMPTIONS["parallel_trends"], ASSUMPTIONS["no_anticipation"],
                   ASSUMPTIONS["no_spillover"], ASSUMPTIONS["homogeneity"]]
    if not panel_data:
        assumptions.append(ASSUMPTIONS["composition"])
    return EventStudyResult(method="event_study", outcome=outcome, table=table,
                            assumptions=assumptions, notes=notes,
                            n_units=(int(frame[unit].nunique()) if panel_data else len(frame)),
                            dropped=dropped, path=path, pretrend=pretrend, coefficients=coefs,
                            fit=fit, first_treated=first_treated)
