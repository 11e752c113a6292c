"""Choropleth maps of regions: a classed colour scale, a legend, and no region left unexplained.

:func:`choropleth` colours each region of a boundaries table (:func:`clusterlab.maps.
read_boundaries`) by one value of a results table — in ``k`` classes of a mapclassify
``scheme`` (quantiles by default) for numbers, one colour per category for flags and stars.
Regions without a value (no data, or suppressed by disclosure control) are drawn white and
hatched, and the legend says how many there are. Each region is its own shape (SVG group
``region-<code>``), so a map saved as SVG can be checked region by region.
:func:`cluster_map` is the one-call map of one cluster's location quotient across regions
(notebook 01, the dashboards, the static site).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.maps import read_boundaries
>>> from clusterlab.plots.maps import choropleth
>>> b = read_boundaries()
>>> v = pd.DataFrame({"region": b["region"][:30], "lq": [0.2 + 0.1 * i for i in range(30)]})
>>> ax = choropleth(v, b, value="lq", k=4)
>>> len(ax.patches), ax.get_legend().get_texts()[-1].get_text()
(40, 'no data or suppressed (10)')
"""

from __future__ import annotations

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError, UnmappedWarning
from clusterlab.plots._axes import axes_or_new

__all__ = ["choropleth", "cluster_map", "classify", "SCHEMES"]

#: mapclassify schemes accepted by name (plus ``"categories"`` for flags and labels).
SCHEMES = {
    "quantiles": "Quantiles",
    "equal_interval": "EqualInterval",
    "natural_breaks": "NaturalBreaks",
    "fisher_jenks": "FisherJenks",
    "std_mean": "StdMean",
    "categories": None,
}
#: the numeric schemes of :func:`classify` (``"categories"`` is no classification of numbers)
_CLASSIFIERS: dict[str, str] = {s: c for s, c in SCHEMES.items() if c is not None}
MISSING = "no data or suppressed"


def classify(
    values: pd.Series, *, scheme: str = "quantiles", k: int = 5
) -> tuple[np.ndarray, list[str]]:
    """Class of each (non-missing) value and the class labels (``"0.52 – 0.87"``).

    ``k`` is lowered to the number of distinct values when there are fewer.

    Parameters
    ----------
    values : pandas.Series
        Numeric values (one per region).
    scheme : {"quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "std_mean"}
        Classification (mapclassify), default "quantiles".
    k : int, default 5
        Number of classes.

    Returns
    -------
    (numpy.ndarray, list of str)
        The 0-based class of each value and one label per class.

    Examples
    --------
    >>> classify(pd.Series([1.0, 2.0, 3.0, 4.0]), k=2)
    (array([0, 0, 1, 1]), ['1.00 – 2.50', '2.50 – 4.00'])
    """
    check_choice(scheme, _CLASSIFIERS, argument="scheme")
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or k < 1:
        raise ParameterError(f"k must be a positive integer, got {k!r}")
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    k = int(min(k, len(np.unique(v)))) if len(v) else 1
    if len(v) == 0:
        return np.array([], dtype=int), []
    if k == 1:
        return np.zeros(len(v), dtype=int), [f"{_num(v.min())} – {_num(v.max())}"]
    import mapclassify

    with warnings.catch_warnings():
        # ties leave fewer distinct values than classes: mapclassify lowers k, and the
        # labels returned show the classes there are
        warnings.filterwarnings(
            "ignore", message="Not enough unique values in array to form", category=UserWarning
        )
        cls = (
            getattr(mapclassify, _CLASSIFIERS[scheme])(v, k=k)
            if scheme != "std_mean"
            else mapclassify.StdMean(v)
        )
    bins = list(cls.bins)
    lows = [float(v.min())] + bins[:-1]
    labels = [f"{_num(lo)} – {_num(hi)}" for lo, hi in zip(lows, bins, strict=True)]
    return np.asarray(cls.yb, dtype=int), labels


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}"


