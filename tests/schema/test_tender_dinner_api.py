"""A dinner with the buyer's evaluators during the tender, as deployed: the account manager logs
her contacts with her own login, her director reads the judgement with his.

The provincial transport group's tender has been on for ten days (the deal entered bidding
then). A sales leader expects:

- a dinner the account manager had with the business evaluator and the procurement head after
  the tender began is a serious red flag naming both, and the deal is at risk on it alone: if
  anyone raises it, the bid is void;
- the same dinner three weeks ago, before the tender, was relationship work: no flag;
- a dinner with them in the calendar is flagged before it happens, to be called off;
- the texts are in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import DAY_MS, ZH, Api, gid, serve
from people import Person, add_team, manage

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K, E = NodeKind, EdgeKind
LI, DIRECTOR = "m-li", "m-director"
LOGINS = {LI: ("li.na", "account_manager"), DIRECTOR: ("zhou.wei", "sales_director")}
DEAL = gid(K.OPPORTUNITY, "toll")

READ = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  analysis { redFlags { code severity text coaching persons { name } } }
  health { status reasons { code text } } } } }"""
CHAIN_SET = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberSet(input: $input) { keyPerson { name } userErrors { field message } } }"""
LOG = """mutation($input: ActivityLogInput!) {
  activityLog(input: $input) { activity { id } userErrors { field message } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]
    now: datetime
    """The store's clock: the dinners are dated from it."""

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def dinner(self, days_ago: float) -> None:
        """The account manager logs a dinner with the business evaluator and the procurement
        head with her own login (one ahead is planned: no outcome yet)."""
        when = self.now - timedelta(days=days_ago)
        result = self.as_(LI).mutate(
            LOG,
            {
                "input": {
                    "type": "SOCIAL",
                    "occurredAt": when.isoformat(),
                    "summary": "dinner",
                    "personIds": [gid(K.KEY_PERSON, "biz"), gid(K.KEY_PERSON, "proc")],
                    "memberIds": [gid(K.TEAM_MEMBER, LI)],
                    "opportunityId": DEAL,
                }
                | ({} if days_ago < 0 else {"outcome": "POSITIVE"})
            },
        )
        assert result["userErrors"] == [], result

    def read(self, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.as_(DIRECTOR).node(READ, DEAL, headers=headers)


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    store.create(K.TEAM_MEMBER, {"name": "Li Na", "role": "ACCOUNT_MANAGER"}, node_id=LI)
    store.create(K.TEAM_MEMBER, {"name": "Zhou Wei", "role": "SALES_DIRECTOR"}, node_id=DIRECTOR)
    store.create(K.CUSTOMER, {"name": "省交通投资集团"}, node_id="c1")
    entered = store.clock() - 10 * DAY_MS  # the tender began ten days ago
    store.create_opportunity(
        "c1",
        {
            "name": "联网收费",
            "stage": "BIDDING",
            "quote_status": "SUBMITTED",
            "quote_amount": 9_200_000,
            "stage_entered_at": entered,
        },
        node_id="toll",
    )
    store.set_edge(
        E.ON_TEAM, (K.TEAM_MEMBER, LI), (K.OPPORTUNITY, "toll"), {"role": "ACCOUNT_MANAGER"}
    )
    for pid, name in (("dgm", "田总"), ("biz", "万部长"), ("proc", "段主任")):
        store.create_key_person("c1", {"name": name}, node_id=pid)
        store.set_edge(E.KNOWS, (K.TEAM_MEMBER, LI), (K.KEY_PERSON, pid), {"level": "MODERATE"})
    people = add_team(store, LOGINS)
    manage(store, DIRECTOR, [LI])
    with serve(store) as api:
        world = World(api, people, datetime.fromtimestamp(store.clock() / 1000, UTC))
        for person, role, influence in (
            ("dgm", "DECISION_MAKER", "DECISIVE"),
            ("biz", "BUSINESS_EVALUATOR", "HIGH"),
            ("proc", "PROCUREMENT", "MEDIUM"),
        ):
            member = {
                "personId": gid(K.KEY_PERSON, person),
                "opportunityId": DEAL,
                "role": role,
                "influence": influence,
                "attitude": "SUPPORTER",
            }
            world.as_(LI).mutate(CHAIN_SET, {"input": member})
        yield world


def _dinner_flags(deal: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in deal["analysis"]["redFlags"] if "EVALUATOR" in f["code"]]


def test_a_dinner_with_the_evaluators_during_the_tender_puts_the_deal_at_risk(
    world: World,
) -> None:
    world.dinner(3)
    deal = world.read()
    (flag,) = _dinner_flags(deal)
    assert (flag["code"], flag["severity"]) == ("SOCIAL_CONTACT_WITH_EVALUATOR", "HIGH")
    assert flag["text"] == (
        "A social contact during the tender with 万部长 (Business evaluator) and 段主任 "
        "(Procurement), who evaluate the bids, is on record"
    )
    assert "can void the bid" in flag["coaching"]
    assert [p["name"] for p in flag["persons"]] == ["万部长", "段主任"]
    assert deal["health"]["status"] == "AT_RISK"
    assert flag["text"] in [r["text"] for r in deal["health"]["reasons"]]
    in_chinese = world.read(ZH)
    assert "招标期间记录中有与参与评标的万部长（业务评估者）、段主任（采购）的社交往来" in [
        r["text"] for r in in_chinese["health"]["reasons"]
    ]


def test_the_same_dinner_before_the_tender_raises_nothing(world: World) -> None:
    world.dinner(21)
    assert _dinner_flags(world.read()) == []


def test_a_dinner_with_them_planned_is_flagged_to_be_called_off(world: World) -> None:
    world.dinner(-4)
    deal = world.read()
    (flag,) = _dinner_flags(deal)
    assert (flag["code"], flag["severity"]) == ("PLANNED_SOCIAL_CONTACT_WITH_EVALUATOR", "HIGH")
    assert flag["coaching"].startswith("Call it off")
    assert deal["health"]["status"] != "ON_TRACK"
