"""Synthetic initiatives, firms and a member / non-member firm panel with self-selection."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.datasets._build_mapping import INITIATIVES
from clusterlab.datasets._names import firm_names

PANEL_YEARS = list(range(2013, 2022))
FIRMS_PER_INITIATIVE = 60


def build_initiatives(regions: pd.DataFrame) -> pd.DataFrame:
    districts = regions[regions["region_type"] == "district"].reset_index(drop=True)
    return pd.DataFrame(
        [
            {
                "initiative": ini,
                "initiative_name": name,
                "cluster": cl,
                "region": districts.loc[d, "region"],
                "start_year": start,
            }
            for ini, cl, d, start, name in INITIATIVES
        ]
    )


def build_firms(
    rng: np.random.Generator, initiatives: pd.DataFrame, definitions: pd.DataFrame
) -> pd.DataFrame:
    rows = []
    n = 0
    for ini in initiatives.itertuples():
        industries = definitions.loc[definitions["cluster"] == ini.cluster, "industry"].to_numpy()
        names = firm_names(rng, ini.cluster, FIRMS_PER_INITIATIVE)
        for k in range(FIRMS_PER_INITIATIVE):
            n += 1
            size = rng.lognormal(3.3, 1.0)
            innovative = rng.random() < 0.35
            # self-selection: larger and more innovative firms join more often
            p_join = 1 / (1 + np.exp(-(-1.2 + 0.45 * (np.log(size) - 3.3) + 1.0 * innovative)))
            member = bool(rng.random() < p_join)
            rows.append(
                {
                    "firm": f"F{n:04d}",
                    "firm_name": names[k],
                    "initiative": ini.initiative,
                    "cluster": ini.cluster,
                    "region": ini.region,
                    "industry": str(rng.choice(industries)),
                    "founded": int(rng.integers(1960, 2012)),
                    "member": member,
                    "join_year": int(ini.start_year + rng.choice([0, 0, 1, 2]))
                    if member
                    else pd.NA,
                    "consent": bool(rng.random() < 0.1),
                    "latent_size": size,
                    "latent_innovative": innovative,
                }
            )
    firms = pd.DataFrame(rows)
    firms["join_year"] = firms["join_year"].astype("Int64")
    return firms


def build_firm_panel(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for f in firms.itertuples():
        firm_effect = rng.normal(0, 0.15)
        emp = f.latent_size
        turnover_per_emp = rng.lognormal(4.6, 0.3)  # thousand per employee
        export = float(np.clip(rng.beta(2, 5) + 0.1 * f.latent_innovative, 0, 1))
        rd = float(np.clip(rng.gamma(1.5, 0.01) + 0.02 * f.latent_innovative, 0, 0.5))
        for year in PANEL_YEARS:
            treated = bool(f.member and year >= f.join_year)
            growth = 0.015 + firm_effect * 0.1 + rng.normal(0, 0.05) + (0.04 if treated else 0.0)
            emp = max(1.0, emp * (1 + growth))
            turnover = emp * turnover_per_emp * rng.lognormal(0, 0.05)
            export = float(np.clip(export + rng.normal(0.005 + 0.01 * treated, 0.02), 0, 1))
            p_innov = 0.2 + 0.3 * f.latent_innovative + 0.1 * treated
            age = year - f.founded
            size_class = (
                "micro"
                if emp < 10
                else "small"
                if emp < 50
                else ("medium" if emp < 250 else "large")
            )
            rows.append(
                {
                    "firm": f.firm,
                    "initiative": f.initiative,
                    "period": year,
                    "member": int(f.member),
                    "treated": int(treated),
                    "join_year": f.join_year,
                    "employment": round(emp, 1),
                    "turnover": round(turnover, 1),
                    "export_share": round(export, 4),
                    "innovation": int(rng.random() < p_innov),
                    "rd_intensity": round(rd, 4),
                    "firm_age": int(age),
                    "size_class": size_class,
                    "sector": f.industry,
                }
            )
    panel = pd.DataFrame(rows)
    panel["join_year"] = panel["join_year"].astype("Int64")
    return panel
