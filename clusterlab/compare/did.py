# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""Difference-in-differences with two-way fixed effects, for firm panels and repeated
cross-sections.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.compare import did
>>> panel = pd.DataFrame({
...     "firm": ["a", "a", "b", "b", "c", "c", "d", "d"],
...     "year": [1, 2] * 4,
...     "treated": [0, 1, 0, 1, 0, 0, 0, 0],
...     "sales": [10., 14., 12., 15., 9., 10., 11., 12.]})
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     r = did(panel, outcome="sales", treated="treated", unit="firm", period="year",
...             cov="nonrobust")
>>> float(r.summary().loc[0, "estimate"])  # (4 + 3)/2 - (1 + 1)/2
2.5
>>> [w.category.__name__ for w in caught]  # two treated firms: read the standard error warily
['FewTreatedWarning']
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.compare._common import (
    ASSUMPTIONS,
    ComparisonResult,
    FewClustersWarning,
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
from clusterlab.compare._inference import (
    partial_out,
    permutation_pvalue,
    wild_cluster_bootstrap,
)
from clusterlab.compare._ols import COV_TYPES, fit_ols
from clusterlab.errors import (
    DataValidationError,
    DataWarning,
    EstimationWarning,
    FewTreatedWarning,
    ParameterError,
)

#: Below this many treated units a FewTreatedWarning is raised.
FEW_TREATED = 5
INFERENCE = ("analytic", "permutation")

__all__ = [
    "DiDResult",
    "did",
    "fe_columns",
    "cluster_columns",
    "is_panel",
    "period_number",
    "warn_repeated_rows",
]


class DiDResult(ComparisonResult):
    """Result of :func:`did`.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        Every estimated (not absorbed) coefficient in the summary format.
    fit : OLSFit
        ``fit.model`` is the statsmodels results object on the demeaned data; ``fit.correction``
        states the small-sample correction.
    pretrend : pandas.DataFrame
        Differential linear pre-trend of ever-treated units (one row; empty when it cannot be
        computed): ``estimate`` per period, ``p_value``.
    design : dict
        Fixed effects, covariance, clusters and counts.
    permutation : pandas.DataFrame
        With ``inference="permutation"``: the placebo estimates (``placebo_unit`` or ``draw``,
        ``estimate``); empty otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import did
    >>> change = [4, 3, 4, 3, 3.5] + [1] * 5          # five members (+3.5), five others (+1)
    >>> panel = pd.DataFrame({"firm": [f for f in "abcdefghij" for _ in (1, 2)],
    ...                       "year": [1, 2] * 10,
    ...                       "treated": [0, 1] * 5 + [0, 0] * 5,
    ...                       "sales": [v for i, c in enumerate(change)
    ...                                 for v in (10. + i, 10. + i + c)]})
    >>> r = did(panel, outcome="sales", treated="treated", unit="firm", period="year",
    ...         cov="nonrobust")
    >>> r.design["fixed_effects"], float(r.coefficients.loc[0, "estimate"])   # 3.5 - 1
    (['firm', 'year'], 2.5)
    """

    def __init__(self, *, coefficients, fit, pretrend, design, permutation=None, **kw):
        super().__init__(**kw)
        self.permutation = pd.DataFrame() if permutation is None else permutation
        self.coefficients = coefficients
        self.fit = fit
        self.pretrend = pretrend
        self.design = design


def fe_columns(fixed_effects, *, unit: str, period: str) -> list[str]:
    """Map ``"unit"``/``"period"`` to the column names; other entries are columns."""
    fes = _as_list(fixed_effects, "fixed_effects") if fixed_effects else []
    return list(dict.fromkeys(unit if f == "unit" else period if f == "period" else f for f in fes))


def cluster_columns(cluster, *, unit: str) -> list[str]:
    """``None`` -> [unit]; a name -> [name]; a pair -> two-way clustering."""
    if cluster is None:
        return [unit]
    cols = _as_list(cluster, "cluster")
    if not 1 <= len(cols) <= 2:
        raise ParameterError(f"cluster={cluster!r}: give one column or a pair of columns")
    return cols


def period_number(periods: pd.Series) -> pd.Series:
    """Periods as numbers for trends and ordering: numeric periods as they are, numeric text
    ("2019") converted, categorical periods by category order, other text and dates by their
    rank among the sorted distinct values (``"2019Q1" < "2019Q2"`` -> 0, 1).

    Examples
    --------
    >>> period_number(pd.Series(["w2", "w1", "w2"])).tolist()
    [1.0, 0.0, 1.0]
    """
    if pd.api.types.is_bool_dtype(periods):
        return periods.astype("float64")
    if pd.api.types.is_numeric_dtype(periods):
        return periods.astype("float64")
    if isinstance(periods.dtype, pd.CategoricalDtype):
        return pd.Series(periods.cat.codes, index=periods.index).astype("float64")
    if not pd.api.types.is_datetime64_any_dtype(periods):
        num = pd.to_numeric(periods, errors="coerce")
        if num.notna().all():
            return num.astype("float64")
    codes, _ = pd.factorize(periods, sort=True)
    return pd.Series(codes, index=periods.index).astype("float64")


def is_panel(frame: pd.DataFrame, unit: str, period: str) -> bool:
    """True when every unit has at most one row per period (a firm panel)."""
    return not frame.duplicated([unit, period]).any()


def warn_repeated_rows(frame: pd.DataFrame, *, unit: str, period: str, name: str) -> None:
    """Warn (:class:`~clusterlab.errors.DataWarning`) when whole rows repeat an earlier row
    for the same ``unit`` and ``period``: a firm panel appended twice, or a join that
    duplicated rows, would otherwise be read as repeated cross-sections and each copy would
    count again in the estimate."""
    repeated = frame.duplicated(keep="first")
    if repeated.any():
        labels = frame.index[repeated.to_numpy()]
        where = ", ".join(map(str, labels[:5])) + (" …" if len(labels) > 5 else "")
        warnings.warn(
            f"{name}: {len(labels)} row(s) repeat an earlier row in every column "
            f"(same {unit}, same {period}; index {where}): each copy "
            "counts again. Drop them (DataFrame.drop_duplicates()) if they are errors",
            DataWarning,
            stacklevel=3,
        )


def fixed_effect_ols(
    frame,
    *,
    outcome,
    regressors: pd.DataFrame,
    fes,
    cov,
    clusters,
    protect,
    alpha,
    name,
    notes,
    min_clusters,
):
    """Shared by :func:`did` and :func:`event_study`: fit, coefficient table, cluster warning."""
    fe = frame[fes] if fes else None
    cl = frame[clusters] if cov == "cluster" else None
    fit = fit_ols(
        frame[outcome].astype(float), regressors, fe=fe, cov=cov, clusters=cl, protect=protect
    )
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
    if cov == "cluster" and min(fit.n_clusters) < min_clusters:
        msg = (
            f"{name}: only {min(fit.n_clusters)} clusters ({', '.join(clusters)}); "
            f"cluster-robust standard errors need many clusters (rule of thumb >= "
            f"{min_clusters}; Cameron & Miller 2015) - treat p-values and intervals as "
            "rough"
        )
        notes.append(msg)
        warnings.warn(msg, FewClustersWarning, stacklevel=4)
    if fit.dropped_columns:
        msg = f"{name}: left out as collinear with the fixed effects: " + ", ".join(
            fit.dropped_columns
        )
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=4)
    return fit, coefs


