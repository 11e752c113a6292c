"""Shift-share analysis: split each region × category employment change into national growth,
industry mix and regional competitive components (Dunn 1960; dynamic variant Barff & Knight
1988).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import shift_share
>>> emp = pd.DataFrame({"region": ["a", "a", "b", "b"], "cluster": ["x", "x", "x", "x"],
...                     "year": [2010, 2020, 2010, 2020], "employment": [100, 130, 100, 90]})
>>> shift_share(emp, start=2010, end=2020)[["region", "change", "national_share",
...                                          "competitive"]]
  region  change  national_share  competitive
0      a    30.0            10.0         20.0
1      b   -10.0            10.0        -20.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.mapping._matrix import as_by, prepare

__all__ = ["shift_share", "SHIFT_SHARE_COLUMNS"]

#: Component and rate columns of :func:`shift_share` (after the key and employment columns).
SHIFT_SHARE_COLUMNS = [
    "change",
    "national_share",
    "industry_mix",
    "competitive",
    "national_growth",
    "industry_growth",
    "regional_growth",
]


def _wide(
    table: pd.DataFrame, keys: list[str], time: str, value: str, t0, t1, span=None
) -> pd.DataFrame:
    """``keys + [v0, v1]`` for the two periods (absent cells = 0) over the cells that occur in
    any period of ``span`` (default: the two periods)."""
    sub = table[table[time].isin([t0, t1] if span is None else span)]
    # keys are validated (no missing values); only combinations that occur are kept
    w = sub.pivot_table(
        index=keys, columns=time, values=value, aggfunc="sum", fill_value=0.0, observed=True
    )
    w = w.reindex(columns=[t0, t1], fill_value=0.0)
    w.columns = ["v0", "v1"]
    return w.reset_index()


def _benchmark_frame(benchmark, *, by, category, value, time, t0, t1, cells) -> pd.DataFrame:
    """Benchmark totals ``B0, B1`` per (by, category) and ``T0, T1`` per by group."""
    if benchmark is None:
        bcat = cells.groupby([*by, category], dropna=False, observed=True)[["v0", "v1"]].sum()
        bcat.columns = ["B0", "B1"]
        tot = (
            cells.groupby(list(by), dropna=False, observed=True)[["v0", "v1"]].sum()
            if by
            else cells[["v0", "v1"]].sum().to_frame().T
        )
        tot.columns = ["T0", "T1"]
        out = bcat.reset_index()
        return (
            out.merge(tot.reset_index(), on=list(by))
            if by
            else out.assign(T0=float(tot["T0"].iloc[0]), T1=float(tot["T1"].iloc[0]))
        )
    check_frame(
        benchmark,
        required=[time, category, value],
        numeric=[value],
        nonnegative=[value],
        no_missing=[time, category, value],
        name="benchmark",
    )
    bby = [b for b in by if b in benchmark.columns]
    check_frame(benchmark, unique=[*bby, time, category], name="benchmark")
    missing_t = [t for t in (t0, t1) if not (benchmark[time] == t).any()]
    if missing_t:
        raise DataValidationError(
            f"benchmark: no rows for {time} " + ", ".join(map(str, missing_t)),
            problem_frame(
                [
                    {
                        "file": "benchmark",
                        "column": time,
                        "expected": f"rows for {t}",
                        "found": "none",
                    }
                    for t in missing_t
                ]
            ),
        )
    bw = _wide(benchmark, [*bby, category], time, value, t0, t1).rename(
        columns={"v0": "B0", "v1": "B1"}
    )
    tot = (
        bw.groupby(bby, dropna=False)[["B0", "B1"]].sum().reset_index()
        if bby
        else bw[["B0", "B1"]].sum().to_frame().T
    )
    tot = tot.rename(columns={"B0": "T0", "B1": "T1"})
    out = (
        bw.merge(tot, on=bby)
        if bby
        else bw.assign(T0=float(tot["T0"].iloc[0]), T1=float(tot["T1"].iloc[0]))
    )
    need = cells[[*bby, category]].drop_duplicates()
    miss = need.merge(out[[*bby, category]], how="left", indicator=True)
    miss = miss[miss["_merge"] == "left_only"]
    if len(miss):
        raise DataValidationError(
            f"benchmark: no total for {len(miss)} categor(ies) of the data",
            problem_frame(
                [
                    {
                        "file": "benchmark",
                        "column": category,
                        "expected": "a benchmark row",
                        "found": "missing " + ", ".join(f"{c}={r[c]}" for c in [*bby, category]),
                    }
                    for _, r in miss.head(50).iterrows()
                ]
            ),
        )
    return out


def _static(
    long, *, region, category, value, time, by, benchmark, t0, t1, span=None
) -> pd.DataFrame:
    cells = _wide(long, [*by, region, category], time, value, t0, t1, span)
    bench = _benchmark_frame(
        benchmark, by=by, category=category, value=value, time=time, t0=t0, t1=t1, cells=cells
    )
    bby = [b for b in by if b in bench.columns]
    df = cells.merge(bench, on=[*bby, category], how="left")
    bad_t = df[df["T0"] <= 0]
    if len(bad_t):
        raise DataValidationError(
            f"total {value!r} is 0 in {time} {t0}: national growth is undefined",
            problem_frame(
                [
                    {
                        "file": "benchmark" if benchmark is not None else "emp",
                        "column": value,
                        "expected": f"a positive total in {t0}",
                        "found": "0",
                    }
                ]
            ),
        )
    bad_b = df[(df["B0"] <= 0) & (df["v0"] > 0)]
    if len(bad_b):
        raise DataValidationError(
            f"benchmark: {len(bad_b)} cell(s) have {value!r} in {t0} where the benchmark has none",
            problem_frame(
                [
                    {
                        "file": "benchmark",
                        "column": value,
                        "expected": f"benchmark >= regional value in {t0}",
                        "found": f"0 for {r[category]}",
                    }
                    for _, r in bad_b.head(50).iterrows()
                ]
            ),
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        G = df["T1"] / df["T0"] - 1
        gi = np.where(df["B0"] > 0, df["B1"] / df["B0"] - 1, np.nan)
        gr = np.where(df["v0"] > 0, df["v1"] / df["v0"] - 1, np.nan)
    change = df["v1"] - df["v0"]
    ns = df["v0"] * G
    im = np.where(df["v0"] > 0, df["v0"] * (gi - G), 0.0)
    out = df[[*by, region, category]].copy()
    out[f"{value}_start"] = df["v0"].to_numpy()
    out[f"{value}_end"] = df["v1"].to_numpy()
    out["change"] = change.to_numpy()
    out["national_share"] = ns.to_numpy()
    out["industry_mix"] = im
    out["competitive"] = (change - ns - im).to_numpy()
    out["national_growth"] = G.to_numpy()
    out["industry_growth"] = gi
    out["regional_growth"] = gr
    return out


def shift_share(
    emp: pd.DataFrame,
    *,
    start,
    end,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    time: str = "year",
    by=(),
    benchmark: pd.DataFrame | None = None,
    method: str = "static",
) -> pd.DataFrame:
    """Classic (Dunn) shift-share decomposition of employment change per region × category.

    For region *r*, category *i*, employment :math:`e` in the start and end period, benchmark
    (national) employment :math:`E_i` per category and :math:`E` in total:

    .. math::
        g = E^1/E^0 - 1, \\qquad g_i = E_i^1/E_i^0 - 1, \\qquad g_{ri} = e_{ri}^1/e_{ri}^0 - 1

        \\underbrace{e^1_{ri} - e^0_{ri}}_{\\texttt{change}}
        = \\underbrace{e^0_{ri}\\, g}_{\\texttt{national\\_share}}
        + \\underbrace{e^0_{ri}\\,(g_i - g)}_{\\texttt{industry\\_mix}}
        + \\underbrace{e^0_{ri}\\,(g_{ri} - g_i)}_{\\texttt{competitive}}

    The competitive (regional shift) component is computed as the remainder
    ``change - national_share - industry_mix``, so the three parts add up to the observed
    change exactly (to floating-point precision) also when :math:`e^0_{ri} = 0` (then the whole
    change is competitive).

    Parameters
    ----------
    emp : pandas.DataFrame
        Long table with columns ``by + (time, region, category, value)``, one row per key.
        Cells absent in a period count as 0 employment (as in sparse CBP-style files).
    start, end
        Values of ``time`` to compare (``start`` before ``end``).
    region, category, value, time : str
        Column names.
    by : sequence of str
        Further grouping columns (e.g. ``"region_type"``); default none.
    benchmark : pandas.DataFrame, optional
        Reference-area employment per category and period (columns ``time, category, value``,
        optionally ``by`` columns), e.g. the national file. Its total over *all* its categories
        gives :math:`g`. Default: the sum of ``emp`` over its regions.
    method : {"static", "dynamic"}
        ``"static"``: one decomposition between ``start`` and ``end``. ``"dynamic"`` (Barff &
        Knight 1988): decompose each pair of consecutive periods present in the data between
        ``start`` and ``end`` with that period's rates and base, and add the components up
        (they still sum to ``end - start``); better for long spans where the industry structure
        drifts.

    Returns
    -------
    pandas.DataFrame
        ``by + [region, category, <value>_start, <value>_end] +`` :data:`SHIFT_SHARE_COLUMNS`
        (``change, national_share, industry_mix, competitive, national_growth,
        industry_growth, regional_growth``). The growth rates are over the whole span
        (fractions, 0.1 = +10 %); ``regional_growth`` is NaN where the start value is 0 and
        ``industry_growth`` where the benchmark's start value is 0 (their components are then
        0). Sum the components over categories for a region total.

    Raises
    ------
    ParameterError
        ``start``/``end`` not in the data or not ordered; unknown ``method``.
    DataValidationError
        Missing columns, non-numeric, negative or missing values, duplicated keys; a zero
        national total in the start period; a benchmark missing a category or period.

    References
    ----------
    Dunn, E. S. (1960). A statistical and analytical technique for regional analysis. *Papers of
    the Regional Science Association* 6, 97-112.
    Barff, R. A. & Knight, P. L. (1988). Dynamic shift-share analysis. *Growth and Change*
    19(2), 1-10.

    Examples
    --------
    >>> import pandas as pd
    >>> emp = pd.DataFrame({"region": ["a", "a", "b", "b"] * 2,
    ...                     "cluster": ["x", "y"] * 4,
    ...                     "year": [2010] * 4 + [2020] * 4,
    ...                     "employment": [100, 50, 20, 80, 120, 50, 30, 60]})
    >>> ss = shift_share(emp, start=2010, end=2020)
    >>> parts = ["change", "national_share", "industry_mix", "competitive"]
    >>> ss.groupby("region")[parts].sum().round(2)
            change  national_share  industry_mix  competitive
    region
    a         20.0             6.0         11.31         2.69
    b        -10.0             4.0        -11.31        -2.69
    """
    check_choice(method, ["static", "dynamic"], argument="method")
    by = as_by(by)
    if time in by:
        raise ParameterError(f"by={by!r} must not contain the time column {time!r}")
    long, by = prepare(
        emp, region=region, category=category, value=value, by=by, name="emp", extra_keys=(time,)
    )
    times = pd.Index(pd.unique(long[time]))
    missing = [t for t in (start, end) if t not in times]
    if missing:
        raise ParameterError(
            f"{time} " + ", ".join(map(repr, missing)) + " not in the data; "
            "available: " + ", ".join(map(str, sorted(times)[:20]))
        )
    if not start < end:
        raise ParameterError(f"start={start!r} must come before end={end!r}")
    kw = {
        "region": region,
        "category": category,
        "value": value,
        "time": time,
        "by": by,
        "benchmark": benchmark,
    }
    if method == "static":
        out = _static(long, t0=start, t1=end, **kw)
    else:
        steps = sorted(t for t in times if start <= t <= end)
        parts = [
            _static(long, t0=a, t1=b, **kw) for a, b in zip(steps[:-1], steps[1:], strict=True)
        ]
        keys = [*by, region, category]
        comp = (
            pd.concat(parts, ignore_index=True)
            .groupby(keys, dropna=False, sort=False)[
                ["national_share", "industry_mix", "competitive"]
            ]
            .sum()
            .reset_index()
        )
        whole = _static(long, t0=start, t1=end, span=steps, **kw)
        whole = whole.drop(columns=["national_share", "industry_mix", "competitive"])
        out = whole.merge(comp, on=keys, how="left")
        # re-close the identity against the span's change (chained sums drift by rounding)
        out["competitive"] = out["change"] - out["national_share"] - out["industry_mix"]
    cols = [*by, region, category, f"{value}_start", f"{value}_end", *SHIFT_SHARE_COLUMNS]
    return out[cols].sort_values([*by, region, category], kind="stable").reset_index(drop=True)
