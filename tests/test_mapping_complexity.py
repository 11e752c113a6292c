# ruff: noqa: N803, N806  (M for the presence matrix, as in the literature)
"""mapping.complexity and mapping.complexity_outlook against published values.

1. EconGeo 1.3 (R): the 12 complexity values of ``reference-checks/econgeo_v1_3_toy_outputs.csv``
   (``KCI``, ``TCI``, ``MORc(steps=2)`` on the Hidalgo-Hausmann 2009 Fig. S4 network; EconGeo's
   own output, 8 significant digits; skipped when ``../shared`` is absent). Tolerance 1e-6
   relative.
2. Stata ``ecomplexity`` (Harvard Growth Lab), as stored in the MIT-licensed ``py-ecomplexity``
   repository, ``tests/fixtures/stata_manual_mcp.csv`` (commit 554cc5d): the 1995 slice of its
   10 country × 30 HS-92 product presence matrix (``manual_mcp_sample.csv``) and the ECI, PCI,
   COI, density and COG that Stata printed for it (16 significant digits). The presence matrix
   and the expected numbers are typed in below (bit strings in the fixture's product order).
   Tolerance: 1e-6 relative (the fixture README asks 1e-5 for ECI/PCI, 1e-4 for COI/COG).
3. ecomplexity/econcomplex ECI on the Hidalgo-Hausmann 4 × 4 (``docs/cluster-mapping.md`` §7.9).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.mapping import complexity, complexity_outlook, relatedness, relatedness_density

SETTINGS = settings(max_examples=30, deadline=None)

HH = pd.DataFrame(
    {"P1": [1, 0, 0, 0], "P2": [1, 1, 0, 0], "P3": [1, 0, 1, 0], "P4": [1, 0, 1, 1]},
    index=["C1", "C2", "C3", "C4"],
)

# ------------------------------------------------------------------ Stata ecomplexity fixture
PRODUCTS = [
    "1704",
    "1806",
    "1905",
    "2007",
    "2105",
    "3208",
    "3402",
    "3917",
    "3922",
    "4008",
    "4010",
    "4905",
    "5602",
    "6804",
    "6810",
    "7010",
    "7307",
    "7308",
    "7309",
    "7310",
    "7325",
    "7604",
    "7608",
    "7612",
    "7616",
    "8309",
    "8431",
    "8474",
    "8530",
    "9403",
]
MCP_1995 = {
    "aut": "000100011000110111001101101010",
    "blx": "111111100110001101011110000000",
    "che": "110101011011010010000111101010",
    "deu": "000001110110110110010001011110",
    "dnk": "101110000001101000000011000101",
    "esp": "100110100110110100111011110000",
    "gbr": "111101111011100011101001011110",
    "ita": "000000001000001110100000110101",
    "pol": "100010000000001001101000000001",
    "svn": "000001001110011000101110111001",
}
STATA_ECI = {
    "aut": 1.073207217992253,
    "blx": -0.3159764634559932,
    "che": 1.06773721349865,
    "deu": 1.200861157616729,
    "dnk": -0.9777046345252988,
    "esp": 0.0180390442936879,
    "gbr": 0.5359206138129307,
    "ita": -0.421184002398617,
    "pol": -2.170709342895322,
    "svn": -0.0101908039390183,
}
STATA_COI = {
    "aut": -0.9940121728867501,
    "blx": 1.073851078082253,
    "che": -1.489194423334662,
    "deu": -1.382249032555092,
    "dnk": 1.155769407885882,
    "esp": 0.4207036089900156,
    "gbr": -0.8461268439107059,
    "ita": 0.6531998940796336,
    "pol": 0.8628190011104738,
    "svn": 0.5452394825389525,
}
STATA_PCI = [
    -1.470491886427003,
    0.9898334389413032,
    -1.28829614655021,
    0.3359789984244054,
    -3.323137535581785,
    1.211838680172189,
    0.7575610835667231,
    2.794806326517154,
    1.056227717927282,
    0.3013836399410316,
    0.9458555639215322,
    0.2528276298920076,
    0.7921553064524651,
    1.794091102846822,
    -3.047699996853477,
    0.5947683743763661,
    1.865519843983964,
    -1.177374641095858,
    -1.81300391183786,
    0.5613061109624367,
    -0.928657059139727,
    1.071585041866113,
    -0.590077081819932,
    1.180674892441301,
    0.7101505141850155,
    0.4400665963872156,
    2.140168306589086,
    -0.1620847904245116,
    2.794806326517154,
    -3.434600369331548,
]
#: (country, product) -> (density, cog) from the same fixture rows
STATA_CELLS = {
    ("aut", "1704"): (0.4624999999999999, -0.6248181469470029),
    ("aut", "9403"): (0.3894967177242888, -0.6309372503165401),
    ("blx", "3917"): (0.442838370565046, 0.5761814670034898),
    ("pol", "8431"): (0.1425233644859813, 0.8333457049302115),
    ("dnk", "1806"): (0.3712948517940717, 0.3979034087182804),
    ("ita", "9403"): (0.4595185995623632, 0.0),
    ("gbr", "2105"): (0.6066433566433567, -0.3786828532788832),
}


def _stata_matrix() -> pd.DataFrame:
    M = pd.DataFrame(
        [[int(b) for b in bits] for bits in MCP_1995.values()],
        index=list(MCP_1995),
        columns=PRODUCTS,
    )
    assert M.sum(axis=1).tolist() == [14, 16, 16, 15, 11, 16, 20, 9, 7, 14]  # fixture diversity
    return M


#: Stata standardises with the sd over the N = 10 x 30 rows of the long panel, divisor N - 1;
#: we (and py-ecomplexity) use the population sd over the 10 regions: a constant factor.
STATA_SD = np.sqrt(300 / 299)


def test_eci_pci_reproduce_stata_ecomplexity():
    res = complexity(_stata_matrix(), presence="positive")
    eci = res.regions.set_index("region")["eci"]
    np.testing.assert_allclose(eci[list(STATA_ECI)] / STATA_SD, list(STATA_ECI.values()), rtol=1e-6)
    pci = res.categories.set_index("cluster")["pci"]
    np.testing.assert_allclose(pci[PRODUCTS] / STATA_SD, STATA_PCI, rtol=1e-6)
    assert res.categories.set_index("cluster").loc["1704", "ubiquity"] == 6


def test_outlook_reproduces_stata_ecomplexity():
    out = complexity_outlook(_stata_matrix(), presence="positive")
    coi = out.regions.set_index("region")["opportunity_value"]
    np.testing.assert_allclose(coi[list(STATA_COI)] / STATA_SD, list(STATA_COI.values()), rtol=1e-6)
    cells = out.options.set_index(["region", "cluster"])
    for (c, p), (density, cog) in STATA_CELLS.items():
        assert cells.loc[(c, p), "density"] == pytest.approx(density, rel=1e-9, abs=1e-12)
        assert cells.loc[(c, p), "opportunity_gain"] / STATA_SD == pytest.approx(
            cog, rel=1e-6, abs=1e-12
        )


def test_hidalgo_hausmann_eci_as_ecomplexity():
    """ecomplexity (presence_test='manual') and econcomplex: -0.0754, -1.6029, 0.7478, 0.9305
    (docs/cluster-mapping.md §7.9, 4 dp)."""
    eci = complexity(HH, presence="positive").regions["eci"]
    np.testing.assert_allclose(eci, [-0.0754, -1.6029, 0.7478, 0.9305], atol=5e-5)


# ---------------------------------------------------------------------------- EconGeo 1.3


@pytest.fixture(scope="module")
def econgeo(shared_datasets):
    path = shared_datasets / "reference-checks" / "econgeo_v1_3_toy_outputs.csv"
    if not path.is_file():
        pytest.skip("../shared/datasets/reference-checks not available")
    out = pd.read_csv(path)
    return out[out["fn"].isin(["KCI", "TCI", "MORc(steps=2)"])]


def test_econgeo_complexity_values(econgeo):
    assert len(econgeo) == 12
    kci = complexity(HH, presence="positive", normalise="econgeo")
    morc = complexity(HH, presence="positive", normalise="econgeo", method="reflections", steps=2)
    ours = {
        "KCI": kci.regions.set_index("region")["eci"],
        "TCI": kci.categories.set_index("cluster")["pci"],
        "MORc(steps=2)": morc.regions.set_index("region")["eci"],
    }
    for row in econgeo.itertuples(index=False):
        assert ours[row.fn][row.row] == pytest.approx(row.value, rel=1e-6), (row.fn, row.row)


def test_econgeo_kci_is_ecomplexity_eci_with_opposite_sign():
    """docs/cluster-mapping.md §5: the same eigenvector, Pearson r = -1 (up to EconGeo's
    rounding of the matrix to 4 dp)."""
    a = complexity(HH, presence="positive").regions["eci"]
    b = complexity(HH, presence="positive", normalise="econgeo").regions["eci"]
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(-1.0, abs=1e-5)


# ---------------------------------------------------------------------------- behaviour


def test_long_table_with_rca_and_years_equals_wide_per_year():
    rng = np.random.default_rng(7)
    X = pd.DataFrame(
        rng.integers(0, 50, (6, 5)),
        index=[f"R{i}" for i in range(6)],
        columns=[f"I{j}" for j in range(5)],
    )
    long = X.stack().rename("employment").rename_axis(["region", "cluster"]).reset_index()
    both = pd.concat([long.assign(year=2020), long.assign(year=2021)])
    res = complexity(both)
    wide = complexity(X)
    for year in (2020, 2021):
        got = res.regions[res.regions["year"] == year]["eci"].to_numpy()
        np.testing.assert_allclose(got, wide.regions["eci"], equal_nan=True)
    assert list(res.summary()["year"]) == [2020, 2021]


def test_outlook_with_relatedness_table_uses_relatedness_density():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(
        rng.integers(0, 40, (8, 6)),
        index=[f"R{i}" for i in range(8)],
        columns=[f"I{j}" for j in range(6)],
    )
    rel = relatedness(X, method="cosine")
    out = complexity_outlook(X, rel)
    rd = relatedness_density(X, rel).set_index(["region", "cluster"])["relatedness_density"]
    got = out.options.set_index(["region", "cluster"])["density"]
    np.testing.assert_allclose(got[rd.index], rd / 100, equal_nan=True)
    top = out.summary(2)
    assert (top["present"] == 0).all() and top.groupby("region").size().max() <= 2


def test_undefined_complexity_warns_not_raises():
    """Every region has every category: no second eigenvector with information."""
    same = pd.DataFrame(np.ones((3, 3)), index=list("abc"), columns=list("xyz"))
    with pytest.warns(DataWarning, match="undefined"):
        res = complexity(same, presence="positive")
    assert res.regions["eci"].isna().all()
    one = pd.DataFrame({"x": [5.0], "y": [3.0]}, index=["only"])
    with pytest.warns(DataWarning):
        assert complexity(one).regions["eci"].isna().all()


def test_empty_category_left_out():
    M = HH.assign(P5=0)
    res = complexity(M, presence="positive")
    cats = res.categories.set_index("cluster")
    assert np.isnan(cats.loc["P5", "pci"]) and cats.loc["P5", "ubiquity"] == 0
    np.testing.assert_allclose(res.regions["eci"], [-0.0754, -1.6029, 0.7478, 0.9305], atol=5e-5)


@st.composite
def presence(draw):
    n, k = draw(st.integers(3, 7)), draw(st.integers(3, 7))
    M = draw(arrays(np.int8, (n, k), elements=st.integers(0, 1)))
    for r in range(n):
        M[r, r % k] = 1
    return pd.DataFrame(M, index=[f"r{i}" for i in range(n)], columns=[f"c{j}" for j in range(k)])


@SETTINGS
@given(presence(), st.randoms(use_true_random=False))
def test_eci_invariants(M, rnd):
    """Relabelling/reordering regions and categories does not change anyone's complexity; a
    z-scored ECI has mean 0 and sd 1; ECI correlates non-negatively with diversity."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        res = complexity(M, presence="positive")
        rows, cols = list(M.index), list(M.columns)
        rnd.shuffle(rows)
        rnd.shuffle(cols)
        again = complexity(M.loc[rows, cols], presence="positive")
    eci = res.regions.set_index("region")["eci"]
    if eci.notna().all():
        np.testing.assert_allclose(eci.mean(), 0, atol=1e-9)
        np.testing.assert_allclose(eci.std(ddof=0), 1, rtol=1e-9)
        assert (
            np.corrcoef(eci, res.regions["diversity"])[0, 1] >= -1e-9
            or res.regions["diversity"].nunique() == 1
        )
        np.testing.assert_allclose(
            again.regions.set_index("region")["eci"][eci.index], eci, atol=1e-7
        )


