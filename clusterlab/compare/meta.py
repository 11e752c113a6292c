r"""Random-effects meta-analysis and meta-regression of effects across initiatives.

Each cluster initiative's evaluation gives one member effect with its standard error.
:func:`pool_effects` pools them (fixed or random effects), measures how much they differ
(:math:`\tau^2`, :math:`I^2`, Cochran's :math:`Q`) and relates them to initiative
characteristics such as maturity (meta-regression), as R ``metafor::rma`` does.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.compare._common import (
    _as_list,
    check_alpha,
    expand_covariates,
    prepare_frame,
    unique_index,
)
from clusterlab.compare.staggered import AGGREGATIONS, staggered_did
from clusterlab.errors import (
    CoverageWarning,
    DataValidationError,
    EstimationWarning,
    ParameterError,
)

__all__ = ["MetaAnalysisResult", "pool_effects", "maturity_table", "initiative_effects"]

METHODS = ("REML", "DL", "FE")


@dataclass(frozen=True, eq=False)
class MetaAnalysisResult:
    """Result of :func:`pool_effects`.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        ``term, estimate, std_error, statistic, p_value, ci_low, ci_high`` (``pooled``, or
        ``intercept`` and one row per moderator).
    studies : pandas.DataFrame
        The input effects with ``ci_low, ci_high`` and ``weight`` (percent of the total
        weight in the model) for a forest plot; ``label`` names each effect.
    heterogeneity : dict
        ``tau2, i2, h2, q, q_df, q_p, k`` (+ ``qm, qm_df, qm_p`` with moderators).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import pool_effects
    >>> effects = pd.DataFrame({"initiative": list("abcde"),
    ...                         "estimate": [0.1, 0.3, 0.2, 0.2, 0.2], "std_error": [0.1] * 5})
    >>> m = pool_effects(effects, method="FE")
    >>> m.heterogeneity["k"], round(m.heterogeneity["q"], 6)   # Q = sum (y - 0.2)**2 / 0.1**2
    (5, 2.0)
    >>> m.studies.columns.tolist()
    ['label', 'estimate', 'std_error', 'ci_low', 'ci_high', 'weight']
    """

    coefficients: pd.DataFrame
    studies: pd.DataFrame
    heterogeneity: dict = field(default_factory=dict)
    method: str = "REML"
    alpha: float = 0.05
    notes: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        """Coefficient rows with the heterogeneity statistics ``tau2, i2, h2, q, q_df, q_p, k``
        repeated on each row (and ``qm, qm_p`` with moderators)."""
        out = self.coefficients.copy()
        for key, value in self.heterogeneity.items():
            out[key] = value
        return out


def _wls(y, v, X, tau2):
    w = 1.0 / (v + tau2)
    XtW = X.T * w
    cov = np.linalg.inv(XtW @ X)
    beta = cov @ (XtW @ y)
    return beta, cov, w


def _p_matrix(v, X, tau2):
    w = 1.0 / (v + tau2)
    W = np.diag(w)
    XtW = X.T * w
    return W - XtW.T @ np.linalg.inv(XtW @ X) @ XtW


def _tau2_dl(y, v, X):
    P = _p_matrix(v, X, 0.0)
    k, p = X.shape
    qe = float(y @ P @ y)
    return max(0.0, (qe - (k - p)) / np.trace(P))


def _tau2_reml(y, v, X, *, tol=1e-10, max_iter=1000):
    """Fisher scoring for the REML estimate of tau^2 (as metafor), truncated at 0."""
    tau2 = _tau2_dl(y, v, X)
    for _ in range(max_iter):
        P = _p_matrix(v, X, tau2)
        Py = P @ y
        score = float(Py @ Py - np.trace(P))
        info = float(np.sum(P * P.T))
        step = score / info
        new = tau2 + step
        while new < 0 and step != 0:  # step halving keeps tau^2 >= 0
            step /= 2
            new = tau2 + step
            if abs(step) < tol:
                new = 0.0
                break
        if abs(new - tau2) < tol:
            return max(new, 0.0)
        tau2 = max(new, 0.0)
    return tau2  # pragma: no cover - scoring converges in a few steps


def pool_effects(
    effects: pd.DataFrame,
    *,
    estimate: str = "estimate",
    std_error: str = "std_error",
    method: str = "REML",
    moderators: Sequence[str] | None = None,
    label: str | None = None,
    alpha: float = 0.05,
) -> MetaAnalysisResult:
    r"""Pool effects across initiatives (random-effects meta-analysis, meta-regression).

    Parameters
    ----------
    effects : pandas.DataFrame
        One row per initiative (or study): an effect and its standard error.
    estimate, std_error : str
        Columns of the effects and their standard errors (> 0).
    method : {"REML", "DL", "FE"}
        Between-initiative variance :math:`\tau^2` by restricted maximum likelihood (default,
        metafor), DerSimonian-Laird, or none (fixed effect, inverse-variance weights).
    moderators : sequence of str, optional
        Initiative characteristics for a meta-regression (e.g. CIMBT overall score, big-five
        platform reached); text columns become indicators.
    label : str, optional
        Column naming each effect in ``studies`` (default: the row labels).
    alpha : float
        1 - confidence level.

    Returns
    -------
    MetaAnalysisResult
        ``summary()`` (``term, estimate, std_error, statistic, p_value, ci_low, ci_high`` and
        ``tau2, i2, h2, q, q_df, q_p, k``), ``coefficients``, ``studies``, ``heterogeneity``.

    Notes
    -----
    With :math:`w_i = 1/(v_i+\hat\tau^2)`, :math:`\hat\beta = (X'WX)^{-1}X'Wy`,
    :math:`V(\hat\beta)=(X'WX)^{-1}`, z tests (metafor's default). Cochran's
    :math:`Q = \sum_i (y_i - x_i'\hat\beta_{FE})^2/v_i` on :math:`k-p` df (the residual
    :math:`Q_E` with moderators). DerSimonian-Laird: :math:`\hat\tau^2 = \max\{0,
    (Q-(k-p))/\operatorname{tr}P\}`. REML: Fisher scoring on the restricted likelihood.
    :math:`I^2` is metafor's :math:`\tau^2`-based definition,

    .. math:: I^2 = 100\,\frac{\hat\tau^2}{\hat\tau^2+\tilde v},\quad
       \tilde v = \frac{k-p}{\operatorname{tr}P_{FE}},\qquad H^2 = \frac{\hat\tau^2 +
       \tilde v}{\tilde v}

    (the share of total variance due to real differences between initiatives; with
    moderators, the residual share). For ``FE``, :math:`I^2 = \max(0, (Q-df)/Q)`.
    With moderators, ``qm`` is the Wald test that all moderator coefficients are 0.

    With few initiatives (fewer than 5) :math:`\tau^2` is very imprecise and a
    :class:`~clusterlab.errors.CoverageWarning` says so; with fewer than 3 residual degrees of
    freedom a meta-regression is description, not evidence.

    References
    ----------
    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package. *J. Stat.
    Software* 36(3). DerSimonian, R. & Laird, N. (1986). *Controlled Clinical Trials* 7,
    177-188. Higgins, J. P. T. & Thompson, S. G. (2002). Quantifying heterogeneity in a
    meta-analysis. *Statistics in Medicine* 21, 1539-1558.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import pool_effects
    >>> effects = pd.DataFrame({"initiative": list("abcde"),
    ...                         "estimate": [0.1, 0.3, 0.2, 0.2, 0.2], "std_error": [0.1] * 5})
    >>> r = pool_effects(effects, method="FE")    # fixed effect: 0.2, SE 0.1 / sqrt(5)
    >>> r.summary()[["estimate", "std_error", "q"]].round(4)
       estimate  std_error  q
    0       0.2     0.0447  2.0
    """
    alpha = check_alpha(alpha)
    check_choice(method, METHODS, argument="method")
    name = "pool_effects"
    mods = _as_list(moderators, "moderators")
    effects, _ = unique_index(effects)
    frame, _ = prepare_frame(
        effects,
        name=name,
        numeric=[estimate, std_error],
        columns=[*mods, *([label] if label else [])],
    )
    se = frame[std_error].to_numpy(dtype=float)
    bad = np.flatnonzero(~(se > 0))
    if len(bad):
        raise DataValidationError(
            f"{name}: standard errors must be positive",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(effects.index.get_loc(frame.index[i])) + 1,
                        "column": std_error,
                        "expected": "> 0",
                        "found": str(se[i]),
                    }
                    for i in bad[:20]
                ]
            ),
        )
    y = frame[estimate].to_numpy(dtype=float)
    v = se**2
    design, _ = expand_covariates(frame, mods, drop_first=True)
    X = np.column_stack([np.ones(len(y)), design.to_numpy(dtype=float)])
    names = ["pooled"] if not mods else ["intercept", *design.columns]
    k, p = X.shape
    if k - p < 1 or np.linalg.matrix_rank(X) < p:
        raise DataValidationError(
            f"{name}: {k} effects cannot estimate {p} coefficients"
            + (" (moderators collinear or constant)" if k > p else ""),
            problem_frame(
                [
                    {
                        "file": name,
                        "column": ",".join(mods) or estimate,
                        "expected": f"more than {p} effects and varying moderators",
                        "found": f"{k} effects",
                    }
                ]
            ),
        )
    notes: list[str] = []
    if k < 5:
        msg = (
            f"{name}: only {k} effects; the between-initiative variance (tau^2, I^2) is very "
            "imprecise - read the pooled effect as a summary of these initiatives, not a "
            "prediction for others"
        )
        notes.append(msg)
        warnings.warn(msg, CoverageWarning, stacklevel=2)
    if mods and k - p < 3:
        msg = (
            f"{name}: meta-regression with {k} effects and {p} coefficients leaves "
            f"{k - p} residual degrees of freedom; treat the slope as descriptive"
        )
        notes.append(msg)
        warnings.warn(msg, CoverageWarning, stacklevel=2)
    P_fe = _p_matrix(v, X, 0.0)
    q = float(y @ P_fe @ y)
    q_df = k - p
    q_p = float(stats.chi2.sf(q, q_df))
    if method == "FE":
        tau2 = 0.0
    elif method == "DL":
        tau2 = _tau2_dl(y, v, X)
    else:
        tau2 = _tau2_reml(y, v, X)
    beta, cov, w = _wls(y, v, X, tau2)
    bse = np.sqrt(np.diag(cov))
    z = beta / bse
    crit = stats.norm.ppf(1 - alpha / 2)
    coefficients = pd.DataFrame(
        {
            "term": names,
            "estimate": beta,
            "std_error": bse,
            "statistic": z,
            "p_value": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": beta - crit * bse,
            "ci_high": beta + crit * bse,
        }
    )
    if method == "FE":
        i2 = max(0.0, (q - q_df) / q) * 100 if q > 0 else 0.0
        h2 = q / q_df if q_df > 0 else np.nan
    else:
        v_typical = q_df / np.trace(P_fe)
        i2 = 100 * tau2 / (tau2 + v_typical)
        h2 = (tau2 + v_typical) / v_typical
    het = {
        "tau2": float(tau2),
        "i2": float(i2),
        "h2": float(h2),
        "q": q,
        "q_df": q_df,
        "q_p": q_p,
        "k": k,
    }
    if mods:
        b, V = beta[1:], cov[1:, 1:]
        qm = float(b @ np.linalg.solve(V, b))
        het.update(qm=qm, qm_df=p - 1, qm_p=float(stats.chi2.sf(qm, p - 1)))
    labels = frame[label].astype(str).to_numpy() if label else frame.index.astype(str)
    studies = pd.DataFrame(
        {
            "label": labels,
            "estimate": y,
            "std_error": se,
            "ci_low": y - crit * se,
            "ci_high": y + crit * se,
            "weight": 100 * w / w.sum(),
        }
    )
    for c in mods:
        studies[c] = frame[c].to_numpy()
    return MetaAnalysisResult(
        coefficients=coefficients,
        studies=studies,
        heterogeneity=het,
        method=method,
        alpha=alpha,
        notes=tuple(notes),
    )


def maturity_table(
    cimbt_overall: pd.DataFrame | None = None,
    bigfive_platform: pd.DataFrame | None = None,
    *,
    initiative: str = "initiative",
) -> pd.DataFrame:
    """Initiative maturity for a meta-regression: the latest round of the CIMBT overall score
    and of the big-five platform status, one row per initiative.

    Parameters
    ----------
    cimbt_overall : pandas.DataFrame, optional
        ``InstrumentResult.overall`` of the CIMBT (``initiative, round, score``).
    bigfive_platform : pandas.DataFrame, optional
        :func:`clusterlab.instruments.platform_status` (``initiative, round,
        platform_reached, gap``).
    initiative : str, default "initiative"
        Column naming the initiative (the unit of the meta-regression) in both tables.

    Returns
    -------
    pandas.DataFrame
        ``initiative, cimbt_overall, cimbt_round`` and/or ``platform_reached`` (0/1),
        ``platform_gap`` (stages missing to the platform), ``bigfive_round``.

    Examples
    --------
    >>> c = pd.DataFrame({"initiative": ["a", "a", "b"], "round": [1, 2, 1],
    ...                   "score": [2.0, 3.0, 4.0]})
    >>> maturity_table(c)
      initiative  cimbt_overall  cimbt_round
    0          a            3.0            2
    1          b            4.0            1
    """
    parts = []
    if cimbt_overall is not None:
        c = prepare_frame(
            cimbt_overall, name="maturity_table", numeric=["score", "round"], columns=[initiative]
        )[0]
        c = c.sort_values("round").groupby(initiative, as_index=False).tail(1)
        parts.append(
            c[[initiative, "score", "round"]].rename(
                columns={"score": "cimbt_overall", "round": "cimbt_round"}
            )
        )
    if bigfive_platform is not None:
        b = prepare_frame(
            bigfive_platform,
            name="maturity_table",
            numeric=["round", "gap"],
            columns=[initiative, "platform_reached"],
        )[0]
        b = b.sort_values("round").groupby(initiative, as_index=False).tail(1)
        parts.append(
            pd.DataFrame(
                {
                    initiative: b[initiative].to_numpy(),
                    "platform_reached": b["platform_reached"].astype(int).to_numpy(),
                    "platform_gap": b["gap"].to_numpy(),
                    "bigfive_round": b["round"].to_numpy(),
                }
            )
        )
    if not parts:
        raise DataValidationError(
            "maturity_table: give cimbt_overall and/or bigfive_platform",
            problem_frame(
                [{"file": "maturity_table", "expected": "a maturity table", "found": "none"}]
            ),
        )
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p, on=initiative, how="outer")
    return out.sort_values(initiative).reset_index(drop=True)


def initiative_effects(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    first_treated: str,
    by: str = "initiative",
    kind: str = "simple",
    control: str = "never",
    estimation: str = "dr",
    alpha: float = 0.05,
    errors: str = "warn",
) -> pd.DataFrame:
    """Member effect of every initiative (or other group): :func:`staggered_did` within each
    level of ``by``, aggregated with ``kind`` - the input of :func:`pool_effects`.

    Parameters
    ----------
    panel : pandas.DataFrame
        Firm panel of several initiatives.
    outcome, unit, period, first_treated, control, estimation, alpha
        As in :func:`staggered_did`.
    by : str, default "initiative"
        Grouping column.
    kind : {"simple", "dynamic", "group", "calendar"}
        Which overall aggregate to report.
    errors : {"raise", "warn", "ignore"}
        What to do when a group cannot be estimated (e.g. no never-members): raise, skip it
        with an :class:`~clusterlab.errors.EstimationWarning`, or skip it silently.

    Returns
    -------
    pandas.DataFrame
        ``<by>, outcome, estimate, std_error, ci_low, ci_high, p_value, n_firms, n_members,
        n_cohorts``.

    Examples
    --------
    >>> import pandas as pd
    >>> join = [0, 0, 0, 0, 0, 2, 2, 3, 3]          # five firms never join, two cohorts of two
    >>> rows = [{"initiative": i, "firm": f"{i}{f}", "year": t, "join": join[f],
    ...          "y": f + t + (k + 1) * (join[f] > 0 and t >= join[f])}
    ...         for k, i in enumerate("ab") for f in range(len(join)) for t in (1, 2, 3)]
    >>> initiative_effects(pd.DataFrame(rows), outcome="y", unit="firm", period="year",
    ...                    first_treated="join")[["initiative", "estimate", "n_members"]]
      initiative  estimate  n_members
    0          a       1.0          4
    1          b       2.0          4
    """
    check_choice(errors, ("raise", "warn", "ignore"), argument="errors")
    check_choice(kind, AGGREGATIONS, argument="kind")
    check_frame(panel, required=[by], name="initiative_effects")
    rows = []
    for level, grp in panel.groupby(by, sort=True):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                res = staggered_did(
                    grp,
                    outcome=outcome,
                    unit=unit,
                    period=period,
                    first_treated=first_treated,
                    control=control,
                    estimation=estimation,
                    alpha=alpha,
                )
        except (DataValidationError, ParameterError) as exc:
            if errors == "raise":
                raise
            if errors == "warn":
                warnings.warn(
                    f"initiative_effects: {by}={level!r} skipped: {exc}",
                    EstimationWarning,
                    stacklevel=2,
                )
            continue
        for w in caught:
            warnings.warn(f"{by}={level!r}: {w.message}", w.category, stacklevel=2)
        agg = res.aggregate(kind).iloc[-1]
        z = agg["estimate"] / agg["std_error"]
        members = res.units[np.isfinite(res.units["group"])]
        rows.append(
            {
                by: level,
                "outcome": outcome,
                "estimate": agg["estimate"],
                "std_error": agg["std_error"],
                "ci_low": agg["ci_low"],
                "ci_high": agg["ci_high"],
                "p_value": float(2 * stats.norm.sf(abs(z))),
                "n_firms": res.n_units,
                "n_members": len(members),
                "n_cohorts": int(members["group"].nunique()),
            }
        )
    cols = [
        by,
        "outcome",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "p_value",
        "n_firms",
        "n_members",
        "n_cohorts",
    ]
    return pd.DataFrame(rows, columns=cols)
