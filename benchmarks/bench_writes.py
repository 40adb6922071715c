"""Benchmark: what an audited write costs on the embedded store, as the graph grows.

Every audited write creates its audit entry and numbers it from the store's audit sequence in
the same statement (what lets readers keep decision chains, ``resolvers.kept``). This prints
the p50 of two common writes (an attitude in a decision chain, a key person's notes) on the
demo alone and after ``--deals`` more deals sharing the demo's people, and the time to build
those deals (one opportunity and six chain memberships each).

    .venv/bin/python benchmarks/bench_writes.py [--deals 150] [--writes 40]

Run it from two checkouts to compare (the figures in docs/performance.md were taken so).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo  # noqa: E402
from domain.model import EdgeKind, NodeKind  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.chains import load_decision_chain  # noqa: E402
from graph.store import GraphStore  # noqa: E402

ROLES = ("USER", "TECHNICAL_EVALUATOR", "COACH", "FINANCE", "BUSINESS_EVALUATOR")
ATTITUDES = ("SUPPORTER", "NEUTRAL", "OPPONENT", "CHAMPION", "SKEPTIC")


def measure(store: GraphStore, writes: int) -> tuple[float, float]:
    """p50 in ms of setting a chain member's attitude and of updating a person's notes."""
    chain = load_decision_chain(store, DEMO_OPPORTUNITY_ID)
    assert chain is not None
    members = chain.snapshot.members
    edge_ms: list[float] = []
    node_ms: list[float] = []
    for i in range(writes):
        member = members[i % len(members)]
        ends = (NodeKind.KEY_PERSON, member.person_id), (NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
        props = {"role": member.role.value, "attitude": ATTITUDES[i % len(ATTITUDES)]}
        started = time.perf_counter()
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, *ends, props)
        edge_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        store.update(NodeKind.KEY_PERSON, member.person_id, {"notes": f"note {i}"})
        node_ms.append((time.perf_counter() - started) * 1000)
    return statistics.median(edge_ms), statistics.median(node_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=150)
    parser.add_argument("--writes", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dealgraph-writes-") as tmp:
        executor = EmbeddedExecutor(Path(tmp), fsync="no")
        store = GraphStore(executor)
        try:
            store.ensure_schema()
            load_demo(store)
            edge, node = measure(store, args.writes)
            print(f"demo only: attitude set p50 {edge:.2f} ms, person update p50 {node:.2f} ms")
            chain = load_decision_chain(store, DEMO_OPPORTUNITY_ID)
            assert chain is not None
            people = [m.person_id for m in chain.snapshot.members][:6]
            started = time.perf_counter()
            for d in range(args.deals):
                deal = f"bench-deal-{d:04d}"
                store.create_opportunity(
                    chain.customer["id"], {"name": f"Deal {d}", "amount": 100_000}, node_id=deal
                )
                for i, person in enumerate(people):
                    props = {"role": ROLES[(d + i) % 5], "attitude": ATTITUDES[(d * 3 + i) % 5]}
                    store.set_edge(
                        EdgeKind.IN_DECISION_CHAIN,
                        (NodeKind.KEY_PERSON, person),
                        (NodeKind.OPPORTUNITY, deal),
                        props,
                    )
            built = time.perf_counter() - started
            edge, node = measure(store, args.writes)
            print(
                f"{args.deals} more deals: attitude set p50 {edge:.2f} ms, person update p50 "
                f"{node:.2f} ms; building them: {built:.1f} s ({args.deals * 7} writes)"
            )
        finally:
            store.close()


if __name__ == "__main__":
    main()
