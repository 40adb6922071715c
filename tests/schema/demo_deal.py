"""The demo deal as the API suites meet it: the app over a store holding the demo data (as
deployed: authentication on), the deal's global ID, the mutation that moves it through its
gate, and the query of its likelihood's history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from api_helpers import Api, gid, open_api

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.model import NodeKind
from graph.executor import Executor

OPPORTUNITY = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
MOVE = """mutation($id: ID!, $i: OpportunityAdvanceInput!) {
  opportunityAdvance(id: $id, input: $i) {
    opportunity { stage } transition { at } userErrors { field message code } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  likelihoodHistory { at winLikelihood delta stage stageTransition } } } }"""


@contextmanager
def demo_api(executor: Executor) -> Iterator[Api]:
    """The app over ``executor``'s store, emptied and loaded with the demo data."""
    with open_api(executor) as client:
        load_demo(client.store)
        yield client
