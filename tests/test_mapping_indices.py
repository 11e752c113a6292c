# ruff: noqa: N806  (EconGeo convention: A, B, H name the help-page matrices)
"""clusterlab.mapping indices, relatedness and shift-share against published numbers.

EconGeo: every row of ``reference-checks/econgeo_v1_3_toy_outputs.csv`` (EconGeo 1.3's own output
on its help-page matrices, produced by sourcing the R functions; see that folder's PROVENANCE.md)
for each function we implement. Values carry 8 significant digits; where EconGeo rounds its
result (entropy 3 dp, Hoover index whole points, relatedness density 2 dp) we round ours the
same way before comparing. Skipped cleanly when ``../shared/datasets`` is absent.

Shift-share: the worked example "Shift & Share Table with Excel Explanations" (W. Krumme,
Geography 350, University of Washington, http://faculty.washington.edu/krumme/350/ssexcel.html).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.errors import DataWarning
from clusterlab.mapping import (
    concentration,
    relatedness,
    relatedness_density,
    shift_share,
    specialisation,
)
from clusterlab.mapping._matrix import lq_matrix

# ----------------------------------------------------------------------------- EconGeo data

#: EconGeo functions in the reference file that this module does not check here:
#: economic complexity (KCI/TCI/MORc) is checked in test_mapping_complexity.py.
NOT_IMPLEMENTED = {"KCI", "TCI", "MORc(steps=2)"}


@pytest.fixture(scope="module")
def econgeo(shared_datasets):
    path = shared_datasets / "reference-checks"
    if not (path / "econgeo_v1_3_toy_outputs.csv").is_file():
        pytest.skip("../shared/datasets/reference-checks not available")
    inputs = pd.read_csv(path / "econgeo_toy_inputs.csv")
    outputs = pd.read_csv(path / "econgeo_v1_3_toy_outputs.csv")
    return inputs, outputs


def _matrix(inputs: pd.DataFrame, name: str, cols: list[str]) -> pd.DataFrame:
    m = inputs[inputs["matrix"] == name].set_index("row")[cols].astype(float)
    m.index.name = None
    return m


def _ours(inputs: pd.DataFrame) -> dict[str, dict[tuple, float]]:
    """Our value for every (fn, row, col) of the reference file, keyed like the file."""
    A = _matrix(inputs, "A", ["I1", "I2", "I3", "I4", "I5"])
    B = _matrix(inputs, "B", ["I1", "I2", "I3", "I4"])
    H = _matrix(inputs, "HH2009", ["I1", "I2", "I3", "I4"])
    H.columns = ["P1", "P2", "P3", "P4"]
    pop = pd.Series(
        _matrix(inputs, "pop", ["I1", "I2", "I3", "I4", "I5"]).iloc[0].to_numpy(), index=B.index
    )
    ind = pd.DataFrame(
        {"ind": _matrix(inputs, "ind", ["I1", "I2", "I3", "I4", "I5"]).iloc[0].to_numpy()},
        index=B.index,
    )
    out: dict[str, dict[tuple, float]] = {}

    lq = lq_matrix(A.to_numpy())
    out["location.quotient"] = {
        (r, c): lq[i, j] for i, r in enumerate(A.index) for j, c in enumerate(A.columns)
    }
    out["location.quotient(binary=TRUE)"] = {
        k: float(v >= 1) for k, v in out["location.quotient"].items()
    }

    spec = specialisation(A).set_index("region")
    for fn, col, digits in [
        ("Herfindahl", "herfindahl", None),
        ("Krugman.index", "krugman", None),
        ("spec.coeff", "spec_coeff", None),
        ("location.quotient.avg", "average_lq", None),
        ("Hachman", "hachman", None),
        ("entropy", "entropy", 3),
        ("diversity(RCA=TRUE)", "diversity", None),
    ]:
        vals = spec[col] if digits is None else spec[col].round(digits)
        out[fn] = {(r, None): float(v) for r, v in vals.items()}

    conc = concentration(A).set_index("cluster")
    out["ubiquity(RCA=TRUE)"] = {(c, None): float(v) for c, v in conc["ubiquity"].items()}
    out["locational.Gini"] = {(None, c): v for c, v in conc["locational_gini"].items()}

    one = concentration(ind, population=pop).iloc[0]
    out["Hoover.index(ind,pop)"] = {(None, None): round(one["hoover_index"])}
    out["Gini(ind)"] = {(None, None): one["gini"]}

    with pytest.warns(DataWarning, match="I1"):  # all-zero column: NA in EconGeo
        cb = concentration(B, population=pop).set_index("cluster")
    out["Hoover.index(B,pop)"] = {(None, c): v for c, v in cb["hoover_index"].round().items()}
    out["Hoover.Gini(B,pop)"] = {(None, c): v for c, v in cb["hoover_gini"].items()}
    with pytest.warns(DataWarning, match="I1"):
        cbin = concentration((B > 0).astype(int)).set_index("cluster")
    out["Gini(B>0)"] = {(None, c): v for c, v in cbin["gini"].items()}

    for method, fn in [
        ("prob", "relatedness(method=prob)"),
        ("association", "relatedness(method=association)"),
        ("cosine", "relatedness(method=cosine)"),
        ("jaccard", "relatedness(method=jaccard)"),
    ]:
        rel = relatedness(H, method=method, presence="positive")
        # EconGeo matrices: [row, col]; the diagonal is 0 by definition (not in our long output)
        out[fn] = {
            (t, s): v
            for s, t, v in rel[["source", "target", "relatedness"]].itertuples(index=False)
        } | {(p, p): 0.0 for p in H.columns}
        if method == "prob":
            out["co.occurrence(t(H))"] = {
                (t, s): float(v)
                for s, t, v in rel[["source", "target", "co_occurrence"]].itertuples(index=False)
            } | {(p, p): 0.0 for p in H.columns}
    rd = relatedness_density(H, method="cosine", presence="positive")
    out["relatedness.density(H, cosine)"] = {
        (r, c): round(v, 2)
        for r, c, v in rd[["region", "cluster", "relatedness_density"]].itertuples(index=False)
    }
    return out


def _key(row) -> tuple:
    r = None if pd.isna(row["row"]) else row["row"]
    c = None if pd.isna(row["col"]) else row["col"]
    return r, c


def test_reference_functions_covered(econgeo):
    _, outputs = econgeo
    fns = set(outputs["fn"])
    assert fns >= NOT_IMPLEMENTED
    implemented = fns - NOT_IMPLEMENTED
    inputs = econgeo[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        assert set(_ours(inputs)) == implemented


@pytest.fixture(scope="module")
def ours(econgeo):
    return _ours(econgeo[0])


def _fns():
    return [
        "location.quotient",
        "location.quotient(binary=TRUE)",
        "Herfindahl",
        "Krugman.index",
        "spec.coeff",
        "location.quotient.avg",
        "Hachman",
        "entropy",
        "diversity(RCA=TRUE)",
        "ubiquity(RCA=TRUE)",
        "locational.Gini",
        "Hoover.index(ind,pop)",
        "Gini(ind)",
        "Hoover.index(B,pop)",
        "Hoover.Gini(B,pop)",
        "Gini(B>0)",
        "co.occurrence(t(H))",
        "relatedness(method=prob)",
        "relatedness(method=association)",
        "relatedness(method=cosine)",
        "relatedness(method=jaccard)",
        "relatedness.density(H, cosine)",
    ]


@pytest.mark.parametrize("fn", _fns())
def test_econgeo_every_row(econgeo, ours, fn):
    """Each reference row of ``fn`` is reproduced (8 significant digits; NA ↔ NaN)."""
    _, outputs = econgeo
    ref = outputs[outputs["fn"] == fn]
    assert len(ref) > 0
    mine = ours[fn]
    assert len(mine) == len(ref), f"{fn}: {len(mine)} values vs {len(ref)} reference rows"
    for _, row in ref.iterrows():
        got = mine[_key(row)]
        if pd.isna(row["value"]):
            assert np.isnan(got), (fn, _key(row), got)
        else:
            assert got == pytest.approx(row["value"], rel=1e-7, abs=1e-12), (fn, _key(row))


def test_econgeo_rows_matched_total(econgeo, ours):
    """All 205 reference values of the implemented functions (217 minus complexity's 12)."""
    _, outputs = econgeo
    ref = outputs[~outputs["fn"].isin(NOT_IMPLEMENTED)]
    assert len(ref) == 205
    assert sum(len(ours[fn]) for fn in _fns()) == 205


def test_econgeo_documented_examples():
    """The values quoted in docs/cluster-mapping.md §7 (no shared data needed)."""
    A = pd.DataFrame(
        [
            [100, 0, 0, 0, 0],
            [0, 15, 5, 70, 10],
            [0, 20, 10, 20, 50],
            [0, 25, 30, 5, 40],
            [0, 40, 55, 5, 0],
        ],
        index=[f"R{i}" for i in range(1, 6)],
        columns=[f"I{i}" for i in range(1, 6)],
    )
    s = specialisation(A).set_index("region")
    assert s.loc["R2", "herfindahl"] == pytest.approx(0.525)
    assert s.loc["R2", "herfindahl_normalised"] == pytest.approx(0.40625)  # econcomplex hhi
    assert s.loc["R1", "krugman"] == pytest.approx(1.6)
    assert s.loc["R4", "spec_coeff"] == pytest.approx(0.35)
    assert round(s.loc["R3", "entropy"], 3) == pytest.approx(1.761)
    assert s.loc["R2", "average_lq"] == pytest.approx(2.625)
    assert s.loc["R3", "hachman"] == pytest.approx(0.5882, abs=5e-5)
    assert s["diversity"].tolist() == [1, 1, 3, 3, 2]
    c = concentration(A).set_index("cluster")
    assert c["ubiquity"].tolist() == [1, 3, 2, 2, 2]
    assert c.loc["I1", "locational_gini"] == pytest.approx(0.40)
    assert c.loc["I4", "locational_gini"] == pytest.approx(0.31)


# ----------------------------------------------------------------------------- shift-share


def _holukuluku():
    """Krumme's worked example: region 'Holukuluku', four industries, 1985 → 1995.

    Regional employment 1985/1995: I 500/1000, II 100/100, III 200/250, IV 200/280. National
    structure 1985: 10/20/40/30 %, national growth 10/20/30/40 % (total 29 %); the national
    levels below are any totals with that structure (10,000 jobs in 1985).
    """
    reg = pd.DataFrame(
        {
            "region": "Holukuluku",
            "industry": ["I", "II", "III", "IV"] * 2,
            "year": [1985] * 4 + [1995] * 4,
            "employment": [500, 100, 200, 200, 1000, 100, 250, 280],
        }
    )
    nat0 = np.array([1000, 2000, 4000, 3000.0])
    nat = pd.DataFrame(
        {
            "industry": ["I", "II", "III", "IV"] * 2,
            "year": [1985] * 4 + [1995] * 4,
            "employment": np.concatenate([nat0, nat0 * [1.1, 1.2, 1.3, 1.4]]),
        }
    )
    return reg, nat


def test_shift_share_krumme_worked_example():
    """Published table: national growth effect 290, composition (industry mix) effect −80
    (I −95, II −9, III +2, IV +22), differential (competitive) effect +420 (I +450, II −20,
    III −10, IV 0), regional change 630 (the page's text export drops the minus signs; they
    follow from its column definitions col.10 − col.8 and col.7 − col.10)."""
    reg, nat = _holukuluku()
    ss = shift_share(reg, start=1985, end=1995, category="industry", benchmark=nat)
    ss = ss.set_index("industry")
    assert ss["national_share"].tolist() == pytest.approx([145, 29, 58, 58])
    assert ss["industry_mix"].tolist() == pytest.approx([-95, -9, 2, 22])
    assert ss["competitive"].tolist() == pytest.approx([450, -20, -10, 0], abs=1e-9)
    assert ss["change"].sum() == pytest.approx(630)
    assert ss["national_share"].sum() == pytest.approx(290)
    assert ss["industry_mix"].sum() == pytest.approx(-80)
    assert ss["competitive"].sum() == pytest.approx(420)
    assert ss["national_growth"].iloc[0] == pytest.approx(0.29)
    assert ss["industry_growth"].tolist() == pytest.approx([0.1, 0.2, 0.3, 0.4])
    assert ss["regional_growth"].tolist() == pytest.approx([1.0, 0.0, 0.25, 0.4])


def test_shift_share_benchmark_equals_regions_when_regions_are_the_nation():
    """Without a benchmark the nation is the sum of the regions: passing that sum explicitly
    gives the same table."""
    reg, _ = _holukuluku()
    other = reg.assign(region="Rest", employment=reg["employment"] * [3, 1, 2, 5, 2, 2, 2, 4])
    emp = pd.concat([reg, other], ignore_index=True)
    nat = emp.groupby(["industry", "year"], as_index=False)["employment"].sum()
    a = shift_share(emp, start=1985, end=1995, category="industry")
    b = shift_share(emp, start=1985, end=1995, category="industry", benchmark=nat)
    pd.testing.assert_frame_equal(a, b)
    # with the nation = sum of regions, industry mix and competitive effects cancel nationally
    per_ind = a.groupby("industry")[["competitive"]].sum()
    assert np.allclose(per_ind["competitive"], 0, atol=1e-9)
