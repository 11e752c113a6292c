"""Sum employment to clusters (or any category) and up a region hierarchy; in memory or out of
core (DuckDB over Parquet files or a DuckDB relation).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import aggregate
>>> emp = pd.DataFrame({"region": ["c1", "c1", "c2"], "cluster": ["x", "y", "x"],
...                     "year": 2016, "employment": [5, 7, 11]})
>>> regions = pd.DataFrame({"region": ["c1", "c2", "s1"],
...                         "region_type": ["county", "county", "state"],
...                         "parent": ["s1", "s1", None]})
>>> aggregate(emp, to="cluster", regions=regions)
  region region_type cluster  year  employment
0     c1      county       x  2016           5
1     c1      county       y  2016           7
2     c2      county       x  2016          11
3     s1       state       x  2016          16
4     s1       state       y  2016           7
"""

from __future__ import annotations

import glob as _glob
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, ParameterError, UnmappedWarning
from clusterlab.mapping._core import as_columns, check_table, preview

__all__ = ["aggregate", "region_ancestors", "SUM_COLUMNS"]

#: Count columns summed along with the value column whenever they are present.
SUM_COLUMNS = ("establishments", "payroll")

# category levels, finest first; aggregating to one level carries the coarser ones along
_LEVELS = ("industry", "subcluster", "cluster", "cluster_type")
_NAMES = {"industry": "industry_name", "subcluster": "subcluster_name", "cluster": "cluster_name"}


def aggregate(
    emp,
    *,
    to,
    regions: pd.DataFrame | None = None,
    by=("year",),
    definitions: pd.DataFrame | None = None,
    value: str = "employment",
    region: str = "region",
    industry: str = "industry",
    engine: str = "auto",
) -> pd.DataFrame:
    r"""Sum counts to region x category (x ``by``) cells and up a region hierarchy.

    .. math:: E_{Rc} = \sum_{r \in R} \sum_{i \in c} E_{ri}

    Parameters
    ----------
    emp : pandas.DataFrame, duckdb.DuckDBPyRelation, str or path, or dask DataFrame
        Employment rows (any grain: establishments, county x industry cells, ...). A path, a
        glob (``"panel/*.parquet"``), a folder of Parquet files or a list of paths is read by
        DuckDB out of core (CSV files too); a DuckDB relation is streamed through DuckDB.
        A pandas DataFrame is never modified.
    to : str or sequence of str
        Category column(s) to aggregate to, e.g. ``"cluster"``, ``"subcluster"``,
        ``"industry"`` or ``("cluster_type",)``. Coarser category columns and names present
        (``cluster_type``, ``cluster_name``, ...) are carried along.
    regions : pandas.DataFrame, optional
        Region hierarchy: ``region``, ``region_type`` and optionally ``parent`` (one row per
        region and parent; a county may have an MSA and a state parent). Every region of
        ``emp`` must be in it. The output then holds the regions of ``emp`` and every ancestor,
        each with its ``region_type``; a region is counted once in each ancestor even when it
        is reached by two paths.
    by : sequence of str
        Further grouping columns (default ``("year",)``).
    definitions : pandas.DataFrame, optional
        Industry -> cluster definitions joined first when ``to`` is not a column of ``emp``
        (see :func:`~clusterlab.mapping.assign_clusters`); industries without a definition
        are dropped with an :class:`~clusterlab.errors.UnmappedWarning` giving their share.
    value : str
        The employment column. ``establishments``, ``payroll`` and ``<value>_reported`` are
        summed too when present.
    region, industry : str
        Region and industry columns of ``emp``.
    engine : {"auto", "pandas", "duckdb"}
        ``"auto"``: pandas for a DataFrame, DuckDB for files and relations.

    Returns
    -------
    pandas.DataFrame
        ``region`` (``region_type`` when known), the ``to`` columns and carried category
        columns, ``by``, then the sums; one row per cell, sorted.

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric or negative counts, regions missing from ``regions``,
        a hierarchy with a cycle, or ``emp`` mixing a region with one of its ancestors
        (which would count employment twice).

    Notes
    -----
    Totals are conserved: each level of the output sums to the total of ``emp`` (less any
    unmapped industries) as long as every region has one ancestor of each type. The Parquet
    path runs one DuckDB ``GROUP BY`` scan (join to the definitions included) and only the
    aggregated cells reach pandas, so peak memory does not grow with the number of input
    rows. CMP's rule that a region's own CBP file overrides the sum of its counties is a data
    choice left to the caller (aggregate the counties, then replace the states' rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.mapping import aggregate
    >>> emp = pd.DataFrame({"region": ["c1", "c1", "c2"], "cluster": ["x", "y", "x"],
    ...                     "year": 2016, "employment": [5, 7, 11]})
    >>> regions = pd.DataFrame({"region": ["c1", "c2", "s1"],
    ...                         "region_type": ["county", "county", "state"],
    ...                         "parent": ["s1", "s1", None]})
    >>> aggregate(emp, to="cluster", regions=regions)
      region region_type cluster  year  employment
    0     c1      county       x  2016           5
    1     c1      county       y  2016           7
    2     c2      county       x  2016          11
    3     s1       state       x  2016          16
    4     s1       state       y  2016           7
    """
    check_choice(engine, ["auto", "pandas", "duckdb"], argument="engine")
    to = as_columns(to, argument="to")
    if not to:
        raise ParameterError("to must name at least one category column, e.g. to='cluster'")
    by = as_columns(by, argument="by")
    if definitions is not None:
        from clusterlab.mapping.definitions import _clean_definitions

        def_key = industry if industry in definitions.columns else "industry"
        check_frame(
            definitions,
            required=[def_key, "cluster", "cluster_type"],
            no_missing=[def_key, "cluster", "cluster_type"],
            name="definitions",
        )
        _clean_definitions(definitions, def_key)  # validates; raises on duplicates

    if isinstance(emp, pd.DataFrame) and engine != "duckdb":
        base, sums, cats = _pandas_cells(
            emp,
            to=to,
            by=by,
            definitions=definitions,
            value=value,
            region=region,
            industry=industry,
        )
    elif type(emp).__module__.startswith("dask"):
        base, sums, cats = _dask_cells(
            emp,
            to=to,
            by=by,
            definitions=definitions,
            value=value,
            region=region,
            industry=industry,
        )
    else:
        from clusterlab.mapping._duck import duckdb_cells

        base, sums, cats = duckdb_cells(
            emp,
            to=to,
            by=by,
            definitions=definitions,
            value=value,
            region=region,
            industry=industry,
        )
    if regions is not None:
        return _roll_up(base, regions, region=region, keys=[*cats, *by], sums=sums)
    order = [region] + (["region_type"] if "region_type" in base.columns else [])
    return base.sort_values([region, *cats, *by], kind="stable", ignore_index=True)[
        order + cats + by + sums
    ]


