"""Inter-rater reliability: Krippendorff's alpha, Shrout–Fleiss ICCs, a per-instrument report and
rater-role bias.

Implemented here (BSD licence) rather than through the GPL packages ``krippendorff`` and
``pingouin``; validated against the published worked examples (see ``tests/test_instruments_
reliability.py``).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.instruments import krippendorff_alpha
>>> data = pd.DataFrame({"item": [1, 1, 2, 2, 3, 3], "rater": ["a", "b"] * 3,
...                      "score": [1, 1, 2, 2, 3, 3]})
>>> krippendorff_alpha(data, level="interval")
1.0
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._deprecate import renamed_arguments
from clusterlab._validation import as_list, check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, EstimationWarning, ParameterError

from .definition import load_instrument
from .ratings import check_ratings

__all__ = [
    "krippendorff_alpha",
    "icc",
    "reliability",
    "rater_bias",
    "read_alpha",
    "read_icc",
    "ALPHA_LEVELS",
    "ICC_TYPES",
]

ALPHA_LEVELS = ("nominal", "ordinal", "interval", "ratio")
ICC_TYPES = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
_ICC_DESCRIPTION = {
    "ICC1": "single rater, absolute agreement, one-way random (different raters per unit)",
    "ICC2": "single rater, absolute agreement, two-way random (raters drawn at random)",
    "ICC3": "single rater, consistency, two-way mixed (these raters only)",
    "ICC1k": "mean of k raters, one-way random",
    "ICC2k": "mean of k raters, absolute agreement, two-way random",
    "ICC3k": "mean of k raters, consistency, two-way mixed",
}


def _long(ratings, unit, rater, score, name) -> tuple[pd.DataFrame, list[str]]:
    units = as_list(unit, argument="unit")
    check_frame(ratings, required=[*units, rater, score], name=name)
    values = pd.to_numeric(ratings[score], errors="coerce")
    text = ratings[score].astype("string").str.strip()
    bad = (values.isna() & ratings[score].notna() & (text != "")).to_numpy(dtype=bool)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise DataValidationError(
            f"{name}: text in the numeric column {score!r}",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(i) + 1,
                        "column": score,
                        "expected": "a number or empty",
                        "found": str(ratings[score].iloc[i]),
                    }
                    for i in rows[:200]
                ]
            ),
        )
    rated = values.notna().to_numpy()
    blank_ids = []
    for col in [*units, rater]:
        ids = ratings[col]
        blank = (ids.isna() | (ids.astype("string").str.strip() == "")).fillna(True).to_numpy()
        blank_ids += [
            {
                "file": name,
                "row": int(i) + 1,
                "column": col,
                "expected": "a value (the rating has a score)",
                "found": "empty",
            }
            for i in np.flatnonzero(blank & rated)[:200]
        ]
    if blank_ids:
        raise DataValidationError(
            f"{name}: rated rows without a unit or rater id", problem_frame(blank_ids)
        )
    frame = ratings[units + [rater]].reset_index(drop=True)  # positions = 0-based data rows
    frame["__unit"] = (
        frame[units].astype("string").agg("|".join, axis=1)
        if len(units) > 1
        else frame[units[0]].astype("string")
    )
    frame["__value"] = values.astype(float).to_numpy()
    frame = frame[~np.isnan(frame["__value"].to_numpy())]
    dup = frame.duplicated(["__unit", rater], keep=False).to_numpy()
    if dup.any():
        rows = frame.index[dup]
        raise DataValidationError(
            f"{name}: a rater rated the same unit twice",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(i) + 1,
                        "column": f"{rater},{','.join(units)}",
                        "expected": "one value per rater and unit",
                        "found": "duplicate",
                    }
                    for i in rows[:200]
                ]
            ),
        )
    return frame, units


def krippendorff_alpha(
    ratings: pd.DataFrame,
    *,
    unit="item",
    rater: str = "rater",
    score: str = "score",
    level: str = "ordinal",
) -> float:
    r"""Krippendorff's alpha for any number of raters, with missing ratings.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Long format, one row per rater × unit; missing scores (NaN) are allowed and ignored.
    unit : str or list of str
        Column(s) identifying the unit that was rated (e.g. ``["initiative", "round", "item"]``).
    rater, score : str
        Column names.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement (difference function).

    Returns
    -------
    float
        Alpha; NaN (with an :class:`EstimationWarning`) when no unit has two ratings or all
        pairable values are identical.

    Notes
    -----
    With the coincidence matrix :math:`o_{ck}=\sum_u \frac{\#(c,k \text{ pairs in } u)}{m_u-1}`
    over units with :math:`m_u\ge 2` values, marginals :math:`n_c=\sum_k o_{ck}` and
    :math:`n=\sum_c n_c`,

    .. math::

        \alpha = 1 - (n-1)\,\frac{\sum_{c,k} o_{ck}\,\delta^2_{ck}}
                                    {\sum_{c,k} n_c n_k\,\delta^2_{ck}}

    with :math:`\delta^2` = 0/1 (nominal), :math:`(c-k)^2` (interval),
    :math:`((c-k)/(c+k))^2` (ratio) and, ordinal,
    :math:`\left(\sum_{g=c}^{k} n_g - \frac{n_c+n_k}{2}\right)^2`.

    References
    ----------
    Krippendorff K. (2011) Computing Krippendorff's Alpha-Reliability. Annenberg School for
    Communication Departmental Papers 43. Hayes A.F., Krippendorff K. (2007) Answering the call
    for a standard reliability measure for coding data. Communication Methods and Measures 1(1).

    Examples
    --------
    >>> data = pd.DataFrame({"item": [1, 1, 2, 2, 3, 3, 4, 4], "rater": ["a", "b"] * 4,
    ...                      "score": [1, 2, 2, 2, 3, 3, 4, 3]})
    >>> round(krippendorff_alpha(data, level="interval"), 4)
    0.7083
    """
    check_choice(level, ALPHA_LEVELS, argument="level")
    frame, _ = _long(ratings, unit, rater, score, "ratings")
    if level == "ratio" and (frame["__value"] < 0).any():
        rows = frame.index[(frame["__value"] < 0).to_numpy()]
        raise DataValidationError(
            "ratings: negative values cannot be on a ratio scale",
            problem_frame(
                [
                    {
                        "file": "ratings",
                        "row": int(i) + 1,
                        "column": score,
                        "expected": "a value >= 0 (level='ratio'; use 'interval')",
                        "found": str(ratings[score].iloc[i]),
                    }
                    for i in rows[:200]
                ]
            ),
        )
    return _alpha(frame["__unit"].to_numpy(), frame["__value"].to_numpy(), level)


def _alpha(units: np.ndarray, values: np.ndarray, level: str) -> float:
    if len(values) == 0:
        warnings.warn("krippendorff_alpha: no ratings", EstimationWarning, stacklevel=3)
        return float("nan")
    domain, vidx = np.unique(values, return_inverse=True)
    uidx = pd.factorize(units)[0]
    counts = np.zeros((uidx.max() + 1, len(domain)))
    np.add.at(counts, (uidx, vidx), 1)
    m = counts.sum(axis=1)
    counts = counts[m >= 2]
    m = m[m >= 2]
    if len(m) == 0:
        warnings.warn(
            "krippendorff_alpha: no unit was rated by two or more raters",
            EstimationWarning,
            stacklevel=3,
        )
        return float("nan")
    weighted = counts / (m - 1)[:, None]
    o = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    c, k = np.meshgrid(domain, domain, indexing="ij")
    if level == "nominal":
        d2 = (c != k).astype(float)
    elif level == "interval":
        d2 = (c - k) ** 2
    elif level == "ratio":
        with np.errstate(invalid="ignore", divide="ignore"):
            d2 = np.where(c + k == 0, 0.0, ((c - k) / (c + k)) ** 2)
    else:
        cum = np.cumsum(n_c)
        i, j = np.meshgrid(np.arange(len(domain)), np.arange(len(domain)), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0.0)
        d2 = (between - (n_c[i] + n_c[j]) / 2) ** 2
    expected = (np.outer(n_c, n_c) * d2).sum()
    if expected == 0:
        warnings.warn(
            "krippendorff_alpha: all pairable values are identical; alpha undefined",
            EstimationWarning,
            stacklevel=3,
        )
        return float("nan")
    return float(1 - (n - 1) * (o * d2).sum() / expected)


@renamed_arguments(target="unit", ci=("alpha", lambda ci: round(1 - ci, 12)))
def icc(
    ratings: pd.DataFrame,
    *,
    unit="item",
    rater: str = "rater",
    score: str = "score",
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""The six Shrout–Fleiss intraclass correlations with F tests and confidence intervals.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Long format, one row per unit × rater. The design must be crossed (every rater rates
        every unit); units with a missing rating are dropped listwise with a
        :class:`~clusterlab.errors.DataWarning` saying how many.
    unit : str or list of str, default "item"
        Column(s) identifying the unit that was rated (Shrout & Fleiss's "targets"). Replaces
        ``target=`` (still accepted for one release, with a warning).
    rater : str, default "rater"
        Column of the rater ids.
    score : str, default "score"
        Column of the numeric ratings.
    alpha : float, default 0.05
        Significance level: the intervals cover ``1 - alpha`` (0.05 → 95 %). Replaces
        ``ci=0.95`` (still accepted for one release, with a warning).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k`` with columns ``icc, ci_low,
        ci_high, F, df1, df2, p_value, description, n_units, n_raters, n_dropped`` (the last
        three: complete units used, raters, units dropped for missing ratings; the same on
        every row).

    Raises
    ------
    DataValidationError
        Missing columns, text scores, duplicate ratings, or fewer than 2 complete units or 2
        raters.
    ParameterError
        ``alpha`` outside (0, 1).

    Notes
    -----
    From the two-way ANOVA mean squares (units :math:`MS_B`, raters :math:`MS_J`, residual
    :math:`MS_E`, within-unit :math:`MS_W`) with :math:`n` units and :math:`k` raters:

    .. math::

        ICC1 = \frac{MS_B-MS_W}{MS_B+(k-1)MS_W},\quad
        ICC2 = \frac{MS_B-MS_E}{MS_B+(k-1)MS_E+k(MS_J-MS_E)/n},\quad
        ICC3 = \frac{MS_B-MS_E}{MS_B+(k-1)MS_E}

    and the average-measure forms :math:`ICC1k=(MS_B-MS_W)/MS_B`,
    :math:`ICC2k=(MS_B-MS_E)/(MS_B+(MS_J-MS_E)/n)`, :math:`ICC3k=(MS_B-MS_E)/MS_B`.
    Intervals follow Shrout & Fleiss (1979) and McGraw & Wong (1996) (approximate df for ICC2).

    References
    ----------
    Shrout P.E., Fleiss J.L. (1979) Intraclass correlations: uses in assessing rater reliability.
    Psychological Bulletin 86(2): 420-428. McGraw K.O., Wong S.P. (1996) Forming inferences
    about some intraclass correlation coefficients. Psychological Methods 1(1): 30-46.
    Koo T.K., Li M.Y. (2016) J. Chiropractic Medicine 15(2): 155-163 (reading the values).

    Examples
    --------
    Shrout & Fleiss (1979), Table 2: six units (their "targets") rated by four judges.

    >>> y = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> sf = pd.DataFrame([{"item": t, "rater": j, "score": v} for t, row in enumerate(y)
    ...                    for j, v in enumerate(row)])
    >>> icc(sf)["icc"].round(2).tolist()
    [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    """
    if not 0 < alpha < 1:
        raise ParameterError(
            f"alpha={alpha!r}: expected a level between 0 and 1 (0.05 for a 95 % interval)"
        )
    frame, _ = _long(ratings, unit, rater, score, "ratings")
    wide = frame.pivot(index="__unit", columns=rater, values="__value")
    complete = wide.dropna()
    dropped = len(wide) - len(complete)
    if dropped:
        warnings.warn(
            f"icc: {dropped} of {len(wide)} units dropped (missing ratings; listwise deletion)",
            DataWarning,
            stacklevel=2,
        )
    y = complete.to_numpy(dtype=float)
    n, k = y.shape
    if n < 2 or k < 2:
        raise DataValidationError(
            "icc needs at least 2 complete units and 2 raters",
            problem_frame(
                [
                    {
                        "file": "ratings",
                        "column": str(unit),
                        "expected": ">= 2 complete units, >= 2 raters",
                        "found": f"{n} units, {k} raters",
                    }
                ]
            ),
        )
    out = _icc_core(y, alpha)
    out["n_units"], out["n_raters"], out["n_dropped"] = n, k, dropped
    # kept for one release for code that read them (pandas drops attrs on copy/concat)
    out.attrs.update({"n_targets": n, "n_units": n, "n_raters": k, "n_dropped": dropped})
    return out


