"""Instrument files: built-in CIMBT / big five, user files of the same schema, bad files."""

import textwrap

import pandas as pd
import pytest

from clusterlab.errors import DataValidationError
from clusterlab.instruments import builtin_instruments, load_instrument, score


def test_builtin_cimbt_structure_matches_the_design_note():
    """3 areas, 9 components, 25 questions; counts per component as in instruments.md §1.3."""
    inst = load_instrument("cimbt")
    assert inst.name == "cimbt" and inst.kind == "rubric" and inst.scale == (1, 5)
    assert list(inst.areas["area"]) == ["A1", "A2", "A3"]
    assert list(inst.areas["name"]) == [
        "Insight & Strategy",
        "Key Stakeholder Buy-in & Participation",
        "Ability to Execute & Achieve Impact",
    ]
    counts = inst.components.set_index("component")["n_questions"].to_dict()
    assert counts == {
        "1.1": 3,
        "1.2": 3,
        "2.1": 3,
        "2.2": 3,
        "3.1": 3,
        "3.2": 3,
        "3.3": 3,
        "3.4": 2,
        "3.5": 2,
    }
    q = inst.questions
    assert list(q.columns[:6]) == ["item", "component", "area", "text", "scale_min", "scale_max"]
    assert q["item"].str.match(r"^Q\d\.\d\.[a-z]$").all() and q["item"].is_unique
    # every question has the five anchors
    assert all(sorted(g) == [1, 2, 3, 4, 5] for _, g in inst.anchors.groupby("item")["level"])
    assert inst.non_ratings == ["na", "dk", "missing"] and inst.not_applicable == ["na"]


def test_questions_are_presented_as_clusterlabs_operationalisation():
    for name in builtin_instruments():
        inst = load_instrument(name)
        assert "clusterlab" in inst.title.lower()
        assert "clusterlab" in inst.config["provenance"]
    assert "not the original" in load_instrument("cimbt").config["provenance"]


def test_builtin_bigfive_structure():
    inst = load_instrument("bigfive")
    assert load_instrument("big_five").name == "bigfive"
    assert inst.kind == "stages" and inst.scale == (1, 4)
    assert list(inst.questions["item"]) == [
        "idea",
        "driving_forces_commitment",
        "activities",
        "critical_mass",
        "organization",
    ]
    assert {"factor", "stage_1", "stage_4"} <= set(inst.questions.columns)
    assert inst.stage_labels == {1: "initial", 2: "emerging", 3: "developing", 4: "established"}
    assert inst.config["platform_rule"]["stage"] == 4
    assert inst.guiding_questions.groupby("component").size().eq(3).all()


def test_demo_generator_reads_the_same_ids():
    """The lead's demo builder takes its item ids from these files (contract in the brief)."""
    from clusterlab.datasets import _build_ratings as b

    assert [i for i, _ in b.cimbt_items()] == list(load_instrument("cimbt").questions["item"])
    assert b.bigfive_factors() == list(load_instrument("bigfive").questions["item"])


def test_bands_cover_the_scale():
    inst = load_instrument("cimbt")
    assert inst.band(1.0) == "nascent" and inst.band(5.0) == "leading"
    assert inst.band(3.4) == "established" and inst.band(3.39) == "developing"
    assert inst.band(float("nan")) is None


VALID = """\
schema: clusterlab-instrument/1
instrument: mini
version: "0.1"
kind: rubric
title: Mini rubric (clusterlab test)
scale: {min: 1, max: 5, non_ratings: [na, dk], not_applicable: [na]}
areas:
  - id: A
    name: Area A
    components:
      - id: "a1"
        weight: 2
        questions:
          - {id: q1, text: First question}
          - {id: q2, text: Second question, extended: true}
      - id: "a2"
        questions:
          - {id: q3, text: Third question}
  - id: B
    components:
      - id: "b1"
        questions:
          - {id: q4, text: Fourth question}
"""


def test_user_instrument_with_weights_and_extended_questions(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(VALID)
    inst = load_instrument(path)
    assert inst.name == "mini" and len(inst.questions) == 4
    assert inst.questions.set_index("item").loc["q2", "extended"]
    ratings = pd.DataFrame(
        {"initiative": "x", "rater": "r", "item": ["q1", "q2", "q3", "q4"], "score": [5, 3, 2, 1]}
    )
    res = score(ratings, inst, n_boot=0)
    # component a1 = 4, a2 = 2; area A = (2*4 + 1*2) / 3 (component weight 2); B = 1
    area = res.areas.set_index("area")["score"]
    assert area["A"] == pytest.approx(10 / 3)
    assert res.overall["score"].item() == pytest.approx((10 / 3 + 1) / 2)


def _problems(tmp_path, text) -> pd.DataFrame:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text))
    with pytest.raises(DataValidationError) as err:
        load_instrument(path)
    problems = err.value.problems
    assert (problems["file"] == str(path)).all()
    return problems


