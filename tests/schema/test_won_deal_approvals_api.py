"""Approvals on a won deal, as deployed. A sales leader expects: once the contract is won,
nobody asks for resources to win it (a POC, a bid) — the account manager who tries is told so
in her language, with what may still be asked for, and nothing is written; the SOW scope review,
which comes after the award, is offered on the deal's page and goes to her director as any
request does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from api_helpers import Api, gid, serve, snapshot
from people import TRIO, Person, ward_deal

from domain.model import NodeKind
from graph.store import GraphStore

AM, SM, DIRECTOR = TRIO
DEAL = gid(NodeKind.OPPORTUNITY, "o1")
REQUEST = """mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) {
    approval { id processName } userErrors { field message code } } }"""
OFFERED = """query($id: ID!) { node(id: $id) { ... on Opportunity {
    optionalApprovals { process mayRequest } } } }"""
WAITING = """query { pipeline { pendingApprovals { id mayDecide } } }"""
POC = {
    "opportunityId": DEAL,
    "process": "4-1",
    "fields": {"test_scope": "Ward rounds", "start_date": "2025-10-20", "end_date": "2025-10-31"},
}


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    people = ward_deal(store, "WON")
    with serve(store) as api:
        yield World(api, people)


def test_a_won_deal_asks_for_nothing_to_win_it(world: World) -> None:
    am = world.as_(AM)
    before = snapshot(world.api.store)
    errors = am.refused(REQUEST, {"i": POC}, "CONFLICT")
    assert errors == [
        {
            "field": ["input", "process"],
            "message": "The deal is won: TAS+4-1 Presales test (POC) request belongs to winning "
            "it; after the win only SOW scope review is requested",
            "code": "CONFLICT",
        }
    ]
    zh = am.body(REQUEST, {"i": POC}, headers={"Accept-Language": "zh-CN"})
    assert zh["data"]["approvalRequest"]["userErrors"][0]["message"] == (
        "商机已赢单：TAS+4-1 售前测试申请流程属于赢单之前的工作，赢单后只发起合同工作范围评估流程"
    )
    assert snapshot(world.api.store) == before


def test_the_sow_review_is_offered_after_the_win_and_waits_for_the_director(
    world: World,
) -> None:
    am = world.as_(AM)
    offered = am.node(OFFERED, DEAL)["optionalApprovals"]
    assert offered == [{"process": "7-1", "mayRequest": True}]
    asked = am.mutate(REQUEST, {"i": {"opportunityId": DEAL, "process": "7-1"}})
    assert asked["approval"]["processName"] == "TAS+7-1 SOW scope review"
    waiting = world.as_(DIRECTOR).data(WAITING)["pipeline"]["pendingApprovals"]
    assert [a for a in waiting if a["id"] == asked["approval"]["id"]] == [
        {"id": asked["approval"]["id"], "mayDecide": True}
    ]
