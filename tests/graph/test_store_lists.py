"""Lists: every filter of every kind, sorting in both directions, and keyset pagination that
returns every item exactly once, in order."""

from __future__ import annotations

from typing import Any

import pytest
from store_support import Factory, refused

from domain.errors import ErrorCode
from domain.model import EdgeKind, NodeKind
from graph.store import LIST_FILTER_KEYS, GraphStore, Node, sort_key


@pytest.fixture
def make(store: GraphStore) -> Factory:
    return Factory(store)


def ids(store: GraphStore, kind: NodeKind, **filters: Any) -> list[str]:
    page = store.list_page(kind, filters=filters, limit=1000)
    assert page.total == len(page.items)
    return sorted(n["id"] for n in page.items)


def walk(store: GraphStore, kind: NodeKind, sort: str, descending: bool, limit: int) -> list[Node]:
    """Read a whole list page by page through keyset cursors."""
    seen: list[Node] = []
    after: tuple[object, str] | None = None
    while True:
        start = store.round_trips
        page = store.list_page(kind, sort=sort, descending=descending, after=after, limit=limit)
        assert store.round_trips - start == 1
        seen += page.items
        if len(page.items) < limit:
            return seen
        last = page.items[-1]
        after = (sort_key(kind, sort, last), last["id"])


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", ["employees", "name", "id"])
def test_keyset_walk_returns_each_item_once_in_order(
    store: GraphStore, sort: str, descending: bool
) -> None:
    # 250 customers; names and sizes repeat and some sizes are missing, so the id breaks ties
    for i in range(250):
        props: dict[str, Any] = {"name": f"Customer {i % 37:02d}"}
        if i % 5:
            props["employees"] = (i * 7919) % 60
        store.create(NodeKind.CUSTOMER, props, node_id=f"c{i:03d}")
    seen = walk(store, NodeKind.CUSTOMER, sort, descending, limit=17)
    got = [n["id"] for n in seen]
    assert len(got) == 250
    assert len(set(got)) == 250
    keys = [(sort_key(NodeKind.CUSTOMER, sort, n), n["id"]) for n in seen]
    assert keys == sorted(keys, reverse=descending)
    assert store.list_page(NodeKind.CUSTOMER, limit=3).total == 250


def test_page_size_and_empty_pages(store: GraphStore, make: Factory) -> None:
    for i in range(5):
        make.customer(f"c{i}")
    assert [n["id"] for n in store.list_page(NodeKind.CUSTOMER, limit=2).items] == ["c0", "c1"]
    assert store.list_page(NodeKind.CUSTOMER, limit=0).items == []
    last = store.list_page(NodeKind.CUSTOMER, after=("c4", "c4"), sort="id", limit=5)
    assert last.items == []
    assert last.total == 5


def test_list_refuses_unknown_sort_and_filters(store: GraphStore) -> None:
    with refused(store, ErrorCode.BAD_USER_INPUT, "orderBy"):
        store.list_page(NodeKind.CUSTOMER, sort="password")
    with refused(store, ErrorCode.BAD_USER_INPUT, "filter", contains="colour"):
        store.list_page(NodeKind.CUSTOMER, filters={"colour": "red"})
    with refused(store, ErrorCode.BAD_USER_INPUT, "filter.opportunityId"):
        store.list_page(NodeKind.KEY_PERSON, filters={"role": "USER"})


