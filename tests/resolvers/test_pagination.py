"""Cursor pagination over HTTP: walking a 250-item connection page by page, forwards and
backwards, returns every item exactly once and in order; bad page requests are refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, raw

from domain.model import NodeKind
from graph.executor import Executor
from graph.store import GraphStore

TOTAL = 250
CUSTOMER = gid(NodeKind.CUSTOMER, "c")


def seed(store: GraphStore) -> None:
    """250 opportunities of one customer; amounts repeat (ties break on id), names do not."""
    store.create(NodeKind.CUSTOMER, {"name": "Only customer"}, node_id="c")
    for n in range(TOTAL):
        props: dict[str, Any] = {"name": f"Deal {(n * 37) % TOTAL:03d}"}
        if n % 10:
            props["amount"] = (n % 7) * 1_000_000  # many equal amounts; every tenth has none
        store.create_opportunity("c", props, node_id=f"o{n:03d}")


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        seed(client.store)
        yield client


PAGE = """query($first: Int, $after: String, $last: Int, $before: String,
                 $order: OpportunityOrderField!, $dir: Direction!) {
    opportunities(first: $first, after: $after, last: $last, before: $before,
                  orderBy: $order, direction: $dir) {
        totalCount
        edges { cursor node { id name amount } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


def expected(api: Api, order: str, descending: bool) -> list[str]:
    """The full order computed from the stored data: (sort key, id), missing amounts first."""
    nodes = api.store.list_page(NodeKind.OPPORTUNITY, limit=1000).items
    assert len(nodes) == TOTAL

    def key(node: dict[str, Any]) -> tuple[Any, str]:
        value = node.get(order)
        if value is None:
            value = -1 if order == "amount" else ""
        return value, str(node["id"])

    return [str(n["id"]) for n in sorted(nodes, key=key, reverse=descending)]


def walk_forwards(api: Api, order: str, direction: str, size: int) -> list[str]:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        variables = {"first": size, "after": after, "order": order, "dir": direction}
        page = api.data(PAGE, variables)["opportunities"]
        assert page["totalCount"] == TOTAL
        seen += [raw(e["node"]["id"]) for e in page["edges"]]
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        pages += 1
        if not info["hasNextPage"]:
            break
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        after = info["endCursor"]
    assert pages == -(-TOTAL // size)
    return seen


def walk_backwards(api: Api, order: str, direction: str, size: int) -> list[str]:
    seen: list[str] = []
    before = None
    while True:
        variables = {"last": size, "before": before, "order": order, "dir": direction}
        page = api.data(PAGE, variables)["opportunities"]
        seen = [raw(e["node"]["id"]) for e in page["edges"]] + seen
        info = page["pageInfo"]
        assert info["hasNextPage"] is (before is not None)
        if not info["hasPreviousPage"]:
            break
        before = info["startCursor"]
    return seen


@pytest.mark.parametrize(
    ("order", "field", "direction"),
    [("NAME", "name", "ASC"), ("AMOUNT", "amount", "ASC"), ("AMOUNT", "amount", "DESC")],
)
@pytest.mark.parametrize("size", [100, 33])
def test_walking_forwards_returns_every_item_once_in_order(
    api: Api, order: str, field: str, direction: str, size: int
) -> None:
    seen = walk_forwards(api, order, direction, size)
    assert len(seen) == len(set(seen)) == TOTAL
    assert seen == expected(api, field, direction == "DESC")


@pytest.mark.parametrize(
    ("order", "field", "direction"), [("NAME", "name", "ASC"), ("AMOUNT", "amount", "DESC")]
)
def test_walking_backwards_returns_every_item_once_in_order(
    api: Api, order: str, field: str, direction: str
) -> None:
    seen = walk_backwards(api, order, direction, 40)
    assert len(seen) == len(set(seen)) == TOTAL
    assert seen == expected(api, field, direction == "DESC")


def test_a_page_starts_right_after_its_cursor_even_when_items_come_and_go(api: Api) -> None:
    first = api.data(PAGE, {"first": 10, "order": "NAME", "dir": "ASC"})["opportunities"]
    cursor = first["pageInfo"]["endCursor"]
    last_seen = first["edges"][-1]["node"]["name"]
    api.store.create_opportunity("c", {"name": "Deal 000a"}, node_id="late")  # sorts before
    try:
        page = api.data(PAGE, {"first": 5, "after": cursor, "order": "NAME", "dir": "ASC"})
        names = [e["node"]["name"] for e in page["opportunities"]["edges"]]
        assert all(name > last_seen for name in names)
        assert len(names) == 5
    finally:
        api.store.delete(NodeKind.OPPORTUNITY, "late")


def newest_first(api: Api) -> list[str]:
    """The customer's opportunities newest first from the stored data (ties break on id)."""
    nodes = api.store.list_page(NodeKind.OPPORTUNITY, limit=1000).items
    ordered = sorted(nodes, key=lambda n: (n["created_at"], str(n["id"])), reverse=True)
    return [str(n["id"]) for n in ordered]


NESTED = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    node(id: $id) { ... on Customer {
        opportunities(first: $first, after: $after, last: $last, before: $before) {
            totalCount nodes { id }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""


def test_a_customers_opportunities_walk_newest_first_every_item_once(api: Api) -> None:
    seen: list[str] = []
    after = None
    while True:
        variables = {"id": CUSTOMER, "first": 60, "after": after}
        page = api.data(NESTED, variables)["node"]["opportunities"]
        assert page["totalCount"] == TOTAL
        seen += [raw(n["id"]) for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == newest_first(api)


def test_a_customers_opportunities_walk_backwards_oldest_last(api: Api) -> None:
    seen: list[str] = []
    before = None
    while True:
        variables = {"id": CUSTOMER, "last": 70, "before": before}
        page = api.data(NESTED, variables)["node"]["opportunities"]
        seen = [raw(n["id"]) for n in page["nodes"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == newest_first(api)


def test_a_new_opportunity_heads_its_customers_list(api: Api) -> None:
    api.store.create_opportunity("c", {"name": "Zeta renewal"}, node_id="newest")
    try:
        page = api.data(NESTED, {"id": CUSTOMER, "first": 1})["node"]["opportunities"]
        assert [raw(n["id"]) for n in page["nodes"]] == ["newest"]
    finally:
        api.store.delete(NodeKind.OPPORTUNITY, "newest")


@pytest.mark.parametrize(
    ("arguments", "contains"),
    [
        ("first: 101", "first"),
        ("last: 500", "last"),
        ("first: -1", "first"),
        ("first: 5, last: 5", "either"),
        ('after: "garbage"', "after"),
        ('before: "eyJub3QiOiJhIGN1cnNvciJ9"', "before"),
        ('after: "WzEsMl0="', "after"),
    ],
    ids=["first>100", "last>100", "negative", "both", "garbage", "json-not-cursor", "int-id"],
)
def test_bad_page_requests_are_refused(api: Api, arguments: str, contains: str) -> None:
    error = api.top_error(
        f"{{ opportunities({arguments}) {{ totalCount }} }}",
        None,
        "BAD_USER_INPUT",
        contains=contains,
    )
    assert error["path"] == ["opportunities"]


def cursor_of(api: Api, root: str, order: str = "NAME", direction: str = "ASC") -> str:
    arguments = f"first: 2, orderBy: {order}, direction: {direction}"
    query = f"{{ {root}({arguments}) {{ pageInfo {{ endCursor }} }} }}"
    cursor: str = api.data(query)[root]["pageInfo"]["endCursor"]
    return cursor


@pytest.mark.parametrize(
    ("made_by", "used_with"),
    [
        (("opportunities", "AMOUNT", "ASC"), ("opportunities", "NAME", "ASC")),
        (("opportunities", "NAME", "ASC"), ("opportunities", "NAME", "DESC")),
        (("opportunities", "NAME", "ASC"), ("keyPersons", "NAME", "ASC")),
        (("customers", "NAME", "ASC"), ("competitors", "NAME", "ASC")),
    ],
    ids=["other-order", "other-direction", "other-list", "other-kind"],
)
@pytest.mark.parametrize("argument", ["after", "before"])
def test_a_cursor_is_refused_by_any_list_or_order_it_was_not_made_for(
    api: Api, made_by: tuple[str, str, str], used_with: tuple[str, str, str], argument: str
) -> None:
    cursor = cursor_of(api, *made_by)
    root, order, direction = used_with
    error = api.top_error(
        f"query($c: String) {{ {root}({argument}: $c, orderBy: {order}, direction: {direction})"
        " { totalCount } }",
        {"c": cursor},
        "BAD_USER_INPUT",
        contains="another list",
    )
    assert error["path"] == [root]
    assert argument in error["message"]


@pytest.mark.parametrize(
    ("language", "field", "expected"),
    [
        ("zh-CN,zh;q=0.9", "after：", "另一个列表"),
        ("en-GB", "after: ", "another list"),
        ("", "after: ", "another list"),
    ],
)
def test_a_misused_cursor_is_refused_in_the_requests_language(
    api: Api, language: str, field: str, expected: str
) -> None:
    cursor = cursor_of(api, "opportunities", "AMOUNT", "ASC")
    body = api.body(
        "query($c: String) { opportunities(after: $c, orderBy: NAME) { totalCount } }",
        {"c": cursor},
        headers={"Accept-Language": language} if language else None,
    )
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(field)
    assert expected in error["message"]
    assert body["data"] == {"opportunities": None}


def test_page_size_refusals_speak_chinese_too(api: Api) -> None:
    body = api.body(
        "{ opportunities(first: 500) { totalCount } }", headers={"Accept-Language": "zh-CN"}
    )
    assert "须在 0 到 100 之间" in body["errors"][0]["message"]


def test_a_cursor_still_works_for_its_own_list_and_order(api: Api) -> None:
    cursor = cursor_of(api, "opportunities", "AMOUNT", "DESC")
    query = """query($c: String) { opportunities(after: $c, first: 3, orderBy: AMOUNT,
        direction: DESC) { edges { node { id } } } }"""
    assert len(api.data(query, {"c": cursor})["opportunities"]["edges"]) == 3


def test_a_nested_connection_refuses_a_cursor_of_a_top_level_list(api: Api) -> None:
    cursor = cursor_of(api, "opportunities")
    api.top_error(
        """query($id: ID!, $c: String) { node(id: $id) { ... on Customer {
            opportunities(after: $c) { totalCount } } } }""",
        {"id": CUSTOMER, "c": cursor},
        "BAD_USER_INPUT",
        contains="another list",
    )


def test_a_nested_connection_refuses_oversize_pages_too(api: Api) -> None:
    api.top_error(
        "query($id: ID!) { node(id: $id) { ... on Customer {"
        " opportunities(first: 101) { totalCount } } } }",
        {"id": CUSTOMER},
        "BAD_USER_INPUT",
        contains="first",
    )


def made_cursor(made_for: str, key: object, node_id: str) -> str:
    """A cursor as the API writes them (the list and order it is for, sort key, id)."""
    text = json.dumps([made_for, key, node_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("argument", ["after", "before"])
def test_a_cursor_of_the_stages_from_a_to_z_is_refused_not_an_empty_page(
    api: Api, argument: str
) -> None:
    """Stages once sorted from A to Z, their cursors keyed by a stage's code; they now sort in
    the sales process's order, keyed by its place: such a cursor would page on from nowhere."""
    old = made_cursor("Opportunity:stage:ASC", "BIDDING", "o100")
    error = api.top_error(
        f"query($c: String) {{ opportunities({argument}: $c, orderBy: STAGE) {{ totalCount }} }}",
        {"c": old},
        "BAD_USER_INPUT",
        contains="another list",
    )
    assert argument in error["message"]


def test_a_nested_connection_refuses_a_cursor_keyed_by_text_where_it_sorts_by_time(
    api: Api,
) -> None:
    made_up = made_cursor("Customer.opportunities:created_at:DESC", "yesterday", "o100")
    api.top_error(
        """query($id: ID!, $c: String) { node(id: $id) { ... on Customer {
            opportunities(after: $c) { totalCount } } } }""",
        {"id": CUSTOMER, "c": made_up},
        "BAD_USER_INPUT",
        contains="another list",
    )
