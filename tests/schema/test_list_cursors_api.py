"""Paging through lists sorted by a stage (its place in the sales process) or by a date that
may be missing (after every date): forwards with first/after and backwards with last/before,
in both directions, every item comes once and in order. As deployed: an account manager's
login reads the deals and next steps of the team he is on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, raw
from people import add_person

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph.executor import Executor
from graph.workplans import accept_suggestion

K = NodeKind
STAGES = ["NEGOTIATION", "LOST", "VALIDATE", "BIDDING", "WON", "VALIDATE", "REQUIREMENTS"]
CLOSES = ["2027-03-01", None, "2026-12-20", None, "2027-01-15", "2026-12-20", None]
DUES = ["2026-05-02", None, "2026-04-01", None, "2026-05-02", None, "2026-03-15"]


@dataclass
class World:
    api: Api
    deals: dict[str, dict[str, Any]]
    items: dict[str, str | None]


@pytest.fixture(scope="module")
def world(api_executor: Executor) -> Iterator[World]:
    """Seven deals of one account manager, stages repeating and some without a close date, and
    seven next steps on the first deal, some without a due date."""
    with open_api(api_executor) as api:
        store = api.store
        store.create(K.CUSTOMER, {"name": "Metro Bank"}, node_id="c1")
        store.create(K.TEAM_MEMBER, {"name": "Wu Lei", "role": "ACCOUNT_MANAGER"}, node_id="m1")
        deals: dict[str, dict[str, Any]] = {}
        for i, (stage, close) in enumerate(zip(STAGES, CLOSES, strict=True)):
            props = {"name": f"Deal {i}", "stage": stage, "expected_close_date": close}
            deals[f"o{i}"] = {k: v for k, v in props.items() if v is not None}
            store.create_opportunity("c1", deals[f"o{i}"], node_id=f"o{i}")
            store.set_edge(
                EdgeKind.ON_TEAM,
                (K.TEAM_MEMBER, "m1"),
                (K.OPPORTUNITY, f"o{i}"),
                {"role": "ACCOUNT_MANAGER"},
            )
        items: dict[str, str | None] = {}
        for i, due in enumerate(DUES):
            props = {"title": f"Step {i}", **({"due_date": due} if due else {})}
            item = accept_suggestion(
                store, opportunity_id="o0", person_id=None, owner_id="m1", props=props
            )
            assert item is not None
            items[item["id"]] = due
        wu = add_person(store, "wu.lei", "account_manager", "m1")
        yield World(api.as_(wu), deals, items)


def walk(api: Api, field: str, order: str, direction: str, backwards: bool) -> list[str]:
    """A whole list read two items at a time through its cursors, in reading order."""
    arg = "before" if backwards else "after"
    size = "last" if backwards else "first"
    query = f"""query($c: String) {{ {field}(orderBy: {order}, direction: {direction},
      {size}: 2, {arg}: $c) {{ totalCount
      pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} nodes {{ id }} }} }}"""
    seen: list[str] = []
    cursor = None
    while True:
        page = api.data(query, {"c": cursor})[field]
        got = [raw(n["id"]) for n in page["nodes"]]
        info = page["pageInfo"]
        if backwards:
            seen = got + seen
            more, cursor = info["hasPreviousPage"], info["startCursor"]
        else:
            seen += got
            more, cursor = info["hasNextPage"], info["endCursor"]
        assert len(seen) <= page["totalCount"], seen
        if not more:
            return seen


def process_order(deal_id: str, deals: dict[str, dict[str, Any]]) -> tuple[int, str]:
    return list(Stage).index(Stage(deals[deal_id]["stage"])), deal_id


def date_order(date: str | None, node_id: str) -> tuple[bool, str, str]:
    """Soonest first; without a date after every date."""
    return date is None, date or "", node_id


@pytest.mark.parametrize("backwards", [False, True], ids=["first-after", "last-before"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_deals_by_stage_page_in_the_process_order(
    world: World, direction: str, backwards: bool
) -> None:
    wanted = sorted(world.deals, key=lambda d: process_order(d, world.deals))
    seen = walk(world.api, "opportunities", "STAGE", direction, backwards)
    assert seen == (wanted if direction == "ASC" else wanted[::-1])


@pytest.mark.parametrize("backwards", [False, True], ids=["first-after", "last-before"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_deals_by_close_date_page_with_the_undated_after_every_date(
    world: World, direction: str, backwards: bool
) -> None:
    close = {d: p.get("expected_close_date") for d, p in world.deals.items()}
    wanted = sorted(close, key=lambda d: date_order(close[d], d))
    seen = walk(world.api, "opportunities", "EXPECTED_CLOSE_DATE", direction, backwards)
    assert seen == (wanted if direction == "ASC" else wanted[::-1])


@pytest.mark.parametrize("backwards", [False, True], ids=["first-after", "last-before"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_next_steps_by_due_date_page_with_the_undated_after_every_date(
    world: World, direction: str, backwards: bool
) -> None:
    wanted = sorted(world.items, key=lambda i: date_order(world.items[i], i))
    seen = walk(world.api, "workPlanItems", "DUE_DATE", direction, backwards)
    assert seen == (wanted if direction == "ASC" else wanted[::-1])


def test_the_deals_work_plan_lists_its_steps_as_next_steps_do(world: World) -> None:
    """The deal's own work plan and the list of next steps agree: soonest due first, the
    undated last."""
    plan = world.api.data(
        "query($id: ID!) { node(id: $id) { ... on Opportunity { workPlan { id } } } }",
        {"id": gid(K.OPPORTUNITY, "o0")},
    )["node"]["workPlan"]
    wanted = sorted(world.items, key=lambda i: date_order(world.items[i], i))
    assert [raw(w["id"]) for w in plan] == wanted
