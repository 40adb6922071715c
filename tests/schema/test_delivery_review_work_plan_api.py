"""The delivery manager's review as a work plan step, as deployed: the demo deal's delivery
manager 邓志刚 logs in with his own account, accepts "Delivery manager reviews the quote" and
records the review. The review closes the step in the same statement; the step cannot be
closed as a contact instead (that left the quote unreviewed while the step read done)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, snapshot
from people import Person, add_person

from dealgraph.demo import load_demo
from domain.model import NodeKind
from graph.executor import Executor

ERR = "userErrors { field message code }"
DEAL = gid(NodeKind.OPPORTUNITY, "demo-opp-smart-hospital")
PLAY = "delivery_quote_review"
FLAG = "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
ACCEPT = f"""mutation($i: SuggestionAcceptInput!) {{ workPlanSuggestionAccept(input: $i) {{
  workPlanItem {{ id version status }} {ERR} }} }}"""
RESULT = f"""mutation($id: ID!, $i: WorkPlanResultInput!) {{
  workPlanItemResultRecord(id: $id, input: $i) {{ workPlanItem {{ id status }} {ERR} }} }}"""
REVIEW = f"""mutation($id: ID!, $i: DeliveryReviewInput!) {{
  opportunityDeliveryReviewRecord(id: $id, input: $i) {{
    opportunity {{ deliveryReviewed }} {ERR} }} }}"""
ITEM = """query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status result version } } }"""
DEAL_STATE = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  deliveryReviewed analysis { redFlags { code } } suggestedWorkPlan(limit: 20) { actionKey }
} } }"""


@dataclass
class World:
    api: Api
    deng: Person
    li: Person


@pytest.fixture
def world(api_executor: Executor) -> Iterator[World]:
    """The demo deal with its delivery manager's and account manager's logins."""
    with open_api(api_executor) as api:
        load_demo(api.store)
        deng = add_person(api.store, "deng.zhigang", "delivery_manager", "demo-tm-delivery")
        li = add_person(api.store, "li.mingxuan", "account_manager", "demo-tm-account")
        yield World(api, deng, li)


def _accept(api: Api) -> dict[str, Any]:
    item: dict[str, Any] = api.mutate(ACCEPT, {"i": {"opportunityId": DEAL, "actionKey": PLAY}})[
        "workPlanItem"
    ]
    assert item["status"] == "OPEN"
    return item


def _deal(api: Api) -> dict[str, Any]:
    node: dict[str, Any] = api.data(DEAL_STATE, {"id": DEAL})["node"]
    return node


def test_recording_the_review_completes_the_review_step(world: World) -> None:
    deng = world.api.as_(world.deng)
    before = _deal(deng)
    assert FLAG in {f["code"] for f in before["analysis"]["redFlags"]}
    item = _accept(deng)
    reviewed = deng.mutate(
        REVIEW,
        {"id": DEAL, "i": {"feasible": True, "workloadPersonDays": 420, "comment": "两期交付"}},
    )
    assert reviewed["opportunity"]["deliveryReviewed"] is True
    done = deng.data(ITEM, {"id": item["id"]})["node"]
    assert done["status"] == "DONE"
    assert done["version"] == item["version"] + 1
    assert "420" in done["result"]
    assert "两期交付" in done["result"]
    assert "feasible" in done["result"].lower()
    after = _deal(deng)
    assert FLAG not in {f["code"] for f in after["analysis"]["redFlags"]}
    assert PLAY not in {s["actionKey"] for s in after["suggestedWorkPlan"]}
    # Nothing to accept a second time: the play is no longer suggested.
    again = deng.data(ACCEPT, {"i": {"opportunityId": DEAL, "actionKey": PLAY}})
    assert again["workPlanSuggestionAccept"]["userErrors"][0]["code"] == "NOT_FOUND"


def test_the_step_records_the_verdict_in_the_reviewers_language(world: World) -> None:
    deng = world.api.as_(world.deng)
    item = _accept(deng)
    sent = {"id": DEAL, "i": {"feasible": False, "comment": "人力不足"}}
    answer = deng.body(REVIEW, sent, headers=ZH)["data"]["opportunityDeliveryReviewRecord"]
    assert answer["userErrors"] == []
    result = deng.data(ITEM, {"id": item["id"]})["node"]["result"]
    assert result.startswith("交付评审：不可落地")
    assert "人力不足" in result