def category_columns(to, available) -> list[str]:
    """``to`` plus the coarser category columns and names available, in a stable order."""
    cats = list(to)
    if len(to) == 1 and to[0] in _LEVELS:
        coarser = _LEVELS[_LEVELS.index(to[0]) :]
        for level in coarser:
            for col in (level, _NAMES.get(level)):
                if col and col in available and col not in cats:
                    cats.append(col)
    return cats


def sum_columns(value, available) -> list[str]:
    return [value] + [c for c in (*SUM_COLUMNS, f"{value}_reported") if c in available]


def _pandas_cells(emp, *, to, by, definitions, value, region, industry):
    frame = emp
    if definitions is not None and any(c not in emp.columns for c in to):
        from clusterlab.mapping.definitions import assign_clusters

        check_frame(emp, required=[industry], name="emp")
        needed = [
            c
            for c in emp.columns
            if c not in ("cluster", "cluster_type", "subcluster", "cluster_name", "subcluster_name")
        ]
        frame = assign_clusters(
            emp[needed],
            definitions,
            industry=industry,
            value=value if value in emp.columns else None,
        )
    sums = sum_columns(value, frame.columns)
    extra = ["region_type"] if "region_type" in frame.columns else []
    check_table(frame, name="emp", keys=[region, *by, *extra], values=sums)
    check_frame(frame, required=to, name="emp")
    cats = category_columns(to, frame.columns)
    frame = _drop_missing_categories(frame, cats, value)
    keys = [region, *extra, *cats, *by]
    base = frame.groupby(keys, observed=True, sort=True, dropna=False)[sums].sum().reset_index()
    return base, sums, cats


def _drop_missing_categories(frame, cats, value):
    missing = frame[cats].isna().any(axis=1).to_numpy()
    if missing.any():
        weights = frame[value].to_numpy(dtype=float)
        share = weights[missing].sum() / weights.sum() if weights.sum() > 0 else missing.mean()
        warnings.warn(
            f"{share:.1%} of {value} ({int(missing.sum())} rows) has no "
            f"{'/'.join(cats)}; left out of the aggregation",
            UnmappedWarning,
            stacklevel=4,
        )
        frame = frame.loc[~missing]
    return frame


