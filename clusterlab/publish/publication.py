"""Protecting a whole publication: every table of one cluster (or the benchmark) jointly.

:func:`protect_publication` takes the results tables that will be published together, protects
each one by its results contract (:mod:`clusterlab.publish.contracts`) and then audits the
publication as a whole: an attacker who knows every published number — line totals, totals in
other tables, means times counts, densities times pairs, role counts against totals — solves
linear programmes for the feasible interval of every hidden sensitive value
(:mod:`clusterlab.publish.audit`). Where an interval is narrower than the protection margin,
the totals that narrow it are withheld and the audit runs again; if a cell still cannot be
protected, publishing is refused (:class:`~clusterlab.errors.DisclosureError`).

Rules per published statistic (``Rule``; see ``docs/publishing.md``):

* every count column of a cell: ``0 < N < min_count`` hides it (threshold rule);
* magnitudes and means with contributor data: the ``(n, k)`` dominance rule
  :math:`\\sum_{i\\le n} x_{(i)} > k \\sum_i x_i` hides every statistic of the cell;
* dispersion, order statistics and intervals: hidden below ``min_dispersion`` contributors;
* secondary suppression of line totals (:func:`clusterlab.publish.protect`) for tables with
  margins; rows of a table that ``follows`` another are hidden wherever the other hides;
* identifier columns are never published; every text cell naming a non-consenting contributor
  (any variant, :mod:`clusterlab.publish.identifiers`) is withheld.

References: Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.publish.publication import protect_publication
>>> trends = pd.DataFrame({"outcome": "employment", "period": [1, 1], "member": [True, False],
...                        "n_firms": [6, 40], "mean": [4500.0, 80.0], "sd": [9800.0, 30.0],
...                        "top1_share": [0.935, 0.1]})
>>> pub = protect_publication({"member_trends": trends})
>>> pub.tables["member_trends"].table[["n_firms", "mean", "sd"]].to_dict("list")
{'n_firms': [6, 40], 'mean': [nan, 80.0], 'sd': [nan, 30.0]}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from clusterlab.errors import DataValidationError, DisclosureError, ParameterError
from clusterlab.publish.audit import feasible_intervals, is_protected
from clusterlab.publish.contracts import TableContract, check_table, get_contract
from clusterlab.publish.identifiers import WITHHELD, scrub_frame
from clusterlab.publish.protect import _SEAL, Protected, _consented, protect
from clusterlab.publish.suppression import lines_of

__all__ = ["Rule", "Publication", "protect_publication", "publication_names", "contributor_names"]

RUN_COLUMNS = ("run_id", "run_cluster")
_SENSITIVE = ("threshold", "dominance", "dispersion")


@dataclass(frozen=True)
class Rule:
    """Parameters of the disclosure rule.

    Parameters
    ----------
    min_count : int, default 3
        Threshold rule: publish a statistic only from 0 or at least this many contributors.
    dominance : (int, float) or None, default (1, 0.85)
        The (n, k) dominance rule: a cell is hidden when its ``n`` largest contributors hold
        more than ``k`` of its total; ``None``: no dominance rule.
    min_dispersion : int, default 5
        Fewest contributors for dispersion, order statistics and intervals (also raters).
    margin : float, default 0.10
        Protection margin of the audit: a hidden value must stay uncertain by at least this
        share of itself, both ways.

    Raises
    ------
    ParameterError
        For a value outside its range (``min_count < 1``, ``k`` not in (0, 1], ``margin`` not
        in [0, 1)).

    Examples
    --------
    >>> from clusterlab.publish import Rule
    >>> Rule(min_count=5)
    Rule(min_count=5, dominance=(1, 0.85), min_dispersion=5, margin=0.1)
    """

    min_count: int = 3
    dominance: tuple[int, float] | None = (1, 0.85)
    min_dispersion: int = 5
    margin: float = 0.10

    def __post_init__(self):
        if not isinstance(self.min_count, int | np.integer) or self.min_count < 1:
            raise ParameterError(f"min_count must be a positive integer, got {self.min_count!r}")
        if not isinstance(self.min_dispersion, int | np.integer) or self.min_dispersion < 1:
            raise ParameterError(
                f"min_dispersion must be a positive integer, got {self.min_dispersion!r}"
            )
        if self.dominance is not None:
            d = self.dominance
            if (
                not isinstance(d, tuple | list)
                or len(d) != 2
                or not isinstance(d[0], int)
                or d[0] < 1
                or not 0 < float(d[1]) <= 1
            ):
                raise ParameterError(f"dominance must be (n >= 1, 0 < k <= 1), got {d!r}")
            object.__setattr__(self, "dominance", (int(d[0]), float(d[1])))
        if not 0 <= float(self.margin) < 1:
            raise ParameterError(f"margin must be within [0, 1), got {self.margin!r}")


@dataclass(frozen=True)
class Publication:
    """The protected tables of one publication and the audit behind them.

    Made by :func:`protect_publication`.

    Parameters
    ----------
    tables : dict of str to Protected
        Publishable tables.
    withheld : dict of str to str
        Tables not published, with the reason (no contract, internal, missing columns).
    audit : pandas.DataFrame
        Per table: ``table, rows, cells, published, threshold, dominance, dispersion,
        secondary, linked, min_protection`` (smallest feasible interval half-width achieved,
        relative to the hidden value; NaN when no hidden value is constrained).
    intervals : pandas.DataFrame
        Every audited hidden value: ``table, row, column, value, low, high, protected``.
        Internal: it holds true values — never publish it.
    rule : Rule, optional
        The rule applied. Default: ``Rule()``.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.publish import Measure, TableContract, register, protect_publication
    >>> _ = register(TableContract(
    ...     name="doc_jobs", unit="firm", keys=("region",),
    ...     measures=(Measure(("n_firms",), count="n_firms", kind="count"),
    ...               Measure(("mean_jobs",), count="n_firms", kind="mean"))), replace=True)
    >>> jobs = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
    ...                      "mean_jobs": [20.0, 33.3, 43.3, 30.0]})
    >>> pub = protect_publication({"doc_jobs": jobs, "my_notes": pd.DataFrame({"x": [1]})})
    >>> pub.summary()[["table", "published", "threshold", "withheld"]]
          table  published  threshold                        withheld
    0  doc_jobs        6.0        2.0
    1  my_notes        NaN        NaN  no results contract registered
    >>> from clusterlab.publish.contracts import unregister
    >>> unregister("doc_jobs")  # the registry lives in this process
    """

    tables: dict
    withheld: dict
    audit: pd.DataFrame
    intervals: pd.DataFrame
    rule: Rule = field(default_factory=Rule)

    def summary(self) -> pd.DataFrame:
        """The per-table audit plus one row per withheld table."""
        rows = pd.DataFrame(
            [{"table": k, "withheld": v} for k, v in self.withheld.items()],
            columns=["table", "withheld"],
        )
        return pd.concat([self.audit.assign(withheld=""), rows], ignore_index=True)


def publication_names(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Tables of ``tables`` that have a public results contract."""
    return [n for n in tables if (c := get_contract(n, errors="ignore")) is not None and c.public]


