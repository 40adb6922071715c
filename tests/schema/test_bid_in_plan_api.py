"""The work plan while the bids are evaluated, as deployed: a power-supply deal at bidding,
our quote reviewed and submitted. Its sales director reads the plan with his own login: the
committee (procurement, finance, the evaluators) is nobody's target, but the team still has
its weekly work: the account manager hears from the coach, the director keeps the decision
maker informed, the solution manager has the clarification answers ready. The solution
manager takes her step into the work plan with her own login, and it is not suggested again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import Api, gid, serve
from people import Person, add_team, manage, our_people

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

AM, SM, DIRECTOR = "m-am", "m-sm", "m-director"
LOGINS = {
    AM: ("wang.am", "account_manager"),
    SM: ("chen.sm", "solution_manager"),
    DIRECTOR: ("li.director", "sales_director"),
}
DEAL = gid(NodeKind.OPPORTUNITY, "o1")
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey target { id } owner { id } required rationale }
  workPlan { title target { id } owner { id } } } } }"""
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { title owner { id } } userErrors { field message code } } }"""
DAY = 86_400_000


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def plan(self, by: str) -> dict[str, Any]:
        node: dict[str, Any] = self.api.as_(self.people[by]).node(PLAN, DEAL)
        return node


def _member(store: GraphStore, pid: str, name: str, role: str, attitude: str) -> None:
    store.create_key_person("c1", {"name": name}, node_id=pid)
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, pid),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": role, "influence": "HIGH", "attitude": attitude},
    )


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    names = {
        AM: ("王磊", "ACCOUNT_MANAGER"),
        SM: ("陈静", "SOLUTION_MANAGER"),
        DIRECTOR: ("李总", "SALES_DIRECTOR"),
    }
    our_people(store, names)
    store.create(NodeKind.CUSTOMER, {"name": "江州供电公司"}, node_id="c1")
    store.create_opportunity(
        "c1",
        {
            "name": "配网自动化平台",
            "stage": "BIDDING",
            "quote_amount": 6_000_000,
            "quote_status": "SUBMITTED",
            "delivery_reviewed": True,
        },
        node_id="o1",
    )
    for mid, (_, role) in names.items():
        store.set_edge(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, mid),
            (NodeKind.OPPORTUNITY, "o1"),
            {"role": role},
        )
    _member(store, "dgm", "周副总", "DECISION_MAKER", "SUPPORTER")
    _member(store, "coach", "小刘", "COACH", "SUPPORTER")
    _member(store, "proc", "韩主任", "PROCUREMENT", "NEUTRAL")
    _member(store, "fin", "蒋主任", "FINANCE", "NEUTRAL")
    for mid, pid in ((AM, "coach"), (AM, "proc"), (DIRECTOR, "dgm")):
        store.set_edge(
            EdgeKind.KNOWS,
            (NodeKind.TEAM_MEMBER, mid),
            (NodeKind.KEY_PERSON, pid),
            {"level": "STRONG"},
        )
    people = add_team(store, LOGINS)
    manage(store, DIRECTOR, [AM, SM])
    with serve(store) as api:
        yield World(api, people)


def test_while_the_committee_sits_the_team_keeps_its_weekly_work(world: World) -> None:
    plan = world.plan(DIRECTOR)["suggestedWorkPlan"]
    aimed = {(s["actionKey"], s["target"] and s["target"]["id"], s["owner"]["id"]) for s in plan}
    assert (
        "bid_watch_coach",
        gid(NodeKind.KEY_PERSON, "coach"),
        gid(NodeKind.TEAM_MEMBER, AM),
    ) in aimed
    assert (
        "bid_watch_decider",
        gid(NodeKind.KEY_PERSON, "dgm"),
        gid(NodeKind.TEAM_MEMBER, DIRECTOR),
    ) in aimed
    assert ("bid_clarifications", None, gid(NodeKind.TEAM_MEMBER, SM)) in aimed
    sealed = {gid(NodeKind.KEY_PERSON, p) for p in ("proc", "fin")}
    assert not sealed & {s["target"]["id"] for s in plan if s["target"]}
    assert all(s["required"] for s in plan if s["actionKey"].startswith("bid_"))

    step = {"opportunityId": DEAL, "actionKey": "bid_clarifications"}
    taken = world.api.as_(world.people[SM]).mutate(ACCEPT, {"i": step})["workPlanItem"]
    assert taken == {
        "title": "Have the clarification answers ready",
        "owner": {"id": gid(NodeKind.TEAM_MEMBER, SM)},
    }
    after = world.plan(SM)
    assert "bid_clarifications" not in [s["actionKey"] for s in after["suggestedWorkPlan"]]
    assert [w["title"] for w in after["workPlan"]] == ["Have the clarification answers ready"]
