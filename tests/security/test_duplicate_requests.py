"""Twelve clients send the same request at the same instant over a real server (a double click
in twelve tabs): exactly one approval or work plan item is stored, every other client gets the
CONFLICT refusal naming what already exists, and nothing else is written."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from security_helpers import World, gid, secure_settings, seed
from servers import free_port

from dealgraph.app import create_app
from domain.model import NodeKind
from graph.executor import Executor
from graph.statements import AUDIT_LABEL

CLIENTS = 12
ROUNDS = 3
"""Each round empties the graph and races the clients again: one round can miss the window."""

REQUEST = """mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) {
  approval { id state } userErrors { field message code } problems { code } } }"""
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey title target { id name } } } } }"""
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { id } userErrors { field message code } } }"""
OPPORTUNITY = gid(NodeKind.OPPORTUNITY, "o-ours")


class Server:
    """The app as deployed (authentication on) on a free port, over one store."""

    def __init__(self, world: World) -> None:
        app = create_app(secure_settings(), store=world.store)
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started
        return f"http://127.0.0.1:{self.port}/graphql"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def worlds(api_executor: Executor) -> Iterator[Iterator[tuple[World, str]]]:
    """A fresh seeded world served over HTTP, once per round."""

    def rounds() -> Generator[tuple[World, str]]:
        for _ in range(ROUNDS):
            world = seed(api_executor)
            with Server(world) as url:
                yield world, url

    each = rounds()
    yield each
    each.close()


def race(url: str, token: str, query: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    """The payloads of ``CLIENTS`` identical mutations sent at once, each on its own connection."""
    barrier = threading.Barrier(CLIENTS)
    payloads: list[dict[str, Any]] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
            http.post(url, json={"query": "{ __typename }"})  # connected before the race
            barrier.wait()
            answer = http.post(url, json={"query": query, "variables": variables})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        with lock:
            payloads.append(payload)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(payloads) == CLIENTS, "a client failed"
    return payloads


def count(world: World, pattern: str) -> int:
    rows = world.store.executor.read(f"MATCH {pattern} RETURN count(*) AS count", {})
    return int(rows[0]["count"])


@pytest.mark.slow
def test_identical_approval_requests_at_once_store_one(
    worlds: Iterator[tuple[World, str]],
) -> None:
    for world, url in worlds:
        audits = count(world, f"(:{AUDIT_LABEL})")
        payloads = race(
            url,
            world.tokens["alice"],
            REQUEST,
            {"i": {"opportunityId": OPPORTUNITY, "process": "1-1"}},
        )
        stored = [p for p in payloads if p["approval"]]
        refused = [p for p in payloads if not p["approval"]]
        assert len(stored) == 1, f"{len(stored)} identical approvals stored"
        for payload in refused:
            assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
                (["input", "process"], "CONFLICT")
            ], payload
            assert [p["code"] for p in payload["problems"]] == ["ALREADY_PENDING"], payload
            assert payload["userErrors"][0]["message"].endswith(
                "the same request is already waiting for a decision"
            ), payload
        assert count(world, "(:Approval)-[:REQUESTED_FOR]->(:Opportunity {id: 'o-ours'})") == 1
        assert count(world, f"(:{AUDIT_LABEL})") == audits + 1, "one audit entry, for the one"


@pytest.mark.slow
def test_identical_suggestion_accepts_at_once_plan_one_item(
    worlds: Iterator[tuple[World, str]],
) -> None:
    for world, url in worlds:
        token = world.tokens["alice"]
        with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
            plan = http.post(url, json={"query": PLAN, "variables": {"id": OPPORTUNITY}}).json()
        suggestion = plan["data"]["node"]["suggestedWorkPlan"][0]
        target = suggestion["target"]["id"] if suggestion["target"] else None
        accept = {
            "opportunityId": OPPORTUNITY,
            "actionKey": suggestion["actionKey"],
            "targetPersonId": target,
        }
        audits = count(world, f"(:{AUDIT_LABEL})")
        payloads = race(url, token, ACCEPT, {"i": accept})
        stored = [p for p in payloads if p["workPlanItem"]]
        refused = [p for p in payloads if not p["workPlanItem"]]
        assert len(stored) == 1, f"{len(stored)} identical work plan items stored"
        for payload in refused:
            assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
                (["input", "actionKey"], "CONFLICT")
            ], payload
            named = f"“{suggestion['title']}”" + (
                f" with {suggestion['target']['name']}" if target else ""
            )
            assert payload["userErrors"][0]["message"] == (
                f"{named} is already in the work plan and not done yet"
            ), "named by the play's title and its target, however the race went"
        items = "(:WorkPlanItem)-[:PLANNED_FOR]->(:Opportunity {id: 'o-ours'})"
        assert count(world, items) == 1
        assert count(world, f"(:{AUDIT_LABEL})") == audits + 1, "one audit entry, for the one"
