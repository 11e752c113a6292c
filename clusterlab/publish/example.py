"""A small, seeded, SYNTHETIC results tree for trying out the dashboards and the static site.

:func:`write_example_results` saves, for each demo initiative, the results tables named in the
notebooks' contract (``cluster_portfolio``, ``network_centrality``, ``cimbt_components``, …)
with :func:`clusterlab.results.save`, in the runner's layout
``<root>/<run_id>/<cluster>/tables/<name>.parquet``. The node-level network table uses the
demo world's fictional actors (``load_demo("nodes")``) so that tests can check that no firm
name reaches a public page. The numbers are random draws, not analysis results.

Examples
--------
>>> import tempfile
>>> from clusterlab.publish.example import write_example_results
>>> root = write_example_results(tempfile.mkdtemp(), clusters=["valley_foodtech"])
>>> sorted(p.stem for p in root.glob("example/valley_foodtech/tables/*.parquet"))[:3]
['bigfive_factors', 'bigfive_platform', 'cimbt_areas']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlab import results

__all__ = ["write_example_results", "EXAMPLE_CLUSTERS", "CIMBT_COMPONENTS", "BIGFIVE_FACTORS"]

EXAMPLE_CLUSTERS = ("northport_maritime", "valley_foodtech", "eastshire_medtech")
CIMBT_COMPONENTS = {
    "insight_strategy": ["shared_vision", "strategy_quality", "focus"],
    "buy_in": ["stakeholder_commitment", "participation", "funding"],
    "execution": ["management_capacity", "activities", "impact_measurement"],
}
BIGFIVE_FACTORS = ["idea", "driving_forces", "activities", "critical_mass", "organisation"]
_CLUSTERS = {
    "northport_maritime": ("maritime", "Maritime"),
    "valley_foodtech": ("food_processing", "Food Processing"),
    "eastshire_medtech": ("medical_devices", "Medical Devices"),
}


def write_example_results(
    root: str | os.PathLike,
    *,
    clusters: Sequence[str] = EXAMPLE_CLUSTERS,
    run_id: str = "example",
    seed: int = 7,
    omit: dict[str, Sequence[str]] | None = None,
    failed: Sequence[str] = (),
) -> Path:
    """Write example results tables for ``clusters`` below ``root`` and return ``root``.

    Parameters
    ----------
    root : path-like
        The outputs folder.
    clusters : sequence of str
        Initiative names (demo initiatives get their demo actors in the network table).
    run_id : str
        Run folder name.
    seed : int
        Random seed.
    omit : dict, optional
        ``{cluster: [table, ...]}`` tables *not* written (to exercise "not available").
    failed : sequence of str
        Clusters whose scorecard notebook is recorded as failed in the run's manifest (to
        exercise "successful runs only").

    A ``manifest.json`` like the runner's records each cluster's six notebooks with their
    parameters (``cluster_name`` from ``parameters/<cluster>.yaml`` for the demo
    initiatives) and end times.
    """
    from clusterlab.datasets import load_demo

    root = Path(root)
    omit = omit or {}
    rng = np.random.default_rng(seed)
    nodes = load_demo("nodes")
    for k, cluster in enumerate(clusters):
        out = root / run_id / cluster
        code, cname = _CLUSTERS.get(cluster, (cluster, cluster.replace("_", " ").title()))
        tables = {
            "cluster_portfolio": _portfolio(rng, code, cname, ["D01", "D03", "D02"][k % 3]),
            "network_cohesion": pd.DataFrame(
                {
                    "relation": ["knowledge", "trade", "cooperation"],
                    "density": rng.uniform(0.02, 0.2, 3).round(3),
                    "reciprocity": rng.uniform(0.1, 0.6, 3).round(3),
                    "n_nodes": [70, 64, 2],
                    "n_firms": [70, 64, 2],
                }
            ).assign(
                n_ties=lambda d: (
                    (d["density"] * d["n_nodes"] * (d["n_nodes"] - 1)).round().astype(int)
                )
            ),
            "network_centrality": _centrality(rng, nodes, cluster),
            "cimbt_components": _cimbt(rng, cluster, k),
            "cimbt_areas": _areas(rng, cluster, k),
            "cimbt_insight_execution": pd.DataFrame(
                {
                    "initiative": [cluster],
                    "round": [1],
                    "insight": [round(float(rng.uniform(2.5, 4.5)), 2)],
                    "execution": [round(float(rng.uniform(2.0, 4.5)), 2)],
                }
            ),
            "bigfive_factors": _bigfive(rng, cluster),
            "member_effects": _effects(rng),
            "scorecard_status": _scorecard(rng),
            "peer_comparison": _peers(rng, code, cname, k),
            "network_group_densities": _blocks(rng),
        }
        tables["top_clusters"] = (
            tables["cluster_portfolio"]
            .query("year == 2021")
            .nlargest(3, "lq")
            .reset_index(drop=True)
        )
        f = tables["bigfive_factors"]
        tables["bigfive_platform"] = pd.DataFrame(
            {
                "initiative": [cluster],
                "round": [1],
                "platform_reached": [bool((f["stage"] == 3).all())],
                "weakest_factors": [", ".join(f.nsmallest(2, "mean")["factor"])],
                "n_raters": [int(f["n_raters"].min())],
            }
        )
        for name, table in tables.items():
            if name not in omit.get(cluster, ()):
                results.save(table, name, output_dir=out)
    _manifest(root, run_id, clusters, failed)
    return root


_NAMES = {
    "northport_maritime": "Northport Maritime Cluster",
    "valley_foodtech": "Valley Food Technology Network",
    "eastshire_medtech": "Eastshire MedTech Alliance",
}
_NOTEBOOKS = (
    "01_cluster_mapping",
    "02_network_analysis",
    "03_cimbt",
    "04_big_five",
    "05_member_comparison",
    "06_scorecard",
)


def _manifest(root: Path, run_id: str, clusters, failed) -> None:
    import json

    executions = []
    for i, cluster in enumerate(clusters):
        params = {
            "cluster": cluster,
            "cluster_name": _NAMES.get(cluster, ""),
            "seed": 7,
            "regions_file": None,
            "definitions_file": None,
            "initiatives_file": None,
            "regions_geometry_file": None,
            "output_dir": str(root / run_id / cluster),
        }
        for j, nb in enumerate(_NOTEBOOKS):
            bad = cluster in failed and nb == "06_scorecard"
            executions.append(
                {
                    "id": f"{cluster}/{nb}",
                    "cluster": cluster,
                    "notebook": nb,
                    "parameters": params,
                    "status": "failed" if bad else "succeeded",
                    "end": f"2026-11-2{i % 10}T10:{j:02d}:00+00:00",
                }
            )
    manifest = {
        "format": "clusterlab-manifest/1",
        "run_id": run_id,
        "status": "failed" if failed else "succeeded",
        "finished": "2026-11-29T10:30:00+00:00",
        "versions": {"clusterlab": "0.1.0"},
        "executions": executions,
    }
    (root / run_id).mkdir(parents=True, exist_ok=True)
    (root / run_id / "manifest.json").write_text(json.dumps(manifest, indent=1))


def _peers(rng, code, cname, k):
    """The focus cluster in every demo district (a few left out: no data on the map)."""
    from clusterlab.datasets import load_demo

    regions = load_demo("regions")
    districts = regions.loc[regions["region_type"] == "district", "region"].tolist()
    home = ["D01", "D03", "D02"][k % 3]
    rows = []
    for region in districts[:-3]:  # the last three districts have no data
        for year in (2020, 2021):
            n = int(rng.choice([1, 2, 5, 9, 14, 25, 40]))
            lq = round(float(rng.lognormal(0.0, 0.6)), 2)
            rows.append(
                {
                    "region": region,
                    "cluster": code,
                    "cluster_name": cname,
                    "year": year,
                    "employment": float(n * rng.integers(8, 60)),
                    "lq": 3.1 if region == home else lq,
                    "establishments": 40 if region == home else n,
                    "focus": region == home,
                    "strong": region == home or lq > 2,
                }
            )
    return pd.DataFrame(rows)


def _blocks(rng):
    """Tie densities between kinds of actors, as notebook 02 saves them (no count column)."""
    kinds = ["firm", "university", "agency"]
    sizes = {"firm": 60, "university": 4, "agency": 1}
    rows = []
    for a in kinds:
        for b in kinds:
            possible = sizes[a] * sizes[b] - (sizes[a] if a == b else 0)
            d = round(float(rng.uniform(0.02, 0.4)), 3) if possible else float("nan")
            rows.append(
                {
                    "group_from": a,
                    "group_to": b,
                    "n_from": sizes[a],
                    "n_to": sizes[b],
                    "ties": int(round(d * possible)) if possible else 0,
                    "possible": possible,
                    "density": d,
                    "relation": "knowledge",
                }
            )
    return pd.DataFrame(rows)


def _portfolio(rng, code, cname, home=None):
    rows = []
    clusters = [
        (code, cname),
        ("logistics", "Logistics"),
        ("business_services", "Business Services"),
        ("metal_work", "Metalworking"),
    ]
    for region in ("D01", "D02", "D03"):
        for c, name in clusters:
            n0 = int(rng.choice([1, 2, 4, 8, 15, 30]))
            emp0 = float(n0 * rng.integers(5, 60))
            for year in (2020, 2021):
                n = int(rng.choice([1, 2, 4, 8, 15, 30]))
                if region == home and c == code:  # the initiative's own cluster: published
                    n = 40
                elif region == home or c == code:  # no primary suppression on its lines
                    n = max(n, 4)
                emp = float(n * rng.integers(5, 60))
                rows.append(
                    {
                        "region": region,
                        "cluster": c,
                        "cluster_name": name,
                        "cluster_type": "traded",
                        "year": year,
                        "employment": emp,
                        "lq": round(float(rng.uniform(0.3, 2.5)), 2),
                        "growth": round(float(rng.normal(0.02, 0.05)), 3),
                        "strong": bool(rng.random() < 0.3),
                        "establishments": n,
                        "start_year": 2019,
                        "establishments_start": n0,
                        "employment_start": emp0,
                        "employment_change": emp - emp0,
                    }
                )
    return pd.DataFrame(rows)


def _centrality(rng, nodes, cluster):
    sub = (
        nodes[nodes["initiative"] == cluster]
        if cluster in set(nodes["initiative"])
        else nodes[nodes["initiative"] == nodes["initiative"].iloc[0]]
    )
    n = len(sub)
    return pd.DataFrame(
        {
            "node": sub["node"].to_numpy(),
            "node_name": sub["node_name"].to_numpy(),
            "kind": sub["kind"].to_numpy(),
            "member": sub["member"].to_numpy(),
            "degree": rng.integers(0, 20, n),
            "betweenness": rng.uniform(0, 0.2, n).round(4),
            "closeness": rng.uniform(0.1, 0.6, n).round(4),
        }
    )


def _interval(rng, mean, n):
    half = 1.96 * 0.8 / np.sqrt(np.maximum(n, 1))
    return (mean - half).round(2), (mean + half).round(2)


def _cimbt(rng, cluster, k):
    rows = []
    for area, comps in CIMBT_COMPONENTS.items():
        for comp in comps:
            mean = round(float(rng.uniform(1.8, 4.6)), 2)
            n = 2 if (comp == "funding" and k == 0) else int(rng.integers(4, 12))
            lo, hi = _interval(rng, mean, n)
            rows.append(
                {
                    "initiative": cluster,
                    "round": 1,
                    "area": area,
                    "component": comp,
                    "mean": mean,
                    "median": round(mean),
                    "n_raters": n,
                    "coverage": 0.9,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
    return pd.DataFrame(rows)


def _areas(rng, cluster, k):
    rows = []
    for area in CIMBT_COMPONENTS:
        mean = round(float(rng.uniform(2.0, 4.5)), 2)
        lo, hi = _interval(rng, mean, 8)
        rows.append(
            {
                "initiative": cluster,
                "round": 1,
                "area": area,
                "mean": mean,
                "n_raters": 8,
                "coverage": 0.95,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return pd.DataFrame(rows)


def _bigfive(rng, cluster):
    rows = []
    for factor in BIGFIVE_FACTORS:
        mean = round(float(rng.uniform(1.5, 3.0)), 2)
        lo, hi = _interval(rng, mean, 6)
        rows.append(
            {
                "initiative": cluster,
                "round": 1,
                "factor": factor,
                "mean": mean,
                "stage": int(np.clip(round(mean), 1, 3)),
                "n_raters": 6,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return pd.DataFrame(rows)


def _effects(rng):
    rows = []
    for outcome in ("employment", "turnover", "innovation"):
        for method, n in (("raw_gap", 180), ("did", 180), ("matching", 2)):
            est = round(float(rng.normal(0.05, 0.05)), 3)
            se = round(float(rng.uniform(0.01, 0.04)), 3)
            rows.append(
                {
                    "outcome": outcome,
                    "method": method,
                    "term": "treated",
                    "estimate": est,
                    "std_error": se,
                    "statistic": round(est / se, 2),
                    "p_value": 0.1,
                    "ci_low": round(est - 1.96 * se, 3),
                    "ci_high": round(est + 1.96 * se, 3),
                    "n": n,
                    "n_firms": n,
                }
            )
    return pd.DataFrame(rows)


def _scorecard(rng):
    rows = []
    spec = [
        ("export_share", "business", 25),
        ("rd_intensity", "innovation", 2),
        ("members", "governance", np.nan),
        ("events", "governance", np.nan),
    ]
    for period in (2020, 2021):
        for ind, persp, n in spec:
            rows.append(
                {
                    "indicator": ind,
                    "perspective": persp,
                    "period": period,
                    "value": round(float(rng.uniform(0, 100)), 1),
                    "target": 50.0,
                    "status": str(rng.choice(["on_track", "at_risk", "off_track"])),
                    "n_reporting": n,
                    "coverage": 0.8,
                }
            )
    return pd.DataFrame(rows)
