"""A drawn tender-evaluation expert on the panel, as deployed: the account manager maps the
chain and logs her contacts with her own login, her director reads the judgement with his.

The hospital's tender is scored by its own head of IT and by 孙教授, an expert drawn from the
provincial pool; the account manager records him herself (his university, him, his seat on the
panel). A sales leader expects:

- nobody of ours has met 孙教授, and nobody may: that is the rule, not a gap, and no step of
  the suggested plan is aimed at him (his verdict is won through the bid);
- once a visit with him is on record, a serious red flag names him and tells the team to stop
  and to tell the sales director, and the deal's status says so, in the reader's language;
- a demo with him the account manager puts in the calendar is flagged before it happens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve
from people import Person, add_team, manage

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K, E = NodeKind, EdgeKind
LI, DIRECTOR = "m-li", "m-director"
LOGINS = {LI: ("li.na", "account_manager"), DIRECTOR: ("zhou.wei", "sales_director")}
DEAL, SUN = gid(K.OPPORTUNITY, "his"), gid(K.KEY_PERSON, "sun")

READ = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  analysis { gaps { person { name } } redFlags { code severity text coaching persons { name } } }
  decisionChain { members { person { name } externalKind } }
  suggestedWorkPlan(limit: 20) { actionKey target { name } }
  health { status reasons { code text } } } } }"""