def _dask_cells(emp, *, to, by, definitions, value, region, industry):
    frame = emp
    if definitions is not None and any(c not in emp.columns for c in to):
        defs = definitions.copy()
        key = industry if industry in defs.columns else "industry"
        cols = [
            c
            for c in ("cluster", "cluster_type", "subcluster", "cluster_name", "subcluster_name")
            if c in defs.columns
        ]
        defs = defs[[key, *cols]].rename(columns={key: industry})
        # one explicit text dtype on both sides: dask turns a pandas "str" column into
        # "string[pyarrow]" and warns about the mismatch in the merge
        import dask

        from clusterlab.mapping.definitions import _as_text, pad_note, pad_width

        emp_numeric = pd.api.types.is_numeric_dtype(frame[industry].dtype)
        def_numeric = pd.api.types.is_numeric_dtype(defs[industry])
        defs[industry] = _as_text(defs[industry])
        codes = frame[industry].map_partitions(_as_text, meta=(industry, "string"))
        lengths = None
        if def_numeric:  # the same rule as the pandas and DuckDB paths
            digit = codes.str.fullmatch(r"\d+").fillna(False)
            lengths = codes[digit].str.len().unique().compute().tolist()
        width = pad_width(emp_numeric, def_numeric, defs[industry], lengths)
        if width is not None:
            warnings.warn(pad_note(width), DataWarning, stacklevel=4)
            codes = codes.map_partitions(
                lambda c: c.where(~c.str.fullmatch(r"\d+").fillna(False), c.str.zfill(width)),
                meta=(industry, "string"),
            )
            digits = defs[industry].str.fullmatch(r"\d+").fillna(False)
            defs[industry] = defs[industry].where(~digits, defs[industry].str.zfill(width))
        # one explicit text dtype on both sides: dask turns a pandas "str" column into
        # "string[pyarrow]" and warns about the mismatch in the merge
        frame = frame.assign(**{industry: codes.astype("string[pyarrow]")})
        defs[industry] = defs[industry].astype("string[pyarrow]")
        frame = frame.merge(defs, on=industry, how="left")
        unmapped = frame["cluster"].isna()
        if value in frame.columns:
            lost, total = dask.compute(frame[value].where(unmapped, 0).sum(), frame[value].sum())
        else:
            lost, total = dask.compute(unmapped.sum(), unmapped.count())
        if lost > 0:
            warnings.warn(
                f"{lost / total if total else 1.0:.1%} of {value} has no cluster "
                "(industries missing from the definitions); left out",
                UnmappedWarning,
                stacklevel=4,
            )
        frame = frame[~unmapped]
    sums = sum_columns(value, frame.columns)
    missing = [c for c in [region, *to, *by, *sums] if c not in frame.columns]
    if missing:
        raise DataValidationError(f"emp: missing columns {', '.join(missing)}")
    cats = category_columns(to, frame.columns)
    base = frame.groupby([region, *cats, *by], observed=True)[sums].sum().compute()
    base = base.reset_index()
    check_table(base, name="emp", values=sums)
    return base, sums, cats


# ---------------------------------------------------------------------------- hierarchy
def region_ancestors(regions: pd.DataFrame) -> pd.DataFrame:
    """Every (region, ancestor) pair of a hierarchy, the region itself included.

    Parameters
    ----------
    regions : pandas.DataFrame
        ``region``, ``region_type`` and optionally ``parent`` (empty for top-level regions).

    Returns
    -------
    pandas.DataFrame
        ``region``, ``ancestor``, ``ancestor_type`` (unique pairs).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"region": ["c", "m", "s"], "region_type": ["county", "msa", "state"],
    ...                   "parent": ["m", "s", None]})
    >>> region_ancestors(r)
      region ancestor ancestor_type
    0      c        c        county
    1      c        m           msa
    2      c        s         state
    3      m        m           msa
    4      m        s         state
    5      s        s         state
    """
    check_frame(
        regions,
        required=["region", "region_type"],
        no_missing=["region", "region_type"],
        name="regions",
    )
    reg = regions.assign(region=regions["region"].astype(str))
    types = reg[["region", "region_type"]].drop_duplicates()
    clash = types["region"].duplicated(keep=False)
    if clash.any():
        raise DataValidationError(
            "regions: a region has more than one region_type",
            problem_frame(
                {
                    "file": "regions",
                    "column": "region_type",
                    "expected": "one type",
                    "found": f"{r}: {t}",
                }
                for r, t in types.loc[clash].head(50).itertuples(index=False)
            ),
        )
    type_of = types.set_index("region")["region_type"]
    if "parent" in reg.columns:
        edges = reg.loc[reg["parent"].notna(), ["region", "parent"]].astype(str)
        edges = edges.loc[edges["parent"].str.strip() != ""].drop_duplicates()
        unknown = ~edges["parent"].isin(type_of.index)
        if unknown.any():
            raise DataValidationError(
                "regions: parents that are not regions of the table (add a row with their "
                f"region_type): {preview(edges.loc[unknown, 'parent'].unique())}",
                problem_frame(
                    {
                        "file": "regions",
                        "column": "parent",
                        "expected": "a region listed in the table",
                        "found": p,
                    }
                    for p in edges.loc[unknown, "parent"].unique()[:50]
                ),
            )
    else:
        edges = pd.DataFrame({"region": [], "parent": []}, dtype=str)
    pairs = pd.DataFrame({"region": type_of.index, "ancestor": type_of.index})
    frontier = edges.rename(columns={"parent": "ancestor"})
    for _ in range(len(type_of) + 1):
        if frontier.empty:
            break
        cyc = frontier["region"] == frontier["ancestor"]
        if cyc.any():
            raise DataValidationError(
                "regions: the parent hierarchy has a cycle through "
                f"{preview(frontier.loc[cyc, 'region'].unique())}"
            )
        new = frontier.merge(pairs, on=["region", "ancestor"], how="left", indicator=True)
        new = new.loc[new["_merge"] == "left_only", ["region", "ancestor"]].drop_duplicates()
        pairs = pd.concat([pairs, new], ignore_index=True)
        frontier = (
            new.merge(
                edges.rename(columns={"region": "ancestor", "parent": "next"}), on="ancestor"
            )[["region", "next"]]
            .rename(columns={"next": "ancestor"})
            .drop_duplicates()
        )
    pairs["ancestor_type"] = pairs["ancestor"].map(type_of)
    return pairs.sort_values(["region", "ancestor"], ignore_index=True)


