"""Maps: reading boundaries (GeoJSON, Shapefile, GeoPackage), the choropleth, the demo districts.

Expected values are counted by hand or computed independently (shapely areas, numpy
percentiles), never copied from the code's output.
"""

from __future__ import annotations

import json
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.errors import DataValidationError, ParameterError, UnmappedWarning
from clusterlab.maps import demo_boundaries_path, read_boundaries
from clusterlab.plots.maps import MISSING, choropleth, classify, cluster_map

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
from shapely.geometry import Polygon, box  # noqa: E402


def _squares(codes, *, crs="EPSG:3857"):
    """Unit squares side by side, one per code (projected metres)."""
    return gpd.GeoDataFrame(
        {"region": list(codes)}, geometry=[box(i, 0, i + 1, 1) for i in range(len(codes))], crs=crs
    )


# --------------------------------------------------------------------------- read_boundaries
@pytest.mark.parametrize(
    "driver,suffix", [("GeoJSON", ".geojson"), ("ESRI Shapefile", ".shp"), ("GPKG", ".gpkg")]
)
def test_read_boundaries_formats_keep_leading_zeros(tmp_path, driver, suffix):
    g = _squares(["007", "010", "100"]).assign(region_name=["Seven", "Ten", "Hundred"])
    path = tmp_path / f"regions{suffix}"
    with warnings.catch_warnings():
        # a Shapefile cuts region_name to region_nam; geopandas 1.2 and GDAL 3.12 (through
        # pyogrio 0.13) say so, and read_boundaries restores the name
        warnings.filterwarnings("ignore", "Column names longer than 10", UserWarning)
        warnings.filterwarnings("ignore", "Normalized/laundered field name", RuntimeWarning)
        g.to_file(path, driver=driver)
    b = read_boundaries(path)
    assert b["region"].tolist() == ["007", "010", "100"]  # text, zeros kept
    assert b["region_name"].tolist() == ["Seven", "Ten", "Hundred"]
    assert list(b.columns) == ["region", "region_name", "geometry"]
    assert b.crs is not None and b.crs.to_epsg() == 3857
    assert b.geometry.area.round(6).tolist() == [1.0, 1.0, 1.0]


