"""Cluster-mapping benchmark: CBP-scale county x 6-digit-industry panel -> LQs + strong flags.

Writes a synthetic County Business Patterns-like panel (``--cells`` county x industry cells per
year, default 1.07 M as in CBP; ``--years``, default 20: about 21 M rows) as one Parquet file
per year plus an industry -> cluster definitions table (67 clusters, 51 traded), then measures,
each in a fresh process so that its peak memory (max RSS, interpreter included) is its own:

(a) ``duckdb-raw``: a plain DuckDB ``GROUP BY region, cluster, year`` over the files joined to
    the definitions, fetched into pandas (the baseline); ``duckdb-scan``: the same scan grouped
    by ``region, industry, year`` without fetching (for reference);
(b) ``clusterlab-e2e``: :func:`clusterlab.mapping.aggregate` on the Parquet glob, then
    :func:`~clusterlab.mapping.location_quotients` (traded/local) and
    :func:`~clusterlab.mapping.strong_clusters`;
(c) ``pandas-lq`` vs ``clusterlab-lq``: the detailed (county x industry x year) LQ over all
    cells, a plain ``groupby().transform`` chain vs :func:`location_quotients` (the time of
    reading the Parquet files is excluded, their memory is not).

Targets of issue #3 on a 2-core machine: (b) <= 3x (a); detailed LQ >= 2x faster than the
pandas baseline; peak memory of (b) <= 2 GB. The ratios are printed.

Usage::

    python benchmarks/mapping_bench.py                          # CBP scale (about 21 M rows)
    python benchmarks/mapping_bench.py --cells 20000 --years 2  # smoke run, seconds
    python benchmarks/mapping_bench.py --data /tmp/cbp --keep   # keep and reuse the panel
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _worker  # benchmarks/_worker.py (the script's folder is on sys.path)

N_CLUSTERS = 67
N_TRADED = 51


# ------------------------------------------------------------------------------- data
def write_panel(
    folder: Path, *, cells: int, years: int, regions: int, industries: int, seed: int = 20261124
) -> tuple[Path, Path]:
    """One Parquet file per year (bounded memory); returns (panel folder, definitions)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    panel = folder / "cells"
    panel.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    region_codes = np.array([f"{1001 + i:05d}" for i in range(regions)])
    industry_codes = np.array([f"{111110 + 7 * i:06d}" for i in range(industries)])
    p_region = rng.dirichlet(np.full(regions, 0.8))
    p_industry = rng.dirichlet(np.full(industries, 0.8))
    cells = min(cells, regions * industries)
    for k in range(years):
        # distinct cells, drawn with skewed region/industry sizes
        draw = int(cells * 1.6)
        r = rng.choice(regions, size=draw, p=p_region)
        i = rng.choice(industries, size=draw, p=p_industry)
        key = np.unique(r.astype(np.int64) * industries + i)
        if len(key) < cells:  # top up uniformly
            extra = rng.choice(regions * industries, size=2 * (cells - len(key)), replace=False)
            key = np.unique(np.concatenate([key, extra]))
        key = rng.permutation(key)[:cells]
        key.sort()
        r, i = key // industries, key % industries
        est = np.maximum(1, rng.lognormal(1.0, 1.3, size=cells)).astype("int32")
        emp = (est * np.maximum(1, rng.lognormal(2.0, 0.8, size=cells))).astype("int64")
        table = pa.table(
            {
                "region": pa.DictionaryArray.from_arrays(r.astype("int32"), region_codes),
                "industry": pa.DictionaryArray.from_arrays(i.astype("int32"), industry_codes),
                "year": np.full(cells, 1998 + k, dtype="int32"),
                "employment": emp,
                "establishments": est,
            }
        )
        pq.write_table(table, panel / f"year={1998 + k}.parquet", row_group_size=500_000)
    clusters = [str(k + 1) if k < N_TRADED else str(101 + k - N_TRADED) for k in range(N_CLUSTERS)]
    definitions = pa.table(
        {
            "industry": industry_codes,
            "cluster": [clusters[j % N_CLUSTERS] for j in range(industries)],
            "cluster_type": [
                "traded" if j % N_CLUSTERS < N_TRADED else "local" for j in range(industries)
            ],
        }
    )
    defs = folder / "definitions.parquet"
    pq.write_table(definitions, defs)
    return panel, defs


