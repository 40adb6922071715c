"""Webhook benchmark: events delivered per second by one dispatcher, and what the outbox adds
to a write.

Run from the repository root::

    .venv/bin/python benchmarks/bench_webhooks.py                 # embedded store
    .venv/bin/python benchmarks/bench_webhooks.py --store neo4j   # Neo4j Community 5.26

Figures (stdout; progress on stderr):

1. delivery: N events (competitor creations, 1 endpoint subscribed to every type) delivered by
   one ``webhooks.dispatcher.Dispatcher`` (default settings: batches of 50, 8 connections) to a
   local HTTP receiver that answers 204 at once; events per second, median of the runs, with
   the fan-out included. The receiver is a Python ``ThreadingHTTPServer`` in this process, so
   the figure is a floor: it shares the CPU with the dispatcher and the store.
2. write overhead: median latency of one node creation (``CREATE_NODE`` with its audit entry)
   with its webhook event in the statement and with none (``$events`` empty), and the ratio.

Every store lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from neo4j_process import Neo4jProcess  # noqa: E402

from domain.model import NodeKind  # noqa: E402
from graph import statements as st  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.scope import SYSTEM  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from graph.webhook_store import WebhookStore  # noqa: E402
from webhooks import signing  # noqa: E402
from webhooks.dispatcher import Dispatcher, DispatchSettings  # noqa: E402
from webhooks.retry import RetryPolicy  # noqa: E402
from webhooks.sealing import SecretBox, new_key  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def receiver() -> Iterator[tuple[str, list[int]]]:
    """A loopback receiver answering 204; yields its URL and a one-item request counter."""
    count = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real receivers

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            with lock:
                count[0] += 1
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", count
    finally:
        server.shutdown()
        server.server_close()


def empty(store: GraphStore) -> None:
    store.executor.write("MATCH (n) DETACH DELETE n", {})
    store.ensure_schema()


def delivery_run(store: GraphStore, events: int) -> float:
    """Events per second for one dispatcher delivering ``events`` fresh events."""
    empty(store)
    with receiver() as (url, count):
        hooks = WebhookStore(store)
        box = SecretBox((new_key(),))  # as deployed: the secret stored sealed
        hooks.create_endpoint(url, ["*"], "bench", box.seal(signing.new_secret()))
        for n in range(events):
            store.create(NodeKind.COMPETITOR, {"name": f"Rival {n}"})
        dispatcher = Dispatcher(
            GraphStore(store.executor),
            DispatchSettings(allow_private=True, policy=RetryPolicy()),
            box=box,
        )
        started = time.perf_counter()
        while count[0] < events:
            dispatcher.run_once()
        elapsed = time.perf_counter() - started
        dispatcher.close()
        if len(hooks.deliveries(status="succeeded", limit=events + 1)) != events:
            raise SystemExit("not every delivery was recorded as succeeded")
    return events / elapsed


def write_latency(store: GraphStore, writes: int, with_event: bool) -> float:
    """Median milliseconds of one audited node creation, with or without its event."""
    timings: list[float] = []
    for n in range(writes):
        now = store.clock()
        node_id = f"w{with_event}{n}"
        props = {"id": node_id, "name": f"W {n}", "version": 1, "created_at": now}
        props["updated_at"] = now
        audit = store.audit_entry(SYSTEM, "create", "Competitor", node_id, {}, now)
        params: dict[str, Any] = {"props": props, "audit": audit}
        if not with_event:
            params["events"] = []
        started = time.perf_counter()
        store.write(st.CREATE_NODE[NodeKind.COMPETITOR], params)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--events", type=int, default=2000, help="events per run (2000)")
    parser.add_argument("--runs", type=int, default=3, help="delivery runs (3)")
    parser.add_argument("--writes", type=int, default=500, help="writes per latency set (500)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-webhooks-") as folder:
        neo4j = Neo4jProcess(Path(folder) / "neo4j") if args.store == "neo4j" else None
        if neo4j is not None:
            neo4j.start()
            store = neo4j.open_store()
        else:
            store = GraphStore(EmbeddedExecutor(Path(folder) / "data", fsync="everysec"))
        try:
            store.ensure_schema()
            rates = []
            for run in range(args.runs):
                rates.append(delivery_run(store, args.events))
                log(f"run {run + 1}: {rates[-1]:.0f} events/s")
            print(
                f"[{args.store}] delivery: {statistics.median(rates):.0f} events/s "
                f"(median of {args.runs} runs of {args.events} events; runs: "
                f"{', '.join(f'{r:.0f}' for r in rates)})"
            )
            empty(store)
            without = write_latency(store, args.writes, with_event=False)
            with_event = write_latency(store, args.writes, with_event=True)
            print(
                f"[{args.store}] write with its event: {with_event:.2f} ms, without: "
                f"{without:.2f} ms (median of {args.writes}), ratio {with_event / without:.2f}"
            )
        finally:
            store.close()
            if neo4j is not None:
                neo4j.stop()


if __name__ == "__main__":
    main()
