"""Batch-runner benchmark: serial vs a local process pool vs a Dask LocalCluster.

Runs CLUSTERS x NOTEBOOKS notebook executions (default 6 x 4 = 24) three times through
:func:`clusterlab.runner.run` — serially (``--jobs 1``), with a local pool (``--jobs N``) and on
a ``LocalCluster`` with N single-threaded workers (``--scheduler local``) — and prints wall time,
the summed execution times, the ideal time (sum of execution times / workers), the scheduling
overhead relative to that ideal, the speed-up over serial and the per-notebook kernel start-up
overhead. It also checks that the three runs wrote byte-identical result tables.

The notebooks are synthetic stand-ins of the analysis notebooks: they import pandas and
clusterlab, do a fixed amount of CPU work (``--work`` seconds, calibrated here in iterations so
that contention shows), and save a table with :func:`clusterlab.results.save`.

Targets (issue #8, 2 cores): speed-up >= 1.7x over serial; scheduling overhead <= 10 % of the
ideal. This is a benchmark that prints ratios, not a timed test.

Usage::

    python benchmarks/batch_bench.py            # 6 clusters x 4 notebooks, 2 workers
    python benchmarks/batch_bench.py --small    # 2 x 2, quick check
    python benchmarks/batch_bench.py --clusters 12 --jobs 4 --work 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

PARAMS = 'cluster = "c01"\nseed = 1\nwork_iters = 10\noutput_dir = ""'
BODY = [
    "import time\n\nimport numpy as np\nimport pandas as pd\n\nfrom clusterlab import results\n"
    "t0 = time.perf_counter()",
    "rng = np.random.default_rng(seed)\nacc = 0.0\nfor _ in range(work_iters):\n"
    "    acc += float(np.sort(rng.random(200_000))[100_000])",
    "table = pd.DataFrame({'cluster': [cluster], 'acc': [acc], 'iters': [work_iters]})\n"
    "results.save(table, 'bench_' + NOTEBOOK, output_dir=output_dir)\n"
    "results.save(pd.DataFrame({'inside_s': [time.perf_counter() - t0]}), "
    "'timing_' + NOTEBOOK, output_dir=output_dir)",
]


def calibrate(seconds: float) -> int:
    """Iterations of the notebook's work loop that take ``seconds`` on one idle core."""
    rng = np.random.default_rng(0)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.5:
        np.sort(rng.random(200_000))
        n += 1
    return max(1, int(seconds * n / (time.perf_counter() - t0)))


def make_project(root: Path, clusters: int, notebooks: int, iters: int) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "parameters").mkdir()
    for k in range(1, notebooks + 1):
        name = f"{k:02d}_bench{k}"
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell(PARAMS)
        cell.metadata["tags"] = ["parameters"]
        nb.cells = [cell] + [
            nbformat.v4.new_code_cell(src.replace("NOTEBOOK", repr(name))) for src in BODY
        ]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
    empty = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('cluster = "c01"\noutput_dir = ""')
    cell.metadata["tags"] = ["parameters"]
    empty.cells = [cell]
    empty.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(empty, root / "notebooks" / "empty.ipynb")  # not NN_*: not in the batches
    (root / "parameters" / "defaults.yaml").write_text(f"work_iters: {iters}\n")
    for c in range(1, clusters + 1):
        (root / "parameters" / f"c{c:02d}.yaml").write_text(f"cluster: c{c:02d}\nseed: {c}\n")
    return root


def timed_run(root: Path, out: Path, **kw) -> tuple[float, dict]:
    from clusterlab.runner import run

    t0 = time.perf_counter()
    result = run(
        notebook_dir=root / "notebooks",
        parameter_dir=root / "parameters",
        output=out,
        progress=False,
        **kw,
    )
    wall = time.perf_counter() - t0
    if not result.ok:
        raise SystemExit(f"benchmark run failed: {result.summary().to_string()}")
    return wall, result.manifest


def inside_seconds(manifest: dict) -> dict[str, float]:
    """Time spent inside each notebook's cells, as the notebook measured it."""
    import pandas as pd

    root = Path(manifest["output_root"])
    out = {}
    for e in manifest["executions"]:
        path = root / e["output_dir"] / "tables" / f"timing_{e['notebook']}.parquet"
        out[e["id"]] = float(pd.read_parquet(path)["inside_s"].iloc[0])
    return out