def test_read_boundaries_region_column_by_name(tmp_path):
    g = gpd.GeoDataFrame(
        {"GEOID": ["48201", "48113"], "NAME": ["Harris", "Dallas"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    path = tmp_path / "counties.geojson"
    g.to_file(path, driver="GeoJSON")
    b = read_boundaries(path)  # GEOID is a known key column
    assert b["region"].tolist() == ["48201", "48113"]
    assert b["region_name"].tolist() == ["Harris", "Dallas"]
    g.rename(columns={"GEOID": "fips"}).to_file(tmp_path / "c2.geojson", driver="GeoJSON")
    with pytest.raises(DataValidationError) as err:
        read_boundaries(tmp_path / "c2.geojson")
    assert err.value.problems.loc[0, "found"].startswith("columns: fips")
    assert read_boundaries(tmp_path / "c2.geojson", region="fips")["region"].iloc[0] == "48201"


def test_read_boundaries_lists_every_problem(tmp_path):
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])  # self-intersecting
    features = [
        {
            "type": "Feature",
            "properties": {"region": "A"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        },
        {
            "type": "Feature",
            "properties": {"region": "A"},
            "geometry": {"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 0]]]},
        },
        {
            "type": "Feature",
            "properties": {"region": None},
            "geometry": {"type": "Polygon", "coordinates": [[[4, 0], [5, 0], [5, 1], [4, 0]]]},
        },
        {
            "type": "Feature",
            "properties": {"region": "B"},
            "geometry": json.loads(gpd.GeoSeries([bowtie]).to_json())["features"][0]["geometry"],
        },
        {
            "type": "Feature",
            "properties": {"region": "C"},
            "geometry": {"type": "Point", "coordinates": [1, 1]},
        },
        {"type": "Feature", "properties": {"region": "D"}, "geometry": None},
    ]
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(DataValidationError) as err:
        read_boundaries(path)
    p = err.value.problems
    assert set(p["file"]) == {"bad.geojson"}
    found = set(zip(p["row"], p["column"], strict=True))
    assert found == {
        (2, "region"),
        (3, "region"),
        (4, "geometry"),
        (5, "geometry"),
        (6, "geometry"),
    }
    assert "duplicate of region A" in p.loc[p["row"] == 2, "found"].iloc[0]


def test_read_boundaries_bad_paths(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        read_boundaries(tmp_path / "nope.geojson")
    (tmp_path / "regions.csv").write_text("region\nA\n")
    with pytest.raises(ParameterError, match="unknown format"):
        read_boundaries(tmp_path / "regions.csv")
    (tmp_path / "broken.geojson").write_text("{not json")
    with pytest.raises(DataValidationError, match="cannot be read"):
        read_boundaries(tmp_path / "broken.geojson")


# --------------------------------------------------------------------------- demo districts
def test_demo_districts_tile_without_gaps_or_overlaps():
    b = read_boundaries()
    from clusterlab.datasets import load_demo

    regions = load_demo("regions")
    districts = regions.loc[regions["region_type"] == "district"]
    assert b["region"].tolist() == districts["region"].tolist()
    assert b["region_name"].tolist() == districts["region_name"].tolist()
    assert b.geometry.is_valid.all()
    # independent check with shapely: the union is the 8 x 5 frame of 0.5-degree cells and
    # the parts add up to it (no overlap, no gap)
    plane = b.set_crs(None, allow_override=True)  # areas in square degrees, on purpose
    union = plane.geometry.union_all()
    assert union.area == pytest.approx(4.0 * 2.5, rel=1e-9)
    assert plane.geometry.area.sum() == pytest.approx(union.area, rel=1e-9)
    assert union.bounds == pytest.approx((-30.0, 40.0, -26.0, 42.5))


def test_demo_boundaries_are_made_by_the_seeded_generator(tmp_path):
    from clusterlab.datasets.generate import write_world

    paths = write_world(tmp_path)
    made = [p for p in paths if p.name == "regions.geojson"]
    assert made and made[0].read_bytes() == demo_boundaries_path().read_bytes()
    # the other demo files are untouched by the boundaries
    for p in paths:
        if p.suffix == ".csv":
            assert p.read_bytes() == (demo_boundaries_path().parent / p.name).read_bytes()


# --------------------------------------------------------------------------- choropleth
def test_classify_quantiles_by_hand():
    # 20 values, 4 quantile classes: 5 values each (numpy percentiles give the same breaks)
    v = pd.Series(np.arange(1.0, 21.0))
    klass, labels = classify(v, k=4)
    assert np.bincount(klass).tolist() == [5, 5, 5, 5]
    breaks = np.percentile(v, [25, 50, 75, 100])
    assert labels == [
        f"{lo:.2f} – {hi:.2f}" for lo, hi in zip([1.0, *breaks[:-1]], breaks, strict=True)
    ]
    k2, lab2 = classify(pd.Series([2.0, 2.0, 2.0]), k=5)  # one distinct value: one class
    assert k2.tolist() == [0, 0, 0] and lab2 == ["2.00 – 2.00"]
    with pytest.raises(ParameterError):
        classify(v, scheme="jenks_typo")
    with pytest.raises(ParameterError):
        classify(v, k=0)


def test_equal_interval_classes_by_hand():
    klass, labels = classify(pd.Series([0.0, 1.0, 2.0, 3.0, 10.0]), scheme="equal_interval", k=2)
    assert klass.tolist() == [0, 0, 0, 0, 1] and labels == ["0.00 – 5.00", "5.00 – 10.00"]


def test_choropleth_one_shape_per_region_and_hatched_missing():
    b = _squares(["A", "B", "C", "D", "E"])
    v = pd.DataFrame({"region": ["A", "B", "C"], "lq": [0.5, 1.0, np.nan]})
    ax = choropleth(v, b, value="lq", k=2)
    gids = [p.get_gid() for p in ax.patches]
    assert gids == ["region-A", "region-B", "region-C", "region-D", "region-E"]
    hatched = [p.get_gid() for p in ax.patches if p.get_hatch()]
    assert hatched == ["region-C", "region-D", "region-E"]  # NaN (suppressed) and no row
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["0.50 – 0.75", "0.75 – 1.00", f"{MISSING} (3)"]
    a, bb = ax.patches[0].get_facecolor(), ax.patches[1].get_facecolor()
    assert a != bb  # two classes, two colours
    matplotlib.pyplot.close("all")


def test_choropleth_single_region_and_categories():
    one = _squares(["007"])
    ax = choropleth(pd.DataFrame({"region": ["007"], "lq": [3.2]}), one, value="lq")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["3.20 – 3.20"]
    b = _squares(["A", "B", "C", "D"])
    stars = pd.DataFrame({"region": ["A", "B", "C"], "stars": [3, 0, 3]})
    ax = choropleth(
        stars, b, value="stars", scheme="categories", highlight="B", names={"B": "Bravo"}
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "0",
        "3",
        f"{MISSING} (1)",
        "Bravo",
    ]
    assert ax.patches[-1].get_gid() == "highlight"
    matplotlib.pyplot.close("all")


def test_choropleth_bad_input():
    b = _squares(["A", "B"])
    with pytest.raises(DataValidationError):
        choropleth(pd.DataFrame({"region": ["A", "A"], "lq": [1, 2]}), b, value="lq")
    with pytest.raises(DataValidationError):
        choropleth(pd.DataFrame({"region": ["A"]}), b, value="lq")
    with pytest.raises(DataValidationError, match="read_boundaries"):
        choropleth(pd.DataFrame({"region": ["A"], "lq": [1.0]}), pd.DataFrame(), value="lq")
    with pytest.warns(UnmappedWarning, match="Z"):
        choropleth(pd.DataFrame({"region": ["A", "Z"], "lq": [1.0, 2.0]}), b, value="lq")
    matplotlib.pyplot.close("all")


def test_cluster_map_latest_year_and_focus():
    t = pd.DataFrame(
        {
            "region": ["D01", "D02", "D01", "D02"],
            "year": [2020, 2020, 2021, 2021],
            "lq": [1.0, 2.0, 3.0, np.nan],
            "focus": [True, False, True, False],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no unmapped demo region
        ax = cluster_map(t)
    assert ax.get_title() == "Location quotient by region, 2021 (1 of 40 regions with data)"
    assert ax.patches[-1].get_gid() == "highlight"
    assert sum(bool(p.get_hatch()) for p in ax.patches) == 39
    matplotlib.pyplot.close("all")


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.floats(0.01, 50, allow_nan=False), min_size=1, max_size=12), st.integers(1, 7))
def test_classes_are_ordered_and_cover_every_value(values, k):
    klass, labels = classify(pd.Series(values), k=k)
    assert len(klass) == len(values) and 1 <= len(labels) <= k
    order = np.argsort(values, kind="stable")
    assert (np.diff(klass[order]) >= 0).all()  # a larger value never gets a lower class


def test_regions_geometry_file_is_validated_with_the_parameter_file(tmp_path):
    from clusterlab.params import validate_parameter_file

    (tmp_path / "good.geojson").write_text(demo_boundaries_path().read_text())
    (tmp_path / "dup.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"region": "A"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                        },
                    }
                ]
                * 2,
            }
        )
    )
    good = tmp_path / "good.yaml"
    good.write_text("cluster: north\nregions_geometry_file: good.geojson\n")
    assert validate_parameter_file(good).empty
    bad = tmp_path / "bad.yaml"
    bad.write_text("cluster: north\nregions_geometry_file: dup.geojson\n")
    problems = validate_parameter_file(bad)
    assert problems[["file", "row", "column"]].values.tolist() == [["dup.geojson", 2, "region"]]
