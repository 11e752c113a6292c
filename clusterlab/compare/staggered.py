r"""Callaway & Sant'Anna (2021) group-time average treatment effects for staggered joining.

Firms join an initiative in different years. The two-way fixed-effects estimate then mixes
comparisons of later joiners with earlier joiners whose effect is still growing (see
:func:`~clusterlab.compare.bacon_decomposition`). :func:`staggered_did` instead estimates one
clean 2×2 comparison per joining cohort ``g`` and period ``t`` — :math:`ATT(g,t)` — against
firms that never joined (or have not joined yet), and aggregates them with explicit weights.
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
    ASSUMPTIONS,
    SUMMARY_COLUMNS,
    _as_list,
    check_alpha,
    prepare_frame,
    unique_index,
)
from clusterlab.compare._drdid import att_2x2
from clusterlab.compare._inference import multiplier_bootstrap
from clusterlab.errors import DataValidationError, DataWarning, EstimationWarning, ParameterError

__all__ = ["StaggeredDiDResult", "staggered_did", "first_treated_groups"]

CONTROLS = ("never", "not_yet")
ESTIMATIONS = ("dr", "ipw", "reg")
AGGREGATIONS = ("simple", "dynamic", "group", "calendar")
_AGG_KEY = {"simple": None, "dynamic": "event_time", "group": "group", "calendar": "period"}


def first_treated_groups(
    values: pd.Series, *, name: str = "staggered_did", column: str = "first_treated"
) -> pd.Series:
    """Joining periods as floats with every never-treated code (0, missing, ±inf) as ``inf``.

    Examples
    --------
    >>> first_treated_groups(pd.Series([2004, 0, None, float("inf")])).tolist()
    [2004.0, inf, inf, inf]
    """
    g = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & g.isna()
    if bad.any():
        raise DataValidationError(
            f"{name}: {column!r} must be a period number, or 0 / missing / inf for never treated",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(np.flatnonzero(bad.to_numpy())[0]) + 1,
                        "column": column,
                        "expected": "number, 0, missing or inf",
                        "found": str(values[bad].iloc[0]),
                    }
                ]
            ),
        )
    g = g.astype("float64")
    return g.where(np.isfinite(g) & (g != 0), np.inf)


def _weights_if(
    keep: np.ndarray, pg: np.ndarray, cell_group: np.ndarray, unit_group: np.ndarray
) -> np.ndarray:
    """Influence of estimating the cohort-share weights :math:`P(G=g)/\\sum P(G=g)`
    (R ``did``'s ``wif``); ``n × len(keep)``."""
    s = pg[keep].sum()
    ind = np.column_stack([(unit_group == cell_group[k]).astype(float) - pg[k] for k in keep])
    if1 = ind / s
    if2 = ind.sum(axis=1)[:, None] * (pg[keep] / s**2)[None, :]
    return if1 - if2


@dataclass(frozen=True, eq=False)
class StaggeredDiDResult:
    """Result of :func:`staggered_did`.

    Attributes
    ----------
    att_gt : pandas.DataFrame
        One row per joining cohort and period: ``group, period, event_time, estimate,
        std_error, ci_low, ci_high, n_treated, n_control, base_period`` (intervals are
        pointwise, or a uniform band over all cells when ``bootstrap`` is set).
    influence : numpy.ndarray
        :math:`n\\times k` influence functions of the cells (rows: units, in ``units`` order).
    units : pandas.DataFrame
        ``unit, group`` (``inf`` = never treated) of the units used.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import staggered_did
    >>> rows = []
    >>> for firm, join in enumerate([2, 2, 3, 3, 0, 0, 0, 0, 0]):     # 0 = never joined
    ...     for t in (1, 2, 3):
    ...         effect = 1.0 * (join > 0 and t >= join)
    ...         rows.append({"firm": firm, "year": t, "join": join,
    ...                      "y": firm + 0.5 * t + effect + 0.01 * (firm % 2) * t})
    >>> r = staggered_did(pd.DataFrame(rows), outcome="y", unit="firm", period="year",
    ...                   first_treated="join")
    >>> r.n_units, r.units["group"].tolist()
    (9, [2.0, 2.0, 3.0, 3.0, inf, inf, inf, inf, inf])
    >>> r.summary()[["term", "estimate", "n"]].round(3)
               term  estimate  n
    0    ATT:simple     1.001  9
    1   ATT:dynamic     1.002  9
    2     ATT:group     1.001  9
    3  ATT:calendar     1.001  9
    """

    outcome: str
    att_gt: pd.DataFrame
    influence: np.ndarray = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    control: str = "never"
    estimation: str = "dr"
    alpha: float = 0.05
    bootstrap: int | None = None
    seed: object = None
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    method: str = "staggered_did"

    @property
    def n_units(self) -> int:
        return len(self.units)

    def _band(self, est, infl, *, band: str = "uniform"):
        """SEs, intervals; band: uniform (R att_gt), uniform_floor (>= z, R aggte), pointwise."""
        n = infl.shape[0]
        z = float(stats.norm.ppf(1 - self.alpha / 2))
        if self.bootstrap:
            se, crit = multiplier_bootstrap(
                infl, draws=int(self.bootstrap), alpha=self.alpha, seed=self.seed
            )
            if band == "pointwise" or not np.isfinite(crit):
                crit = z
            elif band == "uniform_floor":
                crit = max(crit, z)
        else:
            se = np.sqrt((infl**2).sum(axis=0)) / n
            se = np.where(se > 0, se, np.nan)
            crit = z
        return se, est - crit * se, est + crit * se, crit

    def aggregate(self, kind: str = "group") -> pd.DataFrame:
        r"""Aggregate the :math:`ATT(g,t)` as R ``did::aggte``.

        Parameters
        ----------
        kind : {"simple", "dynamic", "group", "calendar"}
            ``simple``: :math:`\theta = \sum_{t\ge g} w_{gt} ATT(g,t)`, weights proportional
            to cohort size over all post-joining cells. ``dynamic``: one row per
            ``event_time`` :math:`e=t-g` (leads included), cohort-size weights within
            :math:`e`. ``group``: one row per cohort, the plain mean of its post-joining
            cells. ``calendar``: one row per ``period`` with a treated cohort, cohort-size
            weights. Every table ends with an ``overall`` row (``simple``: the only row;
            ``dynamic``: mean over :math:`e\ge0`; ``group``: cohort-size weighted mean of the
            cohorts; ``calendar``: mean over periods).

        Returns
        -------
        pandas.DataFrame
            ``term, <key>, estimate, std_error, ci_low, ci_high, n_treated`` where ``<key>`` is
            ``event_time``, ``group`` or ``period`` (absent for ``simple``) and ``n_treated`` the
            treated units (members) behind the row. With ``bootstrap``
            the intervals are uniform over the rows of the table (sup-t critical value of
            the multiplier bootstrap, never below the pointwise normal value, as R
            ``aggte``); the ``overall`` row (and ``simple``) is always pointwise:
            estimate ± :math:`z_{1-\alpha/2}` × SE, with the bootstrap SE when ``bootstrap``
            is set (as R ``did``'s summaries).

        Notes
        -----
        Standard errors come from the influence functions, including the estimation of the
        cohort-share weights (Callaway & Sant'Anna 2021, §4; R ``did``'s ``wif``).
        """
        check_choice(kind, AGGREGATIONS, argument="kind")
        att = self.att_gt["estimate"].to_numpy()
        g = self.att_gt["group"].to_numpy(dtype=float)
        t = self.att_gt["period"].to_numpy(dtype=float)
        unit_g = self.units["group"].to_numpy(dtype=float)
        infl = self.influence
        pg = np.array([np.mean(unit_g == gg) for gg in g])
        ok = np.isfinite(att)

        def weighted(keep, with_wif=True):
            w = pg[keep] / pg[keep].sum()
            est = float(w @ att[keep])
            psi = infl[:, keep] @ w
            if with_wif:
                psi = psi + _weights_if(keep, pg, g, unit_g) @ att[keep]
            return est, psi

        post = ok & (t >= g)
        rows, psis, keys = [], [], []
        key = _AGG_KEY[kind]
        if kind == "simple":
            est, psi = weighted(np.flatnonzero(post))
            rows, psis, keys = [est], [psi], ["overall"]
        elif kind == "dynamic":
            e = t - g
            for ev in np.unique(e[ok]):
                est, psi = weighted(np.flatnonzero(ok & (e == ev)))
                rows.append(est)
                psis.append(psi)
                keys.append(ev)
        elif kind == "group":
            for gg in np.unique(g[post]):
                keep = np.flatnonzero(post & (g == gg))
                rows.append(float(att[keep].mean()))
                psis.append(infl[:, keep].mean(axis=1))
                keys.append(gg)
        else:
            for tt in np.unique(t[post]):
                est, psi = weighted(np.flatnonzero(post & (t == tt)))
                rows.append(est)
                psis.append(psi)
                keys.append(tt)
        if kind != "simple":
            est_v = np.array(rows)
            psi_m = np.column_stack(psis)
            if kind == "dynamic":
                pos = np.array(keys) >= 0
                o_est, o_psi = float(est_v[pos].mean()), psi_m[:, pos].mean(axis=1)
            elif kind == "group":
                pgr = np.array([np.mean(unit_g == gg) for gg in keys])
                wg = pgr / pgr.sum()
                o_est = float(wg @ est_v)
                keep = np.arange(len(keys))
                o_psi = psi_m @ wg + _weights_if(keep, pgr, np.array(keys), unit_g) @ est_v
            else:
                o_est, o_psi = float(est_v.mean()), psi_m.mean(axis=1)
        size = {gg: int(np.sum(unit_g == gg)) for gg in np.unique(g)}

        def members(cells):  # distinct treated units behind a set of cells
            return int(sum(size[gg] for gg in np.unique(g[cells])))

        if kind == "simple":
            counts = [members(post)]
        else:
            sel = {"dynamic": t - g, "group": g, "calendar": t}[kind]
            base = ok if kind == "dynamic" else post
            counts = [members(base & (sel == k)) for k in keys]
        est_all = np.array(rows, dtype=float)
        se, lo, hi, _ = self._band(
            est_all, np.column_stack(psis), band="uniform_floor" if key else "pointwise"
        )
        table = pd.DataFrame(
            {
                "term": f"{kind}:{key}" if key else "simple",
                "estimate": est_all,
                "std_error": se,
                "ci_low": lo,
                "ci_high": hi,
                "n_treated": counts,
            }
        )
        if key:
            table.insert(1, key, np.array(keys).astype(int))
            table["term"] = [f"{key}={int(k)}" for k in keys]
            o_se, o_lo, o_hi, _ = self._band(np.array([o_est]), o_psi[:, None], band="pointwise")
            overall_base = (ok & (t - g >= 0)) if kind == "dynamic" else post
            overall = pd.DataFrame(
                {
                    "term": ["overall"],
                    key: [pd.NA],
                    "estimate": [o_est],
                    "std_error": o_se,
                    "ci_low": o_lo,
                    "ci_high": o_hi,
                    "n_treated": [members(overall_base)],
                }
            )
            table = pd.concat([table, overall], ignore_index=True)
            table[key] = table[key].astype("Int64")
        else:
            table["term"] = "overall"
        return table

    def summary(self) -> pd.DataFrame:
        """The four overall aggregates (``simple``, ``dynamic``, ``group``, ``calendar``) in the
        common summary format ``term, estimate, std_error, statistic, p_value, ci_low, ci_high,
        n`` (``n`` = units)."""
        rows = []
        for kind in AGGREGATIONS:
            r = self.aggregate(kind).iloc[-1]
            stat = r["estimate"] / r["std_error"]
            rows.append(
                {
                    "term": f"ATT:{kind}",
                    "estimate": r["estimate"],
                    "std_error": r["std_error"],
                    "statistic": stat,
                    "p_value": float(2 * stats.norm.sf(abs(stat))),
                    "ci_low": r["ci_low"],
                    "ci_high": r["ci_high"],
                    "n": self.n_units,
                }
            )
        return pd.DataFrame(rows)[SUMMARY_COLUMNS]

    def describe(self) -> str:
        """Assumptions and caveats as plain text."""
        lines = [f"staggered_did: {self.outcome}", "Assumptions:"]
        lines += [f"  - {a}" for a in self.assumptions]
        if self.notes:
            lines += ["Caveats:"] + [f"  - {n}" for n in self.notes]
        return "\n".join(lines)


def staggered_did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    first_treated: str,
    control: str = "never",
    covariates: Sequence[str] = (),
    estimation: str = "dr",
    alpha: float = 0.05,
    bootstrap: int | None = None,
    seed=None,
) -> StaggeredDiDResult:
    r"""Group-time average treatment effects with staggered joining (Callaway & Sant'Anna 2021).

    Parameters
    ----------
    panel : pandas.DataFrame
        Firm panel, one row per ``unit`` and ``period`` (numeric periods, e.g. years).
    outcome, unit, period : str
        Outcome, firm id and period columns.
    first_treated : str
        Period the unit joined; ``0``, missing or ``inf`` = never joined (R ``did``'s ``0``
        and fixest's ``inf`` both work). Constant within a unit.
    control : {"never", "not_yet"}
        Comparison units: never-treated only (default, R ``control_group="nevertreated"``), or
        never- and not-yet-treated units (those joining after :math:`\max(t, b)`).
    covariates : sequence of str
        Numeric covariates for conditional parallel trends, taken at the base period.
    estimation : {"dr", "ipw", "reg"}
        Doubly robust (default, R ``did``), normalised inverse-probability weighting or
        outcome regression (Sant'Anna & Zhao 2020). Identical without covariates.
    alpha : float
        1 - confidence level.
    bootstrap : int, optional
        Number of multiplier-bootstrap draws (Rademacher weights, as R ``did``): standard
        errors from the bootstrap and simultaneous (uniform) bands. ``None``: analytic standard
        errors from the influence functions and pointwise intervals.
    seed : int or numpy Generator, optional
        Makes the bootstrap reproducible.

    Returns
    -------
    StaggeredDiDResult
        ``att_gt``, ``aggregate(kind)``, ``summary()``, ``describe()``.

    Notes
    -----
    For cohort :math:`g` and period :math:`t` with base period :math:`b`,

    .. math:: ATT(g,t) = E[Y_t - Y_b \mid G=g] - E[Y_t - Y_b \mid C]

    (conditional on covariates for ``reg``/``ipw``/``dr``). Post-joining cells (:math:`t\ge
    g`) use :math:`b = g-1`, the last period before joining; pre-joining cells use the
    *varying* base period :math:`b = t-1` (R ``did``'s default ``base_period="varying"``), so
    they are period-to-period placebo changes. No anticipation is assumed. Units treated in
    the first period observed cannot be compared and are dropped (as R ``did``), and so are
    units not observed in every period (R's default balanced panel); both with a
    :class:`~clusterlab.errors.DataWarning`.

    Standard errors: :math:`SE = \sqrt{\sum_i\psi_i^2}/n` from the influence functions
    :math:`\psi` (clustered by unit), as R ``did`` with ``bstrap = FALSE``; R's default is the
    bootstrap, set ``bootstrap=999`` for that (its numbers vary with the seed).

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
    periods. *J. Econometrics* 225, 200-230.
    Sant'Anna, P. H. C. & Zhao, J. (2020). Doubly robust difference-in-differences estimators.
    *J. Econometrics* 219, 101-122.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import staggered_did
    >>> rows = []
    >>> for firm, join in enumerate([2, 2, 3, 3, 0, 0, 0, 0, 0, 0]):   # six never join
    ...     for t in (1, 2, 3):
    ...         effect = 1.0 * (join > 0 and t >= join)
    ...         rows.append({"firm": firm, "year": t, "join": join,
    ...                      "y": firm + 0.5 * t + effect + 0.01 * (firm % 2) * t})
    >>> r = staggered_did(pd.DataFrame(rows), outcome="y", unit="firm", period="year",
    ...                   first_treated="join")
    >>> r.att_gt[["group", "period", "estimate"]].round(3)
       group  period  estimate
    0      2       2       1.0
    1      2       3       1.0
    2      3       2       0.0
    3      3       3       1.0
    >>> float(r.aggregate("simple")["estimate"].iloc[0])
    1.0
    """
    alpha = check_alpha(alpha)
    check_choice(control, CONTROLS, argument="control")
    check_choice(estimation, ESTIMATIONS, argument="estimation")
    if bootstrap is not None and (
        isinstance(bootstrap, bool)
        or not isinstance(bootstrap, (int, np.integer))
        or bootstrap < 100
    ):
        raise ParameterError(
            f"bootstrap={bootstrap!r} must be None or a number of draws >= 100 (e.g. 999)"
        )
    name = "staggered_did"
    covariates = _as_list(covariates, "covariates")
    check_frame(panel, required=[first_treated], name=name)
    panel, _ = unique_index(panel)
    frame, dropped = prepare_frame(
        panel, name=name, numeric=[outcome, period, *covariates], columns=[unit]
    )
    frame["_g"] = first_treated_groups(
        panel.loc[frame.index, first_treated], name=name, column=first_treated
    )
    notes: list[str] = []
    dup = frame.duplicated([unit, period])
    if dup.any():
        raise DataValidationError(
            f"{name}: {int(dup.sum())} repeated {unit}-{period} rows; a panel has one row per "
            "unit and period",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(np.flatnonzero(dup.to_numpy())[0]) + 1,
                        "column": f"{unit},{period}",
                        "expected": "one row per unit and period",
                        "found": "repeated",
                    }
                ]
            ),
        )
    varies = frame.groupby(unit)["_g"].nunique() > 1
    if varies.any():
        raise DataValidationError(
            f"{name}: {first_treated!r} differs within {unit} for {int(varies.sum())} units",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": first_treated,
                        "found": str(u),
                        "expected": f"one joining period per {unit}",
                    }
                    for u in varies[varies].index[:5]
                ]
            ),
        )
    periods = np.sort(frame[period].astype(float).unique())
    if len(periods) < 2:
        raise DataValidationError(
            f"{name}: only one {period} observed; at least two needed",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": period,
                        "expected": ">= 2 periods",
                        "found": str(len(periods)),
                    }
                ]
            ),
        )
    counts = frame.groupby(unit)[period].nunique()
    incomplete = counts[counts < len(periods)].index
    if len(incomplete):
        msg = (
            f"{name}: {len(incomplete)} {unit}s not observed in all {len(periods)} periods "
            "dropped (balanced panel, as R did's default)"
        )
        notes.append(msg)
        warnings.warn(msg, DataWarning, stacklevel=2)
        frame = frame[~frame[unit].isin(incomplete)]
    ug = frame.groupby(unit, sort=True)["_g"].first()
    always = ug[ug <= periods[0]].index
    if len(always):
        msg = (
            f"{name}: {len(always)} {unit}s joined in or before the first period "
            f"({periods[0]:g}) and have no pre-period: dropped"
        )
        notes.append(msg)
        warnings.warn(msg, DataWarning, stacklevel=2)
        frame = frame[~frame[unit].isin(always)]
        ug = ug.drop(always)
    beyond = ug[np.isfinite(ug) & (ug > periods[-1])]
    if len(beyond):
        notes.append(
            f"{len(beyond)} {unit}s join after the last period ({periods[-1]:g}): "
            "they serve as not-yet-treated controls only"
        )
    cohorts = np.sort(ug[np.isfinite(ug) & (ug <= periods[-1])].unique())
    n_never = int(np.isinf(ug).sum())
    if len(cohorts) == 0:
        raise DataValidationError(
            f"{name}: no {unit} joins within the observed periods",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": first_treated,
                        "expected": "joining periods after the first period",
                        "found": "none",
                    }
                ]
            ),
        )
    if control == "never" and n_never == 0:
        raise DataValidationError(
            f"{name}: no never-treated {unit}s to compare with; use control='not_yet'",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": first_treated,
                        "expected": "some 0 / missing (never treated)",
                        "found": "none",
                    }
                ]
            ),
        )
    units_index = ug.index
    n = len(units_index)
    unit_g = ug.to_numpy()
    pos = {p: i for i, p in enumerate(periods)}
    wide_y = frame.pivot(index=unit, columns=period, values=outcome).reindex(units_index)
    wide_y.columns = wide_y.columns.astype(float)
    wide_x = {
        c: frame.pivot(index=unit, columns=period, values=c).reindex(units_index)
        for c in covariates
    }
    for c in wide_x:
        wide_x[c].columns = wide_x[c].columns.astype(float)
    rows, infl = [], []
    small = []
    for g in cohorts:
        if g not in pos:
            raise DataValidationError(
                f"{name}: cohort {first_treated}={g:g} is not one of the observed periods",
                problem_frame(
                    [
                        {
                            "file": name,
                            "column": first_treated,
                            "expected": "a period in the panel",
                            "found": f"{g:g}",
                        }
                    ]
                ),
            )
        for t in periods[1:]:
            b = periods[pos[g] - 1] if t >= g else periods[pos[t] - 1]
            treat = unit_g == g
            ctrl = np.isinf(unit_g) if control == "never" else (unit_g > max(t, b)) & (unit_g != g)
            sub = treat | ctrl
            n_t, n_c = int(treat.sum()), int(ctrl.sum())
            row = {
                "group": int(g) if float(g).is_integer() else g,
                "period": int(t) if float(t).is_integer() else t,
                "event_time": int(t - g) if float(t - g).is_integer() else t - g,
                "base_period": b,
                "n_treated": n_t,
                "n_control": n_c,
            }
            psi = np.zeros(n)
            if n_c == 0:
                row["estimate"] = np.nan
                rows.append(row)
                infl.append(psi)
                continue
            dy = (wide_y[t] - wide_y[b]).to_numpy()[sub]
            d = treat[sub].astype(float)
            X = np.column_stack(
                [np.ones(sub.sum())] + [wide_x[c][b].to_numpy()[sub] for c in covariates]
            )
            if covariates and np.linalg.matrix_rank(X[d == 0]) < X.shape[1]:
                small.append(f"({g:g}, {t:g})")
            att, psi_sub = att_2x2(dy, d, X, estimation)
            psi[sub] = psi_sub * n / sub.sum()
            row["estimate"] = att
            rows.append(row)
            infl.append(psi)
    att_gt = pd.DataFrame(rows)
    infl_m = np.column_stack(infl)
    if small:
        msg = (
            f"{name}: covariates are collinear among the controls in cells "
            + ", ".join(small[:5])
            + "; the outcome regression is not identified there"
        )
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    few = att_gt.loc[att_gt["n_treated"] < 2]
    if len(few):
        msg = (
            f"{name}: {few['group'].nunique()} cohort(s) have a single {unit} "
            f"({', '.join(str(x) for x in few['group'].unique()[:5])}); their ATT(g,t) rest "
            "on one unit and their standard errors are not meaningful"
        )
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    if control == "never" and n_never < 5:
        msg = f"{name}: only {n_never} never-treated {unit}s; consider control='not_yet'"
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    assumptions = (
        ASSUMPTIONS["parallel_trends"]
        + (
            " Here: for every joining cohort, with the "
            + ("never-treated" if control == "never" else "not-yet-treated")
            + " firms"
            + (", given the covariates" if covariates else "")
            + "."
        ),
        ASSUMPTIONS["no_anticipation"],
        ASSUMPTIONS["no_spillover"],
        "Joining is irreversible (once a member, always a member).",
    )
    result = StaggeredDiDResult(
        outcome=outcome,
        att_gt=att_gt,
        influence=infl_m,
        units=pd.DataFrame({"unit": units_index, "group": unit_g}),
        control=control,
        estimation=estimation,
        alpha=alpha,
        bootstrap=bootstrap,
        seed=seed,
        assumptions=assumptions,
        notes=tuple(notes),
    )
    est = att_gt["estimate"].to_numpy()
    ok = np.isfinite(est)
    se = np.full(len(est), np.nan)
    lo, hi = se.copy(), se.copy()
    s, lo_, hi_, _ = result._band(est[ok], infl_m[:, ok])
    se[ok], lo[ok], hi[ok] = s, lo_, hi_
    att_gt["std_error"], att_gt["ci_low"], att_gt["ci_high"] = se, lo, hi
    cols = [
        "group",
        "period",
        "event_time",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "n_treated",
        "n_control",
        "base_period",
    ]
    object.__setattr__(result, "att_gt", att_gt[cols])
    del dropped
    return result
