"""SYNTHETIC region boundaries of the demo world (``datasets/regions.geojson``).

The 40 fictional districts tile a jittered 8 × 5 grid placed in the open Atlantic
(about 30–26° W, 40–42.5° N), so that no one mistakes the map for a real country. District
``D<k>`` lies in column ``(k - 1) // 5`` and row ``(k - 1) % 5``; since the demo's provinces
cycle in the same way (``parent = P<(k - 1) % 5 + 1>``), every province is one row of
districts. Neighbouring districts share their edges exactly (the jitter moves shared
vertices), so the map has no gaps or overlaps. Provinces are not drawn: the map compares
districts.

Examples
--------
>>> import numpy as np
>>> from clusterlab.datasets._build_boundaries import build_boundaries
>>> from clusterlab.datasets import load_demo
>>> gj = build_boundaries(np.random.default_rng(1), load_demo("regions"))
>>> len(gj["features"]), gj["features"][0]["properties"]["region"]
(40, 'D01')
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["build_boundaries", "write_boundaries", "COLUMNS", "ROWS"]

COLUMNS, ROWS = 8, 5
_WEST, _SOUTH, _CELL = -30.0, 40.0, 0.5  # degrees; cells of 0.5° × 0.5°


def build_boundaries(rng: np.random.Generator, regions: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection (dict) of the districts of ``regions``."""
    districts = regions[regions["region_type"] == "district"].reset_index(drop=True)
    if len(districts) > COLUMNS * ROWS:
        raise ValueError(f"at most {COLUMNS * ROWS} districts fit the demo grid")
    # grid vertices, jittered inside; the outer frame only along its own edge
    vx = np.empty((COLUMNS + 1, ROWS + 1))
    vy = np.empty((COLUMNS + 1, ROWS + 1))
    for i in range(COLUMNS + 1):
        for j in range(ROWS + 1):
            dx, dy = rng.uniform(-0.28, 0.28, 2) * _CELL
            if i in (0, COLUMNS):
                dx = 0.0
            if j in (0, ROWS):
                dy = 0.0
            vx[i, j] = _WEST + i * _CELL + dx
            vy[i, j] = _SOUTH + j * _CELL + dy
    # one wiggle point per edge, shared by the two districts it separates
    mids: dict[tuple, tuple[float, float]] = {}

    def mid(a, b):
        key = tuple(sorted((a, b)))
        if key not in mids:
            (i1, j1), (i2, j2) = key
            x = (vx[i1, j1] + vx[i2, j2]) / 2
            y = (vy[i1, j1] + vy[i2, j2]) / 2
            outer = (i1 == i2 and i1 in (0, COLUMNS)) or (j1 == j2 and j1 in (0, ROWS))
            if not outer:
                # move the midpoint across the edge (perpendicular), up to 15 % of a cell
                nx, ny = -(vy[i2, j2] - vy[i1, j1]), vx[i2, j2] - vx[i1, j1]
                norm = float(np.hypot(nx, ny)) or 1.0
                s = rng.uniform(-0.15, 0.15) * _CELL
                x, y = x + s * nx / norm, y + s * ny / norm
            mids[key] = (float(x), float(y))
        return mids[key]

    features = []
    for k, row in districts.iterrows():
        i, j = divmod(int(k), ROWS)
        corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]  # counter-clockwise
        ring = []
        for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
            ring.append((float(vx[a]), float(vy[a])))
            ring.append(mid(a, b))
        ring.append(ring[0])
        coords = [[round(x, 5), round(y, 5)] for x, y in ring]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "region": str(row["region"]),
                    "region_name": str(row["region_name"]),
                },
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "clusterlab demo districts (SYNTHETIC, fictional)",
        "features": features,
    }


def write_boundaries(path: str | Path, rng: np.random.Generator, regions: pd.DataFrame) -> Path:
    """Write :func:`build_boundaries` as GeoJSON (one feature per line, stable bytes)."""
    gj = build_boundaries(rng, regions)
    lines = [json.dumps(f, separators=(",", ":")) for f in gj["features"]]
    text = (
        '{"type":"FeatureCollection","name":'
        + json.dumps(gj["name"])
        + ',"features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    path = Path(path)
    path.write_text(text, encoding="utf-8")
    return path
