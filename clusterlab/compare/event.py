# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""Event study: leads and lags of joining, relative to the period before joining."""

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
    check_draws,
    expand_covariates,
    prepare_frame,
    summary_frame,
    t_inference,
    unique_index,
)
from clusterlab.compare._inference import permutation_pvalue
from clusterlab.compare._ols import COV_TYPES, OLSFit, fit_ols
from clusterlab.compare.did import (
    FEW_TREATED,
    INFERENCE,
    cluster_columns,
    fe_columns,
    fixed_effect_ols,
    is_panel,
    warn_repeated_rows,
)
from clusterlab.compare.sunab import sun_abraham_fit
from clusterlab.errors import (
    DataValidationError,
    DataWarning,
    EstimationWarning,
    FewTreatedWarning,
    ParameterError,
)

__all__ = ["EventStudyResult", "event_study"]

METHODS = ("twfe", "sun_abraham")


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
        Every estimated coefficient (event-time dummies and covariates; for Sun-Abraham the
        aggregated event-time effects).
    fit : OLSFit
        The regression (for Sun-Abraham the saturated cohort × event-time regression).
    params, vcov : pandas.Series, pandas.DataFrame
        Event-time estimates and their covariance.
    cohort_effects : pandas.DataFrame
        Sun-Abraham only: ``cohort, rel_period, estimate, std_error, n, weight`` (the
        cohort-specific effects and their aggregation weights).
    permutation : pandas.DataFrame
        With ``inference="permutation"``: placebo estimates ``draw, term, estimate, exact``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import event_study
    >>> rows = [{"firm": f, "year": t, "join": 4 if f < 20 else None,
    ...          "y": f % 5 + 0.5 * t + 2.0 * (f < 20 and t >= 4) + 0.1 * ((f + t * t) % 3)}
    ...         for f in range(40) for t in range(1, 7)]     # 20 firms join in year 4
    >>> es = event_study(pd.DataFrame(rows), outcome="y", unit="firm", period="year",
    ...                  first_treated="join", window=(-2, 1))
    >>> es.path[["rel_period", "estimate", "reference"]].round(2)
       rel_period  estimate  reference
    0          -2      0.01      False
    1          -1      0.00       True
    2           0      2.01      False
    3           1      2.01      False
    >>> es.pretrend[["statistic", "df1", "p_value"]].round(3)
       statistic  df1  p_value
    0      0.108    1    0.745
    >>> es.post_average()[["term", "estimate"]].round(2)
                    term  estimate
    0  join:post_average      2.01
    """

    fit: OLSFit  # always set here (ComparisonResult's is optional)

    def __init__(
        self,
        *,
        path,
        pretrend,
        coefficients,
        fit,
        first_treated,
        params=None,
        vcov=None,
        cohort_effects=None,
        permutation=None,
        **kw,
    ):
        super().__init__(**kw)
        self.params = fit.params if params is None else params
        self.vcov = fit.cov if vcov is None else vcov
        self.cohort_effects = pd.DataFrame() if cohort_effects is None else cohort_effects
        self.permutation = pd.DataFrame() if permutation is None else permutation
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
        V = self.vcov.loc[terms, terms].to_numpy()
        a = np.full(len(terms), 1 / len(terms))
        est = float(a @ self.params[terms].to_numpy())
        se = float(np.sqrt(a @ V @ a))
        stat, p, lo, hi = t_inference(est, se, self.fit.df_inference, alpha)
        return summary_frame(
            [
                {
                    "term": f"{self.first_treated}:post_average",
                    "estimate": est,
                    "std_error": se,
                    "statistic": stat,
                    "p_value": p,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": self.fit.nobs,
                }
            ]
        )


def _term(first_treated: str, e: int) -> str:
    return f"{first_treated}:{e:+d}"


def event_study(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    first_treated: str,
    window: tuple[int, int] = (-3, 3),
    reference: int = -1,
    covariates: Sequence[str] = (),
    fixed_effects: Sequence[str] = ("unit", "period"),
    cov: str = "cluster",
    cluster=None,
    bin_endpoints: bool = True,
    alpha: float = 0.05,
    min_clusters: int = 30,
    method: str = "twfe",
    inference: str = "analytic",
    draws: int = 999,
    seed=None,
) -> EventStudyResult:
    r"""Two-way fixed-effects event study with never-treated firms as controls.

    Parameters
    ----------
    panel : pandas.DataFrame
        Firm panel (or repeated cross-sections, ``unit`` = group).
    outcome, unit, period : str
        Outcome, firm id and (integer) period columns.
    first_treated : str
        Period in which the unit joined (e.g. ``join_year``); missing = never treated.
    window : (int, int) or None, default (-3, 3)
        First lead and last lag estimated (TWFE) or shown (Sun-Abraham always estimates every
        cohort × event time). ``None``: every event time in the data, without binning.
    method : {"twfe", "sun_abraham"}
        ``twfe``: one dummy per event time (below). ``sun_abraham``: the interaction-weighted
        estimator of Sun & Abraham (2021), robust to effects that differ between joining
        cohorts: never-treated units as controls (the last cohort when there are none),
        reference period ``reference`` (-1), cohort shares as weights
        (see :func:`clusterlab.compare.sunab.sun_abraham_fit`), as fixest's ``sunab``.
    inference : {"analytic", "permutation"}
        ``permutation``: randomization inference - joining periods reassigned across units
        (every placement of a single treated unit, else ``draws`` random permutations);
        p-values per event time, no intervals. Recommended with one or very few treated units.
    draws, seed
        Permutations and their seed.
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
    alpha = check_alpha(alpha)
    check_choice(cov, COV_TYPES, argument="cov")
    check_choice(method, METHODS, argument="method")
    check_choice(inference, INFERENCE, argument="inference")
    draws = check_draws(draws)
    lo_w = hi_w = None
    if window is not None:
        try:
            lo_w, hi_w = (int(window[0]), int(window[1]))
        except (TypeError, ValueError, IndexError) as exc:
            raise ParameterError(
                f"window={window!r} must be a pair of integers (first lead, last lag) or None"
            ) from exc
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
    frame, dropped = prepare_frame(
        panel,
        name=name,
        numeric=[outcome, period],
        columns=[unit, period, *covariates, *fes, *clusters],
    )
    g = pd.to_numeric(panel.loc[frame.index, first_treated], errors="coerce")
    bad = panel.loc[frame.index, first_treated].notna() & g.isna()
    if bad.any():
        raise DataValidationError(
            f"{name}: {first_treated!r} must be a period number or missing (never treated)",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": first_treated,
                        "expected": "number or missing",
                        "found": str(panel.loc[bad.idxmax(), first_treated]),
                    }
                ]
            ),
        )
    g = g.astype("float64").where(np.isfinite(g))  # inf (fixest's sunab code) = never treated
    frame["_g"] = g
    first_seen = float(frame[period].min())
    zero_coded = (g == 0) & (first_seen > 0)
    zero_msg = None
    if zero_coded.any():
        zero_msg = (
            f"{name}: {frame.loc[zero_coded, unit].nunique()} {unit}s have "
            f"{first_treated} = 0, before the first period observed ({first_seen:g}); "
            "they are read as joined in period 0 (treated throughout). If 0 means "
            "never treated (the convention of R's did package), set it missing"
        )
        warnings.warn(zero_msg, DataWarning, stacklevel=2)
    panel_data = is_panel(frame, unit, period)
    if not panel_data:
        warn_repeated_rows(frame, unit=unit, period=period, name=name)
    varies = frame.groupby(unit)["_g"].nunique(dropna=False) > 1
    if varies.any():
        bad_units = varies[varies].index[:5]
        raise DataValidationError(
            f"{name}: {first_treated!r} differs within {unit} for {int(varies.sum())} units",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": first_treated,
                        "expected": f"one value per {unit}",
                        "found": f"{unit}={u}",
                    }
                    for u in bad_units
                ]
            ),
        )
    treated_rows = frame["_g"].notna()
    n_treated_units = frame.loc[treated_rows, unit].nunique()
    n_never = frame.loc[~treated_rows, unit].nunique()
    if n_treated_units < 1:
        raise DataValidationError(
            f"{name}: no treated {unit}; an event study needs at least 1",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": first_treated,
                        "expected": ">= 1 treated unit",
                        "found": "0",
                    }
                ]
            ),
        )
    rel = frame[period].astype(float) - frame["_g"]
    if not (rel[treated_rows] < 0).any():
        raise DataValidationError(
            f"{name}: no treated {unit} is observed before it joined (no pre-period)",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": f"{period},{first_treated}",
                        "expected": "treated units observed before joining",
                        "found": "none",
                    }
                ]
            ),
        )
    notes: list[str] = [zero_msg] if zero_msg else []
    if panel_data and n_treated_units < FEW_TREATED:
        msg = (
            f"{name}: only {n_treated_units} treated {unit}(s). The estimates are defined, "
            f"but {'cluster-robust' if cov == 'cluster' else cov} standard errors are "
            "unreliable with so few treated units (MacKinnon & Webb 2017) - use "
            "inference='permutation' (randomization inference)"
        )
        notes.append(msg)
        warnings.warn(msg, FewTreatedWarning, stacklevel=2)
    if n_never < 2:
        msg = (
            f"{name}: {n_never} never-treated {unit}s - the comparison rests on the timing "
            "of joining alone (later joiners as controls)"
        )
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    if window is None:
        lo_w, hi_w = int(rel[treated_rows].min()), int(rel[treated_rows].max())
        lo_w, hi_w = min(lo_w, reference), max(hi_w, reference)
    design, _ = expand_covariates(frame, covariates, drop_first=True)
    if method == "sun_abraham":
        fit, params, vcov, cohort_effects, more, frame, rel = sun_abraham_fit(
            frame,
            outcome=outcome,
            unit=unit,
            period=period,
            rel=rel,
            design=design,
            fes=fes,
            cov=cov,
            clusters=clusters,
            reference=reference,
            terms=lambda e: _term(first_treated, e),
        )
        notes += more
        treated_rows = frame["_g"].notna()
        inside = [t for t in params.index if lo_w <= int(t.rsplit(":", 1)[1]) <= hi_w]
        params, vcov = params[inside], vcov.loc[inside, inside]
        coefs = _coef_table(params, vcov, fit, alpha)
    else:
        frame, rel, treated_rows, X, present = _twfe_design(
            frame,
            rel,
            treated_rows,
            design,
            lo_w=lo_w,
            hi_w=hi_w,
            reference=reference,
            bin_endpoints=bin_endpoints and window is not None,
            first_treated=first_treated,
            notes=notes,
        )
        cohort_effects = pd.DataFrame()
        fit, coefs = fixed_effect_ols(
            frame,
            outcome=outcome,
            regressors=X,
            fes=fes,
            cov=cov,
            clusters=clusters,
            protect=(),
            alpha=alpha,
            name=name,
            notes=notes,
            min_clusters=min_clusters,
        )
        est_names = [t for t in present if t in fit.params.index]
        params, vcov = fit.params[est_names], fit.cov.loc[est_names, est_names]
    notes.append(f"standard errors: {fit.correction}")
    est_terms = list(params.index)
    permutation = pd.DataFrame()
    if inference == "permutation":
        if not panel_data:
            raise ParameterError(
                "inference='permutation' needs a panel (one row per unit and period)"
            )
        permutation = _permute(
            frame,
            est_terms,
            params,
            outcome=outcome,
            unit=unit,
            period=period,
            fes=fes,
            design=design,
            method=method,
            lo_w=lo_w,
            hi_w=hi_w,
            reference=reference,
            bin_endpoints=bin_endpoints and window is not None,
            first_treated=first_treated,
            draws=draws,
            seed=seed,
        )
        pv = permutation.groupby("term").apply(
            lambda d: permutation_pvalue(
                float(params[d.name]), d["estimate"].to_numpy(), exact=bool(d["exact"].iloc[0])
            ),
            include_groups=False,
        )
        hit = coefs["term"].isin(est_terms)
        coefs.loc[hit, "p_value"] = coefs.loc[hit, "term"].map(pv).to_numpy()
        coefs.loc[hit, ["ci_low", "ci_high"]] = np.nan
        notes.append(
            "p-values by randomization inference (joining periods reassigned across "
            f"{unit}s); no intervals"
        )
    rows = []
    for e in range(lo_w, hi_w + 1):
        term = _term(first_treated, e)
        at = treated_rows & (rel == e)
        base = {
            "rel_period": e,
            "term": term,
            "n": int(at.sum()),
            "n_units": int(frame.loc[at, unit].nunique()),
            "reference": e == reference,
        }
        if e == reference:
            base.update(
                estimate=0.0,
                std_error=0.0,
                statistic=np.nan,
                p_value=np.nan,
                ci_low=0.0,
                ci_high=0.0,
            )
        elif term in est_terms:
            r = coefs.loc[coefs["term"] == term].iloc[0]
            base.update(
                {
                    k: r[k]
                    for k in ("estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high")
                }
            )
        else:
            base.update(
                estimate=np.nan,
                std_error=np.nan,
                statistic=np.nan,
                p_value=np.nan,
                ci_low=np.nan,
                ci_high=np.nan,
            )
        rows.append(base)
    path = pd.DataFrame(rows)[
        [
            "rel_period",
            "term",
            "estimate",
            "std_error",
            "statistic",
            "p_value",
            "ci_low",
            "ci_high",
            "n",
            "n_units",
            "reference",
        ]
    ]
    leads = [t for t in est_terms if int(t.rsplit(":", 1)[1]) < 0]
    if leads:
        b = params[leads].to_numpy()
        V = vcov.loc[leads, leads].to_numpy()
        q = len(leads)
        F = float(b @ np.linalg.pinv(V) @ b / q)
        df2 = fit.df_inference
        p = float(stats.f.sf(F, q, df2))
        pretrend = pd.DataFrame(
            [
                {
                    "test": "leads jointly zero",
                    "statistic": F,
                    "df1": q,
                    "df2": df2,
                    "p_value": p,
                    "leads": ", ".join(leads),
                }
            ]
        )
        if p < 0.05:
            msg = (
                f"pre-trends: the leads are jointly different from zero (F = {F:.2f}, "
                f"p = {p:.3f}); members' {outcome} already diverged before joining"
            )
            notes.append(msg)
            warnings.warn(msg, PreTrendWarning, stacklevel=2)
    else:
        pretrend = pd.DataFrame(
            [
                {
                    "test": "leads jointly zero",
                    "statistic": np.nan,
                    "df1": 0,
                    "df2": np.nan,
                    "p_value": np.nan,
                    "leads": "",
                }
            ]
        )
        notes.append(
            "no leads estimated: the pre-trend test needs event times before the reference period"
        )
    table = summary_frame(coefs[coefs["term"].isin(est_terms)].to_dict("records"))
    assumptions = [
        ASSUMPTIONS["parallel_trends"],
        ASSUMPTIONS["no_anticipation"],
        ASSUMPTIONS["no_spillover"],
    ]
    if method == "twfe":
        assumptions.append(ASSUMPTIONS["homogeneity"])
    if not panel_data:
        assumptions.append(ASSUMPTIONS["composition"])
    return EventStudyResult(
        method="event_study" if method == "twfe" else "sun_abraham",
        outcome=outcome,
        table=table,
        assumptions=assumptions,
        notes=notes,
        n_units=(int(frame[unit].nunique()) if panel_data else len(frame)),
        dropped=dropped,
        path=path,
        pretrend=pretrend,
        coefficients=coefs,
        fit=fit,
        first_treated=first_treated,
        params=params,
        vcov=vcov,
        cohort_effects=cohort_effects,
        permutation=permutation,
    )