def contributor_names(tables: Mapping[str, pd.DataFrame | None]) -> set[str]:
    """Ids and names of non-consenting contributors in the identifier columns that the
    tables' contracts declare (what the final scan of the artifacts looks for)."""
    names: set[str] = set()
    for tname, df in tables.items():
        contract = get_contract(tname, errors="ignore")
        if contract is not None and df is not None:
            names |= _names_of(df, contract)
    return names


# ----------------------------------------------------------------------------- one table
def _present(contract: TableContract, df: pd.DataFrame):
    return [
        (m, [c for c in m.columns if c in df.columns])
        for m in contract.measures
        if any(c in df.columns for c in m.columns)
    ]


def _truth(
    name: str,
    df: pd.DataFrame,
    contract: TableContract,
    rule: Rule,
    raw: Mapping[str, pd.DataFrame],
) -> tuple[pd.DataFrame, dict]:
    """The table as it would be published without protection, plus per-column dominance."""
    df = df.drop(columns=[c for c in RUN_COLUMNS if c in df.columns]).reset_index(drop=True)
    shares: dict[str, pd.Series] = {}
    if contract.aggregate is not None:
        by = [c for c in contract.aggregate if c in df.columns]
        if contract.aggregate[-1] not in by:  # the last column is required, others optional
            raise DisclosureError(f"{name}: cannot aggregate by {contract.aggregate}: missing")
        values = [
            c
            for m in contract.measures
            for c in m.columns
            if c in df.columns
            and pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])
        ]
        g = df.groupby(by, dropna=False, observed=True, sort=True)
        out = g.size().rename("n_units").to_frame()
        n_top = rule.dominance[0] if rule.dominance else 1
        for v in values:
            x = df[v].astype(float)
            out[v] = x.groupby([df[b] for b in by], dropna=False, observed=True, sort=True).mean()
            if (x.dropna() >= 0).all():
                top = x.groupby([df[b] for b in by], dropna=False, observed=True, sort=True).apply(
                    lambda s: s.nlargest(n_top).sum()
                )
                tot = x.groupby([df[b] for b in by], dropna=False, observed=True, sort=True).sum()
                shares[v] = top / tot.replace(0, np.nan)
        out = out.reset_index()
        shares = {k: pd.Series(s.to_numpy(), index=out.index) for k, s in shares.items()}
        return out, shares
    if contract.count_from is not None:
        src_name, keys = contract.count_from
        src = raw.get(src_name)
        counts = [c for m in contract.measures for c in m.counts]
        count = counts[0] if counts else "n_raters"
        if count not in df.columns:
            keys = [k for k in keys if k in df.columns]
            if src is None or count not in src.columns or not keys:
                df = df.assign(**{count: np.nan})
            else:
                src = src.drop(columns=[c for c in RUN_COLUMNS if c in src.columns])
                n = src.groupby(keys, dropna=False)[count].min().rename(count).reset_index()
                df = df.merge(n, on=keys, how="left")
    return df, shares


