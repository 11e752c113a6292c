"""Disclosure control: the one place where the publication rule lives.

Every table that leaves the analyst's machine — dashboard, static site, CSV/Excel export — goes
through :func:`protect`, which returns a :class:`Protected` table. The export functions accept
nothing else and raise :class:`~clusterlab.errors.DisclosureError` for a bare DataFrame.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.publish import protect
>>> t = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
...                   "employment": [40.0, 300.0, 520.0, 210.0]})
>>> p = protect(t, count_col="n_firms", dims=["region"])
>>> p.table["suppressed"].tolist()        # a: 2 firms (primary); d: smallest complement
[True, False, False, True]
>>> p.table["employment"].tolist()
[nan, 300.0, 520.0, nan]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import ClusterlabWarning, DisclosureError, ParameterError
from clusterlab.publish.suppression import lines_of, secondary_suppression

__all__ = [
    "Protected",
    "protect",
    "unprotected",
    "ensure_protected",
    "dominance_shares",
    "aggregate_units",
    "DisclosureWarning",
    "IDENTIFIER_COLUMNS",
    "TIME_COLUMNS",
    "WITHHELD",
]

#: Columns treated as firm/actor identifiers or names (removed unless consent allows).
IDENTIFIER_COLUMNS = (
    "firm",
    "firm_name",
    "node",
    "node_name",
    "source",
    "target",
    "ego",
    "alter",
    "broker",
    "actor",
    "actor_name",
    "company",
    "company_name",
)
#: Integer columns that count as dimensions when ``dims`` is not given.
TIME_COLUMNS = ("year", "period", "round", "wave", "date")
#: Text put in place of a withheld identifier or a string naming a withheld firm.
WITHHELD = "[withheld]"

_SEAL = object()


class DisclosureWarning(ClusterlabWarning):
    """A table was protected, but a residual risk remains (e.g. a total must stay unpublished).

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.publish import DisclosureWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("the column total must not be published", DisclosureWarning)
    >>> caught[0].category.__name__
    'DisclosureWarning'
    """


@dataclass(frozen=True, repr=False, eq=False)
class Protected:
    """A table that has passed :func:`protect` (or, in analyst mode, :func:`unprotected`).

    Only :func:`protect` and :func:`unprotected` make these (constructing one directly raises
    :class:`~clusterlab.errors.DisclosureError`). ``table`` returns a *copy*, so a published
    table cannot be altered after the rule ran; any derived table has to be protected again.

    Parameters
    ----------
    _table : pandas.DataFrame
        The publishable table (read it as ``table``, a copy): suppressed cells are missing, a
        boolean ``suppressed`` column flags them (primary and secondary alike, so the flag
        reveals nothing).
    report : pandas.DataFrame
        For the analyst only: one row per input row with ``reason`` (``""``, ``"threshold"``,
        ``"dominance"``, ``"secondary"``), never exported.
    rule : dict, optional
        The parameters the rule ran with. Default: empty.
    analyst : bool, default False
        True for an unprotected analyst-mode table.
    name : str, default ""
        The table's name (messages).
    _seal : object, optional
        Internal: proves the object was made by :func:`protect` or :func:`unprotected`.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.publish import protect
    >>> t = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
    ...                   "employment": [40.0, 300.0, 520.0, 210.0]})
    >>> p = protect(t, count_col="n_firms", dims=["region"])
    >>> p.summary()
          reason  rows
    0  published     2
    1  threshold     1
    2  secondary     1
    """

    _table: pd.DataFrame
    report: pd.DataFrame
    rule: dict = field(default_factory=dict)
    analyst: bool = False
    name: str = ""
    _seal: object = None

    def __post_init__(self):
        if self._seal is not _SEAL:
            raise DisclosureError("Protected tables are made by clusterlab.publish.protect() only")

    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy()

    def summary(self) -> pd.DataFrame:
        """Count of rows by suppression reason (``reason, rows``)."""
        counts = self.report["reason"].replace("", "published").value_counts()
        return counts.rename_axis("reason").reset_index(name="rows")

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        mode = "UNPROTECTED (analyst mode)" if self.analyst else "protected"
        return f"<Protected {self.name or 'table'}: {len(self._table)} rows, {mode}>"

    def _repr_html_(self) -> str:
        from clusterlab.publish.export import to_html

        return to_html(self)


def ensure_protected(obj, *, analyst: bool = False) -> Protected:
    """Return ``obj`` if it is a :class:`Protected` table allowed in this mode, else raise.

    Parameters
    ----------
    obj : object
        The table to publish.
    analyst : bool, default False
        Analyst mode: an :func:`unprotected` table is allowed too.

    Returns
    -------
    Protected
        ``obj`` itself.

    Raises
    ------
    DisclosureError
        For a plain DataFrame (or anything else), or for an analyst-mode table when
        ``analyst`` is False.

    Examples
    --------
    >>> import pandas as pd
    >>> ensure_protected(pd.DataFrame({"x": [1]}))
    Traceback (most recent call last):
    ...
    clusterlab.errors.DisclosureError: refusing to publish an unprotected DataFrame: ...
    """
    if not isinstance(obj, Protected):
        raise DisclosureError(
            f"refusing to publish an unprotected {type(obj).__name__}: pass it through "
            "clusterlab.publish.protect() first"
        )
    if obj.analyst and not analyst:
        raise DisclosureError(
            f"{obj.name or 'table'} is an unprotected analyst-mode table; "
            "it can only be exported with analyst=True"
        )
    return obj


def unprotected(table: pd.DataFrame, *, name: str = "") -> Protected:
    """Mark a table as deliberately *unprotected* (analyst mode; exports need ``analyst=True``).

    Parameters
    ----------
    table : pandas.DataFrame
        The table, published as it stands (copied).
    name : str, default ""
        The table's name (messages).

    Returns
    -------
    Protected
        With ``analyst=True``; every export of it carries the analyst-mode warning.

    Examples
    --------
    >>> import pandas as pd
    >>> p = unprotected(pd.DataFrame({"region": ["a"], "n_firms": [2]}))
    >>> p.analyst
    True
    >>> ensure_protected(p)
    Traceback (most recent call last):
    ...
    clusterlab.errors.DisclosureError: ...
    """
    check_frame(table, name=name or "table")
    report = pd.DataFrame({"reason": [""] * len(table)}, index=table.index)
    return Protected(table.copy(), report, {"analyst": True}, True, name, _SEAL)


def dominance_shares(
    micro: pd.DataFrame, *, by: Sequence[str], value: str, n: int = 1, unit: str = "firm"
) -> pd.DataFrame:
    """Share of each cell's total held by its ``n`` largest contributors.

    .. math:: s_c = \\frac{\\sum_{i=1}^{n} x_{(i)c}}{\\sum_i x_{ic}}

    with :math:`x_{(1)c} \\ge x_{(2)c} \\ge \\dots` the contributions of the units in cell *c*
    (contributions of one unit are summed first).

    Parameters
    ----------
    micro : pandas.DataFrame
        Unit-level contributions: the ``by`` columns, ``unit`` and ``value``.
    by : sequence of str
        Cell key columns (the published table's dimensions).
    value : str
        Non-negative contribution column.
    n : int
        Number of largest contributors (the *n* of the (n, k) dominance rule).
    unit : str
        Contributor id column.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n_units`` and ``top{n}_share`` (NaN for an all-zero cell).

    Examples
    --------
    >>> m = pd.DataFrame({"cell": ["a", "a", "a", "b", "b", "b"], "firm": list("pqrstu"),
    ...                   "emp": [90, 5, 5, 10, 10, 10]})
    >>> dominance_shares(m, by=["cell"], value="emp")
      cell  n_units  top1_share
    0    a        3    0.900000
    1    b        3    0.333333
    """
    by = list(by)
    check_frame(
        micro, required=by + [unit, value], numeric=[value], nonnegative=[value], name="micro"
    )
    if not isinstance(n, int | np.integer) or n < 1:
        raise ParameterError(f"n must be a positive integer, got {n!r}")
    per_unit = micro.groupby(by + [unit], dropna=False, observed=True)[value].sum().reset_index()
    per_unit = per_unit.sort_values(by + [value], ascending=[True] * len(by) + [False])
    grouped = per_unit.groupby(by, dropna=False, observed=True, sort=True)[value]
    total = grouped.sum()
    top = grouped.apply(lambda s: s.head(n).sum())
    out = pd.DataFrame(
        {"n_units": grouped.size(), f"top{n}_share": (top / total.replace(0, np.nan)).astype(float)}
    )
    return out.reset_index()


def aggregate_units(
    table: pd.DataFrame,
    *,
    by: Sequence[str],
    values: Sequence[str],
    count_col: str = "n_firms",
    how: str = "mean",
) -> pd.DataFrame:
    """Aggregate a unit-level table (one row per firm/node) to groups with a unit count.

    Firm- or node-level result tables must not be published row by row; this groups them
    (e.g. by node ``kind``) so that :func:`protect` can apply the threshold.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per unit (never modified).
    by : sequence of str
        Grouping columns.
    values : sequence of str
        Numeric columns to aggregate.
    count_col : str, default "n_firms"
        Name of the output column counting the units of each group.
    how : {"mean", "sum", "median"}, default "mean"
        Aggregation of ``values``.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``count_col``, then ``values`` aggregated.

    Examples
    --------
    >>> t = pd.DataFrame({"node": list("abcd"), "kind": ["firm"] * 3 + ["agency"],
    ...                   "degree": [1, 2, 3, 10]})
    >>> aggregate_units(t, by=["kind"], values=["degree"])
         kind  n_firms  degree
    0  agency        1    10.0
    1    firm        3     2.0
    """
    by, values = list(by), list(values)
    check_frame(table, required=by + values, numeric=values, name="table")
    check_choice(how, ["mean", "sum", "median"], argument="how")
    g = table.groupby(by, dropna=False, observed=True, sort=True) if by else None
    if g is None:
        agg = getattr(table[values].astype(float), how)().to_frame().T
        agg.insert(0, count_col, len(table))
        return agg.reset_index(drop=True)
    agg = g[values].agg(how).astype(float)
    agg.insert(0, count_col, g.size())
    return agg.reset_index()


def _default_dims(table, skip):
    dims = []
    for col in table.columns:
        if col in skip:
            continue
        s = table[col]
        if col in TIME_COLUMNS or not (
            pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)
        ):
            dims.append(col)
    return dims


def protect(
    table: pd.DataFrame,
    *,
    count_col: str,
    contributors: str | None = None,
    min_count: int = 3,
    dominance: tuple[int, float] | None = (1, 0.85),
    dims: Sequence[str] | None = None,
    margins: bool = True,
    additive: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    identifiers: Sequence[str] = IDENTIFIER_COLUMNS,
    consent_col: str = "consent",
    withheld_names: Iterable[str] = (),
    missing_count: str = "suppress",
    also_suppress=None,
    name: str = "",
) -> Protected:
    """Apply the disclosure rule to a results table and return a publishable :class:`Protected`.

    **Primary suppression** — a cell (row) is sensitive when it is built from
    ``0 < count < min_count`` contributors (threshold rule), or when its ``n`` largest
    contributors hold more than ``k`` of its total (the (n, k) dominance rule,
    ``dominance=(n, k)``, read from the ``contributors`` column). Empty cells (count 0) say
    nothing about any firm and are published.

    **Secondary suppression** — every line total (sum over one dimension with the others fixed)
    of the ``additive`` columns is assumed to be published; complementary cells are suppressed
    until no suppressed cell can be recovered exactly from the published cells and totals
    (see :func:`clusterlab.publish.suppression.secondary_suppression`).

    **Identifiers** — firm identifiers and names (``identifiers`` columns) are removed, except in
    rows whose ``consent_col`` is true; any text cell containing one of ``withheld_names`` (or a
    withheld identifier of the table) is replaced by ``"[withheld]"``.

    Parameters
    ----------
    table : pandas.DataFrame
        A tidy results table, one row per cell.
    count_col : str
        Number of contributing firms (or raters) per cell.
    contributors : str, optional
        Column with the share (0–1) of the cell total held by its ``n`` largest contributors
        (see :func:`dominance_shares`). None: the table has no magnitude data (counts, means of
        ratings, estimates) and only the threshold rule applies.
    min_count : int
        Threshold: publish only cells with at least this many contributors (default 3).
    dominance : (int, float) or None
        The (n, k) dominance rule (default ``(1, 0.85)``: one firm above 85 % of the cell).
    dims : sequence of str, optional
        Key (dimension) columns: they identify a cell and are kept in suppressed rows; every
        other column is a value and is blanked in suppressed rows. Default: the non-numeric
        columns plus ``year/period/round/wave/date`` (identifiers, labels and the consent column
        excluded) — pass ``dims`` explicitly when the table has text *values* (e.g. a status).
    margins : bool
        Whether line totals over ``dims`` of the ``additive`` columns are (or may be) published
        and secondary suppression is needed (default True). False for tables of means, ratios
        or estimates, which have no additive margins.
    additive : sequence of str, optional
        Numeric columns whose line totals may be published (e.g. ``employment``); default
        ``[count_col]``. Ratios, means and estimates are not additive: leave them out.
    labels : sequence of str, optional
        Non-dimension columns kept in suppressed rows (default: columns ending in ``_name``
        that are not identifiers, plus ``cluster_type``/``region_type``).
    identifiers, consent_col, withheld_names
        See above.
    missing_count : {"suppress", "publish"}
        Rows whose count is missing: sensitive by default; "publish" for rows that are not
        firm-based at all (e.g. governance indicators in a scorecard).
    also_suppress : array-like of bool, optional
        Further cells to suppress (reason ``"secondary"``), e.g. to stay consistent with the
        pattern of a related table that shares these cells.
    name : str
        Table name used in messages and exports.

    Returns
    -------
    Protected
        ``.table`` is the publishable copy; ``.report`` holds the reasons (analyst only).

    Raises
    ------
    DataValidationError
        Missing columns, a non-numeric or negative count, duplicated ``dims`` keys.
    ParameterError
        An invalid ``min_count`` or ``dominance``.

    Notes
    -----
    Threshold rule: publish cell :math:`c` only if :math:`N_c = 0` or :math:`N_c \\ge m`.
    Dominance rule (n, k): suppress :math:`c` if
    :math:`\\sum_{i \\le n} x_{(i)c} > k \\sum_i x_{ic}`. Both follow the standard rules for
    business statistics [1]_ [2]_. The audit of line totals is the linear-programming "attacker"
    of [1]_, section 4.3; it guarantees that no suppressed value is exactly recoverable from the
    published totals, not a minimum width of its interval.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4
       (magnitude tables: threshold, dominance and p% rules; secondary suppression).
    .. [2] Eurostat (2023). *Handbook on Statistical Disclosure Control for Outputs*, 2nd ed.

    Examples
    --------
    >>> t = pd.DataFrame({"cell": ["a", "b", "c"], "n_firms": [5, 6, 8],
    ...                   "top1_share": [0.95, 0.3, 0.2], "turnover": [100.0, 80.0, 60.0]})
    >>> p = protect(t, count_col="n_firms", contributors="top1_share", dims=["cell"],
    ...             margins=False)
    >>> p.report["reason"].tolist()
    ['dominance', '', '']
    """
    check_choice(missing_count, ["suppress", "publish"], argument="missing_count")
    if not isinstance(min_count, int | np.integer) or isinstance(min_count, bool) or min_count < 1:
        raise ParameterError(f"min_count must be a positive integer, got {min_count!r}")
    if dominance is not None and (
        not isinstance(dominance, tuple | list)
        or len(dominance) != 2
        or not isinstance(dominance[0], int | np.integer)
        or dominance[0] < 1
        or not 0 < float(dominance[1]) <= 1
    ):
        raise ParameterError(f"dominance must be (n >= 1, 0 < k <= 1), got {dominance!r}")
    required = [count_col] + ([contributors] if contributors else [])
    check_frame(
        table, required=required, numeric=required, nonnegative=required, name=name or "table"
    )
    identifiers = [c for c in identifiers if c in table.columns]
    skip = set(identifiers) | {count_col, consent_col} | ({contributors} if contributors else set())
    if labels is None:
        labels = [
            c
            for c in table.columns
            if c not in skip and (str(c).endswith("_name") or c in ("cluster_type", "region_type"))
        ]
    labels = [c for c in labels if c in table.columns]
    if dims is None:
        dims = _default_dims(table, skip | set(labels))
    dims = list(dims)
    check_frame(
        table, required=dims, unique=(dims or None) if margins else None, name=name or "table"
    )
    if additive is None:
        additive = [count_col]
    additive = list(dict.fromkeys(additive))
    check_frame(table, required=additive, numeric=additive, name=name or "table")

    out = table.reset_index(drop=True).copy()
    count = pd.to_numeric(out[count_col], errors="coerce").astype(float)
    reason = pd.Series([""] * len(out), dtype=object)
    small = (count > 0) & (count < min_count)
    if missing_count == "suppress":
        small |= count.isna()
    reason[small.to_numpy()] = "threshold"
    if dominance is not None and contributors:
        share = pd.to_numeric(out[contributors], errors="coerce").astype(float)
        dominated = (share > float(dominance[1])) & (count > 0) & (reason == "")
        reason[dominated.fillna(False).to_numpy()] = "dominance"
    if also_suppress is not None:
        extra = np.asarray(also_suppress, dtype=bool)
        if extra.shape != (len(out),):
            raise ParameterError(f"also_suppress must have one entry per row ({len(out)})")
        reason[extra & (reason == "").to_numpy()] = "secondary"
    unresolved: list[int] = []
    withheld_totals: list[dict] = []
    if margins and dims:
        line_ok = _line_rule(out, count, contributors, min_count, dominance, additive)
        withheld_totals = [
            _line_key(out, dims, d, line)
            for d, line in lines_of(out, dims, with_dim=True)
            if not line_ok(line)
        ]
        if (reason != "").any():
            secondary, unresolved = secondary_suppression(
                out,
                dims=dims,
                primary=(reason != "").to_numpy(),
                additive=additive,
                weight=count_col,
                line_ok=line_ok,
            )
            reason[secondary.to_numpy() & (reason == "").to_numpy()] = "secondary"
    suppressed = (reason != "").to_numpy()
    if unresolved:
        keys = out.iloc[unresolved][dims].head(5).to_dict("records")
        warnings.warn(
            f"{name or 'table'}: {len(unresolved)} suppressed cell(s) could still be derived from "
            f"line totals whose cells are all suppressed (e.g. {keys}); do not publish those "
            "totals",
            DisclosureWarning,
            stacklevel=2,
        )

    keep = set(dims) | set(labels) | set(identifiers) | {consent_col}
    values = [c for c in out.columns if c not in keep]
    for col in values:
        if suppressed.any():
            if pd.api.types.is_bool_dtype(out[col]) or pd.api.types.is_integer_dtype(out[col]):
                out[col] = out[col].astype(
                    "boolean" if pd.api.types.is_bool_dtype(out[col]) else "Int64"
                )
            elif not pd.api.types.is_float_dtype(out[col]):
                out[col] = out[col].astype(object)
            out.loc[suppressed, col] = pd.NA
    # identifiers and names
    consent = (
        _consented(out[consent_col]) if consent_col in out.columns else np.zeros(len(out), bool)
    )
    hidden = {str(v) for v in withheld_names if v is not None and str(v) != ""}
    for col in identifiers:
        vals = out.loc[~consent, col].dropna().astype(str)
        hidden |= {v for v in vals if v}
        out[col] = out[col].astype(object)
        out.loc[~consent, col] = WITHHELD
    if consent_col in out.columns:
        out = out.drop(columns=consent_col)
    if hidden:
        out = _scrub(out, hidden, skip_cols=list(identifiers))
    out["suppressed"] = suppressed
    rule = {
        "count_col": count_col,
        "contributors": contributors,
        "min_count": int(min_count),
        "dominance": tuple(dominance) if dominance is not None else None,
        "dims": dims,
        "margins": bool(margins),
        "additive": additive,
        "unresolved": unresolved,
        "withheld_totals": withheld_totals,
    }
    report = table.reset_index(drop=True).copy()
    report["reason"] = reason.to_numpy()
    return Protected(out, report, rule, False, name, _SEAL)


def _consented(s: pd.Series) -> np.ndarray:
    """Consent only where it is given explicitly: True, 1, or "true"/"yes"/"y"/"1"."""

    def one(v) -> bool:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return False
        if isinstance(v, bool | np.bool_):
            return bool(v)
        if isinstance(v, int | float | np.integer | np.floating):
            return v == 1
        return str(v).strip().lower() in ("true", "yes", "y", "1")

    return np.array([one(v) for v in s], dtype=bool)


def _line_rule(out, count, contributors, min_count, dominance, additive):
    r"""Predicate: may the total of a line (array of row positions) be published?

    A line total is itself a cell: it is withheld when built from ``0 < N < min_count``
    contributors, or when the largest contributor of the line — the largest of the cells'
    largest, :math:`\max_c s_c x_c`, assuming each firm contributes to one cell of the line —
    holds more than ``k`` of the line total (checked on the first additive magnitude column).
    """
    n = count.fillna(0).to_numpy(float)
    magnitude = next((c for c in additive if c != count.name), None)
    share = (
        pd.to_numeric(out[contributors], errors="coerce").fillna(0).to_numpy(float)
        if contributors and dominance is not None and magnitude
        else None
    )
    x = out[magnitude].astype(float).fillna(0).to_numpy() if share is not None else None

    def ok(line) -> bool:
        total_n = n[line].sum()
        if 0 < total_n < min_count:
            return False
        if share is not None and x is not None:
            total = x[line].sum()
            if total > 0 and (share[line] * x[line]).max() / total > float(dominance[1]):
                return False
        return True

    return ok


def _line_key(out, dims, d, line) -> dict:
    """The fixed dimensions of a line; the summed-out dimension ``d`` is reported as ``"*"``."""
    first = out.iloc[line[0]]
    return {c: ("*" if c == d else first[c]) for c in dims}


def _scrub(out: pd.DataFrame, hidden: set[str], skip_cols: list[str]) -> pd.DataFrame:
    """Replace every text cell that contains a withheld name or id by ``WITHHELD``."""
    pattern = re.compile(
        "|".join(
            r"(?<!\w)" + re.escape(h) + r"(?!\w)" for h in sorted(hidden, key=len, reverse=True)
        )
    )
    for col in out.columns:
        if col in skip_cols:
            continue
        s = out[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        hit = s.map(lambda v: isinstance(v, str) and pattern.search(v) is not None)
        hit = hit.astype(bool)
        if hit.any():
            out[col] = s.astype(object)
            out.loc[hit.to_numpy(), col] = WITHHELD
    return out
