"""Figures of the cluster map: portfolio bubbles, LQ trends, peer regions, specialisation,
wages against LQ, economic complexity and diversification options, Moran scatter and LISA map,
Ellison-Glaeser concentration.

Each function takes a table from :mod:`clusterlab.mapping` and follows the house convention
``f(table, *, ax=None, ...) -> Axes``: it draws on ``ax`` when given (else on a new figure),
checks its table, sets a title that says what the figure shows and returns the Axes. Until 0.2
``portfolio_bubble``, ``lq_trend``, ``peer_lq`` and ``specialisation_profile`` returned the
Figure: use ``ax.figure`` where it is needed.
The module does not change the matplotlib backend (figures appear inline in notebooks).

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> from clusterlab.plots.mapping import lq_trend
>>> t = pd.DataFrame({"region": "A", "cluster": ["x", "x", "y", "y"],
...                   "year": [2020, 2021, 2020, 2021], "lq": [1.1, 1.3, 0.7, 0.6]})
>>> ax = lq_trend(t, focus="A")
>>> ax.get_title(), len(ax.lines)                  # two clusters and the LQ = 1 line
('LQ over time — A', 3)
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from clusterlab._validation import check_frame
from clusterlab.errors import ParameterError
from clusterlab.mapping.portfolio import _region_and_focus, _region_column_renamed, _unknown
from clusterlab.plots._axes import axes_or_new
from clusterlab.plots.dashboard import _draw_portfolio_bubble
from clusterlab.plots.maps import choropleth, cluster_map  # noqa: F401 - maps in plots.maps

__all__ = [
    "portfolio_bubble",
    "lq_trend",
    "peer_lq",
    "specialisation_profile",
    "wage_lq",
    "complexity_ranking",
    "diversification_options",
    "moran_scatter",
    "lisa_map",
    "concentration_gamma",
    "LISA_COLOURS",
]


def _focus_rows(func: str, table: pd.DataFrame, region, focus, *, required: bool):
    """``(region column, focus code, rows of the focus)``: ``region=`` names the column and
    ``focus=`` the code (house style); an old call with the code in ``region=`` still works
    for one release with a :class:`~clusterlab.errors.ClusterlabFutureWarning`."""
    region = "region" if region is None else region  # before 0.2: region=None meant all rows
    region, focus = _region_and_focus(func, table, region, focus)
    check_frame(table, required=[region], name="table")
    if focus is None:
        if required:
            raise ParameterError(f"{func}: give focus= (the region code to show)")
        return region, None, table
    rows = table[table[region] == focus]
    if rows.empty:
        raise _unknown("region", focus, table[region].dropna().unique(), f"{func}(focus=)")
    return region, focus, rows


def portfolio_bubble(
    portfolio: pd.DataFrame,
    *,
    focus: str | None = None,
    region: str = "region",
    y: str = "growth_relative",
    label: str = "cluster_name",
    traded_only: bool = True,
    title: str = "",
    ax=None,
):
    """A region's cluster portfolio: LQ (x) against growth (y), bubble area = employment.

    Strong clusters (CMP flag ``strong``) are outlined; the dashed line is LQ = 1. By default
    y is growth relative to the cluster's growth in all regions (CMP's portfolio chart).

    Parameters
    ----------
    portfolio : pandas.DataFrame
        :func:`clusterlab.mapping.cluster_portfolio`'s table: ``region, lq`` and the ``y``
        column, optionally ``employment, strong, cluster_type`` and the ``label`` column.
    focus : str, optional
        Region code to show (default: every row). Before 0.2 this was ``region=``; that
        spelling still works for one release, with a warning.
    region : str, default "region"
        Column of the region codes.
    y : str, default "growth_relative"
        Column on the y axis.
    label : str, default "cluster_name"
        Column of the bubble labels (falls back to ``cluster``).
    traded_only : bool, default True
        Leave out local clusters (when the table has ``cluster_type``).
    title : str, default ""
        Title; default "Cluster portfolio <focus>".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric ``lq`` or ``y`` column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> p = pd.DataFrame({"region": "A", "cluster": ["x", "y"], "lq": [1.4, 0.6],
    ...                   "growth_relative": [0.02, -0.01], "employment": [300, 100]})
    >>> ax = portfolio_bubble(p, focus="A")
    >>> ax.get_title(), len(ax.texts)
    ('Cluster portfolio A', 2)
    >>> plt.close(ax.figure)
    """
    check_frame(portfolio, required=["lq", y], numeric=["lq", y], name="portfolio")
    region, focus, data = _focus_rows("portfolio_bubble", portfolio, region, focus, required=False)
    if traded_only and "cluster_type" in data.columns:
        data = data[data["cluster_type"] == "traded"]
    if label not in data.columns:
        label = "cluster"
    ylabel = {
        "growth_relative": "employment growth p.a. minus the cluster's overall growth",
        "growth": "employment growth p.a.",
    }.get(y, y)
    ax = axes_or_new(ax, figsize=(6.4, 4.2), layout="constrained")
    _draw_portfolio_bubble(
        ax,
        data,
        x="lq",
        y=y,
        size="employment",
        label=label,
        strong="strong",
        title=title or f"Cluster portfolio {focus or ''}".strip(),
        xlabel="location quotient",
        ylabel=ylabel,
    )
    return ax


def lq_trend(
    table: pd.DataFrame,
    *,
    focus: str | None = None,
    region: str = "region",
    clusters=None,
    label: str = "cluster",
    year: str = "year",
    lq: str = "lq",
    title: str = "",
    ax=None,
):
    """LQ of a region's clusters over the years (one line per cluster; LQ = 1 dashed).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`clusterlab.mapping.lq_trend`'s table: ``region, cluster`` and the ``year`` and
        ``lq`` columns.
    focus : str
        Region code to show (required). Before 0.2 this was ``region=``; that spelling still
        works for one release, with a warning.
    region : str, default "region"
        Column of the region codes.
    clusters : list of str, optional
        Cluster codes to keep (default all).
    label : str, default "cluster"
        Column naming the lines (falls back to ``cluster``).
    year, lq : str, default "year", "lq"
        Column names.
    title : str, default ""
        Title; default "LQ over time — <focus>".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing column or a non-numeric ``lq``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"region": "A", "cluster": "x", "year": [2020, 2021],
    ...                   "lq": [1.1, 1.3]})
    >>> ax = lq_trend(t, focus="A", title="x in A")
    >>> ax.get_title()
    'x in A'
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=["cluster", year, lq], numeric=[lq], name="table")
    region, focus, data = _focus_rows("lq_trend", table, region, focus, required=True)
    if clusters is not None:
        data = data[data["cluster"].isin(list(clusters))]
    if label not in data.columns:
        label = "cluster"
    ax = axes_or_new(ax, figsize=(7, 4), layout="constrained")
    for name, sub in data.sort_values(year).groupby(label, sort=True, observed=True):
        ax.plot(sub[year], sub[lq], marker="o", ms=3, label=str(name))
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel(year)
    ax.set_ylabel("location quotient")
    ax.set_title(title or f"LQ over time — {focus}")
    if 0 < data[label].nunique() <= 15:
        ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1, 0.5))
    return ax