def _cell_rules(name, truth, contract, rule, shares):
    """Reason per (row, measure column): "", threshold, dominance, dispersion, secondary."""
    why = pd.DataFrame(
        "", index=truth.index, columns=[c for _, cols in _present(contract, truth) for c in cols]
    )
    row_reason_by_count: dict[str, pd.Series] = {}
    if contract.margins:
        for count in dict.fromkeys(c for m in contract.measures for c in m.counts):
            if count not in truth.columns:
                continue
            add = [
                c
                for c in contract.margins
                if c in truth.columns
                and (
                    c == count
                    or (
                        contract.measure_of(c) is not None
                        and contract.measure_of(c).counts == (count,)
                    )
                )
            ]
            if count not in add:
                continue
            dims = [k for k in contract.keys if k in truth.columns]
            if truth.duplicated(dims).any():
                continue
            # a key with one value makes every line over it a single cell whose "total" is
            # the cell itself: leave it out (it is not a margin anyone publishes)
            varying = [k for k in dims if truth[k].nunique(dropna=False) > 1]
            if varying and not truth.duplicated(varying).any():
                dims = varying
            sub = truth[dims + list(dict.fromkeys(add))].copy()
            sub[add] = (
                sub[add].apply(pd.to_numeric, errors="coerce").fillna(0.0)
                if count != ""
                else sub[add]
            )
            sub[count] = pd.to_numeric(truth[count], errors="coerce")
            import warnings

            from clusterlab.publish.protect import DisclosureWarning

            with warnings.catch_warnings():
                # protect() warns when suppressed cells could be derived from line totals; the
                # publication audits every total itself (_audit) and withholds those totals or
                # refuses to publish, so the warning is handled here, not the user's to act on
                warnings.filterwarnings(
                    "ignore",
                    message=r".*suppressed cell\(s\) could still be derived",
                    category=DisclosureWarning,
                )
                p = protect(
                    sub,
                    count_col=count,
                    dims=dims,
                    margins=True,
                    additive=add,
                    dominance=None,
                    identifiers=(),
                    labels=[],
                    name=name,
                    missing_count=contract.missing_count,
                )
            row_reason_by_count[count] = pd.Series(p.report["reason"].to_numpy(), index=truth.index)
    for m, cols in _present(contract, truth):
        if m.kind == "label" or not m.counts:
            continue
        hide = pd.Series("", index=truth.index, dtype=object)
        for count in m.counts:
            if count not in truth.columns:
                hide[:] = "threshold"  # no count: fail closed
                continue
            n = pd.to_numeric(truth[count], errors="coerce").astype(float)
            small = (n > 0) & (n < rule.min_count)
            if contract.missing_count == "suppress":
                small |= n.isna()
            hide[(hide == "") & small.to_numpy()] = "threshold"
            if count in row_reason_by_count:
                r = row_reason_by_count[count]
                hide[(hide == "") & (r != "")] = r[(hide == "") & (r != "")]
            if m.kind in ("dispersion", "order", "interval"):
                few = (n < rule.min_dispersion) & (n > 0) | n.isna()
                if contract.missing_count == "publish":
                    few &= n.notna()
                hide[(hide == "") & few.to_numpy()] = "dispersion"
        for c in cols:
            why.loc[hide != "", c] = hide[hide != ""]
    # dominance
    if rule.dominance is not None:
        k = rule.dominance[1]
        for m, cols in _present(contract, truth):
            if not m.dominance:
                continue
            if contract.aggregate is not None:
                for c in cols:
                    s = shares.get(c)
                    if s is not None:
                        dom = (s > k).fillna(False).to_numpy() & (why[c] == "").to_numpy()
                        why.loc[dom, c] = "dominance"
                continue
            if m.dominance not in truth.columns:
                dom = np.ones(len(truth), bool)
            else:
                s = pd.to_numeric(truth[m.dominance], errors="coerce")
                dom = (s > k).fillna(False).to_numpy()
            if dom.any():
                related = [
                    c
                    for mm, cc in _present(contract, truth)
                    if mm.kind != "count" and set(mm.counts) & set(m.counts)
                    for c in cc
                ]
                for c in related:
                    fill = dom & (why[c] == "").to_numpy()
                    why.loc[fill, c] = "dominance"
    return why


