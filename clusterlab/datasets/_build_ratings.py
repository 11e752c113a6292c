"""Synthetic CIMBT and big-five ratings: several raters with roles, two rounds.

Item ids are read from the instrument files shipped in ``clusterlab/instruments/``.

How the numbers arise (all SYNTHETIC):

- each initiative has a true maturity profile: an overall level, a component profile (clear
  strengths and weaknesses) and small question effects; between the two rounds some components
  improve more than others;
- six raters per initiative with roles (manager, board member, two member firms, a non-member
  firm, an external evaluator); the same people rate both rounds except one member firm that is
  replaced; each role has a bias (self-ratings run high, external evaluators low) and each
  rater has personal noise;
- non-ratings: ``dk`` more often from outsiders on internal questions, ``na`` rarely,
  ``missing`` for skipped answers;
- ratings of 4 and 5 usually carry an evidence note (less often from firms), so the evidence
  rule has something to cap;
- big-five stages follow the related CIMBT components, so the two instruments tell a coherent
  story (Northport reaches the platform in round 2; the others do not).
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import yaml

#: (role, bias in scale points, share of answers a rater of this role cannot judge on
#: internal items)
RATERS = [
    ("manager", 0.4, 0.0),
    ("board", 0.2, 0.02),
    ("member_firm", 0.0, 0.06),
    ("member_firm", -0.05, 0.06),
    ("non_member", -0.2, 0.2),
    ("external_evaluator", -0.25, 0.02),
]
ROUND_DATES = {1: "2018-03-15", 2: "2020-03-15"}
QUALITY = {"northport_maritime": 3.45, "valley_foodtech": 2.55, "eastshire_medtech": 3.0}
#: component profile per initiative (deviation from its level); components not listed: 0
PROFILE = {
    "northport_maritime": {
        "1.1": 0.5,
        "1.2": 0.4,
        "2.1": 0.3,
        "3.1": 0.3,
        "3.4": -0.5,
        "3.5": -0.6,
    },
    "valley_foodtech": {"1.2": 0.5, "2.2": 0.6, "2.1": -0.3, "3.2": -0.4, "3.3": -0.6, "3.5": -0.3},
    "eastshire_medtech": {"1.1": 0.7, "2.1": -0.6, "2.2": -0.2, "3.2": 0.4, "3.4": 0.2},
}
#: improvement between round 1 and round 2 per initiative (default) and component (override)
GROWTH = {
    "northport_maritime": (0.3, {"3.5": 0.8, "3.4": 0.5}),
    "valley_foodtech": (0.35, {"3.3": 0.7, "2.1": 0.5}),
    "eastshire_medtech": (0.1, {"2.1": 0.5, "1.2": -0.2}),
}
#: components whose questions outsiders often cannot judge
INTERNAL = {"3.1", "3.2", "3.3", "3.5"}
#: big-five factor -> CIMBT components whose true level drives it
FACTOR_LINKS = {
    "idea": ["1.1", "1.2"],
    "driving_forces_commitment": ["2.1", "3.2"],
    "activities": ["3.3", "3.4"],
    "critical_mass": ["2.1", "2.2"],
    "organization": ["3.1", "3.2"],
}
EVIDENCE = [
    "minutes of the {year} board meeting",
    "{year} member survey report",
    "strategy document ({year} revision)",
    "annual report {year}",
    "project list with budgets, {year}",
    "external evaluation {year}",
    "membership register {year}",
]
NOISE = 0.35


def _instrument(name: str) -> dict:
    text = resources.files("clusterlab.instruments").joinpath(f"{name}.yaml").read_text()
    return yaml.safe_load(text)


def cimbt_items() -> list[tuple[str, str]]:
    """(question id, area id) pairs of the built-in CIMBT instrument."""
    spec = _instrument("cimbt")
    return [
        (q["id"], a["id"]) for a in spec["areas"] for c in a["components"] for q in c["questions"]
    ]


def cimbt_components() -> dict[str, str]:
    """question id -> component id of the built-in CIMBT instrument."""
    spec = _instrument("cimbt")
    return {
        q["id"]: str(c["id"])
        for a in spec["areas"]
        for c in a["components"]
        for q in c["questions"]
    }


def bigfive_factors() -> list[str]:
    return [f["id"] for f in _instrument("bigfive")["factors"]]


def _true_levels(rng: np.random.Generator, initiative: str) -> dict:
    """True component and question levels per round for one initiative."""
    comp_of = cimbt_components()
    level = QUALITY.get(initiative, 3.0)
    profile = PROFILE.get(initiative, {})
    base_growth, comp_growth = GROWTH.get(initiative, (0.3, {}))
    comps = sorted(set(comp_of.values()))
    comp_true = {1: {c: level + profile.get(c, 0.0) for c in comps}}
    comp_true[2] = {c: v + comp_growth.get(c, base_growth) for c, v in comp_true[1].items()}
    item_effect = {q: rng.normal(0, 0.35) for q in comp_of}
    item_true = {
        r: {q: comp_true[r][c] + item_effect[q] for q, c in comp_of.items()} for r in comp_true
    }
    return {"component": comp_true, "item": item_true}


def build_ratings(rng: np.random.Generator, initiatives: pd.DataFrame) -> pd.DataFrame:
    rows = []
    comp_of = cimbt_components()
    items = cimbt_items()
    factors = bigfive_factors()
    for ini in initiatives.itertuples():
        truth = _true_levels(rng, ini.initiative)
        prefix = ini.initiative[:2].upper()
        personal = {r: rng.normal(0, 0.15) for r in range(1, len(RATERS) + 2)}
        for rnd, date in ROUND_DATES.items():
            year = date[:4]
            for r, (role, bias, dk_share) in enumerate(RATERS, start=1):
                # the second member firm is replaced by a new one in round 2
                slot = len(RATERS) + 1 if (rnd == 2 and r == 4) else r
                rater = f"{prefix}-R{slot}"
                shift = bias + personal[slot]
                day = pd.Timestamp(date) + pd.Timedelta(days=int(rng.integers(0, 20)))
                for item, _area in items:
                    comp = comp_of[item]
                    latent = truth["item"][rnd][item] + shift + rng.normal(0, NOISE)
                    score = int(np.clip(np.rint(latent), 1, 5))
                    non = pd.NA
                    u = rng.random()
                    cannot_judge = dk_share * (2.0 if comp in INTERNAL else 0.5)
                    if u < cannot_judge:
                        non = "dk"
                    elif u < cannot_judge + 0.01:
                        non = "na"
                    elif u < cannot_judge + 0.04:
                        non = "missing"
                    if non is not pd.NA:
                        score = pd.NA
                    evidence = ""
                    if score is not pd.NA and score >= 4:
                        p_note = 0.5 if role in ("member_firm", "non_member") else 0.8
                        if rng.random() < p_note:
                            evidence = str(rng.choice(EVIDENCE)).format(year=year)
                    rows.append(
                        {
                            "initiative": ini.initiative,
                            "instrument": "cimbt",
                            "item": item,
                            "rater": rater,
                            "rater_role": role,
                            "score": score,
                            "date": day.strftime("%Y-%m-%d"),
                            "round": rnd,
                            "evidence": evidence,
                            "non_rating": non,
                        }
                    )
                for factor in factors:
                    comp_level = np.mean(
                        [truth["component"][rnd][c] for c in FACTOR_LINKS.get(factor, ["1.1"])]
                    )
                    latent = 1 + (comp_level - 1.5) * 1.3 + 0.6 * shift + rng.normal(0, 0.35)
                    stage = int(np.clip(np.rint(latent), 1, 4))
                    non = pd.NA
                    if rng.random() < 0.03:
                        non, stage = "unknown", pd.NA
                    rows.append(
                        {
                            "initiative": ini.initiative,
                            "instrument": "bigfive",
                            "item": factor,
                            "rater": rater,
                            "rater_role": role,
                            "score": stage,
                            "date": day.strftime("%Y-%m-%d"),
                            "round": rnd,
                            "evidence": "",
                            "non_rating": non,
                        }
                    )
    ratings = pd.DataFrame(rows)
    ratings["score"] = ratings["score"].astype("Int64")
    return ratings
