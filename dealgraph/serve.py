"""Serving with uvicorn: the URL, an example query, then requests."""

from __future__ import annotations

import errno
import socket
import sys

import uvicorn

from dealgraph.settings import Settings

EXAMPLE_QUERY = """{ opportunities(first: 5) { nodes { name stage
    decisionChain { members { person { name title } role attitude } } } } }"""


def serve(settings: Settings, *, host: str, port: int, workers: int, reload: bool) -> int:
    """Run the API until interrupted; multiple workers share the store.

    A taken port is reported in one line before anything else is printed: a banner and an
    example for a server that never starts would only mislead.
    """
    problem = port_problem(host, port)
    if problem is not None:
        print(f"dealgraph: {problem}", file=sys.stderr)
        return 1
    url = f"http://{host}:{port}/graphql"
    print(f"dealgraph serving on {url} ({settings.store} store, {settings.mode} mode)")
    if not settings.production:
        print(f"GraphiQL: open {url} in a browser")
    one_line = " ".join(EXAMPLE_QUERY.split())
    auth = ""
    if settings.auth_required:
        token_file = settings.data_dir / "dev-token"
        source = f"$(cat {token_file})" if token_file.is_file() else "<token>"
        auth = f'-H "Authorization: Bearer {source}" '
        print(
            "every request needs 'Authorization: Bearer <token>': `dealgraph demo` writes a "
            f"development token to {token_file}; `dealgraph user add|token` makes real ones"
        )
    print(
        f"example: curl -s {url} {auth}-H 'content-type: application/json' "
        f'-d \'{{"query": "{one_line}"}}\''
    )
    uvicorn.run(
        "dealgraph.asgi:app",
        host=host,
        port=port,
        workers=workers if not reload else 1,
        reload=reload,
        log_level="info",
    )
    return 0


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port``, or None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use; choose another with "
                    "--port, DEALGRAPH_PORT or make run PORT=..."
                )
            if error.errno == errno.EACCES:
                return f"port {port} on {host} needs privileges; choose a port above 1023"
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None
