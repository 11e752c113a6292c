r"""Economic complexity of regions and of industries/clusters (Hidalgo & Hausmann 2009), and the
complexity outlook of a region: which categories it could add and what they would be worth.

From the binary presence matrix :math:`M_{rc}` (:math:`LQ_{rc} \ge` threshold), with diversity
:math:`k_{r,0} = \sum_c M_{rc}` and ubiquity :math:`k_{c,0} = \sum_r M_{rc}`:

- *method of reflections*: :math:`k_{r,N} = \frac{1}{k_{r,0}} \sum_c M_{rc} k_{c,N-1}`,
  :math:`k_{c,N} = \frac{1}{k_{c,0}} \sum_r M_{rc} k_{r,N-1}`;
- *eigenvector method*: region complexity (ECI, for technologies KCI) is the eigenvector of the
  second largest eigenvalue of :math:`\tilde M_{rr'} = \sum_c \frac{M_{rc} M_{r'c}}{k_{r,0}\,
  k_{c,0}}`, category complexity (PCI/TCI) that of :math:`\tilde M_{cc'}` -- the limit of the
  reflections.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import complexity
>>> M = pd.DataFrame({"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0],
...                   "P4": [1, 0, 1, 1]}, index=["C1", "C2", "C3", "C4"])
>>> res = complexity(M, presence="positive")
>>> res.regions.round(4)
  region  diversity     eci
0     C1          4 -0.0754
1     C2          1 -1.6029
2     C3          2  0.7478
3     C4          1  0.9305
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_choice
from clusterlab.errors import DataWarning, ParameterError
from clusterlab.mapping._matrix import group_label, matrices, prepare, stack, with_keys
from clusterlab.mapping.relatedness import _presence, relatedness_density

__all__ = ["complexity", "complexity_outlook", "ComplexityResult", "OutlookResult",
           "COMPLEXITY_METHODS"]

#: Methods of :func:`complexity`.
COMPLEXITY_METHODS = ("eigenvector", "reflections")

_EPS = 1e-12


@dataclass(frozen=True)
class ComplexityResult:
    """Region and category complexity of :func:`complexity`.

    Attributes
    ----------
    regions : pandas.DataFrame
        ``by + [region, diversity, eci]``.
    categories : pandas.DataFrame
        ``by + [category, ubiquity, pci]``.
    method, normalise : str
        How they were computed.
    by : tuple of str
        The grouping columns.
    region, category : str
        Names of the region and category columns.
    """

    regions: pd.DataFrame
    categories: pd.DataFrame
    method: str
    normalise: str
    by: tuple = ()
    region: str = "region"
    category: str = "cluster"

    def summary(self) -> pd.DataFrame:
        """One row per ``by`` group: counts, the most complex region and category."""
        by = list(self.by)
        reg = self.regions.dropna(subset=["eci"])
        cat = self.categories.dropna(subset=["pci"])
        top_r = _top(reg, by, "eci", self.region, "most_complex_region")
        top_c = _top(cat, by, "pci", self.category, "most_complex_category")
        out = top_r.merge(top_c, on=by, how="outer") if by else pd.concat([top_r, top_c],
                                                                            axis=1)
        out.insert(len(by), "method", self.method)
        out.insert(len(by) + 1, "normalise", self.normalise)
        return out


def _top(frame, by, score, name, label):
    """Count and arg-max of ``score`` per ``by`` group (one row when ``by`` is empty)."""
    count = f"n_{'regions' if label.endswith('region') else 'categories'}"
    if not by:
        best = frame.loc[frame[score].idxmax(), name] if len(frame) else None
        return pd.DataFrame({count: [len(frame)], label: [best]})
    g = frame.groupby(by, sort=True)
    best = frame.loc[g[score].idxmax(), [*by, name]].rename(columns={name: label})
    return g.size().rename(count).reset_index().merge(best, on=by, how="left")


@dataclass(frozen=True)
class OutlookResult:
    """Complexity outlook of :func:`complexity_outlook`.

    Attributes
    ----------
    regions : pandas.DataFrame
        ``by + [region, diversity, eci, opportunity_value]`` (opportunity value = complexity
        outlook index, COI).
    options : pandas.DataFrame
        ``by + [region, category, present, density, pci, opportunity_gain]`` (opportunity
        gain = complexity outlook gain, COG; 0 for categories the region already has).
    by : tuple of str
        The grouping columns.
    region, category : str
        Names of the region and category columns.
    """

    regions: pd.DataFrame
    options: pd.DataFrame
    by: tuple = ()
    region: str = "region"
    category: str = "cluster"

    def summary(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` most valuable diversification options of every region: categories it does
        not have, largest opportunity gain first."""
        keys = [*self.by, self.region]
        absent = self.options[self.options["present"] == 0]
        ranked = absent.sort_values([*keys, "opportunity_gain"],
                                    ascending=[True] * len(keys) + [False])
        return ranked.groupby(keys, sort=False).head(n).reset_index(drop=True)