def _check_treatment(frame, treated, unit, period, panel, name):
    vals = frame[treated]
    binary = bool(vals.isin([0, 1]).all())
    if vals.nunique() < 2:
        raise DataValidationError(
            f"{name}: {treated!r} has no variation (every row is {vals.iloc[0]}); "
            "a difference-in-differences needs treated and untreated observations",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": treated,
                        "expected": "both 0 and 1",
                        "found": f"only {vals.iloc[0]}",
                    }
                ]
            ),
        )
    if not binary:
        return False, None
    ever = frame.groupby(unit)[treated].transform("max") == 1
    if panel:
        n_t = frame.loc[ever, unit].nunique()
        n_c = frame.loc[frame[treated] == 0, unit].nunique()
        what = "firms"
    else:
        n_t, n_c = int((frame[treated] == 1).sum()), int((frame[treated] == 0).sum())
        what = "rows"
    if n_t < 1 or n_c < 1 or (not panel and (n_t < 2 or n_c < 2)):
        need = 1 if panel else 2
        raise DataValidationError(
            f"{name}: too few {what} to compare ({n_t} treated, {n_c} untreated); each "
            f"group needs at least {need}",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": treated,
                        "expected": f">= {need} treated and >= {need} untreated {what}",
                        "found": f"{n_t} treated, {n_c} untreated",
                    }
                ]
            ),
        )
    pre = frame.loc[ever & (frame[treated] == 0)]
    if pre.empty:
        raise DataValidationError(
            f"{name}: no treated {unit} is observed before its treatment (no pre-period); "
            "without a before/after contrast for treated units there is no "
            "difference-in-differences",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": f"{treated},{period}",
                        "expected": "treated units observed with treated = 0 before "
                        "they are treated",
                        "found": "none",
                    }
                ]
            ),
        )
    return True, (n_t if panel else None)


