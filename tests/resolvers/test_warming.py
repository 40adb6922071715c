"""The warm-up after a start: the first pipeline is served from chains and analyses the server
made in the background, without delaying /readyz or the first requests.

As deployed: authentication on, an account manager made through ``dealgraph user add`` reading
the deals of their team, on both back ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from api_helpers import Api, empty_graph, gid, serve
from people import Person, add_person
from servers import ServedBackend, free_port, stop_server, wait_ready

import resolvers.warming as warming
from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.model import EdgeKind, NodeKind
from graph.chains import open_deal_ids
from graph.executor import Executor, StoreError
from graph.store import GraphStore
from resolvers.derived import KEPT
from resolvers.kept import CHAINS

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = """query { opportunities(first: 100, orderBy: STAGE) { nodes {
  id name stage customer { name } team { member { name } role }
  assessment { winLikelihood { value } } analysis { redFlags { code severity } } } } }"""
MANAGER = "demo-tm-account"
PEOPLE = ["demo-kp-cio", "demo-kp-architect", "demo-kp-procurement"]


def _book(backend: Executor) -> tuple[GraphStore, Person, list[str]]:
    """The demo deal and three more of the account manager's deals sharing its people."""
    empty_graph(backend)
    store = GraphStore(backend)
    load_demo(store)
    deals = [DEMO_OPPORTUNITY_ID]
    for name in ("East campus", "Imaging archive", "Nursing app"):
        deal = store.create_opportunity("demo-cust-jzph", {"name": name})["id"]
        store.set_edge(EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, MANAGER),
                       (NodeKind.OPPORTUNITY, deal), {"role": "ACCOUNT_MANAGER"})  # fmt: skip
        for person in PEOPLE:
            store.set_edge(EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, person),
                           (NodeKind.OPPORTUNITY, deal), {"role": "USER"})  # fmt: skip
        deals.append(str(deal))
    return store, add_person(store, "warm-manager", "account_manager", MANAGER), deals


@contextmanager
def started(store: GraphStore, warm_deals: int) -> Iterator[Api]:
    """The app over ``store`` as a new server process, warming ``warm_deals`` deals."""
    with serve(store, settings={"warm_deals": warm_deals}) as api:
        yield api


def _warming(api: Api) -> warming.Warming:
    found: warming.Warming = api.client.app.state.warming  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("warm_deals", [100, 0])
def test_the_first_pipeline_after_a_start_is_served_from_the_warm_up(
    backend: Executor, warm_deals: int
) -> None:
    """Once the warm-up has finished, the account manager's first pipeline loads no chain and
    works out no analysis, and answers as a server without the warm-up does; with the warm-up
    off (0), nothing is warmed and the first pipeline loads every chain."""
    store, manager, deals = _book(backend)
    with started(store, 0) as cold:
        expected = cold.as_(manager).data(PIPELINE)
    assert len(expected["opportunities"]["nodes"]) == len(deals)
    with started(store, warm_deals) as api:
        if warm_deals:
            assert _warming(api).wait(60), "the warm-up did not finish"
            assert _warming(api).warmed == len(deals)
        else:
            assert api.client.app.state.warming is None  # type: ignore[attr-defined]
        chains, analyses = CHAINS.misses, KEPT.misses
        assert api.as_(manager).data(PIPELINE) == expected
        loaded, analysed = CHAINS.misses - chains, KEPT.misses - analyses
    if warm_deals:
        assert (loaded, analysed) == (0, 0), "the first pipeline loaded or analysed again"
    else:
        assert (loaded, analysed) == (len(deals), len(deals))


