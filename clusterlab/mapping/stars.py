"""European Cluster Observatory star ratings: size, specialisation and focus.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import star_ratings
>>> t = pd.DataFrame({"region": list("abcd") * 2, "cluster": ["x"] * 4 + ["y"] * 4,
...                   "employment": [900, 50, 40, 10, 100, 950, 960, 990]})
>>> star_ratings(t, by=(), size_top=0.25, focus_top=0.25)[
...     ["region", "cluster", "size_star", "specialisation_star", "focus_star", "stars"]]
  region cluster  size_star  specialisation_star  focus_star  stars
0      a       x       True                 True        True      3
1      b       x      False                False       False      0
2      c       x      False                False       False      0
3      d       x      False                False       False      0
4      a       y      False                False       False      0
5      b       y      False                False       False      0
6      c       y      False                False       False      0
7      d       y       True                False        True      2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.errors import ParameterError
from clusterlab.mapping._core import as_columns, check_table, group_codes, group_sum

__all__ = ["star_ratings"]


def star_ratings(
    table: pd.DataFrame,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    size_top: float = 0.10,
    specialisation_min: float = 2.0,
    focus_top: float = 0.10,
    region_total: str | None = None,
    lq: str | None = None,
) -> pd.DataFrame:
    r"""European Cluster Observatory (ECO) stars of every region x cluster-category cell.

    One star for each criterion met (0-3 stars), comparing regions within each category and
    ``by`` group (year):

    - **size** (``size_star``): the region's employment in the category is in the top
      ``size_top`` (10 %) of regions -- fewer than ``size_top`` x n regions have strictly
      more employment -- and is positive;
    - **specialisation** (``specialisation_star``): :math:`LQ \ge` ``specialisation_min``
      (2), with the LQ over all categories of ``table`` (or the ``lq`` column if given);
    - **focus** (``focus_star``): the category's share of the region's total employment
      (``focus`` column; the denominator is the ``region_total`` column, or the region's sum
      over ``table``) is in the top ``focus_top`` (10 %) of regions, same ranking rule.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per region x category (x ``by``) with employment. Never modified.
    region, category, value : str
        Column names.
    by : sequence of str
        Grouping columns (default ``("year",)``).
    size_top, focus_top : float
        Top shares of regions that get the size and focus stars (ECO: 10 %).
    specialisation_min : float
        LQ threshold of the specialisation star (ECO: 2).
    region_total : str, optional
        Column with the region's total employment (all industries), when ``table`` holds
        only some categories.
    lq : str, optional
        Column with precomputed LQs (e.g. against a European benchmark).

    Returns
    -------
    pandas.DataFrame
        ``table``'s rows plus ``focus``, ``lq`` (unless given), ``size_star``,
        ``specialisation_star``, ``focus_star`` (bool) and ``stars`` (0-3).

    Notes
    -----
    The size criterion (top 10 % of regions by employment) is sourced from the ECO
    methodology ("Evaluation of regional cluster strength"); the 2.0 LQ threshold and the top
    10 % focus rule are the commonly cited ECO values but were not read in a primary source
    (``docs/mapping.md``). Later ECCP/EOCIC panoramas use size, specialisation, productivity
    and dynamism instead; pass different thresholds or columns to follow them.

    References
    ----------
    European Cluster Observatory, "Evaluation of regional cluster strength" (methodology);
    Ketels & Protsiv (2016), *European Cluster Panorama 2016*.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.mapping import star_ratings
    >>> t = pd.DataFrame({"region": list("abcd") * 2, "cluster": ["x"] * 4 + ["y"] * 4,
    ...                   "employment": [900, 50, 40, 10, 100, 950, 960, 990]})
    >>> star_ratings(t, by=(), size_top=0.25, focus_top=0.25)[
    ...     ["region", "cluster", "size_star", "specialisation_star", "focus_star", "stars"]]
      region cluster  size_star  specialisation_star  focus_star  stars
    0      a       x       True                 True        True      3
    1      b       x      False                False       False      0
    2      c       x      False                False       False      0
    3      d       x      False                False       False      0
    4      a       y      False                False       False      0
    5      b       y      False                False       False      0
    6      c       y      False                False       False      0
    7      d       y       True                False        True      2
    """
    for name, v in (("size_top", size_top), ("focus_top", focus_top)):
        if not 0 < v <= 1:
            raise ParameterError(f"{name} must be in (0, 1], got {v!r}")
    if not specialisation_min > 0:
        raise ParameterError(f"specialisation_min must be > 0, got {specialisation_min!r}")
    by = as_columns(by, argument="by")
    values = [value] + ([region_total] if region_total else [])
    check_table(table, name="table", keys=[region, category, *by], values=values, unique=True)
    x = table[value].to_numpy(dtype=float)
    out = table.copy()
    if lq is None:
        from clusterlab.mapping.lq import location_quotients

        lqv = location_quotients(
            table[[region, category, *by, value]],
            region=region,
            category=category,
            value=value,
            by=by,
        )["lq"].to_numpy()
        out["lq"] = lqv
    else:
        check_table(table, name="table", values=[lq])
        lqv = table[lq].to_numpy(dtype=float)
    if region_total:
        total = table[region_total].to_numpy(dtype=float)
    else:
        codes, n = group_codes(table, [*by, region])
        total = group_sum(codes, n, x)[codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        focus = np.where(total > 0, x / total, np.nan)
    out["focus"] = focus
    cat_codes, n_cat = group_codes(table, [*by, category])
    out["size_star"] = _top(x, cat_codes, n_cat, size_top) & (x > 0)
    with np.errstate(invalid="ignore"):
        out["specialisation_star"] = np.nan_to_num(lqv, nan=0.0) >= specialisation_min
    out["focus_star"] = _top(np.nan_to_num(focus, nan=-np.inf), cat_codes, n_cat, focus_top) & (
        x > 0
    )
    out["stars"] = (
        out[["size_star", "specialisation_star", "focus_star"]].sum(axis=1).astype("int64")
    )
    return out


def _top(values: np.ndarray, codes: np.ndarray, n_groups: int, share: float) -> np.ndarray:
    """True where fewer than ``share`` x n members of the group have a strictly larger value."""
    frame = pd.DataFrame({"g": codes, "v": values})
    larger = frame.groupby("g")["v"].rank(method="min", ascending=False).to_numpy() - 1
    n = np.bincount(codes, minlength=n_groups)[codes]
    return larger < share * n
