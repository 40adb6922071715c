"""Batching: however many objects a list holds, a query costs one store round trip per level."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import Api, open_api

from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from graph.store import GraphStore

K = NodeKind
DEALS = 50
PEOPLE_PER_DEAL = 4


def seed(store: GraphStore) -> None:
    """50 deals at 10 customers, each with 4 chain members who report to the first, are known
    by one of our people and courted by one rival."""
    for c in range(10):
        store.create(K.CUSTOMER, {"name": f"Customer {c:02d}"}, node_id=f"c{c}")
    for m in range(5):
        store.create(K.TEAM_MEMBER, {"name": f"Member {m}"}, node_id=f"m{m}")
    for k in range(3):
        store.create(K.COMPETITOR, {"name": f"Rival {k}"}, node_id=f"k{k}")
    for d in range(DEALS):
        customer = f"c{d % 10}"
        store.create_opportunity(customer, {"name": f"Deal {d:02d}"}, node_id=f"o{d}")
        for p in range(PEOPLE_PER_DEAL):
            pid = f"p{d}-{p}"
            store.create_key_person(customer, {"name": f"Person {d:02d}-{p}"}, node_id=pid)
            store.set_edge(
                EdgeKind.IN_DECISION_CHAIN,
                (K.KEY_PERSON, pid),
                (K.OPPORTUNITY, f"o{d}"),
                {"role": "USER" if p else "DECISION_MAKER"},
            )
            if p:
                store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, pid), (K.KEY_PERSON, f"p{d}-0"))
            store.set_edge(
                EdgeKind.KNOWS,
                (K.TEAM_MEMBER, f"m{p}"),
                (K.KEY_PERSON, pid),
                {"level": "STRONG"},
            )
            store.set_edge(EdgeKind.CLOSE_TO, (K.COMPETITOR, f"k{p % 3}"), (K.KEY_PERSON, pid))


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        seed(client.store)
        yield client


def trips(api: Api, query: str) -> tuple[dict[str, object], int]:
    """The data of a query and the store round trips its resolvers cost (authenticating the
    caller's bearer token is the same one statement for every request, so it is not counted)."""
    return api.trips(query)


CHAINS = """{ opportunities(first: %d) { nodes { name decisionChain { members {
    person { name } role
    teamTies { member { name } level }
    competitorTies { competitor { name } } } } } } }"""


def test_fifty_decision_chains_cost_at_most_three_round_trips(api: Api) -> None:
    data, cost = trips(api, CHAINS % DEALS)
    deals = data["opportunities"]["nodes"]  # type: ignore[index]
    assert len(deals) == DEALS
    members = [m for d in deals for m in d["decisionChain"]["members"]]
    assert len(members) == DEALS * PEOPLE_PER_DEAL
    assert {m["person"]["name"] for m in members} >= {"Person 00-0", "Person 49-3"}
    assert cost <= 3, f"{cost} round trips for {DEALS} decision chains"


def test_the_cost_does_not_grow_with_the_list(api: Api) -> None:
    _, small = trips(api, CHAINS % 2)
    _, large = trips(api, CHAINS % DEALS)
    assert small == large


def test_relationship_fields_over_a_list_cost_one_round_trip_per_level(api: Api) -> None:
    _, bare = trips(api, "{ keyPersons(first: 50) { nodes { name } } }")
    assert bare == 1
    data, one_field = trips(api, "{ keyPersons(first: 50) { nodes { reportsTo { name } } } }")
    nodes = data["keyPersons"]["nodes"]  # type: ignore[index]
    assert len(nodes) == 50
    assert sum(1 for n in nodes if n["reportsTo"]) >= 30
    assert one_field == 2
    _, two_fields = trips(
        api, "{ keyPersons(first: 50) { nodes { reportsTo { name } customer { name } } } }"
    )
    assert two_fields == 3  # one loader per relationship, whatever the 50 people
    _, job = trips(
        api, "{ keyPersons(first: 50) { nodes { title department customer { name } } } }"
    )
    assert job == 2  # title, department and customer share the WORKS_AT batch


def test_nested_levels_each_cost_one_round_trip(api: Api) -> None:
    query = """{ keyPersons(first: 50) { nodes {
        reportsTo { name directReports { name customer { name } } } } } }"""
    data, cost = trips(api, query)
    nodes = data["keyPersons"]["nodes"]  # type: ignore[index]
    assert any(n["reportsTo"] and n["reportsTo"]["directReports"] for n in nodes)
    assert cost == 4  # list, reportsTo, directReports, customer


def test_customers_with_their_people_and_deals_batch_per_level(api: Api) -> None:
    query = """{ customers(first: 10) { nodes { name
        keyPersons(first: 5) { totalCount nodes { name } }
        opportunities { nodes { name customer { name } } } } } }"""
    data, cost = trips(api, query)
    customers = data["customers"]["nodes"]  # type: ignore[index]
    assert [c["keyPersons"]["totalCount"] for c in customers] == [20] * 10
    assert cost == 4  # customers, their people, their deals, the deals' customer
