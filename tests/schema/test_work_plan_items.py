"""Everyone's next steps across deals: ``workPlanItems`` lists the accepted work plan items of
the deals the caller may see, soonest due first, filtered by owner, deal and status. As
deployed: each person with their own login; the second deal made and planned by its account
manager through the API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, raw
from people import Person, add_person

from dealgraph.demo import load_demo
from domain.model import NodeKind
from graph.executor import Executor

ERR = "userErrors { field message code }"
DEMO = gid(NodeKind.OPPORTUNITY, "demo-opp-smart-hospital")
SOLUTION = gid(NodeKind.TEAM_MEMBER, "demo-tm-solution")
ITEMS = """query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 50) { totalCount
  nodes { id version title dueDate status opportunity { name } target { name } owner { name } }
} }"""


@dataclass
class World:
    api: Api
    su: Person
    wu: Person
    wu_deal: str
    wu_item: str


def _create(api: Api, mutation: str, field: str, fields: dict[str, Any]) -> str:
    kind = f"{mutation[0].upper()}{mutation[1:]}Input"
    query = f"mutation($i: {kind}!) {{ {mutation}(input: $i) {{ {field} {{ id }} {ERR} }} }}"
    return str(api.mutate(query, {"i": fields})[field]["id"])


@pytest.fixture(scope="module")
def world(api_executor: Executor) -> Iterator[World]:
    """The demo deal, whose solution manager 苏婉清 owns its two items, and a second deal that
    its account manager Wu Lei made and planned himself."""
    with open_api(api_executor) as api:
        load_demo(api.store)
        member = _create(
            api, "teamMemberCreate", "teamMember", {"name": "Wu Lei", "role": "ACCOUNT_MANAGER"}
        )
        su = add_person(api.store, "su.wanqing", "solution_manager", "demo-tm-solution")
        wu = add_person(api.store, "wu.lei", "account_manager", raw(member))
        as_wu = api.as_(wu)
        bank = _create(as_wu, "customerCreate", "customer", {"name": "Metro Bank"})
        deal = _create(
            as_wu, "opportunityCreate", "opportunity", {"customerId": bank, "name": "Core banking"}
        )
        cio = _create(
            as_wu, "keyPersonCreate", "keyPerson", {"customerId": bank, "name": "Qian CIO"}
        )
        as_wu.mutate(
            f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
              opportunity {{ id }} {ERR} }} }}""",
            {"i": {"opportunityId": deal, "personId": cio, "role": "DECISION_MAKER"}},
        )
        plan = as_wu.data(
            """query($id: ID!) { node(id: $id) { ... on Opportunity {
              suggestedWorkPlan(limit: 1) { actionKey target { id } } } } }""",
            {"id": deal},
        )["node"]["suggestedWorkPlan"]
        item = as_wu.mutate(
            f"""mutation($i: SuggestionAcceptInput!) {{ workPlanSuggestionAccept(input: $i) {{
              workPlanItem {{ id }} {ERR} }} }}""",
            {
                "i": {
                    "opportunityId": deal,
                    "actionKey": plan[0]["actionKey"],
                    "targetPersonId": plan[0]["target"]["id"],
                }
            },
        )["workPlanItem"]["id"]
        yield World(api, su, wu, deal, str(item))


