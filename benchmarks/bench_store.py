"""Store benchmark: bulk import rate and decision-chain load latency against graph size.

Run from the repository root::

    .venv/bin/python benchmarks/bench_store.py                       # everything, 1M persons
    .venv/bin/python benchmarks/bench_store.py --large-persons 200000  # a smaller large graph
    .venv/bin/python benchmarks/bench_store.py --skip-chains          # import rate only
    .venv/bin/python benchmarks/bench_store.py --store neo4j --large-persons 200000

``--store neo4j`` measures the same on Neo4j Community 5.26 (``tools/neo4j``, built with
``make neo4j-build``): the script starts one server per store on a free loopback port, each
with a fresh database, and stops it when that store is done.

Figures (printed on stdout; progress goes to stderr):

1. import: 100k key persons (with 1k customers) and 300k edges (WORKS_AT, REPORTS_TO,
   INFLUENCES, KNOWS) into an empty embedded store, in items per second, both through
   ``graph.transfer`` (store level) and through ``dealgraph import`` of a JSON Lines file
   (checking pass included), and the store's raw bulk-create rate for the same rows
   (``UNWIND`` CREATE, no merge, no checks) in the same run. Goals: at least 20,000 items/s;
   ``dealgraph import`` at least 50% of the raw rate.
2. chains: p50/p99 of ``graph.chains.load_decision_chain`` for a 100-person opportunity in a
   graph of 10k persons and in one of 1M persons, and the ratio large/small. Measured twice:
   in the embedded servers that just bulk-loaded the graphs, and in the same stores reopened
   ("served"), which is how the API meets them (``dealgraph import`` stops its server when it
   is done; ``dealgraph serve`` starts one from the files). Goal, for the served store: at most
   1.2. A server that has just written millions of items reads them more slowly than one that
   loaded them from its files (the same server measured from another client process is as
   slow, so the cause is the server's memory after the bulk writes, not the client).
   On Neo4j the server that loaded a graph is the one the API meets (an import writes into
   the running server, which keeps running), so the chains are measured there only.

The data is generated from a seed, so runs are comparable. Graphs are built through the bulk
import path. Every store lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from neo4j_process import Neo4jProcess  # noqa: E402

from dealgraph.transfer import import_graph  # noqa: E402
from domain.model import EdgeKind, NodeKind  # noqa: E402
from graph import transfer as gt  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.chains import load_decision_chain  # noqa: E402
from graph.statements import EdgeKey  # noqa: E402
from graph.store import GraphStore, now_ms  # noqa: E402

Row = dict[str, Any]
PER_CUSTOMER = 100
CHAIN_SIZE = 100
TARGET_OPPORTUNITY = "o0000000"
DAY_MS = 86_400_000

P, C, OPP = NodeKind.KEY_PERSON, NodeKind.CUSTOMER, NodeKind.OPPORTUNITY
T, X, A = NodeKind.TEAM_MEMBER, NodeKind.COMPETITOR, NodeKind.ACTIVITY
E = EdgeKind

TIES = ("WEAK", "MODERATE", "STRONG")
ROLES = (
    "DECISION_MAKER",
    "APPROVER",
    "TECHNICAL_EVALUATOR",
    "BUSINESS_EVALUATOR",
    "USER",
    "PROCUREMENT",
    "GATEKEEPER",
    "COACH",
)
ATTITUDES = ("OPPONENT", "NEUTRAL", "SUPPORTER", "CHAMPION")


def _pid(i: int) -> str:
    return f"p{i:08d}"


def _cid(j: int) -> str:
    return f"c{j:07d}"


def _oid(j: int) -> str:
    return f"o{j:07d}"


def _system(node_id: str, now: int) -> Row:
    return {"id": node_id, "version": 1, "created_at": now, "updated_at": now}


def _edge(from_id: str, to_id: str, now: int, **props: Any) -> Row:
    return {"from_id": from_id, "to_id": to_id, "props": {"created_at": now, **props}}


@dataclass
class Generator:
    """A seeded synthetic account base: customers of 100 key persons each, with org charts."""

    persons: int
    seed: int
    now: int

    @property
    def customers(self) -> int:
        return max(1, self.persons // PER_CUSTOMER)

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}:{salt}")

    # nodes
    def customer_rows(self) -> Iterator[Row]:
        for j in range(self.customers):
            yield _system(_cid(j), self.now) | {"name": f"Customer {j}", "region": "East"}

    def person_rows(self) -> Iterator[Row]:
        for i in range(self.persons):
            yield _system(_pid(i), self.now) | {
                "name": f"Person {i}",
                "email": f"person{i}@example.com",
            }

    # person edges
    def works_at(self) -> Iterator[Row]:
        for i in range(self.persons):
            yield _edge(_pid(i), _cid(i // PER_CUSTOMER), self.now, title="Manager")

    def reports_to(self) -> Iterator[Row]:
        for i in range(self.persons):
            local = i % PER_CUSTOMER
            if local:
                yield _edge(_pid(i), _pid(i - local + (local - 1) // 5), self.now)

    def influences(self) -> Iterator[Row]:
        rng = self.rng("influences")
        for i in range(self.persons):
            base, local = i - i % PER_CUSTOMER, i % PER_CUSTOMER
            size = min(PER_CUSTOMER, self.persons - base)
            if size > 1:
                other = base + (local + 1 + rng.randrange(size - 1)) % size
                yield _edge(_pid(i), _pid(other), self.now, strength=rng.choice(TIES))

    def person_knows(self, count: int) -> Iterator[Row]:
        for i in range(min(count, self.persons)):
            base = i - i % PER_CUSTOMER
            size = min(PER_CUSTOMER, self.persons - base)
            yield _edge(_pid(i), _pid(base + (i % PER_CUSTOMER + 7) % size), self.now)

    # deals
    def opportunity_rows(self) -> Iterator[Row]:
        for j in range(self.customers):
            yield _system(_oid(j), self.now) | {"name": f"Deal {j}", "amount": 1_000_000}

    def opportunity_for(self) -> Iterator[Row]:
        for j in range(self.customers):
            yield _edge(_oid(j), _cid(j), self.now)

    def chain_size(self, j: int) -> int:
        return CHAIN_SIZE if j == 0 else 10

    def in_chain(self) -> Iterator[Row]:
        rng = self.rng("chain")
        for j in range(self.customers):
            for k in range(min(self.chain_size(j), self.persons - j * PER_CUSTOMER)):
                yield _edge(
                    _pid(j * PER_CUSTOMER + k),
                    _oid(j),
                    self.now,
                    role=rng.choice(ROLES),
                    attitude=rng.choice(ATTITUDES),
                )

    def member_rows(self) -> Iterator[Row]:
        for m in range(50):
            yield _system(f"m{m:03d}", self.now) | {"name": f"Member {m}"}

    def on_team(self) -> Iterator[Row]:
        roles = ("ACCOUNT_MANAGER", "SOLUTION_MANAGER", "DELIVERY_MANAGER")
        for j in range(self.customers):
            for r, role in enumerate(roles):
                yield _edge(f"m{(j * 3 + r) % 50:03d}", _oid(j), self.now, role=role)

    def team_knows(self) -> Iterator[Row]:
        rng = self.rng("team-knows")
        for i in range(0, self.persons, 20):
            yield _edge(f"m{i % 50:03d}", _pid(i), self.now, level=rng.choice(TIES))

    def competitor_rows(self) -> Iterator[Row]:
        for x in range(20):
            yield _system(f"x{x:02d}", self.now) | {"name": f"Rival {x}"}

    def competes_for(self) -> Iterator[Row]:
        for j in range(self.customers):
            for x in (j % 20, (j + 7) % 20):
                yield _edge(f"x{x:02d}", _oid(j), self.now, position="EVEN")

    def close_to(self) -> Iterator[Row]:
        for i in range(0, self.persons, 50):
            yield _edge(f"x{i % 20:02d}", _pid(i), self.now, level="MODERATE")

    def activities_of(self, j: int) -> int:
        return 50 if j == 0 else 5

    def activity_rows(self) -> Iterator[Row]:
        rng = self.rng("activities")
        for j in range(self.customers):
            for a in range(self.activities_of(j)):
                yield _system(f"a{j:07d}-{a:02d}", self.now) | {
                    "type": "VISIT",
                    "occurred_at": self.now - rng.randrange(300) * DAY_MS,
                    "summary": "met to discuss the proposal",
                    "outcome": rng.choice(("POSITIVE", "NEUTRAL", "NEGATIVE")),
                }

    def activity_edges(self) -> tuple[list[Row], list[Row], list[Row]]:
        with_, about, did = [], [], []
        for j in range(self.customers):
            chain = min(self.chain_size(j), self.persons - j * PER_CUSTOMER)
            for a in range(self.activities_of(j)):
                aid = f"a{j:07d}-{a:02d}"
                for k in {a % chain, (a * 3 + 1) % chain}:
                    with_.append(_edge(aid, _pid(j * PER_CUSTOMER + k), self.now))
                about.append(_edge(aid, _oid(j), self.now))
                did.append(_edge(f"m{(j * 3) % 50:03d}", aid, self.now))
        return with_, about, did


def _key(rel: EdgeKind, source: NodeKind, target: NodeKind) -> EdgeKey:
    return (rel, source, target)


def import_dataset(gen: Generator) -> tuple[list[tuple[NodeKind, Iterator[Row]]], list[Any]]:
    """The import-rate data set: customers, persons and 300k person edges."""
    nodes = [(C, gen.customer_rows()), (P, gen.person_rows())]
    edges = [
        (_key(E.WORKS_AT, P, C), gen.works_at()),
        (_key(E.REPORTS_TO, P, P), gen.reports_to()),
        (_key(E.INFLUENCES, P, P), gen.influences()),
        (_key(E.KNOWS, P, P), gen.person_knows(gen.customers)),
    ]
    return nodes, edges


def chain_dataset(gen: Generator) -> tuple[list[tuple[NodeKind, Any]], list[Any]]:
    """The full account base used for decision-chain latency."""
    nodes, edges = import_dataset(gen)
    nodes += [
        (OPP, gen.opportunity_rows()),
        (T, gen.member_rows()),
        (X, gen.competitor_rows()),
        (A, gen.activity_rows()),
    ]
    with_, about, did = gen.activity_edges()
    edges += [
        (_key(E.FOR, OPP, C), gen.opportunity_for()),
        (_key(E.IN_DECISION_CHAIN, P, OPP), gen.in_chain()),
        (_key(E.ON_TEAM, T, OPP), gen.on_team()),
        (_key(E.KNOWS, T, P), gen.team_knows()),
        (_key(E.COMPETES_FOR, X, OPP), gen.competes_for()),
        (_key(E.CLOSE_TO, X, P), gen.close_to()),
        (_key(E.WITH, A, P), iter(with_)),
        (_key(E.ABOUT, A, OPP), iter(about)),
        (_key(E.DID, T, A), iter(did)),
    ]
    return nodes, edges


def open_store(folder: Path, fsync: str) -> GraphStore:
    store = GraphStore(EmbeddedExecutor(folder, fsync=fsync))
    store.ensure_schema()
    return store


class Stores:
    """Opens a fresh store by name on the chosen back end and closes it again.

    Embedded: a data folder under ``work``. Neo4j: a server of its own (a fresh database),
    stopped when the store is closed.
    """

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.servers: dict[int, Neo4jProcess] = {}

    def open(self, name: str) -> GraphStore:
        if self.args.store == "embedded":
            return open_store(self.work / name, self.args.fsync)
        server = Neo4jProcess(self.work / name, heap=self.args.neo4j_heap)
        server.start()
        store = server.open_store()
        self.servers[id(store)] = server
        return store

    def close(self, store: GraphStore) -> None:
        store.close()
        server = self.servers.pop(id(store), None)
        if server is not None:
            server.stop()

    def close_all(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()


def load(store: GraphStore, nodes: list[Any], edges: list[Any], batch: int) -> tuple[int, float]:
    """Bulk-load through graph.transfer; returns (items, seconds)."""
    started = time.perf_counter()
    items = 0
    for kind, rows in nodes:
        items += gt.import_nodes(store, kind, rows, batch_size=batch)
    for key, rows in edges:
        items += gt.import_edges(store, key, rows, batch_size=batch)
    return items, time.perf_counter() - started


def write_file(path: Path, nodes: list[Any], edges: list[Any], now: int) -> int:
    """The same data as a dealgraph export file."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"format": "dealgraph", "version": 1, "exported_at": now}) + "\n")
        for kind, rows in nodes:
            for row in rows:
                out.write(json.dumps({"type": "node", "label": kind.value, "props": row}) + "\n")
                count += 1
        for (rel, source, target), rows in edges:
            for row in rows:
                record = {
                    "type": "edge",
                    "rel": rel.value,
                    "from_label": source.value,
                    "from_id": row["from_id"],
                    "to_label": target.value,
                    "to_id": row["to_id"],
                    "props": row["props"],
                }
                out.write(json.dumps(record) + "\n")
                count += 1
    return count


