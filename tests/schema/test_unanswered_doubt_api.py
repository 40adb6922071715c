"""A skeptical CIO at the proposal with no solution manager on the deal, over the API as
deployed (a sales leader, casebook case 83): the account manager, with their own login, reads
"can we win" counting the CIO's doubt as a firm no while nobody of ours can answer it, with the
reason in the request's language; once a solution manager joins the team, half of it."""

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
WIN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  assessment { winLikelihood { value } canWin { reasons { factor points text } } } } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def doubt(self, **headers: str) -> tuple[float, dict[str, Any]]:
        """The win likelihood and the evaluator's reason in "can we win", as the account
        manager reads them."""
        body = self.api.as_(self.people[AM]).body(
            WIN, {"id": gid(K.OPPORTUNITY, "o1")}, headers=headers or None
        )
        assert "errors" not in body, body
        assessment = body["data"]["node"]["assessment"]
        reasons = assessment["canWin"]["reasons"]
        found = next(r for r in reasons if r["factor"] == "evaluator_attitude")
        return float(assessment["winLikelihood"]["value"]), found


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A bank's credit system at the proposal: the vice president who decides supports us; the
    CIO, who writes the technical part of the tender, doubts our architecture; the team is the
    account manager and the sales director, its solution manager not yet assigned."""
    for ours, name, role in (
        (AM, "Li Na", "ACCOUNT_MANAGER"),
        (SM, "Su Wan", "SOLUTION_MANAGER"),
        (DIRECTOR, "Zhou Wei", "SALES_DIRECTOR"),
    ):
        store.create(K.TEAM_MEMBER, {"name": name, "role": role}, node_id=ours)
    store.create(K.CUSTOMER, {"name": "City Commercial Bank"}, node_id="c1")
    deal = {
        "name": "Credit system",
        "stage": "PROPOSAL",
        "grade": "A",
        "amount": 4_500_000,
        "budget": 5_000_000,
        "compelling_event": "监管检查整改期限",
        "expected_close_date": "2026-01-31",  # the store's clock reads 2025-10-09
    }
    store.create_opportunity("c1", deal, node_id="o1")
    for ours, role in ((AM, "ACCOUNT_MANAGER"), (DIRECTOR, "SALES_DIRECTOR")):
        store.set_edge(
            EdgeKind.ON_TEAM, (K.TEAM_MEMBER, ours), (K.OPPORTUNITY, "o1"), {"role": role}
        )
    chain = {
        "vp": ("吴行长", "DECISION_MAKER", "DECISIVE", "SUPPORTER"),
        "cio": ("郑总", "TECHNICAL_EVALUATOR", "HIGH", "SKEPTIC"),
    }
    for pid, (name, role, influence, attitude) in chain.items():
        store.create_key_person("c1", {"name": name}, node_id=pid)
        member = {"role": role, "influence": influence, "attitude": attitude}
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), member
        )
    store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, "cio"), (K.KEY_PERSON, "vp"))
    now = store.clock()
    for pid, by, days, kind, outcome in (
        ("vp", DIRECTOR, 20, "EXECUTIVE_VISIT", "POSITIVE"),
        ("cio", AM, 15, "MEETING", "NEUTRAL"),
    ):
        store.log_activity(
            {"type": kind, "occurred_at": now - days * DAY_MS, "summary": "m", "outcome": outcome},
            person_ids=[pid],
            member_ids=[by],
            opportunity_id="o1",
        )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(api, people)


def test_nobody_to_answer_the_cios_doubt_counts_it_as_a_firm_no(world: World) -> None:
    unstaffed, reason = world.doubt()
    assert reason["points"] == -12
    assert reason["text"] == (
        "An evaluator does not back us (skeptic): they write the evaluation the decision maker"
        " reads; with no solution manager on our team nobody can answer their doubts, so they"
        " count as a firm no"
    )
    _, zh = world.doubt(**ZH)
    assert zh["text"] == (
        "有评估人不支持我方（怀疑者）：决策者读的是他们写的评估；"
        "我方团队没有方案经理，无人能回应其质疑，按明确反对计"
    )
    world.api.mutate(  # the administrator assigns the solution manager
        """mutation($i: TeamAssignInput!) { teamAssign(input: $i) {
          userErrors { field message code } } }""",
        {
            "i": {
                "memberId": gid(K.TEAM_MEMBER, SM),
                "targetId": gid(K.OPPORTUNITY, "o1"),
                "role": "SOLUTION_MANAGER",
            }
        },
    )
    staffed, answered = world.doubt()
    assert answered["points"] == -6
    assert "solution manager" not in answered["text"]
    assert staffed > unstaffed
