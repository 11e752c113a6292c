"""Shared helpers of the cluster-mapping core: argument normalisation, input checks that name
rows, integer group codes (one ``factorize`` per column, sums by ``np.bincount``) and the
CMP / d3 quantile by group.

Examples
--------
>>> import numpy as np
>>> codes, n = group_codes_from_arrays([np.array(["a", "b", "a"]), np.array([1, 1, 1])])
>>> codes.tolist(), n
([0, 1, 0], 2)
>>> group_quantile(np.array([1.0, 2.0, 3.0, 4.0, 10.0]), np.zeros(5, dtype=np.intp), 1,
...                0.25).tolist()
[2.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError

__all__ = [
    "as_columns",
    "check_table",
    "group_codes",
    "group_codes_from_arrays",
    "group_sum",
    "group_quantile",
    "row_numbers",
    "preview",
]


def as_columns(value, *, argument: str) -> list[str]:
    """``None`` / one name / a sequence of names -> list of column names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        names = list(value)
        if all(isinstance(v, str) for v in names):
            return names
    raise ParameterError(
        f"{argument} must be a column name or a sequence of column names, got {value!r}"
    )


def row_numbers(data: pd.DataFrame, mask) -> np.ndarray:
    """0-based positions of the rows where ``mask`` holds (the ``row`` of a problem in a
    DataFrame; files report their line numbers instead, see :mod:`clusterlab.io`)."""
    return np.flatnonzero(np.asarray(mask))


def preview(values, limit: int = 10) -> str:
    """``'a, b, c'`` (first ``limit`` values, then ``'… (n more)'``)."""
    values = [str(v) for v in values]
    more = len(values) - limit
    return ", ".join(values[:limit]) + (f" … ({more} more)" if more > 0 else "")


def check_table(
    data, *, name: str, keys: Sequence[str] = (), values: Sequence[str] = (), unique: bool = False
) -> pd.DataFrame:
    """Check a tidy table: key columns present and complete, value columns numeric,
    finite, non-negative and complete, optionally one row per key.

    Raises :class:`~clusterlab.errors.DataValidationError` naming rows, column and expectation
    (non-numeric text is reported with the offending values, not as a pandas dtype error).
    """
    check_frame(data, required=list(keys) + list(values), name=name)
    if not unique and _clean_fast(data, keys, values):
        return data
    problems = []
    for col in values:
        series = data[col]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
            as_num = pd.to_numeric(series, errors="coerce")
            bad = as_num.isna().to_numpy() & series.notna().to_numpy()
            for row, found in zip(row_numbers(data, bad)[:50], series[bad].head(50), strict=False):
                problems.append(
                    {
                        "file": name,
                        "row": row,
                        "column": col,
                        "expected": "a number",
                        "found": repr(found),
                    }
                )
            if not bad.any():
                problems.append(
                    {
                        "file": name,
                        "column": col,
                        "expected": "numeric dtype",
                        "found": str(series.dtype),
                    }
                )
    if problems:
        raise DataValidationError(
            f"{name}: non-numeric values in {preview(sorted({p['column'] for p in problems}))}",
            problem_frame(problems),
        )
    check_frame(
        data,
        nonnegative=list(values),
        no_missing=list(keys) + list(values),
        unique=list(keys) if unique else None,
        name=name,
    )
    for col in values:  # inf passes the >= 0 check but is not a count
        arr = data[col].to_numpy(dtype=float, na_value=np.nan)
        bad = np.isinf(arr)
        if bad.any():
            raise DataValidationError(
                f"{name}: infinite values in {col}",
                problem_frame(
                    {"file": name, "row": r, "column": col, "expected": "finite", "found": "inf"}
                    for r in row_numbers(data, bad)[:50]
                ),
            )
    return data


