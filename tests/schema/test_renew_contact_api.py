"""A decision maker our sales director met well months ago and nobody has seen since, over the
API as deployed (a sales leader, casebook case 59): the account manager, with their own login,
reads a plan that has our director meet him again first, saying whose contact it renews in the
request's language, and asks the champion to speak for us only after that, due after it."""

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
AM, DIRECTOR = "m-am", "m-director"
LOGINS = {AM: ("li.am", "account_manager"), DIRECTOR: ("zhou.director", "sales_director")}
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey target { name } owner { name } rationale dueDate
    expectedGain } } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def plan(self, **headers: str) -> list[dict[str, Any]]:
        """The deal's suggested work plan as its account manager reads it."""
        body = self.api.as_(self.people[AM]).body(
            PLAN, {"id": gid(K.OPPORTUNITY, "o1")}, headers=headers or None
        )
        assert "errors" not in body, body
        plan: list[dict[str, Any]] = body["data"]["node"]["suggestedWorkPlan"]
        return plan


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A bank's data platform at requirements analysis: our director visited the president
    (who decides) 210 days ago and it went well, nobody has met him since; the head of IT,
    who reports to him and knows him well, is our champion, met by our account manager last
    week; the vice president who approves supports us."""
    store.create(K.TEAM_MEMBER, {"name": "Li Na", "role": "ACCOUNT_MANAGER"}, node_id=AM)
    store.create(K.TEAM_MEMBER, {"name": "Zhou Wei", "role": "SALES_DIRECTOR"}, node_id=DIRECTOR)
    store.create(K.CUSTOMER, {"name": "City Commercial Bank"}, node_id="c1")
    deal = {"name": "Data platform", "stage": "REQUIREMENTS", "grade": "A", "amount": 8_000_000}
    store.create_opportunity("c1", {**deal, "budget": 9_000_000}, node_id="o1")
    for ours, role in ((AM, "ACCOUNT_MANAGER"), (DIRECTOR, "SALES_DIRECTOR")):
        store.set_edge(
            EdgeKind.ON_TEAM, (K.TEAM_MEMBER, ours), (K.OPPORTUNITY, "o1"), {"role": role}
        )
    chain = {
        "pres": ("郑行长", "DECISION_MAKER", "DECISIVE", "NEUTRAL"),
        "cio": ("蔡总", "TECHNICAL_EVALUATOR", "HIGH", "CHAMPION"),
        "vp": ("冯副行长", "APPROVER", "HIGH", "SUPPORTER"),
    }
    for pid, (name, role, influence, attitude) in chain.items():
        store.create_key_person("c1", {"name": name}, node_id=pid)
        member = {"role": role, "influence": influence, "attitude": attitude}
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), member
        )
    for pid in ("cio", "vp"):
        store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, pid), (K.KEY_PERSON, "pres"))
    store.set_edge(
        EdgeKind.KNOWS, (K.KEY_PERSON, "cio"), (K.KEY_PERSON, "pres"), {"level": "STRONG"}
    )
    for pid, level in (("cio", "STRONG"), ("vp", "MODERATE")):
        store.set_edge(EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, pid), {"level": level})
    now = store.clock()
    for pid, actor, days, kind in (
        ("pres", DIRECTOR, 210, "EXECUTIVE_VISIT"),
        ("cio", AM, 5, "VISIT"),
        ("vp", AM, 20, "VISIT"),
    ):
        store.log_activity(
            {
                "type": kind,
                "occurred_at": now - days * DAY_MS,
                "summary": "meeting",
                "outcome": "POSITIVE",
                "solution_reaction": "POSITIVE",
            },
            person_ids=[pid],
            member_ids=[actor],
            opportunity_id="o1",
        )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(api, people)


def test_our_director_renews_the_contact_before_the_champion_speaks(world: World) -> None:
    plan = [s for s in world.plan() if s["target"] and s["target"]["name"] == "郑行长"]
    first = plan[0]
    assert (first["actionKey"], first["owner"]) == ("executive_visit", {"name": "Zhou Wei"})
    assert first["rationale"].startswith(
        "Zhou Wei met 郑行长 (Decision maker) 210 days ago and it went well, and nobody of ours"
        " has met them since: renew that contact, referring to the last meeting"
    ), first
    (word,) = [s for s in plan if s["actionKey"] == "mobilise_champion"]
    assert plan.index(word) > 0
    assert word["dueDate"] > first["dueDate"]
    assert (
        "Worth what it adds once the plan's earlier steps with 郑行长 are done"
        in (word["rationale"])
    )
    zh = [s for s in world.plan(**ZH) if s["target"] and s["target"]["name"] == "郑行长"]
    assert zh[0]["rationale"].startswith(
        "Zhou Wei210天前与郑行长（决策者）会面，效果不错，此后我方再无人见过其本人："
        "应重新联系，提起上次的会面"
    ), zh[0]
    assert "m-director" not in zh[0]["rationale"] + first["rationale"]