def peer_lq(peers: pd.DataFrame, *, year=None, title: str = "", ax=None):
    """Bar chart of one cluster's LQ across peer regions in one year (focus region coloured).

    Parameters
    ----------
    peers : pandas.DataFrame
        :func:`clusterlab.mapping.peer_comparison`'s table: ``region, year, lq, focus``.
    year : int, optional
        The year shown (default the latest).
    title : str, default ""
        Title; default "Peer regions, <year>".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing column or a non-numeric ``lq``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> p = pd.DataFrame({"region": ["A", "B", "C"], "year": 2021, "lq": [1.5, 0.9, 1.1],
    ...                   "focus": [True, False, False]})
    >>> ax = peer_lq(p)
    >>> ax.get_title(), len(ax.patches)
    ('Peer regions, 2021', 3)
    >>> plt.close(ax.figure)
    """
    check_frame(peers, required=["region", "year", "lq", "focus"], numeric=["lq"], name="peers")
    year = peers["year"].max() if year is None else year
    data = peers[peers["year"] == year].sort_values("lq", ascending=False)
    ax = axes_or_new(ax, figsize=(7, max(2.5, 0.22 * len(data) + 1)), layout="constrained")
    colours = np.where(data["focus"].astype(bool), "#c62828", "#90a4ae")
    ax.barh(data["region"].astype(str), data["lq"], color=colours)
    ax.invert_yaxis()
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("location quotient")
    ax.set_title(title or f"Peer regions, {year}")
    return ax


