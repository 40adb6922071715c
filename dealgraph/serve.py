"""Serving with uvicorn: the URL, an example query, then requests."""

from __future__ import annotations

import uvicorn

from dealgraph.settings import Settings

EXAMPLE_QUERY = """{ opportunities(first: 5) { nodes { name stage
    decisionChain { members { person { name title } role attitude } } } } }"""


def serve(settings: Settings, *, host: str, port: int, workers: int, reload: bool) -> int:
    """Run the API until interrupted; multiple workers share the store."""
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