# ------------------------------------------------------------------------------ bad input


def test_bad_input():
    with pytest.raises(ParameterError):
        complexity(HH, method="fitness")
    with pytest.raises(ParameterError):
        complexity(HH, normalise="minmax")
    with pytest.raises(ParameterError):
        complexity(HH, method="reflections", steps=0)
    with pytest.raises(ParameterError):
        complexity(HH, rca_threshold=-1)
    with pytest.raises(ParameterError):
        complexity(HH, presence="binary")
    with pytest.raises(DataValidationError):
        complexity(HH.assign(P1=[1, -1, 0, 0]))
    with pytest.raises(DataValidationError):
        complexity(pd.DataFrame({"region": ["a"], "cluster": ["x"]}), by=())
    with pytest.raises(DataValidationError):
        complexity_outlook(HH, pd.DataFrame({"source": ["P1"], "target": ["P2"]}))


def test_same_named_functions_survive_submodule_imports():
    """``import clusterlab.mapping.complexity`` (pytest --doctest-modules, a sibling module)
    used to rebind ``mapping.complexity`` to the module; a fresh interpreter checks it stays
    the function whatever is imported first."""
    import subprocess
    import sys

    code = (
        "import clusterlab.mapping.relatedness, clusterlab.mapping.complexity, "
        "clusterlab.mapping.performance, clusterlab.mapping.shift_share\n"
        "from clusterlab import mapping\n"
        "from clusterlab.mapping import ranks\n"
        "import clusterlab.mapping.ranks\n"
        "assert all(callable(f) for f in (mapping.relatedness, mapping.complexity, "
        "mapping.performance, mapping.shift_share, mapping.ranks, ranks))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
