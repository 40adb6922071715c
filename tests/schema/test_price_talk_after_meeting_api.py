"""A price talk with someone nobody of ours has met, over the API as deployed (a sales leader:
meet before you negotiate price): the account manager, with their own login, reads a plan whose
first step with 周敏 in finance is the relationship visit, with no price workshop with her yet;
once the visit is recorded, the workshop is suggested."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import DAY_MS, Api, gid, serve
from people import Person, add_team

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K = NodeKind
AM, SM = "m-am", "m-sm"
LOGINS = {AM: ("wang.am", "account_manager"), SM: ("chen.sm", "solution_manager")}
DEAL = gid(K.OPPORTUNITY, "o1")
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 12) { actionKey target { name } } } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]
    store: GraphStore

    def plays_on(self, name: str) -> list[str]:
        """The plays the suggested plan holds for ``name``, as the account manager reads it."""
        body = self.api.as_(self.people[AM]).body(PLAN, {"id": DEAL})
        assert "errors" not in body, body
        plan: list[dict[str, Any]] = body["data"]["node"]["suggestedWorkPlan"]
        return [s["actionKey"] for s in plan if s["target"] and s["target"]["name"] == name]


def met(store: GraphStore, pid: str, days: int) -> None:
    """Our account manager met ``pid`` ``days`` ago, to no particular result."""
    store.log_activity(
        {
            "type": "VISIT",
            "occurred_at": store.clock() - days * DAY_MS,
            "summary": "meeting",
            "outcome": "NEUTRAL",
        },
        person_ids=[pid],
        member_ids=[AM],
        opportunity_id="o1",
    )


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A quote above the budget went out at proposal; the general manager and the head of IT
    back us and our account manager met them last week; 周敏 in finance, whom nobody of ours
    knows and nobody can introduce us to, has yet to be won on price."""
    store.create(K.TEAM_MEMBER, {"name": "Wang Fang", "role": "ACCOUNT_MANAGER"}, node_id=AM)
    store.create(K.TEAM_MEMBER, {"name": "Chen Jie", "role": "SOLUTION_MANAGER"}, node_id=SM)
    store.create(K.CUSTOMER, {"name": "West Textiles"}, node_id="c1")
    deal = {
        "name": "ERP",
        "stage": "PROPOSAL",
        "grade": "A",
        "amount": 1_000_000,
        "budget": 900_000,
        "quote_amount": 1_000_000,
        "quote_status": "SUBMITTED",
        "delivery_reviewed": True,
    }
    store.create_opportunity("c1", deal, node_id="o1")
    for ours, role in ((AM, "ACCOUNT_MANAGER"), (SM, "SOLUTION_MANAGER")):
        store.set_edge(
            EdgeKind.ON_TEAM, (K.TEAM_MEMBER, ours), (K.OPPORTUNITY, "o1"), {"role": role}
        )
    chain = {
        "gm": ("赵总", "DECISION_MAKER", "DECISIVE", "SUPPORTER"),
        "zm": ("周敏", "FINANCE", "HIGH", "NEUTRAL"),
        "it": ("钱工", "TECHNICAL_EVALUATOR", "HIGH", "SUPPORTER"),
    }
    for pid, (name, role, influence, attitude) in chain.items():
        store.create_key_person("c1", {"name": name}, node_id=pid)
        member = {"role": role, "influence": influence, "attitude": attitude}
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), member
        )
    people = add_team(store, LOGINS)
    for pid in ("gm", "it"):
        store.set_edge(
            EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, pid), {"level": "MODERATE"}
        )
        met(store, pid, 5)
    with serve(store) as api:
        yield World(api, people, store)


def test_the_first_step_with_a_stranger_in_finance_is_a_visit_not_a_price_talk(
    world: World,
) -> None:
    assert world.plays_on("周敏") == ["relationship_visit"]
    met(world.store, "zm", 2)
    assert "roi_workshop" in world.plays_on("周敏")


def test_a_weak_introduction_brings_no_price_talk_beside_it(world: World) -> None:
    """A sales leader: the head of IT, whom our account manager knows, knows 周敏 only slightly.
    The introduction may be worth asking for, but it buys a courtesy meeting at best: a price
    workshop is not a step beside it. It waits for the introduction and a first meeting."""
    world.store.set_edge(
        EdgeKind.KNOWS, (K.KEY_PERSON, "it"), (K.KEY_PERSON, "zm"), {"level": "WEAK"}
    )
    # the first meeting with her: our own visit, or the introduction, ranked by what they bring
    assert sorted(world.plays_on("周敏")) == ["relationship_visit", "warm_introduction"]