def _published(truth, why, contract):
    cols = [c for c in contract.published_columns() if c in truth.columns]
    out = truth[cols].copy()
    for c in why.columns:
        hidden = (why[c] != "").to_numpy()
        if hidden.any():
            if pd.api.types.is_bool_dtype(out[c]):
                out[c] = out[c].astype("boolean")
            elif pd.api.types.is_integer_dtype(out[c]):
                out[c] = out[c].astype("Int64")
            elif not pd.api.types.is_float_dtype(out[c]):
                out[c] = out[c].astype(object)
            out.loc[hidden, c] = pd.NA
    return out


def _names_of(df: pd.DataFrame, contract: TableContract) -> set[str]:
    ids = [c for c in contract.identifiers if c in df.columns]
    if not ids:
        return set()
    consent = (
        _consented(df[contract.consent])
        if contract.consent and contract.consent in df.columns
        else np.zeros(len(df), bool)
    )
    names = set()
    for c in ids:
        names |= {str(v) for v in df.loc[~consent, c].dropna() if str(v).strip()}
    return names


# ----------------------------------------------------------------------------- the audit
def _value(frame, row, col):
    if col.endswith("-1"):
        v = frame.at[row, col[:-2]]
        return np.nan if pd.isna(v) else float(v) - 1.0
    v = frame.at[row, col]
    return np.nan if pd.isna(v) else float(v)


#: Lines of a table (kept with the table, so that its id stays valid) and solved systems.
_LINES: dict[tuple, tuple] = {}
_SOLVED: dict[tuple, tuple] = {}
#: Line totals found unpublishable during an audit (keyed by the table state's id).
_WITHHELD_LINES: dict[int, set] = {}


class _System:
    """Linear equalities/inequalities over hidden values (variables keyed by cell)."""

    def __init__(self):
        self.vars: dict[tuple, int] = {}
        self.info: list[dict] = []
        self.eq: list[tuple[dict, float]] = []
        self.ub: list[tuple[dict, float]] = []
        self.origin: list[tuple] = []

    def var(self, key, truth, count, sensitive):
        if key not in self.vars:
            self.vars[key] = len(self.info)
            self.info.append({"key": key, "value": truth, "count": count, "sensitive": sensitive})
        return self.vars[key]

    def add(self, coefs: dict, const: float, relation: str, origin):
        if not coefs:
            return
        (self.eq if relation == "==" else self.ub).append((coefs, const))
        self.origin.append(origin)

    def _matrices(self):
        n = len(self.info)

        def mat(rows):
            a = np.zeros((len(rows), n))
            b = np.zeros(len(rows))
            for i, (coefs, const) in enumerate(rows):
                for j, v in coefs.items():
                    a[i, j] += v
                b[i] = const
            return a, b

        lower = [1.0 if i["count"] and i["value"] >= 1 else 0.0 for i in self.info]
        return (*mat(self.eq), *mat(self.ub), lower)

    def signature(self) -> tuple:
        """Hashable form of the system (same equations and variables: same intervals)."""

        def rows(items):
            return tuple((tuple(sorted(c.items())), round(b, 9)) for c, b in items)

        return (
            tuple((i["key"], i["count"], i["sensitive"], i["value"]) for i in self.info),
            rows(self.eq),
            rows(self.ub),
        )

    def feasible(self) -> bool:
        """Whether the published numbers can describe these cells at all (one LP)."""
        if not self.info:
            return True
        from scipy.optimize import linprog

        a_eq, b_eq, a_ub, b_ub, lower = self._matrices()
        res = linprog(
            np.zeros(len(self.info)),
            A_eq=a_eq if len(a_eq) else None,
            b_eq=b_eq if len(b_eq) else None,
            A_ub=a_ub if len(a_ub) else None,
            b_ub=b_ub if len(b_ub) else None,
            bounds=[(lo, None) for lo in lower],
            method="highs",
        )
        return res.status != 2

    def solve(self):
        n = len(self.info)
        if n == 0:
            return np.array([]), np.array([])
        a_eq, b_eq, a_ub, b_ub, lower = self._matrices()
        only = [j for j, i in enumerate(self.info) if i["sensitive"]]
        return feasible_intervals(a_eq, b_eq, a_ub, b_ub, n=n, lower=lower, only=only)


