"""What Neo4j going down or hanging costs a served app: how long a request waits before it is
told the store is unavailable, and how long the server takes to stop, for a few settings of
``DEALGRAPH_NEO4J_WAIT_SECONDS`` (30 is the driver's own retry time, the server's before it)
and of ``DEALGRAPH_REQUEST_TIMEOUT_SECONDS`` (the request's deadline).

    .venv/bin/python benchmarks/bench_neo4j_outage.py [--waits 5 30] [--timeouts 30]
    .venv/bin/python benchmarks/bench_neo4j_outage.py --hang --waits 5 --timeouts 10 30

Each round starts ``dealgraph serve`` (development mode, one worker) on a Neo4j Community from
``tools/neo4j`` reached through a TCP relay, cuts the relay (every connection dropped, new ones
refused) or, with ``--hang``, freezes it (connections taken, nothing answered: a hung database),
sends one GraphQL read, stops the server half a second later with SIGTERM and prints both times.
One measurement per setting: the figures are seconds apart, not percent.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from neo4j_process import ROOT, Neo4jProcess, free_port, login_env
from serving import wait_ready

sys.path.append(str(ROOT / "tests"))
from tcp_relay import Relay

READ = {"query": "{ customers(first: 1) { nodes { id } } }"}
CLIENT_WAIT = 120.0
"""How long the client waits for its answer: longer than any setting measured."""


def round_with(neo4j: str, wait: int, timeout: int, *, hang: bool) -> tuple[str, float, float]:
    """(what the request got, seconds it waited, seconds the server took to stop)."""
    parts = urlsplit(neo4j)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 7687))
    port = free_port()
    env = dict(
        os.environ,
        DEALGRAPH_STORE="neo4j",
        DEALGRAPH_NEO4J_URI=f"bolt://127.0.0.1:{relay.port}",
        DEALGRAPH_NEO4J_WAIT_SECONDS=str(wait),
        DEALGRAPH_REQUEST_TIMEOUT_SECONDS=str(timeout),
        DEALGRAPH_AUTH_REQUIRED="false",
        DEALGRAPH_WARM_DEALS="0",
    )
    env.update(login_env())
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "dealgraph"), "serve", "--port", str(port)],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server, within=30)
        httpx.post(f"{base}/graphql", json=READ)  # a pooled connection, as a running server has
        if hang:
            relay.freeze()
        else:
            relay.cut()
        answer: list[tuple[str, float]] = []

        def ask() -> None:
            began = time.perf_counter()
            try:
                response = httpx.post(f"{base}/graphql", json=READ, timeout=CLIENT_WAIT)
                said = response.json()["errors"][0]["message"][:40]
                got = f"HTTP {response.status_code}, {said!r}"
            except httpx.HTTPError as error:
                got = type(error).__name__
            answer.append((got, time.perf_counter() - began))

        asking = threading.Thread(target=ask)
        asking.start()
        time.sleep(0.5)
        began = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=300)
        stopped = time.perf_counter() - began
        asking.join()
    relay.cut()
    return answer[0][0], answer[0][1], stopped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--waits", type=int, nargs="+", default=[5, 30])
    parser.add_argument("--timeouts", type=int, nargs="+", default=[30])
    parser.add_argument("--hang", action="store_true", help="freeze the relay instead of cutting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Neo4jProcess(Path(folder), "512m", "64m") as db:
        print("Neo4j", "hangs" if args.hang else "down")
        head = f"{'wait':>6}  {'deadline':>8}  {'request answered':>16}  {'server stopped':>14}"
        print(head, " answer")
        for wait in args.waits:
            for timeout in args.timeouts:
                got, waited, stopped = round_with(db.uri, wait, timeout, hang=args.hang)
                print(f"{wait:>4} s  {timeout:>6} s  {waited:>14.1f} s  {stopped:>12.1f} s  {got}")


if __name__ == "__main__":
    main()