# ---------------------------------------------------------------------------- workers
def _read_cells(glob: str):
    import pandas as pd

    frame = pd.read_parquet(Path(glob).parent)  # dictionary columns -> categoricals
    return frame[["region", "industry", "year", "employment", "establishments"]]


def run_worker(name: str, glob: str, defs: str, threads: int) -> dict:
    import pandas as pd

    summary: dict = {}
    if name in ("duckdb-raw", "duckdb-scan"):
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET threads = {threads}")
        t0 = time.perf_counter()
        if name == "duckdb-raw":
            out = con.execute(
                "SELECT e.region, d.cluster, e.year, SUM(e.employment) AS employment, "
                "SUM(e.establishments) AS establishments FROM read_parquet(?) e "
                "JOIN read_parquet(?) d USING (industry) GROUP BY ALL",
                [glob, defs],
            ).df()
            summary["rows_out"] = len(out)
            summary["total"] = int(out["employment"].sum())
        else:
            n = con.execute(
                "SELECT count(*) FROM (SELECT region, industry, year, "
                "SUM(employment) FROM read_parquet(?) GROUP BY ALL)",
                [glob],
            ).fetchone()[0]
            summary["rows_out"] = int(n)
        summary["seconds"] = time.perf_counter() - t0
    elif name == "clusterlab-e2e":
        from clusterlab import mapping

        definitions = pd.read_parquet(defs)
        t0 = time.perf_counter()
        cells = mapping.aggregate(glob, to="cluster", definitions=definitions)
        t1 = time.perf_counter()
        lq = mapping.location_quotients(cells, within="cluster_type")
        flags = mapping.strong_clusters(lq)
        summary["seconds"] = time.perf_counter() - t0
        summary["aggregate_seconds"] = t1 - t0
        summary["rows_out"] = len(flags)
        summary["total"] = int(cells["employment"].sum())
        summary["strong"] = int(flags["strong"].sum())
    elif name in ("pandas-lq", "clusterlab-lq"):
        df = _read_cells(glob)
        summary["rows_in"] = len(df)
        t0 = time.perf_counter()
        if name == "pandas-lq":
            e = df["employment"]
            region_total = df.groupby(["year", "region"], observed=True)["employment"].transform(
                "sum"
            )
            industry_total = df.groupby(["year", "industry"], observed=True)[
                "employment"
            ].transform("sum")
            total = df.groupby("year", observed=True)["employment"].transform("sum")
            lq = (e / region_total) / (industry_total / total)
        else:
            from clusterlab import mapping

            lq = mapping.location_quotients(df, category="industry")["lq"]
        summary["seconds"] = time.perf_counter() - t0
        summary["checksum"] = float(lq.sum())
    else:
        raise SystemExit(f"unknown worker {name}")
    summary["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary


def measure(name: str, glob: str, defs: str, threads: int) -> dict:
    return _worker.measure(__file__, name, glob, defs, threads)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    num = lambda s: int(s.replace("_", ""))  # noqa: E731
    parser.add_argument(
        "--cells",
        type=num,
        default=1_070_000,
        help="county x industry cells per year (default 1,070,000)",
    )
    parser.add_argument("--years", type=num, default=20)
    parser.add_argument("--regions", type=num, default=3221, help="counties (default 3221)")
    parser.add_argument("--industries", type=num, default=1000)
    parser.add_argument("--data", default=None, help="folder for the panel (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated panel")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--skip", default="", help="comma-separated workers to skip")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--glob", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--defs", default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--small",
        action="store_true",
        help="smoke run (20,000 cells x 2 years; what `make bench` uses)",
    )
    args = parser.parse_args(argv)
    if args.small:
        args.cells, args.years, args.regions, args.industries = 20_000, 2, 200, 200
    threads = args.threads or os.cpu_count() or 1
    if args.worker:
        print("RESULT " + json.dumps(run_worker(args.worker, args.glob, args.defs, threads)))
        return 0

    folder = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="clusterlab-map-"))
    spec = {
        "cells": args.cells,
        "years": args.years,
        "regions": args.regions,
        "industries": args.industries,
    }
    meta = folder / "panel.json"
    t0 = time.perf_counter()
    if meta.is_file() and json.loads(meta.read_text()) == spec:
        panel, defs = folder / "cells", folder / "definitions.parquet"
    else:
        shutil.rmtree(folder / "cells", ignore_errors=True)
        panel, defs = write_panel(folder, **spec)
        meta.write_text(json.dumps(spec))
    files = sorted(panel.glob("*.parquet"))
    size = sum(f.stat().st_size for f in files) / 1e6
    glob = str(panel / "*.parquet")
    print(
        f"mapping_bench: {args.cells * args.years:,} county x industry rows ({args.cells:,} "
        f"cells x {args.years} years), {size:.0f} MB Parquet in {len(files)} files "
        f"(ready in {time.perf_counter() - t0:.1f} s); {args.regions} regions x "
        f"{args.industries} industries -> {N_CLUSTERS} clusters; {threads} threads, "
        f"{os.cpu_count()} cores"
    )

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    names = [
        n
        for n in ("duckdb-scan", "duckdb-raw", "clusterlab-e2e", "pandas-lq", "clusterlab-lq")
        if n not in skip
    ]
    results = {}
    for name in names:
        results[name] = measure(name, glob, str(defs), threads)
    print(f"\n{'path':16} {'seconds':>8} {'peak MB':>8} {'rows':>12}")
    for name, r in results.items():
        if "error" in r:
            print(f"{name:16} failed: {r['error']}")
            continue
        rows = r.get("rows_out", r.get("rows_in", 0))
        print(f"{name:16} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} {rows:>12,}")

    status = 0
    raw, e2e = results.get("duckdb-raw", {}), results.get("clusterlab-e2e", {})
    if "seconds" in raw and "seconds" in e2e:
        ratio = e2e["seconds"] / raw["seconds"]
        same = raw.get("total") == e2e.get("total")
        print(
            f"\n(b)/(a) end to end vs raw DuckDB GROUP BY: {ratio:.2f}x (<= 3x: "
            f"{'met' if ratio <= 3 else 'not met'}); aggregate step alone "
            f"{e2e['aggregate_seconds'] / raw['seconds']:.2f}x; totals equal: "
            f"{'yes' if same else 'NO'}; peak {e2e['peak_mb']:.0f} MB (<= 2048 MB: "
            f"{'met' if e2e['peak_mb'] <= 2048 else 'not met'}); strong cells "
            f"{e2e.get('strong')}"
        )
        status |= 0 if same else 1
    base, ours = results.get("pandas-lq", {}), results.get("clusterlab-lq", {})
    if "seconds" in base and "seconds" in ours:
        speedup = base["seconds"] / ours["seconds"]
        close = abs(base["checksum"] - ours["checksum"]) <= 1e-6 * abs(base["checksum"])
        print(
            f"(c) detailed LQ: clusterlab {speedup:.2f}x faster than pandas "
            f"groupby().transform (>= 2x: {'met' if speedup >= 2 else 'not met'}); same LQs: "
            f"{'yes' if close else 'NO'}; peak {ours['peak_mb']:.0f} MB vs "
            f"{base['peak_mb']:.0f} MB"
        )
        status |= 0 if close else 1
    if any("error" in r for r in results.values()):
        status |= 2
    if args.keep or args.data:
        print(f"panel kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
