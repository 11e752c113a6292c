r"""Location quotients, as the U.S. Cluster Mapping Project computes them.

.. math:: LQ_{rc} = \frac{E_{rc} / E_{r\cdot}}{E_{\cdot c} / E_{\cdot\cdot}}

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import location_quotients
>>> emp = pd.DataFrame({"region": ["a", "a", "b", "b"], "cluster": ["x", "y", "x", "y"],
...                     "employment": [30, 70, 10, 90]})
>>> location_quotients(emp, by=())[["region", "cluster", "lq"]]
  region cluster    lq
0      a       x  1.50
1      a       y  0.875
2      b       x  0.50
3      b       y  1.125
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.mapping._core import (
    as_columns,
    check_table,
    group_codes,
    group_codes_from_arrays,
    group_sum,
    preview,
    row_numbers,
)

__all__ = ["location_quotients"]


def location_quotients(
    table: pd.DataFrame,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    within: str | None = None,
    benchmark: pd.DataFrame | None = None,
    on_zero: str = "warn",
) -> pd.DataFrame:
    r"""Location quotient of every region x category cell.

    .. math::

        \text{share\_region}_{rc} = \frac{E_{rc}}{E_{r,T(c)}}, \qquad
        \text{share\_benchmark}_{c} = \frac{B_c}{B_{T(c)}}, \qquad
        LQ_{rc} = \frac{\text{share\_region}_{rc}}{\text{share\_benchmark}_{c}}

    computed separately for every combination of the ``by`` columns (e.g. each year).
    :math:`T(c)` is the set of categories compared with :math:`c`: all of them by default, or
    the categories with the same value of ``within`` (``within="cluster_type"`` normalises a
    traded cluster by the region's *traded* employment and the benchmark's traded employment,
    and a local cluster by local totals -- the CMP definition). :math:`B_c` is the reference
    area's employment in :math:`c`: the sum over all regions of ``table`` by default, or the
    ``benchmark`` table (e.g. the national file, as CMP uses the U.S. file rather than the sum
    of states).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per region x category (x ``by``): e.g. the output of
        :func:`~clusterlab.mapping.aggregate`. Never modified.
    region, category, value : str
        Column names of the region, the category (cluster, industry, ...) and the count.
    by : sequence of str
        Columns that split the computation (default ``("year",)``; ``()`` for none).
    within : str, optional
        Column of ``table`` grouping the categories whose totals form the denominators
        (``"cluster_type"`` for CMP's traded/local split).
    benchmark : pandas.DataFrame, optional
        Reference-area employment per category: columns ``category`` and ``value``, optionally
        some of the ``by`` columns (missing ones: the same benchmark for every value) and the
        ``within`` column (needed only when the benchmark has categories ``table`` lacks). Its
        totals :math:`B_{T(c)}` sum *all* its categories, including those absent from ``table``.
    on_zero : {"warn", "raise"}
        A region whose denominator :math:`E_{r,T(c)}` is zero (an all-zero region) has no LQ:
        ``"warn"`` emits a :class:`~clusterlab.errors.DataWarning` naming it and leaves NaN in
        its rows; ``"raise"`` raises :class:`~clusterlab.errors.DataValidationError`.

    Returns
    -------
    pandas.DataFrame
        ``table``'s rows and columns (same index) plus ``share_region``, ``share_benchmark``
        and ``lq`` (float64).

    Raises
    ------
    DataValidationError
        Missing columns; non-numeric, negative, infinite or missing counts; duplicated
        (region, category, by) keys; benchmark categories missing.

    Notes
    -----
    Sums use integer group codes (one factorisation per key column) and ``np.bincount``; no
    ``groupby().transform`` chain, so detailed tables (millions of region x industry cells)
    are fast. LQs are unchanged when every count is multiplied by the same constant.

    References
    ----------
    Delgado, Porter & Stern (2016), "Defining clusters of related industries", *Journal of
    Economic Geography* 16(1); U.S. Cluster Mapping Project, ``cluster_calcs_mapper.js``
    (``clustermapping/cmp``), see ``docs/mapping.md``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.mapping import location_quotients
    >>> emp = pd.DataFrame({"region": ["a", "a", "b", "b"], "cluster": ["x", "y", "x", "y"],
    ...                     "employment": [30, 70, 10, 90]})
    >>> location_quotients(emp, by=())[["region", "cluster", "lq"]]
      region cluster    lq
    0      a       x  1.50
    1      a       y  0.875
    2      b       x  0.50
    3      b       y  1.125
    """
    check_choice(on_zero, ["warn", "raise"], argument="on_zero")
    by = as_columns(by, argument="by")
    within_cols = as_columns(within, argument="within")
    for name, col in (("region", region), ("category", category), ("value", value)):
        if not isinstance(col, str):
            raise ParameterError(f"{name} must be a column name, got {col!r}")
    keys = [region, category, *by]
    check_table(table, name="table", keys=keys + within_cols, values=[value])

    n = len(table)
    x = table[value].to_numpy(dtype=float)
    # one factorisation per key column, reused for every grouping
    codes = {c: group_codes_from_arrays([table[c]]) for c in dict.fromkeys(keys + within_cols)}

    def combo(cols):
        if not cols:
            return np.zeros(n, dtype=np.intp), 1
        return _combine([codes[c] for c in cols])

    _check_unique(table, keys, *_combine([codes[c] for c in [*by, region, category]], dense=False))

    reg_codes, n_reg = combo([*by, *within_cols, region])
    reg_sum = group_sum(reg_codes, n_reg, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_region = x / reg_sum[reg_codes]
    if benchmark is None:
        share_bench = _own_benchmark(codes, by, within_cols, category, x, n)
    else:
        cat_codes, n_cat = combo([*by, category])
        bench_cat, bench_total = _benchmark_values(
            table,
            benchmark,
            category=category,
            value=value,
            by=by,
            within=within_cols,
            cat_codes=cat_codes,
            n_cat=n_cat,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            share_bench = bench_cat / bench_total
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = share_region / share_bench
    zero_region = np.isnan(share_region)  # counts are finite and >= 0: 0 / 0 only
    if zero_region.any():
        _report_zero_regions(table, zero_region, [region, *by, *within_cols], on_zero)
    bad_bench = ~np.isfinite(lq) & ~zero_region
    if bad_bench.any():  # the category has no employment in the reference area
        cats = pd.unique(table[category].to_numpy()[bad_bench])
        warnings.warn(
            f"{len(cats)} categories have zero reference-area employment, so "
            f"their LQ is undefined (NaN): {preview(cats)}",
            DataWarning,
            stacklevel=2,
        )
        lq[bad_bench] = np.nan
    out = table.copy(deep=False)  # copy-on-write: the caller's frame is never touched
    out["share_region"] = share_region
    out["share_benchmark"] = share_bench
    out["lq"] = lq
    return out


def _own_benchmark(codes, by, within, category, x, n):
    """share_benchmark per row when the reference area is the sum of the table's regions:
    category sums per (by, within, category) group, totals per (by, within) group computed
    on the group arrays (mixed-radix parent = group // n_categories), one gather per row."""
    parts = [codes[c] for c in [*by, *within, category]]
    n_values = max(codes[category][1], 1)
    radix = int(np.prod([max(size, 1) for _, size in parts], dtype=np.float64))
    cat_codes, n_cat = _combine(parts)
    if n_cat == radix:  # sparse mixed-radix ids: the parent group is arithmetic
        parent = np.arange(n_cat) // n_values
    else:
        tot_codes, _ = _combine(
            [codes[c] for c in [*by, *within]] or [(np.zeros(n, dtype=np.intp), 1)]
        )
        parent = np.zeros(n_cat, dtype=np.intp)
        parent[cat_codes] = tot_codes
    cat_sum = group_sum(cat_codes, n_cat, x)
    if within:
        _check_within_consistent(cat_codes, n_cat, n_values, radix, parts, within)
    tot_sum = np.bincount(parent, weights=cat_sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_g = cat_sum / tot_sum[parent]
    return share_g[cat_codes]


def _check_within_consistent(cat_codes, n_cat, n_values, radix, parts, within):
    """Every category belongs to one ``within`` group (e.g. one cluster type) per by-group."""
    if n_cat != radix:
        return
    n_within = max(parts[-2][1], 1)
    used = np.flatnonzero(np.bincount(cat_codes, minlength=n_cat))
    key = (used // (n_within * n_values)) * n_values + used % n_values
    counts = np.bincount(key)
    if counts.max(initial=0) > 1:
        raise DataValidationError(
            f"table: some categories have more than one {within[0]} value; each category must "
            f"belong to one {within[0]} (e.g. a cluster is either traded or local)",
            problem_frame(
                [
                    {
                        "file": "table",
                        "column": within[0],
                        "expected": "one value per category",
                        "found": "several",
                    }
                ]
            ),
        )


def _combine(parts, dense: bool = True):
    """Mixed-radix combination of already factorised (codes, size) pairs; with
    ``dense=False`` a large sparse range is returned as is (for a uniqueness check)."""
    if len(parts) == 1:
        return parts[0]
    n = len(parts[0][0])
    radix = 1
    for _, size in parts:
        radix *= max(size, 1)
    if radix >= 2**62:  # pragma: no cover - astronomically many key combinations
        frame = pd.DataFrame({i: c for i, (c, _) in enumerate(parts)})
        inverse = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
        return inverse.astype(np.intp), int(inverse.max()) + 1 if n else 0
    dtype = np.int32 if radix < 2**31 else np.int64
    combined = parts[0][0].astype(dtype)
    for codes, size in parts[1:]:
        combined *= max(size, 1)
        combined += codes
    if radix <= max(4 * n, 1 << 16) or not dense:
        return combined, int(radix)
    uniq, inverse = np.unique(combined, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp, copy=False), len(uniq)


def _check_unique(table: pd.DataFrame, keys: list[str], codes, n_groups) -> None:
    """One row per key; the nice problems table (check_frame) only on the error path."""
    if len(codes) < 2 or bool(np.all(codes[1:] > codes[:-1])):  # sorted input: O(n) proof
        return
    if n_groups <= 4 * len(table) + (1 << 16):
        dup = np.bincount(codes, minlength=n_groups).max(initial=0) > 1
    else:
        dup = len(np.unique(codes)) < len(codes)
    if dup:
        check_frame(table, unique=keys, name="table")


def _report_zero_regions(table, mask, cols, on_zero):
    groups = table.loc[mask, cols].drop_duplicates()
    labels = [
        ", ".join(f"{c}={v}" for c, v in zip(cols, row, strict=True))
        for row in groups.itertuples(index=False)
    ]
    message = (
        f"{len(groups)} region group(s) have zero total employment, so their LQ is "
        f"undefined: {preview(labels, 5)}"
    )
    if on_zero == "raise":
        rows = row_numbers(table, mask)
        raise DataValidationError(
            message,
            problem_frame(
                {
                    "file": "table",
                    "row": r,
                    "column": cols[0],
                    "expected": "region total > 0",
                    "found": "0",
                }
                for r in rows[:50]
            ),
        )
    warnings.warn(message + " (left as NaN)", DataWarning, stacklevel=3)


def _benchmark_values(table, benchmark, *, category, value, by, within, cat_codes, n_cat):
    """Reference-area employment per row's category and the reference total of its group."""
    bench_by = [c for c in by if c in getattr(benchmark, "columns", [])]
    check_table(
        benchmark, name="benchmark", keys=[category, *bench_by], values=[value], unique=True
    )
    bench = benchmark[
        [category, *bench_by, *[c for c in within if c in benchmark.columns], value]
    ].copy()
    # one representative row per (by, category) group of the table
    first = np.full(n_cat, -1, dtype=np.int64)
    first[cat_codes[::-1]] = np.arange(len(cat_codes))[::-1]
    present = first >= 0
    reps = table.iloc[first[present]][[*by, category, *within]].reset_index(drop=True)
    reps["_group"] = np.flatnonzero(present)
    _align_dtypes(reps, bench, [category, *bench_by])
    merged = reps.merge(
        bench.drop(columns=[c for c in within if c in bench.columns]),
        on=[category, *bench_by],
        how="left",
    )
    missing = merged[value].isna()
    if missing.any():
        labels = merged.loc[missing, [category, *bench_by]].drop_duplicates()
        raise DataValidationError(
            f"benchmark: {len(labels)} categories of the table are missing from the benchmark: "
            f"{preview(labels[category].astype(str).unique())}",
            problem_frame(
                {
                    "file": "benchmark",
                    "column": category,
                    "expected": "a row",
                    "found": f"no row for {v}",
                }
                for v in labels[category].head(50)
            ),
        )
    per_group = np.full(n_cat, np.nan)
    per_group[merged["_group"].to_numpy()] = merged[value].to_numpy(dtype=float)
    bench_cat = per_group[cat_codes]

    # totals: sum of the benchmark over its categories in the same (by, within) group
    if within:
        w = within[0]
        if w not in bench.columns:
            mapping = reps[[category, w]].drop_duplicates(category)
            bench = bench.merge(mapping, on=category, how="left")
            unknown = bench[w].isna()
            if unknown.any():
                raise DataValidationError(
                    f"benchmark: categories not in the table need a {w!r} column in the "
                    f"benchmark: {preview(bench.loc[unknown, category].astype(str))}",
                    problem_frame(
                        [
                            {
                                "file": "benchmark",
                                "column": w,
                                "expected": "column present",
                                "found": "missing",
                            }
                        ]
                    ),
                )
    tot_cols = [*bench_by, *within]
    if tot_cols:
        totals = bench.groupby(tot_cols, observed=True, sort=False)[value].sum()
        totals = totals.rename("_bench_total").reset_index()
        tcodes, n_t = group_codes(table, tot_cols)
        firsts = np.full(n_t, -1, dtype=np.int64)
        firsts[tcodes[::-1]] = np.arange(len(tcodes))[::-1]
        trep = table.iloc[firsts][tot_cols].reset_index(drop=True)
        _align_dtypes(trep, totals, tot_cols)
        vals = trep.merge(totals, on=tot_cols, how="left")["_bench_total"]
        bench_total = vals.to_numpy(dtype=float)[tcodes]
    else:
        bench_total = np.full(len(table), float(bench[value].sum()))
    return bench_cat, bench_total


def _align_dtypes(left: pd.DataFrame, right: pd.DataFrame, cols) -> None:
    """Make merge keys comparable (e.g. int year vs str year; category dtype vs object)."""
    for c in cols:
        if left[c].dtype != right[c].dtype:
            if isinstance(left[c].dtype, pd.CategoricalDtype):
                left[c] = left[c].astype(left[c].cat.categories.dtype)
            if pd.api.types.is_numeric_dtype(left[c]) and pd.api.types.is_numeric_dtype(right[c]):
                continue
            left[c] = left[c].astype(str)
            right[c] = right[c].astype(str)