@_region_column_renamed
def specialisation_profile(
    indices: pd.DataFrame,
    *,
    focus: str | None = None,
    region: str = "region",
    measures=None,
    title: str = "",
    ax=None,
):
    """Where a region stands on each specialisation index among all regions (percentile).

    Each measure is shown as the region's percentile rank among the regions, so that indices
    on different scales fit on one axis; the other regions are grey dots.

    Parameters
    ----------
    indices : pandas.DataFrame
        One row per region (e.g. :func:`clusterlab.mapping.specialisation` for one year)
        with numeric index columns.
    focus : str
        Region code to highlight (required). Before 0.2 this was ``region=``; that spelling
        still works for one release, with a warning.
    region : str, default "region"
        Column of the region codes (before 0.2: ``region_col=``, still accepted for one
        release with a warning).
    measures : list of str, optional
        Index columns to show (default every numeric column but ``year``, ``total`` and
        counts ``n_…``).
    title : str, default ""
        Title; default "Specialisation profile — <focus>".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric measure column, or no region column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> s = pd.DataFrame({"region": ["A", "B", "C"], "hhi": [0.1, 0.3, 0.2],
    ...                   "krugman": [0.5, 0.2, 0.4]})
    >>> ax = specialisation_profile(s, focus="B")
    >>> ax.get_title(), [t.get_text() for t in ax.get_yticklabels()]
    ('Specialisation profile — B', ['hhi', 'krugman'])
    >>> plt.close(ax.figure)
    """
    region, focus, _ = _focus_rows("specialisation_profile", indices, region, focus, required=True)
    if measures is None:  # every index; counts and totals are not indices
        num = indices.select_dtypes("number").drop(columns=["year", "total"], errors="ignore")
        measures = [c for c in num.columns if not c.startswith("n_")]
    measures = list(measures)
    check_frame(indices, required=measures, numeric=measures, name="indices")
    pct = indices[measures].rank(pct=True).mul(100)
    row = pct[(indices[region] == focus).to_numpy()]
    ax = axes_or_new(ax, figsize=(6.5, 0.35 * len(measures) + 1.2), layout="constrained")
    state = np.random.get_state()  # seaborn jitters with numpy's global generator: seed it
    np.random.seed(0)  # so that the figure (and the report) is reproducible
    try:
        sns.stripplot(
            data=pct.melt(var_name="measure", value_name="percentile"),
            x="percentile",
            y="measure",
            color="#b0bec5",
            size=3,
            ax=ax,
            jitter=0.15,
        )
    finally:
        np.random.set_state(state)
    if not row.empty:
        ax.scatter(
            row.iloc[0].to_numpy(),
            np.arange(len(measures)),
            color="#c62828",
            zorder=3,
            label=region,
        )
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_xlim(0, 100)
    ax.set_xlabel("percentile among regions")
    ax.set_ylabel("")
    ax.set_title(title or f"Specialisation profile — {focus}")
    return ax


# ------------------------------------------------------------------ regional science figures
#: LISA cluster colours (the GeoDa convention: red high-high, blue low-low, light outliers).
LISA_COLOURS = {
    "high-high": "#d7191c",
    "low-low": "#2c7bb6",
    "high-low": "#fdae61",
    "low-high": "#abd9e9",
    "not significant": "#eeeeee",
    "no neighbours": "#ffffff",
}


def _check_spatial(result) -> None:
    if not all(hasattr(result, a) for a in ("regions", "moran")):
        raise ParameterError(
            "expected the result of clusterlab.mapping.spatial_autocorrelation, "
            f"got {type(result).__name__}"
        )


