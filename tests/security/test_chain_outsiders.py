"""A person of another organisation in the chain of a deal (a tender expert, a consultant, a
group officer) is seen by the people who see that deal, and only while they are in it: the
account manager logs her contacts with them, and nothing else of their organisation opens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import Api, gid, serve
from people import Person, add_person

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K, E = NodeKind, EdgeKind
DEAL, EXPERT, COLLEAGUE = (
    gid(K.OPPORTUNITY, "his"),
    gid(K.KEY_PERSON, "sun"),
    gid(K.KEY_PERSON, "qian"),
)
LOOKUP = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on KeyPerson { name
  customer { name } } } }"""
LOG = """mutation($input: ActivityLogInput!) {
  activityLog(input: $input) { activity { id } userErrors { field message } } }"""
REMOVE = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberRemove(input: $input) { userErrors { field message } } }"""


@pytest.fixture
def world(store: GraphStore) -> Iterator[tuple[Api, Person]]:
    store.create(K.TEAM_MEMBER, {"name": "Li Na", "role": "ACCOUNT_MANAGER"}, node_id="m-li")
    store.create(K.CUSTOMER, {"name": "City Hospital"}, node_id="c1")
    store.create(K.CUSTOMER, {"name": "Medical University"}, node_id="c2")
    store.create_opportunity("c1", {"name": "HIS", "stage": "BIDDING"}, node_id="his")
    store.set_edge(
        E.ON_TEAM, (K.TEAM_MEMBER, "m-li"), (K.OPPORTUNITY, "his"), {"role": "ACCOUNT_MANAGER"}
    )
    store.create_key_person("c2", {"name": "Sun"}, node_id="sun")
    store.create_key_person("c2", {"name": "Qian"}, node_id="qian")  # his colleague, in no chain
    store.set_edge(
        E.IN_DECISION_CHAIN,
        (K.KEY_PERSON, "sun"),
        (K.OPPORTUNITY, "his"),
        {"role": "TECHNICAL_EVALUATOR", "external_kind": "TENDER_EXPERT"},
    )
    li = add_person(store, "li.na", "account_manager", "m-li")
    with serve(store) as api:
        yield api, li


def test_the_deal_s_people_see_its_outsiders_and_only_them(world: tuple[Api, Person]) -> None:
    api, li = world
    found = api.as_(li).data(LOOKUP, {"ids": [EXPERT, COLLEAGUE]})["nodes"]
    # the expert, without his organisation; nobody else of it
    assert found == [{"name": "Sun", "customer": None}, None]
    logged = api.as_(li).mutate(
        LOG,
        {
            "input": {
                "type": "DEMO",
                "occurredAt": "2025-10-01T10:00:00Z",
                "summary": "Evaluation demo for the panel",
                "personIds": [EXPERT],
                "memberIds": [gid(K.TEAM_MEMBER, "m-li")],
                "opportunityId": DEAL,
            }
        },
    )
    assert logged["activity"]["id"]
    gone = {"personId": EXPERT, "opportunityId": DEAL, "role": "TECHNICAL_EVALUATOR"}
    api.mutate(REMOVE, {"input": gone})
    assert api.as_(li).data(LOOKUP, {"ids": [EXPERT]})["nodes"] == [None]
