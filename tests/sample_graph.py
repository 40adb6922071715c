"""The small sample graph the query, fast-path and completion-plan tests share: three
customers, one mapped deal in a five-person org, our team, rivals and activities."""

from __future__ import annotations

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore, now_ms

DAY = 86_400_000
K = NodeKind


def seed(store: GraphStore) -> None:
    """Three customers, one mapped deal in a five-person org, our team, rivals, activities."""
    for cid, name, industry, region in (
        ("c1", "Alpha Hospital", "Healthcare", "East"),
        ("c2", "Beta Bank", "Finance", "North"),
        ("c3", "Gamma Grid", "Energy", "East"),
    ):
        store.create(
            K.CUSTOMER, {"name": name, "industry": industry, "region": region}, node_id=cid
        )
    people = {
        "p1": ("Chen CEO", "CEO", "Board"),
        "p2": ("Li CIO", "CIO", "IT"),
        "p3": ("Wu Engineer", "Engineer", "IT"),
        "p4": ("Zhou Buyer", "Buyer", "Procurement"),
        "p5": ("Sun Deputy", "Deputy CIO", "IT"),
    }
    for pid, (name, title, dept) in people.items():
        store.create_key_person(
            "c1", {"name": name}, {"title": title, "department": dept}, node_id=pid
        )
    store.create_key_person("c2", {"name": "Qian CFO"}, {"department": "Finance"}, node_id="p6")
    for a, b in (("p2", "p1"), ("p5", "p2"), ("p3", "p5"), ("p4", "p1")):
        store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, a), (K.KEY_PERSON, b))
    store.set_edge(
        EdgeKind.INFLUENCES, (K.KEY_PERSON, "p2"), (K.KEY_PERSON, "p1"), {"strength": "STRONG"}
    )
    store.set_edge(EdgeKind.KNOWS, (K.KEY_PERSON, "p3"), (K.KEY_PERSON, "p4"), {"level": "WEAK"})
    deals = (
        ("o1", "c1", "Smart Hospital", "REQUIREMENTS", "A", 8_000_000_000),
        ("o2", "c1", "Data Center", "VALIDATE", "B", 2_000_000_000),
        ("o3", "c2", "Core Banking", "BIDDING", "A", 12_000_000_000),
    )
    for oid, cid, name, stage, grade, amount in deals:
        props = {"name": name, "stage": stage, "grade": grade, "amount": amount}
        store.create_opportunity(cid, props, node_id=oid)
    chain: dict[str, dict[str, object]] = {
        "p1": {"role": "DECISION_MAKER", "influence": "HIGH", "attitude": "SUPPORTER"},
        "p2": {"role": "TECHNICAL_EVALUATOR"},
        "p3": {"role": "USER", "needs": "stable PACS"},
        "p4": {"role": "PROCUREMENT", "attitude": "OPPONENT"},
    }
    for pid, props in chain.items():
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), props
        )
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (K.KEY_PERSON, "p6"),
        (K.OPPORTUNITY, "o3"),
        {"role": "FINANCE"},
    )
    store.create(K.TEAM_MEMBER, {"name": "Wang AM", "role": "ACCOUNT_MANAGER"}, node_id="m1")
    store.create(K.TEAM_MEMBER, {"name": "Zhao SM", "role": "SOLUTION_MANAGER"}, node_id="m2")
    on_team = (
        ("m1", K.OPPORTUNITY, "o1", "ACCOUNT_MANAGER"),
        ("m2", K.OPPORTUNITY, "o1", "SOLUTION_MANAGER"),
        ("m1", K.CUSTOMER, "c1", "ACCOUNT_MANAGER"),
    )
    for mid, kind, target, role in on_team:
        store.set_edge(EdgeKind.ON_TEAM, (K.TEAM_MEMBER, mid), (kind, target), {"role": role})
    store.set_edge(
        EdgeKind.KNOWS,
        (K.TEAM_MEMBER, "m1"),
        (K.KEY_PERSON, "p1"),
        {"level": "STRONG", "since": "2020-01-01"},
    )
    store.set_edge(EdgeKind.KNOWS, (K.TEAM_MEMBER, "m2"), (K.KEY_PERSON, "p2"), {"level": "WEAK"})
    store.create(K.COMPETITOR, {"name": "Rival A"}, node_id="k1")
    store.create(K.COMPETITOR, {"name": "Rival B"}, node_id="k2")
    store.set_edge(
        EdgeKind.COMPETES_FOR, (K.COMPETITOR, "k1"), (K.OPPORTUNITY, "o1"), {"position": "LEADING"}
    )
    store.set_edge(
        EdgeKind.CLOSE_TO, (K.COMPETITOR, "k1"), (K.KEY_PERSON, "p4"), {"level": "STRONG"}
    )
    now = now_ms()
    store.log_activity(
        {"type": "VISIT", "occurred_at": now - 30 * DAY, "summary": "visit", "outcome": "POSITIVE"},
        person_ids=["p1"],
        member_ids=["m1"],
        opportunity_id="o1",
        node_id="a1",
    )
    store.log_activity(
        {"type": "DEMO", "occurred_at": now - 10 * DAY, "summary": "demo"},
        person_ids=["p2", "p3"],
        member_ids=["m2"],
        opportunity_id="o1",
        node_id="a2",
    )
    store.log_activity(
        {"type": "CALL", "occurred_at": now - 2 * DAY, "summary": "call"},
        person_ids=["p4"],
        node_id="a3",
    )