def _check_args(method, normalise, steps, rca_threshold):
    check_choice(method, COMPLEXITY_METHODS, argument="method")
    check_choice(normalise, ["zscore", "econgeo"], argument="normalise")
    if not isinstance(steps, int | np.integer) or isinstance(steps, bool) or steps < 1:
        raise ParameterError(f"steps must be a positive integer, got {steps!r}")
    if not (isinstance(rca_threshold, int | float) and np.isfinite(rca_threshold)
            and rca_threshold > 0):
        raise ParameterError(f"rca_threshold must be a positive number, got {rca_threshold!r}")


def _second_eigvec(A: np.ndarray) -> tuple[np.ndarray, bool]:
    """Real eigenvector of the second largest eigenvalue (and whether it is well defined)."""
    vals, vecs = np.linalg.eig(A)
    vals = np.real(vals)
    order = np.argsort(vals)[::-1]
    v = np.real(vecs[:, order[1]])
    gap_ok = len(vals) < 3 or abs(vals[order[1]] - vals[order[2]]) > 1e-9
    return v, bool(vals[order[1]] > 1e-9 and gap_ok)


def _reflections(M: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """EconGeo ``MORc``/``MORt``: orders 1, 2 raw, orders >= 3 rescaled to 0-100."""
    div, ubi = M.sum(axis=1), M.sum(axis=0)
    kc, kp = div.astype(float), ubi.astype(float)
    for i in range(1, steps + 1):
        kc_new = (M @ kp) / div
        kp_new = (M.T @ kc) / ubi
        if i >= 3:
            kc_new, kp_new = _rescale(kc_new), _rescale(kp_new)
        kc, kp = kc_new, kp_new
    return kc, kp


def _rescale(x: np.ndarray) -> np.ndarray:
    span = np.nanmax(x) - np.nanmin(x)
    return (x - np.nanmin(x)) / span * 100 if span > 0 else np.zeros_like(x)


def _zscore(x: np.ndarray, ref: np.ndarray | None = None) -> np.ndarray:
    ref = x if ref is None else ref
    sd = ref.std()
    return (x - ref.mean()) / sd if sd > _EPS else np.full_like(x, np.nan)


def _corr(a, b) -> float:
    if np.std(a) < _EPS or np.std(b) < _EPS:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _eigen(M: np.ndarray, normalise: str) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                    np.ndarray, bool]:
    """ECI and PCI (normalised) plus the raw signed eigenvectors (for the outlook)."""
    div, ubi = M.sum(axis=1), M.sum(axis=0)
    m1 = M / div[:, None]
    m2 = M / ubi[None, :]
    if normalise == "econgeo":
        # EconGeo 1.3 kci/tci: product matrices rounded to 4 dp, v / sum(v), sign rules below
        cc = np.round(m1 @ m2.T, 4)
        tt = np.round(m2.T @ m1, 4)
        kci, ok1 = _second_eigvec(cc)
        tci, ok2 = _second_eigvec(tt)
        kci = kci / kci.sum()
        tci = tci / tci.sum()
        morc, _ = _reflections(M, 20)
        if _corr(kci, morc) < 0:
            kci = -kci
        if stats.spearmanr(tci, ubi).statistic > 0:
            tci = -tci
        return kci, tci, kci, tci, ok1 and ok2
    mpp = m2.T @ m1
    kp, ok = _second_eigvec(mpp)
    kc = m1 @ kp
    sign = np.sign(_corr(div, kc)) or 1.0
    eci_raw, pci_raw = sign * kc, sign * kp
    # Stata/ecomplexity convention: both standardised with ECI's mean and standard deviation
    return _zscore(eci_raw), _zscore(pci_raw, eci_raw), eci_raw, pci_raw, ok


