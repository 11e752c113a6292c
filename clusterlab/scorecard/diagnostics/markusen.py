"""Markusen-type signals from the firm-size structure of a cluster.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard.diagnostics import markusen_signals
>>> firms = pd.DataFrame({"employment": [2000.0, 900.0] + [20.0] * 30})
>>> prof = markusen_signals(firms)
>>> prof.leaning
'hub_and_spoke'
>>> round(float(prof.measures.loc[0, "top_share"]), 3)      # (2000 + 900 + 2*20) / 3500
0.84
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError

__all__ = ["markusen_signals", "MarkusenProfile", "MARKUSEN_TYPES"]

MARKUSEN_TYPES = ("italianate", "hub_and_spoke", "satellite_platform")


@dataclass(frozen=True)
class MarkusenProfile:
    """Result of :func:`markusen_signals`.

    Parameters
    ----------
    measures : pandas.DataFrame
        One row: ``n_firms, employment, sme_share, top_n, top_share, hhi, external_share``.
    signals : pandas.DataFrame
        One row per type: ``type, rule, met, evidence`` (``met`` missing when the data
        cannot tell, e.g. no ownership column).
    leaning : str
        The type(s) whose rule is met, joined by ``+``, or ``no clear leaning``.

    Examples
    --------
    >>> prof = markusen_signals(pd.DataFrame({"employment": [40.0] * 20}))
    >>> prof.signals["type"].tolist()[:1], len(prof.measures)
    (['italianate'], 1)
    """

    measures: pd.DataFrame
    signals: pd.DataFrame
    leaning: str

    def summary(self) -> pd.DataFrame:
        """The signals with the leaning and the number of firms on every row."""
        out = self.signals.copy()
        out.insert(0, "leaning", self.leaning)
        out["n_firms"] = int(self.measures.loc[0, "n_firms"])
        return out


_TRUE = {"1", "1.0", "true", "t", "yes", "y"}
_FALSE = {"0", "0.0", "false", "f", "no", "n"}


def _ownership_flags(col: pd.Series, name: str) -> np.ndarray:
    """Read the external-ownership column as booleans; missing or unreadable values are an
    error naming their rows (never silently counted as local)."""
    text = col.map(lambda v: None if pd.isna(v) else str(v).strip().lower())
    bad = ~text.isin(_TRUE | _FALSE).to_numpy(bool)
    if bad.any():
        raise DataValidationError(
            f"firms: {int(bad.sum())} firm(s) with missing or unreadable ownership in {name!r}",
            problem_frame(
                [
                    {
                        "file": "firms",
                        "row": int(i) + 1,
                        "column": name,
                        "expected": "true/false (controlled from outside the region?)",
                        "found": "missing" if pd.isna(col.iloc[i]) else str(col.iloc[i]),
                    }
                    for i in np.flatnonzero(bad)[:200]
                ]
            ),
        )
    return text.isin(_TRUE).to_numpy(bool)


def markusen_signals(
    firms: pd.DataFrame,
    *,
    size: str = "employment",
    external: str | None = None,
    sme_max: float = 250,
    top_n: int = 4,
    italianate_sme_share: float = 0.9,
    italianate_max_top_share: float = 0.4,
    hub_min_top_share: float = 0.5,
    satellite_min_external: float = 0.5,
) -> MarkusenProfile:
    r"""Signals for Markusen's district types from firm sizes (and ownership, if given).

    Parameters
    ----------
    firms : pandas.DataFrame
        One row per firm of the cluster with its size.
    size : str
        Employment column.
    external : str, optional
        Boolean column: the firm is controlled from outside the region (branch plant,
        foreign-owned); also read from 1/0, yes/no, y/n, true/false. A missing or unreadable
        value is an error. Without the column the satellite signal cannot be assessed.
    sme_max : float
        Firms with fewer employees are SMEs (default 250, the EU definition).
    top_n : int
        Number of largest firms in the concentration ratio (default 4).
    italianate_sme_share, italianate_max_top_share, hub_min_top_share, satellite_min_external
        Thresholds of the rules (defaults are clusterlab's, documented in ``docs/scorecard.md``).

    Returns
    -------
    MarkusenProfile

    Notes
    -----
    With employment :math:`e_i`, shares :math:`s_i = e_i / \sum_j e_j`:

    * SME share :math:`= |\{i: e_i < \text{sme\_max}\}| / n`;
    * concentration ratio :math:`CR_k = \sum_{i \le k} s_{(i)}` (largest :math:`k` firms);
    * Herfindahl index :math:`H = \sum_i s_i^2`;
    * external share :math:`= \sum_{i \in \text{ext}} s_i`.

    Rules: *Italianate* (Marshallian) if SME share :math:`\ge` ``italianate_sme_share`` and
    :math:`CR_k \le` ``italianate_max_top_share`` (and external share below
    ``satellite_min_external`` when known); *hub-and-spoke* if :math:`CR_k \ge`
    ``hub_min_top_share`` and the hubs are not mostly external; *satellite platform* if the
    external share :math:`\ge` ``satellite_min_external``. The typology is Markusen's
    (1996) [1]_; its fourth type, the state-anchored district, needs information on public
    anchor institutions and is not assessed here.

    References
    ----------
    .. [1] Markusen, A. (1996). Sticky places in slippery space: a typology of industrial
       districts. *Economic Geography* 72(3), 293-313.

    Examples
    --------
    >>> firms = pd.DataFrame({"employment": [2000.0, 900.0] + [20.0] * 30})
    >>> markusen_signals(firms).leaning
    'hub_and_spoke'
    """
    if isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 1:
        raise ParameterError(f"top_n must be a positive integer, got {top_n!r}")
    for name, v in (
        ("italianate_sme_share", italianate_sme_share),
        ("italianate_max_top_share", italianate_max_top_share),
        ("hub_min_top_share", hub_min_top_share),
        ("satellite_min_external", satellite_min_external),
    ):
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise ParameterError(f"{name} must be a share within [0, 1], got {v!r}")
    check_frame(
        firms,
        required=[size] + ([external] if external else []),
        numeric=[size],
        nonnegative=[size],
        no_missing=[size],
        name="firms",
    )
    if len(firms) == 0:
        raise ParameterError("markusen_signals needs at least one firm")
    e = firms[size].to_numpy(float)
    total = e.sum()
    if total <= 0:
        raise ParameterError("markusen_signals: total employment is zero")
    shares = e / total
    n = len(e)
    sme = float((e < sme_max).mean())
    k = min(top_n, n)
    top = float(np.sort(shares)[::-1][:k].sum())
    hhi = float((shares**2).sum())
    if external:
        ext_flag = _ownership_flags(firms[external], external)
        ext = float(shares[ext_flag].sum())
    else:
        ext = float("nan")
    known = not np.isnan(ext)
    measures = pd.DataFrame(
        [
            {
                "n_firms": n,
                "employment": float(total),
                "sme_share": sme,
                "top_n": k,
                "top_share": top,
                "hhi": hhi,
                "external_share": ext,
            }
        ]
    )
    ext_txt = f"external share {ext:.0%}" if known else "ownership not given"
    ital = (
        sme >= italianate_sme_share
        and top <= italianate_max_top_share
        and (not known or ext < satellite_min_external)
    )
    hub = top >= hub_min_top_share and (not known or ext < satellite_min_external)
    sat = (ext >= satellite_min_external) if known else None
    signals = pd.DataFrame(
        [
            {
                "type": "italianate",
                "rule": f"SME share >= {italianate_sme_share:.0%} and top-{k} share <= "
                f"{italianate_max_top_share:.0%}" + (" and locally owned" if known else ""),
                "met": ital,
                "evidence": f"{n} firms; SME share {sme:.0%}; top-{k} share {top:.0%}; {ext_txt}",
            },
            {
                "type": "hub_and_spoke",
                "rule": f"top-{k} share >= {hub_min_top_share:.0%}"
                + (" and hubs mostly local" if known else ""),
                "met": hub,
                "evidence": f"top-{k} share {top:.0%}; Herfindahl {hhi:.3f}; {ext_txt}",
            },
            {
                "type": "satellite_platform",
                "rule": f"employment share of externally controlled firms >= "
                f"{satellite_min_external:.0%}",
                "met": sat,
                "evidence": ext_txt if known else "not assessable: ownership not given",
            },
        ]
    )
    signals["met"] = signals["met"].astype("boolean")
    met = [
        t
        for t, m in zip(signals["type"], signals["met"], strict=True)
        if m is True or (m is not pd.NA and bool(m))
    ]
    leaning = "+".join(met) if met else "no clear leaning"
    return MarkusenProfile(measures, signals, leaning)
