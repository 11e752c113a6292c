# ruff: noqa: N803, N806  (networkx convention: G for a graph)
"""Benchmark of clusterlab.networks: the centrality table and brokerage on scale-free networks,
with ratios against networkx (the reference implementation).

Seeded Barabasi-Albert graphs (``--m`` ties per new actor; the default m = 5 gives an average
degree of 10) of 1 000, 10 000 and 100 000 actors, five random groups for brokerage. For each
size the script times

* ``networks.centrality`` — the full table (degree, closeness, harmonic, betweenness,
  eigenvector, Bonacich) with the default backend (exact batched Brandes searches, which also
  give the distances for closeness and harmonic, up to ``--exact-limit`` actors; networkit
  KADABRA estimates with a stated bound above), wall and CPU seconds (both threads) and the
  1-minute load average before the run (the machine may be shared: compare ratios);
* exact betweenness alone with the fast backend and with networkx, and their ratio (networkx
  exact only up to ``--nx-limit`` actors; above it networkx's time is extrapolated from a
  ``k``-sample, marked ``~``);
* the accuracy of the sampled estimate against exact values where exact is computed
  (largest absolute error vs the stated bound, top-20 overlap).

Usage::

    python benchmarks/network_bench.py                      # 1000, 10000, 100000
    python benchmarks/network_bench.py --sizes 1000 --out /tmp/bench.csv
    python benchmarks/network_bench.py --small              # smoke run (make bench)

Targets (issue 17): the 100 000-actor table (average degree 10) in under 60 s and the exact
table for 10 000 actors in under 10 s, on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab import networks as nw


def graph(n: int, m: int = 5, seed: int = 42) -> nx.Graph:
    G = nx.barabasi_albert_graph(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    nx.set_node_attributes(
        G, dict(zip(G.nodes, rng.integers(0, 5, n).tolist(), strict=True)), "group"
    )
    return G


def _time(f, *args, **kw):
    t0 = time.perf_counter()
    out = f(*args, **kw)
    return time.perf_counter() - t0, out


def _cpu_time(f, *args, **kw):
    """Wall seconds, CPU seconds of this process (all threads) and the 1-minute load average
    before the call."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    c0 = time.process_time()
    t, out = _time(f, *args, **kw)
    return t, time.process_time() - c0, load, out


def run(
    sizes, *, m: int, exact_limit: int, nx_limit: int, seed: int, brokerage: bool = True
) -> pd.DataFrame:
    rows = []
    for n in sizes:
        G = graph(n, m, seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", nw.NetworkWarning)
            warnings.simplefilter("ignore", nw.SampledEstimateWarning)
            t_cen, cpu_cen, load, c = _cpu_time(
                nw.centrality, G, exact_limit=exact_limit, seed=seed
            )
            row = {
                "n": n,
                "ties": G.number_of_edges(),
                "load": round(load, 1),
                "centrality_s": round(t_cen, 2),
                "centrality_cpu_s": round(cpu_cen, 2),
                "betweenness": c["betweenness_method"].iloc[0],
                "bound": round(float(c["betweenness_error"].iloc[0]), 4),
            }
            fast_exact = None
            if n <= max(exact_limit, nx_limit):
                t_fast, fast_exact = _time(nw.betweenness_table, G, backend="fast", exact_limit=n)
                row["exact_fast_s"] = round(t_fast, 2)
            if n <= nx_limit:
                t_nx, ref = _time(nw.betweenness_table, G, backend="networkx", exact_limit=n)
                row["exact_networkx_s"] = round(t_nx, 2)
                assert max(abs(ref.raw[v] - fast_exact.raw[v]) for v in G) < 1e-6
            else:  # networkx exact extrapolated from 50 sampled sources (O(nm) -> x n/50)
                t_k, _ = _time(nw.betweenness_table, G, backend="networkx", k=50)
                row["exact_networkx_s"] = f"~{t_k * n / 50:.0f}"
            if "exact_fast_s" in row:
                nx_s = float(str(row["exact_networkx_s"]).lstrip("~"))
                row["ratio_vs_networkx"] = round(nx_s / max(row["exact_fast_s"], 1e-9), 1)
            if fast_exact is not None and row["betweenness"] != "brandes":
                ex = pd.Series(fast_exact.normalised)
                est = c.set_index("node")["betweenness"].reindex(ex.index)
                row["max_abs_error"] = round(float((est - ex).abs().max()), 4)
                top = ex.nlargest(20).index
                row["top20_overlap"] = len(set(top) & set(est.nlargest(20).index)) / 20
            if brokerage:
                t_bro, _ = _time(nw.brokerage, G, "group")
                row["brokerage_s"] = round(t_bro, 2)
        rows.append(row)
        print(row, flush=True)
    return pd.DataFrame(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--m", type=int, default=5, help="ties per new actor (avg degree 2m)")
    ap.add_argument(
        "--exact-limit",
        type=int,
        default=None,
        help="exact betweenness up to this size (default: the package default)",
    )
    ap.add_argument(
        "--nx-limit",
        type=int,
        default=2000,
        help="largest size timed with networkx exact (above: extrapolated)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-brokerage", action="store_true")
    ap.add_argument("--out", default=None, help="CSV file for the timings")
    ap.add_argument(
        "--small",
        action="store_true",
        help="smoke run: 100 and 1,000 nodes (what `make bench` uses)",
    )
    a = ap.parse_args(argv)
    if a.small:
        a.sizes = [100, 1000]
    limit = a.exact_limit if a.exact_limit is not None else nw.default_exact_limit()
    print(
        f"python {platform.python_version()}, networkx {nx.__version__}, "
        f"fast backend: {'yes' if nw.default_exact_limit() > 2000 else 'no'}, "
        f"{os.cpu_count()} cores, {platform.machine()}, seed {a.seed}, m {a.m}"
    )
    table = run(
        a.sizes,
        m=a.m,
        exact_limit=limit,
        nx_limit=a.nx_limit,
        seed=a.seed,
        brokerage=not a.no_brokerage,
    )
    print(table.to_string(index=False))
    if a.out:
        table.to_csv(a.out, index=False)
    for n, goal in ((100_000, 60), (10_000, 10)):
        col = "centrality_s"
        hit = table[table["n"] == n]
        if len(hit) and col in hit and float(hit[col].iloc[0]) >= goal:
            print(f"WARNING: {n} actors: {col} {float(hit[col].iloc[0]):.1f} s >= {goal} s")
    return table


if __name__ == "__main__":
    main()