def _group(M, method, normalise, steps):
    """(eci, pci, eci_raw, pci_raw, diversity, ubiquity, keep_rows, keep_cols, ok)."""
    div, ubi = M.sum(axis=1), M.sum(axis=0)
    rows, cols = div > 0, ubi > 0
    # dropping empty categories can empty a region and vice versa only if both are all-zero
    Mk = M[np.ix_(rows, cols)]
    n_r, n_c = rows.sum(), cols.sum()
    eci = np.full(len(div), np.nan)
    pci = np.full(len(ubi), np.nan)
    eci_raw, pci_raw = eci.copy(), pci.copy()
    if n_r < 2 or n_c < 2:
        return eci, pci, eci_raw, pci_raw, rows, cols, False
    if method == "eigenvector":
        e, p, er, pr, ok = _eigen(Mk, normalise)
    else:
        er, pr = _reflections(Mk, steps)
        e, p = (er, pr) if normalise == "econgeo" else (_zscore(er), _zscore(pr))
        ok = bool(np.isfinite(e).all())
    if ok:
        eci[rows], pci[cols], eci_raw[rows], pci_raw[cols] = e, p, er, pr
    return eci, pci, eci_raw, pci_raw, rows, cols, ok


def complexity(table, *, region: str = "region", category: str = "cluster",
               value: str = "employment", by=("year",), method: str = "eigenvector",
               presence: str = "rca", rca_threshold: float = 1.0, normalise: str = "zscore",
               steps: int = 20) -> ComplexityResult:
    r"""Economic complexity of regions (ECI/KCI) and categories (PCI/TCI).

    Presence :math:`M_{rc} = 1` when :math:`LQ_{rc} \ge` ``rca_threshold`` (Balassa RCA on
    ``value``; ``presence="positive"``: ``value > 0``, for a given 0/1 matrix). Regions and
    categories with no presence at all are left out (their complexity is NaN).

    ``method="eigenvector"``: :math:`\vec K_r` is the eigenvector of the second largest
    eigenvalue of :math:`\tilde M_{rr'} = \sum_c M_{rc} M_{r'c} / (k_{r,0} k_{c,0})`, computed
    as :math:`K_r = \sum_c \frac{M_{rc}}{k_{r,0}} Q_c` from the eigenvector :math:`Q` of
    :math:`\tilde M_{cc'}`. With ``normalise="zscore"`` (Hidalgo & Hausmann; the Harvard Growth
    Lab's ``ecomplexity`` and its Stata original) the sign makes ECI correlate positively with
    diversity and

    .. math:: ECI_r = \frac{K_r - \bar K}{\operatorname{sd}(K)}, \qquad
              PCI_c = \frac{Q_c - \bar K}{\operatorname{sd}(K)}

    (population sd; PCI on ECI's scale, so a region's ECI is comparable with the PCI of what it
    makes). ``normalise="econgeo"`` reproduces EconGeo 1.3 ``KCI``/``TCI``: eigenvectors of the
    4-dp rounded matrices scaled to sum 1, KCI signed to correlate positively with ``MORc``
    (20 steps), TCI to correlate negatively (Spearman) with ubiquity. The two conventions can
    have opposite signs (KCI on the Hidalgo-Hausmann example correlates -1 with ECI).

    ``method="reflections"``: :math:`k_{r,N}, k_{c,N}` after ``steps`` reflections (orders
    :math:`\ge 3` rescaled to 0-100 at each step, as EconGeo ``MORc``/``MORt``), z-scored with
    ``normalise="zscore"`` or as EconGeo returns them with ``"econgeo"``. Use an even number of
    steps for regions: odd orders measure the (inverse) ubiquity of what a region makes.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table ``by + (region, category, value)`` (absent cells count as 0) or a wide
        region × category matrix. Never modified.
    region, category, value : str
        Column names.
    by : sequence of str
        Grouping columns (default ``("year",)``); ``()`` for one cross-section.
    method : {"eigenvector", "reflections"}
    presence : {"rca", "positive"}
    rca_threshold : float
        RCA (LQ) threshold of presence.
    normalise : {"zscore", "econgeo"}
    steps : int
        Number of reflections (``method="reflections"``).

    Returns
    -------
    ComplexityResult
        ``.regions`` (``by + [region, diversity, eci]``), ``.categories``
        (``by + [category, ubiquity, pci]``), ``.summary()``.

    Warns
    -----
    DataWarning
        A group with fewer than two regions or categories present, or whose second eigenvalue
        is zero or not unique (complexity undefined: NaN).

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic complexity. *PNAS*
    106(26), 10570-10575. Balland, P.-A. & Rigby, D. (2017). The geography of complex knowledge.
    *Economic Geography* 93(1), 1-23. Harvard Growth Lab, ``py-ecomplexity`` (MIT) and Stata
    ``ecomplexity``. Balland, EconGeo 1.3 (``KCI``, ``TCI``, ``MORc``).

    Notes
    -----
    Reproduces EconGeo 1.3's KCI, TCI and MORc (steps=2) on the Hidalgo-Hausmann network
    (12 values) and the Stata ``ecomplexity`` ECI/PCI of the 10 × 30 manual-Mcp fixture of
    ``py-ecomplexity`` (``tests/test_mapping_complexity.py``).

    Examples
    --------
    >>> import pandas as pd
    >>> M = pd.DataFrame({"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0],
    ...                   "P4": [1, 0, 1, 1]}, index=["C1", "C2", "C3", "C4"])
    >>> morc = complexity(M, presence="positive", method="reflections", steps=2,
    ...                   normalise="econgeo")
    >>> morc.regions["eci"].round(4).tolist()  # average diversity of similar regions
    [2.9583, 2.5, 2.6667, 2.3333]
    """
    _check_args(method, normalise, steps, rca_threshold)
    check_choice(presence, ["rca", "positive"], argument="presence")
    long, by = prepare(table, region=region, category=category, value=value, by=by,
                       name="table")
    reg_frames, cat_frames, bad = [], [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value,
                                       by=by):
        M = _presence(X, presence, rca_threshold)
        eci, pci, _, _, _, _, ok = _group(M, method, normalise, steps)
        if not ok:
            bad.append(group_label(key, by).strip(" ()") or "the table")
        reg_frames.append(with_keys(pd.DataFrame({region: rows, "diversity":
                                                  M.sum(axis=1).astype(int), "eci": eci}),
                                    by, key))
        cat_frames.append(with_keys(pd.DataFrame({category: cols, "ubiquity":
                                                  M.sum(axis=0).astype(int), "pci": pci}),
                                    by, key))
    _warn_undefined(bad)
    return ComplexityResult(
        regions=stack(reg_frames, [*by, region, "diversity", "eci"]),
        categories=stack(cat_frames, [*by, category, "ubiquity", "pci"]),
        method=method, normalise=normalise, by=tuple(by), region=region, category=category)


