"""The embedded store's server gone and not starting again, under a running server, as an
operator reads it in the log: as for Neo4j (``test_neo4j_outage``), one WARNING line per failing
request naming the request, the store and the error; the stack trace once per outage; the crash
itself once, not once per try to start the server again; and one INFO line when the store
answers again.

A server killed is started again by the next statement, and no request fails; the outage here is
a server that cannot start: it is killed, and its append-only file's manifest is made unreadable
until the operator puts it back.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psutil
import pytest
from api_helpers import Api, serve
from people import ADMIN_LOGIN, add_person

from domain.request_errors import UNCONFIRMED
from graph.backends.embedded import UNCONFIRMED_WRITE, EmbeddedExecutor
from graph.executor import Row, StoreError
from graph.outage import Outage
from graph.store import GraphStore
from webhooks.dispatcher import BackgroundDispatcher, Dispatcher, DispatchSettings

LIST = "{ customers(first: 1) { nodes { id } } }"
STORE_LOG = "dealgraph.store.embedded"
"""The embedded store's own lines (its server's crash, starts and tries): under ``dealgraph``,
so the log configuration of ``dealgraph serve`` keeps them."""
BACK_WITHIN = 60.0
"""How long the store may take to answer again once its files are mended: the tries to start
its server back off, one second after the first failed try, then two, four…"""


@pytest.fixture
def executor(tmp_path: Path) -> Iterator[EmbeddedExecutor]:
    opened = EmbeddedExecutor(tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


def kill_unstartable(executor: EmbeddedExecutor) -> bytes:
    """Kill the store's server and make its append-only file unreadable, so that no new server
    starts on it; returns the manifest as it was, to mend it with."""
    manifest = executor.data_dir / "appendonlydir" / "appendonly.aof.manifest"
    kept = manifest.read_bytes()
    _kill(executor.server_pid)
    manifest.write_bytes(b"not a manifest\n")
    return kept


def _alive(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def test_an_outage_logs_one_line_per_request_its_trace_once_and_when_the_store_is_back(
    executor: EmbeddedExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    executor.ensure_schema()
    store = GraphStore(executor)
    where = f"embedded store in {executor.data_dir.resolve()}"
    with serve(store) as admin:
        li = admin.as_(add_person(store, "li", "account_manager"))
        assert li.data(LIST)["customers"]["nodes"] == []
        for outage in range(2):
            caplog.clear()
            with caplog.at_level(logging.DEBUG):
                kept = kill_unstartable(executor)
                sent = [f"outage{outage}-{n}" for n in range(3)]
                for request_id in sent:
                    answer = li.post(LIST, headers={"X-Request-Id": request_id})
                    assert answer.status_code == 503  # the credentials could not be read
                    (error,) = answer.json()["errors"]
                    assert error["extensions"]["code"] == "UNAVAILABLE", error
                    assert "Traceback" not in answer.text
                    assert where not in answer.text

                ours = _ours(caplog.records, logging.INFO)
                assert [r.levelno for r in ours] == [logging.WARNING] * 3, _lines(ours)
                for record, request_id in zip(ours, sent, strict=True):
                    line = record.getMessage()
                    assert f"request {request_id}" in line, line
                    assert f"({where})" in line, line
                    assert "ServerDownError" in line or "ConnectionError" in line, line
                traced = [r for r in ours if r.exc_info]
                assert traced == ours[:1], "the trace once per outage, with its first failure"
                later = [r for r in caplog.records if r.levelno == logging.DEBUG and r.exc_info]
                assert len([r for r in later if r.name == "dealgraph.api"]) == 2

                # the crash once at ERROR with the server's last words, then once why its
                # server does not start (its own log's words, naming the folder); each later
                # try to start it (if the backoff let one happen) in one INFO line
                restarts = [r for r in caplog.records if r.name == STORE_LOG]
                crashes = [r for r in restarts if r.levelno >= logging.WARNING]
                assert [r.levelno for r in crashes] == [logging.ERROR] * 2, _lines(restarts)
                assert "died; starting it again" in crashes[0].getMessage()
                why = crashes[1].getMessage()
                assert why.startswith(f"the embedded store in {executor.data_dir.resolve()}: ")
                assert "its server did not start" in why, why
                assert "Invalid AOF manifest file format" in why, why
                assert ">>> 'not a manifest'" in why, why
                assert not any(r.exc_info for r in restarts)
                tries = [r for r in restarts if r.levelno == logging.INFO]
                assert all("is still down; starting it again" in r.getMessage() for r in tries)

                caplog.clear()
                _mend(executor, kept)
                _served_again(li)
                (back,) = [r for r in caplog.records if r.name == "dealgraph.store"]
                assert back.levelno == logging.INFO
                assert re.fullmatch(
                    rf"{re.escape(where)}: store back after \d+\.\d s", back.getMessage()
                ), back.getMessage()
                assert back is _ours(caplog.records, logging.INFO)[-1]


def test_the_trace_of_an_outage_is_logged_by_whatever_met_it_first(
    executor: EmbeddedExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    """The server's webhook dispatcher often meets an outage before any request: its line then
    carries the outage's trace, and the requests' lines none."""
    executor.ensure_schema()
    store = GraphStore(executor)
    with serve(store) as admin:
        li = admin.as_(add_person(store, "li", "account_manager"))
        dispatcher = BackgroundDispatcher(
            Dispatcher(GraphStore(executor), DispatchSettings(idle_s=0.1))
        )
        with caplog.at_level(logging.INFO):
            kept = kill_unstartable(executor)
            dispatcher.start()
            try:
                deadline = time.monotonic() + 30
                while not [r for r in caplog.records if r.name == "dealgraph.webhooks"]:
                    assert time.monotonic() < deadline, "the dispatcher never failed"
                    time.sleep(0.05)
                answer = li.post(LIST, headers={"X-Request-Id": "after"})
                assert answer.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
            finally:
                dispatcher.stop()
        rounds = [r for r in caplog.records if r.name == "dealgraph.webhooks"]
        assert rounds[0].levelno == logging.WARNING
        assert "(1 in a row)" in rounds[0].getMessage()
        assert [r for r in rounds if r.exc_info] == rounds[:1]
        (request,) = [r for r in caplog.records if "request after" in r.getMessage()]
        assert request.levelno == logging.WARNING
        assert not request.exc_info
        _mend(executor, kept)
        _served_again(li)


def _mend(executor: EmbeddedExecutor, manifest: bytes) -> None:
    (executor.data_dir / "appendonlydir" / "appendonly.aof.manifest").write_bytes(manifest)


def _served_again(li: Api) -> None:
    """Ask until the store answers (the next try to start its server may be seconds away)."""
    deadline = time.monotonic() + BACK_WITHIN
    while (answer := li.post(LIST)).status_code != 200:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.2)
    assert answer.json()["data"]["customers"]["nodes"] == []


def _ours(records: list[logging.LogRecord], level: int) -> list[logging.LogRecord]:
    """The lines of the API and of the outage, not those of the server's tries to start."""
    return [
        r
        for r in records
        if r.name.startswith("dealgraph") and r.name != STORE_LOG and r.levelno >= level
    ]