def test_a_refused_review_leaves_the_step_open(world: World) -> None:
    """Only the delivery manager reviews: the account manager's attempt writes nothing, so the
    step stays open too."""
    item = _accept(world.api.as_(world.deng))
    world.api.as_(world.li).refused(REVIEW, {"id": DEAL, "i": {"feasible": True}}, "FORBIDDEN", [])
    assert world.api.data(ITEM, {"id": item["id"]})["node"]["status"] == "OPEN"


def test_the_review_step_is_not_closed_as_a_contact(world: World) -> None:
    deng = world.api.as_(world.deng)
    item = _accept(deng)
    sent = {
        "id": item["id"],
        "i": {
            "version": item["version"],
            "type": "MEETING",
            "summary": "reviewed the quote",
            "outcome": "POSITIVE",
        },
    }
    (error,) = deng.refused(RESULT, sent, "BAD_USER_INPUT", ["id"])
    assert "delivery review" in error["message"]
    assert "feasib" in error["message"]
    assert "workload" in error["message"]
    before = snapshot(deng.store)
    zh = deng.body(RESULT, sent, headers=ZH)["data"]["workPlanItemResultRecord"]
    assert snapshot(deng.store) == before
    (in_zh,) = zh["userErrors"]
    assert in_zh["field"] == ["id"]
    assert "交付评审" in in_zh["message"]
    assert "您" in in_zh["message"]
    assert "，" in in_zh["message"]
    assert "," not in in_zh["message"]
    assert _deal(deng)["deliveryReviewed"] is False


def test_the_review_step_is_owned_by_the_deals_delivery_manager_only(world: World) -> None:
    """Given to the account manager, the step would wait in his list, overdue, for good: only
    the delivery manager records the review that closes it. The refusal names who may own it."""
    li = world.api.as_(world.li)
    owner = gid(NodeKind.TEAM_MEMBER, "demo-tm-account")
    sent = {"i": {"opportunityId": DEAL, "actionKey": PLAY, "ownerId": owner}}
    refused = li.body(ACCEPT, sent, headers=ZH)["data"]["workPlanSuggestionAccept"]
    assert refused["workPlanItem"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "ownerId"],
            "message": "交付评审由本商机的交付经理（邓志刚）负责：请将其设为负责人",
            "code": "BAD_USER_INPUT",
        }
    ]
    given = {"ownerId": gid(NodeKind.TEAM_MEMBER, "demo-tm-delivery")}
    accepted = li.mutate(ACCEPT, {"i": sent["i"] | given})["workPlanItem"]
    assert accepted["status"] == "OPEN"


def test_the_review_step_is_not_given_away_later_either(world: World) -> None:
    """Taken on by its delivery manager, the step is not handed to the account manager by a
    later change of the plan: the same refusal as when it is accepted, and nothing written."""
    li = world.api.as_(world.li)
    item = _accept(world.api.as_(world.deng))
    change = f"""mutation($id: ID!, $i: WorkPlanItemUpdateInput!) {{
      workPlanItemUpdate(id: $id, input: $i) {{ workPlanItem {{ id }} {ERR} }} }}"""
    owner = gid(NodeKind.TEAM_MEMBER, "demo-tm-account")
    variables = {"id": item["id"], "i": {"version": item["version"], "ownerId": owner}}
    (error,) = li.refused(change, variables, "BAD_USER_INPUT", ["input", "ownerId"])
    assert error["message"] == (
        "the delivery review is recorded by the deal's delivery manager (邓志刚): "
        "make them its owner"
    )


