"""Property tests (hypothesis) of the disclosure rule on random tables.

For random two- and three-way tables of firm counts and magnitudes:
1. no published cell is computed from fewer than ``min_count`` firms (empty cells aside) or
   dominated by its largest firm;
2. no suppressed value of a non-empty cell can be recovered exactly from the published cells
   plus the published line totals (a hidden empty cell may be derivable as 0, which reveals
   nothing) — checked by an *independent* intruder written here with scipy's linprog
   (min and max of each hidden cell subject to the totals and x >= 0), with the totals that
   are themselves sensitive (fewer than ``min_count`` firms) left unpublished;
3. firm names and ids of non-consenting firms never appear in any output (table, CSV, HTML).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from clusterlab.publish import DisclosureWarning, protect, to_csv, to_html

MIN = 3
K = 0.85

settings.register_profile(
    "clusterlab", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("clusterlab")


@st.composite
def tables(draw, ndim=2, empty_cells=True):
    shape = [draw(st.integers(2, 4)) for _ in range(ndim)]
    cells = list(itertools.product(*[range(s) for s in shape]))
    choices = [0, 1, 2, 3, 4, 6, 10, 25] if empty_cells else [1, 2, 3, 4, 6, 10, 25]
    counts = draw(st.lists(st.sampled_from(choices), min_size=len(cells), max_size=len(cells)))
    sizes = draw(st.lists(st.integers(1, 60), min_size=len(cells), max_size=len(cells)))
    shares = draw(
        st.lists(
            st.sampled_from([0.2, 0.5, 0.8, 0.9, 0.99]), min_size=len(cells), max_size=len(cells)
        )
    )
    recs = []
    for cell, n, size, share in zip(cells, counts, sizes, shares, strict=True):
        rec = {f"d{k}": f"v{v}" for k, v in enumerate(cell)}
        rec.update(n_firms=n, turnover=float(n * size), top1_share=share if n else np.nan)
        recs.append(rec)
    return pd.DataFrame(recs)


def intruder_exact(table, hidden, column, dims, count="n_firms"):
    """Hidden cells whose value an intruder pins down from the published line totals."""
    hidden = np.asarray(hidden, bool)
    idx = list(np.flatnonzero(hidden))
    if not idx:
        return []
    x = table[column].to_numpy(float)
    rows, rhs = [], []
    for d in dims:
        others = [o for o in dims if o != d]
        for _, g in table.groupby(others):
            n = g[count].sum()
            if 0 < n < MIN:
                continue  # a sensitive total is not published
            top = (g["top1_share"].fillna(0) * g["turnover"]).max()
            if g["turnover"].sum() > 0 and top / g["turnover"].sum() > K:
                continue  # a dominated total is not published either
            pos = [p for p in g.index if hidden[p]]
            if not pos:
                continue
            row = np.zeros(len(idx))
            for p in pos:
                row[idx.index(p)] = 1
            rows.append(row)
            rhs.append(x[pos].sum())
    if not rows:
        return []
    a, b = np.array(rows), np.array(rhs)
    exact = []
    for j, p in enumerate(idx):
        if not a[:, j].any():
            continue
        c = np.zeros(len(idx))
        c[j] = 1
        lo = linprog(c, A_eq=a, b_eq=b, bounds=(0, None))
        hi = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None))
        if -hi.fun - lo.fun < 1e-6 * max(1.0, abs(x[p])):
            exact.append(int(p))
    return exact


def _check(table, dims):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DisclosureWarning)  # checked through rule["unresolved"]
        p = protect(
            table,
            count_col="n_firms",
            contributors="top1_share",
            dims=dims,
            additive=["n_firms", "turnover"],
            min_count=MIN,
            dominance=(1, K),
        )
    out, report = p.table, p.report
    published = ~out["suppressed"].to_numpy()
    n = table["n_firms"].to_numpy()
    # 1. nothing published from 1..MIN-1 firms, nothing dominated
    assert not (published & (n > 0) & (n < MIN)).any()
    assert not (published & (table["top1_share"].fillna(0).to_numpy() > K) & (n > 0)).any()
    assert out.loc[~published, ["n_firms", "turnover"]].isna().all().all()
    pd.testing.assert_series_equal(
        out.loc[published, "turnover"].astype(float), table.loc[published, "turnover"].astype(float)
    )
    # 2. no exact recovery from published totals, unless protect itself warned about it
    hidden = ~published
    for col in ("n_firms", "turnover"):
        exact = [i for i in intruder_exact(table, hidden, col, dims) if n[i] > 0]
        assert set(exact) <= set(p.rule["unresolved"]), (col, exact, report)
    return p


@given(tables(ndim=2))
def test_two_way_tables(table):
    _check(table, ["d0", "d1"])


@given(tables(ndim=3))
@settings(max_examples=8)
def test_three_way_tables(table):
    _check(table, ["d0", "d1", "d2"])


@given(tables(ndim=2, empty_cells=False))
def test_full_grids_without_empty_cells_are_always_resolved(table):
    # In a full grid (≥ 2 × 2) of positive cells every cell lies on a rectangle of positive
    # cells, along which its value can move both ways without changing any total: suppression
    # can always be completed. (With empty rows it cannot: a row total of 0 pins its cells.)
    p = _check(table, ["d0", "d1"])
    assert p.rule["unresolved"] == []


@given(tables(ndim=3, empty_cells=False))
@settings(max_examples=6)
def test_full_three_way_grids_are_always_resolved(table):
    p = _check(table, ["d0", "d1", "d2"])
    assert p.rule["unresolved"] == []


NAMES = [
    "Vireo Port Services & Co",
    "Ironbridge Naval Design GmbH",
    "Kestrel Naval Design & Co",
    "Sable Shipyards Ltd",
    "Calder Port Services plc",
    "Marram Foods AG",
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(range(len(NAMES))),
            st.booleans(),
            st.integers(0, 12),
            st.sampled_from(["firm", "agency"]),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda r: r[0],
    ),
    st.booleans(),
)
def test_firm_names_never_published_without_consent(rows, mention):
    t = pd.DataFrame(
        {
            "firm": [f"F{i:04d}" for i, *_ in rows],
            "firm_name": [NAMES[i] for i, *_ in rows],
            "consent": [c for _, c, *_ in rows],
            "kind": [k for *_, k in rows],
            "n_firms": [n for _, _, n, _ in rows],
            "value": [float(n) for _, _, n, _ in rows],
        }
    )
    if mention:  # names also hidden inside free text
        t["comment"] = ["partner of " + NAMES[(i + 1) % len(NAMES)] for i, *_ in rows]
    p = protect(t, count_col="n_firms", dims=["firm"], margins=False)
    secret = [(f"F{i:04d}", NAMES[i]) for i, consent, *_ in rows if not consent]
    consented = {NAMES[i] for i, consent, *_ in rows if consent}
    text = p.table.to_csv() + to_html(p)
    for fid, name in secret:
        if name in consented:
            continue
        assert name not in text
        assert fid not in text


def test_csv_has_no_hidden_values(tmp_path):
    t = pd.DataFrame(
        {
            "d0": ["a", "a", "b", "b"],
            "d1": ["x", "y", "x", "y"],
            "n_firms": [1, 8, 9, 10],
            "turnover": [123456.0, 800, 900, 1000],
            "top1_share": [1.0, 0.2, 0.2, 0.2],
        }
    )
    p = _check(t, ["d0", "d1"])
    text = to_csv(p, tmp_path / "t.csv").read_text()
    assert "123456" not in text
