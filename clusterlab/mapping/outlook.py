r"""Complexity outlook of a region (Hidalgo et al. 2007; Hausmann et al. 2014): which categories
it could add, how close it already is to them (density) and what they would be worth for its
complexity (opportunity gain), and the value of its whole neighbourhood (opportunity value).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import complexity_outlook
>>> M = pd.DataFrame({"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0],
...                   "P4": [1, 0, 1, 1]}, index=["C1", "C2", "C3", "C4"])
>>> out = complexity_outlook(M, presence="positive")
>>> out.options.set_index(["region", "cluster"]).loc[("C2", "P3"), "density"].round(3)
np.float64(0.3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice
from clusterlab.mapping._matrix import group_label, matrices, prepare, stack, with_keys
from clusterlab.mapping.complexity import _EPS, _check_args, _group, _warn_undefined, _zscore
from clusterlab.mapping.relatedness import _presence, relatedness_density

__all__ = ["complexity_outlook", "OutlookResult"]


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
        ranked = absent.sort_values(
            [*keys, "opportunity_gain"], ascending=[True] * len(keys) + [False]
        )
        return ranked.groupby(keys, sort=False).head(n).reset_index(drop=True)


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
    for key, _rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        phi = _proximity(_presence(X, presence, rca_threshold))
        i, j = np.where(~np.eye(len(cols), dtype=bool))
        frames.append(
            with_keys(
                pd.DataFrame({"source": cols[i], "target": cols[j], "relatedness": phi[i, j]}),
                by,
                key,
            )
        )
    return stack(frames, [*by, "source", "target", "relatedness"])


def complexity_outlook(
    table,
    relatedness_table=None,
    *,
    region: str = "region",
    category: str = "cluster",
    value: str = "employment",
    by=("year",),
    presence: str = "rca",
    rca_threshold: float = 1.0,
) -> OutlookResult:
    r"""Complexity outlook: density, opportunity value (COI) and opportunity gain (COG).

    With presence :math:`M`, relatedness :math:`\varphi` (no self-links) and the
    unstandardised, sign-corrected eigenvector complexities :math:`K_r, Q_c` of
    :func:`~clusterlab.mapping.complexity`:

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
        Long table or wide matrix, as for :func:`~clusterlab.mapping.complexity`.
    relatedness_table : pandas.DataFrame, optional
        Relatedness between categories (``source, target, relatedness``, optionally ``by``
        columns; e.g. :func:`~clusterlab.mapping.relatedness` or the CMP cluster relatedness).
        Default: the proximity of Hidalgo et al. (2007),
        :math:`\varphi_{cc'} = \min(P(c|c'), P(c'|c)) = \frac{\sum_r M_{rc} M_{rc'}}
        {\max(k_{c,0}, k_{c',0})}`, of ``table`` itself.
    region, category, value, by, presence, rca_threshold
        As for :func:`~clusterlab.mapping.complexity`.

    Returns
    -------
    OutlookResult
        ``.regions`` (``by + [region, diversity, eci, opportunity_value]``), ``.options``
        (``by + [region, category, present, density, pci, opportunity_gain]``) and
        ``.summary(n)`` (each region's ``n`` best options).

    Warns
    -----
    DataWarning
        Complexity undefined in a group (see :func:`~clusterlab.mapping.complexity`);
        categories related to nothing (density NaN).

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
    long, by = prepare(table, region=region, category=category, value=value, by=by, name="table")
    rel = relatedness_table
    if rel is None:
        rel = _proximity_table(
            long,
            region=region,
            category=category,
            value=value,
            by=by,
            presence=presence,
            rca_threshold=rca_threshold,
        )
    density_table = relatedness_density(
        long,
        rel,
        region=region,
        category=category,
        value=value,
        by=by,
        presence=presence,
        rca_threshold=rca_threshold,
    )
    reg_frames, opt_frames, bad = [], [], []
    for key, rows, cols, X in matrices(long, region=region, category=category, value=value, by=by):
        M = _presence(X, presence, rca_threshold)
        eci, pci, eci_raw, pci_raw, keep_r, _, ok = _group(M, "eigenvector", "zscore", 1)
        if not ok:
            bad.append(group_label(key, by).strip(" ()") or "the table")
        phi, density = _from_relatedness(
            density_table,
            rel,
            key=key,
            by=by,
            rows=rows,
            cols=cols,
            region=region,
            category=category,
        )
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
        reg_frames.append(
            with_keys(
                pd.DataFrame(
                    {
                        region: rows,
                        "diversity": M.sum(axis=1).astype(int),
                        "eci": eci,
                        "opportunity_value": opportunity_value,
                    }
                ),
                by,
                key,
            )
        )
        ri, ci = np.divmod(np.arange(len(rows) * len(cols)), len(cols))
        opt_frames.append(
            with_keys(
                pd.DataFrame(
                    {
                        region: rows[ri],
                        category: cols[ci],
                        "present": M[ri, ci].astype(int),
                        "density": density[ri, ci],
                        "pci": pci[ci],
                        "opportunity_gain": gain[ri, ci],
                    }
                ),
                by,
                key,
            )
        )
    _warn_undefined(bad)
    return OutlookResult(
        regions=stack(reg_frames, [*by, region, "diversity", "eci", "opportunity_value"]),
        options=stack(
            opt_frames, [*by, region, category, "present", "density", "pci", "opportunity_gain"]
        ),
        by=tuple(by),
        region=region,
        category=category,
    )


def _from_relatedness(density_table, relatedness_table, *, key, by, rows, cols, region, category):
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
