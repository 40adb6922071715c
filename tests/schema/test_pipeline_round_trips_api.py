"""The pipeline page's store round trips, as a sales director reads it with their own login:
each of its requests costs the same whatever the size of the book. The page reads its deals
a page at a time (the web app's own query, here with pages of two deals rather than a
hundred, so that small books have several), the first request with the overview."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import Api, serve
from people import add_team, manage

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore
from resolvers.process import definition
from resolvers.violations import sweep

K = NodeKind
AM, DIRECTOR = "m-am", "m-director"
LOGINS = {AM: ("li.am", "account_manager"), DIRECTOR: ("zhou.director", "sales_director")}
MAIN_JS = Path(__file__).resolve().parents[2] / "dealgraph/web/static/js/main.js"
PIPELINE = MAIN_JS.read_text().split("const PIPELINE = `")[1].split("`")[0]
PAGE = 2
SMALL, LARGE = 3, 9


def _book(store: GraphStore, deals: int) -> None:
    """``deals`` deals at two customers, each with a decision maker and a visit, in a stage
    whose approvals nobody asked for (the sweep raises their violations), run by one account
    manager under the director."""
    for member, (name, role) in {
        AM: ("Li Na", "ACCOUNT_MANAGER"),
        DIRECTOR: ("Zhou Wei", "SALES_DIRECTOR"),
    }.items():
        store.create(K.TEAM_MEMBER, {"name": name, "role": role}, node_id=member)
    for c in range(2):
        store.create(K.CUSTOMER, {"name": f"Hospital {c}"}, node_id=f"c{c}")
    for n in range(deals):
        deal, customer, person = f"deal-{n}", f"c{n % 2}", f"p-{n}"
        store.create_opportunity(customer, {"name": f"Deal {n}", "stage": "INITIATE"}, node_id=deal)
        store.set_edge(
            EdgeKind.ON_TEAM,
            (K.TEAM_MEMBER, AM),
            (K.OPPORTUNITY, deal),
            {"role": "ACCOUNT_MANAGER"},
        )
        store.create_key_person(customer, {"name": f"Person {n}"}, node_id=person)
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN,
            (K.KEY_PERSON, person),
            (K.OPPORTUNITY, deal),
            {"role": "DECISION_MAKER"},
        )
        store.log_activity(
            {"type": "VISIT", "occurred_at": store.clock(), "summary": "visit"},
            person_ids=[person],
            member_ids=[AM],
            opportunity_id=deal,
        )
    sweep(store, definition())


def _page_trips(director: Api, deals: int) -> list[int]:
    """The round trips of each request of the whole page, in order, with what it read."""
    query = PIPELINE.replace("first: 100", f"first: {PAGE}")
    assert query != PIPELINE
    data, first = director.trips(query)
    trips, seen = [first], len(data["opportunities"]["nodes"])
    assert data["pipeline"]["total"] == deals
    assert sum(r["count"] for r in data["pipeline"]["violationsByRule"]) == 2 * deals
    info = data["opportunities"]["pageInfo"]
    while info["hasNextPage"]:
        more, cost = director.trips(query, {"after": info["endCursor"], "more": True})
        info = more["opportunities"]["pageInfo"]
        seen += len(more["opportunities"]["nodes"])
        trips.append(cost)
    assert seen == deals
    return trips


@pytest.fixture
def books(store: GraphStore) -> dict[int, list[list[int]]]:
    """For each book size, the round trips of each request of the page read first (nothing
    kept) and again."""
    found: dict[int, list[list[int]]] = {}
    for deals in (SMALL, LARGE):
        store.executor.write("MATCH (n) DETACH DELETE n", {})
        _book(store, deals)
        people = add_team(store, LOGINS)
        manage(store, DIRECTOR, [AM])
        with serve(store) as api:
            director = api.as_(people[DIRECTOR])
            found[deals] = [_page_trips(director, deals), _page_trips(director, deals)]
    return found


def test_each_request_of_the_pipeline_page_costs_the_same_for_any_book(
    books: dict[int, list[list[int]]],
) -> None:
    (small_first, small), (large_first, large) = books[SMALL], books[LARGE]
    assert len(small) == -(-SMALL // PAGE)
    assert len(large) == -(-LARGE // PAGE)
    assert large[0] == small[0] <= 6, (small, large)  # the overview and the first page
    assert set(small[1:] + large[1:]) == {3}, (small, large)  # a page, its teams, customers
    # read first, the chains are loaded too: the overview loads every deal's in one statement,
    # or, when the first page's (loaded at the same time for their likelihood) are kept
    # already, checks those and loads the rest; which of the two comes first varies
    for first, again in ((small_first, small), (large_first, large)):
        within = [a <= f <= a + 3 for f, a in zip(first, again, strict=True)]
        assert within == [True] * len(first), (first, again)
