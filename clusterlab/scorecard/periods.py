"""Reporting periods: parse labels such as ``2020``, ``2020-Q3``, ``2020-H1`` or ``2020-07``
into a calendar order, so that periods sort by time and not as text.

Examples
--------
>>> from clusterlab.scorecard.periods import parse_period, sort_periods
>>> parse_period("2020-Q3")
Period(label='2020-Q3', frequency='quarterly', year=2020, sub=3, key=2020.5)
>>> sort_periods(["2021", "2019", "2020"])
['2019', '2020', '2021']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError

__all__ = ["Period", "FREQUENCIES", "parse_period", "period_keys", "sort_periods"]

#: Reporting frequencies and the number of sub-periods per year.
FREQUENCIES = {"annual": 1, "semiannual": 2, "quarterly": 4, "monthly": 12}

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "annual"),
    (re.compile(r"^(\d{4})-?[Hh]([12])$"), "semiannual"),
    (re.compile(r"^(\d{4})-?[Qq]([1-4])$"), "quarterly"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "monthly"),
]


class Period(NamedTuple):
    """A parsed period label; ``key`` is the start of the period in fractional years."""

    label: str
    frequency: str
    year: int
    sub: int
    key: float


def _label(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_period(value) -> Period:
    """Parse one period label.

    Parameters
    ----------
    value : str or int
        ``YYYY`` (annual), ``YYYY-H1``/``YYYY-H2`` (half-year), ``YYYY-Q1`` … ``YYYY-Q4``
        (quarter) or ``YYYY-MM`` (month). Integers are years.

    Returns
    -------
    Period

    Raises
    ------
    DataValidationError
        When the label is none of these forms.

    Examples
    --------
    >>> p = parse_period("2021-Q3")
    >>> p.label, p.year
    ('2021-Q3', 2021)
    """
    label = _label(value)
    for pattern, freq in _PATTERNS:
        m = pattern.match(label)
        if m:
            year = int(m.group(1))
            sub = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
            key = year + (sub - 1) / FREQUENCIES[freq]
            return Period(label, freq, year, sub, key)
    raise DataValidationError(
        f"period {label!r} is not a recognised period label",
        problem_frame(
            [{"column": "period", "expected": "YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM", "found": label}]
        ),
    )


def period_keys(
    periods: pd.Series,
    *,
    name: str = "values",
    rows: Iterable[int] | None = None,
    column: str = "period",
) -> pd.DataFrame:
    """Parse a column of period labels; every bad label is reported at once.

    Parameters
    ----------
    periods : pandas.Series
        Period labels (``2024``, ``2024-H1``, ``2024-Q1``, ``2024-03``).
    name : str, default "values"
        Name of the table in error messages.
    rows : iterable of int, optional
        Row number of each label in the user's table, for error messages (e.g. when rows were
        dropped before). Default ``None``: the 1-based position in ``periods``.
    column : str, default "period"
        Name of the column in error messages.

    Returns
    -------
    pandas.DataFrame
        Same index as ``periods``; columns ``period`` (normalised text label), ``frequency``,
        ``period_key`` (fractional year, for sorting and trends).
    """
    numbers = list(range(1, len(periods) + 1)) if rows is None else [int(r) for r in rows]
    parsed: list[tuple[object, str | None, str | None, float]] = []
    problems: list[dict[str, object]] = []
    for pos, (idx, value) in enumerate(periods.items()):
        if pd.isna(value):
            problems.append(
                {
                    "file": name,
                    "row": numbers[pos],
                    "column": column,
                    "expected": "a period label",
                    "found": "missing",
                }
            )
            parsed.append((idx, None, None, float("nan")))
            continue
        try:
            p = parse_period(value)
        except DataValidationError:
            problems.append(
                {
                    "file": name,
                    "row": numbers[pos],
                    "column": column,
                    "expected": "YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM",
                    "found": _label(value),
                }
            )
            parsed.append((idx, None, None, float("nan")))
            continue
        parsed.append((idx, p.label, p.frequency, p.key))
    if problems:
        raise DataValidationError(
            f"{name}: {len(problems)} unreadable period label(s)", problem_frame(problems)
        )
    out = pd.DataFrame(parsed, columns=["_idx", "period", "frequency", "period_key"])
    return out.set_index("_idx").rename_axis(periods.index.name)


def sort_periods(periods: Iterable) -> list[str]:
    """Distinct period labels in calendar order (not text order).

    Parameters
    ----------
    periods : iterable of str or int
        Period labels (see :func:`parse_period`); duplicates are dropped.

    Returns
    -------
    list of str
        Normalised labels, earliest first.

    Examples
    --------
    >>> sort_periods(["2020-Q4", "2020-Q1", "2019-Q4"])
    ['2019-Q4', '2020-Q1', '2020-Q4']
    """
    parsed = {parse_period(p) for p in periods}
    return [p.label for p in sorted(parsed, key=lambda p: (p.key, p.label))]
