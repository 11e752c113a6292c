r"""Synthetic control for a policy that treats one region (Abadie, Diamond & Hainmueller 2010).

When a cluster policy treats a single region, a difference-in-differences against all other
regions rests on one treated unit. The synthetic control builds the comparison as a weighted
average of donor regions that tracks the treated region before the policy, and judges the
post-policy gap against placebo gaps of every donor.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize

from clusterlab._validation import as_list, check_frame, problem_frame
from clusterlab.compare._common import _as_list, prepare_frame, unique_index
from clusterlab.errors import DataValidationError, EstimationWarning, FewTreatedWarning

__all__ = [
    "SyntheticControlResult",
    "SynthPlacebo",
    "synthetic_control",
    "simplex_weights",
    "region_panel",
]


def simplex_weights(x1: np.ndarray, x0: np.ndarray, v: np.ndarray | None = None) -> np.ndarray:
    r"""Weights :math:`W \ge 0`, :math:`\sum W = 1` minimising
    :math:`(x_1 - X_0W)'V(x_1 - X_0W)` (a quadratic programme on the simplex).

    ``x1``: (k,), ``x0``: (k, J), ``v``: (k,) diagonal of :math:`V` (default identity).
    Solved by Lawson-Hanson non-negative least squares with the adding-up constraint as a
    heavily weighted extra row, then polished by an exact equality-constrained refit on the
    support.

    Examples
    --------
    >>> import numpy as np
    >>> simplex_weights(np.array([1.0, 2.0]), np.array([[0.0, 2.0], [0.0, 4.0]])).round(6)
    array([0.5, 0.5])
    """
    k, J = x0.shape
    v = np.ones(k) if v is None else np.asarray(v, dtype=float)
    sv = np.sqrt(v)
    A = x0 * sv[:, None]
    b = x1 * sv
    H = A.T @ A
    g = A.T @ b

    def f(w):
        r = A @ w - b
        return float(r @ r)

    def grad(w):
        return 2 * (H @ w - g)

    if J == 1:
        return np.ones(1)
    # Lawson-Hanson NNLS with the adding-up constraint as a heavily weighted extra row
    lam = 1e4 * max(1.0, float(np.abs(A).max()), float(np.abs(b).max()))
    w, _ = optimize.nnls(np.vstack([A, np.full((1, J), lam)]), np.append(b, lam), maxiter=50 * J)
    if w.sum() <= 0:  # pragma: no cover - the extra row forces sum(w) near 1
        w = np.full(J, 1.0 / J)
    w = w / w.sum()
    # polish: exact equality-constrained least squares on the support
    support = w > 1e-8
    for _ in range(5):
        idx = np.flatnonzero(support)
        Hs = H[np.ix_(idx, idx)]
        kkt = np.block([[2 * Hs, np.ones((len(idx), 1))], [np.ones((1, len(idx))), 0]])
        rhs = np.concatenate([2 * g[idx], [1.0]])
        try:
            sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:-1]
        except np.linalg.LinAlgError:  # pragma: no cover
            break
        if (sol >= -1e-12).all():
            cand = np.zeros(J)
            cand[idx] = np.clip(sol, 0, None)
            cand /= cand.sum()
            if f(cand) <= f(w) + 1e-14:
                w = cand
            break
        support[idx[sol < 0]] = False
    return w


@dataclass(frozen=True, eq=False)
class SynthPlacebo:
    """In-space placebo test of :meth:`SyntheticControlResult.placebo`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per unit (treated first): ``unit, treated, pre_rmspe, post_rmspe, ratio,
        rank`` (1 = largest post/pre ratio).
    gaps : pandas.DataFrame
        ``unit, period, gap`` of the treated unit and every placebo, for the placebo plot.
    p_value : float
        Rank of the treated unit's ratio / number of units.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import synthetic_control
    >>> rows = []
    >>> for t in range(2010, 2020):
    ...     a, b, c = 10 + t % 3, 20 + 0.5 * (t % 4), 30.0
    ...     treated = 0.25 * a + 0.75 * b + 0.1 * (t % 2) + (3.0 if t >= 2016 else 0.0)
    ...     rows += [{"region": r, "year": t, "emp": y}
    ...              for r, y in [("A", a), ("B", b), ("C", c), ("T", treated)]]
    >>> sc = synthetic_control(pd.DataFrame(rows), outcome="emp", unit="region", period="year",
    ...                        treated_unit="T", treatment_period=2016)
    >>> pl = sc.placebo()
    >>> pl.table[["unit", "treated", "ratio", "rank"]].round(2)
      unit  treated  ratio  rank
    0    T     True  61.25     1
    1    A    False   1.01     3
    2    B    False   0.97     4
    3    C    False   1.02     2
    >>> pl.summary().round(2)
       treated_ratio  rank  n_units  p_value
    0          61.25     1        4     0.25
    """

    table: pd.DataFrame
    gaps: pd.DataFrame
    p_value: float

    def summary(self) -> pd.DataFrame:
        """One row: ``treated_ratio, rank, n_units, p_value``."""
        tr = self.table[self.table["treated"]].iloc[0]
        return pd.DataFrame(
            [
                {
                    "treated_ratio": tr["ratio"],
                    "rank": int(tr["rank"]),
                    "n_units": len(self.table),
                    "p_value": self.p_value,
                }
            ]
        )


@dataclass(frozen=True, eq=False)
class SyntheticControlResult:
    """Result of :func:`synthetic_control`.

    Attributes
    ----------
    weights : pandas.DataFrame
        ``unit, weight`` of every donor (they sum to 1).
    effects : pandas.DataFrame
        ``period, actual, synthetic, gap, post`` (gap = actual - synthetic).
    predictors : pandas.DataFrame
        ``predictor, treated, synthetic, donor_mean, v_weight`` (balance of the predictors).
    rmspe : dict
        ``pre``, ``post`` root mean squared prediction errors and their ``ratio``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import synthetic_control
    >>> rows = []
    >>> for t in range(2010, 2020):
    ...     a, b, c = 10 + t % 3, 20 + 0.5 * (t % 4), 30.0
    ...     treated = 0.25 * a + 0.75 * b + 0.1 * (t % 2) + (3.0 if t >= 2016 else 0.0)
    ...     rows += [{"region": r, "year": t, "emp": y}
    ...              for r, y in [("A", a), ("B", b), ("C", c), ("T", treated)]]
    >>> sc = synthetic_control(pd.DataFrame(rows), outcome="emp", unit="region", period="year",
    ...                        treated_unit="T", treatment_period=2016)
    >>> sc.weights.round(3)
      unit  weight
    0    A   0.245
    1    B   0.755
    2    C   0.000
    >>> sc.summary().round(2)
                term  estimate  pre_rmspe  post_rmspe  ratio  n_donors
    0  T:average_gap       3.0       0.05         3.0  61.25         3
    """

    outcome: str
    treated_unit: object
    treatment_period: float
    weights: pd.DataFrame
    effects: pd.DataFrame
    predictors: pd.DataFrame
    rmspe: dict
    notes: tuple[str, ...] = ()
    _spec: dict = field(default_factory=dict, repr=False)

    def summary(self) -> pd.DataFrame:
        """One row: average post-period gap and the fit: ``term, estimate, pre_rmspe,
        post_rmspe, ratio, n_donors``."""
        post = self.effects[self.effects["post"]]
        return pd.DataFrame(
            [
                {
                    "term": f"{self.treated_unit}:average_gap",
                    "estimate": float(post["gap"].mean()),
                    "pre_rmspe": self.rmspe["pre"],
                    "post_rmspe": self.rmspe["post"],
                    "ratio": self.rmspe["ratio"],
                    "n_donors": int((self.weights["weight"] >= 0).sum()),
                }
            ]
        )

    def placebo(self) -> SynthPlacebo:
        r"""In-space placebos (Abadie, Diamond & Hainmueller 2010, §4): every donor in turn is
        treated as if it had received the policy, with the other donors (not the treated unit)
        as its donor pool. The p-value ranks the treated unit's post/pre RMSPE ratio among all
        units: :math:`p = \text{rank}/N` (rank 1 = largest ratio), as R ``SCtools``.
        """
        spec = self._spec
        wide = spec["wide"]
        rows, gaps = [], []
        units = [self.treated_unit, *spec["donors"]]
        for u in units:
            if u == self.treated_unit:
                eff, rm = self.effects, self.rmspe
            else:
                pool = [d for d in spec["donors"] if d != u]
                # no warning filter: a warning from a donor's placebo fit makes its RMSPE
                # ratio, and so the placebo p-value, unreliable; the user must see it
                _, eff, _, rm = _fit(
                    wide,
                    spec["pred"],
                    u,
                    pool,
                    spec["pre"],
                    spec["post"],
                    spec["names"],
                    spec["optimize_v"],
                )
            rows.append(
                {
                    "unit": u,
                    "treated": u == self.treated_unit,
                    "pre_rmspe": rm["pre"],
                    "post_rmspe": rm["post"],
                    "ratio": rm["ratio"],
                }
            )
            gaps.append(pd.DataFrame({"unit": u, "period": eff["period"], "gap": eff["gap"]}))
        table = pd.DataFrame(rows)
        table["rank"] = table["ratio"].rank(ascending=False, method="max").astype(int)
        p = float(table.loc[table["treated"], "rank"].iloc[0] / len(table))
        return SynthPlacebo(table=table, gaps=pd.concat(gaps, ignore_index=True), p_value=p)


def _fit(wide, pred, treated, donors, pre, post, names, optimize_v):
    """Weights, effects, predictor balance and RMSPE for one treated unit."""
    y = wide
    x1 = pred[treated].to_numpy(dtype=float)
    x0 = pred[donors].to_numpy(dtype=float)
    if optimize_v is None:  # outcomes as predictors: minimise the pre-period MSPE directly
        sd = np.ones(len(x1))
    else:
        sd = pred[[treated, *donors]].std(axis=1, ddof=1).to_numpy()
        sd = np.where(sd > 0, sd, 1.0)
    x1s, x0s = x1 / sd, x0 / sd[:, None]
    z1 = y.loc[pre, treated].to_numpy(dtype=float)
    z0 = y.loc[pre, donors].to_numpy(dtype=float)
    k = len(x1)

    def loss_v(theta):
        v = np.exp(theta - theta.max())
        v = v / v.sum()
        w = simplex_weights(x1s, x0s, v)
        r = z1 - z0 @ w
        return float(r @ r) / len(z1)

    if optimize_v and k > 1:
        starts = [np.zeros(k)]
        # regression-based start (R Synth): inverse of the predictors' spread
        starts.append(-np.log(np.var(np.column_stack([x1s, x0s]), axis=1) + 1e-12))
        best = None
        for s in starts:
            res = optimize.minimize(
                loss_v,
                s,
                method="Nelder-Mead",
                options={"xatol": 1e-6, "fatol": 1e-12, "maxiter": 400 * k},
            )
            if best is None or res.fun < best.fun:
                best = res
        assert best is not None  # starts is never empty
        v = np.exp(best.x - best.x.max())
        v = v / v.sum()
    else:
        v = np.full(k, 1.0 / k)
    w = simplex_weights(x1s, x0s, v)
    synth = y[donors].to_numpy(dtype=float) @ w
    actual = y[treated].to_numpy(dtype=float)
    is_post = np.isin(y.index, post)
    eff = pd.DataFrame(
        {
            "period": y.index,
            "actual": actual,
            "synthetic": synth,
            "gap": actual - synth,
            "post": is_post,
        }
    )
    pre_r = float(np.sqrt(np.mean(eff.loc[~eff["post"], "gap"] ** 2)))
    post_r = float(np.sqrt(np.mean(eff.loc[eff["post"], "gap"] ** 2)))
    rm = {"pre": pre_r, "post": post_r, "ratio": post_r / pre_r if pre_r > 0 else np.inf}
    balance = pd.DataFrame(
        {
            "predictor": names,
            "treated": x1,
            "synthetic": x0 @ w,
            "donor_mean": x0.mean(axis=1),
            "v_weight": v,
        }
    )
    return w, eff, balance, rm


def synthetic_control(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    treated_unit,
    treatment_period,
    predictors: Sequence[str] | None = None,
    donors: Sequence | None = None,
    optimize_v: bool = True,
) -> SyntheticControlResult:
    r"""Synthetic control estimate for one treated unit (e.g. the initiative's region).

    Parameters
    ----------
    panel : pandas.DataFrame
        Long table, one row per ``unit`` and ``period`` (balanced for the units used).
    outcome, unit, period : str
        Outcome, unit (region) and numeric period columns.
    treated_unit
        The treated unit's id.
    treatment_period : number
        First period under the policy; earlier periods are the pre-period.
    predictors : sequence of str, optional
        Predictor columns, each averaged over the pre-period (as R ``Synth``'s
        ``predictors.op = "mean"``). ``None``: the pre-period outcomes themselves, with
        equal weights, i.e. :math:`W` minimises the pre-period MSPE directly (``optimize_v``
        is then irrelevant).
    donors : sequence, optional
        Donor units (default: every other unit).
    optimize_v : bool, default True
        Choose the predictor weights :math:`V` by the nested optimisation of Abadie et al.
        (minimise the pre-period outcome MSPE over diagonal :math:`V`); ``False``: equal
        weights on the standardised predictors.

    Returns
    -------
    SyntheticControlResult
        ``weights``, ``effects``, ``predictors``, ``rmspe``, ``summary()``, ``placebo()``.

    Notes
    -----
    Predictors :math:`X` are standardised by their standard deviation across units (as
    ``Synth``). For given :math:`V`, :math:`W^*(V) = \arg\min_{W\ge0, \sum W=1}
    (X_1-X_0W)'V(X_1-X_0W)`; :math:`V^* = \arg\min_V (Z_1 - Z_0W^*(V))'(Z_1-Z_0W^*(V))` over
    the pre-period outcomes :math:`Z`. The effect in period :math:`t` is the gap
    :math:`Y_{1t} - \sum_j w_j Y_{jt}`. A poor pre-period fit (large pre-RMSPE relative to the
    outcome's variation) means the gaps are not credible: a warning says so. There is no
    standard error; inference is by :meth:`SyntheticControlResult.placebo`.

    The weights are the exact minimiser of the (weighted) quadratic loss on the simplex. R
    ``synthdid``'s ``sc_estimate`` (outcome-only, as ``predictors=None``) instead stops
    Frank-Wolfe early, drops weights below a quarter of the largest and adds a small ridge, so
    its estimates differ slightly (California Prop 99: -19.62 there, -19.51 here; see
    ``docs/compare.md``).

    References
    ----------
    Abadie, A., Diamond, A. & Hainmueller, J. (2010). Synthetic control methods for comparative
    case studies. *JASA* 105, 493-505.
    Abadie, A. & Gardeazabal, J. (2003). The economic costs of conflict: a case study of the
    Basque Country. *AER* 93, 113-132.
    Abadie, A. (2021). Using synthetic controls: feasibility, data requirements, and
    methodological aspects. *J. Economic Literature* 59, 391-425.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import synthetic_control
    >>> rows = []
    >>> for t in range(2010, 2020):
    ...     a, b, c = 10 + t % 3, 20 + 0.5 * (t % 4), 30.0
    ...     treated = 0.25 * a + 0.75 * b + (3.0 if t >= 2016 else 0.0)
    ...     rows += [{"region": r, "year": t, "emp": y}
    ...              for r, y in [("A", a), ("B", b), ("C", c), ("T", treated)]]
    >>> sc = synthetic_control(pd.DataFrame(rows), outcome="emp", unit="region", period="year",
    ...                        treated_unit="T", treatment_period=2016)
    >>> sc.weights.round(3)
      unit  weight
    0    A    0.25
    1    B    0.75
    2    C    0.00
    >>> sc.effects.loc[sc.effects.period >= 2016, "gap"].round(6).unique().tolist()
    [3.0]
    """
    name = "synthetic_control"
    preds = _as_list(predictors, "predictors")
    check_frame(panel, required=[unit, period, outcome, *preds], name=name)
    panel, _ = unique_index(panel)
    frame, _ = prepare_frame(panel, name=name, numeric=[outcome, period, *preds], columns=[unit])
    if frame.duplicated([unit, period]).any():
        raise DataValidationError(
            f"{name}: repeated {unit}-{period} rows; aggregate to one row per unit and period",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": f"{unit},{period}",
                        "expected": "one row per unit and period",
                        "found": "repeated",
                    }
                ]
            ),
        )
    units = frame[unit].unique()
    if treated_unit not in set(units):
        raise DataValidationError(
            f"{name}: treated_unit {treated_unit!r} is not in {unit!r}",
            problem_frame(
                [{"file": name, "column": unit, "expected": repr(treated_unit), "found": "absent"}]
            ),
        )
    pool = [u for u in units if u != treated_unit] if donors is None else list(donors)
    missing = [d for d in pool if d not in set(units)]
    if missing or treated_unit in pool:
        raise DataValidationError(
            f"{name}: donors must be other units present in the data",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": unit,
                        "expected": "donor ids in the data",
                        "found": repr(missing[:5] or [treated_unit]),
                    }
                ]
            ),
        )
    if not pool:
        raise DataValidationError(
            f"{name}: no donor units",
            problem_frame([{"file": name, "column": unit, "expected": ">= 1 donor", "found": "0"}]),
        )
    wide = frame.pivot(index=period, columns=unit, values=outcome).sort_index()
    wide.index = wide.index.astype(float)
    used = wide[[treated_unit, *pool]]
    incomplete = used.columns[used.isna().any()]
    notes: list[str] = []
    if treated_unit in incomplete:
        raise DataValidationError(
            f"{name}: the treated unit is not observed in every period",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": outcome,
                        "expected": "a value per period",
                        "found": f"{int(used[treated_unit].isna().sum())} missing",
                    }
                ]
            ),
        )
    if len(incomplete):
        msg = f"{name}: {len(incomplete)} donors not observed in every period left out"
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
        pool = [d for d in pool if d not in set(incomplete)]
    tp = float(treatment_period)
    pre = [p for p in wide.index if p < tp]
    post = [p for p in wide.index if p >= tp]
    if len(pre) < 2 or not post:
        raise DataValidationError(
            f"{name}: treatment_period={treatment_period!r} leaves {len(pre)} pre-period(s) "
            f"and {len(post)} post-period(s); at least 2 before and 1 after are needed",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": period,
                        "expected": "periods before and after the treatment",
                        "found": f"{len(pre)} before, {len(post)} after",
                    }
                ]
            ),
        )
    if len(pool) < 2:
        msg = f"{name}: only {len(pool)} donor; the synthetic control is that donor"
        notes.append(msg)
        warnings.warn(msg, FewTreatedWarning, stacklevel=2)
    wide = wide[[treated_unit, *pool]]
    # None: the pre-period outcomes are the predictors and V is not chosen (see _fit)
    v_choice: bool | None = optimize_v
    if preds:
        sub = frame[frame[period].astype(float) < tp]
        pred = sub.groupby(unit)[preds].mean().T
        names = list(preds)
        if pred[[treated_unit, *pool]].isna().any().any():
            raise DataValidationError(  # pragma: no cover - prepare_frame drops NaN rows
                f"{name}: predictors missing for some units in the pre-period"
            )
    else:
        pred = wide.loc[pre]
        names = [f"{outcome}[{p:g}]" for p in pre]
        pred.index = names
        v_choice = None
    w, eff, balance, rm = _fit(wide, pred, treated_unit, pool, pre, post, names, v_choice)
    scale = float(np.std(wide.loc[pre].to_numpy()))
    poor = scale > 0 and rm["pre"] > 0.1 * scale
    if poor:
        msg = (
            f"{name}: poor pre-period fit (RMSPE {rm['pre']:.3g}, {rm['pre'] / scale:.0%} "
            f"of the outcome's spread): the treated unit lies outside the donors' range; "
            "the gaps are not credible"
        )
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    elif len(pre) < len(pool):
        msg = (
            f"{name}: {len(pre)} pre-periods for {len(pool)} donors - the weights can "
            "reproduce the pre-period almost exactly (interpolation, Abadie 2021); a close "
            "pre-period fit is then weak evidence and the placebo ratios are unstable"
        )
        notes.append(msg)
        warnings.warn(msg, EstimationWarning, stacklevel=2)
    weights = pd.DataFrame({"unit": pool, "weight": w})
    spec = {
        "wide": wide,
        "pred": pred,
        "donors": pool,
        "pre": pre,
        "post": post,
        "names": names,
        "optimize_v": v_choice,
    }
    return SyntheticControlResult(
        outcome=outcome,
        treated_unit=treated_unit,
        treatment_period=tp,
        weights=weights,
        effects=eff,
        predictors=balance,
        rmspe=rm,
        notes=tuple(notes),
        _spec=spec,
    )


def region_panel(employment: pd.DataFrame, *, industries, regions=None) -> pd.DataFrame:
    """Region × year panel of a cluster's employment for :func:`synthetic_control`.

    Parameters
    ----------
    employment : pandas.DataFrame
        The employment contract: ``region, industry, year, employment`` (+ optional
        ``establishments``); industry codes are text (``"007"`` stays ``"007"``).
    industries : str or iterable of str (list, Series)
        The cluster's industry codes.
    regions : iterable, optional
        Regions to keep (e.g. the treated region and its donors of the same type).

    Returns
    -------
    pandas.DataFrame
        ``region, year, employment`` (the cluster's), ``total_employment``,
        ``log_employment`` (log of employment + 1), ``cluster_share`` and, when
        establishments are given, ``establishment_size`` (employees per establishment).

    Examples
    --------
    >>> emp = pd.DataFrame({"region": ["a", "a", "a", "b"], "industry": ["007", "9", "007", "007"],
    ...                     "year": [2020, 2020, 2021, 2020], "employment": [3, 1, 4, 5]})
    >>> region_panel(emp, industries=["007"])[["region", "year", "employment", "cluster_share"]]
      region  year  employment  cluster_share
    0      a  2020           3           0.75
    1      a  2021           4           1.00
    2      b  2020           5           1.00
    """
    name = "region_panel"
    inds = [str(i) for i in as_list(industries, argument="industries")]
    check_frame(
        employment,
        required=["region", "industry", "year", "employment"],
        numeric=["employment"],
        name=name,
    )
    emp = employment if regions is None else employment[employment["region"].isin(list(regions))]
    codes = emp["industry"].astype(str)
    if not codes.isin(inds).any():
        raise DataValidationError(
            f"{name}: none of the cluster's industries occur in the employment data",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": "industry",
                        "expected": ", ".join(inds[:5]),
                        "found": "none of them",
                    }
                ]
            ),
        )
    cols = ["employment"] + (["establishments"] if "establishments" in emp.columns else [])
    total = (
        emp.groupby(["region", "year"], as_index=False)["employment"]
        .sum()
        .rename(columns={"employment": "total_employment"})
    )
    mine = emp[codes.isin(inds)].groupby(["region", "year"], as_index=False)[cols].sum()
    out = total.merge(mine, on=["region", "year"], how="left").fillna(dict.fromkeys(cols, 0))
    out["log_employment"] = np.log1p(out["employment"])
    out["cluster_share"] = out["employment"] / out["total_employment"].where(
        out["total_employment"] > 0
    )
    if "establishments" in cols:
        out["establishment_size"] = out["employment"] / out["establishments"].where(
            out["establishments"] > 0
        )
        out = out.drop(columns="establishments")
    return out[
        [
            "region",
            "year",
            "employment",
            "total_employment",
            "log_employment",
            "cluster_share",
            *(["establishment_size"] if "establishments" in cols else []),
        ]
    ]
