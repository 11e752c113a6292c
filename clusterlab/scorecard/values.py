"""Checking indicator values before they are aggregated: known indicators, readable periods of
the right frequency, and one submission per company, indicator and period.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard import load_catalogue
>>> from clusterlab.scorecard.values import prepare_values
>>> v = pd.DataFrame({"indicator": ["members", "members"], "entity": ["ci", "ci"],
...                   "period": [2020, "2020"], "value": [10.0, 12.0]})
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     kept, replaced = prepare_values(v, load_catalogue("four_perspectives"))
>>> kept["value"].tolist(), replaced["value"].tolist()
([12.0], [10.0])
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal, overload

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import CoverageWarning, DataValidationError, DataWarning, ParameterError
from clusterlab.scorecard.catalogue import Catalogue, load_catalogue
from clusterlab.scorecard.periods import period_keys

__all__ = [
    "prepare_values",
    "deduplicate_submissions",
    "select_values",
    "UnknownIndicatorWarning",
    "DuplicateSubmissionWarning",
    "MissingWeightWarning",
    "OutsidePopulationWarning",
    "LowCoverageWarning",
    "as_by",
]


class UnknownIndicatorWarning(DataWarning):
    """Values for indicators the catalogue does not know were dropped (``unknown="drop"``).

    Emitted by :func:`prepare_values` and
    :func:`~clusterlab.scorecard.aggregate_company_indicators` with ``unknown="drop"``
    (the default ``unknown="raise"`` raises a ``DataValidationError`` instead).

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> v = pd.DataFrame({"indicator": ["member_retention", "no_such_indicator"],
    ...                   "entity": ["ci", "ci"], "period": [2021, 2021], "value": [90.0, 1.0]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     kept, replaced = prepare_values(v, "four_perspectives", unknown="drop")
    >>> [w.category.__name__ for w in caught], kept["indicator"].tolist()
    (['UnknownIndicatorWarning'], ['member_retention'])
    """


class DuplicateSubmissionWarning(DataWarning):
    """A company submitted one indicator twice for one period; the latest was kept.

    Emitted by :func:`prepare_values` and
    :func:`~clusterlab.scorecard.aggregate_company_indicators`; the latest submission is the
    last row, or the latest by the ``submitted`` column when given. The replaced rows are
    returned (``replaced``) and listed in the message.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> v = pd.DataFrame({"indicator": ["member_retention"] * 2, "entity": ["ci", "ci"],
    ...                   "period": [2021, 2021], "value": [90.0, 92.0]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     kept, replaced = prepare_values(v, "four_perspectives")
    >>> [w.category.__name__ for w in caught], kept["value"].tolist()
    (['DuplicateSubmissionWarning'], [92.0])
    """


class MissingWeightWarning(DataWarning):
    """A company's value had no weight and was left out (``missing_weight="drop"``).

    Emitted by :func:`~clusterlab.scorecard.aggregate_company_indicators` with
    ``missing_weight="drop"`` when a company indicator's value lacks the weight the catalogue
    names in ``weight_by`` (the default ``missing_weight="raise"`` raises a
    ``DataValidationError`` instead).

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from clusterlab.scorecard import aggregate_company_indicators
    >>> v = pd.DataFrame({"indicator": ["labour_productivity"] * 2, "entity": ["a", "b"],
    ...                   "period": [2021, 2021], "value": [100.0, 200.0],
    ...                   "employment": [3.0, None]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     agg = aggregate_company_indicators(v, "four_perspectives", missing_weight="drop")
    >>> [w.category.__name__ for w in caught]
    ['MissingWeightWarning']
    >>> agg.query("indicator == 'labour_productivity'")[["value", "n_reporting"]]
       value  n_reporting
    6  100.0            1
    """


class OutsidePopulationWarning(DataWarning):
    """Values from companies outside the expected reporting population were left out.

    Emitted by :func:`~clusterlab.scorecard.aggregate_company_indicators` when a
    ``population`` is given and values come from companies not in it.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from clusterlab.scorecard import aggregate_company_indicators
    >>> v = pd.DataFrame({"indicator": ["labour_productivity"] * 2, "entity": ["a", "b"],
    ...                   "period": [2021, 2021], "value": [100.0, 200.0],
    ...                   "employment": [3.0, 1.0]})
    >>> population = pd.DataFrame({"entity": ["a", "c"]})     # b is not expected to report
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     agg = aggregate_company_indicators(v, "four_perspectives", population=population)
    >>> [w.category.__name__ for w in caught]
    ['OutsidePopulationWarning']
    >>> agg.query("indicator == 'labour_productivity'")[["value", "n_reporting", "coverage"]]
       value  n_reporting  coverage
    6  100.0            1       0.5
    """


class LowCoverageWarning(CoverageWarning):
    """Fewer companies reported than the coverage threshold asks for.

    Emitted once by :func:`~clusterlab.scorecard.evaluate` when company indicator values
    rest on a reporting coverage below ``min_coverage`` (default 0.5); those rows are
    flagged in the ``low_coverage`` column and still get a status.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from clusterlab.scorecard import evaluate
    >>> agg = pd.DataFrame({"indicator": ["labour_productivity"], "period": ["2021"],
    ...                     "value": [100.0], "n_reporting": [1], "coverage": [0.25]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sc = evaluate(agg, "four_perspectives")
    >>> [w.category.__name__ for w in caught], sc.status["low_coverage"].tolist()
    (['LowCoverageWarning'], [True])
    """


def as_by(by) -> list[str]:
    """Normalise a ``by`` argument (None, a column name or a list of names) to a list."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    if isinstance(by, Sequence):
        return [str(b) for b in by]
    raise ParameterError(f"by must be a column name or a list of names, got {by!r}")


def deduplicate_submissions(
    values: pd.DataFrame, *, keys: Sequence[str], submitted: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the latest submission per key; return ``(kept, replaced)``.

    Parameters
    ----------
    values : pandas.DataFrame
        Indicator values.
    keys : sequence of str
        Columns that identify one submission (e.g. ``indicator, entity, period``).
    submitted : str, optional
        A date/time column saying when each row was submitted; the latest wins. Without
        it, the row that comes last in the table wins.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The kept rows and the replaced rows (with ``row``, their 1-based position in the
        input). Nothing is dropped without appearing in ``replaced``.
    """
    data = values.reset_index(drop=True).copy()
    data["row"] = range(1, len(data) + 1)
    if submitted is not None:
        check_frame(data, required=[submitted], no_missing=[submitted], name="values")
        stamp = pd.to_datetime(data[submitted], errors="coerce", format="mixed")
        if stamp.isna().any():
            pos = int(stamp.isna().to_numpy().argmax())
            raise DataValidationError(
                "values: unreadable submission dates",
                problem_frame(
                    [
                        {
                            "file": "values",
                            "row": pos + 1,
                            "column": submitted,
                            "expected": "a date/time",
                            "found": str(data.at[pos, submitted]),
                        }
                    ]
                ),
            )
        order = data.assign(_stamp=stamp).sort_values(["_stamp", "row"], kind="stable").index
        data = data.loc[order]
    dup = data.duplicated(list(keys), keep="last")
    replaced = data.loc[dup].sort_values("row")
    kept = data.loc[~dup].sort_values("row").drop(columns="row")
    return kept.reset_index(drop=True), replaced.reset_index(drop=True)


def prepare_values(
    values: pd.DataFrame,
    catalogue,
    *,
    indicator: str = "indicator",
    entity: str = "entity",
    period: str = "period",
    value: str = "value",
    submitted: str | None = None,
    unknown: str = "raise",
    by: Sequence[str] = (),
    name: str = "values",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate indicator values against a catalogue and normalise them.

    Returns ``(kept, replaced)``: ``kept`` has the canonical columns ``indicator, entity,
    period, value`` (period as a normalised label, plus ``period_key`` and every other
    input column); ``replaced`` lists duplicate submissions that a later one replaced (also
    reported with a :class:`DuplicateSubmissionWarning`), ``row`` being their 1-based row in
    ``values``.

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric or infinite values, missing ids or periods, unreadable
        periods, periods of the wrong frequency for their indicator, and (``unknown="raise"``)
        indicators not in the catalogue — each with the offending rows.
    """
    check_choice(unknown, ["raise", "drop"], argument="unknown")
    cat: Catalogue = load_catalogue(catalogue)
    cols = [indicator, entity, period, value]
    if len(set(cols)) != 4:
        raise ParameterError(
            f"indicator, entity, period and value must be four different columns, got {cols}"
        )
    check_frame(
        values,
        required=cols + list(by),
        numeric=[value],
        no_missing=[indicator, entity, period] + list(by),
        name=name,
    )
    rename = {indicator: "indicator", entity: "entity", period: "period", value: "value"}
    clash = [c for c in values.columns if c in rename.values() and c not in rename]
    data = values.drop(columns=clash).rename(columns=rename).reset_index(drop=True)
    input_row = np.arange(1, len(data) + 1)  # 1-based row in ``values``, kept through drops
    data["indicator"] = data["indicator"].astype(str)
    data["entity"] = data["entity"].astype(str)
    data["value"] = pd.to_numeric(data["value"]).astype(float)
    infinite = np.isinf(data["value"].to_numpy())
    if infinite.any():
        raise DataValidationError(
            f"{name}: {int(infinite.sum())} infinite value(s)",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(r) + 1,
                        "column": value,
                        "expected": "a finite number (or empty when not reported)",
                        "found": str(data.at[r, "value"]),
                    }
                    for r in data.index[infinite][:200]
                ]
            ),
        )
    known = set(cat.ids)
    bad = ~data["indicator"].isin(known)
    if bad.any():
        rows = data.index[bad.to_numpy()]
        if unknown == "raise":
            raise DataValidationError(
                f"{name}: {int(bad.sum())} row(s) for indicator(s) not in catalogue "
                f"{cat.name!r}: {sorted(data.loc[bad, 'indicator'].unique())}",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": int(r) + 1,
                            "column": indicator,
                            "expected": f"an indicator of catalogue {cat.name!r}",
                            "found": data.at[r, "indicator"],
                        }
                        for r in rows[:200]
                    ]
                ),
            )
        warnings.warn(
            f"{name}: dropped {int(bad.sum())} row(s) for indicator(s) not in "
            f"catalogue {cat.name!r}: {sorted(data.loc[bad, 'indicator'].unique())}",
            UnknownIndicatorWarning,
            stacklevel=3,
        )
        data = data.loc[~bad].reset_index(drop=True)
        input_row = input_row[~bad.to_numpy()]
    keys = period_keys(data["period"], name=name, rows=input_row, column=period)
    data["period"] = keys["period"].to_numpy()
    data["period_key"] = keys["period_key"].to_numpy()
    freq = dict(zip(cat.indicators["indicator"], cat.indicators["frequency"], strict=True))
    wrong = keys["frequency"].to_numpy() != data["indicator"].map(freq).to_numpy()
    if wrong.any():
        raise DataValidationError(
            f"{name}: {int(wrong.sum())} period label(s) do not match their indicator's "
            "reporting frequency",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(input_row[r]),
                        "column": period,
                        "expected": f"a {freq[data.at[r, 'indicator']]} period for "
                        f"{data.at[r, 'indicator']}",
                        "found": data.at[r, "period"],
                    }
                    for r in data.index[wrong][:200]
                ]
            ),
        )
    kept, replaced = deduplicate_submissions(
        data, keys=["indicator", "entity", "period", *by], submitted=submitted
    )
    replaced["row"] = input_row[replaced["row"].to_numpy(int) - 1]
    if not replaced.empty:
        show = replaced[["row", "indicator", "entity", "period", "value"]].head(10)
        warnings.warn(
            f"{name}: {len(replaced)} duplicate submission(s) replaced by a later one "
            f"(kept the latest{' by ' + submitted if submitted else ' row'}); replaced rows:\n"
            + show.to_string(index=False),
            DuplicateSubmissionWarning,
            stacklevel=3,
        )
    return kept, replaced


