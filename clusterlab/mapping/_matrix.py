"""Input adapter shared by the index modules (:mod:`~clusterlab.mapping.indices`,
:mod:`~clusterlab.mapping.relatedness`): validate a long region × category table (or a wide
region × category matrix) and hand out one dense matrix per ``by`` group (internal module).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping._matrix import prepare, matrices
>>> df = pd.DataFrame({"region": ["a", "a", "b"], "cluster": ["x", "y", "x"],
...                    "employment": [1, 2, 3]})
>>> long, by = prepare(df, region="region", category="cluster", value="employment", by=())
>>> [(key, list(r), list(c), X.tolist()) for key, r, c, X in matrices(
...     long, region="region", category="cluster", value="employment", by=by)]
[((), ['a', 'b'], ['x', 'y'], [[1.0, 2.0], [3.0, 0.0]])]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning
from clusterlab.mapping._core import as_columns, check_table

__all__ = ["prepare", "matrices", "as_by", "lq_matrix", "group_label", "benchmark_vector"]


def as_by(by) -> tuple[str, ...]:
    """Normalise ``by`` (None, a column name or a sequence of names) to a tuple."""
    return tuple(as_columns(by, argument="by"))


def _is_wide(data: pd.DataFrame, region: str, category: str, value: str) -> bool:
    """A wide matrix: none of the long-format columns, every column numeric."""
    if any(c in data.columns for c in (region, category, value)):
        return False
    return data.shape[1] > 0 and all(
        pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in data.dtypes
    )


def _wide_to_long(data: pd.DataFrame, region: str, category: str, value: str) -> pd.DataFrame:
    if not data.index.is_unique:
        dup = data.index[data.index.duplicated()]
        raise DataValidationError(
            "wide matrix: duplicated region labels in the index",
            problem_frame(
                [
                    {
                        "file": "data",
                        "row": int(i) + 1,
                        "column": "(index)",
                        "expected": "unique region",
                        "found": f"duplicate of {data.index[i]}",
                    }
                    for i in np.flatnonzero(data.index.duplicated())[:50]
                ]
            )
            if len(dup)
            else None,
        )
    if not data.columns.is_unique:
        raise DataValidationError(
            "wide matrix: duplicated category columns",
            problem_frame(
                [
                    {
                        "file": "data",
                        "column": str(c),
                        "expected": "unique category",
                        "found": "duplicated column",
                    }
                    for c in data.columns[data.columns.duplicated()]
                ]
            ),
        )
    out = data.copy()
    out.index = out.index.rename(region)
    out.columns = out.columns.rename(category)
    long = out.stack(future_stack=True).rename(value).reset_index()
    return long


def prepare(
    data,
    *,
    region: str,
    category: str,
    value: str,
    by=("year",),
    name: str = "data",
    extra_keys: Sequence[str] = (),
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Validate ``data`` and return ``(long_table, by)``.

    ``data`` is either a long table with columns ``by + (region, category, value)`` or a wide
    matrix (index = regions, one numeric column per category, none of the long column names).
    A wide matrix has no ``by`` columns, so ``by`` is ignored for it. Checks: columns present,
    ``value`` numeric, non-negative and not missing, keys not missing, one row per key. Columns
    named in ``by`` that are absent are an error (pass ``by=()`` for a single cross-section).
    """
    if isinstance(data, pd.DataFrame) and _is_wide(data, region, category, value):
        data = _wide_to_long(data, region, category, value)
        by = ()
    by = as_by(by)
    keys = [*by, *extra_keys, region, category]
    check_frame(data, required=[*keys, value], numeric=[value], name=name)
    if pd.api.types.is_bool_dtype(data[value]):
        raise DataValidationError(
            f"{name}: column {value!r} is boolean; expected counts (employment)",
            problem_frame(
                [{"file": name, "column": value, "expected": "numeric counts", "found": "bool"}]
            ),
        )
    # the mapping package's one check of tidy tables: complete keys, counts >= 0, finite,
    # complete, one row per key
    check_table(data, name=name, keys=keys, values=[value], unique=True)
    long = data[keys + [value]].reset_index(drop=True)
    long[value] = long[value].astype(float)
    return long, by


