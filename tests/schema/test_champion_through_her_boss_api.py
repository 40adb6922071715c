"""A head nurse, our only champion, over the API as deployed (sales leaders, casebook cases 67
and 68): she knows the vice dean who decides, but reports to the director of nursing; the
account manager, with their own login, reads a plan whose first steps go to her boss, not over
her head to the vice dean."""

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
AM, SM, DIRECTOR = "m-am", "m-sm", "m-director"
LOGINS = {
    AM: ("li.am", "account_manager"),
    SM: ("su.sm", "solution_manager"),
    DIRECTOR: ("zhou.director", "sales_director"),
}
DEAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey target { name } owner { name } rationale }
  analysis { redFlags { code severity text persons { name } } }
  health { status reasons { code status text } } } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def deal(self, **headers: str) -> dict[str, Any]:
        """The deal as its account manager reads it."""
        body = self.api.as_(self.people[AM]).body(
            DEAL, {"id": gid(K.OPPORTUNITY, "o1")}, headers=headers or None
        )
        assert "errors" not in body, body
        node: dict[str, Any] = body["data"]["node"]
        return node


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A hospital's nursing system at requirements analysis: the head nurse, our champion,
    reports to the director of nursing, who reports to the vice dean who decides; she knows the
    vice dean from the nursing committee. The IT director sways the vice dean. Nobody of ours
    knows anyone but her; our account manager visited her four days ago."""
    for ours, name, role in (
        (AM, "Li Na", "ACCOUNT_MANAGER"),
        (SM, "Su Wan", "SOLUTION_MANAGER"),
        (DIRECTOR, "Zhou Wei", "SALES_DIRECTOR"),
    ):
        store.create(K.TEAM_MEMBER, {"name": name, "role": role}, node_id=ours)
    store.create(K.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    now = store.clock()
    deal = {
        "name": "Nursing system",
        "stage": "REQUIREMENTS",
        "grade": "A",
        "amount": 3_000_000,
        "budget": 3_200_000,
        "compelling_event": "护理质量等级评审",
        "expected_close_date": "2026-03-31",  # the store's clock reads 2025-10-09
    }
    store.create_opportunity("c1", deal, node_id="o1")
    for ours, role in (
        (AM, "ACCOUNT_MANAGER"),
        (SM, "SOLUTION_MANAGER"),
        (DIRECTOR, "SALES_DIRECTOR"),
    ):
        store.set_edge(
            EdgeKind.ON_TEAM, (K.TEAM_MEMBER, ours), (K.OPPORTUNITY, "o1"), {"role": role}
        )
    chain = {
        "vd": ("胡副院长", "DECISION_MAKER", "DECISIVE", "NEUTRAL"),
        "nd": ("梁主任", "BUSINESS_EVALUATOR", "MEDIUM", "NEUTRAL"),
        "hn": ("宋护士长", "USER", "LOW", "CHAMPION"),
        "itd": ("潘主任", "TECHNICAL_EVALUATOR", "HIGH", "NEUTRAL"),
    }
    for pid, (name, role, influence, attitude) in chain.items():
        store.create_key_person("c1", {"name": name}, node_id=pid)
        member = {"role": role, "influence": influence, "attitude": attitude}
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), member
        )
    for low, high in (("hn", "nd"), ("nd", "vd"), ("itd", "vd")):
        store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, low), (K.KEY_PERSON, high))
    store.set_edge(
        EdgeKind.INFLUENCES, (K.KEY_PERSON, "itd"), (K.KEY_PERSON, "vd"), {"strength": "STRONG"}
    )
    for a, b, level in (("hn", "nd", "STRONG"), ("hn", "vd", "MODERATE"), ("itd", "vd", "STRONG")):
        store.set_edge(EdgeKind.KNOWS, (K.KEY_PERSON, a), (K.KEY_PERSON, b), {"level": level})
    store.set_edge(EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, "hn"), {"level": "STRONG"})
    for days, kind, by in ((4, "VISIT", AM), (16, "DEMO", SM)):
        store.log_activity(
            {
                "type": kind,
                "occurred_at": now - days * DAY_MS,
                "summary": "with the head nurse",
                "outcome": "POSITIVE",
                "solution_reaction": "POSITIVE",
            },
            person_ids=["hn"],
            member_ids=[by],
            opportunity_id="o1",
        )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(api, people)


def test_the_way_up_from_our_champion_runs_through_her_boss(world: World) -> None:
    plan = world.deal()["suggestedWorkPlan"]
    top = [(s["actionKey"], s["target"] and s["target"]["name"]) for s in plan[:3]]
    assert ("mobilise_champion", "梁主任") in top, top
    assert ("mobilise_champion", "胡副院长") not in [
        (s["actionKey"], s["target"] and s["target"]["name"]) for s in plan
    ]
    word = next(s for s in plan if s["target"] and s["target"]["name"] == "梁主任")
    assert word["rationale"].startswith(
        "梁主任 (Business evaluator) is neutral towards us; 宋护士长 (User), a champion who knows"
        " them, can speak for us"
    ), word
    zh = next(
        s for s in world.deal(**ZH)["suggestedWorkPlan"] if s["actionKey"] == word["actionKey"]
    )
    assert zh["rationale"].startswith(
        "梁主任（业务评估者）对我方态度中立；支持者宋护士长（使用者）与其熟识"
    )


def test_a_champion_we_visit_every_week_makes_no_coach_a_to_do(world: World) -> None:
    """The head nurse tells us what goes on inside: "no coach" is the account manager's to-do,
    naming her, and with the vice dean not yet met the deal needs attention, not more."""
    deal = world.deal()
    (no_coach,) = [f for f in deal["analysis"]["redFlags"] if f["code"] == "NO_COACH"]
    assert no_coach["severity"] == "MEDIUM"
    assert no_coach["persons"] == [{"name": "宋护士长"}]
    assert no_coach["text"].startswith("No coach recorded: 宋护士长, a champion we know well")
    assert deal["health"]["status"] == "NEEDS_ATTENTION", deal["health"]
    never_met = [r for r in deal["health"]["reasons"] if r["code"] == "DECISION_MAKER_NEVER_MET"]
    assert [r["status"] for r in never_met] == ["NEEDS_ATTENTION"]
    zh = world.deal(**ZH)
    (no_coach_zh,) = [f for f in zh["analysis"]["redFlags"] if f["code"] == "NO_COACH"]
    assert no_coach_zh["text"].startswith(
        "尚未记录教练：宋护士长是我方熟识且近期沟通过的铁杆支持者"
    )
