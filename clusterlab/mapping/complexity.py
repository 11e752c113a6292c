r"""Economic complexity of regions and of industries/clusters (Hidalgo & Hausmann 2009); the
complexity outlook (diversification options) is in :mod:`clusterlab.mapping.outlook`.

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
from clusterlab.mapping.relatedness import _presence

__all__ = ["complexity", "ComplexityResult", "COMPLEXITY_METHODS"]

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
        out = top_r.merge(top_c, on=by, how="outer") if by else pd.concat([top_r, top_c], axis=1)
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


def _check_args(method, normalise, steps, rca_threshold):
    check_choice(method, COMPLEXITY_METHODS, argument="method")
    check_choice(normalise, ["zscore", "econgeo"], argument="normalise")
    if not isinstance(steps, int | np.integer) or isinstance(steps, bool) or steps < 1:
        raise ParameterError(f"steps must be a positive integer, got {steps!r}")
    if not (
        isinstance(rca_threshold, int | float) and np.isfinite(rca_threshold) and rca_threshold > 0
    ):
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


def _eigen(
    M: np.ndarray, normalise: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]:
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


def complexity(
    table,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    method: str = "eigenvector",
    presence: str = "rca",
    rca_threshold: float = 1.0,
    normalise: str = "zscore",
    steps: int = 20,
) -> ComplexityResult:
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
    long, by = prepare(table, region=region, category=category, value=value, by=by, name="table")
    reg_frames, cat_frames, bad = [], [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        M = _presence(X, presence, rca_threshold)
        eci, pci, _, _, _, _, ok = _group(M, method, normalise, steps)
        if not ok:
            bad.append(group_label(key, by).strip(" ()") or "the table")
        reg_frames.append(
            with_keys(
                pd.DataFrame({region: rows, "diversity": M.sum(axis=1).astype(int), "eci": eci}),
                by,
                key,
            )
        )
        cat_frames.append(
            with_keys(
                pd.DataFrame({category: cols, "ubiquity": M.sum(axis=0).astype(int), "pci": pci}),
                by,
                key,
            )
        )
    _warn_undefined(bad)
    return ComplexityResult(
        regions=stack(reg_frames, [*by, region, "diversity", "eci"]),
        categories=stack(cat_frames, [*by, category, "ubiquity", "pci"]),
        method=method,
        normalise=normalise,
        by=tuple(by),
        region=region,
        category=category,
    )


def _warn_undefined(bad):
    if bad:
        warnings.warn(
            f"complexity is undefined (NaN) for {len(bad)} group(s): "
            + ", ".join(bad[:5])
            + " — fewer than two regions or categories are "
            "present, or the presence matrix has no unique second eigenvector "
            "(e.g. every region has the same categories)",
            DataWarning,
            stacklevel=3,
        )
