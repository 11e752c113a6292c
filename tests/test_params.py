from pathlib import Path

import pytest
import yaml

from clusterlab.params import (
    ParameterError,
    load_parameters,
    load_spec,
    validate_parameter_file,
    write_template,
)

ROOT = Path(__file__).resolve().parents[1]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_shipped_parameter_files_are_valid():
    files = [p for p in (ROOT / "parameters").glob("*.yaml") if p.name != "defaults.yaml"]
    assert len(files) >= 3
    for path in files:
        params = load_parameters(path)
        assert params["cluster"] == path.stem
        assert validate_parameter_file(path).empty


def test_unknown_key_suggests_closest(tmp_path):
    path = _write(tmp_path, "north.yaml", "cluster: north\nclustr_name: North\n")
    with pytest.raises(ParameterError) as err:
        load_parameters(path)
    problems = err.value.problems
    assert problems.loc[0, "column"] == "clustr_name"
    assert "did you mean 'cluster_name'" in problems.loc[0, "found"]
    assert str(path) in str(err.value)


def test_wrong_type_names_file_key_and_expected(tmp_path):
    path = _write(tmp_path, "north.yaml", "cluster: north\nseed: abc\n")
    with pytest.raises(ParameterError) as err:
        load_parameters(path)
    row = err.value.problems.iloc[0]
    assert (row["file"], row["column"], row["expected"]) == (str(path), "seed", "a whole number")


def test_out_of_range_value(tmp_path):
    path = _write(tmp_path, "north.yaml", "cluster: north\nseed: -1\n")
    with pytest.raises(ParameterError, match="seed: expected >= 0"):
        load_parameters(path)


def test_bool_is_not_an_int(tmp_path):
    path = _write(tmp_path, "north.yaml", "cluster: north\nseed: true\n")
    with pytest.raises(ParameterError):
        load_parameters(path)


def test_defaults_are_merged_and_cluster_file_wins(tmp_path):
    _write(tmp_path, "defaults.yaml", "seed: 5\ncluster_name: Default\n")
    path = _write(tmp_path, "north.yaml", "cluster_name: North\n")
    params = load_parameters(path)
    assert params == {"seed": 5, "cluster_name": "North", "cluster": "north"}


def test_bad_defaults_file_is_reported_as_such(tmp_path):
    defaults = _write(tmp_path, "defaults.yaml", "sed: 5\n")
    path = _write(tmp_path, "north.yaml", "cluster: north\n")
    with pytest.raises(ParameterError, match=str(defaults)):
        load_parameters(path)


def test_invalid_yaml_gives_line(tmp_path):
    path = _write(tmp_path, "north.yaml", "cluster: north\nseed: [1, 2\n")
    with pytest.raises(ParameterError, match="line"):
        load_parameters(path)


def test_relative_data_paths_resolve_against_the_parameter_file(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "employment.csv").write_text("region,industry,year,employment\n")
    path = _write(tmp_path, "north.yaml", "cluster: north\nemployment_file: data/employment.csv\n")
    params = load_parameters(path)
    assert params["employment_file"] == str((tmp_path / "data" / "employment.csv").resolve())


def test_validate_parameter_file_includes_data_file_problems(tmp_path):
    (tmp_path / "employment.csv").write_text(
        "region,industry,year,employment\nR1,0101,2020,5\nR1,0101,2020,-2\n"
    )
    path = _write(tmp_path, "north.yaml", "cluster: north\nemployment_file: employment.csv\n")
    problems = validate_parameter_file(path)
    assert set(problems["column"]) == {"employment", "region,industry,year"}
    assert set(problems["row"].dropna().astype(int)) == {2, 3}


