"""The ``clusterlab`` command.

``clusterlab run``         execute the notebooks for every cluster parameter file (papermill)
``clusterlab validate``    check data files and parameter files, print every problem as a table
``clusterlab new-cluster`` write a commented parameter file for a new cluster (``--from-data``)
``clusterlab templates``   write empty CSV/Excel templates of every data contract
``clusterlab serve``       serve the Voila dashboards
``clusterlab publish``     export the static, disclosure-protected dashboard site

Exit codes: 0 success; 1 a notebook failed, validation found problems, or the dashboards are
not installed; 2 a clusterlab error (bad parameter file, bad arguments — printed as a message,
never a traceback); 3 an unexpected error (a message; ``CLUSTERLAB_DEBUG=1`` shows the
traceback); 130 interrupted. A closed output pipe (``clusterlab validate … | head``) ends quietly.

Examples
--------
>>> args = build_parser().parse_args(["run", "parameters/north.yaml", "--jobs", "2"])
>>> args.param_files, args.jobs, args.resume
(['parameters/north.yaml'], 2, False)
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

import pandas as pd

from clusterlab import __version__
from clusterlab.errors import ClusterlabError, ParameterError

__all__ = ["main", "build_parser", "format_problems"]

_DASHBOARDS_MISSING = (
    "dashboards not available yet: this installation of clusterlab has no "
    "{what} (clusterlab.{module}.{func} is missing)"
)


def format_problems(problems: pd.DataFrame, *, max_rows: int | None = None) -> str:
    """Write a problems table (``file, row, column, expected, found``) as plain text.

    Parameters
    ----------
    problems : pandas.DataFrame
        A problems table, as carried by :class:`~clusterlab.errors.DataValidationError` and
        :class:`~clusterlab.errors.ParameterError`.
    max_rows : int, optional
        Show at most this many rows, then a line saying how many more there are. Default
        ``None``: every row.

    Returns
    -------
    str
        The table without its index, one problem per line.

    Examples
    --------
    >>> import pandas as pd
    >>> problems = pd.DataFrame({"file": ["emp.csv"], "row": [3], "column": ["employment"],
    ...                          "expected": [">= 0"], "found": ["-5"]})
    >>> print(format_problems(problems))
       file row     column expected found
    emp.csv   3 employment     >= 0    -5
    """
    shown = problems if max_rows is None else problems.head(max_rows)
    text = shown.astype(object).where(shown.notna(), "").to_string(index=False, max_colwidth=200)
    if max_rows is not None and len(problems) > max_rows:
        text += f"\n... and {len(problems) - max_rows} more"
    return text


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so that Python's final flush does not
    print 'Exception ignored … BrokenPipeError'."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout
        pass


def _err(message: str) -> None:
    print(f"clusterlab: {message}", file=sys.stderr)


# ----------------------------------------------------------------------------- run
def _cmd_run(args) -> int:
    from clusterlab.runner import run

    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise ParameterError(
            f"--output {args.output}: is a file; name a folder (it is created when missing)"
        )

    notebooks = None
    if args.notebooks:
        notebooks = [n.strip() for item in args.notebooks for n in item.split(",") if n.strip()]
    timeout = None if args.timeout is not None and args.timeout <= 0 else args.timeout
    result = run(
        args.param_files or None,
        notebooks=notebooks,
        notebook_dir=args.notebook_dir,
        parameter_dir=args.parameter_dir,
        output=args.output,
        jobs=args.jobs,
        scheduler=args.scheduler,
        resume=args.resume,
        timeout=timeout,
        retries=args.retries,
        max_memory=args.max_memory,
        progress=not args.no_progress,
        command=["clusterlab", *args.argv],
    )
    args.exit_code = 0 if result.ok else 1  # kept if the reader of stdout goes away
    summary = result.summary()
    counts = summary["status"].value_counts().to_dict()
    table = summary[["cluster", "notebook", "status", "duration_s"]].copy()
    table["duration_s"] = table["duration_s"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    print(table.to_string(index=False))
    print(f"\nrun {result.run_id}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    for e in result.manifest["executions"]:
        if e.get("skip_reason"):
            print(f"  SKIPPED {e['id']}: {e['skip_reason']}")
    for e in result.failed:
        err = e.get("error") or {}
        first = (str(err.get("message") or "").splitlines() or [""])[0][:300]
        print(f"  FAILED {e['id']}: {err.get('type')}: {first}")
        report = Path(result.manifest["output_root"]) / e["report"]
        if report.is_file():  # a lost worker may have left no report
            print(f"         partial output: {report}")
    folders = sorted(
        {
            str(Path(result.manifest["output_root"]) / e["output_dir"])
            for e in result.manifest["executions"]
            if not e.get("skip_reason")
        }
    )
    print(f"manifest: {result.manifest_path}")
    print(f"index of the reports: {result.run_dir / 'index.html'}")
    print("reports (HTML) and tables:")
    for folder in folders:
        print(f"  {folder}")
    return 0 if result.ok else 1


# ------------------------------------------------------------------------ validate
def _notebook_keys(folder) -> tuple[str, ...]:
    from clusterlab.runner.planner import discover_notebooks, notebook_keys

    if folder is None or not Path(folder).is_dir():
        return ()
    keys: set[str] = set()
    for nb in discover_notebooks(folder):
        keys |= set(notebook_keys(nb))
    return tuple(sorted(keys))


def _print_check(check) -> None:
    """The resolved data files and the per-analysis readiness of a parameter file."""
    for row in check.files.itertuples():
        state = "found" if row.exists else "NOT FOUND"
        print(f"         {row.parameter}: {row.value} -> {row.path} ({state})")
        if not row.exists:
            print(f"           tried, in order: {row.tried}")
    for row in check.analyses.itertuples():
        reason = f" — {row.reason}" if row.reason else ""
        print(f"         {row.analysis:<10} {row.notebook:<22} {row.status}{reason}")
    if len(check.analyses) and (check.analyses["status"] == "skip").all():
        print(
            "  note: no analysis has its inputs for this cluster: `clusterlab run` would "
            "skip every notebook (see the reasons above and docs/data.md#analysis-needs)"
        )


def _cmd_validate(args) -> int:
    import warnings

    from clusterlab import io, params
    from clusterlab.schemas import SCHEMAS

    if args.schema is not None and args.schema not in SCHEMAS:
        close = difflib.get_close_matches(args.schema, list(SCHEMAS), n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ParameterError(
            f"unknown schema {args.schema!r}{hint}; known: " + ", ".join(sorted(SCHEMAS))
        )
    frames = []
    extra = _notebook_keys(args.notebook_dir)
    for path in args.paths:
        check = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if args.schema is None and params.is_parameter_file(path):
                check = params.check_parameter_file(path, extra_keys=extra)
                problems, what = check.problems, "parameter file"
            else:
                schema = args.schema or io.guess_schema(path)
                problems = io.validate_file(path, args.schema)
                what = f"schema {schema!r}" if schema else "unknown schema"
        if problems.empty:
            print(f"ok       {path} ({what})")
        else:
            print(f"PROBLEMS {path} ({what}): {len(problems)}")
            frames.append(problems)
        if check is not None:
            _print_check(check)
        from clusterlab.errors import ClusterlabWarning

        for note in dict.fromkeys(
            str(w.message) for w in caught if issubclass(w.category, ClusterlabWarning)
        ):
            print(f"  note: {note}")
    if not frames:
        return 0
    table = pd.concat(frames, ignore_index=True)
    print()
    print(format_problems(table))
    print(f"\n{len(table)} problem(s) in {len(frames)} of {len(args.paths)} file(s)")
    return 1


# --------------------------------------------------------------------- new-cluster
def _cmd_new_cluster(args) -> int:
    from clusterlab.params import scan_data_folder, write_template

    path = write_template(args.name, args.dir, from_data=args.from_data)
    print(f"wrote {path}")
    if args.from_data is not None:
        found = scan_data_folder(args.from_data, args.name)
        print(f"data files of {args.from_data}:")
        print(
            found.astype(object).where(found.notna(), "").to_string(index=False)
            if len(found)
            else "  (none found: name them employment.csv, nodes.csv, …)"
        )
    print(
        f"the id {args.name!r} must appear in the 'initiative' column of the tables of each "
        "analysis (see the file's header)"
    )
    print(
        f"next: edit it, check it with `clusterlab validate {path}`, "
        f"run it with `clusterlab run {path}`"
    )
    return 0


def _cmd_templates(args) -> int:
    from clusterlab.templates import write_templates

    paths = write_templates(args.folder, format=args.format)
    print(f"wrote {len(paths)} files to {args.folder}: " + ", ".join(p.name for p in paths))
    print(
        "fill in the tables you have (one row per record; delete the rest), keep the column "
        "names, then point a parameter file at them: "
        f"`clusterlab new-cluster NAME --from-data {args.folder}`"
    )
    return 0


# ---------------------------------------------------------------- serve / publish
def _lazy(module: str, func: str, what: str):
    import importlib

    try:
        mod = importlib.import_module(f"clusterlab.{module}")
        return getattr(mod, func)
    except (ImportError, AttributeError):
        _err(_DASHBOARDS_MISSING.format(what=what, module=module, func=func))
        return None


def _check_results(folder) -> None:
    """``--results`` must name a folder holding at least one run (``*/manifest.json``)."""
    if folder is None:
        return
    path = Path(folder)
    if not path.is_dir():
        parent = path.parent if str(path.parent) else Path(".")
        near = difflib.get_close_matches(
            path.name,
            [p.name for p in parent.iterdir() if p.is_dir()] if parent.is_dir() else [],
            n=1,
            cutoff=0.6,
        )
        hint = f" (did you mean {str(parent / near[0])!r}?)" if near else ""
        raise ParameterError(f"--results {folder}: no such folder{hint}")
    if not any(path.glob("*/manifest.json")) and not (path / "manifest.json").is_file():
        raise ParameterError(
            f"--results {folder}: no runs there (no */manifest.json); run "
            f"`clusterlab run --output {folder}` first"
        )


def _cmd_serve(args) -> int:
    _check_results(args.results)
    serve = _lazy("dashboards", "serve", "dashboard server")
    if serve is None:
        return 1
    kwargs = {"port": args.port, "open_browser": not args.no_browser, "analyst": args.analyst}
    if args.results is not None:
        kwargs["results_root"] = args.results
    code = serve(**kwargs)
    return int(code) if isinstance(code, int) else 0


def _cmd_publish(args) -> int:
    _check_results(args.results)
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise ParameterError(f"--output {args.output}: is a file; name a folder")
    export_site = _lazy("publish", "export_site", "static site export")
    if export_site is None:
        return 1
    kwargs = {"analyst": args.analyst}
    if args.results is not None:
        kwargs["results_root"] = args.results
    if args.clusters:
        kwargs["clusters"] = [c for item in args.clusters for c in item.split(",") if c]
    if args.audit:
        site = Path(args.output).resolve()
        kwargs["audit"] = site.parent / f"{site.name}-disclosure-audit.csv"
    index = export_site(args.output, **kwargs)
    print(f"wrote the static site: {index}")
    if args.audit:
        print(f"wrote the INTERNAL disclosure audit (not for publication): {kwargs['audit']}")
    return 0


# -------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``clusterlab`` command and its subcommands.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each subcommand sets ``func``, the function :func:`main` calls.

    Examples
    --------
    >>> args = build_parser().parse_args(["validate", "parameters/northport_maritime.yaml"])
    >>> args.command, args.paths
    ('validate', ['parameters/northport_maritime.yaml'])
    """
    parser = argparse.ArgumentParser(
        prog="clusterlab",
        description="clusterlab: reproducible cluster-mapping and cluster-initiative "
        "evaluation notebooks, run per cluster from parameter files.",
        epilog="Exit codes: 0 ok; 1 a notebook failed / problems found / dashboards missing; "
        "2 bad input (message, no traceback). Docs: docs/running.md",
    )
    parser.add_argument("--version", action="version", version=f"clusterlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "run",
        help="execute the notebooks for every cluster parameter file",
        description="Execute notebooks with papermill for each parameter file, several at once, "
        "writing OUTPUT/<run-id>/<cluster>/<notebook>.ipynb, .html reports, "
        "tables/*.parquet and OUTPUT/<run-id>/manifest.json. Parameter files are "
        "validated first (unknown keys fail). A failing notebook is recorded and "
        "the others go on; the exit code is 1 if any failed.",
    )
    p.add_argument(
        "param_files",
        nargs="*",
        metavar="PARAM_FILE",
        help="cluster parameter files (default: every parameters/*.yaml except defaults.yaml)",
    )
    p.add_argument(
        "--notebooks",
        action="append",
        metavar="NAMES",
        help="comma-separated notebook names or prefixes, e.g. 01,03_cimbt "
        "(default: every notebooks/NN_*.ipynb)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="parallel executions (local processes, or LocalCluster workers); "
        "default: number of cores, at most 4",
    )
    p.add_argument(
        "--output", "-o", default="outputs", metavar="DIR", help="output root (default: outputs)"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="skip executions that already succeeded in a run below DIR with "
        "identical parameters, input file hashes and package versions",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDR",
        help="'local' for a Dask LocalCluster with --jobs workers, or "
        "tcp://HOST:PORT of an existing Dask scheduler (workers need clusterlab "
        "and the same file paths)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="per-cell execution time limit in seconds (default 3600; 0 = none)",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=0,
        metavar="N",
        help="re-run an execution whose worker process or kernel died (killed, out "
        "of memory) up to N times (default 0: it is recorded as failed with "
        "the cause and the batch goes on)",
    )
    p.add_argument(
        "--max-memory",
        default=None,
        metavar="SIZE",
        help="memory limit per execution, e.g. 2GB or 500MB: a notebook whose "
        "kernel uses more is stopped and recorded as failed "
        "(MemoryLimitError)",
    )
    p.add_argument(
        "--notebook-dir",
        default="notebooks",
        metavar="DIR",
        help="folder of the NN_*.ipynb notebooks (default: notebooks)",
    )
    p.add_argument(
        "--parameter-dir",
        default="parameters",
        metavar="DIR",
        help="folder searched when no PARAM_FILE is given (default: parameters)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "validate",
        help="check data files and parameter files",
        description="Check data files against a named schema (guessed from the file name "
        "without --schema) and parameter files (*.yaml, recognised "
        "automatically, including the data files they point to). Prints every "
        "problem as a table; exit code 1 if there are any.",
    )
    p.add_argument(
        "--schema",
        default=None,
        metavar="NAME",
        help="schema name for every PATH: employment, definitions, regions, edges, "
        "nodes, ratings, firm_panel, indicators, ...",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--notebook-dir",
        default="notebooks",
        metavar="DIR",
        help="keys declared in these notebooks' parameters cells count as known "
        "(default: notebooks)",
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "new-cluster",
        help="write a commented parameter file for a new cluster",
        description="Write DIR/NAME.yaml listing every parameter key with its "
        "help text; refuses to overwrite.",
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument(
        "--dir",
        default="parameters",
        metavar="DIR",
        help="folder to write to (default: parameters)",
    )
    p.add_argument(
        "--from-data",
        default=None,
        metavar="DATA_DIR",
        help="start from your own data files in DATA_DIR: sets data_dir, every "
        "<table>_file found there (by file name: employment.csv, nodes.xlsx, "
        "…) and analyses to those whose tables are all there",
    )
    p.set_defaults(func=_cmd_new_cluster)

    p = sub.add_parser(
        "templates",
        help="write empty input templates for every data contract",
        description="Write an empty template (header only) per data contract "
        "to FOLDER, as CSV files plus COLUMNS.csv, or as Excel "
        "workbooks with a 'columns' sheet; see docs/data.md.",
    )
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--format", choices=["csv", "excel"], default="csv")
    p.set_defaults(func=_cmd_templates)

    note = (
        " Needs the dashboards part of clusterlab (clusterlab.dashboards / "
        "clusterlab.publish); without it the command says 'dashboards not available yet' "
        "and exits 1."
    )
    p = sub.add_parser(
        "serve",
        help="serve the Voila dashboards on the results",
        description="Serve the Voila dashboards on 127.0.0.1 (public mode applies "
        "disclosure control; --analyst shows raw tables)." + note,
    )
    p.add_argument("--port", type=int, default=8866, metavar="N")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--analyst",
        action="store_true",
        help="analyst mode: unprotected tables (every page says so)",
    )
    p.add_argument("--results", default=None, metavar="DIR", help="results root (default: outputs)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser(
        "publish",
        help="export the static dashboard site",
        description="Write a static HTML site of the results, "
        "disclosure-protected unless --analyst." + note,
    )
    p.add_argument("--output", "-o", required=True, metavar="DIR")
    p.add_argument(
        "--analyst",
        action="store_true",
        help="publish unprotected tables (every page carries a banner)",
    )
    p.add_argument("--results", default=None, metavar="DIR", help="results root (default: outputs)")
    p.add_argument(
        "--clusters",
        nargs="+",
        default=None,
        metavar="NAME",
        help="publish only these clusters (run folder names, e.g. "
        "northport_maritime; space- or comma-separated); only runs whose "
        "notebooks all succeeded are published",
    )
    p.add_argument(
        "--audit",
        action="store_true",
        help="also write the internal disclosure audit (per table: cells published, "
        "hidden by rule, smallest protection achieved) to "
        "<DIR>-disclosure-audit.csv next to the site, never inside it",
    )
    p.set_defaults(func=_cmd_publish)
    return parser


