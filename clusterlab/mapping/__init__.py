"""Cluster mapping: from region x industry x year employment to a cluster map.

Suppressed cells, cluster definitions, aggregation up a region hierarchy (in memory, DuckDB or
Parquet globs), location quotients, CMP strong-cluster flags, European Cluster Observatory stars,
shift-share, specialisation/concentration indices, relatedness, performance indicators and ranks,
economic complexity, spatial autocorrelation and the Ellison-Glaeser index — each reproducing
published values (US Cluster Mapping Project 2016, EconGeo 1.3, ecomplexity, PySAL). See
``docs/mapping.md`` and ``docs/mapping_regional.md``.

Functions are imported lazily (``clusterlab.mapping.location_quotients`` loads only ``lq``), so
that a notebook that needs one index does not pay for DuckDB.

>>> from clusterlab import mapping
>>> callable(mapping.location_quotients)
True
"""

from __future__ import annotations

import importlib
import sys
import types

#: public name -> submodule that defines it
_API = {
    "impute_suppressed": "suppressed",
    "CMP_MIDPOINTS": "suppressed",
    "assign_clusters": "definitions",
    "cmp_definitions": "definitions",
    "unmapped_industries": "definitions",
    "aggregate": "aggregation",
    "region_ancestors": "aggregation",
    "location_quotients": "lq",
    "strong_clusters": "strong",
    "star_ratings": "stars",
    "shift_share": "shift_share",
    "specialisation": "indices",
    "concentration": "indices",
    "relatedness": "relatedness",
    "relatedness_density": "relatedness",
    "cluster_portfolio": "portfolio",
    "top_clusters": "portfolio",
    "peer_comparison": "portfolio",
    "resolve_focus": "portfolio",
    "region_level": "portfolio",
    "read_cbp": "sources",
    "performance": "performance",
    "ranks": "ranks",
    "complexity": "complexity",
    "complexity_outlook": "outlook",
    "spatial_autocorrelation": "spatial",
    "ellison_glaeser": "agglomeration",
    "plant_herfindahl": "agglomeration",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    try:
        module = _API[name]
    except KeyError:
        raise AttributeError(f"module 'clusterlab.mapping' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"clusterlab.mapping.{module}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """The package module. Importing a submodule binds it as an attribute of the package, which
    would hide the function of the same name (``relatedness``, ``shift_share``,
    ``performance``, ``ranks``, ``complexity`` are both) whenever the submodule is imported
    first (e.g. by ``pytest --doctest-modules`` or by a sibling module): bind the function."""

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and _API.get(name) == name and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
