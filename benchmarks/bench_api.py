"""Benchmark: the decision chain of a 100-person opportunity over HTTP.

uvicorn serves ``dealgraph.asgi:app`` in its own process on a prepared data folder; this
process is the client (httpx). Printed: end-to-end p50/p99, the same data through one direct
store call (``graph.chains.load_decision_chain``), and a deliberately naive loader that makes
one store call per object and per relationship.

    .venv/bin/python benchmarks/bench_api.py [--requests 300] [--warmup 50] [--auth]
    .venv/bin/python benchmarks/bench_api.py --store neo4j

``--store neo4j`` puts the chain into Neo4j Community 5.26 (``tools/neo4j``, built with
``make neo4j-build``), which the script starts on a free loopback port with a fresh database
and stops at the end; the API server and the direct store call then both use it.

By default the server runs without authentication (the API's own cost). ``--auth`` sends the
bearer token of an account manager on the deal's team instead: each request then also looks
the token up, and the chain is read with that user's visibility.

Goals (2-core machine): p50 <= 15 ms; end-to-end / direct <= 2.0; naive / ours >= 10.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neo4j_process import PASSWORD, USER, Neo4jProcess, login_env  # noqa: E402
from serving import wait_ready  # noqa: E402

from domain.model import EdgeKind, NodeKind  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.backends.neo4j import Neo4jExecutor  # noqa: E402
from graph.chains import load_decision_chain  # noqa: E402
from graph.executor import Executor  # noqa: E402
from graph.security_store import SecurityStore  # noqa: E402
from graph.store import GraphStore, now_ms  # noqa: E402

K = NodeKind
PEOPLE = 100
OPPORTUNITY = "bench-opp"
ROLES = ("DECISION_MAKER", "APPROVER", "TECHNICAL_EVALUATOR", "BUSINESS_EVALUATOR", "USER")
ATTITUDES = ("OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION")

QUERY = """query($id: ID!) { node(id: $id) { ... on Opportunity { name decisionChain {
    customer { name }
    members { person { id name title department } role influence attitude needs
        teamTies { member { name } level } competitorTies { competitor { name } level }
        lastContactAt }
    reportsTo { fromPerson { id } toPerson { id } }
    influences { fromPerson { id } toPerson { id } strength }
    competitors { competitor { name } position }
    team { member { name } role }
} } } }"""


def prepare(executor: Executor, *, with_token: bool = False) -> str:
    """One customer, one opportunity, 100 chain members in a reporting tree, influence and
    KNOWS ties from five of our people, three rivals with allies, 40 recent activities.
    With ``with_token``, returns the API token of an account manager on the deal's team.
    Closes ``executor`` when done."""
    store = GraphStore(executor)
    store.ensure_schema()
    store.create(K.CUSTOMER, {"name": "Provincial Hospital Group"}, node_id="bench-cust")
    store.create_opportunity(
        "bench-cust", {"name": "Smart hospital", "amount": 80_000_000_00}, node_id=OPPORTUNITY
    )
    for m in range(5):
        store.create(K.TEAM_MEMBER, {"name": f"Member {m}"}, node_id=f"m{m}")
        store.set_edge(
            EdgeKind.ON_TEAM,
            (K.TEAM_MEMBER, f"m{m}"),
            (K.OPPORTUNITY, OPPORTUNITY),
            {"role": "ACCOUNT_MANAGER" if m == 0 else "SOLUTION_MANAGER"},
        )
    for k in range(3):
        store.create(K.COMPETITOR, {"name": f"Rival {k}"}, node_id=f"k{k}")
        store.set_edge(EdgeKind.COMPETES_FOR, (K.COMPETITOR, f"k{k}"), (K.OPPORTUNITY, OPPORTUNITY))
    for p in range(PEOPLE):
        pid = f"p{p:03d}"
        store.create_key_person(
            "bench-cust",
            {"name": f"Person {p:03d}"},
            {"title": f"Title {p % 12}", "department": f"Dept {p % 7}"},
            node_id=pid,
        )
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN,
            (K.KEY_PERSON, pid),
            (K.OPPORTUNITY, OPPORTUNITY),
            {"role": ROLES[p % 5], "attitude": ATTITUDES[p % 5], "needs": "uptime"},
        )
        if p:
            boss = f"p{(p - 1) // 4:03d}"
            store.set_edge(EdgeKind.REPORTS_TO, (K.KEY_PERSON, pid), (K.KEY_PERSON, boss))
            if p % 3 == 0:
                store.set_edge(
                    EdgeKind.INFLUENCES,
                    (K.KEY_PERSON, pid),
                    (K.KEY_PERSON, boss),
                    {"strength": "STRONG"},
                )
        store.set_edge(
            EdgeKind.KNOWS, (K.TEAM_MEMBER, f"m{p % 5}"), (K.KEY_PERSON, pid), {"level": "STRONG"}
        )
        if p % 4 == 0:
            store.set_edge(EdgeKind.CLOSE_TO, (K.COMPETITOR, f"k{p % 3}"), (K.KEY_PERSON, pid))
    now = now_ms()
    for a in range(40):
        store.log_activity(
            {"type": "VISIT", "occurred_at": now - a * 86_400_000, "summary": f"visit {a}"},
            person_ids=[f"p{a:03d}", f"p{a + 40:03d}"],
            member_ids=[f"m{a % 5}"],
            opportunity_id=OPPORTUNITY,
        )
    token = ""
    if with_token:
        security = SecurityStore(store)
        security.add_user("bench-am", "account_manager", "m0")
        token = security.issue_token("bench-am", "benchmark").token
    executor.close()
    return token


def naive_chain(store: GraphStore, opportunity_id: str) -> dict[str, Any]:
    """The same map, one store call per object and per relationship (what batching avoids)."""
    opportunity = store.get(K.OPPORTUNITY, opportunity_id)
    (customer,) = store.neighbours(EdgeKind.FOR, K.OPPORTUNITY, K.CUSTOMER, [opportunity_id])[
        opportunity_id
    ]
    links = store.neighbours(
        EdgeKind.IN_DECISION_CHAIN, K.KEY_PERSON, K.OPPORTUNITY, [opportunity_id], incoming=True
    )[opportunity_id]
    members = []
    for link in links:
        pid = link.node["id"]
        person = store.get(K.KEY_PERSON, pid)
        job = store.neighbours(EdgeKind.WORKS_AT, K.KEY_PERSON, K.CUSTOMER, [pid])[pid]
        knows = store.neighbours(EdgeKind.KNOWS, K.TEAM_MEMBER, K.KEY_PERSON, [pid], incoming=True)
        rivals = store.neighbours(
            EdgeKind.CLOSE_TO, K.COMPETITOR, K.KEY_PERSON, [pid], incoming=True
        )
        boss = store.neighbours(EdgeKind.REPORTS_TO, K.KEY_PERSON, K.KEY_PERSON, [pid])[pid]
        sway = store.neighbours(EdgeKind.INFLUENCES, K.KEY_PERSON, K.KEY_PERSON, [pid])[pid]
        members.append(
            {
                "person": person,
                "job": job[0].edge if job else {},
                "chain": link.edge,
                "team_ties": [(store.get(K.TEAM_MEMBER, t.node["id"]), t.edge) for t in knows[pid]],
                "rival_ties": [
                    (store.get(K.COMPETITOR, t.node["id"]), t.edge) for t in rivals[pid]
                ],
                "reports_to": [b.node["id"] for b in boss],
                "influences": [s.node["id"] for s in sway],
            }
        )
    return {"opportunity": opportunity, "customer": customer.node, "members": members}


def timed(action: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Milliseconds per run after ``warmup`` untimed runs."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def open_executor(data_dir: Path, neo4j: Neo4jProcess | None) -> Executor:
    """The embedded store in ``data_dir``, or a connection to the benchmark's Neo4j."""
    if neo4j is None:
        return EmbeddedExecutor(data_dir, fsync="no")
    return Neo4jExecutor(neo4j.uri, USER, PASSWORD)


