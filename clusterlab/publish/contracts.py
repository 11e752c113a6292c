"""Results contracts: what every saved results table publishes, and from whom.

A :class:`TableContract` declares, for one results table (the name given to
:func:`clusterlab.results.save`), its key columns and, for every published statistic
(:class:`Measure`), the contributor unit (firm, establishment, actor, rater), the column that
counts its contributors per cell, the kind of statistic (count, magnitude, mean, dispersion,
order statistic, estimate) and, for magnitudes, the column holding the share of the cell's
total held by its largest contributor(s) (dominance). It also names the identifier columns and
the totals the table shares with other tables of the same publication (:class:`Total`).

:func:`clusterlab.results.save` checks a table against its contract; the publishing gate
(:func:`clusterlab.publish.views.prepare`) refuses a table without one
(:class:`~clusterlab.errors.DisclosureError`) and publishes only the columns the contract
declares — nothing is inferred from column names.

Registering a table of your own is one call:

>>> from clusterlab.publish.contracts import Measure, TableContract, register, get_contract
>>> _ = register(TableContract(
...     name="my_training_days", unit="firm", keys=("period",),
...     measures=(Measure(("n_firms",), count="n_firms", kind="count"),
...               Measure(("training_days",), count="n_firms", kind="magnitude",
...                       dominance="top1_share"),
...               Measure(("mean_days",), count="n_firms", kind="mean"))))
>>> get_contract("my_training_days").published_columns()
['period', 'n_firms', 'training_days', 'mean_days']

A table whose contract says ``public=False`` is saved and checked like any other, but never
published (internal tables such as firm-level estimates or rater-bias diagnostics).

The registry lives in each Python process. Put your ``register(...)`` calls in a module or a
``.py`` file and name it in ``CLUSTERLAB_CONTRACTS`` (e.g. ``export
CLUSTERLAB_CONTRACTS=contracts/my_tables.py``): every process — the notebook kernels that
save, ``clusterlab publish``, the dashboard kernels — loads it with the built-in contracts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, DisclosureError, ParameterError

__all__ = [
    "Measure",
    "Total",
    "TableContract",
    "register",
    "get_contract",
    "contracts",
    "unregister",
    "check_table",
    "load_contracts",
    "KINDS",
    "UNITS",
    "ENV_CONTRACTS",
]

#: Kinds of published statistics and the rule each one is published under.
KINDS = {
    "count": "threshold rule on its own count (0 < N < min_count hidden)",
    "magnitude": "threshold and (n, k) dominance rule; line totals audited",
    "mean": "threshold rule (mean x count is the cell total: audited with the totals)",
    "dispersion": "hidden below min_dispersion contributors (default 5)",
    "order": "order statistics (min, max, median, quantiles) hidden below min_dispersion",
    "interval": "intervals from few observations hidden below min_dispersion",
    "estimate": "threshold rule on the number of contributing units",
    "share": "threshold rule (a share of a published total is a magnitude of its own)",
    "label": "published as is (no contributor information)",
}
#: Contributor units.
UNITS = ("firm", "establishment", "actor", "rater", "none")


@dataclass(frozen=True)
class Measure:
    """One or more published columns that share a contributor count and a rule.

    Parameters
    ----------
    columns : tuple of str
        The published columns.
    count : str, tuple of str or None
        Column counting the contributors of each cell of these columns (``None`` only for
        ``kind="label"`` or a contract with ``unit="none"``); with several, a cell is
        published only if every one passes the rule.
    kind : str
        One of :data:`KINDS`.
    dominance : str, optional
        Column with the share (0–1) of the cell total held by its ``n`` largest contributors,
        computed from contributor-level data at save time (e.g. with
        :func:`clusterlab.publish.dominance_shares`). Required for ``kind="magnitude"`` unless
        ``no_dominance`` gives the reason it cannot be computed. Default ``None``.
    no_dominance : str, default ""
        Why a magnitude has no contributor-level data (stated in the audit and the docs).
    optional : bool, default False
        The columns may be absent from a saved table (then nothing is published for them).

    Raises
    ------
    ParameterError
        For an unknown ``kind`` or a magnitude without ``dominance`` or ``no_dominance``.

    Examples
    --------
    >>> from clusterlab.publish import Measure
    >>> m = Measure(("mean_jobs",), count="n_firms", kind="mean")
    >>> m.counts
    ('n_firms',)
    """

    columns: tuple[str, ...]
    count: str | tuple[str, ...] | None
    kind: str
    dominance: str | None = None
    no_dominance: str = ""
    optional: bool = False

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        if isinstance(self.count, list | tuple):
            object.__setattr__(self, "count", tuple(self.count))
        self._check()

    @property
    def counts(self) -> tuple[str, ...]:
        """The count column(s): a cell is published only if every one passes the rule."""
        if self.count is None:
            return ()
        return self.count if isinstance(self.count, tuple) else (self.count,)

    def _check(self):
        check_choice(self.kind, list(KINDS), argument="kind")
        if self.kind == "magnitude" and not (self.dominance or self.no_dominance):
            raise ParameterError(
                f"magnitude {self.columns}: declare the dominance column or "
                "the reason there is none (no_dominance=...)"
            )


@dataclass(frozen=True)
class Total:
    """A published number of this table that is a total over cells of another table.

    ``product(columns)`` of a row of this table equals the sum over the matching rows of
    ``over`` (same ``on`` keys, restricted by ``where``) of ``product(parts)``. With
    ``parts=()`` each matching row counts 1 (a row count). Example: in ``network_cohesion``
    ``n_nodes = sum(n_actors)`` over ``network_centrality`` aggregated by kind, and
    ``avg_degree * n_nodes = sum(n_actors * degree)``.

    Parameters
    ----------
    columns : tuple of str
        Columns of this table whose product is the total. A column written ``"n_nodes-1"``
        stands for that column minus one (pairs of nodes:
        ``density * n_nodes * (n_nodes-1) = sum of in-degrees``).
    over : str
        The other table.
    parts : tuple of str
        Columns of ``over`` whose product is summed (``()``: count rows).
    on : tuple of str, default ()
        Key columns matched between the two tables.
    where : tuple of (str, object) or dict, default ()
        Restrict the rows of ``over`` to these column values.
    factor : float, default 1.0
        Multiplies the left side.
    relation : {"==", ">="}, default "=="
        ``">="`` declares an inequality (the left side is at least the sum).
    withhold : tuple of str, default ()
        Further columns of this table hidden with the total when the audit has to withhold
        it (figures computed from it that no other total declares).

    Examples
    --------
    >>> from clusterlab.publish import Total
    >>> total = Total(("n_nodes",), over="network_centrality", parts=("n_actors",))
    >>> total.source_columns()
    ['n_nodes']
    """

    columns: tuple[str, ...]
    over: str
    parts: tuple[str, ...]
    on: tuple[str, ...] = ()
    where: tuple[tuple[str, object], ...] = ()
    factor: float = 1.0
    relation: str = "=="
    withhold: tuple[str, ...] = ()

    def __post_init__(self):
        for f in ("columns", "parts", "on", "withhold"):
            object.__setattr__(self, f, tuple(getattr(self, f)))
        where = self.where.items() if isinstance(self.where, dict) else self.where
        object.__setattr__(self, "where", tuple(tuple(w) for w in where))
        check_choice(self.relation, ["==", ">="], argument="relation")

    def source_columns(self) -> list[str]:
        """The columns of this table the total is computed from."""
        return [c[:-2] if c.endswith("-1") else c for c in self.columns]


@dataclass(frozen=True)
class TableContract:
    """The results contract of one table: what it publishes, and from whom.

    Parameters
    ----------
    name : str
        The table name passed to :func:`clusterlab.results.save`.
    unit : str
        Contributor unit of its statistics (one of :data:`UNITS`).
    keys : tuple of str, default ()
        Columns identifying a cell (kept in hidden rows).
    measures : tuple of Measure, default ()
        Every published statistic.
    labels : tuple of str, default ()
        Descriptive columns published as they are (names of clusters, items, statuses that
        do not depend on a contributor).
    identifiers : tuple of str, default ()
        Columns holding contributor ids or names: never published (unless ``consent``).
    consent : str, optional
        Column giving a contributor's explicit consent to be named. Default ``None``.
    totals : tuple of Total, default ()
        Published totals over other tables of the same publication.
    withhold : tuple of str, default ()
        Columns hidden with *every* withheld total of this table (figures derived from all
        of them); prefer ``Total.withhold`` and declaring each derived figure as a total.
    margins : tuple of str, default ()
        Additive columns whose line totals over ``keys`` are (or may be) published: secondary
        suppression protects the hidden cells against them (empty: no margins).
    aggregate : tuple of str, optional
        Contributor-level table (one row per firm/actor): published only aggregated by these
        columns (the last one required, the others used when present): means per group,
        with the group size as ``n_units``; the largest contributors' share of each group
        total is computed from the rows for the dominance rule and never published.
        Default ``None``.
    follows : str, optional
        The table's rows are cells of this table: they are hidden wherever it hides them.
        Default ``None``.
    count_from : (str, tuple of str), optional
        A table without its own contributor count takes the smallest count of the table it
        derives from, matched on these keys. Default ``None``.
    missing_count : {"suppress", "publish"}, default "suppress"
        Rows whose count is missing: hidden (default), or published for rows that are not
        contributor-based (e.g. governance indicators).
    public : bool, default True
        False: an internal table (saved and checked, never published).
    reason : str, default ""
        Why an internal table is not published (shown in the audit).
    description : str, default ""
        One line for the documentation.

    Raises
    ------
    ParameterError
        For an unknown ``unit`` or ``missing_count``, or inconsistent declarations.

    Examples
    --------
    >>> from clusterlab.publish import Measure, TableContract, register
    >>> contract = register(TableContract(
    ...     name="doc_jobs", unit="firm", keys=("region",),
    ...     measures=(Measure(("n_firms",), count="n_firms", kind="count"),
    ...               Measure(("mean_jobs",), count="n_firms", kind="mean"))), replace=True)
    >>> contract.published_columns()
    ['region', 'n_firms', 'mean_jobs']
    >>> from clusterlab.publish.contracts import unregister
    >>> unregister("doc_jobs")  # the registry lives in this process
    """

    name: str
    unit: str
    keys: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    labels: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    consent: str | None = None
    totals: tuple[Total, ...] = ()
    withhold: tuple[str, ...] = ()
    margins: tuple[str, ...] = ()
    aggregate: tuple[str, ...] | None = None
    follows: str | None = None
    count_from: tuple | None = None
    missing_count: str = "suppress"
    public: bool = True
    reason: str = ""
    description: str = ""

    def __post_init__(self):
        check_choice(self.unit, list(UNITS), argument="unit")
        check_choice(self.missing_count, ["suppress", "publish"], argument="missing_count")
        for f in ("keys", "measures", "labels", "identifiers", "totals", "withhold", "margins"):
            object.__setattr__(self, f, tuple(getattr(self, f)))
        if self.aggregate is not None:
            object.__setattr__(self, "aggregate", tuple(self.aggregate))
        if self.public and self.aggregate is None:
            for m in self.measures:
                if not m.counts and m.kind != "label" and self.unit != "none":
                    raise ParameterError(f"{self.name}: measure {m.columns} needs a count column")
        seen = [c for m in self.measures for c in m.columns]
        dup = {c for c in seen if seen.count(c) > 1}
        if dup:
            raise ParameterError(f"{self.name}: columns declared twice: {sorted(dup)}")

    def measure_of(self, column: str) -> Measure | None:
        return next((m for m in self.measures if column in m.columns), None)

    def published_columns(self) -> list[str]:
        """Keys, labels and measure columns, in declaration order (no identifiers)."""
        cols = list(self.keys) + list(self.labels) + [c for m in self.measures for c in m.columns]
        return list(dict.fromkeys(cols))

    def required_columns(self) -> list[str]:
        """Columns a saved table must have (keys, counts, non-optional measures)."""
        if self.aggregate is not None:
            return list(self.aggregate[-1:])
        cols = list(self.keys)
        for m in self.measures:
            if not m.optional:
                cols += list(m.columns) + list(m.counts)
                cols += [m.dominance] if m.dominance else []
        if self.count_from is not None:
            cols = [c for c in cols if all(c not in m.counts for m in self.measures)]
        return list(dict.fromkeys(cols))

    def summary(self) -> pd.DataFrame:
        """One row per published column: ``column, role, kind, count, dominance``."""
        rows = [
            {"column": c, "role": "key", "kind": "", "count": "", "dominance": ""}
            for c in self.keys
        ]
        rows += [
            {"column": c, "role": "label", "kind": "", "count": "", "dominance": ""}
            for c in self.labels
        ]
        rows += [
            {
                "column": c,
                "role": "measure",
                "kind": m.kind,
                "count": ", ".join(m.counts),
                "dominance": m.dominance or m.no_dominance,
            }
            for m in self.measures
            for c in m.columns
        ]
        rows += [
            {"column": c, "role": "identifier", "kind": "", "count": "", "dominance": ""}
            for c in self.identifiers
        ]
        return pd.DataFrame(rows, columns=["column", "role", "kind", "count", "dominance"])


_REGISTRY: dict[str, TableContract] = {}


def register(contract: TableContract, *, replace: bool = False) -> TableContract:
    """Register a results contract (one call per table).

    Parameters
    ----------
    contract : TableContract
        The contract.
    replace : bool, default False
        Redefine a contract registered already under the same name.

    Returns
    -------
    TableContract
        The contract registered.

    Raises
    ------
    ParameterError
        When ``contract`` is not a :class:`TableContract`, or its name is registered already
        and ``replace`` is False.

    Examples
    --------
    >>> from clusterlab.publish import Measure, TableContract, register
    >>> contract = register(TableContract(
    ...     name="doc_jobs", unit="firm", keys=("region",),
    ...     measures=(Measure(("n_firms",), count="n_firms", kind="count"),
    ...               Measure(("mean_jobs",), count="n_firms", kind="mean"))), replace=True)
    >>> contract.name
    'doc_jobs'
    >>> from clusterlab.publish.contracts import unregister
    >>> unregister("doc_jobs")  # the registry lives in this process
    """
    if not isinstance(contract, TableContract):
        raise ParameterError(f"register() expects a TableContract, got {type(contract).__name__}")
    if contract.name in _REGISTRY and not replace and _REGISTRY[contract.name] != contract:
        raise ParameterError(
            f"a contract for {contract.name!r} is already registered "
            "(pass replace=True to redefine it)"
        )
    _REGISTRY[contract.name] = contract
    return contract


def unregister(name: str) -> None:
    """Remove a contract (tests, or a user redefining a table)."""
    _REGISTRY.pop(name, None)


def get_contract(name: str, *, errors: str = "raise") -> TableContract | None:
    """Look up the results contract of a table.

    Parameters
    ----------
    name : str
        The table name.
    errors : {"raise", "ignore"}, default "raise"
        What to do when no contract is registered: raise, or return ``None``.

    Returns
    -------
    TableContract or None
        The contract; ``None`` when there is none and ``errors="ignore"``.

    Raises
    ------
    DisclosureError
        When no contract is registered for ``name`` and ``errors="raise"``.

    Examples
    --------
    >>> from clusterlab.publish import get_contract
    >>> get_contract("member_trends").keys
    ('outcome', 'period', 'member')
    >>> get_contract("my_unregistered_table", errors="ignore") is None
    True
    """
    check_choice(errors, ["raise", "ignore"], argument="errors")
    _builtin()
    found = _REGISTRY.get(name)
    if found is None and errors == "raise":
        raise DisclosureError(
            f"no results contract is registered for table {name!r}: it cannot be published. "
            "Register one with clusterlab.publish.contracts.register(TableContract(...)) "
            "(see docs/publishing.md)"
        )
    return found


def contracts() -> pd.DataFrame:
    """Every registered contract: ``table, unit, public, keys, measures, totals, reason``."""
    _builtin()
    rows = [
        {
            "table": c.name,
            "unit": c.unit,
            "public": c.public,
            "keys": ", ".join(c.keys),
            "measures": ", ".join(f"{col}:{m.kind}" for m in c.measures for col in m.columns),
            "totals": ", ".join(f"{'*'.join(t.columns)}={t.over}" for t in c.totals),
            "reason": c.reason,
        }
        for c in sorted(_REGISTRY.values(), key=lambda c: c.name)
    ]
    return pd.DataFrame(
        rows, columns=["table", "unit", "public", "keys", "measures", "totals", "reason"]
    )


def check_table(table: pd.DataFrame, contract: TableContract) -> None:
    """Raise :class:`DataValidationError` when ``table`` misses a column its contract needs,
    or a count/dominance column is not a non-negative number (share within 0–1)."""
    problems = []
    file = f"results table {contract.name!r}"
    for col in contract.required_columns():
        if col not in table.columns:
            problems.append(
                {
                    "file": file,
                    "column": col,
                    "expected": "column required by the results contract",
                    "found": "missing",
                }
            )
    counts = {c for m in contract.measures for c in m.counts}
    for col in sorted(c for c in counts if c in table.columns):
        s = pd.to_numeric(table[col], errors="coerce")
        bad = (s < 0) | (s.isna() & table[col].notna())
        for row in list(bad[bad].index[:5]):
            problems.append(
                {
                    "file": file,
                    "row": row,
                    "column": col,
                    "expected": "a count >= 0",
                    "found": repr(table[col].loc[row]),
                }
            )
    shares = {m.dominance for m in contract.measures if m.dominance}
    for col in sorted(c for c in shares if c in table.columns):
        s = pd.to_numeric(table[col], errors="coerce")
        bad = (s < 0) | (s > 1 + 1e-9) | (s.isna() & table[col].notna())
        for row in list(bad[bad].index[:5]):
            problems.append(
                {
                    "file": file,
                    "row": row,
                    "column": col,
                    "expected": "a share within 0-1",
                    "found": repr(table[col].loc[row]),
                }
            )
    if problems:
        raise DataValidationError(
            f"{contract.name}: {len(problems)} problem(s) against its results contract",
            problem_frame(problems),
        )


def _builtin() -> None:
    if not _BUILTIN_LOADED:
        _load_builtin()


_BUILTIN_LOADED = False


#: Environment variable naming further contract modules or ``.py`` files (``os.pathsep``- or
#: comma-separated), imported with the built-in contracts in every process — notebooks,
#: ``clusterlab publish``, the dashboard kernels.
ENV_CONTRACTS = "CLUSTERLAB_CONTRACTS"


def _load_builtin() -> None:
    global _BUILTIN_LOADED
    _BUILTIN_LOADED = True
    from clusterlab.publish import _registry  # noqa: F401  (registers on import)

    load_contracts(os.environ.get(ENV_CONTRACTS, ""))


def load_contracts(spec: str) -> list[str]:
    """Import contract modules (``mypkg.contracts``) or files (``contracts.py``) that call
    :func:`register`; ``spec`` separates several by ``os.pathsep`` or commas. Returns what was
    loaded. This is how a user's own tables become publishable in *every* process: set
    ``CLUSTERLAB_CONTRACTS`` before ``clusterlab run`` / ``serve`` / ``publish``."""
    import importlib
    import runpy

    loaded = []
    for item in re.split(rf"[,{re.escape(os.pathsep)}]", spec or ""):
        item = item.strip()
        if not item:
            continue
        try:
            if item.endswith(".py"):
                runpy.run_path(item)
            else:
                importlib.import_module(item)
        except (ImportError, OSError, SyntaxError) as err:
            raise ParameterError(
                f"{ENV_CONTRACTS}: cannot load contracts from {item!r}: {err}"
            ) from err
        loaded.append(item)
    return loaded
