"""Specialisation of regions and concentration of industries/clusters, following EconGeo 1.3.

:func:`specialisation` gives one row per region (Herfindahl raw and normalised, Krugman index and
specialisation coefficient, average LQ and Hachman index, Shannon entropy, diversity);
:func:`concentration` gives one row per industry or cluster (Gini, locational Gini, Hoover index
and Hoover-Gini, ubiquity). Both take the long employment table of the package (one row per
region × category [× year]) or a wide region × category matrix, and compute each ``by`` group
(e.g. each year) separately.

Notation: :math:`x_{ri}` employment of region *r* in category *i*; :math:`x_{r\\cdot}`,
:math:`x_{\\cdot i}`, :math:`x_{\\cdot\\cdot}` row, column and grand totals;
:math:`s_{ri} = x_{ri}/x_{r\\cdot}`; :math:`b_i = x_{\\cdot i}/x_{\\cdot\\cdot}` the benchmark
share (or the shares of a given reference area); :math:`LQ_{ri} = s_{ri}/b_i`.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import specialisation
>>> A = pd.DataFrame([[100, 0, 0, 0, 0], [0, 15, 5, 70, 10]], index=["R1", "R2"],
...                  columns=["I1", "I2", "I3", "I4", "I5"])
>>> specialisation(A)["herfindahl"].round(3).tolist()
[1.0, 0.525]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError
from clusterlab.mapping._matrix import (
    benchmark_vector,
    group_label,
    lq_matrix,
    matrices,
    prepare,
    stack,
    warn_listed,
    with_keys,
)

__all__ = ["specialisation", "concentration", "SPECIALISATION_COLUMNS", "CONCENTRATION_COLUMNS"]

#: Index columns of :func:`specialisation` (after the ``by`` and region columns).
SPECIALISATION_COLUMNS = [
    "total",
    "n_categories",
    "herfindahl",
    "herfindahl_normalised",
    "krugman",
    "spec_coeff",
    "average_lq",
    "hachman",
    "entropy",
    "diversity",
]

#: Index columns of :func:`concentration` (after the ``by`` and category columns).
CONCENTRATION_COLUMNS = [
    "total",
    "n_regions",
    "ubiquity",
    "gini",
    "locational_gini",
    "hoover_index",
    "hoover_gini",
]

#: LQ values within this relative distance below the threshold count as reaching it (so that
#: floating-point rounding of an exact LQ of 1 does not decide diversity/ubiquity).
_TIE = 1e-9


def _present(lq: np.ndarray, threshold: float) -> np.ndarray:
    return lq >= threshold * (1 - _TIE)


def specialisation(
    emp,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    benchmark=None,
    rca_threshold: float = 1.0,
) -> pd.DataFrame:
    """Specialisation and diversification indices of each region (EconGeo 1.3 definitions).

    Parameters
    ----------
    emp : pandas.DataFrame
        Long table with columns ``by + (region, category, value)``, one row per key; cells
        absent from the table count as 0. Or a wide matrix: index = regions, one numeric column
        per category (then ``by`` is ignored).
    region, category, value : str
        Column names.
    by : sequence of str
        Grouping columns (default ``("year",)``); pass ``()`` for a single cross-section.
    benchmark : pandas.DataFrame, optional
        Totals of the reference area per category (columns ``category, value`` and optionally
        ``by`` columns), e.g. the national file; default: the sum over the regions in ``emp``.
    rca_threshold : float
        LQ at or above which a region counts as specialised in a category (diversity).

    Returns
    -------
    pandas.DataFrame
        ``by + [region] +`` :data:`SPECIALISATION_COLUMNS`:

        - ``total`` :math:`x_{r\\cdot}`; ``n_categories`` number of categories with
          :math:`x_{ri} > 0`;
        - ``herfindahl`` :math:`H_r = \\sum_i s_{ri}^2` (EconGeo ``Herfindahl``, raw);
        - ``herfindahl_normalised`` :math:`(H_r - 1/N)/(1 - 1/N)` with *N* the number of
          categories in the group (0 = equal shares, 1 = a single category; econcomplex
          ``hhi``); NaN when *N* = 1;
        - ``krugman`` :math:`K_r = \\sum_i |s_{ri} - b_i|` in [0, 2] (``Krugman.index``);
          ``spec_coeff`` :math:`K_r/2` in [0, 1] (``spec.coeff``, the Hoover coefficient of
          specialisation);
        - ``average_lq`` :math:`\\sum_i LQ_{ri}\\, s_{ri}` (``location.quotient.avg``, which
          EconGeo calls the Hoover-Giarratani coefficient); ``hachman``
          :math:`1/\\sum_i LQ_{ri}\\, s_{ri}` in (0, 1] (``Hachman``; 1 = same structure as
          the benchmark);
        - ``entropy`` :math:`-\\sum_i s_{ri} \\log_2 s_{ri}` (``entropy``; :math:`0\\log 0=0`);
        - ``diversity`` number of categories with :math:`LQ_{ri} \\ge` ``rca_threshold``
          (``diversity(mat, RCA=TRUE)``).

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric, negative, missing or infinite values, duplicated keys,
        a benchmark without some category.

    Warns
    -----
    DataWarning
        A region whose employment is 0 in a group: its share-based indices are undefined and
        left NaN (``total`` = 0 and counts = 0 are reported).

    Notes
    -----
    Deliberate differences from EconGeo 1.3: no rounding (EconGeo rounds ``entropy`` to 3
    decimals and adds :math:`10^{-9}` inside the logarithm); LQs within :math:`10^{-9}`
    (relative) below ``rca_threshold`` count as reaching it; the normalised Herfindahl is not in
    EconGeo (its ``Herfindahl`` is the raw one); an empty region gives NaN and a warning instead
    of NaN alone. All values were checked against EconGeo 1.3's output on its help-page matrix
    (``tests/test_mapping_indices.py``).

    References
    ----------
    Balland, P.-A. (2017). EconGeo: Computing key indicators of the spatial distribution of
    economic activities. R package 1.3. https://github.com/PABalland/EconGeo
    Krugman, P. (1991). *Geography and Trade*. MIT Press.
    Frenken, K., Van Oort, F. & Verburg, T. (2007). Related variety, unrelated variety and
    regional economic growth. *Regional Studies* 41(5), 685-697.

    Examples
    --------
    >>> import pandas as pd
    >>> emp = pd.DataFrame({"region": ["a", "a", "b", "b"], "cluster": ["x", "y", "x", "y"],
    ...                     "employment": [30, 10, 10, 50]})
    >>> out = specialisation(emp, by=())
    >>> out[["region", "herfindahl", "krugman", "diversity"]]
      region  herfindahl   krugman  diversity
    0      a      0.6250  0.700000          1
    1      b      0.7222  0.466667          1
    """
    long, by = prepare(emp, region=region, category=category, value=value, by=by, name="emp")
    frames, empty = [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        bvec = benchmark_vector(
            benchmark, key=key, by=by, categories=cols, category=category, value=value
        )
        b = X.sum(axis=0) if bvec is None else bvec
        bshare = b / b.sum() if b.sum() > 0 else np.full(len(b), np.nan)
        total = X.sum(axis=1)
        ok = total > 0
        empty += [f"{r}{group_label(key, by)}" for r in rows[~ok]]
        with np.errstate(divide="ignore", invalid="ignore"):
            s = X / total[:, None]
            lq = lq_matrix(X, bvec)
            herf = (s**2).sum(axis=1)
            n = X.shape[1]
            herf_n = (herf - 1 / n) / (1 - 1 / n) if n > 1 else np.full(len(rows), np.nan)
            krug = np.abs(s - bshare[None, :]).sum(axis=1)
            avg_lq = (lq * s).sum(axis=1)
            hach = 1 / avg_lq
            plogp = np.where(s > 0, s * np.log2(np.where(s > 0, s, 1.0)), 0.0)
            ent = 0.0 - plogp.sum(axis=1)
        out = pd.DataFrame(
            {
                region: rows,
                "total": total,
                "n_categories": (X > 0).sum(axis=1),
                "herfindahl": herf,
                "herfindahl_normalised": herf_n,
                "krugman": krug,
                "spec_coeff": krug / 2,
                "average_lq": avg_lq,
                "hachman": hach,
                "entropy": ent,
                "diversity": _present(lq, rca_threshold).sum(axis=1),
            }
        )
        undefined = [
            "herfindahl",
            "herfindahl_normalised",
            "krugman",
            "spec_coeff",
            "average_lq",
            "hachman",
            "entropy",
        ]
        out.loc[~ok, undefined] = np.nan
        frames.append(with_keys(out, by, key))
    warn_listed(
        empty,
        f"region(s) with zero total {value!r}; their specialisation indices are undefined (NaN)",
    )
    return stack(frames, [*by, region, *SPECIALISATION_COLUMNS])


def _lorenz_area(ind: np.ndarray, pop: np.ndarray) -> float:
    """Area statistic of EconGeo's ``Hoover.Gini``: Lorenz curve of ``ind`` against ``pop``.

    Units are ordered by :math:`ind/pop` (0 where both are 0, :math:`+\\infty` where only pop
    is 0); with cumulative shares :math:`c_k` (ind) and :math:`p_k` (pop) from the origin,
    the result is :math:`\\sum_k (c_{k+1} p_k - c_k p_{k+1})` (twice the area between the
    diagonal and the curve).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((ind == 0) & (pop == 0), 0.0, ind / pop)
    order = np.argsort(ratio, kind="stable")
    c = np.concatenate([[0.0], np.cumsum(ind[order])])
    p = np.concatenate([[0.0], np.cumsum(pop[order])])
    c, p = c / c[-1], p / p[-1]
    return float((c[1:] * p[:-1]).sum() - (c[:-1] * p[1:]).sum())