def _icc_core(y: np.ndarray, alpha: float) -> pd.DataFrame:
    n, k = y.shape
    grand = y.mean()
    ss_b = k * ((y.mean(axis=1) - grand) ** 2).sum()
    ss_j = n * ((y.mean(axis=0) - grand) ** 2).sum()
    ss_t = ((y - grand) ** 2).sum()
    ss_e = ss_t - ss_b - ss_j
    msb, msj = ss_b / (n - 1), ss_j / (k - 1)
    mse = ss_e / ((n - 1) * (k - 1))
    msw = (ss_j + ss_e) / (n * (k - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        v = {
            "ICC1": (msb - msw) / (msb + (k - 1) * msw),
            "ICC2": (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n),
            "ICC3": (msb - mse) / (msb + (k - 1) * mse),
            "ICC1k": (msb - msw) / msb,
            "ICC2k": (msb - mse) / (msb + (msj - mse) / n),
            "ICC3k": (msb - mse) / msb,
        }
        f1, f3 = msb / msw, msb / mse
    a = alpha / 2
    df1, df1w, df3 = n - 1, n * (k - 1), (n - 1) * (k - 1)
    f1l, f1u = f1 / stats.f.ppf(1 - a, df1, df1w), f1 * stats.f.ppf(1 - a, df1w, df1)
    f3l, f3u = f3 / stats.f.ppf(1 - a, df1, df3), f3 * stats.f.ppf(1 - a, df3, df1)
    i2 = v["ICC2"]
    fj = msj / mse
    vn = (k - 1) * (n - 1) * (k * i2 * fj + n * (1 + (k - 1) * i2) - k * i2) ** 2
    vd = (n - 1) * k**2 * i2**2 * fj**2 + (n * (1 + (k - 1) * i2) - k * i2) ** 2
    nu = vn / vd
    fu2, fl2 = stats.f.ppf(1 - a, n - 1, nu), stats.f.ppf(1 - a, nu, n - 1)
    l2 = n * (msb - fu2 * mse) / (fu2 * (k * msj + (k * n - k - n) * mse) + n * msb)
    u2 = n * (fl2 * msb - mse) / (k * msj + (k * n - k - n) * mse + n * fl2 * msb)
    bounds = {
        "ICC1": ((f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)),
        "ICC2": (l2, u2),
        "ICC3": ((f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)),
        "ICC1k": (1 - 1 / f1l, 1 - 1 / f1u),
        "ICC2k": (l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
        "ICC3k": (1 - 1 / f3l, 1 - 1 / f3u),
    }
    rows = []
    for name in ICC_TYPES:
        one_way = name.startswith("ICC1")
        f, d1, d2 = (f1, df1, df1w) if one_way else (f3, df1, df3)
        rows.append(
            {
                "type": name,
                "icc": v[name],
                "ci_low": bounds[name][0],
                "ci_high": bounds[name][1],
                "F": f,
                "df1": d1,
                "df2": d2,
                "p_value": float(stats.f.sf(f, d1, d2)),
                "description": _ICC_DESCRIPTION[name],
            }
        )
    return pd.DataFrame(rows).set_index("type")


def read_alpha(alpha: float) -> str:
    """Plain-language reading of Krippendorff's alpha (Krippendorff 2004, ch. 11.4).

    >>> read_alpha(0.72)
    'tentative: draw only tentative conclusions'
    """
    if alpha is None or np.isnan(alpha):
        return "not enough paired ratings"
    if alpha >= 0.8:
        return "reliable"
    if alpha >= 0.667:
        return "tentative: draw only tentative conclusions"
    return "unreliable: raters disagree too much to rely on these scores"


def read_icc(value: float) -> str:
    """Koo & Li (2016) bands for an ICC.

    >>> read_icc(0.8)
    'good'
    """
    if value is None or np.isnan(value):
        return "not computable"
    if value < 0.5:
        return "poor"
    if value < 0.75:
        return "moderate"
    if value < 0.9:
        return "good"
    return "excellent"


def reliability(
    ratings: pd.DataFrame,
    instrument,
    *,
    level: str | None = None,
    by_group: bool = True,
    min_units: int = 10,
    **columns,
) -> pd.DataFrame:
    """Inter-rater reliability per instrument, area and component, with a plain-language reading.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Ratings in long format (validated with :func:`check_ratings`).
    instrument : str, path or Instrument
    level : str, optional
        Level of measurement for alpha; default ``"ordinal"`` (1-5 anchors and stages are
        ordinal).
    by_group : bool
        Also report each initiative × round separately (ICC is only computed there, where raters
        and questions are crossed); ``False`` gives the pooled rows only.
    min_units : int
        Fewer pairable units than this adds "few units" to the reading.
    **columns
        Column names for :func:`check_ratings`.

    Returns
    -------
    pandas.DataFrame
        ``scope`` (instrument/area/component), ``scope_id``, ``initiative`` (``"all"`` for the
        pooled rows), ``round`` (``<NA>`` when pooled), ``n_units`` (units with ≥ 2 ratings),
        ``n_raters``, ``n_values``, ``alpha``, ``alpha_level``, ``icc2k``, ``icc2k_ci_low``,
        ``icc2k_ci_high``, ``icc_targets`` (complete targets used), ``reading``.

    Notes
    -----
    Units are initiative × round × item. Pooled alpha compares the raters of the same
    initiative and round on the same question; ICC(2,k) (two-way random, absolute agreement,
    mean of k raters: the reliability of the averaged score) uses the questions of one
    initiative × round as targets, dropping questions that a rater left out.

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> rel = reliability(load_demo("ratings"), "cimbt", by_group=False)
    >>> rel.loc[0, ["scope", "scope_id", "initiative"]].tolist()
    ['instrument', 'cimbt', 'all']
    """
    inst = load_instrument(instrument)
    level = level or "ordinal"
    check_choice(level, ALPHA_LEVELS, argument="level")
    tidy = check_ratings(ratings, inst, **columns)
    tidy = tidy[~np.isnan(tidy["value"].to_numpy())]
    q = inst.questions[["item", "component", "area"]]
    tidy = tidy.merge(q, on="item", how="left")
    scopes = [("instrument", inst.name, tidy)]
    if inst.kind == "rubric":
        scopes += [("area", a, tidy[tidy["area"] == a]) for a in inst.areas["area"]]
        scopes += [
            ("component", c, tidy[tidy["component"] == c]) for c in inst.components["component"]
        ]
    rows = []
    for scope, sid, sub in scopes:
        groups = [("all", pd.NA, sub)]
        if by_group:
            groups += [(i, r, g) for (i, r), g in sub.groupby(["initiative", "round"])]
        for ini, rnd, g in groups:
            rows.append(_rel_row(scope, sid, ini, rnd, g, level, min_units, pooled=ini == "all"))
    out = pd.DataFrame(rows)
    out["round"] = out["round"].astype("Int64")
    return out


def _rel_row(scope, sid, ini, rnd, g, level, min_units, *, pooled) -> dict:
    units = (g["initiative"] + "|" + g["round"].astype(str) + "|" + g["item"]).to_numpy()
    n_per_unit = pd.Series(units).value_counts()
    n_units = int((n_per_unit >= 2).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        alpha = _alpha(units, g["value"].to_numpy(float), level) if len(g) else np.nan
    row = {
        "scope": scope,
        "scope_id": sid,
        "initiative": ini,
        "round": rnd,
        "n_units": n_units,
        "n_raters": int(g["rater"].nunique()),
        "n_values": int(len(g)),
        "alpha": alpha,
        "alpha_level": level,
        "icc2k": np.nan,
        "icc2k_ci_low": np.nan,
        "icc2k_ci_high": np.nan,
        "icc_targets": 0,
    }
    if not pooled:
        wide = g.pivot(index="item", columns="rater", values="value").dropna()
        if wide.shape[0] >= 2 and wide.shape[1] >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = _icc_core(wide.to_numpy(float), 0.05)
            row.update(
                {
                    "icc2k": res.loc["ICC2k", "icc"],
                    "icc2k_ci_low": res.loc["ICC2k", "ci_low"],
                    "icc2k_ci_high": res.loc["ICC2k", "ci_high"],
                    "icc_targets": int(wide.shape[0]),
                }
            )
    reading = (
        f"alpha {alpha:.2f}: {read_alpha(alpha)}"
        if not np.isnan(alpha)
        else "alpha: not enough paired ratings"
    )
    if not np.isnan(row["icc2k"]):
        reading += f"; ICC(2,k) {row['icc2k']:.2f}: {read_icc(row['icc2k'])}"
    if n_units < min_units:
        reading += f"; few units ({n_units}), treat with caution"
    row["reading"] = reading
    return row


def rater_bias(
    ratings: pd.DataFrame, instrument, *, by: str = "rater_role", **columns
) -> pd.DataFrame:
    r"""How far raters of each role score above or below the other raters of the same question.

    For each numeric rating :math:`x_{rq}` with at least one other rater on the same
    initiative × round × question, :math:`d_{rq} = x_{rq} - \bar x_{-r,q}` (mean of the other
    raters). Reported per ``by`` group: mean and SD of :math:`d`, number of ratings and raters.
    Self-assessment by a CI's own manager is a validity question, not only reliability: do not
    pool it silently.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Ratings in the long format of :func:`~clusterlab.instruments.check_ratings`.
    instrument : str, path or Instrument
        ``"cimbt"``, ``"bigfive"`` or a user instrument file.
    by : {"rater_role", "rater"}, default "rater_role"
        Grouping of the raters.
    **columns
        Column names passed to :func:`~clusterlab.instruments.check_ratings` (``initiative=``,
        ``item=``, ``rater=``, ``score=`` …).

    Returns
    -------
    pandas.DataFrame
        ``<by>, mean_difference, sd, n_ratings, n_raters, reading``.

    Examples
    --------
    >>> r = pd.DataFrame({"initiative": "x", "item": ["Q1.1.a"] * 2, "rater": ["m", "e"],
    ...                   "rater_role": ["manager", "external"], "score": [5, 3]})
    >>> rater_bias(r, "cimbt")[["rater_role", "mean_difference"]].values.tolist()
    [['external', -2.0], ['manager', 2.0]]
    """
    check_choice(by, ["rater_role", "rater"], argument="by")
    tidy = check_ratings(ratings, instrument, **columns)
    tidy = tidy[~np.isnan(tidy["value"].to_numpy())].copy()
    key = ["initiative", "round", "item"]
    grp = tidy.groupby(key)["value"]
    total, count = grp.transform("sum"), grp.transform("count")
    tidy = tidy[count > 1].copy()
    others = (total[count > 1] - tidy["value"]) / (count[count > 1] - 1)
    tidy["d"] = tidy["value"] - others
    tidy[by] = tidy[by].fillna("(unknown)")
    out = tidy.groupby(by).agg(
        mean_difference=("d", "mean"),
        sd=("d", "std"),
        n_ratings=("d", "size"),
        n_raters=("rater", "nunique"),
    )
    out = out.reset_index()
    out["reading"] = [
        f"scores {abs(m):.2f} points {'above' if m > 0 else 'below'} the other raters on average"
        if abs(m) >= 0.005
        else "in line with the other raters"
        for m in out["mean_difference"]
    ]
    return out