@overload
def select_values(
    values: pd.DataFrame,
    catalogue,
    *,
    initiative: str | None = ...,
    indicator: str = ...,
    initiative_col: str = ...,
    return_dropped: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def select_values(
    values: pd.DataFrame,
    catalogue,
    *,
    initiative: str | None = ...,
    indicator: str = ...,
    initiative_col: str = ...,
    return_dropped: Literal[True],
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def select_values(
    values: pd.DataFrame,
    catalogue,
    *,
    initiative: str | None = None,
    indicator: str = "indicator",
    initiative_col: str = "initiative",
    return_dropped: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of ``values`` that a catalogue (and one initiative) covers — a deliberate
    selection, so that a table holding several catalogues' indicators can be scored with one.

    Parameters
    ----------
    values : pandas.DataFrame
        Indicator values.
    catalogue : str, path, DataFrame or Catalogue
        Keep rows whose indicator is in this catalogue.
    initiative : str, optional
        Keep rows of this initiative when the table has an ``initiative_col`` column.
    indicator : str, default "indicator"
        Column of the indicator ids.
    initiative_col : str, default "initiative"
        Column of the initiatives.
    return_dropped : bool, default False
        Also return how many rows were left out, per reason.

    Returns
    -------
    selected : pandas.DataFrame
        A copy of the selected rows (new 0-based index).
    dropped : pandas.DataFrame
        Only with ``return_dropped=True``: ``reason, n_rows`` with the reasons ``not in
        catalogue`` and (when ``initiative`` is given and the table has ``initiative_col``)
        ``other initiatives``; a row with both reasons counts under the first.

        (``attrs["dropped"]`` of ``selected`` still holds these counts as a dict for one
        release; deprecated, because pandas drops ``attrs`` on copies: use
        ``return_dropped=True``.)

    Examples
    --------
    >>> v = pd.DataFrame({"indicator": ["members", "research_staff"], "initiative": ["a", "a"]})
    >>> select_values(v, "four_perspectives", initiative="a")["indicator"].tolist()
    ['members']
    >>> kept, dropped = select_values(v, "four_perspectives", initiative="a", return_dropped=True)
    >>> print(dropped.to_string(index=False))
               reason  n_rows
     not in catalogue       1
    other initiatives       0
    """
    check_frame(values, required=[indicator], name="values")
    cat = load_catalogue(catalogue)
    keep = values[indicator].astype(str).isin(cat.ids)
    dropped = {"not in catalogue": int((~keep).sum())}
    if initiative is not None and initiative_col in values.columns:
        mine = values[initiative_col].astype(str) == str(initiative)
        dropped["other initiatives"] = int((keep & ~mine).sum())
        keep &= mine
        if not mine.any():
            raise ParameterError(
                f"no values for initiative {initiative!r}; the table has "
                + ", ".join(sorted(values[initiative_col].astype(str).unique()))
            )
    out = values.loc[keep.to_numpy()].copy().reset_index(drop=True)
    # deprecated: attrs kept for one release for code that read them; use return_dropped=True
    out.attrs["dropped"] = dropped
    if return_dropped:
        table = pd.DataFrame({"reason": list(dropped), "n_rows": list(dropped.values())}).astype(
            {"reason": object, "n_rows": "int64"}
        )
        return out, table
    return out
