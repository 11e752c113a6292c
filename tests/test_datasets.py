"""The synthetic demo world: deterministic, coherent, labelled, small."""

import pandas as pd
import pytest

from clusterlab.datasets import SYNTHETIC_LABEL, demo_names, demo_path, load_demo
from clusterlab.datasets.generate import TABLES, build_world
from clusterlab.errors import ParameterError


@pytest.fixture(scope="module")
def world():
    return build_world()


def test_committed_files_equal_the_generator_output(world):
    """datasets/*.csv are exactly what the seeded generator writes (nobody edited them by hand)."""
    for name, table in world.items():
        path = demo_path(name)
        assert path.exists(), f"{path} missing: run python -m clusterlab.datasets.generate"
        text = table.to_csv(index=False, lineterminator="\n")
        assert path.read_text() == text, f"{path} differs from the generator's output"


def test_same_seed_same_world_other_seed_other_world(world):
    again = build_world()
    other = build_world(seed=1)
    for name in world:
        pd.testing.assert_frame_equal(world[name], again[name])
    assert not world["employment"]["employment"].equals(other["employment"]["employment"])


def test_tables_are_coherent(world):
    firms, panel, nodes, edges = (world[k] for k in ("firms", "firm_panel", "nodes", "edges"))
    assert set(panel["firm"]) == set(firms["firm"])
    assert set(edges["source"]) | set(edges["target"]) <= set(nodes["node"])
    assert set(world["employment"]["industry"]) == set(world["definitions"]["industry"])
    districts = world["regions"].query("region_type == 'district'")
    assert set(world["employment"]["region"]) == set(districts["region"])
    assert set(districts["parent"]) <= set(world["regions"]["region"])
    # both groups exist in every initiative, before and after it starts
    counts = firms.groupby(["initiative", "member"]).size()
    assert (counts >= 10).all()
    assert panel.query("treated == 1")["member"].eq(1).all()


def test_suppressed_cells_follow_cbp_convention(world):
    emp = world["employment"]
    flagged = emp[emp["emp_flag"].notna()]
    assert 0.02 < len(flagged) / len(emp) < 0.2
    assert (flagged["employment"] == 0).all()
    assert set(flagged["emp_flag"]) <= set("ABCEFGHIJKLM")


def test_members_self_select(world):
    """Members are larger before the initiative: the selection the comparison methods must face."""
    panel = world["firm_panel"]
    before = panel[panel["period"] == panel["period"].min()]
    means = before.groupby("member")["employment"].mean()
    assert means[1] > means[0]


def test_load_demo_returns_copies_and_labels(world):
    a = load_demo("firms")
    a.loc[0, "firm_name"] = "changed"
    assert load_demo("firms").loc[0, "firm_name"] != "changed"
    assert load_demo("firms").attrs["source"] == SYNTHETIC_LABEL
    assert set(demo_names()) <= set(TABLES)
    with pytest.raises(ParameterError, match="available"):
        load_demo("nonsense")


def test_demo_data_is_small(project_root):
    total = sum(p.stat().st_size for p in (project_root / "datasets").iterdir())
    assert total < 5 * 1024 * 1024
    assert "SYNTHETIC" in (project_root / "datasets" / "README.md").read_text()