def test_the_warm_up_delays_neither_readiness_nor_the_first_requests(
    backend: Executor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the warm-up waits on the store, /readyz answers ready and the pipeline is served
    (loading what it needs itself); the warm-up then finishes, and stops with the server."""
    store, manager, deals = _book(backend)
    release = threading.Event()

    def slow_open_deals(given: GraphStore, limit: int) -> list[str]:
        assert release.wait(60)
        return open_deal_ids(given, limit)

    monkeypatch.setattr(warming, "open_deal_ids", slow_open_deals)
    with started(store, 100) as api:
        assert api.client.get("/readyz").json() == {"status": "ready"}
        nodes = api.as_(manager).data(PIPELINE)["opportunities"]["nodes"]
        assert len(nodes) == len(deals)
        assert not _warming(api).wait(0), "the warm-up ran before the first request"
        release.set()
        assert _warming(api).wait(60)
        assert _warming(api).warmed == len(deals)


def test_a_failed_warm_up_leaves_the_server_serving(
    backend: Executor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A store error during the warm-up is logged; readers load what they miss as before."""
    store, manager, deals = _book(backend)

    def failing(given: GraphStore, limit: int) -> list[str]:
        raise StoreError("the store did not answer in time")

    monkeypatch.setattr(warming, "open_deal_ids", failing)
    with started(store, 100) as api:
        assert _warming(api).wait(60)
        assert _warming(api).warmed == 0
        assert "warming the chains of open deals failed" in caplog.text
        assert len(api.as_(manager).data(PIPELINE)["opportunities"]["nodes"]) == len(deals)


def test_open_deals_come_most_recently_changed_first_without_closed_ones(
    backend: Executor,
) -> None:
    """The warm-up takes open deals only, the most recently changed first, up to its bound,
    in one round trip."""
    store, _, deals = _book(backend)
    demo = store.get(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
    assert demo is not None
    store.update(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID, {"budget": 1},
                 expected_version=demo["version"])  # fmt: skip
    closed = store.get(NodeKind.OPPORTUNITY, deals[1])
    assert closed is not None
    store.update(NodeKind.OPPORTUNITY, deals[1], {"stage": "LOST"},
                 expected_version=closed["version"])  # fmt: skip
    trips = store.round_trips
    found = open_deal_ids(store, 100)
    assert store.round_trips == trips + 1
    assert found[0] == DEMO_OPPORTUNITY_ID
    assert sorted(found) == sorted(d for d in deals if d != deals[1])
    assert open_deal_ids(store, 2) == found[:2]


CHAIN_SET = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberSet(input: $input) { userErrors { field message } } }"""
ATTITUDES = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  assessment { winLikelihood { value } }
  decisionChain { members { person { id } attitude } } } } }"""


def test_two_warmed_workers_serve_a_write_made_through_either(
    served_backend: ServedBackend,
) -> None:
    """``dealgraph serve --workers 2`` with the warm-up on, as deployed: each worker warms its
    own chains; after an attitude written through one of them, every read through any of them
    (new connections, spread over both) shows it."""
    store = served_backend.open_store()
    try:
        load_demo(store)
        admin = add_person(store, "warm-admin", "admin")
    finally:
        store.close()
    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if k != "DEALGRAPH_AUTH_REQUIRED"}
    env = {**inherited, **served_backend.env(), "DEALGRAPH_WARM_DEALS": "100"}
    command = [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", "2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deal = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)

    def read() -> dict[str, str]:
        body = {"query": ATTITUDES, "variables": {"id": deal}}
        answer = httpx.post(f"{base}/graphql", json=body, headers=admin.authorization, timeout=60)
        members = answer.json()["data"]["node"]["decisionChain"]["members"]
        return {m["person"]["id"]: m["attitude"] for m in members}

    try:
        wait_ready(base, server)
        before = [read() for _ in range(8)]
        person = gid(NodeKind.KEY_PERSON, "demo-kp-cio")
        wanted = "OPPONENT" if before[0][person] != "OPPONENT" else "CHAMPION"
        change = {"personId": person, "opportunityId": deal, "role": "DECISION_MAKER",
                  "attitude": wanted}  # fmt: skip
        body = {"query": CHAIN_SET, "variables": {"input": change}}
        answer = httpx.post(f"{base}/graphql", json=body, headers=admin.authorization, timeout=60)
        assert answer.json()["data"]["decisionChainMemberSet"]["userErrors"] == []
        assert [read()[person] for _ in range(8)] == [wanted] * 8
    finally:
        stop_server(server, served_backend.data_dir)