def _path(geom) -> MplPath:
    """A matplotlib path of a (multi)polygon, holes included."""
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    verts, codes = [], []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            c = np.full(len(xy), MplPath.LINETO)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            codes.append(c)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def choropleth(
    values: pd.DataFrame,
    boundaries,
    *,
    value: str,
    region: str = "region",
    scheme: str = "quantiles",
    k: int = 5,
    ax=None,
    cmap: str = "YlGnBu",
    title: str = "",
    legend_title: str | None = None,
    highlight=None,
    names: dict | None = None,
):
    """Draw ``values[value]`` per region on the region ``boundaries``; return the Axes.

    Parameters
    ----------
    values : pandas.DataFrame
        One row per region: ``region`` and ``value`` columns (suppressed cells as missing).
    boundaries : geopandas.GeoDataFrame
        From :func:`clusterlab.maps.read_boundaries` (keyed by ``region``).
    value : str
        The column to map. Numbers are classed by ``scheme``; booleans, text and categories
        get one colour each (so do numbers with ``scheme="categories"``, e.g. 0–3 stars).
    region : str
        Region code column of ``values``.
    scheme : {"quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "std_mean",
        "categories"}
        Classification (mapclassify); quantiles give each class about the same number of
        regions.
    k : int
        Number of classes (fewer when there are fewer distinct values).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    cmap : str
        Sequential matplotlib colour map.
    title, legend_title : str
        Axes title (say what is shown, where and when) and legend title.
    highlight : str, optional
        A region code outlined in black (the initiative's region).
    names : dict, optional
        Region code → name, for the title of the highlighted region in the legend.

    Returns
    -------
    matplotlib.axes.Axes
        One patch per boundary region (its ``gid`` is ``region-<code>``); regions without a
        value are white and hatched, counted in the legend.

    Raises
    ------
    DataValidationError
        ``values`` lacks the columns or has one region twice.

    Warns
    -----
    UnmappedWarning
        Regions of ``values`` absent from the boundaries (not drawn).

    Notes
    -----
    Classed schemes follow Slocum et al. (2009), *Thematic Cartography and
    Geovisualization*, ch. 5; the class breaks are mapclassify's (Rey, Stephens & Wolf 2023).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.maps import read_boundaries
    >>> b = read_boundaries()
    >>> v = pd.DataFrame({"region": ["D01", "D02"], "strong": [True, False]})
    >>> ax = choropleth(v, b, value="strong")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['yes', 'no', 'no data or suppressed (38)']
    """
    check_frame(values, required=[region, value], unique=[region], name="values")
    check_choice(scheme, SCHEMES, argument="scheme")
    if not hasattr(boundaries, "geometry") or "region" not in getattr(boundaries, "columns", []):
        raise DataValidationError(
            "boundaries: expected a GeoDataFrame keyed by 'region' (use read_boundaries)",
            problem_frame(
                [
                    {
                        "file": "boundaries",
                        "column": "region",
                        "expected": "GeoDataFrame with a region column",
                        "found": type(boundaries).__name__,
                    }
                ]
            ),
        )
    vals = values[[region, value]].copy()
    vals[region] = vals[region].astype(str)
    known = set(boundaries["region"].astype(str))
    unmapped = sorted(set(vals[region]) - known)
    if unmapped:
        warnings.warn(
            f"{len(unmapped)} region(s) of the values are not in the boundaries and "
            f"are not drawn: {', '.join(unmapped[:8])}",
            UnmappedWarning,
            stacklevel=2,
        )
    lookup = dict(zip(vals[region], vals[value], strict=True))
    codes = boundaries["region"].astype(str).tolist()
    raw = pd.Series([lookup.get(c) for c in codes], dtype=object)
    present = raw.map(
        lambda x: x is not None and not (isinstance(x, float) and math.isnan(x)) and x is not pd.NA
    )
    categorical = scheme == "categories" or not (
        pd.api.types.is_numeric_dtype(values[value])
        and not pd.api.types.is_bool_dtype(values[value])
    )
    palette = plt.get_cmap(cmap)
    colours: dict[int, tuple[float, float, float, float]] = {}
    if categorical:
        cats = _categories(raw[present])
        labels = [_cat_label(c) for c in cats]
        idx = {c: i for i, c in enumerate(cats)}
        klass = np.array([idx[_cat_key(x)] if p else -1 for x, p in zip(raw, present, strict=True)])
    else:
        yb, labels = classify(raw[present].astype(float), scheme=scheme, k=k)
        klass = np.full(len(raw), -1)
        klass[present.to_numpy()] = yb
    n = max(len(labels), 1)
    for i in range(n):
        colours[i] = palette(0.15 + 0.8 * (i / (n - 1) if n > 1 else 0.5))
    ax = axes_or_new(ax, figsize=(6.4, 4.6), layout="constrained")
    geoms = boundaries.geometry.to_numpy()
    for code, geom, c in zip(codes, geoms, klass, strict=True):
        if c >= 0:
            patch = PathPatch(_path(geom), facecolor=colours[int(c)], edgecolor="#555555", lw=0.5)
        else:
            patch = PathPatch(
                _path(geom), facecolor="white", edgecolor="#777777", lw=0.5, hatch="////"
            )
        patch.set_gid(f"region-{code}")
        ax.add_patch(patch)
    if highlight is not None and str(highlight) in codes:
        geom = geoms[codes.index(str(highlight))]
        ax.add_patch(
            PathPatch(_path(geom), facecolor="none", edgecolor="black", lw=2.0, gid="highlight")
        )
    _frame(ax, boundaries)
    handles = [
        Patch(facecolor=colours[i], edgecolor="#555555", label=lab) for i, lab in enumerate(labels)
    ]
    n_missing = int((klass < 0).sum())
    if n_missing:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#777777",
                hatch="////",
                label=f"{MISSING} ({n_missing})",
            )
        )
    if highlight is not None and str(highlight) in codes:
        who = (names or {}).get(str(highlight), str(highlight))
        handles.append(Patch(facecolor="none", edgecolor="black", lw=2.0, label=who))
    ax.legend(
        handles=handles,
        title=legend_title if legend_title is not None else value,
        fontsize=7,
        title_fontsize=8,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _frame(ax, boundaries) -> None:
    x0, y0, x1, y1 = boundaries.total_bounds
    pad = 0.02 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    crs = getattr(boundaries, "crs", None)
    geographic = (
        crs is None
        and -180 <= x0 <= x1 <= 180
        and -90 <= y0 <= y1 <= 90
        or (crs is not None and crs.is_geographic)
    )
    # degrees of longitude shrink with latitude: keep shapes true at the map's mid-latitude
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)) if geographic else "equal")
    ax.set_axis_off()


