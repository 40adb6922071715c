"""Approvals on a deal that ended, as deployed: the account manager asked for TAS+1-1 with her
own login, then abandoned the deal. Her director is no longer asked to decide it (not in his
work, not counted as pending in the pipeline), and a decision he sends anyway is refused,
naming the deal's state, as is a new request by the solution manager; nothing is written (a
won deal goes on to its delivery processes). The account manager may still withdraw her
request. Reopened, the deal's request waits for him again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve
from people import TRIO, Person, ward_deal

from domain.model import NodeKind
from graph.store import GraphStore

AM, SM, DIRECTOR = TRIO
ERR = "userErrors { field message code }"
DEAL = gid(NodeKind.OPPORTUNITY, "o1")
REQUEST = f"""mutation($i: ApprovalRequestInput!) {{ approvalRequest(input: $i) {{
    approval {{ id }} {ERR} }} }}"""
DECIDE = f"""mutation($id: ID!, $i: ApprovalDecideInput!) {{ approvalDecide(id: $id, input: $i) {{
    approval {{ state }} {ERR} }} }}"""
MOVE = f"""mutation($id: ID!, $i: OpportunityAdvanceInput!) {{
    opportunityAdvance(id: $id, input: $i) {{ opportunity {{ stage }} {ERR} }} }}"""
WAITING = """query { pipeline { pendingApprovals { id mayDecide } } }"""
MAY = """query($id: ID!) { node(id: $id) { ... on Approval { mayDecide } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]
    approval: str

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def waiting_for_director(self) -> list[Any]:
        found = self.as_(DIRECTOR).data(WAITING)["pipeline"]["pendingApprovals"]
        return [a for a in found if a["id"] == self.approval and a["mayDecide"]]


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    people = ward_deal(store)
    with serve(store) as api:
        am = api.as_(people[AM])
        asked = am.mutate(REQUEST, {"i": {"opportunityId": DEAL, "process": "1-1"}})
        world = World(api, people, asked["approval"]["id"])
        assert world.waiting_for_director()
        am.mutate(MOVE, {"id": DEAL, "i": {"toStage": "ABANDONED", "reason": "Budget frozen"}})
        yield world


def test_a_closed_deal_s_request_waits_for_nobody_and_is_not_decided(world: World) -> None:
    assert world.waiting_for_director() == []
    assert world.as_(DIRECTOR).node(MAY, world.approval) == {"mayDecide": False}
    director = world.as_(DIRECTOR)
    decide = {"id": world.approval, "i": {"decision": "APPROVE"}}
    errors = director.refused(DECIDE, decide, "CONFLICT")
    assert "The deal is abandoned" in errors[0]["message"], errors
    zh = director.body(DECIDE, decide, headers=ZH)["data"]["approvalDecide"]["userErrors"]
    assert zh[0]["message"].startswith("商机已放弃"), zh
    request = {"i": {"opportunityId": DEAL, "process": "1-2"}}
    errors = world.as_(SM).refused(REQUEST, request, "CONFLICT", ["input", "opportunityId"])
    assert "no TAS+ process is requested or decided on a deal that ended" in errors[0]["message"]
    withdrawn = world.as_(AM).mutate(DECIDE, {"id": world.approval, "i": {"decision": "WITHDRAW"}})
    assert withdrawn["approval"]["state"] == "WITHDRAWN"


def test_reopened_its_request_waits_for_the_director_again(world: World) -> None:
    reopen = {"id": DEAL, "i": {"toStage": "VALIDATE", "reason": "Budget released"}}
    world.as_(AM).mutate(MOVE, reopen)
    assert world.waiting_for_director()
    decided = world.as_(DIRECTOR).mutate(
        DECIDE, {"id": world.approval, "i": {"decision": "APPROVE"}}
    )
    assert decided["approval"]["state"] == "APPROVED"
