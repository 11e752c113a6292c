"""Figures of the regional-science measures: each draws what its table says, on the Axes given
or a new one, with a title that says what is shown."""

from __future__ import annotations

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box  # noqa: E402

from clusterlab import mapping
from clusterlab.plots import mapping as figures


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _grid(n=4):
    return gpd.GeoDataFrame(
        {"region": [f"R{i}{j}" for i in range(n) for j in range(n)]},
        geometry=[box(j, i, j + 1, i + 1) for i in range(n) for j in range(n)],
    )


def test_wage_lq_plots_every_cluster_on_given_axes():
    t = pd.DataFrame(
        {
            "cluster_name": ["A", "B", "C"],
            "lq": [2.0, 0.5, 1.2],
            "relative_wage": [1.1, 0.9, np.nan],
            "employment": [100, 50, 10],
        }
    )
    fig, ax = plt.subplots()
    out = figures.wage_lq(t, ax=ax)
    assert out is ax
    assert len(ax.collections[0].get_offsets()) == 2  # C has no wage: not drawn
    assert [a.get_text() for a in ax.texts] == ["A", "B"]
    assert "relative wage" in ax.get_title()


def test_complexity_figures():
    rng = np.random.default_rng(1)
    emp = pd.DataFrame(
        rng.integers(0, 50, (8, 6)),
        index=[f"R{i}" for i in range(8)],
        columns=[f"I{j}" for j in range(6)],
    )
    out = mapping.complexity_outlook(emp)
    ax = figures.complexity_ranking(out.regions, focus="R3")
    assert len(ax.patches) == out.regions["eci"].notna().sum()
    assert "R3" in ax.get_title()
    opts = out.options[out.options["region"] == "R3"]
    ax = figures.diversification_options(opts, label="cluster", n=3)
    assert len(ax.collections[0].get_offsets()) == (opts["present"] == 0).sum()
    assert len(ax.texts) == min(3, (opts["present"] == 0).sum())


def test_moran_scatter_and_lisa_map():
    grid = _grid()
    lq = pd.DataFrame(
        {
            "region": grid["region"],
            "lq": [3.0 if j < 2 else 0.5 for i in range(4) for j in range(4)],
        }
    )
    res = mapping.spatial_autocorrelation(lq, grid, value="lq", permutations=99, seed=1)
    ax = figures.moran_scatter(res)
    assert "I = 0.613" in ax.get_title() or "I = 0.612" in ax.get_title()
    ax = figures.lisa_map(res, grid)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "high-high" in labels and "not significant" in labels
    assert "LISA" in ax.get_title()


def test_concentration_gamma_bars():
    eg = pd.DataFrame({"cluster": ["x", "y", "z"], "gamma": [0.06, -0.01, np.nan]})
    ax = figures.concentration_gamma(eg)
    assert len(ax.patches) == 2
    assert "Ellison-Glaeser" in ax.get_title()
