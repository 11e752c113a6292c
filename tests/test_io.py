"""clusterlab.io: every kind of bad input gives a DataValidationError naming file, row, column."""

from pathlib import Path

import pandas as pd
import pytest

from clusterlab import io
from clusterlab.errors import DataValidationError, ParameterError


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _problems(path, schema=None, **kw) -> pd.DataFrame:
    with pytest.raises(DataValidationError) as err:
        io.read(path, schema, **kw)
    problems = err.value.problems
    assert list(problems.columns[:5]) == ["file", "row", "column", "expected", "found"]
    assert (problems["file"] == str(path)).all()
    return problems


def test_valid_file_is_typed_and_keeps_leading_zeros(tmp_path):
    path = _csv(
        tmp_path,
        "employment.csv",
        "region,industry,year,employment,emp_flag,extra\nR1,010100,2020,5,,1.5\n"
        "R2,010100,2020,0,B,2\n",
    )
    df = io.read(path)
    assert df["industry"].tolist() == ["010100", "010100"]
    assert df["employment"].dtype == float
    assert df["extra"].tolist() == [1.5, 2.0]
    assert df.attrs["source"] == str(path)


def test_missing_column(tmp_path):
    path = _csv(tmp_path, "emp.csv", "region,industry,year\nR1,01,2020\n")
    problems = _problems(path, "employment")
    assert problems[["column", "expected"]].values.tolist() == [["employment", "column present"]]


def test_wrong_type_reports_the_cell(tmp_path):
    path = _csv(
        tmp_path,
        "emp.csv",
        "region,industry,year,employment\nR1,01,2020,5\nR1,02,2020,many\nR1,03,20x0,3\n",
    )
    problems = _problems(path, "employment")
    got = problems[["row", "column", "expected", "found"]].values.tolist()
    assert [3, "employment", "a number", "many"] in got
    assert [4, "year", "a whole number", "20x0"] in got


def test_negative_employment(tmp_path):
    path = _csv(tmp_path, "emp.csv", "region,industry,year,employment\nR1,01,2020,-4\n")
    problems = _problems(path, "employment")
    assert problems[["row", "column", "expected"]].values.tolist() == [[2, "employment", ">= 0"]]


def test_duplicated_keys(tmp_path):
    path = _csv(
        tmp_path,
        "emp.csv",
        "region,industry,year,employment\nR1,01,2020,4\nR2,01,2020,4\nR1,01,2020,6\n",
    )
    problems = _problems(path, "employment")
    assert problems["row"].tolist() == [2, 4]
    assert (problems["column"] == "region,industry,year").all()
    assert "region=R1" in problems.loc[0, "found"]


def test_scores_outside_scale(tmp_path):
    path = _csv(
        tmp_path,
        "ratings.csv",
        "initiative,instrument,item,rater,score\nA,cimbt,Q1.1.a,r1,6\n"
        "A,bigfive,idea,r1,5\nA,cimbt,Q1.1.b,r1,4\n",
    )
    problems = _problems(path)
    assert problems["row"].tolist() == [2, 3]
    assert set(problems["column"]) == {"score"}


def test_unknown_codes_against_reference_table(tmp_path):
    path = _csv(
        tmp_path,
        "emp.csv",
        "region,industry,year,employment\nR1,01,2020,4\nR7,01,2020,4\nR1,99,2020,1\n",
    )
    problems = _problems(path, "employment", references={"region": ["R1"], "industry": ["01"]})
    assert problems[["row", "column", "found"]].values.tolist() == [
        [3, "region", "R7"],
        [4, "industry", "99"],
    ]


def test_all_problems_reported_at_once(tmp_path):
    path = _csv(
        tmp_path,
        "emp.csv",
        "region,industry,year,employment,emp_flag\nR1,01,2020,-1,Q\nR1,02,1800,x,\n",
    )
    problems = _problems(path, "employment")
    assert len(problems) == 4


def test_parquet_and_excel(tmp_path):
    df = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1.0, 2.5]})
    df.to_parquet(tmp_path / "edges.parquet")
    df.to_excel(tmp_path / "edges.xlsx", index=False)
    for name in ("edges.parquet", "edges.xlsx"):
        out = io.read(tmp_path / name)
        assert out["weight"].tolist() == [1.0, 2.5]
    bad = pd.DataFrame({"node": ["a", "a"], "kind": ["firm", "firm"]})
    bad.to_excel(tmp_path / "nodes.xlsx", index=False)
    assert _problems(tmp_path / "nodes.xlsx")["row"].tolist() == [2, 3]


def test_missing_file_and_unknown_type(tmp_path):
    problems = io.validate_file(tmp_path / "nope.csv", "edges")
    assert problems.loc[0, "expected"] == "an existing file"
    (tmp_path / "edges.json").write_text("{}")
    assert "unsupported" not in io.validate_file(tmp_path / "edges.json").loc[0, "found"]
    assert ".json" in io.validate_file(tmp_path / "edges.json").loc[0, "found"]


def test_unknown_schema(tmp_path):
    path = _csv(tmp_path, "whatever.csv", "a\n1\n")
    with pytest.raises(ParameterError, match="employment"):
        io.read(path)
    with pytest.raises(ParameterError, match="unknown schema"):
        io.read(path, "nonsense")


def test_load_input_demo_and_file(tmp_path):
    demo = io.load_input("edges")
    assert {"source", "target", "tie_type"} <= set(demo.columns)
    path = _csv(tmp_path, "edges.csv", "source,target\na,b\n")
    assert len(io.load_input("edges", str(path))) == 1
    assert len(io.load_input("edges", "")) == len(demo)


def test_every_demo_table_meets_its_schema():
    from clusterlab.datasets import demo_names
    from clusterlab.schemas import SCHEMAS

    for name in demo_names():
        if name in SCHEMAS:
            io.load_input(name)


def test_duplicate_indicator_submissions_reach_the_scorecard():
    # the scorecard, not the schema, decides which of two submissions counts (latest wins)
    df = pd.DataFrame(
        {
            "indicator": ["export_share"] * 2,
            "entity": ["F1", "F1"],
            "period": ["2020", "2020"],
            "value": [10.0, 12.0],
            "submitted": ["2020-03-01", "2020-04-01"],
        }
    )
    out = io.validate_frame(df, "indicators")
    assert len(out) == 2
