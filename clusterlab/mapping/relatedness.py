"""Relatedness between industries/clusters from co-location, and relatedness density of regions
(EconGeo 1.3: ``co.occurrence``, ``relatedness``, ``relatedness.density``).

Two categories are related when they are often present in the same regions. Presence is a
0/1 matrix :math:`M_{ri}` (by default :math:`LQ_{ri} \\ge 1`); the co-occurrence of *i* and
*j* is the number of regions where both are present, :math:`C = M^\\top M` with a zero
diagonal, normalised by one of van Eck & Waltman's (2009) similarity measures.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import relatedness
>>> M = pd.DataFrame({"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0],
...                   "P4": [1, 0, 1, 1]}, index=["C1", "C2", "C3", "C4"])
>>> rel = relatedness(M, method="cosine", presence="positive")
>>> rel.set_index(["source", "target"]).loc[("P3", "P4")].tolist()
[2.0, 0.5]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import ParameterError
from clusterlab.mapping._matrix import (
    group_label,
    lq_matrix,
    matrices,
    prepare,
    stack,
    warn_listed,
    with_keys,
)

__all__ = ["relatedness", "relatedness_density", "RELATEDNESS_METHODS"]

#: Normalisations of the co-occurrence matrix (``"prob"`` is accepted for ``"probability"``).
RELATEDNESS_METHODS = ["probability", "association", "cosine", "jaccard"]

_TIE = 1e-9


def _presence(X: np.ndarray, presence: str, rca_threshold: float) -> np.ndarray:
    if presence == "rca":
        return (lq_matrix(X) >= rca_threshold * (1 - _TIE)).astype(float)
    return (X > 0).astype(float)


def _normalise(C: np.ndarray, method: str) -> np.ndarray:
    """EconGeo ``relatedness(cooc, method)`` on a symmetric co-occurrence matrix."""
    C = C.astype(float).copy()
    np.fill_diagonal(C, 0.0)
    S = C.sum(axis=0)
    si, sj = S[None, :], S[:, None]  # si[i, j] = S_j, sj[i, j] = S_i (as in EconGeo)
    T = C.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "probability":
            R = C / (((si / T) * (sj / (T - si)) + (sj / T) * (si / (T - sj))) * (T / 2))
        elif method == "association":
            R = (C / T) / ((si / T) * (sj / T))
        elif method == "cosine":
            R = C / np.sqrt(si * sj)
        else:
            R = C / (si + sj - C)
    R = np.where(np.isfinite(R), R, 0.0)
    np.fill_diagonal(R, 0.0)
    return R


def _method(method: str) -> str:
    m = method.lower() if isinstance(method, str) else method
    m = "probability" if m == "prob" else m
    return check_choice(m, RELATEDNESS_METHODS, argument="method")


def relatedness(
    emp,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    method: str = "probability",
    presence: str = "rca",
    rca_threshold: float = 1.0,
) -> pd.DataFrame:
    """Co-location relatedness between categories (EconGeo ``relatedness(co.occurrence(.))``).

    Parameters
    ----------
    emp : pandas.DataFrame
        Long table ``by + (region, category, value)`` (absent cells count as 0) or a wide
        region × category matrix (e.g. a 0/1 incidence matrix).
    region, category, value : str
        Column names.
    by : sequence of str
        Grouping columns (default ``("year",)``); ``()`` for one cross-section.
    method : {"probability", "association", "cosine", "jaccard"}
        Normalisation of the co-occurrence counts :math:`C_{ij}` with
        :math:`S_i = \\sum_j C_{ij}` and :math:`T = \\sum_{ij} C_{ij}` (diagonal excluded):

        - ``"association"`` (association strength) :math:`C_{ij} T / (S_i S_j)`;
        - ``"cosine"`` :math:`C_{ij} / \\sqrt{S_i S_j}`;
        - ``"jaccard"`` :math:`C_{ij} / (S_i + S_j - C_{ij})`;
        - ``"probability"`` (EconGeo's default ``"prob"``, Steijn 2017)
          :math:`C_{ij} / \\{[\\tfrac{S_i}{T}\\tfrac{S_j}{T-S_i} +
          \\tfrac{S_j}{T}\\tfrac{S_i}{T-S_j}]\\, T/2\\}` — observed over expected
          co-occurrences when pairs are drawn without repetition.

        Values above 1 (association, probability) mean more co-location than expected.
    presence : {"rca", "positive"}
        How a category counts as present in a region: ``"rca"`` = :math:`LQ_{ri} \\ge`
        ``rca_threshold`` (EconGeo ``location.quotient(mat, binary=TRUE)``); ``"positive"`` =
        ``value > 0`` (use it for an incidence matrix).
    rca_threshold : float
        LQ threshold for ``presence="rca"``.

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair of distinct categories (both directions, zero pairs
        included): ``by + [source, target, co_occurrence, relatedness]``. ``co_occurrence`` is
        the number of regions where both are present. The columns ``source, target`` match
        the package's edge-list contract (``networks.from_edges``).

    Warns
    -----
    DataWarning
        Categories present in no region: their relatedness to everything is set to 0
        (EconGeo turns the 0/0 into 0 silently).

    Notes
    -----
    Follows EconGeo 1.3 exactly (``relatedness`` sets undefined ratios to 0 and the diagonal
    to 0); EconGeo's ``co.occurrence`` is applied to the transposed presence matrix, i.e.
    categories co-occur across regions. Reproduces all 64 values of EconGeo's ``relatedness``
    (four methods) on the Hidalgo-Hausmann (2009) network.

    References
    ----------
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? *JASIST* 60(8),
    1635-1651.
    Steijn, M. P. A. (2017). Improvement on the association strength. Working paper, Utrecht.
    Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007). The product space
    conditions the development of nations. *Science* 317, 482-487.

    Examples
    --------
    >>> import pandas as pd
    >>> emp = pd.DataFrame({"region": list("aabbc"), "cluster": list("xyxyz"),
    ...                     "employment": [1, 1, 1, 1, 1]})
    >>> relatedness(emp, by=(), method="jaccard", presence="positive").head(2)
      source target  co_occurrence  relatedness
    0      x      y              2          1.0
    1      x      z              0          0.0
    """
    method = _method(method)
    check_choice(presence, ["rca", "positive"], argument="presence")
    long, by = prepare(emp, region=region, category=category, value=value, by=by, name="emp")
    frames, absent = [], []
    for key, _rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        M = _presence(X, presence, rca_threshold)
        C = M.T @ M
        np.fill_diagonal(C, 0.0)
        R = _normalise(C, method)
        absent += [f"{c}{group_label(key, by)}" for c in cols[M.sum(axis=0) == 0]]
        i, j = np.where(~np.eye(len(cols), dtype=bool))
        out = pd.DataFrame(
            {
                "source": cols[i],
                "target": cols[j],
                "co_occurrence": C[i, j].astype(int),
                "relatedness": R[i, j],
            }
        )
        frames.append(with_keys(out, by, key))
    warn_listed(absent, "categor(ies) present in no region; relatedness set to 0")
    return stack(frames, [*by, "source", "target", "co_occurrence", "relatedness"])


def _group_rows(rel: pd.DataFrame, *, key, by) -> pd.DataFrame:
    sub = rel
    for b, k in zip(by, key, strict=True):
        if b in rel.columns:
            sub = sub[sub[b] == k]
    return sub


def _relatedness_matrix(sub: pd.DataFrame, *, categories: pd.Index) -> np.ndarray:
    pos_s = categories.get_indexer(sub["source"])
    pos_t = categories.get_indexer(sub["target"])
    keep = (pos_s >= 0) & (pos_t >= 0) & (pos_s != pos_t)
    phi = np.zeros((len(categories), len(categories)))
    phi[pos_s[keep], pos_t[keep]] = sub["relatedness"].to_numpy(dtype=float)[keep]
    return phi


def relatedness_density(
    emp,
    relatedness_table=None,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    method: str = "probability",
    presence: str = "rca",
    rca_threshold: float = 1.0,
) -> pd.DataFrame:
    """Relatedness density of each category in each region (EconGeo ``relatedness.density``).

    .. math:: RD_{ri} = 100 \\cdot \\frac{\\sum_{j \\ne i} M_{rj}\\, \\varphi_{ji}}
              {\\sum_{j \\ne i} \\varphi_{ji}}

    the share (in %) of the categories related to *i* that region *r* already has, weighted by
    relatedness :math:`\\varphi`. High density in a category the region does not yet have
    marks a likely diversification path.

    Parameters
    ----------
    emp : pandas.DataFrame
        Long table ``by + (region, category, value)`` or a wide region × category matrix.
    relatedness_table : pandas.DataFrame, optional
        Output of :func:`relatedness` (columns ``source, target, relatedness`` and optionally
        ``by`` columns; a table without ``by`` columns applies to every group), e.g.
        computed on national data or the CMP cluster relatedness. Pairs not listed count as
        unrelated. Default: :func:`relatedness` of ``emp`` itself with ``method``.
    region, category, value, by : see :func:`relatedness`
    method : str
        Relatedness method when ``relatedness_table`` is None.
    presence : {"rca", "positive"}, default "rca"
        Presence rule for :math:`M` (see :func:`relatedness`).
    rca_threshold : float, default 1.0
        LQ threshold for ``presence="rca"``.

    Returns
    -------
    pandas.DataFrame
        ``by + [region, category, present, relatedness_density]`` for every region of the group
        and every category of ``emp`` or of the relatedness table. ``present`` is
        :math:`M_{ri}` (0/1): EconGeo's ``relatedness.density.int`` / ``.ext`` are the rows
        with ``present == 1`` / ``0`` (their ``.avg`` versions the region means of those).

    Warns
    -----
    DataWarning
        Categories related to nothing (:math:`\\sum_j \\varphi_{ji} = 0`): density undefined,
        left NaN.

    Notes
    -----
    EconGeo rounds the density to 2 decimals (``int``/``ext``: 0 decimals); we do not.

    References
    ----------
    Hidalgo, C. A. et al. (2007), *Science* 317, 482-487.
    Boschma, R., Balland, P.-A. & Kogler, D. F. (2015). Relatedness and technological change in
    cities. *Industrial and Corporate Change* 24(1), 223-250.

    Examples
    --------
    >>> import pandas as pd
    >>> M = pd.DataFrame({"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0],
    ...                   "P4": [1, 0, 1, 1]}, index=["C1", "C2", "C3", "C4"])
    >>> rd = relatedness_density(M, method="cosine", presence="positive")
    >>> rd.set_index(["region", "cluster"]).loc[("C2", "P1"), "relatedness_density"].round(2)
    np.float64(36.6)
    """
    check_choice(presence, ["rca", "positive"], argument="presence")
    long, by = prepare(emp, region=region, category=category, value=value, by=by, name="emp")
    if relatedness_table is None:
        rel = relatedness(
            long,
            region=region,
            category=category,
            value=value,
            by=by,
            method=method,
            presence=presence,
            rca_threshold=rca_threshold,
        )
    else:
        rel = relatedness_table
        check_frame(
            rel,
            required=["source", "target", "relatedness"],
            numeric=["relatedness"],
            no_missing=["source", "target", "relatedness"],
            name="relatedness_table",
        )
        if (rel["relatedness"] < 0).any():
            raise ParameterError("relatedness_table: relatedness must be >= 0 (a similarity)")
        check_frame(
            rel,
            unique=[b for b in by if b in rel.columns] + ["source", "target"],
            name="relatedness_table",
        )
    frames, isolated = [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        M0 = _presence(X, presence, rca_threshold)
        sub = _group_rows(rel, key=key, by=by)
        extra = pd.Index(pd.unique(pd.concat([sub["source"], sub["target"]])))
        allcats = cols.append(extra.difference(cols))
        M = np.zeros((len(rows), len(allcats)))
        M[:, : len(cols)] = M0
        phi = _relatedness_matrix(sub, categories=allcats)
        denom = phi.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            RD = 100 * (M @ phi) / denom[None, :]
        RD[:, denom == 0] = np.nan
        isolated += [f"{c}{group_label(key, by)}" for c in allcats[denom == 0]]
        ri, ci = np.divmod(np.arange(len(rows) * len(allcats)), len(allcats))
        out = pd.DataFrame(
            {
                region: rows[ri],
                category: allcats[ci],
                "present": M[ri, ci].astype(int),
                "relatedness_density": RD[ri, ci],
            }
        )
        frames.append(with_keys(out, by, key))
    warn_listed(
        isolated, "categor(ies) related to no other category; relatedness density undefined (NaN)"
    )
    return stack(frames, [*by, region, category, "present", "relatedness_density"])