def test_validate_parameter_file_checks_codes_against_reference_tables(tmp_path):
    (tmp_path / "regions.csv").write_text("region,region_type,parent\nR1,county,\n")
    (tmp_path / "employment.csv").write_text(
        "region,industry,year,employment\nR1,0101,2020,5\nR9,0101,2020,2\n"
    )
    path = _write(
        tmp_path,
        "north.yaml",
        "cluster: north\nregions_file: regions.csv\nemployment_file: employment.csv\n",
    )
    problems = validate_parameter_file(path)
    assert problems[["row", "column", "found"]].values.tolist() == [[3, "region", "R9"]]


def test_template_round_trips(tmp_path):
    path = write_template("harbour_city", tmp_path)
    text = path.read_text()
    assert "cluster: harbour_city" in text
    assert load_parameters(path)["cluster"] == "harbour_city"
    # every declared key is documented in the template
    for key in load_spec():
        assert key in text
    with pytest.raises(ParameterError, match="exists"):
        write_template("harbour_city", tmp_path)


def test_every_spec_entry_is_complete():
    for key, entry in load_spec().items():
        assert entry.get("help"), f"{key} has no help text"
        if "default" in entry and entry["default"] is not None:
            from clusterlab.params import _type_ok

            assert _type_ok(entry["default"], entry), f"default of {key} has the wrong type"


def test_spec_files_are_plain_yaml():
    for path in (ROOT / "clusterlab" / "paramspec").glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text()), dict)


# ------------------------------------------------- renamed keys (RENAMED_KEYS, one release)
def test_renamed_key_is_read_with_a_warning_and_converted(tmp_path):
    """instrument_ci_level: 0.9 (a confidence level) is instrument_alpha: 0.1."""
    from clusterlab.errors import ClusterlabFutureWarning

    path = _write(tmp_path, "north.yaml", "cluster: north\ninstrument_ci_level: 0.9\n")
    with pytest.warns(ClusterlabFutureWarning, match="use 'instrument_alpha'"):
        params = load_parameters(path)
    assert params["instrument_alpha"] == 0.1 and "instrument_ci_level" not in params
    with pytest.warns(ClusterlabFutureWarning):
        assert validate_parameter_file(path).empty


def test_new_key_loads_without_a_warning(tmp_path):
    import warnings

    path = _write(tmp_path, "north.yaml", "cluster: north\ninstrument_alpha: 0.1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_parameters(path)["instrument_alpha"] == 0.1


def test_old_key_in_cluster_file_overrides_new_key_in_defaults(tmp_path):
    from clusterlab.errors import ClusterlabFutureWarning

    _write(tmp_path, "defaults.yaml", "instrument_alpha: 0.05\n")
    path = _write(tmp_path, "north.yaml", "cluster: north\ninstrument_ci_level: 0.8\n")
    with pytest.warns(ClusterlabFutureWarning):
        assert load_parameters(path)["instrument_alpha"] == pytest.approx(0.2)


def test_old_and_new_key_together_is_an_error(tmp_path):
    path = _write(
        tmp_path, "north.yaml", "cluster: north\ninstrument_ci_level: 0.9\ninstrument_alpha: 0.1\n"
    )
    with pytest.raises(ParameterError) as err:
        load_parameters(path)
    row = err.value.problems.iloc[0]
    assert row["column"] == "instrument_ci_level" and row["row"] == 2
    assert "both" in row["found"]


def test_bad_value_of_an_old_key_is_reported_under_the_old_key(tmp_path):
    path = _write(tmp_path, "north.yaml", "cluster: north\ninstrument_ci_level: high\n")
    with pytest.raises(ParameterError) as err, pytest.warns(FutureWarning):
        load_parameters(path)
    row = err.value.problems.iloc[0]
    assert (row["column"], row["row"]) == ("instrument_ci_level", 2)
    assert "instrument_alpha" in row["expected"]


def test_every_renamed_key_points_at_a_declared_key():
    from clusterlab.params import RENAMED_KEYS

    spec = load_spec()
    for old, (new, _) in RENAMED_KEYS.items():
        assert new in spec and old not in spec
