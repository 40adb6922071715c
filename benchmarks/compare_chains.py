"""The decision-chain statement of two checkouts, A/B, in one run (a script, not a test).

Why: the chain statement is what every page and every analysis reads first, and two benchmark
runs minutes apart differ by more than most changes to it do. This prepares the 100-person
chain of ``benchmarks/bench_api.py`` once, then alternates single reads of each checkout's
``DECISION_CHAINS`` on the same store (embedded, or Neo4j with ``--store neo4j``), and prints
the wall-time medians, their ratio and the median of the paired ratios. ``--leaver`` records
that one member left and names their successor (off the chain), so the part that follows who
holds a job now has a line to read.

    .venv/bin/python benchmarks/compare_chains.py OLD_CHECKOUT [--runs 300] [--leaver]
        [--store neo4j]

A checkout is a directory with the repository's files, e.g. ``git archive <rev> | tar -x -C
/tmp/old``; its ``graph/statements.py`` is read, the rest is this repository's.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_api import OPPORTUNITY, open_executor, prepare  # noqa: E402
from neo4j_process import Neo4jProcess  # noqa: E402

from domain.chain import SUCCESSOR_PLAY  # noqa: E402
from domain.model import NodeKind  # noqa: E402
from domain.vocabulary import DepartureKind  # noqa: E402
from graph import statements as new_statements  # noqa: E402
from graph.departures import departure_plan, record_departure, set_successor  # noqa: E402
from graph.scope import EVERYTHING  # noqa: E402
from graph.store import GraphStore  # noqa: E402


def old_statement(checkout: Path) -> str:
    """``DECISION_CHAINS`` as ``checkout`` writes it."""
    path = checkout / "graph" / "statements.py"
    spec = importlib.util.spec_from_file_location("old_statements", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no statements at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return str(module.DECISION_CHAINS)


def with_leaver(store: GraphStore) -> None:
    """The chain's first member left last month; the team named someone off the chain."""
    store.create_key_person("bench-cust", {"name": "Successor"}, node_id="bench-successor")
    plan = departure_plan(store, "p001")
    assert plan is not None
    record_departure(store, plan, left_on="2026-01-05", how=DepartureKind.MOVED, to=None)
    set_successor(store, store.get(NodeKind.KEY_PERSON, "p001"), "bench-successor")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("old", type=Path)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--leaver", action="store_true")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    args = parser.parse_args(argv)
    statements = {"old": old_statement(args.old), "new": new_statements.DECISION_CHAINS}
    with tempfile.TemporaryDirectory(prefix="dealgraph-chains-") as work:
        neo4j = Neo4jProcess(Path(work) / "neo4j") if args.store == "neo4j" else None
        if neo4j is not None:
            neo4j.start()
        try:
            data = Path(work) / "data"
            prepare(open_executor(data, neo4j))
            store = GraphStore(open_executor(data, neo4j))
            if args.leaver:
                with_leaver(store)
            params = {
                "ids": [OPPORTUNITY],
                "with_connectors": False,
                "activities_since": 0,
                "successor_play": SUCCESSOR_PLAY,
                **EVERYTHING.params(),
            }
            times: dict[str, list[float]] = {"old": [], "new": []}
            for run in range(args.runs + 20):
                order = ("old", "new") if run % 2 else ("new", "old")
                for which in order:
                    start = time.perf_counter()
                    store.read(statements[which], params)
                    if run >= 20:  # the first reads warm the caches
                        times[which].append((time.perf_counter() - start) * 1000)
            store.executor.close()
        finally:
            if neo4j is not None:
                neo4j.stop()
    old, new = statistics.median(times["old"]), statistics.median(times["new"])
    paired = statistics.median(o / n for o, n in zip(times["old"], times["new"], strict=True))
    print(f"store: {args.store}, leaver: {args.leaver}, runs: {args.runs}")
    print(f"old median {old:.2f} ms, new median {new:.2f} ms")
    print(f"old/new {old / new:.2f}, median of paired ratios {paired:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
