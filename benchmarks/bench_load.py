"""Benchmark: the API under load, over HTTP, against a real ``dealgraph serve``.

A fresh data folder gets the demo deal (``dealgraph demo``, 13-person chain) and its
development administrator; ``dealgraph serve --workers W`` serves it with authentication on.
First one client alone measures each request's p50; then N concurrent clients send, for a
fixed time, a mix of reads (the decision chain with the win likelihood, the assessment, the
analysis, the suggested work plan) and, one request in ten, an update of the opportunity with
the version last read (racing updates may be refused with CONFLICT, which is expected).

Printed: throughput, p50/p99 under load, p99 against the single-client p50 of the same mix,
the CPU each process spent per request under load (server, store, this load generator), and
every failure by kind (HTTP status, GraphQL error code, transport error).

With ``--rates``, the same mix then also arrives open loop: requests come at a fixed rate
(Poisson arrivals) whatever the answers, each timed from its arrival, so a request that waits
for a free connection is counted as waiting. A closed loop of N clients answers a different
question: its latency is N / throughput by Little's law (32 clients at 640 requests/s wait
50 ms on average however fast each request is), so its p99 says how the load is shared, while
the open loop says how long a request takes at a given traffic.

The clients speak HTTP/1.1 over keep-alive connections with a few lines of asyncio
(``Connection``): httpx spent more CPU per request than the server (about 6 ms) and queued
requests in its connection pool, so it measured itself more than the server. Each client walks
the whole mix, starting at its own place in it.

    .venv/bin/python benchmarks/bench_load.py [--workers 1] [--clients 32] [--seconds 20]
        [--rates 100,200,300]

Goals (2-core machine): throughput >= 5x the figure before derived results were
kept; p99 <= 10x the single-client p50; no failure other than CONFLICT.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import psutil
from serving import wait_ready

ROOT = Path(__file__).resolve().parent.parent
OPPORTUNITY = "demo-opp-smart-hospital"

CHAIN = """query($id: ID!) { node(id: $id) { ... on Opportunity { name version
  decisionChain { members { person { name } role attitude influence } }
  assessment { winLikelihood { value } } } } }"""
ASSESSMENT = """query($id: ID!) { node(id: $id) { ... on Opportunity { version assessment {
  isReal { value } canCompete { value } canWin { value } worthIt { value }
  winLikelihood { value logit terms { factor logit text } } } } } }"""
ANALYSIS = """query($id: ID!) { node(id: $id) { ... on Opportunity { version analysis {
  influence { person { name } effective } gaps { person { name } severity kinds }
  redFlags { code severity text }
  bridges { person { name } } } } } }"""
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity { version
  suggestedWorkPlan(limit: 5) { actionKey title target { name } } } } }"""
UPDATE = """mutation($id: ID!, $input: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $input) {
    opportunity { version } userErrors { field message code } } }"""

READS = {"chain": CHAIN, "assessment": ASSESSMENT, "analysis": ANALYSIS, "plan": PLAN}

# Single-client comparisons (not in the mix): the chain alone against the chain's judgements,
# and a page of 100 deals without and with their likelihood and red flags.
CHAIN_ALONE = """query($id: ID!) { node(id: $id) { ... on Opportunity { name version
  decisionChain { members { person { name } role attitude influence } } } } }"""
JUDGEMENTS = """query($id: ID!) { node(id: $id) { ... on Opportunity { name version
  assessment { isReal { value } canCompete { value } canWin { value } worthIt { value }
    winLikelihood { value } }
  analysis { gaps { person { name } kinds } redFlags { code text } }
  suggestedWorkPlan(limit: 5) { actionKey title target { name } } } } }"""
LIST_BARE = """{ opportunities(first: 100) { edges { node { name stage amount } } } }"""
LIST_JUDGED = """{ opportunities(first: 100) { edges { node { name stage amount
  assessment { winLikelihood { value } } analysis { redFlags { code severity } } } } } }"""
DEALS = 100
ROLES = ("DECISION_MAKER", "APPROVER", "TECHNICAL_EVALUATOR", "BUSINESS_EVALUATOR", "USER")
ATTITUDES = ("OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION")