def _pretrend(frame, *, outcome, treated, unit, period, fes, cov, clusters, alpha):
    """Differential linear trend of ever-treated units in untreated rows."""
    ever = frame.groupby(unit)[treated].transform("max").astype(float)
    pre = frame.loc[frame[treated] == 0].copy()
    pre["_t"] = period_number(pre[period])
    pre["_trend"] = pre["_t"] * ever.loc[pre.index]
    treated_pre_periods = pre.loc[ever.loc[pre.index] == 1, period].nunique()
    if treated_pre_periods < 2:
        return pd.DataFrame()
    # no warning filter here: a warning from this fit (a singular design, a division by zero)
    # says the pre-trend test itself is unreliable, which the user must see
    try:
        fe = pre[fes] if fes else None
        if unit not in fes:
            X = pre[["_trend"]].assign(_ever=ever.loc[pre.index], _period=pre["_t"])
        else:
            X = pre[["_trend"]]
        if period not in fes and "_period" not in X.columns:
            X = X.assign(_period=pre["_t"])
        fit = fit_ols(
            pre[outcome].astype(float),
            X,
            fe=fe,
            cov=cov,
            clusters=pre[clusters] if cov == "cluster" else None,
            protect=("_trend",),
        )
    except (DataValidationError, ParameterError, np.linalg.LinAlgError):
        return pd.DataFrame()
    est, se = float(fit.params["_trend"]), float(fit.bse["_trend"])
    stat, p, lo, hi = t_inference(est, se, fit.df_inference, alpha)
    return pd.DataFrame(
        [
            {
                "term": f"{treated}_group:trend",
                "estimate": est,
                "std_error": se,
                "statistic": stat,
                "p_value": p,
                "ci_low": lo,
                "ci_high": hi,
                "n": fit.nobs,
                "n_pre_periods": int(treated_pre_periods),
            }
        ]
    )


