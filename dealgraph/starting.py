"""A worker's start: its store opened, or one line saying why it cannot be.

A store that cannot be used at start (the embedded store's damaged folder, a Neo4j that refuses
the credentials) stops the worker, and uvicorn's supervisor stops the server. Left to Starlette,
the reason would reach the log as the trace it makes of any error in the lifespan, a driver's
stack in which the operator has to find the one line that matters; here it is that line, the
same the commands print (``store_problem``), naming the settings to check.
"""

from __future__ import annotations

import logging
import os
import sys

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dealgraph.settings import Settings, open_executor, store_problem
from graph.executor import StoreError
from graph.store import GraphStore

log = logging.getLogger("dealgraph.workers")


class StartRefusedError(Exception):
    """A worker cannot start: its store cannot be used. The message says why in one line,
    naming the settings to check (``store_problem``), as the commands do."""


def open_at_start(settings: Settings) -> GraphStore:
    """The worker's store, opened with its schema in place, or ``StartRefusedError``."""
    try:
        opened = GraphStore(open_executor(settings))
    except StoreError as error:
        raise StartRefusedError(store_problem(settings, error)) from error
    try:
        opened.ensure_schema()
    except StoreError as error:
        opened.close()
        raise StartRefusedError(store_problem(settings, error)) from error
    return opened


class SayWhyNotStarted:
    """ASGI middleware: a worker refused at start (``StartRefusedError``) logs its one line
    and leaves the start's failure without the trace Starlette makes of every error there,
    which uvicorn would print as the failure's message: the operator reads the reason, not a
    driver's stack. Any other failure at start keeps its trace (a bug needs it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            # Starlette sends the failure from inside its ``except``: the error is at hand
            refused = sys.exception()
            if message["type"] == "lifespan.startup.failed" and isinstance(
                refused, StartRefusedError
            ):
                log.error("worker [%d] cannot start: %s", os.getpid(), refused)
                message = {"type": "lifespan.startup.failed", "message": ""}
            await send(message)

        await self.app(scope, receive, sending)