def table_hashes(manifest: dict) -> dict:
    return {
        (c, t["name"]): t["sha256"]
        for c, tables in manifest["tables"].items()
        for t in tables
        if t["name"].startswith("bench_")
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=6)
    parser.add_argument("--notebooks", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2, help="workers of the pool / LocalCluster")
    parser.add_argument(
        "--work",
        type=float,
        default=2.0,
        help="CPU seconds of work inside each notebook (idle core)",
    )
    parser.add_argument("--small", action="store_true", help="2 clusters x 2 notebooks, 0.5 s")
    parser.add_argument(
        "--modes", default="serial,pool,dask", help="comma-separated subset of serial,pool,dask"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary outputs")
    args = parser.parse_args(argv)
    if args.small:
        args.clusters, args.notebooks, args.work = 2, 2, 0.5
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one core per kernel: parallelism comes from workers
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="clusterlab-batch-bench-"))
    iters = calibrate(args.work)
    root = make_project(tmp / "project", args.clusters, args.notebooks, iters)
    n = args.clusters * args.notebooks
    print(
        f"batch_bench: {args.clusters} clusters x {args.notebooks} notebooks = {n} executions, "
        f"~{args.work:g} s CPU each ({iters} iterations), {args.jobs} workers, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"
    )

    # kernel start-up + shutdown cost of an empty notebook, run serially
    from clusterlab.runner import run

    empty = run(
        [root / "parameters" / "c01.yaml", root / "parameters" / "c02.yaml"]
        if args.clusters >= 2
        else None,
        notebooks=[root / "notebooks" / "empty.ipynb"],
        parameter_dir=root / "parameters",
        output=tmp / "out-empty",
        jobs=1,
        progress=False,
    )
    startup = statistics.median(e["duration_s"] for e in empty.manifest["executions"])

    rows, hashes = [], {}
    settings = {
        "serial": {"jobs": 1},
        "pool": {"jobs": args.jobs},
        "dask": {"jobs": args.jobs, "scheduler": "local"},
    }
    serial_sum = None
    for mode in modes:
        wall, manifest = timed_run(root, tmp / f"out-{mode}", **settings[mode])
        # execution time of one job = the notebook run plus its HTML report
        durations = [e["duration_s"] + (e.get("report_s") or 0) for e in manifest["executions"]]
        inside = inside_seconds(manifest)
        overhead_each = statistics.median(
            e["duration_s"] - inside[e["id"]] for e in manifest["executions"]
        )
        workers = settings[mode]["jobs"]
        total = sum(durations)
        if mode == "serial":
            serial_sum = total
        rows.append(
            {
                "mode": mode,
                "workers": workers,
                "wall_s": wall,
                "sum_exec_s": total,
                "ideal_s": total / workers,
                "ideal_serial_s": (serial_sum or total) / workers,
                "per_nb_overhead_s": overhead_each,
            }
        )
        hashes[mode] = table_hashes(manifest)

    base = next((r["wall_s"] for r in rows if r["mode"] == "serial"), None)
    print()
    print(
        f"{'mode':8} {'workers':>7} {'wall s':>8} {'sum exec s':>10} {'ideal s':>8} "
        f"{'overhead':>9} {'ideal*':>8} {'overhead*':>9} {'speed-up':>8} {'nb ovh s':>8}"
    )
    for r in rows:
        over = (r["wall_s"] - r["ideal_s"]) / r["ideal_s"] * 100
        over_s = (r["wall_s"] - r["ideal_serial_s"]) / r["ideal_serial_s"] * 100
        speed = f"{base / r['wall_s']:.2f}x" if base else "-"
        print(
            f"{r['mode']:8} {r['workers']:>7} {r['wall_s']:>8.1f} {r['sum_exec_s']:>10.1f} "
            f"{r['ideal_s']:>8.1f} {over:>8.1f}% {r['ideal_serial_s']:>8.1f} {over_s:>8.1f}% "
            f"{speed:>8} {r['per_nb_overhead_s']:>8.2f}"
        )
    print("\n  sum exec = summed per-job times (notebook run + HTML report), from the manifest")
    print("  ideal    = this mode's sum exec / workers; overhead = wall / ideal - 1")
    print("  ideal*   = the serial run's summed execution times / workers (no contention)")
    print(
        "  nb ovh s = median per-notebook time outside its cells (kernel start-up, "
        "papermill, shutdown)"
    )
    print(
        f"  empty-notebook execution (kernel start-up + shutdown), serial median: {startup:.2f} s"
    )
    identical = len({tuple(sorted(h.items())) for h in hashes.values()}) == 1
    print(f"  result tables byte-identical across modes: {'yes' if identical else 'NO'}")
    for r in rows:
        if r["mode"] == "serial" or base is None:
            continue
        speed = base / r["wall_s"]
        over = (r["wall_s"] - r["ideal_s"]) / r["ideal_s"] * 100
        print(
            f"  target {r['mode']}: speed-up {speed:.2f}x (>= 1.7x: "
            f"{'met' if speed >= 1.7 else 'not met'}), overhead {over:.1f}% "
            f"(<= 10%: {'met' if over <= 10 else 'not met'})"
        )
    if args.keep:
        print(f"outputs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