def _coef_table(params: pd.Series, vcov: pd.DataFrame, fit, alpha: float) -> pd.DataFrame:
    se = np.sqrt(np.clip(np.diag(vcov.to_numpy()), 0, None))
    stat, p, lo, hi = t_inference(params.to_numpy(), se, fit.df_inference, alpha)
    return pd.DataFrame(
        {
            "term": params.index,
            "estimate": params.to_numpy(),
            "std_error": se,
            "statistic": stat,
            "p_value": p,
            "ci_low": lo,
            "ci_high": hi,
            "n": fit.nobs,
        }
    )


def _twfe_design(
    frame, rel, treated_rows, design, *, lo_w, hi_w, reference, bin_endpoints, first_treated, notes
):
    """Event-time dummies of the TWFE event study (binned or trimmed at the window)."""
    if bin_endpoints:
        rel = rel.clip(lower=lo_w, upper=hi_w)
    else:
        outside = treated_rows & ((rel < lo_w) | (rel > hi_w))
        if outside.any():
            notes.append(f"{int(outside.sum())} treated rows outside the window dropped")
        keep = ~outside
        frame, rel, treated_rows, design = (
            frame.loc[keep],
            rel.loc[keep],
            treated_rows[keep],
            design.loc[keep],
        )
    events = [e for e in range(lo_w, hi_w + 1) if e != reference]
    dummies = pd.DataFrame(
        {_term(first_treated, e): ((rel == e) & treated_rows).astype(float) for e in events},
        index=frame.index,
    )
    present = [c for c in dummies.columns if dummies[c].sum() > 0]
    missing_e = [c for c in dummies.columns if c not in present]
    if missing_e:
        notes.append("no observations at event times " + ", ".join(missing_e))
    X = pd.concat([dummies[present], design], axis=1)
    return frame, rel, treated_rows, X, present


