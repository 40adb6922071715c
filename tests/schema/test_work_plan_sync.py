"""A mobile client's "my work" over the API: what is due by a day, and what changed since it
last read its copy, each in one request, with the logins of the deal's own team."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api, Json, gid, open_api
from people import Person, add_person

from dealgraph.demo import load_demo
from domain.model import NodeKind
from graph.executor import Executor

ERR = "userErrors { field message code }"
DEMO = gid(NodeKind.OPPORTUNITY, "demo-opp-smart-hospital")
ITEMS = """query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 50) { totalCount
  nodes { id version dueDate status } } }"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        load_demo(client.store)
        yield client


@pytest.fixture(scope="module")
def solution_manager(api: Api) -> Person:
    return add_person(api.store, "su.wanqing", "solution_manager", "demo-tm-solution")


@pytest.fixture(scope="module")
def account_manager(api: Api) -> Person:
    return add_person(api.store, "li.mingxuan", "account_manager", "demo-tm-account")


def _items(api: Api, **conditions: Any) -> Json:
    result: Json = api.data(ITEMS, {"f": conditions or None})["workPlanItems"]
    return result


def test_what_is_due_by_a_day_comes_in_one_request(api: Api, solution_manager: Person) -> None:
    """Due by a day, the overdue included; an item with no due date is not due by any day."""
    su = api.as_(solution_manager)
    dated = sorted(n["dueDate"] for n in _items(su)["nodes"] if n["dueDate"])
    assert len(dated) == 2, "the demo's solution manager owns two dated steps"
    assert [n["dueDate"] for n in _items(su, dueBy=dated[0])["nodes"]] == dated[:1]
    assert [n["dueDate"] for n in _items(su, dueBy=dated[1])["nodes"]] == dated
    assert _items(su, dueBy="2000-01-01")["totalCount"] == 0


def test_only_what_changed_since_the_last_read_comes_back(
    api: Api, account_manager: Person, solution_manager: Person
) -> None:
    """Syncing, a client reads only the items changed since its last read: a step the account
    manager just took on and moved, not the whole list again."""
    li = api.as_(account_manager)
    synced = datetime.now(UTC).isoformat()
    assert _items(li, changedSince=synced)["totalCount"] == 0
    plan = li.data(
        """query($id: ID!) { node(id: $id) { ... on Opportunity {
          suggestedWorkPlan(limit: 1) { actionKey target { id } } } } }""",
        {"id": DEMO},
    )["node"]["suggestedWorkPlan"][0]
    target = plan["target"]["id"] if plan["target"] else None
    accepted = li.mutate(
        f"""mutation($i: SuggestionAcceptInput!) {{ workPlanSuggestionAccept(input: $i) {{
          workPlanItem {{ id version }} {ERR} }} }}""",
        {"i": {"opportunityId": DEMO, "actionKey": plan["actionKey"], "targetPersonId": target}},
    )["workPlanItem"]
    later = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    li.mutate(
        f"""mutation($id: ID!, $i: WorkPlanItemUpdateInput!) {{
          workPlanItemUpdate(id: $id, input: $i) {{ workPlanItem {{ id }} {ERR} }} }}""",
        {"id": accepted["id"], "i": {"version": accepted["version"], "dueDate": later}},
    )
    changed = _items(li, changedSince=synced)["nodes"]
    assert [(n["id"], n["dueDate"]) for n in changed] == [(accepted["id"], later)]
    su = api.as_(solution_manager)
    owned = {"ownerId": gid(NodeKind.TEAM_MEMBER, "demo-tm-solution")}
    assert _items(su, changedSince=synced, **owned)["totalCount"] == 0, "none of hers changed"


@pytest.mark.parametrize("day", ["15/01/2027", "2027-02-30", "next friday"])
def test_a_due_day_written_otherwise_is_refused_on_its_field(
    api: Api, solution_manager: Person, day: str
) -> None:
    query = "query($f: WorkPlanItemFilter) { workPlanItems(filter: $f) { totalCount } }"
    api.as_(solution_manager).top_error(
        query, {"f": {"dueBy": day}}, "BAD_USER_INPUT", contains="filter.dueBy"
    )