def _part_terms(tbl, row, parts, state):
    """(coefficient, hidden parts) of product(parts) of one row of a published table."""
    pub, truth, why, contract = tbl
    coef, hidden = 1.0, []
    for p in parts:
        v = pub.at[row, p] if p in pub.columns else np.nan
        if pd.isna(v):
            hidden.append(p)
        else:
            coef *= float(v)
    return coef, tuple(hidden)


def _add_term(system, name, tbl, row, parts, coefs, sign=1.0):
    pub, truth, why, contract = tbl
    coef, hidden = _part_terms(tbl, row, parts, None)
    if not hidden:
        return sign * coef
    value = float(np.prod([float(truth.at[row, p]) for p in hidden]))
    sensitive = any(p in why.columns and why.at[row, p] in _SENSITIVE for p in hidden)
    m = contract.measure_of(hidden[0]) if len(hidden) == 1 else None
    count = len(hidden) == 1 and m is not None and m.kind == "count"
    j = system.var((name, row, hidden), value, count, sensitive)
    coefs[j] = coefs.get(j, 0.0) + sign * coef
    return 0.0


def _line_equations(system, name, tbl):
    """Line totals of the ``margins`` columns (one key summed out, the others fixed)."""
    pub, truth, why, contract = tbl
    dims = [k for k in contract.keys if k in truth.columns]
    if not contract.margins or not dims:
        return
    key = (id(truth), tuple(dims))
    if key not in _LINES:
        lines = (
            []
            if truth.duplicated(dims).any()
            else [(d, np.asarray(line)) for d, line in lines_of(truth, dims, with_dim=True)]
        )
        _LINES[key] = (truth, lines)
    withheld = _WITHHELD_LINES.get(id(tbl), set())
    labels = truth.index.to_numpy()
    for col in contract.margins:
        if col not in truth.columns or col not in pub.columns:
            continue
        x = pd.to_numeric(truth[col], errors="coerce").fillna(0.0).to_numpy(float)
        hidden = pub[col].isna().to_numpy()
        sens = (
            why[col].isin(_SENSITIVE).to_numpy() if col in why.columns else np.zeros(len(x), bool)
        )
        m = contract.measure_of(col)
        count = m is not None and m.kind == "count"
        for d, line in _LINES[key][1]:
            if len(line) < 2 or not hidden[line].any():
                continue
            rows = tuple(labels[line])
            if (name, col, d, rows) in withheld:
                continue
            coefs: dict = {}
            const = float(x[line].sum() - x[line][~hidden[line]].sum())
            for pos in line[hidden[line]]:
                j = system.var((name, labels[pos], (col,)), float(x[pos]), count, bool(sens[pos]))
                coefs[j] = coefs.get(j, 0.0) + 1.0
            system.add(coefs, const, "==", ("line", name, d, rows, col, tbl))


def _matches(a_pub, a_row, b_truth, total):
    ok = np.ones(len(b_truth), bool)
    for col, val in total.where:
        if col not in b_truth.columns:
            return np.zeros(len(b_truth), bool)
        ok &= (b_truth[col].astype(str) == str(val)).to_numpy()
    for col in total.on:
        if col not in b_truth.columns or col not in a_pub.columns:
            return np.zeros(len(b_truth), bool)
        ok &= (b_truth[col].astype(str) == str(a_pub.at[a_row, col])).to_numpy()
    return ok


def _total_equation(system, a_name, a_tbl, a_row, total, b_name, b_tbl):
    a_pub = a_tbl[0]
    left = [
        _value(a_pub, a_row, c) if c.removesuffix("-1") in a_pub.columns else np.nan
        for c in total.columns
    ]
    if any(np.isnan(v) for v in left):
        return
    const = total.factor * float(np.prod(left))
    coefs: dict = {}
    rows = np.flatnonzero(_matches(a_pub, a_row, b_tbl[1], total))
    if any(p not in b_tbl[1].columns for p in total.parts):
        return
    b_rows = tuple(b_tbl[1].index[rows])
    for r in b_rows:
        const -= _add_term(system, b_name, b_tbl, r, total.parts, coefs)
    origin = ("total", a_name, a_row, total, b_name, b_rows)
    system.add(coefs, const, "<=" if total.relation == ">=" else "==", origin)


def _row_system(state, a_name, row, totals):
    """The hypothesis "these totals of this row describe those cells"."""
    s = _System()
    for b in {t.over for t in totals}:
        _line_equations(s, b, state[b])
    for t in totals:
        _total_equation(s, a_name, state[a_name], row, t, t.over, state[t.over])
    return s


