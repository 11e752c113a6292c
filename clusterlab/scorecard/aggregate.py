"""From company submissions to cluster values: weighted company aggregation with reporting
coverage; governance and external values pass through.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard import aggregate_company_indicators
>>> v = pd.DataFrame({
...     "indicator": ["rd_intensity"] * 3 + ["members"],
...     "entity": ["f1", "f2", "f3", "ci"], "period": ["2020"] * 4,
...     "value": [1.0, 4.0, None, 25.0], "employment": [30.0, 10.0, 50.0, None]})
>>> out = aggregate_company_indicators(v, "four_perspectives")
>>> row = out.set_index("indicator").loc["rd_intensity"]
>>> float(row["value"]), int(row["n_reporting"]), round(float(row["coverage"]), 3)
(1.75, 2, 0.667)
>>> float(out.set_index("indicator").loc["members", "value"])
25.0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal, overload

import numpy as np
import pandas as pd

from clusterlab._stats import weighted_mean
from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError
from clusterlab.scorecard.catalogue import load_catalogue
from clusterlab.scorecard.periods import parse_period
from clusterlab.scorecard.values import (
    MissingWeightWarning,
    OutsidePopulationWarning,
    as_by,
    prepare_values,
)

__all__ = [
    "aggregate_company_indicators",
    "member_population",
    "weighted_mean",
    "AGGREGATED_COLUMNS",
]

#: Columns of the aggregated table (after any ``by`` columns).
AGGREGATED_COLUMNS = [
    "indicator",
    "period",
    "value",
    "n_reporting",
    "n_expected",
    "coverage",
    "source",
    "catalogue",
]


def member_population(
    firms: pd.DataFrame,
    periods: Sequence,
    *,
    firm: str = "firm",
    member: str = "member",
    join: str | None = "join_year",
    by: str | Sequence[str] | None = None,
    initiative: str | None = None,
) -> pd.DataFrame:
    """Companies expected to report in each period: members that had joined by then.

    Parameters
    ----------
    firms : pandas.DataFrame
        Firm register with a member flag and (optionally) the year a firm joined.
    periods : sequence
        Period labels (``2020``, ``2020-Q1`` …); a firm is expected from the year it joined.
    firm, member, join : str
        Column names (``join=None``: every member expected in every period).
    by : str or list of str, optional
        Grouping columns to carry (e.g. ``initiative``).
    initiative : str, optional
        Keep the firms of this initiative (needs an ``initiative`` column).

    Returns
    -------
    pandas.DataFrame
        ``[by…], entity, period`` — pass as ``population=`` to
        :func:`aggregate_company_indicators`.

    Examples
    --------
    >>> f = pd.DataFrame({"firm": ["a", "b", "c"], "member": [True, True, False],
    ...                   "join_year": [2018, 2020, None]})
    >>> member_population(f, [2019, 2020]).values.tolist()
    [['a', '2019'], ['a', '2020'], ['b', '2020']]
    """
    by = as_by(by)
    req = [firm, member] + ([join] if join else []) + by
    check_frame(firms, required=req, no_missing=[firm], name="firms")
    if initiative is not None:
        check_frame(firms, required=["initiative"], name="firms")
        firms = firms.loc[(firms["initiative"].astype(str) == str(initiative)).to_numpy()]
    flag = firms[member].map(lambda v: str(v).strip().lower() in ("1", "true", "yes", "1.0"))
    members = firms.loc[flag.to_numpy()]
    rows = []
    parsed = [parse_period(p) for p in periods]
    for p in parsed:
        if join:
            joined = pd.to_numeric(members[join], errors="coerce")
            ok = joined.isna() | (joined <= p.year)
            sel = members.loc[ok.to_numpy()]
        else:
            sel = members
        part = sel[by + [firm]].rename(columns={firm: "entity"}).assign(period=p.label)
        rows.append(part)
    out = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame(columns=by + ["entity", "period"])
    )
    out["entity"] = out["entity"].astype(str)
    return out.sort_values(by + ["entity"], kind="stable").reset_index(drop=True)


def _population_sets(population, company, by, periods):
    """{(by…, period): set(entities)} of companies expected to report."""
    if population is None:
        grp = company.groupby(by + ["period"], sort=False)["entity"]
        return {k if isinstance(k, tuple) else (k,): set(v) for k, v in grp.unique().items()}
    pop = population
    if isinstance(pop, pd.Series | list | tuple | set | np.ndarray):
        pop = pd.DataFrame({"entity": list(pop)})
    check_frame(
        pop,
        required=["entity"] + [b for b in by if b in pop.columns],
        no_missing=["entity"],
        name="population",
    )
    pop = pop.copy()
    pop["entity"] = pop["entity"].astype(str)
    if "period" in pop.columns:
        pop["period"] = pop["period"].map(lambda p: parse_period(p).label)
    else:
        pop = pop.merge(pd.DataFrame({"period": periods}), how="cross")
    missing_by = [b for b in by if b not in pop.columns]
    if missing_by:
        keys = company[missing_by].drop_duplicates()
        pop = pop.merge(keys, how="cross")
    grp = pop.groupby(by + ["period"], sort=False)["entity"]
    return {k if isinstance(k, tuple) else (k,): set(v) for k, v in grp.unique().items()}


@overload
def aggregate_company_indicators(
    values: pd.DataFrame,
    catalogue=...,
    *,
    by: str | Sequence[str] | None = ...,
    population: pd.DataFrame | None = ...,
    indicator: str = ...,
    entity: str = ...,
    period: str = ...,
    value: str = ...,
    submitted: str | None = ...,
    unknown: str = ...,
    missing_weight: str = ...,
    return_replaced: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def aggregate_company_indicators(
    values: pd.DataFrame,
    catalogue=...,
    *,
    by: str | Sequence[str] | None = ...,
    population: pd.DataFrame | None = ...,
    indicator: str = ...,
    entity: str = ...,
    period: str = ...,
    value: str = ...,
    submitted: str | None = ...,
    unknown: str = ...,
    missing_weight: str = ...,
    return_replaced: Literal[True],
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def aggregate_company_indicators(
    values: pd.DataFrame,
    catalogue="four_perspectives",
    *,
    by: str | Sequence[str] | None = None,
    population: pd.DataFrame | None = None,
    indicator: str = "indicator",
    entity: str = "entity",
    period: str = "period",
    value: str = "value",
    submitted: str | None = None,
    unknown: str = "raise",
    missing_weight: str = "raise",
    return_replaced: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    r"""Turn indicator values into cluster values: weighted company means plus pass-through.

    Company indicators (``source: company``) become one cluster value per period: the mean
    of the reporting companies' values, weighted by the column the catalogue names in
    ``weight_by`` (unweighted when empty), or their median or sum when the catalogue says so.
    Governance and external indicators are single values per period and pass through.

    Parameters
    ----------
    values : pandas.DataFrame
        Long format: ``indicator, entity, period, value`` plus the weight columns the
        catalogue names (e.g. ``employment``). A missing ``value`` is a company that did not
        report (it still counts as expected).
    catalogue : str, path, DataFrame or Catalogue
        See :func:`clusterlab.scorecard.load_catalogue`.
    by : str or list of str, optional
        Grouping columns (e.g. ``initiative``) aggregated separately.
    population : pandas.DataFrame, optional
        Companies expected to report: ``entity`` with optional ``period`` and ``by``
        columns (see :func:`member_population`). Default: every company with a row in that
        period. Values from companies outside it are left out with an
        :class:`OutsidePopulationWarning`.
    indicator, entity, period, value : str
        Column names in ``values``.
    submitted : str, optional
        Submission time column used to keep the latest of duplicate submissions.
    unknown : {"raise", "drop"}
        Values for indicators the catalogue lacks: error (default) or drop with a warning.
    missing_weight : {"raise", "drop"}
        A company value without its weight: error (default) or drop with a warning.
    return_replaced : bool, default False
        Also return the duplicate submissions that a later one replaced.

    Returns
    -------
    aggregated : pandas.DataFrame
        ``[by…], indicator, period, value, n_reporting, n_expected, coverage, source,
        catalogue``, one row per catalogue indicator and period seen in the data (a period
        with no report gives a missing value and coverage 0). ``n_reporting`` and
        ``n_expected`` are empty for pass-through indicators; ``catalogue`` is the name of
        the catalogue used, on every row.
    replaced : pandas.DataFrame
        Only with ``return_replaced=True``: the replaced duplicate submissions (also listed
        by the :class:`DuplicateSubmissionWarning`), with the canonical columns ``indicator,
        entity, period, value``, the other input columns, ``period_key`` and ``row`` (its
        1-based position in ``values``); no rows when there were none.

        (``attrs["catalogue"]`` of ``aggregated`` still holds the catalogue's name for one
        release; deprecated, because pandas drops ``attrs`` on copies: use the column. The
        former ``attrs["replaced"]`` is gone: a table in ``attrs`` made ``pandas.concat`` and
        ``merge`` of two aggregated tables fail; use ``return_replaced=True``.)

    Raises
    ------
    DataValidationError
        Unknown indicators, unreadable periods or periods of the wrong frequency, a weight
        column that is absent, non-numeric, negative or infinite, reporting companies whose
        weights all are 0, a missing weight
        (``missing_weight="raise"``), or several values for one governance/external
        indicator and period within a group.

    Notes
    -----
    For a company indicator :math:`k` in period :math:`t` with reporting companies
    :math:`R_{kt}` (value and weight present) among the expected companies :math:`E_t`:

    .. math::

        \bar x_{kt} = \frac{\sum_{i \in R_{kt}} w_{it} x_{ikt}}{\sum_{i \in R_{kt}} w_{it}},
        \qquad \text{coverage}_{kt} = \frac{|R_{kt}|}{|E_t|}.

    The weighted mean of turnover per employee weighted by employees equals total turnover
    divided by total employees — the cluster's own labour productivity. Non-reporting
    companies are not imputed: the mean describes the reporting companies only, which is
    why the coverage is shown next to it.

    References
    ----------
    .. [1] Carpinetti, L.C.R., Galdámez, E.V.C. & Gerolamo, M.C. (2008). A measurement
       system for managing performance of industrial clusters. *International Journal of
       Productivity and Performance Management* 57(5), 405-419.

    Examples
    --------
    >>> v = pd.DataFrame({"indicator": ["labour_productivity"] * 2, "entity": ["a", "b"],
    ...                   "period": [2021, 2021], "value": [100.0, 200.0],
    ...                   "employment": [3.0, 1.0]})
    >>> aggregate_company_indicators(v, "four_perspectives").query(
    ...     "indicator == 'labour_productivity'")["value"].item()
    125.0

    A second submission of company ``a`` replaces its first one:

    >>> import warnings
    >>> from clusterlab.scorecard import DuplicateSubmissionWarning
    >>> twice = pd.concat([v, v.head(1).assign(value=300.0)], ignore_index=True)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DuplicateSubmissionWarning)
    ...     out, replaced = aggregate_company_indicators(
    ...         twice, "four_perspectives", return_replaced=True)
    >>> replaced[["entity", "value", "row"]].values.tolist()
    [['a', 100.0, 1]]
    >>> out["catalogue"].unique().tolist()
    ['four_perspectives']
    """
    check_choice(missing_weight, ["raise", "drop"], argument="missing_weight")
    by = as_by(by)
    cat = load_catalogue(catalogue)
    if isinstance(values, pd.DataFrame):  # remember each value's row for errors
        values = values.assign(_row=np.arange(1, len(values) + 1))
    data, replaced = prepare_values(
        values,
        cat,
        indicator=indicator,
        entity=entity,
        period=period,
        value=value,
        submitted=submitted,
        unknown=unknown,
        by=by,
    )
    info = cat.indicators.set_index("indicator")
    is_company = (data["indicator"].map(info["source"]) == "company").to_numpy()
    company = data.loc[is_company].copy()
    passing = data.loc[~is_company].copy()
    needed = _check_weight_columns(company, values, info, indicator)
    company = _attach_weights(company, needed, info, missing_weight)
    expected = _population_sets(population, company, by, sorted(data["period"].unique()))
    rows, outside, zero_weight, multi = _aggregate_grid(
        _indicator_period_grid(data, cat, by),
        company,
        passing,
        info,
        expected,
        by,
        restrict=population is not None,
    )
    _raise_zero_weight(zero_weight, by)
    _raise_several_pass_through_values(multi, by)
    _warn_outside_population(outside)
    out = _tidy_aggregated(rows, by, cat)
    out["catalogue"] = pd.Series(cat.name, index=out.index, dtype=object)
    replaced = replaced.drop(columns="_row", errors="ignore")
    # deprecated: attrs kept for one release for code that read them; use the column.
    # (Never a table in attrs: pandas compares attrs on concat/merge and a DataFrame there
    # makes both raise.)
    out.attrs["catalogue"] = cat.name
    if return_replaced:
        return out, replaced
    return out


def _weight_users(company: pd.DataFrame, info: pd.DataFrame, weight: str) -> list[str]:
    """The company indicators in ``company`` that the catalogue weights by ``weight``."""
    return sorted(
        i
        for i in company["indicator"].unique()
        if pd.notna(info.at[i, "weight_by"]) and str(info.at[i, "weight_by"]) == weight
    )


def _check_weight_columns(company, values, info, indicator) -> list[str]:
    """The weight columns the catalogue names for ``company``'s indicators, checked present,
    numeric, non-negative and finite (rows named as the caller's rows)."""
    needed = sorted(
        {
            str(info.at[i, "weight_by"])
            for i in company["indicator"].unique()
            if pd.notna(info.at[i, "weight_by"])
        }
    )
    if not needed:
        return needed
    absent = [w for w in needed if w not in company.columns]
    if absent:
        available = ", ".join(str(c) for c in values.columns if c != "_row")
        raise DataValidationError(
            f"values: weight column(s) {absent} named by the catalogue are missing",
            problem_frame(
                [
                    {
                        "file": "values",
                        "column": w,
                        "expected": "weight column for "
                        + ", ".join(_weight_users(company, info, w)),
                        "found": "missing; available: " + available,
                    }
                    for w in absent
                ]
            ),
        )
    check_frame(company, numeric=needed, nonnegative=needed, name="values")
    uses = values[indicator].astype(str).map(info["weight_by"])
    infinite = [
        (int(r) + 1, w)
        for w in needed
        for r in np.flatnonzero(
            uses.eq(w).fillna(False).to_numpy(bool)
            & np.isinf(pd.to_numeric(values[w], errors="coerce").to_numpy(float))
        )
    ]
    if infinite:
        raise DataValidationError(
            f"values: {len(infinite)} infinite weight(s)",
            problem_frame(
                [
                    {
                        "file": "values",
                        "row": r,
                        "column": w,
                        "expected": "a finite weight >= 0",
                        "found": "inf",
                    }
                    for r, w in infinite[:200]
                ]
            ),
        )
    return needed


def _attach_weights(company, needed, info, missing_weight) -> pd.DataFrame:
    """Add ``_w`` (each value's weight, 1 when unweighted) and ``_reports`` (a value with its
    weight); a value without its weight is an error or left out with a warning."""
    company = company.copy()
    company["_w"] = 1.0
    for w in needed:
        rows = (company["indicator"].map(info["weight_by"]) == w).fillna(False).to_numpy(bool)
        company.loc[rows, "_w"] = company.loc[rows, w].astype(float)
    has_value = company["value"].notna()
    no_weight = has_value & company["_w"].isna()
    if no_weight.any():
        bad = company.loc[no_weight]
        if missing_weight == "raise":
            raise DataValidationError(
                f"values: {int(no_weight.sum())} company value(s) without their weight",
                problem_frame(
                    [
                        {
                            "file": "values",
                            "row": int(r["_row"]),
                            "column": info.at[r["indicator"], "weight_by"],
                            "expected": f"the weight of {r['entity']} for {r['indicator']} "
                            f"in {r['period']}",
                            "found": "missing",
                        }
                        for r in bad.head(200).to_dict("records")
                    ]
                ),
            )
        warnings.warn(
            f"values: {len(bad)} company value(s) without weight left out: "
            + ", ".join(f"{r.entity}/{r.indicator}/{r.period}" for r in bad.head(10).itertuples()),
            MissingWeightWarning,
            stacklevel=3,
        )
    company["_reports"] = has_value & ~no_weight
    return company


def _indicator_period_grid(data, cat, by) -> pd.DataFrame:
    """Every catalogue indicator x the periods of its frequency seen in each group:
    ``[by…], period, period_key, indicator, source``."""
    periods = data[by + ["period", "period_key"]].drop_duplicates()
    periods["_freq"] = periods["period"].map(lambda p: parse_period(p).frequency)
    return periods.merge(
        cat.indicators[["indicator", "frequency", "source"]], left_on="_freq", right_on="frequency"
    ).drop(columns=["_freq", "frequency"])


def _groups(frame, keys) -> dict:
    """{key tuple: rows} of ``frame`` grouped by ``keys``."""
    return {k if isinstance(k, tuple) else (k,): g for k, g in frame.groupby(keys, sort=False)}


def _summarise_company_values(rep, aggregation, weight_by, key, zero_weight) -> float:
    """The cluster value of the reporting companies ``rep``: weighted mean, median or sum.
    A weighted mean whose weights are all 0 is recorded in ``zero_weight``."""
    x = rep["value"].to_numpy(float)
    if aggregation == "mean":
        w = rep["_w"].to_numpy(float)
        if x.size and w.sum() <= 0:
            zero_weight.append((key, weight_by, sorted(rep["entity"].astype(str))))
        return weighted_mean(x, w)
    if not x.size:
        return float("nan")
    return float(np.median(x)) if aggregation == "median" else float(x.sum())


def _aggregate_grid(grid, company, passing, info, expected, by, *, restrict):
    """One output row per grid cell; returns ``(rows, outside, zero_weight, multi)`` with the
    values from outside the population and the cells that are errors."""
    comp_groups = _groups(company, by + ["indicator", "period"])
    pass_groups = _groups(passing, by + ["indicator", "period"])
    rows: list[dict] = []
    outside: list = []
    zero_weight: list = []
    multi: list = []
    for r in (row._asdict() for row in grid.itertuples(index=False)):
        gkey = tuple(r[b] for b in by)
        key = gkey + (r["indicator"], r["period"])
        head = {
            **{b: r[b] for b in by},
            "indicator": r["indicator"],
            "period": r["period"],
            "period_key": r["period_key"],
        }
        if r["source"] == "company":
            exp = expected.get(gkey + (r["period"],), set())
            g = comp_groups.get(key, company.iloc[0:0])
            rep = g.loc[g["_reports"].to_numpy()]
            if restrict:
                inside = rep["entity"].isin(exp).to_numpy()
                if not inside.all():
                    outside.append(rep.loc[~inside])
                rep = rep.loc[inside]
            val = _summarise_company_values(
                rep,
                info.at[r["indicator"], "aggregation"],
                info.at[r["indicator"], "weight_by"],
                key,
                zero_weight,
            )
            rows.append(
                {
                    **head,
                    "value": val,
                    "n_reporting": len(rep),
                    "n_expected": len(exp),
                    "coverage": len(rep) / len(exp) if exp else float("nan"),
                    "source": "company",
                }
            )
        else:
            g = pass_groups.get(key)
            vals = g.dropna(subset=["value"]) if g is not None else passing.iloc[0:0]
            if len(vals) > 1:
                multi.append((key, sorted(vals["entity"].astype(str))))
            one = len(vals) == 1
            rows.append(
                {
                    **head,
                    "value": float(vals["value"].iloc[0]) if one else float("nan"),
                    "n_reporting": pd.NA,
                    "n_expected": pd.NA,
                    "coverage": 1.0 if one else 0.0,
                    "source": r["source"],
                }
            )
    return rows, outside, zero_weight, multi


def _where(key, by) -> str:
    """``"<indicator> in <period>"`` plus the group for a ``(by…, indicator, period)`` key."""
    return f"{key[-2]} in {key[-1]}" + (f" within {key[:-2]}" if by else "")


def _raise_zero_weight(zero_weight, by) -> None:
    if zero_weight:
        raise DataValidationError(
            f"values: {len(zero_weight)} company indicator-period(s) whose reporting companies "
            "all have weight 0 (the weighted mean is undefined)",
            problem_frame(
                [
                    {
                        "file": "values",
                        "column": w,
                        "expected": f"a positive total weight for {_where(k, by)}",
                        "found": "0 for " + ", ".join(ents[:10]),
                    }
                    for k, w, ents in zero_weight[:200]
                ]
            ),
        )


def _raise_several_pass_through_values(multi, by) -> None:
    if multi:
        raise DataValidationError(
            f"values: {len(multi)} governance/external indicator-period(s) have values from "
            "several entities; aggregate per group with by=... (e.g. by='initiative') or filter "
            "the values to one cluster first",
            problem_frame(
                [
                    {
                        "file": "values",
                        "column": "entity",
                        "expected": f"one value for {_where(k, by)}",
                        "found": ", ".join(ents),
                    }
                    for k, ents in multi[:200]
                ]
            ),
        )


def _warn_outside_population(outside) -> None:
    if outside:
        out_df = pd.concat(outside)
        warnings.warn(
            f"values: {len(out_df)} value(s) from {out_df['entity'].nunique()} "
            "company(ies) outside the expected population left out: "
            + ", ".join(sorted(out_df["entity"].unique())[:10]),
            OutsidePopulationWarning,
            stacklevel=3,
        )


def _tidy_aggregated(rows, by, cat) -> pd.DataFrame:
    """The output table: catalogue order, then calendar order; documented dtypes."""
    out = pd.DataFrame(
        rows,
        columns=by
        + [
            "indicator",
            "period",
            "period_key",
            "value",
            "n_reporting",
            "n_expected",
            "coverage",
            "source",
        ],
    )
    order = {k: i for i, k in enumerate(cat.ids)}
    out["_o"] = out["indicator"].map(order)
    out = out.sort_values(by + ["_o", "period_key"], kind="stable").drop(
        columns=["_o", "period_key"]
    )
    out["n_reporting"] = out["n_reporting"].astype("Int64")
    out["n_expected"] = out["n_expected"].astype("Int64")
    out["value"] = out["value"].astype(float)
    out["coverage"] = out["coverage"].astype(float)
    return out.reset_index(drop=True)