def bench_import(args: argparse.Namespace, work: Path, stores: Stores) -> None:
    gen = Generator(args.import_persons, args.seed, now_ms())
    store = stores.open("import-store")
    try:
        items, seconds = load(store, *import_dataset(gen), args.batch)
    finally:
        stores.close(store)
    print(
        f"import (graph.transfer): {items:,} items in {seconds:.1f}s = "
        f"{items / seconds:,.0f} items/s  [goal >= 20,000]"
    )
    file = work / "import.jsonl"
    lines = write_file(file, *import_dataset(gen), gen.now)
    store = stores.open("file-store")
    try:
        started = time.perf_counter()
        written = import_graph(store, file, batch_size=args.batch, stream=sys.stderr)
        seconds = time.perf_counter() - started
    finally:
        stores.close(store)
    size = file.stat().st_size / 1e6
    print(
        f"import (dealgraph import, {lines:,} lines, {size:.0f} MB, check + write): "
        f"{written:,} items in {seconds:.1f}s = {written / seconds:,.0f} items/s"
    )
    store = stores.open("raw-store")
    try:
        raw_items, raw_seconds = create(store, *import_dataset(gen), args.batch)
    finally:
        stores.close(store)
    raw_rate, import_rate = raw_items / raw_seconds, written / seconds
    print(
        f"raw store create (UNWIND CREATE, the same rows, no checks): {raw_items:,} items in "
        f"{raw_seconds:.1f}s = {raw_rate:,.0f} items/s; dealgraph import / raw = "
        f"{import_rate / raw_rate:.0%}  [goal >= 50%]"
    )