REFUSED_DEAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  version quoteAmount deliveryReviewed deliveryInfeasible
  analysis { redFlags { code text } }
  assessment { worthIt { reasons { factor points text } } }
  suggestedWorkPlan(limit: 20) { actionKey owner { name } rationale }
} } }"""
UPDATE = f"""mutation($id: ID!, $i: OpportunityUpdateInput!) {{
  opportunityUpdate(id: $id, input: $i) {{ opportunity {{ version quoteAmount }} {ERR} }} }}"""
REWORK = "quote_rework"


def test_a_review_that_says_not_deliverable_hands_the_rework_to_the_account_manager(
    world: World,
) -> None:
    """A sales director, before the engine was asked: once the delivery manager records that
    the quote cannot be delivered, asking him again is asking the wrong person. The account
    manager reworks scope or price (with the solution and delivery managers), the review
    follows; the verdict weighs more than a review not yet done. Each with their own login:
    邓志刚 says no, 李明轩 takes the rework, re-cuts the quote, and 邓志刚's next review closes
    the rework step."""
    deng, li = world.api.as_(world.deng), world.api.as_(world.li)
    said = {"feasible": False, "workloadPersonDays": 5400, "comment": "建议分期"}
    assert deng.mutate(REVIEW, {"id": DEAL, "i": said})["opportunity"]["deliveryReviewed"] is False

    deal = li.body(REFUSED_DEAL, {"id": DEAL}, headers=ZH)["data"]["node"]
    assert (deal["deliveryReviewed"], deal["deliveryInfeasible"]) == (False, True)
    flags = {f["code"]: f["text"] for f in deal["analysis"]["redFlags"]}
    assert FLAG not in flags
    assert flags["DELIVERY_NOT_FEASIBLE"] == "交付经理评审认为按当前报价不可落地"
    worth = {r["factor"]: r for r in deal["assessment"]["worthIt"]["reasons"]}
    assert worth["delivery_review"]["points"] == -20
    assert worth["delivery_review"]["text"].startswith("交付经理评审认为按当前报价不可落地")
    plan = {s["actionKey"]: s for s in deal["suggestedWorkPlan"]}
    assert PLAY not in plan
    assert plan[REWORK]["owner"]["name"] == "李明轩"
    assert plan[REWORK]["rationale"].startswith("交付经理评审认为当前报价（草稿）不可落地")

    # the rework is done by the next review, not closed as a contact
    item = li.mutate(ACCEPT, {"i": {"opportunityId": DEAL, "actionKey": REWORK}})["workPlanItem"]
    closing = {
        "id": item["id"],
        "i": {
            "version": item["version"],
            "type": "MEETING",
            "summary": "已分期",
            "outcome": "POSITIVE",
        },
    }
    before = snapshot(li.store)
    (refusal,) = li.body(RESULT, closing, headers=ZH)["data"]["workPlanItemResultRecord"][
        "userErrors"
    ]
    assert refusal["message"].startswith("此事项在交付经理重新评审调整后的报价时完成")
    assert snapshot(li.store) == before

    # a re-cut quote is a new quote: its review is owed again, by the delivery manager, and
    # stays owed when the amount goes back to the one refused (the scope may have changed)
    refused_amount = deal["quoteAmount"]
    for amount in (3_980_000_000, refused_amount):
        version = li.data(REFUSED_DEAL, {"id": DEAL})["node"]["version"]
        recut = {"id": DEAL, "i": {"version": version, "quoteAmount": amount}}
        assert li.mutate(UPDATE, recut)["opportunity"]["quoteAmount"] == amount
        again = li.data(REFUSED_DEAL, {"id": DEAL})["node"]
        assert again["deliveryInfeasible"] is False
        assert FLAG in {f["code"] for f in again["analysis"]["redFlags"]}
        keys = {s["actionKey"] for s in again["suggestedWorkPlan"]}
        assert PLAY in keys
        assert REWORK not in keys

    # only 邓志刚 records it, and the refusal says so by name
    (not_his,) = li.body(REVIEW, {"id": DEAL, "i": {"feasible": True}}, headers=ZH)["data"][
        "opportunityDeliveryReviewRecord"
    ]["userErrors"]
    assert not_his["message"] == "只有本商机团队的交付经理（邓志刚）可以记录交付评审"
    reviewed = deng.mutate(
        REVIEW, {"id": DEAL, "i": {"feasible": True, "workloadPersonDays": 3900}}
    )
    assert reviewed["opportunity"]["deliveryReviewed"] is True
    done = li.data(ITEM, {"id": item["id"]})["node"]
    assert done["status"] == "DONE"
    assert "3900" in done["result"]