def _lines(records: list[logging.LogRecord]) -> list[str]:
    return [f"{r.levelname} {r.name}: {r.getMessage()}" for r in records]


CUSTOMER_CREATE = """mutation($i: CustomerCreateInput!) {
    customerCreate(input: $i) { customer { id } userErrors { field message code } } }"""


class DiesOnWrite:
    """The embedded store, whose server is killed just before the next write once armed: the
    write meets a server that died under it, as in a crash in the middle of a change."""

    name = "embedded"

    def __init__(self, executor: EmbeddedExecutor) -> None:
        self.executor = executor
        self.armed = False

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self.executor.read(statement, params)

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        if self.armed:
            self.armed = False
            _kill(self.executor.server_pid)
        return self.executor.write(statement, params)

    def ensure_schema(self) -> None:
        self.executor.ensure_schema()

    def ping(self) -> bool:
        return self.executor.ping()

    def close(self, *, hung: bool = False) -> None:
        self.executor.close(hung=hung)


def test_a_write_the_server_died_under_is_one_warning_naming_the_change_its_trace_once_a_crash(
    executor: EmbeddedExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    """The person is told the change may or may not be saved (not "try again": it may be
    there); the operator reads per request what was being written, in the product's words,
    and the crash's trace once (each crash is one), not a trace per failed request."""
    executor.ensure_schema()
    dying = DiesOnWrite(executor)
    store = GraphStore(dying)
    where = f"embedded store in {executor.data_dir.resolve()}"
    with serve(store) as admin:
        for crash, name in enumerate(["Gamma", "Delta"]):
            caplog.clear()
            dying.armed = True
            with caplog.at_level(logging.DEBUG):
                answer = admin.post(
                    CUSTOMER_CREATE,
                    {"i": {"name": name}},
                    headers={"X-Request-Id": f"crash{crash}", "Accept-Language": "zh-CN"},
                )
            (error,) = answer.json()["errors"]
            assert error["extensions"]["code"] == "UNAVAILABLE", error
            assert error["message"] == UNCONFIRMED.zh.format(request_id=f"crash{crash}")
            assert "Traceback" not in answer.text
            (line,) = _ours(caplog.records, logging.INFO)
            said = line.getMessage()
            assert line.levelno == logging.WARNING, said
            assert said.startswith(f"request crash{crash} at ['customerCreate']: "), said
            assert "the store went away during a write, so it may or may not be saved" in said
            assert f"create customer '{name}' by {ADMIN_LOGIN}" in said, said
            assert f"({where})" in said, said
            assert line.exc_info, "each crash's first unconfirmed write carries the trace"
            # the store answers again at once: the server was started again
            assert admin.data(LIST)["customers"]["nodes"] is not None


def test_writes_that_meet_one_crash_carry_its_trace_once() -> None:
    """Several writes under way when the server dies each meet the same crash: the first to
    be reported carries the trace, the others their line; the next crash is news again."""
    outage = Outage("embedded store in /srv/data")
    crash, later_crash = object(), object()
    errors = [outage.unconfirmed(UNCONFIRMED_WRITE, crash) for _ in range(3)]
    assert [e.first for e in errors] == [True, False, False]
    assert all(isinstance(e, StoreError) for e in errors)
    assert outage.unconfirmed(UNCONFIRMED_WRITE, later_crash).first


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(pid):
        assert time.monotonic() < deadline, "the server did not die"
        time.sleep(0.05)
