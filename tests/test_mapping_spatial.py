# ruff: noqa: N806  (W for the weights matrix)
"""mapping.spatial_autocorrelation against the PySAL (esda) documentation examples, the Columbus
data, values computed by hand / from the formula, and bad input.

Published values (esda 2.x ``esda/moran.py`` docstrings, data shipped with libpysal):
- St Louis homicide rates 1988-93 (``stl_hom.txt``, ``stl.gal``): I = 0.244 (3 dp),
  E[I] = -0.012987012987012988, p_norm = 0.00027147862770937614 (two-sided).
- North Carolina SIDS rates 1974 (``sids2.dbf``, ``sids2.gal``): I = 0.248 (3 dp),
  p_norm = 0.0001158330781489969.
- Local Moran of ``desmith.txt`` z with ``desmith.gal``: quadrants 4, 4, 4, 2, 3, 3, 1, 4, 3, 3.
Columbus (Anselin 1988, ``columbus.shp``/``columbus.gal`` from GeoDa): queen contiguity built from
the polygons equals the published GAL neighbours; I of CRIME is checked against the formula
evaluated with numpy on the GAL weights.
"""

from __future__ import annotations

import warnings

import geopandas as gpd  # noqa: E402
import libpysal  # noqa: E402
import numpy as np
import pandas as pd
import pytest
from libpysal.examples import get_path  # noqa: E402
from shapely.geometry import box  # noqa: E402

from clusterlab.errors import DataValidationError, DataWarning, ParameterError  # noqa: E402
from clusterlab.mapping import spatial_autocorrelation  # noqa: E402


def _gal(name):
    f = libpysal.io.open(get_path(name))
    try:
        return f.read()
    finally:
        f.close()  # no ResourceWarning: unclosed file


def _column(file, col):
    f = libpysal.io.open(get_path(file))
    try:
        return np.array(f.by_col[col], dtype=float)
    finally:
        f.close()


def _grid(n=4):
    return gpd.GeoDataFrame(
        {"region": [f"R{i}{j}" for i in range(n) for j in range(n)]},
        geometry=[box(j, i, j + 1, i + 1) for i in range(n) for j in range(n)],
    )


# -------------------------------------------------------------------- published examples


def test_esda_documentation_st_louis():
    w = _gal("stl.gal")
    y = _column("stl_hom.txt", "HR8893")
    values = pd.DataFrame({"region": w.id_order, "hr": y})
    res = spatial_autocorrelation(values, value="hr", weights=w, permutations=0)
    row = res.moran.iloc[0]
    assert round(row["I"], 3) == 0.244
    assert row["expected"] == pytest.approx(-0.012987012987012988, rel=1e-12)
    assert row["p_norm"] == pytest.approx(0.00027147862770937614, rel=1e-6)
    assert np.isnan(row["p_sim"])


def test_esda_documentation_sids():
    w = _gal("sids2.gal")
    y = _column("sids2.dbf", "SIDR74")
    values = pd.DataFrame({"region": w.id_order, "sidr": y})
    row = spatial_autocorrelation(values, value="sidr", weights=w, permutations=0).moran.iloc[0]
    assert round(row["I"], 3) == 0.248
    assert row["p_norm"] == pytest.approx(0.0001158330781489969, rel=1e-6)


def test_esda_documentation_local_quadrants():
    w = _gal("desmith.gal")
    y = _column("desmith.txt", "z")
    values = pd.DataFrame({"region": w.id_order, "z": y})
    res = spatial_autocorrelation(values, value="z", weights=w, permutations=99, seed=10)
    codes = {"high-high": 1, "low-high": 2, "low-low": 3, "high-low": 4}
    assert res.regions["quadrant"].map(codes).tolist() == [4, 4, 4, 2, 3, 3, 1, 4, 3, 3]


