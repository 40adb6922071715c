"""Benchmark: what one request costs the app itself, without HTTP or a client.

The ``bench_load.py`` data (the demo deal and 99 more 13-person deals, authentication on, the
administrator's token) in a fresh folder; each request of the mix (and ``{ me }``, the cheapest
authenticated request, and ``refused``, a mutation refused for a stale version) is sent straight
to the ASGI app. Printed per request kind: the process's CPU time per request (median of 5
rounds), the Python function calls per request (cProfile, one more round) and the store round
trips per request: calls and round trips are steady where milliseconds move with the machine's
load.

    .venv/bin/python benchmarks/bench_request_cost.py [--requests 150] [--kinds me,refused]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import bench_load as load

ME = "{ me { userId name roles } }"
REFUSED = """mutation($id: ID!) { opportunityUpdate(id: $id, input: {version: 0, name: "x"}) {
  opportunity { version } userErrors { field message code } } }"""
"""A mutation's whole path without a write: the stale version is refused into userErrors."""


async def post(app: Any, token: str, query: str, variables: dict[str, Any]) -> bytes:
    """One POST /graphql through the app's ASGI interface as the token's user; the body of
    the answer."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("bench", 80),
        "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                    (b"authorization", f"Bearer {token}".encode()),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip
    sent: list[dict[str, Any]] = []
    given = False

    async def receive() -> dict[str, Any]:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the app never asks again for a complete body
        return {}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def request(app: Any, token: str, query: str) -> Callable[[], Awaitable[None]]:
    """One POST /graphql, again and again; fails on any GraphQL error."""
    variables = {"id": load.gid("Opportunity", load.OPPORTUNITY)} if "$id" in query else {}

    async def send_one() -> None:
        answer = await post(app, token, query, variables)
        assert b'"errors"' not in answer, answer[:300]

    return send_one


def round_trips(app: Any) -> int:
    """The store round trips the app's GraphQL endpoint has made so far."""
    endpoint = next(route.endpoint for route in app.routes if route.path == "/graphql")
    return int(endpoint.store.round_trips)


async def measure(
    app: Any, token: str, requests: int, only: set[str] | None = None
) -> dict[str, tuple[float, float, float]]:
    """Per kind (all, or the ``only`` ones): (CPU ms per request, function calls per request,
    store round trips per request)."""
    every = {**load.READS, "me": ME, "refused": REFUSED}
    kinds = {kind: query for kind, query in every.items() if only is None or kind in only}
    figures: dict[str, tuple[float, float, float]] = {}
    async with app.router.lifespan_context(app):
        for kind, query in kinds.items():
            send_one = request(app, token, query)
            for _ in range(20):
                await send_one()
            rounds = []
            for _ in range(5):
                started = time.process_time()
                for _ in range(requests):
                    await send_one()
                rounds.append((time.process_time() - started) * 1000 / requests)
            trips = round_trips(app)
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(requests):
                await send_one()
            profile.disable()
            calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
            trips = round_trips(app) - trips
            figures[kind] = (statistics.median(rounds), calls / requests, trips / requests)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--kinds", help="comma-separated request kinds to measure (default: all)")
    args = parser.parse_args()
    only = set(args.kinds.split(",")) if args.kinds else None
    with tempfile.TemporaryDirectory(prefix="dealgraph-cost-") as tmp:
        data_dir = Path(tmp) / "data"
        env = {
            "DEALGRAPH_DATA_DIR": str(data_dir),
            "DEALGRAPH_FSYNC": "everysec",
            "DEALGRAPH_MODE": "development",
            "DEALGRAPH_AUTH_REQUIRED": "true",
        }
        cli = [sys.executable, "-m", "dealgraph.cli", "demo"]
        subprocess.run(
            cli, cwd=load.ROOT, env={**os.environ, **env}, check=True, capture_output=True
        )
        load.add_deals(data_dir)
        os.environ.update(env)
        token = (data_dir / "dev-token").read_text().strip()
        from dealgraph.app import create_app  # the project is on the path after add_deals
        from dealgraph.settings import load_settings

        figures = asyncio.run(measure(create_app(load_settings()), token, args.requests, only))
    print(f"one request through the ASGI app, {args.requests} per round (no HTTP, no client):")
    for kind, (cpu, calls, trips) in figures.items():
        print(
            f"  {kind:<11} {cpu:6.2f} ms CPU   {calls:8.0f} function calls"
            f"   {trips:5.2f} store round trips"
        )


if __name__ == "__main__":
    main()
