r"""Spatial autocorrelation of a cluster's strength across regions: global Moran's I and local
indicators of spatial association (LISA), with permutation inference (PySAL ``esda``).

With :math:`z_i = x_i - \bar x` and row-standardised contiguity weights :math:`w_{ij}`:

.. math::

    I = \frac{n}{S_0} \frac{\sum_i \sum_j w_{ij} z_i z_j}{\sum_i z_i^2}, \qquad
    I_i = \frac{z_i}{m_2} \sum_j w_{ij} z_j, \quad m_2 = \frac{1}{n-1}\sum_i z_i^2

(:math:`S_0 = \sum_{ij} w_{ij}`; :math:`m_2` with divisor :math:`n-1` as in ``esda``, so that
:math:`\sum_i I_i = (n-1) I` for row-standardised weights; Anselin (1995) divides by
:math:`n`). :math:`I > 0`: strong regions sit next to strong regions.
A region is *high-high* when its value and its neighbours' average are above the mean, *low-low*
when both are below, and an outlier (*high-low*, *low-high*) otherwise; the LISA cluster is
reported when the conditional permutation pseudo p-value is below ``alpha``.

Examples
--------
>>> import geopandas as gpd
>>> import pandas as pd
>>> from shapely.geometry import box
>>> grid = gpd.GeoDataFrame({"region": [f"R{i}{j}" for i in range(4) for j in range(4)]},
...                         geometry=[box(j, i, j + 1, i + 1) for i in range(4)
...                                   for j in range(4)])
>>> lq = pd.DataFrame({"region": grid["region"],
...                    "lq": [3.0 if j < 2 else 0.5 for i in range(4) for j in range(4)]})
>>> res = spatial_autocorrelation(lq, grid, value="lq", permutations=99, seed=1)
>>> float(round(res.moran["I"].iloc[0], 4))
0.6125
>>> res.regions["quadrant"].value_counts().to_dict()
{'high-high': 8, 'low-low': 8}
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, ParameterError

__all__ = ["spatial_autocorrelation", "SpatialAutocorrelation", "QUADRANTS", "WEIGHTS"]

#: esda quadrant code -> label (1 HH, 2 LH, 3 LL, 4 HL).
QUADRANTS = {1: "high-high", 2: "low-high", 3: "low-low", 4: "high-low"}

#: Contiguity rules accepted by name (or pass a ``libpysal.weights.W``).
WEIGHTS = ("queen", "rook")


@dataclass(frozen=True)
class SpatialAutocorrelation:
    """Result of :func:`spatial_autocorrelation`.

    Attributes
    ----------
    moran : pandas.DataFrame
        One row: ``value, n, I, expected, z_norm, p_norm, p_sim, permutations, weights``
        (``p_norm`` two-sided under normality; ``p_sim`` one-sided pseudo p-value,
        :math:`(k + 1)/(m + 1)` with :math:`k` permutations at least as extreme).
    regions : pandas.DataFrame
        One row per region: ``region, value, lag, local_i, p_sim, quadrant, cluster`` --
        ``p_sim`` is the directed conditional-permutation pseudo p-value (as GeoDa: the share of
        permutations at least as extreme in the direction of the observed :math:`I_i`);
        ``lag`` is the neighbours' weighted mean, ``quadrant`` the Moran scatter quadrant,
        ``cluster`` the quadrant when ``p_sim < alpha`` else ``"not significant"`` (``"no
        neighbours"`` for islands, which are left out of the statistics).
    alpha : float
        Significance level of the LISA clusters.
    """

    moran: pd.DataFrame
    regions: pd.DataFrame
    alpha: float

    def summary(self) -> pd.DataFrame:
        """The global statistic with the number of regions in each LISA cluster."""
        counts = self.regions["cluster"].value_counts()
        out = self.moran.copy()
        for label in [*QUADRANTS.values(), "not significant", "no neighbours"]:
            out[f"n_{label.replace('-', '_').replace(' ', '_')}"] = int(counts.get(label, 0))
        return out


def _weights(weights, geo, ids):
    from libpysal import weights as lw

    if isinstance(weights, str):
        check_choice(weights, WEIGHTS, argument="weights")
        builder = lw.Queen if weights == "queen" else lw.Rook
        with warnings.catch_warnings():
            # libpysal's note on islands and disconnected components: we report the regions
            # without neighbours ourselves ("no neighbours" in the result, with a DataWarning);
            # other components (a coast, a border) are a property of the map, not of the data
            warnings.filterwarnings(
                "ignore", message="The weights matrix is not fully connected", category=UserWarning
            )
            return builder.from_dataframe(geo, ids=ids, use_index=False), weights
    if isinstance(weights, lw.W):
        # region codes are text; a GAL file's ids may have been read as integers
        weights = lw.W(
            {str(k): [str(n) for n in v] for k, v in weights.neighbors.items()},
            {str(k): list(v) for k, v in weights.weights.items()},
            silence_warnings=True,
        )
        missing = [i for i in ids if i not in weights.neighbors]
        if missing:
            raise DataValidationError(
                f"weights: {len(missing)} regions have no entry in the weights object",
                problem_frame(
                    {
                        "file": "weights",
                        "column": "region",
                        "expected": "an entry",
                        "found": f"missing {m}",
                    }
                    for m in missing[:50]
                ),
            )
        return lw.w_subset(weights, ids, silence_warnings=True), "custom"
    raise ParameterError(f"weights must be 'queen', 'rook' or a libpysal W, got {weights!r}")


def spatial_autocorrelation(
    values: pd.DataFrame,
    boundaries=None,
    *,
    value: str,
    region: str = "region",
    weights="queen",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
) -> SpatialAutocorrelation:
    r"""Global Moran's I and local Moran (LISA) of ``value`` across regions.

    Parameters
    ----------
    values : pandas.DataFrame
        One row per region with ``region`` and ``value`` columns (e.g. one cluster's LQ in one
        year). Never modified.
    boundaries : geopandas.GeoDataFrame, optional
        Region polygons with a ``region`` column (e.g. ``clusterlab.maps.read_boundaries()``);
        needed unless ``weights`` is a ``libpysal`` weights object keyed by region.
    value : str
        Column of ``values`` to analyse (keyword-only).
    region : str
        Region column of ``values`` and ``boundaries``.
    weights : {"queen", "rook"} or libpysal.weights.W
        Contiguity from the polygons (queen: a shared point makes neighbours; rook: a shared
        edge), or given weights. Always row-standardised.
    permutations : int
        Conditional random permutations for the pseudo p-values (0: none, ``p_sim`` NaN).
    seed : int, optional
        Seed of the permutations (reproducible p-values).
    alpha : float
        Level below which a local pseudo p-value marks a LISA cluster.

    Returns
    -------
    SpatialAutocorrelation
        ``.moran`` (global), ``.regions`` (local), ``.summary()``.

    Raises
    ------
    DataValidationError
        Missing columns; missing, non-numeric or infinite values; a region twice; regions of
        ``values`` without a polygon (or a weights entry); fewer than three regions with
        neighbours; a value that does not vary.
    ParameterError
        Unknown ``weights``; ``permutations`` negative; ``alpha`` outside (0, 1).

    Warns
    -----
    DataWarning
        Polygons without a value (left out) and regions without neighbours (islands: left out
        of the statistics, ``cluster = "no neighbours"``).

    Notes
    -----
    Thin layer over ``esda.Moran`` / ``esda.Moran_Local`` (PySAL, BSD-3) with row-standardised
    weights; reproduces the esda documentation values for St Louis homicide rates (Moran's I
    0.244, E[I] = -1/77, p_norm 2.71e-4) and the Columbus crime example (queen contiguity from
    the polygons equals the GeoDa ``columbus.gal`` weights; I = 0.5002). See
    ``tests/test_mapping_spatial.py``.

    References
    ----------
    Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. *Biometrika* 37, 17-23.
    Anselin, L. (1995). Local indicators of spatial association -- LISA. *Geographical
    Analysis* 27(2), 93-115. Rey, S. J. & Anselin, L. (2007). PySAL: a Python library of
    spatial analytical methods. *Review of Regional Studies* 37(1), 5-27.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import box
    >>> strip = gpd.GeoDataFrame({"region": list("abcdef")},
    ...                          geometry=[box(i, 0, i + 1, 1) for i in range(6)])
    >>> lq = pd.DataFrame({"region": list("abcdef"), "lq": [3, 2.5, 2, 0.5, 0.4, 0.3]})
    >>> res = spatial_autocorrelation(lq, strip, value="lq", permutations=0)
    >>> res.regions["quadrant"].tolist()
    ['high-high', 'high-high', 'high-high', 'low-low', 'low-low', 'low-low']
    """
    if (
        not isinstance(permutations, int | np.integer)
        or isinstance(permutations, bool)
        or permutations < 0
    ):
        raise ParameterError(f"permutations must be a non-negative integer, got {permutations!r}")
    if not (isinstance(alpha, float | int) and 0 < alpha < 1):
        raise ParameterError(f"alpha must be between 0 and 1, got {alpha!r}")
    if not isinstance(value, str):
        raise ParameterError(f"value must be a column name, got {value!r}")
    check_frame(
        values,
        required=[region, value],
        numeric=[value],
        no_missing=[region, value],
        unique=[region],
        name="values",
    )
    x_all = values[value].to_numpy(dtype=float)
    if not np.isfinite(x_all).all():
        rows = np.flatnonzero(~np.isfinite(x_all))[:50] + 1
        raise DataValidationError(
            f"values: infinite values in {value}",
            problem_frame(
                {
                    "file": "values",
                    "row": int(r),
                    "column": value,
                    "expected": "finite",
                    "found": "inf",
                }
                for r in rows
            ),
        )
    data = values[[region, value]].copy()
    data[region] = data[region].astype(str)

    from libpysal import weights as lw

    if boundaries is None:
        if not isinstance(weights, lw.W):
            raise ParameterError(
                "boundaries are needed to build contiguity weights; pass the "
                "region polygons or a libpysal weights object"
            )
        geo = None
        ids = data[region].tolist()
    else:
        check_frame(
            boundaries,
            required=[region, "geometry"],
            no_missing=[region],
            unique=[region],
            name="boundaries",
        )
        geo = boundaries[[region, "geometry"]].copy()
        geo[region] = geo[region].astype(str)
        no_poly = sorted(set(data[region]) - set(geo[region]))
        if no_poly:
            raise DataValidationError(
                f"values: {len(no_poly)} regions have no polygon in boundaries (are the codes "
                "written the same way, e.g. with leading zeros?)",
                problem_frame(
                    {
                        "file": "values",
                        "column": region,
                        "expected": "a polygon",
                        "found": f"no polygon for {r}",
                    }
                    for r in no_poly[:50]
                ),
            )
        no_value = sorted(set(geo[region]) - set(data[region]))
        if no_value:
            warnings.warn(
                f"{len(no_value)} polygons have no {value} and are left out: "
                + ", ".join(no_value[:10]),
                DataWarning,
                stacklevel=2,
            )
        geo = geo[geo[region].isin(data[region])]
        data = data.set_index(region).loc[geo[region]].reset_index()
        ids = geo[region].tolist()
    w, kind = _weights(weights, geo, ids)
    islands = [i for i in ids if w.cardinalities.get(i, 0) == 0]
    keep = [i for i in ids if i not in set(islands)]
    if islands:
        warnings.warn(
            f"{len(islands)} regions have no neighbours and are left out of the "
            "statistics: " + ", ".join(map(str, islands[:10])),
            DataWarning,
            stacklevel=2,
        )
        w = lw.w_subset(w, keep, silence_warnings=True)
    if len(keep) < 3:
        raise DataValidationError(
            f"values: {len(keep)} regions with neighbours; spatial autocorrelation needs at "
            "least 3",
            problem_frame(
                [
                    {
                        "file": "values",
                        "column": region,
                        "expected": ">= 3 regions with neighbours",
                        "found": str(len(keep)),
                    }
                ]
            ),
        )
    x = data.set_index(region).loc[keep, value].to_numpy(dtype=float)
    if np.ptp(x) == 0:
        raise DataValidationError(
            f"values: {value} is the same in every region; Moran's I is undefined",
            problem_frame(
                [
                    {
                        "file": "values",
                        "column": value,
                        "expected": "varying values",
                        "found": f"all {x[0]}",
                    }
                ]
            ),
        )
    w.transform = "r"
    return _compute(
        x,
        w,
        keep=keep,
        islands=islands,
        data=data,
        region=region,
        value=value,
        kind=kind,
        permutations=permutations,
        seed=seed,
        alpha=alpha,
    )


def _compute(x, w, *, keep, islands, data, region, value, kind, permutations, seed, alpha):
    import esda

    state = np.random.get_state()  # esda.Moran draws from numpy's global generator:
    try:  # seed it for reproducibility, then restore the user's
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # esda announces a change of the local test's default alternative; we report the
            # current (directed, GeoDa's) pseudo p-value and say so in the docs
            warnings.filterwarnings(
                "ignore", message="The alternative hypothesis", category=DeprecationWarning
            )
            if seed is not None:
                np.random.seed(seed)
            mi = esda.Moran(x, w, permutations=permutations, two_tailed=True)
            lm = esda.Moran_Local(
                x,
                w,
                transformation="r",
                permutations=permutations,
                seed=seed,
                keep_simulations=False,
            )
    finally:
        np.random.set_state(state)
    p_sim = float(mi.p_sim) if permutations else np.nan
    moran = pd.DataFrame(
        [
            {
                "value": value,
                "n": len(x),
                "I": float(mi.I),
                "expected": float(mi.EI),
                "z_norm": float(mi.z_norm),
                "p_norm": float(mi.p_norm),
                "p_sim": p_sim,
                "permutations": permutations,
                "weights": kind,
            }
        ]
    )
    lag = np.asarray(w.sparse @ x).ravel()
    local_p = np.asarray(lm.p_sim, dtype=float) if permutations else np.full(len(x), np.nan)
    quadrant = pd.Series(lm.q).map(QUADRANTS).to_numpy(dtype=object)
    significant = local_p < alpha
    cluster = np.where(significant, quadrant, "not significant")
    local = pd.DataFrame(
        {
            region: keep,
            "value": x,
            "lag": lag,
            "local_i": lm.Is,
            "p_sim": local_p,
            "quadrant": quadrant,
            "cluster": cluster,
        }
    )
    if islands:
        isl = data.set_index(region).loc[islands, value].to_numpy(dtype=float)
        local = pd.concat(
            [
                local,
                pd.DataFrame(
                    {
                        region: islands,
                        "value": isl,
                        "lag": np.nan,
                        "local_i": np.nan,
                        "p_sim": np.nan,
                        "quadrant": None,
                        "cluster": "no neighbours",
                    }
                ),
            ],
            ignore_index=True,
        )
    order = {r: i for i, r in enumerate(data[region])}
    local = local.sort_values(region, key=lambda s: s.map(order)).reset_index(drop=True)
    return SpatialAutocorrelation(moran=moran, regions=local, alpha=float(alpha))
