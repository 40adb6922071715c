"""How long `dealgraph serve` takes to stop (SIGTERM) while its store hangs under a request, as
deployed: authentication on, a token made with `dealgraph user add` and `user token`, the
default workers, deadline, webhook dispatcher and warm-up.

    .venv/bin/python benchmarks/bench_stop_hung_store.py [--store embedded|neo4j] [--trials 5]

Each trial starts the server, sends one read, stops the store's process with SIGSTOP (the
embedded store's redis-server, or a Neo4j Community from ``tools/neo4j``), sends another read,
sends SIGTERM to the server one second later and times its exit; then SIGCONT. Prints each
trial, what the read under way was answered, and the median.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
from neo4j_process import ROOT, Neo4jProcess, free_port, login_env
from serving import wait_ready

DEALGRAPH = str(ROOT / ".venv" / "bin" / "dealgraph")
READ = {"query": "{ customers(first: 1) { nodes { id } } }"}


def token(env: dict[str, str]) -> str:
    """An administrator's token, made through the product's own commands."""
    said = ""
    for command in (["add", "it", "--role", "admin"], ["token", "it"]):
        said = subprocess.run(
            [DEALGRAPH, "user", *command], env=env, cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout  # fmt: skip
    return next(word for word in said.split() if word.startswith("dg_"))


def embedded_pid(data_dir: Path) -> int:
    registry = json.loads((data_dir / "dealgraph.rdb.settings").read_text())
    return int(Path(registry["pidfile"]).read_text().strip())


def trial(env: dict[str, str], bearer: str, store_pid: int | None, data_dir: Path) -> str:
    port = free_port()
    server = subprocess.Popen(
        [DEALGRAPH, "serve", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {bearer}"}
    wait_ready(base, server)
    assert httpx.post(f"{base}/graphql", json=READ, headers=headers).status_code == 200
    time.sleep(2)  # the dispatcher's rounds under way, as in a live server
    pid = store_pid if store_pid is not None else embedded_pid(data_dir)
    os.kill(pid, signal.SIGSTOP)
    answer: list[str] = []

    def ask() -> None:
        try:
            got = httpx.post(f"{base}/graphql", json=READ, headers=headers, timeout=120)
            answer.append(f"HTTP {got.status_code} {got.json()['errors'][0]['extensions']['code']}")
        except Exception as error:
            answer.append(type(error).__name__)

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(1)
    began = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=300)
    stopped = time.monotonic() - began
    os.kill(pid, signal.SIGCONT)
    asking.join()
    return f"{stopped:.2f} {answer[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DEALGRAPH_DATA_DIR": str(data_dir)}
        neo4j = None
        if args.store == "neo4j":
            neo4j = Neo4jProcess(Path(folder) / "neo4j")
            env.update(DEALGRAPH_STORE="neo4j", DEALGRAPH_NEO4J_URI=neo4j.start())
            env.update(login_env())
        try:
            bearer = token(env)
            store_pid = None if neo4j is None else neo4j.pid
            times = []
            for number in range(args.trials):
                took, answered = trial(env, bearer, store_pid, data_dir).split(" ", 1)
                times.append(float(took))
                print(f"trial {number + 1}: stopped in {took} s; the read under way: {answered}")
            print(f"{args.store}: median {statistics.median(times):.2f} s of {args.trials}")
        finally:
            if neo4j is not None:
                neo4j.stop()
            else:  # left running by the last stop, as a hung server is
                with contextlib.suppress(OSError, ValueError, KeyError):
                    os.kill(embedded_pid(data_dir), signal.SIGTERM)


if __name__ == "__main__":
    main()