def _warn_undefined(bad):
    if bad:
        warnings.warn(f"complexity is undefined (NaN) for {len(bad)} group(s): "
                      + ", ".join(bad[:5]) + " — fewer than two regions or categories are "
                      "present, or the presence matrix has no unique second eigenvector "
                      "(e.g. every region has the same categories)", DataWarning,
                      stacklevel=3)


def _proximity(M: np.ndarray) -> np.ndarray:
    r"""Hidalgo et al. (2007) proximity :math:`\varphi_{cc'} = \min(P(c|c'), P(c'|c))`, no
    self-links (as Stata ``ecomplexity``)."""
    co = M.T @ M
    ubi = M.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / np.maximum(ubi[:, None], ubi[None, :])
    phi = np.where(np.isfinite(phi), phi, 0.0)
    np.fill_diagonal(phi, 0.0)
    return phi


def _proximity_table(long, *, region, category, value, by, presence, rca_threshold):
    """Proximities of every group as a relatedness table (``by + source, target,
    relatedness``) for :func:`~clusterlab.mapping.relatedness_density`."""
    frames = []
    for key, _rows, cols, X in matrices(long, region=region, category=category, value=value,
                                        by=by):
        phi = _proximity(_presence(X, presence, rca_threshold))
        i, j = np.where(~np.eye(len(cols), dtype=bool))
        frames.append(with_keys(pd.DataFrame({"source": cols[i], "target": cols[j],
                                              "relatedness": phi[i, j]}), by, key))
    return stack(frames, [*by, "source", "target", "relatedness"])


