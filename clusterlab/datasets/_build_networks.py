"""Synthetic tie networks between firms and support organisations, and a two-mode
firm × initiative-activity participation table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.datasets._names import PLACES, firm_names, org_name

ORG_KINDS = [
    "university",
    "research_institute",
    "agency",
    "service_provider",
    "service_provider",
    "association",
]
ACTIVITIES = [
    "kickoff_workshop",
    "trade_fair",
    "lean_training",
    "export_mission",
    "innovation_lab",
    "matchmaking_day",
    "study_visit",
    "joint_rd_call",
]


def build_nodes(
    rng: np.random.Generator, firms: pd.DataFrame, initiatives: pd.DataFrame, regions: pd.DataFrame
) -> pd.DataFrame:
    names = dict(zip(regions["region"], regions["region_name"], strict=True))
    rows = [
        {
            "node": f.firm,
            "node_name": f.firm_name,
            "kind": "firm",
            "initiative": f.initiative,
            "member": bool(f.member),
            "external": False,
            "employment": round(f.latent_size, 1),
        }
        for f in firms.itertuples()
    ]
    n = 0
    for ini in initiatives.itertuples():
        place = names[ini.region]
        for v, kind in enumerate(ORG_KINDS):
            n += 1
            rows.append(
                {
                    "node": f"O{n:03d}",
                    "node_name": org_name(kind, place, v),
                    "kind": kind,
                    "initiative": ini.initiative,
                    "member": kind != "agency",
                    "external": False,
                    "employment": pd.NA,
                }
            )
        # external partners: firms and a university outside the cluster region
        others = [p for p in PLACES if p != place]
        for ext_name in firm_names(rng, ini.cluster, 4):
            n += 1
            rows.append(
                {
                    "node": f"X{n:03d}",
                    "node_name": ext_name + " (external)",
                    "kind": "firm",
                    "initiative": ini.initiative,
                    "member": False,
                    "external": True,
                    "employment": round(rng.lognormal(4.5, 0.8), 1),
                }
            )
        n += 1
        rows.append(
            {
                "node": f"X{n:03d}",
                "node_name": org_name("university", str(rng.choice(others)), 0),
                "kind": "university",
                "initiative": ini.initiative,
                "member": False,
                "external": True,
                "employment": pd.NA,
            }
        )
    nodes = pd.DataFrame(rows)
    nodes["employment"] = nodes["employment"].astype("Float64")
    return nodes


def build_edges(rng: np.random.Generator, nodes: pd.DataFrame) -> pd.DataFrame:
    rows = []
    # wave 2 draws from its own stream (spawning does not advance ``rng``), so wave 1 stays
    # the same whatever the panel model of wave 2
    rng_w2 = rng.spawn(1)[0]
    for ini, group in nodes.groupby("initiative", sort=True):
        ids = group["node"].to_numpy()
        member = group["member"].to_numpy()
        kind = group["kind"].to_numpy()
        external = group["external"].to_numpy()
        # attractiveness: organisations and external partners are sought for knowledge
        attract = np.where(kind == "firm", 1.0, 4.0) * np.where(external, 2.0, 1.0)
        attract *= rng.lognormal(0, 0.6, len(ids))
        activity = rng.lognormal(0, 0.5, len(ids)) * np.where(member, 1.6, 1.0)
        earlier: dict[tuple, int] = {}  # wave-1 ties: (tie_type, i, j) -> weight
        for wave in (1, 2):
            for tie_type, base, directed in (
                ("knowledge", 0.035, True),
                ("trade", 0.025, True),
                ("cooperation", 0.02, False),
            ):
                for i in range(len(ids)):
                    if external[i]:
                        continue  # external partners were not surveyed: no outgoing ties
                    for j in range(len(ids)):
                        if i == j or (not directed and j < i and not external[j]):
                            continue
                        both = member[i] and member[j]
                        p = base * activity[i] * attract[j] / attract.mean()
                        before = earlier.get((tie_type, i, j)) if wave == 2 else None
                        if wave == 2:
                            # a panel: most wave-1 ties persist (members' ties more often);
                            # new ties form at half the wave-1 rate, 2.5 times as often
                            # between members and 1.5 times with one member (the initiative
                            # brings members together and makes them known)
                            boost = 2.5 if both else (1.5 if member[i] or member[j] else 1.0)
                            p = (0.8 if both else 0.6) if before is not None else 0.5 * p * boost
                        draw = rng if wave == 1 else rng_w2
                        if draw.random() < min(p, 0.9):
                            w = before if before is not None else int(draw.integers(1, 6))
                            if wave == 1:
                                earlier[(tie_type, i, j)] = w
                            rows.append(
                                {
                                    "source": ids[i],
                                    "target": ids[j],
                                    "tie_type": tie_type,
                                    "weight": w,
                                    "wave": wave,
                                    "directed": directed,
                                    "initiative": ini,
                                }
                            )
    return pd.DataFrame(rows)


def build_participation(
    rng: np.random.Generator, nodes: pd.DataFrame, initiatives: pd.DataFrame
) -> pd.DataFrame:
    rows = []
    for ini in initiatives.itertuples():
        group = nodes[(nodes["initiative"] == ini.initiative) & ~nodes["external"]]
        for wave in (1, 2):
            for act in ACTIVITIES:
                for node in group.itertuples():
                    p = (0.45 if node.member else 0.05) * (1.2 if wave == 2 else 0.8)
                    if node.kind != "firm":
                        p = 0.5
                    if rng.random() < p:
                        rows.append(
                            {
                                "node": node.node,
                                "activity": f"{act}_w{wave}",
                                "initiative": ini.initiative,
                                "wave": wave,
                            }
                        )
    return pd.DataFrame(rows)