CHAIN_SET = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberSet(input: $input) { keyPerson { name } userErrors { field message } } }"""
CUSTOMER = """mutation($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { name } userErrors { field message } } }"""
PERSON = """mutation($input: KeyPersonCreateInput!) {
  keyPersonCreate(input: $input) { keyPerson { name } userErrors { field message } } }"""
LOG = """mutation($input: ActivityLogInput!) {
  activityLog(input: $input) { activity { id } userErrors { field message } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def log(self, kind: str, person: str, *, planned: bool = False) -> None:
        """The account manager logs a contact about the deal with her own login (a planned
        one is dated ahead and has no outcome yet)."""
        now = datetime.fromtimestamp(self.api.store.clock() / 1000, UTC)  # the store's today
        when = (now + timedelta(days=3)) if planned else datetime(2025, 10, 1, 10)
        self.as_(LI).mutate(
            LOG,
            {
                "input": {
                    "type": kind,
                    "occurredAt": when.replace(tzinfo=UTC).isoformat(),
                    "summary": f"{kind.lower()} with {person}",
                    "personIds": [gid(K.KEY_PERSON, person)],
                    "memberIds": [gid(K.TEAM_MEMBER, LI)],
                    "opportunityId": DEAL,
                }
                | ({} if planned else {"outcome": "POSITIVE"})
            },
        )

    def read(self, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.as_(DIRECTOR).node(READ, DEAL, headers=headers)


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    store.create(K.TEAM_MEMBER, {"name": "Li Na", "role": "ACCOUNT_MANAGER"}, node_id=LI)
    store.create(K.TEAM_MEMBER, {"name": "Zhou Wei", "role": "SALES_DIRECTOR"}, node_id=DIRECTOR)
    store.create(K.CUSTOMER, {"name": "市第一医院"}, node_id="c1")
    store.create_opportunity("c1", {"name": "HIS", "stage": "BIDDING"}, node_id="his")
    store.set_edge(
        E.ON_TEAM, (K.TEAM_MEMBER, LI), (K.OPPORTUNITY, "his"), {"role": "ACCOUNT_MANAGER"}
    )
    for pid, name in (("dean", "周院长"), ("it", "陈主任")):
        store.create_key_person("c1", {"name": name}, node_id=pid)
    store.set_edge(E.REPORTS_TO, (K.KEY_PERSON, "it"), (K.KEY_PERSON, "dean"))
    for pid in ("dean", "it"):
        store.set_edge(E.KNOWS, (K.TEAM_MEMBER, LI), (K.KEY_PERSON, pid), {"level": "STRONG"})
    people = add_team(store, LOGINS)
    manage(store, DIRECTOR, [LI])
    with serve(store) as api:
        world = World(api, people)
        li = world.as_(LI)
        # the expert works elsewhere: she records his university (joining its account team),
        # him, and his seat on the panel
        university = li.mutate(CUSTOMER, {"input": {"name": "省医科大学", "key": "c2"}})
        assert university["customer"]["name"] == "省医科大学"
        li.mutate(
            PERSON, {"input": {"customerId": gid(K.CUSTOMER, "c2"), "name": "孙教授", "key": "sun"}}
        )
        for person, role, influence, attitude, kind in (
            ("dean", "DECISION_MAKER", "DECISIVE", "SUPPORTER", None),
            ("it", "COACH", "HIGH", "CHAMPION", None),
            ("sun", "TECHNICAL_EVALUATOR", "HIGH", "NEUTRAL", "TENDER_EXPERT"),
        ):
            member = {
                "personId": gid(K.KEY_PERSON, person),
                "opportunityId": DEAL,
                "role": role,
                "influence": influence,
                "attitude": attitude,
            }
            li.mutate(CHAIN_SET, {"input": member | ({"externalKind": kind} if kind else {})})
        for person in ("dean", "it"):
            world.log("VISIT", person)
        yield world


def test_an_expert_never_met_is_no_gap_and_no_play_is_aimed_at_him(world: World) -> None:
    deal = world.read()
    members = deal["decisionChain"]["members"]
    assert {"person": {"name": "孙教授"}, "externalKind": "TENDER_EXPERT"} in members
    assert "孙教授" not in [g["person"]["name"] for g in deal["analysis"]["gaps"]]
    targets = {s["target"]["name"] for s in deal["suggestedWorkPlan"] if s["target"]}
    assert "孙教授" not in targets
    assert "CONTACT_WITH_EXPERT" not in [f["code"] for f in deal["analysis"]["redFlags"]]


def test_a_visit_with_the_expert_on_record_is_a_serious_red_flag(world: World) -> None:
    world.log("VISIT", "sun")
    deal = world.read()
    (flag,) = [f for f in deal["analysis"]["redFlags"] if f["code"] == "CONTACT_WITH_EXPERT"]
    assert flag["severity"] == "HIGH"
    assert flag["text"] == "A contact with 孙教授 (Tender-evaluation expert) is on record"
    assert "tell the sales director" in flag["coaching"]
    assert flag["persons"] == [{"name": "孙教授"}]
    assert deal["health"]["status"] != "ON_TRACK"
    assert flag["text"] in [r["text"] for r in deal["health"]["reasons"]]
    in_chinese = world.read(ZH)
    assert "记录中有与孙教授（评标专家）的接触" in [
        r["text"] for r in in_chinese["health"]["reasons"]
    ]


def test_a_contact_with_the_expert_planned_is_flagged_before_it_happens(world: World) -> None:
    world.log("DEMO", "sun", planned=True)
    deal = world.read()
    (flag,) = [f for f in deal["analysis"]["redFlags"] if "EXPERT" in f["code"]]
    assert (flag["code"], flag["severity"]) == ("PLANNED_CONTACT_WITH_EXPERT", "HIGH")
    assert flag["text"] == "A contact with 孙教授 (Tender-evaluation expert) is planned"
    assert "call it off" in flag["coaching"]
    assert deal["health"]["status"] != "ON_TRACK"
    in_chinese = world.read(ZH)
    assert "计划中有与孙教授（评标专家）的接触" in [
        r["text"] for r in in_chinese["health"]["reasons"]
    ]


VIOLATIONS = """query($f: ViolationFilter) { violations(filter: $f, first: 20) {
  nodes { rule message responsible { name } resolvedAt } } }"""
DELETE = """mutation($id: ID!) { activityDelete(id: $id) { deletedId userErrors { message } } }"""


def test_a_contact_with_the_expert_on_record_is_a_process_violation_the_director_sees(
    world: World,
) -> None:
    """A sales director walking the product: a contact with a drawn expert is a compliance
    breach, not only a red flag; he must find it among the violations of his team's deals,
    answered for by the account manager, the moment it is logged. One planned is the red
    flag's to call off; one deleted as logged by mistake takes the violation with it."""
    expert = {"f": {"opportunityId": DEAL, "rule": "EXPERT_CONTACT"}}
    director = world.as_(DIRECTOR)
    world.log("DEMO", "sun", planned=True)
    assert director.data(VIOLATIONS, expert)["violations"]["nodes"] == []
    world.log("VISIT", "sun")
    (found,) = director.data(VIOLATIONS, expert)["violations"]["nodes"]
    assert found["responsible"] == {"name": "Li Na"}
    assert found["message"].startswith(
        "A contact with 孙教授, a tender-evaluation expert, on 2025-10-01 is on record: bidders"
        " may not contact the evaluation experts"
    )
    in_chinese = director.body(VIOLATIONS, expert, headers=ZH)["data"]["violations"]["nodes"]
    assert in_chinese[0]["message"].startswith("记录中有2025-10-01与评标专家孙教授的接触")
    # the account manager finds it among those she answers for
    hers = {"f": {"responsibleId": gid(K.TEAM_MEMBER, LI), "rule": "EXPERT_CONTACT"}}
    assert len(world.as_(LI).data(VIOLATIONS, hers)["violations"]["nodes"]) == 1
    # logged by mistake: deleted, its violation is resolved
    visits = world.as_(LI).data(
        """query($f: ActivityFilter) { activities(filter: $f, first: 20) {
          nodes { id persons { name } } } }""",
        {"f": {"opportunityId": DEAL}},
    )["activities"]["nodes"]
    for visit in visits:
        if [p["name"] for p in visit["persons"]] == ["孙教授"]:
            world.as_(LI).mutate(DELETE, {"id": visit["id"]})
    (gone,) = director.data(VIOLATIONS, expert)["violations"]["nodes"]
    assert gone["resolvedAt"] is not None
