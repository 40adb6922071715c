"""Serving with uvicorn: the URL, an example query, then requests."""

from __future__ import annotations

import copy
import errno
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from dealgraph.settings import Settings
from dealgraph.workers import START_SECONDS, Workers

EXAMPLE_QUERY = """{ opportunities(first: 5) { nodes { name stage
    decisionChain { members { person { name title } role attitude } } } } }"""


def serve(settings: Settings, *, host: str, port: int, workers: int, reload: bool) -> int:
    """Run the API until interrupted; multiple workers share the store.

    A taken port is reported in one line before anything else is printed: a banner and an
    example for a server that never starts would only mislead. The workers (one, or several
    under uvicorn's supervisor) keep the socket it checked, so no other server can take the
    port while the store opens; several workers each listen on a socket of their own
    (``PortHolder``).
    """
    try:
        several = workers > 1 and not reload
        listening = listen_for_workers(host, port) if several else listen(host, port)
    except PortError as error:
        print(f"dealgraph: {error}", file=sys.stderr)
        return 1
    url = f"http://{host}:{port}/graphql"
    print(f"dealgraph serving on {url} ({settings.store} store, {settings.mode} mode)")
    if not settings.production:
        print(f"GraphiQL: open {url} in a browser")
    print(f"decision-chain map: open http://{host}:{port}/app in a browser (sign in with a token)")
    one_line = " ".join(EXAMPLE_QUERY.split())
    auth = ""
    if settings.auth_required:
        token_file = settings.data_dir / "dev-token"
        source = f"$(cat {token_file})" if token_file.is_file() else "<token>"
        auth = f'-H "Authorization: Bearer {source}" '
        made = (
            "`dealgraph user add|token` makes them"
            if settings.production  # no development login there: `demo` makes none
            else f"`dealgraph demo` writes a development token to {token_file}; "
            "`dealgraph user add|token` makes real ones"
        )
        print(f"every request needs 'Authorization: Bearer <token>': {made}")
    print(
        f"example: curl -s {url} {auth}-H 'content-type: application/json' "
        f'-d \'{{"query": "{one_line}"}}\''
    )
    sys.stdout.flush()
    # what every way of serving shares: the app, where it listens, and its log
    served: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "log_config": log_config(),
    }
    if workers == 1 and not reload:
        uvicorn.Server(uvicorn.Config("dealgraph.asgi:app", **served)).run(sockets=[listening])
        return 0
    if reload:
        listening.close()  # the reloader binds again for its one worker
        uvicorn.run("dealgraph.asgi:app", reload=True, **served)
        return 0
    # Each worker receives the holder of the port checked above and makes it a socket of its
    # own; binding again after closing it would leave a moment for another server to take it.
    config = uvicorn.Config(
        "dealgraph.asgi:app", workers=workers, timeout_worker_healthcheck=START_SECONDS, **served
    )
    supervisor = Workers(config, sockets=[listening])
    supervisor.run()
    return STARTUP_FAILURE if supervisor.refused else 0


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the app's own lines beside its own, level first: without it they
    reach only Python's last-resort handler, bare and WARNING and above, so an operator would
    never read that the store is back. The Neo4j driver's own lines are left out (its retry
    warnings, its bare "Unable to retrieve routing information" errors): each failing request
    already says in one line what failed and where."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    config["loggers"]["dealgraph"] = {"level": "INFO"}
    config["loggers"]["neo4j"] = {"level": "CRITICAL"}
    return config


BACKLOG = 2048
"""Connections the kernel queues for a listening socket before the server accepts them."""


class PortError(Exception):
    """The server cannot listen where it was asked to; the message says what to do."""


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, or ``PortError`` saying why there is none."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # as uvicorn does; with it Linux lets bind() share a port, and only listen() tells
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortError(
                f"port {port} on {host} is already in use; choose another with "
                "--port, DEALGRAPH_PORT or make run PORT=..."
            ) from None
        if error.errno == errno.EACCES:
            raise PortError(
                f"port {port} on {host} needs privileges; choose a port above 1023"
            ) from None
        raise PortError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


class PortHolder(socket.socket):
    """Holds a checked port for the API workers without listening on it; handed to a worker
    process (uvicorn pickles the sockets it gives its workers), it arrives there as the
    worker's own socket listening on that port (``worker_listener``).

    Why not one socket that every worker listens on: whichever worker wakes first accepts
    every connection waiting, so long-lived keep-alive connections (a proxy's, the load
    benchmark's) can all end up on one worker while the others idle; 32 connections opened at
    once all went to one of two workers in four tries out of six. Sockets of their own with
    ``SO_REUSEPORT`` let Linux spread new connections over the workers by address instead.

    The holder sets ``SO_REUSEPORT`` and not ``SO_REUSEADDR``: the workers' sockets may join
    it on the port, another server may not bind it."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return worker_listener, (self.family, self.getsockname())


def worker_listener(family: int, address: tuple[Any, ...]) -> socket.socket:
    """A worker's own socket listening on the port a ``PortHolder`` holds."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


def listen_for_workers(host: str, port: int) -> socket.socket:
    """The port checked as for one worker (``listen``), then held for several workers: a
    ``PortHolder`` on Linux, elsewhere (where ``SO_REUSEPORT`` does not spread connections)
    the checked socket itself, shared by the workers."""
    checked = listen(host, port)
    if not sys.platform.startswith("linux"):
        return checked
    holder = PortHolder(checked.family, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    address = checked.getsockname()
    checked.close()
    try:
        holder.bind(address)
    except OSError:
        # Connections of an earlier server without SO_REUSEPORT still waiting out TIME_WAIT
        # keep a socket without SO_REUSEADDR off the port for a minute: share one instead.
        holder.close()
        return listen(host, port)
    return holder


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port``, or None when it can."""
    try:
        listen(host, port).close()
    except PortError as error:
        return str(error)
    return None