def test_bad_file_names_line_and_key(tmp_path):
    bad = VALID.replace('- id: "a2"', "- id: 1.5").replace(
        "{id: q4, text: Fourth question}", "{id: q1, text: ''}"
    )
    bad = bad.replace("kind: rubric", "kind: checklist")
    problems = _problems(tmp_path, bad)
    by_col = problems.set_index("column")
    assert by_col.loc["kind", "found"] == "checklist"
    # unquoted numeric component id, reported at its line with the key path
    row = by_col.loc["areas[0].components[1].id"]
    assert "quote" in row["expected"]
    assert row["row"] == VALID.splitlines().index('      - id: "a2"') + 1
    assert "areas[1].components[0].questions[0].id" in by_col.index  # duplicate id q1
    assert "areas[1].components[0].questions[0].text" in by_col.index


def test_bad_anchors_scale_and_thresholds(tmp_path):
    bad = VALID.replace(
        "{id: q3, text: Third question}",
        "{id: q3, text: Third, anchors: {1: a, 2: b, 3: c, 4: d, 7: e}}",
    )
    bad = bad.replace(
        "scale: {min: 1, max: 5, non_ratings: [na, dk], not_applicable: [na]}",
        "scale: {min: 1, max: 5, non_ratings: [na, dk], not_applicable: [nope]}\n"
        "aggregation: {min_coverage: {component: 1.5}, raters: mode}",
    )
    problems = _problems(tmp_path, bad)
    cols = set(problems["column"])
    assert "areas[0].components[1].questions[0].anchors.7" in cols
    assert "areas[0].components[1].questions[0].anchors" in cols  # not one per level 1..5
    assert {
        "scale.not_applicable",
        "aggregation.min_coverage.component",
        "aggregation.raters",
    } <= cols


def test_invalid_yaml_reports_line(tmp_path):
    problems = _problems(tmp_path, "instrument: x\nareas: [unclosed\nkind: rubric\n")
    assert problems.loc[0, "expected"] == "valid YAML" and problems.loc[0, "row"] >= 2


def test_missing_keys_and_unknown_name(tmp_path):
    problems = _problems(tmp_path, "instrument: x\n")
    assert {"version", "kind", "scale"} <= set(problems["column"])
    with pytest.raises(DataValidationError, match="not a built-in"):
        load_instrument("cimbt45")


def test_chart_axes_must_name_areas(tmp_path):
    bad = VALID + "chart_axes: {x: {label: X, areas: [A]}, y: {label: Y, areas: [Z]}}\n"
    problems = _problems(tmp_path, bad)
    assert problems.loc[0, "column"] == "chart_axes.y.areas" and problems.loc[0, "found"] == "Z"


def test_a_key_given_twice_or_latin1_text_is_a_clear_error(tmp_path):
    """One YAML reader for every file (clusterlab._yaml): PyYAML would keep the second
    ``scale`` silently, and latin-1 bytes were a UnicodeDecodeError traceback."""
    problems = _problems(tmp_path, "instrument: x\nscale: 5\nkind: rubric\nscale: 7\n")
    assert problems.loc[0, "row"] == 4
    assert "key 'scale' appears twice (first on line 2)" in problems.loc[0, "found"]
    path = tmp_path / "latin.yaml"
    path.write_bytes("instrument: Qualität\n".encode("latin-1"))
    with pytest.raises(DataValidationError, match="not UTF-8 text") as err:
        load_instrument(path)
    assert err.value.problems.loc[0, "row"] == 1


def test_actions_register_and_catalogue_read_with_the_same_rules(tmp_path):
    from clusterlab.scorecard import load_actions, load_catalogue

    twice = tmp_path / "actions.yaml"
    twice.write_text("actions: []\nactions: []\n")
    with pytest.raises(DataValidationError, match="appears twice"):
        load_actions(twice)
    with pytest.raises(DataValidationError, match="actions register not found"):
        load_actions(tmp_path / "missing.yaml")
    latin = tmp_path / "catalogue.yaml"
    latin.write_bytes("name: Qualität\n".encode("latin-1"))
    with pytest.raises(DataValidationError, match="not UTF-8 text"):
        load_catalogue(latin)