def create(store: GraphStore, nodes: list[Any], edges: list[Any], batch: int) -> tuple[int, float]:
    """The store's bulk-create rate: CREATE nodes, then MATCH ends and CREATE edges, in
    ``UNWIND`` batches of rows sent from this process (nothing merged, nothing checked)."""
    started = time.perf_counter()
    items = 0
    for kind, rows in nodes:
        items += gt.create_nodes(store, kind, rows, batch_size=batch)
    for key, rows in edges:
        items += gt.create_edges(store, key, rows, batch_size=batch)
    return items, time.perf_counter() - started


def wait_for_background_saves(store: GraphStore) -> float:
    """Wait while the embedded server rewrites its append-only file after a bulk load.

    The rewrite runs in a forked process that competes for the CPU; timing reads during it
    measures the rewrite, not the statement.
    """
    started = time.perf_counter()
    db = getattr(store.executor, "_db", None)
    client = getattr(db, "client", None)
    while client is not None:
        info = client.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("rdb_bgsave_in_progress"):
            break
        time.sleep(0.5)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Latency:
    persons: int
    items: int
    build_seconds: float
    p50: float
    p99: float
    chain_members: int


def build_chain_graph(
    persons: int, args: argparse.Namespace, stores: Stores
) -> tuple[GraphStore, int, float]:
    """A store holding the account base of ``persons`` key persons, settled after the load."""
    gen = Generator(persons, args.seed, now_ms())
    store = stores.open(f"chains-{persons}")
    items, build = load(store, *chain_dataset(gen), args.batch)
    print(
        f"  built {persons:,}-person graph: {items:,} items in {build:.1f}s "
        f"({items / build:,.0f} items/s)",
        file=sys.stderr,
    )
    if args.store == "embedded":
        settled = wait_for_background_saves(store)
        print(f"  background saves settled after {settled:.1f}s", file=sys.stderr)
    return store, items, build