def wage_lq(
    table: pd.DataFrame,
    *,
    ax=None,
    lq: str = "lq",
    wage: str = "relative_wage",
    size: str = "employment",
    label: str = "cluster_name",
    title: str = "",
):
    """Where a region's clusters are strong and how well they pay: LQ (x) against the wage
    relative to the cluster elsewhere (y), bubble area = employment; dashed lines at 1.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cluster of one region (e.g. :func:`clusterlab.mapping.performance` for
        the end year) with the ``lq`` and ``wage`` columns; rows missing either are not drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    lq, wage : str, default "lq", "relative_wage"
        Columns on the x and y axes.
    size : str, default "employment"
        Column for the bubble area (equal bubbles when absent).
    label : str, default "cluster_name"
        Column of the bubble labels (falls back to ``cluster``).
    title : str, default ""
        Title; default "Specialisation and relative wage of the region's clusters".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric ``lq`` or ``wage`` column.

    Examples
    --------
    >>> t = pd.DataFrame({"cluster_name": ["A", "B"], "lq": [2.0, 0.5],
    ...                   "relative_wage": [1.1, 0.9], "employment": [100, 50]})
    >>> ax = wage_lq(t)
    >>> [a.get_text() for a in ax.texts]
    ['A', 'B']
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[lq, wage], numeric=[lq, wage], name="table")
    ax = axes_or_new(ax, figsize=(7, 4.5), layout="constrained")
    data = table.dropna(subset=[lq, wage])
    if label not in data.columns:
        label = "cluster"
    area = data[size] / max(float(data[size].max()), 1.0) * 900 + 20 if size in data else 60
    ax.scatter(data[lq], data[wage], s=area, alpha=0.6, color="#1f77b4", edgecolor="white")
    for _, row in data.iterrows():
        ax.annotate(
            str(row[label]),
            (row[lq], row[wage]),
            fontsize=7,
            xytext=(3, 3),
            textcoords="offset points",
        )
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("location quotient (specialisation)")
    ax.set_ylabel("wage relative to the cluster in all regions")
    ax.set_title(title or "Specialisation and relative wage of the region's clusters")
    return ax


def complexity_ranking(
    regions: pd.DataFrame,
    *,
    focus=None,
    ax=None,
    score: str = "eci",
    region: str = "region",
    title: str = "",
):
    """Economic complexity of every region, sorted, the focus region in red (bars).

    Parameters
    ----------
    regions : pandas.DataFrame
        ``.regions`` of :func:`clusterlab.mapping.complexity_outlook` for one year: the
        ``region`` and ``score`` columns.
    focus : str, optional
        Region code drawn in red.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    score : str, default "eci"
        Column of the complexity score.
    region : str, default "region"
        Column of the region codes.
    title : str, default ""
        Title; default "Economic complexity of the regions (<focus> in red)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing column or a non-numeric score.

    Examples
    --------
    >>> r = pd.DataFrame({"region": ["A", "B", "C"], "eci": [0.8, -1.2, 0.4]})
    >>> ax = complexity_ranking(r, focus="C")
    >>> ax.get_title(), len(ax.patches)
    ('Economic complexity of the regions (C in red)', 3)
    >>> plt.close(ax.figure)
    """
    check_frame(regions, required=[region, score], numeric=[score], name="regions")
    data = regions.dropna(subset=[score]).sort_values(score)
    ax = axes_or_new(ax, figsize=(7, max(3.0, 0.16 * len(data) + 1)), layout="constrained")
    colours = np.where(data[region].astype(str) == str(focus), "#c62828", "#90a4ae")
    ax.barh(data[region].astype(str), data[score], color=colours)
    ax.axvline(0.0, color="grey", lw=0.8)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_xlabel("economic complexity index (z-score)")
    ax.set_title(
        title
        or "Economic complexity of the regions"
        + (f" ({focus} in red)" if focus is not None else "")
    )
    return ax


def diversification_options(
    options: pd.DataFrame, *, ax=None, label: str = "cluster_name", n: int = 10, title: str = ""
):
    """A region's diversification options: density (how close its capabilities already are,
    x) against opportunity gain (how much the option opens towards complex activities, y),
    for categories the region does not have yet; the ``n`` largest gains labelled.

    Parameters
    ----------
    options : pandas.DataFrame
        ``.options`` of :func:`clusterlab.mapping.complexity_outlook` for one region and
        year: ``present, density, opportunity_gain``, optionally ``pci`` (the colour).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    label : str, default "cluster_name"
        Column of the point labels (falls back to the category column).
    n : int, default 10
        Number of options labelled (largest opportunity gain first).
    title : str, default ""
        Title; default "Diversification options: closeness against opportunity gain".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> o = pd.DataFrame({"cluster": ["x", "y", "z"], "present": [0, 0, 1],
    ...                   "density": [0.2, 0.5, 0.9], "opportunity_gain": [0.3, -0.1, 0.0]})
    >>> ax = diversification_options(o, label="cluster", n=1)
    >>> [a.get_text() for a in ax.texts]
    ['x']
    >>> plt.close(ax.figure)
    """
    check_frame(
        options,
        required=["present", "density", "opportunity_gain"],
        numeric=["density", "opportunity_gain"],
        name="options",
    )
    ax = axes_or_new(ax, figsize=(7, 4.5), layout="constrained")
    data = options[options["present"] == 0].dropna(subset=["density", "opportunity_gain"])
    if label not in data.columns:
        label = [
            c
            for c in data.columns
            if c not in ("region", "present", "density", "pci", "opportunity_gain", "year")
        ][0]
    # a colour map only for the PCI values: matplotlib warns when cmap comes with one colour
    colour = (
        {"c": data["pci"], "cmap": "viridis"} if "pci" in data.columns else {"color": "#1f77b4"}
    )
    points = ax.scatter(
        data["density"], data["opportunity_gain"], s=50, edgecolor="white", **colour
    )
    if "pci" in data.columns and len(data):
        plt.colorbar(points, ax=ax, label="complexity of the option (PCI)")
    for _, row in data.nlargest(n, "opportunity_gain").iterrows():
        ax.annotate(
            str(row[label]),
            (row["density"], row["opportunity_gain"]),
            fontsize=7,
            xytext=(3, 3),
            textcoords="offset points",
        )
    ax.axhline(0.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("density (share of related capabilities already present)")
    ax.set_ylabel("opportunity gain")
    ax.set_title(title or "Diversification options: closeness against opportunity gain")
    return ax


def moran_scatter(result, *, ax=None, title: str = ""):
    """Moran scatter plot of a :class:`clusterlab.mapping.SpatialAutocorrelation`: each
    region's standardised value against its neighbours' (spatial lag), coloured by LISA
    cluster; the slope of the fitted line is Moran's I.

    Parameters
    ----------
    result : clusterlab.mapping.SpatialAutocorrelation
        The result of :func:`clusterlab.mapping.spatial_autocorrelation`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "Moran scatter plot of <value>: I = <I>".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ParameterError
        ``result`` is not a spatial-autocorrelation result.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from clusterlab import mapping
    >>> grid = gpd.GeoDataFrame({"region": list("ABCDEFGHI")},
    ...                         geometry=[box(j, i, j + 1, i + 1) for i in range(3)
    ...                                   for j in range(3)])
    >>> lq = pd.DataFrame({"region": list("ABCDEFGHI"),
    ...                    "lq": [3.0, 2.5, 0.5, 2.8, 2.0, 0.4, 0.6, 0.5, 0.3]})
    >>> res = mapping.spatial_autocorrelation(lq, grid, value="lq", permutations=99, seed=1)
    >>> moran_scatter(res).get_title().startswith("Moran scatter plot of lq: I = ")
    True
    >>> plt.close("all")
    """
    _check_spatial(result)
    ax = axes_or_new(ax, figsize=(5.5, 5), layout="constrained")
    data = result.regions.dropna(subset=["lag"])
    mean, sd = data["value"].mean(), data["value"].std(ddof=0)
    z, lag = (data["value"] - mean) / sd, (data["lag"] - mean) / sd
    ax.scatter(
        z, lag, c=data["cluster"].map(LISA_COLOURS).fillna("#eeeeee"), edgecolor="#555555", s=40
    )
    moran_i = float(result.moran["I"].iloc[0])
    xs = np.linspace(float(z.min()), float(z.max()), 10)
    ax.plot(xs, moran_i * xs, color="black", lw=1)
    ax.axhline(0, color="grey", lw=0.8, ls="--")
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("value (standardised)")
    ax.set_ylabel("neighbours' average (standardised)")
    value = result.moran["value"].iloc[0]
    ax.set_title(title or f"Moran scatter plot of {value}: I = {moran_i:.3f}")
    return ax


def lisa_map(result, boundaries, *, ax=None, region: str = "region", title: str = ""):
    """Map of the LISA clusters (high-high, low-low, outliers, not significant) of a
    :class:`clusterlab.mapping.SpatialAutocorrelation` on the region ``boundaries``
    (GeoDataFrame keyed by ``region``), to put beside the choropleth of the values.

    Parameters
    ----------
    result : clusterlab.mapping.SpatialAutocorrelation
        The result of :func:`clusterlab.mapping.spatial_autocorrelation`.
    boundaries : geopandas.GeoDataFrame
        Region shapes with the ``region`` column (e.g. :func:`clusterlab.maps.read_boundaries`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    region : str, default "region"
        Column of the region codes in both.
    title : str, default ""
        Title; default "LISA clusters of <value> (pseudo p < <alpha>)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ParameterError
        ``result`` is not a spatial-autocorrelation result.
    DataValidationError
        ``boundaries`` lacks the region or geometry column.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from clusterlab import mapping
    >>> grid = gpd.GeoDataFrame({"region": list("ABCD")},
    ...                         geometry=[box(j, i, j + 1, i + 1) for i in range(2)
    ...                                   for j in range(2)])
    >>> lq = pd.DataFrame({"region": list("ABCD"), "lq": [3.0, 2.5, 0.5, 0.4]})
    >>> res = mapping.spatial_autocorrelation(lq, grid, value="lq", permutations=99, seed=1)
    >>> lisa_map(res, grid).get_title()
    'LISA clusters of lq (pseudo p < 0.05)'
    >>> plt.close("all")
    """
    _check_spatial(result)
    check_frame(boundaries, required=[region, "geometry"], name="boundaries")
    ax = axes_or_new(ax, figsize=(6, 6), layout="constrained")
    geo = boundaries[[region, "geometry"]].copy()
    geo[region] = geo[region].astype(str)
    local = result.regions.assign(**{region: result.regions[region].astype(str)})
    merged = geo.merge(local[[region, "cluster"]], on=region, how="left")
    merged["cluster"] = merged["cluster"].fillna("no data")
    colours = {**LISA_COLOURS, "no data": "#ffffff"}
    merged.plot(ax=ax, color=merged["cluster"].map(colours), edgecolor="#777777", linewidth=0.4)
    from matplotlib.patches import Patch

    shown = [c for c in colours if c in set(merged["cluster"])]
    ax.legend(
        handles=[Patch(facecolor=colours[c], edgecolor="#777777", label=c) for c in shown],
        fontsize=7,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1, 1),
    )
    ax.set_axis_off()
    alpha = getattr(result, "alpha", 0.05)
    ax.set_title(
        title or f"LISA clusters of {result.moran['value'].iloc[0]} (pseudo p < {alpha:g})"
    )
    return ax


def concentration_gamma(eg: pd.DataFrame, *, ax=None, label: str = "cluster_name", title: str = ""):
    """Ellison-Glaeser :math:`\\gamma` of each category, sorted, with EG's guide lines at
    0.02 (above: concentrated) and 0.05 (highly concentrated).

    Parameters
    ----------
    eg : pandas.DataFrame
        :func:`clusterlab.mapping.ellison_glaeser`'s table: ``gamma`` and a label column.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    label : str, default "cluster_name"
        Column of the bar labels (falls back to ``cluster`` or ``industry``).
    title : str, default ""
        Title; default "Geographic concentration of the clusters (Ellison-Glaeser)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A missing or non-numeric ``gamma`` column.

    Examples
    --------
    >>> eg = pd.DataFrame({"cluster": ["x", "y", "z"], "gamma": [0.06, -0.01, None]})
    >>> ax = concentration_gamma(eg)
    >>> len(ax.patches)                                # z has no gamma
    2
    >>> plt.close(ax.figure)
    """
    check_frame(eg, required=["gamma"], numeric=["gamma"], name="eg")
    data = eg.dropna(subset=["gamma"]).sort_values("gamma")
    if label not in data.columns:
        label = [c for c in ("cluster", "industry") if c in data.columns][0]
    ax = axes_or_new(ax, figsize=(7, max(3.0, 0.25 * len(data) + 1)), layout="constrained")
    ax.barh(data[label].astype(str), data["gamma"], color="#5c6bc0")
    for x, ls in ((0.0, "-"), (0.02, "--"), (0.05, ":")):
        ax.axvline(x, color="grey", lw=0.8, ls=ls)
    ax.set_xlabel("Ellison-Glaeser gamma (agglomeration beyond plant lumpiness)")
    ax.set_title(title or "Geographic concentration of the clusters (Ellison-Glaeser)")
    return ax
