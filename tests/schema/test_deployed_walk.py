"""One opportunity from stage 1 to WON as deployed: authentication on, every step done over HTTP
by the team member whose role the process file (``strategy/tas/process.toml``) names, each
with their own login made as ``dealgraph user add NAME --role ROLE --member ID``.

The administrator only sets the stage: our people, the customer, the deal and its team.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, gid, open_api
from people import Person
from process_walk import set_up

from domain.model import NodeKind
from graph.executor import Executor
from resolvers.process import definition

# Team member key -> (name, team role, login, user role).
TEAM: dict[str, tuple[str, str, str, str]] = {
    "tm-am": ("Li Ming", "ACCOUNT_MANAGER", "li", "account_manager"),
    "tm-sm": ("Sun Hua", "SOLUTION_MANAGER", "sun", "solution_manager"),
    "tm-dm": ("Du Qiang", "DELIVERY_MANAGER", "du", "delivery_manager"),
    "tm-le": ("Lu Wen", "LEAD_EXPERT", "lu", "lead_expert"),
    "tm-director": ("Zhou Jie", "SALES_DIRECTOR", "zhou", "sales_director"),
}
ON_DEAL = ("tm-am", "tm-sm", "tm-dm", "tm-le")
PAST = "2025-09-0{}T09:00:00Z"  # activities that have happened

REQUEST = """mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) {
  approval { id process state } userErrors { field message code } } }"""
DECIDE = """mutation($id: ID!, $i: ApprovalDecideInput!) { approvalDecide(id: $id, input: $i) {
  approval { state decidedBy { id } history { actorId actorRoles } }
  userErrors { field message code } } }"""
ADVANCE = """mutation($id: ID!, $i: OpportunityAdvanceInput!) {
  opportunityAdvance(id: $id, input: $i) {
    opportunity { stage } transition { fromStage toStage member { id } }
    userErrors { field message code } } }"""
UPDATE = """mutation($id: ID!, $i: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $i) {
    opportunity { version } userErrors { field message code } } }"""
CHAIN = """mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) {
  keyPerson { id } userErrors { field message code } } }"""
ACTIVITY = """mutation($i: ActivityLogInput!) { activityLog(input: $i) {
  activity { id } userErrors { field message code } } }"""
REVIEW = """mutation($id: ID!, $i: DeliveryReviewInput!) {
  opportunityDeliveryReviewRecord(id: $id, input: $i) {
    opportunity { deliveryReviewed deliveryReview { reviewer { id } } }
    userErrors { field message code } } }"""
SUBMIT = """mutation($id: ID!) { opportunityQuoteSubmit(id: $id) {
  opportunity { quoteStatus } userErrors { field message code } } }"""
COMPETITOR = """mutation($i: CompetitorOnOpportunityInput!) {
  competitorOnOpportunitySet(input: $i) { userErrors { field message code } } }"""
STATE = """query($id: ID!) { node(id: $id) { ... on Opportunity { stage version
  stageHistory { fromStage toStage actorId member { id } } } } }"""


class Deal:
    """The deal under way, driven by its team's logins."""

    def __init__(self, api: Api, people: dict[str, Person], opportunity: str) -> None:
        self.api = api
        self.people = people
        self.id = opportunity

    def by(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def version(self) -> int:
        return int(self.api.data(STATE, {"id": self.id})["node"]["version"])

    def update(self, member: str, **fields: Any) -> None:
        self.by(member).mutate(UPDATE, {"id": self.id, "i": {"version": self.version(), **fields}})

    def chain(self, member: str, person: str, role: str, needs: str) -> None:
        person_id = gid(NodeKind.KEY_PERSON, person)
        variables = {"personId": person_id, "opportunityId": self.id, "role": role, "needs": needs}
        self.by(member).mutate(CHAIN, {"i": variables})

    def activity(self, member: str, kind: str, day: int, persons: list[str]) -> None:
        variables = {
            "type": kind,
            "occurredAt": PAST.format(day),
            "summary": f"{kind.lower()} with the customer",
            "personIds": [gid(NodeKind.KEY_PERSON, p) for p in persons],
            "memberIds": [gid(NodeKind.TEAM_MEMBER, member)],
            "opportunityId": self.id,
            "outcome": "POSITIVE",
        }
        self.by(member).mutate(ACTIVITY, {"i": variables})

    def approval(self, code: str) -> None:
        """Requested by a team member whose role may request it, decided by one whose role the
        process names as approver, never the same person."""
        process = definition().process(code)
        assert process is not None
        requester = next(
            m
            for m in ON_DEAL
            if not process.requester_roles or TEAM[m][1] in process.requester_roles
        )
        approver = next(m for m in TEAM if TEAM[m][1] in process.approver_roles and m != requester)
        requested = self.by(requester).mutate(
            REQUEST, {"i": {"opportunityId": self.id, "process": code}}
        )["approval"]
        assert requested["state"] == "PENDING"
        decided = self.by(approver).mutate(
            DECIDE, {"id": requested["id"], "i": {"decision": "APPROVE"}}
        )["approval"]
        assert decided["state"] == "APPROVED"
        assert decided["decidedBy"]["id"] == gid(NodeKind.TEAM_MEMBER, approver)
        assert [h["actorId"] for h in decided["history"]] == [requester, approver]
        assert decided["history"][1]["actorRoles"] == [TEAM[approver][1]]

    def advance(self, member: str, to_stage: str) -> None:
        moved = self.by(member).mutate(ADVANCE, {"id": self.id, "i": {"toStage": to_stage}})
        assert moved["opportunity"]["stage"] == to_stage
        assert moved["transition"]["member"]["id"] == gid(NodeKind.TEAM_MEMBER, member)


@pytest.fixture(scope="module")
def deal(api_executor: Executor) -> Iterator[Deal]:
    """The administrator sets up people, customer, deal and team; each member gets a login
    (the set-up the walk of ``process_walk`` shares)."""
    with open_api(api_executor) as api:
        walk = set_up(api, TEAM)
        yield Deal(api, walk.people, walk.id)


def test_one_opportunity_from_stage_one_to_won_each_step_by_its_own_login(deal: Deal) -> None:
    am, sm, dm = "tm-am", "tm-sm", "tm-dm"
    # 1 validate: the account manager qualifies the deal; 1-1 and 1-2 approved by the director.
    deal.update(am, amount=300_000_000, expectedCloseDate="2026-12-31")
    deal.chain(am, "kp-president", "DECISION_MAKER", "a hospital that runs on data")
    deal.approval("1-1")
    deal.approval("1-2")
    deal.advance(am, "INITIATE")
    # 2 initiate: budget and event, a coach, the deal triangle is staffed; 2-1 initiation.
    deal.update(am, budget=350_000_000, compellingEvent="grade-3 hospital review in 2027")
    deal.chain(am, "kp-engineer", "COACH", "fewer night calls")
    deal.approval("2-1")
    deal.advance(am, "REQUIREMENTS")
    # 3 requirements: the chain mapped, the decision maker met, a technical exchange held by
    # the solution manager; 3-1 approved by the lead expert, 3-2 by the director.
    deal.update(am, decisionProcessKnown=True)
    deal.chain(am, "kp-cio", "TECHNICAL_EVALUATOR", "one platform for all wards")
    deal.chain(am, "kp-cfo", "BUSINESS_EVALUATOR", "cost within the budget")
    deal.activity(am, "VISIT", 1, ["kp-president"])
    deal.activity(sm, "TECHNICAL_EXCHANGE", 2, ["kp-cio", "kp-engineer"])
    deal.by(am).mutate(
        COMPETITOR,
        {"i": {"competitorId": gid(NodeKind.COMPETITOR, "k-rival"), "opportunityId": deal.id}},
    )
    deal.approval("3-1")
    deal.approval("3-2")
    deal.advance(am, "VALUE_PRESENTATION")
    # 4 value presentation: the solution manager demonstrates the solution.
    deal.activity(sm, "DEMO", 3, ["kp-cio", "kp-president"])
    deal.advance(sm, "PROPOSAL")
    # 5 proposal: the account manager quotes; the delivery manager reviews before it goes out.
    deal.update(am, quoteAmount=290_000_000)
    assert deal.by(am).data(SUBMIT, {"id": deal.id})["opportunityQuoteSubmit"]["userErrors"]
    reviewed = deal.by(dm).mutate(
        REVIEW, {"id": deal.id, "i": {"feasible": True, "workloadPersonDays": 400}}
    )["opportunity"]
    assert reviewed["deliveryReviewed"] is True
    assert reviewed["deliveryReview"]["reviewer"]["id"] == gid(NodeKind.TEAM_MEMBER, dm)
    submitted = deal.by(am).mutate(SUBMIT, {"id": deal.id})["opportunity"]
    assert submitted["quoteStatus"] == "SUBMITTED"
    deal.advance(am, "BIDDING")
    # 6 bidding: technical review (delivery manager), commercial review and bid approval.
    deal.approval("6-1")
    deal.approval("6-2")
    deal.approval("6-3")
    deal.advance(am, "NEGOTIATION")
    # 7 negotiation: the SOW scope reviewed with the delivery manager; then won.
    deal.approval("7-1")
    deal.advance(am, "WON")

    state = deal.api.data(STATE, {"id": deal.id})["node"]
    assert state["stage"] == "WON"
    moves = [(h["fromStage"], h["toStage"], h["actorId"]) for h in state["stageHistory"]]
    assert moves == [
        ("VALIDATE", "INITIATE", "li"),
        ("INITIATE", "REQUIREMENTS", "li"),
        ("REQUIREMENTS", "VALUE_PRESENTATION", "li"),
        ("VALUE_PRESENTATION", "PROPOSAL", "sun"),
        ("PROPOSAL", "BIDDING", "li"),
        ("BIDDING", "NEGOTIATION", "li"),
        ("NEGOTIATION", "WON", "li"),
    ]


def test_the_account_manager_opens_a_deal_staffs_its_triangle_and_takes_it_through_a_gate(
    deal: Deal,
) -> None:
    """No administrator this time: the account manager opens a second deal with the hospital,
    puts the solution, delivery and lead-expert people on it, and the director, who manages
    them, approves its first gates."""
    am = "tm-am"
    opened = deal.by(am).mutate(
        """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) {
          opportunity { id team { member { id } role } } userErrors { field message code } } }""",
        {"i": {"customerId": gid(NodeKind.CUSTOMER, "c-hospital"), "name": "Imaging cloud"}},
    )["opportunity"]
    assert opened["team"] == [
        {"member": {"id": gid(NodeKind.TEAM_MEMBER, am)}, "role": TEAM[am][1]}
    ]
    second = Deal(deal.api, deal.people, opened["id"])
    for key in ON_DEAL[1:]:
        second.by(am).mutate(
            """mutation($i: TeamAssignInput!) { teamAssign(input: $i) {
              userErrors { field message code } } }""",
            {
                "i": {
                    "memberId": gid(NodeKind.TEAM_MEMBER, key),
                    "targetId": second.id,
                    "role": TEAM[key][1],
                }
            },
        )
    second.update(am, amount=80_000_000, expectedCloseDate="2027-06-30")
    second.chain(am, "kp-cio", "DECISION_MAKER", "images in every ward")
    second.approval("1-1")
    second.approval("1-2")
    second.advance(am, "INITIATE")
    second.update(am, budget=90_000_000, compellingEvent="the new imaging centre opens in 2027")
    second.chain(am, "kp-engineer", "COACH", "fewer night calls")
    second.approval("2-1")
    second.advance(am, "REQUIREMENTS")
    state = deal.by("tm-director").data(STATE, {"id": second.id})["node"]
    assert state["stage"] == "REQUIREMENTS"
    assert [h["actorId"] for h in state["stageHistory"]] == ["li", "li"]
