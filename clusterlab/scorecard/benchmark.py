"""Anonymous company benchmarking: one company's values against the distribution of its peers.

The peer statistics (quartiles, percentile rank) are built from the *other* companies only and
go through the disclosure rule of :mod:`clusterlab.publish` (minimum number of contributing
companies): a statistic built from too few peers is withheld, and no peer is ever named.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard import company_benchmark
>>> v = pd.DataFrame({"indicator": "trust_score", "entity": list("abcdef"),
...                   "period": "2021", "value": [4.0, 2.0, 3.0, 3.0, 5.0, 1.0]})
>>> b = company_benchmark(v, "a", catalogue="four_perspectives")
>>> cols = ["value", "n_peers", "peer_median", "percentile_rank", "position"]
>>> print(b[cols].to_string(index=False))
 value  n_peers  peer_median  percentile_rank     position
   4.0        5          3.0             80.0 top quartile
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterlab.errors import ParameterError
from clusterlab.scorecard.catalogue import load_catalogue
from clusterlab.scorecard.values import as_by, prepare_values

__all__ = ["company_benchmark", "percentile_rank", "BENCHMARK_COLUMNS"]

#: Columns of the benchmark table.
BENCHMARK_COLUMNS = [
    "company",
    "indicator",
    "indicator_name",
    "perspective",
    "unit",
    "direction",
    "period",
    "value",
    "n_peers",
    "min_peers",
    "peer_q1",
    "peer_median",
    "peer_q3",
    "percentile_rank",
    "position",
    "suppressed",
]


def percentile_rank(own: float, peers, direction: str = "higher") -> float:
    r"""Share of peers the company does better than, ties counting half, in percent.

    Parameters
    ----------
    own : float
        The company's value.
    peers : array-like of float
        The peers' values (the company not among them).
    direction : {"higher", "lower"}, default "higher"
        Whether higher or lower values are better.

    Returns
    -------
    float
        Percentile rank in 0–100.

    Notes
    -----
    :math:`PR = 100\,(B + E/2)/n` with :math:`B` the number of peers with a worse value
    (lower when higher is better), :math:`E` the number of equal values and :math:`n` the
    number of peers — ``scipy.stats.percentileofscore(kind="mean")`` for higher-is-better.

    Examples
    --------
    >>> percentile_rank(4.0, [2.0, 3.0, 3.0, 5.0, 1.0])
    80.0
    >>> percentile_rank(4.0, [2.0, 3.0, 3.0, 5.0, 1.0], "lower")
    20.0
    """
    peers = np.asarray(peers, dtype=float)
    peers = peers[~np.isnan(peers)]
    if peers.size == 0 or np.isnan(own):
        return float("nan")
    worse = (peers < own) if direction == "higher" else (peers > own)
    equal = peers == own
    return float(100.0 * (worse.sum() + 0.5 * equal.sum()) / peers.size)


def _position(pr: float) -> str:
    if np.isnan(pr):
        return "not available"
    if pr >= 75:
        return "top quartile"
    if pr >= 50:
        return "second quartile"
    if pr >= 25:
        return "third quartile"
    return "bottom quartile"


def company_benchmark(
    values: pd.DataFrame,
    company: str,
    *,
    catalogue="four_perspectives",
    period=None,
    by: str | Sequence[str] | None = None,
    min_peers: int | None = None,
    indicator: str = "indicator",
    entity: str = "entity",
    value: str = "value",
    period_col: str = "period",
) -> pd.DataFrame:
    r"""A company's position among its anonymous peers, indicator by indicator.

    Parameters
    ----------
    values : pandas.DataFrame
        Company-level indicator values (long format, as for
        :func:`aggregate_company_indicators`); only company indicators are used.
    company : str
        The ``entity`` id of the company being benchmarked.
    catalogue : str, path, DataFrame or Catalogue
        Supplies direction, names and units.
    period : str or int, optional
        One period; default every period.
    by : str or list of str, optional
        Peer-group columns (e.g. ``initiative``): peers are the companies sharing the
        company's values in these columns.
    min_peers : int, optional
        Minimum number of peers behind a published statistic. Default: the threshold of
        :func:`clusterlab.publish.protect` (the one place the rule lives).
    indicator, entity, value, period_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        :data:`BENCHMARK_COLUMNS`: the benchmarked ``company`` (its id, on every row), the
        company's own ``value``, the number of peers with a value ``n_peers``, the threshold
        ``min_peers`` that applied (on every row), the peers' quartiles (linear
        interpolation), the direction-aware percentile rank and its quartile ``position``.
        Rows with fewer peers than the threshold have the peer statistics withheld and
        ``suppressed`` true. No other company's id appears. (``attrs["company"]`` and
        ``attrs["min_peers"]`` still hold the same for one release; deprecated, because
        pandas drops ``attrs`` on copies: read the columns.)

    Raises
    ------
    ParameterError
        An unknown company (with close matches) or a bad ``min_peers``.
    DataValidationError
        Invalid values (see :func:`prepare_values`).

    Notes
    -----
    Percentile rank: see :func:`percentile_rank`. The company itself is not among its peers.
    Quartiles :math:`Q_1, Q_2, Q_3` of the peer values use numpy's default (linear)
    interpolation, i.e. type 7 of Hyndman & Fan (1996).

    References
    ----------
    .. [1] Hyndman, R.J. & Fan, Y. (1996). Sample quantiles in statistical packages.
       *The American Statistician* 50(4), 361-365.

    Examples
    --------
    >>> v = pd.DataFrame({"indicator": "satisfaction_score",
    ...                   "entity": ["me", "p1", "p2", "p3", "p4", "p5"], "period": "2021",
    ...                   "value": [4.0, 2.0, 3.0, 3.0, 5.0, 1.0]})
    >>> b = company_benchmark(v, "me", catalogue="balanced_scorecard")
    >>> float(b.loc[0, "percentile_rank"]), int(b.loc[0, "n_peers"])   # better than 4 of 5
    (80.0, 5)
    """
    from clusterlab.publish import protect

    if min_peers is not None and (
        isinstance(min_peers, bool) or not isinstance(min_peers, int | np.integer) or min_peers < 1
    ):
        raise ParameterError(f"min_peers must be a positive integer, got {min_peers!r}")
    by = as_by(by)
    cat = load_catalogue(catalogue)
    data, _ = prepare_values(
        values, cat, indicator=indicator, entity=entity, period=period_col, value=value, by=by
    )
    info = cat.indicators.set_index("indicator")
    data = data.loc[(data["indicator"].map(info["source"]) == "company").to_numpy()]
    company = str(company)
    if company not in set(data["entity"]):
        close = difflib.get_close_matches(company, sorted(data["entity"].unique()), n=3)
        raise ParameterError(
            f"company {company!r} has no company-indicator values"
            + (f"; did you mean {', '.join(close)}?" if close else "")
        )
    if period is not None:
        from clusterlab.scorecard.periods import parse_period

        label = parse_period(period).label
        data = data.loc[data["period"] == label]
        if data.empty or company not in set(data["entity"]):
            raise ParameterError(f"company {company!r} has no values for period {label}")
    own_rows = data.loc[data["entity"] == company]
    if by:
        groups = own_rows[by].drop_duplicates()
        if len(groups) > 1:
            raise ParameterError(
                f"company {company!r} appears in several peer groups "
                f"{groups.to_dict('records')}; filter the values first"
            )
        data = data.merge(groups, on=by)
    rows = []
    for (iid, per), g in data.groupby(["indicator", "period"], sort=False):
        own = g.loc[g["entity"] == company, "value"]
        if own.empty:
            continue
        x = float(own.iloc[0])
        peers = g.loc[(g["entity"] != company), "value"].dropna().to_numpy(float)
        meta = info.loc[iid]
        q = np.quantile(peers, [0.25, 0.5, 0.75]) if peers.size else [np.nan] * 3
        pr = percentile_rank(x, peers, meta["direction"])
        rows.append(
            {
                "indicator": iid,
                "indicator_name": meta["name"],
                "perspective": meta["perspective"],
                "unit": meta["unit"],
                "direction": meta["direction"],
                "period": per,
                "period_key": g["period_key"].iloc[0],
                "n_peers": int(peers.size),
                "peer_q1": float(q[0]),
                "peer_median": float(q[1]),
                "peer_q3": float(q[2]),
                "percentile_rank": pr,
                "position": _position(pr),
                "_own": x,
            }
        )
    table = pd.DataFrame(rows)
    order = {k: i for i, k in enumerate(cat.ids)}
    table = (
        table.assign(_o=table["indicator"].map(order))
        .sort_values(["_o", "period_key"], kind="stable")
        .drop(columns=["_o", "period_key"])
    )
    own_values = table.pop("_own").to_numpy()
    dims = ["indicator", "indicator_name", "perspective", "unit", "direction", "period"]
    protect_peers = functools.partial(
        protect,
        table.reset_index(drop=True),
        count_col="n_peers",
        dims=dims,
        margins=False,
        dominance=None,
        missing_count="suppress",
        name="company_benchmark",
    )
    # without min_peers, protect()'s own threshold applies (the one place the rule lives)
    protected = protect_peers() if min_peers is None else protect_peers(min_count=int(min_peers))
    out = protected.table
    # n_peers = 0 is an "empty cell" for protect(); with no peers there is nothing to compare
    empty = out["n_peers"].fillna(0).to_numpy() == 0
    out.loc[empty, "position"] = "not available"
    out["n_peers"] = table["n_peers"].to_numpy()  # a count of peers discloses nothing
    out.loc[out["suppressed"].to_numpy(bool), "position"] = "withheld (too few peers)"
    out.insert(out.columns.get_loc("n_peers"), "value", own_values)
    out["company"] = company
    out["min_peers"] = int(protected.rule["min_count"])
    # deprecated: attrs kept for one release for code that read them; use the column
    out.attrs["min_peers"] = protected.rule["min_count"]
    out.attrs["company"] = company
    return out[BENCHMARK_COLUMNS].reset_index(drop=True)