def complexity_outlook(table, relatedness_table=None, *, region: str = "region",
                       category: str = "cluster", value: str = "employment", by=("year",),
                       presence: str = "rca", rca_threshold: float = 1.0) -> OutlookResult:
    r"""Complexity outlook: density, opportunity value (COI) and opportunity gain (COG).

    With presence :math:`M`, relatedness :math:`\varphi` (no self-links) and the
    unstandardised, sign-corrected eigenvector complexities :math:`K_r, Q_c` of
    :func:`complexity`:

    .. math::

        \omega_{rc} = \frac{\sum_{c'} M_{rc'} \varphi_{c'c}}{\sum_{c'} \varphi_{c'c}},
        \qquad
        \text{COI}_r = \sum_c (1 - M_{rc})\, \omega_{rc}\, Q_c, \qquad
        \text{COG}_{rc} = (1 - M_{rc}) \sum_{c'} \frac{\varphi_{cc'}}{\sum_{c''}
        \varphi_{c'c''}} (1 - M_{rc'})\, Q_{c'}

    :math:`\omega` is :func:`~clusterlab.mapping.relatedness_density` / 100.
    ``opportunity_value`` is COI standardised across regions; ``opportunity_gain`` is COG
    divided by :math:`\operatorname{sd}(K)` (on the scale of ECI). A high opportunity gain marks
    a category the region does not have yet that would bring it close to many complex
    categories it also lacks -- its most valuable diversification option; ``density`` tells
    how near the region already is to it.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table or wide matrix, as for :func:`complexity`.
    relatedness_table : pandas.DataFrame, optional
        Relatedness between categories (``source, target, relatedness``, optionally ``by``
        columns; e.g. :func:`~clusterlab.mapping.relatedness` or the CMP cluster relatedness).
        Default: the proximity of Hidalgo et al. (2007),
        :math:`\varphi_{cc'} = \min(P(c|c'), P(c'|c)) = \frac{\sum_r M_{rc} M_{rc'}}
        {\max(k_{c,0}, k_{c',0})}`, of ``table`` itself.
    region, category, value, by, presence, rca_threshold
        As for :func:`complexity`.

    Returns
    -------
    OutlookResult
        ``.regions`` (``by + [region, diversity, eci, opportunity_value]``), ``.options``
        (``by + [region, category, present, density, pci, opportunity_gain]``) and
        ``.summary(n)`` (each region's ``n`` best options).

    Warns
    -----
    DataWarning
        Complexity undefined in a group (see :func:`complexity`); categories related to
        nothing (density NaN).

    Notes
    -----
    Reproduces the COI, density and COG that Stata ``ecomplexity`` prints for the manual-Mcp
    fixture of ``py-ecomplexity`` once its standard-deviation convention is applied: Stata
    takes the sd over the :math:`N` region × category rows of the long panel with divisor
    :math:`N - 1`, a factor :math:`\sqrt{N/(N-1)}` above the population sd over regions used
    here (and by ``py-ecomplexity``).

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007). The product space
    conditions the development of nations. *Science* 317, 482-487. Hausmann, R., Hidalgo, C. A.
    et al. (2014). *The Atlas of Economic Complexity*. MIT Press. Harvard Growth Lab, Stata
    ``ecomplexity`` and ``py-ecomplexity`` (MIT, ``coicog.py``).

    Examples
    --------
    >>> import pandas as pd
    >>> M = pd.DataFrame({"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0],
    ...                   "P4": [1, 0, 1, 1]}, index=["C1", "C2", "C3", "C4"])
    >>> out = complexity_outlook(M, presence="positive")
    >>> out.summary(1)[["region", "cluster", "density", "opportunity_gain"]].round(3)
      region cluster  density  opportunity_gain
    0     C2      P1    0.375             0.366
    1     C3      P2    0.625            -0.097
    2     C4      P2    0.250             0.053
    """
    _check_args("eigenvector", "zscore", 1, rca_threshold)
    check_choice(presence, ["rca", "positive"], argument="presence")
    long, by = prepare(table, region=region, category=category, value=value, by=by,
                       name="table")
    rel = relatedness_table
    if rel is None:
        rel = _proximity_table(long, region=region, category=category, value=value, by=by,
                               presence=presence, rca_threshold=rca_threshold)
    density_table = relatedness_density(long, rel, region=region, category=category,
                                        value=value, by=by, presence=presence,
                                        rca_threshold=rca_threshold)
    reg_frames, opt_frames, bad = [], [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value,
                                       by=by):
        M = _presence(X, presence, rca_threshold)
        eci, pci, eci_raw, pci_raw, keep_r, _, ok = _group(M, "eigenvector", "zscore", 1)
        if not ok:
            bad.append(group_label(key, by).strip(" ()") or "the table")
        phi, density = _from_relatedness(density_table, rel, key=key, by=by, rows=rows,
                                         cols=cols, region=region, category=category)
        q = np.where(np.isfinite(pci_raw), pci_raw, 0.0)
        absent = 1.0 - M
        coi = np.nansum(absent * density * q[None, :], axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            row_share = phi / phi.sum(axis=1)[:, None]
        row_share = np.where(np.isfinite(row_share), row_share, 0.0)
        cog = np.where(M > 0, 0.0, absent @ (row_share * q[:, None]))
        sd = np.nanstd(eci_raw) if ok else np.nan
        opportunity_value = np.full(len(rows), np.nan)
        if ok:
            opportunity_value[keep_r] = _zscore(coi[keep_r])
        gain = cog / sd if ok and sd > _EPS else np.full_like(cog, np.nan)
        reg_frames.append(with_keys(pd.DataFrame({
            region: rows, "diversity": M.sum(axis=1).astype(int), "eci": eci,
            "opportunity_value": opportunity_value}), by, key))
        ri, ci = np.divmod(np.arange(len(rows) * len(cols)), len(cols))
        opt_frames.append(with_keys(pd.DataFrame({
            region: rows[ri], category: cols[ci], "present": M[ri, ci].astype(int),
            "density": density[ri, ci], "pci": pci[ci], "opportunity_gain": gain[ri, ci]}),
            by, key))
    _warn_undefined(bad)
    return OutlookResult(
        regions=stack(reg_frames, [*by, region, "diversity", "eci", "opportunity_value"]),
        options=stack(opt_frames, [*by, region, category, "present", "density", "pci",
                                   "opportunity_gain"]),
        by=tuple(by), region=region, category=category)


def _from_relatedness(density_table, relatedness_table, *, key, by, rows, cols, region,
                      category):
    sub = density_table
    rel = relatedness_table
    for b, k in zip(by, key, strict=True):
        sub = sub[sub[b] == k]
        if b in rel.columns:
            rel = rel[rel[b] == k]
    dens = sub.pivot(index=region, columns=category, values="relatedness_density")
    density = dens.reindex(index=rows, columns=cols).to_numpy(dtype=float) / 100.0
    phi = np.zeros((len(cols), len(cols)))
    s, t = cols.get_indexer(rel["source"]), cols.get_indexer(rel["target"])
    keep = (s >= 0) & (t >= 0) & (s != t)
    phi[s[keep], t[keep]] = rel["relatedness"].to_numpy(dtype=float)[keep]
    return phi, density
