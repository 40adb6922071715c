"""The outbox and deliveries in the store, on both back ends: an event exactly when a change
commits (in its statement), erasure reaching pending events, fan-out once per endpoint, and
claims that two dispatchers never share."""

from __future__ import annotations

import dataclasses
import json
import threading
from typing import Any

import pytest

from domain.errors import DomainError
from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.security_store import SecurityStore
from graph.statements import WEBHOOK_EVENT_LABEL
from graph.store import GraphStore
from graph.webhook_store import PENDING, SUCCEEDED, WebhookStore
from webhooks import signing

WINDOW = 3 * 24 * 3600 * 1000


def events(store: GraphStore) -> list[dict[str, Any]]:
    rows = store.executor.read(
        f"MATCH (e:{WEBHOOK_EVENT_LABEL}) RETURN properties(e) AS e ORDER BY e.at, e.id", {}
    )
    return [row["e"] for row in rows]


def types(store: GraphStore) -> list[str]:
    return [e["type"] for e in events(store)]


def deal(store: GraphStore) -> tuple[str, str, str]:
    """A customer, a key person there and a deal for it; returns their ids."""
    store.create(NodeKind.CUSTOMER, {"name": "City Bank"}, node_id="c1")
    store.create_key_person("c1", {"name": "Wang Li", "email": "wang@example.com"}, node_id="p1")
    store.create_opportunity("c1", {"name": "Core system"}, node_id="o1")
    return "c1", "p1", "o1"


def test_each_write_use_case_writes_its_event_in_its_statement(store: GraphStore) -> None:
    deal(store)
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "DECISION_MAKER", "attitude": "NEUTRAL"},
    )
    store.update(NodeKind.OPPORTUNITY, "o1", {"amount": 5}, expected_version=1)
    store.remove_edge(
        EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, "p1"), (NodeKind.OPPORTUNITY, "o1")
    )
    SecurityStore(store).add_user("ops", "admin")  # a security record: no event
    assert types(store) == [
        "customer.created",
        "key_person.created",
        "opportunity.created",
        "decision_chain.member_changed",
        "opportunity.updated",
        "decision_chain.member_changed",
    ]
    stored = events(store)
    assert len({e["id"] for e in stored}) == len(stored)
    assert all(e["id"].startswith("msg_") for e in stored)
    member = json.loads(stored[3]["payload"])
    assert member["type"] == "decision_chain.member_changed"
    assert member["data"]["change"] == "set"
    assert member["data"]["after"]["role"] == "DECISION_MAKER"
    assert (member["data"]["from_id"], member["data"]["to_id"]) == ("p1", "o1")
    assert json.loads(stored[5]["payload"])["data"]["change"] == "removed"


def test_a_change_that_does_not_commit_makes_no_event(store: GraphStore) -> None:
    deal(store)
    before = events(store)
    with pytest.raises(DomainError):
        store.update(NodeKind.OPPORTUNITY, "o1", {"amount": 5}, expected_version=7)  # stale
    with pytest.raises(DomainError):
        store.create_key_person("nobody", {"name": "Ghost"})  # no such customer
    with pytest.raises(DomainError):
        store.create(NodeKind.CUSTOMER, {"name": "Twice"}, node_id="c1")  # duplicate id
    assert events(store) == before


def test_a_stage_move_is_one_event_with_both_stages(store: GraphStore) -> None:
    deal(store)
    opportunity = store.get(NodeKind.OPPORTUNITY, "o1")
    ps.advance_stage(
        store,
        opportunity=opportunity,
        to_stage=Stage.INITIATE,
        reason="real and we can compete",
        lost_to_competitor_id=None,
        member_id=None,
    )
    last = json.loads(events(store)[-1]["payload"])
    assert last["type"] == "opportunity.stage_changed"
    assert last["data"]["before"]["stage"] == opportunity["stage"]
    assert last["data"]["after"]["stage"] == Stage.INITIATE.value


def test_erasure_removes_the_persons_data_from_pending_events(store: GraphStore) -> None:
    deal(store)
    store.create_key_person("c1", {"name": "Zhao Min"}, node_id="p2")
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "DECISION_MAKER", "needs": "Wang wants a faster core"},
    )
    store.log_activity(
        {"type": "VISIT", "occurred_at": store.clock(), "summary": "Lunch with Wang Li"},
        person_ids=["p1"],
        opportunity_id="o1",
    )
    SecurityStore(store).erase_key_person("p1")
    texts = " ".join(e["payload"] for e in events(store))
    for personal in ("Wang", "wang@example.com", "faster core"):
        assert personal not in texts
    assert "Zhao Min" in texts  # other people's events stay whole
    erased = [json.loads(e["payload"]) for e in events(store) if "p1" in e["payload"]]
    assert {e["type"] for e in erased} >= {"key_person.created", "activity.created"}
    assert json.loads(events(store)[-1]["payload"])["type"] == "key_person.erased"