def group_label(key, by: Sequence[str]) -> str:
    """``year=2016`` style label of a group (empty for a single cross-section)."""
    if not by:
        return ""
    key = key if isinstance(key, tuple) else (key,)
    return " (" + ", ".join(f"{b}={k}" for b, k in zip(by, key, strict=True)) + ")"


def matrices(
    long: pd.DataFrame, *, region: str, category: str, value: str, by: Sequence[str]
) -> Iterator[tuple[tuple, pd.Index, pd.Index, np.ndarray]]:
    """Yield ``(key, regions, categories, X)`` per ``by`` group; absent cells are 0.

    Regions and categories are sorted (natural order of their labels) so that results do not
    depend on row order.
    """
    groups = [((), long)] if not by else long.groupby(list(by), sort=True, dropna=False)
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        rows = pd.Index(pd.unique(g[region])).sort_values()
        cols = pd.Index(pd.unique(g[category])).sort_values()
        X = np.zeros((len(rows), len(cols)))
        X[rows.get_indexer(g[region]), cols.get_indexer(g[category])] = g[value].to_numpy()
        yield key, rows, cols, X


def lq_matrix(X: np.ndarray, benchmark: np.ndarray | None = None) -> np.ndarray:
    """Location quotients of a region × category matrix, EconGeo-style: undefined cells → 0.

    :math:`LQ_{ri} = (x_{ri}/x_{r\\cdot}) / (b_i / b_\\cdot)` with :math:`b` the column sums of
    ``X`` or the given benchmark totals per category.
    """
    b = X.sum(axis=0) if benchmark is None else np.asarray(benchmark, dtype=float)
    rs = X.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (X / rs) / (b / b.sum())[None, :]
    return np.where(np.isfinite(lq), lq, 0.0)


def benchmark_vector(
    benchmark,
    *,
    key: tuple,
    by: Sequence[str],
    categories: pd.Index,
    category: str,
    value: str,
    name: str = "benchmark",
) -> np.ndarray | None:
    """Reference-area totals per category for one ``by`` group, aligned to ``categories``.

    ``benchmark`` has columns ``category`` and ``value`` and, optionally, some of the ``by``
    columns (a benchmark without ``year`` applies to every year). Every category of the data
    must appear exactly once per group.
    """
    if benchmark is None:
        return None
    check_frame(
        benchmark,
        required=[category, value],
        numeric=[value],
        nonnegative=[value],
        no_missing=[category, value],
        name=name,
    )
    sub = benchmark
    for b, k in zip(by, key, strict=True):
        if b in benchmark.columns:
            sub = sub[sub[b] == k]
    keys = [b for b in by if b in benchmark.columns] + [category]
    check_frame(sub, unique=keys, name=name)
    s = sub.set_index(category)[value].astype(float)
    missing = categories.difference(s.index)
    if len(missing):
        raise DataValidationError(
            f"{name}: no benchmark total for {len(missing)} categor(ies)"
            f"{group_label(key, by)}: " + ", ".join(map(str, missing[:10])),
            problem_frame(
                [
                    {
                        "file": name,
                        "column": category,
                        "expected": "a benchmark row",
                        "found": f"missing {m}{group_label(key, by)}",
                    }
                    for m in missing[:50]
                ]
            ),
        )
    vec = s.reindex(categories).to_numpy()
    if vec.sum() <= 0:
        raise DataValidationError(
            f"{name}: benchmark totals sum to 0{group_label(key, by)}",
            problem_frame(
                [{"file": name, "column": value, "expected": "a positive total", "found": "0"}]
            ),
        )
    return vec


def with_keys(out: pd.DataFrame, by: Sequence[str], key) -> pd.DataFrame:
    """Add the ``by`` group's key values as columns of one group's result."""
    for b_col, k in zip(by, key, strict=True):
        out[b_col] = k
    return out


def warn_listed(names: list[str], message: str) -> None:
    """One :class:`DataWarning` naming up to ten of ``names`` (nothing when empty)."""
    if names:
        warnings.warn(
            f"{len(names)} {message}: "
            + ", ".join(names[:10])
            + (" ..." if len(names) > 10 else ""),
            DataWarning,
            stacklevel=3,
        )


def stack(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The groups' results in one table with ``columns`` in order (empty input: no rows)."""
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return result[columns]
