# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""Propensity-score nearest-neighbour matching of members to non-members (MatchIt's
``method = "nearest"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.compare._common import (
    ASSUMPTIONS,
    ComparisonResult,
    MissingRowsWarning,
    OverlapWarning,
    _as_list,
    check_alpha,
    expand_covariates,
    summary_frame,
    t_inference,
    unique_index,
)
from clusterlab.compare._ols import fit_ols
from clusterlab.compare.balance import BalanceTable, balance_table
from clusterlab.compare.propensity import (
    PropensityModel,
    overlap_table,
    overlap_warnings,
    propensity_score,
)
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["MatchResult", "match", "effect_from_weights"]


def effect_from_weights(
    frame: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    weights: np.ndarray,
    covariates: Sequence[str] = (),
    cov: str = "HC1",
    clusters=None,
    alpha: float = 0.05,
):
    """Weighted least squares of ``outcome`` on ``group`` (+ covariates) using only rows with
    positive weight; returns (estimate row dict, fit)."""
    if outcome not in frame.columns:
        raise DataValidationError(
            f"outcome {outcome!r} not found",
            problem_frame([{"column": outcome, "expected": "column present", "found": "missing"}]),
        )
    if not pd.api.types.is_numeric_dtype(frame[outcome]):
        raise DataValidationError(
            f"outcome {outcome!r} must be numeric",
            problem_frame(
                [{"column": outcome, "expected": "numeric", "found": str(frame[outcome].dtype)}]
            ),
        )
    use = (weights > 0) & frame[outcome].notna().to_numpy()
    n_miss = int(((weights > 0) & frame[outcome].isna().to_numpy()).sum())
    if n_miss:
        warnings.warn(
            f"{n_miss} matched/weighted rows have no {outcome!r} and are left out",
            MissingRowsWarning,
            stacklevel=3,
        )
    sub = frame.loc[use]
    X = pd.concat(
        [sub[[group]].astype(float), expand_covariates(sub, list(covariates), drop_first=True)[0]],
        axis=1,
    )
    fit = fit_ols(
        sub[outcome].astype(float),
        X,
        cov=cov,
        weights=weights[use],
        clusters=None if clusters is None else clusters.loc[use],
        protect=(group,),
    )
    est, se = float(fit.params[group]), float(fit.bse[group])
    stat, p, lo, hi = t_inference(est, se, fit.df_inference, alpha)
    row = {
        "term": group,
        "estimate": est,
        "std_error": se,
        "statistic": stat,
        "p_value": p,
        "ci_low": lo,
        "ci_high": hi,
        "n": int(use.sum()),
    }
    return row, fit


