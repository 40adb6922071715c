"""A deal walked from stage 1 to WON through every TAS+ gate as deployed: authentication on,
each step done over HTTP by the team member whose role the process file names, with their own
login (``dealgraph user add LOGIN --role ROLE --member ID``). The account manager requests the
approvals and the sales director decides them (the lead expert or the delivery manager where
the director may not); the director first rejects the initiation, saying why. The delivery
manager reviews the quote before the account manager submits it.

Shared by the suites that read the walk back ("What changed" over the API and the CLI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api_helpers import Api, gid
from people import Person, add_team, manage

from domain.model import NodeKind
from resolvers.process import definition

# Team member key -> (name, team role, login, user role). The director decides first.
TEAM: dict[str, tuple[str, str, str, str]] = {
    "tm-director": ("Zhou Jie", "SALES_DIRECTOR", "zhou.jie", "sales_director"),
    "tm-am": ("Li Ming", "ACCOUNT_MANAGER", "li.ming", "account_manager"),
    "tm-sm": ("Sun Hua", "SOLUTION_MANAGER", "sun.hua", "solution_manager"),
    "tm-dm": ("Du Qiang", "DELIVERY_MANAGER", "du.qiang", "delivery_manager"),
    "tm-le": ("Lu Wen", "LEAD_EXPERT", "lu.wen", "lead_expert"),
}
ON_DEAL = ("tm-am", "tm-sm", "tm-dm", "tm-le")
PAST = "2025-09-0{}T09:00:00Z"  # activities that have happened
QUOTE = 190_000_000  # CNY 1.9m in fen
WORKLOAD = 120
REJECTION = "The budget is not confirmed by the CFO yet"
APPROVALS = ("1-1", "1-2", "2-1", "3-1", "3-2", "6-1", "6-2", "6-3", "7-1")
"""The processes the walk has approved, in order (2-1 after a first request was rejected)."""

REQUEST = """mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) {
  approval { id state } userErrors { field message code } } }"""
DECIDE = """mutation($id: ID!, $i: ApprovalDecideInput!) { approvalDecide(id: $id, input: $i) {
  approval { state } userErrors { field message code } } }"""
ADVANCE = """mutation($id: ID!, $i: OpportunityAdvanceInput!) {
  opportunityAdvance(id: $id, input: $i) {
    opportunity { stage } userErrors { field message code } } }"""
UPDATE = """mutation($id: ID!, $i: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $i) {
    opportunity { version } userErrors { field message code } } }"""
CHAIN = """mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) {
  keyPerson { id } userErrors { field message code } } }"""
ACTIVITY = """mutation($i: ActivityLogInput!) { activityLog(input: $i) {
  activity { id } userErrors { field message code } } }"""
REVIEW = """mutation($id: ID!, $i: DeliveryReviewInput!) {
  opportunityDeliveryReviewRecord(id: $id, input: $i) {
    opportunity { deliveryReviewed } userErrors { field message code } } }"""
SUBMIT = """mutation($id: ID!) { opportunityQuoteSubmit(id: $id) {
  opportunity { quoteStatus } userErrors { field message code } } }"""
VERSION = """query($id: ID!) { node(id: $id) { ... on Opportunity { version } } }"""


@dataclass
class Walk:
    """The deal under way, driven by its team's logins."""

    api: Api
    people: dict[str, Person]
    id: str

    def by(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def update(self, member: str, **fields: Any) -> None:
        version = int(self.api.data(VERSION, {"id": self.id})["node"]["version"])
        self.by(member).mutate(UPDATE, {"id": self.id, "i": {"version": version, **fields}})

    def chain(self, member: str, person: str, role: str) -> None:
        variables = {
            "personId": gid(NodeKind.KEY_PERSON, person),
            "opportunityId": self.id,
            "role": role,
            "needs": f"what the {role.lower().replace('_', ' ')} needs",
        }
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

    def approval(self, code: str, reject: str | None = None) -> str:
        """Requested by the account manager, decided by the first of the team whose role
        decides it; returns the decider's member key."""
        process = definition().process(code)
        assert process is not None
        approver = next(m for m in TEAM if TEAM[m][1] in process.approver_roles and m != "tm-am")
        requested = self.by("tm-am").mutate(
            REQUEST, {"i": {"opportunityId": self.id, "process": code}}
        )["approval"]
        decision = {"decision": "REJECT", "comment": reject} if reject else {"decision": "APPROVE"}
        decided = self.by(approver).mutate(DECIDE, {"id": requested["id"], "i": decision})
        assert decided["approval"]["state"] == ("REJECTED" if reject else "APPROVED")
        return approver

    def advance(self, member: str, to_stage: str) -> None:
        moved = self.by(member).mutate(ADVANCE, {"id": self.id, "i": {"toStage": to_stage}})
        assert moved["opportunity"]["stage"] == to_stage


def set_up(api: Api, team: Mapping[str, tuple[str, str, str, str]] = TEAM) -> Walk:
    """The administrator adds our people (``team``: as ``TEAM`` holds them), the customer, its
    people and the deal with its team; each member gets a login linked to them."""
    for key, (name, role, _, _) in team.items():
        api.mutate(
            """mutation($i: TeamMemberCreateInput!) { teamMemberCreate(input: $i) {
              teamMember { id } userErrors { field message code } } }""",
            {"i": {"name": name, "role": role, "key": key}},
        )
    customer = api.mutate(
        """mutation($i: CustomerCreateInput!) { customerCreate(input: $i) {
          customer { id } userErrors { field message code } } }""",
        {"i": {"name": "Provincial Hospital", "key": "c-hospital"}},
    )["customer"]["id"]
    for key, name in (
        ("kp-president", "President Zhao"),
        ("kp-cio", "CIO Qian"),
        ("kp-cfo", "CFO Wang"),
        ("kp-engineer", "Engineer Sun"),
    ):
        api.mutate(
            """mutation($i: KeyPersonCreateInput!) { keyPersonCreate(input: $i) {
              keyPerson { id } userErrors { field message code } } }""",
            {"i": {"customerId": customer, "name": name, "key": key}},
        )
    api.mutate(
        """mutation($i: CompetitorCreateInput!) { competitorCreate(input: $i) {
          competitor { id } userErrors { field message code } } }""",
        {"i": {"name": "Rival Soft", "key": "k-rival"}},
    )
    opportunity = api.mutate(
        """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) {
          opportunity { id } userErrors { field message code } } }""",
        {"i": {"customerId": customer, "name": "Smart hospital", "key": "o-walk"}},
    )["opportunity"]["id"]
    for key in ON_DEAL:
        api.mutate(
            """mutation($i: TeamAssignInput!) { teamAssign(input: $i) {
              userErrors { field message code } } }""",
            {
                "i": {
                    "memberId": gid(NodeKind.TEAM_MEMBER, key),
                    "targetId": opportunity,
                    "role": team[key][1],
                }
            },
        )
    people = add_team(api.store, {key: (login, role) for key, (_, _, login, role) in team.items()})
    manage(api.store, "tm-director", ON_DEAL)
    return Walk(api, people, opportunity)


def walk_to_won(api: Api) -> Walk:
    """The deal from stage 1 to WON, every step by its own login."""
    deal = set_up(api)
    am, sm, dm = "tm-am", "tm-sm", "tm-dm"
    deal.update(am, amount=200_000_000, expectedCloseDate="2026-12-31")
    deal.chain(am, "kp-president", "DECISION_MAKER")
    deal.approval("1-1")
    deal.approval("1-2")
    deal.advance(am, "INITIATE")
    deal.approval("2-1", reject=REJECTION)
    deal.update(am, budget=220_000_000, compellingEvent="grade-3 hospital review in 2027")
    deal.chain(am, "kp-engineer", "COACH")
    deal.approval("2-1")
    deal.advance(am, "REQUIREMENTS")
    deal.update(am, decisionProcessKnown=True)
    deal.chain(am, "kp-cio", "TECHNICAL_EVALUATOR")
    deal.chain(am, "kp-cfo", "BUSINESS_EVALUATOR")
    deal.activity(am, "VISIT", 1, ["kp-president"])
    deal.activity(sm, "TECHNICAL_EXCHANGE", 2, ["kp-cio", "kp-engineer"])
    deal.by(am).mutate(
        """mutation($i: CompetitorOnOpportunityInput!) {
          competitorOnOpportunitySet(input: $i) { userErrors { field message code } } }""",
        {"i": {"competitorId": gid(NodeKind.COMPETITOR, "k-rival"), "opportunityId": deal.id}},
    )
    deal.approval("3-1")
    deal.approval("3-2")
    deal.advance(am, "VALUE_PRESENTATION")
    deal.activity(sm, "DEMO", 3, ["kp-cio", "kp-president"])
    deal.advance(am, "PROPOSAL")
    deal.update(am, quoteAmount=QUOTE)
    reviewed = deal.by(dm).mutate(
        REVIEW, {"id": deal.id, "i": {"feasible": True, "workloadPersonDays": WORKLOAD}}
    )
    assert reviewed["opportunity"]["deliveryReviewed"] is True
    deal.by(am).mutate(SUBMIT, {"id": deal.id})
    deal.advance(am, "BIDDING")
    for code in ("6-1", "6-2", "6-3"):
        deal.approval(code)
    deal.advance(am, "NEGOTIATION")
    deal.approval("7-1")
    deal.advance(am, "WON")
    return deal