def reopen(persons: int, args: argparse.Namespace, work: Path) -> GraphStore:
    """The store as ``dealgraph serve`` finds it: its server started anew from the files."""
    started = time.perf_counter()
    store = open_store(work / f"chains-{persons}", args.fsync)
    store.ping()
    seconds = time.perf_counter() - started
    print(f"  reopened the {persons:,}-person store in {seconds:.1f}s", file=sys.stderr)
    return store


def _timed_load(store: GraphStore) -> tuple[float, int]:
    started = time.perf_counter()
    chain = load_decision_chain(store, TARGET_OPPORTUNITY)
    elapsed = (time.perf_counter() - started) * 1000
    assert chain is not None
    return elapsed, len(chain.snapshot.members)


def measure(stores: list[GraphStore], args: argparse.Namespace) -> list[tuple[float, float, int]]:
    """(p50, p99, members) per store. Loads alternate between the stores, so that other work
    on the machine (a 2-core box) slows every series alike instead of skewing the ratio."""
    timings: list[list[float]] = [[] for _ in stores]
    members = [0 for _ in stores]
    for run in range(args.warmup + args.runs):
        for index, store in enumerate(stores):
            elapsed, members[index] = _timed_load(store)
            if run >= args.warmup:
                timings[index].append(elapsed)
    figures = []
    for index, series in enumerate(timings):
        cuts = statistics.quantiles(series, n=100, method="inclusive")
        figures.append((cuts[49], cuts[98], members[index]))
    return figures


