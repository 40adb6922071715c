"""Lists of deals with their judgements: one store round trip per nesting level, whatever the
length of the list, and the same answers as one deal at a time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import Api, gid, open_api
from test_batching import DEALS, seed

from domain.model import NodeKind
from graph.executor import Executor
from resolvers import calibration
from resolvers.derived import KEPT

JUDGED = """{ opportunities(first: %d) { edges { node { name
    assessment { winLikelihood { value } canWin { value } }
    analysis { redFlags { code severity persons { name } } } } } } }"""

ONE = """query($id: ID!) { node(id: $id) { ... on Opportunity { name
    assessment { winLikelihood { value } canWin { value } }
    analysis { redFlags { code severity persons { name } } } } } }"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        seed(client.store)
        yield client


def test_fifty_deals_with_likelihood_and_red_flags_cost_three_round_trips(api: Api) -> None:
    KEPT.clear()
    calibration.forget(api.store)
    data, cold = api.trips(JUDGED % DEALS)
    edges = data["opportunities"]["edges"]
    assert len(edges) == DEALS
    assert all(0 < e["node"]["assessment"]["winLikelihood"]["value"] < 1 for e in edges)
    assert any(e["node"]["analysis"]["redFlags"] for e in edges)
    # the list; every deal's chain (red flag persons come with it); the win model in force,
    # read once for the whole request (and then kept by the process for a while)
    assert cold == 3
    _, warm = api.trips(JUDGED % DEALS)
    # the list only: the chains are kept, and the credentials showed nothing written since
    # this process checked them
    assert warm == 1
    _, small = api.trips(JUDGED % 2)
    assert small == warm


def test_a_list_answers_as_one_deal_at_a_time(api: Api) -> None:
    listed = api.data(JUDGED % DEALS)["opportunities"]["edges"]
    KEPT.clear()
    for i in (0, 17, DEALS - 1):
        one = api.data(ONE, {"id": gid(NodeKind.OPPORTUNITY, f"o{i}")})["node"]
        assert one in [e["node"] for e in listed]
