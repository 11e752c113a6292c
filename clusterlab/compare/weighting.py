r"""Inverse-probability weighting of members and non-members (WeightIt's ``method = "glm"``)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice
from clusterlab.compare._common import (
    ComparisonResult,
    OverlapWarning,
    _as_list,
    unique_index,
)
from clusterlab.compare.balance import BalanceTable, balance_table, effective_n
from clusterlab.compare.matching import weighted_effect
from clusterlab.compare.propensity import (
    PropensityModel,
    overlap_table,
    overlap_warnings,
    propensity_score,
)

__all__ = ["WeightResult", "weight", "ipw_weights"]


def ipw_weights(ps: np.ndarray, g: np.ndarray, estimand: str) -> np.ndarray:
    r"""Inverse-probability weights.

    .. math:: \text{ATE: } w = \frac{D}{e} + \frac{1-D}{1-e}, \quad
       \text{ATT: } w = D + (1-D)\frac{e}{1-e}, \quad
       \text{ATC: } w = D\frac{1-e}{e} + (1-D)

    Parameters
    ----------
    ps : numpy.ndarray
        Propensity scores :math:`e` in (0, 1).
    g : numpy.ndarray
        Group indicator :math:`D` (1 = member).
    estimand : {"ATE", "ATT", "ATC"}
        The effect the weights target.

    Returns
    -------
    numpy.ndarray
        One weight per unit.

    Examples
    --------
    >>> ipw_weights(np.array([0.5, 0.2]), np.array([1, 0]), "ATE").tolist()
    [2.0, 1.25]
    """
    ps = np.asarray(ps, dtype=float)
    g = np.asarray(g)
    if estimand == "ATT":
        return np.where(g == 1, 1.0, ps / (1 - ps))
    if estimand == "ATC":
        return np.where(g == 1, (1 - ps) / ps, 1.0)
    return np.where(g == 1, 1 / ps, 1 / (1 - ps))


@dataclass(frozen=True, eq=False)
class WeightResult:
    """Result of :func:`weight`.

    Attributes
    ----------
    weights : pandas.Series
        Weights aligned with the input rows (NaN where a row had missing covariates).
    propensity : PropensityModel
        The logit propensity model.
    balance : BalanceTable
        Unweighted and weighted balance (``*_adj``).
    ess : pandas.DataFrame
        Per group: ``n``, effective sample size ``ess`` (Kish), ``min_weight``, ``max_weight``
        and ``max_share`` (largest weight / sum of weights in the group).
    overlap : pandas.DataFrame
        Overlap of the propensity scores (see :func:`~clusterlab.compare.overlap_table`).
    notes : list of str
        Warnings raised while weighting (also emitted as Python warnings).
    frame : pandas.DataFrame
        The rows used (complete cases).
    group : str
        The 0/1 member column.
    covariates : list of str
        Covariates of the propensity model.
    estimand : str
        ``"ATT"``, ``"ATE"`` or ``"ATC"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import weight
    >>> firms = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0, 0, 0],
    ...                       "size": [3.0, 5.0, 6.0, 1.0, 2.0, 4.0, 5.5, 7.0],
    ...                       "sales": [10.0, 13.0, 15.0, 4.0, 6.0, 9.0, 11.0, 14.0]})
    >>> w = weight(firms, group="member", covariates=["size"], max_share=0.5)
    >>> w.ess[["group", "n", "ess", "max_weight"]].round(2)
       group  n   ess  max_weight
    0      1  3  3.00        1.00
    1      0  5  4.14        1.07
    >>> w.effect("sales").summary()[["term", "estimate", "n"]].round(2)
         term  estimate  n
    0  member      2.27  8
    """

    weights: pd.Series
    propensity: PropensityModel
    balance: BalanceTable
    ess: pd.DataFrame
    overlap: pd.DataFrame
    notes: list[str]
    frame: pd.DataFrame = field(repr=False)
    group: str
    covariates: list[str]
    estimand: str
    _weights: pd.Series = field(repr=False)

    def effect(
        self, outcome: str, *, covariates: Sequence[str] = (), alpha: float = 0.05
    ) -> ComparisonResult:
        r"""Weighted difference in mean ``outcome`` (Hájek estimator), optionally with
        ``covariates`` in the weighted regression (doubly robust).

        The estimate equals statsmodels' WLS of the outcome on the group with these weights;
        the standard error is HC1-robust and treats the weights as known, which ignores the
        estimation of the propensity score (conservative for the ATE; Lunceford & Davidian
        2004). Treat it as approximate.
        """
        return weighted_effect(
            self,
            outcome,
            covariates=covariates,
            alpha=alpha,
            method="weighting",
            note=f"estimand: {self.estimand}; standard errors: "
            "{correction}, weights treated as known",
        )

    def summary(self) -> pd.DataFrame:
        """Weighted balance in the summary format (``estimate`` = weighted SMD)."""
        return self.balance.summary()


def weight(
    df: pd.DataFrame,
    *,
    group: str,
    covariates: Sequence[str],
    estimand: str = "ATT",
    binary: str = "raw",
    max_share: float = 0.1,
) -> WeightResult:
    r"""Inverse-probability weights from a logit propensity score, with weighted balance and
    effective sample sizes.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per firm.
    group : str
        0/1 column (1 = member).
    covariates : sequence of str
        Covariates of the propensity model (text columns become indicators).
    estimand : {"ATT", "ATE", "ATC"}
        Effect on the members (ATT), on all firms (ATE), or on the non-members (ATC).
    binary : {"raw", "std"}
        Binary covariates in the balance table.
    max_share : float, default 0.1
        Warn when one firm carries more than this share of its group's total weight.

    Returns
    -------
    WeightResult
        ``.weights``, ``.balance``, ``.ess`` and ``.effect(outcome)``.

    Notes
    -----
    Weights as :func:`ipw_weights`; the effective sample size of a group is
    :math:`(\sum w)^2/\sum w^2` (Kish 1965), as reported by WeightIt/cobalt.

    References
    ----------
    Rosenbaum, P. R. & Rubin, D. B. (1983). The central role of the propensity score.
    *Biometrika* 70, 41-55.
    Greifer, N. WeightIt: Weighting for Covariate Balance (R package).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from clusterlab.compare import weight
    >>> rng = np.random.default_rng(5)
    >>> x = rng.normal(size=400)
    >>> df = pd.DataFrame({"x": x, "member": (x + 2 * rng.normal(size=400) > 0.5).astype(int)})
    >>> w = weight(df, group="member", covariates=["x"], estimand="ATT")
    >>> bool((w.weights[df["member"] == 1] == 1).all())
    True
    """
    check_choice(estimand, ["ATT", "ATE", "ATC"], argument="estimand")
    covariates = _as_list(covariates, "covariates")
    df, orig_index = unique_index(df)
    ps = propensity_score(df, group=group, covariates=covariates, name="weight")
    notes = list(ps.notes)
    overlap_warnings(ps, notes, estimand=estimand)
    frame = ps.frame.copy()
    g = frame[group].to_numpy()
    w = ipw_weights(ps.scores.to_numpy(), g, estimand)
    rows = []
    for k in (1, 0):
        wk = w[g == k]
        share = float(wk.max() / wk.sum())
        rows.append(
            {
                "group": k,
                "n": int(len(wk)),
                "ess": effective_n(wk),
                "min_weight": float(wk.min()),
                "max_weight": float(wk.max()),
                "max_share": share,
            }
        )
        if share > max_share:
            msg = (
                f"one {'member' if k else 'non-member'} carries {share:.0%} of its group's "
                "weight: the weighted comparison rests on very few firms"
            )
            notes.append(msg)
            warnings.warn(msg, OverlapWarning, stacklevel=2)
    weights = pd.Series(np.nan, index=df.index, name="weight")
    weights.loc[frame.index] = w
    internal = weights
    if orig_index is not None:  # repeated labels: weights given back by position
        weights = weights.set_axis(orig_index)
    bal = balance_table(
        frame.assign(propensity_score=ps.scores),
        group=group,
        covariates=["propensity_score", *covariates],
        weights=pd.Series(w, index=frame.index),
        estimand=estimand,
        binary=binary,
    )
    return WeightResult(
        weights=weights,
        propensity=ps,
        balance=bal,
        ess=pd.DataFrame(rows),
        overlap=overlap_table(ps),
        notes=notes,
        frame=frame,
        group=group,
        covariates=covariates,
        estimand=estimand,
        _weights=internal,
    )