@pytest.fixture
def market(store: GraphStore, make: Factory) -> GraphStore:
    """Two customers with people, deals, our team, activities, plans and approvals."""
    make.customer("c1", name="Beijing Hospital", industry="Health", region="North")
    make.customer("c2", name="Shanghai Bank", industry="Finance", region="East")
    store.create_key_person("c1", {"name": "Li Wei"}, {"department": "IT"}, node_id="p1")
    store.create_key_person("c1", {"name": "Wang Fang"}, {"department": "Finance"}, node_id="p2")
    store.create_key_person("c2", {"name": "Liu Yang"}, {"department": "IT"}, node_id="p3")
    make.opportunity("c1", "o1", name="HIS upgrade", stage="BIDDING", grade="A", amount=500)
    make.opportunity("c1", "o2", name="PACS", stage="VALIDATE", grade="B", amount=50)
    make.opportunity("c2", "o3", name="Core banking", stage="BIDDING", grade="B", amount=900)
    store.create(NodeKind.COMPETITOR, {"name": "Rival Soft"}, node_id="x1")
    store.create(NodeKind.COMPETITOR, {"name": "Other Corp"}, node_id="x2")
    store.create(NodeKind.TEAM_MEMBER, {"name": "Zhang", "role": "ACCOUNT_MANAGER"}, node_id="m1")
    store.create(NodeKind.TEAM_MEMBER, {"name": "Zhou", "role": "DELIVERY_MANAGER"}, node_id="m2")
    kp, opp, tm = NodeKind.KEY_PERSON, NodeKind.OPPORTUNITY, NodeKind.TEAM_MEMBER
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (kp, "p1"),
        (opp, "o1"),
        {"role": "DECISION_MAKER", "attitude": "CHAMPION"},
    )
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, (kp, "p2"), (opp, "o1"), {"role": "FINANCE"})
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, (kp, "p2"), (opp, "o2"), {"role": "DECISION_MAKER"})
    store.set_edge(EdgeKind.ON_TEAM, (tm, "m1"), (opp, "o1"), {"role": "ACCOUNT_MANAGER"})
    store.set_edge(EdgeKind.ON_TEAM, (tm, "m2"), (opp, "o3"), {"role": "DELIVERY_MANAGER"})
    make.activity(
        ["p1"], "a1", member_ids=("m1",), opportunity_id="o1", type="DEMO", occurred_at=100
    )
    make.activity(["p2", "p1"], "a2", type="CALL", occurred_at=200)
    # a3 is planned (its time still to come): no result yet
    make.activity(["p3"], "a3", member_ids=("m2",), opportunity_id="o3", occurred_at=2 * 10**12)
    store.create(NodeKind.WORK_PLAN_ITEM, {"title": "Demo", "due_date": "2027-01-10"}, node_id="w1")
    store.create(NodeKind.WORK_PLAN_ITEM, {"title": "Quote", "status": "DONE"}, node_id="w2")
    store.set_edge(EdgeKind.PLANNED_FOR, (NodeKind.WORK_PLAN_ITEM, "w1"), (opp, "o1"))
    store.set_edge(EdgeKind.ASSIGNED_TO, (NodeKind.WORK_PLAN_ITEM, "w1"), (tm, "m1"))
    store.set_edge(EdgeKind.PLANNED_FOR, (NodeKind.WORK_PLAN_ITEM, "w2"), (opp, "o3"))
    store.create(NodeKind.APPROVAL, {"process": "2-1"}, node_id="v1")
    store.create(NodeKind.APPROVAL, {"process": "6-3", "state": "APPROVED"}, node_id="v2")
    store.set_edge(EdgeKind.REQUESTED_FOR, (NodeKind.APPROVAL, "v1"), (opp, "o1"))
    store.set_edge(EdgeKind.REQUESTED_FOR, (NodeKind.APPROVAL, "v2"), (opp, "o3"))
    return store


# (kind, filters, expected ids): every filter key of every kind appears at least once
FILTER_CASES: list[tuple[NodeKind, dict[str, Any], list[str]]] = [
    (NodeKind.CUSTOMER, {"name": "hospital"}, ["c1"]),
    # typed in an input method's full-width mode, with a space picked up at the end
    (NodeKind.CUSTOMER, {"name": "ＨＯＳＰＩＴＡＬ\u3000"}, ["c1"]),
    (NodeKind.CUSTOMER, {"industry": "Finance"}, ["c2"]),
    (NodeKind.CUSTOMER, {"region": "North"}, ["c1"]),
    (NodeKind.KEY_PERSON, {"name": "WEI"}, ["p1"]),
    (NodeKind.KEY_PERSON, {"customer_id": "c1"}, ["p1", "p2"]),
    (NodeKind.KEY_PERSON, {"department": "IT"}, ["p1", "p3"]),
    (NodeKind.KEY_PERSON, {"opportunity_id": "o1"}, ["p1", "p2"]),
    (NodeKind.KEY_PERSON, {"opportunity_id": "o1", "role": "FINANCE"}, ["p2"]),
    (NodeKind.KEY_PERSON, {"opportunity_id": "o1", "attitude": "CHAMPION"}, ["p1"]),
    (NodeKind.KEY_PERSON, {"opportunity_id": "o2", "role": "FINANCE"}, []),
    (NodeKind.COMPETITOR, {"name": "RIVAL"}, ["x1"]),
    (NodeKind.OPPORTUNITY, {"name": "his"}, ["o1"]),
    (NodeKind.OPPORTUNITY, {"stages": ["BIDDING"]}, ["o1", "o3"]),
    (NodeKind.OPPORTUNITY, {"grades": ["B"]}, ["o2", "o3"]),
    (NodeKind.OPPORTUNITY, {"customer_id": "c1"}, ["o1", "o2"]),
    (NodeKind.OPPORTUNITY, {"member_id": "m2"}, ["o3"]),
    (NodeKind.OPPORTUNITY, {"amount_min": 100}, ["o1", "o3"]),
    (NodeKind.OPPORTUNITY, {"amount_max": 500}, ["o1", "o2"]),
    (NodeKind.OPPORTUNITY, {"stages": ["BIDDING"], "customer_id": "c2"}, ["o3"]),
    (NodeKind.TEAM_MEMBER, {"name": "zh"}, ["m1", "m2"]),
    (NodeKind.TEAM_MEMBER, {"role": "DELIVERY_MANAGER"}, ["m2"]),
    (NodeKind.ACTIVITY, {"person_id": "p1"}, ["a1", "a2"]),
    (NodeKind.ACTIVITY, {"opportunity_id": "o1"}, ["a1"]),
    (NodeKind.ACTIVITY, {"member_id": "m2"}, ["a3"]),
    (NodeKind.ACTIVITY, {"types": ["DEMO", "CALL"]}, ["a1", "a2"]),
    (NodeKind.ACTIVITY, {"occurred_from": 200}, ["a2", "a3"]),
    (NodeKind.ACTIVITY, {"occurred_to": 200}, ["a1"]),
    (NodeKind.ACTIVITY, {"recorded": False}, ["a3"]),
    (NodeKind.ACTIVITY, {"recorded": True}, ["a1", "a2"]),
    (NodeKind.WORK_PLAN_ITEM, {"opportunity_id": "o1"}, ["w1"]),
    (NodeKind.WORK_PLAN_ITEM, {"member_id": "m1"}, ["w1"]),
    (NodeKind.WORK_PLAN_ITEM, {"statuses": ["DONE"]}, ["w2"]),
    # due by a day: on it or before; an item without a due date is due by no day
    (NodeKind.WORK_PLAN_ITEM, {"due_by": "2027-01-10"}, ["w1"]),
    (NodeKind.WORK_PLAN_ITEM, {"due_by": "2027-01-09"}, []),
    # changed since an instant (epoch ms): all since the epoch, none since a day to come
    (NodeKind.WORK_PLAN_ITEM, {"changed_since": 0}, ["w1", "w2"]),
    (NodeKind.WORK_PLAN_ITEM, {"changed_since": 4 * 10**12}, []),
    (NodeKind.APPROVAL, {"opportunity_id": "o3"}, ["v2"]),
    (NodeKind.APPROVAL, {"states": ["PENDING"]}, ["v1"]),
    (NodeKind.APPROVAL, {"process": "6-3"}, ["v2"]),
]


