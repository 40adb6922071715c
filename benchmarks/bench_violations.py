"""Violation reads benchmark: the open violations of one deal, with 5,000 violations stored.

Run from the repository root::

    .venv/bin/python benchmarks/bench_violations.py                  # the embedded store
    .venv/bin/python benchmarks/bench_violations.py --store neo4j    # Neo4j (tools/neo4j built)

Every write that may break or mend the process (stage moves, approvals, activities, work plan
results, ties to the deal) reads its deal's open violations (``process_store.open_violations``)
before it upserts the findings, which match each finding's open violation by ``key``. The
figures are medians in milliseconds of that read and of the upsert's match, in one run over
the same store, with the listing of one deal's open violations the Process card shows: first
with the violation lookup indexes dropped (how the store was before it had them), then with
them created again by ``ensure_schema``.

The data: 500 deals with 10 violations each (half of them resolved), from a seed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from neo4j_process import Neo4jProcess  # noqa: E402

from graph import process_store as ps  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.statements import VIOLATION_LABEL  # noqa: E402
from graph.store import GraphStore  # noqa: E402

DEALS = 500
PER_DEAL = 10
TARGET = "o0250"
INDEXED = ("opportunity_id", "key")
READS = 300


def violation_rows() -> list[dict[str, Any]]:
    """``DEALS * PER_DEAL`` violations; every other one of a deal resolved."""
    return [
        {
            "id": f"v{deal:04d}-{n}",
            "key": f"ACTION_OVERDUE:o{deal:04d}:action{n}",
            "rule": "ACTION_OVERDUE",
            "opportunity_id": f"o{deal:04d}",
            "subject": f"action{n}",
            "detected_at": 1_760_000_000_000,
            "acknowledged": False,
            **({"resolved_at": 1_760_000_100_000} if n % 2 else {}),
        }
        for deal in range(DEALS)
        for n in range(PER_DEAL)
    ]


def drop_indexes(store: GraphStore, neo4j: bool) -> None:
    """Drop the violation lookup indexes (each back end's own DDL; not app code)."""
    for prop in INDEXED:
        statement = (
            f"DROP INDEX {VIOLATION_LABEL.lower()}_{prop} IF EXISTS"
            if neo4j
            else f"DROP INDEX FOR (n:{VIOLATION_LABEL}) ON (n.{prop})"
        )
        store.executor.write(statement, {})


def median_ms(action: Callable[[], object]) -> float:
    for _ in range(20):  # warm the plan caches
        action()
    times = []
    for _ in range(READS):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def measure(store: GraphStore) -> tuple[float, float, float]:
    """Medians of the open-violations read of one deal, of a match by key and of the deal's
    listing as the Process card asks for it (its open violations, first page)."""
    read = median_ms(lambda: ps.open_violations(store, [TARGET]))
    key = f"ACTION_OVERDUE:{TARGET}:action4"
    query = (
        f"MATCH (v:{VIOLATION_LABEL} {{key: $key}}) WHERE v.resolved_at IS NULL RETURN v.id AS id"
    )
    by_key = median_ms(lambda: store.read(query, {"key": key}))
    listed = median_ms(
        lambda: ps.list_violations(store, opportunity_id=TARGET, open_only=True, limit=50)
    )
    return read, by_key, listed


def run(store: GraphStore, name: str, neo4j: bool) -> None:
    store.executor.write(
        f"UNWIND $rows AS row CREATE (v:{VIOLATION_LABEL}) SET v = row", {"rows": violation_rows()}
    )
    assert len(ps.open_violations(store, [TARGET])) == PER_DEAL // 2
    drop_indexes(store, neo4j)
    before = measure(store)
    store.ensure_schema()
    if neo4j:
        store.executor.write("CALL db.awaitIndexes(60)", {})
    after = measure(store)
    print(f"{name}: {DEALS * PER_DEAL} violations, medians of {READS} reads (ms)")
    for label, was, now in (
        ("open violations of one deal", before[0], after[0]),
        ("open violation of one key", before[1], after[1]),
        ("one deal's listing (Process card)", before[2], after[2]),
    ):
        print(f"  {label:34} without indexes {was:7.3f}  with {now:7.3f}  ({was / now:.1f}x)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-violations-") as work:
        if args.store == "neo4j":
            with Neo4jProcess(Path(work) / "neo4j") as server:
                store = server.open_store()
                try:
                    run(store, "neo4j", neo4j=True)
                finally:
                    store.close()
            return 0
        store = GraphStore(EmbeddedExecutor(Path(work) / "embedded"))
        store.ensure_schema()
        try:
            run(store, "embedded", neo4j=False)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