def bench_chains(args: argparse.Namespace, work: Path, opener: Stores) -> dict[str, list[Latency]]:
    """Chain loads in the servers that just bulk-loaded the graphs, then (embedded) in the same
    stores reopened. The second is how the API meets an embedded store: ``dealgraph import``
    stops its server when it finishes and ``dealgraph serve`` starts one from the files. A
    Neo4j server keeps running after an import, so there the first is how the API meets it."""
    sizes = (args.small_persons, args.large_persons)
    built = []
    try:
        for n in sizes:
            built.append(build_chain_graph(n, args, opener))
        after_load = measure([store for store, _, _ in built], args)
    finally:
        for store, _, _ in built:
            opener.close(store)
    results = [("bulk-loading server", after_load)]
    if args.store == "neo4j":
        results = [("served (the server that loaded it)", after_load)]
    else:
        stores = [reopen(n, args, work) for n in sizes]
        try:
            results.append(("served", measure(stores, args)))
        finally:
            for store in stores:
                store.close()
    return {
        label: [
            Latency(persons, items, build, p50, p99, members)
            for persons, (_, items, build), (p50, p99, members) in zip(
                sizes, built, figures, strict=True
            )
        ]
        for label, figures in results
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument(
        "--neo4j-heap", default="2g", help="JVM heap of each Neo4j server (--store neo4j)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=gt.BATCH_SIZE, help="rows per statement")
    parser.add_argument("--fsync", choices=("always", "everysec"), default="always")
    parser.add_argument("--import-persons", type=int, default=100_000)
    parser.add_argument("--small-persons", type=int, default=10_000)
    parser.add_argument("--large-persons", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="timed chain loads per graph")
    parser.add_argument(
        "--warmup", type=int, help="untimed chain loads first (default 10; 50 on Neo4j)"
    )
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-chains", action="store_true")
    parser.add_argument("--keep", type=Path, help="build stores here and keep them")
    args = parser.parse_args(argv)
    if args.warmup is None:
        args.warmup = 50 if args.store == "neo4j" else 10
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dealgraph-bench-") as tmp:
        work = args.keep or Path(tmp)
        stores = Stores(args, work)
        setting = f"fsync {args.fsync}" if args.store == "embedded" else f"heap {args.neo4j_heap}"
        print(f"bench_store: {args.store} store, seed {args.seed}, batch {args.batch}, {setting}")
        try:
            if not args.skip_import:
                bench_import(args, work, stores)
            chains = {} if args.skip_chains else bench_chains(args, work, stores)
        finally:
            stores.close_all()
        if chains:
            for label, results in chains.items():
                print(f"decision chain, {label}:")
                for r in results:
                    print(
                        f"  {r.chain_members} members in {r.persons:,} persons "
                        f"({r.items:,} items, built in {r.build_seconds:.0f}s): "
                        f"p50 {r.p50:.1f} ms, p99 {r.p99:.1f} ms over {args.runs} loads"
                    )
                small, large = results
                goal = "  [goal <= 1.2]" if label.startswith("served") else ""
                print(
                    f"  ratio {large.persons:,}/{small.persons:,} persons: p50 "
                    f"{large.p50 / small.p50:.2f}, p99 {large.p99 / small.p99:.2f}{goal}"
                )
    print(f"total {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
