# ruff: noqa: N803, N806  (matrix notation: X, V, K as in the econometrics literature)
r"""The propensity score: a logit of membership on covariates (statsmodels), with checks for
separation and overlap.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from clusterlab.compare.propensity import propensity_score
>>> rng = np.random.default_rng(1)
>>> x = rng.normal(size=200)
>>> df = pd.DataFrame({"x": x, "member": (x + 2 * rng.normal(size=200) > 0).astype(int)})
>>> ps = propensity_score(df, group="member", covariates=["x"])
>>> bool(ps.scores.between(0, 1).all()), len(ps.scores)
(True, 200)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from clusterlab._validation import problem_frame, user_stacklevel
from clusterlab.compare._common import (
    OverlapWarning,
    _as_list,
    check_binary,
    expand_covariates,
    prepare_frame,
    unique_index,
)
from clusterlab.errors import DataValidationError, EstimationWarning, ParameterError

__all__ = ["PropensityModel", "propensity_score", "overlap_table"]


@dataclass
class PropensityModel:
    """Fitted propensity scores.

    Attributes
    ----------
    scores : pandas.Series
        :math:`\\hat e(x) = P(\\text{member}=1 \\mid x)` for the complete rows (input index).
    frame : pandas.DataFrame
        The complete rows used (a copy; ``group`` as 0/1).
    design : pandas.DataFrame
        The covariate design (text columns expanded, first level dropped).
    model : statsmodels results
    dropped : pandas.DataFrame
        Rows left out for missing values, per variable.
    notes : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.compare import propensity_score
    >>> df = pd.DataFrame({"member": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    ...                    "size": [5., 7, 6, 9, 2, 6, 3, 8, 4, 5]})
    >>> ps = propensity_score(df, group="member", covariates=["size"])
    >>> len(ps.scores), ps.group, ps.covariates
    (10, 'member', ['size'])
    """

    scores: pd.Series
    frame: pd.DataFrame
    design: pd.DataFrame
    group: str
    covariates: list[str]
    model: object
    dropped: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _separating(design: pd.DataFrame, g: np.ndarray) -> list[dict]:
    problems = []
    for col in design.columns:
        x = design[col].to_numpy()
        t, c = x[g == 1], x[g == 0]
        if t.min() > c.max() or t.max() < c.min():
            problems.append(
                {
                    "column": col,
                    "expected": "overlapping values in both groups",
                    "found": f"members {t.min():g}..{t.max():g}, non-members "
                    f"{c.min():g}..{c.max():g} (complete separation)",
                }
            )
        elif t.min() >= c.max() or t.max() <= c.min():
            problems.append(
                {
                    "column": col,
                    "expected": "overlapping values in both groups",
                    "found": f"members {t.min():g}..{t.max():g}, non-members "
                    f"{c.min():g}..{c.max():g} (quasi-complete separation)",
                }
            )
    return problems


def propensity_score(
    df: pd.DataFrame, *, group: str, covariates: Sequence[str], name: str = "propensity_score"
) -> PropensityModel:
    r"""Fit :math:`\operatorname{logit} P(D=1\mid x) = \alpha + x'\beta` by maximum likelihood
    (:class:`statsmodels.api.Logit`).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit (firm); rows with a missing group or covariate are dropped and
        reported.
    group : str
        Column of the 0/1 group (1 = member).
    covariates : sequence of str
        Covariate columns :math:`x`; text columns are expanded to indicators (first level
        dropped).
    name : str, default "propensity_score"
        Name used in messages and problems tables.

    Returns
    -------
    PropensityModel
        ``scores`` (the fitted :math:`\hat e(x)`), the rows and design used, the fitted model
        and the dropped rows.

    Raises
    ------
    DataValidationError
        When the model separates the groups perfectly (fitted probabilities 0 or 1): the
        groups do not overlap, so no comparison can be adjusted for these covariates. The
        problems table names the covariates that separate the groups on their own.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"member": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    ...                    "size": [5., 7, 6, 9, 2, 6, 3, 8, 4, 5]})
    >>> ps = propensity_score(df, group="member", covariates=["size"])
    >>> round(float(ps.scores.mean()), 3)   # the ML logit reproduces the share of members
    0.4
    """
    covariates = _as_list(covariates, "covariates")
    if not covariates:
        raise ParameterError(f"{name}: give at least one covariate for the propensity model")
    df, _ = unique_index(df)
    frame, dropped = prepare_frame(df, name=name, binary=[group], columns=covariates, stacklevel=5)
    g = check_binary(frame[group], column=group, name=name).to_numpy()
    frame[group] = g
    design, _ = expand_covariates(frame, covariates, drop_first=True)
    const = design.columns[(design.std(ddof=0) == 0).to_numpy()]
    notes = []
    if len(const):
        notes.append(f"constant covariates left out of the propensity model: {', '.join(const)}")
        design = design.drop(columns=const)
    X = sm.add_constant(design.to_numpy(float), has_constant="add")
    sep = _separating(design, g)
    separated = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.Logit(g, X).fit(disp=0, maxiter=500, method="newton")
        except (PerfectSeparationError, np.linalg.LinAlgError):
            res, separated = None, True
    for w in caught:
        if issubclass(w.category, PerfectSeparationWarning):
            separated = True
        elif issubclass(w.category, ConvergenceWarning):
            notes.append("the propensity model did not converge (near separation)")
    if res is not None:
        ps = np.asarray(res.predict(X))
        if (ps[g == 1] > 1 - 1e-8).all() and (ps[g == 0] < 1e-8).all():
            separated = True
    if separated:
        raise DataValidationError(
            f"{name}: perfect separation - the covariates predict membership exactly, so "
            "members and non-members do not overlap and cannot be compared on them",
            problem_frame(
                [{"file": name, **p} for p in sep]
                or [
                    {
                        "file": name,
                        "column": ", ".join(covariates),
                        "expected": "overlapping members and non-members",
                        "found": "fitted probabilities 0 or 1 (perfect separation)",
                    }
                ]
            ),
        )
    scores = pd.Series(ps, index=frame.index, name="propensity_score")
    for msg in notes:
        warnings.warn(msg, EstimationWarning, stacklevel=user_stacklevel())
    return PropensityModel(
        scores=scores,
        frame=frame,
        design=design,
        group=group,
        covariates=covariates,
        model=res,
        dropped=dropped,
        notes=notes,
    )


def overlap_table(ps: PropensityModel) -> pd.DataFrame:
    """Range and quantiles of the propensity score by group, and how many firms lie outside
    the other group's range (common support).

    Parameters
    ----------
    ps : PropensityModel
        Result of :func:`propensity_score`.

    Returns
    -------
    pandas.DataFrame
        ``group, n, min, q05, median, q95, max, n_outside_support``: one row for the members
        (``group = 1``) and one for the others (``0``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"member": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    ...                    "size": [5., 7, 6, 9, 2, 6, 3, 8, 4, 5]})
    >>> tab = overlap_table(propensity_score(df, group="member", covariates=["size"]))
    >>> tab[["group", "n", "n_outside_support"]]   # members' sizes 5-9, others' 2-8
       group  n  n_outside_support
    0      1  4                  1
    1      0  6                  3
    """
    g = ps.frame[ps.group].to_numpy()
    s = ps.scores.to_numpy()
    rows = []
    for k in (1, 0):
        x, other = s[g == k], s[g != k]
        rows.append(
            {
                "group": k,
                "n": len(x),
                "min": x.min(),
                "q05": np.quantile(x, 0.05),
                "median": np.median(x),
                "q95": np.quantile(x, 0.95),
                "max": x.max(),
                "n_outside_support": int(((x < other.min()) | (x > other.max())).sum()),
            }
        )
    return pd.DataFrame(rows)


def overlap_warnings(
    ps: PropensityModel, notes: list[str], *, estimand: str = "ATT", share: float = 0.05
) -> None:
    """Warn (OverlapWarning) when more than ``share`` of the firms the estimand is about lie
    outside the other group's propensity range, or scores are extreme (> 0.99 for ATT/ATE,
    < 0.01 for ATC/ATE); smaller support problems are recorded in ``notes`` only."""
    tab = overlap_table(ps)
    treated = tab[tab["group"] == 1].iloc[0]
    control = tab[tab["group"] == 0].iloc[0]
    msgs: list[str] = []
    quiet: list[str] = []
    for row, who, other, applies in (
        (treated, "members", "non-members", ("ATT", "ATE")),
        (control, "non-members", "members", ("ATC", "ATE")),
    ):
        k = int(row["n_outside_support"])
        if k and estimand in applies:
            msg = (
                f"overlap: {k} of {int(row['n'])} {who} have propensity scores outside the "
                f"{other}' range"
            )
            (msgs if k / row["n"] > share else quiet).append(msg)
    s = ps.scores
    high, low = int((s > 0.99).sum()), int((s < 0.01).sum())
    if high and estimand in ("ATT", "ATE"):
        msgs.append(
            f"{high} firms have propensity scores above 0.99 (almost certain members): "
            "no comparable non-members exist for them"
        )
    if low and estimand in ("ATC", "ATE"):
        msgs.append(
            f"{low} firms have propensity scores below 0.01 (almost certain "
            "non-members): no comparable members exist for them"
        )
    notes.extend(quiet)
    for m in msgs:
        notes.append(m)
        warnings.warn(m, OverlapWarning, stacklevel=user_stacklevel())
