# ruff: noqa: N803, N806  (networkx convention: G for a graph)
"""Benchmark of clusterlab.networks: the centrality table and brokerage on scale-free networks.

Seeded Barabasi-Albert graphs (m = 3 ties per new actor, about 3n ties, hub-heavy like many firm
networks) of 100, 1 000, 10 000 and 50 000 actors, five random groups for brokerage. For each
size the script times ``networks.centrality`` (exact up to ``--exact-limit`` actors, above that
betweenness and closeness from ``--k`` seeded sampled sources) and ``networks.brokerage``, and,
where exact betweenness is feasible (up to ``--exact-check`` actors; python-igraph, when
installed, makes the exact reference cheap), the accuracy of the sampled betweenness: overlap
of the top-20 actors, Spearman correlation and the largest relative error among the exact top 20.

Usage::

    python benchmarks/network_bench.py                      # 100, 1000, 10000, 50000
    python benchmarks/network_bench.py --sizes 100 1000 --out /tmp/bench.csv

Requirement (issue 4): the 10 000-actor centrality table must finish in under 60 s on 2 cores,
and the 50 000-actor one must finish.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import time
import warnings

import networkx as nx
import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from clusterlab import networks as nw


def graph(n: int, seed: int = 42) -> nx.Graph:
    G = nx.barabasi_albert_graph(n, 3, seed=seed)
    rng = np.random.default_rng(seed)
    nx.set_node_attributes(G, dict(zip(G.nodes, rng.integers(0, 5, n).tolist(), strict=True)),
                           "group")
    return G


def sampling_error(G: nx.Graph, k: int, seed: int) -> dict:
    """Top-20 accuracy of k-sampled betweenness against the exact values."""
    # exact reference: python-igraph's C code when installed (same values), else networkx
    exact = pd.Series(nw.betweenness(G, exact_limit=G.number_of_nodes())[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.SampledEstimateWarning)
        est = pd.Series(nw.betweenness(G, k=k, seed=seed)[1])
    top = exact.nlargest(20).index
    return {"top20_overlap": len(set(top) & set(est.nlargest(20).index)) / 20,
            "spearman": float(spearmanr(exact, est.loc[exact.index]).statistic),
            "top20_max_rel_error": float(((est[top] - exact[top]).abs() / exact[top]).max())}


def run(sizes, *, k: int, exact_limit: int, exact_check: int, seed: int) -> pd.DataFrame:
    rows = []
    for n in sizes:
        G = graph(n, seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", nw.NetworkWarning)
            warnings.simplefilter("ignore", nw.SampledEstimateWarning)
            t0 = time.perf_counter()
            c = nw.centrality(G, exact_limit=exact_limit, betweenness_k=k, seed=seed)
            t_cen = time.perf_counter() - t0
            t0 = time.perf_counter()
            nw.brokerage(G, "group")
            t_bro = time.perf_counter() - t0
        row = {"n": n, "ties": G.number_of_edges(), "centrality_s": round(t_cen, 2),
               "brokerage_s": round(t_bro, 2), "betweenness_exact": c.attrs["betweenness_exact"],
               "k": None if c.attrs["betweenness_exact"] else k}
        if n <= exact_check and n > 20:
            row.update(sampling_error(G, min(k, n), seed))
        rows.append(row)
        print(row, flush=True)
    return pd.DataFrame(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000, 50_000])
    ap.add_argument("--k", type=int, default=500, help="sampled sources above --exact-limit")
    ap.add_argument("--exact-limit", type=int, default=2000)
    has_igraph = importlib.util.find_spec("igraph") is not None
    ap.add_argument("--exact-check", type=int, default=20_000 if has_igraph else 2000,
                    help="largest size whose sampled betweenness is compared with exact "
                         "(default 20 000 with python-igraph installed, else 2 000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None, help="CSV file for the timings")
    ap.add_argument("--small", action="store_true",
                    help="smoke run: 100 and 1,000 nodes (what `make bench` uses)")
    a = ap.parse_args(argv)
    if a.small:
        a.sizes, a.exact_check = [100, 1000], 1000
    print(f"python {platform.python_version()}, networkx {nx.__version__}, "
          f"{platform.machine()}, seed {a.seed}")
    table = run(a.sizes, k=a.k, exact_limit=a.exact_limit, exact_check=a.exact_check,
                seed=a.seed)
    print(table.to_string(index=False))
    if a.out:
        table.to_csv(a.out, index=False)
    ten = table[table["n"] == 10_000]
    if len(ten) and float(ten["centrality_s"].iloc[0]) >= 60:
        print("WARNING: the 10 000-actor centrality table took 60 s or more")
    return table


if __name__ == "__main__":
    main()