def gid(kind: str, raw: str) -> str:
    return base64.b64encode(f"{kind}:{raw}".encode()).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Run:
    """Latencies and failures of one phase."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.failures: Counter[str] = Counter()
        self.version: int | None = None

    def record(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


class Connection:
    """One keep-alive HTTP/1.1 connection that posts JSON: the load generator's client, cheap
    enough (about 0.3 ms of CPU per request) to leave the cores to the server and the store."""

    def __init__(self, base: str, token: str) -> None:
        host, _, port = base.removeprefix("http://").partition(":")
        self.host, self.port = host, int(port)
        self.head = (
            f"Host: {host}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
        )
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, body: dict[str, Any]) -> tuple[int, bytes]:
        """Status and body of a POST to /graphql; reconnects when the server closed."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        data = orjson.dumps(body)
        request = f"POST /graphql HTTP/1.1\r\n{self.head}Content-Length: {len(data)}\r\n\r\n"
        writer.write(request.encode() + data)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        lines = head.split(b"\r\n")
        length, keep = 0, True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise RuntimeError("a chunked answer: this client reads sized bodies only")
            elif name == b"connection" and value.strip().lower() == b"close":
                keep = False
        payload = await reader.readexactly(length)
        if not keep:
            self.close()
        return int(lines[0].split()[1]), payload

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def _check(run: Run, status: int, payload: bytes, kind: str) -> None:
    if status != 200:
        run.failures[f"HTTP {status}"] += 1
        return
    body = orjson.loads(payload)
    errors = body.get("errors") or []
    if errors:
        for error in errors:
            run.failures[str((error.get("extensions") or {}).get("code", "GRAPHQL_ERROR"))] += 1
        return
    data = body["data"]
    if kind == "update":
        payload_ = data["opportunityUpdate"]
        for problem in payload_["userErrors"]:
            run.failures[str(problem.get("code") or "USER_ERROR")] += 1
        if payload_["opportunity"]:
            run.version = payload_["opportunity"]["version"]
        return
    run.version = data["node"]["version"]


async def request(
    connection: Connection, run: Run, kind: str, counter: int, arrived: float | None = None
) -> None:
    """One request of the mix, checked and timed from ``arrived`` (default: when it is sent)."""
    opp = gid("Opportunity", OPPORTUNITY)
    if kind == "update":
        amount = 30_000_000_00 + (counter % 7) * 1_000_00
        body: dict[str, Any] = {
            "query": UPDATE,
            "variables": {"id": opp, "input": {"version": run.version or 1, "amount": amount}},
        }
    else:
        body = {"query": READS[kind], "variables": {"id": opp}}
    started = time.perf_counter() if arrived is None else arrived
    try:
        status, payload = await connection.post(body)
    except (OSError, asyncio.IncompleteReadError) as error:
        run.failures[type(error).__name__] += 1
        return
    run.record(kind, time.perf_counter() - started)
    _check(run, status, payload, kind)


def mix(counter: int) -> str:
    """The request kind of the n-th request: one in ten an update, reads in turn."""
    if counter % 10 == 9:
        return "update"
    return list(READS)[counter % len(READS)]


async def load(base: str, token: str, clients: int, seconds: float, run: Run) -> int:
    """``clients`` concurrent clients for ``seconds``; returns the requests completed. Client
    ``i`` starts the mix at ``i * 7`` and walks it, so every client sends every kind."""
    deadline = time.perf_counter() + seconds
    done = 0

    async def client(offset: int) -> None:
        nonlocal done
        connection = Connection(base, token)
        counter = offset * 7
        try:
            while time.perf_counter() < deadline:
                await request(connection, run, mix(counter), counter)
                counter += 1
                done += 1
        finally:
            connection.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return done


async def arrivals(base: str, token: str, rate: float, seconds: float, run: Run) -> int:
    """Open loop: requests of the mix arrive at ``rate`` per second (Poisson) for ``seconds``,
    whatever the answers; each is timed from its arrival. A request takes an idle connection or
    opens one, so the connections grow with the requests in flight. Returns the requests
    answered."""
    idle: list[tuple[Connection, float]] = []
    flying: set[asyncio.Task[None]] = set()
    draw = random.Random(7)
    done = 0

    def connection() -> Connection:
        """An idle connection used within the last second (the server closes a connection
        idle for 5 s, and a request on it would fail), or a new one."""
        while idle:
            kept, used = idle.pop()
            if time.perf_counter() - used < 1.0:
                return kept
            kept.close()
        return Connection(base, token)

    async def one(counter: int, arrived: float) -> None:
        nonlocal done
        taken = connection()
        try:
            await request(taken, run, mix(counter), counter, arrived)
            done += 1
        finally:
            idle.append((taken, time.perf_counter()))

    start = time.perf_counter()
    due, counter = start, 0
    while due < start + seconds:
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        task = asyncio.create_task(one(counter, due))
        flying.add(task)
        task.add_done_callback(flying.discard)
        counter += 1
        due += draw.expovariate(rate)
    await asyncio.gather(*flying)
    for kept, _ in idle:
        kept.close()
    return done


