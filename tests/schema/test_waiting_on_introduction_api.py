"""A step accepted into the plan that waits on an introduction, over the API as deployed (a
sales leader): the account manager, with their own login, accepts a reference visit to the
general manager nobody of ours knows; the plan then has the introduction through the head of
IT first, saying in the request's language which step of the plan needs it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import DAY_MS, ZH, Api, gid, serve
from people import Person, add_team

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K = NodeKind
AM, SM = "m-am", "m-sm"
LOGINS = {AM: ("wang.am", "account_manager"), SM: ("chen.sm", "solution_manager")}
DEAL = gid(K.OPPORTUNITY, "o1")
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey target { name } owner { name } rationale }
  workPlan { title target { name } } } } }"""
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { title target { name } } userErrors { field message code } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def plan(self, **headers: str) -> dict[str, Any]:
        """The deal's suggested and accepted work plan as its account manager reads them."""
        body = self.api.as_(self.people[AM]).body(PLAN, {"id": DEAL}, headers=headers or None)
        assert "errors" not in body, body
        node: dict[str, Any] = body["data"]["node"]
        return node


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A manufacturer's MES at value presentation: the general manager, who decides, is known
    to nobody of ours; the head of IT, who knows him well, is known well to our account
    manager, who met him last week."""
    store.create(K.TEAM_MEMBER, {"name": "Wang Fang", "role": "ACCOUNT_MANAGER"}, node_id=AM)
    store.create(K.TEAM_MEMBER, {"name": "Chen Jie", "role": "SOLUTION_MANAGER"}, node_id=SM)
    store.create(K.CUSTOMER, {"name": "East Machinery"}, node_id="c1")
    deal = {"name": "MES", "stage": "VALUE_PRESENTATION", "grade": "A", "amount": 3_000_000}
    store.create_opportunity("c1", {**deal, "budget": 3_500_000}, node_id="o1")
    for ours, role in ((AM, "ACCOUNT_MANAGER"), (SM, "SOLUTION_MANAGER")):
        store.set_edge(
            EdgeKind.ON_TEAM, (K.TEAM_MEMBER, ours), (K.OPPORTUNITY, "o1"), {"role": role}
        )
    chain = {
        "gm": ("张建国", "BUSINESS_EVALUATOR", "HIGH", "NEUTRAL"),
        "it": ("李华", "TECHNICAL_EVALUATOR", "HIGH", "SUPPORTER"),
    }
    for pid, (name, role, influence, attitude) in chain.items():
        store.create_key_person("c1", {"name": name}, node_id=pid)
        member = {"role": role, "influence": influence, "attitude": attitude}
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), member
        )
    store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, "it"), (K.KEY_PERSON, "gm"))
    store.set_edge(EdgeKind.KNOWS, (K.KEY_PERSON, "it"), (K.KEY_PERSON, "gm"), {"level": "STRONG"})
    store.set_edge(EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, "it"), {"level": "STRONG"})
    store.log_activity(
        {
            "type": "VISIT",
            "occurred_at": store.clock() - 5 * DAY_MS,
            "summary": "meeting",
            "outcome": "POSITIVE",
            "solution_reaction": "POSITIVE",
        },
        person_ids=["it"],
        member_ids=[AM],
        opportunity_id="o1",
    )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(api, people)


def test_the_introduction_a_planned_visit_waits_on_comes_first(world: World) -> None:
    """A sales leader: the reference visit cannot happen before someone introduces us to 张建国;
    once it is planned, the introduction is the first thing to do, and says why."""
    gm = gid(K.KEY_PERSON, "gm")
    step = {"opportunityId": DEAL, "actionKey": "reference_visit", "targetPersonId": gm}
    taken = world.api.as_(world.people[AM]).mutate(ACCEPT, {"i": step})["workPlanItem"]
    assert taken == {"title": "Reference customer visit", "target": {"name": "张建国"}}
    after = world.plan()
    first = after["suggestedWorkPlan"][0]
    assert (first["actionKey"], first["target"], first["owner"]) == (
        "warm_introduction",
        {"name": "张建国"},
        {"name": "Wang Fang"},
    )
    assert first["rationale"].endswith(
        "It comes first: the plan's next step with 张建国 needs it (Reference customer visit)."
    ), first
    zh = world.plan(**ZH)["suggestedWorkPlan"][0]
    assert zh["rationale"].endswith(
        "此步在前：计划中与张建国的下一步（样板客户参观）需要先有此引荐。"
    ), zh
    assert "gm" not in zh["rationale"] + first["rationale"]


SOLUTION_PLAYS = {"technical_exchange", "demo", "poc", "reference_visit"}


def test_a_planned_visit_that_shows_our_solution_is_not_doubled_by_another(world: World) -> None:
    """A sales leader: with a reference visit planned to show 张建国 that our solution works,
    a demo or a technical exchange for him too is the same job twice: one proof at a time,
    and the next is decided by how he took the visit. Other jobs with him (getting to know
    him, our price) keep their place."""
    gm = gid(K.KEY_PERSON, "gm")
    step = {"opportunityId": DEAL, "actionKey": "reference_visit", "targetPersonId": gm}
    world.api.as_(world.people[AM]).mutate(ACCEPT, {"i": step})
    after = world.plan()["suggestedWorkPlan"]
    doubled = [s["actionKey"] for s in after if s["target"] == {"name": "张建国"}]
    assert not SOLUTION_PLAYS & set(doubled), after
    assert "warm_introduction" in doubled, after  # the door to the visit stays on the plan
