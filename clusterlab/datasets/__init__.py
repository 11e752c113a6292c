"""Embedded demo data: a seeded, fully SYNTHETIC cluster world.

Three fictional cluster initiatives (``northport_maritime``, ``valley_foodtech``,
``eastshire_medtech``) in a country of 40 fictional districts and 5 provinces, with region ×
industry × year employment (CBP-style suppressed cells), member and non-member firm panels,
tie networks, initiative-activity participation, CIMBT and big-five ratings and scorecard
indicators. Every name is fictional. The data dictionary is ``datasets/README.md``.

Examples
--------
>>> from clusterlab.datasets import load_demo, demo_names
>>> emp = load_demo("employment")
>>> list(emp.columns[:4])
['region', 'industry', 'year', 'employment']
>>> "ratings" in demo_names()
True
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from clusterlab.errors import ParameterError

__all__ = ["load_demo", "demo_names", "demo_path", "SYNTHETIC_LABEL"]

SYNTHETIC_LABEL = "SYNTHETIC DEMO DATA — fictional regions, clusters and firms"

_DATA_DIR = Path(__file__).resolve().parents[2] / "datasets"

# columns read as text (codes with leading zeros, flags) and as nullable integers
_TEXT = [
    "region",
    "parent",
    "industry",
    "cluster",
    "subcluster",
    "emp_flag",
    "firm",
    "initiative",
    "node",
    "source",
    "target",
    "activity",
    "item",
    "rater",
    "indicator",
    "entity",
    "sector",
    "non_rating",
    "evidence",
    "region_name",
    "firm_name",
    "node_name",
    "date",
]
_NULLABLE_INT = ["join_year", "score"]


def demo_path(name: str) -> Path:
    """Give the path of a demo table's CSV file in the project's ``datasets/`` folder.

    Parameters
    ----------
    name : str
        A demo table name (see :func:`demo_names`).

    Returns
    -------
    pathlib.Path
        ``datasets/<name>.csv`` (the file exists in a checkout of the project).

    Examples
    --------
    >>> from clusterlab.datasets import demo_path
    >>> demo_path("regions").name
    'regions.csv'
    """
    return _DATA_DIR / f"{name}.csv"


def demo_names() -> list[str]:
    """List the names of the demo tables.

    Returns
    -------
    list of str
        Table names accepted by :func:`load_demo` and :func:`demo_path`.

    Examples
    --------
    >>> from clusterlab.datasets import demo_names
    >>> demo_names()[:3]
    ['regions', 'definitions', 'employment']
    """
    from clusterlab.datasets.generate import TABLES

    return [n for n in TABLES if demo_path(n).exists()] or list(_world())


@lru_cache(maxsize=1)
def _world() -> dict[str, pd.DataFrame]:
    from clusterlab.datasets.generate import build_world

    return build_world()


@cache
def _read(name: str) -> pd.DataFrame:
    path = demo_path(name)
    if not path.exists():  # installed without the project folder: rebuild (deterministic)
        return _world()[name]
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: "str" for c in header if c in _TEXT}
    dtypes.update({c: "Int64" for c in header if c in _NULLABLE_INT})
    return pd.read_csv(path, dtype=dtypes, keep_default_na=True)


def load_demo(name: str) -> pd.DataFrame:
    """Return one table of the synthetic demo world (a fresh copy).

    Parameters
    ----------
    name : str
        One of ``regions, definitions, employment, initiatives, firms, firm_panel, nodes,
        edges, participation, ratings, indicators`` (see ``datasets/README.md``).

    Returns
    -------
    pandas.DataFrame
        The table with the columns of the schema of the same name (:mod:`clusterlab.schemas`);
        its ``attrs["source"]`` says it is synthetic.

    Raises
    ------
    ParameterError
        When ``name`` is not a demo table.

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> load_demo("regions").head(2)
      region region_name region_type parent
    0    D01   Northport    district     P1
    1    D02   Eastshire    district     P2
    """
    from clusterlab.datasets.generate import TABLES

    if name not in TABLES:
        raise ParameterError(f"unknown demo table {name!r}; available: {', '.join(TABLES)}")
    table = _read(name).copy()
    table.attrs["source"] = SYNTHETIC_LABEL
    return table