def test_columbus_queen_polygons_equal_geoda_gal_and_formula():
    geo = gpd.read_file(get_path("columbus.shp"))
    geo["region"] = geo["POLYID"].astype(str)
    values = geo[["region", "CRIME"]].copy()
    res = spatial_autocorrelation(values, geo, value="CRIME", permutations=199, seed=3)
    gal = _gal("columbus.gal")  # GeoDa queen contiguity, ids = POLYID
    W = np.zeros((49, 49))
    idx = {r: i for i, r in enumerate(values["region"])}
    for k, nbrs in gal.neighbors.items():
        for n in nbrs:
            W[idx[str(k)], idx[str(n)]] = 1.0
    W = W / W.sum(axis=1, keepdims=True)
    z = values["CRIME"].to_numpy() - values["CRIME"].mean()
    expected = len(z) / W.sum() * (z @ W @ z) / (z @ z)
    assert res.moran["I"].iloc[0] == pytest.approx(expected, rel=1e-10)
    assert res.moran["I"].iloc[0] == pytest.approx(0.5002, abs=5e-5)
    # local (esda): I_i = z_i / m2 * (W z)_i with m2 = sum z^2 / (n - 1); lag = W x
    m2 = (z @ z) / (len(z) - 1)
    local = res.regions.set_index("region").loc[values["region"]]
    np.testing.assert_allclose(local["local_i"], z / m2 * (W @ z), rtol=1e-10)
    np.testing.assert_allclose(local["lag"], W @ values["CRIME"].to_numpy(), rtol=1e-12)
    assert local["local_i"].sum() == pytest.approx(48 * res.moran["I"].iloc[0], rel=1e-10)
    assert res.moran["p_sim"].iloc[0] == pytest.approx(1 / 200)  # none of 199 as extreme


# --------------------------------------------------------------------- worked examples


def test_half_grid_by_hand():
    """Left half LQ 3, right half 0.5 on a 4 x 4 queen grid. z = +-1.25, sum z^2 = 25; the
    row-standardised lag deviations give sum z*lag(z) = 15.3125, so I = 0.6125."""
    lq = pd.DataFrame(
        {
            "region": _grid()["region"],
            "lq": [3.0 if j < 2 else 0.5 for i in range(4) for j in range(4)],
        }
    )
    res = spatial_autocorrelation(lq, _grid(), value="lq", permutations=99, seed=1)
    assert res.moran["I"].iloc[0] == pytest.approx(0.6125, rel=1e-12)
    assert res.moran["expected"].iloc[0] == pytest.approx(-1 / 15)
    quad = res.regions.set_index("region")["quadrant"]
    assert (quad[lq.loc[lq["lq"] > 1, "region"]] == "high-high").all()
    assert (quad[lq.loc[lq["lq"] < 1, "region"]] == "low-low").all()
    again = spatial_autocorrelation(lq, _grid(), value="lq", permutations=99, seed=1)
    pd.testing.assert_frame_equal(again.regions, res.regions)


def test_one_dominant_region_is_a_high_low_outlier():
    grid = _grid(5)
    lq = pd.DataFrame({"region": grid["region"], "lq": 0.2})
    lq.loc[lq["region"] == "R22", "lq"] = 9.0
    res = spatial_autocorrelation(lq, grid, value="lq", permutations=0)
    quad = res.regions.set_index("region")["quadrant"]
    assert quad["R22"] == "high-low"
    assert set(quad[grid.loc[[6, 7, 8, 11, 13, 16, 17, 18], "region"]]) == {"low-high"}
    assert res.moran["I"].iloc[0] < 0
    assert (res.regions["cluster"] == "not significant").all()  # no permutations, no claim


def test_rook_differs_from_queen_and_codes_keep_leading_zeros():
    grid = _grid(3)
    grid["region"] = [f"{i:03d}" for i in range(9)]
    vals = pd.DataFrame({"region": grid["region"], "v": [1, 2, 3, 4, 5, 6, 7, 8, 10.0]})
    q = spatial_autocorrelation(vals, grid, value="v", permutations=0)
    r = spatial_autocorrelation(vals, grid, value="v", weights="rook", permutations=0)
    assert q.regions["region"].tolist()[0] == "000"
    assert q.moran["I"].iloc[0] != pytest.approx(r.moran["I"].iloc[0])