def _roll_up(base, regions, *, region, keys, sums):
    pairs = region_ancestors(regions)
    codes = base[region].astype(str)
    known = codes.isin(pairs["region"]).to_numpy()
    if not known.all():
        bad = pd.unique(codes[~known])
        raise DataValidationError(
            f"emp: {len(bad)} regions are missing from the regions hierarchy: {preview(bad)}",
            problem_frame(
                {
                    "file": "emp",
                    "column": region,
                    "expected": "a region listed in regions",
                    "found": b,
                }
                for b in bad[:50]
            ),
        )
    present = set(pd.unique(codes))
    nested = pairs.loc[
        (pairs["region"] != pairs["ancestor"])
        & pairs["region"].isin(present)
        & pairs["ancestor"].isin(present)
    ]
    if not nested.empty:
        raise DataValidationError(
            "emp mixes regions with their own ancestors (employment would be counted twice): "
            + preview(
                f"{a} contains {r}"
                for r, a in nested[["region", "ancestor"]].itertuples(index=False)
            ),
            problem_frame(
                {
                    "file": "emp",
                    "column": region,
                    "expected": "one level of the hierarchy",
                    "found": f"{a} and its part {r}",
                }
                for r, a in nested[["region", "ancestor"]].head(50).itertuples(index=False)
            ),
        )
    frame = base.drop(columns=["region_type"], errors="ignore")
    frame = frame.assign(**{region: codes.to_numpy()})
    merged = frame.merge(pairs.rename(columns={"region": region}), on=region, how="inner")
    out = (
        merged.groupby(
            ["ancestor", "ancestor_type", *keys], observed=True, sort=True, dropna=False
        )[sums]
        .sum()
        .reset_index()
        .rename(columns={"ancestor": region, "ancestor_type": "region_type"})
    )
    # finest level first (the type whose regions have the most ancestors), then region, keys
    n_anc = pairs.groupby("region").size()
    own = pairs.loc[pairs["region"] == pairs["ancestor"]]
    depth = own.assign(n=own["region"].map(n_anc)).groupby("ancestor_type")["n"].max()
    out = out.assign(_o=-out["region_type"].map(depth).fillna(0).to_numpy())
    out = out.sort_values(
        ["_o", "region_type", region, *keys], kind="stable", ignore_index=True
    ).drop(columns="_o")
    for c in sums:
        if (
            pd.api.types.is_float_dtype(out[c])
            and np.all(np.mod(out[c].to_numpy(), 1) == 0)
            and pd.api.types.is_integer_dtype(base[c])
        ):
            out[c] = out[c].astype(base[c].dtype)
    return out[[region, "region_type", *keys, *sums]]


def _source_files(emp) -> list[str]:
    """Expand a path, folder, glob or list of them to files (for the DuckDB reader)."""
    items = emp if isinstance(emp, list | tuple) else [emp]
    files: list[str] = []
    for item in items:
        item = os.fspath(item)
        if any(ch in item for ch in "*?["):
            files.extend(sorted(_glob.glob(item, recursive=True)))
        elif Path(item).is_dir():
            files.extend(sorted(str(p) for p in Path(item).rglob("*.parquet")))
        else:
            files.append(item)
    missing = [f for f in files if not Path(f).is_file()]
    if not files or missing:
        raise DataValidationError(f"emp: no such file(s): {preview(missing or items)}")
    return files
