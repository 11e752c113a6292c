"""Out-of-core aggregation benchmark: establishment-level Parquet -> region x cluster x year.

Writes a synthetic establishment-level panel (one row per establishment and year: region,
industry, year, employment; ``--rows``, default 50 M) as a folder of Parquet files, plus an
industry -> cluster definitions table, then measures — each in a fresh process so that its peak
memory (max RSS, including the Python interpreter) is its own:

* ``duckdb-raw``: a plain DuckDB ``GROUP BY region, cluster, year`` over the files joined to the
  definitions (the baseline);
* ``duckdb-scan``: a plain DuckDB ``GROUP BY region, industry, year`` (no join), for reference;
* ``clusterlab``: :func:`clusterlab.mapping.aggregate` on the Parquet glob (DuckDB engine);
* ``clusterlab-dask`` (``--dask``): the same on a ``dask.dataframe`` of the files.

It checks that clusterlab's totals equal the baseline's exactly and prints the ratios against
the targets of issue #8: peak memory <= 2 GB and time <= 3x the raw DuckDB GROUP BY.

Usage::

    python benchmarks/aggregate_bench.py              # 50 M rows (about 1 GB of Parquet)
    python benchmarks/aggregate_bench.py --small      # 2 M rows
    python benchmarks/aggregate_bench.py --rows 10_000_000 --data /tmp/panel   # kept, reused
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _worker  # benchmarks/_worker.py (the script's folder is on sys.path)

N_REGIONS = 3000
N_INDUSTRIES = 1000
N_CLUSTERS = 67
YEARS = list(range(2012, 2022))
CHUNK = 5_000_000


# ------------------------------------------------------------------------------- data
def write_panel(folder: Path, rows: int, seed: int = 20261124) -> tuple[Path, Path]:
    """Write ``rows`` establishment-year rows in chunks (bounded memory); returns
    (panel folder, definitions file)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    panel = folder / "establishments"
    panel.mkdir(exist_ok=True)
    rng = np.random.default_rng(seed)
    regions = np.array([f"R{i:04d}" for i in range(N_REGIONS)])
    industries = np.array([f"{100000 + 97 * i:06d}" for i in range(N_INDUSTRIES)])
    # skewed sizes: a few big regions and industries, as in real establishment data
    p_region = rng.dirichlet(np.full(N_REGIONS, 0.6))
    p_industry = rng.dirichlet(np.full(N_INDUSTRIES, 0.6))
    written, part = 0, 0
    while written < rows:
        n = min(CHUNK, rows - written)
        table = pa.table(
            {
                "region": pa.DictionaryArray.from_arrays(
                    rng.choice(N_REGIONS, size=n, p=p_region).astype("int32"), regions
                ),
                "industry": pa.DictionaryArray.from_arrays(
                    rng.choice(N_INDUSTRIES, size=n, p=p_industry).astype("int32"), industries
                ),
                "year": rng.choice(YEARS, size=n).astype("int32"),
                "employment": np.maximum(1, rng.lognormal(1.6, 1.2, size=n)).astype("int64"),
            }
        )
        pq.write_table(table, panel / f"part-{part:03d}.parquet", row_group_size=1_000_000)
        written += n
        part += 1
    clusters = [f"cluster_{k:02d}" for k in range(N_CLUSTERS)]
    definitions = pa.table(
        {
            "industry": industries,
            "cluster": [clusters[i % N_CLUSTERS] for i in range(N_INDUSTRIES)],
            "cluster_type": [
                "traded" if i % N_CLUSTERS < 51 else "local" for i in range(N_INDUSTRIES)
            ],
        }
    )
    defs = folder / "definitions.parquet"
    pq.write_table(definitions, defs)
    return panel, defs


# ---------------------------------------------------------------------------- workers
def _duckdb_raw(glob: str, defs: str, threads: int, join: bool):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    if join:
        sql = (
            "SELECT e.region, d.cluster, e.year, SUM(e.employment) AS employment "
            "FROM read_parquet(?) e JOIN read_parquet(?) d USING (industry) "
            "GROUP BY ALL"
        )
        return con.execute(sql, [glob, defs]).df()
    sql = (
        "SELECT region, industry, year, SUM(employment) AS employment "
        "FROM read_parquet(?) GROUP BY ALL"
    )
    return con.execute(sql, [glob]).df()


def _clusterlab(glob: str, defs: str, engine: str):
    """Call clusterlab.mapping.aggregate on the microdata (adapting to its signature)."""
    import pandas as pd

    from clusterlab import mapping

    definitions = pd.read_parquet(defs)
    source = glob
    if engine == "dask":
        import dask.dataframe as dd

        source = dd.read_parquet(glob)
    params = inspect.signature(mapping.aggregate).parameters
    kwargs = {}
    if "definitions" in params:
        kwargs["definitions"] = definitions
        kwargs["to"] = "cluster"
    else:
        kwargs["to"] = definitions
    if "by" in params:
        kwargs["by"] = ("year",)
    if "engine" in params and engine != "dask":
        kwargs["engine"] = "duckdb"
    out = mapping.aggregate(source, **kwargs)
    if hasattr(out, "compute"):
        out = out.compute()
    if not isinstance(out, pd.DataFrame) and hasattr(out, "df"):
        out = out.df()
    return out


