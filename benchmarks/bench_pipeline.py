"""Benchmark: a sales director's pipeline right after one write somewhere in their book.

A book like a director's (in a fresh folder, embedded store, authentication on): 49 deals,
18 of them at one hospital group whose 60 people sit in many of those deals' chains, 31 at five
smaller customers; the director and four account managers on the teams; about 600 activities.
The director's pipeline query (the web app's: every deal with its win likelihood and red flags)
goes straight to the ASGI app (no HTTP, no client). Printed: the median of the query warm,
right after an activity on one deal of the hospital group, right after a tie of the director's
own team member (on every team) to one person, right after the hospital group's name changes,
right after the director's own name changes, and for each: how many chains were loaded again
and how many analyses worked out again.

``--cold`` measures instead the first pipeline after a start (a new app and store connection,
nothing kept), each trial three times: at once with the warm-up off, at once with it on (the
request meets the warm-up on the store), and once the warm-up of open deals
(``resolvers.warming``) has finished; with where the cold time goes (store round trips,
the chain load with its statement, the analyses, the rest: GraphQL completion).
``--store neo4j`` puts the book into Neo4j (``tools/neo4j``, as ``bench_api.py`` does).

    .venv/bin/python benchmarks/bench_pipeline.py [--trials 7] [--cold] [--store neo4j]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_api import open_executor, store_env  # noqa: E402
from bench_load import gid  # noqa: E402
from bench_request_cost import post  # noqa: E402
from neo4j_process import Neo4jProcess  # noqa: E402

from graph.executor import Executor  # noqa: E402

PIPELINE = (ROOT / "dealgraph/web/static/js/main.js").read_text().split("const PIPELINE = `")[1]
PIPELINE = PIPELINE.split("`")[0]
LOG = """mutation($i: ActivityLogInput!) { activityLog(input: $i) { userErrors { message } } }"""
KNOWS = """mutation($i: KnowsInput!) { knowsSet(input: $i) { userErrors { message } } }"""
RENAME = """mutation($id: ID!, $i: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $i) { customer { version } userErrors { message } } }"""
MEMBER_RENAME = """mutation($id: ID!, $i: TeamMemberUpdateInput!) {
  teamMemberUpdate(id: $id, input: $i) { teamMember { version } userErrors { message } } }"""
VERSION = """query($id: ID!) { node(id: $id) {
  ... on Customer { version } ... on TeamMember { version } } }"""
ROLES = ["DECISION_MAKER", "APPROVER", "TECHNICAL_EVALUATOR", "USER", "COACH"]
ATTITUDES = ["OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION"]
TYPES = ["VISIT", "CALL", "DEMO", "MEETING"]
OUTCOMES = ["NEGATIVE", "NEUTRAL", "POSITIVE", "POSITIVE"]
DAY_MS = 86_400_000


def build(executor: Executor) -> dict[str, str]:
    """The book, written through the store; the director's and the administrator's tokens."""
    from domain.model import EdgeKind, NodeKind
    from graph.security_store import SecurityStore
    from graph.store import GraphStore

    rng = random.Random(9)
    store = GraphStore(executor)
    try:
        store.create(NodeKind.TEAM_MEMBER, {"name": "Director", "role": "SALES_DIRECTOR"},
                     node_id="tm-director")  # fmt: skip
        managers = [f"tm-am-{i}" for i in range(4)]
        for i, member in enumerate(managers):
            store.create(NodeKind.TEAM_MEMBER, {"name": f"Manager {i}", "role": "ACCOUNT_MANAGER"},
                         node_id=member)  # fmt: skip
        security = SecurityStore(store)
        security.add_user("director", "sales_director", "tm-director")
        security.add_user("admin", "admin")
        for member in managers:
            security.set_manages("tm-director", member)
        customers = [("cu-group", 60, 18)] + [(f"cu-{i}", 15, 6 + (i < 1)) for i in range(5)]
        now = store.clock()
        for customer, people, deals in customers:
            store.create(NodeKind.CUSTOMER, {"name": f"Customer {customer}"}, node_id=customer)
            persons = [f"{customer}-kp-{i:02d}" for i in range(people)]
            for person in persons:
                store.create_key_person(customer, {"name": f"Person {person}"}, node_id=person)
            for d in range(deals):
                deal = f"{customer}-deal-{d:02d}"
                store.create_opportunity(customer, {"name": f"Deal {deal}", "amount": 10**8},
                                         node_id=deal)  # fmt: skip
                manager = managers[(d + len(customer)) % len(managers)]
                for member in (manager, "tm-director"):
                    role = "ACCOUNT_MANAGER" if member == manager else "SALES_DIRECTOR"
                    store.set_edge(EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, member),
                                   (NodeKind.OPPORTUNITY, deal), {"role": role})  # fmt: skip
                size = rng.randint(5, 40) if customer == "cu-group" else rng.randint(5, 12)
                chain = rng.sample(persons, min(size, people))
                for i, person in enumerate(chain):
                    props = {"role": ROLES[i % 5], "attitude": rng.choice(ATTITUDES)}
                    store.set_edge(EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, person),
                                   (NodeKind.OPPORTUNITY, deal), props)  # fmt: skip
                for _ in range(12):
                    store.log_activity(
                        {"type": rng.choice(TYPES), "summary": "Talk",
                         "occurred_at": now - rng.randint(1, 300) * DAY_MS,
                         "outcome": rng.choice(OUTCOMES)},
                        person_ids=rng.sample(chain, min(len(chain), rng.randint(1, 3))),
                        member_ids=[manager], opportunity_id=deal,
                    )  # fmt: skip
        return {
            "director": security.issue_token("director").token,
            "admin": security.issue_token("admin").token,
        }
    finally:
        store.close()


def caller(app: Any, token: str) -> Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]:
    """POST /graphql through the app's ASGI interface as the token's user."""

    async def send_one(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(await post(app, token, query, variables))
        assert not result.get("errors"), result["errors"]
        return result

    return send_one


class Counts:
    """Chains loaded and analyses worked out, counted (and timed) by wrapping the two
    functions; store round trips counted and timed by wrapping ``GraphStore.read``."""

    def __init__(self) -> None:
        import resolvers.derived as derived
        import resolvers.kept as kept
        from graph.store import GraphStore

        self.chains = self.analyses = self.reads = 0
        self.load_s = self.analyse_s = self.read_s = 0.0
        load = kept.load_sequenced_chains  # type: ignore[attr-defined]
        analyse = derived.analyse  # type: ignore[attr-defined]
        read = GraphStore.read

        def counted_load(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            loaded = load(*args, **kwargs)
            self.load_s += time.perf_counter() - started
            self.chains += len(loaded.chains)
            return loaded

        def counted_analyse(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return analyse(*args, **kwargs)
            finally:
                self.analyse_s += time.perf_counter() - started
                self.analyses += 1

        def counted_read(store: GraphStore, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return read(store, *args, **kwargs)
            finally:
                self.read_s += time.perf_counter() - started
                self.reads += 1

        kept.load_sequenced_chains = counted_load  # type: ignore[attr-defined]
        derived.analyse = counted_analyse  # type: ignore[attr-defined]
        GraphStore.read = counted_read  # type: ignore[method-assign,assignment]

    def reset(self) -> None:
        self.chains = self.analyses = self.reads = 0
        self.load_s = self.analyse_s = self.read_s = 0.0


async def measure_cold(settings: Any, tokens: dict[str, str], trials: int) -> None:
    """The first pipeline after each of ``trials`` starts, without and after the warm-up."""
    from dealgraph.app import create_app
    from resolvers.derived import KEPT

    counts = Counts()
    starts = (("cold (no warm-up)", 0, False), ("during the warm-up", 1000, False),
              ("after the warm-up", 1000, True))  # fmt: skip
    rows: dict[str, list[tuple[float, ...]]] = {name: [] for name, _, _ in starts}
    warm_up_ms: list[float] = []
    for _ in range(trials):
        for name, warm_deals, wait in starts:
            KEPT.clear()  # as in a new process: nothing kept
            app = create_app(dataclasses.replace(settings, warm_deals=warm_deals))
            director = caller(app, tokens["director"])
            started = time.perf_counter()
            async with app.router.lifespan_context(app):
                if wait:
                    assert await asyncio.to_thread(app.state.warming.wait, 120)
                    warm_up_ms.append((time.perf_counter() - started) * 1000)
                counts.reset()
                began = time.perf_counter()
                answer = await director(PIPELINE, {})
                ms = (time.perf_counter() - began) * 1000
                assert len(answer["data"]["opportunities"]["nodes"]) == 49
                if not wait and app.state.warming is not None:
                    await asyncio.to_thread(app.state.warming.wait, 120)  # before the store closes
                rows[name].append(
                    (ms, counts.reads, counts.read_s * 1000, counts.chains, counts.load_s * 1000,
                     counts.analyses, counts.analyse_s * 1000)
                )  # fmt: skip
    print(f"the director's first pipeline (49 deals) after a start, {trials} starts (medians):")
    print(f"  {'':<20} {'total':>9} {'trips':>6} {'store':>9} {'chains':>7} {'load':>9} "
          f"{'analyses':>9} {'analyse':>9} {'rest':>9}")  # fmt: skip
    medians: dict[str, float] = {}
    for name, figures in rows.items():
        m = [statistics.median(f[i] for f in figures) for i in range(7)]
        medians[name] = m[0]
        rest = statistics.median(f[0] - f[4] - f[6] for f in figures)
        print(f"  {name:<20} {m[0]:7.1f}ms {m[1]:6.0f} {m[2]:7.1f}ms {m[3]:7.0f} {m[4]:7.1f}ms "
              f"{m[5]:9.0f} {m[6]:7.1f}ms {rest:7.1f}ms")  # fmt: skip
    cold, warmed = medians["cold (no warm-up)"], medians["after the warm-up"]
    print(f"  cold / after the warm-up: {cold / warmed:.1f}x; the warm-up took "
          f"{statistics.median(warm_up_ms):.0f} ms (median) from the start")  # fmt: skip
    print("  store: every round trip; load: the chain statement and the chains made of its rows;")
    print("  analyse: the analyses' time summed; rest: total - load - analyse (GraphQL, checks);")
    print("  during the warm-up, the counts include the warm-up's own")


async def measure(app: Any, tokens: dict[str, str], trials: int) -> None:
    director, admin = caller(app, tokens["director"]), caller(app, tokens["admin"])
    counts = Counts()
    rng = random.Random(5)

    async def pipeline() -> tuple[float, int, int]:
        chains, analyses = counts.chains, counts.analyses
        started = time.perf_counter()
        answer = await director(PIPELINE, {})
        ms = (time.perf_counter() - started) * 1000
        assert len(answer["data"]["opportunities"]["nodes"]) == 49
        return ms, counts.chains - chains, counts.analyses - analyses

    async def activity() -> None:
        deal = f"cu-group-deal-{rng.randrange(18):02d}"
        chain = await admin(
            """query($id: ID!) { node(id: $id) { ... on Opportunity {
              decisionChain { members { person { id } } } } } }""",
            {"id": gid("Opportunity", deal)},
        )
        person = rng.choice(chain["data"]["node"]["decisionChain"]["members"])["person"]["id"]
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        visit = {"type": "CALL", "occurredAt": at, "summary": "Call", "personIds": [person],
                 "opportunityId": gid("Opportunity", deal), "outcome": "POSITIVE"}  # fmt: skip
        await admin(LOG, {"i": visit})

    async def team_tie() -> None:
        person = f"cu-group-kp-{rng.randrange(60):02d}"
        tie = {"memberId": gid("TeamMember", "tm-director"),
               "targetPersonId": gid("KeyPerson", person),
               "level": rng.choice(["WEAK", "MODERATE", "STRONG"])}  # fmt: skip
        await admin(KNOWS, {"i": tie})

    async def rename() -> None:
        customer = gid("Customer", "cu-group")
        version = (await admin(VERSION, {"id": customer}))["data"]["node"]["version"]
        change = {"version": version, "name": f"Hospital group {rng.randrange(10**6)}"}
        await admin(RENAME, {"id": customer, "i": change})

    async def rename_director() -> None:
        member = gid("TeamMember", "tm-director")
        version = (await admin(VERSION, {"id": member}))["data"]["node"]["version"]
        change = {"version": version, "name": f"Director {rng.randrange(10**6)}"}
        await admin(MEMBER_RENAME, {"id": member, "i": change})

    async with app.router.lifespan_context(app):
        first = await pipeline()
        warm = [await pipeline() for _ in range(trials)]
        rows: list[tuple[str, list[tuple[float, int, int]]]] = [("warm", warm)]
        for name, write in [
            ("after an activity on one deal", activity),
            ("after a tie of the director's team member", team_tie),
            ("after the hospital group's name changed", rename),
            ("after the director's own name changed", rename_director),
        ]:
            after, second = [], []
            for _ in range(trials):
                await write()
                after.append(await pipeline())
                second.append(await pipeline())
            rows += [(name, after), ("  and the query after it", second)]
    print(f"the director's pipeline (49 deals), {trials} trials, ASGI app in process:")
    print(f"  {'first after start':<44} {first[0]:8.1f} ms  {first[1]:3d} chains  "
          f"{first[2]:3d} analyses")  # fmt: skip
    for name, figures in rows:
        ms = statistics.median(f[0] for f in figures)
        chains = statistics.median(f[1] for f in figures)
        analyses = statistics.median(f[2] for f in figures)
        low, high = min(f[0] for f in figures), max(f[0] for f in figures)
        print(f"  {name:<44} {ms:8.1f} ms  {chains:3.0f} chains  {analyses:3.0f} analyses"
              f"   (min {low:.1f}, max {high:.1f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="the first pipeline after a start")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dealgraph-pipeline-") as tmp:
        data_dir = Path(tmp) / "data"
        neo4j = Neo4jProcess(Path(tmp) / "neo4j") if args.store == "neo4j" else None
        try:
            if neo4j is not None:
                neo4j.start()
            executor = open_executor(data_dir, neo4j)
            try:
                executor.ensure_schema()
                tokens = build(executor)
            finally:
                executor.close()
            env = {**store_env(data_dir, neo4j), "DEALGRAPH_AUTH_REQUIRED": "true"}
            os.environ.update({**env, "DEALGRAPH_WARM_DEALS": "0"})
            from dealgraph.app import create_app
            from dealgraph.settings import load_settings

            print(f"store: {args.store}")
            if args.cold:
                asyncio.run(measure_cold(load_settings(), tokens, args.trials))
            else:
                asyncio.run(measure(create_app(load_settings()), tokens, args.trials))
        finally:
            if neo4j is not None:
                neo4j.stop()


if __name__ == "__main__":
    main()
