"""The app in a real browser while its store hangs (takes statements, never answers), on both
back ends: Debian's Chromium through playwright-core (``hung_store_page.mjs``) against the real
server (uvicorn, authentication on, a 8 s request deadline), signed in as an account manager made
through ``dealgraph user add``; the store freezes again under a form being saved. The embedded
store's server is stopped with SIGSTOP; Neo4j,
shared by the suite, is reached through a TCP relay that stops passing bytes. Screenshots land
in ``tests/browser/artifacts/<back end>/hung-*.png``."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_run import DayClock, artifacts, run_checks, serve_browser
from servers import ServedBackend, store_server_pid
from tcp_relay import Relay
from test_map_page import CHROMIUM

from dealgraph.demo import load_demo
from graph.security_store import SecurityStore

pytestmark = pytest.mark.slow

CHECKS = 6  # the checks in hung_store_page.mjs: all must run and pass
DEADLINE_SECONDS = 8
"""Longer than the page's 5 s before it says it still waits, so both can be seen."""


@contextmanager
def hangable_server(backend: ServedBackend) -> Iterator[tuple[str, Callable[[bool], None]]]:
    """The served app over ``backend`` and a switch that freezes (True) or thaws its store."""
    extra = {"DEALGRAPH_REQUEST_TIMEOUT_SECONDS": str(DEADLINE_SECONDS)}
    if backend.name == "neo4j":
        assert backend.neo4j_uri is not None
        parts = urlsplit(backend.neo4j_uri)
        relay = Relay((parts.hostname or "127.0.0.1", parts.port or 7687))
        extra["DEALGRAPH_NEO4J_URI"] = f"bolt://127.0.0.1:{relay.port}"
        try:
            with serve_browser(backend, extra) as base:
                yield base, lambda frozen: relay.freeze() if frozen else relay.thaw()
        finally:
            relay.thaw()
            relay.cut()
        return
    with serve_browser(backend, extra) as base:
        pid = store_server_pid(backend.data_dir)
        assert pid is not None, "the served app runs no embedded store server"
        try:
            yield base, lambda frozen: os.kill(pid, signal.SIGSTOP if frozen else signal.SIGCONT)
        finally:
            os.kill(pid, signal.SIGCONT)


def obey(flags: dict[bool, Path], frozen: Callable[[bool], None], stop: threading.Event) -> None:
    """Freeze or thaw the store each time the browser script writes the flag file asking for it
    (``flags[True]`` freezes, ``flags[False]`` thaws); the flag goes once it is done."""
    while not stop.is_set():
        for freeze, flag in flags.items():
            if flag.exists():
                frozen(freeze)
                flag.unlink()
        time.sleep(0.1)


def test_the_page_while_the_store_hangs_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    load_demo(store)
    security = SecurityStore(store)
    security.add_user("li", "account_manager", "demo-tm-account")
    token = security.issue_token("li", "browser test").token
    store.close()

    flags = {True: folder / "hung-freeze.flag", False: folder / "hung-thaw.flag"}
    for flag in flags.values():
        flag.unlink(missing_ok=True)
    with hangable_server(served_backend) as (base, frozen):
        frozen(True)
        stop = threading.Event()
        watcher = threading.Thread(target=obey, args=(flags, frozen, stop), daemon=True)
        watcher.start()
        env = {
            "BASE_URL": base,
            "TOKEN": token,
            "ARTIFACTS": os.fspath(folder),
            "FREEZE_FILE": os.fspath(flags[True]),
            "THAW_FILE": os.fspath(flags[False]),
            "DEADLINE_SECONDS": str(DEADLINE_SECONDS),
        }
        try:
            script = Path(__file__).with_name("hung_store_page.mjs")
            run_checks(script, env, folder / "hung.log", CHECKS)
        finally:
            stop.set()
            watcher.join(timeout=5)
            for flag in flags.values():
                flag.unlink(missing_ok=True)