def weighted_effect(
    design,
    outcome: str,
    *,
    covariates: Sequence[str],
    alpha: float,
    method: str,
    note: str,
    cov: str = "HC1",
    clusters=None,
) -> ComparisonResult:
    """The effect of a weighting design (:class:`MatchResult`, :class:`WeightResult`) on
    ``outcome`` as a :class:`ComparisonResult`: WLS of :func:`effect_from_weights` on the
    design's rows and weights, its assumptions, its notes plus ``note`` and the standard
    errors used."""
    alpha = check_alpha(alpha)
    frame = design.frame
    w = design._weights.loc[frame.index].to_numpy()
    row, fit = effect_from_weights(
        frame,
        outcome=outcome,
        group=design.group,
        weights=w,
        covariates=covariates,
        cov=cov,
        clusters=clusters,
        alpha=alpha,
    )
    return ComparisonResult(
        method=method,
        outcome=outcome,
        table=summary_frame([row]),
        assumptions=[
            ASSUMPTIONS["observables"],
            ASSUMPTIONS["overlap"],
            ASSUMPTIONS[method],
            ASSUMPTIONS["no_spillover"],
        ],
        notes=list(design.notes) + [note.format(correction=fit.correction)],
        n_units=int(row["n"]),
        dropped=design.propensity.dropped,
        fit=fit,
    )


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Result of :func:`match`.

    Attributes
    ----------
    matched : pandas.DataFrame
        The matched rows (input columns) with ``pair`` (the treated unit's pair/subclass id;
        missing when controls are reused, i.e. ``replace=True``), ``weight`` (MatchIt's matching
        weights) and ``propensity_score``.
    pairs : pandas.DataFrame
        One row per treated-control link: ``pair, treated, control`` (input index labels) and
        ``distance`` (absolute propensity-score difference).
    weights : pandas.Series
        Matching weights aligned with the input rows (0 = not matched, NaN = row had missing
        values).
    propensity : PropensityModel
        The logit propensity model.
    balance : BalanceTable
        Before (unadjusted) and after (``*_adj``) matching, including the propensity score.
    unmatched : pandas.DataFrame
        Members left without a match (outside the caliper).
    notes : list of str
        Warnings raised while matching (also emitted as Python warnings).
    frame : pandas.DataFrame
        The rows used (complete cases) with ``propensity_score``.
    group : str
        The 0/1 member column.
    covariates : list of str
        Covariates of the propensity model.
    replace : bool
        Whether controls were reused.
    ratio : int
        Controls per member.
    caliper : float or None
        The caliper on the probability scale (None: no caliper).
    estimand : str
        ``"ATT"``.
    overlap : pandas.DataFrame
        Overlap of the propensity scores (see :func:`~clusterlab.compare.overlap_table`).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import match
    >>> firms = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0, 0, 0],
    ...                       "size": [3.0, 5.0, 6.0, 1.0, 2.0, 4.0, 5.5, 7.0],
    ...                       "sales": [10.0, 13.0, 15.0, 4.0, 6.0, 9.0, 11.0, 14.0]})
    >>> m = match(firms, group="member", covariates=["size"])
    >>> m.pairs[["pair", "treated", "control"]]
       pair  treated  control
    0     1        2        6
    1     2        1        5
    2     3        0        4
    >>> m.att("sales").summary()[["term", "estimate", "n"]]
         term  estimate  n
    0  member       4.0  6
    """

    matched: pd.DataFrame
    pairs: pd.DataFrame
    weights: pd.Series
    propensity: PropensityModel
    balance: BalanceTable
    unmatched: pd.DataFrame
    notes: list[str]
    frame: pd.DataFrame = field(repr=False)
    group: str
    covariates: list[str]
    replace: bool
    ratio: int
    caliper: float | None
    estimand: str
    overlap: pd.DataFrame
    _pair_of: pd.Series = field(repr=False)
    _weights: pd.Series = field(repr=False)

    def att(
        self, outcome: str, *, covariates: Sequence[str] = (), alpha: float = 0.05
    ) -> ComparisonResult:
        r"""Average effect on the matched members: weighted difference in mean ``outcome``
        (optionally regression-adjusted for ``covariates`` in the matched sample).

        Standard errors: cluster-robust by ``pair`` for matching without replacement (Abadie &
        Spiess 2022), HC1 with replacement (which ignores that controls are reused; treat as
        approximate). Equals statsmodels' WLS of the outcome on the group with the matching
        weights.
        """
        if self.replace:
            cov, clusters = "HC1", None
        else:
            cov = "cluster"
            clusters = (
                self._weights.to_frame("w")
                .assign(pair=self._pair_of.reindex(self._weights.index))
                .loc[self.frame.index, ["pair"]]
            )
            clusters = clusters.fillna(-1)
        return weighted_effect(
            self,
            outcome,
            covariates=covariates,
            alpha=alpha,
            method="matching",
            cov=cov,
            clusters=clusters,
            note=f"estimand: {self.estimand} of the matched members; "
            "standard errors: {correction}",
        )

    def summary(self) -> pd.DataFrame:
        """Balance after matching in the summary format (``estimate`` = adjusted SMD)."""
        return self.balance.summary()


def _order(ps_t: np.ndarray, order: str, rng) -> np.ndarray:
    idx = np.arange(len(ps_t))
    if order == "largest":
        return idx[np.argsort(-ps_t, kind="stable")]
    if order == "smallest":
        return idx[np.argsort(ps_t, kind="stable")]
    if order == "random":
        return rng.permutation(idx)
    return idx


def match(
    df: pd.DataFrame,
    *,
    group: str,
    covariates: Sequence[str],
    method: str = "nearest",
    ratio: int = 1,
    caliper: float | None = None,
    replace: bool = False,
    order: str = "largest",
    std_caliper: bool = True,
    seed: int | None = None,
    binary: str = "raw",
) -> MatchResult:
    r"""Greedy nearest-neighbour matching of members to non-members on the propensity score.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per firm.
    group : str
        0/1 column (1 = member).
    covariates : sequence of str
        Covariates of the logit propensity model (text columns become indicators).
    method : {"nearest"}
        Matching method (nearest neighbour on the propensity score).
    ratio : int, default 1
        Controls per member (k:1). Every member gets its first control before any gets a
        second (MatchIt's order).
    caliper : float, optional
        Largest allowed propensity-score distance; in SDs of the score (all firms) when
        ``std_caliper`` (MatchIt's default), else on the probability scale. Members without a
        control inside the caliper are dropped (with a warning: the estimand changes).
    std_caliper : bool, default True
        Read ``caliper`` in standard deviations of the propensity score (``False``: on the
        probability scale).
    replace : bool, default False
        Whether a non-member may serve as control for several members.
    order : {"largest", "smallest", "random", "data"}
        Order in which members pick their controls (MatchIt's ``m.order``; ``largest`` =
        highest propensity first, the hardest to match).
    seed : int, optional
        Seed for ``order="random"``.
    binary : {"raw", "std"}
        Binary covariates in the balance table (see :func:`balance_table`).

    Returns
    -------
    MatchResult
        ``.matched``, ``.pairs``, ``.weights``, ``.balance`` and ``.att(outcome)``.

    Notes
    -----
    Distance :math:`d_{ij} = |\hat e(x_i) - \hat e(x_j)|` with the logit propensity score.
    Ties go to the non-member that comes first in the data. Weights (MatchIt): members 1,
    a control :math:`j` gets :math:`\sum_{i \to j} 1/k_i` (:math:`k_i` = controls of member
    :math:`i`), rescaled so that the control weights sum to the number of matched controls.

    References
    ----------
    Ho, D., Imai, K., King, G. & Stuart, E. (2011). MatchIt: Nonparametric preprocessing for
    parametric causal inference. *J. Stat. Softw.* 42(8).
    Rosenbaum, P. R. & Rubin, D. B. (1985). Constructing a control group using multivariate
    matched sampling methods. *Am. Stat.* 39, 33-38.
    Abadie, A. & Spiess, J. (2022). Robust post-matching inference. *JASA* 117, 983-995.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from clusterlab.compare import match
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=300)
    >>> df = pd.DataFrame({"x": x, "member": (x + 2 * rng.normal(size=300) > 1).astype(int)})
    >>> df["y"] = 2 * df["member"] + x + rng.normal(size=300)
    >>> m = match(df, group="member", covariates=["x"])
    >>> int(m.matched["member"].sum()) == int((m.matched["member"] == 0).sum())
    True
    """
    check_choice(method, ["nearest"], argument="method")
    check_choice(order, ["largest", "smallest", "random", "data"], argument="order")
    if not isinstance(ratio, (int, np.integer)) or ratio < 1:
        raise ParameterError(f"ratio={ratio!r} must be a positive integer")
    if caliper is not None and not (isinstance(caliper, (int, float)) and caliper > 0):
        raise ParameterError(f"caliper={caliper!r} must be a positive number or None")
    covariates = _as_list(covariates, "covariates")
    df, orig_index = unique_index(df)
    ps = propensity_score(df, group=group, covariates=covariates, name="match")
    notes = list(ps.notes)
    overlap_warnings(ps, notes, estimand="ATT")
    frame = ps.frame.copy()
    frame["propensity_score"] = ps.scores
    g = frame[group].to_numpy()
    s = ps.scores.to_numpy()
    t_pos, c_pos = np.flatnonzero(g == 1), np.flatnonzero(g == 0)
    if not replace and len(c_pos) < len(t_pos) * ratio:
        msg = (
            f"only {len(c_pos)} non-members for {len(t_pos)} members at ratio {ratio} "
            "without replacement: some members stay unmatched"
        )
        notes.append(msg)
        warnings.warn(msg, OverlapWarning, stacklevel=2)
    cal = None
    if caliper is not None:
        cal = caliper * float(np.std(s, ddof=1)) if std_caliper else float(caliper)
    rng = np.random.default_rng(seed)
    t_order = t_pos[_order(s[t_pos], order, rng)]
    available = np.ones(len(frame), dtype=bool)
    available[t_pos] = False
    links: list[tuple[int, int, int, float]] = []
    n_links = {int(t): 0 for t in t_pos}
    active = {int(t) for t in t_pos}
    for _ in range(ratio):
        for t in t_order:
            t = int(t)
            if t not in active:
                continue
            cand = c_pos[available[c_pos]] if not replace else c_pos
            if replace and n_links[t]:
                used = {c for (tt, c, _, _) in links if tt == t}
                cand = cand[~np.isin(cand, list(used))]
            if len(cand) == 0:
                active.discard(t)
                continue
            d = np.abs(s[cand] - s[t])
            j = int(np.argmin(d))  # first minimum = earliest in data order
            if cal is not None and d[j] > cal:
                active.discard(t)
                continue
            c = int(cand[j])
            links.append((t, c, n_links[t], float(d[j])))
            n_links[t] += 1
            if not replace:
                available[c] = False
    index = frame.index
    pair_id = {t: i + 1 for i, t in enumerate(int(x) for x in t_order if n_links[int(x)] > 0)}
    pairs = pd.DataFrame(
        [
            {"pair": pair_id[t], "treated": index[t], "control": index[c], "distance": dist}
            for (t, c, _, dist) in links
        ],
        columns=["pair", "treated", "control", "distance"],
    )
    pairs = pairs.sort_values(["pair"], kind="stable").reset_index(drop=True)
    w = np.zeros(len(frame))
    for t, c, _, _ in links:
        w[t] = 1.0
        w[c] += 1.0 / n_links[t]
    cmask = (g == 0) & (w > 0)
    if cmask.any():
        w[cmask] *= cmask.sum() / w[cmask].sum()
    unmatched_pos = [int(t) for t in t_pos if n_links[int(t)] == 0]
    if len(unmatched_pos) == len(t_pos):
        raise DataValidationError(
            "match: no member found a control (caliper too narrow or no overlap)",
            problem_frame(
                [{"file": "match", "column": group, "expected": "matched members", "found": "none"}]
            ),
        )
    if unmatched_pos:
        msg = (
            f"{len(unmatched_pos)} of {len(t_pos)} members found no control within the "
            "caliper and were dropped: the estimate is about the matched members only"
        )
        notes.append(msg)
        warnings.warn(msg, OverlapWarning, stacklevel=2)
    pair_of = pd.Series(np.nan, index=index)
    if not replace:
        for t, c, _, _ in links:
            pair_of.iloc[t] = pair_id[t]
            pair_of.iloc[c] = pair_id[t]
    weights = pd.Series(np.nan, index=df.index, name="weight")
    weights.loc[index] = w
    internal = weights
    if orig_index is not None:  # repeated labels: rows are known by position, weights by label
        weights = weights.set_axis(orig_index)
    matched = frame.loc[w > 0].copy()
    matched["pair"] = pair_of.loc[matched.index].astype("Int64")
    matched["weight"] = w[w > 0]
    bal_frame = frame.copy()
    bal = balance_table(
        bal_frame,
        group=group,
        covariates=["propensity_score", *covariates],
        weights=pd.Series(w, index=index),
        estimand="ATT",
        binary=binary,
    )
    unmatched = frame.iloc[unmatched_pos].copy()
    return MatchResult(
        matched=matched,
        pairs=pairs,
        weights=weights,
        propensity=ps,
        balance=bal,
        unmatched=unmatched,
        notes=notes,
        frame=frame,
        group=group,
        covariates=covariates,
        replace=replace,
        ratio=ratio,
        caliper=cal,
        estimand="ATT",
        _pair_of=pair_of,
        _weights=internal,
        overlap=overlap_table(ps),
    )