def _clean_fast(data: pd.DataFrame, keys, values) -> bool:
    """Cheap vectorised pass that proves a large table clean (the detailed checks that name
    rows only run when it fails)."""
    for col in keys:
        series = data[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            if len(series) and series.cat.codes.to_numpy().min() < 0:
                return False
        elif series.dtype.kind in "iub":
            continue
        elif series.isna().any():
            return False
    for col in values:
        arr = data[col].to_numpy() if data[col].dtype.kind in "iufb" else None
        if arr is None:
            return False
        if len(arr) == 0 or arr.dtype.kind == "b":
            continue
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            return False
        if arr.min() < 0:
            return False
    return True


def _codes(series) -> tuple[np.ndarray, int]:
    """Integer codes 0..size-1 of one key column (no hashing for categoricals and for
    integer columns with a small range, e.g. years)."""
    if isinstance(series, pd.Series) and isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        if len(codes) == 0 or codes.min() >= 0:
            return codes, len(series.cat.categories)
    arr = series.to_numpy() if isinstance(series, pd.Series) else np.asarray(series)
    if arr.dtype.kind in "iu" and len(arr):
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo <= max(len(arr), 1 << 16):
            return (arr - lo).astype(np.int32 if hi - lo < 2**31 else np.int64), hi - lo + 1
    codes, uniques = pd.factorize(series, sort=False, use_na_sentinel=True)
    return codes.astype(np.intp, copy=False), len(uniques)


def _dense(codes: np.ndarray) -> tuple[np.ndarray, int]:
    uniq, inverse = np.unique(codes, return_inverse=True)
    return inverse.astype(np.intp, copy=False).reshape(-1), len(uniq)


def group_codes_from_arrays(arrays: Sequence, *, dense: bool = True) -> tuple[np.ndarray, int]:
    """Integer group ids for the combination of several key arrays/Series.

    One factorisation per column, combined arithmetically (mixed radix); much cheaper than
    hashing tuples. Returns ``(codes, n_groups)``. With ``dense=False`` the mixed-radix ids are
    returned as they are when their range is small (some ids then belong to no row: fine for
    ``np.bincount``), which saves a sort.
    """
    if not arrays:
        raise ValueError("no key columns")
    if len(arrays) == 1:
        codes, size = _codes(arrays[0])
        return codes, size
    combined = np.zeros(len(arrays[0]), dtype=np.int64)
    radix = 1
    for arr in arrays:
        codes, size = _codes(arr)
        size = max(size, 1)
        if radix * size >= 2**62:  # re-densify before overflowing
            combined, radix = _dense(combined)
        combined = combined * size + codes
        radix *= size
    if not dense and radix <= max(4 * len(combined), 1 << 16):
        return combined.astype(np.intp, copy=False), int(radix)  # sparse ids, cheap bincount
    return _dense(combined)


def group_codes(
    frame: pd.DataFrame, columns: Sequence[str], *, dense: bool = True
) -> tuple[np.ndarray, int]:
    """Group ids for ``columns`` of ``frame`` (a single group when ``columns`` is empty)."""
    if not columns:
        return np.zeros(len(frame), dtype=np.intp), 1
    return group_codes_from_arrays([frame[c] for c in columns], dense=dense)


def group_sum(codes: np.ndarray, n_groups: int, weights: np.ndarray) -> np.ndarray:
    """Sum of ``weights`` per group (float64)."""
    return np.bincount(codes, weights=weights, minlength=n_groups)


def group_quantile(
    values: np.ndarray, codes: np.ndarray, n_groups: int, p, mask: np.ndarray | None = None
):
    r"""Quantile(s) ``p`` of ``values`` within each group, as ``d3.quantile`` (d3 3.x) does.

    With the group's sorted values :math:`x_1 \le \dots \le x_n`, :math:`H = (n-1)p + 1`,
    :math:`h = \lfloor H \rfloor`, :math:`e = H - h`:
    :math:`Q_p = x_h + e\,(x_{h+1} - x_h)` -- linear interpolation (R type 7, numpy's default
    method), written out in d3's floating-point order so that values equal to a threshold
    compare exactly as in the CMP code. Only rows where ``mask`` holds count; groups without
    such rows get NaN (every comparison with it is False, as with d3's ``undefined``).
    ``p`` may be a list: the values are sorted once and a list of arrays is returned.
    """
    values = np.asarray(values, dtype=float)
    sel = np.arange(len(values)) if mask is None else np.flatnonzero(mask)
    v, c = values[sel], codes[sel]
    order = np.argsort(v, kind="quicksort")  # by value, then stably by group:
    order = order[np.argsort(c[order], kind="stable")]  # = lexsort((v, c)), faster
    v = v[order]
    counts = np.bincount(c, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    results = []
    for prob in p if isinstance(p, list | tuple) else [p]:
        out = np.full(n_groups, np.nan)
        big_h = (counts[has] - 1) * prob + 1
        h = np.floor(big_h).astype(np.intp)
        e = big_h - h
        lo = v[starts[has] + h - 1]
        hi = v[starts[has] + np.minimum(h, counts[has] - 1)]
        out[has] = np.where(e != 0, lo + e * (hi - lo), lo)
        results.append(out)
    return results if isinstance(p, list | tuple) else results[0]
