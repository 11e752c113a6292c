"""Validation helpers shared by every module: one place for the checks at the public boundary.

Each helper raises :class:`~clusterlab.errors.DataValidationError` whose ``problems`` table
names the data set, row, column and what was expected, instead of a bare ``KeyError``.

Examples
--------
>>> import pandas as pd
>>> from clusterlab._validation import check_frame
>>> df = pd.DataFrame({"region": ["a"], "employment": [5]})
>>> check_frame(df, required=["region", "employment"], numeric=["employment"]) is df
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["check_frame", "check_choice", "problem_frame", "user_stacklevel"]


def problem_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Build a problems table (``file, row, column, expected, found``) from dicts."""
    df = pd.DataFrame(list(rows))
    for col in ("file", "row", "column", "expected", "found"):
        if col not in df.columns:
            df[col] = pd.NA
    return df[["file", "row", "column", "expected", "found"]]


def check_frame(
    data,
    *,
    required: Sequence[str] = (),
    numeric: Sequence[str] = (),
    nonnegative: Sequence[str] = (),
    no_missing: Sequence[str] = (),
    unique: Sequence[str] | None = None,
    name: str = "data",
) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame with the columns and types a function needs.

    Parameters
    ----------
    data : pandas.DataFrame
        The caller's table (never modified).
    required : sequence of str
        Columns that must be present.
    numeric : sequence of str
        Columns that must have a numeric (or boolean) dtype.
    nonnegative : sequence of str
        Numeric columns whose non-missing values must be >= 0.
    no_missing : sequence of str
        Columns that must not contain missing values.
    unique : sequence of str, optional
        Columns that together must identify each row.
    name : str
        How the table is named in the error (a file name or the argument name).

    Returns
    -------
    pandas.DataFrame
        ``data`` itself, for chaining.

    Raises
    ------
    DataValidationError
        Listing every problem found (not only the first).
    """
    if not isinstance(data, pd.DataFrame):
        raise DataValidationError(
            f"{name}: expected a pandas DataFrame, got {type(data).__name__}",
            problem_frame(
                [{"file": name, "expected": "pandas.DataFrame", "found": type(data).__name__}]
            ),
        )
    problems: list[dict] = []
    missing = [c for c in required if c not in data.columns]
    for col in missing:
        problems.append(
            {
                "file": name,
                "column": col,
                "expected": "column present",
                "found": "missing; available: " + ", ".join(map(str, data.columns)),
            }
        )
    for col in numeric:
        if col in data.columns and not (
            pd.api.types.is_numeric_dtype(data[col]) or pd.api.types.is_bool_dtype(data[col])
        ):
            problems.append(
                {"file": name, "column": col, "expected": "numeric", "found": str(data[col].dtype)}
            )
    for col in nonnegative:
        if col in data.columns and pd.api.types.is_numeric_dtype(data[col]):
            bad = data.index[(data[col] < 0).fillna(False).to_numpy()]
            for pos in bad[:50]:
                problems.append(
                    {
                        "file": name,
                        "row": _row_number(data, pos),
                        "column": col,
                        "expected": ">= 0",
                        "found": str(data.at[pos, col]),
                    }
                )
    for col in no_missing:
        if col in data.columns:
            bad = data.index[data[col].isna().to_numpy()]
            for pos in bad[:50]:
                problems.append(
                    {
                        "file": name,
                        "row": _row_number(data, pos),
                        "column": col,
                        "expected": "a value",
                        "found": "missing",
                    }
                )
    if unique and not [c for c in unique if c not in data.columns]:
        dup = data.duplicated(list(unique), keep="first")
        for pos in data.index[dup.to_numpy()][:50]:
            key = ", ".join(f"{c}={data.at[pos, c]}" for c in unique)
            problems.append(
                {
                    "file": name,
                    "row": _row_number(data, pos),
                    "column": ",".join(unique),
                    "expected": "unique key",
                    "found": f"duplicate of {key}",
                }
            )
    if problems:
        raise DataValidationError(
            f"{name}: {len(problems)} problem(s) in the input table", problem_frame(problems)
        )
    return data


def as_list(value, *, argument: str) -> list:
    """A name or a list of names (columns, codes) as a list: ``None`` -> ``[]``, one string ->
    ``[value]``; anything that is not a list-like of names is a :class:`ParameterError`.

    Examples
    --------
    >>> as_list("age", argument="covariates")
    ['age']
    >>> as_list(("age", "size"), argument="covariates")
    ['age', 'size']
    >>> as_list(None, argument="covariates")
    []
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (Sequence, set, frozenset, pd.Index, pd.Series, np.ndarray)):
        raise ParameterError(
            f"{argument} must be a name or a list of names, got {type(value).__name__}"
        )
    return list(value)


def check_choice(value, choices: Iterable, *, argument: str):
    """Raise :class:`ParameterError` unless ``value`` is one of ``choices``.

    Examples
    --------
    >>> check_choice("mean", ["mean", "median"], argument="method")
    'mean'
    """
    choices = list(choices)
    if value not in choices:
        raise ParameterError(
            f"{argument}={value!r} is not recognised; expected one of "
            + ", ".join(repr(c) for c in choices)
        )
    return value


def _row_number(data: pd.DataFrame, label) -> int:
    """0-based position of a row label: the ``row`` of a problem in a DataFrame (files report
    their line numbers instead, see :mod:`clusterlab.io`)."""
    if data.index.is_unique:
        return int(data.index.get_loc(label))
    return int(np.flatnonzero(data.index == label)[0])


def user_stacklevel() -> int:
    """The ``stacklevel`` for :func:`warnings.warn` that names the first line *outside* the
    clusterlab package (the user's notebook cell or script), however deep inside the package
    the warning is raised — so that a warning never shows an internal path.

    Examples
    --------
    >>> user_stacklevel() >= 1
    True
    """
    import inspect
    import os

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = inspect.currentframe()
    frame = frame.f_back if frame is not None else None  # the function calling warn
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back
        level += 1
    return level
