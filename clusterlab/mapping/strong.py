"""U.S. Cluster Mapping Project flags: qualifying, significant, strong and strong10 clusters.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import strong_clusters
>>> t = pd.DataFrame({"region": list("abcde"), "cluster": "x", "cluster_type": "traded",
...                   "year": 2016, "employment": [500, 80, 300, 40, 900],
...                   "establishments": [20, 5, 9, 2, 30], "lq": [2.5, 0.4, 1.2, 0.8, 1.1]})
>>> strong_clusters(t)[["region", "qualifying", "significant", "strong", "strong10"]]
  region  qualifying  significant  strong  strong10
0      a        True         True    True      True
1      b       False        False   False     False
2      c        True         True    True     False
3      d       False        False   False     False
4      e        True        False   False     False
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.mapping._core import (
    as_columns,
    check_table,
    group_codes,
    group_quantile,
    problem_frame,
    row_numbers,
)

__all__ = ["strong_clusters", "FLAGS"]

#: Columns added by :func:`strong_clusters`.
FLAGS = ("qualifying", "significant", "strong", "strong10")


def strong_clusters(
    lq_table: pd.DataFrame,
    *,
    rule: str = "cmp",
    region_type: str | None = None,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    establishments: str | None = "establishments",
    lq: str = "lq",
    by=("year",),
    cluster_type: str | None = "cluster_type",
) -> pd.DataFrame:
    r"""Flag qualifying, significant, strong and strong10 clusters (CMP rule).

    For each traded cluster, ``by`` group (year) and region type, let :math:`S` be the regions
    with employment > 0 and :math:`Q_p(\cdot)` the quantile over :math:`S` with linear
    interpolation (``d3.quantile``, R type 7, numpy's default). With
    :math:`\text{size} = E > Q_{25}(E) \wedge \text{est} > Q_{25}(\text{est})`:

    - ``qualifying``: :math:`LQ > Q_{25}(LQ)` and size;
    - ``significant``: :math:`LQ > Q_{50}(LQ)` and size;
    - ``strong``: :math:`LQ \ge Q_{75}(LQ)` and size and :math:`LQ \ge 1`;
    - ``strong10``: :math:`LQ \ge Q_{90}(LQ)` and size and :math:`LQ \ge 1`.

    Strict ``>`` for the size quartiles and the 25th/50th LQ percentiles, ``>=`` for the top
    quartile/decile and LQ >= 1, exactly as ``cluster_calcs_reducer.js``. Rows with zero
    employment take part in no quantile and are False. Local clusters get ``<NA>``.

    Parameters
    ----------
    lq_table : pandas.DataFrame
        One row per region x cluster (x ``by``), with employment, establishments and ``lq``
        (e.g. :func:`~clusterlab.mapping.location_quotients` output). Never modified.
    rule : {"cmp"}
        The rule set (only the CMP rule is implemented).
    region_type : str, optional
        Column holding the region type (state, msa, economic, county, ...); the quantiles
        are computed among regions of the same type. Default: ``"region_type"`` when that
        column exists, else all regions form one type. CMP compares custom regions with
        economic areas: give them the same type value to do so.
    region, category, value, lq : str
        Column names of region, cluster, employment and LQ.
    establishments : str or None
        Column of establishment counts; ``None`` drops the establishment condition (a
        departure from CMP, for data without establishments).
    by : sequence of str
        Columns splitting the comparison (default ``("year",)``).
    cluster_type : str or None
        Column with ``traded``/``local``; local rows get ``<NA>`` flags. ``None`` (or a
        missing column) treats every cluster as traded.

    Returns
    -------
    pandas.DataFrame
        ``lq_table``'s rows plus boolean (nullable) columns ``qualifying``, ``significant``,
        ``strong``, ``strong10``.

    References
    ----------
    U.S. Cluster Mapping Project, ``data/processing/cluster_calcs_reducer.js``
    (``clustermapping/cmp@f1b2b67``); reproduced exactly on the 2016 state (512 strong) and MSA
    (5,887 strong) files, see ``docs/mapping.md``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.mapping import strong_clusters
    >>> t = pd.DataFrame({"region": list("abcde"), "cluster": "x", "cluster_type": "traded",
    ...                   "year": 2016, "employment": [500, 80, 300, 40, 900],
    ...                   "establishments": [20, 5, 9, 2, 30], "lq": [2.5, 0.4, 1.2, 0.8, 1.1]})
    >>> strong_clusters(t)[["region", "qualifying", "significant", "strong", "strong10"]]
      region  qualifying  significant  strong  strong10
    0      a        True         True    True      True
    1      b       False        False   False     False
    2      c        True         True    True     False
    3      d       False        False   False     False
    4      e        True        False   False     False
    """
    check_choice(rule, ["cmp"], argument="rule")
    by = as_columns(by, argument="by")
    if region_type is None:
        region_type = "region_type" if "region_type" in getattr(lq_table, "columns", []) else None
    elif region_type not in getattr(lq_table, "columns", []):
        raise ParameterError(
            f"region_type={region_type!r} is not a column of lq_table; give "
            "the name of the column that holds the region types"
        )
    types = [region_type] if region_type else []
    values = [value, lq] + ([establishments] if establishments else [])
    check_frame(lq_table, required=[region, category, *by, *types, *values], name="lq_table")
    check_table(
        lq_table,
        name="lq_table",
        keys=[region, category, *by, *types],
        values=[c for c in values if c != lq],
    )
    _, n_keys = group_codes(lq_table, [*types, *by, category, region])
    if n_keys < len(lq_table):
        check_frame(lq_table, unique=[region, category, *by, *types], name="lq_table")
    check_frame(lq_table, numeric=[lq], name="lq_table")
    # an LQ may be NaN only where it cannot matter: zero employment (e.g. an all-zero region)
    bad = (lq_table[lq].isna() & (lq_table[value] > 0)).to_numpy()
    if bad.any():
        raise DataValidationError(
            f"lq_table: {bad.sum()} rows with employment > 0 have no {lq}",
            problem_frame(
                {
                    "file": "lq_table",
                    "row": r,
                    "column": lq,
                    "expected": "a number",
                    "found": "missing",
                }
                for r in row_numbers(lq_table, bad)[:50]
            ),
        )

    if cluster_type and cluster_type in lq_table.columns:
        ctype = _lower_categories(lq_table[cluster_type])
        bad = ~ctype.isin(["traded", "local"]).fillna(False).to_numpy()
        if bad.any():
            raise DataValidationError(
                f"lq_table: {cluster_type} must be 'traded' or 'local'",
                problem_frame(
                    {
                        "file": "lq_table",
                        "row": r,
                        "column": cluster_type,
                        "expected": "traded or local",
                        "found": str(f),
                    }
                    for r, f in zip(
                        row_numbers(lq_table, bad)[:50],
                        lq_table.loc[bad, cluster_type].head(50),
                        strict=False,
                    )
                ),
            )
        traded = (ctype == "traded").fillna(False).to_numpy(dtype=bool)
    else:
        traded = np.ones(len(lq_table), dtype=bool)

    emp = lq_table[value].to_numpy(dtype=float)
    lqv = lq_table[lq].to_numpy(dtype=float)
    est = lq_table[establishments].to_numpy(dtype=float) if establishments else None
    codes, n_groups = group_codes(lq_table, [*types, *by, category])
    inside = (emp > 0) & traded

    def q(vals, ps):
        return [g[codes] for g in group_quantile(vals, codes, n_groups, ps, mask=inside)]

    (emp25,) = q(emp, [0.25])
    size = emp > emp25
    if est is not None:
        (est25,) = q(est, [0.25])
        size &= est > est25
    lq25, lq50, lq75, lq90 = q(lqv, [0.25, 0.50, 0.75, 0.90])
    with np.errstate(invalid="ignore"):
        flags = {
            "qualifying": (lqv > lq25) & size,
            "significant": (lqv > lq50) & size,
            "strong": (lqv >= lq75) & size & (lqv >= 1),
            "strong10": (lqv >= lq90) & size & (lqv >= 1),
        }
    out = lq_table.copy()
    for name in FLAGS:
        col = pd.array(flags[name] & (emp > 0), dtype="boolean")
        col[~traded] = pd.NA
        out[name] = col
    return out


def _lower_categories(series: pd.Series) -> pd.Series:
    """Lower-cased values, computed once per distinct value (fast on millions of rows)."""
    codes, uniques = pd.factorize(series)
    lowered = pd.Series(uniques).astype("string").str.strip().str.lower().to_numpy(dtype=object)
    out = np.where(codes >= 0, lowered[np.maximum(codes, 0)] if len(lowered) else None, None)
    return pd.Series(out, index=series.index, dtype="string")
