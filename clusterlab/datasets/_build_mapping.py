"""Synthetic regions, cluster definitions and region × industry × year employment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.datasets._names import PLACES, PROVINCES

YEARS = list(range(2012, 2022))

# cluster code: (name, type, subclusters → number of industries, national trend per year)
CLUSTERS = {
    "maritime": (
        "Maritime and Port Industries",
        "traded",
        {"shipbuilding": 3, "port_services": 2, "marine_equipment": 3},
        0.010,
    ),
    "foodtech": (
        "Food Processing and Food Technology",
        "traded",
        {"dairy": 2, "bakery": 2, "food_equipment": 2},
        0.015,
    ),
    "medtech": (
        "Medical Devices and Diagnostics",
        "traded",
        {"devices": 3, "diagnostics": 2, "biopharma": 2},
        0.035,
    ),
    "automotive": ("Automotive Components", "traded", {"parts": 3, "assembly": 2}, -0.005),
    "textiles": ("Textiles and Apparel", "traded", {"fabric": 2, "apparel": 2}, -0.025),
    "software": ("Software and IT Services", "traded", {"software": 3, "it_services": 2}, 0.050),
    "furniture": ("Furniture and Wood Products", "traded", {"furniture": 2, "wood": 2}, -0.010),
    "chemicals": ("Chemical Products", "traded", {"basic": 2, "specialty": 2}, 0.005),
    "logistics": ("Distribution and Logistics", "traded", {"freight": 2, "warehousing": 2}, 0.020),
    "energy": ("Renewable Energy Equipment", "traded", {"wind": 2, "solar": 1}, 0.060),
    "retail": ("Local Retail", "local", {"food_retail": 2, "general_retail": 2}, 0.005),
    "health_services": ("Local Health Services", "local", {"clinics": 2, "care": 2}, 0.020),
    "construction": ("Local Construction", "local", {"building": 2, "trades": 2}, 0.010),
    "hospitality": ("Local Hospitality", "local", {"food_service": 2, "lodging": 1}, 0.015),
}

#: Demo initiatives: (initiative, cluster, district index, start year, name)
INITIATIVES = [
    ("northport_maritime", "maritime", 0, 2016, "Northport Maritime Cluster"),
    ("valley_foodtech", "foodtech", 2, 2017, "Valley Food Technology Network"),
    ("eastshire_medtech", "medtech", 1, 2016, "Eastshire MedTech Alliance"),
]

# CBP employment-size classes and their bounds
FLAG_BOUNDS = [
    ("A", 0, 19),
    ("B", 20, 99),
    ("C", 100, 249),
    ("E", 250, 499),
    ("F", 500, 999),
    ("G", 1000, 2499),
    ("H", 2500, 4999),
    ("I", 5000, 9999),
    ("J", 10000, 24999),
    ("K", 25000, 49999),
    ("L", 50000, 99999),
    ("M", 100000, np.inf),
]


def build_regions(rng: np.random.Generator) -> pd.DataFrame:
    prov = pd.DataFrame(
        {
            "region": [f"P{i + 1}" for i in range(len(PROVINCES))],
            "region_name": PROVINCES,
            "region_type": "province",
            "parent": pd.NA,
        }
    )
    parents = [f"P{(i % len(PROVINCES)) + 1}" for i in range(len(PLACES))]
    dist = pd.DataFrame(
        {
            "region": [f"D{i + 1:02d}" for i in range(len(PLACES))],
            "region_name": PLACES,
            "region_type": "district",
            "parent": parents,
        }
    )
    return pd.concat([dist, prov], ignore_index=True)


def build_definitions(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for c_idx, (code, (name, ctype, subs, _trend)) in enumerate(CLUSTERS.items()):
        i = 0
        for sub, n in subs.items():
            for _ in range(n):
                i += 1
                rows.append(
                    {
                        "industry": f"{(c_idx + 1) * 100 + i:04d}00",
                        "industry_name": f"{sub.replace('_', ' ').capitalize()} {i}",
                        "cluster": code,
                        "cluster_name": name,
                        "cluster_type": ctype,
                        "subcluster": f"{code}.{sub}",
                    }
                )
    return pd.DataFrame(rows)


def _flag_for(value: float) -> str:
    for letter, lo, hi in FLAG_BOUNDS:
        if lo <= value <= hi:
            return letter
    return "M"


def build_employment(
    rng: np.random.Generator, regions: pd.DataFrame, definitions: pd.DataFrame
) -> pd.DataFrame:
    districts = regions.loc[regions["region_type"] == "district", "region"].to_numpy()
    size = rng.lognormal(mean=0.0, sigma=0.6, size=len(districts))
    special = {(INITIATIVES[k][2], INITIATIVES[k][1]): (4.0, INITIATIVES[k][3]) for k in range(3)}
    trend = {c: v[3] for c, v in CLUSTERS.items()}
    rows = []
    for r_idx, region in enumerate(districts):
        region_mix = rng.lognormal(0.0, 0.5, size=len(CLUSTERS))
        mix = dict(zip(CLUSTERS, region_mix, strict=True))
        for ind in definitions.itertuples():
            boost, start = special.get((r_idx, ind.cluster), (1.0, None))
            base = 400 * size[r_idx] * mix[ind.cluster] * boost * rng.lognormal(0, 0.7)
            if ind.cluster_type == "local":
                base *= 2.0
            estabs0 = max(1, int(base / rng.uniform(8, 40)))
            level = base
            for year in YEARS:
                growth = trend[ind.cluster] + rng.normal(0, 0.03)
                if start is not None and year > start:
                    growth += 0.02  # the initiative's region grows faster after its start
                level = max(0.0, level * (1 + growth))
                emp = int(round(level))
                estabs = max(1 if emp > 0 else 0, int(round(estabs0 * (1 + rng.normal(0, 0.05)))))
                payroll = int(round(emp * rng.uniform(32, 58)))  # thousands per year
                rows.append((region, ind.industry, year, emp, estabs, payroll))
    emp = pd.DataFrame(
        rows, columns=["region", "industry", "year", "employment", "establishments", "payroll"]
    )
    # suppression as in County Business Patterns: small cells, and cells dominated by few
    # establishments, are withheld and replaced by an employment-size class letter
    few = emp["establishments"] <= 3
    suppress = (few & (rng.random(len(emp)) < 0.6)) | (rng.random(len(emp)) < 0.04)
    suppress &= emp["employment"] > 0
    emp["emp_flag"] = pd.Series(pd.NA, index=emp.index, dtype="string")
    emp.loc[suppress, "emp_flag"] = [_flag_for(v) for v in emp.loc[suppress, "employment"]]
    emp.loc[suppress, ["employment", "payroll"]] = 0
    return emp
