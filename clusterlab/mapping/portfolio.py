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
import functools
import warnings
from typing import Any

import numpy as np
import pandas as pd

from clusterlab._deprecate import renamed_arguments
from clusterlab._validation import as_list, check_frame, problem_frame, user_stacklevel
from clusterlab.errors import ClusterlabFutureWarning, DataValidationError, ParameterError

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
            f"year {missing[0]} is not in the data; years present: {years[0]}-{years[-1]}"
        )
    if not start < end:
        raise ParameterError(f"start={start} must be before end={end}")
    return start, end


def cluster_portfolio(
    table: pd.DataFrame,
    *,
    start=None,
    end=None,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    year: str = "year",
    lq: str = "lq",
    region_type: str | None = "region_type",
) -> pd.DataFrame:
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
    check_frame(
        table,
        required=[region, category, year, value, lq],
        numeric=[value, lq],
        nonnegative=[value],
        unique=[region, category, year],
        name="table",
    )
    start, end = _years(table, year, start, end)
    keys = [region, category]
    kind = [region_type] if region_type and region_type in table.columns else []
    # the start-year establishment count travels with the start-year figures: it is what the
    # disclosure rule checks them against (results contract of cluster_portfolio)
    counts = ["establishments"] if "establishments" in table.columns else []
    first = table.loc[table[year] == start, keys + [value, lq] + counts].rename(
        columns={
            value: "employment_start",
            lq: "lq_start",
            "establishments": "establishments_start",
        }
    )
    out = table.loc[table[year] == end].merge(first, on=keys, how="left")
    span = end - start
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out[value].astype(float) / out["employment_start"].astype(float)
        growth = ratio ** (1.0 / span) - 1.0
    growth = growth.where(out["employment_start"] > 0)
    total = (
        table[table[year].isin([start, end])]
        .groupby(kind + [category, year], observed=True)[value]
        .sum()
        .unstack(year)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        bench = (total[end].astype(float) / total[start].astype(float)) ** (1.0 / span) - 1.0
    bench = bench.where(total[start] > 0).rename("growth_benchmark").reset_index()
    out = out.assign(start_year=start, growth=growth).merge(bench, on=kind + [category], how="left")
    out["growth_relative"] = out["growth"] - out["growth_benchmark"]
    out["lq_change"] = out[lq] - out["lq_start"]
    out["employment_change"] = out[value] - out["employment_start"]
    return out.reset_index(drop=True)


def _region_column_renamed(func):
    """``region_col=`` (the column, before 0.2) is ``region=``, kept for one release.

    Old calls gave the region *code* in ``region=`` and its column in ``region_col=``; when both
    are given, ``region=`` is the code, so it becomes ``focus=``. (Not
    :func:`~clusterlab._deprecate.renamed_arguments`: that one treats ``region_col=`` with
    ``region=`` as the same argument given twice.)
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "region_col" not in kwargs:
            return func(*args, **kwargs)
        column = kwargs.pop("region_col")
        if "region" in kwargs:
            if "focus" in kwargs:
                raise ParameterError(
                    f"{func.__name__}() got region_col=, region= and focus=: "
                    f"give focus= (the code) and region= (the column)"
                )
            code = kwargs.pop("region")
            warnings.warn(
                f"{func.__name__}(region={code!r}, region_col={column!r}) is renamed: "
                f"use focus={code!r}, region={column!r}; the old names go after 0.2",
                ClusterlabFutureWarning,
                stacklevel=user_stacklevel(),
            )
            kwargs["focus"] = code
        else:
            warnings.warn(
                f"{func.__name__}(region_col=...) is renamed: use region=; the old "
                f"name goes after 0.2",
                ClusterlabFutureWarning,
                stacklevel=user_stacklevel(),
            )
        kwargs["region"] = column
        return func(*args, **kwargs)

    vars(wrapper)["__renamed_arguments__"] = {"region_col": "region"}
    return wrapper


def _region_and_focus(
    func: str,
    table: pd.DataFrame,
    region,
    focus,
    *,
    key: str | None = None,
    codes_needed: bool = True,
) -> tuple[str, Any]:
    """Read ``region=`` as a column name and ``focus=`` as a code, accepting old calls.

    Before 0.2 ``region=`` held a region *code*. A value that is not a column of ``table`` but
    is a code of its ``"region"`` column is taken as ``focus`` with a
    :class:`~clusterlab.errors.ClusterlabFutureWarning`. A value that names a column is always a
    column (new meaning), also when it is a region code too; then a warning says how to pass the
    code. Anything else is a :class:`~clusterlab.errors.ParameterError`.
    """
    if not isinstance(region, str):
        raise ParameterError(
            f"{func}: region={region!r}: expected the name of the region column "
            f"(a region code goes in focus=)"
        )
    default = "region"
    codes = set(table[default]) if default in table.columns else set()
    if region in table.columns:
        if region != default and region in codes and focus is None:
            warnings.warn(
                f"{func}: region={region!r} is read as the column {region!r}; it is "
                f"also a region code in column {default!r}: for the code pass "
                f"focus={region!r}",
                ClusterlabFutureWarning,
                stacklevel=user_stacklevel(),
            )
        return region, focus
    if focus is None and (region in codes or not codes_needed):
        warnings.warn(
            f"{func}(region={region!r}): a region code is now focus={region!r}; "
            f"region= names the region column. The old spelling goes after 0.2",
            ClusterlabFutureWarning,
            stacklevel=user_stacklevel(),
        )
        return default, region
    if focus is None and key is not None and codes:
        raise _unknown("region", region, codes, key)
    raise ParameterError(
        f"{func}: region={region!r} is neither a column of the table nor a region code in its "
        f"{default!r} column; region= names the region column, focus= takes a region code"
    )


@renamed_arguments(by="rank_by")
@_region_column_renamed
def top_clusters(
    portfolio: pd.DataFrame,
    *,
    focus: str | None = None,
    n: int = 10,
    rank_by: str = "employment",
    traded_only: bool = True,
    region: str = "region",
    cluster_type: str = "cluster_type",
) -> pd.DataFrame:
    """The ``n`` largest clusters of each region, or of the ``focus`` region, by ``rank_by``.

    Parameters
    ----------
    portfolio : pandas.DataFrame
        Output of :func:`cluster_portfolio` (or any region x cluster table).
    focus : str, optional
        Code of the one region to keep (default: rank within each region). Before 0.2 this was
        ``region=``; such a call still works for one release, with a
        :class:`~clusterlab.errors.ClusterlabFutureWarning`.
    n : int, default 10
        Rows per region.
    rank_by : str, default "employment"
        Column to rank by (employment, lq, growth, ...), descending; ties keep the table order.
        Replaces ``by=`` (kept for one release, with a warning).
    traded_only : bool, default True
        Keep traded clusters only (CMP ranks traded clusters; local clusters serve the
        local market and are everywhere). Ignored when ``cluster_type`` is absent.
    region : str, default "region"
        Column of the region codes. Replaces ``region_col=`` (kept for one release). A value
        that is not a column but a code of the ``"region"`` column is read as ``focus`` (old
        call); a value that is a column is always the column, also when it is a region code
        too (a warning then names ``focus=``).
    cluster_type : str, default "cluster_type"
        Column of the cluster type (``traded``/``local``).

    Returns
    -------
    pandas.DataFrame
        The selected rows (all columns of ``portfolio``) with a ``rank`` column (1 = largest),
        sorted by region, then rank.

    Raises
    ------
    DataValidationError
        Missing columns or a non-numeric ``rank_by`` column.
    ParameterError
        ``n`` not a positive whole number, ``focus`` not in the table, ``region`` neither a
        column nor a region code.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"region": ["A"] * 3 + ["B"], "cluster": ["x", "y", "z", "x"],
    ...                   "employment": [5, 20, 10, 7], "cluster_type": ["traded"] * 4})
    >>> top_clusters(p, n=2)[["region", "cluster", "rank"]].values.tolist()
    [['A', 'y', 1], ['A', 'z', 2], ['B', 'x', 1]]
    >>> top_clusters(p, focus="B")[["cluster", "rank"]].to_dict("records")
    [{'cluster': 'x', 'rank': 1}]
    """
    region, focus = _region_and_focus("top_clusters", portfolio, region, focus)
    check_frame(portfolio, required=[region, rank_by], numeric=[rank_by], name="portfolio")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"n={n!r}: expected a positive whole number")
    data = portfolio
    if focus is not None:
        if focus not in set(data[region]):
            raise ParameterError(f"region {focus!r} is not in the portfolio")
        data = data[data[region] == focus]
    if traded_only and cluster_type in data.columns:
        data = data[data[cluster_type] == "traded"]
    data = data.sort_values(
        [region, rank_by], ascending=[True, False], kind="stable", na_position="last"
    )
    data = data.groupby(region, sort=False, observed=True).head(n)
    rank = data.groupby(region, sort=False, observed=True).cumcount() + 1
    return data.assign(rank=rank.to_numpy()).reset_index(drop=True)


@_region_column_renamed
def peer_comparison(
    table: pd.DataFrame,
    *,
    focus: str | None = None,
    cluster: str,
    peers=None,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    year: str = "year",
    lq: str = "lq",
    region_type: str | None = "region_type",
) -> pd.DataFrame:
    """One cluster in the focus region and its peer regions, year by year, with ranks.

    Parameters
    ----------
    table : pandas.DataFrame
        Region x cluster x year table with employment and ``lq``.
    focus : str
        Code of the region of interest (required). Before 0.2 this was ``region=``; such a
        call still works for one release, with a warning.
    cluster : str
        The cluster (value of ``category``).
    peers : list of str, optional
        Peer regions; default every region of the same region type (``region_type`` column)
        or every region in the table.
    region : str, default "region"
        Column of the region codes. Replaces ``region_col=`` (kept for one release).
    category : str, default "cluster"
        Column of the cluster ids.
    value : str, default "employment"
        Column of the employment.
    year : str, default "year"
        Column of the year.
    lq : str, default "lq"
        Column of the location quotient.
    region_type : str or None, default "region_type"
        Column of the region type (peers are regions of the focus region's type); ignored
        when absent or None.

    Returns
    -------
    pandas.DataFrame
        ``region, year, employment, lq`` (+ the table's other columns) for the focus region
        and its peers, with ``focus`` (True for the region of interest), ``rank_lq`` and
        ``rank_employment`` (1 = highest among the rows of that year) and ``n_regions``.

    Raises
    ------
    DataValidationError
        Missing or non-numeric columns.
    ParameterError
        No ``focus``, or ``focus``, ``cluster`` or a peer not in the table.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["A", "B", "C"], "cluster": "x", "year": 2020,
    ...                   "employment": [10, 30, 20], "lq": [2.0, 1.0, 0.5]})
    >>> peer_comparison(t, focus="A", cluster="x")[["region", "focus", "rank_lq"]].values.tolist()
    [['A', True, 1], ['B', False, 2], ['C', False, 3]]
    """
    region, focus = _region_and_focus("peer_comparison", table, region, focus)
    if focus is None:
        raise ParameterError(
            "peer_comparison: focus= (the code of the region of interest) is required"
        )
    check_frame(
        table, required=[region, category, year, value, lq], numeric=[value, lq], name="table"
    )
    data = table[table[category] == cluster]
    if data.empty:
        raise ParameterError(f"cluster {cluster!r} is not in the table")
    if focus not in set(data[region]):
        raise ParameterError(f"region {focus!r} has no row for cluster {cluster!r}")
    if peers is None:
        if region_type and region_type in data.columns:
            kinds = set(data.loc[data[region] == focus, region_type])
            data = data[data[region_type].isin(kinds)]
    else:
        peers = as_list(peers, argument="peers")
        unknown = sorted(set(peers) - set(data[region]))
        if unknown:
            raise ParameterError(f"peer regions not in the table: {', '.join(unknown)}")
        data = data[data[region].isin(set(peers) | {focus})]
    data = data.copy()
    data["focus"] = data[region] == focus
    grp = data.groupby(year, observed=True)
    data["rank_lq"] = grp[lq].rank(ascending=False, method="min").astype("Int64")
    data["rank_employment"] = grp[value].rank(ascending=False, method="min").astype("Int64")
    data["n_regions"] = grp[region].transform("nunique")
    return data.sort_values([year, "rank_lq", region]).reset_index(drop=True)


@_region_column_renamed
def resolve_focus(
    initiatives: pd.DataFrame,
    initiative: str,
    *,
    focus: str | None = None,
    cluster: str | None = None,
    region: str = "region",
) -> tuple[str, str]:
    """The region code and cluster a cluster initiative's mapping report is about.

    Parameters
    ----------
    initiatives : pandas.DataFrame
        The initiatives table (columns ``initiative, cluster`` and the region column).
    initiative : str
        The initiative's id.
    focus : str, optional
        Region code to use instead of the initiative's own (the ``mapping_region`` parameter).
        Before 0.2 this was ``region=``; a ``region=`` value that is not a column of
        ``initiatives`` is still read as the code for one release, with a warning.
    cluster : str, optional
        Cluster to use instead of the initiative's own (``mapping_cluster``).
    region : str, default "region"
        Column of ``initiatives`` with the initiative's region code.

    Returns
    -------
    (str, str)
        The region code and the cluster. Explicit ``focus``/``cluster`` win; otherwise they
        come from the initiative's row.

    Raises
    ------
    ParameterError
        The initiative is not in the table (and ``focus``/``cluster`` are not both given).
    DataValidationError
        The initiative's row lacks the region or cluster.

    Examples
    --------
    >>> import pandas as pd
    >>> ini = pd.DataFrame({"initiative": ["north"], "cluster": ["maritime"], "region": ["D01"]})
    >>> resolve_focus(ini, "north")
    ('D01', 'maritime')
    >>> resolve_focus(ini, "north", focus="D07")
    ('D07', 'maritime')
    """
    region, focus = _region_and_focus(
        "resolve_focus", initiatives, region, focus, codes_needed=False
    )
    if focus is not None and cluster is not None:
        return focus, cluster
    check_frame(initiatives, required=["initiative"], name="initiatives")
    row = initiatives[initiatives["initiative"] == initiative]
    if row.empty:
        raise ParameterError(
            f"initiative {initiative!r} is not in the initiatives table; set mapping_region "
            "and mapping_cluster in the parameter file"
        )
    out = []
    for given, col in ((focus, region), (cluster, "cluster")):
        if given is not None:
            out.append(given)
            continue
        if col not in row.columns or pd.isna(row[col].iloc[0]):
            raise DataValidationError(
                f"initiatives: no {col} for initiative {initiative!r}",
                problems=problem_frame(
                    [
                        {
                            "row": int(row.index[0]) + 1,
                            "column": col,
                            "expected": f"the initiative's {col}",
                            "found": "missing",
                        }
                    ]
                ),
            )
        out.append(str(row[col].iloc[0]))
    return out[0], out[1]


def _unknown(kind: str, value, known, key: str) -> ParameterError:
    known = sorted(map(str, known))
    close = difflib.get_close_matches(str(value), known, n=3)
    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return ParameterError(f"{key}: {kind} {value!r} is not in the data{hint}; known: {shown}")


@_region_column_renamed
def region_level(
    table: pd.DataFrame,
    *,
    focus: str | None = None,
    cluster: str | None = None,
    region_type: str | None = None,
    region: str = "region",
    category: str = "cluster",
    type_col: str = "region_type",
) -> pd.DataFrame:
    """The rows of the region type a report compares, after checking the region and cluster.

    Parameters
    ----------
    table : pandas.DataFrame
        Region x cluster (x year) table over several region types (e.g. districts and the
        provinces above them, as :func:`~clusterlab.mapping.aggregate` returns them).
    focus : str
        Code of the region of interest (required); it must be in ``table``. Before 0.2 this
        was ``region=``; such a call still works for one release, with a warning.
    cluster : str, optional
        Cluster of interest; when given it must be in ``table``.
    region_type : str, optional
        Region type to keep; default the type of ``focus`` (all rows when the table has no
        ``type_col`` column).
    region : str, default "region"
        Column of the region codes. Replaces ``region_col=`` (kept for one release).
    category : str, default "cluster"
        Column of the cluster ids.
    type_col : str, default "region_type"
        Column of the region type.

    Returns
    -------
    pandas.DataFrame
        The rows of that region type (all columns of ``table``).

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
    >>> region_level(t, focus="D01")["region"].tolist()
    ['D01', 'D02']
    >>> try:
    ...     region_level(t, focus="D1")
    ... except ParameterError as err:
    ...     print(err)
    mapping_region: region 'D1' is not in the data (did you mean 'D01'?); known: D01, D02, P1
    """
    region, focus = _region_and_focus("region_level", table, region, focus, key="mapping_region")
    if focus is None:
        raise ParameterError(
            "region_level: focus= (the code of the region of interest) is required"
        )
    check_frame(table, required=[region, category], name="table")
    if focus not in set(table[region]):
        raise _unknown("region", focus, table[region].unique(), "mapping_region")
    if cluster is not None and cluster not in set(table[category]):
        raise _unknown("cluster", cluster, table[category].unique(), "mapping_cluster")
    if type_col not in table.columns:
        return table
    if region_type is None:
        region_type = table.loc[table[region] == focus, type_col].iloc[0]
    elif region_type not in set(table[type_col]):
        raise _unknown("region type", region_type, table[type_col].unique(), "mapping_region_type")
    out = table[table[type_col] == region_type]
    if focus not in set(out[region]):
        raise ParameterError(
            f"mapping_region_type: region {focus!r} is not of type {region_type!r}"
        )
    return out