def test_filter_cases_cover_every_filter_key() -> None:
    covered = {(kind, key) for kind, filters, _ in FILTER_CASES for key in filters}
    assert covered == {(kind, key) for kind, keys in LIST_FILTER_KEYS.items() for key in keys}


@pytest.mark.parametrize(
    ("kind", "filters", "expected"),
    FILTER_CASES,
    ids=[f"{k.value}-{'-'.join(f)}" for k, f, _ in FILTER_CASES],
)
def test_filters(
    market: GraphStore, kind: NodeKind, filters: dict[str, Any], expected: list[str]
) -> None:
    assert ids(market, kind, **filters) == expected


def test_unfiltered_lists_hold_everything(market: GraphStore) -> None:
    assert ids(market, NodeKind.OPPORTUNITY) == ["o1", "o2", "o3"]
    assert ids(market, NodeKind.ACTIVITY) == ["a1", "a2", "a3"]


def test_sorting_by_a_field(market: GraphStore) -> None:
    by_amount = market.list_page(NodeKind.OPPORTUNITY, sort="amount", descending=True)
    assert [o["id"] for o in by_amount.items] == ["o3", "o1", "o2"]
    by_name = market.list_page(NodeKind.KEY_PERSON, sort="name")
    assert [p["name"] for p in by_name.items] == ["Li Wei", "Liu Yang", "Wang Fang"]
    newest = market.list_page(NodeKind.ACTIVITY, sort="occurred_at", descending=True, limit=1)
    assert [a["id"] for a in newest.items] == ["a3"]
    assert newest.total == 3


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_stages_sort_in_the_process_order_page_by_page(
    store: GraphStore, make: Factory, descending: bool
) -> None:
    # A to Z would put bidding before initiating and a lost deal among the open ones
    stages = ["NEGOTIATION", "LOST", "INITIATE", "BIDDING", "WON", "VALIDATE", "PROPOSAL"]
    customer = make.customer()["id"]
    for i, stage in enumerate(stages * 2):
        store.create_opportunity(customer, {"name": f"Deal {i:02d}", "stage": stage})
    seen = walk(store, NodeKind.OPPORTUNITY, "stage", descending, limit=3)
    process = ["VALIDATE", "INITIATE", "PROPOSAL", "BIDDING", "NEGOTIATION", "WON", "LOST"]
    wanted = [stage for stage in process for _ in range(2)]
    assert [o["stage"] for o in seen] == (wanted[::-1] if descending else wanted)


def test_a_missing_date_sorts_after_every_date(store: GraphStore, make: Factory) -> None:
    # deals without a close date are not the soonest to close
    customer = make.customer()["id"]
    for i, close in enumerate(["2027-03-01", None, "2026-12-20", None, "2027-01-15"]):
        props = {"name": f"Deal {i}", **({"expected_close_date": close} if close else {})}
        store.create_opportunity(customer, props, node_id=f"o{i}")
    soonest = walk(store, NodeKind.OPPORTUNITY, "expected_close_date", False, limit=2)
    assert [o["id"] for o in soonest] == ["o2", "o4", "o0", "o1", "o3"]
    latest = walk(store, NodeKind.OPPORTUNITY, "expected_close_date", True, limit=2)
    assert [o["id"] for o in latest] == ["o3", "o1", "o0", "o4", "o2"]
