"""A region's cluster portfolio: specialisation, size and growth of every cluster, side by side.

These functions turn the region x cluster x year table that
:func:`~clusterlab.mapping.strong_clusters` returns into the views a cluster-mapping report
shows: the portfolio (LQ against growth, the classic bubble chart of Porter 2003 and the US
Cluster Mapping Project), the top clusters of one region, and one cluster's position among
peer regions over time.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import cluster_portfolio
>>> t = pd.DataFrame({"region": ["A", "A", "B", "B"], "cluster": ["x"] * 4,
...                   "year": [2010, 2020, 2010, 2020], "employment": [100, 150, 100, 100],
...                   "lq": [1.0, 1.2, 1.0, 0.8]})
>>> p = cluster_portfolio(t)
>>> p[["region", "employment", "growth", "growth_benchmark", "lq_change"]].round(4)
  region  employment  growth  growth_benchmark  lq_change
0      A         150  0.0414            0.0226        0.2
1      B         100  0.0000            0.0226       -0.2
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from clusterlab._validation import as_list, check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["cluster_portfolio", "top_clusters", "peer_comparison", "resolve_focus", "region_level"]


def _years(data: pd.DataFrame, year: str, start, end) -> tuple[int, int]:
    years = sorted(pd.unique(data[year].dropna()))
    if not years:
        raise DataValidationError(f"cluster_portfolio: column {year!r} holds no year")
    start = years[0] if start is None else start
    end = years[-1] if end is None else end
    missing = [y for y in (start, end) if y not in set(years)]
    if missing:
        raise ParameterError(
            f"year {missing[0]} is not in the data; years present: {years[0]}-{years[-1]}")
    if not start < end:
        raise ParameterError(f"start={start} must be before end={end}")
    return start, end


def cluster_portfolio(table: pd.DataFrame, *, start=None, end=None, region: str = "region",
                      category: str = "cluster", value: str = "employment",
                      year: str = "year", lq: str = "lq",
                      region_type: str | None = "region_type") -> pd.DataFrame:
    r"""Every region x cluster in the end year, with its growth since the start year.

    .. math::

        g_{rc} = \left(\frac{E_{rc,\,end}}{E_{rc,\,start}}\right)^{1/(end-start)} - 1

    is the compound annual growth rate of employment; ``growth_benchmark`` is the same rate
    for the cluster summed over all regions (of the same region type) in the table, and
    ``growth_relative`` = ``growth`` - ``growth_benchmark`` says whether the region's cluster
    grew faster than the cluster did everywhere (the y axis of the CMP portfolio chart).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per region x cluster x year with employment and ``lq``, e.g. the output of
        :func:`~clusterlab.mapping.strong_clusters` (its flags and any other columns, such as
        ``establishments``, ``cluster_name``, ``cluster_type``, are carried along from the
        end year).
    start, end : int, optional
        First and last year; default the first and last year in ``table``.
    region, category, value, year, lq : str
        Column names.
    region_type : str or None
        Column separating region types (benchmark growth is computed within each type);
        ignored when absent.

    Returns
    -------
    pandas.DataFrame
        The end-year rows plus ``start_year``, ``employment_start``,
        ``establishments_start`` (when the table has ``establishments``), ``growth``,
        ``growth_benchmark``, ``growth_relative``, ``lq_start``, ``lq_change`` and
        ``employment_change``. A cluster absent or with no employment in the start year has a
        missing ``growth`` (it is new, not infinitely fast-growing).

    Raises
    ------
    DataValidationError
        Missing columns, negative or non-numeric employment, or a region x cluster x year
        given twice.
    ParameterError
        ``start``/``end`` not in the data or not in order.

    References
    ----------
    Porter, M. E. (2003). The economic performance of regions. *Regional Studies* 37(6-7),
    549-578. Delgado, M., Porter, M. E., Stern, S. (2016). Defining clusters of related
    industries. *Journal of Economic Geography* 16(1), 1-38.
    """
    check_frame(table, required=[region, category, year, value, lq], numeric=[value, lq],
                nonnegative=[value], unique=[region, category, year], name="table")
    start, end = _years(table, year, start, end)
    keys = [region, category]
    kind = [region_type] if region_type and region_type in table.columns else []
    # the start-year establishment count travels with the start-year figures: it is what the
    # disclosure rule checks them against (results contract of cluster_portfolio)
    counts = ["establishments"] if "establishments" in table.columns else []
    first = table.loc[table[year] == start, keys + [value, lq] + counts].rename(
        columns={value: "employment_start", lq: "lq_start",
                 "establishments": "establishments_start"})
    out = table.loc[table[year] == end].merge(first, on=keys, how="left")
    span = end - start
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out[value].astype(float) / out["employment_start"].astype(float)
        growth = ratio ** (1.0 / span) - 1.0
    growth = growth.where(out["employment_start"] > 0)
    total = (table[table[year].isin([start, end])]
             .groupby(kind + [category, year], observed=True)[value].sum().unstack(year))
    with np.errstate(divide="ignore", invalid="ignore"):
        bench = (total[end].astype(float) / total[start].astype(float)) ** (1.0 / span) - 1.0
    bench = bench.where(total[start] > 0).rename("growth_benchmark").reset_index()
    out = out.assign(start_year=start, growth=growth).merge(bench, on=kind + [category],
                                                            how="left")
    out["growth_relative"] = out["growth"] - out["growth_benchmark"]
    out["lq_change"] = out[lq] - out["lq_start"]
    out["employment_change"] = out[value] - out["employment_start"]
    return out.reset_index(drop=True)


def top_clusters(portfolio: pd.DataFrame, *, region: str | None = None, n: int = 10,
                 by: str = "employment", traded_only: bool = True,
                 region_col: str = "region", cluster_type: str = "cluster_type") -> pd.DataFrame:
    """The ``n`` largest clusters of a region by ``by`` (employment, lq, growth, ...).

    Parameters
    ----------
    portfolio : pandas.DataFrame
        Output of :func:`cluster_portfolio` (or any region x cluster table).
    region : str, optional
        Keep this region only (default: rank within each region).
    n : int
        Rows per region.
    by : str
        Column to rank by, descending; ties keep the table order.
    traded_only : bool
        Keep traded clusters only (CMP ranks traded clusters; local clusters serve the
        local market and are everywhere). Ignored when ``cluster_type`` is absent.

    Returns
    -------
    pandas.DataFrame
        The selected rows with a ``rank`` column (1 = largest).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"region": ["A"] * 3, "cluster": ["x", "y", "z"],
    ...                   "employment": [5, 20, 10], "cluster_type": ["traded"] * 3})
    >>> top_clusters(p, n=2)[["cluster", "rank"]].to_dict("records")
    [{'cluster': 'y', 'rank': 1}, {'cluster': 'z', 'rank': 2}]
    """
    check_frame(portfolio, required=[region_col, by], numeric=[by], name="portfolio")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"n={n!r}: expected a positive whole number")
    data = portfolio
    if region is not None:
        if region not in set(data[region_col]):
            raise ParameterError(f"region {region!r} is not in the portfolio")
        data = data[data[region_col] == region]
    if traded_only and cluster_type in data.columns:
        data = data[data[cluster_type] == "traded"]
    data = data.sort_values([region_col, by], ascending=[True, False], kind="stable",
                            na_position="last")
    data = data.groupby(region_col, sort=False, observed=True).head(n)
    rank = data.groupby(region_col, sort=False, observed=True).cumcount() + 1
    return data.assign(rank=rank.to_numpy()).reset_index(drop=True)


def peer_comparison(table: pd.DataFrame, *, region: str, cluster: str, peers=None,
                    region_col: str = "region", category: str = "cluster",
                    value: str = "employment", year: str = "year", lq: str = "lq",
                    region_type: str | None = "region_type") -> pd.DataFrame:
    """One cluster in a region and its peer regions, year by year, with the region's rank.

    Parameters
    ----------
    table : pandas.DataFrame
        Region x cluster x year table with employment and ``lq``.
    region : str
        The region of interest.
    cluster : str
        The cluster (value of ``category``).
    peers : list of str, optional
        Peer regions; default every region of the same region type (``region_type`` column)
        or every region in the table.

    Returns
    -------
    pandas.DataFrame
        ``region, year, employment, lq`` (+ the table's other columns) for the region and its
        peers, with ``focus`` (True for the region of interest), ``rank_lq`` and
        ``rank_employment`` (1 = highest among the rows of that year) and ``n_regions``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["A", "B", "C"], "cluster": "x", "year": 2020,
    ...                   "employment": [10, 30, 20], "lq": [2.0, 1.0, 0.5]})
    >>> peer_comparison(t, region="A", cluster="x")[["region", "focus", "rank_lq"]].values.tolist()
    [['A', True, 1], ['B', False, 2], ['C', False, 3]]
    """
    check_frame(table, required=[region_col, category, year, value, lq], numeric=[value, lq],
                name="table")
    data = table[table[category] == cluster]
    if data.empty:
        raise ParameterError(f"cluster {cluster!r} is not in the table")
    if region not in set(data[region_col]):
        raise ParameterError(f"region {region!r} has no row for cluster {cluster!r}")
    if peers is None:
        if region_type and region_type in data.columns:
            kinds = set(data.loc[data[region_col] == region, region_type])
            data = data[data[region_type].isin(kinds)]
    else:
        peers = as_list(peers, argument="peers")
        unknown = sorted(set(peers) - set(data[region_col]))
        if unknown:
            raise ParameterError(f"peer regions not in the table: {', '.join(unknown)}")
        data = data[data[region_col].isin(set(peers) | {region})]
    data = data.copy()
    data["focus"] = data[region_col] == region
    grp = data.groupby(year, observed=True)
    data["rank_lq"] = grp[lq].rank(ascending=False, method="min").astype("Int64")
    data["rank_employment"] = grp[value].rank(ascending=False, method="min").astype("Int64")
    data["n_regions"] = grp[region_col].transform("nunique")
    return data.sort_values([year, "rank_lq", region_col]).reset_index(drop=True)


def resolve_focus(initiatives: pd.DataFrame, initiative: str, *, region: str | None = None,
                  cluster: str | None = None) -> tuple[str, str]:
    """The region and cluster a cluster initiative's mapping report is about.

    Explicit ``region``/``cluster`` win; otherwise they come from the initiative's row of the
    initiatives table (columns ``initiative, cluster, region``).

    Examples
    --------
    >>> import pandas as pd
    >>> ini = pd.DataFrame({"initiative": ["north"], "cluster": ["maritime"], "region": ["D01"]})
    >>> resolve_focus(ini, "north")
    ('D01', 'maritime')
    >>> resolve_focus(ini, "north", region="D07")
    ('D07', 'maritime')
    """
    if region is not None and cluster is not None:
        return region, cluster
    check_frame(initiatives, required=["initiative"], name="initiatives")
    row = initiatives[initiatives["initiative"] == initiative]
    if row.empty:
        raise ParameterError(
            f"initiative {initiative!r} is not in the initiatives table; set mapping_region "
            "and mapping_cluster in the parameter file")
    out = []
    for given, col in ((region, "region"), (cluster, "cluster")):
        if given is not None:
            out.append(given)
            continue
        if col not in row.columns or pd.isna(row[col].iloc[0]):
            raise DataValidationError(
                f"initiatives: no {col} for initiative {initiative!r}",
                problems=problem_frame([{"row": int(row.index[0]) + 1, "column": col,
                                         "expected": f"the initiative's {col}",
                                         "found": "missing"}]))
        out.append(str(row[col].iloc[0]))
    return out[0], out[1]


def _unknown(kind: str, value, known, key: str) -> ParameterError:
    known = sorted(map(str, known))
    close = difflib.get_close_matches(str(value), known, n=3)
    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return ParameterError(f"{key}: {kind} {value!r} is not in the data{hint}; known: {shown}")


def region_level(table: pd.DataFrame, *, region: str, cluster: str | None = None,
                 region_type: str | None = None, region_col: str = "region",
                 category: str = "cluster", type_col: str = "region_type") -> pd.DataFrame:
    """The rows of the region type a report compares, after checking the region and cluster.

    Parameters
    ----------
    table : pandas.DataFrame
        Region x cluster (x year) table over several region types (e.g. districts and the
        provinces above them, as :func:`~clusterlab.mapping.aggregate` returns them).
    region : str
        Region of interest; it must be in ``table``.
    cluster : str, optional
        Cluster of interest; when given it must be in ``table``.
    region_type : str, optional
        Region type to keep; default the type of ``region`` (all rows when the table has no
        ``region_type`` column).

    Returns
    -------
    pandas.DataFrame
        The rows of that region type.

    Raises
    ------
    ParameterError
        Region, cluster or region type not in the table, with the closest known values (the
        parameter file keys ``mapping_region``/``mapping_cluster``/``mapping_region_type`` are
        named, since that is where a user fixes them).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["D01", "D02", "P1"], "cluster": "x",
    ...                   "region_type": ["district", "district", "province"]})
    >>> region_level(t, region="D01")["region"].tolist()
    ['D01', 'D02']
    >>> try:
    ...     region_level(t, region="D1")
    ... except ParameterError as err:
    ...     print(err)
    mapping_region: region 'D1' is not in the data (did you mean 'D01'?); known: D01, D02, P1
    """
    check_frame(table, required=[region_col, category], name="table")
    if region not in set(table[region_col]):
        raise _unknown("region", region, table[region_col].unique(), "mapping_region")
    if cluster is not None and cluster not in set(table[category]):
        raise _unknown("cluster", cluster, table[category].unique(), "mapping_cluster")
    if type_col not in table.columns:
        return table
    if region_type is None:
        region_type = table.loc[table[region_col] == region, type_col].iloc[0]
    elif region_type not in set(table[type_col]):
        raise _unknown("region type", region_type, table[type_col].unique(),
                       "mapping_region_type")
    out = table[table[type_col] == region_type]
    if region not in set(out[region_col]):
        raise ParameterError(f"mapping_region_type: region {region!r} is not of type "
                             f"{region_type!r}")
    return out

