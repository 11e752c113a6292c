"""company_benchmark (anonymous peer position) and the actions register."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.publish import protect
from clusterlab.scorecard import (
    ACTION_EFFECT_CAVEAT,
    action_effects,
    company_benchmark,
    load_actions,
    percentile_rank,
)
from clusterlab.scorecard.benchmark import BENCHMARK_COLUMNS


@pytest.fixture
def peers():
    # company "me" = 4; peers 2, 3, 3, 5, 1 in 2021; in 2020 only two peers report
    return pd.DataFrame(
        {
            "indicator": (
                ["satisfaction_score"] * 6 + ["vacancy_fill_time"] * 6 + ["satisfaction_score"] * 3
            ),
            "entity": ["me", "p1", "p2", "p3", "p4", "p5"] * 2 + ["me", "p1", "p2"],
            "period": ["2021"] * 12 + ["2020"] * 3,
            "value": [4.0, 2.0, 3.0, 3.0, 5.0, 1.0] * 2 + [3.0, 1.0, 5.0],
            "employment": [10.0] * 15,
        }
    )


def test_benchmark_by_hand(peers):
    b = company_benchmark(peers, "me", catalogue="balanced_scorecard")
    t = b.set_index(["indicator", "period"])
    r = t.loc[("satisfaction_score", "2021")]
    # peers sorted 1, 2, 3, 3, 5: linear quartiles at positions 1, 2, 3 -> 2, 3, 3
    assert (r["peer_q1"], r["peer_median"], r["peer_q3"]) == (2.0, 3.0, 3.0)
    # 4 beats 1, 2, 3, 3 of five peers -> 80 %; the same as scipy's "mean" percentile
    assert r["percentile_rank"] == 80.0 == stats.percentileofscore([2, 3, 3, 5, 1], 4, kind="mean")
    assert (r["value"], r["n_peers"], r["position"]) == (4.0, 5, "top quartile")
    # vacancy_fill_time: lower is better, 4 weeks beats only the peer with 5 -> 20 %
    assert t.loc[("vacancy_fill_time", "2021"), "percentile_rank"] == 20.0
    assert t.loc[("vacancy_fill_time", "2021"), "position"] == "bottom quartile"


def test_benchmark_withholds_small_peer_groups_and_identities(peers):
    b = company_benchmark(peers, "me", catalogue="balanced_scorecard")
    small = b.set_index(["indicator", "period"]).loc[("satisfaction_score", "2020")]
    assert small["suppressed"] and small["n_peers"] == 2
    assert np.isnan(small["peer_median"]) and np.isnan(small["percentile_rank"])
    assert small["value"] == 3.0  # own value is always shown
    # threshold comes from clusterlab.publish (one place for the rule)
    default = inspect.signature(protect).parameters["min_count"].default
    assert b["min_peers"].tolist() == [default] * len(b)
    text = b.astype(str).to_numpy().ravel().tolist()
    assert not any(p in text for p in ["p1", "p2", "p3", "p4", "p5"])
    strict = company_benchmark(peers, "me", catalogue="balanced_scorecard", min_peers=6)
    assert strict["suppressed"].all() and set(strict["min_peers"]) == {6}
    only = company_benchmark(peers, "me", catalogue="balanced_scorecard", period=2021)
    assert set(only["period"]) == {"2021"}


def test_benchmark_names_the_company_and_threshold_in_columns(peers):
    # issue #19: company and min_peers were only in attrs, which pandas drops when tables
    # with different attrs are concatenated
    b = company_benchmark(peers, "me", catalogue="balanced_scorecard", min_peers=4)
    assert b.columns.tolist() == BENCHMARK_COLUMNS
    assert b["company"].tolist() == ["me"] * len(b) and b["min_peers"].tolist() == [4] * len(b)
    two = pd.concat([b, company_benchmark(peers, "p1", catalogue="balanced_scorecard")])
    assert two.attrs == {}  # pandas dropped the differing attrs; the columns say it
    default = inspect.signature(protect).parameters["min_count"].default
    assert two.groupby("company")["min_peers"].first().to_dict() == {"me": 4, "p1": default}
    # the deprecated attrs, kept for one release
    assert (b.attrs["company"], b.attrs["min_peers"]) == ("me", 4)


def test_benchmark_bad_input(peers):
    with pytest.raises(ParameterError, match="did you mean"):
        company_benchmark(peers, "m", catalogue="balanced_scorecard")
    with pytest.raises(ParameterError):
        company_benchmark(peers, "me", catalogue="balanced_scorecard", min_peers=0)
    with pytest.raises(DataValidationError):
        company_benchmark(peers.assign(indicator="x"), "me", catalogue="balanced_scorecard")
    assert np.isnan(percentile_rank(np.nan, [1.0]))


REGISTER = {
    "actions": [
        {
            "action": "A1",
            "initiative": "ci",
            "kind": "joint",
            "title": "Pool",
            "lead": "Office",
            "partners": ["College"],
            "start": "2019",
            "deadline": "2021",
            "status": "ongoing",
            "indicators": ["vacancy_fill_time", "members"],
            "tasks": [
                {"task": "t1", "owner": "Office", "deadline": "2019", "status": "done"},
                {"task": "t2", "owner": "College", "deadline": "2020", "status": "open"},
                {"task": "t3", "owner": "College", "deadline": "2022", "status": "open"},
            ],
        },
        {
            "action": "A2",
            "kind": "improvement",
            "lead": "Office",
            "start": "2020-Q3",
            "status": "planned",
            "indicators": "members",
        },
    ]
}


def test_register_summary_by_hand():
    reg = load_actions(REGISTER)
    s = reg.summary(as_of="2021").set_index("action")
    # t2 was due 2020 and is still open -> overdue in 2021; t3 is due 2022
    assert s.loc["A1", ["n_tasks", "n_done", "n_open", "n_overdue"]].tolist() == [3, 1, 2, 1]
    assert s.loc["A1", "n_organisations"] == 2
    assert s.loc["A1", "indicators"] == "vacancy_fill_time, members"
    assert s.loc["A2", "n_tasks"] == 0
    assert reg.for_initiative("other").actions["action"].tolist() == ["A2"]
    demo = load_actions()
    assert demo.actions["action"].is_unique and set(demo.actions["kind"]) == {
        "improvement",
        "joint",
    }


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"partners": []}, "at least two organisations"),
        ({"indicators": ["no_such_indicator"]}, "indicator id"),
        ({"indicators": []}, "at least one indicator"),
        ({"deadline": "2018"}, "not before the start"),
        ({"status": "finished"}, "planned"),
        ({"kind": "solo"}, "improvement | joint"),
        ({"start": "spring"}, "a period label"),
    ],
)
def test_register_bad_input(change, expected):
    doc = {"actions": [dict(REGISTER["actions"][0], **change)]}
    with pytest.raises(DataValidationError) as exc:
        load_actions(doc)
    assert exc.value.problems["expected"].str.contains(expected, regex=False).any()


def test_register_from_frames_and_files(tmp_path):
    actions = pd.DataFrame(
        {
            "action": ["A1", "A1"],
            "kind": "improvement",
            "lead": "Office",
            "start": "2019",
            "status": "done",
            "indicators": "members",
        }
    )
    with pytest.raises(DataValidationError, match="problem"):
        load_actions(actions)  # duplicate id
    tasks = pd.DataFrame(
        {"action": ["Z9"], "task": ["x"], "owner": ["o"], "deadline": ["2020"], "status": ["done"]}
    )
    with pytest.raises(DataValidationError, match="unknown actions"):
        load_actions(actions.head(1), tasks=tasks)
    ok = load_actions(actions.head(1), tasks=tasks.assign(action="A1"))
    assert len(ok.tasks) == 1
    with pytest.raises(DataValidationError):
        load_actions(tmp_path / "none.yaml")
    with pytest.raises(ParameterError):
        load_actions(42)


def test_action_effects_by_hand():
    agg = pd.DataFrame(
        {
            "initiative": "ci",
            "indicator": ["vacancy_fill_time"] * 5 + ["members"] * 5,
            "period": ["2016", "2017", "2018", "2019", "2020"] * 2,
            "value": [12.0, 10.0, 9.0, 8.0, 7.0, 10.0, 11.0, 12.0, np.nan, 12.0],
        }
    )
    e = action_effects(agg, load_actions(REGISTER), catalogue="balanced_scorecard")
    a1 = e.loc[e["action"] == "A1"].set_index("indicator")
    # vacancy: before 2017-2018 mean (10 + 9)/2 = 9.5; after 2019-2020 (8 + 7)/2 = 7.5
    v = a1.loc["vacancy_fill_time"]
    assert (v["mean_before"], v["mean_after"], v["change"]) == (9.5, 7.5, -2.0)
    assert v["movement"] == "towards target direction"  # fewer weeks is better
    assert v["periods_before"] == "2017, 2018"
    # members: 2019 missing, so after = 2020 only (12); before (11 + 12)/2 = 11.5
    m = a1.loc["members"]
    assert (m["n_after"], m["mean_after"], m["change"]) == (1, 12.0, 0.5)
    # A2 starts 2020-Q3: annual 2020 starts before it, so nothing is "after" -> no verdict
    a2 = e.loc[e["action"] == "A2"].iloc[0]
    assert a2["movement"] == "insufficient data" and a2["n_after"] == 0
    # issue #19: the caveat is a column, so it stays with the numbers in copies and files
    assert e["caveat"].tolist() == [ACTION_EFFECT_CAVEAT] * len(e)
    assert "not the action's effect" in ACTION_EFFECT_CAVEAT
    assert e.attrs["caveat"] == ACTION_EFFECT_CAVEAT  # deprecated copy, kept for one release
    w1 = action_effects(agg, load_actions(REGISTER), catalogue="balanced_scorecard", window=1)
    assert (
        w1.set_index(["action", "indicator"]).loc[("A1", "vacancy_fill_time"), "change"] == -1.0
    )  # 8 - 9
    with pytest.raises(ParameterError):
        action_effects(agg, REGISTER, catalogue="balanced_scorecard", window=0)


def test_register_unknown_fields_are_reported():
    doc = {"actions": [dict(REGISTER["actions"][1], budget=1000)]}
    with pytest.raises(DataValidationError) as exc:
        load_actions(doc)
    assert exc.value.problems.loc[0, "column"] == "budget"
    task = dict(REGISTER["actions"][0]["tasks"][0], hours=3)
    doc = {"actions": [dict(REGISTER["actions"][0], tasks=[task])]}
    with pytest.raises(DataValidationError) as exc:
        load_actions(doc)
    assert exc.value.problems.loc[0, "column"] == "tasks.hours"


def test_action_effects_bad_aggregated_table():
    agg = pd.DataFrame(
        {
            "indicator": "members",
            "period": ["2017", "2018", "2019", "2020"],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    reg = load_actions({"actions": [REGISTER["actions"][1]]})  # A2: no initiative
    with pytest.raises(DataValidationError) as exc:
        action_effects(
            agg.assign(value=[1.0, 2.0, np.inf, 4.0]), reg, catalogue="balanced_scorecard"
        )
    assert exc.value.problems[["row", "column"]].values.tolist() == [[3, "value"]]
    with pytest.raises(DataValidationError):  # 2017 twice
        action_effects(pd.concat([agg, agg.head(1)]), reg, catalogue="balanced_scorecard")
    two = pd.concat([agg.assign(initiative="ci"), agg.assign(initiative="other")])
    with pytest.raises(ParameterError, match="names no initiative"):
        action_effects(two, reg, catalogue="balanced_scorecard")
    # one initiative in the table: A2 starts 2020-Q3, so annual 2019 and 2020 come before it
    one = action_effects(two.query("initiative == 'ci'"), reg, catalogue="balanced_scorecard")
    assert one["periods_before"].iloc[0] == "2019, 2020" and one["n_after"].iloc[0] == 0


# --- branches of load_actions covered before it was split up (issue #19) ---


@pytest.mark.parametrize(
    "change, column, expected",
    [
        ({"action": None}, "action", "an action id"),
        ({"lead": None, "partners": ["College", "Yard"]}, "lead", "the organisation"),
        ({"start": None}, "start", "a period label"),
        ({"deadline": "someday"}, "deadline", "a period label"),
        ({"tasks": [{"owner": "x", "deadline": "2019", "status": "done"}]}, "tasks", "'task' text"),
        (
            {"tasks": [{"task": "t", "deadline": "2019", "status": "done"}]},
            "tasks.owner",
            "an owner",
        ),
        (
            {"tasks": [{"task": "t", "owner": "o", "deadline": "2019", "status": "late"}]},
            "tasks.status",
            "open | in_progress",
        ),
        (
            {"tasks": [{"task": "t", "owner": "o", "deadline": "soon", "status": "open"}]},
            "tasks.deadline",
            "a period label",
        ),
    ],
)
def test_register_problems_name_file_row_column_and_expected(change, column, expected):
    doc = {"actions": [REGISTER["actions"][1], dict(REGISTER["actions"][0], **change)]}
    with pytest.raises(DataValidationError) as exc:
        load_actions(doc)
    p = exc.value.problems
    assert p[["file", "row", "column"]].values.tolist() == [["actions", 2, column]]
    assert expected in p.loc[0, "expected"]


def test_register_shapes_that_are_not_registers(tmp_path):
    with pytest.raises(DataValidationError) as exc:
        load_actions({"items": []})
    assert exc.value.problems.loc[0, "expected"] == "a list of actions"
    with pytest.raises(DataValidationError) as exc:
        load_actions({"actions": ["just text"]})
    assert exc.value.problems[["row", "expected"]].values.tolist() == [[1, "a mapping"]]
    # several problems are all reported, each at its own position
    doc = {
        "actions": [
            dict(REGISTER["actions"][0], kind="solo"),
            dict(REGISTER["actions"][1], status="x"),
        ]
    }
    with pytest.raises(DataValidationError, match="2 problem") as exc:
        load_actions(doc)
    assert exc.value.problems[["row", "column"]].values.tolist() == [[1, "kind"], [2, "status"]]
    # a duplicate id names the later position
    with pytest.raises(DataValidationError) as exc:
        load_actions({"actions": [REGISTER["actions"][1], REGISTER["actions"][1]]})
    assert exc.value.problems[["row", "found"]].values.tolist() == [[2, "duplicate A2"]]


def test_register_from_a_yaml_file_names_the_file(tmp_path):
    import yaml

    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(REGISTER))
    reg = load_actions(path)
    assert reg.actions["action"].tolist() == ["A1", "A2"]
    # periods are normalised labels; a missing deadline stays empty; partners are joined
    a = reg.actions.set_index("action")
    assert a.loc["A2", "start"] == "2020-Q3" and pd.isna(a.loc["A2", "deadline"])
    assert a.loc["A1", "partners"] == "College" and pd.isna(a.loc["A2", "initiative"])
    assert reg.links.values.tolist() == [
        ["A1", "vacancy_fill_time"],
        ["A1", "members"],
        ["A2", "members"],
    ]
    bad = dict(REGISTER["actions"][1], kind="solo")
    path.write_text(yaml.safe_dump({"actions": [bad]}))
    with pytest.raises(DataValidationError) as exc:
        load_actions(path)
    assert exc.value.problems.loc[0, "file"] == str(path)


def test_register_links_to_a_custom_catalogue_and_partners_as_text():
    cat = pd.DataFrame(
        {"indicator": ["own_kpi"], "perspective": "p", "source": "company", "direction": "higher"}
    )
    doc = {
        "actions": [
            dict(REGISTER["actions"][0], indicators="own_kpi, members", partners="College; Yard")
        ]
    }
    with pytest.raises(DataValidationError, match="problem"):
        load_actions(doc)
    reg = load_actions(doc, catalogue=cat)
    assert reg.links["indicator"].tolist() == ["own_kpi", "members"]
    assert reg.actions.loc[0, ["partners", "n_organisations"]].tolist() == ["College; Yard", 3]