def test_islands_and_missing_values_warn():
    grid = _grid(3)
    island = gpd.GeoDataFrame({"region": ["ISL"]}, geometry=[box(10, 10, 11, 11)])
    geo = pd.concat([grid, island], ignore_index=True)
    vals = pd.DataFrame(
        {"region": [*grid["region"][:-1], "ISL"], "v": [1, 2, 3, 4, 5, 6, 7, 8, 4.0]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = spatial_autocorrelation(vals, geo, value="v", permutations=0)
    messages = " ".join(str(w.message) for w in caught if issubclass(w.category, DataWarning))
    assert "no neighbours" in messages and "have no v" in messages
    assert res.regions.set_index("region").loc["ISL", "cluster"] == "no neighbours"
    assert res.moran["n"].iloc[0] == 8
    summary = res.summary()
    assert summary["n_no_neighbours"].iloc[0] == 1


def test_global_random_state_untouched():
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    lq = pd.DataFrame({"region": _grid()["region"], "lq": np.arange(16.0)})
    spatial_autocorrelation(lq, _grid(), value="lq", permutations=49, seed=7)
    assert np.random.random() == before


# ---------------------------------------------------------------------------- bad input


def test_bad_input():
    grid = _grid(3)
    vals = pd.DataFrame({"region": grid["region"], "v": np.arange(9.0)})
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(vals.assign(v=1.0), grid, value="v")
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(vals.assign(v=[np.nan] + [1.0] * 8), grid, value="v")
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(vals.assign(v=[np.inf] + [1.0] * 8), grid, value="v")
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(pd.concat([vals, vals.head(1)]), grid, value="v")
    with pytest.raises(DataValidationError, match="no polygon"):
        spatial_autocorrelation(
            vals.assign(region=["7"] + list(vals["region"][1:])), grid, value="v"
        )
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(vals, grid, value="lq")
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(vals.head(2), grid.head(2), value="v")
    with pytest.raises(ParameterError):
        spatial_autocorrelation(vals, grid, value="v", weights="knn")
    with pytest.raises(ParameterError):
        spatial_autocorrelation(vals, grid, value="v", permutations=-1)
    with pytest.raises(ParameterError):
        spatial_autocorrelation(vals, grid, value="v", alpha=5)
    with pytest.raises(ParameterError):
        spatial_autocorrelation(vals, value="v")
    with pytest.raises(DataValidationError):
        spatial_autocorrelation(vals, grid.drop(columns="region"), value="v")


# ------------------------------------------------------------------------------ invariants

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0.0, 10.0), min_size=9, max_size=9).filter(lambda v: max(v) - min(v) > 1e-3),
    st.floats(0.1, 50.0),
    st.floats(-5.0, 5.0),
)
def test_moran_is_affine_invariant_and_negation_swaps_quadrants(v, scale, shift):
    """I depends only on the pattern: a*x + b (a > 0) gives the same global and local I;
    -x gives the same I and swaps high-high <-> low-low, high-low <-> low-high."""
    grid = _grid(3)
    base = pd.DataFrame({"region": grid["region"], "v": v})
    a = spatial_autocorrelation(base, grid, value="v", permutations=0)
    b = spatial_autocorrelation(
        base.assign(v=base["v"] * scale + shift), grid, value="v", permutations=0
    )
    c = spatial_autocorrelation(base.assign(v=-base["v"]), grid, value="v", permutations=0)
    i = a.moran["I"].iloc[0]
    assert b.moran["I"].iloc[0] == pytest.approx(i, rel=1e-7, abs=1e-9)
    assert c.moran["I"].iloc[0] == pytest.approx(i, rel=1e-7, abs=1e-9)
    np.testing.assert_allclose(b.regions["local_i"], a.regions["local_i"], rtol=1e-6, atol=1e-9)
    swap = {
        "high-high": "low-low",
        "low-low": "high-high",
        "high-low": "low-high",
        "low-high": "high-low",
    }
    z = base["v"] - base["v"].mean()
    clear = (z.abs() > 1e-9).to_numpy() & (a.regions["lag"] - base["v"].mean()).abs().gt(
        1e-9
    ).to_numpy()
    assert (c.regions["quadrant"][clear] == a.regions["quadrant"][clear].map(swap)).all()
