"""Eight clients update one opportunity for ten seconds over a real server: every
acknowledged update is in the history, every other one got CONFLICT, nothing is lost."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from security_helpers import World, gid, secure_settings, seed
from servers import free_port

from dealgraph.app import create_app
from domain.model import NodeKind
from graph.executor import Executor

CLIENTS = 8
SECONDS = 10.0
READ = "query($id: ID!) { node(id: $id) { ... on Opportunity { version } } }"
UPDATE = """mutation($id: ID!, $input: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $input) { opportunity { version description }
  userErrors { code } } }"""


@pytest.fixture
def served(api_executor: Executor) -> Iterator[tuple[World, str]]:
    world = seed(api_executor)
    app = create_app(secure_settings(), store=world.store)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield world, f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.mark.slow
def test_concurrent_updates_are_acknowledged_or_conflict(served: tuple[World, str]) -> None:
    world, url = served
    target = gid(NodeKind.OPPORTUNITY, "o-ours")
    token = world.tokens["alice"]
    acknowledged: list[str] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client(number: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(timeout=30, headers=headers) as http:
            attempt = 0
            while time.monotonic() < stop:
                read = http.post(url, json={"query": READ, "variables": {"id": target}})
                version = read.json()["data"]["node"]["version"]
                value = f"client {number} attempt {attempt}"
                attempt += 1
                answer = http.post(
                    url,
                    json={
                        "query": UPDATE,
                        "variables": {
                            "id": target,
                            "input": {"version": version, "description": value},
                        },
                    },
                )
                assert answer.status_code == 200, answer.text
                payload = answer.json()["data"]["opportunityUpdate"]
                errors = [e["code"] for e in payload["userErrors"]]
                with lock:
                    if not errors:
                        assert payload["opportunity"]["description"] == value
                        acknowledged.append(value)
                        outcomes["ok"] += 1
                    else:
                        outcomes[",".join(errors)] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(outcomes) <= {"ok", "CONFLICT"}, outcomes
    assert outcomes["ok"] > 0
    assert outcomes["CONFLICT"] > 0, "eight clients on one node should collide"
    history = world.store.audit_log("o-ours", limit=1_000_000).items
    recorded = [
        json.loads(entry["changes"])["after"]["description"]
        for entry in history
        if entry["operation"] == "update"
    ]
    assert sorted(recorded) == sorted(acknowledged), "history == acknowledged updates"
    final = world.store.get(NodeKind.OPPORTUNITY, "o-ours")
    assert final["version"] == 1 + len(acknowledged)
    assert final["description"] in acknowledged
