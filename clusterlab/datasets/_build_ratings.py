"""Synthetic CIMBT and big-five ratings: several raters with roles, two rounds.

Item ids are read from the instrument files shipped in ``clusterlab/instruments/``.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import yaml

RATERS = [("manager", 0.5), ("board", 0.3), ("member_firm", 0.0), ("member_firm", -0.1),
          ("external_evaluator", -0.3)]
ROUND_DATES = {1: "2018-03-15", 2: "2020-03-15"}
QUALITY = {"northport_maritime": 3.4, "valley_foodtech": 2.6, "eastshire_medtech": 3.0}


def _instrument(name: str) -> dict:
    text = resources.files("clusterlab.instruments").joinpath(f"{name}.yaml").read_text()
    return yaml.safe_load(text)


def cimbt_items() -> list[tuple[str, str]]:
    """(question id, area id) pairs of the built-in CIMBT instrument."""
    spec = _instrument("cimbt")
    return [(q["id"], a["id"]) for a in spec["areas"] for c in a["components"]
            for q in c["questions"]]


def bigfive_factors() -> list[str]:
    return [f["id"] for f in _instrument("bigfive")["factors"]]


def build_ratings(rng: np.random.Generator, initiatives: pd.DataFrame) -> pd.DataFrame:
    rows = []
    items = cimbt_items()
    factors = bigfive_factors()
    area_shift = {"A1": 0.3, "A2": 0.0, "A3": -0.3}
    for ini in initiatives.itertuples():
        quality = QUALITY.get(ini.initiative, 3.0)
        for rnd, date in ROUND_DATES.items():
            level = quality + 0.35 * (rnd - 1)
            for r, (role, bias) in enumerate(RATERS, start=1):
                rater = f"{ini.initiative[:2].upper()}-R{r}"
                for item, area in items:
                    latent = level + area_shift[area] + bias + rng.normal(0, 0.6)
                    score = int(np.clip(np.rint(latent), 1, 5))
                    non = pd.NA
                    if rng.random() < 0.06:
                        non, score = str(rng.choice(["dk", "na", "missing"])), pd.NA
                    evidence = ""
                    if score is not pd.NA and score >= 4 and rng.random() < 0.7:
                        evidence = f"minutes of {date[:4]} board meeting, item {item}"
                    rows.append({"initiative": ini.initiative, "instrument": "cimbt",
                                 "item": item, "rater": rater, "rater_role": role,
                                 "score": score, "date": date, "round": rnd,
                                 "evidence": evidence, "non_rating": non})
                for f_idx, factor in enumerate(factors):
                    latent = (level - 1) * 0.9 + bias + rng.normal(0, 0.5) - 0.15 * f_idx
                    stage = int(np.clip(np.rint(latent), 1, 4))
                    non = pd.NA
                    if rng.random() < 0.04:
                        non, stage = "unknown", pd.NA
                    rows.append({"initiative": ini.initiative, "instrument": "bigfive",
                                 "item": factor, "rater": rater, "rater_role": role,
                                 "score": stage, "date": date, "round": rnd, "evidence": "",
                                 "non_rating": non})
    ratings = pd.DataFrame(rows)
    ratings["score"] = ratings["score"].astype("Int64")
    return ratings
