"""FalkorDB caches a statement's plan against the labels, types and keys the graph knew when
it first ran. The store registers its whole vocabulary at start, so a statement first run on
an empty graph still sees everything written afterwards."""

from __future__ import annotations

from pathlib import Path

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import TieStrength
from graph.backends.embedded import EmbeddedExecutor
from graph.chains import load_decision_chain, load_org_chart
from graph.store import GraphStore

KP = NodeKind.KEY_PERSON


def test_statements_first_run_on_an_empty_graph_see_later_data(tmp_path: Path) -> None:
    store = GraphStore(EmbeddedExecutor(tmp_path / "fresh"))
    try:
        store.ensure_schema()
        assert load_decision_chain(store, "o1") is None  # plans cached on an empty graph
        assert load_org_chart(store, "c1") is None
        store.create(NodeKind.CUSTOMER, {"name": "Hospital"}, node_id="c1")
        for person in ("p1", "p2"):
            store.create_key_person("c1", {"name": person}, {"title": "CIO"}, node_id=person)
        store.create_opportunity("c1", {"name": "HIS"}, node_id="o1")
        for person in ("p1", "p2"):
            store.set_edge(
                EdgeKind.IN_DECISION_CHAIN,
                (KP, person),
                (NodeKind.OPPORTUNITY, "o1"),
                {"role": "USER"},
            )
        store.set_edge(EdgeKind.INFLUENCES, (KP, "p1"), (KP, "p2"), {"strength": "STRONG"})

        loaded = load_decision_chain(store, "o1")
        assert loaded is not None
        assert [(t.from_id, t.to_id, t.strength) for t in loaded.snapshot.influences] == [
            ("p1", "p2", TieStrength.STRONG)
        ]
        assert {p.title for p in loaded.snapshot.persons} == {"CIO"}
        chart = load_org_chart(store, "c1")
        assert chart is not None
        assert [t.strength for t in chart.influences] == [TieStrength.STRONG]
    finally:
        store.close()
