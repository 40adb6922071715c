"""How long the first request takes once Neo4j is back after an outage, and where that time
goes, as an operator meets it: the database stops under a running server, a request is told it
is unavailable, the database starts again, and the next request is timed.

    .venv/bin/python benchmarks/bench_neo4j_recovery.py [--rounds 5]

Each round runs ``dealgraph serve`` (development mode, one worker) on a Neo4j Community from
``tools/neo4j``, reached through a TCP relay so that the restarted database (a fresh one, on a
new port) is at the same address: a few concurrent reads fill the driver's connection pool as
a busy server's is, Neo4j stops (its connections close, new ones are refused), one read is
answered UNAVAILABLE, Neo4j starts again, and the first read after it and the one after that
are timed. Every other round, before that first read, a separate driver sends the cheapest
statement there is (``RETURN 1``) to the restarted database and is timed: what that costs is
the database's own first statement after a start, which the server's first read no longer
pays. The medians of both kinds of round are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import neo4j
from neo4j_process import PASSWORD, ROOT, USER, Neo4jProcess, free_port, login_env
from serving import wait_ready

sys.path.append(str(ROOT / "tests"))
from tcp_relay import Relay

READ = {"query": "{ customers(first: 1) { nodes { id } } }"}
POOL_FILL = 8
"""Reads sent at once before the outage: the pooled connections of a busy server."""


def _post(base: str) -> tuple[str, float]:
    """What a read got (OK, or its error's code) and the seconds it took."""
    began = time.perf_counter()
    response = httpx.post(f"{base}/graphql", json=READ, timeout=120)
    errors = response.json().get("errors")
    got = errors[0]["extensions"]["code"] if errors else "OK"
    return got, time.perf_counter() - began


def _first_statement(uri: str) -> float:
    """Seconds the database takes to answer ``RETURN 1``, through a driver of its own."""
    with neo4j.GraphDatabase.driver(uri, auth=(USER, PASSWORD)) as driver:
        began = time.perf_counter()
        driver.execute_query("RETURN 1 AS one")
        return time.perf_counter() - began


def one_round(db: Neo4jProcess, relay: Relay, *, warm: bool) -> tuple[float, float, float, float]:
    """Seconds: the read during the outage, ``RETURN 1`` right after the start (0 unless
    ``warm``), the server's first read after it, and its second."""
    port = free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DEALGRAPH_STORE="neo4j",
        DEALGRAPH_NEO4J_URI=f"bolt://127.0.0.1:{relay.port}",
        DEALGRAPH_AUTH_REQUIRED="false",
        DEALGRAPH_WARM_DEALS="0",
        DEALGRAPH_WEBHOOKS_DISPATCH="false",
    )
    env.update(login_env())
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(port)],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base, server, within=60)
            filling = [threading.Thread(target=_post, args=(base,)) for _ in range(POOL_FILL)]
            for thread in filling:
                thread.start()
            for thread in filling:
                thread.join()
            relay.cut()  # first: a connection the relay took now would find no database
            db.stop()
            status, down = _post(base)
            assert status == "UNAVAILABLE", status
            uri = db.start()
            parts = urlsplit(uri)
            relay.target = (parts.hostname or "127.0.0.1", parts.port or 7687)
            relay.mend()
            cold = _first_statement(uri) if warm else 0.0
            status, first = _post(base)
            assert status == "OK", status
            status, second = _post(base)
            assert status == "OK", status
            return down, cold, first, second
        finally:
            server.terminate()
            server.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each kind")
    args = parser.parse_args()
    results: dict[bool, list[tuple[float, float, float, float]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as folder:
        db = Neo4jProcess(Path(folder), "512m", "64m")
        parts = urlsplit(db.start())
        relay = Relay((parts.hostname or "127.0.0.1", parts.port or 7687))
        try:
            for n in range(args.rounds):
                for warm in (False, True):  # interleaved: both kinds meet the same load
                    measured = one_round(db, relay, warm=warm)
                    results[warm].append(measured)
                    down, cold, first, second = measured
                    print(
                        f"round {n + 1}{' RETURN 1 first' if warm else ''}: during {down:.2f} s, "
                        f"RETURN 1 {cold:.2f} s, first read after {first:.2f} s, "
                        f"next {second:.3f} s",
                        flush=True,
                    )
        finally:
            relay.cut()
            db.stop()
    print(f"medians of {args.rounds} rounds of each kind (seconds)")
    print(f"{'round':<24} {'during':>8} {'RETURN 1':>9} {'first read':>11} {'next':>7}")
    for warm, rows in results.items():
        down, cold, first, second = (statistics.median(c) for c in zip(*rows, strict=True))
        kind = "RETURN 1 sent first" if warm else "as deployed"
        print(f"{kind:<24} {down:>8.2f} {cold:>9.2f} {first:>11.2f} {second:>7.3f}")


if __name__ == "__main__":
    main()
