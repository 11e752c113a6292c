r"""Agglomeration beyond the LQ: the Ellison-Glaeser (1997) index of geographic concentration.

For category (industry, cluster) :math:`i` with regional shares :math:`s_r` of its employment,
regional shares :math:`x_r` of all employment and plant Herfindahl :math:`H = \sum_k z_k^2`
(:math:`z_k` plant shares of the category's employment):

.. math::

    G = \sum_r (s_r - x_r)^2, \qquad
    \gamma = \frac{G - (1 - \sum_r x_r^2) H}{(1 - \sum_r x_r^2)(1 - H)}

:math:`\gamma = 0` is what plants thrown at the map like darts (with probability :math:`x_r`)
would give; :math:`\gamma > 0` means agglomeration beyond the industry's lumpiness (a few big
plants alone make :math:`G` large); :math:`\gamma < 0`, dispersion. EG's rough guide:
:math:`\gamma < 0.02` not very concentrated, :math:`\gamma > 0.05` highly concentrated.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import ellison_glaeser
>>> t = pd.DataFrame({"region": ["a", "a", "b", "b"], "cluster": ["x", "y", "x", "y"],
...                   "employment": [90, 10, 10, 90], "establishments": [9, 1, 1, 9]})
>>> ellison_glaeser(t, by=())[["cluster", "G", "H", "gamma"]].round(4)
  cluster     G    H  gamma
0       x  0.32  0.1    0.6
1       y  0.32  0.1    0.6
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.mapping._core import as_columns, check_table

__all__ = ["ellison_glaeser", "plant_herfindahl"]


def plant_herfindahl(
    size_classes: pd.DataFrame,
    *,
    category: str = "cluster",
    lower: str = "lower",
    upper: str = "upper",
    establishments: str = "establishments",
    employment: pd.Series | None = None,
) -> pd.Series:
    r"""Plant Herfindahl of each category approximated from establishment size classes.

    With :math:`n_k` establishments in size class :math:`k` and an assumed size :math:`m_k`
    for each of them,

    .. math:: H \approx \frac{\sum_k n_k m_k^2}{\bigl(\sum_k n_k m_k\bigr)^2}

    -- exact if every plant of a class had the same size. :math:`m_k` is the class midpoint
    :math:`(\text{lower} + \text{upper})/2`. The open top class (``upper`` missing, e.g. CBP's
    "1,000 or more") gets the size that makes the classes add up to the category's
    ``employment`` when it is given (never below its lower bound), else 1.5 × its lower bound.

    Parameters
    ----------
    size_classes : pandas.DataFrame
        One row per category × size class: ``category``, ``lower``, ``upper`` (employees;
        ``upper`` missing for an open class) and ``establishments``.
    category, lower, upper, establishments : str
        Column names.
    employment : pandas.Series, optional
        Total employment per category (index = category) to size the open class.

    Returns
    -------
    pandas.Series
        :math:`H` per category (name ``H``).

    Notes
    -----
    Within-class size variation is ignored, so :math:`H` is understated and :math:`\gamma`
    slightly overstated -- most for categories with a few plants in wide top classes. County
    Business Patterns publish these counts (``n1_4`` ... ``n1000``) even where employment is
    suppressed. Where plant-level employment is known, pass it to :func:`ellison_glaeser` as
    ``plants`` instead.

    Examples
    --------
    >>> import pandas as pd
    >>> sc = pd.DataFrame({"cluster": "x", "lower": [1, 5, 10], "upper": [4, 9, None],
    ...                    "establishments": [10, 4, 1]})
    >>> float(plant_herfindahl(sc, employment=pd.Series({"x": 65.0})).round(4).iloc[0])
    0.0953
    """
    check_frame(
        size_classes,
        required=[category, lower, upper, establishments],
        numeric=[lower, upper, establishments],
        name="size_classes",
    )
    check_table(size_classes, name="size_classes", keys=[category], values=[lower, establishments])
    sc = size_classes[[category, lower, upper, establishments]].copy()
    lo = sc[lower].to_numpy(dtype=float)
    hi = sc[upper].to_numpy(dtype=float)
    bad = np.isfinite(hi) & (hi < lo)
    if bad.any():
        raise DataValidationError(
            "size_classes: upper bound below lower bound",
            problem_frame(
                {
                    "file": "size_classes",
                    "row": int(r) + 1,
                    "column": upper,
                    "expected": f">= {lower}",
                    "found": str(hi[r]),
                }
                for r in np.flatnonzero(bad)[:50]
            ),
        )
    size = np.where(np.isfinite(hi), (lo + hi) / 2, np.nan)
    sc["_m"] = size
    out = {}
    for cat, g in sc.groupby(category, sort=True, observed=True):
        n = g[establishments].to_numpy(dtype=float)
        m = g["_m"].to_numpy(dtype=float)
        top = ~np.isfinite(m)
        if top.sum() > 1:
            raise DataValidationError(
                f"size_classes: {top.sum()} open size classes for {cat}; at most one",
                problem_frame(
                    [
                        {
                            "file": "size_classes",
                            "column": upper,
                            "expected": "one open class",
                            "found": str(int(top.sum())),
                        }
                    ]
                ),
            )
        if top.any():
            low = g[lower].to_numpy(dtype=float)[top][0]
            fill = 1.5 * low
            if employment is not None and cat in employment.index and n[top][0] > 0:
                rest = float(np.nansum(n[~top] * m[~top]))
                fill = max(low, (float(employment[cat]) - rest) / n[top][0])
            m = m.copy()
            m[top] = fill
        total = float((n * m).sum())
        out[cat] = float((n * m**2).sum() / total**2) if total > 0 else np.nan
    return pd.Series(out, name="H").rename_axis(category)


def ellison_glaeser(
    table: pd.DataFrame,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    establishments: str | None = "establishments",
    plants: pd.DataFrame | None = None,
    size_classes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Ellison-Glaeser index :math:`\gamma` of geographic concentration of every category.

    :math:`x_r` is region :math:`r`'s share of all employment in ``table`` (all categories of
    the ``by`` group), :math:`s_r` its share of the category's employment. The plant
    Herfindahl :math:`H` comes from, in order of preference:

    1. ``plants``: one row per plant (``category`` and ``value`` columns, plus ``by`` columns
       if any) -- exact, :math:`H = \sum_k z_k^2`;
    2. ``size_classes``: establishment counts by size class, see :func:`plant_herfindahl`
       (the documented approximation);
    3. the ``establishments`` column of ``table``: plants of one region assumed equally large,
       :math:`H \approx \sum_r E_{ri}^2 / (n_{ri} E_i^2)` -- a lower bound of the true
       :math:`H` (so :math:`\gamma` is an upper bound).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per region × category (× ``by``) with employment (and establishments for
        method 3). Never modified.
    region, category, value : str
        Column names.
    by : sequence of str
        Grouping columns (default ``("year",)``; ``()`` for one cross-section).
    establishments : str or None
        Establishment column of ``table`` (method 3).
    plants, size_classes : pandas.DataFrame, optional
        See above.

    Returns
    -------
    pandas.DataFrame
        One row per ``by`` × category: ``employment``, ``n_regions`` (regions with
        employment), ``G``, ``H``, ``h_method`` (``plants``/``size_classes``/
        ``establishments``), ``gamma``. ``gamma`` is NaN when :math:`H = 1` (one plant: its
        location says nothing about spillovers) or the category has no employment.

    Raises
    ------
    DataValidationError
        Missing columns; negative, missing or non-numeric counts; duplicated keys;
        employment without establishments (method 3); no Herfindahl for a category.
    ParameterError
        Neither ``plants``, ``size_classes`` nor an ``establishments`` column.

    Notes
    -----
    Under EG's model (plants choose locations with probabilities :math:`x_r`, correlated through
    spillovers/natural advantage with parameter :math:`\gamma`), :math:`E[G] = (1-\sum x_r^2)
    [\gamma + (1-\gamma) H]`, so the estimate is unbiased; the tests check this by simulation
    and the formula on hand-computed cases.

    References
    ----------
    Ellison, G. & Glaeser, E. L. (1997). Geographic concentration in U.S. manufacturing
    industries: a dartboard approach. *Journal of Political Economy* 105(5), 889-927.
    Holmes, T. J. & Stevens, J. J. (2002). Geographic concentration and establishment scale.
    *Review of Economics and Statistics* 84(4), 682-690 (Herfindahl from size classes).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["a", "b", "a", "b"], "cluster": ["x", "x", "y", "y"],
    ...                   "employment": [100.0, 0.0, 100.0, 100.0]})
    >>> plants = pd.DataFrame({"cluster": ["x"] * 4 + ["y"] * 2,
    ...                        "employment": [25.0] * 4 + [100.0] * 2})
    >>> # x_r = 2/3, 1/3; x: G = 2/9, H = 1/4, gamma = (2/9 - 4/9 * 1/4) / (4/9 * 3/4) = 1/3
    >>> ellison_glaeser(t, by=(), plants=plants)[["cluster", "G", "H", "gamma"]].round(4)
      cluster       G     H   gamma
    0       x  0.2222  0.25  0.3333
    1       y  0.0556  0.50 -0.7500
    """
    by = as_columns(by, argument="by")
    for name, col in (("region", region), ("category", category), ("value", value)):
        if not isinstance(col, str):
            raise ParameterError(f"{name} must be a column name, got {col!r}")
    has_est = establishments is not None and establishments in getattr(table, "columns", [])
    if plants is None and size_classes is None and not has_est:
        raise ParameterError(
            "the plant Herfindahl needs plants=, size_classes= or an "
            f"establishments column in table (got {establishments!r})"
        )
    values = [value]
    if has_est and establishments is not None and plants is None and size_classes is None:
        values.append(establishments)
    check_table(table, name="table", keys=[*by, region, category], values=values, unique=True)
    t = table[[*by, region, category, *values]].copy()
    t[value] = t[value].astype(float)
    if plants is not None:
        check_table(
            plants,
            name="plants",
            keys=[c for c in [*by, category] if c in plants.columns] + [category],
            values=[value],
        )

    frames = []
    groups = [((), t)] if not by else t.groupby(by, sort=True, observed=True)
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        x = g.groupby(region, observed=True)[value].sum()
        total = x.sum()
        if total <= 0:
            continue
        x = x / total
        sum_x2 = float((x**2).sum())
        emp = g.pivot_table(
            index=region,
            columns=category,
            values=value,
            aggfunc="sum",
            fill_value=0.0,
            observed=True,
        ).reindex(x.index, fill_value=0.0)
        cat_total = emp.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = emp / cat_total
        G = ((s.sub(x, axis=0)) ** 2).sum(axis=0).where(cat_total > 0)
        H, method = _herfindahl(
            g,
            key=key,
            by=by,
            region=region,
            category=category,
            value=value,
            establishments=establishments,
            plants=plants,
            size_classes=size_classes,
            cat_total=cat_total,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            gamma = (G - (1 - sum_x2) * H) / ((1 - sum_x2) * (1 - H))
        gamma = gamma.where((H < 1 - 1e-12) & (cat_total > 0))
        out = pd.DataFrame(
            {
                category: cat_total.index,
                "employment": cat_total.to_numpy(),
                "n_regions": (emp > 0).sum(axis=0).to_numpy(),
                "G": G.to_numpy(),
                "H": H.to_numpy(),
                "h_method": method,
                "gamma": gamma.to_numpy(),
            }
        )
        for b, k in zip(by, key, strict=True):
            out.insert(0, b, k)
        frames.append(out)
    cols = [*by, category, "employment", "n_regions", "G", "H", "h_method", "gamma"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def _herfindahl(
    g, *, key, by, region, category, value, establishments, plants, size_classes, cat_total
):
    cats = cat_total.index
    if plants is not None:
        sub = plants
        for b, k in zip(by, key, strict=True):
            if b in plants.columns:
                sub = sub[sub[b] == k]
        emp = sub[value].astype(float)
        tot = emp.groupby(sub[category], observed=True).transform("sum")
        with np.errstate(divide="ignore", invalid="ignore"):
            H = ((emp / tot) ** 2).groupby(sub[category], observed=True).sum()
        method = "plants"
    elif size_classes is not None:
        sub = size_classes
        for b, k in zip(by, key, strict=True):
            if b in size_classes.columns:
                sub = sub[sub[b] == k]
        H = plant_herfindahl(sub, category=category, employment=cat_total)
        method = "size_classes"
    else:
        e = g[value].to_numpy(dtype=float)
        n = g[establishments].to_numpy(dtype=float)
        bad = (e > 0) & (n <= 0)
        if bad.any():
            raise DataValidationError(
                f"table: {int(bad.sum())} cells have employment but no establishments, so the "
                "plant Herfindahl cannot be approximated; pass plants= or size_classes=",
                problem_frame(
                    {
                        "file": "table",
                        "column": establishments,
                        "expected": "> 0 where employment > 0",
                        "found": "0",
                    }
                    for _ in range(min(int(bad.sum()), 50))
                ),
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(n > 0, e**2 / n, 0.0)
        H = pd.Series(part, index=g.index).groupby(g[category], observed=True).sum()
        H = H / cat_total.reindex(H.index) ** 2
        method = "establishments"
    H = H.reindex(cats)
    missing = cats[H.isna().to_numpy() & (cat_total > 0).to_numpy()]
    if len(missing):
        raise DataValidationError(
            f"{method}: no plant Herfindahl for {len(missing)} categories: "
            + ", ".join(map(str, missing[:10])),
            problem_frame(
                {"file": method, "column": category, "expected": "rows", "found": f"none for {m}"}
                for m in missing[:50]
            ),
        )
    return H, method
