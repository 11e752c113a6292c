import pandas as pd
import pytest

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import ClusterlabError, DataValidationError, ParameterError


def test_check_frame_lists_every_problem():
    df = pd.DataFrame({"region": ["a", "a", None], "emp": [1, -2, 3], "txt": ["x", "y", "z"]})
    with pytest.raises(DataValidationError) as err:
        check_frame(
            df,
            required=["region", "emp", "year"],
            numeric=["txt"],
            nonnegative=["emp"],
            no_missing=["region"],
            unique=["region"],
            name="emp table",
        )
    p = err.value.problems
    assert set(p["column"]) == {"year", "txt", "emp", "region"}
    assert p.loc[p["column"] == "emp", "row"].tolist() == [1]  # 0-based position
    assert "available: region, emp, txt" in p.loc[p["column"] == "year", "found"].iloc[0]
    assert isinstance(err.value, ClusterlabError) and isinstance(err.value, ValueError)


def test_check_frame_rejects_non_frames_and_passes_valid_input():
    with pytest.raises(DataValidationError, match="expected a pandas DataFrame"):
        check_frame([1, 2])
    df = pd.DataFrame({"a": [1]})
    assert check_frame(df, required=["a"], numeric=["a"]) is df


def test_check_choice():
    with pytest.raises(ParameterError, match="'mean', 'median'"):
        check_choice("mode", ["mean", "median"], argument="method")


def test_error_str_shows_problem_table():
    err = DataValidationError(
        "bad",
        pd.DataFrame(
            {
                "file": ["f.csv"],
                "row": [3],
                "column": ["x"],
                "expected": ["a number"],
                "found": ["abc"],
            }
        ),
    )
    assert "f.csv" in str(err) and "abc" in str(err)
