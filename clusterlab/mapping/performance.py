r"""Cluster performance indicators of the U.S. Cluster Mapping Project: average wage, relative
wage, growth of employment, wages and establishments, and job creation.

.. math::

    w_{rc t} = \frac{\text{payroll}_{rct} \cdot s}{E^{\text{rep}}_{rct}}, \qquad
    \text{relative\_wage}_{rct} = \frac{w_{rct}}{W_{ct}}, \qquad
    g_{rct} = \Bigl(\frac{x_{rct}}{x_{rc t_0}}\Bigr)^{1/(t - t_0)} - 1

with :math:`s` the payroll unit (1000: payroll in thousands, as CBP and CMP's ``ap_tl``),
:math:`E^{\text{rep}}` the *reported* employment (suppressed cells have no payroll either, so the
wage uses the employment that carries payroll, as CMP's ``private_wage_tf``) and :math:`W_{ct}`
the cluster's wage in the reference area (all regions of the same type, or a benchmark table).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import performance
>>> t = pd.DataFrame({"region": ["a", "a", "b", "b"], "cluster": "x", "year": [2015, 2016] * 2,
...                   "employment": [100, 110, 300, 300], "payroll": [4000, 4620, 15000, 15600],
...                   "establishments": [10, 11, 20, 20]})
>>> performance(t)[["region", "year", "wage", "relative_wage", "job_creation"]]
  region  year     wage  relative_wage  job_creation
0      a  2015  40000.0       0.842105           NaN
1      a  2016  42000.0       0.851632          10.0
2      b  2015  50000.0       1.052632           NaN
3      b  2016  52000.0       1.054402           0.0
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.mapping._core import check_table

__all__ = ["performance", "PERFORMANCE_COLUMNS"]

#: Columns added by :func:`performance`.
PERFORMANCE_COLUMNS = (
    "wage",
    "relative_wage",
    "employment_growth",
    "wage_growth",
    "establishment_growth",
    "job_creation",
)


def _name(value, argument: str, *, optional: bool = False):
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ParameterError(f"{argument} must be a column name, got {value!r}")
    return value


def performance(
    table: pd.DataFrame,
    *,
    region: str = "region",
    category: str = "cluster",
    employment: str = "employment",
    payroll: str = "payroll",
    establishments: str | None = "establishments",
    reported: str | None = None,
    period: str = "year",
    start=None,
    region_type: str | None = None,
    benchmark: pd.DataFrame | None = None,
    payroll_scale: float = 1000.0,
) -> pd.DataFrame:
    r"""Average wage, relative wage, growth and job creation of every region × cluster × period.

    For region :math:`r`, cluster :math:`c` and period :math:`t` (start period :math:`t_0`):

    - ``wage`` :math:`w_{rct} = s\,P_{rct} / E^{rep}_{rct}` (annual payroll per reported
      employee; CMP ``private_wage_tf``);
    - ``relative_wage`` :math:`w_{rct} / W_{ct}` with
      :math:`W_{ct} = s \sum_{r'} P_{r'ct} / \sum_{r'} E^{rep}_{r'ct}` over the regions of the same
      type (or the ``benchmark`` table's payroll and employment): above 1 the cluster pays more in
      the region than it does in the reference area;
    - ``employment_growth``, ``wage_growth``, ``establishment_growth``: compound annual growth
      :math:`(x_t/x_{t_0})^{1/(t-t_0)} - 1` since the start period (CMP's ``cagr`` change);
    - ``job_creation`` :math:`E_{rct} - E_{rct_0}` (net jobs created since the start period;
      CMP's ``emp_tl`` change).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per region × cluster × period (e.g. :func:`~clusterlab.mapping.aggregate`
        output), with employment, payroll and (optionally) establishments. Never modified.
    region, category, employment, payroll, period : str
        Column names. ``period`` must be numeric (years).
    establishments : str or None
        Establishment counts (``None``: no establishment growth, the column is NaN).
    reported : str, optional
        Employment that carries payroll (default ``"<employment>_reported"`` when that column
        exists, e.g. after :func:`~clusterlab.mapping.impute_suppressed`, else ``employment``).
    start : number, optional
        Start period of the growth measures (default: the first period of the table). Rows
        before it get NaN growth.
    region_type : str, optional
        Column of region types; the reference wage :math:`W` is taken within each type
        (default ``"region_type"`` when present).
    benchmark : pandas.DataFrame, optional
        Reference-area (e.g. national) ``category, period, payroll, reported`` columns named as
        in ``table``; replaces the sum over the table's regions.
    payroll_scale : float
        Currency units per payroll unit (1000 for payroll in thousands).

    Returns
    -------
    pandas.DataFrame
        ``table``'s rows and columns plus ``wage``, ``relative_wage``, ``employment_growth``,
        ``wage_growth``, ``establishment_growth``, ``job_creation`` (float). A wage is NaN where
        reported employment is 0; a growth rate is NaN where the start value is 0 or missing,
        and in the start period itself (no time has passed).

    Raises
    ------
    DataValidationError
        Missing columns; negative, missing or non-numeric counts; duplicated keys;
        benchmark categories missing.
    ParameterError
        A column argument that is not a name; ``payroll_scale`` not positive; ``start`` not a
        period of the table.

    Warns
    -----
    DataWarning
        Rows with payroll but no reported employment (their wage is NaN; 12 cells of the CMP
        2016 MSA file, which publishes no wage rank for them either).

    Notes
    -----
    Reproduces the published ``private_wage_tf`` of the CMP 2016 state (3,090 cells) and MSA
    (27,471 cells) files from payroll (``ap_tl``) and reported employment to 1e-6 (CMP
    publishes 0 where reported employment is 0; we return NaN: there is no wage to report).
    See ``docs/mapping_regional.md``.

    References
    ----------
    Delgado, M., Porter, M. E. & Stern, S. (2014). Clusters, convergence, and economic
    performance. *Research Policy* 43(10), 1785-1799. U.S. Cluster Mapping Project, data
    dictionary (``private_wage_tf``; ``*_change_tf`` by ``ranker.js``, ``clustermapping/cmp``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["a", "b"], "cluster": "x", "year": 2016,
    ...                   "employment": [100, 300], "payroll": [4000.0, 15000.0]})
    >>> performance(t, establishments=None)[["region", "wage", "relative_wage"]].round(4)
      region     wage  relative_wage
    0      a  40000.0         0.8421
    1      b  50000.0         1.0526
    """
    region = _name(region, "region")
    category = _name(category, "category")
    employment = _name(employment, "employment")
    payroll = _name(payroll, "payroll")
    period = _name(period, "period")
    establishments = _name(establishments, "establishments", optional=True)
    if not (
        isinstance(payroll_scale, int | float) and np.isfinite(payroll_scale) and payroll_scale > 0
    ):
        raise ParameterError(f"payroll_scale must be a positive number, got {payroll_scale!r}")
    columns = getattr(table, "columns", [])
    if reported is None:
        reported = f"{employment}_reported" if f"{employment}_reported" in columns else employment
    reported = _name(reported, "reported")
    if region_type is None:
        region_type = "region_type" if "region_type" in columns else None
    elif region_type not in columns:
        raise ParameterError(f"region_type={region_type!r} is not a column of table")
    types = [region_type] if region_type else []
    values = list(
        dict.fromkeys(
            [employment, payroll, reported, *([establishments] if establishments else [])]
        )
    )
    keys = [*types, region, category, period]
    check_table(table, name="table", keys=keys, values=values, unique=True)
    check_frame(table, numeric=[period], name="table")
    _check_payroll(table, payroll=payroll, reported=reported)

    out = table.copy()
    emp_rep = out[reported].to_numpy(dtype=float)
    pay = out[payroll].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        wage = np.where(emp_rep > 0, pay * payroll_scale / emp_rep, np.nan)
    out["wage"] = wage
    ref = _reference_wage(
        out,
        benchmark,
        types=types,
        category=category,
        period=period,
        payroll=payroll,
        reported=reported,
        scale=payroll_scale,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["relative_wage"] = np.where(ref > 0, wage / ref, np.nan)

    t0 = out[period].min() if start is None else start
    base = out[out[period] == t0].set_index([*types, region, category])
    if base.empty:
        raise ParameterError(f"start={start!r}: no rows of table have {period} = {start!r}")
    idx = pd.MultiIndex.from_frame(out[[*types, region, category]])
    years = (out[period] - t0).to_numpy(dtype=float)
    after = years > 0

    def cagr(now: np.ndarray, col: pd.Series) -> np.ndarray:
        then = col.reindex(idx).to_numpy(dtype=float)
        res = np.full(len(out), np.nan)
        ok = after & (then > 0) & np.isfinite(then) & np.isfinite(now)
        res[ok] = (now[ok] / then[ok]) ** (1.0 / years[ok]) - 1.0
        return res

    emp = out[employment].to_numpy(dtype=float)
    out["employment_growth"] = cagr(emp, base[employment])
    out["wage_growth"] = cagr(wage, base["wage"])
    out["establishment_growth"] = (
        cagr(out[establishments].to_numpy(dtype=float), base[establishments])
        if establishments
        else np.nan
    )
    then = base[employment].reindex(idx).to_numpy(dtype=float)
    out["job_creation"] = np.where(after, emp - then, np.nan)
    return out


def _check_payroll(table, *, payroll, reported):
    """Payroll without reported employment (CBP: payroll published, employment suppressed in a
    cell that is not flagged) gives no wage: warn and leave NaN."""
    bad = ((table[payroll] > 0) & (table[reported] <= 0)).to_numpy()
    if bad.any():
        rows = ", ".join(str(r) for r in np.flatnonzero(bad)[:10] + 1)
        warnings.warn(
            f"{int(bad.sum())} rows have payroll but no reported employment in "
            f"{reported!r} (rows {rows}{' ...' if bad.sum() > 10 else ''}); their wage "
            "is undefined (NaN)",
            DataWarning,
            stacklevel=3,
        )


def _reference_wage(out, benchmark, *, types, category, period, payroll, reported, scale):
    """The cluster's wage in the reference area, aligned to the rows of ``out``."""
    if benchmark is None:
        keys = [*types, category, period]
        sums = out.groupby(keys, observed=True, sort=False)[[payroll, reported]].transform("sum")
        with np.errstate(divide="ignore", invalid="ignore"):
            return (
                sums[payroll].to_numpy(dtype=float) * scale / sums[reported].to_numpy(dtype=float)
            )
    keys = [category, period]
    check_table(benchmark, name="benchmark", keys=keys, values=[payroll, reported], unique=True)
    bench = benchmark[[*keys, payroll, reported]].rename(
        columns={payroll: "_pay", reported: "_rep"}
    )
    left = out[keys].copy()
    for k in keys:
        if left[k].dtype != bench[k].dtype and not (
            pd.api.types.is_numeric_dtype(left[k]) and pd.api.types.is_numeric_dtype(bench[k])
        ):
            left[k] = left[k].astype(str)
            bench[k] = bench[k].astype(str)
    merged = left.merge(bench, on=keys, how="left")
    missing = merged["_pay"].isna().to_numpy()
    if missing.any():
        labels = merged.loc[missing, keys].drop_duplicates().astype(str)
        raise DataValidationError(
            f"benchmark: no row for {len(labels)} {category} × {period} of the table",
            problem_frame(
                {
                    "file": "benchmark",
                    "column": category,
                    "expected": "a row",
                    "found": f"missing {a}, {b}",
                }
                for a, b in labels.head(50).itertuples(index=False)
            ),
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        return merged["_pay"].to_numpy(dtype=float) * scale / merged["_rep"].to_numpy(dtype=float)
