"""The actions register: improvement actions (run by the cluster governance) and joint actions
(several organisations), each with tasks, owners, deadlines and status, each linked to the
indicators it aims to move — and a descriptive before/after look at those indicators.

Register file (YAML)::

    actions:
      - action: NM-1                     # unique id
        initiative: northport_maritime   # optional; matched against the scorecard's groups
        kind: joint                      # improvement | joint
        title: Shared apprenticeship pool
        lead: Northport Maritime Cluster office
        partners: [Harbour Technical College, two member shipyards]
        start: "2018"                    # a period label (YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM)
        deadline: "2020"
        status: done                     # planned | ongoing | done | cancelled
        indicators: [training_days, vacancy_fill_time]
        tasks:
          - {task: Agree cost sharing, owner: Cluster office, deadline: "2018-06", status: done}

Examples
--------
>>> from clusterlab.scorecard import load_actions
>>> reg = load_actions()                       # the synthetic demo register
>>> sorted(reg.actions["kind"].unique())
['improvement', 'joint']
>>> reg.links.columns.tolist()
['action', 'indicator']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from clusterlab._validation import check_frame, problem_frame
from clusterlab._yaml import read_yaml
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.scorecard.catalogue import builtin_catalogues, load_catalogue
from clusterlab.scorecard.periods import parse_period, period_keys
from clusterlab.scorecard.values import as_by

__all__ = [
    "ActionRegister",
    "load_actions",
    "action_effects",
    "ACTION_KINDS",
    "ACTION_STATUSES",
    "TASK_STATUSES",
    "ACTION_EFFECT_CAVEAT",
    "ACTION_FIELDS",
    "TASK_FIELDS",
]

ACTION_KINDS = ("improvement", "joint")
ACTION_STATUSES = ("planned", "ongoing", "done", "cancelled")
TASK_STATUSES = ("open", "in_progress", "done", "cancelled")
#: The caveat that goes with every before/after comparison.
ACTION_EFFECT_CAVEAT = (
    "Descriptive only: the before/after difference of an indicator around an action's start "
    "is not the action's effect. Other actions, the business cycle, changes in which companies "
    "report and regression to the mean move indicators too; there is no comparison group. "
    "Use clusterlab.compare (difference-in-differences, matching) for causal questions."
)
#: Fields of an action in the register (anything else is reported, not ignored).
ACTION_FIELDS = [
    "action",
    "initiative",
    "kind",
    "title",
    "lead",
    "partners",
    "start",
    "deadline",
    "status",
    "indicators",
    "tasks",
]
#: Fields of a task (``action`` when the tasks come as a separate table).
TASK_FIELDS = ["action", "task", "owner", "deadline", "status"]

_ACTION_COLUMNS = [
    "action",
    "initiative",
    "kind",
    "title",
    "lead",
    "partners",
    "n_organisations",
    "start",
    "deadline",
    "status",
]


@dataclass(frozen=True)
class ActionRegister:
    """A validated actions register.

    Parameters
    ----------
    actions : pandas.DataFrame
        ``action, initiative, kind, title, lead, partners ("; "-joined), n_organisations,
        start, deadline, status``.
    tasks : pandas.DataFrame
        ``action, task, owner, deadline, status``.
    links : pandas.DataFrame
        ``action, indicator`` — the indicators each action aims to move.

    Examples
    --------
    >>> reg = load_actions()                       # the synthetic demo register
    >>> isinstance(reg, ActionRegister), reg.links.columns.tolist()
    (True, ['action', 'indicator'])
    """

    actions: pd.DataFrame
    tasks: pd.DataFrame
    links: pd.DataFrame

    def for_initiative(self, initiative: str) -> ActionRegister:
        """The actions of one initiative (and those without an initiative)."""
        keep = self.actions["initiative"].isna() | (self.actions["initiative"] == initiative)
        ids = set(self.actions.loc[keep, "action"])
        return ActionRegister(
            self.actions.loc[keep].reset_index(drop=True),
            self.tasks.loc[self.tasks["action"].isin(ids)].reset_index(drop=True),
            self.links.loc[self.links["action"].isin(ids)].reset_index(drop=True),
        )

    def summary(self, as_of=None) -> pd.DataFrame:
        """One row per action: tasks done/open/overdue (deadline before ``as_of``, not done or
        cancelled) and the linked indicators.

        Examples
        --------
        >>> s = load_actions().summary(as_of="2021")
        >>> {"n_tasks", "n_overdue", "indicators"} <= set(s.columns)
        True
        """
        t = self.tasks.copy()
        t["_open"] = ~t["status"].isin(["done", "cancelled"])
        if as_of is not None and len(t):
            key = parse_period(as_of).key
            t["_overdue"] = t["_open"] & (
                period_keys(t["deadline"], name="tasks")["period_key"].to_numpy() < key
            )
        else:
            t["_overdue"] = False
        agg = t.groupby("action").agg(
            n_tasks=("task", "size"),
            n_done=("status", lambda s: int((s == "done").sum())),
            n_open=("_open", "sum"),
            n_overdue=("_overdue", "sum"),
        )
        links = self.links.groupby("action")["indicator"].agg(", ".join).rename("indicators")
        out = self.actions.merge(agg, left_on="action", right_index=True, how="left").merge(
            links, left_on="action", right_index=True, how="left"
        )
        for col in ("n_tasks", "n_done", "n_open", "n_overdue"):
            out[col] = out[col].fillna(0).astype(int)
        return out.reset_index(drop=True)


def _known_indicators(catalogue) -> set[str]:
    known: set[str] = set()
    for name in builtin_catalogues():
        known |= set(load_catalogue(name).ids)
    if catalogue is not None:
        known |= set(load_catalogue(catalogue).ids)
    return known


def _as_list(v) -> list[str]:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    if isinstance(v, str):
        return [p.strip() for p in v.replace(",", ";").split(";") if p.strip()]
    if isinstance(v, Iterable):
        return [str(p).strip() for p in v if str(p).strip()]
    return [str(v)]


def load_actions(
    source=None, *, tasks: pd.DataFrame | None = None, catalogue=None
) -> ActionRegister:
    """Load and validate an actions register.

    Parameters
    ----------
    source : path, dict, pandas.DataFrame or None
        A YAML file (see the module docstring), its parsed mapping, or an actions table
        (columns as :attr:`ActionRegister.actions` with ``indicators`` and ``partners`` as
        ``;``-separated text). None: the synthetic demo register.
    tasks : pandas.DataFrame, optional
        Tasks table (``action, task, owner, deadline, status``) when ``source`` is a table.
    catalogue : optional
        A catalogue whose indicator ids (with those of the built-in catalogues) actions may
        link to.

    Returns
    -------
    ActionRegister
        The validated ``actions``, ``tasks`` and ``links`` tables.

    Raises
    ------
    DataValidationError
        Duplicate or missing ids, an unknown kind or status, a joint action with fewer than
        two organisations, an action linked to no or to unknown indicators, unreadable
        periods, a deadline before the start, tasks for unknown actions.

    Examples
    --------
    >>> reg = load_actions({"actions": [{"action": "A", "kind": "improvement", "lead": "CI",
    ...     "start": "2018", "status": "done", "indicators": ["members"]}]})
    >>> reg.actions[["action", "kind", "n_organisations"]].values.tolist()
    [['A', 'improvement', 1]]
    """
    doc, file = _read_register(source, tasks)
    problems = _Problems(file)
    known = _known_indicators(catalogue)
    arows, trows, lrows = [], [], []
    seen: set[str] = set()
    for pos, a in enumerate(doc["actions"], start=1):
        action = _check_action(a, pos, seen, known, problems)
        if action is None:
            continue
        arows.append(action)
        aid = action["action"]
        lrows += [{"action": aid, "indicator": i} for i in _as_list(a.get("indicators"))]
        trows += _check_tasks(a.get("tasks") or [], pos, aid, problems)
    problems.raise_any()
    actions = pd.DataFrame(arows, columns=_ACTION_COLUMNS)
    tasks_df = pd.DataFrame(trows, columns=["action", "task", "owner", "deadline", "status"])
    links = pd.DataFrame(lrows, columns=["action", "indicator"]).drop_duplicates()
    return ActionRegister(actions, tasks_df, links.reset_index(drop=True))


def _missing(v) -> bool:
    """None, NaN or blank text."""
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and v.strip() == "")
    )


class _Problems:
    """The problems found in one register, each with file, row (the action's position),
    column, expected and found."""

    def __init__(self, file: str):
        self.file = file
        self.rows: list[dict] = []

    def add(self, row, column, expected, found) -> None:
        self.rows.append(
            {
                "file": self.file,
                "row": row,
                "column": column,
                "expected": expected,
                "found": str(found),
            }
        )

    def raise_any(self) -> None:
        if self.rows:
            raise DataValidationError(
                f"{self.file}: {len(self.rows)} problem(s) in the actions register",
                problem_frame(self.rows),
            )


def _read_register(source, tasks) -> tuple[dict, str]:
    """The register as a mapping with an ``actions`` list, and the file name for errors."""
    file = "actions"
    if source is None:
        res = resources.files("clusterlab.scorecard") / "data" / "demo_actions.yaml"
        doc, file = yaml.safe_load(res.read_text()), "demo_actions.yaml"
    elif isinstance(source, pd.DataFrame):
        doc = {"actions": source.to_dict("records")}
        if tasks is not None:
            _attach_task_table(doc["actions"], tasks)
    elif isinstance(source, dict):
        doc = source
    elif isinstance(source, str | os.PathLike):
        file = str(Path(source))
        doc = read_yaml(Path(source), error=DataValidationError, what="actions register")
    else:
        raise ParameterError(f"cannot read an actions register from {type(source).__name__}")
    if not isinstance(doc, dict) or not isinstance(doc.get("actions"), list):
        raise DataValidationError(
            f"{file}: no 'actions' list",
            problem_frame(
                [
                    {
                        "file": file,
                        "column": "actions",
                        "expected": "a list of actions",
                        "found": str(doc)[:60],
                    }
                ]
            ),
        )
    return doc, file


def _attach_task_table(actions: list[dict], tasks: pd.DataFrame) -> None:
    """Put the rows of a separate tasks table under their actions; tasks of unknown actions
    are an error."""
    check_frame(tasks, required=["action", "task", "owner", "deadline", "status"], name="tasks")
    by_action: dict[str, list] = {}
    for r in tasks.to_dict("records"):
        by_action.setdefault(str(r["action"]), []).append(r)
    known = {str(a.get("action")) for a in actions}
    for a in actions:
        a["tasks"] = by_action.get(str(a.get("action")), [])
    orphans = sorted(set(by_action) - known)
    if orphans:
        raise DataValidationError(
            "tasks for unknown actions",
            problem_frame(
                [
                    {
                        "file": "tasks",
                        "column": "action",
                        "expected": "an action id of the register",
                        "found": o,
                    }
                    for o in orphans
                ]
            ),
        )


def _check_action(a, pos, seen, known, problems) -> dict | None:
    """One row of the actions table for the register entry ``a`` at position ``pos``
    (None when it has no id); its problems go to ``problems``. Normalises ``a``'s periods."""
    if not isinstance(a, dict):
        problems.add(pos, "action", "a mapping", a)
        return None
    for extra in sorted(set(map(str, a)) - set(ACTION_FIELDS)):
        problems.add(
            pos, extra, "a field of " + ", ".join(ACTION_FIELDS), f"{extra} (unknown field)"
        )
    aid = a.get("action")
    if _missing(aid):
        problems.add(pos, "action", "an action id", "missing")
        return None
    aid = str(aid)
    if aid in seen:
        problems.add(pos, "action", "a unique id", f"duplicate {aid}")
    seen.add(aid)
    kind, status = a.get("kind"), a.get("status")
    if kind not in ACTION_KINDS:
        problems.add(pos, "kind", " | ".join(ACTION_KINDS), kind)
    if status not in ACTION_STATUSES:
        problems.add(pos, "status", " | ".join(ACTION_STATUSES), f"{status} ({aid})")
    lead, partners, orgs = _organisations(a, pos, aid, problems)
    _check_action_periods(a, pos, aid, problems)
    _check_links(_as_list(a.get("indicators")), pos, aid, known, problems)
    ini = a.get("initiative")
    no_ini = ini is None or (isinstance(ini, float) and np.isnan(ini))
    return {
        "action": aid,
        "initiative": None if no_ini else str(ini),
        "kind": kind,
        "title": str(a.get("title", "")),
        "lead": lead,
        "partners": "; ".join(partners),
        "n_organisations": len(orgs),
        "start": a.get("start"),
        "deadline": a.get("deadline"),
        "status": status,
    }


def _organisations(a, pos, aid, problems) -> tuple[str, list[str], set[str]]:
    """Lead, partners and the set of organisations; a joint action needs two."""
    lead = a.get("lead")
    if _missing(lead):
        problems.add(pos, "lead", "the organisation running the action", f"missing ({aid})")
        lead = ""
    partners = _as_list(a.get("partners"))
    orgs = {str(lead).strip()} | set(partners)
    orgs.discard("")
    if a.get("kind") == "joint" and len(orgs) < 2:
        problems.add(
            pos,
            "partners",
            "a joint action with at least two organisations",
            f"{len(orgs)} organisation(s) in {aid}",
        )
    return str(lead), partners, orgs


def _check_action_periods(a, pos, aid, problems) -> None:
    """Start (required) and deadline (optional) are period labels, the deadline not before
    the start; both are replaced in ``a`` by their normalised labels."""
    keys = {}
    for col in ("start", "deadline"):
        v = a.get(col)
        if v is None or (isinstance(v, float) and np.isnan(v)):
            if col == "start":
                problems.add(pos, col, "a period label", f"missing ({aid})")
            continue
        try:
            p = parse_period(v)
        except DataValidationError:
            problems.add(
                pos, col, "a period label (YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM)", f"{v} ({aid})"
            )
            continue
        keys[col] = p.key
        a[col] = p.label
    if "start" in keys and "deadline" in keys and keys["deadline"] < keys["start"]:
        problems.add(
            pos, "deadline", f"not before the start {a['start']}", f"{a['deadline']} ({aid})"
        )


def _check_links(indicators, pos, aid, known, problems) -> None:
    """An action aims to move at least one indicator, each known to a catalogue."""
    if not indicators:
        problems.add(
            pos, "indicators", "at least one indicator the action aims to move", f"none ({aid})"
        )
    for i in indicators:
        if i not in known:
            problems.add(pos, "indicators", "an indicator id of the catalogue", f"{i} ({aid})")


def _check_tasks(tasks, pos, aid, problems) -> list[dict]:
    """The rows of the tasks table for one action's task list."""
    rows = []
    for tpos, t in enumerate(tasks, start=1):
        if not isinstance(t, dict) or not t.get("task"):
            problems.add(pos, "tasks", "tasks with a 'task' text", f"task {tpos} of {aid}")
            continue
        for extra in sorted(set(map(str, t)) - set(TASK_FIELDS)):
            problems.add(
                pos,
                f"tasks.{extra}",
                "a field of " + ", ".join(TASK_FIELDS),
                f"{extra} (unknown field in task {tpos} of {aid})",
            )
        if not t.get("owner"):
            problems.add(pos, "tasks.owner", "an owner", f"task {tpos} of {aid}")
        if t.get("status") not in TASK_STATUSES:
            problems.add(
                pos,
                "tasks.status",
                " | ".join(TASK_STATUSES),
                f"{t.get('status')} (task {tpos} of {aid})",
            )
        deadline = t.get("deadline")
        try:
            deadline = parse_period(deadline).label
        except DataValidationError:
            problems.add(
                pos, "tasks.deadline", "a period label", f"{deadline} (task {tpos} of {aid})"
            )
        rows.append(
            {
                "action": aid,
                "task": str(t["task"]),
                "owner": str(t.get("owner")),
                "deadline": deadline,
                "status": t.get("status"),
            }
        )
    return rows


def action_effects(
    aggregated: pd.DataFrame,
    actions,
    *,
    catalogue="four_perspectives",
    window: int = 2,
    by: str | None = "initiative",
) -> pd.DataFrame:
    r"""Line up each linked indicator before and after each action's start (descriptive).

    Parameters
    ----------
    aggregated : pandas.DataFrame
        Cluster values ``indicator, period, value`` (e.g. from
        :func:`aggregate_company_indicators`), optionally with an ``initiative`` column.
    actions : ActionRegister or anything :func:`load_actions` reads
    catalogue : optional
        Supplies each indicator's direction.
    window : int
        Number of periods with a value on each side (default 2).
    by : str, optional
        Column matching an action's ``initiative`` (default ``"initiative"``; ignored when
        absent from either table). An action without an initiative needs a table of one
        initiative.

    Returns
    -------
    pandas.DataFrame
        ``action, kind, initiative, indicator, direction, start, periods_before,
        periods_after, n_before, n_after, mean_before, mean_after, change, movement,
        caveat`` with ``movement`` one of ``towards target direction``, ``against target
        direction``, ``no change``, ``insufficient data``, ``not in scorecard`` and
        ``caveat`` the text of :data:`ACTION_EFFECT_CAVEAT` on every row, so that it stays
        with the numbers in copies and saved tables. (``attrs["caveat"]`` still holds it for
        one release; deprecated, because pandas drops ``attrs`` on copies: read the column.)

    Notes
    -----
    :math:`\Delta = \bar x_{\text{after}} - \bar x_{\text{before}}`, the means over the
    ``window`` periods with a value that start before the action's start and the ``window``
    periods that start at or after it. Movement is judged on :math:`s\Delta` (:math:`s=+1`
    when higher is better). This is a before/after comparison without a control group:
    see :data:`ACTION_EFFECT_CAVEAT`.

    Examples
    --------
    >>> agg = pd.DataFrame({"indicator": "training_days", "period": ["2016", "2017", "2018",
    ...                     "2019"], "value": [2.0, 2.2, 2.9, 3.1]})
    >>> reg = load_actions({"actions": [{"action": "A", "kind": "improvement", "lead": "CI",
    ...     "start": "2018", "status": "done", "indicators": ["training_days"]}]})
    >>> e = action_effects(agg, reg, catalogue="balanced_scorecard")
    >>> round(float(e["change"].iloc[0]), 3), e["movement"].iloc[0]
    (0.9, 'towards target direction')
    """
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 1:
        raise ParameterError(f"window must be a positive integer, got {window!r}")
    reg = (
        actions
        if isinstance(actions, ActionRegister)
        else load_actions(actions, catalogue=catalogue)
    )
    check_frame(
        aggregated, required=["indicator", "period", "value"], numeric=["value"], name="aggregated"
    )
    cat = load_catalogue(catalogue)
    direction = dict(zip(cat.indicators["indicator"], cat.indicators["direction"], strict=True))
    data = aggregated.copy()
    data["period_key"] = period_keys(data["period"], name="aggregated")["period_key"].to_numpy()
    data["period"] = period_keys(data["period"], name="aggregated")["period"].to_numpy()
    infinite = np.isinf(pd.to_numeric(data["value"]).to_numpy(float))
    if infinite.any():
        raise DataValidationError(
            "aggregated: infinite value(s)",
            problem_frame(
                [
                    {
                        "file": "aggregated",
                        "row": int(i) + 1,
                        "column": "value",
                        "expected": "a finite number (or empty)",
                        "found": "inf",
                    }
                    for i in np.flatnonzero(infinite)[:200]
                ]
            ),
        )
    group_cols = [by] if by and by in data.columns else []
    check_frame(
        data.reset_index(drop=True), unique=group_cols + ["indicator", "period"], name="aggregated"
    )
    several = bool(group_cols) and data[by].nunique() > 1
    use_by = by if by and by in data.columns and reg.actions["initiative"].notna().any() else None
    as_by(use_by)
    rows = []
    for a in reg.actions.itertuples(index=False):
        if several and a.initiative is None:
            raise ParameterError(
                f"action {a.action} names no initiative but the aggregated table holds several "
                f"({', '.join(sorted(map(str, data[by].unique())))}); set the action's "
                "initiative or filter the table to one"
            )
        start = parse_period(a.start).key
        for iid in reg.links.loc[reg.links["action"] == a.action, "indicator"]:
            sel = data.loc[data["indicator"] == iid]
            if use_by and a.initiative is not None:
                sel = sel.loc[sel[use_by] == a.initiative]
            sel = sel.dropna(subset=["value"]).sort_values("period_key")
            before = sel.loc[sel["period_key"] < start].tail(window)
            after = sel.loc[sel["period_key"] >= start].head(window)
            d = direction.get(iid)
            mb = float(before["value"].mean()) if len(before) else float("nan")
            ma = float(after["value"].mean()) if len(after) else float("nan")
            change = ma - mb
            if d is None or (data["indicator"] == iid).sum() == 0:
                move = "not in scorecard"
            elif np.isnan(change):
                move = "insufficient data"
            else:
                signed = change if d == "higher" else -change
                move = (
                    "towards target direction"
                    if signed > 0
                    else "against target direction"
                    if signed < 0
                    else "no change"
                )
            rows.append(
                {
                    "action": a.action,
                    "kind": a.kind,
                    "initiative": a.initiative,
                    "indicator": iid,
                    "direction": d,
                    "start": a.start,
                    "periods_before": ", ".join(before["period"]),
                    "periods_after": ", ".join(after["period"]),
                    "n_before": len(before),
                    "n_after": len(after),
                    "mean_before": mb,
                    "mean_after": ma,
                    "change": change,
                    "movement": move,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "action",
            "kind",
            "initiative",
            "indicator",
            "direction",
            "start",
            "periods_before",
            "periods_after",
            "n_before",
            "n_after",
            "mean_before",
            "mean_after",
            "change",
            "movement",
        ],
    )
    out["caveat"] = pd.Series(ACTION_EFFECT_CAVEAT, index=out.index, dtype=object)
    # deprecated: attrs kept for one release for code that read them; use the column
    out.attrs["caveat"] = ACTION_EFFECT_CAVEAT
    return out
