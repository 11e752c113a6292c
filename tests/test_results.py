import os

import pandas as pd
import pytest

from clusterlab import results
from clusterlab.errors import ClusterlabError, ParameterError


def test_save_load_round_trip(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    path = results.save(df, "t1", output_dir=tmp_path)
    assert path == tmp_path / "tables" / "t1.parquet"
    pd.testing.assert_frame_equal(results.load("t1", output_dir=tmp_path), df)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_env_var_and_index_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERLAB_OUTPUT_DIR", str(tmp_path))
    df = pd.DataFrame({"v": [1.0]}, index=pd.Index(["r1"], name="region"))
    results.save(df, "t2")
    assert results.load("t2").columns.tolist() == ["region", "v"]


def test_bad_name_and_type(tmp_path):
    with pytest.raises(ParameterError):
        results.save(pd.DataFrame(), "../evil", output_dir=tmp_path)
    with pytest.raises(ParameterError):
        results.save([1, 2], "x", output_dir=tmp_path)
    with pytest.raises(ClusterlabError):
        results.load("missing", output_dir=tmp_path)


def test_collect_latest_per_cluster(tmp_path):
    root = tmp_path / "outputs"
    results.save(pd.DataFrame({"v": [1]}), "lq", output_dir=root / "run1" / "north")
    results.save(pd.DataFrame({"v": [2]}), "lq", output_dir=root / "run1" / "south")
    later = results.save(pd.DataFrame({"v": [3]}), "lq", output_dir=root / "run2" / "north")
    os.utime(later, (later.stat().st_atime, later.stat().st_mtime + 10))
    results.save(
        pd.DataFrame({"cluster": ["maritime", "logistics"], "v": [4, 5]}),
        "lq2",
        output_dir=root / "run1" / "north",
    )
    got = results.collect("lq", root).sort_values("run_cluster")
    assert got[["run_id", "run_cluster", "v"]].values.tolist() == [
        ["run2", "north", 3],
        ["run1", "south", 2],
    ]
    # a table's own cluster column is kept; the run's cluster goes to run_cluster
    got = results.collect("lq2", root)
    assert got[["run_cluster", "cluster", "v"]].values.tolist() == [
        ["north", "maritime", 4],
        ["north", "logistics", 5],
    ]
    assert len(results.collect("lq", root, latest=False)) == 3
    assert results.collect("nothing", root).empty
    con = results.connect(root)
    assert con.execute("select count(*) from lq").fetchone()[0] == 3