def did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    treated: str,
    unit: str,
    period: str,
    covariates: Sequence[str] = (),
    fixed_effects: Sequence[str] = ("unit", "period"),
    cov: str = "cluster",
    cluster=None,
    alpha: float = 0.05,
    min_clusters: int = 30,
    inference: str = "analytic",
    draws: int = 999,
    seed=None,
) -> DiDResult:
    r"""Two-way fixed-effects difference-in-differences.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long table: a firm panel (one row per firm and period) or repeated cross-sections
        (many rows per ``unit`` and period, e.g. ``unit`` = member group or region).
    outcome : str
        Numeric outcome.
    treated : str
        Treatment regressor: 0/1 (member × post-joining, or support received in a year — need
        not be absorbing) or continuous (e.g. support received, in money).
    unit : str
        Firm id in a panel; in repeated cross-sections the group whose fixed effect is absorbed.
    period : str
        Period column.
    covariates : sequence of str
        Time-varying controls (text columns become indicators).
    fixed_effects : sequence, default ("unit", "period")
        Absorbed effects: ``"unit"``, ``"period"`` or any column names (e.g. ``"region"``);
        ``()`` gives pooled OLS with an intercept.
    cov : {"cluster", "HC1", "nonrobust", "wild"}
        Covariance. ``cluster`` clusters by ``unit`` unless ``cluster`` says otherwise.
        ``wild``: CR1 standard error, but p-value and interval from the restricted wild
        cluster bootstrap (one cluster column; Rademacher weights, Webb's six-point weights
        below 12 clusters; ``draws`` and ``seed`` apply) - the remedy for few clusters.
    cluster : str or pair of str, optional
        Cluster column(s); a pair gives two-way clustering (Cameron, Gelbach & Miller 2011).
    alpha : float
        1 - confidence level.
    min_clusters : int, default 30
        Fewer clusters than this raise a :class:`FewClustersWarning`.
    inference : {"analytic", "permutation"}
        ``permutation``: randomization inference for a 0/1 treatment in a panel - the
        treatment paths of the treated units are reassigned to other units and the estimate
        recomputed; the p-value is the share of placebo estimates at least as large in
        absolute value (every placement of a single treated unit, exactly; otherwise
        ``draws`` random permutations, :math:`p=(1+\#)/(1+J)`). The standard error stays that
        of ``cov``; the interval is not reported (NaN). Placebo estimates in ``.permutation``.
        Meant for balanced panels: where a moved path has no value for a period of the receiving
        unit, that period counts as untreated.
    draws : int, default 999
        Random permutations or bootstrap draws.
    seed : int, optional
        Makes ``permutation`` and ``wild`` reproducible.

    Returns
    -------
    DiDResult
        ``summary()``: the ``treated`` row; ``coefficients``: all; ``pretrend``; ``fit``.

    Notes
    -----
    .. math:: y_{it} = \alpha_i + \lambda_t + \tau D_{it} + x_{it}'\beta + \varepsilon_{it}

    estimated by OLS after absorbing :math:`\alpha_i, \lambda_t` (alternating projections;
    identical to the dummy-variable regression). In the 2×2 case :math:`\hat\tau =
    (\bar y_{1,post}-\bar y_{1,pre}) - (\bar y_{0,post}-\bar y_{0,pre})`.

    **Small-sample correction.** ``nonrobust``: :math:`\hat\sigma^2 = RSS/(N-K)`; ``HC1``:
    :math:`N/(N-K)`; ``cluster``: CR1 :math:`\frac{G}{G-1}\frac{N-1}{N-K}` with t(G-1)
    inference. :math:`K` counts the regressors and the fixed effects' degrees of freedom,
    except that for ``cluster`` the fixed effects nested in a cluster variable are not counted
    (one intercept is), as Stata's ``xtreg, fe`` and ``reghdfe`` (fixest ``"nested"``).

    **Few treated units.** With a single treated unit (one region, one initiative) the
    estimate is well defined, but cluster-robust and HC standard errors are not: the treated
    unit's residuals are forced towards zero, so they are far too small (MacKinnon & Webb 2017;
    Conley & Taber 2011). Below 5 treated units a :class:`~clusterlab.errors.FewTreatedWarning`
    says so; use ``inference="permutation"`` (or :func:`synthetic_control` for one region).
    The conventional (``nonrobust``) standard error assumes homoskedastic, independent errors.

    **Diagnostics.** For a 0/1 treatment, ``pretrend`` estimates the difference between the
    linear trends of ever-treated and never-treated units in untreated rows; a significant
    difference raises a :class:`PreTrendWarning`. With staggered joining, read the
    :func:`event_study` too.

    References
    ----------
    Card, D. & Krueger, A. B. (1994). Minimum wages and employment. *AER* 84, 772-793.
    Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.
    Wooldridge, J. M. (2020). *Introductory Econometrics*, 7th ed., ch. 13-14.
    Cameron, A. C., Gelbach, J. & Miller, D. (2011). Robust inference with multiway
    clustering. *JBES* 29, 238-249.
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *J. Econometrics* 225, 254-277.
    MacKinnon, J. G. & Webb, M. D. (2017). Wild bootstrap inference for wildly different
    cluster sizes. *J. Applied Econometrics* 32, 233-254.
    Conley, T. G. & Taber, C. R. (2011). Inference with "difference in differences" with a
    small number of policy changes. *REStat* 93, 113-125.
    """
    alpha = check_alpha(alpha)
    check_choice(cov, (*COV_TYPES, "wild"), argument="cov")
    check_choice(inference, INFERENCE, argument="inference")
    draws = check_draws(draws)
    name = "did"
    covariates = _as_list(covariates, "covariates")
    fes = fe_columns(fixed_effects, unit=unit, period=period)
    wild = cov == "wild"
    cov = "cluster" if wild else cov
    clusters = cluster_columns(cluster, unit=unit) if cov == "cluster" else []
    if wild and len(clusters) != 1:
        raise ParameterError("cov='wild' takes one cluster column, not a pair")
    panel, _ = unique_index(panel)
    frame, dropped = prepare_frame(
        panel,
        name=name,
        numeric=[outcome, treated],
        columns=[unit, period, *covariates, *fes, *clusters],
    )
    panel_data = is_panel(frame, unit, period)
    if not panel_data:
        warn_repeated_rows(frame, unit=unit, period=period, name=name)
    binary, n_treated_units = _check_treatment(frame, treated, unit, period, panel_data, name)
    design, _ = expand_covariates(frame, covariates, drop_first=True)
    X = pd.concat([frame[[treated]].astype(float), design], axis=1)
    notes: list[str] = []
    fit, coefs = fixed_effect_ols(
        frame,
        outcome=outcome,
        regressors=X,
        fes=fes,
        cov=cov,
        clusters=clusters,
        protect=(treated,),
        alpha=alpha,
        name=name,
        notes=notes,
        min_clusters=min_clusters,
    )
    notes.append(f"standard errors: {fit.correction}")
    if n_treated_units is not None and n_treated_units < FEW_TREATED:
        msg = (
            f"{name}: only {n_treated_units} treated {unit}(s). The estimate is defined, "
            f"but {'cluster-robust' if cov == 'cluster' else cov} standard errors are "
            "unreliable with so few treated units (their residuals carry the treatment "
            "contrast; MacKinnon & Webb 2017) - use inference='permutation' (randomization "
            "inference) or, for one region, synthetic_control"
        )
        notes.append(msg)
        warnings.warn(msg, FewTreatedWarning, stacklevel=2)
    permutation = pd.DataFrame()
    if inference == "permutation":
        if not (binary and panel_data):
            raise ParameterError(
                "inference='permutation' needs a 0/1 treatment in a panel "
                "(one row per unit and period)"
            )
        est = float(coefs.loc[coefs["term"] == treated, "estimate"].iloc[0])
        permutation, p_perm, exact = _permutation(
            frame,
            outcome=outcome,
            treated=treated,
            unit=unit,
            period=period,
            fes=fes,
            others=design,
            draws=draws,
            seed=seed,
        )
        hit = coefs["term"] == treated
        coefs.loc[hit, ["p_value", "ci_low", "ci_high"]] = [p_perm, np.nan, np.nan]
        coefs.loc[hit, "statistic"] = est
        notes.append(
            f"p-value by randomization inference over {len(permutation)} "
            + ("placements (exact)" if exact else "random permutations")
            + "; statistic = the estimate; no interval"
        )
    if wild:
        hit = coefs["term"] == treated
        M = partial_out(frame[fes] if fes else None, design)
        n_obs, k_all = fit.nobs, fit.k + fit.dof_fe
        g = fit.n_clusters[0]
        factor = g / (g - 1) * (n_obs - 1) / max(n_obs - k_all, 1)
        p_w, lo_w, hi_w, wname = wild_cluster_bootstrap(
            frame[outcome].to_numpy(dtype=float),
            frame[treated].to_numpy(dtype=float),
            M,
            frame[clusters[0]].to_numpy(),
            draws=draws,
            alpha=alpha,
            seed=seed,
            df_factor=factor,
        )
        coefs.loc[hit, ["p_value", "ci_low", "ci_high"]] = [p_w, lo_w, hi_w]
        notes.append(
            f"p-value and interval: restricted wild cluster bootstrap ({draws} draws, "
            f"{wname} weights, {g} clusters)"
        )
    assumptions = [
        ASSUMPTIONS["parallel_trends"],
        ASSUMPTIONS["no_anticipation"],
        ASSUMPTIONS["no_spillover"],
    ]
    if not panel_data:
        assumptions.append(ASSUMPTIONS["composition"])
    pretrend = pd.DataFrame()
    if binary:
        order = frame.assign(_t=period_number(frame[period]))
        starts = order.loc[order[treated] == 1].groupby(unit)["_t"].min()
        if starts.nunique() > 1 and panel_data:
            assumptions.append(ASSUMPTIONS["homogeneity"])
            notes.append(
                f"treatment starts in {starts.nunique()} different periods "
                "(staggered): see event_study for the effect path"
            )
        switched_off = (
            order.sort_values("_t", kind="stable")
            .groupby(unit)[treated]
            .apply(lambda s: bool((s.diff() < 0).any()))
        )
        if switched_off.any():
            notes.append(
                f"treatment switches off for {int(switched_off.sum())} units "
                "(non-absorbing): the estimate averages on- and off-effects"
            )
        pretrend = _pretrend(
            frame,
            outcome=outcome,
            treated=treated,
            unit=unit,
            period=period,
            fes=fes,
            cov=cov,
            clusters=clusters,
            alpha=alpha,
        )
        if not pretrend.empty and pretrend.loc[0, "p_value"] < 0.05:
            msg = (
                f"pre-trends: before treatment, treated units' {outcome} already trended "
                f"differently (difference {pretrend.loc[0, 'estimate']:.3g} per period, "
                f"p = {pretrend.loc[0, 'p_value']:.3f}); parallel trends is doubtful"
            )
            notes.append(msg)
            warnings.warn(msg, PreTrendWarning, stacklevel=2)
    table = summary_frame(coefs[coefs["term"] == treated].to_dict("records"))
    design_info = {
        "fixed_effects": fes,
        "cov": "wild" if wild else cov,
        "inference": inference,
        "clusters": clusters,
        "n_clusters": list(fit.n_clusters),
        "panel": panel_data,
        "correction": fit.correction,
        "dof_fixed_effects": fit.dof_fe,
    }
    return DiDResult(
        method="did",
        outcome=outcome,
        table=table,
        assumptions=assumptions,
        notes=notes,
        n_units=(int(frame[unit].nunique()) if panel_data else len(frame)),
        dropped=dropped,
        coefficients=coefs,
        fit=fit,
        pretrend=pretrend,
        design=design_info,
        permutation=permutation,
    )


