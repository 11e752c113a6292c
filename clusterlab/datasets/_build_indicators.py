"""Demo scorecard indicators (SYNTHETIC): member-company submissions, governance records and
external statistics for the three demo initiatives, matching the ids of the default
catalogues in :mod:`clusterlab.scorecard` (the union of ``four_perspectives``,
``balanced_scorecard`` and ``ten_factors``).

Company indicators come from the member firms of the firm panel (growth rates, productivity,
exports, R&D, innovation) or are drawn around firm and initiative effects that improve with
years of membership (joint projects, trust, training …). Some members never report, some
skip a period (no rows) and some leave single items blank (missing value), so that reporting
coverage is below 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["build_indicators", "COMPANY_IDS", "GOVERNANCE_IDS", "EXTERNAL_IDS", "LAST_PERIOD"]

LAST_PERIOD = 2021
COMPANY_IDS = [
    "turnover_growth",
    "employment_growth",
    "labour_productivity",
    "export_share",
    "rd_intensity",
    "innovation_rate",
    "joint_projects_per_firm",
    "shared_services_use",
    "trust_score",
    "satisfaction_score",
    "graduate_share",
    "vacancy_fill_time",
    "training_days",
    "local_supplier_share",
    "finance_access",
    "specialised_services_use",
    "local_equipment_share",
]
GOVERNANCE_IDS = [
    "members",
    "member_retention",
    "events_held",
    "joint_projects_launched",
    "budget_private_share",
    "training_places",
    "new_partnerships",
    "startups_supported",
]
EXTERNAL_IDS = [
    "cluster_employment_growth",
    "new_firms",
    "average_wage_growth",
    "patent_applications",
    "research_staff",
    "stem_graduates",
    "venture_capital",
]

_P_NEVER = 0.08  # members that never submit anything
_P_SKIP = 0.12  # a reporting member skips a whole period
_P_ITEM = 0.04  # a submitted item left blank


def _score(rng, centre, size=None):
    return np.clip(np.rint(centre + rng.normal(0, 0.8, size)), 1, 5)


def build_indicators(world: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Build the ``indicators`` demo table.

    Parameters
    ----------
    world : dict of str to pandas.DataFrame
        The other demo tables; uses ``initiatives``, ``firms`` and ``firm_panel``.
    rng : numpy.random.Generator
        The table's own random stream.

    Returns
    -------
    pandas.DataFrame
        ``indicator, entity, period, value, employment, initiative``: company indicators per
        member firm (``entity`` = firm id, ``employment`` = its employees, the weight),
        governance and external indicators per initiative (``entity`` = initiative id).
    """
    initiatives = world["initiatives"]
    firms = world["firms"]
    panel = world["firm_panel"].sort_values(["firm", "period"])
    panel = panel.assign(
        emp_prev=panel.groupby("firm")["employment"].shift(),
        turn_prev=panel.groupby("firm")["turnover"].shift(),
    )
    rows: list[dict] = []
    for ini in initiatives.sort_values("initiative").itertuples(index=False):
        start = int(ini.start_year)
        periods = list(range(start, LAST_PERIOD + 1))
        ini_effect = rng.normal(0, 0.3)
        mem = firms.loc[
            (firms["initiative"] == ini.initiative)
            & firms["member"].astype(str).str.lower().isin(["true", "1"])
        ].copy()
        mem = mem.sort_values("firm")
        mem["join"] = pd.to_numeric(mem["join_year"], errors="coerce").fillna(start).astype(int)
        never = set(mem["firm"][rng.random(len(mem)) < _P_NEVER])
        firm_eff = dict(zip(mem["firm"], rng.normal(0, 0.5, len(mem)), strict=True))
        supplier_base = dict(zip(mem["firm"], rng.uniform(12, 45, len(mem)), strict=True))
        equip_base = dict(zip(mem["firm"], rng.uniform(5, 30, len(mem)), strict=True))
        fp = panel.loc[panel["initiative"] == ini.initiative].set_index(["firm", "period"])
        for t in periods:
            for f in mem.itertuples(index=False):
                if f.join > t or f.firm in never or rng.random() < _P_SKIP:
                    continue
                if (f.firm, t) not in fp.index:
                    continue
                p = fp.loc[(f.firm, t)]
                years = t - f.join
                e = firm_eff[f.firm]
                emp = float(p["employment"])
                vals = {
                    "turnover_growth": 100 * (p["turnover"] / p["turn_prev"] - 1)
                    if pd.notna(p["turn_prev"])
                    else np.nan,
                    "employment_growth": 100 * (p["employment"] / p["emp_prev"] - 1)
                    if pd.notna(p["emp_prev"])
                    else np.nan,
                    "labour_productivity": p["turnover"] / p["employment"],
                    "export_share": 100 * p["export_share"],
                    "rd_intensity": 100 * p["rd_intensity"],
                    "innovation_rate": 100.0 * p["innovation"],
                    "joint_projects_per_firm": float(
                        rng.poisson(max(0.05, 0.4 + 0.25 * years + 0.3 * e + ini_effect))
                    ),
                    "shared_services_use": 100.0
                    * (rng.random() < min(0.95, 0.4 + 0.06 * years + 0.1 * e)),
                    "trust_score": _score(rng, 2.9 + 0.15 * years + 0.5 * e + ini_effect),
                    "satisfaction_score": _score(rng, 3.2 + 0.08 * years + 0.4 * e),
                    "graduate_share": float(
                        np.clip(8 + 450 * p["rd_intensity"] + rng.normal(0, 5), 0, 95)
                    ),
                    "vacancy_fill_time": float(
                        np.clip(9 - 0.3 * years - e + rng.normal(0, 2), 1, 40)
                    ),
                    "training_days": float(np.clip(rng.gamma(4, 0.55) + 0.2 * years, 0, 20)),
                    "local_supplier_share": float(
                        np.clip(supplier_base[f.firm] + 0.8 * years + rng.normal(0, 3), 0, 100)
                    ),
                    "finance_access": _score(rng, 2.8 + 0.3 * e),
                    "specialised_services_use": 100.0 * (rng.random() < 0.35 + 0.04 * years),
                    "local_equipment_share": float(
                        np.clip(equip_base[f.firm] + rng.normal(0, 3), 0, 100)
                    ),
                }
                for ind in COMPANY_IDS:
                    v = vals[ind]
                    if rng.random() < _P_ITEM:
                        v = np.nan
                    rows.append(
                        {
                            "indicator": ind,
                            "entity": f.firm,
                            "period": str(t),
                            "value": v,
                            "employment": emp,
                            "initiative": ini.initiative,
                        }
                    )
        # governance records and external statistics, one value per initiative and period
        all_firms = panel.loc[panel["initiative"] == ini.initiative].groupby("period")
        total_emp = all_firms["employment"].sum()
        mean_rd = all_firms["rd_intensity"].mean()
        for t in periods:
            years = t - start
            n_members = int((mem["join"] <= t).sum())
            gov = {
                "members": float(n_members),
                "member_retention": float(np.clip(rng.normal(92, 4), 70, 100)),
                "events_held": float(rng.poisson(7 + 1.5 * years)),
                "joint_projects_launched": float(rng.poisson(1.5 + 0.6 * years)),
                "budget_private_share": float(np.clip(18 + 4 * years + rng.normal(0, 3), 0, 100)),
                "training_places": float(rng.poisson(30 + 8 * years)),
                "new_partnerships": float(rng.poisson(1.2 + 0.2 * years)),
                "startups_supported": float(rng.poisson(2 + 0.5 * years)),
            }
            ext = {
                "cluster_employment_growth": 100 * (total_emp[t] / total_emp[t - 1] - 1),
                "new_firms": float(rng.poisson(6 + 0.4 * years)),
                "average_wage_growth": rng.normal(2.0, 1.0),
                "patent_applications": float(rng.poisson(300 * mean_rd[t] + 0.5 * years)),
                "research_staff": float(np.clip(6 + 0.3 * years + rng.normal(0, 0.8), 0, None)),
                "stem_graduates": float(rng.poisson(180 + 10 * years)),
                "venture_capital": float(rng.lognormal(np.log(2.0 + 0.3 * years), 0.5)),
            }
            for ind, v in {**gov, **ext}.items():
                rows.append(
                    {
                        "indicator": ind,
                        "entity": ini.initiative,
                        "period": str(t),
                        "value": v,
                        "employment": np.nan,
                        "initiative": ini.initiative,
                    }
                )
    out = pd.DataFrame(
        rows, columns=["indicator", "entity", "period", "value", "employment", "initiative"]
    )
    out["value"] = out["value"].astype(float).round(4)
    out["employment"] = out["employment"].astype(float).round(1)
    return out.reset_index(drop=True)