def _population_vector(population, *, key, by, rows: pd.Index, region: str, X: np.ndarray):
    """Reference distribution over regions for the Hoover measures."""
    if population is None:
        return X.sum(axis=1)
    if isinstance(population, str) and population == "equal":
        return np.ones(len(rows))
    if isinstance(population, pd.Series):
        frame = population.rename("population").rename_axis(region).reset_index()
    else:
        frame = population
    from clusterlab._validation import check_frame

    check_frame(
        frame,
        required=[region, "population"],
        numeric=["population"],
        nonnegative=["population"],
        no_missing=[region, "population"],
        name="population",
    )
    for b, k in zip(by, key, strict=True):
        if b in frame.columns:
            frame = frame[frame[b] == k]
    check_frame(frame, unique=[region], name="population")
    s = frame.set_index(region)["population"].astype(float)
    missing = rows.difference(s.index)
    if len(missing):
        raise DataValidationError(
            f"population: no value for {len(missing)} region(s){group_label(key, by)}: "
            + ", ".join(map(str, missing[:10])),
            problem_frame(
                [
                    {
                        "file": "population",
                        "column": region,
                        "expected": "a population row",
                        "found": f"missing {m}",
                    }
                    for m in missing[:50]
                ]
            ),
        )
    return s.reindex(rows).to_numpy()


