"""A member on one deal of a customer sees the customer and its people, not the customer's other
deals: not their chain, their scores or their analysis, whether the chain was loaded for this
request or is kept in memory from another user's read (``resolvers.kept``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from security_helpers import MARK, Client, World, gid, open_app, seed
from starlette.testclient import TestClient

from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from resolvers.kept import CHAINS

SCORES = """query($p: ID!, $o: ID!) { node(id: $p) { ... on KeyPerson { name
  scores(opportunityId: $o) { closeness { value } } } } }"""
SIBLING = "o-sibling"


@pytest.fixture(scope="module")
def world(api_executor: Executor) -> World:
    world = seed(api_executor)
    world.store.create_opportunity("c-ours", {"name": f"{MARK} sibling deal"}, node_id=SIBLING)
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p-ours"),
        (NodeKind.OPPORTUNITY, SIBLING),
        {"role": "DECISION_MAKER", "needs": f"{MARK} needs"},
    )
    return world


@pytest.fixture(scope="module")
def http(world: World) -> Iterator[TestClient]:
    with open_app(world.store) as client:
        yield client


def _scores(http: TestClient, token: str) -> dict[str, object]:
    variables = {"p": gid(NodeKind.KEY_PERSON, "p-ours"), "o": gid(NodeKind.OPPORTUNITY, SIBLING)}
    body = Client(http, token).gql(SCORES, variables)
    assert "errors" not in body, body
    node: dict[str, object] = body["data"]["node"]
    return node


@pytest.mark.parametrize("kept", [False, True], ids=["loaded", "kept"])
def test_a_member_on_one_deal_does_not_see_the_customers_other_deal(
    http: TestClient, world: World, kept: bool
) -> None:
    CHAINS.clear()
    if kept:  # the administrator's read keeps the sibling deal's chain in this process
        assert _scores(http, world.tokens["ada"])["scores"] is not None
    seen = _scores(http, world.tokens["alice"])
    assert seen["name"] == "Li Ours", "Alice sees the customer's people"
    assert seen["scores"] is None, "but not their scores on a deal she is not on"
