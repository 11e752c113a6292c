"""Region boundaries for maps: read GeoJSON, Shapefile or GeoPackage into a table keyed by region.

:func:`read_boundaries` returns a :class:`geopandas.GeoDataFrame` with one row per region, a
text column ``region`` (codes keep their leading zeros: ``"007"``), ``region_name`` when the
file has one, and ``geometry``. The region codes must match the ``region`` codes of the
employment data; :func:`clusterlab.plots.maps.choropleth` joins on them. The parameter
``regions_geometry_file`` points at the user's file; ``None`` gives the SYNTHETIC demo
districts (``datasets/regions.geojson``, made by the seeded demo generator).

geopandas is a core dependency (not an optional extra) because the map is part of every
cluster dashboard and of notebook 01 out of the box; it brings shapely, pyogrio and pyproj
as wheels, with no system library to install.

Examples
--------
>>> from clusterlab.maps import read_boundaries
>>> b = read_boundaries()  # the demo districts
>>> len(b), b["region"].iloc[0], b.geometry.iloc[0].geom_type
(40, 'D01', 'Polygon')
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["read_boundaries", "demo_boundaries_path", "REGION_KEYS"]

#: Column names recognised as the region code when ``region`` is not given (first match wins).
REGION_KEYS = ("region", "REGION", "region_code", "code", "GEOID", "geoid", "NUTS_ID", "id")
_SUFFIXES = {".geojson", ".json", ".shp", ".gpkg", ".zip"}


def demo_boundaries_path() -> Path:
    """Path of the demo boundaries (``datasets/regions.geojson``; SYNTHETIC).

    Returns
    -------
    pathlib.Path
        The GeoJSON file (pass it to :func:`read_boundaries`).

    Examples
    --------
    >>> demo_boundaries_path().name
    'regions.geojson'
    """
    return Path(__file__).resolve().parents[1] / "datasets" / "regions.geojson"


def read_boundaries(
    path: str | os.PathLike | None = None, *, region: str | None = None, layer: str | None = None
):
    """Read region boundaries into a GeoDataFrame keyed by ``region``.

    Parameters
    ----------
    path : path-like, optional
        A GeoJSON (``.geojson``/``.json``), Shapefile (``.shp``, or a ``.zip`` holding one)
        or GeoPackage (``.gpkg``) file. ``None``: the SYNTHETIC demo districts.
    region : str, optional
        The file's column holding the region code (e.g. ``"GEOID"``); by default the first
        of :data:`REGION_KEYS` present.
    layer : str, optional
        Layer of a multi-layer GeoPackage.

    Returns
    -------
    geopandas.GeoDataFrame
        ``region`` (text), ``region_name`` (if present in the file), ``geometry``; one row
        per region, the file's coordinate reference system kept.

    Raises
    ------
    ParameterError
        The file does not exist or has an unknown suffix.
    DataValidationError
        No region column, missing or duplicated codes, missing/empty/invalid geometries —
        every problem listed (file, row, column, expected, found).

    Notes
    -----
    Codes are read as text: a Shapefile's numeric column ``7`` becomes ``"7"``. If your codes
    have leading zeros (``"007"``), store them as text in the file.

    Examples
    --------
    >>> b = read_boundaries()                     # the SYNTHETIC demo districts
    >>> len(b), b["region"].iloc[0]
    (40, 'D01')
    """
    import geopandas as gpd

    file = Path(path) if path is not None else demo_boundaries_path()
    name = file.name
    if path is None and not file.exists():  # installed without the project folder
        return _demo_in_memory()
    if not file.exists():
        raise ParameterError(f"boundaries file not found: {file}")
    if file.suffix.lower() not in _SUFFIXES:
        raise ParameterError(
            f"boundaries file {name}: unknown format {file.suffix!r}; expected "
            "GeoJSON (.geojson/.json), Shapefile (.shp/.zip) or GeoPackage "
            "(.gpkg)"
        )
    try:
        gdf = gpd.read_file(file, layer=layer) if layer else gpd.read_file(file)
    except Exception as exc:  # noqa: BLE001 - any reader failure is the user's file
        raise DataValidationError(
            f"{name}: cannot be read as a boundaries file ({type(exc).__name__}: {exc})",
            problem_frame(
                [
                    {
                        "file": name,
                        "expected": "GeoJSON, Shapefile or GeoPackage",
                        "found": f"{type(exc).__name__}: {str(exc)[:200]}",
                    }
                ]
            ),
        ) from exc
    key = region or next((c for c in REGION_KEYS if c in gdf.columns), None)
    if key is None or key not in gdf.columns:
        raise DataValidationError(
            f"{name}: no region code column",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": region or "region",
                        "expected": "a column of region codes (pass region='...')",
                        "found": "columns: " + ", ".join(map(str, gdf.columns)),
                    }
                ]
            ),
        )
    codes = pd.Series([_code(v) for v in gdf[key]], dtype=object)
    problems = []
    geom = gdf.geometry
    for pos in range(len(gdf)):
        row = pos + 1
        if codes.iloc[pos] is None:
            problems.append(
                {
                    "file": name,
                    "row": row,
                    "column": key,
                    "expected": "a region code",
                    "found": "missing",
                }
            )
        g = geom.iloc[pos]
        if g is None or g.is_empty:
            problems.append(
                {
                    "file": name,
                    "row": row,
                    "column": "geometry",
                    "expected": "a polygon",
                    "found": "missing or empty",
                }
            )
        elif g.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                {
                    "file": name,
                    "row": row,
                    "column": "geometry",
                    "expected": "Polygon or MultiPolygon",
                    "found": g.geom_type,
                }
            )
        elif not g.is_valid:
            problems.append(
                {
                    "file": name,
                    "row": row,
                    "column": "geometry",
                    "expected": "a valid polygon",
                    "found": "invalid (self-intersecting?)",
                }
            )
    dup = codes.duplicated(keep="first") & codes.map(lambda c: c is not None)
    for pos in dup.to_numpy().nonzero()[0]:
        problems.append(
            {
                "file": name,
                "row": int(pos) + 1,
                "column": key,
                "expected": "one row per region",
                "found": f"duplicate of region {codes.iloc[pos]}",
            }
        )
    if problems:
        raise DataValidationError(
            f"{name}: {len(problems)} problem(s) in the boundaries", problem_frame(problems)
        )
    out = pd.DataFrame({"region": codes.astype(str).to_numpy()})
    # Shapefiles cut column names at 10 characters: region_name arrives as region_nam
    name_col = next(
        (c for c in ("region_name", "region_nam", "name", "NAME") if c in gdf.columns and c != key),
        None,
    )
    if name_col is not None:
        out["region_name"] = gdf[name_col].astype("string").to_numpy()
    return gpd.GeoDataFrame(out, geometry=geom.to_numpy(), crs=gdf.crs)


def _code(value) -> str | None:
    """A region code as text; floats that are whole numbers lose the ``.0``."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _demo_in_memory():
    """The demo districts rebuilt by the seeded generator (same bytes as the shipped file)."""
    import geopandas as gpd

    from clusterlab.datasets import load_demo
    from clusterlab.datasets._build_boundaries import build_boundaries
    from clusterlab.datasets.generate import DEFAULT_SEED, _rng

    gj = build_boundaries(_rng(DEFAULT_SEED, "boundaries"), load_demo("regions"))
    return gpd.GeoDataFrame.from_features(gj["features"], crs="EPSG:4326")[
        ["region", "region_name", "geometry"]
    ]