def endpoint(hooks: WebhookStore, *events_: str) -> str:
    url = "https://crm.example.com/hooks"
    return str(hooks.create_endpoint(url, list(events_), "", signing.new_secret())["id"])


def test_fan_out_makes_one_delivery_per_subscribed_endpoint(store: GraphStore) -> None:
    hooks = WebhookStore(store)
    every = endpoint(hooks, "*")
    deals = endpoint(hooks, "opportunity.created")
    off = endpoint(hooks, "*")
    hooks.set_enabled(off, False)
    deal(store)
    threads = [
        threading.Thread(target=hooks.fan_out, args=(store.clock(), WINDOW)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    hooks.fan_out(store.clock(), WINDOW)
    made = hooks.deliveries(limit=100)
    by_endpoint = {
        e: sorted(d["event_type"] for d in made if d["endpoint_id"] == e)
        for e in (every, deals, off)
    }
    assert by_endpoint == {
        every: ["customer.created", "key_person.created", "opportunity.created"],
        deals: ["opportunity.created"],
        off: [],
    }
    assert hooks.fan_out(store.clock(), WINDOW) == (0, 0)


def test_two_dispatchers_never_hold_one_delivery(store: GraphStore) -> None:
    hooks = WebhookStore(store)
    endpoint(hooks, "*")
    for n in range(12):
        store.create(NodeKind.COMPETITOR, {"name": f"Rival {n}"})
    hooks.fan_out(store.clock(), WINDOW)
    now = store.clock()
    claims: dict[str, list[str]] = {f"d{n}": [] for n in range(3)}

    def claim(owner: str) -> None:
        while got := hooks.claim(owner, now, 60_000, 4):  # empty: none left, or lost a race
            claims[owner] += [c.id for c in got]

    workers = [threading.Thread(target=claim, args=(owner,)) for owner in claims]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    claims["rest"] = []
    claim("rest")
    held = [d for ids in claims.values() for d in ids]
    assert len(held) == len(set(held)) == 12
    assert hooks.claim("late", now, 60_000, 8) == []
    (again,) = hooks.claim("after-expiry", now + 60_001, 60_000, 1)
    assert again.attempt == 2
    owner = next(o for o, ids in claims.items() if again.id in ids)
    late_answer = dataclasses.replace(again, attempt=1)  # the first holder, lease expired
    assert not hooks.finish(late_answer, owner, status=SUCCEEDED, now=now + 60_002)
    assert hooks.finish(again, "after-expiry", status=SUCCEEDED, now=now + 60_002)
    (done,) = hooks.deliveries(delivery_id=again.id)
    assert (done["status"], done["attempts"]) == (SUCCEEDED, 2)
    assert PENDING in {d["status"] for d in hooks.deliveries(limit=100)}


def test_pruning_drops_old_events_with_their_finished_deliveries(store: GraphStore) -> None:
    hooks = WebhookStore(store)
    store.create(NodeKind.COMPETITOR, {"name": "Before any endpoint"})  # never fanned out
    endpoint(hooks, "*")
    for n in range(3):
        store.create(NodeKind.COMPETITOR, {"name": f"Rival {n}"})
    now = store.clock()
    hooks.fan_out(now, WINDOW)
    delivered, replayed, waiting = hooks.claim("d", now, 60_000, 3)
    assert hooks.finish(delivered, "d", status=SUCCEEDED, now=now)
    later = now + 10 * 24 * 3600 * 1000
    assert hooks.finish(replayed, "d", status=SUCCEEDED, now=later)  # attempted after the cutoff
    assert len(events(store)) == 4

    assert hooks.prune(later, limit=1) == (2, 1)  # batch by batch

    kept = {e["id"] for e in events(store)}
    assert kept == {replayed.event_id, waiting.event_id}
    assert {d["id"] for d in hooks.deliveries(limit=100)} == {replayed.id, waiting.id}
    assert hooks.prune(later) == (0, 0)
    assert hooks.finish(waiting, "d", status=SUCCEEDED, now=now)
    assert hooks.prune(later) == (1, 1)


def test_pruning_keeps_what_happened_since_the_cutoff(store: GraphStore) -> None:
    hooks = WebhookStore(store)
    store.create(NodeKind.COMPETITOR, {"name": "Rival"})
    (event,) = events(store)
    assert hooks.prune(int(event["at"])) == (0, 0)
    assert hooks.prune(int(event["at"]) + 1) == (1, 0)
    assert events(store) == []