def _items(api: Api, **conditions: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.data(ITEMS, {"f": conditions or None})["workPlanItems"]
    return result


def test_a_member_sees_their_next_steps_across_deals_soonest_first(world: World) -> None:
    mine = _items(world.api.as_(world.su), ownerId=SOLUTION)
    assert mine["totalCount"] == 2
    first, second = mine["nodes"]
    assert first["title"].startswith("提交POC正式报告")
    assert second["title"].startswith("制定两个病区")
    assert first["dueDate"] < second["dueDate"]
    assert (first["target"]["name"], first["owner"]["name"]) == ("陈志远", "苏婉清")
    assert first["opportunity"]["name"].startswith("智慧医院一体化平台")


def test_each_login_sees_the_items_of_its_own_deals_only(world: World) -> None:
    wu = _items(world.api.as_(world.wu))
    assert [(n["id"], n["opportunity"]["name"]) for n in wu["nodes"]] == [
        (world.wu_item, "Core banking")
    ]
    assert wu["totalCount"] == 1
    su = _items(world.api.as_(world.su))
    assert {n["opportunity"]["name"][:4] for n in su["nodes"]} == {"智慧医院"}
    everyone = _items(world.api)
    assert everyone["totalCount"] == 3
    dates = [n["dueDate"] for n in everyone["nodes"]]
    assert dates == sorted(dates)
    assert _items(world.api, opportunityId=world.wu_deal)["totalCount"] == 1


def test_a_recorded_result_takes_the_item_out_of_the_open_ones(world: World) -> None:
    su = world.api.as_(world.su)
    item = _items(su, ownerId=SOLUTION)["nodes"][0]
    su.mutate(
        f"""mutation($id: ID!, $i: WorkPlanResultInput!) {{
          workPlanItemResultRecord(id: $id, input: $i) {{ workPlanItem {{ status }} {ERR} }} }}""",
        {
            "id": item["id"],
            "i": {
                "version": item["version"],
                "type": "TECHNICAL_EXCHANGE",
                "outcome": "POSITIVE",
                "summary": "POC report handed over; sign-off promised for Friday",
            },
        },
    )
    still_open = _items(su, ownerId=SOLUTION, statuses=["OPEN"])
    assert [n["title"][:6] for n in still_open["nodes"]] == ["制定两个病区"]
    done = _items(su, statuses=["DONE"])
    assert [n["id"] for n in done["nodes"]] == [item["id"]]


def test_a_filter_id_of_another_kind_is_refused_on_its_field(world: World) -> None:
    query = "query($f: WorkPlanItemFilter) { workPlanItems(filter: $f) { totalCount } }"
    world.api.top_error(query, {"f": {"ownerId": DEMO}}, "BAD_USER_INPUT", contains="ownerId")
    world.api.top_error(query, {"f": {"statuses": ["SOMEDAY"]}}, "BAD_USER_INPUT")


def test_an_item_says_what_kind_of_contact_its_play_is(world: World) -> None:
    """A result is recorded as the contact the step was (a technical exchange, not a visit):
    the item names its play's kind so that a form can start there."""
    query = """query($id: ID!) { node(id: $id) { ... on WorkPlanItem { action activityType } } }"""
    wu = world.api.as_(world.wu).data(query, {"id": world.wu_item})["node"]
    kinds = {"executive_visit": "EXECUTIVE_VISIT", "relationship_visit": "VISIT"}
    kinds |= {"warm_introduction": "MEETING", "reference_visit": "REFERENCE_VISIT"}
    assert wu["activityType"] == kinds[wu["action"]]
    mine = world.api.as_(world.su).data(
        "{ workPlanItems(first: 5) { nodes { title activityType } } }"
    )["workPlanItems"]["nodes"]
    assert {n["title"][:6]: n["activityType"] for n in mine} == {
        "提交POC正式报告"[:6]: "TECHNICAL_EXCHANGE",
        "制定两个病区": "DEMO",
    }


RECORD = f"""mutation($id: ID!, $i: WorkPlanResultInput!) {{
  workPlanItemResultRecord(id: $id, input: $i) {{
    workPlanItem {{ status resultActivity {{ doneBy {{ name }} }} }} {ERR} }} }}"""


def test_a_result_names_who_of_ours_took_part_not_who_typed_it(world: World) -> None:
    """A sales leader: the delivery manager types in the result of a meeting the solution
    manager held with the account manager beside her; the contact history names the two who
    were there, not the one at the keyboard, and never someone who was not there. Left out,
    who took part is the step's owner; a team member who does not exist is refused at its
    field and nothing is written."""
    deng = world.api.as_(
        add_person(world.api.store, "deng.zhigang", "delivery_manager", "demo-tm-delivery")
    )
    (item,) = _items(deng, ownerId=SOLUTION, statuses=["OPEN"])["nodes"]
    result = {"version": item["version"], "type": "MEETING", "outcome": "POSITIVE", "summary": "x"}
    nobody = {**result, "memberIds": [gid(NodeKind.TEAM_MEMBER, "nobody")]}
    deng.refused(RECORD, {"id": item["id"], "i": nobody}, "NOT_FOUND", ["input", "memberIds", "0"])

    both = [SOLUTION, gid(NodeKind.TEAM_MEMBER, "demo-tm-account")]
    done = deng.mutate(RECORD, {"id": item["id"], "i": {**result, "memberIds": both}})
    assert done["workPlanItem"]["status"] == "DONE"
    took_part = {m["name"] for m in done["workPlanItem"]["resultActivity"]["doneBy"]}
    assert took_part == {"苏婉清", "李明轩"}

    wu = world.api.as_(world.wu)
    (own,) = _items(wu, statuses=["OPEN"])["nodes"]
    left_out = wu.mutate(RECORD, {"id": own["id"], "i": {**result, "version": own["version"]}})
    assert left_out["workPlanItem"]["resultActivity"]["doneBy"] == [{"name": "Wu Lei"}]