def _debug() -> bool:
    import os

    return os.environ.get("CLUSTERLAB_DEBUG", "") not in ("", "0")


def main(argv: list[str] | None = None) -> int:
    """Run the ``clusterlab`` command; returns the exit code.

    Every failure is a one-line message on stderr and an exit code, never a traceback: our own
    errors exit 2 (with their problems table), a closed output pipe (``clusterlab … | head``)
    ends quietly, an unexpected error exits 3 with its type and message (set
    ``CLUSTERLAB_DEBUG=1`` to see the traceback).

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``clusterlab``. Default ``None``: ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 1 when a checked file has problems or an execution failed, 2 for our own
        errors, 3 for an unexpected error, 130 when interrupted.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = main(["validate", "no-such.yaml"])
    >>> code
    1
    >>> "no such file" in out.getvalue()
    True
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if __name__ == "__main__" or sys.argv[0].endswith("clusterlab"):  # our own process only
        from clusterlab.runner._boot import skip_slow_optional_imports

        skip_slow_optional_imports()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    args.argv = argv
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # the reader of our output went away (`clusterlab run ... | head`): the work is done
        # and recorded; stop writing, without a traceback (Python docs, "Note on SIGPIPE")
        _silence_stdout()
        return getattr(args, "exit_code", 0)
    except ClusterlabError as exc:
        problems = getattr(exc, "problems", None)
        if isinstance(problems, pd.DataFrame) and not problems.empty:
            _err(str(exc.args[0] if exc.args else exc).splitlines()[0])
            print(format_problems(problems), file=sys.stderr)
        else:
            _err(str(exc))
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a message, no traceback
        if _debug():
            raise
        _err(f"unexpected error: {type(exc).__name__}: {exc}")
        _err(
            "this is a bug or an unchecked input: please report it with the command; "
            "CLUSTERLAB_DEBUG=1 shows the traceback"
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