def _audit(state, rule):
    """Systems of the publication; returns (intervals rows, failing origins)."""
    systems = []
    base = _System()
    for name, tbl in state.items():
        _line_equations(base, name, tbl)
    systems.append(base)
    for a_name, a_tbl in state.items():
        totals = [t for t in a_tbl[3].totals if t.over in state]
        if not totals:
            continue
        keyed, free = [], []
        for t in totals:
            b_cols = state[t.over][1].columns
            if t.on and all(c in a_tbl[0].columns and c in b_cols for c in t.on):
                keyed.append(t)
            else:  # no key to match on: every row of this table is a hypothesis
                free.append(replace(t, on=()))
        if keyed:
            s = _System()
            for b in {t.over for t in keyed}:
                _line_equations(s, b, state[b])
            for r in a_tbl[0].index:
                for t in keyed:
                    _total_equation(s, a_name, a_tbl, r, t, t.over, state[t.over])
            systems.append(s)
        for r in a_tbl[0].index:
            if not free:
                break
            # one hypothesis per row ("these totals describe those cells"), and each total
            # alone when the row as a whole does not fit (e.g. a row of another relation
            # sharing the node count)
            whole = _row_system(state, a_name, r, free)
            if len(free) > 1 and not whole.feasible():
                systems += [_row_system(state, a_name, r, [t]) for t in free]
            else:
                systems.append(whole)
    rows, failing = [], []
    for s in systems:
        if not s.info or not (s.eq or s.ub):
            continue
        if not any(i["sensitive"] for i in s.info):
            continue
        sig = s.signature()
        if sig not in _SOLVED:
            _SOLVED[sig] = s.solve()
        lo, hi = _SOLVED[sig]
        if np.isnan(lo).all():
            continue  # infeasible: the published numbers do not describe these cells
        for j, i in enumerate(s.info):
            if not i["sensitive"]:
                continue
            ok = is_protected(i["value"], lo[j], hi[j], margin=rule.margin, count=i["count"])
            tname, row, parts = i["key"]
            rows.append(
                {
                    "table": tname,
                    "row": int(row),
                    "column": "*".join(parts),
                    "value": i["value"],
                    "low": lo[j],
                    "high": hi[j],
                    "protected": ok,
                }
            )
            if not ok:
                failing.append((s, j))
    return rows, failing


def _follow(state, raw) -> list[str]:
    """Rows of a table that ``follows`` another are hidden wherever the other hides them
    (matched on the keys both carry). Returns the names of the tables that changed."""
    changed = []
    for tname, (_, truth, why, contract) in state.items():
        lead = contract.follows
        before = int((why != "").to_numpy().sum())
        if lead and lead in state:
            lt, lw = state[lead][1], state[lead][2]
            common = [k for k in contract.keys if k in lt.columns and k in truth.columns]
            if common:
                hidden_rows = lt.loc[(lw != "").any(axis=1).to_numpy(), common].astype(str)
                keys = set(map(tuple, hidden_rows.to_numpy()))
                hit = np.array(
                    [tuple(r) in keys for r in truth[common].astype(str).to_numpy()], dtype=bool
                )
                for c in why.columns:
                    why.loc[hit & (why[c] == "").to_numpy(), c] = "secondary"
        elif lead and lead in raw and lead not in state:
            why.loc[:, :] = why.where(why != "", "secondary")
        if int((why != "").to_numpy().sum()) != before:
            changed.append(tname)
    return changed


def _remedy(state, failing) -> bool:
    """One protective step per failing cell; False when nothing is left to hide.

    In order: a complementary cell among the cells a total adds up (secondary suppression
    across tables: the smallest published contributor count), else the totals themselves
    (with the figures derived from them, ``Total.withhold``), else — for line totals only —
    a complementary cell in the line (:func:`_complement`).
    """
    changed = False
    done: set = set()
    for s, j in failing:
        key = s.info[j]["key"]
        if key in done:
            continue
        done.add(key)
        origins = list(zip(s.eq + s.ub, s.origin, strict=True))
        mine = [o for (coefs, _), o in origins if j in coefs and o[0] == "total"]
        if not mine:
            changed |= _complement(state, s, j, origins)
            continue
        blocked = [o for o in mine if not _candidates(state, key, o)]
        if not blocked and _cross_complement(state, key, mine):
            changed = True
            continue
        for origin in blocked or mine:
            _, a_name, a_row, total = origin[:4]
            pub, truth, why, contract = state[a_name]
            cols = list(total.source_columns()) + list(total.withhold) + list(contract.withhold)
            cols = [c for c in dict.fromkeys(cols) if c in pub.columns]
            for c in cols:
                if pd.notna(pub.at[a_row, c]):
                    if not pd.api.types.is_float_dtype(pub[c]):
                        pub[c] = pub[c].astype(object)
                    pub.at[a_row, c] = np.nan
                    if c in why.columns:
                        why.at[a_row, c] = "linked"
                    changed = True
    return changed


