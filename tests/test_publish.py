"""Disclosure control: hand-worked examples of the rule, the gate and the exports.

Reference for the rules: Hundepool et al. (2012), *Statistical Disclosure Control*, ch. 4
(threshold rule, (n, k) dominance rule, secondary suppression, the LP "intruder" audit).
Every expected value below is worked out by hand in the comments.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from clusterlab.errors import DataValidationError, DisclosureError, ParameterError
from clusterlab.publish import (
    WITHHELD,
    DisclosureWarning,
    Protected,
    aggregate_units,
    dominance_shares,
    protect,
    to_csv,
    to_excel,
    to_html,
    unprotected,
)
from clusterlab.publish.suppression import audit_intervals, lines_of, secondary_suppression


def grid(counts, values=None, rows="r", cols="c"):
    counts = np.asarray(counts)
    values = counts * 10.0 if values is None else np.asarray(values, float)
    recs = [
        {
            rows: f"r{i}",
            cols: f"c{j}",
            "n_firms": int(counts[i, j]),
            "employment": float(values[i, j]),
        }
        for i, j in itertools.product(range(counts.shape[0]), range(counts.shape[1]))
    ]
    return pd.DataFrame(recs)


def exact_cells(table, suppressed, column):
    """Independent intruder: min/max of each suppressed cell given published cells and all
    row and column totals (x >= 0); returns the cells whose interval has zero width."""
    sup = np.asarray(suppressed)
    idx = np.flatnonzero(sup)
    x = table[column].to_numpy(float)
    eqs = []
    for key in ("r", "c"):
        for _, g in table.groupby(key):
            row = np.zeros(len(idx))
            for pos in g.index:
                if sup[pos]:
                    row[list(idx).index(pos)] = 1
            if row.any():
                eqs.append((row, x[g.index][sup[g.index]].sum()))
    if not eqs:
        return []
    a = np.array([e[0] for e in eqs])
    b = np.array([e[1] for e in eqs])
    out = []
    for j, pos in enumerate(idx):
        c = np.zeros(len(idx))
        c[j] = 1
        lo = linprog(c, A_eq=a, b_eq=b, bounds=(0, None)).fun
        hi = -linprog(-c, A_eq=a, b_eq=b, bounds=(0, None)).fun
        if hi - lo < 1e-6:
            out.append(int(pos))
    return out


# ----------------------------------------------------------------------------- primary rules
def test_threshold_rule_counts_zero_published():
    # counts 0, 1, 2, 3, 5 with min_count 3: 1 and 2 are sensitive, an empty cell (0) is not
    t = pd.DataFrame(
        {"cell": list("abcde"), "n_firms": [0, 1, 2, 3, 5], "turnover": [0.0, 10, 20, 30, 50]}
    )
    p = protect(t, count_col="n_firms", dims=["cell"], margins=False)
    assert p.report["reason"].tolist() == ["", "threshold", "threshold", "", ""]
    assert p.table["turnover"].isna().tolist() == [False, True, True, False, False]
    assert p.table["n_firms"].isna().tolist() == [False, True, True, False, False]


def test_dominance_rule_is_strict_and_uses_n():
    # (1, 0.85): 0.86 > 0.85 suppressed; 0.85 is not "more than" 85 %
    t = pd.DataFrame(
        {
            "cell": list("abc"),
            "n_firms": [10, 10, 10],
            "top1_share": [0.86, 0.85, 0.2],
            "v": [1.0, 2, 3],
        }
    )
    p = protect(t, count_col="n_firms", contributors="top1_share", dims=["cell"], margins=False)
    assert p.report["reason"].tolist() == ["dominance", "", ""]
    p = protect(
        t,
        count_col="n_firms",
        contributors="top1_share",
        dims=["cell"],
        margins=False,
        dominance=None,
    )
    assert p.report["reason"].tolist() == ["", "", ""]


def test_dominance_shares_by_hand():
    # cell a: 90 of 100 held by the largest firm (0.9); two largest: 95/100
    # cell b: firm s reports twice (10 + 10) → contributions 20, 10, 10 → 20/40 = 0.5
    m = pd.DataFrame(
        {
            "cell": ["a"] * 3 + ["b"] * 4,
            "firm": list("pqrsstu")[:7],
            "emp": [90, 5, 5, 10, 10, 10, 10],
        }
    )
    m.loc[3:6, "firm"] = ["s", "s", "t", "u"]
    one = dominance_shares(m, by=["cell"], value="emp")
    assert one["top1_share"].round(6).tolist() == [0.9, 0.5]
    assert one["n_units"].tolist() == [3, 3]
    two = dominance_shares(m, by=["cell"], value="emp", n=2)
    assert two["top2_share"].round(6).tolist() == [0.95, 0.75]


# ----------------------------------------------------------------------- secondary suppression
def test_two_by_two_needs_all_four_cells():
    # In a 2 × 2 table with published row and column totals, one hidden cell follows from its
    # row total; hiding its row and column partners leaves the fourth cell to close the
    # rectangle: all four must go (hand argument: each row/column needs 0 or 2 hidden cells).
    t = grid([[1, 5], [6, 7]])
    p = protect(t, count_col="n_firms", dims=["r", "c"], additive=["n_firms", "employment"])
    assert p.table["suppressed"].tolist() == [True, True, True, True]
    assert p.report["reason"].tolist() == ["threshold", "secondary", "secondary", "secondary"]


def test_three_by_three_closes_smallest_rectangle():
    # counts   c0 c1 c2        one sensitive cell (r0,c0). The cheapest rectangle through it
    #   r0   [ 2  9  4 ]       uses the smallest partners: (r0,c2)=4 in its row, (r2,c0)=5 in
    #   r1   [ 8  7  6 ]       its column, and the corner (r2,c2)=3 that sits in both deficient
    #   r2   [ 5  9  3 ]       lines → exactly 4 cells hidden.
    t = grid([[2, 9, 4], [8, 7, 6], [5, 9, 3]])
    p = protect(t, count_col="n_firms", dims=["r", "c"], additive=["n_firms", "employment"])
    hidden = set(map(tuple, p.table.loc[p.table["suppressed"], ["r", "c"]].to_numpy()))
    assert hidden == {("r0", "c0"), ("r0", "c2"), ("r2", "c0"), ("r2", "c2")}
    assert exact_cells(t, p.table["suppressed"], "employment") == []


def test_audit_catches_a_bridge_between_two_rectangles():
    # Two hidden 2 × 2 rectangles joined by one hidden cell (r0,c2): every row and column has
    # 0 or ≥ 2 hidden cells, yet (r0,c2) is a bridge of the row–column graph and its value
    # follows from the totals (sum rows r0,r1 minus columns c0,c1). The line heuristic alone
    # misses it; the audit must find it and add a cell.
    counts = np.full((4, 4), 10)
    t = grid(counts, values=np.arange(1, 17).reshape(4, 4) * 3.0)
    pattern = np.zeros((4, 4), bool)
    pattern[np.ix_([0, 1], [0, 1])] = True
    pattern[np.ix_([2, 3], [2, 3])] = True
    pattern[0, 2] = True
    flat = pattern.ravel()
    assert 2 in exact_cells(t, flat, "employment")  # row-major position of (r0, c2)
    sec, unresolved = secondary_suppression(
        t, dims=["r", "c"], primary=flat, additive=["employment"], weight="n_firms"
    )
    final = flat | sec.to_numpy()
    assert sec.sum() >= 1 and unresolved == []
    assert exact_cells(t, final, "employment") == []


def test_audit_intervals_by_hand():
    # 2 × 2 all hidden, values [[1, 5], [6, 7]]: row totals 6, 13; column totals 7, 12.
    # x00 = t ∈ [0, 6] (x01 = 6 - t ≥ 0, x10 = 7 - t ≥ 0, x11 = 6 + t ≥ 0)
    t = pd.DataFrame(
        {"r": ["a", "a", "b", "b"], "c": ["x", "y", "x", "y"], "v": [1.0, 5.0, 6.0, 7.0]}
    )
    iv = audit_intervals(t, dims=["r", "c"], suppressed=[True] * 4, column="v")
    assert iv["lower"].tolist() == [0.0, 0.0, 1.0, 6.0]
    assert iv["upper"].tolist() == [6.0, 6.0, 7.0, 12.0]
    assert not iv["exact"].any()


def test_sensitive_line_totals_are_withheld_not_protected_against():
    # 2 × 2 with counts [[1, 0], [0, 0]]: row r0 and column c0 have totals built from one firm,
    # so those totals are themselves sensitive and withheld; no complementary cell is needed.
    t = grid([[1, 0], [0, 0]])
    p = protect(t, count_col="n_firms", dims=["r", "c"], additive=["n_firms", "employment"])
    assert p.report["reason"].tolist() == ["threshold", "", "", ""]
    assert {"r": "r0", "c": "*"} in p.rule["withheld_totals"]
    assert {"r": "*", "c": "c0"} in p.rule["withheld_totals"]


def test_single_cell_line_warns():
    # cells (a,x)=1 firm, (b,x)=20, (b,y)=20, (a,z)=9. Column z holds one cell only, so its
    # total (9 firms, publishable) *is* (a,z); row a = (a,x) + (a,z) then gives (a,x) away.
    # Nothing can be hidden to prevent it: protect must say so (the column-z total must not
    # be published).
    t = pd.DataFrame(
        {
            "r": ["a", "b", "b", "a"],
            "c": ["x", "x", "y", "z"],
            "n_firms": [1, 20, 20, 9],
            "employment": [5.0, 50, 60, 40],
        }
    )
    with pytest.warns(DisclosureWarning, match="do not publish those totals"):
        p = protect(t, count_col="n_firms", dims=["r", "c"], additive=["n_firms", "employment"])
    assert 3 in p.rule["unresolved"]
    assert p.table.loc[0, "suppressed"]


def test_one_dimension_table_gets_one_complement():
    t = pd.DataFrame(
        {"region": list("abcd"), "n_firms": [2, 9, 12, 7], "employment": [40.0, 300, 520, 210]}
    )
    p = protect(t, count_col="n_firms", dims=["region"])
    # grand total (30 firms) is publishable → hide the smallest other cell (d, 7 firms)
    assert p.report["reason"].tolist() == ["threshold", "", "", "secondary"]


def test_lines_of():
    t = pd.DataFrame({"r": ["a", "a", "b"], "c": ["x", "y", "x"]})
    assert [sorted(x.tolist()) for x in lines_of(t, ["r", "c"])] == [[0, 2], [1], [0, 1], [2]]


# ----------------------------------------------------------------------------- identifiers
def test_firm_names_removed_unless_consent_and_scrubbed_from_text():
    t = pd.DataFrame(
        {
            "firm": ["F1", "F2", "F3"],
            "firm_name": [
                "Vireo Port Services & Co",
                "Sable Shipyards Ltd",
                "Calder Port Services plc",
            ],
            "consent": [True, False, False],
            "kind": ["firm"] * 3,
            "note": ["leader", "close to Sable Shipyards Ltd", "F3 joined late"],
            "n_firms": [5, 5, 5],
            "degree": [1.0, 2.0, 3.0],
        }
    )
    p = protect(t, count_col="n_firms", dims=["firm"], margins=False)
    out = p.table
    assert out["firm_name"].tolist() == ["Vireo Port Services & Co", WITHHELD, WITHHELD]
    assert out["firm"].tolist() == ["F1", WITHHELD, WITHHELD]
    assert out["note"].tolist() == ["leader", WITHHELD, WITHHELD]
    assert "consent" not in out.columns
    html = to_html(p)
    assert "Sable" not in html and "Calder" not in html and "Vireo" in html


def test_withheld_names_anywhere():
    t = pd.DataFrame(
        {
            "kind": ["firm", "agency"],
            "n_firms": [4, 4],
            "top_actor": ["Kestrel Naval Design & Co", "Port Agency"],
        }
    )
    p = protect(
        t,
        count_col="n_firms",
        dims=["kind"],
        margins=False,
        withheld_names=["Kestrel Naval Design & Co"],
    )
    assert p.table["top_actor"].tolist() == [WITHHELD, "Port Agency"]


# ----------------------------------------------------------------------------- the gate
def test_exports_refuse_unprotected_tables(tmp_path):
    df = pd.DataFrame({"x": [1]})
    for call in (
        lambda: to_csv(df, tmp_path / "a.csv"),
        lambda: to_excel(df, tmp_path / "a.xlsx"),
        lambda: to_excel({"t": df}, tmp_path / "a.xlsx"),
        lambda: to_html(df),
    ):
        with pytest.raises(DisclosureError):
            call()
    assert not list(tmp_path.iterdir())
    with pytest.raises(DisclosureError):
        Protected(df, pd.DataFrame({"reason": [""]}))


def test_analyst_tables_need_analyst_flag(tmp_path):
    u = unprotected(pd.DataFrame({"firm_name": ["Sable Shipyards Ltd"], "v": [1]}))
    with pytest.raises(DisclosureError, match="analyst"):
        to_csv(u, tmp_path / "u.csv")
    path = to_excel({"raw": u}, tmp_path / "u.xlsx", analyst=True)
    readme = pd.read_excel(path, sheet_name="README")
    assert readme["note"].str.contains("ANALYST MODE").any()


def test_protected_table_is_a_copy_and_input_untouched(tmp_path):
    t = grid([[1, 5], [6, 7]])
    before = t.copy()
    p = protect(t, count_col="n_firms", dims=["r", "c"])
    pd.testing.assert_frame_equal(t, before)
    leaked = p.table
    leaked.loc[0, "employment"] = 10.0
    assert pd.isna(p.table.loc[0, "employment"])
    out = pd.read_csv(to_csv(p, tmp_path / "t.csv"))
    assert out["suppressed"].all() and "reason" not in out.columns
    book = pd.read_excel(to_excel({"t": p}, tmp_path / "t.xlsx"), sheet_name=None)
    assert set(book) == {"README", "t"}
    assert book["README"]["note"].str.contains("fewer than 3").any()


def test_summary_counts_reasons():
    p = protect(grid([[1, 5], [6, 7]]), count_col="n_firms", dims=["r", "c"])
    s = p.summary().set_index("reason")["rows"]
    assert s["threshold"] == 1 and s["secondary"] == 3


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"count_col": "missing"}, DataValidationError),
        ({"count_col": "n_firms", "min_count": 0}, ParameterError),
        ({"count_col": "n_firms", "min_count": 2.5}, ParameterError),
        ({"count_col": "n_firms", "dominance": (0, 0.5)}, ParameterError),
        ({"count_col": "n_firms", "dominance": (1, 1.5)}, ParameterError),
        ({"count_col": "n_firms", "missing_count": "drop"}, ParameterError),
        ({"count_col": "n_firms", "contributors": "nope"}, DataValidationError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        protect(grid([[3, 4], [5, 6]]), **kwargs)


def test_bad_tables():
    bad = grid([[3, 4], [5, 6]])
    bad.loc[0, "n_firms"] = -1
    with pytest.raises(DataValidationError) as info:
        protect(bad, count_col="n_firms")
    assert info.value.problems.loc[0, "column"] == "n_firms"
    dup = pd.concat([grid([[3, 4], [5, 6]])] * 2, ignore_index=True)
    with pytest.raises(DataValidationError, match="problem"):
        protect(dup, count_col="n_firms", dims=["r", "c"])
    text = grid([[3, 4], [5, 6]]).astype({"n_firms": str})
    with pytest.raises(DataValidationError):
        protect(text, count_col="n_firms")
    with pytest.raises(DataValidationError):
        protect([1, 2], count_col="n_firms")


def test_missing_counts():
    t = pd.DataFrame({"indicator": ["a", "b"], "n_reporting": [np.nan, 7.0], "value": [1.0, 2]})
    p = protect(t, count_col="n_reporting", dims=["indicator"], margins=False)
    assert p.report["reason"].tolist() == ["threshold", ""]
    p = protect(
        t, count_col="n_reporting", dims=["indicator"], margins=False, missing_count="publish"
    )
    assert p.report["reason"].tolist() == ["", ""]


def test_aggregate_units_by_hand():
    t = pd.DataFrame(
        {"node": list("abcde"), "kind": ["firm"] * 3 + ["agency"] * 2, "degree": [1, 2, 6, 10, 20]}
    )
    agg = aggregate_units(t, by=["kind"], values=["degree"])
    # agency: mean(10, 20) = 15 from 2 units; firm: mean(1, 2, 6) = 3 from 3 units
    assert agg.to_dict("list") == {
        "kind": ["agency", "firm"],
        "n_firms": [2, 3],
        "degree": [15.0, 3.0],
    }
    whole = aggregate_units(t, by=[], values=["degree"], how="sum")
    assert whole.loc[0, "degree"] == 39 and whole.loc[0, "n_firms"] == 5


def test_consent_must_be_explicit():
    # only True / 1 / "yes" / "true" count as consent; "no", 0, missing and odd text do not
    t = pd.DataFrame(
        {
            "firm_name": [f"Firm {c}" for c in "ABCDEF"],
            "consent": [True, 1, "yes", "no", None, "maybe"],
            "n_firms": [5] * 6,
            "v": [1.0] * 6,
        }
    )
    p = protect(t, count_col="n_firms", dims=["firm_name"], margins=False)
    assert p.table["firm_name"].tolist() == ["Firm A", "Firm B", "Firm C"] + [WITHHELD] * 3


def test_html_numbers_are_readable():
    from clusterlab.publish.export import _number

    assert _number(9602.0, "{:,.3g}") == "9,602"  # not 9.6e+03
    assert _number(123456.7, "{:,.3g}") == "123,457"
    assert _number(0.37412, "{:,.3g}") == "0.374"
    assert _number(2.0, "{:,.3g}") == "2"


@pytest.mark.parametrize("seed", range(12))
def test_audit_engines_agree(seed):
    """The warm-started highspy audit gives the intervals of one linprog call per programme
    (random r x c tables with row/column totals, hidden cells and inequalities)."""
    from clusterlab.publish.audit import feasible_intervals

    rng = np.random.default_rng(seed)
    r, c = rng.integers(2, 7, size=2)
    x = rng.integers(0, 40, size=(r, c)).astype(float)
    n = r * c
    rows, b = [], []
    for i in range(r):
        a = np.zeros(n)
        a[i * c : (i + 1) * c] = 1
        rows.append(a)
        b.append(x[i].sum())
    for j in range(c):
        a = np.zeros(n)
        a[j::c] = 1
        rows.append(a)
        b.append(x[:, j].sum())
    hidden = rng.random(n) < 0.5
    for k in np.flatnonzero(~hidden):
        a = np.zeros(n)
        a[k] = 1
        rows.append(a)
        b.append(x.flat[k])
    ub = np.eye(n)[:2] if seed % 2 else None  # x0 <= 30, x1 <= 30 (an intruder's bound)
    kw = {
        "a_ub": ub,
        "b_ub": None if ub is None else np.full(2, 30.0 + x.flat[:2].max()),
        "n": n,
        "only": list(np.flatnonzero(hidden)),
        "lower": np.where(hidden & (x.ravel() >= 1), 1.0, 0.0) * (seed % 3 == 0),
    }
    fast = feasible_intervals(np.array(rows), np.array(b), engine="highspy", **kw)
    slow = feasible_intervals(np.array(rows), np.array(b), engine="linprog", **kw)
    for got, want in zip(fast, slow, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-6)
    lo, hi = fast
    truth = x.ravel()[hidden]
    assert (lo[hidden] <= truth + 1e-6).all() and (truth <= hi[hidden] + 1e-6).all()


def test_audit_engine_says_infeasible_as_nan():
    from clusterlab.publish.audit import feasible_intervals

    for engine in ("highspy", "linprog"):  # x0 + x1 = 10 and x0 + x1 = 12
        lo, hi = feasible_intervals(
            np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([10.0, 12.0]), n=2, engine=engine
        )
        assert np.isnan(lo).all() and np.isnan(hi).all()
