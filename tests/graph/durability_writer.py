"""Writer process for the durability test: opens the embedded store on a folder, prints the
server's pid, then creates customers one by one and prints each id once the write returned.

Usage: python durability_writer.py DATA_DIR COUNT
"""

from __future__ import annotations

import sys
from pathlib import Path

from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore


def main(data_dir: str, count: int) -> None:
    executor = EmbeddedExecutor(Path(data_dir))
    store = GraphStore(executor)
    store.ensure_schema()
    print(f"server {executor.server_pid}", flush=True)
    for i in range(count):
        node_id = f"durable-{i:05d}"
        store.create(NodeKind.CUSTOMER, {"name": f"Customer {i}"}, node_id=node_id)
        print(f"ack {node_id}", flush=True)
    print("done", flush=True)
    sys.stdin.read()  # hold the server open until the test kills us


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