def worker(args) -> int:
    """One measurement in this (fresh) process; prints a JSON line."""
    threads = args.threads or os.cpu_count() or 1
    t0 = time.perf_counter()
    if args.worker == "duckdb-raw":
        out = _duckdb_raw(args.glob, args.defs, threads, join=True)
    elif args.worker == "duckdb-scan":
        out = _duckdb_raw(args.glob, args.defs, threads, join=False)
    elif args.worker == "clusterlab":
        out = _clusterlab(args.glob, args.defs, "duckdb")
    else:
        out = _clusterlab(args.glob, args.defs, "dask")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    summary = {"seconds": seconds, "peak_mb": peak_mb, "rows_out": len(out)}
    if "cluster" in out.columns:
        key = [c for c in ("region", "cluster", "year") if c in out.columns]
        total = out.groupby(key, observed=True)["employment"].sum().sort_index()
        summary["total"] = int(total.sum())
        summary["checksum"] = int(
            (total.reset_index(drop=True) * (1 + (total.reset_index().index % 7))).sum()
        )
        summary["cells"] = int(len(total))
    print("RESULT " + json.dumps(summary))
    return 0


def measure(name: str, glob: str, defs: str, threads: int) -> dict:
    return _worker.measure(__file__, name, glob, defs, threads)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=50_000_000)
    parser.add_argument("--small", action="store_true", help="2 M rows")
    parser.add_argument("--data", default=None, help="folder for the panel (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated panel")
    parser.add_argument("--dask", action="store_true", help="also time the dask.dataframe path")
    parser.add_argument(
        "--threads", type=int, default=None, help="DuckDB threads (default: all cores)"
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--glob", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--defs", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.small:
        args.rows = 2_000_000
    threads = args.threads or os.cpu_count() or 1

    folder = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="clusterlab-agg-"))
    t0 = time.perf_counter()
    meta = folder / "panel.json"
    if meta.is_file() and json.loads(meta.read_text()).get("rows") == args.rows:
        panel, defs = folder / "establishments", folder / "definitions.parquet"  # reuse
    else:
        panel, defs = write_panel(folder, args.rows)
        meta.write_text(json.dumps({"rows": args.rows}))
    size = sum(f.stat().st_size for f in panel.glob("*.parquet")) / 1e6
    glob = str(panel / "*.parquet")
    print(
        f"aggregate_bench: {args.rows:,} establishment rows, {size:.0f} MB Parquet in "
        f"{len(list(panel.glob('*.parquet')))} files (written in {time.perf_counter() - t0:.1f} "
        f"s); {N_REGIONS} regions x {N_INDUSTRIES} industries -> {N_CLUSTERS} clusters x "
        f"{len(YEARS)} years; {threads} DuckDB threads, {os.cpu_count()} cores"
    )

    names = ["duckdb-scan", "duckdb-raw", "clusterlab"] + (["clusterlab-dask"] if args.dask else [])
    results = {name: measure(name, glob, str(defs), threads) for name in names}
    print(f"\n{'path':16} {'seconds':>8} {'peak MB':>8} {'rows out':>10}  vs raw GROUP BY")
    base = results["duckdb-raw"]
    for name, r in results.items():
        if "error" in r:
            print(f"{name:16} failed: {r['error']}")
            continue
        ratio = r["seconds"] / base["seconds"] if "seconds" in base else float("nan")
        print(
            f"{name:16} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} {r['rows_out']:>10,}  "
            f"{ratio:.2f}x"
        )
    status = 0
    for name in ("clusterlab", "clusterlab-dask"):
        r = results.get(name)
        if r is None or "error" in r:
            continue
        same = (r.get("total"), r.get("checksum"), r.get("cells")) == (
            base.get("total"),
            base.get("checksum"),
            base.get("cells"),
        )
        ratio = r["seconds"] / base["seconds"]
        print(
            f"  {name}: totals equal the raw DuckDB result: {'yes' if same else 'NO'}; "
            f"time {ratio:.2f}x raw (<= 3x: {'met' if ratio <= 3 else 'not met'}); "
            f"peak {r['peak_mb']:.0f} MB (<= 2048 MB: "
            f"{'met' if r['peak_mb'] <= 2048 else 'not met'})"
        )
        status |= 0 if same else 1
    if "error" in results.get("clusterlab", {}):
        print("  clusterlab.mapping.aggregate could not be measured (see the error above)")
        status = 2
    if args.keep or args.data:
        print(f"panel kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