async def single(base: str, token: str, rounds: int) -> Run:
    """One client alone: each read of the mix ``rounds`` times (after a warm-up)."""
    run = Run()
    connection = Connection(base, token)
    try:
        for counter in range(20):
            await request(connection, Run(), mix(counter), counter)
        for counter in range(rounds * 10):
            await request(connection, run, mix(counter), counter)
    finally:
        connection.close()
    return run


def add_deals(data_dir: Path) -> None:
    """99 more deals at the demo customer, each with the demo's 13 people in other roles."""
    sys.path.insert(0, str(ROOT))
    from domain.model import EdgeKind, NodeKind
    from graph.backends.embedded import EmbeddedExecutor
    from graph.chains import load_decision_chain
    from graph.store import GraphStore

    store = GraphStore(EmbeddedExecutor(data_dir, fsync="everysec"))
    try:
        demo = load_decision_chain(store, OPPORTUNITY)
        assert demo is not None
        people = [m.person_id for m in demo.snapshot.members]
        customer = demo.customer["id"]
        for d in range(1, DEALS):
            deal = f"load-deal-{d:03d}"
            amount = (d % 9 + 1) * 1_000_000_00
            store.create_opportunity(customer, {"name": f"Deal {d:03d}", "amount": amount},
                                     node_id=deal)  # fmt: skip
            for i, person in enumerate(people):
                props = {"role": ROLES[(d + i) % 5], "attitude": ATTITUDES[(d * 3 + i) % 5]}
                store.set_edge(EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, person),
                               (NodeKind.OPPORTUNITY, deal), props)  # fmt: skip
    finally:
        store.close()


async def compare(base: str, token: str, rounds: int) -> dict[str, float]:
    """Single-client p50 of the comparisons, the requests of each pair taken in turn."""
    opp = {"id": gid("Opportunity", OPPORTUNITY)}
    times: dict[str, list[float]] = {}
    connection = Connection(base, token)

    async def timed(name: str, query: str, variables: dict[str, Any]) -> None:
        started = time.perf_counter()
        status, payload = await connection.post({"query": query, "variables": variables})
        times.setdefault(name, []).append(time.perf_counter() - started)
        assert status == 200, payload[:300]
        assert b'"errors"' not in payload, payload[:300]

    try:
        await timed("list cold", LIST_JUDGED, {})
        await timed("list cold bare", LIST_BARE, {})
        for _ in range(rounds):
            await timed("chain alone", CHAIN_ALONE, opp)
            await timed("judgements", JUDGEMENTS, opp)
            await timed("list bare", LIST_BARE, {})
            await timed("list judged", LIST_JUDGED, {})
    finally:
        connection.close()
    return {name: pct(values, 0.5) for name, values in times.items()}


