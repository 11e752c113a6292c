"""Named schemas of clusterlab's tidy data contracts (``DESIGN.md`` §3), built with pandera.

Each schema lists required and optional columns, their types and value checks, and the
columns that must identify a row. :func:`clusterlab.io.read` validates a file against one of
these and turns pandera's failure cases into a problems table (file, row, column, expected,
found).

Examples
--------
>>> from clusterlab.schemas import SCHEMAS, get_schema
>>> sorted(SCHEMAS)[:3]
['definitions', 'edges', 'employment']
>>> get_schema("employment").unique
['region', 'industry', 'year']
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from clusterlab.errors import ParameterError

__all__ = ["SCHEMAS", "get_schema", "code_columns", "CODE_COLUMNS", "CBP_FLAGS", "NOISE_FLAGS"]

#: County Business Patterns employment-size class letters for suppressed cells.
CBP_FLAGS = ["A", "B", "C", "E", "F", "G", "H", "I", "J", "K", "L", "M"]
#: Post-2016 CBP noise / withholding flags.
NOISE_FLAGS = ["D", "S", "N", "G", "H", "J"]


def _text(required: bool = True, nullable: bool = False, **kw) -> pa.Column:
    return pa.Column(str, required=required, nullable=nullable, coerce=True, **kw)


def _num(required: bool = True, nullable: bool = False, checks=None) -> pa.Column:
    return pa.Column(float, required=required, nullable=nullable, coerce=True, checks=checks)


def _int(required: bool = True, nullable: bool = False, checks=None) -> pa.Column:
    return pa.Column("Int64", required=required, nullable=nullable, coerce=True, checks=checks)


def _bool(required: bool = True) -> pa.Column:
    return pa.Column("boolean", required=required, nullable=True, coerce=True)


_nonneg = pa.Check.ge(0, error=">= 0")

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "employment": pa.DataFrameSchema(
        {
            "region": _text(),
            "industry": _text(),
            "year": _int(checks=pa.Check.in_range(1900, 2100, error="a year 1900-2100")),
            "employment": _num(checks=_nonneg),
            "establishments": _num(required=False, nullable=True, checks=_nonneg),
            "payroll": _num(required=False, nullable=True, checks=_nonneg),
            "emp_flag": _text(
                required=False,
                nullable=True,
                checks=pa.Check.isin(
                    sorted(set(CBP_FLAGS + NOISE_FLAGS)), error="a CBP flag letter A-M, D, S or N"
                ),
            ),
        },
        unique=["region", "industry", "year"],
        name="employment",
    ),
    "definitions": pa.DataFrameSchema(
        {
            "industry": _text(),
            "cluster": _text(),
            "cluster_type": _text(
                checks=pa.Check.isin(["traded", "local"], error="'traded' or 'local'")
            ),
            "subcluster": _text(required=False, nullable=True),
            "cluster_name": _text(required=False, nullable=True),
            "industry_name": _text(required=False, nullable=True),
        },
        unique=["industry"],
        name="definitions",
    ),
    "regions": pa.DataFrameSchema(
        {
            "region": _text(),
            "region_type": _text(),
            "parent": _text(required=False, nullable=True),
            "region_name": _text(required=False, nullable=True),
        },
        checks=[
            pa.Check(
                lambda df: (
                    df["parent"].isna() | df["parent"].isin(df["region"])
                    if "parent" in df.columns
                    else pd.Series(True, index=df.index)
                ),
                error="parent: a region of this table (add a row for the parent region)",
                element_wise=False,
            )
        ],
        unique=["region"],
        name="regions",
    ),
    "edges": pa.DataFrameSchema(
        {
            "source": _text(),
            "target": _text(),
            "tie_type": _text(required=False, nullable=True),
            "weight": _num(
                required=False,
                nullable=True,
                checks=pa.Check.ge(0, error=">= 0 (a tie strength; signed ties are not supported)"),
            ),
            "wave": _int(required=False, nullable=True),
            "directed": _bool(required=False),
        },
        checks=[
            pa.Check(
                lambda df: df["source"].isna() | (df["source"] != df["target"]),
                error="target: an actor other than the source (no self-loops)",
                element_wise=False,
            )
        ],
        name="edges",
    ),
    "nodes": pa.DataFrameSchema(
        {
            "node": _text(),
            "kind": _text(),
            "member": _bool(required=False),
            "external": _bool(required=False),
        },
        unique=["node"],
        name="nodes",
    ),
    "participation": pa.DataFrameSchema(
        {"node": _text(), "activity": _text(), "wave": _int(required=False, nullable=True)},
        name="participation",
    ),
    "ratings": pa.DataFrameSchema(
        {
            "initiative": _text(),
            "item": _text(),
            "rater": _text(),
            "score": _num(
                nullable=True,
                checks=pa.Check.in_range(
                    1, 5, error="a score within the instrument's scale (1-5; big five 1-4)"
                ),
            ),
            "instrument": _text(required=False),
            "date": _text(required=False, nullable=True),
            "round": _int(required=False, nullable=True),
            "evidence": _text(required=False, nullable=True),
            "non_rating": _text(
                required=False,
                nullable=True,
                checks=pa.Check.isin(
                    ["na", "dk", "missing", "unknown"], error="na, dk, missing or unknown"
                ),
            ),
        },
        checks=[
            pa.Check(
                lambda df: ~((df.get("instrument", "") == "bigfive") & (df["score"] > 4)),
                error="score: a big-five stage within 1-4",
                element_wise=False,
            )
        ],
        name="ratings",
    ),
    "firm_panel": pa.DataFrameSchema(
        {
            "firm": _text(),
            "period": _int(),
            "member": _int(checks=pa.Check.isin([0, 1], error="0 or 1")),
        },
        unique=["firm", "period"],
        name="firm_panel",
    ),
    "indicators": pa.DataFrameSchema(
        {
            "indicator": _text(),
            "entity": _text(),
            "period": _text(),
            "value": _num(nullable=True),
        },
        # no uniqueness rule: a company may submit an item twice; clusterlab.scorecard keeps the
        # latest submission (``submitted`` column) and reports the replaced rows
        name="indicators",
    ),
    "initiatives": pa.DataFrameSchema(
        {
            "initiative": _text(),
            "cluster": _text(required=False),
            "region": _text(required=False),
            "start_year": _int(required=False, nullable=True),
        },
        unique=["initiative"],
        name="initiatives",
    ),
    "firms": pa.DataFrameSchema(
        {
            "firm": _text(),
            "firm_name": _text(required=False, nullable=True),
            "member": _bool(required=False),
            "consent": _bool(required=False),
        },
        unique=["firm"],
        name="firms",
    ),
}


#: Columns holding codes (identifiers): text after reading, leading zeros kept, surrounding
#: spaces stripped. They are codes in every table that has them, inside or outside its schema.
CODE_COLUMNS = (
    "region",
    "parent",
    "industry",
    "cluster",
    "subcluster",
    "firm",
    "node",
    "source",
    "target",
    "initiative",
    "rater",
    "entity",
    "indicator",
    "item",
    "activity",
    "instrument",
    "tie_type",
    "region_type",
    "kind",
)


def code_columns(name: str, columns=None) -> list[str]:
    """List the code columns of a schema.

    Parameters
    ----------
    name : str
        A schema name of :data:`SCHEMAS`.
    columns : iterable of str, optional
        The columns of a table; those named in :data:`CODE_COLUMNS` are added (an extra code
        column the schema does not declare). Default ``None``.

    Returns
    -------
    list of str
        The code columns (kept as text): those of :data:`CODE_COLUMNS` the schema declares,
        then the ones present in ``columns``.

    Examples
    --------
    >>> code_columns("employment")
    ['region', 'industry']
    >>> code_columns("nodes", ["node", "kind", "initiative", "member"])
    ['node', 'initiative', 'kind']
    """
    declared = list(get_schema(name).columns) if name in SCHEMAS else []
    present = list(columns) if columns is not None else declared
    return [c for c in CODE_COLUMNS if c in present and (c in declared or columns is not None)]


def get_schema(name: str) -> pa.DataFrameSchema:
    """Look up a data contract's schema by name.

    Parameters
    ----------
    name : str
        A key of :data:`SCHEMAS` (``"employment"``, ``"regions"``, ``"ratings"`` …).

    Returns
    -------
    pandera.DataFrameSchema
        The schema (columns, types, checks, unique key).

    Raises
    ------
    ParameterError
        When ``name`` is not a known schema; the message lists the names.

    Examples
    --------
    >>> list(get_schema("regions").columns)[:2]
    ['region', 'region_type']
    """
    try:
        return SCHEMAS[name]
    except KeyError:
        raise ParameterError(
            f"unknown schema {name!r}; available: {', '.join(sorted(SCHEMAS))}"
        ) from None
