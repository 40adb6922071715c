"""A second process on an embedded store folder, driven line by line through stdin.

Prints ``server PID`` once the store is open, then answers each command on its own line:
``count`` -> ``count N`` (customers), ``pid`` -> ``server PID``, ``close`` -> ``closed``.

Usage: python store_client.py DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore


def main(data_dir: str) -> None:
    executor = EmbeddedExecutor(Path(data_dir))
    store = GraphStore(executor)
    store.ensure_schema()
    print(f"server {executor.server_pid}", flush=True)
    for line in sys.stdin:
        command = line.strip()
        try:
            if command == "count":
                print(f"count {store.count(NodeKind.CUSTOMER)}", flush=True)
            elif command == "pid":
                print(f"server {executor.server_pid}", flush=True)
            elif command == "close":
                executor.close()
                print("closed", flush=True)
                return
        except Exception as error:  # reported to the test, which decides
            print(f"error {type(error).__name__}: {error}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