def store_env(data_dir: Path, neo4j: Neo4jProcess | None) -> dict[str, str]:
    """The API server's settings for the chosen back end."""
    if neo4j is None:
        return {"DEALGRAPH_DATA_DIR": str(data_dir), "DEALGRAPH_FSYNC": "everysec"}
    return {
        "DEALGRAPH_STORE": "neo4j",
        "DEALGRAPH_NEO4J_URI": neo4j.uri,
        **login_env(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--auth", action="store_true", help="send an account manager's token")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument(
        "--assessment",
        action="store_true",
        help="time the deal's assessment (four questions, win likelihood) instead of the map",
    )
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="dealgraph-bench-"))
    neo4j = Neo4jProcess(data_dir / "neo4j") if args.store == "neo4j" else None
    try:
        if neo4j is not None:
            neo4j.start()
        run(args, data_dir, neo4j)
    finally:
        if neo4j is not None:
            neo4j.stop()
        shutil.rmtree(data_dir, ignore_errors=True)  # either store's data: nothing is reused


def run(args: argparse.Namespace, data_dir: Path, neo4j: Neo4jProcess | None) -> None:
    where = data_dir if neo4j is None else neo4j.uri
    print(f"preparing a {PEOPLE}-person decision chain in {where} ...", flush=True)
    token = prepare(open_executor(data_dir, neo4j), with_token=args.auth)

    executor = open_executor(data_dir, neo4j)
    store = GraphStore(executor)
    loaded = load_decision_chain(store, OPPORTUNITY)
    assert loaded is not None
    assert len(loaded.snapshot.members) == PEOPLE
    direct = timed(lambda: load_decision_chain(store, OPPORTUNITY), args.requests, args.warmup)
    store.round_trips = 0
    naive_chain(store, OPPORTUNITY)
    naive_calls = store.round_trips
    naive = timed(lambda: naive_chain(store, OPPORTUNITY), max(20, args.requests // 10), 3)
    executor.close()

    port = free_port()
    env = {
        **os.environ,
        **store_env(data_dir, neo4j),
        "DEALGRAPH_MODE": "development",
        "DEALGRAPH_AUTH_REQUIRED": "true" if args.auth else "false",
    }
    headers = {"Authorization": f"Bearer {token}"} if args.auth else {}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server, within=60)
        with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
            query = ASSESSMENT_QUERY if args.assessment else QUERY
            body = {"query": query, "variables": {"id": _gid(OPPORTUNITY)}}

            def fetch() -> None:
                response = client.post("/graphql", json=body)
                if response.status_code != 200:
                    raise SystemExit(f"HTTP {response.status_code}: {response.text[:300]}")
                data = response.json()
                assert "errors" not in data, data
                node = data["data"]["node"]
                if args.assessment:
                    assert 0 < node["assessment"]["winLikelihood"]["value"] < 1
                else:
                    assert len(node["decisionChain"]["members"]) == PEOPLE

            end_to_end = timed(fetch, args.requests, args.warmup)
            size = len(client.post("/graphql", json=body).content)
    finally:
        server.terminate()
        server.wait(timeout=30)

    p50, p99 = pct(end_to_end, 0.5), pct(end_to_end, 0.99)
    d50, n50 = pct(direct, 0.5), pct(naive, 0.5)
    who = "an account manager's token" if args.auth else "no authentication"
    print(
        f"{'assessment' if args.assessment else 'decision chain'} of {PEOPLE} people, "
        f"{args.store} store, {args.requests} requests "
        f"after {args.warmup} warm-up, {who}"
    )
    print(f"  response size                 {size / 1024:8.1f} KiB")
    print(f"  end-to-end HTTP   p50 {p50:7.2f} ms   p99 {pct(end_to_end, 0.99):7.2f} ms")
    print(f"  direct store call p50 {d50:7.2f} ms   p99 {pct(direct, 0.99):7.2f} ms   (1 call)")
    print(f"  naive loader      p50 {n50:7.2f} ms   p99 {pct(naive, 0.99):7.2f} ms   "
          f"({naive_calls} calls, in-process, no HTTP)")  # fmt: skip
    print(f"  end-to-end / direct  {p50 / d50:6.2f}   (goal <= 2.0)")
    print(f"  naive / end-to-end   {n50 / p50:6.2f}   (goal >= 10)")
    print(f"  naive / direct       {n50 / d50:6.2f}")
    print(f"  p50 goal <= 15 ms:   {'met' if p50 <= 15 else 'MISSED'}; p99 {p99:.2f} ms")


ASSESSMENT_QUERY = """query($id: ID!) { node(id: $id) { ... on Opportunity { assessment {
    isReal { value } canCompete { value } canWin { value } worthIt { value }
    winLikelihood { value logit terms { factor weight score logit text } } } } } }"""
"""``--assessment``: what the deal panel asks for the win likelihood."""


def _gid(node_id: str) -> str:
    import base64

    return base64.b64encode(f"Opportunity:{node_id}".encode()).decode()


if __name__ == "__main__":
    main()