def _permutation(frame, *, outcome, treated, unit, period, fes, others, draws, seed):
    """Placebo TWFE estimates with the treated units' treatment paths moved to other units."""
    M = partial_out(frame[fes] if fes else None, others)
    yt = M(frame[outcome].to_numpy(dtype=float))
    wide = frame.pivot(index=unit, columns=period, values=treated)
    units = wide.index.to_numpy()
    paths = wide.to_numpy(dtype=float)
    treated_idx = np.flatnonzero(np.nansum(paths, axis=1) > 0)
    row_u = pd.Index(units).get_indexer(frame[unit])
    row_t = pd.Index(wide.columns).get_indexer(frame[period])
    n_units = len(units)
    rng = np.random.default_rng(seed)
    exact = len(treated_idx) == 1
    if exact:
        perms = []
        for j in range(n_units):  # move the treated unit's path to unit j
            perm = np.arange(n_units)
            perm[[treated_idx[0], j]] = perm[[j, treated_idx[0]]]
            perms.append(perm)
        assignments = perms
    else:
        assignments = [rng.permutation(n_units) for _ in range(draws)]
    cols = []
    for perm in assignments:
        placed = np.nan_to_num(paths[perm], nan=0.0)  # unit i gets the path of unit perm[i]
        cols.append(placed[row_u, row_t])
    D = M(np.column_stack(cols))
    betas = (D * yt[:, None]).sum(axis=0) / (D * D).sum(axis=0)
    observed = float(
        M(frame[treated].to_numpy(dtype=float))
        @ yt
        / np.sum(M(frame[treated].to_numpy(dtype=float)) ** 2)
    )
    table = pd.DataFrame(
        {
            "placebo_unit": (
                [units[j] for j in range(n_units)] if exact else np.arange(len(assignments))
            ),
            "estimate": betas,
        }
    )
    if not exact:
        table = table.rename(columns={"placebo_unit": "draw"})
    return table, permutation_pvalue(observed, betas, exact=exact), exact