def concentration(
    emp,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    population=None,
    rca_threshold: float = 1.0,
) -> pd.DataFrame:
    """Spatial concentration of each industry or cluster (EconGeo 1.3 definitions).

    Parameters
    ----------
    emp : pandas.DataFrame
        Long table ``by + (region, category, value)`` (absent cells count as 0) or a wide
        region × category matrix.
    region, category, value : str
        Column names.
    by : sequence of str
        Grouping columns (default ``("year",)``); ``()`` for one cross-section.
    population : None, "equal", pandas.Series or pandas.DataFrame
        Reference distribution over regions for ``hoover_index`` and ``hoover_gini``:
        ``None`` (default) = the regions' total ``value`` over all categories (the classic
        coefficient of localisation); ``"equal"`` = every region weighs the same; a Series
        indexed by region or a DataFrame with ``region, population`` (and optionally ``by``
        columns) = e.g. population or land area.
    rca_threshold : float
        LQ at or above which a region counts as specialised (ubiquity).

    Returns
    -------
    pandas.DataFrame
        ``by + [category] +`` :data:`CONCENTRATION_COLUMNS`:

        - ``total`` :math:`x_{\\cdot i}`; ``n_regions`` regions with :math:`x_{ri} > 0`;
        - ``ubiquity`` regions with :math:`LQ_{ri} \\ge` ``rca_threshold``
          (``ubiquity(mat, RCA=TRUE)``);
        - ``gini`` Gini coefficient of :math:`x_{\\cdot i}` over the *n* regions of the group
          (equal weights; EconGeo ``Gini``), in [0, (n-1)/n];
        - ``locational_gini`` Krugman's locational Gini: the Lorenz curve of the category
          against the regions' total employment, regions ordered by :math:`LQ_{ri}`, half the
          area statistic (EconGeo ``locational.Gini``), in [0, 0.5);
        - ``hoover_index`` :math:`50 \\sum_r |x_{ri}/x_{\\cdot i} - p_r/p|` in [0, 100]
          (``Hoover.index``), *p* the reference distribution;
        - ``hoover_gini`` the Lorenz-curve statistic against *p* (``Hoover.Gini``), in [0, 1);
          with the default *p* it equals twice ``locational_gini``.

    Raises
    ------
    DataValidationError
        Bad input (see :func:`specialisation`); a population table without some region.

    Warns
    -----
    DataWarning
        A category with zero total in a group: its indices are undefined (NaN).

    Notes
    -----
    Regions are those that appear in the group (any category); a region absent from a
    category counts as 0 there. Deliberate differences from EconGeo 1.3: no rounding (EconGeo
    rounds ``Hoover.index`` to whole percentage points and some helpers to 2-3 decimals); LQ
    ties at the threshold (relative :math:`10^{-9}`) count as reaching it; the default
    population for the Hoover measures is total employment rather than a required argument.

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. *Review of Economics and
    Statistics* 18(4), 162-171.
    Krugman, P. (1991). *Geography and Trade*, ch. 2. MIT Press.
    Balland, P.-A. (2017). EconGeo 1.3 (R package).

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"I": [0, 10, 10, 30, 50]}, index=list("abcde"))
    >>> pop = pd.Series([10, 15, 20, 25, 30], index=list("abcde"))
    >>> concentration(ind, population=pop)[["gini", "hoover_index"]].round(3)
        gini  hoover_index
    0   0.48          25.0
    """
    long, by = prepare(emp, region=region, category=category, value=value, by=by, name="emp")
    frames, empty = [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        pop = _population_vector(population, key=key, by=by, rows=rows, region=region, X=X)
        totals = X.sum(axis=0)
        region_tot = X.sum(axis=1)
        lq = lq_matrix(X)
        n = len(rows)
        res = {
            k: np.full(len(cols), np.nan)
            for k in ("gini", "locational_gini", "hoover_index", "hoover_gini")
        }
        for j in np.flatnonzero(totals > 0):
            x = X[:, j]
            res["gini"][j] = _lorenz_area(x, np.ones(n))
            res["locational_gini"][j] = _lorenz_area(x, region_tot) / 2
            if pop.sum() > 0:
                res["hoover_index"][j] = 50 * np.abs(x / totals[j] - pop / pop.sum()).sum()
                res["hoover_gini"][j] = _lorenz_area(x, pop)
        empty += [f"{c}{group_label(key, by)}" for c in cols[totals <= 0]]
        out = pd.DataFrame(
            {
                category: cols,
                "total": totals,
                "n_regions": (X > 0).sum(axis=0),
                "ubiquity": _present(lq, rca_threshold).sum(axis=0),
                **res,
            }
        )
        frames.append(with_keys(out, by, key))
    warn_listed(
        empty,
        f"categor(ies) with zero total {value!r}; their concentration indices are undefined (NaN)",
    )
    return stack(frames, [*by, category, *CONCENTRATION_COLUMNS])