def _cat_key(x):
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _categories(series: pd.Series) -> list:
    keys = list(dict.fromkeys(_cat_key(x) for x in series))
    if all(isinstance(x, bool) for x in keys):
        return [True, False] if len(keys) == 2 else keys  # "yes" first
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=str)


def _cat_label(x) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    return str(x)


def cluster_map(
    table: pd.DataFrame,
    boundaries=None,
    *,
    value: str = "lq",
    year=None,
    region: str = "region",
    highlight=None,
    scheme: str = "quantiles",
    k: int = 5,
    ax=None,
    title: str = "",
    names: dict | None = None,
):
    """One cluster's ``value`` (LQ by default) across regions in one year, as a map.

    Parameters
    ----------
    table : pandas.DataFrame
        One cluster, one row per region and year — e.g. ``mapping.peer_comparison`` or the
        rows of ``mapping.location_quotients`` for the cluster.
    boundaries : geopandas.GeoDataFrame, optional
        :func:`clusterlab.maps.read_boundaries` of ``regions_geometry_file``; ``None``: the
        demo districts.
    value : str, default "lq"
        Column drawn.
    year : int, optional
        Year shown (default: the latest in ``table``).
    region : str, default "region"
        Column of the region codes.
    highlight : str, optional
        Region outlined (default: the row flagged ``focus`` if the table has that column).
    scheme : str, default "quantiles"
        Classification, as in :func:`choropleth`.
    k : int, default 5
        Number of classes.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "<value> by region, <year> (<n> of <N> regions with data)".
    names : dict, optional
        Region code → name, for the highlighted region in the legend.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["D01", "D02", "D03"], "year": 2021,
    ...                   "lq": [2.5, 0.8, 1.1], "focus": [True, False, False]})
    >>> cluster_map(t, k=3).get_title()
    'Location quotient by region, 2021 (3 of 40 regions with data)'
    """
    from clusterlab import labels
    from clusterlab.maps import read_boundaries

    check_frame(table, required=[region, value], name="table")
    if boundaries is None:
        boundaries = read_boundaries()
    data = table
    if year is None and "year" in data.columns and data["year"].notna().any():
        year = data["year"].max()
    if year is not None and "year" in data.columns:
        data = data[data["year"] == year]
    if highlight is None and "focus" in data.columns:
        hit = data.loc[data["focus"].fillna(False).astype(bool), region]
        highlight = hit.iloc[0] if len(hit) else None
    data = data[[region, value]].drop_duplicates(region)
    n = int(data[value].notna().sum())
    when = f", {year}" if year is not None else ""
    title = title or (
        f"{labels.label(value)} by region{when} ({n} of {len(boundaries)} regions with data)"
    )
    return choropleth(
        data,
        boundaries,
        value=value,
        region=region,
        scheme=scheme,
        k=k,
        ax=ax,
        title=title,
        legend_title=labels.label(value),
        highlight=highlight,
        names=names,
    )