def _candidates(state, key, origin) -> list[tuple[float, object]]:
    """Published, non-empty rows a total adds up that could complement ``key``'s cell."""
    tname, row, parts = key
    if origin[4] != tname:
        return []
    pub, truth, why, contract = state[tname]
    counts = [c for m in contract.measures for c in m.counts if c in truth.columns]
    out = []
    for r in origin[5]:
        if r == row or (why.loc[r] != "").all():
            continue
        if all(pd.notna(pub.at[r, p]) or p not in pub.columns for p in parts):
            n = float(pd.to_numeric(truth.at[r, counts[0]], errors="coerce")) if counts else 0.0
            if n > 0:
                out.append((n, r))
    return out


def _cross_complement(state, key, origins) -> bool:
    """Hide one more cell of the table a total adds up (rows the total covers): the one with
    the fewest contributors."""
    tname = key[0]
    pub, truth, why, contract = state[tname]
    found = [c for o in origins for c in _candidates(state, key, o)]
    if not found:
        return False
    best = min(found, key=lambda c: c[0])
    r = best[1]
    for c in why.columns:
        m = contract.measure_of(c)
        if m is not None and m.kind != "label" and why.at[r, c] == "":
            why.at[r, c] = "secondary"
    state[tname][0] = _published(truth, why, contract)
    return True


def _complement(state, system, j, origins) -> bool:
    """Hide one more cell (the largest published one) in a line that pins a hidden value."""
    tname, row, parts = system.info[j]["key"]
    pub, truth, why, contract = state[tname]
    col = parts[0]
    best = None
    for (coefs, _), origin in origins:
        if j not in coefs or origin[0] != "line":
            continue
        for r in origin[3]:
            if pd.notna(pub.at[r, col]):
                v = float(pd.to_numeric(truth.at[r, col], errors="coerce") or 0.0)
                if best is None or v > best[0]:
                    best = (v, r)
    if best is None:
        # every cell of its lines is hidden: those line totals must not be published
        marked = False
        for (coefs, _), origin in origins:
            if j in coefs and origin[0] == "line":
                _, name, d, rows, c, tbl = origin
                key = (name, c, d, rows)
                found = _WITHHELD_LINES.setdefault(id(tbl), set())
                if key not in found:
                    found.add(key)
                    marked = True
        return marked
    r = best[1]
    m = contract.measure_of(col)
    for mm, cols in _present(contract, truth):
        if mm.kind == "label" or not (set(mm.counts) & set(m.counts if m else ())):
            continue
        for c in cols:
            if why.at[r, c] == "":
                why.at[r, c] = "secondary"
    state[tname][0] = _published(truth, why, contract)
    return True


