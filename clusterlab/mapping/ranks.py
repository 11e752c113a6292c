r"""Ranks and percentile ranks of region × cluster cells among regions of the same type, as
the U.S. Cluster Mapping Project publishes them (``*_rank_i``, ``*_per_rank_i``).

For one cluster, period and region type, regions are ordered by the measure, largest first;
cells whose value is missing or 0 get no rank. With rank :math:`k` among :math:`n` regions,

.. math:: \text{percentile}_k = \operatorname{round}\Bigl(\frac{100}{n}\,(k - 0.5)\Bigr)

(half rounded up) -- the position from the top in per cent, so 1 means "in the top 1 %".

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import ranks
>>> t = pd.DataFrame({"region": list("abcd"), "cluster": "x", "year": 2016,
...                   "employment": [50, 400, 0, 400], "lq": [0.5, 1.5, 0.0, 2.0]})
>>> ranks(t, measures=["employment", "lq"])[["region", "employment_rank", "lq_rank",
...                                          "lq_percentile"]]
  region  employment_rank  lq_rank  lq_percentile
0      a                3        3             83
1      b                1        2             50
2      c             <NA>     <NA>           <NA>
3      d                1        1             17
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import ParameterError
from clusterlab.mapping._core import as_columns, check_table

__all__ = ["ranks", "RANK_MEASURES", "TIES"]

#: Measures ranked by default, in CMP order (those present in the table).
RANK_MEASURES = ("employment", "wage", "lq", "establishments")

#: How tied values are ranked (pandas ``rank`` methods).
TIES = ("min", "max", "first", "average", "dense")


def ranks(
    table: pd.DataFrame,
    *,
    measures=None,
    region: str = "region",
    category: str = "cluster",
    by=("year",),
    region_type: str | None = None,
    employment: str = "employment",
    positive_base: tuple | list = ("lq",),
    ties: str = "min",
) -> pd.DataFrame:
    r"""Rank every region × cluster cell among the regions of the same type (CMP rankings).

    Within each cluster × ``by`` group (period) × region type, for each measure:

    - ``<measure>_rank``: 1 for the largest value, ties ranked by ``ties``; cells whose value is
      missing or 0 are not ranked (``<NA>``), as in CMP's ``ranker.js``;
    - ``<measure>_percentile``: :math:`\lfloor 100 (k - 0.5)/n + 0.5 \rfloor` with :math:`k` the
      rank and :math:`n` the number of regions in the group -- for the measures in
      ``positive_base`` (default: the LQ) only the regions with ``employment`` > 0, as CMP
      does (a region without the cluster has no LQ).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per region × cluster (× ``by`` × region type), e.g. the output of
        :func:`~clusterlab.mapping.location_quotients` joined with
        :func:`~clusterlab.mapping.performance`. Never modified.
    measures : sequence of str, optional
        Numeric columns to rank (default: those of ``employment, wage, lq, establishments``
        present in ``table``).
    region, category : str
        Column names of the region and the cluster.
    by : sequence of str
        Columns splitting the ranking (default ``("year",)``).
    region_type : str, optional
        Column of region types (default ``"region_type"`` when present); regions are compared
        with regions of the same type only.
    employment : str
        Employment column used for the ``positive_base`` count.
    positive_base : sequence of str
        Measures whose percentile counts only regions with employment > 0.
    ties : {"min", "max", "first", "average", "dense"}
        Rank of tied values (pandas ``rank`` method). ``"min"`` gives competition ranks
        (1, 2, 2, 4); ``"average"`` gives fractional ranks and fractional-based percentiles.

    Returns
    -------
    pandas.DataFrame
        ``table``'s rows and columns plus ``<measure>_rank`` and ``<measure>_percentile``
        (nullable integers; ``Float64`` with ``ties="average"``).

    Raises
    ------
    DataValidationError
        Missing or non-numeric columns; duplicated keys.
    ParameterError
        Unknown ``ties``; no measure to rank.

    Notes
    -----
    CMP orders tied values by whatever its JavaScript sort leaves them in, so a published rank
    of a tied cell is any rank of its tie group: on the 2016 MSA file 57 % of the ranked
    employment cells are tied. Every published rank lies between our ``ties="min"`` and
    ``ties="max"`` ranks, and untied cells match exactly (tested). For *states* CMP writes the
    rank itself into ``*_per_rank_i``; we return the true percentile for every region type.
    CMP counts all regions of the type (also those without the cluster) as :math:`n` for
    employment, establishments and wages, and only regions with employment for the LQ
    (``ranker.js`` filters on ``emp_tl > 0`` for ``lq_tf`` only); ``positive_base`` keeps that.

    References
    ----------
    U.S. Cluster Mapping Project, ``data/processing/ranker.js`` (``clustermapping/cmp``);
    see ``docs/mapping_regional.md``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": list("abc"), "cluster": "x", "year": 2016,
    ...                   "wage": [50000.0, 62000.0, 41000.0]})
    >>> ranks(t, measures=["wage"])[["region", "wage_rank", "wage_percentile"]]
      region  wage_rank  wage_percentile
    0      a          2               50
    1      b          1               17
    2      c          3               83
    """
    check_choice(ties, TIES, argument="ties")
    check_frame(table, name="table")
    by = as_columns(by, argument="by")
    columns = list(getattr(table, "columns", []))
    if measures is None:
        measures = [m for m in RANK_MEASURES if m in columns]
        if not measures:
            raise ParameterError(
                "table has none of the default measures "
                f"{', '.join(RANK_MEASURES)}; pass measures=[...]"
            )
    measures = as_columns(measures, argument="measures")
    if not measures:
        raise ParameterError("measures is empty: name at least one column to rank")
    positive_base = as_columns(list(positive_base), argument="positive_base")
    if region_type is None:
        region_type = "region_type" if "region_type" in columns else None
    elif region_type not in columns:
        raise ParameterError(f"region_type={region_type!r} is not a column of table")
    types = [region_type] if region_type else []
    need_emp = [employment] if any(m in positive_base for m in measures) else []
    check_frame(
        table,
        required=[region, category, *by, *types, *measures, *need_emp],
        numeric=[*measures, *need_emp],
        name="table",
    )
    check_table(
        table, name="table", keys=[*types, *by, category, region], values=need_emp, unique=True
    )
    for m in measures:  # missing is allowed (not ranked); infinity is not a value
        arr = table[m].to_numpy(dtype=float, na_value=np.nan)
        if np.isinf(arr).any():
            check_table(table, name="table", values=[m])

    out = table.copy()
    group_keys = [*types, *by, category]
    grouped_base = out.groupby(group_keys, observed=True, sort=False, dropna=False)
    n_all = grouped_base[region].transform("size").to_numpy(dtype=float)
    if need_emp:
        pos = out[employment].to_numpy(dtype=float) > 0
        n_pos = (
            pd.Series(pos, index=out.index)
            .groupby([out[k] for k in group_keys], observed=True, sort=False, dropna=False)
            .transform("sum")
            .to_numpy(dtype=float)
        )
    for m in measures:
        vals = out[m].astype(float)
        ranked = vals.where(vals.notna() & (vals != 0))
        r = ranked.groupby(
            [out[k] for k in group_keys], observed=True, sort=False, dropna=False
        ).rank(method=ties, ascending=False)
        n = n_pos if m in positive_base else n_all
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = np.floor(100.0 / n * (r.to_numpy() - 0.5) + 0.5)
        dtype = "Float64" if ties == "average" else "Int64"
        out[f"{m}_rank"] = pd.array(r.to_numpy(), dtype="Float64").astype(dtype)
        out[f"{m}_percentile"] = pd.array(pct, dtype="Float64").astype(dtype)
    return out