def _permute(
    frame,
    est_terms,
    params,
    *,
    outcome,
    unit,
    period,
    fes,
    design,
    method,
    lo_w,
    hi_w,
    reference,
    bin_endpoints,
    first_treated,
    draws,
    seed,
):
    """Placebo event-study coefficients with the joining periods reassigned across units."""
    units = frame[unit].unique()
    g_of = frame.groupby(unit, sort=False)["_g"].first().reindex(units).to_numpy()
    treated_idx = np.flatnonzero(~np.isnan(g_of))
    exact = len(treated_idx) == 1
    rng = np.random.default_rng(seed)
    if exact:
        assignments = []
        for j in range(len(units)):
            perm = np.arange(len(units))
            perm[[treated_idx[0], j]] = perm[[j, treated_idx[0]]]
            assignments.append(perm)
    else:
        assignments = [rng.permutation(len(units)) for _ in range(draws)]
    pos = pd.Index(units).get_indexer(frame[unit])
    out = []
    for k, perm in enumerate(assignments):
        f = frame.copy()
        f["_g"] = g_of[perm][pos]
        tr = f["_g"].notna()
        r = f[period].astype(float) - f["_g"]
        if not (r[tr] < 0).any():
            continue
        # no warning filter: a warning from a placebo fit means the permutation p-values
        # rest on unreliable fits, which the user must see
        try:
            if method == "sun_abraham":
                _, p, _, _, _, _, _ = sun_abraham_fit(
                    f,
                    outcome=outcome,
                    unit=unit,
                    period=period,
                    rel=r,
                    design=design,
                    fes=fes,
                    cov="nonrobust",
                    clusters=[],
                    reference=reference,
                    terms=lambda e: _term(first_treated, e),
                )
            else:
                f2, _, _, X, present = _twfe_design(
                    f,
                    r,
                    tr,
                    design,
                    lo_w=lo_w,
                    hi_w=hi_w,
                    reference=reference,
                    bin_endpoints=bin_endpoints,
                    first_treated=first_treated,
                    notes=[],
                )
                fit = fit_ols(
                    f2[outcome].astype(float), X, fe=f2[fes] if fes else None, cov="nonrobust"
                )
                p = fit.params
        except (DataValidationError, np.linalg.LinAlgError):
            continue
        for t in est_terms:
            if t in p.index:
                out.append({"draw": k, "term": t, "estimate": float(p[t]), "exact": exact})
    return pd.DataFrame(out, columns=["draw", "term", "estimate", "exact"])