def cpu_seconds(server: int, data_dir: Path) -> dict[str, float]:
    """CPU seconds (user + system) spent so far by the API server with its workers, by the
    store's server (a daemon of its own, found through the folder's registry) and by this
    load generator."""

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)

    api = psutil.Process(server)
    registry = json.loads((data_dir / "dealgraph.rdb.settings").read_text())
    store = psutil.Process(int(Path(registry["pidfile"]).read_text().strip()))
    return {
        "server": used(api) + sum(used(child) for child in api.children(recursive=True)),
        "store": used(store),
        "load generator": used(psutil.Process()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=10, help="single-client rounds of the mix")
    parser.add_argument(
        "--rates",
        default="",
        help="comma-separated arrival rates (requests/s) to run open loop after the clients",
    )
    args = parser.parse_args()
    rates = [float(rate) for rate in args.rates.split(",") if rate.strip()]

    with tempfile.TemporaryDirectory(prefix="dealgraph-load-") as tmp:
        data_dir = Path(tmp) / "data"
        env = {
            **os.environ,
            "DEALGRAPH_DATA_DIR": str(data_dir),
            "DEALGRAPH_FSYNC": "everysec",
            "DEALGRAPH_MODE": "development",
            "DEALGRAPH_AUTH_REQUIRED": "true",
        }
        cli = [sys.executable, "-m", "dealgraph.cli"]
        subprocess.run([*cli, "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        token = (data_dir / "dev-token").read_text().strip()
        add_deals(data_dir)
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, server)
            alone = asyncio.run(single(base, token, args.rounds))
            compared = asyncio.run(compare(base, token, args.rounds * 2))
            loaded = Run()
            cpu_before = cpu_seconds(server.pid, data_dir)
            started = time.perf_counter()
            done = asyncio.run(load(base, token, args.clients, args.seconds, loaded))
            elapsed = time.perf_counter() - started
            cpu_after = cpu_seconds(server.pid, data_dir)
            opened: list[tuple[float, int, float, Run]] = []
            for rate in rates:
                arrived = Run()
                began = time.perf_counter()
                answered = asyncio.run(arrivals(base, token, rate, args.seconds, arrived))
                opened.append((rate, answered, time.perf_counter() - began, arrived))
        finally:
            server.terminate()
            server.wait(timeout=30)

    ms = 1000.0
    print(
        f"load: demo deal (13-person chain), embedded store, {args.workers} worker(s), "
        f"{args.clients} clients for {args.seconds:.0f} s, an administrator's token, "
        "1 request in 10 an update"
    )
    print("single client, p50 per request:")
    for kind, values in alone.latencies.items():
        print(f"  {kind:<11} {pct(values, 0.5) * ms:8.1f} ms")
    single_p50 = pct(alone.all(), 0.5)
    print(f"  whole mix   {single_p50 * ms:8.1f} ms")
    chain, judged = compared["chain alone"], compared["judgements"]
    print(f"chain alone p50 {chain * ms:.1f} ms; assessment + analysis + plan p50 "
          f"{judged * ms:.1f} ms: {judged / chain:.2f}x  [goal <= 1.5]")  # fmt: skip
    bare, listed = compared["list bare"], compared["list judged"]
    print(f"{DEALS} deals p50 {bare * ms:.1f} ms; with likelihood and red flags p50 "
          f"{listed * ms:.1f} ms: {listed / bare:.2f}x  [goal <= 3]; first read after start "
          f"{compared['list cold'] * ms:.0f} ms")  # fmt: skip
    every = loaded.all()
    p50, p99 = pct(every, 0.5), pct(every, 0.99)
    print(f"under load: {done} requests in {elapsed:.1f} s = {done / elapsed:.1f} requests/s")
    print(f"  p50 {p50 * ms:.1f} ms, p99 {p99 * ms:.1f} ms; p99 / single-client p50 = "
          f"{p99 / single_p50:.1f}")  # fmt: skip
    for kind, values in loaded.latencies.items():
        a50, a99 = pct(values, 0.5) * ms, pct(values, 0.99) * ms
        print(f"  {kind:<11} p50 {a50:8.1f} ms  p99 {a99:8.1f} ms")
    if done:
        spent = {role: cpu_after[role] - cpu_before[role] for role in cpu_after}
        print("  CPU per request under load: " + ", ".join(
            f"{role} {seconds / done * ms:.2f} ms" for role, seconds in spent.items()
        ) + f"; {sum(spent.values()) / elapsed:.2f} of {os.cpu_count()} cores busy")  # fmt: skip
    for rate, answered, took, arrived in opened:
        every = arrived.all()
        a50, a99 = pct(every, 0.5), pct(every, 0.99)
        print(f"open loop, {rate:.0f} requests/s arriving: {answered / took:.1f} answered/s, "
              f"p50 {a50 * ms:.1f} ms, p99 {a99 * ms:.1f} ms; p99 / single-client p50 = "
              f"{a99 / single_p50:.1f}")  # fmt: skip
        for kind, values in arrived.latencies.items():
            k50, k99 = pct(values, 0.5) * ms, pct(values, 0.99) * ms
            print(f"  {kind:<11} p50 {k50:8.1f} ms  p99 {k99:8.1f} ms")
    failures = loaded.failures + alone.failures
    for *_, arrived in opened:
        failures += arrived.failures
    if failures:
        print("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(failures.items())))
    else:
        print("failures: none")


if __name__ == "__main__":
    main()
