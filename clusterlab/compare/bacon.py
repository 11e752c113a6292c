r"""Goodman-Bacon (2021) decomposition of the two-way fixed-effects DiD estimate.

With staggered joining, the TWFE coefficient is a weighted average of every 2×2 DiD between
timing groups — including "later vs earlier treated" comparisons that use already-treated firms
as controls and go wrong when effects grow over time. The decomposition shows those pieces and
their weights.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.compare._common import prepare_frame, unique_index
from clusterlab.compare._ols import _codes, demean
from clusterlab.errors import DataValidationError, EstimationWarning

__all__ = ["bacon_decomposition", "COMPARISONS"]

#: Labels of the comparison types, in output order.
COMPARISONS = (
    "treated vs never treated",
    "earlier vs later treated",
    "later vs earlier treated",
    "later vs always treated",
)


def _dd(wide: pd.DataFrame, treat: np.ndarray, ctrl: np.ndarray, window, post_from) -> float:
    cols = [c for c in wide.columns if window[0] <= c <= window[1]]
    sub = wide[cols]
    post = np.array([c >= post_from for c in cols])
    yt, yc = sub[treat].to_numpy(), sub[ctrl].to_numpy()
    return float(
        (yt[:, post].mean() - yt[:, ~post].mean()) - (yc[:, post].mean() - yc[:, ~post].mean())
    )


def bacon_decomposition(
    panel: pd.DataFrame,
    *,
    outcome: str,
    treated: str,
    unit: str,
    period: str,
    errors: str = "raise",
) -> pd.DataFrame:
    r"""Decompose the TWFE DiD coefficient into 2×2 comparisons and their weights.

    Parameters
    ----------
    panel : pandas.DataFrame
        Balanced panel (every unit in every period), one row per ``unit`` and ``period``.
    outcome, unit, period : str
        Outcome, unit id and (sortable) period columns.
    treated : str
        0/1 treatment that never switches off once on (absorbing), e.g. member × joined.
    errors : {"raise", "warn", "ignore"}
        When the panel does not allow the decomposition (unbalanced, treatment switching off,
        nobody joining): raise the :class:`~clusterlab.errors.DataValidationError`, or return an
        empty table with (``"warn"``) or without an ``EstimationWarning``.

    Returns
    -------
    pandas.DataFrame
        One row per 2×2 comparison: ``comparison`` (one of :data:`COMPARISONS`),
        ``treated_group`` and ``control_group`` (first treated period of each timing group;
        NaN = never treated), ``weight``, ``estimate``, ``n_treated`` and ``n_control``
        (units in the two timing groups). The weights sum to 1 and
        ``(weight * estimate).sum()`` equals the TWFE coefficient of
        ``did(..., fixed_effects=("unit", "period"))``. Per comparison type:
        ``table.groupby("comparison").apply(lambda d: np.average(d.estimate, weights=d.weight))``.

    Notes
    -----
    With group shares :math:`n_k` and treated shares of periods :math:`\bar D_k`
    (Goodman-Bacon 2021, Theorem 1, eq. 10e-g), before normalising by :math:`\hat V^D`,
    the variance of the two-way demeaned treatment:

    .. math::
        s_{kU} &\propto (n_k+n_U)^2\, n_{kU}(1-n_{kU})\, \bar D_k(1-\bar D_k) \\
        s^k_{k\ell} &\propto ((n_k+n_\ell)(1-\bar D_\ell))^2\, n_{k\ell}(1-n_{k\ell})\,
            \frac{\bar D_k-\bar D_\ell}{1-\bar D_\ell}\,\frac{1-\bar D_k}{1-\bar D_\ell} \\
        s^\ell_{k\ell} &\propto ((n_k+n_\ell)\bar D_k)^2\, n_{k\ell}(1-n_{k\ell})\,
            \frac{\bar D_\ell}{\bar D_k}\,\frac{\bar D_k-\bar D_\ell}{\bar D_k}

    :math:`k` is treated earlier than :math:`\ell`; :math:`U` never treated. Units treated
    from the first period on act as controls for later groups ("later vs always treated", as
    R ``bacondecomp``). Each 2×2 estimate is the difference of the groups' before/after mean
    changes within its window (:math:`k` vs :math:`\ell`: the periods before :math:`\ell`
    joins; :math:`\ell` vs :math:`k`: from :math:`k`'s joining on).

    References
    ----------
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *J. Econometrics* 225, 254-277.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import bacon_decomposition
    >>> rows = [{"id": i, "t": t, "d": int(start is not None and t >= start),
    ...          "y": (2.0 if i == 2 else 4.0) * (start is not None and t >= start)}
    ...         for i, start in [(1, None), (2, 5), (3, 8)] for t in range(1, 11)]
    >>> b = bacon_decomposition(pd.DataFrame(rows), outcome="y", treated="d", unit="id",
    ...                         period="t")
    >>> b[["comparison", "weight", "estimate"]].round(4)
                     comparison  weight  estimate
    0  treated vs never treated  0.3636       2.0
    1  treated vs never treated  0.3182       4.0
    2  earlier vs later treated  0.1818       2.0
    3  later vs earlier treated  0.1364       4.0
    >>> round(float((b["weight"] * b["estimate"]).sum()), 4)  # = the TWFE coefficient
    2.9091
    """
    check_choice(errors, ("raise", "warn", "ignore"), argument="errors")
    try:
        return _bacon(panel, outcome=outcome, treated=treated, unit=unit, period=period)
    except DataValidationError as exc:
        if errors == "raise":
            raise
        if errors == "warn":
            warnings.warn(f"bacon_decomposition skipped: {exc}", EstimationWarning, stacklevel=2)
        return pd.DataFrame(
            columns=[
                "comparison",
                "treated_group",
                "control_group",
                "weight",
                "estimate",
                "n_treated",
                "n_control",
            ]
        )


def _bacon(panel, *, outcome, treated, unit, period):
    name = "bacon_decomposition"
    panel, _ = unique_index(panel)
    frame, _ = prepare_frame(
        panel, name=name, numeric=[outcome, treated], columns=[unit, period], binary=[treated]
    )
    if frame.duplicated([unit, period]).any():
        raise DataValidationError(
            f"{name}: repeated {unit}-{period} rows; the decomposition needs a panel",
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
    wide_d = frame.pivot(index=unit, columns=period, values=treated).sort_index(axis=1)
    if wide_d.isna().any().any():
        n_bad = int(wide_d.isna().any(axis=1).sum())
        raise DataValidationError(
            f"{name}: {n_bad} {unit}s are not observed in every period; the decomposition "
            "holds for balanced panels only",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": period,
                        "expected": "balanced panel",
                        "found": f"{n_bad} incomplete {unit}s",
                    }
                ]
            ),
        )
    d = wide_d.to_numpy(dtype=float)
    if (np.diff(d, axis=1) < 0).any():
        raise DataValidationError(
            f"{name}: {treated!r} switches off for some {unit}s; the decomposition needs an "
            "absorbing treatment",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": treated,
                        "expected": "0 ... 0 1 ... 1 within each unit",
                        "found": "1 followed by 0",
                    }
                ]
            ),
        )
    wide_y = frame.pivot(index=unit, columns=period, values=outcome).sort_index(axis=1)
    periods = list(wide_y.columns)
    T = len(periods)
    first = np.where(d.any(axis=1), d.argmax(axis=1), -1)  # index of first treated period
    dbar = d.mean(axis=1)
    timing = sorted({int(f) for f in first if f > 0})
    has_never = bool((first == -1).any())
    has_always = bool((first == 0).any())
    if not timing:
        raise DataValidationError(
            f"{name}: no {unit} switches from untreated to treated within the panel",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": treated,
                        "expected": "units that join after the first period",
                        "found": "none",
                    }
                ]
            ),
        )
    N = len(first)
    share = {f: float(np.mean(first == f)) for f in set(first.tolist())}
    Dbar = {f: float(dbar[first == f][0]) for f in set(first.tolist())}
    cnt = {f: int(np.sum(first == f)) for f in set(first.tolist())}
    rows = []

    def label(f):
        return np.nan if f == -1 else periods[f]

    for k in timing:
        if has_never:
            nk, nu = share[k], share[-1]
            nku = nk / (nk + nu)
            s = (nk + nu) ** 2 * nku * (1 - nku) * Dbar[k] * (1 - Dbar[k])
            est = _dd(wide_y, first == k, first == -1, (periods[0], periods[-1]), periods[k])
            rows.append((COMPARISONS[0], label(k), np.nan, s, est, cnt[k], cnt[-1]))
    for i, k in enumerate(timing):
        for ell in timing[i + 1 :]:
            nk, nl = share[k], share[ell]
            nkl = nk / (nk + nl)
            dk, dl = Dbar[k], Dbar[ell]
            s_k = (
                ((nk + nl) * (1 - dl)) ** 2
                * nkl
                * (1 - nkl)
                * (dk - dl)
                / (1 - dl)
                * (1 - dk)
                / (1 - dl)
            )
            est_k = _dd(
                wide_y, first == k, first == ell, (periods[0], periods[ell - 1]), periods[k]
            )
            rows.append((COMPARISONS[1], label(k), label(ell), s_k, est_k, cnt[k], cnt[ell]))
            s_l = ((nk + nl) * dk) ** 2 * nkl * (1 - nkl) * (dl / dk) * (dk - dl) / dk
            est_l = _dd(wide_y, first == ell, first == k, (periods[k], periods[-1]), periods[ell])
            rows.append((COMPARISONS[2], label(ell), label(k), s_l, est_l, cnt[ell], cnt[k]))
    if has_always:
        for ell in timing:
            na, nl = share[0], share[ell]
            nal = nl / (na + nl)
            s = (na + nl) ** 2 * nal * (1 - nal) * Dbar[ell] * (1 - Dbar[ell])
            est = _dd(wide_y, first == ell, first == 0, (periods[0], periods[-1]), periods[ell])
            rows.append((COMPARISONS[3], label(ell), periods[0], s, est, cnt[ell], cnt[0]))
    table = pd.DataFrame(
        rows,
        columns=[
            "comparison",
            "treated_group",
            "control_group",
            "weight",
            "estimate",
            "n_treated",
            "n_control",
        ],
    )
    # V^D: variance of the two-way demeaned treatment (Theorem 1: the numerators add up to it)
    codes = [
        _codes(pd.Series(np.repeat(np.arange(N), T))),
        _codes(pd.Series(np.tile(np.arange(T), N))),
    ]
    d_tilde = demean(d.reshape(-1, 1), codes)[:, 0]
    vd = float(np.mean(d_tilde**2))
    total = float(table["weight"].sum())
    if not np.isclose(total, vd, rtol=1e-6, atol=1e-12):  # pragma: no cover - identity
        raise RuntimeError(f"{name}: weights add to {total}, V^D = {vd}")
    table["weight"] = table["weight"] / total
    table = table[table["weight"] > 0].reset_index(drop=True)
    return table