# ----------------------------------------------------------------------------- the gate
def protect_publication(
    tables: Mapping[str, pd.DataFrame | None],
    *,
    rule: Rule | None = None,
    withheld_names=(),
    name: str = "",
) -> Publication:
    """Protect the results tables of one publication jointly.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Table name → results table (as saved; ``run_id``/``run_cluster`` columns are dropped).
        Tables without a contract, internal tables and empty tables are listed in
        ``withheld``.
    rule : Rule, optional
        The disclosure rule. Default ``None``: ``Rule()`` (3 contributors, (1, 85 %)
        dominance, 5 contributors for dispersion, 10 % margin).
    withheld_names : iterable of str, default ()
        Further names never to publish (e.g. non-consenting members from a register).
    name : str, default ""
        Name of the publication (messages).

    Returns
    -------
    Publication
        The protected tables (``tables``), the withheld ones with reasons (``withheld``) and
        the audit (``audit``, ``intervals``).

    Raises
    ------
    DisclosureError
        When a hidden sensitive value stays within the protection margin after every
        withholdable total has been withheld.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.publish import Measure, TableContract, register, protect_publication
    >>> _ = register(TableContract(
    ...     name="doc_jobs", unit="firm", keys=("region",),
    ...     measures=(Measure(("n_firms",), count="n_firms", kind="count"),
    ...               Measure(("mean_jobs",), count="n_firms", kind="mean"))), replace=True)
    >>> jobs = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
    ...                      "mean_jobs": [20.0, 33.3, 43.3, 30.0]})
    >>> pub = protect_publication({"doc_jobs": jobs, "my_notes": pd.DataFrame({"x": [1]})})
    >>> pub.tables["doc_jobs"].table
      region  n_firms  mean_jobs  suppressed
    0      a     <NA>        NaN        True
    1      b        9       33.3       False
    2      c       12       43.3       False
    3      d        7       30.0       False
    >>> pub.withheld
    {'my_notes': 'no results contract registered'}
    >>> from clusterlab.publish.contracts import unregister
    >>> unregister("doc_jobs")  # the registry lives in this process
    """
    rule = rule or Rule()
    withheld: dict[str, str] = {}
    raw = {k: v for k, v in tables.items() if v is not None}
    state: dict[str, list] = {}
    names = {str(v) for v in withheld_names if v is not None}
    for tname, df in raw.items():
        contract = get_contract(tname, errors="ignore")
        if contract is None:
            withheld[tname] = "no results contract registered"
            continue
        names |= _names_of(df, contract)
        if not contract.public:
            withheld[tname] = "internal table: " + (contract.reason or "not for publication")
            continue
        if df.empty:
            withheld[tname] = "no rows"
            continue
        try:
            truth, shares = _truth(tname, df, contract, rule, raw)
            check_table(truth, contract)
        except DataValidationError as err:
            cols = ", ".join(dict.fromkeys(str(c) for c in err.problems["column"]))
            withheld[tname] = f"does not meet its results contract (columns: {cols})"
            continue
        except (DisclosureError, ValueError) as err:
            withheld[tname] = f"does not meet its results contract: {str(err).splitlines()[0]}"
            continue
        why = _cell_rules(tname, truth, contract, rule, shares)
        state[tname] = [None, truth, why, contract]
    _follow(state, raw)
    for entry in state.values():
        entry[0] = _published(entry[1], entry[2], entry[3])
    rows: list[dict] = []
    for entry in state.values():
        _WITHHELD_LINES.pop(id(entry), None)
    _LINES.clear()
    _SOLVED.clear()
    for _ in range(200):
        rows, failing = _audit(state, rule)
        if not failing:
            # complements the audit added in a followed table hide the follower's rows too
            # (a top list must not undo them); then audit again
            changed = _follow(state, raw)
            if not changed:
                break
            for tname in changed:
                state[tname][0] = _published(*state[tname][1:])
            continue
        if not _remedy(state, failing):
            bad = pd.DataFrame(rows)
            bad = bad[~bad["protected"]].head(5)
            raise DisclosureError(
                f"{name or 'publication'}: {int((~pd.DataFrame(rows)['protected']).sum())} "
                "hidden value(s) stay within the protection margin of "
                f"{rule.margin:.0%} and no published total is left to withhold (e.g. "
                f"{bad[['table', 'row', 'column']].to_dict('records')}); refusing to publish"
            )
    else:  # pragma: no cover - the remedy withholds a total per round
        raise DisclosureError(f"{name or 'publication'}: the audit did not converge")
    _LINES.clear()
    _SOLVED.clear()
    withheld_lines = {
        t: sorted({(k[1], k[2]) for k in _WITHHELD_LINES.pop(id(e), set())})
        for t, e in state.items()
    }
    intervals = pd.DataFrame(
        rows, columns=["table", "row", "column", "value", "low", "high", "protected"]
    )
    out: dict[str, Protected] = {}
    audit_rows = []
    for tname, (pub, truth, why, contract) in state.items():
        table = scrub_frame(pub, names)
        hidden = (why != "").to_numpy()
        table["suppressed"] = hidden.any(axis=1) if hidden.size else False
        report = truth.copy()
        report["reason"] = (
            [next((r for r in row if r), "") for row in why.to_numpy()] if hidden.size else ""
        )
        cell_reason = why.copy()
        out[tname] = Protected(
            table.reset_index(drop=True),
            report.reset_index(drop=True),
            {
                "contract": contract.name,
                "min_count": rule.min_count,
                "dominance": rule.dominance,
                "min_dispersion": rule.min_dispersion,
                "margin": rule.margin,
                "cells": cell_reason,
                "withheld_totals": withheld_lines.get(tname, []),
            },
            False,
            tname,
            _SEAL,
        )
        counts = {
            r: int((why == r).to_numpy().sum())
            for r in ("threshold", "dominance", "dispersion", "secondary", "linked")
        }
        iv = intervals[intervals["table"] == tname]
        rel = (iv["high"] - iv["low"]) / 2 / iv["value"].abs().replace(0, np.nan)
        audit_rows.append(
            {
                "table": tname,
                "rows": len(pub),
                "cells": int(why.size),
                "published": int(why.size - hidden.sum()),
                **counts,
                "min_protection": float(rel.min()) if rel.notna().any() else np.nan,
            }
        )
    audit = pd.DataFrame(
        audit_rows,
        columns=[
            "table",
            "rows",
            "cells",
            "published",
            "threshold",
            "dominance",
            "dispersion",
            "secondary",
            "linked",
            "min_protection",
        ],
    )
    return Publication(out, withheld, audit, intervals, rule)


_ = WITHHELD
