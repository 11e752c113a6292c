"""Notebook 01 pointed at real data: Census CBP state x NAICS with the CMP cluster definitions.

Uses ../shared/datasets (skipped when absent). The files are converted with clusterlab's own
readers (`mapping.read_cbp`, `mapping.cmp_definitions`) into a temporary folder, never into the
repository, and the notebook runs on them through papermill exactly as a user would.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlab import mapping

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cbp_files(shared_datasets, tmp_path_factory):
    shared = shared_datasets
    cbp = shared / "us-cbp-state-naics-2000-2011" / "cbp_state_naics_2000_2011.parquet"
    defs = shared / "us-cmp-cluster-definitions" / "cmp_cluster_naics_1997_2002_2007_2012.csv"
    if not (cbp.exists() and defs.exists()):
        pytest.skip("../shared/datasets (CBP, CMP definitions) not available")
    folder = tmp_path_factory.mktemp("cbp")
    emp = mapping.read_cbp(cbp)
    emp = emp[emp["year"].between(2008, 2011)]  # NAICS 2007 vintage
    emp.to_parquet(folder / "employment.parquet", index=False)
    definitions = mapping.cmp_definitions(pd.read_csv(defs, dtype={"naics": str}), vintage=2007)
    definitions.to_csv(folder / "definitions.csv", index=False)
    states = pd.DataFrame({"region": sorted(emp["region"].unique()), "region_type": "state"})
    states.to_csv(folder / "regions.csv", index=False)
    return folder, emp, definitions


def test_cbp_reader_keeps_detailed_industries_only(cbp_files):
    _, emp, _ = cbp_files
    assert emp["industry"].str.fullmatch(r"\d{6}").all()
    assert not emp.duplicated(["region", "industry", "year"]).any()
    assert set(emp["region_type"]) == {"state"} and emp["region"].nunique() == 51
    # PROVENANCE.md: 46.3 % of the 6-digit state cells of 2011 carry an EMPFLAG
    share = emp.loc[emp["year"] == 2011, "emp_flag"].notna().mean()
    assert share == pytest.approx(0.463, abs=0.0005)


def test_notebook_01_runs_on_cbp_and_cmp_definitions(cbp_files, tmp_path):
    import papermill  # a required dependency: missing it is a failure, not a skip

    folder, emp, definitions = cbp_files
    out = tmp_path / "out"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "01_cluster_mapping.ipynb"),
        str(tmp_path / "nb.ipynb"),
        parameters={
            "cluster": "california_biopharma",
            "output_dir": str(out),
            "employment_file": str(folder / "employment.parquet"),
            "definitions_file": str(folder / "definitions.csv"),
            "regions_file": str(folder / "regions.csv"),
            "mapping_region": "06",
            "mapping_cluster": "5",
        },
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
    )
    port = pd.read_parquet(out / "tables" / "cluster_portfolio.parquet")
    assert set(port["region"]) == {"06"} and port["year"].max() == 2011
    # an independent LQ for California's traded clusters in 2011 (midpoint-filled CBP, CMP
    # traded denominator), computed here with plain pandas
    filled = emp.copy()
    flagged = filled["emp_flag"].notna()
    filled.loc[flagged, "employment"] = filled.loc[flagged, "emp_flag"].map(mapping.CMP_MIDPOINTS)
    cells = filled[filled["year"] == 2011].merge(definitions, on="industry")
    traded = cells[cells["cluster_type"] == "traded"]
    ca = traded[traded["region"] == "06"].groupby("cluster")["employment"].sum()
    us = traded.groupby("cluster")["employment"].sum()
    lq = (ca / ca.sum()) / (us / us.sum())
    got = port[port["cluster_type"] == "traded"].set_index("cluster")["lq"]
    np.testing.assert_allclose(got.sort_index(), lq.loc[got.index].sort_index(), rtol=1e-9)


def test_read_cbp_names_the_file_row_of_a_bad_value(tmp_path):
    from clusterlab.errors import DataValidationError

    path = tmp_path / "cbp11st.txt"
    path.write_text("fipstate,naics,empflag,emp,est,ap\n01,336411,,12,3,90\n01,336412,,x,2,40\n")
    with pytest.raises(DataValidationError) as err:
        mapping.read_cbp(path)
    assert err.value.problems.loc[0, "row"] == 3  # header is row 1
    path.write_text("fipstate,naics,empflag,emp,est,ap\n01,336411,,12,3,90\n01,3364//,,12,3,90\n")
    out = mapping.read_cbp(path)  # year from the Census file name
    assert out[["region", "industry", "year", "employment"]].values.tolist() == [
        ["01", "336411", 2011, 12]
    ]
