"""A won deal's record, as deployed. A sales director expects: the amount, grade, quote, close
date and delivery review of a deal won are what was decided. The win rate, the pipeline's
record and the review of why it was won read them; an account manager who rewrites them after
the win (an amount of 1, grade D, a quote back in draft, a "not feasible" review) rewrites that
history. He is told so, field by field, in his language, and nothing is written. A misspelt
name or the notes may still be put right, and an administrator may still correct the record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from api_helpers import Api, gid, serve
from people import TRIO, Person, add_person, add_team, logins_of, our_people, ward_deal

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

AM, SM, DIRECTOR = TRIO
DELIVERY = {"m-dm": ("Deng Gang", "DELIVERY_MANAGER")}
DEAL = gid(NodeKind.OPPORTUNITY, "o1")
UPDATE = """mutation($id: ID!, $i: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $i) { opportunity { name amount grade description version }
  userErrors { field message code } } }"""
REVIEW = """mutation($id: ID!, $i: DeliveryReviewInput!) {
  opportunityDeliveryReviewRecord(id: $id, input: $i) { opportunity { deliveryReviewed }
  userErrors { field message code } } }"""
OPEN_VIOLATIONS = """query($id: ID!) {
  violations(filter: { opportunityId: $id, open: true }, first: 50) { totalCount } }"""
VERSION = """query($id: ID!) { node(id: $id) { ... on Opportunity { version amount grade } } }"""
WON_EN = (
    "The deal is won: a decided deal keeps its record as it was decided; only its name and "
    "description can still change"
)


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    people = ward_deal(store, "WON")
    store.update(NodeKind.OPPORTUNITY, "o1", {"amount": 190_000_000, "grade": "A"})
    our_people(store, DELIVERY)
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "m-dm"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "DELIVERY_MANAGER"},
    )
    people |= add_team(store, logins_of(DELIVERY))
    people["admin"] = add_person(store, "admin", "admin")
    with serve(store) as api:
        yield World(api, people)


def _version(api: Api) -> int:
    version: int = api.node(VERSION, DEAL)["version"]
    return version


def test_a_won_deal_s_terms_are_not_rewritten_after_the_win(world: World) -> None:
    am = world.as_(AM)
    rewrite = {"version": _version(am), "amount": 1, "grade": "D", "quoteAmount": 150_000_000}
    errors = am.refused(UPDATE, {"id": DEAL, "i": rewrite}, "CONFLICT")
    assert [(e["field"], e["message"], e["code"]) for e in errors] == [
        (["input", name], WON_EN, "CONFLICT") for name in ("grade", "amount", "quoteAmount")
    ]
    zh = am.body(UPDATE, {"id": DEAL, "i": rewrite}, headers={"Accept-Language": "zh-CN"})
    assert zh["data"]["opportunityUpdate"]["userErrors"][0]["message"] == (
        "商机已赢单：已有结果的商机保留结束时的记录，只能再修改名称和描述"
    )
    assert am.node(VERSION, DEAL) | {"version": 0} == {
        "version": 0,
        "amount": 190_000_000,
        "grade": "A",
    }


def test_a_won_deal_s_name_and_notes_may_still_be_put_right(world: World) -> None:
    am = world.as_(AM)
    notes = {"version": _version(am), "name": "Smart wards", "description": "Signed on site"}
    saved = am.mutate(UPDATE, {"id": DEAL, "i": notes})["opportunity"]
    assert (saved["name"], saved["description"], saved["amount"]) == (
        "Smart wards",
        "Signed on site",
        190_000_000,
    )
    # the same value sent back, as a form sends every field, changes nothing and is no rewrite
    form = {"version": saved["version"], "amount": 190_000_000, "description": "Signed"}
    assert am.mutate(UPDATE, {"id": DEAL, "i": form})["opportunity"]["description"] == "Signed"
    # the deal was won without the approvals of its gates (moved from another system): a note
    # written on it raises nothing it could still put right, as the sweep leaves it alone
    director = world.as_(DIRECTOR)
    assert director.data(OPEN_VIOLATIONS, {"id": DEAL})["violations"]["totalCount"] == 0


def test_no_delivery_review_is_recorded_on_a_won_deal(world: World) -> None:
    dm = world.as_("m-dm")
    review = {"feasible": False, "workloadPersonDays": 300}
    errors = dm.refused(REVIEW, {"id": DEAL, "i": review}, "CONFLICT")
    assert [e["message"] for e in errors] == [
        "The deal is won: no delivery review of the quote is recorded on a deal that is decided"
    ]


def test_an_administrator_may_still_correct_a_won_deal_s_record(world: World) -> None:
    admin = world.as_("admin")
    fixed = {"version": _version(admin), "amount": 180_000_000}
    assert admin.mutate(UPDATE, {"id": DEAL, "i": fixed})["opportunity"]["amount"] == 180_000_000
